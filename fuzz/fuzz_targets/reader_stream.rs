//! The card reader's reply-stream decoder on any bytes, fed in the chunk sizes the input's first byte picks:
//! never panics, and each frame it yields re-encodes to bytes that were in the stream.
#![no_main]

use kiosk::device::reader::frame::{encode_frame, Decoder, Reply};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&chunk, stream)) = data.split_first() else {
        return;
    };
    let chunk = usize::from(chunk).max(1);
    let mut decoder = Decoder::new();
    for piece in stream.chunks(chunk) {
        decoder.push(piece);
        let _ = decoder.pending();
        while let Some(frame) = decoder.next_frame() {
            if let Ok(body) = frame {
                let encoded = encode_frame(&body);
                assert!(
                    stream.windows(encoded.len()).any(|w| w == encoded.as_slice()),
                    "a decoded frame must have been on the wire"
                );
                let _ = Reply::from_body(&body);
            }
        }
    }
});
