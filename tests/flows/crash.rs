//! The crash harness: durable operations of the terminal and the hub, each run in a real process that is
//! killed (SIGKILL: no destructor, no flush) at pseudo-random moments over and over, then started again;
//! afterwards the invariants are checked: nothing lost, nothing twice, nothing left half-way, every record
//! at the hub once. And a power cut: copies of the terminal's database files taken while it writes (what a
//! disk holds when the power goes) open whole and deliver once.
//!
//! `KIOSK_CRASH_KILLS` sets the kills per operation (25 here; `benches/crash.sh` runs 100 and more). The
//! seed is printed; `KIOSK_CRASH_SEED` repeats a run. (Print jobs and their claims killed anywhere:
//! `hub_sync::power_loss_during_outbox_write`; an application killed between its write and its receipt:
//! `application_delivery::kill_9_between_the_write_and_the_receipt_leaves_the_application_once`; the
//! hub killed under tickets, applications, 补正, decisions and ratings: the hub's `crash` tests.)

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use kiosk::sync::client::HubClient;
use kiosk::sync::outbox::Outbox;
use kiosk_proto::fleet::SERVICE_AUDIT_EVENT;

use crate::common::chaos::{kills, Delays};

/// Starts `spawn`'s process `times` times, killing each after a random delay up to `max` (unless it ended
/// first); how many were killed while running.
fn kill_loop(
    times: usize,
    max: Duration,
    delays: &mut Delays,
    mut spawn: impl FnMut() -> Child,
) -> usize {
    let mut killed = 0;
    for _ in 0..times {
        let mut child = spawn();
        std::thread::sleep(delays.next(max));
        if child.try_wait().unwrap().is_none() {
            killed += 1;
        }
        let _ = child.kill();
        let _ = child.wait();
    }
    killed
}

/// This test binary again, running only the (ignored) child test `name` with `env`.
fn child(name: &str, env: &[(&str, &Path)]) -> Child {
    let mut command = Command::new(std::env::current_exe().unwrap());
    command
        .args(["--exact", name, "--include-ignored", "--nocapture"])
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    for (key, value) in env {
        command.env(key, value);
    }
    command.spawn().unwrap()
}

/// In a child: the terminal's database and its client of the hub, from the environment the parent set
/// (`None` when run on its own).
fn child_terminal() -> Option<(std::path::PathBuf, HubClient)> {
    let (Ok(database), Ok(hub), Ok(credential)) = (
        std::env::var("KIOSK_TEST_CHILD_DB"),
        std::env::var("KIOSK_TEST_CHILD_HUB"),
        std::env::var("KIOSK_TEST_CHILD_CREDENTIAL"),
    ) else {
        return None;
    };
    let client = HubClient::new(&hub, Path::new(&credential), None).unwrap();
    Some((database.into(), client))
}

/// `n` service-mode audit records in `database`'s outbox, numbered from `from`.
fn fill(database: &Path, from: usize, n: usize) {
    let outbox = Outbox::open(database).unwrap();
    for i in from..from + n {
        outbox
            .add(
                SERVICE_AUDIT_EVENT,
                &serde_json::json!({"action": "crash_test", "detail": {"n": i}, "at": "now"}),
            )
            .unwrap();
    }
}

/// The numbers of the crash-test records the hub holds, each as often as it holds it.
async fn at_hub(store: &kiosk_hub::Store) -> Vec<u64> {
    use sqlx::Row;
    let rows = sqlx::query("SELECT body FROM events WHERE kind = $1")
        .bind(SERVICE_AUDIT_EVENT)
        .fetch_all(store.pool())
        .await
        .unwrap();
    let mut numbers: Vec<u64> = rows
        .iter()
        .filter_map(|row| {
            let body: serde_json::Value = serde_json::from_str(&row.get::<String, _>(0)).unwrap();
            body["detail"]["n"].as_u64()
        })
        .collect();
    numbers.sort_unstable();
    numbers
}

