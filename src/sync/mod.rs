//! What the terminal keeps in its local SQLite file and syncs with the hub: the outbox, the sync
//! state (enrolment, last contact), and the hub client with its heartbeat thread.

pub mod applications;
pub mod client;
pub mod heartbeat;
pub mod outbox;
pub mod state;

/// A fresh event id (the hub stores each id once per terminal): the outbox's records, and the one event the
/// client sends straight away.
pub fn new_event_id() -> String {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).expect("the operating system's random source");
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Opens the terminal's SQLite file the way every part uses it: WAL, synchronous=FULL (a committed record
/// survives power loss), waiting up to 5 s for another writer.
/// `schema` is the calling part's `CREATE TABLE IF NOT EXISTS` statements.
pub fn open_database(
    path: &std::path::Path,
    schema: &str,
) -> rusqlite::Result<rusqlite::Connection> {
    // Made readable by the terminal's user alone: SQLite gives its -wal and -shm files the same mode.
    if !path.exists() {
        use std::os::unix::fs::OpenOptionsExt;
        let _ = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(path);
    }
    let db = rusqlite::Connection::open(path)?;
    db.pragma_update(None, "journal_mode", "WAL")?;
    db.pragma_update(None, "synchronous", "FULL")?;
    db.busy_timeout(std::time::Duration::from_secs(5))?;
    db.execute_batch(schema)?;
    Ok(db)
}

/// A write transaction that takes the file's write lock when it begins (`BEGIN IMMEDIATE`), waiting for it
/// up to the busy timeout. A deferred transaction that reads first and writes later fails at once with
/// "database is locked" when another connection (the hub thread draining the outbox) wrote in between, and
/// the busy timeout cannot help it: that is how a print job's end once went unrecorded.
pub fn write_transaction(db: &rusqlite::Connection) -> rusqlite::Result<rusqlite::Transaction<'_>> {
    rusqlite::Transaction::new_unchecked(db, rusqlite::TransactionBehavior::Immediate)
}

/// What waits in the terminal's file: records not yet at the hub, the oldest of them (outbox records and
/// applications), and print jobs whose outcome nobody knows. `kiosk doctor` judges it; the heartbeat tells
/// the hub, whose console raises an alert for an hour's wait and for jobs of unknown outcome.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Backlog {
    pub records: u64,
    /// Unix ms of the oldest record or application still waiting.
    pub oldest_ms: Option<i64>,
    pub unknown_prints: u64,
}

/// The backlog in the terminal's file at `path`, read only (tables not made yet count as empty).
pub fn backlog(path: &std::path::Path) -> rusqlite::Result<Backlog> {
    let db =
        rusqlite::Connection::open_with_flags(path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)?;
    db.busy_timeout(std::time::Duration::from_secs(5))?;
    let has = |table: &str| -> rusqlite::Result<bool> {
        db.query_row(
            "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = ?1",
            [table],
            |row| row.get::<_, i64>(0),
        )
        .map(|n| n > 0)
    };
    let mut backlog = Backlog::default();
    if has("outbox")? {
        let (records, oldest): (i64, Option<i64>) =
            db.query_row("SELECT COUNT(*), MIN(occurred_ms) FROM outbox", [], |row| {
                Ok((row.get(0)?, row.get(1)?))
            })?;
        backlog.records = records.max(0) as u64;
        backlog.oldest_ms = oldest;
    }
    if has("applications")? {
        let oldest: Option<i64> = db.query_row(
            "SELECT MIN(created_ms) FROM applications WHERE state = 'waiting'",
            [],
            |row| row.get(0),
        )?;
        backlog.oldest_ms = match (backlog.oldest_ms, oldest) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
    }
    if has("print_jobs")? {
        let unknown: i64 = db.query_row(
            "SELECT COUNT(*) FROM print_jobs WHERE state = 'unknown'",
            [],
            |row| row.get(0),
        )?;
        backlog.unknown_prints = unknown.max(0) as u64;
    }
    Ok(backlog)
}
