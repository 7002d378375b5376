//! Agreement with the reference tools on the committed golden units.
//!
//! tests/data/units.txt holds one text unit per line (tweet-like text, news
//! sentences and paragraphs, Austen, edge cases, non-English); the expected
//! CSVs were written by vaderSentiment 3.3.2 and afinn 0.1 through
//! shared/tools/{vader,afinn}_reference.py (see tools/make_goldens.py).

use lexiscope_sentiment::{Afinn, Vader};

const UNITS: &str = include_str!("data/units.txt");
const VADER_EXPECTED: &str = include_str!("data/vader_expected.csv");
const AFINN_EXPECTED: &str = include_str!("data/afinn_expected.csv");

/// The units, split as Python iterates the file (no CR in the file).
fn units() -> Vec<&'static str> {
    assert!(!UNITS.contains('\r'));
    UNITS
        .strip_suffix('\n')
        .unwrap_or(UNITS)
        .split('\n')
        .collect()
}

/// Rows of a reference CSV: line number, then the numbers.
fn rows(csv: &str, width: usize) -> Vec<(usize, Vec<f64>)> {
    csv.lines()
        .skip(1)
        .map(|l| {
            let fields: Vec<&str> = l.split(',').collect();
            assert_eq!(fields.len(), width + 1, "{l}");
            let line = fields[0].parse().expect("line number");
            let values = fields[1..]
                .iter()
                .map(|f| f.parse().expect("number"))
                .collect();
            (line, values)
        })
        .collect()
}

fn shorten(s: &str) -> String {
    let mut out: String = s.chars().take(90).collect();
    if out.len() < s.len() {
        out.push('…');
    }
    out
}

#[test]
fn vader_matches_vadersentiment_on_every_unit() {
    let units = units();
    let expected = rows(VADER_EXPECTED, 4);
    assert_eq!(units.len(), expected.len());
    assert!(units.len() >= 2_000);
    let vader = Vader::standard();
    let mut failures = Vec::new();
    for (text, (line, want)) in units.iter().zip(&expected) {
        let s = vader.polarity_scores(text);
        let got = [s.neg, s.neu, s.pos, s.compound];
        // Both sides are rounded the same way (3 and 4 decimals), so the
        // values must be identical, which is stricter than 4-decimal agreement.
        if got.as_slice() != want.as_slice() {
            failures.push(format!(
                "line {line}: {:?}\n    expected neg,neu,pos,compound = {want:?}\n    got                           = {got:?}",
                shorten(text)
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} units differ from vaderSentiment 3.3.2:\n{}",
        failures.len(),
        units.len(),
        failures.join("\n")
    );
}

#[test]
fn afinn_matches_afinn_package_on_every_unit() {
    let units = units();
    let expected = rows(AFINN_EXPECTED, 1);
    assert_eq!(units.len(), expected.len());
    let afinn = Afinn::new();
    let mut failures = Vec::new();
    for (text, (line, want)) in units.iter().zip(&expected) {
        let got = afinn.score(text);
        if got != want[0] {
            failures.push(format!(
                "line {line}: {:?}: expected {}, got {got}",
                shorten(text),
                want[0]
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} units differ from afinn 0.1:\n{}",
        failures.len(),
        units.len(),
        failures.join("\n")
    );
}

#[test]
fn vader_news_only_differs_where_documented() {
    // On text without Unicode punctuation, short punctuated words, "but",
    // "so"/"this" or capitals the two variants must agree.
    let standard = Vader::standard();
    let news = Vader::news();
    let mut compared = 0;
    for text in units() {
        let plain = text.is_ascii()
            && !text.split_whitespace().any(|w| {
                let stripped = w.trim_matches(|c: char| c.is_ascii_punctuation());
                let short_punctuated = stripped != w && stripped.len() <= 2;
                let rule_word =
                    ["but", "so", "this", "no"].contains(&stripped.to_ascii_lowercase().as_str());
                short_punctuated || rule_word
            });
        if plain {
            compared += 1;
            assert_eq!(
                standard.polarity_scores(text),
                news.polarity_scores(text),
                "{text}"
            );
        }
    }
    assert!(compared > 300, "{compared}");
}
