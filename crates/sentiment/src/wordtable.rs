//! A small open-addressing hash table from words to values, tuned for the
//! VADER hot path.
//!
//! Keys are handled as little-endian `u64` words (eight bytes each, the last
//! one zero-padded), so a caller that already holds a token in that form
//! (the ASCII fast path lower-cases eight bytes at a time) hashes and
//! compares it without touching bytes again. A slot is one `u64`
//! (32-bit hash tag + record index); a record holds the first two key words
//! inline, so words of up to 16 bytes compare as two integers.

const K: u64 = 0x9E37_79B9_7F4A_7C15;

// Word-at-a-time helpers for the eight-bytes-at-a-time scans of VADER and
// AFINN, shared with the tokenizer.
pub(crate) use lexiscope_text::words::{low_bytes, HIGH as HIGH_BITS, ONES};

use lexiscope_text::words::written_zeros;

/// The eight bytes at `pos` as a little-endian word, if there are eight.
#[inline]
pub(crate) fn load_word(bytes: &[u8], pos: usize) -> Option<u64> {
    let chunk: [u8; 8] = bytes.get(pos..pos + 8)?.try_into().ok()?;
    Some(u64::from_le_bytes(chunk))
}

/// Starts the hash of a key of `len` bytes.
#[inline]
pub(crate) fn hash_start(len: usize) -> u64 {
    (len as u64).wrapping_mul(K)
}

/// Feeds one key word into the hash.
#[inline]
pub(crate) fn hash_step(h: u64, word: u64) -> u64 {
    (h ^ word).wrapping_mul(K).rotate_left(29)
}

/// Number of `u64` words a key of `len` bytes is hashed and compared as:
/// at least two, so that keys of up to 16 bytes (nearly all) take one
/// branch-free path.
#[inline]
pub(crate) fn word_count(len: usize) -> usize {
    len.div_ceil(8).max(2)
}

/// `key` as zero-padded little-endian words, appended to `out`; returns the hash.
fn key_words(key: &[u8], out: &mut Vec<u64>) -> u64 {
    let mut h = hash_start(key.len());
    for k in 0..word_count(key.len()) {
        let mut w = [0u8; 8];
        for (d, s) in w.iter_mut().zip(key.iter().skip(8 * k)) {
            *d = *s;
        }
        let word = u64::from_le_bytes(w);
        h = hash_step(h, word);
        out.push(word);
    }
    h
}

/// Size of the presence filter in bits (16 KiB, stays in L1 cache).
const FILTER_BITS: usize = 1 << 17;

/// The filter bit of a hash (bits 20..37, independent of the slot index).
#[inline]
fn filter_bit(h: u64) -> usize {
    (h >> 20) as usize & (FILTER_BITS - 1)
}

#[derive(Debug, Clone)]
struct Record<V> {
    prefix: [u64; 2],
    len: u32,
    /// Where words 2.. of a key longer than 16 bytes start in `long`.
    long_at: u32,
    value: V,
}

/// Maps words to values of type `V`.
#[derive(Debug, Clone)]
pub(crate) struct WordTable<V> {
    /// One bit per hash value (low bits): a clear bit proves a key absent
    /// without touching the larger slot array (most tokens are absent).
    filter: Vec<u64>,
    /// `tag << 32 | (record index + 1)`; 0 is empty.
    slots: Vec<u64>,
    records: Vec<Record<V>>,
    long: Vec<u64>,
    mask: usize,
}

