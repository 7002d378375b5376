//! The small subcommands: freq, sentiment, tokens, kwic, and the help texts.

use crate::util::{parse_csv, Workdir};

#[test]
fn sentiment_per_line_with_every_builtin_lexicon() {
    let w = Workdir::new();
    w.write(
        "reviews.txt",
        "VADER is smart, handsome, and funny!\n\nThe food was not good at all.\nIt’s a terrible, horrible day :(\n",
    );
    let out = w.stdout(&[
        "sentiment",
        "reviews.txt",
        "--unit",
        "line",
        "--lexicon",
        "vader",
        "--lexicon",
        "afinn",
        "--lexicon",
        "bing",
    ]);
    let (header, rows) = parse_csv(&out);
    assert_eq!(
        header,
        [
            "doc_id",
            "unit",
            "vader_neg",
            "vader_neu",
            "vader_pos",
            "vader_compound",
            "afinn_score",
            "bing_positive",
            "bing_negative"
        ]
    );
    assert_eq!(rows.len(), 4, "blank lines are units too");
    assert_eq!(
        rows.iter().map(|r| r[1].as_str()).collect::<Vec<_>>(),
        ["1", "2", "3", "4"]
    );
    // vaderSentiment 3.3.2 on an example of its README.
    assert_eq!(rows[0][2..6], ["0", "0.248", "0.752", "0.8439"]);
    assert_eq!(rows[1][2..9], ["0", "0", "0", "0", "0", "0", "0"]);
    let compound: f64 = rows[2][5].parse().unwrap();
    assert!(compound < 0.0, "negated 'good' is negative: {compound}");
    assert_eq!(rows[3][7..9], ["0", "2"], "bing: terrible, horrible");
    insta::assert_snapshot!("sentiment_lines", out);
}

#[test]
fn sentiment_per_document_and_sentence() {
    let w = Workdir::new();
    w.write("a.txt", "I love this. I hate that! Mr. Smith is fine.");
    let doc = w.stdout(&["sentiment", "a.txt"]);
    let (_, rows) = parse_csv(&doc);
    assert_eq!(rows.len(), 1);
    let sent = w.stdout(&["sentiment", "a.txt", "--unit", "sentence"]);
    let (_, rows) = parse_csv(&sent);
    assert_eq!(rows.len(), 3, "Mr. does not end a sentence");
    assert!(rows[0][5].parse::<f64>().unwrap() > 0.0 && rows[1][5].parse::<f64>().unwrap() < 0.0);
}

#[test]
fn tokens_from_stdin() {
    let w = Workdir::new();
    let run = w.run_stdin(
        &["tokens", "-"],
        "It’s 3.14, Mr. O'Neil — e-mail john@example.com!\n",
    );
    assert_eq!(
        run.ok().stdout,
        "it's\n3.14\nmr\no'neil\ne\nmail\njohn@example.com\n"
    );
    let with_id = w.run_stdin(&["tokens", "-", "--with-id"], "Hello world");
    assert_eq!(with_id.ok().stdout, "stdin\thello\nstdin\tworld\n");
}

#[test]
fn kwic_lines() {
    let w = Workdir::new();
    w.write(
        "docs/one.txt",
        "Refugees arrived at the border. The refugee camp was full.",
    );
    w.write("docs/two.txt", "Nothing here about that.");
    let out = w.stdout(&["kwic", "refugee*", "docs", "--window", "2"]);
    assert_eq!(
        out,
        "doc_id,left,keyword,right\none.txt,,Refugees,arrived at\none.txt,border. The,refugee,camp was\n"
    );
}

#[test]
fn freq_ngrams_top_and_stemming() {
    let w = Workdir::new();
    w.write(
        "t.txt",
        "New York is big. New York is busy! Running runners ran and run.",
    );
    let out = w.stdout(&[
        "freq",
        "t.txt",
        "--ngram",
        "2",
        "--stopwords",
        "none",
        "--top",
        "2",
    ]);
    assert_eq!(
        out,
        "term,count,doc_count,per_million\nnew york,2,1,153846.1538\nyork is,2,1,153846.1538\n"
    );
    let stems = w.stdout(&["freq", "t.txt", "--stem", "--stopwords", "snowball"]);
    let (_, rows) = parse_csv(&stems);
    let run = rows.iter().find(|r| r[0] == "run").expect("stem run");
    assert_eq!(run[1], "2", "running, run");
}

/// Sums over `rows` of the count (column 1) times column `col`.
fn weighted_sum(rows: &[Vec<String>], col: usize) -> f64 {
    rows.iter()
        .map(|r| r[1].parse::<f64>().unwrap() * r[col].parse::<f64>().unwrap())
        .sum()
}

