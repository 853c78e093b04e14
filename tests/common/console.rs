//! A staff console on the wire: logs in over HTTP and speaks the console's WebSocket protocol, keeping
//! every frame it receives so a test can inspect exactly what left the terminal.

use std::net::TcpStream;
use std::time::{Duration, Instant};

use kiosk_proto::assist::{self, FromConsole, ToConsole};
use tungstenite::client::IntoClientRequest;
use tungstenite::stream::MaybeTlsStream;
use tungstenite::{Message, WebSocket};

/// Logs `user` in: the cookie, or the HTTP status of the refusal.
pub fn login(hub: &str, user: &str, password: &str) -> Result<String, u16> {
    let reply = reqwest::blocking::Client::new()
        .post(format!("{hub}/console/login"))
        .json(&serde_json::json!({"username": user, "password": password}))
        .send()
        .map_err(|_| 0u16)?;
    if !reply.status().is_success() {
        return Err(reply.status().as_u16());
    }
    let cookie = reply
        .headers()
        .get("set-cookie")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .ok_or(0u16)?;
    Ok(cookie.to_string())
}

pub struct Console {
    ws: WebSocket<MaybeTlsStream<TcpStream>>,
    /// Every text frame received, as it came.
    pub seen: Vec<String>,
}

impl Console {
    /// Opens the console's connection (`cookie` as [`login`] gave it); the HTTP status when refused.
    pub fn connect(hub: &str, cookie: Option<&str>) -> Result<Console, u16> {
        Console::open(hub, cookie, None)
    }

    /// As a page of `origin` would.
    pub fn connect_from(hub: &str, cookie: &str, origin: &str) -> Result<Console, u16> {
        Console::open(hub, Some(cookie), Some(origin))
    }

    fn open(hub: &str, cookie: Option<&str>, origin: Option<&str>) -> Result<Console, u16> {
        let url = format!("{}/console/ws", hub.replacen("http://", "ws://", 1));
        let mut request = url.into_client_request().unwrap();
        if let Some(cookie) = cookie {
            request
                .headers_mut()
                .insert("cookie", cookie.parse().unwrap());
        }
        if let Some(origin) = origin {
            request
                .headers_mut()
                .insert("origin", origin.parse().unwrap());
        }
        match tungstenite::connect(request) {
            Ok((ws, _)) => {
                if let MaybeTlsStream::Plain(tcp) = ws.get_ref() {
                    tcp.set_read_timeout(Some(Duration::from_millis(20)))
                        .unwrap();
                }
                Ok(Console {
                    ws,
                    seen: Vec::new(),
                })
            }
            Err(tungstenite::Error::Http(response)) => Err(response.status().as_u16()),
            Err(error) => panic!("console connection: {error}"),
        }
    }

    pub fn send(&mut self, message: &FromConsole) {
        self.ws.send(Message::text(assist::frame(message))).unwrap();
    }

    /// The next message, if one comes within `within`.
    pub fn next(&mut self, within: Duration) -> Option<ToConsole> {
        let deadline = Instant::now() + within;
        loop {
            match self.ws.read() {
                Ok(Message::Text(text)) => {
                    self.seen.push(text.to_string());
                    return Some(assist::parse(text.as_str()).expect("the hub's frame parses"));
                }
                Ok(_) => {}
                Err(tungstenite::Error::Io(e))
                    if matches!(
                        e.kind(),
                        std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                    ) =>
                {
                    if Instant::now() >= deadline {
                        return None;
                    }
                }
                Err(error) => panic!("console connection: {error}"),
            }
        }
    }

    /// Reads until a message `wanted` accepts (at most 10 s).
    pub fn wait(&mut self, what: &str, wanted: impl Fn(&ToConsole) -> bool) -> ToConsole {
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if let Some(message) = self.next(Duration::from_millis(50)) {
                if wanted(&message) {
                    return message;
                }
            }
        }
        panic!("the console never got {what}; it saw {:#?}", self.seen);
    }

    /// The last mirror received.
    pub fn mirror(&self) -> Option<assist::Mirror> {
        self.seen
            .iter()
            .rev()
            .find_map(|frame| match assist::parse(frame) {
                Ok(ToConsole::Mirror(mirror)) => Some(mirror),
                _ => None,
            })
    }
}

/// The index of the item showing exactly `text` in `mirror`.
pub fn item(mirror: &assist::Mirror, text: &str) -> u32 {
    mirror
        .items
        .iter()
        .position(|item| item.text == text)
        .unwrap_or_else(|| panic!("no {text:?} in the mirror of {}", mirror.screen)) as u32
}
