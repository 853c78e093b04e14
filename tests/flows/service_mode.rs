//! The technicians' service mode through the real widgets (iced_test, tiny-skia), on a terminal with every
//! part real (hub, reader simulator on a pty, virtual printer over TCP, SQLite): the hidden corner and the
//! PIN, the lockout, settings written back to kiosk.toml, the diagnostics with faults injected into the
//! simulators, and the out-of-service switch. Every step is checked in the audit too.

use std::time::Duration;

use iced::time::Instant;

use crate::common::rig::{rig, Rig, PIN};
use crate::common::{run, screen};
use kiosk::device::printer::status::{Paper, PrinterState};
use kiosk::ui::app::Screen;
use kiosk::ui::screen::maintenance::{Field, Message as S, State, TestPrint, TestRead};
use kiosk::ui::{App, Bar, Message, Startup};

/// Holds the hidden corner for `held` (the terminal's 1-second tick sees it).
pub(crate) fn hold_corner(app: &mut App, held: Duration) {
    let _ = app.update(Message::Corner(true));
    let pressed = Instant::now();
    let _ = app.update(Message::Tick(pressed + held));
    let _ = app.update(Message::Corner(false));
}

pub(crate) fn type_pin(rig: &mut Rig, pin: &str) {
    for digit in pin.chars() {
        rig.tap(&digit.to_string());
    }
    rig.tap("确定");
}

/// A technician's terminal, in service mode's diagnostics.
fn in_service() -> (Rig, std::path::PathBuf) {
    let mut rig = rig();
    let path = rig.restart_from_file();
    hold_corner(&mut rig.app, Duration::from_secs(3));
    type_pin(&mut rig, PIN);
    assert!(rig.shows("设备诊断"), "service mode opens on diagnostics");
    (rig, path)
}

fn actions(rig: &Rig) -> Vec<String> {
    rig.service_audit().into_iter().map(|(a, _)| a).collect()
}

fn panel(app: &App) -> &kiosk::ui::screen::maintenance::Panel {
    match &app.view_model().screen {
        Screen::Maintenance(State::Panel(panel)) => panel,
        other => panic!("not the service panel: {}", other.name()),
    }
}

/// Delivers the reader's events until the test read has an outcome.
fn pump_test_read(rig: &mut Rig) -> TestRead {
    rig.pump(|app| !matches!(panel(app).test_read, Some(TestRead::Waiting)));
    panel(&rig.app).test_read.clone().unwrap()
}

#[test]
fn a_long_press_in_the_corner_then_the_pin_opens_service_mode() {
    let mut rig = rig();
    rig.restart_from_file();
    // A short press is a citizen's touch like anywhere else on the start screen.
    hold_corner(&mut rig.app, Duration::from_millis(800));
    assert_eq!(screen(&rig.app), "home");
    let _ = rig.app.update(Message::Bar(Bar::Finish));
    assert_eq!(screen(&rig.app), "attract");
    hold_corner(&mut rig.app, Duration::from_secs(3));
    assert!(rig.shows("请输入维护密码"));
    // What is typed shows only as dots.
    for digit in PIN.chars() {
        rig.tap(&digit.to_string());
    }
    assert!(rig.shows("●●●●●●"));
    let mirrored = serde_json::to_string(rig.app.view_model()).unwrap();
    assert!(
        !mirrored.contains(PIN),
        "the PIN is never in the view model"
    );
    rig.tap("确定");
    assert!(rig.shows("维护模式"));
    assert!(rig.shows("设备诊断"));
    // The checks ran on their thread: the hub answers the terminal's credential.
    let checks = panel(&rig.app).checks.clone().expect("the checks ran");
    let hub = checks.iter().find(|c| c.name == "hub").unwrap();
    assert!(hub.detail.contains("answers in"), "{hub:?}");
    rig.tap("退出维护");
    assert_eq!(screen(&rig.app), "attract");
    assert_eq!(actions(&rig), ["pin_ok", "exit"]);
    // The audit reaches the hub with the terminal's other records.
    assert!(rig.hub_has("service", "pin_ok"));
}

