//! Turning one opened input into documents: text, CSV/TSV, JSON Lines.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet, VecDeque};
use std::fs::File;
use std::io::{self, BufRead, Read};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;

use crate::clean::clean;
use crate::csv::{CsvParser, CsvRead, RawRecord};
use crate::decode::{decode_lossy_1252, decode_owned_1252};
use crate::document::MetaBuilder;
use crate::jsonl::{parse_object, value_text, ObjectError};
use crate::source::{open_stream, ByteReader, Counting, Sniffed};
use crate::{
    Document, Event, IngestError, IngestOptions, InputFormat, Meta, Origin, Warning, WarningKind,
};

/// Column names that mark the text column, compared without case.
const TEXT_NAMES: [&str; 4] = ["text", "content", "body", "article"];
/// How many rows (and bytes) are looked at to guess the text column.
const GUESS_ROWS: usize = 100;
const GUESS_BYTES: usize = 4 << 20;

/// How an input is named to the user and in ids.
#[derive(Debug, Clone)]
pub(crate) struct SourceName {
    /// As the user would recognise it (Origin::path, warnings).
    pub display: Arc<str>,
    /// The base of ids: the path inside the folder given, or the file name.
    pub id_base: String,
}

/// One input to read, as planned by `open`.
pub(crate) struct FileInput {
    /// `None` for standard input.
    pub path: Option<PathBuf>,
    pub name: SourceName,
    /// `None`: decide from the content (unknown extension, or stdin).
    pub format: Option<InputFormat>,
    /// A regular file, which can be opened again after checking its header.
    pub regular: bool,
    /// The size on disk (0 when unknown), to size the buffer of a text file.
    pub size_hint: u64,
}

/// Events and counts produced while reading, before the stream hands them out.
#[derive(Default)]
pub(crate) struct Sink {
    pub events: VecDeque<Event>,
    pub files_read: u64,
    pub files_skipped: u64,
    pub documents_skipped: u64,
    pub decoded_with_fallback: u64,
}

impl Sink {
    pub(crate) fn warn(
        &mut self,
        display: &str,
        line: Option<u64>,
        kind: WarningKind,
        message: String,
    ) {
        self.events
            .push_back(Event::Warning(Warning::new(display, line, kind, message)));
    }

    pub(crate) fn absorb(&mut self, other: Sink) {
        self.events.extend(other.events);
        self.files_read += other.files_read;
        self.files_skipped += other.files_skipped;
        self.documents_skipped += other.documents_skipped;
        self.decoded_with_fallback += other.decoded_with_fallback;
    }
}

/// A column asked for by an option is missing from a file.
pub(crate) struct MissingColumn {
    pub option: &'static str,
    pub column: String,
    pub available: Vec<String>,
}

impl MissingColumn {
    pub(crate) fn into_error(self, path: &str) -> IngestError {
        IngestError::MissingColumn {
            path: path.to_owned(),
            option: self.option,
            column: self.column,
            available: self.available,
        }
    }
}

/// A table being read record by record.
pub(crate) enum Reader {
    Csv(Box<CsvDocs>),
    Jsonl(Box<JsonlDocs>),
}

impl Reader {
    /// Reads one record: pushes its document or warnings into `sink`.
    /// Returns false once the input is exhausted.
    pub(crate) fn step(&mut self, sink: &mut Sink, opts: &IngestOptions) -> bool {
        match self {
            Reader::Csv(r) => r.step(sink, opts),
            Reader::Jsonl(r) => r.step(sink, opts),
        }
    }
}

