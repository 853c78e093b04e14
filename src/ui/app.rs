//! The root of the interface: holds the view model (which screen, its state, language, elder mode,
//! countdown, device states), routes messages to the screens and reacts to their events. Sessions start on
//! the attract screen (a touch, or a card placed on the reader) and end on "finish", when the idle countdown
//! runs out, or when the card is taken away from a flow that needs it.

use std::sync::Arc;
use std::time::Duration;

use chrono::NaiveDateTime;
use iced::time::Instant;
use iced::widget::{column, container, mouse_area, opaque, row, space, stack, text};
use iced::{event, mouse, time, touch, window, Alignment, Length, Size, Subscription, Task};
use serde::Serialize;

use crate::config::{Config, ConfigError};
use crate::device::printer::transport::Target;
use crate::device::printer::watch::{PrinterThread, EVERY};
use crate::device::printer::Profile;
use crate::device::reader::{ReadFault, ReaderEvent, ReaderSettings, ReaderThread};
use crate::device::scanner::{ScannerEvent, ScannerSettings, ScannerThread};
use crate::device::DeviceBoard;
use crate::device::DeviceStatus;
use crate::domain::catalogue::{self, Catalogue};
use crate::domain::identity::{CardDate, Identity};
use crate::domain::search::SearchIndex;
use crate::domain::{Lang, LocalText};
use crate::journey::{Failure, HelpRequest, Services};
use crate::printing::job::Verdict;
use crate::sync::client::Claimed;
use crate::terminal::session::{Proof, Session, SessionId};
use crate::terminal::Feature;
use crate::terminal::{Effect, Input, Place, Route, Terminal};
use crate::ui::demo::DemoRig;
use crate::ui::i18n::Prompt;
use crate::ui::i18n::Words;
use crate::ui::screen::card;
use crate::ui::screen::rating::Subject;
use crate::ui::screen::{
    apply, attract, documents, enterprise, guide, help, home, out_of_service, print, progress,
    rating, ticket,
};
use crate::ui::theme::Look;
use crate::ui::{bridge, fonts, Element, Env};

/// What the app starts from: the configuration (or why it could not be read) and how it is shown.
pub struct Startup {
    pub config: Result<Config, ConfigError>,
    /// Fullscreen with the cursor hidden (a terminal), or in a window (demo, development).
    pub windowed: bool,
    /// Benchmark: open on the home screen, print the time from this instant (process start) to the first
    /// frame, and exit.
    pub first_frame_probe: Option<std::time::Instant>,
    /// Pixels on this display per configured pixel: below 1 a development window shows the whole configured
    /// screen at a lower density, laid out exactly as on the terminal.
    pub density: f32,
    /// The card reader to poll (none: no reader thread, as in tests and `kiosk shot`).
    pub reader: Option<ReaderSettings>,
    /// The code scanner to listen to (none: `[scanner]` is off, and in tests and `kiosk shot`).
    pub scanner: Option<ScannerSettings>,
    /// The printer to watch (none: no status thread, as in tests and `kiosk shot`).
    pub printer: Option<Target>,
    /// The hub to beat to (none: no heartbeat thread, as in tests and `kiosk shot`).
    pub hub: Option<crate::sync::client::HubSettings>,
    /// The demo's simulators, driven from the demo panel.
    pub demo: Option<DemoRig>,
    /// Speak prompts through `[ui] voice_command` (off in tests and `kiosk shot`).
    pub voice: bool,
    /// The file the configuration came from: service mode saves its settings there (none: nowhere to save).
    pub config_path: Option<std::path::PathBuf>,
    /// Where the text-entry engines run.
    pub input: InputMode,
    /// The document camera to use instead of `[camera] device` (the demo's and the tests' simulator).
    pub camera: Option<Arc<std::sync::Mutex<Box<dyn crate::device::camera::Camera>>>>,
}

impl Startup {
    pub fn new(config: Result<Config, ConfigError>, windowed: bool) -> Startup {
        let reader = match &config {
            Ok(config) if config.reader.enabled => {
                Some(ReaderSettings::from_config(&config.reader))
            }
            _ => None,
        };
        let printer = match &config {
            Ok(config) if config.printer.enabled => Target::parse(&config.printer.uri).ok(),
            _ => None,
        };
        let scanner = match &config {
            Ok(config) if config.scanner.enabled => {
                Some(ScannerSettings::from_config(&config.scanner))
            }
            _ => None,
        };
        let hub = config
            .as_ref()
            .ok()
            .and_then(crate::sync::client::HubSettings::from_config);
        Startup {
            hub,
            config,
            windowed,
            first_frame_probe: None,
            density: 1.0,
            reader,
            scanner,
            printer,
            demo: None,
            voice: false,
            config_path: None,
            input: InputMode::Off,
            camera: None,
        }
    }
}

/// The serialisable state of the interface: what remote guidance mirrors, tests inspect and `kiosk shot`
/// renders.
#[derive(Debug, Serialize)]
pub struct ViewModel {
    pub screen: Screen,
    pub lang: Lang,
    pub elder: bool,
    /// Seconds left on the idle countdown, while it shows.
    pub countdown: Option<u32>,
    pub devices: DeviceBoard,
    /// The citizen session under way, if any.
    pub session: Option<SessionId>,
    /// Remote guidance, as the citizen sees it.
    pub assist: crate::assist::Status,
    /// A card was left on the reader by a session that ended: said on every screen until it is taken.
    pub card_left: bool,
}

#[derive(Debug, Serialize)]
pub enum Screen {
    Attract(attract::State),
    Home,
    Guide(guide::State),
    Card(card::State),
    Print(print::State),
    Progress(progress::State),
    Documents(documents::State),
    Enterprise(enterprise::State),
    Ticket(ticket::State),
    Apply(Box<apply::State>),
    Rating(rating::State),
    Help(help::State),
    OutOfService(out_of_service::State),
    /// The technicians' maintenance mode (called "service mode" on screen and in the README).
    #[serde(rename = "Service")]
    Maintenance(crate::ui::screen::maintenance::State),
}

impl Screen {
    /// The text-entry engines answered: the screen's field that asked takes it.
    fn input(&mut self, reply: &crate::input::Reply) {
        match self {
            Screen::Guide(state) => state.input(reply),
            Screen::Apply(state) => state.input(reply),
            Screen::Maintenance(state) => state.input(reply),
            _ => {}
        }
    }

    pub fn name(&self) -> &'static str {
        match self {
            Screen::Attract(_) => "attract",
            Screen::Home => "home",
            Screen::Guide(_) => "guide",
            Screen::Card(_) => "card",
            Screen::Print(_) => "print",
            Screen::Progress(_) => "progress",
            Screen::Documents(_) => "documents",
            Screen::Enterprise(_) => "enterprise",
            Screen::Ticket(_) => "ticket",
            Screen::Apply(_) => "apply",
            Screen::Rating(_) => "rating",
            Screen::Help(_) => "help",
            Screen::OutOfService(_) => "out-of-service",
            Screen::Maintenance(_) => "service",
        }
    }
}

#[derive(Debug, Clone)]
pub enum Message {
    Attract(attract::Message),
    Home(home::Message),
    Guide(guide::Message),
    Card(card::Message),
    Print(print::Message),
    Progress(progress::Message),
    Documents(documents::Message),
    Enterprise(enterprise::Message),
    Ticket(ticket::Message),
    Apply(apply::Message),
    Rating(rating::Message),
    Help(help::Message),
    /// A journey's call came back (from its thread), tagged with the request it answers.
    Answer(u64, Answer),
    /// A print job moved on (from its thread).
    PrintProgress(print::Progress),
    /// A print job ended (from its thread).
    PrintFinished(Verdict),
    /// From the card reader thread.
    Reader(ReaderEvent),
    /// From the code scanner's thread.
    Scanner(ScannerEvent),
    /// From the printer status thread.
    Printer(DeviceStatus),
    /// From the heartbeat thread: whether the hub answers.
    Hub(DeviceStatus),
    /// From the heartbeat thread: settings and commands from the hub's operators.
    Remote(crate::sync::heartbeat::HubEvent),
    /// What a frame taken on the camera's thread said of it.
    Camera(DeviceStatus),
    /// From the demo panel.
    Demo(crate::ui::demo::Message),
    /// The citizen's answer in remote guidance.
    Assist(crate::ui::assist::Message),
    /// What the remote-guidance link reports (tagged with the link it came from).
    Link(u64, crate::assist::link::LinkEvent),
    /// Where the citizen's finger (or the cursor) is.
    Pointer(iced::Point),
    /// The text-entry engines answered.
    Input(crate::input::Reply),
    /// The technicians' maintenance screens.
    Maintenance(crate::ui::screen::maintenance::Message),
    /// The hidden corner pressed (true) or let go.
    Corner(bool),
    /// The top bar's buttons, and "continue" on the idle countdown.
    Bar(Bar),
    Tick(Instant),
    /// A touch, click or key press anywhere.
    Activity(Instant),
    Resized(Size),
    /// A frame was drawn (only subscribed to by the first-frame benchmark).
    Frame,
}

