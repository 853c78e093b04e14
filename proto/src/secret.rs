//! Secrets kept only as argon2 hashes (PHC strings): staff passwords at the hub, the technicians' PINs (a
//! terminal's own, and those the hub issues). One way to hash and check, on both sides.

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;

/// The stored form of `secret`: an argon2id PHC string with a fresh random salt.
pub fn hash(secret: &str) -> String {
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt).expect("the operating system's random source");
    let salt = SaltString::encode_b64(&salt).expect("16 bytes make a salt");
    Argon2::default()
        .hash_password(secret.as_bytes(), &salt)
        .expect("argon2 hashes any secret")
        .to_string()
}

/// Whether `stored` is a PHC string this module can check against.
pub fn is_hash(stored: &str) -> bool {
    PasswordHash::new(stored).is_ok()
}

/// Whether `secret` matches `stored`; `None` when `stored` is not a hash at all.
pub fn verify(stored: &str, secret: &str) -> Option<bool> {
    let parsed = PasswordHash::new(stored).ok()?;
    Some(
        Argon2::default()
            .verify_password(secret.as_bytes(), &parsed)
            .is_ok(),
    )
}

/// A service PIN's shortest and longest length (typed on the terminal's keypad).
pub const PIN_MIN_DIGITS: usize = 6;
pub const PIN_MAX_DIGITS: usize = 12;

/// Whether `pin` may be set as a service PIN (a terminal's own, or a technician's at the hub).
pub fn check_pin(pin: &str) -> Result<(), String> {
    if !pin.chars().all(|c| c.is_ascii_digit()) {
        return Err("the PIN is digits only (it is typed on the screen's keypad)".into());
    }
    if !(PIN_MIN_DIGITS..=PIN_MAX_DIGITS).contains(&pin.len()) {
        return Err(format!(
            "the PIN has {PIN_MIN_DIGITS} to {PIN_MAX_DIGITS} digits, not {}",
            pin.len()
        ));
    }
    if pin.chars().all(|c| pin.starts_with(c)) || "01234567890123".contains(pin) {
        return Err("the PIN is too easy to guess (all one digit, or a run like 123456)".into());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hash_checks_its_secret_only() {
        let stored = hash("246810");
        assert!(stored.starts_with("$argon2id$"));
        assert!(is_hash(&stored));
        assert_eq!(verify(&stored, "246810"), Some(true));
        assert_eq!(verify(&stored, "246811"), Some(false));
        assert_ne!(stored, hash("246810"), "every hash has its own salt");
        assert_eq!(verify("not a hash", "246810"), None);
        assert!(!is_hash("1234"));
    }
}
