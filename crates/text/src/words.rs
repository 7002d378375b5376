//! Short byte strings read as machine words, for the hot paths that look at
//! every token (lower-casing here, interning in the freq crate).

/// The first 16 bytes of `s`, zero-padded, as two little-endian words,
/// built from (possibly overlapping) whole-word reads rather than a copy of
/// variable length.
#[inline(always)]
pub fn head16(s: &[u8]) -> [u64; 2] {
    let n = s.len();
    if n >= 16 {
        return [load8(s, 0), load8(s, 8)];
    }
    if n >= 8 {
        // The last eight bytes, shifted down past the ones the first word
        // has (nothing is left when the string is exactly eight bytes).
        let rest = load8(s, n - 8).checked_shr(8 * (16 - n) as u32);
        return [load8(s, 0), rest.unwrap_or(0)];
    }
    if n >= 4 {
        let (lo, hi) = (load4(s, 0), load4(s, n - 4));
        return [lo | (hi << (8 * (n - 4))), 0];
    }
    if n == 0 {
        return [0, 0];
    }
    // One to three bytes: the first, middle and last (which overlap below
    // three) put in place without a loop.
    let (a, b, c) = (u64::from(s[0]), u64::from(s[n / 2]), u64::from(s[n - 1]));
    [a | (b << (8 * (n / 2))) | (c << (8 * (n - 1))), 0]
}

/// The first eight bytes of `s` as a big-endian number, zero-padded: when
/// two keys differ, the byte strings compare the same way (one that ends
/// sooner has a zero where the other has a byte, or the same byte); equal
/// keys leave the strings to decide.  Sorting by the key, then by the
/// string on a tie, sorts by the string with few string comparisons.
#[inline]
pub fn order_key(s: &[u8]) -> u64 {
    order_key_of_head(head16(s))
}

/// [`order_key`] of the string whose [`head16`] is `head` (an interner
/// keeps the heads of its strings, so their keys need no read of the text).
#[inline]
pub fn order_key_of_head(head: [u64; 2]) -> u64 {
    head[0].swap_bytes()
}

/// Eight bytes of `s` from `at`, little-endian.
#[inline(always)]
pub fn load8(s: &[u8], at: usize) -> u64 {
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

/// A one in every byte of a word.
pub const ONES: u64 = 0x0101_0101_0101_0101;
/// The high bit of every byte of a word.
pub const HIGH: u64 = 0x8080_8080_8080_8080;

/// The bits of the first `n` bytes (1 to 8) of a little-endian word.
#[inline(always)]
pub const fn low_bytes(n: usize) -> u64 {
    u64::MAX >> (8 * (8 - n))
}

/// The bytes of `word` equal to `b`, as their high bits; exact up to the
/// lowest one set (a borrow can mark bytes above a match, never below).
#[inline(always)]
pub fn bytes_equal(word: u64, b: u8) -> u64 {
    let x = word ^ (ONES * u64::from(b));
    x.wrapping_sub(ONES) & !x & HIGH
}

/// The bytes of `word` from `lo` to `hi` (both below 0x80), as their high
/// bits.  Every byte of `word` must be below 0x80 (clear the high bits
/// first otherwise), so that adding to a byte never carries into the next.
#[inline(always)]
pub fn bytes_within(word: u64, lo: u8, hi: u8) -> u64 {
    word.wrapping_add(ONES * u64::from(0x80 - lo))
        & !word.wrapping_add(ONES * u64::from(0x7F - hi))
        & HIGH
}

/// True when no byte of the words has its high bit set (all ASCII).
#[inline(always)]
pub(crate) fn ascii(w: [u64; 2]) -> bool {
    (w[0] | w[1]) & HIGH == 0
}

/// True when a byte of the words is an ASCII capital; the words must be
/// ASCII ([`ascii`]).
#[inline(always)]
pub(crate) fn has_capital(w: [u64; 2]) -> bool {
    bytes_within(w[0], b'A', b'Z') | bytes_within(w[1], b'A', b'Z') != 0
}

/// The head (see [`head16`]) of an ASCII string lower-cased, from the head
/// of the string: each capital gets the 0x20 bit.
#[inline(always)]
pub(crate) fn lowercase_ascii_head(w: [u64; 2]) -> [u64; 2] {
    [
        w[0] | (bytes_within(w[0], b'A', b'Z') >> 2),
        w[1] | (bytes_within(w[1], b'A', b'Z') >> 2),
    ]
}

/// Pushes `x` onto `v` when `keep`, without a branch on `keep`: the value
/// is always written, and the length moves past it only if kept.  For
/// loops whose `keep` is as good as random from one step to the next (a
/// mispredicted branch costs more than the spare write).
#[inline(always)]
pub fn push_if<T: Copy>(v: &mut Vec<T>, keep: bool, x: T) {
    let len = v.len();
    v.push(x);
    v.truncate(len + usize::from(keep));
}

/// `n` zeros whose memory has been written, not only allocated: for hash
/// tables that are probed (read) before they are filled.
///
/// `vec![0; n]` of a large table takes fresh pages the kernel has not
/// backed yet.  A read of one is given the shared zero page, and the write
/// that follows faults again to get a page of its own, which with other
/// threads of the process running means interrupting their cores to drop
/// the old mapping from their TLBs (5% of `freq`'s time on the bundled
/// corpus went there).  One write per page up front makes each page's
/// first touch a write: one fault, no other core interrupted.
pub fn written_zeros(n: usize) -> Vec<u64> {
    let mut v = vec![0u64; n];
    // 512 words are 4 KB, the smallest page.  `black_box` keeps the
    // compiler from dropping a store of the value the memory already holds.
    for page in v.chunks_mut(512) {
        page[0] = std::hint::black_box(0);
    }
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn written_zeros_are_n_zeros() {
        for n in [0, 1, 511, 512, 513, 4096, 70_000] {
            let v = written_zeros(n);
            assert_eq!(v.len(), n);
            assert!(v.iter().all(|&x| x == 0), "n = {n}");
        }
    }

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
                assert_eq!(head16(s), want, "length {n}");
            }
        }
    }

    #[test]
    fn order_keys_order_strings_as_the_strings_do() {
        let texts = [
            "",
            "a",
            "a\0",
            "a\0\0",
            "ab",
            "abcdefgh",
            "abcdefghi",
            "abcdefgg",
            "b",
            "é",
            "zzzzzzzzz",
            "\u{1}",
            "A",
        ];
        let key = |s: &str| order_key(s.as_bytes());
        for a in texts {
            for b in texts {
                if key(a) != key(b) {
                    assert_eq!(key(a).cmp(&key(b)), a.cmp(b), "{a:?} {b:?}");
                }
            }
        }
    }

    #[test]
    fn capitals_and_ascii_found_at_every_position() {
        for b in 0..=255u8 {
            for at in 0..16 {
                let mut s = [b'a'; 16];
                s[at] = b;
                let w = head16(&s);
                assert_eq!(ascii(w), b < 0x80, "{b}");
                if b < 0x80 {
                    assert_eq!(has_capital(w), b.is_ascii_uppercase(), "{b} at {at}");
                }
            }
        }
        // Padding is no capital.
        assert!(!has_capital(head16(b"abc")));
        assert!(has_capital(head16(b"abC")));
    }
}
