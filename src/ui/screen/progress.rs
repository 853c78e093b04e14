//! 办件查询: by ID card (every case in the holder's name) or by the case number with the last six characters
//! of the applicant's ID number typed on the keypad; a timeline of the steps with what to do next; a printed
//! progress record on request; the rating offered once a case is shown.

use iced::widget::{button, column, container, row, scrollable, space, text, Column};
use iced::{Alignment, Length};
use kiosk_proto::service::{CaseDetail, CaseQuery, CaseState};
use serde::Serialize;

use crate::input::{Availability, Entry, Key, Kind};
use crate::journey::{china_time, Failure};
use crate::ui::i18n::{colon, JourneyWords, Prompt, Words};
use crate::ui::screen::help;
use crate::ui::screen::rating::{self, Subject};
use crate::ui::widget::entry;
use crate::ui::{fonts, Element, Env, Icon};

/// The longest case number accepted on the keypad.
const CASE_NO_MAX: usize = 32;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct State {
    pub step: Step,
    /// The case number typed (not personal).
    pub case_no: String,
    /// The ID characters typed: personal, so kept out of the view model (only their count is mirrored).
    #[serde(skip)]
    last6: String,
    pub last6_typed: usize,
    pub field: Field,
    /// The two fields (the ID's is personal: neither is mirrored whole).
    #[serde(skip)]
    case: Box<Entry>,
    #[serde(skip)]
    tail: Box<Entry>,
    /// The cases found (by card: all the holder's; by number: the one).
    pub cases: Vec<CaseDetail>,
    /// Looked up by card (the list is the way back from a case).
    pub by_card: bool,
    /// What the screen says of a code just scanned.
    pub notice: Option<ScanNotice>,
}

