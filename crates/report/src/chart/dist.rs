//! Distributions: histograms and per-group box plots or mean ± sd.

use plotters::prelude::*;

use super::axis::*;
use super::canvas::{Align, Canvas, DrawResult, TextSpec, VAlign};
use super::theme::*;
use super::Chart;
use crate::format::{format_number, thousands};

/// Bin edges (`bins + 1` of them) over `[lo, hi]`, evenly spaced or evenly
/// spaced in log10.
pub(crate) fn bin_edges(lo: f64, hi: f64, bins: usize, log: bool) -> Vec<f64> {
    (0..=bins)
        .map(|i| {
            let t = i as f64 / bins as f64;
            if i == bins {
                hi
            } else if log {
                10f64.powf(lo.log10() + t * (hi.log10() - lo.log10()))
            } else {
                lo + t * (hi - lo)
            }
        })
        .collect()
}

/// Counts `values` into the bins given by `edges` (left-closed, the last bin
/// also closed on the right); returns the counts and how many values fell
/// outside.
pub(crate) fn bin_counts(values: &[f64], edges: &[f64], log: bool) -> (Vec<u64>, usize) {
    let bins = edges.len().saturating_sub(1);
    let mut counts = vec![0u64; bins];
    let mut outside = 0;
    if bins == 0 {
        return (counts, values.len());
    }
    let (lo, hi) = (edges[0], edges[bins]);
    let t = |v: f64| if log { v.log10() } else { v };
    let (tlo, thi) = (t(lo), t(hi));
    for &v in values {
        if !(v >= lo && v <= hi) {
            outside += 1;
            continue;
        }
        let mut i = (((t(v) - tlo) / (thi - tlo)) * bins as f64).floor() as usize;
        i = i.min(bins - 1);
        // Floating point can put a value one bin off; settle it by the edges.
        while i > 0 && v < edges[i] {
            i -= 1;
        }
        while i + 1 < bins && v >= edges[i + 1] {
            i += 1;
        }
        counts[i] += 1;
    }
    (counts, outside)
}

pub(crate) struct Histogram {
    pub title: String,
    pub x_label: String,
    pub y_label: String,
    pub edges: Vec<f64>,
    pub counts: Vec<u64>,
    pub log_x: bool,
    pub color_by_sign: bool,
    pub markers: Vec<(String, f64)>,
    pub notes: Vec<String>,
}

const MARKER_STYLES: [(RGBColor, bool); 3] = [(ACCENT, false), (INK, true), (SERIES[3], false)];

