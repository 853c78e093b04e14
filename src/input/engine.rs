//! The engines' thread: librime and zinnia live on it, and the interface reaches them only by messages
//! (requests in through a channel, replies out through the bridge), so no keystroke ever waits on an
//! engine. A missing engine is reported once, and the keyboards that need it are not offered.

use std::path::PathBuf;
use std::sync::mpsc;
use std::sync::{Arc, Mutex};

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
}

/// What the engines answer.
#[derive(Debug, Clone, PartialEq)]
pub enum Reply {
    /// Which engines work (the first reply), or why not.
    Ready(Availability),
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

impl Default for Availability {
    /// Before the engines' thread has answered: neither is offered yet.
    fn default() -> Self {
        Availability {
            pinyin: Err("starting".into()),
            handwriting: Err("starting".into()),
        }
    }
}

/// Where the engines find their data, and the pinyin schema to use.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EngineSettings {
    pub folders: Folders,
    pub schema: String,
    pub model: PathBuf,
}

/// The way to the engines' thread (cloned into every field that takes text).
#[derive(Clone)]
pub struct Link {
    requests: mpsc::Sender<Request>,
}

impl std::fmt::Debug for Link {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Link")
    }
}

impl Link {
    /// A link and the requests sent through it (to answer them elsewhere: a test, a benchmark).
    pub fn channel() -> (Link, mpsc::Receiver<Request>) {
        let (requests, inbox) = mpsc::channel();
        (Link { requests }, inbox)
    }

    /// Sends `request`; false when the thread is gone.
    pub fn send(&self, request: Request) -> bool {
        self.requests.send(request).is_ok()
    }
}

/// The running engines: the link to them, and their replies until someone takes them.
pub struct Engines {
    pub link: Link,
    replies: Arc<Mutex<Option<mpsc::Receiver<Reply>>>>,
}

impl Engines {
    /// Starts the thread; the engines open on it (librime's first session takes 20–50 ms, zinnia's model
    /// 30–45 ms), not on the caller's.
    pub fn start(settings: EngineSettings) -> Engines {
        let (requests, inbox) = mpsc::channel();
        let (outbox, replies) = mpsc::channel();
        let spawned = std::thread::Builder::new()
            .name("input".into())
            .spawn(move || run(settings, inbox, outbox));
        if let Err(error) = spawned {
            tracing::error!(%error, "cannot start the input engines' thread");
        }
        Engines {
            link: Link { requests },
            replies: Arc::new(Mutex::new(Some(replies))),
        }
    }

    /// The replies, for the one who forwards them (the interface's subscription, or a test).
    pub fn take_replies(&self) -> Option<mpsc::Receiver<Reply>> {
        self.replies.lock().ok()?.take()
    }

    /// The shared slot of the replies (the subscription takes them when it starts).
    pub fn replies(&self) -> Arc<Mutex<Option<mpsc::Receiver<Reply>>>> {
        self.replies.clone()
    }
}

fn run(settings: EngineSettings, inbox: mpsc::Receiver<Request>, outbox: mpsc::Sender<Reply>) {
    let mut engines = Opened::open(&settings);
    if outbox
        .send(Reply::Ready(engines.availability.clone()))
        .is_err()
    {
        return;
    }
    while let Ok(request) = inbox.recv() {
        if let Some(reply) = engines.handle(request) {
            if outbox.send(reply).is_err() {
                return;
            }
        }
    }
}

/// The engines as opened on their thread.
pub struct Opened {
    rime: Option<Rime>,
    zinnia: Option<Zinnia>,
    pub availability: Availability,
}

impl Opened {
    pub fn open(settings: &EngineSettings) -> Opened {
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
