//! The service guide (办事指南), offline: browse by theme, search with the keypad, read a service's page
//! (materials, time limits, fees, where to go) and scan its QR code to continue online.

use std::sync::Arc;

use iced::widget::{button, column, container, qr_code, row, scrollable, space, text, Column, Row};
use iced::{Alignment, Length};
use serde::Serialize;

use crate::device::DeviceBoard;
use crate::domain::catalogue::{Catalogue, Service};
use crate::input::{Entry, Key};
use crate::terminal::Feature;
use crate::ui::i18n::{JourneyWords, Prompt, Words};
use crate::ui::widget::entry;
use crate::ui::{fonts, Element, Env, Icon};

/// How many results and candidate characters are shown at once.
const MAX_RESULTS: usize = 20;
/// The longest search.
pub const QUERY_MAX: usize = 20;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum Page {
    Themes,
    Theme(String),
    Search,
    Service(String),
}

/// Why the guide is open: to read about services, or to choose one to take a queue ticket for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub enum Purpose {
    #[default]
    Browse,
    Ticket,
}

#[derive(Debug, Serialize)]
pub struct State {
    pub purpose: Purpose,
    pub page: Page,
    /// Pages to go back to.
    pub history: Vec<Page>,
    /// What is searched for: the search field's text and the pinyin being composed (not personal: service
    /// names).
    pub query: String,
    /// The search field.
    pub search: Entry,
    /// The QR code of the service page showing; derived from the catalogue, not part of the view model.
    #[serde(skip)]
    qr: Option<Arc<qr_code::Data>>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Message {
    OpenSearch,
    OpenTheme(String),
    OpenService(String),
    Key(Key),
    Back,
    /// Take a queue ticket for this service.
    Take(String),
    /// Do it at this terminal: open a journey.
    Do(Feature),
    /// Apply for this service here (自助申报).
    Apply(String),
}

/// What the router must do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    /// Back from the first page: leave the guide.
    Leave,
    /// Take a queue ticket for the service.
    Ticket(String),
    /// Open a journey from a service's page.
    Open(Feature),
    /// Apply for the service at the terminal.
    Apply(String),
}

impl State {
    /// Whether the search keypad is showing (remote guidance may type into it).
    pub fn searching(&self) -> bool {
        self.page == Page::Search
    }

    /// The guide, browsing, with `search` as its search field.
    pub fn new(search: Entry) -> State {
        State {
            purpose: Purpose::Browse,
            page: Page::Themes,
            history: Vec::new(),
            query: String::new(),
            search,
            qr: None,
        }
    }

    /// The guide as the ticket journey's first step: a service chosen takes its ticket.
    pub fn for_ticket(search: Entry) -> State {
        State {
            purpose: Purpose::Ticket,
            ..State::new(search)
        }
    }

    /// The engines answered the search field.
    pub fn input(&mut self, reply: &crate::input::Reply) {
        self.search.reply(reply);
        self.sync_query();
    }

    /// The query searched: the field's text, then the letters being composed (so that the pinyin's
    /// initials find a service before any character is chosen).
    fn sync_query(&mut self) {
        let letters: String = self
            .search
            .preedit
            .chars()
            .filter(|c| c.is_ascii_alphabetic())
            .collect();
        self.query = format!("{}{letters}", self.search.text);
    }

    pub fn update(&mut self, catalogue: &Catalogue, message: Message) -> Option<Event> {
        match message {
            Message::OpenSearch => self.go(catalogue, Page::Search),
            Message::OpenTheme(id) => self.go(catalogue, Page::Theme(id)),
            Message::OpenService(id) if self.purpose == Purpose::Ticket => {
                return Some(Event::Ticket(id))
            }
            Message::OpenService(id) => self.go(catalogue, Page::Service(id)),
            Message::Take(id) => return Some(Event::Ticket(id)),
            Message::Do(feature) => return Some(Event::Open(feature)),
            Message::Apply(service) => return Some(Event::Apply(service)),
            Message::Key(key) => {
                self.search.press(key);
                self.sync_query();
            }
            Message::Back => match self.history.pop() {
                Some(page) => self.show(catalogue, page),
                None => return Some(Event::Leave),
            },
        }
        None
    }

    pub fn prompt(&self) -> Prompt {
        match self.purpose {
            Purpose::Browse => Prompt::Guide,
            Purpose::Ticket => Prompt::TicketChoose,
        }
    }

