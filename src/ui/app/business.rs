//! 企业服务's side of the router: the registry asked for the signed-in representative's enterprises, the one
//! chosen kept in the session, its business licence printed through 证照打印, its change and its request
//! applied for through the application journey (prefilled from the registry), and the catalogue's policies
//! matched to it.

use super::*;

impl App {
    /// The tile (the card or the code read): the enterprise the session acts for, or the registry asked.
    pub(super) fn open_enterprise(&mut self) -> Task<Message> {
        if let Some(chosen) = self.core.session().enterprise().cloned() {
            let listed = self.represented.clone();
            self.vm.screen = Screen::Enterprise(enterprise::State::chosen(chosen, listed));
            return Task::none();
        }
        self.vm.screen = Screen::Enterprise(enterprise::State::default());
        self.fetch_enterprises()
    }

    fn fetch_enterprises(&mut self) -> Task<Message> {
        let Some(id) = self.holder() else {
            self.vm.screen = self.card_screen(Some(Feature::Enterprise));
            return Task::none();
        };
        self.ask(move |services| Answer::Enterprises(services.enterprises_mine(&id)))
    }

    pub(super) fn enterprise(&mut self, message: enterprise::Message) -> Task<Message> {
        let Screen::Enterprise(state) = &mut self.vm.screen else {
            return Task::none();
        };
        match state.update(message) {
            Some(enterprise::Event::Fetch) => return self.fetch_enterprises(),
            Some(enterprise::Event::Chosen(chosen)) => {
                self.core.session_mut().choose_enterprise(*chosen)
            }
            Some(enterprise::Event::Print(uscc)) => {
                self.print_for = Some(uscc);
                return self.open(Feature::Print);
            }
            Some(enterprise::Event::Apply(service)) => {
                self.apply_for = Some(service.to_string());
                return self.open(Feature::Apply);
            }
            Some(enterprise::Event::Policies(chosen)) => {
                let today = self.today().to_string();
                let policies =
                    kiosk_proto::enterprise::matching(&self.catalogue.policies, &chosen, &today)
                        .into_iter()
                        .cloned()
                        .collect();
                if let Screen::Enterprise(state) = &mut self.vm.screen {
                    state.policies(policies);
                }
            }
            Some(enterprise::Event::CallStaff(problem)) => return self.call_staff(problem),
            Some(enterprise::Event::Home) => self.vm.screen = Screen::Home,
            None => {}
        }
        Task::none()
    }
}
