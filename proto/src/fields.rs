//! The checks of an application's fields that the terminal makes as the citizen types and the hub makes
//! again on intake: the ID number's check character (GB 11643), the unified social credit code's
//! (GB 32100), a mobile number, a postcode. One piece of code for both sides.

/// GB 11643 (ISO 7064 MOD 11-2) check character for the first 17 digits of an 18-character number.
pub fn gb11643_check(first17: &str) -> Option<char> {
    const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    if first17.len() != 17 {
        return None;
    }
    let mut sum = 0;
    for (c, w) in first17.chars().zip(WEIGHTS) {
        sum += c.to_digit(10)? * w;
    }
    "10X98765432".chars().nth((sum % 11) as usize)
}

/// Whether an 18-character number (resident, residence permit, 2023 foreign card) carries its right check
/// character.
pub fn id_number_is_valid(id: &str) -> bool {
    id.len() == 18 && id.is_char_boundary(17) && gb11643_check(&id[..17]) == id[17..].chars().next()
}

/// The 31 characters of a unified social credit code, each worth its position (no I, O, S, V, Z).
pub const USCC_ALPHABET: &str = "0123456789ABCDEFGHJKLMNPQRTUWXY";

/// GB 32100-2015 check character for the first 17 characters of a unified social credit code: weights
/// 3^(i−1) mod 31, C = 31 − (Σ mod 31), 31 written as 0.
pub fn uscc_check(first17: &str) -> Option<char> {
    if first17.chars().count() != 17 {
        return None;
    }
    let mut sum = 0u32;
    let mut weight = 1u32;
    for c in first17.chars() {
        let value = USCC_ALPHABET.find(c)? as u32;
        sum += value * weight;
        weight = weight * 3 % 31;
    }
    let check = (31 - sum % 31) % 31;
    USCC_ALPHABET.chars().nth(check as usize)
}

/// Whether an 18-character unified social credit code carries its right check character. (The region,
/// characters 3 to 8, is not checked: the park's codes carry 320594, which GB/T 2260 does not list.)
pub fn uscc_is_valid(code: &str) -> bool {
    code.chars().count() == 18
        && code.is_char_boundary(17)
        && uscc_check(&code[..17]) == code[17..].chars().next()
}

/// A mainland mobile number as typed (spaces and dashes, `+86` or `86` before it), as 11 digits; none when
/// it is not one (`1`, then 3 to 9, then 9 digits).
pub fn mobile_number(typed: &str) -> Option<String> {
    let digits: String = typed
        .chars()
        .filter(|c| !matches!(c, ' ' | '-' | '\u{3000}'))
        .collect();
    let digits = digits
        .strip_prefix("+86")
        .or_else(|| digits.strip_prefix("86").filter(|rest| rest.len() == 11))
        .unwrap_or(&digits);
    let ok = digits.len() == 11
        && digits.chars().all(|c| c.is_ascii_digit())
        && digits.starts_with('1')
        && matches!(digits.as_bytes()[1], b'3'..=b'9');
    ok.then(|| digits.to_string())
}

/// A postcode: six digits (a mailing address may be anywhere in China: no prefix is required).
pub fn postcode_is_valid(code: &str) -> bool {
    code.len() == 6 && code.chars().all(|c| c.is_ascii_digit())
}

/// UPU S10 check digit of an item's 8-digit serial: weights 8,6,4,2,3,5,9,7; C = 11 − (Σ mod 11), 10 written
/// as 0 and 11 as 5.
pub fn s10_check(serial: &str) -> Option<char> {
    const WEIGHTS: [u32; 8] = [8, 6, 4, 2, 3, 5, 9, 7];
    if serial.len() != 8 {
        return None;
    }
    let mut sum = 0;
    for (c, w) in serial.chars().zip(WEIGHTS) {
        sum += c.to_digit(10)? * w;
    }
    let check = match 11 - sum % 11 {
        10 => 0,
        11 => 5,
        c => c,
    };
    char::from_digit(check, 10)
}

/// An EMS item number in the S10 shape (`EA123456785CN`): the service letters (EA–EZ: EMS), the serial,
/// its check digit and the country.
pub fn s10_number(service: &str, serial: u32, country: &str) -> Option<String> {
    let serial = format!("{serial:08}");
    let check = s10_check(&serial)?;
    let upper = |s: &str| s.len() == 2 && s.chars().all(|c| c.is_ascii_uppercase());
    (upper(service) && upper(country)).then(|| format!("{service}{serial}{check}{country}"))
}

