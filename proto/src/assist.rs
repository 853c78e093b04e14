//! Remote guidance (远程导办) on the wire: the messages between a terminal and the hub, and between a staff
//! console and the hub, over one WebSocket each (JSON text frames, tagged by `t`).
//!
//! The hub relays; the terminal decides. Nothing of the screen leaves the terminal before the citizen
//! allows viewing, and a [`Mirror`] is masked on the terminal before it is sent. Staff point at and tap the
//! items of the last mirror they saw, named by its `frame` number, so a tap can never land on a screen that
//! changed under it.

use serde::{Deserialize, Serialize};

use crate::Lang;

/// The largest frame either side sends or accepts, in bytes: it fits a PostgreSQL `NOTIFY` payload (8000
/// bytes) with the hub's envelope, so a mirror can cross between hub processes whole.
pub const MAX_FRAME: usize = 7000;

/// The longest text message staff can send, in characters.
pub const MAX_SAY: usize = 200;

/// The event kind an audit record of remote guidance travels as through the ingest, with an [`Audit`] body.
pub const AUDIT_EVENT: &str = "assist";

/// Which of the citizen's flows a request came from, as shown in the staff's queue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HelpWanted {
    /// The terminal's hall, as its configuration names it.
    pub hall: String,
    /// The screen the citizen was on (`print`, `progress`, …).
    pub screen: String,
    /// What went wrong there, if something did (`paper_out`, `hub_unreachable`, …).
    #[serde(default)]
    pub problem: Option<String>,
    /// The citizen's language, so staff can answer in it.
    pub lang: Lang,
}

/// A terminal → hub message.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "t", rename_all = "snake_case", deny_unknown_fields)]
pub enum FromTerminal {
    /// The citizen tapped "call staff".
    Request(HelpWanted),
    /// After a reconnect: the session is still under way on the terminal.
    Resume { session: String },
    /// The citizen cancelled the request before anyone accepted it.
    Cancel,
    /// The citizen's answer to "may staff view your screen?"; `false` ends the session.
    Consent { allowed: bool },
    /// The citizen's answer to "may staff operate for you?", or `false` when they take control back.
    Control { allowed: bool },
    /// The screen as staff may see it.
    Mirror(Mirror),
    /// The item under the citizen's finger changed (none: lifted).
    Finger { frame: u64, item: Option<u32> },
    /// A staff action the terminal did not carry out, and why (for the staff's eyes).
    Refused { why: Refusal },
    /// The session ended on the terminal.
    End { by: Ended },
}

/// A hub → terminal message.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "t", rename_all = "snake_case", deny_unknown_fields)]
pub enum ToTerminal {
    /// The request is in the queue under this session id.
    Queued { session: String },
    /// The session resumed after a reconnect, in this state (staff absent: still waiting).
    Resumed { staff: Option<Staff> },
    /// A staff member took the request; the citizen is now asked to allow viewing.
    Accepted { staff: Staff },
    /// Show a highlight around an item of mirror `frame`.
    Point { frame: u64, item: u32 },
    /// Show (and speak) a short message.
    Say { text: String },
    /// Staff ask to operate the screen; the citizen is asked.
    AskControl,
    /// Tap an item of mirror `frame` (only while the citizen allows control).
    Tap { frame: u64, item: u32 },
    /// Type into the field being filled (only while control is allowed, never into a personal field).
    Type { text: String },
    /// Staff hand control back.
    ReleaseControl,
    /// The session is over.
    Ended { by: Ended },
}

/// A console → hub message.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "t", rename_all = "snake_case", deny_unknown_fields)]
pub enum FromConsole {
    Accept { session: String },
    Point { frame: u64, item: u32 },
    Say { text: String },
    AskControl,
    Tap { frame: u64, item: u32 },
    Type { text: String },
    ReleaseControl,
    End,
}

/// A hub → console message.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "t", rename_all = "snake_case", deny_unknown_fields)]
pub enum ToConsole {
    /// Who is logged in.
    Hello {
        staff: Staff,
    },
    /// The help requests waiting, oldest first.
    Queue {
        waiting: Vec<Waiting>,
    },
    /// The session this console took, and where it stands.
    Phase {
        session: String,
        phase: Phase,
    },
    Mirror(Mirror),
    Finger {
        frame: u64,
        item: Option<u32>,
    },
    Refused {
        why: Refusal,
    },
    /// Another staff member took that request first, or it was cancelled.
    Gone {
        session: String,
    },
    Ended {
        session: String,
        by: Ended,
    },
}

