//! The remote-guidance side of the router: the call, the citizen's answers, what arrives from staff
//! through the hub, the mirror sent after every change while the citizen allows viewing, and staff's taps
//! and typing, carried out only while the citizen allows control. Every step is audited in the outbox.

use kiosk_proto::assist::{Audit, Ended, FromTerminal, HelpWanted, Mirror, Refusal, ToTerminal};

use super::*;
use crate::assist::link::{Link, LinkEvent};
use crate::assist::Phase;
use crate::ui::assist::Message as A;

impl App {
    /// "Call staff": asks the hub for remote help from this screen (when a hub is configured).
    pub(super) fn call_remote(&mut self, problem: Option<String>) {
        let Some(hub) = &self.hub else { return };
        if self.vm.assist.phase.open() {
            return;
        }
        let wanted = HelpWanted {
            hall: self.settings.hall.get(Lang::Zh).to_string(),
            screen: self.vm.screen.name().to_string(),
            problem,
            lang: self.vm.lang,
        };
        self.link.opened += 1;
        self.link.reset();
        self.link.link = Some(Link::open(hub, self.link.opened));
        self.link.wanted = Some(wanted);
        self.vm.assist = crate::assist::Status {
            phase: Phase::Calling,
            ..Default::default()
        };
        self.link.calling_since = Some(self.now);
    }

    pub(super) fn assist(&mut self, message: A) -> Task<Message> {
        let phase = self.vm.assist.phase;
        match message {
            A::Call => return self.call_staff(String::new()),
            A::Cancel if phase == Phase::Calling => {
                self.close_link(FromTerminal::Cancel, "cancelled")
            }
            A::AllowView if phase == Phase::AskView => {
                self.vm.assist.phase = Phase::Viewing;
                self.send(FromTerminal::Consent { allowed: true });
                self.audit("consented", None);
            }
            A::DenyView if phase == Phase::AskView => {
                self.audit("declined", None);
                self.close_link(FromTerminal::Consent { allowed: false }, "declined");
            }
            A::AllowControl if phase == Phase::AskControl => {
                self.vm.assist.phase = Phase::Control;
                self.send(FromTerminal::Control { allowed: true });
                self.audit("control_granted", None);
            }
            A::DenyControl if phase == Phase::AskControl => {
                self.vm.assist.phase = Phase::Viewing;
                self.send(FromTerminal::Control { allowed: false });
                self.audit("control_refused", None);
            }
            A::TakeBack if phase == Phase::Control => {
                self.vm.assist.phase = Phase::Viewing;
                self.send(FromTerminal::Control { allowed: false });
                self.audit("control_taken_back", None);
            }
            A::End if phase.open() => {
                self.close_link(FromTerminal::End { by: Ended::Citizen }, "citizen")
            }
            A::Dismiss => {
                self.vm.assist.message = None;
                if phase == Phase::Unreachable {
                    self.vm.assist = Default::default();
                }
            }
            _ => {}
        }
        Task::none()
    }

    /// Ends remote guidance from this side with `last` (also when the citizen's session ends).
    pub(super) fn close_link(&mut self, last: FromTerminal, how: &str) {
        if !self.vm.assist.phase.open() {
            self.vm.assist = Default::default();
            return;
        }
        if self.link.session.is_some() {
            self.audit("ended", Some(how.to_string()));
        }
        if let Some(link) = self.link.link.take() {
            link.close(&[last]);
        }
        self.link.reset();
        self.vm.assist = Default::default();
    }

    fn send(&self, message: FromTerminal) {
        if let Some(link) = &self.link.link {
            link.send(&message);
        }
    }

    fn audit(&self, step: &str, detail: Option<String>) {
        let Some(session) = self.link.session.clone() else {
            return;
        };
        let audit = Audit {
            session,
            step: step.to_string(),
            staff: self.vm.assist.staff.clone(),
            citizen: self
                .core
                .identity()
                .map(|identity| identity.masked_id_number()),
            detail,
        };
        let services = self.services.clone();
        // The outbox's write is quick, but not the interface's to wait for.
        let spawned = std::thread::Builder::new()
            .name("assist-audit".into())
            .spawn(move || services.audit(&audit));
        if let Err(error) = spawned {
            tracing::error!(%error, "cannot record a remote-guidance step");
        }
    }

