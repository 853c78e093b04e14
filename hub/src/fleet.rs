//! Terminals: one-time enrolment codes, credentials, heartbeats and the fleet listing.

use std::collections::BTreeMap;

use kiosk_proto::fleet::{
    beat_alerts, silent, waiting_too_long, Alert, AlertKind, FleetEntry, Heartbeat, HeartbeatReply,
    Liveness,
};
use sqlx::Row;

use crate::store::{now_ms, HubError, Store};
/// How long an enrolment code stays good.
pub const CODE_LIFETIME_MS: i64 = 24 * 3600 * 1000;

/// Letters and digits that cannot be mistaken for each other when read aloud or typed (no 0/O, 1/I/L).
const CODE_ALPHABET: &[u8] = b"23456789ABCDEFGHJKMNPQRSTUVWXYZ";

fn random_bytes<const N: usize>() -> [u8; N] {
    let mut bytes = [0u8; N];
    getrandom::fill(&mut bytes).expect("the operating system's random source");
    bytes
}

/// Whether two strings are equal, in time that does not depend on where they differ.
pub(crate) fn same(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

/// A terminal's name: 1 to 64 of letters, digits, `-`, `_`.
pub fn valid_device_id(id: &str) -> bool {
    (1..=64).contains(&id.len())
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// Why a code could not be spent.
const BAD_CODE: &str = "the enrolment code is not valid (wrong, already used or expired); ask the hub's operator for a new one (kiosk-hub enroll --hall NAME)";

/// A new one-time code for a terminal of `hall` (`K7QX-M2PD-9TRA`); only its hash is kept.
pub async fn create_code(store: &Store, hall: &str) -> Result<String, HubError> {
    let hall = hall.trim();
    if hall.is_empty() {
        return Err(HubError::BadRequest("hall name is empty".into()));
    }
    let raw: String = random_bytes::<12>()
        .iter()
        .map(|b| CODE_ALPHABET[usize::from(*b) % CODE_ALPHABET.len()] as char)
        .collect();
    let code = format!("{}-{}-{}", &raw[0..4], &raw[4..8], &raw[8..12]);
    let now = now_ms();
    sqlx::query(
        "INSERT INTO enrol_codes (code_hash, hall, created_ms, expires_ms) VALUES ($1, $2, $3, $4)",
    )
    .bind(sha256_hex(&normalise_code(&code)))
    .bind(hall)
    .bind(now)
    .bind(now + CODE_LIFETIME_MS)
    .execute(store.pool())
    .await?;
    Ok(code)
}

/// Codes are compared without case, spaces or dashes (people type them from paper).
fn normalise_code(code: &str) -> String {
    code.chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

/// Spends `code` on `device_id`: the terminal's credential (`DEVICE_ID.SECRET`) and its hall. A terminal
/// enrolled again (a replaced box) gets a new credential; the old one stops working.
pub async fn enroll(
    store: &Store,
    code: &str,
    device_id: &str,
) -> Result<(String, String), HubError> {
    if !valid_device_id(device_id) {
        return Err(HubError::BadRequest(format!(
            "device_id {device_id:?}: use 1 to 64 letters, digits, '-' or '_'"
        )));
    }
    let now = now_ms();
    let mut tx = store.pool().begin().await?;
    // Spending the code is the first write, so two terminals racing for one code cannot both win.
    let spent = sqlx::query(
        "UPDATE enrol_codes SET used_ms = $1 WHERE code_hash = $2 AND used_ms IS NULL AND expires_ms > $3",
    )
    .bind(now)
    .bind(sha256_hex(&normalise_code(code)))
    .bind(now)
    .execute(&mut *tx)
    .await?;
    if spent.rows_affected() != 1 {
        return Err(HubError::Forbidden(BAD_CODE.into()));
    }
    let hall: String = sqlx::query("SELECT hall FROM enrol_codes WHERE code_hash = $1")
        .bind(sha256_hex(&normalise_code(code)))
        .fetch_one(&mut *tx)
        .await?
        .try_get(0)?;
    let secret = crate::store::random_hex::<32>();
    sqlx::query("DELETE FROM devices WHERE device_id = $1")
        .bind(device_id)
        .execute(&mut *tx)
        .await?;
    sqlx::query(
        "INSERT INTO devices (device_id, hall, credential_hash, enrolled_ms) VALUES ($1, $2, $3, $4)",
    )
    .bind(device_id)
    .bind(&hall)
    .bind(sha256_hex(&secret))
    .bind(now)
    .execute(&mut *tx)
    .await?;
    crate::audit::append(
        &mut tx,
        &crate::audit::Entry::terminal(device_id, "enrolled", device_id, &hall),
    )
    .await?;
    tx.commit().await?;
    store.memory().forget_credential(device_id);
    Ok((format!("{device_id}.{secret}"), hall))
}

/// What a credential stored in place of a revoked one's hash is: no SHA-256 is ever equal to it.
const REVOKED: &str = "revoked";

/// A new credential for `device_id`, asked with its current one (the `rotate_credential` command): the
/// current one keeps working until the new one is first used, so a reply lost on the way changes nothing
/// (the terminal asks again and gets another). Only its hash is kept.
pub async fn next_credential(store: &Store, device_id: &str) -> Result<String, HubError> {
    let secret = crate::store::random_hex::<32>();
    let mut tx = store.pool().begin().await?;
    let done = sqlx::query(
        "UPDATE devices SET next_credential_hash = $1 WHERE device_id = $2 AND credential_hash <> $3",
    )
    .bind(sha256_hex(&secret))
    .bind(device_id)
    .bind(REVOKED)
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() != 1 {
        return Err(HubError::NotFound(format!(
            "no terminal {device_id:?} holds a credential"
        )));
    }
    crate::audit::append(
        &mut tx,
        &crate::audit::Entry::terminal(device_id, "credential_issued", device_id, ""),
    )
    .await?;
    tx.commit().await?;
    Ok(format!("{device_id}.{secret}"))
}

/// Revokes `device_id`'s credential (and one issued but not yet used), asked `by`: refused from now on by
/// this process, and by every other within [`CREDENTIAL_TTL`] twice over. Enrolling again gives it another.
pub async fn revoke_credential(store: &Store, device_id: &str, by: &str) -> Result<(), HubError> {
    let mut tx = store.pool().begin().await?;
    let done = sqlx::query(
        "UPDATE devices SET credential_hash = $1, next_credential_hash = NULL WHERE device_id = $2",
    )
    .bind(REVOKED)
    .bind(device_id)
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() != 1 {
        return Err(HubError::NotFound(format!(
            "no terminal {device_id:?} is enrolled (kiosk-hub fleet lists them)"
        )));
    }
    crate::audit::append(
        &mut tx,
        &crate::audit::Entry::new(by, "credential_revoked", device_id, ""),
    )
    .await?;
    tx.commit().await?;
    store.memory().forget_credential(device_id);
    tracing::warn!(device = device_id, by, "terminal credential revoked");
    Ok(())
}

/// The terminal a credential (`DEVICE_ID.SECRET`) belongs to, if it is valid. A terminal's new credential
/// (see [`next_credential`]) replaces its old one the first time it is presented.
pub async fn authenticate(store: &Store, credential: &str) -> Result<Option<String>, HubError> {
    let Some((device_id, secret)) = credential.rsplit_once('.') else {
        return Ok(None);
    };
    if !valid_device_id(device_id) {
        return Ok(None);
    }
    let presented = sha256_hex(secret);
    let remembered = locked(&store.memory().credentials)
        .get(device_id)
        .filter(|(_, until)| std::time::Instant::now() < *until)
        .map(|(hash, _)| hash.clone());
    if remembered.is_some_and(|hash| same(&hash, &presented)) {
        return Ok(Some(device_id.to_string()));
    }
    let row = sqlx::query(
        "SELECT credential_hash, next_credential_hash FROM devices WHERE device_id = $1",
    )
    .bind(device_id)
    .fetch_optional(store.pool())
    .await?;
    let Some(row) = row else {
        return Ok(None);
    };
    let (current, next): (String, Option<String>) = (row.try_get(0)?, row.try_get(1)?);
    let valid = if same(&current, &presented) {
        true
    } else if next.is_some_and(|next| same(&next, &presented)) {
        promote(store, device_id, &presented).await?
    } else {
        false
    };
    if valid {
        // Remembered for the TTL plus up to as much again at random, so that a fleet checked at once is
        // not checked again all at once.
        let spread = f64::from(u16::from_le_bytes(random_bytes::<2>())) / f64::from(u16::MAX);
        let until = std::time::Instant::now() + CREDENTIAL_TTL.mul_f64(1.0 + spread);
        locked(&store.memory().credentials).insert(device_id.to_string(), (presented, until));
    }
    Ok(valid.then(|| device_id.to_string()))
}

/// The terminal's new credential (hash `next`) takes the old one's place: the old one is refused from now.
async fn promote(store: &Store, device_id: &str, next: &str) -> Result<bool, HubError> {
    let mut tx = store.pool().begin().await?;
    let done = sqlx::query(
        "UPDATE devices SET credential_hash = next_credential_hash, next_credential_hash = NULL \
         WHERE device_id = $1 AND next_credential_hash = $2",
    )
    .bind(device_id)
    .bind(next)
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() == 1 {
        crate::audit::append(
            &mut tx,
            &crate::audit::Entry::terminal(device_id, "credential_rotated", device_id, ""),
        )
        .await?;
    }
    tx.commit().await?;
    Ok(done.rows_affected() == 1)
}

use crate::memory::locked;
pub use crate::memory::{FleetMemory, CREDENTIAL_TTL, FLUSH_INTERVAL};
pub use crate::store::sha256_hex;

/// Writes the buffered beats. On a database error they go back into the buffer (unless a newer beat of the
/// same terminal came meanwhile) and the next flush tries again.
pub async fn flush_beats(store: &Store) -> Result<usize, HubError> {
    let beats: Vec<(String, (i64, Heartbeat))> = std::mem::take(&mut *store.memory().lock())
        .into_iter()
        .collect();
    if beats.is_empty() {
        return Ok(0);
    }
    let written = write_beats(store, &beats).await;
    if written.is_err() {
        let mut pending = store.memory().lock();
        for (device, beat) in beats {
            pending.entry(device).or_insert(beat);
        }
    }
    written
}

async fn write_beats(
    store: &Store,
    beats: &[(String, (i64, Heartbeat))],
) -> Result<usize, HubError> {
    let mut tx = store.pool().begin().await?;
    let mut earlier = std::collections::HashMap::new();
    // The alerts each terminal had, so one that lasts keeps the time it started (a few hundred at a time:
    // a database takes only so many parameters).
    for chunk in beats.chunks(500) {
        let marks = (1..=chunk.len())
            .map(|i| format!("${i}"))
            .collect::<Vec<_>>()
            .join(", ");
        let sql =
            format!("SELECT device_id, alerts_json FROM devices WHERE device_id IN ({marks})");
        let mut query = sqlx::query(&sql);
        for (device_id, _) in chunk {
            query = query.bind(device_id);
        }
        for row in query.fetch_all(&mut *tx).await? {
            earlier.insert(row.try_get::<String, _>(0)?, row.try_get::<String, _>(1)?);
        }
    }
    for (device_id, (at_ms, beat)) in beats {
        let before = earlier
            .get(device_id)
            .and_then(|json| serde_json::from_str::<Raised>(json).ok())
            .unwrap_or_default();
        let now = carried(&before, beat_alerts(beat, *at_ms), *at_ms);
        for kind in now.keys().filter(|k| !before.contains_key(*k)) {
            tracing::info!(device = %device_id, alert = kind.name(), "alert raised");
        }
        for kind in before.keys().filter(|k| !now.contains_key(*k)) {
            tracing::info!(device = %device_id, alert = kind.name(), "alert cleared");
        }
        sqlx::query(
            "UPDATE devices SET last_beat_ms = $1, devices_json = $2, outbox_depth = $3, software_version = $4, \
             config_version = $5, catalogue_version = $6, interval_ms = $7, oldest_waiting_ms = $8, \
             unknown_prints = $9, clock_skew_ms = $10, alerts_json = $11, config_refused_json = $12 \
             WHERE device_id = $13",
        )
        .bind(at_ms)
        .bind(serde_json::to_string(&beat.devices).unwrap_or_else(|_| "{}".into()))
        .bind(i64::try_from(beat.outbox_depth).unwrap_or(i64::MAX))
        .bind(&beat.software_version)
        .bind(i64::try_from(beat.config_version).unwrap_or(i64::MAX))
        .bind(i64::try_from(beat.catalogue_version).unwrap_or(i64::MAX))
        .bind(i64::try_from(beat.interval_ms).unwrap_or(i64::MAX))
        .bind(beat.oldest_waiting_ms)
        .bind(i64::try_from(beat.unknown_prints).unwrap_or(i64::MAX))
        .bind(if beat.clock_ms == 0 {
            0
        } else {
            beat.clock_ms.saturating_sub(*at_ms)
        })
        .bind(serde_json::to_string(&now).unwrap_or_else(|_| "{}".into()))
        .bind(serde_json::to_string(&beat.config_refused).unwrap_or_else(|_| "[]".into()))
        .bind(device_id)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(beats.len())
}

/// A terminal's alerts raised by its beats: kind → (since when, the detail).
type Raised = BTreeMap<AlertKind, (i64, String)>;

/// The alerts after a beat at `at_ms`: those raised before keep their start; new ones start now.
fn carried(before: &Raised, now: BTreeMap<AlertKind, String>, at_ms: i64) -> Raised {
    now.into_iter()
        .map(|(kind, detail)| {
            let since = before.get(&kind).map_or(at_ms, |(since, _)| *since);
            (kind, (since, detail))
        })
        .collect()
}

/// Flushes the beat buffer every [`FLUSH_INTERVAL`] until the task is dropped.
pub async fn flush_forever(store: Store) {
    let mut tick = tokio::time::interval(FLUSH_INTERVAL);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        store.memory().forget();
        if let Err(error) = flush_beats(&store).await {
            tracing::error!(%error, pending = store.memory().len(), "cannot write heartbeats; will retry");
        }
    }
}

/// Takes a heartbeat and answers with the current versions and the terminal's pending commands (each
/// handed out once).
pub async fn heartbeat(
    store: &Store,
    device_id: &str,
    beat: &Heartbeat,
) -> Result<HeartbeatReply, HubError> {
    if beat.interval_ms > kiosk_proto::fleet::MAX_BEAT_MS {
        return Err(HubError::BadRequest(format!(
            "interval_ms {}: a terminal beats at least once a day ({} ms)",
            beat.interval_ms,
            kiosk_proto::fleet::MAX_BEAT_MS
        )));
    }
    let now = now_ms();
    store.memory().record(device_id, now, beat.clone());
    let (config, catalogue) = versions(store).await?;
    Ok(HeartbeatReply {
        config_version: config.max(0) as u64,
        catalogue_version: catalogue.max(0) as u64,
        commands: take_commands(store, device_id, now).await?,
        server_time_ms: now,
    })
}

/// The current config and catalogue versions (remembered until the next flush).
async fn versions(store: &Store) -> Result<(i64, i64), HubError> {
    if let Some(versions) = *locked(&store.memory().versions) {
        return Ok(versions);
    }
    let mut config = 0;
    let mut catalogue = 0;
    for row in sqlx::query(
        "SELECT name, value FROM settings WHERE name IN ('config_version', 'catalogue_version')",
    )
    .fetch_all(store.pool())
    .await?
    {
        match row.try_get::<String, _>(0)?.as_str() {
            "config_version" => config = row.try_get::<i64, _>(1)?,
            _ => catalogue = row.try_get::<i64, _>(1)?,
        }
    }
    *locked(&store.memory().versions) = Some((config, catalogue));
    Ok((config, catalogue))
}

async fn take_commands(store: &Store, device_id: &str, now: i64) -> Result<Vec<String>, HubError> {
    let known = locked(&store.memory().commanded).clone();
    let waiting = match known {
        Some(devices) => devices,
        None => {
            let devices: std::collections::HashSet<String> =
                sqlx::query("SELECT DISTINCT device_id FROM commands WHERE delivered_ms IS NULL")
                    .fetch_all(store.pool())
                    .await?
                    .iter()
                    .map(|row| row.try_get(0))
                    .collect::<Result<_, _>>()?;
            *locked(&store.memory().commanded) = Some(devices.clone());
            devices
        }
    };
    if !waiting.contains(device_id) {
        return Ok(Vec::new());
    }
    locked(&store.memory().commanded)
        .get_or_insert_with(Default::default)
        .remove(device_id);
    let rows = sqlx::query(
        "SELECT id, command FROM commands WHERE device_id = $1 AND delivered_ms IS NULL ORDER BY id",
    )
    .bind(device_id)
    .fetch_all(store.pool())
    .await?;
    let mut commands = Vec::with_capacity(rows.len());
    for row in rows {
        let delivered = sqlx::query(
            "UPDATE commands SET delivered_ms = $1 WHERE id = $2 AND delivered_ms IS NULL",
        )
        .bind(now)
        .bind(row.try_get::<i64, _>(0)?)
        .execute(store.pool())
        .await?;
        // A beat racing this one on another connection got it first.
        if delivered.rows_affected() == 1 {
            // With its id, for the terminal's answer (`screenshot 1733…`).
            let name: String = row.try_get(1)?;
            commands.push(format!("{name} {}", row.try_get::<i64, _>(0)?));
        }
    }
    Ok(commands)
}

/// Every enrolled terminal and how it is doing at `now`.
pub async fn listing(store: &Store, now: i64) -> Result<Vec<FleetEntry>, HubError> {
    Ok(survey(store, now).await?.terminals)
}

/// The fleet at one moment: every terminal, the alerts raised (by hall and terminal, each terminal's in the
/// order of [`AlertKind`]), and the versions terminals should run.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Survey {
    pub config_version: i64,
    pub catalogue_version: i64,
    pub terminals: Vec<FleetEntry>,
    pub alerts: Vec<Alert>,
}

/// The fleet at `now`.
pub async fn survey(store: &Store, now: i64) -> Result<Survey, HubError> {
    flush_beats(store).await?;
    let config = store.setting("config_version").await?;
    let catalogue = store.setting("catalogue_version").await?;
    let rows = sqlx::query(
        "SELECT device_id, hall, last_beat_ms, devices_json, outbox_depth, software_version, \
         config_version, catalogue_version, enrolled_ms, interval_ms, oldest_waiting_ms, unknown_prints, \
         alerts_json, clock_skew_ms, config_refused_json, ring FROM devices ORDER BY hall, device_id",
    )
    .fetch_all(store.pool())
    .await?;
    let mut fleet = Vec::with_capacity(rows.len());
    let mut alerts = Vec::new();
    for row in rows {
        let device_id: String = row.try_get(0)?;
        let hall: String = row.try_get(1)?;
        let last_beat_ms: Option<i64> = row.try_get(2)?;
        let devices: String = row.try_get(3)?;
        let config_version = row.try_get::<i64, _>(6)?.max(0);
        let catalogue_version = row.try_get::<i64, _>(7)?.max(0);
        let enrolled_ms: i64 = row.try_get(8)?;
        let interval_ms: i64 = row.try_get(9)?;
        let oldest_waiting_ms: Option<i64> = row.try_get(10)?;
        let raised: Raised =
            serde_json::from_str(&row.try_get::<String, _>(12)?).unwrap_or_default();
        let quiet = silent(last_beat_ms.unwrap_or(enrolled_ms), interval_ms, now);
        let liveness = if quiet || last_beat_ms.is_none() {
            Liveness::Offline
        } else if config_version < config || catalogue_version < catalogue {
            Liveness::Stale
        } else {
            Liveness::Online
        };
        let mut raise = |kind: AlertKind, since_ms: i64, detail: String| {
            alerts.push(Alert {
                device_id: device_id.clone(),
                hall: hall.clone(),
                kind,
                since_ms,
                detail,
                critical: kind.critical(),
            })
        };
        if quiet {
            raise(
                AlertKind::Silent,
                last_beat_ms.unwrap_or(enrolled_ms),
                match last_beat_ms {
                    Some(_) => format!(
                        "beats every {:.1} s",
                        if interval_ms > 0 {
                            interval_ms
                        } else {
                            kiosk_proto::fleet::DEFAULT_BEAT_MS
                        } as f64
                            / 1000.0
                    ),
                    None => "enrolled, never beat".to_string(),
                },
            );
        }
        if let Some(since) = waiting_too_long(oldest_waiting_ms, now) {
            raise(
                AlertKind::RecordsWaiting,
                since,
                format!("{} record(s) waiting", row.try_get::<i64, _>(4)?.max(0)),
            );
        }
        for (kind, (since, detail)) in raised {
            raise(kind, since, detail);
        }
        fleet.push(FleetEntry {
            device_id,
            hall,
            liveness,
            last_beat_ms,
            devices: serde_json::from_str::<BTreeMap<String, String>>(&devices).unwrap_or_default(),
            outbox_depth: row.try_get::<i64, _>(4)?.max(0) as u64,
            software_version: row.try_get(5)?,
            config_version: config_version as u64,
            catalogue_version: catalogue_version as u64,
            interval_ms: interval_ms.max(0) as u64,
            oldest_waiting_ms,
            unknown_prints: row.try_get::<i64, _>(11)?.max(0) as u64,
            clock_skew_ms: row.try_get(13)?,
            config_refused: serde_json::from_str(&row.try_get::<String, _>(14)?)
                .unwrap_or_default(),
            ring: row.try_get(15)?,
        });
    }
    alerts.sort_by(|a, b| (&a.hall, &a.device_id, a.kind).cmp(&(&b.hall, &b.device_id, b.kind)));
    Ok(Survey {
        config_version: config,
        catalogue_version: catalogue,
        terminals: fleet,
        alerts,
    })
}

/// A gauge of each terminal: its name, its help, and its value (none: not exported for that terminal).
type Signal = (&'static str, &'static str, fn(&FleetEntry) -> Option<f64>);

/// Prometheus text for the fleet: terminals by liveness, and each terminal's signals, from which the rules
/// in `packaging/hub/kiosk-hub.rules.yml` raise the same alerts as the operators' console ([`survey`]).
pub fn gauges(fleet: &[FleetEntry], out: &mut String) {
    use std::fmt::Write;
    let family = |out: &mut String, name: &str, help: &str| {
        let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} gauge");
    };
    family(
        out,
        "kiosk_hub_terminals",
        "Enrolled terminals by liveness.",
    );
    for (name, liveness) in [
        ("online", Liveness::Online),
        ("stale", Liveness::Stale),
        ("offline", Liveness::Offline),
    ] {
        let n = fleet.iter().filter(|t| t.liveness == liveness).count();
        let _ = writeln!(out, "kiosk_hub_terminals{{liveness=\"{name}\"}} {n}");
    }
    let label = |text: &str| {
        text.replace('\\', "\\\\")
            .replace('"', "\\\"")
            .replace('\n', " ")
    };
    let signals: [Signal; 8] = [
        (
            "kiosk_terminal_last_beat_timestamp_seconds",
            "Unix time of the terminal's last heartbeat.",
            |t| t.last_beat_ms.map(|ms| ms as f64 / 1000.0),
        ),
        (
            "kiosk_terminal_beat_interval_seconds",
            "The terminal's heartbeat interval.",
            |t| {
                Some(if t.interval_ms > 0 {
                    t.interval_ms as f64 / 1000.0
                } else {
                    kiosk_proto::fleet::DEFAULT_BEAT_MS as f64 / 1000.0
                })
            },
        ),
        (
            "kiosk_terminal_paper",
            "The printer's paper: 2 ok, 1 near its end, 0 out.",
            |t| match t.devices.get("printer").map(String::as_str) {
                Some("fault: paper out") => Some(0.0),
                Some("warning: paper low") => Some(1.0),
                _ => Some(2.0),
            },
        ),
        (
            "kiosk_terminal_card_left",
            "1 while an ID card is left on the reader after its holder's session.",
            |t| {
                Some(f64::from(u8::from(
                    t.devices.get("card").is_some_and(|s| s.starts_with("left")),
                )))
            },
        ),
        (
            "kiosk_terminal_oldest_waiting_timestamp_seconds",
            "Unix time of the oldest record waiting to reach the hub (absent when none waits).",
            |t| t.oldest_waiting_ms.map(|ms| ms as f64 / 1000.0),
        ),
        (
            "kiosk_terminal_unknown_prints",
            "Print jobs whose outcome is unknown.",
            |t| Some(t.unknown_prints as f64),
        ),
        (
            "kiosk_terminal_clock_skew_seconds",
            "How far the terminal's clock is ahead of the hub's (negative: behind).",
            |t| Some(t.clock_skew_ms as f64 / 1000.0),
        ),
        (
            "kiosk_terminal_records_waiting",
            "Records in the terminal's outbox.",
            |t| Some(t.outbox_depth as f64),
        ),
    ];
    for (name, help, value) in signals {
        family(out, name, help);
        for terminal in fleet {
            if let Some(value) = value(terminal) {
                let _ = writeln!(
                    out,
                    "{name}{{terminal=\"{}\",hall=\"{}\"}} {value}",
                    label(&terminal.device_id),
                    label(&terminal.hall)
                );
            }
        }
    }
    family(
        out,
        "kiosk_terminal_part_fault",
        "1 while a part (printer, reader, camera, scanner) reports a fault, paper out included.",
    );
    for terminal in fleet {
        for part in ["printer", "reader", "camera", "scanner"] {
            let fault = terminal
                .devices
                .get(part)
                .is_some_and(|s| s.starts_with("fault"));
            let _ = writeln!(
                out,
                "kiosk_terminal_part_fault{{terminal=\"{}\",hall=\"{}\",part=\"{part}\"}} {}",
                label(&terminal.device_id),
                label(&terminal.hall),
                u8::from(fault)
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_and_ids_are_checked() {
        assert_eq!(normalise_code(" k7qx-m2pd 9tra "), "K7QXM2PD9TRA");
        assert!(valid_device_id("SZ-DEMO-0001"));
        assert!(
            !valid_device_id("a.b") && !valid_device_id("") && !valid_device_id(&"x".repeat(65))
        );
        assert!(same("abc", "abc") && !same("abc", "abd") && !same("abc", "ab"));
    }
}
