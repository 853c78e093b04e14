//! Settings changed on site, written back to kiosk.toml: only the keys changed are touched (comments and
//! the rest stay as they were), the result must check as a configuration before anything is written, the
//! previous file is kept as `kiosk.toml.bak`, and the new one replaces it atomically (written beside it,
//! synced, renamed): a power cut leaves the old file or the new one, never half of one.

use std::io::Write;
use std::path::{Path, PathBuf};

use toml_edit::DocumentMut;

use crate::config::{Config, ConfigError};

/// A new value for one key.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Text(String),
    Number(i64),
    Flag(bool),
}

impl Value {
    fn item(&self) -> toml_edit::Value {
        match self {
            Value::Text(s) => s.as_str().into(),
            Value::Number(n) => (*n).into(),
            Value::Flag(b) => (*b).into(),
        }
    }
}

/// One key to set: `[section] key = value`.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    pub section: &'static str,
    pub key: &'static str,
    pub value: Value,
}

impl Change {
    pub fn new(section: &'static str, key: &'static str, value: Value) -> Change {
        Change {
            section,
            key,
            value,
        }
    }

    pub fn text(section: &'static str, key: &'static str, value: impl Into<String>) -> Change {
        Change::new(section, key, Value::Text(value.into()))
    }

    pub fn number(section: &'static str, key: &'static str, value: i64) -> Change {
        Change::new(section, key, Value::Number(value))
    }
}

/// A key that changed, with its values before and after as the file spells them (`-`: not set).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Changed {
    pub key: String,
    pub from: String,
    pub to: String,
}

/// What a save did.
#[derive(Debug, Clone)]
pub struct Saved {
    /// The configuration now in the file.
    pub config: Config,
    /// Only the keys whose value differs.
    pub changed: Vec<Changed>,
    /// Where the previous file was kept (none: nothing changed, or there was no file).
    pub backup: Option<PathBuf>,
}

#[derive(Debug, thiserror::Error)]
pub enum SaveError {
    /// The new values do not make a valid configuration; nothing was written.
    #[error("{0}")]
    Invalid(ConfigError),
    #[error("cannot write {path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
}

/// A screen resolution to choose.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Resolution(pub u32, pub u32);

impl std::fmt::Display for Resolution {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} × {}", self.0, self.1)
    }
}

pub const RESOLUTIONS: [Resolution; 6] = [
    Resolution(1080, 1920),
    Resolution(1920, 1080),
    Resolution(768, 1366),
    Resolution(1366, 768),
    Resolution(1280, 1024),
    Resolution(2160, 3840),
];

/// The settings a technician may change on the screen, filled from the configuration in use.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Form {
    pub reader_port: String,
    /// The serial ports found (and the configured one), to choose from.
    pub ports: Vec<String>,
    pub baud: u32,
    pub printer_uri: String,
    pub profile: String,
    pub hub_url: String,
    /// The hub's one-time enrolment code (never written to the file).
    pub code: String,
    pub hall_zh: String,
    pub hall_en: String,
    pub idle: u32,
    pub countdown: u32,
    pub resolution: Resolution,
}

impl Form {
    /// The form for `config`, offering the serial ports `found` (and the configured one).
    pub fn new(config: &Config, found: Vec<String>) -> Form {
        let mut ports = found;
        if !ports.contains(&config.reader.port) {
            ports.insert(0, config.reader.port.clone());
        }
        Form {
            reader_port: config.reader.port.clone(),
            ports,
            baud: config.reader.baud,
            printer_uri: config.printer.uri.clone(),
            profile: config.printer.profile.clone(),
            hub_url: config.hub.url.clone(),
            code: String::new(),
            hall_zh: config.terminal.hall_name.zh.clone(),
            hall_en: config.terminal.hall_name.en.clone(),
            idle: config.ui.idle_seconds,
            countdown: config.ui.countdown_seconds,
            resolution: Resolution(config.screen.width_px, config.screen.height_px),
        }
    }

