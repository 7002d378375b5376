//! Charts: one function per kind, plain inputs, PNG and/or SVG files out.
//!
//! Every function takes the output path without extension (`charts/top_terms`)
//! and the formats, writes `charts/top_terms.png` / `.svg` atomically and
//! returns the paths written. Input that leaves nothing to draw gives
//! [`ReportError::NoData`] (see [`ReportError::missing_reason`]) and writes
//! nothing. Labels are cleaned to one line and cut with `…` where too long;
//! non-finite values are left out and the chart says so under its title.

mod axis;
mod bars;
mod canvas;
mod dist;
mod glyphs;
mod lines;
mod render;
mod theme;

use std::path::{Path, PathBuf};

pub use dist::GroupStyle;
pub use lines::LogLogFit;
pub use render::ChartFormat;

pub(crate) use render::Chart;
pub(crate) use theme::{hex, COUNT, INK, MUTED, NEGATIVE, POSITIVE};

use crate::error::ReportError;
use crate::format::{format_number, one_line, thousands};
use axis::count_phrase;
use bars::{clean_name, prepare_bars, MAX_BARS, MAX_PANELS, MAX_PANEL_BARS};

/// The texts around a chart. An empty axis label is simply not drawn.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ChartText<'a> {
    /// Title at the top left.
    pub title: &'a str,
    /// Horizontal axis title.
    pub x_label: &'a str,
    /// Vertical axis title.
    pub y_label: &'a str,
}

impl<'a> ChartText<'a> {
    /// All three texts at once.
    pub fn new(title: &'a str, x_label: &'a str, y_label: &'a str) -> Self {
        ChartText {
            title,
            x_label,
            y_label,
        }
    }
}

fn title_of(text: &ChartText<'_>) -> String {
    one_line(text.title)
}

/// Horizontal bars in the order given, first at the top (top terms, top
/// bigrams, emotion counts). Each bar carries its value at its end (whole
/// numbers with thousands separators). When some values are negative, bars
/// are coloured by sign. At most 40 bars are drawn; the chart notes any
/// left out.
pub fn bar_chart<S: AsRef<str>>(
    stem: &Path,
    formats: &[ChartFormat],
    text: &ChartText<'_>,
    bars: &[(S, f64)],
) -> Result<Vec<PathBuf>, ReportError> {
    let title = title_of(text);
    let (items, notes) = prepare_bars(bars, MAX_BARS, ("bar", "bars"));
    if items.is_empty() {
        return Err(ReportError::no_data(&title, "there are no values to show"));
    }
    let chart = bars::BarChart {
        title,
        x_label: one_line(text.x_label),
        y_label: one_line(text.y_label),
        items,
        notes,
    };
    render::render(&chart, stem, formats)
}

/// Diverging horizontal bars for signed contributions (words that push
/// sentiment up or down): positive values go right in the positive colour,
/// negative values left in the negative colour, each word beside the zero
/// line on the side away from its bar. Bars are sorted by value, largest
/// positive at the top, most negative at the bottom (ties by word). At most
/// 40 bars are drawn.
pub fn diverging_bars<S: AsRef<str>>(
    stem: &Path,
    formats: &[ChartFormat],
    text: &ChartText<'_>,
    words: &[(S, f64)],
) -> Result<Vec<PathBuf>, ReportError> {
    let title = title_of(text);
    let mut sorted: Vec<(&str, f64)> = words.iter().map(|(w, v)| (w.as_ref(), *v)).collect();
    sorted.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(b.0)));
    // NaN sorts first or last under total_cmp; prepare_bars drops it.
    let (items, notes) = prepare_bars(&sorted, MAX_BARS, ("word", "words"));
    if items.is_empty() {
        return Err(ReportError::no_data(
            &title,
            "no word has a contribution to show",
        ));
    }
    let chart = bars::DivergingChart {
        title,
        x_label: one_line(text.x_label),
        items,
        notes,
    };
    render::render(&chart, stem, formats)
}

/// One panel of [`small_multiples`]: a title and its bars, in order.
#[derive(Debug, Clone, PartialEq)]
pub struct Panel {
    /// Panel title (a group name).
    pub title: String,
    /// (label, value) bars, drawn top to bottom in this order.
    pub bars: Vec<(String, f64)>,
}

