//! What the citizen journeys ask of the hub and of the terminal's outbox, GUI-free and blocking: the router
//! runs each call on its own thread, so a slow village link never freezes the screen. Every failure comes
//! back as a [`Failure`] the screens can put in the citizen's words; its cause is logged for technicians
//! (never with personal data: ID numbers travel only in request bodies).

use std::path::PathBuf;

use kiosk_proto::fleet::TicketReply;
use kiosk_proto::service::{
    CaseDetail, CaseQuery, ClaimEnd, ClaimOutcome, DocumentEntry, IdNumber, Rating, CLAIM_EVENT,
};
use serde::Serialize;

use crate::sync::applications::Delivered;
use crate::sync::client::{Claimed, HubClient, HubSettings, SyncError};

/// Why a journey's call did not give its answer, as the citizen is told it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Failure {
    /// The hub cannot be reached (network down, hub down, too slow).
    Offline,
    /// This terminal cannot use the hub (not enrolled, credential refused): for staff and technicians.
    Terminal,
    /// Nothing matches what was asked (a case number and its ID digits).
    NotFound,
    /// Too many wrong tries on a case number: locked for this many minutes.
    Locked(u32),
    /// The hub's document did not carry a signature this terminal trusts: nothing is printed.
    Unverified,
    /// The hub refused for another reason, or the terminal's own file failed.
    Refused,
}

impl Failure {
    fn from_sync(what: &str, error: SyncError) -> Failure {
        let failure = match &error {
            SyncError::Unreachable { .. } => Failure::Offline,
            // The terminal's own setting is wrong (its credential, its trust in the hub): staff mend it.
            SyncError::Unauthorized
            | SyncError::NotEnrolled { .. }
            | SyncError::Save { .. }
            | SyncError::Untrusted { .. }
            | SyncError::BadCa { .. } => Failure::Terminal,
            SyncError::Rejected { status: 404, .. } => Failure::NotFound,
            SyncError::Rejected {
                status: 429,
                message,
            } => Failure::Locked(minutes_in(message)),
            SyncError::Rejected { .. } => Failure::Refused,
            SyncError::Unsigned(_) => Failure::Unverified,
        };
        match failure {
            Failure::NotFound | Failure::Locked(_) => tracing::info!(%error, "{what}"),
            _ => tracing::warn!(%error, "{what}"),
        }
        failure
    }
}

/// The first number in the hub's "try again in N minutes" (15 if it gives none).
fn minutes_in(message: &str) -> u32 {
    message
        .split(|c: char| !c.is_ascii_digit())
        .find_map(|n| n.parse().ok())
        .unwrap_or(15)
}

/// The journeys' way to the hub and the outbox. Cheap to clone: each call opens what it needs.
#[derive(Debug, Clone)]
pub struct Services {
    hub: Option<HubSettings>,
    /// The terminal's SQLite file (outbox, sync state).
    database: PathBuf,
    /// The terminal's id: its applications' numbers carry it.
    device_id: String,
}

impl Services {
    pub fn new(hub: Option<HubSettings>, database: PathBuf, device_id: String) -> Services {
        Services {
            hub,
            database,
            device_id,
        }
    }

    fn client(&self) -> Result<HubClient, Failure> {
        let Some(hub) = &self.hub else {
            tracing::warn!("no hub is configured ([hub] url): the journey needs one");
            return Err(Failure::Terminal);
        };
        HubClient::new(&hub.url, &hub.credential, hub.ca.as_deref())
            .map_err(|e| Failure::from_sync("no hub", e))
    }

    /// Every case of the card holder, newest first.
    pub fn cases_mine(&self, id: &IdNumber) -> Result<Vec<CaseDetail>, Failure> {
        self.client()?
            .cases_mine(id)
            .map_err(|e| Failure::from_sync("cases not fetched", e))
    }

    /// One case by its number and a second factor.
    pub fn case_query(&self, query: &CaseQuery) -> Result<CaseDetail, Failure> {
        self.client()?
            .case_query(query)
            .map_err(|e| Failure::from_sync("case query not answered", e))
    }

