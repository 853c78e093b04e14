//! Properties of the printer's parsers of outside bytes (status replies, ESC/POS streams) and of text wrapping.

use kiosk::device::printer::decode::{decode, listing};
use kiosk::device::printer::encode::{width, wrap};
use kiosk::device::printer::status::{is_status_byte, PrinterState};
use proptest::prelude::*;

/// The bytes a listing spells out.
fn bytes_of(listing: &str) -> Vec<u8> {
    listing
        .lines()
        .flat_map(|line| line.split('#').next().unwrap_or("").split_whitespace())
        .map(|b| u8::from_str_radix(b, 16).unwrap())
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn any_stream_decodes_and_its_listing_holds_every_byte(bytes in proptest::collection::vec(any::<u8>(), 0..2000)) {
        let _ = decode(&bytes);
        prop_assert_eq!(bytes_of(&listing(&bytes)), bytes);
    }

    #[test]
    fn status_replies_parse_only_with_their_fixed_bits(replies in proptest::collection::vec(any::<u8>(), 0..5)) {
        match PrinterState::parse(&replies) {
            Ok(_) => prop_assert!(replies.len() == 3 && replies.iter().all(|b| is_status_byte(*b))),
            Err(_) => prop_assert!(replies.len() != 3 || replies.iter().any(|b| !is_status_byte(*b))),
        }
    }

    #[test]
    fn wrapped_lines_fit_and_lose_nothing_but_spaces(
        text in "[a-z 营业执照不动产登记，。（）]{0,80}",
        columns in 4usize..50,
    ) {
        let lines = wrap(&text, columns);
        for line in &lines {
            prop_assert!(width(line) <= columns, "{:?} is wider than {}", line, columns);
        }
        let squeeze = |s: &str| s.chars().filter(|c| *c != ' ').collect::<String>();
        prop_assert_eq!(squeeze(&lines.concat()), squeeze(&text));
    }
}
