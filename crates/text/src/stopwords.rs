//! Stop-word lists: tidytext's three lists, each alone, or a user's file.

use std::path::{Path, PathBuf};
use std::str::FromStr;

use ahash::AHashSet;

use crate::error::TextError;

const TIDYTEXT_CSV: &str = include_str!("../../../data/stopwords/tidytext.csv");

/// Which stop-word list to use.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StopWordSource {
    /// All three lists of tidytext's `stop_words` (SMART, snowball, onix): 1,149 rows.
    Tidytext,
    /// The snowball list only (174 words).
    Snowball,
    /// The SMART list only (571 rows, 570 distinct words).
    Smart,
    /// The onix list only (404 rows, 398 distinct words).
    Onix,
    /// No stop words.
    None,
    /// A file: one word per line, or a CSV/TSV with a `word` column.
    File(PathBuf),
}

impl FromStr for StopWordSource {
    type Err = std::convert::Infallible;

    /// `tidytext`, `snowball`, `smart`, `onix` and `none` name the built-in
    /// lists (case-insensitive); anything else is taken as a file path.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(match s.to_ascii_lowercase().as_str() {
            "tidytext" => StopWordSource::Tidytext,
            "snowball" => StopWordSource::Snowball,
            "smart" => StopWordSource::Smart,
            "onix" => StopWordSource::Onix,
            "none" => StopWordSource::None,
            _ => StopWordSource::File(PathBuf::from(s)),
        })
    }
}

impl std::fmt::Display for StopWordSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StopWordSource::Tidytext => f.write_str("tidytext"),
            StopWordSource::Snowball => f.write_str("snowball"),
            StopWordSource::Smart => f.write_str("smart"),
            StopWordSource::Onix => f.write_str("onix"),
            StopWordSource::None => f.write_str("none"),
            StopWordSource::File(p) => write!(f, "{}", p.display()),
        }
    }
}

/// A set of stop words, matched against tokens as the tokenizer produces
/// them (lower-case, ASCII apostrophes).
#[derive(Clone, Debug, Default)]
pub struct StopWords {
    words: AHashSet<String>,
}

impl StopWords {
    /// Loads a list.
    ///
    /// ```
    /// use lexiscope_text::{StopWords, StopWordSource};
    /// let sw = StopWords::load(&StopWordSource::Tidytext).unwrap();
    /// assert!(sw.contains("the") && sw.contains("it's") && !sw.contains("elephant"));
    /// assert_eq!(StopWords::load(&StopWordSource::Snowball).unwrap().len(), 174);
    /// ```
    pub fn load(source: &StopWordSource) -> Result<StopWords, TextError> {
        let lexicon = match source {
            StopWordSource::None => return Ok(StopWords::default()),
            StopWordSource::File(path) => return Self::from_file(path),
            StopWordSource::Tidytext => None,
            StopWordSource::Snowball => Some("snowball"),
            StopWordSource::Smart => Some("SMART"),
            StopWordSource::Onix => Some("onix"),
        };
        let mut words = AHashSet::new();
        for line in TIDYTEXT_CSV.lines().skip(1) {
            let mut fields = line.split(',');
            let (Some(word), Some(lex)) = (fields.next(), fields.next()) else {
                continue;
            };
            let word = word.trim_matches('"');
            let lex = lex.trim_matches('"');
            if lexicon.is_none_or(|l| l == lex) {
                words.insert(word.to_string());
            }
        }
        Ok(StopWords { words })
    }

