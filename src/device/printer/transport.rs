//! Where the printer is (`tcp://host:9100`, `serial:///dev/ttyUSB0?baud=115200`, `file://path`,
//! `usb://VID:PID`), a connection to it, its real-time status, and one print job with the status checked before
//! (no paper: refused) and after (paper ran out: failed, never "printed").

use std::io::{Read, Write};
use std::net::{TcpStream, ToSocketAddrs};
use std::time::{Duration, Instant};

use super::status::{PrinterState, StatusError, REQUESTS};

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Target {
    Tcp { address: String },
    Serial { path: String, baud: u32 },
    File { path: String },
    Usb { vendor: u16, product: u16 },
}

#[derive(Debug, thiserror::Error)]
pub enum TransportError {
    #[error("printer address {uri:?}: {why}; use tcp://HOST:PORT, serial:///dev/…?baud=N, usb://VID:PID or file://PATH")]
    BadUri { uri: String, why: String },
    #[error("cannot reach the printer at {target}: {source}")]
    Connect {
        target: String,
        source: std::io::Error,
    },
    #[error("the connection to the printer failed after {sent} of {total} bytes: {source}")]
    Dropped {
        sent: usize,
        total: usize,
        source: std::io::Error,
    },
    #[error("the printer does not answer status requests: {0}")]
    NoStatus(String),
    #[error("cannot reach the printer at {target}: {source}")]
    UsbNotFound {
        target: String,
        source: super::usb::UsbError,
    },
}

impl Target {
    pub fn parse(uri: &str) -> Result<Target, TransportError> {
        let bad = |why: &str| TransportError::BadUri {
            uri: uri.to_string(),
            why: why.to_string(),
        };
        let (scheme, rest) = uri.split_once("://").ok_or_else(|| bad("no scheme"))?;
        match scheme {
            "tcp" => {
                let (host, port) = rest.rsplit_once(':').ok_or_else(|| bad("no port"))?;
                if host.is_empty() || port.parse::<u16>().is_err() {
                    return Err(bad(
                        "host and port are needed, e.g. tcp://192.168.1.50:9100",
                    ));
                }
                Ok(Target::Tcp {
                    address: rest.to_string(),
                })
            }
            "serial" => {
                let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
                let mut baud = 115_200;
                for pair in query.split('&').filter(|p| !p.is_empty()) {
                    match pair.split_once('=') {
                        Some(("baud", n)) => {
                            baud = n.parse().map_err(|_| bad("baud is not a number"))?
                        }
                        _ => return Err(bad("the only option is baud=N")),
                    }
                }
                if !path.starts_with('/') {
                    return Err(bad(
                        "a serial path starts with /, e.g. serial:///dev/ttyUSB0",
                    ));
                }
                Ok(Target::Serial {
                    path: path.to_string(),
                    baud,
                })
            }
            "file" if !rest.is_empty() => Ok(Target::File {
                path: rest.to_string(),
            }),
            "usb" => {
                let (v, p) = rest
                    .split_once(':')
                    .ok_or_else(|| bad("write usb://VID:PID in hex"))?;
                let hex =
                    |s: &str| u16::from_str_radix(s, 16).map_err(|_| bad("VID and PID are hex"));
                Ok(Target::Usb {
                    vendor: hex(v)?,
                    product: hex(p)?,
                })
            }
            _ => Err(bad("unknown scheme")),
        }
    }
}

impl std::fmt::Display for Target {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Target::Tcp { address } => write!(f, "tcp://{address}"),
            Target::Serial { path, baud } => write!(f, "serial://{path}?baud={baud}"),
            Target::File { path } => write!(f, "file://{path}"),
            Target::Usb { vendor, product } => write!(f, "usb://{vendor:04x}:{product:04x}"),
        }
    }
}

trait Port: Read + Write + Send {
    /// Whether the other end can answer status requests.
    fn answers(&self) -> bool {
        true
    }
}

