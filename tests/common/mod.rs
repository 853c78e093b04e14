//! Helpers shared by the UI flow tests: a terminal, and the headless driving the library offers.
#![allow(dead_code, unused_imports)]

use kiosk::config::Config;
use kiosk::ui::{App, Startup};

pub use kiosk::ui::drive::{pump_link, run, screen, shows, simulator, tap};

pub mod console;
pub mod rig;

pub fn terminal() -> App {
    App::new(Startup::new(Ok(Config::default()), true))
}
