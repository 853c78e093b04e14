//! The crash harness at the hub: a real `kiosk-hub serve` process is killed (SIGKILL: no destructor, no
//! flush) at pseudo-random moments and started again, over and over, while terminals and a reviewer keep
//! working through it as they would in a hall: queue tickets, applications with their pages, reviewers'
//! 补正, the supplements that answer them, 受理 and 办结, and ratings. Every step that got no answer is
//! sent again (or, for a decision, first checked: it may have been taken before the answer was lost).
//! Afterwards, on SQLite and PostgreSQL: tickets numbered without a gap or a repeat and every ticket
//! handed out among them; each application one case, approved once, with its pages, one supplement, each
//! decision once in the review record and once in the audit chain, which verifies whole; each rating once.
//!
//! `KIOSK_CRASH_KILLS` sets the kills per database (25 here; `benches/crash.sh` runs 100); the seed is
//! printed and `KIOSK_CRASH_SEED` repeats a run. The terminal side of the same operations:
//! `tests/flows/crash.rs`.

use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use kiosk_hub::review::Detail;
use kiosk_proto::application::{sha256_hex, Application};
use kiosk_proto::fleet::{Event, EventBatch, TicketReply};
use kiosk_proto::service::{CaseState, Rating, RATING_EVENT};
use reqwest::StatusCode;
use serde_json::json;
use sqlx::Row;

use crate::chaos::{kills, Delays};
use crate::common::{backends, Database};

use super::applications::application;
use super::supplements::supplement;

const DEVICE: &str = "SZ-T-30";
const SERVICE: &str = "SZ-0024";

/// A page of application `n` (a JPEG's first bytes, then content of its own).
fn page(n: u32, part: u8) -> Vec<u8> {
    let mut bytes = vec![0xFF, 0xD8, 0xFF, 0xE0];
    bytes.extend(n.to_be_bytes());
    bytes.push(part);
    bytes.extend((0..12_000u32).map(|i| (i as u8).wrapping_mul(part | 1) ^ (n as u8)));
    bytes
}

/// The hub, as a process of its own on a fixed port.
struct Hub {
    db: String,
    port: u16,
    child: Child,
}

impl Hub {
    fn start(db: &str, port: u16) -> Hub {
        let mut hub = Hub {
            db: db.to_string(),
            port,
            child: Self::spawn(db, port),
        };
        hub.wait_up();
        hub
    }

    fn spawn(db: &str, port: u16) -> Child {
        Command::new(env!("CARGO_BIN_EXE_kiosk-hub"))
            .args([
                "serve",
                "--listen",
                &format!("127.0.0.1:{port}"),
                "--db",
                db,
            ])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap()
    }

