//! The review desk of the back office (不见面审批): a reviewer's queue of the applications of their
//! departments, overdue first; one application with its form, its pages, the e-licences it used and its
//! timeline; and the decisions: 受理, 一次性告知补正, 不予受理, and 办结 (准予, with the result the citizen
//! chose at submission, or 不予许可). The hub enforces who may see and decide what, not the page; each
//! decision is audited with the staff member and shows on the citizen's timeline in words a citizen
//! understands. Form values are shown to the reviewer and never logged.

use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use kiosk_proto::application::{Application, Date, DeliveryChoice, MaterialGiven};
use kiosk_proto::service::{CaseState, CaseStep};
use kiosk_proto::template::{demo_seal_png, Licence};
use kiosk_proto::LocalText;
use serde::{Deserialize, Serialize};
use sqlx::Row;

use crate::applications::working_days_after;
use crate::http::{Failure, Hub};
use crate::staff::Member;
use crate::store::{now_ms, wire_name, HubError, Store};

/// Working days from the hub's receipt within which an application is accepted or told, once, everything
/// that is missing (行政许可法 第三十二条).
pub const DECIDE_DAYS: u32 = 5;

/// The states of an application still on a reviewer's desk.
const OPEN: [CaseState; 4] = [
    CaseState::Submitted,
    CaseState::Accepted,
    CaseState::InReview,
    CaseState::NeedsMaterials,
];

/// An application in a reviewer's queue.
#[derive(Debug, Serialize, Deserialize)]
pub struct QueueEntry {
    pub number: String,
    pub service: LocalText,
    pub department: String,
    pub state: CaseState,
    pub state_label: LocalText,
    pub received_ms: i64,
    /// The day it must be decided by: 受理 or 补正 within five working days of receipt while it is
    /// submitted; the promised day once accepted.
    pub due: String,
    /// Calendar days left to `due` (negative: overdue).
    pub days_left: i64,
    /// Masked (`王**`).
    pub applicant: String,
}

/// One application as a reviewer sees it.
#[derive(Debug, Serialize, Deserialize)]
pub struct Detail {
    #[serde(flatten)]
    pub entry: QueueEntry,
    pub promised_on: String,
    pub fields: Vec<ShownField>,
    pub materials: Vec<ShownMaterial>,
    pub delivery: LocalText,
    /// EMS: where the result goes.
    pub ems: Option<Vec<ShownField>>,
    pub signed: bool,
    pub timeline: Vec<CaseStep>,
    pub audit: Vec<Audited>,
    /// What may be done now (`accept`, `correct`, `not_accept`, `approve`, `deny`).
    pub actions: Vec<String>,
    pub result: Option<Issued>,
    /// A 一件事 bundle: its parts, each decided by its department (none for another application).
    pub parts: Vec<Part>,
    /// A bundle's part: the bundle it belongs to.
    pub parent: Option<String>,
    /// What the applicant supplied at a terminal after 补正, oldest first (beside the first pages).
    pub supplied: Vec<Supplied>,
    /// The day the material pages were deleted, their retention run out (see [`crate::privacy`]).
    pub materials_deleted_on: Option<String>,
}

/// A supplement (补正) as a reviewer reads it: the items given again.
#[derive(Debug, Serialize, Deserialize)]
pub struct Supplied {
    /// Its own receipt's number.
    pub number: String,
    pub received_ms: i64,
    pub fields: Vec<ShownField>,
    pub materials: Vec<ShownMaterial>,
    pub signed: bool,
}

/// A value as a reviewer reads it (a choice's label in both languages; other values as given), with the
/// guide who filled it remotely (帮办代办), if one did.
#[derive(Debug, Serialize, Deserialize)]
pub struct ShownField {
    pub id: String,
    pub label: LocalText,
    pub value: LocalText,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filled_by: Option<String>,
}

fn same(value: &str) -> LocalText {
    LocalText::new(value, value)
}

#[derive(Debug, Serialize, Deserialize)]
pub struct ShownMaterial {
    pub id: String,
    pub title: LocalText,
    /// `elicence`, `capture` or `phone`.
    pub source: String,
    /// An e-licence used instead of a copy: its title and number.
    pub licence: Option<ShownField>,
    /// Pages by SHA-256 (`/console/api/applications/NUMBER/pages/SHA256`).
    pub pages: Vec<String>,
}

/// A reviewer's action in the audit.
#[derive(Debug, Serialize, Deserialize)]
pub struct Audited {
    pub at_ms: i64,
    pub staff: String,
    pub action: String,
    pub detail: serde_json::Value,
}

/// The result of an approved application.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Issued {
    /// `electronic`, `ems` or `pickup`.
    pub kind: String,
    pub waybill: Option<String>,
    pub document_id: Option<String>,
}

/// An item to supply (一次性告知补正): a field or a material of the form, and what is wrong with it.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Item {
    pub item: String,
    pub why: String,
}

/// A reviewer's decision.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(tag = "action", rename_all = "snake_case", deny_unknown_fields)]
pub enum Action {
    /// 受理.
    Accept,
    /// 一次性告知补正: every missing or wrong item at once, with the working days to supply them.
    Correct {
        items: Vec<Item>,
        deadline_days: u32,
    },
    /// 不予受理, with the reason and where to apply instead.
    NotAccept { reason: String },
    /// 办结 准予: the result goes as the citizen chose (an EMS waybill may be given from the label; the hub
    /// assigns one otherwise).
    Approve {
        #[serde(default)]
        waybill: Option<String>,
    },
    /// 办结 不予许可, with the reason.
    Deny { reason: String },
}

