//! What the hub's operators ask of the running terminal: the settings they publish, written to kiosk.toml
//! as service mode writes them (each checked by the configuration's own rules, the file backed up and
//! replaced atomically) and put to work at once, what fails refused with its reason; and the commands only
//! the interface can carry out: the out-of-service switch, a restart once no citizen is at the screen, the
//! masked screenshot.

use super::*;
use crate::maintenance::settings::{self as file, Change, Value};
use crate::sync::heartbeat::{answer_command, record_applied, HubEvent};
use kiosk_proto::remote::{Command, CommandResult, Refusal, RemoteSettings, SettingsReply};

/// The settings that live in kiosk.toml, each as its name on the wire and the keys it sets.
fn file_changes(settings: &RemoteSettings) -> Vec<(&'static str, Vec<Change>)> {
    let mut all = Vec::new();
    for (key, value) in [
        ("idle_seconds", settings.idle_seconds),
        ("countdown_seconds", settings.countdown_seconds),
        ("announcement_seconds", settings.announcement_seconds),
    ] {
        if let Some(value) = value {
            all.push((key, vec![Change::number("ui", key, value)]));
        }
    }
    if let Some(hall) = &settings.hall_name {
        all.push((
            "hall_name",
            vec![
                Change::text("terminal", "hall_name_zh", hall.zh.trim()),
                Change::text("terminal", "hall_name_en", hall.en.trim()),
            ],
        ));
    }
    if let Some(elder) = settings.elder_mode {
        all.push((
            "elder_mode",
            vec![Change::new("ui", "elder_mode", Value::Flag(elder))],
        ));
    }
    if let Some(voice) = &settings.voice {
        all.push(("voice", vec![Change::text("ui", "voice", voice.trim())]));
    }
    if let Some(fuzzy) = settings.fuzzy_pinyin {
        all.push((
            "fuzzy_pinyin",
            vec![Change::new("input", "fuzzy_pinyin", Value::Flag(fuzzy))],
        ));
    }
    all
}

/// Why the configuration's rules refused a value, without the file's location.
fn why(error: &crate::config::ConfigError) -> String {
    error
        .problems
        .iter()
        .map(|p| format!("{}: {}", p.key, p.message))
        .collect::<Vec<_>>()
        .join("; ")
}

impl App {
    /// What the heartbeat thread hands over besides the hub's state (`Message::Hub`).
    pub(super) fn remote(&mut self, event: HubEvent) -> Task<Message> {
        match event {
            HubEvent::Status(status) => return self.update(Message::Hub(status)),
            HubEvent::Settings(reply) => self.apply_remote(*reply),
            HubEvent::Command(command, id) => return self.remote_command(command, id),
        }
        Task::none()
    }

