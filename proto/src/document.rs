//! A printable document as the hub sends it and the terminal prints it: a list of blocks, independent of the
//! printer. The JSON form is the wire form:
//!
//! ```json
//! {
//!   "id": "DOC-2026-000123",
//!   "kind": "licence",
//!   "title": "营业执照（副本）信息",
//!   "blocks": [
//!     { "type": "title", "text": "营业执照信息", "size": "large" },
//!     { "type": "rows", "rows": [ { "key": "统一社会信用代码", "value": "91320508MA1XXXXXXX" } ] },
//!     { "type": "separator" },
//!     { "type": "table", "columns": [ { "title": "材料", "share": 3 }, { "title": "份数", "share": 1, "align": "right" } ],
//!       "rows": [ [ "身份证复印件", "1" ] ] },
//!     { "type": "qr", "payload": "…", "caption": "扫码验证" },
//!     { "type": "barcode", "symbology": "code128", "data": "SZ2026112300012" },
//!     { "type": "image", "png_base64": "iVBORw0…", "width_mm": 30 },
//!     { "type": "seal", "png_base64": "iVBORw0…", "issuer": "苏州市市场监督管理局" },
//!     { "type": "signature", "label": "经办人" },
//!     { "type": "validity", "text": "此件由苏州市市场监督管理局提供，仅供办理政务服务事项时使用", "valid_until": "2026-12-23" },
//!     { "type": "feed", "lines": 2 },
//!     { "type": "cut" }
//!   ]
//! }
//! ```
//!
//! Every field but those marked optional is required; unknown fields are refused. Texts are single-language:
//! a licence is issued in Chinese.

use serde::{Deserialize, Serialize};

/// What a document is, for reprint policies and the print journal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DocumentKind {
    /// A licence or certificate extract (营业执照, 不动产登记查询结果, 社保参保证明 …).
    Licence,
    /// A case receipt (办件凭证).
    Receipt,
    /// A queue ticket (取号).
    Ticket,
    /// A progress report or other record.
    Record,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Document {
    /// Unique per document; print claims and the journal refer to it.
    pub id: String,
    pub kind: DocumentKind,
    /// A short name for previews and the journal.
    pub title: String,
    pub blocks: Vec<Block>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Align {
    #[default]
    Left,
    Center,
    Right,
}

/// Character size: normal, double height and width, or the ticket number's quadruple size.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TextSize {
    #[default]
    Normal,
    Large,
    Huge,
}

