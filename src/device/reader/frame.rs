//! GA 467 link layer, no I/O: command frames out, reply frames in.
//!
//! ```text
//! AA AA AA 96 69 | LEN (2, big-endian, counts every byte after it) | body | CHK (XOR of LEN..last body byte)
//! host → SAM body: CMD PARA [DATA]      SAM → host body: SW1 SW2 SW3 [DATA]
//! ```
//! The decoder takes bytes as they arrive (garbage, partial frames, several frames at once) and resynchronises
//! on the preamble.

use std::time::Duration;

pub const PREAMBLE: [u8; 5] = [0xAA, 0xAA, 0xAA, 0x96, 0x69];
/// Bytes before the body: preamble and LEN.
pub const HEADER_LEN: usize = 7;
/// The largest LEN we accept. The biggest real frame is the fingerprint read (LEN 0x090A = 2314); anything far
/// beyond it is a corrupted length, and waiting for it would stall the link.
pub const MAX_LEN: usize = 4096;
/// The smallest LEN: two body bytes and the checksum (a command without data has LEN 3).
pub const MIN_LEN: usize = 3;

/// A command the host sends to the SAM module.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Command {
    /// 10 FF: reset the SAM (like power-cycling the module).
    ResetSam,
    /// 11 FF: SAM self-test status.
    SamStatus,
    /// 12 FF: SAM management information (the SAM id).
    SamId,
    /// 20 01: find a card.
    FindCard,
    /// 20 02: select the card found.
    SelectCard,
    /// 30 01: read the text block and the photo.
    ReadText,
    /// 30 10: read text, photo and fingerprints.
    ReadTextAndFingerprint,
    /// 30 03: read the appended (newest) address.
    ReadAppendedAddress,
    /// 30 05: read the chip management number (reply layout unconfirmed).
    ReadChipId,
    /// 60 xx: set the UART speed (parameter coding unconfirmed).
    SetBaud(u8),
    /// 61 xx: set the maximum bytes per frame between SAM and RF module.
    SetMaxFrame(u8),
}

impl Command {
    pub const ALL: [Command; 9] = [
        Command::ResetSam,
        Command::SamStatus,
        Command::SamId,
        Command::FindCard,
        Command::SelectCard,
        Command::ReadText,
        Command::ReadTextAndFingerprint,
        Command::ReadAppendedAddress,
        Command::ReadChipId,
    ];

    /// CMD and PARA bytes.
    pub fn code(self) -> [u8; 2] {
        match self {
            Command::ResetSam => [0x10, 0xFF],
            Command::SamStatus => [0x11, 0xFF],
            Command::SamId => [0x12, 0xFF],
            Command::FindCard => [0x20, 0x01],
            Command::SelectCard => [0x20, 0x02],
            Command::ReadText => [0x30, 0x01],
            Command::ReadTextAndFingerprint => [0x30, 0x10],
            Command::ReadAppendedAddress => [0x30, 0x03],
            Command::ReadChipId => [0x30, 0x05],
            Command::SetBaud(x) => [0x60, x],
            Command::SetMaxFrame(x) => [0x61, x],
        }
    }

    pub fn from_code(cmd: u8, para: u8) -> Option<Command> {
        match (cmd, para) {
            (0x60, x) => Some(Command::SetBaud(x)),
            (0x61, x) => Some(Command::SetMaxFrame(x)),
            _ => Command::ALL.into_iter().find(|c| c.code() == [cmd, para]),
        }
    }

    /// How long to wait for the whole reply, per the timeouts vendor SDKs use, plus the reply's wire time at
    /// `baud` so that slow links do not time out a healthy read.
    pub fn timeout(self, baud: u32) -> Duration {
        let base_ms = match self {
            Command::FindCard | Command::SelectCard => 100,
            Command::SamId => 300,
            Command::ReadText => 2000,
            Command::ReadTextAndFingerprint => 3000,
            Command::ReadAppendedAddress => 1500,
            _ => 1000,
        };
        Duration::from_millis(base_ms) + wire_time(self.reply_len(), baud)
    }

    /// The size of a successful reply frame, where known (for wire-time budgets and the simulator).
    pub fn reply_len(self) -> usize {
        match self {
            Command::SamId => 27,
            Command::FindCard => 15,
            Command::SelectCard => 19,
            Command::ReadText => 1295,
            Command::ReadTextAndFingerprint => 2321,
            Command::ReadAppendedAddress => 81,
            _ => 11,
        }
    }

