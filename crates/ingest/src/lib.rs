//! lexiscope-ingest
