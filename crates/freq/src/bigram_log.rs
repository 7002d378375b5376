//! Bigram occurrences of a batch, written down as they come and counted by
//! sorting.
//!
//! Counting each bigram in a hash table as it is read costs a cache miss
//! per token once a batch has a few hundred thousand distinct bigrams (the
//! table outgrows the core's cache, and pushes the word table out with it).
//! Appending each occurrence to a list is a sequential write; sorting the
//! list by bigram (a radix sort, a few linear passes) then brings each
//! bigram's occurrences together, in document order, to be counted.

use crate::counts::{self, Cnt};

/// Bits of a packed entry for each of the two term ids and the document.
const ID_BITS: u32 = 21;
const DOC_BITS: u32 = 64 - 2 * ID_BITS;
const ID_MAX: u32 = (1 << ID_BITS) - 1;
const DOC_MAX: u32 = (1 << DOC_BITS) - 1;
/// Entries written down before they are counted into the runs (8 MB).
const LIMIT: usize = 1 << 20;
/// Bits of the key sorted per radix pass.
const DIGIT: u32 = 11;

/// The bigram occurrences of a batch (see the module comment).
#[derive(Debug, Clone, Default)]
pub(crate) struct BigramLog {
    /// Occurrences not yet counted: first term, second term and
    /// (batch-local) document, packed high to low.
    log: Vec<u64>,
    /// Counted bigrams, sorted by key (`pack(a, b)`), each key once.
    runs: Vec<(u64, Cnt)>,
    scratch: Vec<u64>,
}

/// Whether an occurrence fits a packed entry; the caller counts it some
/// other way when not.
#[inline(always)]
pub(crate) fn fits(a: u32, b: u32, doc: u32) -> bool {
    a <= ID_MAX && b <= ID_MAX && doc <= DOC_MAX
}

impl BigramLog {
    /// Writes down one occurrence of the bigram (`a`, `b`) in `doc` when
    /// `keep`, without a branch on `keep` (whether two words make a bigram
    /// is as good as random): the entry is always written, and kept only
    /// then.  It must [fit](fits) when kept; documents come in ascending
    /// order.
    #[inline(always)]
    pub(crate) fn push_if(&mut self, keep: bool, a: u32, b: u32, doc: u32) {
        debug_assert!(!keep || fits(a, b, doc));
        let entry =
            (u64::from(a) << (ID_BITS + DOC_BITS)) | (u64::from(b) << DOC_BITS) | u64::from(doc);
        lexiscope_text::words::push_if(&mut self.log, keep, entry);
        if self.log.len() >= LIMIT {
            self.count();
        }
    }

    /// True when nothing is written down or counted.
    pub(crate) fn is_empty(&self) -> bool {
        self.log.is_empty() && self.runs.is_empty()
    }

    /// Counts what is written down, and returns every bigram counted so far
    /// as (`pack(a, b)`, count), sorted by key.
    pub(crate) fn runs(&mut self) -> &[(u64, Cnt)] {
        self.count();
        &self.runs
    }

    /// Takes the counted bigrams out (see [`BigramLog::runs`]).
    pub(crate) fn take_runs(&mut self) -> Vec<(u64, Cnt)> {
        self.count();
        std::mem::take(&mut self.runs)
    }

    /// The counted bigrams, sorted by key; empty until [`BigramLog::runs`]
    /// or [`BigramLog::take_runs`] has counted the log.
    pub(crate) fn counted(&self) -> &[(u64, Cnt)] {
        debug_assert!(self.log.is_empty());
        &self.runs
    }

    /// True when occurrences are written down but not counted yet.
    pub(crate) fn has_pending(&self) -> bool {
        !self.log.is_empty()
    }

    /// Heap bytes held.
    pub(crate) fn heap_bytes(&self) -> usize {
        (self.log.capacity() + self.scratch.capacity()) * 8
            + self.runs.capacity() * std::mem::size_of::<(u64, Cnt)>()
    }

    /// Sorts the log by bigram and adds it to the runs.
    fn count(&mut self) {
        if self.log.is_empty() {
            return;
        }
        radix_sort_keys(&mut self.log, &mut self.scratch);
        // The first part of a batch (nearly always the only one) is counted
        // straight into the runs; a later one into a list of its own, each
        // bigram with the first document it is in, to merge below.  Both
        // get room for as many bigrams as entries at once: the pages of
        // room left over are never touched, where growing the list as it
        // filled copied it over and over (and touched twice the memory).
        let first_part = self.runs.is_empty();
        let mut fresh: Vec<(u64, Cnt, u32)> = Vec::new();
        if first_part {
            self.runs.reserve(self.log.len());
        } else {
            fresh.reserve(self.log.len());
        }
        let mut i = 0;
        let log = &self.log;
        while i < log.len() {
            let key = log[i] >> DOC_BITS;
            let first = (log[i] & u64::from(DOC_MAX)) as u32;
            let mut cnt = counts::fresh();
            while i < log.len() && log[i] >> DOC_BITS == key {
                cnt.bump((log[i] & u64::from(DOC_MAX)) as u32);
                i += 1;
            }
            let (a, b) = ((key >> ID_BITS) as u32, (key & u64::from(ID_MAX)) as u32);
            if first_part {
                self.runs.push((counts::pack(a, b), cnt));
            } else {
                fresh.push((counts::pack(a, b), cnt, first));
            }
        }
        self.log.clear();
        if first_part {
            return;
        }
        // A later part of the batch: merge the two sorted lists, adding up
        // the bigrams they share (a document can straddle the two parts;
        // `Cnt::add_later` does not count it twice).
        let old = std::mem::take(&mut self.runs);
        let mut merged = Vec::with_capacity(old.len() + fresh.len());
        let (mut x, mut y) = (old.into_iter().peekable(), fresh.into_iter().peekable());
        loop {
            match (x.peek(), y.peek()) {
                (Some(p), Some(q)) if p.0 == q.0 => {
                    let (k, mut c) = x.next().expect("peeked");
                    let (_, later, first) = y.next().expect("peeked");
                    c.add_later(&later, first);
                    merged.push((k, c));
                }
                (Some(p), Some(q)) if p.0 < q.0 => merged.push(x.next().expect("peeked")),
                (Some(_), Some(_)) | (None, Some(_)) => {
                    let (k, c, _) = y.next().expect("peeked");
                    merged.push((k, c));
                }
                (Some(_), None) => merged.push(x.next().expect("peeked")),
                (None, None) => break,
            }
        }
        self.runs = merged;
    }
}

