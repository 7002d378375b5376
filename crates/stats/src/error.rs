//! Errors of the statistics layer.

/// What can go wrong while building the tables.
#[derive(Debug, thiserror::Error)]
pub enum StatsError {
    /// polars refused an operation (a bug on our side: the tables are ours).
    #[error("table operation failed: {0}")]
    Polars(#[from] polars::prelude::PolarsError),
}
