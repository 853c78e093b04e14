//! 1-bit raster images for the printer: PNGs dithered to the paper's dots, QR symbols drawn as dots, and the
//! GS v 0 command that carries them (in bands, since printers limit an image's height).

/// A 1-bit image, rows packed MSB-first (the leftmost dot is the top bit), 1 = black.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bitmap {
    /// Width in dots; each row takes `width.div_ceil(8)` bytes.
    pub width: u16,
    pub height: u16,
    pub bits: Vec<u8>,
}

/// Rows per GS v 0 command: within every printer's limit the reference lists (yH ≤ 8 on HPRT; 343 rows on a
/// Cino 58 mm model).
pub const BAND_ROWS: u16 = 256;

#[derive(Debug, thiserror::Error)]
pub enum RasterError {
    #[error("image is not a PNG we can read: {0}")]
    Png(String),
    #[error("image is empty")]
    Empty,
    #[error("QR payload does not fit a QR code: {0}")]
    Qr(String),
}

impl Bitmap {
    pub fn new(width: u16, height: u16) -> Bitmap {
        Bitmap {
            width,
            height,
            bits: vec![0; usize::from(width.div_ceil(8)) * usize::from(height)],
        }
    }

    pub fn row_bytes(&self) -> usize {
        usize::from(self.width.div_ceil(8))
    }

    pub fn set(&mut self, x: u16, y: u16) {
        let at = usize::from(y) * self.row_bytes() + usize::from(x / 8);
        self.bits[at] |= 0x80 >> (x % 8);
    }

    pub fn get(&self, x: u16, y: u16) -> bool {
        let at = usize::from(y) * self.row_bytes() + usize::from(x / 8);
        self.bits[at] & (0x80 >> (x % 8)) != 0
    }

    /// The image as GS v 0 commands, one per band of at most [`BAND_ROWS`] rows.
    pub fn gs_v0(&self) -> Vec<u8> {
        let row = self.row_bytes();
        let mut out =
            Vec::with_capacity(self.bits.len() + 8 * (usize::from(self.height) / 256 + 1));
        let mut y = 0;
        while y < self.height {
            let rows = (self.height - y).min(BAND_ROWS);
            let [xl, xh] = (row as u16).to_le_bytes();
            let [yl, yh] = rows.to_le_bytes();
            out.extend_from_slice(&[0x1D, 0x76, 0x30, 0x00, xl, xh, yl, yh]);
            let start = usize::from(y) * row;
            out.extend_from_slice(&self.bits[start..start + usize::from(rows) * row]);
            y += rows;
        }
        out
    }

    /// A PNG scaled to `width` dots (keeping its aspect ratio), alpha flattened onto white, and dithered to
    /// 1 bit with Floyd–Steinberg error diffusion so that seals and logos keep their grey areas.
    pub fn from_png(png_bytes: &[u8], width: u16) -> Result<Bitmap, RasterError> {
        let (w, h, luma) = decode_luma(png_bytes)?;
        if w == 0 || h == 0 || width == 0 {
            return Err(RasterError::Empty);
        }
        let height = ((h as u64 * u64::from(width)) / w as u64).max(1) as u16;
        // Bilinear-enough: sample the source at each target dot's centre (box filter over the covered area).
        let mut grey = vec![0f32; usize::from(width) * usize::from(height)];
        for ty in 0..height {
            let sy0 = (usize::from(ty) * h) / usize::from(height);
            let sy1 = (((usize::from(ty) + 1) * h) / usize::from(height)).max(sy0 + 1);
            for tx in 0..width {
                let sx0 = (usize::from(tx) * w) / usize::from(width);
                let sx1 = (((usize::from(tx) + 1) * w) / usize::from(width)).max(sx0 + 1);
                let mut sum = 0f32;
                for sy in sy0..sy1.min(h) {
                    for sx in sx0..sx1.min(w) {
                        sum += luma[sy * w + sx];
                    }
                }
                let n = ((sy1.min(h) - sy0) * (sx1.min(w) - sx0)).max(1) as f32;
                grey[usize::from(ty) * usize::from(width) + usize::from(tx)] = sum / n;
            }
        }
        let mut bitmap = Bitmap::new(width, height);
        let (w, h) = (usize::from(width), usize::from(height));
        for y in 0..h {
            for x in 0..w {
                let old = grey[y * w + x];
                let black = old < 128.0;
                if black {
                    bitmap.set(x as u16, y as u16);
                }
                let error = old - if black { 0.0 } else { 255.0 };
                let mut spread = |dx: isize, dy: usize, share: f32| {
                    let nx = x as isize + dx;
                    if nx >= 0 && (nx as usize) < w && y + dy < h {
                        grey[(y + dy) * w + nx as usize] += error * share;
                    }
                };
                spread(1, 0, 7.0 / 16.0);
                spread(-1, 1, 3.0 / 16.0);
                spread(0, 1, 5.0 / 16.0);
                spread(1, 1, 1.0 / 16.0);
            }
        }
        Ok(bitmap)
    }

