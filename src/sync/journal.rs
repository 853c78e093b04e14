//! The print journal: every print job in the terminal's SQLite file (WAL, synchronous=FULL), moving
//! claimed → sent → printed | failed | unknown. A job that was sent and never confirmed (the terminal lost
//! power, or the printer stopped answering) becomes `unknown` and is never silently retried: whether to print
//! again is the hub's reprint policy's call. Nothing is ever deleted.

use std::path::Path;

use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;

#[derive(Debug, thiserror::Error)]
pub enum JournalError {
    #[error("print journal {path}: {source}")]
    Open {
        path: String,
        source: rusqlite::Error,
    },
    #[error("print journal: {0}")]
    Sql(#[from] rusqlite::Error),
    #[error("print job {id} is {state:?}; it cannot become {to:?}")]
    Transition {
        id: i64,
        state: JobState,
        to: JobState,
    },
    #[error("no print job {0}")]
    Missing(i64),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum JobState {
    /// Allowed to print (the hub granted a claim, or the document needs none); nothing sent yet.
    Claimed,
    /// Bytes are going to the printer; no confirmation yet.
    Sent,
    /// The printer confirmed it was fine after the job.
    Printed,
    /// Not printed, or not whole: refused before sending, or a fault during the job.
    Failed,
    /// Sent, and never confirmed either way.
    Unknown,
}

impl JobState {
    fn key(self) -> &'static str {
        match self {
            JobState::Claimed => "claimed",
            JobState::Sent => "sent",
            JobState::Printed => "printed",
            JobState::Failed => "failed",
            JobState::Unknown => "unknown",
        }
    }

    fn from_key(key: &str) -> Option<JobState> {
        [
            JobState::Claimed,
            JobState::Sent,
            JobState::Printed,
            JobState::Failed,
            JobState::Unknown,
        ]
        .into_iter()
        .find(|s| s.key() == key)
    }

    /// The moves the journal allows: forward only, and a final state stays final.
    fn may_become(self, to: JobState) -> bool {
        matches!(
            (self, to),
            (JobState::Claimed, JobState::Sent | JobState::Failed)
                | (
                    JobState::Sent,
                    JobState::Printed | JobState::Failed | JobState::Unknown
                )
        )
    }
}

/// One job as the journal holds it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct JobRecord {
    pub id: i64,
    pub document_id: String,
    pub kind: String,
    /// The hub's print claim, when the document needed one.
    pub claim: Option<String>,
    pub state: JobState,
    /// Why a job failed or is unknown (a technician's words; never personal data).
    pub detail: Option<String>,
    pub created_at: String,
    pub updated_at: String,
}

