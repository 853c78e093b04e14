//! The application journey's side of the router (自助申报): the draft made for the signed-in holder, the
//! e-licence library asked, pages photographed on the camera's thread, the application taken on a journey
//! thread, and its receipt printed.

use super::*;

impl App {
    /// Today in China, for the form's date checks.
    pub(super) fn today(&self) -> kiosk_proto::application::Date {
        use chrono::Datelike;
        let day = self.clock.date();
        kiosk_proto::application::Date::new(day.year(), day.month(), day.day())
            .unwrap_or(kiosk_proto::application::Date::china(0))
    }

    /// Whether pages can be photographed now.
    fn camera_usable(&self) -> bool {
        self.camera.is_some()
    }

    /// The journey from the home tile (the card read): the service chosen first, unless the guide named it.
    pub(super) fn open_apply(&mut self) -> Task<Message> {
        let camera = self.camera_usable();
        match self.apply_for.take() {
            Some(service) => self.begin_apply(&service),
            None => {
                self.vm.screen = Screen::Apply(Box::new(apply::State::choose(camera)));
                Task::none()
            }
        }
    }

    /// "在此申报" on a service's guide page: the card first when no one is signed in.
    pub(super) fn apply_from_guide(&mut self, service: String) -> Task<Message> {
        self.apply_for = Some(service);
        self.open(Feature::Apply)
    }

    /// The draft of `service` for the signed-in holder, prefilled.
    fn begin_apply(&mut self, service: &str) -> Task<Message> {
        let camera = self.camera_usable();
        let draft = match (self.catalogue.service(service), self.core.identity()) {
            (Some(service), Some(identity)) => {
                crate::domain::application::Draft::new(service, identity, &self.settings.hall)
            }
            _ => None,
        };
        match draft {
            Some(draft) => {
                let session = self
                    .vm
                    .session
                    .map(|s| format!("{s:?}"))
                    .unwrap_or_default();
                self.vm.screen = Screen::Apply(Box::new(
                    apply::State::begin(draft, camera).in_session(session),
                ));
            }
            None => {
                tracing::warn!(%service, "no application form for this service, or no card read");
                self.vm.screen = Screen::Apply(Box::new(apply::State::choose(camera)));
            }
        }
        Task::none()
    }

    pub(super) fn apply(&mut self, message: apply::Message) -> Task<Message> {
        let today = self.today();
        let event = {
            let (input, lang) = (&self.input, self.vm.lang);
            let entry = |kind, limit| input.entry_for(lang, kind, limit);
            let ctx = apply::Context {
                today,
                entry: &entry,
            };
            let Screen::Apply(state) = &mut self.vm.screen else {
                return Task::none();
            };
            state.update(message, &ctx)
        };
        match event {
            Some(apply::Event::Begin(service)) => return self.begin_apply(&service),
            Some(apply::Event::Library) => {
                let Some(id) = self.holder() else {
                    return Task::none();
                };
                return self.ask(move |services| Answer::Licences(services.elicences(&id)));
            }
            Some(apply::Event::Capture(material)) => return self.capture(material),
            Some(apply::Event::Phone(request)) => {
                let material = request.material.clone();
                return self.ask(move |services| {
                    Answer::UploadOpened(material, services.open_upload(&request))
                });
            }
            Some(apply::Event::Submit(draft)) => {
                let lang = self.vm.lang;
                let hall = self.settings.hall.zh.clone();
                return self
                    .ask(move |services| Answer::Submitted(services.submit(&draft, lang, &hall)));
            }
            Some(apply::Event::Print(receipt)) => return self.print_receipt(receipt),
            Some(apply::Event::Rate(subject, level)) => return self.rate(subject, level),
            Some(apply::Event::CallStaff(problem)) => return self.call_staff(problem),
            Some(apply::Event::Home) => self.vm.screen = Screen::Home,
            Some(apply::Event::Finish) => self.end_session(),
            None => {}
        }
        Task::none()
    }

    /// Photographs a page on the camera's own thread; the answer is for the call under way (a lookup in the
    /// library meanwhile is not superseded by it).
    fn capture(&mut self, material: String) -> Task<Message> {
        let asked = self.core.latest();
        let Some(camera) = self.camera.clone() else {
            return Task::done(Message::Answer(
                asked,
                Answer::Captured(
                    material,
                    Err(crate::device::camera::CaptureProblem::Unplugged),
                ),
            ));
        };
        let lost = Answer::Captured(
            material.clone(),
            Err(crate::device::camera::CaptureProblem::NoAnswer),
        );
        bridge::once(
            "camera",
            move || {
                let mut camera = camera.lock().unwrap_or_else(|e| e.into_inner());
                Answer::Captured(material, crate::device::camera::capture(camera.as_mut()))
            },
            lost,
            move |answer| Message::Answer(asked, answer),
        )
    }

    /// Every tick while a phone's page is open: a look at what arrived (one at a time), answering the
    /// call under way as the camera does.
    pub(super) fn poll_phone(&mut self) -> Task<Message> {
        let Screen::Apply(state) = &mut self.vm.screen else {
            return Task::none();
        };
        let Some(material) = state.phone.as_ref().map(|p| p.material.clone()) else {
            return Task::none();
        };
        let Some((token, known)) = state.phone_poll() else {
            return Task::none();
        };
        let asked = self.core.latest();
        let services = self.services.clone();
        let lost = Answer::PhonePages(material.clone(), Err(Failure::Refused));
        bridge::once(
            "phone-upload",
            move || Answer::PhonePages(material, services.poll_upload(&token, known)),
            lost,
            move |answer| Message::Answer(asked, answer),
        )
    }

    /// Every tick while materials are photographed: the camera's live picture, small, on the camera's
    /// thread.
    pub(super) fn look_live(&mut self) -> Task<Message> {
        let Screen::Apply(state) = &mut self.vm.screen else {
            return Task::none();
        };
        let Some(camera) = self.camera.clone().filter(|_| state.want_live()) else {
            return Task::none();
        };
        let asked = self.core.latest();
        bridge::once(
            "camera-live",
            move || {
                let mut camera = camera.lock().unwrap_or_else(|e| e.into_inner());
                Answer::Live(camera.frame().ok().map(|frame| frame.shrink(8)))
            },
            Answer::Live(None),
            move |answer| Message::Answer(asked, answer),
        )
    }

    /// Prints an application's receipt; the number stays on screen whatever the printer does.
    pub(super) fn print_receipt(
        &mut self,
        receipt: crate::domain::document::Document,
    ) -> Task<Message> {
        self.print_ticket(receipt)
    }
}
