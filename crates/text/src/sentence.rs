//! Sentence segmentation tuned for news text.
//!
//! A sentence ends at `.`, `!`, `?`, `…` (or their CJK forms) followed, after
//! any closing quotes and brackets, by white space and then by something that
//! is not a lower-case letter; and at a paragraph break (a blank line).
//! It does not end after a title (`Mr.`, `Dr.`, `Gen.`...), an initial
//! (`J. K. Rowling`), a dotted abbreviation (`U.S.`, `e.g.`), a decimal
//! (`3.14`) or a period inside a token (`bbc.co.uk`).
//!
//! Single line breaks: in text whose lines are long (paragraphs on one line,
//! as scraped news usually is) every line break ends a sentence, so that a
//! headline is not glued to the first sentence; in hard-wrapped text (lines of
//! under 100 characters on average) a single line break is just a space.

use std::ops::Range;

/// Words after which a period never ends a sentence (compared lower-cased,
/// without the period).
const TITLES: &[&str] = &[
    "mr", "mrs", "ms", "mssrs", "messrs", "dr", "prof", "sr", "jr", "st", "mt", "ft", "gen", "gov",
    "sen", "rep", "reps", "lt", "col", "capt", "cmdr", "sgt", "adm", "maj", "rev", "hon", "pres",
    "supt", "det", "insp", "cpl", "pvt", "vs", "v", "no", "nos", "vol", "vols", "fig", "figs",
    "art", "sec", "ch", "pp", "p", "approx", "dept", "est", "al", "cf", "viz", "ave", "blvd", "rd",
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "mon",
    "tue", "tues", "wed", "thu", "thur", "thurs", "fri", "sat", "sun",
];

/// Byte ranges of the sentences of `text`, trimmed of surrounding white space;
/// empty sentences are left out.
///
/// ```
/// let text = "Mr. Smith went to Washington, D.C. on Monday. It was 3.5 degrees! Was it?";
/// let s: Vec<&str> = lexiscope_text::sentences(text).map(|r| &text[r]).collect();
/// assert_eq!(s, ["Mr. Smith went to Washington, D.C. on Monday.", "It was 3.5 degrees!", "Was it?"]);
/// ```
pub fn sentences(text: &str) -> Sentences<'_> {
    let lines = memchr::memchr_iter(b'\n', text.as_bytes()).count();
    let hard_wrapped = lines > 0 && text.len() / (lines + 1) < 100;
    Sentences {
        text,
        pos: 0,
        hard_wrapped,
    }
}

/// Iterator returned by [`sentences`].
#[derive(Debug, Clone)]
pub struct Sentences<'a> {
    text: &'a str,
    pos: usize,
    hard_wrapped: bool,
}

/// Index of the first of eight text bytes that the scan must look at: a
/// line break, an ASCII terminal or any non-ASCII byte (the lead bytes of
/// `…`, `‼`, the CJK stops and the full-width forms among them).
#[inline(always)]
fn first_that_may_matter(word: u64) -> Option<usize> {
    use crate::words::{bytes_equal, HIGH};
    let m = bytes_equal(word, b'\n')
        | bytes_equal(word, b'\r')
        | bytes_equal(word, b'.')
        | bytes_equal(word, b'!')
        | bytes_equal(word, b'?')
        | (word & HIGH);
    (m != 0).then(|| (m.trailing_zeros() / 8) as usize)
}

/// [`first_that_may_matter`] of sixteen bytes at once (SSE2 on x86-64
/// through the `wide` crate): five byte comparisons and the bytes' sign
/// bits, gathered into one mask.
#[inline(always)]
fn first_that_may_matter16(chunk: &[u8; 16]) -> Option<usize> {
    use wide::i8x16;
    let v = i8x16::from(chunk.map(|b| b as i8));
    let eq = |c: u8| v.simd_eq(i8x16::splat(c as i8));
    // A byte outside ASCII is negative: its sign bit is the mask's bit.
    let m = eq(b'\n') | eq(b'\r') | eq(b'.') | eq(b'!') | eq(b'?') | v;
    let bits = m.to_bitmask() & 0xFFFF;
    (bits != 0).then(|| bits.trailing_zeros() as usize)
}

