//! Enrolment, heartbeats and the fleet: how a terminal joins the hub and tells it how it is.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// Sent once with the one-time code an operator created (`kiosk-hub enroll --hall NAME`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EnrollRequest {
    pub code: String,
    /// The terminal's name in the fleet (`[terminal] device_id`).
    pub device_id: String,
}

/// The terminal's credential: kept in the file `[hub] credential` names, sent as
/// `Authorization: Bearer DEVICE_ID.SECRET` with every request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EnrollReply {
    pub device_id: String,
    pub hall: String,
    pub credential: String,
}

/// Every 30 s ± 20 %: the devices' states, the outbox depth and the versions the terminal runs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct Heartbeat {
    /// Device name (`reader`, `printer`) → its state in words (`ready`, `fault: paper out`).
    pub devices: BTreeMap<String, String>,
    /// Records waiting in the terminal's outbox.
    pub outbox_depth: u64,
    pub software_version: String,
    /// The config and catalogue versions the terminal has (0: none yet).
    pub config_version: u64,
    pub catalogue_version: u64,
    /// The terminal's beat interval in ms (0: the default 30 s): three of them missed make it silent.
    #[serde(default)]
    pub interval_ms: u64,
    /// Unix ms of the oldest record still waiting to reach the hub (outbox or applications), if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub oldest_waiting_ms: Option<i64>,
    /// Print jobs sent and never confirmed either way (the journal's `unknown`).
    #[serde(default)]
    pub unknown_prints: u64,
    /// The terminal's clock when it sent the beat (Unix ms; 0: not told), for the clock-skew alert.
    #[serde(default)]
    pub clock_ms: i64,
    /// The hub's settings it did not take at `config_version`, and why.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub config_refused: Vec<crate::remote::Refusal>,
}

/// The hub's answer to a heartbeat: the current versions (a newer one means: fetch it) and pending commands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct HeartbeatReply {
    pub config_version: u64,
    pub catalogue_version: u64,
    pub commands: Vec<String>,
    /// The hub's clock (Unix ms), for the terminal's clock-skew check.
    pub server_time_ms: i64,
}

/// How a terminal is doing, as the fleet listing says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Liveness {
    /// Beat within the last three intervals and runs the current config and catalogue.
    Online,
    /// Beats, but has not picked up the current config or catalogue.
    Stale,
    /// Three beats missed (or never beat).
    Offline,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FleetEntry {
    pub device_id: String,
    pub hall: String,
    pub liveness: Liveness,
    /// Unix ms of the last heartbeat.
    pub last_beat_ms: Option<i64>,
    pub devices: BTreeMap<String, String>,
    pub outbox_depth: u64,
    pub software_version: String,
    /// The config and catalogue versions it runs.
    #[serde(default)]
    pub config_version: u64,
    #[serde(default)]
    pub catalogue_version: u64,
    /// Its beat interval in ms (0: the default).
    #[serde(default)]
    pub interval_ms: u64,
    /// Unix ms of its oldest record waiting to reach the hub.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub oldest_waiting_ms: Option<i64>,
    #[serde(default)]
    pub unknown_prints: u64,
    /// How far its clock was ahead of the hub's at its last beat (negative: behind).
    #[serde(default)]
    pub clock_skew_ms: i64,
    /// The hub's settings it did not take, and why.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub config_refused: Vec<crate::remote::Refusal>,
    /// Its update ring (empty: none).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub ring: String,
}

/// A terminal's beat interval when it does not say (the heartbeat's default).
pub const DEFAULT_BEAT_MS: i64 = 30_000;
/// Beats missed before a terminal counts as silent.
pub const MISSED_BEATS: i64 = 3;
/// The longest beat interval a terminal may say it keeps (a day); a heartbeat saying more is refused.
pub const MAX_BEAT_MS: u64 = 24 * 3600 * 1000;
/// Records waiting longer than this raise an alert.
pub const WAITING_TOO_LONG_MS: i64 = 3600 * 1000;
/// A terminal clock further than this from the hub's raises an alert (receipts, tickets and the signed QR
/// carry its times; `kiosk doctor` warns from 30 s).
pub const CLOCK_SKEW_MS: i64 = 60 * 1000;

