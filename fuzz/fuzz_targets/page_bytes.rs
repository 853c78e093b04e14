//! What a phone uploads or a camera gives: any bytes as a page the hub might keep (its type by the first
//! bytes), a phone's photo previewed on the terminal, a Motion-JPEG or YUYV frame from a V4L2 camera. None
//! may panic; what is previewed is a grey picture of the size it says.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = kiosk_hub::applications::image_type(data);
    if let Some(preview) = kiosk::device::camera::page::preview(data) {
        assert_eq!(
            preview.pixels.len(),
            (preview.width * preview.height) as usize
        );
    }
    let (width, height) = (
        u32::from(data.first().copied().unwrap_or(1)).max(1),
        u32::from(data.get(1).copied().unwrap_or(1)).max(1),
    );
    for format in [*b"MJPG", *b"YUYV", *b"GREY"] {
        let code = u32::from_le_bytes(format);
        if let Ok(frame) = kiosk::device::camera::v4l2::decode(code, width, height, data) {
            assert_eq!(frame.pixels.len(), (frame.width * frame.height) as usize);
        }
    }
});
