//! The demo's simulated parts, in one place for `kiosk demo`, the journey tests and the journey benchmark:
//! the hub in-process on SQLite seeded with the Suzhou demo, the terminal enrolled with it by a one-time
//! code, the virtual printer on loopback and the reader simulator on a pty with a demo card of every kind.

use std::path::Path;
use std::sync::Arc;

use crate::config::Config;
use crate::device::printer::virtual_printer::VirtualPrinter;
use crate::device::reader::sim::{demo_cards, SimControl, SimPort};

/// The demo printer's speed, mm of paper a second (kiosk thermal printers do 150–250).
pub const PRINT_SPEED: f32 = 150.0;

/// The demo hub's staff account for the remote-guidance console (`/console`): user name and password.
pub const STAFF: (&str, &str) = ("demo", "demo-staff");

/// The demo terminal's service PIN (technicians' mode: hold the top-left corner of the start screen).
pub const SERVICE_PIN: &str = "258014";

pub type DemoError = Box<dyn std::error::Error + Send + Sync>;

/// The demo's running parts; dropping them stops them.
pub struct DemoParts {
    pub hub: Arc<kiosk_hub::embedded::EmbeddedHub>,
    pub printer: Arc<VirtualPrinter>,
    /// Places and removes the simulated reader's cards.
    pub sim: SimControl,
    /// The reader's end of the pty (its path is the terminal's reader port).
    pub port: SimPort,
    /// The phone pages (亮码, the government app's stand-in) of the demo's resident card holders: the card's
    /// label and the page's address on the hub.
    pub phones: Vec<(String, String)>,
}

impl DemoParts {
    /// Starts the parts with their files in `dir` (the hub's database; the printed jobs when `keep_jobs`)
    /// and points `config` at them: the printer's address, the terminal's database, the hub and the
    /// credential the enrolment saved. Without a configuration (it did not load) only the parts start.
    pub fn start(
        dir: &Path,
        config: Option<&mut Config>,
        keep_jobs: bool,
    ) -> Result<DemoParts, DemoError> {
        let hub = format!("sqlite://{}", dir.join("hub.db").display());
        DemoParts::start_on(dir, config, keep_jobs, &hub)
    }

    /// [`DemoParts::start`] with the hub's database at `hub` (a PostgreSQL URL for the tests that run the
    /// terminal against a hub on PostgreSQL).
    pub fn start_on(
        dir: &Path,
        config: Option<&mut Config>,
        keep_jobs: bool,
        hub: &str,
    ) -> Result<DemoParts, DemoError> {
        let sim = SimControl::new(demo_cards());
        let port = SimPort::pty(sim.clone(), 115_200)?;
        let printer = Arc::new(VirtualPrinter::start(
            "127.0.0.1:0",
            keep_jobs.then(|| dir.to_path_buf()),
        )?);
        let hub = Arc::new(kiosk_hub::embedded::EmbeddedHub::start(hub)?);
        let mut phones = Vec::new();
        if let Some(config) = config {
            printer
                .set_paper_dots(crate::device::printer::Profile::from_config(&config.printer).dots);
            config.printer.uri = printer.uri();
            // The document camera is the simulator (the demo panel unplugs it, takes the page away, blurs it).
            config.camera.device = "sim".into();
            // The terminal's files live with the demo's, not in /var/lib.
            config.terminal.database = dir.join("kiosk.db");
            // The demo's pinyin: the package's deployment, or one made now under the temporary folder.
            match crate::input::deploy::deployed_or_temporary(&config.input.rime) {
                Ok(rime) => config.input.rime = rime,
                Err(error) => tracing::warn!(%error, "the demo goes without pinyin"),
            }
            config.input.words = dir.join("words");
            // The Suzhou demo: catalogue, announcements, cases and the demo cards' documents.
            hub.block_on(kiosk_hub::seed::demo(hub.store()))?;
            let code = hub.block_on(kiosk_hub::fleet::create_code(
                hub.store(),
                &config.terminal.hall_name.zh,
            ))?;
            // A staff member for the console.
            hub.block_on(kiosk_hub::staff::add(
                hub.store(),
                STAFF.0,
                "演示",
                "0001",
                STAFF.1,
            ))?;
            // The demo's one account both guides and reviews, every department.
            hub.block_on(kiosk_hub::staff::grant(
                hub.store(),
                STAFF.0,
                kiosk_hub::staff::Role::Admin,
                &[],
            ))?;
            // Each valid resident card's holder has the government app's stand-in, showing their code.
            for card in demo_cards() {
                let Ok(holder) = card.identity() else {
                    continue;
                };
                if card.card_type != crate::domain::identity::CardType::Resident
                    || !crate::domain::identity::id_number_is_valid(&holder.id_number)
                    || card.label == "expired"
                {
                    continue;
                }
                let token = hub.block_on(kiosk_hub::signin::add_account(
                    hub.store(),
                    &holder.id_number,
                    &holder.name,
                ))?;
                phones.push((card.label.clone(), format!("{}/id/{token}", hub.url())));
            }
            config.hub.url = hub.url();
            config.hub.credential = dir.join("credential");
            crate::sync::client::enroll(
                &config.hub.url,
                config.hub.ca.as_deref(),
                &code,
                &config.terminal.device_id,
                &config.hub.credential,
            )?;
        }
        Ok(DemoParts {
            hub,
            printer,
            sim,
            port,
            phones,
        })
    }

