//! One field that takes text, and the keyboards the citizen switches between: 拼音 (through librime), 手写
//! (through zinnia), 123 and ABC (no engine), and a symbols row for technicians. Keys go in
//! ([`Entry::press`]); what needs an engine goes to the engines' thread, and its answer comes back
//! ([`Entry::reply`]). The field's text is always what the commits and the plain keys made it.

use std::sync::atomic::{AtomicU64, Ordering};

use serde::Serialize;

use super::engine::{Availability, Link, Reply, Request};
use super::rime::keysym;
use super::rime::Snapshot;
use super::zinnia::Stroke;

/// The keyboards.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Keyboard {
    Pinyin,
    Handwriting,
    Digits,
    Letters,
}

/// What a field takes, which decides its keyboards.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Kind {
    /// Chinese and Latin text (names, addresses, searches): every keyboard.
    Text,
    /// Digits only (phone numbers, postcodes, case numbers): the 123 keyboard alone.
    Digits,
    /// An ID number: digits and the check character X.
    IdNumber,
    /// A case number: the capitals of its prefix (SZ…) and digits: letters with a row of digits.
    CaseNumber,
    /// A technician's value (a URL, a device path): letters, digits and the symbols row.
    Technical,
}

/// The symbols row technicians get.
pub const SYMBOLS: [char; 5] = [':', '/', '.', '-', '_'];

/// A key pressed (or a stroke drawn) in a field.
#[derive(Debug, Clone, PartialEq)]
pub enum Key {
    Char(char),
    Space,
    Backspace,
    /// Empties the field (and the composition, and the pad).
    Clear,
    Keyboard(Keyboard),
    /// Capitals on the ABC keyboard, on and off.
    Shift,
    /// A candidate of the row shown: pinyin's page, or the pad's characters.
    Pick(usize),
    PageUp,
    PageDown,
    /// A stroke finished on the pad (points in the pad's pixels), and the pad's side.
    Stroke(Stroke, f32),
    /// Takes back the last stroke.
    Undo,
    /// Wipes the pad.
    ClearPad,
    /// Text put in whole (staff typing in remote guidance): what the field's kind accepts of it.
    Typed(String),
}

static FIELDS: AtomicU64 = AtomicU64::new(1);

/// A field's state. What is typed is the citizen's: never logged (`Debug` shows only its length).
#[derive(Clone, PartialEq, Serialize)]
pub struct Entry {
    pub kind: Kind,
    pub text: String,
    pub keyboard: Keyboard,
    /// Pinyin being composed, as Rime shows it (empty: nothing composed).
    pub preedit: String,
    /// The row of candidates: pinyin's page, or what the pad's strokes may be.
    pub candidates: Vec<String>,
    pub page: usize,
    pub last_page: bool,
    pub strokes: Vec<Stroke>,
    /// The pad's side in pixels, as the strokes were drawn on it.
    #[serde(skip)]
    pad: f32,
    pub upper: bool,
    /// The most characters the field holds.
    pub limit: usize,
    /// Which engines work.
    #[serde(skip)]
    pub engines: Availability,
    #[serde(skip)]
    field: u64,
    /// Requests sent whose answers have not come back.
    #[serde(skip)]
    pending: usize,
    /// Whether a keyboard was chosen (then the engines' arrival does not change it).
    #[serde(skip)]
    chosen: bool,
    #[serde(skip)]
    link: Option<Link>,
}

impl std::fmt::Debug for Entry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Entry")
            .field("kind", &self.kind)
            .field("keyboard", &self.keyboard)
            .field("chars", &self.text.chars().count())
            .field("composing", &!self.preedit.is_empty())
            .finish()
    }
}

impl Entry {
    /// An empty field of `kind`, holding at most `limit` characters, reaching the engines through `link`
    /// (none: the plain keyboards only).
    pub fn new(kind: Kind, limit: usize, link: Option<Link>, engines: Availability) -> Entry {
        let mut entry = Entry {
            kind,
            text: String::new(),
            keyboard: Keyboard::Digits,
            preedit: String::new(),
            candidates: Vec::new(),
            page: 0,
            last_page: true,
            strokes: Vec::new(),
            pad: super::zinnia::FRAME as f32,
            upper: false,
            limit,
            engines,
            field: FIELDS.fetch_add(1, Ordering::Relaxed),
            pending: 0,
            chosen: false,
            link,
        };
        entry.keyboard = entry.keyboards()[0];
        entry
    }