    /// The enterprises the card holder represents (an empty list: none).
    pub fn enterprises_mine(
        &self,
        id: &IdNumber,
    ) -> Result<Vec<kiosk_proto::enterprise::Enterprise>, Failure> {
        self.client()?
            .enterprises_mine(id)
            .map_err(|e| Failure::from_sync("enterprises not fetched", e))
    }

    /// The card holder's printable documents.
    pub fn documents_mine(&self, id: &IdNumber) -> Result<Vec<DocumentEntry>, Failure> {
        self.client()?
            .documents_mine(id)
            .map_err(|e| Failure::from_sync("documents not fetched", e))
    }

    /// Claims a copy of `document_id`, checked against the hub keys this terminal keeps (fetched and kept on
    /// first use, as the heartbeat does, when none are kept yet).
    pub fn claim(&self, document_id: &str, id: &IdNumber) -> Result<Claimed, Failure> {
        let client = self.client()?;
        let state = crate::sync::state::SyncState::open(&self.database).map_err(|error| {
            tracing::error!(%error, "the sync state cannot be opened; check [terminal] database");
            Failure::Refused
        })?;
        let mut keys = crate::sync::state::trusted_keys(&state);
        if keys.is_empty() {
            crate::sync::heartbeat::keep_keys(&client, &state);
            keys = crate::sync::state::trusted_keys(&state);
        }
        client
            .claim(document_id, id, &keys)
            .map_err(|e| Failure::from_sync("claim not granted", e))
    }

    /// Checks a scanned sign-in code (亮码): its signature against the hub keys this terminal keeps (fetched
    /// first when none are kept yet) and its minute on this terminal's clock, then has the hub take it once.
    /// The holder it names, or why it signs no one in; a hub that cannot be reached takes no code.
    pub fn check_code(
        &self,
        code: &str,
    ) -> Result<Box<crate::domain::identity::Identity>, crate::domain::signin::CodeProblem> {
        use crate::domain::signin::{Claim, CodeProblem};
        let client = self.client().map_err(|_| CodeProblem::Offline)?.quick();
        let state = crate::sync::state::SyncState::open(&self.database).map_err(|error| {
            tracing::error!(%error, "the sync state cannot be opened; check [terminal] database");
            CodeProblem::Offline
        })?;
        let fetch = || {
            crate::sync::heartbeat::keep_keys(&client, &state);
            crate::sync::state::trusted_keys(&state)
        };
        let kept = crate::sync::state::trusted_keys(&state);
        // None kept yet: fetched now (and not again below).
        let fresh = kept.is_empty();
        let keys = if fresh { fetch() } else { kept };
        let now = chrono::Utc::now().timestamp_millis();
        let claim = match Claim::verify(code, &keys, now) {
            // A key the hub rotated to since they were kept: fetched once more, then checked again.
            Err(CodeProblem::Forged) if !fresh => Claim::verify(code, &fetch(), now)?,
            checked => checked?,
        };
        match client.redeem_code(code) {
            Ok(()) => Ok(Box::new(crate::domain::signin::identity(&claim))),
            Err(crate::sync::client::SyncError::Rejected { status, .. }) => {
                Err(CodeProblem::from_status(status))
            }
            Err(error) => {
                tracing::warn!(%error, "the hub did not take the sign-in code");
                Err(CodeProblem::Offline)
            }
        }
    }

    /// The card holder's e-licences in the hub's library, and what the hub holds of them to prefill forms
    /// (a hub too old to hold any gives none: the citizen types those fields).
    pub fn library(&self, id: &IdNumber) -> Result<crate::domain::application::Library, Failure> {
        let client = self.client()?;
        let licences = client
            .elicences_mine(id)
            .map_err(|e| Failure::from_sync("e-licences not fetched", e))?;
        let facts = match client.held_facts(id) {
            Ok(held) => held.facts,
            Err(error) => {
                tracing::warn!(%error, "the hub's records for prefilling were not fetched; the citizen types those fields");
                vec![]
            }
        };
        Ok(crate::domain::application::Library { licences, facts })
    }