    /// The phone page of the holder of the demo card `label` (亮码), if they have one.
    pub fn phone(&self, label: &str) -> Option<&str> {
        self.phones
            .iter()
            .find(|(l, _)| l == label)
            .map(|(_, url)| url.as_str())
    }

    /// A fresh sign-in code of the holder of the demo card `label`, fetched from their phone page's hub as
    /// the page itself does.
    pub fn fresh_code(&self, label: &str) -> Result<String, DemoError> {
        let page = self.phone(label).ok_or("no phone page for that card")?;
        let shown: serde_json::Value = reqwest::blocking::get(format!("{page}/code"))?
            .error_for_status()?
            .json()?;
        Ok(shown["code"]
            .as_str()
            .ok_or("the page gave no code")?
            .to_string())
    }

    /// The number of the case the hub changed last (its receipt's code for the demo panel's scanner).
    pub fn newest_case(&self) -> Option<String> {
        self.hub
            .block_on(kiosk_hub::cases::newest(self.hub.store()))
            .ok()
            .flatten()
    }

    /// The demo panel's switch for the network to the hub.
    pub fn network(&self) -> Arc<dyn crate::ui::demo::DemoNetwork> {
        Arc::new(HubNetwork(self.hub.clone()))
    }

    /// The keys of a kiosk.toml that put `config` (as [`DemoParts::start`] pointed it at these parts) in
    /// a file: its database, the reader's pty, the printer, the camera, the hub and the credential.
    pub fn config_changes(&self, config: &Config) -> Vec<crate::maintenance::settings::Change> {
        use crate::maintenance::settings::Change;
        let path = |p: &Path| p.display().to_string();
        vec![
            Change::text("terminal", "database", path(&config.terminal.database)),
            Change::text("reader", "port", self.port.path()),
            Change::text("printer", "uri", config.printer.uri.clone()),
            Change::text("camera", "device", config.camera.device.clone()),
            Change::text("hub", "url", config.hub.url.clone()),
            Change::text("hub", "credential", path(&config.hub.credential)),
            Change::text("input", "rime", path(&config.input.rime)),
            Change::text("input", "words", path(&config.input.words)),
        ]
    }
}

/// The in-process hub, as the demo panel's network switch.
pub struct HubNetwork(pub Arc<kiosk_hub::embedded::EmbeddedHub>);

impl crate::ui::demo::DemoNetwork for HubNetwork {
    fn is_up(&self) -> bool {
        self.0.is_up()
    }

    fn cut(&self) {
        self.0.pause();
    }

    fn restore(&self) -> std::io::Result<()> {
        self.0.resume()
    }
}
