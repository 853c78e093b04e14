//! An application being filled in at the terminal (申报草稿): the form prefilled from the card and the hall,
//! the values the citizen types with each field's problem, the materials (an e-licence found in the
//! library, or pages captured or uploaded), the signature and the delivery. GUI-free: the application
//! screen shows it and the tests drive it. Every value is personal: wiped (zeroized) when the draft is
//! dropped, and `Debug` shows none of them.

use std::collections::BTreeMap;

use kiosk_proto::application::{
    ApplicationForm, Date, DeliveryChoice, Elicence, FieldKind, FieldProblem, FieldSpec,
    FieldValue, HeldFact, MaterialEntry, MaterialGiven, MaterialSource, PageRef, Prefill,
};
use kiosk_proto::catalogue::Service;
use zeroize::Zeroize;

use crate::domain::identity::{Identity, Sex};
use crate::domain::LocalText;

/// The hub's answer for the card holder: their e-licences in the library (免证办) and what the hub holds of
/// them to prefill forms (两个免于提交). `Debug` shows only the licences' kinds and how many facts.
#[derive(Clone, Default)]
pub struct Library {
    pub licences: Vec<Elicence>,
    pub facts: Vec<HeldFact>,
}

impl std::fmt::Debug for Library {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Library")
            .field(
                "licences",
                &self.licences.iter().map(|l| &l.kind).collect::<Vec<_>>(),
            )
            .field("facts", &self.facts.len())
            .finish()
    }
}

impl Drop for Library {
    fn drop(&mut self) {
        for fact in &mut self.facts {
            fact.value.zeroize();
        }
    }
}

/// A page of a material: its bytes (a grayscale JPEG from the camera, or a photo from the phone). `Debug`
/// shows only its size.
#[derive(Clone, PartialEq, Eq)]
pub struct Page(pub Vec<u8>);

impl std::fmt::Debug for Page {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Page({} bytes)", self.0.len())
    }
}

impl Page {
    pub fn sha256(&self) -> String {
        kiosk_proto::application::sha256_hex(&self.0)
    }
}

impl Drop for Page {
    fn drop(&mut self) {
        self.0.zeroize();
    }
}

/// Where a material stands.
#[derive(Clone, PartialEq, Eq, serde::Serialize)]
pub enum Material {
    /// 已从电子证照库调取，无需提交.
    Found(Elicence),
    /// Pages from the camera or the phone (possibly none yet). `why`: the library was asked and could not
    /// give the licence (not held, or unreachable), said to the citizen.
    Pages {
        source: MaterialSource,
        #[serde(skip)]
        pages: Vec<Page>,
        count: usize,
        why: Option<LibraryMiss>,
    },
}

impl std::fmt::Debug for Material {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Material::Found(licence) => write!(f, "Found({})", licence.kind),
            Material::Pages { source, count, .. } => write!(f, "Pages({source:?}, {count})"),
        }
    }
}

/// Why an e-licence was not used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum LibraryMiss {
    /// The library holds none of this kind for the holder.
    NotHeld,
    /// The library could not be reached.
    Unreachable,
}

/// The values of a draft: personal, so wiped on drop.
#[derive(Default, Clone, PartialEq, Eq)]
struct Values(BTreeMap<String, String>);

impl Drop for Values {
    fn drop(&mut self) {
        for value in self.0.values_mut() {
            value.zeroize();
        }
    }
}

/// What the citizen gives for EMS (prefilled from the card: name and address; the phone from the form).
#[derive(Default, Clone, PartialEq, Eq)]
pub struct Ems {
    pub recipient: String,
    pub phone: String,
    pub address: String,
    pub postcode: String,
}

impl Drop for Ems {
    fn drop(&mut self) {
        self.recipient.zeroize();
        self.phone.zeroize();
        self.address.zeroize();
        self.postcode.zeroize();
    }
}

/// The signature as drawn on the pad.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Strokes {
    pub width: u32,
    pub height: u32,
    pub strokes: Vec<Vec<(i32, i32, u32)>>,
}

impl Strokes {
    pub fn is_empty(&self) -> bool {
        self.strokes.iter().all(|s| s.len() < 2)
    }
}