    /// What the link reports; events of a link closed since are dropped.
    pub(super) fn link_event(&mut self, id: u64, event: LinkEvent) -> Task<Message> {
        if self.link.link.as_ref().map(|link| link.id) != Some(id) {
            return Task::none();
        }
        match event {
            LinkEvent::Up => {
                self.link.reached = true;
                self.vm.assist.reconnecting = false;
                match (&self.link.session, &self.link.wanted) {
                    (Some(session), _) => self.send(FromTerminal::Resume {
                        session: session.clone(),
                    }),
                    (None, Some(wanted)) => self.send(FromTerminal::Request(wanted.clone())),
                    (None, None) => {}
                }
            }
            LinkEvent::Down => {
                if !self.link.reached {
                    // Never got through: staff are at the desk.
                    if let Some(link) = self.link.link.take() {
                        link.close(&[]);
                    }
                    self.link.reset();
                    self.vm.assist = crate::assist::Status {
                        phase: Phase::Unreachable,
                        ..Default::default()
                    };
                } else {
                    // A dropped connection ends control; viewing resumes with the connection.
                    if self.vm.assist.phase == Phase::Control {
                        self.vm.assist.phase = Phase::Viewing;
                        self.audit("control_ended", Some("connection dropped".into()));
                    }
                    self.vm.assist.reconnecting = true;
                }
            }
            LinkEvent::Received(message) => return self.staff_said(message),
        }
        Task::none()
    }

    fn staff_said(&mut self, message: ToTerminal) -> Task<Message> {
        let phase = self.vm.assist.phase;
        match message {
            ToTerminal::Queued { session } => {
                self.link.session = Some(session);
                self.audit(
                    "requested",
                    self.link.wanted.as_ref().map(|w| w.screen.clone()),
                );
            }
            ToTerminal::Resumed { staff } => {
                if staff.is_some() && phase.sharing() {
                    // Staff see the screen again once it is sent again.
                    self.send(FromTerminal::Consent { allowed: true });
                    self.link.sent = None;
                }
            }
            ToTerminal::Accepted { staff } if phase == Phase::Calling => {
                self.vm.assist.staff = Some(staff);
                self.vm.assist.phase = Phase::AskView;
                self.audit("accepted", None);
            }
            ToTerminal::Point { frame, item } => {
                if !phase.sharing() {
                    self.refuse(Refusal::NoConsent);
                } else if let Some(target) = self.item(frame, item) {
                    self.vm.assist.pointed = Some(target.bounds);
                    self.audit("pointed", Some(target.text));
                } else {
                    self.refuse(Refusal::ScreenChanged);
                }
            }
            ToTerminal::Say { text } if phase.sharing() => {
                let text: String = text.chars().take(kiosk_proto::assist::MAX_SAY).collect();
                if let (Some(voice), true) = (
                    &self.speech.voice,
                    self.settings.voice.speaks(self.vm.elder),
                ) {
                    voice.say(self.vm.lang, &text);
                }
                self.audit("said", Some(text.clone()));
                self.vm.assist.message = Some(text);
            }
            ToTerminal::AskControl if phase == Phase::Viewing => {
                self.vm.assist.phase = Phase::AskControl;
                self.audit("control_asked", None);
            }
            ToTerminal::ReleaseControl if phase == Phase::Control => {
                self.vm.assist.phase = Phase::Viewing;
                self.send(FromTerminal::Control { allowed: false });
                self.audit("control_released", None);
            }
            ToTerminal::Tap { frame, item } => return self.remote_tap(frame, item),
            ToTerminal::Type { text } => return self.remote_type(&text),
            ToTerminal::Ended { by } => {
                if phase.open() {
                    self.audit("ended", Some(wire_name(by)));
                    if let Some(link) = self.link.link.take() {
                        link.close(&[]);
                    }
                    self.link.reset();
                    let staff_left = self.vm.assist.staff.is_some();
                    self.vm.assist = Default::default();
                    if staff_left {
                        self.vm.assist.message = Some(
                            self.env()
                                .t(Words::Assist(crate::ui::i18n::AssistWords::Ended))
                                .into(),
                        );
                    }
                }
            }
            ToTerminal::Say { .. } => self.refuse(Refusal::NoConsent),
            // Out of turn (an answer the citizen has since overtaken): nothing to do.
            ToTerminal::Accepted { .. } | ToTerminal::AskControl | ToTerminal::ReleaseControl => {}
        }
        Task::none()
    }

