//! The card reader end to end over real pty pairs: the simulator plays the SAM module at 115200 baud, the
//! reader thread polls it as the terminal does. Each test is a scenario from the hall.

use std::sync::mpsc::{channel, Receiver};
use std::time::{Duration, Instant};

use kiosk::device::reader::sim::{
    demo_cards, Behaviour, Fault, Injection, SimControl, SimPort, Target,
};
use kiosk::device::reader::{FaultKind, ReadFault, ReaderEvent, ReaderSettings, ReaderThread};
use kiosk::device::{DeviceStatus, Reason};
use kiosk::domain::identity::{CardType, Identity, Nation, Sex, Validity};

const BAUD: u32 = 115_200;
const PATIENCE: Duration = Duration::from_secs(10);

/// A simulated reader on a pty and the terminal's reader thread polling it.
struct Hall {
    sim: SimControl,
    _port: Option<SimPort>,
    events: Receiver<ReaderEvent>,
    _thread: ReaderThread,
}

fn hall() -> Hall {
    hall_with(|_| {})
}

/// A hall whose simulator is prepared (faults armed) before the reader thread first talks to it.
fn hall_with(prepare: impl FnOnce(&SimControl)) -> Hall {
    let sim = SimControl::new(demo_cards());
    prepare(&sim);
    let port = SimPort::pty(sim.clone(), BAUD).expect("a pty pair");
    let (events, thread) = poll(port.path());
    Hall {
        sim,
        _port: Some(port),
        events,
        _thread: thread,
    }
}

fn poll(path: &str) -> (Receiver<ReaderEvent>, ReaderThread) {
    let (tx, rx) = channel();
    let settings = ReaderSettings {
        port: path.to_string(),
        baud: BAUD,
        poll: Duration::from_millis(100),
    };
    let thread = ReaderThread::spawn(settings, move |event| tx.send(event).is_ok());
    (rx, thread)
}

impl Hall {
    /// The next event that `pick` accepts, skipping others; panics after PATIENCE.
    fn wait_for<T>(&self, what: &str, mut pick: impl FnMut(ReaderEvent) -> Option<T>) -> T {
        let deadline = Instant::now() + PATIENCE;
        let mut seen = Vec::new();
        while let Some(left) = deadline.checked_duration_since(Instant::now()) {
            match self.events.recv_timeout(left) {
                Ok(event) => {
                    let shown = format!("{event:?}");
                    if let Some(found) = pick(event) {
                        return found;
                    }
                    seen.push(shown);
                }
                Err(_) => break,
            }
        }
        panic!("no {what} within {PATIENCE:?}; saw {seen:#?}");
    }

    fn ready(&self) {
        self.wait_for("ready status", |e| {
            matches!(e, ReaderEvent::Status(DeviceStatus::Ready)).then_some(())
        });
    }

    fn status(&self, want: DeviceStatus) {
        self.wait_for(&format!("status {want:?}"), |e| {
            matches!(e, ReaderEvent::Status(s) if s == want).then_some(())
        });
    }

    fn read(&self) -> Result<Identity, ReadFault> {
        self.wait_for("card read", |e| match e {
            ReaderEvent::CardRead(result) => Some(result.map(|id| *id)),
            _ => None,
        })
    }

    fn place_and_read(&self, label: &str) -> Result<Identity, ReadFault> {
        self.sim.place(label).unwrap();
        self.read()
    }

    fn removed(&self) {
        self.wait_for("card removed", |e| {
            matches!(e, ReaderEvent::CardRemoved).then_some(())
        });
    }

    fn fault(&self, label: &str) -> FaultKind {
        match self.place_and_read(label) {
            Ok(id) => panic!("expected a fault, read {id:?}"),
            Err(fault) => fault.kind,
        }
    }
}

