//! Line charts: sentiment over time with counts, multi-line arcs, Zipf log-log.

use plotters::prelude::*;

use super::axis::*;
use super::canvas::{Align, Canvas, DrawResult, TextSpec, VAlign};
use super::theme::*;
use super::Chart;
use crate::format::format_fixed;

pub(crate) struct TimeChart {
    pub title: String,
    pub x_label: String,
    pub y_label: String,
    pub count_label: String,
    /// (label, mean, count); mean NaN when the period has no value.
    pub periods: Vec<(String, f64, u64)>,
    pub notes: Vec<String>,
}

impl Chart for TimeChart {
    fn draw<DB: DrawingBackend>(&self, cv: &Canvas<'_, DB>) -> DrawResult {
        let mean_legend = if self.y_label.is_empty() {
            "Mean"
        } else {
            &self.y_label
        };
        let count_legend = if self.count_label.is_empty() {
            "Count"
        } else {
            &self.count_label
        };
        let legend = [
            LegendItem::new(Swatch::LinePoint(INK), mean_legend),
            LegendItem::new(Swatch::Point(POSITIVE), "Positive"),
            LegendItem::new(Swatch::Point(NEGATIVE), "Negative"),
            LegendItem::new(Swatch::Bar(COUNT), count_legend),
        ];
        let top = draw_header(cv, &self.title, &self.notes, &legend)?;
        let bottom = cv.h - MARGIN * 0.75 - x_axis_height(&self.x_label);
        // Two panels on one time axis: the mean above, the counts below.
        let t = top + 6.0;
        let gap = 40.0;
        let split = t + (bottom - t - gap) * (1.0 - COUNT_SHARE);
        let (mean_t, mean_b) = (t, split);
        let (count_t, count_b) = (split + gap, bottom);

        let means: Vec<f64> = self
            .periods
            .iter()
            .map(|p| p.1)
            .filter(|m| m.is_finite())
            .collect();
        let (mut lo, mut hi) = means
            .iter()
            .fold((0.0f64, 0.0f64), |(a, b), m| (a.min(*m), b.max(*m)));
        if hi - lo <= 0.0 {
            hi += 0.5;
            lo -= 0.5;
        }
        let pad = (hi - lo) * 0.04;
        let (lo, hi) = nice_range(
            lo - if lo < 0.0 { pad } else { 0.0 },
            hi + if hi > 0.0 { pad } else { 0.0 },
            6,
        );
        let y_ticks = fit_linear_ticks(cv, lo, hi, mean_b - mean_t, false, &tick_label);
        let max_count = self.periods.iter().map(|p| p.2).max().unwrap_or(0).max(1) as f64;
        let (_, c_hi) = nice_range(0.0, max_count, 3);
        let c_ticks: Vec<Tick> =
            fit_linear_ticks(cv, 0.0, c_hi, count_b - count_t, false, &tick_label)
                .into_iter()
                .filter(|(v, _)| v.fract() == 0.0)
                .map(|(v, _)| (v, tick_label(v, 0)))
                .collect();
        let label_w = max_label_width(cv, &y_ticks).max(max_label_width(cv, &c_ticks));
        let l = MARGIN + y_axis_width(&self.y_label, label_w);
        let r = cv.w - MARGIN - 10.0;
        let mean_rect = Bounds {
            l,
            t: mean_t,
            r,
            b: mean_b,
        };
        let count_rect = Bounds {
            l,
            t: count_t,
            r,
            b: count_b,
        };
        let ys = Scale::linear(lo, hi, mean_b, mean_t);
        let cs = Scale::linear(0.0, c_hi, count_b, count_t);
        draw_y_axis(cv, mean_rect, &ys, &y_ticks, &self.y_label, label_w)?;
        draw_y_axis(cv, count_rect, &cs, &c_ticks, &self.count_label, label_w)?;

        let n = self.periods.len();
        let slot = (r - l) / n as f64;
        let cx = |i: usize| l + (i as f64 + 0.5) * slot;
        // Period labels: every k-th, so that neighbours never touch.
        let widest = self
            .periods
            .iter()
            .map(|p| cv.text_width(&p.0, TICK_SIZE, false))
            .fold(0.0, f64::max);
        let every = ((widest + 18.0) / slot).ceil().max(1.0) as usize;
        let label_spec = TextSpec::new(TICK_SIZE, MUTED)
            .align(Align::Center)
            .valign(VAlign::Top);
        for (i, p) in self.periods.iter().enumerate() {
            if i % every != 0 {
                continue;
            }
            let x = cx(i);
            // Keep the first and last labels inside the chart.
            let half = cv.text_width(&p.0, TICK_SIZE, false) / 2.0;
            let lx = x.clamp(MARGIN * 0.5 + half, cv.w - MARGIN * 0.5 - half);
            cv.line(&[(x, mean_t), (x, mean_b)], GRID.mix(0.7), 1.0)?;
            cv.line(&[(x, count_b), (x, count_b + 5.0)], AXIS.to_rgba(), 1.0)?;
            cv.text(&p.0, lx, count_b + 10.0, &label_spec)?;
        }
        if !self.x_label.is_empty() {
            let spec = TextSpec::new(AXIS_TITLE_SIZE, INK)
                .align(Align::Center)
                .valign(VAlign::Top);
            let fitted = cv.fit(&self.x_label, AXIS_TITLE_SIZE, false, r - l);
            cv.text(
                &fitted,
                (l + r) / 2.0,
                count_b + 10.0 + TICK_SIZE + 16.0,
                &spec,
            )?;
        }
        let bar_w = (slot * 0.72).clamp(1.0, 48.0);
        for (i, p) in self.periods.iter().enumerate() {
            if p.2 > 0 {
                let x = cx(i);
                cv.rect(
                    x - bar_w / 2.0,
                    cs.map(p.2 as f64),
                    x + bar_w / 2.0,
                    count_b,
                    COUNT.to_rgba(),
                )?;
            }
        }
        cv.line(&[(l, count_b), (r, count_b)], AXIS.to_rgba(), 1.2)?;
        if lo < 0.0 && hi > 0.0 {
            let y = ys.map(0.0);
            cv.dashed((l, y), (r, y), AXIS.to_rgba(), 1.5, 8.0, 5.0)?;
        }
        // The mean line, broken where a period has no value.
        let mut run: Vec<(f64, f64)> = Vec::new();
        for (i, p) in self.periods.iter().enumerate() {
            if p.1.is_finite() {
                run.push((cx(i), ys.map(p.1)));
            } else {
                cv.line(&run, INK.to_rgba(), 2.5)?;
                run.clear();
            }
        }
        cv.line(&run, INK.to_rgba(), 2.5)?;
        let radius = if slot >= 14.0 {
            5.0
        } else if slot >= 6.0 {
            3.5
        } else {
            0.0
        };
        for (i, p) in self.periods.iter().enumerate() {
            // A lone period between gaps still needs a visible mark.
            let lone = (i == 0 || !self.periods[i - 1].1.is_finite())
                && (i + 1 == n || !self.periods[i + 1].1.is_finite());
            let r = if radius > 0.0 {
                radius
            } else if lone {
                2.5
            } else {
                0.0
            };
            if p.1.is_finite() && r > 0.0 {
                cv.circle(
                    (cx(i), ys.map(p.1)),
                    r,
                    Some(signed(p.1).to_rgba()),
                    Some((PAPER.to_rgba(), 1.5)),
                )?;
            }
        }
        Ok(())
    }
}

