//! The document camera (高拍仪): a UVC camera read through V4L2, or the simulator that serves frames of a
//! page lying on the desk (skewed, off-centre, in the hall's uneven light). Both give grayscale frames to
//! one pipeline ([`page`]) that finds the page, straightens and crops it, and keeps it as a grayscale JPEG.

pub mod page;
pub mod sim;
pub mod v4l2;

pub use page::{capture, CaptureProblem, A4_200DPI};

/// A grayscale frame, row by row.
#[derive(Clone, PartialEq, Eq)]
pub struct Frame {
    pub width: u32,
    pub height: u32,
    pub pixels: Vec<u8>,
}

impl std::fmt::Debug for Frame {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Frame({}×{})", self.width, self.height)
    }
}

impl Frame {
    pub fn new(width: u32, height: u32, fill: u8) -> Frame {
        Frame {
            width,
            height,
            pixels: vec![fill; (width * height) as usize],
        }
    }

    pub fn get(&self, x: u32, y: u32) -> u8 {
        self.pixels[(y * self.width + x) as usize]
    }

    /// The grey at (x, y) between pixels (bilinear), white outside.
    pub fn sample(&self, x: f32, y: f32) -> f32 {
        if x < 0.0 || y < 0.0 || x > (self.width - 1) as f32 || y > (self.height - 1) as f32 {
            return 255.0;
        }
        let (x0, y0) = (x.floor() as u32, y.floor() as u32);
        let (x1, y1) = ((x0 + 1).min(self.width - 1), (y0 + 1).min(self.height - 1));
        let (fx, fy) = (x - x0 as f32, y - y0 as f32);
        let top = f32::from(self.get(x0, y0)) * (1.0 - fx) + f32::from(self.get(x1, y0)) * fx;
        let bottom = f32::from(self.get(x0, y1)) * (1.0 - fx) + f32::from(self.get(x1, y1)) * fx;
        top * (1.0 - fy) + bottom * fy
    }

    /// The frame `factor` times smaller each way (each pixel the mean of its block).
    pub fn shrink(&self, factor: u32) -> Frame {
        let (w, h) = (self.width / factor, self.height / factor);
        let mut out = Frame::new(w, h, 0);
        for y in 0..h {
            for x in 0..w {
                let mut sum = 0u32;
                for dy in 0..factor {
                    for dx in 0..factor {
                        sum += u32::from(self.get(x * factor + dx, y * factor + dy));
                    }
                }
                out.pixels[(y * w + x) as usize] = (sum / (factor * factor)) as u8;
            }
        }
        out
    }
}

/// Why the camera gave no frame.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CameraFault {
    #[error("the document camera is not connected ({0})")]
    Unplugged(String),
    #[error("the document camera does not answer: {0}")]
    Io(String),
}

/// A document camera: a frame when asked.
pub trait Camera: Send {
    fn frame(&mut self) -> Result<Frame, CameraFault>;
}

/// The camera `[camera] device` names: `sim` for the simulator, else a V4L2 device such as /dev/video0.
pub fn open(device: &str) -> Box<dyn Camera> {
    if device == "sim" {
        Box::new(sim::SimCamera::new(sim::Faults::default()))
    } else {
        Box::new(v4l2::V4l2Camera::new(device))
    }
}
