//! Text on bitmaps drawn from glyphs rasterised once per thread.
//!
//! plotters draws a text on a bitmap by building and rasterising the outline
//! of every glyph of it, every time (a tenth of a report's instructions on
//! a small corpus went there). [`TextRun`] makes the same backend calls
//! plotters' `draw_text` makes, pixel for pixel and in the same order, but
//! takes each glyph's coverage from a per-thread cache keyed by face, size
//! and character.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;
use std::sync::OnceLock;

use ab_glyph::{Font, FontRef, GlyphId, ScaleFont};
use plotters::element::{Drawable, PointCollection};
use plotters::style::text_anchor::HPos;
use plotters_backend::{BackendColor, DrawingBackend, DrawingErrorKind};

use super::theme::{BOLD, REGULAR};

/// The two embedded faces, parsed once.
fn face(bold: bool) -> Option<&'static FontRef<'static>> {
    static FACES: OnceLock<Option<(FontRef<'static>, FontRef<'static>)>> = OnceLock::new();
    FACES
        .get_or_init(|| {
            Some((
                FontRef::try_from_slice(REGULAR).ok()?,
                FontRef::try_from_slice(BOLD).ok()?,
            ))
        })
        .as_ref()
        .map(|(r, b)| if bold { b } else { r })
}

/// One character of one face at one size, as plotters' ab_glyph font draws
/// it: its glyph, its advance, and (when it has an outline) the row offset
/// and the covered pixels of its rasterised outline.
struct Glyph {
    id: GlyphId,
    advance: f32,
    y_shift: i32,
    /// (x, y, coverage), in the rasteriser's order; pixels of no coverage
    /// are left out (the bitmap backend ignores a pixel of zero opacity).
    pixels: Vec<(i32, i32, f32)>,
}

type Key = (bool, u64, char);

thread_local! {
    static GLYPHS: RefCell<HashMap<Key, Rc<Glyph>>> = RefCell::new(HashMap::new());
}

/// The glyph of `c` in `font` (the face `bold` at `size`), from the cache.
fn glyph(
    font: &ab_glyph::PxScaleFont<&FontRef<'static>>,
    bold: bool,
    size: f64,
    c: char,
) -> Rc<Glyph> {
    let key = (bold, size.to_bits(), c);
    if let Some(g) = GLYPHS.with(|m| m.borrow().get(&key).cloned()) {
        return g;
    }
    let id = font.glyph_id(c);
    let mut g = Glyph {
        id,
        advance: font.h_advance(id),
        y_shift: 0,
        pixels: Vec::new(),
    };
    if let Some(q) = font.outline_glyph(font.scaled_glyph(c)) {
        let rect = q.px_bounds();
        g.y_shift = ((size as f32) / 2.0 + rect.min.y) as i32;
        q.draw(|x, y, cover| {
            // A NaN coverage is kept: the backend blends it, it does not
            // skip it.
            if cover > 0.0 || cover.is_nan() {
                g.pixels.push((x as i32, y as i32, cover));
            }
        });
    }
    let g = Rc::new(g);
    GLYPHS.with(|m| m.borrow_mut().insert(key, g.clone()));
    g
}

/// A text on a bitmap: what `DrawingArea::draw_text` draws for a text style
/// of the embedded font at `size` pixels with anchor (`h`, top), rotated a
/// quarter turn counter-clockwise when `rotate`.
pub(crate) struct TextRun<'t> {
    /// In the backend's pixels (the drawing area's base pixel added): a
    /// drawing area would move an element's points into itself, where
    /// `draw_text` lets a text start outside it.
    pub(crate) anchor: (i32, i32),
    pub(crate) text: &'t str,
    pub(crate) size: f64,
    pub(crate) bold: bool,
    pub(crate) color: BackendColor,
    pub(crate) h: HPos,
    pub(crate) rotate: bool,
}

impl<'a> PointCollection<'a, (i32, i32)> for &'a TextRun<'_> {
    type Point = &'a (i32, i32);
    type IntoIter = std::iter::Empty<&'a (i32, i32)>;
    fn point_iter(self) -> Self::IntoIter {
        std::iter::empty()
    }
}

