//! The operators' page (运维) in a real headless Chromium against a real hub and a headless terminal whose
//! printer-status and heartbeat threads run as in the field (beating every 300 ms): alerts appear and clear
//! as the virtual printer runs out of paper and is refilled, a card left on the reader is raised with the
//! terminal's hall, and a terminal that stops beating is raised as silent. Screenshots in
//! `target/console-shots/`.

use crate::common;

use std::sync::mpsc;
use std::time::{Duration, Instant};

use common::rig::{rig, Rig};
use common::{run, screen};
use kiosk::device::printer::status::{Paper, PrinterState};
use kiosk::device::printer::watch::PrinterThread;
use kiosk::device::DeviceStatus;
use kiosk::sync::heartbeat::HubThread;
use kiosk::ui::Message;
use serde_json::json;

use super::console_browser::Browser;

/// The terminal's background as in the field: the printer watched and the hub beaten every 300 ms.
struct Field {
    printer: mpsc::Receiver<DeviceStatus>,
    _printer: PrinterThread,
    hub: Option<HubThread>,
}

fn field(rig: &Rig) -> Field {
    let (hub, printer) = rig.app.background_parts();
    let (mut settings, report) = hub.expect("the rig's terminal is enrolled");
    settings.interval = Duration::from_millis(300);
    let (tx, statuses) = mpsc::channel();
    let watch = PrinterThread::spawn(
        printer.expect("the rig has a printer"),
        Duration::from_millis(100),
        move |s| tx.send(s).is_ok(),
    );
    Field {
        printer: statuses,
        _printer: watch,
        hub: Some(HubThread::spawn(settings, report, |_| true)),
    }
}

impl Field {
    /// Hands the printer's reports to the terminal, as its subscription does.
    fn deliver(&self, rig: &mut Rig) {
        while let Ok(status) = self.printer.try_recv() {
            let task = rig.app.update(Message::Printer(status));
            run(&mut rig.app, task);
        }
    }
}

/// Waits until the operators' page, read again, shows (or no longer shows) `selector`, handing the
/// printer's reports to the terminal meanwhile.
fn fleet_shows(browser: &mut Browser, rig: &mut Rig, field: &Field, selector: &str, shown: bool) {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        field.deliver(rig);
        let js = format!(
            "window.fleetDesk.reload().then(() => !!document.querySelector({}))",
            json!(selector)
        );
        if browser.cmd(json!({"do": "eval", "js": js})) == json!(shown) {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "the page never {} {selector}",
            if shown { "showed" } else { "stopped showing" }
        );
        std::thread::sleep(Duration::from_millis(200));
    }
}

fn text(browser: &mut Browser, selector: &str) -> String {
    browser
        .cmd(json!({"do": "text", "sel": selector}))
        .as_str()
        .unwrap_or_default()
        .to_string()
}

