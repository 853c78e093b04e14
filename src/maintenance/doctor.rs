//! The terminal's checks, for `kiosk doctor` and the diagnostics screen: the configuration, each device,
//! the hub and the clock against it, the terminal's database, disk space and the bundled font. Each check is
//! ok, warn or fail, and every warning or failure says how to fix it.

use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::Serialize;

use crate::config::{Config, ConfigError, PrinterConfig, ReaderConfig};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Ok,
    Warn,
    Fail,
}

impl Level {
    pub fn word(self) -> &'static str {
        match self {
            Level::Ok => "ok",
            Level::Warn => "warn",
            Level::Fail => "fail",
        }
    }
}

/// One check's outcome.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Check {
    pub name: String,
    #[serde(rename = "status")]
    pub level: Level,
    pub detail: String,
    /// What to do about a warning or a failure.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fix: Option<String>,
}

impl Check {
    pub fn ok(name: &str, detail: impl Into<String>) -> Check {
        Check {
            name: name.into(),
            level: Level::Ok,
            detail: detail.into(),
            fix: None,
        }
    }

    pub fn warn(name: &str, detail: impl Into<String>, fix: impl Into<String>) -> Check {
        Check {
            level: Level::Warn,
            fix: Some(fix.into()),
            ..Check::ok(name, detail)
        }
    }

    pub fn fail(name: &str, detail: impl Into<String>, fix: impl Into<String>) -> Check {
        Check {
            level: Level::Fail,
            fix: Some(fix.into()),
            ..Check::ok(name, detail)
        }
    }
}

/// Every check's outcome.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Report {
    /// The worst of the checks.
    pub status: Level,
    pub checks: Vec<Check>,
}

impl Report {
    pub fn new(checks: Vec<Check>) -> Report {
        Report {
            status: checks.iter().map(|c| c.level).max().unwrap_or(Level::Ok),
            checks,
        }
    }

    /// 0 all ok, 1 warnings, 2 failures.
    pub fn exit_code(&self) -> u8 {
        self.status as u8
    }

    pub fn json(&self) -> String {
        serde_json::to_string_pretty(self).expect("a report serialises")
    }

    /// One line a check, its fix indented below.
    pub fn text(&self) -> String {
        let mut out = String::new();
        for check in &self.checks {
            out.push_str(&format!(
                "{:4}  {:9} {}\n",
                check.level.word(),
                check.name,
                check.detail
            ));
            if let Some(fix) = &check.fix {
                out.push_str(&format!("{:16}fix: {fix}\n", ""));
            }
        }
        out
    }
}

/// Below these, disk space is a warning, then a failure.
pub const DISK_WARN: u64 = 1 << 30;
pub const DISK_FAIL: u64 = 200 << 20;
/// Clock skew against the hub: a warning above the first, a failure above the second.
pub const SKEW_WARN: Duration = Duration::from_secs(30);
pub const SKEW_FAIL: Duration = Duration::from_secs(300);
/// A hub slower than this to answer is worth a warning.
pub const SLOW_HUB: Duration = Duration::from_secs(2);
/// Outbox records older than this mean the hub has not taken them for too long.
pub const STALE_OUTBOX: Duration = Duration::from_secs(24 * 3600);

/// Every check, for `kiosk doctor`: the configuration at `located` first; the rest need it to load.
pub fn run(located: Result<PathBuf, ConfigError>) -> Report {
    let (check, config) = config(located);
    let mut checks = vec![check];
    if let Some(config) = &config {
        checks.push(reader(&config.reader));
        checks.push(printer(&config.printer));
        checks.push(camera(&config.camera));
        checks.push(scanner(&config.scanner));
    }
    checks.extend(live(config.as_ref()));
    Report::new(checks)
}

