//! The Excel workbook (`.xlsx`): one sheet per table, typed cells.
//!
//! Sheets are filled while the CSV tables are written (see
//! [`TableWriter::with_sheet`](crate::TableWriter::with_sheet)). Turning
//! cells into a sheet's XML costs more than writing the CSV line, so each
//! sheet is built on a thread of its own: [`SheetWriter::write_row`] only
//! copies the row into a batch and hands full batches over (a bounded queue,
//! so a slow sheet holds its table back rather than filling the memory).
//! The sheet's rows go straight to a temporary file ("constant memory" mode
//! of `rust_xlsxwriter`), so memory does not grow with the tables either.
//! [`Workbook::save`] waits for the sheets and packs them into one file,
//! written atomically.

use std::path::{Path, PathBuf};
use std::sync::mpsc::{sync_channel, Receiver, SyncSender};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;

use rust_xlsxwriter::{Format, Worksheet, XlsxError};

use crate::atomic::{commit, temp_beside};
use crate::error::ReportError;
use crate::format::thousands;
use crate::table::Cell;

/// Rows in one Excel sheet, the header row included (Excel's limit).
pub const EXCEL_MAX_ROWS: u32 = 1_048_576;
/// Characters (UTF-16 code units) in one Excel cell (Excel's limit).
pub const EXCEL_MAX_CELL_CHARS: usize = 32_767;
/// Columns in one Excel sheet (Excel's limit).
const EXCEL_MAX_COLUMNS: usize = 16_384;

/// Widest and narrowest column, in Excel's units (widths of the digit `0`).
const MAX_WIDTH: usize = 60;
const MIN_WIDTH: usize = 6;
/// Numbers take at most this many characters in Excel's General format.
const NUMBER_WIDTH: usize = 12;
/// Room for the autofilter's drop-down button beside a header name.
const FILTER_BUTTON: usize = 3;

/// Rows per batch handed to a sheet's thread, and batches that may wait.
const BATCH_ROWS: usize = 512;
const QUEUED_BATCHES: usize = 64;

/// Deflate level of the file: 2 packs the bundled corpus's workbook into
/// 12.5 MB in about 0.5 s, where rust_xlsxwriter's default 6 takes 1.2 s
/// for 10.9 MB.
const ZIP_LEVEL: u8 = 2;

/// An Excel workbook being built: sheets are added with
/// [`Workbook::add_sheet`], filled, finished, and [`Workbook::save`] writes
/// the file.
///
/// The handle can be shared between threads (`&Workbook` is enough to add a
/// sheet), so tables written in parallel can each fill their own sheet.
/// Sheets appear in the order given to [`Workbook::new`], whatever order
/// they are finished in; sheets not named there follow in name order.
///
/// Text cells are always stored as text, never as formulas, and keep their
/// original characters: the CSV files' formula guard (a leading apostrophe)
/// is not needed in a workbook, where a text cell cannot run. Numbers are
/// stored as numbers. A cell longer than Excel's 32,767 characters is cut
/// (ending in `…`), and a table longer than Excel's 1,048,576 rows keeps its
/// first rows and ends with a note row; [`SheetSummary`] counts both.
pub struct Workbook {
    shared: Arc<Shared>,
}

impl std::fmt::Debug for Workbook {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Workbook")
            .field("path", &self.shared.path)
            .field("order", &self.shared.order)
            .finish()
    }
}

struct Shared {
    path: PathBuf,
    order: Vec<String>,
    state: Mutex<State>,
}

struct State {
    book: rust_xlsxwriter::Workbook,
    bold: Format,
    /// The threads building the sheets; each hands its sheet back when done.
    building: Vec<JoinHandle<Result<Option<FinishedSheet>, ReportError>>>,
}

struct FinishedSheet {
    sheet: Worksheet,
    summary: SheetSummary,
}

/// What one finished sheet holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SheetSummary {
    /// The sheet's name.
    pub name: String,
    /// Data rows in the sheet (the header and a truncation note not counted).
    pub rows: u64,
    /// Data rows of the table left out because the sheet was full.
    pub rows_left_out: u64,
    /// Text cells cut to Excel's 32,767 characters.
    pub cells_cut: u64,
}

