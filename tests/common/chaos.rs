//! What the crash harnesses share (the terminal's in `tests/flows/crash.rs`, the hub's in
//! `hub/tests/hub/crash.rs`): how many kills an operation gets, and the pseudo-random moments they land at.
#![allow(dead_code)]

use std::time::Duration;

/// Kills an operation: `KIOSK_CRASH_KILLS`, 25 in the test run (`benches/crash.sh` runs 200).
pub fn kills() -> usize {
    std::env::var("KIOSK_CRASH_KILLS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(25)
}

/// Pseudo-random delays (xorshift), from a seed that is printed; `KIOSK_CRASH_SEED` repeats a run.
pub struct Delays(u64);

impl Delays {
    pub fn new(what: &str) -> Delays {
        let seed = std::env::var("KIOSK_CRASH_SEED")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| {
                std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .unwrap()
                    .as_nanos() as u64
                    | 1
            });
        eprintln!("crash harness {what}: KIOSK_CRASH_SEED={seed}");
        Delays(seed)
    }

    /// A delay from 0 to `max`.
    pub fn next(&mut self, max: Duration) -> Duration {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        max.mul_f64((self.0 % 10_000) as f64 / 10_000.0)
    }
}
