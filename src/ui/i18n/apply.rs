//! The strings of 自助申报 (applying at the terminal), in zh-CN and en-US: one arm per string, so a missing
//! language does not compile. What a material's problem or a field's check says comes from the form's own
//! texts (`kiosk_proto::application`), in both languages.

use std::borrow::Cow;

use super::{owned, pick};
use crate::device::camera::CaptureProblem;
use crate::domain::application::LibraryMiss;
use crate::domain::Lang;

/// A string of the application journey.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ApplyWords {
    ApplyHere,
    ChooseTitle,
    ChooseHint,
    NoForms,
    NoticeTitle,
    NoticeWhat,
    NoticeKept(u32),
    NoticeBundle,
    NoticePromised(u32),
    NoticeMaterials,
    NoticeNone,
    Agree,
    Disagree,
    Step(Part),
    /// "Step 2 of 5"
    StepOf(usize, usize),
    FormHint,
    FromCard,
    /// A value from the chosen enterprise's registry entry.
    FromRegistry,
    /// Prefilled from the hub's records, and may be changed.
    FromRecords,
    Required,
    Optional,
    TapToFill,
    Next,
    LibraryLooking,
    FoundInLibrary,
    Miss(LibraryMiss),
    Capture,
    Phone,
    PhoneScan,
    PhoneReceived(usize),
    PhoneExpired,
    PhoneClose,
    PhoneUnavailable,
    Capturing,
    DeletePage,
    Pages(usize, u32, u32),
    PlaceOnCamera,
    MaterialOptional,
    MaterialMissing,
    CaptureProblem(CaptureProblem),
    CameraUnavailable,
    SignTitle,
    Declaration,
    SignHere,
    SignAgain,
    SignFirst,
    Signed,
    DeliveryTitle,
    Recipient,
    EmsPhone,
    EmsAddress,
    Postcode,
    ReviewTitle,
    Change,
    Submit,
    Submitting,
    DoneTitle,
    YourNumber,
    Sent,
    NotSent,
    RefusedByHub,
    ReceiptPrinting,
    ReceiptTake,
    ReceiptNotPrinted,
    ReceiptMaybePrinted,
    Reprint,
    Promised(u32),
    KeepNumber,
    SupplyTitle,
    SupplyOf,
    SupplyAsked,
    /// "Supply by 2026-11-24" (none: the day did not parse).
    SupplyBy(Option<kiosk_proto::application::Date>),
    SupplyStart,
    SupplyLater,
    ReviewerSaid,
    SupplyNumber,
    FilledByStaff,
    SupplyDone,
}

/// The parts of an application, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
pub enum Part {
    Form,
    Materials,
    Signature,
    Delivery,
    Review,
}

/// The spoken prompts of the journey.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ApplyPrompt {
    Choose,
    Notice,
    Form,
    Materials,
    Signature,
    Delivery,
    Review,
    Done,
    NotPrinted,
}

