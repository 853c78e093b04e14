//! 补正 at the terminal: what the review desk asked of an application (一次性告知补正), as the holder's
//! progress shows it, and the supplement the holder gives at a terminal for exactly those items. A
//! supplement travels as an application that names the one it completes (`completes`); it is taken like
//! one: checked against the form narrowed to the items asked, idempotent on the terminal's id, only once
//! every page is here. It is kept beside the application as first taken (the reviewer sees the new pages
//! beside the old), and the case waits to be accepted again. A 一件事 bundle's parts waiting for 补正 are
//! asked as one notice and move on together.

use kiosk_proto::application::{
    Application, ApplicationForm, ApplicationReceipt, Asked, AskedItem, Date,
};
use kiosk_proto::service::{CaseDetail, CaseState, CaseStep};
use kiosk_proto::LocalText;
use serde::Deserialize;
use sqlx::Row;

use crate::store::{from_wire_name, now_ms, HubError, Store};

/// A 补正 as the reviewer recorded it.
#[derive(Debug, Deserialize)]
struct Told {
    items: Vec<ToldItem>,
    deadline: String,
}

#[derive(Debug, Deserialize)]
struct ToldItem {
    item: String,
    why: String,
}

/// The cases a supplement to `case_no` answers: the case itself while it waits for 补正, or a bundle's
/// parts that wait for it; each with what it was told.
async fn waiting(store: &Store, case_no: &str) -> Result<Vec<(String, Told)>, HubError> {
    let rows = sqlx::query(
        "SELECT case_no, state FROM cases WHERE case_no = $1 OR parent = $1 ORDER BY case_no",
    )
    .bind(case_no)
    .fetch_all(store.pool())
    .await?;
    let bundle = rows.len() > 1;
    let mut waiting = Vec::new();
    for row in rows {
        let number: String = row.try_get(0)?;
        let state: CaseState = from_wire_name(&row.try_get::<String, _>(1)?, "a case's state")?;
        if state != CaseState::NeedsMaterials || (bundle && number == case_no) {
            continue;
        }
        let told = sqlx::query(
            "SELECT detail FROM review_actions WHERE case_no = $1 AND action = 'correct' \
             ORDER BY at_ms DESC",
        )
        .bind(&number)
        .fetch_optional(store.pool())
        .await?;
        let Some(told) = told else { continue };
        let detail: String = told.try_get(0)?;
        let told: Told = serde_json::from_str(&detail)
            .map_err(|e| crate::store::damaged(format!("the 补正 of {number}: {e}")))?;
        waiting.push((number, told));
    }
    Ok(waiting)
}

/// What was asked of `case_no` (of service `service_id`) while it waits for 补正 (see [`asked_of`]).
pub async fn asked(
    store: &Store,
    case_no: &str,
    service_id: &str,
) -> Result<Option<Asked>, HubError> {
    let waiting = waiting(store, case_no).await?;
    if waiting.is_empty() {
        return Ok(None);
    }
    let catalogue = crate::catalogue::published(store).await?;
    let form = catalogue
        .service(service_id)
        .and_then(|s| s.application.as_ref());
    Ok(asked_of(&waiting, form))
}

/// What the cases `waiting` were told, as one notice: every item once, in the order told, with its label
/// from `form`; the earliest deadline of a bundle's parts. None when nothing waits.
fn asked_of(waiting: &[(String, Told)], form: Option<&ApplicationForm>) -> Option<Asked> {
    let deadline = waiting
        .iter()
        .map(|(_, told)| &told.deadline)
        .min()?
        .clone();
    let mut items: Vec<AskedItem> = Vec::new();
    for item in waiting.iter().flat_map(|(_, told)| &told.items) {
        match items.iter_mut().find(|i| i.item == item.item) {
            // Two departments asked for one item: both reasons, once.
            Some(known) if !known.why.contains(&item.why) => {
                known.why = format!("{}；{}", known.why, item.why)
            }
            Some(_) => {}
            None => items.push(AskedItem {
                label: form
                    .and_then(|f| f.item_label(&item.item))
                    .cloned()
                    .unwrap_or_else(|| LocalText::new(&item.item, &item.item)),
                item: item.item.clone(),
                why: item.why.clone(),
            }),
        }
    }
    Some(Asked { items, deadline })
}

/// The holder's cases with what each waiting for 补正 asks.
pub async fn with_asked(
    store: &Store,
    mut cases: Vec<CaseDetail>,
) -> Result<Vec<CaseDetail>, HubError> {
    for case in &mut cases {
        if case.summary.state == CaseState::NeedsMaterials {
            case.asked = asked(store, &case.summary.case_no, &case.summary.service_id).await?;
        }
    }
    Ok(cases)
}

/// The receipt of a supplement already taken.
async fn taken(store: &Store, id: &str) -> Result<Option<ApplicationReceipt>, HubError> {
    crate::applications::receipt_of(
        store,
        "SELECT s.number, s.received_ms, c.state, c.promised_on FROM supplements s \
         JOIN cases c ON c.case_no = s.case_no WHERE s.id = $1",
        id,
    )
    .await
}

