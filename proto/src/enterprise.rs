//! Enterprise matters (企业服务): the enterprises the market-regulation registry lists for a legal
//! representative, and the support policies (惠企政策) the catalogue publishes, each matched to an enterprise
//! by its industry, size and district. A policy granted without applying (免申即享) is shown as already
//! granted to every enterprise it matches; the others say how to apply.

use serde::{Deserialize, Serialize};

use crate::LocalText;

/// An enterprise as the registry lists it for its legal representative (public registry facts).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Enterprise {
    /// 统一社会信用代码.
    pub uscc: String,
    pub name: String,
    /// 有限责任公司, 个体工商户 …
    pub kind: LocalText,
    /// The industry's section (门类) of GB/T 4754-2017: one letter A–T.
    pub industry: String,
    pub size: Size,
    /// The district it is registered in (姑苏区).
    pub district: String,
    /// 住所 or 经营场所.
    pub address: String,
    /// YYYY-MM-DD.
    pub established: String,
}

/// An enterprise's size class (中小企业划型标准).
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    Serialize,
    Deserialize,
    utoipa::ToSchema,
    PartialOrd,
    Ord,
)]
#[serde(rename_all = "snake_case")]
pub enum Size {
    Micro,
    Small,
    Medium,
    Large,
}

impl Size {
    pub fn name(self) -> LocalText {
        let (zh, en) = match self {
            Size::Micro => ("微型企业", "Micro"),
            Size::Small => ("小型企业", "Small"),
            Size::Medium => ("中型企业", "Medium"),
            Size::Large => ("大型企业", "Large"),
        };
        LocalText::new(zh, en)
    }
}

/// The sections (门类) of GB/T 4754-2017, by letter.
const INDUSTRIES: [(&str, &str, &str); 20] = [
    (
        "A",
        "农、林、牧、渔业",
        "Agriculture, forestry, husbandry and fishery",
    ),
    ("B", "采矿业", "Mining"),
    ("C", "制造业", "Manufacturing"),
    (
        "D",
        "电力、热力、燃气及水生产和供应业",
        "Electricity, heat, gas and water",
    ),
    ("E", "建筑业", "Construction"),
    ("F", "批发和零售业", "Wholesale and retail"),
    ("G", "交通运输、仓储和邮政业", "Transport, storage and post"),
    ("H", "住宿和餐饮业", "Accommodation and catering"),
    (
        "I",
        "信息传输、软件和信息技术服务业",
        "Information, software and IT services",
    ),
    ("J", "金融业", "Finance"),
    ("K", "房地产业", "Real estate"),
    ("L", "租赁和商务服务业", "Leasing and business services"),
    (
        "M",
        "科学研究和技术服务业",
        "Research and technical services",
    ),
    (
        "N",
        "水利、环境和公共设施管理业",
        "Water, environment and public facilities",
    ),
    (
        "O",
        "居民服务、修理和其他服务业",
        "Household, repair and other services",
    ),
    ("P", "教育", "Education"),
    ("Q", "卫生和社会工作", "Health and social work"),
    (
        "R",
        "文化、体育和娱乐业",
        "Culture, sports and entertainment",
    ),
    (
        "S",
        "公共管理、社会保障和社会组织",
        "Public administration and social organisations",
    ),
    ("T", "国际组织", "International organisations"),
];

/// The name of industry section `code`, when it is one.
pub fn industry_name(code: &str) -> Option<LocalText> {
    INDUSTRIES
        .iter()
        .find(|(c, _, _)| *c == code)
        .map(|(_, zh, en)| LocalText::new(*zh, *en))
}

/// A support policy (惠企政策) as the catalogue publishes it. An empty list of industries, sizes or
/// districts means any.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Policy {
    pub id: String,
    pub title: LocalText,
    /// What it gives, one sentence.
    pub benefit: LocalText,
    pub department: LocalText,
    #[serde(default)]
    pub industries: Vec<String>,
    #[serde(default)]
    pub sizes: Vec<Size>,
    #[serde(default)]
    pub districts: Vec<String>,
    /// 免申即享: granted to every enterprise it matches, without applying.
    #[serde(default)]
    pub automatic: bool,
    /// How to apply (a policy that is not granted by itself).
    #[serde(default)]
    pub how: LocalText,
    /// YYYY-MM-DD: the last day it applies.
    pub until: String,
}

impl Policy {
    /// Whether `enterprise` is among those it is for: its industry, size and district each listed (or
    /// the list empty).
    pub fn matches(&self, enterprise: &Enterprise) -> bool {
        (self.industries.is_empty() || self.industries.contains(&enterprise.industry))
            && (self.sizes.is_empty() || self.sizes.contains(&enterprise.size))
            && (self.districts.is_empty() || self.districts.contains(&enterprise.district))
    }

