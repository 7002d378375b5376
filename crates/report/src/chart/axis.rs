//! Scales, tick selection that never lets labels collide, axes, the title
//! block and the legend row shared by all charts.

use plotters::prelude::*;

use super::canvas::{Align, Canvas, DrawResult, TextSpec, VAlign};
use super::theme::*;
use crate::format::{decimals_for_step, format_fixed, format_number};

/// Maps data values to logical pixels, linearly or on a log10 scale.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Scale {
    pub lo: f64,
    pub hi: f64,
    pub log: bool,
    pub p0: f64,
    pub p1: f64,
}

impl Scale {
    pub(crate) fn linear(lo: f64, hi: f64, p0: f64, p1: f64) -> Self {
        Scale {
            lo,
            hi,
            log: false,
            p0,
            p1,
        }
    }

    pub(crate) fn log(lo: f64, hi: f64, p0: f64, p1: f64) -> Self {
        Scale {
            lo,
            hi,
            log: true,
            p0,
            p1,
        }
    }

    fn t(&self, v: f64) -> f64 {
        if self.log {
            v.max(f64::MIN_POSITIVE).log10()
        } else {
            v
        }
    }

    pub(crate) fn map(&self, v: f64) -> f64 {
        let (a, b) = (self.t(self.lo), self.t(self.hi));
        if (b - a).abs() < f64::EPSILON * a.abs().max(1.0) {
            return (self.p0 + self.p1) / 2.0;
        }
        self.p0 + (self.t(v) - a) / (b - a) * (self.p1 - self.p0)
    }
}

/// The logical pixel rectangle of a plot.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Bounds {
    pub l: f64,
    pub t: f64,
    pub r: f64,
    pub b: f64,
}

impl Bounds {
    pub(crate) fn w(&self) -> f64 {
        self.r - self.l
    }
    pub(crate) fn h(&self) -> f64 {
        self.b - self.t
    }
}

/// A tick: its value and its label.
pub(crate) type Tick = (f64, String);

/// A "nice" step (1, 2, 2.5 or 5 times a power of ten) at least `raw`.
pub(crate) fn nice_step(raw: f64) -> f64 {
    if !raw.is_finite() || raw <= 0.0 {
        return 1.0;
    }
    let mag = 10f64.powf(raw.log10().floor());
    for m in [1.0, 2.0, 2.5, 5.0, 10.0] {
        if m * mag >= raw * (1.0 - 1e-9) {
            return m * mag;
        }
    }
    10.0 * mag
}

/// Ticks at multiples of a nice step inside `[lo, hi]`, at most about `max_n` of them.
pub(crate) fn linear_ticks(lo: f64, hi: f64, max_n: usize) -> (Vec<f64>, f64) {
    let span = hi - lo;
    if !(span.is_finite() && span > 0.0) {
        return (vec![lo], 1.0);
    }
    let step = nice_step(span / (max_n.max(2) - 1) as f64);
    let first = (lo / step - 1e-9).ceil() as i64;
    let last = (hi / step + 1e-9).floor() as i64;
    let ticks = (first..=last)
        .map(|k| {
            let v = k as f64 * step;
            if v.abs() < step * 1e-9 {
                0.0
            } else {
                v
            }
        })
        .collect();
    (ticks, step)
}

/// Widens `[lo, hi]` to multiples of the nice step used for about `max_n` ticks.
pub(crate) fn nice_range(lo: f64, hi: f64, max_n: usize) -> (f64, f64) {
    let span = hi - lo;
    if !(span.is_finite() && span > 0.0) {
        return (lo, hi);
    }
    let step = nice_step(span / (max_n.max(2) - 1) as f64);
    // The tolerance points inwards so a bound already on a step stays put.
    (
        (lo / step + 1e-9).floor() * step,
        (hi / step - 1e-9).ceil() * step,
    )
}

