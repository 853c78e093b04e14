//! A catalogue file (bundled, or later from the hub): any bytes must load or be refused, never panic.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        if let Ok(catalogue) = kiosk::domain::catalogue::Catalogue::from_json(text, "fuzz.json") {
            let index = kiosk::domain::search::SearchIndex::new(&catalogue);
            let _ = index.search("yyzz", 20);
        }
    }
});