/// The configuration file: it loads and checks (and then the configuration).
pub fn config(located: Result<PathBuf, ConfigError>) -> (Check, Option<Config>) {
    match located.and_then(|path| Config::load(&path).map(|c| (path, c))) {
        Ok((path, config)) => (
            Check::ok("config", format!("{} loads and checks", path.display())),
            Some(config),
        ),
        Err(error) => (
            Check::fail(
                "config",
                error.to_string(),
                "edit kiosk.toml where each line above points (`kiosk config check` lists the same)",
            ),
            None,
        ),
    }
}

/// The checks that do not touch the devices (the running terminal holds them): the hub and the clock, the
/// database, disk space and the font.
pub fn live(config: Option<&Config>) -> Vec<Check> {
    let mut checks = Vec::new();
    if let Some(config) = config {
        checks.extend(hub(config));
        checks.push(database(&config.terminal.database));
        checks.push(private_files(config));
        checks.push(disk(&config.terminal.database));
        checks.push(pinyin(&config.input));
        checks.push(handwriting(&config.input));
    }
    checks.push(font());
    checks
}

/// A failed check `name` when the shared library `library` (`engine`'s) cannot be loaded.
fn unloadable(name: &str, library: &str, engine: &str, fix: &str) -> Option<Check> {
    // SAFETY: loading the library runs its static initialisers only; nothing of it is called.
    let loaded = unsafe { libloading::Library::new(library) };
    loaded
        .err()
        .map(|error| Check::fail(name, format!("{engine} cannot be loaded: {error}"), fix))
}

/// Pinyin: librime loads and the terminal's schemas are deployed where `[input] rime` says. (The engine
/// itself is not started here: it is one per process, and the terminal's runs on its own thread.)
pub fn pinyin(config: &crate::config::InputConfig) -> Check {
    const NAME: &str = "pinyin";
    let fix = "install the packages librime1 and rime-data-luna-pinyin (apt install librime1 \
               rime-data-luna-pinyin), then run kiosk input deploy";
    if let Some(failed) = unloadable(NAME, crate::input::rime::LIBRARY, "librime", fix) {
        return failed;
    }
    if !crate::input::deploy::is_deployed(&config.rime) {
        return Check::fail(
            NAME,
            format!(
                "the pinyin schemas are not deployed in {}",
                config.rime.display()
            ),
            format!(
                "run kiosk input deploy {} (as root; the package's installation does it)",
                config.rime.display()
            ),
        );
    }
    let fuzzy = if config.fuzzy_pinyin {
        "fuzzy pinyin on"
    } else {
        "exact pinyin"
    };
    Check::ok(
        NAME,
        format!(
            "librime loads; schemas deployed in {} ({fuzzy})",
            config.rime.display()
        ),
    )
}

/// Handwriting: zinnia loads and its model is there.
pub fn handwriting(config: &crate::config::InputConfig) -> Check {
    const NAME: &str = "handwriting";
    let fix = "install the package libzinnia0 (apt install libzinnia0)";
    if let Some(failed) = unloadable(NAME, crate::input::zinnia::LIBRARY, "zinnia", fix) {
        return failed;
    }
    match std::fs::metadata(&config.model) {
        Ok(meta) if meta.len() > 1_000_000 => Check::ok(
            NAME,
            format!(
                "zinnia loads; model {} ({} MB)",
                config.model.display(),
                meta.len() / 1_000_000
            ),
        ),
        Ok(_) | Err(_) => Check::fail(
            NAME,
            format!(
                "the handwriting model {} is missing",
                config.model.display()
            ),
            "install the package tegaki-zinnia-simplified-chinese",
        ),
    }
}

