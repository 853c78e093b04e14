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
