//! What a spreadsheet user gets: `--excel` (a byte-order mark on the CSV
//! output) and `report.xlsx`, read back with calamine and, where LibreOffice
//! is installed, opened by LibreOffice itself.

// The LibreOffice check reports how long it took (seen with --nocapture).
#![allow(clippy::print_stderr)]

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use calamine::{open_workbook, Data, Ods, Reader, Xlsx};

use crate::util::{client_missing, fixture, on_path, parse_csv, Workdir};

/// The tables, in the order of report.xlsx's sheets.
const SHEETS: &[&str] = &[
    "summary",
    "terms",
    "bigrams",
    "documents",
    "groups",
    "timeline",
    "sentiment_words",
    "tfidf",
    "keyness",
    "collocations",
];

const BOM: &str = "\u{feff}";

/// Four documents with accented words and curly quotes, whose ids, titles
/// and outlets (groups) look like formulas.
fn sample(w: &Workdir) {
    w.write(
        "in/spreadsheet_sample.csv",
        std::fs::read(fixture("spreadsheet_sample.csv")).unwrap(),
    );
}

fn report(w: &Workdir, out: &str, extra: &[&str]) {
    let mut args = vec!["report", "in", "--id-col", "id", "-o", out, "-q"];
    args.extend_from_slice(extra);
    w.run(&args).ok();
}

type Grid = Vec<Vec<Data>>;

fn xlsx_sheets(path: &Path) -> Vec<(String, Grid)> {
    let mut book: Xlsx<_> = open_workbook(path).expect("open report.xlsx");
    let names = book.sheet_names();
    names
        .into_iter()
        .map(|n| {
            let range = book.worksheet_range(&n).expect("sheet");
            let grid = range.rows().map(|r| r.to_vec()).collect();
            (n, grid)
        })
        .collect()
}

fn ods_sheets(path: &Path) -> Vec<(String, Grid)> {
    let mut book: Ods<_> = open_workbook(path).expect("open the .ods LibreOffice wrote");
    let names = book.sheet_names();
    names
        .into_iter()
        .map(|n| {
            let range = book.worksheet_range(&n).expect("sheet");
            // Ranges may start below or right of A1; rebuild from A1.
            let (r0, c0) = range.start().unwrap_or((0, 0));
            let mut grid: Grid = vec![Vec::new(); r0 as usize];
            for row in range.rows() {
                let mut cells = vec![Data::Empty; c0 as usize];
                cells.extend(row.iter().cloned());
                grid.push(cells);
            }
            (n, grid)
        })
        .collect()
}

fn text(d: &Data) -> &str {
    match d {
        Data::String(s) => s,
        other => panic!("expected a text cell, got {other:?}"),
    }
}

fn column(header: &[Data], name: &str) -> usize {
    header
        .iter()
        .position(|h| matches!(h, Data::String(s) if s == name))
        .unwrap_or_else(|| panic!("no column {name} in {header:?}"))
}

/// `[+-]?digits[.digits][e[+-]digits]`: text the CSV formula guard leaves alone.
fn plain_number(s: &str) -> bool {
    let body = s.strip_prefix(['+', '-']).unwrap_or(s);
    let (mantissa, exp) = match body.split_once(['e', 'E']) {
        Some((m, e)) => (m, Some(e.strip_prefix(['+', '-']).unwrap_or(e))),
        None => (body, None),
    };
    let digits = mantissa.chars().filter(char::is_ascii_digit).count();
    digits > 0
        && mantissa.chars().all(|c| c.is_ascii_digit() || c == '.')
        && mantissa.matches('.').count() <= 1
        && exp.is_none_or(|e| !e.is_empty() && e.chars().all(|c| c.is_ascii_digit()))
}

/// What the CSV holds for a text cell (the formula guard's apostrophe).
fn guarded(s: &str) -> String {
    let risky = match s.chars().next() {
        Some('=' | '@' | '\t' | '\r') => true,
        Some('+' | '-') => !plain_number(s),
        _ => false,
    };
    if risky {
        format!("'{s}")
    } else {
        s.to_string()
    }
}

