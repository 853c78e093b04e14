//! The remote-guidance relay (远程导办): terminals connect to `/v1/assist` with their credential, staff
//! consoles to `/console/ws` with their login; the hub passes messages between the two ends of a session
//! over the [`Bus`](crate::bus::Bus), and keeps only per-connection state in memory. What processes must
//! agree on (the queue, who took which request, whether a terminal is connected) is in `assist_sessions`.
//!
//! The relay never shows staff anything the terminal did not send, and the terminal sends nothing of the
//! screen before the citizen allows it; the relay only routes, checks sizes and records the queue.

use axum::extract::ws::{Message as WsMessage, WebSocket, WebSocketUpgrade};
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use kiosk_proto::assist::{
    self, Ended, FromConsole, FromTerminal, Phase, ToConsole, ToTerminal, Waiting,
};
use kiosk_proto::Lang;
use sqlx::Row;

use crate::bus::Subscription;
use crate::http::{Device, Hub};
use crate::staff::{self, Member, COOKIE};
use crate::store::{now_ms, random_hex, wire_name, HubError};

fn terminal_topic(device: &str) -> String {
    format!("t:{device}")
}

fn console_topic(session: &str) -> String {
    format!("c:{session}")
}

const QUEUE: &str = "queue";

/// `GET /v1/assist`: a terminal's one remote-guidance connection.
pub async fn terminal(
    State(hub): State<Hub>,
    Device(device): Device,
    upgrade: WebSocketUpgrade,
) -> Response {
    upgrade
        .max_message_size(assist::MAX_FRAME)
        .on_upgrade(move |socket| async move {
            if let Err(error) = terminal_socket(&hub, &device, socket).await {
                tracing::error!(%error, device, "remote guidance: terminal connection failed");
            }
        })
}

/// Per-connection state of a terminal: the session it is in, if any.
async fn terminal_socket(hub: &Hub, device: &str, mut socket: WebSocket) -> Result<(), HubError> {
    let mut inbox = hub.bus.subscribe(&terminal_topic(device)).await?;
    let mut session: Option<String> = None;
    let result = loop {
        tokio::select! {
            frame = socket.recv() => {
                let Some(text) = text_frame(frame) else { break Ok(()) };
                let Some(text) = text else { continue };
                match assist::parse::<FromTerminal>(text.as_str()) {
                    Ok(message) => {
                        if let Err(error) = from_terminal(hub, device, &mut session, &mut socket, message, text.as_str()).await {
                            break Err(error);
                        }
                    }
                    Err(why) => {
                        tracing::warn!(device, %why, "remote guidance: bad frame from a terminal");
                        break Ok(());
                    }
                }
            }
            Some(payload) = inbox.recv() => {
                if let Ok(ToTerminal::Ended { .. }) = assist::parse::<ToTerminal>(&payload) {
                    session = None;
                }
                if socket.send(WsMessage::Text(payload.into())).await.is_err() {
                    break Ok(());
                }
            }
        }
    };
    // The connection is gone: a waiting request leaves the queue until the terminal resumes it; staff
    // helping see that control ended and the terminal is reconnecting.
    if let Some(session) = session {
        let updated = sqlx::query(
            "UPDATE assist_sessions SET connected = 0 WHERE session_id = $1 AND state <> 'ended'",
        )
        .bind(&session)
        .execute(hub.store.pool())
        .await?;
        if updated.rows_affected() == 1 {
            hub.bus.publish(QUEUE, "").await?;
            let phase = ToConsole::Phase {
                session: session.clone(),
                phase: Phase::Reconnecting,
            };
            tell_console(hub, &session, &phase).await?;
        }
    }
    result
}

