//! What a card holder comes to the terminal for, as the hub answers it: cases (办件) and their progress,
//! printable documents signed by the hub, print claims under a reprint policy, and ratings (好差评).
//!
//! ID numbers travel only in request bodies (never in a URL, so never in an access log) and print masked.

use serde::{Deserialize, Serialize};

use crate::document::{Document, DocumentKind};
use crate::LocalText;

/// A citizen's ID number as read from the card (or typed). `Debug` masks it: a log line never holds it.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(transparent)]
#[schema(value_type = String, example = "320508194408150020")]
pub struct IdNumber(pub String);

impl IdNumber {
    pub fn new(number: impl Into<String>) -> IdNumber {
        IdNumber(number.into().trim().to_uppercase())
    }

    /// `3205**********0020`: the first four and last four characters.
    pub fn masked(&self) -> String {
        mask(&self.0, 4, 4)
    }
}

impl std::fmt::Debug for IdNumber {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "IdNumber({})", self.masked())
    }
}

/// `text` with all but the first `head` and last `tail` characters replaced by `*`.
pub fn mask(text: &str, head: usize, tail: usize) -> String {
    let chars: Vec<char> = text.chars().collect();
    if chars.len() <= head + tail {
        return "*".repeat(chars.len());
    }
    chars
        .iter()
        .enumerate()
        .map(|(i, c)| {
            if i < head || i >= chars.len() - tail {
                *c
            } else {
                '*'
            }
        })
        .collect()
}

/// Where a case stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum CaseState {
    /// 已提交: handed in, not yet accepted.
    Submitted,
    /// 已受理: accepted; the promised date runs from here.
    Accepted,
    /// 审查中: being examined.
    InReview,
    /// 需补正: the applicant must bring or send more material.
    NeedsMaterials,
    /// 已办结: approved; the result is ready (to print, collect or mailed).
    Approved,
    /// 不予许可: refused, with the reason on the timeline.
    Refused,
    /// 已领取: the result is in the applicant's hands.
    Collected,
    /// 不予受理: not taken up (not this authority's, or no licence needed), with the reason and where to go.
    NotAccepted,
}

impl CaseState {
    /// The state a bundle's parent takes from its parts': decided once every part is (approved if any part
    /// is); 补正 while any part asks for it; accepted once none is waiting to be; submitted otherwise.
    pub fn of_bundle(parts: &[CaseState]) -> CaseState {
        use CaseState::*;
        let decided = |s: &CaseState| matches!(s, Approved | Refused | NotAccepted | Collected);
        if parts.iter().all(decided) {
            if parts.iter().any(|s| matches!(s, Approved | Collected)) {
                Approved
            } else {
                Refused
            }
        } else if parts.contains(&NeedsMaterials) {
            NeedsMaterials
        } else if !parts.contains(&Submitted) {
            Accepted
        } else {
            Submitted
        }
    }

    pub const ALL: [CaseState; 8] = [
        CaseState::Submitted,
        CaseState::Accepted,
        CaseState::InReview,
        CaseState::NeedsMaterials,
        CaseState::Approved,
        CaseState::Refused,
        CaseState::Collected,
        CaseState::NotAccepted,
    ];

    pub fn label(self) -> LocalText {
        let (zh, en) = match self {
            CaseState::Submitted => ("已提交", "Submitted"),
            CaseState::Accepted => ("已受理", "Accepted"),
            CaseState::InReview => ("审查中", "Under review"),
            CaseState::NeedsMaterials => ("需补正材料", "More documents needed"),
            CaseState::Approved => ("已办结", "Approved"),
            CaseState::Refused => ("不予许可", "Refused"),
            CaseState::Collected => ("已领取", "Collected"),
            CaseState::NotAccepted => ("不予受理", "Not accepted"),
        };
        LocalText::new(zh, en)
    }

    /// What the applicant should do now.
    pub fn next_step(self) -> LocalText {
        let (zh, en) = match self {
            CaseState::Submitted => (
                "材料已提交，请等待窗口受理，受理后会短信通知您。",
                "Your application is in; you will get a text message once it is accepted.",
            ),
            CaseState::Accepted | CaseState::InReview => (
                "正在办理中，无需操作。承诺办结日前会短信通知结果。",
                "It is being processed; nothing to do. You will get a text message with the result by the promised date.",
            ),
            CaseState::NeedsMaterials => (
                "请按通知补交材料：可到任一窗口提交，或在网上补正。",
                "Bring the documents listed in the notice to any counter, or upload them online.",
            ),
            CaseState::Approved => (
                "已办结。结果按您申报时选择的方式送达，详见办理过程；电子证照可在本机打印。",
                "Approved. The result comes the way you chose when applying (see the steps below); an electronic licence prints at this terminal.",
            ),
            CaseState::Refused => (
                "未予许可，原因见办理记录。如有疑问请咨询窗口或拨打12345。",
                "Not approved; the reason is in the record. Ask at a counter or call 12345.",
            ),
            CaseState::Collected => ("已领取，办理完毕。", "Collected; the case is closed."),
            CaseState::NotAccepted => (
                "申请未予受理，原因和应向哪里申请见办理记录。如有疑问请咨询窗口或拨打12345。",
                "The application was not taken up; the reason and where to apply are in the record. Ask at a counter or call 12345.",
            ),
        };
        LocalText::new(zh, en)
    }
}