#[test]
fn freq_with_word_lexicons() {
    let w = Workdir::new();
    w.write(
        "t.txt",
        "Good news: a GOOD day, not a bad one. Envious? Trump’s good words; abandon hope.",
    );
    let out = w.stdout(&[
        "freq",
        "t.txt",
        "--stopwords",
        "none",
        "--lexicon",
        "bing",
        "--lexicon",
        "afinn",
    ]);
    let (header, rows) = parse_csv(&out);
    assert_eq!(
        header,
        [
            "term",
            "count",
            "doc_count",
            "per_million",
            "bing_positive",
            "bing_negative",
            "afinn_score"
        ]
    );
    let row = |t: &str| -> Vec<&str> {
        let r = rows
            .iter()
            .find(|r| r[0] == t)
            .unwrap_or_else(|| panic!("{t}: {out}"));
        r[1..].iter().map(String::as_str).collect()
    };
    assert_eq!(row("good")[..1], ["3"]);
    assert_eq!(row("good")[3..], ["1", "0", "3"]);
    assert_eq!(row("bad")[3..], ["0", "1", "-3"]);
    assert_eq!(row("envious")[3..], ["1", "1", "-2"], "Bing lists it twice");
    assert_eq!(row("abandon")[3..], ["0", "0", "-2"], "AFINN only");
    assert_eq!(row("news")[3..], ["0", "0", "0"]);
    // The curly apostrophe is folded, as in every count.
    assert_eq!(row("trump's")[3..], ["0", "0", "0"]);

    // Word counts times their Bing values add up to what `sentiment`
    // finds in the documents, on real news text.
    let news = crate::util::fixture("news_sample.csv");
    let news = news.to_str().unwrap();
    let freq = w.stdout(&["freq", news, "--stopwords", "none", "--lexicon", "bing"]);
    let (_, terms) = parse_csv(&freq);
    let sent = w.stdout(&["sentiment", news, "--lexicon", "bing"]);
    let (_, docs) = parse_csv(&sent);
    let column_sum =
        |col: usize| -> f64 { docs.iter().map(|r| r[col].parse::<f64>().unwrap()).sum() };
    let (pos, neg) = (weighted_sum(&terms, 4), weighted_sum(&terms, 5));
    assert!(pos > 20.0 && neg > 20.0, "{pos} {neg}");
    assert_eq!((pos, neg), (column_sum(2), column_sum(3)));

    // With --by, the lexicon's columns come last, after tf-idf's.
    w.write("g.csv", "outlet,text\nA,Good good.\nB,Bad day.\n");
    let out = w.stdout(&[
        "freq",
        "g.csv",
        "--by",
        "outlet",
        "--tfidf",
        "--lexicon",
        "bing",
        "--stopwords",
        "none",
    ]);
    assert_eq!(
        out.lines().next(),
        Some("outlet,term,count,doc_count,per_million,tf,idf,tf_idf,bing_positive,bing_negative")
    );
    assert!(
        out.contains("\nA,good,2,1,1000000,1,0.6931471805599453,0.6931471805599453,1,0\n"),
        "{out}"
    );

    // A lexicon of many categories: rows wider than the cells kept on the
    // stack (20 here) are written the same way.
    let mut many = String::from("word,category\n");
    for i in 1..=14 {
        many.push_str(&format!("good,c{i:02}\n"));
    }
    many.push_str("bad,c07\n");
    w.write("many.csv", &many);
    w.write("m.txt", "Good news: a GOOD day, not a bad one.");
    let out = w.stdout(&[
        "freq",
        "m.txt",
        "--stopwords",
        "none",
        "--lexicon",
        "many.csv",
        "--lexicon",
        "bing",
    ]);
    let (header, rows) = parse_csv(&out);
    assert_eq!(header.len(), 20);
    assert_eq!(header[4..6], ["many_c01", "many_c02"]);
    assert_eq!(header[18..], ["bing_positive", "bing_negative"]);
    let row = |t: &str| rows.iter().find(|r| r[0] == t).unwrap().join(",");
    assert_eq!(
        row("good"),
        "good,2,1,222222.2222,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,0"
    );
    assert_eq!(
        row("bad"),
        "bad,1,1,111111.1111,0,0,0,0,0,0,1,0,0,0,0,0,0,0,0,1"
    );
}

