//! 企业服务: the signed-in legal representative's enterprises as the registry lists them, the one chosen, and
//! its matters: print its business licence, register a change, make a request (both the application
//! journey), and the support policies matched to it (those granted without applying shown as granted).
//! Registry facts are public; the representative's own details never show here.

use iced::widget::{button, column, container, row, scrollable, text, Column};
use iced::{Alignment, Length};
use kiosk_proto::enterprise::{industry_name, Enterprise, Policy};
use serde::Serialize;

use crate::journey::Failure;
use crate::ui::i18n::{EnterpriseWords, Prompt, Words};
use crate::ui::screen::help;
use crate::ui::{fonts, Element, Env, Icon};

/// The catalogue's service for a change of registration (企业变更登记).
pub const CHANGE_SERVICE: &str = "SZ-0005";
/// The catalogue's service for an enterprise's request (企业诉求直达).
pub const REQUEST_SERVICE: &str = "SZ-0050";

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct State {
    pub step: Step,
    /// The enterprises the registry lists for the holder (to choose another).
    pub listed: Vec<Enterprise>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum Step {
    Loading,
    Choose,
    /// The holder represents no enterprise.
    NoneListed,
    /// The chosen enterprise's matters.
    Home(Box<Enterprise>),
    /// The policies matched to the chosen enterprise.
    Policies {
        enterprise: Box<Enterprise>,
        policies: Vec<Policy>,
    },
    Problem(Failure),
}

#[derive(Debug, Clone, PartialEq)]
pub enum Message {
    Choose(usize),
    Print,
    Change,
    Request,
    Policies,
    Another,
    Retry,
    CallStaff,
    Home,
}

/// What the enterprise screen asks of the router.
#[derive(Debug, Clone, PartialEq)]
pub enum Event {
    Fetch,
    /// The representative chose this enterprise: the session acts for it.
    Chosen(Box<Enterprise>),
    /// Its business licence, printed (the card on the reader).
    Print(String),
    /// Apply for this catalogue service for the enterprise.
    Apply(&'static str),
    /// The policies for this enterprise, to be matched.
    Policies(Box<Enterprise>),
    CallStaff(String),
    Home,
}

impl Default for State {
    fn default() -> Self {
        State {
            step: Step::Loading,
            listed: Vec::new(),
        }
    }
}

impl State {
    /// The screen on the enterprise the session already acts for.
    pub fn chosen(enterprise: Enterprise, listed: Vec<Enterprise>) -> State {
        State {
            step: Step::Home(Box::new(enterprise)),
            listed,
        }
    }

    fn current(&self) -> Option<&Enterprise> {
        match &self.step {
            Step::Home(enterprise) | Step::Policies { enterprise, .. } => Some(enterprise),
            _ => None,
        }
    }

    pub fn update(&mut self, message: Message) -> Option<Event> {
        match message {
            Message::Choose(i) if self.step == Step::Choose => {
                let enterprise = self.listed.get(i)?.clone();
                self.step = Step::Home(Box::new(enterprise.clone()));
                Some(Event::Chosen(Box::new(enterprise)))
            }
            Message::Choose(_) => None,
            Message::Print => Some(Event::Print(self.current()?.uscc.clone())),
            Message::Change => self.current().map(|_| Event::Apply(CHANGE_SERVICE)),
            Message::Request => self.current().map(|_| Event::Apply(REQUEST_SERVICE)),
            Message::Policies => Some(Event::Policies(Box::new(self.current()?.clone()))),
            Message::Another if self.listed.len() > 1 => {
                self.step = Step::Choose;
                None
            }
            Message::Another => None,
            Message::Retry => {
                self.step = Step::Loading;
                Some(Event::Fetch)
            }
            Message::CallStaff => Some(Event::CallStaff(match &self.step {
                Step::Problem(failure) => format!("{failure:?}"),
                _ => "enterprise".into(),
            })),
            Message::Home => Some(Event::Home),
        }
    }

    /// The registry's answer: the list to choose from, or straight to the only one.
    pub fn listed(&mut self, answer: Result<Vec<Enterprise>, Failure>) -> Option<Event> {
        if self.step != Step::Loading {
            return None;
        }
        match answer {
            Ok(listed) => {
                self.listed = listed;
                match self.listed.as_slice() {
                    [] => self.step = Step::NoneListed,
                    [only] => {
                        let only = only.clone();
                        self.step = Step::Home(Box::new(only.clone()));
                        return Some(Event::Chosen(Box::new(only)));
                    }
                    _ => self.step = Step::Choose,
                }
                None
            }
            Err(failure) => {
                self.step = Step::Problem(failure);
                None
            }
        }
    }

    /// The policies matched to the chosen enterprise.
    pub fn policies(&mut self, policies: Vec<Policy>) {
        if let Some(enterprise) = self.current().cloned() {
            self.step = Step::Policies {
                enterprise: Box::new(enterprise),
                policies,
            };
        }
    }

    /// Back one step; false: leave the journey.
    pub fn back(&mut self) -> bool {
        match &self.step {
            Step::Policies { enterprise, .. } => {
                self.step = Step::Home(enterprise.clone());
                true
            }
            Step::Home(_) if self.listed.len() > 1 => {
                self.step = Step::Choose;
                true
            }
            _ => false,
        }
    }

    pub fn prompt(&self) -> Prompt {
        match self.step {
            Step::Loading => Prompt::Loading,
            Step::Choose => Prompt::EnterpriseChoose,
            Step::NoneListed | Step::Problem(_) => Prompt::Problem,
            Step::Home(_) => Prompt::Enterprise,
            Step::Policies { .. } => Prompt::Policies,
        }
    }

    pub fn view<'a>(&'a self, env: &Env<'a>) -> Element<'a, Message> {
        let t = |w: EnterpriseWords| env.t(Words::Enterprise(w));
        match &self.step {
            Step::Loading => help::waiting_for(env, Words::Enterprise(EnterpriseWords::Loading)),
            Step::NoneListed => help::empty_for(
                env,
                Icon::Enterprise,
                Words::Enterprise(EnterpriseWords::NoneTitle),
                Words::Enterprise(EnterpriseWords::NoneBody),
                Message::Home,
            ),
            Step::Problem(failure) => {
                let retry = matches!(failure, Failure::Offline | Failure::Refused)
                    .then_some(Message::Retry);
                help::failure(env, failure, retry, Message::CallStaff, Message::Home)
            }
            Step::Choose => {
                let rows = self.listed.iter().enumerate().map(|(i, enterprise)| {
                    tile(
                        env,
                        Icon::Enterprise,
                        enterprise.name.clone(),
                        format!(
                            "{} · {}",
                            enterprise.kind.get(env.lang),
                            enterprise.district
                        ),
                        Message::Choose(i),
                    )
                });
                page(
                    env,
                    column![
                        env.title(t(EnterpriseWords::ChooseTitle)),
                        env.body(t(EnterpriseWords::ChooseHint)),
                        scrollable(Column::with_children(rows).spacing(env.look.gap()))
                            .height(Length::Fill),
                    ],
                )
            }
            Step::Home(enterprise) => {
                let mut tiles = column![
                    tile(
                        env,
                        Icon::Print,
                        t(EnterpriseWords::PrintLicence).into_owned(),
                        t(EnterpriseWords::PrintLicenceHint).into_owned(),
                        Message::Print,
                    ),
                    tile(
                        env,
                        Icon::Apply,
                        t(EnterpriseWords::Change).into_owned(),
                        t(EnterpriseWords::ChangeHint).into_owned(),
                        Message::Change,
                    ),
                    tile(
                        env,
                        Icon::Guide,
                        t(EnterpriseWords::Request).into_owned(),
                        t(EnterpriseWords::RequestHint).into_owned(),
                        Message::Request,
                    ),
                    tile(
                        env,
                        Icon::Enterprise,
                        t(EnterpriseWords::Policies).into_owned(),
                        t(EnterpriseWords::PoliciesHint).into_owned(),
                        Message::Policies,
                    ),
                ]
                .spacing(env.look.gap());
                if self.listed.len() > 1 {
                    tiles = tiles.push(env.action(
                        Words::Enterprise(EnterpriseWords::OtherEnterprise),
                        Message::Another,
                        false,
                    ));
                }
                page(
                    env,
                    column![
                        facts(env, enterprise),
                        scrollable(tiles).height(Length::Fill)
                    ],
                )
            }
            Step::Policies {
                enterprise,
                policies,
            } => {
                let look = env.look;
                let colors = look.colors();
                let cards = policies.iter().map(|policy| {
                    let mut card = column![
                        text(policy.title.get(env.lang))
                            .size(look.text_title())
                            .font(fonts::bold()),
                        env.body(policy.benefit.get(env.lang)),
                        env.small(policy.department.get(env.lang)),
                    ]
                    .spacing(look.gap_line());
                    card = if policy.automatic {
                        card.push(
                            env.body(t(EnterpriseWords::Granted))
                                .font(fonts::bold())
                                .color(colors.primary),
                        )
                    } else {
                        card.push(env.body(format!(
                            "{}{}{}",
                            t(EnterpriseWords::HowToApply),
                            colon(env.lang),
                            policy.how.get(env.lang)
                        )))
                        .push(env.small(format!(
                            "{} {}",
                            t(EnterpriseWords::Until),
                            policy.until
                        )))
                    };
                    container(card)
                        .padding(look.gap())
                        .width(Length::Fill)
                        .style(look.card())
                        .into()
                });
                let list: Element<'a, Message> = if policies.is_empty() {
                    env.body(t(EnterpriseWords::PoliciesNone)).into()
                } else {
                    scrollable(Column::with_children(cards).spacing(look.gap()))
                        .height(Length::Fill)
                        .into()
                };
                page(
                    env,
                    column![
                        env.title(t(EnterpriseWords::PoliciesTitle)),
                        env.body(enterprise.name.clone()).font(fonts::bold()),
                        env.small(t(EnterpriseWords::PoliciesFound(policies.len()))),
                        list,
                    ],
                )
            }
        }
    }
}

/// The chosen enterprise's registry facts, as a heading.
fn facts<'a>(env: &Env<'a>, enterprise: &Enterprise) -> Column<'a, Message> {
    let t = |w: EnterpriseWords| env.t(Words::Enterprise(w));
    let line = |label: EnterpriseWords, value: String| {
        env.body(format!("{}{}{value}", t(label), colon(env.lang)))
    };
    column![
        env.title(enterprise.name.clone()),
        line(EnterpriseWords::Code, enterprise.uscc.clone()),
        line(
            EnterpriseWords::Kind,
            enterprise.kind.get(env.lang).to_string()
        ),
        line(
            EnterpriseWords::Industry,
            industry_name(&enterprise.industry)
                .map(|name| name.get(env.lang).to_string())
                .unwrap_or_else(|| enterprise.industry.clone())
        ),
        line(
            EnterpriseWords::Size,
            enterprise.size.name().get(env.lang).to_string()
        ),
        line(EnterpriseWords::District, enterprise.district.clone()),
    ]
    .spacing(env.look.gap_line())
}

/// A label's colon in the language of the screen.
fn colon(lang: crate::domain::Lang) -> &'static str {
    match lang {
        crate::domain::Lang::Zh => "：",
        crate::domain::Lang::En => ": ",
    }
}

/// A matter's tile: its icon, name and what it is for.
fn tile<'a>(
    env: &Env<'a>,
    icon: Icon,
    title: String,
    hint: String,
    message: Message,
) -> Element<'a, Message> {
    let look = env.look;
    button(crate::ui::assist::shaped_content(
        kiosk_proto::assist::Shape::Tile,
        row![
            icon.view(look.mm(14.0), look.colors().primary),
            column![
                text(title).size(look.text_title()).font(fonts::bold()),
                env.small(hint),
            ]
            .spacing(look.gap_line()),
        ]
        .spacing(look.gap())
        .align_y(Alignment::Center),
    ))
    .on_press(message)
    .padding(look.gap())
    .width(Length::Fill)
    .style(look.tile())
    .into()
}

fn page<'a>(env: &Env<'a>, content: Column<'a, Message>) -> Element<'a, Message> {
    container(content.spacing(env.look.gap_section()))
        .padding(env.look.pad())
        .height(Length::Fill)
        .into()
}
