//! What a job looks like on paper, as the virtual printer draws it: text in the bundled CJK font in fixed
//! printer cells (12 dots a column, 24 dots high, times the character size), raster images and QR codes as
//! dots, alignment, feeds and cuts. One dot is one pixel (203 dpi).

use ab_glyph::{Font, FontRef, PxScale, ScaleFont};

use super::decode::{decode, Op};
use super::raster::Bitmap;

/// The longest strip drawn (2 m of paper); anything below is dropped, so a hostile job cannot exhaust memory.
pub const MAX_HEIGHT: u32 = 16_000;
/// The widest raster a printer takes (8,192 dots is far beyond any paper).
const MAX_RASTER_BYTES: u16 = 1024;

/// Dots a line advances beyond its characters (ESC 2's default spacing is about 30 dots for 24-dot text).
const LINE_GAP: u32 = 6;
const COLUMN: u32 = 12;
const CELL_HEIGHT: u32 = 24;

/// A paper strip: grey levels, 0 black … 255 white.
pub struct Paper {
    pub width: u32,
    pub height: u32,
    pub pixels: Vec<u8>,
}

impl Paper {
    fn new(width: u32) -> Paper {
        Paper {
            width,
            height: 0,
            pixels: Vec::new(),
        }
    }

    /// Makes the strip at least `height` dots long.
    fn grow(&mut self, height: u32) {
        let height = height.min(MAX_HEIGHT);
        if height > self.height {
            self.pixels.resize((self.width * height) as usize, 255);
            self.height = height;
        }
    }

    fn ink(&mut self, x: u32, y: u32, coverage: f32) {
        if x >= self.width || y >= MAX_HEIGHT {
            return;
        }
        self.grow(y + 1);
        let at = (y * self.width + x) as usize;
        let value = 255.0 * (1.0 - coverage.clamp(0.0, 1.0));
        self.pixels[at] = self.pixels[at].min(value as u8);
    }

    pub fn get(&self, x: u32, y: u32) -> u8 {
        self.pixels[(y * self.width + x) as usize]
    }

    pub fn png(&self) -> Vec<u8> {
        let mut out = Vec::new();
        {
            let mut encoder = png::Encoder::new(&mut out, self.width, self.height.max(1));
            encoder.set_color(png::ColorType::Grayscale);
            encoder.set_depth(png::BitDepth::Eight);
            let mut writer = encoder.write_header().expect("PNG header into memory");
            let blank = vec![255u8; self.width as usize];
            writer
                .write_image_data(if self.height == 0 {
                    &blank
                } else {
                    &self.pixels
                })
                .expect("PNG data into memory");
        }
        out
    }
}

struct Pen<'f> {
    paper: Paper,
    y: u32,
    align: u8,
    bold: bool,
    size: (u8, u8),
    line: Vec<u8>,
    qr_module: u8,
    qr_data: Vec<u8>,
    /// GS h (height in dots), GS w (module width), GS H (where the human-readable text goes).
    barcode: (u8, u8, u8),
    regular: FontRef<'f>,
    bold_font: FontRef<'f>,
}

/// Draws the job `bytes` on paper `width` dots wide.
pub fn render(bytes: &[u8], width: u16) -> Paper {
    let regular =
        FontRef::try_from_slice(crate::assets::FONT_REGULAR).expect("the bundled font parses");
    let bold_font =
        FontRef::try_from_slice(crate::assets::FONT_BOLD).expect("the bundled font parses");
    let mut pen = Pen {
        paper: Paper::new(u32::from(width)),
        y: 8,
        align: 0,
        bold: false,
        size: (1, 1),
        line: Vec::new(),
        qr_module: 3,
        qr_data: Vec::new(),
        barcode: (162, 3, 0),
        regular,
        bold_font,
    };
    for op in decode(bytes) {
        pen.op(op);
    }
    if !pen.line.is_empty() {
        pen.flush_line();
    }
    let end = pen.y + 16;
    pen.paper.grow(end);
    pen.paper
}

