//! The hub end to end, in one test binary: its HTTP API and WebSocket relay on loopback over SQLite and
//! PostgreSQL (127.0.0.1:5432, database `test`), the catalogue import, fleet, tickets, the OpenAPI document
//! and the `kiosk-hub` command line.

/// The crash harness's kills and delays, shared with the terminal's (`tests/flows/crash.rs`).
#[path = "../../../tests/common/chaos.rs"]
mod chaos;
#[path = "../common/mod.rs"]
mod common;
/// The in-process hub's log copied for the scan of every log (shared with the terminal's tests).
#[path = "../../../tests/common/logs.rs"]
mod logs;

mod applications;
mod assist;
mod audit;
mod catalogue;
mod cli;
mod crash;
mod enterprises;
mod fleet;
mod openapi;
mod privacy;
mod review;
mod security;
mod services;
mod signin;
mod supplements;
mod tickets;
