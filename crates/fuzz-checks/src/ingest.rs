//! Readers and decoding (`lexiscope-ingest`), fed through standard input
//! with its format given, exactly as `lexiscope ... - --stdin-format F` does.

use std::io::Cursor;
use std::path::PathBuf;

use lexiscope_ingest::{
    Corpus, Document, Event, IngestError, IngestOptions, IngestStats, InputFormat, Warning,
    WarningKind,
};

use crate::oracle::{self, Stream};

/// The CSV and TSV readers on `data` as the whole input.
///
/// Reads it as CSV with the default clean-ups, as CSV and as TSV with the
/// clean-ups off, and as CSV with `--text-col text --id-col id`. Checks that
/// nothing panics; that the stream's counts match its events; that every
/// line number lies within the input; and, against a plain re-statement of
/// the documented CSV rules, that the first record is the header and every
/// later record is, in order, either a document (when it has as many fields
/// as the header) or a row-skipped warning at the line where it starts, a
/// quoted field left open at the end being one last skipped record, so that
/// documents + skipped rows = records; that ids count the rows; and, with
/// the clean-ups off, that a document's text and metadata are the record's
/// fields. UTF-8 and UTF-16 byte-order marks and binary sniffing are
/// predicted too; what gzip holds is not (only the bookkeeping is checked).
///
/// # Panics
/// When an invariant does not hold, with a message saying which.
pub fn csv(data: &[u8]) {
    check_table(data, b',', &IngestOptions::default(), false);
    check_table(data, b',', &raw_options(), true);
    check_table(data, b'\t', &raw_options(), true);
    let named = IngestOptions {
        text_col: Some("text".to_owned()),
        id_col: Some("id".to_owned()),
        ..raw_options()
    };
    check_table(data, b',', &named, true);
}

/// The JSON Lines reader on `data` as the whole input.
///
/// Reads it with the default options and with `--text-col text --id-col
/// id`. Checks the stream's bookkeeping and line numbers as [`csv`] does, and
/// that every non-blank line becomes, in order, a document or a skipped-line
/// warning at its own line (a line that is not a JSON object is always
/// skipped as invalid JSON, an object never is), so that documents + skipped
/// lines = non-blank lines; and that ids count the lines.
///
/// # Panics
/// When an invariant does not hold, with a message saying which.
pub fn jsonl(data: &[u8]) {
    check_jsonl(data, &IngestOptions::default());
    let named = IngestOptions {
        text_col: Some("text".to_owned()),
        id_col: Some("id".to_owned()),
        ..raw_options()
    };
    check_jsonl(data, &named);
}

