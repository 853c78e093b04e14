//! The service catalogue the hub publishes: imported from a file (checked as the terminal checks it),
//! versioned, and served with an ETag so that a terminal's unchanged poll costs a 304 and no body.

use kiosk_proto::catalogue::Catalogue;
use sqlx::Row;

use crate::fleet::sha256_hex;
use crate::store::{now_ms, HubError, Store};

/// The newest catalogue: version, ETag and JSON body.
pub struct Published {
    pub version: i64,
    pub etag: String,
    pub body: String,
}

/// Publishes `json` (named `name` in messages) as the next version; returns it.
pub async fn import(store: &Store, json: &str, name: &str) -> Result<i64, HubError> {
    publish(store, json, name, None).await
}

/// Checks `json` as `catalogue import` and the terminal check it (services, themes, forms, materials,
/// both languages everywhere).
pub fn checked(json: &str, name: &str) -> Result<Catalogue, HubError> {
    Catalogue::from_json(json, name).map_err(|e| HubError::BadRequest(e.to_string()))
}

/// Publishes `json` as the next version, by `operator` (none: the command line or the seed); the version.
pub async fn publish(
    store: &Store,
    json: &str,
    name: &str,
    operator: Option<&str>,
) -> Result<i64, HubError> {
    let catalogue = checked(json, name)?;
    let body = serde_json::to_string(&catalogue).expect("a catalogue serialises");
    let mut tx = store.pool().begin().await?;
    // The version is bumped first, so the transaction holds SQLite's write lock from its first statement
    // (a read first would fail outright if another writer committed before this one's write).
    let version: i64 = sqlx::query(
        "UPDATE settings SET value = value + 1 WHERE name = 'catalogue_version' RETURNING value",
    )
    .fetch_one(&mut *tx)
    .await?
    .try_get(0)?;
    let etag = format!("\"{version}-{}\"", &sha256_hex(&body)[..16]);
    sqlx::query(
        "INSERT INTO catalogues (version, body, etag, published_ms, operator) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(version)
    .bind(&body)
    .bind(&etag)
    .bind(now_ms())
    .bind(operator)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    // Heartbeats announce the new version from now on.
    store.memory().forget();
    Ok(version)
}

/// The newest catalogue's version and ETag, without its body.
pub async fn current_tag(store: &Store) -> Result<Option<(i64, String)>, HubError> {
    let row = sqlx::query("SELECT version, etag FROM catalogues ORDER BY version DESC LIMIT 1")
        .fetch_optional(store.pool())
        .await?;
    Ok(match row {
        Some(row) => Some((row.try_get(0)?, row.try_get(1)?)),
        None => None,
    })
}

pub async fn current(store: &Store) -> Result<Option<Published>, HubError> {
    let row =
        sqlx::query("SELECT version, etag, body FROM catalogues ORDER BY version DESC LIMIT 1")
            .fetch_optional(store.pool())
            .await?;
    Ok(match row {
        Some(row) => Some(Published {
            version: row.try_get(0)?,
            etag: row.try_get(1)?,
            body: row.try_get(2)?,
        }),
        None => None,
    })
}

/// The newest published catalogue, parsed once per version and shared (the intake of every application
/// and every reviewer's read need its forms); 400 when none is published.
pub async fn published(store: &Store) -> Result<std::sync::Arc<Catalogue>, HubError> {
    let none = || HubError::BadRequest("no catalogue is published".into());
    let (_, etag) = current_tag(store).await?.ok_or_else(none)?;
    let cache = store.parsed_catalogue();
    if let Some((kept, catalogue)) = &*cache.lock().unwrap_or_else(|e| e.into_inner()) {
        if *kept == etag {
            return Ok(catalogue.clone());
        }
    }
    let current = current(store).await?.ok_or_else(none)?;
    let catalogue = std::sync::Arc::new(
        Catalogue::from_json(&current.body, "the published catalogue")
            .map_err(|e| crate::store::damaged(e.to_string()))?,
    );
    *cache.lock().unwrap_or_else(|e| e.into_inner()) = Some((current.etag, catalogue.clone()));
    Ok(catalogue)
}

/// A published version, as the console lists it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Version {
    pub version: i64,
    pub published_ms: i64,
    /// Who published it from the console (none: the command line or the seed).
    pub operator: Option<String>,
    pub services: usize,
    pub announcements: usize,
}

