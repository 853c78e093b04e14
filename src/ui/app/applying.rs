//! The application journey's side of the router (自助申报): the draft made for the signed-in holder, the
//! e-licence library asked, pages photographed on the camera's thread, the application taken on a journey
//! thread, and its receipt printed.

use super::*;

/// How often the camera is looked at while no one photographs with it.
const CAMERA_PROBE: Duration = Duration::from_secs(10);

/// The camera's state as a frame (or a kept page) says it: no page or a blurred one is a camera that works.
pub(super) fn camera_state(
    result: &Result<(), crate::device::camera::CaptureProblem>,
) -> DeviceStatus {
    use crate::device::camera::CaptureProblem;
    use crate::device::Reason;
    match result {
        Ok(()) | Err(CaptureProblem::NoPage | CaptureProblem::Blurred) => DeviceStatus::Ready,
        Err(CaptureProblem::Unplugged) => DeviceStatus::Fault(Reason::NotConnected),
        Err(CaptureProblem::NoAnswer) => DeviceStatus::Fault(Reason::NoResponse),
    }
}

impl App {
    /// Today in China, for the form's date checks.
    pub(super) fn today(&self) -> kiosk_proto::application::Date {
        use chrono::Datelike;
        let day = self.clock.date();
        kiosk_proto::application::Date::new(day.year(), day.month(), day.day())
            .unwrap_or(kiosk_proto::application::Date::china(0))
    }

    /// Whether pages can be photographed now (a camera not heard from yet is tried).
    fn camera_usable(&self) -> bool {
        self.camera.is_some()
            && !matches!(
                self.vm.devices.camera,
                DeviceStatus::Fault(_) | DeviceStatus::Disabled(_)
            )
    }

    /// The camera's state as its last frame said; the application screen follows it.
    pub(super) fn camera_status(&mut self, status: DeviceStatus) {
        if self.camera.is_none() || self.vm.devices.camera == status {
            return;
        }
        self.vm.devices.camera = status;
        self.report_devices();
        let usable = self.camera_usable();
        if let Screen::Apply(state) = &mut self.vm.screen {
            state.camera(usable);
        }
    }

