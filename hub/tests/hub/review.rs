//! The back office's review desk over HTTP, as the console's page calls it, on SQLite and PostgreSQL: a
//! reviewer of the department tells 补正 once, accepts and approves, and each step reaches the citizen's
//! timeline in words; the result goes as the citizen chose (an e-licence printable under the holder's
//! documents, an EMS waybill with its S10 check digit); a refusal carries its reason; a reviewer of another
//! department and a guide are refused by the hub; five wrong passwords lock an account.

use crate::common;

use common::{backends, Running};
use kiosk_hub::review::{Detail, QueueEntry};
use kiosk_hub::staff::Role;
use kiosk_proto::application::{sha256_hex, Application, DeliveryChoice};
use kiosk_proto::service::{CaseState, IdNumber};
use reqwest::StatusCode;
use serde_json::json;

use super::applications::{application, page, sign, WANG};

/// A logged-in console: its cookie.
pub(crate) struct Console<'a> {
    hub: &'a Running,
    cookie: String,
    csrf: String,
}

async fn login(hub: &Running, username: &str, password: &str) -> reqwest::Response {
    hub.client
        .post(hub.url("/console/login"))
        .json(&json!({ "username": username, "password": password }))
        .send()
        .await
        .unwrap()
}

impl<'a> Console<'a> {
    pub(crate) async fn new(
        hub: &'a Running,
        username: &str,
        role: Role,
        departments: &[&str],
    ) -> Self {
        kiosk_hub::staff::add(&hub.store, username, "审批员", "0200", "correct horse")
            .await
            .unwrap();
        let departments: Vec<String> = departments.iter().map(|d| d.to_string()).collect();
        kiosk_hub::staff::grant(&hub.store, username, role, &departments)
            .await
            .unwrap();
        let answer = login(hub, username, "correct horse").await;
        assert_eq!(answer.status(), StatusCode::NO_CONTENT);
        let cookie = common::session_cookie(&answer);
        let csrf = common::csrf(hub, &cookie).await;
        Console { hub, cookie, csrf }
    }

    pub(crate) async fn get(&self, path: &str) -> reqwest::Response {
        self.hub
            .client
            .get(self.hub.url(path))
            .header("cookie", &self.cookie)
            .send()
            .await
            .unwrap()
    }

    pub(crate) async fn act(&self, number: &str, action: serde_json::Value) -> reqwest::Response {
        self.hub
            .client
            .post(
                self.hub
                    .url(&format!("/console/api/applications/{number}/actions")),
            )
            .header("cookie", &self.cookie)
            .header("x-csrf-token", &self.csrf)
            .json(&action)
            .send()
            .await
            .unwrap()
    }

    pub(crate) async fn detail(&self, number: &str) -> Detail {
        let answer = self
            .get(&format!("/console/api/applications/{number}"))
            .await;
        assert_eq!(answer.status(), StatusCode::OK);
        answer.json().await.unwrap()
    }
}

/// The hub seeded, a terminal enrolled, and `applications` taken with their pages.
pub(crate) async fn taken(hub: &Running, applications: &[(Application, Vec<u8>)]) {
    kiosk_hub::seed::demo(&hub.store).await.unwrap();
    hub.enrolled("SZ-T-30").await;
    for (application, photo) in applications {
        kiosk_hub::applications::put_page(&hub.store, &sha256_hex(photo), photo)
            .await
            .unwrap();
        kiosk_hub::applications::intake(&hub.store, "SZ-T-30", application)
            .await
            .unwrap();
    }
}

fn with_delivery(mut application: Application, delivery: DeliveryChoice) -> Application {
    application.delivery = delivery;
    sign(&mut application);
    application
}

