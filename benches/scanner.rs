//! The code scanner's figures in the demo's set-up (the hub in-process on SQLite, the scanner simulator on a
//! pty read by the real scanner thread, the terminal headless):
//!
//! - **scanner → event**: a code written to the pty until the thread reports it;
//! - **receipt → screen**: a receipt's QR shown at rest until its case's progress is on the screen;
//! - **code shown → identity in the session**: a fresh sign-in code (亮码) shown at rest until its holder is
//!   signed in: the signature and the minute checked on the terminal, the code taken at the hub, the
//!   welcome shown;
//! - **verify**: `Claim::verify` alone (the Ed25519 check and the parse).
//!
//! `cargo bench --bench scanner` prints a Markdown table: median, p90 and max of `RUNS` runs each.

use std::sync::mpsc;
use std::time::{Duration, Instant};

use kiosk::config::Config;
use kiosk::demo::DemoParts;
use kiosk::device::scanner::sim::ScannerSim;
use kiosk::device::scanner::{ScannerEvent, ScannerSettings, ScannerThread};
use kiosk::device::{DeviceBoard, DeviceStatus};
use kiosk::ui::{drive, App, Message, Startup};

const RUNS: usize = 50;

/// Hands the scanner's events to the terminal until `until` holds.
fn deliver(app: &mut App, events: &mpsc::Receiver<ScannerEvent>, until: &dyn Fn(&App) -> bool) {
    while !until(app) {
        let event = events
            .recv_timeout(Duration::from_secs(10))
            .expect("the scanner's events keep coming");
        let task = app.update(Message::Scanner(event));
        drive::run(app, task);
    }
}

fn main() {
    let dir = tempfile::tempdir().unwrap();
    let mut config = Config::default();
    let parts = DemoParts::start(dir.path(), Some(&mut config), false).unwrap();
    let mut app = App::new(Startup::new(Ok(config), true));
    app.set_devices(DeviceBoard::ready());
    let mut sim = ScannerSim::pty().unwrap();
    let (tx, events) = mpsc::channel();
    let _thread = ScannerThread::spawn(
        ScannerSettings {
            port: sim.path().to_string(),
            baud: 9600,
            quiet: Duration::from_millis(500),
        },
        move |event| tx.send(event).is_ok(),
    );
    deliver(&mut app, &events, &|app| {
        app.view_model().devices.scanner == DeviceStatus::Ready
    });
    let case = parts.newest_case().expect("a seeded case");
    let receipt = format!("https://zwfw.suzhou.gov.cn/progress?case={case}");
    let token = parts
        .phone("resident-moved")
        .unwrap()
        .rsplit('/')
        .next()
        .unwrap()
        .to_string();
    let hub = parts.hub.clone();
    let keys = hub.store().verifying_keys();

    let mut to_event = Vec::new();
    let mut to_progress = Vec::new();
    let mut to_identity = Vec::new();
    let mut verify = Vec::new();
    for _ in 0..RUNS {
        // A receipt at rest: its case on the screen.
        let shown = Instant::now();
        sim.show(&receipt).unwrap();
        let mut first = None;
        while !drive::shows(&app, "已从回执读取办件编号，请输入申请人身份证号后6位")
        {
            let event = events.recv_timeout(Duration::from_secs(10)).unwrap();
            if matches!(event, ScannerEvent::Code(_)) && first.is_none() {
                first = Some(shown.elapsed());
            }
            let task = app.update(Message::Scanner(event));
            drive::run(&mut app, task);
        }
        to_progress.push(shown.elapsed());
        to_event.push(first.unwrap());
        let _ = app.update(Message::Bar(kiosk::ui::Bar::Finish));

        // A fresh code at rest: its holder signed in.
        let (code, _) = hub
            .block_on(kiosk_hub::signin::issue(
                hub.store(),
                &token,
                kiosk_hub::store::now_ms(),
            ))
            .unwrap();
        let checked = Instant::now();
        kiosk_proto::signin::Claim::verify(&code, &keys, kiosk_hub::store::now_ms()).unwrap();
        verify.push(checked.elapsed());
        let shown = Instant::now();
        sim.show(&code).unwrap();
        deliver(&mut app, &events, &|app| app.session().identity().is_some());
        to_identity.push(shown.elapsed());
        let _ = app.update(Message::Bar(kiosk::ui::Bar::Finish));
    }
    println!("| {RUNS} runs | median | p90 | max |");
    println!("|---|---|---|---|");
    for (what, mut times) in [
        ("scanner → event (pty, 9600 baud)", to_event),
        ("receipt → its case on the screen", to_progress),
        ("code shown → identity in the session", to_identity),
        ("verify a code (Ed25519 + parse)", verify),
    ] {
        times.sort();
        let at = |q: f64| times[((times.len() - 1) as f64 * q).round() as usize];
        println!(
            "| {what} | {:.2} ms | {:.2} ms | {:.2} ms |",
            at(0.5).as_secs_f64() * 1000.0,
            at(0.9).as_secs_f64() * 1000.0,
            times.last().unwrap().as_secs_f64() * 1000.0
        );
    }
}
