//! `kiosk-hub loadgen`: simulated terminals against a hub, with throughput and latency percentiles.
//!
//! Two runs:
//! - **fleet** (default): `--kiosks N` terminals, each beating every `--interval` ± 20 % from a random
//!   start, plus business calls at `--business` per second (case lists, document lists, queue tickets and
//!   ratings through the event ingest), for `--duration`;
//! - **ceiling** (`--ceiling`): heartbeats at a fixed rate that rises step by step, to find the rate where
//!   the 99th percentile crosses 50 ms;
//!   With `--publish-setting-at 20s` a setting is published for every terminal 20 s in, and the time it
//!   takes to reach each terminal (its next beat, then `GET /v1/settings`) is measured;
//! - **intake** (`--applications RATE`): 自助申报 at RATE applications a second for `--duration`, each with
//!   three 150 KB pages sent first (as a terminal sends them), while reviewers read the review desk (the
//!   queue and one application) at `--reviews` a second.
//!
//! The terminals are enrolled straight into the database (one transaction), and the demo seed is laid down
//! when the database has no cases, so the business calls find something.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use kiosk_proto::fleet::{Event, EventBatch, Heartbeat, TicketRequest};
use kiosk_proto::service::{HolderQuery, Rating};
use sqlx::Row;

use crate::store::{now_ms, HubError, Store};

/// The goal the ceiling is measured against.
pub const P99_GOAL: Duration = Duration::from_millis(50);

/// What to run (the `loadgen` command's options).
#[derive(Debug, Clone, clap::Args)]
pub struct Plan {
    /// Terminals beating (fleet run) or sharing the beats (ceiling run).
    #[arg(long, default_value_t = 10_000)]
    pub kiosks: usize,
    /// How long the fleet run lasts (60s, 2m …).
    #[arg(long, default_value = "60s", value_parser = parse_duration)]
    pub duration: Duration,
    /// Each terminal's heartbeat interval (± 20 %).
    #[arg(long, default_value = "30s", value_parser = parse_duration)]
    pub interval: Duration,
    /// Business calls per second across the fleet (case and document lists, tickets, ratings).
    #[arg(long, default_value_t = 10.0)]
    pub business: f64,
    /// Instead: heartbeats at rising fixed rates (comma-separated requests/s) to find where p99 crosses
    /// 50 ms.
    #[arg(long, value_delimiter = ',')]
    pub ceiling: Vec<u32>,
    /// How long each ceiling step lasts.
    #[arg(long, default_value = "10s", value_parser = parse_duration)]
    pub step: Duration,
    /// Instead: applications a second, each with three 150 KB pages, for --duration.
    #[arg(long, default_value_t = 0.0)]
    pub applications: f64,
    /// With --applications: reviewers' reads a second at the same time (the queue, one application).
    #[arg(long, default_value_t = 5.0)]
    pub reviews: f64,
    /// In the fleet run: publish a setting for every terminal this long after the start, and measure how
    /// long it takes to reach each (`setting reached`: from the publication to the terminal's fetch).
    #[arg(long, value_parser = parse_duration)]
    pub publish_setting_at: Option<Duration>,
}

/// The bytes of a page in an intake run.
pub const LOAD_PAGE_BYTES: usize = 150 * 1024;

/// `60s`, `2m`, `500ms`, `1h`.
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    let text = text.trim();
    let split = text
        .find(|c: char| !c.is_ascii_digit() && c != '.')
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let number: f64 = number
        .parse()
        .map_err(|_| format!("{text:?}: a duration is a number and a unit, e.g. 60s, 2m, 500ms"))?;
    let seconds = match unit {
        "ms" => number / 1000.0,
        "s" | "" => number,
        "m" => number * 60.0,
        "h" => number * 3600.0,
        _ => return Err(format!("{text:?}: the unit is ms, s, m or h")),
    };
    Ok(Duration::from_secs_f64(seconds))
}

/// Latencies of one kind of call.
#[derive(Default)]
struct Samples {
    micros: Vec<u32>,
    errors: u64,
}

