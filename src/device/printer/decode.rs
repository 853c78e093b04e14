//! Reads ESC/POS bytes back into commands: the subset our renderer emits, plus status requests. The golden
//! tests list a job with it (readable, byte-exact), and the virtual printer will run on it. Never panics: a
//! command cut short or unknown becomes `Op::Unknown` with its bytes.

use std::fmt::Write;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Op {
    /// ESC @
    Init,
    /// FS & (true) / FS . (false)
    ChineseMode(bool),
    /// ESC a n: 0 left, 1 centre, 2 right
    Align(u8),
    /// ESC E n
    Bold(bool),
    /// GS ! n: width and height multipliers
    Size {
        width: u8,
        height: u8,
    },
    /// Printable bytes (ASCII, or GB18030 pairs in Chinese mode)
    Text(Vec<u8>),
    /// LF
    LineFeed,
    /// ESC d n
    Feed(u8),
    /// GS V m [n]: `partial`, and the feed before it (m 65/66)
    Cut {
        partial: bool,
        feed: Option<u8>,
    },
    /// GS v 0 m xL xH yL yH data
    Raster {
        mode: u8,
        width_bytes: u16,
        height: u16,
        data: Vec<u8>,
    },
    /// GS ( k cn=49 fn=65: model (49 = 1, 50 = 2)
    QrModel(u8),
    /// fn 67: module size in dots
    QrModule(u8),
    /// fn 69: error correction (48 L … 51 H)
    QrLevel(u8),
    /// fn 80: store data
    QrStore(Vec<u8>),
    /// fn 81: print the stored symbol
    QrPrint,
    /// GS h n
    BarcodeHeight(u8),
    /// GS w n
    BarcodeWidth(u8),
    /// GS H n
    BarcodeHri(u8),
    /// GS k m n data (function B)
    Barcode {
        kind: u8,
        data: Vec<u8>,
    },
    /// DLE EOT n
    StatusRequest(u8),
    Unknown(Vec<u8>),
}

/// Splits a job into commands.
pub fn decode(bytes: &[u8]) -> Vec<Op> {
    spans(bytes).into_iter().map(|(op, _)| op).collect()
}

/// Each command with the bytes it came from.
pub fn spans(bytes: &[u8]) -> Vec<(Op, std::ops::Range<usize>)> {
    let mut ops = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let (op, used) = one(&bytes[i..]);
        let used = used.max(1);
        ops.push((op, i..i + used));
        i += used;
    }
    ops
}

fn arg(bytes: &[u8], at: usize) -> Option<u8> {
    bytes.get(at).copied()
}

