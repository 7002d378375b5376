//! The stream end to end, on the committed fixtures in `tests/data/`
//! (made by `tests/data/make_fixtures.py`).

use std::io::Cursor;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::{
    Corpus, Document, Event, IngestError, IngestOptions, IngestStats, InputFormat, Warning,
    WarningKind,
};

const DATA: &str = "tests/data";

struct Run {
    docs: Vec<Document>,
    warnings: Vec<Warning>,
    stats: IngestStats,
}

impl Run {
    fn ids(&self) -> Vec<&str> {
        self.docs.iter().map(|d| d.id.as_str()).collect()
    }

    fn texts(&self) -> Vec<&str> {
        self.docs.iter().map(|d| d.text.as_str()).collect()
    }

    fn warning_lines(&self) -> Vec<String> {
        self.warnings.iter().map(|w| w.to_string()).collect()
    }

    fn meta(&self, i: usize) -> Vec<(&str, &str)> {
        self.docs[i].meta.iter().collect()
    }
}

fn path(name: &str) -> PathBuf {
    Path::new(DATA).join(name)
}

fn collect(corpus: Corpus) -> Run {
    let mut corpus = corpus;
    let mut docs = Vec::new();
    let mut warnings = Vec::new();
    for event in corpus.by_ref() {
        match event {
            Event::Document(d) => docs.push(d),
            Event::Warning(w) => warnings.push(w),
        }
    }
    let stats = corpus.stats();
    assert_eq!(stats.documents_read, docs.len() as u64);
    assert_eq!(stats.warnings, warnings.len() as u64);
    Run {
        docs,
        warnings,
        stats,
    }
}

fn run_with(names: &[&str], opts: IngestOptions) -> Run {
    let inputs: Vec<PathBuf> = names.iter().map(|n| path(n)).collect();
    collect(Corpus::open(&inputs, opts).unwrap())
}

fn run(names: &[&str]) -> Run {
    run_with(names, IngestOptions::default())
}

fn no_cleanup() -> IngestOptions {
    IngestOptions {
        decode_entities: false,
        strip_html: false,
        normalize_spaces: false,
        ..IngestOptions::default()
    }
}

// ---------------------------------------------------------------- CSV

#[test]
fn csv_rows_become_documents_with_meta_and_origin() {
    let r = run(&["basic.csv"]);
    assert_eq!(r.ids(), ["basic.csv:1", "basic.csv:2", "basic.csv:3"]);
    assert_eq!(
        r.texts(),
        ["Hello, world. Café & crème.", "Second \"quoted\" row", ""]
    );
    assert_eq!(r.meta(0), [("id", "10"), ("date", "2017/2/7")]);
    assert_eq!(r.meta(1), [("id", "11"), ("date", "  2016/12/30 7:11")]);
    assert_eq!(r.meta(2), [("id", "12"), ("date", "")]);
    assert_eq!(r.docs[1].origin.to_string(), "tests/data/basic.csv:3");
    assert!(r.warnings.is_empty());
    assert_eq!(r.stats.files_read, 1);
    let d = &r.docs[0].meta;
    assert_eq!(d.columns().len(), 2);
    assert_eq!(d.get("date"), Some("2017/2/7"));
    assert_eq!(d.get("text"), None);
    // column names are shared, not copied, between the rows of a file
    assert!(Arc::ptr_eq(
        r.docs[0].meta.columns_arc(),
        r.docs[2].meta.columns_arc()
    ));
}

#[test]
fn quoted_newlines_and_crlf_keep_line_numbers() {
    let r = run(&["multiline.csv"]);
    assert_eq!(
        r.ids(),
        ["multiline.csv:1", "multiline.csv:2", "multiline.csv:3"]
    );
    assert_eq!(
        r.texts(),
        [
            "First paragraph.\n\nSecond paragraph, with \"quotes\".",
            "CRLF inside\r\nthe field",
            "last"
        ]
    );
    assert_eq!(r.meta(0), [("id", "a"), ("title", "Two\nlines")]);
    let lines: Vec<Option<u64>> = r.docs.iter().map(|d| d.origin.line).collect();
    assert_eq!(lines, [Some(2), Some(6), Some(8)]);
}

#[test]
fn bom_is_not_part_of_the_first_column_name() {
    let r = run(&["bom.csv"]);
    assert_eq!(&*r.docs[0].meta.columns()[0], "id");
    assert_eq!(r.docs[0].meta.get("id"), Some("10"));
    assert_eq!(r.texts(), run(&["basic.csv"]).texts());
}

#[test]
fn header_only_and_empty_files_give_no_documents_and_no_warnings() {
    let r = run(&["header_only.csv", "empty.csv"]);
    assert!(r.docs.is_empty());
    assert!(r.warnings.is_empty());
    assert_eq!(r.stats.files_read, 2);
    assert_eq!(r.stats.files_skipped, 0);
}

