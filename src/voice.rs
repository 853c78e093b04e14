//! Spoken prompts (语音播报) through a text-to-speech program in its own process (Debian's espeak-ng has a
//! Mandarin voice). The UI hands a prompt to the voice thread and goes on: the thread stops the prompt still
//! speaking (a new screen's prompt replaces the old one) and starts the next, so speech never blocks a
//! frame, and a missing or broken engine is logged once and otherwise ignored.

use std::process::{Child, Command, Stdio};
use std::sync::mpsc;

use crate::domain::Lang;

/// The voice thread's handle; dropping it stops the thread and the prompt speaking.
pub struct Voice {
    tx: mpsc::Sender<(Lang, String)>,
}

impl std::fmt::Debug for Voice {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Voice")
    }
}

/// The engine's voice for a language.
pub fn voice_name(lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => "cmn",
        Lang::En => "en-us",
    }
}

impl Voice {
    /// Starts the voice thread for `command` (the program and its first arguments, split on spaces).
    pub fn start(command: &str) -> Option<Voice> {
        let words: Vec<String> = command.split_whitespace().map(str::to_string).collect();
        if words.is_empty() {
            return None;
        }
        let (tx, rx) = mpsc::channel::<(Lang, String)>();
        let spawned = std::thread::Builder::new()
            .name("voice".into())
            .spawn(move || speak_all(&words, rx));
        match spawned {
            Ok(_) => Some(Voice { tx }),
            Err(error) => {
                tracing::error!(%error, "cannot start the voice thread; prompts are not spoken");
                None
            }
        }
    }

    /// Speaks `text` in `lang`, cutting off the prompt still speaking. Never waits.
    pub fn say(&self, lang: Lang, text: &str) {
        let _ = self.tx.send((lang, text.to_string()));
    }
}

fn speak_all(command: &[String], rx: mpsc::Receiver<(Lang, String)>) {
    let mut speaking: Option<Child> = None;
    let mut warned = false;
    while let Ok(mut next) = rx.recv() {
        // Prompts that queued up while the last one started: only the newest is worth saying.
        while let Ok(newer) = rx.try_recv() {
            next = newer;
        }
        stop(&mut speaking);
        let (lang, text) = next;
        let started = Command::new(&command[0])
            .args(&command[1..])
            .args(["-v", voice_name(lang)])
            .arg(&text)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn();
        match started {
            Ok(child) => speaking = Some(child),
            Err(error) if !warned => {
                warned = true;
                tracing::warn!(program = %command[0], %error, "the text-to-speech program cannot run; prompts are not spoken (install espeak-ng, or set [ui] voice = \"off\")");
            }
            Err(_) => {}
        }
    }
    stop(&mut speaking);
}

fn stop(speaking: &mut Option<Child>) {
    if let Some(mut child) = speaking.take() {
        if let Ok(None) = child.try_wait() {
            let _ = child.kill();
        }
        let _ = child.wait();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Debian's espeak-ng (installed by `.ci/run`) speaks each language's prompt, here into a WAV file.
    #[test]
    fn the_packaged_engine_speaks_mandarin_and_english() {
        let dir = tempfile::tempdir().unwrap();
        for (lang, text) in [
            (Lang::Zh, "请把身份证放在感应区上。"),
            (Lang::En, "Place your ID card on the reader."),
        ] {
            let wav = dir.path().join(format!("{}.wav", voice_name(lang)));
            let voice = Voice::start(&format!("espeak-ng -w {}", wav.display())).unwrap();
            voice.say(lang, text);
            let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
            // Done when the file holds a RIFF header and some speech (a second at 22 kHz is 44 KB).
            loop {
                let bytes = std::fs::read(&wav).unwrap_or_default();
                if bytes.len() > 20_000 && bytes.starts_with(b"RIFF") {
                    break;
                }
                assert!(
                    std::time::Instant::now() < deadline,
                    "espeak-ng spoke {text:?} ({} bytes)",
                    bytes.len()
                );
                std::thread::sleep(std::time::Duration::from_millis(50));
            }
        }
    }

    #[test]
    fn an_engine_that_is_not_installed_is_ignored() {
        let voice = Voice::start("/nonexistent/tts").unwrap();
        voice.say(Lang::Zh, "请选择要办理的事项。");
        voice.say(Lang::En, "Choose what you would like to do.");
        assert!(Voice::start("   ").is_none(), "no command, no voice");
    }
}
