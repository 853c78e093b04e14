//! Bytes from the network between terminal and hub: every request and reply body of the case, document,
//! claim, ticket and event endpoints, a signed document opened with a key, and a licence code checked. None
//! may panic; a rating that passes its check is one the hub stores; any case the hub sends makes a progress
//! record that renders for both printer widths.
#![no_main]

use kiosk_proto::fleet::EventBatch;
use kiosk_proto::service::{
    CaseDetail, CaseQuery, ClaimReply, ClaimRequest, DocumentEntry, HolderQuery, Rating, VerifyReply,
};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = serde_json::from_slice::<CaseQuery>(data);
    let _ = serde_json::from_slice::<HolderQuery>(data);
    let _ = serde_json::from_slice::<ClaimRequest>(data);
    if let Ok(case) = serde_json::from_slice::<CaseDetail>(data) {
        let record = kiosk::journey::progress_record(&case, "2026-11-23 09:30");
        for profile in [
            kiosk::device::printer::Profile::MM58,
            kiosk::device::printer::Profile::MM80,
        ] {
            // Too long for the paper is an error the screen shows; never a panic.
            let _ = kiosk::device::printer::encode::render(&record, &profile);
        }
    }
    let _ = serde_json::from_slice::<Vec<CaseDetail>>(data);
    let _ = serde_json::from_slice::<Vec<DocumentEntry>>(data);
    let _ = serde_json::from_slice::<kiosk_proto::fleet::TicketReply>(data);
    if let Ok(request) = serde_json::from_slice::<kiosk_proto::fleet::TicketRequest>(data) {
        let written = serde_json::to_vec(&request).unwrap();
        assert_eq!(
            serde_json::from_slice::<kiosk_proto::fleet::TicketRequest>(&written).unwrap(),
            request
        );
    }
    let _ = serde_json::from_slice::<VerifyReply>(data);
    if let Ok(rating) = serde_json::from_slice::<Rating>(data) {
        if rating.check().is_ok() {
            assert!(Rating::LEVELS.contains(&rating.level));
            assert!(rating.level <= 2 || rating.tags.is_empty());
        }
    }
    if let Ok(batch) = serde_json::from_slice::<EventBatch>(data) {
        for event in batch.events {
            let _ = serde_json::from_value::<Rating>(event.body);
        }
    }
    let key = kiosk_proto::verify::demo_key();
    if let Ok(ClaimReply::Granted { document, .. }) = serde_json::from_slice::<ClaimReply>(data) {
        // Whatever arrives opens only if the key signed exactly its text.
        if let Ok(opened) = document.open(&[key.verifying_key()]) {
            opened.check().unwrap();
        }
    }
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = kiosk_proto::verify::Voucher::verify(text, &key.verifying_key());
    }
});