async fn from_terminal(
    hub: &Hub,
    device: &str,
    session: &mut Option<String>,
    socket: &mut WebSocket,
    message: FromTerminal,
    raw: &str,
) -> Result<(), HubError> {
    let pool = hub.store.pool();
    let reply = |message: ToTerminal| WsMessage::Text(assist::frame(&message).into());
    match message {
        FromTerminal::Request(wanted) => {
            // One session per terminal: an earlier one still open is over.
            let earlier = sqlx::query(
                "SELECT session_id FROM assist_sessions WHERE device_id = $1 AND state <> 'ended'",
            )
            .bind(device)
            .fetch_all(pool)
            .await?;
            for row in earlier {
                finish(hub, &row.try_get::<String, _>(0)?, Ended::TerminalLeft).await?;
            }
            let id = random_hex::<12>();
            sqlx::query(
                "INSERT INTO assist_sessions (session_id, device_id, hall, screen, problem, lang, state, \
                 connected, requested_ms) VALUES ($1, $2, $3, $4, $5, $6, 'waiting', 1, $7)",
            )
            .bind(&id)
            .bind(device)
            .bind(clip(&wanted.hall, 64))
            .bind(clip(&wanted.screen, 32))
            .bind(wanted.problem.as_deref().map(|p| clip(p, 64)))
            .bind(wanted.lang.tag())
            .bind(now_ms())
            .execute(pool)
            .await?;
            tracing::info!(device, session = id, "remote guidance requested");
            *session = Some(id.clone());
            let _ = socket.send(reply(ToTerminal::Queued { session: id })).await;
            hub.bus.publish(QUEUE, "").await?;
        }
        FromTerminal::Resume { session: id } => {
            let row = sqlx::query(
                "SELECT staff_user FROM assist_sessions WHERE session_id = $1 AND device_id = $2 \
                 AND state <> 'ended'",
            )
            .bind(&id)
            .bind(device)
            .fetch_optional(pool)
            .await?;
            let Some(row) = row else {
                let _ = socket
                    .send(reply(ToTerminal::Ended {
                        by: Ended::TerminalLeft,
                    }))
                    .await;
                return Ok(());
            };
            let staff = match row.try_get::<Option<String>, _>(0)? {
                Some(user) => staff::badge(&hub.store, &user).await?,
                None => None,
            };
            sqlx::query("UPDATE assist_sessions SET connected = 1 WHERE session_id = $1")
                .bind(&id)
                .execute(pool)
                .await?;
            *session = Some(id);
            let _ = socket.send(reply(ToTerminal::Resumed { staff })).await;
            hub.bus.publish(QUEUE, "").await?;
        }
        FromTerminal::Cancel => {
            if let Some(id) = session.take() {
                finish(hub, &id, Ended::Citizen).await?;
            }
        }
        FromTerminal::End { by } => {
            if let Some(id) = session.take() {
                finish(hub, &id, by).await?;
            }
        }
        FromTerminal::Consent { allowed: false } => {
            if let Some(id) = session.take() {
                finish(hub, &id, Ended::Declined).await?;
            }
        }
        FromTerminal::Consent { allowed: true } | FromTerminal::Control { .. } => {
            if let Some(id) = session {
                let phase = match message {
                    FromTerminal::Control { allowed: true } => Phase::Control,
                    _ => Phase::Viewing,
                };
                let phase = ToConsole::Phase {
                    session: id.clone(),
                    phase,
                };
                tell_console(hub, id, &phase).await?;
            }
        }
        // The same shapes on both legs: relayed as they came.
        FromTerminal::Mirror(_) | FromTerminal::Finger { .. } | FromTerminal::Refused { .. } => {
            if let Some(id) = session {
                hub.bus.publish(&console_topic(id), raw).await?;
            }
        }
    }
    Ok(())
}

/// Ends `session` (once), telling both of its ends.
async fn finish(hub: &Hub, session: &str, by: Ended) -> Result<(), HubError> {
    let row = sqlx::query(
        "UPDATE assist_sessions SET state = 'ended', ended_ms = $1, ended_by = $2 \
         WHERE session_id = $3 AND state <> 'ended' RETURNING device_id",
    )
    .bind(now_ms())
    .bind(wire_name(by))
    .bind(session)
    .fetch_optional(hub.store.pool())
    .await?;
    let Some(row) = row else { return Ok(()) };
    let device: String = row.try_get(0)?;
    tracing::info!(device, session, by = wire_name(by), "remote guidance ended");
    hub.bus
        .publish(
            &terminal_topic(&device),
            &assist::frame(&ToTerminal::Ended { by }),
        )
        .await?;
    let ended = ToConsole::Ended {
        session: session.to_string(),
        by,
    };
    tell_console(hub, session, &ended).await?;
    hub.bus.publish(QUEUE, "").await?;
    Ok(())
}

