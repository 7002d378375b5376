//! Term and n-gram counting, per batch of documents, mergeable.

use std::collections::HashMap;
use std::sync::Arc;

use lexiscope_text::words::order_key_of_head;
use lexiscope_text::{Stemmer, StopWords};
use prefetch_index::prefetch_index;
use rayon::iter::{
    IndexedParallelIterator, IntoParallelRefIterator, IntoParallelRefMutIterator, ParallelIterator,
};
use rayon::slice::ParallelSliceMut;

use crate::bigram_log::{self, BigramLog};
use crate::interner::Interner;
use crate::table::{CountTable, TermCounts};

/// Dense id of a counted term (a word after stop-word removal and stemming).
pub type TermId = u32;
/// Dense id of a surface token (every distinct token, stop words included).
pub type SurfaceId = u32;

const NONE: u32 = u32::MAX;

/// What to count.
#[derive(Debug, Clone)]
pub struct CountOptions {
    /// Longest n-gram counted (1: words only; 2: words and bigrams; ...).
    pub max_ngram: usize,
    /// Stop words: left out of the terms, and an n-gram holding one is dropped.
    pub stop_words: StopWords,
    /// Count Snowball stems instead of words (stop words are matched first).
    pub stem: bool,
    /// Keep each document's term counts so tf-idf can be computed per
    /// document after the corpus is counted (see [`Counts::merge`]).
    pub doc_terms: bool,
    /// Window of the moving-average type/token ratio (MATTR); 0 skips it
    /// (and the per-document token list it needs).
    pub mattr_window: usize,
    /// With [`CountOptions::doc_terms`]: fill the groups' term tables when
    /// batches are merged, from each document's term list, rather than as
    /// the documents are counted.  Each term is then added once, into the
    /// merged counts' table, instead of into the batch's table and again
    /// when that table is merged (on 108 MB of news this took a third off
    /// what grouping costs the report, 0.245 to 0.16 s of processor time).
    /// Counts that counted documents themselves then have empty group
    /// term tables (documents and tokens per group are kept), and only
    /// the documents of counts merged into others reach those others'
    /// tables.
    pub group_terms_at_merge: bool,
}

impl Default for CountOptions {
    fn default() -> Self {
        CountOptions {
            max_ngram: 2,
            stop_words: StopWords::default(),
            stem: false,
            doc_terms: false,
            mattr_window: 100,
            group_terms_at_merge: false,
        }
    }
}

/// A count and the number of documents it occurs in.
#[derive(Debug, Clone, Copy, Default)]
pub struct Cnt {
    /// Occurrences.
    pub count: u64,
    /// Documents with at least one occurrence; merging stops adding at
    /// `u32::MAX` (4,294,967,295) documents.  Four bytes, so that a count
    /// with its text's head fills half a cache line in the interner.
    pub docs: u32,
    /// Last document (batch-local index) that counted it.
    last: u32,
}

impl PartialEq for Cnt {
    /// Counts are equal when their count and document frequency are; the
    /// scratch fields are not compared.
    fn eq(&self, other: &Cnt) -> bool {
        self.count == other.count && self.docs == other.docs
    }
}

impl Eq for Cnt {}

impl Cnt {
    /// Counts one occurrence in (batch-local) document `doc`, and says
    /// whether it is the document's first.  Whether a word is new to its
    /// document is a coin toss the processor cannot predict, so this takes
    /// no branch on it (the token loops' count; [`Cnt::bump`] is the
    /// tables').
    #[inline(always)]
    pub(crate) fn count_in(&mut self, doc: u32) -> bool {
        self.count += 1;
        let first = self.last != doc;
        self.last = doc;
        self.docs += u32::from(first);
        first
    }

    /// Counts one occurrence in (batch-local) document `doc`.
    #[inline]
    pub(crate) fn bump(&mut self, doc: u32) {
        self.count += 1;
        if self.last != doc {
            self.last = doc;
            self.docs += 1;
        }
    }

    /// Adds the counts of a later part of the same batch, whose first
    /// document is `first`: a document split between the parts is one.
    pub(crate) fn add_later(&mut self, later: &Cnt, first: u32) {
        self.count += later.count;
        self.docs = self
            .docs
            .saturating_add(later.docs - u32::from(self.last == first));
        self.last = later.last;
    }

    pub(crate) fn add(&mut self, other: &Cnt) {
        self.count += other.count;
        self.docs = self.docs.saturating_add(other.docs);
        self.last = NONE;
    }
}

/// A count of nothing yet.
pub(crate) fn fresh() -> Cnt {
    Cnt {
        count: 0,
        docs: 0,
        last: NONE,
    }
}

/// Per-group term counts (for `--by`, keyness and tf-idf by group).
#[derive(Debug, Clone, Default)]
pub struct GroupCounts {
    /// Documents in the group.
    pub documents: u64,
    /// All tokens of the group's documents, stop words included.
    pub tokens: u64,
    /// Terms of the group's documents (stop words removed).
    pub term_tokens: u64,
    /// Term -> count and document frequency within the group.
    pub terms: TermCounts,
}

/// The term counts of one document, kept for tf-idf.
#[derive(Debug, Clone, PartialEq)]
pub struct DocTerms {
    /// Position of the document in the corpus (0-based, input order).
    pub doc: u64,
    /// All tokens of the document, stop words included (tidytext's `total`).
    pub tokens: u64,
    /// (term, count) for each distinct term, in order of first occurrence.
    pub terms: Vec<(TermId, u32)>,
}

/// Figures about one document, returned by [`DocCounter::finish`].
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct DocSummary {
    /// Tokens, stop words included.
    pub tokens: u64,
    /// Distinct tokens.
    pub types: u64,
    /// Tokens that are not stop words.
    pub terms: u64,
    /// Moving-average type/token ratio over the configured window; the plain
    /// type/token ratio for documents shorter than the window; NaN when empty
    /// or when MATTR is off (window 0).
    pub mattr: f64,
}

/// Counts of a batch of documents, or of a whole corpus once batches are
/// merged.  Merging is exact: counting documents in parts and merging the
/// parts in order gives the same tables as counting them in one go.
#[derive(Debug, Clone)]
pub struct Counts {
    opts: Arc<CountOptions>,
    stemmer: Option<Arc<Stemmer>>,
    /// Without stemming a term is its surface: term ids are surface ids and
    /// the surface's own record holds the term's counts (one memory access
    /// per token instead of two).  The `terms` interner is then unused.
    identity: bool,
    /// Every distinct token, with its counts kept beside its text in the
    /// interner (the record a lookup has just read).
    surfaces: Interner<Cnt>,
    /// Per surface: its term (`NONE` for a stop word) and its occurrences
    /// in the document being counted (kept apart from its record, so that
    /// the record is 32 bytes; side by side, so that a token reads one
    /// place for both).
    surface_term: Vec<(TermId, u32)>,
    terms: Interner,
    term_cnt: Vec<Cnt>,
    term_tf: Vec<u32>,
    /// Bigrams counted in a table: the merged corpus's, or a batch's when
    /// its ids outgrow the log's packed entries.  While empty, a batch
    /// writes its bigrams down in `bigram_log` instead.
    bigrams: CountTable<u64>,
    bigram_log: BigramLog,
    longer: Vec<hashbrown::HashMap<Box<[TermId]>, Cnt>>,
    groups: HashMap<Box<str>, GroupCounts>,
    group_order: Vec<Box<str>>,
    /// Terms a new group's table has room for before it grows, for the
    /// first `group_budget` groups (see [`Counts::expect_group_terms`]).
    group_capacity: usize,
    group_budget: usize,
    doc_terms: Vec<DocTerms>,
    /// With [`CountOptions::group_terms_at_merge`], the batch-local group
    /// of each document in `doc_terms`.
    doc_groups: Vec<Option<usize>>,
    /// Scratch for the n-gram window of the document being counted.
    recent: Vec<TermId>,
    /// Per document of this batch: (tokens, number of surfaces known after it).
    growth: Vec<(u64, u32)>,
    /// Heaps' law points (tokens so far, types so far), filled by merging.
    heaps: Vec<(u64, u64)>,
    next_heaps_mark: u64,
    tokens: u64,
    term_tokens: u64,
    /// Documents counted by [`PlainDoc`], whose terms `term_tokens` lacks.
    plain_docs: u64,
    documents: u64,
    /// Scratch for the document being counted.
    doc_sids: Vec<SurfaceId>,
    doc_tids: Vec<TermId>,
    window: Vec<u32>,
}

