//! Rendering the home screen at 1080×1920 with tiny-skia (goal: 16 ms a frame), and the guide search.

use criterion::{criterion_group, criterion_main, Criterion};
use iced::Size;
use kiosk::domain::Lang;
use kiosk::ui::shot::{self, Canvas};

fn render(c: &mut Criterion) {
    let mut canvas = Canvas::new();
    for (preset, elder) in [("home", false), ("home", true), ("guide-search", false)] {
        let app = shot::preset(preset, Lang::Zh, elder, Size::new(1080.0, 1920.0)).unwrap();
        let theme = app.theme();
        let name = format!(
            "render {preset}{} 1080x1920",
            if elder { " elder" } else { "" }
        );
        c.bench_function(&name, |b| {
            b.iter(|| canvas.draw(app.view(), &theme, Size::new(1080, 1920)))
        });
    }
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(30);
    targets = render
}
criterion_main!(benches);
