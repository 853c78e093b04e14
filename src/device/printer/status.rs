//! Real-time status (DLE EOT n), read from the printer itself: online, cover, paper, error. Each reply is one
//! byte with the fixed pattern 0xx1xx10; anything else is not a status byte.

use serde::Serialize;

use crate::device::{DeviceStatus, Reason};

/// The three requests a status check sends, in order: printer (1), offline cause (2), roll paper sensor (4).
pub const REQUESTS: [[u8; 3]; 3] = [[0x10, 0x04, 0x01], [0x10, 0x04, 0x02], [0x10, 0x04, 0x04]];

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Paper {
    Ok,
    NearEnd,
    Out,
}

/// What the printer says about itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct PrinterState {
    pub online: bool,
    pub cover_open: bool,
    pub paper: Paper,
    /// An error stopped printing (cutter jam, head overheat …).
    pub error: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StatusError {
    #[error("byte {0:#04X} is not a DLE EOT status reply (pattern 0xx1xx10)")]
    NotStatus(u8),
    #[error("expected {expected} status bytes, got {got}")]
    Short { expected: usize, got: usize },
}

/// Checks the fixed bits of a DLE EOT reply: bit 1 and bit 4 set, bits 0 and 7 clear.
pub fn is_status_byte(byte: u8) -> bool {
    byte & 0b1001_0011 == 0b0001_0010
}

impl PrinterState {
    pub const HEALTHY: PrinterState = PrinterState {
        online: true,
        cover_open: false,
        paper: Paper::Ok,
        error: false,
    };

    /// From the replies to [`REQUESTS`] (DLE EOT 1, 2, 4).
    pub fn parse(replies: &[u8]) -> Result<PrinterState, StatusError> {
        let [printer, offline, paper] = replies else {
            return Err(StatusError::Short {
                expected: 3,
                got: replies.len(),
            });
        };
        for byte in [printer, offline, paper] {
            if !is_status_byte(*byte) {
                return Err(StatusError::NotStatus(*byte));
            }
        }
        let bit = |byte: u8, n: u8| byte & (1 << n) != 0;
        let paper = if bit(*paper, 5) || bit(*paper, 6) || bit(*offline, 5) {
            Paper::Out
        } else if bit(*paper, 2) || bit(*paper, 3) {
            Paper::NearEnd
        } else {
            Paper::Ok
        };
        Ok(PrinterState {
            online: !bit(*printer, 3),
            cover_open: bit(*offline, 2),
            paper,
            error: bit(*offline, 6),
        })
    }

    /// The replies a printer in this state sends to [`REQUESTS`] (the virtual printer's side).
    pub fn replies(&self) -> [u8; 3] {
        let offline = !self.online || self.cover_open || self.paper == Paper::Out || self.error;
        let printer = 0x12 | if offline { 0x08 } else { 0 };
        let cause = 0x12
            | if self.cover_open { 0x04 } else { 0 }
            | if self.paper == Paper::Out { 0x20 } else { 0 }
            | if self.error { 0x40 } else { 0 };
        let paper = 0x12
            | match self.paper {
                Paper::Ok => 0,
                Paper::NearEnd => 0x0C,
                Paper::Out => 0x6C,
            };
        [printer, cause, paper]
    }

    /// What citizens and the home tiles see.
    pub fn device_status(&self) -> DeviceStatus {
        if self.cover_open {
            DeviceStatus::Fault(Reason::CoverOpen)
        } else if self.paper == Paper::Out {
            DeviceStatus::Fault(Reason::PaperOut)
        } else if self.error {
            DeviceStatus::Fault(Reason::DeviceError)
        } else if !self.online {
            DeviceStatus::Fault(Reason::Offline)
        } else if self.paper == Paper::NearEnd {
            DeviceStatus::Warning(Reason::PaperLow)
        } else {
            DeviceStatus::Ready
        }
    }

    /// Whether a job may start (paper near its end still prints).
    pub fn can_print(&self) -> bool {
        self.device_status().is_usable()
    }
}

/// For technicians: what is wrong, in words (`paper out, cover open`), or `ready`.
impl std::fmt::Display for PrinterState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut problems = Vec::new();
        match self.paper {
            Paper::Out => problems.push("paper out"),
            Paper::NearEnd => problems.push("paper near its end"),
            Paper::Ok => {}
        }
        if self.cover_open {
            problems.push("cover open");
        }
        if self.error {
            problems.push("printer error");
        }
        if !self.online {
            problems.push("offline");
        }
        if problems.is_empty() {
            f.write_str("ready")
        } else {
            f.write_str(&problems.join(", "))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_reference_values() {
        assert_eq!(
            PrinterState::parse(&[0x12, 0x12, 0x12]),
            Ok(PrinterState::HEALTHY)
        );
        // Out of paper: DLE EOT 1 = 0x1A, 2 = 0x32, 4 = 0x7E.
        let out = PrinterState::parse(&[0x1A, 0x32, 0x7E]).unwrap();
        assert_eq!(out.paper, Paper::Out);
        assert!(!out.online);
        assert_eq!(out.device_status(), DeviceStatus::Fault(Reason::PaperOut));
        let near = PrinterState::parse(&[0x12, 0x12, 0x1E]).unwrap();
        assert_eq!(
            near.device_status(),
            DeviceStatus::Warning(Reason::PaperLow)
        );
        assert!(near.can_print());
        assert_eq!(
            PrinterState::parse(&[0x12, 0x00, 0x12]),
            Err(StatusError::NotStatus(0x00))
        );
    }

    #[test]
    fn every_state_survives_its_own_replies() {
        for online in [true, false] {
            for cover_open in [true, false] {
                for paper in [Paper::Ok, Paper::NearEnd, Paper::Out] {
                    for error in [true, false] {
                        let state = PrinterState {
                            online,
                            cover_open,
                            paper,
                            error,
                        };
                        let parsed = PrinterState::parse(&state.replies()).unwrap();
                        assert_eq!(parsed.paper, paper);
                        assert_eq!(parsed.cover_open, cover_open);
                        assert_eq!(parsed.error, error);
                        assert_eq!(parsed.device_status(), state.device_status());
                    }
                }
            }
        }
    }
}
