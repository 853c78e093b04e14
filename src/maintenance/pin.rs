//! The service PIN: 6 to 12 digits, kept only as an argon2 hash in kiosk.toml. Five wrong tries in a row lock
//! the entry for five minutes; the count and the lock live in the terminal's SQLite file, so switching the
//! terminal off and on does not reset them.

use std::time::Duration;

use crate::sync::state::SyncState;

/// Wrong tries in a row before the entry locks.
pub const MAX_TRIES: u32 = 5;
/// How long it stays locked.
pub const LOCKOUT: Duration = Duration::from_secs(5 * 60);
pub const MIN_DIGITS: usize = kiosk_proto::secret::PIN_MIN_DIGITS;
pub const MAX_DIGITS: usize = kiosk_proto::secret::PIN_MAX_DIGITS;

const FAILURES_KEY: &str = "service_pin_failures";
const LOCKED_KEY: &str = "service_pin_locked_until_ms";

/// Whether `pin` may be set as the service PIN.
pub fn check_new(pin: &str) -> Result<(), String> {
    kiosk_proto::secret::check_pin(pin)
}

/// What one try at the PIN came to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Attempt {
    Granted,
    /// Wrong; `left` tries before the lock.
    Wrong {
        left: u32,
    },
    /// Locked (by this try, or still) until this time, in ms since the epoch.
    Locked {
        until_ms: i64,
    },
    /// No PIN is set in kiosk.toml: service mode cannot be entered on the screen.
    NoPin,
}

/// The lockout's state: wrong tries in a row, and the lock's end.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Gate {
    pub failures: u32,
    pub locked_until_ms: Option<i64>,
}

impl Gate {
    pub fn load(state: &SyncState) -> Gate {
        let number = |key| state.get(key).ok().flatten().and_then(|v| v.parse().ok());
        Gate {
            failures: number(FAILURES_KEY).unwrap_or(0) as u32,
            locked_until_ms: number(LOCKED_KEY),
        }
    }

    pub fn save(&self, state: &SyncState) -> rusqlite::Result<()> {
        state.set(FAILURES_KEY, &self.failures.to_string())?;
        state.set(
            LOCKED_KEY,
            &self
                .locked_until_ms
                .map(|ms| ms.to_string())
                .unwrap_or_default(),
        )
    }

    /// The lock's end, while it holds at `now_ms`.
    pub fn locked(&self, now_ms: i64) -> Option<i64> {
        self.locked_until_ms.filter(|until| *until > now_ms)
    }

    /// Tries `pin` against `hash` at `now_ms`. A locked gate checks nothing.
    pub fn attempt(&mut self, now_ms: i64, hash: Option<&str>, pin: &str) -> Attempt {
        self.attempt_with(now_ms, || own_pin(hash, pin))
    }

    /// One try at `now_ms`, judged by `check` (none: there is no PIN to check against). A locked gate
    /// calls nothing.
    pub fn attempt_with(&mut self, now_ms: i64, check: impl FnOnce() -> Option<bool>) -> Attempt {
        if let Some(until_ms) = self.locked(now_ms) {
            return Attempt::Locked { until_ms };
        }
        if self.locked_until_ms.take().is_some() {
            // The lock ran out: a fresh count.
            self.failures = 0;
        }
        match check() {
            None => return Attempt::NoPin,
            Some(true) => {
                self.failures = 0;
                return Attempt::Granted;
            }
            Some(false) => {}
        }
        self.failures += 1;
        if self.failures >= MAX_TRIES {
            let until_ms = now_ms + LOCKOUT.as_millis() as i64;
            self.locked_until_ms = Some(until_ms);
            Attempt::Locked { until_ms }
        } else {
            Attempt::Wrong {
                left: MAX_TRIES - self.failures,
            }
        }
    }
}

/// Whether `pin` is the terminal's own PIN kept as `hash` (none: no PIN is set).
fn own_pin(hash: Option<&str>, pin: &str) -> Option<bool> {
    hash.map(|hash| kiosk_proto::secret::verify(hash, pin) == Some(true))
}

/// The lockout as service mode keeps it: read from the terminal's SQLite file on first use and written back
/// after every try; held in memory as well, so a database that cannot be written never lifts the lock.
#[derive(Debug, Clone, Default)]
pub struct Lock {
    gate: Option<Gate>,
}

impl Lock {
    fn gate(&mut self, database: &std::path::Path) -> &mut Gate {
        self.gate.get_or_insert_with(|| {
            SyncState::open(database)
                .map(|state| Gate::load(&state))
                .unwrap_or_else(|error| {
                    tracing::error!(%error, "the PIN lockout cannot be read; counting from now");
                    Gate::default()
                })
        })
    }

    /// The lock's end, while it holds at `now_ms`.
    pub fn locked(&mut self, database: &std::path::Path, now_ms: i64) -> Option<i64> {
        self.gate(database).locked(now_ms)
    }

    /// Tries `pin` against the terminal's own PIN `hash`, the count kept in `database`.
    pub fn attempt_pin(
        &mut self,
        database: &std::path::Path,
        now_ms: i64,
        hash: Option<&str>,
        pin: &str,
    ) -> Attempt {
        self.attempt(database, now_ms, || own_pin(hash, pin))
    }

