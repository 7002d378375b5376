//! Token-based lexicons: Bing and user files (valence `word,score`,
//! categorical `word,category`, and the NRC Emotion Lexicon's
//! `word<TAB>emotion<TAB>0|1`).
//!
//! Scoring mirrors tidytext's `inner_join(lexicon)` on word tokens: every
//! lexicon row whose word equals a token counts once for that token, so a
//! word listed under two categories counts in both, and a row listed twice
//! counts twice.

use std::borrow::Cow;
use std::path::Path;

use hashbrown::HashMap;
use lexiscope_text::words::order_key;
use smallvec::SmallVec;

use crate::error::SentimentError;
use crate::types::{polarity_name, WordHit};
use crate::wordtable::WordTable;

/// A lexicon's words with their values, found through a [`WordTable`]:
/// a token the word tokenizer hands over with its 16-byte head (see
/// `Tokenizer::for_each_headed` in lexiscope-text) is hashed and compared
/// from that head, where a general map hashed and compared its bytes
/// (40% of `sentiment --lexicon bing`'s processor time).
#[derive(Debug, Clone)]
pub(crate) struct Entries<V> {
    words: Vec<(Box<str>, V)>,
    /// Each word's entry number, and its quick column (see [`NUMBER_BITS`]).
    index: WordTable<u32>,
    /// Whether the index's values carry quick columns: not for a lexicon
    /// of 2^24 words or more, whose entry numbers need every bit.
    quick: bool,
}

/// Bits of a word table value that hold the entry's number; above them, an
/// entry that is one category column and nothing else holds that column
/// plus one (0 for any other entry), so that counting a token of the most
/// common kind of entry (a Bing word in one list) reads the table and
/// nothing more.
const NUMBER_BITS: u32 = 24;

impl<V> Entries<V> {
    /// The entries of a lexicon's `(word, value)` rows, given in file
    /// order: a word on several rows gets all their values, in file order.
    fn from_rows<T>(mut rows: Vec<(Box<str>, T)>, quick: impl Fn(&V) -> Option<u16>) -> Self
    where
        V: Default + Extend<T>,
    {
        // Sorted by word: by the first eight bytes as a number first (the
        // same order, decided without a call for nearly every pair), the
        // whole words on a tie.  A stable sort keeps a word's rows in file
        // order, and takes one pass over rows already in order, as the
        // built-in lexicons' nearly are (a hash map in between took longer
        // than the rest of loading Bing).
        rows.sort_by(|a, b| {
            order_key(a.0.as_bytes())
                .cmp(&order_key(b.0.as_bytes()))
                .then_with(|| a.0.cmp(&b.0))
        });
        let mut words: Vec<(Box<str>, V)> = Vec::with_capacity(rows.len());
        for (word, value) in rows {
            match words.last_mut() {
                Some((last, values)) if *last == word => values.extend(Some(value)),
                _ => {
                    let mut values = V::default();
                    values.extend(Some(value));
                    words.push((word, values));
                }
            }
        }
        let fits = words.len() < 1 << NUMBER_BITS;
        let index = WordTable::new(words.iter().enumerate().map(|(i, (w, v))| {
            let column = quick(v)
                .filter(|&c| fits && c < 255)
                .map_or(0, |c| u32::from(c) + 1);
            (w.as_bytes(), i as u32 | column << NUMBER_BITS)
        }));
        Entries {
            words,
            index,
            quick: fits,
        }
    }

    /// The entry number of a word table value.
    #[inline(always)]
    fn number(&self, value: u32) -> usize {
        if self.quick {
            (value & ((1 << NUMBER_BITS) - 1)) as usize
        } else {
            value as usize
        }
    }

    /// The one category column of a word table value's entry, if that is
    /// all the entry holds (see [`NUMBER_BITS`]).
    #[inline(always)]
    fn quick_column(&self, value: u32) -> Option<usize> {
        let column = value >> NUMBER_BITS;
        (self.quick && column != 0).then(|| column as usize - 1)
    }

    fn len(&self) -> usize {
        self.words.len()
    }

    /// Entry number `i`: its word and value.
    fn at(&self, i: usize) -> Option<(&str, &V)> {
        self.words.get(i).map(|(w, v)| (&**w, v))
    }
}

/// A lexicon line's fields: three (the most any layout has) without a
/// heap allocation.
type Fields<'t> = SmallVec<[Cow<'t, str>; 3]>;

/// A valence word's scores (one per line it is on: nearly always one).
type Scores = SmallVec<[f64; 2]>;

/// A categorical word's columns (one per line it is on).
type Columns = SmallVec<[u16; 4]>;

/// A loaded token-based lexicon.
#[derive(Debug, Clone)]
pub(crate) enum TokenLexicon {
    /// Sum of scores.
    Valence { entries: Entries<Scores> },
    /// Counts per category; `categories[i]` is column `i`.
    Categorical {
        entries: Entries<Columns>,
        categories: Vec<String>,
    },
}

