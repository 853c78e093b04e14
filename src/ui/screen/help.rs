//! "Call staff": offered on every failure of a journey. The request is recorded in the outbox (the screen and
//! the problem, never who the citizen is) and the citizen is told where staff are. Remote guidance answers
//! the same request from the staff console once it exists.

use iced::widget::{column, container, row, space, text};
use iced::{Alignment, Length};
use serde::Serialize;

use crate::journey::Failure;
use crate::ui::i18n::{JourneyWords, Words};
use crate::ui::{fonts, Element, Env, Icon};

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct State {
    /// The screen the citizen called from, and what went wrong there.
    pub from: &'static str,
    pub problem: Option<String>,
    /// Whether the outbox took the request (none: not answered yet).
    recorded: Option<bool>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Message {
    Home,
    Finish,
}

impl State {
    /// Asking for help from the screen `from`, about `problem`; the outbox's answer is awaited.
    pub fn new(from: &'static str, problem: Option<String>) -> State {
        State {
            from,
            problem,
            recorded: None,
        }
    }

    /// The outbox took the request, or not.
    pub fn recorded(&mut self, recorded: bool) {
        self.recorded = Some(recorded);
    }

    pub fn view<'a>(&'a self, env: &Env<'a>) -> Element<'a, Message> {
        let look = env.look;
        let colors = look.colors();
        // "Recorded" only once the outbox has it; until then (or if it failed) just where staff are.
        let body = if self.recorded == Some(true) {
            JourneyWords::HelpBody
        } else {
            JourneyWords::HelpNotRecorded
        };
        notice(
            env,
            Icon::Person.view(look.mm(40.0), colors.primary).into(),
            Words::Journey(JourneyWords::HelpTitle),
            Words::Journey(body),
            row![
                env.action(Words::Home, Message::Home, false),
                env.action(Words::Finish, Message::Finish, true),
            ]
            .spacing(look.gap_block())
            .into(),
        )
    }
}

/// A screen's column, centred and no wider than the screen's short side allows.
pub fn centred<'a, M: 'a>(env: &Env<'a>, content: iced::widget::Column<'a, M>) -> Element<'a, M> {
    let look = env.look;
    container(
        content
            .spacing(look.gap_block())
            .align_x(Alignment::Center)
            .width(Length::Fill)
            .max_width(look.viewport.width.min(look.viewport.height) * 0.9),
    )
    .center_x(Length::Fill)
    .padding(look.pad())
    .height(Length::Fill)
    .into()
}

/// What a journey's failure shows: what happened, what to do, "try again" where trying again can help,
/// "call staff", and the way home.
pub fn failure<'a, M: Clone + 'a>(
    env: &Env<'a>,
    failure: &Failure,
    retry: Option<M>,
    call_staff: M,
    home: M,
) -> Element<'a, M> {
    let look = env.look;
    let colors = look.colors();
    let (title, body) = match failure {
        Failure::NotFound => (
            JourneyWords::ProgressNotFoundTitle,
            JourneyWords::ProgressNotFoundBody,
        ),
        Failure::Locked(minutes) => (
            JourneyWords::ProgressLockedTitle,
            JourneyWords::ProgressLockedBody(*minutes),
        ),
        other => (
            JourneyWords::Failure(*other),
            JourneyWords::FailureBody(*other),
        ),
    };
    let mut buttons = row![env.action(Words::Home, home, false)].spacing(look.gap_block());
    buttons = buttons.push(env.action(
        Words::Journey(JourneyWords::CallStaff),
        call_staff,
        retry.is_none(),
    ));
    if let Some(retry) = retry {
        buttons =
            buttons.push(env.action(Words::Journey(JourneyWords::TryAgainButton), retry, true));
    }
    notice(
        env,
        Icon::Alert.view(look.mm(30.0), colors.accent).into(),
        Words::Journey(title),
        Words::Journey(body),
        buttons.into(),
    )
}

/// Nothing to show (no cases, no documents): a picture, what and why, and the way home.
pub fn empty<'a, M: Clone + 'a>(
    env: &Env<'a>,
    icon: Icon,
    title: JourneyWords,
    body: JourneyWords,
    home: M,
) -> Element<'a, M> {
    empty_for(env, icon, Words::Journey(title), Words::Journey(body), home)
}

/// [`empty`] with any of the terminal's words.
pub fn empty_for<'a, M: Clone + 'a>(
    env: &Env<'a>,
    icon: Icon,
    title: Words,
    body: Words,
    home: M,
) -> Element<'a, M> {
    let look = env.look;
    notice(
        env,
        icon.view(look.mm(40.0), look.colors().muted).into(),
        title,
        body,
        env.action(Words::Home, home, true).into(),
    )
}

/// A screen that tells one thing: a picture, a title, what it means, and the buttons, centred.
fn notice<'a, M: 'a>(
    env: &Env<'a>,
    picture: Element<'a, M>,
    title: Words,
    body: Words,
    buttons: Element<'a, M>,
) -> Element<'a, M> {
    let look = env.look;
    centred(
        env,
        column![
            space().height(Length::FillPortion(1)),
            picture,
            text(env.t(title))
                .size(look.text_huge())
                .font(fonts::bold())
                .align_x(Alignment::Center),
            text(env.t(body))
                .size(look.text_title())
                .align_x(Alignment::Center),
            space().height(Length::FillPortion(1)),
            buttons,
        ],
    )
}

/// A journey's page: its content with the screen's margins, filling the screen.
pub fn padded<'a, M: 'a>(env: &Env<'_>, content: Element<'a, M>) -> Element<'a, M> {
    container(content)
        .padding(env.look.pad())
        .width(Length::Fill)
        .height(Length::Fill)
        .into()
}

/// A wait with its words (the call runs off the UI thread).
pub fn waiting<'a, M: 'a>(env: &Env<'a>, words: JourneyWords) -> Element<'a, M> {
    waiting_for(env, Words::Journey(words))
}

/// [`waiting`] with any of the terminal's words.
pub fn waiting_for<'a, M: 'a>(env: &Env<'a>, words: Words) -> Element<'a, M> {
    let look = env.look;
    let colors = look.colors();
    centred(
        env,
        column![
            space().height(Length::FillPortion(1)),
            Icon::Progress.view(look.mm(40.0), colors.primary),
            text(env.t(words))
                .size(look.text_huge())
                .font(fonts::bold())
                .align_x(Alignment::Center),
            space().height(Length::FillPortion(1)),
        ],
    )
}