/// What the buttons around every screen do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bar {
    Language,
    Elder,
    Home,
    Back,
    /// The citizen is done: end the session now.
    Finish,
    /// "Continue" on the idle countdown.
    Continue,
}

mod applying;
mod assist;
mod business;
mod journeys;
mod maintenance;
mod remote;

/// What a journey's call to the hub or the outbox answered.
#[derive(Debug, Clone)]
pub enum Answer {
    Cases(Result<Vec<kiosk_proto::service::CaseDetail>, Failure>),
    Documents(Result<Vec<kiosk_proto::service::DocumentEntry>, Failure>),
    Claim(Result<Claimed, Failure>),
    Ticket(Result<kiosk_proto::fleet::TicketReply, Failure>),
    /// The holder's e-licences in the library.
    Licences(Result<crate::domain::application::Library, Failure>),
    /// A page photographed for a material.
    Captured(
        String,
        Result<crate::device::camera::page::Captured, crate::device::camera::CaptureProblem>,
    ),
    /// The application taken, or why not.
    Submitted(Result<crate::journey::Submitted, Failure>),
    /// A phone upload page opened for a material (its address and token).
    UploadOpened(
        String,
        Result<(String, kiosk_proto::application::UploadTicket), Failure>,
    ),
    /// The camera's live picture (small), or why it gave none.
    Live(Result<crate::device::camera::Frame, crate::device::camera::CaptureProblem>),
    /// What the phone sent for a material since the last look.
    PhonePages(String, Result<crate::journey::PhonePages, Failure>),
    Rated(bool),
    HelpRecorded(bool),
    /// The enterprises the holder represents (企业服务).
    Enterprises(Result<Vec<kiosk_proto::enterprise::Enterprise>, Failure>),
    /// A sign-in code checked: the holder it names, or why it signs no one in.
    Code(Result<Box<Identity>, crate::domain::signin::CodeProblem>),
    /// The call's thread ended without an answer.
    Lost,
}

impl Answer {
    /// Whether the answer belongs to the application screen's own background work (it checks the answer
    /// against what it is waiting for), not to the journey's latest call.
    fn for_the_screen(&self) -> bool {
        matches!(
            self,
            Answer::Captured(..) | Answer::Live(_) | Answer::PhonePages(..)
        )
    }
}

/// Settings the interface keeps from the configuration.
struct Settings {
    hall: LocalText,
    lang: Lang,
    elder: bool,
    idle: Duration,
    countdown: Duration,
    announcement: Duration,
    px_per_mm: f32,
    /// The printer's profile (with this terminal's overrides) and where its paper comes out.
    profile: Profile,
    outlet: LocalText,
    /// The terminal's SQLite file (the print journal).
    database: std::path::PathBuf,
    documents: crate::config::DocumentsConfig,
    voice: crate::config::VoiceMode,
}

pub struct App {
    settings: Settings,
    catalogue: Arc<Catalogue>,
    index: Arc<SearchIndex>,
    /// The citizen's session and its rules.
    core: Terminal,
    vm: ViewModel,
    clock: NaiveDateTime,
    now: Instant,
    last_rotation: Instant,
    window: Window,
    reader: Option<ReaderSettings>,
    scanner: Option<ScannerSettings>,
    printer: Option<Target>,
    hub: Option<crate::sync::client::HubSettings>,
    /// The device states the heartbeat carries to the hub.
    report: crate::sync::heartbeat::DeviceReport,
    /// The hub's operators asked for a restart: it happens once no citizen is at the screen.
    restart_pending: bool,
    /// The program ended for that restart.
    restarted: bool,
    /// A version the hub told the terminal to run, handed to the updater once no citizen is at the screen.
    update_pending: Option<String>,
    /// The demo's simulated devices and its panel (none: a real terminal).
    demo: Option<crate::ui::demo::Demo>,
    /// The journeys' way to the hub and the outbox.
    services: Services,
    speech: Speech,
    input: TextEntry,
    /// Remote guidance's connection to the hub.
    link: crate::assist::Connection,
    /// Where the citizen last touched (for the mirror's "under the finger").
    finger_at: Option<iced::Point>,
    /// The configuration in use (service mode shows and changes it) and the file it came from.
    config: Config,
    config_path: Option<std::path::PathBuf>,
    /// What service mode knows between its screens.
    maintenance: crate::maintenance::Known,
    /// Whether systemd has been told the terminal is up.
    ready_told: bool,
    /// The document camera (none: switched off) and when it was last looked at.
    camera: Option<CameraPart>,
    /// The service a guide page asked to apply for, while the card is read.
    apply_for: Option<String>,
    /// The enterprise whose business licence 企业服务 asked to print (its 统一社会信用代码), while the card
    /// is read.
    print_for: Option<String>,
    /// The enterprises the registry listed for the signed-in holder (企业服务), to choose another.
    represented: Vec<kiosk_proto::enterprise::Enterprise>,
    /// A sign-in code the core asked to check, until its check is started.
    code_to_check: Option<zeroize::Zeroizing<String>>,
    /// While a guide's remote tap or typing is carried out: the guide (`张丽 0123`), so a field they fill
    /// is marked theirs (帮办代办).
    helping: Option<String>,
}

/// The document camera the journeys photograph with.
struct CameraPart {
    device: Arc<std::sync::Mutex<Box<dyn crate::device::camera::Camera>>>,
    /// When its state was last asked for (a frame taken on its thread), if it was.
    probed: Option<Instant>,
}

/// The window the terminal draws in.
struct Window {
    /// The terminal's screen (the window less the demo panel).
    viewport: Size,
    hide_cursor: bool,
    /// When the process started, while the first-frame benchmark waits for the first frame.
    first_frame_probe: Option<std::time::Instant>,
}

/// Where the text-entry engines run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputMode {
    /// None: the plain keyboards only.
    Off,
    /// On their own thread (the terminal).
    Thread,
    /// On the interface's thread, answering each key before the next message (`kiosk shot` and tests,
    /// so that every picture and every check is the same on every run).
    Here,
}

/// Text entry's engines: how to start them, and what they said.
struct TextEntry {
    /// The engines' settings, when the thread is to run.
    settings: Option<crate::input::EngineSettings>,
    link: Option<crate::input::Link>,
    engines: crate::input::Availability,
    /// The engines answering here ([`InputMode::Here`]), and the requests they answer.
    here: Option<(
        crate::input::engine::Opened,
        std::sync::mpsc::Receiver<crate::input::Request>,
    )>,
}

impl TextEntry {
    fn start(mode: InputMode, config: &Config, words: Vec<String>) -> TextEntry {
        let settings = crate::input::settings(
            &config.input.rime,
            &config.input.words,
            config.input.fuzzy_pinyin,
            &config.input.model,
            words,
        );
        let mut entry = TextEntry {
            settings: None,
            link: None,
            engines: Default::default(),
            here: None,
        };
        match mode {
            InputMode::Off => {}
            InputMode::Thread => entry.settings = Some(settings),
            InputMode::Here => {
                let (link, requests) = crate::input::Link::channel();
                let engines = crate::input::engine::Opened::open(&settings);
                entry.engines = engines.availability.clone();
                entry.link = Some(link);
                entry.here = Some((engines, requests));
            }
        }
        entry
    }