/// Encoding detection and decoding on `data` as one plain-text input.
///
/// With the clean-ups off, checks that decoding is total: the input gives
/// exactly one document, or (when it looks binary) exactly one warning
/// saying so; valid UTF-8 comes back unchanged, a UTF-8 byte-order mark is
/// dropped, UTF-16 with a byte-order mark is decoded (unpaired surrogates
/// become U+FFFD with one warning), and other bytes that are not UTF-8 are
/// read as Windows-1252 with one warning. With the default clean-ups, checks
/// that the same document comes out, without Unicode spaces left in it.
///
/// # Panics
/// When an invariant does not hold, with a message saying which.
pub fn encoding(data: &[u8]) {
    let opts = IngestOptions {
        stdin_format: Some(InputFormat::Text),
        ..raw_options()
    };
    let (events, stats) = read(data, &opts).expect("a plain-text input cannot fail to open");
    let (docs, warnings) = split(&events);
    assert!(docs.len() <= 1, "{} documents from one text", docs.len());
    for w in &warnings {
        assert_eq!(w.line, None, "a whole-text warning has a line: {w}");
    }
    match oracle::stream(data) {
        Stream::Gzip => {
            if docs.is_empty() {
                assert!(
                    warnings
                        .iter()
                        .any(|w| matches!(w.kind, WarningKind::Binary | WarningKind::Unreadable)),
                    "gzip input gave neither a document nor a reason: {warnings:?}"
                );
            }
        }
        Stream::Binary => {
            assert!(docs.is_empty(), "binary input gave a document");
            assert_eq!(kinds(&warnings), [WarningKind::Binary], "{warnings:?}");
            assert_eq!(stats.files_skipped, 1);
        }
        Stream::Text {
            bytes,
            utf16_errors,
        } => {
            let [doc] = docs[..] else {
                panic!("text input gave no document: {warnings:?}");
            };
            let (expected, bad) = oracle::utf8_or_1252(&bytes);
            assert_eq!(doc.text, expected, "decoded text differs");
            if let Ok(s) = std::str::from_utf8(data) {
                if !s.starts_with('\u{FEFF}') {
                    assert_eq!(doc.text, s, "valid UTF-8 did not round-trip");
                }
            }
            let mut want = Vec::new();
            if bad > 0 {
                want.push(WarningKind::EncodingFallback);
            }
            if utf16_errors {
                want.push(WarningKind::InvalidUtf16);
            }
            assert_eq!(kinds(&warnings), want, "{warnings:?}");
            assert_eq!(stats.decoded_with_fallback, u64::from(bad > 0));
            assert_eq!((doc.id.as_str(), doc.origin.line), ("stdin", None));
        }
    }

    // The clean-ups keep the document and leave no Unicode space behind.
    let cleaned = IngestOptions {
        stdin_format: Some(InputFormat::Text),
        ..IngestOptions::default()
    };
    let (events, _) = read(data, &cleaned).expect("a plain-text input cannot fail to open");
    let (cleaned_docs, _) = split(&events);
    assert_eq!(
        cleaned_docs.len(),
        docs.len(),
        "the clean-ups changed whether there is a document"
    );
    for d in cleaned_docs {
        assert!(
            !d.text.contains(UNICODE_SPACES),
            "a Unicode space survived the clean-up: {:?}",
            d.text
        );
    }
}

/// The spaces and line separators that the clean-up replaces.
const UNICODE_SPACES: [char; 19] = [
    '\u{00A0}', '\u{1680}', '\u{2000}', '\u{2001}', '\u{2002}', '\u{2003}', '\u{2004}', '\u{2005}',
    '\u{2006}', '\u{2007}', '\u{2008}', '\u{2009}', '\u{200A}', '\u{202F}', '\u{205F}', '\u{3000}',
    '\u{0085}', '\u{2028}', '\u{2029}',
];

/// Every clean-up off: texts as they are in the input.
fn raw_options() -> IngestOptions {
    IngestOptions {
        decode_entities: false,
        strip_html: false,
        normalize_spaces: false,
        ..IngestOptions::default()
    }
}

/// A table read from standard input, with the text the oracle decoded.
struct TableRead {
    events: Vec<Event>,
    stats: IngestStats,
    bytes: Vec<u8>,
    utf16_errors: bool,
}

/// Reads `data` as a table in `format` from standard input and checks what
/// every format shares: a missing named column is the only error, binary
/// input gives no documents and one skipped file, text input is read to its
/// end with warnings on real lines.  `None` when there is nothing more to
/// check.
fn read_table(data: &[u8], opts: &IngestOptions, format: InputFormat) -> Option<TableRead> {
    let opts = IngestOptions {
        stdin_format: Some(format),
        ..opts.clone()
    };
    let (events, stats) = match read(data, &opts) {
        Ok(r) => r,
        Err(IngestError::MissingColumn { option, .. }) => {
            assert!(
                opts.text_col.is_some() || opts.id_col.is_some(),
                "{option} reported missing, but no column was named"
            );
            return None;
        }
        Err(e) => panic!("opening standard input failed: {e}"),
    };
    let Stream::Text {
        bytes,
        utf16_errors,
    } = oracle::stream(data)
    else {
        if matches!(oracle::stream(data), Stream::Binary) {
            assert_eq!(stats.documents_read, 0, "binary input gave documents");
            assert_eq!(stats.files_skipped, 1);
        }
        return None;
    };
    assert_eq!(
        stats.bytes_read,
        data.len() as u64,
        "not all of the input was read"
    );
    check_lines(&events, oracle::line_count(&bytes));
    Some(TableRead {
        events,
        stats,
        bytes,
        utf16_errors,
    })
}