impl Chart for Histogram {
    fn draw<DB: DrawingBackend>(&self, cv: &Canvas<'_, DB>) -> DrawResult {
        let mut legend = Vec::new();
        if self.color_by_sign {
            legend.push(LegendItem::new(Swatch::Bar(NEGATIVE), "Negative"));
            legend.push(LegendItem::new(Swatch::Bar(NEUTRAL), "Bin containing 0"));
            legend.push(LegendItem::new(Swatch::Bar(POSITIVE), "Positive"));
        }
        for (i, (label, value)) in self.markers.iter().enumerate() {
            let (color, dashed) = MARKER_STYLES[i % MARKER_STYLES.len()];
            let swatch = if dashed {
                Swatch::Dashed(color)
            } else {
                Swatch::Line(color)
            };
            legend.push(LegendItem::new(
                swatch,
                format!("{label}: {}", minus(&format_number(*value))),
            ));
        }
        let top = draw_header(cv, &self.title, &self.notes, &legend)?;
        let bottom = cv.h - MARGIN * 0.75 - x_axis_height(&self.x_label);
        let max_count = self.counts.iter().copied().max().unwrap_or(0).max(1) as f64;
        let (_, y_hi) = nice_range(0.0, max_count * 1.04, 6);
        let y_ticks: Vec<Tick> = fit_linear_ticks(cv, 0.0, y_hi, bottom - top, false, &tick_label)
            .into_iter()
            .filter(|(v, _)| v.fract() == 0.0)
            .map(|(v, _)| (v, tick_label(v, 0)))
            .collect();
        let label_w = max_label_width(cv, &y_ticks);
        let rect = Bounds {
            l: MARGIN + y_axis_width(&self.y_label, label_w),
            t: top + 6.0,
            r: cv.w - MARGIN,
            b: bottom,
        };
        let (lo, hi) = (self.edges[0], self.edges[self.edges.len() - 1]);
        let xs = if self.log_x {
            Scale::log(lo, hi, rect.l, rect.r)
        } else {
            Scale::linear(lo, hi, rect.l, rect.r)
        };
        let ys = Scale::linear(0.0, y_hi, rect.b, rect.t);
        let x_ticks = if self.log_x {
            fit_log_ticks(cv, lo, hi, rect.w(), true)
        } else {
            fit_linear_ticks(cv, lo, hi, rect.w(), true, &tick_label)
        };
        draw_y_axis(
            cv,
            rect,
            &ys,
            &y_ticks,
            &self.y_label,
            max_label_width(cv, &y_ticks),
        )?;
        draw_x_axis(cv, rect, &xs, &x_ticks, &self.x_label, false)?;
        for (i, &count) in self.counts.iter().enumerate() {
            if count == 0 {
                continue;
            }
            let (e0, e1) = (self.edges[i], self.edges[i + 1]);
            let (x0, x1) = (xs.map(e0), xs.map(e1));
            let inset = if x1 - x0 > 4.0 { 0.75 } else { 0.0 };
            let color = if self.color_by_sign {
                let last = i + 1 == self.counts.len();
                if e1 < 0.0 || (e1 == 0.0 && !last) {
                    NEGATIVE
                } else if e0 > 0.0 {
                    POSITIVE
                } else {
                    NEUTRAL
                }
            } else {
                COUNT
            };
            cv.rect(
                x0 + inset,
                ys.map(count as f64),
                x1 - inset,
                rect.b,
                color.to_rgba(),
            )?;
        }
        cv.line(&[(rect.l, rect.b), (rect.r, rect.b)], AXIS.to_rgba(), 1.2)?;
        for (i, (_, value)) in self.markers.iter().enumerate() {
            if !(value.is_finite() && *value >= lo && *value <= hi) {
                continue;
            }
            let (color, dashed) = MARKER_STYLES[i % MARKER_STYLES.len()];
            let x = xs.map(*value);
            if dashed {
                cv.dashed((x, rect.t), (x, rect.b), color.to_rgba(), 2.5, 9.0, 6.0)?;
            } else {
                cv.line(&[(x, rect.t), (x, rect.b)], color.to_rgba(), 2.5)?;
            }
        }
        Ok(())
    }
}

/// Five-number summary and friends of one group.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct GroupSummary {
    pub name: String,
    pub n: usize,
    pub mean: f64,
    /// Sample standard deviation (n − 1); NaN for a single value.
    pub sd: f64,
    pub q1: f64,
    pub median: f64,
    pub q3: f64,
    /// Most extreme values within 1.5 IQR of the box.
    pub whisker_lo: f64,
    pub whisker_hi: f64,
    pub outliers: Vec<f64>,
}

/// Quantile by linear interpolation between order statistics (R type 7,
/// numpy's default) of an ascending, non-empty slice.
pub(crate) fn quantile(sorted: &[f64], p: f64) -> f64 {
    let n = sorted.len();
    if n == 0 {
        return f64::NAN;
    }
    let h = (n - 1) as f64 * p.clamp(0.0, 1.0);
    let lo = h.floor() as usize;
    let hi = (lo + 1).min(n - 1);
    sorted[lo] + (h - lo as f64) * (sorted[hi] - sorted[lo])
}

