//! The strings of the citizen journeys (办件查询, 证照打印, 取号, 好差评, call staff) and the spoken prompts of
//! every screen, in zh-CN and en-US: one arm per string, so a missing language does not compile.

use std::borrow::Cow;

use super::{owned, pick};
use crate::domain::Lang;
use crate::journey::Failure;

/// A journey's string.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JourneyWords {
    ProgressTitle,
    ProgressChooseBody,
    ProgressByCard,
    ProgressByCardHint,
    ProgressByNumber,
    ProgressByNumberHint,
    ProgressCaseNo,
    ProgressLast6,
    ProgressEntryHint,
    ProgressSearch,
    ProgressLoading,
    ProgressMine(usize),
    ProgressNone,
    ProgressNoneBody,
    ProgressPromised,
    ProgressApplicant,
    ProgressNow,
    ProgressNext,
    ProgressTimeline,
    ProgressPrint,
    ProgressOthers,
    ProgressAsked,
    ProgressSupply,
    ProgressSupplyCard,
    CardLeft,
    /// What to do about a card left on the reader.
    CardLeftTodo,
    ProgressNotFoundTitle,
    ProgressNotFoundBody,
    ProgressLockedTitle,
    ProgressLockedBody(u32),
    DocumentsTitle,
    DocumentsLoading,
    DocumentsHint,
    DocumentsCopies(u32, u32),
    DocumentsUsedUp,
    DocumentsNone,
    DocumentsNoneBody,
    DocumentsClaiming,
    LimitTitle,
    LimitBody(u32),
    LimitNext,
    LimitWhy,
    UnverifiedBody,
    TicketChoose,
    TicketChooseHint,
    TicketTaking,
    TicketPrinting,
    TicketYourNumber,
    TicketWaiting(u64),
    TicketTake,
    TicketNotPrinted,
    TicketMaybePrinted,
    TicketWatch,
    TicketForService,
    DoHere,
    PrintHere,
    ProgressHere,
    RateAsk,
    RateLevel(u8),
    RateWhy,
    RateTag(&'static str),
    RateSend,
    RateThanks,
    RateThanksBody,
    RateLowThanks,
    RateNotSaved,
    RateNotSavedBody,
    SomethingElse,
    CallStaff,
    HelpTitle,
    HelpBody,
    HelpNotRecorded,
    Failure(Failure),
    FailureBody(Failure),
    TryAgainButton,
    OtherHolderTitle,
    OtherHolderBody,
    /// The spoken prompt of a screen.
    Say(Prompt),
}

/// The screens that speak, each with a short prompt.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Prompt {
    Attract,
    Home,
    Guide,
    CardPlace,
    CardReading,
    CardWelcome,
    CardProblem,
    Preview,
    Printing,
    PrintDone,
    PrintProblem,
    ProgressChoose,
    ProgressEntry,
    Loading,
    ProgressList,
    ProgressDetail,
    Documents,
    Limit,
    TicketChoose,
    TicketDone,
    TicketNotPrinted,
    Rating,
    RatingThanks,
    Problem,
    Help,
    Countdown,
    Apply(super::apply::ApplyPrompt),
}

