//! lexiscope-sentiment
