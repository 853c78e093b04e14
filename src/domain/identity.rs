//! The card holder as the reader finds them: every field of the four card layouts (resident ID card, foreign
//! permanent resident ID card 2017 and 2023, Hong Kong/Macau/Taiwan residence permit). Held in memory only,
//! zeroed on drop, masked wherever it is printed.

use std::fmt;

use serde::Serialize;
use zeroize::{Zeroize, ZeroizeOnDrop, Zeroizing};

/// Which card layout the text block used (marker at byte 248: `I`, `Y`, `J`, else resident).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CardType {
    #[default]
    Resident,
    Foreign2017,
    Foreign2023,
    Hmt,
}

impl CardType {
    pub const ALL: [CardType; 4] = [
        CardType::Resident,
        CardType::Foreign2017,
        CardType::Foreign2023,
        CardType::Hmt,
    ];

    /// The name used in JSON and in the simulator's card files.
    pub fn key(self) -> &'static str {
        match self {
            CardType::Resident => "resident",
            CardType::Foreign2017 => "foreign_2017",
            CardType::Foreign2023 => "foreign_2023",
            CardType::Hmt => "hmt",
        }
    }

    pub fn from_key(key: &str) -> Option<CardType> {
        CardType::ALL.into_iter().find(|t| t.key() == key)
    }
}

/// Sex code (GB/T 2261.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Sex {
    #[default]
    Unknown,
    Male,
    Female,
    Unspecified,
}

impl Sex {
    pub fn from_code(code: char) -> Option<Sex> {
        match code {
            '0' => Some(Sex::Unknown),
            '1' => Some(Sex::Male),
            '2' => Some(Sex::Female),
            '9' => Some(Sex::Unspecified),
            _ => None,
        }
    }

    pub fn code(self) -> char {
        match self {
            Sex::Unknown => '0',
            Sex::Male => '1',
            Sex::Female => '2',
            Sex::Unspecified => '9',
        }
    }

    pub fn key(self) -> &'static str {
        match self {
            Sex::Unknown => "unknown",
            Sex::Male => "male",
            Sex::Female => "female",
            Sex::Unspecified => "unspecified",
        }
    }

    pub fn from_key(key: &str) -> Option<Sex> {
        [Sex::Unknown, Sex::Male, Sex::Female, Sex::Unspecified]
            .into_iter()
            .find(|s| s.key() == key)
    }
}

/// Ethnic group names by GB 3304 code, as printed on the card (the card stores only the code).
const NATIONS: [(u8, &str); 58] = [
    (1, "汉"),
    (2, "蒙古"),
    (3, "回"),
    (4, "藏"),
    (5, "维吾尔"),
    (6, "苗"),
    (7, "彝"),
    (8, "壮"),
    (9, "布依"),
    (10, "朝鲜"),
    (11, "满"),
    (12, "侗"),
    (13, "瑶"),
    (14, "白"),
    (15, "土家"),
    (16, "哈尼"),
    (17, "哈萨克"),
    (18, "傣"),
    (19, "黎"),
    (20, "傈僳"),
    (21, "佤"),
    (22, "畲"),
    (23, "高山"),
    (24, "拉祜"),
    (25, "水"),
    (26, "东乡"),
    (27, "纳西"),
    (28, "景颇"),
    (29, "柯尔克孜"),
    (30, "土"),
    (31, "达斡尔"),
    (32, "仫佬"),
    (33, "羌"),
    (34, "布朗"),
    (35, "撒拉"),
    (36, "毛南"),
    (37, "仡佬"),
    (38, "锡伯"),
    (39, "阿昌"),
    (40, "普米"),
    (41, "塔吉克"),
    (42, "怒"),
    (43, "乌孜别克"),
    (44, "俄罗斯"),
    (45, "鄂温克"),
    (46, "德昂"),
    (47, "保安"),
    (48, "裕固"),
    (49, "京"),
    (50, "塔塔尔"),
    (51, "独龙"),
    (52, "鄂伦春"),
    (53, "赫哲"),
    (54, "门巴"),
    (55, "珞巴"),
    (56, "基诺"),
    (97, "其他"),
    (98, "外国血统中国籍人士"),
];

