//! Throughput of the tokenizer and the sentence splitter on news text (the
//! committed tidytext fixture: 65 articles, 198 KB).
//!
//! `cargo bench -p lexiscope-text --bench tokenize`

use divan::counter::BytesCount;
use divan::{black_box, Bencher};
use lexiscope_text::{sentences, Segments, Tokenizer};

const NEWS: &str = include_str!("../tests/data/tidytext_news.txt");

fn main() {
    divan::main();
}

/// Word tokens, lower-cased and normalised, as the counts see them.
#[divan::bench]
fn tokens(b: Bencher) {
    let mut tok = Tokenizer::new();
    b.counter(BytesCount::new(NEWS.len())).bench_local(|| {
        let mut n = 0usize;
        tok.for_each(black_box(NEWS), |w| n += w.len());
        n
    });
}

/// Word segments only (no lower-casing): the segmentation rules alone.
#[divan::bench]
fn word_segments(b: Bencher) {
    b.counter(BytesCount::new(NEWS.len())).bench_local(|| {
        let mut segs = Segments::new(black_box(NEWS));
        let mut n = 0usize;
        while let Some(s) = segs.next_word() {
            n += s.end - s.start;
        }
        n
    });
}

/// Sentence boundaries.
#[divan::bench]
fn sentence_split(b: Bencher) {
    b.counter(BytesCount::new(NEWS.len()))
        .bench_local(|| sentences(black_box(NEWS)).count());
}
