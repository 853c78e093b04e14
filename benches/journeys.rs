//! Taps and seconds per citizen journey, from the attract screen to done, in the demo's set-up: the hub
//! in-process on SQLite, the reader simulator on a pty read by the real reader thread (polling every 300 ms,
//! as in `kiosk demo`), and the virtual printer printing at 150 mm of paper a second (a journey that prints
//! ends when the paper is all out). The citizen's own reading and thinking time is not in the seconds: each
//! tap follows the last at once.
//!
//! `cargo bench --bench journeys` prints a Markdown table (median of 3 runs of each journey).

use std::sync::mpsc;
use std::time::{Duration, Instant};

use kiosk::config::Config;
use kiosk::demo::DemoParts;
use kiosk::device::reader::{ReaderEvent, ReaderSettings, ReaderThread};
use kiosk::device::DeviceBoard;
use kiosk::ui::drive;
use kiosk::ui::{App, Bar, Message, Startup};

/// One step of a journey.
#[derive(Clone)]
enum Step<'a> {
    Tap(&'a str),
    /// Place this demo card on the reader and wait for the welcome.
    Card(&'a str),
    /// Type on the keypad: one tap a character.
    Type(String),
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
    parts.printer.set_speed(Some(kiosk::demo::PRINT_SPEED));
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

impl Terminal {
    /// Runs the steps; returns the taps and the seconds they took.
    fn journey(&mut self, steps: &[Step], done: &str) -> (usize, f64) {
        let start = Instant::now();
        let mut taps = 0;
        for step in steps {
            match step {
                Step::Tap(label) => {
                    drive::tap(&mut self.app, label);
                    taps += 1;
                }
                Step::Type(text) => {
                    for c in text.chars() {
                        drive::tap(&mut self.app, &c.to_string());
                        taps += 1;
                    }
                }
                Step::Card(label) => {
                    self.parts.sim.place(label).unwrap();
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
            }
        }
        assert!(
            drive::shows(&self.app, done),
            "the journey ends on {done:?}, not on {}",
            serde_json::to_string(&self.app.view_model().screen).unwrap_or_default()
        );
        // Done when the paper is in the citizen's hand: the printer answers before its paper is all out.
        if let Some(out) = self.parts.printer.paper_out_at() {
            std::thread::sleep(out.saturating_duration_since(Instant::now()));
        }
        let seconds = start.elapsed().as_secs_f64();
        // Back to the attract screen for the next citizen; the card comes off the reader.
        let _ = self.app.update(Message::Bar(Bar::Finish));
        self.parts.sim.remove();
        std::thread::sleep(Duration::from_millis(700));
        while let Ok(event) = self.events.try_recv() {
            let _ = self.app.update(Message::Reader(event));
        }
        (taps, seconds)
    }
}

fn main() {
    use Step::*;
    let mut terminal = terminal();
    let case_no = {
        let client = kiosk::sync::client::HubClient::new(
            &terminal.parts.hub.url(),
            &terminal._dir.path().join("credential"),
            None,
        )
        .unwrap();
        client
            .cases_mine(&kiosk_proto::service::IdNumber::new("320502197904021530"))
            .unwrap()
            .remove(0)
            .summary
            .case_no
    };
    // A ticket by theme: the start of the rating journeys too.
    let ticket = vec![
        Tap("请轻触屏幕开始"),
        Tap("取号"),
        Tap("企业开办"),
        Tap("企业设立登记"),
    ];
    let then = |more: &[Step<'static>]| [ticket.clone(), more.to_vec()].concat();
    let journeys: Vec<(&str, Vec<Step>, &str)> = vec![
        (
            "证照打印, one document (card on the reader)",
            vec![
                Tap("请轻触屏幕开始"),
                Tap("证照打印"),
                Card("resident"),
                Tap("继续办理"),
                Tap("打印"),
            ],
            "打印完成，请取走您的材料",
        ),
        (
            "证照打印, choosing one of three documents",
            vec![
                Tap("请轻触屏幕开始"),
                Tap("证照打印"),
                Card("resident-moved"),
                Tap("继续办理"),
                Tap("营业执照信息（电子证照打印件）"),
                Tap("打印"),
            ],
            "打印完成，请取走您的材料",
        ),
        (
            "办件查询 by card, one case opened",
            vec![
                Tap("请轻触屏幕开始"),
                Tap("办件查询"),
                Tap("刷身份证查询"),
                Card("resident"),
                Tap("继续办理"),
                Tap("! 需补正材料"),
            ],
            "办理过程",
        ),
        (
            "办件查询 by card, then the progress record printed",
            vec![
                Tap("请轻触屏幕开始"),
                Tap("办件查询"),
                Tap("刷身份证查询"),
                Card("resident"),
                Tap("继续办理"),
                Tap("! 需补正材料"),
                Tap("打印进度单"),
                Tap("打印"),
            ],
            "打印完成，请取走您的材料",
        ),
        (
            "办件查询 by case number (15 characters) and the ID's last 6",
            vec![
                Tap("请轻触屏幕开始"),
                Tap("办件查询"),
                Tap("输入办件编号查询"),
                Type(case_no.clone()),
                Tap("申请人身份证号后6位"),
                Type("021530".into()),
                Tap("查询"),
            ],
            "办理过程",
        ),
        (
            "取号 by theme (no card)",
            ticket.clone(),
            "请取走排队号，留意叫号",
        ),
        (
            "取号 by search (pinyin initials qysl)",
            vec![
                Tap("请轻触屏幕开始"),
                Tap("取号"),
                Tap("搜索事项：拼音、首字母或英文"),
                Type("QYSL".into()),
                Tap("企业设立登记"),
            ],
            "请取走排队号，留意叫号",
        ),
        (
            "取号, then rated 满意 (an upper level: one tap)",
            then(&[Tap("满意")]),
            "感谢您的评价",
        ),
        (
            "取号, then rated 不满意 with a reason",
            then(&[Tap("不满意"), Tap("办理太慢"), Tap("提交评价")]),
            "感谢您的评价",
        ),
    ];
    println!("| journey | taps from the attract screen | card placed | seconds (median of 3) |");
    println!("|---|---|---|---|");
    for (name, steps, done) in &journeys {
        let mut runs = Vec::new();
        let mut taps = 0;
        for _ in 0..3 {
            let (t, seconds) = terminal.journey(steps, done);
            taps = t;
            runs.push(seconds);
        }
        runs.sort_by(f64::total_cmp);
        let card = steps.iter().any(|s| matches!(s, Card(_)));
        println!(
            "| {name} | {taps} | {} | {:.2} |",
            if card { "yes" } else { "no" },
            runs[1]
        );
    }
}