    /// Applies the settings the hub published, each on its own: what the configuration's rules take is
    /// written and put to work; the rest is refused with the reason, reported with the next beats.
    pub fn apply_remote(&mut self, reply: SettingsReply) {
        let mut refused = Vec::new();
        let groups = file_changes(&reply.settings);
        match (&self.config_path, groups.is_empty()) {
            (_, true) => {}
            (None, false) => refused.extend(groups.iter().map(|(key, _)| Refusal {
                key: key.to_string(),
                why: "this terminal runs without a configuration file (kiosk.toml)".into(),
            })),
            (Some(path), false) => {
                let path = path.clone();
                // An absent file counts as empty (as service mode's save takes it); an unreadable one
                // refuses every setting with why, rather than checking them against nothing.
                let text = match std::fs::read_to_string(&path) {
                    Ok(text) => Ok(text),
                    Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(String::new()),
                    Err(error) => Err(format!("cannot read {}: {error}", path.display())),
                };
                let mut text = match text {
                    Ok(text) => text,
                    Err(why) => {
                        refused.extend(groups.iter().map(|(key, _)| Refusal {
                            key: key.to_string(),
                            why: why.clone(),
                        }));
                        String::new()
                    }
                };
                let groups = if refused.is_empty() {
                    groups
                } else {
                    Vec::new()
                };
                let mut taken = Vec::new();
                for (key, changes) in groups {
                    match file::edit(&text, &path, &changes) {
                        Ok((next, _, _)) => {
                            text = next;
                            taken.push((key, changes));
                        }
                        Err(error) => refused.push(Refusal {
                            key: key.to_string(),
                            why: why(&error),
                        }),
                    }
                }
                let changes: Vec<Change> = taken.iter().flat_map(|(_, c)| c.clone()).collect();
                match file::save(&path, &changes) {
                    Ok(saved) if saved.changed.is_empty() => {}
                    Ok(saved) => {
                        crate::maintenance::audit(
                            &self.settings.database,
                            "settings_from_hub",
                            serde_json::json!({ "version": reply.version, "changed": saved.changed }),
                        );
                        self.apply_config(saved.config);
                    }
                    Err(error) => refused.extend(taken.iter().map(|(key, _)| Refusal {
                        key: key.to_string(),
                        why: error.to_string(),
                    })),
                }
            }
        }
        if let Some(switch) = &reply.settings.out_of_service {
            let message = switch.off.then(|| {
                switch.message.clone().unwrap_or_else(|| {
                    LocalText::new(
                        crate::ui::i18n::maintenance::OOS_ZH,
                        crate::ui::i18n::maintenance::OOS_EN,
                    )
                })
            });
            self.switch_service(message, "the hub's settings");
        }
        if let Some(version) = &reply.settings.software_version {
            match self.wanted_version(version) {
                Ok(Some(version)) => self.update_pending = Some(version),
                Ok(None) => {}
                Err(why) => refused.push(Refusal {
                    key: "software_version".into(),
                    why,
                }),
            }
        }
        if let Some(signed) = &reply.technicians {
            let kept = crate::sync::state::SyncState::open(&self.settings.database)
                .map_err(|e| e.to_string())
                .and_then(|state| crate::maintenance::pin::keep_list(&state, signed));
            match kept {
                Ok(accounts) => {
                    tracing::info!(accounts, "the technicians' accounts from the hub kept")
                }
                Err(why) => refused.push(Refusal {
                    key: "technicians".into(),
                    why,
                }),
            }
        }
        for refusal in &refused {
            tracing::warn!(setting = %refusal.key, why = %refusal.why, version = reply.version, "a setting from the hub refused");
        }
        tracing::info!(
            version = reply.version,
            refused = refused.len(),
            "settings from the hub applied"
        );
        let recorded = crate::sync::state::SyncState::open(&self.settings.database)
            .and_then(|state| record_applied(&state, reply.version, &refused));
        if let Err(error) = recorded {
            tracing::error!(%error, "the settings' version is not recorded; they are fetched again");
        }
    }

    /// The out-of-service switch moved from afar; the screen follows if no one is using it.
    fn switch_service(&mut self, message: Option<LocalText>, by: &str) {
        if self.maintenance.out_of_service == message {
            return;
        }
        crate::maintenance::switch_service(
            &self.settings.database,
            &mut self.maintenance,
            message,
            by,
        );
        if self.resting() {
            self.vm.screen = self.resting_screen();
        }
        self.report_devices();
    }

    /// Whether no citizen is at the screen (the start or out-of-service screen shows).
    pub(super) fn resting(&self) -> bool {
        matches!(self.vm.screen, Screen::Attract(_) | Screen::OutOfService(_))
    }

