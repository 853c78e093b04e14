//! The card reader: parsing one 1295-byte read reply (goal ≤ 10 µs), and the time from a card placed on the
//! simulated reader to the identity arriving, against the wire-time floor at 115200 baud (goal: within the
//! floor + the polling interval + 50 ms).

use std::sync::mpsc::channel;
use std::time::{Duration, Instant};

use std::hint::black_box;

use criterion::Criterion;
use kiosk::device::reader::frame::{parse_reply, wire_time, Command, Decoder};
use kiosk::device::reader::sim::{demo_cards, SimControl, SimPort};
use kiosk::device::reader::text::{parse_text, split_read_reply};
use kiosk::device::reader::{ReaderEvent, ReaderSettings, ReaderThread};

/// The read reply of the demo's resident card, as it comes off the wire.
fn read_frame() -> Vec<u8> {
    let sim = SimControl::new(demo_cards());
    sim.place("resident").unwrap();
    for command in [Command::FindCard, Command::SelectCard] {
        sim.answer(&command.code());
    }
    sim.answer(&Command::ReadText.code())
}

fn parse(c: &mut Criterion) {
    let frame = read_frame();
    assert_eq!(frame.len(), 1295);
    c.bench_function("parse 1295-byte read frame (decode + split + text)", |b| {
        b.iter(|| {
            let mut decoder = Decoder::new();
            decoder.push(black_box(&frame));
            let reply = decoder.next_reply().unwrap().unwrap();
            let blocks = split_read_reply(&reply.data, false).unwrap();
            parse_text(&blocks.text).unwrap()
        })
    });
    let reply = parse_reply(&frame).unwrap().unwrap();
    let text = split_read_reply(&reply.data, false).unwrap().text;
    c.bench_function("parse 256-byte text block", |b| {
        b.iter(|| parse_text(black_box(&text)).unwrap())
    });
}

/// Places the card `runs` times and prints how long each took to reach the terminal as an identity.
fn placement_latency(runs: usize, poll: Duration) {
    let baud = 115_200;
    let sim = SimControl::new(demo_cards());
    let port = SimPort::pty(sim.clone(), baud).unwrap();
    let (tx, rx) = channel();
    let _thread = ReaderThread::spawn(
        ReaderSettings {
            port: port.path().to_string(),
            baud,
            poll,
        },
        move |e| tx.send((Instant::now(), e)).is_ok(),
    );
    let wait = |want: &dyn Fn(&ReaderEvent) -> bool| loop {
        let (at, event) = rx
            .recv_timeout(Duration::from_secs(10))
            .expect("reader events");
        if want(&event) {
            return at;
        }
    };
    wait(&|e| matches!(e, ReaderEvent::SamId(_)));
    // Every byte of find, select, read and appended address, both ways (this card has no appended address:
    // an 11-byte reply).
    let bytes = 4 * 10 + 15 + 19 + 1295 + 11;
    let floor = wire_time(bytes, baud);
    let mut latencies = Vec::new();
    for i in 0..runs {
        // Place the card at a different moment of the polling cycle each time.
        std::thread::sleep(Duration::from_millis(
            37 * i as u64 % poll.as_millis() as u64,
        ));
        let placed = Instant::now();
        sim.place("resident").unwrap();
        let read = wait(&|e| matches!(e, ReaderEvent::CardRead(Ok(_))));
        latencies.push(read - placed);
        sim.remove();
        wait(&|e| matches!(e, ReaderEvent::CardRemoved));
    }
    latencies.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let median = latencies[runs / 2];
    let worst = *latencies.last().unwrap();
    let goal = floor + poll + Duration::from_millis(50);
    println!(
        "card placed -> identity, {runs} placements, poll {} ms: min {:.1} ms, median {:.1} ms, max {:.1} ms; \
         wire floor {:.1} ms; goal (floor + poll + 50 ms) {:.1} ms; worst - floor - poll = {:.1} ms",
        poll.as_millis(),
        ms(latencies[0]),
        ms(median),
        ms(worst),
        ms(floor),
        ms(goal),
        ms(worst) - ms(floor) - ms(poll),
    );
    drop(port);
}

fn main() {
    let mut criterion = Criterion::default().configure_from_args();
    parse(&mut criterion);
    criterion.final_summary();
    // `cargo bench --bench reader -- --quick`-style runs still measure latency, with fewer placements.
    let runs = if std::env::args().any(|a| a == "--test") {
        3
    } else {
        30
    };
    placement_latency(runs, Duration::from_millis(300));
}