impl SheetSummary {
    /// A sentence for the user when something had to be left out or cut,
    /// `None` when the sheet holds the whole table. `file` names the table
    /// in the sentence.
    pub fn warning(&self, file: &str) -> Option<String> {
        let mut parts = Vec::new();
        if self.rows_left_out > 0 {
            parts.push(format!(
                "sheet {} holds the first {} rows of the table: Excel allows {} rows per sheet, so {} rows are only in the CSV file",
                self.name,
                thousands(self.rows),
                thousands(u64::from(EXCEL_MAX_ROWS)),
                thousands(self.rows_left_out)
            ));
        }
        if self.cells_cut > 0 {
            parts.push(format!(
                "sheet {}: {} cell(s) longer than Excel's {} characters were cut (ending in …)",
                self.name,
                thousands(self.cells_cut),
                thousands(EXCEL_MAX_CELL_CHARS as u64)
            ));
        }
        (!parts.is_empty()).then(|| format!("{file}: {}", parts.join("; ")))
    }
}

impl Workbook {
    /// Starts a workbook that [`Workbook::save`] will write to `path`;
    /// `order` lists sheet names in the order the sheets should appear.
    pub fn new(path: impl AsRef<Path>, order: &[&str]) -> Workbook {
        let mut book = rust_xlsxwriter::Workbook::new();
        book.set_zip_compression_level(ZIP_LEVEL);
        Workbook {
            shared: Arc::new(Shared {
                path: path.as_ref().to_path_buf(),
                order: order.iter().map(|s| s.to_string()).collect(),
                state: Mutex::new(State {
                    book,
                    bold: Format::new().set_bold(),
                    building: Vec::new(),
                }),
            }),
        }
    }

    /// The file [`Workbook::save`] writes.
    pub fn path(&self) -> &Path {
        &self.shared.path
    }

    /// Adds a sheet named `name` (at most 31 characters, none of `[]:*?/\`)
    /// and writes its header row: bold, frozen, with an autofilter.
    pub fn add_sheet(&self, name: &str, header: &[&str]) -> Result<SheetWriter, ReportError> {
        self.add_sheet_with_limit(name, header, EXCEL_MAX_ROWS)
    }

    fn add_sheet_with_limit(
        &self,
        name: &str,
        header: &[&str],
        max_rows: u32,
    ) -> Result<SheetWriter, ReportError> {
        let fill = self.new_fill(name, header, max_rows)?;
        let (sender, receiver) = sync_channel::<Batch>(QUEUED_BATCHES);
        let handle = std::thread::Builder::new()
            .name(format!("sheet {name}"))
            .spawn(move || fill.run(receiver))
            .map_err(|e| ReportError::io(&self.shared.path, e))?;
        self.state()?.building.push(handle);
        Ok(SheetWriter {
            path: self.shared.path.clone(),
            name: name.to_string(),
            columns: header.len(),
            rows: 0,
            batch: Batch::default(),
            sender: Some(sender),
        })
    }

    /// A sheet with its header row, ready to be filled.
    fn new_fill(
        &self,
        name: &str,
        header: &[&str],
        max_rows: u32,
    ) -> Result<SheetFill, ReportError> {
        let err = |source| sheet_error(&self.shared.path, name, source);
        if header.is_empty() {
            return Err(ReportError::NoColumns {
                path: self.shared.path.clone(),
            });
        }
        if header.len() > EXCEL_MAX_COLUMNS {
            return Err(err(XlsxError::RowColumnLimitError));
        }
        let (mut sheet, bold) = {
            let mut state = self.state()?;
            let sheet = state
                .book
                .new_worksheet_with_constant_memory()
                .map_err(err)?;
            (sheet, state.bold.clone())
        };
        sheet.set_name(name).map_err(err)?;
        let mut widths = Vec::with_capacity(header.len());
        for (col, h) in header.iter().enumerate() {
            let text = fit_cell(h).0;
            sheet
                .write_string_with_format(0, col as u16, text.as_ref(), &bold)
                .map_err(err)?;
            widths.push(text_width(h) + FILTER_BUTTON);
        }
        sheet.set_freeze_panes(1, 0).map_err(err)?;
        Ok(SheetFill {
            path: self.shared.path.clone(),
            sheet,
            name: name.to_string(),
            columns: header.len(),
            widths,
            rows: 0,
            left_out: 0,
            cells_cut: 0,
            max_rows,
        })
    }

