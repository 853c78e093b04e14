//! The terminal core: the citizen's session and its rules, with no interface. Inputs come in (a card placed,
//! read or taken away, a touch, the clock, a feature asked for, an answer from the hub), effects go out
//! (a session starts or ends, the card screen reads, welcomes or refuses, a countdown shows, a feature opens
//! or the card is asked for first). The interface (`ui`) renders the effects; the rules are unit-tested here
//! without a renderer.

pub mod feature;
pub mod session;

pub use feature::Feature;

use std::time::{Duration, Instant};

use crate::device::reader::{FaultKind, ReadFault};
use crate::device::DeviceBoard;
use crate::domain::identity::{CardDate, Identity, Validity};
use crate::domain::signin::CodeProblem;
use session::{IdlePhase, IdleTimer, Proof, Session, SessionId};

/// Where the citizen is, as far as the rules care.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    /// The resting (attract) screen: no session.
    Resting,
    /// The card screen, reading for `then` (the feature the card was asked for, if any).
    Card { then: Option<Feature> },
    /// Out of service, or in the technicians' mode: cards start nothing.
    Closed,
    /// The home screen, or the progress screen: nothing is being filled in, so a scanned receipt may open
    /// its case here.
    Menu,
    /// Any other screen of a session.
    Elsewhere,
}

/// What happens at the terminal.
#[derive(Debug)]
pub enum Input {
    /// A card was placed on the reader.
    CardPlaced,
    /// The reader finished reading the card on it.
    CardRead(Result<Box<Identity>, ReadFault>),
    /// The card was taken away.
    CardRemoved,
    /// A touch, click or key press (or any interaction).
    Touch,
    /// The clock moved on; `helped`: staff are helping the citizen remotely (that is not idling).
    Tick { helped: bool },
    /// The citizen started a session (a touch on the resting screen).
    Start,
    /// The citizen is done, or the interface ended the session.
    End,
    /// A code was scanned (`None`: the scanner misread it). Its text may be personal: never logged.
    Scanned(Option<String>),
    /// A sign-in code (亮码) was checked: the holder it names, or why it signs no one in.
    CodeChecked(Result<Box<Identity>, CodeProblem>),
}

/// What the interface shows or does because of an input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    /// A session began: the home screen.
    SessionStarted,
    /// The session is over: everything personal is wiped; the resting screen with the terminal's defaults.
    SessionEnded(Ending),
    /// The card screen reads the card (opened if it is not showing).
    Reading,
    /// The card was read and its holder is signed in (or the signed-in holder's card was read again):
    /// welcome them (masked); `keep_card`: the flow needs the card on the reader until the end.
    Welcome { keep_card: bool },
    /// The card screen says why the card was not taken.
    Refused(Refusal),
    /// The idle countdown: seconds left, or gone.
    Countdown(Option<u32>),
    /// A card was left on the reader when its session ended (true), or it was taken away (false): the
    /// terminal says so until it is taken, and reads nothing from it.
    CardLeft(bool),
    /// A scanned receipt's case: its progress opens with the number filled in (the ID's digits are asked).
    OpenCase(String),
    /// The scanned code is not a receipt's or a progress record's: the progress screen says so.
    NotACase,
    /// The scanner misread the code: scan it again.
    ScanAgain,
    /// A sign-in code (亮码) was shown where it may sign its holder in: the card screen checks it (its
    /// signature and minute here, then the hub takes it once) and says so meanwhile.
    CheckCode(String),
}

/// Why a session ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ending {
    /// The citizen finished (or the interface ended it).
    Finished,
    /// No touch for the idle time and the countdown.
    Idle,
    /// The card was taken away from a flow that needs it.
    CardTaken,
}

/// Why a card read did not sign anyone in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// The card expired on this date.
    Expired(CardDate),
    /// Someone is signed in and another person's card was placed.
    OtherHolder,
    /// The read failed.
    Fault(FaultKind),
    /// A sign-in code did not sign anyone in.
    Code(CodeProblem),
    /// A sign-in code was shown where the card itself is needed (printing a holder's licences, a service
    /// the catalogue does not take codes for, the card asked for again).
    CardNeeded,
}

