//! Outside bytes of the security controls: a `[hub] ca` file's PEM text (the terminal's only trusted CAs),
//! a terminal's audit event as the hub turns it into an audit-chain record, and a new credential's reply.
//! None may panic; an audit record names its terminal and keeps its step short.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(roots) = kiosk::sync::client::roots_in(data) {
        assert!(!roots.is_empty());
    }
    let _ = serde_json::from_slice::<kiosk_proto::fleet::CredentialReply>(data);
    if let Ok(batch) = serde_json::from_slice::<kiosk_proto::fleet::EventBatch>(data) {
        for event in &batch.events {
            if let Some(entry) = kiosk_hub::events::audit_of("SZ-0001", event) {
                assert_eq!(entry.actor, "terminal:SZ-0001");
                assert!(entry.action.chars().count() <= "assist.".len() + 64);
                assert!(!entry.target.is_empty());
            }
        }
    }
});
