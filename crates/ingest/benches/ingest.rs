//! Ingest throughput: the news fixture (tests/data/news_sample.csv, 56 rows
//! of news_articles.csv) repeated to about 20 MB in a temporary folder, read
//! as a stream of documents; also gzipped, with the clean-ups switched off,
//! and as one 20 MB text with no newline.
//!
//! `cargo bench -p lexiscope-ingest --bench ingest`
//!
//! The full-scale number (news_articles.csv replicated to 100 MB) is measured
//! by the project benchmark.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use divan::counter::{BytesCount, ItemsCount};
use divan::Bencher;
use lexiscope_ingest::{Corpus, Event, IngestOptions};

const TARGET_BYTES: usize = 20_000_000;

struct Inputs {
    _dir: tempfile::TempDir,
    csv: PathBuf,
    csv_gz: PathBuf,
    text: PathBuf,
    rows: usize,
}

fn inputs() -> &'static Inputs {
    static INPUTS: OnceLock<Inputs> = OnceLock::new();
    INPUTS.get_or_init(|| {
        let fixture = include_bytes!("../tests/data/news_sample.csv");
        let split = fixture
            .iter()
            .position(|&b| b == b'\n')
            .map_or(0, |i| i + 1);
        let (header, rows) = fixture.split_at(split);
        let rows_per_copy = rows.iter().filter(|&&b| b == b'\n').count();
        let mut csv = header.to_vec();
        let mut copies = 0;
        while csv.len() < TARGET_BYTES {
            csv.extend_from_slice(rows);
            copies += 1;
        }
        let dir = tempfile::tempdir().expect("temp dir");
        let write = |name: &str, bytes: &[u8]| {
            let p = dir.path().join(name);
            std::fs::write(&p, bytes).expect("write bench input");
            p
        };
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        gz.write_all(&csv).expect("gzip");
        let gz = gz.finish().expect("gzip");
        // one document, no newline: prose with entities and no-break spaces
        let unit = "It&rsquo;s a long line of news text,\u{A0}with entities &amp; spaces. ";
        let text = unit.repeat(TARGET_BYTES / unit.len());
        Inputs {
            csv: write("news.csv", &csv),
            csv_gz: write("news.csv.gz", &gz),
            text: write("huge.txt", text.as_bytes()),
            rows: rows_per_copy * copies,
            _dir: dir,
        }
    })
}

fn file_len(p: &Path) -> u64 {
    std::fs::metadata(p).map_or(0, |m| m.len())
}

/// Reads the whole stream; returns the number of documents and text bytes.
fn read_all(path: &Path, opts: &IngestOptions) -> (usize, usize) {
    let corpus = Corpus::open(&[path.to_path_buf()], opts.clone()).expect("open");
    let mut docs = 0;
    let mut bytes = 0;
    for event in corpus {
        if let Event::Document(d) = event {
            docs += 1;
            bytes += d.text.len() + d.meta.iter().map(|(_, v)| v.len()).sum::<usize>();
        }
    }
    (docs, bytes)
}

fn bench_file(bencher: Bencher, path: &Path, items: usize, opts: IngestOptions) {
    bencher
        .counter(BytesCount::new(file_len(path)))
        .counter(ItemsCount::new(items))
        .bench(|| read_all(path, &opts));
}

fn main() {
    divan::main();
}

#[divan::bench(sample_count = 10)]
fn csv_20mb(bencher: Bencher) {
    let i = inputs();
    bench_file(bencher, &i.csv, i.rows, IngestOptions::default());
}

#[divan::bench(sample_count = 10)]
fn csv_20mb_no_cleanup(bencher: Bencher) {
    let i = inputs();
    let opts = IngestOptions {
        decode_entities: false,
        strip_html: false,
        normalize_spaces: false,
        ..IngestOptions::default()
    };
    bench_file(bencher, &i.csv, i.rows, opts);
}

/// Bytes counted are the uncompressed CSV, to compare with `csv_20mb`.
#[divan::bench(sample_count = 10)]
fn csv_gz_20mb(bencher: Bencher) {
    let i = inputs();
    let opts = IngestOptions::default();
    bencher
        .counter(BytesCount::new(file_len(&i.csv)))
        .counter(ItemsCount::new(i.rows))
        .bench(|| read_all(&i.csv_gz, &opts));
}

#[divan::bench(sample_count = 10)]
fn text_20mb_one_line(bencher: Bencher) {
    let i = inputs();
    bench_file(bencher, &i.text, 1, IngestOptions::default());
}