impl Port for TcpStream {}
impl Port for Box<dyn serialport::SerialPort> {}
impl Port for super::usb::UsbPort {}

struct FilePort(std::fs::File);

impl Read for FilePort {
    fn read(&mut self, _buf: &mut [u8]) -> std::io::Result<usize> {
        Ok(0)
    }
}

impl Write for FilePort {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.write(buf)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.0.flush()
    }
}

impl Port for FilePort {
    fn answers(&self) -> bool {
        false
    }
}

/// Whether a read ended on its timeout (TCP says WouldBlock, serial ports TimedOut).
pub fn timed_out(error: &std::io::Error) -> bool {
    matches!(
        error.kind(),
        std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
    )
}

/// How long to wait for the three status bytes.
const STATUS_TIMEOUT: Duration = Duration::from_millis(800);
/// Bytes per write: small enough that a printer's busy signal paces us, large enough to be quick.
const CHUNK: usize = 4096;

/// An open connection to a printer. Only one is open per printer at a time in this process: a serial or
/// USB line carries one conversation, so the status poll and a job must not interleave their bytes (and
/// some network printers take one connection at a time too).
pub struct Connection {
    port: Box<dyn Port>,
    _turn: Turn,
}

/// How long to wait for the printer's other conversation (a job at 9600 baud takes seconds) to end.
const TURN_TIMEOUT: Duration = Duration::from_secs(20);

/// The printers with a connection open in this process.
static BUSY: std::sync::Mutex<Vec<Target>> = std::sync::Mutex::new(Vec::new());
static FREED: std::sync::Condvar = std::sync::Condvar::new();

/// The right to talk to one printer, given back when dropped.
struct Turn(Target);

impl Turn {
    fn take(target: &Target) -> Result<Turn, TransportError> {
        let deadline = Instant::now() + TURN_TIMEOUT;
        let mut busy = BUSY.lock().unwrap_or_else(|e| e.into_inner());
        while busy.contains(target) {
            let now = Instant::now();
            if now >= deadline {
                return Err(TransportError::Connect {
                    target: target.to_string(),
                    source: std::io::Error::new(
                        std::io::ErrorKind::TimedOut,
                        "another job on this printer did not end",
                    ),
                });
            }
            busy = FREED
                .wait_timeout(busy, deadline - now)
                .unwrap_or_else(|e| e.into_inner())
                .0;
        }
        busy.push(target.clone());
        Ok(Turn(target.clone()))
    }
}

impl Drop for Turn {
    fn drop(&mut self) {
        let mut busy = BUSY.lock().unwrap_or_else(|e| e.into_inner());
        busy.retain(|t| t != &self.0);
        FREED.notify_all();
    }
}

impl Connection {
    pub fn open(target: &Target, timeout: Duration) -> Result<Connection, TransportError> {
        let turn = Turn::take(target)?;
        let failed = |source| TransportError::Connect {
            target: target.to_string(),
            source,
        };
        let port: Box<dyn Port> = match target {
            Target::Tcp { address } => {
                let addr = address
                    .to_socket_addrs()
                    .map_err(failed)?
                    .next()
                    .ok_or_else(|| failed(std::io::ErrorKind::NotFound.into()))?;
                let stream = TcpStream::connect_timeout(&addr, timeout).map_err(failed)?;
                stream.set_nodelay(true).map_err(failed)?;
                stream
                    .set_write_timeout(Some(Duration::from_secs(10)))
                    .map_err(failed)?;
                stream
                    .set_read_timeout(Some(STATUS_TIMEOUT))
                    .map_err(failed)?;
                Box::new(stream)
            }
            Target::Serial { path, baud } => Box::new(
                serialport::new(path, *baud)
                    .timeout(STATUS_TIMEOUT)
                    .open()
                    .map_err(|e| failed(e.into()))?,
            ),
            Target::File { path } => Box::new(FilePort(
                std::fs::OpenOptions::new()
                    .create(true)
                    .append(true)
                    .open(path)
                    .map_err(failed)?,
            )),
            Target::Usb { vendor, product } => {
                return Connection::usb_with(
                    turn,
                    std::path::Path::new(super::usb::SYSFS),
                    std::path::Path::new(super::usb::DEV),
                    *vendor,
                    *product,
                )
            }
        };
        Ok(Connection { port, _turn: turn })
    }