/// Summarises the finite values of one group; `None` when there are none.
pub(crate) fn summarize(name: String, values: &[f64]) -> Option<GroupSummary> {
    let mut v: Vec<f64> = values.iter().copied().filter(|x| x.is_finite()).collect();
    if v.is_empty() {
        return None;
    }
    v.sort_by(f64::total_cmp);
    let n = v.len();
    let mean = v.iter().sum::<f64>() / n as f64;
    let sd = if n > 1 {
        (v.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1) as f64).sqrt()
    } else {
        f64::NAN
    };
    let (q1, median, q3) = (quantile(&v, 0.25), quantile(&v, 0.5), quantile(&v, 0.75));
    let iqr = q3 - q1;
    let (fence_lo, fence_hi) = (q1 - 1.5 * iqr, q3 + 1.5 * iqr);
    let whisker_lo = v.iter().copied().find(|x| *x >= fence_lo).unwrap_or(q1);
    let whisker_hi = v
        .iter()
        .rev()
        .copied()
        .find(|x| *x <= fence_hi)
        .unwrap_or(q3);
    let outliers = v
        .iter()
        .copied()
        .filter(|x| *x < fence_lo || *x > fence_hi)
        .collect();
    Some(GroupSummary {
        name,
        n,
        mean,
        sd,
        q1,
        median,
        q3,
        whisker_lo,
        whisker_hi,
        outliers,
    })
}

/// How [`group_distribution`](super::group_distribution) draws each group.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum GroupStyle {
    /// Box plots: quartile box, median line, mean diamond, whiskers to the
    /// furthest values within 1.5 × IQR, outliers as dots.
    #[default]
    BoxPlot,
    /// The mean as a dot with a bar of ± one (sample) standard deviation.
    MeanSd,
}

pub(crate) struct GroupChart {
    pub title: String,
    pub x_label: String,
    pub groups: Vec<GroupSummary>,
    pub style: GroupStyle,
    pub signed: bool,
    pub notes: Vec<String>,
}

impl Chart for GroupChart {
    fn size(&self) -> (u32, u32) {
        let h = rows_chart_height(
            self.groups.len(),
            self.notes.len(),
            self.signed,
            &self.x_label,
        );
        (WIDTH, h)
    }

