//! `lexiscope report`: the whole analysis, written as CSV tables, charts,
//! an HTML dashboard and a manifest.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Instant;

use lexiscope_freq::{
    collocation, heaps_fit, keyness, top_tf_idf, zipf_fit, CountOptions, Counts, DocTermSpill,
    DocTerms, Idf, Keyness, TermId, TfIdfScratch,
};
use lexiscope_report::{
    bar_chart, diverging_bars, float_text, group_distribution, histogram, line_chart,
    push_float_text, small_multiples, time_series, zipf_chart, Cell, ChartEntry, ChartFormat,
    ChartText, CsvOptions, Dashboard, GroupStyle, HistogramOptions, LineOptions, LogLogFit, Panel,
    Period as ChartPeriod, ReportError, RowBlock, Series, TablePreview, TableWriter, Workbook,
};
use lexiscope_sentiment::Lexicon;
use lexiscope_stats::{
    DataFrame, DocTable, DocTableBuilder, FrameCell, FrameRows, SentimentMeasure, Value,
};
use rayon::prelude::*;
use serde_json::json;

use super::round;
use crate::analyze::{
    hit_parts, Analysis, ArcSums, Arcs, ColumnChoice, ColumnUse, HitAgg, Hits, HitsMerge, Worker,
    ALL_DOCUMENTS, ARC_BINS,
};
use crate::args::{ChartFormatArg, ReportArgs};
use crate::config::{load_lexicons, usage, InputConfig, RunConfig, WordConfig};
use crate::metaspill::{MetaReader, MetaSpill};
use crate::outdir::{
    interrupted_during_commit, is_plain_relative, Staging, INDEX, INTERRUPTED_EXIT, MANIFEST,
};
use crate::pipeline;
use crate::term::{note, thousands, Console};

/// Rows shown per table in the dashboard.
const PREVIEW_ROWS: usize = 50;

/// The tables, in the order of the dashboard and of report.xlsx's sheets
/// (each sheet is named after its file).
const TABLES: [(&str, &str); 10] = [
    ("Summary", "summary.csv"),
    ("Terms", "terms.csv"),
    ("Bigrams", "bigrams.csv"),
    ("Documents", "documents.csv"),
    ("Groups", "groups.csv"),
    ("Timeline", "timeline.csv"),
    ("Sentiment words", "sentiment_words.csv"),
    ("tf-idf per document", "tfidf.csv"),
    ("Keyness per group", "keyness.csv"),
    ("Collocations", "collocations.csv"),
];

/// The workbook written beside the CSV files.
const WORKBOOK: &str = "report.xlsx";

/// A table's sheet name in report.xlsx: its file name without `.csv`.
fn sheet_name(file: &str) -> &str {
    file.strip_suffix(".csv").unwrap_or(file)
}

/// Everything merged from the workers.
struct Merged {
    counts: Counts,
    spill: DocTermSpill,
    meta: MetaSpill,
    table: DocTableBuilder,
    hits: Vec<HitsMerge>,
    arcs: Arcs,
    columns: ColumnUse,
}

/// A file written, with its data rows (None for images and pages).
struct Written {
    path: PathBuf,
    rows: Option<u64>,
}

fn positive_threshold(lex: &Lexicon) -> (f64, f64) {
    // VADER's own cut-offs for its compound score; zero for the others.
    if lex.is_vader() {
        (0.05, -0.05)
    } else {
        (f64::MIN_POSITIVE, -f64::MIN_POSITIVE)
    }
}

/// The column that carries "the" sentiment of a document for the charts:
/// the primary column of the first lexicon, or for a lexicon with positive
/// and negative counts, both (charted as their difference).
fn primary_measure(lex: &Lexicon) -> SentimentMeasure {
    let (pos, neg) = positive_threshold(lex);
    SentimentMeasure {
        column: lex.columns()[lex.primary_column()].clone(),
        positive_at: pos,
        negative_at: neg,
    }
}

