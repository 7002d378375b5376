//! Horizontal bar charts: plain, diverging and small multiples.

use plotters::prelude::*;

use super::axis::*;
use super::canvas::{Align, Canvas, DrawResult, TextSpec, VAlign};
use super::theme::*;
use super::Chart;
use crate::format::{format_number, one_line, thousands, truncate_label};

/// Most bars drawn in one bar chart; the rest are left out with a note.
pub(crate) const MAX_BARS: usize = 40;
/// Most panels in a small-multiples chart.
pub(crate) const MAX_PANELS: usize = 24;
/// Most bars in one panel.
pub(crate) const MAX_PANEL_BARS: usize = 15;
/// Labels are cut to this many characters before any pixel fitting.
const MAX_LABEL_CHARS: usize = 40;

/// Cleans labels, drops non-finite values and caps the count; returns the
/// kept bars and notes describing what was left out.
pub(crate) fn prepare_bars<S: AsRef<str>>(
    bars: &[(S, f64)],
    max: usize,
    noun: (&str, &str),
) -> (Vec<(String, f64)>, Vec<String>) {
    let mut items: Vec<(String, f64)> = bars
        .iter()
        .filter(|(_, v)| v.is_finite())
        .map(|(l, v)| (truncate_label(l.as_ref(), MAX_LABEL_CHARS), *v))
        .collect();
    let mut notes = Vec::new();
    let skipped = bars.len() - items.len();
    if items.len() > max {
        notes.push(format!(
            "Showing the first {} of {} {}.",
            max,
            thousands(items.len() as u64),
            noun.1
        ));
        items.truncate(max);
    }
    if skipped > 0 {
        notes.push(format!(
            "{} without a numeric value left out.",
            count_phrase(skipped, noun.0, noun.1)
        ));
    }
    (items, notes)
}

/// Label font size for `n` rows in `height` pixels.
fn label_size(n: usize, height: f64) -> f64 {
    let slot = height / n.max(1) as f64;
    (slot * 0.66).clamp(10.0, LABEL_SIZE)
}

pub(crate) struct BarChart {
    pub title: String,
    pub x_label: String,
    pub y_label: String,
    pub items: Vec<(String, f64)>,
    pub notes: Vec<String>,
}

impl Chart for BarChart {
    fn size(&self) -> (u32, u32) {
        let legend = self.items.iter().any(|(_, v)| *v < 0.0);
        let h = rows_chart_height(self.items.len(), self.notes.len(), legend, &self.x_label);
        (WIDTH, h)
    }

    fn draw<DB: DrawingBackend>(&self, cv: &Canvas<'_, DB>) -> DrawResult {
        let signed_values = self.items.iter().any(|(_, v)| *v < 0.0);
        let legend = if signed_values {
            vec![
                LegendItem::new(Swatch::Bar(POSITIVE), "Positive"),
                LegendItem::new(Swatch::Bar(NEGATIVE), "Negative"),
            ]
        } else {
            Vec::new()
        };
        let top = draw_header(cv, &self.title, &self.notes, &legend)?;
        let n = self.items.len();
        let bottom = cv.h - MARGIN * 0.75 - x_axis_height(&self.x_label);
        let size = label_size(n, bottom - top);
        let max_label = 0.32 * cv.w;
        let labels: Vec<String> = self
            .items
            .iter()
            .map(|(l, _)| cv.fit(l, size, false, max_label))
            .collect();
        let label_w = labels
            .iter()
            .map(|l| cv.text_width(l, size, false))
            .fold(0.0, f64::max);
        let y_title = if self.y_label.is_empty() {
            0.0
        } else {
            AXIS_TITLE_SIZE + 14.0
        };
        let rect = Bounds {
            l: MARGIN + y_title + label_w + 12.0,
            t: top + 4.0,
            r: cv.w - MARGIN,
            b: bottom,
        };
        let value_size = (size * 0.94).max(10.0);
        let values: Vec<String> = self
            .items
            .iter()
            .map(|(_, v)| minus(&format_number(*v)))
            .collect();
        let (lo, hi) = self
            .items
            .iter()
            .fold((0.0f64, 0.0f64), |(a, b), (_, v)| (a.min(*v), b.max(*v)));
        let room = |positive: bool| {
            self.items
                .iter()
                .zip(&values)
                .filter(|((_, v), _)| if positive { *v >= 0.0 } else { *v < 0.0 })
                .map(|(_, s)| cv.text_width(s, value_size, false) + 10.0)
                .fold(0.0, f64::max)
        };
        let (pad_pos, pad_neg) = (room(true), room(false));
        let span = if hi - lo > 0.0 { hi - lo } else { 1.0 };
        let k = ((rect.w() - pad_pos - pad_neg) / span).max(1e-9);
        let scale = Scale::linear(lo - pad_neg / k, hi + pad_pos / k, rect.l, rect.r);
        let ticks = fit_linear_ticks(cv, scale.lo, scale.hi, rect.w(), true, &tick_label);
        let ticks: Vec<Tick> = ticks
            .into_iter()
            .filter(|(v, _)| *v >= lo - 1e-12 * span && *v <= scale.hi)
            .collect();
        draw_x_axis(cv, rect, &scale, &ticks, &self.x_label, true)?;

        let slot = rect.h() / n as f64;
        let bar_h = (slot * 0.7).min(46.0);
        let x0 = scale.map(0.0);
        let label_spec = TextSpec::new(size, INK)
            .align(Align::Right)
            .valign(VAlign::Middle);
        for (i, ((_, v), label)) in self.items.iter().zip(&labels).enumerate() {
            let cy = rect.t + (i as f64 + 0.5) * slot;
            let color = if signed_values { signed(*v) } else { COUNT };
            let x1 = scale.map(*v);
            cv.rect(x0, cy - bar_h / 2.0, x1, cy + bar_h / 2.0, color.to_rgba())?;
            cv.text(label, rect.l - 10.0, cy, &label_spec)?;
            let (vx, align) = if *v < 0.0 {
                (x1 - 6.0, Align::Right)
            } else {
                (x1 + 6.0, Align::Left)
            };
            let spec = TextSpec::new(value_size, MUTED)
                .align(align)
                .valign(VAlign::Middle);
            cv.text(&values[i], vx, cy, &spec)?;
        }
        cv.line(&[(x0, rect.t), (x0, rect.b)], AXIS.to_rgba(), 1.2)?;
        if !self.y_label.is_empty() {
            let spec = TextSpec::new(AXIS_TITLE_SIZE, INK)
                .align(Align::Center)
                .valign(VAlign::Top)
                .vertical();
            let fitted = cv.fit(&self.y_label, AXIS_TITLE_SIZE, false, rect.h());
            cv.text(&fitted, MARGIN, (rect.t + rect.b) / 2.0, &spec)?;
        }
        Ok(())
    }
}

