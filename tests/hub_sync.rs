//! The terminal and a real hub on loopback (SQLite): `kiosk enroll`, the heartbeat thread carrying the
//! devices' states, the fleet seeing them, the hub going down and coming back, a refused credential, and
//! `kiosk sync status`.

use std::path::Path;
use std::process::Command;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use kiosk::config::Config;
use kiosk::device::{DeviceStatus, Reason};
use kiosk::sync::client::HubSettings;
use kiosk::sync::heartbeat::HubThread;
use kiosk_proto::fleet::Liveness;

/// A hub serving on loopback from its own runtime; `stop` ends it, `start` again serves the same file.
struct TestHub {
    runtime: tokio::runtime::Runtime,
    db: String,
    address: std::net::SocketAddr,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
}

impl TestHub {
    fn new(dir: &Path) -> TestHub {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        let db = format!("sqlite://{}", dir.join("hub.db").display());
        let address = runtime.block_on(async {
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
            listener.local_addr().unwrap()
        });
        let mut hub = TestHub {
            runtime,
            db,
            address,
            stop: None,
        };
        hub.start();
        hub
    }

    fn url(&self) -> String {
        format!("http://{}", self.address)
    }

    fn store(&self) -> kiosk_hub::Store {
        self.runtime
            .block_on(kiosk_hub::Store::open(&self.db))
            .unwrap()
    }

    fn start(&mut self) {
        let store = self.store();
        let listener = self
            .runtime
            .block_on(tokio::net::TcpListener::bind(self.address))
            .unwrap();
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        self.runtime.spawn(kiosk_hub::serve(listener, store, async {
            let _ = stopped.await;
        }));
        self.stop = Some(stop);
    }

    fn stop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        // Until the port refuses connections.
        while std::net::TcpStream::connect(self.address).is_ok() {
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    fn code(&self) -> String {
        let store = self.store();
        self.runtime
            .block_on(kiosk_hub::fleet::create_code(&store, "吴中区政务服务中心"))
            .unwrap()
    }

    fn publish_catalogue(&self, json: &str) -> i64 {
        let store = self.store();
        self.runtime
            .block_on(kiosk_hub::catalogue::import(&store, json, "catalogue.json"))
            .unwrap()
    }

    fn fleet(&self) -> Vec<kiosk_proto::fleet::FleetEntry> {
        let store = self.store();
        self.runtime
            .block_on(kiosk_hub::fleet::listing(
                &store,
                kiosk_hub::store::now_ms(),
            ))
            .unwrap()
    }
}

fn kiosk(config: &Path, args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_kiosk"))
        .arg("--config")
        .arg(config)
        .args(args)
        .env("KIOSK_LOG", "warn")
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// A terminal's kiosk.toml pointing at `hub`, its files in `dir`.
fn terminal_config(dir: &Path, hub: &str) -> std::path::PathBuf {
    let path = dir.join("kiosk.toml");
    std::fs::write(
        &path,
        format!(
            "[terminal]\ndevice_id = \"WZ-0007\"\ndatabase = \"kiosk.db\"\n\
             [hub]\nurl = \"{hub}\"\ncredential = \"credential\"\n"
        ),
    )
    .unwrap();
    path
}

#[test]
fn enrol_beat_go_offline_and_come_back() {
    let dir = tempfile::tempdir().unwrap();
    let mut hub = TestHub::new(dir.path());
    let config_path = terminal_config(dir.path(), &hub.url());

    let (code, out, _) = kiosk(&config_path, &["sync", "status"]);
    assert_eq!(code, 4, "not enrolled yet: {out}");
    assert!(out.contains("enrolled: no"), "{out}");

    let one_time = hub.code();
    let (code, out, err) = kiosk(
        &config_path,
        &["enroll", "--hub", &hub.url(), "--code", &one_time],
    );
    assert_eq!(code, 0, "{out}{err}");
    assert!(
        out.contains("enrolled WZ-0007 in 吴中区政务服务中心"),
        "{out}"
    );
    let credential = dir.path().join("credential");
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(&credential).unwrap().permissions().mode();
    assert_eq!(
        mode & 0o777,
        0o600,
        "only the terminal's user reads the credential"
    );
    let (code, _, err) = kiosk(
        &config_path,
        &["enroll", "--hub", &hub.url(), "--code", &one_time],
    );
    assert_eq!(code, 4);
    assert!(err.contains("already used"), "{err}");

    let config = Config::load(&config_path).unwrap();
    let mut settings = HubSettings::from_config(&config).unwrap();
    settings.interval = Duration::from_millis(150);
    let report = Arc::new(Mutex::new(
        [("printer".to_string(), "fault: paper out".to_string())].into(),
    ));
    let (tx, rx) = std::sync::mpsc::channel();
    let _thread = HubThread::spawn(settings.clone(), report, move |s| tx.send(s).is_ok());
    let next = || rx.recv_timeout(Duration::from_secs(10)).unwrap();

    assert_eq!(next(), DeviceStatus::Ready);
    let fleet = hub.fleet();
    assert_eq!(fleet[0].device_id, "WZ-0007");
    assert_eq!(fleet[0].liveness, Liveness::Online);
    assert_eq!(fleet[0].devices["printer"], "fault: paper out");
    let (code, out, _) = kiosk(&config_path, &["sync", "status"]);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("enrolled: yes") && !out.contains("last contact: never"),
        "{out}"
    );

    // A new catalogue on the hub reaches the terminal through the heartbeat, and the guide starts with it.
    let renamed =
        kiosk::domain::catalogue::BUNDLED.replacen("企业设立登记", "企业设立登记（新版）", 1);
    assert_eq!(hub.publish_catalogue(&renamed), 1);
    let state = kiosk::sync::state::SyncState::open(&config.terminal.database).unwrap();
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    while state.get("catalogue_version").unwrap().as_deref() != Some("1") {
        assert!(
            std::time::Instant::now() < deadline,
            "the catalogue never arrived"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    let app = kiosk::ui::App::new(kiosk::ui::Startup::new(Ok(config.clone()), true));
    assert!(app
        .catalogue()
        .services
        .iter()
        .any(|s| s.name.zh == "企业设立登记（新版）"));

    // hub_down: the tiles learn it, and the heartbeat keeps trying (back-off from interval / 6).
    hub.stop();
    assert_eq!(next(), DeviceStatus::Fault(Reason::Offline));
    // hub back: the next attempt gets through.
    hub.start();
    assert_eq!(next(), DeviceStatus::Ready);

    // A credential the hub no longer knows (the terminal was enrolled again elsewhere).
    std::fs::write(&credential, "WZ-0007.0000").unwrap();
    assert_eq!(next(), DeviceStatus::Fault(Reason::DeviceError));
}

#[test]
fn a_terminal_without_a_credential_keeps_hub_features_off_and_says_how_to_enrol() {
    let dir = tempfile::tempdir().unwrap();
    let hub = TestHub::new(dir.path());
    let config = Config::load(&terminal_config(dir.path(), &hub.url())).unwrap();
    let settings = HubSettings::from_config(&config).unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    let _thread = HubThread::spawn(settings, Default::default(), move |s| tx.send(s).is_ok());
    assert_eq!(
        rx.recv_timeout(Duration::from_secs(10)).unwrap(),
        DeviceStatus::Disabled(Reason::NotConfigured)
    );
    let error =
        kiosk::sync::client::HubClient::new(&hub.url(), &config.hub.credential).unwrap_err();
    assert!(
        error
            .to_string()
            .contains("kiosk enroll --hub URL --code CODE"),
        "{error}"
    );
}
