//! The 2D barcode scanner (扫码器) every hall terminal has beside the card reader: a serial device (USB CDC-ACM
//! or RS-232) in its serial text mode, each code followed by a CR, LF or CR LF. The thread opens the port,
//! turns the bytes into codes ([`stream::Codes`]), reports each code and each misread, and the scanner's
//! status (not connected until the port opens; back to not connected when it goes, and opened again by
//! path when it returns). [`sim`] plays a scanner on a pty.

pub mod sim;
pub mod stream;

use std::time::{Duration, Instant};

use crate::device::worker::{StopFlag, Worker};
use crate::device::{DeviceStatus, Reason};
use stream::{Codes, Scanned};

/// Where the scanner is.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ScannerSettings {
    pub port: String,
    pub baud: u32,
    /// How long a line may stay quiet mid-code before the part is dropped as half a code.
    pub quiet: Duration,
}

impl ScannerSettings {
    pub fn from_config(scanner: &crate::config::ScannerConfig) -> ScannerSettings {
        ScannerSettings {
            port: scanner.port.clone(),
            baud: scanner.baud,
            quiet: QUIET,
        }
    }
}

/// A scanner sends a whole code in a few milliseconds; half a second of silence mid-code means it was cut.
pub const QUIET: Duration = Duration::from_millis(500);
/// How often to try opening a port that is gone.
const RETRY: Duration = Duration::from_secs(1);

/// What the scanner thread reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ScannerEvent {
    Status(DeviceStatus),
    /// A code was scanned (its text; it may be personal: never log it).
    Code(String),
    /// Something was scanned that is not a code: the citizen is asked to scan again; the cause is for the
    /// log.
    Misread(String),
}

impl ScannerEvent {
    /// The event for what the stream held.
    fn from_scanned(scanned: Scanned) -> ScannerEvent {
        match scanned {
            Scanned::Code(text) => ScannerEvent::Code(text),
            Scanned::Garbage { bytes, why } => {
                ScannerEvent::Misread(format!("{bytes} bytes dropped: {}", why.describe()))
            }
            Scanned::Partial { bytes } => ScannerEvent::Misread(format!(
                "half a code ({bytes} bytes, then nothing: the cable pulled, or no suffix set on the scanner)"
            )),
        }
    }
}

/// The scanner's thread. Dropping it stops the thread.
pub struct ScannerThread {
    _worker: Worker,
}

impl ScannerThread {
    /// Starts listening to the scanner at `settings`. Each event goes to `sink`; when `sink` returns false
    /// (nobody listens any more) the thread ends.
    pub fn spawn(
        settings: ScannerSettings,
        sink: impl FnMut(ScannerEvent) -> bool + Send + 'static,
    ) -> ScannerThread {
        ScannerThread {
            _worker: Worker::spawn("scanner", move |stop| listen(&settings, sink, &stop)),
        }
    }
}

fn listen(settings: &ScannerSettings, sink: impl FnMut(ScannerEvent) -> bool, stop: &StopFlag) {
    let mut listener = Listener {
        settings,
        sink,
        status: DeviceStatus::Unknown,
    };
    // `None`: nobody listens any more.
    let _ = listener.run(stop);
}

struct Listener<'a, F> {
    settings: &'a ScannerSettings,
    sink: F,
    status: DeviceStatus,
}

impl<F: FnMut(ScannerEvent) -> bool> Listener<'_, F> {
    fn run(&mut self, stop: &StopFlag) -> Option<()> {
        while !stop.stopped() {
            let opened = serialport::new(&self.settings.port, self.settings.baud)
                .timeout(Duration::from_millis(50))
                .open();
            let cause = match opened {
                Ok(mut port) => {
                    self.status(DeviceStatus::Ready, &"port open")?;
                    let gone = self.read(&mut *port, stop)?;
                    format!("{} failed: {gone} (unplugged?)", self.settings.port)
                }
                Err(error) => format!("cannot open {}: {error}", self.settings.port),
            };
            self.status(DeviceStatus::Fault(Reason::NotConnected), &cause)?;
            stop.pause(RETRY);
        }
        Some(())
    }

    /// Reads codes until the port fails (its error), or the thread stops (`None`, as when nobody listens).
    fn read(
        &mut self,
        port: &mut dyn serialport::SerialPort,
        stop: &StopFlag,
    ) -> Option<std::io::Error> {
        let mut codes = Codes::new();
        let mut last_byte = Instant::now();
        let mut buf = [0u8; 512];
        loop {
            if stop.stopped() {
                return None;
            }
            match port.read(&mut buf) {
                Ok(0) => std::thread::sleep(Duration::from_millis(10)),
                Ok(n) => {
                    last_byte = Instant::now();
                    for scanned in codes.push(&buf[..n]) {
                        self.report(scanned)?;
                    }
                }
                Err(error) if error.kind() == std::io::ErrorKind::TimedOut => {}
                Err(error) => {
                    // What was on its way when the port went is half a code.
                    if let Some(scanned) = codes.flush() {
                        self.report(scanned)?;
                    }
                    return Some(error);
                }
            }
            if codes.pending() && last_byte.elapsed() >= self.settings.quiet {
                if let Some(scanned) = codes.flush() {
                    self.report(scanned)?;
                }
            }
        }
    }

    fn status(&mut self, new: DeviceStatus, cause: &dyn std::fmt::Display) -> Option<()> {
        if new == self.status {
            return Some(());
        }
        self.status = new;
        let port = &self.settings.port;
        match new {
            DeviceStatus::Ready => tracing::info!(%port, "scanner ready"),
            _ => tracing::warn!(%port, ?new, %cause, "scanner not ready"),
        }
        self.send(ScannerEvent::Status(new))
    }

    /// Reports one thing the stream held (a misread's cause is logged; a code never is).
    fn report(&mut self, scanned: Scanned) -> Option<()> {
        let event = ScannerEvent::from_scanned(scanned);
        match &event {
            ScannerEvent::Code(text) => tracing::info!(bytes = text.len(), "code scanned"),
            ScannerEvent::Misread(cause) => tracing::warn!(%cause, "scanner misread"),
            ScannerEvent::Status(_) => {}
        }
        self.send(event)
    }

    fn send(&mut self, event: ScannerEvent) -> Option<()> {
        (self.sink)(event).then_some(())
    }
}
