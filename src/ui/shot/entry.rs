//! Text entry's presets for `kiosk shot`: each keyboard with something typed, the engines answering as
//! they do on a terminal (Rime deployed as the package does, zinnia with Debian's model).

use crate::input::{Key, Keyboard};
use crate::ui::screen::home::{Feature, Message as HomeMessage};
use crate::ui::screen::maintenance::{Field, Message as S, Tab};
use crate::ui::screen::{attract, guide, progress};
use crate::ui::{App, Message};

pub const PRESETS: &[(&str, &str)] = &[
    (
        "entry-pinyin",
        "the guide's search: suzhou typed in pinyin, Rime's candidates and their pages",
    ),
    (
        "entry-handwriting",
        "the guide's search: 中 written on the pad, zinnia's candidates after the last stroke",
    ),
    (
        "entry-digits",
        "progress by number: the ID's last six on the 123 keypad",
    ),
    (
        "entry-letters",
        "the guide's search in English on the ABC keyboard",
    ),
    (
        "entry-symbols",
        "service mode: the hub's URL typed on the technicians' keyboard with its symbols row",
    ),
];

/// The strokes of 中 in a pad of 300 px: the left side, the top and right side, the bottom, the middle.
fn zhong() -> Vec<Vec<(f32, f32)>> {
    let line = |from: (f32, f32), to: (f32, f32)| -> Vec<(f32, f32)> {
        (0..=10)
            .map(|i| {
                let t = i as f32 / 10.0;
                (from.0 + (to.0 - from.0) * t, from.1 + (to.1 - from.1) * t)
            })
            .collect()
    };
    let mut top_right = line((80.0, 90.0), (220.0, 90.0));
    top_right.extend(line((220.0, 90.0), (220.0, 190.0)).into_iter().skip(1));
    vec![
        line((80.0, 90.0), (80.0, 190.0)),
        top_right,
        line((80.0, 190.0), (220.0, 190.0)),
        line((150.0, 30.0), (150.0, 280.0)),
    ]
}

pub fn steps(app: &mut App, name: &str) {
    let mut go = |message: Message| {
        let _ = app.update(message);
    };
    let search = |key: Key| Message::Guide(guide::Message::Key(key));
    if name == "entry-symbols" {
        return;
    }
    go(Message::Attract(attract::Message::Start));
    match name {
        "entry-pinyin" | "entry-handwriting" | "entry-letters" => {
            go(Message::Home(HomeMessage::Open(Feature::Guide)));
            go(Message::Guide(guide::Message::OpenSearch));
            match name {
                "entry-pinyin" => {
                    go(search(Key::Keyboard(Keyboard::Pinyin)));
                    "suzhou".chars().for_each(|c| go(search(Key::Char(c))));
                }
                "entry-handwriting" => {
                    go(search(Key::Keyboard(Keyboard::Handwriting)));
                    // The pad is drawn at its own size; the strokes are scaled to it by the engine.
                    for stroke in zhong() {
                        go(search(Key::Stroke(stroke, 300.0)));
                    }
                }
                _ => {
                    go(search(Key::Keyboard(Keyboard::Letters)));
                    go(search(Key::Shift));
                    go(search(Key::Char('p')));
                    go(search(Key::Shift));
                    "assport".chars().for_each(|c| go(search(Key::Char(c))));
                }
            }
        }
        "entry-digits" => {
            go(Message::Home(HomeMessage::Open(Feature::Progress)));
            go(Message::Progress(progress::Message::ByNumber));
            go(Message::Progress(progress::Message::Field(
                progress::Field::Last6,
            )));
            "0412"
                .chars()
                .for_each(|c| go(Message::Progress(progress::Message::Key(Key::Char(c)))));
        }
        _ => {}
    }
}

/// Service mode's settings with the hub's URL being typed (after the panel is open).
pub fn symbols(app: &mut App) {
    let _ = app.update(Message::Maintenance(S::Tab(Tab::Settings)));
    let _ = app.update(Message::Maintenance(S::Edit(Field::HubUrl)));
    for c in "https://hub.szzwfw.gov.cn:8443/".chars() {
        let _ = app.update(Message::Maintenance(S::Key(Key::Char(c))));
    }
}
