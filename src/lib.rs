//! The self-service terminal of a 24-hour government service hall: configuration, domain, devices,
//! the citizen's session, remote guidance and the iced user interface (only `ui` imports iced).

pub mod assets;
pub mod assist;
pub mod config;
pub mod demo;
pub mod device;
pub mod domain;
pub mod journey;
pub mod service;
pub mod session;
pub mod sync;
pub mod ui;
pub mod voice;