/// Opens an input and starts reading it: a text file is read at once (its
/// document or warning goes to `sink`); a table returns a [`Reader`].
/// `stdin` is taken when the input is standard input.
pub(crate) fn start_input(
    input: &FileInput,
    opts: &IngestOptions,
    sink: &mut Sink,
    bytes: &Arc<AtomicU64>,
    stdin: &mut Option<Box<dyn Read + Send>>,
) -> Result<Option<Reader>, MissingColumn> {
    let display = &*input.name.display;
    let raw: Box<dyn Read + Send> = match &input.path {
        None => {
            let stdin: Box<dyn Read + Send> = stdin.take().unwrap_or_else(|| Box::new(io::empty()));
            Box::new(Counting::new(stdin, Arc::clone(bytes)))
        }
        Some(path) => match File::open(path) {
            Ok(f) => Box::new(Counting::new(f, Arc::clone(bytes))),
            Err(e) => {
                sink.files_skipped += 1;
                sink.warn(
                    display,
                    None,
                    WarningKind::Unreadable,
                    format!("cannot open ({e}); skipped"),
                );
                return Ok(None);
            }
        },
    };
    let opened = match open_stream(raw) {
        Sniffed::Text(o) => o,
        Sniffed::Binary(reason) => {
            sink.files_skipped += 1;
            sink.warn(
                display,
                None,
                WarningKind::Binary,
                format!("looks like a binary file ({reason}); skipped"),
            );
            return Ok(None);
        }
    };
    let format =
        input
            .format
            .unwrap_or(if input.path.is_none() && opened.first_byte == Some(b'{') {
                InputFormat::Jsonl
            } else {
                InputFormat::Text
            });
    let source = Source {
        name: input.name.clone(),
        utf16_errors: opened.utf16_errors,
    };
    match format {
        InputFormat::Text => {
            // Capped: a hint must not allocate gigabytes by itself.
            let capacity = usize::try_from(input.size_hint.min(1 << 30)).unwrap_or(0);
            read_text(source, opened.reader, capacity, opts, sink);
            Ok(None)
        }
        InputFormat::Csv | InputFormat::Tsv => {
            let delim = if format == InputFormat::Csv {
                b','
            } else {
                b'\t'
            };
            let r = CsvDocs::start(source, opened.reader, delim, opts, sink)?;
            sink.files_read += 1;
            Ok(Some(Reader::Csv(Box::new(r))))
        }
        InputFormat::Jsonl => {
            let r = JsonlDocs::start(source, opened.reader, opts, sink)?;
            sink.files_read += 1;
            Ok(Some(Reader::Jsonl(Box::new(r))))
        }
    }
}

/// What every reader knows about its input.
struct Source {
    name: SourceName,
    utf16_errors: Option<Arc<AtomicBool>>,
}

impl Source {
    fn display(&self) -> &str {
        &self.name.display
    }

    fn origin(&self, line: Option<u64>) -> Origin {
        Origin {
            path: Arc::clone(&self.name.display),
            line,
        }
    }

    fn row_id(&self, row: u64) -> String {
        format!("{}:{}", self.name.id_base, row)
    }

    /// Called once at the end of the input.
    fn finish(&self, sink: &mut Sink) {
        if let Some(flag) = &self.utf16_errors {
            if flag.load(Ordering::Relaxed) {
                sink.warn(
                    self.display(),
                    None,
                    WarningKind::InvalidUtf16,
                    "holds invalid UTF-16 (unpaired surrogates); replaced them with U+FFFD"
                        .to_owned(),
                );
            }
        }
    }

    fn read_error(&self, sink: &mut Sink, line: u64, e: &io::Error, docs: u64) {
        sink.warn(
            self.display(),
            Some(line),
            WarningKind::Unreadable,
            format!("read error ({e}); stopped reading the file here, kept the {docs} documents before it"),
        );
    }
}

