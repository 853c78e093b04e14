//! The service-mode side of the router: the hidden corner, the PIN and its lockout, the diagnostics, test
//! read and test print, settings saved to kiosk.toml and applied, enrolment, and the out-of-service switch.
//! Every step is audited (`crate::maintenance::audit`).

use super::*;
use crate::maintenance::doctor::{self, Check};
use crate::maintenance::pin::{self, Attempt, Gate};
use crate::maintenance::settings::{self, Change};
use crate::ui::screen::maintenance::{
    self as panel, Availability, Facts, Form, Panel, Pin, PinNote, Resolution, SaveNote, Tab,
    TestPrint, TestRead,
};

/// How long the corner is held before the PIN pad opens.
pub const LONG_PRESS: Duration = Duration::from_secs(3);
/// Service mode closes after this long untouched (the PIN pad sooner).
pub const PANEL_IDLE: Duration = Duration::from_secs(300);
pub const PIN_IDLE: Duration = Duration::from_secs(60);
/// Log lines the diagnostics tab shows.
const LOG_LINES: usize = 12;
/// The sync-state key of the out-of-service switch (its message as JSON; empty: in service).
const OUT_OF_SERVICE_KEY: &str = "out_of_service";

/// What service mode keeps between screens.
#[derive(Default)]
pub(super) struct MaintenanceSide {
    /// Since when the hidden corner is held.
    pub(super) corner_since: Option<Instant>,
    /// Last touched on a service screen.
    pub(super) touched: Option<Instant>,
    /// The reader's SAM id, as it reported it on connecting.
    pub(super) sam_id: Option<String>,
    /// The outcome of the last card read (never whose card).
    pub(super) last_read: Option<String>,
    /// The message citizens see while a technician has the terminal out of service.
    pub(super) out_of_service: Option<LocalText>,
    /// What is wrong with the configuration the terminal started from, until a save in service mode gives
    /// one that checks.
    pub(super) config_problems: Option<Vec<String>>,
    pub(super) test_read_since: Option<std::time::Instant>,
    /// The PIN lockout, loaded from the sync state once and kept there after each try; held here too, so a
    /// database that cannot be written never lifts the lock.
    pub(super) gate: Option<Gate>,
    /// What the diagnostics last read from the database, and whether a read is under way.
    pub(super) stored: crate::maintenance::stored::Stored,
    pub(super) reading: bool,
}

/// What service mode's background work answers.
#[derive(Debug, Clone)]
pub enum MaintenanceAnswer {
    Checks(Vec<Check>),
    /// The diagnostics' facts read from the database.
    Stored(crate::maintenance::stored::Stored),
    Enrolled(Result<String, String>),
}

/// The switch as kept in the sync state.
pub(super) fn load_out_of_service(database: &std::path::Path) -> Option<LocalText> {
    let state = crate::sync::state::SyncState::open(database).ok()?;
    let json = state.get(OUT_OF_SERVICE_KEY).ok()??;
    serde_json::from_str(&json).ok()
}

impl App {
    /// Wall-clock milliseconds, from the interface's clock (tests move it).
    fn wall_ms(&self) -> i64 {
        self.clock
            .and_local_timezone(chrono::Local)
            .earliest()
            .map(|t| t.timestamp_millis())
            .unwrap_or_else(|| chrono::Utc::now().timestamp_millis())
    }

    /// Audits a step at once, in order (a local SQLite write: quick, and service mode is not a citizen's).
    fn service_audit(&self, action: &'static str, detail: serde_json::Value) {
        crate::maintenance::audit(&self.settings.database, action, detail);
    }

