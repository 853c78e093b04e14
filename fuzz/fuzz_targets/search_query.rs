//! What a citizen types: any query must search and offer candidates without panicking.
#![no_main]
use std::sync::OnceLock;

use kiosk::domain::catalogue;
use kiosk::domain::search::SearchIndex;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    static INDEX: OnceLock<SearchIndex> = OnceLock::new();
    let index = INDEX.get_or_init(|| SearchIndex::new(&catalogue::bundled()));
    if let Ok(query) = std::str::from_utf8(data) {
        let hits = index.search(query, 20);
        assert!(hits.len() <= 20);
        let _ = index.candidates(query, 8);
    }
});
