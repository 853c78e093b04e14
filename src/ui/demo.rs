//! The demo panel beside the terminal's screen in `kiosk demo`: places and removes the simulator's cards,
//! injects reader faults, sends a sample document to the terminal's print preview, empties the virtual
//! printer's paper or opens its cover, and shows the last page it printed, so every path can be shown by
//! hand. Sized in plain pixels: it is not part of the terminal's screen.

use iced::widget::{button, column, container, image, scrollable, text};
use iced::{Color, Length};

use std::sync::Arc;

use crate::device::printer::virtual_printer::VirtualPrinter;
use crate::device::reader::sim::{Injection, SimControl};
use crate::device::Device;
use crate::domain::document::DocumentKind;
use crate::domain::Lang;
use crate::ui::i18n::{tr, DemoCamera, DemoFault, DemoPrinter, Words};
use crate::ui::{fonts, Element};

/// The panel's width in pixels, added to the window beside the terminal's screen.
pub const PANEL_WIDTH: f32 = 280.0;

/// The simulators the demo runs in place of devices.
#[derive(Clone)]
pub struct DemoRig {
    pub reader: SimControl,
    pub printer: Arc<VirtualPrinter>,
    /// The hub running in-process (none: the demo runs without one).
    pub hub: Option<Arc<dyn DemoNetwork>>,
    /// The simulated document camera's faults (none: no simulated camera).
    pub camera: Option<Arc<std::sync::Mutex<crate::device::camera::sim::Faults>>>,
    /// The simulated code scanner and what the panel shows it (none: no simulated scanner).
    pub scanner: Option<Arc<DemoScanner>>,
}

/// The demo's code scanner: its simulator, the phone pages (亮码) of the demo's residents, and a receipt's
/// code, so the panel can hold a fresh code, the last one again, a receipt, or garbage to the scanner.
pub struct DemoScanner {
    sim: std::sync::Mutex<crate::device::scanner::sim::ScannerSim>,
    /// Each demo card's label and its holder's phone page.
    phones: Vec<(String, String)>,
    /// A receipt's QR text (a seeded case).
    receipt: Option<String>,
    /// The last sign-in code shown (to show it again: a replay).
    last: std::sync::Mutex<Option<zeroize::Zeroizing<String>>>,
}

impl DemoScanner {
    pub fn new(
        sim: crate::device::scanner::sim::ScannerSim,
        phones: Vec<(String, String)>,
        receipt: Option<String>,
    ) -> DemoScanner {
        DemoScanner {
            sim: std::sync::Mutex::new(sim),
            phones,
            receipt,
            last: std::sync::Mutex::new(None),
        }
    }

    pub fn act(&self, action: &ScanAction) -> Result<(), String> {
        let mut sim = self.sim.lock().unwrap_or_else(|e| e.into_inner());
        let mut last = self.last.lock().unwrap_or_else(|e| e.into_inner());
        match action {
            ScanAction::Code(label) => {
                let page = self
                    .phones
                    .iter()
                    .find(|(l, _)| l == label)
                    .map(|(_, page)| page.clone())
                    .ok_or("no phone page for that card")?;
                // As the phone's page fetches it (briefly: the panel waits on it).
                let shown: serde_json::Value = reqwest::blocking::Client::builder()
                    .timeout(std::time::Duration::from_secs(2))
                    .build()
                    .and_then(|http| http.get(format!("{page}/code")).send())
                    .and_then(|reply| reply.error_for_status())
                    .and_then(|reply| reply.json())
                    .map_err(|e| format!("the phone page gave no code: {e}"))?;
                let code = shown["code"].as_str().ok_or("the page gave no code")?;
                *last = Some(zeroize::Zeroizing::new(code.to_string()));
                sim.show(code).map_err(|e| e.to_string())
            }
            ScanAction::Again => match last.as_ref() {
                Some(code) => sim.show(code).map_err(|e| e.to_string()),
                None => Err("no code was shown yet".into()),
            },
            ScanAction::Receipt => match &self.receipt {
                Some(receipt) => sim.show(receipt).map_err(|e| e.to_string()),
                None => Err("no receipt to show".into()),
            },
            ScanAction::Garbage => sim.garbage().map_err(|e| e.to_string()),
            ScanAction::Unplug => {
                sim.unplug();
                Ok(())
            }
        }
    }
}