impl Action {
    fn name(&self) -> &'static str {
        match self {
            Action::Accept => "accept",
            Action::Correct { .. } => "correct",
            Action::NotAccept { .. } => "not_accept",
            Action::Approve { .. } => "approve",
            Action::Deny { .. } => "deny",
        }
    }

    /// The states it may be taken from.
    fn from(&self) -> &'static [CaseState] {
        FROM.iter()
            .find(|(name, _)| *name == self.name())
            .map_or(&[], |(_, from)| *from)
    }
}

/// Each decision and the states it may be taken from (行政许可法 第三十二条, 第三十八条, 第四十二条).
const FROM: [(&str, &[CaseState]); 5] = [
    ("accept", &[CaseState::Submitted, CaseState::NeedsMaterials]),
    ("correct", &[CaseState::Submitted]),
    ("not_accept", &[CaseState::Submitted]),
    ("approve", &[CaseState::Accepted, CaseState::InReview]),
    ("deny", &[CaseState::Accepted, CaseState::InReview]),
];

/// The decisions open on an application in `state`: none on a bundle (its parts are decided), and 补正
/// only once (一次性告知).
fn open_actions(state: CaseState, corrected: bool, bundle: bool) -> Vec<String> {
    FROM.iter()
        .filter(|(name, from)| {
            !bundle && from.contains(&state) && !(corrected && *name == "correct")
        })
        .map(|(name, _)| name.to_string())
        .collect()
}

/// An application as the hub holds it.
struct Held {
    application: Application,
    department: String,
    received_ms: i64,
}

async fn held(store: &Store, number: &str) -> Result<Option<Held>, HubError> {
    let row =
        sqlx::query("SELECT body, department, received_ms FROM applications WHERE number = $1")
            .bind(number)
            .fetch_optional(store.pool())
            .await?;
    let Some(row) = row else { return Ok(None) };
    let body: String = row.try_get(0)?;
    Ok(Some(Held {
        application: serde_json::from_str(&body)
            .map_err(|e| crate::store::damaged(format!("application {number}: {e}")))?,
        department: row.try_get(1)?,
        received_ms: row.try_get(2)?,
    }))
}

/// The application `number` if `member` may see it: 404 when there is none, 403 when it belongs to a
/// department that is not theirs.
async fn for_member(store: &Store, member: &Member, number: &str) -> Result<Held, HubError> {
    let held = held(store, number)
        .await?
        .ok_or_else(|| HubError::NotFound(format!("no application {number}")))?;
    if !member.reviews(&held.department) {
        tracing::warn!(
            staff = member.username,
            number,
            "a reviewer asked for another department's application"
        );
        return Err(HubError::Forbidden(format!(
            "application {number} belongs to {}, not to your departments",
            held.department
        )));
    }
    Ok(held)
}

/// The day an application in `state`, received at `received_ms`, must be decided by.
fn due(state: CaseState, received_ms: i64, promised_on: &str) -> String {
    match state {
        CaseState::Submitted => {
            working_days_after(Date::china(received_ms), DECIDE_DAYS).to_string()
        }
        _ => promised_on.to_string(),
    }
}

fn days_left(due: &str, now: i64) -> i64 {
    Date::parse(due)
        .map(|day| Date::china(now).days_until(day))
        .unwrap_or(0)
}

fn parse_state(name: &str) -> Result<CaseState, HubError> {
    crate::store::from_wire_name(name, "a case's state")
}

/// The reviewer's queue: open applications of their departments, the most urgent first (at most 500).
pub async fn queue(store: &Store, member: &Member) -> Result<Vec<QueueEntry>, HubError> {
    if !member.reviews_any() {
        return Err(HubError::Forbidden(
            "only reviewers and admins see applications".into(),
        ));
    }
    let states: Vec<String> = OPEN.iter().map(|s| wire_name(*s)).collect();
    let mut sql = String::from(
        "SELECT a.number, a.department, a.received_ms, c.state, c.service_zh, c.service_en, \
         c.promised_on, c.applicant, (SELECT MAX(s.received_ms) FROM supplements s \
         WHERE s.case_no = a.number OR s.case_no = c.parent) \
         FROM applications a JOIN cases c ON c.case_no = a.number \
         WHERE c.state IN ($1, $2, $3, $4) \
         AND NOT EXISTS (SELECT 1 FROM cases k WHERE k.parent = a.number)",
    );
    let departments = if member.role == crate::staff::Role::Admin {
        vec![]
    } else {
        member.departments.clone()
    };
    if !departments.is_empty() {
        let marks: Vec<String> = (0..departments.len())
            .map(|i| format!("${}", i + 5))
            .collect();
        sql.push_str(&format!(" AND a.department IN ({})", marks.join(", ")));
    }
    sql.push_str(" ORDER BY a.received_ms LIMIT 500");
    let mut query = sqlx::query(&sql);
    for state in &states {
        query = query.bind(state);
    }
    for department in &departments {
        query = query.bind(department);
    }
    let rows = query.fetch_all(store.pool()).await?;
    let now = now_ms();
    let mut entries = Vec::with_capacity(rows.len());
    for row in rows {
        let state = parse_state(&row.try_get::<String, _>(3)?)?;
        let received_ms: i64 = row.try_get(2)?;
        let supplied: Option<i64> = row.try_get(8)?;
        let due = due(
            state,
            supplied.unwrap_or(received_ms),
            &row.try_get::<String, _>(6)?,
        );
        entries.push(QueueEntry {
            number: row.try_get(0)?,
            department: row.try_get(1)?,
            received_ms,
            state,
            state_label: state.label(),
            service: LocalText::new(row.try_get::<String, _>(4)?, row.try_get::<String, _>(5)?),
            days_left: days_left(&due, now),
            due,
            applicant: row.try_get(7)?,
        });
    }
    entries.sort_by_key(|e| (e.days_left, e.received_ms));
    Ok(entries)
}

