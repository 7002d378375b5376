//! What `report` computes for each document, in a worker thread: tokens and
//! counts (into the batch's [`Counts`]), readability figures, sentiment per
//! lexicon, the words behind the sentiment, and the sentiment arc.

use std::collections::BTreeMap;
use std::sync::Arc;

use lexiscope_freq::{CountOptions, Counts};
use lexiscope_ingest::Meta;
use lexiscope_sentiment::{Lexicon, WordHit};
use lexiscope_stats::{group_value, url_host, Date, DocFigures, DocRow};
use lexiscope_text::{sentences, Tokenizer};

use crate::percolumns::PerColumns;
use crate::pipeline::Batch;

/// Points along a document at which the sentiment arc is sampled.
pub const ARC_BINS: usize = 10;

/// Where a document's group and date come from.
#[derive(Debug, Clone)]
pub enum ColumnChoice {
    /// A column the user named.
    Named(String),
    /// Detected per document from its column names.
    Detect,
    /// Not wanted.
    Off,
}

/// Settings shared by every worker.
pub struct Analysis {
    pub count_opts: Arc<CountOptions>,
    pub lexicons: Vec<Arc<Lexicon>>,
    pub group: ColumnChoice,
    pub date: ColumnChoice,
    /// Bigrams may cross sentence ends (tidytext's behaviour).
    pub across_sentences: bool,
}

/// A word's part in a lexicon's scores over the corpus.
#[derive(Debug, Clone, Copy, Default)]
pub struct HitAgg {
    pub score: f64,
    pub count: u64,
    pub applied: f64,
}

/// Word hits of one lexicon, keyed by `word \u{1} category` (see
/// [`hit_parts`]).
pub type Hits = hashbrown::HashMap<String, HitAgg>;

/// The entry of `word` in `category`, created with the lexicon `score`;
/// `key` is scratch space for the map key.
fn hit_entry<'h>(
    hits: &'h mut Hits,
    key: &mut String,
    word: &str,
    category: &str,
    score: f64,
) -> &'h mut HitAgg {
    key.clear();
    key.push_str(word);
    key.push('\u{1}');
    key.push_str(category);
    hits.entry_ref(key.as_str()).or_insert(HitAgg {
        score,
        count: 0,
        applied: 0.0,
    })
}

/// The word and category of a [`Hits`] key.
pub fn hit_parts(key: &str) -> (&str, &str) {
    key.split_once('\u{1}').unwrap_or((key, ""))
}

/// Per arc bin: the sum of the documents' values and how many there were.
pub type ArcSums = ([f64; ARC_BINS], [u64; ARC_BINS]);

/// Sums of the per-document arc values, per group, bin by bin.
#[derive(Debug, Clone, Default)]
pub struct Arcs {
    pub by_group: BTreeMap<String, ArcSums>,
}

impl Arcs {
    fn add(&mut self, group: &str, doc: &[Option<f64>; ARC_BINS]) {
        // Looked up before inserting: the name is copied once per batch, not
        // once per document.
        let e = match self.by_group.get_mut(group) {
            Some(e) => e,
            None => self
                .by_group
                .entry(group.to_string())
                .or_insert(([0.0; ARC_BINS], [0; ARC_BINS])),
        };
        for (i, v) in doc.iter().enumerate() {
            if let Some(v) = v {
                e.0[i] += v;
                e.1[i] += 1;
            }
        }
    }

    pub fn merge(&mut self, other: Arcs) {
        for (g, (s, n)) in other.by_group {
            let e = self
                .by_group
                .entry(g)
                .or_insert(([0.0; ARC_BINS], [0; ARC_BINS]));
            for i in 0..ARC_BINS {
                e.0[i] += s[i];
                e.1[i] += n[i];
            }
        }
    }
}

/// The name under which all documents' arc is kept.
pub const ALL_DOCUMENTS: &str = "\u{0}all";

/// Which columns gave documents their group and date, and how.
#[derive(Debug, Clone, Default)]
pub struct ColumnUse {
    /// Column names used for grouping and for dates, in order of first use.
    pub group_cols: Vec<String>,
    pub date_cols: Vec<String>,
    /// Documents grouped by the host of a URL, and by a plain value.
    pub grouped_by_url: u64,
    pub grouped_plain: u64,
    /// Documents whose date could not be read.
    pub dates_unparsed: u64,
}

