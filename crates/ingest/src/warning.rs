//! Warnings: something in the data was wrong and was dealt with.

use std::fmt;

/// Something in the input that was not right, and what was done about it.
///
/// Displayed as `path[:line]: what happened; what was done`, for example
/// `data/x.csv:12: row has 7 fields, the header has 6; row skipped`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    /// The file, as the user would recognise it (`stdin` for standard input).
    pub path: String,
    /// The line where the offending record starts, when there is one.
    pub line: Option<u64>,
    /// What kind of problem it is, for programs that count or filter warnings.
    pub kind: WarningKind,
    /// What happened and what was done, in words.
    pub message: String,
}

impl Warning {
    pub(crate) fn new(
        path: &str,
        line: Option<u64>,
        kind: WarningKind,
        message: impl Into<String>,
    ) -> Warning {
        Warning {
            path: path.to_owned(),
            line,
            kind,
            message: message.into(),
        }
    }
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{}: {}", self.path, line, self.message),
            None => write!(f, "{}: {}", self.path, self.message),
        }
    }
}

/// The kind of a [`Warning`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum WarningKind {
    /// The file looks binary (NUL bytes, mostly control characters); skipped.
    Binary,
    /// The file or folder could not be opened or read (permissions, corrupt
    /// gzip data, a broken symbolic link); skipped, or reading stopped there.
    Unreadable,
    /// A symbolic link leads back to one of its own parent folders; not followed.
    SymlinkLoop,
    /// The same file was reached twice (through a link, or given twice); read once.
    Duplicate,
    /// The bytes were not valid UTF-8; the bad bytes were decoded as Windows-1252.
    EncodingFallback,
    /// UTF-16 text held invalid sequences; they became U+FFFD.
    InvalidUtf16,
    /// A CSV/TSV row has more or fewer fields than the header; row skipped.
    FieldCount,
    /// A quoted CSV/TSV field is never closed; the record was skipped.
    UnterminatedQuote,
    /// A JSON Lines line is not valid JSON or not an object; line skipped.
    InvalidJson,
    /// A JSON object lacks the text field; skipped.
    MissingText,
    /// The id column is empty in a record; the file name and row were used.
    MissingId,
    /// No column had a known text name; the column with the longest strings was used.
    TextColumnGuessed,
    /// The header has an empty or repeated column name; it was renamed.
    ColumnRenamed,
}