/// The command at the start of `b` and how many bytes it took.
fn one(b: &[u8]) -> (Op, usize) {
    let unknown = |n: usize| (Op::Unknown(b[..n.min(b.len())].to_vec()), n.min(b.len()));
    match b {
        [0x0A, ..] => (Op::LineFeed, 1),
        [0x1B, 0x40, ..] => (Op::Init, 2),
        [0x1C, 0x26, ..] => (Op::ChineseMode(true), 2),
        [0x1C, 0x2E, ..] => (Op::ChineseMode(false), 2),
        [0x1B, 0x61, n, ..] => (Op::Align(n % 48), 3),
        [0x1B, 0x45, n, ..] => (Op::Bold(n & 1 == 1), 3),
        [0x1B, 0x64, n, ..] => (Op::Feed(*n), 3),
        [0x1D, 0x21, n, ..] => (
            Op::Size {
                width: (n >> 4) + 1,
                height: (n & 0x0F) + 1,
            },
            3,
        ),
        [0x1D, 0x56, m @ (0 | 1 | 48 | 49), ..] => (
            Op::Cut {
                partial: m % 48 == 1,
                feed: None,
            },
            3,
        ),
        [0x1D, 0x56, m @ (65 | 66), n, ..] => (
            Op::Cut {
                partial: *m == 66,
                feed: Some(*n),
            },
            4,
        ),
        [0x1D, 0x76, 0x30, mode, xl, xh, yl, yh, ..] => {
            let width_bytes = u16::from_le_bytes([*xl, *xh]);
            let height = u16::from_le_bytes([*yl, *yh]);
            let len = usize::from(width_bytes) * usize::from(height);
            if b.len() < 8 + len {
                return unknown(b.len());
            }
            (
                Op::Raster {
                    mode: *mode,
                    width_bytes,
                    height,
                    data: b[8..8 + len].to_vec(),
                },
                8 + len,
            )
        }
        [0x1D, 0x28, 0x6B, pl, ph, rest @ ..] => {
            let len = usize::from(u16::from_le_bytes([*pl, *ph]));
            if rest.len() < len || len < 2 {
                return unknown(b.len().min(5 + len));
            }
            let body = &rest[..len];
            let op = match body {
                [0x31, 0x41, n, ..] => Op::QrModel(*n),
                [0x31, 0x43, n] => Op::QrModule(*n),
                [0x31, 0x45, n] => Op::QrLevel(*n),
                [0x31, 0x50, 0x30, data @ ..] => Op::QrStore(data.to_vec()),
                [0x31, 0x51, 0x30] => Op::QrPrint,
                _ => Op::Unknown(b[..5 + len].to_vec()),
            };
            (op, 5 + len)
        }
        [0x1D, 0x68, n, ..] => (Op::BarcodeHeight(*n), 3),
        [0x1D, 0x77, n, ..] => (Op::BarcodeWidth(*n), 3),
        [0x1D, 0x48, n, ..] => (Op::BarcodeHri(*n), 3),
        [0x1D, 0x6B, m @ 65..=73, n, rest @ ..] => {
            let n = usize::from(*n);
            if rest.len() < n {
                return unknown(b.len());
            }
            (
                Op::Barcode {
                    kind: *m,
                    data: rest[..n].to_vec(),
                },
                4 + n,
            )
        }
        [0x10, 0x04, n, ..] => (Op::StatusRequest(*n), 3),
        [0x1B | 0x1C | 0x1D | 0x10, ..] => unknown(2),
        _ => {
            // A run of printable bytes: ASCII, and two-byte GB18030 characters.
            let mut n = 0;
            while n < b.len() {
                match b[n] {
                    0x20..=0x7E => n += 1,
                    0x81..=0xFE if arg(b, n + 1).is_some_and(|t| (0x40..=0xFE).contains(&t)) => {
                        n += 2
                    }
                    _ => break,
                }
            }
            if n == 0 {
                unknown(1)
            } else {
                (Op::Text(b[..n].to_vec()), n)
            }
        }
    }
}

