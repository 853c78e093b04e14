//! The hub's audit trail: one append-only hash chain of what people and terminals did (operators'
//! settings, commands, catalogue and ring changes, technicians' accounts, staff accounts and logins,
//! reviewers' actions on cases, terminals' service mode and remote guidance). Each record carries the hash
//! of the one before it, and `audit_head` the last sequence number and hash, so a record changed, removed
//! or put in between breaks the chain where it happened, and `kiosk-hub audit verify` says where.
//!
//! A record is appended in the caller's transaction (the action and its record commit together or not at
//! all). The head row is updated first: that takes SQLite's write lock from the first statement and, in
//! PostgreSQL, the row's lock, so appenders in every hub process take their turn and no two records
//! share a number.

use serde::Serialize;
use sqlx::Row;

use crate::store::{now_ms, sha256_hex, HubError, Store};

/// The hash before the first record.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// What a record says: who (`staff:zhang.li`, `terminal:K-001`, `cli`), did what (`publish_settings`,
/// `case.approve`, `service.pin_ok`), to what (a scope, a terminal, a case number), and the detail (never
/// personal data unmasked).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Entry {
    pub actor: String,
    pub action: String,
    pub target: String,
    pub detail: String,
}

impl Entry {
    pub fn new(actor: &str, action: &str, target: &str, detail: &str) -> Entry {
        Entry {
            actor: actor.to_string(),
            action: action.to_string(),
            target: target.to_string(),
            detail: detail.to_string(),
        }
    }

    /// What terminal `device_id` did (to itself, unless `target` says otherwise).
    pub fn terminal(device_id: &str, action: &str, target: &str, detail: &str) -> Entry {
        Entry::new(&format!("terminal:{device_id}"), action, target, detail)
    }
}

/// One record of the chain.
#[derive(Debug, Clone, Serialize)]
pub struct Record {
    pub seq: i64,
    pub at_ms: i64,
    #[serde(flatten)]
    pub entry: Entry,
    pub prev: String,
    pub hash: String,
}

/// The hash of record `seq` made at `at_ms` after the record whose hash is `prev`. The fields go in as a
/// JSON array, so no field's text can pass for another's.
pub fn chain_hash(prev: &str, seq: i64, at_ms: i64, entry: &Entry) -> String {
    let fields = serde_json::json!([
        seq,
        at_ms,
        entry.actor,
        entry.action,
        entry.target,
        entry.detail
    ]);
    sha256_hex(&format!("{prev}\n{fields}"))
}

/// Appends `entry` on `conn`, inside the caller's transaction. Its sequence number.
pub async fn append(conn: &mut sqlx::AnyConnection, entry: &Entry) -> Result<i64, HubError> {
    append_at(conn, now_ms(), entry).await
}

/// [`append`] with the time the action happened (a record adopted from before the chain keeps its own).
async fn append_at(
    conn: &mut sqlx::AnyConnection,
    at_ms: i64,
    entry: &Entry,
) -> Result<i64, HubError> {
    let head = sqlx::query("UPDATE audit_head SET seq = seq + 1 WHERE id = 1 RETURNING seq, hash")
        .fetch_one(&mut *conn)
        .await?;
    let seq: i64 = head.try_get(0)?;
    let prev: String = head.try_get(1)?;
    let hash = chain_hash(&prev, seq, at_ms, entry);
    sqlx::query(
        "INSERT INTO audit_chain (seq, at_ms, actor, action, target, detail, prev, hash) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(seq)
    .bind(at_ms)
    .bind(&entry.actor)
    .bind(&entry.action)
    .bind(&entry.target)
    .bind(&entry.detail)
    .bind(&prev)
    .bind(&hash)
    .execute(&mut *conn)
    .await?;
    sqlx::query("UPDATE audit_head SET hash = $1 WHERE id = 1")
        .bind(&hash)
        .execute(&mut *conn)
        .await?;
    Ok(seq)
}

/// Appends `entry` in a transaction of its own (an action that wrote nothing else, or wrote it already).
pub async fn record(store: &Store, entry: &Entry) -> Result<i64, HubError> {
    let mut tx = store.pool().begin().await?;
    let seq = append(&mut tx, entry).await?;
    tx.commit().await?;
    Ok(seq)
}

/// The newest `limit` records whose action is one of `actions` (all when empty), newest first.
pub async fn recent(store: &Store, actions: &[&str], limit: i64) -> Result<Vec<Record>, HubError> {
    let filter = if actions.is_empty() {
        String::new()
    } else {
        let marks: Vec<String> = (0..actions.len()).map(|i| format!("${}", i + 2)).collect();
        format!("WHERE action IN ({})", marks.join(", "))
    };
    let sql = format!(
        "SELECT seq, at_ms, actor, action, target, detail, prev, hash FROM audit_chain {filter} \
         ORDER BY seq DESC LIMIT $1"
    );
    let mut query = sqlx::query(&sql).bind(limit);
    for action in actions {
        query = query.bind(*action);
    }
    query
        .fetch_all(store.pool())
        .await?
        .iter()
        .map(record_of)
        .collect()
}

fn record_of(row: &sqlx::any::AnyRow) -> Result<Record, HubError> {
    Ok(Record {
        seq: row.try_get(0)?,
        at_ms: row.try_get(1)?,
        entry: Entry {
            actor: row.try_get(2)?,
            action: row.try_get(3)?,
            target: row.try_get(4)?,
            detail: row.try_get(5)?,
        },
        prev: row.try_get(6)?,
        hash: row.try_get(7)?,
    })
}

/// What `kiosk-hub audit verify` found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Verdict {
    /// Records read.
    pub records: i64,
    /// The head: the last sequence number and hash (note it down elsewhere: a later verify that ends on
    /// another hash for the same number means the chain was rewritten whole).
    pub head_seq: i64,
    pub head_hash: String,
    /// The first break, if any: the record's number and what is wrong there.
    pub broken: Option<(i64, String)>,
}