#[derive(Clone)]
pub struct Draft {
    pub service_id: String,
    pub service: LocalText,
    pub form: ApplicationForm,
    /// The hall's promise, in working days (0: on the spot).
    pub promised_days: u32,
    values: Values,
    problems: BTreeMap<String, FieldProblem>,
    /// Fields prefilled (from the card, the terminal or the hub's records).
    prefilled: Vec<String>,
    pub materials: Vec<(String, Material)>,
    pub signature: Strokes,
    pub delivery: Option<kiosk_proto::application::Delivery>,
    pub ems: Ems,
    /// The holder's ID number and masked name (for the application's applicant).
    applicant: String,
    applicant_masked: String,
    id_masked: String,
    /// A 补正: the application it completes and what was asked (the form holds only those items).
    pub completes: Option<Completes>,
    /// 帮办代办: the fields a guide filled remotely, and who (`张丽 0123`).
    assisted: BTreeMap<String, String>,
}

/// What a 补正 completes: the application's 申报编号 and what the reviewer asked, by when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Completes {
    pub number: String,
    pub asked: kiosk_proto::application::Asked,
}

impl std::fmt::Debug for Draft {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Draft")
            .field("service", &self.service_id)
            .field("values", &self.values.0.len())
            .field("problems", &self.problems)
            .field("materials", &self.materials)
            .finish()
    }
}

impl Drop for Draft {
    fn drop(&mut self) {
        self.applicant.zeroize();
        self.applicant_masked.zeroize();
        self.id_masked.zeroize();
    }
}

/// The value a card gives for a prefill source.
fn from_card(identity: &Identity, source: Prefill, hall: &LocalText) -> Option<String> {
    match source {
        Prefill::CardName => Some(identity.display_name().to_string()),
        Prefill::CardSex => match identity.sex {
            Sex::Male => Some("男".into()),
            Sex::Female => Some("女".into()),
            _ => None,
        },
        Prefill::CardNation => identity.nation.and_then(|n| n.name()).map(str::to_string),
        Prefill::CardBirth => Some(format!(
            "{:04}-{:02}-{:02}",
            identity.birth.year, identity.birth.month, identity.birth.day
        )),
        Prefill::CardAddress => identity
            .appended_address
            .clone()
            .or_else(|| identity.address.clone()),
        Prefill::CardNumber => Some(identity.id_number.clone()),
        Prefill::Hall => Some(hall.zh.clone()),
        // Held by the hub (`Prefill::is_held`): filled when its answer comes (`Draft::library`).
        _ => None,
    }
    .filter(|v| !v.trim().is_empty())
}

impl Draft {
    /// A draft of `service`'s form for the card holder, prefilled; none when the service cannot be applied
    /// for here.
    pub fn new(service: &Service, identity: &Identity, hall: &LocalText) -> Option<Draft> {
        let form = service.application.clone()?;
        let mut values = Values::default();
        let mut prefilled = Vec::new();
        for field in &form.fields {
            let value = field.prefill.and_then(|p| from_card(identity, p, hall));
            if let Some(value) = value.and_then(|v| field.prefilled(&v)) {
                values.0.insert(field.id.clone(), value);
                prefilled.push(field.id.clone());
            }
        }
        let materials = form
            .materials
            .iter()
            .map(|m| {
                let source = m
                    .sources
                    .iter()
                    .copied()
                    .find(|s| *s != MaterialSource::Elicence)
                    .unwrap_or(MaterialSource::Capture);
                (
                    m.id.clone(),
                    Material::Pages {
                        source,
                        pages: vec![],
                        count: 0,
                        why: None,
                    },
                )
            })
            .collect();
        let address = from_card(identity, Prefill::CardAddress, hall).unwrap_or_default();
        Some(Draft {
            service_id: service.id.clone(),
            service: service.name.clone(),
            promised_days: service.promised_days,
            delivery: form.delivery.first().copied(),
            form,
            values,
            problems: BTreeMap::new(),
            prefilled,
            materials,
            signature: Strokes::default(),
            ems: Ems {
                recipient: identity.display_name().to_string(),
                phone: String::new(),
                address,
                postcode: String::new(),
            },
            applicant: identity.id_number.clone(),
            applicant_masked: identity.masked_name(),
            id_masked: identity.masked_id_number(),
            completes: None,
            assisted: BTreeMap::new(),
        })
    }