pub fn tr(lang: Lang, j: JourneyWords) -> Cow<'static, str> {
    match j {
        JourneyWords::ProgressTitle => pick(lang, "办件查询", "Application progress"),
        JourneyWords::ProgressChooseBody => pick(
            lang,
            "请选择查询方式",
            "How would you like to look it up?",
        ),
        JourneyWords::ProgressByCard => pick(lang, "刷身份证查询", "Use my ID card"),
        JourneyWords::ProgressByCardHint => pick(
            lang,
            "列出您名下的全部办件",
            "Lists all applications in your name",
        ),
        JourneyWords::ProgressByNumber => pick(lang, "输入办件编号查询", "Type the case number"),
        JourneyWords::ProgressByNumberHint => pick(
            lang,
            "办件编号在受理回执上，例如 SZ2026112300012",
            "It is on your receipt, for example SZ2026112300012",
        ),
        JourneyWords::ProgressCaseNo => pick(lang, "办件编号", "Case number"),
        JourneyWords::ProgressLast6 => pick(
            lang,
            "申请人身份证号后6位",
            "Last 6 characters of the applicant's ID number",
        ),
        JourneyWords::ProgressEntryHint => pick(
            lang,
            "点一下要填写的框，再用下面的键盘输入",
            "Touch a box, then type with the keys below",
        ),
        JourneyWords::ProgressSearch => pick(lang, "查询", "Look up"),
        JourneyWords::ProgressLoading => pick(lang, "正在查询，请稍候…", "Looking it up, one moment…"),
        JourneyWords::ProgressMine(n) => owned(
            lang,
            format!("您的办件（共 {n} 件）"),
            format!(
                "Your applications ({n} {})",
                if n == 1 { "case" } else { "cases" }
            ),
        ),
        JourneyWords::ProgressNone => pick(lang, "没有查到您名下的办件", "No applications in your name"),
        JourneyWords::ProgressNoneBody => pick(
            lang,
            "如果您刚刚提交，请稍后再查；也可以用办件编号查询。",
            "If you applied just now, look again later, or use the case number.",
        ),
        JourneyWords::ProgressPromised => pick(lang, "承诺办结", "Promised by"),
        JourneyWords::ProgressApplicant => pick(lang, "申请人", "Applicant"),
        JourneyWords::ProgressNow => pick(lang, "当前状态", "Status"),
        JourneyWords::ProgressNext => pick(lang, "下一步", "What to do next"),
        JourneyWords::ProgressTimeline => pick(lang, "办理过程", "Steps so far"),
        JourneyWords::ProgressPrint => pick(lang, "打印进度单", "Print this"),
        JourneyWords::ProgressOthers => pick(lang, "其他办件", "Other applications"),
        JourneyWords::ProgressAsked => pick(lang, "需补正的内容", "What is asked for"),
        JourneyWords::ProgressSupply => pick(lang, "补交材料", "Supply them here"),
        JourneyWords::CardLeft => pick(
            lang,
            "读卡区有遗留证件",
            "An ID card was left on the reader",
        ),
        JourneyWords::CardLeftTodo => pick(
            lang,
            "请取走；如不是您的，请交给工作人员",
            "Please take it, or hand it to staff if it is not yours",
        ),
        JourneyWords::ProgressSupplyCard => pick(
            lang,
            "刷身份证查询本办件，即可在本机补交",
            "Look this up with your ID card to supply them at this terminal",
        ),
        JourneyWords::ProgressNotFoundTitle => pick(lang, "没有查到这个办件", "No such application"),
        JourneyWords::ProgressNotFoundBody => pick(
            lang,
            "请核对办件编号和身份证号后6位后重新输入。",
            "Check the case number and the last 6 characters of the ID number, and try again.",
        ),
        JourneyWords::ProgressLockedTitle => pick(lang, "查询次数过多", "Too many tries"),
        JourneyWords::ProgressLockedBody(minutes) => owned(
            lang,
            format!("为保护申请人的信息，这个办件编号暂停查询，请 {minutes} 分钟后再试，或到窗口咨询。"),
            format!(
                "To protect the applicant, this case number is locked. Try again in {minutes} {}, or ask at a counter.",
                if minutes == 1 { "minute" } else { "minutes" }
            ),
        ),
        JourneyWords::DocumentsTitle => pick(lang, "我的证照", "My documents"),
        JourneyWords::DocumentsLoading => pick(
            lang,
            "正在查找您可以打印的证照…",
            "Finding the documents you can print…",
        ),
        JourneyWords::DocumentsHint => pick(
            lang,
            "请点击要打印的证照",
            "Touch the document to print",
        ),
        JourneyWords::DocumentsCopies(printed, limit) => owned(
            lang,
            format!("今天已打印 {printed} 份，每天最多 {limit} 份"),
            format!("{printed} of {limit} copies printed today"),
        ),
        JourneyWords::DocumentsUsedUp => pick(lang, "今天的打印份数已用完", "No copies left today"),
        JourneyWords::DocumentsNone => pick(lang, "没有可打印的证照", "No documents to print"),
        JourneyWords::DocumentsNoneBody => pick(
            lang,
            "您名下暂时没有可以在本机打印的证照。办结的证照一般在次日可打印。",
            "There is nothing in your name to print here yet. Results are usually printable the day after approval.",
        ),
        JourneyWords::DocumentsClaiming => pick(lang, "正在准备证照…", "Preparing the document…"),
        JourneyWords::LimitTitle => pick(lang, "今天的打印份数已用完", "No copies left today"),
        JourneyWords::LimitBody(limit) => owned(
            lang,
            format!("这类证照每人每天最多打印 {limit} 份。"),
            format!("This kind of document can be printed {limit} {} a day per person.", if limit == 1 { "time" } else { "times" }),
        ),
        JourneyWords::LimitNext => pick(lang, "下次可打印日期", "You can print it again on"),
        JourneyWords::LimitWhy => pick(
            lang,
            "限制份数是为了防止证照被冒用。急需请到窗口办理。",
            "The limit keeps documents from being misused. If you need it urgently, ask at a counter.",
        ),
        JourneyWords::UnverifiedBody => pick(
            lang,
            "为防止打印出错误的证照，本次没有打印，也没有占用您的打印份数。请联系工作人员。",
            "Nothing was printed and your copies today are untouched. Please ask a member of staff.",
        ),
        JourneyWords::TicketChoose => pick(lang, "取号：请选择要办理的事项", "Queue ticket: choose what you need"),
        JourneyWords::TicketChooseHint => pick(
            lang,
            "按类别找，或搜索事项名称。不需要身份证。",
            "Browse by topic or search by name. No ID card needed.",
        ),
        JourneyWords::TicketTaking => pick(lang, "正在取号，请稍候…", "Taking a number, one moment…"),
        JourneyWords::TicketPrinting => pick(lang, "正在打印排队号…", "Printing your ticket…"),
        JourneyWords::TicketYourNumber => pick(lang, "您的号码", "Your number"),
        JourneyWords::TicketWaiting(n) => owned(
            lang,
            format!("前面还有 {n} 人等候"),
            format!(
                "{n} {} ahead of you",
                if n == 1 { "person" } else { "people" }
            ),
        ),
        JourneyWords::TicketTake => pick(lang, "请取走排队号，留意叫号", "Take your ticket and listen for your number"),
        JourneyWords::TicketNotPrinted => pick(
            lang,
            "号码已取到，但排队号没有打印出来。请记住上面的号码，叫号时到窗口报号即可。",
            "Your number is taken, but the ticket did not print. Remember the number above and give it at the counter when it is called.",
        ),
        JourneyWords::TicketMaybePrinted => pick(
            lang,
            "号码已取到。打印机没有确认排队号是否打印出来：请看出纸口；如果没有，请记住上面的号码，叫号时到窗口报号即可。",
            "Your number is taken. The printer did not confirm the ticket: look in the paper slot; if it is not there, remember the number above and give it at the counter when it is called.",
        ),
        JourneyWords::TicketWatch => pick(lang, "请留意大厅屏幕和叫号广播", "Watch the hall's screens and listen for your number"),
        JourneyWords::TicketForService => pick(lang, "排队取号", "Queue ticket"),
        JourneyWords::DoHere => pick(lang, "在本机办理", "Do it at this terminal"),
        JourneyWords::PrintHere => pick(lang, "在本机打印", "Print here"),
        JourneyWords::ProgressHere => pick(lang, "办件查询", "Progress"),
        JourneyWords::RateAsk => pick(
            lang,
            "请为本次服务评价（自愿）",
            "How was this service? (optional)",
        ),
        JourneyWords::RateLevel(level) => Cow::Owned(
            kiosk_proto::service::Rating::words(level)
                .get(lang)
                .to_string(),
        ),
        JourneyWords::RateWhy => pick(
            lang,
            "请选择不满意的原因（可多选，也可不选）",
            "What went wrong? (choose any, or none)",
        ),
        JourneyWords::RateTag(tag) => match tag {
            "slow" => pick(lang, "办理太慢", "Too slow"),
            "unclear" => pick(lang, "指引看不懂", "Hard to understand"),
            "device" => pick(lang, "设备不好用", "The machine did not work well"),
            "steps" => pick(lang, "步骤太多", "Too many steps"),
            _ => pick(lang, "结果不满意", "Unhappy with the result"),
        },
        JourneyWords::RateSend => pick(lang, "提交评价", "Send"),
        JourneyWords::RateThanks => pick(lang, "感谢您的评价", "Thank you for your rating"),
        JourneyWords::RateThanksBody => pick(
            lang,
            "您的评价会送到政务服务好差评系统。",
            "It goes to the government service rating system.",
        ),
        JourneyWords::RateLowThanks => pick(
            lang,
            "对不满意的评价，工作人员会在15个工作日内回访。",
            "Staff follow up every low rating within 15 working days.",
        ),
        JourneyWords::RateNotSaved => pick(lang, "评价没有保存成功", "The rating was not saved"),
        JourneyWords::RateNotSavedBody => pick(
            lang,
            "您办理的事项不受影响。可以稍后再评，或告诉工作人员。",
            "What you did here is not affected. You can rate later, or tell a member of staff.",
        ),
        JourneyWords::SomethingElse => pick(lang, "办理其他事项", "Do something else"),
        JourneyWords::CallStaff => pick(lang, "呼叫工作人员", "Call staff"),
        JourneyWords::HelpTitle => pick(lang, "请工作人员来帮您", "Getting you help"),
        JourneyWords::HelpBody => pick(
            lang,
            "已记录您的求助。请到大厅服务台找工作人员，或举手示意，他们会帮您办完。",
            "Your request is recorded. Please go to the hall's service desk, or raise your hand; staff will help you finish.",
        ),
        JourneyWords::HelpNotRecorded => pick(
            lang,
            "请到大厅服务台找工作人员，或举手示意。",
            "Please go to the hall's service desk, or raise your hand.",
        ),
        JourneyWords::Failure(failure) => match failure {
            Failure::Offline => pick(lang, "网络暂时不通", "The network is down"),
            Failure::Terminal => pick(lang, "本机暂时无法办理此项业务", "This terminal cannot do this right now"),
            Failure::NotFound => pick(lang, "没有查到", "Nothing found"),
            Failure::Locked(_) => pick(lang, "查询次数过多", "Too many tries"),
            Failure::Unverified => pick(lang, "证照未能通过核验", "The document could not be verified"),
            Failure::Refused => pick(lang, "暂时无法办理", "This cannot be done right now"),
        },
        JourneyWords::FailureBody(failure) => match failure {
            Failure::Offline => pick(
                lang,
                "这项业务需要联网，请稍后再试。办事指南不需要联网，仍可使用。",
                "This needs the network; please try again shortly. The service guide works without it.",
            ),
            Failure::Terminal => pick(
                lang,
                "本机的联网设置需要工作人员处理。请到其他自助终端或窗口办理。",
                "This terminal's connection needs staff. Please use another terminal or a counter.",
            ),
            Failure::Unverified => tr(lang, JourneyWords::UnverifiedBody),
            Failure::NotFound => tr(lang, JourneyWords::ProgressNotFoundBody),
            Failure::Locked(minutes) => tr(lang, JourneyWords::ProgressLockedBody(minutes)),
            Failure::Refused => pick(
                lang,
                "请稍后再试，或请工作人员帮忙。",
                "Please try again shortly, or ask a member of staff.",
            ),
        },
        JourneyWords::TryAgainButton => pick(lang, "再试一次", "Try again"),
        JourneyWords::OtherHolderTitle => pick(
            lang,
            "这不是本次登录人的证件",
            "This is not the signed-in person's card",
        ),
        JourneyWords::OtherHolderBody => pick(
            lang,
            "请放上登录时使用的证件；或点“结束办理”，再用这张证件重新开始。",
            "Place the card you signed in with, or tap Finish and start again with this card.",
        ),
        JourneyWords::Say(prompt) => say(lang, prompt),
    }
}

