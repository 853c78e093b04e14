//! The strings of text entry, in zh-CN and en-US: the keyboards' names, the pad's keys, and what a field
//! says when an engine is missing.

use std::borrow::Cow;

use super::pick;
use crate::domain::Lang;
use crate::input::Keyboard;

/// A text-entry string.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EntryWords {
    Keyboard(Keyboard),
    /// Over the pad before the first stroke.
    WriteHere,
    Undo,
    ClearPad,
    Shift,
    /// Pinyin is not offered (its engine is missing).
    NoPinyin,
    /// Handwriting is not offered.
    NoHandwriting,
}

pub fn tr(lang: Lang, e: EntryWords) -> Cow<'static, str> {
    match e {
        EntryWords::Keyboard(Keyboard::Pinyin) => pick(lang, "拼音", "Pinyin"),
        EntryWords::Keyboard(Keyboard::Handwriting) => pick(lang, "手写", "Handwriting"),
        EntryWords::Keyboard(Keyboard::Digits) => pick(lang, "123", "123"),
        EntryWords::Keyboard(Keyboard::Letters) => pick(lang, "ABC", "ABC"),
        EntryWords::WriteHere => pick(lang, "请在框内书写", "Write here"),
        EntryWords::Undo => pick(lang, "撤销一笔", "Undo stroke"),
        EntryWords::ClearPad => pick(lang, "重写", "Rewrite"),
        EntryWords::Shift => pick(lang, "大写", "Capitals"),
        EntryWords::NoPinyin => pick(
            lang,
            "拼音输入暂不可用，请用手写或字母输入",
            "Pinyin is not available now: write by hand or use letters",
        ),
        EntryWords::NoHandwriting => {
            pick(lang, "手写输入暂不可用", "Handwriting is not available now")
        }
    }
}
