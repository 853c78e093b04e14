//! The hub's intake of 自助申报: the holder's e-licences (免证办), material pages kept by their content's
//! SHA-256 (a page already held is never sent again), and applications made into cases: checked again
//! against the published form, idempotent on the terminal's id, taken only once every page is here. The
//! 申报编号 the terminal printed becomes the case's number, and the hub's receipt time (T0) starts its clock.

use kiosk_proto::application::{
    sha256_hex, Application, ApplicationReceipt, Date, Elicence, HeldFact, HeldFacts, Prefill,
    MAX_PAGE_BYTES,
};
use kiosk_proto::service::{mask, CaseState, CaseStep, IdNumber};
use kiosk_proto::LocalText;
use sqlx::Row;

use crate::cases::{holder, NewCase};
use crate::store::{from_wire_name, now_ms, wire_name, HubError, Store};

/// The holder's e-licences in the library.
pub async fn elicences_mine(store: &Store, id: &IdNumber) -> Result<Vec<Elicence>, HubError> {
    let rows = sqlx::query(
        "SELECT kind, title_zh, title_en, number, issuer_zh, issuer_en FROM elicences \
         WHERE holder = $1 ORDER BY kind",
    )
    .bind(holder(store, id))
    .fetch_all(store.pool())
    .await?;
    rows.iter()
        .map(|row| {
            Ok(Elicence {
                kind: row.try_get(0)?,
                title: LocalText::new(row.try_get::<String, _>(1)?, row.try_get::<String, _>(2)?),
                number: row.try_get(3)?,
                issuer: LocalText::new(row.try_get::<String, _>(4)?, row.try_get::<String, _>(5)?),
            })
        })
        .collect()
}

/// Puts a licence in the holder's library (the seed; a registry's feed in production).
pub async fn insert_elicence(
    store: &Store,
    id: &IdNumber,
    licence: &Elicence,
) -> Result<(), HubError> {
    sqlx::query(
        "INSERT INTO elicences (holder, kind, title_zh, title_en, number, issuer_zh, issuer_en) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (holder, kind) DO NOTHING",
    )
    .bind(holder(store, id))
    .bind(&licence.kind)
    .bind(&licence.title.zh)
    .bind(&licence.title.en)
    .bind(&licence.number)
    .bind(&licence.issuer.zh)
    .bind(&licence.issuer.en)
    .execute(store.pool())
    .await?;
    Ok(())
}

/// What the hub holds of the holder to prefill forms (facts of a name this hub does not know are skipped).
pub async fn held_facts(store: &Store, id: &IdNumber) -> Result<HeldFacts, HubError> {
    let rows = sqlx::query("SELECT fact, value FROM held_facts WHERE holder = $1 ORDER BY fact")
        .bind(holder(store, id))
        .fetch_all(store.pool())
        .await?;
    let mut facts = Vec::with_capacity(rows.len());
    for row in rows {
        let name: String = row.try_get(0)?;
        if let Ok(fact) = from_wire_name::<Prefill>(&name, "a held fact") {
            if fact.is_held() {
                facts.push(HeldFact {
                    fact,
                    value: row.try_get(1)?,
                });
            }
        }
    }
    Ok(HeldFacts { facts })
}

/// Records a fact of the holder (the seed; the registries' feeds in production), replacing an older one.
pub async fn insert_fact(store: &Store, id: &IdNumber, fact: &HeldFact) -> Result<(), HubError> {
    if !fact.fact.is_held() {
        return Err(HubError::BadRequest(format!(
            "{:?} is not held by the hub",
            fact.fact
        )));
    }
    sqlx::query(
        "INSERT INTO held_facts (holder, fact, value) VALUES ($1, $2, $3) \
         ON CONFLICT (holder, fact) DO UPDATE SET value = excluded.value",
    )
    .bind(holder(store, id))
    .bind(wire_name(fact.fact))
    .bind(&fact.value)
    .execute(store.pool())
    .await?;
    Ok(())
}

