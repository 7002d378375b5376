//! The offline HTML dashboard: one self-contained `index.html`.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use crate::atomic::atomic_write;
use crate::chart::{hex, COUNT, INK, MUTED, NEGATIVE, POSITIVE};
use crate::error::ReportError;
use crate::format::thousands;
use crate::table::is_plain_number;

/// One entry of the dashboard's chart section.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChartEntry {
    /// A chart that was drawn.
    Chart {
        /// Heading above the image (also its alt text).
        title: String,
        /// One or two sentences under the image: what it shows, how to read it.
        caption: String,
        /// Path of the image relative to the dashboard, e.g. `charts/top_terms.png`.
        image: String,
    },
    /// A chart that was left out, with the reason shown to the user.
    Missing {
        /// Heading of the chart that would have been there.
        title: String,
        /// Why it is missing (e.g. "no document has a date").
        reason: String,
    },
}

impl ChartEntry {
    /// The entry for the outcome of a chart function: the chart's first file
    /// (PNG when there is one), as a path relative to `dashboard_dir`, or a
    /// missing chart whose reason is the error's
    /// [`missing_reason`](ReportError::missing_reason) (or its message for
    /// other errors).
    pub fn from_outcome(
        title: &str,
        caption: &str,
        outcome: &Result<Vec<PathBuf>, ReportError>,
        dashboard_dir: &Path,
    ) -> ChartEntry {
        match outcome {
            Ok(files) => {
                let chosen = files
                    .iter()
                    .find(|p| p.extension().is_some_and(|e| e == "png"))
                    .or_else(|| files.first());
                match chosen {
                    Some(path) => ChartEntry::Chart {
                        title: title.to_string(),
                        caption: caption.to_string(),
                        image: relative_link(path, dashboard_dir),
                    },
                    None => ChartEntry::Missing {
                        title: title.to_string(),
                        reason: "no image format was requested".to_string(),
                    },
                }
            }
            Err(e) => ChartEntry::Missing {
                title: title.to_string(),
                reason: e
                    .missing_reason()
                    .map(str::to_string)
                    .unwrap_or_else(|| e.to_string()),
            },
        }
    }
}

/// `path` relative to `base` with `/` separators (as is when it is not inside `base`).
fn relative_link(path: &Path, base: &Path) -> String {
    let rel = path.strip_prefix(base).unwrap_or(path);
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}

/// The first rows of one CSV table, shown sortable and filterable.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TablePreview {
    /// Heading, e.g. `Terms`.
    pub name: String,
    /// Path of the CSV file relative to the dashboard, e.g. `terms.csv`.
    pub file: String,
    /// Column names.
    pub columns: Vec<String>,
    /// The top rows, as text (as in the CSV file).
    pub rows: Vec<Vec<String>>,
    /// Number of data rows in the whole file.
    pub total_rows: u64,
}

impl TablePreview {
    /// Reads the header, the first `max_rows` rows and the row count of the
    /// CSV file at `path` (as written by [`TableWriter`](crate::TableWriter)).
    /// `link` is the file's path relative to the dashboard.
    pub fn from_csv(
        name: &str,
        path: impl AsRef<Path>,
        link: &str,
        max_rows: usize,
    ) -> Result<TablePreview, ReportError> {
        Self::read(name, path.as_ref(), link, max_rows, None)
    }

    /// As [`TablePreview::from_csv`] for a file whose number of data rows
    /// is known (`total_rows`, as the writer counted them): only the header
    /// and the first rows are read, not the whole file.
    pub fn from_csv_head(
        name: &str,
        path: impl AsRef<Path>,
        link: &str,
        max_rows: usize,
        total_rows: u64,
    ) -> Result<TablePreview, ReportError> {
        Self::read(name, path.as_ref(), link, max_rows, Some(total_rows))
    }

    fn read(
        name: &str,
        path: &Path,
        link: &str,
        max_rows: usize,
        known_total: Option<u64>,
    ) -> Result<TablePreview, ReportError> {
        let mut reader = csv::ReaderBuilder::new()
            .flexible(true)
            .from_path(path)
            .map_err(|source| ReportError::Csv {
                path: path.to_path_buf(),
                row: 0,
                source,
            })?;
        let columns = reader
            .headers()
            .map_err(|source| ReportError::Csv {
                path: path.to_path_buf(),
                row: 0,
                source,
            })?
            .iter()
            .map(str::to_string)
            .collect();
        let mut rows = Vec::new();
        let mut total = 0u64;
        let mut record = csv::StringRecord::new();
        loop {
            match reader.read_record(&mut record) {
                Ok(true) => {
                    total += 1;
                    if rows.len() < max_rows {
                        rows.push(record.iter().map(str::to_string).collect());
                    } else if known_total.is_some() {
                        break;
                    }
                }
                Ok(false) => break,
                Err(source) => {
                    return Err(ReportError::Csv {
                        path: path.to_path_buf(),
                        row: total + 1,
                        source,
                    })
                }
            }
        }
        Ok(TablePreview {
            name: name.to_string(),
            file: link.to_string(),
            columns,
            rows,
            total_rows: known_total.unwrap_or(total),
        })
    }
}