#[test]
fn broken_rows_are_reported_and_skipped_not_the_file() {
    let r = run(&["broken.csv"]);
    assert_eq!(r.ids(), ["broken.csv:1", "broken.csv:4", "broken.csv:6"]);
    assert_eq!(
        r.texts(),
        ["good one", "quoted, with a comma", "good again"]
    );
    assert_eq!(
        r.warning_lines(),
        [
            "tests/data/broken.csv:3: row has 5 fields, the header has 3; row skipped",
            "tests/data/broken.csv:4: row has 2 fields, the header has 3; row skipped",
            "tests/data/broken.csv:6: row has 4 fields, the header has 3; row skipped",
        ]
    );
    assert!(r.warnings.iter().all(|w| w.kind == WarningKind::FieldCount));
    assert_eq!(r.stats.documents_skipped, 3);
    // the row after a broken multi-line row starts on the right line
    assert_eq!(r.docs[2].origin.line, Some(8));
}

#[test]
fn unterminated_quote_at_the_end_is_reported() {
    let r = run(&["unterminated.csv"]);
    assert_eq!(r.texts(), ["fine"]);
    assert_eq!(
        r.warning_lines(),
        ["tests/data/unterminated.csv:3: a quoted field starting in this record is never closed (the file ends at line 5); lines 3-5 skipped"]
    );
    assert_eq!(r.warnings[0].kind, WarningKind::UnterminatedQuote);
    assert_eq!(r.stats.documents_skipped, 1);
}

#[test]
fn tsv_rows_with_quotes_and_tabs() {
    let r = run(&["data.tsv"]);
    assert_eq!(r.ids(), ["data.tsv:1", "data.tsv:2"]);
    assert_eq!(r.texts(), ["Text one, with commas.", "Text two"]);
    assert_eq!(r.meta(0), [("id", "1"), ("title", "A \"quoted\" title")]);
    assert_eq!(r.meta(1), [("id", "2"), ("title", "Tab\tinside")]);
}

// ---------------------------------------------------------------- columns

#[test]
fn text_column_is_guessed_from_the_longest_values_with_a_warning() {
    let r = run(&["no_text_col.csv"]);
    assert_eq!(
        r.texts(),
        [
            "A much longer story than the headline, by far.",
            "Another story that is long enough to win."
        ]
    );
    assert_eq!(
        r.meta(0),
        [("slug", "a"), ("headline", "Short title"), ("views", "10")]
    );
    assert_eq!(r.warnings.len(), 1);
    assert_eq!(r.warnings[0].kind, WarningKind::TextColumnGuessed);
    assert!(
        r.warnings[0].to_string().contains("using \"story\""),
        "{}",
        r.warnings[0]
    );
}

#[test]
fn text_and_id_columns_can_be_named() {
    let opts = IngestOptions {
        text_col: Some("headline".into()),
        id_col: Some("slug".into()),
        ..IngestOptions::default()
    };
    let r = run_with(&["no_text_col.csv"], opts);
    assert_eq!(r.ids(), ["a", "b"]);
    assert_eq!(r.texts(), ["Short title", "Title two"]);
    // neither the text nor the id column is repeated in the metadata
    assert_eq!(
        r.meta(0),
        [
            ("story", "A much longer story than the headline, by far."),
            ("views", "10")
        ]
    );
    assert!(r.warnings.is_empty());
    // names match without case when there is no exact match
    let opts = IngestOptions {
        text_col: Some("HEADLINE".into()),
        ..IngestOptions::default()
    };
    assert_eq!(
        run_with(&["no_text_col.csv"], opts).texts(),
        ["Short title", "Title two"]
    );
}

#[test]
fn missing_named_column_fails_up_front_listing_the_columns() {
    let opts = IngestOptions {
        text_col: Some("body".into()),
        ..IngestOptions::default()
    };
    let err = Corpus::open(
        &[
            path("basic.txt.missing-is-fine.md"),
            path("no_text_col.csv"),
        ],
        opts.clone(),
    );
    assert!(matches!(err, Err(IngestError::NotFound { .. })));
    let Err(err) = Corpus::open(&[path("notes"), path("no_text_col.csv")], opts) else {
        panic!("expected an error");
    };
    assert_eq!(
        err.to_string(),
        "tests/data/no_text_col.csv: no column named \"body\" (asked for by --text-col); its columns are: \"slug\", \"headline\", \"story\", \"views\""
    );
    let opts = IngestOptions {
        id_col: Some("key".into()),
        ..IngestOptions::default()
    };
    match Corpus::open(&[path("data.jsonl")], opts) {
        Err(IngestError::MissingColumn {
            option,
            column,
            available,
            ..
        }) => {
            assert_eq!(option, "--id-col");
            assert_eq!(column, "key");
            assert_eq!(
                available,
                ["id", "date", "text", "n", "ok", "tags", "extra"]
            );
        }
        _ => panic!("expected MissingColumn"),
    }
}

