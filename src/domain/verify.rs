//! Verifiable licences (the QR's signed voucher), shared with the hub that signs them (`kiosk-proto`).

pub use kiosk_proto::verify::*;
