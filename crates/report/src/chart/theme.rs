//! The one look of every chart: font, palette, sizes.

use std::sync::OnceLock;

use plotters::style::{FontStyle, RGBColor};

use crate::error::ReportError;

/// The family name the embedded font is registered under. It doubles as the
/// SVG `font-family` list, so an SVG viewer without DejaVu Sans falls back to
/// a similar sans-serif face.
pub(crate) const FONT_FAMILY: &str = "DejaVu Sans, Verdana, sans-serif";

pub(crate) static REGULAR: &[u8] = include_bytes!("../../../../data/fonts/DejaVuSans.ttf");
pub(crate) static BOLD: &[u8] = include_bytes!("../../../../data/fonts/DejaVuSans-Bold.ttf");

/// Registers the embedded font with plotters once per process.
pub(crate) fn ensure_fonts() -> Result<(), ReportError> {
    static REGISTERED: OnceLock<bool> = OnceLock::new();
    let ok = *REGISTERED.get_or_init(|| {
        plotters::style::register_font(FONT_FAMILY, FontStyle::Normal, REGULAR).is_ok()
            && plotters::style::register_font(FONT_FAMILY, FontStyle::Bold, BOLD).is_ok()
    });
    if ok {
        Ok(())
    } else {
        Err(ReportError::Font)
    }
}

/// Text.
pub(crate) const INK: RGBColor = RGBColor(0x1f, 0x29, 0x33);
/// Secondary text: tick labels, notes.
pub(crate) const MUTED: RGBColor = RGBColor(0x5b, 0x67, 0x75);
/// Grid lines.
pub(crate) const GRID: RGBColor = RGBColor(0xe3, 0xe7, 0xec);
/// Axis lines, zero lines.
pub(crate) const AXIS: RGBColor = RGBColor(0x8d, 0x97, 0xa3);
/// Counts and other unsigned quantities.
pub(crate) const COUNT: RGBColor = RGBColor(0x4f, 0x6d, 0x8a);
/// Positive sentiment (Okabe-Ito blue).
pub(crate) const POSITIVE: RGBColor = RGBColor(0x00, 0x72, 0xb2);
/// Negative sentiment (Okabe-Ito vermillion).
pub(crate) const NEGATIVE: RGBColor = RGBColor(0xd5, 0x5e, 0x00);
/// Neither positive nor negative.
pub(crate) const NEUTRAL: RGBColor = RGBColor(0x9e, 0xa6, 0xb0);
/// Reference lines: means, fitted lines.
pub(crate) const ACCENT: RGBColor = RGBColor(0xaa, 0x44, 0x99);
/// White.
pub(crate) const PAPER: RGBColor = RGBColor(0xff, 0xff, 0xff);

/// Colours for groups and series (Paul Tol's colour-blind safe "muted"
/// scheme, reordered so neighbours contrast), used in this order.
pub(crate) const SERIES: [RGBColor; 9] = [
    RGBColor(0x33, 0x22, 0x88), // indigo
    RGBColor(0x44, 0xaa, 0x99), // teal
    RGBColor(0xcc, 0x66, 0x77), // rose
    RGBColor(0x11, 0x77, 0x33), // green
    RGBColor(0x88, 0x22, 0x55), // wine
    RGBColor(0x88, 0xcc, 0xee), // cyan
    RGBColor(0x99, 0x99, 0x33), // olive
    RGBColor(0xaa, 0x44, 0x99), // purple
    RGBColor(0xdd, 0xcc, 0x77), // sand
];

/// The colour of series `i`.
pub(crate) fn series(i: usize) -> RGBColor {
    SERIES[i % SERIES.len()]
}

/// The colour for a signed value.
pub(crate) fn signed(v: f64) -> RGBColor {
    if v > 0.0 {
        POSITIVE
    } else if v < 0.0 {
        NEGATIVE
    } else {
        NEUTRAL
    }
}

/// `#rrggbb` of a colour (the dashboard's CSS uses the same palette).
pub(crate) fn hex(c: RGBColor) -> String {
    format!("#{:02x}{:02x}{:02x}", c.0, c.1, c.2)
}

/// Standard chart size in logical pixels.
pub(crate) const WIDTH: u32 = 1200;
pub(crate) const HEIGHT: u32 = 800;

/// Outer margin.
pub(crate) const MARGIN: f64 = 36.0;
/// Title size.
pub(crate) const TITLE_SIZE: f64 = 30.0;
/// Notes under the title, legend text.
pub(crate) const NOTE_SIZE: f64 = 17.0;
/// Axis titles.
pub(crate) const AXIS_TITLE_SIZE: f64 = 19.0;
/// Tick labels and category labels.
pub(crate) const TICK_SIZE: f64 = 16.0;
/// Category labels next to bars.
pub(crate) const LABEL_SIZE: f64 = 17.0;