#[test]
fn empty_id_falls_back_to_file_and_row() {
    let opts = IngestOptions {
        id_col: Some("date".into()),
        ..IngestOptions::default()
    };
    let r = run_with(&["basic.csv"], opts);
    assert_eq!(r.ids(), ["2017/2/7", "  2016/12/30 7:11", "basic.csv:3"]);
    assert_eq!(
        r.warning_lines(),
        ["tests/data/basic.csv:4: id column \"date\" is empty; used \"basic.csv:3\" as the id"]
    );
}

// ---------------------------------------------------------------- JSON Lines

#[test]
fn jsonl_objects_with_meta_in_file_order_and_bad_lines_reported() {
    let r = run(&["data.jsonl"]);
    assert_eq!(r.ids(), ["data.jsonl:1", "data.jsonl:2", "data.jsonl:6"]);
    assert_eq!(
        r.texts(),
        ["First \u{201C}object\u{201D} & more", "Second", ""]
    );
    assert_eq!(
        r.meta(0),
        [
            ("id", "x1"),
            ("date", "2017/2/7"),
            ("n", "3"),
            ("ok", "true"),
            ("tags", "[\"a\",\"b\"]"),
            ("extra", "{\"k\":[1,2],\"z\":null}"),
        ]
    );
    assert_eq!(
        r.meta(1),
        [
            ("id", "x2"),
            ("date", "  2016/12/30 7:11"),
            ("n", "-1.5e3"),
            ("ok", "false"),
            ("missing", "")
        ]
    );
    assert_eq!(r.meta(2), [("id", "x6")]);
    let lines: Vec<Option<u64>> = r.docs.iter().map(|d| d.origin.line).collect();
    assert_eq!(lines, [Some(1), Some(4), Some(8)]);
    assert_eq!(
        r.warning_lines(),
        [
            "tests/data/data.jsonl:5: not valid JSON (EOF while parsing a string at column 54); line skipped",
            "tests/data/data.jsonl:6: holds an array, not a JSON object; line skipped",
            "tests/data/data.jsonl:7: object has no \"text\" member; skipped",
        ]
    );
    assert_eq!(r.stats.documents_skipped, 3);
}

#[test]
fn jsonl_ids_and_text_by_name() {
    let opts = IngestOptions {
        id_col: Some("id".into()),
        text_col: Some("date".into()),
        ..IngestOptions::default()
    };
    let r = run_with(&["data.jsonl"], opts);
    assert_eq!(r.ids(), ["x1", "x2", "x5"]);
    assert_eq!(r.texts(), ["2017/2/7", "  2016/12/30 7:11", "2017/2/9"]);
    assert!(r.meta(2).is_empty(), "x5 has only its id and the text");
    assert_eq!(
        r.meta(0)[0],
        ("text", "First \u{201C}object\u{201D} &amp; more")
    );
    let last = r.warnings.last().unwrap();
    assert_eq!(
        last.to_string(),
        "tests/data/data.jsonl:8: object has no \"date\" member; skipped"
    );
}

#[test]
fn ndjson_and_gzipped_jsonl() {
    for name in ["data.ndjson", "data.jsonl.gz"] {
        let r = run(&[name]);
        assert_eq!(r.texts(), ["from ndjson", "second"], "{name}");
        assert_eq!(r.meta(1), [("source", "CNN")]);
        assert_eq!(r.ids()[0], format!("{name}:1"));
    }
}

// ---------------------------------------------------------------- gzip

#[test]
fn gzip_by_extension_and_by_magic_bytes() {
    let plain = run(&["basic.csv"]);
    for name in ["basic.csv.gz", "gzip_named.csv"] {
        let r = run(&[name]);
        assert_eq!(r.texts(), plain.texts(), "{name}");
        assert_eq!(r.meta(1), plain.meta(1));
        assert_eq!(r.ids()[2], format!("{name}:3"));
        assert!(r.warnings.is_empty());
    }
    assert_eq!(
        run(&["text.txt.gz"]).texts(),
        ["Unicode text: café – “quotes” 😀\nsecond line\n"]
    );
    // an unknown name inside gzip is sniffed as text
    assert_eq!(
        run(&["sniffed.gz"]).texts(),
        ["plain text inside an unnamed gzip\n"]
    );
}

