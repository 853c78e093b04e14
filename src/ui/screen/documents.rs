//! 证照打印, before the preview: the card holder's printable documents with today's copies, the claim of a
//! copy (the hub's reprint limit), and why not when the day's copies are used up. A holder with one
//! document left to print goes straight to its preview.

use iced::widget::{button, column, container, row, scrollable, space, text, Column};
use iced::{Alignment, Length};
use kiosk_proto::service::DocumentEntry;
use serde::Serialize;

use crate::journey::Failure;
use crate::ui::i18n::{JourneyWords, Prompt, Words};
use crate::ui::screen::help;
use crate::ui::{fonts, Element, Env, Icon};

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct State {
    pub step: Step,
    /// The holder's documents (titles and issuers: not personal).
    pub documents: Vec<DocumentEntry>,
    /// The document to claim again once the list is in (trying a failed print again).
    pub again: Option<String>,
    /// Only the documents of this enterprise (its 统一社会信用代码: 企业服务's business licence).
    pub enterprise: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum Step {
    Loading,
    List,
    /// Asking the hub for a copy of this document.
    Claiming(usize),
    /// The day's copies are used up.
    Limit {
        title: String,
        daily_limit: u32,
        next_day: String,
    },
    Problem(Failure),
}

#[derive(Debug, Clone, PartialEq)]
pub enum Message {
    Choose(usize),
    Retry,
    CallStaff,
    Home,
}

/// What the documents screen asks of the router.
#[derive(Debug, Clone, PartialEq)]
pub enum Event {
    Fetch,
    Claim(String),
    CallStaff(String),
    Home,
}

impl Default for State {
    fn default() -> Self {
        State {
            step: Step::Loading,
            documents: Vec::new(),
            again: None,
            enterprise: None,
        }
    }
}

impl State {
    /// The holder's documents, or only those of the enterprise `only` names.
    pub fn of(only: Option<String>) -> State {
        State {
            enterprise: only,
            ..State::default()
        }
    }

    /// The list fetched again to claim `document` anew (its failed print gave the copy back).
    pub fn again(document: String) -> State {
        State {
            again: Some(document),
            ..State::default()
        }
    }

    pub fn update(&mut self, message: Message) -> Option<Event> {
        match message {
            Message::Choose(i) if self.step == Step::List && i < self.documents.len() => {
                self.claiming(i)
            }
            Message::Choose(_) => None,
            Message::Retry => {
                self.step = Step::Loading;
                Some(Event::Fetch)
            }
            Message::CallStaff => Some(Event::CallStaff(match &self.step {
                Step::Problem(failure) => format!("{failure:?}"),
                Step::Limit { .. } => "limit".into(),
                _ => String::new(),
            })),
            Message::Home => Some(Event::Home),
        }
    }

    fn claiming(&mut self, i: usize) -> Option<Event> {
        self.step = Step::Claiming(i);
        Some(Event::Claim(self.documents[i].id.clone()))
    }

    /// The holder's documents arrived: the list, or straight to the claim of the only one with a copy left.
    pub fn listed(&mut self, answer: Result<Vec<DocumentEntry>, Failure>) -> Option<Event> {
        if self.step != Step::Loading {
            return None;
        }
        match answer {
            Ok(mut documents) => {
                if let Some(only) = &self.enterprise {
                    documents.retain(|d| d.enterprise.as_ref() == Some(only));
                }
                self.documents = documents;
                self.step = Step::List;
                if let Some(again) = self.again.take() {
                    if let Some(i) = self.documents.iter().position(|d| d.id == again) {
                        return self.claiming(i);
                    }
                }
                if let [only] = self.documents.as_slice() {
                    if only.printed_today < only.daily_limit {
                        return self.claiming(0);
                    }
                }
                None
            }
            Err(failure) => {
                self.step = Step::Problem(failure);
                None
            }
        }
    }

    /// The claim was refused: the day's copies are used up.
    pub fn limit_reached(&mut self, printed_today: u32, daily_limit: u32, next_day: String) {
        if let Step::Claiming(i) = self.step {
            let document = &mut self.documents[i];
            document.printed_today = printed_today;
            self.step = Step::Limit {
                title: document.title.clone(),
                daily_limit,
                next_day,
            };
        }
    }

    pub fn failed(&mut self, failure: Failure) {
        self.step = Step::Problem(failure);
    }

    /// Back one step; false: leave the journey.
    pub fn back(&mut self) -> bool {
        if matches!(self.step, Step::Limit { .. }) && self.documents.len() > 1 {
            self.step = Step::List;
            return true;
        }
        false
    }

    pub fn prompt(&self) -> Prompt {
        match self.step {
            Step::Loading | Step::Claiming(_) => Prompt::Loading,
            Step::List => Prompt::Documents,
            Step::Limit { .. } => Prompt::Limit,
            Step::Problem(_) => Prompt::Problem,
        }
    }

    pub fn view<'a>(&'a self, env: &Env<'a>) -> Element<'a, Message> {
        let look = env.look;
        let colors = look.colors();
        match &self.step {
            Step::Loading => help::waiting(env, JourneyWords::DocumentsLoading),
            Step::Claiming(_) => help::waiting(env, JourneyWords::DocumentsClaiming),
            Step::List if self.documents.is_empty() => help::empty(
                env,
                Icon::Print,
                JourneyWords::DocumentsNone,
                JourneyWords::DocumentsNoneBody,
                Message::Home,
            ),
            Step::List => {
                let rows = self.documents.iter().enumerate().map(|(i, d)| {
                    let left = d.printed_today < d.daily_limit;
                    let copies = if left {
                        env.small(env.t(Words::Journey(JourneyWords::DocumentsCopies(
                            d.printed_today,
                            d.daily_limit,
                        ))))
                    } else {
                        env.small(format!(
                            "✕ {}",
                            env.t(Words::Journey(JourneyWords::DocumentsUsedUp))
                        ))
                        .color(colors.accent)
                    };
                    button(crate::ui::assist::shaped_content(
                        kiosk_proto::assist::Shape::Tile,
                        row![
                            Icon::Print.view(look.mm(14.0), colors.primary),
                            column![
                                text(&d.title).size(look.text_title()).font(fonts::bold()),
                                env.body(&d.issuer),
                                copies,
                            ]
                            .spacing(look.gap_line()),
                        ]
                        .spacing(look.gap())
                        .align_y(Alignment::Center),
                    ))
                    .on_press(Message::Choose(i))
                    .padding(look.gap())
                    .width(Length::Fill)
                    .style(look.tile())
                    .into()
                });
                container(
                    column![
                        env.title(env.t(Words::Journey(JourneyWords::DocumentsTitle))),
                        env.body(env.t(Words::Journey(JourneyWords::DocumentsHint))),
                        scrollable(Column::with_children(rows).spacing(look.gap()))
                            .height(Length::Fill),
                    ]
                    .spacing(look.gap_section()),
                )
                .padding(look.pad())
                .height(Length::Fill)
                .into()
            }
            Step::Limit {
                title,
                daily_limit,
                next_day,
            } => help::centred(
                env,
                column![
                    space().height(Length::FillPortion(1)),
                    Icon::Alert.view(look.mm(30.0), colors.accent),
                    text(env.t(Words::Journey(JourneyWords::LimitTitle)))
                        .size(look.text_huge())
                        .font(fonts::bold()),
                    text(title).size(look.text_title()).font(fonts::bold()),
                    text(env.t(Words::Journey(JourneyWords::LimitBody(*daily_limit))))
                        .size(look.text_title())
                        .align_x(Alignment::Center),
                    column![
                        env.body(env.t(Words::Journey(JourneyWords::LimitNext)))
                            .color(colors.muted),
                        text(next_day)
                            .size(look.text_title())
                            .font(fonts::bold())
                            .color(colors.accent),
                    ]
                    .align_x(Alignment::Center),
                    env.body(env.t(Words::Journey(JourneyWords::LimitWhy)))
                        .align_x(Alignment::Center),
                    space().height(Length::FillPortion(1)),
                    row![
                        env.action(Words::Home, Message::Home, false),
                        env.action(
                            Words::Journey(JourneyWords::CallStaff),
                            Message::CallStaff,
                            false
                        ),
                    ]
                    .spacing(look.gap_block()),
                ],
            ),
            Step::Problem(failure) => {
                let retry = matches!(failure, Failure::Offline | Failure::Refused)
                    .then_some(Message::Retry);
                help::failure(env, failure, retry, Message::CallStaff, Message::Home)
            }
        }
    }
}