/// One application for a reviewer of its department.
pub async fn detail(store: &Store, member: &Member, number: &str) -> Result<Detail, HubError> {
    let held = for_member(store, member, number).await?;
    let case = crate::cases::by_number(store, number)
        .await?
        .ok_or_else(|| HubError::NotFound(format!("no case {number}")))?;
    let catalogue = crate::catalogue::published(store).await?;
    let service = catalogue.service(&held.application.service_id);
    let form = service.and_then(|s| s.application.as_ref());
    let application = &held.application;
    let fields = shown_fields(form, application);
    let materials = shown_materials(form, &application.materials);
    let (delivery, ems) = match &application.delivery {
        DeliveryChoice::Pickup => (kiosk_proto::application::Delivery::Pickup.label(), None),
        DeliveryChoice::Electronic => {
            (kiosk_proto::application::Delivery::Electronic.label(), None)
        }
        DeliveryChoice::Ems {
            recipient,
            phone,
            address,
            postcode,
        } => {
            let shown = |id: &str, zh: &str, en: &str, value: &str| ShownField {
                id: id.into(),
                label: LocalText::new(zh, en),
                value: same(value),
                filled_by: None,
            };
            (
                kiosk_proto::application::Delivery::Ems.label(),
                Some(vec![
                    shown("recipient", "收件人", "Recipient", recipient),
                    shown("phone", "电话", "Phone", phone),
                    shown("address", "地址", "Address", address),
                    shown("postcode", "邮编", "Postcode", postcode),
                ]),
            )
        }
    };
    let state = case.summary.state;
    let supplied = crate::supplements::of(store, number).await?;
    // After 补正 the five days to accept run from the day the items arrived.
    let arrived = supplied.last().map_or(held.received_ms, |(at, _)| *at);
    let due = due(state, arrived, &case.summary.promised_on);
    let audit = audit(store, number).await?;
    let corrected = audit.iter().any(|a| a.action == "correct");
    let parts = parts(store, number).await?;
    let actions = open_actions(state, corrected, !parts.is_empty());
    let materials_deleted_on = materials_deleted(store, number)
        .await?
        .map(|at| kiosk_proto::application::Date::china(at).to_string());
    Ok(Detail {
        entry: QueueEntry {
            number: number.to_string(),
            service: case.summary.service.clone(),
            department: held.department.clone(),
            state,
            state_label: state.label(),
            received_ms: held.received_ms,
            days_left: days_left(&due, now_ms()),
            due,
            applicant: case.applicant.clone(),
        },
        promised_on: case.summary.promised_on.clone(),
        fields,
        materials,
        delivery,
        ems,
        signed: application.signature.is_some(),
        timeline: case.timeline,
        audit,
        actions,
        result: issued(store, number).await?,
        parts,
        parent: parent_of(store, number).await?,
        supplied: supplied
            .into_iter()
            .map(|(received_ms, supplement)| Supplied {
                number: supplement.number.clone(),
                received_ms,
                fields: shown_fields(form, &supplement),
                materials: shown_materials(form, &supplement.materials),
                signed: supplement.signature.is_some(),
            })
            .collect(),
        materials_deleted_on,
    })
}

/// When case `number`'s material pages were deleted, if they were.
async fn materials_deleted(store: &Store, number: &str) -> Result<Option<i64>, HubError> {
    let row = sqlx::query("SELECT materials_deleted_ms FROM cases WHERE case_no = $1")
        .bind(number)
        .fetch_optional(store.pool())
        .await?;
    Ok(match row {
        Some(row) => row.try_get::<Option<i64>, _>(0)?,
        None => None,
    })
}

/// An application's values as a reviewer reads them: each with its label, a choice by its label, and the
/// guide who filled it.
fn shown_fields(
    form: Option<&kiosk_proto::application::ApplicationForm>,
    application: &Application,
) -> Vec<ShownField> {
    application
        .values
        .iter()
        .map(|v| {
            let spec = form.and_then(|f| f.field(&v.id));
            ShownField {
                id: v.id.clone(),
                label: spec
                    .map(|s| s.label.clone())
                    .unwrap_or_else(|| LocalText::new(&v.id, &v.id)),
                value: match spec {
                    Some(s) => LocalText::new(
                        s.shown(&v.value, kiosk_proto::Lang::Zh),
                        s.shown(&v.value, kiosk_proto::Lang::En),
                    ),
                    None => same(&v.value),
                },
                filled_by: application
                    .assisted
                    .iter()
                    .find(|a| a.field == v.id)
                    .map(|a| a.staff.clone()),
            }
        })
        .collect()
}

/// Materials as a reviewer reads them: an e-licence by its number, pages by their hashes.
fn shown_materials(
    form: Option<&kiosk_proto::application::ApplicationForm>,
    materials: &[kiosk_proto::application::MaterialEntry],
) -> Vec<ShownMaterial> {
    materials
        .iter()
        .map(|m| {
            let spec = form.and_then(|f| f.materials.iter().find(|s| s.id == m.id));
            let (source, licence) = match &m.given {
                MaterialGiven::Elicence { number, title } => (
                    "elicence",
                    Some(ShownField {
                        id: m.id.clone(),
                        label: title.clone(),
                        value: same(number),
                        filled_by: None,
                    }),
                ),
                MaterialGiven::Capture { .. } => ("capture", None),
                MaterialGiven::Phone { .. } => ("phone", None),
            };
            ShownMaterial {
                id: m.id.clone(),
                title: spec
                    .map(|s| s.title.clone())
                    .unwrap_or_else(|| LocalText::new(&m.id, &m.id)),
                source: source.into(),
                licence,
                pages: m.given.pages().iter().map(|p| p.sha256.clone()).collect(),
            }
        })
        .collect()
}

