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
//!
//! The scorer walks the original text once, without building the normalised
//! copy: lower-casing maps every character to one character of the same
//! class (word, white space, other), so the word runs of the text and of its
//! normalised form are the same runs, and an entry's space stands for one
//! or more white-space characters of the text. The few characters for which
//! that does not hold (see [`NEEDS_NORMALISED_COPY`]) send their document to
//! the scan of the normalised copy, which is the reference path.

use std::cell::RefCell;
use std::sync::OnceLock;

use hashbrown::{HashMap, HashTable};
use lexiscope_text::bytemask::{ByteMasks, Window, WINDOW};

use crate::pychars::{is_py_space, is_py_word, push_lowercase};
use crate::types::{polarity_name, WordHit};
use crate::wordtable::{load_word, low_bytes, HIGH_BITS, ONES};

const AFINN_165: &str = include_str!("../../../data/lexicons/AFINN-en-165.txt");

/// An entry whose first word run is a given text run: the entry, its value
/// and its number (its place in the longest-first order, one per entry).
type Candidate = (&'static str, i32, u32);

/// Adds a matched entry's value to `total` and reports it as a hit (an
/// entry valued 0 is no hit).
#[inline(always)]
fn count_match(
    (entry, value, number): Candidate,
    total: &mut i64,
    on_hit: &mut dyn FnMut(WordHit<'_>),
) {
    *total += i64::from(value);
    if value != 0 {
        on_hit(WordHit {
            word: entry,
            category: polarity_name(f64::from(value)),
            score: f64::from(value),
            applied: f64::from(value),
            entry: Some(number),
        });
    }
}

struct Tables {
    /// First word run of an entry (its bytes) -> (entry, value), longest
    /// entry first.
    by_first_run: HashMap<&'static [u8], Vec<Candidate>>,
    /// Length in bytes of the longest first run: a longer run of the text
    /// cannot be one.
    max_key_len: usize,
    /// The same first runs, packed (see [`Key`]), for the direct scan.
    direct: HashTable<Slot>,
    /// One bit per value of the top 16 bits of [`key_hash`], set for the
    /// first runs: most runs of a text are no first run and stop here.
    prefilter: Box<[u64; 1024]>,
    /// Every first run fits in a [`Key`] (else the direct scan is off).
    direct_ok: bool,
    entries: usize,
}

/// A first run in the direct scan's table.
struct Slot {
    key: Key,
    /// The run's one candidate when it is the whole entry (a single word
    /// no phrase starts with: nearly every entry), which then always
    /// matches: kept here, so that a hit reads neither the candidate list
    /// nor the entry's text (two more cache misses).
    only: Option<Candidate>,
    /// The candidates otherwise, longest entry first.
    candidates: Vec<Candidate>,
}

/// Up to [`KEY_BYTES`] bytes of a lower-cased word run, little-endian,
/// zero-padded (no word character is a zero byte, so the padding cannot
/// be confused with the key).
type Key = [u64; 3];

/// Longest run, in bytes, a [`Key`] holds.
const KEY_BYTES: usize = 24;

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
        let mut by_first_run: HashMap<&'static [u8], Vec<Candidate>> =
            HashMap::with_capacity(order.len());
        let mut max_key_len = 0;
        for (number, word) in order.iter().enumerate() {
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
            max_key_len = max_key_len.max(end);
            by_first_run
                .entry(&word.as_bytes()[..end])
                .or_default()
                .push((word, value, number as u32));
        }
        let mut direct = HashTable::with_capacity(by_first_run.len());
        let mut prefilter = Box::new([0u64; 1024]);
        let mut direct_ok = true;
        for (&run, candidates) in &by_first_run {
            let Some(key) = pack(run) else {
                direct_ok = false;
                continue;
            };
            let hash = key_hash(&key);
            set_prefilter(&mut prefilter, hash);
            // A run made of word characters, as the whole entry, ends with
            // one: the candidate matches wherever the run stands alone.
            let (only, candidates) = match candidates.as_slice() {
                &[c] if c.0.len() == run.len() => (Some(c), Vec::new()),
                _ => (None, candidates.clone()),
            };
            direct.insert_unique(
                hash,
                Slot {
                    key,
                    only,
                    candidates,
                },
                |s: &Slot| key_hash(&s.key),
            );
        }
        Tables {
            by_first_run,
            max_key_len,
            direct,
            prefilter,
            direct_ok,
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
        if !self.tables.direct_ok || needs_normalised_copy(text) {
            self.score_normalised(text, buf, on_hit)
        } else {
            self.score_direct(text, buf, on_hit)
        }
    }

    /// The scan of the original text, valid when `needs_normalised_copy`
    /// is false. `scratch` holds the lower-cased form of a non-ASCII run.
    fn score_direct(
        &self,
        text: &str,
        scratch: &mut String,
        on_hit: &mut dyn FnMut(WordHit<'_>),
    ) -> f64 {
        let tables = self.tables;
        let bytes = text.as_bytes();
        let len = bytes.len();
        let mut total: i64 = 0;
        let mut pos = 0;
        let mut window = Window::empty((0, 0));
        // Invariant: `pos` is a character boundary and the character before
        // it (if any) is not a word character, or `pos` is past a run that
        // was already looked at.
        while pos < len {
            // The next 64 bytes' classes at a time where the text is ASCII:
            // skip non-word bytes, and take a run that ends in them, before
            // an ASCII byte, whole.  Anything else goes the general way
            // below from the first word or non-ASCII byte.
            if !window.covers(pos) {
                window = Window::at(bytes, pos, word_and_high);
            }
            let (word, high) = window.masks;
            let off = pos - window.base;
            let next = (word | high) & (u64::MAX << off);
            if next == 0 {
                pos = (window.base + WINDOW).min(len);
                continue;
            }
            let s = next.trailing_zeros() as usize;
            let start = window.base + s;
            pos = start;
            if word >> s & 1 == 1 {
                let n = ((!word) >> s).trailing_zeros() as usize;
                if s + n < WINDOW {
                    if high >> (s + n) & 1 == 0 {
                        let end = start + n;
                        pos = end;
                        if n <= tables.max_key_len {
                            // A run of up to eight bytes (most) is one word
                            // read and cut to the run.
                            let key = match load_word(bytes, start) {
                                Some(w) if n <= 8 => [ascii_lower_word(w & low_bytes(n)), 0, 0],
                                _ => pack_ascii_lower(bytes, start, n),
                            };
                            pos = self.match_at(text, end, &key, n, &mut total, on_hit);
                        }
                        continue;
                    }
                } else if s > 0 {
                    // The run may go on past the window: look again with a
                    // window that starts at the run.
                    window = Window::at(bytes, pos, word_and_high);
                    continue;
                }
                // A run of 64 bytes or more, or one that a character outside
                // ASCII ends or continues: the general way.
            }
            let class = BYTE_CLASS[usize::from(bytes[pos])];
            if class != WORD {
                if class == OTHER {
                    pos += 1;
                    continue;
                }
                let (is_word, width) = char_at(text, pos);
                if !is_word {
                    pos += width;
                    continue;
                }
            }
            // A run of word characters starts at `pos`.
            let start = pos;
            let mut end = pos;
            let mut ascii = true;
            while end < len {
                match BYTE_CLASS[usize::from(bytes[end])] {
                    WORD => end += 1,
                    OTHER => break,
                    _ => {
                        let (is_word, width) = char_at(text, end);
                        if !is_word {
                            break;
                        }
                        ascii = false;
                        end += width;
                    }
                }
            }
            pos = end;
            let n = end - start;
            if ascii {
                if n <= tables.max_key_len {
                    let key = pack_ascii_lower(bytes, start, n);
                    pos = self.match_at(text, end, &key, n, &mut total, on_hit);
                }
            } else {
                scratch.clear();
                push_lowercase(scratch, &text[start..end]);
                if let Some(key) = pack(scratch.as_bytes()) {
                    pos = self.match_at(text, end, &key, scratch.len(), &mut total, on_hit);
                }
            }
        }
        total as f64
    }

    /// Looks up the word run that ends at byte offset `end` (its lower-cased
    /// form packed in `key`, `key_len` bytes long) and matches its
    /// candidates, longest first; adds the value of the one that matches to
    /// `total`. Returns where the scan goes on: after the match, or `end`.
    #[inline(always)]
    fn match_at(
        &self,
        text: &str,
        end: usize,
        key: &Key,
        key_len: usize,
        total: &mut i64,
        on_hit: &mut dyn FnMut(WordHit<'_>),
    ) -> usize {
        let hash = key_hash(key);
        if !in_prefilter(&self.tables.prefilter, hash) {
            return end;
        }
        self.match_candidates(text, end, key, hash, key_len, total, on_hit)
    }

    /// [`Afinn::match_at`] for a run that passed the prefilter.
    #[allow(clippy::too_many_arguments)]
    fn match_candidates(
        &self,
        text: &str,
        end: usize,
        key: &Key,
        hash: u64,
        key_len: usize,
        total: &mut i64,
        on_hit: &mut dyn FnMut(WordHit<'_>),
    ) -> usize {
        let tables = self.tables;
        let Some(slot) = tables.direct.find(hash, |s| s.key == *key) else {
            return end;
        };
        if let Some(candidate) = slot.only {
            count_match(candidate, total, on_hit);
            return end;
        }
        for &candidate @ (entry, _, _) in &slot.candidates {
            let Some(rest) = entry.get(key_len..) else {
                continue;
            };
            let matched = if rest.is_empty() {
                // The run is followed by a non-word character or the end,
                // and the entry ends with a word character.
                entry
                    .chars()
                    .next_back()
                    .is_some_and(is_py_word)
                    .then_some(end)
            } else {
                match_rest(text, end, entry, rest)
            };
            if let Some(match_end) = matched {
                count_match(candidate, total, on_hit);
                return match_end;
            }
        }
        end
    }

    /// The reference scan: normalise `text` into `buf`, then match there.
    fn score_normalised(
        &self,
        text: &str,
        buf: &mut String,
        on_hit: &mut dyn FnMut(WordHit<'_>),
    ) -> f64 {
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
            if let Some(candidates) = self.tables.by_first_run.get(&s.as_bytes()[pos..run_end]) {
                for &candidate @ (entry, _, _) in candidates {
                    if !s[pos..].starts_with(entry) {
                        continue;
                    }
                    let end = pos + entry.len();
                    let last_is_word = entry.chars().next_back().is_some_and(is_py_word);
                    let next_is_word = s[end..].chars().next().is_some_and(is_py_word);
                    if last_is_word != next_is_word {
                        count_match(candidate, &mut total, on_hit);
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

/// Characters whose lower-case form is not one character of the same class
/// (word, white space, other). A document that holds one is scored on its
/// normalised copy. The test `lowercase_keeps_length_and_class` checks this
/// list against every character. U+0130 'İ' lower-cases to "i" and a
/// combining dot; the four others are letters newer than the Unicode version
/// of the character tables (so not word characters there) whose lower-case
/// forms are older letters.
const NEEDS_NORMALISED_COPY: &[char] = &['\u{130}', '\u{a7cb}', '\u{a7d2}', '\u{a7d4}', '\u{a7dc}'];

/// The first UTF-8 bytes of the characters of [`NEEDS_NORMALISED_COPY`].
const NEEDS_NORMALISED_COPY_LEADS: [u8; 2] = [0xc4, 0xea];

/// Does `text` hold a character of [`NEEDS_NORMALISED_COPY`]? A lead byte
/// always starts a character, so each one found is decoded and checked.
fn needs_normalised_copy(text: &str) -> bool {
    let [a, b] = NEEDS_NORMALISED_COPY_LEADS;
    memchr::memchr2_iter(a, b, text.as_bytes()).any(|i| {
        text.get(i..)
            .and_then(|s| s.chars().next())
            .is_some_and(|c| NEEDS_NORMALISED_COPY.contains(&c))
    })
}

/// `key` (lower-cased word run bytes) as a [`Key`], if it fits.
fn pack(key: &[u8]) -> Option<Key> {
    if key.len() > KEY_BYTES {
        return None;
    }
    let mut buf = [0u8; KEY_BYTES];
    buf[..key.len()].copy_from_slice(key);
    Some(words(&buf))
}

/// The three little-endian words of `buf`.
#[inline]
fn words(buf: &[u8; KEY_BYTES]) -> Key {
    let word = |i: usize| {
        let mut w = [0u8; 8];
        w.copy_from_slice(&buf[i * 8..i * 8 + 8]);
        u64::from_le_bytes(w)
    };
    [word(0), word(1), word(2)]
}

/// The direct scan's classes of a window's bytes: ASCII word characters
/// (`[0-9A-Za-z_]`), and bytes of characters outside ASCII.
#[inline(always)]
fn word_and_high(m: ByteMasks) -> (u64, u64) {
    (m.alnum | m.underscore, m.high)
}

/// The key of the ASCII word run `bytes[start..start + n]`, `n` at most
/// [`KEY_BYTES`]: loaded eight bytes at a time, cut to `n` bytes and
/// lower-cased in the word.
#[inline]
fn pack_ascii_lower(bytes: &[u8], start: usize, n: usize) -> Key {
    let mut key = match bytes.get(start..start + KEY_BYTES) {
        Some(window) => {
            let mut buf = [0u8; KEY_BYTES];
            buf.copy_from_slice(window);
            words(&buf)
        }
        None => {
            let mut buf = [0u8; KEY_BYTES];
            let run = bytes.get(start..start + n).unwrap_or_default();
            buf[..run.len()].copy_from_slice(run);
            words(&buf)
        }
    };
    for (i, w) in key.iter_mut().enumerate() {
        let valid = n.saturating_sub(i * 8).min(8);
        let mask = if valid == 8 {
            u64::MAX
        } else {
            (1u64 << (8 * valid)) - 1
        };
        *w = ascii_lower_word(*w & mask);
    }
    key
}

/// Lower-cases the ASCII letters among eight bytes that are all ASCII.
#[inline]
fn ascii_lower_word(w: u64) -> u64 {
    // No byte is above 0x7f, so neither sum carries into the next byte.
    let at_least_a = w + ONES * u64::from(0x80 - b'A');
    let above_z = w + ONES * u64::from(0x80 - b'Z' - 1);
    let upper = at_least_a & !above_z & HIGH_BITS;
    w | (upper >> 2)
}

/// A cheap hash of a packed key: the three words folded together, one
/// multiplication (its top 16 bits index the prefilter), and a final fold
/// so that hashbrown's low bucket bits see the high bits. Keys that share
/// a hash only cost a comparison more.
#[inline(always)]
fn key_hash(key: &Key) -> u64 {
    const K: u64 = 0x9e37_79b9_7f4a_7c15;
    let h = (key[0] ^ key[1].rotate_left(21) ^ key[2].rotate_left(42)).wrapping_mul(K);
    h ^ (h >> 29)
}

fn set_prefilter(bits: &mut [u64; 1024], hash: u64) {
    let i = (hash >> 48) as usize;
    bits[i >> 6] |= 1 << (i & 63);
}

#[inline]
fn in_prefilter(bits: &[u64; 1024], hash: u64) -> bool {
    let i = (hash >> 48) as usize;
    bits[i >> 6] & (1 << (i & 63)) != 0
}

const OTHER: u8 = 0;
const WORD: u8 = 1;
const NON_ASCII: u8 = 2;

/// Class of a byte: ASCII word character (`[0-9A-Za-z_]`), other ASCII, or
/// part of a non-ASCII character (to be decoded).
static BYTE_CLASS: [u8; 256] = {
    let mut table = [OTHER; 256];
    let mut b = 0;
    while b < 256 {
        let byte = b as u8;
        table[b] = if byte >= 0x80 {
            NON_ASCII
        } else if byte.is_ascii_alphanumeric() || byte == b'_' {
            WORD
        } else {
            OTHER
        };
        b += 1;
    }
    table
};

/// Is the character at byte offset `i` (a character boundary) a Python
/// word character, and how many bytes does it take?
#[inline]
fn char_at(text: &str, i: usize) -> (bool, usize) {
    text.get(i..)
        .and_then(|s| s.chars().next())
        .map_or((false, 1), |c| (is_py_word(c), c.len_utf8()))
}

/// The one-character lower-case form of `c` (see [`NEEDS_NORMALISED_COPY`]).
#[inline]
fn lower_char(c: char) -> char {
    if c.is_ascii() {
        c.to_ascii_lowercase()
    } else {
        c.to_lowercase().next().unwrap_or(c)
    }
}

/// Matches `rest`, the part of `entry` after its first run, against the
/// original text from byte offset `at`, as the normalised text would be
/// matched: a space of the entry takes one or more white-space characters
/// of the text, any other character must equal the text's character
/// lower-cased. Then, as `\b` demands, the entry's last character and the
/// text's next one must differ in being word characters. Returns the end
/// of the match.
fn match_rest(text: &str, at: usize, entry: &str, rest: &str) -> Option<usize> {
    let mut i = at;
    for want in rest.chars() {
        if want == ' ' {
            let start = i;
            while let Some(c) = text.get(i..).and_then(|s| s.chars().next()) {
                if !is_py_space(c) {
                    break;
                }
                i += c.len_utf8();
            }
            if i == start {
                return None;
            }
        } else if is_py_space(want) {
            // The normalised text has no white space but single spaces.
            return None;
        } else {
            let c = text.get(i..).and_then(|s| s.chars().next())?;
            if lower_char(c) != want {
                return None;
            }
            i += c.len_utf8();
        }
    }
    let last_is_word = entry.chars().next_back().is_some_and(is_py_word);
    let next_is_word = text
        .get(i..)
        .and_then(|s| s.chars().next())
        .is_some_and(is_py_word);
    (last_is_word != next_is_word).then_some(i)
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
        assert!(a.tables.direct_ok);
        assert_eq!(a.tables.direct.len(), a.tables.by_first_run.len());
        assert!(a.tables.max_key_len <= KEY_BYTES);
        for (run, list) in &a.tables.by_first_run {
            for pair in list.windows(2) {
                assert!(
                    pair[0].0.chars().count() >= pair[1].0.chars().count(),
                    "{run:?}"
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

    /// Every character's lower-case form is one character of the same
    /// class, except the characters of `NEEDS_NORMALISED_COPY`.
    #[test]
    fn lowercase_keeps_length_and_class() {
        let class = |c: char| (is_py_word(c), is_py_space(c));
        let mut exceptions = Vec::new();
        let mut checked = 0;
        for c in (0..=0x10_FFFF_u32).filter_map(char::from_u32) {
            let mut lower = String::new();
            push_lowercase(&mut lower, c.encode_utf8(&mut [0; 4]));
            let mut chars = lower.chars();
            let ok = match (chars.next(), chars.next()) {
                (Some(l), None) => class(l) == class(c) && l == lower_char(c),
                _ => false,
            };
            if !ok {
                exceptions.push(c);
            }
            checked += 1;
        }
        assert_eq!(checked, 0x11_0000 - 0x800);
        assert_eq!(exceptions, NEEDS_NORMALISED_COPY);
        for &c in NEEDS_NORMALISED_COPY {
            let lead = c.encode_utf8(&mut [0; 4]).as_bytes()[0];
            assert!(NEEDS_NORMALISED_COPY_LEADS.contains(&lead), "{c:?}");
            assert!(needs_normalised_copy(&format!("ab{c}cd")));
            assert!(needs_normalised_copy(&format!("{c}")));
        }
        // Same lead bytes, other characters.
        assert!(!needs_normalised_copy(
            "ab i\u{307} \u{131} \u{a7ca} \u{ac00} cd"
        ));
    }

    #[test]
    fn dotted_capital_i_takes_the_normalised_path() {
        // "İ" lower-cases to "i" and a combining dot, which is not a word
        // character: Python sees the word "good" in "xİgood".
        let a = Afinn::new();
        let text = "xİgood";
        assert_eq!(a.score(text), 3.0);
        assert_eq!(
            a.score_normalised(text, &mut String::new(), &mut |_| {}),
            3.0
        );
        // The direct scan would see one run "xi̇good"; the check keeps it away.
        assert_eq!(a.score_direct(text, &mut String::new(), &mut |_| {}), 0.0);
        assert_eq!(a.score("İdiot idiot"), -3.0);
    }

    #[test]
    fn phrases_across_any_white_space() {
        let a = Afinn::new();
        assert_eq!(a.score("I CAN'T\u{a0}\n STAND it"), -3.0);
        assert_eq!(a.score("can't standing"), 0.0);
        assert_eq!(a.score("can'tstand"), 0.0);
        assert_eq!(a.score("can't\u{200b}stand"), 0.0);
        assert_eq!(a.score("Well-Being"), 2.0);
        assert_eq!(a.score("well -being"), 0.0);
        assert_eq!(a.score("NAÏVE"), -2.0);
        assert_eq!(a.score("naïveté"), 0.0);
    }

    /// Every field of a hit, owned.
    type Hits = Vec<(String, String, f64, f64)>;

    fn record(hits: &mut Hits) -> impl FnMut(WordHit<'_>) + '_ {
        |h| {
            hits.push((
                h.word.to_string(),
                h.category.to_string(),
                h.score,
                h.applied,
            ))
        }
    }

    /// (score, hits) from the public path and from the normalised scan.
    fn both_paths(text: &str) -> ((f64, Hits), (f64, Hits)) {
        let a = Afinn::new();
        let mut fast = Vec::new();
        let fast_score = a.score_with(text, &mut record(&mut fast));
        let mut slow = Vec::new();
        let slow_score = a.score_normalised(text, &mut String::new(), &mut record(&mut slow));
        ((fast_score, fast), (slow_score, slow))
    }

    /// Every entry of more than one word run ("can't stand", "well-being").
    fn phrases() -> Vec<&'static str> {
        let mut out: Vec<&'static str> = Tables::get()
            .by_first_run
            .values()
            .flatten()
            .map(|&(e, _, _)| e)
            .filter(|e| e.contains(|c: char| !is_py_word(c)))
            .collect();
        out.sort_unstable();
        out
    }

    /// Pieces random texts are made of: a slice of the entries as listed
    /// and upper-cased, the words of the phrases, white space of all kinds,
    /// punctuation, accented letters, "İ" and the other characters that
    /// need the normalised copy, digits, underscores and emoji.
    fn pieces() -> Vec<String> {
        let mut entries: Vec<&str> = Tables::get()
            .by_first_run
            .values()
            .flatten()
            .map(|&(e, _, _)| e)
            .collect();
        entries.sort_unstable();
        let mut out: Vec<String> = Vec::new();
        for e in entries.iter().step_by(10) {
            out.push(e.to_string());
            out.push(e.to_uppercase());
        }
        for e in phrases() {
            out.extend(e.split(' ').map(str::to_string));
            out.extend(e.split(|c: char| !is_py_word(c)).map(str::to_string));
        }
        for p in [
            " ", "  ", "\n", "\t", "\r\n", "\u{a0}", "\u{2003}", "\u{3000}", "\u{1c}", "\u{85}",
            "\u{200b}", ".", ",", "!", "?", "'", "\u{2019}", "-", "\u{2014}", "\"", "(", ")", "é",
            "É", "naïve", "NAÏVE", "ß", "Straße", "İ", "ı", "i\u{307}", "\u{307}", "0", "42", "_",
            "__", "😀", "👍🏽", "ǅ", "Σ", "ς", "Ω", "\u{a7cb}", "a", "s", "t", "x",
        ] {
            out.push(p.to_string());
        }
        out
    }

    /// What a phrase's spaces are replaced with.
    const SEPARATORS: &[&str] = &[
        " ",
        " ",
        "",
        "  ",
        "\u{a0}\n ",
        "\t\u{2003}",
        "\u{85}",
        "-",
        "'",
        "_",
        "\u{200b}",
        " x ",
    ];

    /// What goes between two picks.
    const JOINERS: &[&str] = &[
        "",
        " ",
        " ",
        " ",
        " ",
        "\n",
        "\u{a0}",
        ", ",
        ". ",
        "-",
        "'",
        "\t\u{2003}",
        "_",
        "\u{2019}",
    ];

    use proptest::prelude::{any, ProptestConfig};
    use proptest::sample::Index;

    proptest::proptest! {
        #![proptest_config(ProptestConfig::with_cases(3_000))]

        /// Random texts mixing phrases (their spaces replaced by other
        /// white space or by something else, in any case) with pieces,
        /// joined by white space, punctuation or nothing.
        #[test]
        fn direct_scan_equals_normalised_scan(
            picks in proptest::collection::vec(
                (any::<Index>(), any::<Index>(), 0u8..6, any::<Index>()),
                0..30,
            ),
            extra in proptest::collection::vec(any::<char>(), 0..4),
        ) {
            let pieces = pieces();
            let phrases = phrases();
            let mut text = String::new();
            for (i, j, mode, joiner) in &picks {
                text.push_str(joiner.get::<&str>(JOINERS));
                match mode {
                    0 | 1 => {
                        let phrase = i.get(&phrases).replace(' ', j.get::<&str>(SEPARATORS));
                        if *mode == 1 {
                            text.push_str(&phrase.to_uppercase());
                        } else {
                            text.push_str(&phrase);
                        }
                    }
                    _ => text.push_str(i.get(&pieces).as_str()),
                }
            }
            for (k, c) in extra.into_iter().enumerate() {
                let mut at = (k * 7919) % (text.len() + 1);
                while !text.is_char_boundary(at) {
                    at -= 1;
                }
                text.insert(at, c);
            }
            let (fast, slow) = both_paths(&text);
            proptest::prop_assert_eq!(&fast, &slow, "{:?}", text);
            if !needs_normalised_copy(&text) {
                let a = Afinn::new();
                let direct = a.score_direct(&text, &mut String::new(), &mut |_| {});
                proptest::prop_assert_eq!(direct, slow.0, "{:?}", text);
            }
        }
    }

    #[test]
    fn packed_keys_lower_case_and_cut() {
        let text = b"WELL_being0Zz@[`{ ABCDEFGHIJKLMNOPQRSTUVWX tail";
        for start in [0, 4, 18, 22] {
            for n in 0..=KEY_BYTES.min(text.len() - start) {
                let run = &text[start..start + n];
                let want = pack(&run.to_ascii_lowercase());
                assert_eq!(Some(pack_ascii_lower(text, start, n)), want, "{start} {n}");
            }
        }
        // Near the end of the text the window is shorter than a key.
        assert_eq!(Some(pack_ascii_lower(b"xGoOd", 1, 4)), pack(b"good"));
        assert_eq!(pack(&[b'a'; KEY_BYTES + 1]), None);
    }

    /// Runs of word characters that start and end on either side of the
    /// direct scan's 64-byte windows, and runs longer than a window: the
    /// same scores and hits as the normalised scan.
    #[test]
    fn runs_across_and_beyond_windows() {
        let words = ["good", "Bad", "abandon", "can't stand", "x", "_", "superb"];
        for lead in 0..70 {
            for (k, w) in words.iter().enumerate() {
                for run in [1, 7, 8, 9, 63, 64, 65, 130] {
                    let long: String = "ab".repeat(run).chars().take(run).collect();
                    let text = format!(
                        "{}{w} {long} {w}{}good. {long}{w} bad",
                        " ".repeat(lead),
                        "!".repeat(k)
                    );
                    let (fast, slow) = both_paths(&text);
                    assert_eq!(fast, slow, "{text:?}");
                    let direct = Afinn::new().score_direct(&text, &mut String::new(), &mut |_| {});
                    assert_eq!(direct, slow.0, "{text:?}");
                }
            }
        }
    }

    #[test]
    fn words_lower_cased_eight_at_a_time() {
        for b in 0..=127u8 {
            let w = ascii_lower_word(u64::from_le_bytes([b; 8]));
            assert_eq!(w.to_le_bytes(), [b.to_ascii_lowercase(); 8], "{b}");
        }
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