#[test]
fn truncated_gzip_text_keeps_the_part_before_the_damage() {
    let r = run(&["truncated.txt.gz"]);
    assert_eq!(r.docs.len(), 1);
    let text = &r.texts()[0];
    assert!(
        text.starts_with("Rescue teams reached the flooded villages on Monday morning."),
        "{text}"
    );
    assert_eq!(r.warnings.len(), 1);
    assert_eq!(r.warnings[0].kind, WarningKind::Unreadable);
    let w = r.warnings[0].to_string();
    assert!(w.starts_with("tests/data/truncated.txt.gz:"), "{w}");
    assert!(w.contains("kept the text read before it"), "{w}");
    assert_eq!(r.stats.files_skipped, 0);
}

#[test]
fn truncated_gzip_keeps_the_rows_before_the_damage() {
    let r = run(&["truncated.csv.gz"]);
    assert!(
        r.docs.len() > 50 && r.docs.len() < 400,
        "{} documents",
        r.docs.len()
    );
    for (i, d) in r.docs.iter().enumerate() {
        assert_eq!(d.meta.get("id"), Some(i.to_string().as_str()));
    }
    assert_eq!(r.warnings.len(), 1);
    assert_eq!(r.warnings[0].kind, WarningKind::Unreadable);
    let w = r.warnings[0].to_string();
    assert!(w.starts_with("tests/data/truncated.csv.gz:"), "{w}");
    assert!(
        w.contains(&format!("kept the {} documents before it", r.docs.len())),
        "{w}"
    );
}

// ---------------------------------------------------------------- encodings

const UNICODE_BODY: &str = "Unicode text: café – “quotes” 😀\nsecond line\n";

#[test]
fn utf8_bom_and_utf16_with_bom() {
    let r = run(&["bom.txt", "utf16le.txt", "utf16be.txt"]);
    assert_eq!(r.texts(), [UNICODE_BODY; 3]);
    assert_eq!(r.ids(), ["bom.txt", "utf16le.txt", "utf16be.txt"]);
    assert!(r.warnings.is_empty());
    let csv = run(&["utf16le.csv"]);
    assert_eq!(csv.texts(), run(&["basic.csv"]).texts());
    assert_eq!(&*csv.docs[0].meta.columns()[0], "id");
    assert_eq!(
        run(&["utf16be.tsv"]).texts(),
        ["Text one, with commas.", "Text two"]
    );
}

#[test]
fn windows_1252_is_decoded_with_a_warning_per_file_or_row() {
    let r = run(&["cp1252.txt", "cp1252.csv"]);
    assert_eq!(
        r.texts(),
        [
            "Café “quoted” – price €5\n",
            "plain ascii",
            "café “quoted”",
            "already utf-8: café"
        ]
    );
    assert_eq!(
        r.warning_lines(),
        [
            "tests/data/cp1252.txt: not valid UTF-8; decoded 5 bytes as Windows-1252",
            "tests/data/cp1252.csv:3: row is not valid UTF-8; decoded 3 bytes as Windows-1252",
        ]
    );
    assert!(r
        .warnings
        .iter()
        .all(|w| w.kind == WarningKind::EncodingFallback));
    assert_eq!(r.stats.decoded_with_fallback, 2);
}

#[test]
fn binary_files_are_skipped_with_a_warning_naming_them() {
    let r = run(&["nul.txt", "binary.csv", "image.png", "notes"]);
    assert_eq!(
        r.warning_lines(),
        [
            "tests/data/nul.txt: looks like a binary file (it contains NUL bytes); skipped",
            "tests/data/binary.csv: looks like a binary file (it is mostly control characters); skipped",
            "tests/data/image.png: looks like a binary file (it contains NUL bytes); skipped",
        ]
    );
    assert!(r.warnings.iter().all(|w| w.kind == WarningKind::Binary));
    // a file without extension that is text is read
    assert_eq!(
        r.texts(),
        ["A file without an extension, read as plain text.\n"]
    );
    assert_eq!((r.stats.files_read, r.stats.files_skipped), (1, 3));
}

// ---------------------------------------------------------------- clean-up

#[test]
fn html_pages_are_stripped_and_entities_decoded() {
    let r = run(&["page.html"]);
    assert_eq!(
        r.texts(),
        ["Page title\n\nHeadline & more\n\nIt’s a bold claim — “quoted” ’x’.\n\none\n\ntwo\n\nTom <b> Jerry"]
    );
    let raw = run_with(&["page.html"], no_cleanup());
    assert_eq!(
        raw.texts()[0],
        std::fs::read_to_string(path("page.html")).unwrap()
    );
    // entities only
    let opts = IngestOptions {
        strip_html: false,
        normalize_spaces: false,
        ..IngestOptions::default()
    };
    let t = run_with(&["page.html"], opts).docs.remove(0).text;
    assert!(t.contains("<b>bold</b>\u{A0}claim — “quoted”"), "{t}");
}

