//! The three document templates (a licence or certificate extract, a case receipt, a queue ticket) the hub
//! fills with a holder's data and the terminal with its own, and sample data for `kiosk printer print
//! --sample` and the tests.

use base64::Engine;

use crate::document::{Align, Block, Column, Document, DocumentKind, Row, Symbology, TextSize};

/// A licence or certificate extract (营业执照, 不动产登记查询结果, 社保参保证明 …).
#[derive(Debug, Clone)]
pub struct Licence {
    pub id: String,
    /// 营业执照信息 …
    pub title: String,
    /// The holder and the licence's key fields, in order.
    pub fields: Vec<(String, String)>,
    pub issuer: String,
    /// YYYY-MM-DD
    pub issued_on: String,
    /// YYYY-MM-DD: the electronic licence line's validity.
    pub valid_until: String,
    /// The issuer's seal, PNG.
    pub seal_png: Vec<u8>,
    /// What the verification QR carries (the signed payload).
    pub verification: String,
}

/// 办件凭证: what a citizen keeps after handing in an application.
#[derive(Debug, Clone)]
pub struct Receipt {
    pub case_number: String,
    pub service: String,
    /// Already masked (`张**`): receipts are left lying around.
    pub applicant: String,
    /// Each material received and how many copies.
    pub materials: Vec<(String, u32)>,
    /// YYYY-MM-DD HH:MM
    pub received_at: String,
    /// YYYY-MM-DD
    pub promised_on: String,
    pub hall: String,
    /// Where to follow the case online (QR).
    pub progress_url: String,
}

/// 申报回执: what the applicant keeps after applying at the terminal. It never says 受理: the legal
/// clock starts when the hub receives the application, and the paper says whether that has happened.
#[derive(Debug, Clone)]
pub struct Submission {
    /// 申报编号 (made on the terminal).
    pub number: String,
    pub service: String,
    /// Already masked (`张**`, `3205**********0020`).
    pub applicant: String,
    pub id_masked: String,
    /// YYYY-MM-DD HH:MM at the terminal.
    pub submitted_at: String,
    /// Each material and where it came from (`电子证照库调取 苏(2022)…`, `高拍仪拍摄 2 页`).
    pub materials: Vec<(String, String)>,
    /// 窗口领取, EMS 寄递 (the recipient masked), 电子证照.
    pub delivery: String,
    /// 承诺时限: `N 个工作日`, or the hub's promised date once it has the application.
    pub promised: String,
    /// `已送达 YYYY-MM-DD HH:MM` or `已在本机提交，网络恢复后自动送达`.
    pub sent: String,
    pub hall: String,
    /// Where to follow the case (QR).
    pub progress_url: String,
    /// A 补正: the 申报编号 of the application it completes (its delivery and promise stand).
    pub completes: Option<String>,
}

impl Submission {
    pub fn document(&self) -> Document {
        let (title, last) = match &self.completes {
            Some(number) => ("补正回执", ("所补申报", number.clone())),
            None => ("申报回执", ("领取方式", self.delivery.clone())),
        };
        let mut blocks = case_heading(
            title,
            &self.hall,
            [&self.number, &self.service, &self.applicant],
            [
                ("证件号码", self.id_masked.clone()),
                ("申报时间", self.submitted_at.clone()),
                last,
                ("承诺时限", self.promised.clone()),
            ],
        );
        // The heading names the number 办件编号; on this paper it is the 申报编号.
        if let Some(Block::Rows { rows }) = blocks.last_mut() {
            if let Some(first) = rows.first_mut() {
                first.key = "申报编号".into();
            }
        }
        if !self.materials.is_empty() {
            blocks.push(Block::Table {
                columns: vec![
                    Column {
                        title: "材料".into(),
                        share: 3,
                        align: Align::Left,
                    },
                    Column {
                        title: "来源".into(),
                        share: 3,
                        align: Align::Left,
                    },
                ],
                rows: self
                    .materials
                    .iter()
                    .map(|(name, source)| vec![name.clone(), source.clone()])
                    .collect(),
            });
        }
        blocks.extend([
            Block::Separator {},
            text(self.sent.clone(), Align::Left, true, TextSize::Normal),
            text(
                "本回执不是受理通知书；受理、补正和办结结果将短信告知。",
                Align::Left,
                false,
                TextSize::Normal,
            ),
            Block::Barcode {
                symbology: Symbology::Code128,
                data: self.number.clone(),
            },
            Block::Qr {
                payload: self.progress_url.clone(),
                caption: Some("扫码查询办理进度".into()),
            },
            Block::Feed { lines: 2 },
            Block::Cut {},
        ]);
        Document {
            id: format!("SUBMISSION-{}", self.number),
            kind: DocumentKind::Receipt,
            title: format!("{title} {}", self.number),
            blocks,
        }
    }
}