fn is_sha256(text: &str) -> bool {
    text.len() == 64
        && text
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// Which of `hashes` the hub does not hold (at most 100 asked at once).
pub async fn missing_pages(store: &Store, hashes: &[String]) -> Result<Vec<String>, HubError> {
    if hashes.len() > 100 {
        return Err(HubError::BadRequest(
            "ask for at most 100 pages at once".into(),
        ));
    }
    let mut missing = Vec::new();
    for hash in hashes {
        if !is_sha256(hash) {
            return Err(HubError::BadRequest(format!(
                "{hash:?} is not a SHA-256 in lower-case hex"
            )));
        }
        let held = sqlx::query("SELECT 1 FROM pages WHERE sha256 = $1")
            .bind(hash)
            .fetch_optional(store.pool())
            .await?
            .is_some();
        if !held && !missing.contains(hash) {
            missing.push(hash.clone());
        }
    }
    Ok(missing)
}

/// What a page's bytes are: JPEG or PNG, by their first bytes.
pub fn image_type(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some("image/jpeg")
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some("image/png")
    } else {
        None
    }
}

/// Stores a page under `sha256` once its content is checked: the hash matches, it is a JPEG or PNG, it is
/// not over [`MAX_PAGE_BYTES`]. Storing a page already held changes nothing.
pub async fn put_page(store: &Store, sha256: &str, bytes: &[u8]) -> Result<bool, HubError> {
    if !is_sha256(sha256) {
        return Err(HubError::BadRequest(
            "the page's name is its SHA-256 in lower-case hex".into(),
        ));
    }
    if bytes.len() > MAX_PAGE_BYTES {
        return Err(HubError::BadRequest(format!(
            "a page is at most {} MB",
            MAX_PAGE_BYTES / 1024 / 1024
        )));
    }
    if image_type(bytes).is_none() {
        return Err(HubError::BadRequest("a page is a JPEG or PNG image".into()));
    }
    if sha256_hex(bytes) != sha256 {
        return Err(HubError::BadRequest(
            "the page's content does not match its SHA-256 (cut short on the way?)".into(),
        ));
    }
    let done = sqlx::query(
        "INSERT INTO pages (sha256, bytes, content, received_ms) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (sha256) DO NOTHING",
    )
    .bind(sha256)
    .bind(bytes.len() as i64)
    .bind(bytes.to_vec())
    .bind(now_ms())
    .execute(store.pool())
    .await?;
    Ok(done.rows_affected() == 1)
}

/// A page's content, when held.
pub async fn page(store: &Store, sha256: &str) -> Result<Option<Vec<u8>>, HubError> {
    let row = sqlx::query("SELECT content FROM pages WHERE sha256 = $1")
        .bind(sha256)
        .fetch_optional(store.pool())
        .await?;
    Ok(match row {
        Some(row) => Some(row.try_get(0)?),
        None => None,
    })
}

/// The day `days` working days after `from` (Saturdays and Sundays skipped; the State Council's holiday
/// calendar is not kept yet).
pub fn working_days_after(from: Date, days: u32) -> Date {
    let mut day = from;
    let mut left = days;
    while left > 0 {
        day = day.add_days(1);
        if !is_weekend(day) {
            left -= 1;
        }
    }
    day
}

fn is_weekend(day: Date) -> bool {
    day.weekday() >= 5
}

/// The receipt of an application already taken.
async fn taken(store: &Store, id: &str) -> Result<Option<ApplicationReceipt>, HubError> {
    receipt_of(
        store,
        "SELECT a.number, a.received_ms, c.state, c.promised_on FROM applications a \
         JOIN cases c ON c.case_no = a.number WHERE a.id = $1",
        id,
    )
    .await
}

