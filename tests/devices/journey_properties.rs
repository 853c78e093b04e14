//! Properties of the journeys' screens under any sequence of touches: what the case-number keypad accepts
//! (and that the ID characters typed never reach the mirrored view model), the rating's reasons, and that
//! any case the hub sends makes a progress record that prints.

use kiosk::input::{Key, Keyboard};
use kiosk::ui::screen::progress::{self, Field};
use kiosk::ui::screen::rating::{self, Subject, TAGS};
use proptest::prelude::*;

fn key() -> impl Strategy<Value = Key> {
    prop_oneof![
        any::<char>().prop_map(Key::Char),
        "[0-9a-zA-Z]".prop_map(|s| Key::Char(s.chars().next().unwrap())),
        Just(Key::Backspace),
        Just(Key::Clear),
        Just(Key::Space),
        (0usize..12).prop_map(Key::Pick),
        Just(Key::Keyboard(Keyboard::Digits)),
        Just(Key::Keyboard(Keyboard::Letters)),
        any::<String>().prop_map(Key::Typed),
    ]
}

fn touch() -> impl Strategy<Value = progress::Message> {
    prop_oneof![
        4 => key().prop_map(progress::Message::Key),
        1 => Just(progress::Message::Field(Field::CaseNo)),
        1 => Just(progress::Message::Field(Field::Last6)),
        1 => Just(progress::Message::Search),
    ]
}

proptest! {
    #[test]
    fn the_keypad_gives_a_case_number_and_id_characters_of_the_allowed_shape(
        touches in proptest::collection::vec(touch(), 0..80),
    ) {
        let mut state = progress::State::default();
        let _ = state.update(progress::Message::ByNumber);
        for touch in touches {
            if let Some(progress::Event::Query(query)) = state.update(touch) {
                // A query goes out only whole: a number of 6 or more characters and exactly 6 ID characters.
                prop_assert!(query.case_no.len() >= 6 && query.case_no.len() <= 32);
                let last6 = query.id_last6.clone().unwrap();
                prop_assert_eq!(last6.len(), 6);
                prop_assert!(last6.chars().all(|c| c.is_ascii_digit() || c == 'X'));
                prop_assert!(query.id_number.is_none());
                // Back to typing, as "try again" after a wrong number does.
                state.step = progress::Step::Entry;
            }
            prop_assert!(state.case_no.len() <= 32);
            prop_assert!(state.case_no.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit()));
            prop_assert!(state.last6_typed <= 6);
            let mirrored = serde_json::to_value(&state).unwrap();
            prop_assert!(mirrored.get("last6").is_none(), "the ID characters stay on the terminal");
        }
    }

    #[test]
    fn a_rating_sent_from_the_screen_is_one_the_hub_counts(
        level in 1u8..=5,
        toggles in proptest::collection::vec(0usize..TAGS.len(), 0..12),
        case in proptest::option::of("SZ[0-9]{13}"),
    ) {
        let subject = Subject { service: "SZ-0001".into(), case_no: case };
        let (mut state, at_once) = rating::State::new(subject, level);
        let rating = match at_once {
            Some(rating) => {
                prop_assert!(level > 2, "only the upper levels are sent at once");
                rating
            }
            None => {
                for t in toggles {
                    let _ = state.update(rating::Message::Toggle(TAGS[t]));
                }
                let mut unique = state.tags.clone();
                unique.sort();
                unique.dedup();
                prop_assert_eq!(unique.len(), state.tags.len(), "a reason is on or off");
                match state.update(rating::Message::Send) {
                    Some(rating::Event::Send(rating)) => rating,
                    other => return Err(TestCaseError::fail(format!("sent {other:?}"))),
                }
            }
        };
        prop_assert_eq!(rating.level, level);
        prop_assert!(rating.check().is_ok(), "{:?}", rating.check());
    }
}
