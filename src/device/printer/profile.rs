//! What a printer model can do: paper width in dots, characters per line, Chinese mode, native QR, cutter.

use serde::Serialize;

/// The cutter a printer has.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Cutter {
    Full,
    Partial,
    /// No cutter (many 58 mm printers): feed the paper out for tearing.
    None,
}

/// A printer profile. Dots are at 203 dpi (8 dots per millimetre).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Profile {
    pub name: &'static str,
    /// Printable width in dots.
    pub dots: u16,
    /// Half-width (Font A, 12×24) characters per line; a Chinese character takes two.
    pub columns: u16,
    /// Send Chinese text as GB18030 in the printer's Chinese mode (FS &).
    pub gb18030: bool,
    /// The printer draws QR codes itself (GS ( k, model 2); otherwise they go as raster images.
    pub native_qr: bool,
    pub cutter: Cutter,
}

/// Dots per millimetre at 203 dpi.
pub const DOTS_PER_MM: u16 = 8;

impl Profile {
    /// The printer profile: the named one, with this file's overrides.
    pub fn from_config(printer: &crate::config::PrinterConfig) -> Profile {
        let mut profile = Profile::named(&printer.profile).unwrap_or(Profile::MM80);
        if let Some(columns) = printer.columns {
            profile.columns = columns;
        }
        if let Some(chinese) = printer.chinese {
            profile.gb18030 = chinese;
        }
        if let Some(native_qr) = printer.native_qr {
            profile.native_qr = native_qr;
        }
        profile.cutter = match printer.cutter.as_deref() {
            Some("full") => Cutter::Full,
            Some("partial") => Cutter::Partial,
            Some("none") => Cutter::None,
            _ => profile.cutter,
        };
        profile
    }

    /// 58 mm paper: 384 dots, 32 columns, no cutter (as most 58 mm kiosk printers).
    pub const MM58: Profile = Profile {
        name: "58mm",
        dots: 384,
        columns: 32,
        gb18030: true,
        native_qr: true,
        cutter: Cutter::None,
    };

    /// 80 mm paper: 576 dots, 48 columns, partial cut.
    pub const MM80: Profile = Profile {
        name: "80mm",
        dots: 576,
        columns: 48,
        gb18030: true,
        native_qr: true,
        cutter: Cutter::Partial,
    };

    pub fn named(name: &str) -> Option<Profile> {
        [Profile::MM58, Profile::MM80]
            .into_iter()
            .find(|p| p.name == name)
    }
}
