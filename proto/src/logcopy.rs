//! A copy of a program's log for the test run's scan of every log for ID numbers (scripts/scan-logs.py):
//! with `KIOSK_LOG_COPY=DIR` set (scripts/test.sh sets it), `kiosk` and `kiosk-hub` each also write their
//! log to a file of their own there.

/// The file `program`'s log is copied to (`DIR/PROGRAM-PID.log`), when `KIOSK_LOG_COPY` names a folder
/// that can hold it.
pub fn file(program: &str) -> Option<std::fs::File> {
    let dir = std::path::PathBuf::from(std::env::var_os("KIOSK_LOG_COPY")?);
    std::fs::create_dir_all(&dir).ok()?;
    std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(dir.join(format!("{program}-{}.log", std::process::id())))
        .ok()
}
