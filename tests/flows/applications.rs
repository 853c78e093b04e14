//! 自助申报 end to end, through the real widgets: the reader simulator on a pty, the document camera's
//! simulator through the real page pipeline, a real hub on loopback (SQLite, the demo's e-licence library),
//! the virtual printer over TCP and the terminal's sealed application store in a real SQLite file. The
//! happy path, and each failure by name: a field that fails its check, the camera unplugged or with no
//! page, the e-licence library unreachable, the hub down at submission, paper out at the receipt, the
//! citizen walking away mid-form.

use crate::common;

use std::time::Duration;

use common::rig::{rig, Rig, MOVED};
use common::{run, screen};
use kiosk::input::Key;
use kiosk::sync::applications::{Applications, Delivered};
use kiosk::ui::app::Screen;
use kiosk::ui::screen::apply;
use kiosk::ui::{App, Message};
use kiosk_proto::service::CaseState;

pub(crate) fn send(app: &mut App, message: apply::Message) {
    let task = app.update(Message::Apply(message));
    run(app, task);
}

/// Types `text` into the field being filled.
pub(crate) fn type_text(rig: &mut Rig, text: &str) {
    send(&mut rig.app, apply::Message::Key(Key::Typed(text.into())));
}

/// A signature of two strokes on the pad.
pub(crate) fn sign(rig: &mut Rig) {
    for stroke in [
        vec![(40.0, 120.0, 0), (90.0, 60.0, 40), (140.0, 130.0, 80)],
        vec![(160.0, 90.0, 400), (260.0, 95.0, 460)],
    ] {
        send(&mut rig.app, apply::Message::Stroke(stroke, 900.0));
    }
}

/// The terminal's clock `later` from now (what looks at the camera and the phone's page, and idles).
fn tick(rig: &mut Rig, later: Duration) {
    let task = rig
        .app
        .update(Message::Tick(iced::time::Instant::now() + later));
    run(&mut rig.app, task);
}

pub(crate) fn state(app: &App) -> &apply::State {
    match &app.view_model().screen {
        Screen::Apply(state) => state,
        other => panic!("not the application screen: {}", other.name()),
    }
}

/// Start, 自助申报, the moved resident's card (every licence in the library), 居住证申领, agree.
pub(crate) fn start(rig: &mut Rig) {
    rig.tap("请轻触屏幕开始");
    rig.tap("自助申报");
    rig.place("resident-moved");
    rig.tap("继续办理");
    assert_eq!(screen(&rig.app), "apply");
    rig.tap("居住证申领");
    assert!(rig.shows("申报须知"));
    rig.tap("我已阅读，同意并开始");
    assert!(rig.shows("现居住地址 · 必填"));
}

/// The phone field's label once the hub's records filled it.
pub(crate) const PHONE_FROM_RECORDS: &str = "手机号码 · 已从政务数据调取，请核对";

/// The residence permit's form filled: the address typed, the basis chosen, the phone typed (over the
/// number the hub's records filled in, when they did).
pub(crate) fn fill_form(rig: &mut Rig, phone: &str) {
    // The first field to fill is selected already: the address (the card's is never copied into it).
    type_text(rig, "苏州工业园区星湖街328号5幢1202室");
    rig.tap("居住类型 · 必填");
    rig.tap("稳定就业");
    if rig.shows(PHONE_FROM_RECORDS) {
        rig.tap(PHONE_FROM_RECORDS);
        send(&mut rig.app, apply::Message::Key(Key::Clear));
    } else {
        rig.tap("手机号码 · 必填");
    }
    type_text(rig, phone);
    rig.tap("下一步");
}

/// Materials (the photo photographed), signature, EMS delivery: to the review page.
pub(crate) fn to_review(rig: &mut Rig) {
    assert!(rig.shows("✓ 已从电子证照库调取，无需提交"));
    rig.tap("拍摄");
    assert!(rig.shows("已拍 1 页（需 1 页）"), "the photo was kept");
    rig.tap("下一步");
    assert!(rig.shows("请在下方签名"));
    sign(rig);
    rig.tap("下一步");
    assert!(rig.shows("结果怎样给您？"));
    rig.tap("EMS 免费寄递");
    rig.tap("下一步");
    assert!(rig.shows("请核对后提交"));
}

