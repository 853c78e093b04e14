//! One print job from document to confirmation, recorded in the print journal at every step: claimed before
//! anything happens, sent before the first byte leaves, then printed, failed or unknown.

use super::transport::{print_job_with, JobError, JobOutcome, Stage, Target};
use crate::domain::document::Document;
use crate::sync::journal::{JobState, Journal};

/// What the journal says about a job, and the printer's word on it.
#[derive(Debug)]
pub struct Recorded {
    pub job: i64,
    pub state: JobState,
    pub result: Result<JobOutcome, JobError>,
}

/// Prints `bytes` (the rendered `document`) on the printer at `target`, recording each step in `journal`.
pub fn print_recorded(
    journal: &Journal,
    target: &Target,
    document: &Document,
    bytes: &[u8],
    claim: Option<&str>,
) -> Result<Recorded, crate::sync::journal::JournalError> {
    let kind = serde_json::to_value(document.kind)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default();
    let job = journal.claim(&document.id, &kind, claim)?;
    let result = print_job_with(target, bytes, || {
        journal
            .advance(job, JobState::Sent, None)
            .map_err(|e| e.to_string())
    });
    let (state, detail) = match &result {
        Ok(_) => (JobState::Printed, None),
        Err((error, Stage::BeforeSending | Stage::Sending)) => {
            (JobState::Failed, Some(error.to_string()))
        }
        Err((JobError::Failed(state), Stage::AwaitingConfirmation)) => (
            JobState::Failed,
            Some(format!("the printer reported {state} after the job")),
        ),
        Err((error, Stage::AwaitingConfirmation)) => (JobState::Unknown, Some(error.to_string())),
    };
    journal.advance(job, state, detail.as_deref())?;
    Ok(Recorded {
        job,
        state,
        result: result.map_err(|(error, _)| error),
    })
}
