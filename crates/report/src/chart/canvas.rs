//! A thin drawing layer over plotters: logical coordinates (1200 x 800 for a
//! standard chart) scaled to the backend's pixels, text placed by its
//! baseline the same way in PNG and SVG, and text measured with the embedded
//! font so layout decisions do not depend on the output format.

use plotters::coord::Shift;
use plotters::element::{Drawable, PointCollection};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::{FontStyle, FontTransform, RGBAColor};
use plotters_backend::{BackendColor, BackendStyle, DrawingErrorKind};

use super::glyphs::TextRun;
use super::theme::FONT_FAMILY;

/// A drawing failure, carrying the plotting library's message.
#[derive(Debug)]
pub(crate) struct DrawError(pub(crate) String);

impl<E: std::error::Error + Send + Sync> From<DrawingAreaErrorKind<E>> for DrawError {
    fn from(e: DrawingAreaErrorKind<E>) -> Self {
        DrawError(e.to_string())
    }
}

pub(crate) type DrawResult<T = ()> = Result<T, DrawError>;

/// Horizontal alignment of a text relative to its x position.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Align {
    Left,
    Center,
    Right,
}

/// Vertical placement of a text relative to its y position.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum VAlign {
    /// y is the top of capital letters.
    Top,
    /// y is the middle of capital letters.
    Middle,
    /// y is the baseline.
    Baseline,
}

/// How to draw one piece of text.
#[derive(Debug, Clone, Copy)]
pub(crate) struct TextSpec {
    pub size: f64,
    pub bold: bool,
    pub color: RGBColor,
    pub align: Align,
    pub valign: VAlign,
    /// Rotated a quarter turn counter-clockwise (reads bottom to top).
    pub vertical: bool,
}

impl TextSpec {
    pub(crate) fn new(size: f64, color: RGBColor) -> Self {
        TextSpec {
            size,
            bold: false,
            color,
            align: Align::Left,
            valign: VAlign::Baseline,
            vertical: false,
        }
    }
    pub(crate) fn bold(mut self) -> Self {
        self.bold = true;
        self
    }
    pub(crate) fn align(mut self, align: Align) -> Self {
        self.align = align;
        self
    }
    pub(crate) fn valign(mut self, valign: VAlign) -> Self {
        self.valign = valign;
        self
    }
    pub(crate) fn vertical(mut self) -> Self {
        self.vertical = true;
        self
    }
}

/// Cap height of DejaVu Sans as a share of the plotters font size
/// (plotters' size is the font's ascent + descent in pixels).
const CAP_HEIGHT: f64 = 0.626;

/// DejaVu Sans's ascent plus descent in em units ((1901 + 483) / 2048):
/// plotters' font size over the em size.
const ASCENT_DESCENT: f64 = 1.1641;

/// The scale at which text is measured, whatever the backend, so that PNG and
/// SVG make the same layout decisions.
const MEASURE_SCALE: f64 = 4.0;

pub(crate) struct Canvas<'a, DB: DrawingBackend> {
    area: &'a DrawingArea<DB, Shift>,
    scale: f64,
    svg: bool,
    /// Logical width.
    pub w: f64,
    /// Logical height.
    pub h: f64,
}

impl<'a, DB: DrawingBackend> Canvas<'a, DB> {
    pub(crate) fn new(area: &'a DrawingArea<DB, Shift>, scale: f64, svg: bool) -> Self {
        let (pw, ph) = area.dim_in_pixel();
        Canvas {
            area,
            scale,
            svg,
            w: f64::from(pw) / scale,
            h: f64::from(ph) / scale,
        }
    }

    fn px(&self, v: f64) -> i32 {
        (v * self.scale).round() as i32
    }

    fn pt(&self, (x, y): (f64, f64)) -> (i32, i32) {
        (self.px(x), self.px(y))
    }

    /// A stroke width in backend pixels, at least one.
    fn width(&self, w: f64) -> u32 {
        (w * self.scale).round().max(1.0) as u32
    }

    pub(crate) fn fill(&self, color: RGBColor) -> DrawResult {
        self.area.fill(&color)?;
        Ok(())
    }

    /// A filled rectangle; corners in any order.
    pub(crate) fn rect(&self, x0: f64, y0: f64, x1: f64, y1: f64, color: RGBAColor) -> DrawResult {
        let (a, b) = (
            self.pt((x0.min(x1), y0.min(y1))),
            self.pt((x0.max(x1), y0.max(y1))),
        );
        // Keep hairline bars visible.
        let b = (b.0.max(a.0 + 1), b.1.max(a.1 + 1));
        self.area
            .draw(&Rectangle::new([a, b], ShapeStyle::from(color).filled()))?;
        Ok(())
    }

