//! `lexiscope report` end to end.

use std::collections::BTreeMap;

use crate::util::{fixture, head, parse_csv, repo, Workdir};

const TABLES: &[&str] = &[
    "summary.csv",
    "documents.csv",
    "terms.csv",
    "bigrams.csv",
    "tfidf.csv",
    "sentiment_words.csv",
    "groups.csv",
    "timeline.csv",
    "keyness.csv",
    "collocations.csv",
];

/// A corpus folder: the committed news sample (38 articles, 9 outlets, one
/// messy date, one empty text) and the seed article.
fn news_corpus(w: &Workdir) {
    w.write(
        "corpus/news_sample.csv",
        std::fs::read(fixture("news_sample.csv")).unwrap(),
    );
    w.write(
        "corpus/isis_weakness.txt",
        std::fs::read(repo().join("data/corpus/isis_weakness.txt")).unwrap(),
    );
}

fn summary(w: &Workdir, dir: &str) -> BTreeMap<String, String> {
    let (_, rows) = parse_csv(&w.read(&format!("{dir}/summary.csv")));
    rows.into_iter()
        .map(|r| (r[0].clone(), r[1].clone()))
        .collect()
}

#[test]
fn report_writes_every_output_with_real_content() {
    let w = Workdir::new();
    news_corpus(&w);
    let run = w.run(&["report", "corpus", "-o", "out"]);
    run.ok();
    assert!(
        run.stdout.is_empty(),
        "report prints nothing on stdout: {}",
        run.stdout
    );
    assert!(
        run.stderr.contains("39 documents"),
        "closing summary: {}",
        run.stderr
    );
    for t in TABLES {
        assert!(w.path().join("out").join(t).is_file(), "{t} missing");
    }

    // documents.csv: one row per document, outlet and date derived.
    let (header, rows) = parse_csv(&w.read("out/documents.csv"));
    assert_eq!(rows.len(), 39);
    let col = |name: &str| {
        header
            .iter()
            .position(|h| h == name)
            .unwrap_or_else(|| panic!("no column {name}: {header:?}"))
    };
    let (outlet, date, link, tokens) = (
        col("outlet"),
        col("date"),
        col("article_source_link"),
        col("tokens"),
    );
    for r in &rows {
        if r[0].starts_with("news_sample.csv:") {
            assert!(
                !r[outlet].is_empty() && !r[outlet].starts_with("www."),
                "outlet of {}: {:?}",
                r[0],
                r[outlet]
            );
            assert!(r[link].contains(&r[outlet]), "outlet is the link's host");
            assert_eq!(r[date].len(), 10, "ISO date for {}: {:?}", r[0], r[date]);
        } else {
            assert_eq!(r[0], "isis_weakness.txt");
            assert!(r[outlet].is_empty() && r[date].is_empty());
        }
    }
    assert!(
        rows.iter().any(|r| r[date] == "2016-12-30"),
        "the messy '  2016/12/30 7:11' date is read"
    );
    let outlets: std::collections::BTreeSet<&str> = rows
        .iter()
        .map(|r| r[outlet].as_str())
        .filter(|o| !o.is_empty())
        .collect();
    assert_eq!(outlets.len(), 9, "{outlets:?}");
    for c in [
        "types",
        "sentences",
        "mattr",
        "flesch_reading_ease",
        "vader_compound",
        "afinn_score",
        "bing_positive",
        "bing_negative",
    ] {
        col(c);
    }

    // Totals agree across tables.
    let s = summary(&w, "out");
    let doc_tokens: u64 = rows.iter().map(|r| r[tokens].parse::<u64>().unwrap()).sum();
    assert_eq!(s["tokens"], doc_tokens.to_string());
    assert_eq!(s["documents"], "39");
    assert_eq!(s["empty_documents"], "1");
    let (_, terms) = parse_csv(&w.read("out/terms.csv"));
    let term_total: u64 = terms.iter().map(|r| r[1].parse::<u64>().unwrap()).sum();
    assert_eq!(s["terms"], term_total.to_string());
    // Sorted by count, then term (as it is before the spreadsheet guard's apostrophe).
    let unguard = |t: &str| -> String {
        match t.strip_prefix('\'') {
            Some(rest) if rest.starts_with(['=', '+', '-', '@']) => rest.to_string(),
            _ => t.to_string(),
        }
    };
    for pair in terms.windows(2) {
        let (a, b) = (
            pair[0][1].parse::<u64>().unwrap(),
            pair[1][1].parse::<u64>().unwrap(),
        );
        assert!(
            a > b || (a == b && unguard(&pair[0][0]) < unguard(&pair[1][0])),
            "order: {:?} then {:?}",
            pair[0],
            pair[1]
        );
    }
    assert!(
        terms
            .iter()
            .all(|r| !["the", "and", "of", "it's"].contains(&r[0].as_str())),
        "stop words removed"
    );

    // Groups and timeline.
    let (gh, groups) = parse_csv(&w.read("out/groups.csv"));
    assert_eq!(gh[0], "outlet");
    assert_eq!(groups.len(), 9);
    assert!(
        groups
            .iter()
            .all(|g| g[1] == "4" || g[1] == "5" || g[1] == "6"),
        "{groups:?}"
    );
    let (th, timeline) = parse_csv(&w.read("out/timeline.csv"));
    assert_eq!(th[..3], ["period", "documents", "tokens"]);
    let dated: u64 = timeline.iter().map(|r| r[1].parse::<u64>().unwrap()).sum();
    assert_eq!(dated, 38);

    // Charts: at least 8 distinct PNGs, each a real image.
    let mut pngs = 0;
    for e in std::fs::read_dir(w.path().join("out/charts")).unwrap() {
        let p = e.unwrap().path();
        if p.extension().is_some_and(|x| x == "png") {
            let bytes = std::fs::read(&p).unwrap();
            assert!(
                bytes.starts_with(b"\x89PNG\r\n\x1a\n") && bytes.len() > 10_000,
                "{}",
                p.display()
            );
            pngs += 1;
        }
    }
    assert!(pngs >= 8, "only {pngs} charts");

    // Dashboard: every chart and table, nothing fetched from the network.
    let html = w.read("out/index.html");
    assert_eq!(html.matches("<img").count(), pngs, "one <img> per chart");
    for t in TABLES {
        assert!(html.contains(&format!("href=\"{t}\"")), "link to {t}");
    }
    for bad in [
        "src=\"http",
        "href=\"http",
        "src=\"//",
        "@import",
        "url(http",
    ] {
        assert!(!html.contains(bad), "network reference {bad}");
    }

    // Manifest: files with row counts that match the tables.
    let m: serde_json::Value = serde_json::from_str(&w.read("out/manifest.json")).unwrap();
    assert_eq!(m["counts"]["documents"], 39);
    let files = m["files"].as_array().unwrap();
    let doc_entry = files
        .iter()
        .find(|f| f["path"] == "documents.csv")
        .expect("documents.csv in manifest");
    assert_eq!(doc_entry["rows"], 39);
    assert!(m["timings_ms"]["total"].as_u64().is_some());

    insta::assert_snapshot!("news_terms_head", head(&w.read("out/terms.csv"), 12));
    insta::assert_snapshot!("news_bigrams_head", head(&w.read("out/bigrams.csv"), 8));
    insta::assert_snapshot!("news_groups", w.read("out/groups.csv"));
    insta::assert_snapshot!("news_summary", w.read("out/summary.csv"));
    insta::assert_snapshot!("news_documents_head", head(&w.read("out/documents.csv"), 4));
    insta::assert_snapshot!(
        "news_sentiment_words_head",
        head(&w.read("out/sentiment_words.csv"), 10)
    );
    insta::assert_snapshot!("news_tfidf_head", head(&w.read("out/tfidf.csv"), 6));
    let sections: Vec<&str> = html
        .match_indices("<h2")
        .map(|(i, _)| {
            let rest = &html[i..];
            let start = rest.find('>').map_or(0, |p| p + 1);
            let end = rest.find("</h2>").unwrap_or(start);
            &rest[start..end]
        })
        .collect();
    insta::assert_snapshot!("news_dashboard_sections", sections.join("\n"));
}

