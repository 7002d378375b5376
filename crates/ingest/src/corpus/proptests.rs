//! Property tests: any bytes at all, under any name, give documents or
//! warnings and never a panic; well-formed CSV round-trips exactly.

use std::io::Write;
use std::path::PathBuf;

use proptest::prelude::*;

use crate::{Corpus, Event, IngestOptions};

/// Reads `bytes` as a file called `name` and checks the stream's bookkeeping.
fn read_as(name: &str, bytes: &[u8]) -> Vec<Event> {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join(name);
    std::fs::write(&file, bytes).unwrap();
    let mut corpus = Corpus::open(&[file], IngestOptions::default()).unwrap();
    let events: Vec<Event> = corpus.by_ref().collect();
    let stats = corpus.stats();
    let docs = events
        .iter()
        .filter(|e| matches!(e, Event::Document(_)))
        .count() as u64;
    assert_eq!(stats.documents_read, docs);
    assert_eq!(stats.warnings, events.len() as u64 - docs);
    assert_eq!(stats.files_read + stats.files_skipped, 1);
    assert_eq!(stats.bytes_read, bytes.len() as u64);
    events
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    enc.write_all(bytes).unwrap();
    enc.finish().unwrap()
}

/// Bytes that look a bit like the inputs: structure characters are common.
fn messy_bytes() -> impl Strategy<Value = Vec<u8>> {
    let interesting = prop_oneof![
        Just(b','),
        Just(b'\t'),
        Just(b'"'),
        Just(b'\n'),
        Just(b'\r'),
        Just(b'{'),
        Just(b'}'),
        Just(b':'),
        Just(b'<'),
        Just(b'>'),
        Just(b'&'),
        Just(b';'),
        Just(b'#'),
        Just(0xC2),
        Just(0xA0),
        Just(0xE2),
        Just(0x80),
        Just(0xFF),
        Just(0xFE),
        Just(0x00),
        any::<u8>(),
        b'a'..=b'z',
    ];
    prop::collection::vec(interesting, 0..400)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn any_bytes_under_any_reader_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..600)) {
        for name in ["x.csv", "x.tsv", "x.jsonl", "x.txt", "x.gz", "x.unknown"] {
            read_as(name, &bytes);
        }
        let gz = gzip(&bytes);
        for name in ["x.csv.gz", "x.jsonl.gz", "x.txt.gz"] {
            read_as(name, &gz);
            // and damaged gzip
            read_as(name, &gz[..gz.len() / 2]);
        }
    }

    #[test]
    fn structured_messy_bytes_never_panic(bytes in messy_bytes(), bom in 0..4usize) {
        let prefix: &[u8] = [&b""[..], b"\xEF\xBB\xBF", b"\xFF\xFE", b"\xFE\xFF"][bom];
        let mut input = prefix.to_vec();
        input.extend_from_slice(&bytes);
        for name in ["x.csv", "x.tsv", "x.jsonl", "x.txt", "x.html"] {
            read_as(name, &input);
        }
    }

    #[test]
    fn any_text_through_the_clean_up_never_panics(text in "[<>/a-zA-Z!&#;x0-9 \"'=\\-\u{A0}\u{2009}é]{0,300}") {
        let out = crate::clean::clean(text.clone(), &IngestOptions::default());
        // nothing is ever added but line breaks, spaces and decoded characters
        prop_assert!(out.len() <= text.len() + text.matches('<').count() + 4 * text.matches('&').count());
    }

    #[test]
    fn well_formed_csv_round_trips(
        rows in prop::collection::vec(prop::collection::vec("[a-z ,\"\n\r\t;éß&]{0,12}", 3), 0..12),
        crlf in any::<bool>(),
    ) {
        let eol = if crlf { "\r\n" } else { "\n" };
        let quote = |f: &str| {
            if f.contains([',', '"', '\n', '\r']) || f.is_empty() {
                format!("\"{}\"", f.replace('"', "\"\""))
            } else {
                f.to_owned()
            }
        };
        let mut csv = format!("a,text,c{eol}");
        for row in &rows {
            let fields: Vec<String> = row.iter().map(|f| quote(f)).collect();
            csv.push_str(&fields.join(","));
            csv.push_str(eol);
        }
        let dir = tempfile::tempdir().unwrap();
        let file: PathBuf = dir.path().join("r.csv");
        std::fs::write(&file, &csv).unwrap();
        let opts = IngestOptions { decode_entities: false, strip_html: false, normalize_spaces: false, ..IngestOptions::default() };
        let events: Vec<Event> = Corpus::open(&[file], opts).unwrap().collect();
        prop_assert_eq!(events.len(), rows.len());
        for (i, (event, row)) in events.iter().zip(&rows).enumerate() {
            let Event::Document(doc) = event else { return Err(TestCaseError::fail(format!("warning: {event:?}"))) };
            prop_assert_eq!(&doc.id, &format!("r.csv:{}", i + 1));
            prop_assert_eq!(&doc.text, &row[1]);
            prop_assert_eq!(doc.meta.get("a"), Some(row[0].as_str()));
            prop_assert_eq!(doc.meta.get("c"), Some(row[2].as_str()));
        }
    }
}
