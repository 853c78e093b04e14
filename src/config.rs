//! The terminal's configuration: finding `kiosk.toml`, reading it strictly, and reporting every problem
//! as `FILE:LINE:COL: KEY: what is wrong and what is allowed`.
//!
//! Every key has a default (the values the shipped `kiosk.toml` spells out), so a config may leave keys out;
//! what it does say must be known, well typed and in range.

use std::fmt;
use std::ops::RangeInclusive;
use std::path::{Path, PathBuf};

use toml_edit::{Document, Item, TableLike};

use crate::domain::{Lang, LocalText};

/// Where the configuration is looked for, in order, when `--config` is not given.
pub const ENV_VAR: &str = "KIOSK_CONFIG";
pub const SYSTEM_PATH: &str = "/etc/kiosk/kiosk.toml";
pub const LOCAL_PATH: &str = "kiosk.toml";

/// Baud rates a GA 467 SAM module can be set to.
pub const READER_BAUDS: [i64; 5] = [9600, 19200, 38400, 57600, 115200];
pub const PRINTER_PROFILES: [&str; 2] = ["58mm", "80mm"];
pub const CUTTERS: [&str; 3] = ["full", "partial", "none"];

#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    pub terminal: TerminalConfig,
    pub screen: ScreenConfig,
    pub ui: UiConfig,
    pub reader: ReaderConfig,
    pub printer: PrinterConfig,
    pub camera: CameraConfig,
    pub scanner: ScannerConfig,
    pub hub: HubConfig,
    pub catalogue: CatalogueConfig,
    pub documents: DocumentsConfig,
    pub service: ServiceConfig,
    pub input: InputConfig,
}

/// Text entry on the screen: pinyin (librime) and handwriting (zinnia).
#[derive(Debug, Clone, PartialEq)]
pub struct InputConfig {
    /// Fuzzy pinyin for southern speakers (z/zh, c/ch, s/sh, n/l, an/ang, en/eng, in/ing).
    pub fuzzy_pinyin: bool,
    /// Rime's folder as the package deploys it (`kiosk input deploy`); read only at run time.
    pub rime: PathBuf,
    /// Where the catalogue's local words are kept for Rime (`custom_phrase.txt`).
    pub words: PathBuf,
    /// The handwriting model.
    pub model: PathBuf,
}

#[derive(Debug, Clone, PartialEq)]
pub struct TerminalConfig {
    pub hall_name: LocalText,
    pub device_id: String,
    /// The terminal's SQLite file: the print journal (and, with the hub, the outbox and caches).
    pub database: PathBuf,
}

/// The physical screen: sizes on screen are computed in millimetres from these.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ScreenConfig {
    pub width_px: u32,
    pub height_px: u32,
    pub width_mm: f32,
    pub height_mm: f32,
}

