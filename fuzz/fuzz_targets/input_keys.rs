//! What a citizen's fingers send a field: any keys and strokes (with no engines: the plain keyboards and
//! the pad's framing) never panic, never overfill the field, and the strokes always fit the model's frame.
#![no_main]
use kiosk::input::zinnia::{frame, FRAME};
use kiosk::input::{Availability, Entry, Key, Keyboard, Kind};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let kind = match data.first().copied().unwrap_or(0) % 5 {
        0 => Kind::Text,
        1 => Kind::Digits,
        2 => Kind::IdNumber,
        3 => Kind::CaseNumber,
        _ => Kind::Technical,
    };
    let mut field = Entry::new(kind, 16, None, Availability::default());
    let mut strokes = Vec::new();
    for pair in data.chunks(2).skip(1) {
        let (op, arg) = (pair[0], *pair.get(1).unwrap_or(&0));
        let key = match op % 12 {
            0..=3 => Key::Char(char::from(arg)),
            4 => Key::Space,
            5 => Key::Backspace,
            6 => Key::Clear,
            7 => Key::Pick(arg as usize),
            8 => Key::Keyboard(
                [
                    Keyboard::Pinyin,
                    Keyboard::Handwriting,
                    Keyboard::Letters,
                    Keyboard::Digits,
                ][arg as usize % 4],
            ),
            9 => Key::Shift,
            10 => {
                let point = (arg as f32 * 3.0 - 100.0, (op as f32) * 2.0 - 50.0);
                strokes.push(point);
                Key::Stroke(strokes.clone(), arg as f32)
            }
            _ => Key::Typed(String::from_utf8_lossy(pair).into_owned()),
        };
        field.press(key);
        assert!(field.text.chars().count() <= 16);
    }
    for stroke in frame(&[strokes], 300.0) {
        assert!(stroke
            .iter()
            .all(|&(x, y)| (0..=FRAME as i32).contains(&x) && (0..=FRAME as i32).contains(&y)));
    }
});
