//! Where service mode meets the root: the hidden corner that opens it, the screen's context, and what the
//! screen asks of the root (leave, print a test page, put a saved configuration to work, the switch moved).
//! The screen does the rest itself (`ui::screen::maintenance`), on the rules of `crate::maintenance`.

use super::*;
use crate::ui::screen::maintenance::{self as panel, Event};

/// The screen's context from the root's fields (a macro, so that the screen's state, another field of
/// the root, can be borrowed beside it).
macro_rules! context {
    ($app:expr, $wall_ms:expr) => {
        panel::Context {
            now: $app.now,
            wall_ms: $wall_ms,
            config: &$app.config,
            config_path: $app.config_path.as_deref(),
            database: &$app.settings.database,
            devices: $app.vm.devices,
            printer: $app.printer.as_ref(),
            profile: &$app.settings.profile,
            documents: &$app.settings.documents,
            known: &mut $app.maintenance,
            input: ($app.input.link.as_ref(), &$app.input.engines),
        }
    };
}

impl App {
    /// Wall-clock milliseconds, from the interface's clock (tests move it).
    fn wall_ms(&self) -> i64 {
        self.clock
            .and_local_timezone(chrono::Local)
            .earliest()
            .map(|t| t.timestamp_millis())
            .unwrap_or_else(|| chrono::Utc::now().timestamp_millis())
    }

    /// Runs `step` on the service screen showing, with its context; what it asks of the root follows.
    fn on_maintenance(
        &mut self,
        step: impl FnOnce(
            &mut panel::State,
            &mut panel::Context<'_>,
        ) -> (Task<panel::Message>, Option<Event>),
    ) -> Task<Message> {
        let wall_ms = self.wall_ms();
        let Screen::Maintenance(state) = &mut self.vm.screen else {
            return Task::none();
        };
        let (task, event) = step(state, &mut context!(self, wall_ms));
        let task = task.map(Message::Maintenance);
        match event {
            None => task,
            Some(event) => Task::batch([task, self.maintenance_event(event)]),
        }
    }

    fn maintenance_event(&mut self, event: Event) -> Task<Message> {
        match event {
            Event::Leave => {
                self.maintenance.technician = None;
                self.vm.screen = self.resting_screen();
            }
            Event::Print(target, prepared) => {
                return print_job(self.settings.database.clone(), target, prepared)
            }
            Event::Apply(config) => self.apply_config(*config),
            Event::Switched => self.report_devices(),
        }
        Task::none()
    }

    /// The hidden corner of the start and out-of-service screens, pressed or let go. Let go before the long
    /// press, it was a citizen's touch like any other: on the start screen, the session starts.
    pub(super) fn corner(&mut self, down: bool) {
        let hidden_here = matches!(self.vm.screen, Screen::Attract(_) | Screen::OutOfService(_));
        let let_go_early = self.maintenance.corner(down && hidden_here, Instant::now());
        if let_go_early && matches!(self.vm.screen, Screen::Attract(_)) {
            self.start_session();
        }
    }

    /// Every second: the long press, and the service screen's own tick.
    pub(super) fn maintenance_tick(&mut self) -> Task<Message> {
        if self.maintenance.corner_held(self.now) {
            self.open_pin();
        }
        self.on_maintenance(|state, ctx| state.tick(ctx))
    }

    pub(super) fn maintenance_message(&mut self, message: panel::Message) -> Task<Message> {
        self.on_maintenance(|state, ctx| state.update(message, ctx))
    }

    /// A card read while service mode shows: a technician's test read.
    pub(super) fn maintenance_read(&mut self, result: &Result<Box<Identity>, ReadFault>) {
        let _ = self.on_maintenance(|state, ctx| {
            state.card_read(result, ctx);
            (Task::none(), None)
        });
    }

    /// A test page's end.
    pub(super) fn maintenance_printed(&mut self, verdict: Verdict) {
        if let Screen::Maintenance(state) = &mut self.vm.screen {
            state.printed(verdict);
        }
    }

    pub(crate) fn open_pin(&mut self) {
        let wall_ms = self.wall_ms();
        self.vm.screen = Screen::Maintenance(panel::State::pin(&mut context!(self, wall_ms)));
    }

    pub(crate) fn open_panel(&mut self) -> Task<Message> {
        let wall_ms = self.wall_ms();
        let (state, task) = panel::State::panel(&mut context!(self, wall_ms));
        self.vm.screen = Screen::Maintenance(state);
        task.map(Message::Maintenance)
    }

    /// The PIN pad as a terminal with the hub's technicians' accounts shows it (`kiosk shot`).
    pub(crate) fn ask_technician_number(&mut self) {
        if let Screen::Maintenance(state) = &mut self.vm.screen {
            state.ask_technician_number();
        }
    }

