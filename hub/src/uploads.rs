//! 手机扫码上传: a one-time page on the hub for the citizen's phone, bound to the terminal that asked, its
//! session and one material, valid ten minutes. The phone's photos are checked (JPEG or PNG, at most
//! 4 MB, at most the material's pages) and kept by their SHA-256 with the other pages, so the application
//! that names them later sends none of them again; the terminal polls what arrived. Once the citizen taps
//! "done" on the phone, or ten minutes pass, the page takes nothing more.

use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::Json;
use kiosk_proto::application::{
    sha256_hex, PageRef, UploadRequest, UploadStatus, UploadTicket, MAX_PAGES, UPLOAD_MS,
};
use sqlx::Row;

use crate::http::{Body, Device, Failure, Hub};
use crate::store::{now_ms, random_hex, sha256_hex as hash_text, HubError, Store};

const GONE: &str = "this upload page has expired or was used; scan the new code on the terminal";

/// Opens an upload page for `device_id`.
pub async fn open(
    store: &Store,
    device_id: &str,
    request: &UploadRequest,
) -> Result<UploadTicket, HubError> {
    if request.material.is_empty() || request.material.len() > 32 || request.session.len() > 64 {
        return Err(HubError::BadRequest(
            "material is 1 to 32 characters, session at most 64".into(),
        ));
    }
    if !(1..=MAX_PAGES).contains(&request.max_pages) {
        return Err(HubError::BadRequest(format!(
            "max_pages is 1 to {MAX_PAGES}"
        )));
    }
    let token = random_hex::<16>();
    let now = now_ms();
    sqlx::query(
        "INSERT INTO uploads (token_hash, device_id, session, material, title_zh, title_en, max_pages, \
         pages, created_ms, expires_ms) VALUES ($1, $2, $3, $4, $5, $6, $7, '[]', $8, $9)",
    )
    .bind(hash_text(&token))
    .bind(device_id)
    .bind(&request.session)
    .bind(&request.material)
    .bind(&request.title.zh)
    .bind(&request.title.en)
    .bind(i64::from(request.max_pages))
    .bind(now)
    .bind(now + UPLOAD_MS)
    .execute(store.pool())
    .await?;
    Ok(UploadTicket {
        path: format!("/m/{token}"),
        token,
        expires_ms: now + UPLOAD_MS,
    })
}

struct Upload {
    device_id: String,
    title: (String, String),
    max_pages: i64,
    pages: Vec<PageRef>,
    expires_ms: i64,
    done: bool,
}

async fn find(store: &Store, token: &str) -> Result<Option<Upload>, HubError> {
    if token.len() != 32 {
        return Ok(None);
    }
    let row = sqlx::query(
        "SELECT device_id, title_zh, title_en, max_pages, pages, expires_ms, done_ms FROM uploads \
         WHERE token_hash = $1",
    )
    .bind(hash_text(token))
    .fetch_optional(store.pool())
    .await?;
    let Some(row) = row else { return Ok(None) };
    let pages: String = row.try_get(4)?;
    Ok(Some(Upload {
        device_id: row.try_get(0)?,
        title: (row.try_get(1)?, row.try_get(2)?),
        max_pages: row.try_get(3)?,
        pages: serde_json::from_str(&pages)
            .map_err(|e| crate::store::damaged(format!("an upload's pages: {e}")))?,
        expires_ms: row.try_get(5)?,
        done: row.try_get::<Option<i64>, _>(6)?.is_some(),
    }))
}

/// The upload the phone may still use.
async fn usable(store: &Store, token: &str) -> Result<Upload, HubError> {
    match find(store, token).await? {
        Some(upload) if !upload.done && upload.expires_ms > now_ms() => Ok(upload),
        _ => Err(HubError::Gone(GONE.into())),
    }
}

/// A photo from the phone: checked, kept, counted.
pub async fn add_page(store: &Store, token: &str, bytes: &[u8]) -> Result<usize, HubError> {
    let mut upload = usable(store, token).await?;
    if upload.pages.len() as i64 >= upload.max_pages {
        return Err(HubError::BadRequest(format!(
            "this material takes at most {} photos",
            upload.max_pages
        )));
    }
    let sha = sha256_hex(bytes);
    crate::applications::put_page(store, &sha, bytes).await?;
    if !upload.pages.iter().any(|p| p.sha256 == sha) {
        upload.pages.push(PageRef {
            sha256: sha,
            bytes: bytes.len() as u64,
        });
    }
    sqlx::query("UPDATE uploads SET pages = $1 WHERE token_hash = $2")
        .bind(serde_json::to_string(&upload.pages).expect("pages serialise"))
        .bind(hash_text(token))
        .execute(store.pool())
        .await?;
    Ok(upload.pages.len())
}

/// The citizen is done on the phone: the page takes nothing more.
pub async fn finish(store: &Store, token: &str) -> Result<(), HubError> {
    usable(store, token).await?;
    sqlx::query("UPDATE uploads SET done_ms = $1 WHERE token_hash = $2 AND done_ms IS NULL")
        .bind(now_ms())
        .bind(hash_text(token))
        .execute(store.pool())
        .await?;
    Ok(())
}

