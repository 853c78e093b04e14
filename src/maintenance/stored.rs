//! What the diagnostics tab reads from the terminal's SQLite file: the newest print job, the records
//! waiting for the hub and the hub's config version. Read on a thread of its own, never on the interface's.

use std::path::Path;

/// The stored facts, each `None` when the file cannot be read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Stored {
    /// The newest job: number, document, state and when it last moved.
    pub last_job: Option<String>,
    /// Records waiting in the outbox.
    pub outbox: Option<u64>,
    /// The config version the hub last sent.
    pub hub_version: Option<String>,
}

/// Reads the facts from `database` (three short reads).
pub fn read(database: &Path) -> Stored {
    let last_job = crate::printing::journal::Journal::open(database)
        .ok()
        .and_then(|journal| journal.last_job().ok().flatten())
        .map(|job| {
            format!(
                "#{} {} {:?} {}",
                job.id, job.document_id, job.state, job.updated_at
            )
        });
    let outbox = crate::sync::outbox::Outbox::open(database)
        .ok()
        .and_then(|outbox| outbox.depth().ok());
    let hub_version = crate::sync::state::SyncState::open(database)
        .ok()
        .and_then(|state| state.get("hub_config_version").ok().flatten());
    Stored {
        last_job,
        outbox,
        hub_version,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_newest_job_and_the_waiting_records_are_read_back() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("kiosk.db");
        assert_eq!(
            read(&dir.path().join("no/such/dir/kiosk.db")),
            Stored::default()
        );
        let journal = crate::printing::journal::Journal::open(&path).unwrap();
        let id = journal.claim("LIC-7", "licence", None).unwrap();
        journal
            .advance(id, crate::printing::journal::JobState::Sent, None)
            .unwrap();
        journal
            .advance(id, crate::printing::journal::JobState::Printed, None)
            .unwrap();
        let stored = read(&path);
        assert!(stored.last_job.unwrap().starts_with("#1 LIC-7 Printed"));
        assert_eq!(stored.outbox, Some(1), "the job's end waits for the hub");
        assert_eq!(stored.hub_version, None);
    }
}
