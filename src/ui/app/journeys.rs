//! The journeys' side of the router: calls to the hub and the outbox on their own threads and their
//! answers, the progress, documents, ticket and rating screens' events, call staff, and the spoken prompts.

use super::*;

/// How often a card left on the reader is said again.
const CARD_LEFT_AGAIN: Duration = Duration::from_secs(20);

impl App {
    /// Runs `work` on its own thread with the journeys' services; its answer comes back tagged, and only
    /// the latest call's answer is taken.
    pub(super) fn ask(
        &mut self,
        work: impl FnOnce(&Services) -> Answer + Send + 'static,
    ) -> Task<Message> {
        let asked = self.core.ask();
        let services = self.services.clone();
        bridge::once(
            "journey",
            move || work(&services),
            Answer::Lost,
            move |answer| Message::Answer(asked, answer),
        )
    }

    /// The holder's ID number for a call to the hub (in its body only).
    pub(super) fn holder(&self) -> Option<kiosk_proto::service::IdNumber> {
        self.core
            .identity()
            .map(|identity| kiosk_proto::service::IdNumber::new(identity.id_number.as_str()))
    }

    pub(super) fn fetch_documents(&mut self) -> Task<Message> {
        let Some(id) = self.holder() else {
            self.vm.screen = self.card_screen(Some(Feature::Print));
            return Task::none();
        };
        self.ask(move |services| Answer::Documents(services.documents_mine(&id)))
    }

    pub(super) fn fetch_cases(&mut self) -> Task<Message> {
        let Some(id) = self.holder() else {
            self.vm.screen = self.card_screen(Some(Feature::Progress));
            return Task::none();
        };
        self.ask(move |services| Answer::Cases(services.cases_mine(&id)))
    }

    /// Delivers `answer` as the answer to the latest journey call (`kiosk shot`'s presets stand in for the
    /// hub with it).
    pub fn deliver(&mut self, answer: Answer) {
        let task = self.answered(self.core.latest(), answer);
        // A claim granted starts nothing; a ticket's print job would: presets deliver its end themselves.
        drop(task);
    }

