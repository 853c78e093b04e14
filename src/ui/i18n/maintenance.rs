//! The strings of the technicians' service mode, in zh-CN and en-US. Check details and fixes stay in the
//! words `kiosk doctor` prints (paths, error messages, commands), shown under these labels.

use std::borrow::Cow;

use super::{owned, pick};
use crate::device::{DeviceStatus, Reason};
use crate::domain::Lang;
use crate::maintenance::doctor::Level;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MaintenanceWords {
    Title,
    PinTitle,
    PinBody,
    /// The hub issued technicians' accounts: the staff number first.
    NumberTitle,
    /// Whose PIN is asked.
    PinFor(String),
    /// The kept list of accounts does not open with the hub's keys.
    ListBroken,
    PinWrong(u32),
    PinLocked(u32),
    NoPin,
    Enter,
    Cancel,
    Delete,
    Clear,
    Diagnostics,
    Settings,
    Availability,
    Exit,
    State,
    Reader,
    Printer,
    Hub,
    Camera,
    Scanner,
    SamId,
    LastRead,
    PaperWidth,
    LastJob,
    Outbox,
    Versions,
    Log,
    TestRead,
    TestReadWaiting,
    TestReadOk(String),
    TestReadFailed(String),
    TestPrint,
    TestPrinting,
    Printed,
    NotPrinted(String),
    CheckAgain,
    Checking,
    Level(Level),
    Check(String),
    Status(DeviceStatus),
    ReaderPort,
    Baud,
    PrinterUri,
    HubUrl,
    Code,
    Enrol,
    Enrolled(String),
    EnrolFailed(String),
    HallZh,
    HallEn,
    Idle,
    Countdown,
    ScreenSize,
    Save,
    DoneTyping,
    Saved(usize, String),
    NothingChanged,
    NotSaved(String),
    AtNextStart,
    Keyboard,
    OosBody,
    OosZh,
    OosEn,
    TakeOut,
    PutBack,
    OosOn,
    OosOff,
    None,
}

/// What citizens are told while a technician has the terminal out of service, unless they write otherwise.
pub const OOS_ZH: &str = "本机暂停服务，请到人工窗口办理。给您带来不便，敬请谅解。";
pub const OOS_EN: &str =
    "This terminal is out of service. Please go to a staffed counter. We are sorry for the trouble.";

