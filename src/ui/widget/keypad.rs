//! The on-screen keypad: a kiosk has no system IME, so letters and digits are typed here, with a bar of
//! Chinese characters for the syllable being typed (a small pinyin input method over the catalogue).

use iced::widget::{row, Column, Row};
use iced::{Alignment, Length};

use crate::ui::i18n::Words;
use crate::ui::{Element, Env};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Key {
    Char(char),
    /// Replace the syllable being typed with this character.
    Candidate(char),
    Delete,
    Clear,
    Space,
}

const ROWS: [&str; 4] = ["1234567890", "qwertyuiop", "asdfghjkl", "zxcvbnm"];

/// Applies a key to the text being typed.
pub fn apply(text: &mut String, key: Key) {
    match key {
        Key::Char(c) => text.push(c),
        Key::Candidate(c) => {
            let keep = text.len() - crate::domain::search::trailing_letters(text).len();
            text.truncate(keep);
            text.push(c);
        }
        Key::Delete => {
            text.pop();
        }
        Key::Clear => text.clear(),
        Key::Space => {
            if !text.is_empty() && !text.ends_with(' ') {
                text.push(' ');
            }
        }
    }
}

pub fn view<'a>(env: &Env<'a>, candidates: &[char], width: f32) -> Element<'a, Key> {
    let look = env.look;
    let gap = look.gap();
    // Ten keys across the widest row, never narrower than a touch target.
    let key_width = ((width - 9.0 * gap) / 10.0).max(look.target()).floor();
    let key_height = look.button_height();

    let key = |label: String, key: Key, width: f32| -> Element<'a, Key> {
        env.key(label, look.text_title(), key)
            .width(Length::Fixed(width))
            .height(Length::Fixed(key_height))
            .padding(0)
            .into()
    };

    let mut rows = Column::new().spacing(gap).align_x(Alignment::Center);

    if !candidates.is_empty() {
        let bar = Row::with_children(
            candidates
                .iter()
                .map(|c| key(c.to_string(), Key::Candidate(*c), key_width)),
        )
        .spacing(gap);
        rows = rows.push(
            row![env.small(env.t(Words::Candidates)), bar]
                .spacing(gap)
                .align_y(Alignment::Center),
        );
    }

    for (i, letters) in ROWS.iter().enumerate() {
        let mut r = Row::with_children(
            letters
                .chars()
                .map(|c| key(c.to_ascii_uppercase().to_string(), Key::Char(c), key_width)),
        )
        .spacing(gap);
        if i == ROWS.len() - 1 {
            r = r.push(key(
                env.t(Words::KeyDelete).into_owned(),
                Key::Delete,
                key_width * 2.0 + gap,
            ));
        }
        rows = rows.push(r);
    }
    rows = rows.push(
        row![
            key(
                env.t(Words::KeyClear).into_owned(),
                Key::Clear,
                key_width * 2.0 + gap
            ),
            key(
                env.t(Words::KeySpace).into_owned(),
                Key::Space,
                key_width * 5.0 + gap * 4.0
            ),
        ]
        .spacing(gap),
    );
    rows.into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typing_a_syllable_then_choosing_its_character() {
        let mut text = String::new();
        for c in "ying".chars() {
            apply(&mut text, Key::Char(c));
        }
        apply(&mut text, Key::Candidate('营'));
        assert_eq!(text, "营");
        apply(&mut text, Key::Char('y'));
        apply(&mut text, Key::Delete);
        apply(&mut text, Key::Space);
        apply(&mut text, Key::Space);
        assert_eq!(text, "营 ");
        apply(&mut text, Key::Clear);
        assert_eq!(text, "");
    }
}
