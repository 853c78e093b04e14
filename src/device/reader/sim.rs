//! A SAM module simulator that speaks GA 467 on a real serial port or pty pair, paced at the line's real speed:
//! scripted cards (all four layouts) from a TOML file, placed and removed on command, and injectable faults.
//! The demo, the integration tests and technicians (`kiosk reader sim`) use it.

use std::io::{Read, Write};
use std::path::Path;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use serde::Deserialize;
use serialport::SerialPort;
use zeroize::Zeroizing;

use super::frame::{wire_time, Command, Decoder, Reply, Status};
use super::text;
use crate::device::worker::{StopFlag, Worker};
use crate::domain::identity::{CardDate, CardType, Identity, Nation, Sex, Validity};

/// Something wrong with a cards file or a simulator command.
#[derive(Debug, thiserror::Error)]
pub enum SimError {
    #[error("cannot read cards file {path}: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("cards file {path}: {message}")]
    Cards { path: String, message: String },
    #[error("no card labelled {0:?} (try `list`)")]
    UnknownCard(String),
    #[error("unknown fault {0:?}; faults: no-reply, bad-checksum, truncated, garbage, pull-after-select, sw3=XX; targets @find @select @read @address @status @any; add :always to keep it")]
    UnknownFault(String),
    #[error("cannot open the simulator's port: {0}")]
    Port(#[from] serialport::Error),
}

/// A card the simulator can place: its bytes as the SAM would send them.
#[derive(Clone)]
pub struct SimCard {
    pub label: String,
    pub card_type: CardType,
    text: Zeroizing<Vec<u8>>,
    photo: Vec<u8>,
    fingerprint: Option<Vec<u8>>,
    appended_address: Option<Vec<u8>>,
}

impl SimCard {
    /// A card carrying `identity` (its photo field is replaced by stand-in WLT bytes).
    pub fn new(label: &str, identity: &Identity, fingerprint: bool) -> Result<SimCard, String> {
        let text = text::encode_text(identity).map_err(|e| e.to_string())?;
        let appended_address = identity
            .appended_address
            .as_deref()
            .map(text::encode_appended_address)
            .transpose()
            .map_err(|e| e.to_string())?;
        Ok(SimCard {
            label: label.to_string(),
            card_type: identity.card_type,
            text,
            photo: stand_in_bytes(label, 1024),
            fingerprint: fingerprint.then(|| stand_in_bytes(&format!("{label}/fp"), 1024)),
            appended_address,
        })
    }

    /// The identity the card carries, as the terminal would read it.
    pub fn identity(&self) -> Result<Identity, text::CardError> {
        let mut identity = text::parse_text(&self.text)?;
        identity.appended_address = match &self.appended_address {
            Some(bytes) => text::parse_appended_address(bytes)?,
            None => None,
        };
        Ok(identity)
    }

    /// The data of a successful read reply.
    fn read_reply(&self, with_fingerprint: bool) -> Vec<u8> {
        let fp = with_fingerprint.then(|| self.fingerprint.clone().unwrap_or_default());
        text::join_read_reply(&self.text, &self.photo, fp.as_deref())
    }
}

/// Deterministic filler standing in for the photo and fingerprints (real ones are opaque vendor formats).
fn stand_in_bytes(seed: &str, len: usize) -> Vec<u8> {
    let mut x = seed.bytes().fold(0x9E37_79B9_7F4A_7C15u64, |h, b| {
        (h ^ b as u64).wrapping_mul(0x100_0000_01B3)
    });
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x as u8
        })
        .collect()
}

/// One card in a cards file. Dates are `YYYY-MM-DD`; `valid_to` may be `long-term`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CardSpec {
    label: String,
    #[serde(rename = "type")]
    card_type: String,
    #[serde(default)]
    name: String,
    english_name: Option<String>,
    sex: String,
    /// The nation's name (`汉`) or its two-digit code.
    nation: Option<String>,
    birth: String,
    address: Option<String>,
    appended_address: Option<String>,
    id_number: String,
    authority: Option<String>,
    valid_from: String,
    valid_to: String,
    nationality: Option<String>,
    pass_number: Option<String>,
    issue_count: Option<String>,
    renewal_count: Option<String>,
    card_version: Option<String>,
    authority_code: Option<String>,
    previous_number_link: Option<String>,
    #[serde(default)]
    fingerprint: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CardsFile {
    card: Vec<CardSpec>,
}