/// The card reader: the port opens, the SAM module answers and passes its self-test.
pub fn reader(config: &ReaderConfig) -> Check {
    use crate::device::reader::frame::Status;
    use crate::device::reader::{LinkError, SamLink};
    const NAME: &str = "reader";
    if !config.enabled {
        return Check::ok(NAME, "switched off ([reader] enabled = false)");
    }
    let port = &config.port;
    let mut link = match SamLink::open(port, config.baud) {
        Ok(link) => link,
        Err(LinkError::Open { source, .. }) => {
            let (detail, fix) = open_failure(port, &source.to_string());
            return Check::fail(NAME, detail, fix);
        }
        Err(error) => return Check::fail(NAME, error.to_string(), CHECK_CABLE),
    };
    match link.sam_status() {
        Ok(Status::Success) => {
            let id = match link.sam_id() {
                Ok(Ok(id)) => id,
                _ => "id unavailable".into(),
            };
            Check::ok(
                NAME,
                format!("SAM {id} ready on {port} at {} baud", config.baud),
            )
        }
        Ok(status) => Check::fail(
            NAME,
            format!("the SAM module on {port} reports {}", status.meaning()),
            "switch the reader off and on; if the fault stays, the SAM module needs its vendor",
        ),
        Err(error) => Check::fail(
            NAME,
            format!(
                "no usable answer on {port} at {} baud: {error}",
                config.baud
            ),
            format!(
                "{CHECK_CABLE}; the module's baud rate must be the one in [reader] baud ({})",
                config.baud
            ),
        ),
    }
}

const CHECK_CABLE: &str = "check the device's power and cable";

/// The document camera: a frame comes, and what the page pipeline makes of it.
pub fn camera(config: &crate::config::CameraConfig) -> Check {
    use crate::device::camera::{self, CameraFault, CaptureProblem};
    const NAME: &str = "camera";
    if !config.enabled {
        return Check::ok(NAME, "switched off ([camera] enabled = false)");
    }
    let device = &config.device;
    let frame = match camera::open(device).frame() {
        Ok(frame) => frame,
        Err(CameraFault::Unplugged(why)) => {
            return Check::fail(
                NAME,
                format!("no document camera at {device}: {why}"),
                "plug the document camera in and check its USB cable; `v4l2-ctl --list-devices` (package \
                 v4l-utils) lists the cameras; set [camera] device to its /dev/videoN",
            )
        }
        Err(CameraFault::Io(why)) => {
            return Check::fail(
                NAME,
                why,
                "another program may hold the camera (the running terminal does: systemctl stop kiosk, \
                 then check again); otherwise unplug it and plug it in again",
            )
        }
    };
    let size = format!("{}×{} frames from {device}", frame.width, frame.height);
    match camera::page::keep(&frame) {
        Ok(page) => Check::ok(
            NAME,
            format!(
                "{size}; the page under it kept as {} KB",
                page.jpeg.len() / 1024
            ),
        ),
        Err(CaptureProblem::NoPage) => Check::ok(NAME, format!("{size} (no page under it now)")),
        Err(CaptureProblem::Blurred) => Check::warn(
            NAME,
            format!("{size}, but the page under it is blurred"),
            "clean the lens and check its focus; keep the page flat and still",
        ),
        Err(problem) => Check::fail(NAME, problem.to_string(), CHECK_CABLE),
    }
}

/// What a serial port that will not open means, and what to do.
fn open_failure(port: &str, why: &str) -> (String, String) {
    let detail = format!("cannot open {port}: {why}");
    let lower = why.to_lowercase();
    let fix = if lower.contains("no such file") || lower.contains("not found") {
        format!(
            "no device at {port}: plug it in and check its cable; `kiosk ports` lists the serial ports; \
             set [reader] port to the right one"
        )
    } else if lower.contains("permission") {
        "the terminal's user may not open it: add the user to the dialout group (the package does this \
         for the user kiosk)"
            .to_string()
    } else {
        "another program holds the port (the running terminal does): stop it first (systemctl stop \
         kiosk), then check again"
            .to_string()
    };
    (detail, fix)
}

