//! The review desk in a real headless Chromium against a real hub on loopback: a citizen applies at the
//! headless terminal (EMS delivery); a reviewer of the department logs in, finds it in the queue, looks at
//! the form and the photographed page, tells 补正 once; the citizen supplies it at the terminal and the
//! reviewer sees the new photo beside the first; the reviewer accepts and approves; the hub assigns an S10 waybill
//! the citizen's progress shows; a reviewer of another department is refused by the hub. Screenshots of
//! each step, in both languages, land in `target/console-shots/`.

use serde_json::json;

use super::applications::{apply_and_submit, sign, state, supply_at_terminal, Postgres};
use super::console_browser::Browser;
use common::rig::{rig, MOVED};
use kiosk_proto::service::CaseState;

use crate::common;

#[test]
fn a_reviewer_decides_an_application_in_a_real_browser_and_the_citizen_sees_the_waybill() {
    decided_in_a_browser(rig());
}

#[test]
fn the_same_on_a_hub_on_postgresql() {
    let database = Postgres::create();
    decided_in_a_browser(common::rig::rig_on(Some(&database.url), |_| {}));
}

/// A reviewer tells 补正 in the browser, the terminal supplies it, the reviewer accepts and approves with
/// EMS; another department's reviewer is refused.
fn decided_in_a_browser(mut rig: common::rig::Rig) {
    let number = apply_and_submit(&mut rig);
    rig.add_reviewer("li.police", "苏州市公安局");
    rig.add_reviewer("wu.health", "苏州市医疗保障局");
    let mut browser = Browser::start(&rig.config.hub.url);

    // The queue of the police's reviewer: the application, due in five working days.
    browser.cmd(json!({"do": "goto", "path": "/console"}));
    browser.log_in("li.police");
    let row = format!("#review-queue tbody tr[data-number={number}]");
    browser.wait(&row);
    assert!(!browser.text("#review-departments").is_empty());
    browser.shot("review-queue");
    browser.click(&row);
    browser.wait("#case[data-state=submitted]");
    let fields = browser.text("#case-fields");
    assert!(fields.contains("稳定就业"), "{fields}");
    let materials = browser.text("#case-materials");
    assert!(materials.contains("已从电子证照库调取"), "{materials}");
    // The photographed page is there to look at.
    browser.cmd(json!({"do": "wait", "sel": "#case-materials img"}));
    let loaded = browser.cmd(json!({"do": "eval",
        "js": "new Promise(r => { const i = document.querySelector('#case-materials img'); \
               if (i.complete) r(i.naturalWidth); else i.onload = () => r(i.naturalWidth); })"}));
    assert!(
        loaded.as_i64().unwrap_or(0) > 100,
        "the page decodes: {loaded}"
    );
    browser.shot("review-case");

    // 补正 once, with what is wrong.
    browser.cmd(json!({"do": "fill", "sel": "#correct-items .why[data-item=photo]", "text": "照片背景不是白色"}));
    browser.cmd(json!({"do": "fill", "sel": "#correct-items .why[data-item=address]", "text": "请写到门牌号和室号"}));
    browser.shot("review-correct");
    browser.click("#do-correct button[type=submit]");
    browser.wait("#case[data-state=needs_materials]");
    let timeline = browser.text("#case-timeline");
    assert!(
        timeline.contains("近期免冠相片：照片背景不是白色"),
        "{timeline}"
    );
    browser.cmd(json!({"do": "wait", "sel": "#do-correct", "state": "hidden"}));

    // The citizen does the 补正 at the terminal; the reviewer sees the new photo beside the first.
    let supplied = supply_at_terminal(&mut rig, &number, false);
    browser.cmd(json!({"do": "goto", "path": format!("/console?case={number}")}));
    browser.wait("#case[data-state=submitted]");
    let beside = browser.text("#case-supplied");
    assert!(
        beside.contains(&supplied.number) && beside.contains("苏州工业园区星湖街328号5幢1202室"),
        "{beside}"
    );
    let pictures = browser.cmd(json!({"do": "eval",
        "js": "Promise.all([...document.querySelectorAll('#case-supplied img')].map(i => new Promise(r => { \
               if (i.complete) r(i.naturalWidth); else i.onload = () => r(i.naturalWidth); })))"}));
    let widths: Vec<i64> = pictures
        .as_array()
        .map(|a| a.iter().filter_map(|w| w.as_i64()).collect())
        .unwrap_or_default();
    assert_eq!(
        widths.len(),
        2,
        "the first photo and the new one: {pictures}"
    );
    assert!(widths.iter().all(|w| *w > 100), "both decode: {pictures}");
    assert!(browser.text("#case-audit").contains("在自助终端补交材料"));
    browser.shot("review-supplied");

    // 受理, then 办结 by EMS: the hub assigns the waybill.
    browser.click("#do-accept");
    browser.wait("#case[data-state=accepted]");
    browser.click("#do-approve button[type=submit]");
    browser.wait("#case[data-state=approved]");
    let delivery = browser.text("#case-delivery");
    let waybill = delivery
        .split_whitespace()
        .find(|w| w.starts_with("EA"))
        .unwrap_or_else(|| panic!("a waybill in {delivery:?}"))
        .to_string();
    assert!(kiosk_proto::fields::s10_is_valid(&waybill), "{waybill}");
    assert!(browser.text("#case-audit").contains("li.police"));
    browser.shot("review-approved");
    browser.click("#lang");
    browser.wait("#case[data-state=approved]");
    assert!(browser.text("#case-timeline").contains("waybill"));
    browser.shot("review-approved-en");

    // The citizen's progress (the terminal's call to the hub) shows the result with its waybill.
    let case = rig.progress_of_moved(&number);
    assert_eq!(case.summary.state, CaseState::Approved);
    let last = case.timeline.last().and_then(|s| s.note.clone()).unwrap();
    assert!(last.zh.contains(&waybill), "{}", last.zh);

    // A reviewer of another department: the hub refuses the case, the page says why.
    browser.log_out();
    browser.log_in("wu.health");
    browser.wait("#review-empty");
    browser.cmd(json!({"do": "goto", "path": format!("/console?case={number}")}));
    browser.wait("#case[data-state=refused]");
    let error = browser.text("#case-error");
    assert!(error.contains("不属于您负责的部门"), "{error}");
    browser.shot("review-other-department");
}

