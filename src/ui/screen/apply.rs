//! 自助申报: the service chosen (or come from its guide page), what is collected and why with "agree", the
//! form prefilled from the card with only the rest to fill (each failed check said next to its field),
//! the materials (e-licences found in the library; pages photographed on the document camera), the
//! signature, the delivery, one page to check everything with a way back to each part, then the receipt.
//! The draft is personal: it is kept out of the view model (the mirror sees which field, never what), and
//! wiped with the screen.

use std::sync::Arc;

use iced::widget::{
    button, column, container, image, qr_code, row, scrollable, space, text, Column, Row,
};
use iced::{Alignment, Length};
use kiosk_proto::application::{Date, Delivery, FieldKind, FieldSpec, MaterialSource};
use serde::Serialize;

use crate::device::camera::page::Captured;
use crate::device::camera::CaptureProblem;
use crate::domain::application::{Draft, Material, Page};
use crate::domain::LocalText;
use crate::input::{Entry, Key, Kind};
use crate::journey::{Failure, PhonePages, Submitted};
use crate::printing::job::Verdict;
use crate::ui::i18n::{ApplyPrompt, ApplyWords, Part, Prompt, Words};
use crate::ui::screen::help;
use crate::ui::screen::rating::{self, Subject};
use crate::ui::widget::entry;
use crate::ui::{fonts, Element, Env};

#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum Step {
    /// Which service (from the home tile).
    Choose,
    Notice,
    Form,
    Materials,
    Signature,
    Delivery,
    Review,
    Submitting,
    Done,
    Problem(Failure),
}

/// What is being typed or chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Target {
    /// A field of the form, by its index.
    Field(usize),
    Ems(EmsField),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum EmsField {
    Recipient,
    Phone,
    Address,
    Postcode,
}

/// Where the e-licence library's answer stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Library {
    NotAsked,
    Looking,
    Answered,
}

/// A phone upload page open for one material.
#[derive(Debug, Clone, Serialize)]
pub struct PhoneUpload {
    pub material: String,
    /// The page's one-time token (never shown but in the QR code).
    #[serde(skip)]
    token: String,
    #[serde(skip)]
    qr: Option<Arc<qr_code::Data>>,
    /// Photos received so far.
    pub received: usize,
    /// A look at what arrived is under way.
    pub polling: bool,
    pub done: bool,
    pub expired: bool,
}

/// The application taken: its number, whether the hub has it, and the receipt's printing.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Done {
    pub number: String,
    pub sent: bool,
    /// The hub refused it for good: the citizen is sent to a counter.
    pub refused: bool,
    /// None while the receipt prints.
    pub printed: Option<Verdict>,
    /// A 补正 was taken (its receipt's own number).
    pub supplement: bool,
    #[serde(skip)]
    pub receipt: crate::domain::document::Document,
}

#[derive(Serialize)]
pub struct State {
    pub step: Step,
    pub service_id: Option<String>,
    pub service: Option<LocalText>,
    #[serde(skip)]
    draft: Option<Box<Draft>>,
    /// What is being typed or chosen (never its value).
    pub target: Option<Target>,
    #[serde(skip)]
    entry: Option<Box<Entry>>,
    pub library: Library,
    /// The material being photographed.
    pub capturing: Option<String>,
    /// The last photograph that failed, and why.
    pub capture_problem: Option<(String, CaptureProblem)>,
    /// Whether the document camera can be used now.
    pub camera: bool,
    /// The pages' previews, by material.
    #[serde(skip)]
    previews: Vec<(String, image::Handle)>,
    /// The camera's live picture while materials are photographed (refreshed about once a second).
    #[serde(skip)]
    live: Option<image::Handle>,
    /// A live picture is being taken.
    #[serde(skip)]
    pub looking: bool,
    /// The phone upload page open for a material.
    pub phone: Option<PhoneUpload>,
    /// The last phone upload that could not be opened, and for which material.
    pub phone_failed: Option<String>,
    /// The signature's strokes as the pad draws them.
    #[serde(skip)]
    drawn: Vec<crate::input::zinnia::Stroke>,
    /// What keeps the current part from going on (a material missing, no signature, the delivery).
    #[serde(skip)]
    pub blocked: Option<ApplyWords>,
    pub done: Option<Done>,
    /// Parts shown, in order (a form without materials or signature skips them).
    pub parts: Vec<Part>,
    /// The session the phone's page is bound to.
    #[serde(skip)]
    session: String,
    /// The step the review's "change" came from: back there after the change.
    pub reviewing: bool,
}

impl std::fmt::Debug for State {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("apply::State")
            .field("step", &self.step)
            .field("service", &self.service_id)
            .field("target", &self.target)
            .finish()
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Message {
    Choose(String),
    Agree,
    Disagree,
    Edit(Target),
    Key(Key),
    Pick(usize, String),
    Next,
    GoTo(Part),
    Capture(String),
    /// Open a phone upload page for this material.
    Phone(String),
    ClosePhone,
    DeletePage(String, usize),
    Stroke(Vec<(f32, f32, u32)>, f32),
    ClearSignature,
    Deliver(Delivery),
    Submit,
    Reprint,
    Rate(u8),
    Retry,
    CallStaff,
    Home,
    Finish,
}

/// What the application screen asks of the router.
#[derive(Debug, Clone)]
pub enum Event {
    /// Start the draft of this service for the signed-in holder.
    Begin(String),
    /// Ask the e-licence library for the holder's licences.
    Library,
    /// Photograph a page of this material.
    Capture(String),
    /// Open a phone upload page.
    Phone(kiosk_proto::application::UploadRequest),
    Submit(Box<Draft>),
    /// Print this receipt (again).
    Print(crate::domain::document::Document),
    Rate(Subject, u8),
    CallStaff(String),
    Home,
    Finish,
}

/// What the screen needs from the root to update.
pub struct Context<'a> {
    pub today: Date,
    /// A new field of a kind and a length.
    pub entry: &'a dyn Fn(Kind, usize) -> Entry,
}

/// The keyboard a field's kind takes.
fn kind_of(kind: FieldKind) -> Kind {
    match kind {
        FieldKind::Text | FieldKind::Address | FieldKind::Choice => Kind::Text,
        FieldKind::Digits | FieldKind::Phone | FieldKind::Postcode | FieldKind::Date => {
            Kind::Digits
        }
        FieldKind::IdNumber => Kind::IdNumber,
        FieldKind::CreditCode => Kind::CaseNumber,
    }
}

impl State {
    /// The journey from the home tile: choose a service first.
    pub fn choose(camera: bool) -> State {
        State {
            step: Step::Choose,
            service_id: None,
            service: None,
            draft: None,
            target: None,
            entry: None,
            library: Library::NotAsked,
            capturing: None,
            capture_problem: None,
            camera,
            previews: Vec::new(),
            live: None,
            looking: false,
            phone: None,
            phone_failed: None,
            drawn: Vec::new(),
            blocked: None,
            done: None,
            parts: Vec::new(),
            reviewing: false,
            session: String::new(),
        }
    }

    /// The journey for a service whose draft the router made: its notice first.
    pub fn begin(draft: Draft, camera: bool) -> State {
        let mut state = State::choose(camera);
        state.start(draft);
        state
    }

    /// The session the journey runs in (a phone's page is bound to it).
    pub fn in_session(mut self, session: String) -> State {
        self.session = session;
        self
    }

