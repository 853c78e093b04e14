//! 自助申报: what a service asks of an applicant at the terminal (its application definition, published in
//! the catalogue and checked on import), the checks of each field's value (the terminal's as the citizen
//! types, and the hub's again on intake), and the application as it travels from the terminal to the hub.
//!
//! Form values and pages are personal: `Debug` of a value shows only its length, and no type here logs.

use std::collections::HashSet;

use serde::{Deserialize, Serialize};

use crate::fields;
use crate::service::IdNumber;
use crate::LocalText;

/// How a service is applied for here.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ApplicationForm {
    /// What is collected, why, to whom it goes and how long it is kept (PIPL 第三十五条 notice).
    pub notice: LocalText,
    /// Days the hub keeps the materials after the case ends.
    pub retention_days: u32,
    pub fields: Vec<FieldSpec>,
    #[serde(default)]
    pub materials: Vec<MaterialSpec>,
    /// Whether the applicant signs on the screen.
    pub signature: bool,
    /// The ways the result may reach the applicant, at least one.
    pub delivery: Vec<Delivery>,
    /// A 一件事 bundle: the departments that take part (empty for a single service).
    #[serde(default)]
    pub bundle: Vec<LocalText>,
}

/// One field of the form.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FieldSpec {
    pub id: String,
    pub label: LocalText,
    pub kind: FieldKind,
    /// Where its value comes from before the citizen types.
    #[serde(default)]
    pub prefill: Option<Prefill>,
    /// Whether the citizen may change a prefilled value (a value read from the card usually may not).
    #[serde(default = "yes")]
    pub editable: bool,
    #[serde(default)]
    pub required: bool,
    #[serde(default)]
    pub min_len: Option<u32>,
    #[serde(default)]
    pub max_len: Option<u32>,
    /// The choices of a `choice` field.
    #[serde(default)]
    pub choices: Vec<Choice>,
    /// Dates: the earliest and latest allowed, as `YYYY-MM-DD`, `today`, or `today-N` / `today+N` with a
    /// unit `d` or `y` (`today-150y`).
    #[serde(default)]
    pub date_min: Option<String>,
    #[serde(default)]
    pub date_max: Option<String>,
    /// A line under the field (what to write, an example).
    #[serde(default)]
    pub hint: Option<LocalText>,
    /// Whether its value is personal (the default): masked in remote guidance's mirror and never filled by
    /// staff. A field that is not (a business's scope, a choice of purpose) may be filled by a guide
    /// helping with the citizen's consent (帮办代办).
    #[serde(default = "yes")]
    pub personal: bool,
}

impl FieldSpec {
    /// Whether a guide helping remotely may see and fill it: it is not personal.
    pub fn staff_may_fill(&self) -> bool {
        !self.personal
    }
}

fn yes() -> bool {
    true
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum FieldKind {
    Text,
    Digits,
    Phone,
    Postcode,
    Date,
    Choice,
    Address,
    IdNumber,
    CreditCode,
}

/// Where a field is prefilled from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Prefill {
    CardName,
    CardSex,
    CardNation,
    CardBirth,
    /// The card's address is the 户籍 address at issue: prefilled only where the field asks for it.
    CardAddress,
    CardNumber,
    /// The hall the terminal stands in.
    Hall,
    /// What the government already holds of the holder, from the hub (两个免于提交): the mobile number
    /// registered with their real-name account; a field with one of these stays editable, since a record
    /// may be out of date.
    Mobile,
    /// The spouse's name and ID number on the holder's marriage e-licence.
    SpouseName,
    SpouseNumber,
    /// The newborn's name, sex and date of birth, and the certificate's number, on the holder's
    /// birth-certificate e-licence (出生医学证明).
    ChildName,
    ChildSex,
    ChildBirth,
    BirthCertificate,
    /// The chosen enterprise's registry facts (企业服务): its name, 统一社会信用代码 and registered address.
    EnterpriseName,
    EnterpriseCode,
    EnterpriseAddress,
}

/// A 一件事 bundle's part as the catalogue names it, "苏州市公安局（户口登记）": the department that decides it
/// and, in brackets, its matter (the matter is the whole text when there are no brackets).
pub fn bundle_part(part: &LocalText) -> (String, LocalText) {
    let department = part
        .zh
        .split(['（', '('])
        .next()
        .unwrap_or_default()
        .trim()
        .to_string();
    let inner = |text: &str| {
        text.split_once(['（', '('])
            .map(|(_, rest)| rest.trim_end_matches(['）', ')']).trim().to_string())
            .unwrap_or_else(|| text.trim().to_string())
    };
    (department, LocalText::new(inner(&part.zh), inner(&part.en)))
}

impl Prefill {
    /// Whether the hub holds it (the others come from the card or the terminal).
    pub fn is_held(self) -> bool {
        matches!(
            self,
            Prefill::Mobile
                | Prefill::SpouseName
                | Prefill::SpouseNumber
                | Prefill::ChildName
                | Prefill::ChildSex
                | Prefill::ChildBirth
                | Prefill::BirthCertificate
        )
    }

    /// Whether it is a fact of the enterprise the legal representative chose.
    pub fn is_enterprise(self) -> bool {
        matches!(
            self,
            Prefill::EnterpriseName | Prefill::EnterpriseCode | Prefill::EnterpriseAddress
        )
    }

    /// Whether its value can stand in a field of `kind`.
    pub fn fits(self, kind: FieldKind) -> bool {
        use FieldKind as K;
        match self {
            Prefill::CardName
            | Prefill::SpouseName
            | Prefill::ChildName
            | Prefill::BirthCertificate
            | Prefill::EnterpriseName => kind == K::Text,
            Prefill::EnterpriseCode => kind == K::CreditCode,
            Prefill::EnterpriseAddress => matches!(kind, K::Address | K::Text),
            Prefill::CardSex | Prefill::ChildSex | Prefill::CardNation | Prefill::Hall => {
                matches!(kind, K::Text | K::Choice)
            }
            Prefill::CardBirth | Prefill::ChildBirth => kind == K::Date,
            Prefill::CardAddress => matches!(kind, K::Address | K::Text),
            Prefill::CardNumber | Prefill::SpouseNumber => kind == K::IdNumber,
            Prefill::Mobile => kind == K::Phone,
        }
    }
}

/// A value the hub holds of the card's holder, for a field that names its source.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct HeldFact {
    pub fact: Prefill,
    pub value: String,
}

/// The answer to `/v1/holder/facts`: what the hub holds of the holder, to prefill forms.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct HeldFacts {
    pub facts: Vec<HeldFact>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Choice {
    pub value: String,
    pub label: LocalText,
}

