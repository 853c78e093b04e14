//! How service mode looks: the PIN pad, and the panel's three tabs.

use iced::widget::{button, column, container, pick_list, row, scrollable, space, text};
use iced::widget::{Column, Row};
use iced::{Alignment, Color, Length};

use super::{Field, Message, Panel, Pin, PinNote, SaveNote, State, Tab, TestPrint, TestRead};
use crate::device::DeviceStatus;
use crate::maintenance::doctor::Level;
use crate::maintenance::settings::RESOLUTIONS;
use crate::ui::i18n::maintenance::{tr, MaintenanceWords};
use crate::ui::widget::entry;
use crate::ui::{fonts, Element, Env};

fn t(env: &Env<'_>, s: MaintenanceWords) -> String {
    tr(env.lang, s).into_owned()
}

/// A button of the service screens.
fn action<'a>(
    env: &Env<'a>,
    label: MaintenanceWords,
    message: Message,
    primary: bool,
) -> Element<'a, Message> {
    let look = env.look;
    env.tile(t(env, label), look.text_body(), message)
        .padding([0.0, look.pad_card()])
        .height(look.target())
        .style(look.primary_if(primary))
        .into()
}

fn card<'a>(env: &Env<'a>, content: Column<'a, Message>) -> Element<'a, Message> {
    container(content.spacing(env.look.gap()))
        .padding(env.look.pad_card())
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
        env.key(label, look.text_title(), message)
            .width(look.key_width())
            .height(look.button_height())
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
            key(t(env, MaintenanceWords::Clear), Message::Clear),
            key("0".into(), Message::Digit('0')),
            key(t(env, MaintenanceWords::Delete), Message::Delete),
        ]
        .spacing(look.gap()),
    );
    let asking_number = pin.asks_number && pin.number.is_none();
    // A staff number is no secret: its digits show; a PIN's are dots.
    let dots: String = if asking_number {
        pin.typed_number().to_string() + &"_".repeat(4usize.saturating_sub(pin.digits))
    } else {
        "●".repeat(pin.digits)
            + &"○".repeat(crate::maintenance::pin::MIN_DIGITS.saturating_sub(pin.digits))
    };
    let note = match pin.note {
        Some(PinNote::Wrong(left)) => Some(MaintenanceWords::PinWrong(left)),
        Some(PinNote::Locked(minutes)) => Some(MaintenanceWords::PinLocked(minutes)),
        Some(PinNote::NoPin) => Some(MaintenanceWords::NoPin),
        Some(PinNote::ListBroken) => Some(MaintenanceWords::ListBroken),
        None => None,
    };
    let (title, body) = match (&pin.number, asking_number) {
        (_, true) => (MaintenanceWords::NumberTitle, MaintenanceWords::PinBody),
        (Some(number), false) => (
            MaintenanceWords::PinTitle,
            MaintenanceWords::PinFor(number.clone()),
        ),
        (None, false) => (MaintenanceWords::PinTitle, MaintenanceWords::PinBody),
    };
    let mut content = column![
        space().height(Length::FillPortion(1)),
        text(t(env, title))
            .size(look.text_huge())
            .font(fonts::bold()),
        env.small(t(env, body)),
        text(dots).size(look.text_huge()),
    ]
    .spacing(look.gap_block())
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
                action(env, MaintenanceWords::Cancel, Message::Cancel, false),
                action(env, MaintenanceWords::Enter, Message::Enter, true),
            ]
            .spacing(look.gap_block()),
        )
        .push(space().height(Length::FillPortion(1)))
        .padding(look.pad())
        .into()
}

fn panel_view<'a>(panel: &'a Panel, env: &Env<'a>) -> Element<'a, Message> {
    let look = env.look;
    let tab = |label: MaintenanceWords, which: Tab| -> Element<'a, Message> {
        action(env, label, Message::Tab(which), panel.tab == which)
    };
    let head = column![
        text(t(env, MaintenanceWords::Title))
            .size(look.text_title())
            .font(fonts::bold()),
        row![
            tab(MaintenanceWords::Diagnostics, Tab::Diagnostics),
            tab(MaintenanceWords::Settings, Tab::Settings),
            tab(MaintenanceWords::Availability, Tab::Availability),
            space().width(Length::Fill),
            action(env, MaintenanceWords::Exit, Message::Exit, false),
        ]
        .spacing(look.gap())
        .align_y(Alignment::Center),
    ]
    .spacing(look.gap_row());
    let body = match panel.tab {
        Tab::Diagnostics => diagnostics(panel, env),
        Tab::Settings => settings(panel, env),
        Tab::Availability => availability(panel, env),
    };
    let mut page = column![head, scrollable(body).height(Length::Fill)].spacing(look.gap());
    if let Some((_, entry)) = &panel.editing {
        // The keyboard for the field being typed in, under the tab.
        let width = look.viewport.width - 2.0 * look.pad_card();
        page = page.push(
            column![
                entry::keyboard(env, entry, width).map(Message::Key),
                action(
                    env,
                    MaintenanceWords::DoneTyping,
                    Message::DoneEditing,
                    true
                ),
            ]
            .spacing(look.gap())
            .align_x(Alignment::Center),
        );
    }
    page.padding(look.pad_card()).into()
}