#[test]
fn resident_card_is_read_with_every_field_and_its_removal_is_noticed() {
    let hall = hall();
    hall.ready();
    let id = hall.place_and_read("resident").unwrap();
    assert_eq!(id.card_type, CardType::Resident);
    assert_eq!(id.name, "张秀英");
    assert_eq!(id.sex, Sex::Female);
    assert_eq!(id.nation, Some(Nation(1)));
    assert_eq!(id.birth.to_string(), "1944-08-15");
    assert_eq!(id.address.as_deref(), Some("江苏省苏州市姑苏区十全街268号"));
    assert_eq!(id.id_number, "320508194408150020");
    assert_eq!(id.authority.as_deref(), Some("苏州市公安局姑苏分局"));
    assert_eq!(id.valid_from.to_string(), "2014-06-10");
    assert_eq!(id.valid_to, Validity::LongTerm);
    assert_eq!(id.appended_address, None);
    assert_eq!(id.photo.len(), 1024, "the photo stays in memory, opaque");
    hall.sim.remove();
    hall.removed();
}

#[test]
fn resident_card_with_an_appended_address() {
    let hall = hall();
    let id = hall.place_and_read("resident-moved").unwrap();
    assert_eq!(
        id.appended_address.as_deref(),
        Some("江苏省苏州市相城区元和街道御窑路18号")
    );
    assert_eq!(id.valid_to.to_string(), "2039-05-08");
}

#[test]
fn hong_kong_macau_taiwan_residence_permit_is_read() {
    let hall = hall();
    let id = hall.place_and_read("hmt").unwrap();
    assert_eq!(id.card_type, CardType::Hmt);
    assert_eq!(id.name, "陈家豪");
    assert_eq!(id.id_number, "810000198507190016");
    assert_eq!(id.pass_number.as_deref(), Some("H01234567"));
    assert_eq!(id.issue_count.as_deref(), Some("01"));
    assert_eq!(id.nation, None);
}

#[test]
fn foreign_permanent_resident_card_2017_is_read() {
    let hall = hall();
    let id = hall.place_and_read("foreign-2017").unwrap();
    assert_eq!(id.card_type, CardType::Foreign2017);
    assert_eq!(id.english_name.as_deref(), Some("SMITH JOHN WILLIAM"));
    assert_eq!(id.name, "约翰");
    assert_eq!(id.id_number, "USA310075060512");
    assert_eq!(id.nationality.as_deref(), Some("USA"));
    assert_eq!(id.birth.to_string(), "1975-06-05");
    assert_eq!(id.card_version.as_deref(), Some("01"));
    assert_eq!(id.authority_code.as_deref(), Some("3205"));
}

#[test]
fn foreign_permanent_resident_card_2023_is_read_with_its_long_english_name() {
    let hall = hall();
    let id = hall.place_and_read("foreign-2023").unwrap();
    assert_eq!(id.card_type, CardType::Foreign2023);
    assert_eq!(
        id.english_name.as_deref(),
        Some("GARCIA LOPEZ MARIA ELENA DE LOS ANGELES FERNAN"),
        "characters 1-35 and 36-46 joined"
    );
    assert_eq!(id.id_number, "932724198803140038");
    assert_eq!(id.nationality.as_deref(), Some("ESP"));
    assert_eq!(id.renewal_count.as_deref(), Some("00"));
}

#[test]
fn expired_card_is_read_and_known_to_be_expired() {
    let hall = hall();
    let id = hall.place_and_read("expired").unwrap();
    let today = kiosk::domain::identity::CardDate::from_iso("2026-11-23").unwrap();
    assert!(id.is_expired(today));
}

#[test]
fn wrong_check_character_is_a_read_fault_not_an_identity() {
    let hall = hall();
    assert_eq!(hall.fault("bad-check"), FaultKind::Unreadable);
}