    fn go(&mut self, catalogue: &Catalogue, page: Page) {
        let previous = std::mem::replace(&mut self.page, Page::Themes);
        self.history.push(previous);
        self.show(catalogue, page);
    }

    fn show(&mut self, catalogue: &Catalogue, page: Page) {
        self.qr = match &page {
            Page::Service(id) => catalogue
                .service(id)
                .and_then(|s| qr_code::Data::new(s.online_url.as_bytes()).ok())
                .map(Arc::new),
            _ => None,
        };
        self.page = page;
    }

    pub fn view<'a>(&'a self, env: &Env<'a>, devices: &DeviceBoard) -> Element<'a, Message> {
        let look = env.look;
        let title = match self.purpose {
            Purpose::Browse => Words::GuideTitle,
            Purpose::Ticket => Words::Journey(JourneyWords::TicketChoose),
        };
        let body: Element<'a, Message> = match &self.page {
            Page::Themes => themes(env, title, self.purpose),
            Page::Theme(id) => theme(env, id),
            Page::Search => search(env, &self.query, &self.search, title),
            Page::Service(id) => match env.catalogue.service(id) {
                Some(service) => service_page(env, service, self.qr.as_deref(), devices),
                None => themes(env, title, self.purpose),
            },
        };
        container(body)
            .padding(look.pad())
            .width(Length::Fill)
            .height(Length::Fill)
            .into()
    }
}

fn themes<'a>(env: &Env<'a>, title: Words, purpose: Purpose) -> Element<'a, Message> {
    let look = env.look;
    let colors = look.colors();
    let search = button(crate::ui::assist::shaped_content(
        kiosk_proto::assist::Shape::Button,
        row![
            Icon::Search.view(look.text_title(), colors.on_primary),
            text(env.t(Words::GuideSearchButton))
                .size(look.text_body())
                .font(fonts::bold()),
        ]
        .spacing(look.gap())
        .align_y(Alignment::Center),
    ))
    .on_press(Message::OpenSearch)
    .padding(look.gap())
    .width(Length::Fill)
    .height(look.button_height())
    .style(look.primary());

    let per_row = if look.portrait() { 2 } else { 4 };
    let cells = env.catalogue.themes.iter().map(|t| {
        let count = env.catalogue.services_of(&t.id).count();
        // Two of its services, so a theme's name is never the only clue to what is inside.
        let examples: Vec<&str> = env
            .catalogue
            .services_of(&t.id)
            .take(2)
            .map(|s| s.name.get(env.lang))
            .collect();
        button(crate::ui::assist::shaped_content(
            kiosk_proto::assist::Shape::Tile,
            column![
                row![
                    text(t.name.get(env.lang))
                        .size(look.text_title())
                        .font(fonts::bold())
                        .width(Length::Fill),
                    env.small(env.t(Words::ServicesCount(count))),
                ]
                .align_y(Alignment::Center),
                env.small(examples.join(&env.t(Words::ListSeparator))),
            ]
            .spacing(look.gap_row()),
        ))
        .on_press(Message::OpenTheme(t.id.clone()))
        .padding(look.pad_button())
        .width(Length::Fill)
        .height(Length::Fixed(look.tile_height()))
        .clip(true)
        .style(look.tile())
        .into()
    });
    let hint = match purpose {
        Purpose::Browse => Words::GuideBrowse,
        Purpose::Ticket => Words::Journey(JourneyWords::TicketChooseHint),
    };
    column![
        env.title(env.t(title)),
        search,
        env.body(env.t(hint)),
        scrollable(grid(cells.collect(), per_row, look.gap())).height(Length::Fill),
    ]
    .spacing(look.gap_section())
    .into()
}

fn grid<'a>(cells: Vec<Element<'a, Message>>, per_row: usize, gap: f32) -> Element<'a, Message> {
    let mut rows = Column::new().spacing(gap);
    let mut cells = cells.into_iter().peekable();
    while cells.peek().is_some() {
        let mut r = Row::new().spacing(gap);
        let mut n = 0;
        for cell in cells.by_ref().take(per_row) {
            r = r.push(cell);
            n += 1;
        }
        // Keep the last row's cells the width of the others.
        for _ in n..per_row {
            r = r.push(space().width(Length::Fill));
        }
        rows = rows.push(r);
    }
    rows.into()
}

