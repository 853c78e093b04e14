//! The hub's intake of 自助申报 on loopback, on SQLite and on PostgreSQL: the holder's e-licences from the
//! demo library, pages by their SHA-256 (checked, kept once, asked for when missing), applications made
//! cases once however often they are sent, refused with the reason when a value or a material does not
//! pass the published form, and found by progress under the terminal's number.

use crate::common;

use common::{backends, Running};
use kiosk_proto::application::{
    application_number, sha256_hex, Application, ApplicationReceipt, DeliveryChoice, Elicence,
    FieldValue, MaterialEntry, MaterialGiven, PageQuery, PageRef, Signature,
};
use kiosk_proto::service::{CaseDetail, CaseState, IdNumber};
use kiosk_proto::{Lang, LocalText};
use reqwest::StatusCode;
use serde_json::json;

/// 王建国 of the demo cards: every licence the birth bundle asks for is in the library.
pub(crate) const WANG: &str = "320502197904021530";
const ZHANG: &str = "320508194408150020";

/// A page: a JPEG's first bytes, then `seed`'s content.
pub(crate) fn page(seed: u8) -> Vec<u8> {
    let mut bytes = vec![0xFF, 0xD8, 0xFF, 0xE0];
    bytes.extend((0..20_000u32).map(|i| (i as u8).wrapping_mul(seed)));
    bytes
}

/// A residence permit application by 王建国 with `photo` as its photo, signed.
pub(crate) fn application(device: &str, seq: u64, photo: &[u8]) -> Application {
    let mut application = Application {
        id: format!("{:032x}", u128::from(seq) * 7919 + 1),
        number: application_number(device, seq),
        service_id: "SZ-0024".into(),
        applicant: IdNumber::new(WANG),
        applicant_masked: "王**".into(),
        values: [
            ("name", "王建国"),
            ("id_number", WANG),
            ("address", "苏州工业园区星湖街328号5幢1202室"),
            ("basis", "work"),
            ("phone", "13912345678"),
        ]
        .into_iter()
        .map(|(id, value)| FieldValue {
            id: id.into(),
            value: value.into(),
        })
        .collect(),
        materials: vec![
            MaterialEntry {
                id: "id_card".into(),
                given: MaterialGiven::Elicence {
                    number: "3205**********1530".into(),
                    title: LocalText::new("居民身份证", "Resident ID card"),
                },
            },
            MaterialEntry {
                id: "photo".into(),
                given: MaterialGiven::Capture {
                    pages: vec![PageRef {
                        sha256: sha256_hex(photo),
                        bytes: photo.len() as u64,
                    }],
                },
            },
            MaterialEntry {
                id: "address_proof".into(),
                given: MaterialGiven::Elicence {
                    number: "苏(2022)苏州市不动产权第0001001号".into(),
                    title: LocalText::new("不动产权证书", "Title certificate"),
                },
            },
        ],
        signature: None,
        delivery: DeliveryChoice::Pickup,
        submitted_ms: 1_796_500_000_000,
        lang: Lang::Zh,
        completes: None,
        assisted: vec![],
    };
    sign(&mut application);
    application
}

pub(crate) fn sign(application: &mut Application) {
    application.signature = Some(Signature {
        width: 900,
        height: 378,
        strokes: vec![vec![(10, 10, 0), (200, 120, 80)]],
        signed_ms: application.submitted_ms,
        digest: application.signed_digest(),
    });
}

pub(crate) struct Terminal<'a> {
    pub(crate) hub: &'a Running,
    pub(crate) credential: String,
}

