//! Every user-visible string of the terminal, in zh-CN and en-US. One `match` arm per string, each giving
//! both languages, so a string missing a language does not compile.

use std::borrow::Cow;

use chrono::{Datelike, NaiveDateTime, Timelike, Weekday};

use crate::device::{Device, DeviceStatus, Reason};
use crate::domain::document::DocumentKind;
use crate::domain::identity::{CardDate, CardType};
use crate::domain::Lang;

pub mod apply;
pub mod assist;
pub mod enterprise;
pub mod entry;
pub mod journey;
pub mod maintenance;
pub mod signin;
pub use apply::{ApplyPrompt, ApplyWords, Part};
pub use assist::AssistWords;
pub use enterprise::EnterpriseWords;
pub use entry::EntryWords;
pub use journey::{JourneyWords, Prompt};
pub use signin::SignInWords;

/// A string the terminal shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Words {
    /// The button that switches language: names the other language in that language.
    SwitchLanguage,
    /// The top bar's discreet connection state (with a symbol, never colour alone).
    HubOnline,
    HubOffline,
    ElderOn,
    ElderOff,
    Home,
    Back,
    Finish,
    TouchToStart,
    AttractSubtitle,
    /// Under "touch to start" while the reader is ready.
    AttractCardHint,
    HomeGreeting,
    FeatureGuide,
    FeatureGuideHint,
    FeatureProgress,
    FeatureProgressHint,
    FeaturePrint,
    FeaturePrintHint,
    FeatureTicket,
    FeatureTicketHint,
    FeatureApply,
    FeatureApplyHint,
    /// Why a feature cannot be used now.
    Unavailable(Device, DeviceStatus),
    GuideTitle,
    GuideBrowse,
    GuideSearchButton,
    GuideSearchHint,
    ServicesCount(usize),
    /// Between items of a short inline list.
    ListSeparator,
    Found(usize),
    NothingFound,
    Department,
    Materials,
    LegalLimit,
    PromisedLimit,
    WorkingDays(u32),
    Fee,
    Location,
    AtTerminal,
    AtCounter,
    ScanToApply,
    KeyDelete,
    KeyClear,
    KeySpace,
    Candidates,
    StillThere,
    CountdownBody(u32),
    Continue,
    OutOfService,
    OutOfServiceBody,
    ForTechnicians,
    CardSignIn,
    CardPlaceTitle,
    CardPlaceBody,
    CardAccepted,
    CardReadingTitle,
    CardReadingBody,
    CardWelcome,
    CardNumber,
    CardKind(CardType),
    CardKeep,
    CardTake,
    CardTryAgainTitle,
    CardTryAgainBody,
    CardUnreadableTitle,
    CardUnreadableBody,
    CardExpiredTitle,
    CardExpiredBody(CardDate),
    CardReaderTitle,
    CardReaderBody,
    TryAgain,
    SignedIn,
    DemoPanel,
    DemoCards,
    DemoRemove,
    DemoFaults,
    DemoFault(DemoFault),
    DemoOnReader,
    DemoPrinterHeading,
    DemoPrinterAction(DemoPrinter),
    DemoPrintHeading,
    DemoNetworkHeading,
    DemoCameraHeading,
    DemoScannerHeading,
    DemoScanCode,
    DemoScanAgain,
    DemoScanReceipt,
    DemoScanGarbage,
    DemoScanUnplug,
    /// The simulated camera's state: plugged in, a page under it, sharp.
    DemoCameraState(bool, bool, bool),
    DemoCameraAction(DemoCamera),
    /// The hub's reachability (true: up).
    DemoNetworkState(bool),
    /// The button that cuts (when up) or restores (when down) the network.
    DemoNetworkAction(bool),
    DemoPrintSample(DocumentKind),
    DemoLastPage,
    DemoNoPageYet,
    PrintPreviewTitle,
    PrintPreviewHint,
    Cancel,
    PrintButton,
    PrintingTitle,
    PrintingBody,
    PrintStageCheck,
    PrintStagePrint,
    PrintDoneTitle,
    PrintOutletLabel,
    PrintTakeCard,
    PrintMore,
    PrintTryAgain,
    PrintPaperOutTitle,
    PrintPaperOutBody,
    PrintCoverOpenTitle,
    PrintCoverOpenBody,
    PrintUnavailableTitle,
    PrintUnavailableBody,
    PrintRanOutTitle,
    PrintStoppedTitle,
    PrintIncompleteBody,
    PrintUnknownTitle,
    PrintUnknownBody,
    PrintNotRecordedTitle,
    PrintNotRecordedBody,
    /// A journey's string (`journey.rs`).
    Journey(JourneyWords),
    SignIn(SignInWords),
    Enterprise(EnterpriseWords),
    Apply(apply::ApplyWords),
    /// A remote-guidance string (`assist.rs`).
    Assist(AssistWords),
    /// A text-entry string (`entry.rs`).
    Entry(EntryWords),
}

