//! The journeys' presets for `kiosk shot`: each screen reached through the citizen's messages, with the
//! hub's answers delivered as the journey's call would deliver them (sample data in the shape of the
//! Suzhou demo).

use kiosk_proto::fleet::TicketReply;
use kiosk_proto::service::{CaseDetail, CaseState, CaseStep, CaseSummary, DocumentEntry};

use crate::device::Reason;
use crate::domain::document::DocumentKind;
use crate::domain::LocalText;
use crate::input::Key;
use crate::journey::Failure;
use crate::printing::job::Verdict;
use crate::sync::client::Claimed;
use crate::ui::app::Answer;
use crate::ui::screen::home::{Feature, Message as HomeMessage};
use crate::ui::screen::{guide, progress, rating, ticket};
use crate::ui::{App, Message};

pub const PRESETS: &[(&str, &str)] = &[
    (
        "code-offered",
        "signing in: the card screen offers the app's code (亮码) while a scanner is ready",
    ),
    ("code-checking", "signing in: a scanned code is being checked"),
    (
        "code-welcome",
        "signed in with the app's code: welcome, masked, printing still needs the card",
    ),
    ("code-used", "a code shown again (a photo of it) is refused"),
    ("code-expired", "a code past its minute is refused"),
    ("code-forged", "a code no trusted key signed is refused"),
    ("code-offline", "a code cannot be taken with the hub down"),
    (
        "code-card-needed",
        "signed in with a code, printing asks for the card itself",
    ),
    (
        "code-not-enough",
        "a code shown where the card itself is needed is refused",
    ),
    (
        "enterprise-choose",
        "企业服务: the legal representative chooses among their enterprises",
    ),
    (
        "enterprise-none",
        "企业服务: the holder represents no enterprise",
    ),
    (
        "enterprise-home",
        "企业服务: the chosen company's facts and its matters",
    ),
    (
        "enterprise-policies",
        "企业服务: the policies matched to the company, granted ones first",
    ),
    (
        "enterprise-request",
        "企业服务: the request form, the enterprise filled in from the registry",
    ),
    ("progress-choose", "progress: by ID card or by case number"),
    (
        "progress-entry",
        "progress: typing the case number and the ID's last six",
    ),
    ("progress-loading", "progress: asking the hub"),
    ("progress-list", "progress: the holder's cases"),
    (
        "progress-detail",
        "progress: one case's timeline and what to do next",
    ),
    (
        "progress-correction",
        "progress: an application the back office asks 补正 for, every item at once with the deadline",
    ),
    (
        "progress-mailed",
        "progress: an application approved and mailed by EMS with its waybill",
    ),
    ("progress-none", "progress: no cases in the holder's name"),
    (
        "progress-not-found",
        "progress: no case matches the number and ID digits",
    ),
    (
        "progress-locked",
        "progress: too many wrong tries on a case number",
    ),
    ("progress-offline", "progress: the hub cannot be reached"),
    (
        "progress-scanned",
        "progress: a receipt's QR scanned, its case number filled in, the ID's last six asked",
    ),
    (
        "progress-not-a-receipt",
        "progress: a code scanned that is not a receipt's",
    ),
    (
        "progress-print-preview",
        "progress: the progress record's print preview",
    ),
    (
        "documents-loading",
        "printing: finding the holder's documents",
    ),
    (
        "documents-list",
        "printing: the holder's documents with today's copies",
    ),
    ("documents-none", "printing: nothing to print"),
    ("documents-claiming", "printing: claiming a copy"),
    (
        "documents-limit",
        "printing: the day's copies are used up, and why",
    ),
    (
        "documents-unverified",
        "printing: the hub's document did not verify",
    ),
    (
        "documents-terminal",
        "printing: this terminal cannot use the hub (not enrolled)",
    ),
    (
        "ticket-choose",
        "queue ticket: choose the service (themes and search)",
    ),
    ("ticket-taking", "queue ticket: asking the hub for a number"),
    (
        "ticket-done",
        "queue ticket: the number, who is waiting, take the ticket",
    ),
    (
        "ticket-not-printed",
        "queue ticket: the number stands, the ticket did not print",
    ),
    ("ticket-offline", "queue ticket: the hub cannot be reached"),
    (
        "rating-reasons",
        "rating: a low level asks for reasons (optional)",
    ),
    ("rating-thanks", "rating: thank you"),
    ("rating-thanks-low", "rating: thank you, with the follow-up"),
    ("rating-not-saved", "rating: the outbox could not take it"),
    ("help", "call staff: the request is recorded"),
];

