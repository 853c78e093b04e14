//! `kiosk doctor --json` against the demo's simulators (the hub on loopback, the reader simulator on a pty,
//! the virtual printer over TCP), healthy and with each fault injected: the right check fails (or warns),
//! with the right fix, and the exit status says how bad it is. Also `kiosk ports` and `kiosk pin set`.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use kiosk::config::Config;
use kiosk::demo::DemoParts;
use kiosk::device::printer::status::{Paper, PrinterState};
use kiosk::device::reader::sim::Injection;
use kiosk::maintenance::settings::{save, Change};

struct Demo {
    parts: DemoParts,
    config: PathBuf,
    dir: tempfile::TempDir,
}

/// The demo's parts and a kiosk.toml pointing at them, its database made.
fn demo() -> Demo {
    let dir = tempfile::tempdir().unwrap();
    let mut config = Config::default();
    let parts = DemoParts::start(dir.path(), Some(&mut config), false).unwrap();
    let path = dir.path().join("kiosk.toml");
    crate::common::rig::config_file(&path, &config, &parts, &[]);
    kiosk::sync::outbox::Outbox::open(&config.terminal.database).unwrap();
    Demo {
        parts,
        config: path,
        dir,
    }
}

impl Demo {
    fn set(&self, changes: &[Change]) {
        save(&self.config, changes).unwrap();
    }
}

/// `kiosk doctor --json`: its exit status and report.
fn doctor(config: &Path) -> (i32, serde_json::Value) {
    let out = Command::new(env!("CARGO_BIN_EXE_kiosk"))
        .args(["doctor", "--json", "--config"])
        .arg(config)
        .env("KIOSK_LOG", "off")
        .output()
        .unwrap();
    let report = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stdout)));
    (out.status.code().unwrap(), report)
}

/// The check `name` of a report: (status, detail, fix).
fn check(report: &serde_json::Value, name: &str) -> (String, String, String) {
    let check = report["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == name)
        .unwrap_or_else(|| panic!("no {name} check in {report:#}"));
    let text = |key: &str| check[key].as_str().unwrap_or_default().to_string();
    (text("status"), text("detail"), text("fix"))
}

/// Every check's status, by name.
fn statuses(report: &serde_json::Value) -> Vec<(String, String)> {
    report["checks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["name"].as_str().unwrap().into(),
                c["status"].as_str().unwrap().into(),
            )
        })
        .collect()
}

#[test]
fn the_demo_terminal_is_healthy() {
    let demo = demo();
    let (code, report) = doctor(&demo.config);
    let names: Vec<String> = statuses(&report).into_iter().map(|(n, _)| n).collect();
    assert_eq!(
        names,
        [
            "config",
            "reader",
            "printer",
            "camera",
            "scanner",
            "hub",
            "clock",
            "database",
            "files",
            "disk",
            "pinyin",
            "handwriting",
            "font"
        ]
    );
    assert!(
        statuses(&report).iter().all(|(_, s)| s == "ok"),
        "{report:#}"
    );
    assert_eq!(code, 0);
    assert!(
        check(&report, "reader").1.starts_with("SAM 05.01-"),
        "{report:#}"
    );
    assert!(check(&report, "hub").1.contains("answers in"));
}

#[test]
fn reader_faults_fail_the_reader_check_with_their_fix() {
    let demo = demo();
    demo.parts
        .sim
        .inject(Injection::parse("sw3=60@status:always").unwrap());
    let (code, report) = doctor(&demo.config);
    let (status, detail, fix) = check(&report, "reader");
    assert_eq!((code, status.as_str()), (2, "fail"));
    assert!(detail.contains("SW3=60"), "{detail}");
    assert!(fix.contains("switch the reader off and on"), "{fix}");

    demo.parts.sim.clear_faults();
    demo.parts
        .sim
        .inject(Injection::parse("no-reply@any:always").unwrap());
    let (_, report) = doctor(&demo.config);
    let (status, detail, fix) = check(&report, "reader");
    assert_eq!(status, "fail");
    assert!(detail.contains("no usable answer"), "{detail}");
    assert!(fix.contains("[reader] baud"), "{fix}");

    demo.set(&[Change::text(
        "reader",
        "port",
        "/dev/kiosk-reader-unplugged",
    )]);
    let (_, report) = doctor(&demo.config);
    let (status, _, fix) = check(&report, "reader");
    assert_eq!(status, "fail");
    assert!(
        fix.contains("`kiosk ports` lists the serial ports"),
        "{fix}"
    );
    // The other checks stay as they were.
    assert_eq!(check(&report, "printer").0, "ok");
}