/// What each screen says aloud: short, one instruction.
fn say(lang: Lang, prompt: Prompt) -> Cow<'static, str> {
    match prompt {
        Prompt::Apply(prompt) => super::apply::say(lang, prompt),
        Prompt::Attract => pick(
            lang,
            "请轻触屏幕开始，或放上身份证。",
            "Touch the screen to start, or place your ID card.",
        ),
        Prompt::Home => pick(
            lang,
            "请选择要办理的事项。",
            "Choose what you would like to do.",
        ),
        Prompt::Guide => pick(
            lang,
            "请选择类别，或搜索事项。",
            "Choose a topic, or search.",
        ),
        Prompt::CardPlace => pick(
            lang,
            "请把身份证放在感应区上。",
            "Place your ID card on the reader.",
        ),
        Prompt::CardReading => pick(
            lang,
            "正在读卡，请不要移动身份证。",
            "Reading your card. Please keep it still.",
        ),
        Prompt::CardWelcome => pick(lang, "读卡成功，请点继续。", "Card read. Touch continue."),
        Prompt::CardProblem => pick(
            lang,
            "没有读到身份证，请看屏幕提示。",
            "The card was not read. Please see the screen.",
        ),
        Prompt::Preview => pick(
            lang,
            "请核对内容，然后点打印。",
            "Check it, then touch print.",
        ),
        Prompt::Printing => pick(lang, "正在打印，请稍候。", "Printing. One moment."),
        Prompt::PrintDone => pick(
            lang,
            "打印完成，请取走您的材料和身份证。",
            "Done. Please take your paper and your ID card.",
        ),
        Prompt::PrintProblem => pick(
            lang,
            "打印没有完成，请看屏幕提示。",
            "Printing did not finish. Please see the screen.",
        ),
        Prompt::ProgressChoose => pick(
            lang,
            "请选择刷身份证查询，或输入办件编号。",
            "Use your ID card, or type the case number.",
        ),
        Prompt::ProgressEntry => pick(
            lang,
            "请输入办件编号和身份证号后六位。",
            "Type the case number and the last six characters of the ID number.",
        ),
        Prompt::Loading => pick(lang, "正在查询，请稍候。", "Looking it up. One moment."),
        Prompt::ProgressList => pick(
            lang,
            "请点击要查看的办件。",
            "Touch an application to see it.",
        ),
        Prompt::ProgressDetail => pick(
            lang,
            "这是办理进度和下一步。",
            "Here is the progress and what to do next.",
        ),
        Prompt::Documents => pick(lang, "请点击要打印的证照。", "Touch the document to print."),
        Prompt::Limit => pick(lang, "今天的打印份数已用完。", "No copies are left today."),
        Prompt::TicketChoose => pick(
            lang,
            "请选择要办理的事项取号。",
            "Choose what you need to take a number.",
        ),
        Prompt::TicketDone => pick(
            lang,
            "取号成功，请取走排队号，留意叫号。",
            "Please take your ticket and listen for your number.",
        ),
        Prompt::TicketNotPrinted => pick(
            lang,
            "号码已取到，请记住屏幕上的号码。",
            "Your number is taken. Please remember the number on the screen.",
        ),
        Prompt::Rating => pick(
            lang,
            "请选择原因，然后提交。",
            "Choose a reason, then send.",
        ),
        Prompt::RatingThanks => pick(lang, "感谢您的评价。", "Thank you for your rating."),
        Prompt::Problem => pick(
            lang,
            "出了点问题，请看屏幕提示，或呼叫工作人员。",
            "Something went wrong. Please see the screen, or call staff.",
        ),
        Prompt::Help => pick(
            lang,
            "请到服务台找工作人员。",
            "Please go to the service desk.",
        ),
        Prompt::Countdown => pick(
            lang,
            "您还在吗？需要继续请点屏幕。",
            "Are you still there? Touch the screen to continue.",
        ),
    }
}
