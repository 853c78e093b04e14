//! The document camera's simulator: frames of an A4 page lying on the desk as a hall's 高拍仪 sees it:
//! turned a few degrees, off-centre, lit more on one side than the other, with sensor noise. The demo
//! panel and the tests unplug it, take the page away or blur it; the frames go through the same pipeline
//! as a real camera's.

use std::sync::{Arc, Mutex};

use ab_glyph::{Font, FontRef, PxScale, ScaleFont};

use super::{Camera, CameraFault, Frame};

/// What is wrong with the simulated camera now.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Faults {
    pub unplugged: bool,
    /// Nothing lies under the camera.
    pub no_page: bool,
    /// The page is out of focus (or moving).
    pub blurred: bool,
}

/// The frame's size: a 3-megapixel document camera, portrait.
pub const FRAME: (u32, u32) = (1536, 2048);

/// The page on the desk, as the simulator renders it.
#[derive(Debug, Clone)]
pub struct Placement {
    /// Degrees, clockwise.
    pub skew: f32,
    /// The page's centre, as a share of the frame's width and height.
    pub centre: (f32, f32),
    /// The page's height as a share of the frame's height.
    pub scale: f32,
}

impl Default for Placement {
    fn default() -> Self {
        Placement {
            skew: 4.0,
            centre: (0.53, 0.49),
            scale: 0.86,
        }
    }
}

#[derive(Clone)]
pub struct SimCamera {
    faults: Arc<Mutex<Faults>>,
    pub placement: Placement,
    /// The page upright (rendered once).
    page: Arc<Frame>,
    seed: u64,
}

/// The simulated page's text: a lease, as citizens bring for 住址证明.
const LINES: [&str; 12] = [
    "房屋租赁合同",
    "出租方（甲方）：苏州某某物业管理有限公司",
    "承租方（乙方）：王建国",
    "房屋坐落：苏州工业园区星湖街 328 号 5 幢 1202 室",
    "租赁期限：2026 年 1 月 1 日至 2027 年 12 月 31 日",
    "月租金：人民币叁仟伍佰元整（3500 元）",
    "一、甲方保证所出租房屋权属清楚。",
    "二、乙方按月支付租金，逾期不付的，甲方有权解除合同。",
    "三、租赁期间房屋及设施的维修由甲方负责。",
    "四、本合同一式两份，双方各执一份，自签字之日起生效。",
    "甲方（签章）：              乙方（签字）：",
    "签订日期：2025 年 12 月 20 日",
];

/// The page upright: white A4 at 150 dpi with the lease's lines in black.
pub fn render_page() -> Frame {
    let (width, height) = (1240u32, 1754u32);
    let mut page = Frame::new(width, height, 250);
    let font = FontRef::try_from_slice(crate::assets::FONT_REGULAR).expect("the bundled font");
    let mut y = 180.0;
    for (i, line) in LINES.iter().enumerate() {
        let size = if i == 0 { 64.0 } else { 36.0 };
        let scaled = font.as_scaled(PxScale::from(size));
        let line_width: f32 = line
            .chars()
            .map(|c| scaled.h_advance(scaled.glyph_id(c)))
            .sum();
        let mut x = if i == 0 {
            (width as f32 - line_width) / 2.0
        } else {
            120.0
        };
        for c in line.chars() {
            let mut glyph = scaled.scaled_glyph(c);
            glyph.position = ab_glyph::point(x, y);
            x += scaled.h_advance(glyph.id);
            if let Some(outline) = font.outline_glyph(glyph) {
                let bounds = outline.px_bounds();
                outline.draw(|gx, gy, coverage| {
                    let px = bounds.min.x as i64 + i64::from(gx);
                    let py = bounds.min.y as i64 + i64::from(gy);
                    if px >= 0 && py >= 0 && (px as u32) < width && (py as u32) < height {
                        let at = (py as u32 * width + px as u32) as usize;
                        let ink = 250.0 - 230.0 * coverage.clamp(0.0, 1.0);
                        page.pixels[at] = page.pixels[at].min(ink as u8);
                    }
                });
            }
        }
        y += if i == 0 { 140.0 } else { 88.0 };
    }
    page
}

