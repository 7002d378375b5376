//! `lexiscope freq`: word or n-gram counts as CSV on standard output.

use std::process::ExitCode;
use std::sync::Arc;

use lexiscope_freq::{tf_idf, CountOptions, Counts};
use lexiscope_report::{float_text, Cell};
use lexiscope_sentiment::Lexicon;
use lexiscope_stats::group_value;
use lexiscope_text::{sentences, Tokenizer};

use super::{count_cells, per_million};
use crate::args::FreqArgs;
use crate::config::{load_lexicons, usage, InputConfig, RunConfig, WordConfig};
use crate::pipeline;
use crate::term::Console;

/// Counts a batch of documents: tokens sentence by sentence, grouped by
/// the value of `by` when given.
pub fn count_batch(
    opts: &Arc<CountOptions>,
    by: Option<&str>,
    across_sentences: bool,
    tok: &mut Tokenizer,
    batch: crate::pipeline::Batch,
) -> Counts {
    let mut counts = Counts::new(opts.clone());
    count_into(&mut counts, by, across_sentences, tok, batch);
    counts.seal();
    counts
}

/// Adds a batch of documents to `counts` (see [`count_batch`]).
fn count_into(
    counts: &mut Counts,
    by: Option<&str>,
    across_sentences: bool,
    tok: &mut Tokenizer,
    batch: crate::pipeline::Batch,
) {
    let bigrams = counts.options().max_ngram >= 2;
    // Sentences only matter to n-grams.
    let sentences_needed = bigrams && !across_sentences;
    let mut batch = batch;
    for (k, doc) in batch.docs.iter_mut().enumerate() {
        if by.is_none() && !bigrams {
            // Counts alone (see `Counts::plain_doc`), unless stemming.
            if let Some(mut plain) = counts.plain_doc() {
                tok.for_each_headed_lowering(&mut doc.text, |w, head| plain.token_headed(w, head));
                plain.finish();
                continue;
            }
        }
        let group = by.map(|col| doc.meta.get(col).and_then(group_value).unwrap_or(""));
        let mut dc = counts.doc(batch.first + k as u64, group);
        if !sentences_needed {
            // Finding sentences needs the capitals; without them the
            // text's case can go (see `Tokenizer::for_each_headed_lowering`).
            tok.for_each_headed_lowering(&mut doc.text, |w, head| {
                dc.token_headed(w, head);
            });
        } else {
            for span in sentences(&doc.text) {
                dc.sentence();
                tok.for_each_headed(&doc.text[span], |w, head| {
                    dc.token_headed(w, head);
                });
            }
        }
        dc.finish();
    }
}

/// Distinct words a worker's counts may hold before it hands them over
/// (see [`count_kept`]): their tables and text take about 40 MB then.
const KEEP_TYPES: usize = 1 << 19;

/// Adds a batch's (or a worker's) counts to `total`; the first becomes it.
fn add_counts(total: &mut Option<Counts>, c: Counts) {
    match total {
        Some(t) => {
            t.merge(c);
        }
        None => *total = Some(c),
    }
}