/// The job as an annotated listing: each command's bytes in hex, then what it does. Every byte of the job is
/// in the listing, so a golden listing pins the exact bytes.
pub fn listing(bytes: &[u8]) -> String {
    let mut out = String::new();
    for (op, span) in spans(bytes) {
        let raw = &bytes[span];
        let what = match &op {
            Op::Init => "initialise".to_string(),
            Op::ChineseMode(on) => format!("Chinese mode {}", if *on { "on" } else { "off" }),
            Op::Align(n) => format!(
                "align {}",
                ["left", "centre", "right"]
                    .get(usize::from(*n))
                    .unwrap_or(&"?")
            ),
            Op::Bold(on) => format!("bold {}", if *on { "on" } else { "off" }),
            Op::Size { width, height } => format!("size {width}x{height}"),
            Op::Text(t) => format!(
                "text \"{}\"",
                encoding_rs::GB18030.decode(t).0.escape_debug()
            ),
            Op::LineFeed => "line feed".into(),
            Op::Feed(n) => format!("feed {n} lines"),
            Op::Cut { partial, feed } => format!(
                "{} cut{}",
                if *partial { "partial" } else { "full" },
                feed.map(|n| format!(" after feeding to the cutter + {n}"))
                    .unwrap_or_default()
            ),
            Op::Raster {
                width_bytes,
                height,
                ..
            } => {
                format!(
                    "raster image {} x {height} dots",
                    u32::from(*width_bytes) * 8
                )
            }
            Op::QrModel(n) => format!("QR model {}", n.saturating_sub(48)),
            Op::QrModule(n) => format!("QR module {n} dots"),
            Op::QrLevel(n) => format!(
                "QR error correction {}",
                ["L", "M", "Q", "H"]
                    .get(usize::from(n.saturating_sub(48)))
                    .unwrap_or(&"?")
            ),
            // Data may hold line breaks: escaped, so that each listing line stays one command.
            Op::QrStore(d) => format!("QR data \"{}\"", String::from_utf8_lossy(d).escape_debug()),
            Op::QrPrint => "QR print".into(),
            Op::BarcodeHeight(n) => format!("barcode height {n} dots"),
            Op::BarcodeWidth(n) => format!("barcode module width {n}"),
            Op::BarcodeHri(n) => format!("barcode text position {n}"),
            Op::Barcode { kind, data } => {
                format!(
                    "barcode type {kind} \"{}\"",
                    String::from_utf8_lossy(data).escape_debug()
                )
            }
            Op::StatusRequest(n) => format!("real-time status {n}"),
            Op::Unknown(_) => "UNKNOWN".into(),
        };
        // Long data (images, long text) continues on lines of 48 bytes under its command.
        let (head, rest) = raw.split_at(raw.len().min(8));
        let _ = writeln!(out, "{:<24} # {what}", hex(head));
        for chunk in rest.chunks(48) {
            let _ = writeln!(out, "  {}", hex(chunk));
        }
    }
    out
}

fn hex(bytes: &[u8]) -> String {
    bytes
        .iter()
        .map(|b| format!("{b:02X}"))
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commands_and_text_come_apart() {
        let job = [
            0x1B, 0x40, 0x1C, 0x26, 0x1B, 0x61, 0x01, 0xC9, 0xED, 0xB7, 0xDD, 0x41, 0x0A, 0x10,
            0x04, 0x04, 0x1D, 0x56, 0x42, 0x00,
        ];
        assert_eq!(
            decode(&job),
            vec![
                Op::Init,
                Op::ChineseMode(true),
                Op::Align(1),
                Op::Text(vec![0xC9, 0xED, 0xB7, 0xDD, 0x41]),
                Op::LineFeed,
                Op::StatusRequest(4),
                Op::Cut {
                    partial: true,
                    feed: Some(0)
                },
            ]
        );
        let listing = listing(&job);
        assert!(listing.contains("# text \"身份A\""), "{listing}");
    }

    #[test]
    fn a_line_break_inside_qr_data_stays_in_its_comment() {
        let job = [
            0x1D, 0x28, 0x6B, 0x06, 0x00, 0x31, 0x50, 0x30, b'A', 0x0A, b'1',
        ];
        let listed = listing(&job);
        let bytes = listed
            .lines()
            .map(|l| l.split('#').next().unwrap().split_whitespace().count())
            .sum::<usize>();
        assert_eq!(bytes, job.len(), "{listed}");
        assert!(listed.contains(r#"QR data "A\n1""#), "{listed}");
    }

    #[test]
    fn an_absurdly_wide_raster_is_listed_without_overflow() {
        let mut job = vec![0x1D, 0x76, 0x30, 0x00, 0x30, 0x34, 0x01, 0x00];
        job.extend(vec![0u8; 0x3430]);
        assert!(listing(&job).contains("raster image 106880 x 1 dots"));
    }

    #[test]
    fn a_raster_cut_short_is_unknown_not_a_panic() {
        let ops = decode(&[0x1D, 0x76, 0x30, 0x00, 0x30, 0x00, 0x10, 0x00, 1, 2, 3]);
        assert!(matches!(ops.as_slice(), [Op::Unknown(_)]));
    }
}