#[test]
fn an_admin_adds_a_reviewer_in_the_console_who_then_reviews_and_nobody_else_manages_accounts() {
    let mut rig = rig();
    // An application from the terminal that the new reviewer will refuse.
    let number = apply_and_submit(&mut rig);
    let store = rig.parts.hub.store();
    rig.parts
        .hub
        .block_on(async {
            kiosk_hub::staff::add(store, "boss", "管理员", "0001", "correct horse").await?;
            kiosk_hub::staff::grant(store, "boss", kiosk_hub::staff::Role::Admin, &[]).await
        })
        .unwrap();
    let mut browser = Browser::start(&rig.config.hub.url);
    browser.cmd(json!({"do": "goto", "path": "/console"}));
    browser.log_in("boss");
    browser.wait("#tab-staff");
    browser.click("#tab-staff");
    browser.wait("#staff-list tbody tr[data-username=boss]");
    for (selector, value) in [
        ("#staff-username", "chen.review"),
        ("#staff-name", "陈审"),
        ("#staff-number", "0301"),
        ("#staff-password", "another horse"),
        ("#staff-departments", "苏州市公安局"),
    ] {
        browser.cmd(json!({"do": "fill", "sel": selector, "text": value}));
    }
    browser.cmd(
        json!({"do": "eval", "js": "document.getElementById('staff-role').value = 'reviewer'"}),
    );
    browser.click("#staff-form button[type=submit]");
    browser.wait("#staff-list tbody tr[data-username=\"chen.review\"]");
    let row = browser.text("#staff-list tbody tr[data-username=\"chen.review\"]");
    assert!(
        row.contains("审批") && row.contains("苏州市公安局"),
        "{row}"
    );
    browser.shot("staff-accounts");

    // The new reviewer logs in and lands on the review desk; the accounts are not theirs to see.
    browser.log_out();
    browser.cmd(json!({"do": "fill", "sel": "#username", "text": "chen.review"}));
    browser.cmd(json!({"do": "fill", "sel": "#password", "text": "another horse"}));
    browser.click("#login-form button[type=submit]");
    browser.wait("#review-departments");
    assert!(browser.text("#review-departments").contains("苏州市公安局"));
    let status =
        browser.cmd(json!({"do": "eval", "js": "fetch('/console/api/staff').then(r => r.status)"}));
    assert_eq!(status, 403, "the hub refuses a reviewer");

    // 不予许可 with the reason: the page, and the citizen's progress, say why.
    let row = format!("#review-queue tbody tr[data-number={number}]");
    browser.wait(&row);
    browser.click(&row);
    browser.wait("#case[data-state=submitted]");
    browser.click("#do-accept");
    browser.wait("#case[data-state=accepted]");
    browser.cmd(json!({"do": "fill", "sel": "#deny-reason", "text": "居住时间不满半年"}));
    browser.click("#do-deny button[type=submit]");
    browser.wait("#case[data-state=refused]");
    let timeline = browser.text("#case-timeline");
    assert!(
        timeline.contains("不予许可：居住时间不满半年"),
        "{timeline}"
    );
    browser.shot("review-refused");
    let case = rig.progress_of_moved(&number);
    assert_eq!(case.summary.state, CaseState::Refused);
    let last = case.timeline.last().and_then(|s| s.note.clone()).unwrap();
    assert!(
        last.zh.contains("居住时间不满半年") && last.zh.contains("行政复议"),
        "{}",
        last.zh
    );

    // Half a year on, the pages' retention has run out: the sweep deletes them, and the case says when.
    let swept = rig
        .parts
        .hub
        .block_on(kiosk_hub::privacy::sweep(
            store,
            180,
            kiosk_hub::store::now_ms() + 181 * 24 * 3600 * 1000,
        ))
        .unwrap();
    assert!(swept.cases >= 1 && swept.pages >= 1, "{swept:?}");
    browser.cmd(json!({"do": "goto", "path": format!("/console?case={number}")}));
    browser.wait("#case[data-state=refused]");
    let materials = browser.text("#case-materials");
    assert!(materials.contains("保存期满删除"), "{materials}");
    let images = browser.cmd(
        json!({"do": "eval", "js": "document.querySelectorAll('#case-materials img').length"}),
    );
    assert_eq!(images, 0, "no broken images where the pages were");
    browser.shot("review-materials-deleted");
    browser.click("#lang");
    browser.wait("#case[data-state=refused]");
    assert!(browser
        .text("#case-materials")
        .contains("retention ran out"));
    browser.shot("review-materials-deleted-en");
}