    /// Where the engines run.
    fn mode(&self) -> InputMode {
        match (&self.settings, &self.here) {
            (Some(_), _) => InputMode::Thread,
            (None, Some(_)) => InputMode::Here,
            (None, None) => InputMode::Off,
        }
    }

    /// A new field of `kind` holding at most `limit` characters, with the engines as they are now.
    fn entry(&self, kind: crate::input::Kind, limit: usize) -> crate::input::Entry {
        crate::input::Entry::new(kind, limit, self.link.clone(), self.engines.clone())
    }

    /// [`TextEntry::entry`] for a citizen reading `lang`: in English, letters first (pinyin and
    /// handwriting are a tap away).
    fn entry_for(&self, lang: Lang, kind: crate::input::Kind, limit: usize) -> crate::input::Entry {
        let mut entry = self.entry(kind, limit);
        if lang == Lang::En && kind == crate::input::Kind::Text {
            entry.press(crate::input::Key::Keyboard(crate::input::Keyboard::Letters));
        }
        entry
    }
}

/// The voice and what it said last.
struct Speech {
    /// The voice thread (none: no engine, or the voice is off).
    voice: Option<crate::voice::Voice>,
    /// The prompt spoken last, so a screen speaks once when it appears.
    spoken: Option<(Prompt, Lang)>,
    /// When the card left on the reader was last said aloud (it is said again every 20 s until taken).
    card_left_said: Option<Instant>,
}

impl App {
    pub fn new(startup: Startup) -> App {
        let now = Instant::now();
        let (config, problems) = match startup.config {
            Ok(config) => (config, None),
            Err(error) => {
                // Out of service with the defaults, but the technicians' PIN still opens service mode.
                let mut config = Config::default();
                if let Some(path) = &startup.config_path {
                    crate::config::salvage(path, &mut config);
                }
                let problems: Vec<String> =
                    error.problems.iter().map(ToString::to_string).collect();
                (config, Some(problems))
            }
        };
        let catalogue = Arc::new(load_catalogue(&config));
        let app_words = catalogue.local_words.clone();
        let index = Arc::new(SearchIndex::new(&catalogue));
        let settings = Settings {
            hall: config.terminal.hall_name.clone(),
            lang: config.ui.language,
            elder: config.ui.elder_mode,
            idle: Duration::from_secs(config.ui.idle_seconds.into()),
            countdown: Duration::from_secs(config.ui.countdown_seconds.into()),
            announcement: Duration::from_secs(config.ui.announcement_seconds.into()),
            px_per_mm: config.screen.px_per_mm() * startup.density,
            profile: Profile::from_config(&config.printer),
            outlet: config.printer.outlet.clone(),
            database: config.terminal.database.clone(),
            documents: config.documents.clone(),
            voice: config.ui.voice,
        };
        let services = Services::new(
            startup.hub.clone(),
            config.terminal.database.clone(),
            config.terminal.device_id.clone(),
        );
        let voice = if startup.voice && config.ui.voice != crate::config::VoiceMode::Off {
            crate::voice::Voice::start(&config.ui.voice_command)
        } else {
            None
        };
        let clock = chrono::Local::now().naive_local();
        let mut app = App {
            vm: ViewModel {
                // The resting screen, set below once the app knows its state.
                screen: Screen::Attract(attract::State::default()),
                lang: settings.lang,
                elder: settings.elder,
                countdown: None,
                devices: DeviceBoard::from_config(&config),
                session: None,
                assist: Default::default(),
                card_left: false,
            },
            core: Terminal::new(
                settings.idle,
                settings.countdown,
                now,
                CardDate::from(clock.date()),
            ),
            catalogue,
            index,
            clock,
            now,
            last_rotation: now,
            window: Window {
                viewport: Size::new(
                    (config.screen.width_px as f32 * startup.density).round(),
                    (config.screen.height_px as f32 * startup.density).round(),
                ),
                hide_cursor: !startup.windowed,
                first_frame_probe: startup.first_frame_probe,
            },
            reader: startup.reader,
            scanner: startup.scanner,
            printer: startup.printer,
            hub: startup.hub,
            report: Default::default(),
            restart_pending: false,
            restarted: false,
            update_pending: None,
            demo: startup.demo.map(crate::ui::demo::Demo::new),
            services,
            speech: Speech {
                voice,
                spoken: None,
                card_left_said: None,
            },
            input: TextEntry::start(startup.input, &config, app_words),
            link: Default::default(),
            finger_at: None,
            config_path: startup.config_path,
            maintenance: crate::maintenance::Known::at_start(&config.terminal.database, problems),
            camera: startup
                .camera
                .or_else(|| {
                    config.camera.enabled.then(|| {
                        Arc::new(std::sync::Mutex::new(crate::device::camera::open(
                            &config.camera.device,
                        )))
                    })
                })
                .map(|device| CameraPart {
                    device,
                    probed: None,
                }),
            apply_for: None,
            print_for: None,
            represented: Vec::new(),
            code_to_check: None,
            helping: None,
            config,
            settings,
            ready_told: false,
        };
        app.vm.screen = app.resting_screen();
        if let Some(start) = app.window.first_frame_probe {
            app.start_session();
            eprintln!(
                "the interface's state is ready {:.1} ms after start",
                start.elapsed().as_secs_f64() * 1000.0
            );
        }
        app
    }

    pub fn view_model(&self) -> &ViewModel {
        &self.vm
    }

    /// The session object (its identity is filled by the card reader).
    pub fn session(&self) -> &Session {
        self.core.session()
    }

    pub fn session_mut(&mut self) -> &mut Session {
        self.core.session_mut()
    }

    pub fn catalogue(&self) -> &Catalogue {
        &self.catalogue
    }

    /// Device states come from the drivers; tests and presets set them directly.
    pub fn set_devices(&mut self, devices: DeviceBoard) {
        self.vm.devices = devices;
    }

    pub fn set_viewport(&mut self, size: Size) {
        self.window.viewport = size;
    }

    /// The window's size less the demo panel beside the terminal's screen.
    fn resized(&mut self, window: Size) {
        let panel = if self.demo.is_some() {
            crate::ui::demo::PANEL_WIDTH
        } else {
            0.0
        };
        self.window.viewport = Size::new((window.width - panel).max(1.0), window.height);
    }

    pub fn set_clock(&mut self, clock: NaiveDateTime) {
        self.clock = clock;
        self.core_time();
    }

    /// Hands the interface's clocks to the core (the instant for idle time, the day for card expiry).
    fn core_time(&mut self) {
        self.core
            .set_time(self.now, CardDate::from(self.clock.date()));
    }

    /// Where the citizen is, as the core's rules see it.
    fn place(&self) -> Place {
        match &self.vm.screen {
            Screen::Attract(_) => Place::Resting,
            Screen::Card(state) => Place::Card { then: state.then },
            Screen::OutOfService(_) | Screen::Maintenance(_) => Place::Closed,
            Screen::Home => Place::Menu,
            Screen::Progress(state) if state.step != progress::Step::Loading => Place::Menu,
            _ => Place::Elsewhere,
        }
    }

    /// Hands `input` to the core and shows what it comes to.
    fn handle(&mut self, input: Input) {
        let effects = self.core.handle(input, self.place());
        for effect in effects {
            self.show(effect);
        }
    }

