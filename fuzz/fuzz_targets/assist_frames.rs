//! Frames of remote guidance from the network: what the hub relays to a terminal, what a terminal or a
//! console sends the hub, and what reaches a console. None may panic; a frame that parses says the same
//! thing once written again; and the mirror's masking never leaves an ID-number-like run in any text.
#![no_main]

use kiosk_proto::assist::{self, FromConsole, FromTerminal, ToConsole, ToTerminal};
use libfuzzer_sys::fuzz_target;

fn again<T: serde::Serialize + serde::de::DeserializeOwned + PartialEq + std::fmt::Debug>(text: &str) {
    if let Ok(message) = assist::parse::<T>(text) {
        let written = assist::frame(&message);
        assert_eq!(assist::parse::<T>(&written).ok(), Some(message));
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    again::<FromTerminal>(text);
    again::<ToTerminal>(text);
    again::<ToConsole>(text);
    again::<FromConsole>(text);
    if let Ok(FromConsole::Say { text } | FromConsole::Type { text }) = assist::parse_console(text) {
        assert!(text.chars().count() <= assist::MAX_SAY);
    }
    let mut personal = kiosk::assist::mask::Personal::default();
    personal.add("320508194408150020");
    let masked = personal.mask(text);
    let mut run = 0;
    for c in masked.chars() {
        run = if c.is_ascii_digit() { run + 1 } else { 0 };
        assert!(run < 15, "{masked}");
    }
});
