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
pub(crate) struct Scanner {
    pub(crate) sim: ScannerSim,
    events: mpsc::Receiver<ScannerEvent>,
    _thread: ScannerThread,
}

impl Scanner {
    pub(crate) fn start() -> Scanner {
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
    pub(crate) fn deliver(&self, rig: &mut Rig, until: impl Fn(&Rig) -> bool) {
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

/// The token of the demo holder `label`'s phone page.
fn phone_token(rig: &Rig, label: &str) -> String {
    let page = rig.parts.phone(label).expect("the holder has a phone page");
    page.rsplit('/').next().unwrap().to_string()
}

/// Shows `code` to the scanner and hands its events (and the check's answer) to the terminal until the
/// card screen says `what`.
pub(crate) fn show_code(rig: &mut Rig, scanner: &mut Scanner, code: &str, what: &str) -> Duration {
    let shown = Instant::now();
    scanner.sim.show(code).unwrap();
    scanner.deliver(rig, |rig| rig.shows(what));
    shown.elapsed()
}

#[test]
fn the_apps_code_signs_its_holder_in_once_and_an_expired_forged_or_replayed_one_is_refused() {
    let mut rig = rig();
    let mut scanner = Scanner::start();
    scanner.deliver(&mut rig, |rig| {
        rig.app.view_model().devices.scanner == DeviceStatus::Ready
    });
    let token = phone_token(&rig, "resident-moved");
    let hub = rig.parts.hub.clone();
    let issue = |at: i64| {
        hub.block_on(kiosk_hub::signin::issue(hub.store(), &token, at))
            .unwrap()
            .0
    };

    // A fresh code at rest: a session starts, the code is checked, its holder is signed in (masked).
    let code = rig.parts.fresh_code("resident-moved").unwrap();
    let took = show_code(&mut rig, &mut scanner, &code, "已通过身份码核验");
    eprintln!("code shown → its holder signed in: {took:?}");
    assert!(rig.shows("欢迎您"));
    assert!(rig.shows("王**"));
    assert!(rig.shows("证件号码 3205**********1530"));
    assert!(rig.shows("打印证照时仍需放置身份证原件。"));
    assert_eq!(rig.app.session().identity().unwrap().id_number, MOVED);
    let vm = serde_json::to_string(rig.app.view_model()).unwrap();
    assert!(
        !vm.contains(MOVED) && !vm.contains("王建国"),
        "masked in the view model"
    );
    rig.tap("继续办理");
    rig.tap("结束办理");
    assert!(rig.app.session().identity().is_none(), "wiped at the end");

    // The same code again (a photo of it): the hub took it once.
    show_code(&mut rig, &mut scanner, &code, "身份码已使用过");
    assert!(
        rig.shows("每个身份码只能使用一次，截图或照片不能使用。请在手机上刷新身份码后再扫一次。")
    );
    assert!(rig.app.session().identity().is_none());
    // Past its minute: refused on this terminal's clock, before the hub is asked.
    let late = issue(kiosk_hub::store::now_ms() - 120_000);
    rig.tap("重新扫码");
    show_code(&mut rig, &mut scanner, &late, "身份码已过期");
    assert!(rig.shows("身份码一分钟内有效。请在手机上刷新身份码后再扫一次。"));
    // Signed with a key the hub does not have (the demo's public test key).
    let forged = kiosk_proto::signin::Claim {
        nonce: "a".repeat(32),
        id: MOVED.into(),
        name: "王建国".into(),
        iat: kiosk_hub::store::now_ms(),
        exp: kiosk_hub::store::now_ms() + 60_000,
    }
    .sign(&kiosk_proto::verify::demo_key());
    rig.tap("重新扫码");
    show_code(&mut rig, &mut scanner, &forged, "无法识别此身份码");
    assert!(rig.app.session().identity().is_none());
    // The hub saw one code taken, and none of the refused ones.
    let taken: i64 = rig.parts.hub.block_on(async {
        sqlx::query_scalar("SELECT COUNT(*) FROM used_codes")
            .fetch_one(rig.parts.hub.store().pool())
            .await
            .unwrap()
    });
    assert_eq!(taken, 1);
}

#[test]
fn a_code_serves_where_the_catalogue_takes_one_and_the_card_is_asked_for_elsewhere() {
    let mut rig = rig();
    let mut scanner = Scanner::start();
    scanner.deliver(&mut rig, |rig| {
        rig.app.view_model().devices.scanner == DeviceStatus::Ready
    });
    // The card screen offers the code while a scanner is ready.
    rig.tap("请轻触屏幕开始");
    rig.tap("自助申报");
    assert!(rig.shows("也可以打开政务服务 App 出示身份码（亮码），对准屏幕下方的扫码窗口"));
    let code = rig.parts.fresh_code("resident-moved").unwrap();
    show_code(&mut rig, &mut scanner, &code, "已通过身份码核验");
    rig.tap("继续办理");
    // 城乡居民医保参保登记 takes a code: the form opens.
    rig.tap("城乡居民医保参保登记");
    assert!(rig.shows("申报须知"));
    rig.tap("首页");
    // 居住证申领 does not: the card itself first, and it must be the holder's.
    rig.tap("自助申报");
    rig.tap("居住证申领");
    assert!(rig.shows("此项服务需要身份证原件，身份码不能代替"));
    // Another code here is not enough either.
    let another = rig.parts.fresh_code("resident-moved").unwrap();
    show_code(&mut rig, &mut scanner, &another, "请放置身份证原件");
    rig.tap("重新读卡");
    rig.parts.sim.place("resident").unwrap();
    rig.pump(|app| crate::common::shows(app, "这不是本次登录人的证件"));
    // The holder's own card in its place is read at once.
    rig.parts.sim.remove();
    rig.settle();
    rig.parts.sim.place("resident-moved").unwrap();
    rig.pump(|app| crate::common::shows(app, "居民身份证"));
    rig.tap("继续办理");
    assert!(
        rig.shows("申报须知"),
        "the holder's own card: the form opens"
    );
    rig.tap("首页");
    // Printing licences: the card is on the reader and is the holder's, so the documents open.
    rig.tap("证照打印");
    assert!(rig.shows("我的证照"));
}

#[test]
fn printing_after_a_code_sign_in_asks_for_the_card_itself() {
    let mut rig = rig();
    let mut scanner = Scanner::start();
    scanner.deliver(&mut rig, |rig| {
        rig.app.view_model().devices.scanner == DeviceStatus::Ready
    });
    let code = rig.parts.fresh_code("resident").unwrap();
    show_code(&mut rig, &mut scanner, &code, "已通过身份码核验");
    rig.tap("继续办理");
    rig.tap("证照打印");
    assert!(rig.shows("请放置证件"));
    assert!(rig.shows("此项服务需要身份证原件，身份码不能代替"));
    // A code held up here is refused: printing needs the card.
    let again = rig.parts.fresh_code("resident").unwrap();
    show_code(&mut rig, &mut scanner, &again, "请放置身份证原件");
    rig.tap("重新读卡");
    rig.parts.sim.place("resident").unwrap();
    rig.pump(|app| crate::common::shows(app, "居民身份证"));
    assert!(rig.shows("请将证件留在读卡区，办理完成后再取走。"));
    rig.tap("继续办理");
    assert!(rig.shows("打印预览"), "the holder's licence");
}

/// The text of the QR on the phone's page, read from Chromium's screenshot by a real QR decoder.
fn code_on_page(phone: &mut super::console_browser::Browser, dir: &std::path::Path) -> String {
    let path = dir.join("page.png");
    phone.cmd(serde_json::json!({"do": "shot", "path": path}));
    let picture = image::open(&path).unwrap().to_luma8();
    let (width, height) = picture.dimensions();
    let mut prepared =
        rqrr::PreparedImage::prepare_from_greyscale(width as usize, height as usize, |x, y| {
            picture.get_pixel(x as u32, y as u32)[0]
        });
    let grids = prepared.detect_grids();
    assert_eq!(grids.len(), 1, "one QR code on the page");
    grids[0].decode().unwrap().1
}

#[test]
fn the_phone_page_in_chromium_shows_a_code_that_signs_its_holder_in_once() {
    use serde_json::json;
    let mut rig = rig();
    let mut scanner = Scanner::start();
    scanner.deliver(&mut rig, |rig| {
        rig.app.view_model().devices.scanner == DeviceStatus::Ready
    });
    let page = rig.parts.phone("resident-moved").unwrap().to_string();
    let hub = rig.config.hub.url.clone();
    let path = page.strip_prefix(&hub).unwrap().to_string();
    let dir = tempfile::tempdir().unwrap();

    let mut phone = super::console_browser::Browser::start(&hub);
    phone.cmd(json!({"do": "viewport", "width": 390, "height": 844}));
    phone.cmd(json!({"do": "goto", "path": path}));
    phone.wait("#box:not([hidden])");
    // The holder, masked; the seconds the code has left.
    assert_eq!(phone.text("#holder"), "王**　3205**********1530");
    assert!(phone.text("#left").contains("秒后自动刷新"));
    phone.shot("id-code");
    let first = code_on_page(&mut phone, dir.path());
    assert!(first.starts_with("ZWID1."), "{first}");

    // Held to the terminal's scanner: the holder is signed in.
    let took = show_code(&mut rig, &mut scanner, &first, "已通过身份码核验");
    eprintln!("the phone page's code shown → its holder signed in: {took:?}");
    assert_eq!(rig.app.session().identity().unwrap().id_number, MOVED);
    rig.tap("继续办理");
    rig.tap("结束办理");

    // A new code on the phone is another code; the first, shown again, is refused.
    phone.click("#again");
    phone.cmd(json!({"do": "wait", "sel": format!("#qr:not([data-issued=\"{}\"])", issued_of(&first)), "state": "attached"}));
    let second = code_on_page(&mut phone, dir.path());
    assert_ne!(second, first);
    show_code(&mut rig, &mut scanner, &first, "身份码已使用过");
    rig.tap("重新扫码");
    show_code(&mut rig, &mut scanner, &second, "已通过身份码核验");

    // A link that names no account says so.
    phone.cmd(json!({"do": "goto", "path": format!("/id/{}", "0".repeat(32))}));
    phone.wait("#state.bad");
    assert!(phone.text("#state").contains("找不到此账户"));
    phone.shot("id-unknown");
}

/// The `iat` a code carries (as the page marks its picture with it).
fn issued_of(code: &str) -> i64 {
    let payload = code.split('.').nth(1).unwrap();
    let json =
        base64::Engine::decode(&base64::engine::general_purpose::URL_SAFE_NO_PAD, payload).unwrap();
    serde_json::from_slice::<serde_json::Value>(&json).unwrap()["iat"]
        .as_i64()
        .unwrap()
}

#[test]
fn the_demo_panels_scanner_holds_a_residents_fresh_code_then_the_same_again() {
    use kiosk::ui::demo::{DemoScanner, ScanAction};
    let mut rig = rig();
    let sim = ScannerSim::pty().unwrap();
    let (tx, events) = mpsc::channel();
    let _thread = ScannerThread::spawn(
        ScannerSettings {
            port: sim.path().to_string(),
            baud: 9600,
            quiet: Duration::from_millis(200),
        },
        move |event| tx.send(event).is_ok(),
    );
    let receipt = rig
        .parts
        .newest_case()
        .map(|case| format!("https://zwfw.suzhou.gov.cn/progress?case={case}"));
    let panel = DemoScanner::new(sim, rig.parts.phones.clone(), receipt);
    let deliver = |rig: &mut Rig, until: &dyn Fn(&Rig) -> bool| {
        let deadline = Instant::now() + Duration::from_secs(10);
        while !until(rig) {
            let event = events
                .recv_timeout(deadline.saturating_duration_since(Instant::now()))
                .expect("the scanner's events keep coming");
            let task = rig.app.update(Message::Scanner(event));
            crate::common::run(&mut rig.app, task);
        }
    };
    deliver(&mut rig, &|rig| {
        rig.app.view_model().devices.scanner == DeviceStatus::Ready
    });
    // Every valid resident demo card's holder has a phone page; the expired card's has none.
    let labels: Vec<&str> = rig.parts.phones.iter().map(|(l, _)| l.as_str()).collect();
    assert_eq!(labels, ["resident", "resident-moved"]);
    panel.act(&ScanAction::Code("resident".into())).unwrap();
    deliver(&mut rig, &|rig| rig.shows("已通过身份码核验"));
    rig.tap("继续办理");
    rig.tap("结束办理");
    panel.act(&ScanAction::Again).unwrap();
    deliver(&mut rig, &|rig| rig.shows("身份码已使用过"));
    rig.tap("首页");
    panel.act(&ScanAction::Receipt).unwrap();
    deliver(&mut rig, &|rig| {
        rig.shows("已从回执读取办件编号，请输入申请人身份证号后6位")
    });
    panel.act(&ScanAction::Garbage).unwrap();
    deliver(&mut rig, &|rig| {
        rig.shows("没有扫清楚，请把回执上的二维码对准扫码窗口，再扫一次")
    });
    panel.act(&ScanAction::Unplug).unwrap();
    deliver(&mut rig, &|rig| {
        rig.app.view_model().devices.scanner != DeviceStatus::Ready
    });
}
