//! User lexicon files: every layout loads from disk, scores tokens and
//! names its columns; every malformed file names the file, line and what
//! was expected.

use std::path::PathBuf;

use lexiscope_sentiment::{Lexicon, LexiconSpec, SentimentError};

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/lexicons")
        .join(name)
}

fn load(name: &str) -> Result<Lexicon, SentimentError> {
    let spec: LexiconSpec = fixture(name).to_string_lossy().parse()?;
    Lexicon::load(&spec)
}

fn score(lex: &Lexicon, tokens: &[&str]) -> (Vec<f64>, Vec<String>) {
    let mut out = vec![f64::NAN; lex.columns().len()];
    let mut hits = Vec::new();
    lex.score("ignored", tokens, &mut out, &mut |h| {
        hits.push(format!("{}:{}:{}", h.word, h.category, h.applied))
    });
    (out, hits)
}

#[test]
fn valence_csv_with_header_and_quotes() {
    let lex = load("valence_header.csv").expect("loads");
    assert_eq!(lex.name(), "valence_header");
    assert_eq!(lex.columns(), ["valence_header_score"]);
    assert_eq!(lex.len(), 4);
    assert!(!lex.reads_text());
    // Entries are lower-cased ("Great"); a multi-word entry never matches a token.
    let (out, hits) = score(&lex, &["great", "bad", "good", "well", "meh"]);
    assert_eq!(out, [3.5]);
    assert_eq!(
        hits,
        ["great:positive:3", "bad:negative:-1.5", "good:positive:2"]
    );
    assert_eq!(lex.polarity(&out), Some(3.5));
}

#[test]
fn valence_tsv_without_header_counts_every_row() {
    let lex = load("valence.tsv").expect("loads");
    assert_eq!(lex.columns(), ["valence_score"]);
    // "bad" is listed twice: like inner_join, both rows count.
    let (out, _) = score(&lex, &["bad", "good"]);
    assert_eq!(out, [0.0]);
}

#[test]
fn categorical_csv_counts_per_sorted_category() {
    let lex = load("categorical.csv").expect("loads");
    assert_eq!(
        lex.columns(),
        ["categorical_negative", "categorical_positive"]
    );
    assert_eq!(lex.primary_column(), 1);
    let (out, hits) = score(&lex, &["envious", "zeal", "abandon", "abandon"]);
    assert_eq!(out, [3.0, 2.0]);
    assert_eq!(hits.len(), 5);
    assert_eq!(lex.polarity(&out), Some(-1.0));
}

#[test]
fn categorical_tsv_with_header_and_capitalised_categories() {
    let lex = load("emotions.tsv").expect("loads");
    assert_eq!(
        lex.columns(),
        ["emotions_anticipation", "emotions_fear", "emotions_joy"]
    );
    let (out, hits) = score(&lex, &["zeal"]);
    assert_eq!(out, [1.0, 0.0, 1.0]);
    assert_eq!(hits, ["zeal:Joy:1", "zeal:Anticipation:1"]);
    assert_eq!(lex.polarity(&out), None);
}

#[test]
fn nrc_layout_columns_per_emotion_only_ones_count() {
    let lex = load("NRC-Emotion-Lexicon-Wordlevel-v0.92.txt").expect("loads");
    assert_eq!(lex.name(), "nrc_emotion_lexicon_wordlevel_v0_92");
    let short: Vec<&str> = lex
        .columns()
        .iter()
        .map(|c| c.trim_start_matches("nrc_emotion_lexicon_wordlevel_v0_92_"))
        .collect();
    assert_eq!(
        short,
        [
            "anger",
            "anticipation",
            "fear",
            "joy",
            "negative",
            "positive"
        ]
    );
    let (out, _) = score(&lex, &["abandon", "zeal", "other"]);
    assert_eq!(out, [0.0, 1.0, 1.0, 1.0, 1.0, 1.0]);
}

fn malformed(name: &str) -> (PathBuf, usize, String, String) {
    match load(name) {
        Err(SentimentError::Malformed {
            path,
            line,
            expected,
            found,
        }) => (path, line, expected, found),
        other => panic!("{name}: expected a Malformed error, got {other:?}"),
    }
}

#[test]
fn malformed_files_name_file_line_and_expectation() {
    let (path, line, expected, found) = malformed("bad_score.csv");
    assert_eq!(path, fixture("bad_score.csv"));
    assert_eq!(line, 4);
    assert!(expected.contains("a number in field 2"), "{expected}");
    assert_eq!(found, "very");

    let (_, line, expected, found) = malformed("bad_fields.csv");
    assert_eq!(line, 2);
    assert!(expected.contains("2 fields separated by ','"), "{expected}");
    assert_eq!(found, "bad");

    let (_, line, expected, _) = malformed("bad_flag.txt");
    assert_eq!(line, 2);
    assert!(expected.contains("0 or 1"), "{expected}");

    let message = load("bad_score.csv")
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(message.contains("bad_score.csv"), "{message}");
    assert!(message.contains("line 4"), "{message}");
    assert!(message.contains("expected a number"), "{message}");
}

#[test]
fn unreadable_empty_and_mis_encoded_files() {
    match load("bad_utf8.csv") {
        Err(SentimentError::Encoding { line, .. }) => assert_eq!(line, 2),
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        load("empty.csv"),
        Err(SentimentError::Empty { .. })
    ));
    match load("no-such-file.csv") {
        Err(e @ SentimentError::Io { .. }) => assert!(e.to_string().contains("no-such-file.csv")),
        other => panic!("{other:?}"),
    }
}

#[test]
fn lexicons_can_be_shared_between_threads() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<Lexicon>();
    assert_send_sync::<lexiscope_sentiment::Vader>();
    assert_send_sync::<lexiscope_sentiment::Afinn>();
}
