//! Word tokens: ICU word segments, lower-cased, apostrophes folded, NFC.

use unicode_normalization::{is_nfc_quick, IsNormalized, UnicodeNormalization};

use crate::wordbreak::Segments;
use crate::words::{load8, low_bytes};

/// Splits text into lower-cased word tokens, the way tidytext's
/// `unnest_tokens(word, text)` does, with two deliberate additions: curly and
/// other apostrophe look-alikes become `'`, and tokens are put in Unicode NFC.
///
/// A `Tokenizer` owns a scratch buffer, so keep one per thread and reuse it:
/// tokens that need no change are handed out as slices of the input, the
/// others are built in the buffer, and nothing is allocated per token.
///
/// ```
/// let mut tok = lexiscope_text::Tokenizer::new();
/// let mut words = Vec::new();
/// tok.for_each("It’s 3.14, Mr. Smith's _very_ café!", |w| words.push(w.to_string()));
/// assert_eq!(words, ["it's", "3.14", "mr", "smith's", "_very_", "café"]);
/// ```
#[derive(Default, Debug)]
pub struct Tokenizer {
    buf: String,
    /// The bytes of the last short ASCII token lower-cased.
    lowered: Lowered,
}

/// Sixteen bytes, aligned so that checking them for UTF-8 takes the
/// check's word-at-a-time path.
#[derive(Default, Debug)]
#[repr(C, align(16))]
struct Lowered([u8; 16]);

impl Tokenizer {
    /// A tokenizer with an empty scratch buffer.
    pub fn new() -> Self {
        Self::default()
    }

    /// Calls `f` with each token of `text`, in order.
    pub fn for_each(&mut self, text: &str, mut f: impl FnMut(&str)) {
        self.for_each_span(text, |_, w| f(w));
    }

    /// Calls `f` with the byte range of each token in `text` and the token.
    pub fn for_each_span(&mut self, text: &str, mut f: impl FnMut(std::ops::Range<usize>, &str)) {
        self.scan::<true>(text, |span, w, _| f(span, w));
    }

    /// Calls `f` with each token of `text` and its head: its first 16 bytes
    /// as [`words::head16`](crate::words::head16) gives them.  The head of a
    /// short ASCII token (nearly every one) comes from the bytes already
    /// read to lower-case it, so a caller that hashes tokens by their head
    /// (the counting interner) need not read them again.
    #[inline]
    pub fn for_each_headed(&mut self, text: &str, mut f: impl FnMut(&str, [u64; 2])) {
        self.scan::<true>(text, |_, w, head| f(w, head));
    }

    /// [`Tokenizer::for_each_headed`] for a caller that can give up the
    /// text's case: lowers its ASCII capitals in place first, in one pass,
    /// so that the scan need neither look for capitals nor lower the
    /// tokens that hold some (case decides no word boundary, and tokens
    /// are lower-cased: the tokens are the same).  About 5% of `freq`'s
    /// processor time.
    #[inline]
    pub fn for_each_headed_lowering(&mut self, text: &mut str, mut f: impl FnMut(&str, [u64; 2])) {
        text.make_ascii_lowercase();
        self.scan::<false>(text, |_, w, head| f(w, head));
    }

