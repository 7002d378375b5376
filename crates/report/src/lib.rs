//! The output side of Lexiscope: CSV tables, PNG/SVG charts and the offline
//! HTML dashboard.
//!
//! This crate knows nothing about documents, tokens or lexicons: it takes
//! plain data (slices, strings, numbers) and writes files. Everything it
//! writes goes to a temporary file beside the target first and is renamed
//! into place when complete, so an interrupted run never leaves a truncated
//! file under the real name.
//!
//! - [`TableWriter`] streams a CSV table: UTF-8, comma, RFC 4180 quoting,
//!   `\n` line ends, a header row, shortest round-trip floats, and formula
//!   neutralisation for spreadsheets ([`CsvOptions`]).
//! - [`Workbook`] writes the same tables into one Excel file, a sheet per
//!   table ([`TableWriter::with_sheet`] fills both at once): numbers as
//!   numbers, text as text (never a formula), bold frozen header, autofilter.
//! - The chart functions ([`bar_chart`], [`histogram`], [`group_distribution`],
//!   [`time_series`], [`diverging_bars`], [`zipf_chart`], [`small_multiples`],
//!   [`line_chart`]) draw 1200 x 800 charts with the embedded DejaVu Sans font
//!   and one colour-blind safe palette; empty input gives
//!   [`ReportError::NoData`] with a reason for the dashboard.
//! - [`Dashboard`] writes one self-contained `index.html`.
//!
//! ```
//! use lexiscope_report::{
//!     bar_chart, Cell, ChartEntry, ChartFormat, ChartText, CsvOptions, Dashboard, TableWriter,
//!     Workbook,
//! };
//!
//! # fn main() -> Result<(), lexiscope_report::ReportError> {
//! let dir = tempfile::tempdir().expect("temp dir");
//! let terms = [("said", 120.0), ("people", 75.0), ("=cmd", 3.0)];
//!
//! let book = Workbook::new(dir.path().join("report.xlsx"), &["terms"]);
//! let header = ["term", "count"];
//! let mut table = TableWriter::create(dir.path().join("terms.csv"), &header, &CsvOptions::default())?
//!     .with_sheet(book.add_sheet("terms", &header)?);
//! for (term, count) in &terms {
//!     table.write_row(&[Cell::Str(term), Cell::UInt(*count as u64)])?;
//! }
//! assert_eq!(table.finish()?, 3);
//! let csv = std::fs::read_to_string(dir.path().join("terms.csv")).expect("read back");
//! assert_eq!(csv, "term,count\nsaid,120\npeople,75\n'=cmd,3\n");
//! // The same table as a sheet of report.xlsx, with `=cmd` as plain text.
//! assert_eq!(book.save()?[0].rows, 3);
//!
//! std::fs::create_dir(dir.path().join("charts")).expect("charts dir");
//! let text = ChartText::new("Top terms", "Occurrences", "");
//! let files = bar_chart(&dir.path().join("charts/top_terms"), &[ChartFormat::Png], &text, &terms)?;
//! assert!(files[0].ends_with("charts/top_terms.png"));
//!
//! let page = Dashboard {
//!     title: "My corpus".into(),
//!     charts: vec![ChartEntry::Chart {
//!         title: "Top terms".into(),
//!         caption: "Most frequent words.".into(),
//!         image: "charts/top_terms.png".into(),
//!     }],
//!     ..Dashboard::default()
//! };
//! page.write(dir.path().join("index.html"))?;
//! # Ok(())
//! # }
//! ```
#![deny(missing_docs)]

mod atomic;
mod chart;
mod dashboard;
mod error;
mod format;
mod table;
mod workbook;

pub use atomic::atomic_write;
pub use chart::{
    bar_chart, diverging_bars, group_distribution, histogram, line_chart, small_multiples,
    time_series, zipf_chart, ChartFormat, ChartText, GroupStyle, HistogramOptions, LineOptions,
    LogLogFit, Panel, Period, Series,
};
pub use dashboard::{ChartEntry, Dashboard, TablePreview};
pub use error::ReportError;
pub use format::{
    float_text, format_fixed, format_number, push_float_text, thousands, thousands_signed,
    truncate_label,
};
pub use table::{BlockWriter, Cell, CsvOptions, CsvWriter, RowBlock, RowFormat, TableWriter};
pub use workbook::{SheetSummary, SheetWriter, Workbook, EXCEL_MAX_CELL_CHARS, EXCEL_MAX_ROWS};
