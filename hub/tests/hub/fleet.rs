//! The hub on loopback with a real database, each scenario on SQLite and on PostgreSQL (127.0.0.1:5432, or
//! `KIOSK_HUB_TEST_POSTGRES`): enrolment, credentials, heartbeats, the fleet, and the 4xx answers.

use crate::common;

use common::{backends, Running};
use kiosk_hub::fleet;
use kiosk_proto::fleet::{AlertKind, EnrollReply, FleetEntry, Heartbeat, HeartbeatReply, Liveness};
use reqwest::StatusCode;

fn beat() -> Heartbeat {
    Heartbeat {
        devices: [("printer".to_string(), "fault: paper out".to_string())].into(),
        outbox_depth: 3,
        software_version: "0.1.0".into(),
        config_version: 0,
        catalogue_version: 0,
        ..Heartbeat::default()
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

        // A beat interval of ages (schemathesis sent one; the fleet listing then overflowed): refused, and
        // the fleet still lists.
        let mut ages = serde_json::to_value(beat()).unwrap();
        ages["interval_ms"] = u64::MAX.into();
        let (status, message) = error(send(ages.to_string()).await.unwrap()).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert!(message.contains("at least once a day"), "{message}");
        let fleet = hub
            .client
            .get(hub.url("/v1/fleet"))
            .bearer_auth(&terminal.credential)
            .send()
            .await
            .unwrap();
        assert_eq!(fleet.status(), StatusCode::OK);

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

/// The alerts of `terminal` at `now`: kind → since.
async fn alerts_of(
    hub: &Running,
    terminal: &str,
    now: i64,
) -> std::collections::BTreeMap<AlertKind, i64> {
    fleet::survey(&hub.store, now)
        .await
        .unwrap()
        .alerts
        .into_iter()
        .filter(|a| a.device_id == terminal)
        .map(|a| (a.kind, a.since_ms))
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn alerts_are_raised_by_beats_keep_their_start_and_clear_and_silence_counts_the_terminals_own_beats(
) {
    use AlertKind::*;
    for backend in backends() {
        let hub = Running::start(backend).await;
        let terminal = hub.enrolled("SZ-0001").await;
        hub.enrolled("SZ-0002").await;
        let now = kiosk_hub::store::now_ms();
        let troubled = Heartbeat {
            devices: [
                ("printer".to_string(), "fault: paper out".to_string()),
                ("reader".to_string(), "ready".to_string()),
                (
                    "card".to_string(),
                    "left on the reader: take it to the desk".to_string(),
                ),
            ]
            .into(),
            interval_ms: 1000,
            oldest_waiting_ms: Some(now - 2 * 3600 * 1000),
            unknown_prints: 1,
            clock_ms: now - 120_000,
            ..beat()
        };
        assert_eq!(
            hub.beat(&terminal.credential, &troubled).await.status(),
            StatusCode::OK
        );
        let first = alerts_of(&hub, "SZ-0001", kiosk_hub::store::now_ms()).await;
        assert_eq!(
            first.keys().copied().collect::<Vec<_>>(),
            [CardLeft, PaperOut, RecordsWaiting, UnknownPrints, ClockSkew],
            "{backend}"
        );
        assert_eq!(
            first[&RecordsWaiting],
            now - 3600 * 1000,
            "records waiting since the oldest passed an hour"
        );
        assert!(
            alerts_of(&hub, "SZ-0002", now).await.is_empty(),
            "just enrolled: not yet silent"
        );
        assert_eq!(
            alerts_of(&hub, "SZ-0002", now + 91_000)
                .await
                .keys()
                .copied()
                .collect::<Vec<_>>(),
            [Silent],
            "enrolled and never beat in three default intervals"
        );

        // The card is taken; the paper is still out: that alert keeps the time it started.
        tokio::time::sleep(std::time::Duration::from_millis(30)).await;
        let mut taken = troubled.clone();
        taken.devices.insert("card".into(), "none left".into());
        taken.unknown_prints = 0;
        taken.oldest_waiting_ms = None;
        taken.clock_ms = kiosk_hub::store::now_ms();
        hub.beat(&terminal.credential, &taken).await;
        let second = alerts_of(&hub, "SZ-0001", kiosk_hub::store::now_ms()).await;
        assert_eq!(second.keys().copied().collect::<Vec<_>>(), [PaperOut]);
        assert_eq!(second[&PaperOut], first[&PaperOut]);

        // Refilled: nothing left. Then three of its one-second beats missed: silent since the last.
        taken.devices.insert("printer".into(), "ready".into());
        hub.beat(&terminal.credential, &taken).await;
        let beat_at = kiosk_hub::store::now_ms();
        assert!(alerts_of(&hub, "SZ-0001", beat_at).await.is_empty());
        let later = alerts_of(&hub, "SZ-0001", beat_at + 3500).await;
        assert_eq!(later.keys().copied().collect::<Vec<_>>(), [Silent]);
        assert!(later[&Silent] <= beat_at);
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn operators_see_the_fleet_in_the_console_and_other_roles_are_refused() {
    use kiosk_hub::staff::Role;
    let hub = Running::start(common::Backend::Sqlite).await;
    let terminal = hub.enrolled("SZ-0001").await;
    hub.beat(&terminal.credential, &beat()).await;
    let login = |user: &'static str, role: Role| {
        let hub = &hub;
        async move {
            kiosk_hub::staff::add(&hub.store, user, "运维员", "0300", "correct horse")
                .await
                .unwrap();
            kiosk_hub::staff::grant(&hub.store, user, role, &["公安局".to_string()])
                .await
                .unwrap();
            let answer = hub
                .client
                .post(hub.url("/console/login"))
                .json(&serde_json::json!({"username": user, "password": "correct horse"}))
                .send()
                .await
                .unwrap();
            common::session_cookie(&answer)
        }
    };
    let fleet_page = |cookie: Option<String>| {
        let hub = &hub;
        async move {
            let mut request = hub.client.get(hub.url("/console/api/fleet"));
            if let Some(cookie) = cookie {
                request = request.header("cookie", cookie);
            }
            request.send().await.unwrap()
        }
    };
    assert_eq!(fleet_page(None).await.status(), StatusCode::UNAUTHORIZED);
    for (user, role) in [("guide1", Role::Guide), ("reviewer1", Role::Reviewer)] {
        let cookie = login(user, role).await;
        assert_eq!(
            fleet_page(Some(cookie)).await.status(),
            StatusCode::FORBIDDEN,
            "{user}"
        );
    }
    let cookie = login("operator1", Role::Operator).await;
    let view: serde_json::Value = fleet_page(Some(cookie)).await.json().await.unwrap();
    assert_eq!(view["terminals"][0]["device_id"], "SZ-0001");
    assert_eq!(view["alerts"][0]["kind"], "paper_out");
    assert_eq!(view["alerts"][0]["critical"], true);
}

/// Runs promtool (Debian's `prometheus` package) with `args`; its output when it fails.
fn promtool(args: &[&str], stdin: Option<&str>) -> Result<String, String> {
    use std::io::Write;
    let mut child = std::process::Command::new("promtool")
        .args(args)
        .current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/../packaging/hub"))
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("promtool (Debian's prometheus package; scripts/test.sh installs it)");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.unwrap_or("").as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let text =
        String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr);
    if out.status.success() {
        Ok(text)
    } else {
        Err(text)
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn the_prometheus_rules_raise_the_consoles_alerts_from_the_hubs_metrics() {
    // Every alert of the console has its rule, named by the same kind.
    let rules = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../packaging/hub/kiosk-hub.rules.yml"
    ))
    .unwrap();
    for kind in AlertKind::ALL {
        assert!(
            rules.contains(&format!("kind: {}}}", kind.name())),
            "no rule for {kind:?}"
        );
    }
    promtool(&["check", "rules", "kiosk-hub.rules.yml"], None).unwrap();
    let tested = promtool(&["test", "rules", "kiosk-hub.rules.test.yml"], None);
    assert!(tested.is_ok(), "{}", tested.unwrap_err());

    // The metrics they read are the hub's, in a form promtool takes.
    let hub = Running::start(common::Backend::Sqlite).await;
    let terminal = hub.enrolled("SZ-0001").await;
    let mut card_left = beat();
    card_left.devices.insert(
        "card".into(),
        "left on the reader: take it to the desk".into(),
    );
    hub.beat(&terminal.credential, &card_left).await;
    let metrics = hub
        .client
        .get(hub.url("/metrics"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    for line in [
        "kiosk_terminal_paper{terminal=\"SZ-0001\",hall=\"苏州市政务服务中心\"} 0",
        "kiosk_terminal_card_left{terminal=\"SZ-0001\",hall=\"苏州市政务服务中心\"} 1",
        "kiosk_terminal_part_fault{terminal=\"SZ-0001\",hall=\"苏州市政务服务中心\",part=\"printer\"} 1",
        "kiosk_terminal_beat_interval_seconds{terminal=\"SZ-0001\",hall=\"苏州市政务服务中心\"} 30",
    ] {
        assert!(metrics.contains(line), "{line} not in\n{metrics}");
    }
    let lint = promtool(&["check", "metrics"], Some(&metrics));
    assert!(lint.is_ok(), "{}", lint.unwrap_err());
}

/// The technicians' list SZ-0001 gets with its settings, opened with the hub's key.
async fn listed(store: &kiosk_hub::Store) -> kiosk_proto::remote::TechnicianList {
    kiosk_hub::remote::for_terminal(store, "SZ-0001")
        .await
        .unwrap()
        .technicians
        .unwrap()
        .open(&[store.signing_key().verifying_key()])
        .unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn settings_commands_technicians_rings_ratings_and_catalogue_versions_work_on_both_databases()
{
    use kiosk_hub::remote::{self, Scope};
    use kiosk_proto::remote::{CommandResult, RemoteSettings};
    for backend in backends() {
        let hub = Running::start(backend).await;
        let terminal = hub.enrolled("SZ-0001").await;
        hub.enrolled("SZ-0002").await;
        let store = &hub.store;
        // Settings laid over each other: everyone's, the ring's, the hall's, the terminal's own.
        let set = |idle: i64| RemoteSettings {
            idle_seconds: Some(idle),
            ..Default::default()
        };
        remote::publish(store, &Scope::Everyone, &set(60), "ops")
            .await
            .unwrap();
        remote::publish(store, &Scope::Ring("canary".into()), &set(70), "ops")
            .await
            .unwrap();
        remote::publish(store, &Scope::Terminal("SZ-0002".into()), &set(90), "ops")
            .await
            .unwrap();
        remote::set_ring(store, "SZ-0001", "canary", "ops")
            .await
            .unwrap();
        let mine = remote::for_terminal(store, "SZ-0001").await.unwrap();
        assert_eq!(mine.settings.idle_seconds, Some(70), "{backend}");
        assert_eq!(mine.version, 4, "every change a version");
        let other = remote::for_terminal(store, "SZ-0002").await.unwrap();
        assert_eq!(other.settings.idle_seconds, Some(90));
        assert!(mine.technicians.is_none(), "no accounts issued yet");
        let bad = RemoteSettings {
            software_version: Some("1.0; reboot".into()),
            ..Default::default()
        };
        assert!(remote::publish(store, &Scope::Everyone, &bad, "ops")
            .await
            .is_err());

        // A command handed out with a beat, as `NAME ID`, answered once.
        let id = remote::queue(store, "SZ-0001", "screenshot", "ops")
            .await
            .unwrap();
        let reply: HeartbeatReply = hub
            .beat(&terminal.credential, &beat())
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(reply.commands, [format!("screenshot {id}")]);
        let answer = CommandResult {
            ok: true,
            text: "home".into(),
            png_base64: Some("iVBORw0KGgo=".into()),
        };
        remote::finish(store, "SZ-0001", id, &answer).await.unwrap();
        assert!(
            remote::finish(store, "SZ-0002", id, &answer).await.is_err(),
            "not another's"
        );
        let done = remote::commands_of(store, "SZ-0001", 5).await.unwrap();
        assert_eq!((done[0].ok, done[0].picture), (Some(true), true));
        assert_eq!(
            remote::screenshot(store, id).await.unwrap()[..4],
            [0x89, b'P', b'N', b'G']
        );

        // Technicians: issued, signed, revoked.
        remote::add_technician(store, "0301", "张工", "246810", "ops")
            .await
            .unwrap();
        let list = listed(store).await;
        assert!(list.admits("0301", "246810").is_some());
        remote::revoke_technician(store, "0301", "ops")
            .await
            .unwrap();
        let list = listed(store).await;
        assert!(list.technicians.is_empty());
        assert!(remote::technicians(store).await.unwrap()[0]
            .revoked_ms
            .is_some());

        // Ratings counted by month and level; the catalogue's versions with who published them.
        let rating = |level: u8, tags: &[&str]| kiosk_proto::fleet::Event {
            id: format!("r-{level}-{}", tags.len()),
            kind: kiosk_proto::service::RATING_EVENT.into(),
            occurred_ms: kiosk_hub::store::now_ms(),
            body: serde_json::json!({"service": "SZ-0001", "level": level, "tags": tags}),
        };
        let batch = kiosk_proto::fleet::EventBatch {
            events: vec![
                rating(5, &[]),
                rating(2, &["slow"]),
                rating(1, &["slow", "steps"]),
            ],
        };
        let sent = hub.events(&terminal.credential, &batch).await;
        assert_eq!(sent.status(), StatusCode::OK);
        let report = kiosk_hub::ratings::report(store, None).await.unwrap();
        assert_eq!(report.lines.len(), 1, "{backend}");
        assert_eq!(report.lines[0].levels, [1, 0, 0, 1, 1]);
        assert_eq!(report.reasons[0], ("slow".to_string(), 2));
        assert_eq!(report.low.len(), 2);
        let catalogue = include_str!("../../../assets/catalogue.json");
        kiosk_hub::catalogue::publish(store, catalogue, "edited", Some("ops"))
            .await
            .unwrap();
        let versions = kiosk_hub::catalogue::versions(store, 5).await.unwrap();
        assert_eq!(versions[0].operator.as_deref(), Some("ops"));
        assert!(kiosk_hub::catalogue::preview(store, catalogue)
            .await
            .unwrap()
            .changed
            .is_empty());
    }
}
