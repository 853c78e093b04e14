//! The technicians' service mode: the PIN pad behind the hidden corner, then three tabs: diagnostics (each
//! device, test read and test print, the checks `kiosk doctor` runs, the live log), settings (written back
//! to kiosk.toml), and the out-of-service switch with its message for citizens.

use iced::widget::{
    button, column, container, pick_list, row, scrollable, space, text, text_input,
};
use iced::widget::{Column, Row};
use iced::{Alignment, Color, Length};
use serde::Serialize;
use zeroize::Zeroizing;

use crate::device::DeviceStatus;
use crate::maintenance::doctor::{Check, Level};
use crate::ui::i18n::maintenance::{tr, S};
use crate::ui::{fonts, Element, Env};

#[derive(Debug, Serialize)]
pub enum State {
    Pin(Pin),
    Panel(Box<Panel>),
}

/// The PIN pad: what is typed is never shown, mirrored or logged; only how many digits.
#[derive(Default, Serialize)]
pub struct Pin {
    #[serde(skip)]
    pub typed: Zeroizing<String>,
    pub digits: usize,
    pub note: Option<PinNote>,
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
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Tab {
    Diagnostics,
    Settings,
    Availability,
}

/// What the diagnostics tab shows of the running terminal (refreshed every second by the app).
#[derive(Debug, Clone, Serialize)]
pub struct Facts {
    pub reader: DeviceStatus,
    pub sam_id: Option<String>,
    pub last_read: Option<String>,
    pub printer: DeviceStatus,
    pub profile: String,
    pub last_job: Option<String>,
    pub hub: DeviceStatus,
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

/// A screen resolution to choose.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Resolution(pub u32, pub u32);

impl std::fmt::Display for Resolution {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} × {}", self.0, self.1)
    }
}

pub const RESOLUTIONS: [Resolution; 6] = [
    Resolution(1080, 1920),
    Resolution(1920, 1080),
    Resolution(768, 1366),
    Resolution(1366, 768),
    Resolution(1280, 1024),
    Resolution(2160, 3840),
];

/// The settings form, filled from the configuration in use.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Form {
    pub reader_port: String,
    /// The serial ports found (and the configured one), to choose from.
    pub ports: Vec<String>,
    pub baud: u32,
    pub printer_uri: String,
    pub profile: String,
    pub hub_url: String,
    pub code: String,
    pub hall_zh: String,
    pub hall_en: String,
    pub idle: u32,
    pub countdown: u32,
    pub resolution: Resolution,
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
}

/// What the app does for the screen.
#[derive(Debug)]
pub enum Event {
    /// The PIN typed (the pad is cleared).
    Submit(Zeroizing<String>),
    Cancel,
    Exit,
    TestRead,
    TestPrint,
    CheckAgain,
    Save,
    Enrol,
    ToggleService,
    /// A tab opened.
    Opened(Tab),
}

impl Pin {
    pub fn update(&mut self, message: Message) -> Option<Event> {
        match message {
            Message::Digit(d) if self.typed.len() < crate::maintenance::pin::MAX_DIGITS => {
                self.typed.push(d)
            }
            Message::Delete => {
                self.typed.pop();
            }
            Message::Clear => self.typed.clear(),
            Message::Enter if !self.typed.is_empty() => {
                let typed = std::mem::take(&mut self.typed);
                self.digits = 0;
                return Some(Event::Submit(typed));
            }
            Message::Cancel => return Some(Event::Cancel),
            _ => {}
        }
        self.digits = self.typed.len();
        None
    }
}

