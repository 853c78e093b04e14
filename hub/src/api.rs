//! The HTTP API (axum): `/healthz`, `/metrics`, and `/v1/*` for terminals. Every error is a 4xx or 5xx with
//! an [`ApiError`] body that says what was wrong; a missing or wrong credential gets a bare 401.

use std::time::Instant;

use axum::extract::{DefaultBodyLimit, MatchedPath, Request, State};
use axum::http::{header, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use axum::{Json, Router};
use kiosk_proto::fleet::{
    ApiError, EnrollReply, EnrollRequest, FleetEntry, Heartbeat, HeartbeatReply,
};

use kiosk_proto::application::{
    Application, ApplicationReceipt, Elicence, PageQuery, MAX_PAGE_BYTES,
};

use crate::fleet;
use crate::http::failure;
pub use crate::http::{Body, Device, Failure, Hub, BODY_LIMIT};
use crate::store::now_ms;

pub fn router(hub: Hub) -> Router {
    Router::new()
        .route("/healthz", get(healthz))
        .route("/metrics", get(metrics))
        .route("/v1/enroll", post(enroll))
        .route("/v1/heartbeat", post(heartbeat))
        .route("/v1/credential", post(credential))
        .route("/v1/fleet", get(fleet_listing))
        .route("/v1/catalogue", get(catalogue))
        .route("/v1/events", post(events))
        .route("/v1/tickets", post(ticket))
        .route("/v1/cases/query", post(case_query))
        .route("/v1/cases/mine", post(cases_mine))
        .route("/v1/documents/mine", post(documents_mine))
        .route("/v1/claims", post(claim))
        .route("/v1/elicences/mine", post(elicences_mine))
        .route("/v1/holder/facts", post(held_facts))
        .route("/v1/pages/missing", post(pages_missing))
        .route(
            "/v1/pages/{sha256}",
            put(put_page)
                .get(crate::uploads::get_page)
                .layer(DefaultBodyLimit::max(MAX_PAGE_BYTES)),
        )
        .route("/v1/uploads", post(crate::uploads::create))
        .route("/v1/codes/redeem", post(crate::signin::redeem_route))
        .route("/v1/enterprises/mine", post(crate::enterprises::mine_route))
        .route("/id/id.js", get(crate::signin::script))
        .route("/id/{token}", get(crate::signin::page))
        .route("/id/{token}/code", get(crate::signin::code))
        .route("/v1/uploads/{token}", get(crate::uploads::poll))
        .route("/m/phone.js", get(crate::uploads::script))
        .route("/m/phone.css", get(crate::uploads::style))
        .route("/m/say.js", get(crate::uploads::say_script))
        .route("/m/{token}", get(crate::uploads::page))
        .route("/m/{token}/info", get(crate::uploads::info))
        .route(
            "/m/{token}/pages",
            post(crate::uploads::photo).layer(DefaultBodyLimit::max(MAX_PAGE_BYTES)),
        )
        .route("/m/{token}/done", post(crate::uploads::done))
        .route("/v1/applications", post(application))
        .route("/v1/keys", get(keys))
        .route("/v1/settings", get(remote_settings))
        .route(
            "/v1/commands/{id}",
            post(command_result).layer(DefaultBodyLimit::max(SCREENSHOT_LIMIT)),
        )
        .route("/v1/verify", post(verify))
        .route("/openapi.json", get(openapi))
        .route("/console/openapi.json", get(console_openapi))
        .route("/v1/assist", get(crate::assist::terminal))
        .route("/console", get(crate::assist::page))
        .route("/console/console.js", get(crate::assist::script))
        .route("/console/review.js", get(crate::assist::review_script))
        .route("/console/staff.js", get(crate::assist::staff_script))
        .route("/console/fleet.js", get(crate::operations::script))
        .route(
            "/console/ratings.js",
            get(crate::operations::ratings_script),
        )
        .route("/console/api/fleet", get(crate::operations::fleet_route))
        .route(
            "/console/api/terminals/{id}/ring",
            post(crate::operations::ring_route),
        )
        .route(
            "/console/api/technicians",
            get(crate::operations::technicians_route)
                .post(crate::operations::technician_issue_route),
        )
        .route(
            "/console/api/technicians/{number}/revoke",
            post(crate::operations::technician_revoke_route),
        )
        .route(
            "/console/catalogue.js",
            get(crate::operations::catalogue_script),
        )
        .route(
            "/console/api/catalogue",
            get(crate::operations::catalogue_route)
                .post(crate::operations::catalogue_publish_route),
        )
        .route(
            "/console/api/catalogue/preview",
            post(crate::operations::catalogue_preview_route),
        )
        .route(
            "/console/api/catalogue/{version}/restore",
            post(crate::operations::catalogue_restore_route),
        )
        .route(
            "/console/api/ratings",
            get(crate::operations::ratings_route),
        )
        .route(
            "/console/api/ratings.csv",
            get(crate::operations::ratings_csv_route),
        )
        .route(
            "/console/api/settings",
            get(crate::operations::settings_route).post(crate::operations::publish_route),
        )
        .route(
            "/console/api/terminals/{id}/commands",
            get(crate::operations::commands_route).post(crate::operations::command_route),
        )
        .route(
            "/console/api/commands/{id}/screenshot.png",
            get(crate::operations::screenshot_route),
        )
        .route("/console/console.css", get(crate::assist::style))
        .route("/console/login", post(crate::assist::login))
        .route("/console/logout", post(crate::assist::logout))
        .route("/console/me", get(crate::assist::me))
        .route("/console/ws", get(crate::assist::console))
        .route("/console/api/queue", get(crate::review::queue_route))
        .route(
            "/console/api/applications/{number}",
            get(crate::review::detail_route),
        )
        .route(
            "/console/api/applications/{number}/pages/{sha256}",
            get(crate::review::page_route),
        )
        .route(
            "/console/api/applications/{number}/actions",
            post(crate::review::act_route),
        )
        .route(
            "/console/api/staff",
            get(crate::review::staff_route).post(crate::review::staff_save_route),
        )
        .route(
            "/console/api/staff/{username}/unlock",
            post(crate::review::staff_unlock_route),
        )
        .fallback(|| async { failure(StatusCode::NOT_FOUND, "no such endpoint") })
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .layer(middleware::from_fn(crate::guard::guard))
        .layer(middleware::from_fn_with_state(hub.clone(), measure))
        .with_state(hub)
}

/// The API's description, generated from the handlers and the wire types.
#[derive(utoipa::OpenApi)]
#[openapi(
    info(title = "kiosk-hub", description = "The central server of the self-service terminals."),
    paths(healthz, metrics, openapi, enroll, heartbeat, credential, fleet_listing, catalogue, events, ticket,
        case_query, cases_mine, documents_mine, claim, keys, verify, elicences_mine, held_facts,
        pages_missing, remote_settings, command_result,
        put_page, application, crate::uploads::create, crate::uploads::poll, crate::uploads::get_page,
        crate::signin::redeem_route, crate::enterprises::mine_route),
    components(schemas(ApiError, kiosk_proto::service::Rating, kiosk_proto::service::ClaimEnd)),
    modifiers(&DeviceCredential),
    tags(
        (name = "terminals", description = "enrolment, heartbeats, the fleet and records"),
        (name = "catalogue", description = "the service catalogue"),
        (name = "tickets", description = "queue tickets"),
        (name = "cases", description = "case progress (办件查询)"),
        (name = "applications", description = "自助申报: the holder's e-licences, material pages and applications"),
        (name = "documents", description = "a card holder's printable documents, print claims, and the public check of a licence"),
        (name = "citizens", description = "亮码: taking a citizen's signed dynamic sign-in code once"),
        (name = "enterprises", description = "企业服务: the enterprises a legal representative represents"),
        (name = "operations", description = "health, metrics and this document"),
    )
)]
pub struct ApiDoc;

