//! The citizen's flows through the real widgets, headless (iced_test with tiny-skia): each test clicks what
//! a person would tap and checks what they would see.

use crate::common;

use std::time::Duration;

use iced::time::Instant;

use common::{screen, shows, simulator, tap, terminal};
use kiosk::config::Config;
use kiosk::device::{DeviceBoard, DeviceStatus, Reason};
use kiosk::terminal::session::Identity;
use kiosk::ui::app::Screen;
use kiosk::ui::{App, Message, Startup};

/// A session on the guide's search page, keypad showing.
fn search_screen() -> App {
    let mut app = terminal();
    tap(&mut app, "请轻触屏幕开始");
    tap(&mut app, "办事指南");
    tap(&mut app, "搜索事项：拼音、首字母或英文");
    app
}

/// Taps each key label in turn.
fn type_keys(app: &mut App, keys: &[&str]) {
    for key in keys {
        tap(app, key);
    }
}

#[test]
fn attract_to_home_to_guide_search_by_pinyin_initials_to_page_and_back() {
    let mut app = terminal();
    assert_eq!(screen(&app), "attract");
    tap(&mut app, "请轻触屏幕开始");
    assert_eq!(screen(&app), "home");
    tap(&mut app, "办事指南");
    assert_eq!(screen(&app), "guide");
    tap(&mut app, "搜索事项：拼音、首字母或英文");
    type_keys(&mut app, &["Y", "Y", "Z", "Z"]);
    assert!(shows(&app, "yyzz|"), "the typed query shows");
    assert!(shows(&app, "找到 2 项"));
    tap(&mut app, "营业执照自助打印");
    assert!(
        shows(&app, "需要带的材料"),
        "the service page shows its materials"
    );
    assert!(shows(&app, "法定代表人居民身份证"));
    assert!(shows(&app, "用手机扫码，在网上办理"));
    tap(&mut app, "返回");
    assert!(shows(&app, "yyzz|"), "back returns to the same search");
    tap(&mut app, "返回");
    tap(&mut app, "返回");
    assert_eq!(screen(&app), "home");
}

#[test]
fn typing_a_syllable_offers_its_characters() {
    let mut app = search_screen();
    type_keys(&mut app, &["H", "U"]);
    // 护 is on the second page of Rime's candidates for "hu".
    tap(&mut app, "›");
    tap(&mut app, "护");
    assert!(shows(&app, "护|"));
    assert!(shows(&app, "普通护照签发"));
}

#[test]
fn english_search_finds_the_passport() {
    let mut app = terminal();
    tap(&mut app, "请轻触屏幕开始");
    tap(&mut app, "English");
    tap(&mut app, "Service guide");
    tap(&mut app, "Search: pinyin, initials or English");
    for key in "PASSPORT".chars() {
        tap(&mut app, &key.to_string());
    }
    assert!(shows(&app, "Passport application"));
    tap(&mut app, "Passport application");
    assert!(shows(&app, "What to bring"));
    assert!(shows(&app, "CNY 120 per passport"));
}

#[test]
fn language_switches_on_every_screen() {
    let mut app = terminal();
    // attract
    tap(&mut app, "English");
    assert!(shows(&app, "Touch the screen to start"));
    tap(&mut app, "中文");
    assert!(shows(&app, "请轻触屏幕开始"));
    // home
    tap(&mut app, "请轻触屏幕开始");
    tap(&mut app, "English");
    assert!(shows(&app, "Hello. What would you like to do?"));
    // guide: themes, theme, search, page
    tap(&mut app, "Service guide");
    assert!(shows(&app, "Browse by theme"));
    tap(&mut app, "中文");
    assert!(shows(&app, "按主题查找"));
    tap(&mut app, "企业开办");
    tap(&mut app, "English");
    assert!(shows(&app, "Company registration"));
    tap(&mut app, "Company registration");
    assert!(shows(&app, "Time limit by law"));
    tap(&mut app, "中文");
    assert!(shows(&app, "法定时限"));
    // out of service
    let broken = Config::parse("[ui]\nidle_seconds = 1\n", std::path::Path::new("k.toml"));
    let mut broken = App::new(Startup::new(broken, true));
    assert!(shows(&broken, "本机暂停服务"));
    tap(&mut broken, "English");
    assert!(shows(&broken, "This terminal is out of service"));
    assert!(shows(
        &broken,
        "k.toml:2:16: ui.idle_seconds: 1 is out of range; allowed: 15 to 900"
    ));
}

#[test]
fn elder_mode_makes_text_and_targets_larger_and_resets_with_the_session() {
    let mut app = terminal();
    tap(&mut app, "请轻触屏幕开始");
    let normal = simulator(&app).find("办事指南").unwrap().bounds();
    let normal_tile = simulator(&app).find("大字版").unwrap().bounds();
    tap(&mut app, "大字版");
    assert!(app.view_model().elder);
    let elder = simulator(&app).find("办事指南").unwrap().bounds();
    assert!(
        elder.height > normal.height * 1.2,
        "tile title {} px tall in elder mode vs {} px",
        elder.height,
        normal.height
    );
    assert!(
        shows(&app, "标准版"),
        "the button now offers the standard size"
    );
    let elder_toggle = simulator(&app).find("标准版").unwrap().bounds();
    assert!(elder_toggle.height > normal_tile.height);
    tap(&mut app, "结束办理");
    assert_eq!(screen(&app), "attract");
    assert!(!app.view_model().elder, "elder mode resets at session end");
}