/// The number of the hits of entry `i` in category `category` of
/// `categories` (a valence lexicon's two: positive and negative), one per
/// word and category, so that a caller tallies them in an array rather
/// than a map keyed by text ([`WordHit::entry`]); `None` past `u32`.
fn hit_number(i: usize, categories: usize, category: usize) -> Option<u32> {
    i.checked_mul(categories)
        .and_then(|n| n.checked_add(category))
        .and_then(|n| u32::try_from(n).ok())
}

/// The entry and category of a hit number: [`hit_number`] undone.
fn hit_parts(number: u32, categories: usize) -> (usize, usize) {
    let per_word = categories.max(1);
    (number as usize / per_word, number as usize % per_word)
}

/// A valence lexicon's hit categories, as [`hit_number`] counts them:
/// positive (0) and negative (1).
const VALENCE_CATEGORIES: usize = 2;

/// First fields that mark a header row.
const HEADER_WORDS: &[&str] = &[
    "word", "words", "term", "terms", "token", "tokens", "lemma", "entry", "text", "ngram",
];

/// One non-blank line of a lexicon's text, split into trimmed fields.
struct Record<'t> {
    line: usize,
    raw: &'t str,
    /// Unquoted fields are slices of the line; quoted ones are unescaped.
    fields: Fields<'t>,
}

impl TokenLexicon {
    /// Number of distinct words.
    pub(crate) fn len(&self) -> usize {
        match self {
            TokenLexicon::Valence { entries } => entries.len(),
            TokenLexicon::Categorical { entries, .. } => entries.len(),
        }
    }

    /// Category names, one per output column (empty for valence lexicons).
    pub(crate) fn categories(&self) -> &[String] {
        match self {
            TokenLexicon::Valence { .. } => &[],
            TokenLexicon::Categorical { categories, .. } => categories,
        }
    }

    /// The word and category of hit number `number` (see [`hit_number`]):
    /// what a caller that tallied hits by number writes out.
    pub(crate) fn hit_names(&self, number: u32) -> Option<(&str, &str)> {
        match self {
            TokenLexicon::Valence { entries } => {
                let (i, negative) = hit_parts(number, VALENCE_CATEGORIES);
                let (word, _) = entries.at(i)?;
                Some((word, polarity_name(if negative == 1 { -1.0 } else { 1.0 })))
            }
            TokenLexicon::Categorical {
                entries,
                categories,
            } => {
                let (i, category) = hit_parts(number, categories.len());
                let (word, _) = entries.at(i)?;
                Some((word, categories.get(category)?))
            }
        }
    }

