//! lexiscope-freq
