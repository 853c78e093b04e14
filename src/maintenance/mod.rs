//! What technicians use: the service PIN and its lockout, the checks behind `kiosk doctor` and the
//! diagnostics screen, on-site settings written back to kiosk.toml, the serial ports found, the live log
//! tail, and the audit of everything done in service mode.

pub mod doctor;
pub mod logtail;
pub mod pin;
pub mod ports;
pub mod settings;
pub mod stored;
pub mod systemd;

use std::path::Path;
use std::time::{Duration, Instant};

use crate::domain::LocalText;

/// The sync-state key of the out-of-service switch (its message as JSON; empty: in service).
const OUT_OF_SERVICE_KEY: &str = "out_of_service";

/// What service mode knows of the terminal between its screens: what the reader said of itself, the last
/// read's outcome (never whose card), the technician's out-of-service switch, what is wrong with the
/// configuration the terminal started from, and the PIN's lockout.
#[derive(Debug, Clone, Default)]
pub struct Known {
    /// The reader's SAM id, as it reported it on connecting.
    pub sam_id: Option<String>,
    /// The outcome of the last card read, with its time.
    pub last_read: Option<String>,
    /// The message citizens see while a technician has the terminal out of service.
    pub out_of_service: Option<LocalText>,
    /// What is wrong with the configuration, until a save in service mode gives one that checks.
    pub config_problems: Option<Vec<String>>,
    pub lock: pin::Lock,
    /// Who opened service mode with the account the hub issued them (`张工 (0301)`), named in its audit.
    pub technician: Option<String>,
    /// Since when the hidden corner is held.
    corner_since: Option<Instant>,
}

impl Known {
    /// What is known when the terminal starts: the switch as it was left, and the configuration's problems.
    pub fn at_start(database: &Path, config_problems: Option<Vec<String>>) -> Known {
        Known {
            out_of_service: load_out_of_service(database),
            config_problems,
            ..Known::default()
        }
    }
}

/// How long the hidden corner is held before the PIN pad opens.
pub const LONG_PRESS: Duration = Duration::from_secs(3);

impl Known {
    /// The hidden corner pressed (`down`) or let go at `now`; true when it was held and let go before
    /// the long press (a citizen's touch like any other).
    pub fn corner(&mut self, down: bool, now: Instant) -> bool {
        let was_held = self.corner_since.take().is_some();
        if down {
            self.corner_since = Some(now);
        }
        was_held && !down
    }

    /// Whether the corner has been held for the long press at `now` (then it counts as let go).
    pub fn corner_held(&mut self, now: Instant) -> bool {
        let held = self
            .corner_since
            .is_some_and(|since| now.saturating_duration_since(since) >= LONG_PRESS);
        if held {
            self.corner_since = None;
        }
        held
    }
}

/// The out-of-service switch as kept in the sync state.
fn load_out_of_service(database: &Path) -> Option<LocalText> {
    let state = crate::sync::state::SyncState::open(database).ok()?;
    let json = state.get(OUT_OF_SERVICE_KEY).ok()??;
    serde_json::from_str(&json).ok()
}

/// Keeps the switch over a restart (`None`: in service).
pub fn keep_out_of_service(database: &Path, message: Option<&LocalText>) {
    let json = message
        .map(|m| serde_json::to_string(m).unwrap_or_default())
        .unwrap_or_default();
    let kept = crate::sync::state::SyncState::open(database)
        .and_then(|state| state.set(OUT_OF_SERVICE_KEY, &json));
    if let Err(error) = kept {
        tracing::error!(%error, "the out-of-service switch is not kept over a restart");
    }
}

/// Moves the out-of-service switch (`None`: back in service), keeps it over a restart, and audits it with
/// who moved it (`by`: service mode, the hub's operators).
pub fn switch_service(database: &Path, known: &mut Known, message: Option<LocalText>, by: &str) {
    keep_out_of_service(database, message.as_ref());
    audit(
        database,
        "out_of_service",
        serde_json::json!({ "on": message.is_some(), "message": message, "by": by }),
    );
    known.out_of_service = message;
}

/// The outbox kind of service-mode audit records (the hub keeps them with the terminal's other events and
/// in its audit chain).
pub const AUDIT_EVENT: &str = kiosk_proto::fleet::SERVICE_AUDIT_EVENT;

/// Records a service-mode step in the terminal's outbox (it reaches the hub with the next upload) and in
/// the log. `detail` never holds personal data: settings, PIN outcomes, switches.
pub fn audit(database: &Path, action: &str, detail: serde_json::Value) {
    tracing::info!(action, %detail, "service mode");
    let body = serde_json::json!({
        "action": action,
        "detail": detail,
        "at": chrono::Local::now().format("%Y-%m-%d %H:%M:%S").to_string(),
    });
    let recorded = crate::sync::outbox::Outbox::open(database)
        .and_then(|outbox| outbox.add(AUDIT_EVENT, &body));
    if let Err(error) = recorded {
        tracing::error!(%error, action, "a service-mode step could not be recorded in the outbox");
    }
}
