//! Documents to ESC/POS bytes for Chinese thermal printers, through the `escpos` crate where it is right and
//! our own bytes where it is not (see the reference's pitfalls): Chinese text as GB18030 in Chinese mode (FS &),
//! wrapped by display width (a Chinese character takes two columns); QR codes by the printer (model 2) or as
//! raster; pictures dithered to 1 bit and sent as GS v 0 bands; CODE128 by GS k function B; the cut the
//! profile's cutter makes.

use std::cell::RefCell;
use std::rc::Rc;

use base64::Engine;
use escpos::driver::Driver;
use escpos::printer::Printer;
use escpos::utils::{
    Encoder, JustifyMode, Protocol, QRCodeCorrectionLevel, QRCodeModel, QRCodeOption,
};
use unicode_width::UnicodeWidthChar;

use super::profile::{Cutter, Profile, DOTS_PER_MM};
use super::raster::{Bitmap, RasterError};
use crate::domain::document::{Align, Block, Column, Document, Symbology, TextSize};

/// Why a document could not be turned into printer bytes.
#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    #[error("block {block}: {source}")]
    Raster { block: usize, source: RasterError },
    #[error("block {block}: the image is not base64: {message}")]
    Base64 { block: usize, message: String },
    #[error("printer command: {0}")]
    Escpos(String),
    #[error("block {block}: the barcode needs {modules} modules, wider than the paper's {dots} dots; shorten it or use a QR code")]
    BarcodeTooWide {
        block: usize,
        modules: u16,
        dots: u16,
    },
    #[error("block {block}: the barcode data cannot be encoded in its symbology")]
    BarcodeData { block: usize },
}

impl From<escpos::errors::PrinterError> for RenderError {
    fn from(error: escpos::errors::PrinterError) -> RenderError {
        RenderError::Escpos(error.to_string())
    }
}

/// The `escpos` crate writes to a driver; this one keeps the bytes.
#[derive(Clone, Default)]
struct Memory(Rc<RefCell<Vec<u8>>>);

impl Driver for Memory {
    fn name(&self) -> String {
        "memory".into()
    }

    fn write(&self, data: &[u8]) -> escpos::errors::Result<()> {
        self.0.borrow_mut().extend_from_slice(data);
        Ok(())
    }

    fn read(&self, _buf: &mut [u8]) -> escpos::errors::Result<usize> {
        Ok(0)
    }

    fn flush(&self) -> escpos::errors::Result<()> {
        Ok(())
    }
}

const FS_CHINESE_ON: [u8; 2] = [0x1C, 0x26];
/// GS V 66 0: feed to the cutter, then a partial cut (the crate's `partial_cut` sends a full cut).
const PARTIAL_CUT: [u8; 4] = [0x1D, 0x56, 0x42, 0x00];
/// QR module size in dots: 5 on 58 mm, 6 on 80 mm keeps a 1 KB payload on the paper.
fn qr_module(profile: &Profile) -> u8 {
    if profile.dots >= 576 {
        6
    } else {
        4
    }
}

/// Characters GB18030 can only write in 4 bytes do not print on these printers (2-byte areas only).
fn printable(c: char) -> char {
    let mut buf = [0u8; 4];
    let (bytes, _, unmappable) = encoding_rs::GB18030.encode(c.encode_utf8(&mut buf));
    if unmappable || bytes.len() > 2 {
        '□'
    } else {
        c
    }
}

/// Punctuation that may not begin a line (禁则).
const NO_LINE_START: &str = "，。、；：！？）》」』】〕,.;:!?)%";

/// Display width in half-width columns: CJK (and full-width punctuation) take two.
pub fn width(s: &str) -> usize {
    s.chars().map(|c| c.width().unwrap_or(0)).sum()
}

/// Breaks `text` into lines of at most `columns` display columns, at spaces where a line of Latin text allows,
/// anywhere between Chinese characters.
pub fn wrap(text: &str, columns: usize) -> Vec<String> {
    let columns = columns.max(2);
    let mut lines = Vec::new();
    for paragraph in text.split('\n') {
        let mut line = String::new();
        let mut used = 0;
        let mut last_space: Option<usize> = None;
        for c in paragraph.chars() {
            let w = c.width().unwrap_or(0);
            if used + w > columns {
                match last_space.filter(|_| c.is_ascii() && c != ' ') {
                    // Move the word being typed to the next line.
                    Some(at) => {
                        let rest = line.split_off(at);
                        lines.push(line.trim_end().to_string());
                        line = rest.trim_start().to_string();
                    }
                    // Closing punctuation never starts a line: it takes the last character with it.
                    None if NO_LINE_START.contains(c) && line.chars().count() > 1 => {
                        let last = line.pop().expect("a line of two characters or more");
                        lines.push(std::mem::take(&mut line));
                        line.push(last);
                    }
                    None => lines.push(std::mem::take(&mut line)),
                }
                used = width(&line);
                last_space = None;
                if c == ' ' && line.is_empty() {
                    continue;
                }
            }
            if c == ' ' {
                last_space = Some(line.len());
            }
            line.push(c);
            used += w;
        }
        lines.push(line);
    }
    lines
}

