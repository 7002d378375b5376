//! Hostile input end to end: the committed folder of bad files
//! (tests/data/bad_inputs, described in its README) plus what cannot be
//! committed, made at test time: a 100 MB file on one line, a symbolic-link
//! loop, a file that cannot be read and a file that disappears while the
//! run is going on.  The report must keep every good document, name every
//! bad file in a warning, and exit 0.

use std::collections::BTreeSet;
use std::io::Write;
use std::path::Path;
use std::process::Stdio;

use crate::util::{fixture, parse_csv, Workdir};

/// Copies the committed bad inputs (not their README) into `in/`.
fn bad_inputs(w: &Workdir) {
    for entry in std::fs::read_dir(fixture("bad_inputs")).unwrap() {
        let entry = entry.unwrap();
        let name = entry.file_name().to_string_lossy().into_owned();
        if name != "README.md" {
            w.write(&format!("in/{name}"), std::fs::read(entry.path()).unwrap());
        }
    }
}

/// The documents the committed files hold, by id.
const GOOD_DOCUMENTS: &[&str] = &[
    "broken.jsonl:1",
    "broken.jsonl:3",
    "broken.jsonl:5",
    "control_chars.txt",
    "crlf_lines.csv:1",
    "crlf_lines.csv:2",
    "empty.txt",
    "good_article.txt",
    "invalid_utf8.txt",
    "latin1.txt",
    "lone_surrogate_utf16le.txt",
    "not_really.gz",
    "ragged.csv:1",
    "ragged.csv:4",
    "truncated.txt.gz",
    "utf16be_bom.txt",
    "utf16le_bom.txt",
    "utf8_bom.csv:1",
    "utf8_bom.csv:2",
    "utf8_bom.txt",
    "whitespace_only.txt",
];

/// Each bad file and what its warning must say.
const WARNED: &[(&str, &str)] = &[
    ("broken.jsonl:2", "not valid JSON"),
    ("broken.jsonl:4", "not a JSON object"),
    ("invalid_utf8.txt", "Windows-1252"),
    ("latin1.txt", "Windows-1252"),
    ("lone_surrogate_utf16le.txt", "unpaired surrogates"),
    ("nul_in_text.txt", "binary"),
    ("random_bytes.dat", "binary"),
    ("random_bytes.txt", "binary"),
    ("ragged.csv:3", "7 fields"),
    ("ragged.csv:4", "2 fields"),
    ("ragged.csv:6", "never closed"),
    ("truncated.txt.gz", "kept the"),
];

fn mkfifo(path: &Path) {
    let status = std::process::Command::new("mkfifo")
        .arg(path)
        .status()
        .expect("run mkfifo");
    assert!(status.success(), "mkfifo {}", path.display());
}

fn document_ids(w: &Workdir, dir: &str) -> BTreeSet<String> {
    let (header, rows) = parse_csv(&w.read(&format!("{dir}/documents.csv")));
    assert_eq!(header[0], "doc_id");
    rows.into_iter().map(|r| r[0].clone()).collect()
}

fn term_count(w: &Workdir, dir: &str, term: &str) -> Option<u64> {
    let (_, rows) = parse_csv(&w.read(&format!("{dir}/terms.csv")));
    rows.iter()
        .find(|r| r[0] == term)
        .map(|r| r[1].parse().unwrap())
}

