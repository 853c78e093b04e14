//! Signing in with the ID card: where to place it, reading, the welcome with the masked name and number, and
//! every fault with what the citizen can do about it. The reader's events arrive through the router.

use iced::widget::{column, space, text};
use iced::{Alignment, Length};
use serde::Serialize;

use crate::device::reader::FaultKind;
use crate::domain::identity::{mask_name, CardDate, CardType, Identity};
use crate::domain::Lang;
use crate::terminal::Feature;
use crate::ui::i18n::T;
use crate::ui::{fonts, Element, Env, Icon};

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct State {
    pub step: Step,
    /// The feature the citizen asked for, opened after the welcome.
    pub then: Option<Feature>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum Step {
    Place,
    Reading,
    /// Masked values only: the view model is mirrored to staff and rendered by `kiosk shot`.
    Welcome {
        card_type: CardType,
        name: String,
        /// The English name (foreign cards), shown in English.
        english_name: Option<String>,
        number: String,
        /// The flow needs the card on the reader until the end; removing it ends the session.
        keep_card: bool,
    },
    Problem(Problem),
}

/// Why the card did not sign the citizen in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Problem {
    TryAgain,
    Unreadable,
    Expired(CardDate),
    Reader,
    /// Someone is signed in and another person's card was placed (the card was asked for again).
    OtherHolder,
}

impl From<crate::terminal::Refusal> for Problem {
    fn from(refusal: crate::terminal::Refusal) -> Problem {
        use crate::terminal::Refusal;
        match refusal {
            Refusal::Expired(date) => Problem::Expired(date),
            Refusal::OtherHolder => Problem::OtherHolder,
            Refusal::Fault(kind) => kind.into(),
        }
    }
}

impl From<FaultKind> for Problem {
    fn from(kind: FaultKind) -> Problem {
        match kind {
            FaultKind::TryAgain => Problem::TryAgain,
            FaultKind::Unreadable => Problem::Unreadable,
            FaultKind::Reader => Problem::Reader,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Message {
    Continue,
    TryAgain,
    CallStaff,
}

/// What the card screen tells the router.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    /// Signed in: go on to `then`, or home.
    Done(Option<Feature>),
    /// The card could not sign the citizen in: fetch staff (with the problem).
    CallStaff(String),
}

impl State {
    pub fn new(then: Option<Feature>) -> State {
        State {
            step: Step::Place,
            then,
        }
    }

    /// Welcomes the holder the core signed in (masked); `keep_card` as the core decided.
    pub fn welcome(&mut self, identity: &Identity, keep_card: bool) {
        self.step = Step::Welcome {
            card_type: identity.card_type,
            name: identity.masked_name(),
            english_name: identity.english_name.as_deref().map(mask_name),
            number: identity.masked_id_number(),
            keep_card,
        };
    }

    /// A card lies on the reader and is being read.
    pub fn reading(&mut self) {
        self.step = Step::Reading;
    }

    /// The card was not taken, for this reason.
    pub fn refuse(&mut self, problem: Problem) {
        self.step = Step::Problem(problem);
    }

    /// The reader stopped working: a card being waited for or read cannot be.
    pub fn reader_down(&mut self) {
        if matches!(self.step, Step::Place | Step::Reading) {
            self.step = Step::Problem(Problem::Reader);
        }
    }

    pub fn update(&mut self, message: Message) -> Option<Event> {
        match message {
            Message::Continue => match self.step {
                Step::Welcome { .. } => Some(Event::Done(self.then)),
                _ => None,
            },
            Message::TryAgain => {
                self.step = Step::Place;
                None
            }
            Message::CallStaff => match &self.step {
                Step::Problem(problem) => Some(Event::CallStaff(format!("{problem:?}"))),
                _ => None,
            },
        }
    }

    pub fn view<'a>(&'a self, env: &Env<'a>) -> Element<'a, Message> {
        let look = env.look;
        let colors = look.colors();
        let picture = |icon: Icon, color| icon.view(look.mm(110.0), color);
        let big = |t: T| {
            text(env.t(t))
                .size(look.text_huge())
                .font(fonts::bold())
                .align_x(Alignment::Center)
        };
        let action = |t: T, message: Message| env.action(t, message, true);
        let body = |t: T| {
            text(env.t(t))
                .size(look.text_title())
                .align_x(Alignment::Center)
        };
        let content: iced::widget::Column<'a, Message> = match &self.step {
            Step::Place => column![
                big(T::CardPlaceTitle),
                body(T::CardPlaceBody),
                picture(Icon::CardReader, colors.primary),
                env.small(env.t(T::CardAccepted)).align_x(Alignment::Center),
            ],
            Step::Reading => column![
                big(T::CardReadingTitle),
                picture(Icon::CardReader, colors.primary),
                text(env.t(T::CardReadingBody))
                    .size(look.text_title())
                    .font(fonts::bold())
                    .color(colors.accent),
            ],
            Step::Welcome {
                card_type,
                name,
                english_name,
                number,
                keep_card,
            } => column![
                big(T::CardWelcome),
                // The card photo has no open decoder: a placeholder stands in, the photo stays in memory.
                Icon::Person.view(look.mm(30.0), colors.muted),
                text(match (env.lang, english_name) {
                    (Lang::En, Some(english)) => english.as_str(),
                    _ => name.as_str(),
                })
                .size(look.text_huge())
                .font(fonts::bold())
                .align_x(Alignment::Center),
                env.body(env.t(T::CardKind(*card_type))),
                text(format!("{} {number}", env.t(T::CardNumber))).size(look.text_title()),
                text(env.t(if *keep_card { T::CardKeep } else { T::CardTake }))
                    .size(look.text_title())
                    .color(if *keep_card {
                        colors.accent
                    } else {
                        colors.text
                    })
                    .align_x(Alignment::Center),
                space().height(look.gap()),
                action(T::Continue, Message::Continue),
            ],
            Step::Problem(problem) => {
                let (title, detail) = match problem {
                    Problem::TryAgain => (T::CardTryAgainTitle, T::CardTryAgainBody),
                    Problem::Unreadable => (T::CardUnreadableTitle, T::CardUnreadableBody),
                    Problem::Expired(until) => (T::CardExpiredTitle, T::CardExpiredBody(*until)),
                    Problem::Reader => (T::CardReaderTitle, T::CardReaderBody),
                    Problem::OtherHolder => (
                        T::J(crate::ui::i18n::J::OtherHolderTitle),
                        T::J(crate::ui::i18n::J::OtherHolderBody),
                    ),
                };
                let col = column![
                    Icon::Alert.view(look.mm(30.0), colors.accent),
                    big(title),
                    body(detail),
                    space().height(look.gap()),
                ];
                let staff = env.action(
                    T::J(crate::ui::i18n::J::CallStaff),
                    Message::CallStaff,
                    false,
                );
                if matches!(problem, Problem::TryAgain | Problem::Unreadable) {
                    col.push(
                        iced::widget::row![staff, action(T::TryAgain, Message::TryAgain)]
                            .spacing(look.gap() * 2.0),
                    )
                } else {
                    col.push(staff)
                }
            }
        };
        let content = content
            .spacing(look.gap() * 2.0)
            .align_x(Alignment::Center)
            .width(Length::Fill);
        crate::ui::screen::help::centred(
            env,
            iced::widget::Column::new()
                .push(space().height(Length::FillPortion(1)))
                .push(content)
                .push(space().height(Length::FillPortion(1))),
        )
    }
}