#[test]
fn metadata_is_never_cleaned() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("m.csv");
    std::fs::write(
        &file,
        "title,text\n<b>A&amp;B\u{A0}</b>,<p>x&amp;y\u{A0}z</p>\n",
    )
    .unwrap();
    let r = collect(Corpus::open(&[file], IngestOptions::default()).unwrap());
    assert_eq!(r.texts(), ["x&y z"]);
    assert_eq!(r.meta(0), [("title", "<b>A&amp;B\u{A0}</b>")]);
}

// ---------------------------------------------------------------- inputs

#[test]
fn missing_input_and_stdin_twice_are_errors() {
    match Corpus::open(
        &[path("basic.csv"), path("nope.csv")],
        IngestOptions::default(),
    ) {
        Err(e @ IngestError::NotFound { .. }) => {
            assert_eq!(e.to_string(), "tests/data/nope.csv: no such file or folder")
        }
        _ => panic!("expected NotFound"),
    }
    let dash = PathBuf::from("-");
    assert!(matches!(
        Corpus::open(
            &[dash.clone(), path("basic.csv"), dash],
            IngestOptions::default()
        ),
        Err(IngestError::StdinTwice)
    ));
}

fn stdin_run(bytes: &[u8], opts: IngestOptions) -> Run {
    let corpus = Corpus::open_with_stdin(
        &[PathBuf::from("-")],
        opts,
        Box::new(Cursor::new(bytes.to_vec())),
    )
    .unwrap();
    collect(corpus)
}

#[test]
fn stdin_is_text_or_sniffed_jsonl_or_the_format_given() {
    let r = stdin_run(b"just some text\n", IngestOptions::default());
    assert_eq!(r.ids(), ["stdin"]);
    assert_eq!(r.texts(), ["just some text\n"]);
    assert_eq!(&*r.docs[0].origin.path, "stdin");
    let r = stdin_run(
        b"  {\"text\": \"a\"}\n{\"text\": \"b\"}\n",
        IngestOptions::default(),
    );
    assert_eq!(r.ids(), ["stdin:1", "stdin:2"]);
    assert_eq!(r.texts(), ["a", "b"]);
    let csv = std::fs::read(path("basic.csv.gz")).unwrap();
    let opts = IngestOptions {
        stdin_format: Some(InputFormat::Csv),
        ..IngestOptions::default()
    };
    let r = stdin_run(&csv, opts.clone());
    assert_eq!(r.ids(), ["stdin:1", "stdin:2", "stdin:3"]);
    assert_eq!(r.texts(), run(&["basic.csv"]).texts());
    assert_eq!(r.stats.bytes_read, csv.len() as u64);
    // columns named by options are checked on stdin too, without losing it
    let named = IngestOptions {
        text_col: Some("date".into()),
        ..opts
    };
    let r = stdin_run(&csv, named.clone());
    assert_eq!(r.texts(), ["2017/2/7", "  2016/12/30 7:11", ""]);
    let bad = IngestOptions {
        text_col: Some("nope".into()),
        ..named
    };
    let err = Corpus::open_with_stdin(&[PathBuf::from("-")], bad, Box::new(Cursor::new(csv)));
    assert!(matches!(err, Err(IngestError::MissingColumn { .. })));
}

#[test]
fn input_format_names() {
    assert_eq!("csv".parse::<InputFormat>().unwrap(), InputFormat::Csv);
    assert_eq!("TSV".parse::<InputFormat>().unwrap(), InputFormat::Tsv);
    assert_eq!("ndjson".parse::<InputFormat>().unwrap(), InputFormat::Jsonl);
    assert_eq!("text".parse::<InputFormat>().unwrap(), InputFormat::Text);
    assert_eq!("txt".parse::<InputFormat>().unwrap(), InputFormat::Text);
    let err = "xlsx".parse::<InputFormat>().unwrap_err();
    assert_eq!(
        err.to_string(),
        "unknown input format \"xlsx\"; expected one of: text, csv, tsv, jsonl"
    );
    for f in [
        InputFormat::Text,
        InputFormat::Csv,
        InputFormat::Tsv,
        InputFormat::Jsonl,
    ] {
        assert_eq!(f.to_string().parse::<InputFormat>().unwrap(), f);
    }
}

