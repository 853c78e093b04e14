//! The staff console in a real headless Chromium (Debian's, driven by Playwright through
//! `tests/console/driver.mjs`) against a real hub on loopback and a headless terminal: request → accept →
//! consent → the mirror follows the terminal → point → message → control request → grant → remote
//! navigation → the citizen ends it. A screenshot of the console at each step is kept in
//! `target/console-shots/`. Needs `node`, `npm ci --prefix tests/console` and `/usr/bin/chromium` (`.ci/run`
//! installs them).

use crate::common;

use std::io::{BufRead, BufReader, Write};
use std::path::PathBuf;
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use common::pump_link;
use common::rig::{rig, Rig};
use kiosk::assist::Phase;
use serde_json::{json, Value};

pub(crate) struct Browser {
    child: Child,
    stdin: ChildStdin,
    stdout: BufReader<ChildStdout>,
    shots: PathBuf,
    step: u32,
}

impl Browser {
    pub(crate) fn start(hub: &str) -> Browser {
        let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/console");
        assert!(
            dir.join("node_modules/playwright-core").exists(),
            "playwright-core is missing: run `npm ci --prefix tests/console`"
        );
        let mut child = Command::new("node")
            .arg(dir.join("driver.mjs"))
            .env("HUB", hub)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("node runs the Playwright driver");
        let shots = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/console-shots");
        std::fs::create_dir_all(&shots).unwrap();
        Browser {
            stdin: child.stdin.take().unwrap(),
            stdout: BufReader::new(child.stdout.take().unwrap()),
            child,
            shots,
            step: 0,
        }
    }

    pub(crate) fn cmd(&mut self, command: Value) -> Value {
        writeln!(self.stdin, "{command}").unwrap();
        let mut line = String::new();
        self.stdout.read_line(&mut line).unwrap();
        let answer: Value = serde_json::from_str(&line)
            .unwrap_or_else(|_| panic!("the driver said {line:?} to {command}"));
        assert_eq!(answer["ok"], true, "{command}: {}", answer["error"]);
        answer["value"].clone()
    }

    pub(crate) fn click(&mut self, selector: &str) {
        self.cmd(json!({"do": "click", "sel": selector}));
    }

    pub(crate) fn wait(&mut self, selector: &str) {
        self.cmd(json!({"do": "wait", "sel": selector}));
    }

    /// The text of the first element `selector` finds.
    pub(crate) fn text(&mut self, selector: &str) -> String {
        self.cmd(json!({"do": "text", "sel": selector}))
            .as_str()
            .unwrap_or_default()
            .to_string()
    }

    /// A full-page screenshot, numbered in order; the page has broken no rule of its
    /// Content-Security-Policy so far (nothing it drew was blocked).
    pub(crate) fn shot(&mut self, name: &str) {
        self.step += 1;
        let path = self.shots.join(format!("{:02}-{name}.png", self.step));
        self.cmd(json!({"do": "shot", "path": path}));
        let blocked = self.cmd(json!({"do": "violations"}));
        assert_eq!(
            blocked,
            json!([]),
            "the console broke its Content-Security-Policy"
        );
    }

    fn frame(&mut self) -> u64 {
        self.cmd(json!({"do": "eval", "js": "Number(document.body.dataset.frame || -1)"}))
            .as_i64()
            .unwrap_or(-1)
            .max(-1) as u64
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = writeln!(self.stdin, "{}", json!({"do": "close"}));
        let _ = self.child.wait();
    }
}

fn pump(rig: &mut Rig, what: &str, until: impl Fn(&kiosk::ui::App) -> bool) {
    assert!(
        pump_link(&mut rig.app, until, Duration::from_secs(10)),
        "the terminal never got to: {what}"
    );
}

fn now_ms() -> f64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs_f64()
        * 1000.0
}

impl Browser {
    /// Logs out, and waits for the console to load again at its login form.
    pub(crate) fn log_out(&mut self) {
        self.cmd(json!({"do": "click_and_load", "sel": "#logout"}));
        self.wait("#login-form");
    }

    /// Logs in to the console as `username` (password `correct horse`).
    pub(crate) fn log_in(&mut self, username: &str) {
        self.wait("#login-form");
        self.cmd(json!({"do": "fill", "sel": "#username", "text": username}));
        self.cmd(json!({"do": "fill", "sel": "#password", "text": "correct horse"}));
        self.click("#login-form button[type=submit]");
    }
}