    fn start(&mut self, draft: Draft) {
        // A 补正 shows only the parts its items are in, and keeps the delivery chosen at first.
        let supplement = draft.completes.is_some();
        let mut parts = Vec::new();
        if !(supplement && draft.form.fields.is_empty()) {
            parts.push(Part::Form);
        }
        if !draft.form.materials.is_empty() {
            parts.push(Part::Materials);
        }
        if draft.form.signature {
            parts.push(Part::Signature);
        }
        if !supplement {
            parts.push(Part::Delivery);
        }
        parts.push(Part::Review);
        self.parts = parts;
        self.service_id = Some(draft.service_id.clone());
        self.service = Some(draft.service.clone());
        self.draft = Some(Box::new(draft));
        self.step = Step::Notice;
    }

    /// The router made the draft for the service chosen.
    pub fn drafted(&mut self, draft: Draft) {
        self.start(draft);
    }

    pub fn draft(&self) -> Option<&Draft> {
        self.draft.as_deref()
    }

    /// The device states changed: whether the camera can be used.
    pub fn camera(&mut self, usable: bool) {
        self.camera = usable;
    }

    /// Whether a keyboard is showing (remote guidance sees that a field is typed, never what).
    pub fn typing(&self) -> bool {
        self.entry.is_some()
    }

    /// The field a message would fill: the one being typed for a key, the one chosen for a pick.
    pub fn field_of(&self, message: &Message) -> Option<&FieldSpec> {
        match message {
            Message::Key(_) => self.typed_field(),
            Message::Pick(index, _) => self.draft.as_ref()?.form.fields.get(*index),
            _ => None,
        }
    }

    /// The form's field the keyboard is open on (none: nothing, or an EMS detail).
    fn typed_field(&self) -> Option<&FieldSpec> {
        match (self.target, &self.draft) {
            (Some(Target::Field(index)), Some(draft)) => draft.form.fields.get(index),
            _ => None,
        }
    }

    /// Whether a guide helping remotely may type into the field open now (帮办代办: not a personal one).
    pub fn staff_may_type(&self) -> bool {
        self.entry.is_some() && self.typed_field().is_some_and(FieldSpec::staff_may_fill)
    }

    /// After `message` filled a field: a guide's name when a guide filled it, none when the citizen did
    /// (what the citizen changes is theirs).
    pub fn filled(&mut self, message: &Message, by: Option<&str>) {
        let Some(id) = self.field_of(message).map(|f| f.id.clone()) else {
            return;
        };
        if let Some(draft) = &mut self.draft {
            draft.fill_by(&id, by);
        }
    }

    /// Whether the application is being taken or its receipt printed: seen to its end on screen.
    pub fn busy(&self) -> bool {
        self.step == Step::Submitting
            || self
                .done
                .as_ref()
                .is_some_and(|done| done.printed.is_none())
    }

    pub fn update(&mut self, message: Message, ctx: &Context<'_>) -> Option<Event> {
        self.blocked = None;
        match message {
            Message::Choose(service) => return Some(Event::Begin(service)),
            Message::Agree if self.step == Step::Notice => {
                let first = self.parts.first().copied().unwrap_or(Part::Form);
                self.show(first, ctx);
                if self.library == Library::NotAsked && self.needs_library() {
                    self.library = Library::Looking;
                    return Some(Event::Library);
                }
            }
            Message::Agree => {}
            Message::Disagree => return Some(Event::Home),
            Message::Edit(target) => self.edit(Some(target), ctx),
            Message::Key(key) => self.key(key),
            Message::Pick(index, value) => {
                let draft = self.draft.as_mut()?;
                let id = draft.form.fields.get(index)?.id.clone();
                draft.set(&id, &value);
                draft.check(&id, ctx.today);
                // On to the next field still empty.
                let next = draft
                    .form
                    .fields
                    .iter()
                    .enumerate()
                    .skip(index + 1)
                    .find(|(_, f)| f.required && draft.editable(f) && draft.value(&f.id).is_empty())
                    .map(|(i, _)| Target::Field(i));
                self.edit(next, ctx);
            }
            Message::Next => return self.next(ctx),
            Message::GoTo(part) => {
                self.commit(ctx);
                self.reviewing = true;
                self.show(part, ctx);
            }
            Message::Capture(material) if self.capturing.is_none() => {
                self.capture_problem = None;
                self.capturing = Some(material.clone());
                return Some(Event::Capture(material));
            }
            Message::Capture(_) => {}
            Message::Phone(material) => {
                let draft = self.draft.as_ref()?;
                let spec = draft.material_spec(&material)?;
                self.phone_failed = None;
                let request = kiosk_proto::application::UploadRequest {
                    session: self.session.clone(),
                    material: material.clone(),
                    title: spec.title.clone(),
                    max_pages: spec.max_pages,
                };
                self.phone = None;
                return Some(Event::Phone(request));
            }
            Message::ClosePhone => self.phone = None,
            Message::DeletePage(material, index) => {
                if let Some(draft) = &mut self.draft {
                    draft.remove_page(&material, index);
                }
                let mut seen = 0;
                self.previews.retain(|(m, _)| {
                    let keep = *m != material || seen != index;
                    if *m == material {
                        seen += 1;
                    }
                    keep
                });
            }
            Message::Stroke(points, width) => {
                if let Some(draft) = &mut self.draft {
                    let signature = &mut draft.signature;
                    signature.width = width.round() as u32;
                    signature.height = (width * SIGNATURE_RATIO).round() as u32;
                    self.drawn
                        .push(points.iter().map(|&(x, y, _)| (x, y)).collect());
                    signature.strokes.push(
                        points
                            .into_iter()
                            .map(|(x, y, t)| (x.round() as i32, y.round() as i32, t))
                            .collect(),
                    );
                }
            }
            Message::ClearSignature => {
                if let Some(draft) = &mut self.draft {
                    draft.signature.strokes.clear();
                }
                self.drawn.clear();
            }
            Message::Deliver(way) => {
                if let Some(draft) = &mut self.draft {
                    draft.delivery = Some(way);
                }
                self.edit(
                    (way == Delivery::Ems).then_some(Target::Ems(EmsField::Phone)),
                    ctx,
                );
            }
            Message::Submit if self.step == Step::Review => {
                self.commit(ctx);
                let draft = self.draft.as_ref()?;
                self.step = Step::Submitting;
                return Some(Event::Submit(draft.clone()));
            }
            Message::Submit => {}
            Message::Reprint => {
                let done = self.done.as_mut()?;
                if done.printed.is_some() {
                    done.printed = None;
                    return Some(Event::Print(done.receipt.clone()));
                }
            }
            Message::Rate(level) => {
                let done = self.done.as_ref()?;
                return Some(Event::Rate(
                    Subject {
                        service: self.service_id.clone().unwrap_or_default(),
                        case_no: Some(done.number.clone()),
                    },
                    level,
                ));
            }
            Message::Retry => {
                if matches!(self.step, Step::Problem(_)) {
                    self.step = Step::Review;
                }
            }
            Message::CallStaff => {
                let problem = match &self.step {
                    Step::Problem(failure) => format!("{failure:?}"),
                    step => format!("{step:?}"),
                };
                return Some(Event::CallStaff(problem));
            }
            Message::Home => return (!self.busy()).then_some(Event::Home),
            Message::Finish => return (!self.busy()).then_some(Event::Finish),
        }
        None
    }

