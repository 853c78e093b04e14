//! One serial link to a SAM module: send a command, wait for its reply within the command's timeout, and the
//! card-reading sequence (find → select → read → appended address) on top.

use std::io::{Read, Write};
use std::time::{Duration, Instant};

use serialport::{ClearBuffer, SerialPort};

use super::frame::{Command, Decoder, FrameError, Reply, Status};
use super::text::{self, CardError};
use crate::domain::identity::Identity;

/// The link failed below the protocol: the port, or a reply that never came whole.
#[derive(Debug, thiserror::Error)]
pub enum LinkError {
    #[error("cannot open serial port {path}: {source}")]
    Open {
        path: String,
        source: serialport::Error,
    },
    #[error("serial port {path} failed: {source} (unplugged?)")]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error("no reply to {command:?} within {ms} ms")]
    NoReply { command: Command, ms: u128 },
    #[error("reply to {command:?} stopped after {have} of {total} bytes")]
    Truncated {
        command: Command,
        have: usize,
        total: usize,
    },
    #[error("reply to {command:?} is corrupt: {error}")]
    Corrupt { command: Command, error: FrameError },
}

/// Why a read gave no identity. Each kind has its own advice for the citizen.
#[derive(Debug, thiserror::Error)]
pub enum ReaderError {
    #[error(transparent)]
    Link(#[from] LinkError),
    /// The SAM module cannot work (self-test, authorisation, it refused our frames).
    #[error("the SAM module answered {command:?} with {}", .status.meaning())]
    Sam { command: Command, status: Status },
    /// The card went away during the read (or was never steady).
    #[error("the card moved during {command:?}: {}", .status.meaning())]
    CardMoved { command: Command, status: Status },
    /// The card answered but could not be authenticated or read.
    #[error("the card could not be read at {command:?}: {}", .status.meaning())]
    Card { command: Command, status: Status },
    /// The card's data does not hold together (bad check character, impossible date …).
    #[error("the card's data is not valid: {0}")]
    Data(#[from] CardError),
}

/// What a citizen is told, and whether the reader itself is at fault.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum FaultKind {
    /// Lift the card and place it again, keep it still.
    TryAgain,
    /// The card could not be read; try again, and if it repeats ask staff (the card may be damaged).
    Unreadable,
    /// The reader is out of order: call staff.
    Reader,
}

impl ReaderError {
    pub fn kind(&self) -> FaultKind {
        match self {
            ReaderError::Link(LinkError::Io { .. } | LinkError::Open { .. })
            | ReaderError::Sam { .. } => FaultKind::Reader,
            // A reply lost or damaged on the wire once is worth another try; the reader thread declares the
            // reader out of order when it keeps happening.
            ReaderError::Link(_) | ReaderError::CardMoved { .. } => FaultKind::TryAgain,
            ReaderError::Card { .. } | ReaderError::Data(_) => FaultKind::Unreadable,
        }
    }

    /// Classifies a failure status of a card command.
    fn from_status(command: Command, status: Status) -> ReaderError {
        match status {
            s if s.is_sam_fault() => ReaderError::Sam { command, status },
            Status::NoCard | Status::SelectFailed | Status::ReadFailed => {
                ReaderError::CardMoved { command, status }
            }
            _ => ReaderError::Card { command, status },
        }
    }
}

/// The SAM module's id, formatted `dd.dd-N-NNNNNNNNN-NNNNNNNNN` as the HSL and vendor tools show it.
pub fn format_sam_id(data: &[u8]) -> Option<String> {
    if data.len() < 16 {
        return None;
    }
    let le = |at: usize| u32::from_le_bytes([data[at], data[at + 1], data[at + 2], data[at + 3]]);
    Some(format!(
        "{:02}.{:02}-{}-{:09}-{:09}",
        data[0],
        data[2],
        le(4),
        le(8),
        le(12)
    ))
}

/// A serial link to one SAM module.
pub struct SamLink {
    port: Box<dyn SerialPort>,
    path: String,
    baud: u32,
    decoder: Decoder,
}

impl SamLink {
    pub fn open(path: &str, baud: u32) -> Result<SamLink, LinkError> {
        let port = serialport::new(path, baud)
            .data_bits(serialport::DataBits::Eight)
            .parity(serialport::Parity::None)
            .stop_bits(serialport::StopBits::One)
            .flow_control(serialport::FlowControl::None)
            .timeout(Duration::from_millis(20))
            .open()
            .map_err(|source| LinkError::Open {
                path: path.to_string(),
                source,
            })?;
        Ok(SamLink {
            port,
            path: path.to_string(),
            baud,
            decoder: Decoder::new(),
        })
    }

    fn io(&self, source: std::io::Error) -> LinkError {
        LinkError::Io {
            path: self.path.clone(),
            source,
        }
    }

