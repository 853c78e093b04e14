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