/// A material the application needs, and where it may come from, best first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MaterialSpec {
    pub id: String,
    pub title: LocalText,
    /// Where it may come from, best first (an e-licence found is used; otherwise the next source).
    pub sources: Vec<MaterialSource>,
    /// The kind of e-licence that stands for it in the library (`id_card`, `property`, `business`…).
    #[serde(default)]
    pub licence: Option<String>,
    #[serde(default)]
    pub required: bool,
    /// Pages of a capture or a phone upload.
    #[serde(default = "one")]
    pub min_pages: u32,
    #[serde(default = "one")]
    pub max_pages: u32,
}

fn one() -> u32 {
    1
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum MaterialSource {
    /// Fetched for the holder from the hub's e-licence library (免证办).
    Elicence,
    /// Pages on the document camera (高拍仪).
    Capture,
    /// Photos uploaded from the citizen's phone.
    Phone,
}

/// How the result reaches the applicant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Delivery {
    /// 窗口领取.
    Pickup,
    /// EMS 免费寄递.
    Ems,
    /// 电子证照: printed at any terminal.
    Electronic,
}

impl Delivery {
    pub fn label(self) -> LocalText {
        match self {
            Delivery::Pickup => LocalText::new("窗口领取", "Collect at a counter"),
            Delivery::Ems => LocalText::new("EMS 免费寄递", "Free delivery by EMS"),
            Delivery::Electronic => LocalText::new("电子证照", "Electronic licence"),
        }
    }
}

impl ApplicationForm {
    /// Ids unique, texts in both languages, limits that make sense, choices for a choice field, dates that
    /// parse, at least one source and one way of delivery. The catalogue's import calls this for every
    /// service that carries a form.
    pub fn check(&self) -> Result<(), String> {
        let both = |t: &LocalText| !t.zh.trim().is_empty() && !t.en.trim().is_empty();
        if !both(&self.notice) {
            return Err("the notice is missing a language".into());
        }
        if self.fields.is_empty() {
            return Err("a form has at least one field".into());
        }
        let mut ids = HashSet::new();
        for field in &self.fields {
            let id = &field.id;
            if !is_id(id) || !ids.insert(id.as_str()) {
                return Err(format!(
                    "field id {id:?} is empty, not a-z0-9_ or used twice"
                ));
            }
            if !both(&field.label) || field.hint.as_ref().is_some_and(|h| !both(h)) {
                return Err(format!("field {id} has a text missing a language"));
            }
            if let (Some(min), Some(max)) = (field.min_len, field.max_len) {
                if min > max {
                    return Err(format!("field {id}: min_len {min} is over max_len {max}"));
                }
            }
            if field.max_len == Some(0) || field.max_len.is_some_and(|n| n > MAX_VALUE as u32) {
                return Err(format!("field {id}: max_len is 1 to {MAX_VALUE}"));
            }
            // Only what says nothing of who the applicant is may be shown to and filled by staff.
            let identifying = matches!(
                field.kind,
                FieldKind::IdNumber | FieldKind::Phone | FieldKind::Address | FieldKind::Date
            ) || field.prefill.is_some();
            if !field.personal && identifying {
                return Err(format!(
                    "field {id} identifies the applicant (its kind or its prefill): it stays personal"
                ));
            }
            match field.kind {
                FieldKind::Choice => {
                    let mut values = HashSet::new();
                    if field.choices.len() < 2 {
                        return Err(format!("choice field {id} offers fewer than two choices"));
                    }
                    for choice in &field.choices {
                        if choice.value.is_empty()
                            || !values.insert(&choice.value)
                            || !both(&choice.label)
                        {
                            return Err(format!(
                                "choice field {id}: a choice is empty, repeated or missing a language"
                            ));
                        }
                    }
                }
                _ if !field.choices.is_empty() => {
                    return Err(format!("field {id} has choices but is not a choice field"));
                }
                _ => {}
            }
            for bound in [&field.date_min, &field.date_max].into_iter().flatten() {
                if field.kind != FieldKind::Date {
                    return Err(format!("field {id} has a date range but is not a date"));
                }
                if resolve_date(bound, Date::new(2000, 1, 1).expect("a date")).is_none() {
                    return Err(format!("field {id}: date bound {bound:?} does not parse"));
                }
            }
            if let Some(prefill) = field.prefill {
                if !prefill.fits(field.kind) {
                    return Err(format!(
                        "field {id}: prefill {prefill:?} cannot fill a {:?} field",
                        field.kind
                    ));
                }
                if prefill.is_held() && !field.editable {
                    return Err(format!(
                        "field {id} is prefilled from the hub's records and must stay editable (a record may be out of date)"
                    ));
                }
            }
            if !field.editable && field.prefill.is_none() {
                return Err(format!(
                    "field {id} can be neither prefilled nor typed (editable false without prefill)"
                ));
            }
        }
        let mut materials = HashSet::new();
        for material in &self.materials {
            let id = &material.id;
            if !is_id(id) || !materials.insert(id.as_str()) {
                return Err(format!(
                    "material id {id:?} is empty, not a-z0-9_ or used twice"
                ));
            }
            if !both(&material.title) {
                return Err(format!("material {id} has a text missing a language"));
            }
            if material.sources.is_empty() {
                return Err(format!("material {id} names no source"));
            }
            let elicence = material.sources.contains(&MaterialSource::Elicence);
            if elicence != material.licence.is_some() {
                return Err(format!(
                    "material {id}: an e-licence source and a licence kind go together"
                ));
            }
            if material.min_pages > material.max_pages
                || material.max_pages == 0
                || material.max_pages > MAX_PAGES
            {
                return Err(format!(
                    "material {id}: pages must be 1 ≤ min_pages ≤ max_pages ≤ {MAX_PAGES}"
                ));
            }
        }
        if self.delivery.is_empty() {
            return Err("a form offers at least one way of delivery".into());
        }
        if self.bundle.iter().any(|d| !both(d)) {
            return Err("a bundle's department is missing a language".into());
        }
        Ok(())
    }

    pub fn field(&self, id: &str) -> Option<&FieldSpec> {
        self.fields.iter().find(|f| f.id == id)
    }

    /// The label of a field or the title of a material, by its id.
    pub fn item_label(&self, id: &str) -> Option<&LocalText> {
        self.field(id)
            .map(|f| &f.label)
            .or_else(|| self.materials.iter().find(|m| m.id == id).map(|m| &m.title))
    }

    /// The form of a 补正: only the `items` asked (fields and materials by id), each required and a field
    /// editable, since the citizen gives it again; the signature as the form asks; the delivery and the
    /// bundle stay as they were chosen at submission.
    pub fn narrowed(&self, items: &[String]) -> ApplicationForm {
        let asked = |id: &str| items.iter().any(|i| i == id);
        ApplicationForm {
            fields: self
                .fields
                .iter()
                .filter(|f| asked(&f.id))
                .map(|f| FieldSpec {
                    required: true,
                    editable: true,
                    ..f.clone()
                })
                .collect(),
            materials: self
                .materials
                .iter()
                .filter(|m| asked(&m.id))
                .map(|m| MaterialSpec {
                    required: true,
                    min_pages: m.min_pages.max(1),
                    ..m.clone()
                })
                .collect(),
            bundle: vec![],
            ..self.clone()
        }
    }
}