#[test]
fn printer_faults_fail_or_warn_with_their_fix() {
    let demo = demo();
    let printer = |state: PrinterState| demo.parts.printer.set_state(state);
    printer(PrinterState {
        paper: Paper::Out,
        ..PrinterState::HEALTHY
    });
    let (code, report) = doctor(&demo.config);
    assert_eq!(code, 2);
    let (status, detail, fix) = check(&report, "printer");
    assert_eq!(status, "fail");
    assert!(detail.starts_with("out of paper"), "{detail}");
    assert_eq!(fix, "load a 80mm paper roll and close the cover");

    printer(PrinterState {
        cover_open: true,
        ..PrinterState::HEALTHY
    });
    let (_, report) = doctor(&demo.config);
    assert_eq!(check(&report, "printer").2, "close the printer's cover");

    printer(PrinterState {
        paper: Paper::NearEnd,
        ..PrinterState::HEALTHY
    });
    let (code, report) = doctor(&demo.config);
    assert_eq!((code, check(&report, "printer").0.as_str()), (1, "warn"));

    printer(PrinterState::HEALTHY);
    demo.set(&[Change::text("printer", "uri", "tcp://127.0.0.1:9")]);
    let (_, report) = doctor(&demo.config);
    let (status, detail, fix) = check(&report, "printer");
    assert_eq!(status, "fail");
    assert!(detail.starts_with("cannot reach the printer"), "{detail}");
    assert!(
        fix.contains("kiosk printer status --to tcp://127.0.0.1:9"),
        "{fix}"
    );
}

#[test]
fn a_missing_document_camera_fails_its_check_with_the_fix() {
    let demo = demo();
    let (_, report) = doctor(&demo.config);
    let (status, detail, _) = check(&report, "camera");
    assert_eq!(status, "ok");
    assert!(detail.contains("the page under it kept as"), "{detail}");
    demo.set(&[Change::text("camera", "device", "/dev/video-none")]);
    let (code, report) = doctor(&demo.config);
    assert_eq!(code, 2);
    let (status, detail, fix) = check(&report, "camera");
    assert_eq!(status, "fail");
    assert!(
        detail.contains("no document camera at /dev/video-none"),
        "{detail}"
    );
    assert!(fix.contains("v4l2-ctl --list-devices"), "{fix}");
}

#[test]
fn hub_faults_fail_the_hub_check_with_their_fix() {
    let demo = demo();
    demo.set(&[Change::text("hub", "url", "http://127.0.0.1:9")]);
    let (code, report) = doctor(&demo.config);
    assert_eq!(code, 2);
    let (status, detail, fix) = check(&report, "hub");
    assert_eq!(status, "fail");
    assert!(detail.contains("cannot be reached"), "{detail}");
    assert!(fix.contains("works offline"), "{fix}");
    assert!(
        !statuses(&report).iter().any(|(n, _)| n == "clock"),
        "no clock to compare against"
    );

    demo.set(&[
        Change::text("hub", "url", demo.parts.hub.url()),
        Change::text("hub", "credential", "missing-credential"),
    ]);
    let (_, report) = doctor(&demo.config);
    let (status, _, fix) = check(&report, "hub");
    assert_eq!(status, "fail");
    assert!(fix.starts_with("enrol with a one-time code"), "{fix}");
}

/// A hub whose clock is `behind` behind: it answers every request with an empty receipt.
fn hub_with_clock(behind: chrono::TimeDelta) -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        for stream in listener.incoming().take(4) {
            let mut stream = stream.unwrap();
            let mut request = [0u8; 4096];
            let _ = stream.read(&mut request);
            let body = r#"{"stored":0,"repeated":0}"#;
            let date = (chrono::Utc::now() - behind).format("%a, %d %b %Y %H:%M:%S GMT");
            let _ = write!(
                stream,
                "HTTP/1.1 200 OK\r\nDate: {date}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
        }
    });
    url
}