#[cfg(unix)]
#[test]
fn every_good_document_survives_the_bad_inputs_folder() {
    use std::os::unix::fs::symlink;

    let w = Workdir::new();
    bad_inputs(&w);
    // 100 MB on a single line, with a word found nowhere else.
    let sentence = "The quick brown fox jumps over the lazy zebu. ";
    let repeats = 100_000_000 / sentence.len() + 1;
    let mut one_line = Vec::with_capacity(repeats * sentence.len());
    for _ in 0..repeats {
        one_line.extend_from_slice(sentence.as_bytes());
    }
    w.write("in/one_line.txt", &one_line);
    drop(one_line);
    // A link back to a folder above it, and a file no read can succeed on.
    std::fs::create_dir_all(w.path().join("in/sub")).unwrap();
    symlink(w.path().join("in"), w.path().join("in/sub/loop")).unwrap();
    symlink("/proc/self/mem", w.path().join("in/unreadable.txt")).unwrap();
    // A pipe read first: the run blocks on it until this test opens it,
    // which proves the folder was listed; then a listed file is removed.
    mkfifo(&w.path().join("in/aaa_pipe.txt"));
    w.write(
        "in/zzz_vanishes.txt",
        "This file is gone before it is read.",
    );

    let child = w
        .command(&["report", "in", "-o", "out"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn lexiscope");
    {
        // Blocks until lexiscope opens the pipe for reading.
        let mut pipe = std::fs::OpenOptions::new()
            .write(true)
            .open(w.path().join("in/aaa_pipe.txt"))
            .expect("open the pipe");
        std::fs::remove_file(w.path().join("in/zzz_vanishes.txt")).unwrap();
        pipe.write_all(b"Text that arrived through a named pipe, calmly.")
            .unwrap();
    }
    let out = child.wait_with_output().expect("wait for lexiscope");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "stderr:\n{stderr}");

    for (file, says) in WARNED {
        let line = stderr
            .lines()
            .find(|l| l.starts_with("warning: ") && l.contains(&format!("in/{file}:")))
            .unwrap_or_else(|| panic!("no warning names {file}:\n{stderr}"));
        assert!(line.contains(says), "{file}: {line}");
    }
    for (file, says) in [
        ("sub/loop", "leads back to"),
        ("unreadable.txt", "read error"),
        ("zzz_vanishes.txt", "cannot open"),
    ] {
        assert!(
            stderr
                .lines()
                .any(|l| l.contains(&format!("in/{file}")) && l.contains(says)),
            "no warning for {file} saying {says:?}:\n{stderr}"
        );
    }

    let ids = document_ids(&w, "out");
    let mut expected: BTreeSet<String> = GOOD_DOCUMENTS.iter().map(|s| s.to_string()).collect();
    expected.insert("aaa_pipe.txt".into());
    expected.insert("one_line.txt".into());
    assert_eq!(ids, expected, "every good document, and only those");

    // Text from each encoding reached the counts.
    for term in ["café", "résumé", "façade", "calmly", "hostile"] {
        let found = term_count(&w, "out", term);
        if term == "hostile" {
            assert_eq!(found, None, "no made-up terms");
        } else {
            assert!(found.is_some(), "{term} is counted");
        }
    }
    assert_eq!(term_count(&w, "out", "zebu"), Some(repeats as u64));

    let manifest: serde_json::Value = serde_json::from_str(&w.read("out/manifest.json")).unwrap();
    let warnings = manifest["warnings"].as_array().unwrap();
    for (file, _) in WARNED {
        assert!(
            warnings
                .iter()
                .any(|m| m.as_str().unwrap().contains(&format!("in/{file}"))),
            "manifest lists the warning for {file}"
        );
    }
    assert_eq!(manifest["counts"]["documents"], ids.len());
}

/// Every entry of a folder, recursively, as sorted relative paths.
fn listing(root: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        // A folder may vanish while a run is being watched: skip it.
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for e in entries.flatten() {
            let p = e.path();
            out.push(p.strip_prefix(root).unwrap().display().to_string());
            if e.file_type().is_ok_and(|t| t.is_dir()) {
                stack.push(p);
            }
        }
    }
    out.sort();
    out
}

#[test]
fn impossible_requests_exit_2_and_write_nothing() {
    let w = Workdir::new();
    w.write("in/a.csv", "id,body\n1,A calm and happy day.\n");
    w.write("in/b.txt", "Another fine text.");
    w.write("bad_lexicon.csv", "word,score\ngood,2\ngreat 3\n");
    w.write("a_file", "not a folder");
    let before = listing(w.path());
    for (args, says) in [
        (
            &["report", "no/such/folder", "-o", "out"][..],
            "no/such/folder",
        ),
        (
            &["report", "in", "-o", "out", "--lexicon", "nosuch"],
            "nosuch",
        ),
        (
            &["report", "in", "-o", "out", "--stopwords", "nosuch"],
            "nosuch",
        ),
        (
            &["report", "in", "-o", "out", "--lexicon", "bad_lexicon.csv"],
            "line 3",
        ),
        (&["report", "in", "-o", "a_file"], "a_file"),
        (
            &["report", "in", "-o", "out", "--text-col", "nosuch"],
            "nosuch",
        ),
        (&["freq", "in", "--by", "nosuch"], "nosuch"),
    ] {
        let run = w.run(args);
        run.expect_code(2);
        let lines: Vec<&str> = run.stderr.lines().collect();
        assert!(
            lines.iter().any(|l| l.contains(says)),
            "{args:?} names {says:?}: {}",
            run.stderr
        );
        assert!(
            lines.iter().filter(|l| l.starts_with("error")).count() == 1,
            "{args:?}: one error line: {}",
            run.stderr
        );
        assert_eq!(listing(w.path()), before, "{args:?} wrote nothing");
    }
}