#[test]
fn no_reply_to_the_read_asks_the_citizen_to_try_again() {
    let hall = hall();
    hall.ready();
    hall.sim.inject(Injection::once(Fault::NoReply));
    assert_eq!(hall.fault("resident"), FaultKind::TryAgain);
    // Lifted and placed again, the card reads.
    hall.sim.remove();
    hall.removed();
    assert!(hall.place_and_read("resident").is_ok());
}

#[test]
fn corrupted_checksum_on_the_read_is_a_fault_then_the_next_placement_reads() {
    let hall = hall();
    hall.ready();
    hall.sim.inject(Injection::once(Fault::BadChecksum));
    let fault = hall.place_and_read("resident").unwrap_err();
    assert_eq!(fault.kind, FaultKind::TryAgain);
    assert!(fault.cause.contains("checksum"), "{}", fault.cause);
    hall.sim.remove();
    hall.removed();
    assert!(hall.place_and_read("resident").is_ok());
}

#[test]
fn truncated_read_frame_is_a_fault_that_says_how_much_came() {
    let hall = hall();
    hall.ready();
    hall.sim.inject(Injection::once(Fault::Truncated));
    let fault = hall.place_and_read("resident").unwrap_err();
    assert_eq!(fault.kind, FaultKind::TryAgain);
    assert!(fault.cause.contains("of 1295 bytes"), "{}", fault.cause);
}

#[test]
fn garbage_between_frames_does_not_stop_the_read() {
    let hall = hall();
    hall.ready();
    hall.sim
        .inject(Injection::once(Fault::Garbage).at(Target::Any).always());
    let id = hall.place_and_read("foreign-2023").unwrap();
    assert_eq!(id.id_number, "932724198803140038");
}

#[test]
fn read_failed_sw3_41_asks_to_place_the_card_again() {
    let hall = hall();
    hall.ready();
    hall.sim.inject(Injection::once(Fault::Status(0x41)));
    let fault = hall.place_and_read("resident").unwrap_err();
    assert_eq!(fault.kind, FaultKind::TryAgain);
    assert!(fault.cause.contains("41"), "{}", fault.cause);
}

#[test]
fn unrecognised_card_sw3_40_is_unreadable() {
    let hall = hall();
    hall.ready();
    hall.sim.inject(Injection::once(Fault::Status(0x40)));
    assert_eq!(hall.fault("resident"), FaultKind::Unreadable);
}

#[test]
fn no_card_sw3_80_on_one_find_only_delays_the_read() {
    let hall = hall();
    hall.ready();
    hall.sim
        .inject(Injection::once(Fault::Status(0x80)).at(Target::Find));
    assert!(hall.place_and_read("hmt").is_ok());
}

#[test]
fn card_pulled_between_select_and_read() {
    let hall = hall();
    hall.ready();
    hall.sim.inject(Injection::once(Fault::PullAfterSelect));
    let fault = hall.place_and_read("resident").unwrap_err();
    assert_eq!(fault.kind, FaultKind::TryAgain);
    hall.removed();
}

#[test]
fn sam_self_test_failed_puts_the_reader_out_of_order_until_it_recovers() {
    let hall = hall_with(|sim| {
        sim.inject(
            Injection::once(Fault::Status(0x60))
                .at(Target::Any)
                .always(),
        )
    });
    hall.status(DeviceStatus::Fault(Reason::DeviceError));
    hall.sim.clear_faults();
    hall.ready();
    assert!(hall.place_and_read("resident").is_ok());
}

#[test]
fn sam_not_authorised_sw3_66_is_a_reader_fault() {
    let hall = hall_with(|sim| {
        sim.inject(
            Injection::once(Fault::Status(0x66))
                .at(Target::Status)
                .always(),
        )
    });
    hall.status(DeviceStatus::Fault(Reason::DeviceError));
}

#[test]
fn sam_fault_during_a_read_tells_the_citizen_to_call_staff() {
    let hall = hall();
    hall.ready();
    hall.sim.inject(Injection::once(Fault::Status(0x60)));
    assert_eq!(hall.fault("resident"), FaultKind::Reader);
    hall.status(DeviceStatus::Fault(Reason::DeviceError));
}