/// A grid of small horizontal bar charts, one panel per group with its own
/// title and scale (top tf-idf terms per group). One to four columns; the
/// image grows taller than 800 pixels when the panels need it. At most 24
/// panels of at most 15 bars are drawn; the chart notes what was left out.
pub fn small_multiples(
    stem: &Path,
    formats: &[ChartFormat],
    title: &str,
    x_label: &str,
    panels: &[Panel],
) -> Result<Vec<PathBuf>, ReportError> {
    let title = one_line(title);
    let mut notes = Vec::new();
    let mut kept: Vec<(String, Vec<(String, f64)>)> = Vec::new();
    let mut cut_bars = false;
    for p in panels.iter().take(MAX_PANELS) {
        let (mut items, _) = prepare_bars(&p.bars, usize::MAX, ("bar", "bars"));
        if items.len() > MAX_PANEL_BARS {
            items.truncate(MAX_PANEL_BARS);
            cut_bars = true;
        }
        kept.push((clean_name(&p.title), items));
    }
    if kept.iter().all(|(_, b)| b.is_empty()) {
        return Err(ReportError::no_data(&title, "no group has values to show"));
    }
    if panels.len() > MAX_PANELS {
        notes.push(format!(
            "Showing the first {MAX_PANELS} of {} groups.",
            thousands(panels.len() as u64)
        ));
    }
    if cut_bars {
        notes.push(format!("Showing at most {MAX_PANEL_BARS} bars per group."));
    }
    let chart = bars::SmallMultiples {
        title,
        x_label: one_line(x_label),
        panels: kept,
        notes,
    };
    render::render(&chart, stem, formats)
}

/// Options of [`histogram`].
#[derive(Debug, Clone, PartialEq)]
pub struct HistogramOptions {
    /// Number of bins (at least 1; default 30).
    pub bins: usize,
    /// Range of the bins; `None` takes the data's minimum and maximum.
    /// Values outside are left out and the chart says how many.
    pub range: Option<(f64, f64)>,
    /// Log-scaled x axis with bins of equal width in log10 (for lengths);
    /// values ≤ 0 are left out.
    pub log_x: bool,
    /// Colour bins by the sign of their values (negative, the bin holding 0,
    /// positive), for sentiment scores. With an even bin count over a
    /// symmetric range, 0 starts the bin just right of the middle.
    pub color_by_sign: bool,
    /// Vertical reference lines with their legend labels, e.g.
    /// `("Mean", 0.12)`; the legend shows the value.
    pub markers: Vec<(String, f64)>,
}

impl Default for HistogramOptions {
    fn default() -> Self {
        HistogramOptions {
            bins: 30,
            range: None,
            log_x: false,
            color_by_sign: false,
            markers: Vec::new(),
        }
    }
}