pub fn tr(lang: Lang, w: ApplyWords) -> Cow<'static, str> {
    match w {
        ApplyWords::ApplyHere => pick(lang, "在此申报", "Apply here"),
        ApplyWords::ChooseTitle => pick(lang, "自助申报", "Apply at this terminal"),
        ApplyWords::ChooseHint => pick(
            lang,
            "以下事项可在本机申报，材料能从电子证照库调取的无需再交",
            "These services can be applied for here; documents the government already holds are fetched for you",
        ),
        ApplyWords::NoForms => pick(
            lang,
            "本机暂无可申报的事项，请到窗口办理",
            "No service can be applied for at this terminal yet; please go to a counter",
        ),
        ApplyWords::NoticeTitle => pick(lang, "申报须知", "Before you apply"),
        ApplyWords::NoticeWhat => pick(lang, "采集哪些信息、为什么", "What we collect and why"),
        ApplyWords::NoticeKept(days) => owned(
            lang,
            format!("办结后保存 {days} 天即删除；提交前保存在本机并加密，送达后立即删除。"),
            format!("Kept {days} days after the case ends, then deleted; encrypted on this terminal until it is sent, deleted from it once sent."),
        ),
        ApplyWords::NoticeBundle => pick(
            lang,
            "一次申请，以下部门联合办理：",
            "One application, handled together by:",
        ),
        ApplyWords::NoticePromised(0) => pick(lang, "承诺时限：即办", "Promised: on the spot"),
        ApplyWords::NoticePromised(days) => owned(
            lang,
            format!("承诺时限：{days} 个工作日"),
            format!("Promised within {days} working days"),
        ),
        ApplyWords::NoticeMaterials => pick(lang, "需要的材料", "Documents needed"),
        ApplyWords::NoticeNone => pick(lang, "无需提交材料", "No documents needed"),
        ApplyWords::Agree => pick(lang, "我已阅读，同意并开始", "I have read this: agree and start"),
        ApplyWords::Disagree => pick(lang, "不同意，返回", "Disagree, go back"),
        ApplyWords::Step(Part::Form) => pick(lang, "填写信息", "Details"),
        ApplyWords::Step(Part::Materials) => pick(lang, "提交材料", "Documents"),
        ApplyWords::Step(Part::Signature) => pick(lang, "签名", "Signature"),
        ApplyWords::Step(Part::Delivery) => pick(lang, "领取方式", "Delivery"),
        ApplyWords::Step(Part::Review) => pick(lang, "核对提交", "Check and submit"),
        ApplyWords::StepOf(n, of) => {
            owned(lang, format!("第 {n} 步，共 {of} 步"), format!("Step {n} of {of}"))
        }
        ApplyWords::FormHint => pick(
            lang,
            "身份证上的信息已自动填好，只需填写其余各项",
            "What your ID card holds is filled in; fill in the rest",
        ),
        ApplyWords::FromCard => pick(lang, "已从身份证读取", "From your ID card"),
        ApplyWords::FromRegistry => pick(lang, "已从企业登记信息读取", "From the business register"),
        ApplyWords::FromRecords => pick(
            lang,
            "已从政务数据调取，请核对",
            "From government records, please check",
        ),
        ApplyWords::Required => pick(lang, "必填", "required"),
        ApplyWords::Optional => pick(lang, "选填", "optional"),
        ApplyWords::TapToFill => pick(lang, "轻触填写", "Tap to fill in"),
        ApplyWords::Next => pick(lang, "下一步", "Next"),
        ApplyWords::LibraryLooking => pick(
            lang,
            "正在电子证照库中查找您的证照…",
            "Looking for your licences in the e-licence library…",
        ),
        ApplyWords::FoundInLibrary => pick(
            lang,
            "已从电子证照库调取，无需提交",
            "Fetched from the e-licence library: nothing to hand in",
        ),
        ApplyWords::Miss(LibraryMiss::NotHeld) => pick(
            lang,
            "电子证照库中没有此证照，请拍摄原件",
            "The e-licence library does not hold it: please photograph the original",
        ),
        ApplyWords::Miss(LibraryMiss::Unreachable) => pick(
            lang,
            "暂时无法连接电子证照库，请拍摄原件",
            "The e-licence library cannot be reached now: please photograph the original",
        ),
        ApplyWords::Capture => pick(lang, "拍摄", "Photograph"),
        ApplyWords::Phone => pick(lang, "手机上传", "Upload from a phone"),
        ApplyWords::PhoneScan => pick(
            lang,
            "请用手机扫描二维码，拍照上传（10 分钟内有效，仅限本次）",
            "Scan the code with your phone and upload photos (valid 10 minutes, this time only)",
        ),
        ApplyWords::PhoneReceived(n) => owned(
            lang,
            format!("已收到手机上传 {n} 张"),
            format!("{n} photo(s) received from the phone"),
        ),
        ApplyWords::PhoneExpired => pick(
            lang,
            "二维码已过期，请重新获取",
            "The code has expired: get a new one",
        ),
        ApplyWords::PhoneClose => pick(lang, "上传完成", "Done uploading"),
        ApplyWords::PhoneUnavailable => pick(
            lang,
            "暂时无法使用手机上传，请用高拍仪拍摄",
            "Phone upload is not available now: use the document camera",
        ),
        ApplyWords::Capturing => pick(lang, "正在拍摄，请勿移动材料…", "Photographing: keep the page still…"),
        ApplyWords::DeletePage => pick(lang, "删除重拍", "Delete and retake"),
        ApplyWords::Pages(n, min, max) if min == max => owned(
            lang,
            format!("已拍 {n} 页（需 {min} 页）"),
            format!("{n} page(s) taken ({min} needed)"),
        ),
        ApplyWords::Pages(n, min, max) => owned(
            lang,
            format!("已拍 {n} 页（需 {min}–{max} 页）"),
            format!("{n} page(s) taken ({min} to {max})"),
        ),
        ApplyWords::PlaceOnCamera => pick(
            lang,
            "请将材料正面朝上放在高拍仪下，再点“拍摄”",
            "Put the document face up under the camera, then tap Photograph",
        ),
        ApplyWords::MaterialOptional => pick(lang, "选交", "optional"),
        ApplyWords::MaterialMissing => pick(
            lang,
            "还有材料未拍摄，请按提示拍摄",
            "A document is still missing: photograph it as shown",
        ),
        ApplyWords::CaptureProblem(CaptureProblem::NoPage) => pick(
            lang,
            "没有看到材料，请把材料放在高拍仪下方",
            "No page seen: put the document under the camera",
        ),
        ApplyWords::CaptureProblem(CaptureProblem::Blurred) => pick(
            lang,
            "照片模糊，请放平材料、不要移动，再拍一次",
            "The photo is blurred: lay the page flat, keep it still and try again",
        ),
        ApplyWords::CaptureProblem(CaptureProblem::Unplugged | CaptureProblem::NoAnswer)
        | ApplyWords::CameraUnavailable => pick(
            lang,
            "高拍仪暂不可用，请呼叫工作人员或到窗口提交",
            "The document camera is not available: call staff or hand it in at a counter",
        ),
        ApplyWords::SignTitle => pick(lang, "请在下方签名", "Please sign below"),
        ApplyWords::Declaration => pick(
            lang,
            "本人承诺所填信息和所交材料真实、有效，如有虚假，愿承担相应法律责任。",
            "I declare that the details and documents I give are true and valid, and accept the legal consequences if they are not.",
        ),
        ApplyWords::SignHere => pick(lang, "请用手指在此签名", "Sign here with your finger"),
        ApplyWords::SignAgain => pick(lang, "重写", "Sign again"),
        ApplyWords::SignFirst => pick(lang, "请先签名", "Please sign first"),
        ApplyWords::Signed => pick(lang, "已签名", "Signed"),
        ApplyWords::DeliveryTitle => pick(lang, "结果怎样给您？", "How should the result reach you?"),
        ApplyWords::Recipient => pick(lang, "收件人", "Recipient"),
        ApplyWords::EmsPhone => pick(lang, "收件人手机", "Recipient's mobile"),
        ApplyWords::EmsAddress => pick(lang, "寄递地址", "Address"),
        ApplyWords::Postcode => pick(lang, "邮政编码（选填）", "Postcode (optional)"),
        ApplyWords::ReviewTitle => pick(lang, "请核对后提交", "Check, then submit"),
        ApplyWords::Change => pick(lang, "修改", "Change"),
        ApplyWords::Submit => pick(lang, "确认提交", "Submit"),
        ApplyWords::Submitting => pick(lang, "正在提交…", "Submitting…"),
        ApplyWords::DoneTitle => pick(lang, "申报已提交", "Your application is in"),
        ApplyWords::SupplyTitle => pick(lang, "补正：补交材料", "More is needed: supply it here"),
        ApplyWords::SupplyOf => pick(lang, "所补申报", "For application"),
        ApplyWords::SupplyAsked => pick(
            lang,
            "审核人员一次性告知需补正以下内容：",
            "The reviewer asked for these, all at once:",
        ),
        ApplyWords::SupplyBy(Some(day)) => owned(
            lang,
            format!("请于 {day} 前补交"),
            format!("Supply by {day}"),
        ),
        ApplyWords::SupplyBy(None) => pick(lang, "请尽快补交", "Supply them soon"),
        ApplyWords::SupplyStart => pick(lang, "开始补交", "Start"),
        ApplyWords::SupplyLater => pick(lang, "暂不补交，返回", "Not now, go back"),
        ApplyWords::ReviewerSaid => pick(lang, "审核意见", "The reviewer says"),
        ApplyWords::SupplyNumber => pick(lang, "补正回执编号", "Supplement receipt number"),
        ApplyWords::FilledByStaff => pick(lang, "工作人员代填，请核对", "Filled in by staff: check it"),
        ApplyWords::SupplyDone => pick(lang, "补正已提交", "Your supplement is in"),
        ApplyWords::YourNumber => pick(lang, "申报编号", "Application number"),
        ApplyWords::Sent => pick(
            lang,
            "已送达政务服务中心，等待受理，结果将短信告知",
            "Received by the service centre, waiting to be accepted; you will get a text message",
        ),
        ApplyWords::NotSent => pick(
            lang,
            "已在本机提交保存，网络恢复后自动送达（尚未受理）",
            "Saved at this terminal; it is sent as soon as the network is back (not accepted yet)",
        ),
        ApplyWords::RefusedByHub => pick(
            lang,
            "未能送达政务服务中心：请持回执到窗口办理，或呼叫工作人员",
            "The service centre could not take it: bring the receipt to a counter, or call staff",
        ),
        ApplyWords::ReceiptPrinting => pick(lang, "正在打印回执…", "Printing your receipt…"),
        ApplyWords::ReceiptTake => pick(lang, "请取走回执", "Please take your receipt"),
        ApplyWords::ReceiptNotPrinted => pick(
            lang,
            "回执没有打印出来，申报不受影响。请记下申报编号，或稍后补打",
            "The receipt did not print; your application stands. Note the number, or print it again later",
        ),
        ApplyWords::ReceiptMaybePrinted => pick(
            lang,
            "回执可能未打印完整，请查看出纸口；申报不受影响",
            "The receipt may not have printed whole: look at the outlet; your application stands",
        ),
        ApplyWords::Reprint => pick(lang, "补打回执", "Print the receipt again"),
        ApplyWords::Promised(0) => pick(lang, "即办", "On the spot"),
        ApplyWords::Promised(days) => owned(
            lang,
            format!("承诺 {days} 个工作日内办结（自送达之日起）"),
            format!("Promised within {days} working days of receipt"),
        ),
        ApplyWords::KeepNumber => pick(
            lang,
            "凭申报编号或身份证可在“办件查询”查看进度",
            "Follow it under Progress with this number or your ID card",
        ),
    }
}

