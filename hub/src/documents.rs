//! A holder's printable documents, print claims under the reprint policy of each document kind, and the
//! public check of a licence's QR code.
//!
//! A claim counts a copy against the day's policy the moment it is granted; the terminal reports the end
//! through the event ingest: a failed print gives the copy back, printed and unknown keep it counted (an
//! unknown copy may be lying in the slot).

use kiosk_proto::document::Document;
use kiosk_proto::service::{
    ClaimEnd, ClaimOutcome, ClaimReply, ClaimRequest, DocumentEntry, IdNumber, SignedDocument,
    VerifyReply,
};
use kiosk_proto::verify::Voucher;
use sqlx::Row;

use crate::store::{now_ms, HubError, Store};
use crate::tickets::china_day;

/// Stores `document` for the holder of `id` (the seed and the back office).
pub async fn insert(
    store: &Store,
    id: &IdNumber,
    issuer: &str,
    document: &Document,
) -> Result<(), HubError> {
    let mut conn = store.pool().acquire().await?;
    insert_with(store, &mut conn, id, issuer, document).await
}

/// [`insert`] on `conn` (inside the caller's transaction: a result issued with its decision).
pub async fn insert_with(
    store: &Store,
    conn: &mut sqlx::AnyConnection,
    id: &IdNumber,
    issuer: &str,
    document: &Document,
) -> Result<(), HubError> {
    document
        .check()
        .map_err(|e| HubError::BadRequest(format!("document {}: {e}", document.id)))?;
    sqlx::query(
        "INSERT INTO documents (id, holder, kind, title, issuer, body, issued_ms) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (id) DO UPDATE SET body = excluded.body, \
         title = excluded.title",
    )
    .bind(&document.id)
    .bind(crate::cases::holder(store, id))
    .bind(crate::store::wire_name(document.kind))
    .bind(&document.title)
    .bind(issuer)
    .bind(serde_json::to_string(document).expect("a document serialises"))
    .bind(now_ms())
    .execute(conn)
    .await?;
    Ok(())
}

/// Copies of document `d` that count on day `$2`: granted and not reported failed.
const COPIES: &str = "(SELECT COUNT(*) FROM claims c WHERE c.document_id = d.id AND c.day = $2 \
                      AND (c.outcome IS NULL OR c.outcome <> 'failed'))";

/// The holder's documents with today's copies and the policy.
pub async fn mine(store: &Store, id: &IdNumber) -> Result<Vec<DocumentEntry>, HubError> {
    let day = china_day(now_ms());
    let rows = sqlx::query(&format!(
        "SELECT d.id, d.kind, d.title, d.issuer, COALESCE(p.per_day, 0), {COPIES}, d.body \
         FROM documents d LEFT JOIN reprint_policies p ON p.kind = d.kind \
         WHERE d.holder = $1 ORDER BY d.issued_ms DESC, d.id"
    ))
    .bind(crate::cases::holder(store, id))
    .bind(&day)
    .fetch_all(store.pool())
    .await?;
    rows.iter()
        .map(|row| {
            let kind: String = row.try_get(1)?;
            Ok(DocumentEntry {
                id: row.try_get(0)?,
                kind: crate::store::from_wire_name(&kind, "document kind")?,
                title: row.try_get(2)?,
                issuer: row.try_get(3)?,
                daily_limit: row.try_get::<i64, _>(4)?.clamp(0, u32::MAX as i64) as u32,
                printed_today: row.try_get::<i64, _>(5)?.clamp(0, u32::MAX as i64) as u32,
                enterprise: enterprise_of(&row.try_get::<String, _>(6)?),
            })
        })
        .collect()
}

/// The 统一社会信用代码 a document names (a business licence's), if it names a valid one.
fn enterprise_of(body: &str) -> Option<String> {
    let document: Document = serde_json::from_str(body).ok()?;
    document.blocks.iter().find_map(|block| match block {
        kiosk_proto::document::Block::Rows { rows } => rows.iter().find_map(|row| {
            (row.key.trim() == "统一社会信用代码" && kiosk_proto::fields::uscc_is_valid(&row.value))
                .then(|| row.value.clone())
        }),
        _ => None,
    })
}

