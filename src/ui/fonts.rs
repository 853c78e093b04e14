//! The bundled Simplified Chinese font (Noto Sans CJK SC, SIL OFL 1.1), set as the default font so the
//! terminal renders Chinese on a machine with no CJK font installed.

use std::sync::Once;

use iced::font::{Family, Weight};
use iced::Font;

pub const REGULAR: &[u8] = include_bytes!("../../assets/fonts/NotoSansCJKsc-Regular.otf");
pub const BOLD: &[u8] = include_bytes!("../../assets/fonts/NotoSansCJKsc-Bold.otf");
pub const FAMILY: &str = "Noto Sans CJK SC";

pub fn regular() -> Font {
    Font {
        family: Family::Name(FAMILY),
        ..Font::DEFAULT
    }
}

pub fn bold() -> Font {
    Font {
        weight: Weight::Bold,
        ..regular()
    }
}

/// Loads both faces into the renderer's font system once per process (for headless rendering and tests;
/// the windowed app loads them through its settings).
pub fn load_once() {
    static LOADED: Once = Once::new();
    LOADED.call_once(|| {
        let mut system = iced::advanced::graphics::text::font_system()
            .write()
            .expect("font system lock");
        system.load_font(REGULAR.into());
        system.load_font(BOLD.into());
    });
}