/// A whole file is one document.
fn read_text(
    source: Source,
    mut reader: ByteReader,
    capacity: usize,
    opts: &IngestOptions,
    sink: &mut Sink,
) {
    let mut bytes = Vec::with_capacity(capacity);
    if let Err(e) = reader.read_to_end(&mut bytes) {
        // What was read before the error (a cut-off download, a damaged
        // gzip stream) is kept, as the table readers keep their rows.
        if bytes.is_empty() {
            sink.files_skipped += 1;
            sink.warn(
                source.display(),
                None,
                WarningKind::Unreadable,
                format!("read error ({e}); skipped"),
            );
            return;
        }
        sink.warn(
            source.display(),
            None,
            WarningKind::Unreadable,
            format!(
                "read error ({e}) after {}; kept the text read before it",
                plural(bytes.len(), "byte")
            ),
        );
    }
    let (text, bad) = decode_owned_1252(bytes);
    sink.files_read += 1;
    if bad > 0 {
        sink.decoded_with_fallback += 1;
        sink.warn(
            source.display(),
            None,
            WarningKind::EncodingFallback,
            format!(
                "not valid UTF-8; decoded {} as Windows-1252",
                plural(bad, "byte")
            ),
        );
    }
    source.finish(sink);
    sink.events.push_back(Event::Document(Document {
        id: source.name.id_base.clone(),
        text: clean(text, opts),
        meta: Meta::default(),
        origin: source.origin(None),
    }));
}

/// Finds a column by exact name, else by name ignoring case and surrounding spaces.
fn find_column<S: AsRef<str>>(names: &[S], wanted: &str) -> Option<usize> {
    names.iter().position(|n| n.as_ref() == wanted).or_else(|| {
        let w = wanted.trim().to_lowercase();
        names
            .iter()
            .position(|n| n.as_ref().trim().to_lowercase() == w)
    })
}

fn known_text_column<S: AsRef<str>>(names: &[S]) -> Option<usize> {
    names.iter().position(|n| {
        TEXT_NAMES
            .iter()
            .any(|t| n.as_ref().trim().eq_ignore_ascii_case(t))
    })
}

/// The column with the largest total length in `lengths` (first one on ties).
fn longest(lengths: &[usize]) -> usize {
    let mut best = 0;
    for (i, &len) in lengths.iter().enumerate() {
        if len > lengths[best] {
            best = i;
        }
    }
    best
}

fn guessed_message(column: &str, rows: usize, unit: &str) -> String {
    format!(
        "no column is named text, content, body or article; using \"{column}\", which has the longest values in the first {}",
        plural(rows, unit)
    )
}

/// `1 byte`, `3 bytes`.
fn plural(n: usize, unit: &str) -> String {
    if n == 1 {
        format!("1 {unit}")
    } else {
        format!("{n} {unit}s")
    }
}

// ---------------------------------------------------------------- CSV / TSV

/// Where the text, id and metadata are in every record of a CSV/TSV file.
struct Layout {
    fields: usize,
    text: usize,
    id: Option<(usize, String)>,
    meta: Vec<usize>,
    meta_columns: Arc<[Arc<str>]>,
}

/// A record fetched from the parser or the look-ahead queue.
enum Fetched {
    Record(RawRecord),
    End,
    Unterminated { line: u64, last_line: u64 },
    Error(io::Error, u64),
}

pub(crate) struct CsvDocs {
    source: Source,
    parser: CsvParser<ByteReader>,
    layout: Layout,
    lookahead: VecDeque<Fetched>,
    spare: RawRecord,
    row: u64,
    docs: u64,
    done: bool,
}

