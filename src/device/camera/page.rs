//! From a camera's frame to a page kept for an application: is there a page, is it sharp, where are its
//! corners; then the page straightened and cropped to A4 at 200 dpi, its uneven light flattened to white
//! paper, and encoded as a grayscale JPEG (about 100 KB for a page of text).

use super::{Camera, CameraFault, Frame};

/// A4 at 200 dpi, portrait.
pub const A4_200DPI: (u32, u32) = (1654, 2339);

/// JPEG quality of a kept page: text stays crisp, paper compresses to almost nothing.
const QUALITY: u8 = 70;

/// Why no page was kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error, serde::Serialize)]
pub enum CaptureProblem {
    #[error("the document camera is not connected")]
    Unplugged,
    #[error("the document camera does not answer")]
    NoAnswer,
    #[error("no page under the camera")]
    NoPage,
    #[error("the page is blurred (moving, or out of focus)")]
    Blurred,
}

impl From<CameraFault> for CaptureProblem {
    fn from(fault: CameraFault) -> CaptureProblem {
        match fault {
            CameraFault::Unplugged(_) => CaptureProblem::Unplugged,
            CameraFault::Io(_) => CaptureProblem::NoAnswer,
        }
    }
}

/// A page as kept: a grayscale JPEG, and a small preview of it.
#[derive(Clone)]
pub struct Captured {
    pub jpeg: Vec<u8>,
    pub preview: Frame,
}

impl std::fmt::Debug for Captured {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Captured({} bytes)", self.jpeg.len())
    }
}

/// Takes a frame from `camera` and keeps the page on it.
pub fn capture(camera: &mut dyn Camera) -> Result<Captured, CaptureProblem> {
    let frame = camera.frame()?;
    keep(&frame)
}

/// The page on `frame`, straightened, cropped and encoded.
pub fn keep(frame: &Frame) -> Result<Captured, CaptureProblem> {
    let small = frame.shrink(4);
    let corners = find_page(&small).ok_or(CaptureProblem::NoPage)?;
    let corners = corners.map(|(x, y)| (x * 4.0 + 2.0, y * 4.0 + 2.0));
    let page = straighten(frame, corners, A4_200DPI);
    if sharpness(&page.shrink(2)) < SHARP {
        return Err(CaptureProblem::Blurred);
    }
    let page = whiten(page);
    let jpeg = encode(&page);
    Ok(Captured {
        jpeg,
        preview: page.shrink(4),
    })
}

/// A picture from outside (a phone's photo, a camera's Motion-JPEG frame) decoded as `format` only, within
/// limits: a header that claims a picture of gigabytes is refused before anything is allocated for it.
pub fn decode(bytes: &[u8], format: image::ImageFormat) -> Option<image::DynamicImage> {
    let mut reader = image::ImageReader::with_format(std::io::Cursor::new(bytes), format);
    let mut limits = image::Limits::default();
    limits.max_image_width = Some(12_000);
    limits.max_image_height = Some(12_000);
    limits.max_alloc = Some(512 * 1024 * 1024);
    reader.limits(limits);
    reader.decode().ok()
}

/// A small grey preview of a photo from the phone (JPEG or PNG, as the hub takes them), about as tall as a
/// kept page's.
pub fn preview(bytes: &[u8]) -> Option<Frame> {
    let format = if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        image::ImageFormat::Jpeg
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        image::ImageFormat::Png
    } else {
        return None;
    };
    let image = decode(bytes, format)?;
    let height = (A4_200DPI.1 / 4).min(image.height().max(1));
    let small = image
        .resize(u32::MAX, height, image::imageops::FilterType::Triangle)
        .into_luma8();
    Some(Frame {
        width: small.width(),
        height: small.height(),
        pixels: small.into_raw(),
    })
}

/// Otsu's threshold of a frame's histogram.
fn otsu(frame: &Frame) -> u8 {
    let mut histogram = [0u64; 256];
    for &p in &frame.pixels {
        histogram[p as usize] += 1;
    }
    let total = frame.pixels.len() as f64;
    let sum: f64 = histogram
        .iter()
        .enumerate()
        .map(|(i, &n)| i as f64 * n as f64)
        .sum();
    let (mut background, mut sum_background) = (0.0, 0.0);
    let (mut best, mut best_between) = (0u8, 0.0);
    for (t, &n) in histogram.iter().enumerate() {
        background += n as f64;
        if background == 0.0 {
            continue;
        }
        let foreground = total - background;
        if foreground == 0.0 {
            break;
        }
        sum_background += t as f64 * n as f64;
        let mean_b = sum_background / background;
        let mean_f = (sum - sum_background) / foreground;
        let between = background * foreground * (mean_b - mean_f).powi(2);
        if between > best_between {
            best_between = between;
            best = t as u8;
        }
    }
    best
}