    fn remote_command(&mut self, command: Command, id: Option<i64>) -> Task<Message> {
        let result = match command {
            Command::OutOfService | Command::InService => {
                let message = (command == Command::OutOfService).then(|| {
                    LocalText::new(
                        crate::ui::i18n::maintenance::OOS_ZH,
                        crate::ui::i18n::maintenance::OOS_EN,
                    )
                });
                let on = message.is_none();
                self.switch_service(message, "the hub's operators");
                CommandResult {
                    ok: true,
                    text: if on { "in service" } else { "out of service" }.into(),
                    png_base64: None,
                }
            }
            Command::Restart => {
                self.restart_pending = true;
                CommandResult {
                    ok: true,
                    text: if self.resting() {
                        "restarting now"
                    } else {
                        "restarting once the citizen at the screen has finished"
                    }
                    .into(),
                    png_base64: None,
                }
            }
            Command::Screenshot => match self.masked_screenshot() {
                Ok(png) => {
                    use base64::Engine;
                    CommandResult {
                        ok: true,
                        text: format!("{} ({} bytes)", self.vm.screen.name(), png.len()),
                        png_base64: Some(base64::engine::general_purpose::STANDARD.encode(png)),
                    }
                }
                Err(error) => CommandResult {
                    ok: false,
                    text: format!("no screenshot: {error}"),
                    png_base64: None,
                },
            },
            Command::Log => CommandResult {
                ok: true,
                text: crate::maintenance::logtail::last(kiosk_proto::remote::LOG_LINES).join("\n"),
                png_base64: None,
            },
            // The heartbeat thread answers the rest itself.
            Command::RefreshCatalogue | Command::RefreshKeys | Command::RotateCredential => {
                return Task::none()
            }
        };
        tracing::info!(command = command.name(), "command from the hub carried out");
        if let Some(hub) = self.hub.clone() {
            std::thread::spawn(move || {
                if let Ok(client) = crate::sync::client::HubClient::new(
                    &hub.url,
                    &hub.credential,
                    hub.ca.as_deref(),
                ) {
                    answer_command(&client, id, result);
                }
            });
        }
        self.restart_if_due()
    }

    /// The version the hub tells this terminal to run, when it is another than the one installed: checked,
    /// and only where the package's updater waits for it.
    fn wanted_version(&self, version: &str) -> Result<Option<String>, String> {
        if !kiosk_proto::remote::valid_version(version) {
            return Err(format!("{version:?} is not a package version"));
        }
        if version == crate::sync::heartbeat::installed_version() {
            return Ok(None);
        }
        let folder = crate::sync::heartbeat::update_folder(&self.settings.database);
        if !folder.is_dir() {
            return Err(format!(
                "no update folder {}: this terminal was not installed from the package, whose kiosk-update \
                 installs versions",
                folder.display()
            ));
        }
        Ok(Some(version.to_string()))
    }

    /// A version to install, handed to the package's updater (kiosk-update.path starts it as root) once no
    /// citizen is at the screen; the installation restarts the terminal.
    pub(super) fn update_if_due(&mut self) {
        if !self.resting() {
            return;
        }
        let Some(version) = self.update_pending.take() else {
            return;
        };
        let wanted = crate::sync::heartbeat::update_folder(&self.settings.database).join("wanted");
        match std::fs::write(&wanted, format!("{version}\n")) {
            Ok(()) => tracing::info!(%version, "a version from the hub handed to kiosk-update"),
            Err(error) => {
                tracing::error!(%error, path = %wanted.display(), "the version to install cannot be written")
            }
        }
    }

    /// A restart the hub asked for, once no citizen is at the screen: the program ends and systemd starts
    /// it again (`Restart=always`).
    pub(super) fn restart_if_due(&mut self) -> Task<Message> {
        if self.restart_pending && self.resting() {
            tracing::info!("restarting, as the hub's operators asked");
            self.restart_pending = false;
            self.restarted = true;
            return iced::exit();
        }
        Task::none()
    }

    /// Whether the program has ended for a restart the hub asked for.
    pub fn restarted(&self) -> bool {
        self.restarted
    }

    /// The screen as remote guidance shows it (every personal value masked), as a PNG.
    pub fn masked_screenshot(&self) -> std::io::Result<Vec<u8>> {
        let size = self.look().viewport;
        let items = self.masked_items();
        let picture =
            crate::ui::assist::picture(&items, size, "打印预览（不外传） Print preview (not sent)");
        let size = iced::Size::new(size.width.round() as u32, size.height.round() as u32);
        let rgba = crate::ui::shot::render_element(picture, &iced::Theme::Light, size);
        crate::ui::shot::encode_png(&rgba, size)
    }
}
