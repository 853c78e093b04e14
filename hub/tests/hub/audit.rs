//! The audit chain: every kind of audited action joins it (staff accounts and logins, operators' settings
//! and commands, terminals' service mode and remote guidance, reviewers' actions), appenders in two hub
//! processes take turns, and `kiosk-hub audit verify` finds a record edited, removed or cut off the end.

use std::process::Command;

use kiosk_hub::audit::{self, Entry};
use kiosk_hub::remote::Scope;
use kiosk_proto::fleet::{Event, EventBatch};
use kiosk_proto::remote::RemoteSettings;
use reqwest::StatusCode;

use crate::common::{backends, Running};

fn verify_cli(db: &str) -> (i32, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_kiosk-hub"))
        .args(["audit", "verify", "--db", db])
        .env("KIOSK_HUB_LOG", "warn")
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

async fn exec(hub: &Running, sql: &str) {
    sqlx::query(sql).execute(hub.store.pool()).await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_audited_action_joins_the_chain_and_verify_finds_a_record_edited_removed_or_cut_off()
{
    for backend in backends() {
        let hub = Running::start(backend).await;
        let store = &hub.store;
        // Staff: an account saved from the command line, a wrong password, a login.
        kiosk_hub::staff::save(
            store,
            "kiosk-hub staff add (command line)",
            "ops",
            ("运维", "0100"),
            Some("operator-password"),
            kiosk_hub::staff::Role::Operator,
            &[],
        )
        .await
        .unwrap();
        for password in ["wrong-password", "operator-password"] {
            hub.client
                .post(hub.url("/console/login"))
                .json(&serde_json::json!({"username": "ops", "password": password}))
                .send()
                .await
                .unwrap();
        }
        // An operator: a setting and a command.
        let terminal = hub.enrolled("SZ-0001").await;
        let settings = RemoteSettings {
            idle_seconds: Some(120),
            ..Default::default()
        };
        kiosk_hub::remote::publish(store, &Scope::Everyone, &settings, "ops")
            .await
            .unwrap();
        kiosk_hub::remote::queue(store, "SZ-0001", "log", "ops")
            .await
            .unwrap();
        // A terminal: a service-mode step and a remote-guidance step through its outbox (sent twice: the
        // chain takes each once).
        let batch = EventBatch {
            events: vec![
                Event {
                    id: "e-1".into(),
                    kind: kiosk_proto::fleet::SERVICE_AUDIT_EVENT.into(),
                    occurred_ms: 1,
                    body: serde_json::json!({"action": "pin_ok", "detail": {"by": "0100"}, "at": "now"}),
                },
                Event {
                    id: "e-2".into(),
                    kind: kiosk_proto::assist::AUDIT_EVENT.into(),
                    occurred_ms: 2,
                    body: serde_json::json!({"session": "s-9", "step": "accepted",
                        "citizen": "3205**********0020"}),
                },
            ],
        };
        for _ in 0..2 {
            let reply = hub.events(&terminal.credential, &batch).await;
            assert_eq!(reply.status(), StatusCode::OK, "{backend}");
        }

        let records = audit::recent(store, &[], 100).await.unwrap();
        let seen: Vec<(&str, &str, &str)> = records
            .iter()
            .rev()
            .map(|r| {
                (
                    r.entry.actor.as_str(),
                    r.entry.action.as_str(),
                    r.entry.target.as_str(),
                )
            })
            .collect();
        assert_eq!(
            seen,
            [
                ("kiosk-hub staff add (command line)", "staff_saved", "ops"),
                ("ops", "login_failed", "ops"),
                ("ops", "login", "ops"),
                ("terminal:SZ-0001", "enrolled", "SZ-0001"),
                ("ops", "publish_settings", "*"),
                ("ops", "command", "SZ-0001"),
                ("terminal:SZ-0001", "service.pin_ok", "SZ-0001"),
                ("terminal:SZ-0001", "assist.accepted", "s-9"),
            ],
            "{backend}"
        );
        assert!(
            records.iter().all(|r| !r.entry.detail.contains("320582")),
            "no ID number in the audit"
        );
        // The operations page reads its lines from the chain.
        let operations = kiosk_hub::remote::audited(store, 50).await.unwrap();
        assert_eq!(
            operations
                .iter()
                .map(|a| a.action.as_str())
                .collect::<Vec<_>>(),
            ["command", "publish_settings", "enrolled"]
        );

        let intact = audit::verify(store).await.unwrap();
        assert_eq!((intact.records, intact.head_seq), (8, 8), "{backend}");
        assert!(intact.intact(), "{backend}: {:?}", intact.broken);
        let (code, out) = verify_cli(&hub.store_url());
        assert_eq!(code, 0, "{out}");
        assert!(out.contains("audit chain intact: 8 records"), "{out}");

        // A record edited in the database: found at that record, by verify and by the command line.
        exec(
            &hub,
            "UPDATE audit_chain SET detail = '{\"role\":\"admin\"}' WHERE seq = 1",
        )
        .await;
        let edited = audit::verify(store).await.unwrap();
        let (at, why) = edited.broken.clone().expect("an edit is found");
        assert_eq!(at, 1, "{backend}");
        assert!(why.contains("was changed after it was written"), "{why}");
        let (code, out) = verify_cli(&hub.store_url());
        assert_eq!(code, 1, "{out}");
        assert!(out.contains("audit chain BROKEN at record 1"), "{out}");
        // Its hash made again to match: the next record no longer follows it.
        let first = &records[records.len() - 1];
        let forged = audit::chain_hash(
            audit::GENESIS,
            1,
            first.at_ms,
            &Entry {
                detail: "{\"role\":\"admin\"}".into(),
                ..first.entry.clone()
            },
        );
        exec(
            &hub,
            &format!("UPDATE audit_chain SET hash = '{forged}' WHERE seq = 1"),
        )
        .await;
        let (at, why) = audit::verify(store).await.unwrap().broken.unwrap();
        assert_eq!(at, 2, "{backend}");
        assert!(why.contains("does not follow record 1"), "{why}");
        exec(
            &hub,
            &format!(
                "UPDATE audit_chain SET detail = '{}', hash = '{}' WHERE seq = 1",
                first.entry.detail, first.hash
            ),
        )
        .await;
        assert!(audit::verify(store).await.unwrap().intact(), "{backend}");

        // A record removed from the middle, then the last one.
        exec(&hub, "DELETE FROM audit_chain WHERE seq = 4").await;
        let (at, why) = audit::verify(store).await.unwrap().broken.unwrap();
        assert_eq!(at, 4, "{backend}");
        assert!(why.contains("record 4 is missing"), "{why}");
        let fourth = records.iter().find(|r| r.seq == 4).unwrap();
        sqlx::query(
            "INSERT INTO audit_chain (seq, at_ms, actor, action, target, detail, prev, hash) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(fourth.seq)
        .bind(fourth.at_ms)
        .bind(&fourth.entry.actor)
        .bind(&fourth.entry.action)
        .bind(&fourth.entry.target)
        .bind(&fourth.entry.detail)
        .bind(&fourth.prev)
        .bind(&fourth.hash)
        .execute(store.pool())
        .await
        .unwrap();
        assert!(audit::verify(store).await.unwrap().intact(), "{backend}");
        exec(&hub, "DELETE FROM audit_chain WHERE seq = 8").await;
        let (at, why) = audit::verify(store).await.unwrap().broken.unwrap();
        assert_eq!(at, 8, "{backend}");
        assert!(why.contains("records after 7 were removed"), "{why}");
        let (code, out) = verify_cli(&hub.store_url());
        assert_eq!(code, 1, "{out}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_hub_processes_appending_at_once_take_turns_in_one_chain() {
    for backend in backends() {
        let hub = Running::start(backend).await;
        // A second process's own connections to the same database.
        let other = kiosk_hub::Store::open(&hub.store_url()).await.unwrap();
        let mut tasks = Vec::new();
        for (name, store) in [("first", hub.store.clone()), ("second", other.clone())] {
            for worker in 0..4 {
                let store = store.clone();
                tasks.push(tokio::spawn(async move {
                    for i in 0..10 {
                        let entry =
                            Entry::new(name, "command", &format!("T-{worker}"), &i.to_string());
                        audit::record(&store, &entry).await.unwrap();
                    }
                }));
            }
        }
        for task in tasks {
            task.await.unwrap();
        }
        let verdict = audit::verify(&hub.store).await.unwrap();
        assert!(verdict.intact(), "{backend}: {:?}", verdict.broken);
        assert_eq!((verdict.records, verdict.head_seq), (80, 80), "{backend}");
    }
}