/// What the demo panel can do to the virtual printer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DemoCamera {
    Unplug,
    Plug,
    TakePage,
    PutPage,
    Blur,
    Focus,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DemoPrinter {
    PaperOut,
    PaperLow,
    PaperOk,
    CoverOpen,
    CoverClosed,
    Offline,
}

/// Faults the demo panel can inject into the reader simulator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DemoFault {
    NoReply,
    BadChecksum,
    Truncated,
    Garbage,
    ReadFailed,
    PullAfterSelect,
    SamSelfTest,
    SamUnauthorised,
    Clear,
}

/// The colon after a label, as each language writes it.
pub fn colon(lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => "：",
        Lang::En => ": ",
    }
}

fn pick(lang: Lang, zh: &'static str, en: &'static str) -> Cow<'static, str> {
    Cow::Borrowed(match lang {
        Lang::Zh => zh,
        Lang::En => en,
    })
}

fn owned(lang: Lang, zh: String, en: String) -> Cow<'static, str> {
    Cow::Owned(match lang {
        Lang::Zh => zh,
        Lang::En => en,
    })
}

pub fn tr(lang: Lang, t: Words) -> Cow<'static, str> {
    match t {
        Words::Journey(j) => journey::tr(lang, j),
        Words::SignIn(w) => signin::tr(lang, w),
        Words::Enterprise(w) => enterprise::tr(lang, w),
        Words::Apply(a) => apply::tr(lang, a),
        Words::Assist(a) => assist::tr(lang, a),
        Words::Entry(e) => entry::tr(lang, e),
        Words::SwitchLanguage => pick(lang, "English", "中文"),
        Words::HubOnline => pick(lang, "● 已联网", "● Online"),
        Words::HubOffline => pick(lang, "○ 离线运行", "○ Offline"),
        Words::ElderOn => pick(lang, "大字版", "Larger text"),
        Words::ElderOff => pick(lang, "标准版", "Standard text"),
        Words::Home => pick(lang, "首页", "Home"),
        Words::Back => pick(lang, "返回", "Back"),
        Words::Finish => pick(lang, "结束办理", "Finish"),
        Words::TouchToStart => pick(lang, "请轻触屏幕开始", "Touch the screen to start"),
        Words::AttractSubtitle => pick(
            lang,
            "办事指南 · 办件查询 · 证照打印 · 取号",
            "Service guide · Progress · Printing · Queue tickets",
        ),
        Words::HomeGreeting => pick(
            lang,
            "您好，请选择要办理的事项",
            "Hello. What would you like to do?",
        ),
        Words::FeatureGuide => pick(lang, "办事指南", "Service guide"),
        Words::FeatureGuideHint => pick(
            lang,
            "怎么办、带什么材料、去哪里办",
            "How to do it, what to bring, where to go",
        ),
        Words::FeatureProgress => pick(lang, "办件查询", "Check progress"),
        Words::FeatureProgressHint => pick(
            lang,
            "查看申请办到哪一步了",
            "See how far your application has got",
        ),
        Words::FeaturePrint => pick(lang, "证照打印", "Print certificates"),
        Words::FeaturePrintHint => pick(
            lang,
            "打印营业执照、证明和记录",
            "Print your business licence, certificates and records",
        ),
        Words::FeatureTicket => pick(lang, "取号", "Queue ticket"),
        Words::FeatureTicketHint => pick(
            lang,
            "领取服务窗口的排队号",
            "Get a number for a service window",
        ),
        Words::FeatureApply => pick(lang, "自助申报", "Apply"),
        Words::FeatureApplyHint => pick(
            lang,
            "填表、交材料、签名，一次办好",
            "Fill in, hand in documents and sign, all here",
        ),
        Words::Unavailable(device, status) => unavailable(lang, device, status),
        Words::GuideTitle => pick(lang, "办事指南", "Service guide"),
        Words::GuideBrowse => pick(lang, "按主题查找", "Browse by theme"),
        Words::GuideSearchButton => pick(
            lang,
            "搜索事项：拼音、首字母或英文",
            "Search: pinyin, initials or English",
        ),
        Words::GuideSearchHint => pick(
            lang,
            "用下面的键盘输入，例如 yyzz（营业执照）",
            "Type below, for example passport",
        ),
        Words::ServicesCount(n) => owned(lang, format!("{n} 项"), plural(n, "service")),
        Words::ListSeparator => pick(lang, "、", " · "),
        Words::Found(n) => owned(
            lang,
            format!("找到 {n} 项"),
            format!("{} found", plural(n, "service")),
        ),
        Words::NothingFound => pick(
            lang,
            "没有找到相关事项，换个说法试试",
            "Nothing found. Try other words.",
        ),
        Words::Department => pick(lang, "办理部门", "Department"),
        Words::Materials => pick(lang, "需要带的材料", "What to bring"),
        Words::LegalLimit => pick(lang, "法定时限", "Time limit by law"),
        Words::PromisedLimit => pick(lang, "承诺时限", "Our promise"),
        Words::WorkingDays(0) => pick(lang, "当场办结", "On the spot"),
        Words::WorkingDays(n) => owned(
            lang,
            format!("{n} 个工作日"),
            plural(n as usize, "working day"),
        ),
        Words::Fee => pick(lang, "收费", "Fee"),
        Words::Location => pick(lang, "办理地点", "Where"),
        Words::AtTerminal => pick(lang, "本机可办", "Can be done here"),
        Words::AtCounter => pick(lang, "需到窗口办理", "At a service window"),
        Words::ScanToApply => pick(
            lang,
            "用手机扫码，在网上办理",
            "Scan with your phone to apply online",
        ),
        Words::KeyDelete => pick(lang, "删除", "Delete"),
        Words::KeyClear => pick(lang, "清空", "Clear"),
        Words::KeySpace => pick(lang, "空格", "Space"),
        Words::Candidates => pick(lang, "选字：", "Characters:"),
        Words::StillThere => pick(lang, "您还在吗？", "Are you still there?"),
        Words::CountdownBody(n) => owned(
            lang,
            format!("{n} 秒后将回到开始页面，并清除您在本机的信息"),
            format!(
                "In {} this terminal returns to the start and clears your information",
                plural(n as usize, "second")
            ),
        ),
        Words::Continue => pick(lang, "继续办理", "Continue"),
        Words::OutOfService => pick(lang, "本机暂停服务", "This terminal is out of service"),
        Words::OutOfServiceBody => pick(
            lang,
            "请使用旁边的自助终端，或到服务窗口办理。给您带来不便，敬请谅解。",
            "Please use another terminal or go to a service window. We are sorry for the trouble.",
        ),
        Words::AttractCardHint => pick(
            lang,
            "或直接将身份证放在读卡区",
            "or place your ID card on the reader",
        ),
        Words::CardSignIn => pick(lang, "刷身份证登录", "Sign in with your ID card"),
        Words::CardPlaceTitle => pick(lang, "请放置证件", "Place your ID card"),
        Words::CardPlaceBody => pick(
            lang,
            "请将证件平放在屏幕下方的读卡区，保持不动。",
            "Lay the card flat on the reader below the screen and keep it still.",
        ),
        Words::CardAccepted => pick(
            lang,
            "可使用：居民身份证、港澳台居民居住证、外国人永久居留身份证",
            "Accepted: resident ID card, Hong Kong/Macau/Taiwan residence permit, foreign permanent resident ID card",
        ),
        Words::CardReadingTitle => pick(lang, "正在读取证件…", "Reading your card…"),
        Words::CardReadingBody => pick(lang, "请勿移动证件", "Please keep the card still"),
        Words::CardWelcome => pick(lang, "欢迎您", "Welcome"),
        Words::CardNumber => pick(lang, "证件号码", "Card number"),
        Words::CardKind(kind) => match kind {
            CardType::Resident => pick(lang, "居民身份证", "Resident ID card"),
            CardType::Hmt => pick(
                lang,
                "港澳台居民居住证",
                "Hong Kong/Macau/Taiwan residence permit",
            ),
            CardType::Foreign2017 => pick(
                lang,
                "外国人永久居留身份证（2017 版）",
                "Foreign permanent resident ID card (2017)",
            ),
            CardType::Foreign2023 => pick(
                lang,
                "外国人永久居留身份证（2023 版）",
                "Foreign permanent resident ID card (2023)",
            ),
        },
        Words::CardKeep => pick(
            lang,
            "请将证件留在读卡区，办理完成后再取走。",
            "Keep the card on the reader until you have finished.",
        ),
        Words::CardTake => pick(
            lang,
            "请取回您的证件，妥善保管。",
            "Please take your card with you.",
        ),
        Words::CardTryAgainTitle => pick(lang, "没有读到证件", "We could not read your card"),
        Words::CardTryAgainBody => pick(
            lang,
            "请拿起证件，重新平放在读卡区，保持不动。",
            "Lift the card, lay it flat on the reader again and keep it still.",
        ),
        Words::CardUnreadableTitle => pick(lang, "无法读取这张证件", "This card cannot be read"),
        Words::CardUnreadableBody => pick(
            lang,
            "请再试一次。如仍不成功，证件可能已损坏，请联系工作人员。",
            "Please try once more. If it still fails, the card may be damaged: please ask a member of staff.",
        ),
        Words::CardExpiredTitle => pick(lang, "证件已过有效期", "This card has expired"),
        Words::CardExpiredBody(until) => owned(
            lang,
            format!(
                "有效期至 {} 年 {} 月 {} 日。请使用有效证件，或到人工窗口办理。",
                until.year, until.month, until.day
            ),
            format!(
                "It was valid until {}. Please use a valid card, or go to a staffed counter.",
                chrono::NaiveDate::from_ymd_opt(until.year.into(), until.month.into(), until.day.into())
                    .map(|d| d.format("%-d %B %Y").to_string())
                    .unwrap_or_else(|| until.to_string())
            ),
        ),
        Words::CardReaderTitle => pick(lang, "读卡器暂时无法使用", "The card reader is out of order"),
        Words::CardReaderBody => pick(
            lang,
            "请联系工作人员。办事指南等不需要证件的服务仍可使用。",
            "Please ask a member of staff. Services that need no card, such as the service guide, still work.",
        ),
        Words::TryAgain => pick(lang, "重新读卡", "Try again"),
        Words::SignedIn => pick(lang, "已读取证件", "Signed in"),
        Words::DemoPanel => pick(lang, "演示面板", "Demo panel"),
        Words::DemoCards => pick(lang, "放置证件", "Place a card"),
        Words::DemoRemove => pick(lang, "取走证件", "Remove the card"),
        Words::DemoFaults => pick(lang, "读卡器故障（下一次读卡）", "Reader faults (next read)"),
        Words::DemoOnReader => pick(lang, "读卡区上", "On the reader"),
        Words::DemoPrinterHeading => pick(lang, "虚拟打印机", "Virtual printer"),
        Words::DemoPrintHeading => pick(lang, "打印样张（在终端屏幕上预览）", "Print a sample (previewed on the terminal)"),
        Words::DemoPrintSample(kind) => match kind {
            DocumentKind::Licence | DocumentKind::Record => pick(lang, "营业执照打印件", "Business licence extract"),
            DocumentKind::Receipt => pick(lang, "办件凭证", "Case receipt"),
            DocumentKind::Ticket => pick(lang, "排队小票", "Queue ticket"),
        },
        Words::DemoCameraHeading => pick(lang, "高拍仪（模拟）", "Document camera (simulated)"),
        Words::DemoCameraState(plugged, page, sharp) => owned(
            lang,
            format!(
                "{}，{}，{}",
                if plugged { "已连接" } else { "已拔出" },
                if page { "有材料" } else { "无材料" },
                if sharp { "清晰" } else { "模糊" }
            ),
            format!(
                "{}, {}, {}",
                if plugged { "connected" } else { "unplugged" },
                if page { "a page under it" } else { "no page" },
                if sharp { "sharp" } else { "blurred" }
            ),
        ),
        Words::DemoCameraAction(action) => match action {
            DemoCamera::Unplug => pick(lang, "拔出高拍仪", "Unplug the camera"),
            DemoCamera::Plug => pick(lang, "插上高拍仪", "Plug the camera in"),
            DemoCamera::TakePage => pick(lang, "拿走材料", "Take the page away"),
            DemoCamera::PutPage => pick(lang, "放上材料", "Put the page back"),
            DemoCamera::Blur => pick(lang, "画面模糊", "Blur the picture"),
            DemoCamera::Focus => pick(lang, "画面清晰", "Sharpen the picture"),
        },
        Words::DemoScannerHeading => pick(lang, "扫码器", "Code scanner"),
        Words::DemoScanCode => pick(lang, "出示亮码", "Show the app's code"),
        Words::DemoScanAgain => pick(lang, "再扫上一个码（重放）", "The last code again (a replay)"),
        Words::DemoScanReceipt => pick(lang, "扫描办件回执", "Scan a receipt"),
        Words::DemoScanGarbage => pick(lang, "乱码", "Garbage"),
        Words::DemoScanUnplug => pick(lang, "拔出扫码器", "Unplug the scanner"),
        Words::DemoNetworkHeading => pick(lang, "政务服务平台（本机内运行）", "Service platform (in this process)"),
        Words::DemoNetworkState(true) => pick(lang, "网络：已连接", "Network: connected"),
        Words::DemoNetworkState(false) => pick(lang, "网络：已断开", "Network: cut"),
        Words::DemoNetworkAction(true) => pick(lang, "断开网络", "Cut the network"),
        Words::DemoNetworkAction(false) => pick(lang, "恢复网络", "Restore the network"),
        Words::DemoLastPage => pick(lang, "最近打印的一页", "The last page printed"),
        Words::DemoNoPageYet => pick(lang, "还没有打印", "Nothing printed yet"),
        Words::PrintPreviewTitle => pick(lang, "打印预览", "Print preview"),
        Words::PrintPreviewHint => pick(
            lang,
            "下面就是将要打印出来的样子，请核对后点击“打印”",
            "This is exactly what will print. Check it, then tap Print.",
        ),
        Words::Cancel => pick(lang, "取消", "Cancel"),
        Words::PrintButton => pick(lang, "打印", "Print"),
        Words::PrintingTitle => pick(lang, "正在打印，请稍候", "Printing, please wait"),
        Words::PrintingBody => pick(
            lang,
            "请不要离开，打印完成后会提示您取件",
            "Please stay here: we will tell you when to take it",
        ),
        Words::PrintStageCheck => pick(lang, "检查打印机", "Checking the printer"),
        Words::PrintStagePrint => pick(lang, "打印材料", "Printing the document"),
        Words::PrintDoneTitle => pick(lang, "打印完成，请取走您的材料", "Done. Please take your document"),
        Words::PrintOutletLabel => pick(lang, "出纸位置", "It comes out at"),
        Words::PrintTakeCard => pick(lang, "别忘了带走您的身份证件", "Remember to take your ID card"),
        Words::PrintMore => pick(lang, "继续办理", "Do something else"),
        Words::PrintTryAgain => pick(lang, "再试一次", "Try again"),
        Words::PrintPaperOutTitle => pick(lang, "打印机缺纸", "The printer is out of paper"),
        Words::PrintPaperOutBody => pick(
            lang,
            "没有打印任何内容。请联系工作人员加纸后再试，或到其他自助终端打印。",
            "Nothing was printed. Ask staff to load paper and try again, or print at another terminal.",
        ),
        Words::PrintCoverOpenTitle => pick(lang, "打印机盖没有合上", "The printer cover is open"),
        Words::PrintCoverOpenBody => pick(
            lang,
            "没有打印任何内容。请联系工作人员合上打印机盖后再试。",
            "Nothing was printed. Ask staff to close the printer cover, then try again.",
        ),
        Words::PrintUnavailableTitle => pick(lang, "打印机暂时无法使用", "The printer cannot print now"),
        Words::PrintUnavailableBody => pick(
            lang,
            "没有打印任何内容。请稍后再试，或联系工作人员，也可以到其他自助终端打印。",
            "Nothing was printed. Try again in a moment, ask staff, or print at another terminal.",
        ),
        Words::PrintRanOutTitle => pick(lang, "打印中途缺纸", "The paper ran out while printing"),
        Words::PrintStoppedTitle => pick(lang, "打印中断", "Printing stopped part way"),
        Words::PrintIncompleteBody => pick(
            lang,
            "您的材料没有完整打印出来。请把已打印出的部分交给工作人员：本次打印已记录，工作人员可以为您补打。",
            "Your document did not print in full. Take what came out to staff: this print is recorded, and staff can print it again for you.",
        ),
        Words::PrintUnknownTitle => pick(lang, "无法确认是否打印成功", "We cannot tell whether it printed"),
        Words::PrintUnknownBody => pick(
            lang,
            "请查看出纸口。如果没有拿到完整的材料，请联系工作人员：本次打印已记录，不会自动重复打印。",
            "Please look at the paper slot. If your document is not there in full, ask staff: this print is recorded and will not be repeated by itself.",
        ),
        Words::PrintNotRecordedTitle => pick(lang, "暂时无法打印", "Printing is not available now"),
        Words::PrintNotRecordedBody => pick(
            lang,
            "本机暂时无法记录打印任务。为了不重复、不遗漏，没有进行打印。请联系工作人员。",
            "This terminal cannot record print jobs right now, so nothing was printed (every print must be on record). Please ask staff.",
        ),
        Words::DemoPrinterAction(action) => match action {
            DemoPrinter::PaperOut => pick(lang, "纸用完", "Paper out"),
            DemoPrinter::PaperLow => pick(lang, "纸将尽", "Paper low"),
            DemoPrinter::PaperOk => pick(lang, "装满纸", "Load paper"),
            DemoPrinter::CoverOpen => pick(lang, "打开机盖", "Open the cover"),
            DemoPrinter::CoverClosed => pick(lang, "合上机盖", "Close the cover"),
            DemoPrinter::Offline => pick(lang, "离线", "Go offline"),
        },
        Words::DemoFault(fault) => match fault {
            DemoFault::NoReply => pick(lang, "不应答", "No reply"),
            DemoFault::BadChecksum => pick(lang, "校验和错误", "Bad checksum"),
            DemoFault::Truncated => pick(lang, "数据帧截断", "Truncated frame"),
            DemoFault::Garbage => pick(lang, "帧间杂波", "Noise between frames"),
            DemoFault::ReadFailed => pick(lang, "读卡失败 (41)", "Read failed (41)"),
            DemoFault::PullAfterSelect => pick(lang, "选卡后拿走", "Pulled after select"),
            DemoFault::SamSelfTest => pick(lang, "SAM 自检失败 (60)", "SAM self-test failed (60)"),
            DemoFault::SamUnauthorised => pick(lang, "SAM 未授权 (66)", "SAM not authorised (66)"),
            DemoFault::Clear => pick(lang, "清除故障", "Clear faults"),
        },
        Words::ForTechnicians => pick(lang, "技术人员请看：", "For technicians:"),
    }
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

