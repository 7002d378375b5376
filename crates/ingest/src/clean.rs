//! Text clean-up for scraped news: HTML tags, HTML entities, Unicode spaces.
//!
//! Each step first checks with `memchr` (or `is_ascii`) whether it has
//! anything to do and returns `None` without allocating when it has not.
//! Every step is one forward pass: time is linear in the text's length.

use memchr::{memchr, memchr3_iter, memchr_iter, memmem, memrchr};

use crate::decode::cp1252_char;
use crate::entities;
use crate::IngestOptions;

/// Applies the clean-ups the options ask for: tags, then entities (so that
/// `&lt;b&gt;` stays visible text), then spaces (so that `&nbsp;` becomes a space).
pub(crate) fn clean(mut text: String, opts: &IngestOptions) -> String {
    if opts.strip_html {
        if let Some(t) = strip_html(&text) {
            text = t;
        }
    }
    if opts.decode_entities {
        if let Some(t) = decode_entities(&text) {
            text = t;
        }
    }
    if opts.normalize_spaces {
        if let Some(t) = normalize_spaces(&text) {
            text = t;
        }
    }
    text
}

// ---------------------------------------------------------------- entities

/// Decodes `&name;`, `&#ddd;` and `&#xhh;` references. A reference needs its
/// closing `;`; unknown names and bare `&` are left as they are. Numeric
/// references to 0x80..=0x9F are read as Windows-1252 (as browsers do), and
/// invalid code points become U+FFFD. One pass: `&amp;lt;` gives `&lt;`.
pub(crate) fn decode_entities(s: &str) -> Option<String> {
    let b = s.as_bytes();
    let mut pos = memchr(b'&', b)?;
    let mut out: Option<String> = None;
    let mut last = 0;
    loop {
        match entity_at(&b[pos..]) {
            Some((len, ch)) => {
                let o = out.get_or_insert_with(|| String::with_capacity(s.len()));
                o.push_str(&s[last..pos]);
                o.push(ch);
                pos += len;
                last = pos;
            }
            None => pos += 1,
        }
        match memchr(b'&', &b[pos..]) {
            Some(k) => pos += k,
            None => break,
        }
    }
    let mut o = out?;
    o.push_str(&s[last..]);
    Some(o)
}

/// The length and character of the reference at the start of `b` (`b[0]` is `&`).
fn entity_at(b: &[u8]) -> Option<(usize, char)> {
    if b.get(1) == Some(&b'#') {
        let hex = matches!(b.get(2), Some(b'x' | b'X'));
        let start = if hex { 3 } else { 2 };
        let radix = if hex { 16 } else { 10 };
        let mut i = start;
        let mut value: u32 = 0;
        while i < b.len() && i - start < 8 {
            match char::from(b[i]).to_digit(radix) {
                Some(d) => value = value * radix + d,
                None => break,
            }
            i += 1;
        }
        if i == start || b.get(i) != Some(&b';') {
            return None;
        }
        let ch = match value {
            0 => '\u{FFFD}',
            0x80..=0x9F => cp1252_char(value as u8),
            v => char::from_u32(v).unwrap_or('\u{FFFD}'),
        };
        Some((i + 1, ch))
    } else {
        let mut i = 1;
        while i < b.len() && i <= entities::MAX_NAME_LEN && b[i].is_ascii_alphanumeric() {
            i += 1;
        }
        if i == 1 || b.get(i) != Some(&b';') {
            return None;
        }
        entities::lookup(&b[1..i]).map(|c| (i + 1, c))
    }
}

// ---------------------------------------------------------------- spaces

/// Replaces U+00A0 (no-break space), U+1680, U+2000..=U+200A, U+202F,
/// U+205F and U+3000 with a space, and U+0085, U+2028, U+2029 with `\n`.
/// Zero-width characters are left alone.
pub(crate) fn normalize_spaces(s: &str) -> Option<String> {
    let b = s.as_bytes();
    if b.is_ascii() {
        return None;
    }
    // Every character to replace starts with one of these bytes.
    let has_ogham = memchr(0xE1, b).is_some();
    let mut out: Option<String> = None;
    let mut last = 0;
    let mut replace = |p: usize, len: usize, ch: char, out: &mut Option<String>| {
        let o = out.get_or_insert_with(|| String::with_capacity(s.len()));
        o.push_str(&s[last..p]);
        o.push(ch);
        last = p + len;
    };
    if has_ogham {
        // Rare (Ogham space mark): take the simple char-by-char path.
        for (p, c) in s.char_indices() {
            if let Some(r) = space_replacement(c) {
                replace(p, c.len_utf8(), r, &mut out);
            }
        }
    } else {
        for p in memchr3_iter(0xC2, 0xE2, 0xE3, b) {
            // `p` is a lead byte (these values never continue a sequence).
            let len = if b[p] == 0xC2 { 2 } else { 3 };
            if let Some(c) = s.get(p..p + len).and_then(|t| t.chars().next()) {
                if let Some(r) = space_replacement(c) {
                    replace(p, len, r, &mut out);
                }
            }
        }
    }
    let mut o = out?;
    o.push_str(&s[last..]);
    Some(o)
}