/// What a reviewer asked the applicant to supply (一次性告知补正), as the citizen's progress shows it and a
/// 补正 at the terminal answers it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Asked {
    pub items: Vec<AskedItem>,
    /// The day to supply them by (YYYY-MM-DD).
    pub deadline: String,
}

/// One item of a 补正: a field or a material of the form, and what is wrong with it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AskedItem {
    /// The field's or the material's id in the form.
    pub item: String,
    pub label: LocalText,
    /// The reviewer's words.
    pub why: String,
}

impl Asked {
    pub fn ids(&self) -> Vec<String> {
        self.items.iter().map(|i| i.item.clone()).collect()
    }
}

fn is_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 32
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

/// The longest value a field holds.
pub const MAX_VALUE: usize = 200;
/// The most pages one material holds.
pub const MAX_PAGES: u32 = 10;
/// The largest page the hub takes (a phone photo; a camera page is well under 150 KB).
pub const MAX_PAGE_BYTES: usize = 4 * 1024 * 1024;

/// Why a value does not pass its field's checks, said next to the field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum FieldProblem {
    Missing,
    TooShort(u32),
    TooLong(u32),
    /// Characters the kind does not take (a digit field with letters).
    Characters,
    /// An ID number whose check character (GB 11643) is wrong.
    IdCheck,
    /// A credit code whose check character (GB 32100) is wrong: "please check", never a hard stop (codes
    /// issued with a wrong check exist).
    CreditCheck,
    Phone,
    Postcode,
    /// Not a date (`YYYY-MM-DD`).
    Date,
    /// Before the earliest date allowed.
    DateTooEarly,
    /// After the latest date allowed.
    DateTooLate,
    /// Not one of the choices.
    Choice,
}

impl FieldProblem {
    /// Whether the application cannot go on with it (a credit code's check only asks to look again).
    pub fn blocks(self) -> bool {
        self != FieldProblem::CreditCheck
    }

    pub fn describe(self) -> LocalText {
        let (zh, en) = match self {
            FieldProblem::Missing => ("请填写此项".to_string(), "Please fill this in".to_string()),
            FieldProblem::TooShort(n) => (format!("至少 {n} 个字"), format!("At least {n} characters")),
            FieldProblem::TooLong(n) => (format!("最多 {n} 个字"), format!("At most {n} characters")),
            FieldProblem::Characters => (
                "含有此项不接受的字符".into(),
                "Holds characters this field does not take".into(),
            ),
            FieldProblem::IdCheck => (
                "证件号码校验位不对，请核对".into(),
                "The ID number's last character does not check; please look again".into(),
            ),
            FieldProblem::CreditCheck => (
                "统一社会信用代码校验位不符，请核对（确认无误可继续）".into(),
                "The credit code's check character does not match; check it (you may go on if it is right)".into(),
            ),
            FieldProblem::Phone => (
                "请填写 11 位手机号码".into(),
                "Enter an 11-digit mobile number".into(),
            ),
            FieldProblem::Postcode => ("邮政编码为 6 位数字".into(), "A postcode is 6 digits".into()),
            FieldProblem::Date => (
                "日期格式为 年-月-日，如 2024-05-01".into(),
                "Write the date as year-month-day, e.g. 2024-05-01".into(),
            ),
            FieldProblem::DateTooEarly => ("日期太早".into(), "This date is too early".into()),
            FieldProblem::DateTooLate => ("日期太晚".into(), "This date is too late".into()),
            FieldProblem::Choice => ("请选择一项".into(), "Please choose one".into()),
        };
        LocalText::new(zh, en)
    }
}

impl FieldSpec {
    /// The value as it is kept (a phone number's 11 digits, an ID number in capitals), or the first
    /// problem with it. An empty optional field is fine. `today` resolves the date bounds.
    pub fn check(&self, value: &str, today: Date) -> Result<String, FieldProblem> {
        let value = value.trim();
        if value.is_empty() {
            return if self.required {
                Err(FieldProblem::Missing)
            } else {
                Ok(String::new())
            };
        }
        let chars = value.chars().count() as u32;
        if let Some(min) = self.min_len.filter(|&min| chars < min) {
            return Err(FieldProblem::TooShort(min));
        }
        let max = self.max_len.unwrap_or(MAX_VALUE as u32);
        if chars > max {
            return Err(FieldProblem::TooLong(max));
        }
        if value.chars().any(char::is_control) {
            return Err(FieldProblem::Characters);
        }
        match self.kind {
            FieldKind::Text | FieldKind::Address => Ok(value.to_string()),
            FieldKind::Digits => value
                .chars()
                .all(|c| c.is_ascii_digit())
                .then(|| value.to_string())
                .ok_or(FieldProblem::Characters),
            FieldKind::Phone => fields::mobile_number(value).ok_or(FieldProblem::Phone),
            FieldKind::Postcode => fields::postcode_is_valid(value)
                .then(|| value.to_string())
                .ok_or(FieldProblem::Postcode),
            FieldKind::IdNumber => {
                let id = value.to_uppercase();
                if id.len() != 18 || !id.chars().all(|c| c.is_ascii_digit() || c == 'X') {
                    Err(FieldProblem::Characters)
                } else if fields::id_number_is_valid(&id) {
                    Ok(id)
                } else {
                    Err(FieldProblem::IdCheck)
                }
            }
            FieldKind::CreditCode => {
                let code = value.to_uppercase();
                if code.chars().count() != 18
                    || !code.chars().all(|c| fields::USCC_ALPHABET.contains(c))
                {
                    Err(FieldProblem::Characters)
                } else if fields::uscc_is_valid(&code) {
                    Ok(code)
                } else {
                    Err(FieldProblem::CreditCheck)
                }
            }
            FieldKind::Date => {
                let date = Date::parse(value).ok_or(FieldProblem::Date)?;
                let bound = |b: &Option<String>| b.as_deref().and_then(|b| resolve_date(b, today));
                if bound(&self.date_min).is_some_and(|min| date < min) {
                    return Err(FieldProblem::DateTooEarly);
                }
                if bound(&self.date_max).is_some_and(|max| date > max) {
                    return Err(FieldProblem::DateTooLate);
                }
                Ok(date.to_string())
            }
            FieldKind::Choice => self
                .choices
                .iter()
                .any(|c| c.value == value)
                .then(|| value.to_string())
                .ok_or(FieldProblem::Choice),
        }
    }

    /// The value as a person reads it (a choice's label).
    /// A prefilled value as the field keeps it: a choice's value, found by the value itself or by its
    /// label ("男" from the card is the choice `male`); none when it is empty or no choice matches.
    pub fn prefilled(&self, value: &str) -> Option<String> {
        let value = value.trim();
        if value.is_empty() {
            return None;
        }
        if self.kind != FieldKind::Choice {
            return Some(value.to_string());
        }
        self.choices
            .iter()
            .find(|c| c.value == value || c.label.zh == value || c.label.en == value)
            .map(|c| c.value.clone())
    }