/// Everything the dashboard shows. Every text is HTML-escaped when written.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Dashboard {
    /// Page title and main heading.
    pub title: String,
    /// Line under the title (inputs, date of the run).
    pub subtitle: String,
    /// Headline figures as (label, value), shown as cards.
    pub headline: Vec<(String, String)>,
    /// Charts, in order.
    pub charts: Vec<ChartEntry>,
    /// Table previews, in order.
    pub tables: Vec<TablePreview>,
    /// Path of a workbook holding every table (e.g. `report.xlsx`), linked
    /// above the previews.
    pub workbook: Option<String>,
    /// The run's settings as (name, value).
    pub settings: Vec<(String, String)>,
    /// Warnings to show (skipped files, charts left out, ...).
    pub warnings: Vec<String>,
}

impl Dashboard {
    /// Writes the page to `path` atomically (the folder must exist). Images
    /// and CSV files are referenced by the relative paths given, so the page
    /// works offline when it sits beside them.
    pub fn write(&self, path: impl AsRef<Path>) -> Result<(), ReportError> {
        atomic_write(path, self.to_html().as_bytes())
    }

    /// The page as one HTML string: inline CSS and JavaScript, no network
    /// references.
    pub fn to_html(&self) -> String {
        let mut h = String::with_capacity(64 * 1024);
        let title = if self.title.trim().is_empty() {
            "Lexiscope report"
        } else {
            self.title.as_str()
        };
        h.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
        h.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
        h.push_str("<meta name=\"generator\" content=\"Lexiscope\">\n");
        let _ = writeln!(h, "<title>{}</title>", esc(title));
        h.push_str("<style>\n");
        h.push_str(&css());
        h.push_str("</style>\n</head>\n<body>\n");

        // Title block and the sticky section nav.
        h.push_str("<header class=\"masthead\"><div class=\"wrap\">\n");
        let _ = writeln!(h, "<h1>{}</h1>", esc(title));
        if !self.subtitle.trim().is_empty() {
            let _ = writeln!(h, "<p class=\"subtitle\">{}</p>", esc(&self.subtitle));
        }
        h.push_str("</div></header>\n");
        let missing = self
            .charts
            .iter()
            .filter(|c| matches!(c, ChartEntry::Missing { .. }))
            .count();
        h.push_str("<nav class=\"sections\" aria-label=\"Sections\"><div class=\"wrap\">\n");
        h.push_str("<a href=\"#overview\">Overview</a>\n");
        let _ = writeln!(
            h,
            "<a href=\"#charts\">Charts <span class=\"count\">{}</span></a>",
            self.charts.len() - missing
        );
        let _ = writeln!(
            h,
            "<a href=\"#tables\">Tables <span class=\"count\">{}</span></a>",
            self.tables.len()
        );
        h.push_str("<a href=\"#settings\">Settings</a>\n");
        let warn_class = if self.warnings.is_empty() {
            "count"
        } else {
            "count alert"
        };
        let _ = writeln!(
            h,
            "<a href=\"#warnings\">Warnings <span class=\"{warn_class}\">{}</span></a>",
            self.warnings.len()
        );
        h.push_str("</div></nav>\n<main class=\"wrap\">\n");

        self.overview(&mut h);
        self.charts_section(&mut h);
        self.tables_section(&mut h);
        self.settings_section(&mut h);
        self.warnings_section(&mut h);

        h.push_str(
            "</main>\n<footer class=\"wrap\"><p>Made with Lexiscope. This page works offline: \
                    keep it next to its <code>charts/</code> folder and CSV files.</p></footer>\n",
        );
        h.push_str("<script>\n");
        h.push_str(SCRIPT);
        h.push_str("</script>\n</body>\n</html>\n");
        h
    }

    fn overview(&self, h: &mut String) {
        h.push_str("<section id=\"overview\" aria-labelledby=\"overview-h\">\n<h2 id=\"overview-h\">Overview</h2>\n");
        if self.headline.is_empty() {
            h.push_str("<p class=\"empty\">No headline figures.</p>\n");
        } else {
            h.push_str("<div class=\"cards\">\n");
            for (label, value) in &self.headline {
                let _ = writeln!(
                    h,
                    "<div class=\"card\"><div class=\"value\">{}</div><div class=\"label\">{}</div></div>",
                    esc(value),
                    esc(label)
                );
            }
            h.push_str("</div>\n");
        }
        h.push_str("</section>\n");
    }

