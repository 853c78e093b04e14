//! `kiosk shot`: any screen state, rendered headlessly with tiny-skia to a PNG. States come from named
//! presets that reach the screen through the same messages a citizen's touches send.

use std::path::Path;
use std::time::Duration;

use iced::advanced::renderer::Headless;
use iced::advanced::{clipboard, renderer};
use iced::time::Instant;
use iced::{mouse, window, Event, Pixels, Size};
use iced_test::runtime::user_interface::{Cache, UserInterface};

use crate::config::Config;
use crate::device::{DeviceBoard, DeviceStatus, Reason};
use crate::domain::Lang;
use crate::input::Key;
use crate::ui::screen::home::{Feature, Message as HomeMessage};
use crate::ui::screen::{attract, guide};
use crate::ui::{fonts, App, Bar, Message, Startup};

mod apply;
mod assist;
mod entry;
mod journeys;
mod maintenance;

/// Every named state `kiosk shot --screen` knows, with what each shows.
pub fn presets() -> impl Iterator<Item = &'static (&'static str, &'static str)> {
    PRESETS
        .iter()
        .chain(journeys::PRESETS)
        .chain(apply::PRESETS)
        .chain(assist::PRESETS)
        .chain(maintenance::PRESETS)
        .chain(entry::PRESETS)
}

/// Signs the demo card `label` in (placed, read, welcome, continue).
fn sign_in(app: &mut App, label: &str) {
    use crate::device::reader::sim::demo_cards;
    use crate::device::reader::ReaderEvent;
    let card = demo_cards()
        .into_iter()
        .find(|c| c.label == label)
        .expect("a demo card");
    for message in [
        Message::Home(HomeMessage::SignIn),
        Message::Reader(ReaderEvent::CardPlaced),
        Message::Reader(ReaderEvent::CardRead(Ok(Box::new(
            card.identity().expect("a readable demo card"),
        )))),
        Message::Card(crate::ui::screen::card::Message::Continue),
    ] {
        let _ = app.update(message);
    }
}

/// The screens of the base presets, with what each shows.
pub const PRESETS: &[(&str, &str)] = &[
    (
        "attract",
        "the attract screen: hall, clock, an announcement",
    ),
    (
        "attract-card",
        "the attract screen with the card reader ready (place the card to start)",
    ),
    (
        "attract-card-left",
        "the attract screen after the holder walked away: a card was left on the reader",
    ),
    ("home", "the home screen as this configuration starts it"),
    ("home-ready", "the home screen with every device ready"),
    (
        "home-faults",
        "the home screen with paper out, reader fault and hub offline",
    ),
    ("guide", "the service guide: search and themes"),
    ("guide-theme", "the services of one theme (企业开办)"),
    (
        "guide-search",
        "search results for the pinyin initials yyzz",
    ),
    (
        "guide-candidates",
        "typing the syllable ying in pinyin, with Rime's candidates",
    ),
    ("guide-nothing", "a search that finds nothing"),
    ("guide-page", "a service's page (企业设立登记)"),
    (
        "guide-page-terminal",
        "a service this terminal can do (营业执照自助打印)",
    ),
    (
        "guide-page-apply",
        "a service that can be applied for here (居住证申领: 在此申报)",
    ),
    ("countdown", "the idle countdown over the home screen"),
    ("card-place", "signing in: where to place the ID card"),
    ("card-reading", "signing in: the card is being read"),
    (
        "card-welcome",
        "signed in: welcome with the masked name and number",
    ),
    (
        "card-welcome-keep",
        "signed in for licence printing: the card must stay on the reader",
    ),
    (
        "card-welcome-foreign",
        "signed in with a 2023 foreign permanent resident card",
    ),
    ("card-try-again", "the card moved during the read"),
    ("card-unreadable", "the card could not be read"),
    ("card-expired", "an expired card is refused"),
    ("card-reader-fault", "the reader is out of order"),
    ("home-signed-in", "the home screen after signing in"),
    (
        "print-preview",
        "print preview of the sample licence, exactly as it will come out",
    ),
    ("print-preview-ticket", "print preview of a queue ticket"),
    ("print-checking", "printing: checking the printer"),
    ("print-printing", "printing: the job is on its way"),
    (
        "print-done",
        "printed: take your document, where it comes out, take your card",
    ),
    (
        "print-paper-out",
        "nothing printed: the printer is out of paper",
    ),
    (
        "print-cover-open",
        "nothing printed: the printer cover is open",
    ),
    (
        "print-unavailable",
        "nothing printed: the printer is offline",
    ),
    (
        "print-ran-out",
        "the paper ran out part way: the document is incomplete",
    ),
    (
        "print-unknown",
        "sent, never confirmed: check the slot, ask staff",
    ),
    (
        "print-not-recorded",
        "nothing printed: the print journal cannot record the job",
    ),
    (
        "out-of-service",
        "the out-of-service screen of a broken configuration",
    ),
];