    /// Adds the scores of `tokens` to `out` (one slot per column).
    pub(crate) fn score(
        &self,
        tokens: &[&str],
        out: &mut [f64],
        on_hit: &mut dyn FnMut(WordHit<'_>),
    ) {
        match self {
            TokenLexicon::Valence { .. } => {
                // Summed apart, then added: the same additions as token by
                // token into a zeroed column, whatever the column held.
                let mut sum = [0.0];
                for token in tokens {
                    self.score_token(token, &mut sum, on_hit);
                }
                if let Some(slot) = out.first_mut() {
                    *slot += sum[0];
                }
            }
            TokenLexicon::Categorical { .. } => {
                for token in tokens {
                    self.score_token(token, out, on_hit);
                }
            }
        }
    }

    /// Adds one token's values to `out` (valence: its first column;
    /// categorical: one per category column the word is in) and reports
    /// the hits.
    #[inline]
    pub(crate) fn score_token(
        &self,
        token: &str,
        out: &mut [f64],
        on_hit: &mut dyn FnMut(WordHit<'_>),
    ) {
        self.score_found(self.find(token, None), out, on_hit);
    }

    /// The entry number of `token` (see [`TokenLexicon::find_value`]).
    #[inline(always)]
    fn find(&self, token: &str, head: Option<[u64; 2]>) -> Option<usize> {
        Some(self.number(self.find_value(token, head)?))
    }

    /// The entry number of a word table value (see [`NUMBER_BITS`]).
    #[inline(always)]
    fn number(&self, value: u32) -> usize {
        match self {
            TokenLexicon::Valence { entries } => entries.number(value),
            TokenLexicon::Categorical { entries, .. } => entries.number(value),
        }
    }

    /// The word table value of `token` (see [`NUMBER_BITS`]): looked up by
    /// its head when given and the token is at most 16 bytes long (the head
    /// is then the key's two zero-padded words, see [`WordTable`]), by its
    /// bytes otherwise.
    #[inline(always)]
    fn find_value(&self, token: &str, head: Option<[u64; 2]>) -> Option<u32> {
        let index = match self {
            TokenLexicon::Valence { entries } => &entries.index,
            TokenLexicon::Categorical { entries, .. } => &entries.index,
        };
        let found = match head {
            Some(head) if token.len() <= 16 => index.get_short(head, token.len()),
            _ => index.get(token.as_bytes()),
        };
        found.copied()
    }

    /// Whether the lexicon has an entry for `token`, whose head (see
    /// [`TokenLexicon::count_token_headed`]) is `head`.
    #[inline]
    pub(crate) fn has_token_headed(&self, token: &str, head: [u64; 2]) -> bool {
        self.find_value(token, Some(head)).is_some()
    }

    /// [`TokenLexicon::score_token`] of a token whose first 16 bytes, as
    /// `head16` of lexiscope-text gives them, the caller has, for a caller
    /// that wants no hits: a word that is one category and nothing else is
    /// counted from its table value alone.
    #[inline(always)]
    pub(crate) fn count_token_headed(&self, token: &str, head: [u64; 2], out: &mut [f64]) {
        let Some(value) = self.find_value(token, Some(head)) else {
            return;
        };
        if let TokenLexicon::Categorical { entries, .. } = self {
            if let Some(column) = entries.quick_column(value) {
                if let Some(slot) = out.get_mut(column) {
                    *slot += 1.0;
                }
                return;
            }
        }
        self.score_found(Some(self.number(value)), out, &mut |_| {});
    }

    /// Adds the values of entry `found` (if any) to `out` and reports its
    /// hits.
    #[inline]
    fn score_found(
        &self,
        found: Option<usize>,
        out: &mut [f64],
        on_hit: &mut dyn FnMut(WordHit<'_>),
    ) {
        let Some(i) = found else {
            return;
        };
        match self {
            TokenLexicon::Valence { entries } => {
                if let Some((word, values)) = entries.at(i) {
                    for &v in values {
                        if let Some(slot) = out.first_mut() {
                            *slot += v;
                        }
                        if v != 0.0 {
                            on_hit(WordHit {
                                word,
                                category: polarity_name(v),
                                score: v,
                                applied: v,
                                entry: hit_number(i, VALENCE_CATEGORIES, usize::from(v < 0.0)),
                            });
                        }
                    }
                }
            }
            TokenLexicon::Categorical {
                entries,
                categories,
            } => {
                if let Some((word, columns)) = entries.at(i) {
                    for &col in columns {
                        let col = usize::from(col);
                        if let Some(slot) = out.get_mut(col) {
                            *slot += 1.0;
                        }
                        on_hit(WordHit {
                            word,
                            category: categories.get(col).map_or("", String::as_str),
                            score: 1.0,
                            applied: 1.0,
                            entry: hit_number(i, categories.len(), col),
                        });
                    }
                }
            }
        }
    }

    /// The Bing opinion lexicon, columns `positive`, `negative`.
    pub(crate) fn bing(text: &str) -> Result<TokenLexicon, SentimentError> {
        let path = Path::new("<built-in bing.csv>");
        let records = read_records(path, text, ',')?;
        let fixed = ["positive".to_string(), "negative".to_string()];
        build_categorical(path, records.get(1..).unwrap_or(&[]), Some(&fixed))
    }

    /// Loads a user lexicon file.
    pub(crate) fn from_file(path: &Path) -> Result<TokenLexicon, SentimentError> {
        let bytes = std::fs::read(path).map_err(|source| SentimentError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        let text = decode(path, &bytes)?;
        let delim = delimiter(path, text);
        TokenLexicon::parse(path, text, delim)
    }

    fn parse(path: &Path, text: &str, delim: char) -> Result<TokenLexicon, SentimentError> {
        let records = read_records(path, text, delim)?;
        let Some(first) = records.first() else {
            return Err(SentimentError::Empty {
                path: path.to_path_buf(),
            });
        };
        let sep = if delim == '\t' { "a tab" } else { "','" };
        match first.fields.len() {
            2 => {
                let numeric = |r: &Record| parse_score(&r.fields[1]).is_some();
                let header = HEADER_WORDS.contains(&first.fields[0].to_lowercase().as_str())
                    || (!numeric(first)
                        && records
                            .get(1)
                            .is_some_and(|r| r.fields.len() == 2 && numeric(r)));
                let data = &records[usize::from(header)..];
                for r in data {
                    if r.fields.len() != 2 {
                        return Err(malformed(
                            path,
                            r,
                            format!("2 fields separated by {sep} (word, score or word, category)"),
                            r.raw,
                        ));
                    }
                }
                let numbers = data.iter().filter(|r| numeric(r)).count();
                if numbers * 2 > data.len() {
                    build_valence(path, data)
                } else {
                    build_categorical(path, data, None)
                }
            }
            3 => {
                let flag = |r: &Record| matches!(&*r.fields[2], "0" | "1");
                let header = !flag(first);
                let data = &records[usize::from(header)..];
                for r in data {
                    if r.fields.len() != 3 {
                        return Err(malformed(
                            path,
                            r,
                            format!("3 fields separated by {sep} (word, emotion, 0 or 1)"),
                            r.raw,
                        ));
                    }
                    if !flag(r) {
                        return Err(malformed(path, r, "0 or 1 in field 3".into(), &r.fields[2]));
                    }
                }
                let kept: Vec<&Record> = data.iter().filter(|r| r.fields[2] == "1").collect();
                build_categorical_refs(path, data, &kept, None)
            }
            _ => Err(malformed(
                path,
                first,
                format!(
                    "2 fields separated by {sep} (word, score or word, category) \
                     or 3 (word, emotion, 0 or 1)"
                ),
                first.raw,
            )),
        }
    }
}

fn malformed(path: &Path, r: &Record, expected: String, found: &str) -> SentimentError {
    SentimentError::Malformed {
        path: path.to_path_buf(),
        line: r.line,
        expected,
        found: found.to_string(),
    }
}

/// A finite number, or None.
fn parse_score(s: &str) -> Option<f64> {
    s.parse::<f64>().ok().filter(|v| v.is_finite())
}

/// Lower-cases a lexicon word and folds curly apostrophes, as tokens are.
fn normalize_word(w: &str) -> Box<str> {
    if w.is_ascii() {
        // Nearly every word: no curly apostrophe, and ASCII lower case.
        return w.to_ascii_lowercase().into_boxed_str();
    }
    w.to_lowercase()
        .replace(['\u{2019}', '\u{2018}'], "'")
        .into_boxed_str()
}

fn build_valence(path: &Path, data: &[Record]) -> Result<TokenLexicon, SentimentError> {
    let mut rows: Vec<(Box<str>, f64)> = Vec::with_capacity(data.len());
    for r in data {
        if r.fields[0].is_empty() {
            return Err(malformed(path, r, "a word in field 1".into(), r.raw));
        }
        let Some(score) = parse_score(&r.fields[1]) else {
            return Err(malformed(
                path,
                r,
                "a number in field 2 (most lines of this file hold numeric scores)".into(),
                &r.fields[1],
            ));
        };
        rows.push((normalize_word(&r.fields[0]), score));
    }
    if rows.is_empty() {
        return Err(SentimentError::Empty {
            path: path.to_path_buf(),
        });
    }
    Ok(TokenLexicon::Valence {
        entries: Entries::<Scores>::from_rows(rows, |_| None),
    })
}

fn build_categorical(
    path: &Path,
    data: &[Record],
    fixed: Option<&[String]>,
) -> Result<TokenLexicon, SentimentError> {
    for r in data {
        if fixed.is_none() && parse_score(&r.fields[1]).is_some() {
            return Err(malformed(
                path,
                r,
                "a category name in field 2 (most lines of this file hold category names)".into(),
                &r.fields[1],
            ));
        }
    }
    let all: Vec<&Record> = data.iter().collect();
    build_categorical_refs(path, data, &all, fixed)
}

/// Builds a categorical lexicon from `kept` rows; every category seen in
/// `data` gets a column (NRC lists every emotion, 0 or 1).
fn build_categorical_refs(
    path: &Path,
    data: &[Record],
    kept: &[&Record],
    fixed: Option<&[String]>,
) -> Result<TokenLexicon, SentimentError> {
    for r in data {
        if r.fields[0].is_empty() {
            return Err(malformed(path, r, "a word in field 1".into(), r.raw));
        }
        if r.fields[1].is_empty() {
            return Err(malformed(path, r, "a category in field 2".into(), r.raw));
        }
    }
    let categories: Vec<String> = match fixed {
        Some(f) => f.to_vec(),
        None => {
            let mut c: Vec<String> = data.iter().map(|r| r.fields[1].to_string()).collect();
            c.sort_by_cached_key(|name| (sanitize(name), name.clone()));
            c.dedup_by(|a, b| sanitize(a) == sanitize(b));
            c
        }
    };
    if categories.len() > usize::from(u16::MAX) {
        if let Some(last) = data.last() {
            return Err(malformed(
                path,
                last,
                format!("at most {} categories", u16::MAX),
                &last.fields[1],
            ));
        }
    }
    let column_of: HashMap<String, u16> = categories
        .iter()
        .enumerate()
        .map(|(i, c)| (sanitize(c), i as u16))
        .collect();
    let mut rows: Vec<(Box<str>, u16)> = Vec::with_capacity(kept.len());
    // Each distinct category text sanitised once (a lexicon spells its few
    // categories the same on thousands of rows): the first few texts in a
    // list searched in order, any more in a map.
    const LISTED: usize = 16;
    let mut listed: Vec<(&str, Option<u16>)> = Vec::with_capacity(LISTED);
    let mut column_of_text: HashMap<&str, Option<u16>> = HashMap::new();
    for r in kept {
        let text = &*r.fields[1];
        let find = || column_of.get(&sanitize(text)).copied();
        let col = match listed.iter().find(|(t, _)| *t == text) {
            Some(&(_, col)) => col,
            None if listed.len() < LISTED => {
                let col = find();
                listed.push((text, col));
                col
            }
            None => *column_of_text.entry(text).or_insert_with(find),
        };
        let Some(col) = col else {
            return Err(malformed(
                path,
                r,
                format!("one of the categories {}", categories.join(", ")),
                &r.fields[1],
            ));
        };
        rows.push((normalize_word(&r.fields[0]), col));
    }
    // No rows, or (NRC layout) no row marked 1: nothing could ever score.
    if data.is_empty() || rows.is_empty() {
        return Err(SentimentError::Empty {
            path: path.to_path_buf(),
        });
    }
    Ok(TokenLexicon::Categorical {
        entries: Entries::<Columns>::from_rows(rows, |columns| match columns[..] {
            [column] => Some(column),
            _ => None,
        }),
        categories,
    })
}

/// UTF-8 text of a file, without a byte-order mark.
fn decode<'b>(path: &Path, bytes: &'b [u8]) -> Result<&'b str, SentimentError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    std::str::from_utf8(bytes).map_err(|e| SentimentError::Encoding {
        path: path.to_path_buf(),
        line: 1 + bytes[..e.valid_up_to()]
            .iter()
            .filter(|&&b| b == b'\n')
            .count(),
    })
}