impl CsvDocs {
    fn start(
        source: Source,
        reader: ByteReader,
        delim: u8,
        opts: &IngestOptions,
        sink: &mut Sink,
    ) -> Result<CsvDocs, MissingColumn> {
        let mut parser = CsvParser::new(reader, delim);
        let mut header = RawRecord::default();
        let mut docs = CsvDocs {
            source,
            layout: Layout {
                fields: 0,
                text: 0,
                id: None,
                meta: Vec::new(),
                meta_columns: Arc::from(Vec::new()),
            },
            parser: CsvParser::new(Box::new(io::empty()), delim),
            lookahead: VecDeque::new(),
            spare: RawRecord::default(),
            row: 0,
            docs: 0,
            done: true,
        };
        match parser.read_record(&mut header) {
            Ok(CsvRead::Record) => {}
            Ok(CsvRead::End) => {
                // An empty file: no header, no documents, nothing wrong.
                docs.source.finish(sink);
                return Ok(docs);
            }
            Ok(CsvRead::Unterminated { last_line }) => {
                sink.warn(
                    docs.source.display(),
                    Some(header.line),
                    WarningKind::UnterminatedQuote,
                    format!("the header has a quoted field that is never closed (the file ends at line {last_line}); file skipped"),
                );
                // The whole input was read: report what decoding it found.
                docs.source.finish(sink);
                return Ok(docs);
            }
            Err(e) => {
                docs.source.read_error(sink, parser.line(), &e, 0);
                return Ok(docs);
            }
        }
        let names = header_names(&header, docs.source.display(), sink);
        docs.parser = parser;
        docs.done = false;

        let id = match &opts.id_col {
            Some(col) => Some(find_column(&names, col).ok_or_else(|| MissingColumn {
                option: "--id-col",
                column: col.clone(),
                available: names.clone(),
            })?),
            None => None,
        };
        let text = match &opts.text_col {
            Some(col) => find_column(&names, col).ok_or_else(|| MissingColumn {
                option: "--text-col",
                column: col.clone(),
                available: names.clone(),
            })?,
            None => match known_text_column(&names) {
                Some(i) => i,
                None => docs.guess_text_column(&names, id, sink),
            },
        };
        let meta: Vec<usize> = (0..names.len())
            .filter(|&i| i != text && Some(i) != id)
            .collect();
        let meta_columns: Arc<[Arc<str>]> =
            meta.iter().map(|&i| Arc::from(names[i].as_str())).collect();
        docs.layout = Layout {
            fields: names.len(),
            text,
            id: id.map(|i| (i, names[i].clone())),
            meta,
            meta_columns,
        };
        Ok(docs)
    }

    /// Reads up to [`GUESS_ROWS`] records ahead and picks the column with the
    /// longest values (not the id column).
    fn guess_text_column(&mut self, names: &[String], id: Option<usize>, sink: &mut Sink) -> usize {
        let candidates: Vec<usize> = (0..names.len()).filter(|&i| Some(i) != id).collect();
        if candidates.len() <= 1 {
            return candidates.first().copied().unwrap_or(0);
        }
        let mut lengths = vec![0usize; names.len()];
        let mut rows = 0;
        let mut buffered = 0;
        while self.lookahead.len() < GUESS_ROWS && buffered < GUESS_BYTES {
            let fetched = self.fetch_from_parser();
            let last = !matches!(fetched, Fetched::Record(_));
            if let Fetched::Record(rec) = &fetched {
                buffered += rec.buf.len();
                if rec.len() == names.len() {
                    rows += 1;
                    for &i in &candidates {
                        // characters, not bytes, so that scripts compare fairly
                        let f = rec.field(i);
                        lengths[i] += f.iter().filter(|&&b| (b & 0xC0) != 0x80).count();
                    }
                }
            }
            self.lookahead.push_back(fetched);
            if last {
                break;
            }
        }
        for (i, len) in lengths.iter_mut().enumerate() {
            if Some(i) == id {
                *len = 0;
            }
        }
        let best = match longest(&lengths) {
            b if Some(b) == id => candidates[0],
            b => b,
        };
        if rows > 0 {
            sink.warn(
                self.source.display(),
                None,
                WarningKind::TextColumnGuessed,
                guessed_message(&names[best], rows, "row"),
            );
        }
        best
    }

    fn fetch_from_parser(&mut self) -> Fetched {
        let mut rec = std::mem::take(&mut self.spare);
        match self.parser.read_record(&mut rec) {
            Ok(CsvRead::Record) => Fetched::Record(rec),
            Ok(CsvRead::End) => Fetched::End,
            Ok(CsvRead::Unterminated { last_line }) => Fetched::Unterminated {
                line: rec.line,
                last_line,
            },
            Err(e) => Fetched::Error(e, self.parser.line()),
        }
    }

