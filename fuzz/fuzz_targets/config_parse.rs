//! A technician's kiosk.toml: any bytes must give a config or located problems, never a panic.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        if let Err(error) = kiosk::config::Config::parse(text, std::path::Path::new("k.toml")) {
            assert!(!error.problems.is_empty());
            assert!(error.problems.iter().all(|p| p.line >= 1 && p.col >= 1));
        }
    }
});
