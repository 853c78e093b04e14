//! The operators' page with a city's fleet: 10,000 terminals in 50 halls (2 % out of paper, 1 % with a card
//! left on the reader) on a hub in-process on SQLite, the page in Debian's headless Chromium (the console
//! tests' Playwright driver). Measured: the fleet call's size and time, and the page's time to first render
//! (from navigation to the fleet drawn: the login cookie checked, the fleet fetched, parsed and drawn),
//! five times each.
//!
//! `cargo bench --bench fleet_page --features demo` (needs `npm ci --prefix tests/console`).

use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};
use std::time::Instant;

use kiosk_proto::fleet::Heartbeat;
use serde_json::{json, Value};

const TERMINALS: usize = 10_000;

fn main() {
    let dir = tempfile::tempdir().unwrap();
    let hub = kiosk_hub::embedded::EmbeddedHub::start(&format!(
        "sqlite://{}",
        dir.path().join("hub.db").display()
    ))
    .unwrap();
    let store = hub.store().clone();
    hub.block_on(async {
        let credentials = kiosk_hub::loadgen::enroll_fleet(&store, TERMINALS)
            .await
            .unwrap();
        for (i, credential) in credentials.iter().enumerate() {
            let device = credential.rsplit_once('.').unwrap().0;
            let printer = if i % 50 == 7 {
                "fault: paper out"
            } else {
                "ready"
            };
            let card = if i % 100 == 3 {
                "left on the reader: take it to the desk"
            } else {
                "none left"
            };
            let beat = Heartbeat {
                devices: [
                    ("reader".to_string(), "ready".to_string()),
                    ("printer".to_string(), printer.to_string()),
                    ("camera".to_string(), "ready".to_string()),
                    ("card".to_string(), card.to_string()),
                ]
                .into(),
                software_version: "0.1.0".into(),
                ..Heartbeat::default()
            };
            kiosk_hub::fleet::heartbeat(&store, device, &beat)
                .await
                .unwrap();
        }
        kiosk_hub::fleet::flush_beats(&store).await.unwrap();
        kiosk_hub::staff::add(&store, "ops", "李运维", "0301", "correct horse")
            .await
            .unwrap();
        kiosk_hub::staff::grant(&store, "ops", kiosk_hub::staff::Role::Operator, &[])
            .await
            .unwrap();
    });

    let driver = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/console/driver.mjs");
    let mut node = Command::new("node")
        .arg(driver)
        .env("HUB", hub.url())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("node runs the Playwright driver");
    let mut stdin = node.stdin.take().unwrap();
    let mut stdout = BufReader::new(node.stdout.take().unwrap());
    let mut cmd = |command: Value| -> Value {
        writeln!(stdin, "{command}").unwrap();
        let mut line = String::new();
        stdout.read_line(&mut line).unwrap();
        let answer: Value = serde_json::from_str(&line).unwrap();
        assert_eq!(answer["ok"], true, "{command}: {}", answer["error"]);
        answer["value"].clone()
    };
    cmd(json!({"do": "goto", "path": "/console"}));
    cmd(json!({"do": "wait", "sel": "#login-form"}));
    cmd(json!({"do": "fill", "sel": "#username", "text": "ops"}));
    cmd(json!({"do": "fill", "sel": "#password", "text": "correct horse"}));
    cmd(json!({"do": "click", "sel": "#login-form button[type=submit]"}));
    let drawn = "new Promise((done) => { const check = () => document.body.dataset.fleetAt ? \
                 done(performance.now()) : requestAnimationFrame(check); check(); })";
    cmd(json!({"do": "eval", "js": drawn}));
    let mut renders = Vec::new();
    let mut calls = Vec::new();
    let mut bytes = 0;
    for _ in 0..5 {
        let fetched = cmd(json!({"do": "eval", "js":
            "(async () => { const at = performance.now(); const r = await fetch('/console/api/fleet'); \
             const text = await r.text(); JSON.parse(text); return [performance.now() - at, text.length]; })()"}));
        calls.push(fetched[0].as_f64().unwrap());
        bytes = fetched[1].as_u64().unwrap();
        cmd(json!({"do": "reload"}));
        renders.push(cmd(json!({"do": "eval", "js": drawn})).as_f64().unwrap());
    }
    cmd(json!({"do": "shot", "path": dir.path().join("fleet.png")}));
    let shots = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/console-shots");
    std::fs::create_dir_all(&shots).unwrap();
    std::fs::copy(dir.path().join("fleet.png"), shots.join("fleet-10000.png")).unwrap();
    let alerts =
        cmd(json!({"do": "eval", "js": "document.querySelectorAll('#alerts tbody tr').length"}));
    let _ = writeln!(stdin, "{}", json!({"do": "close"}));
    let _ = node.wait();
    let median = |v: &mut Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    println!(
        "fleet page, {TERMINALS} terminals, {alerts} alerts: /console/api/fleet {:.0} KB in {:.0} ms (median of 5); \
         time to first render {:.0} ms (median of 5; all {:?})",
        bytes as f64 / 1024.0,
        median(&mut calls),
        median(&mut renders.clone()),
        renders.iter().map(|r| r.round() as u64).collect::<Vec<_>>()
    );
    let started = Instant::now();
    let survey = hub
        .block_on(kiosk_hub::fleet::survey(&store, kiosk_hub::store::now_ms()))
        .unwrap();
    println!(
        "the hub's survey of {} terminals and {} alerts: {:.0} ms",
        survey.terminals.len(),
        survey.alerts.len(),
        started.elapsed().as_secs_f64() * 1000.0
    );
}
