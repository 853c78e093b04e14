//! 亮码 at the hub. The citizen's government app shows a dynamic code that names its holder; here a phone
//! page stands in for that app (`/id/{token}`, one account per person, added with `kiosk-hub citizen add`
//! or seeded for the demo's card holders). Each code is signed with the hub's key, lives
//! [`MAX_LIFE_MS`], and carries a fresh nonce; a terminal that scanned one checks it itself, then asks here
//! to take it (`POST /v1/codes/redeem`), and a code is taken once: a copy shown again is refused.

use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::Json;
use kiosk_proto::signin::{Claim, CodeProblem, Redeem, MAX_LIFE_MS};
use sqlx::Row;

use crate::http::{Body, Device, Failure, Hub};
use crate::store::{now_ms, random_hex, sha256_hex, HubError, Store};

/// The salt of the holder key an app account is found by (the privacy commands).
const HOLDER_SALT: &str = "citizen-app";

/// What the phone page says of a token that names no account.
const UNKNOWN: &str = "no such account: open the link the service gave you again";

/// A new app account for `id_number` (a valid resident ID number) named `name`: the page's token. An
/// earlier account of the same person is replaced (its link stops working).
pub async fn add_account(store: &Store, id_number: &str, name: &str) -> Result<String, HubError> {
    let id_number = id_number.trim().to_uppercase();
    if !kiosk_proto::fields::id_number_is_valid(&id_number) {
        return Err(HubError::BadRequest(
            "the ID number is not a valid resident ID number".into(),
        ));
    }
    let name = name.trim();
    if !(1..=64).contains(&name.chars().count()) || name.chars().any(char::is_control) {
        return Err(HubError::BadRequest(
            "the name is 1 to 64 characters, none a control character".into(),
        ));
    }
    let token = random_hex::<16>();
    let holder = store.holder_key(HOLDER_SALT, &id_number);
    let mut tx = store.pool().begin().await?;
    sqlx::query("DELETE FROM citizen_apps WHERE holder = $1")
        .bind(&holder)
        .execute(&mut *tx)
        .await?;
    sqlx::query(
        "INSERT INTO citizen_apps (token_hash, holder, id_number, name, created_ms) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(sha256_hex(&token))
    .bind(&holder)
    .bind(&id_number)
    .bind(name)
    .bind(now_ms())
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    tracing::info!("a citizen app account added");
    Ok(token)
}

/// A person's account on the sign-in code page, as their export shows it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Account {
    pub name: String,
    pub created_ms: i64,
}

/// `id_number`'s app account, if they have one.
pub async fn account(store: &Store, id_number: &str) -> Result<Option<Account>, HubError> {
    let row = sqlx::query("SELECT name, created_ms FROM citizen_apps WHERE holder = $1")
        .bind(store.holder_key(HOLDER_SALT, id_number))
        .fetch_optional(store.pool())
        .await?;
    row.map(|row| {
        Ok(Account {
            name: row.try_get(0)?,
            created_ms: row.try_get(1)?,
        })
    })
    .transpose()
}

/// Deletes `id_number`'s app account (the privacy command's erasure): how many went.
pub async fn remove_account(store: &Store, id_number: &str) -> Result<u64, HubError> {
    Ok(sqlx::query("DELETE FROM citizen_apps WHERE holder = $1")
        .bind(store.holder_key(HOLDER_SALT, id_number))
        .execute(store.pool())
        .await?
        .rows_affected())
}

/// A fresh code for the account of `token`, made at `now`: its text and its claim.
pub async fn issue(store: &Store, token: &str, now: i64) -> Result<(String, Claim), HubError> {
    if token.len() != 32 {
        return Err(HubError::NotFound(UNKNOWN.into()));
    }
    let row = sqlx::query("SELECT id_number, name FROM citizen_apps WHERE token_hash = $1")
        .bind(sha256_hex(token))
        .fetch_optional(store.pool())
        .await?
        .ok_or_else(|| HubError::NotFound(UNKNOWN.into()))?;
    let claim = Claim {
        nonce: random_hex::<16>(),
        id: row.try_get(0)?,
        name: row.try_get(1)?,
        iat: now,
        exp: now + MAX_LIFE_MS,
    };
    Ok((claim.sign(store.signing_key()), claim))
}