    pub fn shown<'a>(&'a self, value: &'a str, lang: crate::Lang) -> &'a str {
        self.choices
            .iter()
            .find(|c| c.value == value)
            .map(|c| c.label.get(lang))
            .unwrap_or(value)
    }
}

/// A calendar day (no time zone: the terminal's and the hub's China day).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    pub year: i32,
    pub month: u32,
    pub day: u32,
}

impl Date {
    pub fn new(year: i32, month: u32, day: u32) -> Option<Date> {
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
        let days = match month {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            2 if leap => 29,
            2 => 28,
            _ => return None,
        };
        ((1..=days).contains(&day) && (1000..=9999).contains(&year)).then_some(Date {
            year,
            month,
            day,
        })
    }

    /// `YYYY-MM-DD` (also `YYYYMMDD`, as a card writes it, and `YYYY/MM/DD`).
    pub fn parse(text: &str) -> Option<Date> {
        let text = text.trim();
        let parts: Vec<&str> = if text.len() == 8 && text.bytes().all(|b| b.is_ascii_digit()) {
            vec![&text[..4], &text[4..6], &text[6..]]
        } else {
            text.split(['-', '/', '.']).collect()
        };
        match parts.as_slice() {
            [y, m, d]
                if y.len() == 4 && (1..=2).contains(&m.len()) && (1..=2).contains(&d.len()) =>
            {
                Date::new(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)
            }
            _ => None,
        }
    }

    /// The day of the week, 0 for Monday to 6 for Sunday.
    pub fn weekday(self) -> u32 {
        // 1970-01-01 was a Thursday.
        (self.days() + 3).rem_euclid(7) as u32
    }

    /// Days since 1970-01-01 (Howard Hinnant's days_from_civil).
    fn days(self) -> i64 {
        let y = i64::from(self.year) - i64::from(self.month <= 2);
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let m = i64::from(self.month);
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(self.day) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    fn from_days(z: i64) -> Date {
        let z = z + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
        Date { year, month, day }
    }

    pub fn add_days(self, days: i64) -> Date {
        Date::from_days(self.days() + days)
    }

    /// Calendar days from `self` to `later` (negative when `later` is earlier).
    pub fn days_until(self, later: Date) -> i64 {
        later.days() - self.days()
    }

    /// The same day `years` later (29 February becomes 28 February in a common year).
    pub fn add_years(self, years: i32) -> Date {
        Date::new(self.year + years, self.month, self.day)
            .or_else(|| Date::new(self.year + years, self.month, self.day - 1))
            .unwrap_or(self)
    }

    /// The day of `ms` since the epoch in China (UTC+8).
    pub fn china(ms: i64) -> Date {
        Date::from_days((ms + 8 * 3_600_000).div_euclid(86_400_000))
    }
}

impl std::fmt::Display for Date {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// A date bound: `YYYY-MM-DD`, `today`, or `today±N` with `d` or `y`.
fn resolve_date(bound: &str, today: Date) -> Option<Date> {
    let Some(rest) = bound.strip_prefix("today") else {
        return Date::parse(bound);
    };
    if rest.is_empty() {
        return Some(today);
    }
    let (sign, rest) = match rest.split_at_checked(1)? {
        ("+", rest) => (1, rest),
        ("-", rest) => (-1, rest),
        _ => return None,
    };
    let (n, unit) = rest.split_at_checked(rest.len().checked_sub(1)?)?;
    let n: i64 = n.parse().ok().filter(|n| *n <= 200 * 366)?;
    match unit {
        "d" => Some(today.add_days(sign * n)),
        "y" => Some(today.add_years((sign * n) as i32)),
        _ => None,
    }
}

/// A form value. `Debug` shows only its length.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FieldValue {
    pub id: String,
    pub value: String,
}

impl std::fmt::Debug for FieldValue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}=({} chars)", self.id, self.value.chars().count())
    }
}

/// A page of a material, kept and sent by its content's SHA-256 (hex).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PageRef {
    pub sha256: String,
    pub bytes: u64,
}

/// Where a material of the application came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(tag = "source", rename_all = "snake_case", deny_unknown_fields)]
pub enum MaterialGiven {
    /// 已从电子证照库调取: the licence's number, as the library gave it.
    Elicence {
        number: String,
        title: LocalText,
    },
    Capture {
        pages: Vec<PageRef>,
    },
    Phone {
        pages: Vec<PageRef>,
    },
}

impl MaterialGiven {
    pub fn pages(&self) -> &[PageRef] {
        match self {
            MaterialGiven::Elicence { .. } => &[],
            MaterialGiven::Capture { pages } | MaterialGiven::Phone { pages } => pages,
        }
    }

    pub fn source(&self) -> MaterialSource {
        match self {
            MaterialGiven::Elicence { .. } => MaterialSource::Elicence,
            MaterialGiven::Capture { .. } => MaterialSource::Capture,
            MaterialGiven::Phone { .. } => MaterialSource::Phone,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MaterialEntry {
    pub id: String,
    pub given: MaterialGiven,
}

/// Where the result goes. EMS carries its recipient.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(tag = "way", rename_all = "snake_case", deny_unknown_fields)]
pub enum DeliveryChoice {
    Pickup,
    Ems {
        recipient: String,
        phone: String,
        address: String,
        #[serde(default)]
        postcode: String,
    },
    Electronic,
}

impl std::fmt::Debug for DeliveryChoice {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            DeliveryChoice::Pickup => "Pickup",
            DeliveryChoice::Ems { .. } => "Ems(…)",
            DeliveryChoice::Electronic => "Electronic",
        })
    }
}

impl DeliveryChoice {
    pub fn way(&self) -> Delivery {
        match self {
            DeliveryChoice::Pickup => Delivery::Pickup,
            DeliveryChoice::Ems { .. } => Delivery::Ems,
            DeliveryChoice::Electronic => Delivery::Electronic,
        }
    }
}

/// The applicant's signature: the strokes as drawn (x, y in pad pixels, t in ms from the first touch), the
/// pad's size, and the SHA-256 of what was signed ([`Application::signed_digest`]).
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Signature {
    pub width: u32,
    pub height: u32,
    #[schema(value_type = Vec<Vec<Vec<i64>>>)]
    pub strokes: Vec<Vec<(i32, i32, u32)>>,
    pub signed_ms: i64,
    pub digest: String,
}

impl std::fmt::Debug for Signature {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Signature({} strokes)", self.strokes.len())
    }
}