/// Ticks for a log10 axis over `[lo, hi]` (both > 0): powers of ten, with
/// 2 and 5 in between when the range spans few decades.
pub(crate) fn log_ticks(lo: f64, hi: f64, max_n: usize) -> Vec<f64> {
    if !(lo > 0.0 && hi > lo) {
        return vec![lo.max(f64::MIN_POSITIVE)];
    }
    let (a, b) = (lo.log10(), hi.log10());
    let first = (a - 1e-9).ceil() as i32;
    let last = (b + 1e-9).floor() as i32;
    let decades: Vec<f64> = (first..=last).map(|k| 10f64.powi(k)).collect();
    let with_sub: Vec<f64> = ((first - 1)..=last)
        .flat_map(|k| [1.0, 2.0, 5.0].map(|m| m * 10f64.powi(k)))
        .filter(|v| *v >= lo * (1.0 - 1e-9) && *v <= hi * (1.0 + 1e-9))
        .collect();
    if with_sub.len() <= max_n && decades.len() < 4 {
        return with_sub;
    }
    if decades.len() <= max_n {
        return decades;
    }
    let every = decades.len().div_ceil(max_n.max(1));
    decades.into_iter().step_by(every).collect()
}

/// A tick label: thousands separators, a true minus sign.
pub(crate) fn tick_label(v: f64, decimals: usize) -> String {
    minus(&format_fixed(v, decimals))
}

/// Replaces an ASCII hyphen-minus with the typographic minus sign.
pub(crate) fn minus(s: &str) -> String {
    s.replace('-', "\u{2212}")
}

/// Labelled ticks of a linear axis, as many as fit along `length` pixels
/// without labels touching (`horizontal` axes compare label widths,
/// vertical ones label heights).
pub(crate) fn fit_linear_ticks<DB: DrawingBackend>(
    cv: &Canvas<'_, DB>,
    lo: f64,
    hi: f64,
    length: f64,
    horizontal: bool,
    format: &dyn Fn(f64, usize) -> String,
) -> Vec<Tick> {
    let mut best: Vec<Tick> = Vec::new();
    // Beyond avoiding collisions, keep the grid calm: about one tick per
    // 80 pixels across, one per 60 pixels up.
    let per = if horizontal { 80.0 } else { 60.0 };
    let cap = ((length / per).floor() as usize + 1).clamp(2, 11);
    for max_n in (2..=cap).rev() {
        let (values, step) = linear_ticks(lo, hi, max_n);
        let decimals = decimals_for_step(step);
        let ticks: Vec<Tick> = values.iter().map(|&v| (v, format(v, decimals))).collect();
        let scale = Scale::linear(lo, hi, 0.0, length);
        if ticks_fit(cv, &ticks, &scale, horizontal) {
            return ticks;
        }
        best = ticks;
    }
    // Even two ticks collide: keep just the ends.
    if best.len() > 2 {
        let first = best[0].clone();
        let last = best[best.len() - 1].clone();
        best = vec![first, last];
    }
    best
}

/// Labelled ticks of a log axis that fit along `length` pixels.
pub(crate) fn fit_log_ticks<DB: DrawingBackend>(
    cv: &Canvas<'_, DB>,
    lo: f64,
    hi: f64,
    length: f64,
    horizontal: bool,
) -> Vec<Tick> {
    let scale = Scale::log(lo, hi, 0.0, length);
    let mut last = Vec::new();
    for max_n in (2..=12).rev() {
        let ticks: Vec<Tick> = log_ticks(lo, hi, max_n)
            .into_iter()
            .map(|v| (v, minus(&format_number(v))))
            .collect();
        if ticks_fit(cv, &ticks, &scale, horizontal) {
            return ticks;
        }
        last = ticks;
    }
    last
}

