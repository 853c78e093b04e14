//! Helpers shared by the UI flow tests: a terminal, and the headless driving the library offers.
#![allow(dead_code, unused_imports)]

use kiosk::config::Config;
use kiosk::ui::{App, Startup};

pub use kiosk::ui::drive::{pump_link, run, screen, shows, simulator, tap};

pub mod chaos;
pub mod console;
pub mod logs;
pub mod rig;

/// A terminal as a citizen finds it, with its text entry's real engines answering on the test's thread.
pub fn terminal() -> App {
    App::new(startup(Config::default()))
}

/// The start-up of a terminal with `config`, its text entry on Rime deployed for the tests (once per
/// process) and its local words in a folder of the tests' own.
pub fn startup(mut config: Config) -> Startup {
    log();
    static WORDS: std::sync::OnceLock<tempfile::TempDir> = std::sync::OnceLock::new();
    config.input.rime = kiosk::input::deploy::deployed_or_temporary(&config.input.rime)
        .expect("rime_deployer deploys the pinyin schemas");
    config.input.words = WORDS
        .get_or_init(|| tempfile::tempdir().unwrap())
        .path()
        .to_path_buf();
    let mut startup = Startup::new(Ok(config), true);
    startup.input = kiosk::ui::InputMode::Here;
    startup
}

/// The test process's log: the terminal's tail (what `kiosk run` keeps for the diagnostics screen and the
/// hub's `log` command) and the copy for the scan of every log.
pub fn log() {
    use tracing_subscriber::Layer;
    logs::install(
        "tests-kiosk",
        kiosk::maintenance::logtail::Tail.with_filter(tracing_subscriber::EnvFilter::new("info")),
    );
}
