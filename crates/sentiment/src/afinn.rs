//! AFINN-165 (Finn Årup Nielsen), scoring as `Afinn(language="en").score`
//! of the `afinn` 0.1 package does.
//!
//! The reference collapses whitespace runs to one space, lower-cases the
//! text and finds all non-overlapping matches of
//! `\b(?:entry|entry|...)\b`, entries sorted longest first; the score is the
//! sum of the matched entries' values. That regex, scanned left to right,
//! matches at a word start the longest entry that is followed by a word
//! boundary. Every AFINN entry starts and ends with a word character, so an
//! entry can only match at the start of a run of word characters and its
//! first run must equal that text run: the scorer indexes entries by their
//! first run and tries the few candidates there, longest first.

use std::cell::RefCell;
use std::sync::OnceLock;

use hashbrown::HashMap;

use crate::pychars::{is_py_space, is_py_word, push_lowercase};
use crate::types::{polarity_name, WordHit};

const AFINN_165: &str = include_str!("../../../data/lexicons/AFINN-en-165.txt");

struct Tables {
    /// First word run of an entry -> (entry, value), longest entry first.
    by_first_run: HashMap<&'static str, Vec<(&'static str, i32)>>,
    entries: usize,
}

impl Tables {
    fn get() -> &'static Tables {
        static TABLES: OnceLock<Tables> = OnceLock::new();
        TABLES.get_or_init(Tables::build)
    }

    fn build() -> Tables {
        // As `read_word_file`: word TAB integer per line; a later duplicate
        // keeps the first one's place and takes the later value.
        let mut order: Vec<&'static str> = Vec::with_capacity(3_400);
        let mut values: HashMap<&'static str, i32> = HashMap::with_capacity(3_400);
        for line in AFINN_165.lines() {
            let mut fields = line.trim().split('\t');
            let (Some(word), Some(score), None) = (fields.next(), fields.next(), fields.next())
            else {
                continue;
            };
            let Ok(score) = score.trim().parse::<i32>() else {
                continue;
            };
            if values.insert(word, score).is_none() {
                order.push(word);
            }
        }
        // `regex_from_tokens`: longest first (by characters), stable.
        order.sort_by_key(|w| std::cmp::Reverse(w.chars().count()));
        let mut by_first_run: HashMap<&'static str, Vec<(&'static str, i32)>> =
            HashMap::with_capacity(order.len());
        for word in &order {
            let end = word
                .char_indices()
                .find(|&(_, c)| !is_py_word(c))
                .map_or(word.len(), |(i, _)| i);
            if end == 0 {
                // Cannot start at a word boundary before a word character;
                // AFINN-165 has no such entry.
                continue;
            }
            let value = values.get(word).copied().unwrap_or(0);
            by_first_run
                .entry(&word[..end])
                .or_default()
                .push((word, value));
        }
        Tables {
            by_first_run,
            entries: order.len(),
        }
    }
}

thread_local! {
    static BUFFER: RefCell<String> = const { RefCell::new(String::new()) };
}

/// The AFINN-165 scorer (English word list, no emoticons), as
/// `Afinn(language="en")` of the `afinn` 0.1 Python package.
#[derive(Clone, Copy)]
pub struct Afinn {
    tables: &'static Tables,
}

impl std::fmt::Debug for Afinn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Afinn")
            .field("entries", &self.tables.entries)
            .finish()
    }
}

impl Default for Afinn {
    fn default() -> Self {
        Afinn::new()
    }
}

impl Afinn {
    /// The English AFINN-165 list (3,382 words and phrases).
    pub fn new() -> Afinn {
        Afinn {
            tables: Tables::get(),
        }
    }

    /// Number of entries (3,382).
    pub fn len(&self) -> usize {
        self.tables.entries
    }

    /// Always false: the list is built in.
    pub fn is_empty(&self) -> bool {
        self.tables.entries == 0
    }

    /// Sum of the values of all entries found in `text`.
    pub fn score(&self, text: &str) -> f64 {
        self.score_with(text, &mut |_| {})
    }

