//! Properties of the parsers of outside bytes (the config file, a catalogue from the hub, what is typed on
//! the keypad) and of the masking and search rules.

use std::path::Path;

use kiosk::config::Config;
use kiosk::domain::catalogue::{self, Catalogue};
use kiosk::domain::search::SearchIndex;
use kiosk::input::{Availability, Entry, Key, Keyboard, Kind};
use kiosk::terminal::session::mask_id_number;
use pinyin::ToPinyin;
use proptest::prelude::*;

fn index() -> &'static (Catalogue, SearchIndex) {
    static INDEX: std::sync::OnceLock<(Catalogue, SearchIndex)> = std::sync::OnceLock::new();
    INDEX.get_or_init(|| {
        let c = catalogue::bundled();
        let i = SearchIndex::new(&c);
        (c, i)
    })
}

/// Text that looks like a config file: known sections and keys, with random values and noise.
fn config_like() -> impl Strategy<Value = String> {
    let line = prop_oneof![
        Just("[reader]".to_string()),
        Just("[ui]".to_string()),
        Just("[screen]".to_string()),
        Just("[hub]".to_string()),
        "[a-z_]{1,10} = [0-9]{1,7}",
        "(baud|port|idle_seconds|language|width_px|url) = \"[^\"\\\\\n]{0,12}\"",
        "(baud|poll_ms|idle_seconds|width_mm|enabled) = (true|false|-?[0-9]{1,12}|[0-9]\\.[0-9])",
        "\\PC{0,20}",
    ];
    prop::collection::vec(line, 0..12).prop_map(|lines| lines.join("\n"))
}

proptest! {
    #[test]
    fn config_parser_never_panics_and_locates_every_problem(text in config_like()) {
        let lines = text.split('\n').count();
        if let Err(error) = Config::parse(&text, Path::new("k.toml")) {
            prop_assert!(!error.problems.is_empty());
            for p in &error.problems {
                prop_assert!(p.line >= 1 && p.line <= lines + 1, "{p}");
                prop_assert!(p.col >= 1, "{p}");
                prop_assert!(!p.key.is_empty() && !p.message.is_empty(), "{p}");
            }
        }
    }

    #[test]
    fn config_parser_takes_any_text(text in "\\PC{0,200}") {
        let _ = Config::parse(&text, Path::new("k.toml"));
    }

    #[test]
    fn catalogue_parser_never_panics_on_damaged_json(cut in 0usize..60_000, flip in any::<u8>(), at in 0usize..60_000) {
        let mut bytes = kiosk::domain::catalogue::BUNDLED.as_bytes().to_vec();
        let at = at % bytes.len();
        bytes[at] ^= flip;
        bytes.truncate(cut.max(1).min(bytes.len()));
        if let Ok(text) = std::str::from_utf8(&bytes) {
            let _ = Catalogue::from_json(text, "damaged.json");
        }
    }

    #[test]
    fn search_takes_any_query_and_ranks_best_first(query in "\\PC{0,40}") {
        let (_, index) = index();
        let hits = index.search(&query, 20);
        prop_assert!(hits.len() <= 20);
        prop_assert!(hits.windows(2).all(|w| w[0].score >= w[1].score));
        let _ = index.candidates(&query, 8);
    }

    #[test]
    fn typed_text_never_starts_with_a_space_or_holds_two(keys in prop::collection::vec(
        prop_oneof![
            "[a-z0-9]".prop_map(|s| Key::Char(s.chars().next().unwrap())),
            Just(Key::Pick(0)),
            Just(Key::Backspace),
            Just(Key::Clear),
            Just(Key::Space),
            Just(Key::Keyboard(Keyboard::Digits)),
            Just(Key::Keyboard(Keyboard::Letters)),
        ], 0..40)) {
        let mut field = Entry::new(Kind::Text, 40, None, Availability::default());
        for key in keys {
            field.press(key);
            prop_assert!(!field.text.starts_with(' '));
            prop_assert!(!field.text.contains("  "));
        }
    }

    #[test]
    fn a_credit_code_with_its_check_is_valid_and_any_one_changed_character_is_caught(
        first in proptest::collection::vec(0usize..31, 17),
        at in 0usize..18,
        by in 1usize..31,
    ) {
        use kiosk_proto::fields::{uscc_check, uscc_is_valid, USCC_ALPHABET};
        let alphabet: Vec<char> = USCC_ALPHABET.chars().collect();
        let first: String = first.iter().map(|&i| alphabet[i]).collect();
        let code = format!("{first}{}", uscc_check(&first).unwrap());
        prop_assert!(uscc_is_valid(&code));
        let mut changed: Vec<char> = code.chars().collect();
        let was = USCC_ALPHABET.find(changed[at]).unwrap();
        changed[at] = alphabet[(was + by) % 31];
        let changed: String = changed.into_iter().collect();
        prop_assert!(!uscc_is_valid(&changed), "{} passes as {}", changed, code);
    }

    #[test]
    fn a_mobile_number_read_once_reads_the_same_again(typed in "[+0-9 -]{0,20}") {
        if let Some(number) = kiosk_proto::fields::mobile_number(&typed) {
            prop_assert_eq!(number.len(), 11);
            prop_assert_eq!(kiosk_proto::fields::mobile_number(&number), Some(number.clone()));
        }
    }

    #[test]
    fn masked_id_numbers_keep_only_the_ends(id in "[0-9]{17}[0-9X]") {
        let masked = mask_id_number(&id);
        prop_assert_eq!(masked.chars().count(), 18);
        prop_assert_eq!(&masked[..4], &id[..4]);
        prop_assert_eq!(&masked[14..], &id[14..]);
        prop_assert!(masked[4..14].chars().all(|c| c == '*'));
    }
}

#[test]
fn every_service_is_found_first_by_its_own_name_and_among_the_top_by_its_initials() {
    let (catalogue, index) = index();
    for (i, service) in catalogue.services.iter().enumerate() {
        let hits = index.search(&service.name.zh, 5);
        assert_eq!(
            hits.first().map(|h| h.service),
            Some(i),
            "{}",
            service.name.zh
        );
        let initials: String = service
            .name
            .zh
            .chars()
            .filter_map(|c| c.to_pinyin().map(|p| p.first_letter()))
            .collect();
        let hits = index.search(&initials, 10);
        assert!(
            hits.iter().any(|h| h.service == i),
            "{} not found by {initials}",
            service.name.zh
        );
        let english = index.search(&service.name.en, 5);
        assert!(
            english.iter().any(|h| h.service == i),
            "{} not found by its English name",
            service.name.en
        );
    }
}