/// What the panel holds to the scanner.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ScanAction {
    /// A fresh sign-in code of the demo card's holder (their phone page's).
    Code(String),
    /// The last code again (a photo of it: the hub refuses it).
    Again,
    /// A receipt's QR.
    Receipt,
    /// Bytes that are no code.
    Garbage,
    /// The scanner's cable pulled (for good, in this demo run).
    Unplug,
}

/// The network between the terminal and the demo's in-process hub, as the panel cuts and restores it.
pub trait DemoNetwork: Send + Sync {
    /// Whether the hub serves now.
    fn is_up(&self) -> bool;
    /// The hub stops answering (the network is cut).
    fn cut(&self);
    /// The hub serves again.
    fn restore(&self) -> std::io::Result<()>;
}

#[derive(Debug, Clone, PartialEq)]
pub enum Message {
    Place(String),
    Remove,
    Fault(DemoFault),
    Printer(DemoPrinter),
    PrintSample(DocumentKind),
    /// Cut (false) or restore (true) the network between the terminal and the hub.
    Network(bool),
    Camera(DemoCamera),
    Scanner(ScanAction),
}

/// The demo beside the terminal: its simulated devices, and the panel's picture of the printer's last page.
pub struct Demo {
    pub rig: DemoRig,
    page: Option<LastPage>,
}

impl Demo {
    pub fn new(rig: DemoRig) -> Demo {
        Demo { rig, page: None }
    }

    /// Draws the printer's last page again when a new job has come in.
    pub fn refresh(&mut self) {
        LastPage::refresh(&mut self.page, &self.rig.printer);
    }

    pub fn view(&self, lang: Lang) -> Element<'_, Message> {
        view(&self.rig, lang, self.page.as_ref())
    }
}

/// The last page the virtual printer put out, drawn once per job.
pub struct LastPage {
    /// The printer's job count when it was drawn.
    pub jobs: usize,
    pub page: image::Handle,
}

impl LastPage {
    /// The picture of the printer's last job, redrawn only when a new job has come in.
    pub fn refresh(current: &mut Option<LastPage>, printer: &VirtualPrinter) {
        let jobs = printer.job_count();
        if current.as_ref().is_some_and(|p| p.jobs == jobs) {
            return;
        }
        *current = printer.last_page().map(|paper| {
            let rgba: Vec<u8> = paper.pixels.iter().flat_map(|&g| [g, g, g, 255]).collect();
            LastPage {
                jobs,
                page: image::Handle::from_rgba(paper.width, paper.height.max(1), rgba),
            }
        });
    }
}

const PRINTER: [DemoPrinter; 6] = [
    DemoPrinter::PaperOut,
    DemoPrinter::PaperLow,
    DemoPrinter::PaperOk,
    DemoPrinter::CoverOpen,
    DemoPrinter::CoverClosed,
    DemoPrinter::Offline,
];

/// The virtual printer's console command for each button.
fn printer_command(action: DemoPrinter) -> &'static str {
    match action {
        DemoPrinter::PaperOut => "paper out",
        DemoPrinter::PaperLow => "paper near",
        DemoPrinter::PaperOk => "paper ok",
        DemoPrinter::CoverOpen => "cover open",
        DemoPrinter::CoverClosed => "cover closed",
        DemoPrinter::Offline => "offline",
    }
}

const FAULTS: [DemoFault; 9] = [
    DemoFault::NoReply,
    DemoFault::BadChecksum,
    DemoFault::Truncated,
    DemoFault::Garbage,
    DemoFault::ReadFailed,
    DemoFault::PullAfterSelect,
    DemoFault::SamSelfTest,
    DemoFault::SamUnauthorised,
    DemoFault::Clear,
];

