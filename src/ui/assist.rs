//! Remote guidance in the interface: the picture of the screen staff see (every text the widgets draw,
//! with where, masked), the areas screens tag personal, and what the citizen sees while staff help: the
//! call's banner, the two consent prompts, the banner with "take back" and "end", staff's messages, and
//! the highlight where staff point.

use std::sync::{Arc, Mutex};

use iced::widget::{column, container, opaque, row, space, text};
use iced::{Alignment, Length, Padding};
use iced_test::selector::{Candidate, Selector};
use kiosk_proto::assist::{Item, Shape};

use crate::assist::{Phase, Status};
use crate::ui::i18n::{assist as words, AssistWords, Words};
use crate::ui::{fonts, Element, Env};

/// The widget id of an area whose texts are personal: they leave the terminal as `*` only.
pub const PERSONAL: &str = "personal";

/// Tags `content` personal (see [`PERSONAL`]).
pub fn personal<'a, M: 'a>(content: impl Into<Element<'a, M>>) -> Element<'a, M> {
    container(content)
        .id(iced::widget::Id::new(PERSONAL))
        .into()
}

/// The widget ids that tag a shape of the mirror: an area (its own bounds), or a button's content (the
/// button's bounds: the container met just before it).
const TAGS: [(Shape, &str, &str); 5] = [
    (Shape::Button, "shape-button", "shape-button-content"),
    (Shape::Tile, "shape-tile", "shape-tile-content"),
    (Shape::Field, "shape-field", "shape-field-content"),
    (Shape::Key, "shape-key", "shape-key-content"),
    (Shape::Preview, "shape-preview", "shape-preview-content"),
];

/// The widget id of `shape`'s tag: on an area, or on a button's content (a masked shape is an area tagged
/// personal).
fn tag_id(shape: Shape, in_button: bool) -> iced::widget::Id {
    let tag =
        TAGS.into_iter()
            .find(|(s, _, _)| *s == shape)
            .map_or(
                PERSONAL,
                |(_, area, inner)| if in_button { inner } else { area },
            );
    iced::widget::Id::new(tag)
}

/// Tags `content` as `shape` in the mirror, with its own bounds (wrap a whole button, or an area).
/// Nothing changes on the screen.
pub fn shaped<'a, M: 'a>(shape: Shape, content: impl Into<Element<'a, M>>) -> Element<'a, M> {
    container(content).id(tag_id(shape, false)).into()
}

/// Tags the content of a button (its direct content) as `shape`: the outline is the button's.
pub fn shaped_content<'a, M: 'a>(
    shape: Shape,
    content: impl Into<Element<'a, M>>,
) -> iced::widget::Container<'a, M> {
    container(content).id(tag_id(shape, true))
}

/// `content`, tagged personal when `personal` (see [`personal`]).
pub fn personal_if<'a, M: 'a>(
    personal: bool,
    content: impl Into<Element<'a, M>>,
) -> Element<'a, M> {
    if personal {
        self::personal(content)
    } else {
        content.into()
    }
}

/// What the widget tree shows: its texts and shapes with their bounds, and the areas tagged personal.
#[derive(Default)]
pub struct Captured {
    pub items: Vec<Item>,
    pub personal: Vec<[i32; 4]>,
    /// The last container met, just before the candidate at hand (a button, for a tagged content).
    last: Option<iced::Rectangle>,
}

#[derive(Clone)]
struct Collect(Arc<Mutex<Captured>>, f32, f32);

fn holds(outer: iced::Rectangle, inner: iced::Rectangle) -> bool {
    outer.x <= inner.x + 0.5
        && outer.y <= inner.y + 0.5
        && outer.x + outer.width + 0.5 >= inner.x + inner.width
        && outer.y + outer.height + 0.5 >= inner.y + inner.height
}

fn rect(bounds: iced::Rectangle) -> [i32; 4] {
    [
        bounds.x.round() as i32,
        bounds.y.round() as i32,
        bounds.width.round() as i32,
        bounds.height.round() as i32,
    ]
}

