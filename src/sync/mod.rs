//! What the terminal keeps in its local SQLite file and will sync with the hub. So far: the print journal.

pub mod journal;
