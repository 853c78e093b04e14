//! Printing from the terminal's screens, through the real widgets (iced_test, tiny-skia), to the virtual
//! printer over real TCP, with the print journal in a real SQLite file: preview, progress, "take your
//! document", and every way a job ends badly.

use crate::common;

use common::{run, screen, shows, tap};
use kiosk::config::Config;
use kiosk::device::printer::status::{Paper, PrinterState};
use kiosk::device::printer::virtual_printer::VirtualPrinter;
use kiosk::device::{DeviceStatus, Reason};
use kiosk::domain::document::{sample, DocumentKind};
use kiosk::printing::journal::{JobState, Journal};
use kiosk::ui::{App, Bar, Message, Startup};

/// A terminal printing to a virtual printer, its journal in a temporary folder, on the licence preview.
struct Rig {
    app: App,
    printer: VirtualPrinter,
    dir: tempfile::TempDir,
}

fn rig() -> Rig {
    let printer = VirtualPrinter::start("127.0.0.1:0", None).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let mut config = Config::default();
    config.printer.uri = printer.uri();
    config.terminal.database = dir.path().join("kiosk.db");
    let mut app = App::new(Startup::new(Ok(config), true));
    tap(&mut app, "请轻触屏幕开始");
    app.open_print(sample(DocumentKind::Licence));
    Rig { app, printer, dir }
}

impl Rig {
    fn journal(&self) -> Vec<JobState> {
        Journal::open(&self.dir.path().join("kiosk.db"))
            .unwrap()
            .jobs()
            .unwrap()
            .iter()
            .map(|j| j.state)
            .collect()
    }
}

#[test]
fn printing_the_licence_goes_from_preview_to_take_your_document() {
    let mut rig = rig();
    let app = &mut rig.app;
    assert_eq!(screen(app), "print");
    assert!(shows(app, "打印预览"));
    assert!(shows(app, "营业执照信息（电子证照打印件）"));
    assert!(shows(app, "下面就是将要打印出来的样子，请核对后点击“打印”"));

    tap(app, "打印");
    assert!(shows(app, "打印完成，请取走您的材料"));
    assert!(shows(app, "出纸位置"));
    assert!(shows(app, "屏幕下方的出纸口"));
    let jobs = rig
        .printer
        .wait_for_jobs(1, std::time::Duration::from_secs(5));
    assert_eq!(jobs.len(), 1, "printed once");
    assert!(jobs[0].finished && !jobs[0].cut_short);
    assert!(jobs[0]
        .lines
        .iter()
        .any(|l| l.contains("苏州市姑苏区市场监督管理局")));
    assert_eq!(rig.journal(), vec![JobState::Printed]);

    tap(&mut rig.app, "结束办理");
    assert_eq!(screen(&rig.app), "attract");
}

#[test]
fn the_job_shows_its_progress_and_there_is_no_way_out_until_it_ends() {
    let mut rig = rig();
    let app = &mut rig.app;
    let mut ui = common::simulator(app);
    ui.click("打印").unwrap();
    let messages: Vec<Message> = ui.into_messages().collect();
    let mut task = iced::Task::none();
    for message in messages {
        task = app.update(message);
    }
    assert!(shows(app, "正在打印，请稍候"));
    assert!(shows(app, "… 检查打印机"));
    assert!(!shows(app, "首页"), "no home button while printing");
    let _ = app.update(Message::Bar(Bar::Home));
    let _ = app.update(Message::Bar(Bar::Back));
    assert_eq!(screen(app), "print", "still printing");
    run(app, task);
    assert!(shows(app, "打印完成，请取走您的材料"));
    assert!(shows(app, "首页"));
}

#[test]
fn paper_out_before_printing_says_nothing_printed_and_try_again_prints_once_paper_is_in() {
    let mut rig = rig();
    rig.printer.set_state(PrinterState {
        paper: Paper::Out,
        ..PrinterState::HEALTHY
    });
    tap(&mut rig.app, "打印");
    assert!(shows(&rig.app, "打印机缺纸"));
    assert!(shows(
        &rig.app,
        "没有打印任何内容。请联系工作人员加纸后再试，或到其他自助终端打印。"
    ));
    assert_eq!(
        rig.app.view_model().devices.printer,
        DeviceStatus::Fault(Reason::PaperOut),
        "the tiles know at once"
    );
    assert!(rig.printer.jobs().is_empty());

    rig.printer.set_state(PrinterState::HEALTHY);
    tap(&mut rig.app, "再试一次");
    assert!(shows(&rig.app, "打印预览"));
    tap(&mut rig.app, "打印");
    assert!(shows(&rig.app, "打印完成，请取走您的材料"));
    assert_eq!(rig.journal(), vec![JobState::Failed, JobState::Printed]);
}

#[test]
fn paper_out_mid_job_says_the_document_is_incomplete_and_leaves_it_to_staff() {
    let mut rig = rig();
    rig.printer.paper_runs_out_after(400);
    tap(&mut rig.app, "打印");
    assert!(shows(&rig.app, "打印中途缺纸"));
    assert!(shows(
        &rig.app,
        "您的材料没有完整打印出来。请把已打印出的部分交给工作人员：本次打印已记录，工作人员可以为您补打。"
    ));
    assert!(
        !shows(&rig.app, "再试一次"),
        "a job that put paper out is never simply repeated"
    );
    assert_eq!(rig.journal(), vec![JobState::Failed]);
}

