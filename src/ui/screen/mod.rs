//! One module per screen, each with its state, `Message`, `update` (where it has one), `view` and the
//! `Event`s it sends outward to the router.

pub mod apply;
pub mod attract;
pub mod card;
pub mod documents;
pub mod enterprise;
pub mod guide;
pub mod help;
pub mod home;
pub mod maintenance;
pub mod out_of_service;
pub mod print;
pub mod progress;
pub mod rating;
pub mod ticket;