#[derive(Default, Clone)]
struct Recorder(Arc<Mutex<std::collections::BTreeMap<&'static str, Samples>>>);

impl Recorder {
    fn record(&self, kind: &'static str, took: Duration, ok: bool) {
        let mut all = self.0.lock().unwrap_or_else(|e| e.into_inner());
        let samples = all.entry(kind).or_default();
        if ok {
            samples
                .micros
                .push(took.as_micros().min(u32::MAX as u128) as u32);
        } else {
            samples.errors += 1;
        }
    }

    fn take(&self) -> std::collections::BTreeMap<&'static str, Samples> {
        std::mem::take(&mut *self.0.lock().unwrap_or_else(|e| e.into_inner()))
    }
}

/// Figures of one kind of call.
#[derive(Debug, Clone, PartialEq)]
pub struct Figures {
    pub kind: String,
    pub count: usize,
    pub errors: u64,
    pub per_second: f64,
    pub p50_ms: f64,
    pub p90_ms: f64,
    pub p99_ms: f64,
    pub max_ms: f64,
}

impl std::fmt::Display for Figures {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{:16} {:>8} ok {:>5} err {:>9.1}/s   p50 {:>7.2} ms  p90 {:>7.2} ms  p99 {:>7.2} ms  max {:>8.2} ms",
            self.kind,
            self.count,
            self.errors,
            self.per_second,
            self.p50_ms,
            self.p90_ms,
            self.p99_ms,
            self.max_ms
        )
    }
}

fn figures(kind: &str, mut samples: Samples, elapsed: Duration) -> Figures {
    samples.micros.sort_unstable();
    let at = |q: f64| {
        if samples.micros.is_empty() {
            return 0.0;
        }
        let i = ((samples.micros.len() as f64 * q).ceil() as usize).clamp(1, samples.micros.len());
        f64::from(samples.micros[i - 1]) / 1000.0
    };
    Figures {
        kind: kind.to_string(),
        count: samples.micros.len(),
        errors: samples.errors,
        per_second: samples.micros.len() as f64 / elapsed.as_secs_f64().max(1e-9),
        p50_ms: at(0.50),
        p90_ms: at(0.90),
        p99_ms: at(0.99),
        max_ms: at(1.0),
    }
}

/// `n` terminals enrolled at once into `store` (for load runs): their credentials.
pub async fn enroll_fleet(store: &Store, n: usize) -> Result<Vec<String>, HubError> {
    let now = now_ms();
    let mut credentials = Vec::with_capacity(n);
    let mut tx = store.pool().begin().await?;
    for i in 0..n {
        let device = format!("LOAD-{i:06}");
        // A cheap secret: the hash is what the hub checks, the secret's strength is not under test.
        let secret = format!("{:032x}", (i as u128) << 64 | now as u128);
        sqlx::query("DELETE FROM devices WHERE device_id = $1")
            .bind(&device)
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO devices (device_id, hall, credential_hash, enrolled_ms) VALUES ($1, $2, $3, $4)",
        )
        .bind(&device)
        .bind(format!("负载测试大厅{}", i % 50))
        .bind(crate::fleet::sha256_hex(&secret))
        .bind(now)
        .execute(&mut *tx)
        .await?;
        credentials.push(format!("{device}.{secret}"));
    }
    tx.commit().await?;
    Ok(credentials)
}

fn beat() -> Heartbeat {
    let mut devices = std::collections::BTreeMap::new();
    devices.insert("reader".to_string(), "ready".to_string());
    devices.insert("printer".to_string(), "ready".to_string());
    Heartbeat {
        devices,
        outbox_depth: 0,
        software_version: concat!("loadgen/", env!("CARGO_PKG_VERSION")).into(),
        config_version: 0,
        catalogue_version: 1,
        ..Heartbeat::default()
    }
}

async fn post<T: serde::Serialize>(
    client: &reqwest::Client,
    url: &str,
    credential: &str,
    body: &T,
) -> bool {
    match client
        .post(url)
        .bearer_auth(credential)
        .json(body)
        .send()
        .await
    {
        Ok(reply) => {
            let ok = reply.status().is_success();
            // Read the body, as a terminal does, so the connection goes back to the pool.
            let _ = reply.bytes().await;
            ok
        }
        Err(_) => false,
    }
}

/// A heartbeat's reply, or none when it failed.
async fn beat_reply(
    client: &reqwest::Client,
    url: &str,
    credential: &str,
    beat: &Heartbeat,
) -> Option<kiosk_proto::fleet::HeartbeatReply> {
    let reply = client
        .post(url)
        .bearer_auth(credential)
        .json(beat)
        .send()
        .await
        .ok()?;
    if !reply.status().is_success() {
        let _ = reply.bytes().await;
        return None;
    }
    reply.json().await.ok()
}