    /// Waits for the sheets, writes the workbook with every finished sheet
    /// (a sheet whose writer was dropped without [`SheetWriter::finish`] is
    /// left out) and returns what each sheet holds, in sheet order. The
    /// file goes to a temporary name beside `path` first and is renamed
    /// when complete.
    ///
    /// Meant to be called once, when every sheet is finished: the sheets
    /// saved are handed over to the file, so a second call would write only
    /// the sheets added after the first.
    pub fn save(&self) -> Result<Vec<SheetSummary>, ReportError> {
        let shared = &self.shared;
        let (building, mut book) = {
            let mut state = self.state()?;
            let mut fresh = rust_xlsxwriter::Workbook::new();
            fresh.set_zip_compression_level(ZIP_LEVEL);
            (
                std::mem::take(&mut state.building),
                std::mem::replace(&mut state.book, fresh),
            )
        };
        let mut finished = Vec::with_capacity(building.len());
        let mut first_error = None;
        for handle in building {
            match handle.join() {
                Ok(Ok(Some(f))) => finished.push(f),
                Ok(Ok(None)) => {}
                Ok(Err(e)) => {
                    first_error.get_or_insert(e);
                }
                Err(_) => {
                    first_error.get_or_insert(poisoned(&shared.path));
                }
            }
        }
        if let Some(e) = first_error {
            return Err(e);
        }
        let rank = |name: &str| {
            shared
                .order
                .iter()
                .position(|o| o == name)
                .unwrap_or(usize::MAX)
        };
        finished.sort_by(|a, b| {
            rank(&a.summary.name)
                .cmp(&rank(&b.summary.name))
                .then_with(|| a.summary.name.cmp(&b.summary.name))
        });
        let mut summaries = Vec::with_capacity(finished.len());
        for f in finished {
            summaries.push(f.summary);
            book.push_worksheet(f.sheet);
        }
        let tmp = temp_beside(&shared.path)?;
        let file = tmp
            .as_file()
            .try_clone()
            .map_err(|e| ReportError::io(&shared.path, e))?;
        book.save_to_writer(std::io::BufWriter::with_capacity(1 << 16, file))
            .map_err(|source| ReportError::Workbook {
                path: shared.path.clone(),
                sheet: None,
                source,
            })?;
        commit(tmp, &shared.path)?;
        Ok(summaries)
    }

    fn state(&self) -> Result<std::sync::MutexGuard<'_, State>, ReportError> {
        self.shared
            .state
            .lock()
            .map_err(|_| poisoned(&self.shared.path))
    }
}

fn sheet_error(path: &Path, sheet: &str, source: XlsxError) -> ReportError {
    ReportError::Workbook {
        path: path.to_path_buf(),
        sheet: Some(sheet.to_string()),
        source,
    }
}

fn poisoned(path: &Path) -> ReportError {
    ReportError::io(
        path,
        std::io::Error::other("a thread failed while writing the workbook"),
    )
}

/// One cell of a batch; text lives in the batch's buffer.
#[derive(Debug, Clone, Copy)]
enum Val {
    Text { start: usize, end: usize },
    Number(f64),
    Empty,
}

/// Rows on their way to a sheet's thread.
#[derive(Debug, Default)]
struct Batch {
    cells: Vec<Val>,
    text: String,
    rows: usize,
}

/// Fills one sheet of a [`Workbook`], row by row, with the same cells as a
/// CSV table ([`Cell`]). The sheet itself is built on a thread of its own.
pub struct SheetWriter {
    path: PathBuf,
    name: String,
    columns: usize,
    /// Data rows handed over so far.
    rows: u64,
    batch: Batch,
    /// None once finished.
    sender: Option<SyncSender<Batch>>,
}