    pub(super) fn answered(&mut self, asked: u64, answer: Answer) -> Task<Message> {
        // A page photographed, the camera's live picture and the phone's photos answer the application
        // screen's own work, which checks them itself: a call made meanwhile (the phone's page opened for
        // another material) must not leave that screen waiting for ever.
        if !self.core.wanted(asked) && !answer.for_the_screen() {
            // The citizen moved on: a copy granted meanwhile is given back, anything else is dropped.
            if let Answer::Claim(Ok(Claimed::Granted { claim_id, .. })) = answer {
                self.give_back(claim_id);
            }
            return Task::none();
        }
        match (&mut self.vm.screen, answer) {
            (Screen::Card(_), Answer::Code(checked)) => self.handle(Input::CodeChecked(checked)),
            (Screen::Enterprise(state), Answer::Enterprises(listed)) => {
                let chosen = state.listed(listed);
                self.represented = state.listed.clone();
                if let Some(enterprise::Event::Chosen(chosen)) = chosen {
                    self.core.session_mut().choose_enterprise(*chosen);
                }
            }
            (Screen::Progress(state), Answer::Cases(cases)) => state.answered(cases),
            (Screen::Documents(state), Answer::Documents(documents)) => {
                if let Some(documents::Event::Claim(id)) = state.listed(documents) {
                    return self.claim(id);
                }
            }
            (Screen::Documents(state), Answer::Claim(claimed)) => match claimed {
                Ok(Claimed::Granted {
                    claim_id, document, ..
                }) => {
                    self.preview(document, Some(claim_id), Subject::journey("print"));
                }
                Ok(Claimed::LimitReached {
                    printed_today,
                    daily_limit,
                    next_day,
                }) => state.limit_reached(printed_today, daily_limit, next_day),
                Err(failure) => state.failed(failure),
            },
            (Screen::Ticket(state), Answer::Ticket(taken)) => {
                state.taken(taken);
                if let ticket::Step::Printing(reply) = &state.step {
                    let (service, reply) = (state.service.clone(), reply.clone());
                    let document = self.ticket_document(&service, &reply);
                    return self.print_document(document);
                }
            }
            (Screen::Apply(state), Answer::Licences(licences)) => {
                // The hub's records may have filled the field the keyboard is on.
                let filled = state.library(licences);
                if filled {
                    self.refocus_apply();
                }
            }
            (Screen::Apply(state), Answer::Captured(material, captured)) => {
                let status = applying::camera_state(&captured.as_ref().map(drop).map_err(|p| *p));
                state.captured(&material, captured);
                self.camera_status(status);
            }
            (Screen::Apply(state), Answer::UploadOpened(material, opened)) => {
                state.phone_opened(&material, opened)
            }
            (Screen::Apply(state), Answer::Live(frame)) => {
                let status = applying::camera_state(&frame.as_ref().map(drop).map_err(|p| *p));
                state.live(frame.ok());
                self.camera_status(status);
            }
            (Screen::Apply(state), Answer::PhonePages(material, pages)) => {
                state.phone_pages(&material, pages)
            }
            (Screen::Apply(state), Answer::Submitted(submitted)) => {
                if let Some(apply::Event::Print(receipt)) = state.submitted(submitted) {
                    return self.print_document(receipt);
                }
            }
            (Screen::Rating(state), Answer::Rated(saved)) => state.sent(saved),
            (Screen::Help(state), Answer::HelpRecorded(recorded)) => state.recorded(recorded),
            (screen, Answer::Lost) => match screen {
                Screen::Progress(state) => state.answered(Err(Failure::Refused)),
                Screen::Documents(state) => state.failed(Failure::Refused),
                Screen::Ticket(state) => state.taken(Err(Failure::Refused)),
                Screen::Apply(state) => {
                    let _ = state.library(Err(Failure::Refused));
                    let _ = state.submitted(Err(Failure::Refused));
                }
                Screen::Rating(state) => state.sent(false),
                Screen::Help(state) => state.recorded(false),
                _ => {}
            },
            (_, Answer::Claim(Ok(Claimed::Granted { claim_id, .. }))) => self.give_back(claim_id),
            _ => {}
        }
        Task::none()
    }

    pub(super) fn claim(&mut self, document: String) -> Task<Message> {
        let Some(id) = self.holder() else {
            return Task::none();
        };
        self.ask(move |services| Answer::Claim(services.claim(&document, &id)))
    }

    /// The ticket as printed: the number, the service in Chinese (the hall's language), who is waiting.
    pub(super) fn ticket_document(
        &self,
        service: &LocalText,
        reply: &kiosk_proto::fleet::TicketReply,
    ) -> crate::domain::document::Document {
        crate::domain::document::Ticket {
            number: ticket::number(reply),
            service: service.zh.clone(),
            waiting: u32::try_from(reply.waiting).unwrap_or(u32::MAX),
            hall: self.settings.hall.zh.clone(),
            issued_at: self.clock.format("%Y-%m-%d %H:%M").to_string(),
        }
        .document()
    }

    /// Prints `document` at once through the print journal (a ticket, an application's receipt): its end
    /// comes back as the screen's print verdict.
    pub(super) fn print_document(
        &mut self,
        document: crate::domain::document::Document,
    ) -> Task<Message> {
        let prepared = print::Prepared::new(document, &self.settings.profile);
        match (&self.printer, prepared) {
            (Some(target), Ok(prepared)) => print_job(
                self.settings.database.clone(),
                target.clone(),
                Arc::new(prepared),
            ),
            (_, prepared) => {
                if let Err(error) = prepared {
                    tracing::error!(%error, "the ticket cannot be printed on this printer");
                }
                self.print_finished(Verdict::NothingPrinted(
                    crate::device::Reason::NotConfigured,
                ));
                Task::none()
            }
        }
    }

    pub(super) fn rate(&mut self, subject: Subject, level: u8) -> Task<Message> {
        let (state, rating) = rating::State::new(subject, level);
        self.vm.screen = Screen::Rating(state);
        match rating {
            Some(rating) => self.send_rating(rating),
            None => Task::none(),
        }
    }

