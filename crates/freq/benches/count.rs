//! Throughput of counting: tokens into terms, bigrams and document
//! frequencies, as `report` and `freq` do per batch, on the text crate's
//! news fixture (65 articles, 198 KB), one document per line.
//!
//! `cargo bench -p lexiscope-freq --bench count`

use std::sync::Arc;

use divan::counter::BytesCount;
use divan::{black_box, Bencher};
use lexiscope_freq::{CountOptions, Counts};
use lexiscope_text::{sentences, StopWordSource, StopWords, Tokenizer};

const NEWS: &str = include_str!("../../text/tests/data/tidytext_news.txt");

fn main() {
    divan::main();
}

fn count(opts: &Arc<CountOptions>, tok: &mut Tokenizer, split_sentences: bool) -> Counts {
    let mut c = Counts::new(opts.clone());
    for (i, doc) in black_box(NEWS).lines().enumerate() {
        let mut dc = c.doc(i as u64, None);
        if split_sentences {
            for s in sentences(doc) {
                dc.sentence();
                tok.for_each(&doc[s], |w| {
                    dc.token(w);
                });
            }
        } else {
            tok.for_each(doc, |w| {
                dc.token(w);
            });
        }
        dc.finish();
    }
    c
}

/// Words only, stop words kept (`freq --stopwords none`).
#[divan::bench]
fn words(b: Bencher) {
    let opts = Arc::new(CountOptions {
        max_ngram: 1,
        ..CountOptions::default()
    });
    let mut tok = Tokenizer::new();
    b.counter(BytesCount::new(NEWS.len()))
        .bench_local(|| count(&opts, &mut tok, false));
}

/// Words and bigrams within sentences, tidytext stop words, per-document
/// term lists kept for tf-idf: what `report` counts.
#[divan::bench]
fn report_counts(b: Bencher) {
    let opts = Arc::new(CountOptions {
        max_ngram: 2,
        stop_words: StopWords::load(&StopWordSource::Tidytext).unwrap(),
        doc_terms: true,
        ..CountOptions::default()
    });
    let mut tok = Tokenizer::new();
    b.counter(BytesCount::new(NEWS.len()))
        .bench_local(|| count(&opts, &mut tok, true));
}

/// Merging a batch into the corpus totals.
#[divan::bench]
fn merge(b: Bencher) {
    let opts = Arc::new(CountOptions {
        max_ngram: 2,
        doc_terms: true,
        ..CountOptions::default()
    });
    let mut tok = Tokenizer::new();
    let batch = count(&opts, &mut tok, true);
    b.counter(BytesCount::new(NEWS.len())).bench_local(|| {
        let mut total = Counts::new(opts.clone());
        total.merge(batch.clone())
    });
}
