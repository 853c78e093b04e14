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
        let task = app.update(message);
        run(app, task);
    }
}

/// Runs what a message started (a print job on its thread) to its end, delivering each message it sends as
/// it comes.
pub fn run(app: &mut App, task: iced::Task<Message>) {
    use iced::futures::StreamExt;
    use iced_test::runtime::Action;
    let Some(mut stream) = iced_test::runtime::task::into_stream(task) else {
        return;
    };
    while let Some(action) = iced::futures::executor::block_on(stream.next()) {
        if let Action::Output(message) = action {
            let task = app.update(message);
            run(app, task);
        }
    }
}

pub fn shows(app: &App, label: &str) -> bool {
    simulator(app).find(label).is_ok()
}

pub fn screen(app: &App) -> &'static str {
    app.view_model().screen.name()
}
