//! What the caller can choose.

use std::fmt;
use std::str::FromStr;

use crate::IngestError;

/// The format of an input, chosen from its extension or given for stdin.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum InputFormat {
    /// Plain text (`.txt`, `.md`): the whole file is one document.
    Text,
    /// Comma-separated values with a header row: one document per row.
    Csv,
    /// Tab-separated values with a header row: one document per row.
    Tsv,
    /// JSON Lines (`.jsonl`, `.ndjson`): one document per object.
    Jsonl,
}

impl InputFormat {
    /// The name used on the command line: `text`, `csv`, `tsv` or `jsonl`.
    pub fn name(self) -> &'static str {
        match self {
            InputFormat::Text => "text",
            InputFormat::Csv => "csv",
            InputFormat::Tsv => "tsv",
            InputFormat::Jsonl => "jsonl",
        }
    }

    /// The format that a file extension (without the dot, any case) stands for.
    pub fn from_extension(ext: &str) -> Option<InputFormat> {
        let ext = ext.to_ascii_lowercase();
        match ext.as_str() {
            "txt" | "md" => Some(InputFormat::Text),
            "csv" => Some(InputFormat::Csv),
            "tsv" => Some(InputFormat::Tsv),
            "jsonl" | "ndjson" => Some(InputFormat::Jsonl),
            _ => None,
        }
    }
}

impl fmt::Display for InputFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for InputFormat {
    type Err = IngestError;

    /// Accepts `text`/`txt`, `csv`, `tsv`, `jsonl`/`ndjson`, in any case.
    fn from_str(s: &str) -> Result<InputFormat, IngestError> {
        match s.trim().to_ascii_lowercase().as_str() {
            "text" => Ok(InputFormat::Text),
            other => InputFormat::from_extension(other).ok_or_else(|| IngestError::UnknownFormat {
                value: s.to_owned(),
            }),
        }
    }
}

/// How to read the inputs. [`Default`] turns every clean-up on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IngestOptions {
    /// The column (CSV/TSV) or key (JSONL) that holds the text. When `None`,
    /// the first column named `text`, `content`, `body` or `article` (any
    /// case) is used, else the column with the longest strings in the first rows.
    pub text_col: Option<String>,
    /// The column or key whose value is the document id. When `None`, ids are
    /// `<file>:<row>`.
    pub id_col: Option<String>,
    /// The format of standard input. When `None`, gzip is detected, input
    /// starting with `{` is read as JSON Lines and anything else as one text.
    pub stdin_format: Option<InputFormat>,
    /// Decode HTML entities (`&amp;`, `&rsquo;`, `&#8217;`, `&#x2019;`) in texts.
    pub decode_entities: bool,
    /// Strip tags from texts that are HTML (see the crate documentation).
    pub strip_html: bool,
    /// Turn non-breaking and other Unicode spaces into plain spaces, and
    /// Unicode line and paragraph separators into line breaks.
    pub normalize_spaces: bool,
}

impl Default for IngestOptions {
    fn default() -> IngestOptions {
        IngestOptions {
            text_col: None,
            id_col: None,
            stdin_format: None,
            decode_entities: true,
            strip_html: true,
            normalize_spaces: true,
        }
    }
}
