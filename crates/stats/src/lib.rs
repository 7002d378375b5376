//! lexiscope-stats