/// Something at a terminal that needs a person: what the operators' console lists and the Prometheus rules
/// shipped with the hub (`kiosk-hub.rules.yml`) raise.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    utoipa::ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum AlertKind {
    /// An ID card left on the reader after its holder's session ended (the commonest incident).
    CardLeft,
    PaperOut,
    /// The printer's near-end sensor: a roll is needed soon.
    PaperLow,
    /// Any other printer fault: cover open, offline, an error, no answer.
    PrinterFault,
    ReaderFault,
    CameraFault,
    /// The 2D code scanner: receipts and the app's codes must be typed or the card used meanwhile.
    ScannerFault,
    /// No heartbeat for three of the terminal's intervals.
    Silent,
    /// A record has waited over an hour to reach the hub.
    RecordsWaiting,
    /// Print jobs whose outcome is unknown (a citizen may or may not have a document).
    UnknownPrints,
    /// The terminal's clock is off the hub's.
    ClockSkew,
}

impl AlertKind {
    pub const ALL: [AlertKind; 11] = [
        AlertKind::CardLeft,
        AlertKind::PaperOut,
        AlertKind::PaperLow,
        AlertKind::PrinterFault,
        AlertKind::ReaderFault,
        AlertKind::CameraFault,
        AlertKind::ScannerFault,
        AlertKind::Silent,
        AlertKind::RecordsWaiting,
        AlertKind::UnknownPrints,
        AlertKind::ClockSkew,
    ];

    /// The wire name (`paper_out`).
    pub fn name(self) -> &'static str {
        match self {
            AlertKind::CardLeft => "card_left",
            AlertKind::PaperOut => "paper_out",
            AlertKind::PaperLow => "paper_low",
            AlertKind::PrinterFault => "printer_fault",
            AlertKind::ReaderFault => "reader_fault",
            AlertKind::CameraFault => "camera_fault",
            AlertKind::ScannerFault => "scanner_fault",
            AlertKind::Silent => "silent",
            AlertKind::RecordsWaiting => "records_waiting",
            AlertKind::UnknownPrints => "unknown_prints",
            AlertKind::ClockSkew => "clock_skew",
        }
    }

    pub fn parse(name: &str) -> Option<AlertKind> {
        AlertKind::ALL.into_iter().find(|k| k.name() == name)
    }

    /// Whether it stops citizens being served (critical) or will soon, or needs a look (warning).
    pub fn critical(self) -> bool {
        matches!(
            self,
            AlertKind::CardLeft
                | AlertKind::PaperOut
                | AlertKind::PrinterFault
                | AlertKind::ReaderFault
                | AlertKind::Silent
                | AlertKind::UnknownPrints
        )
    }
}

/// The alerts a beat shows, each with its detail in a technician's words: device states as the terminal
/// reports them (`fault: cover open`), counts, the skew. `received_ms`: the hub's clock when it arrived.
/// The two that depend on time passing (silent, records waiting) are [`silent`] and [`waiting_too_long`].
pub fn beat_alerts(beat: &Heartbeat, received_ms: i64) -> BTreeMap<AlertKind, String> {
    let mut alerts = BTreeMap::new();
    let state = |device: &str| beat.devices.get(device).map(String::as_str).unwrap_or("");
    match state("printer") {
        "fault: paper out" => {
            alerts.insert(AlertKind::PaperOut, "fault: paper out".to_string());
        }
        "warning: paper low" => {
            alerts.insert(AlertKind::PaperLow, "warning: paper low".to_string());
        }
        fault if fault.starts_with("fault") => {
            alerts.insert(AlertKind::PrinterFault, fault.to_string());
        }
        _ => {}
    }
    for (device, kind) in [
        ("reader", AlertKind::ReaderFault),
        ("camera", AlertKind::CameraFault),
        ("scanner", AlertKind::ScannerFault),
    ] {
        if state(device).starts_with("fault") {
            alerts.insert(kind, state(device).to_string());
        }
    }
    if state("card").starts_with("left") {
        alerts.insert(AlertKind::CardLeft, state("card").to_string());
    }
    if beat.unknown_prints > 0 {
        alerts.insert(
            AlertKind::UnknownPrints,
            format!("{} print job(s) of unknown outcome", beat.unknown_prints),
        );
    }
    if beat.clock_ms != 0 {
        let ahead = beat.clock_ms.saturating_sub(received_ms);
        if ahead.unsigned_abs() > CLOCK_SKEW_MS.unsigned_abs() {
            alerts.insert(
                AlertKind::ClockSkew,
                format!(
                    "the terminal's clock is {} s {}",
                    ahead.unsigned_abs() / 1000,
                    if ahead > 0 { "ahead" } else { "behind" }
                ),
            );
        }
    }
    alerts
}

