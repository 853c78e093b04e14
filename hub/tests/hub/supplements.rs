//! 补正 at the terminal, as a terminal and the console call the hub, on SQLite and PostgreSQL: the holder's
//! progress says what was asked and by when; a supplement gives exactly those items (not one less, not one
//! more, not for someone else's application, not before its pages), is taken once however often it is
//! sent, and the case waits to be accepted again; the reviewer sees the new pages beside the old. A 一件事
//! bundle's parts asking for 补正 reach the citizen as one notice, and one supplement answers them all.

use crate::common;

use common::{backends, Running};
use kiosk_proto::application::{
    application_number, sha256_hex, Application, ApplicationReceipt, FieldValue, MaterialEntry,
    MaterialGiven, PageRef,
};
use kiosk_proto::service::{CaseDetail, CaseState};
use reqwest::StatusCode;
use serde_json::json;

use super::applications::{application, page, sign, Terminal, WANG};
use super::review::{birth_bundle, last_note, taken, Console};
use kiosk_hub::staff::Role;

/// A supplement to `completes` giving `values` and, for each material named, one page.
pub(crate) fn supplement(
    seq: u64,
    (service, completes): (&str, &str),
    values: &[(&str, &str)],
    materials: &[(&str, &[u8])],
) -> Application {
    let mut supplement = application("SZ-T-30", seq, &page(1));
    supplement.number = application_number("SZ-T-30", seq);
    supplement.service_id = service.to_string();
    supplement.completes = Some(completes.to_string());
    supplement.values = values
        .iter()
        .map(|(id, value)| FieldValue {
            id: id.to_string(),
            value: value.to_string(),
        })
        .collect();
    supplement.materials = materials
        .iter()
        .map(|(id, bytes)| MaterialEntry {
            id: id.to_string(),
            given: MaterialGiven::Capture {
                pages: vec![PageRef {
                    sha256: sha256_hex(bytes),
                    bytes: bytes.len() as u64,
                }],
            },
        })
        .collect();
    sign(&mut supplement);
    supplement
}

