//! Out of service: a broken configuration (or a technician's switch) never crashes the terminal; it
//! lands here, telling citizens where to go and technicians exactly what to fix.

use iced::widget::{column, container, scrollable, space, text};
use iced::{Alignment, Length};
use serde::Serialize;

use crate::ui::i18n::Words;
use crate::ui::{fonts, Element, Env};

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct State {
    /// What a technician must fix, one line each (`kiosk.toml:12:8: reader.baud: …`).
    pub problems: Vec<String>,
    /// What a technician who switched the terminal out of service wrote for citizens (none: the standard
    /// message).
    pub message: Option<crate::domain::LocalText>,
}

pub fn view<'a, M: 'a>(state: &'a State, env: &Env<'a>) -> Element<'a, M> {
    let look = env.look;
    let colors = look.colors();
    let problems = column(
        state
            .problems
            .iter()
            .map(|p| text(p.as_str()).size(look.text_small()).into()),
    )
    .spacing(look.gap_row());

    column![
        space().height(Length::FillPortion(1)),
        text(env.t(Words::OutOfService))
            .size(look.text_huge())
            .font(fonts::bold())
            .color(colors.accent),
        env.body(match &state.message {
            Some(message) => message.get(env.lang).to_string(),
            None => env.t(Words::OutOfServiceBody).into_owned(),
        })
        .align_x(Alignment::Center),
        space().height(Length::FillPortion(1)),
    ]
    .push((!state.problems.is_empty()).then(|| {
        container(
            column![
                env.small(env.t(Words::ForTechnicians)),
                scrollable(problems).height(Length::Shrink)
            ]
            .spacing(look.gap()),
        )
        .padding(look.pad())
        .width(Length::Fill)
        .style(look.card())
    }))
    .spacing(look.gap_block())
    .padding(look.pad())
    .align_x(Alignment::Center)
    .width(Length::Fill)
    .height(Length::Fill)
    .into()
}