/// The printer: it can be reached and says it can print.
/// The code scanner: its port opens (a scanner in serial mode says nothing until it scans, so the port is
/// all there is to check).
pub fn scanner(config: &crate::config::ScannerConfig) -> Check {
    const NAME: &str = "scanner";
    if !config.enabled {
        return Check::ok(NAME, "switched off ([scanner] enabled = false)");
    }
    let port = &config.port;
    match serialport::new(port, config.baud)
        .timeout(Duration::from_millis(100))
        .open()
    {
        Ok(_) => Check::ok(
            NAME,
            format!(
                "{port} opens at {} baud; a receipt scanned on the home screen opens its case",
                config.baud
            ),
        ),
        Err(error) if error.kind() == serialport::ErrorKind::NoDevice
            || matches!(error.kind(), serialport::ErrorKind::Io(std::io::ErrorKind::NotFound)) =>
        {
            Check::fail(
                NAME,
                format!("no scanner at {port}: {error}"),
                "plug the scanner in (USB: it shows as /dev/ttyACM0; `ls /dev/serial/by-id` lists serial \
                 devices) and set [scanner] port to it; a scanner in keyboard (HID) mode must be switched to \
                 its serial (USB COM / CDC) mode with the setting code in its manual",
            )
        }
        Err(error) => Check::fail(
            NAME,
            format!("{port} does not open: {error}"),
            "the terminal's user needs the port: add it to the group dialout (usermod -aG dialout kiosk), \
             or another program holds it (the running terminal does: systemctl stop kiosk, then check again)",
        ),
    }
}

pub fn printer(config: &PrinterConfig) -> Check {
    use crate::device::printer::status::Paper;
    use crate::device::printer::transport::{Connection, Target};
    const NAME: &str = "printer";
    if !config.enabled {
        return Check::ok(NAME, "switched off ([printer] enabled = false)");
    }
    let target = match Target::parse(&config.uri) {
        Ok(target) => target,
        Err(error) => return Check::fail(NAME, error.to_string(), "set [printer] uri"),
    };
    let state = Connection::open(&target, Duration::from_secs(3))
        .and_then(|mut connection| connection.status());
    let profile = &config.profile;
    match state {
        Err(error) => Check::fail(
            NAME,
            error.to_string(),
            format!(
                "{CHECK_CABLE} (for a network printer, its address {}); then `kiosk printer status --to {}`",
                config.uri, config.uri
            ),
        ),
        Ok(None) => Check::warn(
            NAME,
            format!("{target} takes jobs but cannot report its state"),
            "print a test page and look at it (`kiosk printer print --sample receipt --to …`)",
        ),
        Ok(Some(state)) if state.paper == Paper::Out => Check::fail(
            NAME,
            format!("out of paper ({target})"),
            format!("load a {profile} paper roll and close the cover"),
        ),
        Ok(Some(state)) if state.cover_open => Check::fail(
            NAME,
            format!("the cover is open ({target})"),
            "close the printer's cover",
        ),
        Ok(Some(state)) if state.error => Check::fail(
            NAME,
            format!("the printer reports an error ({target})"),
            "open the cover, clear any jammed paper, switch the printer off and on",
        ),
        Ok(Some(state)) if !state.online => Check::fail(
            NAME,
            format!("the printer is offline ({target})"),
            "press its online (or feed) button; check its error light",
        ),
        Ok(Some(state)) if state.paper == Paper::NearEnd => Check::warn(
            NAME,
            format!("paper is running low ({target}, {profile})"),
            format!("put in a new {profile} roll soon"),
        ),
        Ok(Some(_)) => Check::ok(NAME, format!("ready, paper ok ({target}, {profile})")),
    }
}

