//! Slow, obvious re-statements of what `lexiscope-ingest` documents, to
//! compare its fast readers with: how a byte stream is decoded, when it is
//! binary, where CSV records and JSON Lines lines start.

/// What `lexiscope-ingest` should make of a raw byte stream before parsing.
pub(crate) enum Stream {
    /// Starts with the gzip magic bytes: what it holds is not predicted here.
    Gzip,
    /// Looks binary: skipped with a warning, nothing read.
    Binary,
    /// Text: the bytes after the byte-order mark (UTF-16 transcoded to
    /// UTF-8), and whether UTF-16 decoding replaced invalid sequences.
    Text { bytes: Vec<u8>, utf16_errors: bool },
}

/// How many bytes at the start of a stream decide whether it is binary.
const SNIFF_LEN: usize = 8 * 1024;

/// The crate's documented decoding: a UTF-8 byte-order mark is dropped;
/// UTF-16 with a byte-order mark becomes UTF-8 (invalid sequences U+FFFD);
/// a stream whose first 8 KiB (after decoding) hold a NUL byte or are more
/// than a third control characters is binary.
pub(crate) fn stream(data: &[u8]) -> Stream {
    if data.starts_with(&[0x1f, 0x8b]) {
        return Stream::Gzip;
    }
    let (bytes, utf16_errors) = if let Some(rest) = data.strip_prefix(b"\xEF\xBB\xBF") {
        (rest.to_vec(), false)
    } else if let Some(rest) = data.strip_prefix(b"\xFF\xFE") {
        utf16(rest, encoding_rs::UTF_16LE)
    } else if let Some(rest) = data.strip_prefix(b"\xFE\xFF") {
        utf16(rest, encoding_rs::UTF_16BE)
    } else {
        (data.to_vec(), false)
    };
    let head = &bytes[..bytes.len().min(SNIFF_LEN)];
    let control = head
        .iter()
        .filter(|&&b| (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0C)) || b == 0x7F)
        .count();
    if head.contains(&0) || control * 3 > head.len() {
        return Stream::Binary;
    }
    Stream::Text {
        bytes,
        utf16_errors,
    }
}

/// UTF-16 to UTF-8 in one go, as the WHATWG Encoding Standard decodes it
/// (an unpaired surrogate, or one left open by an odd last byte, is one
/// U+FFFD): the reader transcodes in chunks as it reads, which must give
/// the same. Returns the bytes and whether anything was replaced.
fn utf16(data: &[u8], encoding: &'static encoding_rs::Encoding) -> (Vec<u8>, bool) {
    let (text, bad) = encoding.decode_without_bom_handling(data);
    (text.into_owned().into_bytes(), bad)
}

/// UTF-8 where it is valid; every other byte as Windows-1252 (WHATWG's
/// table, whose five undefined bytes are the C1 controls). Returns the text
/// and how many bytes needed the fallback.
pub(crate) fn utf8_or_1252(bytes: &[u8]) -> (String, usize) {
    let mut out = String::with_capacity(bytes.len());
    let mut bad = 0;
    for chunk in bytes.utf8_chunks() {
        out.push_str(chunk.valid());
        let invalid = chunk.invalid();
        if !invalid.is_empty() {
            let (s, _, _) = encoding_rs::WINDOWS_1252.decode(invalid);
            out.push_str(&s);
            bad += invalid.len();
        }
    }
    (out, bad)
}

/// The number of lines of a decoded stream, as line numbers count them (a
/// final line without a line break counts; CR and CRLF end lines too).
pub(crate) fn line_count(bytes: &[u8]) -> u64 {
    let mut lines = 1;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\n' => lines += 1,
            b'\r' if bytes.get(i + 1) != Some(&b'\n') => lines += 1,
            _ => {}
        }
        i += 1;
    }
    lines
}

/// One CSV/TSV record as the crate documents them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct CsvRecord {
    /// The line where it starts, from 1.
    pub line: u64,
    /// How many fields it has.
    pub fields: usize,
    /// The fields' bytes, quotes removed.
    pub values: Vec<Vec<u8>>,
}

