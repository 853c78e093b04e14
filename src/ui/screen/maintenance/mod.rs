//! The technicians' service mode: the PIN pad behind the hidden corner, then three tabs: diagnostics (each
//! device, test read and test print, the checks `kiosk doctor` runs, the live log), settings (written back
//! to kiosk.toml), and the out-of-service switch with its message for citizens.
//!
//! The screen owns its state and its work: its `update` runs the PIN, the checks, the saves and the switch
//! (the rules are in [`crate::maintenance`]) and hands its parent only what the parent must do, as an
//! [`Event`]. Every step is audited ([`crate::maintenance::audit`]).

mod view;

use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use iced::Task;
use serde::Serialize;
use zeroize::Zeroizing;

use crate::config::{Config, DocumentsConfig};
use crate::device::printer::transport::Target;
use crate::device::printer::Profile;
use crate::device::{DeviceBoard, DeviceStatus};
use crate::domain::identity::Identity;
use crate::domain::LocalText;
use crate::input::{Availability as Engines, Entry, Key, Kind, Link};
use crate::maintenance::doctor::{self, Check};
use crate::maintenance::pin::{self, Attempt};
use crate::maintenance::settings;
use crate::maintenance::stored::Stored;
use crate::maintenance::Known;
use crate::printing::job::Verdict;
use crate::ui::bridge;
use crate::ui::i18n::maintenance::{OOS_EN, OOS_ZH};
use crate::ui::screen::print::Prepared;

pub use crate::maintenance::settings::{Form, Resolution, RESOLUTIONS};
pub use view::view;

/// Service mode closes after this long untouched (the PIN pad sooner).
pub const PANEL_IDLE: Duration = Duration::from_secs(300);
pub const PIN_IDLE: Duration = Duration::from_secs(60);
/// Log lines the diagnostics tab shows.
const LOG_LINES: usize = 12;

#[derive(Debug, Serialize)]
pub enum State {
    Pin(Pin),
    Panel(Box<Panel>),
}

/// The PIN pad: what is typed is never shown, mirrored or logged; only how many digits.
#[derive(Default, Serialize)]
pub struct Pin {
    #[serde(skip)]
    typed: Zeroizing<String>,
    pub digits: usize,
    pub note: Option<PinNote>,
    /// The hub issued technicians' accounts: a staff number is asked before the PIN.
    pub asks_number: bool,
    /// The staff number typed, while the PIN is asked.
    pub number: Option<String>,
    #[serde(skip)]
    touched: Option<Instant>,
}

