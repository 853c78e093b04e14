//! The ESC/POS thermal printer: printer profiles, documents rendered to ESC/POS bytes, 1-bit raster images,
//! real-time status and transports, and a virtual printer on TCP that draws each job on paper (`paper`). A
//! job recorded in the print journal is `crate::printing`'s.

pub mod decode;
pub mod encode;
pub mod paper;
pub mod profile;
pub mod raster;
pub mod status;
pub mod transport;
pub mod usb;
pub mod virtual_printer;
pub mod watch;

pub use profile::{Cutter, Profile};
