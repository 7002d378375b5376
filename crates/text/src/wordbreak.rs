//! Word boundaries as ICU finds them.
//!
//! This is UAX #29 with the tailoring of ICU's root word-break rules, which is
//! what R's stringi (and so tokenizers and tidytext) applies:
//!
//! * the colon (and its small and full-width forms) is not `MidLetter`, so
//!   `a:b` is two words;
//! * `@` counts as a letter, so `john@example.com` and `@user` stay whole;
//! * Han, kana and Hangul, and words written only in a script that uses no
//!   spaces (Thai, Lao, Khmer, Myanmar), are split with dictionaries
//!   (ICU4X's here, which can differ from ICU4C's on rare words);
//! * a segment is a *word* when ICU would give it a "number", "letter",
//!   "kana" or "ideo" rule status; everything else (spaces, punctuation,
//!   symbols, emoji, a lone `_`) is dropped by the tokenizer.
//!
//! The character classes come from ICU 72 itself (see
//! `tools/gen_word_break.R` and `data/word_break_ranges.tsv`).

use std::collections::VecDeque;
use std::sync::OnceLock;

use icu_segmenter::options::WordBreakInvariantOptions;
use icu_segmenter::WordSegmenter;

use crate::bytemask::{ByteMasks, Window, WINDOW};

/// Word_Break classes, after ICU's tailoring.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
#[repr(u8)]
pub(crate) enum Wb {
    Other,
    Cr,
    Lf,
    Newline,
    Zwj,
    Extend,
    Format,
    RegionalIndicator,
    WSegSpace,
    /// Han, Hiragana, Katakana, Hangul syllables: dictionary segmentation.
    Dictionary,
    /// Line_Break=Complex_Context (Thai, Lao, Khmer, Myanmar...).
    Complex,
    HebrewLetter,
    ALetter,
    SingleQuote,
    DoubleQuote,
    MidNumLet,
    MidLetter,
    MidNum,
    Numeric,
    ExtendNumLet,
    Ideographic,
    ExtPict,
}

impl Wb {
    fn from_name(name: &str) -> Option<Wb> {
        Some(match name {
            "CR" => Wb::Cr,
            "LF" => Wb::Lf,
            "Newline" => Wb::Newline,
            "ZWJ" => Wb::Zwj,
            "Extend" => Wb::Extend,
            "Format" => Wb::Format,
            "RegionalIndicator" => Wb::RegionalIndicator,
            "WSegSpace" => Wb::WSegSpace,
            "Dictionary" => Wb::Dictionary,
            "Complex" => Wb::Complex,
            "HebrewLetter" => Wb::HebrewLetter,
            "ALetter" => Wb::ALetter,
            "SingleQuote" => Wb::SingleQuote,
            "DoubleQuote" => Wb::DoubleQuote,
            "MidNumLet" => Wb::MidNumLet,
            "MidLetter" => Wb::MidLetter,
            "MidNum" => Wb::MidNum,
            "Numeric" => Wb::Numeric,
            "ExtendNumLet" => Wb::ExtendNumLet,
            "Ideographic" => Wb::Ideographic,
            "ExtPict" => Wb::ExtPict,
            _ => return None,
        })
    }

    /// Extend, Format and ZWJ: ignored between the characters they follow (WB4).
    #[inline]
    fn is_exfm(self) -> bool {
        matches!(self, Wb::Extend | Wb::Format | Wb::Zwj)
    }

    /// ALetter or Hebrew_Letter (UAX #29's AHLetter); ICU counts the
    /// scripts written without spaces (Complex) as letters too.
    #[inline]
    fn is_ahletter(self) -> bool {
        matches!(self, Wb::ALetter | Wb::HebrewLetter | Wb::Complex)
    }
}