    pub(super) fn send_rating(&mut self, rating: kiosk_proto::service::Rating) -> Task<Message> {
        self.ask(move |services| Answer::Rated(services.rate(&rating).is_ok()))
    }

    /// "Call staff", from a failure or from the top bar: the request is recorded in the outbox (the screen
    /// and the problem, never the citizen). With a hub, staff are called remotely and the citizen stays where
    /// they are stuck (the banner says what happens next); without one, the help screen says where staff are.
    pub(super) fn call_staff(&mut self, problem: String) -> Task<Message> {
        let problem = (!problem.is_empty()).then_some(problem);
        let request = HelpRequest {
            screen: self.vm.screen.name().to_string(),
            problem: problem.clone(),
        };
        self.call_remote(problem);
        if self.vm.assist.phase.open() {
            let services = self.services.clone();
            let spawned = std::thread::Builder::new()
                .name("help-request".into())
                .spawn(move || {
                    let _ = services.ask_for_help(&request);
                });
            if let Err(error) = spawned {
                tracing::error!(%error, "cannot record a help request");
            }
            return Task::none();
        }
        self.vm.screen = Screen::Help(help::State::new(
            self.vm.screen.name(),
            request.problem.clone(),
        ));
        self.ask(move |services| Answer::HelpRecorded(services.ask_for_help(&request).is_ok()))
    }

    pub(super) fn progress(&mut self, message: progress::Message) -> Task<Message> {
        let Screen::Progress(state) = &mut self.vm.screen else {
            return Task::none();
        };
        match state.update(message) {
            Some(progress::Event::NeedCard) => {
                if self.core.identity().is_some() {
                    self.vm.screen = Screen::Progress(progress::State::mine());
                    return self.fetch_cases();
                }
                self.vm.screen = self.card_screen(Some(Feature::Progress));
            }
            Some(progress::Event::FetchMine) => return self.fetch_cases(),
            Some(progress::Event::Query(query)) => {
                return self.ask(move |services| {
                    Answer::Cases(services.case_query(&query).map(|case| vec![case]))
                })
            }
            Some(progress::Event::Print(case)) => {
                let now = self.clock.format("%Y-%m-%d %H:%M").to_string();
                let subject = Subject {
                    service: case.summary.service_id.clone(),
                    case_no: Some(case.summary.case_no.clone()),
                };
                self.preview(crate::journey::progress_record(&case, &now), None, subject);
            }
            Some(progress::Event::Supply(case)) => return self.begin_supplement(&case),
            Some(progress::Event::Rate(subject, level)) => return self.rate(subject, level),
            Some(progress::Event::CallStaff(problem)) => return self.call_staff(problem),
            Some(progress::Event::Home) => self.vm.screen = Screen::Home,
            None => {}
        }
        Task::none()
    }

    pub(super) fn documents(&mut self, message: documents::Message) -> Task<Message> {
        let Screen::Documents(state) = &mut self.vm.screen else {
            return Task::none();
        };
        match state.update(message) {
            Some(documents::Event::Fetch) => return self.fetch_documents(),
            Some(documents::Event::Claim(id)) => return self.claim(id),
            Some(documents::Event::CallStaff(problem)) => return self.call_staff(problem),
            Some(documents::Event::Home) => self.vm.screen = Screen::Home,
            None => {}
        }
        Task::none()
    }

    pub(super) fn ticket(&mut self, message: ticket::Message) -> Task<Message> {
        let Screen::Ticket(state) = &mut self.vm.screen else {
            return Task::none();
        };
        match state.update(message) {
            Some(ticket::Event::Take(service)) => {
                return self.ask(move |services| Answer::Ticket(services.ticket(&service)))
            }
            Some(ticket::Event::Rate(subject, level)) => return self.rate(subject, level),
            Some(ticket::Event::CallStaff(problem)) => return self.call_staff(problem),
            Some(ticket::Event::Home) => self.vm.screen = Screen::Home,
            Some(ticket::Event::Finish) => self.end_session(),
            None => {}
        }
        Task::none()
    }

