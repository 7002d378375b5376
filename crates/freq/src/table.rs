//! Counts keyed by integers: bigrams (two term ids packed into one
//! integer) and the terms of a group.

use std::hash::BuildHasher;

use hashbrown::DefaultHashBuilder;
use prefetch_index::prefetch_index;

use crate::counts::{fresh, Cnt};
use crate::interner::folded_mul;

/// A key of a [`CountTable`]: an integer, one of whose values marks a free
/// entry.
pub trait Key: Copy + Eq {
    /// The key of a free entry.  No term id or bigram has it: `u32::MAX`
    /// is the id that marks a stop word, and `u64::MAX` would be a bigram
    /// of two of them.
    const FREE: Self;
    /// The key as a number to hash.
    fn bits(self) -> u64;
}

impl Key for u32 {
    const FREE: u32 = u32::MAX;
    #[inline(always)]
    fn bits(self) -> u64 {
        u64::from(self)
    }
}

impl Key for u64 {
    const FREE: u64 = u64::MAX;
    #[inline(always)]
    fn bits(self) -> u64 {
        self
    }
}

/// How many lookups ahead [`CountTable::add_all`] asks for an entry.
const AHEAD: usize = 12;

/// Counts by key: open addressing with linear probing over entries that
/// hold the key and its counts together (32 bytes, two to a cache line),
/// at most three quarters full (the tables grow often: half full, growing
/// them took 0.7% more of the report's processor time).
///
/// A general hash map would do the same job; this one can be asked for an
/// entry before it is needed.  Merging a batch into the corpus's counts
/// looks up each of the batch's 100,000 or so bigrams in a table of a few
/// hundred thousand that does not fit in a core's cache, and a finished
/// document adds each of its terms to its group's table:
/// merging (`add_all`) and the finishing of documents (`prefetch`) know
/// their keys in advance and ask for each entry a few lookups ahead.
#[derive(Clone)]
pub struct CountTable<K: Key> {
    entries: Vec<(K, Cnt)>,
    mask: usize,
    len: usize,
    /// Random per table (from the standard random hasher), so that no
    /// corpus can be built to make every bigram collide.
    seed: u64,
}

impl<K: Key> std::fmt::Debug for CountTable<K> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CountTable")
            .field("len", &self.len)
            .finish()
    }
}

impl<K: Key> Default for CountTable<K> {
    fn default() -> Self {
        CountTable::with_capacity(0)
    }
}

impl<K: Key> CountTable<K> {
    /// An empty table with room for `n` keys before it grows.
    pub fn with_capacity(n: usize) -> Self {
        let size = (n * 4 / 3 + 1).next_power_of_two().max(16);
        CountTable {
            entries: vec![(K::FREE, fresh()); size],
            mask: size - 1,
            len: 0,
            seed: DefaultHashBuilder::default().hash_one(3u64) | 1,
        }
    }

    /// Keys held.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether no key is held.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Entries allocated (held or free).
    pub fn capacity(&self) -> usize {
        self.entries.len()
    }

    #[inline(always)]
    fn home(&self, key: K) -> usize {
        folded_mul(key.bits() ^ self.seed, 0x9E37_79B9_7F4A_7C15) as usize & self.mask
    }

    /// The counts of `key`, if it is held.
    pub fn get(&self, key: K) -> Option<&Cnt> {
        if key == K::FREE {
            return None;
        }
        let mut at = self.home(key);
        loop {
            let (k, c) = &self.entries[at];
            if *k == key {
                return Some(c);
            }
            if *k == K::FREE {
                return None;
            }
            at = (at + 1) & self.mask;
        }
    }

    /// Starts fetching the entry a lookup of `key` reads first.  Only a
    /// hint, for a caller that knows its next keys.
    #[inline(always)]
    pub(crate) fn prefetch(&self, key: K) {
        prefetch_index(&self.entries, self.home(key));
    }

    /// The counts of `key`, a fresh count if it was not there, and whether
    /// it was new.
    #[inline(always)]
    pub(crate) fn entry(&mut self, key: K) -> (&mut Cnt, bool) {
        debug_assert!(key != K::FREE, "a stop word's id as a key");
        if (self.len + 1) * 4 > self.entries.len() * 3 {
            self.grow();
        }
        let mut at = self.home(key);
        loop {
            let k = self.entries[at].0;
            if k == key {
                return (&mut self.entries[at].1, false);
            }
            if k == K::FREE {
                self.len += 1;
                self.entries[at].0 = key;
                return (&mut self.entries[at].1, true);
            }
            at = (at + 1) & self.mask;
        }
    }

    /// Adds `cnt` to the counts of `key` as [`Cnt::add`] does.
    #[inline(always)]
    pub(crate) fn add(&mut self, key: K, cnt: &Cnt) {
        self.entry(key).0.add(cnt);
    }