    /// The keyboards this field offers now, the first being where it opens.
    pub fn keyboards(&self) -> Vec<Keyboard> {
        match self.kind {
            Kind::Digits | Kind::IdNumber => vec![Keyboard::Digits],
            Kind::CaseNumber => vec![Keyboard::Letters, Keyboard::Digits],
            Kind::Technical => vec![Keyboard::Letters, Keyboard::Digits],
            Kind::Text => {
                let mut offered = Vec::new();
                if self.engines.pinyin.is_ok() && self.link.is_some() {
                    offered.push(Keyboard::Pinyin);
                }
                if self.engines.handwriting.is_ok() && self.link.is_some() {
                    offered.push(Keyboard::Handwriting);
                }
                offered.extend([Keyboard::Letters, Keyboard::Digits]);
                offered
            }
        }
    }

    /// The engines said which of them work: the keyboards follow (a field still on its first keyboard
    /// opens on the best one now offered).
    pub fn engines_ready(&mut self, engines: Availability) {
        let untouched = !self.chosen && self.text.is_empty();
        self.engines = engines;
        if untouched || !self.keyboards().contains(&self.keyboard) {
            self.keyboard = self.keyboards()[0];
        }
    }

    pub fn composing(&self) -> bool {
        !self.preedit.is_empty() || self.pending > 0
    }

    /// One key; what needs an engine is sent to it.
    pub fn press(&mut self, key: Key) {
        match key {
            Key::Keyboard(keyboard) if self.keyboards().contains(&keyboard) => {
                // The letters not yet chosen are dropped; the field keeps what was committed.
                if self.composing() {
                    self.send(Request::Clear { field: self.field });
                }
                self.reset_composition();
                self.keyboard = keyboard;
                self.chosen = true;
            }
            Key::Keyboard(_) => {}
            Key::Clear => {
                if self.composing() {
                    self.send(Request::Clear { field: self.field });
                }
                self.reset_composition();
                self.text.clear();
            }
            Key::Shift => self.upper = !self.upper,
            Key::Typed(typed) => {
                let kept: String = typed.chars().filter(|&c| self.takes(c)).collect();
                self.insert(&kept);
            }
            Key::Stroke(stroke, side) if self.keyboard == Keyboard::Handwriting => {
                if !stroke.is_empty() {
                    self.strokes.push(stroke);
                    self.pad = side;
                    self.classify();
                }
            }
            Key::Undo if self.keyboard == Keyboard::Handwriting => {
                self.strokes.pop();
                self.candidates.clear();
                if !self.strokes.is_empty() {
                    self.classify();
                }
            }
            Key::ClearPad => {
                self.strokes.clear();
                if self.keyboard == Keyboard::Handwriting {
                    self.candidates.clear();
                }
            }
            Key::Pick(index) => match self.keyboard {
                Keyboard::Pinyin if index < self.candidates.len() => {
                    self.send(Request::Pick {
                        field: self.field,
                        index,
                    });
                }
                Keyboard::Handwriting => {
                    if let Some(chosen) = self.candidates.get(index).cloned() {
                        self.insert(&chosen);
                        self.strokes.clear();
                        self.candidates.clear();
                    }
                }
                _ => {}
            },
            Key::PageUp | Key::PageDown if self.keyboard == Keyboard::Pinyin => {
                if !self.preedit.is_empty() {
                    self.send(Request::Page {
                        field: self.field,
                        down: key == Key::PageDown,
                    });
                }
            }
            Key::Char(c) if self.keyboard == Keyboard::Pinyin && c.is_ascii_lowercase() => {
                self.send(Request::Key {
                    field: self.field,
                    keysym: c as u32,
                });
            }
            Key::Space | Key::Backspace
                if self.keyboard == Keyboard::Pinyin && self.composing() =>
            {
                let keysym = if key == Key::Space {
                    keysym::SPACE
                } else {
                    keysym::BACKSPACE
                };
                self.send(Request::Key {
                    field: self.field,
                    keysym,
                });
            }
            Key::Char(c) if self.accepts(c) => {
                let c = if self.keyboard == Keyboard::Letters && self.upper {
                    c.to_ascii_uppercase()
                } else {
                    c
                };
                self.insert(&c.to_string());
            }
            Key::Space if self.kind == Kind::Text => self.space(),
            Key::Backspace => {
                self.text.pop();
            }
            Key::Char(_)
            | Key::Space
            | Key::Stroke(..)
            | Key::Undo
            | Key::PageUp
            | Key::PageDown => {}
        }
    }