/// Takes `code` for `device_id` at `now`: checked against the hub's keys (the current and the retired)
/// and its minute, and taken once. A copy shown again, on this terminal or another, is refused.
pub async fn redeem(store: &Store, device_id: &str, code: &str, now: i64) -> Result<(), HubError> {
    let claim = Claim::verify(code, &store.verifying_keys(), now).map_err(|problem| {
        tracing::warn!(%device_id, %problem, "a sign-in code refused");
        refusal(problem)
    })?;
    let taken = sqlx::query(
        "INSERT INTO used_codes (nonce, device_id, used_ms, expires_ms) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (nonce) DO NOTHING",
    )
    .bind(&claim.nonce)
    .bind(device_id)
    .bind(now)
    .bind(claim.exp)
    .execute(store.pool())
    .await?
    .rows_affected();
    if taken == 0 {
        tracing::warn!(%device_id, "a sign-in code shown again was refused");
        return Err(refusal(CodeProblem::Used));
    }
    tracing::info!(%device_id, "a sign-in code taken");
    Ok(())
}

/// The answer a terminal reads the problem back from ([`CodeProblem::from_status`]).
fn refusal(problem: CodeProblem) -> HubError {
    let why = problem.to_string();
    match problem {
        CodeProblem::Used => HubError::Conflict(why),
        CodeProblem::Expired => HubError::Gone(why),
        _ => HubError::BadRequest(why),
    }
}

/// Forgets the codes that can no longer be shown (an hour after their minute): a replay of one is
/// refused as expired anyway.
pub async fn sweep_used(store: &Store, now: i64) -> Result<u64, HubError> {
    Ok(sqlx::query("DELETE FROM used_codes WHERE expires_ms < $1")
        .bind(now - 3_600_000)
        .execute(store.pool())
        .await?
        .rows_affected())
}

#[utoipa::path(post, path = "/v1/codes/redeem", tag = "citizens", request_body = Redeem,
    security(("device" = [])),
    responses(
        (status = 204, description = "the code is genuine, within its minute, and taken now (never again)"),
        (status = 400, description = "not a code, damaged, or not signed by this hub", body = kiosk_proto::fleet::ApiError),
        (status = 401, description = "missing or wrong credential (empty body)"),
        (status = 409, description = "the code was taken already (a copy shown again)", body = kiosk_proto::fleet::ApiError),
        (status = 410, description = "the code's minute has passed", body = kiosk_proto::fleet::ApiError),
        (status = 413, description = "body over 256 KB", body = kiosk_proto::fleet::ApiError),
        (status = 500, description = "database failure (the hub's log has the cause)", body = kiosk_proto::fleet::ApiError),
    ))]
pub async fn redeem_route(
    State(hub): State<Hub>,
    Device(device): Device,
    Body(request): Body<Redeem>,
) -> Result<StatusCode, Failure> {
    redeem(&hub.store, &device, &request.code, now_ms()).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The phone page (an unknown token gets it too: it says so in the citizen's words).
pub async fn page() -> Html<&'static str> {
    Html(include_str!("../phone/id.html"))
}

pub async fn script() -> impl IntoResponse {
    crate::http::script(include_str!("../phone/id.js"))
}

/// A fresh code for the page: its text, the QR as SVG, the holder's masked name, until when.
pub async fn code(State(hub): State<Hub>, Path(token): Path<String>) -> Result<Response, Failure> {
    let now = now_ms();
    let (text, claim) = issue(&hub.store, &token, now).await?;
    let svg = qrcode::QrCode::with_error_correction_level(text.as_bytes(), qrcode::EcLevel::L)
        .map_err(|e| HubError::BadRequest(format!("the code does not fit a QR: {e}")))?
        .render::<qrcode::render::svg::Color>()
        .min_dimensions(280, 280)
        .quiet_zone(true)
        .build();
    let body = serde_json::json!({
        "code": text,
        "svg": svg,
        "name": kiosk_proto::service::mask(&claim.name, 1, 0),
        "id": kiosk_proto::service::mask(&claim.id, 4, 4),
        "issued_ms": claim.iat,
        "expires_ms": claim.exp,
        "now_ms": now,
    });
    // A code is never kept by a cache on the way.
    Ok(([(header::CACHE_CONTROL, "no-store")], Json(body)).into_response())
}