impl Counts {
    /// Empty counts with these options.
    pub fn new(opts: Arc<CountOptions>) -> Self {
        let stem = opts.stem;
        let stemmer = stem.then(|| Arc::new(Stemmer::english()));
        let longer = (3..=opts.max_ngram.max(2))
            .map(|_| hashbrown::HashMap::new())
            .collect();
        Counts {
            identity: !opts.stem,
            opts,
            stemmer,
            // A 2 MB batch of news holds about 30,000 distinct tokens.
            surfaces: Interner::with_init(1 << 15, 1 << 18, fresh()),
            surface_term: Vec::with_capacity(1 << 15),
            // Terms apart from surfaces only when stemming (see `identity`).
            terms: if stem {
                Interner::with_capacity(1 << 15, 1 << 18)
            } else {
                Interner::new()
            },
            term_cnt: Vec::new(),
            term_tf: Vec::new(),
            bigrams: CountTable::default(),
            bigram_log: BigramLog::default(),
            longer,
            groups: HashMap::new(),
            group_order: Vec::new(),
            group_capacity: 0,
            group_budget: 0,
            doc_terms: Vec::new(),
            doc_groups: Vec::new(),
            recent: Vec::new(),
            growth: Vec::new(),
            heaps: Vec::new(),
            next_heaps_mark: 1,
            tokens: 0,
            term_tokens: 0,
            plain_docs: 0,
            documents: 0,
            doc_sids: Vec::new(),
            doc_tids: Vec::new(),
            window: Vec::new(),
        }
    }

    /// The options these counts were made with.
    pub fn options(&self) -> &Arc<CountOptions> {
        &self.opts
    }