#[test]
fn five_wrong_pins_lock_the_entry_for_five_minutes_and_every_try_is_audited() {
    let mut rig = rig();
    let path = rig.restart_from_file();
    hold_corner(&mut rig.app, Duration::from_secs(3));
    for left in (1..=4).rev() {
        type_pin(&mut rig, "111111");
        assert!(rig.shows(&format!("密码错误，还可尝试 {left} 次")));
    }
    type_pin(&mut rig, "111111");
    assert!(rig.shows("错误次数过多，已锁定。请 5 分钟后再试。"));
    // Locked: even the right PIN is not taken.
    type_pin(&mut rig, PIN);
    assert!(rig.shows("错误次数过多，已锁定。请 5 分钟后再试。"));
    assert_eq!(screen(&rig.app), "service");

    // Switching the terminal off and on does not lift the lock.
    let mut startup = Startup::new(Ok(rig.config.clone()), true);
    startup.config_path = Some(path);
    rig.app = App::new(startup);
    hold_corner(&mut rig.app, Duration::from_secs(3));
    assert!(rig.shows("错误次数过多，已锁定。请 5 分钟后再试。"));
    let now = chrono::Local::now().naive_local();

    // Five minutes on, the right PIN opens.
    rig.app
        .set_clock(now + chrono::TimeDelta::minutes(5) + chrono::TimeDelta::seconds(5));
    type_pin(&mut rig, PIN);
    assert!(rig.shows("设备诊断"));
    let audit = rig.service_audit();
    let actions: Vec<&str> = audit.iter().map(|(a, _)| a.as_str()).collect();
    assert_eq!(
        actions,
        [
            "pin_wrong",
            "pin_wrong",
            "pin_wrong",
            "pin_wrong",
            "pin_locked",
            "pin_locked",
            "pin_ok"
        ]
    );
    assert_eq!(audit[3].1["tries_left"], 1);
    assert_eq!(audit[4].1["minutes"], 5);
}

#[test]
fn a_settings_change_rewrites_kiosk_toml_keeping_a_backup_and_applies_at_once() {
    let (mut rig, path) = in_service();
    let before = std::fs::read_to_string(&path).unwrap();
    rig.tap("参数设置");
    rig.tap("+");
    rig.tap("+");
    let _ = rig.app.update(Message::Maintenance(S::Text(
        Field::HallZh,
        "吴江区政务服务中心".into(),
    )));
    rig.tap("保存设置");
    let backup = kiosk::maintenance::settings::backup_path(&path);
    assert!(rig.shows(&format!(
        "已保存 2 项更改；原配置文件备份为 {}",
        backup.display()
    )));
    let after = std::fs::read_to_string(&path).unwrap();
    assert!(after.contains("idle_seconds = 70\n"), "{after}");
    assert!(after.contains("hall_name_zh = \"吴江区政务服务中心\""));
    assert!(after.contains("# Seconds without a touch"), "comments stay");
    assert_eq!(std::fs::read_to_string(&backup).unwrap(), before);
    // Applied without a restart.
    assert_eq!(rig.app.title(), "吴江区政务服务中心");

    // A value the configuration refuses is not written, and says why.
    let _ = rig.app.update(Message::Maintenance(S::Text(
        Field::HubUrl,
        "ftp://hub".into(),
    )));
    rig.tap("保存设置");
    assert!(matches!(
        &panel(&rig.app).saved,
        Some(kiosk::ui::screen::maintenance::SaveNote::Failed(why)) if why.contains("hub.url: must start with http://")
    ));
    assert_eq!(std::fs::read_to_string(&path).unwrap(), after);

    let audit = rig.service_audit();
    let settings: Vec<&serde_json::Value> = audit
        .iter()
        .filter(|(a, _)| a == "setting")
        .map(|(_, d)| d)
        .collect();
    assert_eq!(settings.len(), 2);
    assert_eq!(settings[0]["key"], "terminal.hall_name_zh");
    assert_eq!(settings[1]["key"], "ui.idle_seconds");
    assert_eq!(settings[1]["from"], "60");
    assert_eq!(settings[1]["to"], "70");
}

#[test]
fn diagnostics_test_read_and_print_against_the_simulators_with_faults_injected() {
    let (mut rig, _) = in_service();
    // A card placed for the test read is read, and signs no one in.
    rig.tap("测试读卡");
    assert!(rig.shows("请在阅读器上放一张身份证…"));
    rig.parts.sim.place("resident").unwrap();
    let read = pump_test_read(&mut rig);
    assert!(
        matches!(&read, TestRead::Ok(what) if what.starts_with("Resident")),
        "{read:?}"
    );
    assert!(rig.app.session().identity().is_none());
    assert_eq!(screen(&rig.app), "service");
    rig.parts.sim.remove();
    rig.settle();

    // A read that fails on the wire says why.
    rig.parts
        .sim
        .inject(kiosk::device::reader::sim::Injection::parse("sw3=41@read").unwrap());
    rig.tap("测试读卡");
    rig.parts.sim.place("resident").unwrap();
    let read = pump_test_read(&mut rig);
    assert!(matches!(&read, TestRead::Failed(_)), "{read:?}");
    rig.parts.sim.remove();

    // The test page prints on the virtual printer.
    rig.tap("打印测试页");
    assert_eq!(panel(&rig.app).test_print, Some(TestPrint::Printed));
    assert!(rig.shows("测试页已打印"));
    rig.wait_for_jobs(1);

    // Out of paper: the test page is refused, and the printer shows the fault.
    rig.parts.printer.set_state(PrinterState {
        paper: Paper::Out,
        ..PrinterState::HEALTHY
    });
    rig.tap("打印测试页");
    assert!(rig.shows("测试页未打印：fault: paper out"));
    let _ = rig.app.update(Message::Tick(Instant::now()));
    assert!(rig.shows("故障：缺纸"));

    // The hub gone (its address changed to a closed port): the check fails with its fix.
    let _ = rig.app.update(Message::Maintenance(S::Text(
        Field::HubUrl,
        "http://127.0.0.1:9".into(),
    )));
    rig.tap("参数设置");
    rig.tap("保存设置");
    rig.tap("设备诊断");
    let checks = panel(&rig.app).checks.clone().unwrap();
    let hub = checks.iter().find(|c| c.name == "hub").unwrap();
    assert_eq!(hub.level, kiosk::maintenance::doctor::Level::Fail);
    assert!(hub.fix.as_deref().unwrap().contains("network"), "{hub:?}");
    assert!(rig.shows("故障"));
    let actions = actions(&rig);
    assert!(actions.contains(&"test_read".to_string()));
    assert!(actions.contains(&"test_print".to_string()));
}

