//! Printable documents: the wire model and the templates, shared with the hub (`kiosk-proto`).

pub use kiosk_proto::document::{
    Align, Block, Column, Document, DocumentError, DocumentKind, Row, Symbology, TextSize,
};
pub use kiosk_proto::template::*;