pub(crate) struct DivergingChart {
    pub title: String,
    pub x_label: String,
    pub items: Vec<(String, f64)>,
    pub notes: Vec<String>,
}

impl Chart for DivergingChart {
    fn size(&self) -> (u32, u32) {
        let h = rows_chart_height(self.items.len(), self.notes.len(), true, &self.x_label);
        (WIDTH, h)
    }

    fn draw<DB: DrawingBackend>(&self, cv: &Canvas<'_, DB>) -> DrawResult {
        let legend = [
            LegendItem::new(Swatch::Bar(POSITIVE), "Positive contribution"),
            LegendItem::new(Swatch::Bar(NEGATIVE), "Negative contribution"),
        ];
        let top = draw_header(cv, &self.title, &self.notes, &legend)?;
        let n = self.items.len();
        let rect = Bounds {
            l: MARGIN,
            t: top + 4.0,
            r: cv.w - MARGIN,
            b: cv.h - MARGIN * 0.75 - x_axis_height(&self.x_label),
        };
        let size = label_size(n, rect.h());
        let value_size = (size * 0.94).max(10.0);
        let max_word = 0.3 * rect.w();
        let words: Vec<String> = self
            .items
            .iter()
            .map(|(w, _)| cv.fit(w, size, false, max_word))
            .collect();
        let values: Vec<String> = self
            .items
            .iter()
            .map(|(_, v)| minus(&format_number(*v)))
            .collect();
        let widest = |pick_positive: bool, texts: &[String], sz: f64| {
            self.items
                .iter()
                .zip(texts)
                .filter(|((_, v), _)| (*v >= 0.0) == pick_positive)
                .map(|(_, t)| cv.text_width(t, sz, false))
                .fold(0.0, f64::max)
        };
        // Words sit on the other side of zero from their bar, values at the bar's end.
        let word_pos = widest(true, &words, size);
        let word_neg = widest(false, &words, size);
        let val_pos = widest(true, &values, value_size);
        let val_neg = widest(false, &values, value_size);
        let pos_max = self.items.iter().map(|(_, v)| *v).fold(0.0, f64::max);
        let neg_max = self.items.iter().map(|(_, v)| -*v).fold(0.0, f64::max);
        let gap = 10.0;
        let side = |bar: f64, k: f64, val: f64, word: f64| {
            let bar_side = if bar > 0.0 { bar * k + gap + val } else { 0.0 };
            let word_side = if word > 0.0 { word + gap } else { 0.0 };
            bar_side.max(word_side)
        };
        let needed =
            |k: f64| side(neg_max, k, val_neg, word_pos) + side(pos_max, k, val_pos, word_neg);
        let (mut k_lo, mut k_hi) = (0.0, rect.w() / (pos_max + neg_max).max(f64::MIN_POSITIVE));
        for _ in 0..60 {
            let mid = (k_lo + k_hi) / 2.0;
            if needed(mid) <= rect.w() {
                k_lo = mid;
            } else {
                k_hi = mid;
            }
        }
        let k = k_lo.max(1e-12);
        let left = side(neg_max, k, val_neg, word_pos);
        let slack = (rect.w() - needed(k)).max(0.0);
        let zero = rect.l + left + slack / 2.0;
        let scale = Scale::linear((rect.l - zero) / k, (rect.r - zero) / k, rect.l, rect.r);
        let ticks = fit_linear_ticks(cv, scale.lo, scale.hi, rect.w(), true, &tick_label);
        draw_x_axis(cv, rect, &scale, &ticks, &self.x_label, true)?;

        let slot = rect.h() / n as f64;
        let bar_h = (slot * 0.7).min(46.0);
        for (i, (((_, v), word), value)) in self.items.iter().zip(&words).zip(&values).enumerate() {
            let cy = rect.t + (i as f64 + 0.5) * slot;
            let x1 = scale.map(*v);
            let positive = *v >= 0.0;
            let color = if positive { POSITIVE } else { NEGATIVE };
            cv.rect(
                zero,
                cy - bar_h / 2.0,
                x1,
                cy + bar_h / 2.0,
                color.to_rgba(),
            )?;
            let (wx, walign, vx, valign) = if positive {
                (zero - gap, Align::Right, x1 + 6.0, Align::Left)
            } else {
                (zero + gap, Align::Left, x1 - 6.0, Align::Right)
            };
            cv.text(
                word,
                wx,
                cy,
                &TextSpec::new(size, INK)
                    .align(walign)
                    .valign(VAlign::Middle),
            )?;
            cv.text(
                value,
                vx,
                cy,
                &TextSpec::new(value_size, MUTED)
                    .align(valign)
                    .valign(VAlign::Middle),
            )?;
        }
        cv.line(&[(zero, rect.t), (zero, rect.b)], AXIS.to_rgba(), 1.2)?;
        Ok(())
    }
}

