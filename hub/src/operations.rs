//! The operators' console (运维, the `operator` role and admins): every terminal by hall with its devices,
//! records waiting, versions and last beat, and the alerts raised, each with when it started. The page is
//! `console/fleet.js`; the conditions are [`kiosk_proto::fleet::beat_alerts`], [`kiosk_proto::fleet::silent`]
//! and [`kiosk_proto::fleet::waiting_too_long`], the same the Prometheus rules shipped with the package
//! raise.

use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use kiosk_proto::remote::RemoteSettings;
use serde::{Deserialize, Serialize};

use crate::http::{Failure, Hub};
use crate::staff::Member;
use crate::store::{now_ms, HubError};

/// What the fleet page shows: the survey, with the hub's clock (for "since" and "last beat").
#[derive(Debug, Clone, Serialize)]
pub struct FleetView {
    pub now_ms: i64,
    #[serde(flatten)]
    pub survey: crate::fleet::Survey,
}

/// Who is asking: a logged-in operator or admin (401 without a login, 403 for another role).
pub(crate) async fn operator(hub: &Hub, headers: &HeaderMap) -> Result<Member, Failure> {
    let member = crate::assist::member(hub, headers)
        .await?
        .ok_or_else(|| Failure::new(StatusCode::UNAUTHORIZED, "log in first"))?;
    if !member.operates() {
        return Err(Failure::new(
            StatusCode::FORBIDDEN,
            "only operators and admins run the fleet",
        ));
    }
    Ok(member)
}

/// `GET /console/api/fleet`.
#[utoipa::path(get, path = "/console/api/fleet", tag = "operations",
    security(("login" = [])),
    responses(
        (status = 200, description = "every terminal by hall, with its alerts", body = Object),
        (status = "4XX", description = "refused: the message says why (401 no login, 403 another role or site, or no anti-forgery token)", body = kiosk_proto::fleet::ApiError),
        (status = "5XX", description = "database failure (the hub's log has the cause)", body = kiosk_proto::fleet::ApiError),
    ))]
pub async fn fleet_route(
    State(hub): State<Hub>,
    headers: HeaderMap,
) -> Result<Json<FleetView>, Failure> {
    operator(&hub, &headers).await?;
    let now = now_ms();
    Ok(Json(FleetView {
        now_ms: now,
        survey: crate::fleet::survey(&hub.store, now).await?,
    }))
}

/// An operator's change, from the console's own page only.
async fn operator_change(hub: &Hub, headers: &HeaderMap) -> Result<Member, Failure> {
    crate::guard::own_page(headers)?;
    operator(hub, headers).await
}

/// What the settings page shows: every scope's published settings and the operations audit.
#[derive(Debug, Clone, Serialize)]
pub struct SettingsView {
    pub version: i64,
    pub published: Vec<crate::remote::Published>,
    pub audit: Vec<crate::remote::Audited>,
}

async fn settings_view(hub: &Hub) -> Result<SettingsView, Failure> {
    Ok(SettingsView {
        version: hub
            .store
            .setting("config_version")
            .await
            .map_err(HubError::from)?,
        published: crate::remote::published(&hub.store).await?,
        audit: crate::remote::audited(&hub.store, 50).await?,
    })
}

/// `GET /console/api/settings`.
#[utoipa::path(get, path = "/console/api/settings", tag = "operations",
    security(("login" = [])),
    responses(
        (status = 200, description = "the published settings and the operations audit", body = Object),
        (status = "4XX", description = "refused: the message says why (401 no login, 403 another role or site, or no anti-forgery token)", body = kiosk_proto::fleet::ApiError),
        (status = "5XX", description = "database failure (the hub's log has the cause)", body = kiosk_proto::fleet::ApiError),
    ))]
pub async fn settings_route(
    State(hub): State<Hub>,
    headers: HeaderMap,
) -> Result<Json<SettingsView>, Failure> {
    operator(&hub, &headers).await?;
    Ok(Json(settings_view(&hub).await?))
}

/// Settings published from the console: for whom, and what (empty: withdraw the scope's).
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Publication {
    pub scope: String,
    pub settings: RemoteSettings,
}