/// Sends `message` to the console helping in `session`, on whichever hub process it is connected to.
async fn tell_console(hub: &Hub, session: &str, message: &ToConsole) -> Result<(), HubError> {
    hub.bus
        .publish(&console_topic(session), &assist::frame(message))
        .await?;
    Ok(())
}

/// A received frame's text: `None` when the connection is over, `Some(None)` for a frame that carries no
/// text (ping, pong, binary), which is passed over.
fn text_frame(
    frame: Option<Result<WsMessage, axum::Error>>,
) -> Option<Option<axum::extract::ws::Utf8Bytes>> {
    match frame {
        Some(Ok(WsMessage::Text(text))) => Some(Some(text)),
        Some(Ok(WsMessage::Close(_))) | None | Some(Err(_)) => None,
        Some(Ok(_)) => Some(None),
    }
}

fn clip(text: &str, chars: usize) -> String {
    text.chars().take(chars).collect()
}

/// The staff member a request's login cookie belongs to.
pub(crate) async fn member(hub: &Hub, headers: &HeaderMap) -> Result<Option<Member>, HubError> {
    match crate::guard::login_token(headers) {
        Some(token) => staff::authenticate(&hub.store, token).await,
        None => Ok(None),
    }
}

/// `GET /console/ws`: a logged-in console's connection; without a login, a bare 401.
pub async fn console(
    State(hub): State<Hub>,
    headers: HeaderMap,
    upgrade: WebSocketUpgrade,
) -> Response {
    // A page of another site never opens a console's connection (the cookie is SameSite=Strict as well).
    if !crate::guard::same_origin(&headers) {
        return StatusCode::FORBIDDEN.into_response();
    }
    let member = match member(&hub, &headers).await {
        Ok(Some(member)) => member,
        Ok(None) => return StatusCode::UNAUTHORIZED.into_response(),
        Err(error) => return crate::http::Failure::from(error).into_response(),
    };
    // A reviewer does not give remote guidance: the hub refuses, whatever the page shows.
    if !member.guides() {
        return StatusCode::FORBIDDEN.into_response();
    }
    upgrade
        .max_message_size(assist::MAX_FRAME)
        .on_upgrade(move |socket| async move {
            if let Err(error) = console_socket(&hub, member, socket).await {
                tracing::error!(%error, "remote guidance: console connection failed");
            }
        })
}

/// The session a console took: its id, its terminal, and the subscription to what the terminal sends.
struct Taken {
    session: String,
    device: String,
    inbox: Subscription,
}

async fn console_socket(hub: &Hub, member: Member, mut socket: WebSocket) -> Result<(), HubError> {
    let mut queue = hub.bus.subscribe(QUEUE).await?;
    let send = |message: &ToConsole| WsMessage::Text(assist::frame(message).into());
    let hello = ToConsole::Hello {
        staff: member.staff.clone(),
    };
    if socket.send(send(&hello)).await.is_err() {
        return Ok(());
    }
    if socket.send(send(&waiting(hub).await?)).await.is_err() {
        return Ok(());
    }
    let mut taken: Option<Taken> = None;
    let result = loop {
        let from_terminal = async {
            match &mut taken {
                Some(taken) => taken.inbox.recv().await,
                None => std::future::pending().await,
            }
        };
        tokio::select! {
            frame = socket.recv() => {
                let Some(text) = text_frame(frame) else { break Ok(()) };
                let Some(text) = text else { continue };
                match assist::parse_console(text.as_str()) {
                    Ok(message) => {
                        if let Err(error) = from_console(hub, &member, &mut taken, &mut socket, message).await {
                            break Err(error);
                        }
                    }
                    Err(why) => {
                        tracing::warn!(staff = member.username, %why, "remote guidance: bad frame from a console");
                        break Ok(());
                    }
                }
            }
            Some(_) = queue.recv() => {
                if socket.send(send(&waiting(hub).await?)).await.is_err() {
                    break Ok(());
                }
            }
            Some(payload) = from_terminal => {
                if let Ok(ToConsole::Ended { .. }) = assist::parse::<ToConsole>(&payload) {
                    taken = None;
                }
                if socket.send(WsMessage::Text(payload.into())).await.is_err() {
                    break Ok(());
                }
            }
        }
    };
    if let Some(taken) = taken {
        finish(hub, &taken.session, Ended::StaffLeft).await?;
    }
    result
}

