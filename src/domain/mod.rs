//! GUI-free types of the domain: languages, the service catalogue and its search. The wire types (languages,
//! bilingual text, the catalogue) come from `kiosk-proto`.

pub mod catalogue;
pub mod search;

pub use kiosk_proto::{Lang, LocalText};
