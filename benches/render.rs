//! Rendering the home screen at 1080×1920 with tiny-skia (goal: 16 ms a frame).
//!
//! Three figures per screen: a whole frame drawn into a reused pixel buffer (what the windowed tiny-skia
//! compositor does on a full redraw), layout alone, and `kiosk shot`'s path (which also allocates and converts
//! an RGBA copy).

use criterion::{criterion_group, criterion_main, Criterion};
use iced::advanced::graphics::Viewport;
use iced::{Rectangle, Size};
use kiosk::domain::Lang;
use kiosk::ui::shot::{self, Canvas};
use kiosk::ui::App;

const W: u32 = 1080;
const H: u32 = 1920;

/// Lays out and draws one whole frame into `pixmap`, as the compositor does on a full redraw.
fn full_frame(
    app: &App,
    canvas: &mut Canvas,
    pixmap: &mut tiny_skia::Pixmap,
    mask: &mut tiny_skia::Mask,
) {
    let theme = app.theme();
    let background = theme.palette().background;
    let viewport = Viewport::with_physical_size(Size::new(W, H), 1.0);
    let full = Rectangle::with_size(Size::new(W as f32, H as f32));
    canvas.frame(
        app.view(),
        &theme,
        Size::new(W, H),
        |renderer| match renderer {
            iced_renderer::fallback::Renderer::Secondary(tiny) => {
                tiny.draw(&mut pixmap.as_mut(), mask, &viewport, &[full], background)
            }
            iced_renderer::fallback::Renderer::Primary(_) => unreachable!("asked for tiny-skia"),
        },
    );
}

fn render(c: &mut Criterion) {
    let mut pixmap = tiny_skia::Pixmap::new(W, H).unwrap();
    let mut mask = tiny_skia::Mask::new(W, H).unwrap();
    let mut canvas = Canvas::new();
    for (preset, elder) in [("home", false), ("home", true), ("guide-search", false)] {
        let app = shot::preset(preset, Lang::Zh, elder, Size::new(W as f32, H as f32)).unwrap();
        let theme = app.theme();
        let name = format!("{preset}{} {W}x{H}", if elder { " elder" } else { "" });
        c.bench_function(&format!("full frame: {name}"), |b| {
            b.iter(|| full_frame(&app, &mut canvas, &mut pixmap, &mut mask))
        });
        c.bench_function(&format!("layout only: {name}"), |b| {
            b.iter(|| canvas.layout(app.view(), Size::new(W, H)))
        });
        c.bench_function(&format!("kiosk shot: {name}"), |b| {
            b.iter(|| canvas.draw(app.view(), &theme, Size::new(W, H)))
        });
    }
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(30);
    targets = render
}
criterion_main!(benches);