async fn from_console(
    hub: &Hub,
    member: &Member,
    taken: &mut Option<Taken>,
    socket: &mut WebSocket,
    message: FromConsole,
) -> Result<(), HubError> {
    let send = |message: &ToConsole| WsMessage::Text(assist::frame(message).into());
    let to_terminal = match message {
        FromConsole::Accept { session } => {
            if taken.is_some() {
                // One citizen at a time.
                let _ = socket.send(send(&ToConsole::Gone { session })).await;
                return Ok(());
            }
            // Listen before the terminal can answer.
            let inbox = hub.bus.subscribe(&console_topic(&session)).await?;
            let row = sqlx::query(
                "UPDATE assist_sessions SET state = 'active', staff_user = $1, accepted_ms = $2 \
                 WHERE session_id = $3 AND state = 'waiting' AND connected = 1 RETURNING device_id",
            )
            .bind(&member.username)
            .bind(now_ms())
            .bind(&session)
            .fetch_optional(hub.store.pool())
            .await?;
            let Some(row) = row else {
                let _ = socket.send(send(&ToConsole::Gone { session })).await;
                return Ok(());
            };
            let device: String = row.try_get(0)?;
            tracing::info!(
                device,
                session,
                staff = member.username,
                "remote guidance accepted"
            );
            let phase = ToConsole::Phase {
                session: session.clone(),
                phase: Phase::AwaitingConsent,
            };
            let _ = socket.send(send(&phase)).await;
            *taken = Some(Taken {
                session,
                device: device.clone(),
                inbox,
            });
            hub.bus.publish(QUEUE, "").await?;
            ToTerminal::Accepted {
                staff: member.staff.clone(),
            }
        }
        FromConsole::End => {
            if let Some(taken) = taken.take() {
                finish(hub, &taken.session, Ended::Staff).await?;
                // Its subscription went with it: told here.
                let ended = ToConsole::Ended {
                    session: taken.session,
                    by: Ended::Staff,
                };
                let _ = socket.send(send(&ended)).await;
            }
            return Ok(());
        }
        FromConsole::AskControl => {
            if let Some(taken) = taken {
                let phase = ToConsole::Phase {
                    session: taken.session.clone(),
                    phase: Phase::AwaitingControl,
                };
                let _ = socket.send(send(&phase)).await;
            }
            ToTerminal::AskControl
        }
        FromConsole::Point { frame, item } => ToTerminal::Point { frame, item },
        FromConsole::Say { text } => ToTerminal::Say { text },
        FromConsole::Tap { frame, item } => ToTerminal::Tap { frame, item },
        FromConsole::Type { text } => ToTerminal::Type { text },
        FromConsole::ReleaseControl => ToTerminal::ReleaseControl,
    };
    // Only to the terminal of the session this console took.
    if let Some(taken) = taken {
        hub.bus
            .publish(&terminal_topic(&taken.device), &assist::frame(&to_terminal))
            .await?;
    }
    Ok(())
}

/// The queue: requests of connected terminals no one has taken, oldest first.
async fn waiting(hub: &Hub) -> Result<ToConsole, HubError> {
    let rows = sqlx::query(
        "SELECT session_id, device_id, hall, screen, problem, lang, requested_ms FROM assist_sessions \
         WHERE state = 'waiting' AND connected = 1 ORDER BY requested_ms LIMIT 100",
    )
    .fetch_all(hub.store.pool())
    .await?;
    let mut waiting = Vec::with_capacity(rows.len());
    for row in rows {
        waiting.push(Waiting {
            session: row.try_get(0)?,
            device: row.try_get(1)?,
            wanted: assist::HelpWanted {
                hall: row.try_get(2)?,
                screen: row.try_get(3)?,
                problem: row.try_get(4)?,
                lang: Lang::parse(&row.try_get::<String, _>(5)?).unwrap_or_default(),
            },
            since_ms: row.try_get(6)?,
        });
    }
    Ok(ToConsole::Queue { waiting })
}

/// `POST /console/login {"username", "password"}`: sets the login cookie, or 401.
#[utoipa::path(post, path = "/console/login", tag = "staff",
    request_body = Login,
    responses(
        (status = 204, description = "logged in: the login cookie is set"),
        (status = "4XX", description = "refused: the message says why (401 no login, 403 another role or site, or no anti-forgery token)", body = kiosk_proto::fleet::ApiError),
        (status = "5XX", description = "database failure (the hub's log has the cause)", body = kiosk_proto::fleet::ApiError),
    ))]
