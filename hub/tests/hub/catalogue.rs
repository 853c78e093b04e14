//! The catalogue on SQLite and PostgreSQL: import, fetch with an ETag, 304 when unchanged, the new version
//! announced in the heartbeat, and a bad file refused.

use crate::common;

use common::{backends, Running};
use kiosk_proto::fleet::{Heartbeat, HeartbeatReply};
use reqwest::StatusCode;

const CATALOGUE: &str = include_str!("../../../assets/catalogue.json");

#[tokio::test(flavor = "multi_thread")]
async fn catalogue_sync_answers_304_when_unchanged_and_the_heartbeat_announces_a_new_version() {
    for backend in backends() {
        let hub = Running::start(backend).await;
        let me = hub.enrolled("SZ-0001").await;
        let get = |etag: Option<String>| {
            let mut request = hub
                .client
                .get(hub.url("/v1/catalogue"))
                .bearer_auth(&me.credential);
            if let Some(etag) = etag {
                request = request.header("if-none-match", etag);
            }
            request.send()
        };
        let none = get(None).await.unwrap();
        assert_eq!(none.status(), StatusCode::NOT_FOUND, "{backend}");

        let v1 = kiosk_hub::catalogue::import(&hub.store, CATALOGUE, "catalogue.json")
            .await
            .unwrap();
        assert_eq!(v1, 1);
        let first = get(None).await.unwrap();
        assert_eq!(first.status(), StatusCode::OK);
        let etag = first.headers()["etag"].to_str().unwrap().to_string();
        let catalogue: kiosk_proto::catalogue::Catalogue = first.json().await.unwrap();
        assert!(catalogue.services.len() >= 40);

        let unchanged = get(Some(etag.clone())).await.unwrap();
        assert_eq!(unchanged.status(), StatusCode::NOT_MODIFIED);
        assert!(
            unchanged.bytes().await.unwrap().is_empty(),
            "a 304 has no body"
        );

        let beat: HeartbeatReply = hub
            .beat(&me.credential, &Heartbeat::default())
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(beat.catalogue_version, 1);

        let v2 = kiosk_hub::catalogue::import(&hub.store, CATALOGUE, "catalogue.json")
            .await
            .unwrap();
        assert_eq!(v2, 2);
        let changed = get(Some(etag.clone())).await.unwrap();
        assert_eq!(
            changed.status(),
            StatusCode::OK,
            "a new version is sent whole"
        );
        assert_ne!(changed.headers()["etag"].to_str().unwrap(), etag);
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_catalogue_that_does_not_check_is_refused_and_nothing_changes() {
    for backend in backends() {
        let hub = Running::start(backend).await;
        let broken = CATALOGUE.replacen("\"theme\": \"", "\"theme\": \"no-such-", 1);
        let error = kiosk_hub::catalogue::import(&hub.store, &broken, "broken.json")
            .await
            .unwrap_err();
        assert!(error.to_string().contains("unknown theme"), "{error}");
        assert_eq!(hub.store.setting("catalogue_version").await.unwrap(), 0);
    }
}