    /// A rectangle outline.
    pub(crate) fn rect_outline(
        &self,
        x0: f64,
        y0: f64,
        x1: f64,
        y1: f64,
        color: RGBAColor,
        width: f64,
    ) -> DrawResult {
        let (l, t, r, b) = (x0.min(x1), y0.min(y1), x0.max(x1), y0.max(y1));
        self.line(&[(l, t), (r, t), (r, b), (l, b), (l, t)], color, width)
    }

    /// A polyline.
    pub(crate) fn line(&self, points: &[(f64, f64)], color: RGBAColor, width: f64) -> DrawResult {
        if points.len() < 2 {
            return Ok(());
        }
        let pts: Vec<(i32, i32)> = points.iter().map(|&p| self.pt(p)).collect();
        let width = self.width(width);
        if self.svg {
            let style = ShapeStyle::from(color).stroke_width(width);
            self.area.draw(&PathElement::new(pts, style))?;
        } else {
            self.area.draw(&Stroke {
                points: pts,
                color,
                width,
            })?;
        }
        Ok(())
    }

    /// A straight dashed line.
    pub(crate) fn dashed(
        &self,
        from: (f64, f64),
        to: (f64, f64),
        color: RGBAColor,
        width: f64,
        dash: f64,
        gap: f64,
    ) -> DrawResult {
        let (dx, dy) = (to.0 - from.0, to.1 - from.1);
        let len = (dx * dx + dy * dy).sqrt();
        if len <= 0.0 {
            return Ok(());
        }
        let (ux, uy) = (dx / len, dy / len);
        let mut s = 0.0;
        while s < len {
            let e = (s + dash).min(len);
            self.line(
                &[
                    (from.0 + ux * s, from.1 + uy * s),
                    (from.0 + ux * e, from.1 + uy * e),
                ],
                color,
                width,
            )?;
            s += dash + gap;
        }
        Ok(())
    }

    /// A circle, filled and/or outlined.
    pub(crate) fn circle(
        &self,
        center: (f64, f64),
        r: f64,
        fill: Option<RGBAColor>,
        stroke: Option<(RGBAColor, f64)>,
    ) -> DrawResult {
        let c = self.pt(center);
        let radius = self.width(r);
        if let Some(color) = fill {
            self.area
                .draw(&Circle::new(c, radius, ShapeStyle::from(color).filled()))?;
        }
        if let Some((color, w)) = stroke {
            let style = ShapeStyle::from(color).stroke_width(self.width(w));
            self.area.draw(&Circle::new(c, radius, style))?;
        }
        Ok(())
    }

    /// A filled polygon.
    pub(crate) fn polygon(&self, points: &[(f64, f64)], color: RGBAColor) -> DrawResult {
        let pts: Vec<(i32, i32)> = points.iter().map(|&p| self.pt(p)).collect();
        self.area
            .draw(&Polygon::new(pts, ShapeStyle::from(color).filled()))?;
        Ok(())
    }

