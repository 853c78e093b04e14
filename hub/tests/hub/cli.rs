//! The `kiosk-hub` binary: the demo seed, the public key, commands for terminals, and a short load run.

use std::process::Command;

fn hub(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_kiosk-hub"))
        .args(args)
        .env("KIOSK_HUB_LOG", "warn")
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn seed_keys_and_commands_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("hub.db").display());
    let (code, out, err) = hub(&["seed", "--demo", "--db", &db]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("catalogue version 1 published"), "{out}");
    assert!(out.contains("for 7 demo card holders"), "{out}");
    // Again: the catalogue is kept, the same cases and documents are updated.
    let (code, out, _) = hub(&["seed", "--demo", "--db", &db]);
    assert_eq!(code, 0);
    assert!(out.contains("catalogue kept"), "{out}");

    let (code, key, _) = hub(&["keys", "--db", &db]);
    assert_eq!(code, 0);
    assert_eq!(key.trim().len(), 64);
    let (_, again, _) = hub(&["keys", "--db", &db]);
    assert_eq!(again, key, "the key is made once and kept");

    let (code, _, err) = hub(&["command", "NOBODY", "refresh_catalogue", "--db", &db]);
    assert_eq!(code, 1);
    assert!(err.contains("no terminal \"NOBODY\" is enrolled"), "{err}");
    let (code, _, err) = hub(&["seed", "--db", &db]);
    assert_ne!(code, 0, "a seed is never laid by accident");
    assert!(err.contains("--demo"), "{err}");
}

#[test]
fn a_short_load_run_reports_every_kind_of_call_without_errors() {
    let (code, out, err) = hub(&[
        "loadgen",
        "--kiosks",
        "50",
        "--duration",
        "2s",
        "--interval",
        "400ms",
        "--business",
        "10",
    ]);
    assert_eq!(code, 0, "{err}");
    for kind in [
        "heartbeat",
        "cases/mine",
        "documents/mine",
        "tickets",
        "events",
    ] {
        let line = out
            .lines()
            .find(|l| l.starts_with(kind))
            .unwrap_or_else(|| panic!("{kind} missing: {out}"));
        assert!(line.contains(" 0 err"), "{line}");
        assert!(line.contains("p99"), "{line}");
    }
    let (code, out, err) = hub(&[
        "loadgen",
        "--kiosks",
        "20",
        "--ceiling",
        "50,100",
        "--step",
        "1s",
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("beat@100/s") && out.contains("ceiling: "),
        "{out}"
    );
    // 自助申报's intake: applications with their pages while a reviewer reads the desk.
    let (code, out, err) = hub(&[
        "loadgen",
        "--kiosks",
        "10",
        "--applications",
        "10",
        "--reviews",
        "4",
        "--duration",
        "2s",
    ]);
    assert_eq!(code, 0, "{err}");
    for kind in [
        "application",
        "app + 3 pages",
        "page (150 KB)",
        "review queue",
        "review detail",
    ] {
        let line = out
            .lines()
            .find(|l| l.starts_with(kind))
            .unwrap_or_else(|| panic!("{kind} missing: {out}"));
        assert!(line.contains(" 0 err"), "{line}");
    }
}