/// The simulator fault each button arms (`None`: clear them all).
fn injection(fault: DemoFault) -> Option<&'static str> {
    Some(match fault {
        DemoFault::NoReply => "no-reply",
        DemoFault::BadChecksum => "bad-checksum",
        DemoFault::Truncated => "truncated",
        DemoFault::Garbage => "garbage@any",
        DemoFault::ReadFailed => "sw3=41",
        DemoFault::PullAfterSelect => "pull-after-select",
        DemoFault::SamSelfTest => "sw3=60@any:always",
        DemoFault::SamUnauthorised => "sw3=66@any:always",
        DemoFault::Clear => return None,
    })
}

/// Acts on the simulators; a sample to print goes back to the router (`Some`).
pub fn update(rig: &DemoRig, message: Message) -> Option<DocumentKind> {
    let sim = &rig.reader;
    match message {
        Message::PrintSample(kind) => return Some(kind),
        Message::Network(up) => {
            if let Some(hub) = &rig.hub {
                if up {
                    if let Err(error) = hub.restore() {
                        tracing::warn!(%error, "demo panel: the hub cannot serve again");
                    }
                } else {
                    hub.cut();
                }
            }
        }
        Message::Printer(action) => {
            if let Err(error) = rig.printer.command(printer_command(action)) {
                tracing::warn!(%error, "demo panel");
            }
        }
        Message::Place(label) => {
            if let Err(error) = sim.place(&label) {
                tracing::warn!(%error, "demo panel");
            }
        }
        Message::Remove => sim.remove(),
        Message::Scanner(action) => {
            if let Some(scanner) = &rig.scanner {
                if let Err(error) = scanner.act(&action) {
                    tracing::warn!(%error, "demo panel: the scanner");
                }
            }
        }
        Message::Camera(action) => {
            if let Some(camera) = &rig.camera {
                let mut faults = camera.lock().unwrap_or_else(|e| e.into_inner());
                match action {
                    DemoCamera::Unplug => faults.unplugged = true,
                    DemoCamera::Plug => faults.unplugged = false,
                    DemoCamera::TakePage => faults.no_page = true,
                    DemoCamera::PutPage => faults.no_page = false,
                    DemoCamera::Blur => faults.blurred = true,
                    DemoCamera::Focus => faults.blurred = false,
                }
            }
        }
        Message::Fault(fault) => match injection(fault) {
            Some(spec) => match Injection::parse(spec) {
                Ok(injection) => sim.inject(injection),
                Err(error) => tracing::warn!(%error, "demo panel"),
            },
            None => sim.clear_faults(),
        },
    }
    None
}