    /// A 补正 of application `number` (of `service`) for the card holder: only the items the reviewer
    /// asked, prefilled as a new draft would be; no delivery (the one chosen at first stands). None when
    /// the service has no form here or none of the items is on it (the form changed: a counter helps).
    pub fn supplement(
        service: &Service,
        identity: &Identity,
        hall: &LocalText,
        number: &str,
        asked: &kiosk_proto::application::Asked,
    ) -> Option<Draft> {
        let mut draft = Draft::new(service, identity, hall)?;
        draft.form = draft.form.narrowed(&asked.ids());
        if draft.form.fields.is_empty() && draft.form.materials.is_empty() {
            return None;
        }
        let form = &draft.form;
        draft.values.0.retain(|id, value| {
            let kept = form.field(id).is_some();
            if !kept {
                value.zeroize();
            }
            kept
        });
        draft.prefilled.retain(|id| form.field(id).is_some());
        draft
            .materials
            .retain(|(id, _)| form.materials.iter().any(|m| m.id == *id));
        draft.delivery = None;
        draft.completes = Some(Completes {
            number: number.to_string(),
            asked: asked.clone(),
        });
        Some(draft)
    }

    pub fn value(&self, field: &str) -> &str {
        self.values.0.get(field).map(String::as_str).unwrap_or("")
    }

    pub fn problem(&self, field: &str) -> Option<FieldProblem> {
        self.problems.get(field).copied()
    }

    pub fn is_prefilled(&self, field: &str) -> bool {
        self.prefilled.iter().any(|f| f == field)
    }

    /// Whether the citizen may change the field.
    pub fn editable(&self, field: &FieldSpec) -> bool {
        field.editable || !self.is_prefilled(&field.id)
    }

    /// The fields the citizen still has to look at: every editable field, those not prefilled first.
    pub fn to_fill(&self) -> impl Iterator<Item = &FieldSpec> {
        self.form.fields.iter().filter(|f| self.editable(f))
    }

    /// Sets a field's value; its problem is cleared until it is checked again.
    pub fn set(&mut self, field: &str, value: &str) {
        let Some(spec) = self.form.field(field) else {
            return;
        };
        if !self.editable(spec) {
            return;
        }
        let slot = self.values.0.entry(field.to_string()).or_default();
        // The phone given on the form is the one EMS calls, unless the citizen gave EMS another.
        if spec.kind == FieldKind::Phone && (self.ems.phone.is_empty() || self.ems.phone == *slot) {
            self.ems.phone = value.to_string();
        }
        if slot != value {
            // The citizen's own value now, no longer the card's or the records'.
            self.prefilled.retain(|f| f != field);
        }
        slot.zeroize();
        *slot = value.to_string();
        self.problems.remove(field);
    }

    /// Checks one field, keeping its normalised value or its problem; true when it passes (a credit code
    /// that only asks to look again passes).
    pub fn check(&mut self, field: &str, today: Date) -> bool {
        let Some(spec) = self.form.field(field) else {
            return false;
        };
        match spec.check(self.value(field), today) {
            Ok(normal) => {
                if !normal.is_empty() || self.values.0.contains_key(field) {
                    self.values.0.insert(field.to_string(), normal);
                }
                self.problems.remove(field);
                true
            }
            Err(problem) => {
                self.problems.insert(field.to_string(), problem);
                !problem.blocks()
            }
        }
    }

    /// Checks every field; true when none blocks.
    pub fn check_all(&mut self, today: Date) -> bool {
        let ids: Vec<String> = self.form.fields.iter().map(|f| f.id.clone()).collect();
        let mut ok = true;
        for id in ids {
            ok &= self.check(&id, today);
        }
        ok
    }

