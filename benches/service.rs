//! What service mode costs the interface's thread, and how long `kiosk doctor`'s checks take:
//!
//! - one PIN try (argon2id with the default parameters: the terminal checks it on the interface's thread);
//! - saving one setting to kiosk.toml (edited in place, checked, the backup and the new file each written,
//!   synced and renamed: two fsyncs of a file and two of its folder);
//! - the live checks the diagnostics tab runs on its own thread (configuration file, database, disk, font;
//!   no hub), and the font check alone (it parses both 16 MB faces).
//!
//! `cargo bench --bench service`.

use criterion::{criterion_group, criterion_main, Criterion};

use kiosk::config::Config;
use kiosk::maintenance::settings::{save, Change};

fn service(c: &mut Criterion) {
    let stored = kiosk_proto::secret::hash("258014");
    c.bench_function("pin_try", |b| {
        b.iter(|| kiosk_proto::secret::verify(&stored, "111111"))
    });

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("kiosk.toml");
    std::fs::write(&path, include_str!("../kiosk.toml")).unwrap();
    let mut idle = 60;
    c.bench_function("save_one_setting", |b| {
        b.iter(|| {
            idle = if idle == 60 { 90 } else { 60 };
            save(&path, &[Change::number("ui", "idle_seconds", idle)]).unwrap()
        })
    });

    let mut config = Config::default();
    config.terminal.database = dir.path().join("kiosk.db");
    kiosk::sync::outbox::Outbox::open(&config.terminal.database).unwrap();
    c.bench_function("live_checks", |b| {
        b.iter(|| kiosk::maintenance::doctor::live(Some(&config)))
    });
    c.bench_function("font_check", |b| b.iter(kiosk::maintenance::doctor::font));
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20);
    targets = service
}
criterion_main!(benches);