/// `Authorization: Bearer DEVICE_ID.SECRET`, the credential a terminal gets at enrolment.
struct DeviceCredential;

impl utoipa::Modify for DeviceCredential {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "device",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("DEVICE_ID.SECRET")
                    .description(Some("the credential issued at enrolment"))
                    .build(),
            ),
        );
    }
}

/// The staff console's API (what its pages call), described for tools such as schemathesis: every call
/// needs the login cookie, and every change the login's anti-forgery token and the hub's own origin (see
/// [`crate::guard`]). The WebSocket of remote guidance and the logout are left out.
#[derive(utoipa::OpenApi)]
#[openapi(
    info(title = "kiosk-hub console", description = "The staff console's API: review, staff accounts and operations."),
    paths(crate::assist::login, crate::assist::me,
        crate::review::queue_route, crate::review::detail_route, crate::review::page_route,
        crate::review::act_route, crate::review::staff_route, crate::review::staff_save_route,
        crate::review::staff_unlock_route,
        crate::operations::fleet_route, crate::operations::settings_route, crate::operations::publish_route,
        crate::operations::commands_route, crate::operations::command_route,
        crate::operations::screenshot_route, crate::operations::ratings_route,
        crate::operations::ratings_csv_route, crate::operations::catalogue_route,
        crate::operations::catalogue_preview_route, crate::operations::catalogue_publish_route,
        crate::operations::catalogue_restore_route, crate::operations::ring_route,
        crate::operations::technicians_route, crate::operations::technician_issue_route,
        crate::operations::technician_revoke_route),
    modifiers(&ConsoleLogin),
    tags(
        (name = "review", description = "reviewers' queue and decisions (受理, 补正, 办结)"),
        (name = "staff", description = "logins and staff accounts"),
        (name = "operations", description = "the fleet, settings, commands, catalogue, ratings and technicians (运维)"),
    )
)]
pub struct ConsoleDoc;

