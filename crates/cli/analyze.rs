//! What `report` computes for each document, in a worker thread: tokens and
//! counts (into the batch's [`Counts`]), readability figures, sentiment per
//! lexicon, the words behind the sentiment, and the sentiment arc.

use std::collections::BTreeMap;
use std::sync::Arc;

use lexiscope_freq::{CountOptions, Counts};
use lexiscope_ingest::Meta;
use lexiscope_sentiment::{Lexicon, Vader, WordHit};
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

impl HitAgg {
    /// No hits yet of an entry whose lexicon score is `score`.
    fn new(score: f64) -> HitAgg {
        HitAgg {
            score,
            count: 0,
            applied: 0.0,
        }
    }

    /// Adds another tally's hits of the same entry.
    fn add(&mut self, other: &HitAgg) {
        self.count += other.count;
        self.applied += other.applied;
    }
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
    hits.entry_ref(key.as_str()).or_insert(HitAgg::new(score))
}

/// The word and category of a [`Hits`] key.
pub fn hit_parts(key: &str) -> (&str, &str) {
    key.split_once('\u{1}').unwrap_or((key, ""))
}

/// One lexicon's word hits in one batch.  Entries the scorer numbers
/// ([`WordHit::entry`]: every built-in lexicon's and user file's) go by
/// number, so that neither the worker nor the merge builds or hashes a
/// string for them; their names travel once per worker and entry.
#[derive(Debug, Default)]
pub struct BatchHits {
    /// Sums of numbered entries, in order of first hit in the batch.
    numbered: Vec<(u32, HitAgg)>,
    /// Word and category of the numbered entries this worker had not
    /// handed on before.
    names: Vec<(u32, String, String)>,
    /// Hits of entries without a number, keyed as in [`Hits`].
    keyed: Hits,
}

/// One lexicon's word hits over the corpus, batch after batch in corpus
/// order (so every sum is added in the same order whatever the threads).
#[derive(Debug, Default, Clone)]
pub struct HitsMerge {
    /// Per entry number: its sums once hit.
    numbered: Vec<Option<HitAgg>>,
    /// Per entry number: its word and category.
    names: Vec<Option<(String, String)>>,
    keyed: Hits,
}

impl HitsMerge {
    /// Adds the next batch's hits.
    pub fn add(&mut self, b: BatchHits) {
        for (e, word, category) in b.names {
            let e = e as usize;
            if e >= self.names.len() {
                self.names.resize(e + 1, None);
            }
            self.names[e].get_or_insert((word, category));
        }
        for (e, agg) in b.numbered {
            let e = e as usize;
            if e >= self.numbered.len() {
                self.numbered.resize(e + 1, None);
            }
            self.numbered[e]
                .get_or_insert(HitAgg::new(agg.score))
                .add(&agg);
        }
        for (k, v) in b.keyed {
            self.keyed.entry(k).or_insert(HitAgg::new(v.score)).add(&v);
        }
    }

    /// Every hit word's sums, keyed by `word \u{1} category`.
    pub fn finish(self) -> Hits {
        let mut hits = self.keyed;
        let mut key = String::new();
        for (agg, names) in self.numbered.into_iter().zip(self.names) {
            let (Some(agg), Some((word, category))) = (agg, names) else {
                continue;
            };
            hit_entry(&mut hits, &mut key, &word, &category, agg.score).add(&agg);
        }
        hits
    }
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