/// What the progress screen says of a scanned code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum ScanNotice {
    /// A receipt's number was read: the ID's digits are asked.
    Scanned,
    /// The code names no case.
    NotAReceipt,
    /// The scanner misread it.
    ScanAgain,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Field {
    CaseNo,
    Last6,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum Step {
    Choose,
    Entry,
    Loading,
    List,
    Detail(usize),
    Problem(Failure),
}

#[derive(Debug, Clone, PartialEq)]
pub enum Message {
    ByCard,
    ByNumber,
    Field(Field),
    Key(Key),
    Search,
    Open(usize),
    List,
    Print,
    /// 补交材料: the 补正 of the case shown.
    Supply,
    Rate(u8),
    Retry,
    CallStaff,
    Home,
}

/// What the progress screen asks of the router.
#[derive(Debug, Clone, PartialEq)]
pub enum Event {
    /// Read the card first (then come back with it).
    NeedCard,
    /// Fetch the signed-in holder's cases.
    FetchMine,
    Query(CaseQuery),
    /// Print the progress record of this case.
    Print(Box<CaseDetail>),
    /// Open the 补正 of this case (the signed-in holder's) for the items it asks.
    Supply(Box<CaseDetail>),
    Rate(Subject, u8),
    CallStaff(String),
    Home,
}

impl Default for State {
    fn default() -> Self {
        State {
            step: Step::Choose,
            case_no: String::new(),
            last6: String::new(),
            last6_typed: 0,
            field: Field::CaseNo,
            // Neither needs an engine: letters and digits.
            case: Box::new(Entry::new(
                Kind::CaseNumber,
                CASE_NO_MAX,
                None,
                Availability::default(),
            )),
            tail: Box::new(Entry::new(Kind::IdNumber, 6, None, Availability::default())),
            cases: Vec::new(),
            by_card: false,
            notice: None,
        }
    }
}

impl State {
    /// Whether the keypad is showing (remote guidance may type the case number, never the ID's characters).
    pub fn typing(&self) -> bool {
        self.step == Step::Entry
    }

    /// The ID characters typed so far (personal: for masking only).
    pub fn last6(&self) -> &str {
        &self.last6
    }

    /// A scanned receipt's case: its number filled in, the ID's last six asked.
    pub fn scanned(case_no: &str) -> State {
        let mut state = State {
            step: Step::Entry,
            field: Field::Last6,
            notice: Some(ScanNotice::Scanned),
            ..State::default()
        };
        state.case.set_text(case_no);
        state.case_no = state.case.text.clone();
        state
    }

    /// Says `notice` of a scanned code, on the keypad (what was typed stays).
    pub fn notice(&mut self, notice: ScanNotice) {
        if self.step != Step::Entry {
            *self = State {
                step: Step::Entry,
                ..State::default()
            };
        }
        self.notice = Some(notice);
    }

    /// Straight to the holder's cases (signed in already).
    pub fn mine() -> State {
        State {
            step: Step::Loading,
            by_card: true,
            ..State::default()
        }
    }

    pub fn update(&mut self, message: Message) -> Option<Event> {
        match message {
            Message::ByCard => return Some(Event::NeedCard),
            Message::ByNumber => self.step = Step::Entry,
            Message::Field(field) => self.field = field,
            Message::Key(key) => self.key(key),
            Message::Search if self.ready() => {
                self.step = Step::Loading;
                self.by_card = false;
                return Some(Event::Query(CaseQuery {
                    case_no: self.case_no.clone(),
                    id_number: None,
                    id_last6: Some(self.last6.clone()),
                }));
            }
            Message::Search => {}
            Message::Open(i) if i < self.cases.len() => self.step = Step::Detail(i),
            Message::Open(_) => {}
            Message::List => self.step = Step::List,
            Message::Print => {
                if let Step::Detail(i) = self.step {
                    return Some(Event::Print(Box::new(self.cases[i].clone())));
                }
            }
            Message::Supply => {
                if let Step::Detail(i) = self.step {
                    let case = &self.cases[i];
                    if self.by_card && case.asked.is_some() {
                        return Some(Event::Supply(Box::new(case.clone())));
                    }
                }
            }
            Message::Rate(level) => {
                if let Step::Detail(i) = self.step {
                    let case = &self.cases[i].summary;
                    let subject = Subject {
                        service: case.service_id.clone(),
                        case_no: Some(case.case_no.clone()),
                    };
                    return Some(Event::Rate(subject, level));
                }
            }
            // A case number or its ID digits mistyped: back to the keypad with what was typed.
            Message::Retry if self.step == Step::Problem(Failure::NotFound) => {
                self.step = Step::Entry
            }
            Message::Retry => {
                self.step = Step::Loading;
                return Some(if self.by_card {
                    Event::FetchMine
                } else {
                    Event::Query(CaseQuery {
                        case_no: self.case_no.clone(),
                        id_number: None,
                        id_last6: Some(self.last6.clone()),
                    })
                });
            }
            Message::CallStaff => {
                let problem = match &self.step {
                    Step::Problem(failure) => format!("{failure:?}"),
                    _ => String::new(),
                };
                return Some(Event::CallStaff(problem));
            }
            Message::Home => return Some(Event::Home),
        }
        None
    }

    fn key(&mut self, key: Key) {
        // Typing answers what the notice asked.
        self.notice = None;
        // The case number takes capitals and digits; the ID's last six take digits and X only.
        match self.field {
            Field::CaseNo => self.case.press(key),
            Field::Last6 => self.tail.press(key),
        }
        self.case_no = self.case.text.clone();
        self.last6 = self.tail.text.clone();
        // Six characters typed: on to the case number if it is still empty, else stay.
        if self.field == Field::Last6 && self.last6.len() == 6 && self.case_no.is_empty() {
            self.field = Field::CaseNo;
        }
        self.last6_typed = self.last6.len();
    }

    fn ready(&self) -> bool {
        self.case_no.len() >= 6 && self.last6.len() == 6
    }

    /// The hub's answer.
    pub fn answered(&mut self, answer: Result<Vec<CaseDetail>, Failure>) {
        if self.step != Step::Loading {
            return;
        }
        match answer {
            Ok(cases) => {
                self.step = if cases.len() == 1 {
                    Step::Detail(0)
                } else {
                    Step::List
                };
                self.cases = cases;
            }
            Err(failure) => self.step = Step::Problem(failure),
        }
    }

    /// Back one step; false: leave the journey.
    pub fn back(&mut self) -> bool {
        self.step = match self.step {
            Step::Detail(_) if self.by_card && self.cases.len() > 1 => Step::List,
            Step::Detail(_) if !self.by_card => Step::Entry,
            Step::Entry | Step::List | Step::Problem(_) if !self.by_card => Step::Choose,
            _ => return false,
        };
        true
    }

    pub fn prompt(&self) -> Prompt {
        match self.step {
            Step::Choose => Prompt::ProgressChoose,
            Step::Entry => Prompt::ProgressEntry,
            Step::Loading => Prompt::Loading,
            Step::List => Prompt::ProgressList,
            Step::Detail(_) => Prompt::ProgressDetail,
            Step::Problem(_) => Prompt::Problem,
        }
    }

    pub fn view<'a>(&'a self, env: &Env<'a>) -> Element<'a, Message> {
        let padded = |content| help::padded(env, content);
        match &self.step {
            Step::Choose => padded(choose(env)),
            Step::Entry => padded(self.entry(env)),
            Step::Loading => help::waiting(env, JourneyWords::ProgressLoading),
            Step::List if self.cases.is_empty() => help::empty(
                env,
                Icon::Progress,
                JourneyWords::ProgressNone,
                JourneyWords::ProgressNoneBody,
                Message::Home,
            ),
            Step::List => padded(self.list(env)),
            Step::Detail(i) => padded(detail(
                env,
                &self.cases[*i],
                self.by_card && self.cases.len() > 1,
                self.by_card,
            )),
            Step::Problem(failure) => {
                let retry = matches!(
                    failure,
                    Failure::Offline | Failure::Refused | Failure::NotFound
                )
                .then_some(Message::Retry);
                help::failure(env, failure, retry, Message::CallStaff, Message::Home)
            }
        }
    }

    fn entry<'a>(&'a self, env: &Env<'a>) -> Element<'a, Message> {
        let look = env.look;
        let colors = look.colors();
        let field = |label: JourneyWords, value: String, which: Field| -> Element<'a, Message> {
            let selected = self.field == which;
            // The box being typed in: its colours and a caret, never colour alone.
            let (label_color, value) = if selected {
                (colors.on_primary, format!("{value}|"))
            } else {
                (colors.muted, format!("{value} "))
            };
            button(crate::ui::assist::shaped_content(
                kiosk_proto::assist::Shape::Field,
                column![
                    text(env.t(Words::Journey(label)))
                        .size(look.text_small())
                        .color(label_color),
                    if which == Field::Last6 {
                        crate::ui::assist::personal(
                            text(value).size(look.text_huge()).font(fonts::bold()),
                        )
                    } else {
                        text(value)
                            .size(look.text_huge())
                            .font(fonts::bold())
                            .into()
                    },
                ]
                .spacing(look.gap_line()),
            ))
            .on_press(Message::Field(which))
            .padding(look.gap())
            .width(Length::Fill)
            .style(look.primary_if(selected))
            .into()
        };
        let search = button(crate::ui::assist::shaped_content(
            kiosk_proto::assist::Shape::Button,
            container(
                text(env.t(Words::Journey(JourneyWords::ProgressSearch)))
                    .size(look.text_title())
                    .font(fonts::bold()),
            )
            .center(Length::Fill),
        ))
        .on_press_maybe(self.ready().then_some(Message::Search))
        .width(Length::Fill)
        .height(look.row_height())
        .style(look.primary_if(true));
        let typing = match self.field {
            Field::CaseNo => &self.case,
            Field::Last6 => &self.tail,
        };
        let keys = entry::keyboard(env, typing, look.content_width()).map(Message::Key);
        // While the ID's characters are typed, the keypad is masked in remote guidance's mirror too: the
        // key under the citizen's finger would say them.
        let keys = crate::ui::assist::personal_if(self.field == Field::Last6, keys);
        column![
            env.title(env.t(Words::Journey(JourneyWords::ProgressByNumber))),
            field(
                JourneyWords::ProgressCaseNo,
                self.case_no.clone(),
                Field::CaseNo
            ),
            field(
                JourneyWords::ProgressLast6,
                self.last6.clone(),
                Field::Last6
            ),
            match self.notice {
                None => env
                    .small(env.t(Words::Journey(JourneyWords::ProgressEntryHint)))
                    .color(colors.muted),
                Some(ScanNotice::Scanned) => env
                    .small(env.t(Words::Journey(JourneyWords::ProgressScanned)))
                    .color(colors.muted),
                Some(notice) => env
                    .small(env.t(Words::Journey(if notice == ScanNotice::ScanAgain {
                        JourneyWords::ProgressScanAgain
                    } else {
                        JourneyWords::ProgressNotAReceipt
                    })))
                    .color(colors.accent)
                    .font(fonts::bold()),
            },
            space().height(Length::Fill),
            keys,
            search,
        ]
        .spacing(look.gap_section())
        .into()
    }

    fn list<'a>(&'a self, env: &Env<'a>) -> Element<'a, Message> {
        let look = env.look;
        let rows = self.cases.iter().enumerate().map(|(i, case)| {
            let s = &case.summary;
            button(crate::ui::assist::shaped_content(
                kiosk_proto::assist::Shape::Tile,
                column![
                    row![
                        text(s.service.get(env.lang))
                            .size(look.text_title())
                            .font(fonts::bold())
                            .width(Length::Fill),
                        state_badge(env, s.state),
                    ]
                    .spacing(look.gap())
                    .align_y(Alignment::Center),
                    env.small(format!(
                        "{}  ·  {} {}",
                        s.case_no,
                        env.t(Words::Journey(JourneyWords::ProgressPromised)),
                        s.promised_on
                    )),
                ]
                .spacing(look.gap_row()),
            ))
            .on_press(Message::Open(i))
            .padding(look.gap())
            .width(Length::Fill)
            .style(look.tile())
            .into()
        });
        column![
            env.title(env.t(Words::Journey(JourneyWords::ProgressMine(self.cases.len())))),
            scrollable(Column::with_children(rows).spacing(look.gap())).height(Length::Fill),
        ]
        .spacing(look.gap_section())
        .into()
    }
}