pub fn run(a: ReportArgs) -> anyhow::Result<ExitCode> {
    let started = Instant::now();
    crate::outdir::install_interrupt_handler();
    let input = InputConfig::from_args(&a.input)?;
    let words = WordConfig::from_args(&a.words)?;
    let run = RunConfig::from_args(&a.run)?;
    let lexicons = load_lexicons(&a.lexicons, &["vader", "afinn", "bing"])?;
    if a.top == 0 {
        return usage("--top must be at least 1");
    }
    let formats: Vec<ChartFormat> = {
        let mut f: Vec<ChartFormat> = a
            .format
            .iter()
            .map(|f| match f {
                ChartFormatArg::Png => ChartFormat::Png,
                ChartFormatArg::Svg => ChartFormat::Svg,
            })
            .collect();
        f.dedup();
        f
    };
    let out_dir = a.output.clone();
    if out_dir.exists() && !out_dir.is_dir() {
        return usage(format!(
            "-o {}: this is a file, not a folder",
            out_dir.display()
        ));
    }
    let corpus = input.open()?;
    let csv_opts = CsvOptions {
        neutralize_formulas: !a.no_formula_guard,
        bom: a.excel,
    };

    let analysis = Analysis {
        count_opts: Arc::new(CountOptions {
            max_ngram: 2,
            stop_words: words.stop_words.clone(),
            stem: words.stem,
            doc_terms: true,
            mattr_window: 100,
            group_terms_at_merge: true,
        }),
        lexicons: lexicons.clone(),
        group: if a.no_groups {
            ColumnChoice::Off
        } else {
            a.group_by
                .clone()
                .map_or(ColumnChoice::Detect, ColumnChoice::Named)
        },
        date: a
            .date_col
            .clone()
            .map_or(ColumnChoice::Detect, ColumnChoice::Named),
        across_sentences: words.across_sentences,
    };
    let mut merged = Merged {
        counts: Counts::new(analysis.count_opts.clone()),
        spill: DocTermSpill::new()?,
        meta: MetaSpill::new()?,
        table: DocTableBuilder::new(analysis.sentiment_columns()),
        hits: vec![HitsMerge::default(); lexicons.len()],
        arcs: Arcs::default(),
        columns: ColumnUse::default(),
    };
    let mut console = Console::new(run.quiet, input.total_bytes(), "report");
    let mut merge_time = std::time::Duration::ZERO;
    let stats = pipeline::run(
        corpus,
        run.threads,
        // The report's batches cost more apiece than `freq`'s (a new word
        // table, rows), so they shrink only to half of what is left (see
        // `Batching::Growing`), whatever `-j` says: sums of floats merge
        // batch by batch, and the cut must not depend on the thread count.
        pipeline::Batching::Growing {
            expected: input.expected_record_bytes(),
            taper: pipeline::Taper::Half,
        },
        Worker::default,
        |w, batch| analysis.run(w, batch),
        |b| {
            let merge_started = Instant::now();
            for d in merged.counts.merge(b.counts) {
                merged.spill.push(&d)?;
            }
            for (row, meta) in b.rows.into_iter().zip(&b.metas) {
                merged.meta.push_meta(meta)?;
                merged.table.push(row);
            }
            for (mine, theirs) in merged.hits.iter_mut().zip(b.hits) {
                mine.add(theirs);
            }
            merged.arcs.merge(b.arcs);
            merged.columns.merge(b.columns);
            merge_time += merge_started.elapsed();
            Ok(())
        },
        |t| console.tick(t),
    )?;
    let t_read = started.elapsed();
    let hits: Vec<Hits> = std::mem::take(&mut merged.hits)
        .into_iter()
        .map(HitsMerge::finish)
        .collect();
    let outcome = super::read_outcome(&stats)?;
    // Written into a hidden folder first; moved into place at the end.
    let staging = Staging::new(&out_dir)?;
    let dir = staging.dir().to_path_buf();
    // report.xlsx only for --excel: packing it costs about as much as all
    // the CSV tables together.
    let sheet_order: Vec<&str> = TABLES.iter().map(|t| sheet_name(t.1)).collect();
    let book = a
        .excel
        .then(|| Workbook::new(dir.join(WORKBOOK), &sheet_order));

    // Names the user gave that no document has.
    let mut notes: Vec<String> = Vec::new();
    if let Some(g) = &a.group_by {
        if merged.columns.group_cols.is_empty() {
            notes.push(format!(
                "--group-by {g}: no document has a value in this column, so there are no groups"
            ));
        }
    }
    if let Some(d) = &a.date_col {
        if merged.columns.date_cols.is_empty() {
            notes.push(format!(
                "--date-col {d}: no document has a value in this column, so there is no timeline"
            ));
        }
    }
    if merged.columns.dates_unparsed > 0 {
        notes.push(format!(
            "{} document(s) have a date that could not be read; they are left out of the timeline",
            thousands(merged.columns.dates_unparsed)
        ));
    }

    console.progress.stage("tables");
    let t0 = Instant::now();
    let group_name = if merged.columns.group_cols.is_empty() {
        None
    } else if merged.columns.grouped_by_url > 0 && merged.columns.grouped_plain == 0 {
        Some("outlet")
    } else {
        Some("group")
    };
    let date_name = (!merged.columns.date_cols.is_empty()).then_some("date");
    let meta_columns: Vec<String> = merged
        .meta
        .columns()
        .iter()
        .map(|c| c.to_string())
        .collect();
    let reserved: Vec<&str> = meta_columns.iter().map(String::as_str).collect();
    let table = std::mem::take(&mut merged.table).finish(group_name, date_name, &reserved)?;
    // tf-idf, the longest table, starts now, while the other tables wait
    // for the terms and bigrams to be sorted.
    let tfidf_ctx = Ctx {
        dir: &dir,
        csv: csv_opts,
        book: book.as_ref(),
        counts: &merged.counts,
        table: &table,
        lexicons: &lexicons,
        top: a.top,
        terms: Vec::new(),
        bigrams: Vec::new(),
        token_counts: Vec::new(),
    };
    let doc_terms = merged.spill;
    let mut tfidf = None;
    let rest = rayon::in_place_scope(|s| {
        s.spawn(|_| tfidf = Some((tfidf_ctx.write_tfidf(doc_terms), t0.elapsed())));
        (|| -> anyhow::Result<_> {
            let primary = &lexicons[0];
            let measure = primary_measure(primary);
            let groups_df = table.groups(Some(&measure))?;
            let timeline = table.timeline(Some(&measure))?;

            let (terms, (bigrams, token_counts)) = rayon::join(
                || merged.counts.terms_sorted(),
                || {
                    rayon::join(
                        || merged.counts.bigrams_sorted(),
                        || merged.counts.surface_counts_desc(),
                    )
                },
            );
            let ctx = Ctx {
                terms,
                bigrams,
                token_counts,
                ..tfidf_ctx
            };
            let group_terms = ctx.group_terms();
            // The metadata spill file is read once, by the documents job.
            let meta = std::sync::Mutex::new(Some(merged.meta));
            let jobs: Vec<Box<dyn Fn() -> anyhow::Result<Written> + Send + Sync + '_>> = vec![
                Box::new(|| ctx.write_terms()),
                Box::new(|| ctx.write_bigrams()),
                Box::new(|| ctx.write_collocations(a.min_collocation)),
                Box::new(|| ctx.write_sentiment_words(&hits)),
                Box::new(|| ctx.write_keyness(&group_terms)),
                Box::new(|| {
                    let meta = meta
                        .lock()
                        .map_err(|_| anyhow::anyhow!("documents job poisoned"))?
                        .take()
                        .ok_or_else(|| anyhow::anyhow!("documents.csv written twice"))?;
                    let mut reader = meta.into_reader()?;
                    ctx.write_frame_with(
                        table.frame(),
                        "documents.csv",
                        Some((&meta_columns, &mut reader)),
                        &[],
                    )
                }),
                Box::new(|| match &groups_df {
                    Some(df) => ctx.write_frame(
                        df,
                        "groups.csv",
                        &[
                            ("top_terms", &group_terms.top),
                            ("key_terms", &group_terms.key),
                        ],
                    ),
                    None => ctx.write_empty(
                        "groups.csv",
                        &[group_name.unwrap_or("group"), "documents", "tokens"],
                    ),
                }),
                Box::new(|| match &timeline {
                    Some((_, df)) => ctx.write_frame(df, "timeline.csv", &[]),
                    None => ctx.write_empty("timeline.csv", &["period", "documents", "tokens"]),
                }),
            ];
            let SummaryOut {
                rows: summary_rows,
                zipf,
                heaps,
            } = ctx.summary_rows(&stats, &console.warnings.all)?;
            // The charts are drawn while the tables are written; the
            // workbook is packed (zip-compressed) once tf-idf is written too.
            console.progress.stage("tables and charts");
            let ((results, summary, t_tables), (charts, t_charts)) = rayon::join(
                || {
                    let results: Vec<anyhow::Result<Written>> =
                        jobs.par_iter().map(|j| j()).collect();
                    let summary = ctx.write_summary(&summary_rows);
                    (results, summary, t0.elapsed())
                },
                || {
                    let t = Instant::now();
                    let charts = ctx.charts(
                        &formats,
                        &measure,
                        timeline.as_ref(),
                        &hits,
                        &merged.arcs,
                        &group_terms,
                        zipf,
                    );
                    (charts, t.elapsed())
                },
            );
            drop(jobs);
            Ok((
                measure, groups_df, timeline, heaps, results, summary, t_tables, charts, t_charts,
            ))
        })()
    });
    let (measure, groups_df, timeline, heaps, results, summary, t_tables, charts, t_charts) = rest?;
    let (tfidf, t_tfidf) = tfidf.ok_or_else(|| anyhow::anyhow!("tf-idf table not written"))?;
    let t_tables = t_tables.max(t_tfidf);
    // report.xlsx is packed once every table has filled its sheet.
    let t = Instant::now();
    let saved = book.as_ref().map(Workbook::save).transpose();
    let t_workbook = t.elapsed();
    let mut written: Vec<Written> = vec![tfidf?];
    for r in results {
        written.push(r?);
    }
    written.push(summary?);
    let sheets = saved?.unwrap_or_default();
    notes.extend(
        sheets
            .iter()
            .filter_map(|s| s.warning(&format!("{WORKBOOK}, {}.csv", s.name))),
    );
    if book.is_some() {
        written.push(Written {
            path: dir.join(WORKBOOK),
            rows: None,
        });
    }
    for c in &charts {
        if let ChartEntry::Chart { image, .. } = c {
            written.push(Written {
                path: dir.join(image),
                rows: None,
            });
        }
    }

    console.progress.stage("dashboard");
    let t0 = Instant::now();
    let mut settings: Vec<(String, String)> = vec![
        ("inputs".into(), input.names().join(", ")),
        ("stop words".into(), words.stop_source.to_string()),
        (
            "stemming".into(),
            if words.stem {
                "Snowball (English)"
            } else {
                "off"
            }
            .into(),
        ),
        (
            "lexicons".into(),
            lexicons
                .iter()
                .map(|l| l.name().to_string())
                .collect::<Vec<_>>()
                .join(", "),
        ),
        (
            "group column".into(),
            if merged.columns.group_cols.is_empty() {
                "none".into()
            } else {
                merged.columns.group_cols.join(", ")
            },
        ),
        (
            "date column".into(),
            if merged.columns.date_cols.is_empty() {
                "none".into()
            } else {
                merged.columns.date_cols.join(", ")
            },
        ),
        (
            "timeline period".into(),
            timeline
                .as_ref()
                .map_or("none".into(), |(p, _)| p.name().to_string()),
        ),
        ("threads".into(), run.threads.to_string()),
        ("top".into(), a.top.to_string()),
        (
            "formula guard".into(),
            if a.no_formula_guard { "off" } else { "on" }.into(),
        ),
        (
            "for Excel (--excel)".into(),
            if a.excel {
                "report.xlsx, byte-order mark on CSV files"
            } else {
                "off"
            }
            .into(),
        ),
        ("lexiscope".into(), env!("CARGO_PKG_VERSION").into()),
    ];
    if let Some(h) = heaps {
        settings.push(("Heaps' law".into(), format!("V = {:.2} N^{:.3}", h.0, h.1)));
    }
    let mut tables = Vec::new();
    for (name, file) in TABLES {
        let path = dir.join(file);
        // The writers counted their rows: only the head is read back.
        let rows = written.iter().find(|w| w.path == path).and_then(|w| w.rows);
        tables.push(match rows {
            Some(n) => TablePreview::from_csv_head(name, &path, file, PREVIEW_ROWS, n)?,
            None => TablePreview::from_csv(name, &path, file, PREVIEW_ROWS)?,
        });
    }
    let mut dash_warnings = notes.clone();
    dash_warnings.extend(console.warnings.all.iter().take(200).cloned());
    if console.warnings.len() > 200 {
        dash_warnings.push(format!(
            "... and {} more warnings (see manifest.json)",
            console.warnings.len() - 200
        ));
    }
    let headline = headline(
        &merged.counts,
        &table,
        &stats,
        &measure,
        groups_df.as_ref(),
        timeline.as_ref(),
    );
    let dashboard = Dashboard {
        title: "Lexiscope report".into(),
        subtitle: format!(
            "{} documents from {} · stop words: {} · lexicons: {}",
            thousands(table.len() as u64),
            input.names().join(", "),
            words.stop_source,
            lexicons
                .iter()
                .map(|l| l.name().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        ),
        headline,
        charts,
        tables,
        workbook: book.is_some().then(|| WORKBOOK.into()),
        settings: settings.clone(),
        warnings: dash_warnings,
    };
    dashboard.write(dir.join(INDEX))?;
    written.push(Written {
        path: dir.join(INDEX),
        rows: None,
    });
    let t_dash = t0.elapsed();

    // Manifest.
    let total = started.elapsed();
    let relative: Vec<PathBuf> = written
        .iter()
        .map(|w| w.path.strip_prefix(&dir).unwrap_or(&w.path).to_path_buf())
        .collect();
    if let Some(bad) = relative.iter().find(|p| !is_plain_relative(p)) {
        anyhow::bail!(
            "internal error: {} would be written outside the output folder",
            bad.display()
        );
    }
    let files: Vec<serde_json::Value> = written
        .iter()
        .zip(&relative)
        .map(|(w, rel)| {
            let rel = rel.display().to_string();
            match w.rows {
                Some(r) => json!({ "path": rel, "rows": r }),
                None if rel == WORKBOOK => json!({
                    "path": rel,
                    "sheets": sheets.iter().map(|s| json!({
                        "name": s.name,
                        "rows": s.rows,
                        "rows_left_out": s.rows_left_out,
                        "cells_cut": s.cells_cut,
                    })).collect::<Vec<_>>(),
                }),
                None => json!({ "path": rel }),
            }
        })
        .collect();
    let manifest = json!({
        "tool": "lexiscope",
        "version": env!("CARGO_PKG_VERSION"),
        "inputs": input.names(),
        "options": settings.iter().map(|(k, v)| (k.clone(), json!(v))).collect::<serde_json::Map<_, _>>(),
        "counts": {
            "documents": table.len(),
            "documents_skipped": stats.documents_skipped,
            "files_read": stats.files_read,
            "files_skipped": stats.files_skipped,
            "decoded_with_fallback": stats.decoded_with_fallback,
            "bytes_read": stats.bytes_read,
            "tokens": merged.counts.tokens(),
            "types": merged.counts.types(),
            "terms": merged.counts.term_tokens(),
        },
        "warnings": console.warnings.all.iter().chain(notes.iter()).collect::<Vec<_>>(),
        "timings_ms": {
            "read_and_analyse": t_read.as_millis() as u64,
            "of_which_merging": merge_time.as_millis() as u64,
            "tables": t_tables.as_millis() as u64,
            "charts": t_charts.as_millis() as u64,
            "of_which_workbook": t_workbook.as_millis() as u64,
            "dashboard": t_dash.as_millis() as u64,
            "total": total.as_millis() as u64,
        },
        "files": files,
    });
    lexiscope_report::atomic_write(
        dir.join(MANIFEST),
        serde_json::to_string_pretty(&manifest)?.as_bytes(),
    )?;
    let mut relative = relative;
    relative.push(PathBuf::from(MANIFEST));
    staging.commit(&relative)?;
    drop(console);

    for n in &notes {
        note(false, &format!("note: {n}"));
    }
    note(
        run.quiet,
        &format!(
            "lexiscope report: {} documents, {} tokens, {} types in {:.2} s\n  wrote {} tables, {}{} charts, index.html and manifest.json to {}\n  open {}",
            thousands(table.len() as u64),
            thousands(merged.counts.tokens()),
            thousands(merged.counts.types() as u64),
            total.as_secs_f64(),
            written.iter().filter(|w| w.rows.is_some()).count(),
            if book.is_some() { "report.xlsx, " } else { "" },
            written.iter().filter(|w| w.path.starts_with(dir.join("charts"))).count(),
            out_dir.display(),
            out_dir.join(INDEX).display()
        ),
    );
    if interrupted_during_commit() {
        note(
            false,
            "lexiscope: interrupted while the report was being moved into place; it was finished first",
        );
        return Ok(ExitCode::from(INTERRUPTED_EXIT as u8));
    }
    Ok(outcome)
}