    fn show(&mut self, effect: Effect) {
        match effect {
            Effect::SessionStarted => {
                // Language and elder mode chosen on the attract screen carry into the session.
                self.vm.session = self.core.current();
                self.vm.screen = Screen::Home;
            }
            Effect::SessionEnded(_) => self.session_ended(),
            Effect::Reading => match &mut self.vm.screen {
                Screen::Card(state) => state.reading(),
                _ => {
                    let mut state = card::State::new(None);
                    state.reading();
                    self.vm.screen = Screen::Card(state);
                }
            },
            Effect::Welcome { keep_card } => {
                let by_code = self.core.proof() == Some(Proof::Code);
                if let (Screen::Card(state), Some(identity)) =
                    (&mut self.vm.screen, self.core.identity())
                {
                    state.welcome(identity, keep_card, by_code);
                }
            }
            Effect::CheckCode(code) => {
                match &mut self.vm.screen {
                    Screen::Card(state) => state.checking_code(),
                    _ => {
                        let mut state = card::State::new(None);
                        state.checking_code();
                        self.vm.screen = Screen::Card(state);
                    }
                }
                self.code_to_check = Some(zeroize::Zeroizing::new(code));
            }
            Effect::Refused(refusal) => {
                if let Screen::Card(state) = &mut self.vm.screen {
                    state.refuse(refusal.into());
                }
            }
            Effect::Countdown(left) => self.vm.countdown = left,
            Effect::CardLeft(left) => {
                self.vm.card_left = left;
                self.speech.card_left_said = None;
                self.report_devices();
            }
            Effect::OpenCase(case_no) => {
                self.vm.screen = Screen::Progress(progress::State::scanned(&case_no))
            }
            Effect::NotACase => self.scan_notice(progress::ScanNotice::NotAReceipt),
            Effect::ScanAgain => self.scan_notice(progress::ScanNotice::ScanAgain),
        }
    }

    /// What a scanned code came to, said on the progress screen's keypad (opened if it is not showing).
    fn scan_notice(&mut self, notice: progress::ScanNotice) {
        match &mut self.vm.screen {
            Screen::Progress(state) => state.notice(notice),
            _ => {
                let mut state = progress::State::default();
                state.notice(notice);
                self.vm.screen = Screen::Progress(state);
            }
        }
    }

    pub fn look(&self) -> Look {
        Look::new(self.settings.px_per_mm, self.vm.elder, self.window.viewport)
    }