pub async fn login(
    State(hub): State<Hub>,
    crate::http::Body(form): crate::http::Body<Login>,
) -> Result<Response, crate::http::Failure> {
    match staff::login(&hub.store, &form.username, &form.password).await? {
        Ok(token) => {
            let cookie = login_cookie(&hub, &token, staff::LOGIN_MS / 1000);
            Ok(([(header::SET_COOKIE, cookie)], StatusCode::NO_CONTENT).into_response())
        }
        Err(staff::Refused::Wrong) => {
            tracing::warn!(user = form.username, "console login refused");
            Err(crate::http::Failure::new(
                StatusCode::UNAUTHORIZED,
                "wrong user name or password",
            ))
        }
        Err(staff::Refused::Locked(until)) => {
            let minutes = (until - now_ms()).max(0) / 60_000 + 1;
            Err(crate::http::Failure::new(
                StatusCode::TOO_MANY_REQUESTS,
                format!(
                    "too many wrong passwords: the account is locked for {minutes} more minutes"
                ),
            ))
        }
    }
}

/// `POST /console/logout`: ends the login and clears the cookie.
pub async fn logout(
    State(hub): State<Hub>,
    headers: HeaderMap,
) -> Result<Response, crate::http::Failure> {
    if let Some(token) = crate::guard::login_token(&headers) {
        staff::logout(&hub.store, token).await?;
    }
    let cookie = login_cookie(&hub, "", 0);
    Ok(([(header::SET_COOKIE, cookie)], StatusCode::NO_CONTENT).into_response())
}

/// The login cookie: never readable by scripts, never sent from another site's page, only over TLS when
/// the hub is served over TLS.
fn login_cookie(hub: &Hub, token: &str, max_age_seconds: i64) -> String {
    let secure = if hub.secure_cookies { "; Secure" } else { "" };
    format!("{COOKIE}={token}; HttpOnly; SameSite=Strict; Path=/console; Max-Age={max_age_seconds}{secure}")
}

#[derive(serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Login {
    username: String,
    password: String,
}

/// Who is logged in, as the console shows it.
#[derive(serde::Serialize)]
pub struct Me {
    name: String,
    number: String,
    role: staff::Role,
    departments: Vec<String>,
    /// The anti-forgery token the page sends with every change (see [`crate::guard`]).
    csrf: String,
}

/// `GET /console/me`: who is logged in and what they may do (the page asks before it connects), or 401.
#[utoipa::path(get, path = "/console/me", tag = "staff",
    security(("login" = [])),
    responses(
        (status = 200, description = "who is logged in, with the anti-forgery token", body = Object),
        (status = "4XX", description = "refused: the message says why (401 no login, 403 another role or site, or no anti-forgery token)", body = kiosk_proto::fleet::ApiError),
        (status = "5XX", description = "database failure (the hub's log has the cause)", body = kiosk_proto::fleet::ApiError),
    ))]
pub async fn me(State(hub): State<Hub>, headers: HeaderMap) -> Result<axum::Json<Me>, Response> {
    match member(&hub, &headers).await {
        Ok(Some(member)) => Ok(axum::Json(Me {
            name: member.staff.name,
            number: member.staff.number,
            role: member.role,
            departments: member.departments,
            csrf: crate::guard::login_token(&headers)
                .map(crate::guard::csrf_token)
                .unwrap_or_default(),
        })),
        Ok(None) => Err(StatusCode::UNAUTHORIZED.into_response()),
        Err(error) => Err(crate::http::Failure::from(error).into_response()),
    }
}

/// The console's page, script and style, built into the hub.
pub async fn page() -> Html<&'static str> {
    Html(include_str!("../console/index.html"))
}

pub async fn script() -> impl IntoResponse {
    crate::http::script(include_str!("../console/console.js"))
}

pub async fn review_script() -> impl IntoResponse {
    crate::http::script(include_str!("../console/review.js"))
}

pub async fn staff_script() -> impl IntoResponse {
    crate::http::script(include_str!("../console/staff.js"))
}

pub async fn style() -> impl IntoResponse {
    crate::http::stylesheet(include_str!("../console/console.css"))
}