    /// The whole command frame.
    pub fn encode(self) -> Vec<u8> {
        encode_frame(&self.code())
    }
}

/// Time to move `bytes` over an 8N1 line (10 bits a byte).
pub fn wire_time(bytes: usize, baud: u32) -> Duration {
    Duration::from_micros((bytes as u64 * 10 * 1_000_000) / baud.max(1) as u64)
}

/// XOR of every byte: the frame check over LEN and body.
pub fn checksum(bytes: &[u8]) -> u8 {
    bytes.iter().fold(0, |acc, b| acc ^ b)
}

/// Wraps a body (CMD PARA DATA, or SW1 SW2 SW3 DATA) in preamble, length and checksum.
pub fn encode_frame(body: &[u8]) -> Vec<u8> {
    let len = (body.len() + 1) as u16;
    let mut frame = Vec::with_capacity(HEADER_LEN + body.len() + 1);
    frame.extend_from_slice(&PREAMBLE);
    frame.extend_from_slice(&len.to_be_bytes());
    frame.extend_from_slice(body);
    let chk = checksum(&frame[5..]);
    frame.push(chk);
    frame
}

/// The status byte SW3, with the meaning GA 467 gives it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Status {
    /// 90 操作成功
    Success,
    /// 91 证/卡中此项无内容 (e.g. no appended address)
    NoContent,
    /// 9F 寻找证/卡成功: the success code of find card
    CardFound,
    /// 10 接收业务终端数据的校验和错
    HostChecksum,
    /// 11 接收业务终端数据的长度错
    HostLength,
    /// 21 接收业务终端的命令错误
    BadCommand,
    /// 23 越权操作
    NotPermitted,
    /// 24 无法识别的错误
    Unrecognised,
    /// 31 证/卡认证SAM_V失败
    CardRejectedSam,
    /// 32 SAM_V认证证/卡失败
    SamRejectedCard,
    /// 33 信息验证错误
    VerificationFailed,
    /// 37 指纹信息验证失败
    FingerprintFailed,
    /// 3F 信息长度错误
    InfoLength,
    /// 40 无法识别的卡类型
    UnknownCardType,
    /// 41 读证/卡操作失败
    ReadFailed,
    /// 47 取随机数失败
    RandomFailed,
    /// 60 SAM_V自检失败
    SamSelfTestFailed,
    /// 66 SAM_V没经过授权
    SamNotAuthorised,
    /// 80 寻找证/卡失败
    NoCard,
    /// 81 选取证/卡失败
    SelectFailed,
    /// A code GA 467 does not define.
    Other(u8),
}

const STATUS_CODES: [(u8, Status, &str, &str); 20] = [
    (0x90, Status::Success, "操作成功", "success"),
    (
        0x91,
        Status::NoContent,
        "证/卡中此项无内容",
        "the card has no content for this item",
    ),
    (0x9F, Status::CardFound, "寻找证/卡成功", "card found"),
    (
        0x10,
        Status::HostChecksum,
        "接收业务终端数据的校验和错",
        "checksum error in data from the host",
    ),
    (
        0x11,
        Status::HostLength,
        "接收业务终端数据的长度错",
        "length error in data from the host",
    ),
    (
        0x21,
        Status::BadCommand,
        "接收业务终端的命令错误",
        "command error (bad command or parameter)",
    ),
    (
        0x23,
        Status::NotPermitted,
        "越权操作",
        "operation not permitted",
    ),
    (
        0x24,
        Status::Unrecognised,
        "无法识别的错误",
        "unrecognised error",
    ),
    (
        0x31,
        Status::CardRejectedSam,
        "证/卡认证SAM_V失败",
        "the card failed to authenticate the SAM",
    ),
    (
        0x32,
        Status::SamRejectedCard,
        "SAM_V认证证/卡失败",
        "the SAM failed to authenticate the card",
    ),
    (
        0x33,
        Status::VerificationFailed,
        "信息验证错误",
        "information verification error",
    ),
    (
        0x37,
        Status::FingerprintFailed,
        "指纹信息验证失败",
        "fingerprint verification failed",
    ),
    (
        0x3F,
        Status::InfoLength,
        "信息长度错误",
        "information length error",
    ),
    (
        0x40,
        Status::UnknownCardType,
        "无法识别的卡类型",
        "unrecognised card type",
    ),
    (
        0x41,
        Status::ReadFailed,
        "读证/卡操作失败",
        "card read failed",
    ),
    (
        0x47,
        Status::RandomFailed,
        "取随机数失败",
        "failed to get a random number",
    ),
    (
        0x60,
        Status::SamSelfTestFailed,
        "SAM_V自检失败",
        "SAM self-test failed; it cannot accept commands",
    ),
    (
        0x66,
        Status::SamNotAuthorised,
        "SAM_V没经过授权",
        "SAM not authorised; unusable",
    ),
    (0x80, Status::NoCard, "寻找证/卡失败", "no card found"),
    (
        0x81,
        Status::SelectFailed,
        "选取证/卡失败",
        "select card failed",
    ),
];