    fn needs_library(&self) -> bool {
        self.draft.as_ref().is_some_and(|d| {
            d.form
                .materials
                .iter()
                .any(|m| m.sources.contains(&MaterialSource::Elicence))
        })
    }

    /// The first field the citizen has to fill (none prefilled), selected.
    fn first_field(&mut self, ctx: &Context<'_>) {
        let first = self.draft.as_ref().and_then(|draft| {
            let empty = |f: &&FieldSpec| draft.editable(f) && draft.value(&f.id).is_empty();
            let fields = &draft.form.fields;
            // A required field first; an optional one only when nothing required is left.
            fields
                .iter()
                .position(|f| f.required && empty(&f))
                .or_else(|| fields.iter().position(|f| empty(&f)))
        });
        self.edit(first.map(Target::Field), ctx);
    }

    /// Moves the keyboard to `target`, keeping what was typed where it was.
    fn edit(&mut self, target: Option<Target>, ctx: &Context<'_>) {
        self.commit(ctx);
        self.target = target;
        self.entry = None;
        let Some(draft) = &self.draft else { return };
        let (kind, limit, value) = match target {
            Some(Target::Field(index)) => {
                let Some(field) = draft.form.fields.get(index) else {
                    return;
                };
                if field.kind == FieldKind::Choice || !draft.editable(field) {
                    return;
                }
                let limit = field.max_len.unwrap_or(60).min(200) as usize;
                let limit = if field.kind == FieldKind::Date {
                    8
                } else {
                    limit
                };
                let value = draft.value(&field.id);
                // A date typed as its eight digits.
                let value = if field.kind == FieldKind::Date {
                    value.replace('-', "")
                } else {
                    value.to_string()
                };
                (kind_of(field.kind), limit, value)
            }
            Some(Target::Ems(which)) => {
                let ems = &draft.ems;
                match which {
                    EmsField::Recipient => (Kind::Text, 20, ems.recipient.clone()),
                    EmsField::Phone => (Kind::Digits, 11, ems.phone.clone()),
                    EmsField::Address => (Kind::Text, 80, ems.address.clone()),
                    EmsField::Postcode => (Kind::Digits, 6, ems.postcode.clone()),
                }
            }
            None => return,
        };
        let mut entry = (ctx.entry)(kind, limit);
        entry.set_text(&value);
        self.entry = Some(Box::new(entry));
    }

    /// What is typed in the open field, into the draft and checked.
    fn commit(&mut self, ctx: &Context<'_>) {
        let (Some(draft), Some(entry), Some(target)) = (&mut self.draft, &self.entry, self.target)
        else {
            return;
        };
        match target {
            Target::Field(index) => {
                if let Some(id) = draft.form.fields.get(index).map(|f| f.id.clone()) {
                    draft.set(&id, &entry.text);
                    if !entry.text.is_empty() {
                        draft.check(&id, ctx.today);
                    }
                }
            }
            Target::Ems(which) => {
                let ems = &mut draft.ems;
                let slot = match which {
                    EmsField::Recipient => &mut ems.recipient,
                    EmsField::Phone => &mut ems.phone,
                    EmsField::Address => &mut ems.address,
                    EmsField::Postcode => &mut ems.postcode,
                };
                *slot = entry.text.clone();
            }
        }
    }

    fn key(&mut self, key: Key) {
        if let Some(entry) = &mut self.entry {
            entry.press(key);
        }
    }

    /// The text-entry engines answered the open field.
    pub fn input(&mut self, reply: &crate::input::Reply) {
        if let Some(entry) = &mut self.entry {
            entry.reply(reply);
        }
    }

    fn show(&mut self, part: Part, ctx: &Context<'_>) {
        self.step = match part {
            Part::Form => Step::Form,
            Part::Materials => Step::Materials,
            Part::Signature => Step::Signature,
            Part::Delivery => Step::Delivery,
            Part::Review => Step::Review,
        };
        match part {
            Part::Form => self.first_field(ctx),
            Part::Delivery => {
                let ems = self.draft.as_ref().and_then(|d| d.delivery) == Some(Delivery::Ems);
                self.edit(ems.then_some(Target::Ems(EmsField::Phone)), ctx);
            }
            _ => self.edit(None, ctx),
        }
    }

    fn part(&self) -> Option<Part> {
        Some(match self.step {
            Step::Form => Part::Form,
            Step::Materials => Part::Materials,
            Step::Signature => Part::Signature,
            Step::Delivery => Part::Delivery,
            Step::Review => Part::Review,
            _ => return None,
        })
    }

    /// On from the current part when it is complete; otherwise what is missing is said where it is.
    fn next(&mut self, ctx: &Context<'_>) -> Option<Event> {
        self.commit(ctx);
        let part = self.part()?;
        let draft = self.draft.as_mut()?;
        match part {
            Part::Form if !draft.check_all(ctx.today) => {
                let first = draft
                    .form
                    .fields
                    .iter()
                    .position(|f| draft.problem(&f.id).is_some_and(|p| p.blocks()));
                self.edit(first.map(Target::Field), ctx);
                return None;
            }
            Part::Materials if draft.material_missing().is_some() => {
                self.blocked = Some(ApplyWords::MaterialMissing);
                return None;
            }
            Part::Signature if draft.signature.is_empty() => {
                self.blocked = Some(ApplyWords::SignFirst);
                return None;
            }
            Part::Delivery if draft.delivery_problem().is_some() => {
                self.blocked = Some(ApplyWords::Step(Part::Delivery));
                return None;
            }
            _ => {}
        }
        let next = if self.reviewing {
            Part::Review
        } else {
            let at = self.parts.iter().position(|p| *p == part)?;
            *self.parts.get(at + 1)?
        };
        self.show(next, ctx);
        None
    }

    /// Back one part; false: leave the journey.
    pub fn back(&mut self, ctx: &Context<'_>) -> bool {
        if self.busy() || self.step == Step::Done {
            return false;
        }
        match self.part() {
            Some(part) => {
                let at = self.parts.iter().position(|p| *p == part).unwrap_or(0);
                if at == 0 {
                    self.commit(ctx);
                    self.step = Step::Notice;
                    self.entry = None;
                    self.target = None;
                } else {
                    self.reviewing = false;
                    self.show(self.parts[at - 1], ctx);
                }
                true
            }
            None => false,
        }
    }

    /// The library's answer (or why there is none). True when it filled the field the keyboard is open on
    /// before the citizen typed there: the caller moves the keyboard on ([`State::refocus`]), since the
    /// empty entry must not overwrite the value.
    pub fn library(
        &mut self,
        answer: Result<crate::domain::application::Library, Failure>,
    ) -> bool {
        if self.library != Library::Looking {
            return false;
        }
        self.library = Library::Answered;
        let Some(draft) = &mut self.draft else {
            return false;
        };
        match &answer {
            Ok(library) => draft.library(Ok(library)),
            Err(_) => draft.library(Err(())),
        }
        let filled = match (self.target, &self.entry) {
            (Some(Target::Field(index)), Some(entry)) => {
                entry.text.is_empty()
                    && draft
                        .form
                        .fields
                        .get(index)
                        .is_some_and(|f| !draft.value(&f.id).is_empty())
            }
            _ => false,
        };
        if filled {
            self.entry = None;
            self.target = None;
        }
        filled
    }

