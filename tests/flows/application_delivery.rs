//! An application on its way from the terminal to the hub, below the screens: the network cut mid-upload
//! (a real TCP relay that drops the connection part way through a page), the terminal killed with
//! SIGKILL between writing the application and printing its receipt, and a copy of the terminal's
//! database read without its key. Nothing is lost, nothing arrives twice.

use crate::common;

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use common::rig::RESIDENT;
use kiosk::domain::application::{Draft, Page};
use kiosk::domain::{Lang, LocalText};
use kiosk::journey::Services;
use kiosk::sync::applications::{Applications, Delivered};
use kiosk::sync::client::{HubClient, HubSettings, SyncError};
use kiosk_proto::application::MaterialSource;

/// A relay between the terminal and the hub on loopback that forwards `budget` bytes from the terminal,
/// then drops every connection (the network cut); a negative budget forwards everything.
struct Relay {
    url: String,
    budget: Arc<AtomicI64>,
}

impl Relay {
    fn start(hub: &str) -> Relay {
        let target = hub.trim_start_matches("http://").to_string();
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let budget = Arc::new(AtomicI64::new(-1));
        let shared = budget.clone();
        std::thread::spawn(move || {
            for client in listener.incoming() {
                let Ok(client) = client else { return };
                let Ok(server) = TcpStream::connect(&target) else {
                    continue;
                };
                let budget = shared.clone();
                let (mut from_client, mut to_server) =
                    (client.try_clone().unwrap(), server.try_clone().unwrap());
                let (mut from_server, mut to_client) = (server, client);
                std::thread::spawn(move || {
                    let mut buffer = [0u8; 4096];
                    loop {
                        let n = match from_client.read(&mut buffer) {
                            Ok(0) | Err(_) => break,
                            Ok(n) => n,
                        };
                        let left = budget.load(Ordering::SeqCst);
                        if left >= 0 && (n as i64) > left {
                            // The cut: part of this chunk goes, then nothing.
                            let _ = to_server.write_all(&buffer[..left as usize]);
                            budget.store(0, Ordering::SeqCst);
                            let _ = to_server.shutdown(std::net::Shutdown::Both);
                            let _ = from_client.shutdown(std::net::Shutdown::Both);
                            break;
                        }
                        if left >= 0 {
                            budget.fetch_sub(n as i64, Ordering::SeqCst);
                        }
                        if to_server.write_all(&buffer[..n]).is_err() {
                            break;
                        }
                    }
                });
                std::thread::spawn(move || {
                    let _ = std::io::copy(&mut from_server, &mut to_client);
                });
            }
        });
        Relay { url, budget }
    }

    /// Forwards `bytes` more from the terminal, then cuts.
    fn cut_after(&self, bytes: i64) {
        self.budget.store(bytes, Ordering::SeqCst);
    }

    fn restore(&self) {
        self.budget.store(-1, Ordering::SeqCst);
    }
}

/// 张秀英's residence permit: the library has her ID card but no title deed, so the proof of address is
/// three pages (each 150 KB, as a photographed A4 page at most) and the photo one more.
pub(crate) fn draft(client: &HubClient) -> Draft {
    let card = kiosk::device::reader::sim::demo_cards()
        .into_iter()
        .find(|c| c.label == "resident")
        .unwrap();
    let catalogue = kiosk::domain::catalogue::bundled();
    let mut draft = Draft::new(
        catalogue.service("SZ-0024").unwrap(),
        &card.identity().unwrap(),
        &LocalText::new("苏州市政务服务中心", "Suzhou"),
    )
    .unwrap();
    draft.set("address", "苏州工业园区星湖街328号5幢1202室");
    draft.set("basis", "home");
    draft.set("phone", "13912345678");
    let holder = kiosk_proto::service::IdNumber::new(RESIDENT);
    let library = kiosk::domain::application::Library {
        licences: client.elicences_mine(&holder).unwrap(),
        facts: client.held_facts(&holder).unwrap().facts,
    };
    draft.library(Ok(&library));
    assert_eq!(
        draft.value("phone"),
        "13912345678",
        "what was typed is not replaced by the hub's record"
    );
    let page = |seed: u8| {
        let mut bytes = vec![0xFF, 0xD8, 0xFF, 0xE0];
        bytes.extend((0..150_000u32).map(|i| (i % 251) as u8 ^ seed));
        Page(bytes)
    };
    assert!(draft.add_page("photo", MaterialSource::Capture, page(1)));
    for seed in 2..5 {
        assert!(draft.add_page("address_proof", MaterialSource::Capture, page(seed)));
    }
    draft.signature.width = 900;
    draft.signature.height = 378;
    draft.signature.strokes = vec![vec![(10, 10, 0), (300, 200, 120)]];
    draft.delivery = Some(kiosk_proto::application::Delivery::Pickup);
    assert_eq!(draft.material_missing(), None);
    draft
}

