//! Jane Austen's six novels (janeaustenr, one line per row) against
//! tidytext's own answers (tests/data/austen_reference, see its NOTES.md).

use std::collections::HashMap;

use crate::util::{fixture, parse_csv, Workdir};

fn austen() -> String {
    fixture("austen.csv.gz").display().to_string()
}

fn reference(name: &str) -> Vec<Vec<String>> {
    let text = std::fs::read_to_string(fixture("austen_reference").join(name)).unwrap();
    parse_csv(&text).1
}

/// term -> count from `lexiscope freq` output.
fn counts(stdout: &str) -> HashMap<String, u64> {
    parse_csv(stdout)
        .1
        .into_iter()
        .map(|r| (r[0].clone(), r[1].parse().unwrap()))
        .collect()
}

fn mismatches(
    ours: &HashMap<String, u64>,
    reference: &[Vec<String>],
    key: impl Fn(&[String]) -> String,
    n: usize,
) -> Vec<String> {
    reference
        .iter()
        .filter_map(|r| {
            let k = key(r);
            let want: u64 = r[n].parse().unwrap();
            let got = ours.get(&k).copied();
            (got != Some(want)).then(|| format!("{k}: tidytext {want}, lexiscope {got:?}"))
        })
        .collect()
}

#[test]
fn words_with_and_without_stop_words() {
    let w = Workdir::new();
    let all = counts(&w.stdout(&["freq", &austen(), "--stopwords", "none", "-q"]));
    assert_eq!(
        all.values().sum::<u64>(),
        725_055,
        "tidytext's unnest_tokens gives 725,055 tokens"
    );
    let bad = mismatches(&all, &reference("top_words_all.csv"), |r| r[0].clone(), 1);
    assert!(
        bad.is_empty(),
        "{} of 1,000 top words differ: {:?}",
        bad.len(),
        &bad[..bad.len().min(10)]
    );

    let no_stop = counts(&w.stdout(&["freq", &austen(), "--stopwords", "tidytext", "-q"]));
    let bad = mismatches(
        &no_stop,
        &reference("top_words_no_stop.csv"),
        |r| r[0].clone(),
        1,
    );
    assert!(
        bad.is_empty(),
        "{} of 1,000 top words differ: {:?}",
        bad.len(),
        &bad[..bad.len().min(10)]
    );
}

#[test]
fn tokens_per_book_and_tf_idf_by_book() {
    let w = Workdir::new();
    let out = w.stdout(&[
        "freq",
        &austen(),
        "--stopwords",
        "none",
        "--by",
        "book",
        "--tfidf",
        "-q",
    ]);
    let (header, rows) = parse_csv(&out);
    assert_eq!(
        header,
        [
            "book",
            "term",
            "count",
            "doc_count",
            "per_million",
            "tf",
            "idf",
            "tf_idf"
        ]
    );
    let mut per_book: HashMap<&str, u64> = HashMap::new();
    for r in &rows {
        *per_book.entry(r[0].as_str()).or_default() += r[2].parse::<u64>().unwrap();
    }
    for r in reference("tokens_per_book.csv") {
        assert_eq!(
            per_book.get(r[0].as_str()).copied(),
            Some(r[1].parse().unwrap()),
            "tokens of {}",
            r[0]
        );
    }
    let ours: HashMap<(String, String), &Vec<String>> = rows
        .iter()
        .map(|r| ((r[0].clone(), r[1].clone()), r))
        .collect();
    let refs = reference("top_tf_idf.csv");
    assert_eq!(refs.len(), 300);
    for r in &refs {
        let o = ours
            .get(&(r[0].clone(), r[1].clone()))
            .unwrap_or_else(|| panic!("{} / {} missing", r[0], r[1]));
        assert_eq!(o[2], r[2], "n of {}/{}", r[0], r[1]);
        for (mine, theirs) in [(&o[5], &r[3]), (&o[6], &r[4]), (&o[7], &r[5])] {
            let (a, b): (f64, f64) = (mine.parse().unwrap(), theirs.parse().unwrap());
            assert!(
                (a - b).abs() <= 1e-12 * b.abs().max(1e-3),
                "{}/{}: {a} vs {b}",
                r[0],
                r[1]
            );
        }
    }
    // Rows within a book are sorted by tf-idf.
    let emma: Vec<f64> = rows
        .iter()
        .filter(|r| r[0] == "Emma")
        .map(|r| r[7].parse().unwrap())
        .collect();
    assert!(emma.windows(2).all(|p| p[0] >= p[1]));
}

#[test]
fn bigrams_like_tidytext_and_within_sentences() {
    let w = Workdir::new();
    let refs = reference("top_bigrams_no_stop.csv");
    let key = |r: &[String]| format!("{} {}", r[0], r[1]);
    let across = counts(&w.stdout(&[
        "freq",
        &austen(),
        "--ngram",
        "2",
        "--ngrams-across-sentences",
        "-q",
    ]));
    let bad = mismatches(&across, &refs, key, 2);
    assert!(
        bad.is_empty(),
        "tidytext-compatible bigrams differ: {bad:?}"
    );
    // By default bigrams stop at sentence ends, so a few counts are lower and none higher.
    let within = counts(&w.stdout(&["freq", &austen(), "--ngram", "2", "-q"]));
    let lower = refs
        .iter()
        .filter(|r| within[&key(r)] < r[2].parse::<u64>().unwrap())
        .count();
    assert!(refs
        .iter()
        .all(|r| within[&key(r)] <= r[2].parse::<u64>().unwrap()));
    assert!(
        lower > 0 && lower < 10,
        "{lower} bigrams cross sentence ends in the top 200"
    );
}

#[test]
fn bing_word_counts() {
    let w = Workdir::new();
    w.run(&[
        "report",
        &austen(),
        "--lexicon",
        "bing",
        "-o",
        "out",
        "-q",
        "--top",
        "5",
    ])
    .ok();
    let (_, rows) = parse_csv(&w.read("out/sentiment_words.csv"));
    let ours: HashMap<String, u64> = rows
        .iter()
        .filter(|r| r[0] == "bing")
        .map(|r| (format!("{}/{}", r[1], r[2]), r[4].parse().unwrap()))
        .collect();
    let refs = reference("bing_word_counts.csv");
    assert_eq!(ours.len(), refs.len(), "same words matched");
    let bad = mismatches(&ours, &refs, |r| format!("{}/{}", r[0], r[1]), 2);
    assert!(bad.is_empty(), "{bad:?}");
    assert_eq!(ours.values().sum::<u64>(), 52_287);
}
