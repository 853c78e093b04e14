//! Remote configuration and commands (the operators' console, `kiosk-hub queue`): settings published for
//! everyone, a hall or one terminal, each publication a new config version the terminals pick up at their
//! next beat; commands handed out once with a beat, each answered by the terminal with a result; every
//! operator's change in the operations audit.

use kiosk_proto::remote::{Command, CommandResult, RemoteSettings, SettingsReply};
use serde::Serialize;
use sqlx::Row;

use crate::audit::Entry;
use crate::store::{now_ms, HubError, Store};

/// Whom settings are published for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    Everyone,
    /// An update ring (`canary`): the terminals an operator put in it.
    Ring(String),
    Hall(String),
    Terminal(String),
}

impl Scope {
    /// `*`, `hall:NAME`, `terminal:ID`.
    pub fn key(&self) -> String {
        match self {
            Scope::Everyone => "*".into(),
            Scope::Ring(ring) => format!("ring:{ring}"),
            Scope::Hall(hall) => format!("hall:{hall}"),
            Scope::Terminal(id) => format!("terminal:{id}"),
        }
    }

    pub fn parse(key: &str) -> Result<Scope, HubError> {
        let bad = || {
            HubError::BadRequest(format!(
                "scope {key:?}: use \"*\" (every terminal), \"ring:NAME\", \"hall:NAME\" or \"terminal:ID\""
            ))
        };
        match key.split_once(':') {
            None if key == "*" => Ok(Scope::Everyone),
            Some(("ring", ring)) if valid_ring(ring) => Ok(Scope::Ring(ring.into())),
            Some(("hall", hall)) if !hall.trim().is_empty() => Ok(Scope::Hall(hall.trim().into())),
            Some(("terminal", id)) if crate::fleet::valid_device_id(id) => {
                Ok(Scope::Terminal(id.into()))
            }
            _ => Err(bad()),
        }
    }
}

/// Settings as published for a scope.
#[derive(Debug, Clone, Serialize)]
pub struct Published {
    pub scope: String,
    pub settings: RemoteSettings,
    /// The config version this publication made.
    pub version: i64,
    pub operator: String,
    pub changed_ms: i64,
}

/// Records what `operator` did to `target` (a scope, a terminal), with the detail (never personal data:
/// settings and command names), in the hub's audit chain.
pub async fn audit(
    store: &Store,
    operator: &str,
    action: &str,
    target: &str,
    detail: &str,
) -> Result<(), HubError> {
    crate::audit::record(store, &Entry::new(operator, action, target, detail)).await?;
    Ok(())
}

/// The actions of the operations audit (what the 运维 page lists).
pub const OPERATIONS: [&str; 12] = [
    "publish_settings",
    "ring",
    "technician_issued",
    "technician_revoked",
    "command",
    "publish_catalogue",
    "restore_catalogue",
    "case_queries_paused",
    "credential_revoked",
    "credential_rotated",
    "signing_key_rotated",
    "enrolled",
];

/// One line of the operations audit.
#[derive(Debug, Clone, Serialize)]
pub struct Audited {
    pub at_ms: i64,
    pub operator: String,
    pub action: String,
    pub target: String,
    pub detail: String,
}

/// The newest `limit` lines of the operations audit, newest first.
pub async fn audited(store: &Store, limit: i64) -> Result<Vec<Audited>, HubError> {
    Ok(crate::audit::recent(store, &OPERATIONS, limit)
        .await?
        .into_iter()
        .map(|record| Audited {
            at_ms: record.at_ms,
            operator: record.entry.actor,
            action: record.entry.action,
            target: record.entry.target,
            detail: record.entry.detail,
        })
        .collect())
}