fn headline(
    counts: &Counts,
    table: &DocTable,
    stats: &lexiscope_ingest::IngestStats,
    measure: &SentimentMeasure,
    groups: Option<&DataFrame>,
    timeline: Option<&(lexiscope_stats::Period, DataFrame)>,
) -> Vec<(String, String)> {
    let mut h = vec![
        ("Documents".to_string(), thousands(table.len() as u64)),
        ("Tokens".to_string(), thousands(counts.tokens())),
        (
            "Distinct words".to_string(),
            thousands(counts.types() as u64),
        ),
        (
            "Terms (no stop words)".to_string(),
            thousands(counts.term_tokens()),
        ),
    ];
    if let Ok(v) = table.values(&measure.column) {
        if !v.is_empty() {
            let mean = v.iter().sum::<f64>() / v.len() as f64;
            h.push((format!("Mean {}", measure.column), format!("{mean:.3}")));
            let pos = v.iter().filter(|x| **x >= measure.positive_at).count();
            h.push((
                "Positive documents".into(),
                format!("{:.0}%", 100.0 * pos as f64 / v.len() as f64),
            ));
        }
    }
    if let Some(g) = groups {
        h.push(("Groups".into(), thousands(g.height() as u64)));
    }
    if let Some((p, df)) = timeline {
        h.push((
            format!("{}s in timeline", capitalise(p.name())),
            thousands(df.height() as u64),
        ));
    }
    if stats.documents_skipped + stats.files_skipped > 0 {
        h.push((
            "Skipped".into(),
            format!(
                "{} files, {} rows",
                stats.files_skipped, stats.documents_skipped
            ),
        ));
    }
    h
}

