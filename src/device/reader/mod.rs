//! The ID card reader (GA 467 SAM module on a serial port): the frame codec, the card data parser, the serial
//! link, the polling thread that turns it into events, and a simulator that plays the module on a pty.

pub mod frame;
pub mod link;
pub mod report;
pub mod sim;
pub mod text;

use std::time::{Duration, Instant};

use crate::device::worker::{StopFlag, Worker};
use crate::device::{DeviceStatus, Reason};
use crate::domain::identity::Identity;
use frame::Status;
pub use link::{FaultKind, LinkError, ReaderError, SamLink};
use zeroize::Zeroizing;

/// Where the reader is and how often to look for a card.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ReaderSettings {
    pub port: String,
    pub baud: u32,
    pub poll: Duration,
}

impl ReaderSettings {
    pub fn from_config(reader: &crate::config::ReaderConfig) -> ReaderSettings {
        ReaderSettings {
            port: reader.port.clone(),
            baud: reader.baud,
            poll: Duration::from_millis(reader.poll_ms.into()),
        }
    }
}

/// A read that gave no identity: what to tell the citizen, and the cause for the log (never personal data).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadFault {
    pub kind: FaultKind,
    pub cause: String,
}

impl From<&ReaderError> for ReadFault {
    fn from(error: &ReaderError) -> ReadFault {
        ReadFault {
            kind: error.kind(),
            cause: error.to_string(),
        }
    }
}

/// What the reader thread reports.
#[derive(Debug, Clone)]
pub enum ReaderEvent {
    Status(DeviceStatus),
    /// The SAM module answered with its id (on connect).
    SamId(String),
    /// A card arrived; reading starts.
    CardPlaced,
    /// The card was read (or not).
    CardRead(Result<Box<Identity>, ReadFault>),
    /// The card left the reader.
    CardRemoved,
}

/// Where the card is, as the thread tracks it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Card {
    Absent,
    /// Read successfully and still on the reader.
    Present,
    /// The read failed; waiting for the card to be lifted before reading again.
    Faulted,
}

/// After this many polls in a row without a usable reply, the reader is reported out of order.
const MISSES_BEFORE_FAULT: u32 = 3;
/// How often to retry opening a port that is gone, or re-check a SAM that reported a fault.
const RETRY: Duration = Duration::from_secs(1);

/// The reader's polling thread. Dropping it stops the thread.
pub struct ReaderThread {
    _worker: Worker,
}

impl ReaderThread {
    /// Starts polling the reader at `settings`. Each event goes to `sink`; when `sink` returns false (nobody
    /// listens any more) the thread ends.
    pub fn spawn(
        settings: ReaderSettings,
        sink: impl FnMut(ReaderEvent) -> bool + Send + 'static,
    ) -> ReaderThread {
        ReaderThread {
            _worker: Worker::spawn("card-reader", move |stop| {
                Poller::new(settings, sink, stop).run()
            }),
        }
    }
}

struct Poller<F> {
    settings: ReaderSettings,
    sink: F,
    stop: StopFlag,
    link: Option<SamLink>,
    status: DeviceStatus,
    card: Card,
    /// The number on the card in place, to tell it from another card placed in its stead.
    present: Option<Zeroizing<String>>,
    misses: u32,
    listening: bool,
}

impl<F: FnMut(ReaderEvent) -> bool> Poller<F> {
    fn new(settings: ReaderSettings, sink: F, stop: StopFlag) -> Self {
        Poller {
            settings,
            sink,
            stop,
            link: None,
            status: DeviceStatus::Unknown,
            card: Card::Absent,
            present: None,
            misses: 0,
            listening: true,
        }
    }

    fn emit(&mut self, event: ReaderEvent) {
        if self.listening && !(self.sink)(event) {
            self.listening = false;
        }
    }

    fn set_status(&mut self, status: DeviceStatus, cause: &dyn std::fmt::Display) {
        if status != self.status {
            match status {
                DeviceStatus::Ready => {
                    tracing::info!(port = %self.settings.port, "card reader ready")
                }
                _ => {
                    tracing::warn!(port = %self.settings.port, ?status, %cause, "card reader not ready")
                }
            }
            self.status = status;
            self.emit(ReaderEvent::Status(status));
        }
    }

    fn running(&self) -> bool {
        self.listening && !self.stop.stopped()
    }

    fn pause(&self, length: Duration) {
        if self.listening {
            self.stop.pause(length);
        }
    }

    fn run(mut self) {
        while self.running() {
            let started = Instant::now();
            let wait = if self.link.is_none() {
                self.connect()
            } else if !self.status.is_usable() {
                self.recheck_sam()
            } else {
                self.poll_once();
                self.settings.poll
            };
            self.pause(wait.saturating_sub(started.elapsed()));
        }
    }

    /// Opens the port and asks the SAM how it is.
    fn connect(&mut self) -> Duration {
        match SamLink::open(&self.settings.port, self.settings.baud) {
            Ok(link) => {
                self.link = Some(link);
                self.recheck_sam();
                Duration::ZERO
            }
            Err(error) => {
                self.set_status(DeviceStatus::Fault(Reason::NotConnected), &error);
                RETRY
            }
        }
    }