    /// Shows `note` on the PIN pad (`kiosk shot`).
    pub(crate) fn set_pin_note(&mut self, note: panel::PinNote) {
        if let Screen::Maintenance(state) = &mut self.vm.screen {
            state.show_pin_note(note);
        }
    }

    /// Sample facts of a running terminal on the diagnostics tab (`kiosk shot`).
    pub(crate) fn service_sample_facts(&mut self, log: Vec<String>) {
        self.maintenance.sam_id = Some("05.01-20201104-0000391-2871053641".into());
        self.maintenance.last_read = Some("09:29:40 Resident".into());
        let stored = crate::maintenance::stored::Stored {
            last_job: Some("#311 SZ-YYZZ-0001 Printed 2026-11-23 09:29:58".into()),
            outbox: Some(3),
            hub_version: None,
        };
        let _ = self.on_maintenance(|state, ctx| {
            state.show_sample(stored, log, ctx);
            (Task::none(), None)
        });
    }

    /// Puts a new configuration to work without a restart: the hall's name, the timeouts, elder mode and
    /// the voice as defaults, the keyboard's engines, the printer, the reader and the hub (their threads
    /// restart with their new settings). The screen's size waits for the next start.
    pub(super) fn apply_config(&mut self, new: Config) {
        // The file checks now: the terminal can serve again.
        self.maintenance.config_problems = None;
        let old = std::mem::replace(&mut self.config, new);
        let new = &self.config;
        self.settings.hall = new.terminal.hall_name.clone();
        self.settings.elder = new.ui.elder_mode;
        self.settings.voice = new.ui.voice;
        self.settings.announcement = Duration::from_secs(new.ui.announcement_seconds.into());
        self.settings.idle = Duration::from_secs(new.ui.idle_seconds.into());
        self.settings.countdown = Duration::from_secs(new.ui.countdown_seconds.into());
        self.core
            .set_timeouts(self.settings.idle, self.settings.countdown);
        self.settings.profile = Profile::from_config(&new.printer);
        self.settings.outlet = new.printer.outlet.clone();
        let board = DeviceBoard::from_config(new);
        if new.reader != old.reader {
            self.reader = new
                .reader
                .enabled
                .then(|| ReaderSettings::from_config(&new.reader));
            self.vm.devices.reader = board.reader;
            self.maintenance.sam_id = None;
        }
        if (&new.printer.uri, new.printer.enabled) != (&old.printer.uri, old.printer.enabled) {
            self.printer = new
                .printer
                .enabled
                .then(|| Target::parse(&new.printer.uri).ok())
                .flatten();
            self.vm.devices.printer = board.printer;
        }
        if new.hub != old.hub {
            let interval = self.hub.as_ref().map(|h| h.interval);
            self.hub = crate::sync::client::HubSettings::from_config(new).map(|mut hub| {
                hub.interval = interval.unwrap_or(hub.interval);
                hub
            });
            self.services = Services::new(
                self.hub.clone(),
                new.terminal.database.clone(),
                new.terminal.device_id.clone(),
            );
            self.vm.devices.hub = board.hub;
        }
        if new.input != old.input {
            // The keyboard's engines start again with the new settings (fuzzy pinyin).
            self.input =
                TextEntry::start(self.input.mode(), new, self.catalogue.local_words.clone());
        }
        if self.resting() {
            // No one at the screen: it shows the new defaults (the hall's name, elder mode) at once.
            self.vm.elder = self.settings.elder;
        }
        self.report_devices();
    }

    /// The screen a terminal shows with no one at it.
    pub(super) fn resting_screen(&self) -> Screen {
        match (
            &self.maintenance.config_problems,
            &self.maintenance.out_of_service,
        ) {
            (Some(problems), _) => Screen::OutOfService(out_of_service::State {
                problems: problems.clone(),
                message: None,
            }),
            (None, Some(message)) => Screen::OutOfService(out_of_service::State {
                problems: vec![],
                message: Some(message.clone()),
            }),
            (None, None) => Screen::Attract(attract::State::default()),
        }
    }

    /// The hidden corner over the start and out-of-service screens: a press held for
    /// [`crate::maintenance::LONG_PRESS`].
    pub(super) fn corner_view<'a>(&self, env: &Env<'a>) -> Option<Element<'a, Message>> {
        if !matches!(self.vm.screen, Screen::Attract(_) | Screen::OutOfService(_)) {
            return None;
        }
        let side = env.look.mm(20.0);
        Some(
            mouse_area(space().width(side).height(side))
                .on_press(Message::Corner(true))
                .on_release(Message::Corner(false))
                .on_exit(Message::Corner(false))
                .into(),
        )
    }
}
