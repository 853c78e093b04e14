//! Printing: render time of each sample, the print preview, raster conversion of the seal image, bytes on the wire for the licence
//! against the same page sent as one raster image (goal ≤ 1/10), and "print" → first byte of the job at the
//! printer over TCP (goal ≤ 30 ms).

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::Criterion;
use kiosk::device::printer::encode::render;
use kiosk::device::printer::raster::Bitmap;
use kiosk::device::printer::transport::{print_job, Target};
use kiosk::device::printer::virtual_printer::VirtualPrinter;
use kiosk::device::printer::{paper, Profile};
use kiosk::domain::document::{demo_seal_png, sample, DocumentKind};

fn benches(c: &mut Criterion) {
    for profile in [Profile::MM58, Profile::MM80] {
        let licence = sample(DocumentKind::Licence);
        c.bench_function(
            &format!("render licence to ESC/POS, {}", profile.name),
            |b| b.iter(|| render(black_box(&licence), &profile).unwrap()),
        );
    }
    // Opening the print preview: render, draw the paper, make the screen's image (on the UI thread).
    let licence = sample(DocumentKind::Licence);
    c.bench_function("print preview of the licence, 80 mm", |b| {
        b.iter(|| {
            kiosk::ui::screen::print::Prepared::new(black_box(licence.clone()), &Profile::MM80)
                .unwrap()
        })
    });
    let seal = demo_seal_png(160);
    c.bench_function("seal PNG -> 240-dot dithered bitmap", |b| {
        b.iter(|| Bitmap::from_png(black_box(&seal), 240).unwrap())
    });
}

fn wire_ratio() {
    for profile in [Profile::MM58, Profile::MM80] {
        let bytes = render(&sample(DocumentKind::Licence), &profile).unwrap();
        let page = paper::render(&bytes, profile.dots);
        // The same page as one GS v 0 image: a row of dots/8 bytes per paper row, 8 header bytes per 256 rows.
        let raster = (page.height as usize) * usize::from(profile.dots / 8)
            + 8 * (page.height as usize).div_ceil(256);
        println!(
            "licence on {}: {} bytes as ESC/POS vs {} bytes as one raster page ({} dots tall): {:.3} (goal <= 0.1)",
            profile.name,
            bytes.len(),
            raster,
            page.height,
            bytes.len() as f64 / raster as f64
        );
    }
}

fn first_byte(runs: usize) {
    let printer = VirtualPrinter::start("127.0.0.1:0", None).unwrap();
    let target = Target::parse(&printer.uri()).unwrap();
    let document = sample(DocumentKind::Licence);
    let mut times = Vec::new();
    for i in 0..runs {
        let started = Instant::now();
        let bytes = render(&document, &Profile::MM80).unwrap();
        print_job(&target, &bytes).unwrap();
        let jobs = printer.wait_for_jobs(i + 1, Duration::from_secs(5));
        times.push(jobs[i].first_byte_at.unwrap() - started);
    }
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "print (render + connect + status) -> first job byte at the printer, {runs} runs: min {:.2} ms, median {:.2} ms, max {:.2} ms (goal <= 30 ms)",
        ms(times[0]),
        ms(times[runs / 2]),
        ms(times[runs - 1])
    );
}

fn main() {
    let mut criterion = Criterion::default().configure_from_args();
    benches(&mut criterion);
    criterion.final_summary();
    wire_ratio();
    first_byte(if std::env::args().any(|a| a == "--test") {
        3
    } else {
        30
    });
}
