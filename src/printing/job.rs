//! One print job from document to confirmation, recorded in the print journal at every step: claimed before
//! anything happens, sent before the first byte leaves, then printed, failed or unknown.

use crate::device::printer::transport::{print_job_with, JobError, JobOutcome, Stage, Target};
use crate::device::{DeviceStatus, Reason};
use crate::domain::document::Document;
use crate::printing::journal::{JobState, Journal};

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
) -> Result<Recorded, crate::printing::journal::JournalError> {
    print_recorded_with(journal, target, document, bytes, claim, || {})
}

/// [`print_recorded`], calling `on_sending` once the printer has said it can print and the job is recorded
/// as sent (the screens move from "checking the printer" to "printing" there).
pub fn print_recorded_with(
    journal: &Journal,
    target: &Target,
    document: &Document,
    bytes: &[u8],
    claim: Option<&str>,
    on_sending: impl FnOnce(),
) -> Result<Recorded, crate::printing::journal::JournalError> {
    let kind = serde_json::to_value(document.kind)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default();
    let job = journal.claim(&document.id, &kind, claim)?;
    let result = print_job_with(target, bytes, || {
        journal
            .advance(job, JobState::Sent, None)
            .map_err(|e| e.to_string())?;
        on_sending();
        Ok(())
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
    // The job has happened; a journal that cannot record its end leaves it `sent` (read back as unknown),
    // and the printer's word still stands for the citizen.
    let state = match journal.advance(job, state, detail.as_deref()) {
        Ok(()) => state,
        Err(error) => {
            tracing::error!(%error, job, "the print journal cannot record how the job ended");
            JobState::Sent
        }
    };
    Ok(Recorded {
        job,
        state,
        result: result.map_err(|(error, _)| error),
    })
}

/// What a finished job means for the citizen at the terminal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum Verdict {
    /// Confirmed (or written to a target that cannot report).
    Printed,
    /// Nothing went to the printer, for this reason: printing again later is safe.
    NothingPrinted(Reason),
    /// The job stopped part way (paper ran out, the line dropped; a partly written chunk may have reached
    /// the printer, so a drop always counts here): what came out is not whole.
    Incomplete(Reason),
    /// Sent, and the printer never said how it went.
    Unknown,
    /// The journal could not record the job, so nothing was printed (never print what is not recorded).
    NotRecorded,
}

/// The reason a printer state gives (a fault or a warning), or a device error.
fn reason(state: &crate::device::printer::status::PrinterState) -> Reason {
    match state.device_status() {
        DeviceStatus::Fault(reason) | DeviceStatus::Warning(reason) => reason,
        _ => Reason::DeviceError,
    }
}

impl Recorded {
    pub fn verdict(&self) -> Verdict {
        use crate::device::printer::transport::TransportError;
        if self.state == JobState::Unknown {
            return Verdict::Unknown;
        }
        match &self.result {
            Ok(_) => Verdict::Printed,
            Err(JobError::Refused(state)) => Verdict::NothingPrinted(reason(state)),
            Err(JobError::Failed(state)) => Verdict::Incomplete(reason(state)),
            Err(JobError::NotSent(_)) => Verdict::NotRecorded,
            Err(JobError::Transport(TransportError::Dropped { .. })) => {
                Verdict::Incomplete(Reason::NotConnected)
            }
            Err(JobError::Transport(TransportError::NoStatus(_))) => {
                Verdict::NothingPrinted(Reason::NoResponse)
            }
            Err(JobError::Transport(_)) => Verdict::NothingPrinted(Reason::NotConnected),
        }
    }
}

/// One job as the terminal runs it: the journal in the terminal's `database` file, the job, its verdict.
/// Failures are logged for technicians with their cause (no personal data: the document's id and kind).
pub fn print_at_terminal(
    database: &std::path::Path,
    target: &Target,
    document: &Document,
    bytes: &[u8],
    claim: Option<&str>,
    on_sending: impl FnOnce(),
) -> Verdict {
    let journal = match Journal::open(database) {
        Ok(journal) => journal,
        Err(error) => {
            tracing::error!(%error, "nothing printed: the print journal cannot be opened; set [terminal] database to a writable file");
            return Verdict::NotRecorded;
        }
    };
    match print_recorded_with(&journal, target, document, bytes, claim, on_sending) {
        Ok(recorded) => {
            match &recorded.result {
                Ok(_) => tracing::info!(job = recorded.job, document = %document.id, "printed"),
                Err(error) => {
                    tracing::warn!(job = recorded.job, document = %document.id, state = ?recorded.state, %error, "print job did not complete")
                }
            }
            recorded.verdict()
        }
        Err(error) => {
            tracing::error!(%error, document = %document.id, "nothing printed: the print journal cannot record the job");
            Verdict::NotRecorded
        }
    }
}
