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

#[test]
fn tls_init_makes_a_hall_ca_and_serve_says_which_certificate_file_is_wrong() {
    let dir = tempfile::tempdir().unwrap();
    let tls = dir.path().join("tls");
    let (code, out, err) = hub(&[
        "tls",
        "init",
        "--dir",
        tls.to_str().unwrap(),
        "--name",
        "hub.example.gov.cn",
        "--name",
        "10.0.0.5",
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("set [hub] ca"), "{out}");
    for file in ["ca.pem", "ca.key", "hub.pem", "hub.key"] {
        assert!(tls.join(file).is_file(), "{file} missing");
    }
    let db = format!("sqlite://{}", dir.path().join("hub.db").display());
    let serve = |cert: &std::path::Path, key: &std::path::Path| {
        let (code, _, err) = hub(&[
            "serve",
            "--listen",
            "127.0.0.1:0",
            "--db",
            &db,
            "--tls-cert",
            cert.to_str().unwrap(),
            "--tls-key",
            key.to_str().unwrap(),
        ]);
        assert_ne!(code, 0, "served with {cert:?} and {key:?}");
        err
    };
    let err = serve(&dir.path().join("nowhere.pem"), &tls.join("hub.key"));
    assert!(err.contains("nowhere.pem"), "{err}");
    // A certificate with another certificate's key does not make a server.
    let err = serve(&tls.join("hub.pem"), &tls.join("ca.key"));
    assert!(err.contains("do not make a TLS server"), "{err}");
}