/// The hub: it answers this terminal's credential, how fast, and the clock against the hub's.
pub fn hub(config: &Config) -> Vec<Check> {
    use crate::sync::client::{HubClient, SyncError};
    const NAME: &str = "hub";
    if config.hub.url.is_empty() {
        return vec![Check::ok(
            NAME,
            "none: the terminal runs stand-alone ([hub] url is empty)",
        )];
    }
    let url = &config.hub.url;
    let enrol = format!(
        "enrol with a one-time code from the hub's operator: kiosk enroll --hub {url} --code CODE"
    );
    let ca = config.hub.ca.as_deref();
    let probed = HubClient::new(url, &config.hub.credential, ca).and_then(|client| client.probe());
    let trust = match ca {
        Some(ca) => format!("[hub] ca ({})", ca.display()),
        None => "the public CAs ([hub] ca is not set)".into(),
    };
    match probed {
        Err(error @ SyncError::Untrusted { .. }) => vec![Check::fail(
            NAME,
            error.to_string(),
            format!(
                "the hub's certificate is not signed by {trust}: put the hall CA's certificate there \
                 (the ca.pem that kiosk-hub tls init made, from the hub's operator) and set [hub] ca to \
                 it, or correct [hub] url to the name on the hub's certificate"
            ),
        )],
        Err(error @ SyncError::BadCa { .. }) => vec![Check::fail(
            NAME,
            error.to_string(),
            "[hub] ca must name a PEM file holding the hall CA's certificate (-----BEGIN CERTIFICATE-----)",
        )],
        Err(error @ SyncError::NotEnrolled { .. }) => {
            vec![Check::fail(NAME, error.to_string(), enrol)]
        }
        Err(SyncError::Unauthorized) => vec![Check::fail(
            NAME,
            format!("{url} refuses this terminal's credential"),
            enrol,
        )],
        Err(error) => vec![Check::fail(
            NAME,
            error.to_string(),
            "check the network cable or Wi-Fi and [hub] url; meanwhile the terminal works offline and \
             keeps its records for later",
        )],
        Ok((rtt, hub_time)) => {
            let ms = rtt.as_secs_f64() * 1000.0;
            let mut checks = vec![if rtt > SLOW_HUB {
                Check::warn(
                    NAME,
                    format!("{url} answers, slowly: {ms:.0} ms"),
                    "the link is slow: check the network; citizens will wait for progress and prints",
                )
            } else {
                Check::ok(NAME, format!("{url} answers in {ms:.0} ms"))
            }];
            if let Some(hub_time) = hub_time {
                checks.push(clock(chrono::Utc::now() - hub_time, rtt));
            }
            checks
        }
    }
}

/// The terminal's clock against the hub's (`ahead`: how far this clock is ahead), allowing for `rtt`.
pub fn clock(ahead: chrono::TimeDelta, rtt: Duration) -> Check {
    const NAME: &str = "clock";
    // The Date header has whole seconds and was stamped somewhere in the round trip.
    let slack = rtt + Duration::from_secs(1);
    let off = ahead
        .abs()
        .to_std()
        .unwrap_or_default()
        .saturating_sub(slack);
    let words = format!(
        "{} s {} the hub's",
        ahead.num_seconds().abs(),
        if ahead.num_seconds() >= 0 {
            "ahead of"
        } else {
            "behind"
        }
    );
    let fix =
        "turn on time sync (timedatectl set-ntp true) or set the clock; receipts, tickets and \
               licences carry the terminal's time";
    if off > SKEW_FAIL {
        Check::fail(NAME, words, fix)
    } else if off > SKEW_WARN {
        Check::warn(NAME, words, fix)
    } else {
        Check::ok(NAME, format!("within a few seconds of the hub's ({words})"))
    }
}

/// The terminal's SQLite file: it opens, and what waits in it (read only: a check changes nothing).
pub fn database(path: &Path) -> Check {
    const NAME: &str = "database";
    if !path.exists() {
        return Check::warn(
            NAME,
            format!("{} does not exist yet", path.display()),
            "it is made at the terminal's first start; its folder must be writable by the terminal's user \
             (the package makes /var/lib/kiosk)",
        );
    }
    match crate::sync::backlog(path) {
        Err(error) => Check::fail(
            NAME,
            format!("{} cannot be read: {error}", path.display()),
            "restore it from the backup, or move it away for a fresh one (records not yet sent are lost)",
        ),
        Ok(crate::sync::Backlog {
            records: waiting,
            oldest_ms: oldest,
            unknown_prints: unknown,
        }) => {
            let age = oldest
                .map(|ms| chrono::Utc::now().timestamp_millis() - ms)
                .unwrap_or(0);
            let detail = format!(
                "{waiting} records waiting for the hub; {unknown} print jobs of unknown outcome"
            );
            if age > STALE_OUTBOX.as_millis() as i64 {
                Check::warn(
                    NAME,
                    format!("{detail}; the oldest is {} h old", age / 3_600_000),
                    "the hub has not taken the records for a day: check the hub check above",
                )
            } else if unknown > 0 {
                Check::warn(
                    NAME,
                    detail,
                    "a job stopped mid-way (power or cable): `kiosk sync status` lists it; ask the hall \
                     whether its paper came out",
                )
            } else {
                Check::ok(NAME, detail)
            }
        }
    }
}