    /// [`CountTable::add`] for every key and count in `items`, asking for
    /// the entries ahead of their turn (see the type's documentation).
    pub(crate) fn add_all(&mut self, items: &[(K, Cnt)]) {
        // Room for all of them first, so that no growth moves the entries
        // already asked for.
        while (self.len + items.len()) * 4 > self.entries.len() * 3 {
            self.grow();
        }
        for (i, (key, cnt)) in items.iter().enumerate() {
            if let Some(&(ahead, _)) = items.get(i + AHEAD) {
                self.prefetch(ahead);
            }
            self.add(*key, cnt);
        }
    }

    /// Every key with its counts, in no particular order.
    pub fn iter(&self) -> impl Iterator<Item = (K, &Cnt)> + '_ {
        self.entries
            .iter()
            .filter(|e| e.0 != K::FREE)
            .map(|(k, c)| (*k, c))
    }

    /// Every key, in no particular order.
    pub fn keys(&self) -> impl Iterator<Item = K> + '_ {
        self.iter().map(|(k, _)| k)
    }

    /// Every key's counts, in no particular order.
    pub fn values(&self) -> impl Iterator<Item = &Cnt> + '_ {
        self.iter().map(|(_, c)| c)
    }

    /// Doubles the table.
    fn grow(&mut self) {
        let size = self.entries.len() * 2;
        let old = std::mem::replace(&mut self.entries, vec![(K::FREE, fresh()); size]);
        self.mask = size - 1;
        // The new table may be larger than a core's cache: each key's new
        // place is asked for a few entries ahead.
        for (i, &(key, cnt)) in old.iter().enumerate() {
            if let Some(&(ahead, _)) = old.get(i + 2 * AHEAD) {
                if ahead != K::FREE {
                    self.prefetch(ahead);
                }
            }
            if key == K::FREE {
                continue;
            }
            let mut at = self.home(key);
            while self.entries[at].0 != K::FREE {
                at = (at + 1) & self.mask;
            }
            self.entries[at] = (key, cnt);
        }
    }
}

/// Counts by term id, for a group's terms: a [`CountTable`] while the
/// group holds a small share of the corpus's terms, an array indexed by
/// term id while it holds a quarter of them or more, down to an eighth as
/// the corpus's vocabulary grows (as merging sees it).
///
/// A news outlet's documents hold more than half of a corpus's distinct
/// words, and every document's terms are added to its group's counts: the
/// array takes 16 bytes a term of the corpus where the table took 43 to 85
/// a term of the group, and an add is an index instead of a hash and a
/// probe.  Groups that hold few terms (many small ones) stay tables, and
/// an array goes back to a table when its group's share falls below an
/// eighth, so that it never takes more than about three times the
/// table's memory.
#[derive(Clone, Debug)]
pub struct TermCounts {
    repr: Repr,
}

#[derive(Clone, Debug)]
enum Repr {
    Table(CountTable<u32>),
    /// Counts by term id (a count of 0: the term is not there) and how
    /// many are there.
    Array {
        cnts: Vec<Cnt>,
        len: usize,
    },
}

impl Default for TermCounts {
    fn default() -> Self {
        TermCounts::with_capacity(0)
    }
}

impl TermCounts {
    /// Empty, as a table with room for `n` terms before it grows.
    pub fn with_capacity(n: usize) -> Self {
        TermCounts {
            repr: Repr::Table(CountTable::with_capacity(n)),
        }
    }

    /// Terms held.
    pub fn len(&self) -> usize {
        match &self.repr {
            Repr::Table(t) => t.len(),
            Repr::Array { len, .. } => *len,
        }
    }

    /// Whether no term is held.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Entries allocated: the table's, or the array's length.
    pub fn capacity(&self) -> usize {
        match &self.repr {
            Repr::Table(t) => t.capacity(),
            Repr::Array { cnts, .. } => cnts.len(),
        }
    }

    /// Whether the counts are an array indexed by term id.
    pub fn is_dense(&self) -> bool {
        matches!(self.repr, Repr::Array { .. })
    }

    /// The counts of term `t`, if it is held.
    pub fn get(&self, t: u32) -> Option<&Cnt> {
        match &self.repr {
            Repr::Table(table) => table.get(t),
            Repr::Array { cnts, .. } => cnts.get(t as usize).filter(|c| c.count > 0),
        }
    }

