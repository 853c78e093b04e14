//! Printing a document: the preview (the page exactly as the printer will draw it, from the very bytes it
//! will get), progress, "take your document" with where the paper comes out, and every way a job can end
//! badly with what the citizen can do about it. The job itself runs off the UI thread (see the router).

use std::sync::Arc;

use iced::widget::{column, container, image, row, scrollable, space, text};
use iced::{Alignment, ContentFit, Length};
use serde::Serialize;

use crate::device::printer::encode::RenderError;
use crate::device::printer::Profile;
use crate::device::Reason;
use crate::domain::document::{Document, DocumentKind};
use crate::domain::LocalText;
use crate::printing::job::Verdict;
use crate::ui::i18n::{JourneyWords, Prompt, Words};
use crate::ui::screen::rating::{self, Subject};
use crate::ui::{fonts, Element, Env, Icon};

/// A document ready to print: its bytes for this terminal's printer and the picture of the paper they make.
pub struct Prepared {
    pub document: Document,
    pub bytes: Vec<u8>,
    /// The hub's claim this copy is printed under (none: a document of the terminal's own, such as a
    /// progress record or a sample): its end goes back to the hub through the outbox.
    pub claim: Option<String>,
    preview: image::Handle,
    /// The paper's width in dots (the preview is drawn one pixel per dot).
    dots: u32,
}

impl std::fmt::Debug for Prepared {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The document may hold personal data: only its id and size.
        f.debug_struct("Prepared")
            .field("document", &self.document.id)
            .field("bytes", &self.bytes.len())
            .finish()
    }
}