    fn step(&mut self, sink: &mut Sink, opts: &IngestOptions) -> bool {
        if self.done {
            return false;
        }
        let fetched = match self.lookahead.pop_front() {
            Some(f) => f,
            None => self.fetch_from_parser(),
        };
        match fetched {
            Fetched::Record(rec) => {
                self.row += 1;
                if rec.len() == self.layout.fields {
                    let doc = self.document(&rec, sink, opts);
                    self.docs += 1;
                    sink.events.push_back(Event::Document(doc));
                } else {
                    sink.documents_skipped += 1;
                    sink.warn(
                        self.source.display(),
                        Some(rec.line),
                        WarningKind::FieldCount,
                        format!(
                            "row has {}, the header has {}; row skipped",
                            plural(rec.len(), "field"),
                            self.layout.fields
                        ),
                    );
                }
                self.spare = rec;
            }
            Fetched::End => {
                self.done = true;
                self.source.finish(sink);
            }
            Fetched::Unterminated { line, last_line } => {
                self.row += 1;
                self.done = true;
                sink.documents_skipped += 1;
                let lines = if last_line > line {
                    format!("lines {line}-{last_line} skipped")
                } else {
                    "record skipped".to_owned()
                };
                sink.warn(
                    self.source.display(),
                    Some(line),
                    WarningKind::UnterminatedQuote,
                    format!("a quoted field starting in this record is never closed (the file ends at line {last_line}); {lines}"),
                );
                self.source.finish(sink);
            }
            Fetched::Error(e, line) => {
                self.done = true;
                self.source.read_error(sink, line, &e, self.docs);
            }
        }
        true
    }

    fn document(&self, rec: &RawRecord, sink: &mut Sink, opts: &IngestOptions) -> Document {
        // Valid UTF-8 as a whole and split only between characters: borrow.
        let whole = std::str::from_utf8(&rec.buf)
            .ok()
            .filter(|s| rec.ends.iter().all(|&e| s.is_char_boundary(e)));
        if whole.is_none() {
            let bad: usize = (0..rec.len())
                .map(|i| decode_lossy_1252(rec.field(i)).1)
                .sum();
            sink.decoded_with_fallback += 1;
            sink.warn(
                self.source.display(),
                Some(rec.line),
                WarningKind::EncodingFallback,
                format!(
                    "row is not valid UTF-8; decoded {} as Windows-1252",
                    plural(bad, "byte")
                ),
            );
        }
        let field = |i: usize| -> Cow<'_, str> {
            match whole {
                Some(s) => {
                    let (a, b) = rec.bounds(i);
                    Cow::Borrowed(&s[a..b])
                }
                None => decode_lossy_1252(rec.field(i)).0,
            }
        };
        let layout = &self.layout;
        let id = match &layout.id {
            Some((i, name)) => {
                let v = field(*i);
                if v.trim().is_empty() {
                    let fallback = self.source.row_id(self.row);
                    sink.warn(
                        self.source.display(),
                        Some(rec.line),
                        WarningKind::MissingId,
                        format!("id column \"{name}\" is empty; used \"{fallback}\" as the id"),
                    );
                    fallback
                } else {
                    v.into_owned()
                }
            }
            None => self.source.row_id(self.row),
        };
        let meta_len: usize = layout
            .meta
            .iter()
            .map(|&i| rec.bounds(i).1 - rec.bounds(i).0)
            .sum();
        let mut meta = MetaBuilder::with_capacity(meta_len);
        for &i in &layout.meta {
            meta.push(&field(i));
        }
        Document {
            id,
            text: clean(field(layout.text).into_owned(), opts),
            meta: meta.finish(Arc::clone(&layout.meta_columns)),
            origin: self.source.origin(Some(rec.line)),
        }
    }
}