    /// Turns the table into an array for `terms` term ids (the corpus's
    /// terms so far) once it holds a quarter of them or more, and an array
    /// back into a table once it holds less than an eighth; gives an array
    /// room for `terms` ids.
    pub(crate) fn densify(&mut self, terms: usize) {
        let form = match &mut self.repr {
            Repr::Table(table) if !table.is_empty() && table.len() * 4 >= terms => Repr::Array {
                cnts: vec![fresh(); terms],
                len: 0,
            },
            Repr::Array { len, .. } if *len * 8 < terms => {
                Repr::Table(CountTable::with_capacity(*len))
            }
            Repr::Array { cnts, .. } => {
                if cnts.len() < terms {
                    cnts.resize(terms, fresh());
                }
                return;
            }
            Repr::Table(_) => return,
        };
        // The counts move into their new form as they were added.
        let old = std::mem::replace(self, TermCounts { repr: form });
        for (t, c) in old.iter() {
            self.entry(t).0.add(c);
        }
    }

    /// Starts fetching the counts of term `t`.  Only a hint.
    #[inline(always)]
    pub(crate) fn prefetch(&self, t: u32) {
        match &self.repr {
            Repr::Table(table) => table.prefetch(t),
            Repr::Array { cnts, .. } => {
                if (t as usize) < cnts.len() {
                    prefetch_index(cnts, t as usize);
                }
            }
        }
    }

    /// The counts of term `t`, fresh if it was not there, and whether it
    /// was new.  The caller adds a count of at least 1 (an array holds the
    /// terms whose count is not 0).
    #[inline(always)]
    pub(crate) fn entry(&mut self, t: u32) -> (&mut Cnt, bool) {
        match &mut self.repr {
            Repr::Table(table) => table.entry(t),
            Repr::Array { cnts, len } => {
                let i = t as usize;
                if i >= cnts.len() {
                    cnts.resize((i + 1).max(cnts.len() * 3 / 2), fresh());
                }
                let c = &mut cnts[i];
                let new = c.count == 0;
                *len += usize::from(new);
                (c, new)
            }
        }
    }

    /// Adds every term's counts in `items` (see [`CountTable::add_all`]).
    pub(crate) fn add_all(&mut self, items: &[(u32, Cnt)]) {
        match &mut self.repr {
            Repr::Table(table) => table.add_all(items),
            Repr::Array { .. } => {
                for (i, (t, cnt)) in items.iter().enumerate() {
                    if let Some(&(ahead, _)) = items.get(i + AHEAD) {
                        self.prefetch(ahead);
                    }
                    self.entry(*t).0.add(cnt);
                }
            }
        }
    }

    /// Every term with its counts: in term order for an array, in no
    /// particular order for a table.
    pub fn iter(&self) -> TermIter<'_> {
        TermIter(match &self.repr {
            Repr::Table(table) => Walk::Table(table.entries.iter()),
            Repr::Array { cnts, .. } => Walk::Array(cnts.iter().enumerate()),
        })
    }

    /// Every term held (see [`TermCounts::iter`]).
    pub fn keys(&self) -> impl Iterator<Item = u32> + '_ {
        self.iter().map(|(t, _)| t)
    }

    /// Every term's counts (see [`TermCounts::iter`]).
    pub fn values(&self) -> impl Iterator<Item = &Cnt> + '_ {
        self.iter().map(|(_, c)| c)
    }
}

/// The iterator of [`TermCounts::iter`].
#[derive(Debug, Clone)]
pub struct TermIter<'a>(Walk<'a>);

