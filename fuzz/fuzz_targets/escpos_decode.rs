//! The virtual printer's ESC/POS decoder on any bytes: never panics, and the listing holds every byte.
#![no_main]

use kiosk::device::printer::decode::{decode, listing};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = decode(data);
    let listed: usize = listing(data)
        .lines()
        .map(|l| l.split('#').next().unwrap_or("").split_whitespace().count())
        .sum();
    assert_eq!(listed, data.len());
});