#[test]
fn freq_lexicon_misuse_is_explained() {
    let w = Workdir::new();
    w.write("t.txt", "Good news.");
    for (args, says) in [
        (&["--lexicon", "vader"][..], "VADER scores sentences"),
        (
            &["--lexicon", "vader-news"][..],
            "--lexicon vader-news: VADER",
        ),
        (
            &["--lexicon", "bing", "--ngram", "2"][..],
            "--lexicon scores single words",
        ),
        (
            &["--lexicon", "bing", "--stem"][..],
            "with --stem the terms are stems",
        ),
        (&["--lexicon", "nrc.txt"][..], "neither a built-in lexicon"),
        (
            &["--lexicon", "bing", "--lexicon", "bing"][..],
            "is given twice",
        ),
    ] {
        let mut all = vec!["freq", "t.txt"];
        all.extend_from_slice(args);
        let run = w.run(&all);
        run.expect_code(2);
        assert_eq!(run.stdout, "", "{args:?}: nothing is printed");
        assert!(run.stderr.contains(says), "{args:?}: {}", run.stderr);
    }
}

#[test]
fn help_texts_explain_every_flag_and_show_examples() {
    let w = Workdir::new();
    let top = w.stdout(&["--help"]);
    assert!(top.contains("Examples:"));
    insta::assert_snapshot!("help", top);
    for sub in ["report", "freq", "sentiment", "tokens", "kwic"] {
        let h = w.stdout(&[sub, "--help"]);
        assert!(h.contains("Examples:"), "{sub} --help has examples");
        // Every option line has an explanation on the same or next line.
        let lines: Vec<&str> = h.lines().collect();
        for (i, l) in lines.iter().enumerate() {
            let t = l.trim_start();
            if t.starts_with("--")
                || (t.starts_with('-') && t.len() > 1 && t.as_bytes()[1].is_ascii_alphabetic())
            {
                let explained = t.split("  ").filter(|p| !p.trim().is_empty()).count() > 1
                    || lines
                        .get(i + 1)
                        .is_some_and(|n| n.starts_with("          ") && !n.trim().starts_with('-'));
                assert!(explained, "{sub}: option without explanation: {l}");
            }
        }
        insta::assert_snapshot!(format!("help_{sub}"), h);
    }
}

#[test]
fn freq_by_a_column_with_any_characters() {
    let w = Workdir::new();
    // Titles with a character of several bytes where "http://" or "www."
    // would end once made the group's URL check panic.
    w.write(
        "news.csv",
        "title,site,text\n\
         Reichsbürger raided,http://www.Example.com/a,One two two.\n\
         €100k seized,https://rte.ie,Two three.\n\
         Reichsbürger raided,www.éé.fr,Three.\n",
    );
    let out = w.stdout(&["freq", "news.csv", "--by", "title", "--stopwords", "none"]);
    let (header, rows) = parse_csv(&out);
    assert_eq!(header[0], "title");
    let groups: Vec<&str> = rows.iter().map(|r| r[0].as_str()).collect();
    assert_eq!(
        groups
            .iter()
            .filter(|g| **g == "Reichsbürger raided")
            .count(),
        3
    );
    assert!(groups.contains(&"€100k seized"));
    let out = w.stdout(&[
        "freq",
        "news.csv",
        "--by",
        "site",
        "--top",
        "1",
        "--stopwords",
        "none",
    ]);
    let (_, rows) = parse_csv(&out);
    let sites: Vec<&str> = rows.iter().map(|r| r[0].as_str()).collect();
    assert_eq!(sites, ["Example.com", "rte.ie", "www.éé.fr"]);
    // The report groups by the same values.
    w.run(&[
        "report",
        "news.csv",
        "--group-by",
        "title",
        "-o",
        "out",
        "-q",
    ])
    .ok();
    assert!(w.read("out/groups.csv").contains("€100k seized"));
}

#[test]
fn freq_by_a_column_no_document_has_is_an_error() {
    let w = Workdir::new();
    w.write("news.csv", "title,outlet,text\nA,bbc,One two.\n");
    w.write("a.txt", "One two.");
    let run = w.run(&["freq", "news.csv", "--by", "outlett"]);
    run.expect_code(2);
    assert_eq!(run.stdout, "", "nothing is printed");
    assert!(
        run.stderr
            .contains(r#"--by "outlett": no document has this column"#)
            && run.stderr.contains(r#""title", "outlet""#),
        "{}",
        run.stderr
    );
    let run = w.run(&["freq", "a.txt", "--by", "outlet"]);
    run.expect_code(2);
    assert!(
        run.stderr.contains("plain text files have none"),
        "{}",
        run.stderr
    );
    // A column that exists but is empty everywhere is a real (empty) group.
    w.write("blank.csv", "title,outlet,text\nA,,One two.\n");
    let out = w.stdout(&["freq", "blank.csv", "--by", "outlet"]);
    assert!(out.starts_with("outlet,term,"), "{out}");
}