impl Status {
    pub fn from_code(code: u8) -> Status {
        STATUS_CODES
            .iter()
            .find(|(c, ..)| *c == code)
            .map(|(_, s, ..)| *s)
            .unwrap_or(Status::Other(code))
    }

    pub fn code(self) -> u8 {
        match self {
            Status::Other(code) => code,
            known => STATUS_CODES
                .iter()
                .find(|(_, s, ..)| *s == known)
                .map(|(c, ..)| *c)
                .expect("every named status is in the table"),
        }
    }

    /// GA 467's wording, then an English gloss: for technicians and logs.
    pub fn meaning(self) -> String {
        match STATUS_CODES.iter().find(|(_, s, ..)| *s == self) {
            Some((code, _, zh, en)) => format!("SW3={code:02X} {zh} ({en})"),
            None => format!("SW3={:02X} (not defined by GA 467)", self.code()),
        }
    }

    /// Whether the SAM module itself is unusable (not the card).
    pub fn is_sam_fault(self) -> bool {
        matches!(
            self,
            Status::SamSelfTestFailed
                | Status::SamNotAuthorised
                | Status::HostChecksum
                | Status::HostLength
                | Status::BadCommand
                | Status::NotPermitted
                | Status::RandomFailed
        )
    }
}

/// A reply from the SAM: the three status bytes and the data after them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reply {
    pub sw1: u8,
    pub sw2: u8,
    pub status: Status,
    pub data: Vec<u8>,
}

impl Reply {
    pub fn new(status: Status, data: Vec<u8>) -> Reply {
        Reply {
            sw1: 0,
            sw2: 0,
            status,
            data,
        }
    }

    /// The whole reply frame.
    pub fn encode(&self) -> Vec<u8> {
        let mut body = Vec::with_capacity(3 + self.data.len());
        body.extend_from_slice(&[self.sw1, self.sw2, self.status.code()]);
        body.extend_from_slice(&self.data);
        encode_frame(&body)
    }

    /// A reply from a frame body (SW1 SW2 SW3 DATA).
    pub fn from_body(body: &[u8]) -> Result<Reply, FrameError> {
        match body {
            [sw1, sw2, sw3, data @ ..] => Ok(Reply {
                sw1: *sw1,
                sw2: *sw2,
                status: Status::from_code(*sw3),
                data: data.to_vec(),
            }),
            _ => Err(FrameError::ShortBody(body.len())),
        }
    }
}

/// What can be wrong with a frame on the wire.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FrameError {
    #[error("frame length {0} is outside {MIN_LEN}..={MAX_LEN}")]
    BadLength(usize),
    #[error("frame checksum {found:02X} does not match the computed {computed:02X}")]
    BadChecksum { found: u8, computed: u8 },
    #[error("frame body has {0} bytes; a reply needs at least SW1 SW2 SW3")]
    ShortBody(usize),
}

/// Collects bytes from the port and yields whole frame bodies.
#[derive(Debug, Default)]
pub struct Decoder {
    buf: Vec<u8>,
    /// Bytes thrown away while looking for a preamble (line noise, broken frames).
    pub skipped: usize,
}

impl Decoder {
    pub fn new() -> Decoder {
        Decoder::default()
    }

    pub fn push(&mut self, bytes: &[u8]) {
        self.buf.extend_from_slice(bytes);
    }

    /// Forgets everything buffered (after a timeout, before a new command).
    pub fn clear(&mut self) {
        self.buf.clear();
    }

    /// How many bytes the frame being received still needs, if a header has arrived: `(have, total)`.
    pub fn pending(&self) -> Option<(usize, usize)> {
        let start = find_preamble(&self.buf)?;
        let rest = &self.buf[start..];
        if rest.len() < HEADER_LEN {
            return Some((rest.len(), HEADER_LEN));
        }
        let len = u16::from_be_bytes([rest[5], rest[6]]) as usize;
        Some((rest.len(), HEADER_LEN + len))
    }

