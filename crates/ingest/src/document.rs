//! The documents the stream yields.

use std::fmt;
use std::sync::Arc;

use crate::Warning;

/// One document: a text file, a CSV/TSV row or a JSON Lines object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    /// The `--id-col` value; else `<name>:<row>` for a CSV/TSV row or JSON
    /// Lines object (row 1 is the first data row), the path inside the folder
    /// given (or the file name) for a text file, `stdin` for text on stdin.
    pub id: String,
    /// The text, cleaned up as the [`IngestOptions`](crate::IngestOptions) say.
    pub text: String,
    /// The other columns of the record, in file order.
    pub meta: Meta,
    /// Where the document came from.
    pub origin: Origin,
}

/// Where a document starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    /// The file as the user would recognise it: the path given, or the folder
    /// given joined with the path inside it; `stdin` for standard input.
    pub path: Arc<str>,
    /// The line where the record starts (counted from 1), for CSV, TSV and
    /// JSON Lines; `None` for a whole-file text.
    pub line: Option<u64>,
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{}", self.path, line),
            None => f.write_str(&self.path),
        }
    }
}

/// The columns of a record other than the text (and the id, when `--id-col`
/// names it), in file order, with their values exactly as read.
///
/// Cloning is cheap: column names and values are shared.
#[derive(Clone, PartialEq, Eq, Default)]
pub struct Meta {
    columns: Arc<[Arc<str>]>,
    values: Arc<Values>,
}

#[derive(PartialEq, Eq, Default)]
struct Values {
    buf: String,
    /// `ends[i]` is the end of value `i` in `buf`.
    ends: Vec<usize>,
}

impl Meta {
    /// Metadata with the given column names and values (paired by position;
    /// extra names or values are dropped).
    pub fn new<S: AsRef<str>>(columns: Arc<[Arc<str>]>, values: &[S]) -> Meta {
        let mut builder = MetaBuilder::with_capacity(values.iter().map(|v| v.as_ref().len()).sum());
        let n = columns.len().min(values.len());
        for v in &values[..n] {
            builder.push(v.as_ref());
        }
        let columns = if n == columns.len() {
            columns
        } else {
            columns[..n].into()
        };
        builder.finish(columns)
    }

    /// `(column, value)` pairs, in file order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> + '_ {
        self.columns
            .iter()
            .enumerate()
            .map(move |(i, c)| (&**c, self.value(i)))
    }

    /// The value of a column, if the record has it (the first one when a name repeats).
    pub fn get(&self, column: &str) -> Option<&str> {
        self.columns
            .iter()
            .position(|c| &**c == column)
            .map(|i| self.value(i))
    }

    /// The column names, in file order.
    pub fn columns(&self) -> &[Arc<str>] {
        &self.columns
    }

    /// The shared list of column names (clone it to reuse it without copying).
    pub fn columns_arc(&self) -> &Arc<[Arc<str>]> {
        &self.columns
    }

    /// The number of columns.
    pub fn len(&self) -> usize {
        self.columns.len()
    }

    /// Bytes of the values together, as read (no delimiters or quotes).
    pub fn value_bytes(&self) -> usize {
        self.values.buf.len()
    }

    /// True when there are no columns (plain-text documents).
    pub fn is_empty(&self) -> bool {
        self.columns.is_empty()
    }

    fn value(&self, i: usize) -> &str {
        let v = &self.values;
        let start = if i == 0 { 0 } else { v.ends[i - 1] };
        &v.buf[start..v.ends[i]]
    }
}

impl fmt::Debug for Meta {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

/// Collects values for a [`Meta`] without one allocation per value.
pub(crate) struct MetaBuilder {
    values: Values,
}

impl MetaBuilder {
    pub(crate) fn with_capacity(bytes: usize) -> MetaBuilder {
        MetaBuilder {
            values: Values {
                buf: String::with_capacity(bytes),
                ends: Vec::new(),
            },
        }
    }

    pub(crate) fn push(&mut self, value: &str) {
        self.values.buf.push_str(value);
        self.values.ends.push(self.values.buf.len());
    }

    /// `columns` must have as many names as values were pushed.
    pub(crate) fn finish(self, columns: Arc<[Arc<str>]>) -> Meta {
        debug_assert_eq!(columns.len(), self.values.ends.len());
        Meta {
            columns,
            values: Arc::new(self.values),
        }
    }
}

/// One item of the stream: a document, or a warning about the input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    /// A document that was read.
    Document(Document),
    /// Something that went wrong and what was done about it.
    Warning(Warning),
}