    /// The hidden corner of the start and out-of-service screens, pressed or let go. Let go before the long
    /// press, it was a citizen's touch like any other: on the start screen, the session starts.
    pub(super) fn corner(&mut self, down: bool) {
        let hidden_here = matches!(self.vm.screen, Screen::Attract(_) | Screen::OutOfService(_));
        let was_held = self.maintenance.corner_since.take();
        if down && hidden_here {
            self.maintenance.corner_since = Some(Instant::now());
        } else if was_held.is_some() && matches!(self.vm.screen, Screen::Attract(_)) {
            self.start_session();
        }
    }

    /// Every second: the long press, the panel's facts, and closing service mode left untouched.
    pub(super) fn service_tick(&mut self) -> Task<Message> {
        if let Some(since) = self.maintenance.corner_since {
            if self.now.saturating_duration_since(since) >= LONG_PRESS {
                self.maintenance.corner_since = None;
                self.open_pin();
            }
        }
        let Screen::Maintenance(state) = &self.vm.screen else {
            return Task::none();
        };
        let idle = match state {
            panel::State::Pin(_) => PIN_IDLE,
            panel::State::Panel(_) => PANEL_IDLE,
        };
        let touched = self.maintenance.touched.unwrap_or(self.now);
        if self.now.saturating_duration_since(touched) >= idle {
            self.leave_service("timeout");
            return Task::none();
        }
        // The diagnostics' facts, only while they show: the database's on a thread (one read at a time).
        if matches!(state, panel::State::Panel(panel) if panel.tab == Tab::Diagnostics) {
            let facts = self.facts();
            if let Screen::Maintenance(panel::State::Panel(panel)) = &mut self.vm.screen {
                panel.facts = facts;
            }
            if !self.maintenance.reading {
                self.maintenance.reading = true;
                let database = self.settings.database.clone();
                return bridge::once(
                    "diagnostics",
                    move || MaintenanceAnswer::Stored(crate::maintenance::stored::read(&database)),
                    MaintenanceAnswer::Stored(Default::default()),
                    Message::MaintenanceAnswer,
                );
            }
        }
        Task::none()
    }

    pub(crate) fn open_pin(&mut self) {
        let now_ms = self.wall_ms();
        let note = self
            .gate()
            .locked(now_ms)
            .map(|until| PinNote::Locked(pin::minutes_left(until, now_ms)));
        self.maintenance.touched = Some(self.now);
        self.vm.screen = Screen::Maintenance(panel::State::Pin(Pin {
            note,
            ..Pin::default()
        }));
        tracing::info!("service PIN pad opened");
    }

    /// Shows `note` on the PIN pad (`kiosk shot`).
    pub(crate) fn set_pin_note(&mut self, note: PinNote) {
        if let Screen::Maintenance(panel::State::Pin(pin)) = &mut self.vm.screen {
            pin.note = Some(note);
        }
    }

    /// Sample facts of a running terminal on the diagnostics tab (`kiosk shot`).
    pub(crate) fn service_sample_facts(&mut self, log: Vec<String>) {
        self.maintenance.sam_id = Some("05.01-20201104-0000391-2871053641".into());
        self.maintenance.last_read = Some("09:29:40 Resident".into());
        let mut facts = self.facts();
        facts.last_job = Some("#311 SZ-YYZZ-0001 Printed 2026-11-23 09:29:58".into());
        facts.outbox = Some(3);
        facts.log = log;
        if let Screen::Maintenance(panel::State::Panel(panel)) = &mut self.vm.screen {
            panel.facts = facts;
        }
    }

    fn gate(&mut self) -> &mut Gate {
        let database = &self.settings.database;
        self.maintenance.gate.get_or_insert_with(|| {
            crate::sync::state::SyncState::open(database)
                .map(|state| Gate::load(&state))
                .unwrap_or_else(|error| {
                    tracing::error!(%error, "the PIN lockout cannot be read; counting from now");
                    Gate::default()
                })
        })
    }