/// Tab for `.tsv`/`.tab`, comma for `.csv`, otherwise whatever the first
/// non-blank line uses (a tab if it has one).
fn delimiter(path: &Path, text: &str) -> char {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    match ext.as_deref() {
        Some("tsv" | "tab") => '\t',
        Some("csv") => ',',
        _ => {
            let first = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
            if first.contains('\t') {
                '\t'
            } else {
                ','
            }
        }
    }
}

/// Splits the non-blank lines of `text` into fields (RFC 4180 quotes within
/// a line; fields trimmed).
fn read_records<'t>(
    path: &Path,
    text: &'t str,
    delim: char,
) -> Result<Vec<Record<'t>>, SentimentError> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(memchr::memchr_iter(b'\n', bytes).count() + 1);
    let mut start = 0;
    let ends = memchr::memchr_iter(b'\n', bytes).chain(std::iter::once(bytes.len()));
    for (i, end) in ends.enumerate() {
        let line = &text[start..end];
        start = end + 1;
        let line = line.strip_suffix('\r').unwrap_or(line);
        if trim(line).is_empty() {
            continue;
        }
        let fields = split_fields(line, delim).map_err(|expected| SentimentError::Malformed {
            path: path.to_path_buf(),
            line: i + 1,
            expected: expected.to_string(),
            found: line.to_string(),
        })?;
        out.push(Record {
            line: i + 1,
            raw: line,
            fields,
        });
    }
    Ok(out)
}