/// A uniform random number in [0, 1).
fn unit() -> f64 {
    let mut bytes = [0u8; 8];
    getrandom::fill(&mut bytes).expect("the operating system's random source");
    (u64::from_le_bytes(bytes) >> 11) as f64 / (1u64 << 53) as f64
}

/// Runs `plan` against the hub at `base` whose database is `store`; the figures of each kind of call (and,
/// in a ceiling run, of each step).
pub async fn run(store: &Store, base: &str, plan: &Plan) -> Result<Vec<Figures>, HubError> {
    let has_cases = sqlx::query("SELECT COUNT(*) FROM cases")
        .fetch_one(store.pool())
        .await?
        .try_get::<i64, _>(0)?
        > 0;
    if !has_cases {
        crate::seed::demo(store).await?;
    }
    let holders = crate::seed::demo_holders();
    let kiosks = plan.kiosks.max(1);
    let credentials = Arc::new(enroll_fleet(store, kiosks).await?);
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(512)
        .timeout(Duration::from_secs(10))
        .build()
        .map_err(|e| HubError::BadRequest(format!("HTTP client: {e}")))?;
    let recorder = Recorder::default();
    let heartbeat_url = format!("{}/v1/heartbeat", base.trim_end_matches('/'));

    if !plan.ceiling.is_empty() {
        // Warm-up, not measured: each terminal beats once (the hub learns its credential, its first beat is
        // written), as a fleet that has been running would be.
        let mut warm = tokio::task::JoinSet::new();
        for chunk in credentials.chunks(credentials.len().div_ceil(64).max(1)) {
            let (client, url, chunk) = (client.clone(), heartbeat_url.clone(), chunk.to_vec());
            warm.spawn(async move {
                for credential in chunk {
                    post(&client, &url, &credential, &beat()).await;
                }
            });
        }
        while warm.join_next().await.is_some() {}
        tokio::time::sleep(crate::fleet::FLUSH_INTERVAL * 2).await;
        let mut results = Vec::new();
        for &rate in &plan.ceiling {
            let started = Instant::now();
            let mut tick =
                tokio::time::interval(Duration::from_secs_f64(1.0 / f64::from(rate.max(1))));
            tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Burst);
            let mut tasks = tokio::task::JoinSet::new();
            let mut i = 0usize;
            while started.elapsed() < plan.step {
                tick.tick().await;
                let (client, url, recorder) =
                    (client.clone(), heartbeat_url.clone(), recorder.clone());
                let credential = credentials[i % credentials.len()].clone();
                i += 1;
                tasks.spawn(async move {
                    let at = Instant::now();
                    let ok = post(&client, &url, &credential, &beat()).await;
                    recorder.record("heartbeat", at.elapsed(), ok);
                });
            }
            while tasks.join_next().await.is_some() {}
            let elapsed = started.elapsed();
            for (_, samples) in recorder.take() {
                let mut f = figures(&format!("beat@{rate}/s"), samples, elapsed);
                f.per_second = f.count as f64 / elapsed.as_secs_f64();
                results.push(f);
            }
        }
        return Ok(results);
    }

    if plan.applications > 0.0 {
        return intake(store, base, plan, &client, &credentials, &holders).await;
    }

    let started = Instant::now();
    let deadline = started + plan.duration;
    let mut tasks = tokio::task::JoinSet::new();
    // The setting published mid-run: when, and its version.
    let published: Arc<Mutex<Option<(Instant, u64)>>> = Arc::default();
    if let Some(at) = plan.publish_setting_at {
        let (store, published) = (store.clone(), published.clone());
        tasks.spawn(async move {
            tokio::time::sleep(at).await;
            let settings = kiosk_proto::remote::RemoteSettings {
                idle_seconds: Some(90),
                ..Default::default()
            };
            match crate::remote::publish(
                &store,
                &crate::remote::Scope::Everyone,
                &settings,
                "loadgen",
            )
            .await
            {
                Ok(version) => {
                    *published.lock().unwrap_or_else(|e| e.into_inner()) =
                        Some((Instant::now(), version.max(0) as u64))
                }
                Err(error) => tracing::error!(%error, "loadgen could not publish its setting"),
            }
        });
    }
    let settings_url = format!("{}/v1/settings", base.trim_end_matches('/'));
    for credential in credentials.iter() {
        let credential = credential.clone();
        let (client, url, recorder) = (client.clone(), heartbeat_url.clone(), recorder.clone());
        let (settings_url, published) = (settings_url.clone(), published.clone());
        let interval = plan.interval;
        tasks.spawn(async move {
            // The config version this terminal has, as a real one keeps it.
            let mut applied = 0u64;
            // A random phase, then every interval ± 20 %.
            tokio::time::sleep(interval.mul_f64(unit())).await;
            while Instant::now() < deadline {
                let at = Instant::now();
                let beat = Heartbeat {
                    config_version: applied,
                    ..beat()
                };
                let reply = beat_reply(&client, &url, &credential, &beat).await;
                recorder.record("heartbeat", at.elapsed(), reply.is_some());
                if reply.is_some_and(|r| r.config_version > applied) {
                    let asked = Instant::now();
                    let fetched = client
                        .get(&settings_url)
                        .bearer_auth(&credential)
                        .send()
                        .await
                        .ok()
                        .filter(|r| r.status().is_success());
                    let settings = match fetched {
                        Some(reply) => reply
                            .json::<kiosk_proto::remote::SettingsReply>()
                            .await
                            .ok(),
                        None => None,
                    };
                    recorder.record("settings", asked.elapsed(), settings.is_some());
                    if let Some(settings) = settings {
                        applied = settings.version;
                        let mark = *published.lock().unwrap_or_else(|e| e.into_inner());
                        if let Some((when, _)) = mark.filter(|(_, v)| applied >= *v) {
                            recorder.record("setting reached", when.elapsed(), true);
                        }
                    }
                }
                let next = interval.mul_f64(0.8 + 0.4 * unit());
                if Instant::now() + next >= deadline {
                    break;
                }
                tokio::time::sleep(next).await;
            }
        });
    }
    if plan.business > 0.0 {
        let mut tick = tokio::time::interval(Duration::from_secs_f64(1.0 / plan.business));
        let base = base.trim_end_matches('/').to_string();
        let mut n = 0usize;
        while Instant::now() < deadline {
            tick.tick().await;
            n += 1;
            let credential = credentials[n % credentials.len()].clone();
            let holder = holders[n % holders.len()].id.clone();
            let (client, recorder, base) = (client.clone(), recorder.clone(), base.clone());
            tasks.spawn(async move {
                let at = Instant::now();
                let (kind, ok) = match n % 5 {
                    0 | 1 => (
                        "cases/mine",
                        post(
                            &client,
                            &format!("{base}/v1/cases/mine"),
                            &credential,
                            &HolderQuery { id_number: holder },
                        )
                        .await,
                    ),
                    2 => (
                        "documents/mine",
                        post(
                            &client,
                            &format!("{base}/v1/documents/mine"),
                            &credential,
                            &HolderQuery { id_number: holder },
                        )
                        .await,
                    ),
                    3 => (
                        "tickets",
                        post(
                            &client,
                            &format!("{base}/v1/tickets"),
                            &credential,
                            &TicketRequest {
                                service: format!("SZ-{:04}", 1 + n % 49),
                                request_id: None,
                            },
                        )
                        .await,
                    ),
                    _ => {
                        let rating = Rating {
                            case_no: None,
                            service: "ticket".into(),
                            level: 5,
                            tags: vec![],
                        };
                        let batch = EventBatch {
                            events: vec![Event {
                                id: format!("load-{n}-{}", now_ms()),
                                kind: kiosk_proto::service::RATING_EVENT.into(),
                                occurred_ms: now_ms(),
                                body: serde_json::to_value(rating).expect("a rating serialises"),
                            }],
                        };
                        (
                            "events",
                            post(&client, &format!("{base}/v1/events"), &credential, &batch).await,
                        )
                    }
                };
                recorder.record(kind, at.elapsed(), ok);
            });
        }
    }
    while tasks.join_next().await.is_some() {}
    let elapsed = started.elapsed();
    Ok(recorder
        .take()
        .into_iter()
        .map(|(kind, samples)| figures(kind, samples, elapsed))
        .collect())
}