    /// Opens the keyboard on the first field still to fill.
    pub fn refocus(&mut self, ctx: &Context<'_>) {
        if self.step == Step::Form {
            self.first_field(ctx);
        }
    }

    /// Whether a live picture is wanted now (materials to photograph on screen, the camera free): marks one
    /// as under way.
    pub fn want_live(&mut self) -> bool {
        // Looked at also while it is out of order: a camera plugged in again is seen within a second.
        let wanted = self.step == Step::Materials
            && self.capturing.is_none()
            && !self.looking
            && self.draft.as_ref().is_some_and(|d| {
                d.materials.iter().any(|(id, m)| {
                    matches!(m, Material::Pages { .. })
                        && d.material_spec(id)
                            .is_some_and(|s| s.sources.contains(&MaterialSource::Capture))
                })
            });
        if wanted {
            self.looking = true;
        }
        wanted
    }

    /// The camera's live picture (none: it gave no frame).
    pub fn live(&mut self, frame: Option<crate::device::camera::Frame>) {
        if !std::mem::replace(&mut self.looking, false) {
            return;
        }
        self.live = frame.as_ref().map(grey_picture);
    }

    /// A photograph came back: its page is added, or the problem said under the material.
    pub fn captured(&mut self, material: &str, result: Result<Captured, CaptureProblem>) {
        if self.capturing.as_deref() != Some(material) {
            return;
        }
        self.capturing = None;
        match result {
            Ok(captured) => {
                let preview = captured.preview;
                let added = self.draft.as_mut().is_some_and(|draft| {
                    draft.add_page(material, MaterialSource::Capture, Page(captured.jpeg))
                });
                if added {
                    self.previews
                        .push((material.to_string(), grey_picture(&preview)));
                }
            }
            Err(problem) => self.capture_problem = Some((material.to_string(), problem)),
        }
    }

    /// The phone's page was opened (its full address for the QR code), or could not be.
    pub fn phone_opened(
        &mut self,
        material: &str,
        answer: Result<(String, kiosk_proto::application::UploadTicket), Failure>,
    ) {
        match answer {
            Ok((url, ticket)) => {
                self.phone = Some(PhoneUpload {
                    material: material.to_string(),
                    token: ticket.token,
                    qr: qr_code::Data::new(url.as_bytes()).ok().map(Arc::new),
                    received: 0,
                    polling: false,
                    done: false,
                    expired: false,
                })
            }
            Err(_) => self.phone_failed = Some(material.to_string()),
        }
    }

    /// The next look at what the phone sent: its token and how many photos arrived already; none while a
    /// look is under way or the page is closed.
    pub fn phone_poll(&mut self) -> Option<(String, usize)> {
        let phone = self.phone.as_mut()?;
        if phone.polling || phone.done || phone.expired {
            return None;
        }
        phone.polling = true;
        Some((phone.token.clone(), phone.received))
    }

    /// What the phone sent since the last look: its photos join the material.
    pub fn phone_pages(&mut self, material: &str, answer: Result<PhonePages, Failure>) {
        let Some(phone) = self.phone.as_mut().filter(|p| p.material == material) else {
            return;
        };
        phone.polling = false;
        let Ok(answer) = answer else { return };
        phone.done = answer.done;
        phone.expired = answer.expired;
        for page in answer.pages {
            if phone.received == 0 {
                // Photos from the phone replace the camera's pages (one source a material).
                self.previews.retain(|(m, _)| m != material);
            }
            phone.received += 1;
            let preview = crate::device::camera::page::preview(&page.0);
            let added = self
                .draft
                .as_mut()
                .is_some_and(|draft| draft.add_page(material, MaterialSource::Phone, page));
            if let (true, Some(preview)) = (added, preview) {
                self.previews
                    .push((material.to_string(), grey_picture(&preview)));
            }
        }
    }

    /// The application was taken (or could not be written).
    pub fn submitted(&mut self, answer: Result<Submitted, Failure>) -> Option<Event> {
        if self.step != Step::Submitting {
            return None;
        }
        match answer {
            Ok(submitted) => {
                let supplement = self.draft.as_ref().is_some_and(|d| d.completes.is_some());
                // The draft is done with: its values and pages go now, not at the session's end.
                self.draft = None;
                self.entry = None;
                self.previews.clear();
                self.step = Step::Done;
                let receipt = submitted.document.clone();
                self.done = Some(Done {
                    number: submitted.number,
                    sent: submitted.sent,
                    refused: submitted.refused,
                    printed: None,
                    supplement,
                    receipt: submitted.document,
                });
                Some(Event::Print(receipt))
            }
            Err(failure) => {
                self.step = Step::Problem(failure);
                None
            }
        }
    }

    /// The receipt's printer answered.
    pub fn printed(&mut self, verdict: Verdict) {
        if let Some(done) = &mut self.done {
            done.printed = Some(verdict);
        }
    }

    pub fn prompt(&self) -> Prompt {
        Prompt::Apply(match &self.step {
            Step::Choose => ApplyPrompt::Choose,
            Step::Notice => ApplyPrompt::Notice,
            Step::Form => ApplyPrompt::Form,
            Step::Materials => ApplyPrompt::Materials,
            Step::Signature => ApplyPrompt::Signature,
            Step::Delivery => ApplyPrompt::Delivery,
            Step::Review => ApplyPrompt::Review,
            Step::Submitting => return Prompt::Loading,
            Step::Problem(_) => return Prompt::Problem,
            Step::Done => match self.done.as_ref().and_then(|d| d.printed) {
                Some(Verdict::Printed) | None => ApplyPrompt::Done,
                Some(_) => ApplyPrompt::NotPrinted,
            },
        })
    }

    pub fn view<'a>(&'a self, env: &Env<'a>) -> Element<'a, Message> {
        let padded = |content| help::padded(env, content);
        match (&self.step, self.draft.as_deref()) {
            (Step::Choose, _) => padded(choose(env)),
            (Step::Submitting, _) => help::waiting_for(env, Words::Apply(ApplyWords::Submitting)),
            (Step::Problem(failure), _) => help::failure(
                env,
                failure,
                Some(Message::Retry),
                Message::CallStaff,
                Message::Home,
            ),
            (Step::Done, _) => match &self.done {
                Some(done) => padded(self.done_view(env, done)),
                None => padded(choose(env)),
            },
            (Step::Notice, Some(draft)) => padded(match &draft.completes {
                Some(completes) => supplement_notice(env, draft, completes),
                None => notice(env, draft),
            }),
            (_, Some(draft)) => padded(self.part_view(env, draft)),
            (_, None) => padded(choose(env)),
        }
    }