    fn wait_up(&mut self) {
        let deadline = Instant::now() + Duration::from_secs(20);
        while !healthy(self.port) {
            assert!(
                self.child.try_wait().unwrap().is_none(),
                "the hub exited at start"
            );
            assert!(Instant::now() < deadline, "the hub never came up");
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    /// Killed (whether or not it was mid-request) and started again; whether it was running.
    fn kill_and_restart(&mut self) -> bool {
        let running = self.child.try_wait().unwrap().is_none();
        let _ = self.child.kill();
        let _ = self.child.wait();
        self.child = Self::spawn(&self.db, self.port);
        self.wait_up();
        running
    }
}

impl Drop for Hub {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Whether the hub on `port` answers `/healthz` with 200.
fn healthy(port: u16) -> bool {
    use std::io::{Read, Write};
    let Ok(mut stream) = std::net::TcpStream::connect(("127.0.0.1", port)) else {
        return false;
    };
    let _ = stream.set_read_timeout(Some(Duration::from_secs(2)));
    let mut answer = String::new();
    let asked = stream.write_all(b"GET /healthz HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n");
    asked.is_ok()
        && stream.read_to_string(&mut answer).is_ok()
        && (answer.starts_with("HTTP/1.1 200") || answer.starts_with("HTTP/1.0 200"))
}

/// A terminal and a reviewer talking to the hub while it is killed under them.
struct Hall {
    base: String,
    client: reqwest::Client,
    credential: String,
    cookie: String,
    csrf: String,
    /// Answers 5xx (a kill shows as a connection cut, never as a server error).
    server_errors: AtomicUsize,
    /// Requests that got no answer (the hub died under them).
    cut: AtomicUsize,
    /// Decisions whose answer was lost but which the hub had taken (found so, not taken again).
    taken_unanswered: AtomicUsize,
}

impl Hall {
    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// One try: the answer, or `None` when the hub died under it (or answered 5xx).
    async fn once(&self, request: reqwest::RequestBuilder) -> Option<reqwest::Response> {
        match request.timeout(Duration::from_secs(5)).send().await {
            Ok(answer) if answer.status().is_server_error() => {
                self.server_errors.fetch_add(1, Ordering::Relaxed);
                eprintln!(
                    "a server error: {}",
                    answer.text().await.unwrap_or_default()
                );
                None
            }
            Ok(answer) => Some(answer),
            Err(_) => {
                self.cut.fetch_add(1, Ordering::Relaxed);
                tokio::time::sleep(Duration::from_millis(20)).await;
                None
            }
        }
    }

    /// A request that may be sent again (the hub takes it once however often it comes), until answered.
    async fn until_answered(
        &self,
        what: &str,
        make: impl Fn() -> reqwest::RequestBuilder,
    ) -> reqwest::Response {
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            if let Some(answer) = self.once(make()).await {
                return answer;
            }
            assert!(Instant::now() < deadline, "{what}: never answered");
        }
    }

    fn device(&self, method: reqwest::Method, path: &str) -> reqwest::RequestBuilder {
        self.client
            .request(method, self.url(path))
            .bearer_auth(&self.credential)
    }

    /// A terminal's POST of `body` that may be sent again, until answered 200.
    async fn post(
        &self,
        what: &str,
        path: &str,
        body: &impl serde::Serialize,
    ) -> reqwest::Response {
        let answer = self
            .until_answered(what, || self.device(reqwest::Method::POST, path).json(body))
            .await;
        let status = answer.status();
        assert_eq!(
            status,
            StatusCode::OK,
            "{what}: {}",
            answer.text().await.unwrap_or_default()
        );
        answer
    }

    /// A queue ticket, as a terminal takes one: the tap's request id goes again with the request until it is
    /// answered.
    async fn ticket(&self, n: u32) -> u64 {
        let request = json!({ "service": SERVICE, "request_id": format!("tap-{n}") });
        let answer = self.post("a ticket", "/v1/tickets", &request).await;
        answer.json::<TicketReply>().await.unwrap().number
    }

    async fn put_page(&self, bytes: &[u8]) {
        let name = sha256_hex(bytes);
        let answer = self
            .until_answered("a page", || {
                self.device(reqwest::Method::PUT, &format!("/v1/pages/{name}"))
                    .body(bytes.to_vec())
            })
            .await;
        assert!(answer.status().is_success(), "{}", answer.status());
    }

    /// An application (or a supplement) with its page: the page first, then the form.
    async fn submit(&self, application: &Application, photo: &[u8]) {
        self.put_page(photo).await;
        self.post("an application", "/v1/applications", application)
            .await;
    }

    async fn rate(&self, n: u32, number: &str) {
        let batch = EventBatch {
            events: vec![Event {
                id: format!("rating-{n}"),
                kind: RATING_EVENT.into(),
                occurred_ms: kiosk_hub::store::now_ms(),
                body: serde_json::to_value(Rating {
                    case_no: Some(number.to_string()),
                    service: SERVICE.into(),
                    level: 5,
                    tags: vec![],
                })
                .unwrap(),
            }],
        };
        self.post("a rating", "/v1/events", &batch).await;
    }

    async fn detail(&self, number: &str) -> Detail {
        let answer = self
            .until_answered("the application's detail", || {
                self.client
                    .get(self.url(&format!("/console/api/applications/{number}")))
                    .header("cookie", &self.cookie)
            })
            .await;
        assert_eq!(answer.status(), StatusCode::OK);
        answer.json().await.unwrap()
    }

    /// A reviewer's decision, until the application stands at `then`. A decision whose answer was lost
    /// may have been taken: the reviewer reloads the application before deciding again (as the console
    /// does), so it is never taken twice.
    async fn decide(&self, number: &str, action: serde_json::Value, then: CaseState) {
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let request = self
                .client
                .post(self.url(&format!("/console/api/applications/{number}/actions")))
                .header("cookie", &self.cookie)
                .header("x-csrf-token", &self.csrf)
                .json(&action);
            match self.once(request).await {
                Some(answer) if answer.status() == StatusCode::OK => return,
                Some(answer) => panic!(
                    "{number} {action}: {} {}",
                    answer.status(),
                    answer.text().await.unwrap_or_default()
                ),
                None => {
                    if self.detail(number).await.entry.state == then {
                        self.taken_unanswered.fetch_add(1, Ordering::Relaxed);
                        return;
                    }
                }
            }
            assert!(Instant::now() < deadline, "{number}: never decided");
        }
    }

    /// One citizen's whole case: a ticket, the application, 补正, the supplement, 受理, 办结, a rating.
    async fn case(&self, n: u32) -> (u64, String) {
        let ticket = self.ticket(n).await;
        let photo = page(n, 1);
        let first = application(DEVICE, u64::from(n), &photo);
        let number = first.number.clone();
        self.submit(&first, &photo).await;
        self.decide(
            &number,
            json!({"action": "correct", "deadline_days": 10,
                   "items": [{"item": "photo", "why": "照片背景不是白色"}]}),
            CaseState::NeedsMaterials,
        )
        .await;
        let again = page(n, 2);
        let answer = supplement(
            100_000 + u64::from(n),
            (SERVICE, &number),
            &[],
            &[("photo", &again)],
        );
        self.submit(&answer, &again).await;
        self.decide(&number, json!({"action": "accept"}), CaseState::Accepted)
            .await;
        self.decide(&number, json!({"action": "approve"}), CaseState::Approved)
            .await;
        self.rate(n, &number).await;
        (ticket, number)
    }
}

/// How many rows `sql` (one `$1`) counts.
async fn count(store: &kiosk_hub::Store, sql: &str, bind: &str) -> i64 {
    sqlx::query(sql)
        .bind(bind)
        .fetch_one(store.pool())
        .await
        .unwrap()
        .get(0)
}

#[test]
fn the_hub_killed_anywhere_loses_no_ticket_application_supplement_decision_or_rating_and_doubles_none(
) {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    for backend in backends() {
        let database = runtime.block_on(Database::new(backend));
        let db = database.url().to_string();
        let (code, password) = runtime.block_on(async {
            let store = kiosk_hub::Store::open(&db).await.unwrap();
            kiosk_hub::seed::demo(&store).await.unwrap();
            kiosk_hub::staff::add(&store, "crash.reviewer", "审批员", "0300", "correct horse")
                .await
                .unwrap();
            kiosk_hub::staff::grant(&store, "crash.reviewer", kiosk_hub::staff::Role::Admin, &[])
                .await
                .unwrap();
            let code = kiosk_hub::fleet::create_code(&store, "吴中区政务服务中心")
                .await
                .unwrap();
            store.pool().close().await;
            (code, "correct horse")
        });
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let base = format!("http://127.0.0.1:{port}");
        let hub = Arc::new(Mutex::new(Hub::start(&db, port)));
        let hall = runtime.block_on(async {
            let client = reqwest::Client::new();
            let enrolled: serde_json::Value = client
                .post(format!("{base}/v1/enroll"))
                .json(&json!({ "code": code.trim(), "device_id": DEVICE }))
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap();
            let login = client
                .post(format!("{base}/console/login"))
                .json(&json!({ "username": "crash.reviewer", "password": password }))
                .send()
                .await
                .unwrap();
            assert_eq!(login.status(), StatusCode::NO_CONTENT);
            let cookie = crate::common::session_cookie(&login);
            let csrf = crate::common::csrf_at(&client, &base, &cookie).await;
            Hall {
                base: base.clone(),
                client,
                credential: enrolled["credential"].as_str().unwrap().to_string(),
                cookie,
                csrf,
                server_errors: AtomicUsize::new(0),
                cut: AtomicUsize::new(0),
                taken_unanswered: AtomicUsize::new(0),
            }
        });

        // The killer: the hub dies at random moments while the hall works.
        let stop = Arc::new(AtomicBool::new(false));
        let killer = std::thread::spawn({
            let (hub, stop) = (hub.clone(), stop.clone());
            move || {
                let mut delays = Delays::new(&format!("at the hub on {backend}"));
                let mut killed = 0;
                for _ in 0..kills() {
                    std::thread::sleep(delays.next(Duration::from_millis(250)));
                    if hub.lock().unwrap().kill_and_restart() {
                        killed += 1;
                    }
                }
                stop.store(true, Ordering::Relaxed);
                killed
            }
        });
        let started = Instant::now();
        let done: Vec<(u64, String)> = runtime.block_on(async {
            let mut done = Vec::new();
            let mut n = 1;
            while !stop.load(Ordering::Relaxed) || done.is_empty() {
                done.push(hall.case(n).await);
                n += 1;
            }
            done
        });
        let killed = killer.join().unwrap();
        let elapsed = started.elapsed();

        // The invariants, read from the database the hub left.
        let tickets = runtime.block_on(async {
            let store = kiosk_hub::Store::open(&db).await.unwrap();
            let numbers: Vec<i64> = sqlx::query(
                "SELECT number FROM tickets WHERE service = $1 ORDER BY number",
            )
            .bind(SERVICE)
            .fetch_all(store.pool())
            .await
            .unwrap()
            .iter()
            .map(|row| row.get(0))
            .collect();
            let expected: Vec<i64> = (1..=numbers.len() as i64).collect();
            assert_eq!(numbers, expected, "{backend}: tickets without a gap or a repeat");
            assert_eq!(
                numbers.len(),
                done.len(),
                "{backend}: no ticket issued to no one (a lost answer's ticket is given on the retry)"
            );
            for (ticket, _) in &done {
                assert!(
                    numbers.contains(&(*ticket as i64)),
                    "{backend}: ticket {ticket} handed out but not kept"
                );
            }
            for (_, number) in &done {
                for (sql, what) in [
                    ("SELECT COUNT(*) FROM applications WHERE number = $1", "application"),
                    ("SELECT COUNT(*) FROM cases WHERE case_no = $1", "case"),
                    ("SELECT COUNT(*) FROM supplements WHERE case_no = $1", "supplement"),
                    ("SELECT COUNT(*) FROM results WHERE case_no = $1", "result"),
                    ("SELECT COUNT(*) FROM ratings WHERE case_no = $1", "rating"),
                    (
                        "SELECT COUNT(*) FROM review_actions WHERE case_no = $1 AND action = 'correct'",
                        "补正",
                    ),
                    (
                        "SELECT COUNT(*) FROM review_actions WHERE case_no = $1 AND action = 'accept'",
                        "受理",
                    ),
                    (
                        "SELECT COUNT(*) FROM review_actions WHERE case_no = $1 AND action = 'approve'",
                        "办结",
                    ),
                ] {
                    assert_eq!(count(&store, sql, number).await, 1, "{backend}: {number}'s {what}");
                }
            }
            for n in 1..=done.len() as u32 {
                for part in [1, 2] {
                    let held = count(
                        &store,
                        "SELECT COUNT(*) FROM pages WHERE sha256 = $1",
                        &sha256_hex(&page(n, part)),
                    )
                    .await;
                    assert_eq!(held, 1, "{backend}: application {n}'s page {part}");
                }
            }
            let verdict = kiosk_hub::audit::verify(&store).await.unwrap();
            assert!(verdict.intact(), "{backend}: the audit chain is whole");
            let decisions = kiosk_hub::audit::recent(
                &store,
                &["case.correct", "case.accept", "case.approve"],
                1_000_000,
            )
            .await
            .unwrap();
            assert_eq!(
                decisions.len(),
                3 * done.len(),
                "{backend}: each decision once in the audit chain"
            );
            numbers.len()
        });
        eprintln!(
            "hub crash harness {backend}: the hub killed {killed} times in {:.1} s, {} requests cut; \
             {} cases done end to end, {tickets} tickets; {} decisions had been taken though their answer \
             was lost (not taken again); every invariant held",
            elapsed.as_secs_f64(),
            hall.cut.load(Ordering::Relaxed),
            done.len(),
            hall.taken_unanswered.load(Ordering::Relaxed),
        );
        assert!(killed > 0);
        assert_eq!(
            hall.server_errors.load(Ordering::Relaxed),
            0,
            "{backend}: a kill shows as a cut connection, never as a server error"
        );
        drop(hub);
    }
}