/// Whether a terminal that beats every `interval_ms` (0: the default) and last beat at `last_beat_ms` is
/// silent at `now_ms`.
pub fn silent(last_beat_ms: i64, interval_ms: i64, now_ms: i64) -> bool {
    let interval = if interval_ms > 0 {
        interval_ms
    } else {
        DEFAULT_BEAT_MS
    };
    now_ms.saturating_sub(last_beat_ms) > interval.saturating_mul(MISSED_BEATS)
}

/// Since when records have waited too long at `now_ms`, when the oldest has waited since `oldest_ms`.
pub fn waiting_too_long(oldest_ms: Option<i64>, now_ms: i64) -> Option<i64> {
    oldest_ms
        .map(|oldest| oldest.saturating_add(WAITING_TOO_LONG_MS))
        .filter(|since| *since < now_ms)
}

/// An alert raised at a terminal, with when it started.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Alert {
    pub device_id: String,
    pub hall: String,
    pub kind: AlertKind,
    /// Unix ms (the hub's clock) when the condition started.
    pub since_ms: i64,
    /// In a technician's words: the device state, a count, the skew.
    pub detail: String,
    pub critical: bool,
}

/// Every error the hub answers with: a status code and this body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ApiError {
    pub error: String,
}

/// A record the terminal must deliver exactly once (a print job's end, a rating, an audit event). Its id is
/// made by the terminal when the record is written, so a batch sent again changes nothing at the hub.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Event {
    pub id: String,
    /// `print_job`, `rating`, `audit` …
    pub kind: String,
    /// Unix ms on the terminal's clock.
    pub occurred_ms: i64,
    #[schema(value_type = Object)]
    pub body: serde_json::Value,
}

/// One upload from the outbox (at most [`MAX_BATCH`] events).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EventBatch {
    pub events: Vec<Event>,
}

pub const MAX_BATCH: usize = 500;

/// A terminal's new credential (`POST /v1/credential`, asked by the `rotate_credential` command): its old
/// one works until this one is first presented.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CredentialReply {
    pub credential: String,
}

/// The event kind of a service-mode audit record (`{"action": …, "detail": …, "at": …}`): the hub appends it
/// to its audit chain, as it does remote guidance's ([`crate::assist::AUDIT_EVENT`]).
pub const SERVICE_AUDIT_EVENT: &str = "service";

/// What the hub did with a batch: every id in it is now stored (new ones counted apart from repeats).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EventReceipt {
    pub stored: u64,
    pub repeated: u64,
}

/// A queue ticket asked for at a terminal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TicketRequest {
    /// The catalogue's service id (or a counter's name).
    pub service: String,
    /// The terminal's id for this tap (1 to 64 characters): sent again with the same id after a lost
    /// answer, it gets the same ticket back, never a second one.
    #[serde(default)]
    pub request_id: Option<String>,
}