    /// A part of the application: its heading with the steps, its body, what blocks it, "next".
    fn part_view<'a>(&'a self, env: &Env<'a>, draft: &'a Draft) -> Element<'a, Message> {
        let look = env.look;
        let body: Element<'a, Message> = match self.step {
            Step::Form => self.form(env, draft),
            Step::Materials => self.materials(env, draft),
            Step::Signature => signature(env, draft, &self.drawn),
            Step::Delivery => self.delivery(env, draft),
            _ => review(env, draft, &self.parts),
        };
        let mut page = column![steps(env, &self.parts, self.part()), body]
            .spacing(look.gap_section())
            .height(Length::Fill);
        if let Some(words) = self.blocked {
            page = page.push(
                text(env.t(Words::Apply(words)))
                    .size(look.text_title())
                    .font(fonts::bold())
                    .color(look.colors().accent),
            );
        }
        let (label, message) = if self.step == Step::Review {
            (ApplyWords::Submit, Message::Submit)
        } else {
            (ApplyWords::Next, Message::Next)
        };
        page.push(env.action(Words::Apply(label), message, true))
            .into()
    }

    fn form<'a>(&'a self, env: &Env<'a>, draft: &'a Draft) -> Element<'a, Message> {
        let look = env.look;
        let mut list = Column::new().spacing(look.gap());
        // While a keyboard or the choices take the lower half, the list starts at the field before the one
        // being filled (it stays in sight; the one before it is a tap away).
        let start = match self.target {
            Some(Target::Field(index)) => draft.form.fields[..index]
                .iter()
                .rposition(|f| draft.editable(f))
                .unwrap_or(0),
            _ => 0,
        };
        for (index, field) in draft.form.fields.iter().enumerate().skip(start) {
            let typing = (self.target == Some(Target::Field(index))).then(|| {
                self.entry
                    .as_ref()
                    .map(|e| e.text.as_str())
                    .unwrap_or_default()
            });
            list = list.push(field_row(env, draft, index, field, typing));
        }
        let mut page = column![
            env.small(env.t(Words::Apply(ApplyWords::FormHint))),
            scrollable(list).height(Length::Fill),
        ]
        .spacing(look.gap());
        if let Some(Target::Field(index)) = self.target {
            if let Some(field) = draft.form.fields.get(index) {
                if field.kind == FieldKind::Choice {
                    page = page.push(choices(env, draft, index, field));
                }
            }
        }
        if let Some(entry) = &self.entry {
            page = page.push(keyboard(env, entry, !self.staff_may_type()));
        }
        page.into()
    }

    fn materials<'a>(&'a self, env: &Env<'a>, draft: &'a Draft) -> Element<'a, Message> {
        let look = env.look;
        let colors = look.colors();
        let mut list = Column::new().spacing(look.gap_block());
        if self.library == Library::Looking {
            list = list.push(env.body(env.t(Words::Apply(ApplyWords::LibraryLooking))));
        }
        if let Some(live) = &self.live {
            // What the camera sees now, so the page can be placed before it is photographed.
            list = list.push(
                container(crate::ui::assist::personal(
                    image(live.clone()).height(Length::Fixed(look.mm(45.0))),
                ))
                .center_x(Length::Fill),
            );
        }
        for (id, material) in &draft.materials {
            let Some(spec) = draft.material_spec(id) else {
                continue;
            };
            let mut title = row![text(spec.title.get(env.lang))
                .size(look.text_title())
                .font(fonts::bold())]
            .spacing(look.gap());
            if !spec.required {
                title = title.push(env.small(env.t(Words::Apply(ApplyWords::MaterialOptional))));
            }
            let mut card = column![title].spacing(look.gap_row());
            if let Some(why) = asked_why(env, draft, id) {
                card = card.push(why);
            }
            match material {
                Material::Found(licence) => {
                    card = card
                        .push(
                            text(format!(
                                "✓ {}",
                                env.t(Words::Apply(ApplyWords::FoundInLibrary))
                            ))
                            .size(look.text_body())
                            .font(fonts::bold())
                            .color(colors.primary),
                        )
                        .push(crate::ui::assist::personal(env.body(format!(
                            "{} {}",
                            licence.title.get(env.lang),
                            licence.number
                        ))));
                }
                Material::Pages { why, count, .. } => {
                    if let Some(why) = why {
                        card = card.push(
                            env.body(env.t(Words::Apply(ApplyWords::Miss(*why))))
                                .color(colors.accent),
                        );
                    }
                    card = card.push(env.small(env.t(Words::Apply(ApplyWords::Pages(
                        *count,
                        spec.min_pages,
                        spec.max_pages,
                    )))));
                    let mut thumbs = Row::new().spacing(look.gap());
                    for (page, (_, handle)) in
                        self.previews.iter().filter(|(m, _)| m == id).enumerate()
                    {
                        thumbs = thumbs.push(
                            column![
                                crate::ui::assist::personal(
                                    image(handle.clone()).height(Length::Fixed(look.mm(30.0)))
                                ),
                                button(crate::ui::assist::shaped_content(
                                    kiosk_proto::assist::Shape::Tile,
                                    env.small(env.t(Words::Apply(ApplyWords::DeletePage)))
                                ))
                                .on_press(Message::DeletePage(id.clone(), page))
                                .style(look.tile()),
                            ]
                            .spacing(look.gap_line())
                            .align_x(Alignment::Center),
                        );
                    }
                    card = card.push(thumbs);
                    if let Some((_, problem)) =
                        self.capture_problem.as_ref().filter(|(m, _)| m == id)
                    {
                        card = card.push(
                            env.body(env.t(Words::Apply(ApplyWords::CaptureProblem(*problem))))
                                .color(colors.accent),
                        );
                    }
                    let capturing = self.capturing.as_deref() == Some(id.as_str());
                    let full = *count >= spec.max_pages as usize;
                    if capturing {
                        card = card.push(env.body(env.t(Words::Apply(ApplyWords::Capturing))));
                    } else if !self.camera {
                        card = card.push(
                            env.body(env.t(Words::Apply(ApplyWords::CameraUnavailable)))
                                .color(colors.accent),
                        );
                    } else if !full && spec.sources.contains(&MaterialSource::Capture) {
                        card = card
                            .push(env.small(env.t(Words::Apply(ApplyWords::PlaceOnCamera))))
                            .push(
                                env.tile(
                                    env.t(Words::Apply(ApplyWords::Capture)),
                                    look.text_title(),
                                    Message::Capture(id.clone()),
                                )
                                .padding([0.0, look.pad_card()])
                                .height(look.button_height())
                                .style(look.primary_if(true)),
                            );
                    }
                    if spec.sources.contains(&MaterialSource::Phone) {
                        card = card.push(self.phone_panel(env, id, full));
                    }
                }
            }
            list = list.push(
                container(card)
                    .padding(look.pad_card())
                    .width(Length::Fill)
                    .style(look.card()),
            );
        }
        scrollable(list).height(Length::Fill).into()
    }

    /// A material's phone upload: the button, or the page's QR code with what arrived.
    fn phone_panel<'a>(
        &'a self,
        env: &Env<'a>,
        material: &'a str,
        full: bool,
    ) -> Element<'a, Message> {
        let look = env.look;
        let colors = look.colors();
        let open = |label: ApplyWords| -> Element<'a, Message> {
            env.tile(
                env.t(Words::Apply(label)),
                look.text_title(),
                Message::Phone(material.to_string()),
            )
            .padding([0.0, look.pad_card()])
            .height(look.button_height())
            .into()
        };
        match self.phone.as_ref().filter(|p| p.material == material) {
            None if self.phone_failed.as_deref() == Some(material) => column![
                env.body(env.t(Words::Apply(ApplyWords::PhoneUnavailable)))
                    .color(colors.accent),
                open(ApplyWords::Phone),
            ]
            .spacing(look.gap_row())
            .into(),
            None if full => space().height(0).into(),
            None => open(ApplyWords::Phone),
            Some(phone) if phone.expired => column![
                env.body(env.t(Words::Apply(ApplyWords::PhoneExpired)))
                    .color(colors.accent),
                open(ApplyWords::Phone),
            ]
            .spacing(look.gap_row())
            .into(),
            Some(phone) => {
                let mut panel = Column::new()
                    .spacing(look.gap_row())
                    .align_x(Alignment::Center);
                if let Some(qr) = &phone.qr {
                    panel = panel.push(crate::ui::assist::personal(
                        qr_code(qr).total_size(look.mm(40.0)),
                    ));
                }
                panel = panel
                    .push(env.body(env.t(Words::Apply(ApplyWords::PhoneScan))))
                    .push(
                        text(env.t(Words::Apply(ApplyWords::PhoneReceived(phone.received))))
                            .size(look.text_title())
                            .font(fonts::bold()),
                    )
                    .push(
                        env.tile(
                            env.t(Words::Apply(ApplyWords::PhoneClose)),
                            look.text_title(),
                            Message::ClosePhone,
                        )
                        .padding([0.0, look.pad_card()])
                        .height(look.button_height()),
                    );
                container(panel).width(Length::Fill).into()
            }
        }
    }

    fn delivery<'a>(&'a self, env: &Env<'a>, draft: &'a Draft) -> Element<'a, Message> {
        let look = env.look;
        let mut ways = Row::new().spacing(look.gap());
        for way in &draft.form.delivery {
            ways = ways.push(
                env.key(
                    way.label().get(env.lang).to_string(),
                    look.text_title(),
                    Message::Deliver(*way),
                )
                .width(Length::Fill)
                .height(look.row_height())
                .style(look.primary_if(draft.delivery == Some(*way))),
            );
        }
        let mut page = column![
            env.title(env.t(Words::Apply(ApplyWords::DeliveryTitle))),
            ways
        ]
        .spacing(look.gap_section());
        if draft.delivery == Some(Delivery::Ems) {
            let ems = &draft.ems;
            let mut list = Column::new().spacing(look.gap());
            for (which, label, value) in [
                (EmsField::Recipient, ApplyWords::Recipient, &ems.recipient),
                (EmsField::Phone, ApplyWords::EmsPhone, &ems.phone),
                (EmsField::Address, ApplyWords::EmsAddress, &ems.address),
                (EmsField::Postcode, ApplyWords::Postcode, &ems.postcode),
            ] {
                let selected = self.target == Some(Target::Ems(which));
                let shown = if selected {
                    self.entry
                        .as_ref()
                        .map(|e| e.text.clone())
                        .unwrap_or_default()
                } else {
                    value.clone()
                };
                list = list.push(value_row(
                    env,
                    env.t(Words::Apply(label)).into_owned(),
                    shown,
                    None,
                    selected,
                    Some(Message::Edit(Target::Ems(which))),
                    true,
                ));
            }
            page = page.push(scrollable(list).height(Length::Fill));
            if let Some(entry) = &self.entry {
                page = page.push(keyboard(env, entry, true));
            }
        } else {
            page = page.push(space().height(Length::Fill));
        }
        page.height(Length::Fill).into()
    }

    fn done_view<'a>(&'a self, env: &Env<'a>, done: &'a Done) -> Element<'a, Message> {
        let look = env.look;
        let colors = look.colors();
        let sent = if done.refused {
            ApplyWords::RefusedByHub
        } else if done.sent {
            ApplyWords::Sent
        } else {
            ApplyWords::NotSent
        };
        let printing = match done.printed {
            None => ApplyWords::ReceiptPrinting,
            Some(Verdict::Printed) => ApplyWords::ReceiptTake,
            Some(Verdict::Unknown) => ApplyWords::ReceiptMaybePrinted,
            Some(_) => ApplyWords::ReceiptNotPrinted,
        };
        let mut page = column![
            space().height(Length::FillPortion(1)),
            env.title(env.t(Words::Apply(if done.supplement {
                ApplyWords::SupplyDone
            } else {
                ApplyWords::DoneTitle
            }))),
            text(env.t(Words::Apply(if done.supplement {
                ApplyWords::SupplyNumber
            } else {
                ApplyWords::YourNumber
            })))
            .size(look.text_title())
            .color(colors.muted),
            text(done.number.clone())
                .size(look.text_huge())
                .font(fonts::bold())
                .color(colors.primary),
            text(self.service.as_ref().map(|s| s.get(env.lang)).unwrap_or(""))
                .size(look.text_title())
                .font(fonts::bold()),
            env.body(env.t(Words::Apply(sent)))
                .align_x(Alignment::Center),
            text(env.t(Words::Apply(printing)))
                .size(look.text_title())
                .font(fonts::bold())
                .color(if done.printed.is_some_and(|v| v != Verdict::Printed) {
                    colors.accent
                } else {
                    colors.text
                })
                .align_x(Alignment::Center),
        ]
        .spacing(look.gap_section())
        .align_x(Alignment::Center);
        if done.printed.is_some_and(|v| v != Verdict::Printed) {
            page =
                page.push(env.action(Words::Apply(ApplyWords::Reprint), Message::Reprint, false));
        }
        page = page.push(env.small(env.t(Words::Apply(ApplyWords::KeepNumber))));
        if done.printed.is_some() {
            page = page
                .push(space().height(Length::FillPortion(1)))
                .push(rating::strip(env).map(Message::Rate))
                .push(
                    row![
                        env.action(
                            Words::Journey(crate::ui::i18n::JourneyWords::SomethingElse),
                            Message::Home,
                            false
                        ),
                        env.action(Words::Finish, Message::Finish, true),
                    ]
                    .spacing(look.gap_block()),
                );
        }
        page.into()
    }
}