impl<V: Copy> WordTable<V> {
    /// A table of `pairs`; a later duplicate key replaces the earlier value.
    pub(crate) fn new<'k>(pairs: impl IntoIterator<Item = (&'k [u8], V)>) -> WordTable<V> {
        let pairs: Vec<(&[u8], V)> = pairs.into_iter().collect();
        let size = (pairs.len().max(4) * 2).next_power_of_two();
        let mut t = WordTable {
            filter: written_zeros(FILTER_BITS / 64),
            slots: written_zeros(size),
            records: Vec::with_capacity(pairs.len()),
            long: Vec::new(),
            mask: size - 1,
        };
        let mut words = Vec::new();
        for (key, value) in pairs {
            words.clear();
            let h = key_words(key, &mut words);
            if let Some(i) = t.find(&words, key.len(), h) {
                t.records[i].value = value;
                continue;
            }
            let index = t.records.len();
            t.records.push(Record {
                prefix: [
                    words.first().copied().unwrap_or(0),
                    words.get(1).copied().unwrap_or(0),
                ],
                len: key.len() as u32,
                long_at: t.long.len() as u32,
                value,
            });
            t.long.extend(words.iter().skip(2));
            let mut at = h as usize & t.mask;
            while t.slots[at] != 0 {
                at = (at + 1) & t.mask;
            }
            t.slots[at] = ((h >> 32) << 32) | (index as u64 + 1);
            let bit = filter_bit(h);
            t.filter[bit / 64] |= 1 << (bit % 64);
        }
        t
    }

    /// Record index of the key given as `words` (see [`key_words`]).
    #[inline(always)]
    fn find(&self, words: &[u64], len: usize, h: u64) -> Option<usize> {
        let bit = filter_bit(h);
        if self
            .filter
            .get(bit / 64)
            .is_none_or(|f| f & (1 << (bit % 64)) == 0)
        {
            return None;
        }
        let tag = h >> 32;
        let prefix = [
            words.first().copied().unwrap_or(0),
            words.get(1).copied().unwrap_or(0),
        ];
        let mut at = h as usize & self.mask;
        loop {
            let slot = *self.slots.get(at)?;
            if slot == 0 {
                return None;
            }
            if slot >> 32 == tag {
                let index = (slot & 0xFFFF_FFFF) as usize - 1;
                let r = self.records.get(index)?;
                if r.len as usize == len
                    && r.prefix == prefix
                    && (words.len() <= 2 || {
                        let from = r.long_at as usize;
                        self.long.get(from..from + words.len() - 2) == Some(&words[2..])
                    })
                {
                    return Some(index);
                }
            }
            at = (at + 1) & self.mask;
        }
    }

    /// The value for a key given as zero-padded words with its byte length
    /// and hash (from [`hash_start`] and [`hash_step`] over the words).
    #[inline(always)]
    pub(crate) fn get_words(&self, words: &[u64], len: usize, hash: u64) -> Option<&V> {
        let i = self.find(words, len, hash)?;
        self.records.get(i).map(|r| &r.value)
    }

    /// The value for a key of `len` bytes, at most 16, given as its two
    /// zero-padded little-endian words (a token's head, as the word
    /// tokenizer and VADER's fast path hold it).
    #[inline(always)]
    pub(crate) fn get_short(&self, words: [u64; 2], len: usize) -> Option<&V> {
        debug_assert!(len <= 16);
        let h = hash_step(hash_step(hash_start(len), words[0]), words[1]);
        self.get_words(&words, len, h)
    }

    /// The value for `key`.
    pub(crate) fn get(&self, key: &[u8]) -> Option<&V> {
        let mut stack = [0u64; 6];
        let mut heap = Vec::new();
        let count = word_count(key.len());
        let words: &mut [u64] = if count <= stack.len() {
            &mut stack[..count]
        } else {
            heap.resize(count, 0);
            &mut heap
        };
        let mut h = hash_start(key.len());
        for (k, slot) in words.iter_mut().enumerate() {
            let mut w = [0u8; 8];
            for (d, s) in w.iter_mut().zip(key.iter().skip(8 * k)) {
                *d = *s;
            }
            *slot = u64::from_le_bytes(w);
            h = hash_step(h, *slot);
        }
        self.get_words(words, key.len(), h)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_what_was_stored() {
        let words = [
            "a",
            "good",
            "goodness",
            "exactly16bytes!!",
            "a-much-longer-key-than-sixteen",
            "a-much-longer-key-than-sixteen-and-longer-still",
            "",
        ];
        let t = WordTable::new(words.iter().enumerate().map(|(i, w)| (w.as_bytes(), i)));
        for (i, w) in words.iter().enumerate() {
            assert_eq!(t.get(w.as_bytes()), Some(&i), "{w}");
        }
        for miss in [
            "b",
            "goo",
            "goodnesses",
            "exactly16bytes!?",
            "a-much-longer-key-than-sixteen!",
            "a-much-longer-key-than-sixteen-and-longer-stilL",
            "a\0",
        ] {
            assert_eq!(t.get(miss.as_bytes()), None, "{miss}");
        }
        let t = WordTable::new([(&b"x"[..], 1), (&b"x"[..], 2)]);
        assert_eq!(t.get(b"x"), Some(&2));
    }
}