    pub(super) fn service_message(&mut self, message: panel::Message) -> Task<Message> {
        self.maintenance.touched = Some(self.now);
        let event = match &mut self.vm.screen {
            Screen::Maintenance(panel::State::Pin(pin)) => pin.update(message),
            Screen::Maintenance(panel::State::Panel(panel)) => panel.update(message),
            _ => None,
        };
        use panel::Event;
        match event {
            Some(Event::Submit(typed)) => return self.submit_pin(&typed),
            Some(Event::Cancel) => self.leave_service("cancel"),
            Some(Event::Exit) => self.leave_service("exit"),
            Some(Event::Opened(Tab::Diagnostics)) | Some(Event::CheckAgain) => {
                return self.run_checks()
            }
            Some(Event::Opened(_)) => {}
            Some(Event::TestRead) => self.test_read(),
            Some(Event::TestPrint) => return self.test_print(),
            Some(Event::Save) => self.save_settings(),
            Some(Event::Enrol) => return self.enrol(),
            Some(Event::ToggleService) => self.toggle_service(),
            None => {}
        }
        Task::none()
    }

    fn submit_pin(&mut self, typed: &str) -> Task<Message> {
        let now_ms = self.wall_ms();
        let hash = self.config.service.pin_hash.clone();
        let gate = self.gate();
        let attempt = gate.attempt(now_ms, hash.as_deref(), typed);
        let gate = *gate;
        let kept = crate::sync::state::SyncState::open(&self.settings.database)
            .and_then(|state| gate.save(&state));
        if let Err(error) = kept {
            tracing::error!(%error, "the PIN lockout is not kept over a restart");
        }
        let note = match attempt {
            Attempt::Granted => {
                self.service_audit("pin_ok", serde_json::json!({}));
                return self.open_panel();
            }
            Attempt::Wrong { left } => {
                self.service_audit("pin_wrong", serde_json::json!({ "tries_left": left }));
                PinNote::Wrong(left)
            }
            Attempt::Locked { until_ms } => {
                let minutes = pin::minutes_left(until_ms, now_ms);
                self.service_audit("pin_locked", serde_json::json!({ "minutes": minutes }));
                PinNote::Locked(minutes)
            }
            Attempt::NoPin => {
                self.service_audit("pin_unset", serde_json::json!({}));
                PinNote::NoPin
            }
        };
        if let Screen::Maintenance(panel::State::Pin(pin)) = &mut self.vm.screen {
            pin.note = Some(note);
        }
        Task::none()
    }

    pub(crate) fn open_panel(&mut self) -> Task<Message> {
        let config = &self.config;
        let mut ports: Vec<String> = crate::maintenance::ports::list()
            .into_iter()
            .map(|p| p.path)
            .collect();
        if !ports.contains(&config.reader.port) {
            ports.insert(0, config.reader.port.clone());
        }
        let message = self.maintenance.out_of_service.clone();
        let panel = Panel {
            tab: Tab::Diagnostics,
            facts: self.facts(),
            checks: None,
            test_read: None,
            test_print: None,
            form: Form {
                reader_port: config.reader.port.clone(),
                ports,
                baud: config.reader.baud,
                printer_uri: config.printer.uri.clone(),
                profile: config.printer.profile.clone(),
                hub_url: config.hub.url.clone(),
                code: String::new(),
                hall_zh: config.terminal.hall_name.zh.clone(),
                hall_en: config.terminal.hall_name.en.clone(),
                idle: config.ui.idle_seconds,
                countdown: config.ui.countdown_seconds,
                resolution: Resolution(config.screen.width_px, config.screen.height_px),
            },
            saved: None,
            enrol: None,
            availability: Availability {
                out_of_service: message.is_some(),
                zh: message
                    .as_ref()
                    .map(|m| m.zh.clone())
                    .unwrap_or_else(|| crate::ui::i18n::maintenance::OOS_ZH.into()),
                en: message
                    .map(|m| m.en)
                    .unwrap_or_else(|| crate::ui::i18n::maintenance::OOS_EN.into()),
            },
        };
        self.vm.screen = Screen::Maintenance(panel::State::Panel(Box::new(panel)));
        tracing::info!("service mode opened");
        self.run_checks()
    }