    fn font_at(&self, size_px: f64, spec: &TextSpec) -> TextStyle<'static> {
        let style = if spec.bold {
            FontStyle::Bold
        } else {
            FontStyle::Normal
        };
        let font = FontDesc::new(FontFamily::Name(FONT_FAMILY), size_px, style);
        TextStyle {
            font,
            color: spec.color.to_backend_color(),
            pos: Pos::default(),
        }
    }

    /// Width of `text` in logical units.
    pub(crate) fn text_width(&self, text: &str, size: f64, bold: bool) -> f64 {
        if text.is_empty() {
            return 0.0;
        }
        let spec = TextSpec {
            bold,
            ..TextSpec::new(size, RGBColor(0, 0, 0))
        };
        let font = self.font_at(size * MEASURE_SCALE, &spec);
        match self.area.estimate_text_size(text, &font) {
            Ok((w, _)) => f64::from(w) / MEASURE_SCALE,
            // Fall back to a generous average glyph width.
            Err(_) => text.chars().count() as f64 * size * 0.6,
        }
    }

    /// `text` unchanged if it fits in `max_w`, otherwise cut and ended with `…`.
    pub(crate) fn fit(&self, text: &str, size: f64, bold: bool, max_w: f64) -> String {
        if self.text_width(text, size, bold) <= max_w {
            return text.to_string();
        }
        let chars: Vec<char> = text.chars().collect();
        // Binary search for the longest prefix that fits with the ellipsis.
        let (mut lo, mut hi) = (0usize, chars.len());
        while lo < hi {
            let mid = (lo + hi).div_ceil(2);
            let candidate: String = chars[..mid]
                .iter()
                .collect::<String>()
                .trim_end()
                .to_string()
                + "…";
            if self.text_width(&candidate, size, bold) <= max_w {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        if lo == 0 {
            return "…".to_string();
        }
        chars[..lo]
            .iter()
            .collect::<String>()
            .trim_end()
            .to_string()
            + "…"
    }

    /// Draws `text` at logical (x, y) as `spec` says.
    pub(crate) fn text(&self, text: &str, x: f64, y: f64, spec: &TextSpec) -> DrawResult {
        if text.is_empty() {
            return Ok(());
        }
        let size = spec.size;
        // Where the baseline goes, measured across the text direction.
        let along = if spec.vertical { x } else { y };
        let baseline = match spec.valign {
            VAlign::Top => along + CAP_HEIGHT * size,
            VAlign::Middle => along + CAP_HEIGHT * size / 2.0,
            VAlign::Baseline => along,
        };
        // plotters places a top-anchored text's baseline half the size below
        // the anchor in bitmaps. In SVG it writes font-size = size / 1.24
        // and dy = 0.76em; the size passed there is corrected so that the
        // SVG em matches the bitmap's (size / ASCENT_DESCENT for DejaVu).
        let em = size / ASCENT_DESCENT;
        let (drop, backend_size) = if self.svg {
            (0.76 * em, em * 1.24)
        } else {
            (0.5 * size, size)
        };
        let anchor = baseline - drop;
        let h = match spec.align {
            Align::Left => HPos::Left,
            Align::Center => HPos::Center,
            Align::Right => HPos::Right,
        };
        // Rotated a quarter turn counter-clockwise: the text's "down" is the
        // screen's right, so the anchor sits left of the baseline. Alignment
        // along the text then runs bottom (start) to top (end).
        let pos = if spec.vertical {
            (self.px(anchor), self.px(y))
        } else {
            (self.px(x), self.px(anchor))
        };
        if self.svg {
            let mut font = self
                .font_at(backend_size * self.scale, spec)
                .pos(Pos::new(h, VPos::Top));
            if spec.vertical {
                font = font.transform(FontTransform::Rotate270);
            }
            self.area.draw_text(text, &font, pos)?;
        } else {
            // The same pixels as plotters' draw_text, from cached glyphs.
            let base = self.area.get_base_pixel();
            self.area.draw(&TextRun {
                anchor: (base.0 + pos.0, base.1 + pos.1),
                text,
                size: backend_size * self.scale,
                bold: spec.bold,
                color: spec.color.to_backend_color(),
                h,
                rotate: spec.vertical,
            })?;
        }
        Ok(())
    }
}

/// A polyline on a bitmap, drawn as plotters draws a path (for a stroke
/// wider than a pixel: `polygonize`, then `fill_polygon`), except one
/// straight horizontal or vertical segment (grid lines, ticks, axes: most
/// of the strokes of a chart): its polygon is a rectangle, which is filled
/// here with the same backend calls `fill_polygon` makes for it, without
/// the edge list it sorts and allocates for every one of the rectangle's
/// columns (8% of the report's instructions on 5 MB).
struct Stroke {
    points: Vec<(i32, i32)>,
    color: RGBAColor,
    width: u32,
}

impl<'a> PointCollection<'a, (i32, i32)> for &'a Stroke {
    type Point = &'a (i32, i32);
    type IntoIter = &'a [(i32, i32)];
    fn point_iter(self) -> Self::IntoIter {
        &self.points
    }
}

impl<DB: DrawingBackend> Drawable<DB> for Stroke {
    fn draw<I: Iterator<Item = (i32, i32)>>(
        &self,
        pos: I,
        backend: &mut DB,
        _parent_dim: (u32, u32),
    ) -> Result<(), DrawingErrorKind<DB::ErrorType>> {
        let pts: Vec<(i32, i32)> = pos.collect();
        let style = ShapeStyle::from(self.color).stroke_width(self.width);
        if self.width > 1 && pts.len() == 2 {
            let polygon = plotters_backend::rasterizer::polygonize(&pts, self.width);
            if let Some(rect) = axis_rectangle(&polygon) {
                return fill_rectangle_polygon(backend, rect, &style.color());
            }
        }
        backend.draw_path(pts, &style)
    }
}

