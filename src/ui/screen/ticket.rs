//! 取号: the service is chosen in the guide (by theme or search, no card needed); the hub numbers the ticket
//! for this hall and day, the printer prints it, and the number stays on screen whatever the printer does,
//! so a ticket taken is never lost to a paper jam.

use iced::widget::{column, row, space, text};
use iced::{Alignment, Length};
use kiosk_proto::fleet::TicketReply;
use serde::Serialize;

use crate::domain::LocalText;
use crate::journey::Failure;
use crate::printing::job::Verdict;
use crate::ui::i18n::{JourneyWords, Prompt, Words};
use crate::ui::screen::help;
use crate::ui::screen::rating::{self, Subject};
use crate::ui::{fonts, Element, Env, Icon};

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct State {
    pub service_id: String,
    pub service: LocalText,
    pub step: Step,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum Step {
    Taking,
    Printing(TicketReply),
    Done {
        ticket: TicketReply,
        /// The printer's verdict on the ticket (the number stands either way).
        printed: Verdict,
    },
    Problem(Failure),
}

#[derive(Debug, Clone, PartialEq)]
pub enum Message {
    Rate(u8),
    Retry,
    CallStaff,
    Home,
    Finish,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Event {
    Take(String),
    Rate(Subject, u8),
    CallStaff(String),
    Home,
    Finish,
}

/// The number as the hall calls it: three digits at least.
pub fn number(ticket: &TicketReply) -> String {
    format!("{:03}", ticket.number)
}

impl State {
    pub fn new(service_id: String, service: LocalText) -> State {
        State {
            service_id,
            service,
            step: Step::Taking,
        }
    }

    pub fn update(&mut self, message: Message) -> Option<Event> {
        match message {
            Message::Rate(level) => Some(Event::Rate(Subject::journey("ticket"), level)),
            Message::Retry if matches!(self.step, Step::Problem(_)) => {
                self.step = Step::Taking;
                Some(Event::Take(self.service_id.clone()))
            }
            Message::Retry => None,
            Message::CallStaff => Some(Event::CallStaff(match &self.step {
                Step::Problem(failure) => format!("{failure:?}"),
                Step::Done { printed, .. } => format!("{printed:?}"),
                _ => String::new(),
            })),
            Message::Home => (!self.printing()).then_some(Event::Home),
            Message::Finish => (!self.printing()).then_some(Event::Finish),
        }
    }

    /// A number being taken or printed: seen to its end on screen (leaving while the hub numbers it
    /// would leave a number no one holds; the hub answers within the client's 10 s).
    pub fn printing(&self) -> bool {
        matches!(self.step, Step::Taking | Step::Printing(_))
    }

    /// The hub's answer: the ticket to print, or why not.
    pub fn taken(&mut self, answer: Result<TicketReply, Failure>) {
        if self.step == Step::Taking {
            self.step = match answer {
                Ok(ticket) => Step::Printing(ticket),
                Err(failure) => Step::Problem(failure),
            };
        }
    }

    pub fn finished(&mut self, verdict: Verdict) {
        if let Step::Printing(ticket) = &self.step {
            self.step = Step::Done {
                ticket: ticket.clone(),
                printed: verdict,
            };
        }
    }

    pub fn prompt(&self) -> Prompt {
        match &self.step {
            Step::Taking | Step::Printing(_) => Prompt::Loading,
            Step::Done {
                printed: Verdict::Printed,
                ..
            } => Prompt::TicketDone,
            Step::Done { .. } => Prompt::TicketNotPrinted,
            Step::Problem(_) => Prompt::Problem,
        }
    }

    pub fn view<'a>(&'a self, env: &Env<'a>, outlet: &'a LocalText) -> Element<'a, Message> {
        let look = env.look;
        let colors = look.colors();
        match &self.step {
            Step::Taking => help::waiting(env, JourneyWords::TicketTaking),
            Step::Printing(_) => help::waiting(env, JourneyWords::TicketPrinting),
            Step::Problem(failure) => {
                let retry = matches!(failure, Failure::Offline | Failure::Refused)
                    .then_some(Message::Retry);
                help::failure(env, failure, retry, Message::CallStaff, Message::Home)
            }
            Step::Done { ticket, printed } => {
                let mut done = column![
                    space().height(Length::FillPortion(1)),
                    text(env.t(Words::Journey(JourneyWords::TicketYourNumber)))
                        .size(look.text_title())
                        .color(colors.muted),
                    text(number(ticket))
                        .size(look.text_ticket())
                        .font(fonts::bold())
                        .color(colors.primary),
                    text(self.service.get(env.lang))
                        .size(look.text_title())
                        .font(fonts::bold())
                        .align_x(Alignment::Center),
                    text(env.t(Words::Journey(JourneyWords::TicketWaiting(ticket.waiting))))
                        .size(look.text_title()),
                ];
                if *printed == Verdict::Printed {
                    done = done.push(
                        row![
                            Icon::Outlet.view(look.mm(14.0), colors.primary),
                            column![
                                text(env.t(Words::Journey(JourneyWords::TicketTake)))
                                    .size(look.text_title())
                                    .font(fonts::bold()),
                                env.body(outlet.get(env.lang)).color(colors.accent),
                            ]
                        ]
                        .spacing(look.gap())
                        .align_y(Alignment::Center),
                    );
                } else {
                    // Sent and never confirmed may have printed: never say it did not.
                    let words = if *printed == Verdict::Unknown {
                        JourneyWords::TicketMaybePrinted
                    } else {
                        JourneyWords::TicketNotPrinted
                    };
                    done = done
                        .push(
                            text(env.t(Words::Journey(words)))
                                .size(look.text_title())
                                .font(fonts::bold())
                                .color(colors.accent)
                                .align_x(Alignment::Center),
                        )
                        .push(env.action(
                            Words::Journey(JourneyWords::CallStaff),
                            Message::CallStaff,
                            false,
                        ));
                }
                done = done
                    .push(
                        env.body(env.t(Words::Journey(JourneyWords::TicketWatch)))
                            .color(colors.muted),
                    )
                    .push(space().height(Length::FillPortion(1)))
                    .push(rating::strip(env).map(Message::Rate))
                    .push(
                        row![
                            env.action(
                                Words::Journey(JourneyWords::SomethingElse),
                                Message::Home,
                                false
                            ),
                            env.action(Words::Finish, Message::Finish, true),
                        ]
                        .spacing(look.gap_block()),
                    );
                help::centred(env, done)
            }
        }
    }
}