fn service_row<'a>(env: &Env<'a>, service: &'a Service) -> Element<'a, Message> {
    let look = env.look;
    let mut title = row![text(service.name.get(env.lang))
        .size(look.text_body())
        .font(fonts::bold())
        .width(Length::Fill)]
    .spacing(look.gap())
    .align_y(Alignment::Center);
    if service.at_terminal {
        title = title.push(badge(env, Words::AtTerminal));
    }
    button(crate::ui::assist::shaped_content(
        kiosk_proto::assist::Shape::Tile,
        column![title, env.small(service.department.get(env.lang))].spacing(look.gap_line()),
    ))
    .on_press(Message::OpenService(service.id.clone()))
    .padding([look.gap(), look.pad_button()])
    .width(Length::Fill)
    .style(look.tile())
    .into()
}

fn badge<'a>(env: &Env<'a>, label: Words) -> Element<'a, Message> {
    let look = env.look;
    container(
        text(env.t(label))
            .size(look.text_small())
            .font(fonts::bold()),
    )
    .padding([look.gap_line(), look.gap()])
    .style(look.badge())
    .into()
}

fn theme<'a>(env: &Env<'a>, id: &str) -> Element<'a, Message> {
    let look = env.look;
    let name = env
        .catalogue
        .theme(id)
        .map(|t| t.name.get(env.lang))
        .unwrap_or_default();
    let rows = column(
        env.catalogue
            .services
            .iter()
            .filter(|s| s.theme == id)
            .map(|s| service_row(env, s)),
    )
    .spacing(look.gap());
    column![env.title(name), scrollable(rows).height(Length::Fill)]
        .spacing(look.gap_section())
        .into()
}

fn search<'a>(env: &Env<'a>, query: &str, field: &'a Entry, title: Words) -> Element<'a, Message> {
    let look = env.look;
    let colors = look.colors();
    let hits = env.index.search(query, MAX_RESULTS);
    let query_box = row![
        Icon::Search.view(look.text_title(), colors.primary),
        entry::field(
            env,
            field,
            env.t(Words::GuideSearchHint).into_owned(),
            false
        ),
    ]
    .spacing(look.gap())
    .align_y(Alignment::Center);

    let status: Element<'a, Message> = if query.trim().is_empty() {
        space().into()
    } else if hits.is_empty() {
        env.body(env.t(Words::NothingFound))
            .color(colors.accent)
            .into()
    } else {
        env.small(env.t(Words::Found(hits.len()))).into()
    };
    let results = column(
        hits.iter()
            .map(|h| service_row(env, &env.catalogue.services[h.service])),
    )
    .spacing(look.gap());
    let results = column![status, scrollable(results).height(Length::Fill)]
        .spacing(look.gap())
        .height(Length::Fill);

    let keypad_width = if look.portrait() {
        look.viewport.width - 2.0 * look.pad()
    } else {
        look.viewport.width * 0.5 - 2.0 * look.pad()
    };
    let keys = entry::keyboard(env, field, keypad_width).map(Message::Key);

    let body: Element<'a, Message> = if look.portrait() {
        column![results, keys]
            .spacing(look.gap_block())
            .align_x(Alignment::Center)
            .into()
    } else {
        row![
            container(results).width(Length::FillPortion(1)),
            container(keys).width(Length::FillPortion(1))
        ]
        .spacing(look.pad())
        .into()
    };
    column![env.title(env.t(title)), query_box, body]
        .spacing(look.gap_section())
        .into()
}