fn pad(text: &str, columns: usize, align: Align) -> String {
    let gap = columns.saturating_sub(width(text));
    match align {
        Align::Left => format!("{text}{}", " ".repeat(gap)),
        Align::Right => format!("{}{text}", " ".repeat(gap)),
        Align::Center => format!("{}{text}{}", " ".repeat(gap / 2), " ".repeat(gap - gap / 2)),
    }
}

fn justify(align: Align) -> JustifyMode {
    match align {
        Align::Left => JustifyMode::LEFT,
        Align::Center => JustifyMode::CENTER,
        Align::Right => JustifyMode::RIGHT,
    }
}

/// Renders `document` for a printer of `profile`.
pub fn render(document: &Document, profile: &Profile) -> Result<Vec<u8>, RenderError> {
    let memory = Memory::default();
    let encoding = if profile.gb18030 {
        encoding_rs::GB18030
    } else {
        encoding_rs::UTF_8
    };
    let mut printer = Printer::new(memory.clone(), Protocol::new(Encoder::new(encoding)), None);
    printer.init()?;
    if profile.gb18030 {
        printer.custom(&FS_CHINESE_ON)?;
    }
    let mut writer = Writer {
        printer: &mut printer,
        profile,
        align: Align::Left,
    };
    for (index, block) in document.blocks.iter().enumerate() {
        writer.block(index, block)?;
    }
    printer.print()?;
    let bytes = memory.0.borrow().clone();
    Ok(bytes)
}

struct Writer<'a> {
    printer: &'a mut Printer<Memory>,
    profile: &'a Profile,
    /// The alignment the printer is in (ESC @ leaves it left): sent only when it changes.
    align: Align,
}