/// The console's login cookie, and the anti-forgery token its changes carry.
struct ConsoleLogin;

impl utoipa::Modify for ConsoleLogin {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{ApiKey, ApiKeyValue, SecurityScheme};
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "login",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::with_description(
                crate::staff::COOKIE,
                "set by POST /console/login",
            ))),
        );
        components.add_security_scheme(
            "csrf",
            SecurityScheme::ApiKey(ApiKey::Header(ApiKeyValue::with_description(
                "X-CSRF-Token",
                "the `csrf` of GET /console/me",
            ))),
        );
    }
}

/// `GET /console/openapi.json`: [`ConsoleDoc`].
async fn console_openapi() -> Json<serde_json::Value> {
    let mut doc = serde_json::to_value(<ConsoleDoc as utoipa::OpenApi>::openapi())
        .expect("the console's document serialises");
    camel_case_links(&mut doc);
    Json(doc)
}

/// utoipa 5 writes a response link's fields in snake case (`operation_id`); OpenAPI names them in camel
/// case (`operationId`), and tools ignore the link otherwise.
fn camel_case_links(value: &mut serde_json::Value) {
    match value {
        serde_json::Value::Object(map) => {
            if let Some(serde_json::Value::Object(links)) = map.get_mut("links") {
                for link in links.values_mut() {
                    if let serde_json::Value::Object(link) = link {
                        for (snake, camel) in [
                            ("operation_id", "operationId"),
                            ("operation_ref", "operationRef"),
                            ("request_body", "requestBody"),
                        ] {
                            if let Some(v) = link.remove(snake) {
                                link.insert(camel.to_string(), v);
                            }
                        }
                    }
                }
            }
            map.values_mut().for_each(camel_case_links);
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(camel_case_links),
        _ => {}
    }
}

#[utoipa::path(get, path = "/openapi.json", tag = "operations",
    responses((status = 200, description = "this document (OpenAPI 3.1)", body = Object)))]
async fn openapi() -> Json<utoipa::openapi::OpenApi> {
    Json(<ApiDoc as utoipa::OpenApi>::openapi())
}

#[utoipa::path(get, path = "/healthz", tag = "operations",
    responses(
        (status = 200, description = "the hub and its database answer", body = String, content_type = "text/plain"),
        (status = 503, description = "the database does not answer", body = String, content_type = "text/plain"),
    ))]
async fn healthz(State(hub): State<Hub>) -> Response {
    match sqlx::query("SELECT 1").execute(hub.store.pool()).await {
        Ok(_) => (StatusCode::OK, "ok\n").into_response(),
        Err(error) => {
            tracing::error!(%error, "health check: the database does not answer");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable\n").into_response()
        }
    }
}

#[utoipa::path(post, path = "/v1/enroll", tag = "terminals", request_body = EnrollRequest,
    responses(
        (status = 200, description = "enrolled: the terminal's credential", body = EnrollReply),
        (status = 400, description = "bad JSON, unknown fields or bad values", body = ApiError),
        (status = 413, description = "body over 256 KB", body = ApiError),
        (status = 403, description = "the code is wrong, used or expired", body = ApiError),
        (status = 500, description = "database failure (the hub's log has the cause)", body = ApiError),
    ))]