/// Share of the plot height given to the count panel.
const COUNT_SHARE: f64 = 0.3;

pub(crate) struct LinesChart {
    pub title: String,
    pub x_label: String,
    pub y_label: String,
    pub series: Vec<(String, Vec<(f64, f64)>)>,
    pub x_range: (f64, f64),
    pub x_percent: bool,
    pub zero_line: bool,
    pub notes: Vec<String>,
}

impl Chart for LinesChart {
    fn draw<DB: DrawingBackend>(&self, cv: &Canvas<'_, DB>) -> DrawResult {
        let max_points = self.series.iter().map(|s| s.1.len()).max().unwrap_or(0);
        let with_points = max_points <= 30;
        let legend: Vec<LegendItem> = self
            .series
            .iter()
            .enumerate()
            .map(|(i, (name, _))| {
                let swatch = if with_points {
                    Swatch::LinePoint(series(i))
                } else {
                    Swatch::Line(series(i))
                };
                LegendItem::new(swatch, name.clone())
            })
            .collect();
        let top = draw_header(cv, &self.title, &self.notes, &legend)?;
        let bottom = cv.h - MARGIN * 0.75 - x_axis_height(&self.x_label);
        let t = top + 6.0;
        let ys: Vec<f64> = self
            .series
            .iter()
            .flat_map(|s| s.1.iter().map(|p| p.1))
            .collect();
        let (mut lo, mut hi) = ys
            .iter()
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), y| {
                (a.min(*y), b.max(*y))
            });
        if self.zero_line {
            lo = lo.min(0.0);
            hi = hi.max(0.0);
        }
        if hi - lo <= 0.0 {
            lo -= 0.5;
            hi += 0.5;
        }
        let pad = (hi - lo) * 0.06;
        let (lo, hi) = nice_range(lo - pad, hi + pad, 7);
        let y_ticks = fit_linear_ticks(cv, lo, hi, bottom - t, false, &tick_label);
        let rect = Bounds {
            l: MARGIN + y_axis_width(&self.y_label, max_label_width(cv, &y_ticks)),
            t,
            r: cv.w - MARGIN - 14.0,
            b: bottom,
        };
        let (x0, x1) = self.x_range;
        let xs = Scale::linear(x0, x1, rect.l, rect.r);
        let yscale = Scale::linear(lo, hi, rect.b, rect.t);
        let percent = |v: f64, d: usize| {
            minus(&format!(
                "{}%",
                format_fixed(v * 100.0, d.saturating_sub(2))
            ))
        };
        let x_ticks = if self.x_percent {
            fit_linear_ticks(cv, x0, x1, rect.w(), true, &percent)
        } else {
            fit_linear_ticks(cv, x0, x1, rect.w(), true, &tick_label)
        };
        draw_y_axis(
            cv,
            rect,
            &yscale,
            &y_ticks,
            &self.y_label,
            max_label_width(cv, &y_ticks),
        )?;
        draw_x_axis(cv, rect, &xs, &x_ticks, &self.x_label, true)?;
        cv.line(&[(rect.l, rect.b), (rect.r, rect.b)], AXIS.to_rgba(), 1.2)?;
        if self.zero_line && lo < 0.0 && hi > 0.0 {
            let y = yscale.map(0.0);
            cv.dashed((rect.l, y), (rect.r, y), AXIS.to_rgba(), 1.5, 8.0, 5.0)?;
        }
        for (i, (_, points)) in self.series.iter().enumerate() {
            let color = series(i).to_rgba();
            let pts: Vec<(f64, f64)> = points
                .iter()
                .filter(|(x, _)| *x >= x0 && *x <= x1)
                .map(|&(x, y)| (xs.map(x), yscale.map(y)))
                .collect();
            cv.line(&pts, color, 2.8)?;
            if with_points {
                for p in &pts {
                    cv.circle(*p, 4.5, Some(color), Some((PAPER.to_rgba(), 1.5)))?;
                }
            }
        }
        Ok(())
    }
}

