//! Text entry's engines as the terminal runs them, on their own thread: a keystroke sent to the moment its
//! candidates are back (librime, the shipped fuzzy schema), a stroke to the moment the pad's candidates
//! are back (zinnia with Debian's model), and what the engines add to the process's memory (PSS).
//!
//! `cargo bench --bench input` prints a Markdown table. Rime is deployed under the temporary folder first
//! (as `kiosk input deploy` does at installation), outside the measured time.

use std::path::Path;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use kiosk::input::{deploy, Reply, Request};

const WORDS: [&str; 5] = [
    "suzhougongyeyuanqu",
    "zhengwufuwu",
    "yingyezhizhao",
    "xinghujie",
    "nihao",
];

fn pss_kb() -> Option<u64> {
    let text = std::fs::read_to_string("/proc/self/smaps_rollup").ok()?;
    text.lines()
        .find(|l| l.starts_with("Pss:"))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

fn row(what: &str, mut times: Vec<Duration>) {
    times.sort();
    println!(
        "| {what} | {} | {:.2} | {:.2} | {:.2} |",
        times.len(),
        percentile(&times, 0.5).as_secs_f64() * 1000.0,
        percentile(&times, 0.99).as_secs_f64() * 1000.0,
        times.last().unwrap().as_secs_f64() * 1000.0
    );
}

fn main() {
    let rime = deploy::deployed_or_temporary(Path::new("/var/lib/kiosk/rime")).expect("deployed");
    let words = tempfile::tempdir().unwrap();
    let catalogue = kiosk::domain::catalogue::bundled();
    let settings = kiosk::input::settings(
        &rime,
        words.path(),
        true,
        Path::new(kiosk::input::zinnia::MODEL),
        catalogue.local_words.clone(),
    );
    let before = pss_kb();
    let started = Instant::now();
    let (tx, rx) = mpsc::channel();
    let _running = kiosk::input::spawn(settings, move |reply| tx.send(reply).is_ok());
    let link = match rx.recv().unwrap() {
        Reply::Ready(availability, link) => {
            assert!(availability.pinyin.is_ok() && availability.handwriting.is_ok());
            link
        }
        other => panic!("{other:?}"),
    };
    let ready = started.elapsed();
    let ask = |request: Request| -> Duration {
        let at = Instant::now();
        assert!(link.send(request));
        rx.recv().unwrap();
        at.elapsed()
    };
    // Warm up as a first citizen would.
    for c in "nihao".chars() {
        ask(Request::Key {
            field: 1,
            keysym: c as u32,
        });
    }
    ask(Request::Clear { field: 1 });
    let mut keys = Vec::new();
    let mut picks = Vec::new();
    for _ in 0..40 {
        for word in WORDS {
            for c in word.chars() {
                keys.push(ask(Request::Key {
                    field: 1,
                    keysym: c as u32,
                }));
            }
            picks.push(ask(Request::Pick { field: 1, index: 0 }));
            ask(Request::Clear { field: 1 });
        }
    }
    let fixtures = [
        include_str!("../tests/fixtures/handwriting/4e00.json"),
        include_str!("../tests/fixtures/handwriting/5341.json"),
        include_str!("../tests/fixtures/handwriting/53e3.json"),
        include_str!("../tests/fixtures/handwriting/738b.json"),
        include_str!("../tests/fixtures/handwriting/4e2d.json"),
    ];
    let mut classify = Vec::new();
    for _ in 0..40 {
        for fixture in fixtures {
            let written: kiosk::input::zinnia::Written = serde_json::from_str(fixture).unwrap();
            let (all, side) = (written.strokes, written.side);
            for n in 1..=all.len() {
                classify.push(ask(Request::Strokes {
                    field: 1,
                    strokes: all[..n].to_vec(),
                    side,
                }));
            }
        }
    }
    let after = pss_kb();
    println!("| measure | n | p50 ms | p99 ms | max ms |");
    println!("|---|---|---|---|---|");
    row("keystroke → candidates ready (fuzzy pinyin)", keys);
    row("candidate picked → committed", picks);
    row("stroke → handwriting candidates ready", classify);
    println!();
    println!(
        "engines' thread ready (local words written, Rime's session, zinnia's model): {:.1} ms",
        ready.as_secs_f64() * 1000.0
    );
    if let (Some(before), Some(after)) = (before, after) {
        println!(
            "PSS: {} MB before the engines, {} MB with both loaded and used (+{} MB)",
            before / 1024,
            after / 1024,
            after.saturating_sub(before) / 1024
        );
    }
}