/// A lexicon's name as people write it (VADER, AFINN, Bing).
fn display_name(lex: &Lexicon) -> String {
    match lex.name() {
        "vader" => "VADER".into(),
        "vader_news" => "VADER (news)".into(),
        "afinn" => "AFINN".into(),
        "bing" => "Bing".into(),
        other => other.to_string(),
    }
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next().map_or(String::new(), |f| {
        f.to_uppercase().collect::<String>() + c.as_str()
    })
}

/// A term that is key in a group (one row of keyness.csv).
struct KeyRow {
    term: String,
    count: u64,
    rest: u64,
    g2: f64,
    p: f64,
    log_ratio: f64,
}

/// The summary table and the fits the charts reuse.
struct SummaryOut {
    rows: Vec<(String, Value)>,
    zipf: Option<LogLogFit>,
    heaps: Option<(f64, f64)>,
}

/// Top and distinctive terms of each group, in the groups table's order.
struct GroupTerms {
    names: Vec<String>,
    top: Vec<String>,
    key: Vec<String>,
    /// Per group: its key terms, by G2.
    keyness: Vec<Vec<KeyRow>>,
    /// Per group: top terms by tf-idf with groups as documents.
    tfidf: Vec<Vec<(String, f64)>>,
}

struct Ctx<'a> {
    dir: &'a Path,
    csv: CsvOptions,
    /// report.xlsx (with --excel): every table also fills its sheet.
    book: Option<&'a Workbook>,
    counts: &'a Counts,
    table: &'a DocTable,
    lexicons: &'a [Arc<Lexicon>],
    top: usize,
    /// Terms, bigrams and all tokens sorted by count then text, computed once
    /// for the tables, the charts and the summary.
    terms: Vec<(&'a str, lexiscope_freq::Cnt)>,
    bigrams: Vec<(TermId, TermId, lexiscope_freq::Cnt)>,
    token_counts: Vec<u64>,
}

