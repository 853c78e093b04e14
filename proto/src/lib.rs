//! Wire types of the terminal ↔ hub API, shared by both sides.
//!
//! The API is versioned: a terminal sends [`API_VERSION`] with every request, and the hub answers the
//! versions it still speaks. The types themselves arrive with the hub and sync work.

/// The version of the wire format this crate describes.
pub const API_VERSION: u32 = 1;
