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

/// The outbox kind of service-mode audit records (the hub keeps them with the terminal's other events).
pub const AUDIT_EVENT: &str = "service";

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