impl CardSpec {
    fn identity(self) -> Result<(String, Identity, bool), String> {
        let label = self.label;
        let bad = |what: &str| format!("card {label:?}: {what}");
        let mut id = Identity::default();
        id.card_type = CardType::from_key(&self.card_type)
            .ok_or_else(|| bad("type must be resident, foreign_2017, foreign_2023 or hmt"))?;
        id.name = self.name;
        id.english_name = self.english_name;
        id.sex = Sex::from_key(&self.sex)
            .ok_or_else(|| bad("sex must be male, female, unknown or unspecified"))?;
        id.nation = match self.nation {
            None => None,
            Some(n) => Some(
                Nation::from_name(&n)
                    .or_else(|| n.parse().ok().map(Nation))
                    .ok_or_else(|| bad("nation must be a GB 3304 name or code"))?,
            ),
        };
        id.birth =
            CardDate::from_iso(&self.birth).ok_or_else(|| bad("birth must be YYYY-MM-DD"))?;
        id.address = self.address;
        id.appended_address = self.appended_address;
        id.id_number = self.id_number;
        id.authority = self.authority;
        id.valid_from = CardDate::from_iso(&self.valid_from)
            .ok_or_else(|| bad("valid_from must be YYYY-MM-DD"))?;
        id.valid_to = match self.valid_to.as_str() {
            "long-term" => Validity::LongTerm,
            date => Validity::Until(
                CardDate::from_iso(date)
                    .ok_or_else(|| bad("valid_to must be YYYY-MM-DD or long-term"))?,
            ),
        };
        id.nationality = self.nationality;
        id.pass_number = self.pass_number;
        id.issue_count = self.issue_count;
        id.renewal_count = self.renewal_count;
        id.card_version = self.card_version;
        id.authority_code = self.authority_code;
        id.previous_number_link = self.previous_number_link;
        Ok((label, id, self.fingerprint))
    }
}

/// Reads a cards file (TOML, `[[card]]` tables). The ID numbers are written as given, so a file can hold a
/// card with a wrong check character on purpose.
pub fn load_cards(path: &Path) -> Result<Vec<SimCard>, SimError> {
    let shown = path.display().to_string();
    let source = std::fs::read_to_string(path).map_err(|source| SimError::Read {
        path: shown.clone(),
        source,
    })?;
    parse_cards(&source).map_err(|message| SimError::Cards {
        path: shown,
        message,
    })
}

pub fn parse_cards(source: &str) -> Result<Vec<SimCard>, String> {
    let file: CardsFile = toml::from_str(source).map_err(|e| e.to_string())?;
    file.card
        .into_iter()
        .map(|spec| {
            let (label, identity, fingerprint) = spec.identity()?;
            SimCard::new(&label, &identity, fingerprint).map_err(|e| format!("card {label:?}: {e}"))
        })
        .collect()
}

/// What goes wrong, injected into the simulator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// Say nothing.
    NoReply,
    /// Send the reply with its checksum flipped.
    BadChecksum,
    /// Send the first half of the reply, then nothing.
    Truncated,
    /// Send line noise (and a false preamble start) before the reply.
    Garbage,
    /// Answer with this SW3 and no data.
    Status(u8),
    /// Answer select, then the card is gone before the read.
    PullAfterSelect,
}

/// Which command a fault hits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    Find,
    Select,
    Read,
    Address,
    Status,
    Any,
}

impl Target {
    fn hits(self, command: Command) -> bool {
        match self {
            Target::Find => command == Command::FindCard,
            Target::Select => command == Command::SelectCard,
            Target::Read => matches!(command, Command::ReadText | Command::ReadTextAndFingerprint),
            Target::Address => command == Command::ReadAppendedAddress,
            Target::Status => command == Command::SamStatus,
            Target::Any => true,
        }
    }
}

/// A fault, the command it hits, and whether it stays after firing once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Injection {
    pub fault: Fault,
    pub target: Target,
    pub always: bool,
}