/// 居住证申领 applied for by the moved resident through the widgets (EMS delivery), submitted: its number.
pub(crate) fn apply_and_submit(rig: &mut Rig) -> String {
    start(rig);
    fill_form(rig, "13912345678");
    to_review(rig);
    rig.tap("确认提交");
    state(&rig.app).done.clone().expect("taken").number
}

fn store(rig: &Rig) -> Applications {
    Applications::open(&rig.config.terminal.database).unwrap()
}

/// What was taken with the hub down (one application or 补正) waits sealed with its photo; the network
/// returns and the heartbeat's delivery sends it once, however often it runs, leaving nothing sealed. What
/// the first delivery did.
fn waits_sealed_then_goes_once(rig: &Rig) -> kiosk::sync::applications::Delivery {
    let store = store(rig);
    assert_eq!(store.count(Delivered::Waiting).unwrap(), 1);
    assert!(
        store.sealed_bytes().unwrap() > 10_000,
        "the photo waits, sealed"
    );
    rig.parts.hub.resume().unwrap();
    let client = rig.client();
    let first = store.deliver(&client).unwrap();
    assert_eq!(first.applications, 1);
    assert_eq!(store.deliver(&client).unwrap().applications, 0);
    assert_eq!(store.sealed_bytes().unwrap(), 0);
    first
}

#[test]
fn a_residence_permit_is_applied_for_with_licences_from_the_library_and_the_receipt_prints() {
    let mut rig = rig();
    start(&mut rig);
    // The card's values are filled and locked; the mobile number registered with the holder's account
    // comes from the hub's records, to be checked.
    assert!(rig.shows("姓名 · 已从身份证读取"));
    assert!(rig.shows(PHONE_FROM_RECORDS));
    assert!(rig.shows("13913572461"));
    fill_form(&mut rig, "139 1234 5678");
    // 免证办: the ID card and the title deed come from the library; only the photo is photographed.
    assert!(rig.shows("居民身份证 3205**********1530"));
    to_review(&mut rig);
    assert!(rig.shows("13912345678"), "the phone as kept");
    rig.tap("确认提交");

    let done = state(&rig.app)
        .done
        .clone()
        .expect("the application was taken");
    assert!(done.number.starts_with("SB"), "{}", done.number);
    assert!(done.sent, "the hub was up: sent at once");
    assert!(rig.shows(&done.number));
    assert!(rig.shows("已送达政务服务中心，等待受理，结果将短信告知"));
    assert!(rig.shows("请取走回执"));
    let jobs = rig.wait_for_jobs(1);
    let paper = jobs[0].lines.join("\n");
    for expected in [
        "申报回执",
        done.number.as_str(),
        "居住证申领",
        "王**",
        "电子证照库调取",
        "高拍仪拍摄 1 页",
        "EMS 免费寄递",
        "已于",
    ] {
        assert!(
            paper.contains(expected),
            "{expected:?} on the receipt:\n{paper}"
        );
    }
    assert!(!paper.contains(MOVED), "the ID number prints masked");

    // The hub made the case under the terminal's number; progress finds it by number and by card.
    let case = rig.progress_of_moved(&done.number);
    assert_eq!(case.summary.state, CaseState::Submitted);
    assert_eq!(case.summary.service_id, "SZ-0024");
    let mine = rig
        .client()
        .cases_mine(&kiosk_proto::service::IdNumber::new(MOVED))
        .unwrap();
    assert!(mine.iter().any(|c| c.summary.case_no == done.number));
    // Nothing of the form or the pages stays on the terminal once the hub has them.
    let store = store(&rig);
    assert_eq!(store.count(Delivered::Sent).unwrap(), 1);
    assert_eq!(store.sealed_bytes().unwrap(), 0);

    // The rating is offered with the case's number.
    rig.tap("满意");
    assert!(rig.shows("感谢您的评价"));
}

#[test]
fn a_field_that_fails_its_check_says_so_next_to_it() {
    let mut rig = rig();
    start(&mut rig);
    fill_form(&mut rig, "12345");
    assert!(rig.shows("⚠ 请填写 11 位手机号码"));
    assert!(rig.shows("手机号码 · 必填"), "still on the form");
    // Corrected, it goes on.
    send(&mut rig.app, apply::Message::Key(Key::Clear));
    type_text(&mut rig, "13912345678");
    rig.tap("下一步");
    assert!(rig.shows("✓ 已从电子证照库调取，无需提交"));
}

