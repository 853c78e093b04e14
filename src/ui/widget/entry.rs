//! How a field that takes text looks: the field with its composition, the keyboards' switch, the
//! candidates' row, and the keys of the keyboard shown (拼音 and ABC: QWERTY; 123: a keypad; 手写: the
//! writing pad). The field's state and its rules are [`crate::input::Entry`]'s; this only draws it and
//! turns touches into [`Key`]s.

use iced::mouse;
use iced::widget::canvas::{self, Frame, Path, Stroke as Line};
use iced::widget::{column, container, row, text, Column, Row};
use iced::{Alignment, Length, Point, Rectangle, Renderer, Theme};

use crate::input::entry::SYMBOLS;
use crate::input::{Entry, Key, Keyboard, Kind};
use crate::ui::i18n::{EntryWords, Words};
use crate::ui::theme::Look;
use crate::ui::{fonts, Element, Env};

const LETTERS: [&str; 3] = ["qwertyuiop", "asdfghjkl", "zxcvbnm"];

fn say(env: &Env<'_>, e: EntryWords) -> String {
    env.t(Words::Entry(e)).into_owned()
}

/// The field: what is typed, then the composition underlined, then the caret. `masked`: a personal field
/// shown as dots (the remote-guidance mirror never sees what is typed).
pub fn field<'a, M: 'a>(
    env: &Env<'a>,
    entry: &Entry,
    hint: String,
    masked: bool,
) -> Element<'a, M> {
    let look = env.look;
    let colors = look.colors();
    let shown = if masked {
        "•".repeat(entry.text.chars().count())
    } else {
        entry.text.clone()
    };
    let mut line = Row::new().align_y(Alignment::Center);
    if shown.is_empty() && entry.preedit.is_empty() {
        line = line.push(text(hint).size(look.text_title()).color(colors.muted));
    } else if entry.preedit.is_empty() {
        // The text and the caret as one line.
        line = line.push(
            text(format!("{shown}|"))
                .size(look.text_title())
                .font(fonts::bold()),
        );
    } else {
        line = line.push(text(shown).size(look.text_title()).font(fonts::bold()));
    }
    if !entry.preedit.is_empty() {
        // The letters being composed (without Rime's spaces between syllables), in the primary colour:
        // not yet part of the text.
        let letters: String = entry.preedit.chars().filter(|c| *c != ' ').collect();
        line = line.push(
            text(format!("{letters}|"))
                .size(look.text_title())
                .color(colors.primary),
        );
    }
    container(line)
        .padding([look.gap(), look.pad_card()])
        .width(Length::Fill)
        .style(look.card())
        .into()
}

/// The keyboard under a field, `width` pixels wide.
pub fn keyboard<'a>(env: &Env<'a>, entry: &'a Entry, width: f32) -> Element<'a, Key> {
    let look = env.look;
    let gap = look.gap();
    let mut rows = Column::new().spacing(gap).align_x(Alignment::Center);
    let offered = entry.keyboards();
    if offered.len() > 1 {
        let mut switch = Row::new().spacing(gap);
        for keyboard in offered {
            switch = switch.push(
                env.tile(
                    say(env, EntryWords::Keyboard(keyboard)),
                    look.text_body(),
                    Key::Keyboard(keyboard),
                )
                .padding([0.0, look.pad_card()])
                .height(look.target())
                .style(look.primary_if(entry.keyboard == keyboard)),
            );
        }
        rows = rows.push(switch);
    }
    if entry.kind == Kind::Text {
        let missing = [
            (entry.engines.pinyin.is_err(), EntryWords::NoPinyin),
            (
                entry.engines.handwriting.is_err(),
                EntryWords::NoHandwriting,
            ),
        ];
        // Said once the engines have answered (not while they start).
        for (_, words) in missing
            .into_iter()
            .filter(|(missing, _)| *missing && !entry.engines.starting())
        {
            rows = rows.push(env.small(say(env, words)));
        }
    }
    let body: Element<'a, Key> = match entry.keyboard {
        Keyboard::Pinyin => column![candidates(env, entry, width), qwerty(env, entry, width)]
            .spacing(gap)
            .align_x(Alignment::Center)
            .into(),
        Keyboard::Letters => qwerty(env, entry, width),
        Keyboard::Digits => digits(env, entry, width),
        Keyboard::Handwriting => pad(env, entry, width),
    };
    container(rows.push(body)).center_x(Length::Fill).into()
}

/// The width of a key when `across` keys and their gaps fill `width`, never narrower than a target.
fn key_width(look: &Look, width: f32, across: f32) -> f32 {
    ((width - (across - 1.0) * look.gap()) / across)
        .max(look.target())
        .floor()
}