#[test]
fn folders_are_walked_in_path_order_skipping_hidden_files() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("corpus");
    let write = |rel: &str, content: &str| {
        let p = root.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, content).unwrap();
    };
    write("z.txt", "zed");
    write("a/b.txt", "a-b");
    write("a/c.csv", "text\none\ntwo\n");
    write("a/b2/deep.md", "deep");
    write(".hidden.txt", "hidden");
    write(".git/config.txt", "git");
    write("a/.secret/x.txt", "secret");
    write("m.jsonl", "{\"text\": \"json\"}\n");
    let r = collect(Corpus::open(std::slice::from_ref(&root), IngestOptions::default()).unwrap());
    assert_eq!(
        r.ids(),
        [
            "a/b.txt",
            "a/b2/deep.md",
            "a/c.csv:1",
            "a/c.csv:2",
            "m.jsonl:1",
            "z.txt"
        ]
    );
    assert_eq!(r.texts(), ["a-b", "deep", "one", "two", "json", "zed"]);
    let shown = format!("{}", root.join("a").join("c.csv").display());
    assert_eq!(&*r.docs[2].origin.path, shown);
    assert!(r.warnings.is_empty());
    // a hidden file given by name is read
    let r = collect(Corpus::open(&[root.join(".hidden.txt")], IngestOptions::default()).unwrap());
    assert_eq!(r.ids(), [".hidden.txt"]);
}

#[cfg(unix)]
#[test]
fn symlink_loops_and_files_reached_twice_are_reported() {
    use std::os::unix::fs::symlink;
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("c");
    std::fs::create_dir_all(root.join("sub")).unwrap();
    std::fs::write(root.join("one.txt"), "one").unwrap();
    symlink(&root, root.join("sub").join("loop")).unwrap();
    symlink(root.join("one.txt"), root.join("two.txt")).unwrap();
    symlink(root.join("gone.txt"), root.join("broken.txt")).unwrap();
    let inputs = [root.clone(), root.join("one.txt")];
    let r = collect(Corpus::open(&inputs, IngestOptions::default()).unwrap());
    assert_eq!(r.ids(), ["one.txt"]);
    let kinds: Vec<WarningKind> = r.warnings.iter().map(|w| w.kind).collect();
    assert_eq!(
        kinds,
        [
            WarningKind::Unreadable,
            WarningKind::SymlinkLoop,
            WarningKind::Duplicate,
            WarningKind::Duplicate
        ],
        "{:?}",
        r.warning_lines()
    );
    let lines = r.warning_lines();
    assert!(
        lines[0].contains("broken.txt: broken symbolic link"),
        "{}",
        lines[0]
    );
    assert!(
        lines[1].contains("loop: symbolic link leads back to"),
        "{}",
        lines[1]
    );
    assert!(lines[2].contains("two.txt: same file as"), "{}", lines[2]);
    assert_eq!(r.stats.files_skipped, 3);
}

// ---------------------------------------------------------------- the news corpus

/// Rows 1-50 of news_articles.csv, then rows 51-53, 104, 522 and 801 (see make_fixtures.py).
const NEWS_ROWS: [u64; 56] = {
    let mut rows = [0; 56];
    let mut i = 0;
    while i < 50 {
        rows[i] = i as u64 + 1;
        i += 1;
    }
    rows[50] = 51;
    rows[51] = 52;
    rows[52] = 53;
    rows[53] = 104;
    rows[54] = 522;
    rows[55] = 801;
    rows
};

#[test]
fn news_sample_survives_untouched() {
    let r = run(&["news_sample.csv"]);
    assert_eq!(r.docs.len(), 56);
    assert!(r.warnings.is_empty(), "{:?}", r.warning_lines());
    // Compare every field with an independent CSV parser (the `csv` crate).
    let mut oracle = csv::Reader::from_path(path("news_sample.csv")).unwrap();
    let header: Vec<String> = oracle.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(
        header,
        [
            "article_id",
            "publish_date",
            "article_source_link",
            "title",
            "subtitle",
            "text"
        ]
    );
    for (i, (rec, doc)) in oracle.records().zip(&r.docs).enumerate() {
        let rec = rec.unwrap();
        assert_eq!(doc.id, format!("news_sample.csv:{}", i + 1));
        assert_eq!(
            rec[0].parse::<u64>().unwrap(),
            NEWS_ROWS[i],
            "article_id of row {}",
            i + 1
        );
        let meta: Vec<(&str, &str)> = doc.meta.iter().collect();
        let want: Vec<(&str, &str)> = header[..5]
            .iter()
            .map(String::as_str)
            .zip(rec.iter())
            .collect();
        assert_eq!(meta, want, "row {}", i + 1);
        // only the no-break spaces (and the hair spaces) of the text change
        let expected: String = rec[5]
            .chars()
            .map(|c| {
                if c == '\u{A0}' || c == '\u{200A}' {
                    ' '
                } else {
                    c
                }
            })
            .collect();
        assert_eq!(doc.text, expected, "row {}", i + 1);
        assert_eq!(doc.origin.line, Some(i as u64 + 2));
    }
    let by_article = |id: &str| {
        r.docs
            .iter()
            .find(|d| d.meta.get("article_id") == Some(id))
            .unwrap()
    };
    assert_eq!(
        by_article("522").meta.get("publish_date"),
        Some("          2016/12/30 7:11")
    );
    assert_eq!(by_article("52").meta.get("publish_date"), Some("2017/2/2"));
    assert_eq!(
        by_article("53").meta.get("publish_date"),
        Some("2016/12/21")
    );
    assert_eq!(by_article("104").text, "");
    assert!(by_article("801").text.contains("  ") || !by_article("801").text.contains('\u{A0}'));
    assert!(
        r.docs[0].text.contains("DeVos\"?highly"),
        "lost curly quotes stay as they are"
    );
    let raw = run_with(&["news_sample.csv"], no_cleanup());
    assert!(raw.docs[55].text.contains('\u{A0}'));
    assert!(!r.docs[55].text.contains('\u{A0}'));
}

