//! Printing to the virtual printer over real TCP and over a real pty pair (the serial line a USB printer
//! shows up as): each test is a scenario from the hall, run on both lines where the line matters.

use std::time::Duration;

use kiosk::device::printer::encode::render;
use kiosk::device::printer::status::{Paper, PrinterState};
use kiosk::device::printer::transport::{print_job, JobError, JobOutcome, Target, TransportError};
use kiosk::device::printer::virtual_printer::VirtualPrinter;
use kiosk::device::printer::Profile;
use kiosk::device::{DeviceStatus, Reason};
use kiosk::domain::document::{sample, sample_licence, Block, DocumentKind};
use kiosk::domain::verify::{demo_key, Voucher};
use kiosk::printing::job::print_recorded;
use kiosk::printing::journal::{JobState, Journal};

const PATIENCE: Duration = Duration::from_secs(5);

fn printer() -> (VirtualPrinter, Target) {
    let printer = VirtualPrinter::start("127.0.0.1:0", None).unwrap();
    let target = Target::parse(&printer.uri()).unwrap();
    (printer, target)
}

/// The same printer on a network socket and on a serial line (pty), for scenarios that run on both.
fn on_both_lines(scenario: impl Fn(&VirtualPrinter, &Target)) {
    for printer in [
        VirtualPrinter::start("127.0.0.1:0", None).unwrap(),
        VirtualPrinter::pty(None).unwrap(),
    ] {
        let target = Target::parse(&printer.uri()).unwrap();
        eprintln!("on {target}");
        scenario(&printer, &target);
    }
}

fn receipt(profile: &Profile) -> Vec<u8> {
    render(&sample(DocumentKind::Receipt), profile).unwrap()
}

