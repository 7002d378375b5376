//! Throughput of the scorers on the golden units (tests/data/units.txt):
//! every unit, the sentence-sized ones (under 400 bytes) the report scores
//! one by one, and the paragraphs (1,000 bytes and more) `--unit doc` meets.
//!
//! Also the loading of the built-in lexicons.
//!
//! `cargo bench -p lexiscope-sentiment --bench vader`

use divan::counter::{BytesCount, ItemsCount};
use divan::{black_box, Bencher};
use lexiscope_sentiment::{Afinn, Lexicon, LexiconSpec, Vader};

const UNITS: &str = include_str!("../tests/data/units.txt");

fn all_units() -> Vec<&'static str> {
    UNITS.lines().collect()
}

fn sentences() -> Vec<&'static str> {
    UNITS
        .lines()
        .filter(|l| !l.trim().is_empty() && l.len() < 400)
        .collect()
}

fn paragraphs() -> Vec<&'static str> {
    UNITS.lines().filter(|l| l.len() >= 1000).collect()
}

fn run(bencher: Bencher, units: Vec<&'static str>, score: impl Fn(&str) -> f64 + Sync) {
    let bytes: usize = units.iter().map(|u| u.len()).sum();
    bencher
        .counter(ItemsCount::new(units.len()))
        .counter(BytesCount::new(bytes))
        .bench(|| {
            let mut total = 0.0;
            for u in &units {
                total += score(black_box(u));
            }
            total
        });
}

#[divan::bench]
fn vader_sentences(bencher: Bencher) {
    let vader = Vader::standard();
    run(bencher, sentences(), |u| vader.polarity_scores(u).compound);
}

#[divan::bench]
fn vader_all_units(bencher: Bencher) {
    let vader = Vader::standard();
    run(bencher, all_units(), |u| vader.polarity_scores(u).compound);
}

#[divan::bench]
fn vader_paragraphs(bencher: Bencher) {
    let vader = Vader::standard();
    run(bencher, paragraphs(), |u| vader.polarity_scores(u).compound);
}

#[divan::bench]
fn vader_news_sentences(bencher: Bencher) {
    let vader = Vader::news();
    run(bencher, sentences(), |u| vader.polarity_scores(u).compound);
}

#[divan::bench]
fn vader_sentences_with_hits(bencher: Bencher) {
    let vader = Vader::standard();
    run(bencher, sentences(), |u| {
        let mut n = 0.0;
        vader
            .polarity_scores_with(u, &mut |h| n += h.applied)
            .compound
            + n
    });
}

#[divan::bench]
fn afinn_sentences(bencher: Bencher) {
    let afinn = Afinn::new();
    run(bencher, sentences(), |u| afinn.score(u));
}

/// Whole articles, as `report` scores them: the paragraph-sized units.
#[divan::bench]
fn afinn_paragraphs(bencher: Bencher) {
    let afinn = Afinn::new();
    run(bencher, paragraphs(), |u| afinn.score(u));
}

#[divan::bench]
fn afinn_paragraphs_with_hits(bencher: Bencher) {
    let afinn = Afinn::new();
    run(bencher, paragraphs(), |u| {
        let mut n = 0.0;
        afinn.score_with(u, &mut |h| n += h.applied) + n
    });
}

#[divan::bench]
fn afinn_all_units(bencher: Bencher) {
    let afinn = Afinn::new();
    run(bencher, all_units(), |u| afinn.score(u));
}

/// Loading a built-in lexicon, which every `sentiment` run does before it
/// reads a document (VADER's tables are built once per process, so they
/// are not measured here).
#[divan::bench(args = [LexiconSpec::Bing, LexiconSpec::Afinn])]
fn load_lexicon(spec: &LexiconSpec) -> Lexicon {
    Lexicon::load(black_box(spec)).expect("built-in lexicon")
}

fn main() {
    divan::main();
}