/// What arrived, for the terminal that opened the page (no other).
pub async fn status(store: &Store, device_id: &str, token: &str) -> Result<UploadStatus, HubError> {
    match find(store, token).await? {
        Some(upload) if upload.device_id == device_id => Ok(UploadStatus {
            done: upload.done,
            expired: upload.expires_ms <= now_ms(),
            pages: upload.pages,
        }),
        _ => Err(HubError::NotFound(
            "no such upload for this terminal".into(),
        )),
    }
}

/// The phone's page.
pub async fn page(State(hub): State<Hub>, Path(token): Path<String>) -> Result<Response, Failure> {
    // An expired or used token gets the page all the same: it says so in the citizen's words.
    let _ = find(&hub.store, &token).await?;
    Ok(Html(include_str!("../phone/index.html")).into_response())
}

pub async fn script() -> impl IntoResponse {
    crate::http::script(include_str!("../phone/phone.js"))
}

/// What both phone pages share (this one's and the sign-in code's).
pub async fn say_script() -> impl IntoResponse {
    crate::http::script(include_str!("../phone/say.js"))
}

pub async fn style() -> impl IntoResponse {
    crate::http::stylesheet(include_str!("../phone/phone.css"))
}

/// What the phone's page shows: the material and the pages so far.
pub async fn info(
    State(hub): State<Hub>,
    Path(token): Path<String>,
) -> Result<Json<serde_json::Value>, Failure> {
    let upload = usable(&hub.store, &token).await?;
    Ok(Json(serde_json::json!({
        "title_zh": upload.title.0,
        "title_en": upload.title.1,
        "max_pages": upload.max_pages,
        "pages": upload.pages.len(),
        "expires_ms": upload.expires_ms,
    })))
}

pub async fn photo(
    State(hub): State<Hub>,
    Path(token): Path<String>,
    body: axum::body::Bytes,
) -> Result<Json<serde_json::Value>, Failure> {
    let pages = add_page(&hub.store, &token, &body).await?;
    Ok(Json(serde_json::json!({ "pages": pages })))
}

pub async fn done(
    State(hub): State<Hub>,
    Path(token): Path<String>,
) -> Result<StatusCode, Failure> {
    finish(&hub.store, &token).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(post, path = "/v1/uploads", tag = "applications", request_body = UploadRequest,
    security(("device" = [])),
    responses(
        (status = 200, description = "a one-time phone page for one material, valid 10 minutes", body = UploadTicket),
        (status = 400, description = "bad JSON, unknown fields or bad values", body = kiosk_proto::fleet::ApiError),
        (status = 413, description = "body over 256 KB", body = kiosk_proto::fleet::ApiError),
        (status = 401, description = "missing or wrong credential (empty body)"),
        (status = 500, description = "database failure (the hub's log has the cause)", body = kiosk_proto::fleet::ApiError),
    ))]
pub async fn create(
    State(hub): State<Hub>,
    Device(device): Device,
    Body(request): Body<UploadRequest>,
) -> Result<Json<UploadTicket>, Failure> {
    Ok(Json(open(&hub.store, &device, &request).await?))
}

#[utoipa::path(get, path = "/v1/uploads/{token}", tag = "applications",
    security(("device" = [])),
    params(("token" = String, Path, description = "the upload's token")),
    responses(
        (status = 200, description = "the photos the phone sent so far", body = UploadStatus),
        (status = 401, description = "missing or wrong credential (empty body)"),
        (status = 404, description = "no such upload for this terminal", body = kiosk_proto::fleet::ApiError),
        (status = 500, description = "database failure (the hub's log has the cause)", body = kiosk_proto::fleet::ApiError),
    ))]
pub async fn poll(
    State(hub): State<Hub>,
    Device(device): Device,
    Path(token): Path<String>,
) -> Result<Json<UploadStatus>, Failure> {
    Ok(Json(status(&hub.store, &device, &token).await?))
}

#[utoipa::path(get, path = "/v1/pages/{sha256}", tag = "applications",
    security(("device" = [])),
    params(("sha256" = String, Path, description = "the page's SHA-256")),
    responses(
        (status = 200, description = "the page's bytes (a phone's photo for the terminal to show)", content_type = "application/octet-stream"),
        (status = 401, description = "missing or wrong credential (empty body)"),
        (status = 404, description = "no such page", body = kiosk_proto::fleet::ApiError),
        (status = 500, description = "database failure (the hub's log has the cause)", body = kiosk_proto::fleet::ApiError),
    ))]
pub async fn get_page(
    State(hub): State<Hub>,
    Device(_): Device,
    Path(sha256): Path<String>,
) -> Result<Response, Failure> {
    match crate::applications::page(&hub.store, &sha256).await? {
        Some(bytes) => {
            let kind =
                crate::applications::image_type(&bytes).unwrap_or("application/octet-stream");
            Ok(([(header::CONTENT_TYPE, kind)], bytes).into_response())
        }
        None => Err(HubError::NotFound("no such page".into()).into()),
    }
}
