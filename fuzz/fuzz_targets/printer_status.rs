//! The printer's real-time status replies: any bytes parse to a state or an error, never a panic, and a state
//! that parses answers with replies that parse to the same citizen-visible status.
#![no_main]

use kiosk::device::printer::status::PrinterState;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(state) = PrinterState::parse(data) {
        let again = PrinterState::parse(&state.replies()).expect("own replies parse");
        assert_eq!(again.device_status(), state.device_status());
    }
});