async fn audit(store: &Store, number: &str) -> Result<Vec<Audited>, HubError> {
    let rows = sqlx::query(
        "SELECT at_ms, staff_user, action, detail FROM review_actions WHERE case_no = $1 ORDER BY at_ms",
    )
    .bind(number)
    .fetch_all(store.pool())
    .await?;
    rows.iter()
        .map(|row| {
            let detail: String = row.try_get(3)?;
            Ok(Audited {
                at_ms: row.try_get(0)?,
                staff: row.try_get(1)?,
                action: row.try_get(2)?,
                detail: serde_json::from_str(&detail).unwrap_or(serde_json::Value::Null),
            })
        })
        .collect()
}

async fn issued(store: &Store, number: &str) -> Result<Option<Issued>, HubError> {
    let row = sqlx::query("SELECT kind, waybill, document_id FROM results WHERE case_no = $1")
        .bind(number)
        .fetch_optional(store.pool())
        .await?;
    Ok(match row {
        Some(row) => Some(Issued {
            kind: row.try_get(0)?,
            waybill: row.try_get(1)?,
            document_id: row.try_get(2)?,
        }),
        None => None,
    })
}

/// A page of the application `number`, for a reviewer of its department.
pub async fn page(
    store: &Store,
    member: &Member,
    number: &str,
    sha256: &str,
) -> Result<Vec<u8>, HubError> {
    let held = for_member(store, member, number).await?;
    let named = |a: &Application| a.pages().iter().any(|p| p.sha256 == sha256);
    // The supplements are read only for a page the application itself does not name.
    let held_here = named(&held.application)
        || crate::supplements::of(store, number)
            .await?
            .iter()
            .any(|(_, s)| named(s));
    if !held_here {
        return Err(HubError::NotFound(format!(
            "application {number} has no page {sha256}"
        )));
    }
    if let Some(bytes) = crate::applications::page(store, sha256).await? {
        return Ok(bytes);
    }
    Err(HubError::NotFound(
        match materials_deleted(store, number).await? {
            Some(at) => format!(
                "the materials of {number} were deleted on {} when their retention ran out",
                kiosk_proto::application::Date::china(at)
            ),
            None => format!("page {sha256} is not here yet"),
        },
    ))
}

fn text_between(text: &str, what: &str, min: usize, max: usize) -> Result<String, HubError> {
    let text = text.trim();
    let n = text.chars().count();
    if n < min || n > max {
        return Err(HubError::BadRequest(format!(
            "{what} is {min} to {max} characters"
        )));
    }
    Ok(text.to_string())
}

/// Checks a waybill a reviewer typed: an S10 number's check digit must hold (a typo is caught); a number
/// of another shape is kept as given.
pub fn waybill(given: &str) -> Result<String, HubError> {
    let number: String = given
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_uppercase();
    if number.is_empty() || number.len() > 30 || !number.chars().all(|c| c.is_ascii_alphanumeric())
    {
        return Err(HubError::BadRequest(
            "the waybill is 1 to 30 letters and digits".into(),
        ));
    }
    let s10_shape = number.len() == 13
        && number[..2].chars().all(|c| c.is_ascii_uppercase())
        && number[2..11].chars().all(|c| c.is_ascii_digit())
        && number[11..].chars().all(|c| c.is_ascii_uppercase());
    if s10_shape && !kiosk_proto::fields::s10_is_valid(&number) {
        return Err(HubError::BadRequest(format!(
            "waybill {number}: its check digit is wrong (UPU S10); check the number on the EMS label"
        )));
    }
    Ok(number)
}

/// Takes `action` on application `number` as `member`: the case moves on, its timeline says so in words,
/// the action is audited and an approval's result is issued, all in one transaction.
pub async fn act(
    store: &Store,
    member: &Member,
    number: &str,
    action: &Action,
) -> Result<Detail, HubError> {
    // A waybill the hub assigns is the next of its range: two approvals at once may both take it, and the
    // second is refused by the database. Approving again takes the next one.
    let assigned = matches!(action, Action::Approve { waybill: None });
    let mut tries = 0;
    loop {
        tries += 1;
        match act_once(store, member, number, action).await {
            Err(HubError::Conflict(_)) if assigned && tries < 3 => continue,
            answer => return answer,
        }
    }
}