    /// One try judged by `check` (see [`Gate::attempt_with`]), the count kept in `database`.
    pub fn attempt(
        &mut self,
        database: &std::path::Path,
        now_ms: i64,
        check: impl FnOnce() -> Option<bool>,
    ) -> Attempt {
        let gate = self.gate(database);
        let attempt = gate.attempt_with(now_ms, check);
        let gate = *gate;
        if let Err(error) = SyncState::open(database).and_then(|state| gate.save(&state)) {
            tracing::error!(%error, "the PIN lockout is not kept over a restart");
        }
        attempt
    }
}

/// The sync-state key of the technicians' list the hub issued (as it was signed).
const LIST_KEY: &str = "technicians";

/// Keeps the technicians' list the hub sent, once it opens with the hub's keys the terminal keeps; how many
/// accounts it holds. From then on only their numbers and PINs open service mode.
pub fn keep_list(
    state: &SyncState,
    signed: &kiosk_proto::remote::SignedList,
) -> Result<usize, String> {
    let list = signed.open(&crate::sync::state::trusted_keys(state))?;
    state
        .set(
            LIST_KEY,
            &serde_json::to_string(signed).expect("a list serialises"),
        )
        .map_err(|e| format!("cannot keep it: {e}"))?;
    Ok(list.technicians.len())
}

/// The technicians' list kept, opened again with the hub's keys (a list changed in the file does not open);
/// none while the hub has issued none (the terminal's own PIN opens service mode).
pub fn kept_list(
    database: &std::path::Path,
) -> Option<Result<kiosk_proto::remote::TechnicianList, String>> {
    let state = SyncState::open(database).ok()?;
    let json = state.get(LIST_KEY).ok()??;
    Some(
        serde_json::from_str::<kiosk_proto::remote::SignedList>(&json)
            .map_err(|e| e.to_string())
            .and_then(|signed| signed.open(&crate::sync::state::trusted_keys(&state))),
    )
}

/// Minutes left on a lock ending at `until_ms`, rounded up (what the screen says).
pub fn minutes_left(until_ms: i64, now_ms: i64) -> u32 {
    ((until_ms - now_ms).max(0) as u64).div_ceil(60_000) as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn five_wrong_tries_lock_for_five_minutes_then_a_fresh_count() {
        let hash = kiosk_proto::secret::hash("258014");
        let mut gate = Gate::default();
        for left in (1..MAX_TRIES).rev() {
            assert_eq!(
                gate.attempt(0, Some(&hash), "000000"),
                Attempt::Wrong { left }
            );
        }
        let until_ms = 5 * 60 * 1000;
        assert_eq!(
            gate.attempt(0, Some(&hash), "000000"),
            Attempt::Locked { until_ms }
        );
        // Even the right PIN is not checked while locked.
        assert_eq!(
            gate.attempt(until_ms - 1, Some(&hash), "258014"),
            Attempt::Locked { until_ms }
        );
        assert_eq!(minutes_left(until_ms, 1), 5);
        assert_eq!(minutes_left(until_ms, until_ms - 1), 1);
        assert_eq!(
            gate.attempt(until_ms, Some(&hash), "111111"),
            Attempt::Wrong { left: 4 }
        );
        assert_eq!(
            gate.attempt(until_ms, Some(&hash), "258014"),
            Attempt::Granted
        );
        assert_eq!(gate.failures, 0);
        assert_eq!(gate.attempt(0, None, "258014"), Attempt::NoPin);
    }

    #[test]
    fn the_lock_survives_a_restart() {
        let dir = tempfile::tempdir().unwrap();
        let state = SyncState::open(&dir.path().join("k.db")).unwrap();
        let hash = kiosk_proto::secret::hash("258014");
        let mut gate = Gate::load(&state);
        for _ in 0..MAX_TRIES {
            gate.attempt(1_000, Some(&hash), "999999");
        }
        gate.save(&state).unwrap();
        drop(state);
        let state = SyncState::open(&dir.path().join("k.db")).unwrap();
        let mut again = Gate::load(&state);
        assert_eq!(again, gate);
        assert!(matches!(
            again.attempt(2_000, Some(&hash), "258014"),
            Attempt::Locked { .. }
        ));
    }

    #[test]
    fn a_lock_that_cannot_be_written_still_holds() {
        let dir = tempfile::tempdir().unwrap();
        // A database in a folder that does not exist: nothing can be read or written.
        let database = dir.path().join("no/such/folder/k.db");
        let hash = kiosk_proto::secret::hash("258014");
        let mut lock = Lock::default();
        for _ in 0..MAX_TRIES {
            lock.attempt_pin(&database, 1_000, Some(&hash), "999999");
        }
        assert!(lock.locked(&database, 2_000).is_some());
        assert!(matches!(
            lock.attempt_pin(&database, 2_000, Some(&hash), "258014"),
            Attempt::Locked { .. }
        ));
    }

    #[test]
    fn weak_or_malformed_pins_are_refused() {
        assert!(check_new("258014").is_ok());
        assert!(check_new("12345").unwrap_err().contains("6 to 12 digits"));
        assert!(check_new("1234567890123").is_err());
        assert!(check_new("12ab56").unwrap_err().contains("digits only"));
        assert!(check_new("000000").unwrap_err().contains("too easy"));
        assert!(check_new("123456").unwrap_err().contains("too easy"));
    }
}