impl ScreenConfig {
    /// Pixels per millimetre, averaged over both axes.
    pub fn px_per_mm(&self) -> f32 {
        let horizontal = self.width_px as f32 / self.width_mm;
        let vertical = self.height_px as f32 / self.height_mm;
        (horizontal + vertical) / 2.0
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct UiConfig {
    pub language: Lang,
    pub elder_mode: bool,
    pub idle_seconds: u32,
    pub countdown_seconds: u32,
    pub announcement_seconds: u32,
    /// Spoken prompts (语音播报).
    pub voice: VoiceMode,
    /// The text-to-speech program and its first arguments; the terminal adds `-v VOICE TEXT`.
    pub voice_command: String,
}

/// When the screens speak their prompts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VoiceMode {
    /// In elder mode only.
    Auto,
    On,
    Off,
}

impl VoiceMode {
    /// Whether prompts are spoken now.
    pub fn speaks(self, elder: bool) -> bool {
        match self {
            VoiceMode::Auto => elder,
            VoiceMode::On => true,
            VoiceMode::Off => false,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct ReaderConfig {
    pub enabled: bool,
    pub port: String,
    pub baud: u32,
    pub poll_ms: u32,
}

/// The 2D barcode scanner (扫码器) in its serial mode: each code ends with CR, LF or CR LF.
#[derive(Debug, Clone, PartialEq)]
pub struct ScannerConfig {
    pub enabled: bool,
    /// Its serial port (`/dev/kiosk-scanner`, `/dev/ttyACM0`), or `sim` for the simulator.
    pub port: String,
    pub baud: u32,
}

/// The document camera (高拍仪) that captures an application's pages.
#[derive(Debug, Clone, PartialEq)]
pub struct CameraConfig {
    pub enabled: bool,
    /// A V4L2 device (`/dev/kiosk-camera`, `/dev/video0`) or `sim` for the simulator.
    pub device: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct PrinterConfig {
    pub enabled: bool,
    pub uri: String,
    pub profile: String,
    /// Overrides of the profile's defaults, for printers that differ; `None`: the profile's value.
    pub columns: Option<u16>,
    pub chinese: Option<bool>,
    pub native_qr: Option<bool>,
    pub cutter: Option<String>,
    /// Where the paper comes out, told to the citizen after printing.
    pub outlet: LocalText,
}

#[derive(Debug, Clone, PartialEq)]
pub struct HubConfig {
    /// Empty: this terminal runs stand-alone.
    pub url: String,
    pub credential: PathBuf,
    /// The CA certificate (PEM) the hub's TLS certificate must be signed by: the terminal then trusts no
    /// other. `None`: the public CAs bundled with the software.
    pub ca: Option<PathBuf>,
}

/// The keys of verifiable documents until the hub signs them.
#[derive(Debug, Clone, PartialEq)]
pub struct DocumentsConfig {
    /// The issuer's Ed25519 public key (64 hex digits) `kiosk verify` checks against; `None`: the demo key.
    pub verify_key: Option<String>,
    /// A file holding the Ed25519 secret seed (64 hex digits) that signs documents made on this terminal;
    /// `None`: the demo key.
    pub signing_key: Option<PathBuf>,
}

impl DocumentsConfig {
    pub fn verifying_key(&self) -> Result<ed25519_dalek::VerifyingKey, String> {
        match &self.verify_key {
            Some(hex) => crate::domain::verify::parse_public_key(hex),
            None => Ok(crate::domain::verify::demo_key().verifying_key()),
        }
    }

    pub fn signing_key(&self) -> Result<ed25519_dalek::SigningKey, String> {
        match &self.signing_key {
            Some(path) => crate::domain::verify::read_signing_key(path),
            None => Ok(crate::domain::verify::demo_key()),
        }
    }
}

/// The technicians' service mode on the terminal.
#[derive(Debug, Clone, PartialEq)]
pub struct ServiceConfig {
    /// The argon2 hash of the service PIN (`kiosk pin set` writes it); `None`: no PIN, no service mode on
    /// the screen.
    pub pin_hash: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct CatalogueConfig {
    /// `None`: the catalogue bundled with the software.
    pub seed: Option<PathBuf>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            terminal: TerminalConfig {
                hall_name: LocalText::new(
                    "苏州市政务服务中心 24 小时自助服务区",
                    "Suzhou Government Service Centre · 24-hour self-service area",
                ),
                device_id: "SZ-DEMO-0001".into(),
                database: PathBuf::from("/var/lib/kiosk/kiosk.db"),
            },
            screen: ScreenConfig {
                width_px: 1080,
                height_px: 1920,
                width_mm: 336.0,
                height_mm: 598.0,
            },
            ui: UiConfig {
                language: Lang::Zh,
                elder_mode: false,
                idle_seconds: 60,
                countdown_seconds: 15,
                announcement_seconds: 8,
                voice: VoiceMode::Auto,
                voice_command: "espeak-ng".into(),
            },
            reader: ReaderConfig {
                enabled: true,
                port: "/dev/kiosk-reader".into(),
                baud: 115_200,
                poll_ms: 300,
            },
            camera: CameraConfig {
                enabled: true,
                device: "/dev/video0".into(),
            },
            // Off until a terminal says where its scanner is (every hall's has one: see kiosk.toml).
            scanner: ScannerConfig {
                enabled: false,
                port: "/dev/kiosk-scanner".into(),
                baud: 9600,
            },
            printer: PrinterConfig {
                enabled: true,
                uri: "tcp://127.0.0.1:9100".into(),
                profile: "80mm".into(),
                columns: None,
                chinese: None,
                native_qr: None,
                cutter: None,
                outlet: LocalText::new("屏幕下方的出纸口", "the paper slot below the screen"),
            },
            hub: HubConfig {
                url: String::new(),
                credential: PathBuf::from("/var/lib/kiosk/credential"),
                ca: None,
            },
            catalogue: CatalogueConfig { seed: None },
            documents: DocumentsConfig {
                verify_key: None,
                signing_key: None,
            },
            service: ServiceConfig { pin_hash: None },
            input: InputConfig {
                fuzzy_pinyin: true,
                rime: PathBuf::from("/var/lib/kiosk/rime"),
                words: PathBuf::from("/var/lib/kiosk/words"),
                model: PathBuf::from(crate::input::zinnia::MODEL),
            },
        }
    }
}

/// One thing wrong with a configuration file, located for a technician.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub file: String,
    pub line: usize,
    pub col: usize,
    pub key: String,
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}: {}",
            self.file, self.line, self.col, self.key, self.message
        )
    }
}

