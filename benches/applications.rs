//! 自助申报 per demo service, from the attract screen to the receipt, in the demo's set-up: the hub
//! in-process on SQLite, the reader simulator on a pty read by the real reader thread, the document camera's
//! simulator through the real page pipeline, and the virtual printer. For each service: the taps, the
//! characters typed, and the time from the tap on "submit" to the receipt's first byte at the printer, with
//! the hub up; then the same with the hub down (the application is kept and the receipt says so); then a
//! page photographed and kept (frame, find, straighten, whiten, JPEG) and its size.
//!
//! `cargo bench --bench applications` prints Markdown tables.

use std::sync::mpsc;
use std::time::{Duration, Instant};

use kiosk::config::Config;
use kiosk::demo::DemoParts;
use kiosk::device::reader::{ReaderEvent, ReaderSettings, ReaderThread};
use kiosk::device::DeviceBoard;
use kiosk::input::Key;
use kiosk::ui::screen::apply;
use kiosk::ui::{drive, App, Bar, Message, Startup};

#[derive(Clone)]
enum Step<'a> {
    Tap(&'a str),
    /// Digits on the keypad: a tap a character.
    Keys(&'a str),
    /// Chinese or letters as a citizen types them (counted a character each).
    Text(&'a str),
    Sign,
}

struct Terminal {
    app: App,
    parts: DemoParts,
    events: mpsc::Receiver<ReaderEvent>,
    _reader: ReaderThread,
    _dir: tempfile::TempDir,
}

fn terminal() -> Terminal {
    let dir = tempfile::tempdir().unwrap();
    let mut config = Config::default();
    let parts = DemoParts::start(dir.path(), Some(&mut config), false).unwrap();
    let (tx, events) = mpsc::channel();
    let reader = ReaderThread::spawn(
        ReaderSettings {
            port: parts.port.path().to_string(),
            baud: 115_200,
            poll: Duration::from_millis(300),
        },
        move |e| tx.send(e).is_ok(),
    );
    let mut app = App::new(Startup::new(Ok(config), true));
    app.set_devices(DeviceBoard::ready());
    Terminal {
        app,
        parts,
        events,
        _reader: reader,
        _dir: dir,
    }
}

struct Run {
    taps: usize,
    typed: usize,
    submit_to_first_byte_ms: f64,
}

impl Terminal {
    fn sign_in(&mut self) {
        self.parts.sim.place("resident-moved").unwrap();
        let deadline = Instant::now() + Duration::from_secs(10);
        while self.app.session().identity().is_none() {
            let event = self
                .events
                .recv_timeout(deadline.saturating_duration_since(Instant::now()))
                .expect("the reader reads the card");
            let task = self.app.update(Message::Reader(event));
            drive::run(&mut self.app, task);
        }
    }

    fn apply(&mut self, service: &str, steps: &[Step]) -> Run {
        let (taps, mut typed) = (std::cell::Cell::new(0), 0);
        let tap = |app: &mut App, label: &str| {
            drive::tap(app, label);
            taps.set(taps.get() + 1);
        };
        tap(&mut self.app, "请轻触屏幕开始");
        tap(&mut self.app, "自助申报");
        self.sign_in();
        tap(&mut self.app, "继续办理");
        tap(&mut self.app, service);
        tap(&mut self.app, "我已阅读，同意并开始");
        for step in steps {
            match step {
                Step::Tap(label) => tap(&mut self.app, label),
                Step::Keys(digits) => {
                    // A key of the keypad each (sent as the key's message: a field's value of the same
                    // digit would catch a tap found by its label).
                    for c in digits.chars() {
                        let task = self
                            .app
                            .update(Message::Apply(apply::Message::Key(Key::Char(c))));
                        drive::run(&mut self.app, task);
                        typed += 1;
                    }
                }
                Step::Text(text) => {
                    let task = self
                        .app
                        .update(Message::Apply(apply::Message::Key(Key::Typed(
                            text.to_string(),
                        ))));
                    drive::run(&mut self.app, task);
                    typed += text.chars().count();
                }
                Step::Sign => {
                    let stroke = vec![(40.0, 120.0, 0), (140.0, 60.0, 60), (260.0, 130.0, 120)];
                    let task = self
                        .app
                        .update(Message::Apply(apply::Message::Stroke(stroke, 900.0)));
                    drive::run(&mut self.app, task);
                    taps.set(taps.get() + 1);
                }
            }
        }
        if !drive::shows(&self.app, "确认提交") {
            let rgba = kiosk::ui::shot::render(&self.app, iced::Size::new(1080, 1920));
            let _ = image_png(&rgba);
        }
        assert!(
            drive::shows(&self.app, "确认提交"),
            "{service}: not on the review page: {}",
            serde_json::to_string(&self.app.view_model().screen).unwrap_or_default()
        );
        let jobs = self.parts.printer.job_count();
        let submitted = Instant::now();
        tap(&mut self.app, "确认提交");
        let job = self
            .parts
            .printer
            .wait_for_jobs(jobs + 1, Duration::from_secs(10))
            .pop()
            .expect("the receipt printed");
        let first = job.first_byte_at.expect("a receipt's first byte");
        assert!(drive::shows(&self.app, "申报已提交"));
        let _ = self.app.update(Message::Bar(Bar::Finish));
        self.parts.sim.remove();
        std::thread::sleep(Duration::from_millis(700));
        while let Ok(event) = self.events.try_recv() {
            let _ = self.app.update(Message::Reader(event));
        }
        Run {
            taps: taps.get(),
            typed,
            submit_to_first_byte_ms: first.saturating_duration_since(submitted).as_secs_f64()
                * 1000.0,
        }
    }
}

fn main() {
    use Step::*;
    let next = Tap("下一步");
    let tail = |more: &[Step<'static>]| -> Vec<Step<'static>> {
        [more.to_vec(), vec![Sign, next.clone(), next.clone()]].concat()
    };
    let services: Vec<(&str, Vec<Step>)> = vec![
        (
            "个体工商户设立登记",
            tail(&[
                Tap("个人经营"),
                Tap("文化创意服务"),
                Text("星湖街328号"),
                Tap("资金数额（万元） · 必填"),
                Keys("5"),
                Tap("从业人数 · 必填"),
                Keys("2"),
                // The mobile number comes from the hub's records.
                next.clone(),
                next.clone(),
            ]),
        ),
        (
            "不动产登记信息查询",
            tail(&[Tap("购房资格"), Tap("本人名下不动产"), next.clone()]),
        ),
        (
            "城乡居民医保参保登记",
            tail(&[Tap("其他居民"), Tap("本市户籍"), next.clone(), next.clone()]),
        ),
        (
            "居住证申领",
            tail(&[
                Text("星湖街328号"),
                Tap("居住类型 · 必填"),
                Tap("稳定就业"),
                next.clone(),
                Tap("拍摄"),
                next.clone(),
            ]),
        ),
        (
            "出生一件事",
            // The newborn, the certificate, the other parent and the mobile number come from the hub's
            // records (the birth certificate's and marriage e-licences, the account): one choice is left.
            tail(&[Tap("随父落户"), next.clone(), next.clone()]),
        ),
    ];
    let mut terminal = terminal();
    println!("| service (demo card: 王建国) | taps | characters typed | submit → receipt's first byte, hub up (ms) |");
    println!("|---|---|---|---|");
    for (service, steps) in &services {
        let run = terminal.apply(service, steps);
        println!(
            "| {service} | {} | {} | {:.0} |",
            run.taps, run.typed, run.submit_to_first_byte_ms
        );
    }
    // The hub down: the application is kept and the receipt prints all the same.
    println!();
    println!(
        "| hub down, {} | submit → receipt's first byte (ms) |",
        services[1].0
    );
    println!("|---|---|");
    for round in 1..=3 {
        terminal.parts.hub.pause();
        let run = terminal.apply(services[1].0, &services[1].1);
        terminal.parts.hub.resume().unwrap();
        println!("| run {round} | {:.0} |", run.submit_to_first_byte_ms);
    }
    // A page photographed and kept.
    let mut camera = kiosk::device::camera::sim::SimCamera::new(Default::default());
    let mut frames = Vec::new();
    let mut pages = Vec::new();
    let mut sizes = Vec::new();
    for _ in 0..10 {
        let started = Instant::now();
        let frame = kiosk::device::camera::Camera::frame(&mut camera).unwrap();
        frames.push(started.elapsed().as_secs_f64() * 1000.0);
        let started = Instant::now();
        let page = kiosk::device::camera::page::keep(&frame).unwrap();
        pages.push(started.elapsed().as_secs_f64() * 1000.0);
        sizes.push(page.jpeg.len() / 1024);
    }
    let median = |v: &mut Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    println!();
    println!("| a page (A4 at 200 dpi, 10 runs) | median |");
    println!("|---|---|");
    println!(
        "| simulator's frame rendered (ms) | {:.0} |",
        median(&mut frames)
    );
    println!(
        "| page found, straightened, whitened, JPEG (ms) | {:.0} |",
        median(&mut pages)
    );
    println!("| kept page (KB) | {} |", sizes[0]);
}

fn image_png(rgba: &[u8]) -> std::io::Result<()> {
    let file = std::fs::File::create("/tmp/bench-fail.png")?;
    let mut encoder = png::Encoder::new(file, 1080, 1920);
    encoder.set_color(png::ColorType::Rgba);
    encoder.set_depth(png::BitDepth::Eight);
    encoder.write_header()?.write_image_data(rgba)?;
    Ok(())
}