#[test]
fn idle_countdown_then_wipe_returns_to_attract_with_nothing_personal_left() {
    let mut app = terminal();
    let t0 = Instant::now();
    tap(&mut app, "请轻触屏幕开始");
    tap(&mut app, "English");
    tap(&mut app, "Larger text");
    let mut identity = Identity::default();
    identity.name = "王小明".into();
    identity.id_number = "320501198001011234".into();
    identity.address = Some("江苏省苏州市姑苏区十全街 100 号".into());
    app.session_mut()
        .set_identity(identity, kiosk::terminal::session::Proof::Card);

    let _ = app.update(Message::Tick(t0 + Duration::from_secs(30)));
    assert_eq!(app.view_model().countdown, None);
    let _ = app.update(Message::Tick(t0 + Duration::from_secs(63)));
    let left = app
        .view_model()
        .countdown
        .expect("countdown shows after 60 s idle");
    assert!((11..=12).contains(&left), "{left} s left");
    assert!(shows(&app, "Are you still there?"));

    // Continue keeps the session.
    tap(&mut app, "Continue");
    assert_eq!(app.view_model().countdown, None);
    assert_eq!(screen(&app), "home");

    // Then nobody touches anything.
    let _ = app.update(Message::Tick(t0 + Duration::from_secs(63 + 61)));
    assert!(app.view_model().countdown.is_some());
    let _ = app.update(Message::Tick(t0 + Duration::from_secs(63 + 80)));
    assert_eq!(screen(&app), "attract");
    assert!(app.session().identity().is_none());
    assert_eq!(app.view_model().lang, kiosk::domain::Lang::Zh);
    assert!(!app.view_model().elder);
    let mirror = serde_json::to_string(app.view_model()).unwrap();
    for personal in ["王小明", "320501198001011234", "十全街"] {
        assert!(
            !mirror.contains(personal),
            "{personal} survived in {mirror}"
        );
    }
    assert!(shows(&app, "请轻触屏幕开始"));
}

#[test]
fn attract_screen_never_counts_down() {
    let mut app = terminal();
    let _ = app.update(Message::Tick(Instant::now() + Duration::from_secs(3600)));
    assert_eq!(screen(&app), "attract");
    assert_eq!(app.view_model().countdown, None);
}

#[test]
fn greyed_tile_says_why_and_cannot_be_opened() {
    let mut app = terminal();
    tap(&mut app, "请轻触屏幕开始");
    assert!(
        shows(&app, "正在启动，请稍候"),
        "the print tile says its reader is still starting"
    );
    assert!(
        shows(&app, "本机未连接政务服务平台"),
        "the progress and ticket tiles say this terminal has no hub"
    );
    tap(&mut app, "取号");
    assert_eq!(screen(&app), "home", "a greyed tile does nothing");

    app.set_devices(DeviceBoard {
        reader: DeviceStatus::Ready,
        printer: DeviceStatus::Fault(Reason::PaperOut),
        hub: DeviceStatus::Ready,
        camera: DeviceStatus::Ready,
        scanner: DeviceStatus::Disabled(Reason::NotConfigured),
    });
    tap(&mut app, "English");
    assert!(shows(
        &app,
        "The printer is out of paper. Please ask a member of staff."
    ));
    // With the hub up, progress opens; the ticket tile still waits for paper.
    tap(&mut app, "Queue ticket");
    assert_eq!(screen(&app), "home", "no paper, no ticket");
    tap(&mut app, "Check progress");
    assert_eq!(screen(&app), "progress");
}

#[test]
fn search_that_finds_nothing_says_so() {
    let mut app = search_screen();
    type_keys(&mut app, &["Q", "Q", "Q"]);
    assert!(shows(&app, "没有找到相关事项，换个说法试试"));
    tap(&mut app, "清空");
    assert!(shows(&app, "用下面的键盘输入，例如 yyzz（营业执照）"));
}

#[test]
fn home_button_returns_home_from_deep_in_the_guide() {
    let mut app = terminal();
    tap(&mut app, "请轻触屏幕开始");
    tap(&mut app, "办事指南");
    tap(&mut app, "户籍");
    tap(&mut app, "户籍证明开具");
    tap(&mut app, "首页");
    assert!(matches!(app.view_model().screen, Screen::Home));
}

#[test]
fn announcements_rotate_on_the_attract_screen_but_not_in_elder_mode() {
    let announcement = |app: &App| match &app.view_model().screen {
        Screen::Attract(state) => state.announcement,
        _ => panic!("not on the attract screen"),
    };
    let mut app = terminal();
    let t0 = Instant::now();
    let _ = app.update(Message::Tick(t0 + Duration::from_secs(9)));
    assert_eq!(announcement(&app), 1);
    tap(&mut app, "大字版");
    let _ = app.update(Message::Tick(t0 + Duration::from_secs(30)));
    assert_eq!(announcement(&app), 1, "no carousel in elder mode");
}
