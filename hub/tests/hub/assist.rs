//! The remote-guidance relay across hub processes: a terminal connected to one hub process and the staff
//! console to another, both on one PostgreSQL database, share the session through the database's
//! LISTEN/NOTIFY bus (what a load balancer without sticky routing needs). Both ends are played on the wire.

use crate::common;

use common::{Backend, Running};
use futures_util::{SinkExt, StreamExt};
use kiosk_proto::assist::{
    self, Ended, FromConsole, FromTerminal, HelpWanted, Item, Mirror, Phase, ToConsole, ToTerminal,
};
use kiosk_proto::Lang;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::Message;

type Socket =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

async fn open(base: &str, path: &str, header: (&'static str, &str)) -> Socket {
    let mut request = format!("{}{path}", base.replacen("http://", "ws://", 1))
        .into_client_request()
        .unwrap();
    request
        .headers_mut()
        .insert(header.0, header.1.parse().unwrap());
    tokio_tungstenite::connect_async(request).await.unwrap().0
}

async fn send<T: serde::Serialize>(socket: &mut Socket, message: &T) {
    socket
        .send(Message::text(assist::frame(message)))
        .await
        .unwrap();
}

async fn next<T: serde::de::DeserializeOwned>(
    socket: &mut Socket,
    wanted: impl Fn(&T) -> bool,
) -> T {
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        let frame = tokio::time::timeout_at(deadline, socket.next())
            .await
            .expect("the message came in time")
            .unwrap()
            .unwrap();
        if let Message::Text(text) = frame {
            let message: T = assist::parse(text.as_str()).unwrap();
            if wanted(&message) {
                return message;
            }
        }
    }
}

/// A second hub process on the same database.
async fn beside(first: &Running) -> (String, tokio::sync::oneshot::Sender<()>) {
    let url = first.store_url();
    let store = kiosk_hub::Store::open(&url).await.unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(async move {
        kiosk_hub::serve(listener, store, async {
            let _ = stopped.await;
        })
        .await
        .unwrap();
    });
    (base, stop)
}

#[tokio::test(flavor = "multi_thread")]
async fn a_terminal_on_one_hub_process_and_the_console_on_another_share_the_session() {
    let a = Running::start(Backend::Postgres).await;
    let (b, _stop_b) = beside(&a).await;
    let enrolled = a.enrolled("SZ-0001").await;
    kiosk_hub::staff::add(&a.store, "zhangli", "张丽", "0123", "correct horse")
        .await
        .unwrap();
    let login = a
        .client
        .post(format!("{b}/console/login"))
        .json(&serde_json::json!({"username": "zhangli", "password": "correct horse"}))
        .send()
        .await
        .unwrap();
    let cookie = common::session_cookie(&login);

    let bearer = format!("Bearer {}", enrolled.credential);
    let mut terminal = open(&a.base, "/v1/assist", ("authorization", &bearer)).await;
    let mut console = open(&b, "/console/ws", ("cookie", &cookie)).await;
    next::<ToConsole>(&mut console, |m| matches!(m, ToConsole::Queue { .. })).await;

    send(
        &mut terminal,
        &FromTerminal::Request(HelpWanted {
            hall: "苏州市政务服务中心".into(),
            screen: "print".into(),
            problem: Some("PaperOut".into()),
            lang: Lang::Zh,
        }),
    )
    .await;
    let ToTerminal::Queued { session } =
        next::<ToTerminal>(&mut terminal, |m| matches!(m, ToTerminal::Queued { .. })).await
    else {
        unreachable!()
    };
    next::<ToConsole>(&mut console, |m| {
        matches!(m, ToConsole::Queue { waiting } if waiting.len() == 1 && waiting[0].wanted.screen == "print")
    })
    .await;
    send(
        &mut console,
        &FromConsole::Accept {
            session: session.clone(),
        },
    )
    .await;
    let accepted =
        next::<ToTerminal>(&mut terminal, |m| matches!(m, ToTerminal::Accepted { .. })).await;
    assert!(matches!(accepted, ToTerminal::Accepted { staff } if staff.number == "0123"));

    send(&mut terminal, &FromTerminal::Consent { allowed: true }).await;
    next::<ToConsole>(&mut console, |m| {
        matches!(
            m,
            ToConsole::Phase {
                phase: Phase::Viewing,
                ..
            }
        )
    })
    .await;
    let mirror = Mirror {
        frame: 0,
        screen: "print".into(),
        lang: Lang::Zh,
        elder: false,
        width: 1080,
        height: 1920,
        items: vec![
            Item::shape(kiosk_proto::assist::Shape::Button, [0, 0, 100, 50]),
            Item::text("打印", [10, 10, 80, 30]),
        ],
        finger: None,
        control: false,
    };
    send(&mut terminal, &FromTerminal::Mirror(mirror.clone())).await;
    let seen = next::<ToConsole>(&mut console, |m| matches!(m, ToConsole::Mirror(_))).await;
    assert_eq!(seen, ToConsole::Mirror(mirror));
    send(&mut console, &FromConsole::Point { frame: 0, item: 0 }).await;
    next::<ToTerminal>(&mut terminal, |m| {
        matches!(m, ToTerminal::Point { frame: 0, item: 0 })
    })
    .await;

    // The terminal's connection drops; it comes back through the other process and resumes.
    drop(terminal);
    next::<ToConsole>(&mut console, |m| {
        matches!(
            m,
            ToConsole::Phase {
                phase: Phase::Reconnecting,
                ..
            }
        )
    })
    .await;
    let mut terminal = open(&b, "/v1/assist", ("authorization", &bearer)).await;
    send(
        &mut terminal,
        &FromTerminal::Resume {
            session: session.clone(),
        },
    )
    .await;
    let resumed =
        next::<ToTerminal>(&mut terminal, |m| matches!(m, ToTerminal::Resumed { .. })).await;
    assert!(matches!(resumed, ToTerminal::Resumed { staff: Some(_) }));
    send(&mut terminal, &FromTerminal::Consent { allowed: true }).await;
    next::<ToConsole>(&mut console, |m| {
        matches!(
            m,
            ToConsole::Phase {
                phase: Phase::Viewing,
                ..
            }
        )
    })
    .await;

    // Staff end it; the terminal hears of it on the other process.
    send(&mut console, &FromConsole::End).await;
    next::<ToTerminal>(&mut terminal, |m| {
        matches!(m, ToTerminal::Ended { by: Ended::Staff })
    })
    .await;
    next::<ToConsole>(&mut console, |m| {
        matches!(
            m,
            ToConsole::Ended {
                by: Ended::Staff,
                ..
            }
        )
    })
    .await;
    // A resume after the end is refused.
    send(&mut terminal, &FromTerminal::Resume { session }).await;
    next::<ToTerminal>(&mut terminal, |m| {
        matches!(
            m,
            ToTerminal::Ended {
                by: Ended::TerminalLeft
            }
        )
    })
    .await;
}