    /// What the diagnostics tab shows of the running terminal now (the database's part as last read).
    fn facts(&self) -> Facts {
        let crate::maintenance::stored::Stored {
            last_job,
            outbox,
            hub_version,
        } = self.maintenance.stored.clone();
        Facts {
            reader: self.vm.devices.reader,
            sam_id: self.maintenance.sam_id.clone(),
            last_read: self.maintenance.last_read.clone(),
            printer: self.vm.devices.printer,
            profile: format!(
                "{} ({})",
                self.config.printer.profile, self.config.printer.uri
            ),
            last_job,
            hub: self.vm.devices.hub,
            outbox,
            versions: format!(
                "kiosk {} · API {} · hub config {}",
                env!("CARGO_PKG_VERSION"),
                kiosk_proto::API_VERSION,
                hub_version.as_deref().unwrap_or("-")
            ),
            log: crate::maintenance::logtail::last(LOG_LINES),
        }
    }

    /// Runs `work` on its own thread; `lost` is the answer when the thread cannot start or ends without
    /// one (the screen never waits on "checking…" for ever).
    fn in_background(
        work: impl FnOnce() -> MaintenanceAnswer + Send + 'static,
        lost: MaintenanceAnswer,
    ) -> Task<Message> {
        bridge::once("service", work, lost, Message::MaintenanceAnswer)
    }

    /// The checks that leave the devices to their threads: the configuration file, the hub and clock,
    /// the database, disk space and the font.
    fn run_checks(&mut self) -> Task<Message> {
        if let Screen::Maintenance(panel::State::Panel(panel)) = &mut self.vm.screen {
            panel.checks = None;
        }
        let path = self.config_path.clone();
        let config = self.config.clone();
        Self::in_background(
            move || {
                let mut checks = Vec::new();
                if let Some(path) = path {
                    checks.push(doctor::config(Ok(path)).0);
                }
                checks.extend(doctor::live(Some(&config)));
                MaintenanceAnswer::Checks(checks)
            },
            MaintenanceAnswer::Checks(vec![Check::fail(
                "checks",
                "the checks' thread ended without an answer",
                "check again; if it repeats, restart the terminal (systemctl restart kiosk)",
            )]),
        )
    }

    pub(super) fn service_answer(&mut self, answer: MaintenanceAnswer) -> Task<Message> {
        if let MaintenanceAnswer::Stored(stored) = answer {
            self.maintenance.reading = false;
            self.maintenance.stored = stored;
            let facts = self.facts();
            if let Screen::Maintenance(panel::State::Panel(panel)) = &mut self.vm.screen {
                if panel.tab == Tab::Diagnostics {
                    panel.facts = facts;
                }
            }
            return Task::none();
        }
        let Screen::Maintenance(panel::State::Panel(panel)) = &mut self.vm.screen else {
            return Task::none();
        };
        match answer {
            MaintenanceAnswer::Checks(checks) => panel.checks = Some(checks),
            MaintenanceAnswer::Stored(_) => {}
            MaintenanceAnswer::Enrolled(result) => {
                let url = panel.form.hub_url.clone();
                panel.form.code.clear();
                self.service_audit(
                    "enrol",
                    serde_json::json!({ "hub": url, "ok": result.is_ok() }),
                );
                let enrolled = result.is_ok();
                if let Screen::Maintenance(panel::State::Panel(panel)) = &mut self.vm.screen {
                    panel.enrol = Some(result);
                }
                if enrolled {
                    // The hub it enrolled with is the one to use.
                    self.save_settings();
                }
            }
        }
        Task::none()
    }

    fn test_read(&mut self) {
        if let Screen::Maintenance(panel::State::Panel(panel)) = &mut self.vm.screen {
            panel.test_read = Some(TestRead::Waiting);
            self.maintenance.test_read_since = Some(std::time::Instant::now());
        }
    }

