//! A scanned sign-in code (亮码) is outside bytes: never a panic; a code signed by the key checks only when
//! its bytes are the signed ones, says what every code says (a life of at most a minute, a valid number),
//! and verifies only within its minute. Any change to a genuine code's text is refused.
#![no_main]

use kiosk::domain::signin::{Claim, CodeProblem, MAX_LIFE_MS};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let key = kiosk_proto::verify::demo_key();
    let keys = [key.verifying_key()];
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let text = String::from_utf8_lossy(rest);
    let now = 1_790_000_000_000_i64 + i64::from(mode) * 1000;
    // Whatever arrives: an answer, never a panic; what verifies says what every code says.
    match Claim::verify(&text, &keys, now) {
        Ok(claim) => {
            assert!(claim.check().is_ok());
            assert!(claim.exp - claim.iat <= MAX_LIFE_MS && now <= claim.exp);
        }
        Err(CodeProblem::Used | CodeProblem::Offline) => {
            panic!("the terminal's own check never says what only the hub knows")
        }
        Err(_) => {}
    }
    // A genuine code with one byte of its text changed (where the fuzzer says) is refused.
    let genuine = Claim {
        nonce: "0123456789abcdef0123456789abcdef".into(),
        id: "11010519491231002X".into(),
        name: text.chars().filter(|c| !c.is_control()).take(64).collect::<String>(),
        iat: now,
        exp: now + MAX_LIFE_MS,
    };
    if genuine.check().is_err() {
        return;
    }
    let signed = genuine.sign(&key);
    assert_eq!(Claim::verify(&signed, &keys, now).as_ref(), Ok(&genuine));
    let mut bytes = signed.into_bytes();
    let at = usize::from(mode) % bytes.len();
    let replacement = rest.first().copied().unwrap_or(b'A');
    if bytes[at] != replacement && replacement.is_ascii_graphic() {
        bytes[at] = replacement;
        let changed = String::from_utf8_lossy(&bytes).into_owned();
        assert!(Claim::verify(&changed, &keys, now).is_err(), "{changed}");
    }
});