/// A page of `LOAD_PAGE_BYTES` that no other page repeats: a JPEG's first bytes, then noise from `seed`.
fn load_page(seed: u64) -> Vec<u8> {
    let mut page = Vec::with_capacity(LOAD_PAGE_BYTES);
    page.extend_from_slice(&[0xFF, 0xD8, 0xFF, 0xE0]);
    let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    while page.len() < LOAD_PAGE_BYTES {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        page.extend_from_slice(&x.to_le_bytes());
    }
    page.truncate(LOAD_PAGE_BYTES);
    page
}

/// A residence-permit application (居住证申领) by `holder` with `pages` as its ID card's two sides and photo.
fn load_application(
    device: &str,
    seq: u64,
    holder: &crate::seed::Holder,
    pages: &[Vec<u8>],
) -> kiosk_proto::application::Application {
    use kiosk_proto::application::{
        application_number, sha256_hex, Application, DeliveryChoice, FieldValue, MaterialEntry,
        MaterialGiven, PageRef, Signature,
    };
    let page = |bytes: &Vec<u8>| PageRef {
        sha256: sha256_hex(bytes),
        bytes: bytes.len() as u64,
    };
    let mut application = Application {
        id: format!("{:016x}{:016x}", now_ms() as u64, seq),
        number: application_number(device, seq),
        service_id: "SZ-0024".into(),
        applicant: holder.id.clone(),
        applicant_masked: kiosk_proto::service::mask(&holder.name, 1, 0),
        values: [
            ("name", holder.name.as_str()),
            ("id_number", holder.id.0.as_str()),
            ("address", "苏州工业园区星湖街328号5幢1202室"),
            ("basis", "work"),
            ("phone", "13912345678"),
        ]
        .into_iter()
        .map(|(id, value)| FieldValue {
            id: id.into(),
            value: value.into(),
        })
        .collect(),
        materials: vec![
            MaterialEntry {
                id: "id_card".into(),
                given: MaterialGiven::Capture {
                    pages: pages[..2].iter().map(page).collect(),
                },
            },
            MaterialEntry {
                id: "photo".into(),
                given: MaterialGiven::Capture {
                    pages: vec![page(&pages[2])],
                },
            },
            MaterialEntry {
                id: "address_proof".into(),
                given: MaterialGiven::Elicence {
                    number: "苏(2022)苏州市不动产权第0001001号".into(),
                    title: kiosk_proto::LocalText::new("不动产权证书", "Title certificate"),
                },
            },
        ],
        signature: None,
        delivery: DeliveryChoice::Pickup,
        submitted_ms: now_ms(),
        lang: kiosk_proto::Lang::Zh,
        completes: None,
        assisted: vec![],
    };
    application.signature = Some(Signature {
        width: 900,
        height: 378,
        strokes: vec![vec![(10, 10, 0), (200, 120, 80)]],
        signed_ms: application.submitted_ms,
        digest: application.signed_digest(),
    });
    application
}

