//! A string interner: dense `u32` ids in order of first appearance.

use std::hash::BuildHasher;

use hashbrown::{DefaultHashBuilder, HashTable};

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

/// The first 16 bytes of `s`, zero-padded, as two little-endian words;
/// built from (possibly overlapping) whole-word reads instead of a copy of
/// variable length, which cost a quarter of each lookup.
#[inline(always)]
fn head_of(s: &[u8]) -> [u64; 2] {
    let n = s.len();
    if n >= HEAD {
        return [load8(s, 0), load8(s, 8)];
    }
    if n >= 8 {
        // The last eight bytes, shifted down past the ones the first word has.
        // (Nothing is left for it when the string is exactly eight bytes.)
        let rest = load8(s, n - 8).checked_shr(8 * (HEAD - n) as u32);
        return [load8(s, 0), rest.unwrap_or(0)];
    }
    if n >= 4 {
        let (lo, hi) = (load4(s, 0), load4(s, n - 4));
        return [lo | (hi << (8 * (n - 4))), 0];
    }
    let mut w = 0u64;
    for (i, &b) in s.iter().enumerate() {
        w |= u64::from(b) << (8 * i);
    }
    [w, 0]
}

#[inline(always)]
fn load8(s: &[u8], at: usize) -> u64 {
    let mut w = [0u8; 8];
    w.copy_from_slice(&s[at..at + 8]);
    u64::from_le_bytes(w)
}

#[inline(always)]
fn load4(s: &[u8], at: usize) -> u64 {
    let mut w = [0u8; 4];
    w.copy_from_slice(&s[at..at + 4]);
    u64::from(u32::from_le_bytes(w))
}

/// Maps strings to dense ids (0, 1, 2... in order of first appearance) and
/// back.  The strings live in one arena, so interning a new string costs one
/// copy and looking up a known one costs none.
#[derive(Clone, Default)]
pub struct Interner {
    table: HashTable<Slot>,
    hasher: DefaultHashBuilder,
    arena: String,
    spans: Vec<(u32, u32)>,
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
        Interner {
            table: HashTable::with_capacity(n),
            hasher: DefaultHashBuilder::default(),
            arena: String::with_capacity(bytes),
            spans: Vec::with_capacity(n),
        }
    }

    #[inline(always)]
    fn find(&self, hash: u64, s: &str) -> Option<u32> {
        let bytes = s.as_bytes();
        let (len, head) = (bytes.len() as u32, head_of(bytes));
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
        let hash = self.hasher.hash_one(s);
        if let Some(id) = self.find(hash, s) {
            return (id, false);
        }
        let id = self.spans.len() as u32;
        let start = self.arena.len() as u32;
        self.arena.push_str(s);
        self.spans.push((start, self.arena.len() as u32));
        let slot = Slot {
            id,
            len: s.len() as u32,
            head: head_of(s.as_bytes()),
        };
        let (arena, spans, hasher) = (&self.arena, &self.spans, &self.hasher);
        self.table.insert_unique(hash, slot, |slot| {
            let (a, b) = spans[slot.id as usize];
            hasher.hash_one(&arena[a as usize..b as usize])
        });
        (id, true)
    }

    /// The id of `s` if it has been interned.
    pub fn get(&self, s: &str) -> Option<u32> {
        self.find(self.hasher.hash_one(s), s)
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
    fn heads_are_the_first_16_bytes_zero_padded() {
        let bytes: Vec<u8> = (0..40u8)
            .map(|i| i.wrapping_mul(37).wrapping_add(1))
            .collect();
        for start in 0..3 {
            for n in 0..=24 {
                let s = &bytes[start..start + n];
                let mut padded = [0u8; 16];
                let k = n.min(16);
                padded[..k].copy_from_slice(&s[..k]);
                let (lo, hi) = padded.split_at(8);
                let want = [
                    u64::from_le_bytes(lo.try_into().unwrap()),
                    u64::from_le_bytes(hi.try_into().unwrap()),
                ];
                assert_eq!(head_of(s), want, "length {n}");
            }
        }
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