#[test]
fn camera_unplugged_mid_capture_and_no_page_under_it() {
    let mut rig = rig();
    start(&mut rig);
    fill_form(&mut rig, "13912345678");
    rig.camera.lock().unwrap().no_page = true;
    rig.tap("拍摄");
    assert!(rig.shows("没有看到材料，请把材料放在高拍仪下方"));
    rig.camera.lock().unwrap().no_page = false;
    rig.camera.lock().unwrap().unplugged = true;
    rig.tap("拍摄");
    assert!(rig.shows("高拍仪暂不可用，请呼叫工作人员或到窗口提交"));
    rig.tap("下一步");
    assert!(
        rig.shows("还有材料未拍摄，请按提示拍摄"),
        "a required page is missing"
    );
    // Plugged in again: the live picture sees it within a tick, the photo is taken and the journey goes on.
    rig.camera.lock().unwrap().unplugged = false;
    tick(&mut rig, Duration::ZERO);
    rig.tap("拍摄");
    assert!(rig.shows("已拍 1 页（需 1 页）"));
    rig.tap("下一步");
    assert!(rig.shows("请在下方签名"));
}

#[test]
fn the_e_licence_library_unreachable_asks_for_captures_and_says_why() {
    let mut rig = rig();
    rig.tap("请轻触屏幕开始");
    rig.tap("自助申报");
    rig.place("resident-moved");
    rig.tap("继续办理");
    rig.tap("居住证申领");
    rig.parts.hub.pause();
    rig.tap("我已阅读，同意并开始");
    fill_form(&mut rig, "13912345678");
    assert!(rig.shows("暂时无法连接电子证照库，请拍摄原件"));
    assert!(!rig.shows("✓ 已从电子证照库调取，无需提交"));
}

#[test]
fn hub_down_at_submission_prints_the_receipt_and_delivers_once_later() {
    let mut rig = rig();
    start(&mut rig);
    fill_form(&mut rig, "13912345678");
    to_review(&mut rig);
    rig.parts.hub.pause();
    rig.tap("确认提交");
    let done = state(&rig.app)
        .done
        .clone()
        .expect("taken with the hub down");
    assert!(!done.sent);
    assert!(rig.shows("已在本机提交保存，网络恢复后自动送达（尚未受理）"));
    let jobs = rig.wait_for_jobs(1);
    let paper = jobs[0].lines.join("\n");
    assert!(paper.contains("网络恢复后自动送达"), "{paper}");
    assert!(paper.contains(&done.number));
    let first = waits_sealed_then_goes_once(&rig);
    assert_eq!(first.pages_sent, 1);
    let mine = rig
        .client()
        .cases_mine(&kiosk_proto::service::IdNumber::new(MOVED))
        .unwrap();
    assert_eq!(
        mine.iter()
            .filter(|c| c.summary.case_no == done.number)
            .count(),
        1
    );
}

#[test]
fn paper_out_at_the_receipt_keeps_the_application_and_the_number_and_reprints() {
    let mut rig = rig();
    start(&mut rig);
    fill_form(&mut rig, "13912345678");
    to_review(&mut rig);
    rig.paper_out();
    rig.tap("确认提交");
    let done = state(&rig.app).done.clone().unwrap();
    assert!(rig.shows(&done.number), "the number stays on screen");
    assert!(rig.shows("回执没有打印出来，申报不受影响。请记下申报编号，或稍后补打"));
    assert_eq!(store(&rig).count(Delivered::Sent).unwrap(), 1);
    rig.parts
        .printer
        .set_state(kiosk::device::printer::status::PrinterState::HEALTHY);
    rig.tap("补打回执");
    assert!(rig.shows("请取走回执"));
    let jobs = rig.wait_for_jobs(1);
    assert!(jobs[0].lines.join("\n").contains(&done.number));
}