    /// A QR code (model 2, level M) of `payload`, each module `module` dots square, with a 4-module quiet zone.
    /// A 1-D barcode as a printer draws it from GS k: `kind` is the command's m (67 EAN-13, 69 CODE39,
    /// 73 CODE128 with its `{B` code-set prefix), each module `module` dots wide, `height` dots high. `None`
    /// for data the symbology cannot carry (the printer prints nothing then).
    pub fn barcode(kind: u8, data: &[u8], module: u8, height: u8) -> Option<Bitmap> {
        use barcoders::sym::{code128::Code128, code39::Code39, ean13::EAN13};
        let text = std::str::from_utf8(data).ok()?;
        let modules = match kind {
            67 if matches!(text.len(), 12 | 13) && text.bytes().all(|b| b.is_ascii_digit()) => {
                EAN13::new(text).ok()?.encode()
            }
            69 if !text.is_empty()
                && text.bytes().all(|b| {
                    b.is_ascii_uppercase() || b.is_ascii_digit() || b" -.$/+%".contains(&b)
                }) =>
            {
                Code39::new(text).ok()?.encode()
            }
            73 => {
                let body = text.strip_prefix("{B")?;
                if body.is_empty() || !body.bytes().all(|b| (0x20..0x7F).contains(&b)) {
                    return None;
                }
                Code128::new(format!("Ɓ{body}")).ok()?.encode()
            }
            _ => return None,
        };
        let module = u16::from(module.clamp(1, 6));
        let width = u16::try_from(modules.len()).ok()?.checked_mul(module)?;
        let mut bitmap = Bitmap::new(width, u16::from(height.max(1)));
        for (i, _) in modules.iter().enumerate().filter(|(_, m)| **m == 1) {
            for dx in 0..module {
                let x = i as u16 * module + dx;
                for y in 0..bitmap.height {
                    bitmap.set(x, y);
                }
            }
        }
        Some(bitmap)
    }

    pub fn qr(payload: &[u8], module: u16) -> Result<Bitmap, RasterError> {
        let code = qrcode::QrCode::with_error_correction_level(payload, qrcode::EcLevel::M)
            .map_err(|e| RasterError::Qr(e.to_string()))?;
        let n = code.width() as u16;
        let colors = code.to_colors();
        let quiet = 4;
        let side = (n + 2 * quiet) * module;
        let mut bitmap = Bitmap::new(side, side);
        for my in 0..n {
            for mx in 0..n {
                if colors[usize::from(my) * usize::from(n) + usize::from(mx)] == qrcode::Color::Dark
                {
                    for dy in 0..module {
                        for dx in 0..module {
                            bitmap.set((quiet + mx) * module + dx, (quiet + my) * module + dy);
                        }
                    }
                }
            }
        }
        Ok(bitmap)
    }
}