impl Panel {
    pub fn update(&mut self, message: Message) -> Option<Event> {
        let form = &mut self.form;
        match message {
            Message::Tab(tab) => {
                self.tab = tab;
                return Some(Event::Opened(tab));
            }
            Message::Exit => return Some(Event::Exit),
            Message::TestRead => return Some(Event::TestRead),
            Message::TestPrint => return Some(Event::TestPrint),
            Message::CheckAgain => return Some(Event::CheckAgain),
            Message::Save => return Some(Event::Save),
            Message::Enrol => return Some(Event::Enrol),
            Message::ToggleService => return Some(Event::ToggleService),
            Message::Text(field, value) => match field {
                Field::PrinterUri => form.printer_uri = value,
                Field::HubUrl => form.hub_url = value,
                Field::Code => form.code = value,
                Field::HallZh => form.hall_zh = value,
                Field::HallEn => form.hall_en = value,
                Field::OosZh => self.availability.zh = value,
                Field::OosEn => self.availability.en = value,
            },
            Message::Port(port) => form.reader_port = port,
            Message::Baud(baud) => form.baud = baud,
            Message::Profile(profile) => form.profile = profile,
            Message::Resolution(resolution) => form.resolution = resolution,
            Message::Idle(step) => form.idle = step_within(form.idle, step, 15, 900),
            Message::Countdown(step) => form.countdown = step_within(form.countdown, step, 5, 120),
            Message::Digit(_)
            | Message::Delete
            | Message::Clear
            | Message::Enter
            | Message::Cancel => {}
        }
        None
    }
}

fn step_within(value: u32, step: i32, low: u32, high: u32) -> u32 {
    (value as i64 + step as i64).clamp(low as i64, high as i64) as u32
}

fn t(env: &Env<'_>, s: S) -> String {
    tr(env.lang, s).into_owned()
}

/// A button of the service screens.
fn action<'a>(env: &Env<'a>, label: S, message: Message, primary: bool) -> Element<'a, Message> {
    let look = env.look;
    button(
        container(
            text(t(env, label))
                .size(look.text_body())
                .font(fonts::bold()),
        )
        .center_y(Length::Fill),
    )
    .on_press(message)
    .padding([0.0, look.pad() / 1.5])
    .height(look.target())
    .style(look.primary_if(primary))
    .into()
}

fn card<'a>(env: &Env<'a>, content: Column<'a, Message>) -> Element<'a, Message> {
    container(content.spacing(env.look.gap()))
        .padding(env.look.pad() / 1.5)
        .width(Length::Fill)
        .style(env.look.card())
        .into()
}

fn level_color(env: &Env<'_>, level: Level) -> Color {
    match level {
        Level::Ok => env.look.colors().primary,
        Level::Warn | Level::Fail => env.look.colors().accent,
    }
}

pub fn view<'a>(state: &'a State, env: &Env<'a>) -> Element<'a, Message> {
    match state {
        State::Pin(pin) => pin_view(pin, env),
        State::Panel(panel) => panel_view(panel, env),
    }
}

fn pin_view<'a>(pin: &'a Pin, env: &Env<'a>) -> Element<'a, Message> {
    let look = env.look;
    let key = |label: String, message: Message| -> Element<'a, Message> {
        button(
            container(text(label).size(look.text_title()).font(fonts::bold())).center(Length::Fill),
        )
        .on_press(message)
        .width(look.button_height() * 2.4)
        .height(look.button_height())
        .style(look.tile())
        .into()
    };
    let mut pad = Column::new().spacing(look.gap());
    for keys in ["123", "456", "789"] {
        pad = pad.push(
            Row::with_children(keys.chars().map(|d| key(d.to_string(), Message::Digit(d))))
                .spacing(look.gap()),
        );
    }
    pad = pad.push(
        row![
            key(t(env, S::Clear), Message::Clear),
            key("0".into(), Message::Digit('0')),
            key(t(env, S::Delete), Message::Delete),
        ]
        .spacing(look.gap()),
    );
    let dots: String = "●".repeat(pin.digits)
        + &"○".repeat(crate::maintenance::pin::MIN_DIGITS.saturating_sub(pin.digits));
    let note = match pin.note {
        Some(PinNote::Wrong(left)) => Some(S::PinWrong(left)),
        Some(PinNote::Locked(minutes)) => Some(S::PinLocked(minutes)),
        Some(PinNote::NoPin) => Some(S::NoPin),
        None => None,
    };
    let mut content = column![
        space().height(Length::FillPortion(1)),
        text(t(env, S::PinTitle))
            .size(look.text_huge())
            .font(fonts::bold()),
        env.small(t(env, S::PinBody)),
        text(dots).size(look.text_huge()),
    ]
    .spacing(look.gap() * 2.0)
    .align_x(Alignment::Center)
    .width(Length::Fill);
    if let Some(note) = note {
        content = content.push(
            env.body(t(env, note))
                .color(look.colors().accent)
                .align_x(Alignment::Center),
        );
    }
    content
        .push(pad)
        .push(
            row![
                action(env, S::Cancel, Message::Cancel, false),
                action(env, S::Enter, Message::Enter, true),
            ]
            .spacing(look.gap() * 2.0),
        )
        .push(space().height(Length::FillPortion(1)))
        .padding(look.pad())
        .into()
}

