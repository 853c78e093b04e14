//! Cases (办件): progress by case number and a second factor, or all cases of a card holder, with the
//! timeline of steps. A wrong factor and an unknown case number get the same answer, and after
//! [`MAX_TRIES`] wrong factors a case number is locked for [`LOCK_MS`]: the last six characters of an ID
//! number cannot be guessed by trying.

use kiosk_proto::service::{CaseDetail, CaseQuery, CaseState, CaseStep, CaseSummary, IdNumber};
use kiosk_proto::LocalText;
use sqlx::any::AnyRow;
use sqlx::Row;

use crate::store::{now_ms, HubError, Store};

pub const MAX_TRIES: i64 = 5;
pub const LOCK_MS: i64 = 15 * 60 * 1000;

/// Case queries from one terminal that may match nothing within [`TERMINAL_WINDOW_MS`]: past that, the
/// terminal's queries pause until the window ends (one number locks after [`MAX_TRIES`]; this stops a
/// terminal trying many numbers once each).
pub const TERMINAL_MISSES: i64 = 20;
pub const TERMINAL_WINDOW_MS: i64 = 10 * 60 * 1000;

const NOT_FOUND: &str =
    "no case with this number matches the ID given; check the number on the receipt";

/// Salts of the two holder keys.
const HOLDER: &str = "holder";
const TAIL: &str = "tail";

/// The last-six factor's key: the case number and the ID number's last six characters.
fn tail_key(store: &Store, case_no: &str, last6: &str) -> String {
    store.holder_key(TAIL, &format!("{}|{}", case_no.trim(), last6))
}

/// The last six characters of an ID number (upper case).
pub fn last6(id: &str) -> String {
    let id: Vec<char> = id.trim().to_uppercase().chars().collect();
    id[id.len().saturating_sub(6)..].iter().collect()
}

pub fn holder(store: &Store, id: &IdNumber) -> String {
    store.holder_key(HOLDER, &id.0)
}

/// A case as the hub keeps it (what the seed and the back office write).
#[derive(Debug, Clone)]
pub struct NewCase {
    pub case_no: String,
    pub holder_id: IdNumber,
    pub service_id: String,
    pub service: LocalText,
    pub hall: String,
    /// Masked already (`张**`).
    pub applicant: String,
    pub promised_on: String,
    pub timeline: Vec<CaseStep>,
}

pub async fn insert(store: &Store, case: &NewCase) -> Result<(), HubError> {
    let mut conn = store.pool().acquire().await?;
    insert_with(store, &mut conn, case).await
}

/// [`insert`] on `conn` (inside the caller's transaction).
pub async fn insert_with(
    store: &Store,
    conn: &mut sqlx::AnyConnection,
    case: &NewCase,
) -> Result<(), HubError> {
    let (Some(first), Some(last)) = (case.timeline.first(), case.timeline.last()) else {
        return Err(HubError::BadRequest(format!(
            "case {}: the timeline is empty",
            case.case_no
        )));
    };
    sqlx::query(
        "INSERT INTO cases (case_no, holder, tail, service_id, service_zh, service_en, hall, applicant, state, \
         submitted_ms, updated_ms, promised_on, timeline) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) \
         ON CONFLICT (case_no) DO UPDATE SET state = excluded.state, updated_ms = excluded.updated_ms, \
         timeline = excluded.timeline",
    )
    .bind(&case.case_no)
    .bind(holder(store, &case.holder_id))
    .bind(tail_key(store, &case.case_no, &last6(&case.holder_id.0)))
    .bind(&case.service_id)
    .bind(&case.service.zh)
    .bind(&case.service.en)
    .bind(&case.hall)
    .bind(&case.applicant)
    .bind(crate::store::wire_name(last.state))
    .bind(first.at_ms)
    .bind(last.at_ms)
    .bind(&case.promised_on)
    .bind(serde_json::to_string(&case.timeline).expect("a timeline serialises"))
    .execute(conn)
    .await?;
    Ok(())
}

const COLUMNS: &str =
    "case_no, service_id, service_zh, service_en, state, submitted_ms, updated_ms, promised_on, \
     hall, applicant, timeline, holder, tail, failed_tries, tries_since_ms";

fn summary(row: &AnyRow) -> Result<CaseSummary, HubError> {
    let state: String = row.try_get(4)?;
    Ok(CaseSummary {
        case_no: row.try_get(0)?,
        service_id: row.try_get(1)?,
        service: LocalText::new(row.try_get::<String, _>(2)?, row.try_get::<String, _>(3)?),
        state: crate::store::from_wire_name(&state, "a case's state")?,
        submitted_ms: row.try_get(5)?,
        updated_ms: row.try_get(6)?,
        promised_on: row.try_get(7)?,
    })
}