#[test]
fn the_out_of_service_switch_shows_citizens_its_message_and_survives_a_restart() {
    let (mut rig, path) = in_service();
    rig.tap("服务状态");
    assert!(rig.shows("本机正常服务中"));
    let _ = rig.app.update(Message::Maintenance(S::Text(
        Field::OosZh,
        "打印机维修中，请到 3 号窗口办理".into(),
    )));
    rig.tap("暂停服务");
    assert!(rig.shows("本机现在暂停服务"));
    rig.tap("退出维护");
    assert_eq!(screen(&rig.app), "out-of-service");
    assert!(rig.shows("打印机维修中，请到 3 号窗口办理"));
    // A card placed starts nothing.
    rig.parts.sim.place("resident").unwrap();
    rig.settle();
    assert_eq!(screen(&rig.app), "out-of-service");
    assert!(rig.app.view_model().session.is_none());
    rig.parts.sim.remove();
    rig.settle();

    // Switched off and on: still out of service, with the same message.
    let mut startup = Startup::new(Ok(rig.config.clone()), true);
    startup.config_path = Some(path);
    rig.app = App::new(startup);
    assert!(rig.shows("打印机维修中，请到 3 号窗口办理"));

    // The technician comes back through the same corner, and puts it back in service.
    hold_corner(&mut rig.app, Duration::from_secs(3));
    type_pin(&mut rig, PIN);
    rig.tap("服务状态");
    rig.tap("恢复服务");
    rig.tap("退出维护");
    assert_eq!(screen(&rig.app), "attract");
    let audit = rig.service_audit();
    let switches: Vec<bool> = audit
        .iter()
        .filter(|(a, _)| a == "out_of_service")
        .map(|(_, d)| d["on"].as_bool().unwrap())
        .collect();
    assert_eq!(switches, [true, false]);
}

#[test]
fn service_mode_left_untouched_closes_by_itself() {
    let (mut rig, _) = in_service();
    let task = rig
        .app
        .update(Message::Tick(Instant::now() + Duration::from_secs(400)));
    run(&mut rig.app, task);
    assert_eq!(screen(&rig.app), "attract");
    assert_eq!(actions(&rig).last().unwrap(), "exit");
    assert_eq!(rig.service_audit().last().unwrap().1["why"], "timeout");
}

#[test]
fn a_broken_configuration_can_be_mended_in_service_mode() {
    let mut rig = rig();
    let path = rig.restart_from_file();
    // A baud rate the reader cannot use: the terminal starts out of service, saying where.
    let text = std::fs::read_to_string(&path)
        .unwrap()
        .replace("baud = 115200", "baud = 12345");
    std::fs::write(&path, text).unwrap();
    let config = kiosk::config::Config::load(&path);
    assert!(config.is_err());
    let mut startup = Startup::new(config, true);
    startup.config_path = Some(path.clone());
    rig.app = App::new(startup);
    assert_eq!(screen(&rig.app), "out-of-service");

    // The PIN in the broken file still opens service mode; leaving unmended goes back out of service.
    hold_corner(&mut rig.app, Duration::from_secs(3));
    type_pin(&mut rig, PIN);
    rig.tap("退出维护");
    assert_eq!(screen(&rig.app), "out-of-service");

    // Saving the form writes its values (the baud among them): the file checks, the terminal serves.
    hold_corner(&mut rig.app, Duration::from_secs(3));
    type_pin(&mut rig, PIN);
    rig.tap("参数设置");
    rig.tap("保存设置");
    assert!(
        matches!(
            &panel(&rig.app).saved,
            Some(kiosk::ui::screen::maintenance::SaveNote::Saved { .. })
        ),
        "{:?}",
        panel(&rig.app).saved
    );
    assert_eq!(
        kiosk::config::Config::load(&path).unwrap().reader.baud,
        115_200
    );
    rig.tap("退出维护");
    assert_eq!(screen(&rig.app), "attract");
    // Audited where the broken file said the terminal keeps its records.
    let actions = actions(&rig);
    assert_eq!(actions.first().unwrap(), "pin_ok");
    assert!(actions.contains(&"setting".to_string()), "{actions:?}");
}
