//! Printing at the terminal: a print job over a printer (device) recorded in the print journal (the
//! terminal's SQLite file, through sync's outbox), from the claim to the printer's word on it. Above
//! `device` and `sync`: neither imports this part. The interface shows what it prepares ([`Ready`]).

pub mod job;
pub mod journal;

use crate::device::printer::encode::{self, RenderError};
use crate::device::printer::paper::{self, Paper};
use crate::device::printer::Profile;
use crate::domain::document::Document;

/// A document made ready for this terminal's printer: the ESC/POS bytes it will get, and the paper those
/// very bytes make (what the print preview shows).
pub struct Ready {
    pub document: Document,
    pub bytes: Vec<u8>,
    pub paper: Paper,
}

impl Ready {
    /// Renders `document` for the printer `profile` describes, and draws the paper it makes.
    pub fn new(document: Document, profile: &Profile) -> Result<Ready, RenderError> {
        let bytes = encode::render(&document, profile)?;
        let paper = paper::render(&bytes, profile.dots);
        Ok(Ready {
            document,
            bytes,
            paper,
        })
    }
}