pub(crate) fn last_note(detail: &Detail) -> String {
    detail
        .timeline
        .last()
        .and_then(|s| s.note.as_ref())
        .map(|n| n.zh.clone())
        .unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_reviewer_tells_once_accepts_and_approves_and_the_citizen_reads_each_step() {
    for backend in backends() {
        let hub = Running::start(backend).await;
        let photo = page(3);
        let first = application("SZ-T-30", 1, &photo);
        let ems = with_delivery(
            application("SZ-T-30", 2, &photo),
            DeliveryChoice::Ems {
                recipient: "王建国".into(),
                phone: "13912345678".into(),
                address: "苏州市相城区元和街道御窑路18号".into(),
                postcode: "215000".into(),
            },
        );
        let (a, b) = (first.number.clone(), ems.number.clone());
        taken(&hub, &[(first, photo.clone()), (ems, photo.clone())]).await;
        let police = Console::new(&hub, "li.police", Role::Reviewer, &["苏州市公安局"]).await;

        // The queue: both, with the day to decide by (five working days from receipt).
        let queue: Vec<QueueEntry> = police.get("/console/api/queue").await.json().await.unwrap();
        let mine: Vec<&QueueEntry> = queue
            .iter()
            .filter(|e| e.number == a || e.number == b)
            .collect();
        assert_eq!(mine.len(), 2, "{backend}");
        assert!(mine
            .iter()
            .all(|e| e.state == CaseState::Submitted && e.days_left >= 5));

        // One application: the form, the licences used instead of copies, the page to look at.
        let detail = police.detail(&a).await;
        assert!(detail.fields.iter().any(|f| f.label.zh == "居住类型"
            && f.value.zh == "稳定就业"
            && f.value.en != "稳定就业"));
        let licence = detail
            .materials
            .iter()
            .find(|m| m.id == "address_proof")
            .unwrap();
        assert_eq!(licence.source, "elicence");
        let photo_page = &detail
            .materials
            .iter()
            .find(|m| m.id == "photo")
            .unwrap()
            .pages[0];
        let image = police
            .get(&format!("/console/api/applications/{a}/pages/{photo_page}"))
            .await;
        assert_eq!(image.status(), StatusCode::OK);
        assert_eq!(image.bytes().await.unwrap().as_ref(), photo.as_slice());
        assert_eq!(detail.actions, ["accept", "correct", "not_accept"]);

        // 补正, every item at once, tied to its field or material.
        let told = police
            .act(
                &a,
                json!({"action": "correct", "deadline_days": 10, "items": [
                    {"item": "photo", "why": "照片背景不是白色"},
                    {"item": "address", "why": "请写到门牌号和室号"}
                ]}),
            )
            .await;
        assert_eq!(told.status(), StatusCode::OK, "{backend}");
        let detail: Detail = told.json().await.unwrap();
        assert_eq!(detail.entry.state, CaseState::NeedsMaterials);
        let note = last_note(&detail);
        assert!(
            note.contains("一次性告知") && note.contains("近期免冠相片：照片背景不是白色"),
            "{note}"
        );
        assert!(note.contains("现居住地址：请写到门牌号和室号"), "{note}");
        // Told once: a second 补正 is refused, by the hub.
        let again = police
            .act(&a, json!({"action": "correct", "deadline_days": 5, "items": [{"item": "photo", "why": "再拍"}]}))
            .await;
        assert_eq!(again.status(), StatusCode::CONFLICT, "{backend}");
        // An item that is neither a field nor a material is refused with the reason.
        let unknown = police
            .act(&b, json!({"action": "correct", "deadline_days": 5, "items": [{"item": "horoscope", "why": "看不清楚"}]}))
            .await;
        assert_eq!(unknown.status(), StatusCode::BAD_REQUEST);

        // Approve before accepting: refused, the state said.
        let early = police.act(&a, json!({"action": "approve"})).await;
        assert_eq!(early.status(), StatusCode::CONFLICT);
        assert!(early.text().await.unwrap().contains("需补正"));
        let accepted: Detail = police
            .act(&a, json!({"action": "accept"}))
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(accepted.entry.state, CaseState::Accepted);
        assert_eq!(
            accepted.entry.due, accepted.promised_on,
            "due on the promised day now"
        );
        let approved: Detail = police
            .act(&a, json!({"action": "approve"}))
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(approved.entry.state, CaseState::Approved);
        assert!(
            last_note(&approved).contains("窗口领取"),
            "chosen at submission: pick-up"
        );

        // EMS: a waybill typed with a wrong check digit is caught; the hub's own has a right one.
        police.act(&b, json!({"action": "accept"})).await;
        let typo = police
            .act(&b, json!({"action": "approve", "waybill": "EA123456784CN"}))
            .await;
        assert_eq!(typo.status(), StatusCode::BAD_REQUEST);
        assert!(typo.text().await.unwrap().contains("check digit"));
        let mailed: Detail = police
            .act(&b, json!({"action": "approve"}))
            .await
            .json()
            .await
            .unwrap();
        let waybill = mailed
            .result
            .as_ref()
            .and_then(|r| r.waybill.clone())
            .unwrap();
        assert!(kiosk_proto::fields::s10_is_valid(&waybill), "{waybill}");
        assert!(last_note(&mailed).contains(&format!("运单号 {waybill}")));

        // The citizen's progress shows each step with its words; the audit names the reviewer.
        let case = kiosk_hub::cases::mine(&hub.store, &IdNumber::new(WANG))
            .await
            .unwrap()
            .into_iter()
            .find(|c| c.summary.case_no == b)
            .unwrap();
        let states: Vec<CaseState> = case.timeline.iter().map(|s| s.state).collect();
        assert_eq!(
            states,
            [
                CaseState::Submitted,
                CaseState::Accepted,
                CaseState::Approved
            ]
        );
        assert!(mailed.audit.iter().all(|a| a.staff == "li.police"));
        assert_eq!(police.detail(&a).await.audit.len(), 3, "补正, 受理, 办结");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn an_approved_electronic_result_is_among_the_holders_documents_and_refusals_say_why() {
    for backend in backends() {
        let hub = Running::start(backend).await;
        // 城乡居民医保参保登记 offers an electronic result.
        let mut insured = application("SZ-T-30", 3, &page(4));
        insured.service_id = "SZ-0019".into();
        insured.values = [
            ("name", "王建国"),
            ("id_number", WANG),
            ("category", "other"),
            ("registration", "local"),
            ("address", "苏州市相城区元和街道御窑路18号"),
            ("phone", "13912345678"),
        ]
        .into_iter()
        .map(|(id, value)| kiosk_proto::application::FieldValue {
            id: id.into(),
            value: value.into(),
        })
        .collect();
        insured.materials[0].id = "id_card".into();
        insured.materials.truncate(2);
        insured.materials[1].id = "permit".into();
        let insured = with_delivery(insured, DeliveryChoice::Electronic);
        let refused = application("SZ-T-30", 4, &page(4));
        let not_ours = application("SZ-T-30", 5, &page(4));
        let (a, r, n) = (
            insured.number.clone(),
            refused.number.clone(),
            not_ours.number.clone(),
        );
        taken(
            &hub,
            &[(insured, page(4)), (refused, page(4)), (not_ours, page(4))],
        )
        .await;
        let health = Console::new(&hub, "wu.health", Role::Reviewer, &["苏州市医疗保障局"]).await;
        let police = Console::new(&hub, "li.police", Role::Reviewer, &["苏州市公安局"]).await;

        // Another department's reviewer: refused by the hub, for the detail, a page and a decision.
        assert_eq!(
            health
                .get(&format!("/console/api/applications/{r}"))
                .await
                .status(),
            StatusCode::FORBIDDEN
        );
        let page_path = format!(
            "/console/api/applications/{r}/pages/{}",
            sha256_hex(&page(4))
        );
        assert_eq!(health.get(&page_path).await.status(), StatusCode::FORBIDDEN);
        assert_eq!(
            health.act(&r, json!({"action": "accept"})).await.status(),
            StatusCode::FORBIDDEN
        );
        let queue: Vec<QueueEntry> = health.get("/console/api/queue").await.json().await.unwrap();
        assert!(
            queue.iter().all(|e| e.department == "苏州市医疗保障局"),
            "{backend}"
        );
        assert!(queue.iter().any(|e| e.number == a));
        // A guide reviews nothing.
        let guide = Console::new(&hub, "zhang.guide", Role::Guide, &[]).await;
        assert_eq!(
            guide.get("/console/api/queue").await.status(),
            StatusCode::FORBIDDEN
        );
        assert_eq!(
            guide
                .get(&format!("/console/api/applications/{a}"))
                .await
                .status(),
            StatusCode::FORBIDDEN
        );

        health.act(&a, json!({"action": "accept"})).await;
        let approved: Detail = health
            .act(&a, json!({"action": "approve"}))
            .await
            .json()
            .await
            .unwrap();
        let document = approved.result.and_then(|r| r.document_id).unwrap();
        let documents = kiosk_hub::documents::mine(&hub.store, &IdNumber::new(WANG))
            .await
            .unwrap();
        let issued = documents
            .iter()
            .find(|d| d.id == document)
            .expect("printable at a terminal");
        assert!(issued.title.contains("准予许可决定书"), "{}", issued.title);

        // 不予许可 and 不予受理: the reason on the timeline, with the right of appeal.
        police.act(&r, json!({"action": "accept"})).await;
        let denied: Detail = police
            .act(&r, json!({"action": "deny", "reason": "居住时间不满半年"}))
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(denied.entry.state, CaseState::Refused);
        assert!(
            last_note(&denied).contains("不予许可：居住时间不满半年")
                && last_note(&denied).contains("行政复议")
        );
        let short = police
            .act(&n, json!({"action": "not_accept", "reason": "x"}))
            .await;
        assert_eq!(short.status(), StatusCode::BAD_REQUEST, "a reason in words");
        let turned: Detail = police
            .act(&n, json!({"action": "not_accept", "reason": "不属于本机关职权范围，请向户籍地公安机关申请"}))
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(turned.entry.state, CaseState::NotAccepted);
        assert!(turned.actions.is_empty(), "nothing more to decide");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn five_wrong_passwords_lock_a_console_account_even_for_the_right_one() {
    let hub = Running::start(common::Backend::Sqlite).await;
    kiosk_hub::staff::add(&hub.store, "zhangli", "张丽", "0123", "correct horse")
        .await
        .unwrap();
    for _ in 0..4 {
        assert_eq!(
            login(&hub, "zhangli", "wrong horse").await.status(),
            StatusCode::UNAUTHORIZED
        );
    }
    // A right password before the fifth failure still works, and starts the count again.
    assert_eq!(
        login(&hub, "zhangli", "correct horse").await.status(),
        StatusCode::NO_CONTENT
    );
    for _ in 0..4 {
        login(&hub, "zhangli", "wrong horse").await;
    }
    let fifth = login(&hub, "zhangli", "wrong horse").await;
    assert_eq!(fifth.status(), StatusCode::TOO_MANY_REQUESTS);
    let locked = login(&hub, "zhangli", "correct horse").await;
    assert_eq!(locked.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(locked
        .text()
        .await
        .unwrap()
        .contains("locked for 15 more minutes"));
}

/// 王建国's 出生一件事 with every material from the library.
pub(crate) fn birth_bundle(seq: u64) -> Application {
    use kiosk_proto::application::{Date, FieldValue, MaterialEntry, MaterialGiven};
    let mut application = application("SZ-T-30", seq, &page(5));
    application.service_id = "SZ-0038".into();
    let born = Date::china(kiosk_hub::store::now_ms())
        .add_days(-10)
        .to_string();
    application.values = [
        ("name", "王建国"),
        ("id_number", WANG),
        ("baby_name", "王小明"),
        ("baby_sex", "male"),
        ("baby_birth", born.as_str()),
        ("certificate", "Q325000001"),
        ("settle", "father"),
        ("other_parent", "李娜"),
        ("other_id", "320508198806150024"),
        ("phone", "13912345678"),
        ("address", "江苏省苏州市相城区元和街道御窑路18号"),
    ]
    .into_iter()
    .map(|(id, value)| FieldValue {
        id: id.into(),
        value: value.into(),
    })
    .collect();
    application.materials = ["birth_certificate", "id_card", "household", "marriage"]
        .into_iter()
        .map(|id| MaterialEntry {
            id: id.into(),
            given: MaterialGiven::Elicence {
                number: "N-1".into(),
                title: kiosk_proto::LocalText::new("证照", "Licence"),
            },
        })
        .collect();
    with_delivery(application, DeliveryChoice::Pickup)
}

#[tokio::test(flavor = "multi_thread")]
async fn a_bundles_parts_are_decided_by_their_departments_and_the_citizen_sees_one_case() {
    for backend in backends() {
        let hub = Running::start(backend).await;
        let bundle = birth_bundle(7);
        let number = bundle.number.clone();
        taken(&hub, &[(bundle, page(5))]).await;
        let departments = [
            ("li.police", "苏州市公安局"),
            ("he.health", "苏州市卫生健康委员会"),
            ("ren.hr", "苏州市人力资源和社会保障局"),
            ("wu.insure", "苏州市医疗保障局"),
        ];
        let mut reviewers = Vec::new();
        for (username, department) in departments {
            reviewers.push(Console::new(&hub, username, Role::Reviewer, &[department]).await);
        }
        let admin = Console::new(&hub, "admin", Role::Admin, &[]).await;
        // The parent is not decided as a whole; each department sees only its own part.
        let whole = admin.detail(&number).await;
        assert_eq!(whole.parts.len(), 4, "{backend}");
        assert!(whole.actions.is_empty());
        assert_eq!(
            admin
                .act(&number, json!({"action": "accept"}))
                .await
                .status(),
            StatusCode::CONFLICT
        );
        for (n, reviewer) in reviewers.iter().enumerate() {
            let queue: Vec<QueueEntry> = reviewer
                .get("/console/api/queue")
                .await
                .json()
                .await
                .unwrap();
            let mine: Vec<&str> = queue.iter().map(|e| e.number.as_str()).collect();
            assert_eq!(mine, [format!("{number}-{}", n + 1)], "{backend}");
        }
        let part = |n: usize| format!("{number}-{n}");
        assert_eq!(
            reviewers[1]
                .get(&format!("/console/api/applications/{}", part(1)))
                .await
                .status(),
            StatusCode::FORBIDDEN,
            "another department's part"
        );

        // One part asks for more: the citizen's one case says so, naming the part.
        reviewers[0]
            .act(&part(1), json!({"action": "correct", "deadline_days": 5, "items": [{"item": "settle", "why": "请确认落户地址"}]}))
            .await;
        let parent = admin.detail(&number).await;
        assert_eq!(parent.entry.state, CaseState::NeedsMaterials);
        assert!(
            last_note(&parent).starts_with("户口登记：需补正"),
            "{}",
            last_note(&parent)
        );

        // Every part accepted, then decided: the bundle is decided once, with one result.
        for (n, reviewer) in reviewers.iter().enumerate() {
            let accepted = reviewer
                .act(&part(n + 1), json!({"action": "accept"}))
                .await;
            assert_eq!(accepted.status(), StatusCode::OK, "{backend}");
        }
        assert_eq!(admin.detail(&number).await.entry.state, CaseState::Accepted);
        for (n, reviewer) in reviewers.iter().enumerate() {
            reviewer
                .act(&part(n + 1), json!({"action": "approve"}))
                .await;
            let state = admin.detail(&number).await.entry.state;
            let want = if n == 3 {
                CaseState::Approved
            } else {
                CaseState::Accepted
            };
            assert_eq!(state, want, "{backend}: after part {}", n + 1);
        }
        let parent = admin.detail(&number).await;
        assert!(
            last_note(&parent).contains("一件事已全部办结"),
            "{}",
            last_note(&parent)
        );
        assert_eq!(parent.result.map(|r| r.kind).as_deref(), Some("pickup"));

        // The citizen sees one case, not five, with every step on its timeline.
        let mine = kiosk_hub::cases::mine(&hub.store, &IdNumber::new(WANG))
            .await
            .unwrap();
        assert!(mine.iter().any(|c| c.summary.case_no == number));
        assert!(!mine
            .iter()
            .any(|c| c.summary.case_no.starts_with(&format!("{number}-"))));
        let case = mine.iter().find(|c| c.summary.case_no == number).unwrap();
        assert_eq!(case.timeline.len(), 1 + 1 + 4 + 4, "{backend}");
    }
}