    fn env(&self) -> Env<'_> {
        Env {
            lang: self.vm.lang,
            look: self.look(),
            catalogue: &self.catalogue,
            index: &self.index,
        }
    }

    pub fn title(&self) -> String {
        self.settings.hall.get(self.vm.lang).to_string()
    }

    pub fn theme(&self) -> iced::Theme {
        self.look().iced_theme()
    }

    pub fn update(&mut self, message: Message) -> Task<Message> {
        let task = self.route(message);
        self.answer_here();
        self.speak();
        self.share();
        task
    }

    fn route(&mut self, message: Message) -> Task<Message> {
        match message {
            Message::Answer(asked, answer) => return self.answered(asked, answer),
            Message::Link(link, event) => return self.link_event(link, event),
            Message::Pointer(at) => {
                self.finger_at = Some(at);
                self.activity(Instant::now());
            }
            Message::Tick(now) => return self.tick(now),
            Message::Corner(down) => self.corner(down),
            Message::Input(reply) => self.input_reply(reply),
            // The service screen's threads answering are no one's touch.
            Message::Maintenance(message) if message.is_answer() => {
                return self.maintenance_message(message)
            }
            Message::Activity(now) => self.activity(now),
            Message::Resized(size) => self.resized(size),
            Message::Reader(event) => self.reader_event(event),
            Message::Scanner(event) => return self.scanner_event(event),
            Message::Printer(status) => {
                self.vm.devices.printer = status;
                self.report_devices();
            }
            Message::Hub(status) => self.vm.devices.hub = status,
            Message::Remote(event) => return self.remote(event),
            Message::Camera(status) => self.camera_status(status),
            Message::PrintProgress(progress) => {
                if let Screen::Print(state) = &mut self.vm.screen {
                    state.progress(progress);
                }
            }
            Message::PrintFinished(verdict) => self.print_finished(verdict),
            Message::Demo(message) => {
                if let Some(demo) = &self.demo {
                    if let Some(kind) = crate::ui::demo::update(&demo.rig, message) {
                        self.demo_print(kind);
                    }
                }
            }
            Message::Frame => {
                if let Some(start) = self.window.first_frame_probe.take() {
                    println!(
                        "first frame of the {} screen: {:.1} ms after start",
                        self.vm.screen.name(),
                        start.elapsed().as_secs_f64() * 1000.0
                    );
                    return iced::exit();
                }
            }
            message => {
                // Any interaction counts as activity, also when no raw input event reached us (tests).
                self.activity(self.now);
                return self.interact(message);
            }
        }
        Task::none()
    }

    fn interact(&mut self, message: Message) -> Task<Message> {
        match message {
            Message::Print(message) => return self.print(message),
            Message::Progress(message) => return self.progress(message),
            Message::Documents(message) => return self.documents(message),
            Message::Enterprise(message) => return self.enterprise(message),
            Message::Ticket(message) => return self.ticket(message),
            Message::Apply(message) => return self.apply(message),
            Message::Rating(message) => return self.rating(message),
            Message::Assist(message) => return self.assist(message),
            Message::Maintenance(message) => return self.maintenance_message(message),
            Message::Help(help::Message::Home) => self.vm.screen = Screen::Home,
            Message::Help(help::Message::Finish) => self.end_session(),
            Message::Attract(attract::Message::Start) => self.start_session(),
            Message::Home(home::Message::Open(feature)) => {
                // From the home screen, nothing an earlier matter asked for carries over.
                self.apply_for = None;
                self.print_for = None;
                return self.open(feature);
            }
            Message::Home(home::Message::SignIn) => self.vm.screen = self.card_screen(None),
            Message::Card(message) => return self.card(message),
            Message::Home(home::Message::ToggleElder) | Message::Bar(Bar::Elder) => {
                self.vm.elder = !self.vm.elder;
            }
            Message::Guide(message) => return self.guide(message),
            Message::Bar(Bar::Language) => {
                self.vm.lang = self.vm.lang.other();
            }
            // A running print job is always seen to its end on screen.
            Message::Bar(Bar::Home) | Message::Bar(Bar::Back) if self.printing() => {}
            Message::Bar(Bar::Home) if matches!(self.vm.screen, Screen::Print(_)) => {
                return self.print(print::Message::Home)
            }
            Message::Bar(Bar::Home) => {
                if self.vm.session.is_some() {
                    self.vm.screen = Screen::Home;
                }
            }
            Message::Bar(Bar::Back) => {
                // Back one step within a journey; from its first step, home.
                let today = self.today();
                let (input, lang) = (&self.input, self.vm.lang);
                let entry = |kind, limit| input.entry_for(lang, kind, limit);
                let ctx = apply::Context {
                    today,
                    entry: &entry,
                };
                let within = match &mut self.vm.screen {
                    Screen::Progress(state) => Some(state.back()),
                    Screen::Documents(state) => Some(state.back()),
                    Screen::Enterprise(state) => Some(state.back()),
                    Screen::Apply(state) => Some(state.back(&ctx)),
                    _ => None,
                };
                match (&self.vm.screen, within) {
                    (_, Some(true)) => {}
                    (_, Some(false)) | (Screen::Card(_), _) => self.vm.screen = Screen::Home,
                    (Screen::Guide(_), _) => return self.guide(guide::Message::Back),
                    (Screen::Print(_), _) => return self.print(print::Message::Home),
                    (Screen::Home, _) => self.end_session(),
                    _ => {}
                }
            }
            Message::Bar(Bar::Finish) => self.end_session(),
            Message::Bar(Bar::Continue) => self.vm.countdown = None,
            Message::Tick(_)
            | Message::Activity(_)
            | Message::Resized(_)
            | Message::Frame
            | Message::Reader(_)
            | Message::Scanner(_)
            | Message::Printer(_)
            | Message::Hub(_)
            | Message::Remote(_)
            | Message::Camera(_)
            | Message::PrintProgress(_)
            | Message::PrintFinished(_)
            | Message::Answer(..)
            | Message::Link(..)
            | Message::Pointer(_)
            | Message::Input(_)
            | Message::Corner(_)
            | Message::Demo(_) => {}
        }
        Task::none()
    }

    /// A print job (a document or a ticket) is running: its end is always shown.
    fn printing(&self) -> bool {
        match &self.vm.screen {
            Screen::Print(state) => state.printing(),
            Screen::Ticket(state) => state.printing(),
            Screen::Apply(state) => state.busy(),
            _ => false,
        }
    }

    /// Opens the print preview of `document` for this terminal's printer.
    pub fn open_print(&mut self, document: crate::domain::document::Document) {
        self.preview(document, None, Subject::journey("print"));
    }

    /// The preview of `document`, printed under the hub's `claim` when it has one; `subject` is what the
    /// rating on "done" is about.
    fn preview(
        &mut self,
        document: crate::domain::document::Document,
        claim: Option<String>,
        subject: Subject,
    ) {
        let remind_card = self.core.identity().is_some();
        let (id, title, kind) = (document.id.clone(), document.title.clone(), document.kind);
        match print::Prepared::new(document, &self.settings.profile) {
            Ok(mut prepared) => {
                prepared.claim = claim;
                self.vm.screen = Screen::Print(print::State::new(prepared, remind_card, subject));
            }
            Err(error) => {
                tracing::error!(%error, document = %id, "the document cannot be printed on this printer");
                if let Some(claim) = claim {
                    self.give_back(claim);
                }
                self.vm.screen =
                    Screen::Print(print::State::unprintable(title, kind, remind_card, subject));
            }
        }
    }

    /// Gives a claimed copy back to the holder's day (nothing was printed), through the outbox.
    fn give_back(&self, claim: String) {
        let services = self.services.clone();
        let spawned = std::thread::Builder::new()
            .name("give-back".into())
            .spawn(move || services.give_back(&claim));
        if let Err(error) = spawned {
            tracing::error!(%error, "a claimed copy not given back; it counts until the day ends");
        }
    }

    fn print(&mut self, message: print::Message) -> Task<Message> {
        let Screen::Print(state) = &mut self.vm.screen else {
            return Task::none();
        };
        match state.update(message) {
            Some(print::Event::Print) => match (&self.printer, state.prepared.clone()) {
                (Some(target), Some(prepared)) => {
                    return print_job(self.settings.database.clone(), target.clone(), prepared)
                }
                _ => state.finished(Verdict::NothingPrinted(
                    crate::device::Reason::NotConfigured,
                )),
            },
            Some(print::Event::Home) => self.vm.screen = Screen::Home,
            Some(print::Event::Finish) => self.end_session(),
            Some(print::Event::GiveBack(claim)) => {
                self.give_back(claim);
                self.vm.screen = Screen::Home;
            }
            Some(print::Event::Reclaim(document)) => {
                self.vm.screen = Screen::Documents(documents::State::again(document));
                return self.fetch_documents();
            }
            Some(print::Event::Rate(subject, level)) => return self.rate(subject, level),
            Some(print::Event::CallStaff(problem)) => return self.call_staff(problem),
            None => {}
        }
        Task::none()
    }

    /// What the next heartbeat tells the hub of the devices (and of a card left on the reader).
    pub fn device_report(&self) -> std::collections::BTreeMap<String, String> {
        self.report.lock().map(|r| r.clone()).unwrap_or_default()
    }

    /// What the heartbeat and printer-status subscriptions run with: the hub's settings with the shared
    /// device report, and the printer. A headless app runs no subscriptions; its tests start the threads.
    pub fn background_parts(
        &self,
    ) -> (
        Option<(
            crate::sync::client::HubSettings,
            crate::sync::heartbeat::DeviceReport,
        )>,
        Option<Target>,
    ) {
        (
            self.hub.clone().map(|hub| (hub, self.report.clone())),
            self.printer.clone(),
        )
    }

    fn report_devices(&self) {
        if let Ok(mut report) = self.report.lock() {
            for (name, status) in [
                ("reader", self.vm.devices.reader),
                ("printer", self.vm.devices.printer),
                ("camera", self.vm.devices.camera),
                ("scanner", self.vm.devices.scanner),
            ] {
                report.insert(name.to_string(), crate::device::describe(status));
            }
            let terminal = if self.maintenance.out_of_service.is_some() {
                "out of service (a technician's switch)"
            } else {
                "in service"
            };
            report.insert("terminal".to_string(), terminal.to_string());
            // The hall's staff see a card left behind with the terminal's place (the fleet listing).
            let card = if self.vm.card_left {
                "left on the reader: take it to the desk"
            } else {
                "none left"
            };
            report.insert("card".to_string(), card.to_string());
        }
    }

    fn print_finished(&mut self, verdict: Verdict) {
        // What the job found out about the printer shows on the tiles at once, before the next status poll.
        if let Verdict::NothingPrinted(reason) | Verdict::Incomplete(reason) = verdict {
            if reason != crate::device::Reason::NotConfigured {
                self.vm.devices.printer = crate::device::DeviceStatus::Fault(reason);
            }
        }
        match &mut self.vm.screen {
            Screen::Print(state) => state.finished(verdict),
            Screen::Ticket(state) => state.finished(verdict),
            Screen::Apply(state) => state.printed(verdict),
            Screen::Maintenance(_) => self.maintenance_printed(verdict),
            _ => {}
        }
        self.activity(self.now);
    }

    /// The demo panel asked for a sample: signed with the configured key, previewed on the terminal.
    fn demo_print(&mut self, kind: crate::domain::document::DocumentKind) {
        if matches!(self.vm.screen, Screen::OutOfService(_))
            || matches!(&self.vm.screen, Screen::Print(state) if state.printing())
        {
            return;
        }
        let key = match self.settings.documents.signing_key() {
            Ok(key) => key,
            Err(error) => {
                tracing::error!(%error, "demo: cannot sign the sample");
                return;
            }
        };
        if matches!(self.vm.screen, Screen::Attract(_)) {
            self.start_session();
        }
        self.activity(self.now);
        self.open_print(crate::domain::document::sample_signed(kind, &key));
    }

    fn guide(&mut self, message: guide::Message) -> Task<Message> {
        let Screen::Guide(state) = &mut self.vm.screen else {
            return Task::none();
        };
        match state.update(&self.catalogue, message) {
            Some(guide::Event::Leave) => self.vm.screen = Screen::Home,
            Some(guide::Event::Ticket(service)) => return self.take_ticket(service),
            Some(guide::Event::Open(feature)) => return self.open(feature),
            Some(guide::Event::Apply(service)) => return self.apply_from_guide(service),
            None => {}
        }
        Task::none()
    }

    fn open(&mut self, feature: Feature) -> Task<Message> {
        match self.core.route(feature, &self.vm.devices) {
            Route::Blocked => {}
            Route::AskCard(feature) => self.vm.screen = self.card_screen(Some(feature)),
            Route::Open { feature, mine } => match feature {
                Feature::Guide | Feature::Ticket => {
                    let search = self.entry(crate::input::Kind::Text, guide::QUERY_MAX);
                    self.vm.screen = Screen::Guide(if feature == Feature::Ticket {
                        guide::State::for_ticket(search)
                    } else {
                        guide::State::new(search)
                    });
                }
                Feature::Print => {
                    let only = self.print_for.take();
                    self.vm.screen = Screen::Documents(documents::State::of(only));
                    return self.fetch_documents();
                }
                Feature::Progress if mine => {
                    self.vm.screen = Screen::Progress(progress::State::mine());
                    return self.fetch_cases();
                }
                Feature::Progress => self.vm.screen = Screen::Progress(progress::State::default()),
                Feature::Apply => return self.open_apply(),
                Feature::Enterprise => return self.open_enterprise(),
            },
        }
        Task::none()
    }

    fn card(&mut self, message: card::Message) -> Task<Message> {
        if let Screen::Card(state) = &mut self.vm.screen {
            match state.update(message) {
                Some(card::Event::Done(then)) => {
                    self.vm.screen = Screen::Home;
                    if let Some(feature) = then {
                        return self.open(feature);
                    }
                }
                Some(card::Event::CallStaff(problem)) => return self.call_staff(problem),
                None => {}
            }
        }
        Task::none()
    }

    fn scanner_event(&mut self, event: ScannerEvent) -> Task<Message> {
        match event {
            ScannerEvent::Status(status) => {
                self.vm.devices.scanner = status;
                self.report_devices();
            }
            ScannerEvent::Code(code) => self.handle(Input::Scanned(Some(code))),
            ScannerEvent::Misread(_) => self.handle(Input::Scanned(None)),
        }
        self.check_code()
    }

    /// Checks the sign-in code the core asked for on a journey thread (its signature and minute against
    /// the hub keys kept here, then the hub takes it once).
    fn check_code(&mut self) -> Task<Message> {
        let Some(code) = self.code_to_check.take() else {
            return Task::none();
        };
        self.ask(move |services| Answer::Code(services.check_code(&code)))
    }

    /// The card screen asked for `then`, saying what the app's sign-in code can do there.
    pub(super) fn card_screen(&self, then: Option<Feature>) -> Screen {
        let code = if self.core.proof() == Some(Proof::Code) {
            card::CodeNote::CardNeeded
        } else if self.vm.devices.scanner.is_usable() && self.core.code_may_sign_in(then) {
            card::CodeNote::Offered
        } else {
            card::CodeNote::Hidden
        };
        Screen::Card(card::State::with_code(then, code))
    }

    fn reader_event(&mut self, event: ReaderEvent) {
        match event {
            ReaderEvent::Status(status) => {
                self.vm.devices.reader = status;
                self.report_devices();
                if let Screen::Card(state) = &mut self.vm.screen {
                    if !status.is_usable() {
                        state.reader_down();
                    }
                }
            }
            ReaderEvent::SamId(id) => {
                tracing::info!(sam_id = %id, "card reader SAM");
                self.maintenance.sam_id = Some(id);
            }
            ReaderEvent::CardPlaced => self.handle(Input::CardPlaced),
            ReaderEvent::CardRead(result) => self.card_read(result),
            ReaderEvent::CardRemoved => self.handle(Input::CardRemoved),
        }
    }

    /// What the last read came to, for the diagnostics screen (never whose card); a read in service mode
    /// is a technician's test read; any other goes to the core's rules.
    fn card_read(&mut self, result: Result<Box<Identity>, ReadFault>) {
        self.maintenance.last_read = Some(format!(
            "{} {}",
            self.clock.format("%H:%M:%S"),
            match &result {
                Ok(identity) => format!("{:?}", identity.card_type),
                Err(fault) => fault.cause.clone(),
            }
        ));
        if matches!(self.vm.screen, Screen::Maintenance(_)) {
            return self.maintenance_read(&result);
        }
        self.handle(Input::CardRead(result));
    }

    fn start_session(&mut self) {
        self.handle(Input::Start);
    }

    /// Ends the session (the core wipes it); the screen follows in [`App::session_ended`].
    fn end_session(&mut self) {
        self.handle(Input::End);
    }

    /// The session is over: what the interface holds of it goes, and the attract screen returns with the
    /// terminal's defaults.
    fn session_ended(&mut self) {
        if let Screen::Print(state) = &self.vm.screen {
            if let Some(claim) = state.unprinted_claim() {
                self.give_back(claim);
            }
        }
        // Remote help ends with the citizen's session.
        self.close_link(
            kiosk_proto::assist::FromTerminal::End {
                by: kiosk_proto::assist::Ended::SessionEnd,
            },
            "session_end",
        );
        self.finger_at = None;
        self.speech.spoken = None;
        // Nothing typed in this session stays in the pinyin engine.
        if let Some(link) = &self.input.link {
            link.send(crate::input::Request::Renew);
        }
        self.apply_for = None;
        self.print_for = None;
        self.represented.clear();
        self.vm.session = None;
        self.vm.countdown = None;
        self.vm.lang = self.settings.lang;
        self.vm.elder = self.settings.elder;
        self.vm.screen = self.resting_screen();
        self.last_rotation = self.now;
    }

    /// The engines answered: the first answer says which work and how to reach them; the others go to the
    /// field that asked (on the screen showing, if it is still there).
    fn input_reply(&mut self, reply: crate::input::Reply) {
        if let crate::input::Reply::Ready(engines, link) = &reply {
            self.input.engines = engines.clone();
            self.input.link = Some(link.clone());
        }
        self.vm.screen.input(&reply);
    }

    /// The engines answering on this thread ([`InputMode::Here`]): every request sent, answered now.
    fn answer_here(&mut self) {
        loop {
            let Some((engines, requests)) = &mut self.input.here else {
                return;
            };
            let Ok(request) = requests.try_recv() else {
                return;
            };
            if let Some(reply) = engines.handle(request) {
                self.vm.screen.input(&reply);
            }
        }
    }

    /// A new field for a screen (see [`TextEntry::entry`]).
    /// A citizen reading English types letters first (pinyin and handwriting are a tap away).
    pub(crate) fn entry(&self, kind: crate::input::Kind, limit: usize) -> crate::input::Entry {
        self.input.entry_for(self.vm.lang, kind, limit)
    }

    fn activity(&mut self, now: Instant) {
        self.now = self.now.max(now);
        self.core_time();
        self.handle(Input::Touch);
    }

    fn tick(&mut self, now: Instant) -> Task<Message> {
        self.now = self.now.max(now);
        if let Some(demo) = &mut self.demo {
            demo.refresh();
        }
        self.clock = chrono::Local::now().naive_local();
        if self.restart_pending && self.resting() {
            return self.restart_if_due();
        }
        self.update_if_due();
        let task = self.maintenance_tick();
        // A call no one has taken for a while: the desk is offered too (the call goes on).
        if self.vm.assist.phase == crate::assist::Phase::Calling {
            self.vm.assist.waited_long = self.link.calling_since.is_some_and(|since| {
                self.now.saturating_duration_since(since) >= crate::assist::NUDGE_AFTER
            });
        }
        // The interface's loop is alive: systemd's watchdog restarts a terminal whose screen froze.
        if !self.ready_told {
            crate::maintenance::systemd::notify("READY=1");
            self.ready_told = true;
        }
        crate::maintenance::systemd::notify("WATCHDOG=1");
        let phone = Task::batch([self.poll_phone(), self.look_live(), self.probe_camera()]);
        let helped = self.vm.assist.phase.open()
            && self.link.calling_since.is_some_and(|since| {
                self.now.saturating_duration_since(since) < crate::assist::HELP_PATIENCE
            });
        self.core_time();
        self.handle(Input::Tick { helped });
        let count = self.catalogue.announcements.len();
        if let Screen::Attract(state) = &mut self.vm.screen {
            if !self.vm.elder
                && self.now.saturating_duration_since(self.last_rotation)
                    >= self.settings.announcement
            {
                state.rotate(count);
                self.last_rotation = self.now;
            }
        }
        Task::batch([task, phone])
    }

    pub fn subscription(&self) -> Subscription<Message> {
        let probe = if self.window.first_frame_probe.is_some() {
            window::frames().map(|_| Message::Frame)
        } else {
            Subscription::none()
        };
        let reader = match &self.reader {
            Some(settings) => {
                Subscription::run_with(settings.clone(), reader_events).map(Message::Reader)
            }
            None => Subscription::none(),
        };
        let scanner = match &self.scanner {
            Some(settings) => {
                Subscription::run_with(settings.clone(), scanner_events).map(Message::Scanner)
            }
            None => Subscription::none(),
        };
        let printer = match &self.printer {
            Some(target) => {
                Subscription::run_with(target.clone(), printer_events).map(Message::Printer)
            }
            None => Subscription::none(),
        };
        let hub = match &self.hub {
            Some(settings) => Subscription::run_with(
                (settings.clone(), HubReport(self.report.clone())),
                hub_events,
            )
            .map(Message::from),
            None => Subscription::none(),
        };
        let input = match &self.input.settings {
            Some(settings) => {
                Subscription::run_with(settings.clone(), input_events).map(Message::Input)
            }
            None => Subscription::none(),
        };
        let link = match &self.link.link {
            Some(link) => {
                Subscription::run_with(LinkEvents(link.id, link.events_handle()), link_events)
                    .map(|(id, event)| Message::Link(id, event))
            }
            None => Subscription::none(),
        };
        Subscription::batch([
            probe,
            reader,
            scanner,
            printer,
            hub,
            link,
            input,
            time::every(Duration::from_secs(1)).map(Message::Tick),
            event::listen_with(|event, _status, _window| match event {
                iced::Event::Mouse(mouse::Event::ButtonPressed(_))
                | iced::Event::Keyboard(iced::keyboard::Event::KeyPressed { .. }) => {
                    Some(Message::Activity(Instant::now()))
                }
                iced::Event::Window(window::Event::Resized(size)) => Some(Message::Resized(size)),
                // A touch is activity too (the pointer's message counts it).
                iced::Event::Mouse(mouse::Event::CursorMoved { position })
                | iced::Event::Touch(touch::Event::FingerPressed { position, .. })
                | iced::Event::Touch(touch::Event::FingerMoved { position, .. }) => {
                    Some(Message::Pointer(position))
                }
                _ => None,
            }),
        ])
    }

    pub fn view(&self) -> Element<'_, Message> {
        let env = self.env();
        let look = env.look;
        let content: Element<'_, Message> = match &self.vm.screen {
            Screen::Attract(state) => {
                let reader = self.vm.devices.reader.is_usable();
                attract::view(state, &env, &self.settings.hall, self.clock, reader)
                    .map(Message::Attract)
            }
            Screen::Home => {
                home::view(&env, &self.vm.devices, self.core.identity()).map(Message::Home)
            }
            Screen::Guide(state) => state.view(&env, &self.vm.devices).map(Message::Guide),
            Screen::Card(state) => state.view(&env).map(Message::Card),
            Screen::Print(state) => state.view(&env, &self.settings.outlet).map(Message::Print),
            Screen::Progress(state) => state.view(&env).map(Message::Progress),
            Screen::Documents(state) => state.view(&env).map(Message::Documents),
            Screen::Enterprise(state) => state.view(&env).map(Message::Enterprise),
            Screen::Ticket(state) => state.view(&env, &self.settings.outlet).map(Message::Ticket),
            Screen::Apply(state) => state.view(&env).map(Message::Apply),
            Screen::Rating(state) => state.view(&env).map(Message::Rating),
            Screen::Help(state) => state.view(&env).map(Message::Help),
            Screen::OutOfService(state) => out_of_service::view(state, &env),
            Screen::Maintenance(state) => {
                crate::ui::screen::maintenance::view(state, &env).map(Message::Maintenance)
            }
        };
        let mut layout = column![];
        if !matches!(self.vm.screen, Screen::Attract(_)) {
            layout = layout.push(self.top_bar(&env));
        }
        if let Some(banner) = crate::ui::assist::banner(&env, &self.vm.assist) {
            layout = layout.push(banner.map(Message::Assist));
        }
        if self.vm.card_left {
            layout = layout.push(card_left(&env));
        }
        let layout = layout
            .push(container(content).height(Length::Fill))
            .push(self.bottom_bar(&env));
        let screen = container(layout)
            .width(Length::Fill)
            .height(Length::Fill)
            .style(look.screen());

        let mut screen = stack![screen];
        if let Some(corner) = self.corner_view(&env) {
            screen = screen.push(corner);
        }
        if let Some(at) = self.vm.assist.pointed {
            screen = screen.push(crate::ui::assist::pointer(&env, at));
        }
        if let Some(prompt) = crate::ui::assist::prompt(&env, &self.vm.assist) {
            screen = screen.push(prompt.map(Message::Assist));
        }
        if let Some(left) = self.vm.countdown {
            screen = screen.push(opaque(countdown(&env, left)));
        }
        let screen: Element<'_, Message> = screen.into();
        let screen = if self.window.hide_cursor {
            mouse_area(screen)
                .interaction(mouse::Interaction::Hidden)
                .into()
        } else {
            screen
        };
        match &self.demo {
            Some(demo) => row![
                container(screen).width(self.window.viewport.width),
                demo.view(self.vm.lang).map(Message::Demo),
            ]
            .into(),
            None => screen,
        }
    }

    fn top_bar<'a>(&'a self, env: &Env<'a>) -> Element<'a, Message> {
        let look = env.look;
        bar(
            look,
            row![
                text(self.settings.hall.get(env.lang))
                    .size(look.text_small())
                    .font(fonts::bold())
                    .width(Length::Fill),
                self.connection(env),
                self.call_button(env),
                text(crate::ui::i18n::clock(self.clock))
                    .size(look.text_body())
                    .font(fonts::bold()),
            ],
        )
    }

    /// The hub connection, discreetly: nothing on a terminal without a hub or before the first answer;
    /// "offline" while the hub cannot be reached or refuses the credential (what works offline still does;
    /// the features that need the hub say so plainly on their tiles).
    fn connection<'a>(&self, env: &Env<'a>) -> Element<'a, Message> {
        let label = match self.vm.devices.hub {
            DeviceStatus::Ready | DeviceStatus::Warning(_) | DeviceStatus::Busy => Words::HubOnline,
            DeviceStatus::Fault(_) => Words::HubOffline,
            DeviceStatus::Unknown | DeviceStatus::Disabled(_) => {
                return space().width(Length::Shrink).into()
            }
        };
        // The bar's own text colour: a muted grey would not read on the bar.
        text(env.t(label)).size(env.look.text_small()).into()
    }

    /// "Call staff" on every screen of a session, while no remote help is under way.
    fn call_button<'a>(&self, env: &Env<'a>) -> Element<'a, Message> {
        let look = env.look;
        // A failure offers its own "call staff" (with what went wrong): one button, not two.
        let failure = matches!(
            self.prompt(),
            Some(
                Prompt::CardProblem
                    | Prompt::PrintProblem
                    | Prompt::Limit
                    | Prompt::TicketNotPrinted
                    | Prompt::Problem
            )
        );
        if self.vm.session.is_none()
            || self.vm.assist.phase.open()
            || failure
            || matches!(self.vm.screen, Screen::Help(_) | Screen::OutOfService(_))
        {
            return space().width(Length::Shrink).into();
        }
        env.tile(
            env.t(Words::Assist(crate::ui::i18n::AssistWords::CallStaff)),
            look.text_small(),
            Message::Assist(crate::ui::assist::Message::Call),
        )
        .padding([0.0, look.pad_button()])
        .height(look.target())
        .into()
    }

    fn bottom_bar<'a>(&'a self, env: &Env<'a>) -> Element<'a, Message> {
        let look = env.look;
        let bar_button = |label: Words, message: Message| -> Element<'a, Message> {
            env.tile(env.t(label), look.text_body(), message)
                .padding([0.0, look.pad_card()])
                .height(look.button_height())
                .into()
        };
        let mut left = row![].spacing(look.gap());
        match &self.vm.screen {
            Screen::Home => left = left.push(bar_button(Words::Finish, Message::Bar(Bar::Finish))),
            Screen::Guide(_)
            | Screen::Card(_)
            | Screen::Progress(_)
            | Screen::Documents(_)
            | Screen::Enterprise(_) => {
                left = left
                    .push(bar_button(Words::Back, Message::Bar(Bar::Back)))
                    .push(bar_button(Words::Home, Message::Bar(Bar::Home)));
            }
            // No way out while the job runs: its end is always shown.
            _ if self.printing() => {}
            Screen::Apply(state) if state.step != apply::Step::Done => {
                left = left
                    .push(bar_button(Words::Back, Message::Bar(Bar::Back)))
                    .push(bar_button(Words::Home, Message::Bar(Bar::Home)));
            }
            Screen::Print(_)
            | Screen::Ticket(_)
            | Screen::Apply(_)
            | Screen::Rating(_)
            | Screen::Help(_) => left = left.push(bar_button(Words::Home, Message::Bar(Bar::Home))),
            Screen::Attract(_) | Screen::OutOfService(_) | Screen::Maintenance(_) => {}
        }
        let elder = if self.vm.elder {
            Words::ElderOff
        } else {
            Words::ElderOn
        };
        bar(
            look,
            row![
                left,
                space().width(Length::Fill),
                bar_button(elder, Message::Bar(Bar::Elder)),
                bar_button(Words::SwitchLanguage, Message::Bar(Bar::Language)),
            ],
        )
    }
}