/// The first byte of `bytes` from `i` on that may matter, found sixteen
/// bytes at a time and then eight, or where fewer than eight bytes are
/// left (the caller goes on byte by byte from there).
#[inline(always)]
fn skip_to_what_may_matter(bytes: &[u8], mut i: usize) -> usize {
    while let Some(chunk) = bytes.get(i..).and_then(<[u8]>::first_chunk::<16>) {
        match first_that_may_matter16(chunk) {
            Some(k) => return i + k,
            None => i += 16,
        }
    }
    while let Some(chunk) = bytes.get(i..).and_then(<[u8]>::first_chunk::<8>) {
        match first_that_may_matter(u64::from_le_bytes(*chunk)) {
            Some(k) => return i + k,
            None => i += 8,
        }
    }
    i
}

#[inline]
fn is_terminal(c: char) -> bool {
    matches!(
        c,
        '.' | '!' | '?' | '…' | '。' | '！' | '？' | '‼' | '⁇' | '⁈' | '⁉'
    )
}

#[inline]
fn is_closer(c: char) -> bool {
    matches!(
        c,
        '"' | '\'' | ')' | ']' | '}' | '”' | '’' | '»' | '›' | '」' | '』' | '）'
    )
}

#[inline]
fn is_opener(c: char) -> bool {
    matches!(
        c,
        '"' | '\'' | '(' | '[' | '{' | '“' | '‘' | '«' | '‹' | '「' | '『' | '（' | '¿' | '¡'
    )
}

impl Sentences<'_> {
    /// Decides whether a run of terminal punctuation ending at `after` (byte
    /// offset just past the run and its closers, at white space) ends a
    /// sentence.  `term_start` is where the terminal run starts.
    fn ends_sentence(&self, term_start: usize, after: usize) -> bool {
        let text = self.text;
        let term = &text[term_start..];
        let only_period = term.starts_with('.') && !term.starts_with("..");
        // What comes next, past white space and opening quotes.
        let next = text[after..]
            .chars()
            .find(|&c| !c.is_whitespace() && !is_opener(c));
        match next {
            None => return true,
            Some(c) if c.is_lowercase() => return false,
            _ => {}
        }
        if term.starts_with("..") || term.starts_with('…') {
            // An ellipsis ends a sentence only before a capital or a digit.
            return next.is_some_and(|c| c.is_uppercase() || c.is_numeric());
        }
        if !only_period {
            return true;
        }
        // The word before the period.
        let before = &text[..term_start];
        let word_start = before
            .char_indices()
            .rev()
            .find(|&(_, c)| c.is_whitespace() || is_opener(c))
            .map_or(0, |(i, c)| i + c.len_utf8());
        let word = &before[word_start..];
        if word.is_empty() {
            return true;
        }
        // A single capital letter: an initial.
        if word.chars().count() == 1 && word.chars().all(|c| c.is_uppercase()) {
            return false;
        }
        // A dotted abbreviation: single letters separated by periods (U.S, e.g, D.C).
        if word.contains('.')
            && word
                .split('.')
                .all(|p| p.chars().count() == 1 && p.chars().all(char::is_alphabetic))
        {
            return false;
        }
        // Titles are ASCII of at most 8 letters: an ASCII word is
        // lower-cased on the stack; only other words need the Unicode rules.
        let mut small = [0u8; 8];
        let lower_owned: String;
        let lower: &str = if word.len() <= small.len() && word.is_ascii() {
            let small = &mut small[..word.len()];
            small.copy_from_slice(word.as_bytes());
            small.make_ascii_lowercase();
            std::str::from_utf8(small).unwrap_or_default()
        } else if word.is_ascii() {
            // Too long to be a title.
            return true;
        } else {
            lower_owned = word.chars().flat_map(char::to_lowercase).collect();
            &lower_owned
        };
        // Anything else, soft abbreviations such as `etc.` and `Inc.`
        // included, ends the sentence here: the next word starts with a
        // capital or a digit, or the text ends.
        !TITLES.contains(&lower)
    }
}