/// Everything wrong with a configuration; never empty.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct ConfigError {
    pub problems: Vec<Problem>,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, problem) in self.problems.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{problem}")?;
        }
        Ok(())
    }
}

impl ConfigError {
    pub(crate) fn whole_file(file: &Path, key: &str, message: String) -> Self {
        ConfigError {
            problems: vec![Problem {
                file: file.display().to_string(),
                line: 1,
                col: 1,
                key: key.into(),
                message,
            }],
        }
    }
}

/// What a file that does not check still says well enough to be used, put into `config` (the defaults): the
/// service PIN's hash and the terminal's database, so that a technician can enter service mode on a
/// terminal whose configuration is broken, and every step is audited where the terminal keeps its records.
pub fn salvage(path: &Path, config: &mut Config) {
    let Some(text) = std::fs::read_to_string(path).ok() else {
        return;
    };
    let Ok(doc) = Document::parse(text.as_str()) else {
        return;
    };
    let value = |section: &str, key: &str| {
        doc.get(section)
            .and_then(|s| s.get(key))
            .and_then(|v| v.as_str())
            .map(str::to_string)
    };
    if let Some(hash) = value("service", "pin_hash").filter(|h| kiosk_proto::secret::is_hash(h)) {
        config.service.pin_hash = Some(hash);
    }
    if let Some(database) = value("terminal", "database").filter(|d| !d.is_empty()) {
        let base = path.parent().map(Path::to_path_buf).unwrap_or_default();
        config.terminal.database = base.join(database);
    }
}

/// Finds the configuration file: `explicit`, then `$KIOSK_CONFIG`, then `./kiosk.toml`, then
/// `/etc/kiosk/kiosk.toml`. An explicit or environment path is returned even if it does not exist, so the
/// caller reports it rather than silently falling back.
pub fn locate(explicit: Option<&Path>) -> Result<PathBuf, ConfigError> {
    if let Some(path) = explicit {
        return Ok(path.to_path_buf());
    }
    if let Some(path) = std::env::var_os(ENV_VAR).filter(|v| !v.is_empty()) {
        return Ok(PathBuf::from(path));
    }
    for candidate in [LOCAL_PATH, SYSTEM_PATH] {
        let path = PathBuf::from(candidate);
        if path.is_file() {
            return Ok(path);
        }
    }
    Err(ConfigError::whole_file(
        Path::new(SYSTEM_PATH),
        "(file)",
        format!(
            "no configuration found; looked for --config, ${ENV_VAR}, ./{LOCAL_PATH} and {SYSTEM_PATH}; \
             copy the kiosk.toml shipped with the software there"
        ),
    ))
}

impl Config {
    /// Reads and validates the file at `path`, including the files it names (a catalogue seed must load).
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|e| {
            ConfigError::whole_file(path, "(file)", format!("cannot read the file: {e}"))
        })?;
        Config::load_text(&text, path)
    }

    /// Validates `text` as the contents of the file at `path`, including the files it names.
    pub fn load_text(text: &str, path: &Path) -> Result<Config, ConfigError> {
        Config::check(text, path, true)
    }

    /// Validates `text` as the contents of the file `path` (used in messages and to resolve relative paths).
    /// Reads no other file.
    pub fn parse(text: &str, path: &Path) -> Result<Config, ConfigError> {
        Config::check(text, path, false)
    }

    fn check(text: &str, path: &Path, check_files: bool) -> Result<Config, ConfigError> {
        let mut check = Checker {
            file: path.display().to_string(),
            text,
            check_files,
            problems: Vec::new(),
        };
        let doc = match Document::parse(text) {
            Ok(doc) => doc,
            Err(e) => {
                let offset = e.span().map(|s| s.start).unwrap_or(0);
                let message = e.message().trim().to_string();
                check.report(offset, "(syntax)", format!("not valid TOML: {message}"));
                return Err(ConfigError {
                    problems: check.problems,
                });
            }
        };
        let base = path.parent().map(Path::to_path_buf).unwrap_or_default();
        let config = read_config(&mut check, doc.as_table(), &base);
        check.problems.sort_by_key(|p| (p.line, p.col));
        if check.problems.is_empty() {
            Ok(config)
        } else {
            Err(ConfigError {
                problems: check.problems,
            })
        }
    }
}