/// The top or bottom bar around a row of its contents.
fn bar<'a>(look: Look, content: iced::widget::Row<'a, Message>) -> Element<'a, Message> {
    container(content.spacing(look.gap()).align_y(Alignment::Center))
        .padding([look.gap(), look.pad()])
        .width(Length::Fill)
        .style(look.bar())
        .into()
}

/// The strip that says a card was left on the reader, on every screen until it is taken: what happened in
/// large type, what to do under it.
fn card_left<'a>(env: &Env<'a>) -> Element<'a, Message> {
    let look = env.look;
    let colors = look.colors();
    let what = env.t(Words::Journey(crate::ui::i18n::JourneyWords::CardLeft));
    let todo = env.t(Words::Journey(crate::ui::i18n::JourneyWords::CardLeftTodo));
    container(
        column![
            text(format!("⚠ {what}"))
                .size(look.text_feature())
                .font(crate::ui::fonts::bold())
                .color(colors.on_primary),
            text(todo).size(look.text_title()).color(colors.on_primary),
        ]
        .spacing(look.gap_line()),
    )
    .padding([look.gap_section(), look.pad()])
    .width(Length::Fill)
    .style(look.banner())
    .into()
}

fn countdown<'a>(env: &Env<'a>, left: u32) -> Element<'a, Message> {
    let look = env.look;
    let dialog = container(
        column![
            text(env.t(Words::StillThere))
                .size(look.text_huge())
                .font(fonts::bold()),
            text(left.to_string())
                .size(look.text_countdown())
                .font(fonts::bold())
                .color(look.colors().accent),
            env.body(env.t(Words::CountdownBody(left)))
                .align_x(Alignment::Center),
            env.action(Words::Continue, Message::Bar(Bar::Continue), true),
        ]
        .spacing(look.gap_block())
        .align_x(Alignment::Center),
    )
    .padding(look.pad_dialog())
    .max_width(look.viewport.width.min(look.viewport.height) * 0.85)
    .style(look.card());
    container(dialog)
        .center(Length::Fill)
        .style(look.scrim())
        .into()
}