/// A histogram of `values` (sentiment distribution, document lengths).
pub fn histogram(
    stem: &Path,
    formats: &[ChartFormat],
    text: &ChartText<'_>,
    values: &[f64],
    opts: &HistogramOptions,
) -> Result<Vec<PathBuf>, ReportError> {
    let title = title_of(text);
    if opts.bins == 0 {
        return Err(ReportError::invalid(
            &title,
            "a histogram needs at least one bin",
        ));
    }
    if opts.bins > 10_000 {
        return Err(ReportError::invalid(
            &title,
            "more than 10,000 bins cannot be drawn",
        ));
    }
    let usable: Vec<f64> = values
        .iter()
        .copied()
        .filter(|v| v.is_finite() && (!opts.log_x || *v > 0.0))
        .collect();
    let mut notes = Vec::new();
    let dropped = values.len() - usable.len();
    if usable.is_empty() {
        let reason = if values.is_empty() {
            "there are no values"
        } else if opts.log_x {
            "no value is a positive number (needed on a log scale)"
        } else {
            "no value is a finite number"
        };
        return Err(ReportError::no_data(&title, reason));
    }
    let (lo, hi) = match opts.range {
        Some((a, b)) => {
            let ok = a.is_finite() && b.is_finite() && a < b && (!opts.log_x || a > 0.0);
            if !ok {
                return Err(ReportError::invalid(
                    &title,
                    format!("the histogram range {a}..{b} is not a valid interval"),
                ));
            }
            (a, b)
        }
        None => {
            let lo = usable.iter().copied().fold(f64::INFINITY, f64::min);
            let hi = usable.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            if hi > lo {
                (lo, hi)
            } else if opts.log_x {
                (lo / 2.0, hi * 2.0)
            } else {
                (lo - 0.5, hi + 0.5)
            }
        }
    };
    let edges = dist::bin_edges(lo, hi, opts.bins, opts.log_x);
    let (counts, outside) = dist::bin_counts(&usable, &edges, opts.log_x);
    if counts.iter().all(|c| *c == 0) {
        return Err(ReportError::no_data(
            &title,
            "every value lies outside the chosen range",
        ));
    }
    let total: u64 = counts.iter().sum();
    notes.push(format!(
        "{} in {} bins.",
        count_phrase(total as usize, "value", "values"),
        opts.bins
    ));
    if outside > 0 {
        notes.push(format!(
            "{} outside {} to {} not shown.",
            count_phrase(outside, "value", "values"),
            axis::minus(&format_number(lo)),
            axis::minus(&format_number(hi))
        ));
    }
    if dropped > 0 {
        let what = if opts.log_x {
            "not positive (log scale)"
        } else {
            "not a number"
        };
        notes.push(format!(
            "{} left out: {what}.",
            count_phrase(dropped, "value", "values")
        ));
    }
    let chart = dist::Histogram {
        title,
        x_label: one_line(text.x_label),
        y_label: one_line(text.y_label),
        edges,
        counts,
        log_x: opts.log_x,
        color_by_sign: opts.color_by_sign,
        markers: opts
            .markers
            .iter()
            .map(|(l, v)| (one_line(l), *v))
            .collect(),
        notes,
    };
    render::render(&chart, stem, formats)
}

/// Most groups drawn in [`group_distribution`].
const MAX_GROUPS: usize = 30;

/// The distribution of values per group, one row per group in the order
/// given, as box plots or mean ± sd, each labelled with its number of values
/// (`n = 1,234`): sentiment by source. `signed` colours each group by the
/// sign of its median (box plot) or mean, and always shows 0 on the axis.
/// Groups without finite values are left out with a note; at most 30 groups
/// are drawn.
pub fn group_distribution<S: AsRef<str>, V: AsRef<[f64]>>(
    stem: &Path,
    formats: &[ChartFormat],
    text: &ChartText<'_>,
    groups: &[(S, V)],
    style: GroupStyle,
    signed: bool,
) -> Result<Vec<PathBuf>, ReportError> {
    let title = title_of(text);
    let mut summaries = Vec::new();
    let mut empty = 0usize;
    for (name, values) in groups {
        match dist::summarize(clean_name(name.as_ref()), values.as_ref()) {
            Some(s) => summaries.push(s),
            None => empty += 1,
        }
    }
    if summaries.is_empty() {
        return Err(ReportError::no_data(&title, "no group has any value"));
    }
    let mut notes = vec![match style {
        GroupStyle::BoxPlot => "Box: middle 50% of values; thick line: median; diamond: mean; whiskers: up to 1.5 × IQR; circles: outliers.".to_string(),
        GroupStyle::MeanSd => "Dot: mean; bar: ± one standard deviation.".to_string(),
    }];
    if summaries.len() > MAX_GROUPS {
        notes.push(format!(
            "Showing the first {MAX_GROUPS} of {} groups.",
            thousands(summaries.len() as u64)
        ));
        summaries.truncate(MAX_GROUPS);
    }
    if empty > 0 {
        notes.push(format!(
            "{} without values left out.",
            count_phrase(empty, "group", "groups")
        ));
    }
    let chart = dist::GroupChart {
        title,
        x_label: one_line(text.x_label),
        groups: summaries,
        style,
        signed,
        notes,
    };
    render::render(&chart, stem, formats)
}