/// An application as the terminal sends it: its id and 申报编号 made on the terminal, so sending it again
/// changes nothing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Application {
    /// Made on the terminal (32 hex digits); the hub's intake is idempotent on it.
    pub id: String,
    /// 申报编号: `SB`, the device's id (letters and digits), a six-digit sequence.
    pub number: String,
    pub service_id: String,
    pub applicant: IdNumber,
    /// The applicant's name, masked (`张**`), as the case shows it.
    pub applicant_masked: String,
    pub values: Vec<FieldValue>,
    pub materials: Vec<MaterialEntry>,
    #[serde(default)]
    pub signature: Option<Signature>,
    pub delivery: DeliveryChoice,
    /// When the citizen tapped "submit" (the terminal's clock; the legal clock starts at the hub).
    pub submitted_ms: i64,
    pub lang: crate::Lang,
    /// A 补正: the 申报编号 of the application it completes. It carries only the items asked (its
    /// delivery is the one chosen at first, and ignored).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub completes: Option<String>,
    /// 帮办代办: the fields a guide filled remotely, with who (the applicant reviewed and signed them).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub assisted: Vec<Assisted>,
}

/// A field a guide filled during remote guidance: the field and the staff member.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Assisted {
    pub field: String,
    /// The staff member's name and number as the citizen saw them (`张丽 0123`).
    pub staff: String,
}

impl Application {
    /// What the signature vouches for: the service, the values and the materials (pages by hash), the
    /// delivery; SHA-256 over their canonical JSON, in hex.
    pub fn signed_digest(&self) -> String {
        let mut canonical = serde_json::json!({
            "service": self.service_id,
            "number": self.number,
            "values": self.values,
            "materials": self.materials,
            "delivery": self.delivery,
        });
        if let Some(completes) = &self.completes {
            canonical["completes"] = completes.as_str().into();
        }
        if !self.assisted.is_empty() {
            // The applicant signs knowing which fields a guide filled.
            canonical["assisted"] = serde_json::to_value(&self.assisted).expect("plain data");
        }
        sha256_hex(canonical.to_string().as_bytes())
    }

    /// Every page the application names, each once.
    pub fn pages(&self) -> Vec<PageRef> {
        let mut seen = HashSet::new();
        self.materials
            .iter()
            .flat_map(|m| m.given.pages())
            .filter(|p| seen.insert(p.sha256.clone()))
            .cloned()
            .collect()
    }

    /// Checks the application against its form: every value passes its field's check (prefilled ones
    /// too), every required material is given with pages within its limits, the delivery is offered and
    /// complete, the signature present when asked for and over this content. Returns the first problem.
    pub fn check(&self, form: &ApplicationForm, today: Date) -> Result<(), String> {
        if !is_hex(&self.id, 32) {
            return Err("id is 32 hex digits".into());
        }
        if !is_number(&self.number) {
            return Err("number is SB then 6 to 30 capitals and digits".into());
        }
        let mut seen = HashSet::new();
        for value in &self.values {
            let Some(spec) = form.field(&value.id) else {
                return Err(format!("the form has no field {}", value.id));
            };
            if !seen.insert(value.id.as_str()) {
                return Err(format!("field {} given twice", value.id));
            }
            match spec.check(&value.value, today) {
                Err(problem) if problem.blocks() => {
                    return Err(format!("field {}: {}", value.id, problem.describe().en))
                }
                _ => {}
            }
        }
        for spec in form.fields.iter().filter(|f| f.required) {
            if !seen.contains(spec.id.as_str()) {
                return Err(format!("field {} is required", spec.id));
            }
        }
        for assisted in &self.assisted {
            match form.field(&assisted.field) {
                Some(spec) if spec.staff_may_fill() => {}
                Some(_) => {
                    return Err(format!(
                        "field {} is personal: only the applicant fills it",
                        assisted.field
                    ))
                }
                None => return Err(format!("the form has no field {}", assisted.field)),
            }
            if assisted.staff.trim().is_empty() || assisted.staff.chars().count() > 40 {
                return Err("a guide who filled a field is named, in 40 characters at most".into());
            }
        }
        let mut given = HashSet::new();
        for entry in &self.materials {
            let Some(spec) = form.materials.iter().find(|m| m.id == entry.id) else {
                return Err(format!("the form has no material {}", entry.id));
            };
            if !given.insert(entry.id.as_str()) {
                return Err(format!("material {} given twice", entry.id));
            }
            if !spec.sources.contains(&entry.given.source()) {
                return Err(format!(
                    "material {} cannot come from {:?}",
                    entry.id,
                    entry.given.source()
                ));
            }
            let pages = entry.given.pages();
            if entry.given.source() != MaterialSource::Elicence
                && !(spec.min_pages as usize..=spec.max_pages as usize).contains(&pages.len())
            {
                return Err(format!(
                    "material {} takes {} to {} pages",
                    entry.id, spec.min_pages, spec.max_pages
                ));
            }
            if pages.iter().any(|p| !is_hex(&p.sha256, 64)) {
                return Err(format!(
                    "material {}: a page's sha256 is not 64 hex digits",
                    entry.id
                ));
            }
        }
        for spec in form.materials.iter().filter(|m| m.required) {
            if !given.contains(spec.id.as_str()) {
                return Err(format!("material {} is required", spec.id));
            }
        }
        if let Some(completes) = &self.completes {
            if !is_number(completes) || *completes == self.number {
                return Err("completes names another application's number".into());
            }
        } else if !form.delivery.contains(&self.delivery.way()) {
            return Err("this way of delivery is not offered".into());
        }
        if let (
            None,
            DeliveryChoice::Ems {
                recipient,
                phone,
                address,
                postcode,
            },
        ) = (&self.completes, &self.delivery)
        {
            if recipient.trim().is_empty() || address.trim().is_empty() {
                return Err("EMS needs a recipient and an address".into());
            }
            if fields::mobile_number(phone).is_none() {
                return Err("EMS needs a mobile number".into());
            }
            if !postcode.is_empty() && !fields::postcode_is_valid(postcode) {
                return Err("the postcode is 6 digits".into());
            }
        }
        match (&self.signature, form.signature) {
            (None, true) => return Err("the form asks for a signature".into()),
            (Some(signature), _) if signature.digest != self.signed_digest() => {
                return Err("the signature was made over other content".into())
            }
            (Some(signature), _) if signature.strokes.iter().all(Vec::is_empty) => {
                return Err("the signature has no strokes".into())
            }
            _ => {}
        }
        Ok(())
    }
}

fn is_hex(text: &str, len: usize) -> bool {
    text.len() == len
        && text
            .bytes()
            .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
}

/// A 申报编号: `SB` then 6 to 30 capitals and digits.
pub fn is_number(number: &str) -> bool {
    number.len() >= 8
        && number.len() <= 32
        && number.starts_with("SB")
        && number
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
}

/// The 申报编号 of the `seq`th application of `device_id`: unique across the fleet as device ids are.
pub fn application_number(device_id: &str, seq: u64) -> String {
    let device: String = device_id
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_uppercase())
        .take(20)
        .collect();
    format!("SB{device}{seq:06}")
}