#[test]
fn report_xlsx_has_every_table_typed_and_with_its_original_text() {
    let w = Workdir::new();
    sample(&w);
    report(&w, "out", &["--excel"]);
    let sheets = xlsx_sheets(&w.path().join("out/report.xlsx"));
    assert_eq!(
        sheets.iter().map(|s| s.0.as_str()).collect::<Vec<_>>(),
        SHEETS
    );

    // Every sheet holds its CSV table cell for cell: numbers as numbers
    // (equal to the CSV's text), text as the original text (the CSV has
    // the formula guard's apostrophe), empty cells empty.
    let mut numbers = 0;
    for (name, grid) in &sheets {
        let (header, rows) = parse_csv(&w.read(&format!("out/{name}.csv")));
        assert!(!header[0].starts_with(BOM), "{name}: BOM in the header");
        let sheet_header: Vec<String> = grid[0].iter().map(|d| text(d).to_string()).collect();
        assert_eq!(sheet_header, header, "{name}: header");
        assert_eq!(grid.len(), rows.len() + 1, "{name}: rows");
        for (r, (row, csv)) in grid[1..].iter().zip(&rows).enumerate() {
            for (c, want) in csv.iter().enumerate() {
                let got = row.get(c).unwrap_or(&Data::Empty);
                let at = format!("{name} row {} column {}", r + 1, header[c]);
                match got {
                    Data::Float(x) => {
                        numbers += 1;
                        assert_eq!(want.parse::<f64>().ok(), Some(*x), "{at}: {want}");
                    }
                    Data::String(s) => assert_eq!(&guarded(s), want, "{at}"),
                    Data::Empty => assert_eq!(want, "", "{at}"),
                    other => panic!("{at}: unexpected cell {other:?}"),
                }
            }
        }
    }
    assert!(numbers > 500, "numeric cells are numbers ({numbers})");

    let sheet = |n: &str| &sheets.iter().find(|s| s.0 == n).unwrap().1;
    // Numeric columns hold numbers only.
    let terms = sheet("terms");
    assert_eq!(terms[1][0], Data::String("café".into()));
    assert_eq!(terms[1][1], Data::Float(16.0));
    for row in &terms[1..] {
        for c in 1..4 {
            assert!(matches!(row[c], Data::Float(_)), "terms: {row:?}");
        }
    }
    let names: Vec<&str> = terms[1..].iter().map(|r| text(&r[0])).collect();
    for t in [
        "café",
        "crème",
        "brûlée",
        "naïve",
        "straße",
        "ødegaard",
        "@lexiscope",
    ] {
        assert!(names.contains(&t), "term {t} in {names:?}");
    }
    let docs = sheet("documents");
    let (id, title, group, tokens) = (
        column(&docs[0], "doc_id"),
        column(&docs[0], "title"),
        column(&docs[0], "group"),
        column(&docs[0], "tokens"),
    );
    let ids: Vec<&str> = docs[1..].iter().map(|r| text(&r[id])).collect();
    assert_eq!(ids, ["=1+1", "@SUM(A1)", "+cmd", "-2+3"]);
    assert_eq!(text(&docs[1][title]), "“Café” culture’s comeback");
    assert_eq!(text(&docs[2][title]), "Straße & Ødegaard’s “naïve” café");
    assert_eq!(
        text(&docs[1][group]),
        "=HYPERLINK(\"http://example.com\",\"click\")"
    );
    assert!(docs[1..]
        .iter()
        .all(|r| matches!(r[tokens], Data::Float(x) if x > 0.0)));
    let groups = sheet("groups");
    assert_eq!(
        text(&groups[1][0]),
        "=HYPERLINK(\"http://example.com\",\"click\")"
    );
    assert_eq!(text(&groups[2][0]), "-2+3");
    assert_eq!(groups[1][1], Data::Float(2.0));

    // No cell of any sheet is a formula.
    let mut book: Xlsx<_> = open_workbook(w.path().join("out/report.xlsx")).unwrap();
    for name in SHEETS {
        let formulas = book.worksheet_formula(name).unwrap();
        assert!(
            formulas.cells().all(|(_, _, f)| f.is_empty()),
            "{name} has a formula"
        );
    }

    // The dashboard links it.
    assert!(w
        .read("out/index.html")
        .contains("<a href=\"report.xlsx\" download>report.xlsx</a>"));

    // The manifest lists the workbook and what its sheets hold.
    let m: serde_json::Value = serde_json::from_str(&w.read("out/manifest.json")).unwrap();
    let entry = m["files"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["path"] == "report.xlsx")
        .expect("report.xlsx in the manifest");
    let listed: Vec<&str> = entry["sheets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(listed, SHEETS);
    assert_eq!(entry["sheets"][3]["rows"], 4);
    assert_eq!(entry["sheets"][3]["rows_left_out"], 0);
    assert!(m["timings_ms"]["of_which_workbook"].as_u64().is_some());
}

#[test]
fn excel_flag_puts_a_byte_order_mark_on_every_csv_and_on_stdout() {
    let w = Workdir::new();
    sample(&w);
    report(&w, "plain", &["-j", "1"]);
    report(&w, "excel1", &["--excel", "-j", "1"]);
    report(&w, "excel", &["--excel", "-j", "3"]);
    // The workbook comes with --excel only, and does not depend on the
    // thread count.
    assert!(!w.path().join("plain/report.xlsx").exists());
    assert!(!w.read("plain/index.html").contains("report.xlsx"));
    assert_eq!(
        xlsx_sheets(&w.path().join("excel1/report.xlsx")),
        xlsx_sheets(&w.path().join("excel/report.xlsx"))
    );
    for name in SHEETS {
        let plain = std::fs::read(w.path().join(format!("plain/{name}.csv"))).unwrap();
        let excel = std::fs::read(w.path().join(format!("excel/{name}.csv"))).unwrap();
        assert!(
            !plain.starts_with(b"\xEF\xBB\xBF"),
            "{name}: no mark by default"
        );
        assert_eq!(&excel[..3], b"\xEF\xBB\xBF", "{name}: mark with --excel");
        assert_eq!(&excel[3..], &plain[..], "{name}: otherwise the same bytes");
    }
    // The dashboard reads the tables back: no mark in its column names.
    let html = w.read("excel/index.html");
    assert!(!html.contains(BOM), "BOM leaked into the dashboard");

    for cmd in [
        &["freq", "in"][..],
        &["sentiment", "in", "--id-col", "id"],
        &["kwic", "café", "in", "--id-col", "id"],
    ] {
        let plain = w.run(cmd);
        let excel = w.run(&[cmd, &["--excel"]].concat());
        assert!(!plain.ok().stdout.starts_with(BOM));
        let out = &excel.ok().stdout;
        assert!(out.starts_with(BOM), "{cmd:?} --excel: {out:.40}");
        assert_eq!(&out[BOM.len()..], plain.stdout, "{cmd:?}");
        assert_eq!(out.matches(BOM).count(), 1);
        let (header, rows) = parse_csv(out);
        assert!(header[0] == "term" || header[0] == "doc_id", "{header:?}");
        assert!(!rows.is_empty());
    }
    let freq = w.run(&["freq", "in", "--excel"]);
    assert!(freq.stdout.contains("\ncafé,16,4,"), "{}", freq.stdout);
}

// ---------------------------------------------------------------------------
// LibreOffice

/// LibreOffice's `soffice`, or `None` after a loud message when it is not
/// installed. Under CI (the `CI` variable set) a missing LibreOffice is a
/// failure, never a skip: `.ci/run` installs it.
fn soffice(test: &str) -> Option<PathBuf> {
    let found = on_path("soffice", &[]);
    if found.is_none() {
        client_missing(
            test,
            "LibreOffice (soffice) is not installed, so report.xlsx and the --excel CSV \
             files were NOT checked in LibreOffice. Install Debian's \
             libreoffice-calc-nogui (as .ci/run does) to run this test.",
        );
    }
    found
}

/// Runs headless LibreOffice with its own fresh profile (so tests can run
/// side by side) and a time limit; panics with its output when it fails.
fn run_soffice(soffice: &Path, profile: &Path, args: &[&str]) {
    let profile_url = format!("-env:UserInstallation=file://{}", profile.display());
    let mut child = Command::new(soffice)
        .arg(profile_url)
        .args(["--headless", "--norestore", "--nolockcheck"])
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start soffice");
    let started = Instant::now();
    loop {
        if let Some(status) = child.try_wait().expect("wait for soffice") {
            let out = child.wait_with_output().expect("soffice output");
            assert!(
                status.success(),
                "soffice {args:?} failed ({status}):\n{}\n{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            );
            return;
        }
        if started.elapsed() > Duration::from_secs(300) {
            let _ = child.kill();
            panic!("soffice {args:?} took more than 5 minutes");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn libreoffice_reads_the_csv_files_and_the_workbook_intact() {
    let Some(soffice) = soffice("libreoffice_reads_the_csv_files_and_the_workbook_intact") else {
        return;
    };
    let started = Instant::now();
    let w = Workdir::new();
    sample(&w);
    report(&w, "out", &["--excel"]);
    // A control: without the formula guard LibreOffice does run `=1+1`,
    // so the checks below can tell a formula from a text.
    report(&w, "raw", &["--excel", "--no-formula-guard"]);
    std::fs::create_dir(w.path().join("csv")).unwrap();
    for name in ["terms", "documents", "groups", "summary"] {
        std::fs::copy(
            w.path().join(format!("out/{name}.csv")),
            w.path().join(format!("csv/{name}.csv")),
        )
        .unwrap();
    }
    std::fs::copy(
        w.path().join("raw/documents.csv"),
        w.path().join("csv/unguarded.csv"),
    )
    .unwrap();
    let profile = w.path().join("lo-profile");
    let lo_started = Instant::now();
    let dir = |p: &str| w.path().join(p).display().to_string();
    let mut args = vec![
        // Comma, double quote, UTF-8 (76), from line 1; formulas evaluated
        // as LibreOffice does by default.
        "--infilter=CSV:44,34,76,1".to_string(),
        "--convert-to".into(),
        "ods".into(),
        "--outdir".into(),
        dir("lo_csv"),
    ];
    for name in ["terms", "documents", "groups", "summary", "unguarded"] {
        args.push(dir(&format!("csv/{name}.csv")));
    }
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    run_soffice(&soffice, &profile, &args);
    run_soffice(
        &soffice,
        &profile,
        &[
            "--convert-to",
            "ods",
            "--outdir",
            &dir("lo_xlsx"),
            &dir("out/report.xlsx"),
        ],
    );

    let lo_time = lo_started.elapsed();

    // The CSV files as LibreOffice reads them.
    let csv = |name: &str| {
        let mut sheets = ods_sheets(&w.path().join(format!("lo_csv/{name}.ods")));
        assert_eq!(sheets.len(), 1);
        sheets.remove(0).1
    };
    let terms = csv("terms");
    assert_eq!(
        terms[0][0],
        Data::String("term".into()),
        "no BOM in the header"
    );
    assert_eq!(terms[1][0], Data::String("café".into()));
    assert_eq!(terms[1][1], Data::Float(16.0), "numbers are numbers");
    assert!(matches!(terms[1][3], Data::Float(x) if (x - 146788.9908).abs() < 1e-9));
    let docs = csv("documents");
    assert_eq!(docs[0][0], Data::String("doc_id".into()));
    let ids: Vec<&Data> = docs[1..].iter().map(|r| &r[0]).collect();
    // Inert: the guard's apostrophe stays visible, nothing is computed.
    let want: Vec<Data> = ["'=1+1", "'@SUM(A1)", "'+cmd", "'-2+3"]
        .iter()
        .map(|s| Data::String(s.to_string()))
        .collect();
    assert_eq!(ids, want.iter().collect::<Vec<_>>());
    let title = column(&docs[0], "title");
    assert_eq!(text(&docs[1][title]), "“Café” culture’s comeback");
    assert_eq!(text(&docs[2][title]), "Straße & Ødegaard’s “naïve” café");
    let tokens = column(&docs[0], "tokens");
    assert!(docs[1..]
        .iter()
        .all(|r| matches!(r[tokens], Data::Float(_))));
    let groups = csv("groups");
    assert_eq!(
        text(&groups[1][0]),
        "'=HYPERLINK(\"http://example.com\",\"click\")"
    );
    let summary = csv("summary");
    let documents = summary[1..]
        .iter()
        .find(|r| r[0] == Data::String("documents".into()))
        .expect("documents in summary");
    assert_eq!(documents[1], Data::Float(4.0));
    let unguarded = csv("unguarded");
    assert_eq!(
        unguarded[1][0],
        Data::Float(2.0),
        "control: LibreOffice computes an unguarded =1+1 in a CSV file"
    );

    // The workbook as LibreOffice reads it: the same sheets, the same
    // cells with the same types as calamine reads from report.xlsx.
    let ours = xlsx_sheets(&w.path().join("out/report.xlsx"));
    let theirs = ods_sheets(&w.path().join("lo_xlsx/report.ods"));
    assert_eq!(
        theirs.iter().map(|s| s.0.as_str()).collect::<Vec<_>>(),
        SHEETS
    );
    for ((name, a), (_, b)) in ours.iter().zip(&theirs) {
        assert_eq!(a.len(), b.len(), "{name}: rows");
        for (r, (ra, rb)) in a.iter().zip(b).enumerate() {
            for c in 0..ra.len().max(rb.len()) {
                let x = ra.get(c).unwrap_or(&Data::Empty);
                let y = rb.get(c).unwrap_or(&Data::Empty);
                let same = match (x, y) {
                    (Data::Float(p), Data::Float(q)) => (p - q).abs() <= 1e-13 * p.abs().max(1.0),
                    _ => x == y,
                };
                assert!(
                    same,
                    "{name} row {r} column {c}: ours {x:?}, LibreOffice {y:?}"
                );
            }
        }
    }
    let docs = &theirs[3].1;
    assert_eq!(docs[1][0], Data::String("=1+1".into()), "text, not 2");
    assert_eq!(docs[2][0], Data::String("@SUM(A1)".into()));
    assert_eq!(docs[3][0], Data::String("+cmd".into()));
    assert_eq!(docs[4][0], Data::String("-2+3".into()));
    assert_eq!(text(&docs[1][title]), "“Café” culture’s comeback");
    assert_eq!(theirs[1].1[1][0], Data::String("café".into()));
    assert_eq!(theirs[1].1[1][1], Data::Float(16.0));
    eprintln!(
        "LibreOffice check took {:.1} s, of which LibreOffice's two conversions {:.1} s",
        started.elapsed().as_secs_f64(),
        lo_time.as_secs_f64()
    );
}