/// The records of a CSV/TSV stream: fields may be quoted with `"` (a doubled
/// `""` inside is one quote) and then hold delimiters and line breaks; a
/// quote inside an unquoted field is an ordinary character; text after a
/// closing quote is kept; records end at LF, CRLF or a lone CR; blank lines
/// are skipped. Returns the complete records and, when the input ends
/// inside a quoted field, the line where that last record starts.
///
/// Line numbers count LF, CRLF and lone CR outside quotes, only LF inside.
pub(crate) fn csv_records(data: &[u8], delim: u8) -> (Vec<CsvRecord>, Option<u64>) {
    let n = data.len();
    let mut line = 1;
    let mut i = 0;
    let mut records = Vec::new();
    // Consumes a line break at `i` (CR, LF or CRLF).
    let newline = |i: &mut usize, line: &mut u64| {
        if data[*i] == b'\r' && data.get(*i + 1) == Some(&b'\n') {
            *i += 1;
        }
        *i += 1;
        *line += 1;
    };
    'records: loop {
        // Blank lines.
        while i < n && matches!(data[i], b'\n' | b'\r') {
            newline(&mut i, &mut line);
        }
        if i == n {
            return (records, None);
        }
        let start = line;
        let mut values: Vec<Vec<u8>> = Vec::new();
        // One field per turn; `i` is at the field's first byte.
        loop {
            let mut value = Vec::new();
            if i < n && data[i] == b'"' {
                i += 1;
                loop {
                    if i == n {
                        return (records, Some(start));
                    }
                    match data[i] {
                        b'"' if data.get(i + 1) == Some(&b'"') => {
                            value.push(b'"');
                            i += 2;
                        }
                        b'"' => {
                            i += 1;
                            break;
                        }
                        b => {
                            line += u64::from(b == b'\n');
                            value.push(b);
                            i += 1;
                        }
                    }
                }
            }
            // Unquoted text, or what follows a closing quote.
            while i < n && data[i] != delim && !matches!(data[i], b'\n' | b'\r') {
                value.push(data[i]);
                i += 1;
            }
            values.push(value);
            if i < n && data[i] == delim {
                i += 1;
                continue;
            }
            if i < n {
                newline(&mut i, &mut line);
            }
            records.push(CsvRecord {
                line: start,
                fields: values.len(),
                values,
            });
            continue 'records;
        }
    }
}

/// The non-blank lines of a JSON Lines stream: (line number, bytes without
/// the line break and trailing CRs). A line is blank when it is only ASCII
/// white space.
pub(crate) fn jsonl_lines(data: &[u8]) -> Vec<(u64, &[u8])> {
    let mut out = Vec::new();
    let mut rest = data;
    let mut line = 0;
    while !rest.is_empty() {
        let end = rest.iter().position(|&b| b == b'\n');
        let (mut l, next) = match end {
            Some(e) => (&rest[..e], &rest[e + 1..]),
            None => (rest, &rest[rest.len()..]),
        };
        line += 1;
        while let Some(x) = l.strip_suffix(b"\r") {
            l = x;
        }
        if !l.iter().all(u8::is_ascii_whitespace) {
            out.push((line, l));
        }
        rest = next;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn recs(data: &[u8]) -> (Vec<(u64, usize)>, Option<u64>) {
        let (r, u) = csv_records(data, b',');
        (r.iter().map(|r| (r.line, r.fields)).collect(), u)
    }

    #[test]
    fn csv_records_follow_the_documented_rules() {
        assert_eq!(recs(b""), (vec![], None));
        assert_eq!(
            recs(b"a,b\r\n\r\n1,\"x\ny\"\r2,\"q\"\"\"z,\n3"),
            (vec![(1, 2), (3, 2), (5, 3), (6, 1)], None)
        );
        assert_eq!(recs(b"a,b\n1,\"open\n2,x\n"), (vec![(1, 2)], Some(2)));
        // A lone CR inside quotes is no line break for line numbers.
        assert_eq!(recs(b"\"a\rb\"\nc"), (vec![(1, 1), (2, 1)], None));
        assert_eq!(line_count(b"a\rb\r\nc\n"), 4);
    }

    #[test]
    fn streams_decode_as_documented() {
        let Stream::Text {
            bytes,
            utf16_errors,
        } = stream(b"\xFF\xFEa\x00\x00\xD8b\x00")
        else {
            panic!("not text")
        };
        assert_eq!(String::from_utf8(bytes).unwrap(), "a\u{FFFD}b");
        assert!(utf16_errors);
        // A high surrogate left open by an odd last byte is one error.
        let Stream::Text { bytes, .. } = stream(b"\xFF\xFEa\x00\x00\xD8b") else {
            panic!("not text")
        };
        assert_eq!(String::from_utf8(bytes).unwrap(), "a\u{FFFD}");
        assert!(matches!(stream(b"\xEF\xBB\xBF"), Stream::Text { bytes, .. } if bytes.is_empty()));
        assert!(matches!(stream(b"a\0b"), Stream::Binary));
        assert!(matches!(stream(b"\x1f\x8b"), Stream::Gzip));
        assert_eq!(utf8_or_1252(b"caf\xe9 \x80"), ("café €".to_owned(), 2));
        assert_eq!(
            jsonl_lines(b"{}\r\r\n \n\n{\"a\":1}"),
            vec![(1, &b"{}"[..]), (4, &b"{\"a\":1}"[..])]
        );
    }
}
