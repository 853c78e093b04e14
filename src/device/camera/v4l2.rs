//! A UVC document camera through V4L2 (the kernel's uvcvideo driver): opened on the first frame asked
//! for, streaming with memory-mapped buffers, in Motion-JPEG (what document cameras give at full
//! resolution), YUYV or GREY, turned into a grayscale [`Frame`]. The ioctls are made with libc directly:
//! the `v4l` crate's bindings are generated with bindgen and libclang at build time, which this project's
//! builds do without.

use std::os::fd::{AsRawFd, OwnedFd};

use super::{Camera, CameraFault, Frame};

const fn fourcc(code: &[u8; 4]) -> u32 {
    (code[0] as u32) | (code[1] as u32) << 8 | (code[2] as u32) << 16 | (code[3] as u32) << 24
}

const MJPG: u32 = fourcc(b"MJPG");
const YUYV: u32 = fourcc(b"YUYV");
const GREY: u32 = fourcc(b"GREY");

const BUF_TYPE_VIDEO_CAPTURE: u32 = 1;
const MEMORY_MMAP: u32 = 1;
const CAP_VIDEO_CAPTURE: u32 = 0x0000_0001;
const CAP_STREAMING: u32 = 0x0400_0000;

// _IOR/_IOW/_IOWR('V', n, size) on Linux.
const fn ioc(dir: u64, nr: u64, size: u64) -> u64 {
    (dir << 30) | (size << 16) | ((b'V' as u64) << 8) | nr
}
const VIDIOC_QUERYCAP: u64 = ioc(2, 0, 104);
const VIDIOC_S_FMT: u64 = ioc(3, 5, 208);
const VIDIOC_REQBUFS: u64 = ioc(3, 8, 20);
const VIDIOC_QUERYBUF: u64 = ioc(3, 9, 88);
const VIDIOC_QBUF: u64 = ioc(3, 15, 88);
const VIDIOC_DQBUF: u64 = ioc(3, 17, 88);
const VIDIOC_STREAMON: u64 = ioc(1, 18, 4);

/// `struct v4l2_buffer` on a 64-bit kernel (88 bytes).
#[repr(C)]
#[derive(Clone, Copy)]
struct Buffer {
    index: u32,
    kind: u32,
    bytesused: u32,
    flags: u32,
    field: u32,
    _pad: u32,
    timestamp: [u64; 2],
    timecode: [u32; 4],
    sequence: u32,
    memory: u32,
    offset: u64,
    length: u32,
    reserved2: u32,
    request_fd: u32,
    _pad2: u32,
}

/// `struct v4l2_format` with the single-planar pixel format (208 bytes).
#[repr(C)]
struct Format {
    kind: u32,
    _pad: u32,
    width: u32,
    height: u32,
    pixelformat: u32,
    field: u32,
    bytesperline: u32,
    sizeimage: u32,
    colorspace: u32,
    private: u32,
    flags: u32,
    ycbcr_enc: u32,
    quantization: u32,
    xfer_func: u32,
    _rest: [u8; 152],
}

fn ioctl<T>(fd: &OwnedFd, request: u64, arg: &mut T) -> std::io::Result<()> {
    loop {
        // SAFETY: `arg` is a live, properly sized `repr(C)` struct for this request.
        let done = unsafe { libc::ioctl(fd.as_raw_fd(), request as _, arg as *mut T) };
        if done == 0 {
            return Ok(());
        }
        let error = std::io::Error::last_os_error();
        if error.kind() != std::io::ErrorKind::Interrupted {
            return Err(error);
        }
    }
}

/// A mapped buffer of the driver's.
struct Mapped {
    at: *mut libc::c_void,
    length: usize,
}

// SAFETY: the mapping is owned by the stream and only read on the thread that holds it.
unsafe impl Send for Mapped {}

impl Drop for Mapped {
    fn drop(&mut self) {
        // SAFETY: mapped with this address and length in `Stream::open`.
        unsafe { libc::munmap(self.at, self.length) };
    }
}

struct Stream {
    fd: OwnedFd,
    buffers: Vec<Mapped>,
    width: u32,
    height: u32,
    format: u32,
}

