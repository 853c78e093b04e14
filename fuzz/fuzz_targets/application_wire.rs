//! Bytes from the network about applications: a service's application definition (as the catalogue
//! carries it), an application as a terminal sends it, the hub's receipts and upload answers, and a form
//! field's value checked against each field of the form. None may panic; a definition that passes its
//! check takes any value in any field; an application that parses checks against a form without panicking
//! and keeps its page list free of repeats; a 补正 checks against each form narrowed to the items it gives,
//! and a narrowed form holds only those items, each required.
#![no_main]
use kiosk_proto::application::{
    Application, ApplicationForm, ApplicationReceipt, Asked, Date, Elicence, PageQuery,
    UploadStatus, UploadTicket,
};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let today = Date::new(2026, 12, 6).unwrap();
    if let Ok(form) = serde_json::from_slice::<ApplicationForm>(data) {
        if form.check().is_ok() {
            for field in &form.fields {
                for value in ["", "张", "13812345678", "2026-12-06", "91320594MA1MBC5030", "x".repeat(300).as_str()] {
                    if let Ok(kept) = field.check(value, today) {
                        // What a check keeps passes it again.
                        assert_eq!(field.check(&kept, today), Ok(kept.clone()));
                    }
                }
            }
        }
    }
    if let Ok(application) = serde_json::from_slice::<Application>(data) {
        let pages = application.pages();
        let unique: std::collections::HashSet<_> = pages.iter().map(|p| &p.sha256).collect();
        assert_eq!(unique.len(), pages.len());
        let _ = application.signed_digest();
        let catalogue = kiosk_proto::catalogue::Catalogue::from_json(
            include_str!("../../assets/catalogue.json"),
            "catalogue.json",
        )
        .unwrap();
        for service in &catalogue.services {
            if let Some(form) = &service.application {
                let _ = application.check(form, today);
                let ids: Vec<String> = application
                    .values
                    .iter()
                    .map(|v| v.id.clone())
                    .chain(application.materials.iter().map(|m| m.id.clone()))
                    .collect();
                let narrowed = form.narrowed(&ids);
                assert!(narrowed.fields.iter().all(|f| f.required && ids.contains(&f.id)));
                assert!(narrowed.materials.iter().all(|m| m.required && ids.contains(&m.id)));
                assert!(narrowed.bundle.is_empty());
                let _ = application.check(&narrowed, today);
            }
        }
    }
    let _ = serde_json::from_slice::<ApplicationReceipt>(data);
    let _ = serde_json::from_slice::<Asked>(data);
    let _ = serde_json::from_slice::<Vec<Elicence>>(data);
    let _ = serde_json::from_slice::<PageQuery>(data);
    let _ = serde_json::from_slice::<UploadTicket>(data);
    let _ = serde_json::from_slice::<UploadStatus>(data);
});
