//! Masking what leaves the terminal in a mirror: values the session knows to be personal (the holder's
//! name, ID number and address, the ID characters being typed) wherever they appear, anything that looks
//! like an ID number, and every text drawn inside an area the interface tagged personal (the area is sent
//! as a grey box with `●●●`, its texts not at all).

use kiosk_proto::assist::{contains, Item, Shape};

/// The personal values of the session, whole.
#[derive(Default)]
pub struct Personal {
    values: Vec<String>,
}

impl Personal {
    /// Adds a value (ignored when shorter than 2 characters: masking it everywhere would hide nothing
    /// personal and garble the rest).
    pub fn add(&mut self, value: &str) {
        let value = value.trim();
        if value.chars().count() >= 2 {
            self.values.push(value.to_string());
        }
    }

    /// `text` with every personal value and every ID-number-like run masked.
    pub fn mask(&self, text: &str) -> String {
        let mut text = text.to_string();
        for value in &self.values {
            if text.contains(value.as_str()) {
                text = text.replace(value.as_str(), &masked(value));
            }
        }
        mask_id_runs(&text)
    }

    /// Masks `items` in place: each text by value; whatever lies in a personal area goes (a key under the
    /// citizen's finger would say what is typed), and the area is one masked box (`●●●`, which says nothing
    /// of what it hides, not even its length).
    pub fn mask_items(&self, items: &mut Vec<Item>, personal_areas: &[[i32; 4]]) {
        items.retain(|item| {
            !personal_areas.iter().any(|area| match item.shape {
                // A shape goes when it lies whole in the area (a field's outline around its masked value
                // stays); a text when its middle does.
                Some(_) => contains(*area, item.bounds),
                None => inside(item.bounds, *area),
            })
        });
        for item in items.iter_mut() {
            item.text = self.mask(&item.text);
        }
        // An area inside another is hidden with it.
        for (i, area) in personal_areas.iter().enumerate() {
            let within = personal_areas
                .iter()
                .enumerate()
                .any(|(j, outer)| j != i && contains(*outer, *area) && (area != outer || j < i));
            if !within {
                // A value's line is one width whatever it holds: its length would say something.
                let mut bounds = *area;
                if bounds[3] < LINE {
                    bounds[2] = VALUE_WIDTH;
                }
                items.push(Item::shape(Shape::Masked, bounds));
            }
        }
    }
}

/// A value masked: the first and last character kept when it is long enough to stay unrecognisable.
fn masked(value: &str) -> String {
    let chars: Vec<char> = value.chars().collect();
    match chars.len() {
        0..=3 => "*".repeat(chars.len()),
        n if n >= 15 => kiosk_proto::service::mask(value, 4, 4),
        n => format!("{}{}", chars[0], "*".repeat(n - 1)),
    }
}

/// Masks every run of 15 or more digits (an ID number, old or new, with or without its X).
pub(crate) fn mask_id_runs(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        let start = i;
        while i < chars.len()
            && (chars[i].is_ascii_digit() || (i > start && matches!(chars[i], 'X' | 'x')))
        {
            i += 1;
        }
        if i - start >= 15 {
            let run: String = chars[start..i].iter().collect();
            out.push_str(&kiosk_proto::service::mask(&run, 4, 4));
        } else if i > start {
            out.extend(&chars[start..i]);
        } else {
            out.push(chars[i]);
            i += 1;
        }
    }
    out
}

/// Whether `item`'s centre lies in `area`.
/// A masked area lower than this (in logical pixels) is a value's line.
const LINE: i32 = 120;
/// The width every masked value's line is sent with.
const VALUE_WIDTH: i32 = 160;

