//! Properties of the code scanner's stream: codes joined by any suffix (CR, LF, CR LF) and split into reads
//! anywhere come out whole, in order, once; any bytes at all never panic, and every line the stream held is
//! one outcome (a code, garbage, or half a code at the end).

use kiosk::device::scanner::stream::{Codes, Scanned, MAX_CODE_BYTES};
use proptest::prelude::*;

fn code() -> impl Strategy<Value = String> {
    // Printable text, Chinese included; no CR or LF (they end a code).
    proptest::string::string_regex("[ -~\u{4e00}-\u{4e20}]{1,80}").unwrap()
}

fn suffix() -> impl Strategy<Value = &'static [u8]> {
    prop_oneof![Just(&b"\r"[..]), Just(&b"\n"[..]), Just(&b"\r\n"[..])]
}

/// `bytes` pushed in reads of the given sizes; everything that came out, then what a flush gives.
fn decode(bytes: &[u8], reads: &[usize]) -> Vec<Scanned> {
    let mut codes = Codes::new();
    let mut out = Vec::new();
    let mut rest = bytes;
    let mut sizes = reads.iter().cycle();
    while !rest.is_empty() {
        let n = (*sizes.next().unwrap_or(&1)).clamp(1, rest.len());
        out.extend(codes.push(&rest[..n]));
        rest = &rest[n..];
    }
    out.extend(codes.flush());
    out
}

proptest! {
    #[test]
    fn codes_with_any_suffix_split_anywhere_come_out_whole_in_order(
        sent in proptest::collection::vec((code(), suffix()), 1..12),
        reads in proptest::collection::vec(1usize..64, 1..8),
    ) {
        let bytes: Vec<u8> = sent
            .iter()
            .flat_map(|(code, suffix)| [code.as_bytes(), suffix].concat())
            .collect();
        let got = decode(&bytes, &reads);
        let want: Vec<Scanned> = sent.iter().map(|(code, _)| Scanned::Code(code.clone())).collect();
        prop_assert_eq!(got, want);
    }

    #[test]
    fn any_bytes_give_outcomes_never_a_panic_and_no_code_longer_than_allowed(
        bytes in proptest::collection::vec(any::<u8>(), 0..4000),
        reads in proptest::collection::vec(1usize..512, 1..8),
    ) {
        for scanned in decode(&bytes, &reads) {
            match scanned {
                Scanned::Code(text) => {
                    prop_assert!(!text.is_empty() && text.len() <= MAX_CODE_BYTES);
                    prop_assert!(!text.contains('\r') && !text.contains('\n'));
                }
                Scanned::Garbage { bytes, .. } | Scanned::Partial { bytes } => prop_assert!(bytes > 0),
            }
        }
    }

    #[test]
    fn a_code_cut_before_its_suffix_is_half_a_code_never_a_code(code in code(), cut in 1usize..80) {
        let cut = cut.min(code.len());
        let got = decode(&code.as_bytes()[..cut], &[7]);
        prop_assert_eq!(got, vec![Scanned::Partial { bytes: cut }]);
    }

    #[test]
    fn a_receipts_qr_and_its_barcode_give_back_the_case_number(
        number in "[A-Z]{2,8}[0-9]{4,20}",
        host in "[a-z]{1,12}(\\.[a-z]{2,8}){1,3}",
    ) {
        use kiosk::domain::receipt::case_number;
        let url = format!("https://{host}/progress?case={number}");
        prop_assert_eq!(case_number(&url), Some(number.clone()));
        prop_assert_eq!(case_number(&number.to_lowercase()), Some(number.clone()));
        prop_assert_eq!(case_number(&format!("https://{host}/verify?case={number}")), None);
    }
}