/// The page's four corners (top left, top right, bottom right, bottom left) on a shrunk frame: the bright
/// paper against the darker desk. None when too little of the frame is paper or the two do not differ.
fn find_page(small: &Frame) -> Option<[(f32, f32); 4]> {
    let threshold = otsu(small);
    let bright = |p: u8| p > threshold;
    let mut count = 0usize;
    let (mut tl, mut tr, mut br, mut bl) = (
        (f32::MAX, (0.0, 0.0)),
        (f32::MIN, (0.0, 0.0)),
        (f32::MIN, (0.0, 0.0)),
        (f32::MAX, (0.0, 0.0)),
    );
    let mut dark_sum = 0u64;
    let mut bright_sum = 0u64;
    for y in 0..small.height {
        for x in 0..small.width {
            let p = small.get(x, y);
            if !bright(p) {
                dark_sum += u64::from(p);
                continue;
            }
            bright_sum += u64::from(p);
            count += 1;
            let (fx, fy) = (x as f32, y as f32);
            let point = (fx, fy);
            if fx + fy < tl.0 {
                tl = (fx + fy, point);
            }
            if fx + fy > br.0 {
                br = (fx + fy, point);
            }
            if fx - fy > tr.0 {
                tr = (fx - fy, point);
            }
            if fx - fy < bl.0 {
                bl = (fx - fy, point);
            }
        }
    }
    let total = small.pixels.len();
    let dark = total - count;
    if count < total / 6 || dark == 0 {
        return None;
    }
    // Paper is much brighter than the desk; a frame of the bare desk splits into two shades of grey.
    let contrast = bright_sum as f64 / count as f64 - dark_sum as f64 / dark as f64;
    if contrast < 60.0 {
        return None;
    }
    Some([tl.1, tr.1, br.1, bl.1])
}

/// The quadrilateral `corners` of `frame` mapped onto an upright `size` rectangle (bilinear in the
/// corners, which also undoes a slight perspective).
fn straighten(frame: &Frame, corners: [(f32, f32); 4], size: (u32, u32)) -> Frame {
    let [tl, tr, br, bl] = corners;
    let (w, h) = size;
    let mut out = Frame::new(w, h, 255);
    for y in 0..h {
        let v = (y as f32 + 0.5) / h as f32;
        let left = (tl.0 + (bl.0 - tl.0) * v, tl.1 + (bl.1 - tl.1) * v);
        let right = (tr.0 + (br.0 - tr.0) * v, tr.1 + (br.1 - tr.1) * v);
        for x in 0..w {
            let u = (x as f32 + 0.5) / w as f32;
            let sx = left.0 + (right.0 - left.0) * u;
            let sy = left.1 + (right.1 - left.1) * u;
            out.pixels[(y * w + x) as usize] = frame.sample(sx, sy).round() as u8;
        }
    }
    out
}

/// Below this a page is blurred: the variance of the Laplacian of the page at 100 dpi.
const SHARP: f64 = 60.0;

/// How sharp a page is: the variance of its Laplacian.
pub fn sharpness(frame: &Frame) -> f64 {
    let (w, h) = (frame.width, frame.height);
    if w < 3 || h < 3 {
        return 0.0;
    }
    let mut values = Vec::with_capacity(((w - 2) * (h - 2)) as usize);
    for y in 1..h - 1 {
        for x in 1..w - 1 {
            let c = 4.0 * f64::from(frame.get(x, y));
            let around = f64::from(frame.get(x - 1, y))
                + f64::from(frame.get(x + 1, y))
                + f64::from(frame.get(x, y - 1))
                + f64::from(frame.get(x, y + 1));
            values.push(around - c);
        }
    }
    let mean = values.iter().sum::<f64>() / values.len() as f64;
    values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / values.len() as f64
}