    fn charts_section(&self, h: &mut String) {
        h.push_str("<section id=\"charts\" aria-labelledby=\"charts-h\">\n<h2 id=\"charts-h\">Charts</h2>\n");
        if self.charts.is_empty() {
            h.push_str("<p class=\"empty\">No charts.</p>\n");
        } else {
            h.push_str("<div class=\"chart-grid\">\n");
            for (i, entry) in self.charts.iter().enumerate() {
                match entry {
                    ChartEntry::Chart {
                        title,
                        caption,
                        image,
                    } => {
                        let src = esc(&url_path(image));
                        let _ = write!(
                            h,
                            "<figure class=\"chart\" id=\"chart-{}\">\n<figcaption><h3>{}</h3>",
                            i + 1,
                            esc(title)
                        );
                        if !caption.trim().is_empty() {
                            let _ = write!(h, "<p>{}</p>", esc(caption));
                        }
                        let _ = writeln!(
                            h,
                            "</figcaption>\n<a class=\"zoom\" href=\"{src}\" title=\"Open full size\">\
                             <img src=\"{src}\" alt=\"{}\" loading=\"lazy\"></a>\n</figure>",
                            esc(title)
                        );
                    }
                    ChartEntry::Missing { title, reason } => {
                        let _ = writeln!(
                            h,
                            "<figure class=\"chart missing\" id=\"chart-{}\">\n<figcaption><h3>{}</h3>\
                             <p class=\"reason\"><strong>Not drawn:</strong> {}</p></figcaption>\n</figure>",
                            i + 1,
                            esc(title),
                            esc(reason)
                        );
                    }
                }
            }
            h.push_str("</div>\n");
        }
        h.push_str("</section>\n");
    }

    fn tables_section(&self, h: &mut String) {
        h.push_str("<section id=\"tables\" aria-labelledby=\"tables-h\">\n<h2 id=\"tables-h\">Tables</h2>\n");
        if self.tables.is_empty() {
            h.push_str("<p class=\"empty\">No tables.</p>\n");
        }
        if let Some(book) = &self.workbook {
            let _ = writeln!(
                h,
                "<p class=\"meta\">Every table in one Excel workbook, a sheet each: \
                 <a href=\"{}\" download>{}</a></p>",
                esc(&url_path(book)),
                esc(book)
            );
        }
        for (i, t) in self.tables.iter().enumerate() {
            let id = format!("table-{}", i + 1);
            let shown = t.rows.len() as u64;
            let extent = if shown >= t.total_rows {
                format!(
                    "All {} {}",
                    thousands(t.total_rows),
                    if t.total_rows == 1 { "row" } else { "rows" }
                )
            } else {
                format!(
                    "First {} of {} rows",
                    thousands(shown),
                    thousands(t.total_rows)
                )
            };
            let file = esc(&url_path(&t.file));
            let _ = write!(
                h,
                "<article class=\"table-card\" id=\"{id}\">\n<div class=\"table-head\">\n<div>\n<h3>{}</h3>\n\
                 <p class=\"meta\">{extent} \u{00b7} <a href=\"{file}\" download>{}</a> \
                 <span class=\"shown\" aria-live=\"polite\"></span></p>\n</div>\n\
                 <input type=\"search\" class=\"filter\" placeholder=\"Filter rows\u{2026}\" \
                 aria-label=\"Filter {}\" aria-controls=\"{id}-data\">\n</div>\n",
                esc(&t.name),
                esc(&t.file),
                esc(&t.name)
            );
            let width = t.columns.len();
            let numeric: Vec<bool> = (0..width).map(|c| column_is_numeric(&t.rows, c)).collect();
            let _ = write!(
                h,
                "<div class=\"scroll\">\n<table class=\"data\" id=\"{id}-data\">\n<thead><tr>"
            );
            for (c, name) in t.columns.iter().enumerate() {
                let (kind, class) = if numeric[c] {
                    ("num", " class=\"num\"")
                } else {
                    ("text", "")
                };
                let _ = write!(
                    h,
                    "<th scope=\"col\" data-type=\"{kind}\"{class}><button type=\"button\">{}</button></th>",
                    esc(name)
                );
            }
            h.push_str("</tr></thead>\n<tbody>\n");
            for row in &t.rows {
                h.push_str("<tr>");
                for c in 0..width.max(row.len()) {
                    let cell = row.get(c).map(String::as_str).unwrap_or("");
                    if numeric.get(c).copied().unwrap_or(false) {
                        let _ = write!(h, "<td class=\"num\">{}</td>", esc(cell));
                    } else {
                        let _ = write!(h, "<td>{}</td>", esc(cell));
                    }
                }
                h.push_str("</tr>\n");
            }
            h.push_str("</tbody>\n</table>\n</div>\n</article>\n");
        }
        h.push_str("</section>\n");
    }