fn read_config(check: &mut Checker, root: &dyn TableLike, base: &Path) -> Config {
    let d = Config::default();
    let mut top = Section::new("", Some(root), 0);

    let mut s = top.section(check, "terminal");
    let terminal = TerminalConfig {
        hall_name: LocalText::new(
            s.string(check, "hall_name_zh", &d.terminal.hall_name.zh),
            s.string(check, "hall_name_en", &d.terminal.hall_name.en),
        ),
        device_id: s.string(check, "device_id", &d.terminal.device_id),
        database: base.join(s.string(
            check,
            "database",
            &d.terminal.database.display().to_string(),
        )),
    };
    s.finish(check);

    let mut s = top.section(check, "screen");
    let screen = ScreenConfig {
        width_px: s.integer(check, "width_px", 320..=7680, d.screen.width_px),
        height_px: s.integer(check, "height_px", 320..=7680, d.screen.height_px),
        width_mm: s.integer(check, "width_mm", 50..=3000, d.screen.width_mm as u32) as f32,
        height_mm: s.integer(check, "height_mm", 50..=3000, d.screen.height_mm as u32) as f32,
    };
    s.finish(check);

    let mut s = top.section(check, "ui");
    let language = match s
        .one_of(check, "language", &["zh-CN", "en-US"], d.ui.language.tag())
        .as_str()
    {
        "en-US" => Lang::En,
        _ => Lang::Zh,
    };
    let ui = UiConfig {
        language,
        elder_mode: s.boolean(check, "elder_mode", d.ui.elder_mode),
        idle_seconds: s.integer(check, "idle_seconds", 15..=900, d.ui.idle_seconds),
        countdown_seconds: s.integer(check, "countdown_seconds", 5..=120, d.ui.countdown_seconds),
        announcement_seconds: s.integer(
            check,
            "announcement_seconds",
            3..=120,
            d.ui.announcement_seconds,
        ),
        voice: match s
            .one_of(check, "voice", &["auto", "on", "off"], "auto")
            .as_str()
        {
            "on" => VoiceMode::On,
            "off" => VoiceMode::Off,
            _ => VoiceMode::Auto,
        },
        voice_command: s.string(check, "voice_command", &d.ui.voice_command),
    };
    s.finish(check);

    let mut s = top.section(check, "reader");
    let reader = ReaderConfig {
        enabled: s.boolean(check, "enabled", d.reader.enabled),
        port: s.string(check, "port", &d.reader.port),
        baud: s.integer_in(check, "baud", &READER_BAUDS, d.reader.baud),
        poll_ms: s.integer(check, "poll_ms", 100..=5000, d.reader.poll_ms),
    };
    s.finish(check);

    let mut s = top.section(check, "camera");
    let camera = CameraConfig {
        enabled: s.boolean(check, "enabled", d.camera.enabled),
        device: s.string(check, "device", &d.camera.device),
    };
    s.finish(check);

    let mut s = top.section(check, "scanner");
    let scanner = ScannerConfig {
        enabled: s.boolean(check, "enabled", d.scanner.enabled),
        port: s.string(check, "port", &d.scanner.port),
        // A scanner's serial mode runs at the same rates as the reader's module.
        baud: s.integer_in(check, "baud", &READER_BAUDS, d.scanner.baud),
    };
    s.finish(check);

    let mut s = top.section(check, "printer");
    let printer = PrinterConfig {
        enabled: s.boolean(check, "enabled", d.printer.enabled),
        uri: s.string(check, "uri", &d.printer.uri),
        profile: s.one_of(check, "profile", &PRINTER_PROFILES, &d.printer.profile),
        columns: s.optional("columns", |s| {
            s.integer(check, "columns", 24..=96, 48) as u16
        }),
        chinese: s.optional("chinese", |s| s.boolean(check, "chinese", true)),
        native_qr: s.optional("native_qr", |s| s.boolean(check, "native_qr", true)),
        cutter: s.optional("cutter", |s| s.one_of(check, "cutter", &CUTTERS, "partial")),
        outlet: LocalText::new(
            s.string(check, "outlet_zh", &d.printer.outlet.zh),
            s.string(check, "outlet_en", &d.printer.outlet.en),
        ),
    };
    s.finish(check);

    let mut s = top.section(check, "hub");
    let url = s.string(check, "url", &d.hub.url);
    if !(url.is_empty() || url.starts_with("http://") || url.starts_with("https://")) {
        s.complain(
            check,
            "url",
            "must start with http:// or https://, or be empty for a stand-alone terminal".into(),
        );
    }
    let ca = s.string(check, "ca", "");
    let ca = (!ca.is_empty()).then(|| base.join(ca));
    if let Some(path) = ca.as_ref().filter(|_| check.check_files) {
        match std::fs::read_to_string(path) {
            Ok(pem) if pem.contains("-----BEGIN CERTIFICATE-----") => {}
            Ok(_) => s.complain(
                check,
                "ca",
                format!(
                    "{} holds no PEM certificate (-----BEGIN CERTIFICATE-----)",
                    path.display()
                ),
            ),
            Err(error) => s.complain(check, "ca", format!("{}: {error}", path.display())),
        }
    }
    let hub = HubConfig {
        url,
        credential: base.join(s.string(
            check,
            "credential",
            &d.hub.credential.display().to_string(),
        )),
        ca,
    };
    s.finish(check);

    let mut s = top.section(check, "catalogue");
    let seed = s.string(check, "seed", "");
    let seed = (!seed.is_empty()).then(|| base.join(seed));
    if let Some(path) = seed.as_ref().filter(|_| check.check_files) {
        if let Err(error) = crate::domain::catalogue::Catalogue::load(path) {
            s.complain(
                check,
                "seed",
                format!("{error}; fix the file, or leave seed empty for the bundled catalogue"),
            );
        }
    }
    let catalogue = CatalogueConfig { seed };
    s.finish(check);

    let mut s = top.section(check, "documents");
    let verify_key = s.string(check, "verify_key", "");
    let verify_key = (!verify_key.is_empty()).then_some(verify_key);
    if let Some(Err(error)) = verify_key
        .as_deref()
        .map(crate::domain::verify::parse_public_key)
    {
        s.complain(
            check,
            "verify_key",
            format!("{error}; leave it empty for the demo key"),
        );
    }
    let signing_key = s.string(check, "signing_key", "");
    let signing_key = (!signing_key.is_empty()).then(|| base.join(signing_key));
    if let Some(path) = signing_key.as_ref().filter(|_| check.check_files) {
        if let Err(error) = crate::domain::verify::read_signing_key(path) {
            s.complain(check, "signing_key", error);
        }
    }
    let documents = DocumentsConfig {
        verify_key,
        signing_key,
    };
    s.finish(check);

    let mut s = top.section(check, "service");
    let pin_hash = s.string(check, "pin_hash", "");
    let pin_hash = (!pin_hash.is_empty()).then_some(pin_hash);
    if pin_hash
        .as_deref()
        .is_some_and(|hash| !kiosk_proto::secret::is_hash(hash))
    {
        s.complain(
            check,
            "pin_hash",
            "not an argon2 hash; set the PIN with `kiosk pin set`, or leave it empty".into(),
        );
    }
    let service = ServiceConfig { pin_hash };
    s.finish(check);

    let mut s = top.section(check, "input");
    let mut path = |s: &mut Section, key: &'static str, default: &Path| {
        base.join(s.string(check, key, &default.display().to_string()))
    };
    let input = InputConfig {
        rime: path(&mut s, "rime", &d.input.rime),
        words: path(&mut s, "words", &d.input.words),
        model: path(&mut s, "model", &d.input.model),
        fuzzy_pinyin: s.boolean(check, "fuzzy_pinyin", d.input.fuzzy_pinyin),
    };
    s.finish(check);

    top.finish(check);
    Config {
        terminal,
        screen,
        ui,
        reader,
        printer,
        camera,
        scanner,
        hub,
        catalogue,
        documents,
        service,
        input,
    }
}

