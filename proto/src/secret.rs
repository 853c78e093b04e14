//! Secrets kept only as argon2 hashes (PHC strings): staff passwords at the hub, the technicians' PIN on a
//! terminal. One way to hash and check, on both sides.

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
