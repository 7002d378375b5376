//! lexiscope-report
