//! The application journey's presets for `kiosk shot` (自助申报): each step reached through the citizen's
//! messages, with the library's, the camera's and the submission's answers delivered as their calls would
//! deliver them. The camera is the simulator through the real page pipeline.

use kiosk_proto::application::{Elicence, HeldFact, Prefill};

use crate::device::camera::sim::{Faults, SimCamera};
use crate::domain::application::Library;
use crate::domain::LocalText;
use crate::input::Key;
use crate::journey::{Failure, Submitted};
use crate::printing::job::Verdict;
use crate::ui::app::Answer;
use crate::ui::screen::apply::Message as A;
use crate::ui::screen::home::{Feature, Message as HomeMessage};
use crate::ui::{App, Message};

pub const PRESETS: &[(&str, &str)] = &[
    (
        "apply-choose",
        "applying: the services that can be applied for here",
    ),
    (
        "apply-notice",
        "applying: what is collected, why and for how long, with agree",
    ),
    (
        "apply-notice-bundle",
        "applying: a 一件事 bundle's notice with its departments",
    ),
    (
        "apply-form",
        "applying: the form prefilled from the card, the address being typed",
    ),
    (
        "apply-form-records",
        "applying: a bundle's form filled from the card and the hub's records (mobile, spouse, newborn)",
    ),
    (
        "apply-form-choice",
        "applying: a choice field open with its choices",
    ),
    (
        "apply-form-problems",
        "applying: a failed check said next to its field",
    ),
    (
        "apply-materials",
        "applying: licences from the library, a page photographed",
    ),
    (
        "apply-materials-offline",
        "applying: the library unreachable, the materials to photograph",
    ),
    (
        "apply-capture-problem",
        "applying: no page under the document camera",
    ),
    ("apply-signature", "applying: signed on the screen"),
    (
        "apply-delivery",
        "applying: EMS chosen, recipient and address prefilled",
    ),
    ("apply-review", "applying: everything on one page to check"),
    ("apply-submitting", "applying: the application being taken"),
    (
        "apply-done",
        "applying: the number, sent to the hub, the receipt printed",
    ),
    (
        "apply-done-offline",
        "applying: taken with the hub down, to be sent when the network returns",
    ),
    (
        "apply-not-printed",
        "applying: the receipt did not print, the number stands, print again",
    ),
    (
        "apply-problem",
        "applying: the application could not be written",
    ),
    (
        "apply-supply-notice",
        "补正: what the reviewer asked, item by item, and by when",
    ),
    (
        "apply-supply-form",
        "补正: only the field asked for, typed again",
    ),
    (
        "apply-supply-review",
        "补正: the items given again, signed, no delivery",
    ),
    (
        "apply-supply-done",
        "补正: taken, its own receipt number, the receipt printed",
    ),
];

/// The moved resident's licences, as the demo library holds them.
fn licences() -> Vec<Elicence> {
    let licence = |kind: &str, title: (&str, &str), number: &str| Elicence {
        kind: kind.into(),
        title: LocalText::new(title.0, title.1),
        number: number.into(),
        issuer: LocalText::new("苏州市公安局", "Suzhou Public Security Bureau"),
    };
    vec![
        licence(
            "id_card",
            ("居民身份证", "Resident ID card"),
            "3205**********1530",
        ),
        licence(
            "property",
            ("不动产权证书", "Real estate title certificate"),
            "苏(2022)苏州市不动产权第0001001号",
        ),
    ]
}

/// What the demo hub holds of the moved resident to prefill forms.
fn facts() -> Vec<HeldFact> {
    let fact = |fact, value: &str| HeldFact {
        fact,
        value: value.into(),
    };
    vec![
        fact(Prefill::Mobile, "13913572461"),
        fact(Prefill::SpouseName, "李娜"),
        fact(Prefill::SpouseNumber, "320508198806150024"),
        fact(Prefill::ChildName, "王小明"),
        fact(Prefill::ChildSex, "male"),
        fact(Prefill::ChildBirth, "2026-11-20"),
        fact(Prefill::BirthCertificate, "Q325000001"),
    ]
}

fn go(app: &mut App, message: A) {
    let _ = app.update(Message::Apply(message));
}

fn typed(app: &mut App, text: &str) {
    go(app, A::Key(Key::Typed(text.into())));
}

