//! `kiosk-hub seed --demo`: a Suzhou demo: the bundled catalogue and announcements, a few hundred cases in
//! every state (the demo cards' holders have several each), and printable documents for the demo cards'
//! holders, their licence codes signed with this hub's key. Everyone in it is invented. Seeding again on
//! the same day updates the same cases and documents instead of adding more.

use kiosk_proto::catalogue::Catalogue;
use kiosk_proto::service::{mask, CaseState, CaseStep, IdNumber};
use kiosk_proto::template::{demo_seal_png, Licence};
use kiosk_proto::LocalText;

use crate::cases::NewCase;
use crate::store::{now_ms, HubError, Store};
use crate::tickets::china_day;

/// The terminal's bundled catalogue (the same file `kiosk` embeds).
pub const CATALOGUE: &str = include_str!("../../assets/catalogue.json");
/// The reader simulator's demo cards: their holders get cases and documents.
pub const DEMO_CARDS: &str = include_str!("../../assets/demo-cards.toml");

/// Cases beside the demo holders' own.
pub const GENERATED_CASES: usize = 300;

const HALLS: [&str; 4] = [
    "苏州市政务服务中心",
    "姑苏区政务服务中心",
    "工业园区政务服务中心",
    "吴中区政务服务中心",
];

/// What a seed put in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Seeded {
    pub catalogue_version: Option<i64>,
    pub cases: usize,
    pub documents: usize,
    pub holders: usize,
}

/// A demo card's holder.
#[derive(Debug, Clone)]
pub struct Holder {
    pub name: String,
    pub id: IdNumber,
}

/// The holders of the bundled demo cards.
pub fn demo_holders() -> Vec<Holder> {
    #[derive(serde::Deserialize)]
    struct Cards {
        card: Vec<Card>,
    }
    #[derive(serde::Deserialize)]
    struct Card {
        name: String,
        id_number: Option<String>,
    }
    let cards: Cards = toml::from_str(DEMO_CARDS).expect("the bundled demo cards parse");
    let mut holders: Vec<Holder> = Vec::new();
    for card in cards.card {
        if let Some(id) = card.id_number.filter(|id| !id.is_empty()) {
            let id = IdNumber::new(id);
            if !holders.iter().any(|h| h.id == id) {
                holders.push(Holder {
                    name: card.name,
                    id,
                });
            }
        }
    }
    holders
}

/// A small deterministic generator (xorshift64*): the same seed gives the same demo.
struct Dice(u64);

impl Dice {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

/// The steps a case in `state` went through.
fn path(state: CaseState) -> &'static [CaseState] {
    use CaseState::*;
    match state {
        Submitted => &[Submitted],
        Accepted => &[Submitted, Accepted],
        InReview => &[Submitted, Accepted, InReview],
        NeedsMaterials => &[Submitted, Accepted, InReview, NeedsMaterials],
        Approved => &[Submitted, Accepted, InReview, Approved],
        Refused => &[Submitted, Accepted, InReview, Refused],
        Collected => &[Submitted, Accepted, InReview, Approved, Collected],
        NotAccepted => &[Submitted, NotAccepted],
    }
}

fn note(state: CaseState) -> Option<LocalText> {
    match state {
        CaseState::NeedsMaterials => Some(LocalText::new(
            "请补充：经营场所使用证明（房产证或租赁合同）原件。",
            "Please add: proof of the business premises (title deed or lease), original.",
        )),
        CaseState::Refused => Some(LocalText::new(
            "申请人不符合办理条件：提交的材料与登记信息不一致。",
            "The applicant does not qualify: the documents do not match the registered details.",
        )),
        CaseState::NotAccepted => Some(LocalText::new(
            "本事项不属于本机关职权范围，请向户籍所在地公安机关申请。",
            "This is not this office's matter: apply to the police of your household registration.",
        )),
        _ => None,
    }
}

/// A case of `service` for `holder` in `state`, handed in at `submitted_ms`; its steps spread up to `now`.
fn case(
    number: u64,
    holder: &Holder,
    service: &kiosk_proto::catalogue::Service,
    hall: &str,
    state: CaseState,
    (submitted_ms, now): (i64, i64),
) -> NewCase {
    let steps = path(state);
    let day_ms = 86_400_000;
    // Accepted within hours, then a day or two a step; never past now.
    let gap =
        (day_ms + 3_600_000 * (number as i64 % 7)).min((now - submitted_ms) / steps.len() as i64);
    let timeline = steps
        .iter()
        .enumerate()
        .map(|(i, step)| CaseStep {
            state: *step,
            at_ms: submitted_ms + i as i64 * gap,
            note: note(*step),
        })
        .collect();
    NewCase {
        case_no: format!(
            "SZ{}{:05}",
            china_day(submitted_ms).replace('-', ""),
            number % 100_000
        ),
        holder_id: holder.id.clone(),
        service_id: service.id.clone(),
        service: service.name.clone(),
        hall: hall.to_string(),
        applicant: mask(&holder.name, 1, 0),
        promised_on: china_day(submitted_ms + 10 * day_ms),
        timeline,
    }
}