/// `numbers` (sorted) are 0 to `count` - 1, each once: nothing lost, nothing twice.
fn once_each(numbers: &[u64], count: usize) {
    let twice: Vec<_> = numbers
        .windows(2)
        .filter(|w| w[0] == w[1])
        .map(|w| w[0])
        .collect();
    assert!(twice.is_empty(), "records at the hub twice: {twice:?}");
    let lost: Vec<_> = (0..count as u64)
        .filter(|n| numbers.binary_search(n).is_err())
        .collect();
    assert!(lost.is_empty(), "records lost: {lost:?}");
    assert_eq!(numbers.len(), count, "records the terminal never wrote");
}

/// [`at_hub`] of the demo's hub.
fn at_rigs_hub(rig: &crate::common::rig::Rig) -> Vec<u64> {
    rig.parts.hub.block_on(at_hub(rig.parts.hub.store()))
}

/// The hub's audit chain over `db`: intact, and how many crash-test records it holds.
fn chain(db: &str, runtime: &tokio::runtime::Runtime) -> (bool, usize) {
    runtime.block_on(async {
        let store = kiosk_hub::Store::open(db).await.unwrap();
        let verdict = kiosk_hub::audit::verify(&store).await.unwrap();
        let records = kiosk_hub::audit::recent(&store, &["service.crash_test"], 100_000)
            .await
            .unwrap();
        (verdict.intact(), records.len())
    })
}

#[test]
#[ignore = "run by outbox_delivery_killed_anywhere_delivers_every_record_once"]
fn child_drains_the_outbox() {
    let Some((database, client)) = child_terminal() else {
        return;
    };
    let outbox = Outbox::open(&database).unwrap();
    while outbox.depth().unwrap() > 0 {
        let _ = outbox.drain(&client);
    }
}

#[test]
fn outbox_delivery_killed_anywhere_delivers_every_record_once() {
    let rig = crate::common::rig::rig();
    let database = rig.config.terminal.database.clone();
    let records = 40 * kills();
    let mut delays = Delays::new("outbox delivery");
    let hub_url = std::path::PathBuf::from(&rig.config.hub.url);
    let mut filled = 0;
    let killed = kill_loop(kills(), Duration::from_millis(60), &mut delays, || {
        // More records while the last drain was cut off: the outbox never runs dry.
        fill(&database, filled, 40);
        filled += 40;
        child(
            "crash::child_drains_the_outbox",
            &[
                ("KIOSK_TEST_CHILD_DB", &database),
                ("KIOSK_TEST_CHILD_HUB", &hub_url),
                ("KIOSK_TEST_CHILD_CREDENTIAL", &rig.config.hub.credential),
            ],
        )
    });
    // The terminal starts again and its outbox drains.
    let outbox = Outbox::open(&database).unwrap();
    outbox.drain(&rig.client()).unwrap();
    assert_eq!(outbox.depth().unwrap(), 0);
    let numbers = at_rigs_hub(&rig);
    eprintln!(
        "outbox delivery: {killed} of {} drains killed mid-way; {} records at the hub",
        kills(),
        numbers.len()
    );
    assert!(killed > 0, "some drains were cut off");
    once_each(&numbers, records);
}

#[test]
#[ignore = "run by the_hub_killed_anywhere_mid_ingest_keeps_every_record_once_and_its_audit_chain_whole"]
fn child_serves_a_hub() {
    let (Ok(db), Ok(port)) = (
        std::env::var("KIOSK_TEST_CHILD_HUB_DB"),
        std::env::var("KIOSK_TEST_CHILD_PORT"),
    ) else {
        return;
    };
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let store = kiosk_hub::Store::open(&db).await.unwrap();
        let listener = tokio::net::TcpListener::bind(format!("127.0.0.1:{port}"))
            .await
            .unwrap();
        kiosk_hub::serve(listener, store, std::future::pending())
            .await
            .unwrap();
    });
}