/// The corners (left, top, right, bottom) of a polygon that is a rectangle
/// with sides along the axes and some width and height.
fn axis_rectangle(polygon: &[(i32, i32)]) -> Option<(i32, i32, i32, i32)> {
    let (first, rest) = polygon.split_first()?;
    let (mut l, mut t, mut r, mut b) = (first.0, first.1, first.0, first.1);
    for p in rest {
        l = l.min(p.0);
        r = r.max(p.0);
        t = t.min(p.1);
        b = b.max(p.1);
    }
    let corners = polygon
        .iter()
        .all(|&(x, y)| (x == l || x == r) && (y == t || y == b));
    (polygon.len() == 4 && corners && l < r && t < b).then_some((l, t, r, b))
}

/// What plotters' `fill_polygon` draws for the axis-aligned rectangle
/// (`l`, `t`, `r`, `b`): it sweeps the longer side one line at a time,
/// drawing the line across between the two long edges and, at each end,
/// a pixel blended at zero opacity (its anti-aliasing of edges that fall
/// on whole pixels), and leaves out the last line when the rectangle is
/// more than one pixel across. Checked pixel for pixel against plotters.
fn fill_rectangle_polygon<DB: DrawingBackend>(
    backend: &mut DB,
    (l, t, r, b): (i32, i32, i32, i32),
    color: &BackendColor,
) -> Result<(), DrawingErrorKind<DB::ErrorType>> {
    let clear = color.mix(0.0);
    // Sweep along the longer side (x when wider than tall), across from
    // `near` to `far`.
    let along_x = r - l > b - t;
    let (first, last, near, far) = if along_x { (l, r, t, b) } else { (t, b, l, r) };
    let at = |sweep: i32, across: i32| {
        if along_x {
            (sweep, across)
        } else {
            (across, sweep)
        }
    };
    for sweep in first..=last {
        if sweep == last && far - near > 1 {
            break;
        }
        backend.draw_line(at(sweep, near), at(sweep, far), color)?;
        backend.draw_pixel(at(sweep, near), clear)?;
        backend.draw_pixel(at(sweep, far), clear)?;
    }
    Ok(())
}

/// Downsamples an RGB buffer by an integer factor with a box filter (the
/// anti-aliasing step of the supersampled PNG output).
#[cfg(test)]
pub(crate) fn downsample(buf: &[u8], w: usize, h: usize, factor: usize) -> Vec<u8> {
    let mut out = Vec::new();
    downsample_into(buf, w, h, factor, &mut out);
    out
}

/// Downsamples an RGB buffer by an integer factor with a box filter (the
/// anti-aliasing step of the supersampled PNG output) into `out` (emptied
/// first), so that a caller drawing chart after chart reuses one buffer:
/// a fresh one per chart (3 MB at the standard size) cost more in page
/// faults than the filtering.
pub(crate) fn downsample_into(buf: &[u8], w: usize, h: usize, factor: usize, out: &mut Vec<u8>) {
    out.clear();
    if factor <= 1 {
        out.extend_from_slice(buf);
    } else if factor == 2 && buf.len() >= w * h * 3 {
        halve(buf, w, w / 2, h / 2, out);
    } else {
        *out = box_filter(buf, w, h, factor);
    }
}

/// The general case of [`downsample_into`]: pixels missing from a short buffer
/// count as black.
fn box_filter(buf: &[u8], w: usize, h: usize, factor: usize) -> Vec<u8> {
    let (ow, oh) = (w / factor, h / factor);
    let mut out = vec![0u8; ow * oh * 3];
    let n = (factor * factor) as u32;
    for oy in 0..oh {
        for ox in 0..ow {
            let mut acc = [0u32; 3];
            for dy in 0..factor {
                let row = (oy * factor + dy) * w;
                for dx in 0..factor {
                    let i = (row + ox * factor + dx) * 3;
                    if let Some(px) = buf.get(i..i + 3) {
                        acc[0] += u32::from(px[0]);
                        acc[1] += u32::from(px[1]);
                        acc[2] += u32::from(px[2]);
                    }
                }
            }
            let o = (oy * ow + ox) * 3;
            for c in 0..3 {
                out[o + c] = ((acc[c] + n / 2) / n) as u8;
            }
        }
    }
    out
}