impl std::fmt::Debug for SheetWriter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SheetWriter")
            .field("name", &self.name)
            .field("columns", &self.columns)
            .field("rows", &self.rows)
            .finish()
    }
}

impl SheetWriter {
    /// Appends one data row; it must have exactly one cell per header column.
    ///
    /// Text becomes a text cell (an empty text an empty cell), integers and
    /// finite floats numbers (`-0` and values too small for Excel become 0),
    /// NaN, infinities and [`Cell::Empty`] empty cells. Once the sheet is
    /// full, rows are counted but not stored.
    pub fn write_row(&mut self, cells: &[Cell<'_>]) -> Result<(), ReportError> {
        if cells.len() != self.columns {
            return Err(ReportError::RowLength {
                path: self.path.clone(),
                row: self.rows + 1,
                expected: self.columns,
                found: cells.len(),
            });
        }
        let b = &mut self.batch;
        for cell in cells {
            let v = match *cell {
                Cell::Str("") | Cell::Empty => Val::Empty,
                Cell::Str(s) => {
                    let start = b.text.len();
                    b.text.push_str(s);
                    Val::Text {
                        start,
                        end: b.text.len(),
                    }
                }
                Cell::Int(v) => Val::Number(v as f64),
                Cell::UInt(v) => Val::Number(v as f64),
                Cell::Float(v) if v.is_finite() => Val::Number(v),
                Cell::Float(_) => Val::Empty,
                Cell::Number(v, _) if v.is_finite() => Val::Number(v),
                Cell::Number(..) => Val::Empty,
            };
            b.cells.push(v);
        }
        b.rows += 1;
        self.rows += 1;
        if b.rows >= BATCH_ROWS {
            self.send()?;
        }
        Ok(())
    }

    /// Data rows written so far (including any the sheet will not hold).
    pub fn rows(&self) -> u64 {
        self.rows
    }

    /// Ends the sheet: its thread sets the column widths and the
    /// autofilter, adds the note row when rows were left out, and hands the
    /// sheet to its workbook. [`Workbook::save`] reports what it holds.
    pub fn finish(mut self) -> Result<(), ReportError> {
        self.send()?;
        // An empty batch after the last one says "complete"; a writer
        // dropped without it leaves its sheet out.
        if let Some(sender) = self.sender.take() {
            sender.send(Batch::default()).map_err(|_| self.gone())?;
        }
        Ok(())
    }

    fn send(&mut self) -> Result<(), ReportError> {
        if self.batch.rows == 0 {
            return Ok(());
        }
        let batch = std::mem::take(&mut self.batch);
        match &self.sender {
            Some(sender) => sender.send(batch).map_err(|_| self.gone()),
            None => Ok(()),
        }
    }

    /// The sheet's thread stopped early: its error comes from [`Workbook::save`].
    fn gone(&self) -> ReportError {
        ReportError::io(
            &self.path,
            std::io::Error::other(format!(
                "sheet {} stopped early (saving the workbook says why)",
                self.name
            )),
        )
    }
}

/// A sheet being built on its own thread.
struct SheetFill {
    path: PathBuf,
    sheet: Worksheet,
    name: String,
    columns: usize,
    /// Widest content per column so far, in characters.
    widths: Vec<usize>,
    /// Data rows written.
    rows: u32,
    /// Data rows that did not fit.
    left_out: u64,
    cells_cut: u64,
    /// Rows the sheet may hold, header and note included.
    max_rows: u32,
}

impl SheetFill {
    /// Writes the batches as they come; an empty batch ends the sheet.
    /// Returns None when the writer went away without finishing. After an
    /// error the remaining batches are still taken (so the writer never
    /// blocks), and the error is returned at the end, to [`Workbook::save`].
    fn run(mut self, batches: Receiver<Batch>) -> Result<Option<FinishedSheet>, ReportError> {
        let mut failed = None;
        for batch in batches {
            if batch.rows == 0 {
                return match failed {
                    Some(e) => Err(e),
                    None => self.finish().map(Some),
                };
            }
            if failed.is_some() {
                continue;
            }
            for row in batch.cells.chunks(self.columns) {
                if let Err(e) = self.push_row(row, &batch.text) {
                    failed = Some(e);
                    break;
                }
            }
        }
        failed.map_or(Ok(None), Err)
    }

