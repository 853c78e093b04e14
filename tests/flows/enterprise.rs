//! 企业服务 end to end against the demo's hub, its registry and catalogue: the moved resident, legal
//! representative of two enterprises, chooses the company; its policies are matched (the one granted
//! without applying shown as granted, another district's left out); its business licence, alone, goes
//! straight to the preview; its request is applied for with the enterprise filled in from the registry and
//! reaches the hub as a case of the Business Environment Office; its change needs the card when the
//! representative signed in with the app's code. The first resident represents none and is told so.

use crate::common;

use common::rig::{rig, MOVED};
use kiosk::ui::app::Screen;

use super::applications::type_text;

const COMPANY: &str = "苏州建国智能科技有限公司";

#[test]
fn a_representative_chooses_the_company_sees_its_policies_prints_its_licence_and_sends_a_request() {
    let mut rig = rig();
    rig.tap("请轻触屏幕开始");
    rig.tap("企业服务");
    rig.place("resident-moved");
    rig.tap("继续办理");
    assert!(rig.shows("请选择企业"));
    assert!(rig.shows("苏州平江文化创意工作室"));
    rig.tap(COMPANY);
    let uscc = kiosk_hub::seed::demo_company_uscc();
    assert!(rig.shows(&format!("统一社会信用代码：{uscc}")));
    assert!(rig.shows("行业：信息传输、软件和信息技术服务业"));

    // Policies by industry, size and district; granted ones first, shown as granted.
    rig.tap("惠企政策");
    assert!(rig.shows("小微企业稳岗返还"));
    assert!(rig.shows("✓ 免申即享：已为本企业自动兑现，无需申请"));
    assert!(rig.shows("软件和信息技术服务业研发费用补贴"));
    assert!(rig.shows("吴中区科技型中小企业贷款贴息"));
    assert!(
        !rig.shows("姑苏区文化创意企业房租补贴"),
        "another district's"
    );
    assert!(!rig.shows("个体工商户增值税减免"), "micro firms only");
    rig.tap("返回");

    // Its business licence alone: straight to the preview (the card is on the reader).
    rig.tap("打印营业执照");
    assert!(rig.shows("打印预览"), "the company's licence");
    let Screen::Print(_) = &rig.app.view_model().screen else {
        panic!("the preview")
    };
    rig.tap("取消");
    rig.tap("企业服务");
    assert!(
        rig.shows(&format!("统一社会信用代码：{uscc}")),
        "still acting for it"
    );
    rig.tap("选择其他企业");
    assert!(
        rig.shows("请选择企业"),
        "the registry's list is kept for the session"
    );
    rig.tap(COMPANY);

    // A request, prefilled from the registry, to the Business Environment Office.
    rig.tap("企业诉求");
    assert!(rig.shows("申报须知"));
    rig.tap("我已阅读，同意并开始");
    assert!(rig.shows(COMPANY), "the enterprise's name filled in");
    assert!(rig.shows(&uscc));
    rig.tap("诉求类别 · 必填");
    rig.tap("融资贷款");
    rig.tap("诉求内容 · 必填");
    type_text(&mut rig, "希望了解科技贷款贴息的申请条件");
    if !rig.shows("联系电话 · 已从政务数据调取，请核对") {
        rig.tap("联系电话 · 必填");
        type_text(&mut rig, "13912345678");
    }
    rig.tap("下一步");
    // No materials and no signature: straight to how the answer comes.
    while !rig.shows("请核对后提交") {
        rig.tap("下一步");
    }
    rig.tap("确认提交");
    assert!(rig.shows("请取走回执"));
    let jobs = rig.wait_for_jobs(1);
    assert!(jobs[0].lines.join("\n").contains("企业诉求直达"));
    // The hub made it a case of the office that answers it.
    let cases = rig
        .client()
        .cases_mine(&kiosk_proto::service::IdNumber::new(MOVED))
        .unwrap();
    let request = cases
        .iter()
        .find(|c| c.summary.service_id == "SZ-0050")
        .expect("the request is a case at the hub");
    assert_eq!(request.summary.service.zh, "企业诉求直达");
    // In the review queue of the office that answers it (and of no other department).
    let hub = rig.config.hub.url.clone();
    let queue = |user: &str| {
        let cookie = crate::common::console::login(&hub, user, "correct horse").unwrap();
        reqwest::blocking::Client::new()
            .get(format!("{hub}/console/api/queue"))
            .header("cookie", cookie)
            .send()
            .unwrap()
            .text()
            .unwrap()
    };
    rig.add_reviewer("yingshang", "苏州市营商环境办公室");
    rig.add_reviewer("shichang", "苏州市市场监督管理局");
    assert!(queue("yingshang").contains(&request.summary.case_no));
    assert!(!queue("shichang").contains(&request.summary.case_no));
}

#[test]
fn a_change_is_prefilled_from_the_registry_and_a_code_signed_in_representative_places_the_card() {
    let mut rig = rig();
    // The studio's representative is the moved resident too; a signed-in session by card.
    rig.tap("请轻触屏幕开始");
    rig.tap("企业服务");
    rig.place("resident-moved");
    rig.tap("继续办理");
    rig.tap("苏州平江文化创意工作室");
    rig.tap("变更登记");
    assert!(rig.shows("申报须知"));
    rig.tap("我已阅读，同意并开始");
    assert!(rig.shows("苏州平江文化创意工作室"));
    assert!(
        rig.shows("苏州市姑苏区平江路 128 号"),
        "the registered address"
    );
    // The change is not among the citizen's own applications.
    rig.tap("首页");
    rig.tap("自助申报");
    assert!(!rig.shows("企业变更登记"));
    assert!(!rig.shows("企业诉求直达"));
    rig.tap("首页");
    rig.tap("结束办理");
    rig.parts.sim.remove();
    rig.settle();

    // Signed in with the app's code: the request (which takes a code) opens; the change asks for the
    // representative's own card first, then opens prefilled.
    let mut scanner = super::scan::Scanner::start();
    scanner.deliver(&mut rig, |rig| {
        rig.app.view_model().devices.scanner == kiosk::device::DeviceStatus::Ready
    });
    let code = rig.parts.fresh_code("resident-moved").unwrap();
    super::scan::show_code(&mut rig, &mut scanner, &code, "已通过身份码核验");
    rig.tap("继续办理");
    rig.tap("企业服务");
    rig.tap(COMPANY);
    rig.tap("企业诉求");
    assert!(rig.shows("申报须知"), "a request takes the code");
    rig.tap("首页");
    rig.tap("企业服务");
    rig.tap("变更登记");
    assert!(rig.shows("此项服务需要身份证原件，身份码不能代替"));
    rig.parts.sim.place("resident-moved").unwrap();
    rig.pump(|app| common::shows(app, "居民身份证"));
    rig.tap("继续办理");
    assert!(rig.shows("申报须知"));
    rig.tap("我已阅读，同意并开始");
    assert!(rig.shows(COMPANY), "the company's change, prefilled");
    rig.tap("首页");
    rig.tap("结束办理");
    rig.parts.sim.remove();
    rig.settle();

    // The first resident represents no enterprise.
    rig.tap("请轻触屏幕开始");
    rig.tap("企业服务");
    rig.place("resident");
    rig.tap("继续办理");
    assert!(rig.shows("没有查到您名下的企业"));
}
