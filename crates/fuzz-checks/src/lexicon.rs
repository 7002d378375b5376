//! User lexicon files (`lexiscope-sentiment`).

use std::path::Path;

use lexiscope_sentiment::{Lexicon, LexiconSpec, SentimentError};

/// The user-lexicon loader on `data` as the whole file, saved as
/// `lexicon.csv`, `lexicon.tsv` and `lexicon.txt` (comma, tab, and the
/// delimiter sniffed from the first line) and loaded with `--lexicon FILE`.
///
/// Checks that each load gives either a lexicon or an error, never a panic.
/// A lexicon has entries, a name from the file name, distinct columns named
/// `lexicon_...`, a primary column among them, and scores its own words
/// consistently (counts and sums equal what its hits report). An error for a
/// line names a line that exists and is not blank, quotes what is on it,
/// and says the line number in its message; an encoding error names the
/// line of the first byte that is not UTF-8.
///
/// # Panics
/// When an invariant does not hold, with a message saying which.
pub fn lexicon(data: &[u8]) {
    for ext in ["csv", "tsv", "txt"] {
        let path = DIR.with(|dir| dir.path().join(format!("lexicon.{ext}")));
        std::fs::write(&path, data).expect("the fuzz checks cannot write a temporary file");
        let result = Lexicon::load(&LexiconSpec::File(path.clone()));
        // Removed before checking, so a failure leaves nothing behind.
        std::fs::remove_file(&path).ok();
        match result {
            Ok(lex) => check_lexicon(&lex, data),
            Err(e) => check_error(&e, &path, data),
        }
    }
}

thread_local! {
    /// A temporary folder per thread (removed when the thread ends), so
    /// that tests running in parallel never share a file.
    static DIR: tempfile::TempDir = tempfile::Builder::new()
        .prefix("lexiscope-fuzz-")
        .tempdir()
        .expect("the fuzz checks cannot make a temporary folder");
}

fn check_lexicon(lex: &Lexicon, data: &[u8]) {
    assert!(!lex.is_empty(), "a loaded lexicon has no entries");
    assert_eq!(lex.name(), "lexicon");
    let columns = lex.columns();
    assert!(!columns.is_empty(), "a lexicon without columns");
    for (i, c) in columns.iter().enumerate() {
        assert!(
            c.starts_with("lexicon_"),
            "column {c:?} is not named after the lexicon"
        );
        assert!(
            !columns[..i].contains(c),
            "column {c:?} appears twice: {columns:?}"
        );
    }
    assert!(lex.primary_column() < columns.len());
    assert!(!lex.reads_text() && !lex.is_vader());

    // Score the file's own words: the totals equal what the hits report.
    let text = String::from_utf8_lossy(data).to_lowercase();
    let words: Vec<&str> = text
        .split(|c: char| c == ',' || c == '\t' || c == '"' || c.is_whitespace())
        .filter(|w| !w.is_empty())
        .collect();
    let mut out = vec![f64::NAN; columns.len()];
    let mut hits = Vec::new();
    lex.score("", &words, &mut out, &mut |h| {
        assert!(h.score.is_finite(), "hit {:?} scores {}", h.word, h.score);
        hits.push((h.category.to_owned(), h.applied));
    });
    assert!(out
        .iter()
        .all(|v| !v.is_nan() || hits.iter().any(|h| h.1.is_infinite())));
    if columns.len() == 1 && columns[0] == "lexicon_score" {
        let sum = hits.iter().fold(0.0, |s, h| s + h.1);
        assert!(
            out[0] == sum || (out[0].is_nan() && sum.is_nan()),
            "score {} but hits add up to {sum}",
            out[0]
        );
    } else {
        let total: f64 = out.iter().sum();
        assert_eq!(
            total,
            hits.len() as f64,
            "category counts differ from the hits"
        );
    }
}

fn check_error(e: &SentimentError, path: &Path, data: &[u8]) {
    let message = e.to_string();
    assert!(
        message.contains(&path.display().to_string()),
        "the error does not name the file: {message}"
    );
    let body = data.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(data);
    match e {
        SentimentError::Encoding { line, .. } => {
            let valid = match std::str::from_utf8(body) {
                Ok(_) => panic!("valid UTF-8 called invalid: {message}"),
                Err(err) => err.valid_up_to(),
            };
            let expected = 1 + body[..valid].iter().filter(|&&b| b == b'\n').count();
            assert_eq!(*line, expected, "{message}");
        }
        SentimentError::Malformed { line, found, .. } => {
            let text =
                std::str::from_utf8(body).expect("a malformed line in a file that is not UTF-8");
            let lines: Vec<&str> = text.split('\n').collect();
            assert!(
                (1..=lines.len()).contains(line),
                "line {line} of {}: {message}",
                lines.len()
            );
            let content = lines[line - 1]
                .strip_suffix('\r')
                .unwrap_or(lines[line - 1]);
            assert!(
                !content.trim().is_empty(),
                "line {line} is blank: {message}"
            );
            assert!(
                content.contains(found.as_str()) || content.contains(&found.replace('"', "\"\"")),
                "{found:?} is not on line {line} ({content:?})"
            );
            assert!(message.contains(&format!("line {line}")), "{message}");
        }
        SentimentError::Empty { .. } => {}
        SentimentError::Io { .. } | SentimentError::EmptySpec => {
            panic!("unexpected error: {message}")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinary_and_broken_lexicons_pass() {
        for file in [
            &b"word,score\ngood,2\nbad,-1.5\n"[..],
            b"good\tjoy\nbad\tanger\n",
            b"abandon\tfear\t1\nabandon\tjoy\t0\n",
            b"\xEF\xBB\xBFword,sentiment\r\n\"a, b\",positive\r\n",
            b"good,2\nbad\n",
            b"a,\"unterminated\n",
            b"caf\xe9,1\n",
            b"",
            b"\n\n",
            b"a\0b,1\n",
        ] {
            lexicon(file);
        }
    }
}