/// Decodes the header; names empty columns `column_N` and repeated ones
/// `name_2`, `name_3`... (a name not used elsewhere in the header). The first
/// renames get a warning each, the rest one warning in all.
fn header_names(header: &RawRecord, display: &str, sink: &mut Sink) -> Vec<String> {
    const SHOWN: usize = 10;
    let mut bad = 0;
    let mut names: Vec<String> = (0..header.len())
        .map(|i| {
            let (s, b) = decode_lossy_1252(header.field(i));
            bad += b;
            s.into_owned()
        })
        .collect();
    if bad > 0 {
        sink.warn(
            display,
            Some(header.line),
            WarningKind::EncodingFallback,
            format!(
                "header is not valid UTF-8; decoded {} as Windows-1252",
                plural(bad, "byte")
            ),
        );
    }
    let given: HashSet<String> = names.iter().cloned().collect();
    let mut used: HashSet<String> = HashSet::with_capacity(names.len());
    let mut next_suffix: HashMap<String, usize> = HashMap::new();
    let mut renamed = 0;
    for (i, name) in names.iter_mut().enumerate() {
        let message = if name.trim().is_empty() {
            let new = format!("column_{}", i + 1);
            let msg = format!("column {} has no name; called it \"{new}\"", i + 1);
            *name = new;
            Some(msg)
        } else if used.contains(name.as_str()) {
            let k = next_suffix.entry(name.clone()).or_insert(2);
            let new = loop {
                let candidate = format!("{name}_{k}");
                *k += 1;
                if !given.contains(&candidate) && !used.contains(&candidate) {
                    break candidate;
                }
            };
            let msg = format!(
                "the header repeats the column name \"{name}\"; called column {} \"{new}\"",
                i + 1
            );
            *name = new;
            Some(msg)
        } else {
            None
        };
        used.insert(name.clone());
        if let Some(msg) = message {
            renamed += 1;
            if renamed <= SHOWN {
                sink.warn(display, Some(header.line), WarningKind::ColumnRenamed, msg);
            }
        }
    }
    if renamed > SHOWN {
        sink.warn(
            display,
            Some(header.line),
            WarningKind::ColumnRenamed,
            format!(
                "and {} more empty or repeated column names; renamed the same way",
                renamed - SHOWN
            ),
        );
    }
    names
}

// ---------------------------------------------------------------- JSON Lines

/// A line fetched from the input or the look-ahead queue.
enum Line {
    Text(Vec<u8>, u64),
    End,
    Error(io::Error, u64),
}

pub(crate) struct JsonlDocs {
    source: Source,
    reader: ByteReader,
    line: u64,
    text_key: Option<String>,
    id_key: Option<String>,
    lookahead: VecDeque<Line>,
    spare: Vec<u8>,
    meta_columns: Arc<[Arc<str>]>,
    row: u64,
    docs: u64,
    done: bool,
}

