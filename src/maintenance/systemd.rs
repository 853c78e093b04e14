//! Telling systemd how the terminal is (`sd_notify`): `READY=1` once the interface runs, then `WATCHDOG=1`
//! every second from the interface's own loop, so a frozen screen is restarted (kiosk.service sets
//! `Type=notify`, `NotifyAccess=all` and `WatchdogSec=30`; cage passes `$NOTIFY_SOCKET` on to the terminal).

use std::os::unix::net::UnixDatagram;
use std::path::Path;
use std::sync::OnceLock;

/// Sends `state` to the socket at `path` (a leading `@` names an abstract socket).
pub fn notify_to(path: &str, state: &str) -> std::io::Result<()> {
    let socket = UnixDatagram::unbound()?;
    match path.strip_prefix('@') {
        Some(name) => {
            use std::os::linux::net::SocketAddrExt;
            let address = std::os::unix::net::SocketAddr::from_abstract_name(name.as_bytes())?;
            socket.send_to_addr(state.as_bytes(), &address)?;
        }
        None => {
            socket.send_to(state.as_bytes(), Path::new(path))?;
        }
    }
    Ok(())
}

/// Sends `state` to systemd when it asked for notifications (nothing otherwise: a demo, a test).
pub fn notify(state: &str) {
    static SOCKET: OnceLock<Option<String>> = OnceLock::new();
    let socket = SOCKET.get_or_init(|| {
        std::env::var("NOTIFY_SOCKET")
            .ok()
            .filter(|s| !s.is_empty())
    });
    if let Some(path) = socket {
        if let Err(error) = notify_to(path, state) {
            tracing::warn!(%error, state, "cannot notify systemd");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notifications_reach_a_listening_socket() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("notify");
        let listener = UnixDatagram::bind(&path).unwrap();
        notify_to(path.to_str().unwrap(), "WATCHDOG=1").unwrap();
        let mut buffer = [0u8; 64];
        let n = listener.recv(&mut buffer).unwrap();
        assert_eq!(&buffer[..n], b"WATCHDOG=1");

        let name = format!("kiosk-test-{}", std::process::id());
        let address =
            <std::os::unix::net::SocketAddr as std::os::linux::net::SocketAddrExt>::from_abstract_name(
                name.as_bytes(),
            )
            .unwrap();
        let abstract_listener = UnixDatagram::bind_addr(&address).unwrap();
        notify_to(&format!("@{name}"), "READY=1").unwrap();
        let n = abstract_listener.recv(&mut buffer).unwrap();
        assert_eq!(&buffer[..n], b"READY=1");
    }
}
