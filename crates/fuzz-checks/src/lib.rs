//! The invariants Lexiscope's fuzz targets check, one function per target.
//!
//! Each function takes arbitrary bytes, drives the real public API of a
//! crate with them and **panics** when an invariant is broken: a panic is
//! how libFuzzer (and `cargo test`) learn of a failure, so unlike the other
//! library crates this one panics on purpose. The cargo-fuzz targets in
//! `fuzz/fuzz_targets/` are one-line wrappers around these functions, and
//! this crate's `tests/corpus.rs` replays every committed input of
//! `fuzz/corpus/<target>/` through the same function on stable Rust, so the
//! suite checks exactly what the fuzzer checked.
//!
//! | target | function | what it checks |
//! |---|---|---|
//! | `tokenizer` | [`tokenizer`] | word segments tile the text; tokens are the word segments, non-empty, lower-cased, NFC, apostrophes folded |
//! | `sentences` | [`sentences`] | sentences are trimmed, in order, and hold every non-space character once; tokens per sentence equal tokens of the whole |
//! | `csv` | [`csv`] | every CSV/TSV record becomes a document or a skipped-row warning at its line; the counts add up |
//! | `jsonl` | [`jsonl`] | every non-blank JSON Lines line becomes a document or a skipped-line warning at its line |
//! | `encoding` | [`encoding`] | decoding is total; UTF-8 round-trips; UTF-16 with a BOM decodes; other bytes fall back to Windows-1252 |
//! | `lexicon` | [`lexicon()`] | a user lexicon file loads, or fails naming a line that exists |
//!
//! ```
//! lexiscope_fuzz_checks::tokenizer("It’s 3.14, Mr. Smith's café!".as_bytes());
//! lexiscope_fuzz_checks::csv(b"id,text\n1,\"unterminated\n");
//! ```
#![deny(missing_docs)]

mod ingest;
mod lexicon;
mod oracle;
mod text;

pub use ingest::{csv, encoding, jsonl};
pub use lexicon::lexicon;
pub use text::{sentences, tokenizer};

/// What every fuzz target runs: a check of arbitrary bytes.
pub type Check = fn(&[u8]);

/// The names of the fuzz targets, as in `fuzz/fuzz_targets/<name>.rs` and
/// `fuzz/corpus/<name>/`, with the function each one runs.
pub const TARGETS: &[(&str, Check)] = &[
    ("tokenizer", tokenizer),
    ("sentences", sentences),
    ("csv", csv),
    ("jsonl", jsonl),
    ("encoding", encoding),
    ("lexicon", lexicon),
];