    fn push_row(&mut self, cells: &[Val], text: &str) -> Result<(), ReportError> {
        // The last row of a full sheet is kept for the note: the header,
        // `max_rows - 2` data rows, the note.
        if self.left_out > 0 || self.rows + 2 >= self.max_rows {
            self.left_out += 1;
            return Ok(());
        }
        let row = self.rows + 1;
        for (col, cell) in cells.iter().enumerate() {
            let c = col as u16;
            let width = match *cell {
                Val::Text { start, end } => {
                    let s = &text[start..end];
                    let (fitted, cut) = fit_cell(s);
                    if cut {
                        self.cells_cut += 1;
                    }
                    self.sheet
                        .write_string(row, c, fitted.as_ref())
                        .map_err(|e| sheet_error(&self.path, &self.name, e))?;
                    text_width(s)
                }
                Val::Number(v) => {
                    // Excel has no subnormal numbers (nor -0).
                    let v = if v.abs() < f64::MIN_POSITIVE { 0.0 } else { v };
                    self.sheet
                        .write_number(row, c, v)
                        .map_err(|e| sheet_error(&self.path, &self.name, e))?;
                    number_width(v)
                }
                Val::Empty => continue,
            };
            if width > self.widths[col] {
                self.widths[col] = width;
            }
        }
        self.rows = row;
        Ok(())
    }