impl Pen<'_> {
    fn op(&mut self, op: Op) {
        match op {
            Op::Init => {
                self.align = 0;
                self.bold = false;
                self.size = (1, 1);
            }
            Op::Align(n) => self.align = n,
            Op::Bold(on) => self.bold = on,
            Op::Size { width, height } => self.size = (width, height),
            Op::Text(t) => self.line.extend_from_slice(&t),
            Op::LineFeed => self.flush_line(),
            Op::Feed(n) => {
                self.flush_pending();
                self.y = (self.y + u32::from(n) * (CELL_HEIGHT + LINE_GAP)).min(MAX_HEIGHT);
            }
            Op::Cut { .. } => {
                self.flush_pending();
                self.y = (self.y + 8).min(MAX_HEIGHT);
                for x in (0..self.paper.width).step_by(8) {
                    for dx in 0..4 {
                        self.paper.ink(x + dx, self.y, 0.6);
                    }
                }
                self.y = (self.y + 8).min(MAX_HEIGHT);
            }
            Op::Raster {
                width_bytes,
                height,
                data,
                ..
            } if width_bytes <= MAX_RASTER_BYTES => {
                let bitmap = Bitmap {
                    width: width_bytes * 8,
                    height,
                    bits: data,
                };
                self.blit(&bitmap);
            }
            Op::QrModule(n) => self.qr_module = n.max(1),
            Op::QrStore(data) => self.qr_data = data,
            Op::QrPrint => {
                if let Ok(bitmap) = Bitmap::qr(&self.qr_data, u16::from(self.qr_module)) {
                    self.blit(&bitmap);
                }
            }
            Op::BarcodeHeight(n) => self.barcode.0 = n,
            Op::BarcodeWidth(n) => self.barcode.1 = n,
            Op::BarcodeHri(n) => self.barcode.2 = n,
            Op::Barcode { kind, data } => {
                let Some(bars) = Bitmap::barcode(kind, &data, self.barcode.1, self.barcode.0)
                else {
                    return;
                };
                self.blit(&bars);
                // The human-readable text below the bars (GS H 2 or 3), centred under them.
                if self.barcode.2 & 2 != 0 {
                    self.y = (self.y + 4).min(MAX_HEIGHT);
                    self.line = data.strip_prefix(b"{B").unwrap_or(&data).to_vec();
                    let saved = std::mem::replace(&mut self.align, 1);
                    self.flush_line();
                    self.align = saved;
                }
            }
            _ => {}
        }
    }

    /// Text waiting for its LF is printed before a feed, cut or image, as a printer does.
    fn flush_pending(&mut self) {
        if !self.line.is_empty() {
            self.flush_line();
        }
    }

    fn x_for(&self, width: u32) -> u32 {
        match self.align {
            1 => self.paper.width.saturating_sub(width) / 2,
            2 => self.paper.width.saturating_sub(width),
            _ => 0,
        }
    }

    fn flush_line(&mut self) {
        let text = encoding_rs::GB18030.decode(&self.line).0.into_owned();
        self.line.clear();
        let (sw, sh) = (u32::from(self.size.0), u32::from(self.size.1));
        let cells: Vec<(char, u32)> = text
            .chars()
            .map(|c| {
                let columns = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0) as u32;
                (c, columns * COLUMN * sw)
            })
            .collect();
        let line_width: u32 = cells.iter().map(|(_, w)| w).sum();
        let mut x = self.x_for(line_width);
        let height = CELL_HEIGHT * sh;
        let font = if self.bold {
            &self.bold_font
        } else {
            &self.regular
        };
        // ab_glyph scales by ascent − descent; a printer's 24-dot cell holds one em.
        let em_to_height = (font.ascent_unscaled() - font.descent_unscaled())
            / font.units_per_em().unwrap_or(1000.0);
        let scale = PxScale {
            x: (CELL_HEIGHT * sw) as f32 * em_to_height,
            y: height as f32 * em_to_height,
        };
        let scaled = font.as_scaled(scale);
        // CJK ideographs stand about 0.88 em above the baseline.
        let baseline = self.y as f32 + height as f32 * 0.88;
        for (c, cell) in cells {
            let glyph = scaled.scaled_glyph(c);
            let advance = scaled.h_advance(glyph.id);
            // Centre the glyph in its printer cell.
            let left = x as f32 + (cell as f32 - advance).max(0.0) / 2.0;
            let mut glyph = glyph;
            glyph.position = ab_glyph::point(left, baseline);
            if let Some(outline) = font.outline_glyph(glyph) {
                let bounds = outline.px_bounds();
                let paper = &mut self.paper;
                outline.draw(|gx, gy, coverage| {
                    let px = bounds.min.x as i64 + i64::from(gx);
                    let py = bounds.min.y as i64 + i64::from(gy);
                    if px >= 0 && py >= 0 {
                        paper.ink(px as u32, py as u32, coverage);
                    }
                });
            }
            x += cell;
        }
        self.y = (self.y + height + LINE_GAP).min(MAX_HEIGHT);
        self.paper.grow(self.y);
    }

    fn blit(&mut self, bitmap: &Bitmap) {
        self.flush_pending();
        let x0 = self.x_for(u32::from(bitmap.width));
        let rows = bitmap
            .height
            .min((MAX_HEIGHT.saturating_sub(self.y)).min(u32::from(u16::MAX)) as u16);
        for y in 0..rows {
            for x in 0..bitmap.width {
                if bitmap.get(x, y) {
                    self.paper
                        .ink(x0 + u32::from(x), self.y + u32::from(y), 1.0);
                }
            }
        }
        self.y = (self.y + u32::from(bitmap.height)).min(MAX_HEIGHT);
        self.paper.grow(self.y);
    }
}
