//! What technicians use, in one test binary: service mode on the screen (`service_mode`), and `kiosk doctor`,
//! `kiosk ports` and `kiosk pin set` on the command line (`doctor`).

#[path = "../common/mod.rs"]
mod common;

mod doctor;
mod service_mode;
