//! What the hub may set and ask of a terminal from the operators' console: settings with versions, applied
//! at the terminal's next beat, and commands answered with a result.
//!
//! Settings are published for every terminal, an update ring, a hall, or one terminal; a terminal's settings
//! are the four laid over each other in that order ([`RemoteSettings::over`]). Numbers travel as they were typed: the
//! terminal checks each against its own configuration's rules and reports what it refused and why
//! ([`Refusal`], in its next heartbeat).

use serde::{Deserialize, Serialize};

use crate::LocalText;

/// The settings a hub may set; an absent one leaves the terminal's own.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RemoteSettings {
    /// Seconds of no touch before "are you still there?" (`[ui] idle_seconds`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub idle_seconds: Option<i64>,
    /// Seconds that question counts down (`[ui] countdown_seconds`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub countdown_seconds: Option<i64>,
    /// Seconds each announcement shows on the start screen (`[ui] announcement_seconds`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub announcement_seconds: Option<i64>,
    /// The hall's name on the screens and receipts (`[terminal] hall_name_zh`, `hall_name_en`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hall_name: Option<LocalText>,
    /// Whether a session starts in elder mode (`[ui] elder_mode`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub elder_mode: Option<bool>,
    /// `auto` (in elder mode), `on` or `off` (`[ui] voice`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub voice: Option<String>,
    /// Fuzzy pinyin (zh=z, an=ang …) in the keyboard (`[input] fuzzy_pinyin`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fuzzy_pinyin: Option<bool>,
    /// Out of service with this message (a hall closed for a day), or back in service (`None` inside).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub out_of_service: Option<Switch>,
    /// The version of the terminal's package to run (`0.2.0-1`): installed from the signed repository by
    /// kiosk-update once no citizen is at the screen, pinned, so an older one is a rollback. Published for a
    /// ring (`canary`) first, then for everyone.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub software_version: Option<String>,
}

/// The out-of-service switch as the hub sets it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Switch {
    /// True: out of service.
    pub off: bool,
    /// What the screen says while out of service (the terminal's own words when absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<LocalText>,
}

impl RemoteSettings {
    /// These settings with `top`'s laid over them (a hall's over everyone's, a terminal's over its hall's).
    pub fn over(&self, top: &RemoteSettings) -> RemoteSettings {
        RemoteSettings {
            idle_seconds: top.idle_seconds.or(self.idle_seconds),
            countdown_seconds: top.countdown_seconds.or(self.countdown_seconds),
            announcement_seconds: top.announcement_seconds.or(self.announcement_seconds),
            hall_name: top.hall_name.clone().or_else(|| self.hall_name.clone()),
            elder_mode: top.elder_mode.or(self.elder_mode),
            voice: top.voice.clone().or_else(|| self.voice.clone()),
            fuzzy_pinyin: top.fuzzy_pinyin.or(self.fuzzy_pinyin),
            out_of_service: top
                .out_of_service
                .clone()
                .or_else(|| self.out_of_service.clone()),
            software_version: top
                .software_version
                .clone()
                .or_else(|| self.software_version.clone()),
        }
    }

    pub fn is_empty(&self) -> bool {
        *self == RemoteSettings::default()
    }
}

/// `GET /v1/settings`: the terminal's settings and the version they have.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SettingsReply {
    pub version: u64,
    pub settings: RemoteSettings,
    /// The technicians who may open service mode, signed by the hub (none: the hub has issued no
    /// accounts; the terminal's own PIN opens it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub technicians: Option<SignedList>,
}

/// A technician the hub issued an account: their staff number, name and PIN (kept only as its hash).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Technician {
    pub number: String,
    pub name: String,
    pub pin_hash: String,
}

/// Every technician with an account, as issued at `issued_ms` (a revoked one is left out).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TechnicianList {
    pub issued_ms: i64,
    pub technicians: Vec<Technician>,
}

/// The list as the hub signs it: its JSON, and an Ed25519 signature over those bytes (base64), by the key
/// that signs documents (the terminal keeps the hub's keys from `GET /v1/keys`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SignedList {
    pub list: String,
    pub signature: String,
}

impl TechnicianList {
    pub fn sign(&self, key: &ed25519_dalek::SigningKey) -> SignedList {
        use base64::Engine;
        use ed25519_dalek::Signer;
        let list = serde_json::to_string(self).expect("a list serialises");
        let signature = key.sign(list.as_bytes());
        SignedList {
            signature: base64::engine::general_purpose::STANDARD.encode(signature.to_bytes()),
            list,
        }
    }

    /// The technician with `number` whose PIN is `pin`.
    pub fn admits(&self, number: &str, pin: &str) -> Option<&Technician> {
        self.technicians
            .iter()
            .find(|t| t.number == number && crate::secret::verify(&t.pin_hash, pin) == Some(true))
    }
}