impl JsonlDocs {
    fn start(
        source: Source,
        reader: ByteReader,
        opts: &IngestOptions,
        sink: &mut Sink,
    ) -> Result<JsonlDocs, MissingColumn> {
        let mut docs = JsonlDocs {
            source,
            reader,
            line: 0,
            text_key: opts.text_col.clone(),
            id_key: opts.id_col.clone(),
            lookahead: VecDeque::new(),
            spare: Vec::new(),
            meta_columns: Arc::from(Vec::new()),
            row: 0,
            docs: 0,
            done: false,
        };
        // Look at the first objects: check the named keys, or find the text key.
        let mut buffered = 0;
        let mut first_keys: Option<Vec<String>> = None;
        // total string length per key, keys in first-seen order
        let mut lengths: Vec<(String, usize)> = Vec::new();
        let mut slot: HashMap<String, usize> = HashMap::new();
        let mut rows = 0;
        while docs.lookahead.len() < GUESS_ROWS && buffered < GUESS_BYTES {
            let line = docs.fetch_from_reader();
            let last = !matches!(line, Line::Text(..));
            if let Line::Text(bytes, _) = &line {
                buffered += bytes.len();
                let (text, _) = decode_lossy_1252(bytes);
                if let Ok(obj) = parse_object(&text) {
                    rows += 1;
                    if first_keys.is_none() {
                        first_keys = Some(obj.members.iter().map(|(k, _)| k.to_string()).collect());
                    }
                    for (k, v) in &obj.members {
                        let len = if v.get().starts_with('"') {
                            value_text(v).chars().count()
                        } else {
                            0
                        };
                        match slot.get(&**k) {
                            Some(&i) => lengths[i].1 += len,
                            None => {
                                slot.insert(k.to_string(), lengths.len());
                                lengths.push((k.to_string(), len));
                            }
                        }
                    }
                }
            }
            docs.lookahead.push_back(line);
            // Stop once the first object settles the text key.
            let settled = first_keys
                .as_ref()
                .is_some_and(|k| docs.text_key.is_some() || known_text_column(k).is_some());
            if last || settled {
                break;
            }
        }
        let Some(keys) = first_keys else {
            // No object to judge by yet: use the names given, resolve later.
            return Ok(docs);
        };
        let resolve = |option: &'static str,
                       wanted: &Option<String>|
         -> Result<Option<String>, MissingColumn> {
            match wanted {
                None => Ok(None),
                Some(w) => match find_column(&keys, w) {
                    Some(i) => Ok(Some(keys[i].clone())),
                    None => Err(MissingColumn {
                        option,
                        column: w.clone(),
                        available: keys.clone(),
                    }),
                },
            }
        };
        docs.id_key = resolve("--id-col", &docs.id_key)?;
        docs.text_key = resolve("--text-col", &docs.text_key)?;
        if docs.text_key.is_none() {
            docs.text_key = match known_text_column(&keys) {
                Some(i) => Some(keys[i].clone()),
                None => {
                    lengths.retain(|(k, _)| Some(k) != docs.id_key.as_ref());
                    let totals: Vec<usize> = lengths.iter().map(|(_, l)| *l).collect();
                    if lengths.is_empty() {
                        None
                    } else {
                        let best = lengths[longest(&totals)].0.clone();
                        if lengths.len() > 1 {
                            sink.warn(
                                docs.source.display(),
                                None,
                                WarningKind::TextColumnGuessed,
                                guessed_message(&best, rows, "object"),
                            );
                        }
                        Some(best)
                    }
                }
            };
        }
        Ok(docs)
    }