impl Stream {
    fn open(device: &str) -> Result<Stream, CameraFault> {
        use std::os::unix::fs::OpenOptionsExt;
        let file = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .custom_flags(libc::O_NONBLOCK)
            .open(device)
            .map_err(|e| match e.kind() {
                std::io::ErrorKind::NotFound => CameraFault::Unplugged(format!("no {device}")),
                _ => CameraFault::Io(format!("{device}: {e}")),
            })?;
        let fd: OwnedFd = file.into();
        let io = |what: &str, e: std::io::Error| CameraFault::Io(format!("{device}: {what}: {e}"));
        let mut caps = [0u8; 104];
        ioctl(&fd, VIDIOC_QUERYCAP, &mut caps).map_err(|e| io("not a V4L2 device", e))?;
        let device_caps = u32::from_ne_bytes(caps[88..92].try_into().expect("4 bytes"));
        if device_caps & CAP_VIDEO_CAPTURE == 0 || device_caps & CAP_STREAMING == 0 {
            return Err(CameraFault::Io(format!(
                "{device} cannot stream video capture (a metadata node? try the next /dev/video)"
            )));
        }
        // The largest Motion-JPEG frame the driver offers near 5 megapixels; it answers what it chose.
        let mut format = Format {
            kind: BUF_TYPE_VIDEO_CAPTURE,
            _pad: 0,
            width: 2592,
            height: 1944,
            pixelformat: MJPG,
            field: 1,
            bytesperline: 0,
            sizeimage: 0,
            colorspace: 0,
            private: 0,
            flags: 0,
            ycbcr_enc: 0,
            quantization: 0,
            xfer_func: 0,
            _rest: [0; 152],
        };
        ioctl(&fd, VIDIOC_S_FMT, &mut format).map_err(|e| io("format refused", e))?;
        if ![MJPG, YUYV, GREY].contains(&format.pixelformat) {
            return Err(CameraFault::Io(format!(
                "{device} offers neither MJPG, YUYV nor GREY"
            )));
        }
        let mut request = [2u32, BUF_TYPE_VIDEO_CAPTURE, MEMORY_MMAP, 0, 0];
        ioctl(&fd, VIDIOC_REQBUFS, &mut request).map_err(|e| io("no buffers", e))?;
        let mut buffers = Vec::new();
        for index in 0..request[0] {
            let mut buffer = Buffer::new(index);
            ioctl(&fd, VIDIOC_QUERYBUF, &mut buffer).map_err(|e| io("buffer", e))?;
            // SAFETY: mapping the driver's buffer at the offset it gave, shared and read-only.
            let at = unsafe {
                libc::mmap(
                    std::ptr::null_mut(),
                    buffer.length as usize,
                    libc::PROT_READ,
                    libc::MAP_SHARED,
                    fd.as_raw_fd(),
                    buffer.offset as libc::off_t,
                )
            };
            if at == libc::MAP_FAILED {
                return Err(io("mmap", std::io::Error::last_os_error()));
            }
            buffers.push(Mapped {
                at,
                length: buffer.length as usize,
            });
            ioctl(&fd, VIDIOC_QBUF, &mut buffer).map_err(|e| io("queue", e))?;
        }
        let mut kind = BUF_TYPE_VIDEO_CAPTURE;
        ioctl(&fd, VIDIOC_STREAMON, &mut kind).map_err(|e| io("stream on", e))?;
        Ok(Stream {
            fd,
            buffers,
            width: format.width,
            height: format.height,
            format: format.pixelformat,
        })
    }