/// A help request in the staff's queue.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Waiting {
    pub session: String,
    /// The terminal's device id.
    pub device: String,
    #[serde(flatten)]
    pub wanted: HelpWanted,
    /// When the citizen asked (Unix ms, hub time).
    pub since_ms: i64,
}

/// A staff member as the citizen sees them: a name and a staff number.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Staff {
    pub name: String,
    pub number: String,
}

/// Where a session stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    /// Accepted; the citizen has not yet allowed viewing.
    AwaitingConsent,
    /// Staff see the mirror, point and send messages.
    Viewing,
    /// Staff asked to operate; the citizen has not answered.
    AwaitingControl,
    /// Staff may operate the screen.
    Control,
    /// The terminal's connection dropped; control ended; waiting for it to come back.
    Reconnecting,
}

/// Why a staff action was not carried out on the terminal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Refusal {
    /// The citizen has not allowed control.
    NoControl,
    /// The screen changed since the mirror staff acted on.
    ScreenChanged,
    /// The field being filled is personal: only the citizen fills it.
    PersonalField,
    /// Nothing on the screen takes text now.
    NoField,
    /// The citizen has not allowed viewing.
    NoConsent,
}

/// How a session ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Ended {
    /// The citizen tapped "end" (or cancelled while waiting).
    Citizen,
    /// The citizen did not allow viewing.
    Declined,
    /// Staff ended it.
    Staff,
    /// The staff console went away.
    StaffLeft,
    /// The citizen's session on the terminal ended (finished, timed out, card taken).
    SessionEnd,
    /// The terminal went away and did not come back.
    TerminalLeft,
}

/// The screen as staff see it: every text with where it is drawn, already masked. Items are numbered in
/// drawing order; staff name them with the frame's number.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Mirror {
    /// Counts up with each mirror the terminal sends in a session.
    pub frame: u64,
    /// The screen's name (`home`, `print`, …).
    pub screen: String,
    pub lang: Lang,
    pub elder: bool,
    /// The terminal's screen size in logical pixels.
    pub width: u32,
    pub height: u32,
    pub items: Vec<Item>,
    /// The item under the citizen's finger.
    #[serde(default)]
    pub finger: Option<u32>,
    /// Whether staff may operate now.
    #[serde(default)]
    pub control: bool,
}

/// One text or shape on the screen: `b` is `[x, y, width, height]` in the terminal's logical pixels. A
/// shape (`k`) is drawn under the texts inside it, as an outline staff can point at; a masked area carries
/// `●●●` as its text, and nothing of what it hides.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Item {
    #[serde(rename = "s", default, skip_serializing_if = "String::is_empty")]
    pub text: String,
    #[serde(rename = "b")]
    pub bounds: [i32; 4],
    /// A field the citizen fills (the field's value is masked when it is personal).
    #[serde(rename = "f", default, skip_serializing_if = "std::ops::Not::not")]
    pub field: bool,
    /// A shape rather than a text.
    #[serde(rename = "k", default, skip_serializing_if = "Option::is_none")]
    pub shape: Option<Shape>,
}

impl Item {
    /// A text at `bounds`.
    pub fn text(text: impl Into<String>, bounds: [i32; 4]) -> Item {
        Item {
            text: text.into(),
            bounds,
            field: false,
            shape: None,
        }
    }

    /// A shape at `bounds`.
    pub fn shape(shape: Shape, bounds: [i32; 4]) -> Item {
        Item {
            text: if shape == Shape::Masked {
                MASKED.into()
            } else {
                String::new()
            },
            bounds,
            field: matches!(shape, Shape::Field | Shape::Masked),
            shape: Some(shape),
        }
    }
}

/// Whether `inner` (`[x, y, width, height]`) lies whole in `outer`.
pub fn contains(outer: [i32; 4], inner: [i32; 4]) -> bool {
    inner[0] >= outer[0]
        && inner[1] >= outer[1]
        && inner[0] + inner[2] <= outer[0] + outer[2]
        && inner[1] + inner[3] <= outer[1] + outer[3]
}

/// The texts of `items` drawn whole inside `bounds`, in drawing order, joined by spaces: a shape's words.
pub fn words_inside(items: &[Item], bounds: [i32; 4]) -> String {
    items
        .iter()
        .filter(|i| i.shape.is_none() && contains(bounds, i.bounds))
        .map(|i| i.text.as_str())
        .collect::<Vec<_>>()
        .join(" ")
}

/// What a masked area shows staff, whatever it hides (not even its length).
pub const MASKED: &str = "●●●";

