//! The home screen: a large tile per feature. A tile whose device or the hub is not ready is greyed and
//! says why; elder mode is one obvious button away.

use iced::widget::{button, column, container, row, text, Column};
use iced::{Alignment, Length};

use crate::device::{Device, DeviceBoard};
use crate::domain::identity::Identity;
use crate::ui::i18n::{EnterpriseWords, Words};
use crate::ui::{fonts, Element, Env, Icon};

pub use crate::terminal::Feature;

/// How a feature shows on its tile.
trait Tile {
    fn title(self) -> Words;
    fn hint(self) -> Words;
    fn icon(self) -> Icon;
}

impl Tile for Feature {
    fn title(self) -> Words {
        match self {
            Feature::Guide => Words::FeatureGuide,
            Feature::Progress => Words::FeatureProgress,
            Feature::Print => Words::FeaturePrint,
            Feature::Ticket => Words::FeatureTicket,
            Feature::Apply => Words::FeatureApply,
            Feature::Enterprise => Words::Enterprise(EnterpriseWords::Tile),
        }
    }

    fn hint(self) -> Words {
        match self {
            Feature::Guide => Words::FeatureGuideHint,
            Feature::Progress => Words::FeatureProgressHint,
            Feature::Print => Words::FeaturePrintHint,
            Feature::Ticket => Words::FeatureTicketHint,
            Feature::Apply => Words::FeatureApplyHint,
            Feature::Enterprise => Words::Enterprise(EnterpriseWords::TileHint),
        }
    }

    fn icon(self) -> Icon {
        match self {
            Feature::Guide => Icon::Guide,
            Feature::Progress => Icon::Progress,
            Feature::Print => Icon::Print,
            Feature::Ticket => Icon::Ticket,
            Feature::Apply => Icon::Apply,
            Feature::Enterprise => Icon::Enterprise,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Message {
    Open(Feature),
    ToggleElder,
    SignIn,
}

pub fn view<'a>(
    env: &Env<'a>,
    devices: &DeviceBoard,
    identity: Option<&Identity>,
) -> Element<'a, Message> {
    let look = env.look;
    let colors = look.colors();
    let elder_label = if look.elder {
        Words::ElderOff
    } else {
        Words::ElderOn
    };
    let elder_button = button(crate::ui::assist::shaped_content(
        kiosk_proto::assist::Shape::Tile,
        container(
            text(env.t(elder_label))
                .size(look.text_title())
                .font(fonts::bold()),
        )
        .center_x(Length::Fill),
    ))
    .on_press(Message::ToggleElder)
    .padding(look.gap())
    .width(Length::Fill)
    .height(look.button_height())
    .style(look.primary_if(!look.elder));

    let tiles: Vec<Element<'a, Message>> = Feature::ALL
        .iter()
        .map(|feature| tile(env, devices, *feature))
        .collect();
    // Two columns in portrait; one row of four in landscape.
    let per_row = if look.portrait() { 2 } else { 4 };
    let mut grid = Column::new().spacing(look.gap_block());
    let mut tiles = tiles.into_iter();
    loop {
        let chunk: Vec<Element<'a, Message>> = tiles.by_ref().take(per_row).collect();
        if chunk.is_empty() {
            break;
        }
        grid = grid.push(
            row(chunk)
                .spacing(look.gap_block())
                .height(Length::FillPortion(1)),
        );
    }

    column![
        text(env.t(Words::HomeGreeting))
            .size(look.text_title())
            .font(fonts::bold())
            .color(colors.text),
        elder_button,
        card_strip(env, devices, identity),
        grid.height(Length::Fill),
    ]
    .spacing(look.gap_block())
    .padding(look.pad())
    .width(Length::Fill)
    .height(Length::Fill)
    .into()
}

fn tile<'a>(env: &Env<'a>, devices: &DeviceBoard, feature: Feature) -> Element<'a, Message> {
    let look = env.look;
    let colors = look.colors();
    let blocker = feature.blocker(devices);
    let icon_color = if blocker.is_some() {
        colors.disabled_text
    } else {
        colors.primary
    };
    let mut content = column![
        feature
            .icon()
            .view(look.mm(if look.elder { 28.0 } else { 24.0 }), icon_color),
        text(env.t(feature.title()))
            .size(look.text_feature())
            .font(fonts::bold()),
        text(env.t(feature.hint()))
            .size(look.text_body())
            .align_x(Alignment::Center),
    ]
    .spacing(look.gap())
    .align_x(Alignment::Center)
    .width(Length::Fill);
    // A feature that does without a failed helper device stays open and says so.
    if let Some((device, status)) = blocker.or(feature.helper_down(devices)) {
        content = content.push(
            row![
                Icon::Unavailable.view(look.text_body(), colors.accent),
                text(env.t(Words::Unavailable(device, status)))
                    .size(look.text_body())
                    .color(colors.accent)
                    .font(fonts::bold()),
            ]
            .spacing(look.gap_row())
            .align_y(Alignment::Center),
        );
    }
    button(crate::ui::assist::shaped_content(
        kiosk_proto::assist::Shape::Tile,
        container(content).center(Length::Fill),
    ))
    .on_press_maybe(blocker.is_none().then_some(Message::Open(feature)))
    .padding(look.pad())
    .width(Length::Fill)
    .height(Length::Fill)
    .style(look.tile())
    .into()
}

/// Who is signed in (masked), or the button to sign in with the card, greyed with the reason when the reader
/// cannot be used.
fn card_strip<'a>(
    env: &Env<'a>,
    devices: &DeviceBoard,
    identity: Option<&Identity>,
) -> Element<'a, Message> {
    let look = env.look;
    let colors = look.colors();
    if let Some(id) = identity {
        return container(
            row![
                Icon::Person.view(look.button_height(), colors.primary),
                column![
                    env.small(env.t(Words::SignedIn)),
                    text(format!("{}  {}", id.masked_name(), id.masked_id_number()))
                        .size(look.text_title())
                        .font(fonts::bold()),
                ]
                .spacing(look.gap_row()),
            ]
            .spacing(look.gap())
            .align_y(Alignment::Center),
        )
        .padding(look.gap())
        .width(Length::Fill)
        .style(look.card())
        .into();
    }
    let blocker = devices.blocker(&[Device::Reader]);
    let mut label = row![
        Icon::CardReader.view(look.icon_size(), colors.primary),
        text(env.t(Words::CardSignIn))
            .size(look.text_title())
            .font(fonts::bold()),
    ]
    .spacing(look.gap())
    .align_y(Alignment::Center);
    if let Some((device, status)) = blocker {
        label = label.push(
            text(env.t(Words::Unavailable(device, status)))
                .size(look.text_body())
                .color(colors.accent),
        );
    }
    button(crate::ui::assist::shaped_content(
        kiosk_proto::assist::Shape::Tile,
        container(label).center_x(Length::Fill),
    ))
    .on_press_maybe(blocker.is_none().then_some(Message::SignIn))
    .padding(look.gap())
    .width(Length::Fill)
    .style(look.tile())
    .into()
}
