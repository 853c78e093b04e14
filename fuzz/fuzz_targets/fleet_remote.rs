//! What crosses the wire for fleet operations: a heartbeat (parsed by the hub, its alerts and silence judged), the
//! settings a terminal fetches, a command's wire form, a command's answer, and a technicians' list with its
//! signature (opened only with the right key). None may panic; what parses says the same once written
//! again; a list signed by another key never opens.
#![no_main]

use kiosk_proto::fleet::{beat_alerts, silent, waiting_too_long, Heartbeat};
use kiosk_proto::remote::{Command, CommandResult, SettingsReply, SignedList};
use libfuzzer_sys::fuzz_target;

fn again<T: serde::Serialize + serde::de::DeserializeOwned + PartialEq + std::fmt::Debug>(text: &str) {
    if let Ok(value) = serde_json::from_str::<T>(text) {
        let written = serde_json::to_string(&value).unwrap();
        assert_eq!(serde_json::from_str::<T>(&written).unwrap(), value);
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(beat) = serde_json::from_str::<Heartbeat>(text) {
        for (kind, detail) in beat_alerts(&beat, 1_800_000_000_000) {
            assert!(!detail.is_empty(), "{kind:?}");
        }
        // The fleet listing judges silence from what the beat said (an interval of ages overflowed once).
        let interval = i64::try_from(beat.interval_ms).unwrap_or(i64::MAX);
        let last = beat.oldest_waiting_ms.unwrap_or_default();
        let _ = silent(last, interval, i64::MAX);
        let _ = silent(last, interval, i64::MIN);
        let _ = waiting_too_long(beat.oldest_waiting_ms, 1_800_000_000_000);
    }
    again::<Heartbeat>(text);
    again::<SettingsReply>(text);
    again::<CommandResult>(text);
    if let Some((command, id)) = Command::from_wire(text) {
        if let Some(id) = id {
            assert_eq!(Command::from_wire(&command.to_wire(id)), Some((command, Some(id))));
        }
    }
    if let Ok(signed) = serde_json::from_str::<SignedList>(text) {
        let stranger = ed25519_dalek::SigningKey::from_bytes(&[9; 32]).verifying_key();
        let _ = signed.open(&[]);
        assert!(signed.open(&[stranger]).is_err());
    }
});