impl Iterator for Sentences<'_> {
    type Item = Range<usize>;

    fn next(&mut self) -> Option<Range<usize>> {
        let text = self.text;
        let n = text.len();
        // Skip leading white space.
        let start = self.pos
            + text[self.pos..]
                .find(|c: char| !c.is_whitespace())
                .unwrap_or(n - self.pos);
        if start >= n {
            self.pos = n;
            return None;
        }
        let bytes = text.as_bytes();
        let mut end = n;
        let mut next_pos = n;
        let mut i = start;
        // Scan bytes: every character that matters is ASCII or starts with
        // one of three lead bytes, so most of the text is passed over
        // without decoding.
        while i < n {
            // Pass over the bytes that cannot matter.
            i = skip_to_what_may_matter(bytes, i);
            let Some(&b) = bytes.get(i) else {
                break;
            };
            let c = match b {
                b'\n' | b'\r' => {
                    // A blank line always ends a sentence; a single line break
                    // does unless the text is hard-wrapped.
                    let mut newlines = 0;
                    let mut ws_end = n;
                    for (k, ch) in text[i..].char_indices() {
                        if ch == '\n' {
                            newlines += 1;
                        } else if !ch.is_whitespace() {
                            ws_end = i + k;
                            break;
                        }
                    }
                    if newlines >= 2 || !self.hard_wrapped {
                        end = i;
                        next_pos = ws_end;
                        break;
                    }
                    i += 1;
                    continue;
                }
                b'.' | b'!' | b'?' => b as char,
                0xE2 | 0xE3 | 0xEF => match text[i..].chars().next() {
                    Some(c) if is_terminal(c) => c,
                    _ => {
                        i += 1;
                        continue;
                    }
                },
                _ => {
                    i += 1;
                    continue;
                }
            };
            // The run of terminal punctuation and closers.
            let mut after = i + c.len_utf8();
            for ch in text[after..].chars() {
                if is_terminal(ch) || is_closer(ch) {
                    after += ch.len_utf8();
                } else {
                    break;
                }
            }
            let at_ws = text[after..].chars().next().is_none_or(char::is_whitespace);
            // CJK full stops need no space after them.
            let cjk = matches!(c, '。' | '！' | '？');
            if (at_ws || cjk) && self.ends_sentence(i, after) {
                end = after;
                next_pos = after;
                break;
            }
            i = after;
        }
        self.pos = next_pos.max(start + 1).min(n);
        let trimmed_end = start + text[start..end].trim_end().len();
        if trimmed_end <= start {
            return self.next();
        }
        Some(start..trimmed_end)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(s: &str) -> Vec<&str> {
        sentences(s).map(|r| &s[r]).collect()
    }

    #[test]
    fn basic() {
        assert_eq!(
            split("One. Two! Three? Four"),
            ["One.", "Two!", "Three?", "Four"]
        );
        assert_eq!(split(""), Vec::<&str>::new());
        assert_eq!(split("   \n  "), Vec::<&str>::new());
    }

    #[test]
    fn abbreviations_initials_decimals() {
        assert_eq!(
            split("Mr. Smith met Dr. Jones in the U.S. Army. J. K. Rowling paid $3.50 each."),
            [
                "Mr. Smith met Dr. Jones in the U.S. Army.",
                "J. K. Rowling paid $3.50 each."
            ]
        );
        assert_eq!(
            split("See www.bbc.co.uk for more. Then stop."),
            ["See www.bbc.co.uk for more.", "Then stop."]
        );
        assert_eq!(
            split("Apples, pears, etc. Then more."),
            ["Apples, pears, etc.", "Then more."]
        );
        assert_eq!(
            split("It grew by approx. three percent."),
            ["It grew by approx. three percent."]
        );
    }

    #[test]
    fn quotes_and_lower_case() {
        assert_eq!(
            split("\"Stop!\" he said. \"Why?\" She left."),
            ["\"Stop!\" he said.", "\"Why?\"", "She left."]
        );
        assert_eq!(split("Wait... what? Yes."), ["Wait... what?", "Yes."]);
        assert_eq!(split("He said \"?and left"), ["He said \"?and left"]);
    }

    #[test]
    fn line_breaks() {
        // Long lines: every line break ends a sentence (headline + body).
        let long = format!("Trump signs order\n{}", "word ".repeat(40));
        assert_eq!(split(&long).len(), 2);
        // Hard-wrapped text: single line breaks are spaces, blank lines are not.
        let wrapped =
            "It was a truth universally\nacknowledged, that a single man\n\nNew paragraph here";
        assert_eq!(
            split(wrapped),
            [
                "It was a truth universally\nacknowledged, that a single man",
                "New paragraph here"
            ]
        );
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(1000))]
        /// Sentences are in order, do not overlap, are trimmed, and together
        /// hold every non-space character of the text exactly once.
        #[test]
        fn sentences_partition_the_text(s in "[a-zA-Z0-9 .!?\"'()\n\r\u{2026}\u{3002}\u{201d}\u{e9}]{0,80}") {
            let mut last = 0;
            let mut kept = String::new();
            for r in sentences(&s) {
                proptest::prop_assert!(r.start >= last && r.start < r.end);
                let piece = &s[r.clone()];
                proptest::prop_assert_eq!(piece.trim(), piece);
                kept.extend(piece.chars().filter(|c| !c.is_whitespace()));
                last = r.end;
            }
            let all: String = s.chars().filter(|c| !c.is_whitespace()).collect();
            proptest::prop_assert_eq!(kept, all);
        }
    }

    /// The bytes the scan must stop at.
    fn matters(b: u8) -> bool {
        matches!(b, b'\n' | b'\r' | b'.' | b'!' | b'?') || b >= 0x80
    }

    /// Every byte value at every position of `N` bytes of plain letters,
    /// with and without one of `later` in the last byte after it: `skip`
    /// finds the first byte that [`matters`].
    fn check_skip<const N: usize>(later: &[u8], skip: impl Fn(&[u8; N]) -> Option<usize>) {
        for b in 0..=255u8 {
            for at in 0..N {
                for l in std::iter::once(None).chain(later.iter().copied().map(Some)) {
                    let mut bytes = [b'a'; N];
                    bytes[at] = b;
                    if let Some(l) = l {
                        if at < N - 1 {
                            bytes[N - 1] = l;
                        }
                    }
                    let want = bytes.iter().position(|&x| matters(x));
                    assert_eq!(skip(&bytes), want, "{bytes:?}");
                }
            }
        }
    }

    #[test]
    fn eight_byte_skip_finds_the_first_byte_that_matters() {
        check_skip::<8>(&[b'.', 0xE2, b'\n'], |word| {
            first_that_may_matter(u64::from_le_bytes(*word))
        });
    }

    #[test]
    fn sixteen_byte_skip_finds_the_first_byte_that_matters() {
        check_skip::<16>(&[b'.', 0xE2, b'\n', b'?'], first_that_may_matter16);
    }

    #[test]
    fn covers_every_word_once() {
        let text = "A b. C d! E f? G.\n\nH i. J";
        let joined: Vec<&str> = split(text);
        let words: usize = joined.iter().map(|s| s.split_whitespace().count()).sum();
        assert_eq!(words, text.split_whitespace().count());
    }
}
