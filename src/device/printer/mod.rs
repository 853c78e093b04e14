//! The ESC/POS thermal printer: printer profiles, documents rendered to ESC/POS bytes, and 1-bit raster
//! images. (Transports, status, the virtual printer and the print journal come with the rest of the printing
//! work.)

pub mod decode;
pub mod encode;
pub mod profile;
pub mod raster;

pub use profile::{Cutter, Profile};
