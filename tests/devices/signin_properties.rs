//! Properties of the sign-in code (亮码): any claim the hub may sign comes back whole within its minute and
//! is refused after it; any change to a code's text, another key, or any text at all never signs anyone in
//! wrongly and never panics.

use kiosk::domain::signin::{is_code, Claim, CodeProblem, MAX_LIFE_MS, SKEW_MS};
use kiosk_proto::fields::gb11643_check;
use proptest::prelude::*;

/// A valid resident ID number from 17 digits.
fn id_number() -> impl Strategy<Value = String> {
    "[1-6][0-9]{5}(19[0-9]{2}|20[0-2][0-9])(0[1-9]|1[0-2])(0[1-9]|1[0-9]|2[0-8])[0-9]{3}"
        .prop_map(|first17| format!("{first17}{}", gb11643_check(&first17).expect("17 digits")))
}

fn claim() -> impl Strategy<Value = Claim> {
    (
        "[0-9a-f]{32}",
        id_number(),
        "[\u{4e00}-\u{9fa5}·A-Za-z ]{1,20}",
        1_700_000_000_000i64..1_900_000_000_000,
        1..=MAX_LIFE_MS,
    )
        .prop_map(|(nonce, id, name, iat, life)| Claim {
            nonce,
            id,
            name,
            iat,
            exp: iat + life,
        })
}

proptest! {
    #[test]
    fn a_signed_claim_comes_back_whole_within_its_minute_and_not_after(
        claim in claim(),
        into in 0f64..=1.0,
    ) {
        let key = kiosk_proto::verify::demo_key();
        let keys = [key.verifying_key()];
        let text = claim.sign(&key);
        prop_assert!(is_code(&text));
        let at = claim.iat + ((claim.exp - claim.iat) as f64 * into) as i64;
        prop_assert_eq!(Claim::verify(&text, &keys, at), Ok(claim.clone()));
        // The scanner's suffix trimmed or not, the same.
        prop_assert_eq!(Claim::verify(&format!("{text}\r\n"), &keys, at), Ok(claim.clone()));
        prop_assert_eq!(Claim::verify(&text, &keys, claim.exp + 1), Err(CodeProblem::Expired));
        prop_assert_eq!(
            Claim::verify(&text, &keys, claim.iat - SKEW_MS - 1),
            Err(CodeProblem::Expired)
        );
    }

    #[test]
    fn any_changed_character_or_another_key_signs_no_one_in(
        claim in claim(),
        at in any::<prop::sample::Index>(),
        with in "[A-Za-z0-9_.-]",
        seed in any::<[u8; 32]>(),
    ) {
        let key = kiosk_proto::verify::demo_key();
        let keys = [key.verifying_key()];
        let text = claim.sign(&key);
        let mut chars: Vec<char> = text.chars().collect();
        let i = at.index(chars.len());
        let replacement = with.chars().next().unwrap();
        prop_assume!(chars[i] != replacement);
        chars[i] = replacement;
        let changed: String = chars.into_iter().collect();
        prop_assert!(Claim::verify(&changed, &keys, claim.iat).is_err());
        let other = ed25519_dalek::SigningKey::from_bytes(&seed);
        prop_assume!(other.verifying_key() != key.verifying_key());
        prop_assert_eq!(
            Claim::verify(&text, &[other.verifying_key()], claim.iat),
            Err(CodeProblem::Forged)
        );
    }

    #[test]
    fn any_text_gets_an_answer_and_never_a_holder(text in ".{0,400}", now in any::<i64>()) {
        let keys = [kiosk_proto::verify::demo_key().verifying_key()];
        prop_assert!(Claim::verify(&text, &keys, now).is_err());
        let prefixed = format!("ZWID1.{}", text);
        prop_assert!(Claim::verify(&prefixed, &keys, now).is_err());
    }
}