/// A queue ticket (取号).
#[derive(Debug, Clone)]
pub struct Ticket {
    pub number: String,
    pub service: String,
    pub waiting: u32,
    pub hall: String,
    /// YYYY-MM-DD HH:MM
    pub issued_at: String,
}

fn text(text: impl Into<String>, align: Align, bold: bool, size: TextSize) -> Block {
    Block::Text {
        text: text.into(),
        align,
        bold,
        size,
    }
}

fn rows(pairs: impl IntoIterator<Item = (String, String)>) -> Block {
    Block::Rows {
        rows: pairs
            .into_iter()
            .map(|(key, value)| Row { key, value })
            .collect(),
    }
}

/// The head of a case's paper: its title, the hall, then the case number, service and applicant and
/// `more` rows.
fn case_heading<const N: usize>(
    title: &str,
    hall: &str,
    [case_number, service, applicant]: [&String; 3],
    more: [(&str, String); N],
) -> Vec<Block> {
    let mut pairs = vec![
        ("办件编号".to_string(), case_number.clone()),
        ("办理事项".to_string(), service.clone()),
        ("申请人".to_string(), applicant.clone()),
    ];
    pairs.extend(
        more.into_iter()
            .map(|(key, value)| (key.to_string(), value)),
    );
    vec![
        Block::Title {
            text: title.into(),
            size: TextSize::Large,
        },
        text(hall, Align::Center, false, TextSize::Normal),
        Block::Separator {},
        rows(pairs),
    ]
}

fn png_base64(png: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(png)
}

impl Licence {
    pub fn document(&self) -> Document {
        let mut blocks = vec![
            Block::Title {
                text: self.title.clone(),
                size: TextSize::Large,
            },
            Block::Separator {},
            rows(self.fields.iter().cloned()),
            Block::Separator {},
            rows([
                ("发证机关".to_string(), self.issuer.clone()),
                ("出具日期".to_string(), self.issued_on.clone()),
            ]),
            Block::Seal {
                png_base64: png_base64(&self.seal_png),
                issuer: self.issuer.clone(),
            },
            Block::Validity {
                text: format!("此件由{}提供，仅供办理政务服务事项时使用", self.issuer),
                valid_until: Some(self.valid_until.clone()),
            },
            Block::Qr {
                payload: self.verification.clone(),
                caption: Some("扫码核验真伪".into()),
            },
        ];
        blocks.extend([Block::Feed { lines: 2 }, Block::Cut {}]);
        Document {
            id: self.id.clone(),
            kind: DocumentKind::Licence,
            title: self.title.clone(),
            blocks,
        }
    }
}

impl Receipt {
    pub fn document(&self) -> Document {
        Document {
            id: format!("RECEIPT-{}", self.case_number),
            kind: DocumentKind::Receipt,
            title: format!("办件凭证 {}", self.case_number),
            blocks: [
                case_heading(
                    "办件凭证",
                    &self.hall,
                    [&self.case_number, &self.service, &self.applicant],
                    [
                        ("受理时间", self.received_at.clone()),
                        ("承诺办结", self.promised_on.clone()),
                    ],
                ),
                vec![
                    Block::Table {
                        columns: vec![
                            Column {
                                title: "已收材料".into(),
                                share: 4,
                                align: Align::Left,
                            },
                            Column {
                                title: "份数".into(),
                                share: 1,
                                align: Align::Right,
                            },
                        ],
                        rows: self
                            .materials
                            .iter()
                            .map(|(name, copies)| vec![name.clone(), copies.to_string()])
                            .collect(),
                    },
                    Block::Barcode {
                        symbology: Symbology::Code128,
                        data: self.case_number.clone(),
                    },
                    Block::Qr {
                        payload: self.progress_url.clone(),
                        caption: Some("扫码查询办理进度".into()),
                    },
                    Block::Signature {
                        label: "申请人签名".into(),
                    },
                    Block::Feed { lines: 2 },
                    Block::Cut {},
                ],
            ]
            .concat(),
        }
    }
}

