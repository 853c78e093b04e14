//! GUI-free types of the domain: languages, the service catalogue and its search, the card holder's identity, printable documents. The wire types (languages,
//! bilingual text, the catalogue) come from `kiosk-proto`.

pub mod application;
pub mod catalogue;
pub mod document;
pub mod identity;
pub mod receipt;
pub mod search;
pub mod signin;
pub mod verify;

pub use kiosk_proto::{Lang, LocalText};
