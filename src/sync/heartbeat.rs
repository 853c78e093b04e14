//! The heartbeat thread: every 30 s ± 20 % it tells the hub how the terminal's devices are and what it runs,
//! delivers the outbox in batches, fetches a new catalogue when the hub announces one, and reports the hub's
//! reachability to the home tiles. While the hub cannot be reached it retries with
//! jittered exponential back-off (from a sixth of the interval, capped at 5 minutes), so a fleet coming
//! back from an outage does not arrive all at once.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use kiosk_proto::fleet::Heartbeat;

use super::client::{HubClient, HubSettings, SyncError};
use super::outbox::Outbox;
use super::state::SyncState;
use crate::device::worker::Worker;
use crate::device::{DeviceStatus, Reason};

/// The longest wait between attempts while the hub is down.
pub const BACKOFF_CAP: Duration = Duration::from_secs(300);

/// The device states the heartbeat carries, kept up to date by the interface.
pub type DeviceReport = Arc<Mutex<BTreeMap<String, String>>>;

/// A small random source for jitter (xorshift, seeded from the operating system).
struct Jitter(u64);

impl Jitter {
    fn new() -> Jitter {
        let mut seed = [0u8; 8];
        let _ = getrandom::fill(&mut seed);
        Jitter(u64::from_le_bytes(seed) | 1)
    }

    /// `base` spread uniformly over ± `spread` (0.2: ± 20 %).
    fn spread(&mut self, base: Duration, spread: f64) -> Duration {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        let unit = (self.0 >> 11) as f64 / (1u64 << 53) as f64;
        base.mul_f64(1.0 + spread * (2.0 * unit - 1.0))
    }
}

/// The wait before attempt `failures + 1` after `failures` failures in a row.
pub fn backoff(interval: Duration, failures: u32) -> Duration {
    let first = interval / 6;
    first
        .saturating_mul(2u32.saturating_pow(failures.saturating_sub(1).min(16)))
        .min(BACKOFF_CAP)
}

/// Fetches the hub's signing keys and keeps them as the trusted ones (first contact after enrolment).
pub fn keep_keys(client: &HubClient, state: &SyncState) {
    match client.keys() {
        Ok(keys) if !keys.is_empty() => {
            let hex: Vec<String> = keys
                .iter()
                .map(kiosk_proto::verify::public_key_hex)
                .collect();
            match state.set("hub_keys", &hex.join(",")) {
                Ok(()) => tracing::info!(keys = keys.len(), "the hub's signing keys are kept"),
                Err(error) => tracing::error!(%error, "cannot keep the hub's signing keys"),
            }
        }
        Ok(_) => tracing::warn!("the hub lists no signing keys"),
        Err(error) => {
            tracing::warn!(%error, "the hub's keys not fetched; trying at the next heartbeat")
        }
    }
}

/// Fetches the hub's catalogue (a 304 if the cached one is current) and caches it with its version and tag;
/// the terminal uses it from its next start.
fn refresh_catalogue(client: &HubClient, state: &SyncState, etag: Option<&str>, version: u64) {
    match client.catalogue(etag) {
        Ok(Some((json, tag))) => {
            let saved = state
                .set("catalogue_json", &json)
                .and_then(|()| state.set("catalogue_etag", &tag))
                .and_then(|()| state.set("catalogue_version", &version.to_string()));
            match saved {
                Ok(()) => tracing::info!(version, "catalogue updated from the hub"),
                Err(error) => tracing::error!(%error, "cannot cache the hub's catalogue"),
            }
        }
        Ok(None) => {
            let _ = state.set("catalogue_version", &version.to_string());
        }
        Err(error) => tracing::warn!(%error, "catalogue not fetched; trying at the next heartbeat"),
    }
}

/// Sends the applications waiting in the terminal, and says what happened (never what they hold).
pub fn deliver_applications(applications: &super::applications::Applications, client: &HubClient) {
    match applications.deliver(client) {
        Ok(done) if done.applications > 0 => tracing::info!(
            applications = done.applications,
            pages_sent = done.pages_sent,
            pages_skipped = done.pages_skipped,
            "applications delivered"
        ),
        Ok(_) => {}
        Err(error) => {
            tracing::warn!(%error, "applications not delivered; trying at the next heartbeat")
        }
    }
}

