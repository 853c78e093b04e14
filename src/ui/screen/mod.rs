//! One module per screen, each with its state, `Message`, `update` (where it has one), `view` and the
//! `Event`s it sends outward to the router.

pub mod attract;
pub mod card;
pub mod guide;
pub mod home;
pub mod out_of_service;
pub mod print;