/// The catalogue to start with: the hub's (cached), else the one the configuration names. `Config::load` has
/// already checked that a seed file loads; should
/// it vanish between that check and this read, the bundled copy keeps the guide working.
fn load_catalogue(config: &Config) -> Catalogue {
    // The hub's catalogue, cached by the heartbeat, is newer than any file shipped with the terminal.
    if !config.hub.url.is_empty() {
        if let Some(cached) = crate::sync::state::SyncState::open(&config.terminal.database)
            .ok()
            .as_ref()
            .and_then(crate::sync::state::cached_catalogue)
        {
            return cached;
        }
    }
    match &config.catalogue.seed {
        None => catalogue::bundled(),
        Some(path) => Catalogue::load(path).unwrap_or_else(|error| {
            tracing::error!(%error, "using the bundled catalogue instead");
            catalogue::bundled()
        }),
    }
}

/// The reader thread's events as a stream; the thread stops when the subscription is dropped.
fn reader_events(
    settings: &ReaderSettings,
) -> impl iced::futures::Stream<Item = ReaderEvent> + use<> {
    let settings = settings.clone();
    bridge::reports(16, move |sink| ReaderThread::spawn(settings, sink))
}

/// The code scanner's events as a stream; the thread stops when the subscription is dropped.
fn scanner_events(
    settings: &ScannerSettings,
) -> impl iced::futures::Stream<Item = ScannerEvent> + use<> {
    let settings = settings.clone();
    bridge::reports(16, move |sink| ScannerThread::spawn(settings, sink))
}

