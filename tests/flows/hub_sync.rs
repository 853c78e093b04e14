//! The terminal and a real hub on loopback (SQLite): `kiosk enroll`, the heartbeat thread carrying the
//! devices' states, the fleet seeing them, the hub going down and coming back, a refused credential, and
//! `kiosk sync status`.

use crate::common;

use std::path::Path;
use std::process::Command;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use kiosk::config::Config;
use kiosk::device::{DeviceStatus, Reason};
use kiosk::sync::client::HubSettings;
use kiosk::sync::heartbeat::HubThread;
use kiosk_proto::fleet::Liveness;

/// The hub embedded in the test, on a SQLite file in `dir`, with the calls the tests make on it.
struct TestHub(kiosk_hub::embedded::EmbeddedHub);

impl TestHub {
    fn new(dir: &Path) -> TestHub {
        let db = format!("sqlite://{}", dir.join("hub.db").display());
        TestHub(kiosk_hub::embedded::EmbeddedHub::start(&db).unwrap())
    }

    fn url(&self) -> String {
        self.0.url()
    }

    fn stop(&mut self) {
        self.0.pause();
    }

    fn start(&mut self) {
        self.0.resume().unwrap();
    }

    fn code(&self) -> String {
        self.0
            .block_on(kiosk_hub::fleet::create_code(
                self.0.store(),
                "吴中区政务服务中心",
            ))
            .unwrap()
    }

    fn publish_catalogue(&self, json: &str) -> i64 {
        self.0
            .block_on(kiosk_hub::catalogue::import(
                self.0.store(),
                json,
                "catalogue.json",
            ))
            .unwrap()
    }

    /// The (kind, body) of every event the hub stored, in no particular order.
    fn events(&self) -> Vec<(String, String)> {
        use sqlx::Row;
        self.0.block_on(async {
            sqlx::query("SELECT kind, body FROM events")
                .fetch_all(self.0.store().pool())
                .await
                .unwrap()
                .iter()
                .map(|row| (row.get::<String, _>(0), row.get::<String, _>(1)))
                .collect()
        })
    }

