//! 亮码: the citizen's dynamic sign-in code. The government app (the hub's phone page stands in for it)
//! shows a QR that names its holder and lives at most a minute, signed by the hub; a terminal's scanner
//! reads it, the terminal checks the signature against the hub keys it trusts and the expiry on its own
//! clock, and the hub takes each code once (a photo of someone's code, shown again, is refused).
//!
//! Text form: `ZWID1.<payload>.<signature>`, both parts base64url without padding. The payload is compact
//! JSON ([`Claim`]); the signature is Ed25519 over a context line and the payload, so no other signed thing
//! of the hub's (a licence's voucher, a technicians' list) can pass for a code, nor a code for one of them.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use ed25519_dalek::{Signature, Signer, SigningKey, Verifier, VerifyingKey};
use serde::{Deserialize, Serialize};
use zeroize::{Zeroize, ZeroizeOnDrop};

/// What every code starts with.
pub const PREFIX: &str = "ZWID1";

/// The longest a code may live (the "≤ 60 s").
pub const MAX_LIFE_MS: i64 = 60_000;

/// How far in the reader's future a code may say it was made (the phone's and the terminal's clocks differ
/// a little; a code from further ahead is refused as out of date).
pub const SKEW_MS: i64 = 30_000;

/// The longest payload a code carries (a name and an ID number take about 150 bytes).
pub const MAX_PAYLOAD: usize = 512;

/// The context the signature covers before the payload.
const CONTEXT: &[u8] = b"kiosk sign-in code v1\n";

/// What a code vouches for: who holds it, from when until when, and its one-time number.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, Zeroize, ZeroizeOnDrop)]
#[serde(deny_unknown_fields)]
pub struct Claim {
    /// 32 hex digits, fresh for every code: the hub takes each once.
    pub nonce: String,
    /// The holder's resident ID number.
    pub id: String,
    /// The holder's name as registered.
    pub name: String,
    /// Made at, epoch ms.
    pub iat: i64,
    /// Valid until, epoch ms.
    pub exp: i64,
}

/// Never the holder: the masked number and the times.
impl std::fmt::Debug for Claim {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Claim")
            .field("id", &crate::service::mask(&self.id, 4, 4))
            .field("iat", &self.iat)
            .field("exp", &self.exp)
            .finish_non_exhaustive()
    }
}

/// Why a scanned code signs no one in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(rename_all = "snake_case")]
pub enum CodeProblem {
    /// Not a sign-in code at all.
    #[error("not a sign-in code (it should start with {PREFIX}.)")]
    NotACode,
    /// It starts like one but does not parse, or says what no code says (a life over a minute).
    #[error("the code is damaged or not well formed")]
    Damaged,
    /// No trusted key signed it, or it was changed.
    #[error("the signature does not match any trusted hub key")]
    Forged,
    /// Its minute has passed (or it claims to be from the future).
    #[error("the code has expired")]
    Expired,
    /// The hub took it already: a copy shown again.
    #[error("the code was used already")]
    Used,
    /// The hub could not be asked: codes are taken only with the hub reachable.
    #[error("the hub cannot be reached to take the code")]
    Offline,
}

/// What the terminal sends the hub to take a code (`POST /v1/codes/redeem`): the code as scanned.
#[derive(
    Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema, Zeroize, ZeroizeOnDrop,
)]
#[serde(deny_unknown_fields)]
pub struct Redeem {
    pub code: String,
}

impl std::fmt::Debug for Redeem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Redeem").finish_non_exhaustive()
    }
}

impl CodeProblem {
    /// What the hub's refusal of `POST /v1/codes/redeem` with HTTP `status` says about the code.
    pub fn from_status(status: u16) -> CodeProblem {
        match status {
            409 => CodeProblem::Used,
            410 => CodeProblem::Expired,
            _ => CodeProblem::Forged,
        }
    }
}

/// Whether `text` is meant as a sign-in code (it may still fail to verify).
pub fn is_code(text: &str) -> bool {
    text.trim()
        .strip_prefix(PREFIX)
        .is_some_and(|rest| rest.starts_with('.'))
}

fn signed_message(payload: &[u8]) -> Vec<u8> {
    [CONTEXT, payload].concat()
}

impl Claim {
    /// The code's text, signed with `key`.
    pub fn sign(&self, key: &SigningKey) -> String {
        let payload = serde_json::to_vec(self).expect("a claim serialises");
        let signature = key.sign(&signed_message(&payload));
        format!(
            "{PREFIX}.{}.{}",
            URL_SAFE_NO_PAD.encode(&payload),
            URL_SAFE_NO_PAD.encode(signature.to_bytes())
        )
    }

    /// Reads `text` as a code signed by one of `keys`, valid at `now_ms`.
    pub fn verify(text: &str, keys: &[VerifyingKey], now_ms: i64) -> Result<Claim, CodeProblem> {
        let claim = Claim::read(text, keys)?;
        if now_ms > claim.exp || claim.iat > now_ms.saturating_add(SKEW_MS) {
            return Err(CodeProblem::Expired);
        }
        Ok(claim)
    }