    /// Starts counting a document.  `doc` is its position in the corpus
    /// (used for the tf-idf log) and `group` its group, if grouping.
    pub fn doc(&mut self, doc: u64, group: Option<&str>) -> DocCounter<'_> {
        self.doc_sids.clear();
        self.doc_tids.clear();
        let group = group.map(|g| self.group_index(g));
        let mut recent = std::mem::take(&mut self.recent);
        recent.clear();
        DocCounter {
            doc,
            local: self.documents as u32,
            group,
            tokens: 0,
            types: 0,
            terms: 0,
            recent,
            prev: NONE,
            max_n: self.opts.max_ngram,
            mattr: self.opts.mattr_window > 0,
            terms_wanted: group.is_some() || self.opts.doc_terms,
            c: self,
        }
    }

    /// Starts counting a document for its words' counts alone, or `None`
    /// when stemming (whose terms need each token's surface looked up):
    /// no group, no n-grams, no per-document figures (see [`PlainDoc`]).
    /// Mixes with [`Counts::doc`]'s documents.
    pub fn plain_doc(&mut self) -> Option<PlainDoc<'_>> {
        if !self.identity {
            return None;
        }
        Some(PlainDoc {
            local: self.documents as u32,
            tokens: 0,
            queue: ShortQueue::new(),
            c: self,
        })
    }

    fn group_index(&mut self, g: &str) -> usize {
        if let Some(i) = self.group_order.iter().position(|x| &**x == g) {
            return i;
        }
        self.group_order.push(g.into());
        let capacity = if self.groups.len() < self.group_budget {
            self.group_capacity
        } else {
            0
        };
        self.groups.entry(g.into()).or_insert_with(|| GroupCounts {
            terms: TermCounts::with_capacity(capacity),
            ..GroupCounts::default()
        });
        self.group_order.len() - 1
    }

    /// Sizes the term tables of the first `groups` groups met from now on
    /// for `n` terms each: a worker that counted a batch passes on how many
    /// groups it met and the mean size their tables reached (see
    /// [`Counts::group_sizes`]), so that the next batch's tables do not
    /// grow step by step from nothing (growing them was 2% of the report's
    /// processor time).  Groups past the first `groups` start small, so
    /// that a batch with many more groups than the last one does not
    /// reserve room for all of them.  Only a size: the counts are the same.
    pub fn expect_group_terms(&mut self, groups: usize, n: usize) {
        self.group_budget = groups;
        self.group_capacity = n;
    }

    /// The number of groups met and the mean number of distinct terms
    /// each one holds (0 without groups).
    pub fn group_sizes(&self) -> (usize, usize) {
        let n = self.groups.len();
        if n == 0 {
            return (0, 0);
        }
        (
            n,
            self.groups.values().map(|g| g.terms.len()).sum::<usize>() / n,
        )
    }

    /// The surface id of `word`, whose head the caller has (see
    /// [`Interner::intern_headed`]), adding it if it is new.
    #[inline(always)]
    fn surface_headed(&mut self, word: &str, head: [u64; 2]) -> SurfaceId {
        let hash = self.surfaces.hash_of(word, head);
        self.surface_hashed(word, head, hash)
    }

    /// [`Counts::surface_headed`] with the interner's hash of the word
    /// computed (see [`Interner::hash_of`]).
    #[inline(always)]
    fn surface_hashed(&mut self, word: &str, head: [u64; 2], hash: u64) -> SurfaceId {
        let (sid, new) = self.surfaces.intern_hashed(word, head, hash);
        if new {
            self.new_surface(sid);
        }
        sid
    }

    /// [`Counts::surface_hashed`] of a word of at most 16 bytes known by
    /// its head and length (see [`ShortQueue`]).
    #[inline(always)]
    fn surface_short(&mut self, head: [u64; 2], len: usize, hash: u64) -> SurfaceId {
        let (sid, new) = self.surfaces.intern_short(head, len, hash);
        if new {
            self.new_surface(sid);
        }
        sid
    }

    /// The term of a surface just added: none for a stop word, else the
    /// surface itself, or its stem's.
    #[cold]
    #[inline(never)]
    fn new_surface(&mut self, sid: SurfaceId) {
        let word = self.surfaces.resolve(sid);
        let tid = if self.opts.stop_words.contains(word) {
            NONE
        } else if self.identity {
            sid
        } else {
            let (tid, new_term) = match &self.stemmer {
                Some(s) => self.terms.intern(&s.stem(word)),
                None => self.terms.intern(word),
            };
            if new_term {
                self.term_cnt.push(fresh());
                self.term_tf.push(0);
            }
            tid
        };
        self.surface_term.push((tid, 0));
    }

    /// Adds another batch's counts to these; `other` must have counted the
    /// documents that come right after the ones already here.  Returns the
    /// other batch's per-document term lists with their ids translated to
    /// these counts' ids (empty unless [`CountOptions::doc_terms`]).
    pub fn merge(&mut self, mut other: Counts) -> Vec<DocTerms> {
        other.seal();
        self.bigrams_to_table();
        // Surfaces, in the other batch's order of first appearance, document
        // by document so that Heaps' law sees the corpus in order.
        // Each lookup in these counts' larger table tends to miss the cache,
        // and every string to look up is known: the lookups are hashed
        // first, and each one's slot is asked for 16 lookups ahead, its
        // record 8 ahead (the first few lookups go unprefetched).
        let hashes: Vec<u64> = (0..other.surfaces.len() as u32)
            .map(|id| {
                self.surfaces
                    .hash_of(other.surfaces.resolve(id), other.surfaces.head(id))
            })
            .collect();
        let len_of = |id: usize| other.surfaces.resolve(id as u32).len();
        let mut sid_map = Vec::with_capacity(other.surfaces.len());
        let mut next = 0u32;
        let merge_one = |this: &mut Counts, next: u32| {
            let i = next as usize;
            if let Some(&h) = hashes.get(i + 16) {
                this.surfaces.prefetch_slot(h);
            }
            if let Some(&h) = hashes.get(i + 8) {
                this.surfaces.prefetch_record(h, len_of(i + 8));
            }
            let s = other.surfaces.resolve(next);
            this.surface_hashed(s, other.surfaces.head(next), hashes[i])
        };
        for &(doc_tokens, known_after) in &other.growth {
            while next < known_after {
                sid_map.push(merge_one(self, next));
                next += 1;
            }
            self.tokens += doc_tokens;
            self.heaps_point();
        }
        while (next as usize) < other.surfaces.len() {
            sid_map.push(merge_one(self, next));
            next += 1;
        }
        for (local, cnt) in other.surfaces.values().enumerate() {
            self.surfaces.val_mut(sid_map[local]).add(cnt);
        }
        let tid_map = if self.identity {
            // Term ids are surface ids, and the surfaces' counts are merged.
            sid_map
        } else {
            let mut tid_map = Vec::with_capacity(other.terms.len());
            for t in 0..other.terms.len() as u32 {
                let (tid, new) = self.terms.intern(other.terms.resolve(t));
                if new {
                    self.term_cnt.push(fresh());
                    self.term_tf.push(0);
                }
                tid_map.push(tid);
            }
            for (local, cnt) in other.term_cnt.iter().enumerate() {
                self.term_cnt[tid_map[local] as usize].add(cnt);
            }
            tid_map
        };
        // The corpus's bigram table is larger than a core's cache: every
        // key is translated first, so that the lookups can be asked for
        // ahead of their turn.
        let bigrams: Vec<(u64, Cnt)> = other
            .bigram_entries()
            .map(|(key, cnt)| {
                let (a, b) = unpack(key);
                (pack(tid_map[a as usize], tid_map[b as usize]), *cnt)
            })
            .collect();
        self.bigrams.add_all(&bigrams);
        for (n, table) in other.longer.iter().enumerate() {
            for (key, cnt) in table {
                let k: Box<[TermId]> = key.iter().map(|&t| tid_map[t as usize]).collect();
                self.longer[n].entry(k).or_insert_with(fresh).add(cnt);
            }
        }
        // The groups that hold a quarter of the terms count into arrays
        // (see `TermCounts`).
        let terms = self.term_len();
        for g in self.groups.values_mut() {
            g.terms.densify(terms);
        }
        for name in &other.group_order {
            let Some(g) = other.groups.get(name) else {
                continue;
            };
            self.group_index(name);
            let mine = self.groups.entry(name.clone()).or_default();
            mine.documents += g.documents;
            mine.tokens += g.tokens;
            mine.term_tokens += g.term_tokens;
            let terms: Vec<(TermId, Cnt)> = g
                .terms
                .iter()
                .map(|(t, cnt)| (tid_map[t as usize], *cnt))
                .collect();
            mine.terms.add_all(&terms);
        }
        self.term_tokens += other.term_tokens;
        self.plain_docs += other.plain_docs;
        self.documents += other.documents;
        let docs: Vec<DocTerms> = other
            .doc_terms
            .into_iter()
            .map(|mut d| {
                for e in &mut d.terms {
                    e.0 = tid_map[e.0 as usize];
                }
                d
            })
            .collect();
        // Group term tables filled here (see
        // `CountOptions::group_terms_at_merge`), document by document.
        for (d, g) in docs.iter().zip(&other.doc_groups) {
            let Some(name) = g.and_then(|g| other.group_order.get(g)) else {
                continue;
            };
            if let Some(mine) = self.groups.get_mut(name) {
                add_doc_terms(&mut mine.terms, &d.terms);
            }
        }
        docs
    }

    /// Counts the bigrams written down so far (see `BigramLog`).  Workers
    /// call it at the end of a batch, so that the work is done there rather
    /// than by [`Counts::merge`] (which calls it too); the tables that list
    /// bigrams need it done.
    pub fn seal(&mut self) {
        self.bigram_log.runs();
    }

    /// Counts the bigram (`a`, `b`) in the batch-local document `doc` when
    /// `keep`: in the bigram log while it holds them all and the ids fit
    /// its entries, else in the bigram table.  The log's case takes no
    /// branch on `keep` (whether two words make a bigram is as good as
    /// random).
    #[inline(always)]
    fn bigram_if(&mut self, keep: bool, a: TermId, b: TermId, doc: u32) {
        if self.bigrams.is_empty() & (bigram_log::fits(a, b, doc) | !keep) {
            self.bigram_log.push_if(keep, a, b, doc);
        } else if keep {
            self.bigrams_to_table();
            self.bigrams.entry(pack(a, b)).0.bump(doc);
        }
    }

    /// Moves the bigrams counted by the log into the table.
    fn bigrams_to_table(&mut self) {
        if self.bigram_log.is_empty() {
            return;
        }
        for (k, c) in self.bigram_log.take_runs() {
            match self.bigrams.entry(k) {
                (e, true) => *e = c,
                (e, false) => e.add(&c),
            }
        }
    }

    /// Every bigram's key and counts (the table's, or the log's).
    fn bigram_entries(&self) -> impl Iterator<Item = (u64, &Cnt)> + '_ {
        assert!(
            !self.bigram_log.has_pending(),
            "Counts::seal must be called before bigrams are read"
        );
        self.bigrams
            .iter()
            .chain(self.bigram_log.counted().iter().map(|(k, c)| (*k, c)))
    }

    /// Records a Heaps' law point at roughly 1% steps of the token count.
    fn heaps_point(&mut self) {
        if self.tokens >= self.next_heaps_mark {
            self.heaps.push((self.tokens, self.surfaces.len() as u64));
            self.next_heaps_mark = (self.tokens + self.tokens / 100).max(self.tokens + 1);
        }
    }

    /// Tokens counted, stop words included.
    pub fn tokens(&self) -> u64 {
        self.tokens
    }

    /// Tokens that are not stop words.
    pub fn term_tokens(&self) -> u64 {
        if self.plain_docs == 0 {
            return self.term_tokens;
        }
        // Plain documents counted their tokens only in their surfaces'
        // records, and without stemming every token is a term but for the
        // stop words.
        let stop: u64 = self
            .surfaces
            .values()
            .zip(&self.surface_term)
            .filter(|(_, &(tid, _))| tid == NONE)
            .map(|(c, _)| c.count)
            .sum();
        self.tokens - stop
    }

    /// Documents counted.
    pub fn documents(&self) -> u64 {
        self.documents
    }

    /// Distinct tokens (types), stop words included.
    pub fn types(&self) -> usize {
        self.surfaces.len()
    }

    /// Types that occur exactly once (hapax legomena).
    pub fn hapaxes(&self) -> usize {
        self.surfaces.values().filter(|c| c.count == 1).count()
    }

    /// One more than the largest term id (term ids are dense below it; with
    /// no stemming they are surface ids, stop words' ids unused).
    pub fn term_len(&self) -> usize {
        if self.identity {
            self.surfaces.len()
        } else {
            self.terms.len()
        }
    }

    /// The text of a term.
    pub fn term(&self, id: TermId) -> &str {
        if self.identity {
            self.surfaces.resolve(id)
        } else {
            self.terms.resolve(id)
        }
    }

    /// The [`order_key`](lexiscope_text::words::order_key) of a term's
    /// text, from the head its interner keeps.
    fn term_order_key(&self, id: TermId) -> u64 {
        order_key_of_head(if self.identity {
            self.surfaces.head(id)
        } else {
            self.terms.head(id)
        })
    }

    /// The id of a term, if counted.
    pub fn term_id(&self, term: &str) -> Option<TermId> {
        if self.identity {
            self.surfaces
                .get(term)
                .filter(|&s| self.surface_term[s as usize].0 != NONE)
        } else {
            self.terms.get(term)
        }
    }

    /// Count and document frequency of a term.
    pub fn term_cnt(&self, id: TermId) -> Cnt {
        if self.identity {
            *self.surfaces.val(id)
        } else {
            self.term_cnt[id as usize]
        }
    }

    /// Every distinct token with its count, stop words included, sorted by
    /// count (descending) then text (ascending).
    pub fn surfaces_sorted(&self) -> Vec<(&str, Cnt)> {
        let s = &self.surfaces;
        let ids = ids_by_count_then_text(
            s.len(),
            |i| Some(s.val(i).count),
            |i| order_key_of_head(s.head(i)),
            |i| s.resolve(i),
        );
        ids.into_iter().map(|i| (s.resolve(i), *s.val(i))).collect()
    }

    /// The count of every distinct token, stop words included, largest
    /// first (the counts of [`Counts::surfaces_sorted`], without their text).
    pub fn surface_counts_desc(&self) -> Vec<u64> {
        let mut v: Vec<u64> = self.surfaces.values().map(|c| c.count).collect();
        v.sort_unstable_by(|a, b| b.cmp(a));
        v
    }

    /// Every term with its count, sorted by count then text.
    pub fn terms_sorted(&self) -> Vec<(&str, Cnt)> {
        let ids = self.term_ids_sorted();
        // The ids come in count order and their records lie anywhere: each
        // one's record is asked for a few rows ahead, on rayon's threads.
        let mut rows = Vec::with_capacity(ids.len());
        ids.par_iter()
            .enumerate()
            .map(|(i, &t)| {
                if let Some(&ahead) = ids.get(i + 8) {
                    self.prefetch_term(ahead);
                }
                (self.term(t), self.term_cnt(t))
            })
            .collect_into_vec(&mut rows);
        rows
    }

    /// Starts fetching what [`Counts::term`] and [`Counts::term_cnt`] read.
    #[inline]
    pub fn prefetch_term(&self, id: TermId) {
        if self.identity {
            self.surfaces.prefetch_id(id);
        } else {
            self.terms.prefetch_id(id);
            prefetch_index(&self.term_cnt, id as usize);
        }
    }

    /// The ids of [`Counts::terms_sorted`]'s terms, in its order: for a
    /// caller that reads each term's text and counts as it writes them
    /// ([`Counts::term`], [`Counts::term_cnt`]), with no table of rows in
    /// between.
    pub fn term_ids_sorted(&self) -> Vec<TermId> {
        let counted = |t: TermId| {
            let c = self.term_cnt(t).count;
            (c > 0 && (!self.identity || self.surface_term[t as usize].0 != NONE)).then_some(c)
        };
        ids_by_count_then_text(
            self.term_len(),
            counted,
            |t| self.term_order_key(t),
            |t| self.term(t),
        )
    }

    /// Every bigram as its two words' ids, in [`Counts::ngrams_sorted`]'s
    /// order (count descending, then the joined text); [`Counts::push_bigram`]
    /// writes one's text.  No text is built or compared while sorting.
    pub fn bigrams_sorted(&self) -> Vec<(TermId, TermId, Cnt)> {
        let Some(rank) = self.alphabetical_ranks() else {
            // A term holds a space or a control byte: compare the texts.
            let mut v: Vec<(TermId, TermId, Cnt)> = self.bigrams().collect();
            let text = |a: TermId, b: TermId| {
                self.term(a)
                    .bytes()
                    .chain(std::iter::once(b' '))
                    .chain(self.term(b).bytes())
            };
            v.sort_unstable_by(|x, y| {
                y.2.count
                    .cmp(&x.2.count)
                    .then_with(|| text(x.0, x.1).cmp(text(y.0, y.1)))
            });
            return v;
        };
        // Ordered by the words' ranks: the same order as by the joined text.
        // Count and ranks packed into one integer when they fit (ranks
        // below 2^17, counts below 2^30): one comparison per step.
        const RANK_BITS: u32 = 17;
        let mut v: Vec<(u64, u32, u32, TermId, TermId, Cnt)> = self
            .bigram_entries()
            .map(|(k, c)| {
                let (a, b) = unpack(k);
                (0, rank[a as usize], rank[b as usize], a, b, *c)
            })
            .collect();
        let fits = rank.len() <= 1 << RANK_BITS && v.iter().all(|x| x.5.count < 1 << 30);
        if fits {
            for x in &mut v {
                x.0 = (((1u64 << 30) - 1 - x.5.count) << (2 * RANK_BITS))
                    | (u64::from(x.1) << RANK_BITS)
                    | u64::from(x.2);
            }
            v.sort_unstable_by_key(|x| x.0);
        } else {
            v.sort_unstable_by(|x, y| {
                y.5.count
                    .cmp(&x.5.count)
                    .then_with(|| (x.1, x.2).cmp(&(y.1, y.2)))
            });
        }
        v.into_iter().map(|(_, _, _, a, b, c)| (a, b, c)).collect()
    }

    /// Appends the text of bigram `a b` (the two words, a space between)
    /// to `out`.
    pub fn push_bigram(&self, a: TermId, b: TermId, out: &mut String) {
        out.push_str(self.term(a));
        out.push(' ');
        out.push_str(self.term(b));
    }

    /// Every n-gram of length `n` (2 or more, up to `max_ngram`) as its words
    /// joined by a space, sorted by count then text.
    pub fn ngrams_sorted(&self, n: usize) -> Vec<(String, Cnt)> {
        if n == 2 {
            return self
                .bigrams_sorted()
                .into_iter()
                .map(|(a, b, c)| (joined(self.term(a), self.term(b)), c))
                .collect();
        }
        let mut v: Vec<(String, Cnt)> = if n >= 3 && n - 3 < self.longer.len() {
            self.longer[n - 3]
                .iter()
                .map(|(k, c)| {
                    let words: Vec<&str> = k.iter().map(|&t| self.term(t)).collect();
                    (words.join(" "), *c)
                })
                .collect()
        } else {
            Vec::new()
        };
        // Distinct n-grams: an unstable sort gives the one order there is.
        v.sort_unstable_by(|a, b| b.1.count.cmp(&a.1.count).then_with(|| a.0.cmp(&b.0)));
        v
    }

    /// Each term id's place in the alphabetical order of the terms, when
    /// no term holds a byte at or below the space: then comparing two
    /// n-grams' joined texts (words separated by a space, which sorts before
    /// every byte of the words) is comparing their words' ranks in turn.
    fn alphabetical_ranks(&self) -> Option<Vec<u32>> {
        let len = self.term_len();
        if (0..len as TermId).any(|t| self.term(t).bytes().any(|b| b <= b' ')) {
            return None;
        }
        Some(self.term_ranks())
    }

    /// Each term id's place in the (byte-wise) alphabetical order of the
    /// terms: comparing two ranks is comparing the two terms' texts.
    pub fn term_ranks(&self) -> Vec<u32> {
        let len = self.term_len();
        let mut ids: Vec<(u64, TermId)> = (0..len as TermId)
            .map(|t| (self.term_order_key(t), t))
            .collect();
        ids.par_sort_unstable_by(|a, b| {
            a.0.cmp(&b.0)
                .then_with(|| self.term(a.1).cmp(self.term(b.1)))
        });
        let mut rank = vec![0u32; len];
        for (r, &(_, t)) in ids.iter().enumerate() {
            rank[t as usize] = r as u32;
        }
        rank
    }

    /// Bigrams as pairs of term ids with their counts (unsorted).
    pub fn bigrams(&self) -> impl Iterator<Item = (TermId, TermId, Cnt)> + '_ {
        self.bigram_entries().map(|(k, c)| {
            let (a, b) = unpack(k);
            (a, b, *c)
        })
    }

    /// Groups in order of first appearance, with their counts.
    pub fn groups(&self) -> impl Iterator<Item = (&str, &GroupCounts)> {
        self.group_order
            .iter()
            .filter_map(|g| self.groups.get(g).map(|c| (&**g, c)))
    }

    /// For each term id, the number of groups whose documents hold it:
    /// idf with the groups as documents (`freq --by --tfidf`, keyness).
    pub fn groups_holding(&self) -> Vec<u64> {
        // Written up front: the tally reads each entry before writing it.
        let mut holding = lexiscope_text::words::written_zeros(self.term_len());
        for g in self.groups.values() {
            for t in g.terms.keys() {
                holding[t as usize] += 1;
            }
        }
        holding
    }

    /// Heaps' law points: (tokens read, distinct tokens seen), in corpus order.
    pub fn heaps_points(&self) -> &[(u64, u64)] {
        &self.heaps
    }

    /// Rough heap memory held by the tables, in bytes.
    pub fn heap_bytes(&self) -> usize {
        self.surfaces.heap_bytes()
            + self.terms.heap_bytes()
            + self.term_cnt.capacity() * 28
            + self.bigrams.capacity() * 32
            + self.bigram_log.heap_bytes()
    }
}

