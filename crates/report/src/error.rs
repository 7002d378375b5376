//! The one error type of this crate.

use std::path::PathBuf;

/// Everything that can go wrong while writing a table, a workbook, a chart or the dashboard.
///
/// Every variant names the file it was about; row numbers count data rows from 1
/// (the header row is not counted).
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    /// Creating, writing, syncing or renaming a file failed.
    #[error("cannot write {path}: {source}")]
    Io {
        /// The file (or its temporary sibling's target) being written.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
    /// Writing or reading a CSV row failed (row 0 is the header row).
    #[error("cannot write {path}, row {row}: {source}")]
    Csv {
        /// The CSV file being written.
        path: PathBuf,
        /// Data row number, counted from 1; 0 is the header.
        row: u64,
        /// The underlying error.
        #[source]
        source: csv::Error,
    },
    /// A row did not have as many cells as the header has columns.
    #[error("{path}, row {row}: {found} cells but the header has {expected} columns")]
    RowLength {
        /// The CSV file being written.
        path: PathBuf,
        /// Data row number, counted from 1.
        row: u64,
        /// Number of header columns.
        expected: usize,
        /// Number of cells given.
        found: usize,
    },
    /// A table was created with an empty header.
    #[error("{path}: a table needs at least one column")]
    NoColumns {
        /// The CSV file that was to be written.
        path: PathBuf,
    },
    /// A chart has nothing to draw. `reason` is meant to be shown to users
    /// (the dashboard's "missing chart" text).
    #[error("chart \"{chart}\" left out: {reason}")]
    NoData {
        /// The chart's title.
        chart: String,
        /// Why there is nothing to draw, in plain words.
        reason: String,
    },
    /// A chart option is out of range (for example zero histogram bins).
    #[error("chart \"{chart}\": {message}")]
    InvalidChart {
        /// The chart's title.
        chart: String,
        /// What is wrong.
        message: String,
    },
    /// The plotting library or the PNG encoder failed.
    #[error("cannot draw {path}: {message}")]
    Render {
        /// The image file being drawn.
        path: PathBuf,
        /// The library's message.
        message: String,
    },
    /// Writing the Excel workbook (or one of its sheets) failed.
    #[error("cannot write {path}{}: {source}", sheet.as_ref().map(|s| format!(", sheet {s}")).unwrap_or_default())]
    Workbook {
        /// The workbook file.
        path: PathBuf,
        /// The sheet being written, when the error is about one.
        sheet: Option<String>,
        /// The underlying error.
        #[source]
        source: rust_xlsxwriter::XlsxError,
    },
    /// The embedded font could not be loaded.
    #[error("the embedded chart font could not be loaded")]
    Font,
}

impl ReportError {
    /// The user-facing reason when a chart was left out for lack of data,
    /// `None` for every other error.
    pub fn missing_reason(&self) -> Option<&str> {
        match self {
            ReportError::NoData { reason, .. } => Some(reason),
            _ => None,
        }
    }

    pub(crate) fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        ReportError::Io {
            path: path.into(),
            source,
        }
    }

    pub(crate) fn no_data(chart: &str, reason: impl Into<String>) -> Self {
        ReportError::NoData {
            chart: chart.to_string(),
            reason: reason.into(),
        }
    }

    pub(crate) fn invalid(chart: &str, message: impl Into<String>) -> Self {
        ReportError::InvalidChart {
            chart: chart.to_string(),
            message: message.into(),
        }
    }
}