impl ColumnUse {
    fn note(list: &mut Vec<String>, col: &str) {
        if !list.iter().any(|x| x == col) {
            list.push(col.to_string());
        }
    }

    /// Adds another batch's figures.
    pub fn merge(&mut self, other: ColumnUse) {
        for c in &other.group_cols {
            Self::note(&mut self.group_cols, c);
        }
        for c in &other.date_cols {
            Self::note(&mut self.date_cols, c);
        }
        self.grouped_by_url += other.grouped_by_url;
        self.grouped_plain += other.grouped_plain;
        self.dates_unparsed += other.dates_unparsed;
    }
}

/// What a worker hands back for one batch.
pub struct BatchOut {
    pub counts: Counts,
    /// The documents' rows, their metadata apart (in `metas`, row by row:
    /// handed over as read, not copied into the rows).
    pub rows: Vec<DocRow>,
    pub metas: Vec<Meta>,
    pub hits: Vec<Hits>,
    pub arcs: Arcs,
    pub columns: ColumnUse,
}

/// What one token adds to a token lexicon's scores: (column, value) pairs
/// and the hits behind them.
#[derive(Debug, Default)]
struct Effect {
    values: Vec<(usize, f64)>,
    hits: Vec<(String, String, f64, f64)>,
}

/// A token lexicon's effect per surface id of the current batch, computed
/// once per distinct token: scoring a sentence is then array lookups, and
/// hits are counted per token, not hashed per occurrence.
#[derive(Debug, Default)]
struct TokenEffects {
    /// Per surface id: `UNSEEN`, `NO_EFFECT`, or an index into `effects`.
    by_sid: Vec<u32>,
    effects: Vec<Effect>,
    /// Occurrences of each effect in the batch.
    counts: Vec<u64>,
}

const UNSEEN: u32 = u32::MAX;
const NO_EFFECT: u32 = u32::MAX - 1;

impl TokenEffects {
    fn clear(&mut self) {
        self.by_sid.clear();
        self.effects.clear();
        self.counts.clear();
    }

    /// The effect of surface `sid`, computing it on first sight from the
    /// surface's text (`word`, looked up only then: the arena holding it is
    /// a cache miss away).
    fn of<'w>(
        &mut self,
        lex: &Lexicon,
        sid: u32,
        word: impl FnOnce() -> &'w str,
        scratch: &mut [f64],
    ) -> Option<usize> {
        let i = sid as usize;
        if i >= self.by_sid.len() {
            self.by_sid.resize(i + 1, UNSEEN);
        }
        if self.by_sid[i] == UNSEEN {
            let word = word();
            scratch.fill(0.0);
            let mut hits = Vec::new();
            lex.score("", &[word], scratch, &mut |h| {
                hits.push((
                    h.word.to_string(),
                    h.category.to_string(),
                    h.score,
                    h.applied,
                ))
            });
            let values: Vec<(usize, f64)> = scratch
                .iter()
                .enumerate()
                .filter(|(_, v)| **v != 0.0)
                .map(|(c, v)| (c, *v))
                .collect();
            self.by_sid[i] = if values.is_empty() && hits.is_empty() {
                NO_EFFECT
            } else {
                self.effects.push(Effect { values, hits });
                self.counts.push(0);
                (self.effects.len() - 1) as u32
            };
        }
        match self.by_sid[i] {
            NO_EFFECT => None,
            e => Some(e as usize),
        }
    }

    /// Adds the batch's hits to `hits`.
    fn drain_into(&mut self, hits: &mut Hits, key: &mut String) {
        for (e, &n) in self.effects.iter().zip(&self.counts) {
            if n == 0 {
                continue;
            }
            for (word, category, score, applied) in &e.hits {
                let agg = hit_entry(hits, key, word, category, *score);
                agg.count += n;
                agg.applied += applied * n as f64;
            }
        }
        self.clear();
    }
}

/// The group and date columns detected in a list of column names.
type GroupAndDate = (Option<Arc<str>>, Option<Arc<str>>);

