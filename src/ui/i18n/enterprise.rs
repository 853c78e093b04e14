//! The strings of enterprise matters (企业服务), in zh-CN and en-US: one arm per string, so a missing
//! language does not compile.

use std::borrow::Cow;

use super::{owned, pick};
use crate::domain::Lang;

/// A string of enterprise matters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EnterpriseWords {
    Tile,
    TileHint,
    Loading,
    ChooseTitle,
    ChooseHint,
    NoneTitle,
    NoneBody,
    Code,
    Kind,
    Industry,
    Size,
    District,
    Established,
    PrintLicence,
    PrintLicenceHint,
    Change,
    ChangeHint,
    Request,
    RequestHint,
    Policies,
    PoliciesHint,
    PoliciesTitle,
    /// The number of policies found for the enterprise.
    PoliciesFound(usize),
    PoliciesNone,
    Granted,
    HowToApply,
    Until,
    OtherEnterprise,
}

pub fn tr(lang: Lang, w: EnterpriseWords) -> Cow<'static, str> {
    match w {
        EnterpriseWords::Tile => pick(lang, "企业服务", "For businesses"),
        EnterpriseWords::TileHint => pick(
            lang,
            "法定代表人办理：营业执照打印、变更登记、企业诉求、惠企政策",
            "For legal representatives: business licence, changes, requests, support policies",
        ),
        EnterpriseWords::Loading => pick(
            lang,
            "正在查询您担任法定代表人的企业…",
            "Finding the businesses you represent…",
        ),
        EnterpriseWords::ChooseTitle => pick(lang, "请选择企业", "Choose the business"),
        EnterpriseWords::ChooseHint => pick(
            lang,
            "以下是登记在您名下（法定代表人或经营者）的企业",
            "The businesses registered with you as legal representative or operator",
        ),
        EnterpriseWords::NoneTitle => pick(
            lang,
            "没有查到您名下的企业",
            "No business is registered with you",
        ),
        EnterpriseWords::NoneBody => pick(
            lang,
            "企业服务由企业的法定代表人（或个体工商户经营者）本人办理。如登记信息有误，请到 2 楼企业开办专区咨询。",
            "Business services are for a business's legal representative or a sole proprietor. If the register is wrong, ask at the company opening zone, 2F.",
        ),
        EnterpriseWords::Code => pick(lang, "统一社会信用代码", "Unified social credit code"),
        EnterpriseWords::Kind => pick(lang, "类型", "Type"),
        EnterpriseWords::Industry => pick(lang, "行业", "Industry"),
        EnterpriseWords::Size => pick(lang, "规模", "Size"),
        EnterpriseWords::District => pick(lang, "登记所在区", "District"),
        EnterpriseWords::Established => pick(lang, "成立日期", "Established"),
        EnterpriseWords::PrintLicence => pick(lang, "打印营业执照", "Print the business licence"),
        EnterpriseWords::PrintLicenceHint => pick(
            lang,
            "电子营业执照打印件，需放置身份证",
            "A printed copy of the e-licence; needs your ID card",
        ),
        EnterpriseWords::Change => pick(lang, "变更登记", "Register a change"),
        EnterpriseWords::ChangeHint => pick(
            lang,
            "住所、经营范围、注册资本、名称",
            "Address, business scope, capital, name",
        ),
        EnterpriseWords::Request => pick(lang, "企业诉求", "Make a request"),
        EnterpriseWords::RequestHint => pick(
            lang,
            "经营中的困难直达营商环境办公室",
            "Problems in running the business, straight to the office that helps",
        ),
        EnterpriseWords::Policies => pick(lang, "惠企政策", "Support policies"),
        EnterpriseWords::PoliciesHint => pick(
            lang,
            "按行业、规模和所在区为本企业匹配",
            "Matched to this business by industry, size and district",
        ),
        EnterpriseWords::PoliciesTitle => pick(lang, "为本企业匹配的惠企政策", "Policies for this business"),
        EnterpriseWords::PoliciesFound(n) => owned(
            lang,
            format!("共 {n} 项，免申即享的已为本企业自动兑现"),
            format!(
                "{n} found; those granted without applying are already paid to this business"
            ),
        ),
        EnterpriseWords::PoliciesNone => pick(
            lang,
            "目前没有与本企业行业、规模和所在区匹配的政策。新政策发布后将在此显示。",
            "No policy matches this business's industry, size and district now. New ones will show here.",
        ),
        EnterpriseWords::Granted => pick(
            lang,
            "✓ 免申即享：已为本企业自动兑现，无需申请",
            "✓ Granted without applying: already paid to this business, nothing to do",
        ),
        EnterpriseWords::HowToApply => pick(lang, "申请方式", "How to apply"),
        EnterpriseWords::Until => pick(lang, "有效期至", "Until"),
        EnterpriseWords::OtherEnterprise => pick(lang, "选择其他企业", "Another business"),
    }
}
