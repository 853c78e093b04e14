//! Handwriting through zinnia (`libzinnia.so.0`, loaded when the terminal starts) with Debian's
//! simplified-Chinese model: strokes in, characters ranked by the model out. A terminal without zinnia or
//! its model still starts; the writing pad is then not offered.

use std::ffi::{c_char, c_float, c_int, c_void, CStr, CString};
use std::path::Path;

/// The library loaded (Debian's libzinnia0).
pub const LIBRARY: &str = "libzinnia.so.0";

/// The model Debian's `tegaki-zinnia-simplified-chinese` installs (6763 characters: GB 2312).
pub const MODEL: &str = "/usr/share/tegaki/models/zinnia/handwriting-zh_CN.model";

/// The square the strokes are scaled into before they are classified (zinnia normalises by the width and
/// height it is given; a square keeps the character's proportions).
pub const FRAME: u32 = 300;

/// Why handwriting is not available.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ZinniaError {
    #[error("zinnia is not installed ({0}): install the package libzinnia0")]
    Missing(String),
    #[error(
        "the handwriting model {0} cannot be opened: install the package \
         tegaki-zinnia-simplified-chinese"
    )]
    NoModel(String),
}

struct Functions {
    recognizer_new: unsafe extern "C" fn() -> *mut c_void,
    recognizer_open: unsafe extern "C" fn(*mut c_void, *const c_char) -> c_int,
    recognizer_destroy: unsafe extern "C" fn(*mut c_void),
    recognizer_classify: unsafe extern "C" fn(*mut c_void, *const c_void, usize) -> *mut c_void,
    character_new: unsafe extern "C" fn() -> *mut c_void,
    character_destroy: unsafe extern "C" fn(*mut c_void),
    character_set_width: unsafe extern "C" fn(*mut c_void, usize),
    character_set_height: unsafe extern "C" fn(*mut c_void, usize),
    character_add: unsafe extern "C" fn(*mut c_void, usize, c_int, c_int) -> c_int,
    character_clear: unsafe extern "C" fn(*mut c_void),
    result_value: unsafe extern "C" fn(*mut c_void, usize) -> *const c_char,
    result_score: unsafe extern "C" fn(*mut c_void, usize) -> c_float,
    result_size: unsafe extern "C" fn(*mut c_void) -> usize,
    result_destroy: unsafe extern "C" fn(*mut c_void),
    _library: libloading::Library,
}

/// A stroke: the points of one touch, in the pad's pixels (y down).
pub type Stroke = Vec<(f32, f32)>;

/// A character written on a pad, as the handwriting fixtures keep it (JSON): the character meant, the
/// pad's side in pixels and the strokes.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Written {
    #[serde(rename = "char")]
    pub character: String,
    pub side: f32,
    pub strokes: Vec<Stroke>,
}

/// A recogniser with the model open.
pub struct Zinnia {
    f: Functions,
    recognizer: *mut c_void,
    character: *mut c_void,
}

// The recogniser and its character are used from the engine's thread only.
unsafe impl Send for Zinnia {}

impl Zinnia {
    pub fn open(model: &Path) -> Result<Zinnia, ZinniaError> {
        // SAFETY: the symbols are zinnia's C API (zinnia.h) with these signatures; the library is kept in
        // `Functions` as long as they are used.
        unsafe {
            let library = libloading::Library::new(LIBRARY)
                .map_err(|e| ZinniaError::Missing(e.to_string()))?;
            macro_rules! get {
                ($name:literal) => {
                    *library
                        .get(concat!($name, "\0").as_bytes())
                        .map_err(|e| ZinniaError::Missing(e.to_string()))?
                };
            }
            let f = Functions {
                recognizer_new: get!("zinnia_recognizer_new"),
                recognizer_open: get!("zinnia_recognizer_open"),
                recognizer_destroy: get!("zinnia_recognizer_destroy"),
                recognizer_classify: get!("zinnia_recognizer_classify"),
                character_new: get!("zinnia_character_new"),
                character_destroy: get!("zinnia_character_destroy"),
                character_set_width: get!("zinnia_character_set_width"),
                character_set_height: get!("zinnia_character_set_height"),
                character_add: get!("zinnia_character_add"),
                character_clear: get!("zinnia_character_clear"),
                result_value: get!("zinnia_result_value"),
                result_score: get!("zinnia_result_score"),
                result_size: get!("zinnia_result_size"),
                result_destroy: get!("zinnia_result_destroy"),
                _library: library,
            };
            let recognizer = (f.recognizer_new)();
            let path = CString::new(model.as_os_str().as_encoded_bytes()).unwrap_or_default();
            if recognizer.is_null() || (f.recognizer_open)(recognizer, path.as_ptr()) == 0 {
                if !recognizer.is_null() {
                    (f.recognizer_destroy)(recognizer);
                }
                return Err(ZinniaError::NoModel(model.display().to_string()));
            }
            let character = (f.character_new)();
            Ok(Zinnia {
                f,
                recognizer,
                character,
            })
        }
    }