/// The citizen calls from the start screen; the request shows in the queue; staff accept it; the terminal
/// asks the citizen to allow viewing.
fn called_and_accepted(rig: &mut Rig, browser: &mut Browser) {
    rig.tap("请轻触屏幕开始");
    rig.tap("呼叫工作人员");
    pump(rig, "queued", |app| app.assist_session().is_some());
    browser.wait("#queue li button.accept");
    browser.shot("queue");
    browser.click("#queue li button.accept");
    browser.wait("body[data-phase=awaiting_consent]");
    pump(rig, "asked to allow viewing", |app| {
        app.view_model().assist.phase == Phase::AskView
    });
    browser.shot("awaiting-consent");
}

/// Staff ask to operate; the citizen allows it.
fn control_granted(rig: &mut Rig, browser: &mut Browser) {
    browser.click("#ask-control");
    pump(rig, "asked to allow control", |app| {
        app.view_model().assist.phase == Phase::AskControl
    });
    browser.wait("body[data-phase=awaiting_control]");
    rig.tap("允许操作");
    browser.wait("body[data-phase=control]");
    browser.shot("control");
}

#[test]
fn staff_guide_a_citizen_from_the_console_in_a_real_browser() {
    let mut rig = rig();
    let hub = rig.config.hub.url.clone();
    rig.add_staff();
    let mut browser = Browser::start(&hub);

    // Log in.
    browser.cmd(json!({"do": "goto", "path": "/console"}));
    browser.wait("#login-form");
    browser.shot("login");
    browser.log_in("zhangli");
    browser.wait("#queue-empty");
    let who = browser.cmd(json!({"do": "text", "sel": "#who"}));
    assert!(who.as_str().unwrap_or_default().contains("张丽"), "{who}");

    // The citizen calls; the request shows in the queue.
    called_and_accepted(&mut rig, &mut browser);
    assert_eq!(browser.frame(), u64::MAX, "no mirror before consent");

    // Consent: the mirror appears.
    rig.tap("允许查看");
    browser.wait("body[data-phase=viewing]");
    browser.wait("#mirror .item");
    browser.shot("viewing");

    // The mirror follows the terminal. Two figures: from the citizen's tap to the page drawing the new
    // frame (in a debug build most of it is the terminal drawing its picture: `cargo bench --bench assist`
    // measures that in a release build), and from the terminal having handled the tap (the frame is on its
    // way) to the page drawing it: the relay and the console, which must stay under 200 ms.
    let (mut whole, mut relay) = (Vec::new(), Vec::new());
    for toggle in ["English", "中文", "大字版", "标准版", "English", "中文"] {
        let before = browser.frame();
        let tapped = now_ms();
        rig.tap(toggle);
        let handled = now_ms();
        let shown = browser.cmd(json!({"do": "frame", "after": before}));
        let at = shown["at"].as_f64().unwrap();
        whole.push(at - tapped);
        relay.push(at - handled);
    }
    let median = |v: &mut Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    let (whole_median, relay_median) = (median(&mut whole), median(&mut relay));
    println!("mirror latency, tap to page, ms: {whole:.1?} (median {whole_median:.1})");
    println!("mirror latency, sent to page, ms: {relay:.1?} (median {relay_median:.1})");
    assert!(
        relay_median < 200.0,
        "the mirror reaches the console within 200 ms: {relay:?}"
    );

    // Point: a ring around 证照打印 on the terminal.
    browser.click("#mirror .item:text-is('证照打印')");
    pump(&mut rig, "the ring", |app| {
        app.view_model().assist.pointed.is_some()
    });
    browser.shot("pointed");

    // A message.
    browser.cmd(json!({"do": "fill", "sel": "#say", "text": "请点“办件查询”"}));
    browser.click("#say-form button[type=submit]");
    pump(&mut rig, "the message", |app| {
        app.view_model().assist.message.as_deref() == Some("请点“办件查询”")
    });
    browser.wait("#mirror .item:text-is('请点“办件查询”')");
    browser.shot("message");

    // Control, asked and granted.
    control_granted(&mut rig, &mut browser);

    // Remote navigation: staff tap 办件查询 in the mirror; the terminal opens it.
    browser.click("#mode-tap");
    browser.click("#mirror .item:text-is('办件查询')");
    pump(&mut rig, "the progress screen", |app| {
        app.view_model().screen.name() == "progress"
    });
    browser.wait("body[data-screen=progress]");
    browser.shot("remote-navigation");

    // The citizen ends it.
    rig.tap("结束协助");
    browser.wait("#log li:has-text('市民结束了协助')");
    browser.cmd(json!({"do": "wait", "sel": "#session-pane[hidden]", "state": "attached"}));
    browser.shot("ended");
    // The console in English too.
    browser.click("#lang");
    browser.wait("#log-title:text-is('Log')");
    browser.shot("ended-english");
}