    /// The next frame, waiting up to 2 s for it.
    fn next(&mut self) -> Result<Frame, CameraFault> {
        let mut poll = libc::pollfd {
            fd: self.fd.as_raw_fd(),
            events: libc::POLLIN,
            revents: 0,
        };
        // SAFETY: one pollfd, valid for the call.
        let ready = unsafe { libc::poll(&mut poll, 1, 2000) };
        if ready <= 0 {
            return Err(CameraFault::Io("no frame within 2 s".into()));
        }
        if poll.revents & (libc::POLLERR | libc::POLLHUP) != 0 {
            return Err(CameraFault::Unplugged("the camera went away".into()));
        }
        let mut buffer = Buffer::new(0);
        ioctl(&self.fd, VIDIOC_DQBUF, &mut buffer).map_err(|e| match e.raw_os_error() {
            Some(libc::ENODEV) => CameraFault::Unplugged("the camera went away".into()),
            _ => CameraFault::Io(format!("dequeue: {e}")),
        })?;
        let mapped = &self.buffers[buffer.index as usize];
        let used = (buffer.bytesused as usize).min(mapped.length);
        // SAFETY: the driver filled `used` bytes of this mapped buffer and does not touch it until it is
        // queued again below.
        let bytes = unsafe { std::slice::from_raw_parts(mapped.at as *const u8, used) };
        let frame = decode(self.format, self.width, self.height, bytes);
        ioctl(&self.fd, VIDIOC_QBUF, &mut buffer)
            .map_err(|e| CameraFault::Io(format!("queue again: {e}")))?;
        frame
    }
}

impl Buffer {
    fn new(index: u32) -> Buffer {
        Buffer {
            index,
            kind: BUF_TYPE_VIDEO_CAPTURE,
            bytesused: 0,
            flags: 0,
            field: 0,
            _pad: 0,
            timestamp: [0; 2],
            timecode: [0; 4],
            sequence: 0,
            memory: MEMORY_MMAP,
            offset: 0,
            length: 0,
            reserved2: 0,
            request_fd: 0,
            _pad2: 0,
        }
    }
}

/// A frame's bytes in the driver's format, as grey.
pub fn decode(format: u32, width: u32, height: u32, bytes: &[u8]) -> Result<Frame, CameraFault> {
    let short = || CameraFault::Io("a frame cut short".into());
    match format {
        GREY => {
            let n = (width * height) as usize;
            Ok(Frame {
                width,
                height,
                pixels: bytes.get(..n).ok_or_else(short)?.to_vec(),
            })
        }
        YUYV => {
            let n = (width * height) as usize;
            let pixels: Vec<u8> = bytes.iter().step_by(2).take(n).copied().collect();
            if pixels.len() < n {
                return Err(short());
            }
            Ok(Frame {
                width,
                height,
                pixels,
            })
        }
        _ => {
            let image = super::page::decode(bytes, image::ImageFormat::Jpeg)
                .ok_or_else(|| CameraFault::Io("a Motion-JPEG frame that does not decode".into()))?
                .into_luma8();
            Ok(Frame {
                width: image.width(),
                height: image.height(),
                pixels: image.into_raw(),
            })
        }
    }
}

/// The camera at a V4L2 device path, opened when first asked for a frame (and again after it went away).
pub struct V4l2Camera {
    device: String,
    stream: Option<Stream>,
}

impl V4l2Camera {
    pub fn new(device: &str) -> V4l2Camera {
        V4l2Camera {
            device: device.to_string(),
            stream: None,
        }
    }
}

impl Camera for V4l2Camera {
    fn frame(&mut self) -> Result<Frame, CameraFault> {
        if self.stream.is_none() {
            self.stream = Some(Stream::open(&self.device)?);
        }
        let frame = self.stream.as_mut().expect("opened above").next();
        if frame.is_err() {
            // Opened afresh next time (a camera plugged in again gets a new stream).
            self.stream = None;
        }
        frame
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_kernel_structs_have_their_sizes() {
        assert_eq!(std::mem::size_of::<Buffer>(), 88);
        assert_eq!(std::mem::size_of::<Format>(), 208);
        assert_eq!(VIDIOC_QUERYCAP, 0x8068_5600);
        assert_eq!(VIDIOC_S_FMT, 0xc0d0_5605);
        assert_eq!(VIDIOC_DQBUF, 0xc058_5611);
    }

    #[test]
    fn a_missing_camera_is_unplugged_and_yuyv_turns_grey() {
        let mut camera = V4l2Camera::new("/dev/video-that-is-not-there");
        assert!(matches!(camera.frame(), Err(CameraFault::Unplugged(_))));
        let frame = decode(YUYV, 2, 1, &[10, 128, 20, 128]).unwrap();
        assert_eq!(frame.pixels, vec![10, 20]);
        assert!(decode(YUYV, 4, 4, &[1, 2]).is_err());
    }
}