/// What each step says aloud.
pub fn say(lang: Lang, prompt: ApplyPrompt) -> Cow<'static, str> {
    match prompt {
        ApplyPrompt::Choose => pick(lang, "请选择要申报的事项", "Choose what to apply for"),
        ApplyPrompt::Notice => pick(
            lang,
            "请阅读申报须知，同意后开始填写",
            "Read what we collect, then agree to start",
        ),
        ApplyPrompt::Form => pick(
            lang,
            "身份证信息已填好，请填写其余各项",
            "Your card's details are in; fill in the rest",
        ),
        ApplyPrompt::Materials => pick(
            lang,
            "请核对材料，需要拍摄的请放在高拍仪下",
            "Check the documents; put any to photograph under the camera",
        ),
        ApplyPrompt::Signature => pick(lang, "请在屏幕上签名", "Please sign on the screen"),
        ApplyPrompt::Delivery => pick(lang, "请选择领取方式", "Choose how to get the result"),
        ApplyPrompt::Review => pick(
            lang,
            "请核对申报信息，无误后点确认提交",
            "Check everything, then tap Submit",
        ),
        ApplyPrompt::Done => pick(
            lang,
            "申报已提交，请取走回执",
            "Your application is in; please take your receipt",
        ),
        ApplyPrompt::NotPrinted => pick(
            lang,
            "申报已提交，回执未能打印，请记下申报编号",
            "Your application is in, but the receipt did not print; note the number",
        ),
    }
}