fn choose<'a>(env: &Env<'a>) -> Element<'a, Message> {
    let look = env.look;
    let colors = look.colors();
    let way = |icon: Icon,
               title: JourneyWords,
               hint: JourneyWords,
               message: Message|
     -> Element<'a, Message> {
        button(crate::ui::assist::shaped_content(
            kiosk_proto::assist::Shape::Tile,
            container(
                column![
                    icon.view(
                        look.mm(if look.elder { 30.0 } else { 24.0 }),
                        colors.primary
                    ),
                    text(env.t(Words::Journey(title)))
                        .size(look.text_feature())
                        .font(fonts::bold())
                        .align_x(Alignment::Center),
                    env.body(env.t(Words::Journey(hint)))
                        .align_x(Alignment::Center),
                ]
                .spacing(look.gap())
                .align_x(Alignment::Center),
            )
            .center(Length::Fill),
        ))
        .on_press(message)
        .padding(look.pad())
        .width(Length::Fill)
        .height(Length::Fill)
        .style(look.tile())
        .into()
    };
    column![
        env.title(env.t(Words::Journey(JourneyWords::ProgressTitle))),
        env.body(env.t(Words::Journey(JourneyWords::ProgressChooseBody))),
        way(
            Icon::CardReader,
            JourneyWords::ProgressByCard,
            JourneyWords::ProgressByCardHint,
            Message::ByCard
        ),
        way(
            Icon::Search,
            JourneyWords::ProgressByNumber,
            JourneyWords::ProgressByNumberHint,
            Message::ByNumber
        ),
    ]
    .spacing(look.gap_block())
    .into()
}