async fn enroll(
    State(hub): State<Hub>,
    Body(request): Body<EnrollRequest>,
) -> Result<Json<EnrollReply>, Failure> {
    let (credential, hall) = fleet::enroll(&hub.store, &request.code, &request.device_id).await?;
    tracing::info!(device = %request.device_id, %hall, "terminal enrolled");
    Ok(Json(EnrollReply {
        device_id: request.device_id,
        hall,
        credential,
    }))
}

#[utoipa::path(post, path = "/v1/heartbeat", tag = "terminals", request_body = Heartbeat,
    security(("device" = [])),
    responses(
        (status = 200, description = "current versions and pending commands", body = HeartbeatReply),
        (status = 400, description = "bad JSON, unknown fields or bad values", body = ApiError),
        (status = 413, description = "body over 256 KB", body = ApiError),        (status = 401, description = "missing or wrong credential (empty body)"),        (status = 500, description = "database failure (the hub's log has the cause)", body = ApiError),
    ))]
async fn heartbeat(
    State(hub): State<Hub>,
    Device(device): Device,
    Body(beat): Body<Heartbeat>,
) -> Result<Json<HeartbeatReply>, Failure> {
    Ok(Json(fleet::heartbeat(&hub.store, &device, &beat).await?))
}

/// A new credential for the terminal, in place of the one it asks with (which works until the new one is
/// first presented): the `rotate_credential` command's second half.
#[utoipa::path(post, path = "/v1/credential", tag = "terminals",
    security(("device" = [])),
    responses(
        (status = 200, description = "the new credential (DEVICE_ID.SECRET): save it, then use it", body = kiosk_proto::fleet::CredentialReply),
        (status = 401, description = "missing or wrong credential (empty body)"),
        (status = 500, description = "database failure (the hub's log has the cause)", body = ApiError),
    ))]
async fn credential(
    State(hub): State<Hub>,
    Device(device): Device,
) -> Result<Json<kiosk_proto::fleet::CredentialReply>, Failure> {
    Ok(Json(kiosk_proto::fleet::CredentialReply {
        credential: fleet::next_credential(&hub.store, &device).await?,
    }))
}

/// The newest catalogue; `If-None-Match` with its ETag gets 304 and no body (the tag is checked before the
/// body is read from the database).
#[utoipa::path(get, path = "/v1/catalogue", tag = "catalogue",
    security(("device" = [])),
    params(("If-None-Match" = Option<String>, Header, description = "the ETag of the catalogue the terminal has")),
    responses(
        (status = 200, description = "the newest catalogue, with its ETag", body = kiosk_proto::catalogue::Catalogue,
            headers(("ETag" = String, description = "the version's tag"))),
        (status = 304, description = "unchanged since the ETag given (no body)"),
        (status = 401, description = "missing or wrong credential (empty body)"),
        (status = 404, description = "no catalogue published yet", body = ApiError),
        (status = 500, description = "database failure (the hub's log has the cause)", body = ApiError),
    ))]
async fn catalogue(
    State(hub): State<Hub>,
    Device(_): Device,
    headers: axum::http::HeaderMap,
) -> Result<Response, Failure> {
    let Some((_, etag)) = crate::catalogue::current_tag(&hub.store).await? else {
        return Err(failure(
            StatusCode::NOT_FOUND,
            "no catalogue published yet (kiosk-hub catalogue import FILE)",
        ));
    };
    let matches = headers
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|tag| tag.trim() == etag || tag.trim() == "*");
    if matches {
        return Ok((StatusCode::NOT_MODIFIED, [(header::ETAG, etag)]).into_response());
    }
    let published = crate::catalogue::current(&hub.store)
        .await?
        .ok_or_else(|| failure(StatusCode::NOT_FOUND, "no catalogue published yet"))?;
    Ok((
        [
            (header::ETAG, published.etag),
            (header::CONTENT_TYPE, "application/json".to_string()),
        ],
        published.body,
    )
        .into_response())
}

#[utoipa::path(post, path = "/v1/events", tag = "terminals", request_body = kiosk_proto::fleet::EventBatch,
    security(("device" = [])),
    responses(
        (status = 200, description = "every event of the batch is stored (once, however often sent)", body = kiosk_proto::fleet::EventReceipt),
        (status = 400, description = "bad JSON, unknown fields or bad values", body = ApiError),
        (status = 413, description = "body over 256 KB", body = ApiError),        (status = 401, description = "missing or wrong credential (empty body)"),        (status = 500, description = "database failure (the hub's log has the cause)", body = ApiError),
    ))]
