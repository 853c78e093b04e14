//! Service mode rewrites a technician's kiosk.toml in place: whatever the file holds, an edit gives a new text
//! that checks as what it says, or the file's located problems; never a panic.
#![no_main]
use libfuzzer_sys::fuzz_target;

use kiosk::maintenance::settings::{edit, Change};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let path = std::path::Path::new("k.toml");
    let changes = [
        Change::number("ui", "idle_seconds", 90),
        Change::text("terminal", "hall_name_zh", "吴江"),
        Change::text("service", "pin_hash", ""),
    ];
    match edit(text, path, &changes) {
        Ok((new, config, _)) => {
            assert_eq!(kiosk::config::Config::parse(&new, path).unwrap(), config);
            assert_eq!(config.ui.idle_seconds, 90);
        }
        Err(error) => assert!(!error.problems.is_empty()),
    }
});
