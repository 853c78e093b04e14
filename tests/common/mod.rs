//! Helpers shared by the UI flow tests: a terminal, the headless simulator over its view, taps.
#![allow(dead_code)]

use iced_test::simulator::Simulator;
use kiosk::config::Config;
use kiosk::ui::{fonts, App, Message, Startup};

pub fn terminal() -> App {
    App::new(Startup::new(Ok(Config::default()), true))
}

pub fn simulator(app: &App) -> Simulator<'_, Message> {
    static BACKEND: std::sync::Once = std::sync::Once::new();
    BACKEND.call_once(|| {
        if std::env::var_os("ICED_TEST_BACKEND").is_none() {
            // SAFETY: set once, before any renderer reads it.
            unsafe { std::env::set_var("ICED_TEST_BACKEND", "tiny-skia") };
        }
    });
    fonts::load_once();
    Simulator::with_size(
        iced::Settings {
            default_font: fonts::regular(),
            ..iced::Settings::default()
        },
        app.look().viewport,
        app.view(),
    )
}

/// Taps the widget showing `label` and delivers what it sends to the app.
pub fn tap(app: &mut App, label: &str) {
    let mut ui = simulator(app);
    if let Err(error) = ui.click(label) {
        panic!(
            "cannot tap {label:?} on {}: {error}",
            app.view_model().screen.name()
        );
    }
    let messages: Vec<Message> = ui.into_messages().collect();
    for message in messages {
        let _ = app.update(message);
    }
}

pub fn shows(app: &App, label: &str) -> bool {
    simulator(app).find(label).is_ok()
}

pub fn screen(app: &App) -> &'static str {
    app.view_model().screen.name()
}