fn squeeze(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

#[test]
fn every_sample_prints_on_both_profiles_and_its_text_comes_out() {
    on_both_lines(|printer, target| {
        let mut expected_jobs = 0;
        for kind in [
            DocumentKind::Licence,
            DocumentKind::Receipt,
            DocumentKind::Ticket,
        ] {
            for profile in [Profile::MM58, Profile::MM80] {
                let document = sample(kind);
                let bytes = render(&document, &profile).unwrap();
                assert_eq!(print_job(target, &bytes).unwrap(), JobOutcome::Printed);
                expected_jobs += 1;
                let jobs = printer.wait_for_jobs(expected_jobs, PATIENCE);
                assert_eq!(jobs.len(), expected_jobs);
                let job = jobs.last().unwrap();
                assert_eq!(job.bytes, bytes, "the printer got exactly the job");
                assert!(job.finished && !job.cut_short);
                let paper = squeeze(&job.lines.join(""));
                for block in &document.blocks {
                    let text = match block {
                        Block::Title { text, .. }
                        | Block::Text { text, .. }
                        | Block::Validity { text, .. } => text,
                        _ => continue,
                    };
                    assert!(
                        paper.contains(&squeeze(text)),
                        "{text:?} missing from {paper}"
                    );
                }
            }
        }
    });
}

#[test]
fn paper_out_before_a_job_is_refused_and_nothing_is_sent() {
    on_both_lines(|printer, target| {
        printer.set_state(PrinterState {
            paper: Paper::Out,
            ..PrinterState::HEALTHY
        });
        match print_job(target, &receipt(&Profile::MM80)) {
            Err(JobError::Refused(state)) => {
                assert_eq!(state.device_status(), DeviceStatus::Fault(Reason::PaperOut))
            }
            other => panic!("expected a refusal, got {other:?}"),
        }
        assert!(printer.jobs().is_empty());
    });
}

#[test]
fn paper_out_mid_job_fails_the_job_and_never_reports_it_printed() {
    on_both_lines(|printer, target| {
        printer.paper_runs_out_after(300);
        match print_job(target, &receipt(&Profile::MM58)) {
            Err(JobError::Failed(state)) => assert_eq!(state.paper, Paper::Out),
            other => panic!("expected a failed job, got {other:?}"),
        }
        let job = &printer.wait_for_jobs(1, PATIENCE)[0];
        assert!(job.cut_short && !job.finished);
    });
}

#[test]
fn cover_open_is_refused_with_its_reason() {
    on_both_lines(|printer, target| {
        printer.set_state(PrinterState {
            cover_open: true,
            ..PrinterState::HEALTHY
        });
        match print_job(target, &receipt(&Profile::MM80)) {
            Err(JobError::Refused(state)) => {
                assert_eq!(
                    state.device_status(),
                    DeviceStatus::Fault(Reason::CoverOpen)
                )
            }
            other => panic!("expected a refusal, got {other:?}"),
        }
    });
}

#[test]
fn printer_offline_is_refused() {
    on_both_lines(|printer, target| {
        printer.set_state(PrinterState {
            online: false,
            ..PrinterState::HEALTHY
        });
        assert!(matches!(
            print_job(target, &receipt(&Profile::MM80)),
            Err(JobError::Refused(_))
        ));
    });
}

#[test]
fn paper_near_end_still_prints() {
    on_both_lines(|printer, target| {
        printer.set_state(PrinterState {
            paper: Paper::NearEnd,
            ..PrinterState::HEALTHY
        });
        assert_eq!(
            print_job(target, &receipt(&Profile::MM80)).unwrap(),
            JobOutcome::Printed
        );
    });
}

#[test]
fn connection_dropped_mid_job_is_a_failure_not_printed() {
    on_both_lines(|printer, target| {
        printer.drop_connection_after(200);
        let bytes = render(&sample(DocumentKind::Licence), &Profile::MM80).unwrap();
        match print_job(target, &bytes) {
            Err(JobError::Transport(
                TransportError::Dropped { .. } | TransportError::NoStatus(_),
            )) => {}
            other => panic!("expected a dropped connection, got {other:?}"),
        }
        assert!(printer.wait_for_jobs(1, PATIENCE)[0].cut_short);
    });
}

#[test]
fn no_printer_at_the_address_says_where_it_looked() {
    let (printer, target) = printer();
    drop(printer);
    let error = print_job(&target, b"x").unwrap_err();
    assert!(error.to_string().contains(&target.to_string()), "{error}");
}

/// The text of every QR code rqrr finds on the paper.
fn qr_payloads(paper: &kiosk::device::printer::paper::Paper) -> Vec<String> {
    let mut image = rqrr::PreparedImage::prepare_from_greyscale(
        paper.width as usize,
        paper.height as usize,
        |x, y| paper.get(x as u32, y as u32),
    );
    image
        .detect_grids()
        .into_iter()
        .filter_map(|grid| grid.decode().ok().map(|(_, text)| text))
        .collect()
}

#[test]
fn the_licence_qr_on_paper_decodes_verifies_and_a_changed_byte_is_rejected() {
    let key = demo_key().verifying_key();
    for profile in [
        Profile::MM58,
        Profile::MM80,
        Profile {
            native_qr: false,
            ..Profile::MM80
        },
    ] {
        let bytes = render(&sample(DocumentKind::Licence), &profile).unwrap();
        let paper = kiosk::device::printer::paper::render(&bytes, profile.dots);
        assert_eq!(paper.width, u32::from(profile.dots));
        let found = qr_payloads(&paper);
        assert_eq!(found.len(), 1, "{}: one QR on the licence", profile.name);
        assert_eq!(found[0], sample_licence().verification, "{}", profile.name);
        let voucher = Voucher::verify(&found[0], &key).unwrap();
        assert_eq!(voucher.issuer, "苏州市姑苏区市场监督管理局");
        assert!(voucher
            .fields
            .iter()
            .any(|(k, v)| k == "统一社会信用代码" && v == "91320508MA27XK3Q5B"));
        let mut changed = found[0].clone().into_bytes();
        let at = changed.len() / 3;
        changed[at] = if changed[at] == b'x' { b'y' } else { b'x' };
        assert!(Voucher::verify(&String::from_utf8(changed).unwrap(), &key).is_err());
    }
}

#[test]
fn the_virtual_printer_writes_each_job_as_bytes_listing_and_png() {
    let dir = tempfile::tempdir().unwrap();
    let printer = VirtualPrinter::start("127.0.0.1:0", Some(dir.path().to_path_buf())).unwrap();
    let target = Target::parse(&printer.uri()).unwrap();
    let bytes = render(&sample(DocumentKind::Ticket), &Profile::MM80).unwrap();
    print_job(&target, &bytes).unwrap();
    printer.wait_for_jobs(1, PATIENCE);
    for file in ["job-001.bin", "job-001.txt", "job-001.png"] {
        assert!(dir.path().join(file).exists(), "{file}");
    }
    assert_eq!(
        std::fs::read(dir.path().join("job-001.bin")).unwrap(),
        bytes
    );
}

/// Prints the receipt sample through the journal at `dir`, returning the job's recorded state.
fn journaled(printer: &VirtualPrinter, journal: &Journal) -> kiosk::printing::job::Recorded {
    let target = Target::parse(&printer.uri()).unwrap();
    let document = sample(DocumentKind::Receipt);
    let bytes = render(&document, &Profile::MM80).unwrap();
    print_recorded(journal, &target, &document, &bytes, Some("claim-1")).unwrap()
}

#[test]
fn the_journal_records_printed_refused_and_failed_jobs() {
    on_both_lines(|printer, _| {
        let dir = tempfile::tempdir().unwrap();
        let journal = Journal::open(&dir.path().join("kiosk.db")).unwrap();

        assert_eq!(journaled(printer, &journal).state, JobState::Printed);

        printer.command("paper out").unwrap();
        let refused = journaled(printer, &journal);
        assert_eq!(refused.state, JobState::Failed);
        printer.command("paper ok").unwrap();

        printer.paper_runs_out_after(300);
        assert_eq!(journaled(printer, &journal).state, JobState::Failed);

        let jobs = journal.jobs().unwrap();
        assert_eq!(
            jobs.iter().map(|j| j.state).collect::<Vec<_>>(),
            vec![JobState::Printed, JobState::Failed, JobState::Failed]
        );
        assert!(
            jobs[1].detail.as_deref().unwrap().contains("paper out"),
            "{:?}",
            jobs[1]
        );
        assert_eq!(jobs[0].claim.as_deref(), Some("claim-1"));
    });
}

#[test]
fn a_printer_that_stops_answering_after_the_job_leaves_it_unknown_never_printed() {
    let dir = tempfile::tempdir().unwrap();
    let journal = Journal::open(&dir.path().join("kiosk.db")).unwrap();
    let (printer, _) = printer();
    printer.hang_after(1);
    let recorded = journaled(&printer, &journal);
    assert_eq!(recorded.state, JobState::Unknown);
    assert!(recorded.result.is_err());
}

#[test]
fn the_printer_status_reaches_the_tiles_as_it_changes() {
    use kiosk::device::printer::watch::PrinterThread;
    let (printer, target) = printer();
    let (tx, rx) = std::sync::mpsc::channel();
    let _thread = PrinterThread::spawn(target, Duration::from_millis(50), move |s| {
        tx.send(s).is_ok()
    });
    let next = || rx.recv_timeout(PATIENCE).unwrap();
    assert_eq!(next(), DeviceStatus::Ready);
    printer.command("paper out").unwrap();
    assert_eq!(next(), DeviceStatus::Fault(Reason::PaperOut));
    printer.command("paper near").unwrap();
    assert_eq!(next(), DeviceStatus::Warning(Reason::PaperLow));
    drop(printer);
    assert_eq!(next(), DeviceStatus::Fault(Reason::NotConnected));
}

#[test]
fn barcodes_on_paper_decode_with_a_real_barcode_reader() {
    // zbarimg (Debian's zbar-tools, installed by .ci/run) stands for the scanner at the counter.
    let dir = tempfile::tempdir().unwrap();
    let document = kiosk::domain::document::Document::from_json(
        r#"{"id": "b", "kind": "receipt", "title": "b", "blocks": [
            {"type": "barcode", "symbology": "code128", "data": "SZ2026112300012"},
            {"type": "barcode", "symbology": "ean13", "data": "4006381333931"},
            {"type": "barcode", "symbology": "code39", "data": "CASE-0012"}]}"#,
    )
    .unwrap();
    for profile in [Profile::MM58, Profile::MM80] {
        let bytes = render(&document, &profile).unwrap();
        let png = dir.path().join(format!("{}.png", profile.dots));
        std::fs::write(
            &png,
            kiosk::device::printer::paper::render(&bytes, profile.dots).png(),
        )
        .unwrap();
        let out = std::process::Command::new("zbarimg")
            .args(["--quiet", "--raw"])
            .arg(&png)
            .output()
            .expect("zbarimg runs (apt-get install zbar-tools)");
        let found = String::from_utf8_lossy(&out.stdout);
        let mut found: Vec<&str> = found.lines().collect();
        found.sort();
        assert_eq!(
            found,
            vec!["4006381333931", "CASE-0012", "SZ2026112300012"],
            "on {} dots",
            profile.dots
        );
    }
}