    /// The one loop behind the `for_each` methods: each token's byte range,
    /// text and head.  Without `CAPS` the text must hold no ASCII capitals
    /// (see [`Segments::next_word_classed`]): its tokens would keep them.
    #[inline(always)]
    fn scan<const CAPS: bool>(
        &mut self,
        text: &str,
        mut f: impl FnMut(std::ops::Range<usize>, &str, [u64; 2]),
    ) {
        let mut segs = Segments::new(text);
        let bytes = text.as_bytes();
        while let Some((seg, capital)) = segs.next_word_classed::<CAPS>() {
            let raw = &text[seg.start..seg.end];
            let n = seg.end - seg.start;
            let (word, head) = match capital {
                // A run of ASCII letters and digits of at most 16 bytes with
                // 16 bytes of text from its start (nearly every token): its
                // head is two whole words masked to its length.
                Some(capital) if n <= 16 && seg.start + 16 <= bytes.len() => {
                    let [keep0, keep1] = HEAD_KEEP[n];
                    let head = [
                        load8(bytes, seg.start) & keep0,
                        load8(bytes, seg.start + 8) & keep1,
                    ];
                    if capital {
                        lowered_head_text(head, n, &mut self.lowered)
                    } else {
                        (raw, head)
                    }
                }
                // Short ASCII tokens take `normalize`'s fast path; only the
                // others are scanned for a capital sigma.
                _ => match short_ascii_head(raw) {
                    Some(head) => lower_short_ascii(raw, head, &mut self.buf),
                    None => {
                        let word = if raw.contains('Σ') {
                            lower_sigma_in_context(text, seg.start, seg.end, &mut self.buf)
                        } else {
                            normalize_other(raw, &mut self.buf)
                        };
                        (word, crate::words::head16(word.as_bytes()))
                    }
                },
            };
            f(seg.start..seg.end, word, head);
        }
    }

    /// All tokens of `text` as owned strings (convenient, not fast).
    pub fn tokens(&mut self, text: &str) -> Vec<String> {
        let mut out = Vec::new();
        self.for_each(text, |w| out.push(w.to_string()));
        out
    }
}

/// Characters folded to the ASCII apostrophe inside tokens.
#[inline]
fn is_apostrophe_variant(c: char) -> bool {
    matches!(
        c,
        '\u{2019}' // right single quotation mark
            | '\u{2018}' // left single quotation mark
            | '\u{02BC}' // modifier letter apostrophe
            | '\u{FF07}' // full-width apostrophe
            | '\u{201B}' // single high-reversed-9 quotation mark
    )
}

/// Lower-cases, folds apostrophes and composes one raw token.
#[inline(always)]
pub(crate) fn normalize<'a>(raw: &'a str, buf: &'a mut String) -> &'a str {
    match short_ascii_head(raw) {
        Some(head) => lower_short_ascii(raw, head, buf).0,
        None => normalize_other(raw, buf),
    }
}

/// The head (see [`head16`](crate::words::head16)) of a token of at most 16
/// bytes, all ASCII: nearly every token.
#[inline(always)]
fn short_ascii_head(raw: &str) -> Option<[u64; 2]> {
    if raw.len() > 16 {
        return None;
    }
    let head = crate::words::head16(raw.as_bytes());
    crate::words::ascii(head).then_some(head)
}

/// Per token length up to 16: the bits of a head's two words that hold the
/// token's bytes.
const HEAD_KEEP: [[u64; 2]; 17] = {
    let mut t = [[0u64; 2]; 17];
    let mut n = 1;
    while n <= 16 {
        t[n] = if n <= 8 {
            [low_bytes(n), 0]
        } else {
            [u64::MAX, low_bytes(n - 8)]
        };
        n += 1;
    }
    t
};

/// [`normalize`] of a short ASCII token whose head is `head`, with the
/// head of the result: capitals found and lower-cased a word at a time.
#[inline(always)]
fn lower_short_ascii<'a>(raw: &'a str, head: [u64; 2], buf: &'a mut String) -> (&'a str, [u64; 2]) {
    if !crate::words::has_capital(head) {
        return (raw, head);
    }
    lowered_short_ascii(raw, head, buf)
}

/// A short ASCII token with capitals, lower-cased into `buf`, and the head
/// of the result.
#[inline(always)]
fn lowered_short_ascii<'a>(
    raw: &'a str,
    head: [u64; 2],
    buf: &'a mut String,
) -> (&'a str, [u64; 2]) {
    buf.clear();
    buf.push_str(raw);
    buf.make_ascii_lowercase();
    (buf, crate::words::lowercase_ascii_head(head))
}

