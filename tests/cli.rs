//! The technician's command line, run as the real binary.

use std::process::Command;

fn kiosk(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_kiosk"))
        .args(args)
        .env("KIOSK_LOG", "warn")
        .env_remove("KIOSK_CONFIG")
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("run kiosk");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn config_check_says_ok_for_the_shipped_file() {
    let (code, out, _) = kiosk(&["config", "check"]);
    assert_eq!((code, out.as_str()), (0, "ok\n"));
}

#[test]
fn config_check_reports_a_misspelt_key_a_wrong_type_and_an_out_of_range_value() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("kiosk.toml");
    let shipped = std::fs::read_to_string("kiosk.toml").unwrap();
    let broken = shipped
        .replace("baud = 115200", "baut = 115200")
        .replace("idle_seconds = 60", "idle_seconds = \"sixty\"")
        .replace("countdown_seconds = 15", "countdown_seconds = 500");
    std::fs::write(&path, broken).unwrap();
    let file = path.display().to_string();
    let (code, out, _) = kiosk(&["config", "check", "--config", &file]);
    assert_eq!(code, 2);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 3, "{out}");
    assert!(lines[0].starts_with(&format!(
        "{file}:29:16: ui.idle_seconds: expected a whole number"
    )));
    assert!(lines[1].starts_with(&format!(
        "{file}:31:21: ui.countdown_seconds: 500 is out of range"
    )));
    assert!(lines[2].starts_with(&format!(
        "{file}:41:1: reader.baut: unknown key; did you mean \"baud\"?"
    )));
}

#[test]
fn config_is_found_through_the_environment() {
    let out = Command::new(env!("CARGO_BIN_EXE_kiosk"))
        .args(["config", "check"])
        .env("KIOSK_CONFIG", "/nonexistent/kiosk.toml")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stdout)
        .starts_with("/nonexistent/kiosk.toml:1:1: (file): cannot read the file"));
}

#[test]
fn shot_writes_a_png_of_the_asked_size() {
    let dir = tempfile::tempdir().unwrap();
    let png = dir.path().join("guide.png");
    let (code, _, err) = kiosk(&[
        "shot",
        "--screen",
        "guide-search",
        "--lang",
        "en",
        "--elder",
        "--size",
        "1920x1080",
        "--out",
        png.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    let decoder = png::Decoder::new(std::io::BufReader::new(std::fs::File::open(&png).unwrap()));
    let info = decoder.read_info().unwrap();
    assert_eq!((info.info().width, info.info().height), (1920, 1080));
}

#[test]
fn shot_refuses_an_unknown_screen_and_a_bad_size() {
    let (code, _, err) = kiosk(&["shot", "--screen", "nope"]);
    assert_ne!(code, 0);
    assert!(
        err.contains("unknown screen \"nope\"; presets: attract, home"),
        "{err}"
    );
    let (code, _, err) = kiosk(&["shot", "--size", "big"]);
    assert_ne!(code, 0);
    assert!(err.contains("write it as WIDTHxHEIGHT"), "{err}");
}
