//! The iced user interface: the only part of the terminal that imports iced. `app` routes between the
//! screens in `screen/`; `theme` holds every size and colour; `i18n` every string.

pub mod app;
pub mod assist;
pub mod bridge;
pub mod demo;
pub mod drive;
pub mod fonts;
pub mod i18n;
pub mod screen;
pub mod shot;
pub mod theme;
pub mod widget;

use std::borrow::Cow;

use iced::widget::{svg, text, Svg};
use iced::{Color, Length};

use crate::domain::catalogue::Catalogue;
use crate::domain::search::SearchIndex;
use crate::domain::Lang;
use i18n::Words;
use theme::Look;

pub use app::{App, Bar, InputMode, Message, Startup};

pub type Element<'a, M> = iced::Element<'a, M>;

/// What every view needs besides its own state: language, look, and the catalogue.
#[derive(Clone, Copy)]
pub struct Env<'a> {
    pub lang: Lang,
    pub look: Look,
    pub catalogue: &'a Catalogue,
    pub index: &'a SearchIndex,
}

impl Env<'_> {
    pub fn t(&self, t: Words) -> Cow<'static, str> {
        i18n::tr(self.lang, t)
    }

    /// Body text in the current size.
    pub fn body<'b>(&self, s: impl text::IntoFragment<'b>) -> iced::widget::Text<'b> {
        text(s).size(self.look.text_body())
    }

    pub fn small<'b>(&self, s: impl text::IntoFragment<'b>) -> iced::widget::Text<'b> {
        text(s)
            .size(self.look.text_small())
            .color(self.look.colors().muted)
    }

    pub fn title<'b>(&self, s: impl text::IntoFragment<'b>) -> iced::widget::Text<'b> {
        text(s).size(self.look.text_title()).font(fonts::bold())
    }

    /// A labelled tile: a bold label of `size` in a tile-styled button, upright in the middle. The caller
    /// gives its height, padding and width; [`Env::key`] centres the label across too.
    pub fn tile<'b, M: Clone + 'b>(
        &self,
        label: impl text::IntoFragment<'b>,
        size: f32,
        message: M,
    ) -> iced::widget::Button<'b, M> {
        tile_button(self.look, label, size, message, false)
    }

    /// A key: a tile with its label in the middle both ways (the PIN pad, the keypads, steppers).
    pub fn key<'b, M: Clone + 'b>(
        &self,
        label: impl text::IntoFragment<'b>,
        size: f32,
        message: M,
    ) -> iced::widget::Button<'b, M> {
        tile_button(self.look, label, size, message, true)
    }

    /// A screen's main action: a full-width button, taller than a standard touch target, in the primary
    /// colour or (`primary` false) the quiet one.
    pub fn action<'b, M: Clone + 'b>(
        &self,
        label: Words,
        message: M,
        primary: bool,
    ) -> iced::widget::Button<'b, M> {
        let look = self.look;
        iced::widget::button(
            crate::ui::assist::shaped_content(
                kiosk_proto::assist::Shape::Button,
                text(self.t(label))
                    .size(look.text_title())
                    .font(fonts::bold()),
            )
            .center(Length::Fill),
        )
        .on_press(message)
        .width(Length::Fill)
        .height(look.row_height())
        .style(look.primary_if(primary))
    }
}

/// The one tile button (see [`Env::tile`] and [`Env::key`]).
fn tile_button<'b, M: Clone + 'b>(
    look: Look,
    label: impl text::IntoFragment<'b>,
    size: f32,
    message: M,
    across: bool,
) -> iced::widget::Button<'b, M> {
    let shape = if across {
        kiosk_proto::assist::Shape::Key
    } else {
        kiosk_proto::assist::Shape::Tile
    };
    let label =
        crate::ui::assist::shaped_content(shape, text(label).size(size).font(fonts::bold()));
    let label = if across {
        label.center(Length::Fill)
    } else {
        label.center_y(Length::Fill)
    };
    iced::widget::button(label)
        .on_press(message)
        .style(look.tile())
}

/// The icons bundled under `assets/icons/`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Icon {
    Guide,
    Progress,
    Print,
    Ticket,
    Apply,
    Enterprise,
    Search,
    Unavailable,
    CardReader,
    Person,
    Alert,
    Outlet,
    /// A face for a rating level, 1 (very dissatisfied) to 5 (very satisfied).
    Face(u8),
}

impl Icon {
    fn bytes(self) -> &'static [u8] {
        match self {
            Icon::Guide => include_bytes!("../../assets/icons/guide.svg"),
            Icon::Progress => include_bytes!("../../assets/icons/progress.svg"),
            Icon::Print => include_bytes!("../../assets/icons/print.svg"),
            Icon::Ticket => include_bytes!("../../assets/icons/ticket.svg"),
            Icon::Apply => include_bytes!("../../assets/icons/apply.svg"),
            Icon::Enterprise => include_bytes!("../../assets/icons/enterprise.svg"),
            Icon::Search => include_bytes!("../../assets/icons/search.svg"),
            Icon::Unavailable => include_bytes!("../../assets/icons/unavailable.svg"),
            Icon::CardReader => include_bytes!("../../assets/icons/card-reader.svg"),
            Icon::Person => include_bytes!("../../assets/icons/person.svg"),
            Icon::Alert => include_bytes!("../../assets/icons/alert.svg"),
            Icon::Outlet => include_bytes!("../../assets/icons/outlet.svg"),
            Icon::Face(1) => include_bytes!("../../assets/icons/face-1.svg"),
            Icon::Face(2) => include_bytes!("../../assets/icons/face-2.svg"),
            Icon::Face(3) => include_bytes!("../../assets/icons/face-3.svg"),
            Icon::Face(4) => include_bytes!("../../assets/icons/face-4.svg"),
            Icon::Face(_) => include_bytes!("../../assets/icons/face-5.svg"),
        }
    }

    /// The icon, `size` pixels square, tinted `color`.
    pub fn view(self, size: f32, color: Color) -> Svg<'static> {
        svg(svg::Handle::from_memory(self.bytes()))
            .width(Length::Fixed(size))
            .height(Length::Fixed(size))
            .style(move |_, _| svg::Style { color: Some(color) })
    }
}