/// The keyboard of a field being filled: under a personal value it is masked in remote guidance's mirror
/// as one box (its candidates say what is typed, and the key under the citizen's finger would too); under
/// a field staff may fill (帮办代办) it shows.
fn keyboard<'a>(env: &Env<'a>, entry: &'a Entry, personal: bool) -> Element<'a, Message> {
    crate::ui::assist::personal_if(
        personal,
        entry::keyboard(env, entry, env.look.content_width()).map(Message::Key),
    )
}

/// A grey frame (a page's preview, the camera's live picture) as a picture to show.
fn grey_picture(frame: &crate::device::camera::Frame) -> image::Handle {
    let rgba: Vec<u8> = frame.pixels.iter().flat_map(|&g| [g, g, g, 255]).collect();
    image::Handle::from_rgba(frame.width, frame.height, rgba)
}

/// The signature pad's height for its width.
const SIGNATURE_RATIO: f32 = 0.42;

/// The services that can be applied for here.
fn choose<'a>(env: &Env<'a>) -> Element<'a, Message> {
    let look = env.look;
    let mut list = Column::new().spacing(look.gap());
    let mut any = false;
    for service in env
        .catalogue
        .services
        .iter()
        // An enterprise's matters are applied for from 企业服务, once the enterprise is chosen.
        .filter(|s| s.application.is_some() && !s.enterprise)
    {
        any = true;
        let mut content = column![text(service.name.get(env.lang))
            .size(look.text_title())
            .font(fonts::bold())]
        .spacing(look.gap_line());
        content = content.push(env.small(service.department.get(env.lang)));
        list = list.push(
            button(crate::ui::assist::shaped_content(
                kiosk_proto::assist::Shape::Tile,
                content,
            ))
            .on_press(Message::Choose(service.id.clone()))
            .padding(look.pad_card())
            .width(Length::Fill)
            .style(look.tile()),
        );
    }
    if !any {
        list = list.push(env.body(env.t(Words::Apply(ApplyWords::NoForms))));
    }
    column![
        env.title(env.t(Words::Apply(ApplyWords::ChooseTitle))),
        env.small(env.t(Words::Apply(ApplyWords::ChooseHint))),
        scrollable(list).height(Length::Fill),
    ]
    .spacing(look.gap_section())
    .into()
}