/// One period of [`time_series`].
#[derive(Debug, Clone, PartialEq)]
pub struct Period {
    /// What the x axis shows: a date, a week, a month (`2024-03`).
    pub label: String,
    /// The mean drawn as the line; NaN when the period has no value (the
    /// line is then broken there).
    pub mean: f64,
    /// The count drawn as bars on the right axis.
    pub count: u64,
}

/// A time series in the order given: the mean as a line with points
/// (coloured by sign) on the left axis and the count per period as light
/// bars on the right axis (sentiment over time with document counts).
/// Period labels are thinned so they never overlap. `text.y_label` names the
/// mean, `count_label` the count; both also appear in the legend.
pub fn time_series(
    stem: &Path,
    formats: &[ChartFormat],
    text: &ChartText<'_>,
    count_label: &str,
    periods: &[Period],
) -> Result<Vec<PathBuf>, ReportError> {
    let title = title_of(text);
    if periods.is_empty() {
        return Err(ReportError::no_data(&title, "there are no periods"));
    }
    if periods.iter().all(|p| !p.mean.is_finite() && p.count == 0) {
        return Err(ReportError::no_data(&title, "no period has any value"));
    }
    let chart = lines::TimeChart {
        title,
        x_label: one_line(text.x_label),
        y_label: one_line(text.y_label),
        count_label: one_line(count_label),
        periods: periods
            .iter()
            .map(|p| (bars::clean_name(&p.label), p.mean, p.count))
            .collect(),
        notes: Vec::new(),
    };
    render::render(&chart, stem, formats)
}

/// One line of [`line_chart`].
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    /// Legend text.
    pub name: String,
    /// (x, y) points, drawn in the order given; non-finite points are dropped.
    pub points: Vec<(f64, f64)>,
}

/// Options of [`line_chart`].
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct LineOptions {
    /// The x range; `None` takes the data's.
    pub x_range: Option<(f64, f64)>,
    /// Show x as percentages (0.25 as 25%), for positions in a document.
    pub x_percent: bool,
    /// Always include y = 0 and draw it as a dashed reference line.
    pub zero_line: bool,
}

impl LineOptions {
    /// The settings for sentiment arcs: x from 0 to 1 shown as percent, zero line.
    pub fn arcs() -> Self {
        LineOptions {
            x_range: Some((0.0, 1.0)),
            x_percent: true,
            zero_line: true,
        }
    }
}

/// Most lines drawn in one [`line_chart`].
const MAX_SERIES: usize = 9;

/// Several lines over a shared x axis with a legend (sentiment arcs: mean
/// sentiment by position in the document, one line per group). At most 9
/// lines (one per palette colour) are drawn; the chart notes any left out.
pub fn line_chart(
    stem: &Path,
    formats: &[ChartFormat],
    text: &ChartText<'_>,
    series: &[Series],
    opts: &LineOptions,
) -> Result<Vec<PathBuf>, ReportError> {
    let title = title_of(text);
    let mut kept: Vec<(String, Vec<(f64, f64)>)> = series
        .iter()
        .map(|s| {
            let pts = s
                .points
                .iter()
                .copied()
                .filter(|(x, y)| x.is_finite() && y.is_finite())
                .collect::<Vec<_>>();
            (clean_name(&s.name), pts)
        })
        .filter(|(_, p)| !p.is_empty())
        .collect();
    if kept.is_empty() {
        return Err(ReportError::no_data(&title, "no line has any point"));
    }
    let mut notes = Vec::new();
    if kept.len() > MAX_SERIES {
        notes.push(format!(
            "Showing the first {MAX_SERIES} of {} lines.",
            thousands(kept.len() as u64)
        ));
        kept.truncate(MAX_SERIES);
    }
    let x_range = match opts.x_range {
        Some((a, b)) if a.is_finite() && b.is_finite() && a < b => (a, b),
        Some((a, b)) => {
            return Err(ReportError::invalid(
                &title,
                format!("the x range {a}..{b} is not a valid interval"),
            ))
        }
        None => {
            let xs = kept.iter().flat_map(|s| s.1.iter().map(|p| p.0));
            let (a, b) = xs.fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), x| {
                (a.min(x), b.max(x))
            });
            if b > a {
                (a, b)
            } else {
                (a - 0.5, b + 0.5)
            }
        }
    };
    let chart = lines::LinesChart {
        title,
        x_label: one_line(text.x_label),
        y_label: one_line(text.y_label),
        series: kept,
        x_range,
        x_percent: opts.x_percent,
        zero_line: opts.zero_line,
        notes,
    };
    render::render(&chart, stem, formats)
}