fn key<'a>(env: &Env<'a>, label: String, key: Key, width: f32) -> Element<'a, Key> {
    env.key(label, env.look.text_title(), key)
        .width(Length::Fixed(width))
        .height(Length::Fixed(env.look.button_height()))
        .padding(0)
        .into()
}

/// A key labelled with one of the shell's words.
fn word_key<'a>(env: &Env<'a>, label: Words, pressed: Key, width: f32) -> Element<'a, Key> {
    key(env, env.t(label).into_owned(), pressed, width)
}

/// Backspace, space and clear, under every keyboard.
fn bottom_row<'a>(env: &Env<'a>, entry: &Entry, unit: f32) -> Element<'a, Key> {
    let gap = env.look.gap();
    let mut keys = Row::new().spacing(gap);
    keys = keys.push(word_key(env, Words::KeyClear, Key::Clear, unit * 2.0 + gap));
    if entry.kind == Kind::Text {
        keys = keys.push(word_key(
            env,
            Words::KeySpace,
            Key::Space,
            unit * 4.0 + gap * 3.0,
        ));
    }
    keys.push(word_key(
        env,
        Words::KeyDelete,
        Key::Backspace,
        unit * 2.0 + gap,
    ))
    .into()
}

fn qwerty<'a>(env: &Env<'a>, entry: &Entry, width: f32) -> Element<'a, Key> {
    let look = env.look;
    let gap = look.gap();
    let unit = key_width(&look, width, 10.0);
    let mut rows = Column::new().spacing(gap).align_x(Alignment::Center);
    let technical = entry.kind == Kind::Technical;
    if entry.digits_row() {
        rows = rows.push(
            Row::with_children(
                "1234567890"
                    .chars()
                    .map(|c| key(env, c.to_string(), Key::Char(c), unit)),
            )
            .spacing(gap),
        );
    }
    for (i, letters) in LETTERS.iter().enumerate() {
        let mut r = Row::with_children(letters.chars().map(|c| {
            // Capitals on the keys, as on every keyboard; what they type is lower case unless Shift.
            key(env, c.to_ascii_uppercase().to_string(), Key::Char(c), unit)
        }))
        .spacing(gap);
        if i == LETTERS.len() - 1 && entry.keyboard == Keyboard::Letters {
            r = r.push(
                env.key(say(env, EntryWords::Shift), look.text_body(), Key::Shift)
                    .width(Length::Fixed(unit * 2.0 + gap))
                    .height(Length::Fixed(look.button_height()))
                    .padding(0)
                    .style(look.primary_if(entry.upper)),
            );
        }
        rows = rows.push(r);
    }
    if technical {
        rows = rows.push(
            Row::with_children(
                SYMBOLS
                    .iter()
                    .map(|&c| key(env, c.to_string(), Key::Char(c), unit)),
            )
            .spacing(gap),
        );
    }
    rows.push(bottom_row(env, entry, unit)).into()
}

fn digits<'a>(env: &Env<'a>, entry: &Entry, width: f32) -> Element<'a, Key> {
    let look = env.look;
    let gap = look.gap();
    // Three wide keys across, as a telephone's.
    let unit = key_width(&look, width.min(look.mm(150.0)), 3.0);
    let mut rows = Column::new().spacing(gap).align_x(Alignment::Center);
    for line in ["123", "456", "789"] {
        rows = rows.push(
            Row::with_children(
                line.chars()
                    .map(|c| key(env, c.to_string(), Key::Char(c), unit)),
            )
            .spacing(gap),
        );
    }
    let mut last = Row::new().spacing(gap);
    if entry.kind == Kind::IdNumber {
        last = last.push(key(env, "X".into(), Key::Char('X'), unit));
    } else {
        last = last.push(word_key(env, Words::KeyClear, Key::Clear, unit));
    }
    last = last.push(key(env, "0".into(), Key::Char('0'), unit));
    last = last.push(word_key(env, Words::KeyDelete, Key::Backspace, unit));
    rows = rows.push(last);
    if entry.kind == Kind::IdNumber {
        rows = rows.push(word_key(
            env,
            Words::KeyClear,
            Key::Clear,
            unit * 3.0 + gap * 2.0,
        ));
    }
    rows.into()
}