    /// A card read while service mode shows: the test read's outcome (the identity goes no further).
    pub(super) fn service_read(
        &mut self,
        result: &Result<Box<crate::domain::identity::Identity>, ReadFault>,
    ) {
        let took = self
            .maintenance
            .test_read_since
            .take()
            .map(|since| since.elapsed().as_millis())
            .unwrap_or_default();
        let outcome = match result {
            Ok(identity) => TestRead::Ok(format!("{:?}, {took} ms", identity.card_type)),
            Err(fault) => TestRead::Failed(fault.cause.clone()),
        };
        self.service_audit(
            "test_read",
            serde_json::json!({ "ok": matches!(outcome, TestRead::Ok(_)) }),
        );
        if let Screen::Maintenance(panel::State::Panel(panel)) = &mut self.vm.screen {
            if panel.test_read.is_some() {
                panel.test_read = Some(outcome);
            }
        }
    }

    fn test_print(&mut self) -> Task<Message> {
        let Screen::Maintenance(panel::State::Panel(panel)) = &mut self.vm.screen else {
            return Task::none();
        };
        if panel.test_print == Some(TestPrint::Printing) {
            return Task::none();
        }
        let Some(target) = self.printer.clone() else {
            panel.test_print = Some(TestPrint::NotPrinted(crate::device::describe(
                self.vm.devices.printer,
            )));
            return Task::none();
        };
        let page = self
            .settings
            .documents
            .signing_key()
            .map(|key| {
                crate::domain::document::sample_signed(
                    crate::domain::document::DocumentKind::Receipt,
                    &key,
                )
            })
            .and_then(|document| {
                print::Prepared::new(document, &self.settings.profile).map_err(|e| e.to_string())
            });
        match page {
            Ok(prepared) => {
                panel.test_print = Some(TestPrint::Printing);
                self.service_audit(
                    "test_print",
                    serde_json::json!({ "to": target.to_string() }),
                );
                print_job(self.settings.database.clone(), target, Arc::new(prepared))
            }
            Err(error) => {
                panel.test_print = Some(TestPrint::NotPrinted(error));
                Task::none()
            }
        }
    }

    /// A test page's end.
    pub(super) fn service_printed(&mut self, verdict: Verdict) {
        if let Screen::Maintenance(panel::State::Panel(panel)) = &mut self.vm.screen {
            panel.test_print = Some(match verdict {
                Verdict::Printed => TestPrint::Printed,
                Verdict::NothingPrinted(reason) | Verdict::Incomplete(reason) => {
                    TestPrint::NotPrinted(crate::device::describe(
                        crate::device::DeviceStatus::Fault(reason),
                    ))
                }
                Verdict::Unknown => {
                    TestPrint::NotPrinted("sent, the printer never confirmed".into())
                }
                Verdict::NotRecorded => {
                    TestPrint::NotPrinted("the print journal cannot record a job".into())
                }
            });
        }
    }

    /// The form's values that differ from the configuration in use, as changes to kiosk.toml; every value
    /// while the file does not check (the terminal runs on defaults then, and the form is what to write).
    fn changes(&self, form: &Form) -> Vec<Change> {
        let config = &self.config;
        let all = self.maintenance.config_problems.is_some();
        let mut changes = Vec::new();
        let mut text = |section, key, now: &str, was: &str| {
            if all || now.trim() != was {
                changes.push(Change::text(section, key, now.trim()));
            }
        };
        text("reader", "port", &form.reader_port, &config.reader.port);
        text("printer", "uri", &form.printer_uri, &config.printer.uri);
        text("printer", "profile", &form.profile, &config.printer.profile);
        text("hub", "url", &form.hub_url, &config.hub.url);
        text(
            "terminal",
            "hall_name_zh",
            &form.hall_zh,
            &config.terminal.hall_name.zh,
        );
        text(
            "terminal",
            "hall_name_en",
            &form.hall_en,
            &config.terminal.hall_name.en,
        );
        let mut number = |section, key, now: u32, was: u32| {
            if all || now != was {
                changes.push(Change::number(section, key, now.into()));
            }
        };
        number("reader", "baud", form.baud, config.reader.baud);
        number("ui", "idle_seconds", form.idle, config.ui.idle_seconds);
        number(
            "ui",
            "countdown_seconds",
            form.countdown,
            config.ui.countdown_seconds,
        );
        number(
            "screen",
            "width_px",
            form.resolution.0,
            config.screen.width_px,
        );
        number(
            "screen",
            "height_px",
            form.resolution.1,
            config.screen.height_px,
        );
        changes
    }

