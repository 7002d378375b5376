//! A string interner: dense `u32` ids in order of first appearance.

use std::hash::BuildHasher;

use hashbrown::DefaultHashBuilder;
use lexiscope_text::words::{head16, load8, written_zeros};
use prefetch_index::prefetch_index;

/// Bytes of a string kept in its record.
const HEAD: usize = 16;

/// What the interner keeps of each string, indexed by id: its first 16
/// bytes and the owner's value for it.  Ids follow first appearance, so the
/// records of common words are close together near the start and stay in
/// cache; comparing a word with its record decides nearly every lookup
/// (words of up to 16 bytes, and any mismatch in head) without reading the
/// arena, and the value the caller updates next is in the same cache line,
/// or the next.
#[derive(Clone, Copy, Debug)]
struct Record<V> {
    head: [u64; 2],
    val: V,
}

/// The hash of `s`, whose head (see [`head16`]) is `head`: a folded
/// multiplication of the head's two words, then one more per further eight
/// bytes.  Computed inline from the words a lookup needs anyway, it costs a
/// few instructions where a general string hasher was a call and 5% of
/// counting.
#[inline(always)]
fn hash_with(seed: [u64; 2], s: &[u8], head: [u64; 2]) -> u64 {
    let [k0, k1] = seed;
    let mut h = hash_of_head(seed, head, s.len());
    if s.len() > HEAD {
        let mut at = HEAD;
        while at + 8 <= s.len() {
            h = folded_mul(h ^ load8(s, at), k1 | 1);
            at += 8;
        }
        if at < s.len() {
            h = folded_mul(h ^ load8(s, s.len() - 8), k0 | 1);
        }
    }
    h
}

/// The hash of a string `len` bytes long whose head is `head`, from
/// these alone: the whole hash of a string of at most 16 bytes, the start
/// of a longer one's (see [`hash_with`]).
#[inline(always)]
fn hash_of_head(seed: [u64; 2], head: [u64; 2], len: usize) -> u64 {
    let [k0, k1] = seed;
    folded_mul(head[0] ^ k0, head[1] ^ k1 ^ ((len as u64) << 48))
}

/// The 128-bit product of `a` and `b`, its halves xor-ed together.
#[inline(always)]
pub(crate) fn folded_mul(a: u64, b: u64) -> u64 {
    let p = u128::from(a) * u128::from(b);
    (p as u64) ^ ((p >> 64) as u64)
}

/// A table slot: the high 24 bits of the string's hash, its length (255 for
/// 255 bytes or more) and its id plus one, high to low; 0 is an empty slot.
#[inline(always)]
fn slot(hash: u64, len: usize, id: u32) -> u64 {
    tag_len(hash, len) | u64::from(id + 1)
}

/// The tag-and-length bits of a slot (see [`slot`]).
#[inline(always)]
fn tag_len(hash: u64, len: usize) -> u64 {
    (hash & !((1 << 40) - 1)) | ((len.min(255) as u64) << 32)
}

/// Maps strings to dense ids (0, 1, 2... in order of first appearance) and
/// back, and keeps a value of type `V` for each (a count, say: see
/// [`Interner::val_mut`]).  The strings live in one arena, so interning a
/// new string costs one copy and looking up a known one costs none.
///
/// The table is open addressing with linear probing over 8-byte slots, at
/// most half full: a lookup usually reads one slot, and 30,000 words (a 2 MB
/// batch of news) take 512 KB of slots, which stay in a core's cache where
/// the 24-byte slots of a general hash table did not.
#[derive(Clone)]
pub struct Interner<V = ()> {
    slots: Vec<u64>,
    mask: usize,
    /// Random per interner (from the standard random hasher), so that no
    /// corpus can be built to make every word collide.
    seed: [u64; 2],
    arena: String,
    records: Vec<Record<V>>,
    /// Where each string is in the arena.
    spans: Vec<(u32, u32)>,
    /// The value a new string starts with.
    init: V,
}

impl<V: Copy + Default> Default for Interner<V> {
    fn default() -> Self {
        Interner::with_capacity(0, 0)
    }
}

impl<V> std::fmt::Debug for Interner<V> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Interner")
            .field("len", &self.records.len())
            .finish()
    }
}

impl<V: Copy + Default> Interner<V> {
    /// An empty interner.
    pub fn new() -> Self {
        Self::default()
    }

    /// An empty interner with room for `n` strings of about `bytes` bytes in
    /// all, whose new strings start with the value `V::default()`.
    pub fn with_capacity(n: usize, bytes: usize) -> Self {
        Interner::with_init(n, bytes, V::default())
    }
}

