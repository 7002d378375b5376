//! One module per subcommand.

pub mod freq;
pub mod kwic;
pub mod report;
pub mod sentiment;
pub mod tokens;

use std::io::Write;
use std::process::ExitCode;

use lexiscope_ingest::IngestStats;
use lexiscope_report::{Cell, CsvOptions, CsvWriter};

use crate::config::usage;

/// Rounds to `dp` decimal places: derived figures (means, ratios, rates)
/// carry no meaning in their 16th digit, and spreadsheets show them better.
pub fn round(x: f64, dp: i32) -> f64 {
    let f = 10f64.powi(dp);
    (x * f).round() / f
}

/// Occurrences per million tokens, to 4 decimals (0 for an empty corpus).
pub fn per_million(count: u64, total: u64) -> f64 {
    if total == 0 {
        0.0
    } else {
        round(count as f64 * 1e6 / total as f64, 4)
    }
}

/// The columns of a count table: terms.csv, bigrams.csv and `freq`'s output.
pub const COUNT_HEADER: [&str; 4] = ["term", "count", "doc_count", "per_million"];

/// A count table's row: the term (or n-gram), its count, the number of
/// documents holding it, and its rate per million of `tokens`.
pub fn count_cells<'a>(term: &'a str, c: &lexiscope_freq::Cnt, tokens: u64) -> [Cell<'a>; 4] {
    [
        Cell::Str(term),
        Cell::UInt(c.count),
        Cell::UInt(u64::from(c.docs)),
        Cell::Float(per_million(c.count, tokens)),
    ]
}

/// A CSV table on standard output (buffered, spreadsheet-safe).
pub type StdoutCsv = CsvWriter<std::io::BufWriter<std::io::StdoutLock<'static>>>;

/// Starts a CSV table on standard output, after a UTF-8 byte-order mark
/// when `bom` (`--excel`).
pub fn stdout_csv(header: &[&str], bom: bool) -> anyhow::Result<StdoutCsv> {
    let out = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
    let opts = CsvOptions {
        bom,
        ..CsvOptions::default()
    };
    Ok(CsvWriter::new(out, "<stdout>", header, &opts)?)
}

/// Flushes a stdout table.
pub fn finish_stdout(csv: StdoutCsv) -> anyhow::Result<()> {
    let mut out = csv.into_inner()?;
    out.flush()?;
    Ok(())
}

/// Ends a command that printed a CSV table: flushes it, clears the terminal
/// line and returns the exit code for what was read.
pub fn finish_table(
    csv: StdoutCsv,
    console: crate::term::Console,
    stats: &IngestStats,
) -> anyhow::Result<ExitCode> {
    finish_stdout(csv)?;
    drop(console);
    read_outcome(stats)
}

/// The exit code for a run that read `stats`: 2 when nothing could be read.
pub fn read_outcome(stats: &IngestStats) -> anyhow::Result<ExitCode> {
    if stats.documents_read == 0 {
        if stats.files_skipped > 0 || stats.documents_skipped > 0 {
            return usage(format!(
                "nothing could be read: {} file(s) and {} document(s) were skipped (see the warnings above)",
                stats.files_skipped, stats.documents_skipped
            ));
        }
        return usage("the input holds no documents");
    }
    Ok(ExitCode::SUCCESS)
}
