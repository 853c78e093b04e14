//! The print journal: every print job in the terminal's SQLite file (WAL, synchronous=FULL), moving
//! claimed → sent → printed | failed | unknown. A job that was sent and never confirmed (the terminal lost
//! power, or the printer stopped answering) becomes `unknown` and is never silently retried: whether to print
//! again is the hub's reprint policy's call. A job whose process died before it sent anything (still
//! `claimed`) printed nothing and becomes `failed`, so the hub's claim closes and the copy comes back.
//! Each open job names the journal that runs it: opening the journal settles only the jobs of journals that
//! are gone (dropped, or their process ended), never a job another part of the terminal is printing.
//! Nothing is ever deleted.

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
    /// This journal's number among the process's open ones (see [`owner_alive`]).
    number: u64,
}

impl Drop for Journal {
    fn drop(&mut self) {
        let mut open = OPEN_JOURNALS.lock().unwrap_or_else(|e| e.into_inner());
        open.retain(|&n| n != self.number);
    }
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
    updated_at  TEXT NOT NULL,
    owner       TEXT
);
CREATE INDEX IF NOT EXISTS print_jobs_state ON print_jobs(state);
";

fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

/// Who runs a job: `pid:start:journal`, the process (its start time in clock ticks after boot, from /proc, so
/// that a later process with the same pid is not taken for it) and which of its open journals.
fn owner_of(journal: u64) -> String {
    let pid = std::process::id();
    format!("{pid}:{}:{journal}", process_start(pid).unwrap_or_default())
}

/// The journals open in this process (a job of one that was dropped was left by a terminal that stopped).
static OPEN_JOURNALS: std::sync::Mutex<Vec<u64>> = std::sync::Mutex::new(Vec::new());
static NEXT_JOURNAL: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);

/// When process `pid` started (field 22 of /proc/PID/stat), if it is running.
fn process_start(pid: u32) -> Option<u64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The command name (field 2) is in parentheses and may hold spaces: count from the last ')'.
    let after = &stat[stat.rfind(')')? + 1..];
    after.split_whitespace().nth(19)?.parse().ok()
}

/// Whether the journal named by a job's `owner` is still open: in this process, one not yet dropped; in
/// another, that process still running (the same pid with the same start time). A job of an older journal
/// names none: its process is long gone.
fn owner_alive(owner: Option<&str>) -> bool {
    let mut parts = owner.unwrap_or_default().split(':');
    let Some(pid) = parts.next().and_then(|p| p.parse::<u32>().ok()) else {
        return false;
    };
    let start = parts.next().and_then(|s| s.parse::<u64>().ok());
    let journal = parts.next().and_then(|j| j.parse::<u64>().ok());
    if pid == std::process::id() && start == process_start(pid) {
        let open = OPEN_JOURNALS.lock().unwrap_or_else(|e| e.into_inner());
        return journal.is_some_and(|j| open.contains(&j));
    }
    start.is_some() && process_start(pid) == start
}

impl Journal {
    /// Opens (or creates) the journal, and settles what a process that is gone left half done: a job still
    /// `sent` was interrupted and becomes `unknown`; a job still `claimed` sent nothing and becomes `failed`.
    pub fn open(path: &Path) -> Result<Journal, JournalError> {
        let opened = |source| JournalError::Open {
            path: path.display().to_string(),
            source,
        };
        let db = crate::sync::open_database(path, &[SCHEMA, crate::sync::outbox::SCHEMA].concat())
            .map_err(opened)?;
        add_owner_column(&db).map_err(opened)?;
        let number = NEXT_JOURNAL.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        OPEN_JOURNALS
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(number);
        let journal = Journal { db, number };
        journal.settle_abandoned()?;
        Ok(journal)
    }