async fn events(
    State(hub): State<Hub>,
    Device(device): Device,
    Body(batch): Body<kiosk_proto::fleet::EventBatch>,
) -> Result<Json<kiosk_proto::fleet::EventReceipt>, Failure> {
    Ok(Json(
        crate::events::ingest(&hub.store, &device, &batch).await?,
    ))
}

#[utoipa::path(post, path = "/v1/tickets", tag = "tickets", request_body = kiosk_proto::fleet::TicketRequest,
    security(("device" = [])),
    responses(
        (status = 200, description = "the next ticket of the service in the terminal's hall today (the same one again for a request id already answered)", body = kiosk_proto::fleet::TicketReply),
        (status = 400, description = "bad JSON, unknown fields or bad values", body = ApiError),
        (status = 413, description = "body over 256 KB", body = ApiError),        (status = 401, description = "missing or wrong credential (empty body)"),        (status = 500, description = "database failure (the hub's log has the cause)", body = ApiError),
    ))]
async fn ticket(
    State(hub): State<Hub>,
    Device(device): Device,
    Body(request): Body<kiosk_proto::fleet::TicketRequest>,
) -> Result<Json<kiosk_proto::fleet::TicketReply>, Failure> {
    Ok(Json(
        crate::tickets::take(
            &hub.store,
            &device,
            &request.service,
            request.request_id.as_deref(),
        )
        .await?,
    ))
}

#[utoipa::path(post, path = "/v1/cases/query", tag = "cases", request_body = kiosk_proto::service::CaseQuery,
    security(("device" = [])),
    responses(
        (status = 200, description = "the case and its timeline", body = kiosk_proto::service::CaseDetail),
        (status = 400, description = "bad JSON, unknown fields, or not exactly one second factor", body = ApiError),
        (status = 413, description = "body over 256 KB", body = ApiError),
        (status = 401, description = "missing or wrong credential (empty body)"),
        (status = 404, description = "no case with this number and this ID (the same answer for both)", body = ApiError),
        (status = 429, description = "too many wrong second factors for this case number (locked for 15 minutes), or too many queries from this terminal that matched nothing (paused for 10 minutes)", body = ApiError),
        (status = 500, description = "database failure (the hub's log has the cause)", body = ApiError),
    ))]
async fn case_query(
    State(hub): State<Hub>,
    Device(device): Device,
    Body(query): Body<kiosk_proto::service::CaseQuery>,
) -> Result<Json<kiosk_proto::service::CaseDetail>, Failure> {
    let case = crate::cases::query_from(&hub.store, &device, &query).await?;
    let mut cases = crate::supplements::with_asked(&hub.store, vec![case]).await?;
    Ok(Json(cases.remove(0)))
}

#[utoipa::path(post, path = "/v1/cases/mine", tag = "cases", request_body = kiosk_proto::service::HolderQuery,
    security(("device" = [])),
    responses(
        (status = 200, description = "the card holder's cases, newest first (at most 50)", body = Vec<kiosk_proto::service::CaseDetail>),
        (status = 400, description = "bad JSON or unknown fields", body = ApiError),
        (status = 413, description = "body over 256 KB", body = ApiError),
        (status = 401, description = "missing or wrong credential (empty body)"),
        (status = 500, description = "database failure (the hub's log has the cause)", body = ApiError),
    ))]
async fn cases_mine(
    State(hub): State<Hub>,
    Device(_): Device,
    Body(query): Body<kiosk_proto::service::HolderQuery>,
) -> Result<Json<Vec<kiosk_proto::service::CaseDetail>>, Failure> {
    let cases = crate::cases::mine(&hub.store, &query.id_number).await?;
    Ok(Json(
        crate::supplements::with_asked(&hub.store, cases).await?,
    ))
}

#[utoipa::path(post, path = "/v1/documents/mine", tag = "documents", request_body = kiosk_proto::service::HolderQuery,
    security(("device" = [])),
    responses(
        (status = 200, description = "the card holder's printable documents with today's copies and the limit", body = Vec<kiosk_proto::service::DocumentEntry>),
        (status = 400, description = "bad JSON or unknown fields", body = ApiError),
        (status = 413, description = "body over 256 KB", body = ApiError),
        (status = 401, description = "missing or wrong credential (empty body)"),
        (status = 500, description = "database failure (the hub's log has the cause)", body = ApiError),
    ))]