/// A hub time (Unix ms) on 2026-11-`day` at `hour`:00 China time.
fn at(day: i64, hour: i64) -> i64 {
    // 2026-11-01 00:00 China time.
    1_793_462_400_000 + (day - 1) * 86_400_000 + hour * 3_600_000
}

fn case(no: &str, service: (&str, &str), states: &[CaseState], note: Option<&str>) -> CaseDetail {
    let state = *states.last().expect("a case has a step");
    CaseDetail {
        summary: CaseSummary {
            case_no: no.into(),
            service_id: "SZ-0001".into(),
            service: LocalText::new(service.0, service.1),
            state,
            submitted_ms: at(10, 9),
            updated_ms: at(20, 15),
            promised_on: "2026-11-27".into(),
        },
        hall: "苏州市吴中区政务服务中心".into(),
        applicant: "张**".into(),
        timeline: states
            .iter()
            .enumerate()
            .map(|(i, s)| CaseStep {
                state: *s,
                at_ms: at(10 + 3 * i as i64, 9 + i as i64),
                note: (i + 1 == states.len()).then_some(note).flatten().map(|n| {
                    LocalText::new(n, "Bring the lease contract (original and one copy).")
                }),
            })
            .collect(),
        asked: None,
    }
}

fn cases() -> Vec<CaseDetail> {
    use CaseState::*;
    vec![
        case(
            "SZ202611200012",
            ("个体工商户设立登记", "Registering a sole proprietorship"),
            &[Submitted, Accepted, InReview, NeedsMaterials],
            Some("请补交经营场所租赁合同（原件及复印件一份）。"),
        ),
        case(
            "SZ202611030007",
            ("社会保险参保证明打印", "Social insurance certificate"),
            &[Submitted, Accepted, Approved],
            None,
        ),
        case(
            "SZ202610150101",
            ("不动产登记资料查询", "Property register extract"),
            &[Submitted, Accepted, InReview, Approved, Collected],
            None,
        ),
    ]
}

/// Applications made at a terminal, as the back office's decisions leave them (the hub's words): the first
/// waits for 补正, with what the hub says was asked.
pub(super) fn decided_applications() -> Vec<CaseDetail> {
    use CaseState::*;
    let application = |no: &str, steps: Vec<(CaseState, Option<LocalText>)>| CaseDetail {
        summary: CaseSummary {
            case_no: no.into(),
            service_id: "SZ-0024".into(),
            service: LocalText::new("居住证申领", "Residence permit application"),
            state: steps.last().expect("a step").0,
            submitted_ms: at(10, 9),
            updated_ms: at(12, 15),
            promised_on: "2026-11-19".into(),
        },
        hall: "苏州市政务服务中心".into(),
        applicant: "王**".into(),
        timeline: steps
            .into_iter()
            .enumerate()
            .map(|(i, (state, note))| CaseStep {
                state,
                at_ms: at(10 + i as i64, 9 + i as i64),
                note,
            })
            .collect(),
        asked: None,
    };
    let received = Some(LocalText::new(
        "在 24 小时自助终端申报，已送达，等待受理。",
        "Applied for at a 24-hour terminal; received, waiting to be accepted.",
    ));
    let item = |item: &str, label: (&str, &str), why: &str| kiosk_proto::application::AskedItem {
        item: item.into(),
        label: LocalText::new(label.0, label.1),
        why: why.into(),
    };
    let asked = kiosk_proto::application::Asked {
        items: vec![
            item(
                "photo",
                ("近期免冠相片", "Recent photo"),
                "照片背景不是白色",
            ),
            item(
                "address",
                ("现居住地址", "Current address in Suzhou"),
                "请写到门牌号和室号",
            ),
        ],
        deadline: "2026-11-24".into(),
    };
    let mut applications = vec![
        application(
            "SBSZDEMO0001000001",
            vec![
                (Submitted, received.clone()),
                (
                    NeedsMaterials,
                    Some(LocalText::new(
                        "需补正（一次性告知），请于 2026-11-24 前补交：1. 近期免冠相片：照片背景不是白色；2. 现居住地址：请写到门牌号和室号",
                        "More is needed (all at once): supply by 2026-11-24: 1. Recent photo: the background is not white; 2. Current address in Suzhou: give the building and flat number",
                    )),
                ),
            ],
        ),
        application(
            "SBSZDEMO0001000002",
            vec![
                (Submitted, received),
                (
                    Accepted,
                    Some(LocalText::new(
                        "已受理，承诺于 2026-11-19 前办结。",
                        "Accepted; it will be decided by 2026-11-19.",
                    )),
                ),
                (
                    Approved,
                    Some(LocalText::new(
                        "准予许可。结果已通过 EMS 免费寄出，运单号 EA215000002CN。",
                        "Approved. The result was sent free by EMS, waybill EA215000002CN.",
                    )),
                ),
            ],
        ),
    ];
    applications[0].asked = Some(asked);
    applications
}