async fn mine(terminal: &Terminal<'_>, number: &str) -> CaseDetail {
    let cases: Vec<CaseDetail> = terminal
        .post("/v1/cases/mine", &json!({ "id_number": WANG }))
        .await
        .json()
        .await
        .unwrap();
    cases
        .into_iter()
        .find(|c| c.summary.case_no == number)
        .unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_supplement_gives_exactly_what_was_asked_and_the_reviewer_sees_it_beside_the_first() {
    for backend in backends() {
        let hub = Running::start(backend).await;
        let first = application("SZ-T-30", 1, &page(3));
        let number = first.number.clone();
        taken(&hub, &[(first, page(3))]).await;
        let terminal = Terminal {
            credential: hub.enrolled("SZ-T-30").await.credential,
            hub: &hub,
        };
        let police = Console::new(&hub, "li.police", Role::Reviewer, &["苏州市公安局"]).await;
        police
            .act(
                &number,
                json!({"action": "correct", "deadline_days": 10, "items": [
                    {"item": "photo", "why": "照片背景不是白色"},
                    {"item": "address", "why": "请写到门牌号和室号"}
                ]}),
            )
            .await;

        // The holder's progress: what was asked, each item by its label, and by when.
        let case = mine(&terminal, &number).await;
        assert_eq!(case.summary.state, CaseState::NeedsMaterials, "{backend}");
        let asked = case.asked.expect("the items asked");
        let items: Vec<(&str, &str, &str)> = asked
            .items
            .iter()
            .map(|i| (i.item.as_str(), i.label.zh.as_str(), i.why.as_str()))
            .collect();
        assert_eq!(
            items,
            [
                ("photo", "近期免冠相片", "照片背景不是白色"),
                ("address", "现居住地址", "请写到门牌号和室号")
            ]
        );
        assert!(kiosk_proto::application::Date::parse(&asked.deadline).is_some());

        let photo = page(9);
        let address = [("address", "苏州工业园区星湖街328号5幢1202室")];
        let right = supplement(2, ("SZ-0024", &number), &address, &[("photo", &photo)]);
        // Its page first: the hub says which.
        let early = terminal.post("/v1/applications", &right).await;
        assert_eq!(early.status(), StatusCode::CONFLICT, "{backend}");
        assert!(early.text().await.unwrap().contains(&sha256_hex(&photo)));
        assert_eq!(
            terminal.put_page(&sha256_hex(&photo), &photo).await,
            StatusCode::CREATED
        );
        // Not one item less, not one more, not for someone else: refused for good, with the reason.
        let short = supplement(3, ("SZ-0024", &number), &address, &[]);
        let more = supplement(
            4,
            ("SZ-0024", &number),
            &[address[0], ("phone", "13912345678")],
            &[("photo", &photo)],
        );
        let mut other = supplement(5, ("SZ-0024", &number), &address, &[("photo", &photo)]);
        other.applicant = kiosk_proto::service::IdNumber::new("320508194408150020");
        sign(&mut other);
        for (wrong, says) in [
            (&short, "material photo is required"),
            (&more, "the form has no field phone"),
            (&other, "no application"),
        ] {
            let answer = terminal.post("/v1/applications", wrong).await;
            assert_eq!(
                answer.status(),
                StatusCode::BAD_REQUEST,
                "{backend}: {says}"
            );
            let text = answer.text().await.unwrap();
            assert!(text.contains(says), "{text}");
        }

        // Taken once, however often it is sent: the case waits to be accepted again.
        let mut receipts = Vec::new();
        for _ in 0..2 {
            let answer = terminal.post("/v1/applications", &right).await;
            assert_eq!(answer.status(), StatusCode::OK, "{backend}");
            receipts.push(answer.json::<ApplicationReceipt>().await.unwrap());
        }
        assert_eq!(receipts[0], receipts[1]);
        assert_eq!(receipts[0].number, right.number);
        assert_eq!(receipts[0].state, CaseState::Submitted);
        let case = mine(&terminal, &number).await;
        assert_eq!(case.summary.state, CaseState::Submitted);
        assert!(case.asked.is_none());
        assert_eq!(case.timeline.len(), 3, "submitted, 补正, supplied: once");
        let note = &case.timeline[2].note.as_ref().unwrap().zh;
        assert!(
            note.contains("补交材料") && note.contains(&right.number),
            "{note}"
        );

        // The reviewer: the new page beside the old, the new value, the five days from today, no second 补正.
        let detail = police.detail(&number).await;
        assert_eq!(detail.supplied.len(), 1);
        let supplied = &detail.supplied[0];
        assert_eq!(supplied.number, right.number);
        assert_eq!(supplied.fields[0].value.zh, address[0].1);
        assert_eq!(supplied.materials[0].pages, [sha256_hex(&photo)]);
        let old = detail.materials.iter().find(|m| m.id == "photo").unwrap();
        assert_eq!(old.pages, [sha256_hex(&page(3))]);
        for (sha, bytes) in [
            (sha256_hex(&photo), &photo),
            (sha256_hex(&page(3)), &page(3)),
        ] {
            let image = police
                .get(&format!("/console/api/applications/{number}/pages/{sha}"))
                .await;
            assert_eq!(image.status(), StatusCode::OK);
            assert_eq!(image.bytes().await.unwrap().as_ref(), bytes.as_slice());
        }
        assert_eq!(detail.actions, ["accept", "not_accept"]);
        assert!(detail.audit.iter().any(|a| a.action == "supplied"));
        assert!(detail.entry.days_left >= 5);

        // Accepted meanwhile: a late supplement is refused for good (the citizen goes to a counter).
        police.act(&number, json!({"action": "accept"})).await;
        let late = supplement(6, ("SZ-0024", &number), &address, &[("photo", &photo)]);
        let answer = terminal.post("/v1/applications", &late).await;
        assert_eq!(answer.status(), StatusCode::BAD_REQUEST);
        assert!(answer
            .text()
            .await
            .unwrap()
            .contains("does not wait for 补正"));
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_bundles_parts_ask_as_one_notice_and_one_supplement_answers_them() {
    for backend in backends() {
        let hub = Running::start(backend).await;
        let bundle = birth_bundle(7);
        let number = bundle.number.clone();
        taken(&hub, &[(bundle, page(5))]).await;
        let terminal = Terminal {
            credential: hub.enrolled("SZ-T-30").await.credential,
            hub: &hub,
        };
        let police = Console::new(&hub, "li.police", Role::Reviewer, &["苏州市公安局"]).await;
        let health =
            Console::new(&hub, "he.health", Role::Reviewer, &["苏州市卫生健康委员会"]).await;
        let part = |n: usize| format!("{number}-{n}");
        police
            .act(
                &part(1),
                json!({"action": "correct", "deadline_days": 5, "items": [
                    {"item": "settle", "why": "请确认落户地址"},
                    {"item": "phone", "why": "电话打不通"}
                ]}),
            )
            .await;
        health
            .act(
                &part(2),
                json!({"action": "correct", "deadline_days": 3, "items": [
                    {"item": "phone", "why": "请留本人手机"}
                ]}),
            )
            .await;

        // One notice: every item once (both reasons for the phone), the earlier deadline.
        let case = mine(&terminal, &number).await;
        let asked = case.asked.expect("one notice for the bundle");
        let items: Vec<(&str, &str)> = asked
            .items
            .iter()
            .map(|i| (i.item.as_str(), i.why.as_str()))
            .collect();
        assert_eq!(
            items,
            [
                ("settle", "请确认落户地址"),
                ("phone", "电话打不通；请留本人手机")
            ],
            "{backend}"
        );
        let health_part = health.detail(&part(2)).await;
        assert!(health_part.audit[0].detail["deadline"]
            .as_str()
            .is_some_and(|d| *d == asked.deadline));

        // One supplement: both parts wait to be accepted again, and so does the bundle.
        let answer = terminal
            .post(
                "/v1/applications",
                &supplement(
                    8,
                    ("SZ-0038", &number),
                    &[("settle", "father"), ("phone", "13800001111")],
                    &[],
                ),
            )
            .await;
        assert_eq!(answer.status(), StatusCode::OK, "{backend}");
        for (reviewer, n) in [(&police, 1), (&health, 2)] {
            let detail = reviewer.detail(&part(n)).await;
            assert_eq!(
                detail.entry.state,
                CaseState::Submitted,
                "{backend}: part {n}"
            );
            assert_eq!(detail.supplied.len(), 1);
            assert!(last_note(&detail).contains("补交材料"));
        }
        let case = mine(&terminal, &number).await;
        assert_eq!(case.summary.state, CaseState::Submitted);
        assert!(case.asked.is_none());
    }
}
