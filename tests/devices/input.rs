//! Text entry with the real engines: librime with Debian's luna_pinyin tables, deployed into a temporary
//! folder by `rime_deployer` as the package's installation does, and zinnia with Debian's model.
//! librime is one engine per process: every test here shares one deployment, and takes turns.

use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard, OnceLock};

use kiosk::input::engine::Opened;
use kiosk::input::{deploy, Availability, Entry, Key, Keyboard, Kind, Link, Request};

struct Deployed {
    _dir: tempfile::TempDir,
    rime: PathBuf,
    words: PathBuf,
}

fn deployed() -> &'static Deployed {
    static DEPLOYED: OnceLock<Deployed> = OnceLock::new();
    DEPLOYED.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let rime = dir.path().join("rime");
        let words = dir.path().join("words");
        deploy::deploy(&rime, Path::new(kiosk::input::SHARED))
            .expect("rime_deployer builds the schemas");
        // What the terminal reads is read only to it.
        read_only(&rime);
        Deployed {
            _dir: dir,
            rime,
            words,
        }
    })
}

fn read_only(dir: &Path) {
    use std::os::unix::fs::PermissionsExt;
    for entry in walk(dir) {
        let mode = if entry.is_dir() { 0o555 } else { 0o444 };
        std::fs::set_permissions(&entry, std::fs::Permissions::from_mode(mode)).unwrap();
    }
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut all = vec![dir.to_path_buf()];
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            all.extend(walk(&path));
        } else {
            all.push(path);
        }
    }
    all
}

/// One test at a time uses librime (its sessions have no locks).
fn turn() -> MutexGuard<'static, ()> {
    static TURN: Mutex<()> = Mutex::new(());
    TURN.lock().unwrap_or_else(|e| e.into_inner())
}

/// The engines as the terminal opens them, with the hall's local words as the catalogue brings them.
fn engines(fuzzy: bool) -> Opened {
    let d = deployed();
    Opened::open(&kiosk::input::settings(
        &d.rime,
        &d.words,
        fuzzy,
        Path::new(kiosk::input::zinnia::MODEL),
        kiosk::domain::catalogue::bundled().local_words,
    ))
}

/// A field wired to `engines`, answering each request at once.
struct Field {
    entry: Entry,
    requests: std::sync::mpsc::Receiver<Request>,
    engines: Opened,
}

impl Field {
    fn new(engines: Opened) -> Field {
        let (link, requests) = Link::channel();
        let entry = Entry::new(Kind::Text, 40, Some(link), engines.availability.clone());
        Field {
            entry,
            requests,
            engines,
        }
    }

    fn press(&mut self, key: Key) {
        self.entry.press(key);
        while let Ok(request) = self.requests.try_recv() {
            if let Some(reply) = self.engines.handle(request) {
                self.entry.reply(&reply);
            }
        }
    }

    fn type_letters(&mut self, letters: &str) {
        for c in letters.chars() {
            self.press(Key::Char(c));
        }
    }
}

#[test]
fn a_whole_place_name_is_one_candidate_tap_away() {
    let _turn = turn();
    let mut field = Field::new(engines(false));
    assert_eq!(
        field.entry.keyboard,
        Keyboard::Pinyin,
        "a text field opens on pinyin"
    );
    field.type_letters("suzhougongyeyuanqu");
    assert_eq!(field.entry.candidates[0], "苏州工业园区");
    assert!(
        field.entry.text.is_empty(),
        "nothing is in the field before a pick"
    );
    field.press(Key::Pick(0));
    assert_eq!(field.entry.text, "苏州工业园区");
    assert!(field.entry.preedit.is_empty());
}

#[test]
fn the_halls_local_words_come_first() {
    let _turn = turn();
    let mut field = Field::new(engines(false));
    field.type_letters("xinghujie");
    assert_eq!(
        field.entry.candidates[0], "星湖街",
        "{:?}",
        field.entry.candidates
    );
    field.press(Key::Pick(0));
    assert_eq!(field.entry.text, "星湖街");
}

