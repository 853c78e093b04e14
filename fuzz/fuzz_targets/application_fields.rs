//! What a citizen types into an application's fields: every check takes any text without panicking, and
//! what it accepts has the shape it promises.
#![no_main]
use kiosk_proto::fields::{
    id_number_is_valid, mobile_number, postcode_is_valid, uscc_check, uscc_is_valid,
};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Some(number) = mobile_number(text) {
        assert!(number.len() == 11 && number.starts_with('1'));
        assert_eq!(mobile_number(&number), Some(number.clone()));
    }
    if postcode_is_valid(text) {
        assert_eq!(text.len(), 6);
    }
    if uscc_is_valid(text) {
        assert_eq!(uscc_check(&text[..17]), text[17..].chars().next());
    }
    let _ = id_number_is_valid(text);
});