impl Counts {
    /// Occurrences of term `t` in the document being finished.
    #[inline]
    fn tf(&self, t: TermId) -> u32 {
        if self.identity {
            self.surface_term[t as usize].1
        } else {
            self.term_tf[t as usize]
        }
    }
}

/// Counts below this are placed by [`ids_by_count_then_text`]'s counting
/// sort directly; larger ones (a few hundred words in a corpus) share its
/// first bucket and are sorted by comparison.
const DIRECT_COUNTS: usize = 1 << 12;

/// The ids below `len` that have a `count`, in descending order of count,
/// ids of equal count in ascending order of `text` (`key` being the text's
/// [`order_key`](lexiscope_text::words::order_key), so that most ties are
/// decided without reading the texts).
///
/// Counts are small numbers for nearly every id (two words in five of the
/// bundled corpus occur once), so a counting sort puts the ids in count
/// order, one pass to count and one to place, and then each run of equal
/// count is sorted by key and text, the runs on the threads of rayon's pool
/// (the command line sizes it by `-j`; at the end of `freq` the other cores
/// have nothing else to do).  Only a 16-byte pair per id is written.  A
/// comparison sort of rows of text and counts took 1.7-2.6 ms for the
/// bundled corpus's 55,000 terms on two threads, and as long again to
/// build the rows in fresh memory.
fn ids_by_count_then_text<'a>(
    len: usize,
    count: impl Fn(u32) -> Option<u64> + Sync,
    key: impl Fn(u32) -> u64,
    text: impl Fn(u32) -> &'a str + Sync,
) -> Vec<u32> {
    // Bucket 0 holds the counts of DIRECT_COUNTS or more, bucket b > 0 the
    // count DIRECT_COUNTS - b: buckets in ascending order are counts in
    // descending order.
    let bucket = |c: u64| DIRECT_COUNTS - c.min(DIRECT_COUNTS as u64) as usize;
    let len = u32::try_from(len).expect("ids are 32-bit");
    let mut next = vec![0u32; DIRECT_COUNTS + 1];
    for id in 0..len {
        if let Some(c) = count(id) {
            next[bucket(c)] += 1;
        }
    }
    let large = next[0] as usize;
    let mut total = 0;
    for n in &mut next {
        let here = *n;
        *n = total;
        total += here;
    }
    let mut rows = vec![(0u64, 0u32); total as usize];
    for id in 0..len {
        if let Some(c) = count(id) {
            let b = bucket(c);
            rows[next[b] as usize] = (key(id), id);
            next[b] += 1;
        }
    }
    // Now bucket b ends at next[b].  The large counts, by count; then every
    // run of one count, by text.
    rows[..large].sort_unstable_by_key(|r| std::cmp::Reverse(count(r.1)));
    let (head, mut rest) = rows.split_at_mut(large);
    let mut runs: Vec<&mut [(u64, u32)]> =
        head.chunk_by_mut(|a, b| count(a.1) == count(b.1)).collect();
    let mut start = large;
    for &end in &next[1..] {
        let end = end as usize;
        if end > start {
            let (run, after) = std::mem::take(&mut rest).split_at_mut(end - start);
            runs.push(run);
            rest = after;
            start = end;
        }
    }
    runs.par_iter_mut().for_each(|run| {
        if run.len() > 1 {
            run.sort_unstable_by(|a, b| a.0.cmp(&b.0).then_with(|| text(a.1).cmp(text(b.1))));
        }
    });
    rows.into_iter().map(|(_, id)| id).collect()
}

