//! The outbox: records that must reach the hub exactly once, written in the same SQLite transaction as the
//! local change they record (a committed change always has its record; a change rolled back by power loss
//! has none). Each gets its event id when written, so sending a batch again changes nothing at the hub; a
//! record leaves the outbox only once the hub has answered that it stored the batch.

use std::path::Path;

use kiosk_proto::fleet::{Event, EventBatch};
use rusqlite::params;

use super::client::{HubClient, SyncError};

pub const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS outbox (
    seq         INTEGER PRIMARY KEY AUTOINCREMENT,
    event_id    TEXT NOT NULL UNIQUE,
    kind        TEXT NOT NULL,
    body        TEXT NOT NULL,
    occurred_ms INTEGER NOT NULL
);
";

/// Records in one upload.
pub const BATCH: usize = 100;

/// Adds a record inside the caller's transaction (`db` is the transaction's connection). Returns its id.
pub fn push(
    db: &rusqlite::Connection,
    kind: &str,
    body: &serde_json::Value,
) -> rusqlite::Result<String> {
    let id = super::new_event_id();
    let occurred = chrono::Utc::now().timestamp_millis();
    db.execute(
        "INSERT INTO outbox (event_id, kind, body, occurred_ms) VALUES (?1, ?2, ?3, ?4)",
        params![id, kind, body.to_string(), occurred],
    )?;
    Ok(id)
}

pub struct Outbox {
    db: rusqlite::Connection,
}

impl Outbox {
    pub fn open(path: &Path) -> rusqlite::Result<Outbox> {
        let db = super::open_database(path, SCHEMA)?;
        Ok(Outbox { db })
    }

    /// Adds a record on its own (a record with no other local change, such as a rating).
    pub fn add(&self, kind: &str, body: &serde_json::Value) -> rusqlite::Result<String> {
        push(&self.db, kind, body)
    }

    /// Records a citizen's rating (checked first: a rating the hub would refuse never enters the outbox).
    pub fn rate(&self, rating: &kiosk_proto::service::Rating) -> Result<String, String> {
        rating.check()?;
        let body = serde_json::to_value(rating).expect("a rating serialises");
        self.add(kiosk_proto::service::RATING_EVENT, &body)
            .map_err(|e| format!("the outbox cannot record the rating: {e}"))
    }

    /// Records waiting to be sent.
    pub fn depth(&self) -> rusqlite::Result<u64> {
        self.db
            .query_row("SELECT COUNT(*) FROM outbox", [], |row| {
                row.get::<_, i64>(0)
            })
            .map(|n| n.max(0) as u64)
    }

    /// The oldest waiting records, at most `limit` (what `kiosk sync status` and the tests look at).
    pub fn waiting(&self, limit: usize) -> rusqlite::Result<Vec<Event>> {
        Ok(self.oldest(limit)?.into_iter().map(|(_, e)| e).collect())
    }

    /// The oldest waiting records, at most `limit`, with their sequence numbers.
    fn oldest(&self, limit: usize) -> rusqlite::Result<Vec<(i64, Event)>> {
        let mut query = self.db.prepare(
            "SELECT seq, event_id, kind, body, occurred_ms FROM outbox ORDER BY seq LIMIT ?1",
        )?;
        let rows = query.query_map(params![limit as i64], |row| {
            let body: String = row.get(3)?;
            Ok((
                row.get::<_, i64>(0)?,
                Event {
                    id: row.get(1)?,
                    kind: row.get(2)?,
                    occurred_ms: row.get(4)?,
                    body: serde_json::from_str(&body).unwrap_or(serde_json::Value::Null),
                },
            ))
        })?;
        rows.collect()
    }

    /// Sends everything waiting, oldest first, in batches; returns how many records left. Stops at the first
    /// failure: what was not acknowledged stays and goes again next time.
    pub fn drain(&self, client: &HubClient) -> Result<u64, DrainError> {
        let mut sent = 0;
        loop {
            let batch = self.oldest(BATCH)?;
            let Some(last) = batch.last().map(|(seq, _)| *seq) else {
                return Ok(sent);
            };
            let events: Vec<Event> = batch.into_iter().map(|(_, e)| e).collect();
            let count = events.len() as u64;
            client.send_events(&EventBatch { events })?;
            self.db
                .execute("DELETE FROM outbox WHERE seq <= ?1", params![last])?;
            sent += count;
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum DrainError {
    #[error("outbox: {0}")]
    Local(#[from] rusqlite::Error),
    #[error(transparent)]
    Hub(#[from] SyncError),
}