#[test]
fn the_hub_killed_anywhere_mid_ingest_keeps_every_record_once_and_its_audit_chain_whole() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("hub.db").display());
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let code = runtime.block_on(async {
        let store = kiosk_hub::Store::open(&db).await.unwrap();
        kiosk_hub::fleet::create_code(&store, "吴中区政务服务中心")
            .await
            .unwrap()
    });
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let url = format!("http://127.0.0.1:{port}");
    let (db_path, port_text) = (
        std::path::PathBuf::from(&db),
        std::path::PathBuf::from(port.to_string()),
    );
    // The hub in a process of its own (this test binary, serving), killed and started again.
    let serve = || {
        child(
            "crash::child_serves_a_hub",
            &[
                ("KIOSK_TEST_CHILD_HUB_DB", &db_path),
                ("KIOSK_TEST_CHILD_PORT", &port_text),
            ],
        )
    };
    let up = |url: &str| {
        let deadline = Instant::now() + Duration::from_secs(10);
        while reqwest::blocking::get(format!("{url}/healthz")).is_err() {
            assert!(Instant::now() < deadline, "the hub never came up");
            std::thread::sleep(Duration::from_millis(20));
        }
    };
    let mut hub = serve();
    up(&url);
    let credential = dir.path().join("credential");
    kiosk::sync::client::enroll(&url, None, code.trim(), "SZ-CRASH-1", &credential).unwrap();
    let database = dir.path().join("kiosk.db");
    let records = 40 * kills();
    fill(&database, 0, records);

    // The terminal drains all along; the hub is killed under it and started again.
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let drainer = std::thread::spawn({
        let (database, credential, url, stop) = (
            database.clone(),
            credential.clone(),
            url.clone(),
            stop.clone(),
        );
        move || {
            let client = HubClient::new(&url, &credential, None).unwrap();
            let outbox = Outbox::open(&database).unwrap();
            // Small batches, so that kills land between them as well as inside them.
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                let _ = outbox.drain(&client);
                std::thread::sleep(Duration::from_millis(5));
            }
        }
    });
    let mut delays = Delays::new("hub ingest");
    let mut killed = 0;
    for round in 0..kills() {
        std::thread::sleep(delays.next(Duration::from_millis(80)));
        if hub.try_wait().unwrap().is_none() {
            killed += 1;
        }
        let _ = hub.kill();
        let _ = hub.wait();
        hub = serve();
        up(&url);
        // More records arrive while the hub was down.
        fill(&database, records + round * 10, 10);
    }
    let total = records + kills() * 10;
    let outbox = Outbox::open(&database).unwrap();
    let deadline = Instant::now() + Duration::from_secs(60);
    while outbox.depth().unwrap() > 0 {
        assert!(Instant::now() < deadline, "the outbox never drained");
        std::thread::sleep(Duration::from_millis(20));
    }
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    drainer.join().unwrap();
    let _ = hub.kill();
    let _ = hub.wait();

    let store = runtime.block_on(kiosk_hub::Store::open(&db)).unwrap();
    let numbers = runtime.block_on(at_hub(&store));
    eprintln!(
        "hub ingest: the hub killed {killed} times mid-run; {} records at the hub",
        numbers.len()
    );
    assert!(killed > 0);
    once_each(&numbers, total);
    let (intact, audited) = chain(&db, &runtime);
    assert!(intact, "the audit chain survived every kill whole");
    assert_eq!(audited, total, "each record once in the audit chain");
}

#[test]
#[ignore = "run by settings_saved_killed_anywhere_leave_a_whole_kiosk_toml"]
fn child_saves_settings_over_and_over() {
    let Ok(config) = std::env::var("KIOSK_TEST_CHILD_CONFIG") else {
        return;
    };
    use kiosk::maintenance::settings::{save, Change};
    for i in 0.. {
        let seconds = if i % 2 == 0 { 60 } else { 90 };
        save(
            Path::new(&config),
            &[Change::number("ui", "idle_seconds", seconds)],
        )
        .unwrap();
    }
}

#[test]
fn settings_saved_killed_anywhere_leave_a_whole_kiosk_toml() {
    let rig = crate::common::rig::rig();
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("kiosk.toml");
    crate::common::rig::config_file(&config, &rig.config, &rig.parts, &[]);
    let mut delays = Delays::new("settings");
    let killed = kill_loop(kills(), Duration::from_millis(150), &mut delays, || {
        child(
            "crash::child_saves_settings_over_and_over",
            &[("KIOSK_TEST_CHILD_CONFIG", &config)],
        )
    });
    // After every kill the file (and its backup) is one whole version or the other.
    for file in [config.clone(), config.with_extension("toml.bak")] {
        let loaded = kiosk::config::Config::load(&file)
            .unwrap_or_else(|e| panic!("{} does not load after a kill: {e}", file.display()));
        assert!(
            [60, 90].contains(&loaded.ui.idle_seconds),
            "{}",
            loaded.ui.idle_seconds
        );
    }
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|name| name != "kiosk.toml" && name != "kiosk.toml.bak")
        .collect();
    eprintln!(
        "settings: {killed} of {} runs killed mid-save; files left: {leftovers:?}",
        kills()
    );
    assert!(killed > 0);
}