/// The ASCII part of the table, written out so the hot path needs no lookup
/// structure.  A unit test checks it against the ICU-generated ranges.
const ASCII: [Wb; 128] = {
    let mut t = [Wb::Other; 128];
    t[0x0A] = Wb::Lf;
    t[0x0B] = Wb::Newline;
    t[0x0C] = Wb::Newline;
    t[0x0D] = Wb::Cr;
    t[b' ' as usize] = Wb::WSegSpace;
    t[b'"' as usize] = Wb::DoubleQuote;
    t[b'\'' as usize] = Wb::SingleQuote;
    t[b',' as usize] = Wb::MidNum;
    t[b'.' as usize] = Wb::MidNumLet;
    t[b';' as usize] = Wb::MidNum;
    t[b'@' as usize] = Wb::ALetter;
    t[b'_' as usize] = Wb::ExtendNumLet;
    let mut c = b'0';
    while c <= b'9' {
        t[c as usize] = Wb::Numeric;
        c += 1;
    }
    let mut c = b'A';
    while c <= b'Z' {
        t[c as usize] = Wb::ALetter;
        t[(c + 32) as usize] = Wb::ALetter;
        c += 1;
    }
    t
};

struct Table {
    /// Sorted, non-overlapping (first, last, class) ranges; code points not
    /// covered are `Other`.
    ranges: Vec<(u32, u32, Wb)>,
    /// Direct lookup for U+0000..U+07FF (Latin, Greek, Cyrillic, Hebrew, Arabic).
    low: Vec<Wb>,
}

const LOW_LIMIT: u32 = 0x800;

fn table() -> &'static Table {
    static TABLE: OnceLock<Table> = OnceLock::new();
    TABLE.get_or_init(|| {
        let src = include_str!("../data/word_break_ranges.tsv");
        let mut ranges = Vec::with_capacity(1200);
        for line in src.lines() {
            let mut f = line.split('\t');
            let (Some(a), Some(b), Some(c)) = (f.next(), f.next(), f.next()) else {
                continue;
            };
            let (Ok(a), Ok(b), Some(c)) = (
                u32::from_str_radix(a, 16),
                u32::from_str_radix(b, 16),
                Wb::from_name(c),
            ) else {
                continue;
            };
            ranges.push((a, b, c));
        }
        ranges.sort_by_key(|r| r.0);
        let mut low = vec![Wb::Other; LOW_LIMIT as usize];
        for &(a, b, c) in &ranges {
            if a >= LOW_LIMIT {
                break;
            }
            for cp in a..=b.min(LOW_LIMIT - 1) {
                low[cp as usize] = c;
            }
        }
        Table { ranges, low }
    })
}

/// The word-break class of a character.
pub(crate) fn class_of(c: char) -> Wb {
    let cp = c as u32;
    if cp < 0x80 {
        return ASCII[cp as usize];
    }
    let t = table();
    if cp < LOW_LIMIT {
        return t.low[cp as usize];
    }
    match t.ranges.binary_search_by(|&(a, b, _)| {
        if b < cp {
            std::cmp::Ordering::Less
        } else if a > cp {
            std::cmp::Ordering::Greater
        } else {
            std::cmp::Ordering::Equal
        }
    }) {
        Ok(i) => t.ranges[i].2,
        Err(_) => Wb::Other,
    }
}

fn dictionary_segmenter() -> &'static icu_segmenter::WordSegmenterBorrowed<'static> {
    static SEG: OnceLock<icu_segmenter::WordSegmenterBorrowed<'static>> = OnceLock::new();
    SEG.get_or_init(|| WordSegmenter::new_dictionary(WordBreakInvariantOptions::default()))
}

/// One segment of text: a byte range and whether it is a word.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Segment {
    /// Byte offset where the segment starts.
    pub start: usize,
    /// Byte offset just past the segment.
    pub end: usize,
    /// True for words (letters, numbers, kana, ideographs), false for spaces,
    /// punctuation, symbols and emoji.
    pub is_word: bool,
}

/// Iterator over the word-break segments of a text, covering it entirely.
pub struct Segments<'a> {
    text: &'a str,
    pos: usize,
    pending: VecDeque<Segment>,
    /// Byte classes around `pos` for the word scan.
    window: Window<ScanMasks>,
}

impl<'a> Segments<'a> {
    /// Segments `text` from its start.
    pub fn new(text: &'a str) -> Self {
        Segments {
            text,
            pos: 0,
            pending: VecDeque::new(),
            window: Window::empty(ScanMasks::NONE),
        }
    }

    /// Class and byte length of the character at byte offset `i`.
    #[inline(always)]
    fn class_at(&self, i: usize) -> (Wb, usize) {
        let b = self.text.as_bytes()[i];
        if b < 0x80 {
            return (ASCII[b as usize], 1);
        }
        // `i` is always on a character boundary: we only ever advance by
        // whole characters.
        match self.text[i..].chars().next() {
            Some(c) => (class_of(c), c.len_utf8()),
            None => (Wb::Other, 1),
        }
    }

