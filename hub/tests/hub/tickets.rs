//! Queue tickets on SQLite and PostgreSQL: terminals of one hall asking at the same moment get one sequence
//! without gaps or repeats; another service and another hall count on their own.

use crate::common;

use common::{backends, Running};
use kiosk_proto::fleet::TicketReply;
use reqwest::StatusCode;

#[tokio::test(flavor = "multi_thread")]
async fn tickets_from_concurrent_terminals_are_numbered_without_gaps_or_repeats() {
    for backend in backends() {
        let hub = Running::start(backend).await;
        let mut terminals = Vec::new();
        for i in 0..8 {
            terminals.push(hub.enrolled(&format!("SZ-{i:04}")).await.credential);
        }
        let take = |credential: String, service: &'static str| {
            let (client, url) = (hub.client.clone(), hub.url("/v1/tickets"));
            async move {
                let reply = client
                    .post(url)
                    .bearer_auth(credential)
                    .json(&serde_json::json!({"service": service}))
                    .send()
                    .await
                    .unwrap();
                assert_eq!(reply.status(), StatusCode::OK);
                reply.json::<TicketReply>().await.unwrap()
            }
        };
        // 8 terminals × 25 tickets, all at once.
        let mut tasks = Vec::new();
        for credential in &terminals {
            for _ in 0..25 {
                tasks.push(tokio::spawn(take(credential.clone(), "SZ-0001")));
            }
        }
        let mut numbers = Vec::new();
        for task in tasks {
            let ticket = task.await.unwrap();
            assert_eq!(ticket.hall, "苏州市政务服务中心");
            assert_eq!(
                ticket.waiting,
                ticket.number - 1,
                "nobody has been called yet"
            );
            numbers.push(ticket.number);
        }
        numbers.sort();
        assert_eq!(numbers, (1..=200).collect::<Vec<u64>>(), "{backend}");

        let other_service = take(terminals[0].clone(), "SZ-0002").await;
        assert_eq!(other_service.number, 1, "each service counts on its own");
        let bad = hub
            .client
            .post(hub.url("/v1/tickets"))
            .bearer_auth(&terminals[0])
            .json(&serde_json::json!({"service": ""}))
            .send()
            .await
            .unwrap();
        assert_eq!(bad.status(), StatusCode::BAD_REQUEST);
    }
}

/// A tap asked again with its request id (its answer was lost) gets the same ticket back, even when
/// several copies arrive at once; another tap, or the same id from another terminal, gets a new one.
#[tokio::test(flavor = "multi_thread")]
async fn a_tap_asked_again_gets_its_ticket_back_never_a_second_one() {
    for backend in backends() {
        let hub = Running::start(backend).await;
        let first = hub.enrolled("SZ-0001").await.credential;
        let second = hub.enrolled("SZ-0002").await.credential;
        let take = |credential: String, request_id: &'static str| {
            let (client, url) = (hub.client.clone(), hub.url("/v1/tickets"));
            async move {
                let reply = client
                    .post(url)
                    .bearer_auth(credential)
                    .json(&serde_json::json!({"service": "SZ-0001", "request_id": request_id}))
                    .send()
                    .await
                    .unwrap();
                assert_eq!(reply.status(), StatusCode::OK);
                reply.json::<TicketReply>().await.unwrap().number
            }
        };
        let copies: Vec<_> = (0..6)
            .map(|_| tokio::spawn(take(first.clone(), "tap-1")))
            .collect();
        for copy in copies {
            assert_eq!(copy.await.unwrap(), 1, "{backend}: one ticket for one tap");
        }
        assert_eq!(take(first.clone(), "tap-2").await, 2, "{backend}");
        assert_eq!(take(second.clone(), "tap-1").await, 3, "{backend}");
        assert_eq!(take(first.clone(), "tap-1").await, 1, "{backend}");
        let long = hub
            .client
            .post(hub.url("/v1/tickets"))
            .bearer_auth(&first)
            .json(&serde_json::json!({"service": "SZ-0001", "request_id": "x".repeat(65)}))
            .send()
            .await
            .unwrap();
        assert_eq!(long.status(), StatusCode::BAD_REQUEST);
    }
}