/// One step of a case's timeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CaseStep {
    pub state: CaseState,
    /// Unix ms when the case reached this step.
    pub at_ms: i64,
    /// What the office wrote (a refusal's reason, the documents missing), if anything.
    #[serde(default)]
    pub note: Option<LocalText>,
}

/// A case as a list shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CaseSummary {
    /// 办件编号, e.g. `SZ2026112300012`.
    pub case_no: String,
    /// The catalogue's service id and name.
    pub service_id: String,
    pub service: LocalText,
    pub state: CaseState,
    pub submitted_ms: i64,
    pub updated_ms: i64,
    /// 承诺办结日 (YYYY-MM-DD, China time).
    pub promised_on: String,
}

/// A case with its timeline, oldest step first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CaseDetail {
    #[serde(flatten)]
    pub summary: CaseSummary,
    pub hall: String,
    /// The applicant's name, masked (`张**`).
    pub applicant: String,
    pub timeline: Vec<CaseStep>,
    /// While it waits for 补正: what the reviewer asked for and by when.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub asked: Option<crate::application::Asked>,
}

/// Progress of one case: its number and a second factor: the ID number read from the card, or its last six
/// characters typed on the keypad.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CaseQuery {
    pub case_no: String,
    #[serde(default)]
    pub id_number: Option<IdNumber>,
    #[serde(default)]
    #[schema(example = "150020")]
    pub id_last6: Option<String>,
}

/// Everything of the card holder: their cases, or their printable documents.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct HolderQuery {
    pub id_number: IdNumber,
}

/// A printable document as the holder's list shows it, with how many copies are left today.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DocumentEntry {
    pub id: String,
    #[schema(value_type = String, example = "licence")]
    pub kind: DocumentKind,
    pub title: String,
    pub issuer: String,
    /// Copies claimed today (China time), failed prints not counted.
    pub printed_today: u32,
    /// The reprint policy of the document's kind.
    pub daily_limit: u32,
    /// The 统一社会信用代码 of the enterprise it is of (a business licence), if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enterprise: Option<String>,
}

/// Claim a document for printing: the hub counts the copy against the reprint policy and hands out the
/// signed document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ClaimRequest {
    pub document_id: String,
    pub id_number: IdNumber,
}

/// The hub's answer to a claim.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(tag = "outcome", rename_all = "snake_case", deny_unknown_fields)]
pub enum ClaimReply {
    /// Print it, then report the claim's end (a `print_claim` event: printed, failed or unknown).
    Granted {
        claim_id: String,
        /// This copy's number today (1 = the first).
        copy: u32,
        daily_limit: u32,
        document: SignedDocument,
    },
    /// No more copies today: the policy, and how many were already printed.
    LimitReached {
        printed_today: u32,
        daily_limit: u32,
        /// The day (China time) the next copy can be printed.
        next_day: String,
    },
}

/// How a claimed print ended, reported through the event ingest (kind [`CLAIM_EVENT`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ClaimOutcome {
    /// The printer confirmed the copy.
    Printed,
    /// Nothing came out: the copy does not count against the policy.
    Failed,
    /// Sent, never confirmed: counted, as it may be in the slot.
    Unknown,
}

/// The event kind a claim's end travels as, with a [`ClaimEnd`] body.
pub const CLAIM_EVENT: &str = "print_claim";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ClaimEnd {
    pub claim_id: String,
    pub outcome: ClaimOutcome,
}