/// Grants a copy of the document to the holder at `device_id`, or says the day's limit is reached.
pub async fn claim(
    store: &Store,
    device_id: &str,
    request: &ClaimRequest,
) -> Result<ClaimReply, HubError> {
    let now = now_ms();
    let day = china_day(now);
    let mut tx = store.pool().begin().await?;
    // The policy row is written first so the transaction holds the lock that orders concurrent claims
    // (SQLite: the write lock; PostgreSQL: the row), and the count below cannot race another claim.
    let row = sqlx::query(
        "UPDATE reprint_policies SET per_day = per_day \
         WHERE kind = (SELECT kind FROM documents WHERE id = $1 AND holder = $2) RETURNING per_day",
    )
    .bind(&request.document_id)
    .bind(crate::cases::holder(store, &request.id_number))
    .fetch_optional(&mut *tx)
    .await?;
    let Some(row) = row else {
        return Err(HubError::NotFound(
            "the card holder has no document with this id".into(),
        ));
    };
    let limit = row.try_get::<i64, _>(0)?.max(0);
    let counted: i64 = sqlx::query(&format!("SELECT {COPIES} FROM documents d WHERE d.id = $1"))
        .bind(&request.document_id)
        .bind(&day)
        .fetch_one(&mut *tx)
        .await?
        .try_get(0)?;
    if counted >= limit {
        return Ok(ClaimReply::LimitReached {
            printed_today: counted as u32,
            daily_limit: limit as u32,
            next_day: china_day(now + 86_400_000),
        });
    }
    let claim_id = crate::store::random_hex::<16>();
    sqlx::query(
        "INSERT INTO claims (claim_id, document_id, device_id, day, claimed_ms) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(&claim_id)
    .bind(&request.document_id)
    .bind(device_id)
    .bind(&day)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    let body: String = sqlx::query("SELECT body FROM documents WHERE id = $1")
        .bind(&request.document_id)
        .fetch_one(&mut *tx)
        .await?
        .try_get(0)?;
    tx.commit().await?;
    let document = Document::from_json(&body)
        .map_err(|e| crate::store::damaged(format!("document {}: {e}", request.document_id)))?;
    Ok(ClaimReply::Granted {
        claim_id,
        copy: counted as u32 + 1,
        daily_limit: limit as u32,
        document: SignedDocument::sign(&document, store.signing_key()),
    })
}

/// Records how a claimed print ended (inside the ingest's transaction); a claim's first report stands.
pub async fn end_claim(
    tx: &mut sqlx::AnyConnection,
    device_id: &str,
    end: &ClaimEnd,
    received_ms: i64,
) -> Result<(), HubError> {
    let outcome = match end.outcome {
        ClaimOutcome::Printed => "printed",
        ClaimOutcome::Failed => "failed",
        ClaimOutcome::Unknown => "unknown",
    };
    sqlx::query(
        "UPDATE claims SET outcome = $1, reported_ms = $2 \
         WHERE claim_id = $3 AND device_id = $4 AND outcome IS NULL",
    )
    .bind(outcome)
    .bind(received_ms)
    .bind(&end.claim_id)
    .bind(device_id)
    .execute(tx)
    .await?;
    Ok(())
}

/// Checks a licence's QR text: the hub's signature, and the document still on record.
pub async fn verify(store: &Store, code: &str) -> Result<VerifyReply, HubError> {
    let refused = |reason: String| VerifyReply {
        valid: false,
        reason: Some(reason),
        document_id: None,
        title: None,
        issuer: None,
        issued: None,
        until: None,
        fields: Vec::new(),
    };
    if code.len() > kiosk_proto::document::MAX_QR_BYTES {
        return Ok(refused("the code is too long to be a licence code".into()));
    }
    // A code carries no key id: any key of this hub's, current or retired, may have signed it.
    let mut checked = store
        .verifying_keys()
        .into_iter()
        .map(|key| Voucher::verify(code, &key));
    let first = checked.next().expect("the current key");
    let voucher = match first {
        Ok(voucher) => voucher,
        Err(error) => match checked.find_map(Result::ok) {
            Some(voucher) => voucher,
            None => return Ok(refused(error.to_string())),
        },
    };
    let known = sqlx::query("SELECT 1 FROM documents WHERE id = $1")
        .bind(&voucher.id)
        .fetch_optional(store.pool())
        .await?
        .is_some();
    Ok(VerifyReply {
        valid: known,
        reason: (!known)
            .then(|| "signed by this hub, but the document is no longer on record".into()),
        document_id: Some(voucher.id),
        title: Some(voucher.title),
        issuer: Some(voucher.issuer),
        issued: Some(voucher.issued),
        until: Some(voucher.until),
        fields: voucher.fields,
    })
}