fn holder_documents() -> Vec<DocumentEntry> {
    vec![
        DocumentEntry {
            id: "DOC-1".into(),
            kind: DocumentKind::Licence,
            title: "营业执照信息（电子证照打印件）".into(),
            issuer: "苏州市姑苏区市场监督管理局".into(),
            printed_today: 1,
            daily_limit: 3,
            enterprise: None,
        },
        DocumentEntry {
            id: "DOC-2".into(),
            kind: DocumentKind::Record,
            title: "社会保险个人权益记录".into(),
            issuer: "苏州市社会保险基金管理中心".into(),
            printed_today: 5,
            daily_limit: 5,
            enterprise: None,
        },
    ]
}

fn ticket_reply() -> TicketReply {
    TicketReply {
        hall: "苏州市吴中区政务服务中心".into(),
        service: "SZ-0001".into(),
        day: "2026-11-23".into(),
        number: 37,
        waiting: 6,
    }
}

/// Brings the app to the journey preset `name` (after the session started and devices are ready).
pub fn steps(app: &mut App, name: &str) {
    let go = |app: &mut App, message: Message| {
        let _ = app.update(message);
    };
    let sign_in = |app: &mut App| super::sign_in(app, "resident-moved");
    let open = |feature| Message::Home(HomeMessage::Open(feature));
    match name {
        code if code.starts_with("code-") => code_steps(app, code),
        business if business.starts_with("enterprise-") => enterprise_steps(app, business),
        progress if progress.starts_with("progress-") => {
            if progress == "progress-entry"
                || progress == "progress-not-found"
                || progress == "progress-locked"
            {
                go(app, open(Feature::Progress));
                go(app, Message::Progress(progress::Message::ByNumber));
                for c in "SZ202611200012".chars() {
                    go(app, Message::Progress(progress::Message::Key(Key::Char(c))));
                }
                go(
                    app,
                    Message::Progress(progress::Message::Field(progress::Field::Last6)),
                );
                for c in "15002".chars() {
                    go(app, Message::Progress(progress::Message::Key(Key::Char(c))));
                }
                if progress != "progress-entry" {
                    go(
                        app,
                        Message::Progress(progress::Message::Key(Key::Char('x'))),
                    );
                    go(app, Message::Progress(progress::Message::Search));
                    let failure = if progress == "progress-locked" {
                        Failure::Locked(14)
                    } else {
                        Failure::NotFound
                    };
                    app.deliver(Answer::Cases(Err(failure)));
                }
                return;
            }
            if progress == "progress-choose" {
                go(app, open(Feature::Progress));
                return;
            }
            if progress == "progress-scanned" || progress == "progress-not-a-receipt" {
                let code = if progress == "progress-scanned" {
                    "https://zwfw.suzhou.gov.cn/progress?case=SZ202611200012"
                } else {
                    "weixin://wxpay/bizpayurl?pr=abc123"
                };
                let scanned = crate::device::scanner::ScannerEvent::Code(code.into());
                go(app, Message::Scanner(scanned));
                return;
            }
            sign_in(app);
            go(app, open(Feature::Progress));
            match progress {
                "progress-list" => app.deliver(Answer::Cases(Ok(cases()))),
                "progress-detail" | "progress-print-preview" => {
                    app.deliver(Answer::Cases(Ok(cases())));
                    go(app, Message::Progress(progress::Message::Open(0)));
                    if progress == "progress-print-preview" {
                        go(app, Message::Progress(progress::Message::Print));
                    }
                }
                "progress-correction" | "progress-mailed" => {
                    app.deliver(Answer::Cases(Ok(decided_applications())));
                    let which = usize::from(progress == "progress-mailed");
                    go(app, Message::Progress(progress::Message::Open(which)));
                }
                "progress-none" => app.deliver(Answer::Cases(Ok(Vec::new()))),
                "progress-offline" => app.deliver(Answer::Cases(Err(Failure::Offline))),
                _ => {}
            }
        }
        documents if documents.starts_with("documents-") => {
            sign_in(app);
            go(app, open(Feature::Print));
            match documents {
                "documents-list" => app.deliver(Answer::Documents(Ok(holder_documents()))),
                "documents-none" => app.deliver(Answer::Documents(Ok(Vec::new()))),
                "documents-claiming" | "documents-limit" | "documents-unverified" => {
                    app.deliver(Answer::Documents(Ok(holder_documents())));
                    go(
                        app,
                        Message::Documents(crate::ui::screen::documents::Message::Choose(0)),
                    );
                    match documents {
                        "documents-limit" => {
                            app.deliver(Answer::Claim(Ok(Claimed::LimitReached {
                                printed_today: 3,
                                daily_limit: 3,
                                next_day: "2026-11-24".into(),
                            })))
                        }
                        "documents-unverified" => {
                            app.deliver(Answer::Claim(Err(Failure::Unverified)))
                        }
                        _ => {}
                    }
                }
                "documents-terminal" => app.deliver(Answer::Documents(Err(Failure::Terminal))),
                _ => {}
            }
        }
        ticket if ticket.starts_with("ticket-") => {
            go(app, open(Feature::Ticket));
            if ticket == "ticket-choose" {
                return;
            }
            go(
                app,
                Message::Guide(guide::Message::OpenTheme("business".into())),
            );
            go(
                app,
                Message::Guide(guide::Message::OpenService("SZ-0001".into())),
            );
            match ticket {
                "ticket-done" | "ticket-not-printed" => {
                    app.deliver(Answer::Ticket(Ok(ticket_reply())));
                    let verdict = if ticket == "ticket-done" {
                        Verdict::Printed
                    } else {
                        Verdict::NothingPrinted(Reason::PaperOut)
                    };
                    go(app, Message::PrintFinished(verdict));
                }
                "ticket-offline" => app.deliver(Answer::Ticket(Err(Failure::Offline))),
                _ => {}
            }
        }
        rating_preset if rating_preset.starts_with("rating-") => {
            go(app, open(Feature::Ticket));
            go(
                app,
                Message::Guide(guide::Message::OpenService("SZ-0001".into())),
            );
            app.deliver(Answer::Ticket(Ok(ticket_reply())));
            go(app, Message::PrintFinished(Verdict::Printed));
            let level = match rating_preset {
                "rating-reasons" | "rating-thanks-low" => 2,
                _ => 5,
            };
            go(app, Message::Ticket(ticket::Message::Rate(level)));
            match rating_preset {
                "rating-reasons" => go(app, Message::Rating(rating::Message::Toggle("slow"))),
                "rating-thanks-low" => {
                    go(app, Message::Rating(rating::Message::Toggle("steps")));
                    go(app, Message::Rating(rating::Message::Send));
                    app.deliver(Answer::Rated(true));
                }
                "rating-not-saved" => app.deliver(Answer::Rated(false)),
                _ => app.deliver(Answer::Rated(true)),
            }
        }
        "help" => {
            go(app, open(Feature::Ticket));
            go(
                app,
                Message::Guide(guide::Message::OpenService("SZ-0001".into())),
            );
            app.deliver(Answer::Ticket(Err(Failure::Offline)));
            go(app, Message::Ticket(ticket::Message::CallStaff));
            app.deliver(Answer::HelpRecorded(true));
        }
        _ => {}
    }
}