#[test]
fn operators_see_alerts_appear_and_clear_as_paper_runs_out_a_card_is_left_and_a_terminal_goes_silent(
) {
    let mut rig = rig();
    let url = rig.config.hub.url.clone();
    let store = rig.parts.hub.store().clone();
    rig.parts
        .hub
        .block_on(async {
            kiosk_hub::staff::add(&store, "ops", "李运维", "0301", "correct horse").await?;
            kiosk_hub::staff::grant(&store, "ops", kiosk_hub::staff::Role::Operator, &[]).await
        })
        .unwrap();
    let mut field = field(&rig);
    let mut browser = Browser::start(&url);
    browser.cmd(json!({"do": "goto", "path": "/console"}));
    browser.log_in("ops");
    browser.wait("#fleet");
    let hall = rig
        .parts
        .hub
        .block_on(kiosk_hub::fleet::listing(&store, 0))
        .unwrap()[0]
        .hall
        .clone();
    fleet_shows(
        &mut browser,
        &mut rig,
        &field,
        "#halls tr[data-terminal] td.live.online",
        true,
    );
    fleet_shows(
        &mut browser,
        &mut rig,
        &field,
        "#alerts-empty:not([hidden])",
        true,
    );
    browser.shot("fleet-healthy");
    let summary = text(&mut browser, "#fleet-summary");
    assert!(summary.contains("在线 1"), "{summary}");

    // The paper runs out: the alert shows with its hall, when it started and what to do.
    rig.paper_out();
    fleet_shows(
        &mut browser,
        &mut rig,
        &field,
        "#alerts tr[data-kind=paper_out]",
        true,
    );
    let row = text(&mut browser, "#alerts tr[data-kind=paper_out]");
    assert!(
        row.contains("打印机缺纸") && row.contains("装入新纸卷"),
        "{row}"
    );
    assert!(row.contains(&hall), "the hall {hall:?} in {row}");
    assert!(row.contains("秒前"), "when it started: {row}");
    let cell = text(&mut browser, "#halls tr[data-terminal] td.bad");
    assert_eq!(cell, "故障：缺纸");
    browser.shot("fleet-paper-out");
    browser.click("#lang");
    let row = text(&mut browser, "#alerts tr[data-kind=paper_out]");
    assert!(
        row.contains("Printer out of paper") && row.contains("new roll"),
        "{row}"
    );
    browser.shot("fleet-paper-out-en");
    browser.click("#lang");

    // Refilled: it clears by itself.
    rig.parts.printer.set_state(PrinterState::HEALTHY);
    fleet_shows(
        &mut browser,
        &mut rig,
        &field,
        "#alerts tr[data-kind=paper_out]",
        false,
    );
    // Near the end: a warning, not critical.
    rig.parts.printer.set_state(PrinterState {
        paper: Paper::NearEnd,
        ..PrinterState::HEALTHY
    });
    fleet_shows(
        &mut browser,
        &mut rig,
        &field,
        "#alerts tr.warning[data-kind=paper_low]",
        true,
    );
    rig.parts.printer.set_state(PrinterState::HEALTHY);
    fleet_shows(
        &mut browser,
        &mut rig,
        &field,
        "#alerts-empty:not([hidden])",
        true,
    );

    // A card left on the reader when the session times out: raised to the hall's staff, cleared when taken.
    rig.tap("请轻触屏幕开始");
    rig.tap("证照打印");
    rig.place("resident");
    let task = rig
        .app
        .update(Message::Tick(Instant::now() + Duration::from_secs(3600)));
    run(&mut rig.app, task);
    assert_eq!(screen(&rig.app), "attract");
    fleet_shows(
        &mut browser,
        &mut rig,
        &field,
        "#alerts tr[data-kind=card_left]",
        true,
    );
    let row = text(&mut browser, "#alerts tr[data-kind=card_left]");
    assert!(
        row.contains("读卡区有遗留身份证") && row.contains(&hall) && row.contains("交服务台"),
        "{row}"
    );
    browser.shot("fleet-card-left");
    rig.parts.sim.remove();
    rig.pump(|app| !app.view_model().card_left);
    fleet_shows(
        &mut browser,
        &mut rig,
        &field,
        "#alerts tr[data-kind=card_left]",
        false,
    );

    // The terminal stops beating: three of its beats later it is silent, and offline in its hall.
    field.hub = None;
    fleet_shows(
        &mut browser,
        &mut rig,
        &field,
        "#alerts tr[data-kind=silent]",
        true,
    );
    fleet_shows(
        &mut browser,
        &mut rig,
        &field,
        "#halls td.live.offline",
        true,
    );
    let row = text(&mut browser, "#alerts tr[data-kind=silent]");
    assert!(
        row.contains("终端失联") && row.contains("检查终端电源和网络"),
        "{row}"
    );
    browser.shot("fleet-silent");
    // It comes back: the alert clears.
    field.hub = Some({
        let (hub, _) = rig.app.background_parts();
        let (mut settings, report) = hub.unwrap();
        settings.interval = Duration::from_millis(300);
        HubThread::spawn(settings, report, |_| true)
    });
    fleet_shows(
        &mut browser,
        &mut rig,
        &field,
        "#alerts tr[data-kind=silent]",
        false,
    );
}
