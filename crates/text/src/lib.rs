//! The text layer of Lexiscope: words, sentences, stop words and stems.
//!
//! Words are Unicode word segments as ICU finds them (UAX #29 with ICU's
//! tailoring), lower-cased, with anything that is not a letter, number or
//! ideograph dropped: on ordinary text the token stream equals tidytext's
//! `unnest_tokens(word, text)`.  Two deliberate differences: apostrophe
//! look-alikes (`’`, `‘`, `ʼ`) fold to `'`, so `it’s` and `it's` are one term
//! and both meet the stop list; and tokens are composed to Unicode NFC, so an
//! accent typed two ways counts once.
//!
//! ```
//! use lexiscope_text::{sentences, StopWordSource, StopWords, Tokenizer};
//!
//! let text = "Mr. Darcy smiled. It’s a truth universally acknowledged!";
//! let stop = StopWords::load(&StopWordSource::Tidytext).unwrap();
//! let mut tok = Tokenizer::new();
//! let mut kept = Vec::new();
//! for s in sentences(text) {
//!     tok.for_each(&text[s], |w| if !stop.contains(w) { kept.push(w.to_string()) });
//! }
//! assert_eq!(kept, ["darcy", "smiled", "truth", "universally", "acknowledged"]);
//! ```
#![deny(missing_docs)]

pub mod bytemask;
mod error;
mod sentence;
mod stem;
mod stopwords;
mod token;
mod wordbreak;
pub mod words;

pub use error::TextError;
pub use sentence::{sentences, Sentences};
pub use stem::Stemmer;
pub use stopwords::{StopWordSource, StopWords};
pub use token::Tokenizer;
pub use wordbreak::{Segment, Segments};