    fn settings_section(&self, h: &mut String) {
        h.push_str("<section id=\"settings\" aria-labelledby=\"settings-h\">\n<h2 id=\"settings-h\">Settings</h2>\n");
        if self.settings.is_empty() {
            h.push_str("<p class=\"empty\">No settings recorded.</p>\n");
        } else {
            h.push_str("<dl class=\"settings\">\n");
            for (k, v) in &self.settings {
                let _ = writeln!(h, "<dt>{}</dt><dd>{}</dd>", esc(k), esc(v));
            }
            h.push_str("</dl>\n");
        }
        h.push_str("</section>\n");
    }

    fn warnings_section(&self, h: &mut String) {
        h.push_str("<section id=\"warnings\" aria-labelledby=\"warnings-h\">\n<h2 id=\"warnings-h\">Warnings</h2>\n");
        if self.warnings.is_empty() {
            h.push_str("<p class=\"empty\">No warnings.</p>\n");
        } else {
            h.push_str("<ul class=\"warnings\">\n");
            for w in &self.warnings {
                let _ = writeln!(h, "<li>{}</li>", esc(w));
            }
            h.push_str("</ul>\n");
        }
        h.push_str("</section>\n");
    }
}

/// A column is numeric when it has at least one value and every non-empty
/// value is a plain number.
fn column_is_numeric(rows: &[Vec<String>], c: usize) -> bool {
    let mut any = false;
    for row in rows {
        let cell = row.get(c).map(|s| s.trim()).unwrap_or("");
        if cell.is_empty() {
            continue;
        }
        if !is_plain_number(cell) {
            return false;
        }
        any = true;
    }
    any
}

/// Escapes text for HTML content and quoted attribute values.
pub(crate) fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\0' => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    out
}

/// Turns a relative file path into a relative URL: backslashes become
/// slashes and every byte outside `A-Z a-z 0-9 / . _ ~ -` is percent-encoded,
/// so a path can never become a `javascript:` or `http:` URL; a leading `/`
/// is dropped so it stays relative to the page.
pub(crate) fn url_path(path: &str) -> String {
    let normalized = path.replace('\\', "/");
    let trimmed = normalized.trim_start_matches('/');
    let mut out = String::with_capacity(trimmed.len());
    for b in trimmed.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'/' | b'.' | b'_' | b'~' | b'-') {
            out.push(b as char);
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

fn css() -> String {
    CSS_TEMPLATE
        .replace("@INK@", &hex(INK))
        .replace("@MUTED@", &hex(MUTED))
        .replace("@POS@", &hex(POSITIVE))
        .replace("@NEG@", &hex(NEGATIVE))
        .replace("@COUNT@", &hex(COUNT))
}

const CSS_TEMPLATE: &str = r##":root {
  --ink: @INK@; --muted: @MUTED@; --pos: @POS@; --neg: @NEG@; --count: @COUNT@;
  --bg: #f5f6f8; --paper: #ffffff; --line: #e3e7ec; --soft: #eef1f4;
  --radius: 10px; --shadow: 0 1px 2px rgba(16,24,40,.06), 0 1px 3px rgba(16,24,40,.08);
  --sans: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Noto Sans", sans-serif;
  --mono: ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace;
}
* { box-sizing: border-box; }
html { scroll-behavior: smooth; scroll-padding-top: 64px; }
body { margin: 0; background: var(--bg); color: var(--ink); font: 16px/1.55 var(--sans);
  -webkit-font-smoothing: antialiased; text-rendering: optimizeLegibility; }
.wrap { max-width: 1320px; margin: 0 auto; padding: 0 clamp(16px, 3vw, 40px); }
a { color: var(--pos); text-decoration-thickness: 1px; text-underline-offset: 2px; }
code { font-family: var(--mono); font-size: .9em; }
.masthead { background: var(--paper); border-bottom: 1px solid var(--line); padding: 28px 0 20px; }
.masthead h1 { margin: 0; font-size: clamp(1.6rem, 2.6vw, 2.2rem); line-height: 1.2; letter-spacing: -.01em; }
.subtitle { margin: 6px 0 0; color: var(--muted); }
nav.sections { position: sticky; top: 0; z-index: 10; background: rgba(255,255,255,.92);
  -webkit-backdrop-filter: saturate(180%) blur(8px); backdrop-filter: saturate(180%) blur(8px);
  border-bottom: 1px solid var(--line); }
nav.sections .wrap { display: flex; gap: 4px; overflow-x: auto; scrollbar-width: none; }
nav.sections a { display: inline-flex; align-items: center; gap: 6px; padding: 12px 14px; color: var(--muted);
  text-decoration: none; font-weight: 500; white-space: nowrap; border-bottom: 2px solid transparent; }
nav.sections a:hover { color: var(--ink); }
nav.sections a.active { color: var(--ink); border-bottom-color: var(--ink); }
.count { background: var(--soft); color: var(--muted); border-radius: 999px; padding: 0 8px; font-size: .8em;
  font-variant-numeric: tabular-nums; }