fn unavailable(lang: Lang, device: Device, status: DeviceStatus) -> Cow<'static, str> {
    use DeviceStatus as S;
    let reason = match status {
        S::Ready | S::Warning(_) => return pick(lang, "可以使用", "Available"),
        S::Unknown => return pick(lang, "正在启动，请稍候", "Starting, please wait"),
        S::Busy => return pick(lang, "正在使用中，请稍候", "In use, please wait"),
        S::Fault(reason) | S::Disabled(reason) => reason,
    };
    match (device, reason) {
        (Device::Camera, Reason::NotConfigured) => pick(
            lang,
            "本机没有高拍仪，材料可用手机上传",
            "This terminal has no document camera: upload documents from your phone",
        ),
        (Device::Camera, _) => pick(
            lang,
            "高拍仪暂不可用，材料可用手机上传",
            "The document camera is not available: upload documents from your phone",
        ),
        (Device::Scanner, _) => pick(
            lang,
            "扫码器暂不可用，请输入受理编号查询",
            "The code scanner is not available: type the case number instead",
        ),
        (Device::Hub, Reason::NotConfigured) => pick(
            lang,
            "本机未连接政务服务平台",
            "This terminal is not connected to the service platform",
        ),
        (Device::Hub, Reason::NoDriver) => pick(
            lang,
            "联网服务尚未开通",
            "Online services are not available here yet",
        ),
        (Device::Hub, _) => pick(
            lang,
            "网络中断，请稍后再试",
            "The network is down. Please try again later.",
        ),
        (Device::Printer, Reason::NotConfigured) => {
            pick(lang, "本机没有打印机", "This terminal has no printer")
        }
        (Device::Printer, Reason::NoDriver) => pick(
            lang,
            "打印服务尚未开通",
            "Printing is not available here yet",
        ),
        (Device::Printer, Reason::PaperOut | Reason::PaperLow) => pick(
            lang,
            "打印机缺纸，请联系工作人员",
            "The printer is out of paper. Please ask a member of staff.",
        ),
        (Device::Printer, Reason::CoverOpen) => pick(
            lang,
            "打印机盖未关好，请联系工作人员",
            "The printer cover is open. Please ask a member of staff.",
        ),
        (Device::Printer, _) => pick(
            lang,
            "打印机故障，请联系工作人员",
            "The printer is not working. Please ask a member of staff.",
        ),
        (Device::Reader, Reason::NotConfigured) => pick(
            lang,
            "本机没有身份证读卡器",
            "This terminal has no ID card reader",
        ),
        (Device::Reader, Reason::NoDriver) => pick(
            lang,
            "刷身份证服务尚未开通",
            "ID card reading is not available here yet",
        ),
        (Device::Reader, _) => pick(
            lang,
            "读卡器故障，请联系工作人员",
            "The card reader is not working. Please ask a member of staff.",
        ),
    }
}