impl<V: Copy> Interner<V> {
    /// [`Interner::with_capacity`], new strings starting with the value `init`.
    pub fn with_init(n: usize, bytes: usize, init: V) -> Self {
        let random = DefaultHashBuilder::default();
        let slots = (n * 2).next_power_of_two().max(16);
        Interner {
            slots: written_zeros(slots),
            mask: slots - 1,
            seed: [random.hash_one(1u64), random.hash_one(2u64)],
            arena: String::with_capacity(bytes),
            records: Vec::with_capacity(n),
            spans: Vec::with_capacity(n),
            init,
        }
    }

    #[inline(always)]
    fn hash(&self, s: &[u8], head: [u64; 2]) -> u64 {
        hash_with(self.seed, s, head)
    }

    /// The id of `bytes` (`Ok`), or the empty slot where it would go (`Err`).
    #[inline(always)]
    fn probe(&self, hash: u64, bytes: &[u8], head: [u64; 2]) -> Result<u32, usize> {
        // The length matched in the slot (exactly, below 255), and the
        // head holds a string of up to 16 bytes whole.
        self.probe_by(hash, bytes.len(), head, |id| {
            bytes.len() <= HEAD || self.bytes_of(id) == bytes
        })
    }

    /// [`Interner::probe`] for a string `len` bytes long whose head is
    /// `head`, `rest_equal` telling whether a string with the same head
    /// and length is the one sought.
    #[inline(always)]
    fn probe_by(
        &self,
        hash: u64,
        len: usize,
        head: [u64; 2],
        rest_equal: impl Fn(u32) -> bool,
    ) -> Result<u32, usize> {
        let want = tag_len(hash, len);
        let mut at = hash as usize & self.mask;
        loop {
            let s = self.slots[at];
            if s == 0 {
                return Err(at);
            }
            if s & !0xFFFF_FFFF == want {
                let id = (s as u32) - 1;
                if self.records[id as usize].head == head && rest_equal(id) {
                    return Ok(id);
                }
            }
            at = (at + 1) & self.mask;
        }
    }

    /// The id of `s`, and whether it was new.
    #[inline]
    pub fn intern(&mut self, s: &str) -> (u32, bool) {
        self.intern_headed(s, head16(s.as_bytes()))
    }

    /// [`Interner::intern`] of `s` whose head, `head16(s)`, the caller has
    /// at hand (a tokenizer that read the bytes already).
    #[inline(always)]
    pub fn intern_headed(&mut self, s: &str, head: [u64; 2]) -> (u32, bool) {
        let hash = self.hash(s.as_bytes(), head);
        self.intern_hashed(s, head, hash)
    }

    /// The hash a lookup of `s`, whose head is `head`, starts from (see
    /// [`Interner::prefetch_slot`]).
    #[inline]
    pub fn hash_of(&self, s: &str, head: [u64; 2]) -> u64 {
        self.hash(s.as_bytes(), head)
    }

    /// Starts fetching the table slot that a lookup of the string hashed
    /// to `hash` (by [`Interner::hash_of`]) reads first.  Only a hint: a
    /// caller that knows the strings it will look up asks a few lookups
    /// ahead, then for the record with [`Interner::prefetch_record`].
    #[inline(always)]
    pub fn prefetch_slot(&self, hash: u64) {
        prefetch_index(&self.slots, hash as usize & self.mask);
    }

    /// Starts fetching the record of the string hashed to `hash`, `len`
    /// bytes long, if its slot (best fetched by [`Interner::prefetch_slot`]
    /// a little earlier) names a string of that length.
    #[inline(always)]
    pub fn prefetch_record(&self, hash: u64, len: usize) {
        let s = self.slots[hash as usize & self.mask];
        if s != 0 && s & !0xFFFF_FFFF == tag_len(hash, len) {
            prefetch_index(&self.records, (s as u32 - 1) as usize);
        }
    }

    /// Starts fetching an id's record and where its string lies (what
    /// [`Interner::val`], [`Interner::head`] and [`Interner::resolve`] read
    /// first).  Only a hint.
    #[inline(always)]
    pub fn prefetch_id(&self, id: u32) {
        prefetch_index(&self.records, id as usize);
        prefetch_index(&self.spans, id as usize);
    }

    /// The head of an id's string (see [`head16`]).
    #[inline]
    pub fn head(&self, id: u32) -> [u64; 2] {
        self.records[id as usize].head
    }

    /// [`Interner::hash_of`] of a string of at most 16 bytes, from its
    /// head and length alone.
    #[inline(always)]
    pub fn hash_short(&self, head: [u64; 2], len: usize) -> u64 {
        debug_assert!(len <= HEAD);
        hash_of_head(self.seed, head, len)
    }

