//! Lexicon sentiment for Lexiscope: VADER, AFINN and Bing exactly as their
//! reference tools score, an improved VADER for news text, and user lexicon
//! files (valence, categorical and NRC layouts).
//!
//! * [`Vader::standard`] reproduces vaderSentiment 3.3.2's
//!   `polarity_scores` (quirks and bugs included), to the last digit it
//!   prints; [`Vader::news`] is the `vader-news` variant for news text, whose
//!   every difference (Unicode punctuation, curly apostrophes, dashes, short
//!   punctuated words, and the reference's precedence and index bugs) is
//!   listed on [`Vader`].
//! * [`Afinn`] reproduces `Afinn(language="en").score` of the `afinn` 0.1
//!   package, multi-word phrases included.
//! * [`Lexicon`] wraps every kind behind one interface with CSV column names;
//!   token-based lexicons (Bing, user files) count word tokens the way
//!   tidytext's `inner_join` does.
//!
//! All scorers can report the words behind a score through a [`WordHit`]
//! callback. The built-in lexicons are compiled into the binary.
//!
//! ```
//! use lexiscope_sentiment::{Afinn, Lexicon, LexiconSpec, Vader};
//!
//! let scores = Vader::standard().polarity_scores("VADER is smart, handsome, and funny!");
//! assert_eq!(scores.compound, 0.8439);
//!
//! assert_eq!(Afinn::new().score("This is utterly excellent!"), 3.0);
//!
//! let bing = Lexicon::load(&"bing".parse::<LexiconSpec>()?)?;
//! let mut counts = vec![0.0; bing.columns().len()];
//! let mut words = Vec::new();
//! bing.score("", &["a", "good", "but", "awful", "day"], &mut counts, &mut |hit| {
//!     words.push(hit.word.to_string())
//! });
//! assert_eq!(bing.columns(), ["bing_positive", "bing_negative"]);
//! assert_eq!(counts, [1.0, 1.0]);
//! assert_eq!(words, ["good", "awful"]);
//! # Ok::<(), lexiscope_sentiment::SentimentError>(())
//! ```
#![deny(missing_docs)]

pub use afinn::Afinn;
pub use error::SentimentError;
pub use lexicon::{Lexicon, LexiconSpec};
pub use types::{VaderScores, WordHit};
pub use vader::Vader;

mod afinn;
mod error;
mod lexicon;
mod pychars;
mod round;
mod token_lexicon;
mod types;
mod vader;
mod wordtable;
