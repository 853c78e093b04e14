//! Personal data at the hub (个人信息保护法, PIPL):
//!
//! - **Retention.** A case's material pages (the photographs of documents an applicant gave) are deleted a
//!   configured number of days after the case ended (办结, 不予许可, 不予受理, 已领取): [`sweep`], run by
//!   `kiosk-hub serve` every hour and by `kiosk-hub privacy sweep`. A page two cases share goes with the
//!   last of them. The case itself, its decisions and its timeline stay: they are the administrative
//!   record.
//! - **A person's rights.** [`export`] gathers everything the hub holds about one ID number (cases,
//!   applications with their form values, supplements, material pages, ratings of their cases, documents,
//!   e-licences and facts of the library) for the person to take away; [`erase`] deletes what the hub
//!   collected from them through the terminals (applications, supplements, pages, ratings) once every case
//!   of theirs has ended, and unlinks the cases from the ID number (their holder keys are replaced, the
//!   applicant's masked name cleared), so no lookup by the card finds them again. What other authorities
//!   issued (documents, e-licences, library facts) is theirs to keep and is left; the answer says so.
//!
//! The ID number is only ever used to compute the holder key (a peppered hash, as every lookup does); it is
//! never logged nor written to the audit chain, which records each sweep and erasure with counts only.

use std::collections::BTreeSet;

use kiosk_proto::application::Application;
use kiosk_proto::service::IdNumber;
use serde::Serialize;
use sqlx::Row;

use crate::store::{now_ms, HubError, Store};

/// How long an ended case's material pages are kept unless `--keep-materials-days` says otherwise.
pub const DEFAULT_KEEP_DAYS: u32 = 180;

/// The states a case ends in (its pages' retention runs from then).
pub const ENDED: [&str; 4] = ["approved", "refused", "not_accepted", "collected"];

const DAY_MS: i64 = 24 * 3600 * 1000;

/// The setting that says every application taken before the page index existed is indexed.
const INDEXED: &str = "page_refs_indexed";

/// Applications (or supplements) read at once while the earlier ones are indexed: a province's hub holds
/// too many, of up to 256 KB each, to read in one go.
const INDEX_BATCH: i64 = 200;

/// Indexes the pages of applications and supplements taken before the index existed (once), a batch at a
/// time. A body that does not parse is logged and left out (its pages are then kept, never deleted).
async fn index_earlier(store: &Store) -> Result<(), HubError> {
    let done = sqlx::query("SELECT 1 FROM settings WHERE name = $1")
        .bind(INDEXED)
        .fetch_optional(store.pool())
        .await?;
    if done.is_some() {
        return Ok(());
    }
    for (table, case_column) in [("applications", "number"), ("supplements", "case_no")] {
        let sql = format!(
            "SELECT id, {case_column}, body FROM {table} WHERE id > $1 ORDER BY id LIMIT {INDEX_BATCH}"
        );
        let mut after = String::new();
        loop {
            let rows = sqlx::query(&sql)
                .bind(&after)
                .fetch_all(store.pool())
                .await?;
            let Some(last) = rows.last() else { break };
            after = last.try_get(0)?;
            let mut tx = store.pool().begin().await?;
            for row in &rows {
                let case_no: String = row.try_get(1)?;
                let body: String = row.try_get(2)?;
                match parse(&case_no, &body) {
                    Ok(application) => {
                        crate::applications::refer(&mut tx, &case_no, &application).await?
                    }
                    Err(error) => {
                        tracing::error!(%error, case = case_no, "its pages are not indexed (kept)")
                    }
                }
            }
            tx.commit().await?;
        }
    }
    sqlx::query("INSERT INTO settings (name, value) VALUES ($1, 1) ON CONFLICT (name) DO NOTHING")
        .bind(INDEXED)
        .execute(store.pool())
        .await?;
    Ok(())
}

