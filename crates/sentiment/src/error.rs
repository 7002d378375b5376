//! Errors of the sentiment crate.

use std::path::PathBuf;

/// Everything that can go wrong when loading a lexicon.
#[derive(Debug, thiserror::Error)]
pub enum SentimentError {
    /// The lexicon file could not be read.
    #[error("cannot read lexicon file {}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// The lexicon file is not UTF-8.
    #[error("lexicon file {}, line {line}: not valid UTF-8", path.display())]
    Encoding {
        /// The file.
        path: PathBuf,
        /// 1-based line of the first invalid byte.
        line: usize,
    },
    /// A line of the lexicon file does not have the expected shape.
    #[error("lexicon file {}, line {line}: expected {expected}, found {found:?}", path.display())]
    Malformed {
        /// The file.
        path: PathBuf,
        /// 1-based line number.
        line: usize,
        /// What the line should have held.
        expected: String,
        /// What it held (the whole line, or the offending field).
        found: String,
    },
    /// The lexicon file holds no entries.
    #[error("lexicon file {} has no entries", path.display())]
    Empty {
        /// The file.
        path: PathBuf,
    },
    /// An empty lexicon name was given.
    #[error("empty lexicon name: use vader, vader-news, afinn, bing or a file path")]
    EmptySpec,
}
