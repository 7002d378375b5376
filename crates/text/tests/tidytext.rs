//! The token stream equals tidytext's `unnest_tokens(word, text)` on
//! committed goldens (see tests/data/README.md).

use std::collections::BTreeMap;

use lexiscope_text::Tokenizer;
use unicode_normalization::UnicodeNormalization;

fn fold_like_lexiscope(w: &str) -> String {
    w.chars()
        .map(|c| match c {
            '\u{2019}' | '\u{2018}' | '\u{02BC}' | '\u{FF07}' | '\u{201B}' => '\'',
            c => c,
        })
        .nfc()
        .collect()
}

fn check(name: &str) {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data");
    let input = std::fs::read_to_string(dir.join(format!("{name}.txt"))).unwrap();
    let golden = std::fs::read_to_string(dir.join(format!("{name}.tokens.tsv"))).unwrap();
    let mut expected: BTreeMap<usize, Vec<String>> = BTreeMap::new();
    let mut total = 0;
    for row in golden.lines() {
        let (line, word) = row.split_once('\t').expect("line<TAB>token");
        expected
            .entry(line.parse().unwrap())
            .or_default()
            .push(fold_like_lexiscope(word));
        total += 1;
    }
    let mut tok = Tokenizer::new();
    let mut ours_total = 0;
    let mut failures = Vec::new();
    for (i, line) in input.lines().enumerate() {
        let n = i + 1;
        let ours = tok.tokens(line);
        // `freq` lowers a text's ASCII capitals before tokenizing it when
        // it needs no sentences: the same tokens.
        assert_eq!(tok.tokens(&line.to_ascii_lowercase()), ours, "line {n}");
        let mut lowered = line.to_string();
        let mut words = Vec::new();
        tok.for_each_headed_lowering(&mut lowered, |w, _| words.push(w.to_string()));
        assert_eq!(words, ours, "line {n}");
        ours_total += ours.len();
        let theirs = expected.remove(&n).unwrap_or_default();
        if ours != theirs {
            let extra: Vec<_> = ours.iter().filter(|w| !theirs.contains(w)).collect();
            let missing: Vec<_> = theirs.iter().filter(|w| !ours.contains(w)).collect();
            failures.push(format!(
                "line {n}: {:?}\n  tidytext only: {missing:?}\n  lexiscope only: {extra:?}",
                line.chars().take(80).collect::<String>()
            ));
        }
    }
    assert!(expected.is_empty(), "golden has lines beyond the input");
    assert!(
        failures.is_empty(),
        "{name}: {} of {} lines differ ({ours_total} tokens vs {total}):\n{}",
        failures.len(),
        input.lines().count(),
        failures[..failures.len().min(10)].join("\n")
    );
    assert_eq!(ours_total, total);
}

#[test]
fn news_articles_match_tidytext() {
    check("tidytext_news");
}

#[test]
fn random_troublemakers_match_tidytext() {
    check("tidytext_random");
}