/// `s` without its leading spaces (`trim_start_matches(' ')`, which
/// searches for the space with a character searcher: two calls a line).
#[inline]
fn skip_spaces(s: &str) -> &str {
    let n = s.bytes().take_while(|&b| b == b' ').count();
    &s[n..]
}

/// `s.trim()`, without the scan from either end when the end's byte is
/// plainly not white space (a lexicon's fields nearly always).
#[inline]
fn trim(s: &str) -> &str {
    let plain = |b: Option<&u8>| b.is_some_and(|&b| b.is_ascii() && !(b as char).is_whitespace());
    let b = s.as_bytes();
    if plain(b.first()) && plain(b.last()) {
        s
    } else {
        s.trim()
    }
}

fn split_fields(line: &str, delim: char) -> Result<Fields<'_>, &'static str> {
    let mut fields = Fields::new();
    let mut rest = line;
    loop {
        let trimmed = skip_spaces(rest);
        if let Some(quoted) = trimmed.strip_prefix('"') {
            let (value, after) = match memchr::memchr(b'"', quoted.as_bytes()) {
                // No doubled quote inside (nearly every quoted field): the
                // value is a slice of the line.
                Some(i) if !quoted[i + 1..].starts_with('"') => {
                    (Cow::Borrowed(trim(&quoted[..i])), &quoted[i + 1..])
                }
                _ => {
                    let mut value = String::new();
                    let mut chars = quoted.char_indices();
                    let mut after = None;
                    while let Some((i, c)) = chars.next() {
                        if c == '"' {
                            if quoted[i + 1..].starts_with('"') {
                                value.push('"');
                                chars.next();
                            } else {
                                after = Some(&quoted[i + 1..]);
                                break;
                            }
                        } else {
                            value.push(c);
                        }
                    }
                    let Some(after) = after else {
                        return Err("a closing '\"' on the same line");
                    };
                    (Cow::Owned(value.trim().to_string()), after)
                }
            };
            let after = skip_spaces(after);
            fields.push(value);
            if after.is_empty() {
                return Ok(fields);
            }
            match after.strip_prefix(delim) {
                Some(r) => rest = r,
                None => return Err("a field separator after the closing '\"'"),
            }
        } else {
            // The separator is a comma or a tab: a byte search.
            let found = if delim.is_ascii() {
                memchr::memchr(delim as u8, rest.as_bytes())
            } else {
                rest.find(delim)
            };
            match found {
                Some(at) => {
                    fields.push(Cow::Borrowed(trim(&rest[..at])));
                    rest = &rest[at + delim.len_utf8()..];
                }
                None => {
                    fields.push(Cow::Borrowed(trim(rest)));
                    return Ok(fields);
                }
            }
        }
    }
}

/// Lower-case ASCII letters, digits and `_` only: a safe column or file name.
pub(crate) fn sanitize(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for c in name.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('_') {
            out.push('_');
        }
    }
    let trimmed = out.trim_matches('_');
    trimmed.to_string()
}