/// Whether a waybill number in the S10 shape carries its right check digit (a number of another shape, such
/// as a domestic 13-digit one, is not checked here: the reference keeps those opaque).
pub fn s10_is_valid(number: &str) -> bool {
    let b = number.as_bytes();
    b.len() == 13
        && b[..2].iter().all(u8::is_ascii_uppercase)
        && b[11..].iter().all(u8::is_ascii_uppercase)
        && s10_check(&number[2..10]) == number[10..11].chars().next()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn id_numbers_of_the_reference() {
        assert!(id_number_is_valid("11010519491231002X"));
        assert!(!id_number_is_valid("110105194912310021"));
        assert!(!id_number_is_valid("1101051949123100２X"));
    }

    #[test]
    fn credit_codes_of_the_reference_and_the_standard() {
        // A published Suzhou code (苏州工业园区): its sum is a multiple of 31, so the check is 0.
        assert!(uscc_is_valid("91320594MA1MBC5030"));
        assert_eq!(uscc_check("91320594MA1MBC503"), Some('0'));
        // The standard's example.
        assert_eq!(uscc_check("91350100M000100Y4"), Some('3'));
        assert!(!uscc_is_valid("91320594MA1MBC5031"));
        // Letters the alphabet leaves out.
        assert_eq!(uscc_check("91320594MA1MBC5O3"), None);
        assert!(!uscc_is_valid("91320594MA1MBC503"));
    }

    #[test]
    fn s10_numbers_of_the_reference_and_the_standard() {
        assert_eq!(s10_check("12345678"), Some('5'));
        assert_eq!(s10_number("EA", 12_345_678, "CN").unwrap(), "EA123456785CN");
        // The edges: 10 is written 0, 11 is written 5.
        assert_eq!(s10_number("EA", 21_500_002, "CN").unwrap(), "EA215000020CN");
        assert_eq!(s10_number("EA", 21_500_005, "CN").unwrap(), "EA215000055CN");
        // Wikipedia's own.
        assert_eq!(s10_check("47312482"), Some('9'));
        assert!(s10_is_valid("EA123456785CN"));
        assert!(!s10_is_valid("EA123456784CN"));
        assert!(!s10_is_valid("EA12345678CN"));
        assert!(!s10_is_valid("ea123456785CN"));
        assert_eq!(s10_number("E1", 1, "CN"), None);
    }

    proptest::proptest! {
        /// Every number made checks, and one digit changed anywhere is caught, but for the one blind spot
        /// of the scheme itself: sums of remainder 0 and 6 both give the check digit 5.
        #[test]
        fn every_s10_number_checks_and_one_changed_digit_is_caught(serial in 0u32..100_000_000, at in 2usize..11, by in 1u8..10) {
            let number = s10_number("EA", serial, "CN").unwrap();
            proptest::prop_assert!(s10_is_valid(&number));
            let mut bytes = number.clone().into_bytes();
            bytes[at] = b'0' + (bytes[at] - b'0' + by) % 10;
            let changed = String::from_utf8(bytes).unwrap();
            let rest = |n: &str| {
                n[2..10].chars().zip([8, 6, 4, 2, 3, 5, 9, 7]).map(|(c, w)| c.to_digit(10).unwrap() * w).sum::<u32>() % 11
            };
            let blind = at < 10 && [rest(&number), rest(&changed)].iter().all(|r| [0, 6].contains(r));
            proptest::prop_assert!(blind || !s10_is_valid(&changed), "{} → {}", number, changed);
        }
    }

    #[test]
    fn mobile_numbers_and_postcodes() {
        assert_eq!(
            mobile_number("138 1234 5678").as_deref(),
            Some("13812345678")
        );
        assert_eq!(
            mobile_number("+86-138-1234-5678").as_deref(),
            Some("13812345678")
        );
        assert_eq!(
            mobile_number("8613812345678").as_deref(),
            Some("13812345678")
        );
        assert_eq!(mobile_number("12812345678"), None, "no 12x numbers");
        assert_eq!(
            mobile_number("0512-6666 8888"),
            None,
            "a landline is not a mobile"
        );
        assert_eq!(mobile_number("1381234567"), None);
        assert!(postcode_is_valid("215000"));
        assert!(postcode_is_valid("100000"), "anywhere in China");
        assert!(!postcode_is_valid("21500"));
        assert!(!postcode_is_valid("2150a0"));
    }
}