/// What the heartbeat thread tells the interface.
#[derive(Debug, Clone, PartialEq)]
pub enum HubEvent {
    /// The hub's reachability, on every change (the first included).
    Status(DeviceStatus),
    /// The operators published settings newer than those applied: apply them, then record the version
    /// and what was refused ([`record_applied`]), which the next beats report.
    Settings(Box<kiosk_proto::remote::SettingsReply>),
    /// A command the interface carries out (out of service, restart, a screenshot, its log), with the id
    /// its answer goes under.
    Command(kiosk_proto::remote::Command, Option<i64>),
}

/// The version of the terminal's package (dpkg's, asked once), or the program's own when it was not installed
/// from the package: what the hub's fleet lists as the software it runs.
pub fn installed_version() -> &'static str {
    static VERSION: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    VERSION.get_or_init(|| {
        std::process::Command::new("dpkg-query")
            .args(["-W", "-f=${Version}", "kiosk"])
            .stderr(std::process::Stdio::null())
            .output()
            .ok()
            .filter(|out| out.status.success())
            .and_then(|out| String::from_utf8(out.stdout).ok())
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty())
            .unwrap_or_else(|| env!("CARGO_PKG_VERSION").to_string())
    })
}

/// Where the terminal and the package's updater meet (beside the terminal's database): `wanted` (the
/// version to install), `result` (what kiosk-update made of it).
pub fn update_folder(database: &std::path::Path) -> std::path::PathBuf {
    database
        .parent()
        .unwrap_or(std::path::Path::new("."))
        .join("update")
}

/// Keys of the sync state: the config version applied, and what was refused of it (JSON).
const APPLIED: &str = "config_version";
const REFUSED: &str = "config_refused";

/// Records that the settings of `version` were applied, but for `refused`.
pub fn record_applied(
    state: &SyncState,
    version: u64,
    refused: &[kiosk_proto::remote::Refusal],
) -> rusqlite::Result<()> {
    state.set(
        REFUSED,
        &serde_json::to_string(refused).expect("refusals serialise"),
    )?;
    state.set(APPLIED, &version.to_string())
}

/// Answers command `id` (if the hub gave one), logging a failure to.
pub fn answer_command(
    client: &HubClient,
    id: Option<i64>,
    result: kiosk_proto::remote::CommandResult,
) {
    let Some(id) = id else { return };
    if let Err(error) = client.command_result(id, &result) {
        tracing::warn!(%error, id, "a command's answer did not reach the hub");
    }
}

/// The thread; dropping it stops it.
pub struct HubThread {
    _worker: Worker,
}

impl HubThread {
    /// Beats to the hub in `settings`, carrying `devices`; reports the hub's state to `sink` on every change
    /// (the first included). When `sink` returns false the thread ends.
    pub fn spawn(
        settings: HubSettings,
        devices: DeviceReport,
        mut sink: impl FnMut(DeviceStatus) -> bool + Send + 'static,
    ) -> HubThread {
        HubThread::spawn_events(settings, devices, move |event| match event {
            HubEvent::Status(status) => sink(status),
            _ => true,
        })
    }

