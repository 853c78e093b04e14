//! The bundled Simplified Chinese font (Noto Sans CJK SC, SIL OFL 1.1), set as the default font so the
//! terminal renders Chinese on a machine with no CJK font installed.

use std::sync::Once;

use iced::font::{Family, Weight};
use iced::Font;

pub use crate::assets::{FONT_BOLD as BOLD, FONT_FAMILY as FAMILY, FONT_REGULAR as REGULAR};

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

/// Loads both faces into the renderer's font system, once per process, before the first frame.
///
/// The faces are handed to the font database as the static bytes compiled into the binary: iced's own
/// `load_font` copies each into the heap, which costs their whole size (33 MB) in resident memory, while
/// borrowed pages of the binary are only read in as glyphs are drawn.
pub fn load_once() {
    use iced::advanced::graphics::text::cosmic_text::fontdb::Source;
    use std::sync::Arc;

    static LOADED: Once = Once::new();
    LOADED.call_once(|| {
        let mut system = iced::advanced::graphics::text::font_system()
            .write()
            .expect("font system lock");
        let db = system.raw().db_mut();
        db.load_font_source(Source::Binary(Arc::new(REGULAR)));
        db.load_font_source(Source::Binary(Arc::new(BOLD)));
    });
}
