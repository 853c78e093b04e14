//! The card's data, no I/O: the read reply (lengths, text block, photo, fingerprints) and the 256-byte text block
//! in its four layouts, both ways (the simulator writes what the driver reads).

use zeroize::Zeroizing;

use crate::domain::identity::{
    id_number_is_valid, CardDate, CardType, Identity, Nation, Sex, Validity,
};

/// The size of the text block on every card seen; the parser takes the length from the frame, this is what
/// the encoder writes.
pub const TEXT_LEN: usize = 256;
/// Where the card-type marker (`I`, `Y`, `J`) sits in the text block.
const MARKER_AT: usize = 248;
/// 长期: the validity end of a long-term card.
const LONG_TERM: &str = "长期";

/// What can be wrong with the card's data. Each is a read fault: the card is not taken as an identity.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CardError {
    #[error("read reply has {0} data bytes; too short for its length header")]
    ShortReply(usize),
    #[error("read reply announces text {text} + photo {photo} + fingerprint {fingerprint} bytes but carries {have}")]
    Lengths {
        text: usize,
        photo: usize,
        fingerprint: usize,
        have: usize,
    },
    #[error("{field}: not valid UCS-2 text")]
    Text { field: &'static str },
    /// The value is left out: a birth date is personal.
    #[error("{field} is not a date (YYYYMMDD)")]
    Date { field: &'static str },
    #[error("sex code {0:?} is not one of 0, 1, 2, 9")]
    Sex(String),
    #[error("{field} is empty")]
    Missing { field: &'static str },
    #[error("the ID number's check character is wrong (GB 11643)")]
    CheckCharacter,
    #[error("the card number is not 3 letters and 12 digits")]
    ForeignNumber,
    #[error("{field} does not fit its {max} characters")]
    TooLong { field: &'static str, max: usize },
}

/// The blocks of a 30 01 / 30 10 reply. The photo and fingerprints are opaque.
#[derive(Debug, PartialEq, Eq)]
pub struct CardBlocks {
    pub text: Zeroizing<Vec<u8>>,
    pub photo: Zeroizing<Vec<u8>>,
    pub fingerprint: Zeroizing<Vec<u8>>,
}

/// Splits a read reply's data (after SW3) by the big-endian lengths at its start: text, photo and, for 30 10,
/// fingerprint.
pub fn split_read_reply(data: &[u8], with_fingerprint: bool) -> Result<CardBlocks, CardError> {
    let header = if with_fingerprint { 6 } else { 4 };
    if data.len() < header {
        return Err(CardError::ShortReply(data.len()));
    }
    let be = |at: usize| u16::from_be_bytes([data[at], data[at + 1]]) as usize;
    let (text, photo) = (be(0), be(2));
    let fingerprint = if with_fingerprint { be(4) } else { 0 };
    let have = data.len() - header;
    if text + photo + fingerprint > have {
        return Err(CardError::Lengths {
            text,
            photo,
            fingerprint,
            have,
        });
    }
    let body = &data[header..];
    Ok(CardBlocks {
        text: Zeroizing::new(body[..text].to_vec()),
        photo: Zeroizing::new(body[text..text + photo].to_vec()),
        fingerprint: Zeroizing::new(body[text + photo..text + photo + fingerprint].to_vec()),
    })
}

/// Builds a read reply's data from its blocks (the simulator's side of [`split_read_reply`]).
pub fn join_read_reply(text: &[u8], photo: &[u8], fingerprint: Option<&[u8]>) -> Vec<u8> {
    let mut data = Vec::with_capacity(6 + text.len() + photo.len() + 1024);
    data.extend_from_slice(&(text.len() as u16).to_be_bytes());
    data.extend_from_slice(&(photo.len() as u16).to_be_bytes());
    if let Some(fp) = fingerprint {
        data.extend_from_slice(&(fp.len() as u16).to_be_bytes());
    }
    data.extend_from_slice(text);
    data.extend_from_slice(photo);
    if let Some(fp) = fingerprint {
        data.extend_from_slice(fp);
    }
    data
}

/// A field of the text block: byte offset and byte length.
#[derive(Clone, Copy)]
struct Field {
    name: &'static str,
    at: usize,
    len: usize,
}

const fn field(name: &'static str, at: usize, len: usize) -> Field {
    Field { name, at, len }
}

/// Byte offsets of each layout (reference 1.6).
mod layout {
    use super::{field, Field};

    pub const NAME: Field = field("name", 0, 30);
    pub const SEX: Field = field("sex", 30, 2);
    pub const NATION: Field = field("nation", 32, 4);
    pub const BIRTH: Field = field("birth", 36, 16);
    pub const ADDRESS: Field = field("address", 52, 70);
    pub const ID_NUMBER: Field = field("id_number", 122, 36);
    pub const AUTHORITY: Field = field("authority", 158, 30);
    pub const VALID_FROM: Field = field("valid_from", 188, 16);
    pub const VALID_TO: Field = field("valid_to", 204, 16);
    // Residence permit (J).
    pub const PASS_NUMBER: Field = field("pass_number", 220, 18);
    pub const ISSUE_COUNT: Field = field("issue_count", 238, 4);
    // Foreign permanent resident card 2017 (I).
    pub const I_ENGLISH_NAME: Field = field("english_name", 0, 120);
    pub const I_SEX: Field = field("sex", 120, 2);
    pub const I_NUMBER: Field = field("id_number", 122, 30);
    pub const I_NATIONALITY: Field = field("nationality", 152, 6);
    pub const I_NAME: Field = field("name", 158, 30);
    pub const I_BIRTH: Field = field("birth", 220, 16);
    pub const I_VERSION: Field = field("card_version", 236, 4);
    pub const I_AUTHORITY_CODE: Field = field("authority_code", 240, 8);
    // Foreign permanent resident card 2023 (Y).
    pub const Y_RENEWAL_COUNT: Field = field("renewal_count", 32, 4);
    pub const Y_ENGLISH_NAME_1: Field = field("english_name", 52, 70);
    pub const Y_ENGLISH_NAME_2: Field = field("english_name", 220, 22);
    pub const Y_NATIONALITY: Field = field("nationality", 242, 6);
    pub const Y_PREVIOUS_LINK: Field = field("previous_number_link", 250, 6);
    pub const MARKER: Field = field("card_type", super::MARKER_AT, 2);
}

/// Reads fields out of a text block of any length (a field beyond its end reads as empty).
struct Reader<'a>(&'a [u8]);

impl Reader<'_> {
    /// The field as text, padding spaces and NULs trimmed off the end.
    fn raw(&self, f: Field) -> Result<Zeroizing<String>, CardError> {
        let start = f.at.min(self.0.len());
        let end = (f.at + f.len).min(self.0.len()) & !1;
        let units: Vec<u16> = self.0[start..end.max(start)]
            .chunks_exact(2)
            .map(|c| u16::from_le_bytes([c[0], c[1]]))
            .collect();
        let text = String::from_utf16(&units).map_err(|_| CardError::Text { field: f.name })?;
        Ok(Zeroizing::new(text))
    }

    fn text(&self, f: Field) -> Result<String, CardError> {
        Ok(self
            .raw(f)?
            .trim_end_matches([' ', '\0', '\u{3000}'])
            .to_string())
    }

    fn optional(&self, f: Field) -> Result<Option<String>, CardError> {
        let text = self.text(f)?;
        Ok((!text.trim().is_empty()).then_some(text))
    }

    fn required(&self, f: Field) -> Result<String, CardError> {
        self.optional(f)?
            .ok_or(CardError::Missing { field: f.name })
    }

    fn date(&self, f: Field) -> Result<CardDate, CardError> {
        CardDate::from_digits(self.text(f)?.trim()).ok_or(CardError::Date { field: f.name })
    }

    fn validity(&self, f: Field) -> Result<Validity, CardError> {
        if self.text(f)?.trim() == LONG_TERM {
            return Ok(Validity::LongTerm);
        }
        self.date(f).map(Validity::Until)
    }

    fn sex(&self, f: Field) -> Result<Sex, CardError> {
        let text = self.text(f)?;
        let mut chars = text.chars();
        match (chars.next(), chars.next()) {
            (Some(c), None) => Sex::from_code(c).ok_or(CardError::Sex(text.clone())),
            _ => Err(CardError::Sex(text.clone())),
        }
    }

    fn nation(&self, f: Field) -> Result<Option<Nation>, CardError> {
        let text = self.text(f)?;
        let text = text.trim();
        if text.is_empty() {
            return Ok(None);
        }
        match text.parse::<u8>() {
            Ok(code) if text.len() == 2 => Ok(Some(Nation(code))),
            _ => Err(CardError::Text { field: f.name }),
        }
    }
}

/// The card type from the marker at byte 248.
pub fn card_type(text: &[u8]) -> CardType {
    match text.get(MARKER_AT..MARKER_AT + 2) {
        Some([b'I', 0]) => CardType::Foreign2017,
        Some([b'Y', 0]) => CardType::Foreign2023,
        Some([b'J', 0]) => CardType::Hmt,
        _ => CardType::Resident,
    }
}

/// Parses a text block into an identity (photo and appended address are added by the caller). A bad check
/// character, an impossible date or an unknown sex code is an error: a misread is never taken as a person.
pub fn parse_text(text: &[u8]) -> Result<Identity, CardError> {
    use layout::*;
    let r = Reader(text);
    let card_type = card_type(text);
    let mut id = Identity::default();
    id.card_type = card_type;
    match card_type {
        CardType::Resident | CardType::Hmt => {
            id.name = r.required(NAME)?;
            id.sex = r.sex(SEX)?;
            id.birth = r.date(BIRTH)?;
            id.address = r.optional(ADDRESS)?;
            id.id_number = r.required(ID_NUMBER)?;
            id.authority = r.optional(AUTHORITY)?;
            id.valid_from = r.date(VALID_FROM)?;
            id.valid_to = r.validity(VALID_TO)?;
            if card_type == CardType::Resident {
                id.nation = r.nation(NATION)?;
            } else {
                id.pass_number = r.optional(PASS_NUMBER)?;
                id.issue_count = r.optional(ISSUE_COUNT)?;
            }
        }
        CardType::Foreign2017 => {
            id.english_name = r.optional(I_ENGLISH_NAME)?;
            id.sex = r.sex(I_SEX)?;
            id.id_number = r.required(I_NUMBER)?;
            id.nationality = r.optional(I_NATIONALITY)?;
            id.name = r.text(I_NAME)?;
            id.valid_from = r.date(VALID_FROM)?;
            id.valid_to = r.validity(VALID_TO)?;
            id.birth = r.date(I_BIRTH)?;
            id.card_version = r.optional(I_VERSION)?;
            id.authority_code = r.optional(I_AUTHORITY_CODE)?;
            if id.english_name.is_none() && id.name.is_empty() {
                return Err(CardError::Missing { field: "name" });
            }
        }
        CardType::Foreign2023 => {
            id.name = r.text(NAME)?;
            id.sex = r.sex(SEX)?;
            id.renewal_count = r.optional(Y_RENEWAL_COUNT)?;
            id.birth = r.date(BIRTH)?;
            let mut english = r.raw(Y_ENGLISH_NAME_1)?;
            english.push_str(&r.raw(Y_ENGLISH_NAME_2)?);
            let english = english.trim_end_matches([' ', '\0']).to_string();
            id.english_name = (!english.trim().is_empty()).then_some(english);
            id.id_number = r.required(ID_NUMBER)?;
            id.valid_from = r.date(VALID_FROM)?;
            id.valid_to = r.validity(VALID_TO)?;
            id.nationality = r.optional(Y_NATIONALITY)?;
            id.previous_number_link = r.optional(Y_PREVIOUS_LINK)?;
            if id.english_name.is_none() && id.name.is_empty() {
                return Err(CardError::Missing { field: "name" });
            }
        }
    }
    check_number(card_type, &id.id_number)?;
    Ok(id)
}

fn check_number(card_type: CardType, number: &str) -> Result<(), CardError> {
    match card_type {
        // The 2017 card's own 7-3-1 check is not pinned down by any source; its shape is.
        CardType::Foreign2017 => {
            let b = number.as_bytes();
            let shaped = b.len() == 15
                && b[..3].iter().all(u8::is_ascii_uppercase)
                && b[3..].iter().all(u8::is_ascii_digit);
            shaped.then_some(()).ok_or(CardError::ForeignNumber)
        }
        _ => id_number_is_valid(number)
            .then_some(())
            .ok_or(CardError::CheckCharacter),
    }
}

/// Writes fields into a text block, padding each with spaces.
struct Writer(Vec<u8>);

impl Writer {
    fn new() -> Writer {
        Writer(
            std::iter::repeat_n([0x20, 0x00], TEXT_LEN / 2)
                .flatten()
                .collect(),
        )
    }

    fn put(&mut self, f: Field, value: &str) -> Result<(), CardError> {
        let units: Vec<u16> = value.encode_utf16().collect();
        if units.len() * 2 > f.len {
            return Err(CardError::TooLong {
                field: f.name,
                max: f.len / 2,
            });
        }
        for (i, u) in units.iter().enumerate() {
            self.0[f.at + 2 * i..f.at + 2 * i + 2].copy_from_slice(&u.to_le_bytes());
        }
        Ok(())
    }

    fn put_opt(&mut self, f: Field, value: &Option<String>) -> Result<(), CardError> {
        self.put(f, value.as_deref().unwrap_or(""))
    }
}

fn validity_text(v: Validity) -> String {
    match v {
        Validity::Until(date) => date.digits(),
        Validity::LongTerm => LONG_TERM.to_string(),
    }
}

/// The text block a card with this identity carries (used by the simulator and the round-trip tests).
pub fn encode_text(id: &Identity) -> Result<Zeroizing<Vec<u8>>, CardError> {
    use layout::*;
    let mut w = Writer::new();
    let sex = id.sex.code().to_string();
    match id.card_type {
        CardType::Resident | CardType::Hmt => {
            w.put(NAME, &id.name)?;
            w.put(SEX, &sex)?;
            w.put(BIRTH, &id.birth.digits())?;
            w.put_opt(ADDRESS, &id.address)?;
            w.put(ID_NUMBER, &id.id_number)?;
            w.put_opt(AUTHORITY, &id.authority)?;
            w.put(VALID_FROM, &id.valid_from.digits())?;
            w.put(VALID_TO, &validity_text(id.valid_to))?;
            if id.card_type == CardType::Resident {
                if let Some(nation) = id.nation {
                    w.put(NATION, &format!("{:02}", nation.0))?;
                }
            } else {
                w.put_opt(PASS_NUMBER, &id.pass_number)?;
                w.put_opt(ISSUE_COUNT, &id.issue_count)?;
                w.put(MARKER, "J")?;
            }
        }
        CardType::Foreign2017 => {
            w.put_opt(I_ENGLISH_NAME, &id.english_name)?;
            w.put(I_SEX, &sex)?;
            w.put(I_NUMBER, &id.id_number)?;
            w.put_opt(I_NATIONALITY, &id.nationality)?;
            w.put(I_NAME, &id.name)?;
            w.put(VALID_FROM, &id.valid_from.digits())?;
            w.put(VALID_TO, &validity_text(id.valid_to))?;
            w.put(I_BIRTH, &id.birth.digits())?;
            w.put_opt(I_VERSION, &id.card_version)?;
            w.put_opt(I_AUTHORITY_CODE, &id.authority_code)?;
            w.put(MARKER, "I")?;
        }
        CardType::Foreign2023 => {
            w.put(NAME, &id.name)?;
            w.put(SEX, &sex)?;
            w.put_opt(Y_RENEWAL_COUNT, &id.renewal_count)?;
            w.put(BIRTH, &id.birth.digits())?;
            let english: Vec<char> = id.english_name.as_deref().unwrap_or("").chars().collect();
            let split = english.len().min(Y_ENGLISH_NAME_1.len / 2);
            let first: String = english[..split].iter().collect();
            let rest: String = english[split..].iter().collect();
            w.put(Y_ENGLISH_NAME_1, &first)?;
            w.put(Y_ENGLISH_NAME_2, &rest)?;
            w.put(ID_NUMBER, &id.id_number)?;
            w.put(VALID_FROM, &id.valid_from.digits())?;
            w.put(VALID_TO, &validity_text(id.valid_to))?;
            w.put_opt(Y_NATIONALITY, &id.nationality)?;
            w.put_opt(Y_PREVIOUS_LINK, &id.previous_number_link)?;
            w.put(MARKER, "Y")?;
        }
    }
    Ok(Zeroizing::new(w.0))
}

/// The appended address reply (30 03): up to 70 bytes of UCS-2LE.
pub fn parse_appended_address(data: &[u8]) -> Result<Option<String>, CardError> {
    Reader(data).optional(field("appended_address", 0, data.len()))
}

pub fn encode_appended_address(address: &str) -> Result<Vec<u8>, CardError> {
    let f = field("appended_address", 0, 70);
    let mut w = Writer::new();
    w.put(f, address)?;
    Ok(w.0[..70].to_vec())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A resident card as the reference lays it out, written byte by byte (not through the encoder).
    fn resident_block() -> Vec<u8> {
        let mut block = vec![0u8; 256];
        for pair in block.chunks_mut(2) {
            pair.copy_from_slice(&[0x20, 0]);
        }
        let mut put = |at: usize, s: &str| {
            for (i, u) in s.encode_utf16().enumerate() {
                block[at + 2 * i..at + 2 * i + 2].copy_from_slice(&u.to_le_bytes());
            }
        };
        put(0, "张三丰");
        put(30, "1");
        put(32, "01");
        put(36, "19491231");
        put(52, "北京市朝阳区建国路 1 号");
        put(122, "11010519491231002X");
        put(158, "北京市公安局朝阳分局");
        put(188, "20100101");
        put(204, "长期");
        block
    }

    #[test]
    fn resident_card_fields_at_their_offsets() {
        let id = parse_text(&resident_block()).unwrap();
        assert_eq!(id.card_type, CardType::Resident);
        assert_eq!(id.name, "张三丰");
        assert_eq!(id.sex, Sex::Male);
        assert_eq!(id.nation.unwrap().name(), Some("汉"));
        assert_eq!(id.birth.to_string(), "1949-12-31");
        assert_eq!(id.address.as_deref(), Some("北京市朝阳区建国路 1 号"));
        assert_eq!(id.id_number, "11010519491231002X");
        assert_eq!(id.authority.as_deref(), Some("北京市公安局朝阳分局"));
        assert_eq!(id.valid_to, Validity::LongTerm);
        assert_eq!(id.english_name, None);
        assert_eq!(
            encode_text(&id).unwrap().as_slice(),
            resident_block().as_slice()
        );
    }

    #[test]
    fn a_wrong_check_character_is_a_read_fault_not_an_identity() {
        let mut block = resident_block();
        block[122 + 34] = b'1';
        assert_eq!(parse_text(&block), Err(CardError::CheckCharacter));
    }

    #[test]
    fn marker_selects_the_layout() {
        let mut block = resident_block();
        block[248] = b'J';
        assert_eq!(card_type(&block), CardType::Hmt);
        block[248] = b'Y';
        assert_eq!(card_type(&block), CardType::Foreign2023);
        block[248] = b'I';
        assert_eq!(card_type(&block), CardType::Foreign2017);
        assert_eq!(card_type(&block[..200]), CardType::Resident);
    }

    #[test]
    fn lengths_come_from_the_reply_header() {
        let data = join_read_reply(&[1; 10], &[2; 6], None);
        let blocks = split_read_reply(&data, false).unwrap();
        assert_eq!((blocks.text.len(), blocks.photo.len()), (10, 6));
        let fp = join_read_reply(&[1; 256], &[2; 1024], Some(&[3; 1024]));
        assert_eq!(fp.len(), 2314 - 4);
        assert_eq!(split_read_reply(&fp, true).unwrap().fingerprint.len(), 1024);
        assert!(matches!(
            split_read_reply(&data[..12], false),
            Err(CardError::Lengths { .. })
        ));
    }
}
