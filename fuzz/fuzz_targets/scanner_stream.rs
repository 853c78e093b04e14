//! What a 2D barcode scanner sends on its serial line, split into reads anywhere: never a panic, no code
//! longer than allowed or holding a line end, and the same outcomes however the bytes are split; what a
//! code says about a case is a plausible case number or nothing.
#![no_main]

use kiosk::device::scanner::stream::{Codes, Scanned, MAX_CODE_BYTES};
use libfuzzer_sys::fuzz_target;

fn decode(bytes: &[u8], read: usize) -> Vec<Scanned> {
    let mut codes = Codes::new();
    let mut out = Vec::new();
    for chunk in bytes.chunks(read.max(1)) {
        out.extend(codes.push(chunk));
    }
    out.extend(codes.flush());
    out
}

fuzz_target!(|data: &[u8]| {
    let Some((&split, bytes)) = data.split_first() else {
        return;
    };
    let whole = decode(bytes, bytes.len());
    for scanned in &whole {
        if let Scanned::Code(text) = scanned {
            assert!(!text.is_empty() && text.len() <= MAX_CODE_BYTES);
            assert!(!text.contains('\r') && !text.contains('\n'));
            // What the terminal makes of a scanned code: a case number, or nothing.
            if let Some(number) = kiosk::domain::receipt::case_number(text) {
                assert!((6..=32).contains(&number.len()));
                assert!(number.bytes().all(|b| b.is_ascii_digit() || b.is_ascii_uppercase()));
            }
        }
    }
    assert_eq!(decode(bytes, usize::from(split) + 1), whole);
});