/// Brings the app to the preset `name` (after the session started and the devices are ready).
pub fn steps(app: &mut App, name: &str) {
    if name.starts_with("apply-supply") {
        return supply(app, name);
    }
    super::sign_in(app, "resident-moved");
    let _ = app.update(Message::Home(HomeMessage::Open(Feature::Apply)));
    if name == "apply-choose" {
        return;
    }
    let service = if name == "apply-notice-bundle" || name == "apply-form-records" {
        "SZ-0038"
    } else {
        "SZ-0024"
    };
    go(app, A::Choose(service.into()));
    if name.starts_with("apply-notice") {
        return;
    }
    go(app, A::Agree);
    let library = if name == "apply-materials-offline" {
        Err(Failure::Offline)
    } else if name == "apply-form-records" {
        Ok(Library {
            licences: licences(),
            facts: facts(),
        })
    } else {
        Ok(Library {
            licences: licences(),
            facts: vec![],
        })
    };
    app.deliver(Answer::Licences(library));
    if name == "apply-form-records" {
        return;
    }
    typed(app, "苏州工业园区星湖街328号");
    if name == "apply-form" {
        return;
    }
    go(app, A::Edit(crate::ui::screen::apply::Target::Field(3)));
    if name == "apply-form-choice" {
        return;
    }
    go(app, A::Pick(3, "work".into()));
    go(app, A::Edit(crate::ui::screen::apply::Target::Field(5)));
    if name == "apply-form-problems" {
        typed(app, "1391234");
        go(app, A::Next);
        return;
    }
    typed(app, "13912345678");
    go(app, A::Next);
    let mut camera = SimCamera::new(Faults {
        no_page: name == "apply-capture-problem",
        ..Faults::default()
    });
    go(app, A::Capture("photo".into()));
    let captured = crate::device::camera::capture(&mut camera);
    app.deliver(Answer::Captured("photo".into(), captured));
    if name == "apply-materials-offline" {
        go(app, A::Capture("address_proof".into()));
        let captured = crate::device::camera::capture(&mut camera);
        app.deliver(Answer::Captured("address_proof".into(), captured));
    }
    if name.starts_with("apply-materials") || name == "apply-capture-problem" {
        // What the camera sees now, as the live picture shows it.
        let live = crate::device::camera::Camera::frame(&mut camera)
            .map(|frame| frame.shrink(8))
            .map_err(Into::into);
        app.want_live();
        app.deliver(Answer::Live(live));
        return;
    }
    go(app, A::Next);
    for stroke in [
        vec![
            (120.0, 200.0, 0),
            (180.0, 120.0, 60),
            (240.0, 230.0, 120),
            (300.0, 140.0, 180),
        ],
        vec![
            (330.0, 160.0, 500),
            (520.0, 150.0, 600),
            (600.0, 210.0, 700),
        ],
        vec![(420.0, 90.0, 900), (430.0, 260.0, 1000)],
    ] {
        go(app, A::Stroke(stroke, 900.0));
    }
    if name == "apply-signature" {
        return;
    }
    go(app, A::Next);
    go(app, A::Deliver(kiosk_proto::application::Delivery::Ems));
    if name == "apply-delivery" {
        return;
    }
    go(app, A::Next);
    if name == "apply-review" {
        return;
    }
    go(app, A::Submit);
    if name == "apply-submitting" {
        return;
    }
    if name == "apply-problem" {
        app.deliver(Answer::Submitted(Err(Failure::Refused)));
        return;
    }
    let sent = name != "apply-done-offline";
    let document = kiosk_proto::template::Submission {
        number: "SBSZDEMO0001000012".into(),
        service: "居住证申领".into(),
        applicant: "王**".into(),
        id_masked: "3205**********1530".into(),
        submitted_at: "2026-11-23 09:30".into(),
        materials: vec![],
        delivery: "EMS 免费寄递".into(),
        promised: "2026-11-30 前办结".into(),
        sent: String::new(),
        hall: "苏州市吴中区政务服务中心".into(),
        progress_url: "https://zwfw.suzhou.gov.cn/progress?case=SBSZDEMO0001000012".into(),
        completes: None,
    }
    .document();
    app.deliver(Answer::Submitted(Ok(Submitted {
        number: "SBSZDEMO0001000012".into(),
        sent,
        refused: false,
        document,
    })));
    let verdict = if name == "apply-not-printed" {
        Verdict::NothingPrinted(crate::device::Reason::PaperOut)
    } else {
        Verdict::Printed
    };
    let _ = app.update(Message::PrintFinished(verdict));
}

/// 补正 from the holder's progress: "补交材料" on the application the reviewer asked more of.
fn supply(app: &mut App, name: &str) {
    use crate::ui::screen::progress::Message as P;
    super::sign_in(app, "resident-moved");
    let _ = app.update(Message::Home(HomeMessage::Open(Feature::Progress)));
    app.deliver(Answer::Cases(Ok(super::journeys::decided_applications())));
    let _ = app.update(Message::Progress(P::Open(0)));
    let _ = app.update(Message::Progress(P::Supply));
    if name == "apply-supply-notice" {
        return;
    }
    go(app, A::Agree);
    typed(app, "苏州工业园区星湖街328号5幢1202室");
    if name == "apply-supply-form" {
        return;
    }
    go(app, A::Next);
    let mut camera = SimCamera::new(Faults::default());
    go(app, A::Capture("photo".into()));
    let captured = crate::device::camera::capture(&mut camera);
    app.deliver(Answer::Captured("photo".into(), captured));
    go(app, A::Next);
    go(
        app,
        A::Stroke(vec![(120.0, 200.0, 0), (300.0, 140.0, 180)], 900.0),
    );
    go(app, A::Next);
    if name == "apply-supply-review" {
        return;
    }
    go(app, A::Submit);
    let document = kiosk_proto::template::Submission {
        number: "SBSZDEMO0001000013".into(),
        service: "居住证申领".into(),
        applicant: "王**".into(),
        id_masked: "3205**********1530".into(),
        submitted_at: "2026-11-23 10:05".into(),
        materials: vec![("近期免冠相片".into(), "高拍仪拍摄 1 页".into())],
        delivery: String::new(),
        promised: "2026-11-19 前办结".into(),
        sent: "已于 2026-11-23 10:05 送达政务服务中心，等待受理".into(),
        hall: "苏州市吴中区政务服务中心".into(),
        progress_url: "https://zwfw.suzhou.gov.cn/progress?case=SBSZDEMO0001000001".into(),
        completes: Some("SBSZDEMO0001000001".into()),
    }
    .document();
    app.deliver(Answer::Submitted(Ok(Submitted {
        number: "SBSZDEMO0001000013".into(),
        sent: true,
        refused: false,
        document,
    })));
    let _ = app.update(Message::PrintFinished(Verdict::Printed));
}