/// An invented resident ID number with a valid GB 11643 check character.
fn invented_id(dice: &mut Dice) -> IdNumber {
    let area = ["320505", "320506", "320507", "320508", "320571"][dice.below(5) as usize];
    let year = 1940 + dice.below(66);
    let month = 1 + dice.below(12);
    let day = 1 + dice.below(28);
    let serial = dice.below(1000);
    let body = format!("{area}{year:04}{month:02}{day:02}{serial:03}");
    const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    let sum: u32 = body
        .chars()
        .zip(WEIGHTS)
        .map(|(c, w)| c.to_digit(10).unwrap_or(0) * w)
        .sum();
    let check = b"10X98765432"[(sum % 11) as usize] as char;
    IdNumber::new(format!("{body}{check}"))
}

const SURNAMES: [&str; 12] = [
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙",
];

/// The demo's enterprises: the moved resident (王建国) represents a creative studio in 姑苏区 (the business
/// licence among their documents) and a small software company in 吴中区; the first resident none.
pub fn demo_enterprises(
    holders: &[Holder],
) -> Vec<(IdNumber, kiosk_proto::enterprise::Enterprise)> {
    let Some(moved) = holders.get(1) else {
        return vec![];
    };
    let studio = kiosk_proto::enterprise::Enterprise {
        uscc: demo_uscc(1),
        name: "苏州平江文化创意工作室".into(),
        kind: LocalText::new("个体工商户", "Sole proprietorship"),
        industry: "R".into(),
        size: kiosk_proto::enterprise::Size::Micro,
        district: "姑苏区".into(),
        address: "苏州市姑苏区平江路 128 号".into(),
        established: "2021-09-16".into(),
    };
    let company = kiosk_proto::enterprise::Enterprise {
        uscc: demo_company_uscc(),
        name: "苏州建国智能科技有限公司".into(),
        kind: LocalText::new(
            "有限责任公司（自然人投资或控股）",
            "Limited company (owned by natural persons)",
        ),
        industry: "I".into(),
        size: kiosk_proto::enterprise::Size::Small,
        district: "吴中区".into(),
        address: "苏州市吴中区越溪街道吴中大道 2588 号".into(),
        established: "2019-05-20".into(),
    };
    vec![(moved.id.clone(), studio), (moved.id.clone(), company)]
}

/// A demo individual business's unified social credit code (valid, with its check character).
pub fn demo_uscc(index: usize) -> String {
    let first17 = format!("92320508MA27XK{:03}", 300 + index % 700);
    let check = kiosk_proto::fields::uscc_check(&first17).expect("a code of the code's alphabet");
    format!("{first17}{check}")
}

/// The demo software company's unified social credit code.
pub fn demo_company_uscc() -> String {
    let first17 = "91320506MA1Y8JG2K";
    let check = kiosk_proto::fields::uscc_check(first17).expect("a code of the code's alphabet");
    format!("{first17}{check}")
}