/// The shapes of a mirror, one letter each on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Shape {
    /// A screen's main action.
    #[serde(rename = "b")]
    Button,
    /// A tile: a choice in a list, a service, a home tile.
    #[serde(rename = "t")]
    Tile,
    /// A field the citizen fills.
    #[serde(rename = "f")]
    Field,
    /// A key of a keyboard or keypad.
    #[serde(rename = "k")]
    Key,
    /// An area of personal data: a grey box with `●●●`.
    #[serde(rename = "m")]
    Masked,
    /// The print preview: a grey box (the page itself never leaves the terminal).
    #[serde(rename = "p")]
    Preview,
}

/// What the audit trail keeps of a session step (through the event ingest, kind [`AUDIT_EVENT`]): never
/// the citizen's identity unmasked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Audit {
    pub session: String,
    /// `requested`, `accepted`, `consented`, `declined`, `pointed`, `said`, `control_asked`,
    /// `control_granted`, `control_refused`, `control_taken_back`, `control_released`, `tapped`, `typed`,
    /// `refused`, `ended`.
    pub step: String,
    #[serde(default)]
    pub staff: Option<Staff>,
    /// The citizen helped, masked (`3205**********0020`), when signed in.
    #[serde(default)]
    pub citizen: Option<String>,
    /// What the step was about: the text pointed at or tapped (as mirrored), the message sent, how it ended.
    #[serde(default)]
    pub detail: Option<String>,
}

/// Why a frame from the other side is refused.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum FrameError {
    #[error("frame of {0} bytes; at most {MAX_FRAME}")]
    TooLarge(usize),
    #[error("not a message: {0}")]
    Malformed(String),
    #[error("a staff message holds at most {MAX_SAY} characters")]
    TooLong,
}

/// Parses one text frame, refusing what is larger than [`MAX_FRAME`].
pub fn parse<T: serde::de::DeserializeOwned>(frame: &str) -> Result<T, FrameError> {
    if frame.len() > MAX_FRAME {
        return Err(FrameError::TooLarge(frame.len()));
    }
    serde_json::from_str(frame).map_err(|error| FrameError::Malformed(error.to_string()))
}

/// Parses a console's frame and checks its text's length.
pub fn parse_console(frame: &str) -> Result<FromConsole, FrameError> {
    let message: FromConsole = parse(frame)?;
    match &message {
        FromConsole::Say { text } | FromConsole::Type { text }
            if text.chars().count() > MAX_SAY || text.trim().is_empty() =>
        {
            Err(FrameError::TooLong)
        }
        _ => Ok(message),
    }
}

/// One message as a text frame.
pub fn frame<T: Serialize>(message: &T) -> String {
    serde_json::to_string(message).expect("assist messages serialise")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_are_tagged_and_compact() {
        let mirror = FromTerminal::Mirror(Mirror {
            frame: 3,
            screen: "home".into(),
            lang: Lang::Zh,
            elder: false,
            width: 1080,
            height: 1920,
            items: vec![
                Item::shape(Shape::Tile, [40, 300, 480, 200]),
                Item::text("证照打印", [60, 320, 200, 40]),
                Item::shape(Shape::Masked, [40, 520, 480, 60]),
            ],
            finger: None,
            control: false,
        });
        let text = frame(&mirror);
        assert!(text.starts_with(r#"{"t":"mirror","frame":3"#), "{text}");
        assert!(
            text.contains(r#"[{"b":[40,300,480,200],"k":"t"},{"s":"证照打印","b":[60,320,200,40]},{"s":"●●●","b":[40,520,480,60],"f":true,"k":"m"}]"#),
            "{text}"
        );
        assert_eq!(parse::<FromTerminal>(&text).unwrap(), mirror);
    }

    #[test]
    fn oversized_unknown_and_overlong_frames_are_refused() {
        let big = format!(r#"{{"t":"say","text":"{}"}}"#, "x".repeat(MAX_FRAME));
        assert_eq!(
            parse::<FromConsole>(&big),
            Err(FrameError::TooLarge(big.len()))
        );
        assert!(matches!(
            parse::<FromConsole>(r#"{"t":"format_disk"}"#),
            Err(FrameError::Malformed(_))
        ));
        let long = format!(r#"{{"t":"say","text":"{}"}}"#, "请".repeat(MAX_SAY + 1));
        assert_eq!(parse_console(&long), Err(FrameError::TooLong));
        assert_eq!(
            parse_console(r#"{"t":"say","text":"请点击证照打印"}"#),
            Ok(FromConsole::Say {
                text: "请点击证照打印".into()
            })
        );
    }
}