impl TextSize {
    /// The width (and height) multiplier.
    pub fn scale(self) -> u8 {
        match self {
            TextSize::Normal => 1,
            TextSize::Large => 2,
            TextSize::Huge => 4,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Row {
    pub key: String,
    pub value: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Column {
    pub title: String,
    /// The column's share of the line width (optional, 1 by default).
    #[serde(default = "one")]
    pub share: u8,
    /// Optional, left by default.
    #[serde(default)]
    pub align: Align,
}

fn one() -> u8 {
    1
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Symbology {
    Code128,
    Code39,
    Ean13,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum Block {
    Title {
        text: String,
        /// Optional, large by default.
        #[serde(default = "large")]
        size: TextSize,
    },
    Text {
        text: String,
        #[serde(default)]
        align: Align,
        #[serde(default)]
        bold: bool,
        #[serde(default)]
        size: TextSize,
    },
    /// Key–value rows: the key on the left, the value after it, wrapped under itself.
    Rows {
        rows: Vec<Row>,
    },
    // Unit variants would let unknown fields through: serde checks them only on struct variants.
    Separator {},
    Table {
        columns: Vec<Column>,
        rows: Vec<Vec<String>>,
    },
    /// A QR code (model 2) of `payload`, with an optional caption under it.
    Qr {
        payload: String,
        #[serde(default)]
        caption: Option<String>,
    },
    Barcode {
        symbology: Symbology,
        data: String,
    },
    /// A picture (logo), PNG in base64, printed at `width_mm` (optional: the paper width).
    Image {
        png_base64: String,
        #[serde(default)]
        width_mm: Option<u16>,
        #[serde(default = "center")]
        align: Align,
    },
    /// The issuer's seal (PNG in base64) with the issuer's name.
    Seal {
        png_base64: String,
        issuer: String,
    },
    /// A line to sign on, with its label.
    Signature {
        label: String,
    },
    /// The electronic-licence line ("此件由××提供，仅供办理政务服务事项时使用") and its validity.
    Validity {
        text: String,
        #[serde(default)]
        valid_until: Option<String>,
    },
    Feed {
        lines: u8,
    },
    Cut {},
}

fn large() -> TextSize {
    TextSize::Large
}

fn center() -> Align {
    Align::Center
}

/// What is wrong with a document, found before anything is printed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DocumentError {
    #[error("document JSON: {0}")]
    Json(String),
    #[error("the document has no blocks")]
    Empty,
    #[error("block {block}: {message}")]
    Block { block: usize, message: String },
}

/// The longest QR payload we print: version 40-L holds 2953 bytes, but a 58 mm printer resolves far less; a
/// version 25 code at 2 dots a module fits 384 dots.
pub const MAX_QR_BYTES: usize = 1200;

impl Document {
    pub fn from_json(json: &str) -> Result<Document, DocumentError> {
        let document: Document =
            serde_json::from_str(json).map_err(|e| DocumentError::Json(e.to_string()))?;
        document.check()?;
        Ok(document)
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).expect("a document serialises")
    }

    /// Checks what serde cannot: non-empty, tables square, codes encodable.
    pub fn check(&self) -> Result<(), DocumentError> {
        if self.blocks.is_empty() {
            return Err(DocumentError::Empty);
        }
        for (block, b) in self.blocks.iter().enumerate() {
            let bad = |message: String| Err(DocumentError::Block { block, message });
            match b {
                Block::Table { columns, rows } => {
                    if columns.is_empty() {
                        return bad("a table needs at least one column".into());
                    }
                    if columns.iter().any(|c| c.share == 0) {
                        return bad("a column's share must be at least 1".into());
                    }
                    if let Some((i, row)) = rows
                        .iter()
                        .enumerate()
                        .find(|(_, r)| r.len() != columns.len())
                    {
                        return bad(format!(
                            "row {i} has {} cells for {} columns",
                            row.len(),
                            columns.len()
                        ));
                    }
                }
                Block::Qr { payload, .. } if payload.is_empty() || payload.len() > MAX_QR_BYTES => {
                    return bad(format!(
                        "a QR payload must be 1 to {MAX_QR_BYTES} bytes, not {}",
                        payload.len()
                    ));
                }
                Block::Barcode { symbology, data } => {
                    if let Err(message) = check_barcode(*symbology, data) {
                        return bad(message);
                    }
                }
                Block::Feed { lines } if *lines > 20 => {
                    return bad(format!("feed {lines} lines: at most 20"));
                }
                Block::Image { png_base64, .. } | Block::Seal { png_base64, .. }
                    if png_base64.is_empty() =>
                {
                    return bad("an image needs its PNG".into());
                }
                _ => {}
            }
        }
        Ok(())
    }
}

fn check_barcode(symbology: Symbology, data: &str) -> Result<(), String> {
    match symbology {
        Symbology::Code128 => {
            if data.is_empty()
                || data.len() > 80
                || !data.bytes().all(|b| (0x20..0x7F).contains(&b))
            {
                return Err("CODE128 takes 1 to 80 printable ASCII characters".into());
            }
        }
        Symbology::Code39 => {
            let allowed =
                |c: char| c.is_ascii_uppercase() || c.is_ascii_digit() || " -.$/+%".contains(c);
            if data.is_empty() || data.len() > 40 || !data.chars().all(allowed) {
                return Err("CODE39 takes 1 to 40 of A-Z 0-9 space - . $ / + %".into());
            }
        }
        Symbology::Ean13 => {
            let digits: Vec<u32> = data.chars().filter_map(|c| c.to_digit(10)).collect();
            if data.len() != 13 || digits.len() != 13 {
                return Err("EAN-13 takes 13 digits".into());
            }
            let sum: u32 = digits[..12]
                .iter()
                .enumerate()
                .map(|(i, d)| if i % 2 == 0 { *d } else { d * 3 })
                .sum();
            if (10 - sum % 10) % 10 != digits[12] {
                return Err("EAN-13 check digit is wrong".into());
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The example in this module's documentation parses and checks.
    #[test]
    fn the_documented_example_parses() {
        let doc = include_str!("document.rs");
        let start = doc.find("//! {").unwrap();
        let end = doc.find("//! ```\n//!\n//! Every field").unwrap();
        let json: String = doc[start..end]
            .lines()
            .map(|l| l.trim_start_matches("//!").trim_start_matches(' '))
            .collect::<Vec<_>>()
            .join("\n");
        let document = Document::from_json(&json).unwrap();
        assert_eq!(document.kind, DocumentKind::Licence);
        assert_eq!(document.blocks.len(), 12);
        assert_eq!(Document::from_json(&document.to_json()).unwrap(), document);
    }

    #[test]
    fn unknown_fields_and_bad_blocks_are_refused_with_where() {
        let unknown =
            r#"{"id":"a","kind":"ticket","title":"t","blocks":[{"type":"cut","colour":"red"}]}"#;
        assert!(matches!(
            Document::from_json(unknown),
            Err(DocumentError::Json(_))
        ));
        let unknown = r#"{"id":"a","kind":"ticket","title":"t","blocks":[{"type":"title","text":"x","font":"b"}]}"#;
        assert!(matches!(
            Document::from_json(unknown),
            Err(DocumentError::Json(_))
        ));
        let ragged = r#"{"id":"a","kind":"receipt","title":"t","blocks":[{"type":"separator"},
            {"type":"table","columns":[{"title":"a"},{"title":"b"}],"rows":[["1"]]}]}"#;
        assert_eq!(
            Document::from_json(ragged),
            Err(DocumentError::Block {
                block: 1,
                message: "row 0 has 1 cells for 2 columns".into()
            })
        );
        let ean = r#"{"id":"a","kind":"receipt","title":"t","blocks":[{"type":"barcode","symbology":"ean13","data":"6901234567891"}]}"#;
        assert!(Document::from_json(ean).is_err());
        let ean = ean.replace("6901234567891", "6901234567892");
        assert!(Document::from_json(&ean).is_ok());
    }
}