/// A document as the hub signed it: the exact JSON text, its Ed25519 signature (base64url, no padding) by
/// the key `key_id` (hex public key, listed at `/v1/keys`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SignedDocument {
    pub json: String,
    pub signature: String,
    pub key_id: String,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SignedDocumentError {
    #[error("the document was signed by key {0}, which this terminal does not trust")]
    UnknownKey(String),
    #[error("the document's signature does not match its content")]
    BadSignature,
    #[error(transparent)]
    Document(#[from] crate::document::DocumentError),
}

impl SignedDocument {
    pub fn sign(document: &Document, key: &ed25519_dalek::SigningKey) -> SignedDocument {
        use base64::Engine;
        use ed25519_dalek::Signer;
        let json = serde_json::to_string(document).expect("a document serialises");
        let signature = key.sign(json.as_bytes());
        SignedDocument {
            signature: base64::engine::general_purpose::URL_SAFE_NO_PAD
                .encode(signature.to_bytes()),
            key_id: crate::verify::public_key_hex(&key.verifying_key()),
            json,
        }
    }

    /// The document, only when one of `trusted` signed exactly this text and it checks.
    pub fn open(
        &self,
        trusted: &[ed25519_dalek::VerifyingKey],
    ) -> Result<Document, SignedDocumentError> {
        use base64::Engine;
        use ed25519_dalek::Verifier;
        let key = trusted
            .iter()
            .find(|k| crate::verify::public_key_hex(k) == self.key_id)
            .ok_or_else(|| SignedDocumentError::UnknownKey(self.key_id.clone()))?;
        let signature: [u8; 64] = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(&self.signature)
            .ok()
            .and_then(|b| b.try_into().ok())
            .ok_or(SignedDocumentError::BadSignature)?;
        key.verify(
            self.json.as_bytes(),
            &ed25519_dalek::Signature::from_bytes(&signature),
        )
        .map_err(|_| SignedDocumentError::BadSignature)?;
        Ok(Document::from_json(&self.json)?)
    }
}

/// The hub's public keys: what its documents and licence QR codes are signed with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Keys {
    pub keys: Vec<PublicKey>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PublicKey {
    /// The key itself, 64 hex digits; also its id.
    pub id: String,
    /// Always `Ed25519`.
    pub algorithm: String,
}

/// Anyone (a bank clerk with a phone) checks a licence's QR text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct VerifyRequest {
    /// The QR's text, `ZWFW1.…`.
    pub code: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct VerifyReply {
    /// The signature is the hub's and the document is on record.
    pub valid: bool,
    /// Why not, when not.
    #[serde(default)]
    pub reason: Option<String>,
    /// What the code vouches for, when the signature holds.
    #[serde(default)]
    pub document_id: Option<String>,
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub issuer: Option<String>,
    #[serde(default)]
    pub issued: Option<String>,
    #[serde(default)]
    pub until: Option<String>,
    #[serde(default)]
    pub fields: Vec<(String, String)>,
}

/// The event kind ratings travel as, with a [`Rating`] body.
pub const RATING_EVENT: &str = "rating";

/// A 好差评 rating: five levels, reason tags only for the two low ones; one per case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Rating {
    /// The case rated, when the journey had one (one rating per case); none for a ticket or a print.
    #[serde(default)]
    pub case_no: Option<String>,
    /// The catalogue's service id, or the journey (`print`, `ticket`, `progress`).
    pub service: String,
    /// 5 非常满意 … 1 非常不满意.
    pub level: u8,
    /// Reason tags (`slow`, `unclear`, `attitude` …), for levels 1 and 2 only.
    #[serde(default)]
    pub tags: Vec<String>,
}

impl Rating {
    pub const LEVELS: std::ops::RangeInclusive<u8> = 1..=5;

    /// What is wrong with it, if anything.
    pub fn check(&self) -> Result<(), String> {
        if !Self::LEVELS.contains(&self.level) {
            return Err(format!("level must be 1 to 5, not {}", self.level));
        }
        if self.level > 2 && !self.tags.is_empty() {
            return Err("reason tags go with levels 1 and 2 only".into());
        }
        if self.tags.len() > 8 || self.tags.iter().any(|t| t.is_empty() || t.len() > 32) {
            return Err("at most 8 tags of 1 to 32 characters".into());
        }
        if self.service.is_empty() || self.service.len() > 64 {
            return Err("service must be 1 to 64 characters".into());
        }
        Ok(())
    }