/// 帮办代办 in the browser: with the citizen's consent to control, the guide fills 居住类型 (not personal)
/// by tapping in the mirror; the personal values are grey boxes; typing into the address is refused, and
/// the page says why.
#[test]
fn a_guide_fills_a_field_that_is_not_personal_from_the_browser_and_never_a_personal_one() {
    let mut rig = rig();
    let hub = rig.config.hub.url.clone();
    rig.add_staff();
    let mut browser = Browser::start(&hub);
    browser.cmd(json!({"do": "goto", "path": "/console"}));
    browser.log_in("zhangli");
    browser.wait("#queue-empty");
    called_and_accepted(&mut rig, &mut browser);
    rig.tap("允许查看");
    rig.tap("自助申报");
    rig.place("resident-moved");
    rig.tap("继续办理");
    rig.tap("居住证申领");
    rig.tap("我已阅读，同意并开始");
    browser.wait("body[data-screen=apply]");
    control_granted(&mut rig, &mut browser);

    // The guide taps 居住类型, then 稳定就业, in the mirror.
    browser.click("#mode-tap");
    browser.click("#mirror .item:text-is('居住类型 · 必填')");
    pump(&mut rig, "the choices open", |app| {
        matches!(&app.view_model().screen, kiosk::ui::app::Screen::Apply(s)
            if s.target == Some(kiosk::ui::screen::apply::Target::Field(3)))
    });
    browser.wait("#mirror .item:text-is('稳定就业')");
    browser.click("#mirror .item:text-is('稳定就业')");
    pump(&mut rig, "the choice made", |app| {
        matches!(&app.view_model().screen, kiosk::ui::app::Screen::Apply(s)
            if s.draft().is_some_and(|d| d.filled_by("basis") == Some("张丽 0123")))
    });
    browser.wait("#mirror .item:text-is('居住类型 · 工作人员代填，请核对')");
    let shown = browser.cmd(json!({"do": "text", "sel": "#mirror"}));
    let shown = shown.as_str().unwrap_or_default();
    assert!(shown.contains("稳定就业"), "{shown}");
    assert!(
        !shown.contains("王建国") && !shown.contains("1530"),
        "{shown}"
    );
    let boxes = browser.cmd(json!({"do": "eval",
        "js": "document.querySelectorAll('#mirror .item.masked').length"}));
    assert!(
        boxes.as_i64().unwrap_or(0) >= 2,
        "the personal values are boxes: {boxes}"
    );
    browser.shot("assisted-form");

    // The address is personal: typed into, it is refused, and the page says why.
    rig.tap("现居住地址 · 必填");
    browser.wait("#type-form");
    browser.cmd(json!({"do": "fill", "sel": "#type", "text": "苏州工业园区"}));
    browser.click("#type-form button[type=submit]");
    // The terminal takes the typing in and refuses it.
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    while browser
        .cmd(json!({"do": "eval", "js": "document.querySelector('#log').textContent"}))
        .as_str()
        .is_none_or(|log| !log.contains("只能由市民本人输入"))
    {
        assert!(
            std::time::Instant::now() < deadline,
            "no refusal on the page"
        );
        pump_link(&mut rig.app, |_| false, Duration::from_millis(50));
    }
    let kiosk::ui::app::Screen::Apply(state) = &rig.app.view_model().screen else {
        panic!("not the application");
    };
    assert_eq!(state.draft().unwrap().value("address"), "");
    browser.shot("assisted-refused");
}