fn parse(case_no: &str, body: &str) -> Result<Application, HubError> {
    serde_json::from_str(body)
        .map_err(|e| crate::store::damaged(format!("an application of {case_no}: {e}")))
}

/// What a sweep deleted.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Swept {
    /// Ended cases whose retention ran out (their materials are gone now).
    pub cases: u64,
    /// Pages deleted (a page still held by another case stays).
    pub pages: u64,
    pub bytes: i64,
}

/// Deletes the material pages of every case that ended more than `keep_days` days before `now_ms`; 0 keeps
/// them for ever (as `serve --keep-materials-days 0` says), and deletes nothing.
pub async fn sweep(store: &Store, keep_days: u32, now_ms: i64) -> Result<Swept, HubError> {
    if keep_days == 0 {
        return Ok(Swept::default());
    }
    index_earlier(store).await?;
    let cutoff = now_ms - i64::from(keep_days) * DAY_MS;
    let marks = ENDED
        .iter()
        .enumerate()
        .map(|(i, _)| format!("${}", i + 2))
        .collect::<Vec<_>>()
        .join(", ");
    let sql = format!(
        "SELECT case_no FROM cases WHERE updated_ms < $1 AND state IN ({marks}) \
         AND materials_deleted_ms IS NULL AND EXISTS (SELECT 1 FROM page_refs r WHERE r.case_no = cases.case_no)"
    );
    let mut query = sqlx::query(&sql).bind(cutoff);
    for state in ENDED {
        query = query.bind(state);
    }
    let due: Vec<String> = query
        .fetch_all(store.pool())
        .await?
        .iter()
        .map(|row| row.try_get(0))
        .collect::<Result<_, _>>()?;
    let mut swept = Swept::default();
    for case_no in &due {
        let mut tx = store.pool().begin().await?;
        let (pages, bytes) = drop_pages(&mut tx, case_no).await?;
        sqlx::query("UPDATE cases SET materials_deleted_ms = $1 WHERE case_no = $2")
            .bind(now_ms)
            .bind(case_no)
            .execute(&mut *tx)
            .await?;
        crate::audit::append(
            &mut tx,
            &crate::audit::Entry::new(
                "hub",
                "privacy.materials_deleted",
                case_no,
                &format!("{pages} pages, {keep_days} days after the case ended"),
            ),
        )
        .await?;
        tx.commit().await?;
        swept.cases += 1;
        swept.pages += pages;
        swept.bytes += bytes;
    }
    if swept.cases > 0 {
        tracing::info!(
            cases = swept.cases,
            pages = swept.pages,
            bytes = swept.bytes,
            keep_days,
            "materials past their retention deleted"
        );
    }
    Ok(swept)
}

/// Unlinks case `case_no` from its pages and deletes each page no other case holds: how many, and their
/// bytes.
async fn drop_pages(conn: &mut sqlx::AnyConnection, case_no: &str) -> Result<(u64, i64), HubError> {
    let hashes: Vec<String> = sqlx::query("SELECT sha256 FROM page_refs WHERE case_no = $1")
        .bind(case_no)
        .fetch_all(&mut *conn)
        .await?
        .iter()
        .map(|row| row.try_get(0))
        .collect::<Result<_, _>>()?;
    sqlx::query("DELETE FROM page_refs WHERE case_no = $1")
        .bind(case_no)
        .execute(&mut *conn)
        .await?;
    let (mut pages, mut bytes) = (0, 0);
    for sha256 in hashes {
        let gone = sqlx::query(
            "DELETE FROM pages WHERE sha256 = $1 AND NOT EXISTS (SELECT 1 FROM page_refs WHERE sha256 = $1) \
             RETURNING bytes",
        )
        .bind(&sha256)
        .fetch_optional(&mut *conn)
        .await?;
        if let Some(row) = gone {
            pages += 1;
            bytes += row.try_get::<i64, _>(0)?;
        }
    }
    Ok((pages, bytes))
}