fn inside(item: [i32; 4], area: [i32; 4]) -> bool {
    let (cx, cy) = (item[0] + item[2] / 2, item[1] + item[3] / 2);
    cx >= area[0] && cx <= area[0] + area[2] && cy >= area[1] && cy <= area[1] + area[3]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn personal_values_and_id_numbers_are_masked_wherever_they_appear() {
        let mut personal = Personal::default();
        personal.add("李娜");
        personal.add("320581199003070020");
        personal.add("江苏省苏州市工业园区星湖街328号");
        personal.add("0"); // too short to mask everywhere
        assert_eq!(personal.mask("李娜，您好"), "**，您好");
        assert_eq!(
            personal.mask("证件 320581199003070020"),
            "证件 3205**********0020"
        );
        assert_eq!(
            personal.mask("11010519491231002X 到期"),
            "1101**********002X 到期"
        );
        assert!(!personal
            .mask("住址：江苏省苏州市工业园区星湖街328号")
            .contains("星湖街"));
        assert_eq!(
            personal.mask("2026-11-23 10:00 第 001 号"),
            "2026-11-23 10:00 第 001 号"
        );
    }

    #[test]
    fn texts_in_a_personal_area_are_hidden_whole() {
        let mut items = vec![
            Item::shape(Shape::Field, [0, 0, 400, 170]),
            Item::text("0020|", [10, 110, 100, 40]),
            Item::text("证件号码后六位", [10, 10, 100, 40]),
        ];
        Personal::default().mask_items(&mut items, &[[0, 100, 400, 60], [5, 105, 50, 20]]);
        let texts: Vec<&str> = items.iter().map(|i| i.text.as_str()).collect();
        assert_eq!(texts, ["", "证件号码后六位", "●●●"], "one box for the area");
        assert_eq!(
            items[0].shape,
            Some(Shape::Field),
            "the field's outline stays"
        );
        assert_eq!(items[2].shape, Some(Shape::Masked));
        assert_eq!(
            items[2].bounds,
            [0, 100, VALUE_WIDTH, 60],
            "a value's line, one width"
        );
        assert!(items[2].field);
    }

    proptest::proptest! {
        #[test]
        fn no_personal_value_survives_masking(
            before in "[\\PC]{0,20}",
            after in "[\\PC]{0,20}",
            name in "[\u{4e00}-\u{9fa5}]{2,4}",
            id in "[1-6][0-9]{16}[0-9X]",
        ) {
            let mut personal = Personal::default();
            personal.add(&name);
            personal.add(&id);
            for shown in [format!("{before}{name}{after}"), format!("{before}{id}{after}")] {
                let masked = personal.mask(&shown);
                proptest::prop_assert!(!masked.contains(&name), "{masked}");
                proptest::prop_assert!(!masked.contains(&id), "{masked}");
                // Masking what is masked changes nothing.
                proptest::prop_assert_eq!(personal.mask(&masked), masked.clone());
            }
        }

        #[test]
        fn any_id_number_is_masked_even_when_the_session_does_not_know_it(
            before in "[a-z ]{0,10}",
            id in "[1-6][0-9]{16}[0-9X]",
        ) {
            let masked = Personal::default().mask(&format!("{before}{id}"));
            proptest::prop_assert!(!masked.contains(&id[4..14]), "{masked}");
        }

        #[test]
        fn nothing_drawn_in_a_personal_area_leaves_and_each_area_is_one_box(
            texts in proptest::collection::vec((0i32..1000, 0i32..1800, 1i32..300, 1i32..100), 0..30),
            areas in proptest::collection::vec((0i32..1000, 0i32..1800, 1i32..600, 1i32..400), 0..5),
        ) {
            let areas: Vec<[i32; 4]> = areas.into_iter().map(|(x, y, w, h)| [x, y, w, h]).collect();
            let mut items: Vec<Item> = texts
                .into_iter()
                .map(|(x, y, w, h)| Item::text("秘密 secret", [x, y, w, h]))
                .collect();
            Personal::default().mask_items(&mut items, &areas);
            for item in items.iter().filter(|i| i.shape.is_none()) {
                proptest::prop_assert!(!areas.iter().any(|a| inside(item.bounds, *a)), "{item:?}");
            }
            let boxes = items.iter().filter(|i| i.shape == Some(Shape::Masked)).count();
            proptest::prop_assert!(boxes <= areas.len() && (areas.is_empty() || boxes >= 1));
            proptest::prop_assert!(items
                .iter()
                .filter(|i| i.shape == Some(Shape::Masked))
                .all(|i| i.text == kiosk_proto::assist::MASKED));
        }
    }
}