    fn refuse(&self, why: Refusal) {
        self.send(FromTerminal::Refused { why });
    }

    /// The item `item` of mirror `frame`, if that is the mirror showing; a shape named by the texts drawn
    /// inside it (as mirrored, masked), for the audit.
    fn item(&self, frame: u64, item: u32) -> Option<kiosk_proto::assist::Item> {
        let sent = self.link.sent.as_ref().filter(|sent| sent.frame == frame)?;
        let mut found = sent.items.get(item as usize).cloned()?;
        if found.text.is_empty() && found.shape.is_some() {
            found.text = kiosk_proto::assist::words_inside(&sent.items, found.bounds);
        }
        Some(found)
    }

    /// Staff tap an item: the tap goes through the real widgets, as the citizen's finger would.
    fn remote_tap(&mut self, frame: u64, item: u32) -> Task<Message> {
        if self.vm.assist.phase != Phase::Control {
            self.refuse(Refusal::NoControl);
            return Task::none();
        }
        let Some(target) = self.item(frame, item) else {
            self.refuse(Refusal::ScreenChanged);
            return Task::none();
        };
        let [x, y, w, h] = target.bounds;
        let messages = {
            let mut ui = crate::ui::drive::simulator(self);
            ui.point_at(iced::Point::new(
                x as f32 + w as f32 / 2.0,
                y as f32 + h as f32 / 2.0,
            ));
            let _ = ui.simulate(iced_test::simulator::click());
            ui.into_messages().collect::<Vec<_>>()
        };
        // Keys into a personal field are the citizen's alone, and so are the answers to remote guidance.
        if messages.iter().any(|m| self.personal_key(m)) {
            self.refuse(Refusal::PersonalField);
            return Task::none();
        }
        let messages: Vec<Message> = messages
            .into_iter()
            .filter(|m| !matches!(m, Message::Assist(_)))
            .collect();
        self.audit("tapped", Some(target.text));
        self.vm.assist.pointed = None;
        self.as_guide(messages)
    }

    /// Carries out `messages` as the guide helping now (a field they fill is marked theirs).
    pub(crate) fn as_guide(&mut self, messages: Vec<Message>) -> Task<Message> {
        self.helping = self
            .vm
            .assist
            .staff
            .as_ref()
            .map(|staff| format!("{} {}", staff.name, staff.number));
        let task = Task::batch(messages.into_iter().map(|m| self.update(m)));
        self.helping = None;
        task
    }

    /// Staff type into the field being filled: never a personal one.
    fn remote_type(&mut self, typed: &str) -> Task<Message> {
        if self.vm.assist.phase != Phase::Control {
            self.refuse(Refusal::NoControl);
            return Task::none();
        }
        let key = crate::input::Key::Typed(typed.to_string());
        let messages: Vec<Message> = match &self.vm.screen {
            Screen::Progress(state) if state.typing() => {
                vec![Message::Progress(progress::Message::Key(key))]
            }
            Screen::Guide(state) if state.searching() => {
                vec![Message::Guide(guide::Message::Key(key))]
            }
            Screen::Apply(state) if state.typing() => {
                vec![Message::Apply(apply::Message::Key(key))]
            }
            _ => {
                self.refuse(Refusal::NoField);
                return Task::none();
            }
        };
        if messages.iter().any(|m| self.personal_key(m)) {
            self.refuse(Refusal::PersonalField);
            return Task::none();
        }
        // Which field, when it is an application's (帮办代办: the audit says who filled what).
        let field = match (&self.vm.screen, messages.first()) {
            (Screen::Apply(state), Some(Message::Apply(message))) => {
                state.field_of(message).map(|f| format!("{}: ", f.id))
            }
            _ => None,
        };
        self.audit(
            "typed",
            Some(format!(
                "{}{} characters",
                field.unwrap_or_default(),
                typed.chars().count()
            )),
        );
        self.as_guide(messages)
    }