    /// The form's values that differ from `config`, as changes to kiosk.toml; every value when `whole`
    /// (the file did not check: the terminal runs on defaults, and the form is what to write).
    pub fn changes(&self, config: &Config, whole: bool) -> Vec<Change> {
        let mut changes = Vec::new();
        let mut text = |section, key, now: &str, was: &str| {
            if whole || now.trim() != was {
                changes.push(Change::text(section, key, now.trim()));
            }
        };
        text("reader", "port", &self.reader_port, &config.reader.port);
        text("printer", "uri", &self.printer_uri, &config.printer.uri);
        text("printer", "profile", &self.profile, &config.printer.profile);
        text("hub", "url", &self.hub_url, &config.hub.url);
        let hall = &config.terminal.hall_name;
        text("terminal", "hall_name_zh", &self.hall_zh, &hall.zh);
        text("terminal", "hall_name_en", &self.hall_en, &hall.en);
        let mut number = |section, key, now: u32, was: u32| {
            if whole || now != was {
                changes.push(Change::number(section, key, now.into()));
            }
        };
        let ui = &config.ui;
        number("reader", "baud", self.baud, config.reader.baud);
        number("ui", "idle_seconds", self.idle, ui.idle_seconds);
        number(
            "ui",
            "countdown_seconds",
            self.countdown,
            ui.countdown_seconds,
        );
        let screen = &config.screen;
        number("screen", "width_px", self.resolution.0, screen.width_px);
        number("screen", "height_px", self.resolution.1, screen.height_px);
        changes
    }
}

/// The backup kept beside `path` (`kiosk.toml.bak`).
pub fn backup_path(path: &Path) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(".bak");
    path.with_file_name(name)
}

/// Applies `changes` to the file at `path` (an absent file counts as empty).
pub fn save(path: &Path, changes: &[Change]) -> Result<Saved, SaveError> {
    let io = |source: std::io::Error| SaveError::Io {
        path: path.display().to_string(),
        source,
    };
    let before = match std::fs::read_to_string(path) {
        Ok(text) => Some(text),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => None,
        Err(error) => return Err(io(error)),
    };
    let (text, config, changed) =
        edit(before.as_deref().unwrap_or(""), path, changes).map_err(SaveError::Invalid)?;
    if changed.is_empty() {
        return Ok(Saved {
            config,
            changed,
            backup: None,
        });
    }
    let backup = match &before {
        Some(old) => {
            let backup = backup_path(path);
            write_atomically(&backup, old.as_bytes(), path).map_err(io)?;
            Some(backup)
        }
        None => None,
    };
    write_atomically(path, text.as_bytes(), path).map_err(io)?;
    Ok(Saved {
        config,
        changed,
        backup,
    })
}

/// The text of the file at `path` (`old`) with `changes` made: the new text, the configuration it gives,
/// and what changed. Touches only the values changed; refuses text that is not TOML, a section that is not
/// a table, and a result that does not check as a configuration.
pub fn edit(
    old: &str,
    path: &Path,
    changes: &[Change],
) -> Result<(String, Config, Vec<Changed>), ConfigError> {
    // The file's own problems, located, when it cannot be edited as it is.
    let refuse = || match Config::parse(old, path) {
        Err(error) => error,
        Ok(_) => ConfigError::whole_file(path, "(file)", "cannot be edited in place".into()),
    };
    let mut doc: DocumentMut = old.parse().map_err(|_| refuse())?;
    let mut changed = Vec::new();
    for change in changes {
        if !doc.contains_key(change.section) {
            doc.insert(change.section, toml_edit::table());
        }
        let Some(table) = doc[change.section].as_table_like_mut() else {
            return Err(refuse());
        };
        let old = table
            .get(change.key)
            .and_then(|item| item.as_value())
            .cloned();
        let mut value = change.value.item();
        if let Some(old) = &old {
            if old.to_string().trim() == value.to_string().trim() {
                continue;
            }
            // Keep the spacing and any comment after the old value.
            *value.decor_mut() = old.decor().clone();
        }
        changed.push(Changed {
            key: format!("{}.{}", change.section, change.key),
            from: old
                .as_ref()
                .map(|v| v.to_string().trim().to_string())
                .unwrap_or_else(|| "-".into()),
            to: value.to_string().trim().to_string(),
        });
        // In place: the key keeps the comment lines above it.
        match table.get_mut(change.key) {
            Some(item) => *item = toml_edit::Item::Value(value),
            None => {
                table.insert(change.key, toml_edit::Item::Value(value));
            }
        }
    }
    let text = doc.to_string();
    let config = Config::load_text(&text, path)?;
    Ok((text, config, changed))
}