    /// Adds a document's arc, the mean sentence polarity in each tenth of
    /// the document, to all documents' and to its group's (nothing for a
    /// document without sentence polarities).
    fn add_document(&mut self, polarity: &[f64], group: Option<&str>) {
        if polarity.is_empty() {
            return;
        }
        let n = polarity.len();
        let mut sums = [0.0; ARC_BINS];
        let mut ns = [0u64; ARC_BINS];
        for (i, p) in polarity.iter().enumerate() {
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
        self.add(ALL_DOCUMENTS, &arc);
        if let Some(g) = group {
            self.add(g, &arc);
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
    pub hits: Vec<BatchHits>,
    pub arcs: Arcs,
    pub columns: ColumnUse,
}

/// What one token adds to a token lexicon's scores: its (column, value)
/// pairs and the hits behind them, as ranges of [`TokenEffects`]' arrays
/// (no allocation per effect).
#[derive(Debug, Clone, Copy)]
struct Effect {
    values: (u32, u32),
    hits: (u32, u32),
}

/// One hit behind an [`Effect`]: by its number in the lexicon (the
/// lexicon names it again, [`Lexicon::hit_names`], so no text is copied
/// per word and batch), or with its names when the lexicon gave no number.
#[derive(Debug)]
enum EffectHit {
    Numbered {
        entry: u32,
        score: f64,
        applied: f64,
    },
    Named {
        word: String,
        category: String,
        score: f64,
        applied: f64,
    },
}

/// A token lexicon's effect per surface id of the current batch, computed
/// once per distinct token: scoring a sentence is then array lookups, and
/// hits are counted per token, not hashed per occurrence.
#[derive(Debug, Default)]
struct TokenEffects {
    /// Per surface id: `UNSEEN`, `NO_EFFECT`, or an index into `effects`.
    by_sid: Vec<u32>,
    effects: Vec<Effect>,
    /// The effects' values and hits, effect after effect.
    values: Vec<(usize, f64)>,
    hits: Vec<EffectHit>,
    /// Occurrences of each effect in the batch.
    counts: Vec<u64>,
}

const UNSEEN: u32 = u32::MAX;
const NO_EFFECT: u32 = u32::MAX - 1;

impl TokenEffects {
    fn clear(&mut self) {
        self.by_sid.clear();
        self.effects.clear();
        self.values.clear();
        self.hits.clear();
        self.counts.clear();
    }

    /// The (column, value) pairs of effect `e`.
    #[inline]
    fn values_of(&self, e: usize) -> &[(usize, f64)] {
        let (start, end) = self.effects[e].values;
        &self.values[start as usize..end as usize]
    }

    /// The effect of surface `sid`, computing it on first sight from the
    /// surface's text and head (`word`, looked up only then: the arena
    /// holding the text is a cache miss away).  A word the lexicon has no
    /// entry for (nearly every one) is told by its head, without scoring it.
    fn of<'w>(
        &mut self,
        lex: &Lexicon,
        sid: u32,
        word: impl FnOnce() -> (&'w str, [u64; 2]),
        scratch: &mut [f64],
    ) -> Option<usize> {
        let i = sid as usize;
        if i >= self.by_sid.len() {
            self.by_sid.resize(i + 1, UNSEEN);
        }
        if self.by_sid[i] == UNSEEN {
            let (word, head) = word();
            if !lex.has_token_headed(word, head) {
                self.by_sid[i] = NO_EFFECT;
                return None;
            }
            scratch.fill(0.0);
            let (values_at, hits_at) = (self.values.len(), self.hits.len());
            let hits = &mut self.hits;
            lex.score("", &[word], scratch, &mut |h| {
                hits.push(match h.entry {
                    Some(entry) => EffectHit::Numbered {
                        entry,
                        score: h.score,
                        applied: h.applied,
                    },
                    None => EffectHit::Named {
                        word: h.word.to_string(),
                        category: h.category.to_string(),
                        score: h.score,
                        applied: h.applied,
                    },
                })
            });
            self.values.extend(
                scratch
                    .iter()
                    .enumerate()
                    .filter(|(_, v)| **v != 0.0)
                    .map(|(c, v)| (c, *v)),
            );
            let (values_end, hits_end) = (self.values.len(), self.hits.len());
            self.by_sid[i] = if values_end == values_at && hits_end == hits_at {
                NO_EFFECT
            } else {
                self.effects.push(Effect {
                    values: (values_at as u32, values_end as u32),
                    hits: (hits_at as u32, hits_end as u32),
                });
                self.counts.push(0);
                (self.effects.len() - 1) as u32
            };
        }
        match self.by_sid[i] {
            NO_EFFECT => None,
            e => Some(e as usize),
        }
    }

    /// Records the batch's hits of `lex` in `tally`, each effect's as many
    /// times as it occurred (handed on with the rest of the tally's).
    fn drain_into(&mut self, lex: &Lexicon, tally: &mut HitTally) {
        for (e, &n) in self.effects.iter().zip(&self.counts) {
            if n == 0 {
                continue;
            }
            for h in &self.hits[e.hits.0 as usize..e.hits.1 as usize] {
                let hit = match h {
                    EffectHit::Numbered {
                        entry,
                        score,
                        applied,
                    } => {
                        let (word, category) = lex.hit_names(*entry).unwrap_or(("", ""));
                        debug_assert!(!word.is_empty(), "hit number {entry} has no names");
                        WordHit {
                            word,
                            category,
                            score: *score,
                            applied: *applied,
                            entry: Some(*entry),
                        }
                    }
                    EffectHit::Named {
                        word,
                        category,
                        score,
                        applied,
                    } => WordHit {
                        word,
                        category,
                        score: *score,
                        applied: *applied,
                        entry: None,
                    },
                };
                tally.record_n(&hit, n);
            }
        }
        self.clear();
    }
}

/// The group and date columns detected in a list of column names.
type GroupAndDate = (Option<Arc<str>>, Option<Arc<str>>);

/// A word has an entry in a token lexicon.
const LEXICAL: u8 = 1;
/// A word may make VADER score a sentence it is in (see
/// [`Vader::may_score_word`]).
const MAY_SCORE: u8 = 2;

/// Per-thread scratch space.
#[derive(Default)]
pub struct Worker {
    tok: Tokenizer,
    /// Per surface id of the current batch: (has a letter, letters,
    /// syllables, `LEXICAL` and `MAY_SCORE` flags).
    cache: Vec<(bool, u32, u32, u8)>,
    /// The current sentence's tokens that a token lexicon has an entry for
    /// (surface ids, in order): all that token lexicons score.
    sentence_sids: Vec<u32>,
    /// The primary lexicon's polarity of each sentence of the document.
    polarity: Vec<f64>,
    /// The batch's sentences (byte ranges in their document's text), in
    /// order, kept for VADER's pass (see [`Analysis::run`]), each with
    /// whether it is quiet: sure to score as a sentence without lexicon
    /// words ([`Vader::is_quiet_unit`]), so that the pass need not read it.
    spans: Vec<(std::ops::Range<usize>, bool)>,
    /// The batch's texts with the end of each one's sentences in `spans`,
    /// kept for the passes of the lexicons that read the text.
    texts: Vec<(String, usize)>,
    key: String,
    scratch: Vec<f64>,
    one: Vec<f64>,
    effects: Vec<TokenEffects>,
    tallies: Vec<HitTally>,
    /// Groups in the last batch and their mean number of distinct terms
    /// (see [`Counts::expect_group_terms`]).
    group_sizes: (usize, usize),
}

/// The hits of a lexicon in the current batch: a text-reading one's
/// (VADER, AFINN) as they come, a token lexicon's per distinct token at the
/// end of the batch ([`TokenEffects`]).
/// Hits of numbered entries ([`WordHit::entry`]) are found by number in an
/// array and handed on by number (see [`BatchHits`]), so counting one
/// builds and hashes no string; an entry's word and category are copied
/// once per worker.  Hits of a scorer without numbers go straight into a
/// string-keyed map.  Sums per entry are added in occurrence order either
/// way.
#[derive(Debug, Default)]
struct HitTally {
    /// Entry number -> row + 1 (0: no row yet in this batch).
    by_entry: Vec<u32>,
    /// Per row: the sums, apart from the entry numbers so that the ones
    /// counted per hit stay close together in cache.
    sums: Vec<HitAgg>,
    /// Per row: entry number.
    rows: Vec<u32>,
    /// Entry number -> whether this worker has handed on its names; kept
    /// from batch to batch.
    named: Vec<bool>,
    /// Names met in this batch for the first time by this worker.
    fresh_names: Vec<(u32, String, String)>,
    unnumbered: Hits,
    key: String,
}

impl HitTally {
    fn record(&mut self, hit: &WordHit<'_>) {
        self.record_n(hit, 1);
    }

    /// Records `n` hits like `hit` (their applied values summed as
    /// `applied * n`).
    #[inline]
    fn record_n(&mut self, hit: &WordHit<'_>, n: u64) {
        let a = match hit.entry {
            Some(e) => {
                let i = e as usize;
                match self.by_entry.get(i) {
                    Some(&row) if row != 0 => &mut self.sums[row as usize - 1],
                    _ => self.first_in_batch(e, hit),
                }
            }
            None => hit_entry(
                &mut self.unnumbered,
                &mut self.key,
                hit.word,
                hit.category,
                hit.score,
            ),
        };
        a.count += n;
        a.applied += hit.applied * n as f64;
    }

    /// A row for entry `e`, hit for the first time in this batch.
    #[cold]
    fn first_in_batch(&mut self, e: u32, hit: &WordHit<'_>) -> &mut HitAgg {
        let i = e as usize;
        if i >= self.by_entry.len() {
            self.by_entry.resize(i + 1, 0);
            self.named.resize(i + 1, false);
        }
        if !self.named[i] {
            self.named[i] = true;
            self.fresh_names
                .push((e, hit.word.to_string(), hit.category.to_string()));
        }
        self.rows.push(e);
        self.sums.push(HitAgg::new(hit.score));
        self.by_entry[i] = self.rows.len() as u32;
        let last = self.sums.len() - 1;
        &mut self.sums[last]
    }

    /// Hands the batch's hits to `hits` and empties the tally.
    fn drain_into(&mut self, hits: &mut BatchHits, key: &mut String) {
        for &e in &self.rows {
            if let Some(slot) = self.by_entry.get_mut(e as usize) {
                *slot = 0;
            }
        }
        hits.numbered
            .extend(self.rows.drain(..).zip(self.sums.drain(..)));
        hits.names.append(&mut self.fresh_names);
        for (k, agg) in self.unnumbered.drain() {
            let (word, category) = hit_parts(&k);
            hit_entry(&mut hits.keyed, key, word, category, agg.score).add(&agg);
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

    /// VADER's pass over the batch's sentences (see [`Analysis::run`]):
    /// each VADER lexicon's sentence scores summed into the document's
    /// columns and divided by the number of sentences (NaN for none), and
    /// the arc, when VADER is the primary lexicon.
    fn vader_pass(&self, w: &mut Worker, out: &mut BatchOut, offsets: &[usize], primary: bool) {
        let mut polarity = std::mem::take(&mut w.polarity);
        let mut from = 0;
        for (k, (text, to)) in w.texts.iter().enumerate() {
            let spans = &w.spans[from..*to];
            from = *to;
            let row = &mut out.rows[k];
            polarity.clear();
            for (span, quiet) in spans {
                let sentence = &text[span.clone()];
                for (li, lex) in self.lexicons.iter().enumerate() {
                    if !lex.is_vader() {
                        continue;
                    }
                    let width = lex.columns().len();
                    let scratch = &mut w.scratch[..width];
                    if *quiet {
                        lex.score_neutral(scratch);
                    } else {
                        let tally = &mut w.tallies[li];
                        lex.score(sentence, &[], scratch, &mut |h| tally.record(&h));
                    }
                    for (v, s) in row.sentiment[offsets[li]..offsets[li] + width]
                        .iter_mut()
                        .zip(scratch.iter())
                    {
                        *v += s;
                    }
                    if li == 0 {
                        if let Some(p) = lex.polarity(scratch) {
                            polarity.push(p);
                        }
                    }
                }
            }
            let n = spans.len();
            for (li, lex) in self.lexicons.iter().enumerate() {
                if lex.is_vader() {
                    let width = lex.columns().len();
                    for v in &mut row.sentiment[offsets[li]..offsets[li] + width] {
                        *v = if n == 0 { f64::NAN } else { *v / n as f64 };
                    }
                }
            }
            if primary {
                out.arcs.add_document(&polarity, row.group.as_deref());
            }
        }
        w.polarity = polarity;
        w.spans.clear();
    }

    /// The whole-text lexicons' pass over the batch's documents (AFINN's;
    /// see [`Analysis::run`]): each one's score of the document's text in
    /// its columns.  Empties the batch's kept texts.
    fn whole_text_pass(&self, w: &mut Worker, out: &mut BatchOut, offsets: &[usize]) {
        for (li, lex) in self.lexicons.iter().enumerate() {
            if !lex.reads_text() || lex.is_vader() {
                continue;
            }
            let width = lex.columns().len();
            let tally = &mut w.tallies[li];
            for ((text, _), row) in w.texts.iter().zip(&mut out.rows) {
                let slots = &mut row.sentiment[offsets[li]..offsets[li] + width];
                lex.score(text, &[], slots, &mut |h| tally.record(&h));
            }
        }
        w.texts.clear();
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
            hits: (0..self.lexicons.len())
                .map(|_| BatchHits::default())
                .collect(),
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

        // The lexicons that read the text (VADER, AFINN) read the batch
        // after its words are counted, each in a pass of its own, rather
        // than sentence by sentence or document by document between the
        // counting: each pass's code then stays in the core's instruction
        // cache, and its tables in the data cache (on the bundled corpus,
        // simulated instruction-cache misses 8.6 M to 1.8 M, data-cache
        // misses 42 M to 39 M, for 0.3% more instructions; on 108 MB of
        // news 7-8% less processor time).  The sums are the same: each
        // lexicon keeps its own, in the same order.
        let text_passes = self.lexicons.iter().any(|l| l.reads_text());
        // Any VADER lexicon's scorer: the words that may make VADER score
        // a sentence are the same for both variants.
        let vader: Option<Vader> = self.lexicons.iter().find_map(|l| l.vader()).copied();
        let vader_pass = vader.is_some();
        let vader_primary = self.lexicons.first().is_some_and(|l| l.is_vader());
        w.spans.clear();
        w.texts.clear();
        // The lexicons that score tokens one by one: a token none of them
        // has an entry for (nearly every one) is not looked at again.
        let token_lexicons: Vec<&Lexicon> = self
            .lexicons
            .iter()
            .filter(|l| !l.reads_text())
            .map(|l| &**l)
            .collect();
        let mut detected: PerColumns<GroupAndDate> = PerColumns::default();
        for (k, mut doc) in batch.docs.into_iter().enumerate() {
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
                let sentence = &text[span.clone()];
                if !self.across_sentences {
                    dc.sentence();
                }
                fig.sentences += 1;
                w.sentence_sids.clear();
                let (tok, cache, sids) = (&mut w.tok, &mut w.cache, &mut w.sentence_sids);
                // The flags of the sentence's words, together.
                let mut flags = 0u8;
                tok.for_each_headed(sentence, |word, head| {
                    let sid = dc.token_headed(word, head);
                    if sid as usize == cache.len() {
                        let letters = if word.is_ascii() {
                            word.bytes().filter(u8::is_ascii_alphabetic).count()
                        } else {
                            word.chars().filter(|c| c.is_alphabetic()).count()
                        } as u32;
                        let lexical = token_lexicons
                            .iter()
                            .any(|l| l.has_token_headed(word, head));
                        let may = vader.is_some_and(|v| v.may_score_word_headed(word, head));
                        cache.push((
                            letters > 0,
                            letters,
                            lexiscope_stats::syllables(word),
                            (u8::from(lexical) * LEXICAL) | (u8::from(may) * MAY_SCORE),
                        ));
                    }
                    let (is_word, letters, syll, word_flags) = cache[sid as usize];
                    flags |= word_flags;
                    if is_word {
                        fig.words += 1;
                        fig.letters += u64::from(letters);
                        fig.syllables += u64::from(syll);
                    }
                    if word_flags & LEXICAL != 0 {
                        sids.push(sid);
                    }
                });
                if let Some(v) = vader {
                    // A sentence without a word that may score, checked
                    // for what the words do not show, is VADER's neutral
                    // one: about a sixth of news text, whose VADER pass
                    // then need not read it.
                    let quiet = flags & MAY_SCORE == 0 && v.is_quiet_unit(sentence);
                    w.spans.push((span, quiet));
                }
                // Sentence-level sentiment.
                let mut polarity = None;
                for (li, lex) in self.lexicons.iter().enumerate() {
                    // VADER scores sentence by sentence (its advice for long
                    // texts), in its own pass; token lexicons add up their
                    // tokens; a whole-text lexicon (AFINN) is scored per
                    // sentence only when it is the primary one, for the arc
                    // (its hits and document score come from the
                    // whole-text pass below).
                    if lex.is_vader() || (lex.reads_text() && li != 0) {
                        continue;
                    }
                    let width = lex.columns().len();
                    let scratch = &mut w.scratch[..width];
                    if lex.reads_text() {
                        lex.score(sentence, &[], scratch, &mut |_| {});
                    } else {
                        scratch.fill(0.0);
                        let effects = &mut w.effects[li];
                        let one = &mut w.one[..width];
                        for &sid in &w.sentence_sids {
                            if let Some(e) = effects.of(lex, sid, || dc.surface_headed(sid), one) {
                                effects.counts[e] += 1;
                                for &(c, v) in effects.values_of(e) {
                                    scratch[c] += v;
                                }
                            }
                        }
                        for (v, s) in values[offsets[li]..offsets[li] + width]
                            .iter_mut()
                            .zip(scratch.iter())
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
            // Arc: mean sentence polarity in each tenth of the document
            // (VADER's, when it is the primary lexicon, in its pass).
            out.arcs.add_document(&sentence_polarity, group.as_deref());
            w.polarity = sentence_polarity;
            if text_passes {
                w.texts.push((std::mem::take(&mut doc.text), w.spans.len()));
            }
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
        if vader_pass {
            self.vader_pass(w, &mut out, &offsets, vader_primary);
        }
        if text_passes {
            self.whole_text_pass(w, &mut out, &offsets);
        }
        // Token lexicons' hits go through their tallies, which are
        // otherwise unused (only text-reading lexicons record there).
        for (li, e) in w.effects.iter_mut().enumerate() {
            e.drain_into(&self.lexicons[li], &mut w.tallies[li]);
        }
        for (li, t) in w.tallies.iter_mut().enumerate() {
            t.drain_into(&mut out.hits[li], &mut w.key);
        }
        out.counts.seal();
        w.group_sizes = out.counts.group_sizes();
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The same words and categories with the same counts, applied sums
    /// and scores.
    fn assert_same_hits(got: &Hits, expected: &Hits) {
        assert_eq!(got.len(), expected.len());
        for (k, want) in expected {
            let g = got.get(k).unwrap_or_else(|| panic!("{k:?} missing"));
            assert_eq!(
                (g.count, g.applied, g.score),
                (want.count, want.applied, want.score),
                "{k:?}"
            );
        }
    }

    fn hit<'a>(word: &'a str, category: &'a str, applied: f64, entry: Option<u32>) -> WordHit<'a> {
        WordHit {
            word,
            category,
            score: 2.0,
            applied,
            entry,
        }
    }

    /// A token lexicon's hits counted per distinct token and handed on by
    /// number (two workers, three batches) sum to what every occurrence
    /// adds to a map keyed by word and category: the same counts, applied
    /// sums and scores, for a categorical lexicon and a valence one with a
    /// word on several lines.
    #[test]
    fn token_lexicon_hits_by_number_equal_hits_by_name() {
        let dir = tempfile::tempdir().unwrap();
        let lexicons = [
            "word,category\nzeal,joy\nabandon,fear\nzeal,trust\nabandon,anger\nzeal,joy\n",
            "word,score\ngood,2\nbad,-1.25\ngood,0.5\nmeh,0\nbad,-3\nodd,1\nodd,-0.5\n",
        ];
        let batches: [&[&str]; 3] = [
            &["zeal", "x", "good", "zeal", "bad", "odd"],
            &["abandon", "good", "meh", "y", "good"],
            &["odd", "zeal", "bad", "bad", "abandon"],
        ];
        for (k, text) in lexicons.iter().enumerate() {
            let path = dir.path().join(format!("lex{k}.csv"));
            std::fs::write(&path, text).unwrap();
            let lex = Lexicon::load(&lexiscope_sentiment::LexiconSpec::File(path)).unwrap();
            let width = lex.columns().len();
            let mut expected = Hits::new();
            let mut key = String::new();
            let mut merge = HitsMerge::default();
            let mut workers = [
                (TokenEffects::default(), HitTally::default()),
                (TokenEffects::default(), HitTally::default()),
            ];
            for (b, tokens) in batches.iter().enumerate() {
                let (effects, tally) = &mut workers[b % 2];
                // Surface ids as a batch's interner gives them.
                let mut sids: Vec<&str> = Vec::new();
                for &t in tokens.iter() {
                    let sid = match sids.iter().position(|&s| s == t) {
                        Some(i) => i,
                        None => {
                            sids.push(t);
                            sids.len() - 1
                        }
                    } as u32;
                    let head = lexiscope_text::words::head16(t.as_bytes());
                    let mut one = vec![0.0; width];
                    if let Some(e) = effects.of(&lex, sid, || (t, head), &mut one) {
                        effects.counts[e] += 1;
                    }
                    lex.score("", &[t], &mut vec![0.0; width], &mut |h| {
                        let e = hit_entry(&mut expected, &mut key, h.word, h.category, h.score);
                        e.count += 1;
                        e.applied += h.applied;
                    });
                }
                let mut out = BatchHits::default();
                effects.drain_into(&lex, tally);
                tally.drain_into(&mut out, &mut key);
                assert!(out.keyed.is_empty(), "every hit went by number");
                merge.add(out);
            }
            assert!(!expected.is_empty());
            assert_same_hits(&merge.finish(), &expected);
        }
    }

    /// The lexicons that read the text (VADER, AFINN) score the batch in
    /// passes of their own after the counting; their columns, hits and
    /// arcs are what scoring each document's sentences (VADER, and the
    /// primary lexicon's polarity) and whole text (AFINN) one by one gives,
    /// to the bit, with VADER or AFINN as the primary lexicon, two VADER
    /// variants, a document without sentences and documents in groups.
    #[test]
    fn text_lexicons_in_their_own_passes_score_as_one_by_one() {
        use lexiscope_sentiment::LexiconSpec as L;
        let texts = [
            "What a great day! The food was awful, truly awful. But we LOVED the music :)",
            "",
            "Nothing much happened.\n\nThen the storm came; people were afraid and angry.",
            "Good. Bad. Not good at all?! I don't hate it, I guess. Wonderful, terrible, fine.",
            "No punctuation at all and yet some joy and some grief",
        ];
        let columns: Arc<[Arc<str>]> = Arc::from(vec![Arc::<str>::from("outlet")]);
        let outlets = ["a.com", "b.org", "a.com", "", "b.org"];
        for specs in [
            vec![L::Vader, L::Afinn, L::Bing],
            vec![L::Afinn, L::VaderNews, L::Vader],
        ] {
            let lexicons: Vec<Arc<Lexicon>> = specs
                .iter()
                .map(|s| Arc::new(Lexicon::load(s).unwrap()))
                .collect();
            let analysis = Analysis {
                count_opts: Arc::new(CountOptions::default()),
                lexicons: lexicons.clone(),
                group: ColumnChoice::Named("outlet".into()),
                date: ColumnChoice::Off,
                across_sentences: false,
            };
            let docs = texts
                .iter()
                .zip(outlets)
                .enumerate()
                .map(|(i, (t, o))| lexiscope_ingest::Document {
                    id: format!("d{i}"),
                    text: t.to_string(),
                    meta: Meta::new(columns.clone(), &[o]),
                    origin: lexiscope_ingest::Origin {
                        path: Arc::from("test"),
                        line: Some(i as u64 + 2),
                    },
                })
                .collect();
            let out = analysis.run(&mut Worker::default(), Batch { first: 0, docs });

            let mut key = String::new();
            let mut expected_hits: Vec<Hits> = lexicons.iter().map(|_| Hits::new()).collect();
            let mut expected_arcs = Arcs::default();
            for (k, text) in texts.iter().enumerate() {
                let mut want: Vec<f64> = Vec::new();
                let mut polarity = Vec::new();
                for (li, lex) in lexicons.iter().enumerate() {
                    let width = lex.columns().len();
                    let mut sums = vec![0.0; width];
                    let mut record = |h: WordHit<'_>, hits: &mut Hits| {
                        let e = hit_entry(hits, &mut key, h.word, h.category, h.score);
                        e.count += 1;
                        e.applied += h.applied;
                    };
                    if lex.is_vader() {
                        let mut n = 0;
                        for span in sentences(text) {
                            let mut one = vec![0.0; width];
                            lex.score(&text[span], &[], &mut one, &mut |h| {
                                record(h, &mut expected_hits[li])
                            });
                            for (s, v) in sums.iter_mut().zip(&one) {
                                *s += v;
                            }
                            if li == 0 {
                                polarity.extend(lex.polarity(&one));
                            }
                            n += 1;
                        }
                        for s in &mut sums {
                            *s = if n == 0 { f64::NAN } else { *s / n as f64 };
                        }
                        want.extend(sums);
                    } else if lex.reads_text() {
                        lex.score(text, &[], &mut sums, &mut |h| {
                            record(h, &mut expected_hits[li])
                        });
                        want.extend(sums);
                        if li == 0 {
                            for span in sentences(text) {
                                let mut one = vec![0.0; width];
                                lex.score(&text[span], &[], &mut one, &mut |_| {});
                                polarity.extend(lex.polarity(&one));
                            }
                        }
                    } else {
                        // Token lexicons are not part of these passes.
                        want.extend(&out.rows[k].sentiment[want.len()..want.len() + width]);
                    }
                }
                let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
                assert_eq!(bits(&out.rows[k].sentiment), bits(&want), "document {k}");
                let group = out.rows[k].group.as_deref();
                expected_arcs.add_document(&polarity, group);
            }
            assert_eq!(
                format!("{:?}", out.arcs.by_group),
                format!("{:?}", expected_arcs.by_group)
            );
            assert!(out.arcs.by_group.contains_key("a.com"));
            for (li, hits) in out.hits.into_iter().enumerate() {
                if !lexicons[li].reads_text() {
                    continue;
                }
                let mut merge = HitsMerge::default();
                merge.add(hits);
                assert!(!expected_hits[li].is_empty());
                assert_same_hits(&merge.finish(), &expected_hits[li]);
            }
        }
    }

    /// Two workers' tallies over three batches, merged in batch order: the
    /// sums of numbered and unnumbered hits are those of one map keyed by
    /// word and category, each entry's names handed on once per worker.
    #[test]
    fn numbered_and_keyed_hits_merge_by_word_and_category() {
        let (mut w1, mut w2) = (HitTally::default(), HitTally::default());
        let mut key = String::new();
        let mut merge = HitsMerge::default();
        let mut expected = Hits::new();
        let mut batch = |tally: &mut HitTally, hits: &[WordHit<'_>], merge: &mut HitsMerge| {
            for h in hits {
                tally.record(h);
                let e = hit_entry(&mut expected, &mut key, h.word, h.category, h.score);
                e.count += 1;
                e.applied += h.applied;
            }
            let mut out = BatchHits::default();
            tally.drain_into(&mut out, &mut String::new());
            let names = out.names.len();
            merge.add(out);
            names
        };
        let first = [
            hit("good", "positive", 1.5, Some(7)),
            hit("bad", "negative", -2.0, Some(2)),
            hit("good", "positive", 0.5, Some(7)),
            hit("meh", "neutral", 0.25, None),
        ];
        assert_eq!(batch(&mut w1, &first, &mut merge), 2);
        let second = [
            hit("good", "positive", 3.0, Some(7)),
            hit("odd", "negative", -1.0, Some(40)),
        ];
        assert_eq!(batch(&mut w2, &second, &mut merge), 2);
        // The first worker again: only the entry new to it brings its names.
        let third = [
            hit("bad", "negative", -0.5, Some(2)),
            hit("odd", "negative", -4.0, Some(40)),
            hit("meh", "neutral", 0.75, None),
        ];
        assert_eq!(batch(&mut w1, &third, &mut merge), 1);
        let got = merge.finish();
        assert_same_hits(&got, &expected);
        assert_eq!(got["good\u{1}positive"].count, 3);
        assert_eq!(got["odd\u{1}negative"].applied, -5.0);
    }
}