    fn draw<DB: DrawingBackend>(&self, cv: &Canvas<'_, DB>) -> DrawResult {
        let what = match self.style {
            GroupStyle::BoxPlot => "Median",
            GroupStyle::MeanSd => "Mean",
        };
        let legend = if self.signed {
            vec![
                LegendItem::new(Swatch::Bar(POSITIVE), format!("{what} above 0")),
                LegendItem::new(Swatch::Bar(NEGATIVE), format!("{what} below 0")),
            ]
        } else {
            Vec::new()
        };
        let top = draw_header(cv, &self.title, &self.notes, &legend)?;
        let n = self.groups.len();
        let bottom = cv.h - MARGIN * 0.75 - x_axis_height(&self.x_label);
        let slot = (bottom - top - 4.0) / n as f64;
        let two_lines = slot >= 44.0;
        let name_size = (slot * if two_lines { 0.4 } else { 0.62 }).clamp(10.0, LABEL_SIZE);
        let count_size = (name_size * 0.85).max(10.0);
        let labels: Vec<(String, String)> = self
            .groups
            .iter()
            .map(|g| {
                let count = format!("n = {}", thousands(g.n as u64));
                if two_lines {
                    (cv.fit(&g.name, name_size, false, 0.3 * cv.w), count)
                } else {
                    let text = format!("{}  ({count})", g.name);
                    (cv.fit(&text, name_size, false, 0.3 * cv.w), String::new())
                }
            })
            .collect();
        let label_w = labels
            .iter()
            .map(|(a, b)| {
                cv.text_width(a, name_size, false)
                    .max(cv.text_width(b, count_size, false))
            })
            .fold(0.0, f64::max);
        let rect = Bounds {
            l: MARGIN + label_w + 14.0,
            t: top + 4.0,
            r: cv.w - MARGIN,
            b: bottom,
        };
        let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
        for g in &self.groups {
            let (a, b) = match self.style {
                GroupStyle::BoxPlot => {
                    let a = g.outliers.iter().copied().fold(g.whisker_lo, f64::min);
                    let b = g.outliers.iter().copied().fold(g.whisker_hi, f64::max);
                    (a, b)
                }
                GroupStyle::MeanSd => {
                    let sd = if g.sd.is_finite() { g.sd } else { 0.0 };
                    (g.mean - sd, g.mean + sd)
                }
            };
            lo = lo.min(a);
            hi = hi.max(b);
        }
        if self.signed {
            lo = lo.min(0.0);
            hi = hi.max(0.0);
        }
        if hi - lo <= 0.0 {
            lo -= 0.5;
            hi += 0.5;
        }
        let pad = (hi - lo) * 0.04;
        let xs = Scale::linear(lo - pad, hi + pad, rect.l, rect.r);
        let ticks = fit_linear_ticks(cv, xs.lo, xs.hi, rect.w(), true, &tick_label);
        draw_x_axis(cv, rect, &xs, &ticks, &self.x_label, true)?;
        if self.signed && xs.lo < 0.0 && xs.hi > 0.0 {
            let x = xs.map(0.0);
            cv.line(&[(x, rect.t), (x, rect.b)], AXIS.to_rgba(), 1.2)?;
        }
        let slot = rect.h() / n as f64;
        for (i, (g, (name, count))) in self.groups.iter().zip(&labels).enumerate() {
            let cy = rect.t + (i as f64 + 0.5) * slot;
            if i > 0 {
                let y = rect.t + i as f64 * slot;
                cv.line(&[(rect.l, y), (rect.r, y)], GRID.mix(0.6), 1.0)?;
            }
            let name_spec = TextSpec::new(name_size, INK).align(Align::Right);
            if two_lines {
                cv.text(name, rect.l - 12.0, cy - 2.0, &name_spec)?;
                cv.text(
                    count,
                    rect.l - 12.0,
                    cy + 4.0,
                    &TextSpec::new(count_size, MUTED)
                        .align(Align::Right)
                        .valign(VAlign::Top),
                )?;
            } else {
                cv.text(name, rect.l - 12.0, cy, &name_spec.valign(VAlign::Middle))?;
            }
            let key = match self.style {
                GroupStyle::BoxPlot => g.median,
                GroupStyle::MeanSd => g.mean,
            };
            let color = if self.signed { signed(key) } else { COUNT };
            let half = (slot * 0.28).min(24.0);
            match self.style {
                GroupStyle::BoxPlot => draw_box(cv, &xs, g, cy, half, color)?,
                GroupStyle::MeanSd => {
                    if g.sd.is_finite() {
                        let (a, b) = (xs.map(g.mean - g.sd), xs.map(g.mean + g.sd));
                        cv.line(&[(a, cy), (b, cy)], color.to_rgba(), 3.0)?;
                        let cap = half * 0.6;
                        cv.line(&[(a, cy - cap), (a, cy + cap)], color.to_rgba(), 2.0)?;
                        cv.line(&[(b, cy - cap), (b, cy + cap)], color.to_rgba(), 2.0)?;
                    }
                    cv.circle(
                        (xs.map(g.mean), cy),
                        7.0,
                        Some(color.to_rgba()),
                        Some((PAPER.to_rgba(), 2.0)),
                    )?;
                }
            }
        }
        Ok(())
    }
}