#[test]
fn fuzzy_pinyin_finds_what_a_southern_speaker_means() {
    let _turn = turn();
    let mut exact = Field::new(engines(false));
    exact.type_letters("zenwu");
    assert!(!exact.entry.candidates.iter().take(3).any(|c| c == "政务"));
    let mut fuzzy = Field::new(engines(true));
    fuzzy.type_letters("zenwu");
    assert_eq!(
        fuzzy.entry.candidates[0], "政务",
        "{:?}",
        fuzzy.entry.candidates
    );
    fuzzy.press(Key::Clear);
    fuzzy.type_letters("zhenwu");
    assert!(fuzzy.entry.candidates.iter().any(|c| c == "政务"));
}

#[test]
fn candidates_page_forward_and_back() {
    let _turn = turn();
    let mut field = Field::new(engines(false));
    field.type_letters("shi");
    let first = field.entry.candidates.clone();
    assert_eq!(first.len(), deploy::PAGE_SIZE);
    assert_eq!(field.entry.page, 0);
    field.press(Key::PageDown);
    assert_eq!(field.entry.page, 1);
    assert_ne!(field.entry.candidates, first);
    field.press(Key::Pick(0));
    let picked = field.entry.text.clone();
    assert!(
        !picked.is_empty() && !first.contains(&picked),
        "a pick from the second page"
    );
    field.press(Key::Clear);
    field.type_letters("shi");
    field.press(Key::PageDown);
    field.press(Key::PageUp);
    assert_eq!(field.entry.candidates, first);
}

#[test]
fn backspace_in_a_composition_takes_a_letter_not_a_character() {
    let _turn = turn();
    let mut field = Field::new(engines(false));
    field.type_letters("nihao");
    field.press(Key::Pick(0));
    assert_eq!(field.entry.text, "你好");
    field.type_letters("zhengwuu");
    field.press(Key::Backspace);
    assert_eq!(field.entry.text, "你好", "the field keeps its characters");
    assert_eq!(field.entry.candidates[0], "政务");
    field.press(Key::Backspace);
    field.press(Key::Backspace);
    assert!(
        field.entry.preedit.starts_with("zheng"),
        "{}",
        field.entry.preedit
    );
    for _ in 0..5 {
        field.press(Key::Backspace);
    }
    assert!(field.entry.preedit.is_empty());
    assert_eq!(field.entry.text, "你好");
    // Nothing composed: backspace is the field's.
    field.press(Key::Backspace);
    assert_eq!(field.entry.text, "你");
}

#[test]
fn switching_keyboard_mid_word_drops_the_letters_not_yet_chosen() {
    let _turn = turn();
    let mut field = Field::new(engines(false));
    field.type_letters("jinji");
    field.press(Key::Keyboard(Keyboard::Letters));
    assert!(field.entry.preedit.is_empty() && field.entry.candidates.is_empty());
    assert!(field.entry.text.is_empty());
    field.press(Key::Char('a'));
    assert_eq!(field.entry.text, "a");
    field.press(Key::Keyboard(Keyboard::Pinyin));
    field.type_letters("hu");
    assert!(
        field.entry.candidates.iter().any(|c| c == "湖"),
        "the engine's composition starts afresh: {:?}",
        field.entry.candidates
    );
}

#[test]
fn nothing_one_citizen_picks_changes_what_the_next_is_offered() {
    let _turn = turn();
    let mut engines = engines(false);
    let before = {
        let mut field = Field::new(engines);
        field.type_letters("nihao");
        let offered = field.entry.candidates.clone();
        // Citizen A picks a rare candidate, twice.
        field.press(Key::Pick(3));
        field.type_letters("nihao");
        field.press(Key::Pick(3));
        engines = field.engines;
        offered
    };
    // The session ends.
    assert_eq!(engines.handle(Request::Renew), None);
    let mut field = Field::new(engines);
    field.type_letters("nihao");
    assert_eq!(
        field.entry.candidates, before,
        "citizen B's order is unchanged"
    );
    // And nothing was written where Rime keeps a user's dictionary.
    let d = deployed();
    let names: Vec<String> = walk(&d.words)
        .iter()
        .chain(walk(&d.rime).iter())
        .map(|p| p.display().to_string())
        .collect();
    assert!(
        !names.iter().any(|n| n.contains("userdb")),
        "no user dictionary: {names:?}"
    );
}

