//! Service mode's presets for `kiosk shot`: the PIN pad, the lock, each tab, and the out-of-service screen a
//! technician's switch gives citizens. The checks and log lines are samples of what a terminal with a
//! printer out of paper and a slow hub shows.

use crate::device::{DeviceBoard, DeviceStatus, Reason};
use crate::maintenance::doctor::Check;
use crate::ui::screen::maintenance::{Message as S, PinNote, Tab};
use crate::ui::{App, Message};

pub const PRESETS: &[(&str, &str)] = &[
    (
        "service-pin",
        "service mode: the PIN pad, three digits typed",
    ),
    (
        "service-locked",
        "service mode: the PIN pad locked after five wrong tries",
    ),
    (
        "service-technician",
        "service mode with accounts the hub issued: the staff number, 0301 typed",
    ),
    (
        "service-technician-pin",
        "service mode with accounts the hub issued: 0301's PIN, three digits typed",
    ),
    (
        "service-diagnostics",
        "service mode: devices (printer out of paper), checks and the live log",
    ),
    (
        "service-settings",
        "service mode: settings of this terminal",
    ),
    (
        "service-availability",
        "service mode: the out-of-service switch and its message",
    ),
    (
        "out-of-service-switched",
        "what citizens see while a technician has the terminal out of service",
    ),
];

pub fn steps(app: &mut App, name: &str) {
    app.set_devices(DeviceBoard {
        reader: DeviceStatus::Ready,
        printer: DeviceStatus::Fault(Reason::PaperOut),
        hub: DeviceStatus::Ready,
        camera: DeviceStatus::Ready,
        scanner: DeviceStatus::Disabled(Reason::NotConfigured),
    });
    match name {
        "service-technician" | "service-technician-pin" => {
            app.open_pin();
            app.ask_technician_number();
            let typed: &[char] = if name == "service-technician" {
                &['0', '3', '0', '1']
            } else {
                for digit in ['0', '3', '0', '1'] {
                    let _ = app.update(Message::Maintenance(S::Digit(digit)));
                }
                let _ = app.update(Message::Maintenance(S::Enter));
                &['2', '4', '6']
            };
            for digit in typed {
                let _ = app.update(Message::Maintenance(S::Digit(*digit)));
            }
            return;
        }
        "service-pin" | "service-locked" => {
            app.open_pin();
            for digit in ['2', '5', '8'] {
                let _ = app.update(Message::Maintenance(S::Digit(digit)));
            }
            if name == "service-locked" {
                app.set_pin_note(PinNote::Locked(5));
            }
            return;
        }
        _ => {}
    }
    let _ = app.open_panel();
    // The sample's own log, not this process's (which has timestamps of its own).
    app.service_sample_facts(
        [
            "09:29:41 INFO  kiosk::terminal: session started session=41",
            "09:29:58 INFO  kiosk::printing::job: job 311 printed document=SZ-YYZZ-0001",
            "09:30:02 WARN  kiosk::device::printer::watch: printer status changed status=fault: paper out",
            "09:30:05 INFO  kiosk::terminal: session ended session=41",
        ]
        .map(String::from)
        .to_vec(),
    );
    let _ = app.update(Message::Maintenance(S::Checked(vec![
        Check::ok("config", "/etc/kiosk/kiosk.toml loads and checks"),
        Check::ok("hub", "https://hub.szzwfw.example answers in 38 ms"),
        Check::warn(
            "clock",
            "47 s ahead of the hub's",
            "turn on time sync (timedatectl set-ntp true) or set the clock",
        ),
        Check::ok(
            "database",
            "3 records waiting for the hub; 0 print jobs of unknown outcome",
        ),
        Check::ok("disk", "41236 MB free at /var/lib/kiosk"),
        Check::ok("font", "Noto Sans CJK SC (regular and bold) draws Chinese"),
    ])));
    match name {
        "service-settings" => {
            let _ = app.update(Message::Maintenance(S::Tab(Tab::Settings)));
        }
        "service-availability" | "out-of-service-switched" => {
            let _ = app.update(Message::Maintenance(S::Tab(Tab::Availability)));
            if name == "out-of-service-switched" {
                let _ = app.update(Message::Maintenance(S::ToggleService));
                let _ = app.update(Message::Maintenance(S::Exit));
            }
        }
        _ => {}
    }
}