impl Injection {
    /// A one-shot fault on the next read (select for `pull-after-select`).
    pub fn once(fault: Fault) -> Injection {
        let target = match fault {
            Fault::PullAfterSelect => Target::Select,
            _ => Target::Read,
        };
        Injection {
            fault,
            target,
            always: false,
        }
    }

    pub fn at(mut self, target: Target) -> Injection {
        self.target = target;
        self
    }

    pub fn always(mut self) -> Injection {
        self.always = true;
        self
    }

    /// `FAULT[@TARGET][:always]`, e.g. `bad-checksum`, `sw3=41@read`, `sw3=60@any:always`.
    pub fn parse(spec: &str) -> Result<Injection, SimError> {
        let unknown = || SimError::UnknownFault(spec.to_string());
        let (rest, always) = match spec.strip_suffix(":always") {
            Some(rest) => (rest, true),
            None => (spec, false),
        };
        let (fault, target) = match rest.split_once('@') {
            Some((f, t)) => (f, Some(t)),
            None => (rest, None),
        };
        let fault = match fault {
            "no-reply" => Fault::NoReply,
            "bad-checksum" => Fault::BadChecksum,
            "truncated" => Fault::Truncated,
            "garbage" => Fault::Garbage,
            "pull-after-select" => Fault::PullAfterSelect,
            other => {
                let code = other.strip_prefix("sw3=").ok_or_else(unknown)?;
                Fault::Status(u8::from_str_radix(code, 16).map_err(|_| unknown())?)
            }
        };
        let mut injection = Injection::once(fault);
        if let Some(target) = target {
            injection.target = match target {
                "find" => Target::Find,
                "select" => Target::Select,
                "read" => Target::Read,
                "address" => Target::Address,
                "status" => Target::Status,
                "any" => Target::Any,
                _ => return Err(unknown()),
            };
        }
        injection.always = always;
        Ok(injection)
    }
}

/// What the simulator's console understands.
pub const CONSOLE_HELP: &str = "commands: place LABEL | remove | fault SPEC | clear | list
fault SPEC: no-reply, bad-checksum, truncated, garbage, pull-after-select or sw3=XX (e.g. sw3=41),
  optionally @find @select @read @address @status @any (default @read), and :always to keep it";

/// Where the placed card is in the GA 467 sequence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    Waiting,
    Found,
    Selected,
    /// Read: a repeated find answers 80 until the card is lifted and placed again (as real readers do).
    Read,
    /// Read, and its session dropped (a module that does not keep it): 30 03 fails though the card stays.
    Stale,
}

struct State {
    cards: Vec<SimCard>,
    placed: Option<usize>,
    phase: Phase,
    injections: Vec<Injection>,
    sam_id: [u8; 16],
    behaviour: Behaviour,
}

/// How the simulated module treats a card it has read. Real modules differ here and no source pins it down,
/// so the terminal is tested against each.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Behaviour {
    /// A read card answers find with 80 until it is lifted and placed again (common field lore).
    pub read_card_hides_from_find: bool,
    /// A read card keeps answering 30 03 while it stays (as [QTUTIL] says); false: only once, right after the
    /// read, then 41.
    pub keeps_read_session: bool,
}

impl Default for Behaviour {
    fn default() -> Behaviour {
        Behaviour {
            read_card_hides_from_find: true,
            keeps_read_session: true,
        }
    }
}

/// The simulator's controls: place and remove cards, inject faults. Cheap to clone; every clone controls the
/// same simulated module.
#[derive(Clone)]
pub struct SimControl(Arc<Mutex<State>>);

impl SimControl {
    pub fn new(cards: Vec<SimCard>) -> SimControl {
        let mut sam_id = [0u8; 16];
        sam_id[0] = 5;
        sam_id[2] = 1;
        sam_id[4..8].copy_from_slice(&20_261_123u32.to_le_bytes());
        sam_id[8..12].copy_from_slice(&3_205_001u32.to_le_bytes());
        sam_id[12..16].copy_from_slice(&88_000_001u32.to_le_bytes());
        SimControl(Arc::new(Mutex::new(State {
            cards,
            placed: None,
            phase: Phase::Waiting,
            injections: Vec::new(),
            sam_id,
            behaviour: Behaviour::default(),
        })))
    }