pub fn tr(lang: Lang, s: MaintenanceWords) -> Cow<'static, str> {
    match s {
        MaintenanceWords::Title => pick(lang, "维护模式", "Service mode"),
        MaintenanceWords::PinTitle => pick(lang, "请输入维护密码", "Enter the service PIN"),
        MaintenanceWords::PinBody => pick(lang, "仅限技术维护人员使用", "For technicians only"),
        MaintenanceWords::NumberTitle => pick(lang, "请输入您的工号", "Enter your staff number"),
        MaintenanceWords::PinFor(number) => owned(
            lang,
            format!("工号 {number}：请输入您的维护密码"),
            format!("Staff no. {number}: enter your service PIN"),
        ),
        MaintenanceWords::ListBroken => pick(
            lang,
            "本机保存的维护人员名单无法验证，请联系运维人员重新下发设置。",
            "The list of technicians kept here does not verify: ask the operators to publish the settings again.",
        ),
        MaintenanceWords::PinWrong(left) => owned(
            lang,
            format!("密码错误，还可尝试 {left} 次"),
            format!("Wrong PIN. {left} tries left."),
        ),
        MaintenanceWords::PinLocked(minutes) => owned(
            lang,
            format!("错误次数过多，已锁定。请 {minutes} 分钟后再试。"),
            format!("Too many wrong tries: locked. Try again in {minutes} min."),
        ),
        MaintenanceWords::NoPin => pick(
            lang,
            "本机尚未设置维护密码。请在本机命令行运行 kiosk pin set。",
            "No service PIN is set on this terminal. Run kiosk pin set on its command line.",
        ),
        MaintenanceWords::Enter => pick(lang, "确定", "OK"),
        MaintenanceWords::Cancel => pick(lang, "取消", "Cancel"),
        MaintenanceWords::Delete => pick(lang, "删除", "Delete"),
        MaintenanceWords::Clear => pick(lang, "清空", "Clear"),
        MaintenanceWords::Diagnostics => pick(lang, "设备诊断", "Diagnostics"),
        MaintenanceWords::Settings => pick(lang, "参数设置", "Settings"),
        MaintenanceWords::Availability => pick(lang, "服务状态", "Service status"),
        MaintenanceWords::State => pick(lang, "状态", "Status"),
        MaintenanceWords::Exit => pick(lang, "退出维护", "Leave service mode"),
        MaintenanceWords::Reader => pick(lang, "身份证阅读器", "ID card reader"),
        MaintenanceWords::Printer => pick(lang, "打印机", "Printer"),
        MaintenanceWords::Hub => pick(lang, "中心服务器", "Hub"),
        MaintenanceWords::Camera => pick(lang, "高拍仪", "Document camera"),
        MaintenanceWords::Scanner => pick(lang, "扫码器", "Code scanner"),
        MaintenanceWords::SamId => pick(lang, "SAM 编号", "SAM id"),
        MaintenanceWords::LastRead => pick(lang, "最近读卡", "Last read"),
        MaintenanceWords::PaperWidth => pick(lang, "纸宽", "Paper"),
        MaintenanceWords::LastJob => pick(lang, "最近打印", "Last job"),
        MaintenanceWords::Outbox => pick(lang, "待上传记录", "Records waiting"),
        MaintenanceWords::Versions => pick(lang, "版本", "Versions"),
        MaintenanceWords::Log => pick(lang, "实时日志", "Live log"),
        MaintenanceWords::TestRead => pick(lang, "测试读卡", "Test read"),
        MaintenanceWords::TestReadWaiting => pick(
            lang,
            "请在阅读器上放一张身份证…",
            "Place an ID card on the reader…",
        ),
        MaintenanceWords::TestReadOk(what) => owned(
            lang,
            format!("读卡成功（{what}）"),
            format!("Read OK ({what})"),
        ),
        MaintenanceWords::TestReadFailed(why) => {
            owned(lang, format!("读卡失败：{why}"), format!("Not read: {why}"))
        }
        MaintenanceWords::TestPrint => pick(lang, "打印测试页", "Print a test page"),
        MaintenanceWords::TestPrinting => pick(lang, "正在打印测试页…", "Printing a test page…"),
        MaintenanceWords::Printed => pick(lang, "测试页已打印", "The test page printed"),
        MaintenanceWords::NotPrinted(why) => owned(
            lang,
            format!("测试页未打印：{why}"),
            format!("The test page did not print: {why}"),
        ),
        MaintenanceWords::CheckAgain => pick(lang, "重新检查", "Check again"),
        MaintenanceWords::Checking => pick(lang, "正在检查…", "Checking…"),
        MaintenanceWords::Level(level) => match level {
            Level::Ok => pick(lang, "正常", "OK"),
            Level::Warn => pick(lang, "注意", "Warning"),
            Level::Fail => pick(lang, "故障", "Fault"),
        },
        MaintenanceWords::Check(name) => match name.as_str() {
            "config" => pick(lang, "配置文件", "Configuration"),
            "reader" => pick(lang, "身份证阅读器", "ID card reader"),
            "printer" => pick(lang, "打印机", "Printer"),
            "hub" => pick(lang, "中心服务器", "Hub"),
            "clock" => pick(lang, "时钟", "Clock"),
            "database" => pick(lang, "本机数据库", "Database"),
            "disk" => pick(lang, "磁盘空间", "Disk space"),
            "font" => pick(lang, "字体", "Font"),
            "pinyin" => pick(lang, "拼音输入", "Pinyin"),
            "handwriting" => pick(lang, "手写输入", "Handwriting"),
            _ => Cow::Owned(name),
        },
        MaintenanceWords::Status(status) => status_words(lang, status),
        MaintenanceWords::ReaderPort => pick(lang, "阅读器串口", "Reader port"),
        MaintenanceWords::Baud => pick(lang, "波特率", "Baud rate"),
        MaintenanceWords::PrinterUri => pick(lang, "打印机地址", "Printer address"),
        MaintenanceWords::HubUrl => pick(lang, "中心服务器地址", "Hub URL"),
        MaintenanceWords::Code => pick(lang, "注册码", "Enrolment code"),
        MaintenanceWords::Enrol => pick(lang, "注册本机", "Enrol"),
        MaintenanceWords::Enrolled(hall) => owned(
            lang,
            format!("已注册到 {hall}"),
            format!("Enrolled in {hall}"),
        ),
        MaintenanceWords::EnrolFailed(why) => owned(
            lang,
            format!("注册失败：{why}"),
            format!("Not enrolled: {why}"),
        ),
        MaintenanceWords::HallZh => pick(lang, "大厅名称（中文）", "Hall name (Chinese)"),
        MaintenanceWords::HallEn => pick(lang, "大厅名称（英文）", "Hall name (English)"),
        MaintenanceWords::Idle => pick(
            lang,
            "无操作多久后提示（秒）",
            "Idle before the countdown (s)",
        ),
        MaintenanceWords::Countdown => pick(lang, "倒计时（秒）", "Countdown (s)"),
        MaintenanceWords::ScreenSize => pick(lang, "屏幕分辨率", "Screen resolution"),
        MaintenanceWords::DoneTyping => pick(lang, "输入完成", "Done"),
        MaintenanceWords::Save => pick(lang, "保存设置", "Save settings"),
        MaintenanceWords::Saved(n, backup) => owned(
            lang,
            format!("已保存 {n} 项更改；原配置文件备份为 {backup}"),
            format!("Saved {n} changes; the previous file is kept as {backup}"),
        ),
        MaintenanceWords::NothingChanged => pick(lang, "没有更改", "Nothing changed"),
        MaintenanceWords::NotSaved(why) => {
            owned(lang, format!("未保存：{why}"), format!("Not saved: {why}"))
        }
        MaintenanceWords::AtNextStart => pick(
            lang,
            "屏幕分辨率在下次启动后生效",
            "The screen resolution applies at the next start",
        ),
        MaintenanceWords::Keyboard => pick(
            lang,
            "轻触文本框，用屏幕键盘输入（也可接 USB 键盘）",
            "Tap a text box to type on the screen's keyboard (a USB keyboard works too)",
        ),
        MaintenanceWords::OosBody => pick(
            lang,
            "暂停服务时，市民只能看到下面的提示，无法办理业务。",
            "While out of service, citizens see only this message and cannot start anything.",
        ),
        MaintenanceWords::OosZh => pick(lang, "提示（中文）", "Message (Chinese)"),
        MaintenanceWords::OosEn => pick(lang, "提示（英文）", "Message (English)"),
        MaintenanceWords::TakeOut => pick(lang, "暂停服务", "Take out of service"),
        MaintenanceWords::PutBack => pick(lang, "恢复服务", "Return to service"),
        MaintenanceWords::OosOn => pick(
            lang,
            "本机现在暂停服务",
            "This terminal is out of service now",
        ),
        MaintenanceWords::OosOff => pick(lang, "本机正常服务中", "This terminal is in service"),
        MaintenanceWords::None => pick(lang, "无", "none"),
    }
}

/// A device's state in a technician's words (the English ones are those of the fleet listing).
fn status_words(lang: Lang, status: DeviceStatus) -> Cow<'static, str> {
    if lang == Lang::En {
        return Cow::Owned(crate::device::describe(status));
    }
    let reason = |r: Reason| match r {
        Reason::NotConfigured => "未配置",
        Reason::NoDriver => "无驱动",
        Reason::NotConnected => "未连接",
        Reason::PaperLow => "纸将用完",
        Reason::PaperOut => "缺纸",
        Reason::CoverOpen => "盖未关",
        Reason::Offline => "离线",
        Reason::DeviceError => "设备故障",
        Reason::NoResponse => "无响应",
    };
    Cow::Owned(match status {
        DeviceStatus::Unknown => "启动中".to_string(),
        DeviceStatus::Ready => "就绪".into(),
        DeviceStatus::Busy => "忙".into(),
        DeviceStatus::Warning(r) => format!("注意：{}", reason(r)),
        DeviceStatus::Fault(r) => format!("故障：{}", reason(r)),
        DeviceStatus::Disabled(r) => format!("已关闭：{}", reason(r)),
    })
}