struct Checker<'a> {
    file: String,
    text: &'a str,
    /// Whether files the configuration names are opened and checked too.
    check_files: bool,
    problems: Vec<Problem>,
}

impl Checker<'_> {
    fn report(&mut self, offset: usize, key: &str, message: String) {
        let (line, col) = line_col(self.text, offset);
        self.problems.push(Problem {
            file: self.file.clone(),
            line,
            col,
            key: key.to_string(),
            message,
        });
    }
}

/// 1-based line and column (in characters) of a byte offset.
fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map(|i| i + 1).unwrap_or(0);
    let col = text[line_start..offset].chars().count() + 1;
    (line, col)
}

/// One table of the file being read: remembers which keys were asked for, so the rest are reported unknown.
struct Section<'a> {
    path: String,
    table: Option<&'a dyn TableLike>,
    offset: usize,
    known: Vec<&'static str>,
}

impl<'a> Section<'a> {
    fn new(path: &str, table: Option<&'a dyn TableLike>, offset: usize) -> Self {
        Section {
            path: path.to_string(),
            table,
            offset,
            known: Vec::new(),
        }
    }

    fn key_path(&self, key: &str) -> String {
        if self.path.is_empty() {
            key.to_string()
        } else {
            format!("{}.{key}", self.path)
        }
    }