    fn state(&self) -> MutexGuard<'_, State> {
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub fn labels(&self) -> Vec<String> {
        self.state().cards.iter().map(|c| c.label.clone()).collect()
    }

    pub fn cards(&self) -> Vec<(String, CardType)> {
        self.state()
            .cards
            .iter()
            .map(|c| (c.label.clone(), c.card_type))
            .collect()
    }

    /// Puts the card labelled `label` on the reader (replacing any other).
    pub fn place(&self, label: &str) -> Result<(), SimError> {
        let mut state = self.state();
        let index = state
            .cards
            .iter()
            .position(|c| c.label == label)
            .ok_or_else(|| SimError::UnknownCard(label.to_string()))?;
        state.placed = Some(index);
        state.phase = Phase::Waiting;
        Ok(())
    }

    pub fn set_behaviour(&self, behaviour: Behaviour) {
        self.state().behaviour = behaviour;
    }

    pub fn remove(&self) {
        let mut state = self.state();
        state.placed = None;
        state.phase = Phase::Waiting;
    }

    pub fn placed(&self) -> Option<String> {
        let state = self.state();
        state.placed.map(|i| state.cards[i].label.clone())
    }

    pub fn inject(&self, injection: Injection) {
        self.state().injections.push(injection);
    }

    pub fn clear_faults(&self) {
        self.state().injections.clear();
    }

    /// Runs one line of the simulator's console (`kiosk reader sim` reads them from stdin) and says what it did.
    pub fn command(&self, line: &str) -> Result<String, SimError> {
        let mut words = line.split_whitespace();
        match (words.next(), words.next()) {
            (Some("place"), Some(label)) => {
                self.place(label)?;
                Ok(format!("placed {label}"))
            }
            (Some("remove"), None) => {
                self.remove();
                Ok("removed".into())
            }
            (Some("fault"), Some(spec)) => {
                let injection = Injection::parse(spec)?;
                self.inject(injection);
                Ok(format!("armed {injection:?}"))
            }
            (Some("clear"), None) => {
                self.clear_faults();
                Ok("faults cleared".into())
            }
            (Some("list"), None) => Ok(self
                .cards()
                .iter()
                .map(|(label, t)| format!("{label} ({})", t.key()))
                .collect::<Vec<_>>()
                .join("\n")),
            (None, _) => Ok(String::new()),
            _ => Ok(CONSOLE_HELP.to_string()),
        }
    }

    /// The bytes to send for one command frame body (CMD PARA DATA): a reply frame, or a damaged one.
    pub fn answer(&self, body: &[u8]) -> Vec<u8> {
        let mut state = self.state();
        let Some(command) = body
            .get(..2)
            .and_then(|cp| Command::from_code(cp[0], cp[1]))
        else {
            return Reply::new(Status::BadCommand, Vec::new()).encode();
        };
        let injection = state
            .injections
            .iter()
            .position(|i| i.target.hits(command))
            .map(|at| {
                let injection = state.injections[at];
                if !injection.always {
                    state.injections.remove(at);
                }
                injection
            });
        let reply = match injection.map(|i| i.fault) {
            Some(Fault::Status(code)) => Reply::new(Status::from_code(code), Vec::new()),
            _ => state.reply(command),
        };
        if injection.map(|i| i.fault) == Some(Fault::PullAfterSelect) {
            state.placed = None;
            state.phase = Phase::Waiting;
        }
        let frame = reply.encode();
        match injection.map(|i| i.fault) {
            Some(Fault::NoReply) => Vec::new(),
            Some(Fault::BadChecksum) => {
                let mut frame = frame;
                *frame.last_mut().expect("a frame has a checksum") ^= 0x5A;
                frame
            }
            Some(Fault::Truncated) => frame[..frame.len() / 2].to_vec(),
            Some(Fault::Garbage) => {
                let mut noisy = vec![0x00, 0xAA, 0x13, 0xAA, 0xAA, 0x96, 0x37, 0xFF];
                noisy.extend(frame);
                noisy
            }
            _ => frame,
        }
    }
}