#[test]
fn the_citizen_walks_away_mid_form_and_nothing_is_submitted() {
    let mut rig = rig();
    start(&mut rig);
    type_text(&mut rig, "苏州工业园区星湖街");
    let idle = Duration::from_secs(
        (rig.config.ui.idle_seconds + rig.config.ui.countdown_seconds + 1).into(),
    );
    tick(&mut rig, idle);
    tick(&mut rig, idle * 2);
    assert_eq!(screen(&rig.app), "attract");
    assert!(rig.app.session().identity().is_none());
    let store = store(&rig);
    assert_eq!(store.count(Delivered::Waiting).unwrap(), 0);
    assert_eq!(store.count(Delivered::Sent).unwrap(), 0);
}

#[test]
fn remote_guidance_sees_which_fields_are_filled_never_what() {
    let mut rig = rig();
    start(&mut rig);
    fill_form(&mut rig, "13912345678");
    to_review(&mut rig);
    let texts: Vec<String> = rig
        .app
        .masked_items()
        .into_iter()
        .map(|item| item.text)
        .collect();
    let all = texts.join("\n");
    assert!(all.contains("现居住地址"), "the labels show: {all}");
    for secret in [
        "王建国",
        "1530",
        "13912345678",
        "星湖街",
        "相城区",
        "苏(2022)",
    ] {
        assert!(!all.contains(secret), "{secret} in the mirror:\n{all}");
    }
}

#[test]
fn an_unplugged_camera_is_a_device_state_the_apply_tile_and_the_hub_are_told() {
    let mut rig = rig();
    rig.camera.lock().unwrap().unplugged = true;
    rig.tap("请轻触屏幕开始");
    tick(&mut rig, Duration::ZERO);
    assert_eq!(
        rig.app.view_model().devices.camera,
        kiosk::device::DeviceStatus::Fault(kiosk::device::Reason::NotConnected)
    );
    // Applying stays open (the library and the phone need no camera), and the tile says why.
    assert!(rig.shows("高拍仪暂不可用，材料可用手机上传"));
    rig.tap("自助申报");
    assert!(rig.shows("请放置证件"), "the journey opens");
}

/// A fresh database on the PostgreSQL server the tests use (`KIOSK_HUB_TEST_POSTGRES`, else
/// 127.0.0.1:5432 with trust auth); dropped with it.
pub(crate) struct Postgres {
    admin: String,
    name: String,
    pub(crate) url: String,
}

impl Postgres {
    fn run<T>(future: impl std::future::Future<Output = T>) -> T {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap()
            .block_on(future)
    }

    pub(crate) fn create() -> Postgres {
        use sqlx::Connection;
        sqlx::any::install_default_drivers();
        let admin = std::env::var("KIOSK_HUB_TEST_POSTGRES")
            .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into());
        let name = format!("kiosk_flow_{}", kiosk::sync::new_event_id());
        Postgres::run(async {
            let mut conn = sqlx::AnyConnection::connect(&admin).await.unwrap();
            sqlx::query(&format!("CREATE DATABASE {name}"))
                .execute(&mut conn)
                .await
                .unwrap();
        });
        let url = format!("{}/{name}", admin.rsplit_once('/').unwrap().0);
        Postgres { admin, name, url }
    }
}

impl Drop for Postgres {
    fn drop(&mut self) {
        use sqlx::Connection;
        let (admin, name) = (self.admin.clone(), self.name.clone());
        Postgres::run(async move {
            if let Ok(mut conn) = sqlx::AnyConnection::connect(&admin).await {
                let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                    .execute(&mut conn)
                    .await;
            }
        });
    }
}

#[test]
fn an_application_reaches_a_hub_on_postgresql_once_even_after_the_hub_was_down() {
    let database = Postgres::create();
    let mut rig = common::rig::rig_on(Some(&database.url), |_| {});
    start(&mut rig);
    fill_form(&mut rig, "13912345678");
    to_review(&mut rig);
    rig.parts.hub.pause();
    rig.tap("确认提交");
    let done = state(&rig.app).done.clone().unwrap();
    assert!(!done.sent);
    assert!(rig.shows("请取走回执"));
    rig.parts.hub.resume().unwrap();
    let store = store(&rig);
    let client = rig.client();
    assert_eq!(store.deliver(&client).unwrap().applications, 1);
    assert_eq!(store.deliver(&client).unwrap().applications, 0);
    let case = rig.progress_of_moved(&done.number);
    assert_eq!(case.summary.state, CaseState::Submitted);
    drop(rig);
}

