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
use kiosk::sync::heartbeat::{HubEvent, HubThread};
use kiosk::ui::Message;
use serde_json::json;

use super::console_browser::Browser;

/// The terminal's background as in the field: the printer watched and the hub beaten every 300 ms, what
/// they report handed to the terminal as its subscriptions hand it.
struct Field {
    printer: mpsc::Receiver<DeviceStatus>,
    _printer: PrinterThread,
    hub: Option<HubThread>,
    hub_events: mpsc::Receiver<HubEvent>,
    hub_sender: mpsc::Sender<HubEvent>,
}

fn beating(rig: &Rig, to: mpsc::Sender<HubEvent>) -> HubThread {
    let (hub, _) = rig.app.background_parts();
    let (mut settings, report) = hub.expect("the rig's terminal is enrolled");
    settings.interval = Duration::from_millis(300);
    HubThread::spawn_events(settings, report, move |e| to.send(e).is_ok())
}

fn field(rig: &Rig) -> Field {
    let (_, printer) = rig.app.background_parts();
    let (tx, statuses) = mpsc::channel();
    let watch = PrinterThread::spawn(
        printer.expect("the rig has a printer"),
        Duration::from_millis(100),
        move |s| tx.send(s).is_ok(),
    );
    let (hub_sender, hub_events) = mpsc::channel();
    Field {
        printer: statuses,
        _printer: watch,
        hub: Some(beating(rig, hub_sender.clone())),
        hub_events,
        hub_sender,
    }
}

impl Field {
    /// Hands the printer's and the hub's reports to the terminal, as its subscriptions do.
    fn deliver(&self, rig: &mut Rig) {
        while let Ok(status) = self.printer.try_recv() {
            let task = rig.app.update(Message::Printer(status));
            run(&mut rig.app, task);
        }
        while let Ok(event) = self.hub_events.try_recv() {
            let task = rig.app.update(Message::from(event));
            run(&mut rig.app, task);
        }
    }

    fn stop_beating(&mut self) {
        self.hub = None;
    }