impl Selector for Collect {
    type Output = ();

    fn select(&mut self, candidate: Candidate<'_>) -> Option<()> {
        let mut captured = self.0.lock().expect("capture");
        let on_screen =
            |b: iced::Rectangle| b.x < self.1 && b.y < self.2 && b.width > 0.0 && b.height > 0.0;
        let last = captured.last.take();
        match candidate {
            Candidate::Text {
                content,
                visible_bounds: Some(bounds),
                ..
            } if !content.trim().is_empty() && on_screen(bounds) => {
                captured.items.push(Item::text(content, rect(bounds)));
            }
            Candidate::Container {
                id, visible_bounds, ..
            } => {
                let tagged = id.and_then(|id| {
                    TAGS.into_iter().find_map(|(shape, area, inner)| {
                        if *id == iced::widget::Id::new(area) {
                            Some((shape, false))
                        } else if *id == iced::widget::Id::new(inner) {
                            Some((shape, true))
                        } else {
                            None
                        }
                    })
                });
                match (visible_bounds, tagged) {
                    (Some(bounds), _) if id == Some(&iced::widget::Id::new(PERSONAL)) => {
                        captured.personal.push(rect(bounds))
                    }
                    (Some(bounds), Some((shape, in_button))) if on_screen(bounds) => {
                        // A button's content names the button: the outline is the button's.
                        let outline = last
                            .filter(|b| in_button && holds(*b, bounds))
                            .unwrap_or(bounds);
                        captured.items.push(Item::shape(shape, rect(outline)));
                    }
                    _ => {}
                }
                captured.last = visible_bounds;
            }
            _ => {}
        }
        // Never "found": the whole tree is walked.
        None
    }

    fn description(&self) -> String {
        "every text on the screen".into()
    }
}

/// Every text and shape `view` draws on a screen of `size`, in drawing order.
pub fn capture(
    simulator: &mut iced_test::Simulator<'_, crate::ui::Message>,
    size: iced::Size,
) -> Captured {
    let collect = Collect(Default::default(), size.width, size.height);
    let shared = collect.0.clone();
    let _ = simulator.find(collect);
    let captured = std::mem::take(&mut *shared.lock().expect("capture"));
    captured
}

/// What the citizen taps in remote guidance.
#[derive(Debug, Clone, PartialEq)]
pub enum Message {
    Call,
    Cancel,
    AllowView,
    DenyView,
    AllowControl,
    DenyControl,
    TakeBack,
    End,
    /// Close staff's message, or the "cannot reach" note.
    Dismiss,
}

