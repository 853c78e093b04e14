//! The hub on loopback with a real database, each scenario on SQLite and on PostgreSQL (127.0.0.1:5432, or
//! `KIOSK_HUB_TEST_POSTGRES`): enrolment, credentials, heartbeats, the fleet, and the 4xx answers.

use crate::common;

use common::{backends, Running};
use kiosk_hub::fleet;
use kiosk_proto::fleet::{EnrollReply, FleetEntry, Heartbeat, HeartbeatReply, Liveness};
use reqwest::StatusCode;

fn beat() -> Heartbeat {
    Heartbeat {
        devices: [("printer".to_string(), "fault: paper out".to_string())].into(),
        outbox_depth: 3,
        software_version: "0.1.0".into(),
        config_version: 0,
        catalogue_version: 0,
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_terminal_enrols_with_a_one_time_code_beats_and_shows_online_in_the_fleet() {
    for backend in backends() {
        let hub = Running::start(backend).await;
        let code = fleet::create_code(&hub.store, "吴中区政务服务中心")
            .await
            .unwrap();
        assert_eq!(code.len(), 14, "{code}");
        let enrol = |code: String, device: &'static str| {
            hub.client
                .post(hub.url("/v1/enroll"))
                .json(&serde_json::json!({"code": code, "device_id": device}))
                .send()
        };
        // Typed from paper: lower case and without dashes still works.
        let typed = code.replace('-', "").to_lowercase();
        let reply: EnrollReply = enrol(typed, "WZ-0001").await.unwrap().json().await.unwrap();
        assert_eq!(reply.hall, "吴中区政务服务中心");
        assert!(reply.credential.starts_with("WZ-0001."));

        let again = enrol(code, "WZ-0002").await.unwrap();
        assert_eq!(
            again.status(),
            StatusCode::FORBIDDEN,
            "a code is spent once"
        );
        let message: serde_json::Value = again.json().await.unwrap();
        assert!(message["error"]
            .as_str()
            .unwrap()
            .contains("kiosk-hub enroll"));

        let answer: HeartbeatReply = hub
            .beat(&reply.credential, &beat())
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(answer.config_version, 0, "no config published yet");
        assert!(answer.server_time_ms > 0);

        let fleet: Vec<FleetEntry> = hub
            .client
            .get(hub.url("/v1/fleet"))
            .bearer_auth(&reply.credential)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(fleet.len(), 1);
        assert_eq!(fleet[0].liveness, Liveness::Online, "{}", hub.backend);
        assert_eq!(fleet[0].devices["printer"], "fault: paper out");
        assert_eq!(fleet[0].outbox_depth, 3);
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn three_missed_beats_make_a_terminal_offline_and_a_new_config_makes_it_stale() {
    for backend in backends() {
        let hub = Running::start(backend).await;
        let terminal = hub.enrolled("SZ-0001").await;
        hub.enrolled("SZ-0002").await;
        let status = hub.beat(&terminal.credential, &beat()).await.status();
        assert_eq!(status, StatusCode::OK);
        let now = kiosk_hub::store::now_ms();
        let at = |ms: i64| fleet::listing(&hub.store, ms);
        let liveness = |fleet: Vec<FleetEntry>, id: &str| {
            fleet.iter().find(|t| t.device_id == id).unwrap().liveness
        };
        assert_eq!(
            liveness(at(now).await.unwrap(), "SZ-0001"),
            Liveness::Online
        );
        assert_eq!(
            liveness(at(now).await.unwrap(), "SZ-0002"),
            Liveness::Offline,
            "never beat"
        );
        assert_eq!(
            liveness(at(now + 89_000).await.unwrap(), "SZ-0001"),
            Liveness::Online,
            "two missed beats"
        );
        assert_eq!(
            liveness(at(now + 91_000).await.unwrap(), "SZ-0001"),
            Liveness::Offline
        );

        sqlx::query("UPDATE settings SET value = 1 WHERE name = 'config_version'")
            .execute(hub.store.pool())
            .await
            .unwrap();
        assert_eq!(liveness(at(now).await.unwrap(), "SZ-0001"), Liveness::Stale);
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_missing_or_wrong_credential_gets_a_bare_401() {
    for backend in backends() {
        let hub = Running::start(backend).await;
        let terminal = hub.enrolled("SZ-0001").await;
        let (device, secret) = terminal.credential.rsplit_once('.').unwrap();
        let wrong_secret = format!("{device}.{}", "0".repeat(secret.len()));
        for credential in [
            None,
            Some("garbage"),
            Some(wrong_secret.as_str()),
            Some("SZ-0009.abc"),
        ] {
            let mut request = hub.client.get(hub.url("/v1/fleet"));
            if let Some(credential) = credential {
                request = request.bearer_auth(credential);
            }
            let reply = request.send().await.unwrap();
            assert_eq!(reply.status(), StatusCode::UNAUTHORIZED, "{credential:?}");
            assert!(reply.text().await.unwrap().is_empty(), "no detail leaked");
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn bad_json_unknown_fields_and_oversized_bodies_get_a_4xx_that_says_why() {
    for backend in backends() {
        let hub = Running::start(backend).await;
        let terminal = hub.enrolled("SZ-0001").await;
        let send = |body: String| {
            hub.client
                .post(hub.url("/v1/heartbeat"))
                .bearer_auth(&terminal.credential)
                .header("content-type", "application/json")
                .body(body)
                .send()
        };
        let error = |reply: reqwest::Response| async move {
            let status = reply.status();
            let body: serde_json::Value = reply.json().await.unwrap();
            (status, body["error"].as_str().unwrap().to_string())
        };
        let (status, message) = error(send("{not json".into()).await.unwrap()).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert!(message.contains("key must be a string"), "{message}");

        let mut unknown = serde_json::to_value(beat()).unwrap();
        unknown["colour"] = "red".into();
        let (status, message) = error(send(unknown.to_string()).await.unwrap()).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert!(message.contains("unknown field `colour`"), "{message}");

        let huge = format!("{{\"software_version\": \"{}\"}}", "x".repeat(300 * 1024));
        let (status, _) = error(send(huge).await.unwrap()).await;
        assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);

        let reply = hub
            .client
            .post(hub.url("/v1/enroll"))
            .json(&serde_json::json!({"code": "x", "device_id": "bad id!"}))
            .send()
            .await
            .unwrap();
        let (status, message) = error(reply).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert!(message.contains("letters, digits"), "{message}");

        let (status, _) = error(hub.client.get(hub.url("/v1/nothing")).send().await.unwrap()).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn two_terminals_racing_for_one_code_cannot_both_enrol() {
    for backend in backends() {
        let hub = Running::start(backend).await;
        let code = fleet::create_code(&hub.store, "hall").await.unwrap();
        let attempts = (0..8).map(|i| {
            let (client, url, code) = (hub.client.clone(), hub.url("/v1/enroll"), code.clone());
            tokio::spawn(async move {
                client
                    .post(url)
                    .json(&serde_json::json!({"code": code, "device_id": format!("T-{i}")}))
                    .send()
                    .await
                    .unwrap()
                    .status()
            })
        });
        let mut won = 0;
        for attempt in attempts {
            if attempt.await.unwrap() == StatusCode::OK {
                won += 1;
            }
        }
        assert_eq!(won, 1, "{}", hub.backend);
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn health_and_metrics_need_no_credential() {
    for backend in backends() {
        let hub = Running::start(backend).await;
        let health = hub.client.get(hub.url("/healthz")).send().await.unwrap();
        assert_eq!(health.status(), StatusCode::OK);
        let _ = hub.client.get(hub.url("/v1/fleet")).send().await.unwrap();
        let metrics = hub.client.get(hub.url("/metrics")).send().await.unwrap();
        assert_eq!(metrics.status(), StatusCode::OK);
        let text = metrics.text().await.unwrap();
        assert!(
            text.contains("kiosk_hub_requests_total{route=\"/v1/fleet\",status=\"401\"} 1"),
            "{text}"
        );
        assert!(
            text.contains("kiosk_hub_terminals{liveness=\"online\"} 0"),
            "{text}"
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn replayed_batch_is_idempotent() {
    use kiosk_proto::fleet::{Event, EventBatch, EventReceipt};
    for backend in backends() {
        let hub = Running::start(backend).await;
        let me = hub.enrolled("SZ-0001").await;
        let other = hub.enrolled("SZ-0002").await;
        let event = |id: &str| Event {
            id: id.into(),
            kind: "rating".into(),
            occurred_ms: 1,
            body: serde_json::json!({"service": "ticket", "level": 5}),
        };
        let send = |credential: String, ids: Vec<&'static str>| {
            let batch = EventBatch {
                events: ids.into_iter().map(event).collect(),
            };
            let (client, url) = (hub.client.clone(), hub.url("/v1/events"));
            async move {
                client
                    .post(url)
                    .bearer_auth(credential)
                    .json(&batch)
                    .send()
                    .await
                    .unwrap()
            }
        };
        let receipt: EventReceipt = send(me.credential.clone(), vec!["a", "b", "c"])
            .await
            .json()
            .await
            .unwrap();
        assert_eq!((receipt.stored, receipt.repeated), (3, 0));
        // The reply was lost: the terminal sends the batch again, with one new record.
        let receipt: EventReceipt = send(me.credential.clone(), vec!["a", "b", "c", "d"])
            .await
            .json()
            .await
            .unwrap();
        assert_eq!((receipt.stored, receipt.repeated), (1, 3), "{backend}");
        // Event ids are per terminal: another terminal's "a" is its own record.
        let receipt: EventReceipt = send(other.credential.clone(), vec!["a"])
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(receipt.stored, 1);
        let stored: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM events")
            .fetch_one(hub.store.pool())
            .await
            .unwrap();
        assert_eq!(stored, 5);

        let too_many: Vec<&'static str> = vec!["x"; 501];
        let reply = send(me.credential.clone(), too_many).await;
        assert_eq!(reply.status(), StatusCode::BAD_REQUEST);
    }
}
