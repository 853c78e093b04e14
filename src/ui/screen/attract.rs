//! The attract screen: hall name, clock, rotating announcements; a touch anywhere starts a session.

use chrono::NaiveDateTime;
use iced::widget::{button, column, container, space, text};
use iced::{Alignment, Length};
use serde::Serialize;

use crate::domain::LocalText;
use crate::ui::i18n::{self, Words};
use crate::ui::{fonts, Element, Env};

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct State {
    /// Which announcement shows.
    pub announcement: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Message {
    Start,
}

impl State {
    /// Moves to the next announcement (never called in elder mode: no carousel there).
    pub fn rotate(&mut self, count: usize) {
        if count > 0 {
            self.announcement = (self.announcement + 1) % count;
        }
    }
}

pub fn view<'a>(
    state: &State,
    env: &Env<'a>,
    hall: &'a LocalText,
    now: NaiveDateTime,
    reader_usable: bool,
) -> Element<'a, Message> {
    let look = env.look;
    let colors = look.colors();
    let announcements = &env.catalogue.announcements;
    let announcement: Element<'a, Message> = match announcements.get(state.announcement) {
        Some(a) => {
            let counter = if announcements.len() > 1 && !look.elder {
                format!("{} / {}", state.announcement + 1, announcements.len())
            } else {
                String::new()
            };
            container(
                column![
                    env.title(a.title.get(env.lang)),
                    env.body(a.body.get(env.lang)).color(colors.muted),
                    env.small(counter),
                ]
                .spacing(look.gap()),
            )
            .padding(look.pad())
            .width(Length::Fill)
            .style(look.card())
            .into()
        }
        None => space().into(),
    };

    let content = column![
        text(hall.get(env.lang))
            .size(look.text_title())
            .font(fonts::bold())
            .align_x(Alignment::Center),
        space().height(Length::Fill),
        text(i18n::clock(now))
            .size(look.text_clock())
            .font(fonts::bold()),
        env.body(i18n::date(env.lang, now)),
        space().height(Length::Fill),
        announcement,
        space().height(Length::Fill),
        text(env.t(Words::TouchToStart))
            .size(look.text_huge())
            .font(fonts::bold())
            .color(colors.primary),
        env.body(env.t(if reader_usable {
            Words::AttractCardHint
        } else {
            Words::AttractSubtitle
        }))
        .color(colors.muted),
        space().height(look.pad()),
    ]
    .spacing(look.gap())
    .align_x(Alignment::Center)
    .width(Length::Fill);

    button(crate::ui::assist::shaped_content(
        kiosk_proto::assist::Shape::Button,
        container(content).padding(look.pad()).height(Length::Fill),
    ))
    .on_press(Message::Start)
    .width(Length::Fill)
    .height(Length::Fill)
    .style(move |_, _| button::Style {
        background: None,
        text_color: colors.text,
        ..button::Style::default()
    })
    .into()
}