/// A straight line fitted on log10 axes: `log10(y) = intercept + slope · log10(x)`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LogLogFit {
    /// Slope in log-log space (about −1 for Zipf's law).
    pub slope: f64,
    /// Intercept: log10 of the fitted y at x = 1.
    pub intercept: f64,
    /// Coefficient of determination of the fit in log-log space.
    pub r_squared: f64,
}

impl LogLogFit {
    /// Ordinary least squares of log10(y) on log10(x) over the points with
    /// both coordinates positive and finite; `None` when fewer than two
    /// distinct x values remain.
    pub fn least_squares(points: &[(f64, f64)]) -> Option<LogLogFit> {
        let logs: Vec<(f64, f64)> = points
            .iter()
            .filter(|(x, y)| x.is_finite() && y.is_finite() && *x > 0.0 && *y > 0.0)
            .map(|(x, y)| (x.log10(), y.log10()))
            .collect();
        let n = logs.len() as f64;
        if logs.len() < 2 {
            return None;
        }
        let mx = logs.iter().map(|p| p.0).sum::<f64>() / n;
        let my = logs.iter().map(|p| p.1).sum::<f64>() / n;
        let sxx: f64 = logs.iter().map(|p| (p.0 - mx).powi(2)).sum();
        let sxy: f64 = logs.iter().map(|p| (p.0 - mx) * (p.1 - my)).sum();
        let syy: f64 = logs.iter().map(|p| (p.1 - my).powi(2)).sum();
        if sxx <= 0.0 {
            return None;
        }
        let slope = sxy / sxx;
        let intercept = my - slope * mx;
        let r_squared = if syy > 0.0 {
            (sxy * sxy) / (sxx * syy)
        } else {
            1.0
        };
        Some(LogLogFit {
            slope,
            intercept,
            r_squared,
        })
    }

    /// The fitted y at `x`.
    pub fn predict(&self, x: f64) -> f64 {
        10f64.powf(self.intercept + self.slope * x.log10())
    }
}

pub(crate) struct ZipfChart {
    pub title: String,
    pub x_label: String,
    pub y_label: String,
    /// (rank, frequency), ascending rank, all positive.
    pub points: Vec<(f64, f64)>,
    pub fit: Option<LogLogFit>,
    pub notes: Vec<String>,
}