/// `POST /console/api/settings`.
#[utoipa::path(post, path = "/console/api/settings", tag = "operations",
    security(("login" = [], "csrf" = [])),
    request_body = Publication,
    responses(
        (status = 200, description = "published: the settings now", body = Object),
        (status = "4XX", description = "refused: the message says why (401 no login, 403 another role or site, or no anti-forgery token)", body = kiosk_proto::fleet::ApiError),
        (status = "5XX", description = "database failure (the hub's log has the cause)", body = kiosk_proto::fleet::ApiError),
    ))]
pub async fn publish_route(
    State(hub): State<Hub>,
    headers: HeaderMap,
    crate::http::Body(publication): crate::http::Body<Publication>,
) -> Result<Json<SettingsView>, Failure> {
    let member = operator_change(&hub, &headers).await?;
    let scope = crate::remote::Scope::parse(&publication.scope)?;
    crate::remote::publish(&hub.store, &scope, &publication.settings, &member.username).await?;
    Ok(Json(settings_view(&hub).await?))
}

/// A command asked from the console.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Order {
    pub command: String,
}

/// `GET /console/api/terminals/{id}/commands`: the terminal's last 20 commands and their answers.
#[utoipa::path(get, path = "/console/api/terminals/{id}/commands", tag = "operations",
    security(("login" = [])),
    params(("id" = String, Path, description = "the terminal")),
    responses(
        (status = 200, description = "the terminal's last 20 commands", body = Object),
        (status = "4XX", description = "refused: the message says why (401 no login, 403 another role or site, or no anti-forgery token)", body = kiosk_proto::fleet::ApiError),
        (status = "5XX", description = "database failure (the hub's log has the cause)", body = kiosk_proto::fleet::ApiError),
    ))]
pub async fn commands_route(
    State(hub): State<Hub>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Json<Vec<crate::remote::CommandState>>, Failure> {
    operator(&hub, &headers).await?;
    Ok(Json(crate::remote::commands_of(&hub.store, &id, 20).await?))
}

/// `POST /console/api/terminals/{id}/commands`: queued for the terminal's next beat.
#[utoipa::path(post, path = "/console/api/terminals/{id}/commands", tag = "operations",
    security(("login" = [], "csrf" = [])),
    params(("id" = String, Path, description = "the terminal")),
    request_body = Order,
    responses(
        (status = 200, description = "queued: the terminal's last 20 commands", body = Object),
        (status = "4XX", description = "refused: the message says why (401 no login, 403 another role or site, or no anti-forgery token)", body = kiosk_proto::fleet::ApiError),
        (status = "5XX", description = "database failure (the hub's log has the cause)", body = kiosk_proto::fleet::ApiError),
    ))]
pub async fn command_route(
    State(hub): State<Hub>,
    headers: HeaderMap,
    Path(id): Path<String>,
    crate::http::Body(order): crate::http::Body<Order>,
) -> Result<Json<Vec<crate::remote::CommandState>>, Failure> {
    let member = operator_change(&hub, &headers).await?;
    crate::remote::queue(&hub.store, &id, &order.command, &member.username).await?;
    Ok(Json(crate::remote::commands_of(&hub.store, &id, 20).await?))
}

/// `GET /console/api/commands/{id}/screenshot.png`: a terminal's masked screenshot.
#[utoipa::path(get, path = "/console/api/commands/{id}/screenshot.png", tag = "operations",
    security(("login" = [])),
    params(("id" = i64, Path, description = "the screenshot command")),
    responses(
        (status = 200, description = "the masked screenshot", content_type = "image/png"),
        (status = "4XX", description = "refused: the message says why (401 no login, 403 another role or site, or no anti-forgery token)", body = kiosk_proto::fleet::ApiError),
        (status = "5XX", description = "database failure (the hub's log has the cause)", body = kiosk_proto::fleet::ApiError),
    ))]
pub async fn screenshot_route(
    State(hub): State<Hub>,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> Result<Response, Failure> {
    operator(&hub, &headers).await?;
    let png = crate::remote::screenshot(&hub.store, id).await?;
    Ok((
        [
            (header::CONTENT_TYPE, "image/png"),
            (header::CACHE_CONTROL, "private, max-age=3600"),
        ],
        png,
    )
        .into_response())
}

/// Which ratings a report covers.
#[derive(Debug, Clone, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct RatingsQuery {
    /// `2026-12`; every month when absent.
    #[serde(default)]
    pub month: Option<String>,
    /// For the CSV: `lines` (the default) or `low`.
    #[serde(default)]
    pub part: Option<String>,
}

