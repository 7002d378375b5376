//! See `lexiscope_fuzz_checks::sentences` for what this target checks.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| lexiscope_fuzz_checks::sentences(data));