/// Where asking for a feature leads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Route {
    /// A device it needs is not ready: the tile already says why; nothing happens.
    Blocked,
    /// The card is read first (or placed again), then the feature opens.
    AskCard(Feature),
    /// The feature opens; for the holder's own records when `mine`.
    Open { feature: Feature, mine: bool },
}

/// The citizen's session and the rules on it.
pub struct Terminal {
    session: Session,
    idle: IdleTimer,
    /// A session is under way (begun on the resting screen, not yet ended).
    started: bool,
    /// Whether a card lies on the reader now (as its last event said).
    card_on_reader: bool,
    /// The card on the reader was left there when its session ended: nothing is read from it, and no one
    /// is signed in by it, until it is taken away.
    card_left: bool,
    /// The latest call made for the citizen: an answer to an earlier one is late and dropped.
    asked: u64,
    /// The latest instant seen: time only moves forward.
    now: Instant,
    /// The day, for card expiry.
    today: CardDate,
}

impl Terminal {
    pub fn new(idle: Duration, countdown: Duration, now: Instant, today: CardDate) -> Terminal {
        Terminal {
            session: Session::new(SessionId(0)),
            idle: IdleTimer::new(idle, countdown, now),
            started: false,
            card_on_reader: false,
            card_left: false,
            asked: 0,
            now,
            today,
        }
    }

    pub fn session(&self) -> &Session {
        &self.session
    }

    pub fn session_mut(&mut self) -> &mut Session {
        &mut self.session
    }

    /// The session under way, if any.
    pub fn current(&self) -> Option<SessionId> {
        self.started.then_some(self.session.id)
    }

    pub fn identity(&self) -> Option<&Identity> {
        self.session.identity()
    }

    /// Whether a card was left on the reader by a session that ended (see [`Effect::CardLeft`]).
    pub fn card_left(&self) -> bool {
        self.card_left
    }

    pub fn now(&self) -> Instant {
        self.now
    }

    /// The clock moved to `now` (never back) on `today`.
    pub fn set_time(&mut self, now: Instant, today: CardDate) {
        self.now = self.now.max(now);
        self.today = today;
    }

    /// New idle and countdown times (a technician changed them); the session's clock starts again.
    pub fn set_timeouts(&mut self, idle: Duration, countdown: Duration) {
        self.idle = IdleTimer::new(idle, countdown, self.now);
    }

    /// A new call for the citizen: its number tags the answer.
    pub fn ask(&mut self) -> u64 {
        self.asked += 1;
        self.asked
    }

    /// The latest call's number.
    pub fn latest(&self) -> u64 {
        self.asked
    }

    /// Whether the answer to call `asked` is still wanted (the citizen has not moved on, the session has
    /// not ended).
    pub fn wanted(&self, asked: u64) -> bool {
        asked == self.asked
    }

    /// The rules: what `input` at `place` comes to.
    pub fn handle(&mut self, input: Input, place: Place) -> Vec<Effect> {
        match input {
            Input::CardPlaced => self.card_placed(place),
            Input::CardRead(result) => self.card_read(result, place),
            Input::CardRemoved => self.card_removed(),
            Input::Touch => {
                self.idle.touch(self.now);
                vec![Effect::Countdown(None)]
            }
            Input::Tick { helped } => self.tick(helped),
            Input::Start => self.start(place),
            Input::End => self.end(Ending::Finished),
            Input::Scanned(Some(code)) if crate::domain::signin::is_code(&code) => {
                self.code_scanned(code, place)
            }
            Input::Scanned(code) => self.scanned(code, place),
            Input::CodeChecked(result) => self.code_checked(result, place),
        }
    }

    /// How the signed-in holder proved who they are.
    pub fn proof(&self) -> Option<Proof> {
        self.session.proof()
    }

    /// Whether a sign-in code may sign someone in on the card screen asked for `then`: no one is signed in
    /// yet and the feature does not need the card itself.
    pub fn code_may_sign_in(&self, then: Option<Feature>) -> bool {
        self.session.identity().is_none() && !then.is_some_and(Feature::card_must_stay)
    }

    /// Whether a service, once chosen, needs the card placed first: the holder signed in with a code and
    /// the catalogue does not take codes for it (`accepts_code`). The card read must then be theirs.
    pub fn needs_card_for(&self, accepts_code: bool) -> bool {
        self.session.proof() == Some(Proof::Code) && !accepts_code
    }

