//! Streaming, atomic, spreadsheet-safe CSV writing.

use std::path::{Path, PathBuf};

use tempfile::NamedTempFile;

use crate::atomic::{commit, temp_beside};
use crate::error::ReportError;
use crate::format::{float_text, write_float};
use crate::workbook::SheetWriter;

/// One cell of a CSV row.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Cell<'a> {
    /// Text, written as is (quoted when needed, neutralised when it looks like a formula).
    Str(&'a str),
    /// A signed integer.
    Int(i64),
    /// An unsigned integer.
    UInt(u64),
    /// A float in its shortest round-trip form: plain decimals (`0.1`,
    /// `0.00002`) from 1e-5 to 1e16, scientific notation (`1e-7`, `2.5e20`) beyond;
    /// NaN and infinities are written as an empty cell, `-0` as `0`.
    Float(f64),
    /// A float with its text already made by [`float_text`] (which the
    /// text must be): written as that text, so a value that fills many
    /// cells is formatted once; a workbook sheet gets the number.
    Number(f64, &'a str),
    /// An empty cell (a missing value).
    Empty,
}

/// How a [`TableWriter`] writes cells.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CsvOptions {
    /// Spreadsheet safety, on by default. A text cell whose first character
    /// is `=`, `+`, `-`, `@`, a tab or a carriage return gets a leading
    /// apostrophe (`'=SUM(A1)`) so Excel, LibreOffice or Google Sheets show it
    /// as text instead of running it as a formula. Text that is a plain
    /// number (`-3.5`, `+12`, `-1e-3`) is left alone, and numeric cells are
    /// never touched. Turn it off for numeric pipelines that must see the
    /// exact text.
    pub neutralize_formulas: bool,
    /// Start the output with a UTF-8 byte-order mark (the bytes `EF BB BF`),
    /// off by default. Excel reads a CSV file without one in the computer's
    /// legacy code page (Windows-1252 and the like), which garbles accented
    /// letters and curly quotes; with the mark it reads UTF-8. Every CSV
    /// reader of note (the csv crate, pandas, R, LibreOffice) drops it.
    pub bom: bool,
}

/// The UTF-8 byte-order mark that [`CsvOptions::bom`] writes.
const BOM: &[u8] = b"\xEF\xBB\xBF";

impl Default for CsvOptions {
    fn default() -> Self {
        CsvOptions {
            neutralize_formulas: true,
            bom: false,
        }
    }
}

/// Writes CSV rows to any writer (standard output, a file, a buffer) with
/// the same rules as [`TableWriter`]: UTF-8, comma separated, RFC 4180
/// quoting, `\n` line ends, a header row first, spreadsheet-safe text cells.
/// `label` names the destination in error messages. Rows are buffered:
/// [`CsvWriter::flush`] or [`CsvWriter::into_inner`] hands them over and
/// reports errors; dropping the writer hands them over too, ignoring them
/// (as the csv crate's writer does).
pub struct CsvWriter<W: std::io::Write> {
    label: PathBuf,
    /// The destination; taken by [`CsvWriter::into_inner`].
    writer: Option<W>,
    /// Rows not yet handed to `writer`; flushed at a row's end once past
    /// `flush_at`.
    buf: Vec<u8>,
    /// [`FLUSH_AT`], or `usize::MAX` for a [`BlockWriter`], whose rows stay
    /// in `buf` until they are taken whole.
    flush_at: usize,
    /// Fields written in the current row.
    fields: usize,
    /// Where the current row starts in `buf` (rows are handed over whole,
    /// so a row never starts before `buf` does).
    row_start: usize,
    columns: usize,
    rows: u64,
    neutralize: bool,
    scratch: String,
}

/// Size at which [`CsvWriter`] hands its buffered rows to the writer.
const FLUSH_AT: usize = 64 * 1024;

/// The room a [`BlockWriter`] starts with: a block of tf-idf rows (64
/// documents) is about 100 KB.
const BLOCK_BYTES: usize = 128 * 1024;

impl<W: std::io::Write> std::fmt::Debug for CsvWriter<W> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CsvWriter")
            .field("label", &self.label)
            .field("columns", &self.columns)
            .field("rows", &self.rows)
            .field("neutralize", &self.neutralize)
            .finish()
    }
}

impl<W: std::io::Write> Drop for CsvWriter<W> {
    fn drop(&mut self) {
        // Errors go unreported here: `flush` and `into_inner` report them.
        let _ = self.flush();
    }
}