/// A short ASCII token with capitals whose head is `head` and length `n`,
/// lower-cased: the text, made from the lower-cased head in `out`, and
/// that head.  Fixed-size work (two stores and a check of 16 bytes): a copy
/// of the token's own length and a lower-casing byte by byte each took a
/// branch the processor mispredicted at a token's end.
#[inline(always)]
fn lowered_head_text(head: [u64; 2], n: usize, out: &mut Lowered) -> (&str, [u64; 2]) {
    let lower = crate::words::lowercase_ascii_head(head);
    out.0[..8].copy_from_slice(&lower[0].to_le_bytes());
    out.0[8..].copy_from_slice(&lower[1].to_le_bytes());
    // A head is ASCII (the token's bytes) then zeros, so this cannot fail.
    let text = std::str::from_utf8(&out.0).expect("a head is ASCII");
    (&text[..n], lower)
}

/// [`normalize`] for long or non-ASCII tokens, kept out of line so that the
/// common case stays small enough to inline.
#[inline(never)]
fn normalize_other<'a>(raw: &'a str, buf: &'a mut String) -> &'a str {
    if raw.is_ascii() {
        if !raw.bytes().any(|b| b.is_ascii_uppercase()) {
            return raw;
        }
        buf.clear();
        buf.push_str(raw);
        buf.make_ascii_lowercase();
        return buf;
    }
    // Full Unicode lower-casing with context (final sigma), as ICU does.
    let lower = raw.to_lowercase();
    buf.clear();
    let folded = lower
        .chars()
        .map(|c| if is_apostrophe_variant(c) { '\'' } else { c });
    if is_nfc_quick(lower.chars()) == IsNormalized::Yes {
        buf.extend(folded);
    } else {
        buf.extend(folded.nfc());
    }
    buf
}

/// Lower-cases a token holding a capital sigma the way ICU lower-cases the
/// whole text before splitting it: `Σ` becomes the final form `ς` when a
/// cased letter comes before it and none after it (skipping case-ignorable
/// characters), looking past the token's own edges.
fn lower_sigma_in_context<'a>(
    text: &str,
    start: usize,
    end: usize,
    buf: &'a mut String,
) -> &'a str {
    let mut out = String::with_capacity(end - start);
    for (i, c) in text[start..end].char_indices() {
        if c != 'Σ' {
            out.extend(c.to_lowercase());
            continue;
        }
        let at = start + i;
        let cased_before = text[..at]
            .chars()
            .rev()
            .find(|&c| !is_case_ignorable(c))
            .is_some_and(is_cased);
        let cased_after = text[at + c.len_utf8()..]
            .chars()
            .find(|&c| !is_case_ignorable(c))
            .is_some_and(is_cased);
        out.push(if cased_before && !cased_after {
            'ς'
        } else {
            'σ'
        });
    }
    let mut scratch = String::new();
    let folded = normalize(&out, &mut scratch).to_string();
    buf.clear();
    buf.push_str(&folded);
    buf
}

fn is_cased(c: char) -> bool {
    c.is_lowercase()
        || c.is_uppercase()
        || matches!(c, '\u{01C5}' | '\u{01C8}' | '\u{01CB}' | '\u{01F2}')
}