impl RatingsQuery {
    fn month(&self) -> Result<Option<&str>, Failure> {
        match self.month.as_deref().filter(|m| !m.is_empty()) {
            None => Ok(None),
            Some(m)
                if m.len() == 7
                    && m.as_bytes()[4] == b'-'
                    && m.bytes()
                        .enumerate()
                        .all(|(i, b)| i == 4 || b.is_ascii_digit()) =>
            {
                Ok(Some(m))
            }
            Some(m) => Err(Failure::new(
                StatusCode::BAD_REQUEST,
                format!("month {m:?}: give it as 2026-12"),
            )),
        }
    }
}

/// `GET /console/api/ratings`: the 评价 report.
#[utoipa::path(get, path = "/console/api/ratings", tag = "operations",
    security(("login" = [])),
    params(RatingsQuery),
    responses(
        (status = 200, description = "the 评价 report", body = Object),
        (status = "4XX", description = "refused: the message says why (401 no login, 403 another role or site, or no anti-forgery token)", body = kiosk_proto::fleet::ApiError),
        (status = "5XX", description = "database failure (the hub's log has the cause)", body = kiosk_proto::fleet::ApiError),
    ))]
pub async fn ratings_route(
    State(hub): State<Hub>,
    headers: HeaderMap,
    axum::extract::Query(query): axum::extract::Query<RatingsQuery>,
) -> Result<Json<crate::ratings::Report>, Failure> {
    operator(&hub, &headers).await?;
    Ok(Json(
        crate::ratings::report(&hub.store, query.month()?).await?,
    ))
}

/// `GET /console/api/ratings.csv`: the report's lines, or its low ratings (`part=low`), as a download.
#[utoipa::path(get, path = "/console/api/ratings.csv", tag = "operations",
    security(("login" = [])),
    params(RatingsQuery),
    responses(
        (status = 200, description = "the report as CSV", content_type = "text/csv"),
        (status = "4XX", description = "refused: the message says why (401 no login, 403 another role or site, or no anti-forgery token)", body = kiosk_proto::fleet::ApiError),
        (status = "5XX", description = "database failure (the hub's log has the cause)", body = kiosk_proto::fleet::ApiError),
    ))]
pub async fn ratings_csv_route(
    State(hub): State<Hub>,
    headers: HeaderMap,
    axum::extract::Query(query): axum::extract::Query<RatingsQuery>,
) -> Result<Response, Failure> {
    operator(&hub, &headers).await?;
    let report = crate::ratings::report(&hub.store, query.month()?).await?;
    let (csv, name) = match query.part.as_deref() {
        None | Some("lines") => (crate::ratings::lines_csv(&report), "ratings"),
        Some("low") => (crate::ratings::low_csv(&report), "ratings-low"),
        Some(other) => {
            return Err(Failure::new(
                StatusCode::BAD_REQUEST,
                format!("part {other:?}: use lines or low"),
            ))
        }
    };
    let file = format!(
        "attachment; filename=\"{name}-{}.csv\"",
        query.month()?.unwrap_or("all")
    );
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (header::CONTENT_DISPOSITION, file),
        ],
        csv,
    )
        .into_response())
}

/// What the catalogue page shows: the current version's JSON (laid out to edit) and the versions.
#[derive(Debug, Clone, Serialize)]
pub struct CatalogueView {
    pub version: Option<i64>,
    pub json: String,
    pub versions: Vec<crate::catalogue::Version>,
}

async fn catalogue_view(hub: &Hub) -> Result<CatalogueView, Failure> {
    let current = crate::catalogue::current(&hub.store).await?;
    let json = match &current {
        Some(current) => serde_json::from_str::<serde_json::Value>(&current.body)
            .and_then(|v| serde_json::to_string_pretty(&v))
            .unwrap_or_else(|_| current.body.clone()),
        None => String::new(),
    };
    Ok(CatalogueView {
        version: current.map(|c| c.version),
        json,
        versions: crate::catalogue::versions(&hub.store, 30).await?,
    })
}

/// `GET /console/api/catalogue`.
#[utoipa::path(get, path = "/console/api/catalogue", tag = "operations",
    security(("login" = [])),
    responses(
        (status = 200, description = "the current catalogue and its versions", body = Object),
        (status = "4XX", description = "refused: the message says why (401 no login, 403 another role or site, or no anti-forgery token)", body = kiosk_proto::fleet::ApiError),
        (status = "5XX", description = "database failure (the hub's log has the cause)", body = kiosk_proto::fleet::ApiError),
    ))]