.count.alert { background: #fdecdf; color: var(--neg); }
main { padding-bottom: 40px; }
section { padding-top: 36px; }
h2 { font-size: 1.35rem; margin: 0 0 16px; letter-spacing: -.005em; }
h3 { font-size: 1.05rem; margin: 0 0 10px; }
.empty { color: var(--muted); font-style: italic; }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(200px, 1fr)); gap: 14px; }
.card { background: var(--paper); border-radius: var(--radius); box-shadow: var(--shadow); padding: 16px 18px; }
.card .value { font-size: clamp(1.2rem, 2.2vw, 1.75rem); font-weight: 650; line-height: 1.15;
  font-variant-numeric: tabular-nums; overflow-wrap: anywhere; }
.card .label { color: var(--muted); font-size: .9rem; margin-top: 4px; }
.chart-grid { display: grid; grid-template-columns: 1fr; gap: 22px; }
@media (min-width: 1500px) { .chart-grid { grid-template-columns: 1fr 1fr; } }
figure.chart { margin: 0; background: var(--paper); border-radius: var(--radius); box-shadow: var(--shadow);
  padding: 18px 20px 20px; }
figure.chart figcaption { margin-bottom: 12px; }
figure.chart figcaption h3 { margin: 0; }
figure.chart figcaption p { margin: 4px 0 0; color: var(--muted); font-size: .95rem; }
figure.chart a.zoom { display: block; max-width: 1200px; margin: 0 auto; cursor: zoom-in; }
figure.chart img { display: block; width: 100%; height: auto; }
figure.missing { border: 2px dashed #d5dbe2; box-shadow: none; background: transparent; }
figure.missing figcaption { margin: 0; }
figure.missing .reason { color: var(--muted); }
.table-card { background: var(--paper); border-radius: var(--radius); box-shadow: var(--shadow); margin-bottom: 22px;
  overflow: hidden; }
.table-head { display: flex; flex-wrap: wrap; gap: 12px; align-items: flex-end; justify-content: space-between;
  padding: 16px 18px 12px; border-bottom: 1px solid var(--line); }
.table-head h3 { margin: 0; }
.meta { margin: 2px 0 0; color: var(--muted); font-size: .9rem; }
.filter { font: inherit; font-size: .95rem; padding: 7px 12px; border: 1px solid #cfd5dc; border-radius: 8px;
  min-width: min(100%, 260px); background: var(--paper); color: var(--ink); }
.filter:focus { outline: 2px solid var(--pos); outline-offset: 1px; border-color: transparent; }
.scroll { overflow: auto; max-height: 560px; }
table.data { border-collapse: separate; border-spacing: 0; width: 100%; font-size: .92rem; }
table.data th, table.data td { padding: 7px 14px; text-align: left; border-bottom: 1px solid var(--soft);
  white-space: nowrap; max-width: 420px; overflow: hidden; text-overflow: ellipsis; }
table.data th.num, table.data td.num { text-align: right; font-variant-numeric: tabular-nums; }
table.data thead th { position: sticky; top: 0; background: #f9fafb; border-bottom: 1px solid var(--line); z-index: 1; }
table.data th button { all: unset; cursor: pointer; font-weight: 600; color: var(--ink); }
table.data th button:focus-visible { outline: 2px solid var(--pos); outline-offset: 2px; }
table.data th button::after { content: "\2195"; color: #b3bcc6; margin-left: 6px; font-weight: 400; }
table.data th[aria-sort="ascending"] button::after { content: "\2191"; color: var(--ink); }
table.data th[aria-sort="descending"] button::after { content: "\2193"; color: var(--ink); }
table.data tbody tr:hover td { background: #f7f9fb; }
dl.settings { display: grid; grid-template-columns: max-content 1fr; gap: 8px 24px; background: var(--paper);
  border-radius: var(--radius); box-shadow: var(--shadow); padding: 18px; margin: 0; }
dl.settings dt { color: var(--muted); }
dl.settings dd { margin: 0; font-family: var(--mono); font-size: .92rem; overflow-wrap: anywhere; }
ul.warnings { background: #fff8f3; border: 1px solid #f6d3bb; border-radius: var(--radius); padding: 14px 18px 14px 38px;
  margin: 0; }
ul.warnings li { margin: 4px 0; }
footer { color: var(--muted); font-size: .88rem; padding-top: 8px; padding-bottom: 40px; }
@media (max-width: 640px) {
  figure.chart { padding: 14px 12px; }
  .table-head { padding: 14px 12px 10px; }
  dl.settings { grid-template-columns: 1fr; }
  dl.settings dd { margin-bottom: 8px; }
  .card .value { font-size: 1.4rem; }
}
@media print {
  nav.sections { display: none; }
  body { background: #fff; }
  .scroll { max-height: none; overflow: visible; }
  figure.chart, .table-card { box-shadow: none; border: 1px solid var(--line); break-inside: avoid; }
}
"##;

const SCRIPT: &str = r##"(function () {
  "use strict";
  function toNumber(text) {
    var t = text.replace(/,/g, "").trim();
    return t === "" ? NaN : Number(t);
  }
  document.querySelectorAll("article.table-card").forEach(function (card) {
    var table = card.querySelector("table.data");
    if (!table || !table.tHead || !table.tBodies.length) { return; }
    var body = table.tBodies[0];
    var heads = Array.prototype.slice.call(table.tHead.rows[0].cells);
    heads.forEach(function (th, col) {
      var button = th.querySelector("button");
      if (!button) { return; }
      button.addEventListener("click", function () {
        var numeric = th.getAttribute("data-type") === "num";
        var current = th.getAttribute("aria-sort");
        var dir;
        if (current === "ascending") { dir = -1; }
        else if (current === "descending") { dir = 1; }
        else { dir = numeric ? -1 : 1; }
        heads.forEach(function (h) { h.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", dir === 1 ? "ascending" : "descending");
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          var x = a.cells[col] ? a.cells[col].textContent : "";
          var y = b.cells[col] ? b.cells[col].textContent : "";
          if (numeric) {
            var p = toNumber(x), q = toNumber(y);
            if (isNaN(p) && isNaN(q)) { return 0; }
            if (isNaN(p)) { return 1; }
            if (isNaN(q)) { return -1; }
            return (p - q) * dir;
          }
          return x.localeCompare(y, undefined, { numeric: true, sensitivity: "base" }) * dir;
        });
        rows.forEach(function (r) { body.appendChild(r); });
      });
    });
    var filter = card.querySelector("input.filter");
    var shown = card.querySelector(".shown");
    if (filter) {
      filter.addEventListener("input", function () {
        var q = filter.value.trim().toLowerCase();
        var visible = 0, total = body.rows.length;
        Array.prototype.forEach.call(body.rows, function (r) {
          // Cell by cell: the row's whole text would also match across
          // the boundary of two cells ("city" + "52" for "y52").
          var hit = q === "" || Array.prototype.some.call(r.cells, function (cell) {
            return cell.textContent.toLowerCase().indexOf(q) !== -1;
          });
          r.hidden = !hit;
          if (hit) { visible += 1; }
        });
        if (shown) { shown.textContent = q === "" ? "" : "\u00b7 " + visible + " of " + total + " shown"; }
      });
    }
  });
  var links = Array.prototype.slice.call(document.querySelectorAll("nav.sections a"));
  if ("IntersectionObserver" in window) {
    var observer = new IntersectionObserver(function (entries) {
      entries.forEach(function (e) {
        if (!e.isIntersecting) { return; }
        links.forEach(function (a) {
          a.classList.toggle("active", a.getAttribute("href") === "#" + e.target.id);
        });
      });
    }, { rootMargin: "-45% 0px -50% 0px" });
    document.querySelectorAll("main section[id]").forEach(function (s) { observer.observe(s); });
  }
})();
"##;

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Dashboard {
        Dashboard {
            title: "News corpus".into(),
            subtitle: "12 files, 2024-01-01 to 2024-06-30".into(),
            headline: vec![
                ("Documents".into(), "1,204".into()),
                ("Tokens".into(), "725,055".into()),
                ("Mean sentiment (VADER)".into(), "0.041".into()),
            ],
            charts: vec![
                ChartEntry::Chart {
                    title: "Top terms".into(),
                    caption: "The 20 most frequent words, stop words removed.".into(),
                    image: "charts/top_terms.png".into(),
                },
                ChartEntry::Missing {
                    title: "Sentiment over time".into(),
                    reason: "no document has a date (use --date-col)".into(),
                },
                ChartEntry::Chart {
                    title: "Zipf".into(),
                    caption: String::new(),
                    image: "charts/zipf.svg".into(),
                },
            ],
            tables: vec![
                TablePreview {
                    name: "Terms".into(),
                    file: "terms.csv".into(),
                    columns: vec!["term".into(), "count".into(), "per_million".into()],
                    rows: vec![
                        vec!["said".into(), "48211".into(), "66493.6".into()],
                        vec!["people".into(), "12873".into(), "17754.2".into()],
                    ],
                    total_rows: 9_876,
                },
                TablePreview {
                    name: "Documents".into(),
                    file: "documents.csv".into(),
                    columns: vec!["doc_id".into(), "source".into(), "tokens".into()],
                    rows: vec![
                        vec!["a.txt".into(), "BBC".into(), "".into()],
                        vec!["b.txt".into(), "-".into(), "-12.5".into()],
                    ],
                    total_rows: 2,
                },
            ],
            workbook: Some("report.xlsx".into()),
            settings: vec![
                ("stopwords".into(), "tidytext".into()),
                ("lexicon".into(), "vader".into()),
            ],
            warnings: vec!["data/bad.txt: not valid UTF-8, decoded as Windows-1252".into()],
        }
    }

    fn count(haystack: &str, needle: &str) -> usize {
        haystack.matches(needle).count()
    }

    #[test]
    fn structure_has_every_section_and_one_image_per_chart() {
        let html = sample().to_html();
        assert!(html.starts_with("<!DOCTYPE html>"));
        for id in ["overview", "charts", "tables", "settings", "warnings"] {
            assert_eq!(count(&html, &format!("<section id=\"{id}\"")), 1, "{id}");
            assert_eq!(
                count(&html, &format!("<a href=\"#{id}\">")),
                1,
                "nav link to {id}"
            );
        }
        assert_eq!(count(&html, "<img "), 2);
        assert_eq!(count(&html, "<img src=\"charts/top_terms.png\""), 1);
        assert_eq!(count(&html, "<figure class=\"chart missing\""), 1);
        assert!(
            html.contains("<strong>Not drawn:</strong> no document has a date (use --date-col)")
        );
        assert_eq!(count(&html, "<table class=\"data\""), 2);
        assert_eq!(count(&html, "<input type=\"search\" class=\"filter\""), 2);
        assert_eq!(count(&html, "<div class=\"card\">"), 3);
        assert!(html.contains("<a href=\"terms.csv\" download>terms.csv</a>"));
        assert!(html.contains("<a href=\"report.xlsx\" download>report.xlsx</a>"));
        assert!(html.contains("First 2 of 9,876 rows"));
        assert!(html.contains("All 2 rows"));
        assert!(html.contains("<dt>stopwords</dt><dd>tidytext</dd>"));
        assert_eq!(count(&html, "<li>"), 1);
        assert!(html.contains("Warnings <span class=\"count alert\">1</span>"));
        assert!(html.contains("Charts <span class=\"count\">2</span>"));
        // Inline style and script, closed once each.
        assert_eq!(count(&html, "<style>"), 1);
        assert_eq!(count(&html, "<script>"), 1);
        assert_eq!(count(&html, "</script>"), 1);
        assert!(html.trim_end().ends_with("</html>"));
    }

    #[test]
    fn numeric_columns_are_marked_for_numeric_sorting() {
        let html = sample().to_html();
        assert!(html.contains(
            "<th scope=\"col\" data-type=\"text\"><button type=\"button\">term</button></th>"
        ));
        assert!(html.contains("<th scope=\"col\" data-type=\"num\" class=\"num\"><button type=\"button\">count</button></th>"));
        assert!(html.contains("<td class=\"num\">48211</td>"));
        // "-" is not a number, so source stays text; "" and "-12.5" keep tokens numeric.
        assert!(html.contains("data-type=\"text\"><button type=\"button\">source</button>"));
        assert!(html
            .contains("data-type=\"num\" class=\"num\"><button type=\"button\">tokens</button>"));
    }

    #[test]
    fn every_text_is_escaped() {
        let evil = "<script>alert(1)</script>";
        let mut d = sample();
        d.title = evil.into();
        d.subtitle = evil.into();
        d.headline.push((evil.into(), evil.into()));
        d.charts.push(ChartEntry::Chart {
            title: evil.into(),
            caption: evil.into(),
            image: "charts/\"><script>alert(1)</script>.png".into(),
        });
        d.charts.push(ChartEntry::Missing {
            title: evil.into(),
            reason: evil.into(),
        });
        d.tables[0].name = evil.into();
        d.tables[0].file = evil.into();
        d.tables[0].columns[0] = evil.into();
        d.tables[0].rows[0][0] = evil.into();
        d.settings.push((evil.into(), evil.into()));
        d.warnings.push(evil.into());
        let html = d.to_html();
        // The only <script> tag is the page's own.
        assert_eq!(count(&html, "<script"), 1);
        assert_eq!(count(&html, "alert(1)</script>"), 0);
        assert!(count(&html, "&lt;script&gt;alert(1)&lt;/script&gt;") >= 12);
        assert!(!html.contains("\"><script"));
    }

    #[test]
    fn no_network_references_even_from_hostile_paths() {
        let mut d = sample();
        d.charts.push(ChartEntry::Chart {
            title: "x".into(),
            caption: "see https://example.org".into(),
            image: "https://example.org/tracker.png".into(),
        });
        d.charts.push(ChartEntry::Chart {
            title: "y".into(),
            caption: String::new(),
            image: "//example.org/x.png".into(),
        });
        d.tables[0].file = "javascript:alert(1)".into();
        let html = d.to_html();
        // Captions may mention an address as text, but no attribute points
        // anywhere: no scheme (no colon at all) and no protocol-relative "//".
        let mut links = 0;
        for attr in ["src=\"", "href=\""] {
            for (i, _) in html.match_indices(attr) {
                let rest = &html[i + attr.len()..];
                let value = &rest[..rest.find('"').unwrap()];
                links += 1;
                if value.starts_with('#') {
                    continue;
                }
                assert!(!value.contains(':'), "{value}");
                assert!(!value.starts_with("//"), "{value}");
            }
        }
        assert!(links >= 8);
        assert!(html.contains("src=\"https%3A//example.org/tracker.png\""));
        assert!(html.contains("src=\"example.org/x.png\""));
        let without_caption = html.replace("see https://example.org", "");
        assert!(!without_caption.contains("http://") && !without_caption.contains("https://"));
        assert!(!sample().to_html().contains("http"));
    }

    #[test]
    fn url_paths_keep_relative_paths_readable() {
        assert_eq!(url_path("charts/top_terms.png"), "charts/top_terms.png");
        assert_eq!(url_path("charts\\a b.png"), "charts/a%20b.png");
        assert_eq!(url_path("/etc/x.csv"), "etc/x.csv");
        assert_eq!(url_path("ü.csv"), "%C3%BC.csv");
    }

    #[test]
    fn empty_dashboard_still_has_all_sections() {
        let html = Dashboard::default().to_html();
        assert!(html.contains("<title>Lexiscope report</title>"));
        for text in [
            "No headline figures.",
            "No charts.",
            "No tables.",
            "No settings recorded.",
            "No warnings.",
        ] {
            assert!(html.contains(text), "{text}");
        }
        assert_eq!(count(&html, "<img "), 0);
    }

    #[test]
    fn previews_read_back_what_the_table_writer_wrote() {
        use crate::{Cell, CsvOptions, TableWriter};
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("terms.csv");
        let mut t = TableWriter::create(&path, &["term", "count"], &CsvOptions::default()).unwrap();
        for i in 0..50u64 {
            let term = if i == 1 {
                "=evil, \"quoted\"".to_string()
            } else {
                format!("t{i}")
            };
            t.write_row(&[Cell::Str(&term), Cell::UInt(100 - i)])
                .unwrap();
        }
        t.finish().unwrap();
        let p = TablePreview::from_csv("Terms", &path, "terms.csv", 10).unwrap();
        assert_eq!(p.columns, vec!["term", "count"]);
        assert_eq!(p.rows.len(), 10);
        assert_eq!(p.total_rows, 50);
        assert_eq!(p.rows[1], vec!["'=evil, \"quoted\"", "99"]);
        let err = TablePreview::from_csv("X", dir.path().join("missing.csv"), "missing.csv", 10)
            .unwrap_err();
        assert!(err.to_string().contains("missing.csv"));
        // With the row count known, the same head and that count.
        let head = TablePreview::from_csv_head("Terms", &path, "terms.csv", 10, 50).unwrap();
        assert_eq!(head, p);
    }

    #[test]
    fn previews_of_tables_with_a_byte_order_mark() {
        use crate::{Cell, CsvOptions, TableWriter};
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("terms.csv");
        let opts = CsvOptions {
            bom: true,
            ..CsvOptions::default()
        };
        let mut t = TableWriter::create(&path, &["term", "count"], &opts).unwrap();
        t.write_row(&[Cell::Str("café"), Cell::UInt(3)]).unwrap();
        t.finish().unwrap();
        assert!(std::fs::read(&path)
            .unwrap()
            .starts_with(b"\xEF\xBB\xBFterm"));
        let p = TablePreview::from_csv("Terms", &path, "terms.csv", 10).unwrap();
        // The mark is not glued to the first column's name.
        assert_eq!(p.columns, vec!["term", "count"]);
        assert_eq!(p.rows, vec![vec!["café".to_string(), "3".to_string()]]);
    }

    #[test]
    fn chart_entries_from_outcomes() {
        let dir = Path::new("/out");
        let ok: Result<Vec<PathBuf>, ReportError> = Ok(vec![
            PathBuf::from("/out/charts/a.svg"),
            PathBuf::from("/out/charts/a.png"),
        ]);
        assert_eq!(
            ChartEntry::from_outcome("A", "cap", &ok, dir),
            ChartEntry::Chart {
                title: "A".into(),
                caption: "cap".into(),
                image: "charts/a.png".into()
            }
        );
        let missing: Result<Vec<PathBuf>, ReportError> =
            Err(ReportError::no_data("Over time", "no document has a date"));
        assert_eq!(
            ChartEntry::from_outcome("Over time", "", &missing, dir),
            ChartEntry::Missing {
                title: "Over time".into(),
                reason: "no document has a date".into()
            }
        );
    }

    #[test]
    fn write_is_atomic_and_complete() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("index.html");
        sample().write(&path).unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        assert_eq!(text, sample().to_html());
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }
}