/// Sorts packed entries by their key bits (above the document bits),
/// keeping entries with equal keys in their order (so documents stay
/// ascending within a bigram): least significant digit first, skipping the
/// digits every entry shares.
fn radix_sort_keys(v: &mut Vec<u64>, scratch: &mut Vec<u64>) {
    let mut shift = DOC_BITS;
    while shift < 64 {
        let mut counts = [0usize; 1 << DIGIT];
        for &e in v.iter() {
            counts[((e >> shift) & ((1 << DIGIT) - 1)) as usize] += 1;
        }
        if counts.contains(&v.len()) {
            shift += DIGIT;
            continue;
        }
        let mut at = 0;
        for c in counts.iter_mut() {
            let n = *c;
            *c = at;
            at += n;
        }
        // Every slot is written below: the scratch is sized, not cleared
        // (zeroing it each pass was a memset of the whole log per pass).
        scratch.resize(v.len(), 0);
        scratch.truncate(v.len());
        for &e in v.iter() {
            let d = ((e >> shift) & ((1 << DIGIT) - 1)) as usize;
            scratch[counts[d]] = e;
            counts[d] += 1;
        }
        std::mem::swap(v, scratch);
        shift += DIGIT;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A slow, obvious count: a map from bigram to (count, distinct docs).
    fn oracle(occ: &[(u32, u32, u32)]) -> Vec<(u64, u64, u64)> {
        let mut m: std::collections::BTreeMap<u64, (u64, std::collections::BTreeSet<u32>)> =
            Default::default();
        for &(a, b, d) in occ {
            let e = m.entry((u64::from(a) << 32) | u64::from(b)).or_default();
            e.0 += 1;
            e.1.insert(d);
        }
        m.into_iter()
            .map(|(k, (n, docs))| (k, n, docs.len() as u64))
            .collect()
    }

    fn counted(log: &mut BigramLog) -> Vec<(u64, u64, u64)> {
        log.runs()
            .iter()
            .map(|(k, c)| (*k, c.count, u64::from(c.docs)))
            .collect()
    }

    #[test]
    fn counts_as_a_map_would() {
        // A pseudo-random stream over a small vocabulary (many repeats) with
        // ids at the edges of the packed fields.
        let mut occ = Vec::new();
        let mut x = 0x2545_f491_4f6c_dd1du64;
        for doc in 0..500u32 {
            for _ in 0..(x % 40) {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                let pick = |r: u64| match r % 9 {
                    0 => ID_MAX,
                    1 => 0,
                    n => (n * 1000 + (r >> 20) % 7) as u32,
                };
                occ.push((pick(x), pick(x >> 8), doc * 3000 % (DOC_MAX + 1)));
            }
            x = x.wrapping_mul(6364136223846793005).wrapping_add(1);
        }
        // Documents must come in ascending order.
        occ.sort_by_key(|o| o.2);
        let mut log = BigramLog::default();
        for &(a, b, d) in &occ {
            log.push_if(true, a, b, d);
        }
        assert_eq!(counted(&mut log), oracle(&occ));
    }

    #[test]
    fn counts_in_parts_across_the_limit() {
        // More than LIMIT occurrences: the log is counted in parts, and a
        // document straddling two parts is one document.
        let mut log = BigramLog::default();
        let mut occ = Vec::new();
        let mut doc = 0;
        for i in 0..(LIMIT as u32 * 2 + 12_345) {
            if i % 1_000_003 == 0 {
                doc += 1;
            }
            let o = (i % 97, (i / 97) % 13, doc);
            occ.push(o);
            log.push_if(true, o.0, o.1, o.2);
        }
        assert!(!log.runs.is_empty(), "counted in parts before the end");
        assert_eq!(counted(&mut log), oracle(&occ));
    }

    #[test]
    fn sorts_by_key_keeping_document_order() {
        let mut v: Vec<u64> = vec![(5 << DOC_BITS) | 1, (2 << DOC_BITS) | 9, (5 << DOC_BITS)];
        let mut s = Vec::new();
        radix_sort_keys(&mut v, &mut s);
        assert_eq!(
            v,
            vec![(2 << DOC_BITS) | 9, (5 << DOC_BITS) | 1, 5 << DOC_BITS]
        );
        assert!(fits(ID_MAX, ID_MAX, DOC_MAX));
        assert!(!fits(ID_MAX + 1, 0, 0) && !fits(0, ID_MAX + 1, 0) && !fits(0, 0, DOC_MAX + 1));
    }
}