    /// The library's answer for the holder: each material it can stand for is found, the others ask for
    /// their next source and say why.
    pub fn library(&mut self, answer: Result<&Library, ()>) {
        if let Ok(library) = answer {
            self.fill_held(&library.facts);
        }
        for spec in &self.form.materials {
            let Some(kind) = &spec.licence else { continue };
            let Some((_, material)) = self.materials.iter_mut().find(|(id, _)| *id == spec.id)
            else {
                continue;
            };
            match answer {
                Ok(library) => match library.licences.iter().find(|l| &l.kind == kind) {
                    Some(licence) => *material = Material::Found(licence.clone()),
                    None => {
                        if let Material::Pages { why, .. } = material {
                            *why = Some(LibraryMiss::NotHeld);
                        }
                    }
                },
                Err(()) => {
                    if let Material::Pages { why, .. } = material {
                        *why = Some(LibraryMiss::Unreachable);
                    }
                }
            }
        }
    }

    /// Fills the fields the hub's records can answer and the citizen has not typed yet (the answer may come
    /// while they type); they stay editable, since a record may be out of date. The mobile number is also
    /// the one EMS calls.
    /// The registry's facts of the enterprise the legal representative chose, in the fields that name them
    /// (企业服务): its name, 统一社会信用代码 and registered address.
    pub fn enterprise(&mut self, enterprise: &kiosk_proto::enterprise::Enterprise) {
        for spec in &self.form.fields {
            let value = match spec.prefill {
                Some(Prefill::EnterpriseName) => &enterprise.name,
                Some(Prefill::EnterpriseCode) => &enterprise.uscc,
                Some(Prefill::EnterpriseAddress) => &enterprise.address,
                _ => continue,
            };
            if let Some(value) = spec.prefilled(value) {
                self.values.0.insert(spec.id.clone(), value);
                if !self.prefilled.contains(&spec.id) {
                    self.prefilled.push(spec.id.clone());
                }
            }
        }
    }

    fn fill_held(&mut self, facts: &[HeldFact]) {
        for spec in &self.form.fields {
            let Some(source) = spec.prefill.filter(|p| p.is_held()) else {
                continue;
            };
            if self.values.0.get(&spec.id).is_some_and(|v| !v.is_empty()) {
                continue;
            }
            let found = facts.iter().find(|f| f.fact == source);
            let Some(value) = found.and_then(|f| spec.prefilled(&f.value)) else {
                continue;
            };
            if spec.kind == FieldKind::Phone && self.ems.phone.is_empty() {
                self.ems.phone = value.clone();
            }
            self.values.0.insert(spec.id.clone(), value);
            self.prefilled.push(spec.id.clone());
        }
    }

    /// Who filled `field` when a guide did (帮办代办); none when the citizen did.
    pub fn filled_by(&self, field: &str) -> Option<&str> {
        self.assisted.get(field).map(String::as_str)
    }

    /// `field` was just filled: by the guide `by`, or by the citizen (none: what they change is theirs).
    /// Only a field a guide may fill is ever marked.
    pub fn fill_by(&mut self, field: &str, by: Option<&str>) {
        match by {
            Some(staff)
                if self
                    .form
                    .field(field)
                    .is_some_and(FieldSpec::staff_may_fill) =>
            {
                self.assisted.insert(field.to_string(), staff.to_string());
            }
            _ => {
                self.assisted.remove(field);
            }
        }
    }

    /// Whether the field's value came from the hub's records (it may be changed).
    pub fn is_held(&self, field: &FieldSpec) -> bool {
        field.prefill.is_some_and(|p| p.is_held()) && self.is_prefilled(&field.id)
    }

    pub fn material_spec(&self, id: &str) -> Option<&kiosk_proto::application::MaterialSpec> {
        self.form.materials.iter().find(|m| m.id == id)
    }

    fn pages_mut(&mut self, id: &str) -> Option<(&mut Vec<Page>, &mut usize, &mut MaterialSource)> {
        match self.materials.iter_mut().find(|(m, _)| m == id) {
            Some((
                _,
                Material::Pages {
                    pages,
                    count,
                    source,
                    ..
                },
            )) => Some((pages, count, source)),
            _ => None,
        }
    }

