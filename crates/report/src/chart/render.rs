//! Turns a chart description into PNG and SVG files.

use std::path::{Path, PathBuf};

use plotters::prelude::*;

use super::canvas::{downsample, Canvas, DrawResult};
use super::theme::{ensure_fonts, HEIGHT, PAPER, WIDTH};
use crate::atomic::atomic_write;
use crate::error::ReportError;

/// An image format for charts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ChartFormat {
    /// PNG raster (the default), 1200 x 800 pixels for a standard chart.
    Png,
    /// SVG vector graphics; text stays text, set in DejaVu Sans when the
    /// viewer has it and another sans-serif face otherwise.
    Svg,
}

impl ChartFormat {
    /// The file extension, without the dot.
    pub fn extension(self) -> &'static str {
        match self {
            ChartFormat::Png => "png",
            ChartFormat::Svg => "svg",
        }
    }
}

impl std::str::FromStr for ChartFormat {
    type Err = String;

    /// `png` or `svg`, any case.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "png" => Ok(ChartFormat::Png),
            "svg" => Ok(ChartFormat::Svg),
            other => Err(format!(
                "unknown chart format \"{other}\" (expected png or svg)"
            )),
        }
    }
}

impl std::fmt::Display for ChartFormat {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.extension())
    }
}

/// Something that can draw itself on a canvas.
pub(crate) trait Chart {
    /// Logical size; the standard is 1200 x 800.
    fn size(&self) -> (u32, u32) {
        (WIDTH, HEIGHT)
    }
    fn draw<DB: DrawingBackend>(&self, cv: &Canvas<'_, DB>) -> DrawResult;
}

/// PNG charts are drawn at this multiple of their size and scaled down,
/// which anti-aliases lines and shapes.
const SUPERSAMPLE: u32 = 2;

/// Writes `chart` once per distinct format to `stem` + `.png` / `.svg`.
pub(crate) fn render<C: Chart>(
    chart: &C,
    stem: &Path,
    formats: &[ChartFormat],
) -> Result<Vec<PathBuf>, ReportError> {
    ensure_fonts()?;
    let mut formats = formats.to_vec();
    formats.sort();
    formats.dedup();
    let mut written = Vec::with_capacity(formats.len());
    for format in formats {
        let mut name = stem.as_os_str().to_os_string();
        name.push(".");
        name.push(format.extension());
        let path = PathBuf::from(name);
        let bytes = match format {
            ChartFormat::Png => draw_png(chart, &path)?,
            ChartFormat::Svg => draw_svg(chart, &path)?,
        };
        atomic_write(&path, &bytes)?;
        written.push(path);
    }
    Ok(written)
}

fn render_error(path: &Path, message: impl Into<String>) -> ReportError {
    ReportError::Render {
        path: path.to_path_buf(),
        message: message.into(),
    }
}

fn draw_png<C: Chart>(chart: &C, path: &Path) -> Result<Vec<u8>, ReportError> {
    let (w, h) = chart.size();
    let (bw, bh) = (w * SUPERSAMPLE, h * SUPERSAMPLE);
    // The supersampled canvas (11 MB at the standard size) is kept per
    // thread and reused: a fresh one per chart cost more in page faults
    // than the drawing.
    thread_local! {
        static CANVAS: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
    }
    CANVAS.with_borrow_mut(|buf| {
        buf.resize(bw as usize * bh as usize * 3, 0);
        draw_png_on(chart, path, buf, (w, h))
    })
}

fn draw_png_on<C: Chart>(
    chart: &C,
    path: &Path,
    buf: &mut [u8],
    (w, h): (u32, u32),
) -> Result<Vec<u8>, ReportError> {
    let (bw, bh) = (w * SUPERSAMPLE, h * SUPERSAMPLE);
    {
        let root = BitMapBackend::with_buffer(buf, (bw, bh)).into_drawing_area();
        let cv = Canvas::new(&root, f64::from(SUPERSAMPLE), false);
        cv.fill(PAPER).map_err(|e| render_error(path, e.0))?;
        chart.draw(&cv).map_err(|e| render_error(path, e.0))?;
        root.present()
            .map_err(|e| render_error(path, e.to_string()))?;
    }
    let small = downsample(buf, bw as usize, bh as usize, SUPERSAMPLE as usize);
    encode_png(&small, w, h).map_err(|e| render_error(path, e))
}

fn draw_svg<C: Chart>(chart: &C, path: &Path) -> Result<Vec<u8>, ReportError> {
    let (w, h) = chart.size();
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (w, h)).into_drawing_area();
        let cv = Canvas::new(&root, 1.0, true);
        cv.fill(PAPER).map_err(|e| render_error(path, e.0))?;
        chart.draw(&cv).map_err(|e| render_error(path, e.0))?;
        root.present()
            .map_err(|e| render_error(path, e.to_string()))?;
    }
    Ok(svg.into_bytes())
}

fn encode_png(rgb: &[u8], w: u32, h: u32) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    {
        let mut encoder = png::Encoder::new(&mut out, w, h);
        encoder.set_color(png::ColorType::Rgb);
        encoder.set_depth(png::BitDepth::Eight);
        encoder.set_compression(png::Compression::Default);
        let mut writer = encoder.write_header().map_err(|e| e.to_string())?;
        writer.write_image_data(rgb).map_err(|e| e.to_string())?;
        writer.finish().map_err(|e| e.to_string())?;
    }
    Ok(out)
}