fn service_page<'a>(
    env: &Env<'a>,
    service: &'a Service,
    qr: Option<&'a qr_code::Data>,
    devices: &DeviceBoard,
) -> Element<'a, Message> {
    let look = env.look;
    let colors = look.colors();
    let lang = env.lang;
    let fact = |label: Words, value: String| -> Element<'a, Message> {
        column![env.small(env.t(label)), env.body(value).font(fonts::bold())]
            .spacing(look.gap_line())
            .width(Length::Fill)
            .into()
    };
    let facts = column![
        row![
            fact(
                Words::LegalLimit,
                env.t(Words::WorkingDays(service.legal_days)).into_owned()
            ),
            fact(
                Words::PromisedLimit,
                env.t(Words::WorkingDays(service.promised_days))
                    .into_owned()
            ),
            fact(Words::Fee, service.fee.get(lang).to_string()),
        ]
        .spacing(look.gap()),
        fact(Words::Department, service.department.get(lang).to_string()),
        fact(Words::Location, service.location.get(lang).to_string()),
    ]
    .spacing(look.gap());
    let materials = column(service.materials.iter().enumerate().map(|(i, m)| {
        row![
            text(format!("{}.", i + 1))
                .size(look.text_body())
                .font(fonts::bold())
                .color(colors.primary),
            env.body(m.get(lang)).width(Length::Fill),
        ]
        .spacing(look.gap())
        .into()
    }))
    .spacing(look.gap_row());

    let qr_block: Element<'a, Message> = match qr {
        Some(data) => column![
            qr_code(data).total_size(look.mm(40.0)),
            env.small(env.t(Words::ScanToApply))
                .align_x(Alignment::Center),
        ]
        .spacing(look.gap())
        .align_x(Alignment::Center)
        .into(),
        None => space().into(),
    };

    let card = |content: Element<'a, Message>| -> Element<'a, Message> {
        container(content)
            .padding(look.pad_card())
            .width(Length::Fill)
            .style(look.card())
            .into()
    };
    let where_done = badge(
        env,
        if service.at_terminal {
            Words::AtTerminal
        } else {
            Words::AtCounter
        },
    );
    let header = column![
        env.title(service.name.get(lang)),
        row![where_done].spacing(look.gap()),
        env.body(service.summary.get(lang)).color(colors.muted),
    ]
    .spacing(look.gap());
    let materials_card = card(
        column![
            text(env.t(Words::Materials))
                .size(look.text_title())
                .font(fonts::bold()),
            materials
        ]
        .spacing(look.gap())
        .into(),
    );

    let body: Element<'a, Message> = if look.portrait() {
        column![
            header,
            card(facts.into()),
            materials_card,
            container(qr_block).center_x(Length::Fill),
        ]
        .spacing(look.gap_section())
        .into()
    } else {
        row![
            column![header, card(facts.into())]
                .spacing(look.gap_section())
                .width(Length::FillPortion(3)),
            column![materials_card, container(qr_block).center_x(Length::Fill)]
                .spacing(look.gap_section())
                .width(Length::FillPortion(2)),
        ]
        .spacing(look.pad())
        .into()
    };
    column![
        scrollable(body).height(Length::Fill),
        links(env, service, devices)
    ]
    .spacing(look.gap_section())
    .into()
}

/// The journeys this service leads to at the terminal: its queue ticket, printing its result where it can
/// be printed here, and its progress; each greyed with the reason when it cannot be used now.
fn links<'a>(env: &Env<'a>, service: &'a Service, devices: &DeviceBoard) -> Element<'a, Message> {
    let look = env.look;
    let link = |label: Words, feature: Feature, message: Message| -> Element<'a, Message> {
        let blocker = feature.blocker(devices);
        let mut content = column![text(env.t(label))
            .size(look.text_title())
            .font(fonts::bold())]
        .align_x(Alignment::Center);
        if let Some((device, status)) = blocker {
            content = content.push(
                env.small(env.t(Words::Unavailable(device, status)))
                    .color(look.colors().accent),
            );
        }
        // A full-size target; taller when it also says why it cannot be used now.
        let height = if blocker.is_some() {
            Length::Shrink
        } else {
            Length::Fixed(look.row_height())
        };
        button(crate::ui::assist::shaped_content(
            kiosk_proto::assist::Shape::Tile,
            container(content).center(Length::Fill),
        ))
        .on_press_maybe(blocker.is_none().then_some(message))
        .padding(look.gap())
        .width(Length::Fill)
        .height(height)
        .style(look.primary_if(false))
        .into()
    };
    let mut row = Row::new().spacing(look.gap_block());
    if service.application.is_some() {
        row = row.push(link(
            Words::Apply(crate::ui::i18n::ApplyWords::ApplyHere),
            Feature::Apply,
            Message::Apply(service.id.clone()),
        ));
    }
    if service.at_terminal && service.application.is_none() {
        row = row.push(link(
            Words::Journey(JourneyWords::PrintHere),
            Feature::Print,
            Message::Do(Feature::Print),
        ));
    }
    row = row
        .push(link(
            Words::Journey(JourneyWords::ProgressHere),
            Feature::Progress,
            Message::Do(Feature::Progress),
        ))
        .push(link(
            Words::Journey(JourneyWords::TicketForService),
            Feature::Ticket,
            Message::Take(service.id.clone()),
        ));
    column![env.small(env.t(Words::Journey(JourneyWords::DoHere))), row]
        .spacing(look.gap_row())
        .into()
}
