//! Widgets the screens share.

pub mod entry;