fn panel_view<'a>(panel: &'a Panel, env: &Env<'a>) -> Element<'a, Message> {
    let look = env.look;
    let tab = |label: S, which: Tab| -> Element<'a, Message> {
        action(env, label, Message::Tab(which), panel.tab == which)
    };
    let head = column![
        text(t(env, S::Title))
            .size(look.text_title())
            .font(fonts::bold()),
        row![
            tab(S::Diagnostics, Tab::Diagnostics),
            tab(S::Settings, Tab::Settings),
            tab(S::Availability, Tab::Availability),
            space().width(Length::Fill),
            action(env, S::Exit, Message::Exit, false),
        ]
        .spacing(look.gap())
        .align_y(Alignment::Center),
    ]
    .spacing(look.gap() / 2.0);
    let body = match panel.tab {
        Tab::Diagnostics => diagnostics(panel, env),
        Tab::Settings => settings(panel, env),
        Tab::Availability => availability(panel, env),
    };
    column![head, scrollable(body).height(Length::Fill)]
        .spacing(look.gap())
        .padding(look.pad() / 1.5)
        .into()
}

/// A label and its value on one line.
fn fact<'a>(env: &Env<'a>, label: S, value: String) -> Element<'a, Message> {
    let look = env.look;
    row![
        text(t(env, label))
            .size(look.text_small())
            .font(fonts::bold())
            .width(Length::FillPortion(1)),
        text(value)
            .size(look.text_small())
            .width(Length::FillPortion(3)),
    ]
    .spacing(look.gap())
    .into()
}

/// A test's button and what it came to.
fn test_row<'a>(
    env: &Env<'a>,
    label: S,
    message: Message,
    outcome: String,
) -> Element<'a, Message> {
    row![action(env, label, message, false), env.body(outcome)]
        .spacing(env.look.gap())
        .align_y(Alignment::Center)
        .into()
}

