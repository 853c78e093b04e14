//! Printing at the terminal: a print job over a printer (device) recorded in the print journal (the
//! terminal's SQLite file, through sync's outbox), from the claim to the printer's word on it. Above
//! `device` and `sync`: neither imports this part.

pub mod job;
pub mod journal;
