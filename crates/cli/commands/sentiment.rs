//! `lexiscope sentiment`: scores per document, sentence or line, as CSV.

use std::process::ExitCode;
use std::sync::Arc;

use lexiscope_report::Cell;
use lexiscope_sentiment::Lexicon;
use lexiscope_text::{sentences, Tokenizer};

use crate::args::{SentimentArgs, Unit};
use crate::config::{load_lexicons, InputConfig, RunConfig};
use crate::pipeline;
use crate::term::Console;

/// The units of a text: the whole text, its sentences, or its lines (blank
/// lines included, a final line break does not open an extra line).
pub fn units(text: &str, unit: Unit) -> Vec<&str> {
    match unit {
        Unit::Doc => vec![text],
        Unit::Sentence => sentences(text).map(|r| &text[r]).collect(),
        Unit::Line => {
            let body = text.strip_suffix('\n').unwrap_or(text);
            body.split('\n')
                .map(|l| l.strip_suffix('\r').unwrap_or(l))
                .collect()
        }
    }
}

/// A worker's scratch space: its tokenizer, and the tokens of the unit
/// being scored, copied end to end into one string.
#[derive(Default)]
pub struct Scratch {
    tok: Tokenizer,
    text: String,
    ends: Vec<usize>,
}

/// Scores one unit with every lexicon into `out`.
pub fn score_unit(
    lexicons: &[Arc<Lexicon>],
    scratch: &mut Scratch,
    unit: &str,
    out: &mut Vec<f64>,
) {
    out.clear();
    if lexicons.iter().all(|l| !l.reads_text()) {
        // Token lexicons only (Bing, a user's): each token is scored as the
        // tokenizer hands it over, with nothing copied.
        let widths: usize = lexicons.iter().map(|l| l.columns().len()).sum();
        out.resize(widths, 0.0);
        scratch.tok.for_each(unit, |w| {
            let mut at = 0;
            for lex in lexicons {
                let width = lex.columns().len();
                lex.score_token(w, &mut out[at..at + width]);
                at += width;
            }
        });
        return;
    }
    scratch.text.clear();
    scratch.ends.clear();
    if lexicons.iter().any(|l| !l.reads_text()) {
        let (text, ends) = (&mut scratch.text, &mut scratch.ends);
        scratch.tok.for_each(unit, |w| {
            text.push_str(w);
            ends.push(text.len());
        });
    }
    let mut start = 0;
    let refs: Vec<&str> = scratch
        .ends
        .iter()
        .map(|&end| {
            let w = &scratch.text[start..end];
            start = end;
            w
        })
        .collect();
    for lex in lexicons {
        let start = out.len();
        out.resize(start + lex.columns().len(), 0.0);
        lex.score(unit, &refs, &mut out[start..], &mut |_| {});
    }
}

pub fn run(a: SentimentArgs) -> anyhow::Result<ExitCode> {
    let input = InputConfig::from_args(&a.input)?;
    let run = RunConfig::from_args(&a.run)?;
    let lexicons = load_lexicons(&a.lexicons, &["vader"])?;
    let corpus = input.open()?;
    let mut header: Vec<&str> = vec!["doc_id", "unit"];
    for l in &lexicons {
        header.extend(l.columns().iter().map(String::as_str));
    }
    let mut csv = super::stdout_csv(&header, a.excel)?;
    let unit = a.unit;
    let mut console = Console::new(run.quiet, input.total_bytes(), "sentiment");
    let stats = pipeline::run(
        corpus,
        run.threads,
        Scratch::default,
        |w, batch| {
            let mut rows: Vec<(String, Vec<Vec<f64>>)> = Vec::with_capacity(batch.docs.len());
            let mut scratch = Vec::new();
            for doc in batch.docs {
                let mut scores = Vec::new();
                for u in units(&doc.text, unit) {
                    score_unit(&lexicons, w, u, &mut scratch);
                    scores.push(scratch.clone());
                }
                rows.push((doc.id, scores));
            }
            rows
        },
        |rows| {
            let mut cells: Vec<Cell<'_>> = Vec::new();
            for (id, units) in &rows {
                for (i, values) in units.iter().enumerate() {
                    cells.clear();
                    cells.push(Cell::Str(id));
                    cells.push(Cell::UInt(i as u64 + 1));
                    cells.extend(values.iter().map(|v| Cell::Float(*v)));
                    csv.write_row(&cells)?;
                }
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

    #[test]
    fn unit_splitting() {
        assert_eq!(units("a\n\nb\r\nc\n", Unit::Line), ["a", "", "b", "c"]);
        assert_eq!(units("", Unit::Line), [""]);
        assert_eq!(units("One. Two!", Unit::Sentence), ["One.", "Two!"]);
        assert_eq!(units("x", Unit::Doc), ["x"]);
    }
}
