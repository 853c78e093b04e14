//! Wire types of the terminal ↔ hub API, shared by both sides: languages and bilingual text, and the
//! service catalogue the hub publishes and the terminal caches, printable documents and their templates,
//! signatures, and cases, print claims and ratings; remote guidance (远程导办) messages.
//!
//! The API is versioned: a terminal sends [`API_VERSION`] with every request, and the hub answers the
//! versions it still speaks.

pub mod application;
pub mod assist;
pub mod catalogue;
pub mod document;
pub mod enterprise;
pub mod fields;
pub mod fleet;
pub mod logcopy;
pub mod remote;
pub mod secret;
pub mod service;
pub mod signin;
pub mod template;
pub mod verify;

use serde::{Deserialize, Serialize};

/// The version of the wire format this crate describes.
pub const API_VERSION: u32 = 1;

/// The two languages every user-visible string exists in.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema, Default,
)]
pub enum Lang {
    #[default]
    #[serde(rename = "zh-CN")]
    Zh,
    #[serde(rename = "en-US")]
    En,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::Zh, Lang::En];

    /// The BCP 47 tag used in config files and on the wire.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::Zh => "zh-CN",
            Lang::En => "en-US",
        }
    }

    pub fn other(self) -> Lang {
        match self {
            Lang::Zh => Lang::En,
            Lang::En => Lang::Zh,
        }
    }

    /// Parses `zh`, `zh-CN`, `en` or `en-US`.
    pub fn parse(s: &str) -> Option<Lang> {
        match s {
            "zh" | "zh-CN" | "zh_CN" => Some(Lang::Zh),
            "en" | "en-US" | "en_US" => Some(Lang::En),
            _ => None,
        }
    }
}

/// A text that comes from data (catalogue, announcements, config) in both languages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct LocalText {
    pub zh: String,
    pub en: String,
}

impl LocalText {
    pub fn new(zh: impl Into<String>, en: impl Into<String>) -> Self {
        LocalText {
            zh: zh.into(),
            en: en.into(),
        }
    }

    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::Zh => &self.zh,
            Lang::En => &self.en,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn languages_travel_as_bcp47_tags() {
        assert_eq!(serde_json::to_string(&Lang::Zh).unwrap(), "\"zh-CN\"");
        assert_eq!(serde_json::from_str::<Lang>("\"en-US\"").unwrap(), Lang::En);
        assert!(serde_json::from_str::<Lang>("\"fr-FR\"").is_err());
        assert_eq!(Lang::parse("zh"), Some(Lang::Zh));
        assert_eq!(Lang::Zh.other(), Lang::En);
    }

    #[test]
    fn local_text_refuses_unknown_fields() {
        let err =
            serde_json::from_str::<LocalText>(r#"{"zh":"办","en":"Do","fr":"x"}"#).unwrap_err();
        assert!(err.to_string().contains("unknown field `fr`"));
    }
}