#[test]
fn a_clock_far_from_the_hubs_fails_and_a_little_off_warns() {
    let demo = demo();
    std::fs::write(demo.dir.path().join("credential"), "a credential").unwrap();
    demo.set(&[Change::text(
        "hub",
        "url",
        hub_with_clock(chrono::TimeDelta::minutes(10)),
    )]);
    let (code, report) = doctor(&demo.config);
    assert_eq!(code, 2);
    let (status, detail, fix) = check(&report, "clock");
    assert_eq!(status, "fail");
    assert!(detail.contains("ahead of the hub's"), "{detail}");
    assert!(fix.contains("timedatectl set-ntp true"), "{fix}");

    demo.set(&[Change::text(
        "hub",
        "url",
        hub_with_clock(chrono::TimeDelta::seconds(-90)),
    )]);
    let (_, report) = doctor(&demo.config);
    let (status, detail, _) = check(&report, "clock");
    assert_eq!(status, "warn");
    assert!(detail.contains("behind the hub's"), "{detail}");
}

#[test]
fn records_the_hub_has_not_taken_for_a_day_warn() {
    let demo = demo();
    let config = Config::load(&demo.config).unwrap();
    let db = rusqlite::Connection::open(&config.terminal.database).unwrap();
    db.execute(
        "INSERT INTO outbox (event_id, kind, body, occurred_ms) VALUES ('e1', 'rating', '{}', ?1)",
        [chrono::Utc::now().timestamp_millis() - 2 * 24 * 3_600_000],
    )
    .unwrap();
    let (code, report) = doctor(&demo.config);
    let (status, detail, fix) = check(&report, "database");
    assert_eq!((code, status.as_str()), (1, "warn"));
    assert!(detail.contains("the oldest is 48 h old"), "{detail}");
    assert!(fix.contains("hub"), "{fix}");
}

#[test]
fn a_broken_configuration_fails_first_and_the_devices_are_not_guessed_at() {
    let demo = demo();
    std::fs::write(&demo.config, "[reader]\nbaud = 12345\n").unwrap();
    let (code, report) = doctor(&demo.config);
    assert_eq!(code, 2);
    let (status, detail, _) = check(&report, "config");
    assert_eq!(status, "fail");
    assert!(
        detail.contains("reader.baud: 12345 is not allowed"),
        "{detail}"
    );
    let names: Vec<String> = statuses(&report).into_iter().map(|(n, _)| n).collect();
    assert_eq!(names, ["config", "font"]);
    // The text form says the same, with the fix under each.
    let out = Command::new(env!("CARGO_BIN_EXE_kiosk"))
        .args(["doctor", "--config"])
        .arg(&demo.config)
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.starts_with("fail  config"), "{text}");
    assert!(text.contains("fix: edit kiosk.toml"), "{text}");
}

#[test]
fn pin_set_writes_only_a_hash_and_refuses_a_weak_pin() {
    let demo = demo();
    let set = |pin: &str| {
        let mut child = Command::new(env!("CARGO_BIN_EXE_kiosk"))
            .args(["pin", "set", "--config"])
            .arg(&demo.config)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        writeln!(child.stdin.take().unwrap(), "{pin}").unwrap();
        child.wait_with_output().unwrap()
    };
    let weak = set("123456");
    assert!(!weak.status.success());
    assert!(String::from_utf8_lossy(&weak.stderr).contains("too easy"));
    let out = set("258014");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = std::fs::read_to_string(&demo.config).unwrap();
    assert!(!text.contains("258014"));
    let config = Config::load(&demo.config).unwrap();
    let hash = config.service.pin_hash.unwrap();
    assert_eq!(kiosk_proto::secret::verify(&hash, "258014"), Some(true));
    assert!(kiosk::maintenance::settings::backup_path(&demo.config).exists());
}

