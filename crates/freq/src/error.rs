//! Errors of the counting layer.

/// What can go wrong while counting.
#[derive(Debug, thiserror::Error)]
pub enum FreqError {
    /// The temporary file that holds per-document terms failed.
    #[error("temporary file for per-document terms: {0}")]
    Spill(std::io::Error),
}
