//! A receipt scanned at the terminal, through the real scanner thread on a pty with the scanner simulator
//! and the demo's real hub: the QR on a receipt opens its case at once from the resting screen (the ID's
//! last six still asked, as when the number is typed), a code that is not a receipt's and a misread say what
//! to do, and a scan in the middle of something else takes the citizen nowhere.

use std::sync::mpsc;
use std::time::{Duration, Instant};

use kiosk::device::scanner::sim::ScannerSim;
use kiosk::device::scanner::{ScannerEvent, ScannerSettings, ScannerThread};
use kiosk::device::DeviceStatus;
use kiosk::ui::Message;

use crate::common::rig::{rig, Rig, MOVED};

/// The scanner simulator and the real thread listening to it.
struct Scanner {
    sim: ScannerSim,
    events: mpsc::Receiver<ScannerEvent>,
    _thread: ScannerThread,
}

impl Scanner {
    fn start() -> Scanner {
        let sim = ScannerSim::pty().unwrap();
        let (tx, events) = mpsc::channel();
        let thread = ScannerThread::spawn(
            ScannerSettings {
                port: sim.path().to_string(),
                baud: 9600,
                quiet: Duration::from_millis(200),
            },
            move |event| tx.send(event).is_ok(),
        );
        Scanner {
            sim,
            events,
            _thread: thread,
        }
    }

    /// Hands the scanner's events to the terminal until `until` holds.
    fn deliver(&self, rig: &mut Rig, until: impl Fn(&Rig) -> bool) {
        let deadline = Instant::now() + Duration::from_secs(10);
        while !until(rig) {
            let left = deadline.saturating_duration_since(Instant::now());
            let event = self
                .events
                .recv_timeout(left)
                .expect("the scanner's events keep coming");
            let task = rig.app.update(Message::Scanner(event));
            crate::common::run(&mut rig.app, task);
        }
    }
}

#[test]
fn a_receipts_qr_scanned_at_rest_opens_its_case_and_other_codes_say_what_to_do() {
    let mut rig = rig();
    let case_no = rig.newest_case_of(MOVED);
    let mut scanner = Scanner::start();
    scanner.deliver(&mut rig, |rig| {
        rig.app.view_model().devices.scanner == DeviceStatus::Ready
    });

    // On the resting screen: the receipt's QR starts a session and opens the case, number filled in.
    assert!(rig.shows("请轻触屏幕开始"));
    let shown = Instant::now();
    scanner
        .sim
        .show(&format!(
            "https://zwfw.suzhou.gov.cn/progress?case={case_no}"
        ))
        .unwrap();
    scanner.deliver(&mut rig, |rig| {
        rig.shows("已从回执读取办件编号，请输入申请人身份证号后6位")
    });
    eprintln!(
        "receipt scanned → its case on the screen: {:?}",
        shown.elapsed()
    );
    // The number in its box (the caret is in the ID's box).
    assert!(rig.shows(&format!("{case_no} ")));
    for c in MOVED[12..].chars() {
        rig.tap(&c.to_string());
    }
    rig.tap("查询");
    assert!(rig.shows("办理过程"), "the case, by the scanned number");
    // The ID's characters typed never reach the mirrored view model; the code's text is not logged.
    let vm = serde_json::to_string(rig.app.view_model()).unwrap();
    assert!(!vm.contains(&MOVED[12..]));

    // A payment code on the home screen: the keypad says it is not a receipt's.
    rig.tap("首页");
    scanner
        .sim
        .show("weixin://wxpay/bizpayurl?pr=abc123")
        .unwrap();
    scanner.deliver(&mut rig, |rig| {
        rig.shows("这不是办件回执上的码。请扫描回执上的二维码或条码，或者输入办件编号")
    });
    // A misread: scan again. Typing answers the notice.
    scanner.sim.garbage().unwrap();
    scanner.deliver(&mut rig, |rig| {
        rig.shows("没有扫清楚，请把回执上的二维码对准扫码窗口，再扫一次")
    });
    rig.tap("S");
    assert!(rig.shows("点一下要填写的框，再用下面的键盘输入"));

    // In the middle of something else (the guide), a scan takes the citizen nowhere.
    rig.tap("首页");
    rig.tap("办事指南");
    let before = serde_json::to_string(rig.app.view_model()).unwrap();
    scanner
        .sim
        .show(&format!(
            "https://zwfw.suzhou.gov.cn/progress?case={case_no}"
        ))
        .unwrap();
    let event = scanner
        .events
        .recv_timeout(Duration::from_secs(10))
        .expect("the code arrives");
    let task = rig.app.update(Message::Scanner(event));
    crate::common::run(&mut rig.app, task);
    assert_eq!(serde_json::to_string(rig.app.view_model()).unwrap(), before);

    // The scanner unplugged: the progress tile stays open and says to type the number.
    rig.tap("首页");
    scanner.sim.unplug();
    scanner.deliver(&mut rig, |rig| {
        rig.app.view_model().devices.scanner != DeviceStatus::Ready
    });
    assert!(rig.shows("扫码器暂不可用，请输入受理编号查询"));
    rig.tap("办件查询");
    assert!(rig.shows("输入办件编号查询"));
}
