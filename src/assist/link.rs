//! The terminal's one remote-guidance connection: a WebSocket to the hub's `/v1/assist` on its own thread,
//! opened when the citizen calls staff and closed when the help ends. It reconnects by itself (1 s, 2 s,
//! 4 s apart) and says so, so the session can resume; what it receives reaches the interface as
//! [`LinkEvent`]s on a channel.

use std::net::{TcpStream, ToSocketAddrs};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender, TryRecvError};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures_channel::mpsc::{UnboundedReceiver, UnboundedSender};
use kiosk_proto::assist::{self, FromTerminal, ToTerminal};
use tungstenite::client::IntoClientRequest;
use tungstenite::stream::MaybeTlsStream;
use tungstenite::{Message, WebSocket};

use crate::sync::client::{HubClient, HubSettings};

/// How long a read waits before the thread looks for something to send: the most a message waits.
const POLL: Duration = Duration::from_millis(5);
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

#[derive(Debug, Clone, PartialEq)]
pub enum LinkEvent {
    /// Connected (again): the session, if any, must be resumed.
    Up,
    Received(ToTerminal),
    /// The connection failed or dropped; the link tries again.
    Down,
}

enum Out {
    Send(String),
    /// Send these last words (connecting once more if needed), then close.
    Close(Vec<String>),
}

/// Bytes that crossed the link, each way (frames' payloads).
#[derive(Debug, Default)]
pub struct Traffic {
    pub sent: AtomicU64,
    pub received: AtomicU64,
}

pub struct Link {
    out: Sender<Out>,
    events: Arc<Mutex<Option<UnboundedReceiver<LinkEvent>>>>,
    traffic: Arc<Traffic>,
    /// Tells links apart (the interface subscribes to one link's events at a time).
    pub id: u64,
}

impl Link {
    /// Starts connecting to the hub of `settings`.
    pub fn open(settings: &HubSettings, id: u64) -> Link {
        let (out, rx) = std::sync::mpsc::channel();
        let (tx, events) = futures_channel::mpsc::unbounded();
        let traffic = Arc::new(Traffic::default());
        let (settings, counted, failed) = (settings.clone(), traffic.clone(), tx.clone());
        let spawned = std::thread::Builder::new()
            .name("assist-link".into())
            .spawn(move || run(settings, rx, tx, counted));
        if let Err(error) = spawned {
            // Said as a connection that never came up: the citizen is sent to the desk, not left calling.
            tracing::error!(%error, "cannot start the remote-guidance thread");
            let _ = failed.unbounded_send(LinkEvent::Down);
        }
        Link {
            out,
            events: Arc::new(Mutex::new(Some(events))),
            traffic,
            id,
        }
    }

    pub fn send(&self, message: &FromTerminal) {
        let _ = self.out.send(Out::Send(assist::frame(message)));
    }

    /// Sends `last` and closes; the thread ends by itself.
    pub fn close(&self, last: &[FromTerminal]) {
        let _ = self
            .out
            .send(Out::Close(last.iter().map(assist::frame).collect()));
    }

    /// The link's events, once (the interface's subscription, or a test, takes them).
    pub fn take_events(&self) -> Option<UnboundedReceiver<LinkEvent>> {
        self.events.lock().expect("link events").take()
    }

    pub fn events_handle(&self) -> Arc<Mutex<Option<UnboundedReceiver<LinkEvent>>>> {
        self.events.clone()
    }

    pub fn traffic(&self) -> &Traffic {
        &self.traffic
    }
}

impl Drop for Link {
    fn drop(&mut self) {
        let _ = self.out.send(Out::Close(Vec::new()));
    }
}

type Socket = WebSocket<MaybeTlsStream<TcpStream>>;

fn run(
    settings: HubSettings,
    rx: Receiver<Out>,
    tx: UnboundedSender<LinkEvent>,
    traffic: Arc<Traffic>,
) {
    let mut wait = Duration::from_secs(1);
    loop {
        match connect(&settings) {
            Ok(mut socket) => {
                wait = Duration::from_secs(1);
                if tx.unbounded_send(LinkEvent::Up).is_err() {
                    return;
                }
                match serve(&mut socket, &rx, &tx, &traffic) {
                    Served::Closed => return,
                    Served::Dropped => {
                        if tx.unbounded_send(LinkEvent::Down).is_err() {
                            return;
                        }
                    }
                }
            }
            Err(why) => {
                tracing::warn!(%why, "remote guidance: cannot reach the hub");
                if tx.unbounded_send(LinkEvent::Down).is_err() {
                    return;
                }
            }
        }
        // Wait before trying again; a close meanwhile still delivers its last words.
        match rx.recv_timeout(wait) {
            Ok(Out::Close(last)) => {
                if !last.is_empty() {
                    if let Ok(mut socket) = connect(&settings) {
                        farewell(&mut socket, last, &traffic);
                    }
                }
                return;
            }
            Ok(Out::Send(_)) | Err(RecvTimeoutError::Timeout) => {}
            Err(RecvTimeoutError::Disconnected) => return,
        }
        wait = (wait * 2).min(Duration::from_secs(4));
    }
}