    /// Each job a gone journal left open ends, with its outbox records, in one transaction. Most opens
    /// (every print job, the diagnostics' reads) find nothing to settle and take no write lock.
    fn settle_abandoned(&self) -> Result<(), JournalError> {
        let open: Vec<(i64, String, Option<String>)> = self
            .db
            .prepare(
                "SELECT id, state, owner FROM print_jobs WHERE state IN ('claimed', 'sent') ORDER BY id",
            )?
            .query_map([], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))?
            .collect::<Result<_, _>>()?;
        let gone: Vec<(i64, String)> = open
            .into_iter()
            .filter(|(_, _, owner)| !owner_alive(owner.as_deref()))
            .map(|(id, state, _)| (id, state))
            .collect();
        if gone.is_empty() {
            return Ok(());
        }
        let tx = crate::sync::write_transaction(&self.db)?;
        let (mut interrupted, mut abandoned) = (0, 0);
        for (id, state) in gone {
            let (to, detail) = if state == "sent" {
                (
                    JobState::Unknown,
                    "interrupted after sending: the terminal stopped before the printer confirmed",
                )
            } else {
                (
                    JobState::Failed,
                    "nothing sent: the terminal stopped before the job reached the printer",
                )
            };
            // Another process may have settled it since it was read: only a job still as read ends here.
            let settled = tx.execute(
                "UPDATE print_jobs SET state = ?1, updated_at = ?2, detail = ?3 WHERE id = ?4 AND state = ?5",
                params![to.key(), now(), detail, id, state],
            )?;
            if settled == 1 {
                record_end(&tx, &self.job(id)?)?;
                match to {
                    JobState::Unknown => interrupted += 1,
                    _ => abandoned += 1,
                }
            }
        }
        tx.commit()?;
        if interrupted > 0 {
            tracing::warn!(
                jobs = interrupted,
                "print jobs interrupted mid-job are now unknown"
            );
        }
        if abandoned > 0 {
            tracing::warn!(
                jobs = abandoned,
                "print jobs stopped before sending are now failed; their claims are given back"
            );
        }
        Ok(())
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
            "INSERT INTO print_jobs (document_id, kind, claim, state, created_at, updated_at, owner)
             VALUES (?1, ?2, ?3, 'claimed', ?4, ?4, ?5)",
            params![document_id, kind, claim, at, owner_of(self.number)],
        )?;
        Ok(self.db.last_insert_rowid())
    }

    /// Moves job `id` to `to`, if the journal allows that move. A job's end (printed, failed, unknown) puts
    /// its record in the outbox in the same transaction.
    pub fn advance(&self, id: i64, to: JobState, detail: Option<&str>) -> Result<(), JournalError> {
        let tx = crate::sync::write_transaction(&self.db)?;
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

/// A journal written before jobs named their process gains the column (its open jobs then count as left by
/// a process that is gone).
fn add_owner_column(db: &Connection) -> rusqlite::Result<()> {
    let has = db
        .prepare("SELECT 1 FROM pragma_table_info('print_jobs') WHERE name = 'owner'")?
        .exists([])?;
    if !has {
        db.execute("ALTER TABLE print_jobs ADD COLUMN owner TEXT", [])?;
    }
    Ok(())
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
        crate::sync::outbox::push(
            db,
            CLAIM_EVENT,
            &serde_json::to_value(end).expect("a claim's end serialises"),
        )?;
    }
    crate::sync::outbox::push(
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
                let outbox = crate::sync::outbox::Outbox::open(&path).unwrap();
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

    /// The claim's end a job left in the outbox, if any.
    fn claim_end(journal: &Journal) -> Option<serde_json::Value> {
        journal
            .db
            .query_row(
                "SELECT body FROM outbox WHERE kind = 'print_claim' ORDER BY rowid DESC LIMIT 1",
                [],
                |r| r.get::<_, String>(0),
            )
            .optional()
            .unwrap()
            .map(|body| serde_json::from_str(&body).unwrap())
    }

    /// The process that claimed a job died before it sent anything: the job failed, and its claim's end
    /// goes to the hub so the holder's copy of the day comes back.
    #[test]
    fn a_job_whose_process_died_before_sending_fails_and_gives_its_claim_back() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("kiosk.db");
        {
            let journal = Journal::open(&path).unwrap();
            journal.claim("LIC-4", "licence", Some("claim-4")).unwrap();
            // The job belonged to a process that has ended.
            let mut gone = std::process::Command::new("true").spawn().unwrap();
            let pid = gone.id();
            gone.wait().unwrap();
            journal
                .db
                .execute("UPDATE print_jobs SET owner = ?1", [format!("{pid}:1:1")])
                .unwrap();
        }
        let journal = Journal::open(&path).unwrap();
        let job = &journal.jobs().unwrap()[0];
        assert_eq!(job.state, JobState::Failed);
        assert!(job.detail.as_deref().unwrap().contains("nothing sent"));
        let end = claim_end(&journal).expect("the claim's end is in the outbox");
        assert_eq!(end["claim_id"], "claim-4");
        assert_eq!(end["outcome"], "failed");
        // Settled once: opening again adds nothing.
        drop(journal);
        let journal = Journal::open(&path).unwrap();
        let ends: i64 = journal
            .db
            .query_row(
                "SELECT COUNT(*) FROM outbox WHERE kind = 'print_job'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(ends, 1);
    }

    /// Another part of the running terminal (the diagnostics, a second job) opens the journal while a job
    /// is under way: the job is left as it is.
    #[test]
    fn a_job_under_way_is_left_alone_when_the_journal_is_opened_again() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("kiosk.db");
        let journal = Journal::open(&path).unwrap();
        let id = journal.claim("LIC-5", "licence", Some("claim-5")).unwrap();
        let _ = Journal::open(&path).unwrap();
        assert_eq!(journal.job(id).unwrap().state, JobState::Claimed);
        journal.advance(id, JobState::Sent, None).unwrap();
        let _ = Journal::open(&path).unwrap();
        assert_eq!(journal.job(id).unwrap().state, JobState::Sent);
        journal.advance(id, JobState::Printed, None).unwrap();
        assert_eq!(claim_end(&journal).unwrap()["outcome"], "printed");
    }

    /// A journal from before jobs named their process: its open jobs are settled on the first open.
    #[test]
    fn an_older_journal_gains_the_owner_column_and_settles_its_open_jobs() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("kiosk.db");
        let db = Connection::open(&path).unwrap();
        db.execute_batch(&SCHEMA.replace(",\n    owner       TEXT", ""))
            .unwrap();
        db.execute(
            "INSERT INTO print_jobs (document_id, kind, claim, state, created_at, updated_at)
             VALUES ('LIC-6', 'licence', NULL, 'claimed', 'x', 'x')",
            [],
        )
        .unwrap();
        drop(db);
        let journal = Journal::open(&path).unwrap();
        assert_eq!(journal.jobs().unwrap()[0].state, JobState::Failed);
    }
}