fn ticks_fit<DB: DrawingBackend>(
    cv: &Canvas<'_, DB>,
    ticks: &[Tick],
    scale: &Scale,
    horizontal: bool,
) -> bool {
    let extent = |label: &str| {
        if horizontal {
            cv.text_width(label, TICK_SIZE, false)
        } else {
            TICK_SIZE
        }
    };
    ticks.windows(2).all(|w| {
        let gap = (scale.map(w[1].0) - scale.map(w[0].0)).abs();
        gap >= (extent(&w[0].1) + extent(&w[1].1)) / 2.0 + if horizontal { 16.0 } else { 14.0 }
    })
}

/// Widest tick label.
pub(crate) fn max_label_width<DB: DrawingBackend>(cv: &Canvas<'_, DB>, ticks: &[Tick]) -> f64 {
    ticks
        .iter()
        .map(|(_, l)| cv.text_width(l, TICK_SIZE, false))
        .fold(0.0, f64::max)
}

/// Space below the plot taken by x tick labels and the x axis title.
pub(crate) fn x_axis_height(title: &str) -> f64 {
    let ticks = 10.0 + TICK_SIZE;
    if title.is_empty() {
        ticks + 8.0
    } else {
        ticks + 18.0 + AXIS_TITLE_SIZE
    }
}

/// Space left of the plot taken by y tick labels (of width `label_w`) and the y title.
pub(crate) fn y_axis_width(title: &str, label_w: f64) -> f64 {
    let labels = label_w + 10.0;
    if title.is_empty() {
        labels
    } else {
        labels + 14.0 + AXIS_TITLE_SIZE
    }
}

/// Vertical grid lines, tick labels under the plot and the axis title.
pub(crate) fn draw_x_axis<DB: DrawingBackend>(
    cv: &Canvas<'_, DB>,
    rect: Bounds,
    scale: &Scale,
    ticks: &[Tick],
    title: &str,
    grid: bool,
) -> DrawResult {
    let label = TextSpec::new(TICK_SIZE, MUTED)
        .align(Align::Center)
        .valign(VAlign::Top);
    for (v, text) in ticks {
        let x = scale.map(*v);
        if grid {
            cv.line(&[(x, rect.t), (x, rect.b)], GRID.to_rgba(), 1.0)?;
        }
        cv.line(&[(x, rect.b), (x, rect.b + 5.0)], AXIS.to_rgba(), 1.0)?;
        cv.text(text, x, rect.b + 10.0, &label)?;
    }
    if !title.is_empty() {
        let spec = TextSpec::new(AXIS_TITLE_SIZE, INK)
            .align(Align::Center)
            .valign(VAlign::Top);
        let fitted = cv.fit(title, AXIS_TITLE_SIZE, false, rect.w());
        cv.text(
            &fitted,
            (rect.l + rect.r) / 2.0,
            rect.b + 10.0 + TICK_SIZE + 16.0,
            &spec,
        )?;
    }
    Ok(())
}

/// Horizontal grid lines, tick labels left of the plot and the rotated axis
/// title, placed as if the labels were `label_w` wide (so stacked panels
/// line up).
pub(crate) fn draw_y_axis<DB: DrawingBackend>(
    cv: &Canvas<'_, DB>,
    rect: Bounds,
    scale: &Scale,
    ticks: &[Tick],
    title: &str,
    label_w: f64,
) -> DrawResult {
    let label = TextSpec::new(TICK_SIZE, MUTED)
        .align(Align::Right)
        .valign(VAlign::Middle);
    for (v, text) in ticks {
        let y = scale.map(*v);
        cv.line(&[(rect.l, y), (rect.r, y)], GRID.to_rgba(), 1.0)?;
        cv.text(text, rect.l - 10.0, y, &label)?;
    }
    if !title.is_empty() {
        let x = rect.l - 10.0 - label_w - 14.0 - AXIS_TITLE_SIZE;
        let spec = TextSpec::new(AXIS_TITLE_SIZE, INK)
            .align(Align::Center)
            .valign(VAlign::Top)
            .vertical();
        let fitted = cv.fit(title, AXIS_TITLE_SIZE, false, rect.h());
        cv.text(&fitted, x, (rect.t + rect.b) / 2.0, &spec)?;
    }
    Ok(())
}