impl Prepared {
    pub fn new(document: Document, profile: &Profile) -> Result<Prepared, RenderError> {
        let crate::printing::Ready {
            document,
            bytes,
            paper: page,
        } = crate::printing::Ready::new(document, profile)?;
        let rgba: Vec<u8> = page.pixels.iter().flat_map(|&g| [g, g, g, 255]).collect();
        Ok(Prepared {
            preview: image::Handle::from_rgba(page.width, page.height.max(1), rgba),
            dots: page.width,
            document,
            bytes,
            claim: None,
        })
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct State {
    /// The document's own title (as printed; not personal).
    pub title: String,
    pub kind: DocumentKind,
    pub step: Step,
    /// Remind the citizen to take their ID card with the paper.
    pub remind_card: bool,
    /// What the rating offered on "done" is about.
    pub subject: Subject,
    /// Kept out of the view model: the document may hold personal data. `None`: it could not be prepared.
    #[serde(skip)]
    pub prepared: Option<Arc<Prepared>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Step {
    Preview,
    Printing(Progress),
    Done,
    /// The job did not print whole (never [`Verdict::Printed`]).
    Problem(Verdict),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Progress {
    /// Asking the printer whether it can print.
    Checking,
    /// The printer said yes; the job is on its way.
    Printing,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Message {
    Print,
    Cancel,
    TryAgain,
    Finish,
    Home,
    Rate(u8),
    CallStaff,
}

/// What the print screen asks of the router.
#[derive(Debug, Clone, PartialEq)]
pub enum Event {
    /// Start the job.
    Print,
    /// Back to the home screen.
    Home,
    /// The citizen is done: end the session.
    Finish,
    /// The document was not printed: give its claimed copy back (the preview was left).
    GiveBack(String),
    /// Try a claimed document again: a new claim (the failed one gave its copy back).
    Reclaim(String),
    Rate(Subject, u8),
    CallStaff(String),
}

impl State {
    pub fn new(prepared: Prepared, remind_card: bool, subject: Subject) -> State {
        State {
            title: prepared.document.title.clone(),
            kind: prepared.document.kind,
            step: Step::Preview,
            remind_card,
            subject,
            prepared: Some(Arc::new(prepared)),
        }
    }

    /// A document that cannot be printed on this printer (its data does not fit the profile).
    pub fn unprintable(
        title: String,
        kind: DocumentKind,
        remind_card: bool,
        subject: Subject,
    ) -> State {
        State {
            title,
            kind,
            step: Step::Problem(Verdict::NothingPrinted(Reason::DeviceError)),
            remind_card,
            subject,
            prepared: None,
        }
    }

    /// The claimed copy of a preview never printed (to give back when the session ends there).
    pub fn unprinted_claim(&self) -> Option<String> {
        (self.step == Step::Preview)
            .then(|| self.claim().cloned())
            .flatten()
    }

    fn claim(&self) -> Option<&String> {
        self.prepared.as_ref().and_then(|p| p.claim.as_ref())
    }

    pub fn prompt(&self) -> Prompt {
        match self.step {
            Step::Preview => Prompt::Preview,
            Step::Printing(_) => Prompt::Printing,
            Step::Done => Prompt::PrintDone,
            Step::Problem(_) => Prompt::PrintProblem,
        }
    }

    pub fn printing(&self) -> bool {
        matches!(self.step, Step::Printing(_))
    }

    pub fn update(&mut self, message: Message) -> Option<Event> {
        match (message, self.step) {
            (Message::Print, Step::Preview) if self.prepared.is_some() => {
                self.step = Step::Printing(Progress::Checking);
                Some(Event::Print)
            }
            // Only a job that printed nothing may be tried again here: anything else is for staff. A
            // claimed copy is claimed again: the failed job gave its copy back.
            (Message::TryAgain, Step::Problem(Verdict::NothingPrinted(_)))
                if self.prepared.is_some() =>
            {
                if let Some(prepared) = &self.prepared {
                    if prepared.claim.is_some() {
                        return Some(Event::Reclaim(prepared.document.id.clone()));
                    }
                }
                self.step = Step::Preview;
                None
            }
            // Leaving the preview of a claimed copy gives the copy back.
            (Message::Cancel | Message::Home, Step::Preview) if self.claim().is_some() => {
                self.claim().cloned().map(Event::GiveBack)
            }
            (Message::Cancel | Message::Home, step) if !matches!(step, Step::Printing(_)) => {
                Some(Event::Home)
            }
            (Message::Finish, Step::Done) => Some(Event::Finish),
            (Message::Rate(level), Step::Done) => Some(Event::Rate(self.subject.clone(), level)),
            (Message::CallStaff, Step::Problem(verdict)) => {
                Some(Event::CallStaff(format!("{verdict:?}")))
            }
            _ => None,
        }
    }

    /// The job moved on.
    pub fn progress(&mut self, progress: Progress) {
        if self.printing() {
            self.step = Step::Printing(progress);
        }
    }

    /// The job ended.
    pub fn finished(&mut self, verdict: Verdict) {
        if self.printing() {
            self.step = match verdict {
                Verdict::Printed => Step::Done,
                other => Step::Problem(other),
            };
        }
    }

    pub fn view<'a>(&'a self, env: &Env<'a>, outlet: &'a LocalText) -> Element<'a, Message> {
        let look = env.look;
        let colors = look.colors();
        let big = |t: Words| {
            text(env.t(t))
                .size(look.text_huge())
                .font(fonts::bold())
                .align_x(Alignment::Center)
        };
        let body = |t: Words| {
            text(env.t(t))
                .size(look.text_title())
                .align_x(Alignment::Center)
        };
        let action = |t: Words, message: Message, primary: bool| env.action(t, message, primary);
        let outlet_line = || {
            column![
                env.body(env.t(Words::PrintOutletLabel)).color(colors.muted),
                text(outlet.get(env.lang))
                    .size(look.text_title())
                    .font(fonts::bold())
                    .color(colors.accent)
                    .align_x(Alignment::Center),
            ]
            .spacing(look.gap_row())
            .align_x(Alignment::Center)
        };
        let content: iced::widget::Column<'a, Message> = match (self.step, &self.prepared) {
            (Step::Preview, Some(prepared)) => {
                // 2.4 times the paper's real size (203 dots per inch), 3 times in elder mode, or the screen's
                // width if that is less.
                let paper_mm = prepared.dots as f32 / 8.0;
                let width = look
                    .mm(paper_mm * if look.elder { 3.0 } else { 2.4 })
                    .min(look.card_content_width());
                let page = container(
                    image(prepared.preview.clone())
                        .width(width)
                        .content_fit(ContentFit::Contain)
                        .filter_method(image::FilterMethod::Linear),
                )
                .padding(look.gap())
                .style(look.card());
                column![
                    big(Words::PrintPreviewTitle),
                    text(&self.title)
                        .size(look.text_title())
                        .font(fonts::bold())
                        .align_x(Alignment::Center),
                    env.body(env.t(Words::PrintPreviewHint))
                        .align_x(Alignment::Center),
                    // Staff's mirror shows the page as a grey box: the document never leaves.
                    crate::ui::assist::shaped(
                        kiosk_proto::assist::Shape::Preview,
                        container(scrollable(container(page).center_x(Length::Fill)))
                            .height(Length::Fill)
                    ),
                    row![
                        action(Words::Cancel, Message::Cancel, false),
                        action(Words::PrintButton, Message::Print, true),
                    ]
                    .spacing(look.gap_block()),
                ]
            }
            (Step::Printing(progress), _) => {
                let stage = |t: Words, done: bool, current: bool| {
                    let mark = match (done, current) {
                        (true, _) => "✓",
                        (false, true) => "…",
                        (false, false) => "○",
                    };
                    text(format!("{mark} {}", env.t(t)))
                        .size(look.text_title())
                        .font(if current {
                            fonts::bold()
                        } else {
                            fonts::regular()
                        })
                        .color(if current { colors.accent } else { colors.text })
                };
                let printing = progress == Progress::Printing;
                column![
                    space().height(Length::FillPortion(1)),
                    big(Words::PrintingTitle),
                    Icon::Print.view(look.mm(60.0), colors.primary),
                    column![
                        stage(Words::PrintStageCheck, printing, !printing),
                        stage(Words::PrintStagePrint, false, printing),
                    ]
                    .spacing(look.gap()),
                    body(Words::PrintingBody),
                    space().height(Length::FillPortion(1)),
                ]
            }
            (Step::Done, _) => {
                let mut done = column![
                    space().height(Length::FillPortion(1)),
                    Icon::Outlet.view(look.mm(70.0), colors.primary),
                    big(Words::PrintDoneTitle),
                    outlet_line(),
                ];
                if self.remind_card {
                    done = done.push(body(Words::PrintTakeCard));
                }
                done.push(space().height(Length::FillPortion(1)))
                    .push(rating::strip(env).map(Message::Rate))
                    .push(
                        row![
                            action(Words::PrintMore, Message::Home, false),
                            action(Words::Finish, Message::Finish, true),
                        ]
                        .spacing(look.gap_block()),
                    )
            }
            (Step::Problem(_), _) | (Step::Preview, None) => {
                let verdict = match self.step {
                    Step::Problem(verdict) => verdict,
                    _ => Verdict::NothingPrinted(Reason::DeviceError),
                };
                let (title, detail) = problem_text(verdict);
                let mut problem = column![
                    space().height(Length::FillPortion(1)),
                    Icon::Alert.view(look.mm(30.0), colors.accent),
                    big(title),
                    body(detail),
                ];
                if verdict == Verdict::Unknown {
                    problem = problem.push(outlet_line());
                }
                problem = problem.push(space().height(Length::FillPortion(1)));
                let staff = action(
                    Words::Journey(JourneyWords::CallStaff),
                    Message::CallStaff,
                    false,
                );
                if matches!(verdict, Verdict::NothingPrinted(_)) && self.prepared.is_some() {
                    problem.push(
                        row![
                            action(Words::Home, Message::Home, false),
                            staff,
                            action(Words::PrintTryAgain, Message::TryAgain, true),
                        ]
                        .spacing(look.gap_block()),
                    )
                } else {
                    problem.push(
                        row![staff, action(Words::Home, Message::Home, true)]
                            .spacing(look.gap_block()),
                    )
                }
            }
        };
        crate::ui::screen::help::centred(env, content)
    }
}

/// The title and what to do, for a job that did not print whole.
fn problem_text(verdict: Verdict) -> (Words, Words) {
    match verdict {
        Verdict::NothingPrinted(Reason::PaperOut) => {
            (Words::PrintPaperOutTitle, Words::PrintPaperOutBody)
        }
        Verdict::NothingPrinted(Reason::CoverOpen) => {
            (Words::PrintCoverOpenTitle, Words::PrintCoverOpenBody)
        }
        Verdict::NothingPrinted(_) => (Words::PrintUnavailableTitle, Words::PrintUnavailableBody),
        Verdict::Incomplete(Reason::PaperOut) => {
            (Words::PrintRanOutTitle, Words::PrintIncompleteBody)
        }
        Verdict::Incomplete(_) => (Words::PrintStoppedTitle, Words::PrintIncompleteBody),
        Verdict::Unknown => (Words::PrintUnknownTitle, Words::PrintUnknownBody),
        Verdict::NotRecorded | Verdict::Printed => {
            (Words::PrintNotRecordedTitle, Words::PrintNotRecordedBody)
        }
    }
}
