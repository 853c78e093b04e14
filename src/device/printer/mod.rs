//! The ESC/POS thermal printer: printer profiles, documents rendered to ESC/POS bytes, 1-bit raster images,
//! real-time status, transports and print jobs, and a virtual printer on TCP. The virtual printer draws each job
//! on paper (`paper`). (The print journal and the screens come with the rest of the printing work.)

pub mod decode;
pub mod encode;
pub mod job;
pub mod paper;
pub mod profile;
pub mod raster;
pub mod status;
pub mod transport;
pub mod usb;
pub mod virtual_printer;
pub mod watch;

pub use profile::{Cutter, Profile};
