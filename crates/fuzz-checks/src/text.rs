//! Words and sentences (`lexiscope-text`).

use std::ops::Range;

use lexiscope_text::{Segments, Tokenizer};
use unicode_normalization::{is_nfc, UnicodeNormalization};

/// The tokenizer and the word segmenter under it, on `data` read as UTF-8
/// (invalid bytes become U+FFFD).
///
/// Checks that the segments tile the text exactly (no gap, no overlap, no
/// empty segment, on character boundaries); that the fast word scan
/// (`next_word`) finds exactly the word segments; that the tokens are those
/// word segments, in order, each non-empty, without white space (but U+202F,
/// which UAX #29 lets join words), lower-cased,
/// in NFC, with apostrophe look-alikes folded to `'` (the text of the segment
/// put through Unicode lower-casing, the fold and NFC, up to the final-sigma
/// rule, which looks beyond the token); and that a reused tokenizer gives the
/// same tokens again.
///
/// # Panics
/// When an invariant does not hold, with a message saying which.
pub fn tokenizer(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    check_tokens(&text);
}

/// The sentence splitter, on `data` read as UTF-8 (invalid bytes become
/// U+FFFD).
///
/// Checks that sentences are non-empty, trimmed, in order, on character
/// boundaries, with only white space between and around them (so together
/// they hold every other character exactly once); and that tokenising
/// sentence by sentence (as the counting does) gives the same tokens as
/// tokenising the whole text (as `lexiscope tokens` does).
///
/// # Panics
/// When an invariant does not hold, with a message saying which.
pub fn sentences(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let text = &*text;
    let mut last = 0;
    let mut ranges: Vec<Range<usize>> = Vec::new();
    for r in lexiscope_text::sentences(text) {
        assert!(
            r.start >= last && r.start < r.end && r.end <= text.len(),
            "sentence {r:?} is empty, out of order or out of bounds (previous ended at {last}, text is {} bytes)",
            text.len()
        );
        assert!(
            text.is_char_boundary(r.start) && text.is_char_boundary(r.end),
            "sentence {r:?} does not start and end on character boundaries"
        );
        let gap = &text[last..r.start];
        assert!(
            gap.chars().all(char::is_whitespace),
            "text {gap:?} before sentence {r:?} is in no sentence"
        );
        let piece = &text[r.clone()];
        assert_eq!(piece.trim(), piece, "sentence {r:?} is not trimmed");
        last = r.end;
        ranges.push(r);
    }
    let tail = &text[last..];
    assert!(
        tail.chars().all(char::is_whitespace),
        "text {tail:?} at the end is in no sentence"
    );

    let mut tok = Tokenizer::new();
    let whole = tok.tokens(text);
    let mut by_sentence = Vec::new();
    for r in &ranges {
        tok.for_each(&text[r.clone()], |w| by_sentence.push(w.to_owned()));
    }
    assert_eq!(
        by_sentence, whole,
        "tokens counted sentence by sentence differ from the tokens of the whole text; sentences: {ranges:?}"
    );
}

/// Characters the tokenizer folds to `'`.
const APOSTROPHES: [char; 5] = ['\u{2019}', '\u{2018}', '\u{02BC}', '\u{FF07}', '\u{201B}'];

/// The token a segment should give: lower-cased, apostrophes folded, NFC;
/// final and medial sigma are made the same so the comparison ignores the
/// final-sigma rule (which depends on the characters around the token).
fn expected_token(raw: &str) -> String {
    let folded: String = raw
        .to_lowercase()
        .chars()
        .map(|c| if APOSTROPHES.contains(&c) { '\'' } else { c })
        .nfc()
        .collect();
    folded.replace('ς', "σ")
}

