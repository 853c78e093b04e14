//! A terminal with every part real, for the journey and remote-guidance tests: the hub on loopback
//! (SQLite, seeded with the Suzhou demo, the terminal enrolled with a one-time code), the reader simulator
//! on a pty read by the real reader thread, the virtual printer over TCP, and the terminal's journal and
//! outbox in a real SQLite file.

use std::sync::mpsc;
use std::time::{Duration, Instant};

use super::{run, shows, tap};
use kiosk::config::Config;
use kiosk::demo::DemoParts;
use kiosk::device::printer::status::{Paper, PrinterState};
use kiosk::device::reader::{ReaderEvent, ReaderSettings, ReaderThread};
use kiosk::device::{DeviceBoard, DeviceStatus, Reason};
use kiosk::printing::journal::{JobState, Journal};
use kiosk::sync::client::HubClient;
use kiosk::sync::outbox::Outbox;
use kiosk::ui::{App, Message, Startup};
use kiosk_proto::service::IdNumber;

/// The demo card holders' ID numbers (invented, in `assets/demo-cards.toml`).
pub const RESIDENT: &str = "320508194408150020";
pub const MOVED: &str = "320502197904021530";

/// A terminal with every part real: the hub, the reader simulator, the virtual printer.
pub struct Rig {
    pub app: App,
    pub parts: DemoParts,
    /// The simulated document camera's faults.
    pub camera: std::sync::Arc<std::sync::Mutex<kiosk::device::camera::sim::Faults>>,
    pub events: mpsc::Receiver<ReaderEvent>,
    pub config: Config,
    _reader: ReaderThread,
    _dir: tempfile::TempDir,
}

pub fn rig() -> Rig {
    rig_with(|_| {})
}

pub fn rig_with(adjust: impl FnOnce(&mut Config)) -> Rig {
    rig_on(None, adjust)
}

/// A rig whose hub keeps its database at `hub` (a PostgreSQL URL), or in SQLite when none.
pub fn rig_on(hub: Option<&str>, adjust: impl FnOnce(&mut Config)) -> Rig {
    super::log();
    let dir = tempfile::tempdir().unwrap();
    let mut config = Config::default();
    let parts = match hub {
        Some(url) => DemoParts::start_on(dir.path(), Some(&mut config), false, url),
        None => DemoParts::start(dir.path(), Some(&mut config), false),
    }
    .unwrap();
    adjust(&mut config);
    let (tx, events) = mpsc::channel();
    let reader = ReaderThread::spawn(
        ReaderSettings {
            port: parts.port.path().to_string(),
            baud: 115_200,
            poll: Duration::from_millis(100),
        },
        move |e| tx.send(e).is_ok(),
    );
    let mut startup = Startup::new(Ok(config.clone()), true);
    startup.voice = true;
    let camera = kiosk::device::camera::sim::SimCamera::new(Default::default());
    let faults = camera.faults();
    startup.camera = Some(std::sync::Arc::new(std::sync::Mutex::new(Box::new(camera))));
    let mut app = App::new(startup);
    app.set_devices(DeviceBoard::ready());
    Rig {
        app,
        parts,
        camera: faults,
        events,
        config,
        _reader: reader,
        _dir: dir,
    }
}

impl Rig {
    /// Delivers the reader's events until `until` holds.
    pub fn pump(&mut self, until: impl Fn(&App) -> bool) {
        let deadline = Instant::now() + Duration::from_secs(10);
        while !until(&self.app) {
            let left = deadline.saturating_duration_since(Instant::now());
            let event = self
                .events
                .recv_timeout(left)
                .expect("the reader's events keep coming");
            let task = self.app.update(Message::Reader(event));
            run(&mut self.app, task);
        }
    }

    /// Delivers what the reader reports over the next few polls (a card taken away).
    pub fn settle(&mut self) {
        std::thread::sleep(Duration::from_millis(400));
        while let Ok(event) = self.events.try_recv() {
            let task = self.app.update(Message::Reader(event));
            run(&mut self.app, task);
        }
    }

