//! 企业服务 at the hub on SQLite and PostgreSQL: the registry lists a legal representative's enterprises
//! (the demo's: two for the moved resident, none for the first), each of their business licences among the
//! holder's documents names its enterprise, and the catalogue's policies match them by industry, size and
//! district.

use crate::common;

use common::{backends, Running};
use kiosk_proto::enterprise::{matching, Enterprise, Size};
use kiosk_proto::service::DocumentEntry;
use reqwest::StatusCode;

const MOVED: &str = "320502197904021530";
const RESIDENT: &str = "320508194408150020";

#[tokio::test(flavor = "multi_thread")]
async fn a_representatives_enterprises_their_licences_and_the_policies_for_them() {
    for backend in backends() {
        let hub = Running::start(backend).await;
        kiosk_hub::seed::demo(&hub.store).await.unwrap();
        let credential = hub.enrolled("SZ-0001").await.credential;
        let post = |path: &'static str, id: &'static str| {
            let (client, url, credential) = (hub.client.clone(), hub.url(path), credential.clone());
            async move {
                client
                    .post(url)
                    .bearer_auth(credential)
                    .json(&serde_json::json!({ "id_number": id }))
                    .send()
                    .await
                    .unwrap()
            }
        };
        let reply = post("/v1/enterprises/mine", MOVED).await;
        assert_eq!(reply.status(), StatusCode::OK);
        let firms: Vec<Enterprise> = reply.json().await.unwrap();
        let names: Vec<&str> = firms.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(
            names,
            ["苏州平江文化创意工作室", "苏州建国智能科技有限公司"],
            "{backend}"
        );
        assert!(firms
            .iter()
            .all(|f| kiosk_proto::fields::uscc_is_valid(&f.uscc)));
        let none: Vec<Enterprise> = post("/v1/enterprises/mine", RESIDENT)
            .await
            .json()
            .await
            .unwrap();
        assert!(none.is_empty());

        // Each enterprise's business licence is among the holder's documents, naming it.
        let documents: Vec<DocumentEntry> = post("/v1/documents/mine", MOVED)
            .await
            .json()
            .await
            .unwrap();
        for firm in &firms {
            let licences: Vec<&DocumentEntry> = documents
                .iter()
                .filter(|d| d.enterprise.as_deref() == Some(firm.uscc.as_str()))
                .collect();
            assert_eq!(licences.len(), 1, "{}: {documents:?}", firm.name);
            assert!(licences[0].title.contains("营业执照"));
        }
        assert!(
            documents.iter().any(|d| d.enterprise.is_none()),
            "the personal records name none"
        );

        // The bundled catalogue's policies: the software company gets the R&D subsidy and 吴中区's
        // interest subsidy, with the job-retention refund granted by itself first; the studio its district's
        // rent subsidy, and both micro-firm reliefs granted.
        let catalogue = kiosk_proto::catalogue::Catalogue::from_json(
            kiosk_hub::seed::CATALOGUE,
            "the bundled catalogue",
        )
        .unwrap();
        let ids = |firm: &Enterprise| -> Vec<(String, bool)> {
            matching(&catalogue.policies, firm, "2026-11-23")
                .iter()
                .map(|p| (p.id.clone(), p.automatic))
                .collect()
        };
        let company = firms.iter().find(|f| f.size == Size::Small).unwrap();
        assert_eq!(
            ids(company),
            [
                ("SZ-P-001".to_string(), true),
                ("SZ-P-002".to_string(), false),
                ("SZ-P-005".to_string(), false)
            ]
        );
        let studio = firms.iter().find(|f| f.size == Size::Micro).unwrap();
        assert_eq!(
            ids(studio),
            [
                ("SZ-P-001".to_string(), true),
                ("SZ-P-004".to_string(), true),
                ("SZ-P-003".to_string(), false)
            ]
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn the_registry_takes_only_valid_codes_and_industries() {
    let hub = Running::start(common::Backend::Sqlite).await;
    let mut firm = kiosk_hub::seed::demo_enterprises(&kiosk_hub::seed::demo_holders())
        .remove(0)
        .1;
    let id = kiosk_proto::service::IdNumber::new(MOVED);
    firm.uscc = "92320508MA27XK3001".into();
    assert!(kiosk_hub::enterprises::put(&hub.store, &id, &firm)
        .await
        .is_err());
    firm.uscc = kiosk_hub::seed::demo_uscc(1);
    firm.industry = "Z".into();
    assert!(kiosk_hub::enterprises::put(&hub.store, &id, &firm)
        .await
        .is_err());
    firm.industry = "R".into();
    kiosk_hub::enterprises::put(&hub.store, &id, &firm)
        .await
        .unwrap();
    // Put again: replaced, not doubled.
    kiosk_hub::enterprises::put(&hub.store, &id, &firm)
        .await
        .unwrap();
    assert_eq!(
        kiosk_hub::enterprises::mine(&hub.store, &id).await.unwrap(),
        [firm]
    );
}

/// A request (企业诉求直达) for the demo company by `applicant`, with `uscc` and `name` in its enterprise's
/// fields, signed.
fn request(
    applicant: &str,
    uscc: &str,
    name: &str,
    seq: u64,
) -> kiosk_proto::application::Application {
    use kiosk_proto::application::{Application, DeliveryChoice, FieldValue};
    Application {
        id: format!("{:032x}", u128::from(seq) * 104_729 + 3),
        number: kiosk_proto::application::application_number("SZ-T-23", seq),
        service_id: "SZ-0050".into(),
        applicant: kiosk_proto::service::IdNumber::new(applicant),
        applicant_masked: "王**".into(),
        values: [
            ("enterprise_name", name),
            ("uscc", uscc),
            ("contact", "王建国"),
            ("category", "finance"),
            ("request", "希望了解科技贷款贴息的申请条件"),
            ("phone", "13912345678"),
        ]
        .into_iter()
        .map(|(id, value)| FieldValue {
            id: id.into(),
            value: value.into(),
        })
        .collect(),
        materials: vec![],
        signature: None,
        delivery: DeliveryChoice::Electronic,
        submitted_ms: 1_796_500_000_000,
        lang: kiosk_proto::Lang::Zh,
        completes: None,
        assisted: vec![],
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn an_enterprises_application_is_taken_only_from_its_representative_with_the_registrys_facts()
{
    let hub = Running::start(common::Backend::Sqlite).await;
    kiosk_hub::seed::demo(&hub.store).await.unwrap();
    let credential = hub.enrolled("SZ-T-23").await.credential;
    let send = |application: kiosk_proto::application::Application| {
        let (client, url, credential) = (
            hub.client.clone(),
            hub.url("/v1/applications"),
            credential.clone(),
        );
        async move {
            let reply = client
                .post(url)
                .bearer_auth(credential)
                .json(&application)
                .send()
                .await
                .unwrap();
            (reply.status(), reply.text().await.unwrap())
        }
    };
    let company = kiosk_hub::seed::demo_company_uscc();
    // Someone the registry does not list as the company's representative.
    let (status, why) = send(request(RESIDENT, &company, "苏州建国智能科技有限公司", 1)).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{why}");
    assert!(
        why.contains("not the registered legal representative"),
        "{why}"
    );
    // The representative, with another name than the registry's.
    let (status, why) = send(request(MOVED, &company, "某某公司", 2)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{why}");
    // The representative with the registry's facts: a case.
    let (status, why) = send(request(MOVED, &company, "苏州建国智能科技有限公司", 3)).await;
    assert_eq!(status, StatusCode::OK, "{why}");
}