fn check_tokens(text: &str) {
    // The segments tile the text.
    let segments: Vec<_> = Segments::new(text).collect();
    let mut pos = 0;
    for s in &segments {
        assert!(
            s.start == pos && s.end > s.start,
            "segment {s:?} does not start where the previous one ended ({pos}) or is empty"
        );
        assert!(
            text.is_char_boundary(s.end),
            "segment {s:?} ends inside a character"
        );
        pos = s.end;
    }
    assert_eq!(
        pos,
        text.len(),
        "the segments do not reach the end of the text"
    );

    // The fast word scan agrees with the full rules.
    let words: Vec<_> = segments.iter().filter(|s| s.is_word).copied().collect();
    let mut scan = Segments::new(text);
    let mut fast = Vec::new();
    while let Some(s) = scan.next_word() {
        fast.push(s);
    }
    assert_eq!(fast, words, "next_word differs from the word segments");

    // Tokens are the word segments, normalised.
    let mut tok = Tokenizer::new();
    let mut spans: Vec<(Range<usize>, String)> = Vec::new();
    tok.for_each_span(text, |r, w| spans.push((r, w.to_owned())));
    assert_eq!(
        spans.len(),
        words.len(),
        "{} tokens for {} word segments",
        spans.len(),
        words.len()
    );
    for ((r, w), s) in spans.iter().zip(&words) {
        assert_eq!(
            (r.start, r.end),
            (s.start, s.end),
            "token {w:?} is not the word segment"
        );
        let raw = &text[r.clone()];
        assert!(!w.is_empty(), "empty token for {raw:?} at {r:?}");
        // U+202F (narrow no-break space) is white space but also
        // ExtendNumLet in UAX #29, which joins words through it as ICU does
        // (`lexiscope-ingest` makes it a plain space unless told not to).
        assert!(
            !raw.chars().any(|c| c.is_whitespace() && c != '\u{202F}'),
            "token {raw:?} at {r:?} holds white space"
        );
        assert!(is_nfc(w), "token {w:?} (from {raw:?}) is not in NFC");
        assert!(
            !w.contains(APOSTROPHES),
            "token {w:?} (from {raw:?}) keeps an apostrophe look-alike"
        );
        assert_eq!(
            w.replace('ς', "σ"),
            expected_token(raw),
            "token {w:?} is not {raw:?} lower-cased, folded and composed"
        );
    }

    // A reused tokenizer (its scratch buffer dirty) gives the same tokens.
    let mut again = Vec::new();
    tok.for_each_span(text, |r, w| again.push((r, w.to_owned())));
    assert_eq!(again, spans, "a reused tokenizer gives other tokens");

    // Lowering the text's ASCII capitals first (as `freq` does) gives the
    // same tokens with the same heads.
    let mut headed = Vec::new();
    tok.for_each_headed(text, |w, h| headed.push((w.to_owned(), h)));
    let mut lowered = text.to_owned();
    let mut got = Vec::new();
    tok.for_each_headed_lowering(&mut lowered, |w, h| got.push((w.to_owned(), h)));
    assert_eq!(
        got, headed,
        "the text with its ASCII capitals lowered gives other tokens"
    );
    assert_eq!(lowered, text.to_ascii_lowercase());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinary_and_nasty_text_passes() {
        for text in [
            "",
            "It’s 3.14, Mr. Smith's _very_ café!",
            "ΣΟΦΟΣ İSTANBUL ǅ ΑΣ. Σ",
            "a\r\nb\r\n\r\nC. d",
            "nul\0byte. Next",
            "中文。日本語のテキスト。ภาษาไทย",
            "emoji 👩‍👩‍👧 and \u{200D}\u{301} marks",
        ] {
            tokenizer(text.as_bytes());
            sentences(text.as_bytes());
        }
    }

    #[test]
    fn ten_thousand_combining_marks() {
        let mut text = String::from("e");
        text.extend(std::iter::repeat_n('\u{301}', 10_000));
        text.push_str(" Σ\u{301}".repeat(100).as_str());
        tokenizer(text.as_bytes());
        sentences(text.as_bytes());
        // Marks with nothing to attach to, then a word.
        let mut text: String = std::iter::repeat_n('\u{308}', 10_000).collect();
        text.push_str(". Word");
        tokenizer(text.as_bytes());
        sentences(text.as_bytes());
    }

    #[test]
    fn invalid_utf8_is_read_with_replacement_characters() {
        tokenizer(b"caf\xe9 \xff\xfe. \xc3");
        sentences(b"caf\xe9 \xff\xfe. \xc3");
    }

    #[test]
    fn expected_token_folds_like_the_documentation_says() {
        assert_eq!(expected_token("It’S"), "it's");
        assert_eq!(expected_token("Cafe\u{301}"), "café");
        assert_eq!(expected_token("ΟΔΟΣ"), "οδοσ");
    }
}