#[test]
fn ports_lists_json_with_a_guess_for_each() {
    let out = Command::new(env!("CARGO_BIN_EXE_kiosk"))
        .args(["ports", "--json"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let ports: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    assert!(ports
        .iter()
        .all(|p| p["path"].is_string() && p["guess"].is_string()));
}

#[test]
fn a_terminal_trusts_only_its_configured_ca_and_doctor_says_how_to_fix_a_wrong_one() {
    let demo = demo();
    let dir = demo.dir.path();
    let names = ["127.0.0.1".to_string()];
    let hall = kiosk_hub::tls::init(&dir.join("hall"), &names, "test hall CA").unwrap();
    let other = kiosk_hub::tls::init(&dir.join("other"), &names, "another CA").unwrap();
    let hub = kiosk_hub::embedded::EmbeddedHub::start_tls(
        &format!("sqlite://{}", dir.join("tls-hub.db").display()),
        kiosk_hub::tls::server_config(&hall.cert, &hall.key).unwrap(),
    )
    .unwrap();
    let url = hub.url();
    assert!(url.starts_with("https://"), "{url}");
    let code = hub
        .block_on(kiosk_hub::fleet::create_code(
            hub.store(),
            "吴中区政务服务中心",
        ))
        .unwrap();
    let credential = dir.join("tls-credential");
    use kiosk::sync::client::{enroll, HubClient, SyncError};
    // Trusting another CA (or only the public ones), the terminal gives nothing away: not even its code.
    for ca in [Some(other.ca.as_path()), None] {
        let refused = enroll(&url, ca, &code, "SZ-TLS-1", &credential).unwrap_err();
        assert!(
            matches!(refused, SyncError::Untrusted { .. }),
            "{ca:?}: {refused}"
        );
    }
    assert!(!credential.exists());
    enroll(&url, Some(&hall.ca), &code, "SZ-TLS-1", &credential).unwrap();
    HubClient::new(&url, &credential, Some(&hall.ca))
        .unwrap()
        .probe()
        .unwrap();
    let untrusted = HubClient::new(&url, &credential, Some(&other.ca))
        .unwrap()
        .probe()
        .unwrap_err();
    assert!(
        matches!(untrusted, SyncError::Untrusted { .. }),
        "{untrusted}"
    );

    demo.set(&[
        Change::text("hub", "url", url.clone()),
        Change::text("hub", "credential", credential.display().to_string()),
        Change::text("hub", "ca", other.ca.display().to_string()),
    ]);
    let (_, report) = doctor(&demo.config);
    let (status, detail, fix) = check(&report, "hub");
    assert_eq!(status, "fail");
    assert!(detail.contains("does not trust"), "{detail}");
    assert!(fix.contains("[hub] ca"), "{fix}");
    assert!(fix.contains("kiosk-hub tls init"), "{fix}");

    demo.set(&[Change::text("hub", "ca", hall.ca.display().to_string())]);
    let (_, report) = doctor(&demo.config);
    let (status, detail, _) = check(&report, "hub");
    assert_eq!(status, "ok", "{detail}");

    // A file that is not a certificate is refused by the configuration's own check, with which file.
    let wrong = dir.join("not-a-ca.pem");
    std::fs::write(&wrong, "hello").unwrap();
    let refused = save(
        &demo.config,
        &[Change::text("hub", "ca", wrong.display().to_string())],
    )
    .unwrap_err()
    .to_string();
    assert!(refused.contains("holds no PEM certificate"), "{refused}");
    assert!(refused.contains("not-a-ca.pem"), "{refused}");
}

#[test]
fn the_credential_database_and_key_are_the_terminals_alone_and_doctor_says_how_to_mend_them() {
    use std::os::unix::fs::PermissionsExt;
    let demo = demo();
    let config = Config::load(&demo.config).unwrap();
    // Made by the terminal: readable by its user alone (SQLite gives its -wal, there while a connection is
    // open, the database's mode).
    for file in [
        config.terminal.database.clone(),
        config.hub.credential.clone(),
    ] {
        let mode = std::fs::metadata(&file).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "{}", file.display());
    }
    let (_, report) = doctor(&demo.config);
    assert_eq!(check(&report, "files").0, "ok", "{report:#}");
    // A copy put back by hand with the default mode: the check fails and says the command.
    std::fs::set_permissions(
        &config.hub.credential,
        std::fs::Permissions::from_mode(0o644),
    )
    .unwrap();
    let (code, report) = doctor(&demo.config);
    let (status, detail, fix) = check(&report, "files");
    assert_eq!((code, status.as_str()), (2, "fail"));
    assert!(detail.contains("credential (644)"), "{detail}");
    assert!(fix.starts_with("chown kiosk: "), "{fix}");
    assert!(fix.contains("chmod 600"), "{fix}");
}