impl SignedList {
    /// The list, when one of `keys` signed it.
    pub fn open(&self, keys: &[ed25519_dalek::VerifyingKey]) -> Result<TechnicianList, String> {
        use base64::Engine;
        use ed25519_dalek::Verifier;
        let signature: [u8; 64] = base64::engine::general_purpose::STANDARD
            .decode(&self.signature)
            .ok()
            .and_then(|bytes| bytes.try_into().ok())
            .ok_or("the list's signature is damaged")?;
        let signature = ed25519_dalek::Signature::from_bytes(&signature);
        if !keys
            .iter()
            .any(|key| key.verify(self.list.as_bytes(), &signature).is_ok())
        {
            return Err(if keys.is_empty() {
                "the hub's keys are not kept yet (they come with the next beat)".into()
            } else {
                "the list's signature does not match the hub's keys".into()
            });
        }
        serde_json::from_str(&self.list).map_err(|e| format!("the list does not parse: {e}"))
    }
}

/// A setting the terminal did not take, and why (`idle_seconds`: "99999 is out of range; allowed: 15 to
/// 900").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Refusal {
    pub key: String,
    pub why: String,
}

/// What an operator may ask of a terminal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Command {
    /// Out of service now (the technician's switch, moved from afar).
    OutOfService,
    /// Back in service.
    InService,
    /// Fetch the catalogue again, whatever its version.
    RefreshCatalogue,
    /// Fetch the hub's signing keys again.
    RefreshKeys,
    /// Restart the terminal's program (once no citizen is using it; systemd starts it again).
    Restart,
    /// The screen as remote guidance shows it (every personal value masked), as a PNG.
    Screenshot,
    /// The last 500 lines of the terminal's log (masked as it is kept).
    Log,
    /// Take a new credential from the hub (`POST /v1/credential`) in place of the current one, without
    /// enrolling again.
    RotateCredential,
}

impl Command {
    pub const ALL: [Command; 8] = [
        Command::OutOfService,
        Command::InService,
        Command::RefreshCatalogue,
        Command::RefreshKeys,
        Command::Restart,
        Command::Screenshot,
        Command::Log,
        Command::RotateCredential,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Command::OutOfService => "out_of_service",
            Command::InService => "in_service",
            Command::RefreshCatalogue => "refresh_catalogue",
            Command::RefreshKeys => "refresh_keys",
            Command::Restart => "restart",
            Command::Screenshot => "screenshot",
            Command::Log => "log",
            Command::RotateCredential => "rotate_credential",
        }
    }

    pub fn parse(name: &str) -> Option<Command> {
        Command::ALL.into_iter().find(|c| c.name() == name)
    }

    /// A heartbeat's command (`screenshot 1733…`): what, and the id its result is sent under (a command of
    /// an older hub has none).
    pub fn from_wire(text: &str) -> Option<(Command, Option<i64>)> {
        let (name, id) = match text.split_once(' ') {
            Some((name, id)) => (name, Some(id.trim().parse().ok()?)),
            None => (text, None),
        };
        Some((Command::parse(name)?, id))
    }

    pub fn to_wire(self, id: i64) -> String {
        format!("{} {id}", self.name())
    }
}

/// Lines of the log a `log` command sends.
pub const LOG_LINES: usize = 500;

/// What a terminal answers a command with (`POST /v1/commands/{id}`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CommandResult {
    /// Whether it was done.
    pub ok: bool,
    /// What happened in a technician's words, or the log's lines.
    pub text: String,
    /// A screenshot's PNG, base64.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub png_base64: Option<String>,
}