/// The date as the attract screen shows it: `2026年11月23日 星期一` / `Monday 23 November 2026`.
pub fn date(lang: Lang, at: NaiveDateTime) -> String {
    match lang {
        Lang::Zh => {
            let weekday = match at.weekday() {
                Weekday::Mon => "一",
                Weekday::Tue => "二",
                Weekday::Wed => "三",
                Weekday::Thu => "四",
                Weekday::Fri => "五",
                Weekday::Sat => "六",
                Weekday::Sun => "日",
            };
            format!(
                "{}年{}月{}日 星期{weekday}",
                at.year(),
                at.month(),
                at.day()
            )
        }
        Lang::En => at.format("%A %-d %B %Y").to_string(),
    }
}

/// `09:30`, the same in both languages.
pub fn clock(at: NaiveDateTime) -> String {
    format!("{:02}:{:02}", at.hour(), at.minute())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_read_naturally_in_each_language() {
        let at = chrono::NaiveDate::from_ymd_opt(2026, 11, 23)
            .unwrap()
            .and_hms_opt(9, 5, 0)
            .unwrap();
        assert_eq!(date(Lang::Zh, at), "2026年11月23日 星期一");
        assert_eq!(date(Lang::En, at), "Monday 23 November 2026");
        assert_eq!(clock(at), "09:05");
    }

    #[test]
    fn counts_agree_in_number() {
        assert_eq!(tr(Lang::En, Words::Found(1)), "1 service found");
        assert_eq!(tr(Lang::En, Words::Found(3)), "3 services found");
        assert_eq!(tr(Lang::Zh, Words::WorkingDays(0)), "当场办结");
        assert_eq!(tr(Lang::En, Words::WorkingDays(15)), "15 working days");
    }
}