    fn recheck_sam(&mut self) -> Duration {
        let Some(link) = self.link.as_mut() else {
            return Duration::ZERO;
        };
        let status = link.sam_status();
        let sam_id = match status {
            Ok(Status::Success) => link.sam_id().ok().and_then(Result::ok),
            _ => None,
        };
        match status {
            Ok(Status::Success) => {
                self.misses = 0;
                self.set_status(DeviceStatus::Ready, &"SAM ok");
                if let Some(id) = sam_id {
                    self.emit(ReaderEvent::SamId(id));
                }
                Duration::ZERO
            }
            Ok(status) => {
                self.set_status(DeviceStatus::Fault(Reason::DeviceError), &status.meaning());
                RETRY
            }
            Err(error) => {
                self.link_failed(error);
                RETRY
            }
        }
    }

    /// One look at the reader: for a new card, or whether the card is still there.
    fn poll_once(&mut self) {
        let Some(link) = self.link.as_mut() else {
            return;
        };
        let result = match self.card {
            Card::Absent => match link.find_card() {
                Ok(true) => {
                    self.misses = 0;
                    self.emit(ReaderEvent::CardPlaced);
                    self.read_card();
                    return;
                }
                other => other.map(|_| ()),
            },
            Card::Present => match link.card_still_present() {
                Ok(true) => Ok(()),
                Ok(false) => self.confirm_presence(),
                Err(error) => Err(error.into()),
            },
            Card::Faulted => match link.find_card() {
                Ok(false) => {
                    self.card_gone();
                    Ok(())
                }
                other => other.map(|_| ()),
            },
        };
        match result {
            Ok(()) => self.misses = 0,
            Err(ReaderError::Link(error)) => self.link_failed(error),
            Err(ReaderError::Sam { status, .. }) => {
                self.set_status(DeviceStatus::Fault(Reason::DeviceError), &status.meaning())
            }
            Err(error) => tracing::debug!(%error, "poll"),
        }
    }

    fn read_card(&mut self) {
        let Some(link) = self.link.as_mut() else {
            return;
        };
        match link.read_found_card() {
            Ok(identity) => self.card_read(identity),
            Err(error) => {
                tracing::warn!(%error, "card read failed");
                self.card = Card::Faulted;
                self.emit(ReaderEvent::CardRead(Err(ReadFault::from(&error))));
                match error {
                    ReaderError::Link(error) => self.link_failed(error),
                    ReaderError::Sam { status, .. } => {
                        self.set_status(DeviceStatus::Fault(Reason::DeviceError), &status.meaning())
                    }
                    _ => {}
                }
            }
        }
    }

    /// The read card stopped answering 30 03. Either it was lifted, or this SAM does not keep a read card's
    /// session (no source pins that down): look again with find, and if a card is there, read it. The same
    /// number means the same card is still in place; another number means the card was swapped.
    fn confirm_presence(&mut self) -> Result<(), ReaderError> {
        let Some(link) = self.link.as_mut() else {
            return Ok(());
        };
        if !link.find_card()? {
            self.card_gone();
            return Ok(());
        }
        match link.read_found_card() {
            Ok(identity) if self.present.as_deref() == Some(&identity.id_number) => Ok(()),
            Ok(identity) => {
                self.card_gone();
                self.emit(ReaderEvent::CardPlaced);
                self.card_read(identity);
                Ok(())
            }
            Err(ReaderError::Link(error)) => Err(ReaderError::Link(error)),
            Err(_) => {
                // Something is on the reader but does not read: the card we had is not in place any more.
                self.card_gone();
                Ok(())
            }
        }
    }

    fn card_read(&mut self, identity: Identity) {
        tracing::info!(card_type = ?identity.card_type, "card read");
        self.card = Card::Present;
        self.present = Some(Zeroizing::new(identity.id_number.clone()));
        self.emit(ReaderEvent::CardRead(Ok(Box::new(identity))));
    }

    fn card_gone(&mut self) {
        self.present = None;
        if self.card != Card::Absent {
            self.card = Card::Absent;
            self.emit(ReaderEvent::CardRemoved);
        }
    }

    /// A port error closes the link (it is reopened, by path, when it comes back); a missing or broken reply
    /// counts towards declaring the reader out of order.
    fn link_failed(&mut self, error: LinkError) {
        match error {
            LinkError::Io { .. } | LinkError::Open { .. } => {
                self.link = None;
                self.card_gone();
                self.set_status(DeviceStatus::Fault(Reason::NotConnected), &error);
            }
            _ => {
                self.misses += 1;
                tracing::warn!(%error, misses = self.misses, "card reader reply");
                if self.misses >= MISSES_BEFORE_FAULT {
                    self.set_status(DeviceStatus::Fault(Reason::NoResponse), &error);
                }
            }
        }
    }
}