/// Zipf's rank-frequency plot on log-log axes: one dot per rank (the
/// frequencies are sorted, largest first, so order does not matter; zeros
/// are ignored) and the straight line `fit`, or when `None` the least-squares
/// line over all ranks; the legend shows its equation and R².
pub fn zipf_chart(
    stem: &Path,
    formats: &[ChartFormat],
    text: &ChartText<'_>,
    frequencies: &[u64],
    fit: Option<&LogLogFit>,
) -> Result<Vec<PathBuf>, ReportError> {
    let title = title_of(text);
    let mut freqs: Vec<u64> = frequencies.iter().copied().filter(|f| *f > 0).collect();
    if freqs.is_empty() {
        return Err(ReportError::no_data(
            &title,
            "there are no term frequencies",
        ));
    }
    freqs.sort_unstable_by(|a, b| b.cmp(a));
    let points: Vec<(f64, f64)> = freqs
        .iter()
        .enumerate()
        .map(|(i, f)| ((i + 1) as f64, *f as f64))
        .collect();
    let fit = match fit {
        Some(f) if f.slope.is_finite() && f.intercept.is_finite() => Some(*f),
        Some(_) => None,
        None => LogLogFit::least_squares(&points),
    };
    let notes = vec![format!(
        "{} ranked by frequency; both axes logarithmic.",
        count_phrase(points.len(), "term", "terms")
    )];
    let chart = lines::ZipfChart {
        title,
        x_label: one_line(text.x_label),
        y_label: one_line(text.y_label),
        points,
        fit,
        notes,
    };
    render::render(&chart, stem, formats)
}

#[cfg(test)]
mod tests {
    use super::*;

    const BOTH: [ChartFormat; 2] = [ChartFormat::Png, ChartFormat::Svg];

    /// Checks the files of one chart: a real PNG of the expected size and an
    /// SVG that carries the title (escaped as XML text).
    fn check(files: &[PathBuf], title: &str, height: u32) {
        assert_eq!(files.len(), 2, "{files:?}");
        let png = std::fs::read(&files[0]).unwrap();
        assert!(files[0].extension().is_some_and(|e| e == "png"));
        assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
        assert!(
            png.len() > 10_000,
            "suspiciously small PNG: {} bytes",
            png.len()
        );
        let w = u32::from_be_bytes([png[16], png[17], png[18], png[19]]);
        let h = u32::from_be_bytes([png[20], png[21], png[22], png[23]]);
        assert_eq!((w, h), (1200, height));
        // Not a blank canvas: plenty of distinct colours after decoding.
        let decoder = png::Decoder::new(std::io::Cursor::new(&png));
        let mut reader = decoder.read_info().unwrap();
        let mut buf = vec![0; reader.output_buffer_size()];
        reader.next_frame(&mut buf).unwrap();
        let non_white = buf.chunks(3).filter(|p| p != &[255, 255, 255]).count();
        assert!(non_white > 10_000, "only {non_white} non-white pixels");

        let svg = std::fs::read_to_string(&files[1]).unwrap();
        assert!(svg.starts_with("<svg"));
        assert!(svg.trim_end().ends_with("</svg>"));
        assert!(svg.contains(&format!("viewBox=\"0 0 1200 {height}\"")));
        let escaped = title
            .replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;");
        assert!(svg.contains(&escaped), "title {title:?} missing from SVG");
        assert!(svg.contains("font-family=\"DejaVu Sans, Verdana, sans-serif\""));
    }

    fn names(dir: &Path) -> Vec<String> {
        let mut v: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    }

    #[test]
    fn every_chart_kind_renders_to_png_and_svg() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        let terms: Vec<(String, f64)> = (0..25)
            .map(|i| (format!("term{i}"), 50_000.0 / (i + 1) as f64))
            .collect();
        let t = ChartText::new("Top terms", "Occurrences", "");
        check(
            &bar_chart(&d.join("bars"), &BOTH, &t, &terms).unwrap(),
            "Top terms",
            800,
        );