#[test]
#[ignore = "run by a_copy_of_the_database_taken_mid_write_opens_whole_and_delivers_once"]
fn child_writes_records_over_and_over() {
    let Ok(database) = std::env::var("KIOSK_TEST_CHILD_DB") else {
        return;
    };
    for round in 0.. {
        fill(Path::new(&database), round * 10, 10);
    }
}

#[test]
fn a_copy_of_the_database_taken_mid_write_opens_whole_and_delivers_once() {
    let rig = crate::common::rig::rig();
    let dir = tempfile::tempdir().unwrap();
    let database = dir.path().join("kiosk.db");
    Outbox::open(&database).unwrap();
    let mut writer = child(
        "crash::child_writes_records_over_and_over",
        &[("KIOSK_TEST_CHILD_DB", &database)],
    );
    let mut delays = Delays::new("power cut");
    let wal = database.with_extension("db-wal");
    let mut copies = Vec::new();
    for n in 0..kills() {
        std::thread::sleep(delays.next(Duration::from_millis(40)));
        // What the disk holds when the power goes: the log first, then the database (a write that had not
        // reached the log is lost; one in it is replayed).
        let copy = dir.path().join(format!("cut-{n}"));
        std::fs::create_dir(&copy).unwrap();
        if wal.exists() {
            let _ = std::fs::copy(&wal, copy.join("kiosk.db-wal"));
        }
        std::fs::copy(&database, copy.join("kiosk.db")).unwrap();
        copies.push(copy.join("kiosk.db"));
    }
    let _ = writer.kill();
    let _ = writer.wait();
    let mut depths = Vec::new();
    for copy in &copies {
        let outbox =
            Outbox::open(copy).unwrap_or_else(|e| panic!("{} does not open: {e}", copy.display()));
        let waiting = outbox.waiting(100_000).unwrap();
        let mut numbers: Vec<u64> = waiting
            .iter()
            .map(|e| e.body["detail"]["n"].as_u64().unwrap())
            .collect();
        numbers.sort_unstable();
        // A prefix of what was written, whole: no record half there, none twice.
        once_each(&numbers, numbers.len());
        depths.push(numbers.len());
    }
    eprintln!(
        "power cut: {} copies taken mid-write held {depths:?} records",
        copies.len()
    );
    // The last copy delivers, twice over (a restart after a second cut): each record once at the hub.
    let last = copies.last().unwrap();
    let before = at_rigs_hub(&rig).len();
    for _ in 0..2 {
        let restored = dir.path().join("restored");
        let _ = std::fs::remove_dir_all(&restored);
        std::fs::create_dir(&restored).unwrap();
        for name in ["kiosk.db", "kiosk.db-wal"] {
            let from = last.with_file_name(name);
            if from.exists() {
                std::fs::copy(&from, restored.join(name)).unwrap();
            }
        }
        Outbox::open(&restored.join("kiosk.db"))
            .unwrap()
            .drain(&rig.client())
            .unwrap();
    }
    let after = at_rigs_hub(&rig).len();
    assert_eq!(after - before, *depths.last().unwrap());
}

#[test]
#[ignore = "run by applications_written_and_delivered_killed_anywhere_reach_the_hub_once_with_their_pages"]
fn child_applies_over_and_over() {
    let (Some((database, client)), Ok(device)) =
        (child_terminal(), std::env::var("KIOSK_TEST_CHILD_DEVICE"))
    else {
        return;
    };
    use kiosk::sync::applications::Applications;
    let store = Applications::open(&database).unwrap();
    loop {
        // A citizen finishes an application (written with its pages in one transaction) ...
        let draft = crate::application_delivery::draft(&client);
        let now = chrono::Utc::now().timestamp_millis();
        let (application, pages) =
            draft.application(kiosk::sync::new_event_id(), now, kiosk::domain::Lang::Zh);
        store
            .submit(
                &device,
                application,
                &pages,
                |a| draft.sign(a, now),
                |_| "{}".into(),
            )
            .unwrap();
        // ... and the terminal delivers what waits.
        let _ = store.deliver(&client);
    }
}