    /// Whether a service, once chosen, needs the enterprise chosen first: an enterprise's matter
    /// (`for_enterprise`) is done for the enterprise the signed-in legal representative chose (企业服务).
    pub fn needs_enterprise(&self, for_enterprise: bool) -> bool {
        for_enterprise && self.session.enterprise().is_none()
    }

    /// A sign-in code starts a session on the resting screen and signs its holder in there, on the home
    /// screen and on the card screen (where the card is not needed itself); on the card screen where it is,
    /// the screen says the card is needed; anywhere else, or with someone signed in, it does nothing.
    fn code_scanned(&mut self, code: String, place: Place) -> Vec<Effect> {
        let then = match place {
            Place::Resting | Place::Menu => None,
            Place::Card { then } => then,
            Place::Closed | Place::Elsewhere => return vec![],
        };
        if !matches!(place, Place::Card { .. }) && self.session.identity().is_some() {
            return vec![];
        }
        let mut effects = self.start(place);
        self.idle.touch(self.now);
        effects.push(Effect::Countdown(None));
        if !self.code_may_sign_in(then) {
            effects.push(Effect::Refused(Refusal::CardNeeded));
            return effects;
        }
        effects.push(Effect::CheckCode(code));
        effects
    }

    /// The checked code's holder is signed in on the card screen (a check that comes back elsewhere is
    /// dropped, and its identity zeroised with it).
    fn code_checked(
        &mut self,
        result: Result<Box<Identity>, CodeProblem>,
        place: Place,
    ) -> Vec<Effect> {
        let Place::Card { then } = place else {
            return vec![];
        };
        // Someone signed in meanwhile (a card was placed while the code was checked): theirs stands.
        if self.session.identity().is_some() {
            return vec![];
        }
        let verdict = match result {
            _ if !self.code_may_sign_in(then) => Effect::Refused(Refusal::CardNeeded),
            Ok(identity) => {
                self.session.set_card_must_stay(false);
                self.session.set_identity(*identity, Proof::Code);
                tracing::info!(session = self.session.id.0, "signed in by code");
                Effect::Welcome { keep_card: false }
            }
            Err(problem) => {
                tracing::info!(%problem, "a sign-in code refused");
                Effect::Refused(Refusal::Code(problem))
            }
        };
        self.idle.touch(self.now);
        vec![verdict, Effect::Countdown(None)]
    }

    /// A scanned receipt opens its case from the resting screen (a session starts), the home screen or the
    /// progress screen; anywhere else (a form, the card screen, service mode) a scan takes no one away from
    /// what they are doing. A code that names no case says so where a session is under way.
    fn scanned(&mut self, code: Option<String>, place: Place) -> Vec<Effect> {
        if !matches!(place, Place::Resting | Place::Menu) {
            return vec![];
        }
        let case = code
            .as_deref()
            .and_then(crate::domain::receipt::case_number);
        let Some(case) = case else {
            if place == Place::Resting {
                return vec![];
            }
            self.idle.touch(self.now);
            let said = if code.is_some() {
                Effect::NotACase
            } else {
                Effect::ScanAgain
            };
            return vec![Effect::Countdown(None), said];
        };
        let mut effects = self.start(place);
        self.idle.touch(self.now);
        effects.extend([Effect::Countdown(None), Effect::OpenCase(case)]);
        effects
    }

    /// Where asking for `feature` leads, with the devices in `devices`.
    pub fn route(&mut self, feature: Feature, devices: &DeviceBoard) -> Route {
        if feature.blocker(devices).is_some() {
            return Route::Blocked;
        }
        let signed_in = self.session.identity().is_some();
        if feature.needs_identity() && !signed_in {
            return Route::AskCard(feature);
        }
        // A holder's copies are printed only while their card is on the reader: a holder who took it away
        // after signing in places it again first.
        if feature.card_must_stay() && !self.card_on_reader {
            return Route::AskCard(feature);
        }
        if feature.card_must_stay() {
            self.session.set_card_must_stay(true);
        }
        Route::Open {
            feature,
            mine: signed_in,
        }
    }

    fn start(&mut self, place: Place) -> Vec<Effect> {
        if place != Place::Resting || self.started {
            return vec![];
        }
        self.started = true;
        self.idle.touch(self.now);
        tracing::info!(session = self.session.id.0, "session started");
        vec![Effect::SessionStarted]
    }