        let values: Vec<f64> = (0..2000)
            .map(|i| ((i * 7919) % 2001) as f64 / 1000.0 - 1.0)
            .collect();
        let opts = HistogramOptions {
            bins: 40,
            range: Some((-1.0, 1.0)),
            color_by_sign: true,
            markers: vec![("Mean".into(), 0.01), ("Median".into(), 0.0)],
            ..HistogramOptions::default()
        };
        let t = ChartText::new("Sentiment <distribution>", "Score", "Documents");
        let files = histogram(&d.join("hist"), &BOTH, &t, &values, &opts).unwrap();
        check(&files, "Sentiment <distribution>", 800);
        let svg = std::fs::read_to_string(&files[1]).unwrap();
        assert!(
            !svg.contains("<distribution>"),
            "text is XML-escaped in SVG"
        );
        assert!(svg.contains("2,000 values in 40 bins."));

        let lengths: Vec<f64> = (1..3000)
            .map(|i| (i % 97 + 1) as f64 * (i % 13 + 1) as f64)
            .collect();
        let opts = HistogramOptions {
            log_x: true,
            markers: vec![("Median".into(), 200.0)],
            ..HistogramOptions::default()
        };
        let t = ChartText::new("Document length", "Tokens", "Documents");
        check(
            &histogram(&d.join("lengths"), &BOTH, &t, &lengths, &opts).unwrap(),
            "Document length",
            800,
        );

        let groups: Vec<(String, Vec<f64>)> = (0..5)
            .map(|g| {
                (
                    format!("Source {g}"),
                    (0..200)
                        .map(|i| ((i * 31 + g * 17) % 200) as f64 / 100.0 - 1.0)
                        .collect(),
                )
            })
            .collect();
        for (style, name) in [(GroupStyle::BoxPlot, "box"), (GroupStyle::MeanSd, "meansd")] {
            let t = ChartText::new("Sentiment by source", "Sentiment", "");
            let files = group_distribution(&d.join(name), &BOTH, &t, &groups, style, true).unwrap();
            check(&files, "Sentiment by source", 800);
            let svg = std::fs::read_to_string(&files[1]).unwrap();
            assert!(svg.contains("n = 200"), "group sizes are labelled");
        }

        let periods: Vec<Period> = (0..120)
            .map(|i| Period {
                label: format!("2024-{:02}-{:02}", i / 28 + 1, i % 28 + 1),
                mean: if i % 17 == 5 {
                    f64::NAN
                } else {
                    ((i as f64) / 9.0).sin() * 0.2
                },
                count: (i % 23) as u64 * 10,
            })
            .collect();
        let t = ChartText::new("Sentiment over time", "Day", "Mean sentiment");
        let files = time_series(&d.join("time"), &BOTH, &t, "Documents", &periods).unwrap();
        check(&files, "Sentiment over time", 800);
        // 120 date labels cannot all fit in 1200 pixels: they are thinned.
        let svg = std::fs::read_to_string(&files[1]).unwrap();
        let shown = periods
            .iter()
            .filter(|p| svg.contains(&format!(">\n{}\n<", p.label)))
            .count();
        assert!((5..40).contains(&shown), "{shown} period labels drawn");

        let words = [
            ("good", 120.0),
            ("love", 80.5),
            ("bad", -90.0),
            ("war", -150.0),
            ("hope", 30.0),
        ];
        let t = ChartText::new("Words that move sentiment", "Contribution", "");
        let files = diverging_bars(&d.join("div"), &BOTH, &t, &words).unwrap();
        check(&files, "Words that move sentiment", 800);

        let freqs: Vec<u64> = (1..5000u64).map(|r| 100_000 / r).collect();
        let t = ChartText::new("Zipf", "Rank", "Frequency");
        let files = zipf_chart(&d.join("zipf"), &BOTH, &t, &freqs, None).unwrap();
        check(&files, "Zipf", 800);
        let svg = std::fs::read_to_string(&files[1]).unwrap();
        assert!(
            svg.contains("Fitted line: log₁₀ frequency = 5.0"),
            "equation in the legend"
        );
        assert!(svg.contains("100,000"), "thousands separators on the axis");