impl<W: std::io::Write> CsvWriter<W> {
    /// Starts a table on `writer` and writes the header row (header names get
    /// the same formula neutralisation as text cells), after a byte-order
    /// mark when [`CsvOptions::bom`] asks for one.
    pub fn new(
        mut writer: W,
        label: impl Into<PathBuf>,
        header: &[&str],
        opts: &CsvOptions,
    ) -> Result<CsvWriter<W>, ReportError> {
        let label = label.into();
        if header.is_empty() {
            return Err(ReportError::NoColumns { path: label });
        }
        if opts.bom {
            writer
                .write_all(BOM)
                .map_err(|source| ReportError::io(&label, source))?;
        }
        let mut table = CsvWriter {
            label,
            writer: Some(writer),
            buf: Vec::with_capacity(FLUSH_AT + 4096),
            flush_at: FLUSH_AT,
            fields: 0,
            row_start: 0,
            columns: header.len(),
            rows: 0,
            neutralize: opts.neutralize_formulas,
            scratch: String::new(),
        };
        for name in header {
            table.write_text(name);
        }
        table.end_record()?;
        Ok(table)
    }

    /// Appends one data row; it must have exactly one cell per header column.
    pub fn write_row(&mut self, cells: &[Cell<'_>]) -> Result<(), ReportError> {
        let row = self.rows + 1;
        if cells.len() != self.columns {
            return Err(ReportError::RowLength {
                path: self.label.clone(),
                row,
                expected: self.columns,
                found: cells.len(),
            });
        }
        for cell in cells {
            match *cell {
                Cell::Str(s) => self.write_text(s),
                Cell::Int(v) => self.write_plain(itoa::Buffer::new().format(v).as_bytes()),
                Cell::UInt(v) => self.write_plain(itoa::Buffer::new().format(v).as_bytes()),
                Cell::Float(v) => {
                    let mut f = std::mem::take(&mut self.scratch);
                    f.clear();
                    write_float(v, &mut f);
                    self.write_plain(f.as_bytes());
                    self.scratch = f;
                }
                Cell::Number(v, text) => {
                    debug_assert_eq!(text, float_text(v), "Cell::Number's text");
                    self.write_plain(text.as_bytes());
                }
                Cell::Empty => self.write_plain(b""),
            }
        }
        self.end_record()?;
        self.rows = row;
        Ok(())
    }

    /// Number of data rows written so far.
    pub fn rows(&self) -> u64 {
        self.rows
    }

    /// Pushes buffered rows to the writer and flushes it.
    pub fn flush(&mut self) -> Result<(), ReportError> {
        self.write_out()?;
        match self.writer.as_mut().map(std::io::Write::flush) {
            Some(Err(source)) => Err(self.io_error(source)),
            _ => Ok(()),
        }
    }

    /// Flushes and returns the writer.
    pub fn into_inner(mut self) -> Result<W, ReportError> {
        self.flush()?;
        self.writer
            .take()
            .ok_or_else(|| self.io_error(std::io::Error::other("the writer was taken already")))
    }

    /// This table's way of writing rows, for formatting blocks of rows on
    /// other threads (see [`RowFormat`]).
    pub fn row_format(&self) -> RowFormat {
        RowFormat {
            label: self.label.clone(),
            columns: self.columns,
            neutralize: self.neutralize,
        }
    }

    /// Appends a block of rows made by this table's [`RowFormat`]: the
    /// destination gets the same bytes as from writing the rows one by one.
    pub fn append(&mut self, block: RowBlock) -> Result<(), ReportError> {
        // After the rows buffered so far, straight to the writer.
        self.write_out()?;
        if let Some(w) = self.writer.as_mut() {
            if let Err(source) = w.write_all(&block.bytes) {
                return Err(self.io_error(source));
            }
        }
        self.rows += block.rows;
        Ok(())
    }

    /// Hands the buffered rows to the writer.
    fn write_out(&mut self) -> Result<(), ReportError> {
        if !self.buf.is_empty() {
            let result = match self.writer.as_mut() {
                Some(w) => w.write_all(&self.buf),
                None => Ok(()),
            };
            self.buf.clear();
            self.row_start = 0;
            result.map_err(|source| self.io_error(source))?;
        }
        Ok(())
    }

    fn io_error(&self, source: std::io::Error) -> ReportError {
        ReportError::Io {
            path: self.label.clone(),
            source,
        }
    }

    /// A text field, after an apostrophe when it could be read as a
    /// formula (see [`CsvOptions::neutralize_formulas`]).
    /// A text field, after an apostrophe when it could be read as a
    /// formula (see [`CsvOptions::neutralize_formulas`]), in quotes (its own
    /// quotes doubled) when it holds a comma, a quote or a line break:
    /// RFC 4180, as the csv crate's `QuoteStyle::Necessary` writes it.
    fn write_text(&mut self, text: &str) {
        self.start_field();
        // The apostrophe needs no quotes: the text decides.
        let quoted = needs_quotes(text.as_bytes());
        if quoted {
            self.buf.push(b'"');
        }
        if self.neutralize && needs_neutralizing(text) {
            self.buf.push(b'\'');
        }
        if quoted {
            for part in text.as_bytes().split_inclusive(|&b| b == b'"') {
                self.buf.extend_from_slice(part);
                if part.last() == Some(&b'"') {
                    self.buf.push(b'"');
                }
            }
            self.buf.push(b'"');
        } else {
            self.buf.extend_from_slice(text.as_bytes());
        }
    }

    /// Writes a field known to need no quotes (numbers).
    fn write_plain(&mut self, field: &[u8]) {
        debug_assert!(!needs_quotes(field));
        self.start_field();
        self.buf.extend_from_slice(field);
    }

    /// The delimiter before every field but a row's first.
    fn start_field(&mut self) {
        if self.fields > 0 {
            self.buf.push(b',');
        }
        self.fields += 1;
    }

    /// Ends the row. A row that wrote no byte at all (one empty field) is
    /// written as `""`, so that it is not read as a blank line.
    fn end_record(&mut self) -> Result<(), ReportError> {
        if self.buf.len() == self.row_start {
            self.buf.extend_from_slice(b"\"\"");
        }
        self.buf.push(b'\n');
        self.fields = 0;
        self.row_start = self.buf.len();
        if self.buf.len() >= self.flush_at {
            self.write_out()?;
        }
        Ok(())
    }
}

/// True when a CSV field must be quoted: it holds a comma, a double quote,
/// a carriage return or a line feed.
///
/// Eight bytes at a time (the text crate's test for equal bytes): most
/// fields are words and numbers, checked in a few steps where a
/// byte-by-byte loop took one per byte.
#[inline]
fn needs_quotes(field: &[u8]) -> bool {
    use lexiscope_text::words::bytes_equal;
    let mut words = field.chunks_exact(8);
    for w in &mut words {
        let x = u64::from_le_bytes([w[0], w[1], w[2], w[3], w[4], w[5], w[6], w[7]]);
        let special = bytes_equal(x, b',')
            | bytes_equal(x, b'"')
            | bytes_equal(x, b'\r')
            | bytes_equal(x, b'\n');
        if special != 0 {
            return true;
        }
    }
    words
        .remainder()
        .iter()
        .any(|&b| matches!(b, b',' | b'"' | b'\r' | b'\n'))
}

/// Rows of a table formatted in memory by a [`RowFormat`], to be appended
/// in order with [`TableWriter::append`].
#[derive(Debug, Default)]
pub struct RowBlock {
    bytes: Vec<u8>,
    rows: u64,
}

impl RowBlock {
    /// Number of rows in the block.
    pub fn rows(&self) -> u64 {
        self.rows
    }
}

/// How a table's rows are written (its columns and options), for
/// formatting blocks of them on other threads: see
/// [`TableWriter::row_format`].
#[derive(Debug, Clone)]
pub struct RowFormat {
    label: PathBuf,
    columns: usize,
    neutralize: bool,
}

impl RowFormat {
    /// A writer of rows into memory (no header, no byte-order mark).
    pub fn writer(&self) -> BlockWriter {
        BlockWriter {
            inner: CsvWriter {
                label: self.label.clone(),
                writer: None,
                // The rows are formatted straight into the block's bytes.
                buf: Vec::with_capacity(BLOCK_BYTES),
                flush_at: usize::MAX,
                fields: 0,
                row_start: 0,
                columns: self.columns,
                rows: 0,
                neutralize: self.neutralize,
                scratch: String::new(),
            },
        }
    }
}

/// Writes rows into memory by the rules of a [`TableWriter`].
#[derive(Debug)]
pub struct BlockWriter {
    inner: CsvWriter<Vec<u8>>,
}

impl BlockWriter {
    /// As [`TableWriter::write_row`].
    pub fn write_row(&mut self, cells: &[Cell<'_>]) -> Result<(), ReportError> {
        self.inner.write_row(cells)
    }

    /// The rows written, ready for [`TableWriter::append`].
    pub fn finish(mut self) -> Result<RowBlock, ReportError> {
        let rows = self.inner.rows();
        let bytes = std::mem::take(&mut self.inner.buf);
        Ok(RowBlock { bytes, rows })
    }
}

/// Writes one CSV table file: the rules of [`CsvWriter`], written atomically.
///
/// Rows go to a hidden temporary file beside the target; [`TableWriter::finish`]
/// renames it onto the target. Dropping the writer without calling `finish`
/// (an error, a panic, an interrupted run) deletes the temporary file and leaves
/// any previous version of the target untouched, so a truncated table never
/// sits under the real name.
pub struct TableWriter {
    path: PathBuf,
    inner: CsvWriter<NamedTempFile>,
    sheet: Option<SheetWriter>,
}

impl std::fmt::Debug for TableWriter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TableWriter")
            .field("path", &self.path)
            .field("inner", &self.inner)
            .field("sheet", &self.sheet)
            .finish()
    }
}

