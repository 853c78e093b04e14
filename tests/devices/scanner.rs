//! The 2D barcode scanner over real pty pairs, as a citizen and a technician meet it: a receipt's QR scanned
//! arrives whole as one code, and each fault has its own outcome: a scanner that is not there, garbage (a
//! wrong baud rate), half a code (the cable pulled mid-code, or no suffix set), and the scanner unplugged,
//! after which the terminal keeps trying its port.

use std::sync::mpsc::{channel, Receiver};
use std::time::{Duration, Instant};

use kiosk::device::scanner::sim::ScannerSim;
use kiosk::device::scanner::{ScannerEvent, ScannerSettings, ScannerThread};
use kiosk::device::{DeviceStatus, Reason};

const PATIENCE: Duration = Duration::from_secs(10);
const RECEIPT: &str = "https://zwfw.suzhou.gov.cn/progress?case=SBSZDEMO0001000012";

struct Listening {
    events: Receiver<ScannerEvent>,
    _thread: ScannerThread,
}

fn listen(port: &str) -> Listening {
    let (tx, events) = channel();
    let settings = ScannerSettings {
        port: port.to_string(),
        baud: 9600,
        quiet: Duration::from_millis(200),
    };
    let thread = ScannerThread::spawn(settings, move |event| tx.send(event).is_ok());
    Listening {
        events,
        _thread: thread,
    }
}

impl Listening {
    /// The next event that is not a status, or the next status when `status` is asked.
    fn next(&self, what: &str) -> ScannerEvent {
        self.events
            .recv_timeout(PATIENCE)
            .unwrap_or_else(|_| panic!("no {what} within {PATIENCE:?}"))
    }

    fn status(&self) -> DeviceStatus {
        match self.next("status") {
            ScannerEvent::Status(status) => status,
            other => panic!("a status, not {other:?}"),
        }
    }
}

#[test]
fn a_scanned_receipt_arrives_whole_as_one_code() {
    let mut sim = ScannerSim::pty().unwrap();
    let scanner = listen(sim.path());
    assert_eq!(scanner.status(), DeviceStatus::Ready);
    let shown = Instant::now();
    sim.show(RECEIPT).unwrap();
    assert_eq!(scanner.next("code"), ScannerEvent::Code(RECEIPT.into()));
    eprintln!("scanner to event: {:?}", shown.elapsed());
    // Two codes back to back, one ending CR LF: two codes, nothing between.
    sim.send(b"A-1\r\nB-2\r").unwrap();
    assert_eq!(scanner.next("code"), ScannerEvent::Code("A-1".into()));
    assert_eq!(scanner.next("code"), ScannerEvent::Code("B-2".into()));
}

#[test]
fn garbage_and_half_a_code_are_misreads_and_the_next_code_still_comes() {
    let mut sim = ScannerSim::pty().unwrap();
    let scanner = listen(sim.path());
    assert_eq!(scanner.status(), DeviceStatus::Ready);
    sim.garbage().unwrap();
    match scanner.next("misread") {
        ScannerEvent::Misread(cause) => assert!(cause.contains("not text"), "{cause}"),
        other => panic!("{other:?}"),
    }
    sim.half(RECEIPT).unwrap();
    match scanner.next("misread") {
        ScannerEvent::Misread(cause) => assert!(cause.contains("half a code"), "{cause}"),
        other => panic!("{other:?}"),
    }
    sim.show(RECEIPT).unwrap();
    assert_eq!(scanner.next("code"), ScannerEvent::Code(RECEIPT.into()));
}

#[test]
fn a_scanner_not_there_or_unplugged_is_not_connected_and_its_half_code_is_dropped() {
    let missing = listen("/dev/kiosk-scanner-not-here");
    assert_eq!(missing.status(), DeviceStatus::Fault(Reason::NotConnected));

    let mut sim = ScannerSim::pty().unwrap();
    let scanner = listen(sim.path());
    assert_eq!(scanner.status(), DeviceStatus::Ready);
    // Pulled mid-code: what came is half a code, then the scanner is gone.
    sim.send(b"https://zwfw").unwrap();
    std::thread::sleep(Duration::from_millis(50));
    sim.unplug();
    let mut seen = Vec::new();
    loop {
        match scanner.next("the scanner gone") {
            ScannerEvent::Status(DeviceStatus::Fault(Reason::NotConnected)) => break,
            other => seen.push(other),
        }
    }
    assert!(
        matches!(seen.as_slice(), [ScannerEvent::Misread(cause)] if cause.contains("half a code")),
        "{seen:?}"
    );
    assert!(
        sim.show(RECEIPT).is_err(),
        "an unplugged scanner sends nothing"
    );
}