// ---------------------------------------------------------------- big inputs

#[test]
fn a_huge_single_line_text_is_read_in_linear_time() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("huge.txt");
    // 30 MB, no newline, with entities, tags-to-be and no-break spaces all along
    let unit = "word &amp; <b>bold</b>\u{A0}x <p> &#8217; a<b ";
    let text = unit.repeat(30_000_000 / unit.len());
    std::fs::write(&file, &text).unwrap();
    let start = std::time::Instant::now();
    let r = collect(Corpus::open(&[file], IngestOptions::default()).unwrap());
    let took = start.elapsed();
    assert_eq!(r.docs.len(), 1);
    // `a<b word &amp; <b>` is one tag, as a browser would read it
    let head: String = r.docs[0].text.chars().take(40).collect();
    assert_eq!(head, "word & bold x \n ’ abold x \n ’ abold x \n ");
    assert!(took.as_secs() < 30, "took {took:?}");
}

#[test]
fn corpus_is_send() {
    fn send<T: Send>() {}
    send::<Corpus>();
    send::<Event>();
}

#[test]
fn warnings_display_with_and_without_line() {
    let w = Warning::new(
        "data/x.csv",
        Some(12),
        WarningKind::FieldCount,
        "row has 7 fields, the header has 6; row skipped",
    );
    assert_eq!(
        w.to_string(),
        "data/x.csv:12: row has 7 fields, the header has 6; row skipped"
    );
    let w = Warning::new(
        "data/y.bin",
        None,
        WarningKind::Binary,
        "looks like a binary file; skipped",
    );
    assert_eq!(
        w.to_string(),
        "data/y.bin: looks like a binary file; skipped"
    );
}

// ---------------------------------------------------------------- smaller cases

/// Writes `bytes` to a temporary file called `name` and reads it.
fn run_bytes(name: &str, bytes: &[u8], opts: IngestOptions) -> Run {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join(name);
    std::fs::write(&file, bytes).unwrap();
    let mut r = collect(Corpus::open(&[file], opts).unwrap());
    // show warnings relative to the temporary folder
    let prefix = format!("{}/", dir.path().display());
    for w in &mut r.warnings {
        w.path = w.path.trim_start_matches(&prefix).to_owned();
    }
    r
}

#[test]
fn empty_and_repeated_column_names_are_renamed() {
    let r = run_bytes(
        "h.csv",
        b"text,,date,date,date_2\nbody,a,b,c,d\n",
        IngestOptions::default(),
    );
    let cols: Vec<&str> = r.docs[0].meta.columns().iter().map(|c| &**c).collect();
    assert_eq!(cols, ["column_2", "date", "date_3", "date_2"]);
    assert_eq!(
        r.meta(0),
        [
            ("column_2", "a"),
            ("date", "b"),
            ("date_3", "c"),
            ("date_2", "d")
        ]
    );
    assert_eq!(
        r.warning_lines(),
        [
            "h.csv:1: column 2 has no name; called it \"column_2\"",
            "h.csv:1: the header repeats the column name \"date\"; called column 4 \"date_3\"",
        ]
    );
    assert!(r
        .warnings
        .iter()
        .all(|w| w.kind == WarningKind::ColumnRenamed));
}

#[test]
fn windows_1252_header_and_jsonl_lines_are_decoded() {
    let r = run_bytes("h.csv", b"caf\xe9,text\nx,y\n", IngestOptions::default());
    assert_eq!(r.meta(0), [("café", "x")]);
    assert_eq!(
        r.warning_lines(),
        ["h.csv:1: header is not valid UTF-8; decoded 1 byte as Windows-1252"]
    );
    let r = run_bytes(
        "j.jsonl",
        b"{\"text\": \"ok\"}\n{\"text\": \"na\xefve\"}\n",
        IngestOptions::default(),
    );
    assert_eq!(r.texts(), ["ok", "naïve"]);
    assert_eq!(
        r.warning_lines(),
        ["j.jsonl:2: line is not valid UTF-8; decoded 1 byte as Windows-1252"]
    );
    assert_eq!(r.stats.decoded_with_fallback, 1);
}

