//! The virtual printer's ESC/POS decoder on any bytes: never panics, the listing holds every byte, and the
//! paper drawing stays within its bounds.
#![no_main]

use kiosk::device::printer::decode::{decode, listing};
use kiosk::device::printer::paper::{render, MAX_HEIGHT};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = decode(data);
    let listed: usize = listing(data)
        .lines()
        .map(|l| l.split('#').next().unwrap_or("").split_whitespace().count())
        .sum();
    assert_eq!(listed, data.len());
    let paper = render(data, 384);
    assert!(paper.height <= MAX_HEIGHT);
    assert_eq!(paper.pixels.len(), (paper.width * paper.height) as usize);
});