/// What a legend entry looks like.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Swatch {
    Bar(RGBColor),
    Line(RGBColor),
    Dashed(RGBColor),
    LinePoint(RGBColor),
    Point(RGBColor),
}

/// One legend entry.
#[derive(Debug, Clone)]
pub(crate) struct LegendItem {
    pub swatch: Swatch,
    pub label: String,
}

impl LegendItem {
    pub(crate) fn new(swatch: Swatch, label: impl Into<String>) -> Self {
        LegendItem {
            swatch,
            label: label.into(),
        }
    }
}

const LEGEND_ROW: f64 = 28.0;
const SWATCH_W: f64 = 28.0;

/// Draws the title, the notes under it and the legend row(s); returns the y
/// where the plot may start.
pub(crate) fn draw_header<DB: DrawingBackend>(
    cv: &Canvas<'_, DB>,
    title: &str,
    notes: &[String],
    legend: &[LegendItem],
) -> DrawResult<f64> {
    let max_w = cv.w - 2.0 * MARGIN;
    let mut y = 30.0;
    let title = cv.fit(title, TITLE_SIZE, true, max_w);
    cv.text(
        &title,
        MARGIN,
        y,
        &TextSpec::new(TITLE_SIZE, INK).bold().valign(VAlign::Top),
    )?;
    y += TITLE_SIZE * CAP + 16.0;
    let note_spec = TextSpec::new(NOTE_SIZE, MUTED).valign(VAlign::Top);
    for note in notes {
        let fitted = cv.fit(note, NOTE_SIZE, false, max_w);
        cv.text(&fitted, MARGIN, y, &note_spec)?;
        y += NOTE_SIZE + 9.0;
    }
    if !legend.is_empty() {
        y += 4.0;
        let mut x = MARGIN;
        let label_spec = TextSpec::new(NOTE_SIZE, INK).valign(VAlign::Middle);
        let mid = |y: f64| y + LEGEND_ROW / 2.0 - 4.0;
        for item in legend {
            let label = cv.fit(&item.label, NOTE_SIZE, false, max_w - SWATCH_W - 10.0);
            let item_w = SWATCH_W + 9.0 + cv.text_width(&label, NOTE_SIZE, false);
            if x > MARGIN && x + item_w > cv.w - MARGIN {
                x = MARGIN;
                y += LEGEND_ROW;
            }
            draw_swatch(cv, item.swatch, x, mid(y))?;
            cv.text(&label, x + SWATCH_W + 9.0, mid(y), &label_spec)?;
            x += item_w + 28.0;
        }
        y += LEGEND_ROW;
    }
    Ok(y + 10.0)
}

/// Height that [`draw_header`] takes with `notes` note lines and one legend row (if any).
pub(crate) fn header_height(notes: usize, legend: bool) -> f64 {
    let legend_h = if legend { 4.0 + LEGEND_ROW } else { 0.0 };
    30.0 + TITLE_SIZE * CAP + 16.0 + notes as f64 * (NOTE_SIZE + 9.0) + legend_h + 10.0
}

/// Smallest row height at which category labels stay readable.
pub(crate) const MIN_ROW: f64 = 24.0;

/// Image height for a chart with one row per category: the standard 800
/// pixels, or taller when the rows would otherwise get thinner than `MIN_ROW`.
pub(crate) fn rows_chart_height(rows: usize, notes: usize, legend: bool, x_label: &str) -> u32 {
    let needed = header_height(notes, legend)
        + 4.0
        + rows as f64 * MIN_ROW
        + x_axis_height(x_label)
        + MARGIN * 0.75;
    (needed.ceil() as u32).max(HEIGHT)
}

