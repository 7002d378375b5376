//! Throughput of CSV writing: rows shaped like tfidf.csv (document id,
//! term, count, tf, idf, tf-idf), the report's longest table, formatted
//! into memory as the report's worker threads do.
//!
//! `cargo bench -p lexiscope-report --bench table`

use divan::counter::ItemsCount;
use divan::{black_box, Bencher};
use lexiscope_report::{float_text, Cell, CsvOptions, CsvWriter};

fn main() {
    divan::main();
}

const TERMS: &[&str] = &[
    "trump",
    "president",
    "devos",
    "senate",
    "education",
    "minister",
    "people",
    "government",
    "security",
    "white",
    "house",
    "administration",
    "election",
    "reporters",
    "billionaire",
    "confirmation",
];

/// 20,000 rows of the tf-idf table.
#[divan::bench]
fn tfidf_rows(bencher: Bencher) {
    let ids: Vec<String> = (0..1000)
        .map(|i| format!("news_articles.csv:{i}"))
        .collect();
    let idf_text: Vec<String> = (0..TERMS.len())
        .map(|i| float_text(1.0 + i as f64 / 7.0))
        .collect();
    bencher
        .counter(ItemsCount::new(20_000usize))
        .bench_local(|| {
            let mut w = CsvWriter::new(
                Vec::with_capacity(2 << 20),
                "tfidf.csv",
                &["doc_id", "term", "count", "tf", "idf", "tf_idf"],
                &CsvOptions::default(),
            )
            .expect("header");
            for r in 0..20_000usize {
                let t = r % TERMS.len();
                let n = (r % 9 + 1) as u64;
                let tf = n as f64 / 405.0;
                let idf = 1.0 + t as f64 / 7.0;
                w.write_row(&[
                    Cell::Str(&ids[r / 20]),
                    Cell::Str(TERMS[t]),
                    Cell::UInt(n),
                    Cell::Float(tf),
                    Cell::Number(idf, &idf_text[t]),
                    Cell::Float(tf * idf),
                ])
                .expect("row");
            }
            black_box(w.into_inner().expect("bytes"))
        });
}