/// Per-thread scratch space.
#[derive(Default)]
pub struct Worker {
    tok: Tokenizer,
    /// Per surface id of the current batch: (has a letter, letters, syllables).
    cache: Vec<(bool, u32, u32)>,
    sentence_sids: Vec<u32>,
    /// The primary lexicon's polarity of each sentence of the document.
    polarity: Vec<f64>,
    key: String,
    scratch: Vec<f64>,
    one: Vec<f64>,
    effects: Vec<TokenEffects>,
    tallies: Vec<HitTally>,
    /// Groups in the last batch and their mean number of distinct terms
    /// (see [`Counts::expect_group_terms`]).
    group_sizes: (usize, usize),
}

/// The hits of a text-reading lexicon (VADER, AFINN) in the current batch.
/// Hits of numbered entries ([`WordHit::entry`]) are found by number in an
/// array, so counting one builds and hashes no string; their string keys
/// are built once per entry when the batch is drained into [`Hits`].  Hits
/// of a scorer without numbers go straight into a string-keyed map.  Sums
/// per entry are added in occurrence order either way.
#[derive(Debug, Default)]
struct HitTally {
    /// Entry number -> row + 1 (0: no row yet in this batch).
    by_entry: Vec<u32>,
    /// Per row: the sums, apart from the names so that the ones counted
    /// per hit stay close together in cache.
    sums: Vec<HitAgg>,
    /// Per row: entry number.
    rows: Vec<u32>,
    /// Entry number -> its word and category in `names` + 1 (0: not met
    /// yet by this worker); kept from batch to batch, so that an entry's
    /// names are copied once per worker, not once per batch.
    name_of: Vec<u32>,
    names: Vec<(String, String)>,
    unnumbered: Hits,
    key: String,
}

impl HitTally {
    fn record(&mut self, hit: &WordHit<'_>) {
        let a = match hit.entry {
            Some(e) => {
                let i = e as usize;
                if i >= self.by_entry.len() {
                    self.by_entry.resize(i + 1, 0);
                }
                if self.by_entry[i] == 0 {
                    if i >= self.name_of.len() {
                        self.name_of.resize(i + 1, 0);
                    }
                    let known = match self.name_of[i] {
                        0 => false,
                        n => {
                            let (w, c) = &self.names[n as usize - 1];
                            w == hit.word && c == hit.category
                        }
                    };
                    if !known {
                        self.names
                            .push((hit.word.to_string(), hit.category.to_string()));
                        self.name_of[i] = self.names.len() as u32;
                    }
                    self.rows.push(e);
                    self.sums.push(HitAgg {
                        score: hit.score,
                        count: 0,
                        applied: 0.0,
                    });
                    self.by_entry[i] = self.rows.len() as u32;
                }
                let row = self.by_entry[i] as usize - 1;
                &mut self.sums[row]
            }
            None => hit_entry(
                &mut self.unnumbered,
                &mut self.key,
                hit.word,
                hit.category,
                hit.score,
            ),
        };
        a.count += 1;
        a.applied += hit.applied;
    }

    /// Adds the batch's hits to `hits` and empties the tally.
    fn drain_into(&mut self, hits: &mut Hits, key: &mut String) {
        for (e, agg) in self.rows.drain(..).zip(self.sums.drain(..)) {
            if let Some(slot) = self.by_entry.get_mut(e as usize) {
                *slot = 0;
            }
            let (word, category) = &self.names[self.name_of[e as usize] as usize - 1];
            let h = hit_entry(hits, key, word, category, agg.score);
            h.count += agg.count;
            h.applied += agg.applied;
        }
        for (k, agg) in self.unnumbered.drain() {
            let (word, category) = hit_parts(&k);
            let h = hit_entry(hits, key, word, category, agg.score);
            h.count += agg.count;
            h.applied += agg.applied;
        }
    }
}

impl Analysis {
    /// The sentiment columns of documents.csv, in lexicon order.
    pub fn sentiment_columns(&self) -> Vec<String> {
        self.lexicons
            .iter()
            .flat_map(|l| l.columns().iter().cloned())
            .collect()
    }