    /// Opens the ticket journey for a catalogue service: the number is asked for at once.
    pub(super) fn take_ticket(&mut self, service: String) -> Task<Message> {
        if Feature::Ticket.blocker(&self.vm.devices).is_some() {
            self.vm.screen = Screen::Home;
            return Task::none();
        }
        let name = self
            .catalogue
            .service(&service)
            .map(|s| s.name.clone())
            .unwrap_or_else(|| LocalText::new(service.clone(), service.clone()));
        self.vm.screen = Screen::Ticket(ticket::State::new(service.clone(), name));
        self.ask(move |services| Answer::Ticket(services.ticket(&service)))
    }

    pub(super) fn rating(&mut self, message: rating::Message) -> Task<Message> {
        let Screen::Rating(state) = &mut self.vm.screen else {
            return Task::none();
        };
        match state.update(message) {
            Some(rating::Event::Send(rating)) => return self.send_rating(rating),
            Some(rating::Event::Home) => self.vm.screen = Screen::Home,
            Some(rating::Event::Finish) => self.end_session(),
            None => {}
        }
        Task::none()
    }

    /// The prompt of the screen showing (the countdown's while it shows).
    pub fn prompt(&self) -> Option<Prompt> {
        if self.vm.countdown.is_some() {
            return Some(Prompt::Countdown);
        }
        Some(match &self.vm.screen {
            Screen::Attract(_) => Prompt::Attract,
            Screen::Home => Prompt::Home,
            Screen::Guide(state) => state.prompt(),
            Screen::Card(state) => match state.step {
                card::Step::Place => Prompt::CardPlace,
                card::Step::Reading => Prompt::CardReading,
                card::Step::CheckingCode => Prompt::CodeChecking,
                card::Step::Welcome { by_code: true, .. } => Prompt::CodeWelcome,
                card::Step::Welcome { .. } => Prompt::CardWelcome,
                card::Step::Problem(_) => Prompt::CardProblem,
            },
            Screen::Print(state) => state.prompt(),
            Screen::Progress(state) => state.prompt(),
            Screen::Documents(state) => state.prompt(),
            Screen::Enterprise(state) => state.prompt(),
            Screen::Ticket(state) => state.prompt(),
            Screen::Apply(state) => state.prompt(),
            Screen::Rating(state) => state.prompt(),
            Screen::Help(_) => Prompt::Help,
            Screen::OutOfService(_) | Screen::Maintenance(_) => return None,
        })
    }

    /// Speaks the screen's prompt once when it appears (or the language changes), when the voice is on; a
    /// card left on the reader is said aloud whatever the mode (unless the voice is off), every 20 s until
    /// it is taken.
    pub(super) fn speak(&mut self) {
        let Some(voice) = &self.speech.voice else {
            return;
        };
        if !self.settings.voice.speaks(self.vm.elder) {
            self.speech.spoken = None;
        } else {
            let now = self.prompt().map(|prompt| (prompt, self.vm.lang));
            if now != self.speech.spoken {
                if let Some((prompt, lang)) = now {
                    voice.say(
                        lang,
                        &crate::ui::i18n::tr(
                            lang,
                            Words::Journey(crate::ui::i18n::JourneyWords::Say(prompt)),
                        ),
                    );
                }
                self.speech.spoken = now;
            }
        }
        // After the prompt (a line said cuts the one before it off).
        let due = self
            .speech
            .card_left_said
            .is_none_or(|said| self.now.saturating_duration_since(said) >= CARD_LEFT_AGAIN);
        if self.vm.card_left && due {
            let lang = self.vm.lang;
            let say = |words| crate::ui::i18n::tr(lang, Words::Journey(words));
            voice.say(
                lang,
                &format!(
                    "{}{}{}",
                    say(crate::ui::i18n::JourneyWords::CardLeft),
                    crate::ui::i18n::colon(lang),
                    say(crate::ui::i18n::JourneyWords::CardLeftTodo)
                ),
            );
            self.speech.card_left_said = Some(self.now);
        }
    }
}