    /// The item under `key`, with the byte offset of its value.
    /// A key whose absence means "not set" (not a default value): read with `read` when present.
    fn optional<T>(&mut self, key: &'static str, read: impl FnOnce(&mut Self) -> T) -> Option<T> {
        if self.table.is_some_and(|t| t.contains_key(key)) {
            Some(read(self))
        } else {
            self.known.push(key);
            None
        }
    }

    fn item(&mut self, key: &'static str) -> Option<(&'a Item, usize)> {
        self.known.push(key);
        let (k, item) = self.table?.get_key_value(key)?;
        let offset = item
            .span()
            .or_else(|| k.span())
            .map(|s| s.start)
            .unwrap_or(self.offset);
        Some((item, offset))
    }

    fn complain(&mut self, check: &mut Checker, key: &'static str, message: String) {
        let offset = self
            .table
            .and_then(|t| t.get_key_value(key))
            .and_then(|(k, item)| item.span().or_else(|| k.span()))
            .map(|s| s.start)
            .unwrap_or(self.offset);
        check.report(offset, &self.key_path(key), message);
    }

    fn section(&mut self, check: &mut Checker, key: &'static str) -> Section<'a> {
        let path = self.key_path(key);
        match self.item(key) {
            None => Section::new(&path, None, self.offset),
            Some((item, offset)) => match item.as_table_like() {
                Some(table) => Section::new(&path, Some(table), offset),
                None => {
                    check.report(
                        offset,
                        &path,
                        format!("expected a table [{path}], found {}", item.type_name()),
                    );
                    Section::new(&path, None, offset)
                }
            },
        }
    }

    fn wrong_type(&self, check: &mut Checker, key: &str, offset: usize, item: &Item, want: &str) {
        check.report(
            offset,
            &self.key_path(key),
            format!("expected {want}, found {}", describe(item)),
        );
    }

    fn string(&mut self, check: &mut Checker, key: &'static str, default: &str) -> String {
        match self.item(key) {
            None => default.to_string(),
            Some((item, offset)) => match item.as_str() {
                Some(s) => s.to_string(),
                None => {
                    self.wrong_type(check, key, offset, item, "a string");
                    default.to_string()
                }
            },
        }
    }

    fn boolean(&mut self, check: &mut Checker, key: &'static str, default: bool) -> bool {
        match self.item(key) {
            None => default,
            Some((item, offset)) => match item.as_bool() {
                Some(b) => b,
                None => {
                    self.wrong_type(check, key, offset, item, "true or false");
                    default
                }
            },
        }
    }

    fn raw_integer(&mut self, check: &mut Checker, key: &'static str) -> Option<(i64, usize)> {
        let (item, offset) = self.item(key)?;
        match item.as_integer() {
            Some(n) => Some((n, offset)),
            None => {
                self.wrong_type(check, key, offset, item, "a whole number");
                None
            }
        }
    }

    fn integer(
        &mut self,
        check: &mut Checker,
        key: &'static str,
        range: RangeInclusive<i64>,
        default: u32,
    ) -> u32 {
        match self.raw_integer(check, key) {
            None => default,
            Some((n, _)) if range.contains(&n) => n as u32,
            Some((n, offset)) => {
                check.report(
                    offset,
                    &self.key_path(key),
                    format!(
                        "{n} is out of range; allowed: {} to {}",
                        range.start(),
                        range.end()
                    ),
                );
                default
            }
        }
    }

    fn integer_in(
        &mut self,
        check: &mut Checker,
        key: &'static str,
        allowed: &[i64],
        default: u32,
    ) -> u32 {
        match self.raw_integer(check, key) {
            None => default,
            Some((n, _)) if allowed.contains(&n) => n as u32,
            Some((n, offset)) => {
                let list: Vec<String> = allowed.iter().map(i64::to_string).collect();
                check.report(
                    offset,
                    &self.key_path(key),
                    format!("{n} is not allowed; allowed: {}", list.join(", ")),
                );
                default
            }
        }
    }

    fn one_of(
        &mut self,
        check: &mut Checker,
        key: &'static str,
        allowed: &[&str],
        default: &str,
    ) -> String {
        let value = self.string(check, key, default);
        if allowed.contains(&value.as_str()) {
            return value;
        }
        let list: Vec<String> = allowed.iter().map(|a| format!("\"{a}\"")).collect();
        self.complain(
            check,
            key,
            format!("\"{value}\" is not allowed; allowed: {}", list.join(", ")),
        );
        default.to_string()
    }

    /// Reports every key of this table that was not asked for.
    fn finish(self, check: &mut Checker) {
        let Some(table) = self.table else { return };
        for (key, _) in table.iter() {
            if self.known.contains(&key) {
                continue;
            }
            let offset = table
                .key(key)
                .and_then(|k| k.span())
                .map(|s| s.start)
                .unwrap_or(self.offset);
            let closest = self
                .known
                .iter()
                .map(|k| (strsim::jaro_winkler(k, key), *k))
                .filter(|(score, _)| *score > 0.8)
                .max_by(|a, b| a.0.total_cmp(&b.0))
                .map(|(_, k)| format!("did you mean \"{k}\"? "))
                .unwrap_or_default();
            let what = if self.path.is_empty() {
                "sections".to_string()
            } else {
                format!("keys in [{}]", self.path)
            };
            check.report(
                offset,
                &self.key_path(key),
                format!(
                    "unknown key; {closest}allowed {what}: {}",
                    self.known.join(", ")
                ),
            );
        }
    }
}

fn describe(item: &Item) -> String {
    match item {
        Item::Value(v) => match v {
            toml_edit::Value::String(s) => format!("the string \"{}\"", s.value()),
            toml_edit::Value::Integer(i) => format!("the number {}", i.value()),
            toml_edit::Value::Float(f) => format!("the number {}", f.value()),
            toml_edit::Value::Boolean(b) => format!("{}", b.value()),
            other => format!("a {}", other.type_name()),
        },
        other => format!("a {}", other.type_name()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SHIPPED: &str = include_str!("../kiosk.toml");

    fn problems(text: &str) -> Vec<String> {
        match Config::parse(text, Path::new("kiosk.toml")) {
            Ok(_) => vec![],
            Err(e) => e.problems.iter().map(ToString::to_string).collect(),
        }
    }

    #[test]
    fn printer_overrides_change_only_what_they_name() {
        use crate::device::printer::{Cutter, Profile};
        let config = Config::parse(
            "[printer]\nprofile = \"58mm\"\ncutter = \"full\"\nnative_qr = false\n",
            Path::new("k.toml"),
        )
        .unwrap();
        let profile = Profile::from_config(&config.printer);
        assert_eq!(profile.cutter, Cutter::Full);
        assert!(!profile.native_qr);
        assert_eq!((profile.dots, profile.columns), (384, 32));
        assert_eq!(
            Profile::from_config(&Config::default().printer),
            Profile::MM80
        );
        assert_eq!(
            problems("[printer]\ncutter = \"scissors\"\ncolums = 40\n"),
            vec![
                "kiosk.toml:2:10: printer.cutter: \"scissors\" is not allowed; allowed: \"full\", \"partial\", \"none\"",
                "kiosk.toml:3:1: printer.colums: unknown key; did you mean \"columns\"? allowed keys in [printer]: enabled, uri, profile, columns, chinese, native_qr, cutter, outlet_zh, outlet_en",
            ]
        );
    }

    #[test]
    fn shipped_file_is_valid_and_spells_out_the_defaults() {
        let config = Config::parse(SHIPPED, Path::new("kiosk.toml")).expect("shipped config");
        assert_eq!(config, Config::default());
    }

    #[test]
    fn empty_file_means_every_default() {
        assert_eq!(
            Config::parse("", Path::new("k.toml")).unwrap(),
            Config::default()
        );
    }

    #[test]
    fn misspelt_key_wrong_type_and_out_of_range_are_all_reported_with_positions() {
        let text = "[reader]\nbaut = 115200\nport = 5\n\n[ui]\nidle_seconds = 99999\n";
        let found = problems(text);
        assert_eq!(
            found,
            vec![
                "kiosk.toml:2:1: reader.baut: unknown key; did you mean \"baud\"? allowed keys in [reader]: enabled, port, baud, poll_ms",
                "kiosk.toml:3:8: reader.port: expected a string, found the number 5",
                "kiosk.toml:6:16: ui.idle_seconds: 99999 is out of range; allowed: 15 to 900",
            ]
        );
    }

    #[test]
    fn baud_rate_the_reader_cannot_use_is_refused() {
        let found = problems("[reader]\nbaud = 12345\n");
        assert_eq!(
            found,
            vec!["kiosk.toml:2:8: reader.baud: 12345 is not allowed; allowed: 9600, 19200, 38400, 57600, 115200"]
        );
    }

    #[test]
    fn unknown_section_and_bad_enum_value() {
        let found = problems("[ui]\nlanguage = \"fr-FR\"\n[printr]\nuri = \"x\"\n");
        assert_eq!(found.len(), 2, "{found:?}");
        assert!(found[0]
            .contains("ui.language: \"fr-FR\" is not allowed; allowed: \"zh-CN\", \"en-US\""));
        assert!(
            found[1].starts_with("kiosk.toml:3:2: printr: unknown key; did you mean \"printer\"?")
        );
    }

    #[test]
    fn syntax_error_is_located() {
        let found = problems("[ui]\nidle_seconds = = 3\n");
        assert_eq!(found.len(), 1);
        assert!(
            found[0].starts_with("kiosk.toml:2:16: (syntax): not valid TOML"),
            "{found:?}"
        );
    }

    #[test]
    fn unreadable_file_is_a_problem_not_a_panic() {
        let err = Config::load(Path::new("/nonexistent/kiosk.toml")).unwrap_err();
        assert!(err
            .to_string()
            .starts_with("/nonexistent/kiosk.toml:1:1: (file): cannot read the file"));
    }

    #[test]
    fn columns_count_characters_not_bytes() {
        let found = problems("[terminal]\nhall_name_zh = \"苏州\" \nx = 1\n");
        assert!(
            found[0].starts_with("kiosk.toml:3:1: terminal.x"),
            "{found:?}"
        );
        assert_eq!(line_col("苏州=1", "苏州=".len()), (1, 4));
    }

    #[test]
    fn document_keys_are_checked_and_used() {
        let dir = tempfile::tempdir().unwrap();
        let config = dir.path().join("kiosk.toml");
        std::fs::write(
            &config,
            "[documents]\nverify_key = \"abc\"\nsigning_key = \"missing.key\"\n",
        )
        .unwrap();
        let problems: Vec<String> = Config::load(&config)
            .unwrap_err()
            .problems
            .iter()
            .map(|p| format!("{}:{} {}", p.line, p.key, p.message))
            .collect();
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert!(problems[0].starts_with("2:documents.verify_key a public key is 64 hex digits"));
        assert!(problems[1].starts_with("3:documents.signing_key cannot read the signing key"));

        let seed = "07".repeat(32);
        std::fs::write(dir.path().join("terminal.key"), format!("{seed}\n")).unwrap();
        let public = crate::domain::verify::public_key_hex(
            &ed25519_dalek::SigningKey::from_bytes(&[7; 32]).verifying_key(),
        );
        std::fs::write(
            &config,
            format!("[documents]\nverify_key = \"{public}\"\nsigning_key = \"terminal.key\"\n"),
        )
        .unwrap();
        let documents = Config::load(&config).unwrap().documents;
        let signing = documents.signing_key().unwrap();
        assert_eq!(signing.verifying_key(), documents.verifying_key().unwrap());
        assert_ne!(
            signing.verifying_key(),
            crate::domain::verify::demo_key().verifying_key()
        );
    }

    #[test]
    fn a_seed_catalogue_that_does_not_load_is_a_problem_at_its_key() {
        let dir = tempfile::tempdir().unwrap();
        let config = dir.path().join("kiosk.toml");
        std::fs::write(&config, "[catalogue]\nseed = \"missing.json\"\n").unwrap();
        let err = Config::load(&config).unwrap_err();
        assert_eq!(err.problems.len(), 1);
        let p = &err.problems[0];
        assert_eq!((p.line, p.col, p.key.as_str()), (2, 8, "catalogue.seed"));
        assert!(p.message.starts_with("cannot read catalogue"), "{p}");

        std::fs::write(
            dir.path().join("missing.json"),
            crate::domain::catalogue::BUNDLED,
        )
        .unwrap();
        assert!(Config::load(&config).is_ok());
    }

    #[test]
    fn relative_paths_resolve_beside_the_config_file() {
        let c = Config::parse(
            "[catalogue]\nseed = \"cat.json\"\n",
            Path::new("/etc/kiosk/kiosk.toml"),
        )
        .unwrap();
        assert_eq!(c.catalogue.seed, Some(PathBuf::from("/etc/kiosk/cat.json")));
    }
}