    /// The next complete frame's body (between LEN and CHK), an error for a broken frame (which is then skipped),
    /// or `None` until more bytes arrive.
    pub fn next_frame(&mut self) -> Option<Result<Vec<u8>, FrameError>> {
        let Some(start) = find_preamble(&self.buf) else {
            // Keep a tail that may be the start of a preamble split across reads.
            let keep = preamble_prefix_len(&self.buf);
            let drop = self.buf.len() - keep;
            self.skipped += drop;
            self.buf.drain(..drop);
            return None;
        };
        self.skipped += start;
        self.buf.drain(..start);
        if self.buf.len() < HEADER_LEN {
            return None;
        }
        let len = u16::from_be_bytes([self.buf[5], self.buf[6]]) as usize;
        if !(MIN_LEN..=MAX_LEN).contains(&len) {
            self.skip_broken_frame();
            return Some(Err(FrameError::BadLength(len)));
        }
        let total = HEADER_LEN + len;
        if self.buf.len() < total {
            return None;
        }
        let computed = checksum(&self.buf[5..total - 1]);
        let found = self.buf[total - 1];
        if computed != found {
            self.skip_broken_frame();
            return Some(Err(FrameError::BadChecksum { found, computed }));
        }
        let body = self.buf[HEADER_LEN..total - 1].to_vec();
        self.buf.drain(..total);
        Some(Ok(body))
    }

    /// Drops the preamble of a broken frame, so the search resumes inside it: a corrupted LEN must not swallow
    /// the good frame that follows.
    fn skip_broken_frame(&mut self) {
        self.skipped += PREAMBLE.len();
        self.buf.drain(..PREAMBLE.len());
    }

    /// The next reply frame, decoded.
    pub fn next_reply(&mut self) -> Option<Result<Reply, FrameError>> {
        self.next_frame()
            .map(|body| body.and_then(|b| Reply::from_body(&b)))
    }
}

fn find_preamble(buf: &[u8]) -> Option<usize> {
    buf.windows(PREAMBLE.len()).position(|w| w == PREAMBLE)
}

/// The length of the longest suffix of `buf` that is a proper prefix of the preamble.
fn preamble_prefix_len(buf: &[u8]) -> usize {
    (1..PREAMBLE.len())
        .rev()
        .find(|&n| buf.len() >= n && buf[buf.len() - n..] == PREAMBLE[..n])
        .unwrap_or(0)
}