/// Everything the hub holds about one person, as `kiosk-hub privacy export` writes it.
#[derive(Debug, Serialize)]
pub struct Export {
    pub exported_ms: i64,
    pub cases: Vec<kiosk_proto::service::CaseDetail>,
    /// The applications and supplements as the terminals sent them (form values, materials, signature).
    pub applications: Vec<Application>,
    pub supplements: Vec<Application>,
    /// The material pages still held (their bytes go to files when asked).
    pub pages: Vec<ExportedPage>,
    pub ratings: Vec<serde_json::Value>,
    pub documents: Vec<kiosk_proto::service::DocumentEntry>,
    pub elicences: Vec<kiosk_proto::application::Elicence>,
    pub held_facts: kiosk_proto::application::HeldFacts,
    /// Their account on the sign-in code page (亮码): the name it carries and when it was made.
    pub sign_in_account: Option<crate::signin::Account>,
    /// The enterprises the registry lists them as the legal representative of (public registry facts).
    pub enterprises: Vec<kiosk_proto::enterprise::Enterprise>,
}

#[derive(Debug, Serialize)]
pub struct ExportedPage {
    pub case_no: String,
    pub sha256: String,
    pub bytes: i64,
    /// `image/jpeg` or `image/png`.
    pub kind: String,
    #[serde(skip)]
    pub content: Vec<u8>,
}

/// The case numbers of `id`'s cases (bundles' parts included), oldest first.
async fn case_numbers(store: &Store, id: &IdNumber) -> Result<Vec<String>, HubError> {
    sqlx::query("SELECT case_no FROM cases WHERE holder = $1 ORDER BY submitted_ms, case_no")
        .bind(crate::cases::holder(store, id))
        .fetch_all(store.pool())
        .await?
        .iter()
        .map(|row| row.try_get(0).map_err(HubError::from))
        .collect()
}

/// Everything the hub holds about the holder of `id`.
pub async fn export(store: &Store, id: &IdNumber) -> Result<Export, HubError> {
    index_earlier(store).await?;
    let numbers = case_numbers(store, id).await?;
    let mut export = Export {
        exported_ms: now_ms(),
        cases: Vec::new(),
        applications: Vec::new(),
        supplements: Vec::new(),
        pages: Vec::new(),
        ratings: Vec::new(),
        documents: crate::documents::mine(store, id).await?,
        elicences: crate::applications::elicences_mine(store, id).await?,
        held_facts: crate::applications::held_facts(store, id).await?,
        sign_in_account: crate::signin::account(store, &id.0).await?,
        enterprises: crate::enterprises::mine(store, id).await?,
    };
    let mut seen = BTreeSet::new();
    for number in &numbers {
        if let Some(case) = crate::cases::by_number(store, number).await? {
            export.cases.push(case);
        }
        for (table, column, into) in [
            ("applications", "number", &mut export.applications),
            ("supplements", "case_no", &mut export.supplements),
        ] {
            // The parts of a bundle carry the bundle's form again: it is exported once.
            let rows = sqlx::query(&format!("SELECT id, body FROM {table} WHERE {column} = $1"))
                .bind(number)
                .fetch_all(store.pool())
                .await?;
            for row in rows {
                let body: String = row.try_get(1)?;
                let application = parse(number, &body)?;
                if seen.insert(application.id.clone()) {
                    into.push(application);
                }
            }
        }
        let pages = sqlx::query(
            "SELECT p.sha256, p.bytes, p.content FROM page_refs r JOIN pages p ON p.sha256 = r.sha256 \
             WHERE r.case_no = $1 ORDER BY p.sha256",
        )
        .bind(number)
        .fetch_all(store.pool())
        .await?;
        for row in pages {
            let content: Vec<u8> = row.try_get(2)?;
            export.pages.push(ExportedPage {
                case_no: number.clone(),
                sha256: row.try_get(0)?,
                bytes: row.try_get(1)?,
                kind: crate::applications::image_type(&content)
                    .unwrap_or("application/octet-stream")
                    .to_string(),
                content,
            });
        }
        let ratings = sqlx::query(
            "SELECT service, level, tags, hall, occurred_ms FROM ratings WHERE case_no = $1",
        )
        .bind(number)
        .fetch_all(store.pool())
        .await?;
        for row in ratings {
            let tags: String = row.try_get(2)?;
            export.ratings.push(serde_json::json!({
                "case_no": number,
                "service": row.try_get::<String, _>(0)?,
                "level": row.try_get::<i64, _>(1)?,
                "tags": serde_json::from_str::<serde_json::Value>(&tags).unwrap_or_default(),
                "hall": row.try_get::<String, _>(3)?,
                "occurred_ms": row.try_get::<i64, _>(4)?,
            }));
        }
    }
    crate::audit::record(
        store,
        &crate::audit::Entry::new(
            "cli",
            "privacy.exported",
            "",
            &format!(
                "{} cases, {} applications, {} pages",
                export.cases.len(),
                export.applications.len(),
                export.pages.len()
            ),
        ),
    )
    .await?;
    Ok(export)
}