#[test]
fn invalid_utf16_is_replaced_with_a_warning() {
    let mut bytes = vec![0xFF, 0xFE];
    for u in "ab".encode_utf16() {
        bytes.extend_from_slice(&u.to_le_bytes());
    }
    bytes.extend_from_slice(&[0x00, 0xD8, b'c', 0x00]); // lone high surrogate, then "c"
    let r = run_bytes("u.txt", &bytes, IngestOptions::default());
    assert_eq!(r.texts(), ["ab\u{FFFD}c"]);
    assert_eq!(
        r.warning_lines(),
        ["u.txt: holds invalid UTF-16 (unpaired surrogates); replaced them with U+FFFD"]
    );
    assert_eq!(r.warnings[0].kind, WarningKind::InvalidUtf16);
}

#[test]
fn invalid_utf16_is_reported_when_the_header_is_never_closed() {
    // Found by the csv fuzz target: the unterminated-header path returned
    // before the end-of-input check, so the UTF-16 warning was lost.
    let mut bytes = vec![0xFF, 0xFE];
    for u in "id,\"text\n1,x".encode_utf16() {
        bytes.extend_from_slice(&u.to_le_bytes());
    }
    bytes.extend_from_slice(&[0x00, 0xD8]); // lone high surrogate at the end
    let r = run_bytes("u.csv", &bytes, IngestOptions::default());
    assert!(r.docs.is_empty());
    let kinds: Vec<WarningKind> = r.warnings.iter().map(|w| w.kind).collect();
    assert_eq!(
        kinds,
        [WarningKind::UnterminatedQuote, WarningKind::InvalidUtf16]
    );
}

#[test]
fn skipped_jsonl_lines_are_not_counted_as_decoded_documents() {
    // Found by the jsonl fuzz target: a line in Windows-1252 that was then
    // skipped (not JSON, or no text) still counted in decoded_with_fallback,
    // which counts documents, so it could exceed documents_read.
    let lines = b"{\"text\": \"caf\xe9\"}\n{caf\xe9\n{\"other\": \"\xe9\"}\n";
    let opts = IngestOptions {
        text_col: Some("text".to_owned()),
        ..IngestOptions::default()
    };
    let r = run_bytes("f.jsonl", lines, opts);
    assert_eq!(r.texts(), ["café"]);
    assert_eq!(r.stats.documents_skipped, 2);
    assert_eq!(r.stats.decoded_with_fallback, 1);
    let kinds: Vec<WarningKind> = r.warnings.iter().map(|w| w.kind).collect();
    assert_eq!(
        kinds,
        [
            WarningKind::EncodingFallback,
            WarningKind::EncodingFallback,
            WarningKind::InvalidJson,
            WarningKind::EncodingFallback,
            WarningKind::MissingText
        ]
    );
}

#[test]
fn jsonl_text_key_is_guessed_when_no_name_matches() {
    let lines = b"{\"slug\": \"a\", \"story\": \"a long story here\", \"n\": 12345678901234567890}\n{\"slug\": \"b\", \"story\": \"another long one\"}\n";
    let r = run_bytes("g.jsonl", lines, IngestOptions::default());
    assert_eq!(r.texts(), ["a long story here", "another long one"]);
    assert_eq!(r.meta(0), [("slug", "a"), ("n", "12345678901234567890")]);
    assert_eq!(r.meta(1), [("slug", "b")]);
    assert_eq!(r.warnings.len(), 1);
    assert_eq!(r.warnings[0].kind, WarningKind::TextColumnGuessed);
}

#[test]
fn lone_cr_line_endings_from_old_spreadsheets() {
    let r = run_bytes(
        "mac.csv",
        b"id,text\r1,one\r2,\"two\rlines\"\r3,three",
        IngestOptions::default(),
    );
    assert_eq!(r.texts(), ["one", "two\rlines", "three"]);
    assert_eq!(r.ids(), ["mac.csv:1", "mac.csv:2", "mac.csv:3"]);
}

#[test]
fn meta_can_be_built_and_compared() {
    let cols: Arc<[Arc<str>]> = vec![Arc::from("a"), Arc::from("b")].into();
    let m = crate::Meta::new(Arc::clone(&cols), &["1", "2"]);
    assert_eq!(m.iter().collect::<Vec<_>>(), [("a", "1"), ("b", "2")]);
    assert_eq!(m.get("b"), Some("2"));
    assert_eq!(m.len(), 2);
    assert_eq!(format!("{m:?}"), "{\"a\": \"1\", \"b\": \"2\"}");
    let short = crate::Meta::new(cols, &["only"]);
    assert_eq!(short.iter().collect::<Vec<_>>(), [("a", "only")]);
    assert!(crate::Meta::default().is_empty());
    assert_eq!(m.clone(), m);
}
