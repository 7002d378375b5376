//! Snowball (Porter 2) stemming for English.

use rust_stemmers::{Algorithm, Stemmer as Snowball};

/// English Snowball stemmer.
///
/// ```
/// let s = lexiscope_text::Stemmer::english();
/// assert_eq!(s.stem("running"), "run");
/// assert_eq!(s.stem("nations"), "nation");
/// ```
pub struct Stemmer(Snowball);

impl Stemmer {
    /// The English (Porter 2) stemmer, as `SnowballC::wordStem(x, "english")`.
    pub fn english() -> Self {
        Stemmer(Snowball::create(Algorithm::English))
    }

    /// The stem of one token.
    pub fn stem<'a>(&self, word: &'a str) -> std::borrow::Cow<'a, str> {
        self.0.stem(word)
    }
}

impl std::fmt::Debug for Stemmer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Stemmer(english)")
    }
}