    /// Places the demo card `label` on the simulated reader and waits for the welcome.
    pub fn place(&mut self, label: &str) {
        self.parts.sim.place(label).unwrap();
        self.pump(|app| app.session().identity().is_some());
        assert!(shows(&self.app, "欢迎您") || shows(&self.app, "Welcome"));
    }

    pub fn tap(&mut self, label: &str) {
        tap(&mut self.app, label);
    }

    /// Start, 证照打印, the card `label` read, continue: the holder's documents (or the only one's preview).
    pub fn print_journey(&mut self, label: &str) {
        self.tap("请轻触屏幕开始");
        self.tap("证照打印");
        self.place(label);
        self.tap("继续办理");
    }

    /// Start, 取号, 企业开办, 企业设立登记: the ticket is taken and printed.
    pub fn take_ticket(&mut self) {
        self.tap("请轻触屏幕开始");
        self.tap("取号");
        self.tap("企业开办");
        self.tap("企业设立登记");
    }

    /// A holder signs in for printing and walks away: the session times out with the card on the reader.
    pub fn leave_card_behind(&mut self) {
        self.tap("请轻触屏幕开始");
        self.tap("证照打印");
        self.place("resident");
        let task = self
            .app
            .update(Message::Tick(Instant::now() + Duration::from_secs(3600)));
        run(&mut self.app, task);
    }

    pub fn paper_out(&self) {
        self.parts.printer.set_state(PrinterState {
            paper: Paper::Out,
            ..PrinterState::HEALTHY
        });
    }

    pub fn shows(&self, label: &str) -> bool {
        shows(&self.app, label)
    }

    pub fn client(&self) -> HubClient {
        HubClient::new(
            &self.config.hub.url,
            &self.config.hub.credential,
            self.config.hub.ca.as_deref(),
        )
        .unwrap()
    }

    /// The number of the newest case the demo hub holds for the holder of `id`.
    pub fn newest_case_of(&self, id: &str) -> String {
        self.client()
            .cases_mine(&kiosk_proto::service::IdNumber::new(id))
            .unwrap()
            .remove(0)
            .summary
            .case_no
    }

    /// Sends the outbox to the hub (what the heartbeat thread does every beat).
    pub fn drain(&self) {
        Outbox::open(&self.config.terminal.database)
            .unwrap()
            .drain(&self.client())
            .unwrap();
    }

    /// Copies printed today of each of the holder's documents, as the hub counts them.
    pub fn copies(&self, id: &str) -> Vec<(String, u32)> {
        self.client()
            .documents_mine(&IdNumber::new(id))
            .unwrap()
            .into_iter()
            .map(|d| (d.title, d.printed_today))
            .collect()
    }

    pub fn journal(&self) -> Vec<(JobState, Option<String>)> {
        Journal::open(&self.config.terminal.database)
            .unwrap()
            .jobs()
            .unwrap()
            .into_iter()
            .map(|j| (j.state, j.claim))
            .collect()
    }

    /// The (kind, body) of every event the hub stored.
    pub fn hub_events(&self) -> Vec<(String, String)> {
        use sqlx::Row;
        self.parts.hub.block_on(async {
            sqlx::query("SELECT kind, body FROM events")
                .fetch_all(self.parts.hub.store().pool())
                .await
                .unwrap()
                .iter()
                .map(|row| (row.get::<String, _>(0), row.get::<String, _>(1)))
                .collect()
        })
    }

    /// Whether, once the outbox is drained, the hub stored an event of `kind` whose body contains `text`.
    pub fn hub_has(&self, kind: &str, text: &str) -> bool {
        self.drain();
        self.hub_events()
            .iter()
            .any(|(k, body)| k == kind && body.contains(text))
    }

