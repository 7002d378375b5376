//! `lexiscope kwic WORD`: keyword in context, CSV doc_id,left,keyword,right.

use std::ops::Range;
use std::process::ExitCode;

use lexiscope_report::Cell;
use lexiscope_text::Tokenizer;

use crate::args::KwicArgs;
use crate::config::{usage, InputConfig, RunConfig};
use crate::pipeline;
use crate::term::Console;

/// One word of the pattern: a token, optionally open at either end.
#[derive(Debug, Clone, PartialEq)]
struct Part {
    core: String,
    any_prefix: bool,
    any_suffix: bool,
}

impl Part {
    fn matches(&self, w: &str) -> bool {
        match (self.any_prefix, self.any_suffix) {
            (false, false) => w == self.core,
            (false, true) => w.starts_with(&self.core),
            (true, false) => w.ends_with(&self.core),
            (true, true) => w.contains(&self.core),
        }
    }
}

/// Parses WORD: one or more words separated by spaces, each normalised as
/// tokens are (lower case, apostrophes folded), with `*` allowed at either end.
fn parse_pattern(word: &str) -> anyhow::Result<Vec<Part>> {
    let mut tok = Tokenizer::new();
    let mut parts = Vec::new();
    for raw in word.split_whitespace() {
        let any_prefix = raw.starts_with('*');
        let any_suffix = raw.ends_with('*');
        let core_raw = raw.trim_matches('*');
        let core = if core_raw.is_empty() {
            String::new()
        } else {
            let toks = tok.tokens(core_raw);
            if toks.len() != 1 {
                return usage(format!(
                    "`{raw}` in WORD is not a single word token (it splits into {}); search for its parts as a phrase, e.g. \"{}\"",
                    toks.len(),
                    toks.join(" ")
                ));
            }
            toks.into_iter().next().unwrap_or_default()
        };
        parts.push(Part {
            core,
            any_prefix,
            any_suffix,
        });
    }
    if parts.is_empty() {
        return usage("WORD is empty; give the word to look for");
    }
    Ok(parts)
}

/// Collapses white space so a context fits on one line.
fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

type Line = (String, String, String, String);

fn find(
    tok: &mut Tokenizer,
    id: &str,
    text: &str,
    parts: &[Part],
    window: usize,
    out: &mut Vec<Line>,
) {
    let mut spans: Vec<Range<usize>> = Vec::new();
    let mut starts: Vec<usize> = Vec::new();
    let mut all: Vec<String> = Vec::new();
    tok.for_each_span(text, |r, w| {
        spans.push(r);
        all.push(w.to_string());
    });
    let n = parts.len();
    if all.len() >= n {
        for i in 0..=all.len() - n {
            if parts.iter().zip(&all[i..i + n]).all(|(p, w)| p.matches(w)) {
                starts.push(i);
            }
        }
    }
    for i in starts {
        let first = spans[i].start;
        let last = spans[i + n - 1].end;
        let left_start = spans[i.saturating_sub(window)].start;
        let right_end = if window == 0 {
            last
        } else {
            spans[(i + n - 1 + window).min(spans.len() - 1)].end
        };
        let left = if window == 0 {
            ""
        } else {
            &text[left_start..first]
        };
        out.push((
            id.to_string(),
            one_line(left),
            one_line(&text[first..last]),
            one_line(&text[last..right_end]),
        ));
    }
}

pub fn run(a: KwicArgs) -> anyhow::Result<ExitCode> {
    let parts = parse_pattern(&a.word)?;
    let input = InputConfig::from_args(&a.input)?;
    let run = RunConfig::from_args(&a.run)?;
    let corpus = input.open()?;
    let window = a.window;
    let mut csv = super::stdout_csv(&["doc_id", "left", "keyword", "right"], a.excel)?;
    let mut console = Console::new(run.quiet, input.total_bytes(), "kwic");
    let stats = pipeline::run(
        corpus,
        run.threads,
        pipeline::Batching::Flat,
        Tokenizer::new,
        |tok, batch| {
            let mut lines = Vec::new();
            for doc in &batch.docs {
                find(tok, &doc.id, &doc.text, &parts, window, &mut lines);
            }
            lines
        },
        |lines| {
            for (id, l, k, r) in &lines {
                csv.write_row(&[Cell::Str(id), Cell::Str(l), Cell::Str(k), Cell::Str(r)])?;
            }
            Ok(())
        },
        |t| console.tick(t),
    )?;
    super::finish_table(csv, console, &stats)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kwic(word: &str, text: &str, window: usize) -> Vec<Line> {
        let parts = parse_pattern(word).unwrap();
        let mut out = Vec::new();
        find(&mut Tokenizer::new(), "d", text, &parts, window, &mut out);
        out
    }

    #[test]
    fn finds_words_with_context() {
        let t = "The refugees arrived.\nMany Refugees’ children, too.";
        let hits = kwic("refugees", t, 2);
        assert_eq!(
            hits.len(),
            2,
            "case-insensitive; the curly apostrophe is not part of the word"
        );
        assert_eq!(
            hits[0],
            (
                "d".into(),
                "The".into(),
                "refugees".into(),
                "arrived. Many".into()
            )
        );
        assert_eq!(
            hits[1],
            (
                "d".into(),
                "arrived. Many".into(),
                "Refugees".into(),
                "’ children, too".into()
            )
        );
        let hits = kwic("refugee*", t, 1);
        assert_eq!(hits.len(), 2);
        assert_eq!(
            (hits[1].1.as_str(), hits[1].3.as_str()),
            ("Many", "’ children")
        );
        assert!(kwic("refugee", t, 1).is_empty());
    }

    #[test]
    fn phrases_and_wildcards() {
        let t = "New York is not new. new york times";
        assert_eq!(kwic("new york", t, 0).len(), 2);
        assert_eq!(kwic("*ork", t, 0).len(), 2);
        assert_eq!(kwic("it's", "It’s here", 1)[0].2, "It’s");
    }

    #[test]
    fn bad_patterns() {
        assert!(parse_pattern("   ").is_err());
        assert!(parse_pattern("e-mail").is_err(), "splits into two tokens");
    }
}