enum Served {
    Closed,
    Dropped,
}

fn serve(
    socket: &mut Socket,
    rx: &Receiver<Out>,
    tx: &UnboundedSender<LinkEvent>,
    traffic: &Traffic,
) -> Served {
    loop {
        loop {
            match rx.try_recv() {
                Ok(Out::Send(frame)) => {
                    traffic
                        .sent
                        .fetch_add(frame.len() as u64, Ordering::Relaxed);
                    if socket.send(Message::text(frame)).is_err() {
                        return Served::Dropped;
                    }
                }
                Ok(Out::Close(last)) => {
                    farewell(socket, last, traffic);
                    return Served::Closed;
                }
                Err(TryRecvError::Empty) => break,
                Err(TryRecvError::Disconnected) => {
                    farewell(socket, Vec::new(), traffic);
                    return Served::Closed;
                }
            }
        }
        match socket.read() {
            Ok(Message::Text(text)) => {
                traffic
                    .received
                    .fetch_add(text.len() as u64, Ordering::Relaxed);
                match assist::parse::<ToTerminal>(text.as_str()) {
                    Ok(message) => {
                        if tx.unbounded_send(LinkEvent::Received(message)).is_err() {
                            return Served::Closed;
                        }
                    }
                    Err(why) => tracing::warn!(%why, "remote guidance: bad frame from the hub"),
                }
            }
            Ok(Message::Close(_)) => return Served::Dropped,
            Ok(_) => {}
            Err(tungstenite::Error::Io(error))
                if matches!(
                    error.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                ) => {}
            Err(_) => return Served::Dropped,
        }
    }
}

fn farewell(socket: &mut Socket, last: Vec<String>, traffic: &Traffic) {
    for frame in last {
        traffic
            .sent
            .fetch_add(frame.len() as u64, Ordering::Relaxed);
        let _ = socket.send(Message::text(frame));
    }
    let _ = socket.close(None);
    // Let the close handshake finish, briefly.
    for _ in 0..40 {
        match socket.read() {
            Err(tungstenite::Error::Io(e)) if e.kind() == std::io::ErrorKind::WouldBlock => {}
            Err(_) => break,
            Ok(_) => {}
        }
    }
}

fn connect(settings: &HubSettings) -> Result<Socket, String> {
    let client = HubClient::new(&settings.url, &settings.credential, settings.ca.as_deref())
        .map_err(|e| e.to_string())?;
    let url = match client.base().split_once("://") {
        Some(("https", rest)) => format!("wss://{rest}/v1/assist"),
        Some((_, rest)) => format!("ws://{rest}/v1/assist"),
        None => return Err(format!("hub URL {:?} has no scheme", client.base())),
    };
    let mut request = url
        .as_str()
        .into_client_request()
        .map_err(|e| e.to_string())?;
    request.headers_mut().insert(
        "authorization",
        client
            .bearer()
            .parse()
            .map_err(|_| "the credential is not a header value".to_string())?,
    );
    let host = request.uri().host().unwrap_or_default().to_string();
    let port = request
        .uri()
        .port_u16()
        .unwrap_or(if url.starts_with("wss") { 443 } else { 80 });
    let address = (host.as_str(), port)
        .to_socket_addrs()
        .map_err(|e| format!("{host}: {e}"))?
        .next()
        .ok_or_else(|| format!("{host}: no address"))?;
    let stream =
        TcpStream::connect_timeout(&address, CONNECT_TIMEOUT).map_err(|e| e.to_string())?;
    stream
        .set_read_timeout(Some(CONNECT_TIMEOUT))
        .map_err(|e| e.to_string())?;
    let _ = stream.set_nodelay(true);
    // Over TLS, the same trust as the terminal's other calls: `[hub] ca` alone when it is set.
    let connector = match &settings.ca {
        Some(ca) => {
            let mut roots = rustls::RootCertStore::empty();
            for root in crate::sync::client::trusted_roots(ca).map_err(|e| e.to_string())? {
                roots
                    .add(root)
                    .map_err(|e| format!("[hub] ca {}: {e}", ca.display()))?;
            }
            let config = rustls::ClientConfig::builder_with_provider(std::sync::Arc::new(
                rustls::crypto::ring::default_provider(),
            ))
            .with_safe_default_protocol_versions()
            .map_err(|e| e.to_string())?
            .with_root_certificates(roots)
            .with_no_client_auth();
            Some(tungstenite::Connector::Rustls(std::sync::Arc::new(config)))
        }
        None => None,
    };
    let (socket, _) = tungstenite::client_tls_with_config(request, stream, None, connector)
        .map_err(|e| e.to_string())?;
    let tcp = match socket.get_ref() {
        MaybeTlsStream::Plain(tcp) => tcp,
        MaybeTlsStream::Rustls(tls) => tls.get_ref(),
        _ => return Err("unexpected stream kind".into()),
    };
    tcp.set_read_timeout(Some(POLL))
        .map_err(|e| e.to_string())?;
    Ok(socket)
}