impl std::fmt::Debug for Pin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pin")
            .field("digits", &self.digits)
            .field("note", &self.note)
            .finish()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum PinNote {
    /// Wrong; tries left before the lock.
    Wrong(u32),
    /// Locked; minutes left.
    Locked(u32),
    NoPin,
    /// The technicians' list kept does not open with the hub's keys.
    ListBroken,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Tab {
    Diagnostics,
    Settings,
    Availability,
}

/// What the diagnostics tab shows of the running terminal (refreshed every second while it shows).
#[derive(Debug, Clone, Serialize)]
pub struct Facts {
    pub reader: DeviceStatus,
    pub sam_id: Option<String>,
    pub last_read: Option<String>,
    pub printer: DeviceStatus,
    pub profile: String,
    pub last_job: Option<String>,
    pub hub: DeviceStatus,
    pub camera: DeviceStatus,
    pub scanner: DeviceStatus,
    pub outbox: Option<u64>,
    pub versions: String,
    pub log: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum TestRead {
    Waiting,
    Ok(String),
    Failed(String),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum TestPrint {
    Printing,
    Printed,
    NotPrinted(String),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    PrinterUri,
    HubUrl,
    Code,
    HallZh,
    HallEn,
    OosZh,
    OosEn,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum SaveNote {
    Saved {
        changes: usize,
        backup: String,
        restart: bool,
    },
    Nothing,
    Failed(String),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Availability {
    pub out_of_service: bool,
    pub zh: String,
    pub en: String,
}

#[derive(Debug, Serialize)]
pub struct Panel {
    pub tab: Tab,
    pub facts: Facts,
    /// The checks' outcome (none while they run).
    pub checks: Option<Vec<Check>>,
    pub test_read: Option<TestRead>,
    pub test_print: Option<TestPrint>,
    pub form: Form,
    pub saved: Option<SaveNote>,
    pub enrol: Option<Result<String, String>>,
    pub availability: Availability,
    #[serde(skip)]
    touched: Option<Instant>,
    #[serde(skip)]
    test_read_since: Option<Instant>,
    /// What the diagnostics last read from the database, and whether a read is under way.
    #[serde(skip)]
    stored: Stored,
    #[serde(skip)]
    reading: bool,
    /// The sample's own log (`kiosk shot`), instead of this process's.
    #[serde(skip)]
    sample_log: Option<Vec<String>>,
    /// The text field being typed in on the screen's keyboard.
    #[serde(skip)]
    pub editing: Option<(Field, Entry)>,
}

#[derive(Debug, Clone)]
pub enum Message {
    Digit(char),
    Delete,
    Clear,
    Enter,
    Cancel,
    Tab(Tab),
    Exit,
    TestRead,
    TestPrint,
    CheckAgain,
    Text(Field, String),
    Port(String),
    Baud(u32),
    Profile(String),
    Resolution(Resolution),
    Idle(i32),
    Countdown(i32),
    Save,
    Enrol,
    ToggleService,
    /// Type in this field on the screen's keyboard.
    Edit(Field),
    /// A key of the screen's keyboard, for the field being typed in.
    Key(Key),
    /// Done typing.
    DoneEditing,
    /// The checks' outcome, from their thread.
    Checked(Vec<Check>),
    /// The diagnostics' facts read from the database, from their thread.
    Stored(Stored),
    /// The enrolment's outcome, from its thread: the hall's name, or why not.
    Enrolled(Result<String, String>),
}

impl Message {
    /// Whether this is a thread's answer (not a technician's touch).
    pub fn is_answer(&self) -> bool {
        matches!(
            self,
            Message::Checked(_) | Message::Stored(_) | Message::Enrolled(_)
        )
    }
}

/// What the screen asks of its parent.
#[derive(Debug)]
pub enum Event {
    /// Service mode is over (and audited): back to what citizens see.
    Leave,
    /// Print this test page through the terminal's print path; its end comes back through
    /// [`State::printed`].
    Print(Target, Arc<Prepared>),
    /// A configuration saved to kiosk.toml, to put to work.
    Apply(Box<Config>),
    /// The out-of-service switch moved (it is in [`Known`]).
    Switched,
}

/// What the screen works with: the terminal's configuration and devices, and what service mode knows
/// between its screens.
pub struct Context<'a> {
    pub now: Instant,
    /// Wall-clock milliseconds (the PIN's lock runs on them).
    pub wall_ms: i64,
    pub config: &'a Config,
    pub config_path: Option<&'a Path>,
    /// The terminal's SQLite file as it started (a new one in kiosk.toml counts from the next start).
    pub database: &'a Path,
    pub devices: DeviceBoard,
    pub printer: Option<&'a Target>,
    pub profile: &'a Profile,
    pub documents: &'a DocumentsConfig,
    pub known: &'a mut Known,
    /// Text entry's engines, for the fields typed in.
    pub input: (Option<&'a Link>, &'a Engines),
}

impl Context<'_> {
    /// Audits a step at once, in order (a local SQLite write: quick, and service mode is not a citizen's).
    fn audit(&self, action: &'static str, mut detail: serde_json::Value) {
        // The technician who opened service mode with their own account, named in each step.
        if let (Some(who), Some(fields)) = (&self.known.technician, detail.as_object_mut()) {
            fields.insert("by".into(), who.clone().into());
        }
        crate::maintenance::audit(self.database, action, detail);
    }

    /// What the diagnostics tab shows of the running terminal now (the database's part as last read).
    fn facts(&self, stored: &Stored, sample_log: Option<&Vec<String>>) -> Facts {
        Facts {
            reader: self.devices.reader,
            sam_id: self.known.sam_id.clone(),
            last_read: self.known.last_read.clone(),
            printer: self.devices.printer,
            profile: format!(
                "{} ({})",
                self.config.printer.profile, self.config.printer.uri
            ),
            last_job: stored.last_job.clone(),
            hub: self.devices.hub,
            camera: self.devices.camera,
            scanner: self.devices.scanner,
            outbox: stored.outbox,
            versions: format!(
                "kiosk {} · API {} · hub config {}",
                env!("CARGO_PKG_VERSION"),
                kiosk_proto::API_VERSION,
                stored.hub_version.as_deref().unwrap_or("-")
            ),
            log: sample_log
                .cloned()
                .unwrap_or_else(|| crate::maintenance::logtail::last(LOG_LINES)),
        }
    }
}

/// Runs `work` on its own thread; `lost` is the answer when the thread cannot start or ends without one
/// (the screen never waits on "checking…" for ever).
fn in_background(work: impl FnOnce() -> Message + Send + 'static, lost: Message) -> Task<Message> {
    bridge::once("service", work, lost, std::convert::identity)
}

type Step = (Task<Message>, Option<Event>);

fn done() -> Step {
    (Task::none(), None)
}

impl State {
    /// The PIN pad, saying so at once when the lock holds.
    pub fn pin(ctx: &mut Context<'_>) -> State {
        let (database, now_ms) = (ctx.database, ctx.wall_ms);
        let note = ctx
            .known
            .lock
            .locked(database, now_ms)
            .map(|until| PinNote::Locked(pin::minutes_left(until, now_ms)));
        tracing::info!("service PIN pad opened");
        State::Pin(Pin {
            note,
            touched: Some(ctx.now),
            asks_number: pin::kept_list(database).is_some(),
            ..Pin::default()
        })
    }

    /// The panel on its diagnostics tab, with the checks started.
    pub fn panel(ctx: &mut Context<'_>) -> (State, Task<Message>) {
        let ports = crate::maintenance::ports::list()
            .into_iter()
            .map(|p| p.path)
            .collect();
        let message = ctx.known.out_of_service.clone();
        let stored = Stored::default();
        let mut panel = Panel {
            tab: Tab::Diagnostics,
            facts: ctx.facts(&stored, None),
            checks: None,
            test_read: None,
            test_print: None,
            form: Form::new(ctx.config, ports),
            saved: None,
            enrol: None,
            availability: Availability {
                out_of_service: message.is_some(),
                zh: message
                    .as_ref()
                    .map_or_else(|| OOS_ZH.into(), |m| m.zh.clone()),
                en: message.map_or_else(|| OOS_EN.into(), |m| m.en),
            },
            touched: Some(ctx.now),
            test_read_since: None,
            stored,
            reading: false,
            sample_log: None,
            editing: None,
        };
        tracing::info!("service mode opened");
        let task = panel.run_checks(ctx);
        (State::Panel(Box::new(panel)), task)
    }

    pub fn update(&mut self, message: Message, ctx: &mut Context<'_>) -> Step {
        match self {
            State::Pin(pin) => {
                pin.touched = Some(ctx.now);
                match pin.update(message, ctx) {
                    PinStep::Stay => done(),
                    PinStep::Leave => (Task::none(), Some(Event::Leave)),
                    PinStep::Open => {
                        let (panel, task) = State::panel(ctx);
                        *self = panel;
                        (task, None)
                    }
                }
            }
            State::Panel(panel) => {
                if !message.is_answer() {
                    panel.touched = Some(ctx.now);
                }
                panel.update(message, ctx)
            }
        }
    }

    /// Every second: service mode left untouched closes; the diagnostics' facts refresh while they show.
    pub fn tick(&mut self, ctx: &mut Context<'_>) -> Step {
        let (touched, idle) = match self {
            State::Pin(pin) => (pin.touched, PIN_IDLE),
            State::Panel(panel) => (panel.touched, PANEL_IDLE),
        };
        if ctx
            .now
            .saturating_duration_since(touched.unwrap_or(ctx.now))
            >= idle
        {
            return (Task::none(), Some(self.leave(ctx, "timeout")));
        }
        match self {
            State::Panel(panel) if panel.tab == Tab::Diagnostics => (panel.refresh(ctx), None),
            _ => done(),
        }
    }

    /// A card read while service mode shows: the test read's outcome (the identity goes no further).
    pub fn card_read(
        &mut self,
        result: &Result<Box<Identity>, crate::device::reader::ReadFault>,
        ctx: &Context<'_>,
    ) {
        let panel = match self {
            State::Panel(panel) => Some(panel),
            State::Pin(_) => None,
        };
        let took = panel
            .as_ref()
            .and_then(|panel| panel.test_read_since)
            .map(|since| since.elapsed().as_millis())
            .unwrap_or_default();
        let outcome = match result {
            Ok(identity) => TestRead::Ok(format!("{:?}, {took} ms", identity.card_type)),
            Err(fault) => TestRead::Failed(fault.cause.clone()),
        };
        ctx.audit(
            "test_read",
            serde_json::json!({ "ok": matches!(outcome, TestRead::Ok(_)) }),
        );
        if let Some(panel) = panel {
            panel.test_read_since = None;
            if panel.test_read.is_some() {
                panel.test_read = Some(outcome);
            }
        }
    }

    /// A test page's end.
    pub fn printed(&mut self, verdict: Verdict) {
        let State::Panel(panel) = self else {
            return;
        };
        let fault = |reason| crate::device::describe(DeviceStatus::Fault(reason));
        panel.test_print = Some(match verdict {
            Verdict::Printed => TestPrint::Printed,
            Verdict::NothingPrinted(reason) | Verdict::Incomplete(reason) => {
                TestPrint::NotPrinted(fault(reason))
            }
            Verdict::Unknown => TestPrint::NotPrinted("sent, the printer never confirmed".into()),
            Verdict::NotRecorded => {
                TestPrint::NotPrinted("the print journal cannot record a job".into())
            }
        });
    }

    /// The text-entry engines answered the field being typed in.
    pub fn input(&mut self, reply: &crate::input::Reply) {
        if let State::Panel(panel) = self {
            if let Some((field, entry)) = &mut panel.editing {
                entry.reply(reply);
                let (field, text) = (*field, entry.text.clone());
                panel.set(field, text);
            }
        }
    }

    /// Asks a staff number first, as with the hub's technicians' accounts (`kiosk shot`).
    pub fn ask_technician_number(&mut self) {
        if let State::Pin(pin) = self {
            pin.asks_number = true;
        }
    }

    /// Shows `note` on the PIN pad (`kiosk shot`).
    pub fn show_pin_note(&mut self, note: PinNote) {
        if let State::Pin(pin) = self {
            pin.note = Some(note);
        }
    }

    /// The diagnostics of a sample terminal (`kiosk shot`): its newest job, records waiting, and its log.
    pub fn show_sample(&mut self, stored: Stored, log: Vec<String>, ctx: &Context<'_>) {
        if let State::Panel(panel) = self {
            panel.stored = stored;
            panel.sample_log = Some(log);
            panel.facts = ctx.facts(&panel.stored, panel.sample_log.as_ref());
        }
    }

    /// Leaves service mode, auditing why when the panel was open.
    fn leave(&self, ctx: &Context<'_>, why: &'static str) -> Event {
        if matches!(self, State::Panel(_)) {
            ctx.audit("exit", serde_json::json!({ "why": why }));
        }
        Event::Leave
    }
}

enum PinStep {
    Stay,
    Leave,
    Open,
}

impl Pin {
    /// The staff number as typed so far (shown: it is no secret), while it is asked.
    pub fn typed_number(&self) -> &str {
        if self.asks_number && self.number.is_none() {
            &self.typed
        } else {
            ""
        }
    }

    fn update(&mut self, message: Message, ctx: &mut Context<'_>) -> PinStep {
        match message {
            Message::Digit(d) if self.typed.len() < pin::MAX_DIGITS => self.typed.push(d),
            Message::Delete => {
                self.typed.pop();
            }
            Message::Clear => self.typed.clear(),
            Message::Enter if !self.typed.is_empty() => {
                let typed = std::mem::take(&mut self.typed);
                self.digits = 0;
                return self.submit(&typed, ctx);
            }
            // Cancel on the PIN goes back to the staff number.
            Message::Cancel if self.number.is_some() => {
                self.number = None;
                self.typed.clear();
            }
            Message::Cancel => return PinStep::Leave,
            _ => {}
        }
        self.digits = self.typed.len();
        PinStep::Stay
    }

    fn submit(&mut self, typed: &str, ctx: &mut Context<'_>) -> PinStep {
        if self.asks_number && self.number.is_none() {
            // The staff number: not a secret, not a try; the PIN is asked next.
            self.number = Some(typed.to_string());
            self.note = None;
            return PinStep::Stay;
        }
        let now_ms = ctx.wall_ms;
        let (database, config) = (ctx.database, ctx.config);
        let number = self.number.take();
        let mut who = None;
        let attempt = match (pin::kept_list(database), &number) {
            // The hub's accounts: this number's PIN, the technician named in every audit from here.
            (Some(Ok(list)), Some(number)) => ctx.known.lock.attempt(database, now_ms, || {
                who = list
                    .admits(number, typed)
                    .map(|t| format!("{} ({})", t.name, t.number));
                Some(who.is_some())
            }),
            (Some(Err(why)), _) => {
                tracing::error!(%why, "the technicians' list kept does not open");
                self.note = Some(PinNote::ListBroken);
                return PinStep::Stay;
            }
            _ => ctx.known.lock.attempt_pin(
                database,
                now_ms,
                config.service.pin_hash.as_deref(),
                typed,
            ),
        };
        let number = number.unwrap_or_default();
        let note = match attempt {
            Attempt::Granted => {
                ctx.known.technician = who;
                ctx.audit("pin_ok", serde_json::json!({}));
                return PinStep::Open;
            }
            Attempt::Wrong { left } => {
                ctx.audit(
                    "pin_wrong",
                    serde_json::json!({ "tries_left": left, "number": number }),
                );
                PinNote::Wrong(left)
            }
            Attempt::Locked { until_ms } => {
                let minutes = pin::minutes_left(until_ms, now_ms);
                ctx.audit("pin_locked", serde_json::json!({ "minutes": minutes }));
                PinNote::Locked(minutes)
            }
            Attempt::NoPin => {
                ctx.audit("pin_unset", serde_json::json!({}));
                PinNote::NoPin
            }
        };
        self.note = Some(note);
        PinStep::Stay
    }
}

impl Panel {
    fn update(&mut self, message: Message, ctx: &mut Context<'_>) -> Step {
        let form = &mut self.form;
        match message {
            Message::Tab(tab) => {
                self.tab = tab;
                self.editing = None;
                if tab == Tab::Diagnostics {
                    return (self.run_checks(ctx), None);
                }
            }
            Message::CheckAgain => return (self.run_checks(ctx), None),
            Message::Exit => {
                ctx.audit("exit", serde_json::json!({ "why": "exit" }));
                return (Task::none(), Some(Event::Leave));
            }
            Message::TestRead => {
                self.test_read = Some(TestRead::Waiting);
                self.test_read_since = Some(Instant::now());
            }
            Message::TestPrint => return (Task::none(), self.test_print(ctx)),
            Message::Save => return (Task::none(), self.save(ctx)),
            Message::Enrol => return (self.enrol(ctx), None),
            Message::ToggleService => return (Task::none(), Some(self.toggle_service(ctx))),
            Message::Text(field, value) => self.set(field, value),
            Message::Edit(field) => {
                let kind = match field {
                    Field::PrinterUri | Field::HubUrl | Field::Code => Kind::Technical,
                    Field::HallZh | Field::HallEn | Field::OosZh | Field::OosEn => Kind::Text,
                };
                let (link, engines) = ctx.input;
                let mut entry = Entry::new(kind, 200, link.cloned(), engines.clone());
                entry.set_text(self.value(field));
                self.editing = Some((field, entry));
            }
            Message::Key(key) => {
                if let Some((field, entry)) = &mut self.editing {
                    entry.press(key);
                    let (field, text) = (*field, entry.text.clone());
                    self.set(field, text);
                }
            }
            Message::DoneEditing => self.editing = None,
            Message::Port(port) => form.reader_port = port,
            Message::Baud(baud) => form.baud = baud,
            Message::Profile(profile) => form.profile = profile,
            Message::Resolution(resolution) => form.resolution = resolution,
            Message::Idle(step) => form.idle = step_within(form.idle, step, 15, 900),
            Message::Countdown(step) => form.countdown = step_within(form.countdown, step, 5, 120),
            Message::Checked(checks) => self.checks = Some(checks),
            Message::Stored(stored) => {
                self.reading = false;
                self.stored = stored;
                if self.tab == Tab::Diagnostics {
                    self.facts = ctx.facts(&self.stored, self.sample_log.as_ref());
                }
            }
            Message::Enrolled(result) => {
                self.form.code.clear();
                ctx.audit(
                    "enrol",
                    serde_json::json!({ "hub": self.form.hub_url, "ok": result.is_ok() }),
                );
                let enrolled = result.is_ok();
                self.enrol = Some(result);
                if enrolled {
                    // The hub it enrolled with is the one to use.
                    return (Task::none(), self.save(ctx));
                }
            }
            Message::Digit(_)
            | Message::Delete
            | Message::Clear
            | Message::Enter
            | Message::Cancel => {}
        }
        done()
    }

    fn value(&self, field: Field) -> &str {
        match field {
            Field::PrinterUri => &self.form.printer_uri,
            Field::HubUrl => &self.form.hub_url,
            Field::Code => &self.form.code,
            Field::HallZh => &self.form.hall_zh,
            Field::HallEn => &self.form.hall_en,
            Field::OosZh => &self.availability.zh,
            Field::OosEn => &self.availability.en,
        }
    }

    fn set(&mut self, field: Field, value: String) {
        let form = &mut self.form;
        match field {
            Field::PrinterUri => form.printer_uri = value,
            Field::HubUrl => form.hub_url = value,
            Field::Code => form.code = value,
            Field::HallZh => form.hall_zh = value,
            Field::HallEn => form.hall_en = value,
            Field::OosZh => self.availability.zh = value,
            Field::OosEn => self.availability.en = value,
        }
    }

    /// The facts as they are now; the database's part read on a thread (one read at a time).
    fn refresh(&mut self, ctx: &Context<'_>) -> Task<Message> {
        self.facts = ctx.facts(&self.stored, self.sample_log.as_ref());
        if self.reading || self.sample_log.is_some() {
            return Task::none();
        }
        self.reading = true;
        let database = ctx.database.to_path_buf();
        bridge::once(
            "diagnostics",
            move || crate::maintenance::stored::read(&database),
            Stored::default(),
            Message::Stored,
        )
    }

    /// The checks that leave the devices to their threads: the configuration file, the hub and clock,
    /// the database, disk space and the font.
    fn run_checks(&mut self, ctx: &Context<'_>) -> Task<Message> {
        self.checks = None;
        let path = ctx.config_path.map(Path::to_path_buf);
        let config = ctx.config.clone();
        in_background(
            move || {
                let mut checks = Vec::new();
                if let Some(path) = path {
                    checks.push(doctor::config(Ok(path)).0);
                }
                checks.extend(doctor::live(Some(&config)));
                Message::Checked(checks)
            },
            Message::Checked(vec![Check::fail(
                "checks",
                "the checks' thread ended without an answer",
                "check again; if it repeats, restart the terminal (systemctl restart kiosk)",
            )]),
        )
    }

    fn test_print(&mut self, ctx: &Context<'_>) -> Option<Event> {
        if self.test_print == Some(TestPrint::Printing) {
            return None;
        }
        let Some(target) = ctx.printer.cloned() else {
            self.test_print = Some(TestPrint::NotPrinted(crate::device::describe(
                ctx.devices.printer,
            )));
            return None;
        };
        let page = ctx
            .documents
            .signing_key()
            .map(|key| {
                crate::domain::document::sample_signed(
                    crate::domain::document::DocumentKind::Receipt,
                    &key,
                )
            })
            .and_then(|document| Prepared::new(document, ctx.profile).map_err(|e| e.to_string()));
        match page {
            Ok(prepared) => {
                self.test_print = Some(TestPrint::Printing);
                ctx.audit(
                    "test_print",
                    serde_json::json!({ "to": target.to_string() }),
                );
                Some(Event::Print(target, Arc::new(prepared)))
            }
            Err(error) => {
                self.test_print = Some(TestPrint::NotPrinted(error));
                None
            }
        }
    }

    /// Writes the form's changes to kiosk.toml; a saved file is put to work by the parent.
    fn save(&mut self, ctx: &Context<'_>) -> Option<Event> {
        let changes = self
            .form
            .changes(ctx.config, ctx.known.config_problems.is_some());
        let mut apply = None;
        let note = match (ctx.config_path, changes.is_empty()) {
            (_, true) => SaveNote::Nothing,
            (None, false) => {
                SaveNote::Failed("the terminal was started without a kiosk.toml".into())
            }
            (Some(path), false) => match settings::save(path, &changes) {
                Err(error) => SaveNote::Failed(error.to_string()),
                Ok(saved) => {
                    for change in &saved.changed {
                        ctx.audit("setting", serde_json::to_value(change).unwrap_or_default());
                    }
                    let note = SaveNote::Saved {
                        changes: saved.changed.len(),
                        backup: saved
                            .backup
                            .as_ref()
                            .map(|b| b.display().to_string())
                            .unwrap_or_else(|| "-".into()),
                        restart: saved.config.screen != ctx.config.screen,
                    };
                    apply = Some(Event::Apply(Box::new(saved.config)));
                    note
                }
            },
        };
        self.saved = Some(note);
        apply
    }

    fn enrol(&mut self, ctx: &Context<'_>) -> Task<Message> {
        let (url, code) = (
            self.form.hub_url.trim().to_string(),
            self.form.code.trim().to_string(),
        );
        if url.is_empty() || code.is_empty() {
            self.enrol = Some(Err("give the hub's URL and the one-time code".into()));
            return Task::none();
        }
        let device = ctx.config.terminal.device_id.clone();
        let credential = ctx.config.hub.credential.clone();
        let ca = ctx.config.hub.ca.clone();
        in_background(
            move || {
                Message::Enrolled(
                    crate::sync::client::enroll(&url, ca.as_deref(), &code, &device, &credential)
                        .map(|reply| reply.hall)
                        .map_err(|e| e.to_string()),
                )
            },
            Message::Enrolled(Err("the enrolment's thread ended without an answer".into())),
        )
    }

    fn toggle_service(&mut self, ctx: &mut Context<'_>) -> Event {
        let state = &mut self.availability;
        state.out_of_service = !state.out_of_service;
        // An emptied message is the standard one: citizens are always told something.
        let or_standard = |text: &str, standard: &str| match text.trim() {
            "" => standard.to_string(),
            text => text.to_string(),
        };
        let message = state.out_of_service.then(|| {
            LocalText::new(
                or_standard(&state.zh, OOS_ZH),
                or_standard(&state.en, OOS_EN),
            )
        });
        crate::maintenance::switch_service(ctx.database, ctx.known, message, "service mode");
        Event::Switched
    }
}

fn step_within(value: u32, step: i32, low: u32, high: u32) -> u32 {
    (value as i64 + step as i64).clamp(low as i64, high as i64) as u32
}