impl Ctx<'_> {
    /// Starts a CSV table and its sheet of report.xlsx.
    fn table(&self, file: &str, header: &[&str]) -> anyhow::Result<TableWriter> {
        let t = TableWriter::create(self.dir.join(file), header, &self.csv)?;
        Ok(match self.book {
            Some(book) => t.with_sheet(book.add_sheet(sheet_name(file), header)?),
            None => t,
        })
    }

    fn done(&self, t: TableWriter) -> anyhow::Result<Written> {
        let path = t.path().to_path_buf();
        let rows = t.finish()?;
        Ok(Written {
            path,
            rows: Some(rows),
        })
    }

    fn write_empty(&self, file: &str, header: &[&str]) -> anyhow::Result<Written> {
        let t = self.table(file, header)?;
        self.done(t)
    }

    /// terms.csv: term, count, doc_count, per_million.
    fn write_terms(&self) -> anyhow::Result<Written> {
        let mut t = self.table("terms.csv", &super::COUNT_HEADER)?;
        let tokens = self.counts.tokens();
        for (term, c) in &self.terms {
            t.write_row(&super::count_cells(term, c, tokens))?;
        }
        self.done(t)
    }

    /// bigrams.csv: as terms.csv, each bigram's text made in one reused
    /// string.
    fn write_bigrams(&self) -> anyhow::Result<Written> {
        let mut t = self.table("bigrams.csv", &super::COUNT_HEADER)?;
        let tokens = self.counts.tokens();
        let mut text = String::new();
        for (a, b, c) in &self.bigrams {
            text.clear();
            self.counts.push_bigram(*a, *b, &mut text);
            t.write_row(&super::count_cells(&text, c, tokens))?;
        }
        self.done(t)
    }

    fn write_collocations(&self, min: u64) -> anyhow::Result<Written> {
        let mut t = self.table(
            "collocations.csv",
            &[
                "term",
                "count",
                "first_count",
                "second_count",
                "pmi",
                "t_score",
            ],
        )?;
        let n = self.counts.term_tokens();
        let mut rows: Vec<(String, u64, u64, u64, f64, f64)> = self
            .counts
            .bigrams()
            .filter(|(_, _, c)| c.count >= min.max(1))
            .map(|(a, b, c)| {
                let (fa, fb) = (self.counts.term_cnt(a).count, self.counts.term_cnt(b).count);
                let m = collocation(c.count, fa, fb, n);
                (
                    format!("{} {}", self.counts.term(a), self.counts.term(b)),
                    c.count,
                    fa,
                    fb,
                    m.pmi,
                    m.t_score,
                )
            })
            .collect();
        rows.sort_by(|x, y| {
            y.4.total_cmp(&x.4)
                .then_with(|| y.1.cmp(&x.1))
                .then_with(|| x.0.cmp(&y.0))
        });
        for (term, c, fa, fb, pmi, ts) in &rows {
            t.write_row(&[
                Cell::Str(term),
                Cell::UInt(*c),
                Cell::UInt(*fa),
                Cell::UInt(*fb),
                Cell::Float(round(*pmi, 6)),
                Cell::Float(round(*ts, 6)),
            ])?;
        }
        self.done(t)
    }

    fn write_tfidf(&self, spill: DocTermSpill) -> anyhow::Result<Written> {
        let mut t = self.table(
            "tfidf.csv",
            &["doc_id", "term", "count", "tf", "idf", "tf_idf"],
        )?;
        let ids = self.table.frame().column("doc_id")?.str()?.clone();
        let idf = Idf::new(self.counts);
        // Each term's idf as text, made once: it fills a cell in every
        // document that ranks the term.
        let idf_text: Vec<String> = (0..self.counts.term_len() as u32)
            .into_par_iter()
            .map(|t| float_text(idf.get(t)))
            .collect();
        // Without a workbook sheet the rows are formatted on all cores, in
        // blocks appended in order; with one, document by document.
        let format = t.row_format();
        // One document's rows, each distinct tf (count over the document's
        // tokens: the top terms share a few counts) formatted once.
        let doc_rows = |d: &DocTerms,
                        (scratch, tf_text): &mut (TfIdfScratch, TextCache),
                        write: &mut dyn FnMut(&[Cell<'_>]) -> anyhow::Result<()>|
         -> anyhow::Result<()> {
            let id = ids.get(d.doc as usize).unwrap_or_default();
            let rows = top_tf_idf(&idf, d, self.top, scratch);
            tf_text.clear();
            for &(_, n, x) in &rows {
                tf_text.insert(n, x.tf);
            }
            for (term, n, x) in rows {
                write(&[
                    Cell::Str(id),
                    Cell::Str(self.counts.term(term)),
                    Cell::UInt(u64::from(n)),
                    Cell::Number(x.tf, tf_text.get(n)),
                    Cell::Number(x.idf, &idf_text[term as usize]),
                    Cell::Float(x.tf_idf),
                ])?;
            }
            Ok(())
        };
        let mut docs = spill.into_reader()?;
        match &format {
            Some(format) => {
                // Documents are read in order in chunks, each chunk's top
                // terms ranked and formatted on all cores. Pipelined: while
                // a chunk is formatted, the blocks of the one before are
                // written and the next one is read (both a single thread's
                // work, which alone left a core idle at the end of the
                // report).
                const CHUNK: usize = 1024;
                let mut read_chunk = || -> anyhow::Result<Vec<DocTerms>> {
                    Ok(docs.by_ref().take(CHUNK).collect::<Result<Vec<_>, _>>()?)
                };
                let format_chunk = |chunk: &[DocTerms]| -> anyhow::Result<Vec<RowBlock>> {
                    chunk
                        .par_chunks(64)
                        .map(|docs| -> anyhow::Result<RowBlock> {
                            let mut b = format.writer();
                            let mut scratch = Default::default();
                            for d in docs {
                                doc_rows(d, &mut scratch, &mut |cells| Ok(b.write_row(cells)?))?;
                            }
                            Ok(b.finish()?)
                        })
                        .collect()
                };
                let mut append = |blocks: Vec<RowBlock>| -> anyhow::Result<()> {
                    for b in blocks {
                        t.append(b)?;
                    }
                    Ok(())
                };
                let mut chunk = read_chunk()?;
                let mut formatted: Vec<RowBlock> = Vec::new();
                while !chunk.is_empty() {
                    let (blocks, (written, next)) = rayon::join(
                        || format_chunk(&chunk),
                        || (append(std::mem::take(&mut formatted)), read_chunk()),
                    );
                    written?;
                    formatted = blocks?;
                    chunk = next?;
                }
                append(formatted)?;
            }
            None => {
                let mut scratch = Default::default();
                for d in docs {
                    doc_rows(&d?, &mut scratch, &mut |cells| Ok(t.write_row(cells)?))?;
                }
            }
        }
        self.done(t)
    }

    fn write_sentiment_words(&self, hits: &[Hits]) -> anyhow::Result<Written> {
        let mut t = self.table(
            "sentiment_words.csv",
            &[
                "lexicon",
                "word",
                "sentiment",
                "score",
                "count",
                "contribution",
            ],
        )?;
        for (lex, h) in self.lexicons.iter().zip(hits) {
            let mut rows: Vec<(&str, &str, &HitAgg)> = h
                .iter()
                .map(|(k, v)| {
                    let (w, c) = hit_parts(k);
                    (w, c, v)
                })
                .collect();
            rows.sort_by(|a, b| {
                b.2.count
                    .cmp(&a.2.count)
                    .then_with(|| a.0.cmp(b.0))
                    .then_with(|| a.1.cmp(b.1))
            });
            for (w, c, v) in rows {
                t.write_row(&[
                    Cell::Str(lex.name()),
                    Cell::Str(w),
                    Cell::Str(c),
                    Cell::Float(v.score),
                    Cell::UInt(v.count),
                    Cell::Float(round(v.applied, 6)),
                ])?;
            }
        }
        self.done(t)
    }

    fn group_terms(&self) -> GroupTerms {
        let groups: Vec<(&str, &lexiscope_freq::GroupCounts)> = self.counts.groups().collect();
        let n_groups = groups.len() as u64;
        let groups_with = self.counts.groups_holding();
        let total = self.counts.term_tokens();
        let term = |t: TermId| self.counts.term(t);
        // Groups on all cores; in each only the few rows kept are sorted
        // in full and given their text.
        let per_group: Vec<_> = groups
            .par_iter()
            .map(|&(_, g)| {
                let mut by_count: Vec<(TermId, u64)> =
                    g.terms.iter().map(|(t, c)| (t, c.count)).collect();
                top_n(&mut by_count, 5, |a, b| {
                    b.1.cmp(&a.1).then_with(|| term(a.0).cmp(term(b.0)))
                });
                let mut key: Vec<(TermId, u64, u64, Keyness)> = g
                    .terms
                    .iter()
                    .filter(|(_, c)| c.count >= 5)
                    .map(|(t, c)| {
                        let all = self.counts.term_cnt(t).count;
                        let k =
                            keyness(c.count, all - c.count, g.term_tokens, total - g.term_tokens);
                        (t, c.count, all - c.count, k)
                    })
                    .filter(|r| r.3.g2 > 0.0)
                    .collect();
                top_n(&mut key, self.top, |a, b| {
                    b.3.g2
                        .total_cmp(&a.3.g2)
                        .then_with(|| term(a.0).cmp(term(b.0)))
                });
                let mut tfidf: Vec<(TermId, f64)> = g
                    .terms
                    .iter()
                    .map(|(t, c)| {
                        let x = lexiscope_freq::tf_idf(
                            c.count,
                            g.tokens,
                            n_groups,
                            groups_with[t as usize],
                        );
                        (t, x.tf_idf)
                    })
                    .filter(|r| r.1 > 0.0)
                    .collect();
                top_n(&mut tfidf, 10, |a, b| {
                    b.1.total_cmp(&a.1).then_with(|| term(a.0).cmp(term(b.0)))
                });
                let top = by_count
                    .iter()
                    .map(|r| term(r.0))
                    .collect::<Vec<_>>()
                    .join("; ");
                let key: Vec<KeyRow> = key
                    .into_iter()
                    .map(|(t, count, rest, k)| KeyRow {
                        term: term(t).to_string(),
                        count,
                        rest,
                        g2: k.g2,
                        p: k.p,
                        log_ratio: k.log_ratio,
                    })
                    .collect();
                let key_line = key
                    .iter()
                    .take(5)
                    .map(|r| r.term.as_str())
                    .collect::<Vec<_>>()
                    .join("; ");
                let tfidf = tfidf
                    .into_iter()
                    .map(|(t, x)| (term(t).to_string(), x))
                    .collect();
                (top, key_line, key, tfidf)
            })
            .collect();
        let mut out = GroupTerms {
            names: Vec::new(),
            top: Vec::new(),
            key: Vec::new(),
            keyness: Vec::new(),
            tfidf: Vec::new(),
        };
        for ((name, _), (top, key_line, key, tfidf)) in groups.iter().zip(per_group) {
            out.names.push(name.to_string());
            out.top.push(top);
            out.key.push(key_line);
            out.keyness.push(key);
            out.tfidf.push(tfidf);
        }
        out
    }

    fn write_keyness(&self, g: &GroupTerms) -> anyhow::Result<Written> {
        let mut t = self.table(
            "keyness.csv",
            &[
                "group",
                "term",
                "count",
                "count_rest",
                "g2",
                "p_value",
                "log_ratio",
            ],
        )?;
        for (name, rows) in g.names.iter().zip(&g.keyness) {
            for r in rows {
                t.write_row(&[
                    Cell::Str(name),
                    Cell::Str(&r.term),
                    Cell::UInt(r.count),
                    Cell::UInt(r.rest),
                    Cell::Float(round(r.g2, 6)),
                    Cell::Float(r.p),
                    Cell::Float(round(r.log_ratio, 6)),
                ])?;
            }
        }
        self.done(t)
    }

    /// Writes a DataFrame, with extra text columns appended (one value per row).
    fn write_frame(
        &self,
        df: &DataFrame,
        file: &str,
        extra: &[(&str, &Vec<String>)],
    ) -> anyhow::Result<Written> {
        self.write_frame_with(df, file, None, extra)
    }

    /// Writes a DataFrame; `splice` adds columns read row by row from the
    /// metadata spill after the frame's first column, `extra` text columns
    /// at the end.
    fn write_frame_with(
        &self,
        df: &DataFrame,
        file: &str,
        mut splice: Option<(&[String], &mut MetaReader)>,
        extra: &[(&str, &Vec<String>)],
    ) -> anyhow::Result<Written> {
        let cols = df.columns();
        let mut header: Vec<&str> = cols.iter().map(|c| c.name().as_str()).collect();
        if let Some((names, _)) = &splice {
            let at = header.len().min(1);
            header.splice(at..at, names.iter().map(String::as_str));
        }
        header.extend(extra.iter().map(|e| e.0));
        let mut t = self.table(file, &header)?;
        let mut spliced: Vec<Option<String>> = Vec::new();
        let mut rows = FrameRows::new(df)?;
        let mut values: Vec<FrameCell<'_>> = Vec::with_capacity(cols.len());
        let mut i = 0;
        while rows.next_row(&mut values)? {
            if let Some((_, reader)) = splice.as_mut() {
                if !reader.next_row(&mut spliced)? {
                    anyhow::bail!("document metadata ended before the documents");
                }
            }
            let mut cells: Vec<Cell<'_>> = Vec::with_capacity(header.len());
            // Values of other types (none today) are written as their text.
            cells.extend(values.iter().map(|v| match v {
                FrameCell::Null => Cell::Empty,
                FrameCell::Str(s) => Cell::Str(s),
                FrameCell::UInt(x) => Cell::UInt(*x),
                FrameCell::Int(x) => Cell::Int(*x),
                FrameCell::Float(x) => Cell::Float(round(*x, 6)),
                FrameCell::Other(o) => Cell::Str(o),
            }));
            if splice.is_some() {
                let at = cells.len().min(1);
                cells.splice(
                    at..at,
                    spliced
                        .iter()
                        .map(|v| v.as_deref().map_or(Cell::Empty, Cell::Str)),
                );
            }
            for (_, vals) in extra {
                cells.push(Cell::Str(vals.get(i).map_or("", String::as_str)));
            }
            t.write_row(&cells)?;
            i += 1;
        }
        self.done(t)
    }

    fn summary_rows(
        &self,
        stats: &lexiscope_ingest::IngestStats,
        warnings: &[String],
    ) -> anyhow::Result<SummaryOut> {
        let c = self.counts;
        let mut rows: Vec<(String, Value)> = Vec::new();
        let mut table = self.table.summary()?;
        // documents first, then reading figures, then counts.
        rows.push(table.remove(0));
        for (k, v) in [
            ("documents_skipped", stats.documents_skipped),
            ("files_read", stats.files_read),
            ("files_skipped", stats.files_skipped),
            ("decoded_with_fallback", stats.decoded_with_fallback),
            ("warnings", warnings.len() as u64),
            ("tokens", c.tokens()),
            ("types", c.types() as u64),
            ("hapaxes", c.hapaxes() as u64),
            ("terms", c.term_tokens()),
            ("distinct_terms", self.terms.len() as u64),
        ] {
            rows.push((k.to_string(), Value::Int(v)));
        }
        rows.push((
            "type_token_ratio".into(),
            Value::Float(if c.tokens() == 0 {
                f64::NAN
            } else {
                c.types() as f64 / c.tokens() as f64
            }),
        ));
        let zipf = zipf_fit(&self.token_counts, 10, 500);
        let mut zipf_chart_fit = None;
        if let Some(z) = zipf {
            rows.push(("zipf_slope".into(), Value::Float(z.slope)));
            rows.push(("zipf_intercept".into(), Value::Float(z.intercept)));
            rows.push(("zipf_r2".into(), Value::Float(z.r2)));
            zipf_chart_fit = Some(LogLogFit {
                slope: z.slope,
                intercept: z.intercept + (c.tokens() as f64).log10(),
                r_squared: z.r2,
            });
        }
        let heaps = heaps_fit(c.heaps_points());
        if let Some((k, beta, fit)) = heaps {
            rows.push(("heaps_k".into(), Value::Float(k)));
            rows.push(("heaps_beta".into(), Value::Float(beta)));
            rows.push(("heaps_r2".into(), Value::Float(fit.r2)));
        }
        rows.extend(table);
        Ok(SummaryOut {
            rows,
            zipf: zipf_chart_fit,
            heaps: heaps.map(|h| (h.0, h.1)),
        })
    }

    fn write_summary(&self, rows: &[(String, Value)]) -> anyhow::Result<Written> {
        let mut t = self.table("summary.csv", &["metric", "value"])?;
        for (k, v) in rows {
            let cell = match v {
                Value::Int(i) => Cell::UInt(*i),
                Value::Float(f) => Cell::Float(round(*f, 6)),
                Value::Text(s) => Cell::Str(s),
            };
            t.write_row(&[Cell::Str(k), cell])?;
        }
        self.done(t)
    }

    #[allow(clippy::too_many_arguments)]
    fn charts(
        &self,
        formats: &[ChartFormat],
        measure: &SentimentMeasure,
        timeline: Option<&(lexiscope_stats::Period, DataFrame)>,
        hits: &[Hits],
        arcs: &Arcs,
        gt: &GroupTerms,
        zipf: Option<LogLogFit>,
    ) -> Vec<ChartEntry> {
        let dir = self.dir;
        let stem = |name: &str| dir.join("charts").join(name);
        let col = measure.column.as_str();
        let lex = &self.lexicons[0];
        let top = self.top;
        let vader_like = lex.is_vader();
        let sentiment_range = if vader_like { Some((-1.0, 1.0)) } else { None };
        let doc_values = self.table.values(col).unwrap_or_default();
        type Job<'j> = Box<dyn Fn() -> ChartEntry + Send + Sync + 'j>;
        let entry = |title: &str, caption: &str, r: Result<Vec<PathBuf>, ReportError>| {
            ChartEntry::from_outcome(title, caption, &r, dir)
        };
        let missing = |title: &str, reason: &str| ChartEntry::Missing {
            title: title.into(),
            reason: reason.into(),
        };
        let group_col = self.table.group_column().map(str::to_string);
        let top_bars = |name: &str, heading: &str, caption: &str, rows: Vec<(&str, f64)>| {
            let title = format!(
                "Top {top} {}",
                heading.to_lowercase().trim_start_matches("top ")
            );
            let r = bar_chart(
                &stem(name),
                formats,
                &ChartText::new(&title, "Occurrences", ""),
                &rows,
            );
            entry(heading, caption, r)
        };
        let jobs: Vec<Job<'_>> = vec![
            Box::new(|| {
                top_bars(
                    "top_terms",
                    "Top terms",
                    "The most frequent words once stop words are removed (terms.csv).",
                    self.terms
                        .iter()
                        .take(top)
                        .map(|(t, c)| (*t, c.count as f64))
                        .collect(),
                )
            }),
            Box::new(|| {
                let texts: Vec<(String, f64)> = self
                    .bigrams
                    .iter()
                    .take(top)
                    .map(|&(a, b, c)| {
                        let mut text = String::new();
                        self.counts.push_bigram(a, b, &mut text);
                        (text, c.count as f64)
                    })
                    .collect();
                top_bars(
                    "top_bigrams",
                    "Top bigrams",
                    "Pairs of adjacent words within a sentence, neither a stop word (bigrams.csv).",
                    texts.iter().map(|(t, n)| (t.as_str(), *n)).collect(),
                )
            }),
            Box::new(|| {
                let mean = mean(&doc_values);
                let median = median(&doc_values);
                let opts = HistogramOptions {
                    bins: 40,
                    range: sentiment_range,
                    color_by_sign: true,
                    markers: vec![("Mean".into(), mean), ("Median".into(), median)],
                    ..HistogramOptions::default()
                };
                let r = histogram(
                    &stem("sentiment_distribution"),
                    formats,
                    &ChartText::new(
                        &format!("Distribution of document sentiment ({col})"),
                        col,
                        "Documents",
                    ),
                    &doc_values,
                    &opts,
                );
                entry(
                    "Sentiment distribution",
                    &format!(
                        "How documents spread over {col}; {}",
                        if vader_like {
                            "VADER's document score is the mean of its sentences' compound scores."
                        } else {
                            ""
                        }
                    ),
                    r,
                )
            }),
            Box::new(|| {
                let Some(g) = &group_col else {
                    return missing("Sentiment by group", "no group column: name one with --group-by, or give the documents an outlet/source/url column");
                };
                let by = group_values(self.table, g, col);
                if by.len() < 2 {
                    return missing(
                        "Sentiment by group",
                        "only one group: a comparison needs at least two",
                    );
                }
                let r = group_distribution(
                    &stem("sentiment_by_group"),
                    formats,
                    &ChartText::new(&format!("Document sentiment by {g}"), col, ""),
                    &by,
                    GroupStyle::BoxPlot,
                    true,
                );
                entry("Sentiment by group", "Each box spans the middle half of a group's documents; groups sorted by number of documents (groups.csv).", r)
            }),
            Box::new(|| {
                let Some((period, df)) = timeline else {
                    return missing("Sentiment over time", "no dates: name the date column with --date-col, or give the documents a date/published column");
                };
                let all_periods = timeline_periods(df, col);
                let (periods, left_out) = trim_stragglers(&all_periods);
                if periods.len() < 2 {
                    return missing(
                        "Sentiment over time",
                        "all dated documents fall in one period",
                    );
                }
                let r = time_series(
                    &stem("sentiment_over_time"),
                    formats,
                    &ChartText::new(
                        &format!("Mean {col} per {}", period.name()),
                        &format!("{} starting", capitalise(period.name())),
                        col,
                    ),
                    "Documents",
                    periods,
                );
                let mut caption = format!(
                    "Mean document sentiment per {} (line) and the number of documents (bars) (timeline.csv).",
                    period.name()
                );
                if left_out > 0 {
                    caption.push_str(&format!(
                        " {} stray document(s) dated far from the rest are left out of the chart (they are in timeline.csv); it shows {} to {}.",
                        left_out,
                        periods.first().map_or("", |p| p.label.as_str()),
                        periods.last().map_or("", |p| p.label.as_str())
                    ));
                }
                entry("Sentiment over time", &caption, r)
            }),
            Box::new(|| {
                let rows = contributions(&hits[0], 15);
                let r = diverging_bars(
                    &stem("sentiment_words"),
                    formats,
                    &ChartText::new(
                        &format!("Words that move {} scores most", display_name(lex)),
                        "Contribution to the score (sum over the corpus)",
                        "",
                    ),
                    &rows,
                );
                entry("Words driving sentiment", "Each word's summed contribution to the lexicon's scores, positive to the right, negative to the left (sentiment_words.csv).", r)
            }),
            Box::new(|| {
                let r = zipf_chart(
                    &stem("zipf"),
                    formats,
                    &ChartText::new("Zipf's law: rank against frequency", "Rank", "Occurrences"),
                    &self.token_counts,
                    zipf.as_ref(),
                );
                entry("Zipf's law", "Every distinct word by rank, both axes logarithmic; the line is fitted on ranks 11 to 499 as in Text Mining with R.", r)
            }),
            Box::new(|| {
                let lengths: Vec<f64> = self.table.values("tokens").unwrap_or_default();
                let opts = HistogramOptions {
                    bins: 40,
                    log_x: true,
                    markers: vec![("Median".into(), median(&lengths))],
                    ..HistogramOptions::default()
                };
                let r = histogram(
                    &stem("document_length"),
                    formats,
                    &ChartText::new("Document length", "Tokens (log scale)", "Documents"),
                    &lengths,
                    &opts,
                );
                entry(
                    "Document length",
                    "Tokens per document on a logarithmic axis; empty documents are left out.",
                    r,
                )
            }),
            Box::new(|| {
                if gt.names.len() < 2 {
                    return missing(
                        "Distinctive terms per group",
                        "tf-idf across groups needs at least two groups",
                    );
                }
                let panels: Vec<Panel> = gt
                    .names
                    .iter()
                    .zip(&gt.tfidf)
                    .map(|(n, rows)| Panel {
                        title: n.clone(),
                        bars: rows.clone(),
                    })
                    .collect();
                let r = small_multiples(
                    &stem("tfidf_by_group"),
                    formats,
                    "Highest tf-idf terms per group",
                    "tf-idf (groups as documents)",
                    &panels,
                );
                entry("Distinctive terms per group", "Terms with the highest tf-idf when each group is one document: frequent in the group, rare in the others.", r)
            }),
            Box::new(|| {
                let series = arc_series(arcs);
                if series.is_empty() {
                    return missing(
                        "Sentiment arcs",
                        "no document has a sentence with a sentiment score",
                    );
                }
                let r = line_chart(
                    &stem("sentiment_arcs"),
                    formats,
                    &ChartText::new(
                        &format!(
                            "Sentiment arc: mean {} sentence score by position in the document",
                            display_name(lex)
                        ),
                        "Position in the document",
                        "Mean sentence sentiment",
                    ),
                    &series,
                    &LineOptions::arcs(),
                );
                entry("Sentiment arcs", "Each document is cut into tenths; the line is the mean sentence sentiment in each tenth, over all documents and per group.", r)
            }),
            Box::new(|| {
                let values = self.table.values("flesch_reading_ease").unwrap_or_default();
                let opts = HistogramOptions {
                    bins: 40,
                    range: Some((-20.0, 120.0)),
                    markers: vec![("Median".into(), median(&values))],
                    ..HistogramOptions::default()
                };
                let r = histogram(
                    &stem("readability"),
                    formats,
                    &ChartText::new(
                        "Flesch reading ease per document",
                        "Flesch reading ease (higher is easier)",
                        "Documents",
                    ),
                    &values,
                    &opts,
                );
                entry("Readability", "Flesch reading ease of each document: 60-70 is plain English, below 30 is very difficult.", r)
            }),
            Box::new(|| {
                let categorical: Vec<&Arc<Lexicon>> = self
                    .lexicons
                    .iter()
                    .filter(|l| l.columns().len() > 2 && !l.reads_text())
                    .collect();
                let Some(l) = categorical.first() else {
                    return missing("Emotions", "no categorical lexicon: load one (e.g. the NRC Emotion Lexicon) with --lexicon FILE");
                };
                let bars: Vec<(String, f64)> = l
                    .columns()
                    .iter()
                    .map(|c| {
                        (
                            c.strip_prefix(&format!("{}_", l.name()))
                                .unwrap_or(c)
                                .to_string(),
                            self.table.values(c).map(|v| v.iter().sum()).unwrap_or(0.0),
                        )
                    })
                    .collect();
                let r = bar_chart(
                    &stem("emotions"),
                    formats,
                    &ChartText::new(
                        &format!("Words per category ({})", l.name()),
                        "Matched words",
                        "",
                    ),
                    &bars,
                );
                entry(
                    "Emotions",
                    "How many words of the corpus fall in each category of the lexicon.",
                    r,
                )
            }),
        ];
        jobs.par_iter().map(|j| j()).collect()
    }
}

