//! Helpers shared by the UI flow tests: a terminal, and the headless driving the library offers.
#![allow(dead_code, unused_imports)]

use kiosk::config::Config;
use kiosk::ui::{App, Startup};

pub use kiosk::ui::drive::{run, screen, shows, simulator, tap};

pub fn terminal() -> App {
    App::new(Startup::new(Ok(Config::default()), true))
}
