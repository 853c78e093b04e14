//! Remote guidance (远程导办) on the terminal, apart from the interface: the [`Status`] the citizen sees
//! (mirrored with the view model), the [`Connection`] to the hub with what it must remember across a
//! reconnect, and [`mask`], which hides personal values before anything of the screen leaves the terminal.
//!
//! The rules it keeps: nothing of the screen is sent before the citizen allows viewing; staff operate only
//! after a second "allow", which the citizen can take back at any moment and which a dropped connection
//! ends; personal fields are never filled remotely; every step is audited through the outbox.

pub mod link;
pub mod mask;

use kiosk_proto::assist::{HelpWanted, Mirror, Staff};
use serde::Serialize;

/// Where remote guidance stands, as the citizen sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
pub enum Phase {
    #[default]
    Idle,
    /// Asked for help; waiting for staff to accept (the citizen can cancel).
    Calling,
    /// The hub could not be reached: staff are at the service desk.
    Unreachable,
    /// A staff member accepted: may they view the screen?
    AskView,
    /// Staff see the (masked) screen, point and send messages.
    Viewing,
    /// Staff ask to operate: may they?
    AskControl,
    /// Staff operate the screen; the citizen can take it back.
    Control,
}

impl Phase {
    /// Whether the screen is shared (mirrors are sent).
    pub fn sharing(self) -> bool {
        matches!(self, Phase::Viewing | Phase::AskControl | Phase::Control)
    }

    /// Whether a session with the hub is open (anything but idle or unreachable).
    pub fn open(self) -> bool {
        !matches!(self, Phase::Idle | Phase::Unreachable)
    }
}

/// What the interface shows of remote guidance.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct Status {
    pub phase: Phase,
    /// Who is helping (name and staff number, shown on the banner).
    pub staff: Option<Staff>,
    /// The last message from staff, until the citizen closes it.
    pub message: Option<String>,
    /// Where staff point: `[x, y, width, height]` on the screen.
    pub pointed: Option<[i32; 4]>,
    /// The connection dropped and is being made again (control has ended).
    pub reconnecting: bool,
    /// The call has waited long with no one taking it: the citizen is pointed to the desk too.
    pub waited_long: bool,
}

/// How long the idle countdown waits while remote help is called or under way (counted from the call): a
/// citizen waiting for staff is not asked whether they are still there; one who left is still wiped.
pub const HELP_PATIENCE: std::time::Duration = std::time::Duration::from_secs(300);

/// How long a call may wait unanswered before the citizen is also pointed to the hall's desk.
pub const NUDGE_AFTER: std::time::Duration = std::time::Duration::from_secs(90);

/// The terminal's side of a session with the hub.
#[derive(Default)]
pub struct Connection {
    pub link: Option<link::Link>,
    /// The hub's id of the session (for a resume after a reconnect).
    pub session: Option<String>,
    /// What the request said (sent again if the first connection fails before it is queued).
    pub wanted: Option<HelpWanted>,
    /// Whether the link has been up at least once.
    pub reached: bool,
    /// When the citizen called (while no one has taken the call).
    pub calling_since: Option<std::time::Instant>,
    /// Links opened so far (each link's events are told apart by its number).
    pub opened: u64,
    /// The last mirror sent, which staff's points and taps name by its frame number.
    pub sent: Option<Mirror>,
    /// The frame number of the next mirror.
    pub frame: u64,
}

impl Connection {
    /// Forgets the session (the link closes itself with its last words).
    pub fn reset(&mut self) {
        self.link = None;
        self.session = None;
        self.wanted = None;
        self.reached = false;
        self.sent = None;
    }
}