/// What is collected, why, for how long; the materials and the promise; agree or go back.
fn notice<'a>(env: &Env<'a>, draft: &'a Draft) -> Element<'a, Message> {
    let look = env.look;
    let form = &draft.form;
    let mut body = column![
        env.title(draft.service.get(env.lang)),
        text(env.t(Words::Apply(ApplyWords::NoticeTitle)))
            .size(look.text_title())
            .font(fonts::bold())
            .color(look.colors().primary),
        env.body(env.t(Words::Apply(ApplyWords::NoticeWhat)))
            .font(fonts::bold()),
        env.body(form.notice.get(env.lang)),
        env.body(env.t(Words::Apply(ApplyWords::NoticeKept(form.retention_days)))),
    ]
    .spacing(look.gap_row());
    if !form.bundle.is_empty() {
        body = body.push(
            env.body(env.t(Words::Apply(ApplyWords::NoticeBundle)))
                .font(fonts::bold()),
        );
        for department in &form.bundle {
            body = body.push(env.body(format!("· {}", department.get(env.lang))));
        }
    }
    body = body.push(
        env.body(env.t(Words::Apply(ApplyWords::NoticeMaterials)))
            .font(fonts::bold()),
    );
    if form.materials.is_empty() {
        body = body.push(env.body(env.t(Words::Apply(ApplyWords::NoticeNone))));
    }
    for material in &form.materials {
        body = body.push(env.body(format!("· {}", material.title.get(env.lang))));
    }
    body = body.push(
        env.body(env.t(Words::Apply(ApplyWords::NoticePromised(
            draft.promised_days,
        ))))
        .font(fonts::bold()),
    );
    column![
        scrollable(body).height(Length::Fill),
        env.action(Words::Apply(ApplyWords::Agree), Message::Agree, true),
        env.action(Words::Apply(ApplyWords::Disagree), Message::Disagree, false),
    ]
    .spacing(look.gap_section())
    .into()
}

/// A 补正: what the reviewer asked for, item by item with the reason, and by when; start or go back.
fn supplement_notice<'a>(
    env: &Env<'a>,
    draft: &'a Draft,
    completes: &'a crate::domain::application::Completes,
) -> Element<'a, Message> {
    let look = env.look;
    let mut body = column![
        env.title(draft.service.get(env.lang)),
        text(env.t(Words::Apply(ApplyWords::SupplyTitle)))
            .size(look.text_title())
            .font(fonts::bold())
            .color(look.colors().primary),
        env.body(format!(
            "{}{}{}",
            env.t(Words::Apply(ApplyWords::SupplyOf)),
            crate::ui::i18n::colon(env.lang),
            completes.number
        )),
        env.body(env.t(Words::Apply(ApplyWords::SupplyAsked)))
            .font(fonts::bold()),
    ]
    .spacing(look.gap_row());
    for (n, item) in completes.asked.items.iter().enumerate() {
        body = body.push(
            column![
                env.body(format!("{}. {}", n + 1, item.label.get(env.lang)))
                    .font(fonts::bold()),
                env.body(item.why.clone()).color(look.colors().muted),
            ]
            .spacing(look.gap_line()),
        );
    }
    body = body.push(
        env.body(env.t(Words::Apply(ApplyWords::SupplyBy(
            kiosk_proto::application::Date::parse(&completes.asked.deadline),
        ))))
        .font(fonts::bold())
        .color(look.colors().accent),
    );
    column![
        scrollable(body).height(Length::Fill),
        env.action(Words::Apply(ApplyWords::SupplyStart), Message::Agree, true),
        env.action(
            Words::Apply(ApplyWords::SupplyLater),
            Message::Disagree,
            false
        ),
    ]
    .spacing(look.gap_section())
    .into()
}

/// The parts as steps, the current one marked (in words and colour).
fn steps<'a>(env: &Env<'a>, parts: &[Part], current: Option<Part>) -> Element<'a, Message> {
    let look = env.look;
    let colors = look.colors();
    let at = current.and_then(|c| parts.iter().position(|p| *p == c));
    let mut line = Row::new().spacing(look.gap());
    for (i, part) in parts.iter().enumerate() {
        let here = Some(i) == at;
        line = line.push(
            text(format!(
                "{} {}",
                i + 1,
                env.t(Words::Apply(ApplyWords::Step(*part)))
            ))
            .size(look.text_small())
            .font(if here {
                fonts::bold()
            } else {
                fonts::regular()
            })
            .color(if here { colors.primary } else { colors.muted }),
        );
    }
    column![
        line,
        env.small(env.t(Words::Apply(ApplyWords::StepOf(
            at.map(|i| i + 1).unwrap_or(0),
            parts.len()
        )))),
    ]
    .spacing(look.gap_line())
    .into()
}

/// A labelled value: the label with its tags, the value (personal: masked in the mirror), its problem.
fn value_row<'a>(
    env: &Env<'a>,
    label: String,
    value: String,
    problem: Option<LocalText>,
    selected: bool,
    on_press: Option<Message>,
    personal: bool,
) -> Element<'a, Message> {
    let look = env.look;
    let colors = look.colors();
    let empty = value.is_empty();
    let shown = if empty {
        env.t(Words::Apply(ApplyWords::TapToFill)).into_owned()
    } else if selected {
        format!("{value}|")
    } else {
        value
    };
    let mut content = column![
        text(label).size(look.text_small()).color(if selected {
            colors.on_primary
        } else {
            colors.muted
        }),
        crate::ui::assist::personal_if(
            personal,
            text(shown)
                .size(look.text_title())
                .font(fonts::bold())
                .color(if empty && !selected {
                    colors.muted
                } else if selected {
                    colors.on_primary
                } else {
                    colors.text
                })
        ),
    ]
    .spacing(look.gap_line());
    if let Some(problem) = problem {
        content = content.push(
            text(format!("⚠ {}", problem.get(env.lang)))
                .size(look.text_body())
                .font(fonts::bold())
                .color(if selected {
                    colors.on_primary
                } else {
                    colors.accent
                }),
        );
    }
    button(crate::ui::assist::shaped_content(
        kiosk_proto::assist::Shape::Field,
        content,
    ))
    .on_press_maybe(on_press)
    .padding(look.gap())
    .width(Length::Fill)
    .style(look.primary_if(selected))
    .into()
}

/// A field's value as the citizen sees it: a choice's label; an ID number read from the card or the hub's
/// records masked (the flow does not need it whole on the screen; tapped, it shows whole to be corrected).
fn shown(draft: &Draft, field: &FieldSpec, lang: crate::domain::Lang) -> String {
    let value = draft.value(&field.id);
    if field.kind == FieldKind::IdNumber && (!draft.editable(field) || draft.is_held(field)) {
        return crate::domain::identity::mask_id_number(value);
    }
    field.shown(value, lang).to_string()
}