impl Writer<'_> {
    fn align(&mut self, align: Align) -> Result<(), RenderError> {
        if align != self.align {
            self.printer.justify(justify(align))?;
            self.align = align;
        }
        Ok(())
    }

    fn columns(&self) -> usize {
        usize::from(self.profile.columns)
    }

    /// Lines of text in one style; the printer's LF ends each.
    fn lines(
        &mut self,
        text: &str,
        align: Align,
        bold: bool,
        size: TextSize,
    ) -> Result<(), RenderError> {
        let scale = size.scale();
        self.align(align)?;
        if bold {
            self.printer.bold(true)?;
        }
        if scale > 1 {
            self.printer.size(scale, scale)?;
        }
        let text: String = text.chars().map(printable).collect();
        for line in wrap(&text, self.columns() / usize::from(scale)) {
            self.printer.write(&line)?;
            self.printer.custom(&[0x0A])?;
        }
        if scale > 1 {
            self.printer.reset_size()?;
        }
        if bold {
            self.printer.bold(false)?;
        }
        Ok(())
    }

    fn block(&mut self, index: usize, block: &Block) -> Result<(), RenderError> {
        match block {
            Block::Title { text, size } => self.lines(text, Align::Center, true, *size),
            Block::Text {
                text,
                align,
                bold,
                size,
            } => self.lines(text, *align, *bold, *size),
            Block::Rows { rows } => {
                let key_width = rows.iter().map(|r| width(&r.key)).max().unwrap_or(0);
                if key_width > self.columns() / 3 {
                    // Narrow paper: each key on its own line, its value indented under it.
                    for row in rows {
                        self.lines(&row.key, Align::Left, true, TextSize::Normal)?;
                        for value in wrap(&row.value, self.columns() - 2) {
                            self.lines(
                                &format!("  {value}"),
                                Align::Left,
                                false,
                                TextSize::Normal,
                            )?;
                        }
                    }
                    return Ok(());
                }
                for row in rows {
                    let value_width = self.columns().saturating_sub(key_width + 2).max(4);
                    let values = wrap(
                        &row.value.chars().map(printable).collect::<String>(),
                        value_width,
                    );
                    for (i, value) in values.iter().enumerate() {
                        let key = if i == 0 {
                            pad(&row.key, key_width, Align::Left)
                        } else {
                            " ".repeat(key_width)
                        };
                        self.lines(
                            &format!("{key}  {value}"),
                            Align::Left,
                            false,
                            TextSize::Normal,
                        )?;
                    }
                }
                Ok(())
            }
            Block::Separator {} => {
                let rule = "-".repeat(self.columns());
                self.lines(&rule, Align::Left, false, TextSize::Normal)
            }
            Block::Table { columns, rows } => self.table(columns, rows),
            Block::Qr { payload, caption } => {
                self.qr(index, payload)?;
                if let Some(caption) = caption {
                    self.lines(caption, Align::Center, false, TextSize::Normal)?;
                }
                Ok(())
            }
            Block::Barcode { symbology, data } => self.barcode(index, *symbology, data),
            Block::Image {
                png_base64,
                width_mm,
                align,
            } => {
                let dots = width_mm
                    .map(|mm| mm.saturating_mul(DOTS_PER_MM))
                    .unwrap_or(self.profile.dots)
                    .min(self.profile.dots);
                self.image(index, png_base64, dots, *align)
            }
            Block::Seal { png_base64, issuer } => {
                // 30 mm across on 80 mm paper, 24 mm on 58 mm paper (where it would crowd the text and
                // dominate the bytes on the wire).
                let mm = if self.profile.dots >= 576 { 30 } else { 24 };
                let dots = (mm * DOTS_PER_MM).min(self.profile.dots);
                self.image(index, png_base64, dots, Align::Center)?;
                self.lines(issuer, Align::Center, false, TextSize::Normal)
            }
            Block::Signature { label } => {
                let line = "_".repeat(self.columns().saturating_sub(width(label) + 2));
                self.lines(
                    &format!("{label}：{line}"),
                    Align::Left,
                    false,
                    TextSize::Normal,
                )
            }
            Block::Validity { text, valid_until } => {
                self.lines(text, Align::Center, false, TextSize::Normal)?;
                if let Some(until) = valid_until {
                    self.lines(
                        &format!("有效期至 {until}"),
                        Align::Center,
                        true,
                        TextSize::Normal,
                    )?;
                }
                Ok(())
            }
            Block::Feed { lines } => {
                self.printer.feeds(*lines)?;
                Ok(())
            }
            Block::Cut {} => {
                match self.profile.cutter {
                    Cutter::Full => {
                        self.printer.cut()?;
                    }
                    Cutter::Partial => {
                        self.printer.custom(&PARTIAL_CUT)?;
                    }
                    // Feed the last line past the tear bar.
                    Cutter::None => {
                        self.printer.feeds(4)?;
                    }
                }
                Ok(())
            }
        }
    }

    fn table(&mut self, columns: &[Column], rows: &[Vec<String>]) -> Result<(), RenderError> {
        let gaps = columns.len().saturating_sub(1);
        let usable = self.columns().saturating_sub(gaps);
        let shares: usize = columns
            .iter()
            .map(|c| usize::from(c.share))
            .sum::<usize>()
            .max(1);
        let mut widths: Vec<usize> = columns
            .iter()
            .map(|c| (usable * usize::from(c.share) / shares).max(2))
            .collect();
        let spare = usable.saturating_sub(widths.iter().sum());
        if let Some(first) = widths.first_mut() {
            *first += spare;
        }
        let header: Vec<String> = columns.iter().map(|c| c.title.clone()).collect();
        for (i, cells) in std::iter::once(&header).chain(rows.iter()).enumerate() {
            let wrapped: Vec<Vec<String>> = cells
                .iter()
                .zip(&widths)
                .map(|(cell, w)| wrap(&cell.chars().map(printable).collect::<String>(), *w))
                .collect();
            let height = wrapped.iter().map(Vec::len).max().unwrap_or(1);
            for line in 0..height {
                let text: Vec<String> = wrapped
                    .iter()
                    .zip(&widths)
                    .zip(columns)
                    .map(|((cell, w), column)| {
                        pad(
                            cell.get(line).map(String::as_str).unwrap_or(""),
                            *w,
                            column.align,
                        )
                    })
                    .collect();
                self.lines(
                    text.join(" ").trim_end(),
                    Align::Left,
                    i == 0,
                    TextSize::Normal,
                )?;
            }
        }
        Ok(())
    }

    fn qr(&mut self, index: usize, payload: &str) -> Result<(), RenderError> {
        // The largest module (up to the profile's) at which the symbol and its quiet zone fit the paper. Only
        // the version is needed (not the whole symbol with its mask search).
        let modules = qrcode::bits::encode_auto(payload.as_bytes(), qrcode::EcLevel::M)
            .map_err(|e| RenderError::Raster {
                block: index,
                source: RasterError::Qr(e.to_string()),
            })?
            .version()
            .width() as u16;
        let fits = (self.profile.dots / (modules + 8)).clamp(1, 16) as u8;
        let module = qr_module(self.profile).min(fits);
        if self.profile.native_qr {
            self.align(Align::Center)?;
            self.printer.qrcode_option(
                payload,
                QRCodeOption::new(QRCodeModel::Model2, module, QRCodeCorrectionLevel::M),
            )?;
            return Ok(());
        }
        let bitmap = Bitmap::qr(payload.as_bytes(), u16::from(module)).map_err(|source| {
            RenderError::Raster {
                block: index,
                source,
            }
        })?;
        self.bitmap(&bitmap, Align::Center)
    }

    fn image(
        &mut self,
        index: usize,
        png_base64: &str,
        dots: u16,
        align: Align,
    ) -> Result<(), RenderError> {
        let png = base64::engine::general_purpose::STANDARD
            .decode(png_base64)
            .map_err(|e| RenderError::Base64 {
                block: index,
                message: e.to_string(),
            })?;
        let bitmap = Bitmap::from_png(&png, dots).map_err(|source| RenderError::Raster {
            block: index,
            source,
        })?;
        self.bitmap(&bitmap, align)
    }

    fn bitmap(&mut self, bitmap: &Bitmap, align: Align) -> Result<(), RenderError> {
        self.align(align)?;
        self.printer.custom(&bitmap.gs_v0())?;
        Ok(())
    }

    fn barcode(
        &mut self,
        block: usize,
        symbology: Symbology,
        data: &str,
    ) -> Result<(), RenderError> {
        let (m, body): (u8, Vec<u8>) = match symbology {
            // Code set B carries every printable ASCII character.
            Symbology::Code128 => (73, [b"{B".as_slice(), data.as_bytes()].concat()),
            Symbology::Code39 => (69, data.as_bytes().to_vec()),
            Symbology::Ean13 => (67, data.as_bytes().to_vec()),
        };
        // Modules of 2 dots (0.25 mm) where they fit, 1 dot on narrow paper, else the code does not go.
        let modules = super::raster::Bitmap::barcode(m, &body, 1, 1)
            .ok_or(RenderError::BarcodeData { block })?
            .width;
        let module = [2u16, 1]
            .into_iter()
            .find(|w| modules * w <= self.profile.dots)
            .ok_or(RenderError::BarcodeTooWide {
                block,
                modules,
                dots: self.profile.dots,
            })?;
        // Height 80 dots, human-readable text below.
        let mut cmd = vec![0x1D, 0x68, 80, 0x1D, 0x77, module as u8, 0x1D, 0x48, 2];
        cmd.extend_from_slice(&[0x1D, 0x6B, m, body.len() as u8]);
        cmd.extend_from_slice(&body);
        self.align(Align::Center)?;
        self.printer.custom(&cmd)?;
        self.printer.custom(&[0x0A])?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_takes_two_columns_and_latin_breaks_at_spaces() {
        assert_eq!(width("身份证A"), 7);
        assert_eq!(
            wrap("营业执照信息打印", 6),
            vec!["营业执", "照信息", "打印"]
        );
        assert_eq!(
            wrap("print your business licence", 12),
            vec!["print your", "business", "licence"]
        );
        assert_eq!(wrap("", 10), vec![""]);
        assert_eq!(wrap("控股（自然人）", 6), vec!["控股（", "自然", "人）"]);
    }

    #[test]
    fn text_goes_out_as_gb18030_in_chinese_mode() {
        let document = Document {
            id: "t".into(),
            kind: crate::domain::document::DocumentKind::Ticket,
            title: "t".into(),
            blocks: vec![Block::Text {
                text: "身份证A".into(),
                align: Align::Left,
                bold: false,
                size: TextSize::Normal,
            }],
        };
        let bytes = render(&document, &Profile::MM58).unwrap();
        assert_eq!(&bytes[..4], &[0x1B, 0x40, 0x1C, 0x26]);
        let text = [0xC9, 0xED, 0xB7, 0xDD, 0xD6, 0xA4, 0x41, 0x0A];
        assert!(bytes.windows(text.len()).any(|w| w == text), "{bytes:02X?}");
    }

    #[test]
    fn characters_beyond_the_two_byte_areas_are_replaced_not_garbled() {
        assert_eq!(printable('𠮷'), '□');
        assert_eq!(printable('张'), '张');
    }
}