fn services(url: &str, rig: &common::rig::Rig) -> Services {
    Services::new(
        Some(HubSettings {
            url: url.to_string(),
            credential: rig.config.hub.credential.clone(),
            ca: None,
            database: rig.config.terminal.database.clone(),
            interval: Duration::from_secs(30),
        }),
        rig.config.terminal.database.clone(),
        rig.config.terminal.device_id.clone(),
    )
}

/// Pages the hub holds.
fn hub_pages(rig: &common::rig::Rig) -> i64 {
    use sqlx::Row;
    rig.parts.hub.block_on(async {
        sqlx::query("SELECT COUNT(*) FROM pages")
            .fetch_one(rig.parts.hub.store().pool())
            .await
            .unwrap()
            .get::<i64, _>(0)
    })
}

fn cases_of(rig: &common::rig::Rig, number: &str) -> usize {
    rig.client()
        .cases_mine(&kiosk_proto::service::IdNumber::new(RESIDENT))
        .unwrap()
        .iter()
        .filter(|c| c.summary.case_no == number)
        .count()
}

#[test]
fn network_cut_mid_upload_resumes_without_a_page_or_a_case_twice() {
    let rig = common::rig::rig();
    let relay = Relay::start(&rig.config.hub.url);
    let draft = draft(&rig.client());
    // The network is down when the citizen submits: the receipt says it waits.
    relay.cut_after(0);
    let submitted = services(&relay.url, &rig)
        .submit(&draft, Lang::Zh, "苏州市政务服务中心")
        .unwrap();
    assert!(!submitted.sent);
    let store = Applications::open(&rig.config.terminal.database).unwrap();
    assert_eq!(store.count(Delivered::Waiting).unwrap(), 1);

    // It comes back, and is cut again part way through the second page.
    relay.cut_after(230_000);
    let client = HubClient::new(&relay.url, &rig.config.hub.credential, None).unwrap();
    let cut = store.deliver(&client);
    assert!(
        matches!(
            cut,
            Err(kiosk::sync::applications::DeliverError::Hub(
                SyncError::Unreachable { .. }
            ))
        ),
        "{cut:?}"
    );
    assert_eq!(hub_pages(&rig), 1, "the first page arrived whole");
    assert_eq!(cases_of(&rig, &submitted.number), 0);

    // Back for good: the page the hub holds is not sent again, the rest are, and the case is made once.
    relay.restore();
    let done = store.deliver(&client).unwrap();
    assert_eq!(done.applications, 1);
    assert_eq!(done.pages_skipped, 1);
    assert_eq!(done.pages_sent, 3);
    assert_eq!(hub_pages(&rig), 4);
    assert_eq!(cases_of(&rig, &submitted.number), 1);
    assert_eq!(store.deliver(&client).unwrap().applications, 0);
    assert_eq!(store.sealed_bytes().unwrap(), 0);
}

/// What the child process of the kill test does: writes an application and says its number, then waits to
/// be killed before anything is printed.
#[test]
#[ignore = "run by kill_9_between_the_write_and_the_receipt_leaves_the_application_once"]
fn child_writes_an_application_and_waits() {
    let Ok(database) = std::env::var("KIOSK_TEST_CHILD_DB") else {
        return;
    };
    let hub = std::env::var("KIOSK_TEST_CHILD_HUB").unwrap();
    let credential = std::env::var("KIOSK_TEST_CHILD_CREDENTIAL").unwrap();
    let client = HubClient::new(&hub, Path::new(&credential), None).unwrap();
    let draft = draft(&client);
    let store = Applications::open(Path::new(&database)).unwrap();
    let now = chrono::Utc::now().timestamp_millis();
    let (application, pages) = draft.application(kiosk::sync::new_event_id(), now, Lang::Zh);
    let written = store
        .submit(
            "SZ-DEMO-0001",
            application,
            &pages,
            |a| draft.sign(a, now),
            |_| "{}".into(),
        )
        .unwrap();
    println!("written {}", written.number);
    std::io::stdout().flush().unwrap();
    std::thread::sleep(Duration::from_secs(60));
}