#[test]
fn a_reader_that_stops_answering_is_reported_out_of_order() {
    let hall = hall();
    hall.ready();
    hall.sim
        .inject(Injection::once(Fault::NoReply).at(Target::Any).always());
    hall.status(DeviceStatus::Fault(Reason::NoResponse));
    hall.sim.clear_faults();
    hall.ready();
}

#[test]
fn reader_unplugged_and_plugged_back_recovers_without_restart() {
    let dir = tempfile::tempdir().unwrap();
    let stable = dir.path().join("kiosk-reader");
    let sim = SimControl::new(demo_cards());
    let first = SimPort::pty(sim.clone(), BAUD).unwrap();
    std::os::unix::fs::symlink(first.path(), &stable).unwrap();
    let (events, thread) = poll(stable.to_str().unwrap());
    let hall = Hall {
        sim: sim.clone(),
        _port: None,
        events,
        _thread: thread,
    };
    hall.ready();
    hall.place_and_read("resident").unwrap();

    // The USB cable is pulled: the port disappears, the card with it.
    first.unplug();
    std::fs::remove_file(&stable).unwrap();
    hall.removed();
    hall.status(DeviceStatus::Fault(Reason::NotConnected));

    // Plugged back in (udev makes the stable name point at the new device).
    let second = SimPort::pty(sim.clone(), BAUD).unwrap();
    std::os::unix::fs::symlink(second.path(), &stable).unwrap();
    hall.ready();
    let id = hall.place_and_read("hmt").unwrap();
    assert_eq!(id.card_type, CardType::Hmt);
    drop(second);
}

#[test]
fn the_sam_id_is_reported_on_connect() {
    let hall = hall();
    let id = hall.wait_for("SAM id", |e| match e {
        ReaderEvent::SamId(id) => Some(id),
        _ => None,
    });
    assert_eq!(id, "05.01-20261123-003205001-088000001");
}

#[test]
fn a_slow_line_at_9600_baud_still_reads() {
    let sim = SimControl::new(demo_cards());
    let port = SimPort::pty(sim.clone(), 9600).unwrap();
    sim.place("resident").unwrap();
    let started = Instant::now();
    let id = kiosk::device::reader::report::read_once(
        port.path(),
        9600,
        Duration::from_secs(5),
        Duration::from_millis(100),
    )
    .unwrap()
    .unwrap();
    assert_eq!(id.name, "张秀英");
    // 1295 bytes at 9600 baud take 1.35 s on the wire: the simulator paces like a real line.
    assert!(started.elapsed() >= Duration::from_millis(1300));
}

/// A module that drops a read card's session (30 03 fails) and shows it to find again.
fn forgetful(sim: &SimControl) {
    sim.set_behaviour(Behaviour {
        read_card_hides_from_find: false,
        keeps_read_session: false,
    });
}

#[test]
fn a_sam_that_forgets_the_read_card_still_sees_it_stay_and_leave() {
    let hall = hall_with(forgetful);
    hall.place_and_read("resident").unwrap();
    // Several polls go by with the card in place: no removal, no second read.
    std::thread::sleep(Duration::from_millis(800));
    let events: Vec<String> = hall.events.try_iter().map(|e| format!("{e:?}")).collect();
    assert!(
        events
            .iter()
            .all(|e| !e.contains("CardRemoved") && !e.contains("CardRead")),
        "{events:#?}"
    );
    hall.sim.remove();
    hall.removed();
}

#[test]
fn a_card_swapped_for_another_between_polls_is_read_as_the_new_card() {
    let hall = hall_with(forgetful);
    hall.place_and_read("resident").unwrap();
    hall.sim.place("hmt").unwrap();
    hall.removed();
    let id = hall.read().unwrap();
    assert_eq!(id.card_type, CardType::Hmt);
}
