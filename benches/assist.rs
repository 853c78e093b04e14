//! Remote guidance's cost on a thin link and its mirror latency, in the demo's set-up (the hub in-process on
//! SQLite, the terminal's real link thread, a staff console on the wire).
//!
//! - Bytes per second of one session, both ways on the terminal's connection, while the citizen is idle
//!   (the clock in the top bar is the only change; a touch on nothing every 30 s keeps the session from
//!   timing out) and while active (a tap every 2 s through the home
//!   screen, the guide and back).
//! - Mirror latency on loopback: from the citizen's tap to the console receiving the new frame, with the
//!   terminal's cost of rendering the picture in it.
//!
//! `cargo bench --bench assist` prints both.

#[path = "../tests/common/mod.rs"]
mod common;

use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use common::console::{login, Console};
use common::pump_link;
use common::rig::rig;
use kiosk_proto::assist::{FromConsole, ToConsole};

fn main() {
    std::env::set_var("ICED_TEST_BACKEND", "tiny-skia");
    let mut rig = rig();
    let hub = rig.config.hub.url.clone();
    rig.add_staff();
    let cookie = login(&hub, "zhangli", "correct horse").unwrap();
    let mut console = Console::connect(&hub, Some(&cookie)).unwrap();
    rig.tap("请轻触屏幕开始");
    rig.tap("呼叫工作人员");
    assert!(pump_link(
        &mut rig.app,
        |app| app.assist_session().is_some(),
        Duration::from_secs(10)
    ));
    let session = loop {
        if let Some(ToConsole::Queue { waiting }) = console.next(Duration::from_millis(50)) {
            if let Some(first) = waiting.first() {
                break first.session.clone();
            }
        }
    };
    console.send(&FromConsole::Accept { session });
    assert!(pump_link(
        &mut rig.app,
        |app| app.view_model().assist.phase == kiosk::assist::Phase::AskView,
        Duration::from_secs(10)
    ));
    rig.tap("允许查看");

    let traffic = |rig: &common::rig::Rig| {
        let link = rig.app.link().unwrap();
        link.traffic().sent.load(Ordering::Relaxed)
            + link.traffic().received.load(Ordering::Relaxed)
    };
    // The clock's minute ticks are the idle screen's only change: a minute of ticks.
    let idle_start = traffic(&rig);
    let seconds = 60;
    for second in 0..seconds {
        if second % 30 == 0 {
            // A touch on nothing in particular keeps the session from timing out; nothing changes.
            let _ = rig
                .app
                .update(kiosk::ui::Message::Activity(iced::time::Instant::now()));
        }
        let task = rig
            .app
            .update(kiosk::ui::Message::Tick(iced::time::Instant::now()));
        common::run(&mut rig.app, task);
        pump_link(&mut rig.app, |_| false, Duration::from_millis(5));
        while console.next(Duration::from_millis(1)).is_some() {}
        std::thread::sleep(Duration::from_millis(995));
    }
    let idle = (traffic(&rig) - idle_start) as f64 / seconds as f64;

    // Active: a tap every 2 s, each changing the screen.
    let taps = ["办事指南", "企业开办", "返回", "首页", "English", "中文"];
    let active_start = traffic(&rig);
    let started = Instant::now();
    for _ in 0..5 {
        for tap in taps {
            let tapped = Instant::now();
            rig.tap(tap);
            pump_link(&mut rig.app, |_| false, Duration::from_millis(5));
            while console.next(Duration::from_millis(1)).is_some() {}
            std::thread::sleep(Duration::from_millis(2000).saturating_sub(tapped.elapsed()));
        }
    }
    let active = (traffic(&rig) - active_start) as f64 / started.elapsed().as_secs_f64();

    // Latency: the citizen switches language (the interface handles the touch, draws the picture staff
    // see, and the link sends it) until the console has the new frame.
    let mut latencies = Vec::new();
    for _ in 0..40 {
        let tapped = Instant::now();
        let task = rig
            .app
            .update(kiosk::ui::Message::Bar(kiosk::ui::Bar::Language));
        common::run(&mut rig.app, task);
        loop {
            if let Some(ToConsole::Mirror(_)) = console.next(Duration::from_millis(1)) {
                break;
            }
        }
        latencies.push(tapped.elapsed().as_secs_f64() * 1000.0);
    }
    latencies.sort_by(f64::total_cmp);
    let pct = |p: f64| latencies[((latencies.len() - 1) as f64 * p).round() as usize];
    let mut frames: Vec<usize> = console
        .seen
        .iter()
        .filter(|f| f.starts_with("{\"t\":\"mirror\""))
        .map(String::len)
        .collect();
    frames.sort();
    println!("| remote guidance, one session | figure |");
    println!("|---|---|");
    println!("| bytes/s, citizen idle (60 s) | {idle:.1} |");
    println!("| bytes/s, citizen active (a tap every 2 s, 60 s) | {active:.1} |");
    println!(
        "| mirror frame, bytes (n = {}) | median {}, max {} |",
        frames.len(),
        frames[frames.len() / 2],
        frames[frames.len() - 1]
    );
    println!(
        "| mirror latency, touch handled + picture drawn + relayed to the console, ms (n = {}) | median {:.1}, p90 {:.1}, max {:.1} |",
        latencies.len(),
        pct(0.5),
        pct(0.9),
        pct(1.0)
    );
}