fn diagnostics<'a>(panel: &'a Panel, env: &Env<'a>) -> Element<'a, Message> {
    let look = env.look;
    let facts = &panel.facts;
    let none = || t(env, S::None);
    let status = |s: DeviceStatus| t(env, S::Status(s));
    let test_read = match &panel.test_read {
        None => String::new(),
        Some(TestRead::Waiting) => t(env, S::TestReadWaiting),
        Some(TestRead::Ok(what)) => t(env, S::TestReadOk(what.clone())),
        Some(TestRead::Failed(why)) => t(env, S::TestReadFailed(why.clone())),
    };
    let test_print = match &panel.test_print {
        None => String::new(),
        Some(TestPrint::Printing) => t(env, S::TestPrinting),
        Some(TestPrint::Printed) => t(env, S::Printed),
        Some(TestPrint::NotPrinted(why)) => t(env, S::NotPrinted(why.clone())),
    };
    let devices = column![
        text(t(env, S::Reader))
            .size(look.text_body())
            .font(fonts::bold()),
        fact(env, S::State, status(facts.reader)),
        fact(env, S::SamId, facts.sam_id.clone().unwrap_or_else(none)),
        fact(
            env,
            S::LastRead,
            facts.last_read.clone().unwrap_or_else(none)
        ),
        test_row(env, S::TestRead, Message::TestRead, test_read),
        text(t(env, S::Printer))
            .size(look.text_body())
            .font(fonts::bold()),
        fact(env, S::State, status(facts.printer)),
        fact(env, S::PaperWidth, facts.profile.clone()),
        fact(env, S::LastJob, facts.last_job.clone().unwrap_or_else(none)),
        test_row(env, S::TestPrint, Message::TestPrint, test_print),
        text(t(env, S::Hub))
            .size(look.text_body())
            .font(fonts::bold()),
        fact(env, S::State, status(facts.hub)),
        fact(
            env,
            S::Outbox,
            facts.outbox.map(|n| n.to_string()).unwrap_or_else(none)
        ),
        fact(env, S::Versions, facts.versions.clone()),
    ];
    let mut checks = Column::new().spacing(look.gap() / 2.0);
    match &panel.checks {
        None => checks = checks.push(env.body(t(env, S::Checking))),
        Some(list) => {
            for check in list {
                let mut lines = column![row![
                    text(t(env, S::Level(check.level)))
                        .size(look.text_small())
                        .font(fonts::bold())
                        .color(level_color(env, check.level)),
                    text(t(env, S::Check(check.name.clone())))
                        .size(look.text_small())
                        .font(fonts::bold()),
                    text(check.detail.clone()).size(look.text_small()),
                ]
                .spacing(look.gap()),];
                if let Some(fix) = &check.fix {
                    lines = lines.push(env.small(format!("→ {fix}")));
                }
                checks = checks.push(lines);
            }
        }
    }
    let checks = column![
        checks,
        action(env, S::CheckAgain, Message::CheckAgain, false),
    ];
    let log = Column::with_children(facts.log.iter().map(|line| {
        text(line.clone())
            .size(look.text_small() * 0.8)
            .font(iced::Font::MONOSPACE)
            .into()
    }));
    column![
        card(env, devices),
        card(env, checks),
        card(
            env,
            column![
                text(t(env, S::Log))
                    .size(look.text_body())
                    .font(fonts::bold()),
                log
            ]
        ),
    ]
    .spacing(look.gap())
    .into()
}

/// A label over its control.
fn setting<'a>(
    env: &Env<'a>,
    label: S,
    control: impl Into<Element<'a, Message>>,
) -> Element<'a, Message> {
    column![
        text(t(env, label))
            .size(env.look.text_small())
            .font(fonts::bold()),
        control.into()
    ]
    .spacing(env.look.gap() / 3.0)
    .into()
}

fn input<'a>(env: &Env<'a>, value: &'a str, field: Field) -> Element<'a, Message> {
    text_input("", value)
        .on_input(move |v| Message::Text(field, v))
        .size(env.look.text_body())
        .padding(env.look.gap())
        .into()
}

fn stepper<'a>(env: &Env<'a>, value: u32, make: fn(i32) -> Message) -> Element<'a, Message> {
    let look = env.look;
    let small = |label: &'static str, step: i32| -> Element<'a, Message> {
        button(
            container(text(label).size(look.text_body()).font(fonts::bold())).center(Length::Fill),
        )
        .on_press(make(step))
        .width(look.target())
        .height(look.target())
        .style(look.tile())
        .into()
    };
    row![
        small("−", -5),
        container(
            text(value.to_string())
                .size(look.text_title())
                .font(fonts::bold())
        )
        .center_x(look.target() * 1.5),
        small("+", 5),
    ]
    .spacing(look.gap())
    .align_y(Alignment::Center)
    .into()
}