    fn end(&mut self, ending: Ending) -> Vec<Effect> {
        if !self.started {
            return vec![];
        }
        tracing::info!(session = self.session.id.0, ?ending, "session ended");
        // Whatever is still on its way belongs to the session that ended.
        self.asked += 1;
        self.session.end();
        self.started = false;
        let mut effects = vec![Effect::SessionEnded(ending)];
        // The commonest incident at a hall terminal: the card stays on the reader after its holder left.
        if self.card_on_reader && !self.card_left {
            tracing::warn!("a card was left on the reader");
            self.card_left = true;
            effects.push(Effect::CardLeft(true));
        }
        effects
    }

    /// A card on the reader starts signing in, from the resting screen too; a second card while someone is
    /// signed in is read only where the card was asked for again.
    fn card_placed(&mut self, place: Place) -> Vec<Effect> {
        self.card_on_reader = true;
        // The card left behind, seen again (the reader reconnected): it starts nothing.
        if place == Place::Closed || self.card_left {
            return vec![];
        }
        if self.session.identity().is_some() {
            return match place {
                Place::Card { .. } => vec![Effect::Reading],
                _ => vec![],
            };
        }
        let mut effects = self.start(place);
        self.idle.touch(self.now);
        effects.extend([Effect::Countdown(None), Effect::Reading]);
        effects
    }

    /// The identity joins the session only from the card screen; a read that arrives after its flow ended
    /// is dropped (and zeroised with it).
    fn card_read(&mut self, result: Result<Box<Identity>, ReadFault>, place: Place) -> Vec<Effect> {
        // Never sign anyone in from a card left behind: the next citizen is not its holder.
        let (Place::Card { then }, false) = (place, self.card_left) else {
            return vec![];
        };
        let keep_card = then.is_some_and(Feature::card_must_stay);
        let verdict = if let Some(current) = self.session.identity() {
            // The card asked for again: the signed-in holder's goes on; anyone else's is refused.
            match result {
                Ok(identity) if identity.id_number == current.id_number => {
                    self.session.set_card_must_stay(keep_card);
                    self.session.card_shown();
                    Effect::Welcome { keep_card }
                }
                Ok(_) => Effect::Refused(Refusal::OtherHolder),
                Err(fault) => Effect::Refused(Refusal::Fault(fault.kind)),
            }
        } else {
            match result {
                Ok(identity) if identity.is_expired(self.today) => {
                    tracing::info!(card_type = ?identity.card_type, "expired card refused");
                    Effect::Refused(Refusal::Expired(match identity.valid_to {
                        Validity::Until(date) => date,
                        Validity::LongTerm => self.today,
                    }))
                }
                Ok(identity) => {
                    self.session.set_card_must_stay(keep_card);
                    self.session.set_identity(*identity, Proof::Card);
                    tracing::info!(session = self.session.id.0, "signed in by card");
                    Effect::Welcome { keep_card }
                }
                Err(fault) => {
                    tracing::warn!(cause = %fault.cause, "card not read");
                    Effect::Refused(Refusal::Fault(fault.kind))
                }
            }
        };
        self.idle.touch(self.now);
        vec![verdict, Effect::Countdown(None)]
    }

    fn card_removed(&mut self) -> Vec<Effect> {
        self.card_on_reader = false;
        if std::mem::take(&mut self.card_left) {
            tracing::info!("the card left on the reader was taken");
            return vec![Effect::CardLeft(false)];
        }
        if self.session.card_must_stay() && self.session.identity().is_some() {
            tracing::info!(
                session = self.session.id.0,
                "card taken away from a flow that needs it"
            );
            return self.end(Ending::CardTaken);
        }
        vec![]
    }

    fn tick(&mut self, helped: bool) -> Vec<Effect> {
        if helped {
            self.idle.touch(self.now);
        }
        if !self.started {
            return vec![];
        }
        match self.idle.phase(self.now) {
            IdlePhase::Active => vec![Effect::Countdown(None)],
            IdlePhase::Countdown(left) => vec![Effect::Countdown(Some(left))],
            IdlePhase::Expired => self.end(Ending::Idle),
        }
    }
}

#[cfg(test)]
mod tests;