/// Reads `data` as standard input and checks the stream's bookkeeping.
fn read(data: &[u8], opts: &IngestOptions) -> Result<(Vec<Event>, IngestStats), IngestError> {
    let mut corpus = Corpus::open_with_stdin(
        &[PathBuf::from("-")],
        opts.clone(),
        Box::new(Cursor::new(data.to_vec())),
    )?;
    let events: Vec<Event> = corpus.by_ref().collect();
    let stats = corpus.stats();
    let (docs, warnings) = split(&events);
    assert_eq!(stats.documents_read, docs.len() as u64, "documents_read");
    assert_eq!(stats.warnings, warnings.len() as u64, "warnings");
    assert_eq!(stats.files_read + stats.files_skipped, 1, "{stats:?}");
    assert!(stats.bytes_read <= data.len() as u64, "{stats:?}");
    assert!(
        stats.decoded_with_fallback <= stats.documents_read,
        "{} documents decoded with the fallback, {} read",
        stats.decoded_with_fallback,
        stats.documents_read
    );
    for d in &docs {
        assert_eq!(&*d.origin.path, "stdin");
        assert_eq!(d.meta.columns().len(), d.meta.iter().count());
    }
    for w in &warnings {
        assert_eq!(w.path, "stdin", "{w}");
        assert!(!w.message.is_empty(), "a warning without words: {w:?}");
        assert_ne!(w.line, Some(0), "line 0 in {w}");
    }
    Ok((events, stats))
}

fn split(events: &[Event]) -> (Vec<&Document>, Vec<&Warning>) {
    let mut docs = Vec::new();
    let mut warnings = Vec::new();
    for e in events {
        match e {
            Event::Document(d) => docs.push(d),
            Event::Warning(w) => warnings.push(w),
        }
    }
    (docs, warnings)
}

fn kinds(warnings: &[&Warning]) -> Vec<WarningKind> {
    warnings.iter().map(|w| w.kind).collect()
}

/// What happened to one record, in stream order.
#[derive(Debug, PartialEq, Eq)]
enum Outcome {
    Document(u64),
    Skipped(u64, WarningKind),
}

/// Checks that every line number is within the input.
fn check_lines(events: &[Event], lines: u64) {
    for e in events {
        let line = match e {
            Event::Document(d) => d.origin.line,
            Event::Warning(w) => w.line,
        };
        if let Some(l) = line {
            assert!(
                (1..=lines).contains(&l),
                "line {l} is outside the input's {lines} lines: {e:?}"
            );
        }
    }
}

