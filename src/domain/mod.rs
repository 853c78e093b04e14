//! GUI-free types of the domain: languages, the service catalogue and its search.

pub mod catalogue;
pub mod search;

use serde::{Deserialize, Serialize};

/// The two languages every user-visible string exists in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
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