    /// The next line that is not blank.
    fn fetch_from_reader(&mut self) -> Line {
        loop {
            let mut buf = std::mem::take(&mut self.spare);
            buf.clear();
            match self.reader.read_until(b'\n', &mut buf) {
                Ok(0) => return Line::End,
                Ok(_) => {
                    self.line += 1;
                    while buf.last().is_some_and(|&b| b == b'\n' || b == b'\r') {
                        buf.pop();
                    }
                    if buf.iter().all(|b| b.is_ascii_whitespace()) {
                        self.spare = buf;
                        continue;
                    }
                    return Line::Text(buf, self.line);
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Line::Error(e, self.line + 1),
            }
        }
    }

    fn step(&mut self, sink: &mut Sink, opts: &IngestOptions) -> bool {
        if self.done {
            return false;
        }
        let line = match self.lookahead.pop_front() {
            Some(l) => l,
            None => self.fetch_from_reader(),
        };
        match line {
            Line::Text(bytes, line) => {
                self.row += 1;
                self.object(&bytes, line, sink, opts);
                self.spare = bytes;
            }
            Line::End => {
                self.done = true;
                self.source.finish(sink);
            }
            Line::Error(e, line) => {
                self.done = true;
                self.source.read_error(sink, line, &e, self.docs);
            }
        }
        true
    }

    fn object(&mut self, bytes: &[u8], line: u64, sink: &mut Sink, opts: &IngestOptions) {
        let display = Arc::clone(&self.source.name.display);
        let (text, bad) = decode_lossy_1252(bytes);
        if bad > 0 {
            // Counted once the line is a document (a skipped line is not).
            sink.warn(
                &display,
                Some(line),
                WarningKind::EncodingFallback,
                format!(
                    "line is not valid UTF-8; decoded {} as Windows-1252",
                    plural(bad, "byte")
                ),
            );
        }
        let obj = match parse_object(&text) {
            Ok(o) => o,
            Err(err) => {
                sink.documents_skipped += 1;
                let what = match err {
                    ObjectError::Syntax(m) => format!("not valid JSON ({m}); line skipped"),
                    ObjectError::NotAnObject(what) => {
                        format!("holds {what}, not a JSON object; line skipped")
                    }
                };
                sink.warn(&display, Some(line), WarningKind::InvalidJson, what);
                return;
            }
        };
        if self.text_key.is_none() {
            // Nothing was known when the file started (no valid object in the look-ahead).
            let keys: Vec<&str> = obj.members.iter().map(|(k, _)| &**k).collect();
            self.text_key = known_text_column(&keys)
                .or_else(|| {
                    let lens: Vec<usize> = obj
                        .members
                        .iter()
                        .map(|(k, v)| {
                            if Some(&**k) == self.id_key.as_deref() {
                                0
                            } else {
                                v.get().len()
                            }
                        })
                        .collect();
                    (!lens.is_empty()).then(|| longest(&lens))
                })
                .map(|i| keys[i].to_owned());
        }
        let text_at = self
            .text_key
            .as_deref()
            .and_then(|key| obj.members.iter().position(|(k, _)| k == key));
        let Some(text_at) = text_at else {
            sink.documents_skipped += 1;
            let msg = match &self.text_key {
                Some(key) => format!("object has no \"{key}\" member; skipped"),
                None => "object is empty; skipped".to_owned(),
            };
            sink.warn(&display, Some(line), WarningKind::MissingText, msg);
            return;
        };
        let id_at = self
            .id_key
            .as_deref()
            .and_then(|key| obj.members.iter().position(|(k, _)| k == key));
        let id = match (&self.id_key, id_at.map(|i| value_text(obj.members[i].1))) {
            (None, _) => self.source.row_id(self.row),
            (Some(_), Some(v)) if !v.trim().is_empty() => v.into_owned(),
            (Some(key), _) => {
                let fallback = self.source.row_id(self.row);
                sink.warn(
                    &display,
                    Some(line),
                    WarningKind::MissingId,
                    format!(
                        "id member \"{key}\" is missing or empty; used \"{fallback}\" as the id"
                    ),
                );
                fallback
            }
        };
        let keep = |i: usize| i != text_at && Some(i) != id_at;
        let same_columns = {
            let mut cached = self.meta_columns.iter();
            obj.members
                .iter()
                .enumerate()
                .filter(|(i, _)| keep(*i))
                .all(|(_, (k, _))| cached.next().is_some_and(|c| **c == **k))
                && cached.next().is_none()
        };
        if !same_columns {
            self.meta_columns = obj
                .members
                .iter()
                .enumerate()
                .filter(|(i, _)| keep(*i))
                .map(|(_, (k, _))| Arc::from(&**k))
                .collect();
        }
        let mut meta = MetaBuilder::with_capacity(0);
        for (_, (_, v)) in obj.members.iter().enumerate().filter(|(i, _)| keep(*i)) {
            meta.push(&value_text(v));
        }
        let text = value_text(obj.members[text_at].1).into_owned();
        self.docs += 1;
        if bad > 0 {
            sink.decoded_with_fallback += 1;
        }
        sink.events.push_back(Event::Document(Document {
            id,
            text: clean(text, opts),
            meta: meta.finish(Arc::clone(&self.meta_columns)),
            origin: self.source.origin(Some(line)),
        }));
    }
}