/// Decodes a PNG to luminance (0 black … 255 white), alpha composited onto white paper.
fn decode_luma(png_bytes: &[u8]) -> Result<(usize, usize, Vec<f32>), RasterError> {
    let bad = |e: png::DecodingError| RasterError::Png(e.to_string());
    let mut decoder = png::Decoder::new(std::io::Cursor::new(png_bytes));
    decoder.set_transformations(png::Transformations::EXPAND | png::Transformations::STRIP_16);
    let mut reader = decoder.read_info().map_err(bad)?;
    let mut buf = vec![0; reader.output_buffer_size().ok_or(RasterError::Empty)?];
    let info = reader.next_frame(&mut buf).map_err(bad)?;
    let (w, h) = (info.width as usize, info.height as usize);
    let channels = info.color_type.samples();
    let mut luma = Vec::with_capacity(w * h);
    for px in buf[..info.buffer_size()].chunks_exact(channels) {
        let (rgb, alpha) = match px {
            [g] => ([*g, *g, *g], 255),
            [g, a] => ([*g, *g, *g], *a),
            [r, g, b] => ([*r, *g, *b], 255),
            [r, g, b, a] => ([*r, *g, *b], *a),
            _ => return Err(RasterError::Png("unexpected channel count".into())),
        };
        let y = 0.299 * f32::from(rgb[0]) + 0.587 * f32::from(rgb[1]) + 0.114 * f32::from(rgb[2]);
        let a = f32::from(alpha) / 255.0;
        luma.push(y * a + 255.0 * (1.0 - a));
    }
    Ok((w, h, luma))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The modules of a bitmap's first row, one per `module` dots.
    fn modules(bitmap: &Bitmap, module: u16) -> String {
        (0..bitmap.width / module)
            .map(|i| if bitmap.get(i * module, 0) { '1' } else { '0' })
            .collect()
    }

    #[test]
    fn code128_bars_are_the_standard_patterns() {
        // Start B (104), "A" (33), check (104 + 33) mod 103 = 34, stop.
        let bars = Bitmap::barcode(73, b"{BA", 2, 40).unwrap();
        assert_eq!(
            modules(&bars, 2),
            "11010010000".to_owned() + "10100011000" + "10001011000" + "1100011101011"
        );
        assert_eq!(bars.height, 40);
        assert!(
            bars.get(1, 39),
            "each module is 2 dots wide, all the way down"
        );
    }

    #[test]
    fn ean13_has_its_guards_and_rejects_a_wrong_check_digit() {
        let bars = Bitmap::barcode(67, b"4006381333931", 1, 10).unwrap();
        let m = modules(&bars, 1);
        assert_eq!(m.len(), 95);
        assert!(m.starts_with("101") && m.ends_with("101") && &m[45..50] == "01010");
        assert!(Bitmap::barcode(67, b"4006381333932", 1, 10).is_none());
        assert!(Bitmap::barcode(73, b"{B\xff", 1, 10).is_none());
        assert!(Bitmap::barcode(73, b"no prefix", 1, 10).is_none());
        assert!(Bitmap::barcode(69, b"lower", 1, 10).is_none());
    }

    #[test]
    fn tall_images_go_in_bands() {
        let mut bitmap = Bitmap::new(12, 300);
        bitmap.set(0, 0);
        bitmap.set(11, 299);
        let bytes = bitmap.gs_v0();
        // Two headers: 2 bytes a row (12 dots), 256 rows, then 44 rows.
        assert_eq!(bytes[..8], [0x1D, 0x76, 0x30, 0x00, 2, 0, 0, 1]);
        let second = 8 + 2 * 256;
        assert_eq!(
            bytes[second..second + 8],
            [0x1D, 0x76, 0x30, 0x00, 2, 0, 44, 0]
        );
        assert_eq!(bytes[8], 0x80);
        assert_eq!(*bytes.last().unwrap(), 0x10);
    }

    #[test]
    fn the_demo_seal_dithers_to_some_ink_and_keeps_its_aspect() {
        let png = crate::domain::document::demo_seal_png(160);
        let bitmap = Bitmap::from_png(&png, 240).unwrap();
        assert_eq!((bitmap.width, bitmap.height), (240, 240));
        let ink = bitmap.bits.iter().map(|b| b.count_ones()).sum::<u32>();
        assert!(ink > 1000 && ink < 240 * 240 / 2, "{ink}");
        // The middle of the star is inked, a corner is not.
        assert!(bitmap.get(120, 120));
        assert!(!bitmap.get(2, 2));
    }
}