/// SHA-256 in hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The hub's answer to an application: the case it made (or had made for the same id before).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ApplicationReceipt {
    pub number: String,
    pub state: crate::service::CaseState,
    /// When the hub received it (T0: the legal clock starts here).
    pub received_ms: i64,
    /// 承诺办结日 (YYYY-MM-DD).
    pub promised_on: String,
}

/// Which of these pages the hub does not hold yet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PageQuery {
    pub sha256: Vec<String>,
}

/// An e-licence of the holder in the hub's library (免证办).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Elicence {
    /// The kind a material names (`id_card`, `property`…).
    pub kind: String,
    pub title: LocalText,
    /// The licence's number, masked where it is personal.
    pub number: String,
    pub issuer: LocalText,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(kind: FieldKind) -> FieldSpec {
        FieldSpec {
            id: "f".into(),
            label: LocalText::new("字段", "Field"),
            kind,
            prefill: None,
            editable: true,
            required: true,
            min_len: None,
            max_len: None,
            choices: vec![],
            date_min: None,
            date_max: None,
            hint: None,
            personal: true,
        }
    }

    const TODAY: Date = Date {
        year: 2026,
        month: 12,
        day: 6,
    };

    #[test]
    fn each_kind_checks_its_values() {
        let f = field(FieldKind::Phone);
        assert_eq!(f.check("138 1234 5678", TODAY), Ok("13812345678".into()));
        assert_eq!(f.check("12345", TODAY), Err(FieldProblem::Phone));
        assert_eq!(f.check("  ", TODAY), Err(FieldProblem::Missing));
        let id = field(FieldKind::IdNumber);
        assert_eq!(
            id.check("11010519491231002x", TODAY),
            Ok("11010519491231002X".into())
        );
        assert_eq!(
            id.check("110105194912310021", TODAY),
            Err(FieldProblem::IdCheck)
        );
        let code = field(FieldKind::CreditCode);
        assert!(code.check("91320594MA1MBC5030", TODAY).is_ok());
        let wrong = code.check("91320594MA1MBC5031", TODAY).unwrap_err();
        assert_eq!(wrong, FieldProblem::CreditCheck);
        assert!(!wrong.blocks(), "a credit code's check asks to look again");
        assert_eq!(
            field(FieldKind::Postcode).check("21500", TODAY),
            Err(FieldProblem::Postcode)
        );
        assert_eq!(
            field(FieldKind::Digits).check("12a", TODAY),
            Err(FieldProblem::Characters)
        );
    }

    #[test]
    fn dates_in_range() {
        let mut birth = field(FieldKind::Date);
        birth.date_min = Some("today-1y".into());
        birth.date_max = Some("today".into());
        assert_eq!(birth.check("2026-12-06", TODAY), Ok("2026-12-06".into()));
        assert_eq!(birth.check("20261201", TODAY), Ok("2026-12-01".into()));
        assert_eq!(
            birth.check("2026-12-07", TODAY),
            Err(FieldProblem::DateTooLate)
        );
        assert_eq!(
            birth.check("2025-12-05", TODAY),
            Err(FieldProblem::DateTooEarly)
        );
        assert_eq!(birth.check("2026-02-30", TODAY), Err(FieldProblem::Date));
        assert_eq!(
            Date::new(2024, 2, 29).unwrap().add_years(1).to_string(),
            "2025-02-28"
        );
        assert_eq!(TODAY.add_days(26).to_string(), "2027-01-01");
        // 2026-12-06 00:30 in China is still 12-05 in UTC.
        assert_eq!(Date::china(1_796_488_200_000).to_string(), "2026-12-06");
    }

    #[test]
    fn lengths_and_choices() {
        let mut name = field(FieldKind::Text);
        name.min_len = Some(2);
        name.max_len = Some(4);
        assert_eq!(name.check("张", TODAY), Err(FieldProblem::TooShort(2)));
        assert_eq!(
            name.check("欧阳娜娜娜", TODAY),
            Err(FieldProblem::TooLong(4))
        );
        let mut choice = field(FieldKind::Choice);
        choice.choices = vec![
            Choice {
                value: "a".into(),
                label: LocalText::new("甲", "A"),
            },
            Choice {
                value: "b".into(),
                label: LocalText::new("乙", "B"),
            },
        ];
        assert_eq!(choice.check("c", TODAY), Err(FieldProblem::Choice));
        assert_eq!(choice.shown("b", crate::Lang::Zh), "乙");
    }

    #[test]
    fn numbers_are_unique_per_device_and_sequence() {
        assert_eq!(application_number("SZ-DEMO-0001", 12), "SBSZDEMO0001000012");
        assert!(is_number(&application_number("SZ-DEMO-0001", 12)));
        assert!(!is_number("SB12"));
        assert!(!is_number("SBsz0001000012"));
    }

    #[test]
    fn values_never_reach_a_log() {
        let value = FieldValue {
            id: "name".into(),
            value: "张秀英".into(),
        };
        assert_eq!(format!("{value:?}"), "name=(3 chars)");
        let ems = DeliveryChoice::Ems {
            recipient: "张秀英".into(),
            phone: "13812345678".into(),
            address: "十全街".into(),
            postcode: String::new(),
        };
        assert_eq!(format!("{ems:?}"), "Ems(…)");
    }
}

#[cfg(test)]
mod wire {
    use super::*;

    #[test]
    fn an_application_travels_and_comes_back_the_same() {
        let application = Application {
            id: "0123456789abcdef0123456789abcdef".into(),
            number: application_number("SZ-DEMO-0001", 7),
            service_id: "SZ-0024".into(),
            applicant: IdNumber::new("320502197904021530"),
            applicant_masked: "王**".into(),
            values: vec![FieldValue {
                id: "phone".into(),
                value: "13912345678".into(),
            }],
            materials: vec![
                MaterialEntry {
                    id: "id_card".into(),
                    given: MaterialGiven::Elicence {
                        number: "3205**********1530".into(),
                        title: LocalText::new("居民身份证", "Resident ID card"),
                    },
                },
                MaterialEntry {
                    id: "photo".into(),
                    given: MaterialGiven::Capture {
                        pages: vec![PageRef {
                            sha256: "ab".repeat(32),
                            bytes: 1000,
                        }],
                    },
                },
            ],
            signature: None,
            delivery: DeliveryChoice::Ems {
                recipient: "王建国".into(),
                phone: "13912345678".into(),
                address: "苏州工业园区星湖街".into(),
                postcode: String::new(),
            },
            submitted_ms: 1,
            lang: crate::Lang::Zh,
            completes: None,
            assisted: vec![],
        };
        let json = serde_json::to_string(&application).unwrap();
        let back: Application = serde_json::from_str(&json).unwrap();
        assert_eq!(back, application);
        assert!(serde_json::from_str::<Application>(&json.replacen(
            "\"lang\"",
            "\"x\":1,\"lang\"",
            1
        ))
        .is_err());
    }
}