/// The messages that bring a card preset about: the taps, then the reader's events.
fn card_steps(name: &str) -> Vec<Message> {
    use crate::device::reader::sim::demo_cards;
    use crate::device::reader::{FaultKind, ReadFault, ReaderEvent};
    use crate::ui::screen::card;
    let read = |label: &str| {
        let card = demo_cards()
            .into_iter()
            .find(|c| c.label == label)
            .expect("a demo card");
        Message::Reader(ReaderEvent::CardRead(Ok(Box::new(
            card.identity().expect("a readable demo card"),
        ))))
    };
    let fault = |kind| {
        Message::Reader(ReaderEvent::CardRead(Err(ReadFault {
            kind,
            cause: String::new(),
        })))
    };
    let placed = Message::Reader(ReaderEvent::CardPlaced);
    let mut steps = vec![
        Message::Attract(attract::Message::Start),
        Message::Home(if name == "card-welcome-keep" {
            HomeMessage::Open(Feature::Print)
        } else {
            HomeMessage::SignIn
        }),
    ];
    match name {
        "card-reading" => steps.push(placed),
        "card-welcome" | "card-welcome-keep" => steps.extend([placed, read("resident")]),
        "card-welcome-foreign" => steps.extend([placed, read("foreign-2023")]),
        "card-try-again" => steps.extend([placed, fault(FaultKind::TryAgain)]),
        "card-unreadable" => steps.extend([placed, fault(FaultKind::Unreadable)]),
        "card-expired" => steps.extend([placed, read("expired")]),
        "card-reader-fault" => steps.push(Message::Reader(ReaderEvent::Status(
            DeviceStatus::Fault(Reason::NoResponse),
        ))),
        "home-signed-in" => steps.extend([
            placed,
            read("resident-moved"),
            Message::Card(card::Message::Continue),
        ]),
        _ => {}
    }
    steps
}

/// Opens the print screen on a sample and brings it to the preset's step with the messages the print job's
/// thread would send.
fn print_steps(app: &mut App, step: &str) {
    use crate::domain::document::{sample, DocumentKind};
    use crate::printing::job::Verdict;
    use crate::ui::screen::print;
    let kind = if step == "preview-ticket" {
        DocumentKind::Ticket
    } else {
        DocumentKind::Licence
    };
    app.open_print(sample(kind));
    let ended = |verdict| vec![Message::PrintFinished(verdict)];
    let messages = match step {
        "preview" | "preview-ticket" => vec![],
        "checking" => vec![],
        "printing" => vec![Message::PrintProgress(print::Progress::Printing)],
        "done" => ended(Verdict::Printed),
        "paper-out" => ended(Verdict::NothingPrinted(Reason::PaperOut)),
        "cover-open" => ended(Verdict::NothingPrinted(Reason::CoverOpen)),
        "unavailable" => ended(Verdict::NothingPrinted(Reason::Offline)),
        "ran-out" => ended(Verdict::Incomplete(Reason::PaperOut)),
        "unknown" => ended(Verdict::Unknown),
        _ => ended(Verdict::NotRecorded),
    };
    if !step.starts_with("preview") {
        // The task that would run the job is dropped: the job's messages below stand in for its thread.
        let _ = app.update(Message::Print(print::Message::Print));
    }
    for message in messages {
        let _ = app.update(message);
    }
}