pub async fn catalogue_route(
    State(hub): State<Hub>,
    headers: HeaderMap,
) -> Result<Json<CatalogueView>, Failure> {
    operator(&hub, &headers).await?;
    Ok(Json(catalogue_view(&hub).await?))
}

/// A catalogue edited in the console.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Edited {
    pub json: String,
}

/// `POST /console/api/catalogue/preview`: checked as `catalogue import` checks it, and what it changes.
#[utoipa::path(post, path = "/console/api/catalogue/preview", tag = "operations",
    security(("login" = [], "csrf" = [])),
    request_body = Edited,
    responses(
        (status = 200, description = "checked: what it changes", body = Object),
        (status = "4XX", description = "refused: the message says why (401 no login, 403 another role or site, or no anti-forgery token)", body = kiosk_proto::fleet::ApiError),
        (status = "5XX", description = "database failure (the hub's log has the cause)", body = kiosk_proto::fleet::ApiError),
    ))]
pub async fn catalogue_preview_route(
    State(hub): State<Hub>,
    headers: HeaderMap,
    crate::http::Body(edited): crate::http::Body<Edited>,
) -> Result<Json<crate::catalogue::Preview>, Failure> {
    operator_change(&hub, &headers).await?;
    Ok(Json(
        crate::catalogue::preview(&hub.store, &edited.json).await?,
    ))
}

/// `POST /console/api/catalogue`: published as a new version (checked again).
#[utoipa::path(post, path = "/console/api/catalogue", tag = "operations",
    security(("login" = [], "csrf" = [])),
    request_body = Edited,
    responses(
        (status = 200, description = "published as a new version", body = Object),
        (status = "4XX", description = "refused: the message says why (401 no login, 403 another role or site, or no anti-forgery token)", body = kiosk_proto::fleet::ApiError),
        (status = "5XX", description = "database failure (the hub's log has the cause)", body = kiosk_proto::fleet::ApiError),
    ))]
pub async fn catalogue_publish_route(
    State(hub): State<Hub>,
    headers: HeaderMap,
    crate::http::Body(edited): crate::http::Body<Edited>,
) -> Result<Json<CatalogueView>, Failure> {
    let member = operator_change(&hub, &headers).await?;
    let version = crate::catalogue::publish(
        &hub.store,
        &edited.json,
        "the edited catalogue",
        Some(&member.username),
    )
    .await?;
    crate::remote::audit(
        &hub.store,
        &member.username,
        "publish_catalogue",
        &format!("v{version}"),
        "",
    )
    .await?;
    Ok(Json(catalogue_view(&hub).await?))
}

/// `POST /console/api/catalogue/{version}/restore`: an earlier version published again as the newest.
#[utoipa::path(post, path = "/console/api/catalogue/{version}/restore", tag = "operations",
    security(("login" = [], "csrf" = [])),
    params(("version" = i64, Path, description = "the version to publish again")),
    responses(
        (status = 200, description = "the earlier version, published again", body = Object),
        (status = "4XX", description = "refused: the message says why (401 no login, 403 another role or site, or no anti-forgery token)", body = kiosk_proto::fleet::ApiError),
        (status = "5XX", description = "database failure (the hub's log has the cause)", body = kiosk_proto::fleet::ApiError),
    ))]
pub async fn catalogue_restore_route(
    State(hub): State<Hub>,
    headers: HeaderMap,
    Path(version): Path<i64>,
) -> Result<Json<CatalogueView>, Failure> {
    let member = operator_change(&hub, &headers).await?;
    let body = crate::catalogue::body_of(&hub.store, version).await?;
    let new = crate::catalogue::publish(
        &hub.store,
        &body,
        &format!("catalogue version {version}"),
        Some(&member.username),
    )
    .await?;
    crate::remote::audit(
        &hub.store,
        &member.username,
        "restore_catalogue",
        &format!("v{new}"),
        &format!("v{version}"),
    )
    .await?;
    Ok(Json(catalogue_view(&hub).await?))
}

pub async fn catalogue_script() -> impl IntoResponse {
    crate::http::script(include_str!("../console/catalogue.js"))
}

/// A terminal's update ring, as an operator sets it.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RingChoice {
    pub ring: String,
}