/// 出生一件事 applied for at the terminal (nothing typed: the records fill it; 落户方式 chosen) is one case for
/// the citizen and a part for each of its four departments; each department's reviewer accepts and approves
/// their own part in the browser; the bundle is decided once, with the last.
#[test]
fn a_bundles_parts_are_decided_by_their_departments_in_the_browser_and_the_citizen_sees_one_case() {
    let mut rig = rig();
    rig.tap("请轻触屏幕开始");
    rig.tap("自助申报");
    rig.place("resident-moved");
    rig.tap("继续办理");
    rig.tap("出生一件事");
    rig.tap("我已阅读，同意并开始");
    rig.tap("随父落户");
    rig.tap("下一步");
    rig.tap("下一步");
    sign(&mut rig);
    rig.tap("下一步");
    rig.tap("下一步");
    rig.tap("确认提交");
    let number = state(&rig.app).done.clone().expect("taken").number;
    let departments = [
        ("li.police", "苏州市公安局"),
        ("he.health", "苏州市卫生健康委员会"),
        ("ren.hr", "苏州市人力资源和社会保障局"),
        ("wu.insure", "苏州市医疗保障局"),
    ];
    for (username, department) in departments {
        rig.add_reviewer(username, department);
    }
    let mut browser = Browser::start(&rig.config.hub.url);
    for (n, (username, _)) in departments.iter().enumerate() {
        let part = format!("{number}-{}", n + 1);
        if n == 0 {
            browser.cmd(json!({"do": "goto", "path": "/console"}));
        }
        // After a logout the console has loaded again at its login form.
        browser.log_in(username);
        // Their queue holds their part only.
        let row = format!("#review-queue tbody tr[data-number={part}]");
        browser.wait(&row);
        let rows = browser.cmd(json!({"do": "eval",
            "js": "document.querySelectorAll('#review-queue tbody tr').length"}));
        assert_eq!(rows.as_i64(), Some(1), "{username}: one part");
        browser.click(&row);
        browser.wait("#case[data-state=submitted]");
        assert!(browser.text("#case-parent").contains(&number));
        browser.click("#do-accept");
        browser.wait("#case[data-state=accepted]");
        browser.click("#do-approve button[type=submit]");
        browser.wait("#case[data-state=approved]");
        if n == 0 {
            browser.shot("bundle-part-approved");
        }
        browser.log_out();
    }
    // The citizen's one case: decided once every part is, the result to collect at the window.
    let case = rig.progress_of_moved(&number);
    assert_eq!(case.summary.state, CaseState::Approved);
    let last = case.timeline.last().and_then(|s| s.note.clone()).unwrap();
    assert!(last.zh.contains("一件事已全部办结"), "{}", last.zh);
    let mine = rig
        .client()
        .cases_mine(&kiosk_proto::service::IdNumber::new(common::rig::MOVED))
        .unwrap();
    assert!(!mine
        .iter()
        .any(|c| c.summary.case_no.starts_with(&format!("{number}-"))));
}