/// The files only the terminal's user may read: the hub credential, the database (with its -wal) and the
/// key that seals application materials. Any that another user could read fails, with the command that
/// mends it.
pub fn private_files(config: &Config) -> Check {
    use std::os::unix::fs::PermissionsExt;
    const NAME: &str = "files";
    let database = &config.terminal.database;
    let mut wal = database.as_os_str().to_owned();
    wal.push("-wal");
    let files = [
        config.hub.credential.clone(),
        database.clone(),
        PathBuf::from(wal),
        crate::sync::applications::key_path(database),
    ];
    let open: Vec<(&PathBuf, u32)> = files
        .iter()
        .filter_map(|file| {
            let mode = std::fs::metadata(file).ok()?.permissions().mode() & 0o777;
            (mode & 0o077 != 0).then_some((file, mode))
        })
        .collect();
    if open.is_empty() {
        Check::ok(
            NAME,
            "the credential, the database and the materials' key are readable by the terminal's user alone",
        )
    } else {
        let said: Vec<String> = open
            .iter()
            .map(|(file, mode)| format!("{} ({mode:o})", file.display()))
            .collect();
        let paths: Vec<String> = open
            .iter()
            .map(|(file, _)| file.display().to_string())
            .collect();
        Check::fail(
            NAME,
            format!("readable by other users: {}", said.join(", ")),
            format!(
                "chown kiosk: {0} && chmod 600 {0} (they hold the terminal's credential and citizens' records)",
                paths.join(" ")
            ),
        )
    }
}

/// Free space where the terminal's database lives.
pub fn disk(database: &Path) -> Check {
    const NAME: &str = "disk";
    let folder = database
        .ancestors()
        .skip(1)
        .find(|p| p.is_dir())
        .unwrap_or(Path::new("/"));
    match free_bytes(folder) {
        Err(error) => Check::warn(
            NAME,
            format!(
                "cannot tell the free space of {}: {error}",
                folder.display()
            ),
            "check with df -h",
        ),
        Ok(free) => {
            let detail = format!("{} free at {}", megabytes(free), folder.display());
            let fix = "free space: journalctl --vacuum-size=100M, apt clean, remove old files";
            if free < DISK_FAIL {
                Check::fail(NAME, detail, fix)
            } else if free < DISK_WARN {
                Check::warn(NAME, detail, fix)
            } else {
                Check::ok(NAME, detail)
            }
        }
    }
}

fn megabytes(bytes: u64) -> String {
    format!("{} MB", bytes >> 20)
}

/// Bytes free to an unprivileged user on the filesystem holding `path`.
pub fn free_bytes(path: &Path) -> std::io::Result<u64> {
    use std::os::unix::ffi::OsStrExt;
    let c = std::ffi::CString::new(path.as_os_str().as_bytes())
        .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidInput, e))?;
    let mut stat: libc::statvfs = unsafe { std::mem::zeroed() };
    // SAFETY: `c` is a valid C string and `stat` a valid out-pointer for the call's duration.
    if unsafe { libc::statvfs(c.as_ptr(), &mut stat) } != 0 {
        return Err(std::io::Error::last_os_error());
    }
    Ok(stat.f_bavail as u64 * stat.f_frsize as u64)
}