fn check_table(data: &[u8], delim: u8, opts: &IngestOptions, raw: bool) {
    let format = if delim == b',' {
        InputFormat::Csv
    } else {
        InputFormat::Tsv
    };
    let Some(TableRead {
        events,
        stats,
        bytes,
        utf16_errors,
    }) = read_table(data, opts, format)
    else {
        return;
    };
    let (records, unterminated) = oracle::csv_records(&bytes, delim);
    let mut expected = Vec::new();
    let mut skipped = 0;
    if let Some((header, rows)) = records.split_first() {
        for r in rows {
            expected.push(if r.fields == header.fields {
                Outcome::Document(r.line)
            } else {
                skipped += 1;
                Outcome::Skipped(r.line, WarningKind::FieldCount)
            });
        }
        if let Some(line) = unterminated {
            skipped += 1;
            expected.push(Outcome::Skipped(line, WarningKind::UnterminatedQuote));
        }
    } else if let Some(line) = unterminated {
        // The header itself is never closed: the file is skipped.
        expected.push(Outcome::Skipped(line, WarningKind::UnterminatedQuote));
    }
    let actual: Vec<Outcome> = events
        .iter()
        .filter_map(|e| match e {
            Event::Document(d) => Some(Outcome::Document(d.origin.line.unwrap_or(0))),
            Event::Warning(w)
                if matches!(
                    w.kind,
                    WarningKind::FieldCount | WarningKind::UnterminatedQuote
                ) =>
            {
                Some(Outcome::Skipped(w.line.unwrap_or(0), w.kind))
            }
            Event::Warning(_) => None,
        })
        .collect();
    assert_eq!(
        actual, expected,
        "records and what became of them differ from the CSV rules"
    );
    assert_eq!(stats.documents_skipped, skipped, "documents_skipped");
    assert_eq!(
        stats.documents_read + stats.documents_skipped,
        records.len().saturating_sub(1) as u64
            + u64::from(unterminated.is_some() && !records.is_empty()),
        "documents + skipped rows != records"
    );
    check_utf16_warning(&events, utf16_errors);

    // Ids count the rows (skipped ones included); fields are the record's.
    let header_fields = records.first().map_or(0, |h| h.fields);
    let rows: Vec<_> = records.iter().skip(1).collect();
    let mut row = 0;
    for e in &events {
        let Event::Document(d) = e else { continue };
        while rows[row].line != d.origin.line.unwrap_or(0) {
            row += 1;
        }
        let record = rows[row];
        row += 1;
        if opts.id_col.is_none() {
            assert_eq!(
                d.id,
                format!("stdin:{row}"),
                "id of the row at line {}",
                record.line
            );
        }
        assert_eq!(
            d.meta.len() + 1 + usize::from(opts.id_col.is_some()),
            header_fields,
            "metadata columns of the row at line {}",
            record.line
        );
        if raw {
            let mut values: Vec<String> = record
                .values
                .iter()
                .map(|v| oracle::utf8_or_1252(v).0)
                .collect();
            let mut got: Vec<&str> = d.meta.iter().map(|(_, v)| v).collect();
            got.push(&d.text);
            for g in got {
                let Some(at) = values.iter().position(|v| v == g) else {
                    panic!(
                        "{g:?} in the document of line {} is not a field of its record {:?}",
                        record.line, record.values
                    );
                };
                values.swap_remove(at);
            }
        }
    }
}

fn check_utf16_warning(events: &[Event], utf16_errors: bool) {
    let n = events
        .iter()
        .filter(|e| matches!(e, Event::Warning(w) if w.kind == WarningKind::InvalidUtf16))
        .count();
    assert_eq!(
        n,
        usize::from(utf16_errors),
        "InvalidUtf16 warnings (the input's UTF-16 is {})",
        if utf16_errors {
            "invalid"
        } else {
            "valid or absent"
        }
    );
}