#[derive(Debug, Clone)]
enum Walk<'a> {
    Table(std::slice::Iter<'a, (u32, Cnt)>),
    Array(std::iter::Enumerate<std::slice::Iter<'a, Cnt>>),
}

impl<'a> Iterator for TermIter<'a> {
    type Item = (u32, &'a Cnt);

    fn next(&mut self) -> Option<Self::Item> {
        match &mut self.0 {
            Walk::Table(entries) => entries.find(|e| e.0 != u32::FREE).map(|(t, c)| (*t, c)),
            Walk::Array(cnts) => cnts.find(|(_, c)| c.count > 0).map(|(t, c)| (t as u32, c)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::collections::HashMap;

    fn cnt(count: u64, docs: u32) -> Cnt {
        let mut c = fresh();
        c.count = count;
        c.docs = docs;
        c
    }

    /// Adds each key's count and documents to `sums`, a standard map.
    fn tally_into<K: std::hash::Hash + Eq + Copy>(
        sums: &mut HashMap<K, (u64, u64)>,
        items: impl IntoIterator<Item = (K, Cnt)>,
    ) {
        for (k, c) in items {
            let e = sums.entry(k).or_default();
            e.0 += c.count;
            e.1 += u64::from(c.docs);
        }
    }

    /// Each key's summed count and documents.
    fn tally<K: std::hash::Hash + Eq + Copy>(
        items: impl IntoIterator<Item = (K, Cnt)>,
    ) -> HashMap<K, (u64, u64)> {
        let mut sums = HashMap::new();
        tally_into(&mut sums, items);
        sums
    }

    #[test]
    fn entry_reports_new_keys_once() {
        let mut t = CountTable::<u64>::default();
        let (c, new) = t.entry(7);
        assert!(new);
        c.add(&cnt(2, 1));
        let (c, new) = t.entry(7);
        assert!(!new);
        assert_eq!((c.count, c.docs), (2, 1));
        assert_eq!(t.len(), 1);
        assert!(!t.is_empty());
        assert_eq!(t.get(7).map(|c| c.count), Some(2));
        assert_eq!(t.get(8), None);
        assert_eq!(t.get(u64::MAX), None);
    }

    #[test]
    fn key_zero_is_a_key() {
        let mut t = CountTable::<u32>::default();
        t.add(0, &cnt(1, 1));
        t.add(0, &cnt(1, 1));
        let all: Vec<(u32, u64)> = t.iter().map(|(k, c)| (k, c.count)).collect();
        assert_eq!(all, [(0, 2)]);
    }

    proptest! {
        /// Added to one document's terms at a time, with the corpus's term
        /// count growing in between (so that the counts turn into an
        /// array and back), the counts sum as a standard map does.
        #[test]
        fn term_counts_sum_like_a_map_as_they_change_form(
            docs in proptest::collection::vec(
                (proptest::collection::vec((0u32..400, 1u32..4), 0..60), 1usize..2000, any::<bool>()),
                1..40,
            ),
        ) {
            let mut t = TermCounts::default();
            let mut want: HashMap<u32, (u64, u64)> = HashMap::new();
            for (terms, vocabulary, all_at_once) in &docs {
                t.densify(*vocabulary);
                let items: Vec<(u32, Cnt)> = terms.iter().map(|&(k, n)| (k, cnt(u64::from(n), 1))).collect();
                if *all_at_once {
                    t.add_all(&items);
                } else {
                    for (k, c) in &items {
                        t.prefetch(*k);
                        t.entry(*k).0.add(c);
                    }
                }
                tally_into(&mut want, items.iter().copied());
                prop_assert_eq!(tally(t.iter().map(|(k, c)| (k, *c))), want.clone());
                prop_assert_eq!(t.len(), want.len());
                prop_assert_eq!(t.keys().count(), want.len());
                for (k, (count, _)) in &want {
                    prop_assert_eq!(t.get(*k).map(|c| c.count), Some(*count));
                }
                prop_assert_eq!(t.get(100_000), None);
            }
        }
    }

    #[test]
    fn term_counts_turn_into_an_array_and_back() {
        let mut t = TermCounts::default();
        for k in 0..100u32 {
            t.entry(k).0.add(&cnt(1, 1));
        }
        t.densify(1000);
        assert!(!t.is_dense(), "a tenth of the terms stays a table");
        t.densify(400);
        assert!(t.is_dense(), "a quarter becomes an array");
        assert_eq!(t.capacity(), 400);
        t.densify(700);
        assert!(t.is_dense(), "above an eighth it stays an array");
        t.densify(801);
        assert!(!t.is_dense(), "below an eighth it goes back");
        assert_eq!(t.len(), 100);
        assert_eq!(t.iter().map(|(_, c)| c.count).sum::<u64>(), 100);
    }

    proptest! {
        /// Whatever the keys (dense, sparse, colliding in their low bits)
        /// and however the table grows, it sums as a standard map does.
        #[test]
        fn sums_like_a_map(
            keys in proptest::collection::vec((0u32..5000, 0u32..50, 0u32..3), 0..3000),
            prefetched in any::<bool>(),
        ) {
            let items: Vec<(u64, Cnt)> = keys
                .iter()
                .map(|&(a, b, shift)| {
                    let key = (u64::from(a) << (32 + shift)) | u64::from(b);
                    (key, cnt(u64::from(b) + 1, 1))
                })
                .collect();
            let mut t = CountTable::<u64>::default();
            if prefetched {
                t.add_all(&items);
            } else {
                for (k, c) in &items {
                    t.add(*k, c);
                }
            }
            let want = tally(items.iter().copied());
            let got = tally(t.iter().map(|(k, c)| (k, *c)));
            prop_assert_eq!(t.len(), want.len());
            prop_assert_eq!(&got, &want);
            prop_assert!(t.len() * 4 <= t.capacity() * 3);
            for (k, (count, _)) in &want {
                prop_assert_eq!(t.get(*k).map(|c| c.count), Some(*count));
            }
            prop_assert_eq!(t.keys().count(), want.len());
            prop_assert_eq!(
                t.values().map(|c| c.count).sum::<u64>(),
                want.values().map(|v| v.0).sum::<u64>()
            );
        }
    }
}