    fn column<'a>(choice: &'a ColumnChoice, detected: &'a Option<Arc<str>>) -> Option<&'a str> {
        match choice {
            ColumnChoice::Named(c) => Some(c.as_str()),
            ColumnChoice::Detect => detected.as_deref(),
            ColumnChoice::Off => None,
        }
    }

    /// Analyses one batch.
    pub fn run(&self, w: &mut Worker, batch: Batch) -> BatchOut {
        w.cache.clear();
        let ncols: usize = self.lexicons.iter().map(|l| l.columns().len()).sum();
        let mut counts = Counts::new(self.count_opts.clone());
        counts.expect_group_terms(w.group_sizes.0, w.group_sizes.1);
        let mut out = BatchOut {
            counts,
            rows: Vec::with_capacity(batch.docs.len()),
            metas: Vec::with_capacity(batch.docs.len()),
            hits: vec![Hits::new(); self.lexicons.len()],
            arcs: Arcs::default(),
            columns: ColumnUse::default(),
        };
        // Column offsets of each lexicon in the row's sentiment vector.
        let mut offsets = Vec::with_capacity(self.lexicons.len());
        let mut at = 0;
        for l in &self.lexicons {
            offsets.push(at);
            at += l.columns().len();
        }
        w.effects
            .resize_with(self.lexicons.len(), TokenEffects::default);
        for e in &mut w.effects {
            e.clear();
        }
        w.tallies
            .resize_with(self.lexicons.len(), HitTally::default);
        let max_width = self
            .lexicons
            .iter()
            .map(|l| l.columns().len())
            .max()
            .unwrap_or(0);
        w.scratch.resize(max_width, 0.0);
        w.one.resize(max_width, 0.0);

        let mut detected: PerColumns<GroupAndDate> = PerColumns::default();
        for (k, doc) in batch.docs.into_iter().enumerate() {
            let seq = batch.first + k as u64;
            // Group and date columns, detected once per list of column
            // names (the documents of a file share theirs).
            let (detected_group, detected_date) = detected.get(doc.meta.columns_arc(), |names| {
                (
                    lexiscope_stats::detect_group_column(names).map(Arc::from),
                    lexiscope_stats::detect_date_column(names).map(Arc::from),
                )
            });
            let group_col = Self::column(&self.group, detected_group);
            let group = group_col
                .and_then(|c| doc.meta.get(c))
                .and_then(group_value)
                .map(str::to_string);
            if let (Some(c), Some(g)) = (group_col, &group) {
                ColumnUse::note(&mut out.columns.group_cols, c);
                let raw = doc.meta.get(c).unwrap_or_default().trim();
                if url_host(raw).is_some() {
                    out.columns.grouped_by_url += 1;
                } else if !g.is_empty() {
                    out.columns.grouped_plain += 1;
                }
            }
            let date_col = Self::column(&self.date, detected_date);
            let date = match date_col.and_then(|c| doc.meta.get(c)) {
                Some(v) => {
                    if let Some(c) = date_col {
                        ColumnUse::note(&mut out.columns.date_cols, c);
                    }
                    let d = Date::parse(v);
                    if d.is_none() && !v.trim().is_empty() {
                        out.columns.dates_unparsed += 1;
                    }
                    d
                }
                None => None,
            };

            let text = doc.text.as_str();
            let mut fig = DocFigures::default();
            let mut values = vec![0.0; ncols];
            let mut sentence_polarity = std::mem::take(&mut w.polarity);
            sentence_polarity.clear();
            let mut dc = out.counts.doc(seq, group.as_deref());
            for span in sentences(text) {
                let sentence = &text[span];
                if !self.across_sentences {
                    dc.sentence();
                }
                fig.sentences += 1;
                w.sentence_sids.clear();
                let (tok, cache, sids) = (&mut w.tok, &mut w.cache, &mut w.sentence_sids);
                tok.for_each_headed(sentence, |word, head| {
                    let sid = dc.token_headed(word, head);
                    sids.push(sid);
                    if sid as usize == cache.len() {
                        let letters = word.chars().filter(|c| c.is_alphabetic()).count() as u32;
                        cache.push((letters > 0, letters, lexiscope_stats::syllables(word)));
                    }
                    let (is_word, letters, syll) = cache[sid as usize];
                    if is_word {
                        fig.words += 1;
                        fig.letters += u64::from(letters);
                        fig.syllables += u64::from(syll);
                    }
                });
                // Sentence-level sentiment.
                let mut polarity = None;
                for (li, lex) in self.lexicons.iter().enumerate() {
                    let width = lex.columns().len();
                    let scratch = &mut w.scratch[..width];
                    let tally = &mut w.tallies[li];
                    // VADER scores sentence by sentence (its advice for long
                    // texts); token lexicons add up their tokens; a
                    // whole-text lexicon (AFINN) is scored per sentence only
                    // when it is the primary one, for the arc (its hits and
                    // document score come from the whole-text pass below).
                    let adds_to_document = if lex.is_vader() {
                        lex.score(sentence, &[], scratch, &mut |h| tally.record(&h));
                        true
                    } else if !lex.reads_text() {
                        scratch.fill(0.0);
                        let effects = &mut w.effects[li];
                        let one = &mut w.one[..width];
                        for &sid in &w.sentence_sids {
                            if let Some(e) = effects.of(lex, sid, || dc.surface(sid), one) {
                                effects.counts[e] += 1;
                                for &(c, v) in &effects.effects[e].values {
                                    scratch[c] += v;
                                }
                            }
                        }
                        true
                    } else if li == 0 {
                        lex.score(sentence, &[], scratch, &mut |_| {});
                        false
                    } else {
                        continue;
                    };
                    if adds_to_document {
                        for (v, s) in values[offsets[li]..offsets[li] + width]
                            .iter_mut()
                            .zip(w.scratch[..width].iter())
                        {
                            *v += s;
                        }
                    }
                    if li == 0 {
                        polarity = lex.polarity(&w.scratch[..width]);
                    }
                }
                if let Some(p) = polarity {
                    sentence_polarity.push(p);
                }
            }
            let summary = dc.finish();
            fig.tokens = summary.tokens;
            fig.types = summary.types;
            fig.mattr = summary.mattr;
            // Whole-text lexicons, and VADER's mean over sentences.
            let vader_n = fig.sentences;
            for (li, lex) in self.lexicons.iter().enumerate() {
                let width = lex.columns().len();
                let slots = &mut values[offsets[li]..offsets[li] + width];
                if lex.is_vader() {
                    for v in slots.iter_mut() {
                        *v = if vader_n == 0 {
                            f64::NAN
                        } else {
                            *v / vader_n as f64
                        };
                    }
                } else if lex.reads_text() {
                    let tally = &mut w.tallies[li];
                    lex.score(text, &[], slots, &mut |h| tally.record(&h));
                }
            }
            // Arc: mean sentence polarity in each tenth of the document.
            if !sentence_polarity.is_empty() {
                let n = sentence_polarity.len();
                let mut sums = [0.0; ARC_BINS];
                let mut ns = [0u64; ARC_BINS];
                for (i, p) in sentence_polarity.iter().enumerate() {
                    let bin = (i * ARC_BINS / n).min(ARC_BINS - 1);
                    sums[bin] += p;
                    ns[bin] += 1;
                }
                let mut arc = [None; ARC_BINS];
                for b in 0..ARC_BINS {
                    if ns[b] > 0 {
                        arc[b] = Some(sums[b] / ns[b] as f64);
                    }
                }
                out.arcs.add(ALL_DOCUMENTS, &arc);
                if let Some(g) = &group {
                    out.arcs.add(g, &arc);
                }
            }
            w.polarity = sentence_polarity;
            out.metas.push(doc.meta);
            out.rows.push(DocRow {
                id: doc.id,
                meta: Vec::new(),
                group,
                date,
                figures: fig,
                sentiment: values,
            });
        }
        for (li, e) in w.effects.iter_mut().enumerate() {
            e.drain_into(&mut out.hits[li], &mut w.key);
        }
        for (li, t) in w.tallies.iter_mut().enumerate() {
            t.drain_into(&mut out.hits[li], &mut w.key);
        }
        out.counts.seal();
        w.group_sizes = out.counts.group_sizes();
        out
    }
}
