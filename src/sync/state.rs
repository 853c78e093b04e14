//! The sync state in the terminal's SQLite file: when the hub last answered, and the versions it announced.

use std::path::Path;

use rusqlite::{params, OptionalExtension};

const SCHEMA: &str =
    "CREATE TABLE IF NOT EXISTS sync_state (key TEXT PRIMARY KEY, value TEXT NOT NULL);";

pub struct SyncState {
    db: rusqlite::Connection,
}

impl SyncState {
    pub fn open(path: &Path) -> rusqlite::Result<SyncState> {
        let db = super::open_database(path, SCHEMA)?;
        Ok(SyncState { db })
    }

    pub fn set(&self, key: &str, value: &str) -> rusqlite::Result<()> {
        self.db.execute(
            "INSERT INTO sync_state (key, value) VALUES (?1, ?2)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            params![key, value],
        )?;
        Ok(())
    }

    pub fn get(&self, key: &str) -> rusqlite::Result<Option<String>> {
        self.db
            .query_row(
                "SELECT value FROM sync_state WHERE key = ?1",
                params![key],
                |row| row.get(0),
            )
            .optional()
    }
}

/// The catalogue the hub last sent, if any and if it still checks.
pub fn cached_catalogue(state: &SyncState) -> Option<kiosk_proto::catalogue::Catalogue> {
    let json = state.get("catalogue_json").ok()??;
    match kiosk_proto::catalogue::Catalogue::from_json(&json, "the cached catalogue") {
        Ok(catalogue) => Some(catalogue),
        Err(error) => {
            tracing::error!(%error, "the cached catalogue does not check; using the bundled one");
            None
        }
    }
}

/// The hub's signing keys, as fetched from `/v1/keys` on the authenticated link and kept: documents are
/// printed only when one of them signed them.
pub fn trusted_keys(state: &SyncState) -> Vec<ed25519_dalek::VerifyingKey> {
    state
        .get("hub_keys")
        .ok()
        .flatten()
        .unwrap_or_default()
        .split(',')
        .filter_map(|hex| kiosk_proto::verify::parse_public_key(hex.trim()).ok())
        .collect()
}