    /// Like [`Rig::hub_has`], for a record written off the interface's thread: it may take a moment.
    pub fn hub_gets(&self, kind: &str, text: &str) -> bool {
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if self.hub_has(kind, text) {
                return true;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        false
    }

    pub fn wait_for_jobs(&self, n: usize) -> Vec<kiosk::device::printer::virtual_printer::Job> {
        let jobs = self.parts.printer.wait_for_jobs(n, Duration::from_secs(5));
        assert_eq!(jobs.len(), n, "{n} jobs printed");
        jobs
    }

    /// The case `number` as the moved resident's progress finds it (by the number and the ID's last six).
    pub fn progress_of_moved(&self, number: &str) -> kiosk_proto::service::CaseDetail {
        self.client()
            .case_query(&kiosk_proto::service::CaseQuery {
                case_no: number.to_string(),
                id_number: None,
                id_last6: Some(MOVED[12..].into()),
            })
            .unwrap()
    }

    /// A reviewer of `department` in the console, logging in as `username` / `correct horse`.
    pub fn add_reviewer(&self, username: &str, department: &str) {
        let store = self.parts.hub.store();
        self.parts
            .hub
            .block_on(async {
                kiosk_hub::staff::add(store, username, "审批员", "0200", "correct horse").await?;
                kiosk_hub::staff::grant(
                    store,
                    username,
                    kiosk_hub::staff::Role::Reviewer,
                    &[department.to_string()],
                )
                .await
            })
            .unwrap();
    }

    /// A staff member of the console: 张丽, staff number 0123, logging in as `zhangli` / `correct horse`.
    pub fn add_staff(&self) {
        self.parts
            .hub
            .block_on(kiosk_hub::staff::add(
                self.parts.hub.store(),
                "zhangli",
                "张丽",
                "0123",
                "correct horse",
            ))
            .unwrap();
    }
}

/// Writes the shipped kiosk.toml to `path` with the demo's `parts` in it (as `config`, which
/// `DemoParts::start` pointed at them, has them) and `more`; returns the configuration the file gives.
pub fn config_file(
    path: &std::path::Path,
    config: &Config,
    parts: &DemoParts,
    more: &[kiosk::maintenance::settings::Change],
) -> Config {
    std::fs::write(path, include_str!("../../kiosk.toml")).unwrap();
    let mut changes = parts.config_changes(config);
    changes.extend_from_slice(more);
    let saved = kiosk::maintenance::settings::save(path, &changes).unwrap();
    // The backup of the shipped file is not what the tests look at.
    let _ = std::fs::remove_file(saved.backup.unwrap());
    saved.config
}

/// The service PIN the technicians' tests set.
pub const PIN: &str = "258014";

impl Rig {
    /// Writes this rig's configuration to a kiosk.toml (the shipped file with the rig's parts and the
    /// service PIN [`PIN`]) and starts the terminal again from it, as a real one starts: service mode saves
    /// its settings there. Returns the file.
    pub fn restart_from_file(&mut self) -> std::path::PathBuf {
        let path = self._dir.path().join("kiosk.toml");
        let pin = kiosk::maintenance::settings::Change::text(
            "service",
            "pin_hash",
            kiosk_proto::secret::hash(PIN),
        );
        self.config = config_file(&path, &self.config, &self.parts, &[pin]);
        let mut startup = Startup::new(Ok(self.config.clone()), true);
        startup.config_path = Some(path.clone());
        self.app = App::new(startup);
        self.app.set_devices(DeviceBoard {
            reader: DeviceStatus::Ready,
            printer: DeviceStatus::Ready,
            hub: DeviceStatus::Ready,
            camera: DeviceStatus::Ready,
            scanner: DeviceStatus::Disabled(Reason::NotConfigured),
        });
        path
    }

    /// The service-mode steps audited in the terminal's outbox, in order: (action, detail).
    pub fn service_audit(&self) -> Vec<(String, serde_json::Value)> {
        Outbox::open(&self.config.terminal.database)
            .unwrap()
            .waiting(10_000)
            .unwrap()
            .into_iter()
            .filter(|record| record.kind == kiosk::maintenance::AUDIT_EVENT)
            .map(|record| {
                (
                    record.body["action"].as_str().unwrap().to_string(),
                    record.body["detail"].clone(),
                )
            })
            .collect()
    }
}