/// Pinyin's candidates with their paging keys.
fn candidates<'a>(env: &Env<'a>, entry: &'a Entry, width: f32) -> Element<'a, Key> {
    let look = env.look;
    let gap = look.gap();
    let mut r = Row::new().spacing(gap).align_y(Alignment::Center);
    let page = |label: &str, key: Key, on: bool| {
        env.key(label.to_string(), look.text_title(), key.clone())
            .width(Length::Fixed(look.target()))
            .height(Length::Fixed(look.button_height()))
            .padding(0)
            .on_press_maybe(on.then_some(key))
    };
    r = r.push(page("‹", Key::PageUp, entry.page > 0));
    for (i, candidate) in entry.candidates.iter().enumerate() {
        r = r.push(
            env.tile(candidate.clone(), look.text_title(), Key::Pick(i))
                .padding([0.0, look.pad_button()])
                .height(Length::Fixed(look.button_height())),
        );
    }
    r = r.push(iced::widget::space().width(Length::Fill));
    r = r.push(page("›", Key::PageDown, !entry.last_page));
    container(r).width(Length::Fixed(width)).into()
}

/// The writing pad with the characters its strokes may be, undo and rewrite beside it.
fn pad<'a>(env: &Env<'a>, entry: &'a Entry, width: f32) -> Element<'a, Key> {
    let look = env.look;
    let gap = look.gap();
    // Half the keyboard's width, and at least 65 mm square (85 mm for elders: at least 80), never wider
    // than most of the keyboard.
    let side = look
        .mm(if look.elder { 85.0 } else { 65.0 })
        .max(width * 0.5)
        .min(width * 0.6)
        .floor();
    let canvas = canvas::Canvas::new(Pad {
        strokes: &entry.strokes,
        drawn: entry.pad_side(),
        width: side,
        height: side,
        guide: true,
        look,
        hint: say(env, EntryWords::WriteHere),
        on_stroke: |points, side| {
            Key::Stroke(points.into_iter().map(|(x, y, _)| (x, y)).collect(), side)
        },
    })
    .width(Length::Fixed(side))
    .height(Length::Fixed(side));
    let unit = key_width(&look, width - side - gap, 2.0);
    let mut written = Column::new().spacing(gap);
    for pair in entry.candidates.chunks(2).take(5).enumerate() {
        let (row_no, pair) = pair;
        let mut r = Row::new().spacing(gap);
        for (j, c) in pair.iter().enumerate() {
            r = r.push(key(env, c.clone(), Key::Pick(row_no * 2 + j), unit));
        }
        written = written.push(r);
    }
    let side_keys = row![
        env.key(say(env, EntryWords::Undo), look.text_body(), Key::Undo)
            .width(Length::Fixed(unit))
            .height(look.button_height()),
        env.key(
            say(env, EntryWords::ClearPad),
            look.text_body(),
            Key::ClearPad
        )
        .width(Length::Fixed(unit))
        .height(look.button_height()),
    ]
    .spacing(gap);
    let unit_bottom = key_width(&look, width, 8.0);
    column![
        row![canvas, column![written, side_keys].spacing(gap)].spacing(gap),
        bottom_row(env, entry, unit_bottom),
    ]
    .spacing(gap)
    .align_x(Alignment::Center)
    .into()
}

/// A stroke as a pad publishes it: each point (x, y) with its time in ms since the pad was first touched.
pub type Stroke = Vec<(f32, f32, u32)>;

/// A pad to draw on with a finger: the handwriting pad (square, with a 田字格 guide) and the signature pad.
/// Each stroke is published when the finger lifts, with every point's time in ms since the pad was first
/// touched.
pub struct Pad<'a, M> {
    pub strokes: &'a [crate::input::zinnia::Stroke],
    /// The width of the pad the strokes were drawn on (they are drawn scaled to this one).
    pub drawn: f32,
    pub width: f32,
    pub height: f32,
    /// The faint 田字格 lines of a character pad.
    pub guide: bool,
    pub look: Look,
    pub hint: String,
    pub on_stroke: fn(Stroke, f32) -> M,
}

/// The stroke being drawn, and when the pad was first touched.
#[derive(Default)]
pub struct Drawing {
    points: Vec<(f32, f32, u32)>,
    down: bool,
    first: Option<std::time::Instant>,
}

impl Drawing {
    fn point(&mut self, (x, y): (f32, f32)) -> (f32, f32, u32) {
        let first = *self.first.get_or_insert_with(std::time::Instant::now);
        (
            x,
            y,
            first.elapsed().as_millis().min(u128::from(u32::MAX)) as u32,
        )
    }
}