fn space_replacement(c: char) -> Option<char> {
    match c {
        '\u{00A0}'
        | '\u{1680}'
        | '\u{2000}'..='\u{200A}'
        | '\u{202F}'
        | '\u{205F}'
        | '\u{3000}' => Some(' '),
        '\u{0085}' | '\u{2028}' | '\u{2029}' => Some('\n'),
        _ => None,
    }
}

// ---------------------------------------------------------------- HTML

/// Elements whose presence makes a text HTML.
const HTML_ELEMENTS: &[&str] = &[
    "a",
    "abbr",
    "address",
    "article",
    "aside",
    "audio",
    "b",
    "blockquote",
    "body",
    "br",
    "button",
    "caption",
    "center",
    "cite",
    "code",
    "dd",
    "del",
    "div",
    "dl",
    "dt",
    "em",
    "figcaption",
    "figure",
    "font",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "head",
    "header",
    "hr",
    "html",
    "i",
    "iframe",
    "img",
    "input",
    "ins",
    "li",
    "link",
    "main",
    "mark",
    "meta",
    "nav",
    "noscript",
    "ol",
    "p",
    "picture",
    "pre",
    "q",
    "s",
    "script",
    "section",
    "small",
    "source",
    "span",
    "strong",
    "style",
    "sub",
    "sup",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "time",
    "title",
    "tr",
    "u",
    "ul",
    "video",
];

/// Elements that start a new line of text.
const BLOCK_ELEMENTS: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "br",
    "caption",
    "dd",
    "div",
    "dl",
    "dt",
    "figcaption",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hr",
    "li",
    "main",
    "nav",
    "ol",
    "p",
    "pre",
    "section",
    "table",
    "tbody",
    "tfoot",
    "thead",
    "title",
    "tr",
    "ul",
];