/// Whether `version` can be a Debian package version handed to apt (what kiosk-update accepts).
pub fn valid_version(version: &str) -> bool {
    (1..=64).contains(&version.len())
        && version.starts_with(|c: char| c.is_ascii_digit())
        && version
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || ".+~:-".contains(c))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_terminals_settings_lay_its_own_over_its_halls_over_everyones() {
        let everyone = RemoteSettings {
            idle_seconds: Some(60),
            voice: Some("auto".into()),
            ..Default::default()
        };
        let hall = RemoteSettings {
            idle_seconds: Some(90),
            hall_name: Some(LocalText::new("吴中", "Wuzhong")),
            ..Default::default()
        };
        let terminal = RemoteSettings {
            out_of_service: Some(Switch {
                off: true,
                message: None,
            }),
            ..Default::default()
        };
        let mine = everyone.over(&hall).over(&terminal);
        assert_eq!(mine.idle_seconds, Some(90));
        assert_eq!(mine.voice.as_deref(), Some("auto"));
        assert_eq!(mine.hall_name.unwrap().en, "Wuzhong");
        assert!(mine.out_of_service.unwrap().off);
        assert!(RemoteSettings::default().is_empty());
    }

    #[test]
    fn commands_travel_with_their_ids_and_an_older_hubs_without() {
        assert_eq!(
            Command::from_wire("screenshot 17"),
            Some((Command::Screenshot, Some(17)))
        );
        assert_eq!(
            Command::from_wire("refresh_keys"),
            Some((Command::RefreshKeys, None))
        );
        assert_eq!(Command::from_wire("reboot 1"), None);
        assert_eq!(Command::from_wire("log x"), None);
        for command in Command::ALL {
            assert_eq!(
                Command::from_wire(&command.to_wire(5)),
                Some((command, Some(5)))
            );
        }
    }

    #[test]
    fn a_technician_list_opens_with_the_hubs_key_only_and_admits_by_number_and_pin() {
        let key = ed25519_dalek::SigningKey::from_bytes(&[7; 32]);
        let list = TechnicianList {
            issued_ms: 1,
            technicians: vec![Technician {
                number: "0301".into(),
                name: "张工".into(),
                pin_hash: crate::secret::hash("246810"),
            }],
        };
        let signed = list.sign(&key);
        let opened = signed.open(&[key.verifying_key()]).unwrap();
        assert_eq!(opened.admits("0301", "246810").unwrap().name, "张工");
        assert!(opened.admits("0302", "246810").is_none());
        assert!(opened.admits("0301", "246811").is_none());
        let other = ed25519_dalek::SigningKey::from_bytes(&[8; 32]);
        assert!(signed.open(&[other.verifying_key()]).is_err());
        let mut forged = signed.clone();
        forged.list = forged.list.replace("张工", "李工");
        assert!(forged.open(&[key.verifying_key()]).is_err());
        assert!(signed.open(&[]).unwrap_err().contains("not kept yet"));
    }

    use proptest::prelude::*;

    fn settings() -> impl Strategy<Value = RemoteSettings> {
        (
            proptest::option::of(any::<i64>()),
            proptest::option::of(any::<i64>()),
            proptest::option::of(any::<bool>()),
            proptest::option::of("(auto|on|off|[a-z]{0,4})"),
            proptest::option::of(any::<bool>()),
            proptest::option::of(("\\PC{0,8}", "\\PC{0,8}")),
        )
            .prop_map(
                |(idle, countdown, elder, voice, off, hall)| RemoteSettings {
                    idle_seconds: idle,
                    countdown_seconds: countdown,
                    elder_mode: elder,
                    voice,
                    out_of_service: off.map(|off| Switch { off, message: None }),
                    hall_name: hall.map(|(zh, en)| LocalText::new(zh, en)),
                    ..Default::default()
                },
            )
    }

    proptest! {
        /// Laying settings over each other: nothing over them changes nothing, they over themselves change
        /// nothing, the order of three does not matter as long as it is kept, and what the top sets wins.
        #[test]
        fn laying_settings_over_each_other_is_an_ordered_merge(
            a in settings(), b in settings(), c in settings()
        ) {
            prop_assert_eq!(a.over(&RemoteSettings::default()), a.clone());
            prop_assert_eq!(RemoteSettings::default().over(&a), a.clone());
            prop_assert_eq!(a.over(&a), a.clone());
            prop_assert_eq!(a.over(&b).over(&c), a.over(&b.over(&c)));
            let top = a.over(&b);
            if b.idle_seconds.is_some() {
                prop_assert_eq!(top.idle_seconds, b.idle_seconds);
            } else {
                prop_assert_eq!(top.idle_seconds, a.idle_seconds);
            }
            let written = serde_json::to_string(&top).unwrap();
            prop_assert_eq!(serde_json::from_str::<RemoteSettings>(&written).unwrap(), top);
        }

        /// Any text is at most one command; a command always reads back from its wire form.
        #[test]
        fn a_commands_wire_form_reads_back_and_nothing_else_is_a_command(
            text in "\\PC{0,24}", id in any::<i64>(), which in 0usize..7
        ) {
            let command = Command::ALL[which];
            prop_assert_eq!(Command::from_wire(&command.to_wire(id)), Some((command, Some(id))));
            if let Some((parsed, _)) = Command::from_wire(&text) {
                prop_assert!(text.starts_with(parsed.name()));
            }
        }
    }

    #[test]
    fn unknown_settings_are_refused_whole() {
        assert!(serde_json::from_str::<RemoteSettings>(r#"{"idle":5}"#).is_err());
        let typed: RemoteSettings = serde_json::from_str(r#"{"idle_seconds":99999}"#).unwrap();
        assert_eq!(typed.idle_seconds, Some(99999));
    }
}
