//! Rime's configuration for the terminal, and its deployment: done when the package is installed
//! (`kiosk input deploy`, from the package's postinst) by `rime_deployer`, in a process of its own, never
//! by the running terminal. The result is read only by the terminal.
//!
//! Two schemas are built: `luna_pinyin_simp` (simplified output) and `kiosk_fuzzy`, the same with the fuzzy
//! pinyin of southern speakers; `kiosk.toml` chooses (`[input] fuzzy_pinyin`). Neither keeps a user
//! dictionary: nothing a citizen types is learned.

use std::path::{Path, PathBuf};
use std::process::Command;

/// The schema with exact pinyin, and the one with fuzzy pinyin.
pub const EXACT: &str = "luna_pinyin_simp";
pub const FUZZY: &str = "kiosk_fuzzy";
/// Candidates on one page of the pinyin keyboard.
pub const PAGE_SIZE: usize = 8;

/// luna_pinyin_simp with the fuzzy pinyin of southern speakers. (An `__append` beside a `__patch` is refused
/// by Rime's compiler: the an/ang rule is a patch of this file's own.)
const FUZZY_SCHEMA: &str = r#"# luna_pinyin_simp with the fuzzy pinyin of southern speakers: z/zh, c/ch, s/sh, n/l, an/ang,
# en/eng, in/ing (written by `kiosk input deploy`).
__include: luna_pinyin_simp.schema:/
schema:
  schema_id: kiosk_fuzzy
  name: 模糊拼音
  version: "1"
translator:
  prism: kiosk_fuzzy
  enable_user_dict: false
speller:
  alphabet: zyxwvutsrqponmlkjihgfedcba
  delimiter: " '"
  algebra:
    __patch:
      - pinyin:/zh_z_bufen
      - pinyin:/n_l_bufen
      - pinyin:/en_eng_bufen
      - pinyin:/abbreviation
      - pinyin:/spelling_correction
      - pinyin:/key_correction
      - kiosk_fuzzy.schema:/an_ang_bufen
an_ang_bufen:
  __append:
    - derive/([^i])an$/$1ang/
    - derive/([^i])ang$/$1an/
"#;

/// The files of the terminal's Rime configuration.
pub fn files() -> Vec<(&'static str, String)> {
    vec![
        (
            "default.custom.yaml",
            format!(
                "# The terminal's schemas (written by `kiosk input deploy`).\n\
                 patch:\n  schema_list:\n    - schema: {EXACT}\n    - schema: {FUZZY}\n  \
                 menu/page_size: {PAGE_SIZE}\n"
            ),
        ),
        (
            "luna_pinyin.custom.yaml",
            // Reaches luna_pinyin_simp and kiosk_fuzzy too (both include luna_pinyin's schema).
            "# No learning across citizens: no user dictionary is read or written.\n\
             patch:\n  translator/enable_user_dict: false\n"
                .to_string(),
        ),
        ("kiosk_fuzzy.schema.yaml", FUZZY_SCHEMA.to_string()),
    ]
}

/// Where the deployed configuration's built files go inside `dir`.
pub fn staging(dir: &Path) -> PathBuf {
    dir.join("build")
}

#[derive(Debug, thiserror::Error)]
pub enum DeployError {
    #[error("cannot write {path}: {source}")]
    Write {
        path: String,
        source: std::io::Error,
    },
    #[error("rime_deployer cannot run ({0}): install the package librime-bin")]
    NoDeployer(std::io::Error),
    #[error("rime_deployer failed ({status}): {said}")]
    Failed { status: String, said: String },
    #[error("rime_deployer built no {0}: is rime-data-luna-pinyin installed?")]
    Incomplete(String),
}