/// Cap height as a share of the font size (see canvas).
const CAP: f64 = 0.626;

fn draw_swatch<DB: DrawingBackend>(cv: &Canvas<'_, DB>, s: Swatch, x: f64, y: f64) -> DrawResult {
    let (l, r) = (x, x + SWATCH_W);
    match s {
        Swatch::Bar(c) => cv.rect(l + 4.0, y - 8.0, r - 4.0, y + 8.0, c.to_rgba()),
        Swatch::Line(c) => cv.line(&[(l, y), (r, y)], c.to_rgba(), 3.0),
        Swatch::Dashed(c) => cv.dashed((l, y), (r, y), c.to_rgba(), 2.5, 6.0, 4.0),
        Swatch::LinePoint(c) => {
            cv.line(&[(l, y), (r, y)], c.to_rgba(), 3.0)?;
            cv.circle(
                ((l + r) / 2.0, y),
                5.0,
                Some(c.to_rgba()),
                Some((PAPER.to_rgba(), 1.5)),
            )
        }
        Swatch::Point(c) => cv.circle(((l + r) / 2.0, y), 5.5, Some(c.to_rgba()), None),
    }
}

/// A short plural-aware count phrase: "1 value", "2,345 values".
pub(crate) fn count_phrase(n: usize, one: &str, many: &str) -> String {
    let word = if n == 1 { one } else { many };
    format!("{} {word}", crate::format::thousands(n as u64))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nice_steps() {
        assert_eq!(nice_step(0.9), 1.0);
        assert_eq!(nice_step(1.1), 2.0);
        assert_eq!(nice_step(2.2), 2.5);
        assert_eq!(nice_step(3.0), 5.0);
        assert_eq!(nice_step(7.0), 10.0);
        assert_eq!(nice_step(1234.0), 2000.0);
        assert!((nice_step(0.013) - 0.02).abs() < 1e-12);
    }

    #[test]
    fn linear_ticks_stay_inside_and_hit_zero_exactly() {
        let (ticks, step) = linear_ticks(-1.0, 1.0, 9);
        assert_eq!(step, 0.25);
        assert_eq!(ticks.len(), 9);
        assert_eq!(ticks[4], 0.0);
        assert_eq!(ticks[0], -1.0);
        let (ticks, _) = linear_ticks(0.03, 0.97, 6);
        assert!(ticks.iter().all(|t| (0.03..=0.97).contains(t)), "{ticks:?}");
        assert_eq!(nice_range(3.0, 97.0, 6), (0.0, 100.0));
        assert_eq!(nice_range(0.0, 0.03, 4), (0.0, 0.03));
        assert_eq!(nice_range(-0.2, 1.0, 7), (-0.2, 1.0));
    }

    #[test]
    fn log_ticks_choose_decades_or_subdivisions() {
        assert_eq!(
            log_ticks(1.0, 100_000.0, 12),
            vec![1.0, 10.0, 100.0, 1e3, 1e4, 1e5]
        );
        assert_eq!(log_ticks(1.0, 100_000.0, 3), vec![1.0, 100.0, 1e4]);
        assert_eq!(
            log_ticks(1.0, 100.0, 12),
            vec![1.0, 2.0, 5.0, 10.0, 20.0, 50.0, 100.0]
        );
        assert_eq!(log_ticks(30.0, 900.0, 12), vec![50.0, 100.0, 200.0, 500.0]);
    }

    #[test]
    fn scales_map_linearly_and_logarithmically() {
        let s = Scale::linear(-1.0, 1.0, 100.0, 300.0);
        assert_eq!(s.map(0.0), 200.0);
        let l = Scale::log(1.0, 1000.0, 0.0, 300.0);
        assert!((l.map(10.0) - 100.0).abs() < 1e-9);
        let flat = Scale::linear(2.0, 2.0, 0.0, 10.0);
        assert_eq!(flat.map(2.0), 5.0);
    }
}
