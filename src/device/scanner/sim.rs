//! A scanner played on a pty: the terminal opens [`ScannerSim::path`] as it would the real scanner's port,
//! and the simulator "shows" it codes, each with the suffix a scanner sends, or a fault: garbage (bytes that
//! are not text, as at a wrong baud rate), half a code (the cable pulled mid-code), unplugged.

use std::io::Write;

use serialport::SerialPort;

/// The suffix the simulator ends a code with (CR, the common scanners' default in serial mode).
pub const SUFFIX: &[u8] = b"\r";

#[derive(Debug, thiserror::Error)]
pub enum SimError {
    #[error("scanner simulator: {0}")]
    Port(#[from] serialport::Error),
    #[error("scanner simulator: {0}")]
    Io(#[from] std::io::Error),
    #[error("scanner simulator: unplugged")]
    Unplugged,
}

/// The simulated scanner. Dropping it (or [`ScannerSim::unplug`]) closes the port, as pulling the USB cable
/// would.
pub struct ScannerSim {
    path: String,
    master: Option<serialport::TTYPort>,
    /// The other end, held open so that writes do not fail before the terminal opens it.
    _slave: Option<serialport::TTYPort>,
}

impl ScannerSim {
    /// A new pty pair; the terminal opens [`ScannerSim::path`].
    pub fn pty() -> Result<ScannerSim, SimError> {
        let (master, slave) = serialport::TTYPort::pair()?;
        let path = slave.name().ok_or_else(|| {
            serialport::Error::new(serialport::ErrorKind::NoDevice, "the pty has no name")
        })?;
        Ok(ScannerSim {
            path,
            master: Some(master),
            _slave: Some(slave),
        })
    }

    pub fn path(&self) -> &str {
        &self.path
    }

    /// A code scanned: its text and the suffix.
    pub fn show(&mut self, code: &str) -> Result<(), SimError> {
        self.send(&[code.as_bytes(), SUFFIX].concat())
    }

    /// Bytes that are not text, then the suffix (a scanner at another baud rate sends such).
    pub fn garbage(&mut self) -> Result<(), SimError> {
        self.send(b"\xff\xfe\x80\x81\xc3(\x1b\r")
    }

    /// The first half of `code` and nothing more (the cable pulled, or no suffix set).
    pub fn half(&mut self, code: &str) -> Result<(), SimError> {
        let half = &code.as_bytes()[..code.len() / 2];
        self.send(half)
    }

    /// Sends raw bytes (a technician's test, or a fault of one's own).
    pub fn send(&mut self, bytes: &[u8]) -> Result<(), SimError> {
        let master = self.master.as_mut().ok_or(SimError::Unplugged)?;
        master.write_all(bytes)?;
        master.flush()?;
        Ok(())
    }

    /// Closes the port: the terminal sees its scanner disappear.
    pub fn unplug(&mut self) {
        self.master = None;
        self._slave = None;
    }

    /// Whether the simulated cable is in.
    pub fn plugged(&self) -> bool {
        self.master.is_some()
    }
}