    /// Adds a page to a material (up to its maximum); false when it is full or found in the library.
    pub fn add_page(&mut self, id: &str, source: MaterialSource, page: Page) -> bool {
        let max = self.material_spec(id).map(|m| m.max_pages).unwrap_or(0) as usize;
        match self.pages_mut(id) {
            Some((pages, count, from)) if pages.len() < max => {
                if *from != source {
                    // Switching from the camera to the phone (or back) starts the material again.
                    pages.clear();
                    *from = source;
                }
                pages.push(page);
                *count = pages.len();
                true
            }
            _ => false,
        }
    }

    /// Removes a material's page (retake, delete).
    pub fn remove_page(&mut self, id: &str, index: usize) {
        if let Some((pages, count, _)) = self.pages_mut(id) {
            if index < pages.len() {
                pages.remove(index);
                *count = pages.len();
            }
        }
    }

    pub fn pages(&self, id: &str) -> &[Page] {
        match self.materials.iter().find(|(m, _)| m == id) {
            Some((_, Material::Pages { pages, .. })) => pages,
            _ => &[],
        }
    }

    /// The first material that is not complete: a required one with too few pages, or any with pages below
    /// its minimum.
    pub fn material_missing(&self) -> Option<&str> {
        self.form.materials.iter().find_map(|spec| {
            let given = match self.materials.iter().find(|(m, _)| *m == spec.id) {
                Some((_, Material::Found(_))) => return None,
                Some((_, Material::Pages { pages, .. })) => pages.len() as u32,
                None => 0,
            };
            let short = if spec.required {
                given < spec.min_pages
            } else {
                given > 0 && given < spec.min_pages
            };
            short.then_some(spec.id.as_str())
        })
    }

    /// Whether the delivery chosen is complete (EMS: recipient, mobile number, address).
    pub fn delivery_problem(&self) -> Option<FieldProblem> {
        match self.delivery {
            None => Some(FieldProblem::Choice),
            Some(kiosk_proto::application::Delivery::Ems) => {
                if self.ems.recipient.trim().is_empty()
                    || self.ems.address.trim().chars().count() < 5
                {
                    Some(FieldProblem::Missing)
                } else if kiosk_proto::fields::mobile_number(&self.ems.phone).is_none() {
                    Some(FieldProblem::Phone)
                } else if !self.ems.postcode.is_empty()
                    && !kiosk_proto::fields::postcode_is_valid(&self.ems.postcode)
                {
                    Some(FieldProblem::Postcode)
                } else {
                    None
                }
            }
            Some(_) => None,
        }
    }

    pub fn delivery_choice(&self) -> DeliveryChoice {
        match self.delivery {
            Some(kiosk_proto::application::Delivery::Ems) => DeliveryChoice::Ems {
                recipient: self.ems.recipient.trim().to_string(),
                phone: kiosk_proto::fields::mobile_number(&self.ems.phone).unwrap_or_default(),
                address: self.ems.address.trim().to_string(),
                postcode: self.ems.postcode.trim().to_string(),
            },
            Some(kiosk_proto::application::Delivery::Electronic) => DeliveryChoice::Electronic,
            _ => DeliveryChoice::Pickup,
        }
    }

    pub fn applicant_masked(&self) -> &str {
        &self.applicant_masked
    }

    pub fn id_masked(&self) -> &str {
        &self.id_masked
    }