pub(crate) struct SmallMultiples {
    pub title: String,
    pub x_label: String,
    pub panels: Vec<(String, Vec<(String, f64)>)>,
    pub notes: Vec<String>,
}

const PANEL_TITLE: f64 = 18.0;
const PANEL_LABEL: f64 = 15.0;
const PANEL_TICK: f64 = 13.0;
const PANEL_GAP_X: f64 = 40.0;
const PANEL_GAP_Y: f64 = 34.0;

impl SmallMultiples {
    fn columns(&self) -> usize {
        match self.panels.len() {
            0..=1 => 1,
            2 | 4 => 2,
            3 | 5..=9 => 3,
            _ => 4,
        }
    }

    fn rows(&self) -> usize {
        self.panels.len().div_ceil(self.columns())
    }

    fn bars_per_panel(&self) -> usize {
        self.panels
            .iter()
            .map(|(_, b)| b.len())
            .max()
            .unwrap_or(0)
            .max(1)
    }

    fn header_estimate(&self) -> f64 {
        header_height(self.notes.len(), false)
    }

    fn panel_height_needed(&self) -> f64 {
        PANEL_TITLE + 16.0 + self.bars_per_panel() as f64 * 24.0 + PANEL_TICK + 18.0
    }
}

impl Chart for SmallMultiples {
    fn size(&self) -> (u32, u32) {
        let needed = self.header_estimate()
            + self.rows() as f64 * (self.panel_height_needed() + PANEL_GAP_Y)
            + x_axis_height(&self.x_label)
            + MARGIN;
        (WIDTH, (needed.ceil() as u32).max(HEIGHT))
    }

    fn draw<DB: DrawingBackend>(&self, cv: &Canvas<'_, DB>) -> DrawResult {
        let top = draw_header(cv, &self.title, &self.notes, &[])?;
        let cols = self.columns();
        let rows = self.rows();
        let area = Bounds {
            l: MARGIN,
            t: top + 4.0,
            r: cv.w - MARGIN,
            b: cv.h
                - MARGIN * 0.75
                - if self.x_label.is_empty() {
                    0.0
                } else {
                    AXIS_TITLE_SIZE + 16.0
                },
        };
        let pw = (area.w() - PANEL_GAP_X * (cols - 1) as f64) / cols as f64;
        let ph = (area.h() - PANEL_GAP_Y * (rows - 1) as f64) / rows as f64;
        let m = self.bars_per_panel();
        for (i, (name, bars)) in self.panels.iter().enumerate() {
            let (c, r) = (i % cols, i / cols);
            let panel = Bounds {
                l: area.l + c as f64 * (pw + PANEL_GAP_X),
                t: area.t + r as f64 * (ph + PANEL_GAP_Y),
                r: area.l + c as f64 * (pw + PANEL_GAP_X) + pw,
                b: area.t + r as f64 * (ph + PANEL_GAP_Y) + ph,
            };
            draw_panel(cv, panel, name, bars, m, series(i))?;
        }
        if !self.x_label.is_empty() {
            let spec = TextSpec::new(AXIS_TITLE_SIZE, INK)
                .align(Align::Center)
                .valign(VAlign::Top);
            let fitted = cv.fit(&self.x_label, AXIS_TITLE_SIZE, false, area.w());
            cv.text(&fitted, (area.l + area.r) / 2.0, area.b + 14.0, &spec)?;
        }
        Ok(())
    }
}

