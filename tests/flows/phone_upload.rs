//! 手机扫码上传 with Debian's headless Chromium as the citizen's phone: the terminal shows the QR code of a
//! one-time page on the hub (read here from the rendered screen by a real QR decoder), the phone's browser
//! opens it, a file that is not a photo is refused on the phone, a photo is sent and appears on the
//! terminal within a few ticks; "done" on the phone closes the page, and opening it again says it was used.
//! The application then goes in with the phone's photo, which the hub does not take twice.

use crate::common;

use std::time::{Duration, Instant};

use common::rig::rig;
use common::run;
use kiosk::sync::applications::Applications;
use kiosk::ui::app::Screen;
use kiosk::ui::Message;
use serde_json::json;

use super::console_browser::Browser;

/// The text of the QR code on the terminal's screen.
fn qr_on_screen(app: &kiosk::ui::App) -> String {
    let size = iced::Size::new(1080, 1920);
    let rgba = kiosk::ui::shot::render(app, size);
    let grey: Vec<u8> = rgba.chunks(4).map(|p| p[1]).collect();
    let mut image =
        rqrr::PreparedImage::prepare_from_greyscale(1080, 1920, |x, y| grey[y * 1080 + x]);
    let grids = image.detect_grids();
    assert_eq!(grids.len(), 1, "one QR code on the screen");
    grids[0].decode().unwrap().1
}

fn received(app: &kiosk::ui::App) -> usize {
    match &app.view_model().screen {
        Screen::Apply(state) => state.phone.as_ref().map(|p| p.received).unwrap_or(0),
        _ => 0,
    }
}

#[test]
fn a_photo_from_the_phone_in_chromium_reaches_the_terminal_and_the_page_is_used_once() {
    let mut rig = rig();
    let hub = rig.config.hub.url.clone();
    super::applications::start(&mut rig);
    super::applications::fill_form(&mut rig, "13912345678");
    rig.tap("手机上传");
    assert!(rig.shows("请用手机扫描二维码，拍照上传（10 分钟内有效，仅限本次）"));
    let url = qr_on_screen(&rig.app);
    let path = url.strip_prefix(&hub).expect("the page is on the hub");
    assert!(path.starts_with("/m/"), "{url}");

    // The phone: a real photo from the camera's pipeline, and a file that is not one.
    let dir = tempfile::tempdir().unwrap();
    let mut camera = kiosk::device::camera::sim::SimCamera::new(Default::default());
    let photo = kiosk::device::camera::capture(&mut camera).unwrap().jpeg;
    let photo_path = dir.path().join("photo.jpg");
    std::fs::write(&photo_path, &photo).unwrap();
    let notes = dir.path().join("notes.txt");
    std::fs::write(&notes, "not a photo").unwrap();
    let mut phone = Browser::start(&hub);
    phone.cmd(json!({"do": "viewport", "width": 390, "height": 844}));
    phone.cmd(json!({"do": "goto", "path": path}));
    phone.wait("#pick:not([hidden])");
    let what = phone.cmd(json!({"do": "text", "sel": "#what"}));
    assert!(what.as_str().unwrap().contains("近期免冠相片"), "{what}");
    phone.shot("phone-open");
    phone.cmd(json!({"do": "files", "sel": "#files", "paths": [notes]}));
    phone.wait("#sent li");
    let refused = phone.cmd(json!({"do": "text", "sel": "#sent li"}));
    assert!(
        refused.as_str().unwrap().contains("只接受 JPEG 或 PNG"),
        "{refused}"
    );
    phone.cmd(json!({"do": "files", "sel": "#files", "paths": [photo_path]}));
    phone.wait("#sent li[data-sent=yes]");
    phone.shot("phone-sent");

    // The terminal sees it within a few ticks.
    let started = Instant::now();
    while received(&rig.app) < 1 {
        assert!(started.elapsed() < Duration::from_secs(10), "never arrived");
        let task = rig.app.update(Message::Tick(iced::time::Instant::now()));
        run(&mut rig.app, task);
        std::thread::sleep(Duration::from_millis(100));
    }
    assert!(rig.shows("已收到手机上传 1 张"));
    assert!(rig.shows("已拍 1 页（需 1 页）"));

    // Done on the phone; the page, opened again, is used.
    phone.click("#done");
    phone.cmd(json!({"do": "wait", "sel": "#done[hidden]", "state": "attached"}));
    phone.shot("phone-done");
    phone.cmd(json!({"do": "reload"}));
    phone.wait("#state.bad");
    let used = phone.cmd(json!({"do": "text", "sel": "#state"}));
    assert!(used.as_str().unwrap().contains("已过期或已使用"), "{used}");
    phone.shot("phone-used");

    // The application goes in with the phone's photo, which the hub holds already.
    rig.tap("上传完成");
    rig.tap("下一步");
    let stroke = vec![(40.0, 120.0, 0), (140.0, 130.0, 80)];
    let task = rig
        .app
        .update(Message::Apply(kiosk::ui::screen::apply::Message::Stroke(
            stroke, 900.0,
        )));
    run(&mut rig.app, task);
    rig.tap("下一步");
    rig.tap("下一步");
    rig.tap("确认提交");
    assert!(rig.shows("请取走回执"));
    let jobs = rig.wait_for_jobs(1);
    assert!(jobs[0].lines.join("\n").contains("手机上传 1 页"));
    let store = Applications::open(&rig.config.terminal.database).unwrap();
    assert_eq!(
        store.sealed_bytes().unwrap(),
        0,
        "sent, with nothing left here"
    );
}
