//! The citizen journeys end to end, through the real widgets (iced_test, tiny-skia): a real hub on loopback
//! (SQLite, seeded with the Suzhou demo, the terminal enrolled with a one-time code), the reader simulator on
//! a pty read by the real reader thread, and the virtual printer over TCP, with the terminal's journal and
//! outbox in a real SQLite file. Each journey's happy path and its failures: hub down, paper out, the card
//! pulled, the reprint limit, a locked case number, a rating the outbox cannot take.

use crate::common;

use std::time::{Duration, Instant};

use common::rig::{rig, rig_with, MOVED, RESIDENT};
use common::{run, screen};
use kiosk::device::printer::status::PrinterState;
use kiosk::printing::journal::JobState;
use kiosk::sync::outbox::Outbox;
use kiosk::ui::{Bar, Message};

#[test]
fn a_holder_with_one_document_prints_it_in_two_taps_after_the_welcome_and_rates_the_service() {
    let mut rig = rig();
    rig.tap("请轻触屏幕开始");
    rig.tap("证照打印");
    assert!(rig.shows("请放置证件"));
    rig.place("resident");
    assert!(rig.shows("请将证件留在读卡区，办理完成后再取走。"));

    // Tap 1: continue. The only document with a copy left is claimed and previewed at once.
    rig.tap("继续办理");
    assert_eq!(screen(&rig.app), "print");
    assert!(rig.shows("打印预览"));
    assert!(rig.shows("社会保险参保缴费证明"));
    // Tap 2: print.
    rig.tap("打印");
    assert!(rig.shows("打印完成，请取走您的材料"));
    assert!(rig.shows("别忘了带走您的身份证件"));
    let jobs = rig.wait_for_jobs(1);
    assert!(jobs[0]
        .lines
        .iter()
        .any(|l| l.contains("社会保险参保缴费证明")));
    let journal = rig.journal();
    assert_eq!(journal.len(), 1);
    assert_eq!(journal[0].0, JobState::Printed);
    assert!(journal[0].1.is_some(), "printed under the hub's claim");

    // The rating is offered, not forced: one tap on a face sends it.
    assert!(rig.shows("请为本次服务评价（自愿）"));
    rig.tap("满意");
    assert!(rig.shows("感谢您的评价"));
    rig.drain();
    let events = rig.hub_events();
    assert!(events
        .iter()
        .any(|(kind, body)| kind == "print_claim" && body.contains("printed")));
    assert!(events
        .iter()
        .any(|(kind, body)| kind == "rating" && body.contains("\"level\":4")));
    assert_eq!(
        rig.copies(RESIDENT),
        vec![("社会保险参保缴费证明".to_string(), 1)]
    );

    rig.tap("结束办理");
    assert_eq!(screen(&rig.app), "attract");
    assert!(rig.app.session().identity().is_none());
}

#[test]
fn a_holder_chooses_among_documents_and_the_fourth_copy_of_the_day_is_refused_with_the_reason() {
    let mut rig = rig();
    rig.print_journey("resident-moved");
    assert_eq!(screen(&rig.app), "documents");
    assert!(rig.shows("我的证照"));
    assert!(rig.shows("社会保险参保缴费证明"));
    assert!(rig.shows("不动产登记信息查询结果"));
    for copy in 1..=3 {
        rig.tap("营业执照信息（电子证照打印件）");
        rig.tap("打印");
        assert!(rig.shows("打印完成，请取走您的材料"), "copy {copy}");
        rig.tap("继续办理");
        rig.tap("证照打印");
        assert_eq!(screen(&rig.app), "documents");
    }
    rig.wait_for_jobs(3);
    // The list says so before the tap; the hub says why after it.
    assert!(rig.shows("✕ 今天的打印份数已用完"));
    rig.tap("营业执照信息（电子证照打印件）");
    assert!(rig.shows("今天的打印份数已用完"));
    assert!(rig.shows("这类证照每人每天最多打印 3 份。"));
    assert!(rig.shows("下次可打印日期"));
    assert!(rig.shows("限制份数是为了防止证照被冒用。急需请到窗口办理。"));
    assert_eq!(rig.parts.printer.jobs().len(), 3, "nothing more printed");
}