/// Builds the app in the state a preset names.
pub fn preset(name: &str, lang: Lang, elder: bool, size: Size) -> Result<App, String> {
    if !presets().any(|(n, _)| *n == name) {
        let names: Vec<&str> = presets().map(|(n, _)| *n).collect();
        return Err(format!(
            "unknown screen \"{name}\"; presets: {}",
            names.join(", ")
        ));
    }
    let config = if name == "out-of-service" {
        Config::parse(
            "[reader]\nbaut = 115200\nbaud = 12345\n[ui]\nidle_seconds = \"sixty\"\n",
            Path::new("/etc/kiosk/kiosk.toml"),
        )
    } else {
        Ok(Config::default())
    };
    let mut app = App::new(startup(config));
    app.set_viewport(size);
    app.set_clock(preset_clock());
    if app.view_model().lang != lang {
        let _ = app.update(Message::Bar(Bar::Language));
    }
    if app.view_model().elder != elder {
        let _ = app.update(Message::Bar(Bar::Elder));
    }
    let ready = DeviceBoard {
        reader: DeviceStatus::Ready,
        printer: DeviceStatus::Ready,
        hub: DeviceStatus::Ready,
        camera: DeviceStatus::Ready,
        scanner: DeviceStatus::Disabled(Reason::NotConfigured),
    };
    let mut steps: Vec<Message> = Vec::new();
    let start = Message::Attract(attract::Message::Start);
    let open_guide = Message::Home(HomeMessage::Open(Feature::Guide));
    let typing = |text: &str| -> Vec<Message> {
        text.chars()
            .map(|c| Message::Guide(guide::Message::Key(Key::Char(c))))
            .collect()
    };
    match name {
        "home" | "home-ready" | "home-faults" => steps.push(start),
        "guide" => steps.extend([start, open_guide]),
        "guide-theme" => steps.extend([
            start,
            open_guide,
            Message::Guide(guide::Message::OpenTheme("business".into())),
        ]),
        "guide-search" | "guide-candidates" | "guide-nothing" => {
            steps.extend([
                start,
                open_guide,
                Message::Guide(guide::Message::OpenSearch),
            ]);
            steps.extend(typing(match name {
                "guide-search" => "yyzz",
                "guide-candidates" => "ying",
                _ => "qqqq",
            }));
        }
        "guide-page" | "guide-page-terminal" | "guide-page-apply" => steps.extend([
            start,
            open_guide,
            Message::Guide(guide::Message::OpenService(
                match name {
                    "guide-page" => "SZ-0001",
                    "guide-page-apply" => "SZ-0024",
                    _ => "SZ-0002",
                }
                .into(),
            )),
        ]),
        "countdown" => steps.push(start),
        card if card.starts_with("card-") || card == "home-signed-in" => {
            steps.extend(card_steps(card));
        }
        print if print.starts_with("print-") => steps.extend(card_steps("home-signed-in")),
        _ => {}
    }
    match name {
        "home-ready"
        | "attract-card"
        | "attract-card-left"
        | "guide-page-terminal"
        | "guide-page-apply" => app.set_devices(ready),
        card if card.starts_with("card-")
            || card == "home-signed-in"
            || card.starts_with("print-")
            || journeys::PRESETS.iter().any(|(n, _)| *n == card)
            || apply::PRESETS.iter().any(|(n, _)| *n == card)
            || assist::PRESETS.iter().any(|(n, _)| *n == card) =>
        {
            app.set_devices(ready)
        }
        "home-faults" => app.set_devices(DeviceBoard {
            reader: DeviceStatus::Fault(Reason::NotConnected),
            printer: DeviceStatus::Fault(Reason::PaperOut),
            hub: DeviceStatus::Fault(Reason::Offline),
            camera: DeviceStatus::Fault(Reason::NotConnected),
            scanner: DeviceStatus::Disabled(Reason::NotConfigured),
        }),
        _ => {}
    }
    for step in steps {
        let _ = app.update(step);
    }
    if let Some(print) = name.strip_prefix("print-") {
        print_steps(&mut app, print);
    }
    if name == "attract-card-left" {
        // Signed in, then finished with the card still on the reader.
        let _ = app.update(Message::Attract(attract::Message::Start));
        sign_in(&mut app, "resident");
        let _ = app.update(Message::Bar(crate::ui::Bar::Finish));
        // The resting screen is back to the terminal's defaults; the picture asked for another look.
        if app.view_model().lang != lang {
            let _ = app.update(Message::Bar(Bar::Language));
        }
        if app.view_model().elder != elder {
            let _ = app.update(Message::Bar(Bar::Elder));
        }
    }
    if journeys::PRESETS.iter().any(|(n, _)| *n == name) {
        let _ = app.update(Message::Attract(attract::Message::Start));
        journeys::steps(&mut app, name);
    }
    if apply::PRESETS.iter().any(|(n, _)| *n == name) {
        let _ = app.update(Message::Attract(attract::Message::Start));
        apply::steps(&mut app, name);
    }
    if assist::PRESETS.iter().any(|(n, _)| *n == name) {
        assist::steps(&mut app, name);
    }
    if maintenance::PRESETS.iter().any(|(n, _)| *n == name) {
        maintenance::steps(&mut app, name);
    }
    if entry::PRESETS.iter().any(|(n, _)| *n == name) {
        app.set_devices(ready);
        entry::steps(&mut app, name);
        if name == "entry-symbols" {
            maintenance::steps(&mut app, "service-settings");
            entry::symbols(&mut app);
        }
    }
    if name == "countdown" {
        // Idle long enough for the countdown to show 12 seconds left.
        let idle = Duration::from_secs(Config::default().ui.idle_seconds.into());
        let _ = app.update(Message::Tick(
            Instant::now() + idle + Duration::from_secs(3),
        ));
        // A tick reads the wall clock: the picture shows the preset's.
        app.set_clock(preset_clock());
    }
    Ok(app)
}