    /// The signed claim of `text`, whatever the time.
    pub fn read(text: &str, keys: &[VerifyingKey]) -> Result<Claim, CodeProblem> {
        if !is_code(text) {
            return Err(CodeProblem::NotACode);
        }
        let mut parts = text.trim().split('.').skip(1);
        let (Some(payload), Some(signature), None) = (parts.next(), parts.next(), parts.next())
        else {
            return Err(CodeProblem::Damaged);
        };
        if payload.len() > MAX_PAYLOAD * 4 / 3 + 4 {
            return Err(CodeProblem::Damaged);
        }
        let payload = URL_SAFE_NO_PAD
            .decode(payload)
            .map_err(|_| CodeProblem::Damaged)?;
        let signature: [u8; 64] = URL_SAFE_NO_PAD
            .decode(signature)
            .ok()
            .and_then(|bytes| bytes.try_into().ok())
            .ok_or(CodeProblem::Damaged)?;
        let signature = Signature::from_bytes(&signature);
        let message = signed_message(&payload);
        if !keys
            .iter()
            .any(|key| key.verify(&message, &signature).is_ok())
        {
            return Err(CodeProblem::Forged);
        }
        let claim: Claim = serde_json::from_slice(&payload).map_err(|_| CodeProblem::Damaged)?;
        claim.check().map_err(|_| CodeProblem::Damaged)?;
        Ok(claim)
    }

    /// What every code holds: a 32-hex nonce, a valid resident ID number, a plain name, a life of at most
    /// a minute.
    pub fn check(&self) -> Result<(), &'static str> {
        if self.nonce.len() != 32 || !self.nonce.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err("the nonce is 32 hex digits");
        }
        if !crate::fields::id_number_is_valid(&self.id) {
            return Err("the ID number is not a valid one");
        }
        let name = self.name.chars().count();
        if !(1..=64).contains(&name) || self.name.chars().any(char::is_control) {
            return Err("the name is 1 to 64 characters, none a control character");
        }
        let life = self.exp.saturating_sub(self.iat);
        if !(1..=MAX_LIFE_MS).contains(&life) {
            return Err("a code lives at most a minute");
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn claim(iat: i64) -> Claim {
        Claim {
            nonce: "0123456789abcdef0123456789abcdef".into(),
            id: "11010519491231002X".into(),
            name: "张三".into(),
            iat,
            exp: iat + MAX_LIFE_MS,
        }
    }

    const NOW: i64 = 1_790_000_000_000;

    #[test]
    fn a_code_verifies_within_its_minute_and_not_after() {
        let key = crate::verify::demo_key();
        let keys = [key.verifying_key()];
        let text = claim(NOW).sign(&key);
        assert!(is_code(&text));
        assert_eq!(Claim::verify(&text, &keys, NOW + 1000), Ok(claim(NOW)));
        assert_eq!(
            Claim::verify(&text, &keys, NOW + MAX_LIFE_MS),
            Ok(claim(NOW))
        );
        assert_eq!(
            Claim::verify(&text, &keys, NOW + MAX_LIFE_MS + 1),
            Err(CodeProblem::Expired)
        );
        // From further in the future than the clocks differ.
        assert_eq!(
            Claim::verify(&text, &keys, NOW - SKEW_MS - 1),
            Err(CodeProblem::Expired)
        );
    }

    #[test]
    fn another_key_a_changed_byte_or_another_kind_of_signed_text_is_refused() {
        let key = crate::verify::demo_key();
        let text = claim(NOW).sign(&key);
        let other = SigningKey::from_bytes(&[9; 32]);
        assert_eq!(
            Claim::verify(&text, &[other.verifying_key()], NOW),
            Err(CodeProblem::Forged)
        );
        // Trusted among others: a rotated hub's retired key still checks.
        assert!(Claim::verify(&text, &[other.verifying_key(), key.verifying_key()], NOW).is_ok());
        let (head, signature) = text.rsplit_once('.').unwrap();
        let mut payload = URL_SAFE_NO_PAD
            .decode(head.split('.').nth(1).unwrap())
            .unwrap();
        let at = payload.iter().position(|&b| b == b'X').unwrap();
        payload[at] = b'9';
        let changed = format!("{PREFIX}.{}.{signature}", URL_SAFE_NO_PAD.encode(&payload));
        assert_eq!(
            Claim::verify(&changed, &[key.verifying_key()], NOW),
            Err(CodeProblem::Forged)
        );
        // The same payload signed without the context (as a voucher would be) is no code.
        let bare = key.sign(&serde_json::to_vec(&claim(NOW)).unwrap());
        let voucher_like = format!(
            "{PREFIX}.{}.{}",
            head.split('.').nth(1).unwrap(),
            URL_SAFE_NO_PAD.encode(bare.to_bytes())
        );
        assert_eq!(
            Claim::verify(&voucher_like, &[key.verifying_key()], NOW),
            Err(CodeProblem::Forged)
        );
    }

    #[test]
    fn what_no_code_says_is_refused_even_when_signed() {
        let key = crate::verify::demo_key();
        let keys = [key.verifying_key()];
        let mut long = claim(NOW);
        long.exp = NOW + MAX_LIFE_MS + 1;
        let mut bad_id = claim(NOW);
        bad_id.id = "110105194912310021".into();
        let mut no_name = claim(NOW);
        no_name.name = String::new();
        for wrong in [long, bad_id, no_name] {
            assert_eq!(
                Claim::verify(&wrong.sign(&key), &keys, NOW),
                Err(CodeProblem::Damaged)
            );
        }
        for text in ["ZWID1", "ZWID1.", "ZWID1.a.b.c", "ZWID1.!!.??", "ZWIDx.a.b"] {
            assert!(Claim::verify(text, &keys, NOW).is_err(), "{text}");
        }
        assert_eq!(
            Claim::verify("https://example.com", &keys, NOW),
            Err(CodeProblem::NotACode)
        );
    }

    #[test]
    fn debug_shows_no_one() {
        let text = format!("{:?}", claim(NOW));
        assert!(text.contains("1101**********002X"), "{text}");
        assert!(!text.contains("张三") && !text.contains("0123456789abcdef"));
        let redeem = Redeem {
            code: claim(NOW).sign(&crate::verify::demo_key()),
        };
        assert!(!format!("{redeem:?}").contains("ZWID1"));
    }
}
