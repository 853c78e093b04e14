//! The engines' thread: librime and zinnia live on it, and the interface reaches them only by messages
//! (requests in through a channel, replies out through the bridge), so no keystroke ever waits on an
//! engine. A missing engine is reported once, and the keyboards that need it are not offered.

use std::path::PathBuf;
use std::sync::mpsc;

use super::rime::{Folders, Rime, Snapshot};
use super::zinnia::{Stroke, Zinnia};

/// Handwriting candidates offered after each stroke.
pub const WRITTEN: usize = 10;

/// What the terminal's text entry asks of the engines. `field` names the field asking (its answers go
/// nowhere else).
#[derive(Debug, Clone, PartialEq)]
pub enum Request {
    Key {
        field: u64,
        keysym: u32,
    },
    Pick {
        field: u64,
        index: usize,
    },
    Page {
        field: u64,
        down: bool,
    },
    Clear {
        field: u64,
    },
    /// Every stroke on the pad so far, in a square of `side` pixels.
    Strokes {
        field: u64,
        strokes: Vec<Stroke>,
        side: f32,
    },
    /// The citizen's session ended: a new Rime session, so nothing of this one remains.
    Renew,
    /// The thread ends.
    Stop,
}

/// What the engines answer.
#[derive(Debug, Clone, PartialEq)]
pub enum Reply {
    /// Which engines work (the first reply), or why not, and the link to send requests by.
    Ready(Availability, Link),
    /// The composition after a request; `unused` is the key Rime did not take (the field's to apply).
    Pinyin {
        field: u64,
        unused: Option<u32>,
        snapshot: Snapshot,
    },
    /// The characters the strokes may be, best first, for the first `strokes` strokes.
    Written {
        field: u64,
        strokes: usize,
        candidates: Vec<String>,
    },
}

/// Which engines are working; each `Err` says why not, with the fix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Availability {
    pub pinyin: Result<(), String>,
    pub handwriting: Result<(), String>,
}

/// Why an engine is not offered before the engines' thread has answered.
const STARTING: &str = "the input engines are starting";
/// Why an engine is not offered once its thread has gone.
const STOPPED: &str = "the input engines' thread has stopped";

impl Default for Availability {
    /// Before the engines' thread has answered: neither is offered yet.
    fn default() -> Self {
        Availability {
            pinyin: Err(STARTING.into()),
            handwriting: Err(STARTING.into()),
        }
    }
}

impl Availability {
    /// Whether the engines have not answered yet (a field then says nothing of what is missing).
    pub fn starting(&self) -> bool {
        [&self.pinyin, &self.handwriting]
            .iter()
            .any(|r| r.as_ref().err().is_some_and(|e| e == STARTING))
    }

    /// The engines' thread is gone: neither is offered any more.
    pub fn stopped() -> Availability {
        Availability {
            pinyin: Err(STOPPED.into()),
            handwriting: Err(STOPPED.into()),
        }
    }
}

/// Where the engines find their data, the pinyin schema to use, and the hall's local words.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct EngineSettings {
    pub folders: Folders,
    pub schema: String,
    pub model: PathBuf,
    pub words: Vec<String>,
}

/// The way to the engines' thread (cloned into every field that takes text). Links are equal when they
/// lead to the same thread.
#[derive(Clone)]
pub struct Link {
    requests: mpsc::Sender<Request>,
    /// Which thread it leads to.
    id: u64,
}

impl std::fmt::Debug for Link {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Link")
    }
}

impl PartialEq for Link {
    fn eq(&self, other: &Link) -> bool {
        self.id == other.id
    }
}

impl Link {
    /// A link and the requests sent through it (to answer them elsewhere: a test, a benchmark).
    pub fn channel() -> (Link, mpsc::Receiver<Request>) {
        static LINKS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
        let (requests, inbox) = mpsc::channel();
        let id = LINKS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        (Link { requests, id }, inbox)
    }

    /// Sends `request`; false when the thread is gone.
    pub fn send(&self, request: Request) -> bool {
        self.requests.send(request).is_ok()
    }
}

/// The engines' thread as its starter holds it: dropping it stops the thread.
pub struct Running {
    link: Link,
}