impl<DB: DrawingBackend> Drawable<DB> for TextRun<'_> {
    fn draw<I: Iterator<Item = (i32, i32)>>(
        &self,
        _points: I,
        backend: &mut DB,
        _parent_dim: (u32, u32),
    ) -> Result<(), DrawingErrorKind<DB::ErrorType>> {
        let pos = self.anchor;
        if self.color.alpha == 0.0 {
            return Ok(());
        }
        let Some(face) = face(self.bold) else {
            return Err(DrawingErrorKind::FontError(
                "the embedded font could not be read".into(),
            ));
        };
        let font = face.as_scaled(self.size as f32);
        // Each glyph with its kerning against the glyph before (none for
        // the first), looked up once for both sums below.
        let mut prev: Option<GlyphId> = None;
        let glyphs: Vec<(Rc<Glyph>, Option<f32>)> = self
            .text
            .chars()
            .map(|c| {
                let g = glyph(&font, self.bold, self.size, c);
                let kern = prev.map(|p| font.kern(p, g.id));
                prev = Some(g.id);
                (g, kern)
            })
            .collect();
        // The layout box's width, summed as plotters' estimate_layout sums
        // it (advance, then kerning with the glyph before).
        let mut width = 0f32;
        for (g, kern) in &glyphs {
            width += g.advance;
            if let Some(k) = kern {
                width += k;
            }
        }
        let width = width as i32;
        let dx = match self.h {
            HPos::Left => 0,
            HPos::Right => -width,
            HPos::Center => -width / 2,
        };
        let (w, h) = backend.get_size();
        // Each glyph placed as plotters' ab_glyph font places it (kerning
        // with the glyph before, then the glyph, then its advance).
        let mut x_shift = 0f32;
        for (g, kern) in &glyphs {
            if let Some(k) = kern {
                x_shift += k;
            }
            let gx = x_shift as i32;
            for &(x, y, cover) in &g.pixels {
                let (x, y) = (x + gx + dx, y + g.y_shift);
                let (x, y) = if self.rotate { (y, -x) } else { (x, y) };
                let (x, y) = (pos.0 + x, pos.1 + y);
                if x >= 0 && x < w as i32 && y >= 0 && y < h as i32 {
                    backend.draw_pixel((x, y), self.color.mix(f64::from(cover)))?;
                }
            }
            x_shift += g.advance;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use plotters::prelude::*;
    use plotters::style::text_anchor::{Pos, VPos};
    use plotters::style::{FontStyle, FontTransform};

    use crate::chart::theme::{ensure_fonts, FONT_FAMILY};

    /// The pixels of `text` drawn by plotters' draw_text (`cached` false)
    /// or by a [`TextRun`] (true), twice in a row (the second time from a
    /// warm cache), on a small bitmap it may overflow.
    #[allow(clippy::too_many_arguments)]
    fn draw(
        cached: bool,
        text: &str,
        size: f64,
        bold: bool,
        h: HPos,
        rotate: bool,
        at: (i32, i32),
        alpha: f64,
    ) -> Vec<u8> {
        ensure_fonts().unwrap();
        let (w, hgt) = (160u32, 90u32);
        let mut buf = vec![0u8; (w * hgt * 3) as usize];
        let color = RGBColor(30, 40, 200).mix(alpha);
        {
            let root = BitMapBackend::with_buffer(&mut buf, (w, hgt)).into_drawing_area();
            root.fill(&RGBColor(250, 250, 245)).unwrap();
            for _ in 0..2 {
                if cached {
                    root.draw(&TextRun {
                        anchor: at,
                        text,
                        size,
                        bold,
                        color: color.to_backend_color(),
                        h,
                        rotate,
                    })
                    .unwrap();
                } else {
                    let face = if bold {
                        FontStyle::Bold
                    } else {
                        FontStyle::Normal
                    };
                    let mut style = TextStyle {
                        font: FontDesc::new(FontFamily::Name(FONT_FAMILY), size, face),
                        color: color.to_backend_color(),
                        pos: Pos::new(h, VPos::Top),
                    };
                    if rotate {
                        style = style.transform(FontTransform::Rotate270);
                    }
                    root.draw_text(text, &style, at).unwrap();
                }
            }
            root.present().unwrap();
        }
        buf
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(300))]
        /// Any text, in either face, at any size, alignment, rotation,
        /// opacity and place (partly off the picture too) has the pixels
        /// plotters draws for it.
        #[test]
        fn text_runs_equal_plotters_text(
            text in "[A-Za-z0-9 .,:;'()%é–…AVTo]{0,14}",
            size in 6.0f64..48.0,
            bold in proptest::prelude::any::<bool>(),
            h in 0usize..3,
            rotate in proptest::prelude::any::<bool>(),
            x in -40i32..180,
            y in -30i32..100,
            alpha in 0.0f64..1.0,
        ) {
            let h = [HPos::Left, HPos::Center, HPos::Right][h];
            let ours = draw(true, &text, size, bold, h, rotate, (x, y), alpha);
            let theirs = draw(false, &text, size, bold, h, rotate, (x, y), alpha);
            proptest::prop_assert!(ours == theirs);
        }
    }

    #[test]
    fn a_text_draws_something_where_plotters_does() {
        let word = |cached, text| draw(cached, text, 20.0, true, HPos::Left, false, (10, 10), 1.0);
        let ours = word(true, "Lexiscope");
        assert_ne!(ours, word(true, ""));
        assert_eq!(ours, word(false, "Lexiscope"));
    }
}