/// `a` and `b` joined by a space: a bigram's text (`format!` costs three
/// times as much, for every one of the corpus's bigrams).
fn joined(a: &str, b: &str) -> String {
    let mut s = String::with_capacity(a.len() + 1 + b.len());
    s.push_str(a);
    s.push(' ');
    s.push_str(b);
    s
}

#[inline]
pub(crate) fn pack(a: TermId, b: TermId) -> u64 {
    ((a as u64) << 32) | b as u64
}

#[inline]
fn unpack(k: u64) -> (TermId, TermId) {
    ((k >> 32) as u32, (k & 0xFFFF_FFFF) as u32)
}

/// Adds one document's terms (term, count) to a group's term table.
fn add_doc_terms(table: &mut TermCounts, terms: &[(TermId, u32)]) {
    // The group's table may be larger than a core's cache: each term's
    // entry is asked for 24 terms ahead (a term takes a few instructions,
    // far fewer than a miss lasts).
    for (i, &(t, tf)) in terms.iter().enumerate() {
        if let Some(&(ahead, _)) = terms.get(i + 24) {
            table.prefetch(ahead);
        }
        let (e, _) = table.entry(t);
        e.count += u64::from(tf);
        e.docs += 1;
    }
}

/// A count of occurrences in the current document after one more: 1 when
/// `first` (the first in it), else `tf + 1`; without a branch.
#[inline(always)]
fn restart_if(first: bool, tf: u32) -> u32 {
    (tf & u32::from(!first).wrapping_neg()) + 1
}

/// A document counted for its words' counts alone (see
/// [`Counts::plain_doc`]): each token reads and writes its surface's
/// record and nothing else, where [`DocCounter`] also reads the surface's
/// term and its count in the document (for stop words, n-grams, groups and
/// per-document lists), another memory access per token that missed the
/// core's first cache about a third of the time (`freq`'s plain counts,
/// 4% of the bundled one pass).  Stop words are counted as words are and
/// left out when the terms are listed, as they are for `DocCounter`'s.
/// Tokens of up to 16 bytes are counted a few tokens late, after their
/// table slot was asked for (see `ShortQueue`).
pub struct PlainDoc<'a> {
    c: &'a mut Counts,
    local: u32,
    tokens: u64,
    queue: ShortQueue,
}

/// A token of at most 16 bytes, whole in its head, with its hash in the
/// counts' table (see [`ShortQueue`]).
#[derive(Clone, Copy, Debug, Default)]
struct Short {
    head: [u64; 2],
    len: u8,
    hash: u64,
}

/// Tokens a [`ShortQueue`] holds before it hands back the oldest: 8 took
/// the bundled one pass (`freq`) from 47.0 to 45.2 ms with one worker and
/// `freq` on 108 MB from 212 to 189 ms (medians of 21 and 15 interleaved
/// runs); 4 gained about half that, 16 nothing measurable.
const RING: usize = 8;

/// Short tokens on their way to being counted.  Where a token's table
/// slot is the load the counting loop waits on (nearly half of `freq`'s
/// loop, by `perf`), a counter asks for the slot when it meets the token
/// ([`Counts::ask_short`]), queues it here and counts it eight tokens
/// later, when the slot has likely arrived.  Tokens leave the queue in
/// the order they came, so words get their ids in order of first
/// appearance as long as a longer token first empties the queue.
#[derive(Clone, Debug, Default)]
struct ShortQueue {
    ring: [Short; RING],
    /// Tokens queued since the queue was last emptied (the oldest is at
    /// `queued % RING` once it is full).
    queued: usize,
}

impl ShortQueue {
    /// An empty queue.
    fn new() -> Self {
        ShortQueue::default()
    }

    /// Queues a token of at most 16 bytes with its hash, and hands back
    /// the oldest when the queue was full: the one to count now.
    #[inline(always)]
    fn push(&mut self, head: [u64; 2], len: usize, hash: u64) -> Option<Short> {
        debug_assert!(len <= 16);
        let at = self.queued % RING;
        let oldest = (self.queued >= RING).then_some(self.ring[at]);
        self.ring[at] = Short {
            head,
            len: len as u8,
            hash,
        };
        self.queued += 1;
        oldest
    }