    /// [`Interner::intern_hashed`] of a string of at most 16 bytes known
    /// by its head and length (the head holds all of it, and makes the
    /// string when it is new).
    #[inline(always)]
    pub fn intern_short(&mut self, head: [u64; 2], len: usize, hash: u64) -> (u32, bool) {
        debug_assert!(len <= HEAD);
        match self.probe_by(hash, len, head, |_| true) {
            Ok(id) => (id, false),
            Err(at) => {
                let mut buf = [0u8; HEAD];
                buf[..8].copy_from_slice(&head[0].to_le_bytes());
                buf[8..].copy_from_slice(&head[1].to_le_bytes());
                let s =
                    std::str::from_utf8(&buf[..len]).expect("a head holds a whole short string");
                (self.insert(at, hash, s, head), true)
            }
        }
    }

    /// [`Interner::intern_headed`] with the hash computed by
    /// [`Interner::hash_of`].
    #[inline(always)]
    pub fn intern_hashed(&mut self, s: &str, head: [u64; 2], hash: u64) -> (u32, bool) {
        debug_assert_eq!(head, head16(s.as_bytes()));
        let bytes = s.as_bytes();
        match self.probe(hash, bytes, head) {
            Ok(id) => (id, false),
            Err(at) => (self.insert(at, hash, s, head), true),
        }
    }

    #[cold]
    #[inline(never)]
    fn insert(&mut self, mut at: usize, hash: u64, s: &str, head: [u64; 2]) -> u32 {
        let id = u32::try_from(self.records.len())
            .ok()
            .filter(|&id| id < u32::MAX - 1)
            .expect("more than 4 billion distinct strings");
        if (self.records.len() + 1) * 2 > self.slots.len() {
            self.grow();
            at = match self.probe(hash, s.as_bytes(), head) {
                Err(at) => at,
                Ok(_) => unreachable!("a new string is not in the table"),
            };
        }
        let start = u32::try_from(self.arena.len()).expect("arena over 4 GB");
        self.arena.push_str(s);
        let end = u32::try_from(self.arena.len()).expect("arena over 4 GB");
        self.records.push(Record {
            head,
            val: self.init,
        });
        self.spans.push((start, end));
        self.slots[at] = slot(hash, s.len(), id);
        id
    }

    #[inline]
    fn bytes_of(&self, id: u32) -> &[u8] {
        let (a, b) = self.spans[id as usize];
        &self.arena.as_bytes()[a as usize..b as usize]
    }

    /// Doubles the table and puts every string back.
    fn grow(&mut self) {
        let size = self.slots.len() * 2;
        self.slots = written_zeros(size);
        self.mask = size - 1;
        for (id, r) in self.records.iter().enumerate() {
            let bytes = self.bytes_of(id as u32);
            let hash = hash_with(self.seed, bytes, r.head);
            let mut at = hash as usize & self.mask;
            while self.slots[at] != 0 {
                at = (at + 1) & self.mask;
            }
            self.slots[at] = slot(hash, bytes.len(), id as u32);
        }
    }

    /// The id of `s` if it has been interned.
    pub fn get(&self, s: &str) -> Option<u32> {
        let head = head16(s.as_bytes());
        self.probe(self.hash(s.as_bytes(), head), s.as_bytes(), head)
            .ok()
    }

    /// The string of an id.
    #[inline]
    pub fn resolve(&self, id: u32) -> &str {
        let (a, b) = self.spans[id as usize];
        &self.arena[a as usize..b as usize]
    }

    /// The value of an id.
    #[inline(always)]
    pub fn val(&self, id: u32) -> &V {
        &self.records[id as usize].val
    }

    /// The value of an id, to change.
    #[inline(always)]
    pub fn val_mut(&mut self, id: u32) -> &mut V {
        &mut self.records[id as usize].val
    }

