//! The terminal's flows end to end, in one test binary: the citizen's screens through the real widgets
//! (iced_test, tiny-skia), the journeys against a real hub on loopback, remote guidance with the staff
//! console in headless Chromium, the hub sync, and what technicians use (service mode, `kiosk doctor`).

#[path = "../common/mod.rs"]
mod common;

mod application_delivery;
mod applications;
mod assist;
mod card_flow;
mod console_browser;
mod crash;
mod doctor;
mod enterprise;
mod fleet_browser;
mod hub_sync;
mod journeys;
mod phone_upload;
mod print_flow;
mod review_browser;
mod scan;
mod service_mode;
mod ui_flows;