    /// Skips Extend/Format/ZWJ characters from `i`; returns the new offset and
    /// whether the last one skipped was a ZWJ.
    #[inline(always)]
    fn skip_exfm(&self, mut i: usize) -> (usize, bool) {
        let n = self.text.len();
        let mut zwj = false;
        while i < n {
            let b = self.text.as_bytes()[i];
            if b < 0x80 {
                break; // no ASCII character is Extend/Format/ZWJ
            }
            let (c, l) = self.class_at(i);
            if !c.is_exfm() {
                break;
            }
            zwj = c == Wb::Zwj;
            i += l;
        }
        (i, zwj)
    }

    /// The class of the next base character at or after `i` once ExFm is
    /// skipped, with its offset and length.
    #[inline(always)]
    fn peek_base(&self, i: usize) -> Option<(Wb, usize, usize)> {
        let (j, _) = self.skip_exfm(i);
        if j >= self.text.len() {
            return None;
        }
        let (c, l) = self.class_at(j);
        Some((c, j, l))
    }

    /// The end of the run of `class` characters (and the Extend/Format/ZWJ
    /// after them) that starts at `start`.
    fn run_end(&self, start: usize, class: Wb) -> usize {
        let n = self.text.len();
        let mut i = start;
        while i < n {
            let (c, l) = self.class_at(i);
            if c == class || (i > start && c.is_exfm()) {
                i += l;
            } else {
                break;
            }
        }
        i
    }

    /// Splits `start..end` into words with ICU4X's dictionaries, queues the
    /// pieces and returns the first.
    fn dictionary_split(&mut self, start: usize, end: usize) -> Segment {
        let i = end;
        let run = &self.text[start..i];
        let mut it = dictionary_segmenter().segment_str(run);
        let mut prev = 0;
        while let Some(b) = it.next() {
            if b == 0 {
                continue;
            }
            let piece = &run[prev..b];
            let only_exfm = piece.chars().all(|c| class_of(c).is_exfm());
            match self.pending.back_mut() {
                // ICU attaches Extend/Format/ZWJ to the character before them.
                Some(last) if only_exfm => last.end = start + b,
                _ => self.pending.push_back(Segment {
                    start: start + prev,
                    end: start + b,
                    is_word: it.is_word_like(),
                }),
            }
            prev = b;
        }
        self.pos = i;
        self.pending.pop_front().unwrap_or(Segment {
            start,
            end: i,
            is_word: true,
        })
    }
}

/// ASCII bytes that join each other into one word by WB5/8/9/10:
/// letters, digits and `@` (a letter in ICU's rules).
#[inline(always)]
const fn ascii_joining(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'@'
}