    /// The queued tokens, oldest first; the queue is then empty.
    fn drain(&mut self) -> impl Iterator<Item = Short> + '_ {
        let n = self.queued.min(RING);
        let start = self.queued - n;
        self.queued = 0;
        (start..start + n).map(move |q| self.ring[q % RING])
    }
}

impl Counts {
    /// The hash of a token of at most 16 bytes whose head is `head`, with
    /// its table slot asked for: for a [`ShortQueue`].
    #[inline(always)]
    fn ask_short(&self, head: [u64; 2], len: usize) -> u64 {
        let hash = self.surfaces.hash_short(head, len);
        self.surfaces.prefetch_slot(hash);
        hash
    }
}

impl PlainDoc<'_> {
    /// [`DocCounter::token_headed`], for the word's counts alone.
    #[inline(always)]
    pub fn token_headed(&mut self, word: &str, head: [u64; 2]) {
        self.tokens += 1;
        if word.len() > 16 {
            self.drain();
            let c = &mut *self.c;
            let sid = c.surface_headed(word, head);
            c.surfaces.val_mut(sid).count_in(self.local);
            return;
        }
        let hash = self.c.ask_short(head, word.len());
        if let Some(s) = self.queue.push(head, word.len(), hash) {
            self.count_short(s);
        }
    }

    #[inline(always)]
    fn count_short(&mut self, s: Short) {
        let c = &mut *self.c;
        let sid = c.surface_short(s.head, usize::from(s.len), s.hash);
        c.surfaces.val_mut(sid).count_in(self.local);
    }

    /// Counts the queued tokens, oldest first.
    fn drain(&mut self) {
        let mut queue = std::mem::take(&mut self.queue);
        for s in queue.drain() {
            self.count_short(s);
        }
        self.queue = queue;
    }

    /// Ends the document.
    pub fn finish(mut self) {
        self.drain();
        let c = self.c;
        c.documents += 1;
        c.plain_docs += 1;
        c.tokens += self.tokens;
        c.growth.push((self.tokens, c.surfaces.len() as u32));
    }
}

/// Counts one document: feed it tokens sentence by sentence, then call
/// [`DocCounter::finish`].  N-grams never cross a sentence boundary, and an
/// n-gram that would hold a stop word is not counted.
pub struct DocCounter<'a> {
    c: &'a mut Counts,
    doc: u64,
    local: u32,
    group: Option<usize>,
    tokens: u64,
    types: u64,
    terms: u64,
    /// Terms of the current sentence's last tokens (NONE for a stop word),
    /// for n-grams of three words and more.
    recent: Vec<TermId>,
    /// The term of the sentence's last token, for bigrams (NONE for a stop
    /// word or at the sentence's start).
    prev: TermId,
    /// The options the token loop reads, copied out of the counts' shared
    /// options (read there through two pointers per token).
    max_n: usize,
    mattr: bool,
    /// Whether the document's terms with their counts are wanted at its
    /// end (for its group's tally or the per-document term lists): `freq`
    /// wants neither, and keeps no list of the document's terms.
    terms_wanted: bool,
}