/// A queue ticket: numbered per hall, service and day (China time) from 1, without gaps or repeats, whichever
/// terminal asked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TicketReply {
    pub hall: String,
    pub service: String,
    /// `2026-11-23`
    pub day: String,
    pub number: u64,
    /// Tickets of the same service taken earlier today and still waiting.
    pub waiting: u64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn silence_is_judged_without_overflow_whatever_a_row_holds() {
        assert!(silent(0, 30_000, 90_001));
        assert!(!silent(0, 30_000, 90_000));
        assert!(!silent(0, i64::MAX, i64::MAX));
        assert!(silent(i64::MIN, 30_000, i64::MAX));
        assert!(!silent(i64::MAX, i64::MAX, i64::MIN));
        assert_eq!(waiting_too_long(Some(i64::MAX), i64::MAX), None);
        // A clock from the far ends of time is skewed, not a panic.
        for clock_ms in [i64::MIN, i64::MAX] {
            let beat = Heartbeat {
                clock_ms,
                ..Heartbeat::default()
            };
            assert!(beat_alerts(&beat, 1_800_000_000_000).contains_key(&AlertKind::ClockSkew));
        }
        assert_eq!(
            waiting_too_long(Some(0), WAITING_TOO_LONG_MS + 1),
            Some(WAITING_TOO_LONG_MS)
        );
    }

    fn beat(devices: &[(&str, &str)]) -> Heartbeat {
        Heartbeat {
            devices: devices
                .iter()
                .map(|(d, s)| (d.to_string(), s.to_string()))
                .collect(),
            ..Heartbeat::default()
        }
    }

    #[test]
    fn a_beat_raises_what_needs_a_person_and_nothing_else() {
        let healthy = beat(&[
            ("reader", "ready"),
            ("printer", "ready"),
            ("camera", "disabled: not configured"),
            ("card", "none left"),
        ]);
        assert!(beat_alerts(&healthy, 0).is_empty());
        let kinds = |b: &Heartbeat| beat_alerts(b, 1_000_000).into_keys().collect::<Vec<_>>();
        assert_eq!(
            kinds(&beat(&[("printer", "fault: paper out")])),
            [AlertKind::PaperOut]
        );
        assert_eq!(
            kinds(&beat(&[("printer", "warning: paper low")])),
            [AlertKind::PaperLow]
        );
        assert_eq!(
            kinds(&beat(&[
                ("printer", "fault: cover open"),
                ("reader", "fault: no response"),
                ("camera", "fault: not connected"),
                ("card", "left on the reader: take it to the desk"),
            ])),
            [
                AlertKind::CardLeft,
                AlertKind::PrinterFault,
                AlertKind::ReaderFault,
                AlertKind::CameraFault
            ]
        );
        let mut odd = healthy.clone();
        odd.unknown_prints = 2;
        odd.clock_ms = 1_000_000 - 61_000;
        let alerts = beat_alerts(&odd, 1_000_000);
        assert_eq!(
            alerts[&AlertKind::ClockSkew],
            "the terminal's clock is 61 s behind"
        );
        assert!(alerts.contains_key(&AlertKind::UnknownPrints));
        odd.clock_ms = 1_000_000 + 59_000;
        assert!(!beat_alerts(&odd, 1_000_000).contains_key(&AlertKind::ClockSkew));
    }

    #[test]
    fn silence_is_three_of_the_terminals_own_beats_and_waiting_starts_after_an_hour() {
        assert!(!silent(0, 1000, 3000) && silent(0, 1000, 3001));
        assert!(!silent(0, 0, 90_000) && silent(0, 0, 90_001));
        assert_eq!(waiting_too_long(None, 10), None);
        assert_eq!(waiting_too_long(Some(0), WAITING_TOO_LONG_MS), None);
        assert_eq!(
            waiting_too_long(Some(0), WAITING_TOO_LONG_MS + 1),
            Some(WAITING_TOO_LONG_MS)
        );
        for kind in AlertKind::ALL {
            assert_eq!(AlertKind::parse(kind.name()), Some(kind));
        }
    }

    use proptest::prelude::*;

    proptest! {
        /// Whatever a terminal reports, the alerts are judged without a panic, each with its words, and a
        /// healthy report (every part ready, no card left, nothing unknown, the clock right) raises none.
        #[test]
        fn any_report_is_judged_and_a_healthy_one_raises_nothing(
            devices in proptest::collection::btree_map("(reader|printer|camera|card|[a-z]{1,6})", "\\PC{0,30}", 0..6),
            unknown in 0u64..5,
            skew in -200_000i64..200_000,
        ) {
            let beat = Heartbeat {
                devices: devices.clone(),
                unknown_prints: unknown,
                clock_ms: 1_000_000_000 + skew,
                ..Heartbeat::default()
            };
            for (kind, detail) in beat_alerts(&beat, 1_000_000_000) {
                prop_assert!(!detail.is_empty(), "{:?}", kind);
                prop_assert_eq!(kind.critical(), AlertKind::parse(kind.name()).unwrap().critical());
            }
            let healthy = Heartbeat {
                devices: devices.keys().map(|d| (d.clone(), "ready".to_string())).collect(),
                clock_ms: 1_000_000_000 + skew.clamp(-CLOCK_SKEW_MS, CLOCK_SKEW_MS),
                ..Heartbeat::default()
            };
            prop_assert!(beat_alerts(&healthy, 1_000_000_000).is_empty());
        }
    }

    #[test]
    fn an_older_terminals_beat_is_still_read() {
        let old = r#"{"devices":{},"outbox_depth":0,"software_version":"0.1","config_version":0,"catalogue_version":0}"#;
        let beat: Heartbeat = serde_json::from_str(old).unwrap();
        assert_eq!(beat.interval_ms, 0);
        assert_eq!(beat.oldest_waiting_ms, None);
    }
}
