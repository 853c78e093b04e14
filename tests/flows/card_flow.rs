//! Signing in with the ID card, through the real widgets (iced_test, tiny-skia). Most tests hand the reader's
//! events to the app directly (the in-memory reader); the last one runs the real reader thread against the
//! simulator on a pty.

use crate::common;

use std::time::{Duration, Instant};

use common::{screen, shows, tap, terminal};
use kiosk::device::reader::sim::{demo_cards, SimControl, SimPort};
use kiosk::device::reader::{FaultKind, ReadFault, ReaderEvent, ReaderSettings, ReaderThread};
use kiosk::device::{DeviceBoard, DeviceStatus, Reason};
use kiosk::domain::identity::Identity;
use kiosk::ui::{App, Message};

fn card(label: &str) -> Identity {
    demo_cards()
        .into_iter()
        .find(|c| c.label == label)
        .expect("a demo card")
        .identity()
        .expect("a readable demo card")
}

fn event(app: &mut App, event: ReaderEvent) {
    let _ = app.update(Message::Reader(event));
}

fn read(app: &mut App, label: &str) {
    event(app, ReaderEvent::CardRead(Ok(Box::new(card(label)))));
}

fn fault(app: &mut App, kind: FaultKind) {
    event(
        app,
        ReaderEvent::CardRead(Err(ReadFault {
            kind,
            cause: "test".into(),
        })),
    );
}

/// A terminal whose reader reports ready.
fn with_reader() -> App {
    let mut app = terminal();
    event(&mut app, ReaderEvent::Status(DeviceStatus::Ready));
    app
}

fn everything_ready(app: &mut App) {
    app.set_devices(DeviceBoard {
        reader: DeviceStatus::Ready,
        printer: DeviceStatus::Ready,
        hub: DeviceStatus::Ready,
        camera: DeviceStatus::Ready,
        scanner: DeviceStatus::Disabled(Reason::NotConfigured),
    });
}

#[test]
fn card_placed_on_the_attract_screen_signs_in_with_masked_name_and_number() {
    let mut app = with_reader();
    assert_eq!(screen(&app), "attract");
    event(&mut app, ReaderEvent::CardPlaced);
    assert_eq!(screen(&app), "card");
    assert!(shows(&app, "正在读取证件…"));
    assert!(shows(&app, "请勿移动证件"));

    read(&mut app, "resident");
    assert!(shows(&app, "欢迎您"));
    assert!(shows(&app, "张**"));
    assert!(shows(&app, "证件号码 3205**********0020"));
    assert!(shows(&app, "请取回您的证件，妥善保管。"));
    assert!(!shows(&app, "张秀英"), "the whole name is not on screen");
    let vm = serde_json::to_string(app.view_model()).unwrap();
    assert!(!vm.contains("张秀英") && !vm.contains("320508194408150020"));
    assert_eq!(app.session().identity().unwrap().name, "张秀英");

    tap(&mut app, "继续办理");
    assert_eq!(screen(&app), "home");
    assert!(shows(&app, "张**  3205**********0020"));
}

#[test]
fn sign_in_button_shows_where_to_place_the_card_then_try_again_after_it_moved() {
    let mut app = with_reader();
    tap(&mut app, "请轻触屏幕开始");
    tap(&mut app, "刷身份证登录");
    assert!(shows(&app, "请放置证件"));
    assert!(shows(&app, "请将证件平放在屏幕下方的读卡区，保持不动。"));
    event(&mut app, ReaderEvent::CardPlaced);
    fault(&mut app, FaultKind::TryAgain);
    assert!(shows(&app, "没有读到证件"));
    assert!(shows(&app, "请拿起证件，重新平放在读卡区，保持不动。"));
    tap(&mut app, "重新读卡");
    assert!(shows(&app, "请放置证件"));
    event(&mut app, ReaderEvent::CardPlaced);
    read(&mut app, "hmt");
    assert!(shows(&app, "陈**"));
    assert!(shows(&app, "港澳台居民居住证"));
}

#[test]
fn unreadable_card_says_it_may_be_damaged_and_to_ask_staff() {
    let mut app = with_reader();
    event(&mut app, ReaderEvent::CardPlaced);
    fault(&mut app, FaultKind::Unreadable);
    assert!(shows(&app, "无法读取这张证件"));
    assert!(shows(
        &app,
        "请再试一次。如仍不成功，证件可能已损坏，请联系工作人员。"
    ));
    assert!(app.session().identity().is_none());
}

#[test]
fn expired_card_is_refused_and_nothing_personal_is_kept() {
    let mut app = with_reader();
    event(&mut app, ReaderEvent::CardPlaced);
    read(&mut app, "expired");
    assert!(shows(&app, "证件已过有效期"));
    assert!(shows(
        &app,
        "有效期至 2020 年 1 月 5 日。请使用有效证件，或到人工窗口办理。"
    ));
    assert!(app.session().identity().is_none());
    assert!(!shows(&app, "继续办理"));
}