async fn documents_mine(
    State(hub): State<Hub>,
    Device(_): Device,
    Body(query): Body<kiosk_proto::service::HolderQuery>,
) -> Result<Json<Vec<kiosk_proto::service::DocumentEntry>>, Failure> {
    Ok(Json(
        crate::documents::mine(&hub.store, &query.id_number).await?,
    ))
}

#[utoipa::path(post, path = "/v1/claims", tag = "documents", request_body = kiosk_proto::service::ClaimRequest,
    security(("device" = [])),
    responses(
        (status = 200, description = "granted with the signed document, or the day's limit reached", body = kiosk_proto::service::ClaimReply),
        (status = 400, description = "bad JSON or unknown fields", body = ApiError),
        (status = 413, description = "body over 256 KB", body = ApiError),
        (status = 401, description = "missing or wrong credential (empty body)"),
        (status = 404, description = "the card holder has no such document", body = ApiError),
        (status = 500, description = "database failure (the hub's log has the cause)", body = ApiError),
    ))]
async fn claim(
    State(hub): State<Hub>,
    Device(device): Device,
    Body(request): Body<kiosk_proto::service::ClaimRequest>,
) -> Result<Json<kiosk_proto::service::ClaimReply>, Failure> {
    Ok(Json(
        crate::documents::claim(&hub.store, &device, &request).await?,
    ))
}

#[utoipa::path(post, path = "/v1/elicences/mine", tag = "applications", request_body = kiosk_proto::service::HolderQuery,
    security(("device" = [])),
    responses(
        (status = 200, description = "the card holder's e-licences in the library (免证办)", body = Vec<Elicence>),
        (status = 400, description = "bad JSON or unknown fields", body = ApiError),
        (status = 413, description = "body over 256 KB", body = ApiError),
        (status = 401, description = "missing or wrong credential (empty body)"),
        (status = 500, description = "database failure (the hub's log has the cause)", body = ApiError),
    ))]
async fn elicences_mine(
    State(hub): State<Hub>,
    Device(_): Device,
    Body(query): Body<kiosk_proto::service::HolderQuery>,
) -> Result<Json<Vec<Elicence>>, Failure> {
    Ok(Json(
        crate::applications::elicences_mine(&hub.store, &query.id_number).await?,
    ))
}

#[utoipa::path(post, path = "/v1/holder/facts", tag = "applications", request_body = kiosk_proto::service::HolderQuery,
    security(("device" = [])),
    responses(
        (status = 200, description = "what the hub holds of the card holder to prefill forms (两个免于提交)", body = kiosk_proto::application::HeldFacts),
        (status = 400, description = "bad JSON or unknown fields", body = ApiError),
        (status = 413, description = "body over 256 KB", body = ApiError),
        (status = 401, description = "missing or wrong credential (empty body)"),
        (status = 500, description = "database failure (the hub's log has the cause)", body = ApiError),
    ))]
async fn held_facts(
    State(hub): State<Hub>,
    Device(_): Device,
    Body(query): Body<kiosk_proto::service::HolderQuery>,
) -> Result<Json<kiosk_proto::application::HeldFacts>, Failure> {
    Ok(Json(
        crate::applications::held_facts(&hub.store, &query.id_number).await?,
    ))
}

#[utoipa::path(post, path = "/v1/pages/missing", tag = "applications", request_body = PageQuery,
    security(("device" = [])),
    responses(
        (status = 200, description = "those of the pages asked about that the hub does not hold", body = PageQuery),
        (status = 400, description = "bad JSON, unknown fields, over 100 pages or a name that is not a SHA-256", body = ApiError),
        (status = 413, description = "body over 256 KB", body = ApiError),
        (status = 401, description = "missing or wrong credential (empty body)"),
        (status = 500, description = "database failure (the hub's log has the cause)", body = ApiError),
    ))]
async fn pages_missing(
    State(hub): State<Hub>,
    Device(_): Device,
    Body(query): Body<PageQuery>,
) -> Result<Json<PageQuery>, Failure> {
    Ok(Json(PageQuery {
        sha256: crate::applications::missing_pages(&hub.store, &query.sha256).await?,
    }))
}