pub fn view<'a>(rig: &DemoRig, lang: Lang, last: Option<&'a LastPage>) -> Element<'a, Message> {
    let sim = &rig.reader;
    const TEXT: f32 = 15.0;
    let heading = |t: Words| text(tr(lang, t)).size(TEXT + 2.0).font(fonts::bold());
    let small_button = |label: String, message: Message| {
        button(text(label).size(TEXT))
            .on_press(message)
            .width(Length::Fill)
            .padding([6.0, 10.0])
    };
    let placed = sim.placed();
    let mut cards = column![heading(Words::DemoCards)].spacing(6.0);
    for (label, kind) in sim.cards() {
        let marker = if placed.as_deref() == Some(label.as_str()) {
            "● "
        } else {
            ""
        };
        let name = format!("{marker}{label} · {}", tr(lang, Words::CardKind(kind)));
        cards = cards.push(small_button(name, Message::Place(label)));
    }
    cards = cards.push(small_button(
        tr(lang, Words::DemoRemove).into_owned(),
        Message::Remove,
    ));
    let on_reader = format!(
        "{}: {}",
        tr(lang, Words::DemoOnReader),
        placed.as_deref().unwrap_or("—")
    );
    let mut faults = column![heading(Words::DemoFaults)].spacing(6.0);
    for fault in FAULTS {
        faults = faults.push(small_button(
            tr(lang, Words::DemoFault(fault)).into_owned(),
            Message::Fault(fault),
        ));
    }
    let mut printer = column![
        heading(Words::DemoPrinterHeading),
        text(tr(
            lang,
            Words::Unavailable(Device::Printer, rig.printer.state().device_status())
        ))
        .size(TEXT),
    ]
    .spacing(6.0);
    for action in PRINTER {
        printer = printer.push(small_button(
            tr(lang, Words::DemoPrinterAction(action)).into_owned(),
            Message::Printer(action),
        ));
    }
    let mut samples = column![heading(Words::DemoPrintHeading)].spacing(6.0);
    for kind in [
        DocumentKind::Licence,
        DocumentKind::Receipt,
        DocumentKind::Ticket,
    ] {
        samples = samples.push(small_button(
            tr(lang, Words::DemoPrintSample(kind)).into_owned(),
            Message::PrintSample(kind),
        ));
    }
    let page: Element<'a, Message> = match last {
        Some(last) => container(image(last.page.clone()).width(Length::Fill))
            .padding(6.0)
            .style(|_| container::Style {
                background: Some(Color::WHITE.into()),
                border: iced::Border {
                    color: Color::from_rgb8(0xB0, 0xB6, 0xBE),
                    width: 1.0,
                    radius: 2.0.into(),
                },
                ..container::Style::default()
            })
            .into(),
        None => text(tr(lang, Words::DemoNoPageYet)).size(TEXT).into(),
    };
    let page = column![heading(Words::DemoLastPage), page].spacing(6.0);
    let mut network = column![heading(Words::DemoNetworkHeading)].spacing(6.0);
    if let Some(hub) = &rig.hub {
        let up = hub.is_up();
        network = network
            .push(text(tr(lang, Words::DemoNetworkState(up))).size(TEXT))
            .push(small_button(
                tr(lang, Words::DemoNetworkAction(up)).into_owned(),
                Message::Network(!up),
            ));
    }
    let mut camera = column![heading(Words::DemoCameraHeading)].spacing(6.0);
    if let Some(faults) = &rig.camera {
        let now = *faults.lock().unwrap_or_else(|e| e.into_inner());
        camera = camera.push(
            text(tr(
                lang,
                Words::DemoCameraState(!now.unplugged, !now.no_page, !now.blurred),
            ))
            .size(TEXT),
        );
        for action in [
            if now.unplugged {
                DemoCamera::Plug
            } else {
                DemoCamera::Unplug
            },
            if now.no_page {
                DemoCamera::PutPage
            } else {
                DemoCamera::TakePage
            },
            if now.blurred {
                DemoCamera::Focus
            } else {
                DemoCamera::Blur
            },
        ] {
            camera = camera.push(small_button(
                tr(lang, Words::DemoCameraAction(action)).into_owned(),
                Message::Camera(action),
            ));
        }
    }
    let mut scanner = column![heading(Words::DemoScannerHeading)].spacing(6.0);
    if let Some(demo) = &rig.scanner {
        for (label, _) in &demo.phones {
            scanner = scanner.push(small_button(
                format!("{} · {label}", tr(lang, Words::DemoScanCode)),
                Message::Scanner(ScanAction::Code(label.clone())),
            ));
        }
        for (words, action) in [
            (Words::DemoScanAgain, ScanAction::Again),
            (Words::DemoScanReceipt, ScanAction::Receipt),
            (Words::DemoScanGarbage, ScanAction::Garbage),
            (Words::DemoScanUnplug, ScanAction::Unplug),
        ] {
            scanner = scanner.push(small_button(
                tr(lang, words).into_owned(),
                Message::Scanner(action),
            ));
        }
    }
    container(scrollable(
        column![
            text(tr(lang, Words::DemoPanel))
                .size(TEXT + 6.0)
                .font(fonts::bold()),
            text(on_reader).size(TEXT),
            network,
            cards,
            faults,
            scanner,
            camera,
            samples,
            printer,
            page,
        ]
        .spacing(14.0)
        .padding(12.0),
    ))
    .width(PANEL_WIDTH)
    .height(Length::Fill)
    .style(|_| container::Style {
        background: Some(Color::from_rgb8(0xEC, 0xEF, 0xF3).into()),
        text_color: Some(Color::from_rgb8(0x1A, 0x1A, 0x1A)),
        ..container::Style::default()
    })
    .into()
}
