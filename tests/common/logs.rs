//! The log of the library code a test process runs in itself (the terminal's, the in-process hub's),
//! copied like the programs' (`kiosk_proto::logcopy`) so that the test run's scan of every log for ID
//! numbers (`scripts/scan-logs.py`) reads it too: only with `KIOSK_LOG_COPY` set (scripts/test.sh sets it).
//! One subscriber per process, so a test that needs a layer of its own (the terminal's log tail) hands it
//! here rather than installing a second one.
#![allow(dead_code)]

use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;
use tracing_subscriber::{EnvFilter, Layer, Registry};

/// Starts the copy once per process, down to debug for the project's own crates.
pub fn copy(program: &str) {
    install(program, tracing_subscriber::layer::Identity::new());
}

/// [`copy`], with `extra` beside it (the first call in a process sets the subscriber).
pub fn install<L: Layer<Registry> + Send + Sync + 'static>(program: &str, extra: L) {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let file = kiosk_proto::logcopy::file(program).map(|file| {
            tracing_subscriber::fmt::layer()
                .with_ansi(false)
                .with_writer(std::sync::Mutex::new(file))
                .with_filter(EnvFilter::new(
                    "info,kiosk=debug,kiosk_hub=debug,kiosk_proto=debug",
                ))
        });
        let _ = tracing_subscriber::registry()
            .with(extra)
            .with(file)
            .try_init();
    });
}