    /// Whether `message` would put a character into a personal field.
    fn personal_key(&self, message: &Message) -> bool {
        match (&self.vm.screen, message) {
            (Screen::Progress(state), Message::Progress(progress::Message::Key(_))) => {
                state.field == progress::Field::Last6
            }
            // 帮办代办: a guide may fill a field that is not personal; the rest of an application is the
            // citizen's own: the notice agreed to, the signature, the submission, every personal value.
            (
                Screen::Apply(state),
                Message::Apply(message @ (apply::Message::Key(_) | apply::Message::Pick(..))),
            ) => !state
                .field_of(message)
                .is_some_and(kiosk_proto::application::FieldSpec::staff_may_fill),
            (
                Screen::Apply(_),
                Message::Apply(
                    apply::Message::Stroke(..)
                    | apply::Message::ClearSignature
                    | apply::Message::Agree
                    | apply::Message::Submit
                    | apply::Message::Deliver(_),
                ),
            ) => true,
            _ => false,
        }
    }

    /// The screen's texts as staff may see them: every personal value masked.
    pub fn masked_items(&self) -> Vec<kiosk_proto::assist::Item> {
        let size = self.look().viewport;
        let captured = {
            let mut ui = crate::ui::drive::simulator(self);
            crate::ui::assist::capture(&mut ui, size)
        };
        let mut items = captured.items;
        self.personal_values()
            .mask_items(&mut items, &captured.personal);
        items
    }

    /// After every change while the citizen allows viewing: the masked picture of the screen, sent when it
    /// differs from the last one sent.
    pub(super) fn share(&mut self) {
        if !self.vm.assist.phase.sharing() || self.link.link.is_none() {
            return;
        }
        let size = self.look().viewport;
        let items = self.masked_items();
        let finger = self.finger_at.and_then(|at| {
            items
                .iter()
                .rposition(|item| {
                    let [x, y, w, h] = item.bounds;
                    at.x >= x as f32
                        && at.x <= (x + w) as f32
                        && at.y >= y as f32
                        && at.y <= (y + h) as f32
                })
                .map(|i| i as u32)
        });
        let mirror = Mirror {
            frame: self.link.frame,
            screen: self.vm.screen.name().to_string(),
            lang: self.vm.lang,
            elder: self.vm.elder,
            width: size.width.round() as u32,
            height: size.height.round() as u32,
            items,
            finger,
            control: self.vm.assist.phase == Phase::Control,
        };
        if let Some(sent) = &self.link.sent {
            let same_picture = Mirror {
                frame: sent.frame,
                finger: sent.finger,
                ..mirror.clone()
            } == *sent;
            if same_picture {
                if sent.finger != finger {
                    let frame = sent.frame;
                    self.send(FromTerminal::Finger {
                        frame,
                        item: finger,
                    });
                    if let Some(sent) = &mut self.link.sent {
                        sent.finger = finger;
                    }
                }
                return;
            }
            // A new picture: what staff pointed at on the old one no longer applies.
            self.vm.assist.pointed = None;
        }
        let mut mirror = mirror;
        // Too large for one frame (a very long list): the texts that fit, in drawing order.
        while kiosk_proto::assist::frame(&FromTerminal::Mirror(mirror.clone())).len()
            > kiosk_proto::assist::MAX_FRAME
            && !mirror.items.is_empty()
        {
            let keep = mirror.items.len() * 3 / 4;
            mirror.items.truncate(keep);
        }
        self.link.frame += 1;
        self.send(FromTerminal::Mirror(mirror.clone()));
        self.link.sent = Some(mirror);
    }

    /// The session's personal values, whole, to mask wherever they appear.
    fn personal_values(&self) -> crate::assist::mask::Personal {
        let mut personal = crate::assist::mask::Personal::default();
        if let Some(identity) = self.core.identity() {
            personal.add(identity.display_name());
            personal.add(identity.id_number.as_str());
            for address in [&identity.address, &identity.appended_address]
                .into_iter()
                .flatten()
            {
                personal.add(address);
            }
        }
        if let Screen::Progress(state) = &self.vm.screen {
            personal.add(state.last6());
        }
        personal
    }

    /// Shows remote guidance in `status` (`kiosk shot`'s presets; the link is untouched).
    pub fn set_assist(&mut self, status: crate::assist::Status) {
        self.vm.assist = status;
    }

    /// The hub's id of the remote-guidance session under way.
    pub fn assist_session(&self) -> Option<&str> {
        self.link.session.as_deref()
    }

    /// The link whose events the interface (or a test) should take.
    pub fn link(&self) -> Option<&Link> {
        self.link.link.as_ref()
    }
}

/// How `by` is named on the wire (`citizen`, `staff_left`, …).
fn wire_name(by: Ended) -> String {
    serde_json::to_value(by)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}
