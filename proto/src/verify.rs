//! Verifiable licences: the QR on a printed licence carries the document's key content and an Ed25519
//! signature over it, so anyone with the issuer's public key can check the paper offline (`kiosk verify`).
//!
//! Text form: `ZWFW1.<payload>.<signature>`, both parts base64url without padding; the payload is compact JSON.
//! The hub signs with its key (`kiosk-hub keys`); the terminal's own samples are signed with a key from its
//! configuration, and the demo's with the fixed demo key below (publicly known: it proves nothing outside the
//! demo).

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use ed25519_dalek::{Signature, Signer, SigningKey, Verifier, VerifyingKey};
use serde::{Deserialize, Serialize};

const PREFIX: &str = "ZWFW1";

/// What a licence's QR vouches for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Voucher {
    /// Document id.
    pub id: String,
    pub title: String,
    pub issuer: String,
    /// YYYY-MM-DD
    pub issued: String,
    /// YYYY-MM-DD: the electronic licence line's validity.
    pub until: String,
    /// The licence's key fields as printed.
    pub fields: Vec<(String, String)>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum VerifyError {
    #[error("not a licence verification code (it should start with {PREFIX}.)")]
    NotOurs,
    #[error("the code is damaged: {0}")]
    Damaged(String),
    #[error(
        "the signature does not match: the content was changed, or it was not signed by this key"
    )]
    BadSignature,
}

/// The demo's signing key (seed 32 × 0x5A). Public knowledge: it proves nothing outside the demo.
pub fn demo_key() -> SigningKey {
    SigningKey::from_bytes(&[0x5A; 32])
}

/// 32 bytes from 64 hex digits; `what` names them in the error.
fn key_bytes(hex: &str, what: &str) -> Result<[u8; 32], String> {
    let wrong = || format!("{what} is 64 hex digits");
    let bytes: Vec<u8> = (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(hex.get(i..i + 2).unwrap_or("zz"), 16))
        .collect::<Result<_, _>>()
        .map_err(|_| wrong())?;
    bytes.try_into().map_err(|_| wrong())
}

/// A public key from 64 hex digits.
pub fn parse_public_key(hex: &str) -> Result<VerifyingKey, String> {
    VerifyingKey::from_bytes(&key_bytes(hex, "a public key")?).map_err(|e| e.to_string())
}

/// A signing key from a file holding its secret seed as 64 hex digits (surrounding whitespace ignored).
pub fn read_signing_key(path: &std::path::Path) -> Result<SigningKey, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read the signing key {}: {e}", path.display()))?;
    let seed = key_bytes(text.trim(), "the signing key's seed")
        .map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(SigningKey::from_bytes(&seed))
}

pub fn public_key_hex(key: &VerifyingKey) -> String {
    key.as_bytes().iter().map(|b| format!("{b:02x}")).collect()
}

impl Voucher {
    /// The signed text the QR carries.
    pub fn sign(&self, key: &SigningKey) -> String {
        let payload = serde_json::to_vec(self).expect("a voucher serialises");
        let signature = key.sign(&payload);
        format!(
            "{PREFIX}.{}.{}",
            URL_SAFE_NO_PAD.encode(&payload),
            URL_SAFE_NO_PAD.encode(signature.to_bytes())
        )
    }

    /// Checks `text` against `key`; the voucher only when the signature holds.
    pub fn verify(text: &str, key: &VerifyingKey) -> Result<Voucher, VerifyError> {
        let mut parts = text.trim().split('.');
        if parts.next() != Some(PREFIX) {
            return Err(VerifyError::NotOurs);
        }
        let (Some(payload), Some(signature), None) = (parts.next(), parts.next(), parts.next())
        else {
            return Err(VerifyError::Damaged("it should have three parts".into()));
        };
        let payload = URL_SAFE_NO_PAD
            .decode(payload)
            .map_err(|e| VerifyError::Damaged(e.to_string()))?;
        let signature: [u8; 64] = URL_SAFE_NO_PAD
            .decode(signature)
            .map_err(|e| VerifyError::Damaged(e.to_string()))?
            .try_into()
            .map_err(|_| VerifyError::Damaged("the signature is not 64 bytes".into()))?;
        key.verify(&payload, &Signature::from_bytes(&signature))
            .map_err(|_| VerifyError::BadSignature)?;
        serde_json::from_slice(&payload).map_err(|e| VerifyError::Damaged(e.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn voucher() -> Voucher {
        Voucher {
            id: "LIC-1".into(),
            title: "营业执照信息".into(),
            issuer: "苏州市姑苏区市场监督管理局".into(),
            issued: "2026-11-23".into(),
            until: "2026-12-23".into(),
            fields: vec![("统一社会信用代码".into(), "91320508MA27XK3Q5B".into())],
        }
    }

    #[test]
    fn a_signed_voucher_verifies_and_any_changed_byte_does_not() {
        let key = demo_key();
        let text = voucher().sign(&key);
        assert_eq!(
            Voucher::verify(&text, &key.verifying_key()).unwrap(),
            voucher()
        );
        for at in [6, text.len() / 2, text.len() - 2] {
            let mut bytes = text.clone().into_bytes();
            bytes[at] = if bytes[at] == b'A' { b'B' } else { b'A' };
            let changed = String::from_utf8(bytes).unwrap();
            assert!(
                Voucher::verify(&changed, &key.verifying_key()).is_err(),
                "{at}"
            );
        }
        let other = SigningKey::from_bytes(&[7; 32]);
        assert_eq!(
            Voucher::verify(&text, &other.verifying_key()),
            Err(VerifyError::BadSignature)
        );
        assert_eq!(
            Voucher::verify("hello", &key.verifying_key()),
            Err(VerifyError::NotOurs)
        );
    }

    #[test]
    fn public_keys_travel_as_hex() {
        let key = demo_key().verifying_key();
        assert_eq!(parse_public_key(&public_key_hex(&key)).unwrap(), key);
        assert!(parse_public_key("12").is_err());
    }
}