    fn fleet(&self) -> Vec<kiosk_proto::fleet::FleetEntry> {
        self.0
            .block_on(kiosk_hub::fleet::listing(
                self.0.store(),
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
        kiosk::sync::client::HubClient::new(&hub.url(), &config.hub.credential, None).unwrap_err();
    assert!(
        error
            .to_string()
            .contains("kiosk enroll --hub URL --code CODE"),
        "{error}"
    );
}

/// A terminal enrolled with `hub`: its configuration and its client.
fn enrolled_terminal(hub: &TestHub, dir: &Path) -> (Config, kiosk::sync::client::HubClient) {
    let config_path = terminal_config(dir, &hub.url());
    let (code, out, err) = kiosk(
        &config_path,
        &["enroll", "--hub", &hub.url(), "--code", &hub.code()],
    );
    assert_eq!(code, 0, "{out}{err}");
    let config = Config::load(&config_path).unwrap();
    let client =
        kiosk::sync::client::HubClient::new(&hub.url(), &config.hub.credential, None).unwrap();
    (config, client)
}

/// Prints `n` receipts to a file through the journal: each job's end is an outbox record.
fn print_jobs(config: &Config, n: usize) {
    use kiosk::device::printer::{encode::render, transport::Target, Profile};
    use kiosk::printing::job::print_recorded;
    let journal = kiosk::printing::journal::Journal::open(&config.terminal.database).unwrap();
    let target = Target::parse(&format!(
        "file://{}",
        config.terminal.database.with_extension("jobs").display()
    ))
    .unwrap();
    let document = kiosk::domain::document::sample(kiosk::domain::document::DocumentKind::Receipt);
    let bytes = render(&document, &Profile::MM80).unwrap();
    for _ in 0..n {
        print_recorded(&journal, &target, &document, &bytes, None).unwrap();
    }
}

#[test]
fn hub_down_for_a_day() {
    // A day offline is many heartbeats failing with back-off (capped at 5 minutes): what matters is that
    // records pile up in the outbox untouched and then all arrive, exactly once, when the hub is back.
    let dir = tempfile::tempdir().unwrap();
    let mut hub = TestHub::new(dir.path());
    let (config, client) = enrolled_terminal(&hub, dir.path());
    hub.stop();
    let outbox = kiosk::sync::outbox::Outbox::open(&config.terminal.database).unwrap();
    print_jobs(&config, 120);
    for level in 1..=5 {
        outbox
            .add(
                "rating",
                &serde_json::json!({"service": "ticket", "level": level}),
            )
            .unwrap();
    }
    assert_eq!(outbox.depth().unwrap(), 125);
    for _ in 0..3 {
        let error = outbox.drain(&client).unwrap_err();
        assert!(error.to_string().contains("cannot be reached"), "{error}");
        assert_eq!(
            outbox.depth().unwrap(),
            125,
            "nothing lost while the hub is down"
        );
    }
    hub.start();
    assert_eq!(outbox.drain(&client).unwrap(), 125);
    assert_eq!(outbox.depth().unwrap(), 0);
    assert_eq!(outbox.drain(&client).unwrap(), 0, "nothing is sent twice");
    let events = hub.events();
    assert_eq!(events.len(), 125);
    assert_eq!(
        events
            .iter()
            .filter(|(kind, _)| kind == "print_job")
            .count(),
        120
    );
    let printed = events
        .iter()
        .filter(|(_, body)| body.contains("\"state\":\"printed\""))
        .count();
    assert_eq!(printed, 120, "a file target takes every job");
}

#[test]
fn hub_restart_mid_upload() {
    let dir = tempfile::tempdir().unwrap();
    let mut hub = TestHub::new(dir.path());
    let (config, client) = enrolled_terminal(&hub, dir.path());
    let outbox = kiosk::sync::outbox::Outbox::open(&config.terminal.database).unwrap();
    for n in 0..3000 {
        outbox.add("audit", &serde_json::json!({"n": n})).unwrap();
    }
    // The upload runs while the hub goes down and comes back under it.
    let uploader = {
        let (database, client) = (config.terminal.database.clone(), client.clone());
        std::thread::spawn(move || {
            let outbox = kiosk::sync::outbox::Outbox::open(&database).unwrap();
            outbox.drain(&client)
        })
    };
    while hub.events().is_empty() {
        std::thread::sleep(Duration::from_millis(1));
    }
    hub.stop();
    let interrupted = uploader.join().unwrap();
    hub.start();
    let left = outbox.depth().unwrap();
    assert!(
        interrupted.is_err() || left == 0,
        "either the upload was cut off or it had finished"
    );
    outbox.drain(&client).unwrap();
    assert_eq!(outbox.depth().unwrap(), 0);
    let mut numbers: Vec<i64> = hub
        .events()
        .iter()
        .map(|(_, body)| {
            serde_json::from_str::<serde_json::Value>(body).unwrap()["n"]
                .as_i64()
                .unwrap()
        })
        .collect();
    numbers.sort();
    assert_eq!(
        numbers,
        (0..3000).collect::<Vec<_>>(),
        "every record once, none twice"
    );
}

#[test]
fn power_loss_during_outbox_write() {
    // `kiosk printer print --journal` is killed (SIGKILL) at pseudo-random moments, over and over: the
    // journal and the outbox are written in one transaction, so every job that ended has exactly one
    // record, and every record reaches the hub once.
    let dir = tempfile::tempdir().unwrap();
    let hub = TestHub::new(dir.path());
    let (config, client) = enrolled_terminal(&hub, dir.path());
    let jobs_file = dir.path().join("jobs.bin");
    let mut seed: u64 = 0x2545_F491_4F6C_DD1D;
    let mut killed = 0;
    for _ in 0..40 {
        let mut child = Command::new(env!("CARGO_BIN_EXE_kiosk"))
            .args(["printer", "print", "--sample", "receipt", "--to"])
            .arg(format!("file://{}", jobs_file.display()))
            .arg("--journal")
            .arg(&config.terminal.database)
            .env("KIOSK_LOG", "off")
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        std::thread::sleep(Duration::from_micros(seed % 40_000));
        if child.try_wait().unwrap().is_none() {
            killed += 1;
        }
        let _ = child.kill();
        let _ = child.wait();
    }
    assert!(killed > 0, "some runs were cut off");
    // The terminal starts again: the journal settles interrupted jobs (with their records).
    let journal = kiosk::printing::journal::Journal::open(&config.terminal.database).unwrap();
    let ended: Vec<i64> = journal
        .jobs()
        .unwrap()
        .iter()
        .filter(|j| j.state != kiosk::printing::journal::JobState::Claimed)
        .map(|j| j.id)
        .collect();
    eprintln!(
        "power loss: {killed} of 40 runs killed mid-way; {} jobs ended, {} never sent",
        ended.len(),
        journal.jobs().unwrap().len() - ended.len()
    );
    let outbox = kiosk::sync::outbox::Outbox::open(&config.terminal.database).unwrap();
    assert_eq!(
        outbox.depth().unwrap(),
        ended.len() as u64,
        "one record per ended job"
    );
    outbox.drain(&client).unwrap();
    let mut at_hub: Vec<i64> = hub
        .events()
        .iter()
        .map(|(_, body)| {
            serde_json::from_str::<serde_json::Value>(body).unwrap()["job"]
                .as_i64()
                .unwrap()
        })
        .collect();
    at_hub.sort();
    assert_eq!(at_hub, ended, "every ended job once at the hub, none twice");
}

#[test]
fn the_demo_panel_cuts_and_restores_the_network() {
    use kiosk::device::printer::virtual_printer::VirtualPrinter;
    use kiosk::device::reader::sim::{demo_cards, SimControl};
    use kiosk::ui::demo::{DemoRig, Message as Demo};
    use kiosk::ui::Message;
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("hub.db").display());
    let hub = Arc::new(kiosk_hub::embedded::EmbeddedHub::start(&db).unwrap());
    let mut startup = kiosk::ui::Startup::new(Ok(Config::default()), true);
    startup.demo = Some(DemoRig {
        reader: SimControl::new(demo_cards()),
        printer: Arc::new(VirtualPrinter::start("127.0.0.1:0", None).unwrap()),
        hub: Some(std::sync::Arc::new(kiosk::demo::HubNetwork(hub.clone()))),
        camera: None,
        scanner: None,
    });
    let mut app = kiosk::ui::App::new(startup);
    assert!(common::shows(&app, "网络：已连接"));
    let _ = app.update(Message::Demo(Demo::Network(false)));
    assert!(!hub.is_up());
    assert!(std::net::TcpStream::connect(hub.url().trim_start_matches("http://")).is_err());
    assert!(common::shows(&app, "网络：已断开"));
    let _ = app.update(Message::Demo(Demo::Network(true)));
    assert!(hub.is_up());
    assert!(std::net::TcpStream::connect(hub.url().trim_start_matches("http://")).is_ok());
}

/// Polls `check` every 20 ms for up to 10 s.
fn eventually(what: &str, mut check: impl FnMut() -> bool) {
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    while !check() {
        assert!(std::time::Instant::now() < deadline, "never: {what}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn a_card_holder_finds_cases_and_prints_a_signed_document_until_the_reprint_limit() {
    use kiosk::sync::client::{Claimed, SyncError};
    use kiosk_proto::service::{CaseQuery, CaseState, IdNumber, Rating};
    let dir = tempfile::tempdir().unwrap();
    let hub = TestHub::new(dir.path());
    hub.0
        .block_on(kiosk_hub::seed::demo(hub.0.store()))
        .unwrap();
    let (config, client) = enrolled_terminal(&hub, dir.path());
    let mut settings = HubSettings::from_config(&config).unwrap();
    settings.interval = Duration::from_millis(150);
    let (tx, rx) = std::sync::mpsc::channel();
    let _thread = HubThread::spawn(settings, Default::default(), move |s| tx.send(s).is_ok());
    assert_eq!(
        rx.recv_timeout(Duration::from_secs(10)).unwrap(),
        DeviceStatus::Ready
    );

    // The first contact keeps the hub's signing key.
    let state = kiosk::sync::state::SyncState::open(&config.terminal.database).unwrap();
    eventually("the hub's keys are kept", || {
        !kiosk::sync::state::trusted_keys(&state).is_empty()
    });
    let trusted = kiosk::sync::state::trusted_keys(&state);
    assert_eq!(trusted, [hub.0.store().signing_key().verifying_key()]);

    // 办件查询: the card holder's cases, and one by number with the last six typed.
    let zhang = IdNumber::new("320508194408150020");
    let cases = client.cases_mine(&zhang).unwrap();
    assert_eq!(cases.len(), CaseState::ALL.len());
    let query = |last6: &str| CaseQuery {
        case_no: cases[0].summary.case_no.clone(),
        id_number: None,
        id_last6: Some(last6.into()),
    };
    assert_eq!(client.case_query(&query("150020")).unwrap(), cases[0]);
    match client.case_query(&query("000000")) {
        Err(SyncError::Rejected {
            status: 404,
            message,
        }) => {
            assert!(message.contains("check the number"), "{message}")
        }
        other => panic!("{other:?}"),
    }

    // 证照打印: the holder's documents; a claim hands out a signed document; its print ends at the hub.
    let wang = IdNumber::new("320502197904021530");
    let documents = client.documents_mine(&wang).unwrap();
    let entry = documents[0].clone();
    let printer =
        kiosk::device::printer::virtual_printer::VirtualPrinter::start("127.0.0.1:0", None)
            .unwrap();
    let target = kiosk::device::printer::transport::Target::parse(&printer.uri()).unwrap();
    let journal = kiosk::printing::journal::Journal::open(&config.terminal.database).unwrap();
    let mut claims = Vec::new();
    for copy in 1..=entry.daily_limit {
        let Claimed::Granted {
            claim_id,
            copy: n,
            document,
            ..
        } = client.claim(&entry.id, &wang, &trusted).unwrap()
        else {
            panic!("copy {copy} refused");
        };
        assert_eq!(n, copy);
        assert_eq!(document.id, entry.id);
        let bytes = kiosk::device::printer::encode::render(
            &document,
            &kiosk::device::printer::Profile::MM80,
        )
        .unwrap();
        let recorded = kiosk::printing::job::print_recorded(
            &journal,
            &target,
            &document,
            &bytes,
            Some(&claim_id),
        )
        .unwrap();
        assert!(recorded.result.is_ok(), "{:?}", recorded.result);
        claims.push(claim_id);
    }
    assert_eq!(
        printer
            .wait_for_jobs(entry.daily_limit as usize, Duration::from_secs(5))
            .len(),
        entry.daily_limit as usize,
        "every copy came out"
    );
    match client.claim(&entry.id, &wang, &trusted).unwrap() {
        Claimed::LimitReached {
            printed_today,
            daily_limit,
            next_day,
        } => {
            assert_eq!((printed_today, daily_limit), (3, 3));
            assert_eq!(next_day.len(), 10);
        }
        other => panic!("a fourth copy: {other:?}"),
    }
    // A terminal that trusts another key refuses the hub's document.
    let stranger = ed25519_dalek::SigningKey::from_bytes(&[9; 32]).verifying_key();
    let refused = client
        .claim(&documents[1].id, &wang, &[stranger])
        .unwrap_err();
    assert!(matches!(refused, SyncError::Unsigned(_)), "{refused}");
    // Nothing printed, so the copy went back at once: the document still has all of today's copies.
    let after = client.documents_mine(&wang).unwrap();
    let second = after.iter().find(|d| d.id == documents[1].id).unwrap();
    assert_eq!(second.printed_today, 0);

    // 好差评 through the outbox; the claims' ends through the same outbox: all arrive exactly once.
    let outbox = kiosk::sync::outbox::Outbox::open(&config.terminal.database).unwrap();
    outbox
        .rate(&Rating {
            case_no: Some(cases[0].summary.case_no.clone()),
            service: "progress".into(),
            level: 2,
            tags: vec!["slow".into()],
        })
        .unwrap();
    assert!(outbox
        .rate(&Rating {
            case_no: None,
            service: "print".into(),
            level: 7,
            tags: vec![]
        })
        .is_err());
    eventually("the outbox drains", || outbox.depth().unwrap() == 0);
    let events = hub.events();
    assert_eq!(
        events.iter().filter(|(kind, _)| kind == "rating").count(),
        1
    );
    assert_eq!(
        events
            .iter()
            .filter(|(kind, _)| kind == "print_claim")
            .count(),
        4,
        "three printed through the outbox, one given back"
    );
    assert_eq!(
        hub.0
            .block_on(kiosk_hub::events::rating_counts(hub.0.store()))
            .unwrap(),
        [0, 0, 0, 1, 0]
    );
    let outcomes: Vec<String> = hub.0.block_on(async {
        use sqlx::Row;
        sqlx::query("SELECT outcome FROM claims WHERE outcome IS NOT NULL ORDER BY outcome")
            .fetch_all(hub.0.store().pool())
            .await
            .unwrap()
            .iter()
            .map(|row| row.get::<String, _>(0))
            .collect()
    });
    assert_eq!(outcomes, ["failed", "printed", "printed", "printed"]);
}

#[test]
fn a_rotated_credential_is_taken_at_the_next_beat_and_the_old_one_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let hub = TestHub::new(dir.path());
    let (config, old_client) = enrolled_terminal(&hub, dir.path());
    let old = std::fs::read_to_string(&config.hub.credential).unwrap();
    let mut settings = HubSettings::from_config(&config).unwrap();
    settings.interval = Duration::from_millis(150);
    let (tx, rx) = std::sync::mpsc::channel();
    let _thread = HubThread::spawn(settings, Default::default(), move |s| tx.send(s).is_ok());
    assert_eq!(
        rx.recv_timeout(Duration::from_secs(10)).unwrap(),
        DeviceStatus::Ready
    );
    // As `kiosk-hub credential rotate WZ-0007` does it.
    let id = hub
        .0
        .block_on(kiosk_hub::remote::queue(
            hub.0.store(),
            "WZ-0007",
            "rotate_credential",
            "ops",
        ))
        .unwrap();
    eventually("the command is answered", || {
        hub.0
            .block_on(kiosk_hub::remote::commands_of(hub.0.store(), "WZ-0007", 5))
            .unwrap()
            .iter()
            .any(|c| c.id == id.to_string() && c.ok == Some(true))
    });
    let new = std::fs::read_to_string(&config.hub.credential).unwrap();
    assert_ne!(new, old, "a new credential is saved");
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(&config.hub.credential)
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o600);
    // The old one is refused from its first use on; the terminal goes on beating with the new one.
    assert!(matches!(
        old_client.probe(),
        Err(kiosk::sync::client::SyncError::Unauthorized)
    ));
    let beats_before = hub.fleet()[0].last_beat_ms;
    eventually("the terminal beats again", || {
        hub.fleet()[0].last_beat_ms > beats_before
    });
    let audit: Vec<String> = hub
        .0
        .block_on(kiosk_hub::audit::recent(hub.0.store(), &[], 20))
        .unwrap()
        .into_iter()
        .map(|r| r.entry.action)
        .collect();
    for action in ["command", "credential_issued", "credential_rotated"] {
        assert!(audit.iter().any(|a| a == action), "{action}: {audit:?}");
    }
}