    /// The application `id` as it will be sent (its number, and the signature's digest over it, are
    /// filled in when it is written), and the pages it names.
    pub fn application(
        &self,
        id: String,
        submitted_ms: i64,
        lang: crate::domain::Lang,
    ) -> (kiosk_proto::application::Application, Vec<Page>) {
        let values = self
            .form
            .fields
            .iter()
            .filter(|f| !self.value(&f.id).is_empty())
            .map(|f| FieldValue {
                id: f.id.clone(),
                value: self.value(&f.id).to_string(),
            })
            .collect();
        let mut pages = Vec::new();
        let materials = self
            .materials
            .iter()
            .filter_map(|(id, material)| {
                let given = match material {
                    Material::Found(licence) => MaterialGiven::Elicence {
                        number: licence.number.clone(),
                        title: licence.title.clone(),
                    },
                    Material::Pages { pages: p, .. } if p.is_empty() => return None,
                    Material::Pages {
                        source, pages: p, ..
                    } => {
                        let refs: Vec<PageRef> = p
                            .iter()
                            .map(|page| PageRef {
                                sha256: page.sha256(),
                                bytes: page.0.len() as u64,
                            })
                            .collect();
                        pages.extend(p.iter().cloned());
                        match source {
                            MaterialSource::Phone => MaterialGiven::Phone { pages: refs },
                            _ => MaterialGiven::Capture { pages: refs },
                        }
                    }
                };
                Some(MaterialEntry {
                    id: id.clone(),
                    given,
                })
            })
            .collect();
        let application = kiosk_proto::application::Application {
            id,
            number: String::new(),
            service_id: self.service_id.clone(),
            applicant: kiosk_proto::service::IdNumber::new(self.applicant.clone()),
            applicant_masked: self.applicant_masked.clone(),
            values,
            materials,
            signature: None,
            delivery: self.delivery_choice(),
            submitted_ms,
            lang,
            completes: self.completes.as_ref().map(|c| c.number.clone()),
            assisted: self
                .assisted
                .iter()
                .filter(|(field, _)| !self.value(field).is_empty())
                .map(|(field, staff)| kiosk_proto::application::Assisted {
                    field: field.clone(),
                    staff: staff.clone(),
                })
                .collect(),
        };
        (application, pages)
    }

    /// The signature over `application` (its digest taken once its number is set).
    pub fn sign(&self, application: &mut kiosk_proto::application::Application, now_ms: i64) {
        if !self.form.signature {
            return;
        }
        application.signature = Some(kiosk_proto::application::Signature {
            width: self.signature.width,
            height: self.signature.height,
            strokes: self.signature.strokes.clone(),
            signed_ms: now_ms,
            digest: application.signed_digest(),
        });
    }
}