    fn beat_again(&mut self, rig: &Rig) {
        self.hub = Some(beating(rig, self.hub_sender.clone()));
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

#[test]
fn operators_see_alerts_appear_and_clear_as_paper_runs_out_a_card_is_left_and_a_terminal_goes_silent(
) {
    let mut rig = rig();
    let store = rig.parts.hub.store().clone();
    let mut field = field(&rig);
    let mut browser = operator_page(&rig);
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
    let summary = browser.text("#fleet-summary");
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
    let row = browser.text("#alerts tr[data-kind=paper_out]");
    assert!(
        row.contains("打印机缺纸") && row.contains("装入新纸卷"),
        "{row}"
    );
    assert!(row.contains(&hall), "the hall {hall:?} in {row}");
    assert!(row.contains("秒前"), "when it started: {row}");
    let cell = browser.text("#halls tr[data-terminal] td.bad");
    assert_eq!(cell, "故障：缺纸");
    browser.shot("fleet-paper-out");
    browser.click("#lang");
    let row = browser.text("#alerts tr[data-kind=paper_out]");
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
    rig.leave_card_behind();
    assert_eq!(screen(&rig.app), "attract");
    fleet_shows(
        &mut browser,
        &mut rig,
        &field,
        "#alerts tr[data-kind=card_left]",
        true,
    );
    let row = browser.text("#alerts tr[data-kind=card_left]");
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
    field.stop_beating();
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
    let row = browser.text("#alerts tr[data-kind=silent]");
    assert!(
        row.contains("终端失联") && row.contains("检查终端电源和网络"),
        "{row}"
    );
    browser.shot("fleet-silent");
    // It comes back: the alert clears.
    field.beat_again(&rig);
    fleet_shows(
        &mut browser,
        &mut rig,
        &field,
        "#alerts tr[data-kind=silent]",
        false,
    );
}

/// Logs in as an operator on a fresh page.
fn operator_page(rig: &Rig) -> Browser {
    let store = rig.parts.hub.store().clone();
    rig.parts
        .hub
        .block_on(async {
            kiosk_hub::staff::add(&store, "ops", "李运维", "0301", "correct horse").await?;
            kiosk_hub::staff::grant(&store, "ops", kiosk_hub::staff::Role::Operator, &[]).await
        })
        .unwrap();
    let mut browser = Browser::start(&rig.config.hub.url);
    browser.cmd(json!({"do": "goto", "path": "/console"}));
    browser.log_in("ops");
    browser.wait("#fleet");
    browser
}

#[test]
fn operators_push_settings_and_every_command_to_a_terminal_from_the_browser() {
    // The terminal's log tail, as `kiosk run` keeps it (what a `log` command sends).
    crate::common::log();
    let mut rig = rig();
    let path = rig.restart_from_file();
    let mut browser = operator_page(&rig);
    let field = field(&rig);
    let device = rig.config.terminal.device_id.clone();
    let row = format!("#halls tr[data-terminal={device}]");
    fleet_shows(
        &mut browser,
        &mut rig,
        &field,
        &format!("{row} td.live.online"),
        true,
    );

    // Settings for this one terminal: a longer idle time and the hall's new name are taken; a countdown
    // out of range is refused with the configuration's own reason.
    browser
        .cmd(json!({"do": "select", "sel": "#set-scope", "value": format!("terminal:{device}")}));
    for (field_id, value) in [
        ("#set-idle", "120"),
        ("#set-countdown", "999"),
        ("#set-hall-zh", "吴中区政务服务中心"),
        ("#set-hall-en", "Wuzhong Government Service Centre"),
    ] {
        browser.cmd(json!({"do": "fill", "sel": field_id, "text": value}));
    }
    browser.cmd(json!({"do": "select", "sel": "#set-elder", "value": "true"}));
    browser.click("#settings-form button[type=submit]");
    browser.wait("#published tr[data-scope^='terminal:']");
    let said = browser.text("#settings-error");
    assert!(said.contains("已发布为 v1"), "{said}");
    fleet_shows(
        &mut browser,
        &mut rig,
        &field,
        &format!("{row} td.refused"),
        true,
    );
    let file = std::fs::read_to_string(&path).unwrap();
    assert!(file.contains("idle_seconds = 120"), "{file}");
    assert!(file.contains("吴中区政务服务中心") && file.contains("elder_mode = true"));
    assert!(!file.contains("countdown_seconds = 999"));
    assert!(
        kiosk::maintenance::settings::backup_path(&path).exists(),
        "the previous file is kept"
    );
    assert!(
        rig.shows("吴中区政务服务中心"),
        "the start screen shows the new name"
    );
    assert!(
        rig.app.view_model().elder,
        "elder mode by default from now on"
    );
    browser.click(&row);
    browser.wait("#terminal-refused li");
    let refused = browser.text("#terminal-refused");
    assert!(
        refused.contains("倒计时") && refused.contains("999 is out of range; allowed: 5 to 120"),
        "{refused}"
    );
    let audit = browser.text("#operations-audit");
    assert!(
        audit.contains("ops") && audit.contains("发布设置"),
        "{audit}"
    );
    browser.shot("fleet-settings");

    // Each command, from the terminal's panel, answered by the terminal.
    let command = |browser: &mut Browser, rig: &mut Rig, name: &str| {
        browser.click(&format!("#terminal-commands button[data-command={name}]"));
        fleet_shows(
            browser,
            rig,
            &field,
            &format!("#command-list tr[data-command={name}][data-state=ok]"),
            true,
        );
    };
    browser.cmd(json!({"do": "eval", "js": "window.confirm = () => true; true"}));
    command(&mut browser, &mut rig, "out_of_service");
    assert_eq!(screen(&rig.app), "out-of-service");
    command(&mut browser, &mut rig, "in_service");
    assert_eq!(screen(&rig.app), "attract");
    command(&mut browser, &mut rig, "refresh_catalogue");
    command(&mut browser, &mut rig, "refresh_keys");
    command(&mut browser, &mut rig, "log");
    let log = browser.text("#command-list tr[data-command=log] pre");
    assert!(log.contains("settings from the hub applied"), "{log}");
    assert!(
        !log.contains(common::rig::RESIDENT),
        "no ID number in the log"
    );

    // A screenshot while a citizen is signed in: the picture staff see, the name and number masked.
    rig.tap("请轻触屏幕开始");
    rig.tap("证照打印");
    rig.place("resident");
    let items = rig.app.masked_items();
    let leaked: Vec<_> = items
        .iter()
        .filter(|i| i.text.contains("张秀英") || i.text.contains(common::rig::RESIDENT))
        .collect();
    assert!(leaked.is_empty(), "{leaked:?}");
    command(&mut browser, &mut rig, "screenshot");
    let width = browser.cmd(json!({"do": "eval", "js":
        "new Promise((done) => { const img = document.querySelector('#command-list img.screenshot'); \
         const check = () => img.complete && img.naturalWidth ? done(img.naturalWidth) : setTimeout(check, 50); check(); })"}));
    assert_eq!(width, json!(rig.config.screen.width_px));
    browser.shot("fleet-commands");

    // A restart waits for the citizen to finish, then the program ends (systemd starts it again).
    command(&mut browser, &mut rig, "restart");
    assert!(!rig.app.restarted(), "not while a citizen is at the screen");
    let task = rig
        .app
        .update(Message::Tick(Instant::now() + Duration::from_secs(3600)));
    run(&mut rig.app, task);
    let task = rig
        .app
        .update(Message::Tick(Instant::now() + Duration::from_secs(3601)));
    run(&mut rig.app, task);
    assert!(rig.app.restarted(), "restarted once the session ended");
}

#[test]
fn the_ratings_report_matches_the_ratings_terminals_sent_and_exports_as_csv() {
    use kiosk::sync::outbox::Outbox;
    use kiosk_proto::service::{Rating, RATING_EVENT};
    let rig = rig();
    let outbox = Outbox::open(&rig.config.terminal.database).unwrap();
    let service = rig.app.catalogue().services[0].clone();
    let rate = |service: &str, level: u8, tags: &[&str]| {
        outbox
            .rate(&Rating {
                case_no: None,
                service: service.into(),
                level,
                tags: tags.iter().map(|t| t.to_string()).collect(),
            })
            .unwrap();
    };
    // This month at this terminal: the service rated 5, 5, 4, 2 (slow, steps), 1 (slow); printing 3.
    for (level, tags) in [
        (5, &[][..]),
        (5, &[]),
        (4, &[]),
        (2, &["slow", "steps"]),
        (1, &["slow"]),
    ] {
        rate(&service.id, level, tags);
    }
    rate("print", 3, &[]);
    rig.drain();
    // Two months ago (as a terminal that was offline would send it late): one more 5 for the service.
    let months_ago = chrono::Utc::now().timestamp_millis() - 62 * 24 * 3600 * 1000;
    rig.client()
        .send_events(&kiosk_proto::fleet::EventBatch {
            events: vec![kiosk_proto::fleet::Event {
                id: "late-rating".into(),
                kind: RATING_EVENT.into(),
                occurred_ms: months_ago,
                body: json!({"service": service.id, "level": 5}),
            }],
        })
        .unwrap();
    let month = |ms: i64| {
        let day = kiosk_proto::application::Date::china(ms);
        format!("{:04}-{:02}", day.year, day.month)
    };
    let (this_month, earlier) = (
        month(chrono::Utc::now().timestamp_millis()),
        month(months_ago),
    );

    let mut browser = operator_page(&rig);
    browser.click("#tab-ratings");
    let line = format!(
        "#ratings-lines tr[data-service='{}'][data-month='{this_month}']",
        service.id
    );
    browser.wait(&line);
    let cells = |browser: &mut Browser, row: &str| -> Vec<String> {
        let js = format!(
            "[...document.querySelector({}).children].map((td) => td.textContent)",
            json!(row)
        );
        serde_json::from_value(browser.cmd(json!({"do": "eval", "js": js}))).unwrap()
    };
    let counted = cells(&mut browser, &line);
    assert_eq!(counted[2], service.name.zh);
    assert_eq!(
        &counted[3..],
        ["2", "1", "0", "1", "1", "5", "60.0%"],
        "{counted:?}"
    );
    let printing = cells(
        &mut browser,
        &format!("#ratings-lines tr[data-service=print][data-month='{this_month}']"),
    );
    assert_eq!(printing[2], "证照打印");
    assert_eq!(&printing[3..], ["0", "0", "1", "0", "0", "1", "100.0%"]);
    let late = cells(
        &mut browser,
        &format!(
            "#ratings-lines tr[data-service='{}'][data-month='{earlier}']",
            service.id
        ),
    );
    assert_eq!(&late[3..], ["1", "0", "0", "0", "0", "1", "100.0%"]);
    let reasons = browser.text("#ratings-reasons");
    assert!(
        reasons.contains("办理太慢：2 次") && reasons.contains("步骤太多：1 次"),
        "{reasons}"
    );
    let low = browser.cmd(
        json!({"do": "eval", "js": "document.querySelectorAll('#ratings-low tbody tr').length"}),
    );
    assert_eq!(low, json!(2));
    browser.shot("ratings");
    browser.click("#lang");
    browser.shot("ratings-en");
    browser.click("#lang");

    // One month chosen: only its ratings; the CSV says the same.
    browser.cmd(json!({"do": "fill", "sel": "#ratings-month", "text": earlier}));
    // The month's report replaces the whole one when it arrives (within 10 s).
    let rows = browser.cmd(json!({"do": "eval", "js":
        "new Promise((done) => { const at = Date.now(); const check = () => { \
         const n = document.querySelectorAll('#ratings-lines tbody tr').length; \
         (n === 1 || Date.now() - at > 10000) ? done(n) : setTimeout(check, 50); }; check(); })"}));
    assert_eq!(rows, json!(1));
    let csv = browser.cmd(json!({"do": "eval", "js":
        "fetch(document.querySelector('#ratings-csv').href).then((r) => r.text())"}));
    let csv = csv.as_str().unwrap();
    let lines: Vec<&str> = csv.trim_end().split("\r\n").collect();
    assert_eq!(lines.len(), 2, "{csv}");
    // (The page's fetch drops the byte-order mark that tells a spreadsheet the file is UTF-8.)
    assert!(
        lines[0]
            .trim_start_matches('\u{feff}')
            .starts_with("月份 month,"),
        "{csv}"
    );
    assert!(
        lines[1].starts_with(&format!("{earlier},")) && lines[1].ends_with(",1,0,0,0,0,1,100.0"),
        "{csv}"
    );
    browser.cmd(json!({"do": "fill", "sel": "#ratings-month", "text": ""}));
    let low_csv = browser.cmd(json!({"do": "eval", "js":
        "new Promise((done) => setTimeout(done, 300)).then(() => fetch(document.querySelector('#ratings-low-csv').href)).then((r) => r.text())"}));
    let low_csv = low_csv.as_str().unwrap();
    assert_eq!(low_csv.trim_end().split("\r\n").count(), 3, "{low_csv}");
    assert!(
        low_csv.contains("slow steps") && low_csv.contains(",1,slow"),
        "{low_csv}"
    );
}

/// Hands the terminal its background's reports until `done` holds (within 20 s), saying `what` if never.
fn terminal_until(rig: &mut Rig, field: &Field, what: &str, done: impl Fn(&Rig) -> bool) {
    let deadline = Instant::now() + Duration::from_secs(20);
    while !done(rig) {
        field.deliver(rig);
        assert!(Instant::now() < deadline, "the terminal never {what}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// What the terminal keeps in its sync state under `key`.
fn kept(rig: &Rig, key: &str) -> Option<String> {
    kiosk::sync::state::SyncState::open(&rig.config.terminal.database)
        .unwrap()
        .get(key)
        .unwrap()
}

/// Waits until the terminal has cached catalogue `version` (its heartbeat fetched it); the catalogue.
fn terminal_has_catalogue(rig: &mut Rig, field: &Field, version: u64) -> String {
    terminal_until(
        rig,
        field,
        &format!("fetched catalogue v{version}"),
        |rig| kept(rig, "catalogue_version") == Some(version.to_string()),
    );
    kept(rig, "catalogue_json").unwrap_or_default()
}

#[test]
fn a_catalogue_edited_in_the_browser_is_checked_previewed_published_to_terminals_and_undone_in_one_click(
) {
    let mut rig = rig();
    let field = field(&rig);
    let mut browser = operator_page(&rig);
    browser.click("#tab-catalogue");
    browser.wait("#catalogue-versions tr[data-version='1']");
    let first = rig.app.catalogue().services[0].clone();

    // A mistake is refused with the import's own words, and cannot be published.
    let edit = |browser: &mut Browser, js: &str| {
        let script = format!(
            "(() => {{ const area = document.querySelector('#catalogue-json'); const c = JSON.parse(area.value); \
             {js}; area.value = JSON.stringify(c, null, 2); area.dispatchEvent(new Event('input')); \
             area.dispatchEvent(new Event('change')); return true; }})()"
        );
        browser.cmd(json!({"do": "eval", "js": script}));
    };
    edit(&mut browser, "c.services[0].theme = 'no-such-theme'");
    browser.click("#catalogue-check");
    browser.wait("#catalogue-error:has-text('unknown theme')");
    let refused = browser.text("#catalogue-error");
    assert!(
        refused.contains("names unknown theme no-such-theme"),
        "{refused}"
    );
    let disabled = browser
        .cmd(json!({"do": "eval", "js": "document.querySelector('#catalogue-publish').disabled"}));
    assert_eq!(disabled, json!(true));

    // Fixed, renamed, and an announcement written in its fields: the preview says what changes.
    edit(
        &mut browser,
        &format!(
            "c.services[0].theme = {}; c.services[0].name.zh += '（新版）'",
            json!(first.theme)
        ),
    );
    browser.cmd(json!({"do": "fill",
        "sel": "#announcement-list li:first-child [data-part=title-zh]",
        "text": "春节期间自助服务区照常开放"}));
    browser.click("#catalogue-check");
    browser.wait("#catalogue-preview:not([hidden])");
    let preview = browser.text("#catalogue-preview");
    assert!(
        preview.contains(&format!("修改事项：{}（新版）（name）", first.name.zh))
            && preview.contains("公告已修改")
            && preview.contains("春节期间自助服务区照常开放"),
        "{preview}"
    );
    browser.shot("catalogue-preview");
    browser.click("#catalogue-publish");
    browser.wait("#catalogue-versions tr[data-version='2']");
    let said = browser.text("#catalogue-error");
    assert!(said.contains("已发布为 v2"), "{said}");
    let by = browser.text("#catalogue-versions tr[data-version='2']");
    assert!(by.contains("ops"), "{by}");

    // The terminal fetches it at its next beat, and starts with it.
    let cached = terminal_has_catalogue(&mut rig, &field, 2);
    assert!(cached.contains("（新版）") && cached.contains("春节期间自助服务区照常开放"));
    let restarted = kiosk::ui::App::new(kiosk::ui::Startup::new(Ok(rig.config.clone()), true));
    assert_eq!(
        restarted.catalogue().services[0].name.zh,
        format!("{}（新版）", first.name.zh)
    );

    // The previous version, one click away: published again as v3.
    browser.cmd(json!({"do": "eval", "js": "window.confirm = () => true; true"}));
    browser.click("#catalogue-versions tr[data-version='1'] button.restore");
    browser.wait("#catalogue-versions tr[data-version='3']");
    let cached = terminal_has_catalogue(&mut rig, &field, 3);
    assert!(!cached.contains("（新版）"));
    browser.shot("catalogue-versions");
    browser.click("#lang");
    browser.shot("catalogue-versions-en");
}

/// Waits until the terminal keeps a technicians' list in which `number` is (or is not) found.
fn terminal_lists(rig: &mut Rig, field: &Field, number: &str, listed: bool) {
    terminal_until(rig, field, "changed its technicians' list", |rig| {
        kiosk::maintenance::pin::kept_list(&rig.config.terminal.database)
            .and_then(Result::ok)
            .is_some_and(|list| list.technicians.iter().any(|t| t.number == number))
            == listed
    });
}

#[test]
fn technicians_accounts_open_service_mode_with_the_hub_down_name_the_person_and_a_revocation_holds_from_the_next_beat(
) {
    use super::service_mode::{hold_corner, type_pin};
    let mut rig = rig();
    rig.restart_from_file();
    let field = field(&rig);
    let mut browser = operator_page(&rig);
    fleet_shows(
        &mut browser,
        &mut rig,
        &field,
        "#halls td.live.online",
        true,
    );

    // An operator issues 张工's account: the terminal keeps the signed list at its next beat.
    for (id, value) in [
        ("#tech-number", "0301"),
        ("#tech-name", "张工"),
        ("#tech-pin", "246810"),
    ] {
        browser.cmd(json!({"do": "fill", "sel": id, "text": value}));
    }
    browser.click("#technician-form button[type=submit]");
    browser.wait("#technicians tr[data-number='0301'][data-state=active]");
    terminal_lists(&mut rig, &field, "0301", true);
    browser.shot("fleet-technicians");

    // The hub goes down; the list kept still opens service mode, and only with the person's own PIN.
    rig.parts.hub.pause();
    hold_corner(&mut rig.app, Duration::from_secs(3));
    assert!(rig.shows("请输入您的工号"));
    type_pin(&mut rig, "0301");
    assert!(rig.shows("工号 0301：请输入您的维护密码"));
    type_pin(&mut rig, common::rig::PIN);
    assert!(
        rig.shows("密码错误，还可尝试 4 次"),
        "the terminal's shared PIN no longer opens it"
    );
    type_pin(&mut rig, "0301");
    type_pin(&mut rig, "246810");
    assert!(rig.shows("设备诊断"), "张工 is in");
    let outbox = kiosk::sync::outbox::Outbox::open(&rig.config.terminal.database).unwrap();
    let audited = outbox.waiting(100).unwrap();
    assert!(
        audited.iter().any(|e| e.kind == "service"
            && e.body["action"] == "pin_ok"
            && e.body["detail"]["by"] == "张工 (0301)"),
        "the audit names the person"
    );
    rig.tap("退出维护");
    rig.parts.hub.resume().unwrap();

    // Revoked in the console: from the next beat the PIN opens nothing.
    browser.cmd(json!({"do": "eval", "js": "window.confirm = () => true; true"}));
    browser.click("#technicians tr[data-number='0301'] button.revoke");
    browser.wait("#technicians tr[data-number='0301'][data-state=revoked]");
    terminal_lists(&mut rig, &field, "0301", false);
    hold_corner(&mut rig.app, Duration::from_secs(3));
    type_pin(&mut rig, "0301");
    type_pin(&mut rig, "246810");
    assert!(
        rig.shows("密码错误，还可尝试 4 次"),
        "a revoked account opens nothing"
    );
    let audit = browser.text("#operations-audit");
    assert!(
        audit.contains("签发维护账号") && audit.contains("吊销维护账号"),
        "{audit}"
    );
}

#[test]
fn a_version_rolls_out_to_the_canary_ring_first_and_reaches_the_updater_once_no_citizen_is_at_the_screen(
) {
    let mut rig = rig();
    let update = kiosk::sync::heartbeat::update_folder(&rig.config.terminal.database);
    std::fs::create_dir_all(&update).unwrap();
    let field = field(&rig);
    let mut browser = operator_page(&rig);
    let device = rig.config.terminal.device_id.clone();
    let row = format!("#halls tr[data-terminal={device}]");
    fleet_shows(
        &mut browser,
        &mut rig,
        &field,
        &format!("{row} td.live.online"),
        true,
    );
    // A second terminal in no ring, enrolled at the same hub.
    let store = rig.parts.hub.store().clone();
    rig.parts.hub.block_on(async {
        let code = kiosk_hub::fleet::create_code(&store, "吴中区政务服务中心")
            .await
            .unwrap();
        kiosk_hub::fleet::enroll(&store, &code, "WZ-0002")
            .await
            .unwrap();
    });

    // This terminal goes in the canary ring.
    browser.click(&row);
    browser.cmd(json!({"do": "fill", "sel": "#ring", "text": "canary"}));
    browser.click("#ring-form button[type=submit]");
    fleet_shows(
        &mut browser,
        &mut rig,
        &field,
        &format!("{row}[data-ring=canary]"),
        true,
    );

    // A version that is no package version is refused by the hub.
    browser.cmd(json!({"do": "select", "sel": "#set-scope", "value": "ring:canary"}));
    browser.cmd(json!({"do": "fill", "sel": "#set-version", "text": "0.2.0; rm -rf /"}));
    browser.click("#settings-form button[type=submit]");
    browser.wait("#settings-error:has-text('not a package version')");

    // 0.2.0 for the canary ring: the canary's updater is handed it, at the start screen.
    rig.tap("请轻触屏幕开始");
    browser.cmd(json!({"do": "fill", "sel": "#set-version", "text": "0.2.0"}));
    browser.click("#settings-form button[type=submit]");
    browser.wait("#published tr[data-scope='ring:canary']");
    let wanted = update.join("wanted");
    let version = rig
        .parts
        .hub
        .block_on(store.setting("config_version"))
        .unwrap()
        .to_string();
    terminal_until(&mut rig, &field, "applied the settings", |rig| {
        kept(rig, "config_version") == Some(version.clone())
    });
    assert!(!wanted.exists(), "not while a citizen is at the screen");
    for later in [3600, 3601] {
        let task = rig
            .app
            .update(Message::Tick(Instant::now() + Duration::from_secs(later)));
        run(&mut rig.app, task);
    }
    assert_eq!(std::fs::read_to_string(&wanted).unwrap().trim(), "0.2.0");
    let (everyone, canary) = rig.parts.hub.block_on(async {
        (
            kiosk_hub::remote::for_terminal(&store, "WZ-0002")
                .await
                .unwrap(),
            kiosk_hub::remote::for_terminal(&store, &device)
                .await
                .unwrap(),
        )
    });
    assert_eq!(everyone.settings.software_version, None, "the rest wait");
    assert_eq!(canary.settings.software_version.as_deref(), Some("0.2.0"));

    // What kiosk-update made of it reaches the console with the next beat.
    std::fs::write(update.join("result"), "ok 0.2.0\n").unwrap();
    browser.click(&row);
    fleet_shows(
        &mut browser,
        &mut rig,
        &field,
        "#terminal-meta[data-update='ok 0.2.0']",
        true,
    );
    let versions = browser.text("#fleet-versions");
    assert!(versions.starts_with("运行版本："), "{versions}");
    browser.shot("fleet-rings");
}