impl Drop for Running {
    fn drop(&mut self) {
        self.link.send(Request::Stop);
    }
}

/// Starts the engines' thread. It writes the local words, opens the engines (librime's first session
/// takes 20–50 ms, zinnia's model 30–45 ms: on this thread, not the caller's), answers
/// [`Reply::Ready`] with the link to send requests by, then answers each request through `sink` until
/// the sink is closed or the [`Running`] dropped.
pub fn spawn(
    settings: EngineSettings,
    mut sink: impl FnMut(Reply) -> bool + Send + 'static,
) -> Running {
    let (link, inbox) = Link::channel();
    let handed = link.clone();
    let spawned = std::thread::Builder::new()
        .name("input".into())
        .spawn(move || {
            let mut engines = Opened::open(&settings);
            if !sink(Reply::Ready(engines.availability.clone(), handed)) {
                return;
            }
            while let Ok(request) = inbox.recv() {
                if request == Request::Stop {
                    return;
                }
                if let Some(reply) = engines.handle(request) {
                    if !sink(reply) {
                        return;
                    }
                }
            }
        });
    if let Err(error) = spawned {
        tracing::error!(%error, "cannot start the input engines' thread");
    }
    Running { link }
}

/// The engines as opened on their thread.
pub struct Opened {
    rime: Option<Rime>,
    zinnia: Option<Zinnia>,
    pub availability: Availability,
}

impl Opened {
    /// Writes the local words where Rime reads them, then opens both engines.
    pub fn open(settings: &EngineSettings) -> Opened {
        if let Err(error) = super::deploy::write_words(&settings.folders.user, &settings.words) {
            tracing::warn!(%error, "the local words cannot be written; pinyin goes without them");
        }
        let rime = Rime::open(&settings.folders, &settings.schema);
        let zinnia = Zinnia::open(&settings.model);
        let availability = Availability {
            pinyin: rime.as_ref().map(|_| ()).map_err(ToString::to_string),
            handwriting: zinnia.as_ref().map(|_| ()).map_err(ToString::to_string),
        };
        if let Err(why) = &availability.pinyin {
            tracing::warn!(why, "pinyin is not offered");
        }
        if let Err(why) = &availability.handwriting {
            tracing::warn!(why, "handwriting is not offered");
        }
        Opened {
            rime: rime.ok(),
            zinnia: zinnia.ok(),
            availability,
        }
    }

    /// One request, answered at once (on the engines' thread, or a test's).
    pub fn handle(&mut self, request: Request) -> Option<Reply> {
        let pinyin = |field, unused, snapshot| {
            Some(Reply::Pinyin {
                field,
                unused,
                snapshot,
            })
        };
        match request {
            Request::Key { field, keysym } => match &mut self.rime {
                Some(rime) => {
                    let (used, snapshot) = rime.key(keysym);
                    pinyin(field, (!used).then_some(keysym), snapshot)
                }
                None => pinyin(field, Some(keysym), Snapshot::default()),
            },
            Request::Pick { field, index } => {
                let snapshot = self.rime.as_mut()?.pick(index);
                pinyin(field, None, snapshot)
            }
            Request::Page { field, down } => {
                let key = if down {
                    super::rime::keysym::PAGE_DOWN
                } else {
                    super::rime::keysym::PAGE_UP
                };
                let (_, snapshot) = self.rime.as_mut()?.key(key);
                pinyin(field, None, snapshot)
            }
            Request::Clear { field } => {
                let snapshot = self.rime.as_mut()?.clear();
                pinyin(field, None, snapshot)
            }
            Request::Strokes {
                field,
                strokes,
                side,
            } => {
                let candidates = self
                    .zinnia
                    .as_mut()
                    .map(|z| z.classify(&strokes, side, WRITTEN))
                    .unwrap_or_default();
                Some(Reply::Written {
                    field,
                    strokes: strokes.len(),
                    candidates,
                })
            }
            Request::Stop => None,
            Request::Renew => {
                if let Some(rime) = &mut self.rime {
                    if let Err(error) = rime.renew() {
                        tracing::error!(%error, "a new pinyin session cannot be opened");
                    }
                }
                None
            }
        }
    }
}
