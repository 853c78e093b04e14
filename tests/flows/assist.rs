//! Remote guidance (远程导办) end to end on the wire: the terminal (real widgets, real link thread) and a
//! staff console speaking the console's WebSocket protocol, through a real hub on loopback. What the
//! console receives is exactly what left the terminal, so the privacy checks read those frames.

use crate::common;

use std::io::{Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::console::{item, login, Console};
use common::rig::{rig, rig_with, Rig, RESIDENT};
use common::{pump_link, screen};
use kiosk::assist::Phase;
use kiosk::ui::Message;
use kiosk_proto::assist::{Ended, FromConsole, Phase as StaffPhase, Refusal, Shape, ToConsole};

const WAIT: Duration = Duration::from_secs(10);

fn console(rig: &Rig, hub: &str) -> Console {
    rig.add_staff();
    let cookie = login(hub, "zhangli", "correct horse").unwrap();
    let mut console = Console::connect(hub, Some(&cookie)).unwrap();
    console.wait("hello", |m| matches!(m, ToConsole::Hello { .. }));
    console
}

/// Lets the terminal handle what reaches it while the console waits for what it wants.
fn wait(
    rig: &mut Rig,
    console: &mut Console,
    what: &str,
    wanted: impl Fn(&ToConsole) -> bool,
) -> ToConsole {
    let deadline = std::time::Instant::now() + WAIT;
    while std::time::Instant::now() < deadline {
        pump_link(&mut rig.app, |_| false, Duration::from_millis(10));
        if let Some(message) = console.next(Duration::from_millis(10)) {
            if wanted(&message) {
                return message;
            }
        }
    }
    panic!("the console never got {what}; it saw {:#?}", console.seen);
}

fn phase(rig: &Rig) -> Phase {
    rig.app.view_model().assist.phase
}

fn pump(rig: &mut Rig, what: &str, until: impl Fn(&kiosk::ui::App) -> bool) {
    assert!(
        pump_link(&mut rig.app, until, WAIT),
        "the terminal never got to: {what}"
    );
}

/// The citizen calls from the home screen; staff accept; the terminal asks the citizen.
fn called_and_accepted(rig: &mut Rig, console: &mut Console) -> String {
    rig.tap("请轻触屏幕开始");
    rig.tap("呼叫工作人员");
    assert_eq!(phase(rig), Phase::Calling);
    assert!(rig.shows("正在呼叫远程工作人员，请稍候…"));
    pump(rig, "queued", |app| app.assist_session().is_some());
    let queue = wait(
        rig,
        console,
        "the request in the queue",
        |m| matches!(m, ToConsole::Queue { waiting } if !waiting.is_empty()),
    );
    let ToConsole::Queue { waiting } = queue else {
        unreachable!()
    };
    assert_eq!(waiting[0].wanted.screen, "home");
    assert_eq!(
        waiting[0].wanted.hall,
        "苏州市政务服务中心 24 小时自助服务区"
    );
    let session = waiting[0].session.clone();
    console.send(&FromConsole::Accept {
        session: session.clone(),
    });
    wait(rig, console, "awaiting consent", |m| {
        matches!(
            m,
            ToConsole::Phase {
                phase: StaffPhase::AwaitingConsent,
                ..
            }
        )
    });
    pump(rig, "asked to allow viewing", |app| {
        app.view_model().assist.phase == Phase::AskView
    });
    session
}

fn allow_viewing(rig: &mut Rig, console: &mut Console) {
    rig.tap("允许查看");
    assert_eq!(phase(rig), Phase::Viewing);
    wait(rig, console, "viewing", |m| {
        matches!(
            m,
            ToConsole::Phase {
                phase: StaffPhase::Viewing,
                ..
            }
        )
    });
    wait(rig, console, "a mirror", |m| {
        matches!(m, ToConsole::Mirror(_))
    });
}

fn grant_control(rig: &mut Rig, console: &mut Console) {
    console.send(&FromConsole::AskControl);
    pump(rig, "asked to allow control", |app| {
        app.view_model().assist.phase == Phase::AskControl
    });
    assert!(rig.shows("张丽（工号 0123） 想替您操作屏幕"));
    rig.tap("允许操作");
    wait(rig, console, "control", |m| {
        matches!(
            m,
            ToConsole::Phase {
                phase: StaffPhase::Control,
                ..
            }
        )
    });
    wait(
        rig,
        console,
        "the mirror under control",
        |m| matches!(m, ToConsole::Mirror(mirror) if mirror.control),
    );
}

#[test]
fn staff_help_from_request_to_the_citizen_ending_it() {
    let mut rig = rig();
    let hub = rig.config.hub.url.clone();
    let mut console = console(&rig, &hub);
    called_and_accepted(&mut rig, &mut console);
    assert!(rig.shows("工作人员 张丽（工号 0123） 想查看您的屏幕，帮您办理"));
    allow_viewing(&mut rig, &mut console);
    assert!(rig.shows("张丽（工号 0123） 正在查看您的屏幕（个人信息已遮盖）"));
    let mirror = console.mirror().unwrap();
    assert_eq!(mirror.screen, "home");
    assert_eq!((mirror.width, mirror.height), (1080, 1920));

    // Point: a ring around 证照打印 on the terminal.
    let print = item(&mirror, "证照打印");
    console.send(&FromConsole::Point {
        frame: mirror.frame,
        item: print,
    });
    pump(&mut rig, "the ring", |app| {
        app.view_model().assist.pointed.is_some()
    });
    assert_eq!(
        rig.app.view_model().assist.pointed,
        Some(mirror.items[print as usize].bounds)
    );

    // A message, shown (and spoken when the voice is on).
    console.send(&FromConsole::Say {
        text: "请点“办件查询”".into(),
    });
    pump(&mut rig, "the message", |app| {
        app.view_model().assist.message.is_some()
    });
    assert!(rig.shows("请点“办件查询”"));
    assert!(rig.shows("工作人员说："));

    // Taps before control is allowed are refused.
    console.send(&FromConsole::Tap {
        frame: mirror.frame,
        item: item(&mirror, "办件查询"),
    });
    wait(&mut rig, &mut console, "refused: no control", |m| {
        matches!(
            m,
            ToConsole::Refused {
                why: Refusal::NoControl
            }
        )
    });
    assert_eq!(screen(&rig.app), "home");

    // Control, then remote navigation through the real widgets.
    grant_control(&mut rig, &mut console);
    assert!(rig.shows("张丽（工号 0123） 正在替您操作"));
    let mirror = console.mirror().unwrap();
    console.send(&FromConsole::Tap {
        frame: mirror.frame,
        item: item(&mirror, "办件查询"),
    });
    pump(&mut rig, "the progress screen", |app| {
        app.view_model().screen.name() == "progress"
    });
    let moved = wait(
        &mut rig,
        &mut console,
        "the progress screen's mirror",
        |m| matches!(m, ToConsole::Mirror(mirror) if mirror.screen == "progress"),
    );
    let ToConsole::Mirror(moved) = moved else {
        unreachable!()
    };
    assert!(moved.control);
    // A tap on the old picture never lands on the new screen.
    console.send(&FromConsole::Tap {
        frame: mirror.frame,
        item: 0,
    });
    wait(&mut rig, &mut console, "refused: the screen changed", |m| {
        matches!(
            m,
            ToConsole::Refused {
                why: Refusal::ScreenChanged
            }
        )
    });

    // The citizen takes control back, then ends the help.
    rig.tap("收回操作");
    wait(&mut rig, &mut console, "viewing again", |m| {
        matches!(
            m,
            ToConsole::Phase {
                phase: StaffPhase::Viewing,
                ..
            }
        )
    });
    rig.tap("结束协助");
    assert_eq!(phase(&rig), Phase::Idle);
    wait(&mut rig, &mut console, "the end", |m| {
        matches!(
            m,
            ToConsole::Ended {
                by: Ended::Citizen,
                ..
            }
        )
    });

    // The audit trail reached the hub through the ingest: who helped (staff), what, how it ended.
    for step in [
        "requested",
        "accepted",
        "consented",
        "pointed",
        "said",
        "control_asked",
        "control_granted",
        "tapped",
        "control_taken_back",
        "ended",
    ] {
        assert!(
            rig.hub_gets("assist", &format!("\"step\":\"{step}\"")),
            "audit of {step}"
        );
    }
    assert!(rig.hub_gets("assist", "\"number\":\"0123\""));
    assert!(rig.hub_gets("assist", "请点“办件查询”"));
}

#[test]
fn nothing_is_shared_before_consent_and_a_refusal_ends_it() {
    let mut rig = rig();
    let hub = rig.config.hub.url.clone();
    let mut console = console(&rig, &hub);
    called_and_accepted(&mut rig, &mut console);
    // The citizen has not answered: however long staff wait, no picture of the screen comes.
    assert!(console
        .next(Duration::from_millis(600))
        .is_none_or(|m| !matches!(m, ToConsole::Mirror(_))));
    assert!(!console.seen.iter().any(|f| f.contains("\"mirror\"")));
    // Staff's actions before consent do nothing.
    console.send(&FromConsole::Say {
        text: "hello".into(),
    });
    console.send(&FromConsole::Point { frame: 0, item: 0 });
    wait(&mut rig, &mut console, "refused: no consent", |m| {
        matches!(
            m,
            ToConsole::Refused {
                why: Refusal::NoConsent
            }
        )
    });
    assert_eq!(rig.app.view_model().assist.message, None);
    rig.tap("不允许");
    assert_eq!(phase(&rig), Phase::Idle);
    wait(&mut rig, &mut console, "declined", |m| {
        matches!(
            m,
            ToConsole::Ended {
                by: Ended::Declined,
                ..
            }
        )
    });
    assert!(!console.seen.iter().any(|f| f.contains("\"mirror\"")));
}

#[test]
fn personal_fields_never_leave_the_terminal_unmasked_and_are_never_filled_remotely() {
    let mut rig = rig();
    let hub = rig.config.hub.url.clone();
    let mut console = console(&rig, &hub);
    called_and_accepted(&mut rig, &mut console);
    allow_viewing(&mut rig, &mut console);
    rig.tap("办件查询");
    rig.tap("输入办件编号查询");
    rig.tap("申请人身份证号后6位");
    for c in RESIDENT[12..].chars() {
        rig.tap(&c.to_string());
    }
    grant_control(&mut rig, &mut console);
    // Staff cannot type or tap into the ID field.
    rig.tap("申请人身份证号后6位");
    console.send(&FromConsole::Type {
        text: "150020".into(),
    });
    wait(&mut rig, &mut console, "refused: personal", |m| {
        matches!(
            m,
            ToConsole::Refused {
                why: Refusal::PersonalField
            }
        )
    });
    // The keypad is masked while the ID's characters are typed (the key under the finger would say
    // them); tapping the masked box is refused.
    let mirror = console.mirror().unwrap();
    assert!(
        !mirror.items.iter().any(|i| i.text == "7"),
        "no key to read the digits from"
    );
    let keypad = mirror
        .items
        .iter()
        .rposition(|i| i.shape == Some(Shape::Masked))
        .expect("the keypad's box") as u32;
    console.send(&FromConsole::Tap {
        frame: mirror.frame,
        item: keypad,
    });
    wait(&mut rig, &mut console, "refused: personal", |m| {
        matches!(
            m,
            ToConsole::Refused {
                why: Refusal::PersonalField
            }
        )
    });
    // The case number is not personal: staff may type it.
    rig.tap("办件编号");
    console.send(&FromConsole::Type {
        text: "SZ2026".into(),
    });
    pump(
        &mut rig,
        "the case number typed",
        |app| matches!(&app.view_model().screen, kiosk::ui::app::Screen::Progress(s) if s.case_no == "SZ2026"),
    );
    wait(
        &mut rig,
        &mut console,
        "the typed number in the mirror",
        |m| matches!(m, ToConsole::Mirror(mirror) if mirror.items.iter().any(|i| i.text.starts_with("SZ2026"))),
    );
    let mirror = console.mirror().unwrap();
    // The ID field: its outline, and a grey box that says nothing of what it hides, not even its length.
    assert!(
        mirror.items.iter().any(|i| i.shape == Some(Shape::Masked)
            && i.field
            && i.text == kiosk_proto::assist::MASKED),
        "the ID field, masked: {:?}",
        mirror.items
    );
    assert!(mirror.items.iter().any(|i| i.shape == Some(Shape::Field)));
    assert!(
        !mirror
            .items
            .iter()
            .any(|i| i.text.contains('*') && i.text.len() == 7),
        "no length leaks"
    );

    // The card holder signs in while staff watch: the welcome names them, masked.
    rig.parts.sim.place("resident").unwrap();
    rig.pump(|app| app.session().identity().is_some());
    wait(
        &mut rig,
        &mut console,
        "the welcome's mirror",
        |m| matches!(m, ToConsole::Mirror(mirror) if mirror.items.iter().any(|i| i.text.contains("欢迎"))),
    );

    // On the wire: never the name, the ID number, the typed characters or the address.
    let wire = console.seen.join("\n");
    for secret in [RESIDENT, "150020", "张秀英", "十全街", "秀英"] {
        assert!(!wire.contains(secret), "{secret} left the terminal");
    }
    assert!(
        wire.contains("张*"),
        "the masked name is what staff see: {}",
        console.seen.last().unwrap()
    );
    // Nor in the audit trail.
    rig.drain();
    assert!(!rig
        .hub_events()
        .iter()
        .any(|(_, body)| body.contains(RESIDENT) || body.contains("张秀英")));
}

/// A TCP relay between the terminal and the hub that a test can cut, as a village link drops.
struct Cable {
    address: String,
    open: Arc<Mutex<Vec<TcpStream>>>,
}

impl Cable {
    fn new(hub: &str) -> Cable {
        let target = hub.trim_start_matches("http://").to_string();
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let address = format!("http://{}", listener.local_addr().unwrap());
        let open: Arc<Mutex<Vec<TcpStream>>> = Default::default();
        let streams = open.clone();
        std::thread::spawn(move || {
            for client in listener.incoming().flatten() {
                let Ok(server) = TcpStream::connect(&target) else {
                    continue;
                };
                streams.lock().unwrap().push(client.try_clone().unwrap());
                streams.lock().unwrap().push(server.try_clone().unwrap());
                for (mut from, mut to) in [
                    (client.try_clone().unwrap(), server.try_clone().unwrap()),
                    (server, client),
                ] {
                    std::thread::spawn(move || {
                        let mut buf = [0u8; 8192];
                        while let Ok(n @ 1..) = from.read(&mut buf) {
                            if to.write_all(&buf[..n]).is_err() {
                                break;
                            }
                        }
                        let _ = to.shutdown(Shutdown::Both);
                    });
                }
            }
        });
        Cable { address, open }
    }

    fn cut(&self) {
        for stream in self.open.lock().unwrap().drain(..) {
            let _ = stream.shutdown(Shutdown::Both);
        }
    }
}

#[test]
fn a_dropped_connection_ends_control_and_the_session_resumes_without_it() {
    let dir_hub = std::sync::OnceLock::new();
    let mut rig = rig_with(|config| {
        let cable = Cable::new(&config.hub.url);
        config.hub.url = cable.address.clone();
        let _ = dir_hub.set(cable);
    });
    let cable = dir_hub.get().unwrap();
    let hub = rig.parts.hub.url();
    let mut console = console(&rig, &hub);
    called_and_accepted(&mut rig, &mut console);
    allow_viewing(&mut rig, &mut console);
    grant_control(&mut rig, &mut console);

    cable.cut();
    pump(&mut rig, "the drop noticed", |app| {
        app.view_model().assist.reconnecting
    });
    assert_eq!(
        phase(&rig),
        Phase::Viewing,
        "control ended with the connection"
    );
    assert!(rig.shows("与工作人员的连接中断，正在重新连接…"));
    wait(&mut rig, &mut console, "reconnecting", |m| {
        matches!(
            m,
            ToConsole::Phase {
                phase: StaffPhase::Reconnecting,
                ..
            }
        )
    });

    // The link comes back by itself; the citizen is still there, so the session resumes, viewing only.
    pump(&mut rig, "reconnected", |app| {
        !app.view_model().assist.reconnecting
    });
    wait(&mut rig, &mut console, "viewing again", |m| {
        matches!(
            m,
            ToConsole::Phase {
                phase: StaffPhase::Viewing,
                ..
            }
        )
    });
    let mirror = wait(&mut rig, &mut console, "a fresh mirror", |m| {
        matches!(m, ToConsole::Mirror(_))
    });
    let ToConsole::Mirror(mirror) = mirror else {
        unreachable!()
    };
    assert!(!mirror.control);
    console.send(&FromConsole::Tap {
        frame: mirror.frame,
        item: item(&mirror, "办件查询"),
    });
    wait(&mut rig, &mut console, "refused: no control", |m| {
        matches!(
            m,
            ToConsole::Refused {
                why: Refusal::NoControl
            }
        )
    });
    pump_link(&mut rig.app, |_| false, Duration::from_millis(200));
    assert_eq!(screen(&rig.app), "home");
    assert!(rig.hub_gets("assist", "control_ended"));
}

#[test]
fn a_console_without_login_gets_nothing() {
    let rig = rig();
    let hub = rig.config.hub.url.clone();
    rig.add_staff();
    assert_eq!(Console::connect(&hub, None).err(), Some(401));
    assert_eq!(
        Console::connect(&hub, Some("kiosk_staff=0123456789abcdef")).err(),
        Some(401)
    );
    assert_eq!(login(&hub, "zhangli", "wrong password").err(), Some(401));
    assert_eq!(login(&hub, "nobody", "correct horse").err(), Some(401));
    let me = reqwest::blocking::get(format!("{hub}/console/me")).unwrap();
    assert_eq!(me.status().as_u16(), 401);
    // A terminal's credential is not a staff login either.
    let credential = std::fs::read_to_string(&rig.config.hub.credential).unwrap();
    let me = reqwest::blocking::Client::new()
        .get(format!("{hub}/console/me"))
        .bearer_auth(credential.trim())
        .send()
        .unwrap();
    assert_eq!(me.status().as_u16(), 401);
    // Another site's page cannot open the console's connection, even with the cookie.
    let cookie = login(&hub, "zhangli", "correct horse").unwrap();
    assert_eq!(
        Console::connect_from(&hub, &cookie, "http://evil.example").err(),
        Some(403)
    );
    // The page itself is only the login form.
    let page = reqwest::blocking::get(format!("{hub}/console"))
        .unwrap()
        .text()
        .unwrap();
    assert!(page.contains("工作人员登录"));
    // Logged out, the cookie is worth nothing.
    let cookie = login(&hub, "zhangli", "correct horse").unwrap();
    let client = reqwest::blocking::Client::new();
    let me: serde_json::Value = client
        .get(format!("{hub}/console/me"))
        .header("cookie", &cookie)
        .send()
        .unwrap()
        .json()
        .unwrap();
    client
        .post(format!("{hub}/console/logout"))
        .header("cookie", &cookie)
        .header("x-csrf-token", me["csrf"].as_str().unwrap())
        .send()
        .unwrap();
    assert_eq!(Console::connect(&hub, Some(&cookie)).err(), Some(401));
}

#[test]
fn the_citizens_session_ending_ends_the_help() {
    let mut rig = rig();
    let hub = rig.config.hub.url.clone();
    let mut console = console(&rig, &hub);
    called_and_accepted(&mut rig, &mut console);
    allow_viewing(&mut rig, &mut console);
    rig.tap("结束办理");
    assert_eq!(screen(&rig.app), "attract");
    assert_eq!(phase(&rig), Phase::Idle);
    wait(&mut rig, &mut console, "the end", |m| {
        matches!(
            m,
            ToConsole::Ended {
                by: Ended::SessionEnd,
                ..
            }
        )
    });
}

#[test]
fn staff_out_of_reach_send_the_citizen_to_the_desk() {
    let mut rig = rig();
    rig.parts.hub.pause();
    rig.tap("请轻触屏幕开始");
    rig.tap("呼叫工作人员");
    pump(&mut rig, "unreachable", |app| {
        app.view_model().assist.phase == Phase::Unreachable
    });
    assert!(rig.shows("远程工作人员暂时接不通。请到大厅服务台找工作人员，或举手示意。"));
    rig.tap("知道了");
    assert_eq!(phase(&rig), Phase::Idle);
    // The request waits in the outbox for the hub.
    rig.parts.hub.resume().unwrap();
    assert!(rig.hub_gets("help_request", "home"));
}

#[test]
fn without_a_hub_call_staff_says_where_staff_are() {
    let mut app = common::terminal();
    common::tap(&mut app, "请轻触屏幕开始");
    common::tap(&mut app, "呼叫工作人员");
    assert_eq!(screen(&app), "help");
    assert_eq!(app.view_model().assist.phase, Phase::Idle);
}

#[test]
fn a_call_no_one_takes_points_to_the_desk_after_a_while_and_keeps_calling() {
    let mut rig = rig();
    rig.tap("请轻触屏幕开始");
    rig.tap("呼叫工作人员");
    assert_eq!(phase(&rig), Phase::Calling);
    let nudge = "工作人员暂时都在忙。您可以继续等待，也可以到大厅服务台找工作人员。";
    assert!(!rig.shows(nudge));
    let called = Instant::now();
    let _ = rig
        .app
        .update(Message::Tick(called + Duration::from_secs(95)));
    // Waiting for staff is not idling: no countdown, the session and the call go on.
    assert!(rig.shows(nudge));
    assert_eq!(phase(&rig), Phase::Calling);
    assert!(rig.app.view_model().countdown.is_none());
    assert!(rig.shows("取消呼叫"));
    // Someone who left is still wiped, a while later.
    let _ = rig
        .app
        .update(Message::Tick(called + Duration::from_secs(400)));
    let _ = rig
        .app
        .update(Message::Tick(called + Duration::from_secs(480)));
    assert_eq!(screen(&rig.app), "attract");
}

/// The shapes of `items` of `shape` with the texts drawn inside each.
fn shapes_of(items: &[kiosk_proto::assist::Item], shape: Shape) -> Vec<String> {
    items
        .iter()
        .filter(|i| i.shape == Some(shape))
        .map(|s| kiosk_proto::assist::words_inside(items, s.bounds))
        .collect()
}

#[test]
fn the_mirror_draws_buttons_tiles_fields_keys_and_the_print_preview_as_outlines_with_their_labels()
{
    let mut rig = rig();
    rig.tap("请轻触屏幕开始");
    // Home: a tile a service, each with its label inside its outline.
    let items = rig.app.masked_items();
    let tiles = shapes_of(&items, Shape::Tile);
    for label in ["证照打印", "办件查询", "自助申报"] {
        assert!(
            tiles.iter().any(|t| t.contains(label)),
            "{label} in a tile: {tiles:?}"
        );
    }

    // Progress by number: the two fields, the keypad's keys with their labels, the search button; the
    // ID's digits typed are a grey box.
    rig.tap("办件查询");
    rig.tap("输入办件编号查询");
    rig.tap("申请人身份证号后6位");
    for c in "150020".chars() {
        rig.tap(&c.to_string());
    }
    let items = rig.app.masked_items();
    let keys = shapes_of(&items, Shape::Key);
    for digit in ["1", "5", "0", "9"] {
        assert!(keys.iter().any(|k| k == digit), "key {digit}: {keys:?}");
    }
    assert_eq!(shapes_of(&items, Shape::Field).len(), 2, "two fields");
    assert!(shapes_of(&items, Shape::Button)
        .iter()
        .any(|b| b.contains("查询")));
    assert!(items
        .iter()
        .any(|i| i.shape == Some(Shape::Masked) && i.text == kiosk_proto::assist::MASKED));
    assert!(!items.iter().any(|i| i.text.contains("150020")));

    // A document's print preview: a grey box; nothing of the document leaves the terminal.
    rig.tap("首页");
    rig.tap("证照打印");
    rig.place("resident");
    rig.tap("继续办理");
    assert!(rig.shows("打印预览"));
    let items = rig.app.masked_items();
    let preview = items
        .iter()
        .find(|i| i.shape == Some(Shape::Preview))
        .expect("the preview's box");
    assert!(
        !items.iter().any(|t| {
            let [x, y, w, h] = preview.bounds;
            let [a, b, _, _] = t.bounds;
            t.shape.is_none() && a > x && b > y && a < x + w && b < y + h
        }),
        "no text drawn over the page"
    );
    assert!(shapes_of(&items, Shape::Button)
        .iter()
        .any(|b| b.contains("打印")));
    // A whole mirror of a busy screen stays well within one frame.
    let frame = kiosk_proto::assist::frame(&items);
    assert!(
        frame.len() < kiosk_proto::assist::MAX_FRAME,
        "{}",
        frame.len()
    );
}

/// Waits for a mirror that shows `text`, and returns it.
fn mirror_with(rig: &mut Rig, console: &mut Console, text: &str) -> kiosk_proto::assist::Mirror {
    let ToConsole::Mirror(mirror) = wait(
        rig,
        console,
        text,
        |m| matches!(m, ToConsole::Mirror(mirror) if mirror.items.iter().any(|i| i.text == text)),
    ) else {
        unreachable!()
    };
    mirror
}

fn refused_personal(rig: &mut Rig, console: &mut Console, what: &str) {
    wait(rig, console, what, |m| {
        matches!(
            m,
            ToConsole::Refused {
                why: Refusal::PersonalField
            }
        )
    });
}

#[test]
fn a_guide_fills_a_field_that_is_not_personal_with_consent_and_never_sees_or_fills_a_personal_one()
{
    use super::applications::{detail_for_admin, state, to_review};
    let mut rig = rig();
    let hub = rig.config.hub.url.clone();
    let mut console = console(&rig, &hub);
    called_and_accepted(&mut rig, &mut console);
    allow_viewing(&mut rig, &mut console);
    // The citizen opens 居住证申领 and agrees to its notice (theirs alone to agree to).
    rig.tap("自助申报");
    rig.place("resident-moved");
    rig.tap("继续办理");
    rig.tap("居住证申领");
    rig.tap("我已阅读，同意并开始");

    // Without control, staff can only point.
    let mirror = mirror_with(&mut rig, &mut console, "居住类型 · 必填");
    console.send(&FromConsole::Tap {
        frame: mirror.frame,
        item: item(&mirror, "居住类型 · 必填"),
    });
    wait(&mut rig, &mut console, "refused: no control", |m| {
        matches!(
            m,
            ToConsole::Refused {
                why: Refusal::NoControl
            }
        )
    });

    // With the citizen's consent, the guide opens 居住类型 and picks 稳定就业: not personal.
    grant_control(&mut rig, &mut console);
    let mirror = console.mirror().unwrap();
    console.send(&FromConsole::Tap {
        frame: mirror.frame,
        item: item(&mirror, "居住类型 · 必填"),
    });
    let mirror = mirror_with(&mut rig, &mut console, "稳定就业");
    console.send(&FromConsole::Tap {
        frame: mirror.frame,
        item: item(&mirror, "稳定就业"),
    });
    let mirror = mirror_with(&mut rig, &mut console, "居住类型 · 工作人员代填，请核对");
    let draft = state(&rig.app).draft().expect("the draft");
    assert_eq!(draft.value("basis"), "work");
    assert_eq!(draft.filled_by("basis"), Some("张丽 0123"));
    // The guide sees the value filled, never the personal ones: the name, the ID, the mobile are boxes.
    assert!(mirror.items.iter().any(|i| i.text == "稳定就业"));
    let all: Vec<&str> = mirror.items.iter().map(|i| i.text.as_str()).collect();
    for secret in ["王建国", "1530", "13913572461"] {
        assert!(
            !all.iter().any(|t| t.contains(secret)),
            "{secret} in {all:?}"
        );
    }

    // The address is personal: the guide can neither type into it nor pick for it.
    rig.tap("现居住地址 · 必填");
    console.send(&FromConsole::Type {
        text: "苏州工业园区".into(),
    });
    refused_personal(&mut rig, &mut console, "refused: the address");
    assert_eq!(state(&rig.app).draft().unwrap().value("address"), "");
    let typed = "苏州工业园区星湖街328号5幢1202室";
    let task = rig
        .app
        .update(Message::Apply(kiosk::ui::screen::apply::Message::Key(
            kiosk::input::Key::Typed(typed.into()),
        )));
    common::run(&mut rig.app, task);
    rig.tap("下一步");

    // The citizen photographs, signs and chooses; the guide cannot submit for them.
    to_review(&mut rig);
    let mirror = mirror_with(&mut rig, &mut console, "确认提交");
    console.send(&FromConsole::Tap {
        frame: mirror.frame,
        item: item(&mirror, "确认提交"),
    });
    refused_personal(&mut rig, &mut console, "refused: submit");
    assert_eq!(screen(&rig.app), "apply");
    rig.tap("确认提交");
    let number = state(&rig.app).done.clone().expect("taken").number;

    // The application says who filled what; the applicant's signature covers it.
    let detail = detail_for_admin(&rig, &number);
    let filled: Vec<(&str, Option<&str>)> = detail
        .fields
        .iter()
        .map(|f| (f.id.as_str(), f.filled_by.as_deref()))
        .collect();
    assert!(filled.contains(&("basis", Some("张丽 0123"))), "{filled:?}");
    assert!(filled.contains(&("address", None)), "{filled:?}");
    assert!(detail.signed);
    // The terminal's audit of the session names each step the guide took.
    rig.drain();
    assert!(rig.hub_has("assist", "\"step\":\"tapped\""));
    assert!(rig.hub_has("assist", "稳定就业"));
}
