//! Character classes and string helpers that behave like CPython's `str`
//! methods, so that the VADER and AFINN ports see text exactly as the
//! reference implementations do.

#[rustfmt::skip]
#[path = "pychars_tables.rs"]
mod tables;

/// Is `cp` inside one of the sorted, non-overlapping inclusive `ranges`?
fn in_ranges(ranges: &[(u32, u32)], cp: u32) -> bool {
    ranges
        .binary_search_by(|&(lo, hi)| {
            if hi < cp {
                std::cmp::Ordering::Less
            } else if lo > cp {
                std::cmp::Ordering::Greater
            } else {
                std::cmp::Ordering::Equal
            }
        })
        .is_ok()
}

/// CPython's `str.isspace()` for one character: what `str.split()`,
/// `str.strip()` and `re`'s `\s` treat as whitespace. Unlike Rust's
/// `char::is_whitespace` it includes the information separators U+001C..U+001F.
pub(crate) fn is_py_space(c: char) -> bool {
    matches!(
        c,
        '\t'..='\r'
            | '\u{1c}'..='\u{20}'
            | '\u{85}'
            | '\u{a0}'
            | '\u{1680}'
            | '\u{2000}'..='\u{200a}'
            | '\u{2028}'
            | '\u{2029}'
            | '\u{202f}'
            | '\u{205f}'
            | '\u{3000}'
    )
}

/// ASCII bytes that CPython treats as whitespace.
#[inline]
pub(crate) const fn is_py_space_byte(b: u8) -> bool {
    matches!(b, b'\t'..=b'\r' | 0x1c..=b' ')
}

/// `re`'s `\w` for `str` patterns: `str.isalnum()` or `_`.
#[inline]
pub(crate) fn is_py_word(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphanumeric() || c == '_'
    } else {
        in_ranges(tables::ALNUM, c as u32)
    }
}

/// Unicode general category P* (any punctuation), ASCII punctuation included.
#[inline]
pub(crate) fn is_unicode_punct(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_punctuation()
    } else {
        in_ranges(tables::PUNCT, c as u32)
    }
}

/// CPython's `str.isupper()`: at least one upper-case character and no
/// lower- or title-case one.
pub(crate) fn py_isupper(s: &str) -> bool {
    let mut cased = false;
    if s.is_ascii() {
        for &b in s.as_bytes() {
            if b.is_ascii_lowercase() {
                return false;
            }
            cased |= b.is_ascii_uppercase();
        }
        return cased;
    }
    for c in s.chars() {
        if c.is_ascii() {
            if c.is_ascii_lowercase() {
                return false;
            }
            cased |= c.is_ascii_uppercase();
        } else {
            let cp = c as u32;
            if in_ranges(tables::LOWER_OR_TITLE, cp) {
                return false;
            }
            cased |= in_ranges(tables::UPPER, cp);
        }
    }
    cased
}

/// CPython's `str.strip()` without arguments.
pub(crate) fn py_strip(s: &str) -> &str {
    s.trim_matches(is_py_space)
}

/// Does `s` have at most two characters (code points, as Python's `len`)?
#[inline]
pub(crate) fn at_most_two_chars(s: &str) -> bool {
    match s.len() {
        0..=2 => true,
        3..=8 => s.chars().nth(2).is_none(),
        _ => false,
    }
}

/// Appends the lower-case form of `s` to `out`, character by character
/// (full Unicode mappings, as `str.lower()`; Greek final sigma is not
/// special-cased, which no lexicon entry can observe).
pub(crate) fn push_lowercase(out: &mut String, s: &str) {
    if s.is_ascii() {
        out.extend(s.bytes().map(|b| char::from(b.to_ascii_lowercase())));
    } else {
        for c in s.chars() {
            if c.is_ascii() {
                out.push(c.to_ascii_lowercase());
            } else {
                out.extend(c.to_lowercase());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whitespace_matches_python() {
        for c in [
            '\t', '\n', '\u{b}', '\u{c}', '\r', '\u{1c}', '\u{1f}', ' ', '\u{a0}', '\u{3000}',
        ] {
            assert!(is_py_space(c), "{c:?}");
        }
        for c in ['\u{200b}', 'a', '\u{feff}', '\u{180e}'] {
            assert!(!is_py_space(c), "{c:?}");
        }
        for b in 0u8..128 {
            assert_eq!(is_py_space_byte(b), is_py_space(char::from(b)), "{b}");
        }
        assert_eq!(py_strip("\u{1c} a b\u{a0}"), "a b");
    }

    #[test]
    fn word_chars_follow_python_not_rust() {
        assert!(is_py_word('_'));
        assert!(is_py_word('é'));
        assert!(is_py_word('²'));
        assert!(is_py_word('中'));
        // Combining marks are alphabetic for Rust but not `\w` for Python.
        assert!('\u{0301}'.is_alphanumeric() || !is_py_word('\u{0301}'));
        assert!(!is_py_word('\u{0301}'));
        assert!(!is_py_word('\u{093e}'));
        assert!(!is_py_word('’'));
    }

    #[test]
    fn isupper_matches_python() {
        assert!(py_isupper("GOOD"));
        assert!(py_isupper("GOOD!!"));
        assert!(py_isupper("ÉTÉ"));
        assert!(py_isupper("A1"));
        assert!(!py_isupper("Good"));
        assert!(!py_isupper("123"));
        assert!(!py_isupper(":)"));
        assert!(!py_isupper("ǅ")); // title case
        assert!(!py_isupper("ΑΒγ"));
        assert!(py_isupper("ΑΒΓ"));
        assert!(py_isupper("Ⓐ")); // Other_Uppercase
    }

    #[test]
    fn punctuation_and_lengths() {
        for c in ['“', '”', '’', '—', '–', '…', '«', '¿', '!'] {
            assert!(is_unicode_punct(c), "{c:?}");
        }
        assert!(!is_unicode_punct('a'));
        assert!(!is_unicode_punct('€'));
        assert!(at_most_two_chars("ok"));
        assert!(at_most_two_chars("éé"));
        assert!(at_most_two_chars("😀😀"));
        assert!(!at_most_two_chars("abc"));
        assert!(!at_most_two_chars("日本語"));
        let mut s = String::new();
        push_lowercase(&mut s, "İSTANBUL \u{212a}");
        assert_eq!(s, "i\u{307}stanbul k");
    }
}
