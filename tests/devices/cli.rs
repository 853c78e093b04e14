//! The technician's command line, run as the real binary.

use std::process::Command;

use kiosk::device::printer::virtual_printer::VirtualPrinter;
use kiosk::device::reader::sim::{demo_cards, Injection, SimControl, SimPort};

fn kiosk(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_kiosk"))
        .args(args)
        .env("KIOSK_LOG", "warn")
        .env_remove("KIOSK_CONFIG")
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("run kiosk");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn config_check_says_ok_for_the_shipped_file() {
    let (code, out, _) = kiosk(&["config", "check"]);
    assert_eq!((code, out.as_str()), (0, "ok\n"));
}

#[test]
fn config_check_reports_a_misspelt_key_a_wrong_type_and_an_out_of_range_value() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("kiosk.toml");
    let shipped = std::fs::read_to_string("kiosk.toml").unwrap();
    let broken = shipped
        .replace("baud = 115200", "baut = 115200")
        .replace("idle_seconds = 60", "idle_seconds = \"sixty\"")
        .replace("countdown_seconds = 15", "countdown_seconds = 500");
    std::fs::write(&path, broken).unwrap();
    let file = path.display().to_string();
    let (code, out, _) = kiosk(&["config", "check", "--config", &file]);
    assert_eq!(code, 2);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 3, "{out}");
    // Where each broken key sits in the shipped file (1-based), so the file can grow above them.
    let line_of = |key: &str| {
        shipped
            .lines()
            .position(|l| l.starts_with(key))
            .map(|i| i + 1)
            .expect("the key is in the shipped file")
    };
    assert!(lines[0].starts_with(&format!(
        "{file}:{}:16: ui.idle_seconds: expected a whole number",
        line_of("idle_seconds = ")
    )));
    assert!(lines[1].starts_with(&format!(
        "{file}:{}:21: ui.countdown_seconds: 500 is out of range",
        line_of("countdown_seconds = ")
    )));
    assert!(lines[2].starts_with(&format!(
        "{file}:{}:1: reader.baut: unknown key; did you mean \"baud\"?",
        line_of("baud = ")
    )));
}

#[test]
fn config_is_found_through_the_environment() {
    let out = Command::new(env!("CARGO_BIN_EXE_kiosk"))
        .args(["config", "check"])
        .env("KIOSK_CONFIG", "/nonexistent/kiosk.toml")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stdout)
        .starts_with("/nonexistent/kiosk.toml:1:1: (file): cannot read the file"));
}

