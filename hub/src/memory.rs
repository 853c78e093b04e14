//! What the hub keeps in memory between heartbeats, per process: the beats waiting to be written, the
//! credentials it has checked, and the versions and commands it read. The store holds it; `fleet` fills it.

use kiosk_proto::fleet::Heartbeat;

/// What the hub keeps in memory so that a heartbeat, its most frequent request, touches the database
/// neither to read nor to write:
///
/// - the newest beat of each terminal, written all in one transaction every [`FLUSH_INTERVAL`] (and before
///   the hub lists the fleet, and when it stops): one commit a second instead of one per beat. A crash loses
///   at most the last second of beats, which the next beats replace;
/// - credentials checked in the last [`CREDENTIAL_TTL`] to twice that (only their hashes; a terminal enrolled again in this
///   process is forgotten at once, one enrolled through another hub process within the TTL);
/// - the config and catalogue versions and which terminals have commands waiting, read again at each flush
///   (a catalogue published or a command queued through this process counts at once; through another
///   process, within a second).
#[derive(Default)]
pub struct FleetMemory {
    pub(crate) pending: std::sync::Mutex<std::collections::HashMap<String, (i64, Heartbeat)>>,
    /// Device → (credential hash, remembered until).
    pub(crate) credentials:
        std::sync::Mutex<std::collections::HashMap<String, (String, std::time::Instant)>>,
    pub(crate) versions: std::sync::Mutex<Option<(i64, i64)>>,
    pub(crate) commanded: std::sync::Mutex<Option<std::collections::HashSet<String>>>,
}

pub const FLUSH_INTERVAL: std::time::Duration = std::time::Duration::from_secs(1);
/// Short: a credential revoked through another hub process is refused here within twice this.
pub const CREDENTIAL_TTL: std::time::Duration = std::time::Duration::from_secs(2);

pub(crate) fn locked<T>(mutex: &std::sync::Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|e| e.into_inner())
}

impl FleetMemory {
    pub(crate) fn record(&self, device_id: &str, at_ms: i64, beat: Heartbeat) {
        self.lock().insert(device_id.to_string(), (at_ms, beat));
    }

    pub(crate) fn lock(
        &self,
    ) -> std::sync::MutexGuard<'_, std::collections::HashMap<String, (i64, Heartbeat)>> {
        locked(&self.pending)
    }

    /// Beats waiting to be written.
    pub fn len(&self) -> usize {
        self.lock().len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Forgets what was read from the database, so the next request reads it again.
    pub fn forget(&self) {
        *locked(&self.versions) = None;
        *locked(&self.commanded) = None;
    }

    pub(crate) fn forget_credential(&self, device_id: &str) {
        locked(&self.credentials).remove(device_id);
    }
}