    fn save_settings(&mut self) {
        let Screen::Maintenance(panel::State::Panel(panel)) = &self.vm.screen else {
            return;
        };
        let changes = self.changes(&panel.form);
        let note = match (&self.config_path, changes.is_empty()) {
            (_, true) => SaveNote::Nothing,
            (None, false) => {
                SaveNote::Failed("the terminal was started without a kiosk.toml".into())
            }
            (Some(path), false) => match settings::save(path, &changes) {
                Err(error) => SaveNote::Failed(error.to_string()),
                Ok(saved) => {
                    for change in &saved.changed {
                        self.service_audit(
                            "setting",
                            serde_json::to_value(change).unwrap_or_default(),
                        );
                    }
                    let restart = saved.config.screen != self.config.screen;
                    let note = SaveNote::Saved {
                        changes: saved.changed.len(),
                        backup: saved
                            .backup
                            .as_ref()
                            .map(|b| b.display().to_string())
                            .unwrap_or_else(|| "-".into()),
                        restart,
                    };
                    self.apply_config(saved.config);
                    note
                }
            },
        };
        if let Screen::Maintenance(panel::State::Panel(panel)) = &mut self.vm.screen {
            panel.saved = Some(note);
        }
    }

    /// Puts a new configuration to work without a restart: the hall's name, the timeouts, the printer, the
    /// reader and the hub (their threads restart with their new settings). The screen's size waits for the
    /// next start.
    fn apply_config(&mut self, new: Config) {
        // The file checks now: the terminal can serve again.
        self.maintenance.config_problems = None;
        let old = std::mem::replace(&mut self.config, new);
        let new = &self.config;
        self.settings.hall = new.terminal.hall_name.clone();
        self.settings.idle = Duration::from_secs(new.ui.idle_seconds.into());
        self.settings.countdown = Duration::from_secs(new.ui.countdown_seconds.into());
        self.core
            .set_timeouts(self.settings.idle, self.settings.countdown);
        self.settings.profile = Profile::from_config(&new.printer);
        self.settings.outlet = new.printer.outlet.clone();
        let board = DeviceBoard::from_config(new);
        if new.reader != old.reader {
            self.reader = new
                .reader
                .enabled
                .then(|| ReaderSettings::from_config(&new.reader));
            self.vm.devices.reader = board.reader;
            self.maintenance.sam_id = None;
        }
        if (&new.printer.uri, new.printer.enabled) != (&old.printer.uri, old.printer.enabled) {
            self.printer = new
                .printer
                .enabled
                .then(|| Target::parse(&new.printer.uri).ok())
                .flatten();
            self.vm.devices.printer = board.printer;
        }
        if new.hub != old.hub {
            let interval = self.hub.as_ref().map(|h| h.interval);
            self.hub = crate::sync::client::HubSettings::from_config(new).map(|mut hub| {
                hub.interval = interval.unwrap_or(hub.interval);
                hub
            });
            self.services = Services::new(self.hub.clone(), new.terminal.database.clone());
            self.vm.devices.hub = board.hub;
        }
        self.report_devices();
    }