#[test]
fn applications_written_and_delivered_killed_anywhere_reach_the_hub_once_with_their_pages() {
    use kiosk::sync::applications::{Applications, Delivered};
    use sqlx::Row;
    let rig = crate::common::rig::rig();
    let database = rig.config.terminal.database.clone();
    let hub_url = std::path::PathBuf::from(&rig.config.hub.url);
    let device = std::path::PathBuf::from(&rig.config.terminal.device_id);
    let mut delays = Delays::new("applications");
    let killed = kill_loop(kills(), Duration::from_millis(700), &mut delays, || {
        child(
            "crash::child_applies_over_and_over",
            &[
                ("KIOSK_TEST_CHILD_DB", &database),
                ("KIOSK_TEST_CHILD_HUB", &hub_url),
                ("KIOSK_TEST_CHILD_CREDENTIAL", &rig.config.hub.credential),
                ("KIOSK_TEST_CHILD_DEVICE", &device),
            ],
        )
    });
    // The terminal starts again and delivers what waits.
    let store = Applications::open(&database).unwrap();
    store.deliver(&rig.client()).unwrap();
    let written: Vec<(String, String)> = {
        let db = rusqlite::Connection::open(&database).unwrap();
        let mut statement = db
            .prepare("SELECT number, state FROM applications ORDER BY number")
            .unwrap();
        let rows = statement
            .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))
            .unwrap();
        rows.map(Result::unwrap).collect()
    };
    assert!(!written.is_empty());
    assert_eq!(store.count(Delivered::Waiting).unwrap(), 0);
    assert_eq!(store.count(Delivered::Refused).unwrap(), 0);
    assert_eq!(
        store.sealed_bytes().unwrap(),
        0,
        "no value or page left once sent"
    );
    let (at_hub, cases, pages_missing) = rig.parts.hub.block_on(async {
        let pool = rig.parts.hub.store().pool();
        let rows: Vec<(String, String)> = sqlx::query(
            "SELECT number, body FROM applications WHERE device_id = $1 ORDER BY number",
        )
        .bind(&rig.config.terminal.device_id)
        .fetch_all(pool)
        .await
        .unwrap()
        .iter()
        .map(|row| (row.get(0), row.get(1)))
        .collect();
        let (numbers, bodies): (Vec<String>, Vec<String>) = rows.into_iter().unzip();
        let mut cases = 0;
        for number in &numbers {
            let count: i64 = sqlx::query("SELECT COUNT(*) FROM cases WHERE case_no = $1")
                .bind(number)
                .fetch_one(pool)
                .await
                .unwrap()
                .get(0);
            cases += usize::from(count == 1);
        }
        let mut missing = 0;
        for body in bodies {
            let application: kiosk_proto::application::Application =
                serde_json::from_str(&body).unwrap();
            for page in application.pages() {
                let held: i64 = sqlx::query("SELECT COUNT(*) FROM pages WHERE sha256 = $1")
                    .bind(&page.sha256)
                    .fetch_one(pool)
                    .await
                    .unwrap()
                    .get(0);
                missing += usize::from(held != 1);
            }
        }
        (numbers, cases, missing)
    });
    eprintln!(
        "applications: {killed} of {} runs killed mid-way; {} applications written, {} at the hub",
        kills(),
        written.len(),
        at_hub.len()
    );
    assert!(killed > 0);
    let numbers: Vec<String> = written.iter().map(|(n, _)| n.clone()).collect();
    assert_eq!(
        at_hub, numbers,
        "every application written reached the hub, once"
    );
    assert!(written.iter().all(|(_, state)| state == "sent"));
    assert_eq!(cases, numbers.len(), "one case each");
    assert_eq!(
        pages_missing, 0,
        "every page of every application at the hub"
    );
}
