//! The live log tail for the diagnostics screen: a tracing layer keeps the last lines in memory. The
//! terminal never logs personal data; as a second guard, anything shaped like an ID number is masked on
//! its way into the tail.

use std::collections::VecDeque;
use std::fmt::Write as _;
use std::sync::{Mutex, OnceLock};

use tracing::field::{Field, Visit};
use tracing::{Event, Subscriber};
use tracing_subscriber::layer::Context;
use tracing_subscriber::Layer;

/// Lines kept (what a `log` command from the hub sends).
pub const KEPT: usize = kiosk_proto::remote::LOG_LINES;

fn lines() -> &'static Mutex<VecDeque<String>> {
    static LINES: OnceLock<Mutex<VecDeque<String>>> = OnceLock::new();
    LINES.get_or_init(|| Mutex::new(VecDeque::with_capacity(KEPT)))
}

/// The layer to add to the process's subscriber.
pub struct Tail;

/// The last `n` lines, oldest first.
pub fn last(n: usize) -> Vec<String> {
    let lines = lines().lock().unwrap_or_else(|e| e.into_inner());
    lines
        .iter()
        .skip(lines.len().saturating_sub(n))
        .cloned()
        .collect()
}

/// Adds a line (masked) to the tail.
pub fn push(line: &str) {
    let line = crate::assist::mask::mask_id_runs(line);
    let mut lines = lines().lock().unwrap_or_else(|e| e.into_inner());
    if lines.len() == KEPT {
        lines.pop_front();
    }
    lines.push_back(line);
}

#[derive(Default)]
struct Fields {
    message: String,
    rest: String,
}

impl Visit for Fields {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        if field.name() == "message" {
            let _ = write!(self.message, "{value:?}");
        } else {
            let _ = write!(self.rest, " {}={value:?}", field.name());
        }
    }

    fn record_str(&mut self, field: &Field, value: &str) {
        if field.name() == "message" {
            self.message.push_str(value);
        } else {
            let _ = write!(self.rest, " {}={value}", field.name());
        }
    }
}

impl<S: Subscriber> Layer<S> for Tail {
    fn on_event(&self, event: &Event<'_>, _ctx: Context<'_, S>) {
        let mut fields = Fields::default();
        event.record(&mut fields);
        let meta = event.metadata();
        push(&format!(
            "{} {:5} {}: {}{}",
            chrono::Local::now().format("%H:%M:%S"),
            meta.level(),
            meta.target(),
            fields.message,
            fields.rest
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_tail_keeps_the_last_lines_and_masks_id_numbers() {
        for i in 0..KEPT + 5 {
            push(&format!("line {i}"));
        }
        push("a stray 320508194408150020 in a message");
        let tail = last(3);
        assert_eq!(tail.len(), 3);
        assert_eq!(tail[0], format!("line {}", KEPT + 3));
        assert!(!tail[2].contains("320508194408150020"), "{}", tail[2]);
        assert!(tail[2].contains("3205**********0020"), "{}", tail[2]);
        assert_eq!(last(KEPT + 100).len(), KEPT);
    }
}