#[test]
fn a_photograph_taken_while_the_phone_page_opens_is_not_lost() {
    let mut rig = rig();
    rig.tap("请轻触屏幕开始");
    rig.tap("自助申报");
    // 张秀英's title deed is not in the library: her proof of address can come from the phone.
    rig.place("resident");
    rig.tap("继续办理");
    rig.tap("居住证申领");
    rig.tap("我已阅读，同意并开始");
    fill_form(&mut rig, "13912345678");
    // The photo is being taken when the citizen asks for the phone's page for another material: that
    // call is the journey's latest, and the photograph still lands.
    let photographing = rig
        .app
        .update(Message::Apply(apply::Message::Capture("photo".into())));
    send(&mut rig.app, apply::Message::Phone("address_proof".into()));
    assert!(rig.shows("请用手机扫描二维码，拍照上传（10 分钟内有效，仅限本次）"));
    run(&mut rig.app, photographing);
    assert!(rig.shows("已拍 1 页（需 1 页）"), "the photo was kept");
    assert!(!rig.shows("正在拍摄，请勿移动材料…"));
}

/// The back office's answer reaches the citizen at the terminal: an application for 不动产登记信息查询 with an
/// electronic result, approved by a reviewer, is among the holder's documents and prints under the
/// claims rules; progress shows each step in words.
/// A member of the back office in `role` for `departments`.
pub(crate) fn member(
    role: kiosk_hub::staff::Role,
    departments: &[&str],
) -> kiosk_hub::staff::Member {
    kiosk_hub::staff::Member {
        username: format!("{role:?}").to_lowercase(),
        staff: kiosk_proto::assist::Staff {
            name: "审".into(),
            number: "0300".into(),
        },
        role,
        departments: departments.iter().map(|d| d.to_string()).collect(),
    }
}

/// The police's reviewer asks 补正 of the residence permit `number`: the photo and the address, within ten
/// working days.
fn ask_photo_and_address(rig: &Rig, number: &str) {
    let item = |item: &str, why: &str| kiosk_hub::review::Item {
        item: item.into(),
        why: why.into(),
    };
    review(
        rig,
        "苏州市公安局",
        number,
        kiosk_hub::review::Action::Correct {
            items: vec![
                item("photo", "照片背景不是白色"),
                item("address", "请写到门牌号和室号"),
            ],
            deadline_days: 10,
        },
    );
}

/// Application `number` as an admin of the back office reads it on the review desk.
pub(crate) fn detail_for_admin(rig: &Rig, number: &str) -> kiosk_hub::review::Detail {
    let admin = member(kiosk_hub::staff::Role::Admin, &[]);
    rig.parts
        .hub
        .block_on(kiosk_hub::review::detail(
            rig.parts.hub.store(),
            &admin,
            number,
        ))
        .unwrap()
}

/// A reviewer of `department` acting on application `number`, as the console's desk does.
pub(crate) fn review(rig: &Rig, department: &str, number: &str, action: kiosk_hub::review::Action) {
    let reviewer = member(kiosk_hub::staff::Role::Reviewer, &[department]);
    rig.parts
        .hub
        .block_on(kiosk_hub::review::act(
            rig.parts.hub.store(),
            &reviewer,
            number,
            &action,
        ))
        .unwrap();
}

#[test]
fn a_correction_asked_by_the_reviewer_is_supplied_at_the_terminal_and_waits_to_be_accepted_again() {
    let mut rig = rig();
    let number = apply_and_submit(&mut rig);
    ask_photo_and_address(&rig, &number);

    let done = supply_at_terminal(&mut rig, &number, false);

    // The case waits to be accepted again; the reviewer has the new photo beside the old.
    let case = rig.progress_of_moved(&number);
    assert_eq!(case.summary.state, CaseState::Submitted);
    assert!(case.asked.is_none());
    let detail = detail_for_admin(&rig, &number);
    assert_eq!(detail.supplied.len(), 1);
    let supplied = &detail.supplied[0];
    assert_eq!(supplied.number, done.number);
    assert_eq!(supplied.materials[0].id, "photo");
    assert_eq!(supplied.materials[0].pages.len(), 1);
    assert!(supplied.signed);
    // Nothing of the 补正 stays in the terminal once the hub has it.
    assert_eq!(store(&rig).sealed_bytes().unwrap(), 0);
}

