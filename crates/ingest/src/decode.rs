//! Bytes to text: UTF-8, with the bytes that are not valid UTF-8 read as Windows-1252.

use std::borrow::Cow;

/// Windows-1252 characters for the bytes 0x80..=0x9F. The five bytes that
/// Windows-1252 leaves undefined map to the C1 controls, as WHATWG's decoder
/// does; 0xA0..=0xFF are the Latin-1 code points.
const CP1252_HIGH: [char; 32] = [
    '\u{20AC}', '\u{0081}', '\u{201A}', '\u{0192}', '\u{201E}', '\u{2026}', '\u{2020}', '\u{2021}',
    '\u{02C6}', '\u{2030}', '\u{0160}', '\u{2039}', '\u{0152}', '\u{008D}', '\u{017D}', '\u{008F}',
    '\u{0090}', '\u{2018}', '\u{2019}', '\u{201C}', '\u{201D}', '\u{2022}', '\u{2013}', '\u{2014}',
    '\u{02DC}', '\u{2122}', '\u{0161}', '\u{203A}', '\u{0153}', '\u{009D}', '\u{017E}', '\u{0178}',
];

/// The character a Windows-1252 byte stands for.
pub(crate) fn cp1252_char(b: u8) -> char {
    match b {
        0x80..=0x9F => CP1252_HIGH[usize::from(b - 0x80)],
        _ => char::from(b),
    }
}

/// Decodes `bytes` as UTF-8; every byte that is not part of a valid UTF-8
/// sequence is read as Windows-1252 instead. Returns the text and how many
/// bytes needed the fallback (0 when the input was valid UTF-8).
///
/// Decoding only the bad bytes (rather than the whole record) keeps a record
/// that mixes UTF-8 with a stray Latin-1 byte readable.
pub(crate) fn decode_lossy_1252(bytes: &[u8]) -> (Cow<'_, str>, usize) {
    match std::str::from_utf8(bytes) {
        Ok(s) => (Cow::Borrowed(s), 0),
        Err(_) => {
            let mut out = String::with_capacity(bytes.len() + bytes.len() / 8);
            let mut bad = 0;
            for chunk in bytes.utf8_chunks() {
                out.push_str(chunk.valid());
                for &b in chunk.invalid() {
                    out.push(cp1252_char(b));
                    bad += 1;
                }
            }
            (Cow::Owned(out), bad)
        }
    }
}

/// Like [`decode_lossy_1252`] but takes ownership, so valid UTF-8 costs no copy.
pub(crate) fn decode_owned_1252(bytes: Vec<u8>) -> (String, usize) {
    match String::from_utf8(bytes) {
        Ok(s) => (s, 0),
        Err(e) => {
            let bytes = e.into_bytes();
            let (text, bad) = decode_lossy_1252(&bytes);
            (text.into_owned(), bad)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn valid_utf8_is_borrowed() {
        let (s, bad) = decode_lossy_1252("café – ok".as_bytes());
        assert!(matches!(s, Cow::Borrowed(_)));
        assert_eq!(s, "café – ok");
        assert_eq!(bad, 0);
    }

    #[test]
    fn windows_1252_bytes_are_decoded() {
        // "café “quoted” – €5" in Windows-1252
        let bytes = b"caf\xe9 \x93quoted\x94 \x96 \x805";
        let (s, bad) = decode_lossy_1252(bytes);
        assert_eq!(s, "café \u{201C}quoted\u{201D} \u{2013} \u{20AC}5");
        assert_eq!(bad, 5);
    }

    #[test]
    fn mixed_utf8_and_1252_keeps_the_utf8() {
        let mut bytes = "naïve ".as_bytes().to_vec();
        bytes.extend_from_slice(b"caf\xe9");
        let (s, bad) = decode_lossy_1252(&bytes);
        assert_eq!(s, "naïve café");
        assert_eq!(bad, 1);
    }

    #[test]
    fn undefined_1252_bytes_become_c1_controls() {
        let (s, _) = decode_lossy_1252(b"\x81\x8d\x8f\x90\x9d");
        assert_eq!(s, "\u{81}\u{8d}\u{8f}\u{90}\u{9d}");
    }

    #[test]
    fn owned_decoding_matches() {
        let (s, bad) = decode_owned_1252(b"\xff\xfe ok".to_vec());
        assert_eq!(s, "ÿþ ok");
        assert_eq!(bad, 2);
        let (s, bad) = decode_owned_1252("ok ✓".as_bytes().to_vec());
        assert_eq!((s.as_str(), bad), ("ok ✓", 0));
    }
}