/// Sign-in by the app's code (亮码): the scanner ready, a code scanned on the home screen, and the check's
/// answer delivered as the journey's call would.
fn code_steps(app: &mut App, name: &str) {
    use crate::device::scanner::ScannerEvent;
    use crate::device::DeviceStatus;
    use crate::domain::signin::CodeProblem;
    let go = |app: &mut App, message: Message| {
        let _ = app.update(message);
    };
    let mut devices = app.view_model().devices;
    devices.scanner = DeviceStatus::Ready;
    app.set_devices(devices);
    let scan = || Message::Scanner(ScannerEvent::Code("ZWID1.e30.c2lnbmF0dXJl".into()));
    if name == "code-offered" {
        go(app, Message::Home(HomeMessage::SignIn));
        return;
    }
    go(app, scan());
    let holder = crate::device::reader::sim::demo_cards()
        .into_iter()
        .find(|c| c.label == "resident-moved")
        .and_then(|c| c.identity().ok())
        .expect("a readable demo card");
    let checked = match name {
        "code-checking" => return,
        "code-used" => Err(CodeProblem::Used),
        "code-expired" => Err(CodeProblem::Expired),
        "code-forged" => Err(CodeProblem::Forged),
        "code-offline" => Err(CodeProblem::Offline),
        _ => Ok(Box::new(crate::domain::signin::identity(
            &crate::domain::signin::Claim {
                nonce: "0".repeat(32),
                id: holder.id_number.clone(),
                name: holder.name.clone(),
                iat: 0,
                exp: 60_000,
            },
        ))),
    };
    app.deliver(Answer::Code(checked));
    if name == "code-card-needed" || name == "code-not-enough" {
        go(
            app,
            Message::Card(crate::ui::screen::card::Message::Continue),
        );
        go(app, Message::Home(HomeMessage::Open(Feature::Print)));
        if name == "code-not-enough" {
            go(app, scan());
        }
    }
}

