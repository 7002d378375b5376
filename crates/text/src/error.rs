//! Errors of the text layer.

use std::path::PathBuf;

/// What can go wrong while loading word lists.
#[derive(Debug, thiserror::Error)]
pub enum TextError {
    /// A stop-word file could not be read.
    #[error("cannot read the stop-word list {}: {source}", path.display())]
    StopWordsRead {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// A stop-word file is not in a format we read.
    #[error("{}:{line}: {message}", path.display())]
    StopWordsFormat {
        /// The file.
        path: PathBuf,
        /// 1-based line number.
        line: u64,
        /// What was expected.
        message: String,
    },
}
