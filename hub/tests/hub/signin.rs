//! 亮码 at the hub, on SQLite and PostgreSQL: the phone page's account shows a fresh signed code that names
//! its holder and lives a minute; a terminal has it taken once, and a copy shown again (on this terminal
//! or another, even at the same moment) is refused; a code past its minute and a forged one are refused
//! with what the terminal tells the citizen; the privacy erasure removes the account.

use crate::common;

use common::{backends, Running};
use kiosk_proto::signin::{Claim, CodeProblem, MAX_LIFE_MS};
use reqwest::StatusCode;

const HOLDER: &str = "11010519491231002X";

/// What the phone page of `token` shows now (a fresh code, its QR, the masked holder).
async fn phone_code(hub: &Running, token: &str) -> serde_json::Value {
    hub.client
        .get(hub.url(&format!("/id/{token}/code")))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

async fn redeem(hub: &Running, credential: &str, code: &str) -> StatusCode {
    hub.client
        .post(hub.url("/v1/codes/redeem"))
        .bearer_auth(credential)
        .json(&serde_json::json!({ "code": code }))
        .send()
        .await
        .unwrap()
        .status()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_code_is_taken_once_and_a_late_forged_or_replayed_one_is_refused() {
    for backend in backends() {
        let hub = Running::start(backend).await;
        let token = kiosk_hub::signin::add_account(&hub.store, HOLDER, "张三")
            .await
            .unwrap();
        let first = hub.enrolled("SZ-0001").await.credential;
        let second = hub.enrolled("SZ-0002").await.credential;

        // The phone page's code: signed by the hub, naming the holder, one minute.
        let page = hub
            .client
            .get(hub.url(&format!("/id/{token}")))
            .send()
            .await
            .unwrap();
        assert_eq!(page.status(), StatusCode::OK);
        let shown = phone_code(&hub, &token).await;
        let code = shown["code"].as_str().unwrap().to_string();
        assert_eq!(shown["name"], "张*");
        assert_eq!(shown["id"], "1101**********002X");
        assert!(shown["svg"].as_str().unwrap().starts_with("<?xml"));
        let claim = Claim::verify(
            &code,
            &hub.store.verifying_keys(),
            kiosk_hub::store::now_ms(),
        )
        .unwrap();
        assert_eq!((claim.id.as_str(), claim.name.as_str()), (HOLDER, "张三"));
        assert_eq!(claim.exp - claim.iat, MAX_LIFE_MS);
        // Two codes in a row are two codes.
        let again = phone_code(&hub, &token).await;
        assert_ne!(again["code"], shown["code"]);

        // Taken once; a copy shown again is refused, here and at another terminal.
        assert_eq!(redeem(&hub, &first, &code).await, StatusCode::NO_CONTENT);
        for credential in [&first, &second] {
            let status = redeem(&hub, credential, &code).await;
            assert_eq!(status, StatusCode::CONFLICT, "{backend}");
            assert_eq!(CodeProblem::from_status(status.as_u16()), CodeProblem::Used);
        }
        // One fresh code shown at eight terminals at the same moment: one takes it.
        let fresh = again["code"].as_str().unwrap().to_string();
        let mut credentials = Vec::new();
        for i in 0..8 {
            credentials.push(hub.enrolled(&format!("SZ-01{i:02}")).await.credential);
        }
        let answers = futures_util::future::join_all(
            credentials
                .iter()
                .map(|credential| redeem(&hub, credential, &fresh)),
        )
        .await;
        let mut taken = 0;
        for answer in answers {
            match answer {
                StatusCode::NO_CONTENT => taken += 1,
                other => assert_eq!(other, StatusCode::CONFLICT),
            }
        }
        assert_eq!(taken, 1, "{backend}: one terminal takes a code");

        // Past its minute on the hub's clock: gone.
        let (late, _) = kiosk_hub::signin::issue(
            &hub.store,
            &token,
            kiosk_hub::store::now_ms() - MAX_LIFE_MS - 1000,
        )
        .await
        .unwrap();
        let status = redeem(&hub, &first, &late).await;
        assert_eq!(status, StatusCode::GONE);
        assert_eq!(
            CodeProblem::from_status(status.as_u16()),
            CodeProblem::Expired
        );
        // Signed by someone else (the demo's public key), or changed: refused as not the hub's.
        let forged = Claim {
            nonce: "f".repeat(32),
            id: HOLDER.into(),
            name: "张三".into(),
            iat: kiosk_hub::store::now_ms(),
            exp: kiosk_hub::store::now_ms() + MAX_LIFE_MS,
        }
        .sign(&kiosk_proto::verify::demo_key());
        for bad in [forged.as_str(), "ZWID1.e30.AAAA", "hello"] {
            let status = redeem(&hub, &first, bad).await;
            assert_eq!(status, StatusCode::BAD_REQUEST, "{bad}");
            assert_eq!(
                CodeProblem::from_status(status.as_u16()),
                CodeProblem::Forged
            );
        }
        // Without a terminal's credential nothing is taken.
        let anonymous = hub
            .client
            .post(hub.url("/v1/codes/redeem"))
            .json(&serde_json::json!({ "code": code }))
            .send()
            .await
            .unwrap();
        assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);
        // An unknown account's page says so.
        let unknown = hub
            .client
            .get(hub.url(&format!("/id/{}/code", "0".repeat(32))))
            .send()
            .await
            .unwrap();
        assert_eq!(unknown.status(), StatusCode::NOT_FOUND);

        // The used codes are forgotten once they could no longer be shown.
        let forgotten =
            kiosk_hub::signin::sweep_used(&hub.store, kiosk_hub::store::now_ms() + 2 * 3_600_000)
                .await
                .unwrap();
        assert_eq!(forgotten, 2, "{backend}");
        // A person's export shows their account; their erasure removes it: the page's link stops working.
        let export =
            kiosk_hub::privacy::export(&hub.store, &kiosk_proto::service::IdNumber::new(HOLDER))
                .await
                .unwrap();
        assert_eq!(export.sign_in_account.unwrap().name, "张三");
        let erased =
            kiosk_hub::privacy::erase(&hub.store, &kiosk_proto::service::IdNumber::new(HOLDER))
                .await
                .unwrap();
        assert_eq!(erased.accounts, 1);
        let gone = hub
            .client
            .get(hub.url(&format!("/id/{token}/code")))
            .send()
            .await
            .unwrap();
        assert_eq!(gone.status(), StatusCode::NOT_FOUND);
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn an_account_needs_a_valid_number_and_a_plain_name_and_replaces_the_earlier_one() {
    let hub = Running::start(common::Backend::Sqlite).await;
    for (id, name) in [
        ("110105194912310021", "张三"),
        (HOLDER, ""),
        (HOLDER, "a\u{7}b"),
    ] {
        assert!(kiosk_hub::signin::add_account(&hub.store, id, name)
            .await
            .is_err());
    }
    let old = kiosk_hub::signin::add_account(&hub.store, HOLDER, "张三")
        .await
        .unwrap();
    let new = kiosk_hub::signin::add_account(&hub.store, &HOLDER.to_lowercase(), "张三")
        .await
        .unwrap();
    assert!(kiosk_hub::signin::issue(&hub.store, &old, 0).await.is_err());
    assert!(kiosk_hub::signin::issue(&hub.store, &new, 0).await.is_ok());
}