/// Keeps the first `n` of `v` in `order` (a total order), sorted: the same
/// rows as sorting all of `v` and truncating, without sorting the rest.
fn top_n<T>(v: &mut Vec<T>, n: usize, order: impl Fn(&T, &T) -> std::cmp::Ordering) {
    if n == 0 {
        v.clear();
        return;
    }
    if v.len() > n {
        v.select_nth_unstable_by(n - 1, &order);
        v.truncate(n);
    }
    v.sort_by(&order);
}

fn mean(v: &[f64]) -> f64 {
    if v.is_empty() {
        f64::NAN
    } else {
        v.iter().sum::<f64>() / v.len() as f64
    }
}

fn median(v: &[f64]) -> f64 {
    let mut s: Vec<f64> = v.iter().copied().filter(|x| x.is_finite()).collect();
    if s.is_empty() {
        return f64::NAN;
    }
    s.sort_by(f64::total_cmp);
    let n = s.len();
    if n % 2 == 1 {
        s[n / 2]
    } else {
        (s[n / 2 - 1] + s[n / 2]) / 2.0
    }
}

/// Values of `col` per group, groups sorted by number of documents (then name).
fn group_values(table: &DocTable, group_col: &str, col: &str) -> Vec<(String, Vec<f64>)> {
    let df = table.frame();
    let (Ok(g), Ok(v)) = (df.column(group_col), df.column(col)) else {
        return Vec::new();
    };
    let (Ok(g), Ok(v)) = (g.str(), v.f64()) else {
        return Vec::new();
    };
    let mut by: HashMap<&str, Vec<f64>> = HashMap::new();
    for (name, value) in g.iter().zip(v.iter()) {
        if let (Some(n), Some(x)) = (name, value) {
            by.entry(n).or_default().push(x);
        }
    }
    let mut out: Vec<(String, Vec<f64>)> =
        by.into_iter().map(|(k, v)| (k.to_string(), v)).collect();
    out.sort_by(|a, b| b.1.len().cmp(&a.1.len()).then_with(|| a.0.cmp(&b.0)));
    out
}

