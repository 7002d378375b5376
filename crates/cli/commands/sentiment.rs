//! `lexiscope sentiment`: scores per document, sentence or line, as CSV.

use std::ops::Range;
use std::process::ExitCode;
use std::sync::Arc;

use lexiscope_report::Cell;
use lexiscope_sentiment::Lexicon;
use lexiscope_text::{sentences, Tokenizer};

use crate::args::{SentimentArgs, Unit};
use crate::config::{load_lexicons, InputConfig, RunConfig};
use crate::pipeline;
use crate::term::Console;

/// Where the units of a text lie in it: the whole text, its sentences, or
/// its lines (blank lines included, a final line break does not open an
/// extra line).
fn unit_ranges(text: &str, unit: Unit) -> Vec<Range<usize>> {
    match unit {
        Unit::Doc => std::iter::once(0..text.len()).collect(),
        Unit::Sentence => sentences(text).collect(),
        Unit::Line => {
            let body = text.strip_suffix('\n').unwrap_or(text);
            let mut at = 0;
            body.split('\n')
                .map(|l| {
                    let start = at;
                    at += l.len() + 1;
                    start..start + l.strip_suffix('\r').unwrap_or(l).len()
                })
                .collect()
        }
    }
}

/// Scores one unit with every lexicon into `out`: lexicons that read text
/// (VADER, AFINN) score the unit; token lexicons (Bing, a user's) score its
/// tokens as the tokenizer hands them over, with nothing copied.
pub fn score_unit(lexicons: &[Arc<Lexicon>], tok: &mut Tokenizer, unit: &str, out: &mut Vec<f64>) {
    zeroed(lexicons, out);
    let mut at = 0;
    for lex in lexicons {
        let width = lex.columns().len();
        if lex.reads_text() {
            lex.score(unit, &[], &mut out[at..at + width], &mut |_| {});
        }
        at += width;
    }
    if lexicons.iter().any(|l| !l.reads_text()) {
        tok.for_each_headed(unit, |w, head| score_token(lexicons, w, head, out));
    }
}

/// [`score_unit`] for token lexicons alone, which look up lower-cased
/// tokens: the unit's ASCII capitals are lowered in place first (see
/// [`Tokenizer::for_each_headed_lowering`]).
fn score_words_lowering(
    lexicons: &[Arc<Lexicon>],
    tok: &mut Tokenizer,
    unit: &mut str,
    out: &mut Vec<f64>,
) {
    zeroed(lexicons, out);
    tok.for_each_headed_lowering(unit, |w, head| score_token(lexicons, w, head, out));
}

/// `out` as zeros, one per column of `lexicons`.
fn zeroed(lexicons: &[Arc<Lexicon>], out: &mut Vec<f64>) {
    out.clear();
    out.resize(lexicons.iter().map(|l| l.columns().len()).sum(), 0.0);
}

/// Adds a token's values in each token lexicon to `out` (whose columns
/// are `lexicons`').
#[inline(always)]
fn score_token(lexicons: &[Arc<Lexicon>], w: &str, head: [u64; 2], out: &mut [f64]) {
    let mut at = 0;
    for lex in lexicons {
        // (Nothing for the lexicons that read text.)
        let width = lex.columns().len();
        lex.score_token_headed(w, head, &mut out[at..at + width]);
        at += width;
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
    // VADER reads capitals, AFINN its own tokens.
    let words_only = lexicons.iter().all(|l| !l.reads_text());
    let mut console = Console::new(run.quiet, input.total_bytes(), "sentiment");
    let stats = pipeline::run(
        corpus,
        run.threads,
        pipeline::Batching::Flat,
        Tokenizer::new,
        |tok, batch| {
            let mut rows: Vec<(String, Vec<Vec<f64>>)> = Vec::with_capacity(batch.docs.len());
            let mut scratch = Vec::new();
            for mut doc in batch.docs {
                let mut scores = Vec::new();
                // The units are found before any capital is lowered (a
                // sentence starts with one).
                for r in unit_ranges(&doc.text, unit) {
                    if words_only {
                        score_words_lowering(&lexicons, tok, &mut doc.text[r], &mut scratch);
                    } else {
                        score_unit(&lexicons, tok, &doc.text[r], &mut scratch);
                    }
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

    fn units(text: &str, unit: Unit) -> Vec<&str> {
        unit_ranges(text, unit)
            .into_iter()
            .map(|r| &text[r])
            .collect()
    }

    #[test]
    fn unit_splitting() {
        assert_eq!(units("a\n\nb\r\nc\n", Unit::Line), ["a", "", "b", "c"]);
        assert_eq!(units("", Unit::Line), [""]);
        assert_eq!(units("One. Two!", Unit::Sentence), ["One.", "Two!"]);
        assert_eq!(units("x", Unit::Doc), ["x"]);
    }

    #[test]
    fn word_lexicons_score_lowered_text_the_same() {
        let bing: Vec<Arc<Lexicon>> =
            vec![Arc::new(Lexicon::load(&"bing".parse().unwrap()).unwrap())];
        let text = "GREAT news. A Terrible, HORRIBLE day; Wonderful! It's NOT bad. \
                    Σ ÉCOLE won\u{2019}t FAIL";
        let mut tok = Tokenizer::new();
        let (mut a, mut b) = (Vec::new(), Vec::new());
        for unit in [Unit::Doc, Unit::Sentence, Unit::Line] {
            let mut lowered = text.to_string();
            for r in unit_ranges(text, unit) {
                score_unit(&bing, &mut tok, &text[r.clone()], &mut a);
                score_words_lowering(&bing, &mut tok, &mut lowered[r], &mut b);
                assert_eq!(a, b);
            }
        }
        score_unit(&bing, &mut tok, text, &mut a);
        // great, wonderful; terrible, horrible, bad, fail.
        assert_eq!(a, [2.0, 4.0]);
    }
}
