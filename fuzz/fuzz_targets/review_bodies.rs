//! Bytes from a browser at the back office's console and from the hub about what it holds: a reviewer's
//! decision, an admin's account form, a waybill typed from an EMS label, the facts held to prefill a form
//! and a 一件事 bundle part's name. None may panic; a waybill the hub keeps is letters and digits, and one
//! in the S10 shape carries its right check digit; a bundle part's department is a prefix of its name.
#![no_main]
use kiosk_hub::review::{waybill, AccountForm, Action};
use kiosk_proto::application::{bundle_part, HeldFacts};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = serde_json::from_slice::<Action>(data);
    let _ = serde_json::from_slice::<AccountForm>(data);
    let _ = serde_json::from_slice::<HeldFacts>(data);
    if let Ok(text) = std::str::from_utf8(data) {
        if let Ok(kept) = waybill(text) {
            assert!(kept.chars().all(|c| c.is_ascii_alphanumeric()));
            let s10 = kept.len() == 13
                && kept[..2].chars().all(|c| c.is_ascii_uppercase())
                && kept[2..11].chars().all(|c| c.is_ascii_digit())
                && kept[11..].chars().all(|c| c.is_ascii_uppercase());
            assert!(!s10 || kiosk_proto::fields::s10_is_valid(&kept), "{kept}");
        }
        let part = kiosk_proto::LocalText::new(text, text);
        let (department, _) = bundle_part(&part);
        assert!(text.contains(department.as_str()));
    }
});