    /// As [`Afinn::score`], reporting every matched entry with a non-zero
    /// value, in text order.
    pub fn score_with(&self, text: &str, on_hit: &mut dyn FnMut(WordHit<'_>)) -> f64 {
        let borrowed = BUFFER.try_with(|cell| match cell.try_borrow_mut() {
            Ok(mut buf) => Some(self.score_in(text, &mut buf, &mut *on_hit)),
            Err(_) => None,
        });
        match borrowed {
            Ok(Some(score)) => score,
            _ => self.score_in(text, &mut String::new(), on_hit),
        }
    }

    fn score_in(&self, text: &str, buf: &mut String, on_hit: &mut dyn FnMut(WordHit<'_>)) -> f64 {
        normalize(text, buf);
        let s = buf.as_str();
        let bytes = s.as_bytes();
        let len = s.len();
        // Python's \w at byte offset `i`, and the character's length; ASCII
        // is decided from the byte alone.
        let word_at = |i: usize| -> (bool, usize) {
            let b = bytes[i];
            if b < 0x80 {
                (b.is_ascii_alphanumeric() || b == b'_', 1)
            } else {
                s[i..]
                    .chars()
                    .next()
                    .map_or((false, 1), |c| (is_py_word(c), c.len_utf8()))
            }
        };
        let mut total: i64 = 0;
        let mut pos = 0;
        let mut prev_word = false;
        while pos < len {
            let (is_word, width) = word_at(pos);
            if !is_word || prev_word {
                prev_word = is_word;
                pos += width;
                continue;
            }
            // A run of word characters starts here.
            let mut run_end = pos + width;
            while run_end < len {
                let (w, l) = word_at(run_end);
                if !w {
                    break;
                }
                run_end += l;
            }
            let mut next = run_end;
            if let Some(candidates) = self.tables.by_first_run.get(&s[pos..run_end]) {
                for &(entry, value) in candidates {
                    if !s[pos..].starts_with(entry) {
                        continue;
                    }
                    let end = pos + entry.len();
                    let last_is_word = entry.chars().next_back().is_some_and(is_py_word);
                    let next_is_word = s[end..].chars().next().is_some_and(is_py_word);
                    if last_is_word != next_is_word {
                        total += i64::from(value);
                        if value != 0 {
                            on_hit(WordHit {
                                word: entry,
                                category: polarity_name(f64::from(value)),
                                score: f64::from(value),
                                applied: f64::from(value),
                                entry: None,
                            });
                        }
                        next = end;
                        break;
                    }
                }
            }
            // After a match the character before `next` is a word character
            // (entries end with one); after a plain run it is too.
            pos = next;
            prev_word = true;
        }
        total as f64
    }
}

/// `re.sub(r"\s+", " ", text).lower()` into `buf`.
fn normalize(text: &str, buf: &mut String) {
    buf.clear();
    buf.reserve(text.len());
    if text.is_ascii() {
        // Runs without white space are copied whole and lower-cased in
        // place; each run of white space becomes one space.
        let bytes = text.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            let start = i;
            while i < bytes.len() && !crate::pychars::is_py_space_byte(bytes[i]) {
                i += 1;
            }
            if i > start {
                let at = buf.len();
                buf.push_str(&text[start..i]);
                buf[at..].make_ascii_lowercase();
            }
            if i < bytes.len() {
                buf.push(' ');
                while i < bytes.len() && crate::pychars::is_py_space_byte(bytes[i]) {
                    i += 1;
                }
            }
        }
        return;
    }
    let mut rest = text;
    while !rest.is_empty() {
        let cut = rest.find(is_py_space).unwrap_or(rest.len());
        push_lowercase(buf, &rest[..cut]);
        rest = &rest[cut..];
        let after = rest.trim_start_matches(is_py_space);
        if after.len() != rest.len() {
            buf.push(' ');
        }
        rest = after;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loads_every_entry() {
        let a = Afinn::new();
        assert_eq!(a.len(), 3_382);
        for (run, list) in &a.tables.by_first_run {
            for pair in list.windows(2) {
                assert!(
                    pair[0].0.chars().count() >= pair[1].0.chars().count(),
                    "{run}"
                );
            }
        }
    }

    #[test]
    fn entries_start_and_end_with_word_characters() {
        for line in AFINN_165.lines() {
            let word = line.split('\t').next().unwrap_or("");
            assert!(word.chars().next().is_some_and(is_py_word), "{word}");
            assert!(word.chars().next_back().is_some_and(is_py_word), "{word}");
        }
    }

    // Expected values from afinn 0.1 (its own doctests and checks run with it).
    #[test]
    fn matches_reference_examples() {
        let a = Afinn::new();
        assert_eq!(a.score("This is utterly excellent!"), 3.0);
        assert_eq!(a.score("Good and bad"), 0.0);
        assert_eq!(a.score("some kind of idiot"), -3.0);
        assert_eq!(a.score("I can't stand it"), -3.0);
        assert_eq!(a.score("GOOD   GOOD\tgood"), 9.0);
        assert_eq!(a.score("goodness"), 3.0);
        assert_eq!(a.score("goodx"), 0.0);
        assert_eq!(a.score("good_bad"), 0.0);
        assert_eq!(a.score("a well-being"), 2.0);
        assert_eq!(a.score("naïve plan"), -2.0);
        assert_eq!(a.score(""), 0.0);
    }

    #[test]
    fn hits_skip_zero_entries() {
        let a = Afinn::new();
        let mut hits = Vec::new();
        let s = a.score_with("some kind of idiot, good", &mut |h| {
            hits.push((h.word.to_string(), h.applied))
        });
        assert_eq!(s, 0.0);
        assert_eq!(
            hits,
            vec![("idiot".to_string(), -3.0), ("good".to_string(), 3.0)]
        );
    }
}