/// The strip under the top bar while remote guidance is under way (none when idle).
pub fn banner<'a>(env: &Env<'a>, status: &'a Status) -> Option<Element<'a, Message>> {
    let look = env.look;
    let colors = look.colors();
    let lang = env.lang;
    let small = |label: AssistWords, message: Message| -> Element<'a, Message> {
        env.tile(env.t(Words::Assist(label)), look.text_body(), message)
            .padding([0.0, look.pad_button()])
            .height(look.target())
            .into()
    };
    let (line, buttons): (String, Vec<Element<'a, Message>>) = match (status.phase, &status.staff) {
        // Idle: only a last word ("remote help has ended"), if any.
        (Phase::Idle, _) => {
            return status
                .message
                .as_deref()
                .map(|said| said_card(env, None, said, small(AssistWords::Ok, Message::Dismiss)))
        }
        (Phase::Calling, _) => (
            env.t(Words::Assist(AssistWords::Calling)).into(),
            vec![small(AssistWords::Cancel, Message::Cancel)],
        ),
        (Phase::Unreachable, _) => (
            env.t(Words::Assist(AssistWords::Unreachable)).into(),
            vec![small(AssistWords::Ok, Message::Dismiss)],
        ),
        (Phase::Control, Some(staff)) => (
            words::operating(lang, staff).into(),
            vec![
                small(AssistWords::TakeBack, Message::TakeBack),
                small(AssistWords::End, Message::End),
            ],
        ),
        (Phase::AskView, Some(staff)) => (
            words::connected(lang, staff).into(),
            vec![small(AssistWords::End, Message::End)],
        ),
        (_, Some(staff)) => (
            words::viewing(lang, staff).into(),
            vec![small(AssistWords::End, Message::End)],
        ),
        (_, None) => return None,
    };
    let mut lines = column![text(line)
        .size(look.text_body())
        .font(fonts::bold())
        .color(colors.on_primary)]
    .width(Length::Fill);
    if status.phase == Phase::Calling && status.waited_long {
        lines = lines.push(
            text(env.t(Words::Assist(AssistWords::CallingLong)))
                .size(look.text_small())
                .color(colors.on_primary),
        );
    }
    if status.reconnecting {
        lines = lines.push(
            text(env.t(Words::Assist(AssistWords::Reconnecting)))
                .size(look.text_small())
                .color(colors.on_primary),
        );
    }
    let mut strip = row![lines].spacing(look.gap()).align_y(Alignment::Center);
    for button in buttons {
        strip = strip.push(button);
    }
    let mut layout = column![container(strip)
        .padding([look.gap_row(), look.pad()])
        .width(Length::Fill)
        .style(look.banner())];
    if let Some(said) = &status.message {
        let heading = env.t(Words::Assist(AssistWords::StaffSays));
        layout = layout.push(said_card(
            env,
            Some(heading),
            said,
            small(AssistWords::Ok, Message::Dismiss),
        ));
    }
    Some(layout.into())
}

/// A message under the banner: staff's words (under "staff say:"), or the terminal's own last word.
fn said_card<'a>(
    env: &Env<'a>,
    heading: Option<std::borrow::Cow<'static, str>>,
    said: &'a str,
    dismiss: Element<'a, Message>,
) -> Element<'a, Message> {
    let look = env.look;
    let mut words = column![].width(Length::Fill);
    if let Some(heading) = heading {
        words = words.push(
            text(heading)
                .size(look.text_small())
                .color(look.colors().muted),
        );
    }
    container(
        row![
            words.push(text(said).size(look.text_title()).font(fonts::bold())),
            dismiss,
        ]
        .spacing(look.gap())
        .align_y(Alignment::Center),
    )
    .padding([look.gap(), look.pad()])
    .width(Length::Fill)
    .style(look.card())
    .into()
}

/// The consent prompt, over everything, while staff ask (none otherwise). No timeout answers it.
pub fn prompt<'a>(env: &Env<'a>, status: &'a Status) -> Option<Element<'a, Message>> {
    let look = env.look;
    let staff = status.staff.as_ref()?;
    let (title, body, allow, deny) = match status.phase {
        Phase::AskView => (
            words::ask_view(env.lang, staff),
            AssistWords::AskViewBody,
            (AssistWords::AllowView, Message::AllowView),
            Message::DenyView,
        ),
        Phase::AskControl => (
            words::ask_control(env.lang, staff),
            AssistWords::AskControlBody,
            (AssistWords::AllowControl, Message::AllowControl),
            Message::DenyControl,
        ),
        _ => return None,
    };
    let dialog = container(
        column![
            text(title)
                .size(look.text_title())
                .font(fonts::bold())
                .align_x(Alignment::Center),
            env.body(env.t(Words::Assist(body))),
            row![
                env.action(Words::Assist(AssistWords::NotNow), deny, false),
                env.action(Words::Assist(allow.0), allow.1, true),
            ]
            .spacing(look.gap_block()),
        ]
        .spacing(look.gap_block())
        .align_x(Alignment::Center),
    )
    .padding(look.pad_dialog())
    .max_width(look.viewport.width.min(look.viewport.height) * 0.9)
    .style(look.card());
    Some(opaque(
        container(dialog).center(Length::Fill).style(look.scrim()),
    ))
}

