//! Syllables and readability formulas.

/// English syllables in a word, by counting vowel groups with the usual
/// corrections: a silent final `e` (but not `-le` after a consonant), `-es`
/// and `-ed` endings that add no syllable, `y` as a vowel after a consonant.
/// Every word with a letter has at least one syllable; words without
/// letters (numbers) have none.
///
/// ```
/// use lexiscope_stats::syllables;
/// assert_eq!(syllables("cat"), 1);
/// assert_eq!(syllables("table"), 2);
/// assert_eq!(syllables("readability"), 5);
/// assert_eq!(syllables("1999"), 0);
/// ```
pub fn syllables(word: &str) -> u32 {
    // ASCII words (nearly all) are lower-cased into a byte buffer on the
    // stack.
    let mut small = [0u8; 64];
    if word.is_ascii() && word.len() <= small.len() {
        let mut n = 0;
        for b in word.bytes().filter(u8::is_ascii_alphabetic) {
            small[n] = b.to_ascii_lowercase();
            n += 1;
        }
        return syllables_of(&small[..n]);
    }
    syllables_of(&letters_lowercase(word))
}

/// The letters of `word`, lower-cased by the Unicode rules.
fn letters_lowercase(word: &str) -> Vec<char> {
    word.chars()
        .filter(|c| c.is_alphabetic())
        .flat_map(char::to_lowercase)
        .collect()
}

/// [`syllables`] of a word's letters, lower-cased: characters, or ASCII
/// bytes (the same rules, without decoding).
fn syllables_of<C: Copy + Into<char>>(w: &[C]) -> u32 {
    if w.is_empty() {
        return 0;
    }
    let at = |i: usize| -> char { w[i].into() };
    let is_vowel = |i: usize| -> bool {
        match at(i) {
            'a' | 'e' | 'i' | 'o' | 'u' | 'à' | 'á' | 'â' | 'ä' | 'è' | 'é' | 'ê' | 'ë' | 'ì'
            | 'í' | 'î' | 'ï' | 'ò' | 'ó' | 'ô' | 'ö' | 'ù' | 'ú' | 'û' | 'ü' => true,
            'y' => i > 0 && !matches!(at(i - 1), 'a' | 'e' | 'i' | 'o' | 'u'),
            _ => false,
        }
    };
    let n = w.len();
    let mut count = 0u32;
    let mut prev = false;
    for i in 0..n {
        let v = is_vowel(i);
        if v && !prev {
            count += 1;
        }
        prev = v;
    }
    if n > 2 && at(n - 1) == 'e' && !is_vowel(n - 2) {
        // Silent final e, except "-le" after a consonant (ta-ble) and words
        // like "the", "be" where it is the only vowel.
        let le = at(n - 2) == 'l' && n > 3 && !is_vowel(n - 3);
        if !le && count > 1 {
            count -= 1;
        }
    }
    if n > 3 && at(n - 2) == 'e' && matches!(at(n - 1), 's' | 'd') {
        // "-es"/"-ed" silent unless after s, x, z, ch, sh (-es) or t, d (-ed).
        let before = at(n - 3);
        let voiced = if at(n - 1) == 's' {
            matches!(before, 's' | 'x' | 'z')
                || (matches!(before, 'h') && matches!(at(n - 4), 'c' | 's'))
        } else {
            matches!(before, 't' | 'd')
        };
        if !voiced && !is_vowel(n - 3) && count > 1 {
            count -= 1;
        }
    }
    count.max(1)
}

/// Flesch reading ease: 206.835 - 1.015 (words/sentences) - 84.6 (syllables/words).
/// NaN without words or sentences.
pub fn flesch_reading_ease(words: u64, sentences: u64, syllables: u64) -> f64 {
    if words == 0 || sentences == 0 {
        return f64::NAN;
    }
    let (w, s, y) = (words as f64, sentences as f64, syllables as f64);
    206.835 - 1.015 * (w / s) - 84.6 * (y / w)
}

/// Flesch-Kincaid grade level: 0.39 (words/sentences) + 11.8 (syllables/words) - 15.59.
/// NaN without words or sentences.
pub fn flesch_kincaid_grade(words: u64, sentences: u64, syllables: u64) -> f64 {
    if words == 0 || sentences == 0 {
        return f64::NAN;
    }
    let (w, s, y) = (words as f64, sentences as f64, syllables as f64);
    0.39 * (w / s) + 11.8 * (y / w) - 15.59
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ascii_words_count_as_through_the_unicode_path() {
        let general = |word: &str| syllables_of(&letters_lowercase(word));
        let mut words: Vec<String> = [
            "",
            "a",
            "The",
            "table",
            "TABLE",
            "churches",
            "wished",
            "rated",
            "fly",
            "rhythm",
            "co-operate",
            "don't",
            "x86",
            "Queue",
        ]
        .iter()
        .map(|w| w.to_string())
        .collect();
        // Pseudo-random ASCII words, some longer than the stack buffer.
        let mut x = 0x9E37_79B9_7F4A_7C15u64;
        for len in 0..200 {
            let w: String = (0..len % 90)
                .map(|_| {
                    x ^= x << 13;
                    x ^= x >> 7;
                    x ^= x << 17;
                    char::from(b"aeiouyAEYbcdlstxz-'1"[(x % 20) as usize])
                })
                .collect();
            words.push(w);
        }
        for w in &words {
            assert_eq!(syllables(w), general(w), "{w}");
        }
    }

    #[test]
    fn syllable_counts() {
        // Dictionary syllable counts of common words.
        let cases = [
            ("the", 1),
            ("be", 1),
            ("a", 1),
            ("cat", 1),
            ("make", 1),
            ("table", 2),
            ("little", 2),
            ("people", 2),
            ("jumped", 1),
            ("wanted", 2),
            ("boxes", 2),
            ("makes", 1),
            ("happy", 2),
            ("day", 1),
            ("beautiful", 3),
            ("president", 3),
            ("education", 4),
            ("government", 3),
            ("syllable", 3),
            ("reading", 2),
            ("everything", 4),
            ("yes", 1),
            ("rhythm", 1),
            ("café", 2),
            ("it's", 1),
            ("don't", 1),
            ("1999", 0),
            ("catches", 2),
            ("wished", 1),
        ];
        let mut wrong = Vec::new();
        for (w, n) in cases {
            if syllables(w) != n {
                wrong.push((w, syllables(w), n));
            }
        }
        assert!(wrong.is_empty(), "(word, counted, expected): {wrong:?}");
    }

    #[test]
    fn flesch_known_values() {
        // "The cat sat on the mat.": 6 words, 1 sentence, 6 syllables.
        assert!((flesch_reading_ease(6, 1, 6) - 116.145).abs() < 1e-9);
        assert!((flesch_kincaid_grade(6, 1, 6) - (-1.45)).abs() < 1e-9);
        assert!(flesch_reading_ease(0, 0, 0).is_nan());
    }
}
