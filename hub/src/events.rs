//! The one idempotent ingest for terminal records: each event is stored once per terminal and event id, in
//! one transaction per batch, so a batch sent again (a lost reply, a restart mid-upload) changes nothing.
//! An event seen for the first time also takes effect in the same transaction: a rating is counted (once
//! per case), a print claim's end is recorded, a service-mode or remote-guidance step joins the audit chain.

use kiosk_proto::assist::{Audit, AUDIT_EVENT as ASSIST_AUDIT_EVENT};
use kiosk_proto::fleet::{Event, EventBatch, EventReceipt, MAX_BATCH, SERVICE_AUDIT_EVENT};
use kiosk_proto::service::{ClaimEnd, Rating, CLAIM_EVENT, RATING_EVENT};

use crate::store::{now_ms, HubError, Store};

/// The latest time a record may say it happened (2100-01-01); a later one, or one before 1970, is taken
/// as the time it was received.
const LATEST_MS: i64 = 4_102_444_800_000;

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
        match effect(event) {
            Ok(_) => {}
            Err(why) => return Err(bad(&why)),
        }
    }
    let received = now_ms();
    let mut stored = 0;
    let mut tx = store.pool().begin().await?;
    for event in &batch.events {
        // A terminal's clock gone wild (before 1970, past 2100) is not refused, which would hold its outbox
        // up for good: the record is kept at the time it was received.
        let occurred_ms = if (0..=LATEST_MS).contains(&event.occurred_ms) {
            event.occurred_ms
        } else {
            received
        };
        let done = sqlx::query(
            "INSERT INTO events (device_id, event_id, kind, body, occurred_ms, received_ms) \
             VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (device_id, event_id) DO NOTHING",
        )
        .bind(device_id)
        .bind(&event.id)
        .bind(&event.kind)
        .bind(event.body.to_string())
        .bind(occurred_ms)
        .bind(received)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 1 {
            stored += 1;
            match effect(event) {
                Ok(Some(Effect::Rating(rating))) => {
                    record_rating(&mut tx, device_id, &event.id, occurred_ms, &rating).await?
                }
                Ok(Some(Effect::ClaimEnd(end))) => {
                    crate::documents::end_claim(&mut tx, device_id, &end, received).await?
                }
                Ok(Some(Effect::Audit(entry))) => {
                    crate::audit::append(&mut tx, &entry.by_terminal(device_id)).await?;
                }
                Ok(None) | Err(_) => {}
            }
        }
    }
    tx.commit().await?;
    Ok(EventReceipt {
        stored,
        repeated: batch.events.len() as u64 - stored,
    })
}

/// What an event does besides being stored.
enum Effect {
    Rating(Rating),
    ClaimEnd(ClaimEnd),
    /// A service-mode or remote-guidance step: into the audit chain.
    Audit(TerminalAudit),
}

/// What the audit chain keeps of a terminal's audit event: its step and what it was about.
struct TerminalAudit {
    action: String,
    target: String,
    detail: String,
}

impl TerminalAudit {
    fn by_terminal(self, device_id: &str) -> crate::audit::Entry {
        let target = if self.target.is_empty() {
            device_id
        } else {
            &self.target
        };
        crate::audit::Entry::terminal(device_id, &self.action, target, &self.detail)
    }
}

/// What the audit chain keeps of `event` from terminal `device_id`, if its kind is audited (service
/// mode, remote guidance): the same mapping the ingest uses.
pub fn audit_of(device_id: &str, event: &Event) -> Option<crate::audit::Entry> {
    match effect(event) {
        Ok(Some(Effect::Audit(audit))) => Some(audit.by_terminal(device_id)),
        _ => None,
    }
}

/// `what` cut to 64 characters (a step's name comes from the terminal).
fn short(what: &str) -> String {
    what.chars().take(64).collect()
}

/// The effect of `event`, or why its body is not what its kind needs.
fn effect(event: &Event) -> Result<Option<Effect>, String> {
    match event.kind.as_str() {
        RATING_EVENT => {
            let rating: Rating =
                serde_json::from_value(event.body.clone()).map_err(|e| format!("a rating: {e}"))?;
            rating.check().map_err(|e| format!("a rating: {e}"))?;
            Ok(Some(Effect::Rating(rating)))
        }
        CLAIM_EVENT => serde_json::from_value(event.body.clone())
            .map(|end| Some(Effect::ClaimEnd(end)))
            .map_err(|e| format!("a print claim's end: {e}")),
        // A terminal's audit record is never refused (that would hold its outbox up): one the hub cannot
        // read joins the chain whole, as `unreadable`.
        SERVICE_AUDIT_EVENT => {
            let action = event.body.get("action").and_then(|a| a.as_str());
            Ok(Some(Effect::Audit(TerminalAudit {
                action: format!("service.{}", short(action.unwrap_or("unreadable"))),
                target: String::new(),
                detail: match (action, event.body.get("detail")) {
                    (Some(_), Some(detail)) => detail.to_string(),
                    _ => event.body.to_string(),
                },
            })))
        }
        ASSIST_AUDIT_EVENT => {
            let audit = serde_json::from_value::<Audit>(event.body.clone()).ok();
            Ok(Some(Effect::Audit(TerminalAudit {
                action: format!(
                    "assist.{}",
                    short(audit.as_ref().map_or("unreadable", |a| &a.step))
                ),
                target: audit.map(|a| short(&a.session)).unwrap_or_default(),
                detail: event.body.to_string(),
            })))
        }
        _ => Ok(None),
    }
}

/// Counts a rating: once per case (a second rating of the same case is kept as an event, not counted).
async fn record_rating(
    tx: &mut sqlx::AnyConnection,
    device_id: &str,
    event_id: &str,
    occurred_ms: i64,
    rating: &Rating,
) -> Result<(), HubError> {
    let key = match &rating.case_no {
        Some(case_no) => format!("case:{case_no}"),
        None => format!("event:{device_id}:{event_id}"),
    };
    sqlx::query(
        "INSERT INTO ratings (rating_key, case_no, service, level, tags, device_id, hall, occurred_ms) \
         SELECT $1, $2, $3, $4, $5, $6, hall, $7 FROM devices WHERE device_id = $6 \
         ON CONFLICT (rating_key) DO NOTHING",
    )
    .bind(key)
    .bind(&rating.case_no)
    .bind(&rating.service)
    .bind(i64::from(rating.level))
    .bind(serde_json::to_string(&rating.tags).expect("tags serialise"))
    .bind(device_id)
    .bind(occurred_ms)
    .execute(tx)
    .await?;
    Ok(())
}

/// Ratings counted, by level (5 … 1), for `kiosk-hub ratings` and the tests.
pub async fn rating_counts(store: &Store) -> Result<[u64; 5], HubError> {
    use sqlx::Row;
    let mut counts = [0u64; 5];
    for row in sqlx::query("SELECT level, COUNT(*) FROM ratings GROUP BY level")
        .fetch_all(store.pool())
        .await?
    {
        let level: i64 = row.try_get(0)?;
        if (1..=5).contains(&level) {
            counts[(5 - level) as usize] = row.try_get::<i64, _>(1)?.max(0) as u64;
        }
    }
    Ok(counts)
}