impl<M> canvas::Program<M> for Pad<'_, M> {
    type State = Drawing;

    fn update(
        &self,
        state: &mut Drawing,
        event: &iced::Event,
        bounds: Rectangle,
        cursor: mouse::Cursor,
    ) -> Option<canvas::Action<M>> {
        use iced::{touch, Event};
        let at = |p: Point| {
            (
                (p.x - bounds.x).clamp(0.0, self.width),
                (p.y - bounds.y).clamp(0.0, self.height),
            )
        };
        match event {
            Event::Mouse(mouse::Event::ButtonPressed(mouse::Button::Left)) => {
                let p = cursor.position_in(bounds)?;
                state.down = true;
                state.points = vec![state.point((p.x, p.y))];
                Some(canvas::Action::request_redraw().and_capture())
            }
            Event::Touch(touch::Event::FingerPressed { position, .. })
                if bounds.contains(*position) =>
            {
                state.down = true;
                state.points = vec![state.point(at(*position))];
                Some(canvas::Action::request_redraw().and_capture())
            }
            Event::Mouse(mouse::Event::CursorMoved { position }) if state.down => {
                let point = state.point(at(*position));
                state.points.push(point);
                Some(canvas::Action::request_redraw().and_capture())
            }
            Event::Touch(touch::Event::FingerMoved { position, .. }) if state.down => {
                let point = state.point(at(*position));
                state.points.push(point);
                Some(canvas::Action::request_redraw().and_capture())
            }
            Event::Mouse(mouse::Event::ButtonReleased(mouse::Button::Left))
            | Event::Touch(touch::Event::FingerLifted { .. })
            | Event::Touch(touch::Event::FingerLost { .. })
                if state.down =>
            {
                state.down = false;
                let points = std::mem::take(&mut state.points);
                Some(canvas::Action::publish((self.on_stroke)(points, self.width)).and_capture())
            }
            _ => None,
        }
    }

    fn draw(
        &self,
        state: &Drawing,
        renderer: &Renderer,
        _theme: &Theme,
        bounds: Rectangle,
        _cursor: mouse::Cursor,
    ) -> Vec<canvas::Geometry> {
        let colors = self.look.colors();
        let mut frame = Frame::new(renderer, bounds.size());
        let (width, height) = (self.width, self.height);
        frame.fill_rectangle(Point::ORIGIN, bounds.size(), colors.surface);
        if self.guide {
            // The guide lines of a 田字格, faint.
            let faint = Line::default()
                .with_color(iced::Color {
                    a: 0.25,
                    ..colors.muted
                })
                .with_width(1.0);
            frame.stroke(
                &Path::line(
                    Point::new(width / 2.0, 0.0),
                    Point::new(width / 2.0, height),
                ),
                faint,
            );
            frame.stroke(
                &Path::line(
                    Point::new(0.0, height / 2.0),
                    Point::new(width, height / 2.0),
                ),
                faint,
            );
        }
        frame.stroke(
            &Path::rectangle(Point::ORIGIN, bounds.size()),
            Line::default()
                .with_color(colors.border)
                .with_width(self.look.border_width()),
        );
        if self.strokes.is_empty() && state.points.is_empty() {
            frame.fill_text(canvas::Text {
                content: self.hint.clone(),
                position: Point::new(width / 2.0, height / 2.0),
                color: colors.muted,
                size: self.look.text_body().into(),
                font: fonts::regular(),
                align_x: iced::widget::text::Alignment::Center,
                align_y: iced::alignment::Vertical::Center,
                ..Default::default()
            });
        }
        let ink = Line::default()
            .with_color(colors.text)
            .with_width(self.look.mm(1.6))
            .with_line_cap(canvas::LineCap::Round)
            .with_line_join(canvas::LineJoin::Round);
        let scale = if self.drawn > 0.0 {
            width / self.drawn
        } else {
            1.0
        };
        let scaled: Vec<Vec<(f32, f32)>> = self
            .strokes
            .iter()
            .map(|s| s.iter().map(|&(x, y)| (x * scale, y * scale)).collect())
            .collect();
        let drawing: Vec<(f32, f32)> = state.points.iter().map(|&(x, y, _)| (x, y)).collect();
        for stroke in scaled.iter().chain(std::iter::once(&drawing)) {
            if stroke.len() < 2 {
                if let Some(&(x, y)) = stroke.first() {
                    frame.fill(
                        &Path::circle(Point::new(x, y), self.look.mm(0.8)),
                        colors.text,
                    );
                }
                continue;
            }
            let path = Path::new(|b| {
                b.move_to(Point::new(stroke[0].0, stroke[0].1));
                for &(x, y) in &stroke[1..] {
                    b.line_to(Point::new(x, y));
                }
            });
            frame.stroke(&path, ink);
        }
        vec![frame.into_geometry()]
    }

    fn mouse_interaction(
        &self,
        _state: &Drawing,
        bounds: Rectangle,
        cursor: mouse::Cursor,
    ) -> mouse::Interaction {
        if cursor.is_over(bounds) {
            mouse::Interaction::Crosshair
        } else {
            mouse::Interaction::default()
        }
    }
}