fn draw_box<DB: DrawingBackend>(
    cv: &Canvas<'_, DB>,
    xs: &Scale,
    g: &GroupSummary,
    cy: f64,
    half: f64,
    color: RGBColor,
) -> DrawResult {
    let whisker = MUTED.to_rgba();
    let (wl, q1, q3, wh) = (
        xs.map(g.whisker_lo),
        xs.map(g.q1),
        xs.map(g.q3),
        xs.map(g.whisker_hi),
    );
    cv.line(&[(wl, cy), (q1, cy)], whisker, 1.5)?;
    cv.line(&[(q3, cy), (wh, cy)], whisker, 1.5)?;
    let cap = half * 0.5;
    cv.line(&[(wl, cy - cap), (wl, cy + cap)], whisker, 1.5)?;
    cv.line(&[(wh, cy - cap), (wh, cy + cap)], whisker, 1.5)?;
    cv.rect(q1, cy - half, q3, cy + half, color.mix(0.3))?;
    cv.rect_outline(q1, cy - half, q3, cy + half, color.to_rgba(), 1.5)?;
    let m = xs.map(g.median);
    cv.line(&[(m, cy - half), (m, cy + half)], INK.to_rgba(), 3.0)?;
    let mean = xs.map(g.mean);
    let d = (half * 0.45).clamp(4.0, 7.0);
    cv.polygon(
        &[
            (mean, cy - d),
            (mean + d, cy),
            (mean, cy + d),
            (mean - d, cy),
        ],
        PAPER.to_rgba(),
    )?;
    let outline = [
        (mean, cy - d),
        (mean + d, cy),
        (mean, cy + d),
        (mean - d, cy),
        (mean, cy - d),
    ];
    cv.line(&outline, INK.to_rgba(), 1.6)?;
    // One dot per pixel column is enough; thousands of overlapping outliers
    // would only bloat the SVG.
    let mut last_px = f64::NEG_INFINITY;
    let mut drawn = 0;
    for &o in &g.outliers {
        let x = xs.map(o);
        if (x - last_px).abs() < 1.5 {
            continue;
        }
        last_px = x;
        cv.circle((x, cy), 3.0, None, Some((MUTED.mix(0.8), 1.2)))?;
        drawn += 1;
        if drawn >= 400 {
            break;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantiles_match_r_type_7() {
        // R: quantile(c(1, 2, 3, 4, 10), c(.25, .5, .75)) -> 2 3 4
        let v = [1.0, 2.0, 3.0, 4.0, 10.0];
        assert_eq!(quantile(&v, 0.25), 2.0);
        assert_eq!(quantile(&v, 0.5), 3.0);
        assert_eq!(quantile(&v, 0.75), 4.0);
        // R: quantile(c(1, 2, 3, 4), c(.25, .5, .75)) -> 1.75 2.50 3.25
        let v = [1.0, 2.0, 3.0, 4.0];
        assert_eq!(quantile(&v, 0.25), 1.75);
        assert_eq!(quantile(&v, 0.5), 2.5);
        assert_eq!(quantile(&v, 0.75), 3.25);
    }

    #[test]
    fn summaries_find_whiskers_and_outliers() {
        let g = summarize("g".into(), &[1.0, 2.0, 3.0, 4.0, 10.0, f64::NAN]).unwrap();
        assert_eq!(g.n, 5);
        assert_eq!(g.mean, 4.0);
        // IQR 2, fences -1 and 7: 10 is an outlier, the whisker stops at 4.
        assert_eq!((g.whisker_lo, g.whisker_hi), (1.0, 4.0));
        assert_eq!(g.outliers, vec![10.0]);
        // Sample sd of 1,2,3,4,10: sqrt(50/4)
        assert!((g.sd - 12.5f64.sqrt()).abs() < 1e-12);
        assert!(summarize("e".into(), &[f64::NAN]).is_none());
        assert!(summarize("one".into(), &[0.5]).unwrap().sd.is_nan());
    }

    #[test]
    fn binning_is_left_closed_with_a_closed_last_bin() {
        let edges = bin_edges(0.0, 1.0, 4, false);
        assert_eq!(edges, vec![0.0, 0.25, 0.5, 0.75, 1.0]);
        let (counts, outside) = bin_counts(
            &[0.0, 0.25, 0.3, 0.74999, 0.75, 1.0, 1.01, -0.1, f64::NAN],
            &edges,
            false,
        );
        assert_eq!(counts, vec![1, 2, 1, 2]);
        assert_eq!(outside, 3);
        let edges = bin_edges(1.0, 1000.0, 3, true);
        assert!((edges[1] - 10.0).abs() < 1e-9 && (edges[2] - 100.0).abs() < 1e-9);
        let (counts, _) = bin_counts(&[1.0, 9.99, 10.0, 500.0, 1000.0], &edges, true);
        assert_eq!(counts, vec![2, 1, 2]);
    }
}