/// Where a material came from, as the receipt and the review page say it (in Chinese, as printed).
pub fn source_words(material: &Material) -> String {
    match material {
        Material::Found(licence) => format!("电子证照库调取 {}", licence.number),
        Material::Pages {
            source: MaterialSource::Phone,
            count,
            ..
        } => format!("手机上传 {count} 页"),
        Material::Pages { count, .. } => format!("高拍仪拍摄 {count} 页"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn identity() -> Identity {
        let mut identity = Identity::default();
        identity.name = "张秀英".into();
        identity.id_number = "320508194408150020".into();
        identity.address = Some("江苏省苏州市姑苏区十全街268号".into());
        identity
    }

    fn service(id: &str) -> Service {
        crate::domain::catalogue::bundled()
            .service(id)
            .cloned()
            .expect("a demo service")
    }

    const TODAY: Date = Date {
        year: 2026,
        month: 12,
        day: 6,
    };

    #[test]
    fn the_card_prefills_and_its_values_cannot_be_changed() {
        let hall = LocalText::new("苏州市政务服务中心", "Suzhou");
        let mut draft = Draft::new(&service("SZ-0003"), &identity(), &hall).unwrap();
        assert_eq!(draft.value("name"), identity().display_name());
        assert!(draft.is_prefilled("id_number"));
        draft.set("name", "别人");
        assert_eq!(
            draft.value("name"),
            identity().display_name(),
            "read from the card"
        );
        // The card's address is prefilled where the form asks for it, and may be changed.
        assert!(draft.value("residence").contains("十全街"));
        draft.set("residence", "江苏省苏州市吴中区东吴北路99号");
        assert!(draft.value("residence").contains("东吴北路"));
        assert!(!draft.to_fill().any(|f| f.id == "name"));
    }

    #[test]
    fn the_hubs_records_fill_what_the_citizen_has_not_typed_and_stay_editable() {
        let hall = LocalText::default();
        let mut draft = Draft::new(&service("SZ-0038"), &identity(), &hall).unwrap();
        assert_eq!(
            draft.value("phone"),
            "",
            "nothing held before the hub answers"
        );
        // The citizen typed the newborn's name before the answer came: it stays.
        draft.set("baby_name", "王小红");
        let fact = |fact, value: &str| HeldFact {
            fact,
            value: value.into(),
        };
        draft.library(Ok(&Library {
            licences: vec![],
            facts: vec![
                fact(Prefill::Mobile, "13913572461"),
                fact(Prefill::ChildName, "王小明"),
                fact(Prefill::ChildSex, "男"),
                fact(Prefill::ChildBirth, "2026-11-20"),
                fact(Prefill::SpouseName, "李娜"),
                fact(Prefill::SpouseNumber, "320508198806150024"),
            ],
        }));
        assert_eq!(draft.value("baby_name"), "王小红");
        assert_eq!(
            draft.value("baby_sex"),
            "male",
            "a choice found by its label"
        );
        assert_eq!(draft.value("baby_birth"), "2026-11-20");
        assert_eq!(draft.value("other_parent"), "李娜");
        assert_eq!(draft.ems.phone, "13913572461", "EMS calls the same number");
        let phone = draft.form.field("phone").unwrap().clone();
        assert!(draft.is_held(&phone) && draft.editable(&phone));
        assert!(!draft.is_held(draft.form.field("baby_name").unwrap()));
        // Not held: the citizen types the certificate's number.
        assert_eq!(draft.value("certificate"), "");
        draft.set("phone", "13800000000");
        assert_eq!(
            draft.value("phone"),
            "13800000000",
            "a record may be out of date"
        );
        assert_eq!(
            draft.ems.phone, "13800000000",
            "EMS follows the corrected number"
        );
        assert!(!draft.is_held(&phone), "the citizen's own number now");
        // The hub unreachable: nothing is filled.
        let mut offline = Draft::new(&service("SZ-0038"), &identity(), &hall).unwrap();
        offline.library(Err(()));
        assert_eq!(offline.value("phone"), "");
    }

    #[test]
    fn each_failed_check_stays_with_its_field() {
        let hall = LocalText::default();
        let mut draft = Draft::new(&service("SZ-0003"), &identity(), &hall).unwrap();
        draft.set("phone", "1381234");
        assert!(!draft.check_all(TODAY));
        assert_eq!(draft.problem("phone"), Some(FieldProblem::Phone));
        assert_eq!(draft.problem("premises"), Some(FieldProblem::Missing));
        assert_eq!(draft.problem("name"), None);
        draft.set("phone", "138 1234 5678");
        assert!(draft.check("phone", TODAY));
        assert_eq!(draft.value("phone"), "13812345678");
    }

    #[test]
    fn licences_found_stand_for_materials_and_a_miss_says_why() {
        let hall = LocalText::default();
        let mut draft = Draft::new(&service("SZ-0003"), &identity(), &hall).unwrap();
        let id_card = Elicence {
            kind: "id_card".into(),
            title: LocalText::new("居民身份证", "Resident ID card"),
            number: "3205**********0020".into(),
            issuer: LocalText::new("苏州市公安局", "Suzhou PSB"),
        };
        draft.library(Ok(&Library {
            licences: vec![id_card],
            facts: vec![],
        }));
        assert!(matches!(draft.materials[0].1, Material::Found(_)));
        assert!(matches!(
            draft.materials[1].1,
            Material::Pages {
                why: Some(LibraryMiss::NotHeld),
                ..
            }
        ));
        assert_eq!(draft.material_missing(), Some("premises_proof"));
        assert!(draft.add_page(
            "premises_proof",
            MaterialSource::Capture,
            Page(vec![1, 2, 3])
        ));
        assert_eq!(draft.material_missing(), None);
        // The library unreachable: every e-licence material asks for pages instead.
        let mut offline = Draft::new(&service("SZ-0003"), &identity(), &hall).unwrap();
        offline.library(Err(()));
        assert!(matches!(
            offline.materials[0].1,
            Material::Pages {
                why: Some(LibraryMiss::Unreachable),
                ..
            }
        ));
    }

    #[test]
    fn a_draft_debugs_without_its_values() {
        let draft = Draft::new(&service("SZ-0003"), &identity(), &LocalText::default()).unwrap();
        let shown = format!("{draft:?}");
        assert!(!shown.contains(&identity().id_number));
        assert!(!shown.contains(identity().display_name()));
    }
}