/// The documents a demo holder can print: a business-licence extract, a property record, a social-insurance
/// certificate, spread over the holders so that one has a single document and others several.
fn documents_for(store: &Store, index: usize, holder: &Holder, now: i64) -> Vec<(Licence, String)> {
    let issued = china_day(now);
    let until = china_day(now + 30 * 86_400_000);
    let masked = mask(&holder.name, 1, 0);
    let id_masked = holder.id.masked();
    let serial = format!("{:06}", 100 + index);
    let mut licences = Vec::new();
    let social = Licence {
        id: format!("CERT-SI-{serial}"),
        title: "社会保险参保缴费证明".into(),
        fields: vec![
            ("姓名".into(), masked.clone()),
            ("证件号码".into(), id_masked.clone()),
            ("参保险种".into(), "企业职工基本养老保险".into()),
            ("参保状态".into(), "正常参保".into()),
            ("累计缴费月数".into(), format!("{}", 120 + index * 37)),
        ],
        issuer: "苏州市社会保险基金管理中心".into(),
        issued_on: issued.clone(),
        valid_until: until.clone(),
        seal_png: demo_seal_png(160),
        verification: String::new(),
    };
    licences.push(social);
    if index % 2 == 1 {
        licences.push(Licence {
            id: format!("LIC-BL-{serial}"),
            title: "营业执照信息（电子证照打印件）".into(),
            fields: vec![
                (
                    "名称".into(),
                    format!("苏州{}文化创意工作室", ["沧浪", "平江", "金阊"][index % 3]),
                ),
                ("统一社会信用代码".into(), demo_uscc(index)),
                ("类型".into(), "个体工商户".into()),
                ("经营者".into(), masked.clone()),
                ("成立日期".into(), "2021年09月16日".into()),
            ],
            issuer: "苏州市姑苏区市场监督管理局".into(),
            issued_on: issued.clone(),
            valid_until: until.clone(),
            seal_png: demo_seal_png(160),
            verification: String::new(),
        });
        licences.push(Licence {
            id: format!("REC-RE-{serial}"),
            title: "不动产登记信息查询结果".into(),
            fields: vec![
                ("权利人".into(), masked.clone()),
                ("证件号码".into(), id_masked.clone()),
                ("坐落".into(), "苏州市姑苏区****".into()),
                (
                    "不动产权证号".into(),
                    format!("苏(2022)苏州市不动产权第{:07}号", 1000 + index),
                ),
                ("抵押状态".into(), "无抵押".into()),
            ],
            issuer: "苏州市不动产登记中心".into(),
            issued_on: issued,
            valid_until: until,
            seal_png: demo_seal_png(160),
            verification: String::new(),
        });
    }
    if index == 1 {
        // The software company the moved resident represents (the registry's other enterprise of theirs).
        licences.push(Licence {
            id: format!("LIC-BL-C{serial}"),
            title: "营业执照信息（电子证照打印件）".into(),
            fields: vec![
                ("名称".into(), "苏州建国智能科技有限公司".into()),
                ("统一社会信用代码".into(), demo_company_uscc()),
                ("类型".into(), "有限责任公司（自然人投资或控股）".into()),
                ("法定代表人".into(), masked.clone()),
                ("注册资本".into(), "200 万元人民币".into()),
                ("成立日期".into(), "2019年05月20日".into()),
            ],
            issuer: "苏州市吴中区行政审批局".into(),
            issued_on: china_day(now),
            valid_until: china_day(now + 30 * 86_400_000),
            seal_png: demo_seal_png(160),
            verification: String::new(),
        });
    }
    licences
        .into_iter()
        .map(|mut licence| {
            licence.verification = licence.voucher().sign(store.signing_key());
            let issuer = licence.issuer.clone();
            (licence, issuer)
        })
        .collect()
}

/// The e-licence library's holdings of a demo holder (免证办): the first two residents' cards have
/// licences (the second every one the birth bundle asks for); the other cards have none, so their
/// materials are captured.
fn elicences_for(index: usize, holder: &Holder) -> Vec<kiosk_proto::application::Elicence> {
    let licence = |kind: &str, title: (&str, &str), number: String, issuer: (&str, &str)| {
        kiosk_proto::application::Elicence {
            kind: kind.into(),
            title: LocalText::new(title.0, title.1),
            number,
            issuer: LocalText::new(issuer.0, issuer.1),
        }
    };
    let id_card = licence(
        "id_card",
        ("居民身份证", "Resident ID card"),
        holder.id.masked(),
        ("苏州市公安局", "Suzhou Public Security Bureau"),
    );
    let household = licence(
        "household",
        ("居民户口簿", "Household register"),
        format!("户号 3205{:06}", 81_000 + index),
        ("苏州市公安局", "Suzhou Public Security Bureau"),
    );
    match index {
        0 => vec![id_card, household],
        1 => vec![
            id_card,
            household,
            licence(
                "property",
                ("不动产权证书", "Real estate title certificate"),
                format!("苏(2022)苏州市不动产权第{:07}号", 1000 + index),
                (
                    "苏州市自然资源和规划局",
                    "Suzhou Natural Resources and Planning Bureau",
                ),
            ),
            licence(
                "marriage",
                ("结婚证", "Marriage certificate"),
                format!("J320508-2015-{:06}", 3100 + index),
                ("苏州市姑苏区民政局", "Gusu District Civil Affairs Bureau"),
            ),
            licence(
                "birth_certificate",
                ("出生医学证明", "Birth medical certificate"),
                birth_certificate(index),
                ("苏州市立医院", "Suzhou Municipal Hospital"),
            ),
        ],
        _ => vec![],
    }
}

