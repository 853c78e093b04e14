//! Signing in with the ID card: where to place it, reading, the welcome with the masked name and number, and
//! every fault with what the citizen can do about it. The reader's events arrive through the router.

use iced::widget::{column, space, text};
use iced::{Alignment, Length};
use serde::Serialize;

use crate::device::reader::FaultKind;
use crate::domain::identity::{mask_name, CardDate, CardType, Identity};
use crate::domain::signin::CodeProblem;
use crate::domain::Lang;
use crate::terminal::Feature;
use crate::ui::i18n::{SignInWords, Words};
use crate::ui::{fonts, Element, Env, Icon};

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct State {
    pub step: Step,
    /// The feature the citizen asked for, opened after the welcome.
    pub then: Option<Feature>,
    /// What the screen says of the government app's sign-in code (亮码).
    pub code: CodeNote,
}

/// What the card screen says of signing in with the app's code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub enum CodeNote {
    /// Nothing (no scanner, or a code would not do here and no one has shown one).
    #[default]
    Hidden,
    /// A code signs the citizen in here too.
    Offered,
    /// The holder signed in with a code, and this needs the card itself.
    CardNeeded,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum Step {
    Place,
    Reading,
    /// A sign-in code is being checked.
    CheckingCode,
    /// Masked values only: the view model is mirrored to staff and rendered by `kiosk shot`.
    Welcome {
        card_type: CardType,
        name: String,
        /// The English name (foreign cards), shown in English.
        english_name: Option<String>,
        number: String,
        /// The flow needs the card on the reader until the end; removing it ends the session.
        keep_card: bool,
        /// Signed in with the app's code, not the card.
        by_code: bool,
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
    /// The app's code did not sign the citizen in.
    Code(CodeProblem),
    /// A code was shown where the card itself is needed.
    CardNeeded,
}

impl From<crate::terminal::Refusal> for Problem {
    fn from(refusal: crate::terminal::Refusal) -> Problem {
        use crate::terminal::Refusal;
        match refusal {
            Refusal::Expired(date) => Problem::Expired(date),
            Refusal::OtherHolder => Problem::OtherHolder,
            Refusal::Fault(kind) => kind.into(),
            Refusal::Code(problem) => Problem::Code(problem),
            Refusal::CardNeeded => Problem::CardNeeded,
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
            code: CodeNote::Hidden,
        }
    }

    /// The card screen for `then`, saying `code` of the app's sign-in code.
    pub fn with_code(then: Option<Feature>, code: CodeNote) -> State {
        State {
            code,
            ..State::new(then)
        }
    }

    /// Welcomes the holder the core signed in (masked); `keep_card` as the core decided; `by_code`: they
    /// showed the app's code.
    pub fn welcome(&mut self, identity: &Identity, keep_card: bool, by_code: bool) {
        self.step = Step::Welcome {
            card_type: identity.card_type,
            name: identity.masked_name(),
            english_name: identity.english_name.as_deref().map(mask_name),
            number: identity.masked_id_number(),
            keep_card,
            by_code,
        };
    }

    /// A sign-in code is being checked.
    pub fn checking_code(&mut self) {
        self.step = Step::CheckingCode;
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
        let big = |t: Words| {
            text(env.t(t))
                .size(look.text_huge())
                .font(fonts::bold())
                .align_x(Alignment::Center)
        };
        let action = |t: Words, message: Message| env.action(t, message, true);
        let body = |t: Words| {
            text(env.t(t))
                .size(look.text_title())
                .align_x(Alignment::Center)
        };
        let content: iced::widget::Column<'a, Message> = match &self.step {
            Step::Place => {
                let place = column![
                    big(Words::CardPlaceTitle),
                    body(Words::CardPlaceBody),
                    picture(Icon::CardReader, colors.primary),
                    env.small(env.t(Words::CardAccepted))
                        .align_x(Alignment::Center),
                ];
                match self.code {
                    CodeNote::Hidden => place,
                    CodeNote::Offered => place.push(
                        text(env.t(Words::SignIn(SignInWords::Offered)))
                            .size(look.text_title())
                            .color(colors.primary)
                            .align_x(Alignment::Center),
                    ),
                    CodeNote::CardNeeded => place.push(
                        text(env.t(Words::SignIn(SignInWords::CardNeededNote)))
                            .size(look.text_title())
                            .font(fonts::bold())
                            .color(colors.accent)
                            .align_x(Alignment::Center),
                    ),
                }
            }
            Step::CheckingCode => column![
                big(Words::SignIn(SignInWords::CheckingTitle)),
                Icon::Person.view(look.mm(30.0), colors.primary),
                text(env.t(Words::SignIn(SignInWords::CheckingBody)))
                    .size(look.text_title())
                    .font(fonts::bold())
                    .color(colors.accent),
            ],
            Step::Reading => column![
                big(Words::CardReadingTitle),
                picture(Icon::CardReader, colors.primary),
                text(env.t(Words::CardReadingBody))
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
                by_code,
            } => column![
                big(Words::CardWelcome),
                // The card photo has no open decoder: a placeholder stands in, the photo stays in memory.
                Icon::Person.view(look.mm(30.0), colors.muted),
                text(match (env.lang, english_name) {
                    (Lang::En, Some(english)) => english.as_str(),
                    _ => name.as_str(),
                })
                .size(look.text_huge())
                .font(fonts::bold())
                .align_x(Alignment::Center),
                env.body(env.t(if *by_code {
                    Words::SignIn(SignInWords::ByCode)
                } else {
                    Words::CardKind(*card_type)
                })),
                text(format!("{} {number}", env.t(Words::CardNumber))).size(look.text_title()),
                text(env.t(match (*keep_card, *by_code) {
                    (true, _) => Words::CardKeep,
                    (false, false) => Words::CardTake,
                    (false, true) => Words::SignIn(SignInWords::PrintNeedsCard),
                }))
                .size(look.text_title())
                .color(if *keep_card {
                    colors.accent
                } else {
                    colors.text
                })
                .align_x(Alignment::Center),
                space().height(look.gap()),
                action(Words::Continue, Message::Continue),
            ],
            Step::Problem(problem) => {
                let (title, detail) = match problem {
                    Problem::TryAgain => (Words::CardTryAgainTitle, Words::CardTryAgainBody),
                    Problem::Unreadable => (Words::CardUnreadableTitle, Words::CardUnreadableBody),
                    Problem::Expired(until) => {
                        (Words::CardExpiredTitle, Words::CardExpiredBody(*until))
                    }
                    Problem::Reader => (Words::CardReaderTitle, Words::CardReaderBody),
                    Problem::OtherHolder => (
                        Words::Journey(crate::ui::i18n::JourneyWords::OtherHolderTitle),
                        Words::Journey(crate::ui::i18n::JourneyWords::OtherHolderBody),
                    ),
                    Problem::Code(problem) => (
                        Words::SignIn(SignInWords::ProblemTitle(*problem)),
                        Words::SignIn(SignInWords::ProblemBody(*problem)),
                    ),
                    Problem::CardNeeded => (
                        Words::SignIn(SignInWords::CardNeededTitle),
                        Words::SignIn(SignInWords::CardNeededBody),
                    ),
                };
                let col = column![
                    Icon::Alert.view(look.mm(30.0), colors.accent),
                    big(title),
                    body(detail),
                    space().height(look.gap()),
                ];
                let staff = env.action(
                    Words::Journey(crate::ui::i18n::JourneyWords::CallStaff),
                    Message::CallStaff,
                    false,
                );
                if matches!(
                    problem,
                    Problem::TryAgain
                        | Problem::Unreadable
                        | Problem::Code(_)
                        | Problem::CardNeeded
                ) {
                    let again = match problem {
                        Problem::Code(_) => Words::SignIn(SignInWords::ScanAgain),
                        _ => Words::TryAgain,
                    };
                    col.push(
                        iced::widget::row![staff, action(again, Message::TryAgain)]
                            .spacing(look.gap_block()),
                    )
                } else {
                    col.push(staff)
                }
            }
        };
        let content = content
            .spacing(look.gap_block())
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
