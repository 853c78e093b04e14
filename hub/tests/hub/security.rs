//! The consoles' guards on the wire: the login cookie's flags, a change refused without the page's
//! anti-forgery token or from another site, the pages' Content-Security-Policy and headers, and a login
//! ended in one hub process refused by another at once.

use reqwest::StatusCode;
use serde_json::json;

use crate::common::{csrf, session_cookie, Backend, Running};

async fn admin_login(hub: &Running) -> reqwest::Response {
    kiosk_hub::staff::save(
        &hub.store,
        "test",
        "root.admin",
        ("管理员", "0001"),
        Some("admin-password"),
        kiosk_hub::staff::Role::Admin,
        &[],
    )
    .await
    .unwrap();
    let answer = log_in(hub, None).await;
    assert_eq!(answer.status(), StatusCode::NO_CONTENT);
    answer
}

/// The admin's login, from a page of `origin` when given.
async fn log_in(hub: &Running, origin: Option<&str>) -> reqwest::Response {
    let mut request = hub
        .client
        .post(hub.url("/console/login"))
        .json(&json!({"username": "root.admin", "password": "admin-password"}));
    if let Some(origin) = origin {
        request = request.header("origin", origin);
    }
    request.send().await.unwrap()
}

async fn save_account(
    hub: &Running,
    base: &str,
    cookie: &str,
    token: Option<&str>,
    origin: Option<&str>,
) -> (StatusCode, String) {
    let mut request = hub
        .client
        .post(format!("{base}/console/api/staff"))
        .header("cookie", cookie)
        .json(
            &json!({"username": "guide.wang", "name": "王芳", "number": "0300",
            "password": "guide-password", "role": "guide"}),
        );
    if let Some(token) = token {
        request = request.header("x-csrf-token", token);
    }
    if let Some(origin) = origin {
        request = request.header("origin", origin);
    }
    let answer = request.send().await.unwrap();
    (answer.status(), answer.text().await.unwrap())
}

#[tokio::test]
async fn a_console_change_needs_the_pages_anti_forgery_token_and_its_own_site() {
    let hub = Running::start(Backend::Sqlite).await;
    let login = admin_login(&hub).await;
    let set = login.headers()["set-cookie"].to_str().unwrap().to_string();
    for flag in ["HttpOnly", "SameSite=Strict", "Path=/console", "Max-Age="] {
        assert!(set.contains(flag), "the login cookie lacks {flag}: {set}");
    }
    let cookie = session_cookie(&login);
    let token = csrf(&hub, &cookie).await;
    assert_eq!(token.len(), 64);

    let (status, said) = save_account(&hub, &hub.base, &cookie, None, None).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{said}");
    assert!(
        said.contains("anti-forgery token is missing or wrong"),
        "{said}"
    );
    let wrong = "0".repeat(64);
    let (status, _) = save_account(&hub, &hub.base, &cookie, Some(&wrong), None).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    // Another site's page, even holding the token, changes nothing.
    let (status, said) = save_account(
        &hub,
        &hub.base,
        &cookie,
        Some(&token),
        Some("http://evil.example"),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{said}");
    assert!(said.contains("own page"), "{said}");
    // Nothing was saved by the refused attempts.
    assert!(kiosk_hub::staff::badge(&hub.store, "guide.wang")
        .await
        .unwrap()
        .is_none());
    let (status, said) = save_account(&hub, &hub.base, &cookie, Some(&token), None).await;
    assert_eq!(status, StatusCode::OK, "{said}");
    let records = kiosk_hub::audit::recent(&hub.store, &["staff_saved"], 1)
        .await
        .unwrap();
    assert_eq!(
        (
            records[0].entry.actor.as_str(),
            records[0].entry.target.as_str()
        ),
        ("root.admin", "guide.wang")
    );

    // A login from another site's page is refused before the password is looked at.
    let answer = log_in(&hub, Some("http://evil.example")).await;
    assert_eq!(answer.status(), StatusCode::FORBIDDEN);
    // A forged logout ends nothing.
    let answer = hub
        .client
        .post(hub.url("/console/logout"))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), StatusCode::FORBIDDEN);
    let me = hub
        .client
        .get(hub.url("/console/me"))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(me.status(), StatusCode::OK);
    assert_eq!(me.headers()["cache-control"], "no-store");
}