/// A page of a material, its name the SHA-256 of its bytes (a page already held changes nothing).
#[utoipa::path(put, path = "/v1/pages/{sha256}", tag = "applications",
    security(("device" = [])),
    params(("sha256" = String, Path, description = "the SHA-256 of the body, lower-case hex")),
    request_body(content = Vec<u8>, content_type = "image/jpeg", description = "a JPEG or PNG page, at most 4 MB"),
    responses(
        (status = 201, description = "stored"),
        (status = 200, description = "already held"),
        (status = 400, description = "not a JPEG or PNG, or the content does not match the name", body = ApiError),
        (status = 413, description = "over 4 MB", body = ApiError),
        (status = 401, description = "missing or wrong credential (empty body)"),
        (status = 500, description = "database failure (the hub's log has the cause)", body = ApiError),
    ))]
async fn put_page(
    State(hub): State<Hub>,
    Device(_): Device,
    axum::extract::Path(sha256): axum::extract::Path<String>,
    body: axum::body::Bytes,
) -> Result<StatusCode, Failure> {
    Ok(
        if crate::applications::put_page(&hub.store, &sha256, &body).await? {
            StatusCode::CREATED
        } else {
            StatusCode::OK
        },
    )
}

#[utoipa::path(post, path = "/v1/applications", tag = "applications", request_body = Application,
    security(("device" = [])),
    responses(
        (status = 200, description = "the case made (the same answer however often the application is sent); for a 补正 (`completes` names the application), the supplement taken and the case waiting to be accepted again", body = ApplicationReceipt),
        (status = 400, description = "bad JSON, unknown fields, or a value, material, delivery or signature the published form refuses; a field a guide filled that is personal; a 补正 that gives other items than those asked, or for an application not the applicant's or not waiting for 补正", body = ApiError),
        (status = 409, description = "pages not sent yet (the message lists them), or the number belongs to another application", body = ApiError),
        (status = 413, description = "body over 256 KB", body = ApiError),
        (status = 401, description = "missing or wrong credential (empty body)"),
        (status = 500, description = "database failure (the hub's log has the cause)", body = ApiError),
    ))]
async fn application(
    State(hub): State<Hub>,
    Device(device): Device,
    Body(application): Body<Application>,
) -> Result<Json<ApplicationReceipt>, Failure> {
    Ok(Json(match application.completes {
        Some(_) => crate::supplements::intake(&hub.store, &device, &application).await?,
        None => crate::applications::intake(&hub.store, &device, &application).await?,
    }))
}

/// A screenshot's answer may be larger than other bodies.
const SCREENSHOT_LIMIT: usize = 4 * 1024 * 1024;

/// The settings the operators published for this terminal (everyone's, its hall's, its own), with the
/// version; fetched when a heartbeat's reply names a newer version than the terminal applied.
#[utoipa::path(get, path = "/v1/settings", tag = "terminals",
    security(("device" = [])),
    responses(
        (status = 200, description = "the terminal's settings and their version", body = kiosk_proto::remote::SettingsReply),
        (status = 401, description = "missing or wrong credential (empty body)"),
        (status = 500, description = "database failure (the hub's log has the cause)", body = ApiError),
    ))]
async fn remote_settings(
    State(hub): State<Hub>,
    Device(device): Device,
) -> Result<Json<kiosk_proto::remote::SettingsReply>, Failure> {
    Ok(Json(
        crate::remote::for_terminal(&hub.store, &device).await?,
    ))
}

/// The terminal's answer to a command its heartbeat carried (`screenshot 1733…`: the id after the name).
#[utoipa::path(post, path = "/v1/commands/{id}", tag = "terminals",
    security(("device" = [])),
    params(("id" = i64, Path, description = "the command's id, as the heartbeat gave it")),
    request_body = kiosk_proto::remote::CommandResult,
    responses(
        (status = 204, description = "kept (a second answer changes nothing)"),
        (status = 400, description = "bad JSON or unknown fields", body = ApiError),
        (status = 401, description = "missing or wrong credential (empty body)"),
        (status = 404, description = "no such command for this terminal", body = ApiError),
        (status = 413, description = "body over 4 MB", body = ApiError),
        (status = 500, description = "database failure (the hub's log has the cause)", body = ApiError),
    ))]
