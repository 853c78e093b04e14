//! What card holders come for, through the hub on loopback with the demo seed, on SQLite and on
//! PostgreSQL: case progress with either second factor (and the lock after wrong guesses), the holder's
//! cases and documents, print claims hitting the reprint limit (a failed print gives its copy back),
//! documents signed with the key at /v1/keys, the public licence check, ratings once per case through the
//! event ingest, and commands handed out once with a heartbeat.

use crate::common;

use common::{backends, Running};
use kiosk_proto::fleet::{Event, EventBatch, EventReceipt, Heartbeat, HeartbeatReply};
use kiosk_proto::service::{
    CaseDetail, CaseState, ClaimReply, DocumentEntry, Keys, SignedDocumentError, VerifyReply,
};
use reqwest::StatusCode;
use serde_json::json;

/// 张秀英 and 王建国 of the demo cards.
const ZHANG: &str = "320508194408150020";
const WANG: &str = "320502197904021530";

async fn seeded(backend: common::Backend) -> (Running, String) {
    let hub = Running::start(backend).await;
    let seeded = kiosk_hub::seed::demo(&hub.store).await.unwrap();
    assert!(seeded.cases >= 300, "{seeded:?}");
    let credential = hub.enrolled("SZ-T-01").await.credential;
    (hub, credential)
}

async fn post(
    hub: &Running,
    credential: &str,
    path: &str,
    body: serde_json::Value,
) -> reqwest::Response {
    hub.client
        .post(hub.url(path))
        .bearer_auth(credential)
        .json(&body)
        .send()
        .await
        .unwrap()
}

