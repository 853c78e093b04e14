//! Text entry on the screen: a kiosk under cage has no system input method, so the terminal brings its
//! own, on the engines Chinese desktops use: pinyin through librime, handwriting through zinnia, and plain
//! keyboards for digits and letters. No iced here: the interface draws an [`entry::Entry`] and sends it
//! keys; the engines run on their own thread ([`engine`]).

pub mod deploy;
pub mod engine;
pub mod entry;
pub mod rime;
pub mod zinnia;

use std::path::{Path, PathBuf};

pub use engine::{spawn, Availability, EngineSettings, Link, Reply, Request, Running};
pub use entry::{Entry, Key, Keyboard, Kind};

/// Rime's shared data as Debian installs it.
pub const SHARED: &str = "/usr/share/rime-data";

/// The engines' settings from the terminal's configuration: Rime's deployed folder, the local words'
/// folder, the schema (fuzzy or exact pinyin), the handwriting model, and the hall's local words (from
/// the catalogue).
pub fn settings(
    rime: &Path,
    words: &Path,
    fuzzy: bool,
    model: &Path,
    local_words: Vec<String>,
) -> EngineSettings {
    EngineSettings {
        folders: rime::Folders {
            shared: PathBuf::from(SHARED),
            user: words.to_path_buf(),
            staging: deploy::staging(rime),
            log: std::env::temp_dir(),
        },
        schema: if fuzzy { deploy::FUZZY } else { deploy::EXACT }.to_string(),
        model: model.to_path_buf(),
        words: local_words,
    }
}