#[test]
fn kill_9_between_the_write_and_the_receipt_leaves_the_application_once() {
    let rig = common::rig::rig();
    let mut child = std::process::Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "application_delivery::child_writes_an_application_and_waits",
            "--include-ignored",
            "--nocapture",
        ])
        .env("KIOSK_TEST_CHILD_DB", &rig.config.terminal.database)
        .env("KIOSK_TEST_CHILD_HUB", &rig.config.hub.url)
        .env("KIOSK_TEST_CHILD_CREDENTIAL", &rig.config.hub.credential)
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut out = std::io::BufReader::new(child.stdout.take().unwrap());
    let number = loop {
        let mut line = String::new();
        assert!(
            std::io::BufRead::read_line(&mut out, &mut line).unwrap() > 0,
            "the child ended before writing"
        );
        if let Some(number) = line.trim().strip_prefix("written ") {
            break number.to_string();
        }
    };
    // SIGKILL: no destructor, no flush, no receipt.
    child.kill().unwrap();
    child.wait().unwrap();

    let store = Applications::open(&rig.config.terminal.database).unwrap();
    assert_eq!(store.count(Delivered::Waiting).unwrap(), 1, "written once");
    // Its receipt can be printed again from the terminal's record (`kiosk sync receipt`).
    let receipt = kiosk::sync::applications::receipt(&rig.config.terminal.database, &number)
        .unwrap()
        .expect("the receipt is kept");
    assert!(!receipt.is_empty());
    let done = store.deliver(&rig.client()).unwrap();
    assert_eq!(done.applications, 1);
    assert_eq!(cases_of(&rig, &number), 1);
}

#[test]
fn a_copy_of_the_database_without_the_key_holds_no_value_and_no_page() {
    let rig = common::rig::rig();
    let draft = draft(&rig.client());
    rig.parts.hub.pause();
    let submitted = services(&rig.config.hub.url, &rig)
        .submit(&draft, Lang::Zh, "苏州市政务服务中心")
        .unwrap();
    assert!(!submitted.sent);
    // What someone who copies the file alone would read (the WAL folded in first).
    let copy = rig.config.terminal.database.with_extension("copy");
    {
        let db = rusqlite::Connection::open(&rig.config.terminal.database).unwrap();
        db.execute("VACUUM INTO ?1", [copy.display().to_string()])
            .unwrap();
    }
    let bytes = std::fs::read(&copy).unwrap();
    let holds = |needle: &[u8]| bytes.windows(needle.len()).any(|w| w == needle);
    for secret in [
        "13912345678".as_bytes(),
        "星湖街".as_bytes(),
        RESIDENT.as_bytes(),
        "张秀英".as_bytes(),
        &[0xFF, 0xD8, 0xFF, 0xE0],
    ] {
        assert!(
            !holds(secret),
            "{:?} readable in the copy",
            String::from_utf8_lossy(secret)
        );
    }
    assert!(
        holds(submitted.number.as_bytes()),
        "the number is no secret"
    );
    // The key file is the terminal's alone.
    use std::os::unix::fs::PermissionsExt;
    let key = kiosk::sync::applications::key_path(&rig.config.terminal.database);
    assert_eq!(
        std::fs::metadata(key).unwrap().permissions().mode() & 0o777,
        0o600
    );
}

#[test]
fn an_application_the_hub_refuses_for_good_is_kept_and_the_receipt_sends_the_citizen_to_a_counter()
{
    let rig = common::rig::rig();
    let draft = draft(&rig.client());
    // The hub's catalogue changed meanwhile: the residence permit is no longer applied for at terminals.
    let mut catalogue: serde_json::Value =
        serde_json::from_str(kiosk::domain::catalogue::BUNDLED).unwrap();
    for service in catalogue["services"].as_array_mut().unwrap() {
        if service["id"] == "SZ-0024" {
            service.as_object_mut().unwrap().remove("application");
        }
    }
    rig.parts
        .hub
        .block_on(kiosk_hub::catalogue::import(
            rig.parts.hub.store(),
            &catalogue.to_string(),
            "catalogue.json",
        ))
        .unwrap();
    let submitted = services(&rig.config.hub.url, &rig)
        .submit(&draft, Lang::Zh, "苏州市政务服务中心")
        .unwrap();
    assert!(submitted.refused && !submitted.sent);
    let paper = serde_json::to_string(&submitted.document).unwrap();
    assert!(paper.contains("未能送达：请持本回执到窗口办理"), "{paper}");
    let store = Applications::open(&rig.config.terminal.database).unwrap();
    assert_eq!(store.count(Delivered::Refused).unwrap(), 1);
    assert!(store.sealed_bytes().unwrap() > 0, "kept sealed for staff");
    assert_eq!(
        store.deliver(&rig.client()).unwrap().applications,
        0,
        "not sent again"
    );
}