/// The number of a demo holder's child's 出生医学证明 (a letter and nine digits).
fn birth_certificate(index: usize) -> String {
    format!("Q32{:07}", 5_000_000 + index)
}

/// What the registries hold of a demo holder to prefill forms: the first two residents registered a mobile
/// number with their real-name account; the second is married and had a child sixteen days before the
/// seed (the facts on the marriage and birth-certificate licences above).
fn facts_for(index: usize, now: i64) -> Vec<kiosk_proto::application::HeldFact> {
    use kiosk_proto::application::{Date, HeldFact, Prefill};
    let fact = |fact: Prefill, value: String| HeldFact { fact, value };
    let spouse = "32050819880615002";
    let mobile = |n: usize| fact(Prefill::Mobile, format!("1391357{:04}", 2460 + n));
    match index {
        0 => vec![mobile(index)],
        1 => vec![
            mobile(index),
            fact(Prefill::SpouseName, "李娜".into()),
            fact(
                Prefill::SpouseNumber,
                format!(
                    "{spouse}{}",
                    kiosk_proto::fields::gb11643_check(spouse).expect("17 digits")
                ),
            ),
            fact(Prefill::ChildName, "王小明".into()),
            fact(Prefill::ChildSex, "male".into()),
            fact(
                Prefill::ChildBirth,
                Date::china(now).add_days(-16).to_string(),
            ),
            fact(Prefill::BirthCertificate, birth_certificate(index)),
        ],
        _ => vec![],
    }
}

/// Seeds the demo into `store`.
pub async fn demo(store: &Store) -> Result<Seeded, HubError> {
    let catalogue = Catalogue::from_json(CATALOGUE, "the bundled catalogue")
        .map_err(|e| HubError::BadRequest(e.to_string()))?;
    let catalogue_version = match crate::catalogue::current_tag(store).await? {
        Some(_) => None,
        None => Some(crate::catalogue::import(store, CATALOGUE, "the bundled catalogue").await?),
    };
    let now = now_ms();
    let day_ms = 86_400_000;
    let holders = demo_holders();
    let mut dice = Dice(0x5EED_2026_1123);
    let mut cases = 0;
    let mut number = 10;
    // The demo holders: one case in every state, the early states the most recent.
    for (h, holder) in holders.iter().enumerate() {
        for (s, state) in CaseState::ALL.iter().enumerate() {
            let service = &catalogue.services[(h * 7 + s * 3) % catalogue.services.len()];
            let submitted = now - (2 + s as i64 * 5) * day_ms - (h as i64) * 3_600_000;
            number += 1;
            crate::cases::insert(
                store,
                &case(
                    number,
                    holder,
                    service,
                    HALLS[h % HALLS.len()],
                    *state,
                    (submitted, now),
                ),
            )
            .await?;
            cases += 1;
        }
    }
    // Everyone else: a spread of services, states, halls and dates over the last 60 days.
    for _ in 0..GENERATED_CASES {
        let holder = Holder {
            name: format!(
                "{}某某",
                SURNAMES[dice.below(SURNAMES.len() as u64) as usize]
            ),
            id: invented_id(&mut dice),
        };
        let service = &catalogue.services[dice.below(catalogue.services.len() as u64) as usize];
        let state = CaseState::ALL[dice.below(CaseState::ALL.len() as u64) as usize];
        let submitted =
            now - (1 + dice.below(60) as i64) * day_ms - dice.below(8 * 3600) as i64 * 1000;
        number += 1;
        crate::cases::insert(
            store,
            &case(
                number,
                &holder,
                service,
                HALLS[dice.below(HALLS.len() as u64) as usize],
                state,
                (submitted, now),
            ),
        )
        .await?;
        cases += 1;
    }
    let mut documents = 0;
    for (index, holder) in holders.iter().enumerate() {
        for (licence, issuer) in documents_for(store, index, holder, now) {
            crate::documents::insert(store, &holder.id, &issuer, &licence.document()).await?;
            documents += 1;
        }
    }
    for (representative, enterprise) in demo_enterprises(&holders) {
        crate::enterprises::put(store, &representative, &enterprise).await?;
    }
    for (index, holder) in holders.iter().enumerate() {
        for licence in elicences_for(index, holder) {
            crate::applications::insert_elicence(store, &holder.id, &licence).await?;
        }
        for fact in facts_for(index, now) {
            crate::applications::insert_fact(store, &holder.id, &fact).await?;
        }
    }
    Ok(Seeded {
        catalogue_version,
        cases,
        documents,
        holders: holders.len(),
    })
}