impl State {
    /// The healthy module's answer.
    fn reply(&mut self, command: Command) -> Reply {
        let ok = |data: Vec<u8>| Reply::new(Status::Success, data);
        let fail = |status| Reply::new(status, Vec::new());
        match (command, self.placed) {
            (Command::ResetSam | Command::SamStatus, _) => ok(Vec::new()),
            (Command::SamId, _) => ok(self.sam_id.to_vec()),
            (Command::FindCard, Some(_))
                if !matches!(self.phase, Phase::Read | Phase::Stale)
                    || !self.behaviour.read_card_hides_from_find =>
            {
                self.phase = Phase::Found;
                Reply::new(Status::CardFound, vec![0; 4])
            }
            (Command::FindCard, _) => fail(Status::NoCard),
            (Command::SelectCard, Some(_)) if self.phase == Phase::Found => {
                self.phase = Phase::Selected;
                ok(vec![0; 8])
            }
            (Command::SelectCard, _) => fail(Status::SelectFailed),
            (Command::ReadText | Command::ReadTextAndFingerprint, Some(card))
                if self.phase == Phase::Selected =>
            {
                self.phase = Phase::Read;
                ok(self.cards[card].read_reply(command == Command::ReadTextAndFingerprint))
            }
            (Command::ReadAppendedAddress, Some(card)) if self.phase == Phase::Read => {
                if !self.behaviour.keeps_read_session {
                    self.phase = Phase::Stale;
                }
                match &self.cards[card].appended_address {
                    Some(address) => ok(address.clone()),
                    None => fail(Status::NoContent),
                }
            }
            (Command::ReadChipId, Some(_)) if self.phase == Phase::Read => ok(vec![0; 8]),
            (
                Command::ReadText
                | Command::ReadTextAndFingerprint
                | Command::ReadAppendedAddress
                | Command::ReadChipId,
                _,
            ) => fail(Status::ReadFailed),
            (Command::SetBaud(_) | Command::SetMaxFrame(_), _) => fail(Status::BadCommand),
        }
    }
}

/// The simulator serving one port. Dropping it (or [`SimPort::unplug`]) closes the port, as pulling the USB
/// cable would.
pub struct SimPort {
    path: String,
    worker: Worker,
}

impl SimPort {
    /// Serves a new pty pair; the terminal opens [`SimPort::path`].
    pub fn pty(control: SimControl, baud: u32) -> Result<SimPort, SimError> {
        let (master, slave) = serialport::TTYPort::pair()?;
        let path = slave.name().ok_or_else(|| {
            SimError::Port(serialport::Error::new(
                serialport::ErrorKind::NoDevice,
                "the pty has no name",
            ))
        })?;
        // The slave end is held open so that reads on the master do not fail before the terminal opens it.
        Ok(SimPort::serve(
            path,
            Box::new(master),
            Some(slave),
            control,
            baud,
        ))
    }

    /// Serves an existing serial port (a USB-serial adapter wired to the terminal's reader port).
    pub fn on_port(control: SimControl, path: &str, baud: u32) -> Result<SimPort, SimError> {
        let port = serialport::new(path, baud)
            .timeout(Duration::from_millis(20))
            .open()?;
        Ok(SimPort::serve(path.to_string(), port, None, control, baud))
    }

    fn serve(
        path: String,
        port: Box<dyn SerialPort>,
        hold: Option<serialport::TTYPort>,
        control: SimControl,
        baud: u32,
    ) -> SimPort {
        let worker = Worker::spawn("reader-sim", move |stop| {
            let _hold = hold;
            serve_port(port, &control, baud, &stop);
        });
        SimPort { path, worker }
    }

    pub fn path(&self) -> &str {
        &self.path
    }

    /// Closes the port: the terminal sees its reader disappear.
    pub fn unplug(mut self) {
        self.worker.stop();
    }
}