    /// Takes the application in `draft`: writes it sealed with its pages (its number made here), tries at
    /// once to deliver it (with a short wait: a hub that does not answer quickly gets it with the next
    /// heartbeat), and returns the receipt to print, which says which of the two happened.
    pub fn submit(
        &self,
        draft: &crate::domain::application::Draft,
        lang: crate::domain::Lang,
        hall: &str,
    ) -> Result<Submitted, Failure> {
        use crate::sync::applications::Applications;
        let store = Applications::open(&self.database).map_err(|error| {
            tracing::error!(%error, "the application store cannot be opened; check [terminal] database");
            Failure::Refused
        })?;
        let now = chrono::Utc::now().timestamp_millis();
        let (application, pages) = draft.application(crate::sync::new_event_id(), now, lang);
        let waiting = |application: &kiosk_proto::application::Application| {
            receipt(draft, application, hall, None).to_json()
        };
        let application = store
            .submit(
                &self.device_id,
                application,
                &pages,
                |application| draft.sign(application, now),
                waiting,
            )
            .map_err(|error| {
                tracing::error!(%error, "the application could not be written; nothing was submitted");
                Failure::Refused
            })?;
        tracing::info!(number = %application.number, service = %application.service_id, "application taken");
        if let Ok(client) = self.client() {
            crate::sync::heartbeat::deliver_applications(&store, &client.quick());
        }
        let standing = store.state(&application.id).ok().flatten();
        let document = receipt(draft, &application, hall, standing.as_ref());
        let delivered = standing.map(|s| s.delivered);
        if delivered.is_some_and(|d| d != Delivered::Waiting) {
            if let Err(error) = store.keep_receipt(&application.id, &document.to_json()) {
                tracing::warn!(%error, "the receipt as printed was not kept; a reprint says 待送达");
            }
        }
        Ok(Submitted {
            number: application.number,
            sent: delivered == Some(Delivered::Sent),
            refused: delivered == Some(Delivered::Refused),
            document,
        })
    }

    /// A one-time page for the citizen's phone to upload `material`'s photos; its full address for the QR.
    pub fn open_upload(
        &self,
        request: &kiosk_proto::application::UploadRequest,
    ) -> Result<(String, kiosk_proto::application::UploadTicket), Failure> {
        let client = self.client()?;
        let ticket = client
            .open_upload(request)
            .map_err(|e| Failure::from_sync("phone upload not opened", e))?;
        Ok((format!("{}{}", client.base(), ticket.path), ticket))
    }

    /// The photos the phone sent beyond the first `known`, fetched to show and keep with the draft.
    pub fn poll_upload(&self, token: &str, known: usize) -> Result<PhonePages, Failure> {
        let client = self.client()?;
        let status = client
            .upload_status(token)
            .map_err(|e| Failure::from_sync("phone upload not polled", e))?;
        let mut pages = Vec::new();
        for page in status.pages.iter().skip(known) {
            let bytes = client
                .page(&page.sha256)
                .map_err(|e| Failure::from_sync("a phone's photo not fetched", e))?;
            pages.push(crate::domain::application::Page(bytes));
        }
        Ok(PhonePages {
            pages,
            done: status.done,
            expired: status.expired,
        })
    }

    /// The next queue ticket for `service` in this terminal's hall.
    pub fn ticket(&self, service: &str) -> Result<TicketReply, Failure> {
        self.client()?
            .ticket(service)
            .map_err(|e| Failure::from_sync("ticket not taken", e))
    }

    fn outbox(&self) -> Result<crate::sync::outbox::Outbox, Failure> {
        crate::sync::outbox::Outbox::open(&self.database).map_err(|error| {
            tracing::error!(%error, "the outbox cannot be opened; check [terminal] database");
            Failure::Refused
        })
    }