#[test]
fn leaving_the_preview_gives_the_claimed_copy_back() {
    let mut rig = rig();
    rig.print_journey("resident");
    assert!(rig.shows("打印预览"));
    rig.tap("取消");
    assert_eq!(screen(&rig.app), "home");
    // The copy goes back through the outbox (its own thread): wait for it there.
    let deadline = Instant::now() + Duration::from_secs(5);
    while Outbox::open(&rig.config.terminal.database)
        .unwrap()
        .depth()
        .unwrap()
        == 0
    {
        assert!(
            Instant::now() < deadline,
            "the give-back reached the outbox"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    rig.drain();
    assert_eq!(
        rig.copies(RESIDENT),
        vec![("社会保险参保缴费证明".to_string(), 0)]
    );
    assert!(rig.parts.printer.jobs().is_empty());
}

#[test]
fn paper_out_in_the_print_journey_offers_call_staff_and_try_again_claims_a_fresh_copy() {
    let mut rig = rig();
    rig.paper_out();
    rig.print_journey("resident");
    rig.tap("打印");
    assert!(rig.shows("打印机缺纸"));
    assert!(rig.shows("呼叫工作人员"));
    assert!(rig.parts.printer.jobs().is_empty());

    rig.parts.printer.set_state(PrinterState::HEALTHY);
    rig.tap("再试一次");
    assert!(rig.shows("打印预览"), "claimed again and previewed");
    rig.tap("打印");
    assert!(rig.shows("打印完成，请取走您的材料"));
    rig.wait_for_jobs(1);
    rig.drain();
    // The failed job gave its copy back; the one printed counts: one copy today, not two.
    assert_eq!(
        rig.copies(RESIDENT),
        vec![("社会保险参保缴费证明".to_string(), 1)]
    );
    let states: Vec<JobState> = rig.journal().into_iter().map(|(s, _)| s).collect();
    assert_eq!(states, vec![JobState::Failed, JobState::Printed]);
}

#[test]
fn card_pulled_at_the_preview_ends_the_session_and_gives_the_copy_back() {
    let mut rig = rig();
    rig.print_journey("resident");
    assert!(rig.shows("打印预览"));
    rig.parts.sim.remove();
    rig.pump(|app| screen(app) == "attract");
    assert!(rig.app.session().identity().is_none());
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        rig.drain();
        if rig.copies(RESIDENT)[0].1 == 0
            && rig
                .hub_events()
                .iter()
                .any(|(kind, body)| kind == "print_claim" && body.contains("failed"))
        {
            break;
        }
        assert!(Instant::now() < deadline, "the copy went back");
        std::thread::sleep(Duration::from_millis(50));
    }
    assert!(rig.parts.printer.jobs().is_empty());
}

#[test]
fn progress_by_card_shows_the_timeline_and_prints_a_progress_record() {
    let mut rig = rig();
    rig.tap("请轻触屏幕开始");
    rig.tap("办件查询");
    assert!(rig.shows("请选择查询方式"));
    rig.tap("刷身份证查询");
    rig.place("resident");
    rig.tap("继续办理");
    assert_eq!(screen(&rig.app), "progress");
    assert!(rig.shows(&format!(
        "您的办件（共 {} 件）",
        kiosk_proto::service::CaseState::ALL.len()
    )));
    // Newest first: the case that still needs documents is near the top; open it.
    assert!(rig.shows("! 需补正材料"));
    rig.tap("! 需补正材料");
    assert!(rig.shows("办理过程"));
    assert!(rig.shows("请补充：经营场所使用证明（房产证或租赁合同）原件。"));
    assert!(rig.shows("下一步：请按通知补交材料：可到任一窗口提交，或在网上补正。"));
    // The applicant's name is masked, on screen and in the mirrored view model.
    assert!(rig.shows("张**"));
    let vm = serde_json::to_string(rig.app.view_model()).unwrap();
    assert!(!vm.contains("张秀英") && !vm.contains(RESIDENT));

    rig.tap("打印进度单");
    assert!(rig.shows("打印预览"));
    rig.tap("打印");
    assert!(rig.shows("打印完成，请取走您的材料"));
    let jobs = rig.wait_for_jobs(1);
    assert!(jobs[0].lines.iter().any(|l| l.contains("办件进度")));
    assert!(jobs[0].lines.iter().any(|l| l.contains("需补正材料")));
    assert!(!jobs[0].lines.iter().any(|l| l.contains("张秀英")));

    // The rating of a case carries its number (one rating per case at the hub).
    rig.tap("非常满意");
    assert!(rig.shows("感谢您的评价"));
    assert!(rig.hub_has("rating", "\"case_no\":\"SZ"));
}

#[test]
fn progress_by_case_number_and_the_ids_last_six_and_a_lock_after_five_wrong_tries() {
    let mut rig = rig();
    let case_no = rig.newest_case_of(MOVED);
    rig.tap("请轻触屏幕开始");
    rig.tap("办件查询");
    rig.tap("输入办件编号查询");
    assert!(rig.shows("点一下要填写的框，再用下面的键盘输入"));
    for c in case_no.to_lowercase().chars() {
        rig.tap(&c.to_uppercase().to_string());
    }
    rig.tap("申请人身份证号后6位");
    for c in MOVED[12..].chars() {
        rig.tap(&c.to_string());
    }
    rig.tap("查询");
    assert!(rig.shows("办理过程"), "the case by its number");
    assert!(rig.shows(&case_no));
    // The typed ID characters never reach the mirrored view model.
    let vm = serde_json::to_string(rig.app.view_model()).unwrap();
    assert!(!vm.contains(&MOVED[12..]));

    // Wrong digits: the same "not found" as an unknown number, then the lock.
    let task = rig.app.update(Message::Bar(Bar::Back));
    run(&mut rig.app, task);
    assert!(rig.shows("查询"));
    for attempt in 1..=6 {
        rig.tap("删除");
        rig.tap("9");
        rig.tap("查询");
        if attempt <= 5 {
            assert!(rig.shows("没有查到这个办件"), "attempt {attempt}");
            assert!(rig.shows("呼叫工作人员"));
            rig.tap("再试一次");
        }
    }
    assert!(rig.shows("查询次数过多"));
    assert!(
        rig.shows("为保护申请人的信息，这个办件编号暂停查询，请 15 分钟后再试，或到窗口咨询。")
            || rig.shows(
                "为保护申请人的信息，这个办件编号暂停查询，请 14 分钟后再试，或到窗口咨询。"
            )
    );
}

#[test]
fn a_queue_ticket_needs_no_card_and_prints_the_number_and_who_is_waiting() {
    let mut rig = rig();
    rig.tap("请轻触屏幕开始");
    rig.tap("取号");
    assert!(rig.shows("取号：请选择要办理的事项"));
    rig.tap("企业开办");
    rig.tap("企业设立登记");
    assert_eq!(screen(&rig.app), "ticket");
    assert!(rig.shows("您的号码"));
    assert!(rig.shows("001"));
    assert!(rig.shows("前面还有 0 人等候"));
    assert!(rig.shows("请取走排队号，留意叫号"));
    let jobs = rig.wait_for_jobs(1);
    assert!(jobs[0].lines.iter().any(|l| l.contains("001")));
    assert!(jobs[0].lines.iter().any(|l| l.contains("企业设立登记")));

    // The next citizen, same service: the next number, one waiting.
    rig.tap("结束办理");
    rig.take_ticket();
    assert!(rig.shows("002"));
    assert!(rig.shows("前面还有 1 人等候"));
    rig.wait_for_jobs(2);
}

#[test]
fn paper_out_after_the_number_is_taken_keeps_the_number_on_screen() {
    let mut rig = rig();
    rig.paper_out();
    rig.take_ticket();
    assert!(rig.shows("001"));
    assert!(rig.shows("号码已取到，但排队号没有打印出来。请记住上面的号码，叫号时到窗口报号即可。"));
    // Staff are called remotely from where the citizen is; the number stays on screen.
    rig.tap("呼叫工作人员");
    assert_eq!(screen(&rig.app), "ticket");
    assert!(rig.shows("正在呼叫远程工作人员，请稍候…"));
    assert!(rig.shows("001"));
    assert!(rig.hub_gets("help_request", "ticket"));
}

#[test]
fn the_guide_links_a_service_to_its_queue_ticket_and_to_printing_here() {
    let mut rig = rig();
    rig.tap("请轻触屏幕开始");
    rig.tap("办事指南");
    rig.tap("企业开办");
    rig.tap("营业执照自助打印");
    assert!(rig.shows("在本机办理"));
    assert!(rig.shows("在本机打印"));
    rig.tap("排队取号");
    assert_eq!(screen(&rig.app), "ticket");
    assert!(rig.shows("001"));
    assert!(rig.shows("营业执照自助打印"));
    rig.wait_for_jobs(1);

    rig.tap("办理其他事项");
    rig.tap("办事指南");
    rig.tap("企业开办");
    rig.tap("营业执照自助打印");
    rig.tap("在本机打印");
    assert!(rig.shows("请放置证件"), "printing starts with the card");
}

#[test]
fn hub_down_during_a_journey_says_so_offers_call_staff_and_try_again_works_once_it_is_back() {
    let mut rig = rig();
    rig.tap("请轻触屏幕开始");
    rig.tap("办件查询");
    rig.tap("刷身份证查询");
    rig.place("resident");
    rig.parts.hub.pause();
    rig.tap("继续办理");
    assert!(rig.shows("网络暂时不通"));
    assert!(rig.shows("这项业务需要联网，请稍后再试。办事指南不需要联网，仍可使用。"));
    assert!(rig.shows("呼叫工作人员"));
    rig.parts.hub.resume().unwrap();
    rig.tap("再试一次");
    assert!(rig.shows(&format!(
        "您的办件（共 {} 件）",
        kiosk_proto::service::CaseState::ALL.len()
    )));
}

#[test]
fn a_rating_the_outbox_cannot_take_leaves_the_printed_document_recorded() {
    let mut rig = rig();
    rig.take_ticket();
    rig.wait_for_jobs(1);
    // Another writer holds the terminal's file longer than the outbox waits (5 s).
    let blocker = rusqlite::Connection::open(&rig.config.terminal.database).unwrap();
    blocker.execute_batch("BEGIN EXCLUSIVE").unwrap();
    rig.tap("非常不满意");
    assert!(rig.shows("请选择不满意的原因（可多选，也可不选）"));
    rig.tap("步骤太多");
    assert!(rig.shows("✓ 步骤太多"));
    rig.tap("提交评价");
    assert!(rig.shows("评价没有保存成功"));
    assert!(rig.shows("您办理的事项不受影响。可以稍后再评，或告诉工作人员。"));
    blocker.execute_batch("ROLLBACK").unwrap();
    let states: Vec<JobState> = rig.journal().into_iter().map(|(s, _)| s).collect();
    assert_eq!(states, vec![JobState::Printed], "the ticket stays recorded");
}

#[test]
fn a_queue_ticket_in_english_and_elder_mode() {
    let mut rig = rig();
    rig.tap("English");
    rig.tap("Touch the screen to start");
    rig.tap("Larger text");
    rig.tap("Queue ticket");
    assert!(rig.shows("Queue ticket: choose what you need"));
    rig.tap("Starting a business");
    rig.tap("Company registration");
    assert!(rig.shows("Your number"));
    assert!(rig.shows("0 people ahead of you"));
    assert!(rig.shows("Take your ticket and listen for your number"));
    assert!(rig.shows("How was this service? (optional)"));
    rig.tap("Fairly satisfied");
    assert!(rig.shows("Thank you for your rating"));
    rig.wait_for_jobs(1);
}

#[test]
fn each_screen_speaks_its_prompt_in_the_citizens_language_without_waiting_for_the_engine() {
    let dir = tempfile::tempdir().unwrap();
    let said = dir.path().join("said.txt");
    let engine = dir.path().join("tts");
    // A speech engine that takes its time: each prompt must still start at once, replacing the last.
    std::fs::write(
        &engine,
        format!("#!/bin/sh\necho \"$@\" >> {}\nsleep 5\n", said.display()),
    )
    .unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&engine, std::fs::Permissions::from_mode(0o755)).unwrap();
    let mut rig = rig_with(|config| {
        config.ui.voice = kiosk::config::VoiceMode::Auto;
        config.ui.voice_command = engine.display().to_string();
    });
    let lines = |n: usize| -> Vec<String> {
        let deadline = Instant::now() + Duration::from_secs(5);
        loop {
            let text = std::fs::read_to_string(&said).unwrap_or_default();
            let lines: Vec<String> = text.lines().map(str::to_string).collect();
            if lines.len() >= n || Instant::now() > deadline {
                return lines;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    };
    // Voice "auto": silent in standard mode.
    rig.tap("请轻触屏幕开始");
    std::thread::sleep(Duration::from_millis(300));
    assert!(lines(0).is_empty(), "nothing spoken in standard mode");
    // Elder mode turns it on: the home screen speaks, then each new screen.
    rig.tap("大字版");
    assert_eq!(lines(1), vec!["-v cmn 请选择要办理的事项。"]);
    rig.tap("取号");
    assert_eq!(lines(2)[1], "-v cmn 请选择要办理的事项取号。");
    rig.tap("English");
    assert_eq!(
        lines(3)[2],
        "-v en-us Choose what you need to take a number."
    );
}

#[test]
fn an_expired_card_in_a_journey_offers_call_staff() {
    let mut rig = rig();
    rig.tap("请轻触屏幕开始");
    rig.tap("证照打印");
    rig.parts.sim.place("expired").unwrap();
    rig.pump(|app| common::shows(app, "证件已过有效期"));
    assert!(rig.app.session().identity().is_none());
    rig.tap("呼叫工作人员");
    assert_eq!(screen(&rig.app), "card");
    assert!(rig.shows("正在呼叫远程工作人员，请稍候…"));
    assert!(rig.hub_gets("help_request", "Expired"));
    // The request names the screen and the problem, never the citizen.
    assert!(!rig
        .hub_events()
        .iter()
        .any(|(_, body)| body.contains("李娜") || body.contains("李*")));
}

#[test]
fn a_number_being_taken_is_seen_to_its_end_so_no_number_is_left_unheld() {
    let mut rig = rig();
    rig.tap("请轻触屏幕开始");
    rig.tap("取号");
    rig.tap("企业开办");
    // The tap that asks the hub, without running its call yet.
    let mut ui = common::simulator(&rig.app);
    ui.click("企业设立登记").unwrap();
    let messages: Vec<Message> = ui.into_messages().collect();
    let mut task = iced::Task::none();
    for message in messages {
        task = rig.app.update(message);
    }
    assert!(rig.shows("正在取号，请稍候…"));
    assert!(!rig.shows("首页"), "no way home while the number is taken");
    let _ = rig.app.update(Message::Bar(Bar::Home));
    let _ = rig.app.update(Message::Bar(Bar::Back));
    assert_eq!(screen(&rig.app), "ticket");
    run(&mut rig.app, task);
    assert!(rig.shows("001"));
    rig.wait_for_jobs(1);
}

#[test]
fn a_holder_who_took_the_card_away_places_it_again_before_printing_and_no_one_else_can() {
    let mut rig = rig();
    // Signed in from the attract screen; this path lets the card go.
    rig.place("resident");
    assert!(rig.shows("请取回您的证件，妥善保管。"));
    rig.tap("继续办理");
    rig.parts.sim.remove();
    rig.settle();
    assert_eq!(
        screen(&rig.app),
        "home",
        "the session goes on without the card"
    );

    // Printing asks for the card again: someone else's is refused.
    rig.tap("证照打印");
    assert!(rig.shows("请放置证件"));
    rig.parts.sim.place("resident-moved").unwrap();
    rig.pump(|app| common::shows(app, "这不是本次登录人的证件"));
    assert_eq!(rig.app.session().identity().unwrap().name, "张秀英");
    rig.parts.sim.remove();
    rig.settle();

    // The holder's own card: the welcome asks to keep it there, then the preview.
    rig.parts.sim.place("resident").unwrap();
    rig.pump(|app| common::shows(app, "请将证件留在读卡区，办理完成后再取走。"));
    rig.tap("继续办理");
    assert!(rig.shows("打印预览"));
    assert!(rig.parts.printer.jobs().is_empty());
}

/// The commonest incident at a hall terminal: the holder walks away and the card stays on the reader. The
/// attract screen says so (and the voice, every 20 s) until it is taken; the next citizen is never signed
/// in from it; the hub's fleet hears of it with the next beat.
#[test]
fn a_card_left_on_the_reader_is_said_until_taken_and_never_signs_the_next_citizen_in() {
    let mut rig = rig();
    // The holder walks away from the welcome: the session times out with the card on the reader.
    rig.leave_card_behind();
    assert_eq!(screen(&rig.app), "attract");
    let left = "⚠ 读卡区有遗留证件";
    assert!(rig.shows(left), "said on the resting screen");
    assert_eq!(
        rig.app.device_report()["card"],
        "left on the reader: take it to the desk"
    );
    // The next citizen: printing asks for a card, and the one left there signs no one in, even read
    // again by a reader that reconnected.
    rig.tap("请轻触屏幕开始");
    assert!(rig.shows(left), "said on every screen");
    rig.tap("证照打印");
    assert_eq!(screen(&rig.app), "card");
    let left_card = kiosk::device::reader::sim::demo_cards()
        .into_iter()
        .find(|c| c.label == "resident")
        .unwrap()
        .identity()
        .unwrap();
    for event in [
        kiosk::device::reader::ReaderEvent::CardPlaced,
        kiosk::device::reader::ReaderEvent::CardRead(Ok(Box::new(left_card))),
    ] {
        let task = rig.app.update(Message::Reader(event));
        run(&mut rig.app, task);
    }
    assert!(rig.app.session().identity().is_none(), "no one signed in");
    // Taken: the strip goes; the next card is read as usual.
    rig.parts.sim.remove();
    rig.pump(|app| !app.view_model().card_left);
    assert!(!rig.shows(left));
    assert_eq!(rig.app.device_report()["card"], "none left");
    rig.parts.sim.place("resident-moved").unwrap();
    rig.pump(|app| app.session().identity().is_some());
}