/// Counts the words of `corpus` for `freq` without groups or n-grams,
/// each worker adding batch after batch to counts of its own and handing
/// them over when the batches run out, or sooner once they hold more than
/// `keep_types` distinct words (so that memory stays bounded on a corpus
/// of millions).  Word counts add up exactly in any order, and this
/// output is sorted by count and text alone, so which worker counted what
/// never shows.  Against counts made per batch and merged in order, a word
/// is added to a worker's table once rather than once a batch, and the
/// main thread merges a table per worker rather than one per batch.
/// (`--by` keeps its groups in order of first appearance, and n-grams are
/// logged per batch: they are counted per batch.)
fn count_kept(
    corpus: lexiscope_ingest::Corpus,
    threads: usize,
    batching: pipeline::Batching,
    opts: &Arc<CountOptions>,
    across_sentences: bool,
    keep_types: usize,
    on_tick: impl FnMut(pipeline::Tick<'_>),
) -> anyhow::Result<(Option<Counts>, lexiscope_ingest::IngestStats)> {
    let mut total = None;
    let stats = pipeline::run_keeping(
        corpus,
        threads,
        batching,
        || (Tokenizer::new(), None::<Counts>),
        |(tok, kept), batch| {
            let counts = kept.get_or_insert_with(|| Counts::new(opts.clone()));
            count_into(counts, None, across_sentences, tok, batch);
            if counts.types() > keep_types {
                kept.take()
            } else {
                None
            }
        },
        |(_, kept)| kept,
        |c| {
            add_counts(&mut total, c);
            Ok(())
        },
        on_tick,
    )?;
    Ok((total, stats))
}

/// Whether any document of a batch has the `--by` column, and otherwise
/// the metadata columns of its first document (for the error message).
#[derive(Debug, Default)]
struct ByColumn {
    found: bool,
    columns: Option<Vec<String>>,
}

impl ByColumn {
    fn of(batch: &crate::pipeline::Batch, col: &str) -> ByColumn {
        let found = batch.docs.iter().any(|d| d.meta.get(col).is_some());
        let columns = (!found)
            .then(|| batch.docs.first())
            .flatten()
            .map(|d| d.meta.columns().iter().map(|c| c.to_string()).collect());
        ByColumn { found, columns }
    }

    /// Adds a later batch's answer.
    fn add(&mut self, later: ByColumn) {
        self.found |= later.found;
        if self.columns.is_none() {
            self.columns = later.columns;
        }
    }

    /// The error for a `--by` column that no document has.
    fn missing(&self, col: &str) -> Option<String> {
        if self.found {
            return None;
        }
        let has = match self.columns.as_deref() {
            Some(cols) if !cols.is_empty() => {
                let quoted: Vec<String> = cols.iter().map(|c| format!("\"{c}\"")).collect();
                format!(
                    "the documents' other columns are: {} (the text column is not one of them)",
                    quoted.join(", ")
                )
            }
            _ => "the documents have no other columns (plain text files have none; \
                  --by needs CSV, TSV or JSON Lines input)"
                .to_string(),
        };
        Some(format!(
            "--by \"{col}\": no document has this column; {has}"
        ))
    }
}

/// Each lexicon's values of `term` scored alone, one per column, lexicon
/// after lexicon: what one occurrence of the term adds to a document's
/// scores in `lexiscope sentiment` (for a word lexicon exactly so; AFINN
/// scores the term as a text of its own, so its phrases are not met).
fn lexicon_values(lexicons: &[Arc<Lexicon>], term: &str, out: &mut Vec<f64>) {
    out.clear();
    for lex in lexicons {
        let at = out.len();
        out.resize(at + lex.columns().len(), 0.0);
        if lex.reads_text() {
            lex.score(term, &[], &mut out[at..], &mut |_| {});
        } else {
            // A word lexicon's own quick path, as `sentiment` counts a token.
            let head = lexiscope_text::words::head16(term.as_bytes());
            lex.score_token_headed(term, head, &mut out[at..]);
        }
    }
}

/// Scratch space for rows with lexicon columns (a block's, or `--by`'s
/// table's): the current term's values, and the text of each distinct
/// value met so far, formatted once (a lexicon has few: Bing's are 0 and
/// 1, AFINN's -5 to 5).
#[derive(Default)]
struct LexiconCells {
    values: Vec<f64>,
    texts: Vec<(u64, String)>,
}

impl LexiconCells {
    /// Distinct values whose text is kept, at most; others are formatted
    /// each time (a lexicon file of real-valued scores).
    const TEXTS: usize = 64;

    /// Cells of a row kept on the stack, at most (a lexicon of many
    /// categories takes a vector).
    const INLINE: usize = 16;

    /// Calls `write` with the cells of `term`'s row: `lead` (its count
    /// cells), then its values in `lexicons`.  (The cells are handed over
    /// on the stack rather than returned: returning them moved 400 bytes a
    /// row.)
    fn with_row<R>(
        &mut self,
        lexicons: &[Arc<Lexicon>],
        term: &str,
        lead: &[Cell<'_>],
        write: impl FnOnce(&[Cell<'_>]) -> R,
    ) -> R {
        lexicon_values(lexicons, term, &mut self.values);
        for &v in &self.values {
            let bits = v.to_bits();
            if self.texts.len() < Self::TEXTS && !self.texts.iter().any(|(b, _)| *b == bits) {
                self.texts.push((bits, float_text(v)));
            }
        }
        let texts = &self.texts;
        let cell = |v: f64| match texts.iter().find(|(b, _)| *b == v.to_bits()) {
            Some((_, text)) => Cell::Number(v, text),
            None => Cell::Float(v),
        };
        let n = lead.len() + self.values.len();
        if n <= Self::INLINE {
            let mut cells = [Cell::Empty; Self::INLINE];
            cells[..lead.len()].copy_from_slice(lead);
            for (c, &v) in cells[lead.len()..n].iter_mut().zip(&self.values) {
                *c = cell(v);
            }
            write(&cells[..n])
        } else {
            let mut cells = lead.to_vec();
            cells.extend(self.values.iter().map(|&v| cell(v)));
            write(&cells)
        }
    }
}

/// The lexicons `--lexicon` names, checked against the other options
/// before any input is read.
fn term_lexicons(a: &FreqArgs) -> anyhow::Result<Vec<Arc<Lexicon>>> {
    if a.lexicons.is_empty() {
        return Ok(Vec::new());
    }
    if a.ngram > 1 {
        return usage("--lexicon scores single words; use it without --ngram (or with --ngram 1)");
    }
    if a.words.stem {
        return usage(
            "--lexicon looks words up, and with --stem the terms are stems (\"happi\", not \"happy\"); drop one of the two",
        );
    }
    let lexicons = load_lexicons(&a.lexicons, &[])?;
    if let Some((name, _)) = a.lexicons.iter().zip(&lexicons).find(|(_, l)| l.is_vader()) {
        return usage(format!(
            "--lexicon {name}: VADER scores sentences (negation, intensifiers, capitals, \
             punctuation), not words alone; `lexiscope sentiment` scores it per document or \
             sentence, and `lexiscope report` lists the words behind it in sentiment_words.csv"
        ));
    }
    Ok(lexicons)
}

pub fn run(a: FreqArgs) -> anyhow::Result<ExitCode> {
    if a.ngram == 0 || a.ngram > 8 {
        return usage(format!("--ngram must be between 1 and 8 (got {})", a.ngram));
    }
    if a.by.is_some() && a.ngram > 1 {
        return usage("--by counts single words; use it without --ngram (or with --ngram 1)");
    }
    let lexicons = term_lexicons(&a)?;
    let lexicon_columns: Vec<&str> = lexicons
        .iter()
        .flat_map(|l| l.columns().iter().map(String::as_str))
        .collect();
    let input = InputConfig::from_args(&a.input)?;
    let words = WordConfig::from_args(&a.words)?;
    let run = RunConfig::from_args(&a.run)?;
    let corpus = input.open()?;
    let opts = Arc::new(CountOptions {
        max_ngram: a.ngram,
        stop_words: words.stop_words.clone(),
        stem: words.stem,
        doc_terms: false,
        mattr_window: 0,
        group_terms_at_merge: false,
    });
    let by = a.by.clone();
    let mut total = None;
    let mut by_column = ByColumn::default();
    let mut console = Console::new(run.quiet, input.total_bytes(), "freq");
    let batching = pipeline::Batching::Growing {
        // With one worker there is no last batch to wait for, and the
        // smaller batches would only add work per batch (3% more
        // instructions on the bundled corpus when every batch was merged).
        // Word counts merge exactly, so how the corpus is cut never shows
        // in `freq`'s output.
        expected: input.expected_record_bytes().filter(|_| run.threads > 1),
        taper: pipeline::Taper::Quarter,
    };
    let stats = if by.is_none() && a.ngram == 1 {
        let (counts, stats) = count_kept(
            corpus,
            run.threads,
            batching,
            &opts,
            words.across_sentences,
            KEEP_TYPES,
            |t| console.tick(t),
        )?;
        total = counts;
        stats
    } else {
        pipeline::run(
            corpus,
            run.threads,
            batching,
            Tokenizer::new,
            |tok, batch| {
                let seen = by.as_deref().map(|col| ByColumn::of(&batch, col));
                let counts = count_batch(&opts, by.as_deref(), words.across_sentences, tok, batch);
                (counts, seen)
            },
            |(c, seen)| {
                add_counts(&mut total, c);
                if let Some(seen) = seen {
                    by_column.add(seen);
                }
                Ok(())
            },
            |t| console.tick(t),
        )?
    };
    let total = total.unwrap_or_else(|| Counts::new(opts.clone()));
    drop(console);
    let outcome = super::read_outcome(&stats)?;
    let top = a.top.unwrap_or(usize::MAX);

    if let Some(by) = &a.by {
        // A name that no document has (a typo) would put every document
        // in one unnamed group.
        if let Some(msg) = (total.documents() > 0)
            .then(|| by_column.missing(by))
            .flatten()
        {
            return usage(msg);
        }
        let mut header = vec![by.as_str(), "term", "count", "doc_count", "per_million"];
        if a.tfidf {
            header.extend(["tf", "idf", "tf_idf"]);
        }
        header.extend(&lexicon_columns);
        let mut csv = super::stdout_csv(&header, a.excel)?;
        let mut lexicon_cells = LexiconCells::default();
        let groups: Vec<_> = total.groups().collect();
        let n_groups = groups.len() as u64;
        let groups_with = total.groups_holding();
        for (name, g) in &groups {
            let mut rows: Vec<(&str, u64, u64, f64, f64, f64)> = g
                .terms
                .iter()
                .map(|(t, c)| {
                    let x = tf_idf(c.count, g.tokens, n_groups, groups_with[t as usize]);
                    (
                        total.term(t),
                        c.count,
                        u64::from(c.docs),
                        x.tf,
                        x.idf,
                        x.tf_idf,
                    )
                })
                .collect();
            if a.tfidf {
                rows.sort_by(|x, y| y.5.total_cmp(&x.5).then_with(|| x.0.cmp(y.0)));
            } else {
                rows.sort_by(|x, y| y.1.cmp(&x.1).then_with(|| x.0.cmp(y.0)));
            }
            for (term, count, docs, tf, idf, ti) in rows.into_iter().take(top) {
                let mut cells = vec![
                    Cell::Str(name),
                    Cell::Str(term),
                    Cell::UInt(count),
                    Cell::UInt(docs),
                    Cell::Float(per_million(count, g.tokens)),
                ];
                if a.tfidf {
                    cells.extend([Cell::Float(tf), Cell::Float(idf), Cell::Float(ti)]);
                }
                lexicon_cells.with_row(&lexicons, term, &cells, |row| csv.write_row(row))?;
            }
        }
        super::finish_stdout(csv)?;
        return Ok(outcome);
    }

    let mut header = super::COUNT_HEADER.to_vec();
    header.extend(&lexicon_columns);
    let mut csv = super::stdout_csv(&header, a.excel)?;
    let tokens = total.tokens();
    if a.ngram == 1 {
        let mut ids = total.term_ids_sorted();
        ids.truncate(top);
        if lexicons.is_empty() {
            super::write_rows_ahead(
                &mut csv,
                &ids,
                |&t| total.prefetch_term(t),
                |w, _: &mut (), &t| {
                    w.write_row(&count_cells(total.term(t), &total.term_cnt(t), tokens))
                },
            )?;
        } else {
            super::write_rows_ahead(
                &mut csv,
                &ids,
                |&t| total.prefetch_term(t),
                |w, cells: &mut LexiconCells, &t| {
                    let (term, c) = (total.term(t), total.term_cnt(t));
                    cells.with_row(&lexicons, term, &count_cells(term, &c, tokens), |row| {
                        w.write_row(row)
                    })
                },
            )?;
        }
    } else if a.ngram == 2 {
        let mut rows = total.bigrams_sorted();
        rows.truncate(top);
        // A bigram's text is made as it is written.
        super::write_rows(&mut csv, &rows, |w, text: &mut String, &(x, y, c)| {
            text.clear();
            total.push_bigram(x, y, text);
            w.write_row(&count_cells(text, &c, tokens))
        })?;
    } else {
        for (term, c) in total.ngrams_sorted(a.ngram).into_iter().take(top) {
            csv.write_row(&count_cells(&term, &c, tokens))?;
        }
    }
    super::finish_stdout(csv)?;
    Ok(outcome)
}

#[cfg(test)]
mod tests {
    use super::*;
    use lexiscope_ingest::{Corpus, IngestOptions};
    use lexiscope_text::{StopWordSource, StopWords};

    /// Every term's text, count and document count, in output order.
    fn rows(c: &Counts) -> Vec<(String, u64, u32)> {
        c.term_ids_sorted()
            .into_iter()
            .map(|t| {
                (
                    c.term(t).to_string(),
                    c.term_cnt(t).count,
                    c.term_cnt(t).docs,
                )
            })
            .collect()
    }

    #[test]
    fn counts_kept_by_workers_equal_counts_merged_batch_by_batch() {
        // 3,000 documents over a vocabulary that keeps growing (so that a
        // worker's counts pass a small `keep_types` again and again) and
        // words every document shares.
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("corpus.csv");
        let mut csv = String::from("text\n");
        let mut seed = 7u64;
        for d in 0..3000 {
            csv.push_str("\"The cat and the dog");
            for _ in 0..40 {
                seed = seed
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                let w = (seed >> 33) % (50 + d as u64 * 3);
                csv.push_str(&format!(" w{w} Word{}", w % 7));
            }
            csv.push_str(". End.\"\n");
        }
        std::fs::write(&path, &csv).unwrap();
        let open = || Corpus::open(std::slice::from_ref(&path), IngestOptions::default()).unwrap();
        let opts = Arc::new(CountOptions {
            max_ngram: 1,
            stop_words: StopWords::load(&StopWordSource::Snowball).unwrap(),
            stem: false,
            doc_terms: false,
            mattr_window: 0,
            group_terms_at_merge: false,
        });
        let batching = pipeline::Batching::Flat;

        // Per batch, merged in order: what `--by` and `--ngram` use.
        let mut ordered = None;
        pipeline::run(
            open(),
            1,
            batching,
            Tokenizer::new,
            |tok, batch| count_batch(&opts, None, false, tok, batch),
            |c| {
                add_counts(&mut ordered, c);
                Ok(())
            },
            |_| {},
        )
        .unwrap();
        let ordered = ordered.unwrap();
        assert_eq!(ordered.documents(), 3000);
        let want = rows(&ordered);
        assert!(want.len() > 5000, "{}", want.len());

        for (threads, keep) in [
            (1, usize::MAX),
            (2, usize::MAX),
            (2, 1000),
            (3, 100),
            (2, 0),
        ] {
            let (kept, stats) =
                count_kept(open(), threads, batching, &opts, false, keep, |_| {}).unwrap();
            let kept = kept.unwrap();
            assert_eq!(stats.documents_read, 3000);
            assert_eq!(kept.documents(), ordered.documents(), "{threads} {keep}");
            assert_eq!(kept.tokens(), ordered.tokens(), "{threads} {keep}");
            assert_eq!(
                kept.term_tokens(),
                ordered.term_tokens(),
                "{threads} {keep}"
            );
            assert_eq!(rows(&kept), want, "{threads} workers, keep {keep}");
        }
    }
}