/// The intake run: applications at `plan.applications` a second, each its three pages then itself, while a
/// reviewer (an admin of the console) reads the queue and one application at `plan.reviews` a second.
async fn intake(
    store: &Store,
    base: &str,
    plan: &Plan,
    client: &reqwest::Client,
    credentials: &Arc<Vec<String>>,
    holders: &[crate::seed::Holder],
) -> Result<Vec<Figures>, HubError> {
    let base = base.trim_end_matches('/').to_string();
    // Only residents' cards: the hub refuses a foreign card's number for an application.
    let holders: Vec<crate::seed::Holder> = holders
        .iter()
        .filter(|h| kiosk_proto::fields::id_number_is_valid(&h.id.0))
        .cloned()
        .collect();
    let password = crate::store::random_hex::<16>();
    crate::staff::add(store, "loadgen.reviewer", "负载", "9999", &password).await?;
    crate::staff::grant(store, "loadgen.reviewer", crate::staff::Role::Admin, &[]).await?;
    let login = client
        .post(format!("{base}/console/login"))
        .json(&serde_json::json!({ "username": "loadgen.reviewer", "password": password }))
        .send()
        .await
        .map_err(|e| HubError::BadRequest(format!("console login: {e}")))?;
    let cookie = login
        .headers()
        .get(reqwest::header::SET_COOKIE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .map(str::to_string)
        .ok_or_else(|| HubError::BadRequest("the console login gave no cookie".into()))?;
    let recorder = Recorder::default();
    let taken: Arc<Mutex<Vec<String>>> = Arc::default();
    let started = Instant::now();
    let deadline = started + plan.duration;
    let mut tasks = tokio::task::JoinSet::new();
    let run_id = now_ms() as u64;
    // The reviewers.
    if plan.reviews > 0.0 {
        let (client, recorder, taken, base, cookie) = (
            client.clone(),
            recorder.clone(),
            taken.clone(),
            base.clone(),
            cookie.clone(),
        );
        let every = Duration::from_secs_f64(1.0 / plan.reviews);
        tasks.spawn(async move {
            let mut tick = tokio::time::interval(every);
            let mut n = 0u64;
            let mut reads = tokio::task::JoinSet::new();
            while Instant::now() < deadline {
                tick.tick().await;
                n += 1;
                let last = taken
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .last()
                    .cloned();
                let (kind, path) = match (n % 2, last) {
                    (0, Some(number)) => (
                        "review detail",
                        format!("/console/api/applications/{number}"),
                    ),
                    _ => ("review queue", "/console/api/queue".to_string()),
                };
                let (client, recorder, url, cookie) = (
                    client.clone(),
                    recorder.clone(),
                    format!("{base}{path}"),
                    cookie.clone(),
                );
                reads.spawn(async move {
                    let at = Instant::now();
                    let ok = match client.get(url).header("cookie", cookie).send().await {
                        Ok(reply) => {
                            let ok = reply.status().is_success();
                            let _ = reply.bytes().await;
                            ok
                        }
                        Err(_) => false,
                    };
                    recorder.record(kind, at.elapsed(), ok);
                });
            }
            while reads.join_next().await.is_some() {}
        });
    }
    let mut tick = tokio::time::interval(Duration::from_secs_f64(1.0 / plan.applications));
    let mut seq = 0u64;
    while Instant::now() < deadline {
        tick.tick().await;
        seq += 1;
        let n = seq as usize;
        let credential = credentials[n % credentials.len()].clone();
        let device = credential.split('.').next().unwrap_or_default().to_string();
        let holder = holders[n % holders.len().max(1)].clone();
        let (client, recorder, base, taken) = (
            client.clone(),
            recorder.clone(),
            base.clone(),
            taken.clone(),
        );
        tasks.spawn(async move {
            let at = Instant::now();
            let pages: Vec<Vec<u8>> = (0..3).map(|i| load_page(run_id ^ (seq * 3 + i))).collect();
            let mut ok = true;
            for page in &pages {
                let sent = Instant::now();
                let put = client
                    .put(format!(
                        "{base}/v1/pages/{}",
                        kiosk_proto::application::sha256_hex(page)
                    ))
                    .bearer_auth(&credential)
                    .body(page.clone())
                    .send()
                    .await;
                let page_ok = match put {
                    Ok(reply) => {
                        let good = reply.status().is_success();
                        let _ = reply.bytes().await;
                        good
                    }
                    Err(_) => false,
                };
                recorder.record("page (150 KB)", sent.elapsed(), page_ok);
                ok &= page_ok;
            }
            let application =
                load_application(&device, run_id % 1_000_000 * 1000 + seq, &holder, &pages);
            let sent = Instant::now();
            let posted = ok
                && post(
                    &client,
                    &format!("{base}/v1/applications"),
                    &credential,
                    &application,
                )
                .await;
            recorder.record("application", sent.elapsed(), posted);
            recorder.record("app + 3 pages", at.elapsed(), posted);
            if posted {
                taken
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .push(application.number);
            }
        });
    }
    while tasks.join_next().await.is_some() {}
    let elapsed = started.elapsed();
    Ok(recorder
        .take()
        .into_iter()
        .map(|(kind, samples)| figures(kind, samples, elapsed))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_as_people_write_them() {
        assert_eq!(parse_duration("60s").unwrap(), Duration::from_secs(60));
        assert_eq!(parse_duration("2m").unwrap(), Duration::from_secs(120));
        assert_eq!(parse_duration("500ms").unwrap(), Duration::from_millis(500));
        assert!(parse_duration("soon").is_err());
        assert!(parse_duration("5 fortnights").is_err());
    }

    #[test]
    fn percentiles_pick_the_sample_at_the_rank() {
        let samples = Samples {
            micros: (1..=100).map(|i| i * 1000).collect(),
            errors: 2,
        };
        let f = figures("x", samples, Duration::from_secs(10));
        assert_eq!((f.p50_ms, f.p99_ms, f.max_ms), (50.0, 99.0, 100.0));
        assert_eq!((f.count, f.errors), (100, 2));
        assert!((f.per_second - 10.0).abs() < 1e-9);
    }
}
