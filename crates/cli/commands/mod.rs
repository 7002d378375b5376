//! One module per subcommand.

pub mod freq;
pub mod kwic;
pub mod report;
pub mod sentiment;
pub mod tokens;

use std::io::Write;
use std::process::ExitCode;

use lexiscope_ingest::IngestStats;
use lexiscope_report::{BlockWriter, Cell, CsvOptions, CsvWriter, ReportError};
use rayon::prelude::*;

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

/// Rows a thread formats in one block for [`write_rows`] (about 55 KB of
/// count rows).
const ROWS_PER_BLOCK: usize = 2048;

/// Rows [`write_rows`] formats in one parallel pass, at least: 65,536
/// count rows are about 2 MB of text.
const WINDOW_ROWS: usize = 1 << 16;

/// Rows of one parallel pass of [`write_rows`]: two blocks per thread, or
/// [`WINDOW_ROWS`] when that is more.
fn window_rows() -> usize {
    (ROWS_PER_BLOCK * 2 * rayon::current_num_threads()).max(WINDOW_ROWS)
}

/// Writes `rows` to `csv` in order, each by `write` (given scratch space,
/// a string say, that the rows of a block share), formatting blocks of
/// them on rayon's threads: a count table's 55,000 rows took 3.5 ms to
/// format on one, at the end of `freq` where the other cores are idle.
/// A window of blocks at a time, so that a table of millions of rows is
/// never all in memory as text; the windows are large, because each
/// starts the pool's threads anew (with 16,384-row windows of 4,096-row
/// blocks, the bundled corpus's terms took 8.2 ms from the last batch to
/// the last row on two threads, median of 25 interleaved runs, against
/// 5.8 ms now).  The bytes are the same as from writing the rows one by
/// one.
pub fn write_rows<T: Sync, W: Write, S: Default>(
    csv: &mut CsvWriter<W>,
    rows: &[T],
    write: impl Fn(&mut BlockWriter, &mut S, &T) -> Result<(), ReportError> + Sync,
) -> anyhow::Result<()> {
    write_rows_ahead(csv, rows, |_| {}, write)
}

/// [`write_rows`], calling `ahead` with each row a few rows before `write`
/// gets it: for rows that are ids of data elsewhere, whose reads `ahead`
/// can start early.
pub fn write_rows_ahead<T: Sync, W: Write, S: Default>(
    csv: &mut CsvWriter<W>,
    rows: &[T],
    ahead: impl Fn(&T) + Sync,
    write: impl Fn(&mut BlockWriter, &mut S, &T) -> Result<(), ReportError> + Sync,
) -> anyhow::Result<()> {
    let format = csv.row_format();
    for part in rows.chunks(window_rows()) {
        let blocks: Vec<Result<_, ReportError>> = part
            .par_chunks(ROWS_PER_BLOCK)
            .map(|chunk| {
                let mut w = format.writer();
                let mut scratch = S::default();
                for (i, row) in chunk.iter().enumerate() {
                    if let Some(later) = chunk.get(i + 8) {
                        ahead(later);
                    }
                    write(&mut w, &mut scratch, row)?;
                }
                w.finish()
            })
            .collect();
        for block in blocks {
            csv.append(block?)?;
        }
    }
    Ok(())
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_written_in_blocks_are_the_rows_written_one_by_one() {
        // Two windows of blocks and part of a third, whatever the pool's
        // size, and a last block that is not full.
        let n = window_rows() * 2 + 123;
        let rows: Vec<(String, u64)> = (0..n)
            .map(|i| (format!("w{i},{}", i % 3), i as u64 * 7))
            .collect();
        let header = ["term", "count", "half"];
        let opts = CsvOptions::default();
        fn cells((t, c): &(String, u64)) -> [Cell<'_>; 3] {
            [Cell::Str(t), Cell::UInt(*c), Cell::Float(*c as f64 / 2.0)]
        }
        let mut one = CsvWriter::new(Vec::new(), "one", &header, &opts).unwrap();
        for r in &rows {
            one.write_row(&cells(r)).unwrap();
        }
        let mut blocks = CsvWriter::new(Vec::new(), "blocks", &header, &opts).unwrap();
        write_rows(&mut blocks, &rows, |w, scratch: &mut String, r| {
            // The scratch string is the block's own, reused row to row.
            scratch.clear();
            scratch.push_str(&r.0);
            w.write_row(&[
                Cell::Str(scratch),
                Cell::UInt(r.1),
                Cell::Float(r.1 as f64 / 2.0),
            ])
        })
        .unwrap();
        assert_eq!(blocks.rows(), n as u64);
        let (a, b) = (one.into_inner().unwrap(), blocks.into_inner().unwrap());
        assert_eq!(a.iter().filter(|&&c| c == b'\n').count(), n + 1);
        assert!(
            a == b,
            "block-written rows differ from rows written one by one"
        );
    }
}