/// The text-entry engines' answers as a stream; the thread stops when the subscription is dropped.
fn input_events(
    settings: &crate::input::EngineSettings,
) -> impl iced::futures::Stream<Item = crate::input::Reply> + use<> {
    let settings = settings.clone();
    bridge::reports(16, move |sink| crate::input::spawn(settings, sink))
}

/// The printer status thread's reports as a stream; the thread stops when the subscription is dropped.
fn printer_events(target: &Target) -> impl iced::futures::Stream<Item = DeviceStatus> + use<> {
    let target = target.clone();
    bridge::reports(4, move |sink| PrinterThread::spawn(target, EVERY, sink))
}

/// The shared device report, as a subscription's identity: one heartbeat per app, whatever its contents.
#[derive(Clone)]
struct HubReport(crate::sync::heartbeat::DeviceReport);

impl std::hash::Hash for HubReport {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        std::sync::Arc::as_ptr(&self.0).hash(state);
    }
}

/// The heartbeat thread's reports as a stream; the thread stops when the subscription is dropped.
fn hub_events(
    (settings, report): &(crate::sync::client::HubSettings, HubReport),
) -> impl iced::futures::Stream<Item = crate::sync::heartbeat::HubEvent> + use<> {
    let (settings, report) = (settings.clone(), report.0.clone());
    bridge::reports(4, move |sink| {
        crate::sync::heartbeat::HubThread::spawn_events(settings, report, sink)
    })
}

/// What the heartbeat thread reports, as the interface takes it (its tests hand it over the same way).
impl From<crate::sync::heartbeat::HubEvent> for Message {
    fn from(event: crate::sync::heartbeat::HubEvent) -> Message {
        match event {
            crate::sync::heartbeat::HubEvent::Status(status) => Message::Hub(status),
            other => Message::Remote(other),
        }
    }
}

/// A link's events, as a subscription's identity: its number.
#[derive(Clone)]
struct LinkEvents(
    u64,
    std::sync::Arc<
        std::sync::Mutex<
            Option<futures_channel::mpsc::UnboundedReceiver<crate::assist::link::LinkEvent>>,
        >,
    >,
);

impl std::hash::Hash for LinkEvents {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.0.hash(state);
    }
}

/// The link's events as a stream (empty when someone else took them, as a test does).
fn link_events(
    link: &LinkEvents,
) -> impl iced::futures::Stream<Item = (u64, crate::assist::link::LinkEvent)> + use<> {
    use iced::futures::StreamExt;
    let id = link.0;
    let events = link.1.lock().expect("link events").take();
    iced::futures::stream::iter(events)
        .flatten()
        .map(move |event| (id, event))
}

/// Runs one print job on its own thread: progress, then the verdict. A thread that cannot start printed
/// nothing: the citizen is told the printer cannot print now.
fn print_job(
    database: std::path::PathBuf,
    target: Target,
    prepared: Arc<print::Prepared>,
) -> Task<Message> {
    bridge::job(
        "print-job",
        move |mut sink| {
            let verdict = crate::printing::job::print_at_terminal(
                &database,
                &target,
                &prepared.document,
                &prepared.bytes,
                prepared.claim.as_deref(),
                || {
                    sink(Message::PrintProgress(print::Progress::Printing));
                },
            );
            sink(Message::PrintFinished(verdict));
        },
        Message::PrintFinished(Verdict::NothingPrinted(crate::device::Reason::DeviceError)),
    )
}

/// Runs the terminal's window (fullscreen unless `windowed`).
pub fn run(mut startup: Startup) -> iced::Result {
    let windowed = startup.windowed;
    let screen = match &startup.config {
        Ok(config) => config.screen,
        Err(_) => Config::default().screen,
    };
    // A development window shows the whole configured screen, at a lower density to fit a desktop. (A
    // fractional iced scale factor would do the same, but leaves stale pixels with tiny-skia's damage
    // tracking.)
    if windowed {
        startup.density = (960.0 / screen.height_px as f32).min(1.0);
    }
    let panel = if startup.demo.is_some() {
        crate::ui::demo::PANEL_WIDTH
    } else {
        0.0
    };
    let size = Size::new(
        (screen.width_px as f32 * startup.density).round() + panel,
        (screen.height_px as f32 * startup.density).round(),
    );
    fonts::load_once();
    if let Some(start) = startup.first_frame_probe {
        eprintln!(
            "the window is asked for {:.1} ms after start",
            start.elapsed().as_secs_f64() * 1000.0
        );
    }
    let startup = std::sync::Mutex::new(Some(startup));
    iced::application(
        move || {
            let startup = startup
                .lock()
                .expect("startup lock")
                .take()
                .expect("the application boots once");
            App::new(startup)
        },
        App::update,
        App::view,
    )
    .title(App::title)
    .theme(App::theme)
    .subscription(App::subscription)
    .default_font(fonts::regular())
    .window(window::Settings {
        size,
        fullscreen: !windowed,
        decorations: windowed,
        resizable: windowed,
        ..window::Settings::default()
    })
    .run()
}