    fn enrol(&mut self) -> Task<Message> {
        let Screen::Maintenance(panel::State::Panel(panel)) = &mut self.vm.screen else {
            return Task::none();
        };
        let (url, code) = (
            panel.form.hub_url.trim().to_string(),
            panel.form.code.trim().to_string(),
        );
        if url.is_empty() || code.is_empty() {
            panel.enrol = Some(Err("give the hub's URL and the one-time code".into()));
            return Task::none();
        }
        let device = self.config.terminal.device_id.clone();
        let credential = self.config.hub.credential.clone();
        Self::in_background(
            move || {
                MaintenanceAnswer::Enrolled(
                    crate::sync::client::enroll(&url, &code, &device, &credential)
                        .map(|reply| reply.hall)
                        .map_err(|e| e.to_string()),
                )
            },
            MaintenanceAnswer::Enrolled(Err(
                "the enrolment's thread ended without an answer".into()
            )),
        )
    }

    fn toggle_service(&mut self) {
        let Screen::Maintenance(panel::State::Panel(panel)) = &mut self.vm.screen else {
            return;
        };
        let state = &mut panel.availability;
        state.out_of_service = !state.out_of_service;
        // An emptied message is the standard one: citizens are always told something.
        let or_standard = |text: &str, standard: &str| match text.trim() {
            "" => standard.to_string(),
            text => text.to_string(),
        };
        let message = state.out_of_service.then(|| {
            LocalText::new(
                or_standard(&state.zh, crate::ui::i18n::maintenance::OOS_ZH),
                or_standard(&state.en, crate::ui::i18n::maintenance::OOS_EN),
            )
        });
        let kept = crate::sync::state::SyncState::open(&self.settings.database).and_then(|db| {
            db.set(
                OUT_OF_SERVICE_KEY,
                &message
                    .as_ref()
                    .map(|m| serde_json::to_string(m).unwrap_or_default())
                    .unwrap_or_default(),
            )
        });
        if let Err(error) = kept {
            tracing::error!(%error, "the out-of-service switch is not kept over a restart");
        }
        self.service_audit(
            "out_of_service",
            serde_json::json!({ "on": message.is_some(), "message": message }),
        );
        self.maintenance.out_of_service = message;
        self.report_devices();
    }

    /// Back to what citizens see: the start screen, or out of service when switched so.
    pub(super) fn leave_service(&mut self, why: &'static str) {
        if matches!(self.vm.screen, Screen::Maintenance(panel::State::Panel(_))) {
            self.service_audit("exit", serde_json::json!({ "why": why }));
        }
        self.maintenance.touched = None;
        self.maintenance.test_read_since = None;
        self.vm.screen = self.resting_screen();
    }

    /// The screen a terminal shows with no one at it.
    pub(super) fn resting_screen(&self) -> Screen {
        match (
            &self.maintenance.config_problems,
            &self.maintenance.out_of_service,
        ) {
            (Some(problems), _) => Screen::OutOfService(out_of_service::State {
                problems: problems.clone(),
                message: None,
            }),
            (None, Some(message)) => Screen::OutOfService(out_of_service::State {
                problems: vec![],
                message: Some(message.clone()),
            }),
            (None, None) => Screen::Attract(attract::State::default()),
        }
    }

    /// The hidden corner over the start and out-of-service screens: a press held for [`LONG_PRESS`].
    pub(super) fn corner_view<'a>(&self, env: &Env<'a>) -> Option<Element<'a, Message>> {
        if !matches!(self.vm.screen, Screen::Attract(_) | Screen::OutOfService(_)) {
            return None;
        }
        let side = env.look.mm(20.0);
        Some(
            mouse_area(space().width(side).height(side))
                .on_press(Message::Corner(true))
                .on_release(Message::Corner(false))
                .on_exit(Message::Corner(false))
                .into(),
        )
    }
}
