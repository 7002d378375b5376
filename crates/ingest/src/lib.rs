//! Lexiscope's front door: turns files, folders and standard input into one
//! stream of documents (id, text, metadata), with a warning for everything
//! in the data that was not right.
//!
//! - **Inputs**: files; folders, walked recursively in path order (so ids are
//!   stable), skipping hidden files and folders, following links and
//!   reporting link loops; `-` for standard input.
//! - **Formats** by extension: `.txt` and `.md` are one document per file;
//!   `.csv` and `.tsv` one per row (header required); `.jsonl` and `.ndjson`
//!   one per object. Any of them may be gzipped (`.gz`, or gzip magic bytes).
//!   Other files are sniffed: text is read as one document, binary is skipped.
//! - **Ids**: the `--id-col` value; else `<name>:<row>` for tables (row 1 is
//!   the first data row), the path inside the folder given (or the file name)
//!   for texts; `stdin` names standard input.
//! - **Text column**: `--text-col`; else the first column named `text`,
//!   `content`, `body` or `article` (any case); else the column with the
//!   longest values in the first 100 rows (with a warning saying so). Every
//!   other column goes, untouched, into [`Meta`].
//! - **Encodings**: UTF-8 with or without BOM, UTF-16 LE/BE with BOM; bytes
//!   that are not valid UTF-8 are read as Windows-1252, with a warning per
//!   text file or per record. Streams whose first 8 KiB hold a NUL byte or
//!   are mostly control characters are skipped as binary.
//! - **Clean-up** of texts (not metadata), each switchable in
//!   [`IngestOptions`]: tags stripped from texts that are HTML (a text is HTML
//!   when it holds a tag of a known HTML element, a comment or a doctype;
//!   `<script>`/`<style>` content is dropped, block elements become line
//!   breaks), then HTML entities decoded, then Unicode spaces made plain.
//!
//! Nothing in the data stops the stream: broken rows, unterminated quotes,
//! bad JSON, unreadable or binary files become [`Warning`]s naming the file
//! and line, and [`Corpus::stats`] counts them.
//!
//! ```
//! use lexiscope_ingest::{Corpus, Event, IngestOptions};
//!
//! let inputs = ["tests/data/basic.csv".into()];
//! let mut corpus = Corpus::open(&inputs, IngestOptions::default())?;
//! let first = corpus.next();
//! let Some(Event::Document(doc)) = first else { panic!("expected a document") };
//! assert_eq!(doc.id, "basic.csv:1");
//! assert_eq!(doc.text, "Hello, world. Caf\u{e9} & cr\u{e8}me.");
//! assert_eq!(doc.meta.get("date"), Some("2017/2/7"));
//! assert_eq!(doc.origin.to_string(), "tests/data/basic.csv:2");
//! let rest: Vec<Event> = corpus.by_ref().collect();
//! assert_eq!(corpus.stats().documents_read, 3);
//! # assert_eq!(rest.len(), 2);
//! # Ok::<(), lexiscope_ingest::IngestError>(())
//! ```

#![deny(missing_docs)]

mod clean;
mod corpus;
mod csv;
mod decode;
mod document;
mod entities;
mod error;
mod inputs;
mod jsonl;
mod options;
mod read;
mod source;
mod warning;

pub use corpus::{Corpus, IngestStats};
pub use document::{Document, Event, Meta, Origin};
pub use error::IngestError;
pub use options::{IngestOptions, InputFormat};
pub use warning::{Warning, WarningKind};