/// Takes a supplement (`application.completes` names the application) from `device_id`: the case waits to
/// be accepted again. Refused for good (400) when the case is not the applicant's, does not wait for 补正,
/// or the supplement does not give exactly what was asked.
pub async fn intake(
    store: &Store,
    device_id: &str,
    application: &Application,
) -> Result<ApplicationReceipt, HubError> {
    let Some(case_no) = application.completes.as_deref() else {
        return Err(HubError::BadRequest(
            "a supplement names the application it completes".into(),
        ));
    };
    if let Some(receipt) = taken(store, &application.id).await? {
        return Ok(receipt);
    }
    let row = sqlx::query(
        "SELECT holder, service_id, state, promised_on FROM cases WHERE case_no = $1 AND parent IS NULL",
    )
    .bind(case_no)
    .fetch_optional(store.pool())
    .await?;
    // The same answer whether there is no such application or it is someone else's.
    let not_yours = || HubError::BadRequest(format!("no application {case_no} of this applicant"));
    let Some(row) = row else {
        return Err(not_yours());
    };
    if row.try_get::<String, _>(0)? != crate::cases::holder(store, &application.applicant) {
        return Err(not_yours());
    }
    let service_id: String = row.try_get(1)?;
    let state: CaseState = from_wire_name(&row.try_get::<String, _>(2)?, "a case's state")?;
    let promised_on: String = row.try_get(3)?;
    if application.service_id != service_id {
        return Err(HubError::BadRequest(format!(
            "application {case_no} is for service {service_id}"
        )));
    }
    let waiting = waiting(store, case_no).await?;
    let catalogue = crate::catalogue::published(store).await?;
    let form = catalogue
        .service(&service_id)
        .and_then(|s| s.application.as_ref())
        .ok_or_else(|| {
            HubError::BadRequest(format!("service {service_id} has no form any more"))
        })?;
    let Some(asked) = asked_of(&waiting, Some(form)) else {
        return Err(HubError::BadRequest(format!(
            "application {case_no} does not wait for 补正 (it is {}): bring the materials to a counter",
            state.label().en.to_lowercase()
        )));
    };
    let received = now_ms();
    application
        .check(&form.narrowed(&asked.ids()), Date::china(received))
        .map_err(|problem| HubError::BadRequest(format!("the 补正: {problem}")))?;
    crate::applications::ready_to_take(store, application).await?;
    let mut tx = store.pool().begin().await?;
    let done = sqlx::query(
        "INSERT INTO supplements (id, number, case_no, device_id, body, received_ms) \
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (id) DO NOTHING",
    )
    .bind(&application.id)
    .bind(&application.number)
    .bind(case_no)
    .bind(device_id)
    .bind(serde_json::to_string(application).expect("an application serialises"))
    .bind(received)
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() == 0 {
        tx.rollback().await?;
        return taken(store, &application.id).await?.ok_or_else(|| {
            HubError::Conflict("the supplement is being taken; send it again".into())
        });
    }
    crate::applications::refer(&mut tx, case_no, application).await?;
    let step = CaseStep {
        state: CaseState::Submitted,
        at_ms: received,
        note: Some(LocalText::new(
            format!(
                "已在自助终端补交材料（补正回执 {}），等待受理。",
                application.number
            ),
            format!(
                "The items asked for were supplied at a terminal (receipt {}); waiting to be accepted.",
                application.number
            ),
        )),
    };
    let items: Vec<String> = asked.ids();
    for (number, _) in &waiting {
        if !crate::cases::advance(&mut tx, number, CaseState::NeedsMaterials, &step).await? {
            tx.rollback().await?;
            return Err(HubError::Conflict(format!(
                "application {number} was decided meanwhile; send the supplement again"
            )));
        }
        crate::cases::record_action(
            &mut tx,
            number,
            received,
            &format!("terminal {device_id}"),
            "supplied",
            &serde_json::json!({ "number": application.number, "items": items }),
        )
        .await?;
    }
    let mut now_state = CaseState::Submitted;
    if waiting.iter().any(|(number, _)| number != case_no) {
        // A bundle: its parts moved on; the parent follows them with one step of its timeline.
        let parts = crate::cases::part_states(&mut tx, case_no).await?;
        now_state = CaseState::of_bundle(&parts);
        let followed = CaseStep {
            state: now_state,
            ..step.clone()
        };
        if !crate::cases::advance(&mut tx, case_no, state, &followed).await? {
            tx.rollback().await?;
            return Err(HubError::Conflict(format!(
                "bundle {case_no} moved meanwhile; send the supplement again"
            )));
        }
    }
    tx.commit().await?;
    tracing::info!(device = %device_id, case = %case_no, number = %application.number, "补正 taken");
    Ok(ApplicationReceipt {
        number: application.number.clone(),
        state: now_state,
        received_ms: received,
        promised_on,
    })
}

/// The supplements given for application `number` (or for the bundle it is a part of), oldest first.
pub async fn of(store: &Store, number: &str) -> Result<Vec<(i64, Application)>, HubError> {
    let rows = sqlx::query(
        "SELECT s.received_ms, s.body FROM supplements s WHERE s.case_no = $1 \
         OR s.case_no = (SELECT parent FROM cases WHERE case_no = $1) ORDER BY s.received_ms",
    )
    .bind(number)
    .fetch_all(store.pool())
    .await?;
    rows.iter()
        .map(|row| {
            let body: String = row.try_get(1)?;
            Ok((
                row.try_get(0)?,
                serde_json::from_str(&body)
                    .map_err(|e| crate::store::damaged(format!("a supplement of {number}: {e}")))?,
            ))
        })
        .collect()
}
