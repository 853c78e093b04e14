//! The operators' console (运维, the `operator` role and admins): every terminal by hall with its devices,
//! records waiting, versions and last beat, and the alerts raised, each with when it started. The page is
//! `console/fleet.js`; the conditions are [`kiosk_proto::fleet::beat_alerts`], [`kiosk_proto::fleet::silent`]
//! and [`kiosk_proto::fleet::waiting_too_long`], the same the Prometheus rules shipped with the package
//! raise.

use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use kiosk_proto::fleet::{Alert, FleetEntry};
use kiosk_proto::remote::RemoteSettings;
use serde::{Deserialize, Serialize};

use crate::http::{Failure, Hub};
use crate::staff::Member;
use crate::store::{now_ms, HubError};

/// What the fleet page shows.
#[derive(Debug, Clone, Serialize)]
pub struct FleetView {
    /// The hub's clock, for "since" and "last beat" on the page.
    pub now_ms: i64,
    /// The versions terminals should run.
    pub config_version: i64,
    pub catalogue_version: i64,
    pub terminals: Vec<FleetEntry>,
    pub alerts: Vec<Alert>,
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
pub async fn fleet_route(
    State(hub): State<Hub>,
    headers: HeaderMap,
) -> Result<Json<FleetView>, Failure> {
    operator(&hub, &headers).await?;
    let now = now_ms();
    let (terminals, alerts) = crate::fleet::survey(&hub.store, now).await?;
    Ok(Json(FleetView {
        now_ms: now,
        config_version: hub
            .store
            .setting("config_version")
            .await
            .map_err(HubError::from)?,
        catalogue_version: hub
            .store
            .setting("catalogue_version")
            .await
            .map_err(HubError::from)?,
        terminals,
        alerts,
    }))
}

/// An operator's change, from the console's own page only.
async fn operator_change(hub: &Hub, headers: &HeaderMap) -> Result<Member, Failure> {
    if !crate::assist::same_origin(headers) {
        return Err(Failure::new(
            StatusCode::FORBIDDEN,
            "from the console's own page only",
        ));
    }
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
pub async fn settings_route(
    State(hub): State<Hub>,
    headers: HeaderMap,
) -> Result<Json<SettingsView>, Failure> {
    operator(&hub, &headers).await?;
    Ok(Json(settings_view(&hub).await?))
}

/// Settings published from the console: for whom, and what (empty: withdraw the scope's).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Publication {
    pub scope: String,
    pub settings: RemoteSettings,
}

/// `POST /console/api/settings`.
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
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Order {
    pub command: String,
}

/// `GET /console/api/terminals/{id}/commands`: the terminal's last 20 commands and their answers.
pub async fn commands_route(
    State(hub): State<Hub>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Json<Vec<crate::remote::CommandState>>, Failure> {
    operator(&hub, &headers).await?;
    Ok(Json(crate::remote::commands_of(&hub.store, &id, 20).await?))
}

/// `POST /console/api/terminals/{id}/commands`: queued for the terminal's next beat.
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

pub async fn script() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "text/javascript; charset=utf-8")],
        include_str!("../console/fleet.js"),
    )
}