    /// Reads a user's list: plain text with one word per line (blank lines and
    /// lines starting with `#` ignored), or a CSV/TSV file whose header has a
    /// `word` column.  Words are lower-cased and their apostrophes folded, the
    /// same as tokens.
    pub fn from_file(path: &Path) -> Result<StopWords, TextError> {
        let text = std::fs::read_to_string(path).map_err(|source| TextError::StopWordsRead {
            path: path.to_path_buf(),
            source,
        })?;
        let text = text.trim_start_matches('\u{FEFF}');
        let first = text.lines().next().unwrap_or("");
        let delim = if first.contains('\t') { '\t' } else { ',' };
        let header: Vec<String> = first
            .split(delim)
            .map(|h| h.trim().trim_matches('"').to_ascii_lowercase())
            .collect();
        let mut words = AHashSet::new();
        let mut buf = String::new();
        if header.len() > 1 || header.first().is_some_and(|h| h == "word") {
            let Some(col) = header.iter().position(|h| h == "word") else {
                return Err(TextError::StopWordsFormat {
                    path: path.to_path_buf(),
                    line: 1,
                    message: format!(
                        "a table of stop words needs a column named `word`; the header has: {}",
                        header.join(", ")
                    ),
                });
            };
            let mut reader = csv::ReaderBuilder::new()
                .delimiter(delim as u8)
                .flexible(true)
                .from_reader(text.as_bytes());
            for (i, rec) in reader.records().enumerate() {
                let rec = rec.map_err(|e| TextError::StopWordsFormat {
                    path: path.to_path_buf(),
                    line: i as u64 + 2,
                    message: e.to_string(),
                })?;
                if let Some(w) = rec.get(col).map(str::trim).filter(|w| !w.is_empty()) {
                    words.insert(crate::token::normalize(w, &mut buf).to_string());
                }
            }
        } else {
            for line in text.lines() {
                let w = line.trim();
                if w.is_empty() || w.starts_with('#') {
                    continue;
                }
                words.insert(crate::token::normalize(w, &mut buf).to_string());
            }
        }
        Ok(StopWords { words })
    }

    /// Is `word` (a token) a stop word?
    #[inline]
    pub fn contains(&self, word: &str) -> bool {
        self.words.contains(word)
    }

    /// Number of distinct words in the list.
    pub fn len(&self) -> usize {
        self.words.len()
    }

    /// True for the empty list (`none`).
    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_sizes() {
        // tidytext's stop_words has 1,149 rows; some words are in several lists.
        let all = StopWords::load(&StopWordSource::Tidytext).unwrap();
        let smart = StopWords::load(&StopWordSource::Smart).unwrap();
        let onix = StopWords::load(&StopWordSource::Onix).unwrap();
        let snowball = StopWords::load(&StopWordSource::Snowball).unwrap();
        // Distinct words: SMART lists one word twice, onix six; 728 in all.
        assert_eq!(smart.len(), 570);
        assert_eq!(snowball.len(), 174);
        assert_eq!(onix.len(), 398);
        assert_eq!(all.len(), 728);
        assert!(StopWords::load(&StopWordSource::None).unwrap().is_empty());
    }

    #[test]
    fn parses_names_and_paths() {
        assert_eq!(
            "SMART".parse::<StopWordSource>().unwrap(),
            StopWordSource::Smart
        );
        assert_eq!(
            "my/list.txt".parse::<StopWordSource>().unwrap(),
            StopWordSource::File("my/list.txt".into())
        );
    }

    #[test]
    fn user_files() {
        let dir = std::env::temp_dir().join(format!("lexiscope-sw-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let plain = dir.join("list.txt");
        std::fs::write(&plain, "# mine\nFoo\n\nbar’s\n").unwrap();
        let sw = StopWords::from_file(&plain).unwrap();
        assert!(sw.contains("foo") && sw.contains("bar's") && !sw.contains("# mine"));
        assert_eq!(sw.len(), 2);

        let table = dir.join("list.csv");
        std::fs::write(&table, "lexicon,word\nx,alpha\ny,Beta\n").unwrap();
        let sw = StopWords::from_file(&table).unwrap();
        assert!(sw.contains("alpha") && sw.contains("beta") && !sw.contains("x"));

        let bad = dir.join("bad.csv");
        std::fs::write(&bad, "term,lexicon\nx,y\n").unwrap();
        let err = StopWords::from_file(&bad).unwrap_err().to_string();
        assert!(err.contains("bad.csv") && err.contains("`word`"), "{err}");

        let missing = StopWords::from_file(&dir.join("nope.txt"))
            .unwrap_err()
            .to_string();
        assert!(missing.contains("nope.txt"), "{missing}");
        std::fs::remove_dir_all(&dir).ok();
    }
}