async fn act_once(
    store: &Store,
    member: &Member,
    number: &str,
    action: &Action,
) -> Result<Detail, HubError> {
    let held = for_member(store, member, number).await?;
    let catalogue = crate::catalogue::published(store).await?;
    let service = catalogue.service(&held.application.service_id);
    let case = crate::cases::by_number(store, number)
        .await?
        .ok_or_else(|| HubError::NotFound(format!("no case {number}")))?;
    let state = case.summary.state;
    let parts = parts(store, number).await?;
    if !parts.is_empty() {
        let numbers: Vec<&str> = parts.iter().map(|p| p.number.as_str()).collect();
        return Err(HubError::Conflict(format!(
            "{number} is a 一件事 bundle, decided part by part by each department: {}",
            numbers.join(", ")
        )));
    }
    let parent = parent_of(store, number).await?;
    if !action.from().contains(&state) {
        return Err(HubError::Conflict(format!(
            "application {number} is {} ({}): it cannot be {} now",
            state.label().en.to_lowercase(),
            state.label().zh,
            action.name()
        )));
    }
    let now = now_ms();
    let today = Date::china(now);
    let label_of = |item: &str| -> Option<LocalText> {
        let form = service.and_then(|s| s.application.as_ref())?;
        form.field(item).map(|f| f.label.clone()).or_else(|| {
            form.materials
                .iter()
                .find(|m| m.id == item)
                .map(|m| m.title.clone())
        })
    };
    let mut audited = serde_json::json!({});
    let mut result: Option<(Issued, Option<Licence>)> = None;
    let note = match action {
        Action::Accept => LocalText::new(
            format!("已受理，承诺于 {} 前办结。", case.summary.promised_on),
            format!(
                "Accepted; it will be decided by {}.",
                case.summary.promised_on
            ),
        ),
        Action::Correct {
            items,
            deadline_days,
        } => {
            if audit(store, number)
                .await?
                .iter()
                .any(|a| a.action == "correct")
            {
                return Err(HubError::Conflict(
                    "补正 was already told once (一次性告知): accept or refuse the application now"
                        .into(),
                ));
            }
            if items.is_empty() || items.len() > 20 {
                return Err(HubError::BadRequest(
                    "补正 names 1 to 20 items, every one at once".into(),
                ));
            }
            if !(1..=60).contains(deadline_days) {
                return Err(HubError::BadRequest(
                    "the deadline is 1 to 60 working days".into(),
                ));
            }
            let deadline = working_days_after(today, *deadline_days).to_string();
            let (mut zh, mut en) = (Vec::new(), Vec::new());
            let mut told = Vec::new();
            for (n, item) in items.iter().enumerate() {
                let label = label_of(&item.item).ok_or_else(|| {
                    HubError::BadRequest(format!(
                        "{} is neither a field nor a material of this form",
                        item.item
                    ))
                })?;
                let why = text_between(&item.why, "what is wrong with an item", 2, 200)?;
                zh.push(format!("{}. {}：{}", n + 1, label.zh, why));
                en.push(format!("{}. {}: {}", n + 1, label.en, why));
                told.push(Item {
                    item: item.item.clone(),
                    why,
                });
            }
            audited = serde_json::json!({ "items": told, "deadline": deadline });
            LocalText::new(
                format!(
                    "需补正（一次性告知），请于 {deadline} 前补交：{}",
                    zh.join("；")
                ),
                format!(
                    "More is needed (all at once): supply by {deadline}: {}",
                    en.join("; ")
                ),
            )
        }
        Action::NotAccept { reason } => {
            let reason = text_between(reason, "the reason", 2, 500)?;
            audited = serde_json::json!({ "reason": reason });
            LocalText::new(
                format!("不予受理：{reason}"),
                format!("Not accepted: {reason}"),
            )
        }
        Action::Deny { reason } => {
            let reason = text_between(reason, "the reason", 2, 500)?;
            audited = serde_json::json!({ "reason": reason });
            LocalText::new(
                format!("不予许可：{reason}。如不服，可依法申请行政复议或者提起行政诉讼。"),
                format!(
                    "Refused: {reason}. You may apply for administrative reconsideration or bring an administrative lawsuit."
                ),
            )
        }
        Action::Approve { waybill: given } => {
            if parent.is_some() {
                // A bundle's part: the result goes with the whole bundle, once every part is decided.
                LocalText::new("准予。", "Approved.")
            } else {
                let (issued, licence, said) =
                    issue(store, &held, &case, today, given.as_deref()).await?;
                if let Some(waybill) = &issued.waybill {
                    audited = serde_json::json!({ "waybill": waybill });
                }
                result = Some((issued, licence));
                said
            }
        }
    };
    let next = match action {
        Action::Accept => CaseState::Accepted,
        Action::Correct { .. } => CaseState::NeedsMaterials,
        Action::NotAccept { .. } => CaseState::NotAccepted,
        Action::Approve { .. } => CaseState::Approved,
        Action::Deny { .. } => CaseState::Refused,
    };
    let step = CaseStep {
        state: next,
        at_ms: now,
        note: Some(note),
    };
    let mut tx = store.pool().begin().await?;
    if !crate::cases::advance(&mut tx, number, state, &step).await? {
        tx.rollback().await?;
        return Err(HubError::Conflict(format!(
            "application {number} was decided by someone else meanwhile; look at it again"
        )));
    }
    crate::cases::record_action(
        &mut tx,
        number,
        now,
        &member.username,
        action.name(),
        &audited,
    )
    .await?;
    if let Some(result) = &result {
        record(store, &mut tx, &held, number, result, now).await?;
    }
    if let Some(parent) = &parent {
        follow(store, &mut tx, parent, &case.summary.service, &step, today).await?;
    }
    tx.commit().await?;
    tracing::info!(
        staff = member.username,
        number,
        action = action.name(),
        "application decided"
    );
    detail(store, member, number).await
}

/// The result of an approved application, as the citizen chose at submission: an e-licence signed by the
/// hub (printable at any terminal), an EMS waybill (typed from the label and checked, or assigned), or
/// collection at the window; with what the citizen's timeline says of it.
async fn issue(
    store: &Store,
    held: &Held,
    case: &kiosk_proto::service::CaseDetail,
    today: Date,
    given: Option<&str>,
) -> Result<(Issued, Option<Licence>, LocalText), HubError> {
    let number = &case.summary.case_no;
    Ok(match &held.application.delivery {
        DeliveryChoice::Electronic => {
            let licence = result_licence(store, held, &case.summary.service, number, today);
            (
                Issued {
                    kind: "electronic".into(),
                    waybill: None,
                    document_id: Some(licence.id.clone()),
                },
                Some(licence),
                LocalText::new(
                    "准予许可。电子证照已签发，可在任一 24 小时自助终端刷身份证打印。",
                    "Approved. The electronic licence is issued: print it at any 24-hour terminal with your ID card.",
                ),
            )
        }
        DeliveryChoice::Ems { .. } => {
            let waybill = match given {
                Some(given) if !given.trim().is_empty() => waybill(given)?,
                _ => next_waybill(store).await?,
            };
            (
                Issued {
                    kind: "ems".into(),
                    waybill: Some(waybill.clone()),
                    document_id: None,
                },
                None,
                LocalText::new(
                    format!("准予许可。结果已通过 EMS 免费寄出，运单号 {waybill}。"),
                    format!("Approved. The result was sent free by EMS, waybill {waybill}."),
                ),
            )
        }
        DeliveryChoice::Pickup => (
            Issued {
                kind: "pickup".into(),
                waybill: None,
                document_id: None,
            },
            None,
            LocalText::new(
                format!("准予许可。请带身份证和申报回执到{}窗口领取结果。", case.hall),
                format!(
                    "Approved. Collect the result at a counter of {} with your ID card and the receipt.",
                    case.hall
                ),
            ),
        ),
    })
}