fn draw_panel<DB: DrawingBackend>(
    cv: &Canvas<'_, DB>,
    panel: Bounds,
    name: &str,
    bars: &[(String, f64)],
    slots: usize,
    color: RGBColor,
) -> DrawResult {
    let title = cv.fit(name, PANEL_TITLE, true, panel.w());
    cv.text(
        &title,
        panel.l,
        panel.t,
        &TextSpec::new(PANEL_TITLE, INK).bold().valign(VAlign::Top),
    )?;
    let body_t = panel.t + PANEL_TITLE * 0.626 + 14.0;
    let body_b = panel.b - PANEL_TICK - 14.0;
    if bars.is_empty() {
        return cv.text(
            "nothing to show",
            panel.l,
            body_t + 12.0,
            &TextSpec::new(PANEL_LABEL, MUTED).valign(VAlign::Top),
        );
    }
    let size = label_size(slots, body_b - body_t).min(PANEL_LABEL);
    let labels: Vec<String> = bars
        .iter()
        .map(|(l, _)| cv.fit(l, size, false, panel.w() * 0.45))
        .collect();
    let label_w = labels
        .iter()
        .map(|l| cv.text_width(l, size, false))
        .fold(0.0, f64::max);
    let plot = Bounds {
        l: panel.l + label_w + 8.0,
        t: body_t,
        r: panel.r - 6.0,
        b: body_b,
    };
    let max = bars.iter().map(|(_, v)| *v).fold(0.0, f64::max);
    let min = bars.iter().map(|(_, v)| *v).fold(0.0, f64::min);
    let (lo, hi) = nice_range(min, if max > min { max } else { min + 1.0 }, 4);
    let scale = Scale::linear(lo, hi, plot.l, plot.r);
    // Three or four small ticks, checked for collisions at the panel's size.
    let mut ticks = Vec::new();
    for max_n in (2..=5).rev() {
        let (values, step) = linear_ticks(lo, hi, max_n);
        let decimals = crate::format::decimals_for_step(step);
        let candidate: Vec<Tick> = values
            .iter()
            .map(|&v| (v, tick_label(v, decimals)))
            .collect();
        let fits = candidate.windows(2).all(|w| {
            let gap = scale.map(w[1].0) - scale.map(w[0].0);
            gap >= (cv.text_width(&w[0].1, PANEL_TICK, false)
                + cv.text_width(&w[1].1, PANEL_TICK, false))
                / 2.0
                + 12.0
        });
        ticks = candidate;
        if fits {
            break;
        }
    }
    let tick_spec = TextSpec::new(PANEL_TICK, MUTED)
        .align(Align::Center)
        .valign(VAlign::Top);
    for (v, text) in &ticks {
        let x = scale.map(*v);
        cv.line(&[(x, plot.t), (x, plot.b)], GRID.to_rgba(), 1.0)?;
        cv.text(text, x, plot.b + 7.0, &tick_spec)?;
    }
    let slot = plot.h() / slots as f64;
    let bar_h = (slot * 0.7).min(30.0);
    let x0 = scale.map(0.0);
    let label_spec = TextSpec::new(size, INK)
        .align(Align::Right)
        .valign(VAlign::Middle);
    for (j, ((_, v), label)) in bars.iter().zip(&labels).enumerate() {
        let cy = plot.t + (j as f64 + 0.5) * slot;
        cv.rect(
            x0,
            cy - bar_h / 2.0,
            scale.map(*v),
            cy + bar_h / 2.0,
            color.to_rgba(),
        )?;
        cv.text(label, plot.l - 7.0, cy, &label_spec)?;
    }
    cv.line(&[(x0, plot.t), (x0, plot.b)], AXIS.to_rgba(), 1.0)?;
    Ok(())
}

/// Cleans a panel or series name for display.
pub(crate) fn clean_name(name: &str) -> String {
    let cleaned = one_line(name);
    if cleaned.is_empty() {
        "(unnamed)".to_string()
    } else {
        truncate_label(&cleaned, 60)
    }
}
