//! Classes of 64 bytes of text at once, one bit per byte, for scanners
//! that look for runs of word characters (the word tokenizer here, AFINN's
//! scan in the sentiment crate).  Sixteen bytes are compared at a time
//! (SSE2 on x86-64 through the `wide` crate, plain code elsewhere), which
//! costs fewer instructions than classifying each byte as a scan meets it,
//! and a run's length comes from counting bits instead of a loop whose
//! exit depends on the run.

use wide::i8x16;

/// Bytes classified at once.
pub const WINDOW: usize = 64;

/// The classes of up to 64 bytes, the first byte in the lowest bit.  Bytes
/// past the end of the text have no bit at all.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ByteMasks {
    /// ASCII letters and digits.
    pub alnum: u64,
    /// ASCII capitals `A` to `Z`.
    pub upper: u64,
    /// `@`.
    pub at: u64,
    /// `_`.
    pub underscore: u64,
    /// Bytes of characters outside ASCII (the high bit set).
    pub high: u64,
}

impl ByteMasks {
    /// The classes of `bytes[base..]`, at most 64 bytes of it; `base` must
    /// be below `bytes.len()`.
    #[inline(always)]
    pub fn at(bytes: &[u8], base: usize) -> ByteMasks {
        let n = bytes.len();
        if let Some(block) = bytes[base..].first_chunk::<WINDOW>() {
            return classify64(block, 0);
        }
        if let Some(last) = bytes.last_chunk::<WINDOW>() {
            // Fewer than 64 bytes left: the text's last 64, shifted down to
            // `base` (the bits past the end become zeros).
            return classify64(last, base - (n - WINDOW));
        }
        // A text shorter than the window: a zero-padded copy.
        let mut padded = [0u8; WINDOW];
        padded[..n - base].copy_from_slice(&bytes[base..]);
        classify64(&padded, 0)
    }
}

/// The classes a scan needs of the 64 bytes from `base` (`M`, made from
/// their [`ByteMasks`] when the window is read), kept while the scan's
/// position stays among them.
#[derive(Clone, Copy, Debug)]
pub struct Window<M> {
    /// Offset of the first byte.
    pub base: usize,
    /// The scan's classes of the bytes, the byte at `base` in the lowest bit.
    pub masks: M,
}

impl<M: Copy> Window<M> {
    /// No window yet (it covers no position), holding `masks`.
    pub const fn empty(masks: M) -> Window<M> {
        Window {
            base: usize::MAX,
            masks,
        }
    }

    /// Whether byte offset `i` is among the window's bytes.
    #[inline(always)]
    pub fn covers(&self, i: usize) -> bool {
        i.checked_sub(self.base).is_some_and(|d| d < WINDOW)
    }

    /// The window of `bytes` from `base` (below `bytes.len()`), its
    /// classes made by `classes`.
    #[inline(always)]
    pub fn at(bytes: &[u8], base: usize, classes: impl FnOnce(ByteMasks) -> M) -> Window<M> {
        Window {
            base,
            masks: classes(ByteMasks::at(bytes, base)),
        }
    }
}

/// The classes of `block` shifted down by `shift` bytes, with the bytes of
/// value 0 (padding) in no class.
#[inline(always)]
fn classify64(block: &[u8; WINDOW], shift: usize) -> ByteMasks {
    let mut m = ByteMasks::default();
    for (k, chunk) in block.chunks_exact(16).enumerate() {
        let c = classify16(chunk);
        let at = 16 * k;
        m.alnum |= u64::from(c.alnum) << at;
        m.upper |= u64::from(c.upper) << at;
        m.at |= u64::from(c.at) << at;
        m.underscore |= u64::from(c.underscore) << at;
        m.high |= u64::from(c.high) << at;
    }
    ByteMasks {
        alnum: m.alnum >> shift,
        upper: m.upper >> shift,
        at: m.at >> shift,
        underscore: m.underscore >> shift,
        high: m.high >> shift,
    }
}

/// [`ByteMasks`] of 16 bytes, in 16-bit masks.
struct Masks16 {
    alnum: u16,
    upper: u16,
    at: u16,
    underscore: u16,
    high: u16,
}

#[inline(always)]
fn classify16(chunk: &[u8]) -> Masks16 {
    let mut b = [0i8; 16];
    for (d, &s) in b.iter_mut().zip(chunk) {
        *d = s as i8;
    }
    let v = i8x16::from(b);
    let splat = |c: u8| i8x16::splat(c as i8);
    // Bytes outside ASCII are negative here, so no range below takes them.
    let digit = v.simd_gt(splat(b'0' - 1)) & v.simd_lt(splat(b'9' + 1));
    // A capital with the 0x20 bit is its small letter; `@` and the
    // punctuation after `Z` fall outside `a..=z` with it.
    let folded = v | splat(0x20);
    let letter = folded.simd_gt(splat(b'a' - 1)) & folded.simd_lt(splat(b'z' + 1));
    // Of the letters, the capitals are the ones below `a`.
    let upper = letter & v.simd_lt(splat(b'a'));
    let mask = |x: i8x16| x.to_bitmask() as u16;
    Masks16 {
        alnum: mask(digit | letter),
        upper: mask(upper),
        at: mask(v.simd_eq(splat(b'@'))),
        underscore: mask(v.simd_eq(splat(b'_'))),
        high: mask(v),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_byte_at_every_position() {
        for b in 0..=255u8 {
            for at in 0..WINDOW {
                // A full window, and the last window of a text (shifted).
                for (len, base) in [(WINDOW + 3, 0), (WINDOW + 10, 10)] {
                    let mut text = vec![b'.'; len];
                    text[base + at] = b;
                    let m = ByteMasks::at(&text, base);
                    let bit = |m: u64| m >> at & 1 == 1;
                    let what = format!("{b:#04x} at {at} of {len} from {base}");
                    assert_eq!(bit(m.alnum), b.is_ascii_alphanumeric(), "{what}");
                    assert_eq!(bit(m.upper), b.is_ascii_uppercase(), "{what}");
                    assert_eq!(bit(m.at), b == b'@', "{what}");
                    assert_eq!(bit(m.underscore), b == b'_', "{what}");
                    assert_eq!(bit(m.high), b >= 0x80, "{what}");
                    // No other byte has a bit.
                    let all = m.alnum | m.at | m.underscore | m.high;
                    assert_eq!(all & !(1 << at), 0, "{what}");
                }
            }
        }
    }

    #[test]
    fn nothing_past_the_end() {
        for len in [1, 20, 63, 64, 100] {
            let text = vec![b'Z'; len];
            for base in [0, len / 2, len - 1] {
                let m = ByteMasks::at(&text, base);
                let left = (len - base).min(WINDOW);
                let want = u64::MAX.checked_shr((WINDOW - left) as u32).unwrap_or(0);
                assert_eq!(m.alnum, want, "{len} from {base}");
                assert_eq!(m.upper, want, "{len} from {base}");
                assert_eq!(m.high | m.at | m.underscore, 0);
            }
        }
    }
}