/// Records a result (and its e-licence) on `tx`.
async fn record(
    store: &Store,
    tx: &mut sqlx::AnyConnection,
    held: &Held,
    number: &str,
    (issued, licence): &(Issued, Option<Licence>),
    now: i64,
) -> Result<(), HubError> {
    if let Some(licence) = licence {
        crate::documents::insert_with(
            store,
            tx,
            &held.application.applicant,
            &licence.issuer,
            &licence.document(),
        )
        .await?;
    }
    sqlx::query(
        "INSERT INTO results (case_no, kind, waybill, document_id, at_ms) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(number)
    .bind(&issued.kind)
    .bind(&issued.waybill)
    .bind(&issued.document_id)
    .bind(now)
    .execute(&mut *tx)
    .await
    .map_err(|error| match (&error, &issued.waybill) {
        // Two results with one waybill: a label typed twice, or two approvals assigned one at once.
        (sqlx::Error::Database(e), Some(waybill)) if e.is_unique_violation() => HubError::Conflict(
            format!("waybill {waybill} is already recorded for another result; check the EMS label"),
        ),
        _ => error.into(),
    })?;
    Ok(())
}

/// A part of a 一件事 bundle: its child case.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Part {
    pub number: String,
    pub service: LocalText,
    pub state: CaseState,
    pub state_label: LocalText,
}

/// The parts of bundle `number` (none: it is not a bundle).
async fn parts(store: &Store, number: &str) -> Result<Vec<Part>, HubError> {
    let rows = sqlx::query(
        "SELECT case_no, service_zh, service_en, state FROM cases WHERE parent = $1 ORDER BY case_no",
    )
    .bind(number)
    .fetch_all(store.pool())
    .await?;
    rows.iter()
        .map(|row| {
            let state = parse_state(&row.try_get::<String, _>(3)?)?;
            Ok(Part {
                number: row.try_get(0)?,
                service: LocalText::new(row.try_get::<String, _>(1)?, row.try_get::<String, _>(2)?),
                state,
                state_label: state.label(),
            })
        })
        .collect()
}

async fn parent_of(store: &Store, number: &str) -> Result<Option<String>, HubError> {
    let row = sqlx::query("SELECT parent FROM cases WHERE case_no = $1")
        .bind(number)
        .fetch_optional(store.pool())
        .await?;
    Ok(match row {
        Some(row) => row.try_get(0)?,
        None => None,
    })
}

/// After a part's `step`, the bundle's parent follows: its one timeline says which part moved and how (one
/// notice to the citizen), its state follows the parts', and once it is decided approved the result goes
/// as the citizen chose, once for the whole bundle.
async fn follow(
    store: &Store,
    tx: &mut sqlx::AnyConnection,
    parent: &str,
    part: &LocalText,
    step: &CaseStep,
    today: Date,
) -> Result<(), HubError> {
    let states = crate::cases::part_states(tx, parent).await?;
    let row = sqlx::query("SELECT state FROM cases WHERE case_no = $1")
        .bind(parent)
        .fetch_one(&mut *tx)
        .await?;
    let current = parse_state(&row.try_get::<String, _>(0)?)?;
    let target = CaseState::of_bundle(&states);
    let matter = |text: &str| text.rsplit(" · ").next().unwrap_or(text).to_string();
    let said = step.note.clone().unwrap_or_default();
    let mut note = LocalText::new(
        format!("{}：{}", matter(&part.zh), said.zh),
        format!("{}: {}", matter(&part.en), said.en),
    );
    if target == CaseState::Approved && current != CaseState::Approved {
        let held = held(store, parent)
            .await?
            .ok_or_else(|| HubError::NotFound(format!("no application {parent}")))?;
        let case = crate::cases::by_number(store, parent)
            .await?
            .ok_or_else(|| HubError::NotFound(format!("no case {parent}")))?;
        let (issued, licence, result) = issue(store, &held, &case, today, None).await?;
        record(store, tx, &held, parent, &(issued, licence), step.at_ms).await?;
        note = LocalText::new(
            format!("{} 一件事已全部办结。{}", note.zh, result.zh),
            format!("{} Every part is decided. {}", note.en, result.en),
        );
    }
    let moved = CaseStep {
        state: target,
        at_ms: step.at_ms,
        note: Some(note),
    };
    if !crate::cases::advance(tx, parent, current, &moved).await? {
        return Err(HubError::Conflict(format!(
            "bundle {parent} moved meanwhile; look at it again"
        )));
    }
    Ok(())
}

/// The electronic licence of an approved application, signed by the hub.
fn result_licence(
    store: &Store,
    held: &Held,
    service: &LocalText,
    number: &str,
    today: Date,
) -> Licence {
    let application = &held.application;
    let mut licence = Licence {
        id: format!("RES-{number}"),
        title: format!("{}准予许可决定书（电子证照）", service.zh),
        fields: vec![
            ("申请人".into(), application.applicant_masked.clone()),
            ("证件号码".into(), application.applicant.masked()),
            ("申报编号".into(), number.to_string()),
            ("办理事项".into(), service.zh.clone()),
            ("决定".into(), "准予许可".into()),
            ("决定日期".into(), today.to_string()),
        ],
        issuer: held.department.clone(),
        issued_on: today.to_string(),
        valid_until: today.add_years(5).to_string(),
        seal_png: demo_seal_png(160),
        verification: String::new(),
    };
    licence.verification = licence.voucher().sign(store.signing_key());
    licence
}