/// Parses one buffer that should hold exactly one reply frame (tests, the CLI's hex input).
pub fn parse_reply(bytes: &[u8]) -> Result<Option<Reply>, FrameError> {
    let mut decoder = Decoder::new();
    decoder.push(bytes);
    decoder.next_reply().transpose()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex(s: &str) -> Vec<u8> {
        s.split_whitespace()
            .map(|b| u8::from_str_radix(b, 16).unwrap())
            .collect()
    }

    #[test]
    fn command_frames_match_the_reference() {
        let cases = [
            (Command::ResetSam, "AA AA AA 96 69 00 03 10 FF EC"),
            (Command::SamStatus, "AA AA AA 96 69 00 03 11 FF ED"),
            (Command::SamId, "AA AA AA 96 69 00 03 12 FF EE"),
            (Command::FindCard, "AA AA AA 96 69 00 03 20 01 22"),
            (Command::SelectCard, "AA AA AA 96 69 00 03 20 02 21"),
            (Command::ReadText, "AA AA AA 96 69 00 03 30 01 32"),
            (
                Command::ReadTextAndFingerprint,
                "AA AA AA 96 69 00 03 30 10 23",
            ),
            (
                Command::ReadAppendedAddress,
                "AA AA AA 96 69 00 03 30 03 30",
            ),
            (Command::ReadChipId, "AA AA AA 96 69 00 03 30 05 36"),
        ];
        for (command, frame) in cases {
            assert_eq!(command.encode(), hex(frame), "{command:?}");
            let mut decoder = Decoder::new();
            decoder.push(&hex(frame));
            let body = decoder.next_frame().unwrap().unwrap();
            assert_eq!(Command::from_code(body[0], body[1]), Some(command));
        }
    }

    #[test]
    fn worked_reply_frames_parse_to_their_status() {
        let cases = [
            ("AA AA AA 96 69 00 04 00 00 90 94", Status::Success, 0),
            (
                "AA AA AA 96 69 00 08 00 00 9F 00 00 00 00 97",
                Status::CardFound,
                4,
            ),
            ("AA AA AA 96 69 00 04 00 00 80 84", Status::NoCard, 0),
            (
                "AA AA AA 96 69 00 0C 00 00 90 00 00 00 00 00 00 00 00 9C",
                Status::Success,
                8,
            ),
            ("AA AA AA 96 69 00 04 00 00 81 85", Status::SelectFailed, 0),
            ("AA AA AA 96 69 00 04 00 00 41 45", Status::ReadFailed, 0),
            (
                "AA AA AA 96 69 00 04 00 00 60 64",
                Status::SamSelfTestFailed,
                0,
            ),
        ];
        for (frame, status, data_len) in cases {
            let reply = parse_reply(&hex(frame)).unwrap().unwrap();
            assert_eq!(reply.status, status, "{frame}");
            assert_eq!(reply.data.len(), data_len, "{frame}");
            assert_eq!(reply.encode(), hex(frame), "re-encoding {frame}");
        }
    }

    #[test]
    fn garbage_split_and_back_to_back_frames() {
        let found = hex("AA AA AA 96 69 00 08 00 00 9F 00 00 00 00 97");
        let ok = hex("AA AA AA 96 69 00 04 00 00 90 94");
        // The corrupted start a Qt project logged, then two frames in one read, split mid-preamble.
        let mut stream = hex("AA 00 13 37");
        stream.extend(&found);
        stream.extend(&ok);
        let mut decoder = Decoder::new();
        let (a, b) = stream.split_at(13);
        decoder.push(a);
        assert!(decoder.next_reply().is_none());
        decoder.push(b);
        assert_eq!(
            decoder.next_reply().unwrap().unwrap().status,
            Status::CardFound
        );
        assert_eq!(
            decoder.next_reply().unwrap().unwrap().status,
            Status::Success
        );
        assert!(decoder.next_reply().is_none());
        assert_eq!(decoder.skipped, 4);
    }

    #[test]
    fn a_bad_checksum_is_reported_and_the_next_frame_still_parses() {
        let mut bad = hex("AA AA AA 96 69 00 04 00 00 90 95");
        bad.extend(hex("AA AA AA 96 69 00 04 00 00 80 84"));
        let mut decoder = Decoder::new();
        decoder.push(&bad);
        assert_eq!(
            decoder.next_reply().unwrap(),
            Err(FrameError::BadChecksum {
                found: 0x95,
                computed: 0x94
            })
        );
        assert_eq!(
            decoder.next_reply().unwrap().unwrap().status,
            Status::NoCard
        );
    }

    #[test]
    fn an_absurd_length_does_not_swallow_the_next_frame() {
        let mut stream = hex("AA AA AA 96 69 FF FF 00");
        stream.extend(hex("AA AA AA 96 69 00 04 00 00 90 94"));
        let mut decoder = Decoder::new();
        decoder.push(&stream);
        assert_eq!(
            decoder.next_reply().unwrap(),
            Err(FrameError::BadLength(0xFFFF))
        );
        assert_eq!(
            decoder.next_reply().unwrap().unwrap().status,
            Status::Success
        );
    }

    #[test]
    fn pending_tells_how_much_of_a_frame_arrived() {
        let mut decoder = Decoder::new();
        decoder.push(&hex("00 AA AA AA 96 69 05 08 00 00 90"));
        assert!(decoder.next_reply().is_none());
        assert_eq!(decoder.pending(), Some((10, 1295)));
    }

    #[test]
    fn every_status_code_round_trips_and_has_a_meaning() {
        for code in 0..=255u8 {
            let status = Status::from_code(code);
            assert_eq!(status.code(), code);
            assert!(status.meaning().contains(&format!("{code:02X}")));
        }
        assert!(Status::from_code(0x66).meaning().contains("没经过授权"));
    }

    #[test]
    fn read_timeouts_cover_wire_time_at_slow_speeds() {
        assert!(Command::ReadText.timeout(9600) > wire_time(1295, 9600));
        assert_eq!(wire_time(1295, 115_200).as_millis(), 112);
        assert_eq!(Command::FindCard.timeout(115_200).as_millis(), 101);
    }
}
