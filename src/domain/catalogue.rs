//! The service catalogue on the terminal: the wire types from `kiosk-proto`, and the copy bundled under
//! `assets/` for an offline first start.

pub use kiosk_proto::catalogue::*;

/// The catalogue bundled with the software.
pub const BUNDLED: &str = include_str!("../../assets/catalogue.json");

/// The catalogue shipped inside the binary; it is checked by the tests, so this cannot fail at run time.
pub fn bundled() -> Catalogue {
    Catalogue::from_json(BUNDLED, "(bundled)").expect("the bundled catalogue is valid")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundled_catalogue_is_a_realistic_suzhou_hall() {
        let c = bundled();
        assert!(c.services.len() >= 40, "{} services", c.services.len());
        for theme in [
            "企业开办",
            "不动产登记",
            "社保医保",
            "户籍",
            "出入境",
            "税务",
            "公积金",
            "一件事",
        ] {
            let t = c
                .themes
                .iter()
                .find(|t| t.name.zh == theme)
                .unwrap_or_else(|| panic!("theme {theme}"));
            assert!(c.services_of(&t.id).count() >= 3, "theme {theme} is thin");
        }
        assert!(c.services.iter().any(|s| s.name.zh == "出生一件事"));
        assert!(c.services.iter().any(|s| s.at_terminal));
        assert!(c.services.iter().all(|s| s.promised_days <= s.legal_days));
        assert!(c
            .services
            .iter()
            .all(|s| s.online_url.starts_with("https://")));
        assert!(!c.announcements.is_empty());
    }

    #[test]
    fn unknown_theme_is_refused() {
        let mut c = bundled();
        c.services[0].theme = "nope".into();
        let text = serde_json::to_string(&c).unwrap();
        let err = Catalogue::from_json(&text, "x.json").unwrap_err();
        assert!(err.to_string().contains("unknown theme nope"));
    }
}