/// The start-up of a preset: text entry with its real engines answering on this thread (Rime deployed as
/// the package does, or now under the temporary folder), the local words in the temporary folder.
fn startup(mut config: Result<Config, crate::config::ConfigError>) -> Startup {
    if let Ok(config) = &mut config {
        match crate::input::deploy::deployed_or_temporary(&config.input.rime) {
            Ok(rime) => config.input.rime = rime,
            Err(error) => tracing::warn!(%error, "pinyin is not shown"),
        }
        // One folder for every run: it holds the bundled catalogue's words, the same each time.
        config.input.words = std::env::temp_dir().join("kiosk-shot-words");
    }
    let mut startup = Startup::new(config, true);
    startup.input = crate::ui::InputMode::Here;
    startup
}

/// A fixed clock, so the same preset always gives the same picture (also on what it prints).
fn preset_clock() -> chrono::NaiveDateTime {
    chrono::NaiveDate::from_ymd_opt(2026, 11, 23)
        .and_then(|d| d.and_hms_opt(9, 30, 0))
        .expect("a valid date")
}

/// Renders the app's current view at `size` (one logical pixel per device pixel) to RGBA bytes.
pub fn render(app: &App, size: Size<u32>) -> Vec<u8> {
    Canvas::new().draw(app.view(), &app.theme(), size)
}

/// Renders any element with the bundled fonts and tiny-skia to RGBA bytes.
pub fn render_element<M>(
    element: crate::ui::Element<'_, M>,
    theme: &iced::Theme,
    size: Size<u32>,
) -> Vec<u8> {
    Canvas::new().draw(element, theme, size)
}