/// A case's state in words, with a mark, never colour alone.
fn state_badge<'a>(env: &Env<'a>, state: CaseState) -> Element<'a, Message> {
    let look = env.look;
    let colors = look.colors();
    let (mark, color) = match state {
        CaseState::NeedsMaterials | CaseState::Refused | CaseState::NotAccepted => {
            ("!", colors.accent)
        }
        CaseState::Approved | CaseState::Collected => ("✓", colors.primary),
        _ => ("…", colors.text),
    };
    text(format!("{mark} {}", state.label().get(env.lang)))
        .size(look.text_body())
        .font(fonts::bold())
        .color(color)
        .into()
}

/// What a 补正 asks, item by item, and by when.
fn asked<'a>(env: &Env<'a>, asked: &'a kiosk_proto::application::Asked) -> Element<'a, Message> {
    let look = env.look;
    let mut list = column![text(format!(
        "{} · {}",
        env.t(Words::Journey(JourneyWords::ProgressAsked)),
        env.t(Words::Apply(crate::ui::i18n::ApplyWords::SupplyBy(
            kiosk_proto::application::Date::parse(&asked.deadline)
        )))
    ))
    .size(look.text_title())
    .font(fonts::bold())
    .color(look.colors().accent),]
    .spacing(look.gap_line());
    for (n, item) in asked.items.iter().enumerate() {
        list = list.push(env.body(format!(
            "{}. {}{}{}",
            n + 1,
            item.label.get(env.lang),
            colon(env.lang),
            item.why
        )));
    }
    container(list)
        .padding(look.gap_section())
        .width(Length::Fill)
        .style(look.card())
        .into()
}