    /// As [`HubThread::spawn`], telling `sink` everything the interface acts on.
    pub fn spawn_events(
        settings: HubSettings,
        devices: DeviceReport,
        mut sink: impl FnMut(HubEvent) -> bool + Send + 'static,
    ) -> HubThread {
        let worker = Worker::spawn("hub-heartbeat", move |stop| {
            let mut jitter = Jitter::new();
            let mut last = None;
            let mut failures = 0u32;
            // The settings version last handed to the interface (fetched once, not at every beat while
            // the interface applies it).
            let mut offered = 0u64;
            let state = match SyncState::open(&settings.database) {
                Ok(state) => Some(state),
                Err(error) => {
                    tracing::error!(%error, database = %settings.database.display(), "the sync state cannot be recorded");
                    None
                }
            };
            let outbox = match Outbox::open(&settings.database) {
                Ok(outbox) => Some(outbox),
                Err(error) => {
                    tracing::error!(%error, database = %settings.database.display(), "the outbox cannot be read");
                    None
                }
            };
            let applications = match super::applications::Applications::open(&settings.database) {
                Ok(applications) => Some(applications),
                Err(error) => {
                    tracing::error!(%error, database = %settings.database.display(), "applications cannot be delivered");
                    None
                }
            };
            while !stop.stopped() {
                let mut events = Vec::new();
                let (status, wait) = match HubClient::new(
                    &settings.url,
                    &settings.credential,
                    settings.ca.as_deref(),
                ) {
                    Err(error) => {
                        if last.is_none() {
                            tracing::warn!(%error, "hub features stay off");
                        }
                        (
                            DeviceStatus::Disabled(Reason::NotConfigured),
                            settings.interval,
                        )
                    }
                    Ok(client) => {
                        let cached =
                            |key: &str| state.as_ref().and_then(|s| s.get(key).ok().flatten());
                        let catalogue_version = cached("catalogue_version")
                            .and_then(|v| v.parse().ok())
                            .unwrap_or(0);
                        let applied: u64 =
                            cached(APPLIED).and_then(|v| v.parse().ok()).unwrap_or(0);
                        let backlog = super::backlog(&settings.database).unwrap_or_default();
                        let mut reported = devices.lock().map(|d| d.clone()).unwrap_or_default();
                        // What the package's updater made of the last version the hub rolled out.
                        if let Ok(result) = std::fs::read_to_string(
                            update_folder(&settings.database).join("result"),
                        ) {
                            reported
                                .insert("update".into(), result.trim().chars().take(200).collect());
                        }
                        let beat = Heartbeat {
                            devices: reported,
                            outbox_depth: backlog.records,
                            software_version: installed_version().into(),
                            config_version: applied,
                            catalogue_version,
                            interval_ms: settings.interval.as_millis() as u64,
                            oldest_waiting_ms: backlog.oldest_ms,
                            unknown_prints: backlog.unknown_prints,
                            clock_ms: chrono::Utc::now().timestamp_millis(),
                            config_refused: cached(REFUSED)
                                .and_then(|json| serde_json::from_str(&json).ok())
                                .unwrap_or_default(),
                        };
                        match client.heartbeat(&beat) {
                            Ok(reply) => {
                                failures = 0;
                                if let Some(outbox) = &outbox {
                                    match outbox.drain(&client) {
                                        Ok(0) => {}
                                        Ok(sent) => {
                                            tracing::info!(sent, "outbox records delivered")
                                        }
                                        Err(error) => {
                                            tracing::warn!(%error, "outbox not delivered; trying at the next heartbeat")
                                        }
                                    }
                                }
                                if let Some(applications) = &applications {
                                    deliver_applications(applications, &client);
                                }
                                if let Some(state) = &state {
                                    follow(
                                        &client,
                                        &settings.credential,
                                        state,
                                        &reply,
                                        catalogue_version,
                                        &mut events,
                                    );
                                }
                                if reply.config_version > applied.max(offered) {
                                    match client.settings() {
                                        Ok(published) => {
                                            offered = published.version;
                                            events.push(HubEvent::Settings(Box::new(published)));
                                        }
                                        Err(error) => {
                                            tracing::warn!(%error, "settings not fetched; trying at the next heartbeat")
                                        }
                                    }
                                }
                                (DeviceStatus::Ready, jitter.spread(settings.interval, 0.2))
                            }
                            Err(SyncError::Unauthorized) => {
                                if last != Some(DeviceStatus::Fault(Reason::DeviceError)) {
                                    tracing::error!("{}", SyncError::Unauthorized);
                                }
                                (DeviceStatus::Fault(Reason::DeviceError), settings.interval)
                            }
                            Err(error) => {
                                failures += 1;
                                let wait = jitter.spread(backoff(settings.interval, failures), 0.2);
                                tracing::warn!(%error, retry_in_s = wait.as_secs_f32(), "heartbeat failed");
                                (DeviceStatus::Fault(Reason::Offline), wait)
                            }
                        }
                    }
                };
                if last != Some(status) {
                    last = Some(status);
                    events.insert(0, HubEvent::Status(status));
                }
                for event in events {
                    if !sink(event) {
                        return;
                    }
                }
                stop.pause(wait);
            }
        });
        HubThread { _worker: worker }
    }
}