impl Verdict {
    pub fn intact(&self) -> bool {
        self.broken.is_none()
    }
}

/// Reads the whole chain in order and checks each record's number, link and hash, and that the head
/// names the last record.
pub async fn verify(store: &Store) -> Result<Verdict, HubError> {
    let head = sqlx::query("SELECT seq, hash FROM audit_head WHERE id = 1")
        .fetch_one(store.pool())
        .await?;
    let head_seq: i64 = head.try_get(0)?;
    let head_hash: String = head.try_get(1)?;
    let mut verdict = Verdict {
        records: 0,
        head_seq,
        head_hash: head_hash.clone(),
        broken: None,
    };
    let (mut expected, mut prev) = (1_i64, GENESIS.to_string());
    // Read in pages, so a long chain never sits in memory whole.
    const PAGE: i64 = 5000;
    'pages: loop {
        let rows = sqlx::query(
            "SELECT seq, at_ms, actor, action, target, detail, prev, hash FROM audit_chain \
             WHERE seq >= $1 ORDER BY seq LIMIT $2",
        )
        .bind(expected)
        .bind(PAGE)
        .fetch_all(store.pool())
        .await?;
        let count = rows.len() as i64;
        for row in &rows {
            let record = record_of(row)?;
            verdict.records += 1;
            if let Some(why) = fault(&record, expected, &prev) {
                verdict.broken = Some((record.seq.min(expected), why));
                break 'pages;
            }
            prev = record.hash;
            expected += 1;
        }
        if count < PAGE {
            break;
        }
    }
    if verdict.broken.is_none() {
        let last = expected - 1;
        if last != head_seq {
            verdict.broken = Some((
                last + 1,
                format!(
                    "the chain ends at record {last} but its head says {head_seq}: records after {last} were removed"
                ),
            ));
        } else if prev != head_hash {
            verdict.broken = Some((
                last,
                "the last record's hash is not the head's: the last record was changed".into(),
            ));
        }
    }
    Ok(verdict)
}

/// What is wrong with `record`, read where record `expected` should be, after a record whose hash is `prev`.
fn fault(record: &Record, expected: i64, prev: &str) -> Option<String> {
    if record.seq != expected {
        return Some(format!(
            "record {expected} is missing (the next one is {}): it was removed",
            record.seq
        ));
    }
    if record.prev != prev {
        return Some(format!(
            "record {expected} does not follow record {}: a record before it was removed or changed",
            expected - 1
        ));
    }
    if chain_hash(&record.prev, record.seq, record.at_ms, &record.entry) != record.hash {
        return Some(format!(
            "record {expected} ({} by {}) was changed after it was written",
            record.entry.action, record.entry.actor
        ));
    }
    None
}

/// Records the operations audit kept before the chain (table `operations_audit`) are appended to the chain
/// in their order and removed from the old table, once, in one transaction.
pub async fn adopt_legacy(store: &Store) -> Result<u64, HubError> {
    // Nothing to move (every start after the first): nothing written, no lock taken.
    let any = sqlx::query("SELECT 1 FROM operations_audit LIMIT 1")
        .fetch_optional(store.pool())
        .await?;
    if any.is_none() {
        return Ok(0);
    }
    let mut tx = store.pool().begin().await?;
    // The head first: the write lock (SQLite) and the row lock (PostgreSQL) before anything is read.
    sqlx::query("UPDATE audit_head SET seq = seq WHERE id = 1")
        .execute(&mut *tx)
        .await?;
    let rows = sqlx::query(
        "SELECT operator, action, target, detail, at_ms FROM operations_audit ORDER BY at_ms, id",
    )
    .fetch_all(&mut *tx)
    .await?;
    for row in &rows {
        let entry = Entry {
            actor: format!("staff:{}", row.try_get::<String, _>(0)?),
            action: row.try_get(1)?,
            target: row.try_get(2)?,
            detail: row.try_get(3)?,
        };
        append_at(&mut tx, row.try_get(4)?, &entry).await?;
    }
    sqlx::query("DELETE FROM operations_audit")
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(rows.len() as u64)
}