pub struct Journal {
    db: Connection,
}

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS print_jobs (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    document_id TEXT NOT NULL,
    kind        TEXT NOT NULL,
    claim       TEXT,
    state       TEXT NOT NULL CHECK (state IN ('claimed','sent','printed','failed','unknown')),
    detail      TEXT,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS print_jobs_state ON print_jobs(state);
";

fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

impl Journal {
    /// Opens (or creates) the journal, and settles what an earlier run left half done: a job still `sent`
    /// was interrupted and becomes `unknown`.
    pub fn open(path: &Path) -> Result<Journal, JournalError> {
        let opened = |source| JournalError::Open {
            path: path.display().to_string(),
            source,
        };
        let db = super::open_database(path, &[SCHEMA, super::outbox::SCHEMA].concat())
            .map_err(opened)?;
        let journal = Journal { db };
        // Each interrupted job becomes unknown with its outbox record, in one transaction.
        let tx = super::write_transaction(&journal.db)?;
        let sent: Vec<i64> = tx
            .prepare("SELECT id FROM print_jobs WHERE state = 'sent' ORDER BY id")?
            .query_map([], |row| row.get(0))?
            .collect::<Result<_, _>>()?;
        for id in &sent {
            tx.execute(
                "UPDATE print_jobs SET state = 'unknown', updated_at = ?1,
                     detail = 'interrupted after sending: the terminal stopped before the printer confirmed'
                 WHERE id = ?2",
                params![now(), id],
            )?;
            record_end(&tx, &journal.job(*id)?)?;
        }
        tx.commit()?;
        let interrupted = sent.len();
        if interrupted > 0 {
            tracing::warn!(
                jobs = interrupted,
                "print jobs interrupted mid-job are now unknown"
            );
        }
        Ok(journal)
    }

    /// Records a job allowed to print.
    pub fn claim(
        &self,
        document_id: &str,
        kind: &str,
        claim: Option<&str>,
    ) -> Result<i64, JournalError> {
        let at = now();
        self.db.execute(
            "INSERT INTO print_jobs (document_id, kind, claim, state, created_at, updated_at)
             VALUES (?1, ?2, ?3, 'claimed', ?4, ?4)",
            params![document_id, kind, claim, at],
        )?;
        Ok(self.db.last_insert_rowid())
    }

    /// Moves job `id` to `to`, if the journal allows that move. A job's end (printed, failed, unknown) puts
    /// its record in the outbox in the same transaction.
    pub fn advance(&self, id: i64, to: JobState, detail: Option<&str>) -> Result<(), JournalError> {
        let tx = super::write_transaction(&self.db)?;
        let state = self.job(id)?.state;
        if !state.may_become(to) {
            return Err(JournalError::Transition { id, state, to });
        }
        tx.execute(
            "UPDATE print_jobs SET state = ?1, detail = COALESCE(?2, detail), updated_at = ?3 WHERE id = ?4",
            params![to.key(), detail, now(), id],
        )?;
        if matches!(to, JobState::Printed | JobState::Failed | JobState::Unknown) {
            record_end(&tx, &self.job(id)?)?;
        }
        tx.commit()?;
        Ok(())
    }

    pub fn job(&self, id: i64) -> Result<JobRecord, JournalError> {
        self.db
            .query_row(
                "SELECT id, document_id, kind, claim, state, detail, created_at, updated_at
                 FROM print_jobs WHERE id = ?1",
                params![id],
                record,
            )
            .optional()?
            .ok_or(JournalError::Missing(id))
    }

    /// The newest job, if any (what the diagnostics screen shows, every second).
    pub fn last_job(&self) -> Result<Option<JobRecord>, JournalError> {
        use rusqlite::OptionalExtension;
        Ok(self
            .db
            .query_row(
                "SELECT id, document_id, kind, claim, state, detail, created_at, updated_at
                 FROM print_jobs ORDER BY id DESC LIMIT 1",
                [],
                record,
            )
            .optional()?)
    }

    /// Every job, oldest first.
    pub fn jobs(&self) -> Result<Vec<JobRecord>, JournalError> {
        let mut query = self.db.prepare(
            "SELECT id, document_id, kind, claim, state, detail, created_at, updated_at
             FROM print_jobs ORDER BY id",
        )?;
        let rows = query.query_map([], record)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}

/// The outbox records of a job's end: which document, under which claim, how it ended; and for a job the
/// hub granted a claim for, the claim's end (a failed print gives the copy back under the reprint policy).
fn record_end(db: &Connection, job: &JobRecord) -> rusqlite::Result<()> {
    if let Some(claim_id) = &job.claim {
        use kiosk_proto::service::{ClaimEnd, ClaimOutcome, CLAIM_EVENT};
        let outcome = match job.state {
            JobState::Printed => ClaimOutcome::Printed,
            JobState::Failed => ClaimOutcome::Failed,
            _ => ClaimOutcome::Unknown,
        };
        let end = ClaimEnd {
            claim_id: claim_id.clone(),
            outcome,
        };
        super::outbox::push(
            db,
            CLAIM_EVENT,
            &serde_json::to_value(end).expect("a claim's end serialises"),
        )?;
    }
    super::outbox::push(
        db,
        "print_job",
        &serde_json::json!({
            "job": job.id,
            "document_id": job.document_id,
            "kind": job.kind,
            "claim": job.claim,
            "state": job.state,
            "detail": job.detail,
        }),
    )
    .map(|_| ())
}

fn record(row: &rusqlite::Row<'_>) -> rusqlite::Result<JobRecord> {
    let state: String = row.get(4)?;
    Ok(JobRecord {
        id: row.get(0)?,
        document_id: row.get(1)?,
        kind: row.get(2)?,
        claim: row.get(3)?,
        state: JobState::from_key(&state).unwrap_or(JobState::Unknown),
        detail: row.get(5)?,
        created_at: row.get(6)?,
        updated_at: row.get(7)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jobs_only_move_forward_and_stay_final() {
        let dir = tempfile::tempdir().unwrap();
        let journal = Journal::open(&dir.path().join("kiosk.db")).unwrap();
        let id = journal.claim("LIC-1", "licence", Some("claim-9")).unwrap();
        assert!(
            journal.advance(id, JobState::Printed, None).is_err(),
            "never printed without being sent"
        );
        journal.advance(id, JobState::Sent, None).unwrap();
        journal.advance(id, JobState::Printed, None).unwrap();
        assert!(journal.advance(id, JobState::Failed, Some("late")).is_err());
        assert_eq!(journal.job(id).unwrap().state, JobState::Printed);
        assert_eq!(journal.job(id).unwrap().claim.as_deref(), Some("claim-9"));
    }

    /// Another part of the terminal (the hub thread draining the outbox) writes to the same file while jobs
    /// advance: every job's end is still recorded, with its outbox records.
    #[test]
    fn jobs_advance_while_another_connection_writes() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("kiosk.db");
        let journal = Journal::open(&path).unwrap();
        let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let writer = std::thread::spawn({
            let (path, stop) = (path.clone(), stop.clone());
            move || {
                let outbox = super::super::outbox::Outbox::open(&path).unwrap();
                while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                    outbox.add("audit", &serde_json::json!({})).unwrap();
                }
            }
        });
        for n in 0..200 {
            let id = journal
                .claim("LIC-3", "licence", Some(&format!("c{n}")))
                .unwrap();
            journal.advance(id, JobState::Sent, None).unwrap();
            journal.advance(id, JobState::Printed, None).unwrap();
        }
        stop.store(true, std::sync::atomic::Ordering::Relaxed);
        writer.join().unwrap();
        let claims: i64 = journal
            .db
            .query_row(
                "SELECT COUNT(*) FROM outbox WHERE kind = 'print_claim'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(claims, 200);
    }

    #[test]
    fn power_loss_between_send_and_confirm_leaves_the_job_unknown() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("kiosk.db");
        {
            let journal = Journal::open(&path).unwrap();
            let id = journal.claim("LIC-2", "licence", None).unwrap();
            journal.advance(id, JobState::Sent, None).unwrap();
            // The terminal stops here.
        }
        let journal = Journal::open(&path).unwrap();
        let job = &journal.jobs().unwrap()[0];
        assert_eq!(job.state, JobState::Unknown);
        assert!(job.detail.as_deref().unwrap().contains("interrupted"));
    }
}