/// One case, when the second factor matches.
/// [`query`] asked by terminal `device_id`: paused while the terminal has made [`TERMINAL_MISSES`] queries
/// that matched nothing in the window; the query that reaches the limit is audited (the operators' audit
/// shows it) and logged.
pub async fn query_from(
    store: &Store,
    device_id: &str,
    asked: &CaseQuery,
) -> Result<CaseDetail, HubError> {
    let now = now_ms();
    let row =
        sqlx::query("SELECT missed_queries, missed_since_ms FROM devices WHERE device_id = $1")
            .bind(device_id)
            .fetch_one(store.pool())
            .await?;
    let (missed, since): (i64, i64) = (row.try_get(0)?, row.try_get(1)?);
    let fresh = now - since > TERMINAL_WINDOW_MS;
    if !fresh && missed >= TERMINAL_MISSES {
        return Err(paused(since, now));
    }
    let answer = query(store, asked).await;
    if let Err(HubError::NotFound(_)) = &answer {
        let (missed, since) = if fresh { (1, now) } else { (missed + 1, since) };
        let mut tx = store.pool().begin().await?;
        sqlx::query(
            "UPDATE devices SET missed_queries = $1, missed_since_ms = $2 WHERE device_id = $3",
        )
        .bind(missed)
        .bind(since)
        .bind(device_id)
        .execute(&mut *tx)
        .await?;
        if missed == TERMINAL_MISSES {
            tracing::warn!(
                device = device_id,
                missed,
                "a terminal made too many case queries that matched nothing: its queries pause"
            );
            crate::audit::append(
                &mut tx,
                &crate::audit::Entry::terminal(
                    device_id,
                    "case_queries_paused",
                    device_id,
                    &format!("{missed} case queries matched nothing within 10 minutes"),
                ),
            )
            .await?;
        }
        tx.commit().await?;
    }
    answer
}

fn paused(since: i64, now: i64) -> HubError {
    HubError::TooMany(format!(
        "too many case numbers that match nothing were asked at this terminal; try again in {} minutes or ask at a counter",
        // Whole minutes, rounded up: "in 10 minutes" just after the pause began.
        ((since + TERMINAL_WINDOW_MS - now + 59_999) / 60_000).max(1)
    ))
}

pub async fn query(store: &Store, query: &CaseQuery) -> Result<CaseDetail, HubError> {
    let case_no = query.case_no.trim().to_uppercase();
    if case_no.is_empty() || case_no.len() > 32 {
        return Err(HubError::BadRequest(
            "case_no must be 1 to 32 characters".into(),
        ));
    }
    let factor = match (&query.id_number, &query.id_last6) {
        (Some(id), None) => Factor::Holder(holder(store, id)),
        (None, Some(tail)) if tail.trim().chars().count() == 6 => {
            Factor::Tail(tail_key(store, &case_no, &tail.trim().to_uppercase()))
        }
        (None, Some(_)) => {
            return Err(HubError::BadRequest(
                "id_last6 is the last six characters of the ID number".into(),
            ))
        }
        _ => {
            return Err(HubError::BadRequest(
                "give exactly one of id_number and id_last6".into(),
            ))
        }
    };
    // A 一件事 bundle's child cases are the departments', not the citizen's: they see the parent.
    let row = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM cases WHERE case_no = $1 AND parent IS NULL"
    ))
    .bind(&case_no)
    .fetch_optional(store.pool())
    .await?;
    let Some(row) = row else {
        return Err(HubError::NotFound(NOT_FOUND.into()));
    };
    let now = now_ms();
    let (tries, since): (i64, i64) = (row.try_get(13)?, row.try_get(14)?);
    let tries = if now - since > LOCK_MS { 0 } else { tries };
    if tries >= MAX_TRIES {
        return Err(HubError::TooMany(format!(
            "too many wrong tries for this case number; try again in {} minutes or ask at a counter",
            ((since + LOCK_MS - now) / 60_000).max(1)
        )));
    }
    let matches = match factor {
        Factor::Holder(key) => row.try_get::<String, _>(11)? == key,
        Factor::Tail(key) => row.try_get::<String, _>(12)? == key,
    };
    if !matches {
        sqlx::query("UPDATE cases SET failed_tries = $1, tries_since_ms = $2 WHERE case_no = $3")
            .bind(tries + 1)
            .bind(if tries == 0 { now } else { since })
            .bind(&case_no)
            .execute(store.pool())
            .await?;
        return Err(HubError::NotFound(NOT_FOUND.into()));
    }
    detail(&row)
}

