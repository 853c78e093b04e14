//! Driving the interface headlessly through its real widgets (iced_test's simulator over tiny-skia): a tap
//! on the widget showing a label, the tasks it starts run to their end. The UI tests and the journey
//! benchmark (`benches/journeys.rs`) drive the terminal this way.

use iced_test::simulator::Simulator;

use crate::ui::{fonts, App, Message};

/// The simulator over the app's current view, at the app's screen size.
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

/// Taps the widget showing `label` and delivers what it sends to the app, running what that starts.
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

/// Runs what a message started (a print job, a call to the hub on its thread) to its end, delivering each
/// message it sends as it comes.
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

/// Whether a widget shows exactly `label`.
pub fn shows(app: &App, label: &str) -> bool {
    simulator(app).find(label).is_ok()
}

/// The name of the screen showing.
pub fn screen(app: &App) -> &'static str {
    app.view_model().screen.name()
}

/// Delivers what the remote-guidance link reports, as it comes, until `until` holds; false if `within`
/// passes first. (The windowed app takes the link's events through a subscription instead.)
pub fn pump_link(app: &mut App, until: impl Fn(&App) -> bool, within: std::time::Duration) -> bool {
    use iced::futures::{FutureExt, StreamExt};
    let deadline = std::time::Instant::now() + within;
    loop {
        if until(app) {
            return true;
        }
        let next = app.link().and_then(|link| {
            let handle = link.events_handle();
            let mut events = handle.lock().expect("link events");
            let next = events.as_mut().map(|rx| rx.next().now_or_never());
            next.map(|next| (link.id, next))
        });
        match next {
            Some((id, Some(Some(event)))) => {
                let task = app.update(Message::Link(id, event));
                run(app, task);
            }
            _ if std::time::Instant::now() >= deadline => return until(app),
            _ => std::thread::sleep(std::time::Duration::from_millis(2)),
        }
    }
}
