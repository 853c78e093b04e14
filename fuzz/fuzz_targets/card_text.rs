//! The card's data on any bytes: the read reply split by its length header (with and without fingerprints),
//! the text block in all four layouts, the appended address. Never panics; an identity that parses
//! re-encodes to a block that parses to the same identity.
#![no_main]

use kiosk::device::reader::text::{
    encode_text, parse_appended_address, parse_text, split_read_reply,
};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = parse_appended_address(data);
    for fingerprint in [false, true] {
        if let Ok(blocks) = split_read_reply(data, fingerprint) {
            let _ = parse_text(&blocks.text);
        }
    }
    if let Ok(identity) = parse_text(data) {
        if let Ok(block) = encode_text(&identity) {
            assert_eq!(parse_text(&block).as_ref(), Ok(&identity));
        }
    }
});
