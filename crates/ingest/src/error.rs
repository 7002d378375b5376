//! Errors that stop ingestion before any document is read.

use std::path::PathBuf;

/// An error that makes [`Corpus::open`](crate::Corpus::open) refuse to start.
///
/// Problems inside the data (a broken row, a binary file, a bad encoding) are
/// never errors: they become [`Warning`](crate::Warning)s in the stream. Only
/// mistakes in what the user asked for are errors, and they are found up front.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum IngestError {
    /// An input path does not exist.
    #[error("{}: no such file or folder", path.display())]
    NotFound {
        /// The path as the user gave it.
        path: PathBuf,
    },
    /// An input path exists but could not be inspected.
    #[error("{}: cannot read ({source})", path.display())]
    Io {
        /// The path as the user gave it.
        path: PathBuf,
        /// What the operating system said.
        source: std::io::Error,
    },
    /// `-` (standard input) was given more than once.
    #[error("`-` (standard input) is given more than once; it can be read only once")]
    StdinTwice,
    /// A column named by `--text-col` or `--id-col` is not in a file.
    #[error(
        "{path}: no column named \"{column}\" (asked for by {option}); {}",
        available_list(available)
    )]
    MissingColumn {
        /// The file, as the user would recognise it.
        path: String,
        /// The option that named the column: `--text-col` or `--id-col`.
        option: &'static str,
        /// The column that was asked for.
        column: String,
        /// The columns the file does have (for JSON Lines: the keys of its first object).
        available: Vec<String>,
    },
    /// A name given as an input format is not one of the known formats.
    #[error("unknown input format \"{value}\"; expected one of: text, csv, tsv, jsonl")]
    UnknownFormat {
        /// The value that was given.
        value: String,
    },
}

fn available_list(cols: &[String]) -> String {
    if cols.is_empty() {
        "it has no columns".to_owned()
    } else {
        let quoted: Vec<String> = cols.iter().map(|c| format!("\"{c}\"")).collect();
        format!("its columns are: {}", quoted.join(", "))
    }
}