/// The bundled font loads and draws the characters the screens use.
pub fn font() -> Check {
    use ab_glyph::Font as _;
    const NAME: &str = "font";
    const SAMPLE: &str = "政务服务自助终端请刷身份证";
    let fix = "the binary is damaged: reinstall the kiosk package";
    for (face, bytes) in [
        ("regular", crate::assets::FONT_REGULAR),
        ("bold", crate::assets::FONT_BOLD),
    ] {
        let font = match ab_glyph::FontRef::try_from_slice(bytes) {
            Ok(font) => font,
            Err(error) => {
                return Check::fail(NAME, format!("the bundled {face} face: {error}"), fix)
            }
        };
        let missing: String = SAMPLE
            .chars()
            .filter(|c| font.glyph_id(*c).0 == 0)
            .collect();
        if !missing.is_empty() {
            return Check::fail(
                NAME,
                format!("the bundled {face} face lacks {missing}"),
                fix,
            );
        }
    }
    Check::ok(
        NAME,
        format!(
            "{} (regular and bold) draws Chinese",
            crate::assets::FONT_FAMILY
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_pinyin_schemas_or_handwriting_model_fail_with_the_fix() {
        let dir = tempfile::tempdir().unwrap();
        let input = crate::config::InputConfig {
            fuzzy_pinyin: true,
            rime: dir.path().join("rime"),
            words: dir.path().join("words"),
            model: dir.path().join("no.model"),
        };
        let pinyin = pinyin(&input);
        assert_eq!(pinyin.level, Level::Fail);
        let fix = pinyin.fix.unwrap_or_default();
        assert!(
            fix.contains("kiosk input deploy") || fix.contains("librime1"),
            "{fix}"
        );
        let handwriting = handwriting(&input);
        assert_eq!(handwriting.level, Level::Fail);
        assert!(handwriting
            .fix
            .unwrap_or_default()
            .contains("tegaki-zinnia-simplified-chinese"));
    }

    #[test]
    fn the_worst_check_decides_the_status_and_exit_code() {
        let report = Report::new(vec![Check::ok("a", "fine")]);
        assert_eq!((report.status, report.exit_code()), (Level::Ok, 0));
        let report = Report::new(vec![Check::ok("a", "fine"), Check::warn("b", "hm", "do x")]);
        assert_eq!(report.exit_code(), 1);
        let report = Report::new(vec![
            Check::fail("c", "broken", "do y"),
            Check::warn("b", "hm", "do x"),
        ]);
        assert_eq!(report.exit_code(), 2);
        let json: serde_json::Value = serde_json::from_str(&report.json()).unwrap();
        assert_eq!(json["status"], "fail");
        assert_eq!(json["checks"][0]["fix"], "do y");
        assert!(report.text().contains("fail  c         broken\n"));
    }

    #[test]
    fn clock_skew_is_judged_beyond_the_round_trip() {
        let rtt = Duration::from_millis(40);
        let at = |s| clock(chrono::TimeDelta::seconds(s), rtt).level;
        assert_eq!(at(2), Level::Ok);
        assert_eq!(at(-20), Level::Ok);
        assert_eq!(at(90), Level::Warn);
        assert_eq!(at(-600), Level::Fail);
        assert!(clock(chrono::TimeDelta::seconds(-600), rtt)
            .detail
            .contains("600 s behind"));
    }

    #[test]
    fn the_bundled_font_passes_and_disk_space_is_read() {
        assert_eq!(font().level, Level::Ok);
        assert!(free_bytes(Path::new("/")).unwrap() > 0);
        let check = disk(Path::new("/nonexistent/deep/kiosk.db"));
        assert!(check.detail.ends_with(" free at /"), "{check:?}");
    }

    #[test]
    fn a_missing_reader_port_says_to_plug_it_in() {
        let check = reader(&ReaderConfig {
            enabled: true,
            port: "/dev/nonexistent-reader".into(),
            baud: 115_200,
            poll_ms: 300,
        });
        assert_eq!(check.level, Level::Fail);
        assert!(
            check.fix.unwrap().contains("kiosk ports"),
            "{}",
            check.detail
        );
    }
}
