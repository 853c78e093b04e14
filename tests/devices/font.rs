//! The bundled font really draws what the terminal shows, on a machine with no CJK font of its own.

use std::collections::BTreeSet;

use iced::widget::{container, row, text, Column};
use iced::{Length, Size};
use kiosk::config::Config;
use kiosk::domain::catalogue;
use kiosk::ui::{fonts, shot};

const CELL: u32 = 40;
const COLUMNS: u32 = 40;

fn catalogue_characters() -> Vec<char> {
    let catalogue = catalogue::bundled();
    let json = serde_json::to_string(&catalogue).unwrap();
    let hall = Config::default().terminal.hall_name;
    let mut set: BTreeSet<char> = json.chars().chain(hall.zh.chars()).collect();
    set.retain(|c| !c.is_whitespace() && !c.is_control() && *c != '\\');
    set.into_iter().collect()
}

/// Renders `chars` one per cell and returns the characters whose cell stayed blank.
fn blank_cells(chars: &[char], font: iced::Font) -> Vec<char> {
    let rows = chars.chunks(COLUMNS as usize).map(|line| {
        row(line.iter().map(|c| {
            container(text(c.to_string()).size(28).font(font))
                .width(Length::Fixed(CELL as f32))
                .height(Length::Fixed(CELL as f32))
                .into()
        }))
        .into()
    });
    let element: kiosk::ui::Element<'_, ()> = Column::with_children(rows).into();
    let lines = chars.len().div_ceil(COLUMNS as usize) as u32;
    let size = Size::new(CELL * COLUMNS, CELL * lines);
    let rgba = shot::render_element(element, &iced::Theme::Light, size);
    if let Some(path) = std::env::var_os("FONT_TEST_PNG") {
        shot::save_png(std::path::Path::new(&path), &rgba, size).unwrap();
    }
    chars
        .iter()
        .enumerate()
        .filter(|(i, _)| {
            let (cx, cy) = ((*i as u32 % COLUMNS) * CELL, (*i as u32 / COLUMNS) * CELL);
            let inked = (cy..cy + CELL).any(|y| {
                (cx..cx + CELL).any(|x| {
                    let p = ((y * size.width + x) * 4) as usize;
                    rgba[p] < 128 && rgba[p + 1] < 128 && rgba[p + 2] < 128
                })
            });
            !inked
        })
        .map(|(_, c)| *c)
        .collect()
}

#[test]
fn bundled_font_draws_every_character_of_the_catalogue() {
    let chars = catalogue_characters();
    assert!(chars.len() > 500, "{} distinct characters", chars.len());
    for font in [fonts::regular(), fonts::bold()] {
        let blank = blank_cells(&chars, font);
        assert!(blank.is_empty(), "drawn blank in {font:?}: {blank:?}");
    }
}

#[test]
fn rare_characters_in_names_and_addresses_are_drawn() {
    // Names and addresses can hold any character, not only the common ones.
    let rare: Vec<char> = "䶮𠮷龘犇堃赟喆昇珺沄甪直浒墅".chars().collect();
    assert_eq!(blank_cells(&rare, fonts::regular()), Vec::<char>::new());
}

#[test]
fn bundled_faces_are_registered_from_the_binary_not_the_system() {
    use iced::advanced::graphics::text::cosmic_text::fontdb::{Family, Query, Source, Weight};

    fonts::load_once();
    let mut system = iced::advanced::graphics::text::font_system()
        .write()
        .unwrap();
    let db = system.raw().db();
    for weight in [Weight::NORMAL, Weight::BOLD] {
        let id = db
            .query(&Query {
                families: &[Family::Name(fonts::FAMILY)],
                weight,
                ..Query::default()
            })
            .expect("the bundled family is registered");
        let face = db.face(id).unwrap();
        assert!(face.families.iter().any(|(name, _)| name == fonts::FAMILY));
        assert_eq!(face.weight, weight);
        assert!(
            matches!(face.source, Source::Binary(_)),
            "{weight:?} comes from a system file: {:?}",
            face.source
        );
    }
}
