//! The strings of remote guidance (远程导办) on the terminal, in zh-CN and en-US: the call, the two consent
//! prompts, the banner while staff help, and staff's messages.

use std::borrow::Cow;

use kiosk_proto::assist::Staff;

use super::{owned, pick};
use crate::domain::Lang;

/// A remote-guidance string.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AssistWords {
    CallStaff,
    Calling,
    CallingLong,
    Cancel,
    Unreachable,
    Ok,
    AskViewBody,
    AllowView,
    AskControlBody,
    AllowControl,
    NotNow,
    TakeBack,
    End,
    StaffSays,
    Reconnecting,
    Ended,
}

pub fn tr(lang: Lang, a: AssistWords) -> Cow<'static, str> {
    match a {
        AssistWords::CallStaff => pick(lang, "呼叫工作人员", "Call staff"),
        AssistWords::Calling => pick(
            lang,
            "正在呼叫远程工作人员，请稍候…",
            "Calling a member of staff. Please wait…",
        ),
        AssistWords::CallingLong => pick(
            lang,
            "工作人员暂时都在忙。您可以继续等待，也可以到大厅服务台找工作人员。",
            "All staff are busy just now. You can keep waiting, or go to the hall's service desk.",
        ),
        AssistWords::Cancel => pick(lang, "取消呼叫", "Cancel the call"),
        AssistWords::Unreachable => pick(
            lang,
            "远程工作人员暂时接不通。请到大厅服务台找工作人员，或举手示意。",
            "Staff cannot be reached remotely just now. Please go to the hall's service desk, or raise your hand.",
        ),
        AssistWords::Ok => pick(lang, "知道了", "OK"),
        AssistWords::AskViewBody => pick(
            lang,
            "允许后，工作人员能看到您的屏幕，给您指点、发提示。您的姓名、证件号码等个人信息会被遮盖。不允许也没关系。",
            "If you allow it, they see your screen and can point and send you hints. Your name, ID number and other personal details are hidden from them. You may say no.",
        ),
        AssistWords::AllowView => pick(lang, "允许查看", "Allow viewing"),
        AssistWords::AskControlBody => pick(
            lang,
            "允许后，工作人员可以替您点按钮、输入查询号码，但不会替您输入证件号码等个人信息。您随时可以收回。",
            "If you allow it, they can tap buttons and type a case number for you, but never your ID number or other personal details. You can take it back at any time.",
        ),
        AssistWords::AllowControl => pick(lang, "允许操作", "Allow"),
        AssistWords::NotNow => pick(lang, "不允许", "No"),
        AssistWords::TakeBack => pick(lang, "收回操作", "Take back control"),
        AssistWords::End => pick(lang, "结束协助", "End help"),
        AssistWords::StaffSays => pick(lang, "工作人员说：", "Staff say:"),
        AssistWords::Reconnecting => pick(
            lang,
            "与工作人员的连接中断，正在重新连接…",
            "The connection to staff dropped; reconnecting…",
        ),
        AssistWords::Ended => pick(lang, "远程协助已结束。", "Remote help has ended."),
    }
}

/// "张丽（工号 0123）" / "张丽 (staff no. 0123)".
pub fn who(lang: Lang, staff: &Staff) -> String {
    match lang {
        Lang::Zh => format!("{}（工号 {}）", staff.name, staff.number),
        Lang::En => format!("{} (staff no. {})", staff.name, staff.number),
    }
}

pub fn ask_view(lang: Lang, staff: &Staff) -> Cow<'static, str> {
    let who = who(lang, staff);
    owned(
        lang,
        format!("工作人员 {who} 想查看您的屏幕，帮您办理"),
        format!("{who} would like to see your screen to help you"),
    )
}

pub fn ask_control(lang: Lang, staff: &Staff) -> Cow<'static, str> {
    let who = who(lang, staff);
    owned(
        lang,
        format!("{who} 想替您操作屏幕"),
        format!("{who} would like to operate the screen for you"),
    )
}

pub fn connected(lang: Lang, staff: &Staff) -> Cow<'static, str> {
    let who = who(lang, staff);
    owned(
        lang,
        format!("{who} 已接通，还看不到您的屏幕"),
        format!("{who} is connected and cannot see your screen yet"),
    )
}

pub fn viewing(lang: Lang, staff: &Staff) -> Cow<'static, str> {
    let who = who(lang, staff);
    owned(
        lang,
        format!("{who} 正在查看您的屏幕（个人信息已遮盖）"),
        format!("{who} is viewing your screen (personal details hidden)"),
    )
}

pub fn operating(lang: Lang, staff: &Staff) -> Cow<'static, str> {
    let who = who(lang, staff);
    owned(
        lang,
        format!("{who} 正在替您操作"),
        format!("{who} is operating the screen for you"),
    )
}