    /// The USB printer with these ids, its node looked up under `sys` (sysfs) and opened under `dev`.
    pub fn usb(
        sys: &std::path::Path,
        dev: &std::path::Path,
        vendor: u16,
        product: u16,
    ) -> Result<Connection, TransportError> {
        let turn = Turn::take(&Target::Usb { vendor, product })?;
        Connection::usb_with(turn, sys, dev, vendor, product)
    }

    fn usb_with(
        turn: Turn,
        sys: &std::path::Path,
        dev: &std::path::Path,
        vendor: u16,
        product: u16,
    ) -> Result<Connection, TransportError> {
        let target = turn.0.to_string();
        let node = super::usb::locate(sys, dev, vendor, product).map_err(|source| {
            TransportError::UsbNotFound {
                target: target.clone(),
                source,
            }
        })?;
        let port = super::usb::UsbPort::open(&node, STATUS_TIMEOUT, Duration::from_secs(10))
            .map_err(|source| TransportError::Connect {
                target: format!("{target} ({})", node.display()),
                source,
            })?;
        Ok(Connection {
            port: Box::new(port),
            _turn: turn,
        })
    }

    /// The printer's state from DLE EOT 1, 2 and 4; `None` when the target cannot answer (a file).
    pub fn status(&mut self) -> Result<Option<PrinterState>, TransportError> {
        if !self.port.answers() {
            return Ok(None);
        }
        let io = |e: std::io::Error| TransportError::NoStatus(e.to_string());
        self.port.write_all(&REQUESTS.concat()).map_err(io)?;
        self.port.flush().map_err(io)?;
        let mut replies = Vec::with_capacity(3);
        let deadline = Instant::now() + STATUS_TIMEOUT;
        let mut buf = [0u8; 16];
        while replies.len() < 3 && Instant::now() < deadline {
            match self.port.read(&mut buf) {
                Ok(0) => {
                    return Err(TransportError::NoStatus(
                        "the printer closed the connection".into(),
                    ))
                }
                Ok(n) => replies.extend_from_slice(&buf[..n]),
                Err(e) if timed_out(&e) => break,
                Err(e) => return Err(io(e)),
            }
        }
        PrinterState::parse(&replies)
            .map(Some)
            .map_err(|e: StatusError| TransportError::NoStatus(e.to_string()))
    }

    /// Sends a job's bytes; a failure says how far it got.
    pub fn send(&mut self, bytes: &[u8]) -> Result<(), TransportError> {
        let mut sent = 0;
        for chunk in bytes.chunks(CHUNK) {
            if let Err(source) = self.port.write_all(chunk) {
                return Err(TransportError::Dropped {
                    sent,
                    total: bytes.len(),
                    source,
                });
            }
            sent += chunk.len();
        }
        self.port.flush().map_err(|source| TransportError::Dropped {
            sent,
            total: bytes.len(),
            source,
        })
    }
}

/// How a job ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JobOutcome {
    /// The printer confirmed it is still fine after the job.
    Printed,
    /// Written to a target that cannot report (a file).
    Written,
}

#[derive(Debug, thiserror::Error)]
pub enum JobError {
    /// Nothing was sent: the printer cannot print now.
    #[error("the printer cannot print now: {0}")]
    Refused(PrinterState),
    /// Sent, and the printer reports a fault after it: the document did not come out whole.
    #[error(
        "the printer reported a fault during the job: {0}; the document did not come out whole"
    )]
    Failed(PrinterState),
    #[error(transparent)]
    Transport(#[from] TransportError),
    /// The job was stopped before its first byte (the journal could not record it).
    #[error("not sent: {0}")]
    NotSent(String),
}