fn serve_port(mut port: Box<dyn SerialPort>, control: &SimControl, baud: u32, stop: &StopFlag) {
    let _ = port.set_timeout(Duration::from_millis(20));
    let mut decoder = Decoder::new();
    let mut buf = [0u8; 256];
    while !stop.stopped() {
        match port.read(&mut buf) {
            Ok(0) => std::thread::sleep(Duration::from_millis(5)),
            Ok(n) => {
                let arrived = Instant::now();
                decoder.push(&buf[..n]);
                while let Some(frame) = decoder.next_frame() {
                    let out = match frame {
                        Ok(body) => control.answer(&body),
                        Err(_) => Reply::new(Status::HostChecksum, Vec::new()).encode(),
                    };
                    if send_paced(&mut port, &out, baud, arrived, stop).is_err() {
                        return;
                    }
                }
            }
            Err(e) if e.kind() == std::io::ErrorKind::TimedOut => {}
            // EIO on a pty master while no terminal has the slave open: wait for one.
            Err(_) => std::thread::sleep(Duration::from_millis(10)),
        }
    }
}

/// Writes `bytes` no faster than the line would carry them at `baud`.
fn send_paced(
    port: &mut Box<dyn SerialPort>,
    bytes: &[u8],
    baud: u32,
    start: Instant,
    stop: &StopFlag,
) -> std::io::Result<()> {
    const CHUNK: usize = 32;
    let mut sent = 0;
    for chunk in bytes.chunks(CHUNK) {
        if stop.stopped() {
            return Ok(());
        }
        sent += chunk.len();
        let due = start + wire_time(sent, baud);
        let now = Instant::now();
        if due > now {
            std::thread::sleep(due - now);
        }
        port.write_all(chunk)?;
    }
    port.flush()
}

/// The demo cards shipped in `assets/demo-cards.toml`: one of every layout, plus an expired card and one with a
/// wrong check character.
pub const DEMO_CARDS: &str = include_str!("../../../assets/demo-cards.toml");

pub fn demo_cards() -> Vec<SimCard> {
    parse_cards(DEMO_CARDS).expect("the bundled demo cards parse")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::device::reader::frame::parse_reply;

    fn body(command: Command) -> Vec<u8> {
        command.code().to_vec()
    }

    #[test]
    fn fault_specs_parse() {
        assert_eq!(
            Injection::parse("sw3=60@any:always").unwrap(),
            Injection::once(Fault::Status(0x60))
                .at(Target::Any)
                .always()
        );
        assert_eq!(
            Injection::parse("pull-after-select").unwrap().target,
            Target::Select
        );
        assert!(Injection::parse("sw3=zz").is_err());
        assert!(Injection::parse("melt@read").is_err());
    }

    #[test]
    fn a_read_card_answers_find_with_no_card_until_placed_again() {
        let sim = SimControl::new(demo_cards());
        let label = sim.labels()[0].clone();
        sim.place(&label).unwrap();
        let status = |c| parse_reply(&sim.answer(&body(c))).unwrap().unwrap().status;
        assert_eq!(status(Command::FindCard), Status::CardFound);
        assert_eq!(status(Command::SelectCard), Status::Success);
        assert_eq!(status(Command::ReadText), Status::Success);
        assert_eq!(status(Command::FindCard), Status::NoCard);
        sim.place(&label).unwrap();
        assert_eq!(status(Command::FindCard), Status::CardFound);
    }

    #[test]
    fn fingerprint_read_carries_the_third_length_and_block() {
        let sim = SimControl::new(demo_cards());
        sim.place("resident-moved").unwrap();
        sim.answer(&body(Command::FindCard));
        sim.answer(&body(Command::SelectCard));
        let frame = sim.answer(&body(Command::ReadTextAndFingerprint));
        assert_eq!(frame.len(), 2321);
        assert_eq!(frame[5..7], [0x09, 0x0A]);
        let reply = parse_reply(&frame).unwrap().unwrap();
        let blocks = text::split_read_reply(&reply.data, true).unwrap();
        assert_eq!(
            (
                blocks.text.len(),
                blocks.photo.len(),
                blocks.fingerprint.len()
            ),
            (256, 1024, 1024)
        );
        assert_eq!(text::parse_text(&blocks.text).unwrap().name, "王建国");
    }

    #[test]
    fn demo_cards_cover_every_layout() {
        let cards = demo_cards();
        for t in CardType::ALL {
            assert!(cards.iter().any(|c| c.card_type == t), "{t:?}");
        }
    }
}