impl Ticket {
    pub fn document(&self) -> Document {
        Document {
            id: format!(
                "TICKET-{}-{}",
                self.issued_at.replace([' ', ':'], ""),
                self.number
            ),
            kind: DocumentKind::Ticket,
            title: format!("排队号 {}", self.number),
            blocks: vec![
                text(self.hall.clone(), Align::Center, true, TextSize::Normal),
                Block::Separator {},
                text("您的号码", Align::Center, false, TextSize::Normal),
                text(self.number.clone(), Align::Center, true, TextSize::Huge),
                text(self.service.clone(), Align::Center, true, TextSize::Large),
                text(
                    format!("前面还有 {} 人等候", self.waiting),
                    Align::Center,
                    false,
                    TextSize::Normal,
                ),
                Block::Separator {},
                text(
                    format!("取号时间 {}", self.issued_at),
                    Align::Center,
                    false,
                    TextSize::Normal,
                ),
                text(
                    "请留意叫号，过号请重新取号",
                    Align::Center,
                    false,
                    TextSize::Normal,
                ),
                Block::Feed { lines: 2 },
                Block::Cut {},
            ],
        }
    }
}

/// 办件进度: a case's timeline, printed at the holder's request.
#[derive(Debug, Clone)]
pub struct Progress {
    pub case_number: String,
    pub service: String,
    /// Already masked (`张**`).
    pub applicant: String,
    /// The case's state now, in words.
    pub state: String,
    /// Each step: when (YYYY-MM-DD HH:MM) and what, with the office's note if any.
    pub steps: Vec<(String, String)>,
    pub next_step: String,
    pub hall: String,
    /// YYYY-MM-DD HH:MM
    pub printed_at: String,
}

impl Progress {
    pub fn document(&self) -> Document {
        let mut blocks = case_heading(
            "办件进度",
            &self.hall,
            [&self.case_number, &self.service, &self.applicant],
            [("当前状态", self.state.clone())],
        );
        blocks.extend([
            Block::Separator {},
            text("办理过程", Align::Left, true, TextSize::Normal),
            rows(self.steps.iter().cloned()),
            Block::Separator {},
            text(
                format!("下一步：{}", self.next_step),
                Align::Left,
                false,
                TextSize::Normal,
            ),
            Block::Barcode {
                symbology: Symbology::Code128,
                data: self.case_number.clone(),
            },
            text(
                format!("打印时间 {}", self.printed_at),
                Align::Center,
                false,
                TextSize::Normal,
            ),
            Block::Feed { lines: 2 },
            Block::Cut {},
        ]);
        Document {
            id: format!(
                "PROGRESS-{}-{}",
                self.case_number,
                self.printed_at.replace([' ', ':', '-'], "")
            ),
            kind: DocumentKind::Receipt,
            title: format!("办件进度 {}", self.case_number),
            blocks,
        }
    }
}

/// A round red-ink style seal (ring and star) as a 1-bit-friendly PNG, `size` pixels square: the demo's
/// stand-in for an issuer's seal image.
pub fn demo_seal_png(size: u32) -> Vec<u8> {
    let c = size as f32 / 2.0;
    let star: Vec<(f32, f32)> = (0..10)
        .map(|i| {
            let r = if i % 2 == 0 { 0.26 } else { 0.1 } * size as f32;
            let a = std::f32::consts::PI * (i as f32 / 5.0) - std::f32::consts::FRAC_PI_2;
            (c + r * a.cos(), c + r * a.sin())
        })
        .collect();
    let inside_star = |x: f32, y: f32| {
        let mut inside = false;
        for i in 0..star.len() {
            let (x1, y1) = star[i];
            let (x2, y2) = star[(i + 1) % star.len()];
            if (y1 > y) != (y2 > y) && x < (x2 - x1) * (y - y1) / (y2 - y1) + x1 {
                inside = !inside;
            }
        }
        inside
    };
    let mut pixels = Vec::with_capacity((size * size * 4) as usize);
    for y in 0..size {
        for x in 0..size {
            let (fx, fy) = (x as f32 + 0.5, y as f32 + 0.5);
            let d = ((fx - c).powi(2) + (fy - c).powi(2)).sqrt() / size as f32;
            let ink = (0.42..0.48).contains(&d) || inside_star(fx, fy);
            pixels.extend(if ink {
                [0xD0, 0x10, 0x10, 0xFF]
            } else {
                [0xFF, 0xFF, 0xFF, 0x00]
            });
        }
    }
    let mut png = Vec::new();
    {
        let mut encoder = png::Encoder::new(&mut png, size, size);
        encoder.set_color(png::ColorType::Rgba);
        encoder.set_depth(png::BitDepth::Eight);
        let mut writer = encoder.write_header().expect("PNG header into memory");
        writer
            .write_image_data(&pixels)
            .expect("PNG data into memory");
    }
    png
}