    /// The `n` likeliest characters for `strokes` drawn in a square pad of `side` pixels, best first.
    pub fn classify(&mut self, strokes: &[Stroke], side: f32, n: usize) -> Vec<String> {
        let points = frame(strokes, side);
        if points.iter().all(|s| s.is_empty()) {
            return Vec::new();
        }
        // SAFETY: the character and recogniser were made by this library; the result is destroyed here.
        unsafe {
            let c = self.character;
            (self.f.character_clear)(c);
            (self.f.character_set_width)(c, FRAME as usize);
            (self.f.character_set_height)(c, FRAME as usize);
            for (id, stroke) in points.iter().filter(|s| !s.is_empty()).enumerate() {
                for &(x, y) in stroke {
                    (self.f.character_add)(c, id, x, y);
                }
            }
            let result = (self.f.recognizer_classify)(self.recognizer, c, n);
            if result.is_null() {
                return Vec::new();
            }
            let found = (0..(self.f.result_size)(result))
                .filter_map(|i| {
                    let value = (self.f.result_value)(result, i);
                    let _score = (self.f.result_score)(result, i);
                    (!value.is_null()).then(|| CStr::from_ptr(value).to_string_lossy().into_owned())
                })
                .collect();
            (self.f.result_destroy)(result);
            found
        }
    }
}

impl Drop for Zinnia {
    fn drop(&mut self) {
        // SAFETY: made by this library, destroyed once.
        unsafe {
            (self.f.character_destroy)(self.character);
            (self.f.recognizer_destroy)(self.recognizer);
        }
    }
}

/// The strokes in the model's frame: scaled from the pad's square, smoothed (a finger's jitter pushes
/// simple characters out of the list) and thinned to the points that turn.
pub fn frame(strokes: &[Stroke], side: f32) -> Vec<Vec<(c_int, c_int)>> {
    let scale = if side > 0.0 { FRAME as f32 / side } else { 0.0 };
    strokes
        .iter()
        .map(|stroke| {
            let smooth = smooth(stroke);
            let mut out: Vec<(c_int, c_int)> = Vec::new();
            for &(x, y) in &smooth {
                let p = (
                    (x * scale).round().clamp(0.0, FRAME as f32) as c_int,
                    (y * scale).round().clamp(0.0, FRAME as f32) as c_int,
                );
                // Points closer than 3 units to the last kept add only noise.
                if out
                    .last()
                    .is_none_or(|&(lx, ly)| (lx - p.0).abs() + (ly - p.1).abs() >= 3)
                {
                    out.push(p);
                }
            }
            if let (Some(&last), Some(&end)) = (out.last(), smooth.last()) {
                let end = (
                    (end.0 * scale).round().clamp(0.0, FRAME as f32) as c_int,
                    (end.1 * scale).round().clamp(0.0, FRAME as f32) as c_int,
                );
                if last != end {
                    out.push(end);
                }
            }
            out
        })
        .collect()
}

/// A three-point moving average that keeps a stroke's two ends.
fn smooth(stroke: &[(f32, f32)]) -> Vec<(f32, f32)> {
    let finite: Vec<(f32, f32)> = stroke
        .iter()
        .copied()
        .filter(|(x, y)| x.is_finite() && y.is_finite())
        .collect();
    if finite.len() < 3 {
        return finite;
    }
    let mut out = Vec::with_capacity(finite.len());
    out.push(finite[0]);
    for w in finite.windows(3) {
        out.push((
            (w[0].0 + w[1].0 + w[2].0) / 3.0,
            (w[0].1 + w[1].1 + w[2].1) / 3.0,
        ));
    }
    out.push(finite[finite.len() - 1]);
    out
}