/// The lexicon name of a file: its sanitised stem.
pub(crate) fn name_of(path: &Path) -> String {
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let name = sanitize(&stem);
    if name.is_empty() {
        "custom".to_string()
    } else {
        name
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The fields of `line` read character by character, every quoted
    /// field unescaped into a new string: what [`split_fields`] must
    /// give, however it gets there.
    fn fields_by_chars(line: &str, delim: char) -> Result<Vec<String>, &'static str> {
        let mut fields = Vec::new();
        let mut chars = line.chars().peekable();
        loop {
            while chars.peek() == Some(&' ') {
                chars.next();
            }
            if chars.peek() == Some(&'"') {
                chars.next();
                let mut value = String::new();
                loop {
                    match chars.next() {
                        None => return Err("a closing '\"' on the same line"),
                        Some('"') if chars.peek() == Some(&'"') => {
                            chars.next();
                            value.push('"');
                        }
                        Some('"') => break,
                        Some(c) => value.push(c),
                    }
                }
                fields.push(value.trim().to_string());
                while chars.peek() == Some(&' ') {
                    chars.next();
                }
                match chars.next() {
                    None => return Ok(fields),
                    Some(c) if c == delim => {}
                    Some(_) => return Err("a field separator after the closing '\"'"),
                }
            } else {
                let mut value = String::new();
                loop {
                    match chars.next() {
                        None => {
                            fields.push(value.trim().to_string());
                            return Ok(fields);
                        }
                        Some(c) if c == delim => break,
                        Some(c) => value.push(c),
                    }
                }
                fields.push(value.trim().to_string());
            }
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2000))]
        #[test]
        fn fields_are_read_as_character_by_character(
            line in "[a\" ,\t\u{e9}\u{b}\u{a0}\u{2003}]{0,16}",
            tab in proptest::prelude::any::<bool>(),
        ) {
            let delim = if tab { '\t' } else { ',' };
            let fast = split_fields(&line, delim)
                .map(|f| f.iter().map(|c| c.to_string()).collect::<Vec<_>>());
            proptest::prop_assert_eq!(fast, fields_by_chars(&line, delim));
        }
    }

    fn parse(text: &str, delim: char) -> Result<TokenLexicon, SentimentError> {
        TokenLexicon::parse(Path::new("lex.csv"), text, delim)
    }

    fn counts(lex: &TokenLexicon, tokens: &[&str], width: usize) -> Vec<f64> {
        let mut out = vec![0.0; width];
        lex.score(tokens, &mut out, &mut |_| {});
        out
    }

    /// The first 16 bytes of `s`, zero-padded, as two little-endian words
    /// (what the word tokenizer hands over with a token).
    fn head(s: &str) -> [u64; 2] {
        let mut b = [0u8; 16];
        let n = s.len().min(16);
        b[..n].copy_from_slice(&s.as_bytes()[..n]);
        let word = |i: usize| u64::from_le_bytes(b[i..i + 8].try_into().unwrap());
        [word(0), word(8)]
    }

    proptest::proptest! {
        /// A token scores the same looked up by its head as by its bytes,
        /// whatever its length (16 bytes and more take the bytes' way) and
        /// whether the lexicon has it.
        #[test]
        fn tokens_score_the_same_by_head(
            words in proptest::collection::vec("[a-zé'-]{1,24}", 1..40),
            probes in proptest::collection::vec("[a-zé'-]{1,24}", 0..40),
            categorical in proptest::prelude::any::<bool>(),
        ) {
            let text: String = words
                .iter()
                .enumerate()
                .map(|(i, w)| {
                    if categorical {
                        format!("{w},{}\n", ["joy", "fear", "anger"][i % 3])
                    } else {
                        format!("{w},{}\n", i as f64 - 7.5)
                    }
                })
                .collect();
            let lex = parse(&text, ',').unwrap();
            let width = lex.categories().len().max(1);
            for t in words.iter().chain(&probes) {
                let mut by_bytes = vec![0.0; width];
                let mut by_head = vec![0.0; width];
                let mut hits_bytes = Vec::new();
                lex.score_token(t, &mut by_bytes, &mut |h| hits_bytes.push(h.word.to_string()));
                lex.count_token_headed(t, head(t), &mut by_head);
                proptest::prop_assert_eq!(&by_bytes, &by_head);
                // Every listed word scores (no value is 0).
                proptest::prop_assert_eq!(words.contains(t), !hits_bytes.is_empty());
            }
        }
    }

    #[test]
    fn one_category_words_count_from_the_table_alone() {
        // Words in one list (counted from their table value) and in several
        // (read from their entry), in a lexicon with a third category.
        let lex = parse(
            "word,sentiment\ngood,positive\nbad,negative\nenvious,positive\nenvious,negative\nbad,negative\nsly,trust\n",
            ',',
        )
        .expect("parses");
        assert_eq!(lex.categories(), ["negative", "positive", "trust"]);
        if let TokenLexicon::Categorical { entries, .. } = &lex {
            let value = |w: &str| lex.find_value(w, None).unwrap();
            assert_eq!(entries.quick_column(value("good")), Some(1));
            assert_eq!(entries.quick_column(value("sly")), Some(2));
            assert_eq!(entries.quick_column(value("envious")), None);
            assert_eq!(entries.quick_column(value("bad")), None, "two lines");
        } else {
            panic!("not categorical");
        }
        for (token, want) in [
            ("good", [0.0, 1.0, 0.0]),
            ("bad", [2.0, 0.0, 0.0]),
            ("envious", [1.0, 1.0, 0.0]),
            ("sly", [0.0, 0.0, 1.0]),
            ("meh", [0.0, 0.0, 0.0]),
        ] {
            let mut quick = vec![0.0; 3];
            lex.count_token_headed(token, head(token), &mut quick);
            let mut full = vec![0.0; 3];
            lex.score_token(token, &mut full, &mut |_| {});
            assert_eq!(quick, want, "{token}");
            assert_eq!(full, want, "{token}");
        }
    }

    #[test]
    fn splits_quoted_fields() {
        assert_eq!(
            split_fields(r#""a,b", c"#, ','),
            Ok(smallvec::smallvec!["a,b".into(), "c".into()])
        );
        assert_eq!(
            split_fields(r#""say ""hi""",x"#, ','),
            Ok(smallvec::smallvec![r#"say "hi""#.into(), "x".into()])
        );
        assert_eq!(
            split_fields("a\tb\t1", '\t'),
            Ok(smallvec::smallvec!["a".into(), "b".into(), "1".into()])
        );
        assert!(split_fields(r#""open,b"#, ',').is_err());
        assert!(split_fields(r#""a"x,b"#, ',').is_err());
    }

    #[test]
    fn valence_with_and_without_header() {
        for text in [
            "word,score\ngood,2\nbad,-1.5\n",
            "good,2\nbad,-1.5\n",
            "Good,2\r\n\r\nBAD,-1.5",
        ] {
            let lex = parse(text, ',').expect(text);
            assert_eq!(lex.len(), 2);
            assert_eq!(counts(&lex, &["good", "bad", "bad", "meh"], 1), vec![-1.0]);
        }
        // A header whose first field is not a known name is still found by
        // its non-numeric score above numeric ones.
        let lex = parse("entry_name,value\ngood,2\n", ',').expect("header");
        assert_eq!(lex.len(), 1);
    }

    #[test]
    fn categorical_counts_every_row_like_inner_join() {
        let lex = parse(
            "word,sentiment\nenvious,positive\nenvious,negative\nhappy,positive\n",
            ',',
        )
        .expect("parses");
        assert_eq!(lex.categories(), ["negative", "positive"]);
        assert_eq!(counts(&lex, &["envious", "happy", "x"], 2), vec![1.0, 2.0]);
    }

    #[test]
    fn a_word_on_several_lines_keeps_their_values_in_file_order() {
        let hits = |lex: &TokenLexicon, token: &str| {
            let mut out = Vec::new();
            let width = lex.categories().len().max(1);
            lex.score(&[token], &mut vec![0.0; width], &mut |h| {
                out.push((h.word.to_string(), h.category.to_string(), h.score))
            });
            out
        };
        // Lines out of order, a word's lines apart and in other cases.
        let lex = parse(
            "zeal,joy\nabandon,fear\nZEAL,trust\nabandon,anger\nZeal,joy\n",
            ',',
        )
        .expect("categorical");
        assert_eq!(lex.len(), 2);
        let names = |v: Vec<(String, String, f64)>| -> Vec<String> {
            v.into_iter().map(|(w, c, _)| format!("{w}/{c}")).collect()
        };
        assert_eq!(
            names(hits(&lex, "zeal")),
            ["zeal/joy", "zeal/trust", "zeal/joy"]
        );
        assert_eq!(
            names(hits(&lex, "abandon")),
            ["abandon/fear", "abandon/anger"]
        );
        let lex = parse("word,score\ngood,2\nbad,-1\nGOOD,0.5\n", ',').expect("valence");
        assert_eq!(lex.len(), 2);
        let scores: Vec<f64> = hits(&lex, "good").into_iter().map(|h| h.2).collect();
        assert_eq!(scores, [2.0, 0.5]);
        assert_eq!(counts(&lex, &["good", "bad"], 1), vec![1.5]);
    }

    /// Every hit carries a number that names it back (word and category),
    /// the same number for the same word and category and a different one
    /// otherwise: what lets the report tally token lexicons' hits by number.
    #[test]
    fn hit_numbers_name_their_hits_one_per_word_and_category() {
        let texts = [
            (
                "zeal,joy\nabandon,fear\nZEAL,trust\nabandon,anger\nZeal,joy\nodd,joy\n",
                ',',
            ),
            (
                "word,score\ngood,2\nbad,-1\nGOOD,0.5\nmeh,0\nbad,-3\nodd,1\nodd,-1\n",
                ',',
            ),
        ];
        for (text, delim) in texts {
            let lex = parse(text, delim).expect(text);
            let width = lex.categories().len().max(1);
            let mut seen: std::collections::HashMap<u32, (String, String)> = Default::default();
            let mut pairs: std::collections::HashMap<(String, String), u32> = Default::default();
            for token in ["zeal", "abandon", "odd", "good", "bad", "meh", "none"] {
                lex.score(&[token], &mut vec![0.0; width], &mut |h| {
                    let n = h.entry.expect("token lexicon hits are numbered");
                    let names = (h.word.to_string(), h.category.to_string());
                    assert_eq!(
                        lex.hit_names(n),
                        Some((h.word, h.category)),
                        "{text:?}: {n}"
                    );
                    assert_eq!(seen.entry(n).or_insert(names.clone()), &names);
                    assert_eq!(*pairs.entry(names).or_insert(n), n);
                });
            }
            assert!(!seen.is_empty(), "{text:?}");
            assert_eq!(seen.len(), pairs.len(), "{text:?}");
        }
        assert_eq!(hit_number(3, 2, 1), Some(7));
        assert_eq!(hit_number(usize::MAX / 2, 4, 0), None);
        assert_eq!(hit_number(1 << 31, 2, 0), None);
    }

    #[test]
    fn nrc_layout_counts_only_ones() {
        let text = "abandon\tanger\t0\nabandon\tfear\t1\nabandon\tsadness\t1\nzeal\tjoy\t1\nzeal\tanger\t0\n";
        let lex = parse(text, '\t').expect("nrc");
        assert_eq!(lex.categories(), ["anger", "fear", "joy", "sadness"]);
        assert_eq!(
            counts(&lex, &["abandon", "zeal", "zeal"], 4),
            vec![0.0, 1.0, 2.0, 1.0]
        );
        let mut hits = Vec::new();
        lex.score(&["abandon"], &mut [0.0; 4], &mut |h| {
            hits.push(h.category.to_string())
        });
        assert_eq!(hits, ["fear", "sadness"]);
    }

    #[test]
    fn nrc_layout_without_a_single_one_is_empty() {
        // Found by the lexicon fuzz target: this loaded as a lexicon with no
        // entries, which `Lexicon::is_empty` promises never to be.
        let text = "abandon\tfear\t0\nabandon\tjoy\t0\n";
        assert!(matches!(
            parse(text, '\t'),
            Err(SentimentError::Empty { .. })
        ));
        assert!(parse("word\temotion\tflag\nzeal\tjoy\t1\n", '\t').is_ok());
    }

    #[test]
    fn errors_name_line_and_expectation() {
        let err = |text: &str, delim| match parse(text, delim) {
            Err(SentimentError::Malformed { line, expected, .. }) => (line, expected),
            other => panic!("expected Malformed, got {other:?}"),
        };
        let (line, expected) = err("good,2\nbad\n", ',');
        assert_eq!(line, 2);
        assert!(expected.contains("2 fields"), "{expected}");
        let (line, expected) = err("good,2\nbad,-1\nugly,very\nfine,1\n", ',');
        assert_eq!(line, 3);
        assert!(expected.contains("a number"), "{expected}");
        let (line, expected) = err("a,positive\nb,negative\n\nc,3\nd,negative\n", ',');
        assert_eq!(line, 4);
        assert!(expected.contains("category name"), "{expected}");
        let (line, expected) = err("a\tjoy\t1\nb\tfear\tyes\n", '\t');
        assert_eq!(line, 2);
        assert!(expected.contains("0 or 1"), "{expected}");
        let (line, _) = err("a,b,c,d\n", ',');
        assert_eq!(line, 1);
        let (line, expected) = err("good,2\n\"bad,1\n", ',');
        assert_eq!(line, 2);
        assert!(expected.contains("closing"), "{expected}");
        let (line, expected) = err("good,2\n,1\n", ',');
        assert_eq!(line, 2);
        assert!(expected.contains("word"), "{expected}");
        assert!(matches!(
            parse("\n\n", ','),
            Err(SentimentError::Empty { .. })
        ));
        assert!(matches!(
            parse("word,score\n", ','),
            Err(SentimentError::Empty { .. })
        ));
    }

    #[test]
    fn names_and_delimiters() {
        assert_eq!(
            name_of(Path::new("/x/NRC-Emotion-Lexicon-v0.92.txt")),
            "nrc_emotion_lexicon_v0_92"
        );
        assert_eq!(name_of(Path::new("/x/---.csv")), "custom");
        assert_eq!(sanitize("Anger & Fear"), "anger_fear");
        assert_eq!(delimiter(Path::new("a.tsv"), "a,b"), '\t');
        assert_eq!(delimiter(Path::new("a.csv"), "a\tb"), ',');
        assert_eq!(delimiter(Path::new("a.txt"), "\n\na\tb\t1"), '\t');
        assert_eq!(delimiter(Path::new("a"), "a,b"), ',');
    }

    #[test]
    fn decode_reports_line_of_bad_bytes() {
        let bytes = b"\xEF\xBB\xBFgood,1\nbad,\xFF\n";
        match decode(Path::new("x.csv"), bytes) {
            Err(SentimentError::Encoding { line, .. }) => assert_eq!(line, 2),
            other => panic!("{other:?}"),
        }
        assert_eq!(
            decode(Path::new("x.csv"), b"\xEF\xBB\xBFa,1").ok(),
            Some("a,1")
        );
    }
}