#[test]
fn cover_open_and_offline_each_say_what_to_do_in_english_too() {
    let mut rig = rig();
    tap(&mut rig.app, "English");
    rig.printer.set_state(PrinterState {
        cover_open: true,
        ..PrinterState::HEALTHY
    });
    tap(&mut rig.app, "Print");
    assert!(shows(&rig.app, "The printer cover is open"));
    assert!(shows(
        &rig.app,
        "Nothing was printed. Ask staff to close the printer cover, then try again."
    ));
    rig.printer.set_state(PrinterState {
        online: false,
        ..PrinterState::HEALTHY
    });
    tap(&mut rig.app, "Try again");
    tap(&mut rig.app, "Print");
    assert!(shows(&rig.app, "The printer cannot print now"));
    assert!(rig.printer.jobs().is_empty());
}

#[test]
fn connection_dropped_mid_job_says_it_stopped_or_could_not_be_confirmed_and_is_not_retried() {
    let mut rig = rig();
    rig.printer.drop_connection_after(200);
    tap(&mut rig.app, "打印");
    // Whether the drop reaches the terminal while it writes (stopped part way) or while it waits for the
    // printer's word (not confirmed) depends on the kernel's buffers; both are said as they are.
    let journal = rig.journal();
    if shows(&rig.app, "打印中断") {
        assert_eq!(journal, vec![JobState::Failed]);
    } else {
        assert!(shows(&rig.app, "无法确认是否打印成功"));
        assert_eq!(journal, vec![JobState::Unknown]);
    }
    assert!(!shows(&rig.app, "再试一次"));
}

#[test]
fn a_printer_that_never_confirms_tells_the_citizen_to_check_the_slot_and_is_never_retried() {
    let mut rig = rig();
    rig.printer.hang_after(1);
    tap(&mut rig.app, "打印");
    assert!(shows(&rig.app, "无法确认是否打印成功"));
    assert!(shows(&rig.app, "屏幕下方的出纸口"));
    assert!(!shows(&rig.app, "再试一次"));
    assert_eq!(rig.journal(), vec![JobState::Unknown]);
}

#[test]
fn no_printer_answering_at_the_address_prints_nothing_and_says_so() {
    let mut rig = rig();
    let uri = rig.printer.uri();
    rig.printer = VirtualPrinter::start("127.0.0.1:0", None).unwrap();
    assert_ne!(uri, rig.printer.uri(), "the configured printer is gone");
    tap(&mut rig.app, "打印");
    assert!(shows(&rig.app, "打印机暂时无法使用"));
    assert!(shows(&rig.app, "再试一次"));
}

#[test]
fn a_journal_that_cannot_record_prints_nothing() {
    let printer = VirtualPrinter::start("127.0.0.1:0", None).unwrap();
    let mut config = Config::default();
    config.printer.uri = printer.uri();
    config.terminal.database = "/proc/no-such-dir/kiosk.db".into();
    let mut app = App::new(Startup::new(Ok(config), true));
    tap(&mut app, "请轻触屏幕开始");
    app.open_print(sample(DocumentKind::Receipt));
    tap(&mut app, "打印");
    assert!(shows(&app, "暂时无法打印"));
    std::thread::sleep(std::time::Duration::from_millis(200));
    assert!(
        printer.jobs().is_empty(),
        "never print what is not recorded"
    );
}

#[test]
fn the_document_stays_out_of_the_view_model() {
    let rig = rig();
    let vm = serde_json::to_string(rig.app.view_model()).unwrap();
    assert!(vm.contains("营业执照信息（电子证照打印件）"), "{vm}");
    assert!(
        !vm.contains("沧浪亭") && !vm.contains("ZWFW1."),
        "the fields and the code stay on the terminal: {vm}"
    );
}

#[test]
fn the_demo_panel_prints_a_sample_and_shows_the_last_page() {
    use kiosk::device::reader::sim::{demo_cards, SimControl};
    use kiosk::ui::demo::{DemoRig, Message as Demo};
    let printer = std::sync::Arc::new(VirtualPrinter::start("127.0.0.1:0", None).unwrap());
    let dir = tempfile::tempdir().unwrap();
    let mut config = Config::default();
    config.printer.uri = printer.uri();
    config.terminal.database = dir.path().join("kiosk.db");
    let mut startup = Startup::new(Ok(config), true);
    startup.demo = Some(DemoRig {
        reader: SimControl::new(demo_cards()),
        printer: printer.clone(),
        hub: None,
        camera: None,
        scanner: None,
    });
    let mut app = App::new(startup);
    assert!(shows(&app, "还没有打印"));
    let _ = app.update(Message::Demo(Demo::PrintSample(DocumentKind::Ticket)));
    assert_eq!(screen(&app), "print", "the sample opens on the terminal");
    tap(&mut app, "打印");
    assert!(shows(&app, "打印完成，请取走您的材料"));
    printer.wait_for_jobs(1, std::time::Duration::from_secs(5));
    let _ = app.update(Message::Tick(iced::time::Instant::now()));
    assert!(!shows(&app, "还没有打印"), "the last page is shown");
    assert!(shows(&app, "最近打印的一页"));
}