impl DocCounter<'_> {
    /// Marks a sentence boundary.
    pub fn sentence(&mut self) {
        self.recent.clear();
        self.prev = NONE;
    }

    /// Counts one token; returns its surface id (batch-local, dense), handy
    /// for caching per-token figures such as syllables.
    #[inline]
    pub fn token(&mut self, word: &str) -> SurfaceId {
        self.token_headed(word, lexiscope_text::words::head16(word.as_bytes()))
    }

    /// [`DocCounter::token`] of a word whose first 16 bytes, as
    /// [`head16`](lexiscope_text::words::head16) gives them, the caller has
    /// at hand (from [`Tokenizer::for_each_headed`](lexiscope_text::Tokenizer::for_each_headed)),
    /// so that counting need not read them a second time.
    #[inline(always)]
    pub fn token_headed(&mut self, word: &str, head: [u64; 2]) -> SurfaceId {
        let c = &mut *self.c;
        let sid = c.surface_headed(word, head);
        let doc = self.local;
        self.tokens += 1;
        let first_in_doc = c.surfaces.val_mut(sid).count_in(doc);
        self.types += u64::from(first_in_doc);
        let (tid, tf) = &mut c.surface_term[sid as usize];
        *tf = restart_if(first_in_doc, *tf);
        let tid = *tid;
        if self.mattr {
            c.doc_sids.push(sid);
        }
        // Whether a token is a stop word (every other token, in no order a
        // processor can guess) decides nothing below by a branch: a stop
        // word's counts go to a spare record that is then dropped, and
        // what it would add to a list is written and not kept.
        let is_term = tid != NONE;
        self.terms += u64::from(is_term);
        if c.identity {
            // The surface record above is the term's record.
            if self.terms_wanted {
                lexiscope_text::words::push_if(&mut c.doc_tids, first_in_doc & is_term, tid);
            }
        } else {
            let (mut spare, mut spare_tf) = (fresh(), 0);
            let first = c
                .term_cnt
                .get_mut(tid as usize)
                .unwrap_or(&mut spare)
                .count_in(doc);
            if self.terms_wanted {
                lexiscope_text::words::push_if(&mut c.doc_tids, first & is_term, tid);
            }
            let tf = c.term_tf.get_mut(tid as usize).unwrap_or(&mut spare_tf);
            *tf = restart_if(first, *tf);
        }
        match self.max_n {
            0 | 1 => {}
            2 => {
                // Bigrams, the usual case: the term before this one in the
                // sentence, and a bigram unless either is a stop word.
                let a = std::mem::replace(&mut self.prev, tid);
                c.bigram_if(is_term & (a != NONE), a, tid, doc);
            }
            max_n => {
                let r = &mut self.recent;
                if r.len() < max_n {
                    r.push(tid);
                } else {
                    r.remove(0);
                    r.push(tid);
                }
                if is_term {
                    self.ngrams_ending_here(tid);
                }
            }
        }
        sid
    }

    /// Counts the n-grams of three words or more (`--ngram 3` and up)
    /// ending in the term `tid`, just added to the sentence's last terms:
    /// every suffix of them of length 2 and more that holds no stop word.
    #[inline(never)]
    fn ngrams_ending_here(&mut self, tid: TermId) {
        let c = &mut *self.c;
        let doc = self.local;
        let r = &self.recent;
        let len = r.len();
        if len < 2 || r[len - 2] == NONE {
            return;
        }
        c.bigram_if(true, r[len - 2], tid, doc);
        for n in 3..=len {
            let gram = &r[len - n..];
            if gram[0] == NONE {
                break;
            }
            let table = &mut c.longer[n - 3];
            match table.get_mut(gram) {
                Some(cnt) => cnt.bump(doc),
                None => {
                    let mut cnt = fresh();
                    cnt.bump(doc);
                    table.insert(gram.into(), cnt);
                }
            }
        }
    }

    /// The text of a surface id returned by [`DocCounter::token`].
    #[inline]
    pub fn surface(&self, sid: SurfaceId) -> &str {
        self.c.surfaces.resolve(sid)
    }

    /// The text of a surface id with its head (its first 16 bytes, as
    /// [`head16`](lexiscope_text::words::head16) gives them, which the
    /// interner keeps).
    #[inline]
    pub fn surface_headed(&self, sid: SurfaceId) -> (&str, [u64; 2]) {
        (self.c.surfaces.resolve(sid), self.c.surfaces.head(sid))
    }

    /// Ends the document and returns its figures.
    pub fn finish(mut self) -> DocSummary {
        let c = self.c;
        // The n-gram window's room goes back for the next document.
        c.recent = std::mem::take(&mut self.recent);
        c.documents += 1;
        c.tokens += self.tokens;
        c.term_tokens += self.terms;
        c.growth.push((self.tokens, c.surfaces.len() as u32));
        // The document's terms with their counts, read once for its group
        // and its term list.
        let terms: Vec<(TermId, u32)> = if self.terms_wanted {
            c.doc_tids.iter().map(|&t| (t, c.tf(t))).collect()
        } else {
            Vec::new()
        };
        let at_merge = c.opts.doc_terms && c.opts.group_terms_at_merge;
        if let Some(g) = self.group {
            let name = &c.group_order[g];
            if let Some(gc) = c.groups.get_mut(name) {
                gc.documents += 1;
                gc.tokens += self.tokens;
                gc.term_tokens += self.terms;
                if !at_merge {
                    add_doc_terms(&mut gc.terms, &terms);
                }
            }
        }
        if at_merge {
            c.doc_groups.push(self.group);
        }
        if c.opts.doc_terms {
            c.doc_terms.push(DocTerms {
                doc: self.doc,
                tokens: self.tokens,
                terms,
            });
        }
        let mattr = if c.opts.mattr_window > 0 {
            crate::measures::mattr(&c.doc_sids, c.opts.mattr_window, &mut c.window)
        } else {
            f64::NAN
        };
        DocSummary {
            tokens: self.tokens,
            types: self.types,
            terms: self.terms,
            mattr,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use lexiscope_text::{StopWordSource, Tokenizer};

    fn opts(stop: StopWordSource, n: usize) -> Arc<CountOptions> {
        Arc::new(CountOptions {
            max_ngram: n,
            stop_words: StopWords::load(&stop).unwrap(),
            doc_terms: true,
            ..CountOptions::default()
        })
    }

    #[test]
    fn a_count_is_half_a_cache_line_and_document_frequency_stops_at_u32_max() {
        // With its 16-byte head, an interner record is 32 bytes.
        assert_eq!(std::mem::size_of::<Cnt>(), 16);
        let mut a = fresh();
        a.count = 7;
        a.docs = u32::MAX - 2;
        let mut b = fresh();
        b.count = 5;
        b.docs = 5;
        a.add(&b);
        assert_eq!((a.count, a.docs), (12, u32::MAX));
        let mut later = fresh();
        later.count = 1;
        later.docs = 1;
        a.add_later(&later, 0);
        assert_eq!((a.count, a.docs), (13, u32::MAX));
    }

    fn count(docs: &[&str], o: &Arc<CountOptions>, first: u64) -> Counts {
        let mut c = Counts::new(o.clone());
        let mut tok = Tokenizer::new();
        for (i, d) in docs.iter().enumerate() {
            let mut dc = c.doc(
                first + i as u64,
                Some(if i % 2 == 0 { "even" } else { "odd" }),
            );
            for s in lexiscope_text::sentences(d) {
                dc.sentence();
                tok.for_each(&d[s], |w| {
                    dc.token(w);
                });
            }
            dc.finish();
        }
        c.seal();
        c
    }

    #[test]
    fn bigrams_count_the_same_past_the_logs_id_limit() {
        // More distinct words than the bigram log's packed ids hold (2^21):
        // the batch switches to its table mid-way, and a bigram seen before
        // and after the switch (and twice in one document) is counted once
        // per occurrence and once per document.
        let mut c = Counts::new(opts(StopWordSource::None, 2));
        let mut dc = c.doc(0, None);
        for w in ["alpha", "beta", "alpha", "beta"] {
            dc.token(w);
        }
        dc.sentence();
        let n = (1u32 << 21) + 1000;
        for i in 0..n {
            dc.token(&format!("w{i}"));
        }
        dc.sentence();
        dc.token("alpha");
        dc.token("beta");
        dc.finish();
        let mut dc = c.doc(1, None);
        dc.token("alpha");
        dc.token("beta");
        dc.finish();
        c.seal();
        let all: u64 = c.bigrams().map(|(_, _, n)| n.count).sum();
        assert_eq!(all, 3 + u64::from(n - 1) + 1 + 1);
        let ab = c
            .bigrams()
            .find(|&(a, b, _)| c.term(a) == "alpha" && c.term(b) == "beta")
            .map(|(_, _, n)| (n.count, n.docs));
        assert_eq!(ab, Some((4, 2)));
        let ba = c
            .bigrams()
            .find(|&(a, b, _)| c.term(a) == "beta" && c.term(b) == "alpha")
            .map(|(_, _, n)| (n.count, n.docs));
        assert_eq!(ba, Some((1, 1)));
    }

    #[test]
    fn group_tables_sized_ahead_count_the_same() {
        let o = opts(StopWordSource::Tidytext, 2);
        let docs = [
            "The cat sat on the mat. Cat sat!",
            "A black cat sat.",
            "Dogs bark.",
        ];
        let plain = count(&docs, &o, 0);
        // "even": cat, sat, mat, dogs, bark; "odd": black, cat, sat.
        assert_eq!(plain.group_sizes(), (2, (5 + 3) / 2));
        let mut sized = Counts::new(o.clone());
        // Room for the first group only.
        sized.expect_group_terms(1, 1000);
        let mut tok = Tokenizer::new();
        for (i, d) in docs.iter().enumerate() {
            let mut dc = sized.doc(i as u64, Some(if i % 2 == 0 { "even" } else { "odd" }));
            tok.for_each(d, |w| {
                dc.token(w);
            });
            dc.finish();
        }
        type GroupTerms = Vec<(String, Vec<(String, u64, u64)>)>;
        let terms = |c: &Counts| -> GroupTerms {
            c.groups()
                .map(|(g, gc)| {
                    let mut t: Vec<(String, u64, u64)> = gc
                        .terms
                        .iter()
                        .map(|(t, n)| (c.term(t).to_string(), n.count, u64::from(n.docs)))
                        .collect();
                    t.sort();
                    (g.to_string(), t)
                })
                .collect()
        };
        assert_eq!(terms(&plain), terms(&sized));
        let capacities: Vec<(&str, bool)> = sized
            .groups()
            .map(|(g, c)| (g, c.terms.capacity() >= 1000))
            .collect();
        assert_eq!(capacities, [("even", true), ("odd", false)]);
        assert_eq!(Counts::new(o).group_sizes(), (0, 0));
    }

    #[test]
    fn counts_terms_and_bigrams() {
        let o = opts(StopWordSource::Tidytext, 3);
        let c = count(
            &["The cat sat on the mat. Cat sat!", "A black cat sat."],
            &o,
            0,
        );
        let mut whole = Counts::new(o.clone());
        whole.merge(c);
        let c = whole;
        assert_eq!(c.tokens(), 12);
        assert_eq!(c.documents(), 2);
        let terms: Vec<(&str, u64, u64)> = c
            .terms_sorted()
            .into_iter()
            .map(|(t, n)| (t, n.count, u64::from(n.docs)))
            .collect();
        assert_eq!(
            terms,
            [("cat", 3, 2), ("sat", 3, 2), ("black", 1, 1), ("mat", 1, 1)]
        );
        let bigrams: Vec<(String, u64, u64)> = c
            .ngrams_sorted(2)
            .into_iter()
            .map(|(t, n)| (t, n.count, u64::from(n.docs)))
            .collect();
        // "sat on" and "on the" hold stop words; "mat cat" crosses a sentence.
        assert_eq!(
            bigrams,
            [
                ("cat sat".to_string(), 3, 2),
                ("black cat".to_string(), 1, 1)
            ]
        );
        let trigrams: Vec<String> = c.ngrams_sorted(3).into_iter().map(|(t, _)| t).collect();
        assert_eq!(trigrams, ["black cat sat"]);
    }

    #[test]
    fn bigrams_sorted_by_ranks_as_by_their_text() {
        let o = Arc::new(CountOptions {
            stop_words: StopWords::load(&StopWordSource::None).unwrap(),
            ..CountOptions::default()
        });
        let by_text = |c: &Counts| {
            let mut v: Vec<(String, u64)> = c
                .bigrams()
                .map(|(a, b, n)| (format!("{} {}", c.term(a), c.term(b)), n.count))
                .collect();
            v.sort_by(|x, y| y.1.cmp(&x.1).then_with(|| x.0.cmp(&y.0)));
            v
        };
        // Words that are prefixes of others, with apostrophes, hyphens,
        // digits and accents: "a b" must sort before "a-b c" and "ab c".
        let words = ["a", "a-b", "ab", "a'b", "b", "b2", "é", "e", "zz", "z"];
        let mut x = 12345u64;
        let mut tokens: Vec<&str> = Vec::new();
        for _ in 0..400 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            tokens.push(words[(x % words.len() as u64) as usize]);
        }
        for with_control_byte in [false, true] {
            let mut c = Counts::new(o.clone());
            let mut dc = c.doc(0, None);
            for t in &tokens {
                dc.token(t);
            }
            if with_control_byte {
                // A word with a byte below the space: the ranks are not
                // used, the texts are compared.
                dc.token("x\u{1}y");
                dc.token("a");
            }
            dc.finish();
            c.seal();
            assert_eq!(c.alphabetical_ranks().is_some(), !with_control_byte);
            let got: Vec<(String, u64)> = c
                .ngrams_sorted(2)
                .into_iter()
                .map(|(t, n)| (t, n.count))
                .collect();
            assert!(got.len() > 50);
            assert_eq!(got, by_text(&c));
        }
    }

    #[test]
    fn merging_parts_equals_counting_whole() {
        let docs = [
            "One fish, two fish. Red fish!",
            "Blue fish and red fish.",
            "",
            "Fish fish fish. Two.",
        ];
        let o = opts(StopWordSource::Snowball, 2);
        let mut whole = Counts::new(o.clone());
        let whole_docs = whole.merge(count(&docs, &o, 0));
        let mut parts = Counts::new(o.clone());
        let mut part_docs = parts.merge(count(&docs[..1], &o, 0));
        part_docs.extend(parts.merge(count(&docs[1..], &o, 1)));
        assert_eq!(whole.terms_sorted(), parts.terms_sorted());
        assert_eq!(whole.surfaces_sorted(), parts.surfaces_sorted());
        let counts: Vec<u64> = whole.surfaces_sorted().iter().map(|r| r.1.count).collect();
        assert_eq!(whole.surface_counts_desc(), counts);
        assert_eq!(whole.ngrams_sorted(2), parts.ngrams_sorted(2));
        assert_eq!(whole.heaps_points(), parts.heaps_points());
        type Resolved = (u64, u64, Vec<(String, u32)>);
        let resolve = |c: &Counts, d: &[DocTerms]| -> Vec<Resolved> {
            d.iter()
                .map(|d| {
                    let terms = d
                        .terms
                        .iter()
                        .map(|&(t, n)| (c.term(t).to_string(), n))
                        .collect();
                    (d.doc, d.tokens, terms)
                })
                .collect()
        };
        assert_eq!(whole_docs.len(), docs.len());
        assert_eq!(resolve(&whole, &whole_docs), resolve(&parts, &part_docs));
    }

    #[test]
    fn plain_documents_count_as_documents_counted_in_full() {
        let docs = [
            "The cat and the dog. The Cat!",
            "A dog, a bird and THE fish.",
            "",
            "the the the and",
            "Birds of a feather flock together; the end.",
            // More tokens than the plain counter queues, words of more
            // than 16 bytes (counted at once, after the queue) among
            // them, and short words outside ASCII.
            "one two three four five six seven eight nine ten eleven \
             internationalisation twelve one two café naïve ΣΟΦΟΣ three \
             counterrevolutionaries four five the and of a an sixteen-bytes-word \
             seventeen-bytes-xx x y z",
        ];
        let o = opts(StopWordSource::Snowball, 1);
        let mut tok = Tokenizer::new();
        // Every document in full; every one plain; and the two mixed, in
        // two batches merged.
        let mut full = Counts::new(o.clone());
        let mut plain = Counts::new(o.clone());
        let (mut even, mut odd) = (Counts::new(o.clone()), Counts::new(o.clone()));
        for (i, d) in docs.iter().enumerate() {
            let mut dc = full.doc(i as u64, None);
            tok.for_each(d, |w| {
                dc.token(w);
            });
            dc.finish();
            let mut p = plain.plain_doc().expect("no stemming");
            tok.for_each(d, |w| {
                p.token_headed(w, lexiscope_text::words::head16(w.as_bytes()))
            });
            p.finish();
            let half = if i % 2 == 0 { &mut even } else { &mut odd };
            if i % 4 < 2 {
                let mut p = half.plain_doc().unwrap();
                tok.for_each(d, |w| {
                    p.token_headed(w, lexiscope_text::words::head16(w.as_bytes()))
                });
                p.finish();
            } else {
                let mut dc = half.doc(i as u64, None);
                tok.for_each(d, |w| {
                    dc.token(w);
                });
                dc.finish();
            }
        }
        let mut mixed = Counts::new(o.clone());
        mixed.merge(even);
        mixed.merge(odd);
        for c in [&plain, &mixed] {
            assert_eq!(c.terms_sorted(), full.terms_sorted());
            assert_eq!(c.surfaces_sorted(), full.surfaces_sorted());
            assert_eq!(c.tokens(), full.tokens());
            assert_eq!(c.term_tokens(), full.term_tokens());
            assert_eq!(c.documents(), full.documents());
            assert_eq!(c.types(), full.types());
        }
        // 26 tokens, 15 of them snowball stop words (the, and, a, of),
        // then 36 more (hyphens split words), 5 of them stop words.
        assert_eq!((full.tokens(), full.term_tokens()), (62, 42));
        // Words get their ids in order of first appearance, as in full.
        let ids = |c: &Counts| {
            (0..c.term_len() as u32)
                .map(|t| c.term(t).to_string())
                .collect::<Vec<_>>()
        };
        assert_eq!(ids(&plain), ids(&full));
        let long = full.term_id("internationalisation").unwrap();
        assert_eq!(
            plain.term_cnt(plain.term_id("internationalisation").unwrap()),
            full.term_cnt(long)
        );
        // Stemming looks up each token's term: no plain documents.
        let stem = Arc::new(CountOptions {
            stem: true,
            ..CountOptions::default()
        });
        assert!(Counts::new(stem).plain_doc().is_none());
    }

    #[test]
    fn stemming_counts_stems_after_stop_words() {
        let o = Arc::new(CountOptions {
            stem: true,
            stop_words: StopWords::load(&StopWordSource::Snowball).unwrap(),
            ..CountOptions::default()
        });
        let mut c = Counts::new(o.clone());
        c.merge(count(&["Running runs ran. The runner was running."], &o, 0));
        let terms: Vec<(&str, u64)> = c
            .terms_sorted()
            .into_iter()
            .map(|(t, n)| (t, n.count))
            .collect();
        assert_eq!(terms, [("run", 3), ("ran", 1), ("runner", 1)]);
    }

    use proptest::strategy::Strategy;

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(500))]
        /// The counting sort's order is the comparison sort's: count
        /// descending, text ascending, for counts on both sides of
        /// `DIRECT_COUNTS` and texts sharing their first eight bytes (ties
        /// of the order keys), ids without a count left out.
        #[test]
        fn ids_by_count_then_text_is_count_then_text_order(
            rows in proptest::collection::vec(
                (
                    proptest::prop_oneof![
                        proptest::strategy::Just(None),
                        (1u64..6).prop_map(Some),
                        (DIRECT_COUNTS as u64 - 3..DIRECT_COUNTS as u64 + 3).prop_map(Some),
                        (1u64 << 40..(1u64 << 40) + 3).prop_map(Some),
                    ],
                    "(abcdefgh)?[a-c]{0,10}",
                ),
                0..200,
            )
        ) {
            // Distinct texts, as a table's are.
            let mut seen = std::collections::HashSet::new();
            let rows: Vec<(Option<u64>, String)> =
                rows.into_iter().filter(|(_, t)| seen.insert(t.clone())).collect();
            let got = ids_by_count_then_text(
                rows.len(),
                |i| rows[i as usize].0,
                |i| lexiscope_text::words::order_key(rows[i as usize].1.as_bytes()),
                |i| rows[i as usize].1.as_str(),
            );
            let mut want: Vec<u32> =
                (0..rows.len() as u32).filter(|&i| rows[i as usize].0.is_some()).collect();
            want.sort_by(|&a, &b| {
                let (ra, rb) = (&rows[a as usize], &rows[b as usize]);
                rb.0.cmp(&ra.0).then_with(|| ra.1.cmp(&rb.1))
            });
            proptest::prop_assert_eq!(got, want);
        }
    }
}