#[test]
fn shot_writes_a_png_of_the_asked_size() {
    let dir = tempfile::tempdir().unwrap();
    let png = dir.path().join("guide.png");
    let (code, _, err) = kiosk(&[
        "shot",
        "--screen",
        "guide-search",
        "--lang",
        "en",
        "--elder",
        "--size",
        "1920x1080",
        "--out",
        png.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    let decoder = png::Decoder::new(std::io::BufReader::new(std::fs::File::open(&png).unwrap()));
    let info = decoder.read_info().unwrap();
    assert_eq!((info.info().width, info.info().height), (1920, 1080));
}

#[test]
fn shot_refuses_an_unknown_screen_and_a_bad_size() {
    let (code, _, err) = kiosk(&["shot", "--screen", "nope"]);
    assert_ne!(code, 0);
    assert!(
        err.contains(
            "unknown screen \"nope\"; presets: attract, attract-card, attract-card-left, home"
        ),
        "{err}"
    );
    let (code, _, err) = kiosk(&["shot", "--size", "big"]);
    assert_ne!(code, 0);
    assert!(err.contains("write it as WIDTHxHEIGHT"), "{err}");
}

/// A simulated reader on a pty with the demo cards, `label` on it (if any).
fn reader_with(label: Option<&str>) -> (SimControl, SimPort) {
    let sim = SimControl::new(demo_cards());
    if let Some(label) = label {
        sim.place(label).unwrap();
    }
    let port = SimPort::pty(sim.clone(), 115_200).unwrap();
    (sim, port)
}

#[test]
fn reader_read_prints_the_identity_masked_as_json() {
    let (_sim, port) = reader_with(Some("resident-moved"));
    let (code, out, _) = kiosk(&["reader", "read", "--port", port.path(), "--json"]);
    assert_eq!(code, 0);
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(json["card_type"], "resident");
    assert_eq!(json["name"], "王**");
    assert_eq!(json["id_number"], "3205**********1530");
    assert_eq!(json["sex"], "male");
    assert_eq!(json["nation"], "汉");
    assert_eq!(json["birth"], "1979-**-**");
    assert_eq!(json["valid_to"], "2039-05-08");
    assert_eq!(json["english_name"], serde_json::Value::Null);
    assert!(!out.contains("王建国") && !out.contains("东吴北路") && !out.contains("御窑路"));
    for key in [
        "card_type",
        "name",
        "english_name",
        "sex",
        "nation",
        "birth",
        "address",
        "appended_address",
        "id_number",
        "authority",
        "valid_from",
        "valid_to",
        "nationality",
        "pass_number",
        "issue_count",
        "renewal_count",
        "card_version",
    ] {
        assert!(json.get(key).is_some(), "{key} missing from {out}");
    }
}

#[test]
fn reader_read_unmasked_shows_every_field_of_a_foreign_card() {
    let (_sim, port) = reader_with(Some("foreign-2023"));
    let (code, out, _) = kiosk(&[
        "reader",
        "read",
        "--port",
        port.path(),
        "--json",
        "--unmasked",
    ]);
    assert_eq!(code, 0);
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(json["card_type"], "foreign_2023");
    assert_eq!(
        json["english_name"],
        "GARCIA LOPEZ MARIA ELENA DE LOS ANGELES FERNAN"
    );
    assert_eq!(json["id_number"], "932724198803140038");
    assert_eq!(json["nationality"], "ESP");
    assert_eq!(json["renewal_count"], "00");
    assert_eq!(json["birth"], "1988-03-14");
    assert_eq!(json["nation"], serde_json::Value::Null);
}

#[test]
fn reader_read_exits_3_when_no_card_arrives() {
    let (_sim, port) = reader_with(None);
    let (code, out, err) = kiosk(&["reader", "read", "--port", port.path(), "--wait", "0.5"]);
    assert_eq!(code, 3);
    assert!(out.is_empty());
    assert!(err.contains("no card"), "{err}");
}

#[test]
fn reader_read_exits_4_with_the_cause_on_a_card_fault() {
    let (_sim, port) = reader_with(Some("bad-check"));
    let (code, _, err) = kiosk(&["reader", "read", "--port", port.path()]);
    assert_eq!(code, 4);
    assert!(err.contains("check character"), "{err}");
}

#[test]
fn reader_read_exits_4_when_the_port_does_not_exist() {
    let (code, _, err) = kiosk(&["reader", "read", "--port", "/dev/kiosk-no-such-reader"]);
    assert_eq!(code, 4);
    assert!(err.contains("/dev/kiosk-no-such-reader"), "{err}");
}

#[test]
fn reader_status_prints_the_sam_id_and_a_sam_fault() {
    let (sim, port) = reader_with(None);
    let (code, out, _) = kiosk(&["reader", "status", "--port", port.path()]);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("sam_id: 05.01-20261123-003205001-088000001"),
        "{out}"
    );
    assert!(out.contains("SW3=90"), "{out}");
    sim.inject(Injection::parse("sw3=60@status").unwrap());
    let (code, out, _) = kiosk(&["reader", "status", "--port", port.path()]);
    assert_eq!(code, 4);
    assert!(out.contains("SW3=60 SAM_V自检失败"), "{out}");
}

/// A simulator run as `kiosk ARGS` with its console on pipes: the first line it prints (its address), and
/// one console line at a time. Killed when dropped.
struct Sim {
    child: std::process::Child,
    stdin: std::process::ChildStdin,
    stdout: std::io::BufReader<std::process::ChildStdout>,
    address: String,
}

impl Sim {
    fn start(args: &[&str]) -> Sim {
        use std::io::BufRead;
        let mut child = Command::new(env!("CARGO_BIN_EXE_kiosk"))
            .args(args)
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        let mut stdout = std::io::BufReader::new(child.stdout.take().unwrap());
        let mut address = String::new();
        stdout.read_line(&mut address).unwrap();
        Sim {
            stdin: child.stdin.take().unwrap(),
            child,
            stdout,
            address: address.trim().to_string(),
        }
    }

    /// Types `line` on the console and returns its answer.
    fn say(&mut self, line: &str) -> String {
        use std::io::{BufRead, Write};
        writeln!(self.stdin, "{line}").unwrap();
        let mut answer = String::new();
        self.stdout.read_line(&mut answer).unwrap();
        answer.trim().to_string()
    }
}

impl Drop for Sim {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn reader_sim_serves_a_pty_that_reader_read_can_use() {
    let mut sim = Sim::start(&[
        "reader",
        "sim",
        "--pty",
        "--cards",
        "assets/demo-cards.toml",
    ]);
    let path = sim.address.clone();
    assert!(path.starts_with("/dev/pts/"), "{path}");
    assert_eq!(sim.say("place hmt"), "placed hmt");
    let (code, out, _) = kiosk(&["reader", "read", "--port", &path]);
    assert_eq!(code, 0);
    assert!(out.contains("card_type: hmt"), "{out}");
    assert!(out.contains("pass_number: H012*4567"), "{out}");
}

#[test]
fn printer_sim_on_a_pty_takes_a_serial_job_and_reports_paper_out() {
    let dir = tempfile::tempdir().unwrap();
    let out_dir = dir.path().to_str().unwrap();
    let mut sim = Sim::start(&[
        "printer", "sim", "--pty", "--paper", "58mm", "--out", out_dir,
    ]);
    let uri = sim.address.clone();
    assert!(uri.starts_with("serial:///dev/pts/"), "{uri}");
    let (code, out, err) = kiosk(&[
        "printer",
        "print",
        "--to",
        &uri,
        "--sample",
        "receipt",
        "--profile",
        "58mm",
    ]);
    assert_eq!(code, 0, "{out}{err}");
    let png = dir.path().join("job-001.png");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    while !png.exists() && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    assert!(png.exists(), "the job reached paper");
    sim.say("paper out");
    let (code, out, _) = kiosk(&["printer", "status", "--to", &uri]);
    assert_eq!(code, 4, "{out}");
    assert!(out.contains("paper: out"), "{out}");
}

#[test]
fn printer_print_sample_exits_0_when_the_printer_confirms() {
    let printer = VirtualPrinter::start("127.0.0.1:0", None).unwrap();
    let (code, out, err) = kiosk(&[
        "printer",
        "print",
        "--to",
        &printer.uri(),
        "--sample",
        "ticket",
        "--profile",
        "58mm",
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(out.starts_with("printed TICKET-"), "{out}");
    let job = &printer.wait_for_jobs(1, std::time::Duration::from_secs(5))[0];
    assert!(
        job.lines.iter().any(|l| l.contains("A027")),
        "{:?}",
        job.lines
    );
}

#[test]
fn printer_print_exits_4_with_the_cause_when_paper_is_out() {
    let printer = VirtualPrinter::start("127.0.0.1:0", None).unwrap();
    printer.command("paper out").unwrap();
    let (code, _, err) = kiosk(&[
        "printer",
        "print",
        "--to",
        &printer.uri(),
        "--sample",
        "receipt",
    ]);
    assert_eq!(code, 4);
    assert!(err.contains("cannot print now: paper out"), "{err}");
}

/// Writes `json` to a file and prints it with `kiosk printer print --document`.
fn print_document(uri: &str, json: &str) -> (i32, String, String) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("document.json");
    std::fs::write(&path, json).unwrap();
    kiosk(&[
        "printer",
        "print",
        "--to",
        uri,
        "--document",
        path.to_str().unwrap(),
    ])
}

#[test]
fn printer_print_a_document_file_and_refuse_a_bad_one() {
    let printer = VirtualPrinter::start("127.0.0.1:0", None).unwrap();
    let good = r#"{"id":"D1","kind":"record","title":"t","blocks":[{"type":"text","text":"办件进度"},{"type":"cut"}]}"#;
    let (code, _, err) = print_document(&printer.uri(), good);
    assert_eq!(code, 0, "{err}");
    let bad = r#"{"id":"D1","kind":"record","title":"t","blocks":[]}"#;
    let (code, _, err) = print_document(&printer.uri(), bad);
    assert_ne!(code, 0);
    assert!(err.contains("no blocks"), "{err}");
}

#[test]
fn printer_status_reports_paper_and_cover() {
    let printer = VirtualPrinter::start("127.0.0.1:0", None).unwrap();
    printer.command("paper near").unwrap();
    let (code, out, _) = kiosk(&["printer", "status", "--to", &printer.uri(), "--json"]);
    assert_eq!(code, 0);
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(json["paper"], "near_end");
    assert_eq!(json["cover_open"], false);
    printer.command("cover open").unwrap();
    let (code, out, _) = kiosk(&["printer", "status", "--to", &printer.uri()]);
    assert_eq!(code, 4);
    assert!(out.contains("cover: open"), "{out}");
}

/// Runs `kiosk printer print --journal DB` of the sample licence to `uri` and kills it as soon as `ready`
/// holds (within 10 s, else the test fails with `never`).
fn kill_print_when(
    uri: &str,
    db: &std::path::Path,
    ready: impl Fn() -> bool,
    never: impl Fn() -> String,
) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_kiosk"))
        .args(["printer", "print", "--to", uri])
        .args(["--sample", "licence", "--journal"])
        .arg(db)
        .env("KIOSK_LOG", "warn")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while !ready() {
        assert!(std::time::Instant::now() < deadline, "{}", never());
        std::thread::sleep(std::time::Duration::from_millis(2));
    }
    child.kill().unwrap();
    let _ = child.wait();
}

#[test]
fn crash_between_send_and_confirm_leaves_the_job_unknown() {
    use kiosk::printing::journal::{JobState, Journal};
    for printer in [
        VirtualPrinter::start("127.0.0.1:0", None).unwrap(),
        VirtualPrinter::pty(None).unwrap(),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("kiosk.db");
        // The printer takes the job and then says nothing: the terminal is waiting for its confirmation.
        printer.hang_after(1);
        // Power lost: the process dies between sending and confirmation.
        kill_print_when(
            &printer.uri(),
            &db,
            || printer.bytes_received() > 0,
            || format!("the job never reached the printer at {}", printer.uri()),
        );
        let journal = Journal::open(&db).unwrap();
        let jobs = journal.jobs().unwrap();
        assert_eq!(jobs.len(), 1);
        assert_eq!(
            jobs[0].state,
            JobState::Unknown,
            "{:?} on {}",
            jobs[0],
            printer.uri()
        );
        assert_eq!(jobs[0].document_id, "LIC-2026-000123");
    }
}

/// Killed before anything reached the printer (it was still waiting for the printer's status): the job sent
/// nothing, so the next opening of the journal settles it as failed, with its end in the outbox.
#[test]
fn killed_before_sending_the_job_is_failed_when_the_journal_opens() {
    use kiosk::printing::journal::{JobState, Journal};
    // A printer that takes the connection and never answers its status request.
    let silent = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let uri = format!("tcp://{}", silent.local_addr().unwrap());
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("kiosk.db");
    let claimed = || {
        rusqlite::Connection::open(&db)
            .and_then(|c| {
                c.query_row(
                    "SELECT COUNT(*) FROM print_jobs WHERE state = 'claimed'",
                    [],
                    |r| r.get::<_, i64>(0),
                )
            })
            .is_ok_and(|n| n == 1)
    };
    kill_print_when(&uri, &db, claimed, || "the job was never claimed".into());
    let journal = Journal::open(&db).unwrap();
    let jobs = journal.jobs().unwrap();
    assert_eq!(jobs.len(), 1);
    assert_eq!(jobs[0].state, JobState::Failed, "{:?}", jobs[0]);
    assert!(jobs[0].detail.as_deref().unwrap().contains("nothing sent"));
    let ends: i64 = rusqlite::Connection::open(&db)
        .unwrap()
        .query_row(
            "SELECT COUNT(*) FROM outbox WHERE kind = 'print_job'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(ends, 1, "the job's end goes to the hub");
    drop(silent);
}

#[test]
fn verify_accepts_the_sample_licence_code_and_rejects_a_changed_one() {
    let code = kiosk::domain::document::sample_licence().verification;
    let (status, out, _) = kiosk(&["verify", &code]);
    assert_eq!(status, 0, "{out}");
    assert!(out.starts_with("valid\n"), "{out}");
    assert!(
        out.contains("统一社会信用代码: 91320508MA27XK3Q5B"),
        "{out}"
    );
    let mut changed = code.into_bytes();
    let at = changed.len() / 2;
    changed[at] = if changed[at] == b'Q' { b'R' } else { b'Q' };
    let (status, out, _) = kiosk(&["verify", std::str::from_utf8(&changed).unwrap()]);
    assert_eq!(status, 1);
    assert!(out.starts_with("invalid:"), "{out}");
}

#[test]
fn verify_checks_against_the_configured_key_and_samples_are_signed_with_the_configured_seed() {
    let dir = tempfile::tempdir().unwrap();
    let seed = "07".repeat(32);
    std::fs::write(dir.path().join("terminal.key"), &seed).unwrap();
    let key = ed25519_dalek::SigningKey::from_bytes(&[7; 32]);
    let public = kiosk::domain::verify::public_key_hex(&key.verifying_key());
    let config = dir.path().join("kiosk.toml");
    std::fs::write(
        &config,
        format!("[documents]\nverify_key = \"{public}\"\nsigning_key = \"terminal.key\"\n"),
    )
    .unwrap();
    let config = config.to_str().unwrap();
    let ours = kiosk::domain::document::sample_licence_signed(&key).verification;
    let demo = kiosk::domain::document::sample_licence().verification;
    let (status, out, err) = kiosk(&["--config", config, "verify", &ours]);
    assert_eq!(status, 0, "{out}");
    assert!(!err.contains("demo key"), "{err}");
    let (status, out, _) = kiosk(&["--config", config, "verify", &demo]);
    assert_eq!(status, 1, "a demo-signed code is not ours: {out}");

    // The sample printed with this configuration carries a code signed with its seed.
    let out_file = dir.path().join("job.bin");
    let to = format!("file://{}", out_file.display());
    let (status, out, err) = kiosk(&[
        "--config", config, "printer", "print", "--to", &to, "--sample", "licence",
    ]);
    assert_eq!(status, 0, "{out}{err}");
    let job = std::fs::read(&out_file).unwrap();
    assert!(
        job.windows(ours.len()).any(|w| w == ours.as_bytes()),
        "the QR data is the code signed with the configured seed"
    );
}

#[test]
fn a_usb_printer_that_is_not_attached_exits_4_naming_its_ids_and_what_to_check() {
    let (code, out, err) = kiosk(&["printer", "status", "--to", "usb://0483:5720"]);
    assert_eq!(code, 4, "{out}{err}");
    assert!(
        err.contains("no USB printer 0483:5720 is attached") && err.contains("lsusb"),
        "{err}"
    );
}