fn check_jsonl(data: &[u8], opts: &IngestOptions) {
    let Some(TableRead {
        events,
        stats,
        bytes,
        utf16_errors,
    }) = read_table(data, opts, InputFormat::Jsonl)
    else {
        return;
    };
    let lines = oracle::jsonl_lines(&bytes);
    let actual: Vec<(u64, Option<WarningKind>)> = events
        .iter()
        .filter_map(|e| match e {
            Event::Document(d) => Some((d.origin.line.unwrap_or(0), None)),
            Event::Warning(w)
                if matches!(w.kind, WarningKind::InvalidJson | WarningKind::MissingText) =>
            {
                Some((w.line.unwrap_or(0), Some(w.kind)))
            }
            Event::Warning(_) => None,
        })
        .collect();
    assert_eq!(
        actual.iter().map(|a| a.0).collect::<Vec<_>>(),
        lines.iter().map(|l| l.0).collect::<Vec<_>>(),
        "the lines that gave a document or a skipped-line warning are not the non-blank lines"
    );
    for ((line, outcome), (_, bytes)) in actual.iter().zip(&lines) {
        let (text, _) = oracle::utf8_or_1252(bytes);
        let is_object = matches!(
            serde_json::from_str::<serde_json::Value>(&text),
            Ok(serde_json::Value::Object(_))
        );
        // JSON's grammar allows an escaped lone surrogate ("\ud800"), which
        // no Unicode string holds; `Value` refuses it, `IgnoredAny` does not.
        // Between the two either outcome is fine.
        let is_object_syntax = text.trim_start().starts_with('{')
            && serde_json::from_str::<serde::de::IgnoredAny>(&text).is_ok();
        if is_object {
            assert_ne!(
                *outcome,
                Some(WarningKind::InvalidJson),
                "line {line} holds a JSON object but was called invalid: {text:?}"
            );
        } else if !is_object_syntax {
            assert_eq!(
                *outcome,
                Some(WarningKind::InvalidJson),
                "line {line} is not a JSON object but was not skipped as invalid: {text:?}"
            );
        }
    }
    let skipped = actual.iter().filter(|a| a.1.is_some()).count() as u64;
    assert_eq!(stats.documents_skipped, skipped, "documents_skipped");
    assert_eq!(
        stats.documents_read + stats.documents_skipped,
        lines.len() as u64,
        "documents + skipped lines != non-blank lines"
    );
    check_utf16_warning(&events, utf16_errors);
    if opts.id_col.is_none() {
        // Ids count the non-blank lines, skipped ones included.
        let docs = events.iter().filter_map(|e| match e {
            Event::Document(d) => Some(d),
            Event::Warning(_) => None,
        });
        let rows = actual
            .iter()
            .enumerate()
            .filter(|(_, a)| a.1.is_none())
            .map(|(k, _)| k + 1);
        for (d, row) in docs.zip(rows) {
            assert_eq!(
                d.id,
                format!("stdin:{row}"),
                "id of line {:?}",
                d.origin.line
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utf16le(s: &str) -> Vec<u8> {
        let mut out = vec![0xFF, 0xFE];
        for u in s.encode_utf16() {
            out.extend_from_slice(&u.to_le_bytes());
        }
        out
    }

    #[test]
    fn ordinary_tables_pass() {
        csv(b"id,text,date\n1,\"Hello, world.\",2017/2/7\r\n2,\"multi\nline\",x\n");
        csv(b"text\n");
        csv(b"");
        jsonl(b"{\"id\":\"a\",\"text\":\"Hi\",\"n\":1}\n\n{\"text\":null}\n");
    }

    #[test]
    fn unterminated_quotes_broken_rows_and_crlf() {
        csv(b"a,text\r\n1,\"open\r\n2,x\r\n");
        csv(b"\"header never closed\n1,2\n");
        csv(b"a,b\r\r\n1,2,3\r4\n\"x\"y\"z,\"\"\"\n");
        jsonl(b"{\"text\":\"a\"}\r\n[1]\r\n{bad\r\n   \r\n\"s\"\r\n{}");
        jsonl(b"{\"text\":\"lone \\ud83d surrogate\"}\n{\"\\udc00\":1}\n");
    }

    #[test]
    fn byte_order_marks_nul_bytes_and_lone_surrogates() {
        // BOM only, in every flavour.
        for bom in [&b"\xEF\xBB\xBF"[..], b"\xFF\xFE", b"\xFE\xFF"] {
            encoding(bom);
            csv(bom);
            jsonl(bom);
        }
        // A lone high surrogate, a lone low one, and an odd last byte.
        let mut lone = utf16le("text\nab");
        lone.extend_from_slice(&[0x00, 0xD8, b'c', 0x00, 0x00, 0xDC, b'\n', 0x00, b'x']);
        encoding(&lone);
        csv(&lone);
        jsonl(&lone);
        // NUL bytes: binary.
        encoding(b"text\0with nul");
        csv(b"text\n\0");
        // UTF-16 without a BOM looks binary too.
        encoding(&utf16le("plain")[2..]);
    }

    #[test]
    fn windows_1252_and_unicode_spaces() {
        encoding(b"caf\xe9 \x93quoted\x94 \x80 \xc2\xa0nbsp\xe2\x80\xa8");
        csv(b"text,x\ncaf\xe9,\xff\n");
        jsonl(b"{\"text\":\"caf\xe9\"}\n");
    }

    #[test]
    fn ten_thousand_combining_marks_in_a_field() {
        let mut row = String::from("text\n\"e");
        row.extend(std::iter::repeat_n('\u{301}', 10_000));
        row.push_str("\"\n");
        csv(row.as_bytes());
        encoding(row.as_bytes());
    }
}