#[tokio::test]
async fn pages_run_only_the_hubs_own_scripts_cannot_be_framed_and_are_not_sniffed() {
    let hub = Running::start(Backend::Sqlite).await;
    let page = hub.client.get(hub.url("/console")).send().await.unwrap();
    let headers = page.headers().clone();
    let policy = headers["content-security-policy"].to_str().unwrap();
    assert_eq!(policy, kiosk_hub::guard::CONTENT_SECURITY_POLICY);
    for must in [
        "default-src 'none'",
        "script-src 'self'",
        "frame-ancestors 'none'",
    ] {
        assert!(policy.contains(must), "{policy}");
    }
    assert!(!policy.contains("unsafe"), "{policy}");
    assert_eq!(headers["x-frame-options"], "DENY");
    assert_eq!(headers["x-content-type-options"], "nosniff");
    assert_eq!(headers["referrer-policy"], "no-referrer");
    // The pages hold no inline script or style the policy would block.
    for html in [
        page.text().await.unwrap(),
        include_str!("../../phone/index.html").to_string(),
    ] {
        let lower = html.to_lowercase();
        for opening in lower.match_indices("<script").map(|(at, _)| &lower[at..]) {
            let tag = &opening[..opening.find('>').unwrap()];
            assert!(tag.contains(" src="), "an inline script: {tag}");
        }
        assert!(!lower.contains("<style"), "an inline style block");
        assert!(!lower.contains(" style="), "an inline style attribute");
        assert!(
            !regex_like_handler(&lower),
            "an inline event handler (onclick=…)"
        );
    }
    let script = hub
        .client
        .get(hub.url("/console/console.js"))
        .send()
        .await
        .unwrap();
    assert_eq!(script.headers()["x-content-type-options"], "nosniff");
    assert!(script.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/javascript"));
}

/// Whether `html` has an attribute `on…=` (an inline event handler).
fn regex_like_handler(html: &str) -> bool {
    html.match_indices(" on").any(|(at, _)| {
        let rest = &html[at + 3..];
        let name: String = rest
            .chars()
            .take_while(|c| c.is_ascii_alphabetic())
            .collect();
        !name.is_empty() && rest[name.len()..].starts_with('=')
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_login_ended_in_one_hub_process_is_refused_by_another_at_once() {
    for backend in crate::common::backends() {
        let hub = Running::start(backend).await;
        let (other, _stop) = hub.another().await;
        let cookie = session_cookie(&admin_login(&hub).await);
        let me = |base: String| {
            let (client, cookie) = (hub.client.clone(), cookie.clone());
            async move {
                client
                    .get(format!("{base}/console/me"))
                    .header("cookie", cookie)
                    .send()
                    .await
                    .unwrap()
                    .status()
            }
        };
        assert_eq!(me(other.clone()).await, StatusCode::OK, "{backend}");
        let token = csrf(&hub, &cookie).await;
        let answer = hub
            .client
            .post(hub.url("/console/logout"))
            .header("cookie", &cookie)
            .header("x-csrf-token", token)
            .send()
            .await
            .unwrap();
        assert_eq!(answer.status(), StatusCode::NO_CONTENT);
        assert!(answer.headers()["set-cookie"]
            .to_str()
            .unwrap()
            .contains("Max-Age=0"));
        assert_eq!(me(other).await, StatusCode::UNAUTHORIZED, "{backend}");
        assert_eq!(me(hub.base.clone()).await, StatusCode::UNAUTHORIZED);
    }
}

/// A client that trusts only the CA whose certificate is at `ca`.
fn trusting(ca: &std::path::Path) -> reqwest::Client {
    reqwest::Client::builder()
        .tls_built_in_root_certs(false)
        .add_root_certificate(reqwest::Certificate::from_pem(&std::fs::read(ca).unwrap()).unwrap())
        .build()
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_hub_serves_tls_with_its_certificate_and_a_secure_login_cookie() {
    let dir = tempfile::tempdir().unwrap();
    let names = ["127.0.0.1".to_string(), "localhost".to_string()];
    let issued = kiosk_hub::tls::init(&dir.path().join("hall"), &names, "test hall CA").unwrap();
    let other = kiosk_hub::tls::init(&dir.path().join("other"), &names, "another CA").unwrap();
    use std::os::unix::fs::PermissionsExt;
    for key in [&issued.key, &issued.ca_key] {
        let mode = std::fs::metadata(key).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "{} is readable by others", key.display());
    }
    let store =
        kiosk_hub::Store::open(&format!("sqlite://{}", dir.path().join("hub.db").display()))
            .await
            .unwrap();
    kiosk_hub::staff::save(
        &store,
        "test",
        "root.admin",
        ("管理员", "0001"),
        Some("admin-password"),
        kiosk_hub::staff::Role::Admin,
        &[],
    )
    .await
    .unwrap();
    let tls = kiosk_hub::tls::server_config(&issued.cert, &issued.key).unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(kiosk_hub::serve_tls(listener, tls, store, async {
        let _ = stopped.await;
    }));

    let hall = trusting(&issued.ca);
    let health = hall
        .get(format!("https://127.0.0.1:{port}/healthz"))
        .send()
        .await
        .unwrap();
    assert_eq!(health.status(), StatusCode::OK);
    let login = hall
        .post(format!("https://localhost:{port}/console/login"))
        .json(&json!({"username": "root.admin", "password": "admin-password"}))
        .send()
        .await
        .unwrap();
    assert_eq!(login.status(), StatusCode::NO_CONTENT);
    let cookie = login.headers()["set-cookie"].to_str().unwrap();
    assert!(cookie.contains("; Secure"), "{cookie}");
    assert!(cookie.contains("HttpOnly"), "{cookie}");

    // A client that trusts another CA refuses the hub; one that speaks plain HTTP gets nothing.
    let refused = trusting(&other.ca)
        .get(format!("https://127.0.0.1:{port}/healthz"))
        .send()
        .await
        .unwrap_err();
    let mut why = refused.to_string();
    let mut source = std::error::Error::source(&refused);
    while let Some(cause) = source {
        why.push_str(&format!(": {cause}"));
        source = cause.source();
    }
    assert!(why.contains("certificate"), "{why}");
    let plain = reqwest::Client::new()
        .get(format!("http://127.0.0.1:{port}/healthz"))
        .send()
        .await;
    assert!(
        plain.map(|r| r.status() != StatusCode::OK).unwrap_or(true),
        "plain HTTP answered"
    );
    // The hub still serves after the refused handshakes.
    let again = hall
        .get(format!("https://127.0.0.1:{port}/healthz"))
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), StatusCode::OK);
    let _ = stop.send(());
    server.await.unwrap().unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_revoked_credential_is_refused_by_another_hub_process_within_seconds() {
    for backend in crate::common::backends() {
        let hub = Running::start(backend).await;
        let terminal = hub.enrolled("SZ-0009").await;
        let (other, _stop) = hub.another().await;
        let beat = |base: String| {
            let (client, credential) = (hub.client.clone(), terminal.credential.clone());
            async move {
                client
                    .post(format!("{base}/v1/heartbeat"))
                    .bearer_auth(credential)
                    .json(&kiosk_proto::fleet::Heartbeat::default())
                    .send()
                    .await
                    .unwrap()
                    .status()
            }
        };
        // The other process has checked (and remembers) the credential.
        assert_eq!(beat(other.clone()).await, StatusCode::OK, "{backend}");
        kiosk_hub::fleet::revoke_credential(&hub.store, "SZ-0009", "ops")
            .await
            .unwrap();
        let revoked = std::time::Instant::now();
        assert_eq!(beat(hub.base.clone()).await, StatusCode::UNAUTHORIZED);
        while beat(other.clone()).await != StatusCode::UNAUTHORIZED {
            assert!(
                revoked.elapsed() < std::time::Duration::from_secs(5),
                "{backend}: the other process still takes a revoked credential after 5 s"
            );
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        eprintln!(
            "{backend}: refused by the other process {} ms after the revocation",
            revoked.elapsed().as_millis()
        );
        // Nothing to rotate either.
        let asked = hub
            .client
            .post(hub.url("/v1/credential"))
            .bearer_auth(&terminal.credential)
            .send()
            .await
            .unwrap();
        assert_eq!(asked.status(), StatusCode::UNAUTHORIZED);
        let audit = kiosk_hub::audit::recent(&hub.store, &["credential_revoked"], 1)
            .await
            .unwrap();
        assert_eq!(audit[0].entry.target, "SZ-0009");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_credential_replaces_the_old_one_at_its_first_use_and_a_lost_one_is_never_valid() {
    for backend in crate::common::backends() {
        let hub = Running::start(backend).await;
        let old = hub.enrolled("SZ-0010").await.credential;
        let ask = |credential: String| {
            let (client, url) = (hub.client.clone(), hub.url("/v1/credential"));
            async move {
                let reply = client
                    .post(url)
                    .bearer_auth(credential)
                    .send()
                    .await
                    .unwrap();
                assert_eq!(reply.status(), StatusCode::OK);
                reply
                    .json::<kiosk_proto::fleet::CredentialReply>()
                    .await
                    .unwrap()
                    .credential
            }
        };
        let status = |credential: String| {
            let (client, url) = (hub.client.clone(), hub.url("/v1/heartbeat"));
            async move {
                client
                    .post(url)
                    .bearer_auth(credential)
                    .json(&kiosk_proto::fleet::Heartbeat::default())
                    .send()
                    .await
                    .unwrap()
                    .status()
            }
        };
        // The first answer is lost on the way: the terminal asks again with its old credential.
        let lost = ask(old.clone()).await;
        let new = ask(old.clone()).await;
        assert_ne!(lost, new);
        assert_eq!(
            status(old.clone()).await,
            StatusCode::OK,
            "{backend}: old until new is used"
        );
        assert_eq!(status(lost).await, StatusCode::UNAUTHORIZED, "{backend}");
        assert_eq!(status(new.clone()).await, StatusCode::OK, "{backend}");
        assert_eq!(status(old).await, StatusCode::UNAUTHORIZED, "{backend}");
        assert_eq!(status(new).await, StatusCode::OK, "{backend}");
    }
}

/// Every licence QR's signed text (`ZWFW1.…`) in `value`.
fn codes_in(value: &serde_json::Value, found: &mut Vec<String>) {
    match value {
        serde_json::Value::String(text) if text.starts_with("ZWFW1.") => found.push(text.clone()),
        serde_json::Value::Object(map) => map.values().for_each(|v| codes_in(v, found)),
        serde_json::Value::Array(items) => items.iter().for_each(|v| codes_in(v, found)),
        _ => {}
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn after_a_key_rotation_what_the_old_key_signed_still_checks_and_terminals_fetch_the_keys() {
    use sqlx::Row;
    for backend in crate::common::backends() {
        let hub = Running::start(backend).await;
        kiosk_hub::seed::demo(&hub.store).await.unwrap();
        hub.enrolled("SZ-0011").await;
        let old_id = kiosk_proto::verify::public_key_hex(&hub.store.signing_key().verifying_key());
        let mut codes = Vec::new();
        for row in sqlx::query("SELECT body FROM documents")
            .fetch_all(hub.store.pool())
            .await
            .unwrap()
        {
            let body: String = row.try_get(0).unwrap();
            codes_in(&serde_json::from_str(&body).unwrap(), &mut codes);
        }
        let signed_before = codes.first().expect("a seeded licence code").clone();

        let rotated = kiosk_hub::keys::rotate(&hub.store, "ops").await.unwrap();
        assert_eq!(rotated.old, old_id);
        assert_eq!(rotated.terminals, 1);
        // A hub process started after the rotation signs with the new key and lists both.
        let (restarted, _stop) = hub.another().await;
        let keys: kiosk_proto::service::Keys = hub
            .client
            .get(format!("{restarted}/v1/keys"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let ids: Vec<&str> = keys.keys.iter().map(|k| k.id.as_str()).collect();
        assert_eq!(ids, [rotated.new.as_str(), old_id.as_str()], "{backend}");
        let verified: kiosk_proto::service::VerifyReply = hub
            .client
            .post(format!("{restarted}/v1/verify"))
            .json(&json!({ "code": signed_before }))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert!(verified.valid, "{backend}: {:?}", verified.reason);
        let store = kiosk_hub::Store::open(&hub.store_url()).await.unwrap();
        let key_id = kiosk_proto::verify::public_key_hex(&store.signing_key().verifying_key());
        assert_eq!(key_id, rotated.new);
        // Every terminal is asked to fetch the keys again; the rotation is audited.
        let commands = kiosk_hub::remote::commands_of(&hub.store, "SZ-0011", 5)
            .await
            .unwrap();
        assert_eq!(commands[0].command, "refresh_keys");
        let audit = kiosk_hub::audit::recent(&hub.store, &["signing_key_rotated"], 1)
            .await
            .unwrap();
        assert_eq!(audit[0].entry.target, rotated.new);
        // A second rotation keeps both earlier keys.
        let again = kiosk_hub::keys::rotate(&hub.store, "ops").await.unwrap();
        let store = kiosk_hub::Store::open(&hub.store_url()).await.unwrap();
        let all: Vec<String> = store
            .verifying_keys()
            .iter()
            .map(kiosk_proto::verify::public_key_hex)
            .collect();
        assert_eq!(all, [again.new, rotated.new, old_id], "{backend}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_terminal_trying_many_case_numbers_is_paused_and_the_operators_are_told() {
    for backend in crate::common::backends() {
        let hub = Running::start(backend).await;
        kiosk_hub::seed::demo(&hub.store).await.unwrap();
        let guesser = hub.enrolled("SZ-0012").await.credential;
        let honest = hub.enrolled("SZ-0013").await.credential;
        let ask = |credential: String, case_no: String| {
            let (client, url) = (hub.client.clone(), hub.url("/v1/cases/query"));
            async move {
                let reply = client
                    .post(url)
                    .bearer_auth(credential)
                    .json(&json!({"case_no": case_no, "id_last6": "000000"}))
                    .send()
                    .await
                    .unwrap();
                (reply.status(), reply.text().await.unwrap())
            }
        };
        // Twenty numbers tried once each: each is "not found", none is locked by itself.
        for n in 0..kiosk_hub::cases::TERMINAL_MISSES {
            let (status, _) = ask(guesser.clone(), format!("SZ2026{n:06}")).await;
            assert_eq!(status, StatusCode::NOT_FOUND, "{backend}: try {n}");
        }
        let (status, said) = ask(guesser.clone(), "SZ2026999999".into()).await;
        assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "{backend}");
        assert!(said.contains("try again in 10 minutes"), "{said}");
        // Another terminal is not slowed.
        let (status, _) = ask(honest, "SZ2026999999".into()).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{backend}");
        let told = kiosk_hub::remote::audited(&hub.store, 5).await.unwrap();
        assert_eq!(told[0].action, "case_queries_paused", "{backend}");
        assert_eq!(told[0].target, "SZ-0012");
    }
}

/// Text with a NUL character (which PostgreSQL cannot store; schemathesis found a staff name holding one
/// answered with a 500) is refused with a 400 wherever it comes: a console form, a terminal's request, an
/// address.
#[tokio::test(flavor = "multi_thread")]
async fn text_with_a_nul_character_is_refused_not_a_server_error() {
    for backend in crate::common::backends() {
        let hub = Running::start(backend).await;
        let cookie = session_cookie(&admin_login(&hub).await);
        let token = csrf(&hub, &cookie).await;
        let form = hub
            .client
            .post(hub.url("/console/api/staff"))
            .header("cookie", &cookie)
            .header("x-csrf-token", &token)
            .json(
                &json!({"username": "guide.wang", "name": "王\u{0}芳", "number": "0300",
                "password": "guide-password", "role": "guide"}),
            )
            .send()
            .await
            .unwrap();
        assert_eq!(form.status(), StatusCode::BAD_REQUEST, "{backend}");
        assert!(form.text().await.unwrap().contains("NUL"));
        let credential = hub.enrolled("SZ-T-30").await.credential;
        let ticket = hub
            .client
            .post(hub.url("/v1/tickets"))
            .bearer_auth(&credential)
            .json(&json!({"service": "SZ\u{0}0001"}))
            .send()
            .await
            .unwrap();
        assert_eq!(ticket.status(), StatusCode::BAD_REQUEST, "{backend}");
        for path in [
            "/console/api/applications/SB%00/actions",
            "/console/api/ratings?month=2026-1%00",
            "/v1/uploads/a%00b",
        ] {
            let answer = hub
                .client
                .get(hub.url(path))
                .header("cookie", &cookie)
                .bearer_auth(&credential)
                .send()
                .await
                .unwrap();
            assert_eq!(answer.status(), StatusCode::BAD_REQUEST, "{backend} {path}");
        }
        // A form without one still goes through.
        let (status, _) = save_account(&hub, &hub.base, &cookie, Some(&token), None).await;
        assert_eq!(status, StatusCode::OK, "{backend}");
    }
}

/// A terminal's clock gone wild (a beat's clock, a record's time at the ends of an i64) neither fails the
/// hub nor holds the terminal's outbox up: the record is kept at the time received, the reports and the
/// fleet still answer (schemathesis found the fleet listing overflowing on a beat's interval).
#[tokio::test(flavor = "multi_thread")]
async fn times_from_the_ends_of_time_are_taken_and_every_report_still_answers() {
    for backend in crate::common::backends() {
        let hub = Running::start(backend).await;
        let credential = hub.enrolled("SZ-T-30").await.credential;
        let cookie = session_cookie(&admin_login(&hub).await);
        for (n, at) in [i64::MAX, i64::MIN].into_iter().enumerate() {
            let batch = json!({"events": [{"id": format!("wild-{n}"), "kind": "rating", "occurred_ms": at,
                "body": {"service": "SZ-0001", "level": 5}}]});
            let sent = hub
                .client
                .post(hub.url("/v1/events"))
                .bearer_auth(&credential)
                .json(&batch)
                .send()
                .await
                .unwrap();
            assert_eq!(sent.status(), StatusCode::OK, "{backend}");
            let beat = json!({"devices": {}, "outbox_depth": 0, "software_version": "1",
                "config_version": 0, "catalogue_version": 0, "clock_ms": at, "oldest_waiting_ms": at});
            let beat = hub
                .client
                .post(hub.url("/v1/heartbeat"))
                .bearer_auth(&credential)
                .json(&beat)
                .send()
                .await
                .unwrap();
            assert_eq!(beat.status(), StatusCode::OK, "{backend}");
        }
        for path in [
            "/console/api/ratings",
            "/console/api/ratings.csv",
            "/console/api/fleet",
        ] {
            let answer = hub
                .client
                .get(hub.url(path))
                .header("cookie", &cookie)
                .send()
                .await
                .unwrap();
            assert_eq!(answer.status(), StatusCode::OK, "{backend} {path}");
        }
        for path in ["/metrics", "/v1/fleet"] {
            let answer = hub
                .client
                .get(hub.url(path))
                .bearer_auth(&credential)
                .send()
                .await
                .unwrap();
            assert_eq!(answer.status(), StatusCode::OK, "{backend} {path}");
        }
    }
}