impl Segments<'_> {
    /// The next *word* segment, skipping the others.  Runs of plain ASCII
    /// letters and digits, by far the most common words, are found by a fast
    /// scan; anything that could involve a rule beyond WB5-WB10 (a `_`, a
    /// `'` or `.` between letters, any non-ASCII character) goes through the
    /// full rules, so the result is always the same as filtering
    /// [`Iterator::next`] for words (a property test checks it).
    #[inline(always)]
    pub fn next_word(&mut self) -> Option<Segment> {
        self.next_word_classed::<false>().map(|(seg, _)| seg)
    }

    /// [`Segments::next_word`], and for a word of ASCII letters, digits and
    /// `@` only (found by the fast scan) whether it holds a capital letter
    /// when `CAPS`: `Some(capital)`; `None` for the others.  Without `CAPS`,
    /// `Some(false)` for every such word: for a scan that has no use for
    /// capitals, or of a text that holds none (whose capitals were lowered
    /// first), the scan then spends nothing on finding them.
    #[inline(always)]
    pub(crate) fn next_word_classed<const CAPS: bool>(
        &mut self,
    ) -> Option<(Segment, Option<bool>)> {
        loop {
            if let Some(s) = self.pending.pop_front() {
                if s.is_word {
                    return Some((s, None));
                }
                continue;
            }
            let bytes = self.text.as_bytes();
            let n = bytes.len();
            let i = self.pos;
            if i >= n {
                return None;
            }
            if !self.window.covers(i) {
                self.window = Window::at(bytes, i, ScanMasks::of::<CAPS>);
            }
            let ScanMasks { join, stop, upper } = self.window.masks;
            let base = self.window.base;
            let off = i - base;
            // The first byte from `i` that can start a word or needs the
            // full rules; everything before it is skipped.
            let next = (join | stop) & (u64::MAX << off);
            if next == 0 {
                self.pos = (base + WINDOW).min(n);
                continue;
            }
            let s = next.trailing_zeros() as usize;
            let start = base + s;
            if join >> s & 1 == 1 {
                // The run of joining bytes from `start`: 64 when it fills
                // the rest of the window.
                let len = ((!join) >> s).trailing_zeros() as usize;
                let end = if s + len < WINDOW {
                    Some(start + len)
                } else if s > 0 {
                    // The run may go on past the window: look again with
                    // a window that starts at the run.
                    self.window = Window::at(bytes, start, ScanMasks::of::<CAPS>);
                    self.pos = start;
                    continue;
                } else {
                    // A run of 64 bytes or more (a URL, a hash): byte by byte.
                    let mut j = start + WINDOW;
                    while j < n && ascii_joining(bytes[j]) {
                        j += 1;
                    }
                    Some(j)
                };
                if let Some(end) = end.filter(|&e| ascii_word_ends_at(bytes, e)) {
                    self.pos = end;
                    // Capitals of the run, from the window while it covers
                    // the run (always but for runs of 64 bytes or more).
                    let capital = if !CAPS {
                        false
                    } else if end - base <= WINDOW {
                        // A capital in the run: the first one at `start` or
                        // after comes before the run's end.
                        ((upper >> s).trailing_zeros() as usize) < end - start
                    } else {
                        bytes[start..end].iter().any(u8::is_ascii_uppercase)
                    };
                    return Some((
                        Segment {
                            start,
                            end,
                            is_word: true,
                        },
                        Some(capital),
                    ));
                }
            }
            self.pos = start;
            let seg = self.next()?;
            if seg.is_word {
                return Some((seg, None));
            }
        }
    }
}

/// The byte classes of [`Segments::next_word`]'s scan, one bit per byte:
/// `join` for the ASCII bytes that join into words ([`ascii_joining`]),
/// `stop` for `_` and the bytes of characters outside ASCII, where the full
/// rules take over, `upper` for capitals.  Every other byte is skipped
/// between words; past the end of the text there are no bits.
#[derive(Clone, Copy, Debug)]
struct ScanMasks {
    join: u64,
    stop: u64,
    upper: u64,
}

impl ScanMasks {
    const NONE: ScanMasks = ScanMasks {
        join: 0,
        stop: 0,
        upper: 0,
    };

    /// The scan's classes of `m`, capitals only when `CAPS` (see
    /// [`Segments::next_word_classed`]).
    #[inline(always)]
    fn of<const CAPS: bool>(m: ByteMasks) -> ScanMasks {
        ScanMasks {
            join: m.alnum | m.at,
            stop: m.high | m.underscore,
            upper: if CAPS { m.upper } else { 0 },
        }
    }
}

/// Whether a run of joining ASCII bytes that stops before `bytes[j]` is a
/// whole word by WB5-WB10, or the full rules must decide (WB6/7/11/12 can
/// join it through `.`, `'`, `,` or `;` to a letter or digit after them,
/// WB13a through `_`, and characters outside ASCII have rules of their own).
///
/// Computed without branches from a table of byte classes: which byte
/// follows a word (a space, a full stop, a comma...) is as good as random,
/// and a branch on it went the wrong way for about one word in seven.
#[inline(always)]
fn ascii_word_ends_at(bytes: &[u8], j: usize) -> bool {
    let Some(&b) = bytes.get(j) else {
        return true;
    };
    // Past the end of the text the byte after counts as a space.
    let next = bytes.get(j + 1).copied().unwrap_or(b' ');
    let (this, after) = (END_CLASS[b as usize], END_CLASS[next as usize]);
    (this & ENDS != 0) | ((this & ENDS_UNLESS_JOINED != 0) & (after & JOINS_OR_HIGH == 0))
}