#[test]
fn output_does_not_depend_on_thread_count() {
    let w = Workdir::new();
    news_corpus(&w);
    w.run(&["report", "corpus", "-o", "one", "-j", "1", "-q"])
        .ok();
    w.run(&["report", "corpus", "-o", "four", "-j", "4", "-q"])
        .ok();
    for t in TABLES {
        assert_eq!(
            w.read(&format!("one/{t}")),
            w.read(&format!("four/{t}")),
            "{t} differs between -j 1 and -j 4"
        );
    }
    let a = w.run(&["freq", "corpus", "--ngram", "2", "-j", "1"]);
    let b = w.run(&["freq", "corpus", "--ngram", "2", "-j", "3"]);
    assert_eq!(a.ok().stdout, b.ok().stdout);
}

#[test]
fn formulas_are_neutralised_and_html_escaped() {
    let w = Workdir::new();
    w.write(
        "in/evil.csv",
        "title,source,text\n\
         \"=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",<script>alert(1)</script>,Good news today.\n\
         +cmd,@SUM(A1),-2+3 is a bad sum\n\
         -3.5,plain,Minus numbers stay numbers.\n",
    );
    w.run(&["report", "in", "-o", "out", "-q"]).ok();
    let (header, rows) = parse_csv(&w.read("out/documents.csv"));
    let title = header.iter().position(|h| h == "title").unwrap();
    let source = header.iter().position(|h| h == "source").unwrap();
    assert_eq!(rows[0][title], "'=HYPERLINK(\"http://x\",\"y\")");
    assert_eq!(rows[1][title], "'+cmd");
    assert_eq!(rows[1][source], "'@SUM(A1)");
    assert_eq!(rows[2][title], "-3.5", "a plain number is left alone");
    let html = w.read("out/index.html");
    assert!(
        !html.contains("<script>alert(1)</script>"),
        "metadata must be escaped in the dashboard"
    );
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    // And the guard can be turned off for numeric pipelines.
    w.run(&["report", "in", "-o", "raw", "-q", "--no-formula-guard"])
        .ok();
    let (_, raw) = parse_csv(&w.read("raw/documents.csv"));
    assert_eq!(raw[1][title], "+cmd");
}