        let panels: Vec<Panel> = (0..7)
            .map(|g| Panel {
                title: format!("Group {g}"),
                bars: (0..10)
                    .map(|i| (format!("word{i}"), 0.02 / (i + 1) as f64))
                    .collect(),
            })
            .collect();
        let files = small_multiples(
            &d.join("multiples"),
            &BOTH,
            "Top tf-idf terms",
            "tf-idf",
            &panels,
        )
        .unwrap();
        let png = std::fs::read(&files[0]).unwrap();
        let height = u32::from_be_bytes([png[20], png[21], png[22], png[23]]);
        assert!(height >= 800);
        check(&files, "Top tf-idf terms", height);

        let series: Vec<Series> = (0..4)
            .map(|g| Series {
                name: format!("Group {g}"),
                points: (0..20)
                    .map(|i| (i as f64 / 19.0, ((i + g) as f64 / 3.0).sin() * 0.1))
                    .collect(),
            })
            .collect();
        let t = ChartText::new("Sentiment arcs", "Position in document", "Mean sentiment");
        let files = line_chart(&d.join("arcs"), &BOTH, &t, &series, &LineOptions::arcs()).unwrap();
        check(&files, "Sentiment arcs", 800);
        let svg = std::fs::read_to_string(&files[1]).unwrap();
        assert!(
            svg.contains(">\n50%\n<") && svg.contains(">\n100%\n<"),
            "x as percent"
        );