    /// Records a rating in the outbox (it reaches the hub with the next upload, also after a day offline).
    pub fn rate(&self, rating: &Rating) -> Result<(), Failure> {
        self.outbox()?.rate(rating).map(drop).map_err(|error| {
            tracing::error!(%error, "rating not recorded");
            Failure::Refused
        })
    }

    /// A claimed copy that will not be printed (the preview was cancelled): its copy goes back to the
    /// holder's day through the outbox.
    pub fn give_back(&self, claim_id: &str) -> Result<(), Failure> {
        let end = ClaimEnd {
            claim_id: claim_id.to_string(),
            outcome: ClaimOutcome::Failed,
        };
        let body = serde_json::to_value(end).expect("a claim's end serialises");
        self.outbox()?
            .add(CLAIM_EVENT, &body)
            .map(drop)
            .map_err(|error| {
                tracing::error!(%error, "a cancelled claim could not be given back");
                Failure::Refused
            })
    }

    /// A citizen asked for staff: where they were and why, never who they are.
    /// Records a step of remote guidance in the outbox (the audit trail reaches the hub with the next
    /// upload).
    pub fn audit(&self, audit: &kiosk_proto::assist::Audit) {
        let body = serde_json::to_value(audit).expect("an audit record serialises");
        if let Err(error) = self.outbox().and_then(|outbox| {
            outbox
                .add(kiosk_proto::assist::AUDIT_EVENT, &body)
                .map_err(|error| {
                    tracing::error!(%error, "a remote-guidance step could not be recorded");
                    Failure::Refused
                })
        }) {
            tracing::error!(?error, step = audit.step, "remote-guidance audit lost");
        }
    }

    pub fn ask_for_help(&self, request: &HelpRequest) -> Result<(), Failure> {
        let body = serde_json::to_value(request).expect("a help request serialises");
        self.outbox()?
            .add(HELP_EVENT, &body)
            .map(drop)
            .map_err(|error| {
                tracing::error!(%error, "a help request could not be recorded");
                Failure::Refused
            })
    }
}

/// What a phone upload brought since the last look.
#[derive(Debug, Clone)]
pub struct PhonePages {
    pub pages: Vec<crate::domain::application::Page>,
    pub done: bool,
    pub expired: bool,
}

/// An application taken: its 申报编号, whether the hub has it already, and the receipt to print.
#[derive(Debug, Clone, PartialEq)]
pub struct Submitted {
    pub number: String,
    pub sent: bool,
    /// The hub will never take it as it is (its form changed meanwhile): a counter must help.
    pub refused: bool,
    pub document: crate::domain::document::Document,
}