fn name_in(name: &[u8], list: &[&str]) -> bool {
    name.len() <= 10 && list.iter().any(|n| n.as_bytes().eq_ignore_ascii_case(name))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tag<'a> {
    /// `<!-- ... -->`
    Comment,
    /// `<!DOCTYPE ...>`, `<![CDATA[...]]>`, `<?xml ...?>`
    Declaration { doctype: bool },
    /// `<name ...>`; `known` when the name is an HTML element followed by
    /// whitespace, `/` or `>`.
    Start { name: &'a [u8], known: bool },
    /// `</name ...>`
    End { name: &'a [u8], known: bool },
}

/// The tag that starts at `b[p]` (which is `<`), judged from its first bytes.
/// Cost: the length of the tag name.
fn tag_at(b: &[u8], p: usize) -> Option<Tag<'_>> {
    let rest = &b[p + 1..];
    match rest.first()? {
        b'!' if rest[1..].starts_with(b"--") => Some(Tag::Comment),
        b'!' => Some(Tag::Declaration {
            doctype: rest.len() >= 8 && rest[1..8].eq_ignore_ascii_case(b"doctype"),
        }),
        b'?' => Some(Tag::Declaration { doctype: false }),
        b'/' => {
            let name = name_at(&rest[1..])?;
            let after = rest.get(1 + name.len()).copied();
            let known = name_in(name, HTML_ELEMENTS) && ends_name(after);
            Some(Tag::End { name, known })
        }
        _ => {
            let name = name_at(rest)?;
            let after = rest.get(name.len()).copied();
            let known = name_in(name, HTML_ELEMENTS) && ends_name(after);
            Some(Tag::Start { name, known })
        }
    }
}

/// An element name: a letter, then letters, digits and `-`.
fn name_at(b: &[u8]) -> Option<&[u8]> {
    if !b.first()?.is_ascii_alphabetic() {
        return None;
    }
    let len = b
        .iter()
        .position(|c| !(c.is_ascii_alphanumeric() || *c == b'-'))
        .unwrap_or(b.len());
    Some(&b[..len])
}

fn ends_name(after: Option<u8>) -> bool {
    matches!(
        after,
        Some(b'>' | b'/' | b' ' | b'\t' | b'\n' | b'\r' | 0x0C)
    )
}

/// A text is HTML when it holds at least one tag of a known HTML element
/// (`<p>`, `</div>`, `<a href=...>`, `<br/>`), a comment or a doctype, closed
/// by a `>` somewhere after it. So `a < b`, `<UAL.N>` (a Reuters ticker) or
/// `x<3` do not make a text HTML.
fn is_html(b: &[u8], first_lt: usize, last_gt: usize) -> bool {
    for p in memchr_iter(b'<', &b[first_lt..]).map(|k| first_lt + k) {
        if p > last_gt {
            return false;
        }
        match tag_at(b, p) {
            Some(Tag::Comment | Tag::Declaration { doctype: true }) => return true,
            Some(Tag::Start { known: true, .. } | Tag::End { known: true, .. }) => return true,
            _ => {}
        }
    }
    false
}

/// Strips tags from a text that [is HTML](is_html): every `<...>` that starts
/// like a tag is removed (up to the first `>`; quoted `>` inside attribute
/// values are not recognised), comments are removed, the content of
/// `<script>` and `<style>` is dropped, block elements (`p`, `div`, `br`,
/// `li`, `h1`..`h6`, `tr`, ...) become a line break (at most one blank line
/// in a row) and table cells a space; the result is trimmed.
/// A `<` that does not start a tag stays. Entities are left for
/// [`decode_entities`].
pub(crate) fn strip_html(s: &str) -> Option<String> {
    let b = s.as_bytes();
    let first_lt = memchr(b'<', b)?;
    let last_gt = memrchr(b'>', b)?;
    if !is_html(b, first_lt, last_gt) {
        return None;
    }
    let mut out = String::with_capacity(s.len());
    let mut last = 0;
    let mut pos = first_lt;
    // Invariant: b[pos] == '<' and pos >= last.
    while pos < last_gt {
        let mut resume = pos + 1;
        if let Some(tag) = tag_at(b, pos) {
            // pos < last_gt, so a '>' follows.
            let gt = memchr(b'>', &b[pos..]).map_or(b.len(), |k| pos + k + 1);
            let end = match tag {
                Tag::Comment => {
                    memmem::find(&b[pos + 4..], b"-->").map_or(b.len(), |k| pos + 4 + k + 3)
                }
                Tag::Start { name, .. } if is_raw_text(name) && b[gt - 2] != b'/' => {
                    closing_tag_end(b, gt, name)
                }
                _ => gt,
            };
            out.push_str(&s[last..pos]);
            if let Tag::Start { name, .. } | Tag::End { name, .. } = tag {
                if name_in(name, BLOCK_ELEMENTS) {
                    // at most one blank line between blocks
                    if !out.ends_with("\n\n") {
                        out.push('\n');
                    }
                } else if name_in(name, &["td", "th"]) {
                    out.push(' ');
                }
            }
            last = end;
            resume = end;
        }
        match memchr(b'<', b.get(resume..).unwrap_or_default()) {
            Some(k) => pos = resume + k,
            None => break,
        }
    }
    out.push_str(&s[last.min(s.len())..]);
    // Whitespace around an HTML document means nothing.
    let trimmed = out.trim();
    if trimmed.len() < out.len() {
        out = trimmed.to_owned();
    }
    Some(out)
}

fn is_raw_text(name: &[u8]) -> bool {
    name.eq_ignore_ascii_case(b"script") || name.eq_ignore_ascii_case(b"style")
}

/// The end of `</name ...>` searching from `from`, or the end of the text
/// when the element is never closed (as a browser would).
fn closing_tag_end(b: &[u8], from: usize, name: &[u8]) -> usize {
    for q in memchr_iter(b'<', &b[from..]).map(|k| from + k) {
        let candidate = &b[q + 1..];
        if candidate.first() == Some(&b'/')
            && candidate.len() > name.len()
            && candidate[1..=name.len()].eq_ignore_ascii_case(name)
        {
            return memchr(b'>', &b[q..]).map_or(b.len(), |k| q + k + 1);
        }
    }
    b.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strip(s: &str) -> String {
        strip_html(s).unwrap_or_else(|| s.to_owned())
    }

    #[test]
    fn entities_named_and_numeric() {
        assert_eq!(
            decode_entities(
                "Tom &amp; Jerry&rsquo;s &mdash; &#8217;&#x2019;&#X2019; a&nbsp;b &hellip;"
            )
            .unwrap(),
            "Tom & Jerry\u{2019}s \u{2014} \u{2019}\u{2019}\u{2019} a\u{A0}b \u{2026}"
        );
        assert_eq!(
            decode_entities("&#146;&#0;&#xD800;&#x110000;").unwrap(),
            "\u{2019}\u{FFFD}\u{FFFD}\u{FFFD}"
        );
        assert_eq!(decode_entities("&amp;lt;").unwrap(), "&lt;");
        assert_eq!(decode_entities("&Eacute;cole").unwrap(), "École");
    }

    #[test]
    fn non_entities_are_left_alone() {
        for s in [
            "AT&T",
            "a & b",
            "&amp",
            "&bogus;",
            "&#;",
            "&#x;",
            "&#12a;",
            "&",
            "&&",
            "fish&chips;",
        ] {
            assert_eq!(decode_entities(s), None, "{s}");
        }
        assert_eq!(decode_entities("no ampersand"), None);
    }

    #[test]
    fn unicode_spaces() {
        assert_eq!(
            normalize_spaces("a\u{A0}b\u{2009}c\u{3000}d\u{202F}e").unwrap(),
            "a b c d e"
        );
        assert_eq!(
            normalize_spaces("p1\u{2029}p2\u{2028}l\u{85}").unwrap(),
            "p1\np2\nl\n"
        );
        assert_eq!(
            normalize_spaces("ogham\u{1680}space\u{A0}").unwrap(),
            "ogham space "
        );
        assert_eq!(normalize_spaces("plain ascii"), None);
        assert_eq!(normalize_spaces("naïve – “quoted” ‘x’ €"), None);
        assert_eq!(normalize_spaces("zero\u{200B}width"), None);
    }

    #[test]
    fn html_is_recognised_only_from_real_tags() {
        assert_eq!(strip_html("shares of United Airlines <UAL.N> rose"), None);
        assert_eq!(strip_html("if a < b and c > d"), None);
        assert_eq!(strip_html("x<3 and y>2"), None);
        assert_eq!(strip_html("<notatag> here"), None);
        assert_eq!(strip_html("no tags at all"), None);
        assert!(strip_html("<p>para</p>").is_some());
        assert!(strip_html("a<br/>b").is_some());
        assert!(strip_html("<!-- c -->text").is_some());
        assert!(strip_html("<!DOCTYPE html>text").is_some());
    }

    #[test]
    fn tags_are_stripped() {
        assert_eq!(
            strip("<p>One <b>bold</b> word.</p><p>Two</p>"),
            "One bold word.\n\nTwo"
        );
        assert_eq!(strip("a<br>b<br/>c<BR />d"), "a\nb\nc\nd");
        assert_eq!(
            strip("<div class=\"x\">A <a href=\"/u\">link</a></div>"),
            "A link"
        );
        assert_eq!(strip("<div><div><p>deep</p></div></div>x"), "deep\n\nx");
        assert_eq!(
            strip("<table><tr><td>1</td><td>2</td></tr></table>"),
            "1  2"
        );
        // a `<` that is not a tag stays, in a text that is HTML
        assert_eq!(strip("<p>a < b</p>"), "a < b");
    }

    #[test]
    fn script_style_and_comments_are_dropped() {
        assert_eq!(
            strip("<p>Hi</p><script type=\"x\">var a = '<p>'; if (a<b) {}</script><style>p{}</style>there<!-- <p>no</p> -->!"),
            "Hi\nthere!"
        );
        assert_eq!(strip("<p>x</p><SCRIPT>never closed <b>"), "x");
        assert_eq!(strip("<p>x</p><!-- never closed >"), "x");
        assert_eq!(strip("<p>x</p><script src=\"a.js\"/>kept"), "x\nkept");
    }

    #[test]
    fn unclosed_tag_keeps_the_rest() {
        assert_eq!(strip("<p>x</p> and <b unclosed"), "x\n and <b unclosed");
    }

    #[test]
    fn clean_runs_the_steps_in_order() {
        let opts = IngestOptions::default();
        assert_eq!(
            clean("<p>&lt;b&gt; is&nbsp;bold</p>".into(), &opts),
            "<b> is bold"
        );
        let off = IngestOptions {
            strip_html: false,
            decode_entities: false,
            normalize_spaces: false,
            ..IngestOptions::default()
        };
        let raw = "<p>&lt;b&gt; is&nbsp;bold\u{A0}</p>";
        assert_eq!(clean(raw.into(), &off), raw);
    }

    #[test]
    fn pathological_inputs_are_linear() {
        let n = 2_000_000;
        let inputs = [
            "<".repeat(n),
            "<p".repeat(n),
            format!("{}>", "<p ".repeat(n)),
            "&".repeat(n),
            "&#1".repeat(n),
            "&amp".repeat(n),
            format!("<p>{}", "<script>".repeat(n)),
            format!("<p>{}", "<!--".repeat(n)),
            "\u{A0}".repeat(n),
        ];
        let start = std::time::Instant::now();
        for s in &inputs {
            let _ = clean(s.clone(), &IngestOptions::default());
        }
        assert!(start.elapsed().as_secs() < 20, "took {:?}", start.elapsed());
    }
}