/// The next waybill the hub assigns from its own S10 range (`EA` + serial + check + `CN`), when the
/// reviewer gave none.
async fn next_waybill(store: &Store) -> Result<String, HubError> {
    let row = sqlx::query("SELECT COUNT(*) FROM results WHERE kind = 'ems'")
        .fetch_one(store.pool())
        .await?;
    let count: i64 = row.try_get(0)?;
    kiosk_proto::fields::s10_number("EA", 21_500_000 + count as u32, "CN")
        .ok_or_else(|| crate::store::damaged("the waybill range is used up".into()))
}

/// Who is asking: a logged-in staff member (401 otherwise).
async fn staff_member(hub: &Hub, headers: &HeaderMap) -> Result<Member, Failure> {
    match crate::assist::member(hub, headers).await? {
        Some(member) => Ok(member),
        None => Err(Failure::new(StatusCode::UNAUTHORIZED, "log in first")),
    }
}

/// `GET /console/api/queue`.
#[utoipa::path(get, path = "/console/api/queue", tag = "review",
    security(("login" = [])),
    responses(
        (status = 200, description = "the applications the member's departments decide", body = Object,
            links(
                ("detail" = (operation_id = "detail_route", parameters(("number" = "$response.body#/0/number")))),
                ("act" = (operation_id = "act_route", parameters(("number" = "$response.body#/0/number")))),
            )),
        (status = "4XX", description = "refused: the message says why (401 no login, 403 another role or site, or no anti-forgery token)", body = kiosk_proto::fleet::ApiError),
        (status = "5XX", description = "database failure (the hub's log has the cause)", body = kiosk_proto::fleet::ApiError),
    ))]
pub async fn queue_route(
    State(hub): State<Hub>,
    headers: HeaderMap,
) -> Result<Json<Vec<QueueEntry>>, Failure> {
    let member = staff_member(&hub, &headers).await?;
    Ok(Json(queue(&hub.store, &member).await?))
}

/// `GET /console/api/applications/{number}`.
#[utoipa::path(get, path = "/console/api/applications/{number}", tag = "review",
    security(("login" = [])),
    params(("number" = String, Path, description = "the case number")),
    responses(
        (status = 200, description = "the application, its pages and its history", body = Object),
        (status = "4XX", description = "refused: the message says why (401 no login, 403 another role or site, or no anti-forgery token)", body = kiosk_proto::fleet::ApiError),
        (status = "5XX", description = "database failure (the hub's log has the cause)", body = kiosk_proto::fleet::ApiError),
    ))]
pub async fn detail_route(
    State(hub): State<Hub>,
    headers: HeaderMap,
    Path(number): Path<String>,
) -> Result<Json<Detail>, Failure> {
    let member = staff_member(&hub, &headers).await?;
    Ok(Json(detail(&hub.store, &member, &number).await?))
}

/// `GET /console/api/applications/{number}/pages/{sha256}`: the page's image.
#[utoipa::path(get, path = "/console/api/applications/{number}/pages/{sha256}", tag = "review",
    security(("login" = [])),
    params(("number" = String, Path, description = "the case number"), ("sha256" = String, Path, description = "the page")),
    responses(
        (status = 200, description = "the page's image", content_type = "image/jpeg"),
        (status = "4XX", description = "refused: the message says why (401 no login, 403 another role or site, or no anti-forgery token)", body = kiosk_proto::fleet::ApiError),
        (status = "5XX", description = "database failure (the hub's log has the cause)", body = kiosk_proto::fleet::ApiError),
    ))]
pub async fn page_route(
    State(hub): State<Hub>,
    headers: HeaderMap,
    Path((number, sha256)): Path<(String, String)>,
) -> Result<Response, Failure> {
    let member = staff_member(&hub, &headers).await?;
    let bytes = page(&hub.store, &member, &number, &sha256).await?;
    let kind = if bytes.starts_with(&[0x89, b'P', b'N', b'G']) {
        "image/png"
    } else {
        "image/jpeg"
    };
    Ok((
        [
            (header::CONTENT_TYPE, kind),
            (header::CACHE_CONTROL, "private, max-age=3600"),
        ],
        bytes,
    )
        .into_response())
}

/// `POST /console/api/applications/{number}/actions`: a decision (from the console's own page only).
#[utoipa::path(post, path = "/console/api/applications/{number}/actions", tag = "review",
    security(("login" = [], "csrf" = [])),
    params(("number" = String, Path, description = "the case number")),
    request_body = Action,
    responses(
        (status = 200, description = "decided: the application now", body = Object),
        (status = "4XX", description = "refused: the message says why (401 no login, 403 another role or site, or no anti-forgery token)", body = kiosk_proto::fleet::ApiError),
        (status = "5XX", description = "database failure (the hub's log has the cause)", body = kiosk_proto::fleet::ApiError),
    ))]
pub async fn act_route(
    State(hub): State<Hub>,
    headers: HeaderMap,
    Path(number): Path<String>,
    crate::http::Body(action): crate::http::Body<Action>,
) -> Result<Json<Detail>, Failure> {
    if !crate::guard::same_origin(&headers) {
        return Err(Failure::new(
            StatusCode::FORBIDDEN,
            "a decision is taken from the console's own page",
        ));
    }
    let member = staff_member(&hub, &headers).await?;
    Ok(Json(act(&hub.store, &member, &number, &action).await?))
}