/// A label and its value on one line.
fn fact<'a>(env: &Env<'a>, label: MaintenanceWords, value: String) -> Element<'a, Message> {
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
    label: MaintenanceWords,
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
    let none = || t(env, MaintenanceWords::None);
    let status = |s: DeviceStatus| t(env, MaintenanceWords::Status(s));
    let test_read = match &panel.test_read {
        None => String::new(),
        Some(TestRead::Waiting) => t(env, MaintenanceWords::TestReadWaiting),
        Some(TestRead::Ok(what)) => t(env, MaintenanceWords::TestReadOk(what.clone())),
        Some(TestRead::Failed(why)) => t(env, MaintenanceWords::TestReadFailed(why.clone())),
    };
    let test_print = match &panel.test_print {
        None => String::new(),
        Some(TestPrint::Printing) => t(env, MaintenanceWords::TestPrinting),
        Some(TestPrint::Printed) => t(env, MaintenanceWords::Printed),
        Some(TestPrint::NotPrinted(why)) => t(env, MaintenanceWords::NotPrinted(why.clone())),
    };
    let devices = column![
        text(t(env, MaintenanceWords::Reader))
            .size(look.text_body())
            .font(fonts::bold()),
        fact(env, MaintenanceWords::State, status(facts.reader)),
        fact(
            env,
            MaintenanceWords::SamId,
            facts.sam_id.clone().unwrap_or_else(none)
        ),
        fact(
            env,
            MaintenanceWords::LastRead,
            facts.last_read.clone().unwrap_or_else(none)
        ),
        test_row(
            env,
            MaintenanceWords::TestRead,
            Message::TestRead,
            test_read
        ),
        text(t(env, MaintenanceWords::Printer))
            .size(look.text_body())
            .font(fonts::bold()),
        fact(env, MaintenanceWords::State, status(facts.printer)),
        fact(env, MaintenanceWords::PaperWidth, facts.profile.clone()),
        fact(
            env,
            MaintenanceWords::LastJob,
            facts.last_job.clone().unwrap_or_else(none)
        ),
        test_row(
            env,
            MaintenanceWords::TestPrint,
            Message::TestPrint,
            test_print
        ),
        text(t(env, MaintenanceWords::Camera))
            .size(look.text_body())
            .font(fonts::bold()),
        fact(env, MaintenanceWords::State, status(facts.camera)),
        text(t(env, MaintenanceWords::Scanner))
            .size(look.text_body())
            .font(fonts::bold()),
        fact(env, MaintenanceWords::State, status(facts.scanner)),
        text(t(env, MaintenanceWords::Hub))
            .size(look.text_body())
            .font(fonts::bold()),
        fact(env, MaintenanceWords::State, status(facts.hub)),
        fact(
            env,
            MaintenanceWords::Outbox,
            facts.outbox.map(|n| n.to_string()).unwrap_or_else(none)
        ),
        fact(env, MaintenanceWords::Versions, facts.versions.clone()),
    ];
    let mut checks = Column::new().spacing(look.gap_row());
    match &panel.checks {
        None => checks = checks.push(env.body(t(env, MaintenanceWords::Checking))),
        Some(list) => {
            for check in list {
                let mut lines = column![row![
                    text(t(env, MaintenanceWords::Level(check.level)))
                        .size(look.text_small())
                        .font(fonts::bold())
                        .color(level_color(env, check.level)),
                    text(t(env, MaintenanceWords::Check(check.name.clone())))
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
        action(
            env,
            MaintenanceWords::CheckAgain,
            Message::CheckAgain,
            false
        ),
    ];
    let log = Column::with_children(facts.log.iter().map(|line| {
        text(line.clone())
            .size(look.text_log())
            .font(iced::Font::MONOSPACE)
            .into()
    }));
    column![
        card(env, devices),
        card(env, checks),
        card(
            env,
            column![
                text(t(env, MaintenanceWords::Log))
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
    label: MaintenanceWords,
    control: impl Into<Element<'a, Message>>,
) -> Element<'a, Message> {
    column![
        text(t(env, label))
            .size(env.look.text_small())
            .font(fonts::bold()),
        control.into()
    ]
    .spacing(env.look.gap_line())
    .into()
}

/// A text setting: its value, tapped to type in it on the screen's keyboard (shown under the tab).
fn input<'a>(
    env: &Env<'a>,
    panel: &'a Panel,
    value: &'a str,
    field: Field,
) -> Element<'a, Message> {
    let look = env.look;
    if let Some((editing, entry)) = &panel.editing {
        if *editing == field {
            return entry::field(env, entry, String::new(), false);
        }
    }
    button(text(value).size(look.text_body()))
        .on_press(Message::Edit(field))
        .padding(look.gap())
        .width(Length::Fill)
        .style(look.tile())
        .into()
}

fn stepper<'a>(env: &Env<'a>, value: u32, make: fn(i32) -> Message) -> Element<'a, Message> {
    let look = env.look;
    let small = |label: &'static str, step: i32| -> Element<'a, Message> {
        env.key(label, look.text_body(), make(step))
            .width(look.target())
            .height(look.target())
            .into()
    };
    row![
        small("−", -5),
        container(
            text(value.to_string())
                .size(look.text_title())
                .font(fonts::bold())
        )
        .center_x(look.value_width()),
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
        Some(SaveNote::Nothing) => Some(t(env, MaintenanceWords::NothingChanged)),
        Some(SaveNote::Failed(why)) => Some(t(env, MaintenanceWords::NotSaved(why.clone()))),
        Some(SaveNote::Saved {
            changes,
            backup,
            restart,
        }) => {
            let mut said = t(env, MaintenanceWords::Saved(*changes, backup.clone()));
            if *restart {
                said = format!("{said}\n{}", t(env, MaintenanceWords::AtNextStart));
            }
            Some(said)
        }
    };
    let enrol = match &panel.enrol {
        None => String::new(),
        Some(Ok(hall)) => t(env, MaintenanceWords::Enrolled(hall.clone())),
        Some(Err(why)) => t(env, MaintenanceWords::EnrolFailed(why.clone())),
    };
    let mut content = column![
        env.small(t(env, MaintenanceWords::Keyboard)),
        card(
            env,
            column![
                setting(
                    env,
                    MaintenanceWords::ReaderPort,
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
                    MaintenanceWords::Baud,
                    pick_list(bauds, Some(form.baud), Message::Baud).text_size(text_size)
                ),
                setting(
                    env,
                    MaintenanceWords::PrinterUri,
                    input(env, panel, &form.printer_uri, Field::PrinterUri)
                ),
                setting(
                    env,
                    MaintenanceWords::PaperWidth,
                    pick_list(profiles, Some(form.profile.clone()), Message::Profile)
                        .text_size(text_size)
                ),
            ]
        ),
        card(
            env,
            column![
                setting(
                    env,
                    MaintenanceWords::HubUrl,
                    input(env, panel, &form.hub_url, Field::HubUrl)
                ),
                setting(
                    env,
                    MaintenanceWords::Code,
                    row![
                        container(input(env, panel, &form.code, Field::Code)).width(Length::Fill),
                        action(env, MaintenanceWords::Enrol, Message::Enrol, false),
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
                setting(
                    env,
                    MaintenanceWords::HallZh,
                    input(env, panel, &form.hall_zh, Field::HallZh)
                ),
                setting(
                    env,
                    MaintenanceWords::HallEn,
                    input(env, panel, &form.hall_en, Field::HallEn)
                ),
                row![
                    setting(
                        env,
                        MaintenanceWords::Idle,
                        stepper(env, form.idle, Message::Idle)
                    ),
                    setting(
                        env,
                        MaintenanceWords::Countdown,
                        stepper(env, form.countdown, Message::Countdown)
                    ),
                ]
                .spacing(look.gap_group()),
                setting(
                    env,
                    MaintenanceWords::ScreenSize,
                    pick_list(RESOLUTIONS, Some(form.resolution), Message::Resolution)
                        .text_size(text_size)
                ),
            ]
        ),
        action(env, MaintenanceWords::Save, Message::Save, true),
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
        (MaintenanceWords::OosOn, MaintenanceWords::PutBack)
    } else {
        (MaintenanceWords::OosOff, MaintenanceWords::TakeOut)
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
            env.body(t(env, MaintenanceWords::OosBody)),
            setting(
                env,
                MaintenanceWords::OosZh,
                input(env, panel, &state.zh, Field::OosZh)
            ),
            setting(
                env,
                MaintenanceWords::OosEn,
                input(env, panel, &state.en, Field::OosEn)
            ),
            action(env, toggle, Message::ToggleService, true),
        ],
    )]
    .into()
}