fn timeline_periods(df: &DataFrame, col: &str) -> Vec<ChartPeriod> {
    let (Ok(p), Ok(d), Ok(m)) = (
        df.column("period"),
        df.column("documents"),
        df.column(&format!("mean_{col}")),
    ) else {
        return Vec::new();
    };
    let (Ok(p), Ok(d), Ok(m)) = (p.str(), d.u64(), m.f64()) else {
        return Vec::new();
    };
    p.iter()
        .zip(d.iter())
        .zip(m.iter())
        .map(|((p, d), m)| ChartPeriod {
            label: p.unwrap_or_default().to_string(),
            mean: m.unwrap_or(f64::NAN),
            count: d.unwrap_or(0),
        })
        .collect()
}

/// Drops leading and trailing periods that together hold at most 0.25% of
/// the dated documents (a few stray dates would otherwise stretch the chart
/// over months of empty periods).  Returns the periods kept and the number
/// of documents left out.
fn trim_stragglers(periods: &[ChartPeriod]) -> (&[ChartPeriod], u64) {
    let total: u64 = periods.iter().map(|p| p.count).sum();
    let allowance = total / 400;
    let mut dropped = 0;
    let mut first = 0;
    while first < periods.len() && dropped + periods[first].count <= allowance {
        dropped += periods[first].count;
        first += 1;
    }
    let mut last = periods.len();
    while last > first && dropped + periods[last - 1].count <= allowance {
        dropped += periods[last - 1].count;
        last -= 1;
    }
    // Never start or end on an empty period.
    while first < last && periods[first].count == 0 {
        first += 1;
    }
    while last > first && periods[last - 1].count == 0 {
        last -= 1;
    }
    (&periods[first..last], dropped)
}