enum Factor {
    Holder(String),
    Tail(String),
}

fn detail(row: &AnyRow) -> Result<CaseDetail, HubError> {
    let timeline: String = row.try_get(10)?;
    Ok(CaseDetail {
        summary: summary(row)?,
        hall: row.try_get(8)?,
        applicant: row.try_get(9)?,
        timeline: serde_json::from_str(&timeline)
            .map_err(|e| crate::store::damaged(format!("a case's timeline: {e}")))?,
        asked: None,
    })
}

/// Every case of the card holder, newest first (at most 50).
pub async fn mine(store: &Store, id: &IdNumber) -> Result<Vec<CaseDetail>, HubError> {
    let rows = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM cases WHERE holder = $1 AND parent IS NULL \
         ORDER BY submitted_ms DESC LIMIT 50"
    ))
    .bind(holder(store, id))
    .fetch_all(store.pool())
    .await?;
    rows.iter().map(detail).collect()
}

/// One case by its number, for staff (no second factor: the review desk checks the department instead).
/// The number of the case changed last, if any (the demo panel's receipt).
pub async fn newest(store: &Store) -> Result<Option<String>, HubError> {
    Ok(
        sqlx::query("SELECT case_no FROM cases ORDER BY updated_ms DESC, case_no LIMIT 1")
            .fetch_optional(store.pool())
            .await?
            .map(|row| row.try_get(0))
            .transpose()?,
    )
}

pub async fn by_number(store: &Store, case_no: &str) -> Result<Option<CaseDetail>, HubError> {
    let row = sqlx::query(&format!("SELECT {COLUMNS} FROM cases WHERE case_no = $1"))
        .bind(case_no)
        .fetch_optional(store.pool())
        .await?;
    row.as_ref().map(detail).transpose()
}

/// Moves case `case_no` from state `from` on to `step` (its timeline grows by the step), on `conn` inside the
/// caller's transaction; false when the case is no longer in `from` (someone decided it meanwhile).
pub async fn advance(
    conn: &mut sqlx::AnyConnection,
    case_no: &str,
    from: CaseState,
    step: &CaseStep,
) -> Result<bool, HubError> {
    let row = sqlx::query("SELECT timeline FROM cases WHERE case_no = $1 AND state = $2")
        .bind(case_no)
        .bind(crate::store::wire_name(from))
        .fetch_optional(&mut *conn)
        .await?;
    let Some(row) = row else { return Ok(false) };
    let timeline: String = row.try_get(0)?;
    let mut timeline: Vec<CaseStep> = serde_json::from_str(&timeline)
        .map_err(|e| crate::store::damaged(format!("a case's timeline: {e}")))?;
    timeline.push(step.clone());
    let done = sqlx::query(
        "UPDATE cases SET state = $1, updated_ms = $2, timeline = $3 WHERE case_no = $4 AND state = $5",
    )
    .bind(crate::store::wire_name(step.state))
    .bind(step.at_ms)
    .bind(serde_json::to_string(&timeline).expect("a timeline serialises"))
    .bind(case_no)
    .bind(crate::store::wire_name(from))
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// The states of bundle `parent`'s parts, on `conn` inside the caller's transaction.
pub async fn part_states(
    conn: &mut sqlx::AnyConnection,
    parent: &str,
) -> Result<Vec<CaseState>, HubError> {
    let rows = sqlx::query("SELECT state FROM cases WHERE parent = $1")
        .bind(parent)
        .fetch_all(&mut *conn)
        .await?;
    rows.iter()
        .map(|row| crate::store::from_wire_name(&row.try_get::<String, _>(0)?, "a case's state"))
        .collect()
}

/// Audits an action on case `case_no` (a reviewer's decision, a 补正 supplied at a terminal) by `by`, on
/// `conn` inside the caller's transaction, with what it said (`detail`).
pub async fn record_action(
    conn: &mut sqlx::AnyConnection,
    case_no: &str,
    at_ms: i64,
    by: &str,
    action: &str,
    detail: &serde_json::Value,
) -> Result<(), HubError> {
    sqlx::query(
        "INSERT INTO review_actions (case_no, at_ms, staff_user, action, detail) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(case_no)
    .bind(at_ms)
    .bind(by)
    .bind(action)
    .bind(detail.to_string())
    .execute(&mut *conn)
    .await?;
    crate::audit::append(
        conn,
        &crate::audit::Entry::new(by, &format!("case.{action}"), case_no, &detail.to_string()),
    )
    .await?;
    Ok(())
}