/// A ring around where staff point; it takes no touches.
pub fn pointer<'a, M: 'a>(env: &Env<'a>, at: [i32; 4]) -> Element<'a, M> {
    let look = env.look;
    let ring = look.mm(1.5);
    let [x, y, w, h] = at.map(|v| v as f32);
    container(
        container(space())
            .width(w + ring * 4.0)
            .height(h + ring * 4.0)
            .style(look.pointer()),
    )
    .padding(Padding {
        top: (y - ring * 2.0).max(0.0),
        left: (x - ring * 2.0).max(0.0),
        right: 0.0,
        bottom: 0.0,
    })
    .width(Length::Fill)
    .height(Length::Fill)
    .into()
}

/// The picture staff see in the mirror, drawn on a screen of `size`: texts where they are, outlines for
/// buttons, tiles, fields and keys, a grey box with `●●●` for every personal area, a grey box for the print
/// preview (`preview` names it). Nothing but the mirror's items is drawn, so a screenshot made from it holds
/// nothing the mirror would not send.
pub fn picture(items: &[Item], size: iced::Size, preview: &str) -> Element<'static, ()> {
    use iced::widget::{pin, stack};
    use iced::{Background, Border, Color};
    let boxed = |fill: Option<Color>, line: Color, width: f32, radius: f32| {
        move |_: &iced::Theme| container::Style {
            background: fill.map(Background::Color),
            border: Border {
                color: line,
                width,
                radius: radius.into(),
            },
            ..container::Style::default()
        }
    };
    let grey = Color::from_rgb8(0xc9, 0xcc, 0xd1);
    let mut layers: Vec<Element<'static, ()>> = vec![container(space())
        .width(Length::Fill)
        .height(Length::Fill)
        .style(boxed(
            Some(Color::from_rgb8(0xfd, 0xfc, 0xf8)),
            Color::TRANSPARENT,
            0.0,
            0.0,
        ))
        .into()];
    let outline = |line: Color, width: f32, radius: f32| -> Element<'static, ()> {
        container(space())
            .width(Length::Fill)
            .height(Length::Fill)
            .style(boxed(None, line, width, radius))
            .into()
    };
    for item in items {
        let [x, y, w, h] = item.bounds;
        let (w, h) = (w.max(1) as f32, h.max(1) as f32);
        let label = |words: String, px: f32| {
            text(words)
                .size(px.clamp(8.0, 48.0))
                .font(fonts::regular())
                .color(Color::from_rgb8(0x33, 0x33, 0x33))
        };
        let drawn: Element<'static, ()> = match item.shape {
            None => label(item.text.clone(), h * 0.75).into(),
            Some(Shape::Masked) => container(label("●●●".into(), h.min(40.0) * 0.6))
                .center(Length::Fill)
                .style(boxed(Some(grey), Color::TRANSPARENT, 0.0, 2.0))
                .into(),
            Some(Shape::Preview) => container(label(preview.into(), 24.0))
                .center(Length::Fill)
                .style(boxed(
                    Some(Color::from_rgb8(0xdc, 0xdd, 0xe0)),
                    Color::TRANSPARENT,
                    0.0,
                    2.0,
                ))
                .into(),
            Some(Shape::Button) => outline(Color::from_rgb8(0x0b, 0x5c, 0xad), 2.0, 5.0),
            Some(Shape::Tile) => outline(Color::from_rgb8(0x7a, 0x86, 0x99), 1.0, 5.0),
            Some(Shape::Key) => outline(Color::from_rgb8(0x9a, 0xa3, 0xb0), 1.0, 3.0),
            Some(Shape::Field) => outline(Color::from_rgb8(0x44, 0x44, 0x44), 1.0, 0.0),
        };
        layers.push(
            pin(container(drawn).width(w).height(h).clip(true))
                .x(x as f32)
                .y(y as f32)
                .into(),
        );
    }
    container(stack(layers))
        .width(size.width)
        .height(size.height)
        .into()
}