/// A GB 3304 nation code as stored on the card ("01" … "56", 97, 98).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Zeroize)]
pub struct Nation(pub u8);

impl Nation {
    pub fn name(self) -> Option<&'static str> {
        NATIONS
            .iter()
            .find(|(code, _)| *code == self.0)
            .map(|(_, name)| *name)
    }

    pub fn from_name(name: &str) -> Option<Nation> {
        NATIONS
            .iter()
            .find(|(_, n)| *n == name)
            .map(|(code, _)| Nation(*code))
    }
}

/// A calendar date as the card stores it (YYYYMMDD), kept as plain numbers so it can be zeroed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default, Zeroize, Serialize)]
pub struct CardDate {
    pub year: u16,
    pub month: u8,
    pub day: u8,
}

impl CardDate {
    /// From `YYYYMMDD`; `None` unless it is a real calendar date.
    pub fn from_digits(s: &str) -> Option<CardDate> {
        if s.len() != 8 || !s.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let date = chrono::NaiveDate::parse_from_str(s, "%Y%m%d").ok()?;
        Some(CardDate::from(date))
    }

    /// From `YYYY-MM-DD`.
    pub fn from_iso(s: &str) -> Option<CardDate> {
        let date = chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()?;
        Some(CardDate::from(date))
    }

    pub fn digits(self) -> String {
        format!("{:04}{:02}{:02}", self.year, self.month, self.day)
    }
}

impl From<chrono::NaiveDate> for CardDate {
    fn from(date: chrono::NaiveDate) -> CardDate {
        use chrono::Datelike;
        CardDate {
            year: date.year() as u16,
            month: date.month() as u8,
            day: date.day() as u8,
        }
    }
}

impl fmt::Display for CardDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// The end of a card's validity: a date, or 长期 (long-term).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Validity {
    Until(CardDate),
    #[default]
    LongTerm,
}

impl Zeroize for Validity {
    fn zeroize(&mut self) {
        if let Validity::Until(date) = self {
            date.zeroize();
        }
        *self = Validity::LongTerm;
    }
}

impl fmt::Display for Validity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Validity::Until(date) => date.fmt(f),
            Validity::LongTerm => f.write_str("long-term"),
        }
    }
}

/// Everything one card says about its holder. Fields a layout does not carry are `None`.
///
/// The photo is the card's 1024 bytes of WLT data: no open decoder exists, so it is kept opaque, in memory, and
/// never written anywhere.
#[derive(Clone, Default, PartialEq, Eq, Zeroize, ZeroizeOnDrop)]
pub struct Identity {
    #[zeroize(skip)]
    pub card_type: CardType,
    /// Chinese name (on a 2017 foreign card it may be empty).
    pub name: String,
    pub english_name: Option<String>,
    #[zeroize(skip)]
    pub sex: Sex,
    pub nation: Option<Nation>,
    pub birth: CardDate,
    pub address: Option<String>,
    /// The newest address (读追加地址, 30 03), when the card holds one.
    pub appended_address: Option<String>,
    /// The citizen ID number, or the card number on foreign permanent resident cards.
    pub id_number: String,
    pub authority: Option<String>,
    pub valid_from: CardDate,
    pub valid_to: Validity,
    /// ISO 3166-1 alpha-3, foreign cards only.
    pub nationality: Option<String>,
    /// 通行证号码, residence permits only.
    pub pass_number: Option<String>,
    /// 签发次数, residence permits only.
    pub issue_count: Option<String>,
    /// 换证次数, 2023 foreign cards only.
    pub renewal_count: Option<String>,
    /// 2017 foreign cards only.
    pub card_version: Option<String>,
    /// The code of the authority that accepted the application (2017 foreign cards).
    pub authority_code: Option<String>,
    /// The previous card number link (2023 foreign cards).
    pub previous_number_link: Option<String>,
    pub photo: Zeroizing<Vec<u8>>,
}

impl Identity {
    /// `3205**********123X`: the first 4 and last 4 characters, the rest starred.
    pub fn masked_id_number(&self) -> String {
        mask_id_number(&self.id_number)
    }