/// How long a phone upload's page may be used.
pub const UPLOAD_MS: i64 = 10 * 60 * 1000;

/// The terminal asks for a phone upload page for one material of the session's application.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UploadRequest {
    /// The terminal's session (the page serves no other).
    pub session: String,
    pub material: String,
    pub title: LocalText,
    pub max_pages: u32,
}

/// The page's one-time token (the QR code's URL is the hub's address, then `path`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UploadTicket {
    pub token: String,
    pub path: String,
    pub expires_ms: i64,
}

/// What the phone has sent so far.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UploadStatus {
    pub pages: Vec<PageRef>,
    /// The citizen tapped "done" on the phone.
    pub done: bool,
    pub expired: bool,
}

#[cfg(test)]
mod properties {
    use proptest::prelude::*;

    use super::*;

    fn spec(kind: FieldKind) -> FieldSpec {
        FieldSpec {
            id: "f".into(),
            label: LocalText::new("字段", "Field"),
            kind,
            prefill: None,
            editable: true,
            required: false,
            min_len: None,
            max_len: None,
            choices: vec![
                Choice {
                    value: "a".into(),
                    label: LocalText::new("甲", "A"),
                },
                Choice {
                    value: "b".into(),
                    label: LocalText::new("乙", "B"),
                },
            ],
            date_min: Some("today-150y".into()),
            date_max: Some("today".into()),
            hint: None,
            personal: true,
        }
    }

    const KINDS: [FieldKind; 9] = [
        FieldKind::Text,
        FieldKind::Digits,
        FieldKind::Phone,
        FieldKind::Postcode,
        FieldKind::Date,
        FieldKind::Choice,
        FieldKind::Address,
        FieldKind::IdNumber,
        FieldKind::CreditCode,
    ];

    proptest! {
        /// Any text in any kind of field: no panic, and what a check keeps passes it again unchanged.
        #[test]
        fn a_kept_value_checks_again_as_it_is(kind in 0usize..9, value in ".{0,40}") {
            let today = Date::new(2026, 12, 6).unwrap();
            let field = spec(KINDS[kind]);
            if let Ok(kept) = field.check(&value, today) {
                prop_assert_eq!(field.check(&kept, today), Ok(kept.clone()));
            }
        }

        /// Every ID number made with its check character passes; any one digit changed is caught.
        #[test]
        fn an_id_number_with_one_digit_changed_is_caught(body in "[1-6][0-9]{16}", at in 0usize..17, by in 1u32..10) {
            let today = Date::new(2026, 12, 6).unwrap();
            let check = fields::gb11643_check(&body).unwrap();
            let id = format!("{body}{check}");
            let field = spec(FieldKind::IdNumber);
            prop_assert_eq!(field.check(&id, today), Ok(id.clone()));
            let mut digits: Vec<char> = id.chars().collect();
            digits[at] = char::from_digit((digits[at].to_digit(10).unwrap() + by) % 10, 10).unwrap();
            let changed: String = digits.into_iter().collect();
            prop_assert_eq!(field.check(&changed, today), Err(FieldProblem::IdCheck));
        }

        /// Days added and taken away come back to the same day; weekdays follow each other.
        #[test]
        fn dates_add_up(days in -40_000i64..40_000, back in 0i64..1000) {
            let start = Date::new(2000, 2, 29).unwrap();
            let there = start.add_days(days);
            prop_assert_eq!(there.add_days(-days), start);
            prop_assert_eq!(Date::parse(&there.to_string()), Some(there));
            prop_assert_eq!((there.weekday() + 1) % 7, there.add_days(1).weekday());
            prop_assert!(there.add_days(-back) <= there);
        }

        /// An application travels as JSON and comes back the same, and its signature covers its values.
        #[test]
        fn applications_travel_whole(values in proptest::collection::vec(("[a-z]{1,8}", ".{0,30}"), 0..6), seq in 0u64..1_000_000) {
            let application = Application {
                id: "0123456789abcdef0123456789abcdef".into(),
                number: application_number("SZ-T-01", seq),
                service_id: "SZ-0024".into(),
                applicant: IdNumber::new("11010519491231002X"),
                applicant_masked: "张**".into(),
                values: values.iter().map(|(id, value)| FieldValue { id: id.clone(), value: value.clone() }).collect(),
                materials: vec![],
                signature: None,
                delivery: DeliveryChoice::Pickup,
                submitted_ms: 0,
                lang: crate::Lang::En,
                completes: None,
                assisted: vec![],
            };
            let back: Application = serde_json::from_str(&serde_json::to_string(&application).unwrap()).unwrap();
            prop_assert_eq!(&back, &application);
            prop_assert!(is_number(&application.number));
            if let Some(first) = values.first() {
                let mut changed = application.clone();
                changed.values[0].value = format!("{}!", first.1);
                prop_assert_ne!(changed.signed_digest(), application.signed_digest());
            }
        }
    }
}

#[cfg(test)]
mod catalogue_forms {
    use crate::catalogue::Catalogue;

    const BUNDLED: &str = include_str!("../../assets/catalogue.json");

    #[test]
    fn the_bundled_catalogue_carries_five_forms_one_a_bundle() {
        let catalogue = Catalogue::from_json(BUNDLED, "catalogue.json").unwrap();
        let forms: Vec<_> = catalogue
            .services
            .iter()
            .filter_map(|s| s.application.as_ref().map(|f| (s, f)))
            .collect();
        assert!(forms.len() >= 5, "{}", forms.len());
        assert!(forms.iter().any(|(_, f)| f.bundle.len() >= 3));
        assert!(forms.iter().all(|(s, _)| s.at_terminal));
    }