/// `post`, the answer read as `T`.
async fn ask<T: serde::de::DeserializeOwned>(
    hub: &Running,
    credential: &str,
    path: &str,
    body: serde_json::Value,
) -> T {
    post(hub, credential, path, body)
        .await
        .json()
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn case_progress_by_card_or_by_number_with_the_last_six_and_locked_after_wrong_guesses() {
    for backend in backends() {
        let (hub, credential) = seeded(backend).await;
        let mine: Vec<CaseDetail> = ask(
            &hub,
            &credential,
            "/v1/cases/mine",
            json!({"id_number": ZHANG}),
        )
        .await;
        assert_eq!(
            mine.len(),
            CaseState::ALL.len(),
            "{backend}: one case in every state"
        );
        for state in CaseState::ALL {
            assert!(
                mine.iter().any(|c| c.summary.state == state),
                "{backend}: {state:?}"
            );
        }
        assert!(mine
            .windows(2)
            .all(|w| w[0].summary.submitted_ms >= w[1].summary.submitted_ms));
        let refused = mine
            .iter()
            .find(|c| c.summary.state == CaseState::Refused)
            .unwrap();
        assert_eq!(refused.applicant, "张**");
        let last = refused.timeline.last().unwrap();
        assert_eq!(last.state, CaseState::Refused);
        assert!(last.note.is_some(), "a refusal carries its reason");
        assert!(refused
            .timeline
            .windows(2)
            .all(|w| w[0].at_ms <= w[1].at_ms));

        // The same case by its number and the last six characters typed, or the whole number read.
        let number = &refused.summary.case_no;
        for factor in [json!({"id_last6": "150020"}), json!({"id_number": ZHANG})] {
            let mut query = json!({"case_no": number});
            query
                .as_object_mut()
                .unwrap()
                .extend(factor.as_object().unwrap().clone());
            let reply = post(&hub, &credential, "/v1/cases/query", query).await;
            assert_eq!(reply.status(), StatusCode::OK, "{backend}");
            let case: CaseDetail = reply.json().await.unwrap();
            assert_eq!(&case, refused);
        }
        // Neither factor, or both: a clear 400.
        let reply = post(
            &hub,
            &credential,
            "/v1/cases/query",
            json!({"case_no": number}),
        )
        .await;
        assert_eq!(reply.status(), StatusCode::BAD_REQUEST);
        // A wrong factor and an unknown number read the same.
        let wrong = post(
            &hub,
            &credential,
            "/v1/cases/query",
            json!({"case_no": number, "id_last6": "000000"}),
        )
        .await;
        assert_eq!(wrong.status(), StatusCode::NOT_FOUND);
        let wrong_text = wrong.text().await.unwrap();
        let unknown = post(
            &hub,
            &credential,
            "/v1/cases/query",
            json!({"case_no": "SZ1999010100001", "id_last6": "150020"}),
        )
        .await;
        assert_eq!(unknown.status(), StatusCode::NOT_FOUND);
        assert_eq!(unknown.text().await.unwrap(), wrong_text);
        // Guessing the last six: after five wrong tries the number is locked, even for the right answer.
        for _ in 1..kiosk_hub::cases::MAX_TRIES {
            post(
                &hub,
                &credential,
                "/v1/cases/query",
                json!({"case_no": number, "id_last6": "999999"}),
            )
            .await;
        }
        let locked = post(
            &hub,
            &credential,
            "/v1/cases/query",
            json!({"case_no": number, "id_last6": "150020"}),
        )
        .await;
        assert_eq!(locked.status(), StatusCode::TOO_MANY_REQUESTS, "{backend}");
        assert!(locked.text().await.unwrap().contains("minutes"));
        // Another holder's card finds none of these.
        let other: Vec<CaseDetail> = ask(
            &hub,
            &credential,
            "/v1/cases/mine",
            json!({"id_number": "110101199003070011"}),
        )
        .await;
        assert!(other.is_empty());
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn documents_are_signed_by_the_key_at_v1_keys_and_claims_stop_at_the_reprint_limit() {
    for backend in backends() {
        let (hub, credential) = seeded(backend).await;
        let keys: Keys = hub
            .client
            .get(hub.url("/v1/keys"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let trusted: Vec<_> = keys
            .keys
            .iter()
            .map(|k| kiosk_proto::verify::parse_public_key(&k.id).unwrap())
            .collect();
        let documents: Vec<DocumentEntry> = ask(
            &hub,
            &credential,
            "/v1/documents/mine",
            json!({"id_number": WANG}),
        )
        .await;
        assert!(documents.len() >= 2, "{backend}: {documents:?}");
        let entry = &documents[0];
        assert_eq!((entry.printed_today, entry.daily_limit), (0, 3));

        let claim = |id: &str| {
            post(
                &hub,
                &credential,
                "/v1/claims",
                json!({"document_id": id, "id_number": WANG}),
            )
        };
        let mut claims = Vec::new();
        for copy in 1..=3 {
            match claim(&entry.id).await.json::<ClaimReply>().await.unwrap() {
                ClaimReply::Granted {
                    claim_id,
                    copy: n,
                    daily_limit,
                    document,
                } => {
                    assert_eq!((n, daily_limit), (copy, 3));
                    let opened = document.open(&trusted).unwrap();
                    assert_eq!(opened.id, entry.id);
                    // Changed on the way: refused.
                    let mut changed = document.clone();
                    changed.json = changed.json.replacen("王", "李", 1);
                    assert_eq!(
                        changed.open(&trusted),
                        Err(SignedDocumentError::BadSignature)
                    );
                    claims.push((claim_id, opened));
                }
                other => panic!("{backend}: copy {copy}: {other:?}"),
            }
        }
        let limit = claim(&entry.id).await.json::<ClaimReply>().await.unwrap();
        assert!(
            matches!(
                limit,
                ClaimReply::LimitReached {
                    printed_today: 3,
                    daily_limit: 3,
                    ..
                }
            ),
            "{backend}: {limit:?}"
        );
        // The second copy jammed: reported failed, it gives its copy back; reported twice, once.
        let end = |claim_id: &str, outcome: &str, id: &str| Event {
            id: id.into(),
            kind: kiosk_proto::service::CLAIM_EVENT.into(),
            occurred_ms: 1,
            body: json!({"claim_id": claim_id, "outcome": outcome}),
        };
        let batch = EventBatch {
            events: vec![
                end(&claims[0].0, "printed", "e1"),
                end(&claims[1].0, "failed", "e2"),
                end(&claims[2].0, "unknown", "e3"),
            ],
        };
        for _ in 0..2 {
            let reply = post(
                &hub,
                &credential,
                "/v1/events",
                serde_json::to_value(&batch).unwrap(),
            )
            .await;
            assert_eq!(reply.status(), StatusCode::OK);
        }
        let again = claim(&entry.id).await.json::<ClaimReply>().await.unwrap();
        assert!(
            matches!(again, ClaimReply::Granted { copy: 3, .. }),
            "{backend}: {again:?}"
        );
        let listed: Vec<DocumentEntry> = ask(
            &hub,
            &credential,
            "/v1/documents/mine",
            json!({"id_number": WANG}),
        )
        .await;
        assert_eq!(
            listed
                .iter()
                .find(|d| d.id == entry.id)
                .unwrap()
                .printed_today,
            3
        );
        // Someone else's card cannot claim it.
        let theirs = post(
            &hub,
            &credential,
            "/v1/claims",
            json!({"document_id": entry.id, "id_number": ZHANG}),
        )
        .await;
        assert_eq!(theirs.status(), StatusCode::NOT_FOUND);

        // The licence's QR: the public check says valid, with what it vouches for; changed, not.
        let code = claims[0]
            .1
            .blocks
            .iter()
            .find_map(|b| match b {
                kiosk_proto::document::Block::Qr { payload, .. } => Some(payload.clone()),
                _ => None,
            })
            .unwrap();
        let check = |code: String| {
            hub.client
                .post(hub.url("/v1/verify"))
                .json(&json!({"code": code}))
                .send()
        };
        let valid: VerifyReply = check(code.clone()).await.unwrap().json().await.unwrap();
        assert!(valid.valid, "{backend}: {valid:?}");
        assert_eq!(valid.document_id.as_deref(), Some(entry.id.as_str()));
        let mut bytes = code.into_bytes();
        let at = bytes.len() / 2;
        bytes[at] = if bytes[at] == b'A' { b'B' } else { b'A' };
        let forged: VerifyReply = check(String::from_utf8(bytes).unwrap())
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert!(!forged.valid && forged.reason.is_some() && forged.document_id.is_none());
        let sample = kiosk_proto::template::sample_licence().verification;
        let demo: VerifyReply = check(sample).await.unwrap().json().await.unwrap();
        assert!(!demo.valid, "the demo key is not the hub's");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn ratings_count_once_per_case_and_a_bad_rating_is_refused_with_where() {
    for backend in backends() {
        let (hub, credential) = seeded(backend).await;
        let rating = |id: &str, case: Option<&str>, level: u8| Event {
            id: id.into(),
            kind: kiosk_proto::service::RATING_EVENT.into(),
            occurred_ms: 1,
            body: json!({"case_no": case, "service": "SZ-0001", "level": level, "tags": if level <= 2 { json!(["slow"]) } else { json!([]) }}),
        };
        let batch = EventBatch {
            events: vec![
                rating("r1", Some("SZ2026112300011"), 5),
                rating("r2", Some("SZ2026112300011"), 1),
                rating("r3", None, 2),
                rating("r4", None, 4),
            ],
        };
        let receipt: EventReceipt = ask(
            &hub,
            &credential,
            "/v1/events",
            serde_json::to_value(&batch).unwrap(),
        )
        .await;
        assert_eq!((receipt.stored, receipt.repeated), (4, 0));
        let replay: EventReceipt = ask(
            &hub,
            &credential,
            "/v1/events",
            serde_json::to_value(&batch).unwrap(),
        )
        .await;
        assert_eq!((replay.stored, replay.repeated), (0, 4));
        // Five, (not the case's second), two, four.
        assert_eq!(
            kiosk_hub::events::rating_counts(&hub.store).await.unwrap(),
            [1, 1, 0, 1, 0],
            "{backend}"
        );

        let bad = EventBatch {
            events: vec![rating("r5", None, 4), rating("r6", None, 9)],
        };
        let reply = post(
            &hub,
            &credential,
            "/v1/events",
            serde_json::to_value(&bad).unwrap(),
        )
        .await;
        assert_eq!(reply.status(), StatusCode::BAD_REQUEST);
        let text = reply.text().await.unwrap();
        assert!(text.contains("event 1") && text.contains("level"), "{text}");
        assert_eq!(
            kiosk_hub::events::rating_counts(&hub.store).await.unwrap(),
            [1, 1, 0, 1, 0],
            "nothing of a refused batch"
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_queued_command_goes_out_with_the_next_heartbeat_once() {
    for backend in backends() {
        let hub = Running::start(backend).await;
        let credential = hub.enrolled("SZ-T-02").await.credential;
        kiosk_hub::remote::queue(&hub.store, "SZ-T-02", "refresh_catalogue", "test")
            .await
            .unwrap();
        let unknown = kiosk_hub::remote::queue(&hub.store, "SZ-T-02", "format_disk", "test").await;
        assert!(unknown
            .unwrap_err()
            .to_string()
            .contains("refresh_catalogue"));
        let nobody = kiosk_hub::remote::queue(&hub.store, "NOBODY", "refresh_keys", "test").await;
        assert!(nobody.unwrap_err().to_string().contains("kiosk-hub fleet"));
        let first: HeartbeatReply = hub
            .beat(&credential, &Heartbeat::default())
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(first.commands.len(), 1, "{backend}");
        assert!(
            first.commands[0].starts_with("refresh_catalogue "),
            "with its id: {:?}",
            first.commands
        );
        let second: HeartbeatReply = hub
            .beat(&credential, &Heartbeat::default())
            .await
            .json()
            .await
            .unwrap();
        assert!(second.commands.is_empty());
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn card_holder_endpoints_need_the_credential_and_keys_and_verify_do_not() {
    let (hub, _) = seeded(common::Backend::Sqlite).await;
    for path in [
        "/v1/cases/query",
        "/v1/cases/mine",
        "/v1/documents/mine",
        "/v1/claims",
    ] {
        let reply = hub
            .client
            .post(hub.url(path))
            .json(&json!({"id_number": ZHANG}))
            .send()
            .await
            .unwrap();
        assert_eq!(reply.status(), StatusCode::UNAUTHORIZED, "{path}");
        assert!(
            reply.text().await.unwrap().is_empty(),
            "{path}: nothing leaked"
        );
    }
    let keys = hub.client.get(hub.url("/v1/keys")).send().await.unwrap();
    assert_eq!(keys.status(), StatusCode::OK);
    let verify = hub
        .client
        .post(hub.url("/v1/verify"))
        .json(&json!({"code": "hello"}))
        .send()
        .await
        .unwrap();
    assert_eq!(verify.status(), StatusCode::OK);
    let reply: VerifyReply = verify.json().await.unwrap();
    assert!(!reply.valid && reply.reason.unwrap().contains("ZWFW1"));
    let unknown_field = hub
        .client
        .post(hub.url("/v1/verify"))
        .json(&json!({"code": "x", "extra": 1}))
        .send()
        .await
        .unwrap();
    assert_eq!(unknown_field.status(), StatusCode::BAD_REQUEST);
}
