//! 好差评: offered after each completed journey, never forced and never pre-filled. The done screens carry a
//! strip of five faces with their words; a tap on a face of the three upper levels sends the rating at once,
//! one of the two low levels first asks for reasons (optional). The rating goes through the outbox, so it
//! reaches the hub after a day offline too; what the citizen did before is never touched by it.

use iced::widget::{button, column, container, row, space, text, Row};
use iced::{Alignment, Length};
use serde::Serialize;

use crate::ui::i18n::{JourneyWords, Prompt, Words};
use crate::ui::{fonts, Element, Env, Icon};

/// The reason tags a low rating may carry.
pub const TAGS: [&str; 5] = ["slow", "unclear", "device", "steps", "result"];

/// What is being rated: the journey (or the catalogue's service) and the case, when it had one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Subject {
    pub service: String,
    pub case_no: Option<String>,
}

impl Subject {
    pub fn journey(name: &str) -> Subject {
        Subject {
            service: name.to_string(),
            case_no: None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct State {
    pub subject: Subject,
    pub level: u8,
    pub tags: Vec<&'static str>,
    pub step: Step,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Step {
    /// A low level: choose reasons, then send.
    Reasons,
    /// Being written to the outbox.
    Sending,
    Thanks,
    /// The outbox could not take it (what the citizen did is unaffected).
    NotSaved,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Message {
    Toggle(&'static str),
    Send,
    Home,
    Finish,
}

/// What the rating screen asks of the router.
#[derive(Debug, Clone, PartialEq)]
pub enum Event {
    Send(kiosk_proto::service::Rating),
    Home,
    Finish,
}

impl State {
    /// The screen after a face was tapped, and the rating to send at once for an upper level.
    pub fn new(subject: Subject, level: u8) -> (State, Option<kiosk_proto::service::Rating>) {
        let mut state = State {
            subject,
            level: level.clamp(1, 5),
            tags: Vec::new(),
            step: Step::Reasons,
        };
        if state.level > 2 {
            state.step = Step::Sending;
            let rating = state.rating();
            return (state, Some(rating));
        }
        (state, None)
    }

    fn rating(&self) -> kiosk_proto::service::Rating {
        kiosk_proto::service::Rating {
            case_no: self.subject.case_no.clone(),
            service: self.subject.service.clone(),
            level: self.level,
            tags: self.tags.iter().map(|t| t.to_string()).collect(),
        }
    }

    pub fn update(&mut self, message: Message) -> Option<Event> {
        match (message, self.step) {
            (Message::Toggle(tag), Step::Reasons) => {
                match self.tags.iter().position(|t| *t == tag) {
                    Some(i) => {
                        self.tags.remove(i);
                    }
                    None => self.tags.push(tag),
                }
                None
            }
            (Message::Send, Step::Reasons) => {
                self.step = Step::Sending;
                Some(Event::Send(self.rating()))
            }
            (Message::Home, _) => Some(Event::Home),
            (Message::Finish, _) => Some(Event::Finish),
            _ => None,
        }
    }

    /// The outbox's answer.
    pub fn sent(&mut self, saved: bool) {
        if self.step == Step::Sending {
            self.step = if saved { Step::Thanks } else { Step::NotSaved };
        }
    }

    pub fn prompt(&self) -> Prompt {
        match self.step {
            Step::Reasons => Prompt::Rating,
            _ => Prompt::RatingThanks,
        }
    }

    pub fn view<'a>(&'a self, env: &Env<'a>) -> Element<'a, Message> {
        let look = env.look;
        let colors = look.colors();
        let j = |j: JourneyWords| env.t(Words::Journey(j));
        let face = column![
            Icon::Face(self.level).view(look.mm(36.0), colors.primary),
            text(j(JourneyWords::RateLevel(self.level)))
                .size(look.text_title())
                .font(fonts::bold()),
        ]
        .spacing(look.gap())
        .align_x(Alignment::Center);
        let ends = row![
            env.action(
                Words::Journey(JourneyWords::SomethingElse),
                Message::Home,
                false
            ),
            env.action(Words::Finish, Message::Finish, true),
        ]
        .spacing(look.gap_block());
        let content = match self.step {
            Step::Reasons => {
                let tags = TAGS.iter().map(|tag| {
                    let on = self.tags.contains(tag);
                    // A tick as well as the colour: colour is never the only cue.
                    let mark = if on { "✓ " } else { "" };
                    button(crate::ui::assist::shaped_content(
                        kiosk_proto::assist::Shape::Tile,
                        container(
                            text(format!("{mark}{}", j(JourneyWords::RateTag(tag))))
                                .size(look.text_title())
                                .font(fonts::bold()),
                        )
                        .center_y(Length::Fill),
                    ))
                    .on_press(Message::Toggle(tag))
                    .padding([0.0, look.pad_button()])
                    .height(look.button_height())
                    .width(Length::Fill)
                    .style(look.primary_if(on))
                    .into()
                });
                column![
                    face,
                    env.body(j(JourneyWords::RateWhy))
                        .align_x(Alignment::Center),
                    iced::widget::Column::with_children(tags).spacing(look.gap()),
                    space().height(Length::Fill),
                    env.action(Words::Journey(JourneyWords::RateSend), Message::Send, true),
                ]
            }
            Step::Sending => column![face, space().height(Length::Fill)],
            Step::Thanks => {
                let mut thanks = column![
                    space().height(Length::FillPortion(1)),
                    face,
                    text(j(JourneyWords::RateThanks))
                        .size(look.text_huge())
                        .font(fonts::bold()),
                    env.body(j(JourneyWords::RateThanksBody))
                        .align_x(Alignment::Center),
                ];
                if self.level <= 2 {
                    thanks = thanks.push(
                        env.body(j(JourneyWords::RateLowThanks))
                            .align_x(Alignment::Center),
                    );
                }
                thanks
                    .push(space().height(Length::FillPortion(2)))
                    .push(ends)
            }
            Step::NotSaved => column![
                space().height(Length::FillPortion(1)),
                Icon::Alert.view(look.mm(30.0), colors.accent),
                text(j(JourneyWords::RateNotSaved))
                    .size(look.text_huge())
                    .font(fonts::bold()),
                env.body(j(JourneyWords::RateNotSavedBody))
                    .align_x(Alignment::Center),
                space().height(Length::FillPortion(2)),
                ends,
            ],
        };
        crate::ui::screen::help::centred(env, content)
    }
}

/// The five faces with their words, for the done screens: a tap gives its level.
pub fn strip<'a>(env: &Env<'a>) -> Element<'a, u8> {
    let look = env.look;
    let colors = look.colors();
    let faces = (1..=5u8).rev().map(|level| {
        button(crate::ui::assist::shaped_content(
            kiosk_proto::assist::Shape::Tile,
            column![
                Icon::Face(level).view(
                    look.mm(if look.elder { 16.0 } else { 13.0 }),
                    colors.primary
                ),
                text(env.t(Words::Journey(JourneyWords::RateLevel(level))))
                    .size(look.text_small())
                    .font(fonts::bold())
                    .align_x(Alignment::Center),
            ]
            .spacing(look.gap_line())
            .align_x(Alignment::Center)
            .width(Length::Fill),
        ))
        .on_press(level)
        .padding(look.gap_row())
        .width(Length::Fill)
        .style(look.tile())
        .into()
    });
    column![
        env.body(env.t(Words::Journey(JourneyWords::RateAsk)))
            .color(colors.muted),
        Row::with_children(faces).spacing(look.gap()),
    ]
    .spacing(look.gap_row())
    .align_x(Alignment::Center)
    .width(Length::Fill)
    .into()
}
