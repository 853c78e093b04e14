//! The printer's status for the home tiles: asked every few seconds over a short connection of its own, and
//! reported when it changes.

use std::time::Duration;

use super::transport::{Connection, Target, TransportError};
use crate::device::worker::Worker;
use crate::device::{DeviceStatus, Reason};

/// How often to ask.
pub const EVERY: Duration = Duration::from_secs(5);

/// The printer's status now, in the terms the tiles use.
pub fn check(target: &Target) -> DeviceStatus {
    match Connection::open(target, Duration::from_secs(2)).and_then(|mut c| c.status()) {
        Ok(Some(state)) => state.device_status(),
        // A file target cannot report; it takes whatever is written.
        Ok(None) => DeviceStatus::Ready,
        Err(TransportError::Connect { .. } | TransportError::UsbNotFound { .. }) => {
            DeviceStatus::Fault(Reason::NotConnected)
        }
        Err(_) => DeviceStatus::Fault(Reason::NoResponse),
    }
}

/// The thread asking the printer. Dropping it stops the thread.
pub struct PrinterThread {
    _worker: Worker,
}

impl PrinterThread {
    /// Reports the status of the printer at `target` to `sink` on every change (the first one included);
    /// when `sink` returns false the thread ends.
    pub fn spawn(
        target: Target,
        every: Duration,
        mut sink: impl FnMut(DeviceStatus) -> bool + Send + 'static,
    ) -> PrinterThread {
        let worker = Worker::spawn("printer-status", move |stop| {
            let mut last = None;
            while !stop.stopped() {
                let status = check(&target);
                if last != Some(status) {
                    if status.is_usable() {
                        tracing::info!(%target, ?status, "printer");
                    } else {
                        tracing::warn!(%target, ?status, "printer not ready");
                    }
                    if !sink(status) {
                        return;
                    }
                    last = Some(status);
                }
                stop.pause(every);
            }
        });
        PrinterThread { _worker: worker }
    }
}