    /// `张*` / `欧阳**`; an English-only name keeps its first letter.
    pub fn masked_name(&self) -> String {
        mask_name(self.display_name())
    }

    /// The name to greet the holder with: Chinese where the card has one, else English.
    pub fn display_name(&self) -> &str {
        match (&self.english_name, self.name.trim().is_empty()) {
            (Some(english), true) => english,
            _ => &self.name,
        }
    }

    /// Whether the card's validity ended before `today`.
    pub fn is_expired(&self, today: CardDate) -> bool {
        match self.valid_to {
            Validity::Until(end) => end < today,
            Validity::LongTerm => false,
        }
    }
}

pub fn mask_id_number(id: &str) -> String {
    let chars: Vec<char> = id.chars().collect();
    if chars.len() <= 8 {
        return "*".repeat(chars.len());
    }
    chars
        .iter()
        .enumerate()
        .map(|(i, c)| {
            if i < 4 || i >= chars.len() - 4 {
                *c
            } else {
                '*'
            }
        })
        .collect()
}

pub fn mask_name(name: &str) -> String {
    let mut chars = name.chars();
    match chars.next() {
        Some(first) => std::iter::once(first)
            .chain(chars.map(|c| if c == ' ' { ' ' } else { '*' }))
            .collect(),
        None => String::new(),
    }
}

/// Debug and Display never show who the person is: the masked name and number and the card type only.
impl fmt::Debug for Identity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Identity")
            .field("card_type", &self.card_type)
            .field("name", &self.masked_name())
            .field("id_number", &self.masked_id_number())
            .finish_non_exhaustive()
    }
}

impl fmt::Display for Identity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.masked_name(), self.masked_id_number())
    }
}

/// The ID number's check character (GB 11643), shared with the hub.
pub use kiosk_proto::fields::{gb11643_check, id_number_is_valid};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn check_characters_of_the_reference_examples() {
        assert!(id_number_is_valid("11010519491231002X"));
        assert!(id_number_is_valid("931586198001010028"));
        assert!(!id_number_is_valid("110105194912310021"));
        assert!(!id_number_is_valid("11010519491231002"));
        assert!(!id_number_is_valid("1101051949123100２X"));
    }

    #[test]
    fn nation_table_has_every_code() {
        assert_eq!(Nation(1).name(), Some("汉"));
        assert_eq!(Nation(56).name(), Some("基诺"));
        assert_eq!(Nation(98).name(), Some("外国血统中国籍人士"));
        assert_eq!(Nation(57).name(), None);
        assert_eq!(Nation::from_name("维吾尔"), Some(Nation(5)));
    }

    #[test]
    fn expiry_is_by_calendar_day() {
        let mut id = Identity::default();
        id.valid_to = Validity::Until(CardDate::from_digits("20251123").unwrap());
        assert!(!id.is_expired(CardDate::from_digits("20251123").unwrap()));
        assert!(id.is_expired(CardDate::from_digits("20251124").unwrap()));
        id.valid_to = Validity::LongTerm;
        assert!(!id.is_expired(CardDate::from_digits("29991231").unwrap()));
    }

    #[test]
    fn debug_and_display_show_nothing_whole() {
        let mut id = Identity::default();
        id.name = "张三丰".into();
        id.id_number = "32050119800101123X".into();
        id.address = Some("江苏省苏州市姑苏区人民路 1 号".into());
        for text in [format!("{id:?}"), id.to_string()] {
            assert!(text.contains("3205**********123X"), "{text}");
            assert!(
                !text.contains("张三丰") && !text.contains("人民路"),
                "{text}"
            );
        }
        let mut english = Identity::default();
        english.english_name = Some("SMITH JOHN".into());
        assert_eq!(english.masked_name(), "S**** ****");
    }

    #[test]
    fn invalid_dates_are_refused() {
        assert!(CardDate::from_digits("20230229").is_none());
        assert!(CardDate::from_digits("2024022９").is_none());
        assert_eq!(
            CardDate::from_digits("20240229").unwrap().to_string(),
            "2024-02-29"
        );
    }
}
