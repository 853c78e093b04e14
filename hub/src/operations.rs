//! The operators' console (运维, the `operator` role and admins): every terminal by hall with its devices,
//! records waiting, versions and last beat, and the alerts raised, each with when it started. The page is
//! `console/fleet.js`; the conditions are [`kiosk_proto::fleet::beat_alerts`], [`kiosk_proto::fleet::silent`]
//! and [`kiosk_proto::fleet::waiting_too_long`], the same the Prometheus rules shipped with the package
//! raise.

use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::IntoResponse;
use axum::Json;
use kiosk_proto::fleet::{Alert, FleetEntry};
use serde::Serialize;

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

pub async fn script() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "text/javascript; charset=utf-8")],
        include_str!("../console/fleet.js"),
    )
}