/// Case-ignorable characters, as Unicode defines them for casing context:
/// word-internal punctuation (MidLetter, MidNumLet, Single_Quote), combining
/// marks, format characters, modifier letters and modifier symbols.
fn is_case_ignorable(c: char) -> bool {
    use crate::wordbreak::{class_of, Wb};
    matches!(
        class_of(c),
        Wb::MidLetter | Wb::MidNumLet | Wb::SingleQuote | Wb::Extend | Wb::Format | Wb::Zwj
    ) || matches!(
        c,
        ':' | '^' | '`' | '\u{00A8}' | '\u{00AF}' | '\u{00B4}' | '\u{00B8}'
    ) || matches!(c as u32, 0x02B0..=0x02FF)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(s: &str) -> Vec<String> {
        Tokenizer::new().tokens(s)
    }

    #[test]
    fn lower_cases_like_icu() {
        assert_eq!(toks("ΣΟΦΟΣ İSTANBUL ǅ"), ["σοφος", "i\u{307}stanbul", "ǆ"]);
        assert_eq!(toks("ÉCOLE Zürich"), ["école", "zürich"]);
        // A lone capital sigma after a cased letter and a symbol is final.
        assert_eq!(toks("M^Σ>p"), ["m", "ς", "p"]);
        assert_eq!(toks("ΣΑΣ"), ["σας"]);
    }

    #[test]
    fn folds_apostrophes() {
        assert_eq!(toks("it’s it's won‘t"), ["it's", "it's", "won't"]);
    }

    #[test]
    fn composes_accents() {
        let decomposed = "cafe\u{301}";
        assert_eq!(toks(decomposed), ["café"]);
        assert_eq!(toks("café"), toks(decomposed));
    }

    #[test]
    fn spans_point_into_the_input() {
        let text = "Hello, World";
        let mut spans = Vec::new();
        Tokenizer::new().for_each_span(text, |r, w| spans.push((r, w.to_string())));
        assert_eq!(
            spans,
            [(0..5, "hello".to_string()), (7..12, "world".to_string())]
        );
    }

    /// The tokens and their heads from `for_each_headed`.
    fn headed(s: &str) -> Vec<(String, [u64; 2])> {
        let mut out = Vec::new();
        Tokenizer::new().for_each_headed(s, |w, h| out.push((w.to_string(), h)));
        out
    }

    #[test]
    fn heads_of_short_long_capitalised_and_non_ascii_tokens() {
        let s = "The CAT's café ΣΑΣ Internationalization x1 ABCDEFGHIJKLMNOP q";
        let got = headed(s);
        let words: Vec<&str> = got.iter().map(|(w, _)| w.as_str()).collect();
        assert_eq!(words, toks(s));
        for (w, h) in &got {
            assert_eq!(*h, crate::words::head16(w.as_bytes()), "{w}");
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(1000))]
        #[test]
        fn headed_tokens_are_the_tokens_with_their_heads(
            s in "[a-zA-Z0-9 .,'_@\\-\n\u{e9}\u{c9}\u{3a3}\u{3b1}\u{2019}\u{4e2d}]{0,60}"
        ) {
            let got = headed(&s);
            let words: Vec<String> = got.iter().map(|(w, _)| w.clone()).collect();
            proptest::prop_assert_eq!(words, toks(&s));
            for (w, h) in &got {
                proptest::prop_assert_eq!(*h, crate::words::head16(w.as_bytes()));
            }
        }

        /// Case decides no word boundary: lowering a text's ASCII capitals
        /// first (as `freq` does when it needs no sentences) gives the
        /// same tokens, sigmas and apostrophes included.
        #[test]
        fn ascii_lowered_text_gives_the_same_tokens(
            s in "[a-zA-Z0-9 .,:;'_@#&/\\-\n\u{e9}\u{c9}\u{3a3}\u{3b1}\u{2019}\u{4e2d}\u{301}\u{130}]{0,80}"
        ) {
            let lowered = s.to_ascii_lowercase();
            proptest::prop_assert_eq!(headed(&lowered), headed(&s));
            let mut text = s.clone();
            let mut got = Vec::new();
            Tokenizer::new().for_each_headed_lowering(&mut text, |w, h| got.push((w.to_string(), h)));
            proptest::prop_assert_eq!(got, headed(&s));
            proptest::prop_assert_eq!(text, lowered);
        }

        /// Long texts, where most tokens take the scan's fast path (whole
        /// words read and masked to the token): the same tokens as
        /// normalising each word segment of the full rules, with the heads
        /// of the tokens.  (No capital sigma: its lower case depends on the
        /// text around the token.)
        #[test]
        fn fast_tokens_equal_normalised_segments(
            s in "([a-zA-Z0-9@]{0,20}[ .,;'_\\-\n\u{e9}\u{c9}\u{3b1}\u{2019}]{0,2}){0,40}"
        ) {
            let got = headed(&s);
            let mut buf = String::new();
            let want: Vec<String> = Segments::new(&s)
                .filter(|g| g.is_word)
                .map(|g| normalize(&s[g.start..g.end], &mut buf).to_string())
                .collect();
            let words: Vec<String> = got.iter().map(|(w, _)| w.clone()).collect();
            proptest::prop_assert_eq!(words, want);
            for (w, h) in &got {
                proptest::prop_assert_eq!(*h, crate::words::head16(w.as_bytes()));
            }
        }
    }
}
