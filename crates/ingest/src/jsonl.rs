//! One JSON Lines object: its keys in file order and its values as text.

use std::borrow::Cow;
use std::fmt;

use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::Deserialize;
use serde_json::value::RawValue;

/// The members of one JSON object, in the order they appear.
pub(crate) struct Object<'a> {
    pub members: Vec<(Cow<'a, str>, &'a RawValue)>,
}

/// Why a line is not an object.
pub(crate) enum ObjectError {
    /// Not valid JSON: the parser's message and the column.
    Syntax(String),
    /// Valid JSON, but not an object (an array, a string, ...).
    NotAnObject(&'static str),
}

/// Parses one line as a JSON object, keeping member order.
pub(crate) fn parse_object(line: &str) -> Result<Object<'_>, ObjectError> {
    let first = line.trim_start().as_bytes().first().copied();
    if first.is_some() && first != Some(b'{') {
        // Tell "not an object" apart from "not JSON".
        if serde_json::from_str::<&RawValue>(line).is_ok() {
            return Err(ObjectError::NotAnObject(match first {
                Some(b'[') => "an array",
                Some(b'"') => "a string",
                Some(b'n') => "null",
                Some(b't' | b'f') => "a boolean",
                _ => "a number",
            }));
        }
    }
    serde_json::from_str::<Object<'_>>(line).map_err(|e| {
        let msg = e.to_string();
        // serde_json appends " at line 1 column N"; the line is ours to give.
        let msg = match msg.rfind(" at line ") {
            Some(i) => &msg[..i],
            None => &msg,
        };
        ObjectError::Syntax(format!("{msg} at column {}", e.column()))
    })
}

/// The text of a value: a string as it is (unescaped), `null` as the empty
/// string, numbers and booleans as written, arrays and objects as compact JSON.
pub(crate) fn value_text(raw: &RawValue) -> Cow<'_, str> {
    let s = raw.get();
    match s.as_bytes().first() {
        Some(b'"') => match serde_json::from_str::<Cow<'_, str>>(s) {
            Ok(v) => v,
            // An escaped lone surrogate (`"\ud83d"`) is valid JSON but no
            // Unicode text: it becomes U+FFFD. Keep the raw text if anything
            // else ever fails (RawValue already checked the syntax).
            Err(_) => match serde_json::from_str::<String>(&replace_lone_surrogates(s)) {
                Ok(v) => Cow::Owned(v),
                Err(_) => Cow::Borrowed(s),
            },
        },
        Some(b'n') => Cow::Borrowed(""),
        Some(b'{' | b'[') => compact(s),
        _ => Cow::Borrowed(s),
    }
}

/// A JSON string literal with every `\uXXXX` escape of a surrogate that is
/// not half of a pair replaced by `\ufffd`.
fn replace_lone_surrogates(s: &str) -> String {
    let b = s.as_bytes();
    let hex = |at: usize| {
        s.get(at..at + 4)
            .filter(|h| h.bytes().all(|c| c.is_ascii_hexdigit()))
            .and_then(|h| u16::from_str_radix(h, 16).ok())
    };
    let mut out = String::with_capacity(s.len());
    let mut last = 0;
    let mut i = 0;
    while i < b.len() {
        if b[i] != b'\\' {
            i += 1;
            continue;
        }
        let Some(unit) = (b.get(i + 1) == Some(&b'u')).then(|| hex(i + 2)).flatten() else {
            i += 2; // any other escape: skip the escaped character
            continue;
        };
        let low_follows = || {
            b.get(i + 6) == Some(&b'\\')
                && b.get(i + 7) == Some(&b'u')
                && hex(i + 8).is_some_and(|l| (0xDC00..0xE000).contains(&l))
        };
        if (0xD800..0xDC00).contains(&unit) && low_follows() {
            i += 12;
            continue;
        }
        if (0xD800..0xE000).contains(&unit) {
            out.push_str(&s[last..i]);
            out.push_str("\\ufffd");
            last = i + 6;
        }
        i += 6;
    }
    out.push_str(&s[last..]);
    out
}

/// Removes whitespace outside strings (key order is kept as written).
fn compact(s: &str) -> Cow<'_, str> {
    if !s.bytes().any(|b| b.is_ascii_whitespace()) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    let mut in_string = false;
    let mut escaped = false;
    for c in s.chars() {
        if in_string {
            out.push(c);
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                in_string = false;
            }
        } else if c == '"' {
            in_string = true;
            out.push(c);
        } else if !c.is_ascii_whitespace() {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

impl<'de> Deserialize<'de> for Object<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_map(ObjectVisitor)
    }
}

struct ObjectVisitor;

impl<'de> Visitor<'de> for ObjectVisitor {
    type Value = Object<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Object<'de>, A::Error> {
        let mut members = Vec::with_capacity(map.size_hint().unwrap_or(8));
        while let Some(Key(k)) = map.next_key::<Key<'de>>()? {
            let v: &'de RawValue = map.next_value()?;
            members.push((k, v));
        }
        Ok(Object { members })
    }
}

/// A key, borrowed from the line when it has no escapes.
struct Key<'a>(Cow<'a, str>);

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl<'de> Visitor<'de> for KeyVisitor {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string key")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Borrowed(v)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(v.to_owned())))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(v)))
            }
        }
        d.deserialize_str(KeyVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(line: &str) -> Vec<(String, String)> {
        match parse_object(line) {
            Ok(o) => o
                .members
                .iter()
                .map(|(k, v)| (k.to_string(), value_text(v).into_owned()))
                .collect(),
            Err(_) => panic!("not parsed: {line}"),
        }
    }

    #[test]
    fn members_keep_order_and_become_text() {
        let got = pairs(
            r#"{"z": "last\u00e9 \"q\"", "a": 1.50, "m": true, "n": null, "nested": {"b": [1, 2], "a": "x y"}, "k\"ey": -3e2}"#,
        );
        let want = [
            ("z", "lasté \"q\""),
            ("a", "1.50"),
            ("m", "true"),
            ("n", ""),
            ("nested", r#"{"b":[1,2],"a":"x y"}"#),
            ("k\"ey", "-3e2"),
        ];
        assert_eq!(
            got,
            want.iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect::<Vec<_>>()
        );
    }

    #[test]
    fn lone_surrogates_become_replacement_characters() {
        // Found by the jsonl fuzz target: the value's raw JSON (quotes and
        // escapes included) became the text when it held a lone surrogate.
        let got = pairs(r#"{"text": "a\ud83d\n \ude00b \ud83d\ude00 \\ud800 \"q\""}"#);
        assert_eq!(got[0].1, "a\u{FFFD}\n \u{FFFD}b \u{1F600} \\ud800 \"q\"");
        assert_eq!(
            replace_lone_surrogates(r#""\udc00\ud800""#),
            r#""\ufffd\ufffd""#
        );
    }

    #[test]
    fn errors_say_what_is_wrong() {
        match parse_object(r#"{"a": 1,"#) {
            Err(ObjectError::Syntax(m)) => assert!(m.contains("at column"), "{m}"),
            _ => panic!("expected a syntax error"),
        }
        match parse_object("[1, 2]") {
            Err(ObjectError::NotAnObject(what)) => assert_eq!(what, "an array"),
            _ => panic!("expected not-an-object"),
        }
        assert!(matches!(parse_object("nope"), Err(ObjectError::Syntax(_))));
        assert!(matches!(
            parse_object("{} trailing"),
            Err(ObjectError::Syntax(_))
        ));
    }
}