/// The receipt `query` finds for the id `id`: its number, receipt time, the case's state and promised day.
pub(crate) async fn receipt_of(
    store: &Store,
    query: &str,
    id: &str,
) -> Result<Option<ApplicationReceipt>, HubError> {
    let row = sqlx::query(query)
        .bind(id)
        .fetch_optional(store.pool())
        .await?;
    let Some(row) = row else { return Ok(None) };
    let state: String = row.try_get(2)?;
    Ok(Some(ApplicationReceipt {
        number: row.try_get(0)?,
        received_ms: row.try_get(1)?,
        state: from_wire_name(&state, "a case's state")?,
        promised_on: row.try_get(3)?,
    }))
}

/// Before an application (or a 补正) is taken: every page it names is here (409 naming those that are
/// not), and its 申报编号 belongs to no other application or 补正 (409).
pub(crate) async fn ready_to_take(
    store: &Store,
    application: &Application,
) -> Result<(), HubError> {
    let hashes: Vec<String> = application.pages().into_iter().map(|p| p.sha256).collect();
    let mut missing = Vec::new();
    for chunk in hashes.chunks(100) {
        missing.extend(missing_pages(store, chunk).await?);
    }
    if !missing.is_empty() {
        return Err(HubError::Conflict(format!(
            "send these pages first: {}",
            missing.join(",")
        )));
    }
    for table in ["applications", "supplements"] {
        let other = sqlx::query(&format!("SELECT 1 FROM {table} WHERE number = $1"))
            .bind(&application.number)
            .fetch_optional(store.pool())
            .await?;
        if other.is_some() {
            return Err(HubError::Conflict(format!(
                "the number {} belongs to another application",
                application.number
            )));
        }
    }
    Ok(())
}