/// What an erasure deleted.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Erased {
    /// Cases unlinked from the ID number (kept as the administrative record, without the person).
    pub cases: u64,
    pub applications: u64,
    pub supplements: u64,
    pub pages: u64,
    pub ratings: u64,
    /// The person's account on the sign-in code page (亮码).
    pub accounts: u64,
}

/// Deletes what the hub collected from the holder of `id` (see the module's note); refused while a case of
/// theirs is still being handled, naming it.
pub async fn erase(store: &Store, id: &IdNumber) -> Result<Erased, HubError> {
    index_earlier(store).await?;
    let numbers = case_numbers(store, id).await?;
    let mut open = Vec::new();
    for number in &numbers {
        let state: String = sqlx::query("SELECT state FROM cases WHERE case_no = $1")
            .bind(number)
            .fetch_one(store.pool())
            .await?
            .try_get(0)?;
        if !ENDED.contains(&state.as_str()) {
            open.push(number.clone());
        }
    }
    if !open.is_empty() {
        return Err(HubError::Conflict(format!(
            "cases still being handled: {}; they are erased once decided (or withdrawn at a counter)",
            open.join(", ")
        )));
    }
    let mut erased = Erased::default();
    let mut tx = store.pool().begin().await?;
    for number in &numbers {
        let (pages, _) = drop_pages(&mut tx, number).await?;
        erased.pages += pages;
        erased.applications += sqlx::query("DELETE FROM applications WHERE number = $1")
            .bind(number)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        erased.supplements += sqlx::query("DELETE FROM supplements WHERE case_no = $1")
            .bind(number)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        erased.ratings += sqlx::query("DELETE FROM ratings WHERE case_no = $1")
            .bind(number)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        // Kept as the record of what the office decided, but no longer anyone's: a key nothing hashes to.
        let unlinked = format!("erased:{}", crate::store::random_hex::<16>());
        sqlx::query(
            "UPDATE cases SET holder = $1, tail = $1, applicant = '', materials_deleted_ms = $2 \
             WHERE case_no = $3",
        )
        .bind(&unlinked)
        .bind(now_ms())
        .bind(number)
        .execute(&mut *tx)
        .await?;
        erased.cases += 1;
    }
    crate::audit::append(
        &mut tx,
        &crate::audit::Entry::new(
            "cli",
            "privacy.erased",
            "",
            &format!(
                "{} cases unlinked, {} applications, {} supplements, {} pages, {} ratings",
                erased.cases, erased.applications, erased.supplements, erased.pages, erased.ratings
            ),
        ),
    )
    .await?;
    tx.commit().await?;
    erased.accounts = crate::signin::remove_account(store, &id.0).await?;
    tracing::info!(
        cases = erased.cases,
        pages = erased.pages,
        "a person's records erased"
    );
    Ok(erased)
}