fn field_row<'a>(
    env: &Env<'a>,
    draft: &'a Draft,
    index: usize,
    field: &'a FieldSpec,
    typing: Option<&str>,
) -> Element<'a, Message> {
    let selected = typing.is_some();
    let editable = draft.editable(field);
    let tag = if draft.is_prefilled(&field.id)
        && !editable
        && field
            .prefill
            .is_some_and(kiosk_proto::application::Prefill::is_enterprise)
    {
        ApplyWords::FromRegistry
    } else if draft.is_prefilled(&field.id) && !editable {
        ApplyWords::FromCard
    } else if draft.filled_by(&field.id).is_some() {
        ApplyWords::FilledByStaff
    } else if draft.is_held(field) {
        ApplyWords::FromRecords
    } else if field.required {
        ApplyWords::Required
    } else {
        ApplyWords::Optional
    };
    let label = format!(
        "{} · {}",
        field.label.get(env.lang),
        env.t(Words::Apply(tag))
    );
    // The field being typed shows what is typed (it reaches the draft when the field is left).
    let value = match typing {
        Some(text) if field.kind != FieldKind::Choice => text.to_string(),
        _ => shown(draft, field, env.lang),
    };
    let problem = draft.problem(&field.id).map(|p| p.describe());
    let mut row = value_row(
        env,
        label,
        value,
        problem,
        selected,
        editable.then_some(Message::Edit(Target::Field(index))),
        field.personal,
    );
    if let Some(hint) = field.hint.as_ref().filter(|_| selected) {
        row = column![row, env.small(hint.get(env.lang))]
            .spacing(env.look.gap_line())
            .into();
    }
    if let Some(why) = asked_why(env, draft, &field.id) {
        row = column![row, why].spacing(env.look.gap_line()).into();
    }
    row
}

/// In a 补正: what the reviewer said of the item `id`, beside it.
fn asked_why<'a>(env: &Env<'a>, draft: &'a Draft, id: &str) -> Option<Element<'a, Message>> {
    let item = draft
        .completes
        .as_ref()?
        .asked
        .items
        .iter()
        .find(|i| i.item == id)?;
    Some(
        env.body(format!(
            "{}{}{}",
            env.t(Words::Apply(ApplyWords::ReviewerSaid)),
            crate::ui::i18n::colon(env.lang),
            item.why
        ))
        .font(fonts::bold())
        .color(env.look.colors().accent)
        .into(),
    )
}

fn choices<'a>(
    env: &Env<'a>,
    draft: &'a Draft,
    index: usize,
    field: &'a FieldSpec,
) -> Element<'a, Message> {
    let look = env.look;
    let mut grid = Column::new().spacing(look.gap());
    for pair in field.choices.chunks(2) {
        let mut line = Row::new().spacing(look.gap());
        for choice in pair {
            let chosen = draft.value(&field.id) == choice.value;
            line = line.push(
                env.key(
                    choice.label.get(env.lang).to_string(),
                    look.text_title(),
                    Message::Pick(index, choice.value.clone()),
                )
                .width(Length::Fill)
                .height(look.button_height())
                .style(look.primary_if(chosen)),
            );
        }
        grid = grid.push(line);
    }
    grid.into()
}

fn signature<'a>(
    env: &Env<'a>,
    draft: &'a Draft,
    drawn: &'a [crate::input::zinnia::Stroke],
) -> Element<'a, Message> {
    let look = env.look;
    let width = look.content_width();
    let height = (width * SIGNATURE_RATIO).round();
    let pad = iced::widget::canvas(entry::Pad {
        strokes: drawn,
        drawn: draft.signature.width as f32,
        width,
        height,
        guide: false,
        look,
        hint: env.t(Words::Apply(ApplyWords::SignHere)).into_owned(),
        on_stroke: Message::Stroke,
    })
    .width(Length::Fixed(width))
    .height(Length::Fixed(height));
    column![
        env.title(env.t(Words::Apply(ApplyWords::SignTitle))),
        env.body(env.t(Words::Apply(ApplyWords::Declaration))),
        crate::ui::assist::personal(pad),
        env.key(
            env.t(Words::Apply(ApplyWords::SignAgain)),
            look.text_title(),
            Message::ClearSignature
        )
        .width(Length::Fixed(look.mm(40.0)))
        .height(look.button_height()),
        space().height(Length::Fill),
    ]
    .spacing(look.gap_section())
    .align_x(Alignment::Center)
    .into()
}

/// Everything at once, each part with its "change".
fn review<'a>(env: &Env<'a>, draft: &'a Draft, parts: &[Part]) -> Element<'a, Message> {
    let look = env.look;
    let heading = |part: Part| -> Element<'a, Message> {
        row![
            text(env.t(Words::Apply(ApplyWords::Step(part))))
                .size(look.text_title())
                .font(fonts::bold())
                .width(Length::Fill),
            env.key(
                env.t(Words::Apply(ApplyWords::Change)),
                look.text_body(),
                Message::GoTo(part)
            )
            .width(Length::Fixed(look.mm(28.0)))
            .height(look.target()),
        ]
        .align_y(Alignment::Center)
        .into()
    };
    let line = |key: String, value: String, personal: bool| -> Element<'a, Message> {
        row![
            container(env.body(key).color(look.colors().muted)).width(Length::FillPortion(2)),
            container(crate::ui::assist::personal_if(personal, env.body(value)))
                .width(Length::FillPortion(3)),
        ]
        .spacing(look.gap())
        .into()
    };
    let mut list = Column::new().spacing(look.gap_row());
    for part in parts.iter().filter(|p| **p != Part::Review) {
        list = list.push(heading(*part));
        match part {
            Part::Form => {
                for field in &draft.form.fields {
                    let value = shown(draft, field, env.lang);
                    if !value.is_empty() {
                        list = list.push(line(
                            field.label.get(env.lang).to_string(),
                            value,
                            field.personal,
                        ));
                    }
                }
            }
            Part::Materials => {
                for (id, material) in &draft.materials {
                    if let Some(spec) = draft.material_spec(id) {
                        let source = match material {
                            Material::Found(_) => {
                                env.t(Words::Apply(ApplyWords::FoundInLibrary)).into_owned()
                            }
                            Material::Pages { count, .. } => env
                                .t(Words::Apply(ApplyWords::Pages(
                                    *count,
                                    spec.min_pages,
                                    spec.max_pages,
                                )))
                                .into_owned(),
                        };
                        list = list.push(line(spec.title.get(env.lang).to_string(), source, true));
                    }
                }
            }
            Part::Signature => {
                let signed = if draft.signature.is_empty() {
                    ApplyWords::SignFirst
                } else {
                    ApplyWords::Signed
                };
                list = list.push(env.small(env.t(Words::Apply(signed))));
            }
            Part::Delivery => {
                let way = draft
                    .delivery
                    .map(|d| d.label().get(env.lang).to_string())
                    .unwrap_or_default();
                let ems = &draft.ems;
                let value = if draft.delivery == Some(Delivery::Ems) {
                    format!("{way}\n{} {}\n{}", ems.recipient, ems.phone, ems.address)
                } else {
                    way
                };
                list = list.push(line(
                    env.t(Words::Apply(ApplyWords::Step(Part::Delivery)))
                        .into_owned(),
                    value,
                    true,
                ));
            }
            Part::Review => {}
        }
    }
    column![
        env.title(env.t(Words::Apply(ApplyWords::ReviewTitle))),
        scrollable(list).height(Length::Fill),
    ]
    .spacing(look.gap_section())
    .into()
}
