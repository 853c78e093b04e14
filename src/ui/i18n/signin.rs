//! The strings of signing in with the government app's dynamic code (亮码), in zh-CN and en-US: one arm per
//! string, so a missing language does not compile.

use std::borrow::Cow;

use super::pick;
use crate::domain::signin::CodeProblem;
use crate::domain::Lang;

/// A string of sign-in by code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignInWords {
    /// The card screen's line that a code works here too.
    Offered,
    /// The card screen's note that the card itself is needed here.
    CardNeededNote,
    CheckingTitle,
    CheckingBody,
    /// The welcome's line in place of the card's kind.
    ByCode,
    /// The welcome's reminder that printing licences still needs the card.
    PrintNeedsCard,
    ProblemTitle(CodeProblem),
    ProblemBody(CodeProblem),
    CardNeededTitle,
    CardNeededBody,
    /// The button after a refused code.
    ScanAgain,
}

pub fn tr(lang: Lang, w: SignInWords) -> Cow<'static, str> {
    match w {
        SignInWords::Offered => pick(
            lang,
            "也可以打开政务服务 App 出示身份码（亮码），对准屏幕下方的扫码窗口",
            "Or open the government services app and hold its sign-in code to the scanner below the screen",
        ),
        SignInWords::CardNeededNote => pick(
            lang,
            "此项服务需要身份证原件，身份码不能代替",
            "This service needs the ID card itself: the app's code cannot stand in for it",
        ),
        SignInWords::CheckingTitle => pick(lang, "正在核验身份码…", "Checking your code…"),
        SignInWords::CheckingBody => pick(
            lang,
            "请稍候，手机可以放下了",
            "One moment: you can put your phone away",
        ),
        SignInWords::ByCode => pick(lang, "已通过身份码核验", "Signed in with your app's code"),
        SignInWords::PrintNeedsCard => pick(
            lang,
            "打印证照时仍需放置身份证原件。",
            "Printing your licences will still need the ID card itself.",
        ),
        SignInWords::ProblemTitle(problem) => match problem {
            CodeProblem::Expired => pick(lang, "身份码已过期", "This code has expired"),
            CodeProblem::Used => pick(lang, "身份码已使用过", "This code was used already"),
            CodeProblem::Forged | CodeProblem::Damaged | CodeProblem::NotACode => pick(
                lang,
                "无法识别此身份码",
                "This code is not a valid sign-in code",
            ),
            CodeProblem::Offline => pick(
                lang,
                "暂时无法核验身份码",
                "Codes cannot be checked right now",
            ),
        },
        SignInWords::ProblemBody(problem) => match problem {
            CodeProblem::Expired => pick(
                lang,
                "身份码一分钟内有效。请在手机上刷新身份码后再扫一次。",
                "A code works for one minute. Refresh it on your phone and scan it again.",
            ),
            CodeProblem::Used => pick(
                lang,
                "每个身份码只能使用一次，截图或照片不能使用。请在手机上刷新身份码后再扫一次。",
                "Each code works once: a screenshot or a photo of one does not. Refresh it on your phone and scan it again.",
            ),
            CodeProblem::Forged | CodeProblem::Damaged | CodeProblem::NotACode => pick(
                lang,
                "请出示政务服务 App 中的身份码，或将身份证放在读卡区。",
                "Show the sign-in code of the government services app, or place your ID card on the reader.",
            ),
            CodeProblem::Offline => pick(
                lang,
                "网络暂时不通。请将身份证放在读卡区登录。",
                "The network is down for now. Please place your ID card on the reader to sign in.",
            ),
        },
        SignInWords::ScanAgain => pick(lang, "重新扫码", "Scan again"),
        SignInWords::CardNeededTitle => pick(lang, "请放置身份证原件", "Please place your ID card"),
        SignInWords::CardNeededBody => pick(
            lang,
            "此项服务需要身份证原件，身份码不能代替。请将本人身份证放在读卡区。",
            "This service needs the ID card itself; the app's code cannot stand in for it. Please place your own ID card on the reader.",
        ),
    }
}