/// What a beat's reply asks: the new versions kept, the catalogue and keys fetched (when newer, or asked
/// for); the commands the interface carries out go to `events`.
fn follow(
    client: &HubClient,
    credential: &std::path::Path,
    state: &SyncState,
    reply: &kiosk_proto::fleet::HeartbeatReply,
    catalogue_version: u64,
    events: &mut Vec<HubEvent>,
) {
    use kiosk_proto::remote::{Command, CommandResult};
    let _ = state
        .set("last_contact_ms", &reply.server_time_ms.to_string())
        .and_then(|()| state.set("hub_config_version", &reply.config_version.to_string()))
        .and_then(|()| {
            state.set(
                "hub_catalogue_version",
                &reply.catalogue_version.to_string(),
            )
        });
    let commands: Vec<(Command, Option<i64>)> = reply
        .commands
        .iter()
        .filter_map(|wire| {
            let command = Command::from_wire(wire);
            match command {
                Some((command, id)) => {
                    tracing::info!(command = command.name(), ?id, "command from the hub")
                }
                None => tracing::warn!(command = %wire, "a command this terminal does not know"),
            }
            command
        })
        .collect();
    let asked = |wanted: Command| commands.iter().filter(move |(c, _)| *c == wanted);
    let forced = asked(Command::RefreshCatalogue).next().is_some();
    if reply.catalogue_version > catalogue_version || forced {
        let etag = state
            .get("catalogue_etag")
            .ok()
            .flatten()
            .filter(|_| !forced);
        refresh_catalogue(client, state, etag.as_deref(), reply.catalogue_version);
    }
    for (_, id) in asked(Command::RefreshCatalogue) {
        let version = state.get("catalogue_version").ok().flatten();
        answer_command(
            client,
            *id,
            CommandResult {
                ok: version.is_some(),
                text: format!(
                    "catalogue fetched again: version {}",
                    version.as_deref().unwrap_or("none")
                ),
                png_base64: None,
            },
        );
    }
    let rotated = asked(Command::RefreshKeys).next().is_some();
    if rotated || state.get("hub_keys").ok().flatten().is_none() {
        keep_keys(client, state);
    }
    for (_, id) in asked(Command::RefreshKeys) {
        let kept = state.get("hub_keys").ok().flatten().unwrap_or_default();
        answer_command(
            client,
            *id,
            CommandResult {
                ok: !kept.is_empty(),
                text: format!(
                    "the hub's signing keys fetched again: {} kept",
                    kept.split(',').filter(|k| !k.is_empty()).count()
                ),
                png_base64: None,
            },
        );
    }
    for (_, id) in asked(Command::RotateCredential) {
        // Saved before it is used: a new credential lost on the way leaves the old one working.
        let (answering, result) = match client.rotate_credential(credential) {
            Ok(rotated) => (
                rotated,
                CommandResult {
                    ok: true,
                    text: "a new credential saved and in use; the old one is refused from now"
                        .into(),
                    png_base64: None,
                },
            ),
            Err(error) => {
                tracing::warn!(%error, "the credential was not rotated");
                (
                    client.clone(),
                    CommandResult {
                        ok: false,
                        text: format!("the credential was not rotated: {error}"),
                        png_base64: None,
                    },
                )
            }
        };
        // Answered with the new credential: its first use, which retires the old one at the hub.
        answer_command(&answering, *id, result);
    }
    for (command, id) in commands {
        if matches!(
            command,
            Command::OutOfService
                | Command::InService
                | Command::Restart
                | Command::Screenshot
                | Command::Log
        ) {
            events.push(HubEvent::Command(command, id));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn back_off_doubles_from_a_sixth_of_the_interval_up_to_five_minutes() {
        let interval = Duration::from_secs(30);
        let waits: Vec<u64> = (1..=9).map(|f| backoff(interval, f).as_secs()).collect();
        assert_eq!(waits, vec![5, 10, 20, 40, 80, 160, 300, 300, 300]);
        assert_eq!(backoff(interval, u32::MAX), BACKOFF_CAP);
    }

    #[test]
    fn jitter_stays_within_twenty_percent_and_spreads() {
        let mut jitter = Jitter::new();
        let base = Duration::from_secs(30);
        let waits: Vec<Duration> = (0..1000).map(|_| jitter.spread(base, 0.2)).collect();
        assert!(waits
            .iter()
            .all(|w| *w >= Duration::from_secs(24) && *w <= Duration::from_secs(36)));
        let early = waits.iter().filter(|w| **w < base).count();
        assert!(
            (350..=650).contains(&early),
            "{early} of 1000 below the interval"
        );
    }
}