#[test]
fn bad_files_are_skipped_with_warnings_and_the_rest_is_kept() {
    let w = Workdir::new();
    w.write(
        "in/a_good.txt",
        "The committee approved the plan. Everyone was happy.",
    );
    w.write(
        "in/b_rows.csv",
        "id,text\n1,First good row.\n2,Too,many,fields\n3,Third good row.\n",
    );
    w.write(
        "in/c_binary.dat",
        b"\x00\x01\x02\x00PK\x03\x04\x00\x00binary",
    );
    w.write(
        "in/d_latin1.txt",
        b"Caf\xe9 cr\xe8me and na\xefve r\xe9sum\xe9s.",
    );
    let run = w.run(&["report", "in", "-o", "out"]);
    run.ok();
    assert!(
        run.stderr.contains("b_rows.csv:3"),
        "names the file and line: {}",
        run.stderr
    );
    assert!(
        run.stderr.contains("c_binary.dat"),
        "names the binary file: {}",
        run.stderr
    );
    assert!(
        run.stderr.contains("d_latin1.txt"),
        "names the mis-encoded file: {}",
        run.stderr
    );
    let s = summary(&w, "out");
    assert_eq!(s["documents"], "4");
    assert_eq!(s["documents_skipped"], "1");
    assert_eq!(s["files_skipped"], "1");
    assert_eq!(s["decoded_with_fallback"], "1");
    let (_, terms) = parse_csv(&w.read("out/terms.csv"));
    assert!(
        terms.iter().any(|r| r[0] == "café"),
        "Windows-1252 text decoded: {terms:?}"
    );
    let m: serde_json::Value = serde_json::from_str(&w.read("out/manifest.json")).unwrap();
    assert!(m["warnings"].as_array().unwrap().len() >= 3);
}

#[test]
fn explicit_group_and_date_columns_override_detection() {
    let w = Workdir::new();
    w.write(
        "in/posts.csv",
        "when,desk,url,body\n\
         2021-03-01,Sport,http://a.example/1,A great win for the home team.\n\
         2021-03-02,Sport,http://b.example/2,The team lost badly.\n\
         2021-03-15,Politics,http://a.example/3,Parliament passed the bill.\n",
    );
    // Detected: no date column by name, the url column gives the outlet.
    w.run(&["report", "in", "-o", "auto", "-q"]).ok();
    let (gh, groups) = parse_csv(&w.read("auto/groups.csv"));
    assert_eq!(gh[0], "outlet");
    assert_eq!(
        groups.iter().map(|g| g[0].as_str()).collect::<Vec<_>>(),
        ["a.example", "b.example"]
    );
    // Named.
    w.run(&[
        "report",
        "in",
        "-o",
        "named",
        "-q",
        "--group-by",
        "desk",
        "--date-col",
        "when",
    ])
    .ok();
    let (gh, groups) = parse_csv(&w.read("named/groups.csv"));
    assert_eq!(gh[0], "group");
    assert_eq!(
        groups
            .iter()
            .map(|g| (g[0].as_str(), g[1].as_str()))
            .collect::<Vec<_>>(),
        [("Sport", "2"), ("Politics", "1")]
    );
    let (_, tl) = parse_csv(&w.read("named/timeline.csv"));
    assert_eq!(tl.len(), 15, "daily periods from 2021-03-01 to 2021-03-15");
}

#[test]
fn each_file_gets_the_group_and_date_columns_of_its_own_header() {
    // Columns are detected once per header, not once per document: a
    // folder whose files name them differently (and a text file with
    // none) still groups and dates every document by its own file's names.
    let w = Workdir::new();
    w.write(
        "in/a.csv",
        "id,outlet,date,text\n\
         1,BBC,2017-01-02,Good news today.\n\
         2,CNN,2017-01-03,Terrible awful day.\n",
    );
    w.write(
        "in/b.csv",
        "link,published,body\n\
         http://www.x.com/a,2017-01-04,Happy happy joy.\n\
         http://y.org/b,2017-01-05,Sad end.\n",
    );
    w.write("in/c.txt", "A plain text document with no columns.\n");
    w.write("in/d.csv", "outlet,text\nBBC,More good things.\n");
    w.run(&["report", "in", "-o", "out", "-q"]).ok();
    let (_, groups) = parse_csv(&w.read("out/groups.csv"));
    assert_eq!(
        groups
            .iter()
            .map(|g| (g[0].as_str(), g[1].as_str()))
            .collect::<Vec<_>>(),
        [("BBC", "2"), ("CNN", "1"), ("x.com", "1"), ("y.org", "1")]
    );
    let (_, periods) = parse_csv(&w.read("out/timeline.csv"));
    assert_eq!(
        periods.iter().map(|p| p[0].as_str()).collect::<Vec<_>>(),
        ["2017-01-02", "2017-01-03", "2017-01-04", "2017-01-05"]
    );
}
