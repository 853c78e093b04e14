//! What a 2D barcode scanner sends in its serial mode (USB CDC-ACM or RS-232, as the common hall scanners
//! are set up for kiosks): each code's bytes, then a suffix: CR, LF, or CR LF. [`Codes`] turns the byte
//! stream into codes, however the bytes are split across reads, and says what is not one:
//!
//! - **garbage**: bytes that are not text (not UTF-8, or control characters: a wrong baud rate or a scanner
//!   in another mode), or a line longer than any code ([`MAX_CODE_BYTES`]; the rest up to the next suffix
//!   is dropped with it);
//! - **half a code**: bytes with no suffix, then silence ([`Codes::flush`], called when the line has been
//!   quiet for a while: the cable pulled mid-code, or a scanner without a suffix set).
//!
//! An empty line (a suffix alone, or the LF of a CR LF) is nothing.

/// The longest code taken (a QR code holds at most 2,953 bytes in binary mode; a receipt's or a sign-in
/// code's is a few hundred).
pub const MAX_CODE_BYTES: usize = 3000;

/// What the stream held.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scanned {
    /// A code's text, without its suffix.
    Code(String),
    /// A line that is not a code: how many bytes were dropped, and why.
    Garbage { bytes: usize, why: Garbage },
    /// Bytes without a suffix before the line went quiet.
    Partial { bytes: usize },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Garbage {
    /// Not UTF-8.
    NotText,
    /// A control character (other than a tab or GS, which GS1 codes carry).
    Control,
    /// Longer than [`MAX_CODE_BYTES`].
    TooLong,
}

impl Garbage {
    pub fn describe(self) -> &'static str {
        match self {
            Garbage::NotText => {
                "not text (wrong baud rate, or the scanner is not in its serial text mode?)"
            }
            Garbage::Control => "control characters in a code",
            Garbage::TooLong => "longer than any code",
        }
    }
}

/// The decoder: push bytes as they arrive, take the codes.
#[derive(Debug, Default)]
pub struct Codes {
    line: Vec<u8>,
    /// Bytes of an over-long line dropped so far (the line is skipped to its suffix).
    skipping: Option<usize>,
    /// The last byte was a CR (an LF right after it ends nothing).
    after_cr: bool,
}

impl Codes {
    pub fn new() -> Codes {
        Codes::default()
    }

    /// Takes `bytes`; what they completed.
    pub fn push(&mut self, bytes: &[u8]) -> Vec<Scanned> {
        let mut out = Vec::new();
        for &byte in bytes {
            let after_cr = std::mem::replace(&mut self.after_cr, byte == b'\r');
            if byte == b'\n' && after_cr {
                continue;
            }
            if byte == b'\r' || byte == b'\n' {
                out.extend(self.end_line());
                continue;
            }
            match &mut self.skipping {
                Some(dropped) => *dropped += 1,
                None if self.line.len() == MAX_CODE_BYTES => {
                    self.skipping = Some(self.line.len() + 1);
                    self.line.clear();
                }
                None => self.line.push(byte),
            }
        }
        out
    }

    /// Whether part of a line waits for its suffix.
    pub fn pending(&self) -> bool {
        !self.line.is_empty() || self.skipping.is_some()
    }

    /// The line went quiet: what waits is half a code (or the rest of an over-long one).
    pub fn flush(&mut self) -> Option<Scanned> {
        self.after_cr = false;
        if let Some(overlong) = self.overlong() {
            return Some(overlong);
        }
        if self.line.is_empty() {
            return None;
        }
        let bytes = std::mem::take(&mut self.line).len();
        Some(Scanned::Partial { bytes })
    }

    /// An over-long line being skipped ends here.
    fn overlong(&mut self) -> Option<Scanned> {
        self.skipping.take().map(|bytes| Scanned::Garbage {
            bytes,
            why: Garbage::TooLong,
        })
    }

    fn end_line(&mut self) -> Option<Scanned> {
        if let Some(overlong) = self.overlong() {
            return Some(overlong);
        }
        if self.line.is_empty() {
            return None;
        }
        let line = std::mem::take(&mut self.line);
        let bytes = line.len();
        match String::from_utf8(line) {
            Err(_) => Some(Scanned::Garbage {
                bytes,
                why: Garbage::NotText,
            }),
            Ok(text)
                if text
                    .chars()
                    .any(|c| c.is_control() && c != '\t' && c != '\x1d') =>
            {
                Some(Scanned::Garbage {
                    bytes,
                    why: Garbage::Control,
                })
            }
            Ok(text) => Some(Scanned::Code(text)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(text: &str) -> Scanned {
        Scanned::Code(text.to_string())
    }

    #[test]
    fn each_suffix_ends_a_code_and_a_crlf_ends_one_not_two() {
        let mut codes = Codes::new();
        assert_eq!(
            codes.push(b"A1\rB2\nC3\r\nD4\n\r"),
            [code("A1"), code("B2"), code("C3"), code("D4")]
        );
        assert!(!codes.pending());
        assert_eq!(codes.flush(), None);
    }

    #[test]
    fn a_code_split_across_reads_comes_whole_and_a_cr_lf_split_too() {
        let mut codes = Codes::new();
        assert!(codes.push(b"https://zwfw.suzhou.gov.cn/pro").is_empty());
        assert!(codes.pending());
        assert!(codes.push(b"gress?case=SB1\r").len() == 1);
        assert!(codes.push(b"\n").is_empty(), "the LF of a CR LF is nothing");
        assert_eq!(codes.push(b"X\n"), [code("X")]);
    }

    #[test]
    fn garbage_half_codes_and_overlong_lines_are_said_and_the_next_code_still_comes() {
        let mut codes = Codes::new();
        assert_eq!(
            codes.push(b"\xff\xfe\x80\rOK1\r"),
            [
                Scanned::Garbage {
                    bytes: 3,
                    why: Garbage::NotText
                },
                code("OK1")
            ]
        );
        assert_eq!(
            codes.push(b"a\x07b\r"),
            [Scanned::Garbage {
                bytes: 3,
                why: Garbage::Control
            }]
        );
        assert_eq!(codes.push(b"(01)\x1d(21)\r"), [code("(01)\x1d(21)")]);
        assert!(codes.push(b"HALF").is_empty());
        assert_eq!(codes.flush(), Some(Scanned::Partial { bytes: 4 }));
        let long = vec![b'9'; MAX_CODE_BYTES + 10];
        assert!(codes.push(&long).is_empty());
        assert_eq!(
            codes.push(b"\rOK2\r"),
            [
                Scanned::Garbage {
                    bytes: MAX_CODE_BYTES + 10,
                    why: Garbage::TooLong
                },
                code("OK2")
            ]
        );
        assert_eq!(codes.push("中文码\r".as_bytes()), [code("中文码")]);
    }
}