impl Licence {
    /// What the licence's QR vouches for.
    pub fn voucher(&self) -> crate::verify::Voucher {
        crate::verify::Voucher {
            id: self.id.clone(),
            title: self.title.clone(),
            issuer: self.issuer.clone(),
            issued: self.issued_on.clone(),
            until: self.valid_until.clone(),
            fields: self.fields.clone(),
        }
    }
}

/// The sample licence, its QR signed with the demo key.
pub fn sample_licence() -> Licence {
    sample_licence_signed(&crate::verify::demo_key())
}

/// The sample licence, its QR signed with `key`.
pub fn sample_licence_signed(key: &ed25519_dalek::SigningKey) -> Licence {
    let mut licence = Licence {
        id: "LIC-2026-000123".into(),
        title: "营业执照信息（电子证照打印件）".into(),
        fields: vec![
            ("名称".into(), "苏州姑苏区沧浪亭文化创意有限公司".into()),
            ("统一社会信用代码".into(), "91320508MA27XK3Q5B".into()),
            ("类型".into(), "有限责任公司（自然人投资或控股）".into()),
            ("法定代表人".into(), "张**".into()),
            ("注册资本".into(), "壹佰万元整".into()),
            ("成立日期".into(), "2021年09月16日".into()),
            ("住所".into(), "苏州市姑苏区人民路3118号".into()),
        ],
        issuer: "苏州市姑苏区市场监督管理局".into(),
        issued_on: "2026-11-23".into(),
        valid_until: "2026-12-23".into(),
        seal_png: demo_seal_png(160),
        verification: String::new(),
    };
    licence.verification = licence.voucher().sign(key);
    licence
}

/// The samples `kiosk printer print --sample` and the tests print: a business-licence extract (its QR signed
/// with the demo key), a receipt, a ticket.
pub fn sample(kind: DocumentKind) -> Document {
    sample_signed(kind, &crate::verify::demo_key())
}

/// [`sample`], the licence's QR signed with `key`.
pub fn sample_signed(kind: DocumentKind, key: &ed25519_dalek::SigningKey) -> Document {
    match kind {
        DocumentKind::Licence | DocumentKind::Record => sample_licence_signed(key).document(),
        DocumentKind::Receipt => Receipt {
            case_number: "SZ2026112300012".into(),
            service: "个体工商户设立登记".into(),
            applicant: "王**".into(),
            materials: vec![
                ("申请人身份证明".into(), 1),
                ("经营场所使用证明".into(), 1),
                ("个体工商户设立登记申请书".into(), 1),
            ],
            received_at: "2026-11-23 09:41".into(),
            promised_on: "2026-11-26".into(),
            hall: "苏州市政务服务中心".into(),
            progress_url: "https://zwfw.suzhou.gov.cn/progress?case=SZ2026112300012".into(),
        }
        .document(),
        DocumentKind::Ticket => Ticket {
            number: "A027".into(),
            service: "企业开办".into(),
            waiting: 6,
            hall: "苏州市政务服务中心".into(),
            issued_at: "2026-11-23 09:30".into(),
        }
        .document(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_sample_checks_and_travels_as_json() {
        for kind in [
            DocumentKind::Licence,
            DocumentKind::Receipt,
            DocumentKind::Ticket,
        ] {
            let document = sample(kind);
            document.check().unwrap();
            assert_eq!(Document::from_json(&document.to_json()).unwrap(), document);
        }
    }

    #[test]
    fn the_licence_carries_the_electronic_licence_line_its_seal_and_qr() {
        let licence = sample(DocumentKind::Licence);
        let payload = sample_licence().verification;
        assert!(licence
            .blocks
            .iter()
            .any(|b| matches!(b, Block::Validity { text, .. }
            if text == "此件由苏州市姑苏区市场监督管理局提供，仅供办理政务服务事项时使用")));
        assert!(licence
            .blocks
            .iter()
            .any(|b| matches!(b, Block::Qr { payload: p, .. } if *p == payload)));
        let Some(Block::Seal { png_base64, .. }) = licence
            .blocks
            .iter()
            .find(|b| matches!(b, Block::Seal { .. }))
        else {
            panic!("no seal");
        };
        let png = base64::engine::general_purpose::STANDARD
            .decode(png_base64)
            .unwrap();
        let decoder = png::Decoder::new(std::io::Cursor::new(png));
        let info = decoder.read_info().unwrap();
        assert_eq!((info.info().width, info.info().height), (160, 160));
    }

    #[test]
    fn the_ticket_number_is_printed_huge() {
        let ticket = sample(DocumentKind::Ticket);
        assert!(ticket.blocks.iter().any(
            |b| matches!(b, Block::Text { text, size: TextSize::Huge, .. } if text == "A027")
        ));
    }
}