#[test]
fn handwritten_characters_are_in_the_top_three() {
    let _turn = turn();
    let mut field = Field::new(engines(false));
    assert!(
        field.entry.engines.handwriting.is_ok(),
        "{:?}",
        field.entry.engines
    );
    field.press(Key::Keyboard(Keyboard::Handwriting));
    let dir = Path::new("tests/fixtures/handwriting");
    let mut seen = 0;
    for fixture in std::fs::read_dir(dir).unwrap() {
        let written: kiosk::input::zinnia::Written =
            serde_json::from_str(&std::fs::read_to_string(fixture.unwrap().path()).unwrap())
                .unwrap();
        let want = written.character;
        for stroke in written.strokes {
            field.press(Key::Stroke(stroke, written.side));
            assert!(
                field.entry.candidates.len() >= 9,
                "candidates after each stroke"
            );
        }
        let top: Vec<&String> = field.entry.candidates.iter().take(3).collect();
        assert!(
            top.contains(&&want),
            "{want} is not in the top three: {top:?}"
        );
        let at = field
            .entry
            .candidates
            .iter()
            .position(|c| *c == want)
            .unwrap();
        let before = field.entry.text.clone();
        field.press(Key::Pick(at));
        assert_eq!(field.entry.text, format!("{before}{want}"));
        assert!(
            field.entry.strokes.is_empty(),
            "the pad is clear for the next"
        );
        seen += 1;
    }
    assert_eq!(seen, 5);
}

#[test]
fn undo_takes_back_a_stroke_and_its_candidates_follow() {
    let _turn = turn();
    let mut field = Field::new(engines(false));
    field.press(Key::Keyboard(Keyboard::Handwriting));
    let across: Vec<(f32, f32)> = (0..=22).map(|i| (40.0 + i as f32 * 10.0, 140.0)).collect();
    let down: Vec<(f32, f32)> = (0..=25).map(|i| (150.0, 30.0 + i as f32 * 10.0)).collect();
    field.press(Key::Stroke(across.clone(), 300.0));
    let one = field.entry.candidates.clone();
    field.press(Key::Stroke(down, 300.0));
    assert_eq!(field.entry.candidates[0], "十");
    field.press(Key::Undo);
    assert_eq!(field.entry.strokes.len(), 1);
    assert_eq!(field.entry.candidates, one);
    field.press(Key::ClearPad);
    assert!(field.entry.strokes.is_empty() && field.entry.candidates.is_empty());
}

#[test]
fn without_its_engines_a_field_offers_the_plain_keyboards_and_says_why() {
    let _turn = turn();
    let d = deployed();
    let mut settings = kiosk::input::settings(
        &d.rime,
        &d.words,
        false,
        Path::new("/nonexistent/model"),
        kiosk::domain::catalogue::bundled().local_words,
    );
    settings.schema = "not_deployed".into();
    let engines = Opened::open(&settings);
    let pinyin = engines.availability.pinyin.clone().unwrap_err();
    assert!(
        pinyin.contains("not deployed") && pinyin.contains("kiosk input deploy"),
        "{pinyin}"
    );
    let handwriting = engines.availability.handwriting.clone().unwrap_err();
    assert!(
        handwriting.contains("tegaki-zinnia-simplified-chinese"),
        "{handwriting}"
    );
    let mut field = Field::new(engines);
    assert_eq!(
        field.entry.keyboards(),
        vec![Keyboard::Letters, Keyboard::Digits]
    );
    field.press(Key::Char('z'));
    field.press(Key::Keyboard(Keyboard::Digits));
    field.press(Key::Char('8'));
    assert_eq!(field.entry.text, "z8");
    // Before the engines have answered, a field offers the plain keyboards too.
    let early = Entry::new(Kind::Text, 10, None, Availability::default());
    assert_eq!(early.keyboard, Keyboard::Letters);
}

mod properties {
    use super::*;
    use proptest::prelude::*;

