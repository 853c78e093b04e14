//! The self-service terminal of a 24-hour government service hall: configuration, domain, devices,
//! printing, the terminal core (the citizen's session and its rules), remote guidance and the iced user
//! interface (only `ui` imports iced).

pub mod assets;
pub mod assist;
pub mod config;
#[cfg(feature = "demo")]
pub mod demo;
pub mod device;
pub mod domain;
pub mod input;
pub mod journey;
pub mod maintenance;
pub mod printing;
pub mod sync;
pub mod terminal;
pub mod ui;
pub mod voice;