/// Writes `bytes` to `path` through a file beside it: written, synced, renamed over, the folder synced.
/// The new file takes the permissions of `like` when it exists.
fn write_atomically(path: &Path, bytes: &[u8], like: &Path) -> std::io::Result<()> {
    let folder = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let mut name = std::ffi::OsString::from(".");
    name.push(path.file_name().unwrap_or_default());
    name.push(".new");
    let temporary = folder.join(name);
    {
        let mut file = std::fs::File::create(&temporary)?;
        if let Ok(meta) = std::fs::metadata(like) {
            file.set_permissions(meta.permissions())?;
        }
        file.write_all(bytes)?;
        file.sync_all()?;
    }
    std::fs::rename(&temporary, path)?;
    std::fs::File::open(folder)?.sync_all()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_form_changes_only_what_differs_unless_the_file_did_not_check() {
        let config = Config::default();
        let mut form = Form::new(&config, vec!["/dev/ttyUSB7".into()]);
        assert_eq!(
            form.ports[0], config.reader.port,
            "the configured port is offered"
        );
        assert_eq!(form.changes(&config, false), vec![]);
        form.idle += 30;
        form.hall_zh = format!("  {}  ", config.terminal.hall_name.zh);
        assert_eq!(
            form.changes(&config, false),
            vec![Change::number(
                "ui",
                "idle_seconds",
                (config.ui.idle_seconds + 30).into()
            )],
            "blanks around a name are no change"
        );
        assert_eq!(
            form.changes(&config, true).len(),
            11,
            "every key when whole"
        );
    }

    #[test]
    fn a_change_keeps_comments_and_a_backup_of_the_old_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("kiosk.toml");
        let shipped = include_str!("../../kiosk.toml");
        std::fs::write(&path, shipped).unwrap();
        let saved = save(
            &path,
            &[
                Change::number("ui", "idle_seconds", 90),
                Change::text("terminal", "hall_name_zh", "吴江区政务服务中心"),
                Change::number("reader", "baud", 115_200),
            ],
        )
        .unwrap();
        assert_eq!(saved.config.ui.idle_seconds, 90);
        assert_eq!(
            saved.changed,
            vec![
                Changed {
                    key: "ui.idle_seconds".into(),
                    from: "60".into(),
                    to: "90".into()
                },
                Changed {
                    key: "terminal.hall_name_zh".into(),
                    from: "\"苏州市政务服务中心 24 小时自助服务区\"".into(),
                    to: "\"吴江区政务服务中心\"".into()
                },
            ],
            "an unchanged value is not a change"
        );
        assert_eq!(
            std::fs::read_to_string(saved.backup.unwrap()).unwrap(),
            shipped
        );
        let now = std::fs::read_to_string(&path).unwrap();
        assert!(now.contains("idle_seconds = 90\n"));
        assert!(
            now.contains("# Seconds without a touch before"),
            "comments stay"
        );
        assert_eq!(
            now.lines().count(),
            shipped.lines().count(),
            "only values changed"
        );
        assert!(!dir.path().join(".kiosk.toml.new").exists());
    }

    #[test]
    fn an_invalid_value_writes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("kiosk.toml");
        std::fs::write(&path, "[ui]\nidle_seconds = 60\n").unwrap();
        let error = save(&path, &[Change::number("ui", "idle_seconds", 5)]).unwrap_err();
        assert!(
            error
                .to_string()
                .contains("ui.idle_seconds: 5 is out of range"),
            "{error}"
        );
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            "[ui]\nidle_seconds = 60\n"
        );
        assert!(!backup_path(&path).exists());
    }

    proptest::proptest! {
        /// Whatever the file holds, an edit gives a configuration that is what the new text says, or located
        /// problems; never a panic.
        #[test]
        fn any_file_edits_to_what_it_says_or_says_why(
            lines in proptest::collection::vec(
                "(\\[(ui|reader|hub|x)\\]|idle_seconds = [0-9]{1,4}|ui = [0-9]|baud = \"a\"|# c|url = \"http://h\"|\\[\\[ui\\]\\]|ui\\.idle_seconds = 30|[a-z=\\[\\] \"]{0,12})",
                0..8,
            ),
            idle in 0i64..1000,
        ) {
            let old = lines.join("\n");
            let path = Path::new("kiosk.toml");
            match edit(&old, path, &[Change::number("ui", "idle_seconds", idle)]) {
                Ok((text, config, _)) => {
                    proptest::prop_assert_eq!(Config::parse(&text, path).unwrap(), config.clone());
                    proptest::prop_assert_eq!(config.ui.idle_seconds as i64, idle);
                }
                Err(error) => proptest::prop_assert!(!error.problems.is_empty()),
            }
        }
    }

    #[test]
    fn a_missing_file_is_made_with_the_new_section() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("kiosk.toml");
        let saved = save(&path, &[Change::text("hub", "url", "https://hub.example")]).unwrap();
        assert!(saved.backup.is_none());
        assert_eq!(saved.config.hub.url, "https://hub.example");
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            "[hub]\nurl = \"https://hub.example\"\n"
        );
    }
}
