//! Remote guidance's presets for `kiosk shot`: the home screen with each state of the help as the citizen
//! sees it (a sample staff member, 张丽, staff number 0123).

use kiosk_proto::assist::Staff;

use crate::assist::{Phase, Status};
use crate::ui::screen::attract;
use crate::ui::{App, Message};

pub const PRESETS: &[(&str, &str)] = &[
    ("assist-calling", "remote help: calling staff, with cancel"),
    (
        "assist-calling-long",
        "remote help: no one has taken the call for a while; the desk is offered too",
    ),
    (
        "assist-unreachable",
        "remote help: staff cannot be reached; go to the desk",
    ),
    ("assist-ask-view", "remote help: may staff view the screen?"),
    (
        "assist-viewing",
        "remote help: the banner while staff view, a message and where they point",
    ),
    (
        "assist-ask-control",
        "remote help: may staff operate the screen?",
    ),
    (
        "assist-control",
        "remote help: staff operate; take back or end",
    ),
    (
        "assist-reconnecting",
        "remote help: the connection dropped and control ended",
    ),
    (
        "assist-helping-form",
        "帮办代办: a guide chose 居住类型 (not personal) on the citizen's form, marked for the citizen to check",
    ),
];

pub fn steps(app: &mut App, name: &str) {
    if name == "assist-helping-form" {
        return helping_form(app);
    }
    let _ = app.update(Message::Attract(attract::Message::Start));
    let staff = Some(Staff {
        name: "张丽".into(),
        number: "0123".into(),
    });
    let phase = match name {
        "assist-calling" | "assist-calling-long" => Phase::Calling,
        "assist-unreachable" => Phase::Unreachable,
        "assist-ask-view" => Phase::AskView,
        "assist-ask-control" => Phase::AskControl,
        "assist-control" => Phase::Control,
        _ => Phase::Viewing,
    };
    let mut status = Status {
        phase,
        staff: (!matches!(phase, Phase::Calling | Phase::Unreachable))
            .then_some(staff)
            .flatten(),
        reconnecting: name == "assist-reconnecting",
        waited_long: name == "assist-calling-long",
        ..Status::default()
    };
    if name == "assist-viewing" {
        status.message = Some(match app.view_model().lang {
            crate::domain::Lang::Zh => "请点“证照打印”，再把身份证放到读卡区。".into(),
            crate::domain::Lang::En => {
                "Tap “Print certificates”, then place your ID card on the reader.".into()
            }
        });
    }
    app.set_assist(status);
    if name == "assist-viewing" {
        // Where staff point: the printing tile, as the picture they see places it.
        let size = app.look().viewport;
        let label =
            crate::ui::i18n::tr(app.view_model().lang, crate::ui::i18n::Words::FeaturePrint);
        let captured = {
            let mut ui = crate::ui::drive::simulator(app);
            crate::ui::assist::capture(&mut ui, size)
        };
        let mut status = app.view_model().assist.clone();
        // The guide points at the tile: its outline, around the label.
        let text = captured.items.iter().find(|item| item.text == label);
        status.pointed = text.map(|text| {
            captured
                .items
                .iter()
                .filter(|s| {
                    s.shape.is_some() && kiosk_proto::assist::contains(s.bounds, text.bounds)
                })
                .min_by_key(|s| s.bounds[2] * s.bounds[3])
                .map_or(text.bounds, |s| s.bounds)
        });
        app.set_assist(status);
    }
}

/// 帮办代办: the citizen on 居住证申领's form with staff in control; the guide chose 居住类型.
fn helping_form(app: &mut App) {
    use crate::ui::screen::apply::Message as A;
    super::sign_in(app, "resident-moved");
    let _ = app.update(Message::Home(crate::ui::screen::home::Message::Open(
        crate::terminal::Feature::Apply,
    )));
    let _ = app.update(Message::Apply(A::Choose("SZ-0024".into())));
    let _ = app.update(Message::Apply(A::Agree));
    app.deliver(crate::ui::app::Answer::Licences(Ok(
        crate::domain::application::Library {
            licences: vec![],
            facts: vec![],
        },
    )));
    app.set_assist(Status {
        phase: Phase::Control,
        staff: Some(Staff {
            name: "张丽".into(),
            number: "0123".into(),
        }),
        ..Status::default()
    });
    let _ = app.as_guide(vec![Message::Apply(A::Pick(3, "work".into()))]);
    // Back on it, so it shows with its tag (the pick moved on to the next field).
    let _ = app.update(Message::Apply(A::Edit(
        crate::ui::screen::apply::Target::Field(3),
    )));
}
