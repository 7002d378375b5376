//! Turns a chart description into PNG and SVG files.

use std::path::{Path, PathBuf};

use plotters::prelude::*;

use super::canvas::{downsample_into, Canvas, DrawResult};
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
        static CANVAS: std::cell::RefCell<CanvasMemory> = const { std::cell::RefCell::new(CanvasMemory::Vec(Vec::new())) };
    }
    CANVAS.with_borrow_mut(|mem| {
        let buf = mem.get(bw as usize * bh as usize * 3);
        draw_png_on(chart, path, buf, (w, h))
    })
}

/// Bytes of address space a thread's canvas map reserves at least (the
/// standard chart's supersampled canvas is 11.5 MB; taller ones, with many
/// groups, up to about twice that).
const CANVAS_RESERVE: usize = 32 << 20;

/// A canvas's pixels: an anonymous memory map, or a plain vector where the
/// system offers no such map.
enum CanvasMemory {
    Map(memmap2::MmapMut),
    Vec(Vec<u8>),
}

impl CanvasMemory {
    /// At least `len` bytes, the first `len` returned.
    fn get(&mut self, len: usize) -> &mut [u8] {
        let short = match self {
            CanvasMemory::Map(m) => m.len() < len,
            CanvasMemory::Vec(v) => v.len() < len,
        };
        if short {
            // Room for a taller chart than this one: pages of an anonymous
            // map cost nothing until touched, and a map that grew for every
            // taller chart made the kernel zero each new one from the start
            // (four maps, 54 MB zeroed, where two of 31 MB do).
            *self = match memmap2::MmapMut::map_anon(len.max(CANVAS_RESERVE)) {
                // No advice for 2 MB pages: where the system compacts
                // memory to find them for a map that asks (Linux's default
                // `defrag` setting), the canvases' first touch stalled on
                // it now and then (12 ms more for the charts in the median
                // of 25 runs, up to twice that in some) for fewer faults.
                Ok(m) => CanvasMemory::Map(m),
                Err(_) => CanvasMemory::Vec(vec![0; len]),
            };
        }
        match self {
            CanvasMemory::Map(m) => &mut m[..len],
            CanvasMemory::Vec(v) => &mut v[..len],
        }
    }
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
    // The scaled-down image (3 MB) is kept per thread too.
    thread_local! {
        static SMALL: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
    }
    SMALL.with_borrow_mut(|small| {
        downsample_into(buf, bw as usize, bh as usize, SUPERSAMPLE as usize, small);
        encode_png(small, w, h).map_err(|e| render_error(path, e))
    })
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

/// zlib level of the charts' image data. Measured on the report's eleven
/// charts: level 2 with unfiltered rows makes smaller files than the png
/// crate's default (level 6 on rows with the Sub filter; 749 KB against
/// 797 KB) in a fifth of the time (about 0.1 G instructions against
/// 0.56 G). Charts are large flat areas of a few colours, which
/// LZ77 matches well as they are; filtering only breaks the runs up.
const PNG_LEVEL: u32 = 2;

/// An RGB image as a PNG file: the png crate writes the header and the end,
/// the image data is compressed here at [`PNG_LEVEL`] (the crate offers only
/// its own presets).
fn encode_png(rgb: &[u8], w: u32, h: u32) -> Result<Vec<u8>, String> {
    use std::io::Write;
    let row = w as usize * 3;
    if rgb.len() != row * h as usize {
        return Err(format!(
            "image data of {} bytes for a {w}x{h} image",
            rgb.len()
        ));
    }
    let mut out = Vec::new();
    {
        let mut encoder = png::Encoder::new(&mut out, w, h);
        encoder.set_color(png::ColorType::Rgb);
        encoder.set_depth(png::BitDepth::Eight);
        let mut writer = encoder.write_header().map_err(|e| e.to_string())?;
        let mut z = flate2::write::ZlibEncoder::new(
            Vec::with_capacity(rgb.len() / 16),
            flate2::Compression::new(PNG_LEVEL),
        );
        // Each row is its filter type (0: none) and its bytes.
        for line in rgb.chunks_exact(row.max(1)) {
            z.write_all(&[0]).map_err(|e| e.to_string())?;
            z.write_all(line).map_err(|e| e.to_string())?;
        }
        let data = z.finish().map_err(|e| e.to_string())?;
        writer
            .write_chunk(png::chunk::IDAT, &data)
            .map_err(|e| e.to_string())?;
        writer.finish().map_err(|e| e.to_string())?;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Decodes a PNG file with the png crate: (width, height, RGB bytes).
    fn decode(png: &[u8]) -> (u32, u32, Vec<u8>) {
        let mut reader = png::Decoder::new(std::io::Cursor::new(png))
            .read_info()
            .expect("a PNG header");
        let mut buf = vec![0; reader.output_buffer_size()];
        let info = reader.next_frame(&mut buf).expect("image data");
        assert_eq!(info.color_type, png::ColorType::Rgb);
        buf.truncate(info.buffer_size());
        (info.width, info.height, buf)
    }

    proptest::proptest! {
        #[test]
        fn encoded_images_decode_to_the_same_pixels(
            w in 1u32..50,
            h in 1u32..50,
            seed in proptest::prelude::any::<u64>(),
        ) {
            // Runs of a few colours, as in a chart, and some noise.
            let mut x = seed | 1;
            let rgb: Vec<u8> = (0..w * h * 3)
                .map(|i| {
                    x ^= x << 13;
                    x ^= x >> 7;
                    x ^= x << 17;
                    if x % 5 == 0 { x as u8 } else { (i / 97 % 3) as u8 * 100 }
                })
                .collect();
            let png = encode_png(&rgb, w, h).expect("encodes");
            proptest::prop_assert_eq!(decode(&png), (w, h, rgb));
        }
    }

    #[test]
    fn image_data_of_the_wrong_size_is_an_error() {
        let err = encode_png(&[0; 10], 2, 2).unwrap_err();
        assert!(err.contains("10 bytes for a 2x2 image"), "{err}");
    }
}