/// An account as an admin adds or changes it in the console (a new account needs a password; an existing
/// one keeps its own unless one is given).
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AccountForm {
    pub username: String,
    pub name: String,
    pub number: String,
    #[serde(default)]
    pub password: Option<String>,
    pub role: crate::staff::Role,
    #[serde(default)]
    pub departments: Vec<String>,
}

/// An admin's change, from the console's own page only.
async fn admin_change(hub: &Hub, headers: &HeaderMap) -> Result<Member, Failure> {
    crate::guard::own_page(headers)?;
    admin(hub, headers).await
}

async fn admin(hub: &Hub, headers: &HeaderMap) -> Result<Member, Failure> {
    let member = staff_member(hub, headers).await?;
    if member.role != crate::staff::Role::Admin {
        return Err(Failure::new(
            StatusCode::FORBIDDEN,
            "only admins manage staff accounts",
        ));
    }
    Ok(member)
}

/// `GET /console/api/staff`: every account (admins only).
#[utoipa::path(get, path = "/console/api/staff", tag = "staff",
    security(("login" = [])),
    responses(
        (status = 200, description = "every account (admins only)", body = Object),
        (status = "4XX", description = "refused: the message says why (401 no login, 403 another role or site, or no anti-forgery token)", body = kiosk_proto::fleet::ApiError),
        (status = "5XX", description = "database failure (the hub's log has the cause)", body = kiosk_proto::fleet::ApiError),
    ))]
pub async fn staff_route(
    State(hub): State<Hub>,
    headers: HeaderMap,
) -> Result<Json<Vec<crate::staff::Account>>, Failure> {
    admin(&hub, &headers).await?;
    Ok(Json(crate::staff::accounts(&hub.store).await?))
}

/// `POST /console/api/staff`: adds or changes an account (admins only, from the console's own page).
#[utoipa::path(post, path = "/console/api/staff", tag = "staff",
    security(("login" = [], "csrf" = [])),
    request_body = AccountForm,
    responses(
        (status = 200, description = "saved: every account", body = Object),
        (status = "4XX", description = "refused: the message says why (401 no login, 403 another role or site, or no anti-forgery token)", body = kiosk_proto::fleet::ApiError),
        (status = "5XX", description = "database failure (the hub's log has the cause)", body = kiosk_proto::fleet::ApiError),
    ))]
pub async fn staff_save_route(
    State(hub): State<Hub>,
    headers: HeaderMap,
    crate::http::Body(form): crate::http::Body<AccountForm>,
) -> Result<Json<Vec<crate::staff::Account>>, Failure> {
    let member = admin_change(&hub, &headers).await?;
    let store = &hub.store;
    crate::staff::save(
        store,
        &member.username,
        &form.username,
        (&form.name, &form.number),
        form.password.as_deref().filter(|p| !p.is_empty()),
        form.role,
        &form.departments,
    )
    .await?;
    tracing::info!(
        admin = member.username,
        staff = form.username,
        role = form.role.name(),
        "staff account saved"
    );
    Ok(Json(crate::staff::accounts(store).await?))
}

/// `POST /console/api/staff/{username}/unlock`: ends a lockout (admins only).
#[utoipa::path(post, path = "/console/api/staff/{username}/unlock", tag = "staff",
    security(("login" = [], "csrf" = [])),
    params(("username" = String, Path, description = "the account")),
    responses(
        (status = 200, description = "unlocked: every account", body = Object),
        (status = "4XX", description = "refused: the message says why (401 no login, 403 another role or site, or no anti-forgery token)", body = kiosk_proto::fleet::ApiError),
        (status = "5XX", description = "database failure (the hub's log has the cause)", body = kiosk_proto::fleet::ApiError),
    ))]
pub async fn staff_unlock_route(
    State(hub): State<Hub>,
    headers: HeaderMap,
    Path(username): Path<String>,
) -> Result<Json<Vec<crate::staff::Account>>, Failure> {
    let member = admin_change(&hub, &headers).await?;
    crate::staff::unlock(&hub.store, &member.username, &username).await?;
    tracing::info!(
        admin = member.username,
        staff = username,
        "staff account unlocked"
    );
    Ok(Json(crate::staff::accounts(&hub.store).await?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_typed_waybill_is_kept_tidy_and_an_s10_typo_is_refused() {
        assert_eq!(waybill(" ea 1234 5678 5cn ").unwrap(), "EA123456785CN");
        assert!(waybill("EA123456784CN").is_err(), "wrong check digit");
        // Domestic 13-digit numbers have no public check rule: kept as given.
        assert_eq!(waybill("1012345678901").unwrap(), "1012345678901");
        assert!(waybill("").is_err());
        assert!(waybill("EA-123").is_err());
        assert!(waybill(&"9".repeat(31)).is_err());
    }

    #[test]
    fn every_waybill_the_hub_could_assign_is_kept_and_one_changed_digit_mostly_is_not() {
        let (mut caught, mut blind) = (0, 0);
        for serial in (21_500_000u32..21_510_000).step_by(7) {
            let number = kiosk_proto::fields::s10_number("EA", serial, "CN").unwrap();
            assert_eq!(waybill(&number).unwrap(), number);
            let mut bytes = number.clone().into_bytes();
            let at = 2 + (serial as usize % 8);
            bytes[at] = b'0' + (bytes[at] - b'0' + 1) % 10;
            match waybill(std::str::from_utf8(&bytes).unwrap()) {
                Err(_) => caught += 1,
                Ok(_) => blind += 1,
            }
        }
        // The S10 scheme's one blind spot (sums of remainder 0 and 6 both give 5) lets a few through.
        assert!(caught > 10 * blind, "caught {caught}, missed {blind}");
    }
}
