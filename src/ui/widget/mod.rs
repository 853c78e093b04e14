//! Widgets the screens share.

pub mod keypad;
