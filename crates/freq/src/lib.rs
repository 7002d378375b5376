//! The counting layer of Lexiscope: terms and n-grams with their document
//! frequencies, per group; tf-idf, keyness, collocations, Zipf's and Heaps'
//! laws and lexical diversity.
//!
//! Counting happens in batches (one per thread) that are merged in input
//! order, which makes the result independent of how the corpus was split.
//!
//! ```
//! use std::sync::Arc;
//! use lexiscope_freq::{CountOptions, Counts};
//! use lexiscope_text::{sentences, StopWordSource, StopWords, Tokenizer};
//!
//! let opts = Arc::new(CountOptions {
//!     stop_words: StopWords::load(&StopWordSource::Tidytext).unwrap(),
//!     ..CountOptions::default()
//! });
//! let mut batch = Counts::new(opts.clone());
//! let mut tok = Tokenizer::new();
//! let text = "The white whale. A white whale!";
//! let mut doc = batch.doc(0, None);
//! for s in sentences(text) {
//!     doc.sentence();
//!     tok.for_each(&text[s], |w| { doc.token(w); });
//! }
//! doc.finish();
//! let mut corpus = Counts::new(opts);
//! corpus.merge(batch);
//! let top: Vec<(&str, u64)> = corpus.terms_sorted().into_iter().map(|(t, c)| (t, c.count)).collect();
//! assert_eq!(top, [("whale", 2), ("white", 2)]);
//! assert_eq!(corpus.ngrams_sorted(2)[0].0, "white whale");
//! ```
#![deny(missing_docs)]

mod bigram_log;
mod counts;
mod error;
mod interner;
mod measures;
mod spill;
mod table;

pub use counts::{
    Cnt, CountOptions, Counts, DocCounter, DocSummary, DocTerms, GroupCounts, PlainDoc, SurfaceId,
    TermId,
};
pub use error::FreqError;
pub use interner::Interner;
pub use measures::{
    collocation, erfc, fit_line, heaps_fit, keyness, mattr, tf_idf, zipf_fit, Collocation, Keyness,
    LineFit, TfIdf,
};
pub use spill::{top_tf_idf, DocTermSpill, Idf, SpillReader, TfIdfScratch};
pub use table::{CountTable, Key, TermCounts, TermIter};