/// Where a job ended, for the journal: nothing sent, sent and answered, or sent and no answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    BeforeSending,
    Sending,
    AwaitingConfirmation,
}

/// One job: status before (refuse without sending), the bytes, status after (a fault means failed).
pub fn print_job(target: &Target, bytes: &[u8]) -> Result<JobOutcome, JobError> {
    print_job_with(target, bytes, || Ok(())).map_err(|(error, _)| error)
}

/// [`print_job`], calling `before_sending` just before the first byte goes out (the journal records the job
/// as sent there: if that fails, nothing is sent). An error says at which stage the job stopped.
pub fn print_job_with(
    target: &Target,
    bytes: &[u8],
    before_sending: impl FnOnce() -> Result<(), String>,
) -> Result<JobOutcome, (JobError, Stage)> {
    let connection = Connection::open(target, Duration::from_secs(3))
        .map_err(|error| (JobError::from(error), Stage::BeforeSending))?;
    print_on(connection, bytes, before_sending)
}

/// [`print_job_with`] on a connection already open.
pub fn print_on(
    mut connection: Connection,
    bytes: &[u8],
    before_sending: impl FnOnce() -> Result<(), String>,
) -> Result<JobOutcome, (JobError, Stage)> {
    let at = |stage: Stage| move |error: TransportError| (JobError::from(error), stage);
    if let Some(state) = connection.status().map_err(at(Stage::BeforeSending))? {
        if !state.can_print() {
            return Err((JobError::Refused(state), Stage::BeforeSending));
        }
    }
    before_sending().map_err(|why| (JobError::NotSent(why), Stage::BeforeSending))?;
    connection.send(bytes).map_err(at(Stage::Sending))?;
    match connection
        .status()
        .map_err(at(Stage::AwaitingConfirmation))?
    {
        None => Ok(JobOutcome::Written),
        Some(state) if state.can_print() => Ok(JobOutcome::Printed),
        Some(state) => Err((JobError::Failed(state), Stage::AwaitingConfirmation)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_printer_has_one_conversation_at_a_time_so_polls_never_cut_into_a_job() {
        let printer = crate::device::printer::virtual_printer::VirtualPrinter::pty(None).unwrap();
        let target = Target::parse(&printer.uri()).unwrap();
        let job = Connection::open(&target, Duration::from_secs(1)).unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        let poll = {
            let target = target.clone();
            std::thread::spawn(move || {
                let mut connection = Connection::open(&target, Duration::from_secs(1)).unwrap();
                tx.send(connection.status().unwrap()).unwrap();
            })
        };
        std::thread::sleep(Duration::from_millis(150));
        assert!(
            rx.try_recv().is_err(),
            "the poll waits while the job's line is open"
        );
        drop(job);
        let state = rx.recv_timeout(Duration::from_secs(5)).unwrap().unwrap();
        assert!(state.can_print());
        poll.join().unwrap();
    }

    #[test]
    fn printer_addresses_parse_or_say_what_is_wrong() {
        assert_eq!(
            Target::parse("tcp://127.0.0.1:9100").unwrap(),
            Target::Tcp {
                address: "127.0.0.1:9100".into()
            }
        );
        assert_eq!(
            Target::parse("serial:///dev/kiosk-printer?baud=9600").unwrap(),
            Target::Serial {
                path: "/dev/kiosk-printer".into(),
                baud: 9600
            }
        );
        assert_eq!(
            Target::parse("usb://0416:5011").unwrap(),
            Target::Usb {
                vendor: 0x0416,
                product: 0x5011
            }
        );
        assert_eq!(
            Target::parse("file:///tmp/job.bin").unwrap().to_string(),
            "file:///tmp/job.bin"
        );
        for bad in [
            "9100",
            "tcp://:9100",
            "tcp://host",
            "serial://dev/x",
            "lpt://1",
            "usb://xyz:1",
        ] {
            assert!(Target::parse(bad).is_err(), "{bad}");
        }
    }
}
