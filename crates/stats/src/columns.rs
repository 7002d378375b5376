//! Which metadata columns hold a document's group and date, and how a
//! group is derived from a value (an outlet from a URL).

/// Names that mark a grouping column, in order of preference (compared
/// case-insensitively).
const GROUP_NAMES: &[&str] = &[
    "outlet",
    "source",
    "publisher",
    "publication",
    "site",
    "domain",
    "category",
    "section",
];

/// Names that mark a date column, in order of preference.
const DATE_NAMES: &[&str] = &[
    "date",
    "published",
    "publish_date",
    "published_date",
    "publication_date",
    "pub_date",
    "published_at",
    "datetime",
    "timestamp",
    "created_at",
    "time",
];

/// The column to group documents by when the user named none: a column
/// called outlet, source, publisher, publication, site, domain, category,
/// section, book or author; failing that, a column whose name holds `url` or `link` (its
/// host names the outlet).
///
/// ```
/// let cols = ["article_id", "publish_date", "article_source_link", "title"];
/// assert_eq!(lexiscope_stats::detect_group_column(&cols), Some("article_source_link"));
/// ```
pub fn detect_group_column<S: AsRef<str>>(columns: &[S]) -> Option<&str> {
    for want in GROUP_NAMES {
        if let Some(c) = columns
            .iter()
            .find(|c| c.as_ref().eq_ignore_ascii_case(want))
        {
            return Some(c.as_ref());
        }
    }
    columns.iter().map(AsRef::as_ref).find(|c| {
        let l = c.to_ascii_lowercase();
        l.contains("url") || l.contains("link")
    })
}

/// The date column when the user named none: one of the usual names
/// (date, published, publish_date, pub_date, published_at, timestamp...),
/// else the first column whose name holds `date`.
///
/// ```
/// let cols = ["article_id", "publish_date", "title"];
/// assert_eq!(lexiscope_stats::detect_date_column(&cols), Some("publish_date"));
/// ```
pub fn detect_date_column<S: AsRef<str>>(columns: &[S]) -> Option<&str> {
    for want in DATE_NAMES {
        if let Some(c) = columns
            .iter()
            .find(|c| c.as_ref().eq_ignore_ascii_case(want))
        {
            return Some(c.as_ref());
        }
    }
    columns
        .iter()
        .map(AsRef::as_ref)
        .find(|c| c.to_ascii_lowercase().contains("date"))
}

/// The group a value stands for: the host of a URL (without `www.`), or the
/// trimmed value itself; None for a blank value.
///
/// ```
/// use lexiscope_stats::group_value;
/// assert_eq!(group_value("http://www.bbc.co.uk/news/world-38871467"), Some("bbc.co.uk"));
/// assert_eq!(group_value("  Sports "), Some("Sports"));
/// assert_eq!(group_value(" "), None);
/// ```
pub fn group_value(value: &str) -> Option<&str> {
    let v = value.trim();
    if v.is_empty() {
        return None;
    }
    Some(url_host(v).unwrap_or(v))
}

/// The host of an http(s) URL, lower-case ASCII expected, without a leading
/// `www.`, user info or port.
pub fn url_host(url: &str) -> Option<&str> {
    // Compared as bytes: the prefixes are ASCII, so where one matches, the
    // byte after it starts a character (and slicing there cannot panic).
    let starts = |s: &str, p: &str| {
        s.as_bytes()
            .get(..p.len())
            .is_some_and(|b| b.eq_ignore_ascii_case(p.as_bytes()))
    };
    let lower_starts = |p: &str| starts(url, p);
    let rest = if lower_starts("https://") {
        &url[8..]
    } else if lower_starts("http://") {
        &url[7..]
    } else if lower_starts("//") {
        &url[2..]
    } else {
        return None;
    };
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let mut host = &rest[..end];
    if let Some(at) = host.rfind('@') {
        host = &host[at + 1..];
    }
    if let Some(colon) = host.rfind(':') {
        if host[colon + 1..].bytes().all(|b| b.is_ascii_digit()) {
            host = &host[..colon];
        }
    }
    if host.len() > 4 && starts(host, "www.") {
        host = &host[4..];
    }
    (!host.is_empty()).then_some(host)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_with_characters_across_a_prefix_end_are_not_urls() {
        // Titles of the bundled corpus that once made this panic: a
        // character of several bytes where "http://" or "www." would end.
        for v in [
            "Reichsb\u{fc}rger raided in three German states",
            "\u{20ac}100k worth of heroin seized in Dublin",
            "//\u{e9}t\u{e9}",
            "http://ww\u{e9}.example.com/",
        ] {
            assert_eq!(group_value(v), url_host(v).or(Some(v)));
        }
        assert_eq!(url_host("//\u{e9}t\u{e9}"), Some("\u{e9}t\u{e9}"));
        assert_eq!(
            url_host("http://ww\u{e9}.example.com/"),
            Some("ww\u{e9}.example.com")
        );
        assert_eq!(
            url_host("http://www.\u{e9}t\u{e9}.fr/"),
            Some("\u{e9}t\u{e9}.fr")
        );
    }

    proptest::proptest! {
        #[test]
        fn any_text_is_a_host_or_not_without_panicking(v in "\\PC{0,12}", prefix in 0usize..4) {
            let v = format!("{}{v}", ["", "http://", "//", "https://www."][prefix]);
            let host = url_host(&v);
            if let Some(h) = host {
                proptest::prop_assert!(v.contains(h));
            }
            proptest::prop_assert_eq!(group_value(&v).is_none(), v.trim().is_empty());
        }
    }

    #[test]
    fn hosts() {
        assert_eq!(
            url_host("http://abcnews.go.com/Politics/x?id=1"),
            Some("abcnews.go.com")
        );
        assert_eq!(url_host("https://www.rte.ie"), Some("rte.ie"));
        assert_eq!(
            url_host("HTTPS://user@Example.com:8080/x"),
            Some("Example.com")
        );
        assert_eq!(url_host("www.example.com"), None);
        assert_eq!(url_host("http:///x"), None);
    }

    #[test]
    fn detection_prefers_explicit_names() {
        assert_eq!(detect_group_column(&["url", "Source"]), Some("Source"));
        assert_eq!(detect_group_column(&["id", "text"]), None);
        assert_eq!(detect_date_column(&["created_at", "Date"]), Some("Date"));
        assert_eq!(
            detect_date_column(&["update_date_utc"]),
            Some("update_date_utc")
        );
        assert_eq!(detect_date_column(&["id"]), None);
    }
}