impl Terminal<'_> {
    pub(crate) async fn post(&self, path: &str, body: &impl serde::Serialize) -> reqwest::Response {
        self.hub
            .client
            .post(self.hub.url(path))
            .bearer_auth(&self.credential)
            .json(body)
            .send()
            .await
            .unwrap()
    }

    pub(crate) async fn put_page(&self, name: &str, bytes: &[u8]) -> StatusCode {
        self.hub
            .client
            .put(self.hub.url(&format!("/v1/pages/{name}")))
            .bearer_auth(&self.credential)
            .body(bytes.to_vec())
            .send()
            .await
            .unwrap()
            .status()
    }

    async fn missing(&self, pages: &[&[u8]]) -> Vec<String> {
        let query = PageQuery {
            sha256: pages.iter().map(|p| sha256_hex(p)).collect(),
        };
        let reply: PageQuery = self
            .post("/v1/pages/missing", &query)
            .await
            .json()
            .await
            .unwrap();
        reply.sha256
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn the_library_gives_the_holders_licences_only() {
    for backend in backends() {
        let hub = Running::start(backend).await;
        kiosk_hub::seed::demo(&hub.store).await.unwrap();
        let terminal = Terminal {
            credential: hub.enrolled("SZ-T-21").await.credential,
            hub: &hub,
        };
        let wang: Vec<Elicence> = terminal
            .post("/v1/elicences/mine", &json!({"id_number": WANG}))
            .await
            .json()
            .await
            .unwrap();
        let kinds: Vec<&str> = wang.iter().map(|l| l.kind.as_str()).collect();
        assert_eq!(
            kinds,
            [
                "birth_certificate",
                "household",
                "id_card",
                "marriage",
                "property"
            ],
            "{backend}"
        );
        let zhang: Vec<Elicence> = terminal
            .post("/v1/elicences/mine", &json!({"id_number": ZHANG}))
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(zhang.len(), 2, "{backend}");
        let nobody: Vec<Elicence> = terminal
            .post(
                "/v1/elicences/mine",
                &json!({"id_number": "11010519491231002X"}),
            )
            .await
            .json()
            .await
            .unwrap();
        assert!(nobody.is_empty(), "{backend}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn the_records_give_the_holders_facts_to_prefill_only_to_a_terminal() {
    use kiosk_proto::application::{HeldFacts, Prefill};
    for backend in backends() {
        let hub = Running::start(backend).await;
        kiosk_hub::seed::demo(&hub.store).await.unwrap();
        // Seeding again replaces, never doubles.
        kiosk_hub::seed::demo(&hub.store).await.unwrap();
        let terminal = Terminal {
            credential: hub.enrolled("SZ-T-22").await.credential,
            hub: &hub,
        };
        let facts = |id: &'static str| {
            let terminal = &terminal;
            async move {
                let held: HeldFacts = terminal
                    .post("/v1/holder/facts", &json!({ "id_number": id }))
                    .await
                    .json()
                    .await
                    .unwrap();
                held.facts
            }
        };
        let wang = facts(WANG).await;
        let names: Vec<Prefill> = wang.iter().map(|f| f.fact).collect();
        assert_eq!(names.len(), 7, "{backend}: {names:?}");
        let value = |fact| wang.iter().find(|f| f.fact == fact).unwrap().value.clone();
        assert_eq!(value(Prefill::SpouseName), "李娜");
        assert!(
            kiosk_proto::fields::gb11643_check(&value(Prefill::SpouseNumber)[..17])
                == value(Prefill::SpouseNumber).chars().last(),
            "the spouse's number checks"
        );
        assert_eq!(value(Prefill::Mobile).len(), 11);
        let zhang = facts(ZHANG).await;
        assert_eq!(zhang.len(), 1, "{backend}: only her mobile");
        assert!(facts("11010519491231002X").await.is_empty(), "{backend}");
        // Without a terminal's credential, nothing.
        let anonymous = hub
            .client
            .post(hub.url("/v1/holder/facts"))
            .json(&json!({ "id_number": WANG }))
            .send()
            .await
            .unwrap();
        assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED, "{backend}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn pages_are_checked_kept_once_and_asked_for_when_missing() {
    for backend in backends() {
        let hub = Running::start(backend).await;
        let terminal = Terminal {
            credential: hub.enrolled("SZ-T-22").await.credential,
            hub: &hub,
        };
        let (one, two) = (page(3), page(5));
        assert_eq!(terminal.missing(&[&one, &two]).await.len(), 2);
        assert_eq!(
            terminal.put_page(&sha256_hex(&one), &one).await,
            StatusCode::CREATED
        );
        assert_eq!(
            terminal.put_page(&sha256_hex(&one), &one).await,
            StatusCode::OK,
            "{backend}: a page held already changes nothing"
        );
        assert_eq!(
            terminal.missing(&[&one, &two]).await,
            vec![sha256_hex(&two)]
        );
        // Cut short on the way: the content does not match its name.
        assert_eq!(
            terminal.put_page(&sha256_hex(&two), &two[..1000]).await,
            StatusCode::BAD_REQUEST
        );
        let gif = b"GIF89a....".to_vec();
        assert_eq!(
            terminal.put_page(&sha256_hex(&gif), &gif).await,
            StatusCode::BAD_REQUEST
        );
        assert_eq!(
            terminal.put_page("not-a-hash", &one).await,
            StatusCode::BAD_REQUEST
        );
        let huge = [vec![0xFF, 0xD8, 0xFF], vec![0u8; 5 * 1024 * 1024]].concat();
        assert_eq!(
            terminal.put_page(&sha256_hex(&huge), &huge).await,
            StatusCode::PAYLOAD_TOO_LARGE
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn an_application_becomes_one_case_however_often_it_is_sent() {
    for backend in backends() {
        let hub = Running::start(backend).await;
        kiosk_hub::seed::demo(&hub.store).await.unwrap();
        let terminal = Terminal {
            credential: hub.enrolled("SZ-T-23").await.credential,
            hub: &hub,
        };
        let photo = page(7);
        let sent = application("SZ-T-23", 1, &photo);
        // Its page first: without it the hub says which.
        let refused = terminal.post("/v1/applications", &sent).await;
        assert_eq!(refused.status(), StatusCode::CONFLICT, "{backend}");
        let why = refused.text().await.unwrap();
        assert!(why.contains(&sha256_hex(&photo)), "{why}");
        terminal.put_page(&sha256_hex(&photo), &photo).await;

        let before: Vec<CaseDetail> = terminal
            .post("/v1/cases/mine", &json!({"id_number": WANG}))
            .await
            .json()
            .await
            .unwrap();
        let first: ApplicationReceipt = terminal
            .post("/v1/applications", &sent)
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(first.number, "SBSZT23000001");
        assert_eq!(first.state, CaseState::Submitted);
        assert_eq!(first.promised_on.len(), 10);
        // A lost reply: sent again, the same answer and no second case.
        let again: ApplicationReceipt = terminal
            .post("/v1/applications", &sent)
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(again, first, "{backend}");
        let after: Vec<CaseDetail> = terminal
            .post("/v1/cases/mine", &json!({"id_number": WANG}))
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(after.len(), before.len() + 1, "{backend}");
        let case: CaseDetail = terminal
            .post(
                "/v1/cases/query",
                &json!({"case_no": first.number, "id_last6": &WANG[12..]}),
            )
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(case.summary.service_id, "SZ-0024");
        assert_eq!(case.applicant, "王**");
        assert_eq!(case.timeline.len(), 1);

        // Another application cannot take a number already given.
        let mut other = application("SZ-T-23", 1, &photo);
        other.id = "f".repeat(32);
        sign(&mut other);
        let clash = terminal.post("/v1/applications", &other).await;
        assert_eq!(clash.status(), StatusCode::CONFLICT, "{backend}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_value_or_material_the_form_refuses_is_answered_with_the_reason() {
    for backend in backends() {
        let hub = Running::start(backend).await;
        kiosk_hub::seed::demo(&hub.store).await.unwrap();
        let terminal = Terminal {
            credential: hub.enrolled("SZ-T-24").await.credential,
            hub: &hub,
        };
        let photo = page(9);
        terminal.put_page(&sha256_hex(&photo), &photo).await;
        let refused = |change: &dyn Fn(&mut Application)| {
            let mut application = application("SZ-T-24", 2, &photo);
            change(&mut application);
            sign(&mut application);
            application
        };
        for (bad, expected) in [
            (
                refused(&|a| a.values[4].value = "12345".into()),
                "field phone",
            ),
            (refused(&|a| a.values.remove(2).id.clear()), "address"),
            (refused(&|a| a.materials.remove(1).id.clear()), "photo"),
            (refused(&|a| a.service_id = "SZ-0001".into()), "SZ-0001"),
            (
                refused(&|a| a.delivery = DeliveryChoice::Electronic),
                "delivery",
            ),
        ] {
            let reply = terminal.post("/v1/applications", &bad).await;
            assert_eq!(reply.status(), StatusCode::BAD_REQUEST, "{backend}");
            let why = reply.text().await.unwrap();
            assert!(why.contains(expected), "{backend}: {why}");
        }
        // Changed after signing: the signature no longer matches.
        let mut changed = application("SZ-T-24", 3, &photo);
        changed.values[2].value = "苏州工业园区某处".into();
        let reply = terminal.post("/v1/applications", &changed).await;
        assert_eq!(reply.status(), StatusCode::BAD_REQUEST);
        assert!(reply.text().await.unwrap().contains("signature"));
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_phone_page_is_bound_to_its_terminal_takes_its_pages_and_closes_once_used_or_expired() {
    use kiosk_proto::application::{UploadRequest, UploadStatus, UploadTicket};
    for backend in backends() {
        let hub = Running::start(backend).await;
        let terminal = Terminal {
            credential: hub.enrolled("SZ-T-25").await.credential,
            hub: &hub,
        };
        let other = Terminal {
            credential: hub.enrolled("SZ-T-26").await.credential,
            hub: &hub,
        };
        let request = UploadRequest {
            session: "SessionId(7)".into(),
            material: "photo".into(),
            title: LocalText::new("近期免冠相片", "Recent photo"),
            max_pages: 1,
        };
        let open = || async {
            let ticket: UploadTicket = terminal
                .post("/v1/uploads", &request)
                .await
                .json()
                .await
                .unwrap();
            ticket
        };
        let ticket = open().await;
        assert_eq!(ticket.path, format!("/m/{}", ticket.token));
        let phone = |path: String| hub.client.post(hub.url(&path));
        let photo = page(11);
        let sent = phone(format!("{}/pages", ticket.path))
            .body(photo.clone())
            .send()
            .await
            .unwrap();
        assert_eq!(sent.status(), StatusCode::OK, "{backend}");
        let second = phone(format!("{}/pages", ticket.path))
            .body(page(12))
            .send()
            .await
            .unwrap();
        assert_eq!(second.status(), StatusCode::BAD_REQUEST, "one page at most");
        let status: UploadStatus = terminal
            .hub
            .client
            .get(hub.url(&format!("/v1/uploads/{}", ticket.token)))
            .bearer_auth(&terminal.credential)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(status.pages.len(), 1);
        assert_eq!(status.pages[0].sha256, sha256_hex(&photo));
        assert!(!status.done && !status.expired);
        // Another terminal cannot see it.
        let peek = hub
            .client
            .get(hub.url(&format!("/v1/uploads/{}", ticket.token)))
            .bearer_auth(&other.credential)
            .send()
            .await
            .unwrap();
        assert_eq!(peek.status(), StatusCode::NOT_FOUND, "{backend}");
        // Used: done once, then gone.
        let done = phone(format!("{}/done", ticket.path)).send().await.unwrap();
        assert_eq!(done.status(), StatusCode::NO_CONTENT);
        let again = phone(format!("{}/done", ticket.path)).send().await.unwrap();
        assert_eq!(again.status(), StatusCode::GONE, "{backend}: used twice");
        let info = hub
            .client
            .get(hub.url(&format!("{}/info", ticket.path)))
            .send()
            .await
            .unwrap();
        assert_eq!(info.status(), StatusCode::GONE);
        // Expired: ten minutes on, the page takes nothing.
        let late = open().await;
        sqlx::query("UPDATE uploads SET expires_ms = 0")
            .execute(hub.store.pool())
            .await
            .unwrap();
        let refused = phone(format!("{}/pages", late.path))
            .body(page(13))
            .send()
            .await
            .unwrap();
        assert_eq!(refused.status(), StatusCode::GONE, "{backend}: expired");
        let page = hub.client.get(hub.url(&late.path)).send().await.unwrap();
        assert_eq!(page.status(), StatusCode::OK, "the page still says why");
    }
}