impl TableWriter {
    /// Starts the table at `path` (its folder must exist) and writes the header row.
    /// Header names get the same formula neutralisation as text cells.
    pub fn create(
        path: impl AsRef<Path>,
        header: &[&str],
        opts: &CsvOptions,
    ) -> Result<TableWriter, ReportError> {
        let path = path.as_ref().to_path_buf();
        if header.is_empty() {
            return Err(ReportError::NoColumns { path });
        }
        let tmp = temp_beside(&path)?;
        let inner = CsvWriter::new(tmp, path.clone(), header, opts)?;
        Ok(TableWriter {
            path,
            inner,
            sheet: None,
        })
    }

    /// Also writes every row to `sheet` (a sheet of a
    /// [`Workbook`](crate::Workbook) with the same header), which
    /// [`TableWriter::finish`] finishes with the table.
    pub fn with_sheet(mut self, sheet: SheetWriter) -> TableWriter {
        self.sheet = Some(sheet);
        self
    }

    /// Appends one data row; it must have exactly one cell per header column.
    pub fn write_row(&mut self, cells: &[Cell<'_>]) -> Result<(), ReportError> {
        self.inner.write_row(cells)?;
        if let Some(sheet) = &mut self.sheet {
            sheet.write_row(cells)?;
        }
        Ok(())
    }

    /// Number of data rows written so far.
    pub fn rows(&self) -> u64 {
        self.inner.rows()
    }

    /// This table's way of writing rows, for formatting blocks of rows on
    /// other threads; `None` when rows also go to a workbook sheet (which
    /// needs the cells, not their text).
    pub fn row_format(&self) -> Option<RowFormat> {
        self.sheet.is_none().then(|| self.inner.row_format())
    }

    /// Appends a block of rows made by a [`RowFormat`] of this table: the
    /// file gets the same bytes as from writing the rows one by one.
    pub fn append(&mut self, block: RowBlock) -> Result<(), ReportError> {
        if self.sheet.is_some() {
            return Err(ReportError::io(
                &self.path,
                std::io::Error::other("a block of rows cannot go to a workbook sheet"),
            ));
        }
        self.inner.append(block)
    }

    /// The file this table will be renamed to by [`TableWriter::finish`].
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Flushes, syncs and renames the table onto its path; returns the number
    /// of data rows (the header not counted). A sheet given to
    /// [`TableWriter::with_sheet`] is finished too.
    pub fn finish(self) -> Result<u64, ReportError> {
        let TableWriter { path, inner, sheet } = self;
        let rows = inner.rows();
        let tmp = inner.into_inner()?;
        commit(tmp, &path)?;
        if let Some(sheet) = sheet {
            sheet.finish()?;
        }
        Ok(rows)
    }
}

/// True when a spreadsheet could read `text` as a formula: it starts with
/// `=`, `+`, `-`, `@`, tab or carriage return and is not simply a number.
pub(crate) fn needs_neutralizing(text: &str) -> bool {
    match text.as_bytes().first() {
        Some(b'=' | b'@' | b'\t' | b'\r') => true,
        Some(b'+' | b'-') => !is_plain_number(text),
        _ => false,
    }
}

/// `[+-]?(digits[.digits]|.digits)([eE][+-]?digits)?`, nothing else.
pub(crate) fn is_plain_number(text: &str) -> bool {
    let b = text.as_bytes();
    let mut i = 0;
    if matches!(b.first(), Some(b'+' | b'-')) {
        i += 1;
    }
    let int_start = i;
    while i < b.len() && b[i].is_ascii_digit() {
        i += 1;
    }
    let mut digits = i - int_start;
    if i < b.len() && b[i] == b'.' {
        i += 1;
        let frac_start = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        digits += i - frac_start;
    }
    if digits == 0 {
        return false;
    }
    if i < b.len() && (b[i] == b'e' || b[i] == b'E') {
        i += 1;
        if i < b.len() && (b[i] == b'+' || b[i] == b'-') {
            i += 1;
        }
        let exp_start = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        if i == exp_start {
            return false;
        }
    }
    i == b.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What the csv crate writes for `rows` with the tables' settings
    /// (RFC 4180 quoting where needed, `\n`), text cells neutralised by
    /// the same rule: the reference for [`CsvWriter`]'s own quoting.
    fn csv_crate_bytes(header: &[&str], rows: &[Vec<Cell<'_>>], neutralize: bool) -> Vec<u8> {
        let mut w = csv::WriterBuilder::new()
            .terminator(csv::Terminator::Any(b'\n'))
            .quote_style(csv::QuoteStyle::Necessary)
            .from_writer(Vec::new());
        let text = |t: &str| {
            if neutralize && needs_neutralizing(t) {
                format!("'{t}")
            } else {
                t.to_string()
            }
        };
        w.write_record(header.iter().map(|h| text(h))).unwrap();
        for row in rows {
            let fields: Vec<String> = row
                .iter()
                .map(|c| match *c {
                    Cell::Str(t) => text(t),
                    Cell::Int(v) => v.to_string(),
                    Cell::UInt(v) => v.to_string(),
                    Cell::Float(v) => crate::format::float_cell(v).unwrap_or_default(),
                    Cell::Number(_, text) => text.to_string(),
                    Cell::Empty => String::new(),
                })
                .collect();
            w.write_record(&fields).unwrap();
        }
        w.into_inner().unwrap()
    }

    #[test]
    fn rows_reach_the_writer_when_it_is_dropped() {
        let mut out = Vec::new();
        {
            let mut w =
                CsvWriter::new(&mut out, "t.csv", &["a", "b"], &CsvOptions::default()).unwrap();
            w.write_row(&[Cell::Str("x,y"), Cell::UInt(2)]).unwrap();
        }
        assert_eq!(String::from_utf8(out).unwrap(), "a,b\n\"x,y\",2\n");
    }

    proptest::proptest! {
        #[test]
        fn rows_are_quoted_as_the_csv_crate_quotes_them(
            texts in proptest::collection::vec("[a,\"\r\n' =+@-]{0,6}|[ab\u{e9},\"\r\n]{7,20}", 1..40),
            width in 1usize..4,
            neutralize in proptest::prelude::any::<bool>(),
        ) {
            let header: Vec<&str> = ["a", "b,c", "=d"][..width].to_vec();
            // Text, numbers, missing values and empty text in every column,
            // one-column rows with a lone empty field among them.
            let rows: Vec<Vec<Cell<'_>>> = texts
                .chunks(width)
                .filter(|c| c.len() == width)
                .enumerate()
                .map(|(i, chunk)| {
                    chunk
                        .iter()
                        .enumerate()
                        .map(|(j, t)| match (i + j) % 5 {
                            0 | 1 => Cell::Str(t),
                            2 => Cell::Float(t.len() as f64 / 3.0 - 1.0),
                            3 => Cell::Int(t.len() as i64 - 2),
                            _ if t.is_empty() => Cell::Empty,
                            _ => Cell::UInt(t.len() as u64),
                        })
                        .collect()
                })
                .collect();
            let opts = CsvOptions { neutralize_formulas: neutralize, bom: false };
            let mut w = CsvWriter::new(Vec::new(), "t.csv", &header, &opts).unwrap();
            for row in &rows {
                w.write_row(row).unwrap();
            }
            let ours = String::from_utf8(w.into_inner().unwrap()).unwrap();
            let theirs = String::from_utf8(csv_crate_bytes(&header, &rows, neutralize)).unwrap();
            proptest::prop_assert_eq!(ours, theirs);
        }
    }

    proptest::proptest! {
        #[test]
        fn quotes_are_found_eight_bytes_at_a_time_as_one_by_one(
            bytes in proptest::collection::vec(
                proptest::prop_oneof![
                    8 => proptest::prelude::any::<u8>(),
                    1 => proptest::sample::select(vec![b',', b'"', b'\r', b'\n', 0, 0x80, 0xFF]),
                ],
                0..40,
            ),
        ) {
            let one_by_one = bytes.iter().any(|&b| matches!(b, b',' | b'"' | b'\r' | b'\n'));
            proptest::prop_assert_eq!(needs_quotes(&bytes), one_by_one);
        }
    }

    fn read(path: &Path) -> String {
        std::fs::read_to_string(path).unwrap()
    }

    #[test]
    fn blocks_of_rows_give_the_same_file_as_rows_one_by_one() {
        let dir = tempfile::tempdir().unwrap();
        let texts = [
            "plain",
            "=SUM(A1)",
            "-3.5",
            "@user",
            "a,b",
            "say \"hi\"",
            "two\nlines",
            "",
            "café",
            "+cmd",
        ];
        let row = |i: usize| -> Vec<Cell<'static>> {
            vec![
                Cell::Str(texts[i % texts.len()]),
                Cell::UInt(i as u64),
                Cell::Float(i as f64 / 7.0),
                if i.is_multiple_of(3) {
                    Cell::Empty
                } else {
                    Cell::Int(-(i as i64))
                },
            ]
        };
        let header = ["text", "n", "x", "m"];
        for opts in [
            CsvOptions::default(),
            CsvOptions {
                neutralize_formulas: false,
                bom: true,
            },
        ] {
            let one = dir.path().join("one.csv");
            let mut t = TableWriter::create(&one, &header, &opts).unwrap();
            for i in 0..100 {
                t.write_row(&row(i)).unwrap();
            }
            assert_eq!(t.finish().unwrap(), 100);
            let blocks = dir.path().join("blocks.csv");
            let mut t = TableWriter::create(&blocks, &header, &opts).unwrap();
            // A row written directly, then blocks of several sizes.
            t.write_row(&row(0)).unwrap();
            let format = t.row_format().unwrap();
            for range in [1..2, 2..40, 40..40, 40..100] {
                let mut b = format.writer();
                for i in range {
                    b.write_row(&row(i)).unwrap();
                }
                t.append(b.finish().unwrap()).unwrap();
            }
            assert_eq!(t.rows(), 100);
            assert_eq!(t.finish().unwrap(), 100);
            assert_eq!(
                std::fs::read(&blocks).unwrap(),
                std::fs::read(&one).unwrap()
            );
        }
    }

    #[test]
    fn blocks_appended_to_a_csv_writer_give_the_rows_bytes() {
        let header = ["text", "n"];
        let texts = ["a,b", "=1+1", "plain", "two\nlines", ""];
        let row = |i: usize| [Cell::Str(texts[i % texts.len()]), Cell::UInt(i as u64)];
        let opts = CsvOptions {
            bom: true,
            ..CsvOptions::default()
        };
        let mut one = CsvWriter::new(Vec::new(), "one", &header, &opts).unwrap();
        for i in 0..50 {
            one.write_row(&row(i)).unwrap();
        }
        let mut blocks = CsvWriter::new(Vec::new(), "blocks", &header, &opts).unwrap();
        // Rows buffered in the writer go out before the block that follows.
        blocks.write_row(&row(0)).unwrap();
        let format = blocks.row_format();
        for range in [1..10, 10..10, 10..50] {
            let mut b = format.writer();
            for i in range {
                b.write_row(&row(i)).unwrap();
            }
            blocks.append(b.finish().unwrap()).unwrap();
        }
        assert_eq!(blocks.rows(), 50);
        let (a, b) = (one.into_inner().unwrap(), blocks.into_inner().unwrap());
        assert!(a.starts_with(BOM) && a.ends_with(b"49\n"));
        assert_eq!(String::from_utf8(b).unwrap(), String::from_utf8(a).unwrap());
    }

    #[test]
    fn header_rows_quoting_and_line_ends() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("terms.csv");
        let mut t = TableWriter::create(
            &path,
            &["term", "count", "score", "note"],
            &CsvOptions::default(),
        )
        .unwrap();
        t.write_row(&[
            Cell::Str("plain"),
            Cell::UInt(12),
            Cell::Float(0.1),
            Cell::Empty,
        ])
        .unwrap();
        t.write_row(&[
            Cell::Str("with, comma"),
            Cell::Int(-3),
            Cell::Float(-2.5e-7),
            Cell::Str("say \"hi\"\nnext line"),
        ])
        .unwrap();
        t.write_row(&[
            Cell::Str("ünïcödé ✓"),
            Cell::UInt(1_000_000),
            Cell::Float(f64::NAN),
            Cell::Str(""),
        ])
        .unwrap();
        t.write_row(&[
            Cell::Str("inf"),
            Cell::Int(0),
            Cell::Float(f64::INFINITY),
            Cell::Float(-0.0),
        ])
        .unwrap();
        assert_eq!(t.rows(), 4);
        assert_eq!(t.finish().unwrap(), 4);
        assert_eq!(
            read(&path),
            "term,count,score,note\n\
             plain,12,0.1,\n\
             \"with, comma\",-3,-2.5e-7,\"say \"\"hi\"\"\nnext line\"\n\
             ünïcödé ✓,1000000,,\n\
             inf,0,,0\n"
        );
        // And a CSV reader gets the original values back.
        let mut rdr = csv::Reader::from_path(&path).unwrap();
        let rows: Vec<csv::StringRecord> = rdr.records().map(|r| r.unwrap()).collect();
        assert_eq!(&rows[1][0], "with, comma");
        assert_eq!(&rows[1][3], "say \"hi\"\nnext line");
        assert_eq!(rows[1][2].parse::<f64>().unwrap(), -2.5e-7);
    }