    #[test]
    fn a_supplement_gives_exactly_the_items_asked_and_its_signature_covers_what_it_completes() {
        use super::*;
        let catalogue = Catalogue::from_json(BUNDLED, "catalogue.json").unwrap();
        let form = catalogue
            .service("SZ-0024")
            .and_then(|s| s.application.as_ref())
            .unwrap();
        let narrowed = form.narrowed(&["address".into(), "photo".into()]);
        let fields: Vec<&str> = narrowed.fields.iter().map(|f| f.id.as_str()).collect();
        assert_eq!(fields, ["address"]);
        assert!(narrowed.fields.iter().all(|f| f.required && f.editable));
        assert_eq!(narrowed.materials.len(), 1);
        assert!(narrowed.materials[0].required);
        assert_eq!(narrowed.item_label("photo").unwrap().zh, "近期免冠相片");
        let page = PageRef {
            sha256: "cd".repeat(32),
            bytes: 1000,
        };
        let mut supplement = Application {
            id: "0123456789abcdef0123456789abcdee".into(),
            number: application_number("SZ-DEMO-0001", 8),
            service_id: "SZ-0024".into(),
            applicant: IdNumber::new("320502197904021530"),
            applicant_masked: "王**".into(),
            values: vec![FieldValue {
                id: "address".into(),
                value: "苏州工业园区星湖街328号5幢1202室".into(),
            }],
            materials: vec![MaterialEntry {
                id: "photo".into(),
                given: MaterialGiven::Capture { pages: vec![page] },
            }],
            signature: None,
            // Ignored: the delivery chosen at first stands.
            delivery: DeliveryChoice::Pickup,
            submitted_ms: 1,
            lang: crate::Lang::Zh,
            completes: Some(application_number("SZ-DEMO-0001", 7)),
            assisted: vec![],
        };
        let digest = supplement.signed_digest();
        supplement.signature = Some(Signature {
            width: 900,
            height: 378,
            strokes: vec![vec![(1, 1, 0), (9, 9, 40)]],
            signed_ms: 1,
            digest: digest.clone(),
        });
        let today = Date::new(2026, 12, 6).unwrap();
        assert_eq!(supplement.check(&narrowed, today), Ok(()));
        // Against the whole form it is short; one item less is refused.
        assert!(supplement.check(form, today).is_err());
        let mut short = supplement.clone();
        short.materials.clear();
        assert!(short.check(&narrowed, today).unwrap_err().contains("photo"));
        // The signature covers which application it completes.
        let mut other = supplement.clone();
        other.completes = Some(application_number("SZ-DEMO-0001", 6));
        assert_ne!(other.signed_digest(), digest);
        assert!(other.check(&narrowed, today).is_err());
        // It cannot complete itself.
        let mut itself = supplement.clone();
        itself.completes = Some(itself.number.clone());
        assert!(itself.check(&narrowed, today).is_err());
        // An application that completes nothing signs as before.
        let mut plain = supplement.clone();
        plain.completes = None;
        assert!(!serde_json::to_string(&plain).unwrap().contains("completes"));
    }

    #[test]
    fn only_what_says_nothing_of_the_applicant_may_be_filled_by_a_guide() {
        use super::*;
        let catalogue = Catalogue::from_json(BUNDLED, "catalogue.json").unwrap();
        let form = catalogue
            .service("SZ-0024")
            .and_then(|s| s.application.as_ref())
            .unwrap();
        let may: Vec<&str> = form
            .fields
            .iter()
            .filter(|f| f.staff_may_fill())
            .map(|f| f.id.as_str())
            .collect();
        assert_eq!(may, ["basis"]);
        // A form that lets staff see an identifying field is refused on import.
        for (id, change) in [
            ("id_number", "id"),
            ("name", "prefilled"),
            ("address", "address"),
        ] {
            let mut bad = form.clone();
            bad.fields.iter_mut().find(|f| f.id == id).unwrap().personal = false;
            let said = bad.check().unwrap_err();
            assert!(said.contains("stays personal"), "{change}: {said}");
        }
        // An application names the fields a guide filled; a personal one is refused; the signature
        // covers who filled what. (Against the form narrowed to two fields: the rest is checked above.)
        let today = Date::new(2026, 12, 6).unwrap();
        let two = form.narrowed(&["address".into(), "basis".into()]);
        let value = |id: &str, value: &str| FieldValue {
            id: id.into(),
            value: value.into(),
        };
        let mut application = Application {
            id: "0123456789abcdef0123456789abcdea".into(),
            number: application_number("SZ-DEMO-0001", 9),
            service_id: "SZ-0024".into(),
            applicant: IdNumber::new("320502197904021530"),
            applicant_masked: "王**".into(),
            values: vec![
                value("address", "苏州工业园区星湖街328号5幢1202室"),
                value("basis", "work"),
            ],
            materials: vec![],
            signature: None,
            delivery: DeliveryChoice::Pickup,
            submitted_ms: 1,
            lang: crate::Lang::Zh,
            completes: None,
            assisted: vec![],
        };
        let unassisted = application.signed_digest();
        application.assisted = vec![Assisted {
            field: "basis".into(),
            staff: "张丽 0123".into(),
        }];
        assert_ne!(application.signed_digest(), unassisted);
        let problem = |a: &Application| a.check(&two, today).err().unwrap_or_default();
        assert!(
            !problem(&application).contains("personal"),
            "{}",
            problem(&application)
        );
        application.assisted[0].field = "address".into();
        assert!(problem(&application).contains("address is personal"));
        application.assisted[0].field = "horoscope".into();
        assert!(problem(&application).contains("no field horoscope"));
    }

    #[test]
    fn a_bundle_part_names_its_department_and_its_matter() {
        let (department, matter) = crate::application::bundle_part(&crate::LocalText::new(
            "苏州市公安局（户口登记）",
            "Suzhou Public Security Bureau (registration)",
        ));
        assert_eq!(department, "苏州市公安局");
        assert_eq!(matter.zh, "户口登记");
        assert_eq!(matter.en, "registration");
    }

    #[test]
    fn a_prefilled_choice_is_found_by_its_value_or_its_label() {
        let catalogue = Catalogue::from_json(BUNDLED, "catalogue.json").unwrap();
        let form = catalogue
            .services
            .iter()
            .find_map(|s| s.application.as_ref().filter(|_| s.id == "SZ-0038"))
            .unwrap();
        let sex = form.field("baby_sex").unwrap();
        assert_eq!(sex.prefilled("男").as_deref(), Some("male"));
        assert_eq!(sex.prefilled("female").as_deref(), Some("female"));
        assert_eq!(sex.prefilled("未知"), None);
        assert_eq!(
            form.field("phone").unwrap().prefilled(" 139 "),
            Some("139".into())
        );
        assert_eq!(form.field("phone").unwrap().prefilled("  "), None);
    }

    #[test]
    fn a_form_that_does_not_check_is_refused_on_import_with_its_service() {
        let broken = BUNDLED.replacen("\"kind\": \"phone\"", "\"kind\": \"choice\"", 1);
        let error = Catalogue::from_json(&broken, "catalogue.json")
            .unwrap_err()
            .to_string();
        assert!(
            error.contains("SZ-0003's application") && error.contains("phone"),
            "{error}"
        );
        // A held value in a field it cannot fill, or locked where a record may be out of date.
        let misfit = BUNDLED.replacen("\"prefill\": \"mobile\"", "\"prefill\": \"child_birth\"", 1);
        let error = Catalogue::from_json(&misfit, "catalogue.json")
            .unwrap_err()
            .to_string();
        assert!(error.contains("cannot fill a Phone field"), "{error}");
        let locked = BUNDLED.replacen(
            "\"prefill\": \"mobile\"",
            "\"prefill\": \"mobile\", \"editable\": false",
            1,
        );
        let error = Catalogue::from_json(&locked, "catalogue.json")
            .unwrap_err()
            .to_string();
        assert!(error.contains("must stay editable"), "{error}");
        let unknown = BUNDLED.replacen("\"retention_days\"", "\"kept_days\"", 1);
        assert!(Catalogue::from_json(&unknown, "catalogue.json").is_err());
    }
}