/// The paper made white and the ink dark: each pixel against the brightest grey around it (the light of
/// that part of the page), so a page lit from one side is even.
fn whiten(mut page: Frame) -> Frame {
    const BLOCK: u32 = 64;
    let (w, h) = (page.width, page.height);
    let (bw, bh) = (w.div_ceil(BLOCK), h.div_ceil(BLOCK));
    let mut paper = vec![0u8; (bw * bh) as usize];
    for by in 0..bh {
        for bx in 0..bw {
            let mut histogram = [0u32; 256];
            let mut n = 0;
            for y in by * BLOCK..((by + 1) * BLOCK).min(h) {
                for x in bx * BLOCK..((bx + 1) * BLOCK).min(w) {
                    histogram[page.get(x, y) as usize] += 1;
                    n += 1;
                }
            }
            // The 90th percentile: paper, even where text is dense.
            let mut seen = 0;
            let mut level = 255u8;
            for (g, &k) in histogram.iter().enumerate() {
                seen += k;
                if seen * 10 >= n * 9 {
                    level = g as u8;
                    break;
                }
            }
            paper[(by * bw + bx) as usize] = level.max(40);
        }
    }
    for y in 0..h {
        for x in 0..w {
            // The paper's level here, between the blocks' centres.
            let fx = ((x as f32 + 0.5) / BLOCK as f32 - 0.5).clamp(0.0, (bw - 1) as f32);
            let fy = ((y as f32 + 0.5) / BLOCK as f32 - 0.5).clamp(0.0, (bh - 1) as f32);
            let (x0, y0) = (fx as u32, fy as u32);
            let (x1, y1) = ((x0 + 1).min(bw - 1), (y0 + 1).min(bh - 1));
            let (ax, ay) = (fx - x0 as f32, fy - y0 as f32);
            let at = |bx: u32, by: u32| f32::from(paper[(by * bw + bx) as usize]);
            let level = (at(x0, y0) * (1.0 - ax) + at(x1, y0) * ax) * (1.0 - ay)
                + (at(x0, y1) * (1.0 - ax) + at(x1, y1) * ax) * ay;
            let i = (y * w + x) as usize;
            let ratio = f32::from(page.pixels[i]) / level;
            // Paper (ratio near 1) to white; ink stretched to black.
            let value = ((ratio - 0.35) / 0.55).clamp(0.0, 1.0) * 255.0;
            page.pixels[i] = value as u8;
        }
    }
    page
}

fn encode(page: &Frame) -> Vec<u8> {
    let mut jpeg = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, QUALITY)
        .encode(
            &page.pixels,
            page.width,
            page.height,
            image::ExtendedColorType::L8,
        )
        .expect("a grey image in memory encodes");
    jpeg
}

#[cfg(test)]
mod tests {
    use super::super::sim::{Faults, SimCamera};
    use super::*;

    #[test]
    fn a_skewed_page_is_found_straightened_and_kept_small() {
        let mut camera = SimCamera::new(Faults::default());
        let page = capture(&mut camera).unwrap();
        assert!(page.jpeg.starts_with(&[0xFF, 0xD8, 0xFF]));
        assert!(page.jpeg.len() < 150 * 1024, "{} bytes", page.jpeg.len());
        let image = image::load_from_memory(&page.jpeg).unwrap();
        assert_eq!((image.width(), image.height()), A4_200DPI);
        // The margin is white paper, not desk: the crop found the page's edges.
        let grey = image.into_luma8();
        let margin: u64 = (0..A4_200DPI.0)
            .map(|x| u64::from(grey.get_pixel(x, 20)[0]))
            .sum();
        assert!(margin / u64::from(A4_200DPI.0) > 230);
    }

    #[test]
    fn only_a_jpeg_or_png_of_a_sane_size_is_previewed() {
        // Found by fuzzing (page_bytes): a PNM header whose size exhausted memory.
        assert!(preview(b"P34\n0\n2\nY").is_none());
        // A JPEG whose header claims 60000 × 60000 pixels: refused before decoding.
        let mut camera = SimCamera::new(Faults::default());
        let mut jpeg = capture(&mut camera).unwrap().jpeg;
        let sof = jpeg.windows(2).position(|w| w == [0xFF, 0xC0]).unwrap();
        jpeg[sof + 5..sof + 9].copy_from_slice(&[0xEA, 0x60, 0xEA, 0x60]);
        assert!(preview(&jpeg).is_none());
        let page = capture(&mut camera).unwrap().jpeg;
        let shown = preview(&page).unwrap();
        assert_eq!(shown.height, A4_200DPI.1 / 4);
    }

    #[test]
    fn no_page_and_a_blurred_page_are_said() {
        let mut camera = SimCamera::new(Faults {
            no_page: true,
            ..Faults::default()
        });
        assert_eq!(capture(&mut camera).unwrap_err(), CaptureProblem::NoPage);
        let mut camera = SimCamera::new(Faults {
            blurred: true,
            ..Faults::default()
        });
        assert_eq!(capture(&mut camera).unwrap_err(), CaptureProblem::Blurred);
        let mut camera = SimCamera::new(Faults {
            unplugged: true,
            ..Faults::default()
        });
        assert_eq!(capture(&mut camera).unwrap_err(), CaptureProblem::Unplugged);
    }
}