impl SimCamera {
    pub fn new(faults: Faults) -> SimCamera {
        SimCamera {
            faults: Arc::new(Mutex::new(faults)),
            placement: Placement::default(),
            page: Arc::new(render_page()),
            seed: 0x2026_1206,
        }
    }

    /// The handle the demo panel and the tests change the faults through.
    pub fn faults(&self) -> Arc<Mutex<Faults>> {
        self.faults.clone()
    }

    fn noise(&mut self) -> f32 {
        self.seed ^= self.seed << 13;
        self.seed ^= self.seed >> 7;
        self.seed ^= self.seed << 17;
        ((self.seed >> 40) as f32 / (1u64 << 24) as f32 - 0.5) * 10.0
    }

    /// The desk with the page on it (or without), in the hall's light.
    fn render(&mut self, faults: Faults) -> Frame {
        let (w, h) = FRAME;
        let mut frame = Frame::new(w, h, 0);
        let page = self.page.clone();
        let p = &self.placement;
        let page_h = p.scale * h as f32;
        let zoom = page.height as f32 / page_h;
        let (sin, cos) = p.skew.to_radians().sin_cos();
        let (cx, cy) = (p.centre.0 * w as f32, p.centre.1 * h as f32);
        let (pw, ph) = (page.width as f32, page.height as f32);
        for y in 0..h {
            for x in 0..w {
                // Light falls off from the upper left.
                let light = 1.0 - 0.18 * (x as f32 / w as f32) - 0.12 * (y as f32 / h as f32);
                let desk = 70.0 + 10.0 * ((x / 64 + y / 64) % 2) as f32;
                let mut grey = desk;
                if !faults.no_page {
                    // Back from the frame to the upright page: undo the turn and the zoom.
                    let (dx, dy) = (x as f32 - cx, y as f32 - cy);
                    let u = (dx * cos + dy * sin) * zoom + pw / 2.0;
                    let v = (-dx * sin + dy * cos) * zoom + ph / 2.0;
                    if u >= 0.0 && v >= 0.0 && u < pw - 1.0 && v < ph - 1.0 {
                        grey = page.sample(u, v);
                    }
                }
                let value = grey * light + self.noise();
                frame.pixels[(y * w + x) as usize] = value.clamp(0.0, 255.0) as u8;
            }
        }
        if faults.blurred {
            frame = box_blur(&frame, 9);
        }
        frame
    }
}

/// A box blur of `radius` pixels (separable), as an out-of-focus lens gives.
fn box_blur(frame: &Frame, radius: i64) -> Frame {
    let (w, h) = (frame.width as i64, frame.height as i64);
    let pass = |src: &Frame, horizontal: bool| {
        let mut out = Frame::new(src.width, src.height, 0);
        for y in 0..h {
            for x in 0..w {
                let mut sum = 0u32;
                let mut n = 0u32;
                for d in -radius..=radius {
                    let (sx, sy) = if horizontal { (x + d, y) } else { (x, y + d) };
                    if (0..w).contains(&sx) && (0..h).contains(&sy) {
                        sum += u32::from(src.get(sx as u32, sy as u32));
                        n += 1;
                    }
                }
                out.pixels[(y * w + x) as usize] = (sum / n) as u8;
            }
        }
        out
    };
    pass(&pass(frame, true), false)
}

impl Camera for SimCamera {
    fn frame(&mut self) -> Result<Frame, CameraFault> {
        let faults = *self.faults.lock().unwrap_or_else(|e| e.into_inner());
        if faults.unplugged {
            return Err(CameraFault::Unplugged("the simulator was unplugged".into()));
        }
        Ok(self.render(faults))
    }
}
