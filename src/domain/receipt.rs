//! What a scanned code says about a case: the QR every receipt of this terminal carries
//! (`https://…/progress?case=NUMBER`), or the Code128 on receipts and progress records (the number alone).

/// The shortest and longest case numbers (the keypad's limit).
const SHORTEST: usize = 6;
const LONGEST: usize = 32;

/// The case number a scanned code names, in capitals; `None` for any other code (a licence's verification
/// QR, a payment code, a product's barcode).
pub fn case_number(code: &str) -> Option<String> {
    let code = code.trim();
    let candidate = match code.split_once("://") {
        Some((scheme, rest)) => {
            if !scheme.eq_ignore_ascii_case("https") && !scheme.eq_ignore_ascii_case("http") {
                return None;
            }
            let (path, query) = rest.split_once('?')?;
            if !path.trim_end_matches('/').ends_with("/progress") {
                return None;
            }
            query
                .split('&')
                .find_map(|pair| pair.strip_prefix("case="))?
        }
        None => code,
    };
    let number = candidate.to_ascii_uppercase();
    let plausible = (SHORTEST..=LONGEST).contains(&number.len())
        && number.bytes().all(|b| b.is_ascii_alphanumeric())
        && number.bytes().any(|b| b.is_ascii_digit());
    plausible.then_some(number)
}

#[cfg(test)]
mod tests {
    use super::case_number;

    #[test]
    fn a_receipts_qr_and_its_barcode_name_the_case_and_other_codes_do_not() {
        let number = Some("SBSZDEMO0001000012".to_string());
        assert_eq!(
            case_number("https://zwfw.suzhou.gov.cn/progress?case=SBSZDEMO0001000012"),
            number
        );
        assert_eq!(case_number("SBSZDEMO0001000012"), number);
        assert_eq!(case_number(" sbszdemo0001000012\t"), number);
        assert_eq!(
            case_number("http://hall.local/progress/?lang=en&case=SZ2026112000022"),
            Some("SZ2026112000022".into())
        );
        for other in [
            "",
            "https://zwfw.suzhou.gov.cn/verify?case=SZ2026112000022",
            "https://zwfw.suzhou.gov.cn/progress?id=SZ2026112000022",
            "https://zwfw.suzhou.gov.cn/progress?case=SZ-2026",
            "weixin://wxpay/bizpayurl?pr=abc123",
            "ABCDEFGH",
            "12345",
            "KIOSK1.eyJ0aXRsZSI6IuWxhSJ9.c2lnbmF0dXJl",
            &"9".repeat(33),
        ] {
            assert_eq!(case_number(other), None, "{other}");
        }
    }
}