    /// Sends `command` and waits for its reply frame. Bytes left over from an earlier exchange are dropped
    /// first, so a late reply to a timed-out command is never taken for this one.
    pub fn transact(&mut self, command: Command) -> Result<Reply, LinkError> {
        let _ = self.port.clear(ClearBuffer::Input);
        self.decoder.clear();
        let frame = command.encode();
        self.port.write_all(&frame).map_err(|e| self.io(e))?;
        self.port.flush().map_err(|e| self.io(e))?;
        let timeout = command.timeout(self.baud);
        let deadline = Instant::now() + timeout;
        let mut buf = [0u8; 512];
        loop {
            match self.decoder.next_reply() {
                Some(Ok(reply)) => return Ok(reply),
                Some(Err(error)) => return Err(LinkError::Corrupt { command, error }),
                None => {}
            }
            let now = Instant::now();
            if now >= deadline {
                return Err(match self.decoder.pending() {
                    Some((have, total)) if have > 0 => LinkError::Truncated {
                        command,
                        have,
                        total,
                    },
                    _ => LinkError::NoReply {
                        command,
                        ms: timeout.as_millis(),
                    },
                });
            }
            let wait = (deadline - now).min(Duration::from_millis(20));
            let _ = self.port.set_timeout(wait.max(Duration::from_millis(1)));
            match self.port.read(&mut buf) {
                Ok(0) => {
                    return Err(self.io(std::io::Error::new(
                        std::io::ErrorKind::UnexpectedEof,
                        "port closed",
                    )))
                }
                Ok(n) => self.decoder.push(&buf[..n]),
                Err(e) if e.kind() == std::io::ErrorKind::TimedOut => {}
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => return Err(self.io(e)),
            }
        }
    }

    /// The SAM's self-test status (90 ready, 60 self-test failed …).
    pub fn sam_status(&mut self) -> Result<Status, LinkError> {
        Ok(self.transact(Command::SamStatus)?.status)
    }

    /// The SAM id, or the status that refused it.
    pub fn sam_id(&mut self) -> Result<Result<String, Status>, LinkError> {
        let reply = self.transact(Command::SamId)?;
        Ok(match (reply.status, format_sam_id(&reply.data)) {
            (Status::Success, Some(id)) => Ok(id),
            (status, _) => Err(status),
        })
    }

    /// Is a card in the field? (`find card`: 9F yes, 80 no.)
    pub fn find_card(&mut self) -> Result<bool, ReaderError> {
        let command = Command::FindCard;
        match self.transact(command)?.status {
            Status::CardFound => Ok(true),
            Status::NoCard => Ok(false),
            status if status.is_sam_fault() => Err(ReaderError::Sam { command, status }),
            status => Err(ReaderError::Card { command, status }),
        }
    }

    /// Selects and reads the card just found: the identity with its appended address and photo.
    pub fn read_found_card(&mut self) -> Result<Identity, ReaderError> {
        self.expect(Command::SelectCard, Status::Success)?;
        let reply = self.expect(Command::ReadText, Status::Success)?;
        let blocks = text::split_read_reply(&reply.data, false)?;
        let mut identity = text::parse_text(&blocks.text)?;
        identity.photo = blocks.photo;
        identity.appended_address = self.appended_address()?;
        Ok(identity)
    }

    /// The appended address, if the card holds one. Also tells whether a card just read is still in place:
    /// it answers without a new authentication while the card stays ([QTUTIL]), and fails once it is gone.
    pub fn appended_address(&mut self) -> Result<Option<String>, ReaderError> {
        let command = Command::ReadAppendedAddress;
        let reply = self.transact(command)?;
        match reply.status {
            Status::Success => Ok(text::parse_appended_address(&reply.data)?),
            Status::NoContent => Ok(None),
            status => Err(ReaderError::from_status(command, status)),
        }
    }

    /// Whether the card read last is still on the reader.
    pub fn card_still_present(&mut self) -> Result<bool, LinkError> {
        let reply = self.transact(Command::ReadAppendedAddress)?;
        Ok(matches!(reply.status, Status::Success | Status::NoContent))
    }

    fn expect(&mut self, command: Command, want: Status) -> Result<Reply, ReaderError> {
        let reply = self.transact(command)?;
        if reply.status == want {
            Ok(reply)
        } else {
            Err(ReaderError::from_status(command, reply.status))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sam_id_formats_like_the_vendor_tools() {
        let mut data = vec![0u8; 16];
        data[0] = 5;
        data[2] = 1;
        data[4..8].copy_from_slice(&20_231_123u32.to_le_bytes());
        data[8..12].copy_from_slice(&1u32.to_le_bytes());
        data[12..16].copy_from_slice(&123_456_789u32.to_le_bytes());
        assert_eq!(
            format_sam_id(&data).unwrap(),
            "05.01-20231123-000000001-123456789"
        );
        assert_eq!(format_sam_id(&data[..15]), None);
    }
}
