//! The citizen's session: who is at the terminal (once a card is read), and the idle timer that ends the
//! session. Ending a session wipes every personal value. (Language and elder mode live in the UI's view
//! model, which resets them at the same moment.)

use std::time::{Duration, Instant};

use zeroize::Zeroize;

pub use crate::domain::identity::{mask_id_number, mask_name, Identity};

/// Identifies one session, so an event that arrives after its session ended can be dropped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
pub struct SessionId(pub u64);

/// How the signed-in holder proved who they are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum Proof {
    /// Their ID card on the reader.
    Card,
    /// The dynamic code of their government app (亮码): enough where the catalogue says a service takes
    /// it, never for printing their licences.
    Code,
}

/// One citizen's visit, from the first touch to done, timeout or card removal.
#[derive(Debug)]
pub struct Session {
    pub id: SessionId,
    identity: Option<Identity>,
    proof: Option<Proof>,
    /// The enterprise the signed-in legal representative chose (企业服务).
    enterprise: Option<kiosk_proto::enterprise::Enterprise>,
    /// The flow under way needs the card on the reader: taking it away ends the session.
    card_must_stay: bool,
}

impl Session {
    pub fn new(id: SessionId) -> Session {
        Session {
            id,
            identity: None,
            proof: None,
            enterprise: None,
            card_must_stay: false,
        }
    }

    pub fn identity(&self) -> Option<&Identity> {
        self.identity.as_ref()
    }

    /// Signs in `identity`, proved by `proof`.
    pub fn set_identity(&mut self, identity: Identity, proof: Proof) {
        self.wipe_identity();
        self.identity = Some(identity);
        self.proof = Some(proof);
    }

    /// The enterprise the signed-in legal representative chose, if any.
    pub fn enterprise(&self) -> Option<&kiosk_proto::enterprise::Enterprise> {
        self.enterprise.as_ref()
    }

    /// The signed-in holder chose `enterprise` (one the registry lists for them) to act for.
    pub fn choose_enterprise(&mut self, enterprise: kiosk_proto::enterprise::Enterprise) {
        if self.identity.is_some() {
            self.enterprise = Some(enterprise);
        }
    }

    /// How the signed-in holder proved who they are (none: no one is signed in).
    pub fn proof(&self) -> Option<Proof> {
        self.proof
    }

    /// The signed-in holder's card was read: it proves them from now on.
    pub fn card_shown(&mut self) {
        if self.identity.is_some() {
            self.proof = Some(Proof::Card);
        }
    }

    pub fn card_must_stay(&self) -> bool {
        self.card_must_stay
    }

    pub fn set_card_must_stay(&mut self, must_stay: bool) {
        self.card_must_stay = must_stay;
    }

    fn wipe_identity(&mut self) {
        if let Some(identity) = self.identity.as_mut() {
            identity.zeroize();
        }
        self.identity = None;
        self.proof = None;
        self.enterprise = None;
    }

    /// Ends this session: zeroes the identity and makes way for the next session.
    pub fn end(&mut self) {
        self.wipe_identity();
        *self = Session::new(SessionId(self.id.0 + 1));
    }
}

/// What the idle timer says at a given moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdlePhase {
    Active,
    /// The countdown is showing, with whole seconds left (rounded up).
    Countdown(u32),
    Expired,
}

/// Time since the last touch, against the configured idle and countdown lengths.
#[derive(Debug, Clone, Copy)]
pub struct IdleTimer {
    idle_after: Duration,
    countdown: Duration,
    last_activity: Instant,
}

impl IdleTimer {
    pub fn new(idle_after: Duration, countdown: Duration, now: Instant) -> IdleTimer {
        IdleTimer {
            idle_after,
            countdown,
            last_activity: now,
        }
    }

    pub fn touch(&mut self, now: Instant) {
        self.last_activity = now;
    }

    pub fn phase(&self, now: Instant) -> IdlePhase {
        let idle = now.saturating_duration_since(self.last_activity);
        if idle < self.idle_after {
            return IdlePhase::Active;
        }
        let into_countdown = idle - self.idle_after;
        if into_countdown >= self.countdown {
            return IdlePhase::Expired;
        }
        let left = self.countdown - into_countdown;
        IdlePhase::Countdown(left.as_secs_f64().ceil() as u32)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn citizen() -> Identity {
        let mut id = Identity::default();
        id.name = "张三丰".into();
        id.id_number = "32050119800101123X".into();
        id.address = Some("江苏省苏州市姑苏区人民路 1 号".into());
        id
    }

    #[test]
    fn id_numbers_and_names_are_masked() {
        let id = citizen();
        assert_eq!(id.masked_id_number(), "3205**********123X");
        assert_eq!(id.masked_name(), "张**");
        let debug = format!("{id:?}");
        assert!(!debug.contains("32050119800101123X"));
        assert!(!debug.contains("张三丰"));
        assert!(!debug.contains("人民路"));
    }

    #[test]
    fn ending_the_session_zeroes_identity_memory() {
        let mut session = Session::new(SessionId(1));
        session.set_identity(citizen(), Proof::Card);
        let (ptr, len) = {
            let id = session.identity().unwrap();
            (id.id_number.as_ptr(), id.id_number.len())
        };
        // Zeroize the identity in place (as end() does) and look at the bytes it occupied before they are freed.
        let identity = session.identity.as_mut().unwrap();
        identity.zeroize();
        // SAFETY: zeroize keeps the String's allocation; `len` bytes at `ptr` are still owned by it.
        let bytes = unsafe { std::slice::from_raw_parts(ptr, len) };
        assert!(
            bytes.iter().all(|b| *b == 0),
            "identity bytes survived: {bytes:?}"
        );

        session.end();
        assert!(session.identity().is_none());
        assert_eq!(session.id, SessionId(2));
    }

    #[test]
    fn idle_timer_counts_down_then_expires() {
        let t0 = Instant::now();
        let mut timer = IdleTimer::new(Duration::from_secs(60), Duration::from_secs(15), t0);
        assert_eq!(timer.phase(t0 + Duration::from_secs(59)), IdlePhase::Active);
        assert_eq!(
            timer.phase(t0 + Duration::from_secs(60)),
            IdlePhase::Countdown(15)
        );
        assert_eq!(
            timer.phase(t0 + Duration::from_millis(60_500)),
            IdlePhase::Countdown(15)
        );
        assert_eq!(
            timer.phase(t0 + Duration::from_secs(74)),
            IdlePhase::Countdown(1)
        );
        assert_eq!(
            timer.phase(t0 + Duration::from_secs(75)),
            IdlePhase::Expired
        );
        timer.touch(t0 + Duration::from_secs(70));
        assert_eq!(timer.phase(t0 + Duration::from_secs(75)), IdlePhase::Active);
    }
}