    #[test]
    fn floats_are_shortest_round_trip() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f.csv");
        let values = [0.1 + 0.2, 1.0 / 3.0, 6.02214076e23, 5e-324, -1234.5, 100.0];
        let mut t = TableWriter::create(&path, &["v"], &CsvOptions::default()).unwrap();
        for v in values {
            t.write_row(&[Cell::Float(v)]).unwrap();
        }
        t.finish().unwrap();
        let text = read(&path);
        let lines: Vec<&str> = text.lines().skip(1).collect();
        assert_eq!(lines[0], "0.30000000000000004");
        assert_eq!(lines[5], "100");
        for (line, v) in lines.iter().zip(values) {
            assert_eq!(line.parse::<f64>().unwrap(), v);
        }
    }

    #[test]
    fn formula_like_text_is_neutralized_but_numbers_are_not() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.csv");
        let mut t = TableWriter::create(&path, &["text", "n"], &CsvOptions::default()).unwrap();
        let cases = [
            ("=SUM(A1:A9)", "'=SUM(A1:A9)"),
            ("+1+cmd|' /C calc'!A0", "'+1+cmd|' /C calc'!A0"),
            ("-2+3", "'-2+3"),
            ("@SUM(1)", "'@SUM(1)"),
            ("\tindented", "'\tindented"),
            ("\rcr", "\"'\rcr\""),
            ("-3.5", "-3.5"),
            ("+12", "+12"),
            ("-1e-3", "-1e-3"),
            ("-", "'-"),
            ("-.5", "-.5"),
            ("- bullet", "'- bullet"),
            ("a=b", "a=b"),
            ("'quoted", "'quoted"),
        ];
        for (text, _) in cases {
            t.write_row(&[Cell::Str(text), Cell::Int(-5)]).unwrap();
        }
        t.finish().unwrap();
        let text = read(&path);
        let expected: String = std::iter::once("text,n\n".to_string())
            .chain(cases.iter().map(|(_, out)| format!("{out},-5\n")))
            .collect();
        assert_eq!(text, expected);
    }

    #[test]
    fn neutralizing_can_be_turned_off_and_applies_to_the_header() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("raw.csv");
        let opts = CsvOptions {
            neutralize_formulas: false,
            ..CsvOptions::default()
        };
        let mut t = TableWriter::create(&path, &["=h"], &opts).unwrap();
        t.write_row(&[Cell::Str("=1+1")]).unwrap();
        t.finish().unwrap();
        assert_eq!(read(&path), "=h\n=1+1\n");

        let path = dir.path().join("safe.csv");
        let t = TableWriter::create(&path, &["=h", "ok"], &CsvOptions::default()).unwrap();
        t.finish().unwrap();
        assert_eq!(read(&path), "'=h,ok\n");
    }

    #[test]
    fn dropping_without_finish_leaves_nothing_behind() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("documents.csv");
        {
            let mut t =
                TableWriter::create(&path, &["doc_id", "tokens"], &CsvOptions::default()).unwrap();
            for i in 0..10_000u64 {
                t.write_row(&[Cell::UInt(i), Cell::UInt(i * 7)]).unwrap();
            }
            // Interrupted: the writer is dropped here without finish().
        }
        assert!(!path.exists());
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }

    #[test]
    fn an_interrupted_rewrite_keeps_the_previous_complete_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("terms.csv");
        let mut t = TableWriter::create(&path, &["term"], &CsvOptions::default()).unwrap();
        t.write_row(&[Cell::Str("old")]).unwrap();
        t.finish().unwrap();

        let mut t = TableWriter::create(&path, &["term"], &CsvOptions::default()).unwrap();
        t.write_row(&[Cell::Str("new")]).unwrap();
        // While the new table is being written, the old one is still complete.
        assert_eq!(read(&path), "term\nold\n");
        drop(t);
        assert_eq!(read(&path), "term\nold\n");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn wrong_row_length_and_empty_header_are_errors() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.csv");
        let mut t = TableWriter::create(&path, &["a", "b"], &CsvOptions::default()).unwrap();
        t.write_row(&[Cell::Int(1), Cell::Int(2)]).unwrap();
        let err = t.write_row(&[Cell::Int(1)]).unwrap_err();
        assert!(
            matches!(
                err,
                ReportError::RowLength {
                    row: 2,
                    expected: 2,
                    found: 1,
                    ..
                }
            ),
            "{err:?}"
        );
        assert!(err.to_string().contains("t.csv"));
        // The failed row was not written; the table can still be finished.
        assert_eq!(t.finish().unwrap(), 1);
        assert_eq!(read(&path), "a,b\n1,2\n");

        let err =
            TableWriter::create(dir.path().join("e.csv"), &[], &CsvOptions::default()).unwrap_err();
        assert!(matches!(err, ReportError::NoColumns { .. }));
    }

    #[test]
    fn plain_numbers() {
        for s in [
            "1", "-1", "+1", "1.", ".5", "-0.25", "1e9", "-2.5E-3", "+7e+2",
        ] {
            assert!(is_plain_number(s), "{s}");
        }
        for s in [
            "", "-", "+", ".", "-.", "1e", "1e+", "--1", "1-1", "0x10", "-inf", "NaN", "1 ",
        ] {
            assert!(!is_plain_number(s), "{s}");
        }
    }

    #[test]
    fn csv_writer_writes_to_any_writer() {
        let mut w = CsvWriter::new(
            Vec::new(),
            "<stdout>",
            &["term", "n"],
            &CsvOptions::default(),
        )
        .unwrap();
        w.write_row(&[Cell::Str("@x"), Cell::Float(2.0)]).unwrap();
        w.write_row(&[Cell::Str("a,b"), Cell::Float(-0.5)]).unwrap();
        assert_eq!(w.rows(), 2);
        let err = w.write_row(&[Cell::Empty]).unwrap_err().to_string();
        assert!(err.contains("<stdout>"), "{err}");
        let bytes = w.into_inner().unwrap();
        assert_eq!(
            String::from_utf8(bytes).unwrap(),
            "term,n\n'@x,2\n\"a,b\",-0.5\n"
        );
    }

    #[test]
    fn a_byte_order_mark_when_asked_and_readers_drop_it() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("terms.csv");
        let opts = CsvOptions {
            bom: true,
            ..CsvOptions::default()
        };
        let mut t = TableWriter::create(&path, &["term", "count"], &opts).unwrap();
        t.write_row(&[Cell::Str("café"), Cell::UInt(2)]).unwrap();
        t.write_row(&[Cell::Str("=1+1"), Cell::UInt(1)]).unwrap();
        t.finish().unwrap();
        let bytes = std::fs::read(&path).unwrap();
        assert_eq!(&bytes[..3], b"\xEF\xBB\xBF");
        assert_eq!(&bytes[3..], "term,count\ncafé,2\n'=1+1,1\n".as_bytes());
        // One mark only, at the very start: the header name is clean.
        let mut rdr = csv::Reader::from_path(&path).unwrap();
        assert_eq!(rdr.headers().unwrap(), vec!["term", "count"]);

        let mut w = CsvWriter::new(Vec::new(), "<stdout>", &["a"], &opts).unwrap();
        w.write_row(&[Cell::Str("b")]).unwrap();
        assert_eq!(w.into_inner().unwrap(), b"\xEF\xBB\xBFa\nb\n");
        let w = CsvWriter::new(Vec::new(), "<stdout>", &["a"], &CsvOptions::default()).unwrap();
        assert_eq!(w.into_inner().unwrap(), b"a\n", "no mark by default");
    }

    #[test]
    fn a_table_can_fill_a_workbook_sheet_too() {
        use calamine::{open_workbook, Data, Reader, Xlsx};
        let dir = tempfile::tempdir().unwrap();
        let book = crate::Workbook::new(dir.path().join("report.xlsx"), &["terms"]);
        let header = ["term", "count"];
        let mut t = TableWriter::create(
            dir.path().join("terms.csv"),
            &header,
            &CsvOptions::default(),
        )
        .unwrap()
        .with_sheet(book.add_sheet("terms", &header).unwrap());
        t.write_row(&[Cell::Str("@SUM(A1)"), Cell::UInt(7)])
            .unwrap();
        t.write_row(&[Cell::Str("“curly”"), Cell::Float(0.5)])
            .unwrap();
        assert_eq!(t.finish().unwrap(), 2);
        let sheets = book.save().unwrap();
        assert_eq!(sheets[0].rows, 2);
        assert_eq!(
            read(&dir.path().join("terms.csv")),
            "term,count\n'@SUM(A1),7\n“curly”,0.5\n"
        );
        let mut x: Xlsx<_> = open_workbook(dir.path().join("report.xlsx")).unwrap();
        let range = x.worksheet_range("terms").unwrap();
        let cells: Vec<Vec<Data>> = range.rows().map(|r| r.to_vec()).collect();
        assert_eq!(
            cells[1],
            [Data::String("@SUM(A1)".into()), Data::Float(7.0)],
            "the sheet has the original text, the CSV the guarded one"
        );
        assert_eq!(cells[2], [Data::String("“curly”".into()), Data::Float(0.5)]);
    }
}