    fn finish(mut self) -> Result<FinishedSheet, ReportError> {
        let err = |e| sheet_error(&self.path, &self.name, e);
        let last_col = (self.columns - 1) as u16;
        for (col, w) in self.widths.iter().enumerate() {
            let width = (*w + 1).clamp(MIN_WIDTH, MAX_WIDTH);
            self.sheet
                .set_column_width(col as u16, width as f64)
                .map_err(err)?;
        }
        self.sheet
            .autofilter(0, 0, self.rows, last_col)
            .map_err(err)?;
        if self.left_out > 0 {
            let note = format!(
                "… {} more rows are not shown: Excel allows {} rows per sheet. The CSV file has the whole table.",
                thousands(self.left_out),
                thousands(u64::from(EXCEL_MAX_ROWS))
            );
            self.sheet
                .write_string(self.rows + 1, 0, note)
                .map_err(err)?;
        }
        Ok(FinishedSheet {
            summary: SheetSummary {
                name: self.name,
                rows: u64::from(self.rows),
                rows_left_out: self.left_out,
                cells_cut: self.cells_cut,
            },
            sheet: self.sheet,
        })
    }
}

/// `text` cut to Excel's cell limit (UTF-16 code units), ending in `…` when
/// cut; the flag says whether it was.
fn fit_cell(text: &str) -> (std::borrow::Cow<'_, str>, bool) {
    // A UTF-8 byte count is never below the UTF-16 unit count: short texts fit.
    if text.len() <= EXCEL_MAX_CELL_CHARS || text.encode_utf16().count() <= EXCEL_MAX_CELL_CHARS {
        return (text.into(), false);
    }
    // Keep whole characters, leaving one unit for the ellipsis.
    let mut units = 0;
    let mut end = 0;
    for (i, ch) in text.char_indices() {
        if units + ch.len_utf16() > EXCEL_MAX_CELL_CHARS - 1 {
            break;
        }
        units += ch.len_utf16();
        end = i + ch.len_utf8();
    }
    let mut cut = String::with_capacity(end + 3);
    cut.push_str(&text[..end]);
    cut.push('…');
    (cut.into(), true)
}

/// Display width of a number in Excel's General format: the digits of a
/// whole number, at most [`NUMBER_WIDTH`] for the rest.
fn number_width(v: f64) -> usize {
    if v.fract() == 0.0 && v.abs() < 1e11 {
        let mut n = v.abs() as u64;
        let mut digits = 1;
        while n >= 10 {
            n /= 10;
            digits += 1;
        }
        digits + usize::from(v < 0.0)
    } else {
        NUMBER_WIDTH
    }
}

/// Display width of a text cell: its longest line in characters, capped.
fn text_width(text: &str) -> usize {
    text.split('\n')
        .map(|line| line.chars().take(MAX_WIDTH).count())
        .max()
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use calamine::{open_workbook, Data, Reader, Xlsx};

    fn read(path: &Path) -> Xlsx<std::io::BufReader<std::fs::File>> {
        open_workbook(path).expect("open workbook")
    }

    fn rows(book: &mut Xlsx<std::io::BufReader<std::fs::File>>, sheet: &str) -> Vec<Vec<Data>> {
        let range = book.worksheet_range(sheet).expect("sheet");
        range.rows().map(|r| r.to_vec()).collect()
    }

    fn s(text: &str) -> Data {
        Data::String(text.to_string())
    }

    #[test]
    fn typed_cells_and_sheet_order() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("report.xlsx");
        let book = Workbook::new(&path, &["summary", "terms"]);
        // Added in the "wrong" order: the order given to new() wins.
        let mut terms = book
            .add_sheet("terms", &["term", "count", "share", "note"])
            .unwrap();
        let mut summary = book.add_sheet("summary", &["metric", "value"]).unwrap();
        let formulas = [
            "=HYPERLINK(\"http://x\",\"y\")",
            "+cmd",
            "@SUM(A1)",
            "-2+3",
            "=1+1",
        ];
        terms
            .write_row(&[
                Cell::Str("café"),
                Cell::UInt(12),
                Cell::Float(0.25),
                Cell::Str("’quoted“ ”"),
            ])
            .unwrap();
        for (i, f) in formulas.iter().enumerate() {
            terms
                .write_row(&[
                    Cell::Str(f),
                    Cell::Int(-(i as i64)),
                    Cell::Float(f64::NAN),
                    Cell::Empty,
                ])
                .unwrap();
        }
        terms
            .write_row(&[
                Cell::Str("tiny"),
                Cell::UInt(u64::from(u32::MAX) + 1),
                Cell::Float(5e-324),
                Cell::Str("line one\nline two\ttab"),
            ])
            .unwrap();
        terms.finish().unwrap();
        summary
            .write_row(&[Cell::Str("documents"), Cell::UInt(39)])
            .unwrap();
        summary
            .write_row(&[Cell::Str("first_date"), Cell::Str("2016-12-30")])
            .unwrap();
        summary.finish().unwrap();
        let summaries = book.save().unwrap();
        assert_eq!(
            summaries
                .iter()
                .map(|s| s.name.as_str())
                .collect::<Vec<_>>(),
            ["summary", "terms"]
        );
        let t = &summaries[1];
        assert_eq!((t.rows, t.rows_left_out, t.cells_cut), (7, 0, 0));

        let mut x = read(&path);
        assert_eq!(x.sheet_names(), ["summary", "terms"]);
        let r = rows(&mut x, "terms");
        assert_eq!(r[0], [s("term"), s("count"), s("share"), s("note")]);
        assert_eq!(
            r[1],
            [
                s("café"),
                Data::Float(12.0),
                Data::Float(0.25),
                s("’quoted“ ”")
            ]
        );
        for (i, f) in formulas.iter().enumerate() {
            // The original text, stored as text: no formula, no apostrophe.
            assert_eq!(r[2 + i][0], s(f));
            assert_eq!(r[2 + i][1], Data::Float(-(i as f64)));
            assert_eq!(r[2 + i][2], Data::Empty, "NaN is an empty cell");
            assert_eq!(r[2 + i][3], Data::Empty);
        }
        assert_eq!(r[7][1], Data::Float(4_294_967_296.0));
        assert_eq!(r[7][2], Data::Float(0.0), "subnormal numbers become 0");
        assert_eq!(r[7][3], s("line one\nline two\ttab"));
        let formulas_in_sheet = x.worksheet_formula("terms").unwrap();
        assert!(
            formulas_in_sheet.cells().all(|(_, _, f)| f.is_empty()),
            "no cell is a formula"
        );
        let r = rows(&mut x, "summary");
        assert_eq!(r[1], [s("documents"), Data::Float(39.0)]);
        assert_eq!(r[2], [s("first_date"), s("2016-12-30")]);
    }