fn settings<'a>(panel: &'a Panel, env: &Env<'a>) -> Element<'a, Message> {
    let look = env.look;
    let form = &panel.form;
    let text_size = look.text_body();
    let bauds: Vec<u32> = crate::config::READER_BAUDS
        .iter()
        .map(|b| *b as u32)
        .collect();
    let profiles: Vec<String> = crate::config::PRINTER_PROFILES
        .iter()
        .map(|p| p.to_string())
        .collect();
    let saved = match &panel.saved {
        None => None,
        Some(SaveNote::Nothing) => Some(t(env, S::NothingChanged)),
        Some(SaveNote::Failed(why)) => Some(t(env, S::NotSaved(why.clone()))),
        Some(SaveNote::Saved {
            changes,
            backup,
            restart,
        }) => {
            let mut said = t(env, S::Saved(*changes, backup.clone()));
            if *restart {
                said = format!("{said}\n{}", t(env, S::AtNextStart));
            }
            Some(said)
        }
    };
    let enrol = match &panel.enrol {
        None => String::new(),
        Some(Ok(hall)) => t(env, S::Enrolled(hall.clone())),
        Some(Err(why)) => t(env, S::EnrolFailed(why.clone())),
    };
    let mut content = column![
        env.small(t(env, S::Keyboard)),
        card(
            env,
            column![
                setting(
                    env,
                    S::ReaderPort,
                    pick_list(
                        form.ports.clone(),
                        Some(form.reader_port.clone()),
                        Message::Port
                    )
                    .text_size(text_size)
                    .width(Length::Fill)
                ),
                setting(
                    env,
                    S::Baud,
                    pick_list(bauds, Some(form.baud), Message::Baud).text_size(text_size)
                ),
                setting(
                    env,
                    S::PrinterUri,
                    input(env, &form.printer_uri, Field::PrinterUri)
                ),
                setting(
                    env,
                    S::PaperWidth,
                    pick_list(profiles, Some(form.profile.clone()), Message::Profile)
                        .text_size(text_size)
                ),
            ]
        ),
        card(
            env,
            column![
                setting(env, S::HubUrl, input(env, &form.hub_url, Field::HubUrl)),
                setting(
                    env,
                    S::Code,
                    row![
                        container(input(env, &form.code, Field::Code)).width(Length::Fill),
                        action(env, S::Enrol, Message::Enrol, false),
                    ]
                    .spacing(look.gap())
                    .align_y(Alignment::Center)
                ),
                env.small(enrol),
            ]
        ),
        card(
            env,
            column![
                setting(env, S::HallZh, input(env, &form.hall_zh, Field::HallZh)),
                setting(env, S::HallEn, input(env, &form.hall_en, Field::HallEn)),
                row![
                    setting(env, S::Idle, stepper(env, form.idle, Message::Idle)),
                    setting(
                        env,
                        S::Countdown,
                        stepper(env, form.countdown, Message::Countdown)
                    ),
                ]
                .spacing(look.gap() * 3.0),
                setting(
                    env,
                    S::ScreenSize,
                    pick_list(RESOLUTIONS, Some(form.resolution), Message::Resolution)
                        .text_size(text_size)
                ),
            ]
        ),
        action(env, S::Save, Message::Save, true),
    ]
    .spacing(look.gap());
    if let Some(saved) = saved {
        content = content.push(env.body(saved).color(look.colors().accent));
    }
    content.into()
}

fn availability<'a>(panel: &'a Panel, env: &Env<'a>) -> Element<'a, Message> {
    let look = env.look;
    let state = &panel.availability;
    let (now, toggle) = if state.out_of_service {
        (S::OosOn, S::PutBack)
    } else {
        (S::OosOff, S::TakeOut)
    };
    column![card(
        env,
        column![
            text(t(env, now))
                .size(look.text_title())
                .font(fonts::bold())
                .color(if state.out_of_service {
                    look.colors().accent
                } else {
                    look.colors().primary
                }),
            env.body(t(env, S::OosBody)),
            setting(env, S::OosZh, input(env, &state.zh, Field::OosZh)),
            setting(env, S::OosEn, input(env, &state.en, Field::OosEn)),
            action(env, toggle, Message::ToggleService, true),
        ],
    )]
    .into()
}