/// [`ascii_word_ends_at`]'s classes of bytes: a word of joining bytes
/// `ENDS` before any ASCII byte but `_` and the four below; it ends before
/// `.`, `'`, `,` or `;` (`ENDS_UNLESS_JOINED`) unless an ASCII letter,
/// digit or `@`, or any byte outside ASCII, follows (`JOINS_OR_HIGH`).
const ENDS: u8 = 1;
const ENDS_UNLESS_JOINED: u8 = 2;
const JOINS_OR_HIGH: u8 = 4;
const END_CLASS: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        t[b] = if c >= 0x80 {
            JOINS_OR_HIGH
        } else if matches!(c, b'.' | b'\'' | b',' | b';') {
            ENDS_UNLESS_JOINED
        } else if c == b'_' {
            0
        } else if ascii_joining(c) {
            ENDS | JOINS_OR_HIGH
        } else {
            ENDS
        };
        b += 1;
    }
    t
};

impl Iterator for Segments<'_> {
    type Item = Segment;

    fn next(&mut self) -> Option<Segment> {
        if let Some(s) = self.pending.pop_front() {
            return Some(s);
        }
        let n = self.text.len();
        let start = self.pos;
        if start >= n {
            return None;
        }
        let bytes = self.text.as_bytes();
        let (c0, l0) = self.class_at(start);
        let mut i = start + l0;
        let done = |this: &mut Self, end: usize, is_word: bool| {
            this.pos = end;
            Some(Segment {
                start,
                end,
                is_word,
            })
        };
        match c0 {
            // WB3: CR x LF; WB3a/b: break around newlines.
            Wb::Cr => {
                if i < n && bytes[i] == b'\n' {
                    i += 1;
                }
                return done(self, i, false);
            }
            Wb::Lf | Wb::Newline => return done(self, i, false),
            // WB4 at the start of a segment: a run of Extend/Format/ZWJ alone.
            Wb::Extend | Wb::Format | Wb::Zwj => {
                let mut zwj = c0 == Wb::Zwj;
                loop {
                    let (j, z) = self.skip_exfm(i);
                    i = j;
                    if z {
                        zwj = true;
                    }
                    // WB3c: ZWJ x Extended_Pictographic.
                    if zwj && i < n {
                        let (c, l) = self.class_at(i);
                        if c == Wb::ExtPict {
                            i += l;
                            zwj = false;
                            continue;
                        }
                    }
                    break;
                }
                return done(self, i, false);
            }
            // WB3d: keep horizontal whitespace together.
            Wb::WSegSpace => {
                while i < n {
                    let (c, l) = self.class_at(i);
                    if c != Wb::WSegSpace {
                        break;
                    }
                    i += l;
                }
                let (j, _) = self.skip_exfm(i);
                return done(self, j, false);
            }
            Wb::Dictionary => {
                let end = self.run_end(start, Wb::Dictionary);
                return Some(self.dictionary_split(start, end));
            }
            _ => {}
        }

        let mut last = c0;
        let mut is_word = matches!(
            c0,
            Wb::ALetter | Wb::HebrewLetter | Wb::Numeric | Wb::Ideographic
        );
        let mut ri_pairs = usize::from(c0 == Wb::RegionalIndicator);
        // A word made only of Complex-context letters (Thai, Lao...) is split
        // further with a dictionary; mixed with other letters it stays whole.
        let mut only_complex = c0 == Wb::Complex;
        let (j, mut zwj) = self.skip_exfm(i);
        let mut tail_exfm = j > i;
        i = j;
        loop {
            if i >= n {
                break;
            }
            let (c1, l1) = self.class_at(i);
            // WB3c: ZWJ x Extended_Pictographic.
            if zwj && c1 == Wb::ExtPict {
                let (j, z) = self.skip_exfm(i + l1);
                tail_exfm = j > i + l1;
                i = j;
                zwj = z;
                last = Wb::ExtPict;
                continue;
            }
            let joined: Option<(Wb, usize)> = match (last, c1) {
                // WB5
                (a, b) if a.is_ahletter() && b.is_ahletter() => Some((b, i + l1)),
                // WB6/7: AHLetter x (MidLetter | MidNumLetQ) AHLetter
                (a, Wb::MidLetter | Wb::MidNumLet | Wb::SingleQuote)
                    if a.is_ahletter()
                        && matches!(self.peek_base(i + l1), Some((b, _, _)) if b.is_ahletter()) =>
                {
                    self.peek_base(i + l1).map(|(b, j, l)| (b, j + l))
                }
                // WB7a: Hebrew_Letter x Single_Quote
                (Wb::HebrewLetter, Wb::SingleQuote) => Some((Wb::SingleQuote, i + l1)),
                // WB7b/c: Hebrew_Letter x Double_Quote Hebrew_Letter
                (Wb::HebrewLetter, Wb::DoubleQuote)
                    if matches!(self.peek_base(i + l1), Some((Wb::HebrewLetter, _, _))) =>
                {
                    self.peek_base(i + l1).map(|(b, j, l)| (b, j + l))
                }
                // WB8, WB9, WB10
                (Wb::Numeric, Wb::Numeric) => Some((c1, i + l1)),
                (a, Wb::Numeric) if a.is_ahletter() => Some((c1, i + l1)),
                (Wb::Numeric, b) if b.is_ahletter() => Some((c1, i + l1)),
                // WB11/12: Numeric (MidNum | MidNumLetQ) x Numeric
                (Wb::Numeric, Wb::MidNum | Wb::MidNumLet | Wb::SingleQuote)
                    if matches!(self.peek_base(i + l1), Some((Wb::Numeric, _, _))) =>
                {
                    self.peek_base(i + l1).map(|(b, j, l)| (b, j + l))
                }
                // WB13a: (AHLetter | Numeric | ExtendNumLet) x ExtendNumLet
                (a, Wb::ExtendNumLet)
                    if a.is_ahletter() || matches!(a, Wb::Numeric | Wb::ExtendNumLet) =>
                {
                    Some((c1, i + l1))
                }
                // WB13b: ExtendNumLet x (AHLetter | Numeric)
                (Wb::ExtendNumLet, b) if b.is_ahletter() || b == Wb::Numeric => Some((c1, i + l1)),
                // WB15/16: regional indicators pair up.
                (Wb::RegionalIndicator, Wb::RegionalIndicator) if ri_pairs % 2 == 1 => {
                    ri_pairs += 1;
                    let (j, z) = self.skip_exfm(i + l1);
                    tail_exfm = j > i + l1;
                    i = j;
                    zwj = z;
                    continue;
                }
                _ => None,
            };
            let Some((new_last, end)) = joined else {
                break;
            };
            last = new_last;
            is_word = true;
            only_complex &= new_last == Wb::Complex;
            let (j, z) = self.skip_exfm(end);
            tail_exfm = j > end;
            i = j;
            zwj = z;
        }
        // ICU's rule status comes from the rule that matched last.  The rules
        // that end a word on `_` (WB13a) or on a Hebrew letter's `'` (WB7a)
        // carry no trailing Extend/Format, so such a tail leaves the word
        // with status "none"; so does an emoji ZWJ sequence (WB3c).
        if (tail_exfm && matches!(last, Wb::ExtendNumLet | Wb::SingleQuote)) || last == Wb::ExtPict
        {
            is_word = false;
        }
        if only_complex && self.run_end(start, Wb::Complex) == i {
            return Some(self.dictionary_split(start, i));
        }
        done(self, i, is_word)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn byte_classes_follow_the_word_break_classes() {
        for b in 0..=255u8 {
            let (joining, starts) = if b < 0x80 {
                let c = ASCII[usize::from(b)];
                (
                    matches!(c, Wb::ALetter | Wb::Numeric),
                    matches!(c, Wb::ALetter | Wb::Numeric | Wb::ExtendNumLet),
                )
            } else {
                (false, false)
            };
            assert_eq!(ascii_joining(b), joining, "byte {b:#04x} joining");
            // The scan skips ASCII bytes that neither join nor can start a
            // word (`_` can: WB13a); outside ASCII the full rules decide.
            let skipped = b < 0x80 && !ascii_joining(b) && b != b'_';
            assert_eq!(skipped, b < 0x80 && !starts, "byte {b:#04x} skipped");
        }
    }

    fn words(s: &str) -> Vec<&str> {
        Segments::new(s)
            .filter(|g| g.is_word)
            .map(|g| &s[g.start..g.end])
            .collect()
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2000))]
        #[test]
        fn fast_word_scan_equals_full_rules(s in "[a-zA-Z0-9 .,;:'_@\"!?\\-\n\r\t\u{e9}\u{301}\u{200d}\u{2019}\u{5d0}\u{5f3}\u{e01}\u{4e2d}\u{6587}\u{1f600}\u{a0}]{0,40}") {
            let full: Vec<Segment> = Segments::new(&s).filter(|g| g.is_word).collect();
            let mut fast = Vec::new();
            let mut it = Segments::new(&s);
            while let Some(g) = it.next_word() {
                fast.push(g);
            }
            proptest::prop_assert_eq!(full, fast);
        }

        /// Texts long enough for several windows, with runs of letters and
        /// digits that cross a window's end or fill one: the same words as
        /// the full rules, and the capitals of each fast-scanned word.
        #[test]
        fn window_scan_equals_full_rules_on_long_texts(
            s in "([a-zA-Z0-9@]{0,70}[ .,;:'_\"!?\\-\n\u{e9}\u{301}\u{2019}\u{4e2d}\u{1f600}\u{a0}]{0,3}){0,12}"
        ) {
            let full: Vec<Segment> = Segments::new(&s).filter(|g| g.is_word).collect();
            let mut fast = Vec::new();
            let mut it = Segments::new(&s);
            while let Some((g, capital)) = it.next_word_classed::<true>() {
                let w = &s[g.start..g.end];
                if let Some(capital) = capital {
                    proptest::prop_assert!(w.bytes().all(ascii_joining), "{:?}", w);
                    proptest::prop_assert_eq!(capital, w.bytes().any(|b| b.is_ascii_uppercase()));
                }
                fast.push(g);
            }
            proptest::prop_assert_eq!(full, fast);
        }
    }

    #[test]
    fn ascii_table_matches_icu_ranges() {
        let t = table();
        for cp in 0u32..0x80 {
            let from_ranges = t
                .ranges
                .iter()
                .find(|r| r.0 <= cp && cp <= r.1)
                .map_or(Wb::Other, |r| r.2);
            assert_eq!(ASCII[cp as usize], from_ranges, "U+{cp:04X}");
        }
        assert!(t.ranges.len() > 1000, "word-break table did not load");
    }

    #[test]
    fn segments_cover_the_text() {
        let s = "Hi, it's 3.14 — 中文字符 ok 👍🏽!\r\n";
        let mut at = 0;
        for g in Segments::new(s) {
            assert_eq!(g.start, at);
            assert!(g.end > g.start);
            at = g.end;
        }
        assert_eq!(at, s.len());
    }

    #[test]
    fn icu_examples() {
        // Each expectation was checked against R's stringi (ICU 72.1).
        assert_eq!(
            words("Don't stop _very_ well"),
            ["Don't", "stop", "_very_", "well"]
        );
        assert_eq!(
            words("1,000.50 and 3.14 or 1.2.3 a.b.c U.S. e-mail john@example.com"),
            [
                "1,000.50",
                "and",
                "3.14",
                "or",
                "1.2.3",
                "a.b.c",
                "U.S",
                "e",
                "mail",
                "john@example.com"
            ]
        );
        assert_eq!(
            words("__ _ ___a a_ 1_ _1"),
            ["__", "___a", "a_", "1_", "_1"]
        );
        assert_eq!(
            words("http://www.bbc.com/news/x-y?id=3 #tag @user"),
            [
                "http",
                "www.bbc.com",
                "news",
                "x",
                "y",
                "id",
                "3",
                "tag",
                "@user"
            ]
        );
        assert_eq!(
            words("a:b a.b a'b a,b 1,2 1;2 1:2"),
            ["a", "b", "a.b", "a'b", "a", "b", "1,2", "1;2", "1", "2"]
        );
        assert_eq!(words("emoji 😀 ok 👍🏽 ..."), ["emoji", "ok"]);
        assert_eq!(words("中文字符 测试"), ["中文", "字符", "测试"]);
        assert_eq!(
            words("rock'n'roll o'clock 'tis '90s 90's"),
            ["rock'n'roll", "o'clock", "tis", "90s", "90", "s"]
        );
        assert_eq!(words("x @ y .@ -@-"), ["x", "@", "y", "@", "@"]);
        assert_eq!(words("a\u{00AD}b x\u{200B}y"), ["a\u{00AD}b", "x", "y"]);
        assert_eq!(
            words("cafe\u{301} na\u{EF}ve"),
            ["cafe\u{301}", "na\u{EF}ve"]
        );
    }
}
