//! The strings of the technicians' service mode, in zh-CN and en-US. Check details and fixes stay in the
//! words `kiosk doctor` prints (paths, error messages, commands), shown under these labels.

use std::borrow::Cow;

use super::{owned, pick};
use crate::device::{DeviceStatus, Reason};
use crate::domain::Lang;
use crate::maintenance::doctor::Level;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum S {
    Title,
    PinTitle,
    PinBody,
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

pub fn tr(lang: Lang, s: S) -> Cow<'static, str> {
    match s {
        S::Title => pick(lang, "维护模式", "Service mode"),
        S::PinTitle => pick(lang, "请输入维护密码", "Enter the service PIN"),
        S::PinBody => pick(lang, "仅限技术维护人员使用", "For technicians only"),
        S::PinWrong(left) => owned(
            lang,
            format!("密码错误，还可尝试 {left} 次"),
            format!("Wrong PIN. {left} tries left."),
        ),
        S::PinLocked(minutes) => owned(
            lang,
            format!("错误次数过多，已锁定。请 {minutes} 分钟后再试。"),
            format!("Too many wrong tries: locked. Try again in {minutes} min."),
        ),
        S::NoPin => pick(
            lang,
            "本机尚未设置维护密码。请在本机命令行运行 kiosk pin set。",
            "No service PIN is set on this terminal. Run kiosk pin set on its command line.",
        ),
        S::Enter => pick(lang, "确定", "OK"),
        S::Cancel => pick(lang, "取消", "Cancel"),
        S::Delete => pick(lang, "删除", "Delete"),
        S::Clear => pick(lang, "清空", "Clear"),
        S::Diagnostics => pick(lang, "设备诊断", "Diagnostics"),
        S::Settings => pick(lang, "参数设置", "Settings"),
        S::Availability => pick(lang, "服务状态", "Service status"),
        S::State => pick(lang, "状态", "Status"),
        S::Exit => pick(lang, "退出维护", "Leave service mode"),
        S::Reader => pick(lang, "身份证阅读器", "ID card reader"),
        S::Printer => pick(lang, "打印机", "Printer"),
        S::Hub => pick(lang, "中心服务器", "Hub"),
        S::SamId => pick(lang, "SAM 编号", "SAM id"),
        S::LastRead => pick(lang, "最近读卡", "Last read"),
        S::PaperWidth => pick(lang, "纸宽", "Paper"),
        S::LastJob => pick(lang, "最近打印", "Last job"),
        S::Outbox => pick(lang, "待上传记录", "Records waiting"),
        S::Versions => pick(lang, "版本", "Versions"),
        S::Log => pick(lang, "实时日志", "Live log"),
        S::TestRead => pick(lang, "测试读卡", "Test read"),
        S::TestReadWaiting => pick(
            lang,
            "请在阅读器上放一张身份证…",
            "Place an ID card on the reader…",
        ),
        S::TestReadOk(what) => owned(
            lang,
            format!("读卡成功（{what}）"),
            format!("Read OK ({what})"),
        ),
        S::TestReadFailed(why) => {
            owned(lang, format!("读卡失败：{why}"), format!("Not read: {why}"))
        }
        S::TestPrint => pick(lang, "打印测试页", "Print a test page"),
        S::TestPrinting => pick(lang, "正在打印测试页…", "Printing a test page…"),
        S::Printed => pick(lang, "测试页已打印", "The test page printed"),
        S::NotPrinted(why) => owned(
            lang,
            format!("测试页未打印：{why}"),
            format!("The test page did not print: {why}"),
        ),
        S::CheckAgain => pick(lang, "重新检查", "Check again"),
        S::Checking => pick(lang, "正在检查…", "Checking…"),
        S::Level(level) => match level {
            Level::Ok => pick(lang, "正常", "OK"),
            Level::Warn => pick(lang, "注意", "Warning"),
            Level::Fail => pick(lang, "故障", "Fault"),
        },
        S::Check(name) => match name.as_str() {
            "config" => pick(lang, "配置文件", "Configuration"),
            "reader" => pick(lang, "身份证阅读器", "ID card reader"),
            "printer" => pick(lang, "打印机", "Printer"),
            "hub" => pick(lang, "中心服务器", "Hub"),
            "clock" => pick(lang, "时钟", "Clock"),
            "database" => pick(lang, "本机数据库", "Database"),
            "disk" => pick(lang, "磁盘空间", "Disk space"),
            "font" => pick(lang, "字体", "Font"),
            _ => Cow::Owned(name),
        },
        S::Status(status) => status_words(lang, status),
        S::ReaderPort => pick(lang, "阅读器串口", "Reader port"),
        S::Baud => pick(lang, "波特率", "Baud rate"),
        S::PrinterUri => pick(lang, "打印机地址", "Printer address"),
        S::HubUrl => pick(lang, "中心服务器地址", "Hub URL"),
        S::Code => pick(lang, "注册码", "Enrolment code"),
        S::Enrol => pick(lang, "注册本机", "Enrol"),
        S::Enrolled(hall) => owned(
            lang,
            format!("已注册到 {hall}"),
            format!("Enrolled in {hall}"),
        ),
        S::EnrolFailed(why) => owned(
            lang,
            format!("注册失败：{why}"),
            format!("Not enrolled: {why}"),
        ),
        S::HallZh => pick(lang, "大厅名称（中文）", "Hall name (Chinese)"),
        S::HallEn => pick(lang, "大厅名称（英文）", "Hall name (English)"),
        S::Idle => pick(
            lang,
            "无操作多久后提示（秒）",
            "Idle before the countdown (s)",
        ),
        S::Countdown => pick(lang, "倒计时（秒）", "Countdown (s)"),
        S::ScreenSize => pick(lang, "屏幕分辨率", "Screen resolution"),
        S::Save => pick(lang, "保存设置", "Save settings"),
        S::Saved(n, backup) => owned(
            lang,
            format!("已保存 {n} 项更改；原配置文件备份为 {backup}"),
            format!("Saved {n} changes; the previous file is kept as {backup}"),
        ),
        S::NothingChanged => pick(lang, "没有更改", "Nothing changed"),
        S::NotSaved(why) => owned(lang, format!("未保存：{why}"), format!("Not saved: {why}")),
        S::AtNextStart => pick(
            lang,
            "屏幕分辨率在下次启动后生效",
            "The screen resolution applies at the next start",
        ),
        S::Keyboard => pick(
            lang,
            "文本框请用外接 USB 键盘输入",
            "Type into the text boxes with a USB keyboard",
        ),
        S::OosBody => pick(
            lang,
            "暂停服务时，市民只能看到下面的提示，无法办理业务。",
            "While out of service, citizens see only this message and cannot start anything.",
        ),
        S::OosZh => pick(lang, "提示（中文）", "Message (Chinese)"),
        S::OosEn => pick(lang, "提示（英文）", "Message (English)"),
        S::TakeOut => pick(lang, "暂停服务", "Take out of service"),
        S::PutBack => pick(lang, "恢复服务", "Return to service"),
        S::OosOn => pick(
            lang,
            "本机现在暂停服务",
            "This terminal is out of service now",
        ),
        S::OosOff => pick(lang, "本机正常服务中", "This terminal is in service"),
        S::None => pick(lang, "无", "none"),
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