/// Notes that `application`'s pages belong to case `case_no` (in the intake's transaction), for their
/// retention and a person's export (see [`crate::privacy`]).
pub(crate) async fn refer(
    conn: &mut sqlx::AnyConnection,
    case_no: &str,
    application: &Application,
) -> Result<(), HubError> {
    for page in application.pages() {
        sqlx::query(
            "INSERT INTO page_refs (sha256, case_no) VALUES ($1, $2) ON CONFLICT (sha256, case_no) DO NOTHING",
        )
        .bind(&page.sha256)
        .bind(case_no)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// Takes an application from `device_id`: the case it made, at once if it was taken before.
pub async fn intake(
    store: &Store,
    device_id: &str,
    application: &Application,
) -> Result<ApplicationReceipt, HubError> {
    if let Some(receipt) = taken(store, &application.id).await? {
        return Ok(receipt);
    }
    let catalogue = crate::catalogue::published(store).await?;
    let service = catalogue.service(&application.service_id).ok_or_else(|| {
        HubError::BadRequest(format!(
            "no service {} in the catalogue",
            application.service_id
        ))
    })?;
    let form = service.application.as_ref().ok_or_else(|| {
        HubError::BadRequest(format!(
            "service {} cannot be applied for at a terminal",
            application.service_id
        ))
    })?;
    let received = now_ms();
    application
        .check(form, Date::china(received))
        .map_err(HubError::BadRequest)?;
    if !kiosk_proto::fields::id_number_is_valid(&application.applicant.0) {
        return Err(HubError::BadRequest(
            "the applicant's ID number does not check".into(),
        ));
    }
    if service.enterprise && application.completes.is_none() {
        crate::enterprises::check_representative(store, form, application).await?;
    }
    ready_to_take(store, application).await?;
    let promised_on = working_days_after(Date::china(received), service.promised_days).to_string();
    let case = NewCase {
        case_no: application.number.clone(),
        holder_id: application.applicant.clone(),
        service_id: service.id.clone(),
        service: service.name.clone(),
        hall: device_hall(store, device_id).await?,
        applicant: mask_name(&application.applicant_masked),
        promised_on: promised_on.clone(),
        timeline: vec![CaseStep {
            state: CaseState::Submitted,
            at_ms: received,
            note: Some(LocalText::new(
                "在 24 小时自助终端申报，已送达，等待受理。",
                "Applied for at a 24-hour terminal; received, waiting to be accepted.",
            )),
        }],
    };
    let body = serde_json::to_string(application).expect("an application serialises");
    let mut tx = store.pool().begin().await?;
    let done = sqlx::query(
        "INSERT INTO applications (id, number, device_id, service_id, body, received_ms, department) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (id) DO NOTHING",
    )
    .bind(&application.id)
    .bind(&application.number)
    .bind(device_id)
    .bind(&application.service_id)
    .bind(&body)
    .bind(received)
    .bind(&service.department.zh)
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() == 0 {
        // The same application arrived twice at once: the other request made the case.
        tx.rollback().await?;
        return taken(store, &application.id).await?.ok_or_else(|| {
            HubError::Conflict("the application is being taken; send it again".into())
        });
    }
    crate::cases::insert_with(store, &mut tx, &case).await?;
    refer(&mut tx, &application.number, application).await?;
    // 一件事: a child case a department, each reviewed by its own; the citizen sees the parent.
    for (n, part) in form.bundle.iter().enumerate() {
        let (department, matter) = kiosk_proto::application::bundle_part(part);
        let number = format!("{}-{}", application.number, n + 1);
        let child = NewCase {
            case_no: number.clone(),
            service: LocalText::new(
                format!("{} · {}", service.name.zh, matter.zh),
                format!("{} · {}", service.name.en, matter.en),
            ),
            timeline: vec![CaseStep {
                state: CaseState::Submitted,
                at_ms: received,
                note: Some(LocalText::new(
                    format!("一件事联办：已分送{department}。"),
                    format!("One-thing bundle: sent to {department}."),
                )),
            }],
            ..case.clone()
        };
        crate::cases::insert_with(store, &mut tx, &child).await?;
        sqlx::query("UPDATE cases SET parent = $1 WHERE case_no = $2")
            .bind(&application.number)
            .bind(&number)
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO applications (id, number, device_id, service_id, body, received_ms, department) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(format!("{}-{}", application.id, n + 1))
        .bind(&number)
        .bind(device_id)
        .bind(&application.service_id)
        .bind(&body)
        .bind(received)
        .bind(&department)
        .execute(&mut *tx)
        .await?;
        refer(&mut tx, &number, application).await?;
    }
    tx.commit().await?;
    tracing::info!(device = %device_id, service = %application.service_id, number = %application.number, "application taken");
    Ok(ApplicationReceipt {
        number: application.number.clone(),
        state: CaseState::Submitted,
        received_ms: received,
        promised_on,
    })
}

/// A masked name as the terminal sent it, masked again here (the hub never keeps a whole name).
fn mask_name(name: &str) -> String {
    if name.contains('*') {
        name.chars().take(20).collect()
    } else {
        mask(name, 1, 0)
    }
}

async fn device_hall(store: &Store, device_id: &str) -> Result<String, HubError> {
    let row = sqlx::query("SELECT hall FROM devices WHERE device_id = $1")
        .bind(device_id)
        .fetch_optional(store.pool())
        .await?;
    Ok(match row {
        Some(row) => row.try_get(0)?,
        None => String::new(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn promised_days_skip_weekends() {
        // 2026-12-04 is a Friday.
        let friday = Date::new(2026, 12, 4).unwrap();
        assert_eq!(working_days_after(friday, 1).to_string(), "2026-12-07");
        assert_eq!(working_days_after(friday, 5).to_string(), "2026-12-11");
        assert_eq!(working_days_after(friday, 0).to_string(), "2026-12-04");
        assert!(is_weekend(Date::new(2026, 12, 6).unwrap()));
        assert!(!is_weekend(Date::new(2026, 12, 7).unwrap()));
    }

    #[test]
    fn pages_are_known_by_their_first_bytes() {
        assert_eq!(image_type(&[0xFF, 0xD8, 0xFF, 0xE0]), Some("image/jpeg"));
        assert_eq!(image_type(b"\x89PNG\r\n\x1a\n...."), Some("image/png"));
        assert_eq!(image_type(b"GIF89a"), None);
    }
}
