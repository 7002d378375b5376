//! A string interner: dense `u32` ids in order of first appearance.

use std::hash::BuildHasher;

use hashbrown::{DefaultHashBuilder, HashTable};
use lexiscope_text::words::{head16, load8};

/// Bytes of a string kept in its table slot.
const HEAD: usize = 16;

/// A table slot: the id, the length and the first 16 bytes of its string,
/// so that nearly every lookup (words of up to 16 bytes, and any mismatch in
/// length or head) is decided without a second memory access to the arena.
#[derive(Clone, Copy, Debug)]
struct Slot {
    id: u32,
    len: u32,
    head: [u64; 2],
}

/// The hash of `s`, whose head (see [`head16`]) is `head`: a folded
/// multiplication of the head's two words, then one more per further eight
/// bytes.  Computed inline from the words a lookup needs anyway, it costs a
/// few instructions where a general string hasher was a call and 5% of
/// counting.
#[inline(always)]
fn hash_with(seed: [u64; 2], s: &[u8], head: [u64; 2]) -> u64 {
    let [k0, k1] = seed;
    let mut h = folded_mul(head[0] ^ k0, head[1] ^ k1 ^ ((s.len() as u64) << 48));
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

/// The 128-bit product of `a` and `b`, its halves xor-ed together.
#[inline(always)]
fn folded_mul(a: u64, b: u64) -> u64 {
    let p = u128::from(a) * u128::from(b);
    (p as u64) ^ ((p >> 64) as u64)
}

/// Maps strings to dense ids (0, 1, 2... in order of first appearance) and
/// back.  The strings live in one arena, so interning a new string costs one
/// copy and looking up a known one costs none.
#[derive(Clone)]
pub struct Interner {
    table: HashTable<Slot>,
    /// Random per interner (from the standard random hasher), so that no
    /// corpus can be built to make every word collide.
    seed: [u64; 2],
    arena: String,
    spans: Vec<(u32, u32)>,
}

impl Default for Interner {
    fn default() -> Self {
        Interner::with_capacity(0, 0)
    }
}

impl std::fmt::Debug for Interner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Interner")
            .field("len", &self.len())
            .finish()
    }
}

impl Interner {
    /// An empty interner.
    pub fn new() -> Self {
        Self::default()
    }

    /// An empty interner with room for `n` strings of about `bytes` bytes in all.
    pub fn with_capacity(n: usize, bytes: usize) -> Self {
        let random = DefaultHashBuilder::default();
        Interner {
            table: HashTable::with_capacity(n),
            seed: [random.hash_one(1u64), random.hash_one(2u64)],
            arena: String::with_capacity(bytes),
            spans: Vec::with_capacity(n),
        }
    }

    #[inline(always)]
    fn hash(&self, s: &[u8], head: [u64; 2]) -> u64 {
        hash_with(self.seed, s, head)
    }

    #[inline(always)]
    fn find(&self, hash: u64, s: &str) -> Option<u32> {
        let bytes = s.as_bytes();
        self.find_with(hash, bytes, head16(bytes))
    }

    #[inline(always)]
    fn find_with(&self, hash: u64, bytes: &[u8], head: [u64; 2]) -> Option<u32> {
        let len = bytes.len() as u32;
        let (arena, spans) = (&self.arena, &self.spans);
        self.table
            .find(hash, |slot| {
                slot.len == len
                    && slot.head == head
                    && (len as usize <= HEAD || {
                        let (a, b) = spans[slot.id as usize];
                        &arena.as_bytes()[a as usize..b as usize] == bytes
                    })
            })
            .map(|slot| slot.id)
    }

    /// The id of `s`, and whether it was new.
    #[inline]
    pub fn intern(&mut self, s: &str) -> (u32, bool) {
        let head = head16(s.as_bytes());
        let hash = self.hash(s.as_bytes(), head);
        if let Some(id) = self.find_with(hash, s.as_bytes(), head) {
            return (id, false);
        }
        let id = self.spans.len() as u32;
        let start = self.arena.len() as u32;
        self.arena.push_str(s);
        self.spans.push((start, self.arena.len() as u32));
        let slot = Slot {
            id,
            len: s.len() as u32,
            head,
        };
        let (arena, spans, seed) = (&self.arena, &self.spans, self.seed);
        self.table.insert_unique(hash, slot, |slot| {
            let (a, b) = spans[slot.id as usize];
            hash_with(seed, &arena.as_bytes()[a as usize..b as usize], slot.head)
        });
        (id, true)
    }

    /// The id of `s` if it has been interned.
    pub fn get(&self, s: &str) -> Option<u32> {
        self.find(self.hash(s.as_bytes(), head16(s.as_bytes())), s)
    }

    /// The string of an id.
    #[inline]
    pub fn resolve(&self, id: u32) -> &str {
        let (a, b) = self.spans[id as usize];
        &self.arena[a as usize..b as usize]
    }

    /// Number of distinct strings.
    #[inline]
    pub fn len(&self) -> usize {
        self.spans.len()
    }

    /// True when nothing has been interned.
    pub fn is_empty(&self) -> bool {
        self.spans.is_empty()
    }

    /// Heap bytes used, roughly.
    pub fn heap_bytes(&self) -> usize {
        self.arena.capacity() + self.spans.capacity() * 8 + self.table.capacity() * 25
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_spread_over_buckets_and_tags() {
        let i = Interner::new();
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
        // Bucket index (low bits) and control tag (top 7 bits), as the table
        // uses them: no bucket far fuller than its share.
        let mut buckets = vec![0u32; 1 << 16];
        let mut tags = [0u32; 128];
        for h in &hashes {
            buckets[(h & 0xFFFF) as usize] += 1;
            tags[(h >> 57) as usize] += 1;
        }
        assert!(
            buckets.iter().all(|&b| b <= 12),
            "{:?}",
            buckets.iter().max()
        );
        assert!(tags.iter().all(|&t| (600..=1000).contains(&t)), "{tags:?}");
    }

    #[test]
    fn dense_ids_in_first_seen_order() {
        let mut i = Interner::new();
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