    /// Every 10 s, when no picture is being taken for an application: a frame on the camera's thread, so
    /// that the tiles, the diagnostics and the hub know how the camera is (a V4L2 camera keeps its stream
    /// open between frames).
    pub(super) fn probe_camera(&mut self) -> Task<Message> {
        let photographing = matches!(&self.vm.screen, Screen::Apply(state)
            if state.step == apply::Step::Materials);
        let now = self.now;
        let Some(camera) = self.camera.as_mut().filter(|c| {
            !photographing
                && c.probed
                    .is_none_or(|at| now.saturating_duration_since(at) >= CAMERA_PROBE)
        }) else {
            return Task::none();
        };
        camera.probed = Some(now);
        let device = camera.device.clone();
        bridge::once(
            "camera-probe",
            move || {
                let mut camera = device.lock().unwrap_or_else(|e| e.into_inner());
                camera_state(&camera.frame().map(drop).map_err(Into::into))
            },
            DeviceStatus::Fault(crate::device::Reason::NoResponse),
            Message::Camera,
        )
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

    /// The draft of `service` for the signed-in holder, prefilled; a holder who signed in with the app's
    /// code places their card first where the catalogue does not take codes for the service.
    fn begin_apply(&mut self, service: &str) -> Task<Message> {
        let accepts_code = self
            .catalogue
            .service(service)
            .is_some_and(|s| s.accepts_code);
        if self.core.needs_card_for(accepts_code) {
            self.apply_for = Some(service.to_string());
            self.vm.screen = self.card_screen(Some(Feature::Apply));
            return Task::none();
        }
        // An enterprise's matter is for the enterprise the representative chose: 企业服务 first.
        let for_enterprise = self
            .catalogue
            .service(service)
            .is_some_and(|s| s.enterprise);
        if self.core.needs_enterprise(for_enterprise) {
            return self.open_enterprise();
        }
        let chosen = self.core.session().enterprise().cloned();
        let draft = match (self.catalogue.service(service), self.core.identity()) {
            (Some(service), Some(identity)) => {
                crate::domain::application::Draft::new(service, identity, &self.settings.hall).map(
                    |mut draft| {
                        if let Some(enterprise) = chosen.as_ref().filter(|_| for_enterprise) {
                            draft.enterprise(enterprise);
                        }
                        draft
                    },
                )
            }
            _ => None,
        };
        if draft.is_none() {
            tracing::warn!(%service, "no application form for this service, or no card read");
        }
        self.show_draft(draft);
        Task::none()
    }

    /// "补交材料" on a case's progress: the 补正 of the items the reviewer asked, for the signed-in holder.
    pub(super) fn begin_supplement(
        &mut self,
        case: &kiosk_proto::service::CaseDetail,
    ) -> Task<Message> {
        let draft = match (
            self.catalogue.service(&case.summary.service_id),
            self.core.identity(),
            &case.asked,
        ) {
            (Some(service), Some(identity), Some(asked)) => {
                crate::domain::application::Draft::supplement(
                    service,
                    identity,
                    &self.settings.hall,
                    &case.summary.case_no,
                    asked,
                )
            }
            _ => None,
        };
        match draft {
            Some(draft) => self.show_draft(Some(draft)),
            None => {
                // The catalogue here no longer has the items asked: a counter takes the 补正.
                tracing::warn!(case = %case.summary.case_no, "the 补正's items are not on this terminal's form");
                return self.call_staff("supplement: the items asked are not on the form".into());
            }
        }
        Task::none()
    }

    /// The application screen over `draft` (the service list when there is none).
    fn show_draft(&mut self, draft: Option<crate::domain::application::Draft>) {
        let camera = self.camera_usable();
        self.vm.screen = Screen::Apply(Box::new(match draft {
            Some(draft) => {
                let session = self
                    .vm
                    .session
                    .map(|s| format!("{s:?}"))
                    .unwrap_or_default();
                apply::State::begin(draft, camera).in_session(session)
            }
            None => apply::State::choose(camera),
        }));
    }

    /// Opens the application form's keyboard on the first field still to fill (after the hub's records
    /// filled the one it was on).
    pub(super) fn refocus_apply(&mut self) {
        self.on_apply(|state, ctx| state.refocus(ctx));
    }

    /// Runs `f` on the application screen with its context (the day, the keyboards); none when another
    /// screen shows.
    fn on_apply<R>(
        &mut self,
        f: impl FnOnce(&mut apply::State, &apply::Context<'_>) -> R,
    ) -> Option<R> {
        let today = self.today();
        let (input, lang) = (&self.input, self.vm.lang);
        let entry = |kind, limit| input.entry_for(lang, kind, limit);
        let ctx = apply::Context {
            today,
            entry: &entry,
        };
        let Screen::Apply(state) = &mut self.vm.screen else {
            return None;
        };
        Some(f(state, &ctx))
    }

    pub(super) fn apply(&mut self, message: apply::Message) -> Task<Message> {
        let helping = self.helping.clone();
        let Some(event) = self.on_apply(|state, ctx| {
            let filling = matches!(message, apply::Message::Key(_) | apply::Message::Pick(..))
                .then(|| message.clone());
            let event = state.update(message, ctx);
            // Who filled the field: a guide helping remotely, or the citizen.
            if let Some(filling) = filling {
                state.filled(&filling, helping.as_deref());
            }
            event
        }) else {
            return Task::none();
        };
        match event {
            Some(apply::Event::Begin(service)) => return self.begin_apply(&service),
            Some(apply::Event::Library) => {
                let Some(id) = self.holder() else {
                    return Task::none();
                };
                return self.ask(move |services| Answer::Licences(services.library(&id)));
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
            Some(apply::Event::Print(receipt)) => return self.print_document(receipt),
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
        let Some(camera) = self.camera.as_ref().map(|c| c.device.clone()) else {
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
    /// Marks the application screen as waiting for a live picture, as the clock does with a camera
    /// configured (a `kiosk shot` preset has none and delivers the picture itself).
    pub(crate) fn want_live(&mut self) -> bool {
        match &mut self.vm.screen {
            Screen::Apply(state) => state.want_live(),
            _ => false,
        }
    }

    pub(super) fn look_live(&mut self) -> Task<Message> {
        let Screen::Apply(state) = &mut self.vm.screen else {
            return Task::none();
        };
        let Some(camera) = self
            .camera
            .as_ref()
            .map(|c| c.device.clone())
            .filter(|_| state.want_live())
        else {
            return Task::none();
        };
        let asked = self.core.latest();
        bridge::once(
            "camera-live",
            move || {
                let mut camera = camera.lock().unwrap_or_else(|e| e.into_inner());
                Answer::Live(
                    camera
                        .frame()
                        .map(|frame| frame.shrink(8))
                        .map_err(Into::into),
                )
            },
            Answer::Live(Err(crate::device::camera::CaptureProblem::NoAnswer)),
            move |answer| Message::Answer(asked, answer),
        )
    }
}