/// `POST /console/api/terminals/{id}/ring`.
#[utoipa::path(post, path = "/console/api/terminals/{id}/ring", tag = "operations",
    security(("login" = [], "csrf" = [])),
    params(("id" = String, Path, description = "the terminal")),
    request_body = RingChoice,
    responses(
        (status = 204, description = "the ring set"),
        (status = "4XX", description = "refused: the message says why (401 no login, 403 another role or site, or no anti-forgery token)", body = kiosk_proto::fleet::ApiError),
        (status = "5XX", description = "database failure (the hub's log has the cause)", body = kiosk_proto::fleet::ApiError),
    ))]
pub async fn ring_route(
    State(hub): State<Hub>,
    headers: HeaderMap,
    Path(id): Path<String>,
    crate::http::Body(choice): crate::http::Body<RingChoice>,
) -> Result<StatusCode, Failure> {
    let member = operator_change(&hub, &headers).await?;
    crate::remote::set_ring(&hub.store, &id, &choice.ring, &member.username).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// `GET /console/api/technicians`.
#[utoipa::path(get, path = "/console/api/technicians", tag = "operations",
    security(("login" = [])),
    responses(
        (status = 200, description = "the technicians' accounts", body = Object),
        (status = "4XX", description = "refused: the message says why (401 no login, 403 another role or site, or no anti-forgery token)", body = kiosk_proto::fleet::ApiError),
        (status = "5XX", description = "database failure (the hub's log has the cause)", body = kiosk_proto::fleet::ApiError),
    ))]
pub async fn technicians_route(
    State(hub): State<Hub>,
    headers: HeaderMap,
) -> Result<Json<Vec<crate::remote::Account>>, Failure> {
    operator(&hub, &headers).await?;
    Ok(Json(crate::remote::technicians(&hub.store).await?))
}

/// A technician's account issued from the console.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Issue {
    pub number: String,
    pub name: String,
    pub pin: String,
}

/// `POST /console/api/technicians`: issues or reissues an account.
#[utoipa::path(post, path = "/console/api/technicians", tag = "operations",
    security(("login" = [], "csrf" = [])),
    request_body = Issue,
    responses(
        (status = 200, description = "issued: the technicians' accounts", body = Object),
        (status = "4XX", description = "refused: the message says why (401 no login, 403 another role or site, or no anti-forgery token)", body = kiosk_proto::fleet::ApiError),
        (status = "5XX", description = "database failure (the hub's log has the cause)", body = kiosk_proto::fleet::ApiError),
    ))]
pub async fn technician_issue_route(
    State(hub): State<Hub>,
    headers: HeaderMap,
    crate::http::Body(issue): crate::http::Body<Issue>,
) -> Result<Json<Vec<crate::remote::Account>>, Failure> {
    let member = operator_change(&hub, &headers).await?;
    crate::remote::add_technician(
        &hub.store,
        &issue.number,
        &issue.name,
        &issue.pin,
        &member.username,
    )
    .await?;
    Ok(Json(crate::remote::technicians(&hub.store).await?))
}

/// `POST /console/api/technicians/{number}/revoke`.
#[utoipa::path(post, path = "/console/api/technicians/{number}/revoke", tag = "operations",
    security(("login" = [], "csrf" = [])),
    params(("number" = String, Path, description = "the technician's number")),
    responses(
        (status = 200, description = "revoked: the technicians' accounts", body = Object),
        (status = "4XX", description = "refused: the message says why (401 no login, 403 another role or site, or no anti-forgery token)", body = kiosk_proto::fleet::ApiError),
        (status = "5XX", description = "database failure (the hub's log has the cause)", body = kiosk_proto::fleet::ApiError),
    ))]
pub async fn technician_revoke_route(
    State(hub): State<Hub>,
    headers: HeaderMap,
    Path(number): Path<String>,
) -> Result<Json<Vec<crate::remote::Account>>, Failure> {
    let member = operator_change(&hub, &headers).await?;
    crate::remote::revoke_technician(&hub.store, &number, &member.username).await?;
    Ok(Json(crate::remote::technicians(&hub.store).await?))
}

pub async fn script() -> impl IntoResponse {
    crate::http::script(include_str!("../console/fleet.js"))
}

pub async fn ratings_script() -> impl IntoResponse {
    crate::http::script(include_str!("../console/ratings.js"))
}
