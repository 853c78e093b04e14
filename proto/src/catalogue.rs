//! The service catalogue (办事指南): themes, services and announcements, as the hub publishes them and the
//! terminal caches them (a copy is bundled with the terminal for an offline first start).

use std::collections::HashSet;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::LocalText;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Catalogue {
    pub version: String,
    pub themes: Vec<Theme>,
    pub services: Vec<Service>,
    #[serde(default)]
    pub announcements: Vec<Announcement>,
    /// The hall's place names (streets, communities, parks, buildings) that no general dictionary holds:
    /// the terminal's pinyin offers them first when their full pinyin is typed.
    #[serde(default)]
    pub local_words: Vec<String>,
    /// Support policies for enterprises (惠企政策), matched to each by its industry, size and district.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub policies: Vec<crate::enterprise::Policy>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Theme {
    pub id: String,
    pub name: LocalText,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Service {
    pub id: String,
    pub theme: String,
    pub name: LocalText,
    /// Other names citizens use for it (开公司 for 企业设立登记).
    #[serde(default)]
    pub aliases: Vec<LocalText>,
    pub department: LocalText,
    /// What it does, one or two sentences.
    pub summary: LocalText,
    pub materials: Vec<LocalText>,
    /// Time limit set by law, in working days; 0 means on the spot (即办).
    pub legal_days: u32,
    /// Time limit the hall promises, in working days; 0 means on the spot.
    pub promised_days: u32,
    pub fee: LocalText,
    /// Where to go in person.
    pub location: LocalText,
    /// Whether this terminal can do it (print, apply or query) without a counter.
    pub at_terminal: bool,
    /// Whether the government app's dynamic sign-in code (亮码) proves the applicant here instead of the
    /// ID card on the reader. Printing a holder's licences always needs the card itself.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub accepts_code: bool,
    /// An enterprise's matter (企业服务): applied for once the legal representative chose the enterprise,
    /// whose registry facts its form may prefill; it is not offered among the citizen's applications.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub enterprise: bool,
    /// The service's page on the provincial online service platform.
    pub online_url: String,
    /// How the service is applied for at the terminal (自助申报), when it can be.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub application: Option<crate::application::ApplicationForm>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Announcement {
    pub title: LocalText,
    pub body: LocalText,
}

#[derive(Debug, thiserror::Error)]
pub enum CatalogueError {
    #[error("cannot read catalogue {path}: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("catalogue {path} is not valid: {source}")]
    Json {
        path: String,
        source: serde_json::Error,
    },
    #[error("catalogue {path} is inconsistent: {problem}")]
    Inconsistent { path: String, problem: String },
}

/// A CJK unified ideograph (the basic block and extension A).
fn is_han(c: char) -> bool {
    matches!(c, '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}')
}

impl Catalogue {
    pub fn load(path: &Path) -> Result<Catalogue, CatalogueError> {
        let name = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|source| CatalogueError::Read {
            path: name.clone(),
            source,
        })?;
        Catalogue::from_json(&text, &name)
    }

    pub fn from_json(text: &str, name: &str) -> Result<Catalogue, CatalogueError> {
        let catalogue: Catalogue =
            serde_json::from_str(text).map_err(|source| CatalogueError::Json {
                path: name.to_string(),
                source,
            })?;
        catalogue
            .check()
            .map_err(|problem| CatalogueError::Inconsistent {
                path: name.to_string(),
                problem,
            })?;
        Ok(catalogue)
    }

    /// Every service names a known theme; ids are unique; no text is missing a language.
    fn check(&self) -> Result<(), String> {
        let themes: HashSet<&str> = self.themes.iter().map(|t| t.id.as_str()).collect();
        let mut ids = HashSet::new();
        for s in &self.services {
            if !ids.insert(s.id.as_str()) {
                return Err(format!("service id {} appears twice", s.id));
            }
            if !themes.contains(s.theme.as_str()) {
                return Err(format!("service {} names unknown theme {}", s.id, s.theme));
            }
            let texts = [&s.name, &s.department, &s.summary, &s.fee, &s.location];
            if texts
                .into_iter()
                .chain(&s.materials)
                .any(|t| t.zh.trim().is_empty() || t.en.trim().is_empty())
            {
                return Err(format!("service {} has a text missing a language", s.id));
            }
            if let Some(form) = &s.application {
                form.check()
                    .map_err(|problem| format!("service {}'s application: {problem}", s.id))?;
                if !s.enterprise
                    && form.fields.iter().any(|f| {
                        f.prefill
                            .is_some_and(crate::application::Prefill::is_enterprise)
                    })
                {
                    return Err(format!(
                        "service {}'s application prefills an enterprise's facts: mark the service \"enterprise\": true",
                        s.id
                    ));
                }
            }
        }
        let mut policies = HashSet::new();
        for policy in &self.policies {
            policy.check()?;
            if !policies.insert(policy.id.as_str()) {
                return Err(format!("policy id {} appears twice", policy.id));
            }
        }
        let mut words = HashSet::new();
        for word in &self.local_words {
            let n = word.chars().count();
            if !(2..=12).contains(&n) || !word.chars().all(is_han) {
                return Err(format!(
                    "local word {word:?} is not 2 to 12 Chinese characters"
                ));
            }
            if !words.insert(word.as_str()) {
                return Err(format!("local word {word} appears twice"));
            }
        }
        Ok(())
    }

    pub fn service(&self, id: &str) -> Option<&Service> {
        self.services.iter().find(|s| s.id == id)
    }

    pub fn theme(&self, id: &str) -> Option<&Theme> {
        self.themes.iter().find(|t| t.id == id)
    }

    pub fn services_of<'a>(&'a self, theme: &'a str) -> impl Iterator<Item = &'a Service> + 'a {
        self.services.iter().filter(move |s| s.theme == theme)
    }
}
