//! Mistakes and bad input: clear messages and the documented exit codes.

use std::io::Read;
use std::process::Stdio;

use crate::util::Workdir;

#[test]
fn missing_input_is_a_usage_error() {
    let w = Workdir::new();
    let run = w.run(&["freq", "no/such/folder"]);
    run.expect_code(2);
    assert!(run.stderr.contains("no/such/folder"), "{}", run.stderr);
    insta::assert_snapshot!("error_missing_input", run.stderr);
}

#[test]
fn default_input_outside_the_repository_is_explained() {
    let w = Workdir::new();
    let run = w.run(&["freq"]);
    run.expect_code(2);
    assert!(run.stderr.contains("data/corpus"), "{}", run.stderr);
}

#[test]
fn nothing_readable_exits_2_but_one_good_file_is_enough() {
    let w = Workdir::new();
    w.write("bin/a.dat", b"\x00\x00\x00\x01binary");
    let run = w.run(&["freq", "bin"]);
    run.expect_code(2);
    assert!(run.stderr.contains("a.dat"), "{}", run.stderr);
    assert!(
        run.stderr.contains("nothing could be read"),
        "{}",
        run.stderr
    );
    w.write("bin/b.txt", "One good document.");
    w.run(&["freq", "bin", "-q"]).ok();
}

#[test]
fn malformed_lexicon_names_file_and_line() {
    let w = Workdir::new();
    w.write("doc.txt", "A happy day.");
    w.write(
        "mine.csv",
        "word,score\nhappy,2\nsad,-2\nbroken line without a score\n",
    );
    let run = w.run(&["sentiment", "doc.txt", "--lexicon", "mine.csv"]);
    run.expect_code(2);
    assert!(
        run.stderr.contains("mine.csv") && run.stderr.contains("line 4"),
        "{}",
        run.stderr
    );
    let run = w.run(&["sentiment", "doc.txt", "--lexicon", "nope.csv"]);
    run.expect_code(2);
    assert!(run.stderr.contains("nope.csv"), "{}", run.stderr);
}

#[test]
fn custom_lexicons_load() {
    let w = Workdir::new();
    w.write("doc.txt", "A happy, happy day. A sad night.");
    w.write("valence.csv", "word,score\nhappy,2\nsad,-3\n");
    w.write(
        "nrc.txt",
        "happy\tjoy\t1\nhappy\tsadness\t0\nsad\tsadness\t1\nnight\tfear\t1\n",
    );
    let out = w.stdout(&[
        "sentiment",
        "doc.txt",
        "--lexicon",
        "valence.csv",
        "--lexicon",
        "nrc.txt",
    ]);
    assert_eq!(
        out,
        "doc_id,unit,valence_score,nrc_fear,nrc_joy,nrc_sadness\ndoc.txt,1,1,1,2,1\n"
    );
}

#[test]
fn senseless_options_exit_2() {
    let w = Workdir::new();
    w.write("a.txt", "text");
    for args in [
        &["freq", "a.txt", "-j", "0"][..],
        &["freq", "a.txt", "--ngram", "0"],
        &["freq", "a.txt", "--by", "x", "--ngram", "2"],
        &["freq", "a.txt", "--stopwords", "no_such_list.txt"],
        &["report", "a.txt", "--top", "0"],
        &["report", "a.txt", "--format", "gif"],
        &["freq", "a.txt", "--tfidf"],
        &["kwic", "e-mail", "a.txt"],
    ] {
        let run = w.run(args);
        run.expect_code(2);
        assert!(!run.stderr.is_empty(), "{args:?} says why");
    }
}

#[test]
fn a_closed_pipe_is_not_an_error() {
    let w = Workdir::new();
    let text = "word ".repeat(200_000);
    w.write("big.txt", &text);
    let mut child = w
        .command(&["tokens", "big.txt"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let mut first = [0u8; 5];
    stdout.read_exact(&mut first).unwrap();
    assert_eq!(&first, b"word\n");
    drop(stdout);
    let status = child.wait().unwrap();
    let mut err = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut err)
        .unwrap();
    assert_eq!(status.code(), Some(0), "stderr: {err}");
    assert!(err.is_empty(), "no error printed: {err}");
}