        // Only the chart files, no temporary leftovers.
        assert!(names(d)
            .iter()
            .all(|n| n.ends_with(".png") || n.ends_with(".svg")));
        assert_eq!(names(d).len(), 2 * 10);
    }

    #[test]
    fn empty_input_is_an_error_with_a_reason_and_writes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        let t = ChartText::new("Empty", "x", "y");
        let none: [(&str, f64); 0] = [];
        let errors = vec![
            bar_chart(&d.join("a"), &BOTH, &t, &none).unwrap_err(),
            bar_chart(&d.join("a"), &BOTH, &t, &[("nan", f64::NAN)]).unwrap_err(),
            diverging_bars(&d.join("b"), &BOTH, &t, &none).unwrap_err(),
            histogram(&d.join("c"), &BOTH, &t, &[], &HistogramOptions::default()).unwrap_err(),
            histogram(
                &d.join("c"),
                &BOTH,
                &t,
                &[f64::INFINITY],
                &HistogramOptions::default(),
            )
            .unwrap_err(),
            histogram(
                &d.join("c"),
                &BOTH,
                &t,
                &[0.0, -3.0],
                &HistogramOptions {
                    log_x: true,
                    ..HistogramOptions::default()
                },
            )
            .unwrap_err(),
            group_distribution::<&str, Vec<f64>>(
                &d.join("e"),
                &BOTH,
                &t,
                &[],
                GroupStyle::BoxPlot,
                true,
            )
            .unwrap_err(),
            group_distribution(
                &d.join("e"),
                &BOTH,
                &t,
                &[("g", vec![f64::NAN])],
                GroupStyle::BoxPlot,
                true,
            )
            .unwrap_err(),
            time_series(&d.join("f"), &BOTH, &t, "n", &[]).unwrap_err(),
            zipf_chart(&d.join("g"), &BOTH, &t, &[0, 0], None).unwrap_err(),
            small_multiples(&d.join("h"), &BOTH, "Empty", "", &[]).unwrap_err(),
            line_chart(&d.join("i"), &BOTH, &t, &[], &LineOptions::arcs()).unwrap_err(),
        ];
        for e in &errors {
            let reason = e
                .missing_reason()
                .unwrap_or_else(|| panic!("not a NoData error: {e}"));
            assert!(!reason.is_empty());
            assert!(e.to_string().contains("\"Empty\""), "{e}");
        }
        assert!(names(d).is_empty());

        let bad = histogram(
            &d.join("z"),
            &BOTH,
            &t,
            &[1.0],
            &HistogramOptions {
                bins: 0,
                ..HistogramOptions::default()
            },
        )
        .unwrap_err();
        assert!(matches!(bad, ReportError::InvalidChart { .. }));
        assert!(bad.missing_reason().is_none());
    }

    #[test]
    fn degenerate_but_drawable_inputs_do_not_panic() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        let png = [ChartFormat::Png];
        let t = ChartText::new("Edge cases", "", "");
        // One bar, a zero bar, a bar with an absurd label, all-negative bars.
        bar_chart(&d.join("one"), &png, &t, &[("only", 1.0)]).unwrap();
        bar_chart(&d.join("zero"), &png, &t, &[("nothing", 0.0)]).unwrap();
        let long = "ünïcödé ".repeat(40) + "\n<b>tail</b>";
        bar_chart(
            &d.join("long"),
            &png,
            &t,
            &[(long.as_str(), 3.0), ("x", 2.0)],
        )
        .unwrap();
        bar_chart(&d.join("neg"), &png, &t, &[("a", -3.0), ("b", -1.0)]).unwrap();
        // Many bars are capped, with a note instead of a panic.
        let many: Vec<(String, f64)> = (0..500).map(|i| (format!("w{i}"), i as f64)).collect();
        bar_chart(&d.join("many"), &[ChartFormat::Svg], &t, &many).unwrap();
        let svg = std::fs::read_to_string(d.join("many.svg")).unwrap();
        assert!(svg.contains("Showing the first 40 of 500 bars."));
        // All values equal; a single value; one period; one group with one value.
        histogram(
            &d.join("same"),
            &png,
            &t,
            &[2.0; 50],
            &HistogramOptions::default(),
        )
        .unwrap();
        histogram(
            &d.join("single"),
            &png,
            &t,
            &[7.0],
            &HistogramOptions::default(),
        )
        .unwrap();
        let p = [Period {
            label: "2024".into(),
            mean: 0.1,
            count: 3,
        }];
        time_series(&d.join("period"), &png, &t, "Documents", &p).unwrap();
        group_distribution(
            &d.join("g1"),
            &png,
            &t,
            &[("g", vec![0.5])],
            GroupStyle::MeanSd,
            false,
        )
        .unwrap();
        group_distribution(
            &d.join("g2"),
            &png,
            &t,
            &[("g", vec![0.5])],
            GroupStyle::BoxPlot,
            true,
        )
        .unwrap();
        zipf_chart(&d.join("z1"), &png, &t, &[5], None).unwrap();
        // Same x for every point, no explicit range.
        let s = [Series {
            name: "flat".into(),
            points: vec![(1.0, 1.0), (1.0, 2.0)],
        }];
        line_chart(&d.join("flat"), &png, &t, &s, &LineOptions::default()).unwrap();
        // Formats are deduplicated; a dot in the stem is kept.
        let files = bar_chart(
            &d.join("a.b"),
            &[ChartFormat::Png, ChartFormat::Png],
            &t,
            &[("x", 1.0)],
        )
        .unwrap();
        assert_eq!(files, vec![d.join("a.b.png")]);
    }

    #[test]
    fn output_is_deterministic() {
        let dir = tempfile::tempdir().unwrap();
        let t = ChartText::new("Same", "x", "");
        let bars = [("alpha", 3.0), ("beta", 2.0), ("gamma", -1.5)];
        let a = bar_chart(&dir.path().join("a"), &BOTH, &t, &bars).unwrap();
        let b = bar_chart(&dir.path().join("b"), &BOTH, &t, &bars).unwrap();
        for (x, y) in a.iter().zip(&b) {
            assert_eq!(
                std::fs::read(x).unwrap(),
                std::fs::read(y).unwrap(),
                "{x:?}"
            );
        }
    }

    #[test]
    fn formats_parse_and_print() {
        assert_eq!("PNG".parse::<ChartFormat>(), Ok(ChartFormat::Png));
        assert_eq!(" svg ".parse::<ChartFormat>(), Ok(ChartFormat::Svg));
        assert!("gif".parse::<ChartFormat>().is_err());
        assert_eq!(ChartFormat::Svg.to_string(), "svg");
    }
}