#[test]
fn reader_out_of_order_while_waiting_says_call_staff_and_greys_the_sign_in() {
    let mut app = with_reader();
    tap(&mut app, "请轻触屏幕开始");
    tap(&mut app, "刷身份证登录");
    event(
        &mut app,
        ReaderEvent::Status(DeviceStatus::Fault(Reason::NoResponse)),
    );
    assert!(shows(&app, "读卡器暂时无法使用"));
    tap(&mut app, "首页");
    assert!(shows(&app, "读卡器故障，请联系工作人员"));
    tap(&mut app, "刷身份证登录");
    assert_eq!(screen(&app), "home", "a greyed sign-in does nothing");
}

#[test]
fn removing_the_card_ends_a_flow_that_needs_it() {
    let mut app = terminal();
    everything_ready(&mut app);
    tap(&mut app, "请轻触屏幕开始");
    tap(&mut app, "证照打印");
    assert!(shows(&app, "请放置证件"));
    event(&mut app, ReaderEvent::CardPlaced);
    read(&mut app, "resident");
    assert!(shows(&app, "请将证件留在读卡区，办理完成后再取走。"));
    assert!(app.session().identity().is_some());

    event(&mut app, ReaderEvent::CardRemoved);
    assert_eq!(screen(&app), "attract");
    assert!(app.session().identity().is_none());
}

#[test]
fn removing_the_card_after_signing_in_keeps_a_session_that_does_not_need_it() {
    let mut app = with_reader();
    event(&mut app, ReaderEvent::CardPlaced);
    read(&mut app, "foreign-2023");
    assert!(shows(&app, "玛**"));
    tap(&mut app, "继续办理");
    event(&mut app, ReaderEvent::CardRemoved);
    assert_eq!(screen(&app), "home");
    assert!(app.session().identity().is_some());
}

#[test]
fn a_read_arriving_after_its_flow_was_left_is_dropped() {
    let mut app = with_reader();
    tap(&mut app, "请轻触屏幕开始");
    tap(&mut app, "刷身份证登录");
    event(&mut app, ReaderEvent::CardPlaced);
    tap(&mut app, "首页");
    read(&mut app, "resident");
    assert_eq!(screen(&app), "home");
    assert!(app.session().identity().is_none());
}

#[test]
fn card_flow_in_english_and_elder_mode() {
    let mut app = with_reader();
    tap(&mut app, "English");
    tap(&mut app, "Touch the screen to start");
    tap(&mut app, "Larger text");
    tap(&mut app, "Sign in with your ID card");
    assert!(shows(&app, "Place your ID card"));
    event(&mut app, ReaderEvent::CardPlaced);
    assert!(shows(&app, "Reading your card…"));
    read(&mut app, "foreign-2017");
    assert!(shows(&app, "Welcome"));
    assert!(shows(&app, "Foreign permanent resident ID card (2017)"));
    assert!(shows(&app, "Card number USA3*******0512"));
    tap(&mut app, "Continue");
    assert!(shows(&app, "Signed in"));
    tap(&mut app, "Finish");
    assert_eq!(screen(&app), "attract");
    assert!(app.session().identity().is_none());
}

#[test]
fn card_placed_on_the_simulated_reader_signs_the_citizen_in() {
    let sim = SimControl::new(demo_cards());
    let port = SimPort::pty(sim.clone(), 115_200).unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    let _thread = ReaderThread::spawn(
        ReaderSettings {
            port: port.path().to_string(),
            baud: 115_200,
            poll: Duration::from_millis(100),
        },
        move |e| tx.send(e).is_ok(),
    );
    let mut app = terminal();
    let pump = |app: &mut App, until: &dyn Fn(&App) -> bool| {
        let deadline = Instant::now() + Duration::from_secs(10);
        while !until(app) {
            let left = deadline.saturating_duration_since(Instant::now());
            let event = rx.recv_timeout(left).expect("reader events keep coming");
            let _ = app.update(Message::Reader(event));
        }
    };
    pump(&mut app, &|app| {
        app.view_model().devices.reader == DeviceStatus::Ready
    });
    sim.place("resident-moved").unwrap();
    pump(&mut app, &|app| app.session().identity().is_some());
    assert!(shows(&app, "王**"));
    assert_eq!(
        app.session()
            .identity()
            .unwrap()
            .appended_address
            .as_deref(),
        Some("江苏省苏州市相城区元和街道御窑路18号")
    );
    tap(&mut app, "继续办理");
    sim.remove();
    // The card may go: this session does not need it.
    std::thread::sleep(Duration::from_millis(400));
    while let Ok(event) = rx.try_recv() {
        let _ = app.update(Message::Reader(event));
    }
    assert_eq!(screen(&app), "home");
    drop(port);
}