    /// An engine's answer; answers for another field, or for strokes since taken back, are dropped.
    pub fn reply(&mut self, reply: &Reply) {
        match reply {
            Reply::Ready(engines, link) => {
                self.link = Some(link.clone());
                self.engines_ready(engines.clone());
            }
            Reply::Pinyin {
                field,
                unused,
                snapshot,
            } if *field == self.field => {
                self.pending = self.pending.saturating_sub(1);
                if self.keyboard != Keyboard::Pinyin {
                    return;
                }
                self.insert(&snapshot.commit);
                self.show(snapshot);
                match *unused {
                    Some(keysym::BACKSPACE) => {
                        self.text.pop();
                    }
                    Some(keysym::SPACE) if self.kind == Kind::Text => self.space(),
                    Some(other) => {
                        // Rime took no letter (not set up): the letter itself.
                        if let Some(letter) = char::from_u32(other).filter(char::is_ascii_lowercase)
                        {
                            self.insert(&letter.to_string());
                        }
                    }
                    None => {}
                }
            }
            Reply::Written {
                field,
                strokes,
                candidates,
            } if *field == self.field => {
                self.pending = self.pending.saturating_sub(1);
                if self.keyboard == Keyboard::Handwriting && *strokes == self.strokes.len() {
                    self.candidates = candidates.clone();
                }
            }
            Reply::Pinyin { .. } | Reply::Written { .. } => {}
        }
    }

    /// Whether the letters' keyboard has a row of digits (technicians' values, case numbers).
    pub fn digits_row(&self) -> bool {
        matches!(self.kind, Kind::Technical | Kind::CaseNumber)
    }

    /// Whether the field's kind takes `c` at all, whatever keyboard shows.
    fn takes(&self, c: char) -> bool {
        match self.kind {
            Kind::Text => !c.is_control(),
            Kind::Digits => c.is_ascii_digit(),
            Kind::IdNumber => c.is_ascii_digit() || c == 'X' || c == 'x',
            Kind::CaseNumber => c.is_ascii_alphanumeric(),
            Kind::Technical => c.is_ascii_graphic(),
        }
    }

    fn accepts(&self, c: char) -> bool {
        match self.keyboard {
            Keyboard::Digits => {
                c.is_ascii_digit() || (self.kind == Kind::IdNumber && (c == 'X' || c == 'x'))
            }
            Keyboard::Letters => {
                c.is_ascii_alphabetic()
                    || (self.digits_row() && c.is_ascii_digit())
                    || (self.kind == Kind::Technical && SYMBOLS.contains(&c))
            }
            Keyboard::Pinyin | Keyboard::Handwriting => false,
        }
    }

    /// A space between words: never at the start, never two.
    fn space(&mut self) {
        if !self.text.is_empty() && !self.text.ends_with(' ') {
            self.insert(" ");
        }
    }

    fn insert(&mut self, s: &str) {
        let room = self.limit.saturating_sub(self.text.chars().count());
        let s = if matches!(self.kind, Kind::IdNumber | Kind::CaseNumber) {
            s.to_ascii_uppercase()
        } else {
            s.to_string()
        };
        self.text.extend(s.chars().take(room));
    }

    fn show(&mut self, snapshot: &Snapshot) {
        self.preedit = snapshot.preedit.clone();
        self.candidates = snapshot.candidates.clone();
        self.page = snapshot.page;
        self.last_page = snapshot.last_page;
    }

    fn reset_composition(&mut self) {
        self.preedit.clear();
        self.candidates.clear();
        self.strokes.clear();
        self.page = 0;
        self.last_page = true;
        // Answers still on their way are for a composition that is gone.
        self.field = FIELDS.fetch_add(1, Ordering::Relaxed);
        self.pending = 0;
    }

    fn classify(&mut self) {
        let strokes = self.strokes.clone();
        self.send(Request::Strokes {
            field: self.field,
            strokes,
            side: self.pad,
        });
    }

    /// Sends `request` to the engines. When their thread is gone, the field stops offering what needs
    /// them (and says so) instead of swallowing keys.
    fn send(&mut self, request: Request) {
        let Some(link) = &self.link else {
            return;
        };
        if link.send(request) {
            self.pending += 1;
        } else {
            tracing::error!(
                "the input engines' thread is gone: pinyin and handwriting are not offered"
            );
            self.link = None;
            self.engines = Availability::stopped();
            self.reset_composition();
            self.keyboard = self.keyboards()[0];
        }
    }

    /// The side of the pad the strokes were drawn on.
    pub fn pad_side(&self) -> f32 {
        self.pad
    }

    /// Sets the text (a form's prefilled value, or a preset's).
    pub fn set_text(&mut self, text: &str) {
        self.reset_composition();
        self.text.clear();
        self.insert(text);
    }
}
