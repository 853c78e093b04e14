//! Devices as the rest of the terminal sees them: a status each, and which features need which.
//! The drivers (reader, printer) and the hub client report into a [`DeviceBoard`].

pub mod camera;
pub mod printer;
pub mod reader;
pub mod scanner;
pub mod worker;

use serde::Serialize;

/// The state of one device, as Chinese kiosk runtimes report them (−1 … 4), with a reason where it matters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum DeviceStatus {
    /// Starting up; not known yet.
    Unknown,
    Ready,
    /// Usable, but maintenance should look (paper low).
    Warning(Reason),
    /// Unusable.
    Fault(Reason),
    /// In use by another job.
    Busy,
    /// Switched off in the configuration, or not part of this terminal.
    Disabled(Reason),
}

impl DeviceStatus {
    /// Whether a feature that needs this device can start now.
    pub fn is_usable(self) -> bool {
        matches!(self, DeviceStatus::Ready | DeviceStatus::Warning(_))
    }
}

/// Why a device is not simply ready; each has a message for citizens in both languages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Reason {
    NotConfigured,
    /// This build has no driver for it yet.
    NoDriver,
    NotConnected,
    PaperLow,
    PaperOut,
    CoverOpen,
    Offline,
    /// The device answers, but reports an internal fault (SAM self-test failed, not authorised …).
    DeviceError,
    /// The device is connected but does not answer.
    NoResponse,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum Device {
    Reader,
    Printer,
    Hub,
    /// The document camera (高拍仪).
    Camera,
    /// The 2D barcode scanner (扫码器).
    Scanner,
}

/// The status of everything a feature may need.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct DeviceBoard {
    pub reader: DeviceStatus,
    pub printer: DeviceStatus,
    pub hub: DeviceStatus,
    pub camera: DeviceStatus,
    pub scanner: DeviceStatus,
}

impl DeviceBoard {
    /// Every device working, the code scanner not configured (the shipped default): the demo's terminal
    /// in the journey tests and benchmarks.
    pub fn ready() -> DeviceBoard {
        DeviceBoard {
            reader: DeviceStatus::Ready,
            printer: DeviceStatus::Ready,
            hub: DeviceStatus::Ready,
            camera: DeviceStatus::Ready,
            scanner: DeviceStatus::Disabled(Reason::NotConfigured),
        }
    }

    /// The board at start-up, from the configuration: what is switched off says so; the rest waits for its
    /// driver to report.
    pub fn from_config(config: &crate::config::Config) -> DeviceBoard {
        let configured = |enabled: bool| {
            if enabled {
                DeviceStatus::Unknown
            } else {
                DeviceStatus::Disabled(Reason::NotConfigured)
            }
        };
        DeviceBoard {
            reader: configured(config.reader.enabled),
            printer: configured(config.printer.enabled),
            hub: if config.hub.url.is_empty() {
                DeviceStatus::Disabled(Reason::NotConfigured)
            } else {
                DeviceStatus::Unknown
            },
            camera: configured(config.camera.enabled),
            scanner: configured(config.scanner.enabled),
        }
    }

    pub fn status(&self, device: Device) -> DeviceStatus {
        match device {
            Device::Reader => self.reader,
            Device::Printer => self.printer,
            Device::Hub => self.hub,
            Device::Camera => self.camera,
            Device::Scanner => self.scanner,
        }
    }

    /// The first of `needs` that is not usable, with its status: why a feature cannot start.
    pub fn blocker(&self, needs: &[Device]) -> Option<(Device, DeviceStatus)> {
        needs
            .iter()
            .map(|d| (*d, self.status(*d)))
            .find(|(_, s)| !s.is_usable())
    }
}

/// A device state in a technician's words (`ready`, `fault: paper out`), for the fleet listing.
pub fn describe(status: DeviceStatus) -> String {
    let reason = |r: Reason| match r {
        Reason::NotConfigured => "not configured",
        Reason::NoDriver => "no driver",
        Reason::NotConnected => "not connected",
        Reason::PaperLow => "paper low",
        Reason::PaperOut => "paper out",
        Reason::CoverOpen => "cover open",
        Reason::Offline => "offline",
        Reason::DeviceError => "device error",
        Reason::NoResponse => "no response",
    };
    match status {
        DeviceStatus::Unknown => "starting".into(),
        DeviceStatus::Ready => "ready".into(),
        DeviceStatus::Busy => "busy".into(),
        DeviceStatus::Warning(r) => format!("warning: {}", reason(r)),
        DeviceStatus::Fault(r) => format!("fault: {}", reason(r)),
        DeviceStatus::Disabled(r) => format!("disabled: {}", reason(r)),
    }
}