#[test]
fn names_from_the_corpus_never_become_paths() {
    let w = Workdir::new();
    w.write(
        "in/posts.csv",
        "section,body\n\
         ../../escape,A text in a section named like a path.\n\
         /etc/passwd,Another text with an absolute path as its section.\n\
         \"a\x1bb\\c:d\",Control characters and separators in the name.\n\
         ..,Dot dot alone.\n",
    );
    w.run(&["report", "in", "-o", "out", "-q", "--group-by", "section"])
        .ok();
    let (_, groups) = parse_csv(&w.read("out/groups.csv"));
    assert_eq!(groups.len(), 4, "every section is a group: {groups:?}");
    // Nothing was written outside in/ and out/, and out/ holds only the
    // report's own files.
    let top: BTreeSet<String> = listing(w.path())
        .into_iter()
        .filter(|p| !p.contains('/'))
        .collect();
    assert_eq!(top, BTreeSet::from(["in".to_string(), "out".to_string()]));
    let manifest: serde_json::Value = serde_json::from_str(&w.read("out/manifest.json")).unwrap();
    let mut listed: Vec<String> = manifest["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap().to_string())
        .collect();
    listed.push("manifest.json".into());
    listed.push("charts".into());
    listed.sort();
    assert_eq!(listing(&w.path().join("out")), listed);
}

/// Sends SIGINT to a running child, as Ctrl-C in a terminal does.
fn interrupt(child: &std::process::Child) {
    let status = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .expect("run kill");
    assert!(status.success());
}

#[cfg(unix)]
#[test]
fn ctrl_c_leaves_the_previous_report_or_none() {
    let w = Workdir::new();
    // About 40 MB: long enough to be interrupted while it reads.
    let article = std::fs::read_to_string(fixture("news_sample.csv")).unwrap();
    let (header, body) = article.split_once('\n').unwrap();
    let mut big = String::from(header);
    big.push('\n');
    while big.len() < 40_000_000 {
        big.push_str(body);
    }
    w.write("big/news.csv", &big);
    w.write("small/a.txt", "A short and happy text.");
    w.run(&["report", "small", "-o", "out", "-q"]).ok();
    let manifest = w.read("out/manifest.json");
    let before = listing(&w.path().join("out"));

    // Interrupted while reading, and while writing the new report into its
    // staging folder (inside an existing output folder, beside a new one).
    for (out, staging_in) in [
        ("out", None),
        ("out", Some("out")),
        ("fresh", None),
        ("fresh", Some(".")),
    ] {
        let child = w
            .command(&["report", "big", "-o", out, "-q"])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn lexiscope");
        match staging_in {
            None => std::thread::sleep(std::time::Duration::from_millis(500)),
            Some(dir) => {
                let dir = w.path().join(dir);
                let started = std::time::Instant::now();
                while !listing(&dir)
                    .iter()
                    .any(|p| p.starts_with(".lexiscope-partial-") && p.ends_with(".csv"))
                {
                    assert!(started.elapsed().as_secs() < 120, "no staging folder seen");
                    std::thread::sleep(std::time::Duration::from_millis(2));
                }
            }
        }
        interrupt(&child);
        let done = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&done.stderr);
        assert_eq!(done.status.code(), Some(130), "stderr: {stderr}");
        assert!(stderr.contains("interrupted"), "{stderr}");
    }
    assert_eq!(
        w.read("out/manifest.json"),
        manifest,
        "previous report kept"
    );
    assert_eq!(listing(&w.path().join("out")), before, "and nothing else");
    assert!(!w.path().join("fresh").exists(), "no report at all");
    let top: Vec<String> = listing(w.path())
        .into_iter()
        .filter(|p| !p.contains('/'))
        .collect();
    assert_eq!(top, ["big", "out", "small"], "no staging folder left");
}