/// A headless tiny-skia renderer with the bundled fonts, kept to draw many frames.
pub struct Canvas {
    renderer: iced::Renderer,
}

impl Default for Canvas {
    fn default() -> Self {
        Canvas::new()
    }
}

impl Canvas {
    pub fn new() -> Canvas {
        fonts::load_once();
        let renderer = iced_test::futures::futures::executor::block_on(
            <iced::Renderer as Headless>::new(fonts::regular(), Pixels(16.0), Some("tiny-skia")),
        )
        .expect("the tiny-skia renderer is always available");
        Canvas { renderer }
    }

    /// Lays out one frame without drawing it (to measure layout and text shaping apart from rasterising).
    pub fn layout<M>(&mut self, element: crate::ui::Element<'_, M>, size: Size<u32>) {
        let bounds = Size::new(size.width as f32, size.height as f32);
        let _ = UserInterface::build(element, bounds, Cache::default(), &mut self.renderer);
    }

    /// Lays out, draws and reads back one frame.
    pub fn draw<M>(
        &mut self,
        element: crate::ui::Element<'_, M>,
        theme: &iced::Theme,
        size: Size<u32>,
    ) -> Vec<u8> {
        let background = theme.palette().background;
        self.frame(element, theme, size, |renderer| {
            renderer.screenshot(size, 1.0, background)
        })
    }

    /// Lays out one frame, records its drawing, and hands the renderer to `rasterise` while the interface
    /// is still alive: text primitives only hold weak references to the paragraphs the interface owns, so
    /// rasterising after dropping it would silently draw no text.
    pub fn frame<M, R>(
        &mut self,
        element: crate::ui::Element<'_, M>,
        theme: &iced::Theme,
        size: Size<u32>,
        rasterise: impl FnOnce(&mut iced::Renderer) -> R,
    ) -> R {
        let renderer = &mut self.renderer;
        let bounds = Size::new(size.width as f32, size.height as f32);
        let mut ui = UserInterface::build(element, bounds, Cache::default(), renderer);
        let mut messages = Vec::new();
        let _ = ui.update(
            &[Event::Window(
                window::Event::RedrawRequested(Instant::now()),
            )],
            mouse::Cursor::Unavailable,
            renderer,
            &mut clipboard::Null,
            &mut messages,
        );
        ui.draw(
            renderer,
            theme,
            &renderer::Style {
                text_color: theme.palette().text,
            },
            mouse::Cursor::Unavailable,
        );
        let result = rasterise(renderer);
        drop(ui);
        result
    }
}

/// Writes RGBA bytes as a PNG file.
pub fn save_png(path: &Path, rgba: &[u8], size: Size<u32>) -> std::io::Result<()> {
    std::fs::write(path, encode_png(rgba, size)?)
}

/// RGBA bytes as a PNG.
pub fn encode_png(rgba: &[u8], size: Size<u32>) -> std::io::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    let mut encoder = png::Encoder::new(&mut bytes, size.width, size.height);
    encoder.set_color(png::ColorType::Rgba);
    encoder.set_depth(png::BitDepth::Eight);
    let mut writer = encoder.write_header().map_err(std::io::Error::other)?;
    writer
        .write_image_data(rgba)
        .map_err(std::io::Error::other)?;
    writer.finish().map_err(std::io::Error::other)?;
    Ok(bytes)
}

/// Parses `1080x1920`.
pub fn parse_size(text: &str) -> Result<Size<u32>, String> {
    let (w, h) = text.split_once(['x', 'X']).ok_or_else(|| {
        format!("\"{text}\" is not a size; write it as WIDTHxHEIGHT, e.g. 1080x1920")
    })?;
    let parse = |v: &str| {
        v.trim()
            .parse::<u32>()
            .ok()
            .filter(|n| (240..=7680).contains(n))
            .ok_or_else(|| format!("\"{text}\": each side must be a whole number from 240 to 7680"))
    };
    Ok(Size::new(parse(w)?, parse(h)?))
}