    /// What the catalogue's check holds a policy to: an id, both languages, known industry sections, a
    /// date, and a way to apply unless it is granted by itself.
    pub fn check(&self) -> Result<(), String> {
        let id = &self.id;
        if id.is_empty() || id.len() > 32 {
            return Err(format!("policy {id:?}: an id of 1 to 32 characters"));
        }
        for (what, text) in [
            ("title", &self.title),
            ("benefit", &self.benefit),
            ("department", &self.department),
        ] {
            if text.zh.trim().is_empty() || text.en.trim().is_empty() {
                return Err(format!("policy {id}: its {what} needs both languages"));
            }
        }
        if let Some(unknown) = self
            .industries
            .iter()
            .find(|code| industry_name(code).is_none())
        {
            return Err(format!(
                "policy {id}: {unknown:?} is no industry section of GB/T 4754 (A to T)"
            ));
        }
        if crate::application::Date::parse(&self.until).is_none() {
            return Err(format!("policy {id}: until is a date, YYYY-MM-DD"));
        }
        if !self.automatic && (self.how.zh.trim().is_empty() || self.how.en.trim().is_empty()) {
            return Err(format!(
                "policy {id}: a policy that is applied for says how, in both languages"
            ));
        }
        Ok(())
    }
}

/// The policies of `policies` that `enterprise` may have on `today` (YYYY-MM-DD), the ones granted by
/// themselves (免申即享) first.
pub fn matching<'a>(
    policies: &'a [Policy],
    enterprise: &Enterprise,
    today: &str,
) -> Vec<&'a Policy> {
    let mut found: Vec<&Policy> = policies
        .iter()
        .filter(|p| p.matches(enterprise) && p.until.as_str() >= today)
        .collect();
    found.sort_by_key(|p| !p.automatic);
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn enterprise(industry: &str, size: Size, district: &str) -> Enterprise {
        Enterprise {
            uscc: "91320508MA1XYZ0001".into(),
            name: "苏州建国智能科技有限公司".into(),
            kind: LocalText::new("有限责任公司", "Limited company"),
            industry: industry.into(),
            size,
            district: district.into(),
            address: "苏州市吴中区".into(),
            established: "2019-05-20".into(),
        }
    }

    fn policy(industries: &[&str], sizes: &[Size], districts: &[&str], automatic: bool) -> Policy {
        Policy {
            id: "P".into(),
            title: LocalText::new("稳岗返还", "Job retention refund"),
            benefit: LocalText::new("返还", "Refund"),
            department: LocalText::new("人社局", "HR bureau"),
            industries: industries.iter().map(|s| s.to_string()).collect(),
            sizes: sizes.to_vec(),
            districts: districts.iter().map(|s| s.to_string()).collect(),
            automatic,
            how: if automatic {
                LocalText::default()
            } else {
                LocalText::new("网上申请", "Apply online")
            },
            until: "2027-12-31".into(),
        }
    }

    #[test]
    fn a_policy_matches_by_industry_size_and_district_each_or_any() {
        let firm = enterprise("I", Size::Small, "吴中区");
        assert!(policy(&[], &[], &[], true).matches(&firm));
        assert!(
            policy(&["I", "M"], &[Size::Micro, Size::Small], &["吴中区"], false).matches(&firm)
        );
        assert!(!policy(&["C"], &[], &[], false).matches(&firm));
        assert!(!policy(&[], &[Size::Medium], &[], false).matches(&firm));
        assert!(!policy(&[], &[], &["姑苏区"], false).matches(&firm));
    }

    #[test]
    fn granted_ones_come_first_and_past_ones_go() {
        let firm = enterprise("I", Size::Small, "吴中区");
        let mut old = policy(&[], &[], &[], false);
        old.id = "old".into();
        old.until = "2026-01-01".into();
        let mut apply = policy(&[], &[], &[], false);
        apply.id = "apply".into();
        let mut granted = policy(&[], &[], &[], true);
        granted.id = "granted".into();
        let all = [old, apply, granted];
        let ids: Vec<&str> = matching(&all, &firm, "2026-11-23")
            .iter()
            .map(|p| p.id.as_str())
            .collect();
        assert_eq!(ids, ["granted", "apply"]);
    }

    #[test]
    fn a_policy_needs_known_industries_a_date_and_a_way_to_apply() {
        assert!(policy(&["I"], &[], &[], false).check().is_ok());
        assert!(policy(&["Z"], &[], &[], false).check().is_err());
        let mut no_how = policy(&[], &[], &[], false);
        no_how.how = LocalText::default();
        assert!(no_how.check().is_err());
        let mut bad_date = policy(&[], &[], &[], true);
        bad_date.until = "soon".into();
        assert!(bad_date.check().is_err());
        assert_eq!(
            industry_name("I").unwrap().zh,
            "信息传输、软件和信息技术服务业"
        );
    }
}
