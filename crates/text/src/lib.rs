//! lexiscope-text
