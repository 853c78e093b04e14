//! The one idempotent ingest for terminal records: each event is stored once per terminal and event id, in
//! one transaction per batch, so a batch sent again (a lost reply, a restart mid-upload) changes nothing.

use kiosk_proto::fleet::{EventBatch, EventReceipt, MAX_BATCH};

use crate::store::{now_ms, HubError, Store};

pub async fn ingest(
    store: &Store,
    device_id: &str,
    batch: &EventBatch,
) -> Result<EventReceipt, HubError> {
    if batch.events.len() > MAX_BATCH {
        return Err(HubError::BadRequest(format!(
            "a batch holds at most {MAX_BATCH} events; this one has {}",
            batch.events.len()
        )));
    }
    for (index, event) in batch.events.iter().enumerate() {
        let bad = |why: &str| HubError::BadRequest(format!("event {index}: {why}"));
        if event.id.is_empty() || event.id.len() > 64 {
            return Err(bad("id must be 1 to 64 characters"));
        }
        if event.kind.is_empty() || event.kind.len() > 32 {
            return Err(bad("kind must be 1 to 32 characters"));
        }
    }
    let received = now_ms();
    let mut stored = 0;
    let mut tx = store.pool().begin().await?;
    for event in &batch.events {
        let done = sqlx::query(
            "INSERT INTO events (device_id, event_id, kind, body, occurred_ms, received_ms) \
             VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (device_id, event_id) DO NOTHING",
        )
        .bind(device_id)
        .bind(&event.id)
        .bind(&event.kind)
        .bind(event.body.to_string())
        .bind(event.occurred_ms)
        .bind(received)
        .execute(&mut *tx)
        .await?;
        stored += done.rows_affected();
    }
    tx.commit().await?;
    Ok(EventReceipt {
        stored,
        repeated: batch.events.len() as u64 - stored,
    })
}
