//! The OpenAPI document at /openapi.json: generated from the code, it names every endpoint, the credential
//! each needs, its error answers, and the schema of every body.

use crate::common;

use common::{Backend, Running};

/// `method` on `path` is served: the router's fallback would say 404.
async fn served(hub: &Running, method: &str, path: &str) {
    let answer = hub
        .client
        .request(method.to_uppercase().parse().unwrap(), hub.url(path))
        .send()
        .await
        .unwrap();
    assert_ne!(
        answer.status(),
        reqwest::StatusCode::NOT_FOUND,
        "{method} {path}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn the_openapi_document_covers_every_endpoint_its_errors_and_schemas() {
    let hub = Running::start(Backend::Sqlite).await;
    let reply = hub
        .client
        .get(hub.url("/openapi.json"))
        .send()
        .await
        .unwrap();
    assert_eq!(
        reply.status(),
        reqwest::StatusCode::OK,
        "no credential needed"
    );
    let doc: serde_json::Value = reply.json().await.unwrap();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    let paths = doc["paths"].as_object().unwrap();
    let mut names: Vec<&str> = paths.keys().map(String::as_str).collect();
    names.sort();
    assert_eq!(
        names,
        [
            "/healthz",
            "/metrics",
            "/openapi.json",
            "/v1/applications",
            "/v1/cases/mine",
            "/v1/cases/query",
            "/v1/catalogue",
            "/v1/claims",
            "/v1/codes/redeem",
            "/v1/commands/{id}",
            "/v1/credential",
            "/v1/documents/mine",
            "/v1/elicences/mine",
            "/v1/enroll",
            "/v1/enterprises/mine",
            "/v1/events",
            "/v1/fleet",
            "/v1/heartbeat",
            "/v1/holder/facts",
            "/v1/keys",
            "/v1/pages/missing",
            "/v1/pages/{sha256}",
            "/v1/settings",
            "/v1/tickets",
            "/v1/uploads",
            "/v1/uploads/{token}",
            "/v1/verify",
        ]
    );
    for (path, item) in paths {
        for (method, operation) in item.as_object().unwrap() {
            let responses = operation["responses"].as_object().unwrap();
            // Each path the document names is served (the router's fallback would say 404).
            served(&hub, method, path).await;
            let public = ["/v1/enroll", "/v1/keys", "/v1/verify"];
            if path.starts_with("/v1/") && !public.contains(&path.as_str()) {
                assert_eq!(
                    operation["security"][0]["device"],
                    serde_json::json!([]),
                    "{path} needs the device credential"
                );
                assert!(responses.contains_key("401"), "{path}");
                assert!(responses.contains_key("500"), "{path}");
            }
            // Every POST takes a body but the credential's rotation (asked with the credential alone).
            if method == "post" && path != "/v1/credential" {
                assert!(
                    responses.contains_key("400") && responses.contains_key("413"),
                    "{path}"
                );
                assert!(operation["requestBody"].is_object(), "{path}");
            }
        }
    }
    let schemas = doc["components"]["schemas"].as_object().unwrap();
    for schema in [
        "ApiError",
        "CaseQuery",
        "CaseDetail",
        "HolderQuery",
        "DocumentEntry",
        "ClaimRequest",
        "ClaimReply",
        "SignedDocument",
        "Keys",
        "VerifyReply",
        "Rating",
        "ClaimEnd",
        "EnrollRequest",
        "EnrollReply",
        "Heartbeat",
        "HeartbeatReply",
        "FleetEntry",
        "Liveness",
        "Catalogue",
        "Service",
        "LocalText",
        "EventBatch",
        "Event",
        "EventReceipt",
        "TicketRequest",
        "TicketReply",
    ] {
        assert!(
            schemas.contains_key(schema),
            "{schema} missing: {:?}",
            schemas.keys()
        );
    }
    assert_eq!(
        doc["components"]["securitySchemes"]["device"]["scheme"],
        "bearer"
    );
}

/// The console's document names every `/console/api` route the router serves (so schemathesis reaches
/// them all), each with the login it needs, and every change with the anti-forgery token as well.
#[tokio::test(flavor = "multi_thread")]
async fn the_console_document_covers_every_console_call_with_its_login_and_token() {
    let hub = Running::start(Backend::Sqlite).await;
    let doc: serde_json::Value = hub
        .client
        .get(hub.url("/console/openapi.json"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let paths = doc["paths"].as_object().unwrap();
    let router = include_str!("../../src/api.rs");
    let routed: Vec<&str> = router
        .split("\"/console/api/")
        .skip(1)
        .map(|rest| &rest[..rest.find('"').unwrap()])
        .collect();
    assert!(routed.len() >= 15, "{routed:?}");
    for route in routed {
        let path = format!("/console/api/{route}");
        assert!(
            paths.contains_key(&path),
            "{path} is not in the console's document"
        );
    }
    for (path, item) in paths {
        for (method, operation) in item.as_object().unwrap() {
            // Served: without a login, a 401 (or the login's own answer), never the fallback's 404.
            served(&hub, method, path).await;
            if path == "/console/login" {
                continue;
            }
            let security = &operation["security"][0];
            assert_eq!(security["login"], serde_json::json!([]), "{path}");
            assert_eq!(
                security.get("csrf").is_some(),
                method == "post",
                "{method} {path}: a change carries the anti-forgery token"
            );
        }
    }
    // The queue links to the detail and the decision (schemathesis follows them with real numbers).
    let links = &paths["/console/api/queue"]["get"]["responses"]["200"]["links"];
    assert_eq!(links["detail"]["operationId"], "detail_route");
    assert_eq!(links["act"]["operationId"], "act_route");
    let schemes = &doc["components"]["securitySchemes"];
    assert_eq!(schemes["login"]["in"], "cookie");
    assert_eq!(schemes["login"]["name"], "kiosk_staff");
    assert_eq!(schemes["csrf"]["name"], "X-CSRF-Token");
}