impl Chart for ZipfChart {
    fn draw<DB: DrawingBackend>(&self, cv: &Canvas<'_, DB>) -> DrawResult {
        let mut legend = vec![LegendItem::new(
            Swatch::Point(COUNT),
            "Observed (one dot per rank)",
        )];
        if let Some(fit) = &self.fit {
            let sign = if fit.slope < 0.0 { "\u{2212}" } else { "+" };
            legend.push(LegendItem::new(
                Swatch::Line(ACCENT),
                format!(
                    "Fitted line: log\u{2081}\u{2080} frequency = {} {sign} {} \u{00d7} log\u{2081}\u{2080} rank   (R\u{00b2} = {})",
                    minus(&format_fixed(fit.intercept, 2)),
                    format_fixed(fit.slope.abs(), 3),
                    format_fixed(fit.r_squared, 3)
                ),
            ));
        }
        let top = draw_header(cv, &self.title, &self.notes, &legend)?;
        let bottom = cv.h - MARGIN * 0.75 - x_axis_height(&self.x_label);
        let t = top + 6.0;
        let (mut x_hi, mut y_lo, mut y_hi) = (1.0f64, f64::INFINITY, 0.0f64);
        for &(x, y) in &self.points {
            x_hi = x_hi.max(x);
            y_lo = y_lo.min(y);
            y_hi = y_hi.max(y);
        }
        // A little room around the dots (a sixth of a decade at the ends),
        // so none sits on an axis line.
        let room = 10f64.powf(1.0 / 6.0);
        let (x_lo, x_hi) = (1.0 / room, (x_hi * room).max(10.0));
        let y_lo = y_lo.max(f64::MIN_POSITIVE) / room;
        let y_hi = (y_hi * room).max(y_lo * 10.0);
        let y_ticks = fit_log_ticks(cv, y_lo, y_hi, bottom - t, false);
        let rect = Bounds {
            l: MARGIN + y_axis_width(&self.y_label, max_label_width(cv, &y_ticks)),
            t,
            r: cv.w - MARGIN - 14.0,
            b: bottom,
        };
        let xs = Scale::log(x_lo, x_hi, rect.l, rect.r);
        let ys = Scale::log(y_lo, y_hi, rect.b, rect.t);
        let x_ticks = fit_log_ticks(cv, x_lo, x_hi, rect.w(), true);
        draw_y_axis(
            cv,
            rect,
            &ys,
            &y_ticks,
            &self.y_label,
            max_label_width(cv, &y_ticks),
        )?;
        draw_x_axis(cv, rect, &xs, &x_ticks, &self.x_label, true)?;
        cv.line(&[(rect.l, rect.b), (rect.r, rect.b)], AXIS.to_rgba(), 1.2)?;
        cv.line(&[(rect.l, rect.t), (rect.l, rect.b)], AXIS.to_rgba(), 1.2)?;
        // Dots, thinned to one per half-pixel cell: a large vocabulary has
        // hundreds of thousands of ranks that land on the same few pixels.
        let mut seen = std::collections::HashSet::new();
        let dot = COUNT.mix(0.55);
        for &(x, y) in &self.points {
            let p = (xs.map(x), ys.map(y));
            if seen.insert(((p.0 * 2.0).round() as i64, (p.1 * 2.0).round() as i64)) {
                cv.circle(p, 3.0, Some(dot), None)?;
            }
        }
        if let Some(fit) = &self.fit {
            // Clip the line to the plot in log space.
            let (lx0, lx1) = (x_lo.log10(), x_hi.log10());
            let (ly0, ly1) = (y_lo.log10(), y_hi.log10());
            let mut a = lx0;
            let mut b = lx1;
            if fit.slope != 0.0 {
                let at = |ly: f64| (ly - fit.intercept) / fit.slope;
                let (c0, c1) = (at(ly0), at(ly1));
                let (cmin, cmax) = (c0.min(c1), c0.max(c1));
                a = a.max(cmin);
                b = b.min(cmax);
            }
            if a < b {
                let p = |lx: f64| {
                    (
                        xs.map(10f64.powf(lx)),
                        ys.map(10f64.powf(fit.intercept + fit.slope * lx)),
                    )
                };
                cv.line(&[p(a), p(b)], ACCENT.to_rgba(), 3.0)?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exact_power_law_is_recovered() {
        let points: Vec<(f64, f64)> = (1..=1000)
            .map(|r| (r as f64, 5000.0 * (r as f64).powf(-1.1)))
            .collect();
        let fit = LogLogFit::least_squares(&points).unwrap();
        assert!((fit.slope + 1.1).abs() < 1e-9, "{fit:?}");
        assert!((fit.intercept - 5000f64.log10()).abs() < 1e-9);
        assert!((fit.r_squared - 1.0).abs() < 1e-9);
        assert!((fit.predict(10.0) - 5000.0 * 10f64.powf(-1.1)).abs() < 1e-6);
    }

    #[test]
    fn degenerate_fits_are_none() {
        assert!(LogLogFit::least_squares(&[]).is_none());
        assert!(LogLogFit::least_squares(&[(1.0, 5.0)]).is_none());
        assert!(LogLogFit::least_squares(&[(2.0, 5.0), (2.0, 7.0)]).is_none());
        assert!(LogLogFit::least_squares(&[(0.0, 5.0), (-1.0, 7.0), (3.0, 0.0)]).is_none());
    }
}
