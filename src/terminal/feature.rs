//! What a citizen can come for, and what each needs: the devices it cannot work without, whether it works
//! on the card holder's own records, and whether the card must stay on the reader while it runs.

use serde::Serialize;

use crate::device::{Device, DeviceBoard, DeviceStatus};

/// What a citizen can come for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Feature {
    Guide,
    Progress,
    Print,
    Ticket,
    /// 自助申报: apply for a service here.
    Apply,
    /// 企业服务: a legal representative's enterprise matters (licences, changes, requests, policies).
    Enterprise,
}

impl Feature {
    pub const ALL: [Feature; 6] = [
        Feature::Guide,
        Feature::Progress,
        Feature::Print,
        Feature::Ticket,
        Feature::Apply,
        Feature::Enterprise,
    ];

    /// The devices the feature cannot work without.
    pub fn needs(self) -> &'static [Device] {
        match self {
            Feature::Guide => &[],
            Feature::Progress => &[Device::Hub],
            Feature::Print => &[Device::Reader, Device::Printer, Device::Hub],
            Feature::Ticket => &[Device::Printer, Device::Hub],
            // An application is taken with the hub down (it is sent when the network returns); its
            // receipt needs the printer. The camera is asked for only by a material that needs it.
            Feature::Apply => &[Device::Reader, Device::Printer],
            // The registry is asked at the hub.
            Feature::Enterprise => &[Device::Hub],
        }
    }

    /// What keeps the feature from being used now: a device that is not ready.
    pub fn blocker(self, devices: &DeviceBoard) -> Option<(Device, DeviceStatus)> {
        devices.blocker(self.needs())
    }

    /// A device the feature works better with but does without (the document camera for applying: the
    /// phone or the library serve; the code scanner for progress: the number can be typed), when it has
    /// failed: the home tile stays open and says so.
    pub fn helper_down(self, devices: &DeviceBoard) -> Option<(Device, DeviceStatus)> {
        let helper = match self {
            Feature::Apply => Device::Camera,
            Feature::Progress => Device::Scanner,
            _ => return None,
        };
        let status = devices.status(helper);
        matches!(status, DeviceStatus::Fault(_)).then_some((helper, status))
    }

    /// Whether the feature works on the card holder's own records (the card is read first).
    pub fn needs_identity(self) -> bool {
        matches!(self, Feature::Print | Feature::Apply | Feature::Enterprise)
    }

    /// Whether the card must stay on the reader while the feature runs: a holder's licences are printed only
    /// while the holder is there. Removing the card ends the session.
    pub fn card_must_stay(self) -> bool {
        matches!(self, Feature::Print)
    }
}