/// The words with the largest positive and negative contributions.
fn contributions(hits: &Hits, each: usize) -> Vec<(String, f64)> {
    let mut words: HashMap<&str, f64> = HashMap::new();
    for (k, v) in hits {
        let w = hit_parts(k).0;
        *words.entry(w).or_default() += v.applied;
    }
    let mut all: Vec<(&str, f64)> = words.into_iter().filter(|(_, v)| *v != 0.0).collect();
    all.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(b.0)));
    let pos = all.iter().filter(|r| r.1 > 0.0).take(each);
    let neg = all.iter().rev().filter(|r| r.1 < 0.0).take(each);
    pos.chain(neg)
        .map(|(w, v)| (w.to_string(), round(*v, 6)))
        .collect()
}

fn arc_series(arcs: &Arcs) -> Vec<Series> {
    let mut out = Vec::new();
    let mut groups: Vec<(&String, &ArcSums)> = arcs.by_group.iter().collect();
    // All documents first, then the groups with the most sentences.
    groups.sort_by(|a, b| {
        let all_a = a.0 == ALL_DOCUMENTS;
        let all_b = b.0 == ALL_DOCUMENTS;
        all_b
            .cmp(&all_a)
            .then_with(|| b.1 .1.iter().sum::<u64>().cmp(&a.1 .1.iter().sum::<u64>()))
            .then_with(|| a.0.cmp(b.0))
    });
    for (name, (sums, ns)) in groups.into_iter().take(9) {
        let points: Vec<(f64, f64)> = (0..ARC_BINS)
            .filter(|&i| ns[i] > 0)
            .map(|i| ((i as f64 + 0.5) / ARC_BINS as f64, sums[i] / ns[i] as f64))
            .collect();
        if points.is_empty() {
            continue;
        }
        let name = if name == ALL_DOCUMENTS {
            "All documents".to_string()
        } else {
            name.clone()
        };
        out.push(Series { name, points });
    }
    out
}

/// Texts of a few floats keyed by a small number (a document's term
/// counts), in one reused string.
#[derive(Default)]
struct TextCache {
    text: String,
    /// Key, and the key's text as a range of `text`.
    spans: Vec<(u32, usize, usize)>,
}

impl TextCache {
    fn clear(&mut self) {
        self.text.clear();
        self.spans.clear();
    }

    /// Formats `v` for `key` unless `key` has its text already.
    fn insert(&mut self, key: u32, v: f64) {
        if self.spans.iter().all(|s| s.0 != key) {
            let start = self.text.len();
            push_float_text(&mut self.text, v);
            self.spans.push((key, start, self.text.len()));
        }
    }

    /// The text inserted for `key` (empty if none was).
    fn get(&self, key: u32) -> &str {
        self.spans
            .iter()
            .find(|s| s.0 == key)
            .map_or("", |s| &self.text[s.1..s.2])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(count: u64) -> ChartPeriod {
        ChartPeriod {
            label: count.to_string(),
            mean: 0.0,
            count,
        }
    }

    #[test]
    fn stray_periods_are_trimmed() {
        let periods: Vec<ChartPeriod> = [2, 0, 0, 1, 0, 12, 500, 900, 700, 1]
            .into_iter()
            .map(p)
            .collect();
        let (kept, left_out) = trim_stragglers(&periods);
        assert_eq!(
            left_out, 4,
            "2 + 1 at the start, 1 at the end (0.25% of 2,116 is 5)"
        );
        assert_eq!(
            kept.iter().map(|p| p.count).collect::<Vec<_>>(),
            [12, 500, 900, 700]
        );
        let even: Vec<ChartPeriod> = [10, 10, 10].into_iter().map(p).collect();
        assert_eq!(trim_stragglers(&even).0.len(), 3);
        assert_eq!(trim_stragglers(&[]).0.len(), 0);
    }

    #[test]
    fn rounding_and_medians() {
        assert_eq!(round(0.12000000000000001, 6), 0.12);
        assert_eq!(round(-0.08950000000000004, 6), -0.0895);
        assert_eq!(median(&[3.0, 1.0, 2.0]), 2.0);
        assert_eq!(median(&[4.0, 1.0, 2.0, 3.0]), 2.5);
        assert!(median(&[]).is_nan());
    }
}