    /// The level's words.
    pub fn words(level: u8) -> LocalText {
        let (zh, en) = match level {
            5 => ("非常满意", "Very satisfied"),
            4 => ("满意", "Satisfied"),
            3 => ("基本满意", "Fairly satisfied"),
            2 => ("不满意", "Dissatisfied"),
            _ => ("非常不满意", "Very dissatisfied"),
        };
        LocalText::new(zh, en)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bundles_state_follows_its_parts() {
        use CaseState::*;
        assert_eq!(CaseState::of_bundle(&[Submitted, Submitted]), Submitted);
        assert_eq!(
            CaseState::of_bundle(&[Accepted, NeedsMaterials]),
            NeedsMaterials
        );
        assert_eq!(CaseState::of_bundle(&[Approved, InReview]), Accepted);
        assert_eq!(CaseState::of_bundle(&[NotAccepted, Refused]), Refused);
        assert_eq!(
            CaseState::of_bundle(&[Approved, Refused, NotAccepted]),
            Approved
        );
        // A part that supplied its 补正 waits to be accepted again: so does the bundle.
        assert_eq!(CaseState::of_bundle(&[Accepted, Submitted]), Submitted);
    }

    #[test]
    fn id_numbers_never_print_whole() {
        let id = IdNumber::new("320508194408150020");
        assert_eq!(format!("{id:?}"), "IdNumber(3205**********0020)");
        assert_eq!(mask("张秀英", 1, 0), "张**");
        assert_eq!(
            serde_json::to_string(&id).unwrap(),
            "\"320508194408150020\""
        );
    }

    #[test]
    fn a_signed_document_opens_only_with_its_key_and_unchanged() {
        let key = crate::verify::demo_key();
        let document = crate::template::sample(DocumentKind::Receipt);
        let signed = SignedDocument::sign(&document, &key);
        assert_eq!(signed.open(&[key.verifying_key()]).unwrap(), document);
        let other = ed25519_dalek::SigningKey::from_bytes(&[7; 32]).verifying_key();
        assert!(matches!(
            signed.open(&[other]),
            Err(SignedDocumentError::UnknownKey(_))
        ));
        let mut changed = signed.clone();
        changed.json = changed.json.replace("王**", "李**");
        assert_eq!(
            changed.open(&[key.verifying_key()]),
            Err(SignedDocumentError::BadSignature)
        );
    }

    #[test]
    fn ratings_take_five_levels_and_tags_only_when_low() {
        let mut rating = Rating {
            case_no: None,
            service: "print".into(),
            level: 5,
            tags: vec![],
        };
        assert!(rating.check().is_ok());
        rating.level = 0;
        assert!(rating.check().is_err());
        rating.level = 4;
        rating.tags = vec!["slow".into()];
        assert!(rating.check().is_err());
        rating.level = 2;
        assert!(rating.check().is_ok());
    }

    #[test]
    fn claim_replies_travel_tagged() {
        let reply = ClaimReply::LimitReached {
            printed_today: 3,
            daily_limit: 3,
            next_day: "2026-11-24".into(),
        };
        let json = serde_json::to_string(&reply).unwrap();
        assert!(json.starts_with("{\"outcome\":\"limit_reached\""), "{json}");
        assert_eq!(serde_json::from_str::<ClaimReply>(&json).unwrap(), reply);
    }
}

#[cfg(test)]
mod properties {
    use proptest::prelude::*;

    use super::*;

    proptest! {
        /// A masked ID number keeps its length and shows at most its first four and last four characters.
        #[test]
        fn masking_hides_the_middle(id in "[0-9]{17}[0-9X]") {
            let masked = IdNumber::new(id.clone()).masked();
            prop_assert_eq!(masked.chars().count(), id.chars().count());
            prop_assert_eq!(&masked[..4], &id[..4]);
            prop_assert_eq!(&masked[14..], &id[14..]);
            prop_assert!(masked[4..14].chars().all(|c| c == '*'));
            let debug = format!("{:?}", IdNumber::new(id.clone()));
            prop_assert!(!debug.contains(&id[4..14]));
        }

        /// Any changed byte of a signed document's text, or of its signature, is refused.
        #[test]
        fn a_changed_byte_never_opens(at in any::<prop::sample::Index>(), flip in 1u8..=255, in_signature: bool) {
            let key = crate::verify::demo_key();
            let document = crate::template::sample(DocumentKind::Ticket);
            let signed = SignedDocument::sign(&document, &key);
            let mut changed = signed.clone();
            let target = if in_signature { &mut changed.signature } else { &mut changed.json };
            let mut bytes = std::mem::take(target).into_bytes();
            let i = at.index(bytes.len());
            bytes[i] ^= flip;
            *target = String::from_utf8_lossy(&bytes).into_owned();
            prop_assume!(changed != signed);
            prop_assert!(changed.open(&[key.verifying_key()]).is_err());
        }

        /// A rating passes its check exactly when the hub may count it.
        #[test]
        fn ratings_check_their_level_and_tags(level in 0u8..=9, tags in prop::collection::vec("[a-z]{1,8}", 0..3)) {
            let rating = Rating { case_no: None, service: "print".into(), level, tags: tags.clone() };
            let allowed = (1..=5).contains(&level) && (level <= 2 || tags.is_empty());
            prop_assert_eq!(rating.check().is_ok(), allowed);
        }
    }
}