/// An application whose result is an electronic licence: the reviewer approves it in the browser; in the
/// same visit the holder finds it under 证照打印 and prints it.
#[test]
fn an_e_licence_approved_in_the_browser_prints_at_the_terminal() {
    let mut rig = rig();
    rig.tap("请轻触屏幕开始");
    rig.tap("自助申报");
    rig.place("resident-moved");
    rig.tap("继续办理");
    rig.tap("不动产登记信息查询");
    rig.tap("我已阅读，同意并开始");
    rig.tap("购房资格");
    rig.tap("本人名下不动产");
    rig.tap("下一步");
    sign(&mut rig);
    rig.tap("下一步");
    assert!(rig.shows("结果怎样给您？"));
    rig.tap("下一步");
    rig.tap("确认提交");
    let number = state(&rig.app).done.clone().expect("taken").number;
    assert!(state(&rig.app).done.as_ref().unwrap().sent);

    // A reviewer of the registration centre accepts and approves it in the browser.
    rig.add_reviewer("zhou.estate", "苏州市不动产登记中心");
    let mut browser = Browser::start(&rig.config.hub.url);
    browser.cmd(json!({"do": "goto", "path": format!("/console?case={number}")}));
    browser.log_in("zhou.estate");
    browser.wait("#case[data-state=submitted]");
    browser.click("#do-accept");
    browser.wait("#case[data-state=accepted]");
    browser.click("#do-approve button[type=submit]");
    browser.wait("#case[data-state=approved]");
    assert!(browser
        .text("#case-delivery")
        .contains(&format!("RES-{number}")));
    browser.shot("review-e-licence");

    // In the same visit: 证照打印 lists the result, and it prints.
    rig.tap("首页");
    rig.tap("证照打印");
    let title = "不动产登记信息查询准予许可决定书（电子证照）";
    assert!(rig.shows(title), "the e-licence is among the documents");
    rig.tap(title);
    rig.tap("打印");
    assert!(rig.shows("打印完成，请取走您的材料"));
    let jobs = rig.wait_for_jobs(2);
    // A long title wraps on the 80 mm paper.
    let paper = jobs[1].lines.concat();
    assert!(paper.contains(title) && paper.contains(&number), "{paper}");
    assert!(!paper.contains(MOVED), "the ID number prints masked");
    // Progress by the number says what happened, in words.
    let case = rig.progress_of_moved(&number);
    assert_eq!(case.summary.state, CaseState::Approved);
    let last = case.timeline.last().and_then(|s| s.note.clone()).unwrap();
    assert!(last.zh.contains("电子证照已签发"), "{}", last.zh);
}
