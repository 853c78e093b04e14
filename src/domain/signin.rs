//! 亮码: the citizen's signed dynamic code (the format and its checks are shared with the hub, in
//! `kiosk-proto`), and the identity a genuine code signs in: what the code names and what its ID number
//! says (birth date and sex), and nothing it does not carry (no address, no photo).

pub use kiosk_proto::signin::*;

use crate::domain::identity::{CardDate, CardType, Identity, Sex, Validity};

/// The holder a checked code names.
pub fn identity(claim: &Claim) -> Identity {
    let id = claim.id.to_uppercase();
    let sex = match id.as_bytes().get(16) {
        Some(digit) if digit.is_ascii_digit() && (digit - b'0') % 2 == 1 => Sex::Male,
        Some(digit) if digit.is_ascii_digit() => Sex::Female,
        _ => Sex::Unknown,
    };
    let mut holder = Identity::default();
    holder.card_type = CardType::Resident;
    holder.name = claim.name.clone();
    holder.sex = sex;
    holder.birth = id
        .get(6..14)
        .and_then(CardDate::from_digits)
        .unwrap_or_default();
    holder.id_number = id;
    holder.valid_to = Validity::LongTerm;
    holder
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_codes_holder_with_birth_and_sex_from_the_number() {
        let claim = Claim {
            nonce: "0".repeat(32),
            id: "11010519491231002x".into(),
            name: "张三".into(),
            iat: 0,
            exp: 60_000,
        };
        let holder = identity(&claim);
        assert_eq!(holder.id_number, "11010519491231002X");
        assert_eq!(holder.birth.to_string(), "1949-12-31");
        assert_eq!(holder.sex, Sex::Female);
        assert_eq!(holder.name, "张三");
        assert!(holder.address.is_none() && holder.photo.is_empty());
    }
}