    /// Every id's value, in id order.
    pub fn values(&self) -> impl ExactSizeIterator<Item = &V> + '_ {
        self.records.iter().map(|r| &r.val)
    }

    /// Number of distinct strings.
    #[inline]
    pub fn len(&self) -> usize {
        self.records.len()
    }

    /// True when nothing has been interned.
    pub fn is_empty(&self) -> bool {
        self.records.is_empty()
    }

    /// Heap bytes used, roughly.
    pub fn heap_bytes(&self) -> usize {
        self.arena.capacity()
            + self.records.capacity() * std::mem::size_of::<Record<V>>()
            + self.spans.capacity() * 8
            + self.slots.capacity() * 8
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_spread_over_buckets_and_tags() {
        // Seeds are random in use; fixed here so that the test gives the
        // same answer every run.
        let mix = |x: u64| {
            // splitmix64's finaliser: well-spread 64-bit seeds from 0, 1, 2...
            let mut z = x.wrapping_add(1).wrapping_mul(0x9E37_79B9_7F4A_7C15);
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            z ^ (z >> 31)
        };
        for n in 0..8u64 {
            spread_with_seed([mix(2 * n), mix(2 * n + 1)]);
        }
    }

    fn spread_with_seed(seed: [u64; 2]) {
        let mut i = Interner::<()>::new();
        i.seed = seed;
        let words: Vec<String> = (0..100_000u32)
            .map(|n| match n % 4 {
                0 => n.to_string(),
                1 => format!("w{n}"),
                2 => format!("a-rather-long-word-number-{n}"),
                _ => format!("{n}x{}", n % 7),
            })
            .collect();
        let hashes: Vec<u64> = words
            .iter()
            .map(|w| i.hash(w.as_bytes(), head16(w.as_bytes())))
            .collect();
        let mut distinct = hashes.clone();
        distinct.sort_unstable();
        distinct.dedup();
        assert_eq!(distinct.len(), words.len(), "no two words share a hash");
        // Slot index (low bits) and tag (high 24 bits), as the table uses
        // them: no slot far fuller than its share, and tags that tell
        // nearly every pair of words apart (about 300 of 100,000 words
        // share theirs with another by pure chance; seeds vary, 230-400
        // seen over 40 random ones).
        let mut buckets = vec![0u32; 1 << 16];
        for h in &hashes {
            buckets[(h & 0xFFFF) as usize] += 1;
        }
        assert!(
            buckets.iter().all(|&b| b <= 12),
            "{seed:?}: {:?}",
            buckets.iter().max()
        );
        let mut tags: Vec<u64> = hashes.iter().map(|h| h >> 40).collect();
        tags.sort_unstable();
        tags.dedup();
        assert!(
            tags.len() >= words.len() - 450,
            "{seed:?}: {} tags",
            tags.len()
        );
    }

    #[test]
    fn values_follow_their_strings() {
        let mut i = Interner::with_init(0, 0, 7u64);
        // Long strings: the same head, lengths past the slot's 255.
        let long_a = "x".repeat(300);
        let long_b = format!("{}y", "x".repeat(299));
        let long_c = "x".repeat(400);
        for (n, w) in ["a", "bb", &long_a, &long_b, &long_c].iter().enumerate() {
            let (id, new) = i.intern(w);
            assert!(new);
            assert_eq!(*i.val(id), 7);
            *i.val_mut(id) = n as u64;
        }
        for n in 0..5_000u64 {
            // Growth moves the slots, never the values.
            let (id, _) = i.intern(&format!("n{n}"));
            *i.val_mut(id) += n;
        }
        for (n, w) in ["a", "bb", &long_a, &long_b, &long_c].iter().enumerate() {
            let (id, new) = i.intern(w);
            assert!(!new, "{w:.10}");
            assert_eq!(*i.val(id), n as u64);
            assert_eq!(i.resolve(id), *w);
        }
        assert_eq!(i.get(&"x".repeat(299)), None);
        assert_eq!(*i.val(i.get("n4999").unwrap()), 7 + 4999);
        assert_eq!(i.values().len(), 5_005);
    }

    #[test]
    fn dense_ids_in_first_seen_order() {
        let mut i = Interner::<()>::new();
        assert_eq!(i.intern("b"), (0, true));
        assert_eq!(i.intern("a"), (1, true));
        assert_eq!(i.intern("b"), (0, false));
        assert_eq!(i.resolve(1), "a");
        assert_eq!(i.get("a"), Some(1));
        assert_eq!(i.get("z"), None);
        assert_eq!(i.len(), 2);
        for n in 0..10_000 {
            i.intern(&n.to_string());
        }
        assert_eq!(i.len(), 10_002);
        assert_eq!(i.resolve(i.get("9999").unwrap()), "9999");
        // Long strings sharing their first 16 bytes, and the empty string.
        let (a, _) = i.intern("internationalization");
        let (b, _) = i.intern("internationalizations");
        let (c, _) = i.intern("internationalisation");
        let (e, new) = i.intern("");
        assert!(a != b && b != c && new);
        assert_eq!(i.intern("internationalization"), (a, false));
        assert_eq!(i.intern("internationalizations"), (b, false));
        assert_eq!(i.get("internationalizatio"), None);
        assert_eq!(i.resolve(e), "");
        assert_eq!(i.get(""), Some(e));
    }
}