/// The 补正 of application `number` at the terminal, in the same visit, through the widgets: progress by
/// the card says what is asked (the photo and the address) and by when; "补交材料" opens only those items;
/// the address typed again, the photo taken again, signed, submitted (with the hub down when `hub_down`: it
/// waits sealed in the terminal), the 补正回执 printed. Its outcome.
pub(crate) fn supply_at_terminal(rig: &mut Rig, number: &str, hub_down: bool) -> apply::Done {
    // In the same visit: progress by the card says what is asked and by when, with "补交材料".
    rig.tap("首页");
    rig.tap("办件查询");
    let Screen::Progress(progress) = &rig.app.view_model().screen else {
        panic!("not progress");
    };
    let at = progress
        .cases
        .iter()
        .position(|c| c.summary.case_no == number)
        .expect("the application among the holder's cases");
    let task = rig.app.update(Message::Progress(
        kiosk::ui::screen::progress::Message::Open(at),
    ));
    run(&mut rig.app, task);
    // Every item asked, numbered in the order the reviewer gave them.
    for item in [
        "近期免冠相片：照片背景不是白色",
        "现居住地址：请写到门牌号和室号",
    ] {
        assert!(
            (1..=2).any(|n| rig.shows(&format!("{n}. {item}"))),
            "{item} is asked"
        );
    }
    rig.tap("补交材料");

    // Only the items asked: the address typed again, the photo taken again, signed; no delivery.
    assert!(rig.shows("补正：补交材料"));
    assert!(rig.shows(&format!("所补申报：{number}")));
    rig.tap("开始补交");
    assert!(rig.shows("现居住地址 · 必填"));
    assert!(
        !rig.shows("居住类型 · 必填"),
        "a field not asked is not shown"
    );
    type_text(rig, "苏州工业园区星湖街328号5幢1202室");
    rig.tap("下一步");
    assert!(
        !rig.shows("✓ 已从电子证照库调取，无需提交"),
        "only the photo"
    );
    rig.tap("拍摄");
    assert!(rig.shows("已拍 1 页（需 1 页）"));
    rig.tap("下一步");
    sign(rig);
    rig.tap("下一步");
    assert!(rig.shows("请核对后提交"));
    assert!(
        !rig.shows("领取方式"),
        "the delivery chosen at first stands"
    );
    if hub_down {
        rig.parts.hub.pause();
    }
    rig.tap("确认提交");
    let done = state(&rig.app).done.clone().expect("the 补正 was taken");
    assert!(done.sent != hub_down && done.supplement);
    assert_ne!(done.number, number, "its own receipt number");
    assert!(rig.shows("补正已提交"));
    let jobs = rig.wait_for_jobs(2);
    let paper = jobs[1].lines.join("\n");
    let sent = if hub_down {
        "网络恢复后自动送达"
    } else {
        "已于"
    };
    for expected in ["补正回执", "所补申报", number, done.number.as_str(), sent] {
        assert!(paper.contains(expected), "{expected:?} on:\n{paper}");
    }
    assert!(!paper.contains(MOVED), "the ID number prints masked");

    done
}

#[test]
fn hub_down_at_a_correction_keeps_it_sealed_and_delivers_it_once_later() {
    let mut rig = rig();
    let number = apply_and_submit(&mut rig);
    ask_photo_and_address(&rig, &number);
    let done = supply_at_terminal(&mut rig, &number, true);
    assert!(rig.shows("已在本机提交保存，网络恢复后自动送达（尚未受理）"));
    waits_sealed_then_goes_once(&rig);
    let case = rig.progress_of_moved(&number);
    assert_eq!(case.summary.state, CaseState::Submitted);
    let supplied: Vec<_> = case
        .timeline
        .iter()
        .filter_map(|s| s.note.as_ref())
        .filter(|n| n.zh.contains(&done.number))
        .collect();
    assert_eq!(supplied.len(), 1, "one step for the 补正");
}