/// One case: where it stands and what comes next, what a 补正 asks (to supply here when signed in with the
/// card), its timeline, the rating, print.
fn detail<'a>(
    env: &Env<'a>,
    case: &'a CaseDetail,
    others: bool,
    signed_in: bool,
) -> Element<'a, Message> {
    let look = env.look;
    let colors = look.colors();
    let s = &case.summary;
    // The case number gets the room of two: an application's 申报编号 is 18 characters.
    let fact = |label: JourneyWords, value: String, room: u16| -> Element<'a, Message> {
        column![
            env.small(env.t(Words::Journey(label))),
            env.body(value).font(fonts::bold())
        ]
        .spacing(look.gap_line())
        .width(Length::FillPortion(room))
        .into()
    };
    let now = container(
        column![
            row![
                text(format!(
                    "{}{}",
                    env.t(Words::Journey(JourneyWords::ProgressNow)),
                    colon(env.lang)
                ))
                .size(look.text_title()),
                state_badge(env, s.state),
            ]
            .align_y(Alignment::Center),
            text(format!(
                "{}{}{}",
                env.t(Words::Journey(JourneyWords::ProgressNext)),
                colon(env.lang),
                s.state.next_step().get(env.lang)
            ))
            .size(look.text_title()),
        ]
        .spacing(look.gap()),
    )
    .padding(look.gap_section())
    .width(Length::Fill)
    .style(look.card());
    let steps = case.timeline.iter().map(|step| {
        let mut line = column![row![
            text("✓").size(look.text_body()).color(colors.primary),
            env.body(china_time(step.at_ms)).width(Length::Shrink),
            env.body(step.state.label().get(env.lang).to_string())
                .font(fonts::bold()),
        ]
        .spacing(look.gap())];
        if let Some(note) = &step.note {
            line = line.push(env.body(note.get(env.lang).to_string()).color(colors.muted));
        }
        line.spacing(look.gap_line()).into()
    });
    let mut buttons = row![].spacing(look.gap_block());
    if others {
        buttons = buttons.push(env.action(
            Words::Journey(JourneyWords::ProgressOthers),
            Message::List,
            false,
        ));
    }
    buttons = buttons.push(env.action(
        Words::Journey(JourneyWords::ProgressPrint),
        Message::Print,
        false,
    ));
    let mut page = column![
        env.title(s.service.get(env.lang)),
        row![
            fact(JourneyWords::ProgressCaseNo, s.case_no.clone(), 2),
            fact(JourneyWords::ProgressApplicant, case.applicant.clone(), 1),
            fact(JourneyWords::ProgressPromised, s.promised_on.clone(), 1),
        ]
        .spacing(look.gap()),
        now,
    ]
    .spacing(look.gap_section());
    if let Some(items) = &case.asked {
        page = page.push(asked(env, items));
        if signed_in {
            buttons = buttons.push(env.action(
                Words::Journey(JourneyWords::ProgressSupply),
                Message::Supply,
                true,
            ));
        } else {
            page = page.push(
                env.body(env.t(Words::Journey(JourneyWords::ProgressSupplyCard)))
                    .font(fonts::bold()),
            );
        }
    }
    page.push(
        scrollable(
            column![
                text(env.t(Words::Journey(JourneyWords::ProgressTimeline)))
                    .size(look.text_title())
                    .font(fonts::bold()),
                Column::with_children(steps).spacing(look.gap()),
            ]
            .spacing(look.gap())
            .width(Length::Fill),
        )
        .height(Length::Fill),
    )
    .push(rating::strip(env).map(Message::Rate))
    .push(buttons)
    .into()
}