    #[test]
    fn header_is_bold_frozen_filtered_and_columns_sized() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("w.xlsx");
        let book = Workbook::new(&path, &[]);
        let mut sheet = book.add_sheet("terms", &["term", "n"]).unwrap();
        let long = "x".repeat(500);
        sheet.write_row(&[Cell::Str(&long), Cell::UInt(3)]).unwrap();
        sheet.write_row(&[Cell::Str("a"), Cell::UInt(4)]).unwrap();
        sheet.finish().unwrap();
        book.save().unwrap();
        let xml = zip_entry(&path, "xl/worksheets/sheet1.xml");
        assert!(
            xml.contains(
                r#"<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>"#
            ),
            "{xml}"
        );
        assert!(xml.contains(r#"<autoFilter ref="A1:B3"/>"#), "{xml}");
        // Column A is capped at 60, column B fits its header and the button.
        assert!(
            xml.contains(r#"<col min="1" max="1" width="60.7109375""#),
            "{xml}"
        );
        assert!(
            xml.contains(r#"<col min="2" max="2" width="6.7109375""#),
            "{xml}"
        );
        let styles = zip_entry(&path, "xl/styles.xml");
        assert!(styles.contains("<b/>"), "a bold font exists: {styles}");
        assert!(
            xml.contains(r#"<c r="A1" s="1" t="inlineStr">"#),
            "header cells use the bold style: {xml}"
        );
    }

    /// One part of the xlsx package (the sheet XML, the styles) as text.
    fn zip_entry(path: &Path, name: &str) -> String {
        let file = std::fs::File::open(path).unwrap();
        let mut zip = zip::ZipArchive::new(file).unwrap();
        let mut entry = zip.by_name(name).unwrap();
        let mut text = String::new();
        std::io::Read::read_to_string(&mut entry, &mut text).unwrap();
        text
    }

    #[test]
    fn full_sheets_keep_their_first_rows_and_end_with_a_note() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("big.xlsx");
        let book = Workbook::new(&path, &[]);
        // A sheet of 6 rows: header, 4 data rows, the note.
        let mut sheet = book.add_sheet_with_limit("tfidf", &["n"], 6).unwrap();
        for i in 0..10u64 {
            sheet.write_row(&[Cell::UInt(i)]).unwrap();
        }
        assert_eq!(sheet.rows(), 10, "rows written, whether they fit or not");
        sheet.finish().unwrap();
        let summaries = book.save().unwrap();
        let summary = &summaries[0];
        assert_eq!((summary.rows, summary.rows_left_out), (4, 6));
        let warning = summary.warning("tfidf.csv").unwrap();
        assert!(
            warning.starts_with("tfidf.csv: sheet tfidf holds the first 4 rows"),
            "{warning}"
        );
        assert!(
            warning.contains("1,048,576") && warning.contains("6 rows"),
            "{warning}"
        );
        let mut x = read(&path);
        let r = rows(&mut x, "tfidf");
        assert_eq!(r.len(), 6);
        assert_eq!(r[4], [Data::Float(3.0)]);
        match &r[5][0] {
            Data::String(note) => {
                assert!(note.contains("6 more rows are not shown"), "{note}")
            }
            other => panic!("note row: {other:?}"),
        }
        let xml = zip_entry(&path, "xl/worksheets/sheet1.xml");
        assert!(
            xml.contains(r#"<autoFilter ref="A1:A5"/>"#),
            "the note is not filtered: {xml}"
        );
    }

    #[test]
    fn the_last_excel_row_can_hold_the_note() {
        // The real limit: rust_xlsxwriter accepts the note in row 1,048,576.
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("edge.xlsx");
        let book = Workbook::new(&path, &[]);
        let mut fill = book.new_fill("s", &["n"], EXCEL_MAX_ROWS).unwrap();
        fill.rows = EXCEL_MAX_ROWS - 2;
        fill.push_row(&[Val::Number(1.0)], "").unwrap();
        assert_eq!(fill.left_out, 1);
        let finished = fill.finish().unwrap();
        assert_eq!(finished.summary.rows, u64::from(EXCEL_MAX_ROWS) - 2);
        book.state()
            .unwrap()
            .building
            .push(std::thread::spawn(move || Ok(Some(finished))));
        book.save().unwrap();
        let xml = zip_entry(&path, "xl/worksheets/sheet1.xml");
        assert!(xml.contains(r#"<row r="1048576""#), "note in the last row");
    }

    #[test]
    fn long_cells_are_cut_to_excels_limit() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("long.xlsx");
        let book = Workbook::new(&path, &[]);
        let mut sheet = book.add_sheet("documents", &["text"]).unwrap();
        let exact = "é".repeat(EXCEL_MAX_CELL_CHARS);
        // 😀 is two UTF-16 units: 20,000 of them are 40,000 units.
        let emoji = "😀".repeat(20_000);
        let long = "a".repeat(EXCEL_MAX_CELL_CHARS + 1);
        for t in [&exact, &emoji, &long] {
            sheet.write_row(&[Cell::Str(t)]).unwrap();
        }
        sheet.finish().unwrap();
        let summaries = book.save().unwrap();
        let summary = &summaries[0];
        assert_eq!(summary.cells_cut, 2);
        assert!(summary
            .warning("documents.csv")
            .unwrap()
            .contains("2 cell(s)"));
        let mut x = read(&path);
        let r = rows(&mut x, "documents");
        let text = |i: usize| match &r[i][0] {
            Data::String(s) => s.clone(),
            other => panic!("{other:?}"),
        };
        assert_eq!(text(1), exact, "exactly at the limit: kept whole");
        let e = text(2);
        assert_eq!(e.encode_utf16().count(), EXCEL_MAX_CELL_CHARS);
        assert!(e.ends_with("😀…"));
        let a = text(3);
        assert_eq!(a.chars().count(), EXCEL_MAX_CELL_CHARS);
        assert!(a.ends_with("a…"));
    }

    #[test]
    fn errors_name_the_file_and_sheet() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("bad.xlsx");
        let book = Workbook::new(&path, &[]);
        let err = book.add_sheet("no/slash", &["a"]).unwrap_err();
        let msg = err.to_string();
        assert!(
            msg.contains("bad.xlsx") && msg.contains("no/slash"),
            "{msg}"
        );
        let err = book.add_sheet("empty", &[]).unwrap_err();
        assert!(err.to_string().contains("bad.xlsx"));
        let mut sheet = book.add_sheet("ok", &["a", "b"]).unwrap();
        let err = sheet.write_row(&[Cell::Int(1)]).unwrap_err();
        assert!(
            matches!(
                err,
                ReportError::RowLength {
                    row: 1,
                    expected: 2,
                    found: 1,
                    ..
                }
            ),
            "{err:?}"
        );
        sheet.finish().unwrap();

        // A folder that does not exist: nothing is left behind, the error names the file.
        let missing = dir.path().join("nowhere/report.xlsx");
        let book = Workbook::new(&missing, &[]);
        book.add_sheet("s", &["a"]).unwrap().finish().unwrap();
        let err = book.save().unwrap_err();
        assert!(err.to_string().contains("report.xlsx"), "{err}");
        assert!(!missing.exists());
    }

    #[test]
    fn cutting_counts_utf16_units() {
        assert!(!fit_cell("short").1);
        let long = "ab".repeat(20_000);
        let (t, cut) = fit_cell(&long);
        assert!(cut);
        assert_eq!(t.encode_utf16().count(), EXCEL_MAX_CELL_CHARS);
        assert_eq!(text_width("one\nthree"), 5);
        assert_eq!(text_width(&"x".repeat(1000)), MAX_WIDTH);
    }
}