/// Writes the configuration into `dir` and builds it with `rime_deployer` from `shared` (Debian:
/// /usr/share/rime-data). Takes about half a second with Debian's prebuilt tables.
pub fn deploy(dir: &Path, shared: &Path) -> Result<(), DeployError> {
    let write = |path: &Path, text: &str| {
        std::fs::write(path, text).map_err(|source| DeployError::Write {
            path: path.display().to_string(),
            source,
        })
    };
    std::fs::create_dir_all(dir).map_err(|source| DeployError::Write {
        path: dir.display().to_string(),
        source,
    })?;
    for (name, text) in files() {
        write(&dir.join(name), &text)?;
    }
    let staging = staging(dir);
    let out = Command::new("rime_deployer")
        .arg("--build")
        .arg(dir)
        .arg(shared)
        .arg(&staging)
        // glog writes to stderr (read below), not to files in /tmp.
        .env("GLOG_logtostderr", "1")
        .env("GLOG_minloglevel", "2")
        .output()
        .map_err(DeployError::NoDeployer)?;
    if !out.status.success() {
        return Err(DeployError::Failed {
            status: out.status.to_string(),
            said: String::from_utf8_lossy(&out.stderr).trim().to_string(),
        });
    }
    if let Some(missing) = [EXACT, FUZZY].iter().find(|s| !is_built(&staging, s)) {
        return Err(DeployError::Incomplete(
            staging
                .join(format!("{missing}.prism.bin"))
                .display()
                .to_string(),
        ));
    }
    // What the deployer leaves beside the build is not needed at run time.
    for leftover in ["user.yaml", "installation.yaml"] {
        let _ = std::fs::remove_file(dir.join(leftover));
    }
    Ok(())
}

/// Whether `schema` is built in the staging folder `staging`.
pub fn is_built(staging: &Path, schema: &str) -> bool {
    staging.join(format!("{schema}.prism.bin")).is_file()
}

/// Whether `dir` holds a deployed configuration (both schemas built).
pub fn is_deployed(dir: &Path) -> bool {
    [EXACT, FUZZY]
        .iter()
        .all(|schema| is_built(&staging(dir), schema))
}

/// A deployed Rime folder: `configured` when it holds a build, else one deployed now (once per version)
/// under the temporary folder, for the demo, `kiosk shot` and tests on a machine where the package is not
/// installed. The deployment is its own process (`rime_deployer`), written beside and renamed into place.
pub fn deployed_or_temporary(configured: &Path) -> Result<PathBuf, DeployError> {
    if is_deployed(configured) {
        return Ok(configured.to_path_buf());
    }
    let temporary = std::env::temp_dir();
    let ready = temporary.join(format!("kiosk-rime-{}", env!("CARGO_PKG_VERSION")));
    if is_deployed(&ready) {
        return Ok(ready);
    }
    let fresh = temporary.join(format!(
        "kiosk-rime-{}-{}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or_default()
    ));
    deploy(&fresh, Path::new(super::SHARED))?;
    // Another process may have put its deployment in place first: either is as good.
    if std::fs::rename(&fresh, &ready).is_err() {
        let _ = std::fs::remove_dir_all(&fresh);
    }
    Ok(ready)
}

/// The local words as Rime's custom phrases (`text<TAB>code<TAB>weight`): each word's full pinyin, so that
/// typing it gives the word first. Words that are not all Chinese characters are left out.
pub fn custom_phrases(words: &[String]) -> String {
    use pinyin::ToPinyin;
    let mut out = String::from("# The hall's local words, from the catalogue.\n");
    for word in words {
        let code: Option<String> = word
            .chars()
            .map(|c| c.to_pinyin().map(|p| p.plain()))
            .collect::<Option<Vec<&str>>>()
            .map(|syllables| syllables.concat());
        if let Some(code) = code.filter(|c| !c.is_empty()) {
            out.push_str(&format!("{word}\t{code}\t100\n"));
        }
    }
    out
}

/// Writes the local words where Rime reads them (`words/custom_phrase.txt`), atomically; the next
/// session of the engine offers them.
/// The folder itself is made if missing, not its parents (on a terminal, /var/lib/kiosk is the package's);
/// words already there as they are now are not written again.
pub fn write_words(words_dir: &Path, words: &[String]) -> std::io::Result<()> {
    if !words_dir.is_dir() {
        std::fs::create_dir(words_dir)?;
    }
    let path = words_dir.join("custom_phrase.txt");
    let text = custom_phrases(words);
    if std::fs::read_to_string(&path).is_ok_and(|kept| kept == text) {
        return Ok(());
    }
    let temporary = words_dir.join(".custom_phrase.txt.new");
    std::fs::write(&temporary, text)?;
    std::fs::rename(&temporary, &path)
}