async fn command_result(
    State(hub): State<Hub>,
    Device(device): Device,
    axum::extract::Path(id): axum::extract::Path<i64>,
    Body(result): Body<kiosk_proto::remote::CommandResult>,
) -> Result<StatusCode, Failure> {
    crate::remote::finish(&hub.store, &device, id, &result).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The hub's public keys (no credential needed).
#[utoipa::path(get, path = "/v1/keys", tag = "documents",
    responses((status = 200, description = "the keys documents and licence codes are signed with", body = kiosk_proto::service::Keys)))]
async fn keys(State(hub): State<Hub>) -> Json<kiosk_proto::service::Keys> {
    Json(kiosk_proto::service::Keys {
        keys: hub
            .store
            .verifying_keys()
            .iter()
            .map(|key| kiosk_proto::service::PublicKey {
                id: kiosk_proto::verify::public_key_hex(key),
                algorithm: "Ed25519".into(),
            })
            .collect(),
    })
}

/// Checks a licence's QR text (no credential needed: anyone holding the paper may ask).
#[utoipa::path(post, path = "/v1/verify", tag = "documents", request_body = kiosk_proto::service::VerifyRequest,
    responses(
        (status = 200, description = "whether the code is the hub's and on record, and what it vouches for", body = kiosk_proto::service::VerifyReply),
        (status = 400, description = "bad JSON or unknown fields", body = ApiError),
        (status = 413, description = "body over 256 KB", body = ApiError),
        (status = 500, description = "database failure (the hub's log has the cause)", body = ApiError),
    ))]
async fn verify(
    State(hub): State<Hub>,
    Body(request): Body<kiosk_proto::service::VerifyRequest>,
) -> Result<Json<kiosk_proto::service::VerifyReply>, Failure> {
    Ok(Json(
        crate::documents::verify(&hub.store, &request.code).await?,
    ))
}

#[utoipa::path(get, path = "/v1/fleet", tag = "terminals",
    security(("device" = [])),
    responses(
        (status = 200, description = "every enrolled terminal and its liveness", body = Vec<FleetEntry>),
        (status = 401, description = "missing or wrong credential (empty body)"),        (status = 500, description = "database failure (the hub's log has the cause)", body = ApiError),
    ))]
async fn fleet_listing(
    State(hub): State<Hub>,
    Device(_): Device,
) -> Result<Json<Vec<FleetEntry>>, Failure> {
    Ok(Json(fleet::listing(&hub.store, now_ms()).await?))
}

async fn measure(State(hub): State<Hub>, request: Request, next: Next) -> Response {
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map(|p| p.as_str().to_string())
        .unwrap_or_else(|| "unmatched".into());
    let start = Instant::now();
    let response = next.run(request).await;
    let seconds = start.elapsed().as_secs_f64();
    let mut requests = hub
        .metrics
        .requests
        .lock()
        .unwrap_or_else(|e| e.into_inner());
    let entry = requests
        .entry((route, response.status().as_u16()))
        .or_insert((0, 0.0));
    entry.0 += 1;
    entry.1 += seconds;
    response
}

/// Prometheus text: requests and their time by route and status, terminals by liveness, and each
/// terminal's signals that the alert rules shipped with the package (`kiosk-hub.rules.yml`) watch.
#[utoipa::path(get, path = "/metrics", tag = "operations",
    responses((status = 200, description = "Prometheus text format 0.0.4", body = String, content_type = "text/plain")))]
async fn metrics(State(hub): State<Hub>) -> Response {
    let mut out = String::new();
    out.push_str("# HELP kiosk_hub_requests_total Requests answered, by route and status.\n");
    out.push_str("# TYPE kiosk_hub_requests_total counter\n");
    let requests = hub
        .metrics
        .requests
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .clone();
    for ((route, status), (count, _)) in &requests {
        out.push_str(&format!(
            "kiosk_hub_requests_total{{route=\"{route}\",status=\"{status}\"}} {count}\n"
        ));
    }
    out.push_str(
        "# HELP kiosk_hub_request_seconds_total Time spent answering, by route and status.\n",
    );
    out.push_str("# TYPE kiosk_hub_request_seconds_total counter\n");
    for ((route, status), (_, seconds)) in &requests {
        out.push_str(&format!(
            "kiosk_hub_request_seconds_total{{route=\"{route}\",status=\"{status}\"}} {seconds:.6}\n"
        ));
    }
    if let Ok(fleet) = fleet::listing(&hub.store, now_ms()).await {
        fleet::gauges(&fleet, &mut out);
    }
    ([(header::CONTENT_TYPE, "text/plain; version=0.0.4")], out).into_response()
}