/// [`downsample_into`] by 2 (the charts' factor), row pair by row pair: the two
/// rows are added byte by byte first (a loop the compiler vectorises), then
/// neighbouring pixels; the same rounded means, with no per-pixel bounds
/// checks or divisions.
fn halve(buf: &[u8], w: usize, ow: usize, oh: usize, out: &mut Vec<u8>) {
    out.resize(ow * oh * 3, 0);
    if ow == 0 {
        return;
    }
    let mut sums = vec![0u16; ow * 6];
    let mut means = vec![0u8; ow * 6];
    for (oy, orow) in out.chunks_exact_mut(ow * 3).enumerate() {
        let top = &buf[2 * oy * w * 3..][..ow * 6];
        let bottom = &buf[(2 * oy + 1) * w * 3..][..ow * 6];
        for ((s, &a), &b) in sums.iter_mut().zip(top).zip(bottom) {
            *s = u16::from(a) + u16::from(b);
        }
        // Each byte's rounded mean with the byte three further on (the same
        // channel of the next pixel), for every byte: a loop the compiler
        // vectorises; the output keeps the first three of every six.
        for ((m, &s), &t) in means.iter_mut().zip(&sums).zip(&sums[3..]) {
            *m = ((s + t + 2) >> 2) as u8;
        }
        for (o, m) in orow.chunks_exact_mut(3).zip(means.chunks_exact(6)) {
            o.copy_from_slice(&m[..3]);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        #[test]
        fn halving_equals_the_box_filter(
            w in 1usize..40,
            h in 1usize..40,
            seed in proptest::prelude::any::<u64>(),
        ) {
            let mut x = seed | 1;
            let buf: Vec<u8> = (0..w * h * 3)
                .map(|_| {
                    x ^= x << 13;
                    x ^= x >> 7;
                    x ^= x << 17;
                    x as u8
                })
                .collect();
            proptest::prop_assert_eq!(downsample(&buf, w, h, 2), box_filter(&buf, w, h, 2));
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2000))]
        /// A straight stroke on a bitmap has the pixels plotters draws for
        /// the same path, whatever its direction, width and opacity, in and
        /// partly out of the picture.
        #[test]
        fn strokes_equal_plotters_paths(
            x0 in -10i32..70,
            y0 in -10i32..50,
            len in 0i32..60,
            vertical in proptest::prelude::any::<bool>(),
            backwards in proptest::prelude::any::<bool>(),
            width in 1u32..9,
            opaque in proptest::prelude::any::<bool>(),
            diagonal in 0i32..3,
        ) {
            let (w, h) = (64u32, 48u32);
            let end = if vertical { (x0 + diagonal, y0 + len) } else { (x0 + len, y0 + diagonal) };
            let pts = if backwards { vec![end, (x0, y0)] } else { vec![(x0, y0), end] };
            let color = RGBColor(200, 30, 90).mix(if opaque { 1.0 } else { 0.6 });
            let draw = |fast: bool| {
                let mut buf = vec![0u8; (w * h * 3) as usize];
                {
                    let root = BitMapBackend::with_buffer(&mut buf, (w, h)).into_drawing_area();
                    root.fill(&RGBColor(250, 250, 245)).unwrap();
                    if fast {
                        root.draw(&Stroke { points: pts.clone(), color, width }).unwrap();
                    } else {
                        let style = ShapeStyle::from(color).stroke_width(width);
                        root.draw(&PathElement::new(pts.clone(), style)).unwrap();
                    }
                    root.present().unwrap();
                }
                buf
            };
            proptest::prop_assert!(draw(true) == draw(false));
        }
    }

    #[test]
    fn axis_rectangles_are_told_from_other_polygons() {
        assert_eq!(
            axis_rectangle(&[(0, 0), (4, 0), (4, 2), (0, 2)]),
            Some((0, 0, 4, 2))
        );
        assert_eq!(axis_rectangle(&[(0, 0), (4, 1), (4, 2), (0, 2)]), None);
        assert_eq!(axis_rectangle(&[(0, 0), (4, 0), (4, 0), (0, 0)]), None);
        assert_eq!(axis_rectangle(&[(0, 0), (4, 0), (4, 2)]), None);
    }

    #[test]
    fn halving_rounds_means_half_up() {
        // Four pixels 0, 1, 1, 1 in every channel: mean 0.75 -> 1; 0, 0, 1, 1 -> 0.5 -> 1.
        let buf = [0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1];
        assert_eq!(downsample(&buf, 2, 2, 2), [1, 1, 1]);
        let buf = [0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1];
        assert_eq!(downsample(&buf, 2, 2, 2), [1, 1, 1]);
    }
}
