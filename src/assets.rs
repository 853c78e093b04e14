//! Files compiled into the binary that more than one part uses: the bundled Simplified Chinese font faces
//! (Noto Sans CJK SC, SIL OFL 1.1). The interface draws with them; the virtual printer renders paper with them.

/// The family name both bundled faces carry.
pub const FONT_FAMILY: &str = "Noto Sans CJK SC";
pub static FONT_REGULAR: &[u8] = include_bytes!("../assets/fonts/NotoSansCJKsc-Regular.otf");
pub static FONT_BOLD: &[u8] = include_bytes!("../assets/fonts/NotoSansCJKsc-Bold.otf");
