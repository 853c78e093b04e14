//! The log of the library code a test process runs in itself (the terminal's, the in-process hub's),
//! copied like the programs' (`kiosk_proto::logcopy`) so that the test run's scan of every log for ID
//! numbers (`scripts/scan-logs.py`) reads it too. Only with `KIOSK_LOG_COPY` set (scripts/test.sh sets it).
#![allow(dead_code)]

/// Starts the copy once per process, down to debug for the project's own crates.
pub fn copy(program: &str) {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let Some(file) = kiosk_proto::logcopy::file(program) else {
            return;
        };
        let filter = tracing_subscriber::EnvFilter::new(
            "info,kiosk=debug,kiosk_hub=debug,kiosk_proto=debug",
        );
        let _ = tracing_subscriber::fmt()
            .with_env_filter(filter)
            .with_ansi(false)
            .with_writer(std::sync::Mutex::new(file))
            .try_init();
    });
}