/// The demo registry's two enterprises of the moved resident.
fn enterprises() -> Vec<kiosk_proto::enterprise::Enterprise> {
    use kiosk_proto::enterprise::{Enterprise, Size};
    vec![
        Enterprise {
            uscc: "92320508MA27XK301R".into(),
            name: "苏州平江文化创意工作室".into(),
            kind: LocalText::new("个体工商户", "Sole proprietorship"),
            industry: "R".into(),
            size: Size::Micro,
            district: "姑苏区".into(),
            address: "苏州市姑苏区平江路 128 号".into(),
            established: "2021-09-16".into(),
        },
        Enterprise {
            uscc: "91320506MA1Y8JG2KY".into(),
            name: "苏州建国智能科技有限公司".into(),
            kind: LocalText::new(
                "有限责任公司（自然人投资或控股）",
                "Limited company (owned by natural persons)",
            ),
            industry: "I".into(),
            size: Size::Small,
            district: "吴中区".into(),
            address: "苏州市吴中区越溪街道吴中大道 2588 号".into(),
            established: "2019-05-20".into(),
        },
    ]
}

/// 企业服务: signed in with the moved resident's card, the registry's answer delivered.
fn enterprise_steps(app: &mut App, name: &str) {
    use crate::ui::screen::enterprise::Message as E;
    let go = |app: &mut App, message: Message| {
        let _ = app.update(message);
    };
    super::sign_in(app, "resident-moved");
    go(app, Message::Home(HomeMessage::Open(Feature::Enterprise)));
    if name == "enterprise-none" {
        app.deliver(Answer::Enterprises(Ok(vec![])));
        return;
    }
    app.deliver(Answer::Enterprises(Ok(enterprises())));
    if name == "enterprise-choose" {
        return;
    }
    go(app, Message::Enterprise(E::Choose(1)));
    match name {
        "enterprise-policies" => go(app, Message::Enterprise(E::Policies)),
        "enterprise-request" => {
            go(app, Message::Enterprise(E::Request));
            go(
                app,
                Message::Apply(crate::ui::screen::apply::Message::Agree),
            );
        }
        _ => {}
    }
}