    fn key() -> impl Strategy<Value = Key> {
        prop_oneof![
            6 => "[a-z]".prop_map(|s| Key::Char(s.chars().next().unwrap())),
            1 => any::<char>().prop_map(Key::Char),
            1 => Just(Key::Space),
            2 => Just(Key::Backspace),
            1 => Just(Key::Clear),
            2 => (0usize..10).prop_map(Key::Pick),
            1 => Just(Key::PageDown),
            1 => Just(Key::PageUp),
            1 => prop_oneof![
                Just(Keyboard::Pinyin),
                Just(Keyboard::Handwriting),
                Just(Keyboard::Letters),
                Just(Keyboard::Digits)
            ]
            .prop_map(Key::Keyboard),
            1 => (
                proptest::collection::vec((-50.0f32..400.0, -50.0f32..400.0), 0..12),
                prop_oneof![Just(0.0f32), 1.0f32..600.0]
            )
                .prop_map(|(points, side)| Key::Stroke(points, side)),
            1 => Just(Key::Undo),
            1 => Just(Key::ClearPad),
            1 => ".{0,6}".prop_map(Key::Typed),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

        /// Any keys and strokes, answered by the real engines: nothing panics, the field never holds more than
        /// its limit, and on the pinyin keyboard the text grows by exactly what Rime committed.
        #[test]
        fn the_text_is_what_the_commits_and_the_plain_keys_made_it(
            keys in proptest::collection::vec(key(), 0..40),
        ) {
            let _turn = turn();
            let (link, requests) = Link::channel();
            let mut engines = engines(true);
            let mut entry = Entry::new(Kind::Text, 12, Some(link), engines.availability.clone());
            for key in keys {
                let before = entry.text.clone();
                let pinyin = entry.keyboard == Keyboard::Pinyin;
                let composing = entry.composing();
                let plain = matches!(key, Key::Clear | Key::Typed(_) | Key::Keyboard(_))
                    || (matches!(key, Key::Space | Key::Backspace) && !composing);
                entry.press(key);
                let mut committed = String::new();
                let mut unused = false;
                while let Ok(request) = requests.try_recv() {
                    if let Some(reply) = engines.handle(request) {
                        if let kiosk::input::Reply::Pinyin { snapshot, unused: u, .. } = &reply {
                            committed.push_str(&snapshot.commit);
                            unused |= u.is_some();
                        }
                        entry.reply(&reply);
                    }
                }
                prop_assert!(entry.text.chars().count() <= 12);
                if pinyin && !plain && !unused && entry.keyboard == Keyboard::Pinyin {
                    let grown: String = format!("{before}{committed}").chars().take(12).collect();
                    prop_assert_eq!(&entry.text, &grown);
                }
            }
        }
    }
}

#[test]
fn the_engines_thread_answers_through_its_sink_and_stops_when_dropped() {
    let _turn = turn();
    let d = deployed();
    let settings = kiosk::input::settings(
        &d.rime,
        &d.words,
        false,
        Path::new(kiosk::input::zinnia::MODEL),
        vec!["星湖街".into()],
    );
    let (tx, rx) = std::sync::mpsc::channel();
    let running = kiosk::input::spawn(settings, move |reply| tx.send(reply).is_ok());
    let wait = std::time::Duration::from_secs(10);
    let (availability, link) = match rx.recv_timeout(wait).unwrap() {
        kiosk::input::Reply::Ready(availability, link) => (availability, link),
        other => panic!("{other:?}"),
    };
    assert!(availability.pinyin.is_ok() && availability.handwriting.is_ok());
    let mut field = Entry::new(Kind::Text, 20, Some(link), availability);
    field.press(Key::Char('n'));
    field.press(Key::Char('i'));
    for _ in 0..2 {
        field.reply(&rx.recv_timeout(wait).unwrap());
    }
    assert_eq!(field.preedit, "ni");
    assert!(field.candidates.iter().any(|c| c == "你"));
    drop(running);
    assert!(
        rx.recv_timeout(wait).is_err(),
        "the thread ends when its starter lets go"
    );
}

#[test]
fn a_field_whose_engines_are_gone_falls_back_to_the_plain_keyboards_and_says_so() {
    let (link, requests) = Link::channel();
    let working = Availability {
        pinyin: Ok(()),
        handwriting: Ok(()),
    };
    let mut field = Entry::new(Kind::Text, 10, Some(link), working);
    assert_eq!(field.keyboard, Keyboard::Pinyin);
    drop(requests);
    field.press(Key::Char('n'));
    assert_eq!(
        field.keyboard,
        Keyboard::Letters,
        "no key is swallowed for ever"
    );
    assert_eq!(field.keyboards(), vec![Keyboard::Letters, Keyboard::Digits]);
    assert!(field.engines.pinyin.is_err() && !field.engines.starting());
    field.press(Key::Char('n'));
    assert_eq!(field.text, "n");
}