/// The receipt of `application` (申报回执), as it stands in the terminal (`sent`: sent with the hub's
/// time and promised date, refused for good, or waiting). Its words
/// are Chinese, as every paper this terminal prints; personal values are masked.
pub fn receipt(
    draft: &crate::domain::application::Draft,
    application: &kiosk_proto::application::Application,
    hall: &str,
    sent: Option<&crate::sync::applications::Standing>,
) -> crate::domain::document::Document {
    let zh = crate::domain::Lang::Zh;
    let materials = draft
        .materials
        .iter()
        .filter_map(|(id, material)| {
            let spec = draft.material_spec(id)?;
            let given = crate::domain::application::source_words(material);
            (!matches!(
                material,
                crate::domain::application::Material::Pages { count: 0, .. }
            ))
            .then(|| (spec.title.get(zh).to_string(), given))
        })
        .collect();
    let delivery = match &application.delivery {
        kiosk_proto::application::DeliveryChoice::Ems { recipient, .. } => format!(
            "EMS 免费寄递（收件人 {}）",
            kiosk_proto::service::mask(recipient, 1, 0)
        ),
        other => other.way().label().get(zh).to_string(),
    };
    let promised = match (
        sent.and_then(|s| s.promised_on.as_deref()),
        draft.promised_days,
    ) {
        (Some(day), _) => format!("{day} 前办结"),
        (_, 0) => "即办".to_string(),
        (_, days) => format!("{days} 个工作日（自送达之日起）"),
    };
    crate::domain::document::Submission {
        number: application.number.clone(),
        service: draft.service.get(zh).to_string(),
        applicant: draft.applicant_masked().to_string(),
        id_masked: draft.id_masked().to_string(),
        submitted_at: china_time(application.submitted_ms),
        materials,
        delivery,
        promised,
        sent: match sent.map(|s| (s.delivered, s.sent_ms)) {
            Some((Delivered::Sent, Some(ms))) => {
                format!("已于 {} 送达政务服务中心，等待受理", china_time(ms))
            }
            // The hub will never take it as it is (its form changed meanwhile): a counter helps.
            Some((Delivered::Refused, _)) => {
                "未能送达：请持本回执到窗口办理，或呼叫工作人员".to_string()
            }
            _ => "已在本机提交，网络恢复后自动送达（尚未受理）".to_string(),
        },
        hall: hall.to_string(),
        // A 补正 is followed on the application it completes.
        progress_url: format!(
            "https://zwfw.suzhou.gov.cn/progress?case={}",
            application
                .completes
                .as_ref()
                .unwrap_or(&application.number)
        ),
        completes: application.completes.clone(),
    }
    .document()
}

/// `2026-11-23 09:30` in China time (UTC+8 all year) for a hub time in Unix ms.
pub fn china_time(ms: i64) -> String {
    let offset = chrono::FixedOffset::east_opt(8 * 3600).expect("UTC+8 is a valid offset");
    chrono::DateTime::from_timestamp_millis(ms)
        .map(|t| {
            t.with_timezone(&offset)
                .format("%Y-%m-%d %H:%M")
                .to_string()
        })
        .unwrap_or_default()
}

/// The progress record a holder can print for `case`, printed at `now` (its words in Chinese, as every
/// document this terminal prints).
pub fn progress_record(case: &CaseDetail, now: &str) -> crate::domain::document::Document {
    let zh = crate::domain::Lang::Zh;
    crate::domain::document::Progress {
        case_number: case.summary.case_no.clone(),
        service: case.summary.service.get(zh).to_string(),
        applicant: case.applicant.clone(),
        state: case.summary.state.label().get(zh).to_string(),
        steps: case
            .timeline
            .iter()
            .map(|step| {
                let mut what = step.state.label().get(zh).to_string();
                if let Some(note) = &step.note {
                    what = format!("{what}：{}", note.get(zh));
                }
                (china_time(step.at_ms), what)
            })
            .collect(),
        next_step: case.summary.state.next_step().get(zh).to_string(),
        hall: case.hall.clone(),
        printed_at: now.to_string(),
    }
    .document()
}

/// The event kind of a help request.
pub const HELP_EVENT: &str = "help_request";

/// What staff need to come and help: the screen and what went wrong there (no personal data).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HelpRequest {
    pub screen: String,
    pub problem: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_lock_minutes_come_from_the_hubs_words() {
        assert_eq!(
            minutes_in("too many wrong tries for this case number; try again in 14 minutes"),
            14
        );
        assert_eq!(minutes_in("locked"), 15);
    }

    #[test]
    fn each_hub_answer_is_the_failure_the_citizen_is_told() {
        let rejected = |status, message: &str| SyncError::Rejected {
            status,
            message: message.into(),
        };
        let cases = [
            (
                SyncError::Unreachable {
                    url: "http://hub".into(),
                    why: "refused".into(),
                },
                Failure::Offline,
            ),
            (SyncError::Unauthorized, Failure::Terminal),
            (rejected(404, "no such case"), Failure::NotFound),
            (rejected(429, "try again in 3 minutes"), Failure::Locked(3)),
            (rejected(500, "database"), Failure::Refused),
        ];
        for (error, failure) in cases {
            assert_eq!(Failure::from_sync("test", error), failure);
        }
    }
}