/// The newest `limit` versions, newest first.
pub async fn versions(store: &Store, limit: i64) -> Result<Vec<Version>, HubError> {
    let rows = sqlx::query(
        "SELECT version, published_ms, operator, body FROM catalogues ORDER BY version DESC LIMIT $1",
    )
    .bind(limit)
    .fetch_all(store.pool())
    .await?;
    rows.iter()
        .map(|row| {
            let body: serde_json::Value =
                serde_json::from_str(&row.try_get::<String, _>(3)?).unwrap_or_default();
            let count = |key: &str| body[key].as_array().map_or(0, Vec::len);
            Ok(Version {
                version: row.try_get(0)?,
                published_ms: row.try_get(1)?,
                operator: row.try_get(2)?,
                services: count("services"),
                announcements: count("announcements"),
            })
        })
        .collect()
}

/// The body of `version`.
pub async fn body_of(store: &Store, version: i64) -> Result<String, HubError> {
    sqlx::query("SELECT body FROM catalogues WHERE version = $1")
        .bind(version)
        .fetch_optional(store.pool())
        .await?
        .map(|row| row.try_get(0))
        .transpose()?
        .ok_or_else(|| HubError::NotFound(format!("no catalogue version {version}")))
}

/// What publishing a catalogue would change, for the console's preview.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Preview {
    pub services: usize,
    pub themes: usize,
    pub announcements: Vec<kiosk_proto::catalogue::Announcement>,
    /// Services new, gone and changed (with the parts that changed) against the current version.
    pub added: Vec<kiosk_proto::LocalText>,
    pub removed: Vec<kiosk_proto::LocalText>,
    pub changed: Vec<(kiosk_proto::LocalText, Vec<String>)>,
    pub announcements_changed: bool,
}

/// Checks `json` and says what it changes against the current version.
pub async fn preview(store: &Store, json: &str) -> Result<Preview, HubError> {
    let next = checked(json, "the edited catalogue")?;
    let now: Option<Catalogue> = match current(store).await? {
        Some(current) => serde_json::from_str(&current.body).ok(),
        None => None,
    };
    let before: std::collections::BTreeMap<&str, &kiosk_proto::catalogue::Service> = now
        .iter()
        .flat_map(|c| c.services.iter().map(|s| (s.id.as_str(), s)))
        .collect();
    let mut changed = Vec::new();
    let mut added = Vec::new();
    for service in &next.services {
        match before.get(service.id.as_str()) {
            None => added.push(service.name.clone()),
            Some(old) if *old != service => {
                let (a, b) = (
                    serde_json::to_value(old).unwrap_or_default(),
                    serde_json::to_value(service).unwrap_or_default(),
                );
                let parts = b
                    .as_object()
                    .into_iter()
                    .flatten()
                    .filter(|(key, value)| a.get(key.as_str()) != Some(value))
                    .map(|(key, _)| key.clone())
                    .chain(
                        a.as_object()
                            .into_iter()
                            .flatten()
                            .filter(|(key, _)| b.get(key.as_str()).is_none())
                            .map(|(key, _)| key.clone()),
                    )
                    .collect();
                changed.push((service.name.clone(), parts));
            }
            Some(_) => {}
        }
    }
    let ids: std::collections::HashSet<&str> =
        next.services.iter().map(|s| s.id.as_str()).collect();
    let removed = before
        .iter()
        .filter(|(id, _)| !ids.contains(*id))
        .map(|(_, s)| s.name.clone())
        .collect();
    Ok(Preview {
        services: next.services.len(),
        themes: next.themes.len(),
        announcements_changed: now.as_ref().map(|c| &c.announcements) != Some(&next.announcements),
        announcements: next.announcements,
        added,
        removed,
        changed,
    })
}
