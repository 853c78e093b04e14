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
    let catalogue =
        Catalogue::from_json(json, name).map_err(|e| HubError::BadRequest(e.to_string()))?;
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
        "INSERT INTO catalogues (version, body, etag, published_ms) VALUES ($1, $2, $3, $4)",
    )
    .bind(version)
    .bind(&body)
    .bind(&etag)
    .bind(now_ms())
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