/// Publishes `settings` for `scope` (empty settings withdraw the scope's), as a new config version every
/// terminal fetches at its next beat; audited with `operator`. The new version.
pub async fn publish(
    store: &Store,
    scope: &Scope,
    settings: &RemoteSettings,
    operator: &str,
) -> Result<i64, HubError> {
    if let Some(version) = &settings.software_version {
        if !kiosk_proto::remote::valid_version(version) {
            return Err(HubError::BadRequest(format!(
                "software_version {version:?} is not a package version (0.2.0-1)"
            )));
        }
    }
    if let Scope::Terminal(id) = scope {
        let known = sqlx::query("SELECT 1 FROM devices WHERE device_id = $1")
            .bind(id)
            .fetch_optional(store.pool())
            .await?;
        if known.is_none() {
            return Err(HubError::NotFound(format!(
                "no terminal {id:?} is enrolled"
            )));
        }
    }
    let body = serde_json::to_string(settings).expect("settings serialise");
    let mut tx = store.pool().begin().await?;
    sqlx::query("UPDATE settings SET value = value + 1 WHERE name = 'config_version'")
        .execute(&mut *tx)
        .await?;
    let version: i64 = sqlx::query("SELECT value FROM settings WHERE name = 'config_version'")
        .fetch_one(&mut *tx)
        .await?
        .try_get(0)?;
    sqlx::query("DELETE FROM remote_settings WHERE scope = $1")
        .bind(scope.key())
        .execute(&mut *tx)
        .await?;
    if !settings.is_empty() {
        sqlx::query(
            "INSERT INTO remote_settings (scope, body, version, operator, changed_ms) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(scope.key())
        .bind(&body)
        .bind(version)
        .bind(operator)
        .bind(now_ms())
        .execute(&mut *tx)
        .await?;
    }
    crate::audit::append(
        &mut tx,
        &Entry::new(operator, "publish_settings", &scope.key(), &body),
    )
    .await?;
    tx.commit().await?;
    store.memory().forget();
    tracing::info!(operator, scope = %scope.key(), version, "settings published");
    Ok(version)
}

/// Every scope's published settings, everyone's first, then halls', then terminals'.
pub async fn published(store: &Store) -> Result<Vec<Published>, HubError> {
    let rows = sqlx::query(
        "SELECT scope, body, version, operator, changed_ms FROM remote_settings ORDER BY scope",
    )
    .fetch_all(store.pool())
    .await?;
    let mut all = rows
        .iter()
        .map(|row| {
            let body: String = row.try_get(1)?;
            Ok(Published {
                scope: row.try_get(0)?,
                settings: serde_json::from_str(&body)
                    .map_err(|e| crate::store::damaged(format!("remote settings {body:?}: {e}")))?,
                version: row.try_get(2)?,
                operator: row.try_get(3)?,
                changed_ms: row.try_get(4)?,
            })
        })
        .collect::<Result<Vec<_>, HubError>>()?;
    let rank = |scope: &str| match scope.split_once(':') {
        None => 0,
        Some(("ring", _)) => 1,
        Some(("hall", _)) => 2,
        _ => 3,
    };
    all.sort_by_key(|p| (rank(&p.scope), p.scope.clone()));
    Ok(all)
}

/// `device_id`'s settings: everyone's, its ring's over them, its hall's over those, its own over all; with
/// the current version.
pub async fn for_terminal(store: &Store, device_id: &str) -> Result<SettingsReply, HubError> {
    let row = sqlx::query("SELECT hall, ring FROM devices WHERE device_id = $1")
        .bind(device_id)
        .fetch_one(store.pool())
        .await?;
    let (hall, ring): (String, String) = (row.try_get(0)?, row.try_get(1)?);
    let published = published(store).await?;
    let of = |scope: Scope| {
        published
            .iter()
            .find(|p| p.scope == scope.key())
            .map(|p| p.settings.clone())
            .unwrap_or_default()
    };
    let settings = of(Scope::Everyone)
        .over(&if ring.is_empty() {
            RemoteSettings::default()
        } else {
            of(Scope::Ring(ring))
        })
        .over(&of(Scope::Hall(hall)))
        .over(&of(Scope::Terminal(device_id.into())));
    Ok(SettingsReply {
        version: store.setting("config_version").await?.max(0) as u64,
        settings,
        technicians: signed_technicians(store).await?,
    })
}

/// A ring's name: 1 to 32 of lower-case letters, digits and `-` (`canary`, `wave-2`).
pub fn valid_ring(ring: &str) -> bool {
    (1..=32).contains(&ring.len())
        && ring
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// Puts `device_id` in update ring `ring` (empty: none), by `operator`; its settings change with it, so the
/// config version rises.
pub async fn set_ring(
    store: &Store,
    device_id: &str,
    ring: &str,
    operator: &str,
) -> Result<(), HubError> {
    let ring = ring.trim();
    if !ring.is_empty() && !valid_ring(ring) {
        return Err(HubError::BadRequest(format!(
            "ring {ring:?}: 1 to 32 lower-case letters, digits or '-' (canary, wave-2)"
        )));
    }
    let done = sqlx::query("UPDATE devices SET ring = $1 WHERE device_id = $2")
        .bind(ring)
        .bind(device_id)
        .execute(store.pool())
        .await?;
    if done.rows_affected() == 0 {
        return Err(HubError::NotFound(format!(
            "no terminal {device_id:?} is enrolled"
        )));
    }
    announce(store).await?;
    audit(store, operator, "ring", device_id, ring).await?;
    Ok(())
}

/// A technician's account as the console lists it (never the PIN's hash).
#[derive(Debug, Clone, Serialize)]
pub struct Account {
    pub number: String,
    pub name: String,
    pub created_ms: i64,
    pub operator: String,
    pub revoked_ms: Option<i64>,
}

/// Every technician's account, the revoked ones last.
pub async fn technicians(store: &Store) -> Result<Vec<Account>, HubError> {
    let rows = sqlx::query(
        "SELECT number, name, created_ms, operator, revoked_ms FROM technicians ORDER BY number",
    )
    .fetch_all(store.pool())
    .await?;
    let mut all = rows
        .iter()
        .map(|row| {
            Ok(Account {
                number: row.try_get(0)?,
                name: row.try_get(1)?,
                created_ms: row.try_get(2)?,
                operator: row.try_get(3)?,
                revoked_ms: row.try_get(4)?,
            })
        })
        .collect::<Result<Vec<_>, HubError>>()?;
    all.sort_by_key(|a| a.revoked_ms.is_some());
    Ok(all)
}

/// The accounts not revoked, signed with the hub's key (none while the hub has issued no account at all).
async fn signed_technicians(
    store: &Store,
) -> Result<Option<kiosk_proto::remote::SignedList>, HubError> {
    let rows =
        sqlx::query("SELECT number, name, pin_hash, revoked_ms FROM technicians ORDER BY number")
            .fetch_all(store.pool())
            .await?;
    if rows.is_empty() {
        return Ok(None);
    }
    let mut technicians = Vec::new();
    for row in rows {
        if row.try_get::<Option<i64>, _>(3)?.is_none() {
            technicians.push(kiosk_proto::remote::Technician {
                number: row.try_get(0)?,
                name: row.try_get(1)?,
                pin_hash: row.try_get(2)?,
            });
        }
    }
    let list = kiosk_proto::remote::TechnicianList {
        issued_ms: now_ms(),
        technicians,
    };
    Ok(Some(list.sign(store.signing_key())))
}

/// Raises the config version, so every terminal fetches its settings (and the technicians) at its next beat.
async fn announce(store: &Store) -> Result<(), HubError> {
    sqlx::query("UPDATE settings SET value = value + 1 WHERE name = 'config_version'")
        .execute(store.pool())
        .await?;
    store.memory().forget();
    Ok(())
}

/// Issues (or reissues, with a new PIN) the account of technician `number`, by `operator`.
pub async fn add_technician(
    store: &Store,
    number: &str,
    name: &str,
    pin: &str,
    operator: &str,
) -> Result<(), HubError> {
    let (number, name) = (number.trim(), name.trim());
    if number.is_empty()
        || number.chars().count() > 16
        || !number.chars().all(|c| c.is_ascii_digit())
    {
        return Err(HubError::BadRequest(
            "the staff number is 1 to 16 digits (it is typed on the terminal's keypad)".into(),
        ));
    }
    if name.is_empty() || name.chars().count() > 20 {
        return Err(HubError::BadRequest(
            "the name is 1 to 20 characters".into(),
        ));
    }
    kiosk_proto::secret::check_pin(pin).map_err(HubError::BadRequest)?;
    sqlx::query(
        "INSERT INTO technicians (number, name, pin_hash, created_ms, operator, revoked_ms) \
         VALUES ($1, $2, $3, $4, $5, NULL) ON CONFLICT (number) DO UPDATE SET name = excluded.name, \
         pin_hash = excluded.pin_hash, created_ms = excluded.created_ms, operator = excluded.operator, \
         revoked_ms = NULL",
    )
    .bind(number)
    .bind(name)
    .bind(kiosk_proto::secret::hash(pin))
    .bind(now_ms())
    .bind(operator)
    .execute(store.pool())
    .await?;
    announce(store).await?;
    audit(store, operator, "technician_issued", number, name).await?;
    Ok(())
}

/// Revokes technician `number`'s account: terminals refuse their PIN from their next beat.
pub async fn revoke_technician(
    store: &Store,
    number: &str,
    operator: &str,
) -> Result<(), HubError> {
    let done = sqlx::query(
        "UPDATE technicians SET revoked_ms = $1 WHERE number = $2 AND revoked_ms IS NULL",
    )
    .bind(now_ms())
    .bind(number)
    .execute(store.pool())
    .await?;
    if done.rows_affected() == 0 {
        return Err(HubError::NotFound(format!(
            "no technician {number} with an account in force"
        )));
    }
    announce(store).await?;
    audit(store, operator, "technician_revoked", number, "").await?;
    Ok(())
}

/// Queues `command` for `device_id`'s next heartbeat, asked by `operator`; its id.
pub async fn queue(
    store: &Store,
    device_id: &str,
    command: &str,
    operator: &str,
) -> Result<i64, HubError> {
    let Some(known) = Command::parse(command) else {
        return Err(HubError::BadRequest(format!(
            "unknown command {command:?}; terminals understand {}",
            Command::ALL.map(Command::name).join(", ")
        )));
    };
    let enrolled = sqlx::query("SELECT 1 FROM devices WHERE device_id = $1")
        .bind(device_id)
        .fetch_optional(store.pool())
        .await?;
    if enrolled.is_none() {
        return Err(HubError::NotFound(format!(
            "no terminal {device_id:?} is enrolled (kiosk-hub fleet lists them)"
        )));
    }
    let mut id_bytes = [0u8; 2];
    getrandom::fill(&mut id_bytes).expect("the operating system's random source");
    let id = now_ms() * 1000 + i64::from(u16::from_le_bytes(id_bytes) % 1000);
    sqlx::query(
        "INSERT INTO commands (id, device_id, command, created_ms, operator) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(id)
    .bind(device_id)
    .bind(known.name())
    .bind(now_ms())
    .bind(operator)
    .execute(store.pool())
    .await?;
    store.memory().forget();
    audit(store, operator, "command", device_id, known.name()).await?;
    Ok(id)
}

/// Takes the terminal's answer to command `id` (once; a second answer changes nothing).
pub async fn finish(
    store: &Store,
    device_id: &str,
    id: i64,
    result: &CommandResult,
) -> Result<(), HubError> {
    let done = sqlx::query(
        "UPDATE commands SET done_ms = $1, ok = $2, result = $3, png = $4 \
         WHERE id = $5 AND device_id = $6 AND done_ms IS NULL",
    )
    .bind(now_ms())
    .bind(i32::from(result.ok))
    .bind(&result.text)
    .bind(&result.png_base64)
    .bind(id)
    .bind(device_id)
    .execute(store.pool())
    .await?;
    if done.rows_affected() == 0 {
        let known = sqlx::query("SELECT 1 FROM commands WHERE id = $1 AND device_id = $2")
            .bind(id)
            .bind(device_id)
            .fetch_optional(store.pool())
            .await?;
        if known.is_none() {
            return Err(HubError::NotFound(format!(
                "no command {id} for this terminal"
            )));
        }
    }
    Ok(())
}

/// A command and what became of it.
#[derive(Debug, Clone, Serialize)]
pub struct CommandState {
    pub id: String,
    pub device_id: String,
    pub command: String,
    pub operator: Option<String>,
    pub created_ms: i64,
    pub delivered_ms: Option<i64>,
    pub done_ms: Option<i64>,
    pub ok: Option<bool>,
    pub text: Option<String>,
    /// Whether a screenshot came with it (`…/commands/{id}/screenshot.png`).
    pub picture: bool,
}

/// The newest `limit` commands of `device_id`, newest first.
pub async fn commands_of(
    store: &Store,
    device_id: &str,
    limit: i64,
) -> Result<Vec<CommandState>, HubError> {
    let rows = sqlx::query(
        "SELECT id, device_id, command, operator, created_ms, delivered_ms, done_ms, ok, result, \
         CASE WHEN png IS NULL THEN 0 ELSE 1 END FROM commands WHERE device_id = $1 ORDER BY id DESC LIMIT $2",
    )
    .bind(device_id)
    .bind(limit)
    .fetch_all(store.pool())
    .await?;
    rows.iter()
        .map(|row| {
            Ok(CommandState {
                id: row.try_get::<i64, _>(0)?.to_string(),
                device_id: row.try_get(1)?,
                command: row.try_get(2)?,
                operator: row.try_get(3)?,
                created_ms: row.try_get(4)?,
                delivered_ms: row.try_get(5)?,
                done_ms: row.try_get(6)?,
                ok: row.try_get::<Option<i64>, _>(7)?.map(|ok| ok != 0),
                text: row.try_get(8)?,
                picture: row.try_get::<i64, _>(9)? != 0,
            })
        })
        .collect()
}

/// A screenshot command's PNG.
pub async fn screenshot(store: &Store, id: i64) -> Result<Vec<u8>, HubError> {
    use base64::Engine;
    let row = sqlx::query("SELECT png FROM commands WHERE id = $1 AND png IS NOT NULL")
        .bind(id)
        .fetch_optional(store.pool())
        .await?
        .ok_or_else(|| HubError::NotFound(format!("no screenshot for command {id}")))?;
    let text: String = row.try_get(0)?;
    base64::engine::general_purpose::STANDARD
        .decode(text)
        .map_err(|e| crate::store::damaged(format!("screenshot of command {id}: {e}")))
}
