//! What every route of the hub shares: its state ([`Hub`]), the terminal a credential names ([`Device`]),
//! JSON bodies that say what was wrong ([`Body`]) and errors as the client sees them ([`Failure`]). The
//! terminals' API (`api`) and the remote-guidance relay (`assist`) both build on it.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use kiosk_proto::fleet::ApiError;

use crate::fleet;
use crate::store::{HubError, Store};

/// The largest request body the hub reads.
pub const BODY_LIMIT: usize = 256 * 1024;

#[derive(Clone)]
pub struct Hub {
    pub store: Store,
    pub(crate) metrics: Arc<Metrics>,
    /// Remote guidance's relay between processes.
    pub bus: Arc<crate::bus::Bus>,
    /// Served over TLS: the console's login cookie is `Secure`.
    pub secure_cookies: bool,
}

impl Hub {
    pub fn new(store: Store) -> Hub {
        Hub {
            bus: Arc::new(crate::bus::Bus::new(store.clone())),
            store,
            metrics: Arc::new(Metrics::default()),
            secure_cookies: false,
        }
    }
}

/// An error as the client sees it.
pub struct Failure(StatusCode, String);

pub(crate) fn failure(status: StatusCode, message: impl Into<String>) -> Failure {
    Failure(status, message.into())
}

impl Failure {
    pub fn new(status: StatusCode, message: impl Into<String>) -> Failure {
        failure(status, message)
    }

    /// What the failure says.
    pub fn message(&self) -> &str {
        &self.1
    }
}

impl IntoResponse for Failure {
    fn into_response(self) -> Response {
        (self.0, Json(ApiError { error: self.1 })).into_response()
    }
}

impl From<HubError> for Failure {
    fn from(error: HubError) -> Failure {
        match error {
            HubError::BadRequest(why) => failure(StatusCode::BAD_REQUEST, why),
            HubError::Forbidden(why) => failure(StatusCode::FORBIDDEN, why),
            HubError::NotFound(why) => failure(StatusCode::NOT_FOUND, why),
            HubError::TooMany(why) => failure(StatusCode::TOO_MANY_REQUESTS, why),
            HubError::Conflict(why) => failure(StatusCode::CONFLICT, why),
            HubError::Gone(why) => failure(StatusCode::GONE, why),
            HubError::Store(error) => {
                tracing::error!(%error, "request failed in the database");
                failure(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "internal error; the hub's log has the cause",
                )
            }
        }
    }
}

/// A JSON body; bad JSON, unknown fields, oversized bodies and text with a NUL character (PostgreSQL
/// cannot store one, and no form has a use for it) are answered with what was wrong.
pub struct Body<T>(pub T);

impl<S, T> FromRequest<S> for Body<T>
where
    T: serde::de::DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = Failure;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let value = match Json::<serde_json::Value>::from_request(req, state).await {
            Ok(Json(value)) => value,
            Err(rejection) => {
                let rejection: JsonRejection = rejection;
                let status = match rejection.status() {
                    StatusCode::PAYLOAD_TOO_LARGE => StatusCode::PAYLOAD_TOO_LARGE,
                    StatusCode::UNSUPPORTED_MEDIA_TYPE => StatusCode::UNSUPPORTED_MEDIA_TYPE,
                    _ => StatusCode::BAD_REQUEST,
                };
                return Err(failure(status, rejection.body_text()));
            }
        };
        if holds_nul(&value) {
            return Err(failure(
                StatusCode::BAD_REQUEST,
                "a text holds the NUL character (\\u0000)",
            ));
        }
        serde_json::from_value(value).map(Body).map_err(|error| {
            failure(
                StatusCode::BAD_REQUEST,
                format!("Failed to deserialize the JSON body into the target type: {error}"),
            )
        })
    }
}

/// Whether a string (or a key) anywhere in `value` holds a NUL character.
fn holds_nul(value: &serde_json::Value) -> bool {
    match value {
        serde_json::Value::String(text) => text.contains('\0'),
        serde_json::Value::Array(items) => items.iter().any(holds_nul),
        serde_json::Value::Object(map) => map
            .iter()
            .any(|(key, value)| key.contains('\0') || holds_nul(value)),
        _ => false,
    }
}

/// The terminal a request's credential belongs to.
pub struct Device(pub String);

impl FromRequestParts<Hub> for Device {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, hub: &Hub) -> Result<Self, Self::Rejection> {
        let unauthorized = || StatusCode::UNAUTHORIZED.into_response();
        let credential = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .ok_or_else(unauthorized)?;
        match fleet::authenticate(&hub.store, credential.trim()).await {
            Ok(Some(device)) => Ok(Device(device)),
            Ok(None) => Err(unauthorized()),
            Err(error) => Err(Failure::from(error).into_response()),
        }
    }
}

/// Request counts and time spent, by route and status class.
#[derive(Default)]
pub(crate) struct Metrics {
    pub(crate) requests: Mutex<BTreeMap<(String, u16), (u64, f64)>>,
}

/// One of the hub's own scripts for its pages (the pages' Content-Security-Policy runs no other).
pub fn script(body: &'static str) -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "text/javascript; charset=utf-8")],
        body,
    )
}

/// One of the hub's own style sheets for its pages.
pub fn stylesheet(body: &'static str) -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "text/css; charset=utf-8")], body)
}
