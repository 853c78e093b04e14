//! Pinyin through librime (the Rime engine), loaded when the terminal starts (`librime.so.1`): a terminal
//! whose librime is missing still starts, and offers the keyboards that need no engine.
//!
//! librime is one engine per process: it is set up once ([`Rime::open`]), and every call is made from the
//! one thread that owns the [`Rime`] (librime's sessions have no locks). Nothing is deployed here: the
//! terminal reads a staging folder built when the package was installed (`rime_deployer`, see
//! [`super::deploy`]), runs no maintenance, and keeps no user dictionary, so what one citizen types is
//! never offered to the next.

use std::ffi::{c_char, c_int, c_void, CStr, CString};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// The library loaded (Debian's librime1).
pub const LIBRARY: &str = "librime.so.1";

/// X keysyms librime takes for the keys the pinyin keyboard has.
pub mod keysym {
    pub const SPACE: u32 = 0x20;
    pub const BACKSPACE: u32 = 0xff08;
    pub const PAGE_UP: u32 = 0xff55;
    pub const PAGE_DOWN: u32 = 0xff56;
}

#[repr(C)]
struct Traits {
    data_size: c_int,
    shared_data_dir: *const c_char,
    user_data_dir: *const c_char,
    distribution_name: *const c_char,
    distribution_code_name: *const c_char,
    distribution_version: *const c_char,
    app_name: *const c_char,
    modules: *const *const c_char,
    min_log_level: c_int,
    log_dir: *const c_char,
    prebuilt_data_dir: *const c_char,
    staging_dir: *const c_char,
}

#[repr(C)]
struct Composition {
    length: c_int,
    cursor_pos: c_int,
    sel_start: c_int,
    sel_end: c_int,
    preedit: *mut c_char,
}

#[repr(C)]
struct Candidate {
    text: *mut c_char,
    comment: *mut c_char,
    reserved: *mut c_void,
}

#[repr(C)]
struct Menu {
    page_size: c_int,
    page_no: c_int,
    is_last_page: c_int,
    highlighted_candidate_index: c_int,
    num_candidates: c_int,
    candidates: *mut Candidate,
    select_keys: *mut c_char,
}

#[repr(C)]
struct Context {
    data_size: c_int,
    composition: Composition,
    menu: Menu,
    commit_text_preview: *mut c_char,
    select_labels: *mut *mut c_char,
}

#[repr(C)]
struct Commit {
    data_size: c_int,
    text: *mut c_char,
}

type SessionId = usize;
type Handler = unsafe extern "C" fn(*mut c_void, SessionId, *const c_char, *const c_char);

/// librime's `RimeApi` (rime_api.h of librime 1.8) up to the last member used here; the members not used
/// are kept as their count of pointers, in the header's order.
#[repr(C)]
struct Api {
    data_size: c_int,
    setup: Option<unsafe extern "C" fn(*mut Traits)>,
    set_notification_handler: Option<unsafe extern "C" fn(Option<Handler>, *mut c_void)>,
    initialize: Option<unsafe extern "C" fn(*mut Traits)>,
    _finalize: usize,
    // start_maintenance … sync_user_data
    _maintenance_and_deploy: [usize; 9],
    create_session: Option<unsafe extern "C" fn() -> SessionId>,
    _find_session: usize,
    destroy_session: Option<unsafe extern "C" fn(SessionId) -> c_int>,
    _cleanup: [usize; 2],
    process_key: Option<unsafe extern "C" fn(SessionId, c_int, c_int) -> c_int>,
    _commit_composition: usize,
    clear_composition: Option<unsafe extern "C" fn(SessionId)>,
    get_commit: Option<unsafe extern "C" fn(SessionId, *mut Commit) -> c_int>,
    free_commit: Option<unsafe extern "C" fn(*mut Commit) -> c_int>,
    get_context: Option<unsafe extern "C" fn(SessionId, *mut Context) -> c_int>,
    free_context: Option<unsafe extern "C" fn(*mut Context) -> c_int>,
    // get_status, free_status, set_option, get_option, set_property, get_property, get_schema_list,
    // free_schema_list, get_current_schema
    _status_options_schemas: [usize; 9],
    select_schema: Option<unsafe extern "C" fn(SessionId, *const c_char) -> c_int>,
    // schema_open … config_begin_list
    _config: [usize; 34],
    _get_input: usize,
    _get_caret_pos: usize,
    _select_candidate: usize,
    get_version: Option<unsafe extern "C" fn() -> *const c_char>,
    _set_caret_pos: usize,
    select_candidate_on_current_page: Option<unsafe extern "C" fn(SessionId, usize) -> c_int>,
}

/// Where the engine's files are.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Folders {
    /// Rime's shared data (Debian: /usr/share/rime-data).
    pub shared: PathBuf,
    /// The terminal's Rime configuration, built by `rime_deployer` into `staging` (read only here), and
    /// the folder of the local words (`custom_phrase.txt`).
    pub user: PathBuf,
    pub staging: PathBuf,
    /// Where glog may write (never what is typed: only errors are logged).
    pub log: PathBuf,
}

/// Why pinyin is not available.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RimeError {
    #[error(
        "librime is not installed ({0}): install the packages librime1 and rime-data-luna-pinyin"
    )]
    Missing(String),
    #[error("librime's API is older than this terminal needs (version {0})")]
    TooOld(String),
    #[error(
        "the pinyin schema {schema} is not deployed in {staging}: reinstall the kiosk package, or run \
         `kiosk input deploy`"
    )]
    NotDeployed { schema: String, staging: String },
    #[error("librime gives no session")]
    NoSession,
    #[error("librime was set up in this process with other folders")]
    OtherFolders,
}

/// What the citizen sees of a composition: the letters typed as Rime shows them, one page of candidates,
/// and the text the last key committed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Snapshot {
    pub preedit: String,
    pub candidates: Vec<String>,
    /// The page shown (0: the first) and whether another follows.
    pub page: usize,
    pub last_page: bool,
    /// What this step committed to the field (empty: nothing).
    pub commit: String,
}

struct Loaded {
    api: &'static Api,
    folders: Folders,
}

/// The process's librime, set up once.
static LOADED: OnceLock<Result<Loaded, RimeError>> = OnceLock::new();

fn load(folders: &Folders) -> Result<&'static Loaded, RimeError> {
    let loaded = LOADED.get_or_init(|| {
        // SAFETY: librime's initialisers run once (this OnceLock), on the thread that sets the engine up.
        unsafe { set_up(folders) }
    });
    match loaded {
        Ok(loaded) if &loaded.folders == folders => Ok(loaded),
        Ok(_) => Err(RimeError::OtherFolders),
        Err(error) => Err(error.clone()),
    }
}

/// Glog's and librime's notifications are not needed: the deploy is not done here, and schema changes
/// are this code's own.
unsafe extern "C" fn ignore(_: *mut c_void, _: SessionId, _: *const c_char, _: *const c_char) {}

fn c_path(path: &Path) -> CString {
    CString::new(path.as_os_str().as_encoded_bytes()).unwrap_or_default()
}

unsafe fn set_up(folders: &Folders) -> Result<Loaded, RimeError> {
    let library =
        libloading::Library::new(LIBRARY).map_err(|error| RimeError::Missing(error.to_string()))?;
    let get_api: libloading::Symbol<unsafe extern "C" fn() -> *const Api> = library
        .get(b"rime_get_api\0")
        .map_err(|error| RimeError::Missing(error.to_string()))?;
    let api = get_api();
    // The library stays loaded for the life of the process: its API table points into it.
    std::mem::forget(library);
    let Some(api) = api.as_ref() else {
        return Err(RimeError::Missing("rime_get_api gave nothing".into()));
    };
    let needed = std::mem::size_of::<Api>() - std::mem::size_of::<c_int>();
    let version = api
        .get_version
        .filter(|_| api.data_size as usize >= needed)
        .map(|f| CStr::from_ptr(f()).to_string_lossy().into_owned());
    let Some(version) = version else {
        return Err(RimeError::TooOld(format!("API size {}", api.data_size)));
    };
    let (Some(setup), Some(initialize)) = (api.setup, api.initialize) else {
        return Err(RimeError::TooOld(version));
    };
    // The strings must outlive the calls: librime keeps them.
    let keep = |s: CString| s.into_raw() as *const c_char;
    let mut traits = Traits {
        data_size: (std::mem::size_of::<Traits>() - std::mem::size_of::<c_int>()) as c_int,
        shared_data_dir: keep(c_path(&folders.shared)),
        user_data_dir: keep(c_path(&folders.user)),
        distribution_name: keep(c"kiosk".into()),
        distribution_code_name: keep(c"kiosk".into()),
        distribution_version: keep(CString::new(env!("CARGO_PKG_VERSION")).unwrap_or_default()),
        app_name: keep(c"rime.kiosk".into()),
        modules: std::ptr::null(),
        // Errors only: nothing typed reaches a log.
        min_log_level: 2,
        log_dir: keep(c_path(&folders.log)),
        prebuilt_data_dir: keep(c_path(&folders.shared.join("build"))),
        staging_dir: keep(c_path(&folders.staging)),
    };
    setup(&mut traits);
    if let Some(handler) = api.set_notification_handler {
        handler(Some(ignore), std::ptr::null_mut());
    }
    // No maintenance: the staging folder was built at installation.
    initialize(&mut traits);
    tracing::info!(version, "librime set up");
    Ok(Loaded {
        api,
        folders: folders.clone(),
    })
}

/// librime's sessions have no locks: calls from two threads (two terminals' engines in one test process)
/// take turns here.
static CALLS: std::sync::Mutex<()> = std::sync::Mutex::new(());

fn calls() -> std::sync::MutexGuard<'static, ()> {
    CALLS.lock().unwrap_or_else(|e| e.into_inner())
}

/// One Rime session on the engine's thread.
pub struct Rime {
    api: &'static Api,
    schema: CString,
    session: SessionId,
}

// The session is used from one thread at a time (the engine's); librime's API table is immutable.
unsafe impl Send for Rime {}

impl Rime {
    /// Sets librime up (once per process) and opens a session on `schema`.
    pub fn open(folders: &Folders, schema: &str) -> Result<Rime, RimeError> {
        let schema = CString::new(schema).unwrap_or_default();
        let not_deployed = || RimeError::NotDeployed {
            schema: schema.to_string_lossy().into_owned(),
            staging: folders.staging.display().to_string(),
        };
        // Not deployed: librime is not even loaded (nothing of it would serve).
        if !super::deploy::is_built(&folders.staging, &schema.to_string_lossy()) {
            return Err(not_deployed());
        }
        let loaded = load(folders)?;
        let mut rime = Rime {
            api: loaded.api,
            schema: schema.clone(),
            session: 0,
        };
        let _calls = calls();
        rime.session = rime.new_session()?;
        Ok(rime)
    }

    fn new_session(&self) -> Result<SessionId, RimeError> {
        // SAFETY: the API table was checked to hold these members; the session is this thread's.
        unsafe {
            let session = self.api.create_session.ok_or(RimeError::NoSession)?();
            if session == 0 {
                return Err(RimeError::NoSession);
            }
            if let Some(select) = self.api.select_schema {
                select(session, self.schema.as_ptr());
            }
            Ok(session)
        }
    }

    /// One key (an X keysym); whether Rime used it (a key it did not use is the field's: a space or a
    /// backspace with nothing composed).
    pub fn key(&mut self, keysym: u32) -> (bool, Snapshot) {
        let _calls = calls();
        // SAFETY: as in `new_session`.
        let used = unsafe {
            self.api
                .process_key
                .is_some_and(|f| f(self.session, keysym as c_int, 0) != 0)
        };
        (used, self.snapshot())
    }

    /// Picks candidate `index` of the page shown.
    pub fn pick(&mut self, index: usize) -> Snapshot {
        let _calls = calls();
        // SAFETY: as in `new_session`.
        unsafe {
            if let Some(f) = self.api.select_candidate_on_current_page {
                f(self.session, index);
            }
        }
        self.snapshot()
    }

    /// Drops the composition (nothing is committed).
    pub fn clear(&mut self) -> Snapshot {
        let _calls = calls();
        self.clear_unlocked()
    }

    fn clear_unlocked(&mut self) -> Snapshot {
        // SAFETY: as in `new_session`.
        unsafe {
            if let Some(f) = self.api.clear_composition {
                f(self.session);
            }
        }
        self.snapshot()
    }

    /// A new session in place of this one (the citizen's session ended): nothing of it remains.
    pub fn renew(&mut self) -> Result<(), RimeError> {
        let _calls = calls();
        self.clear_unlocked();
        let fresh = self.new_session()?;
        // SAFETY: as in `new_session`.
        unsafe {
            if let Some(destroy) = self.api.destroy_session {
                destroy(self.session);
            }
        }
        self.session = fresh;
        Ok(())
    }

    fn snapshot(&self) -> Snapshot {
        let mut snapshot = Snapshot::default();
        // SAFETY: the structs are initialised as RIME_STRUCT does (data_size set, the rest zero) and freed
        // by librime after their strings are copied.
        unsafe {
            let mut commit: Commit = std::mem::zeroed();
            commit.data_size =
                (std::mem::size_of::<Commit>() - std::mem::size_of::<c_int>()) as c_int;
            if let (Some(get), Some(free)) = (self.api.get_commit, self.api.free_commit) {
                if get(self.session, &mut commit) != 0 {
                    if !commit.text.is_null() {
                        snapshot.commit =
                            CStr::from_ptr(commit.text).to_string_lossy().into_owned();
                    }
                    free(&mut commit);
                }
            }
            let mut context: Context = std::mem::zeroed();
            context.data_size =
                (std::mem::size_of::<Context>() - std::mem::size_of::<c_int>()) as c_int;
            if let (Some(get), Some(free)) = (self.api.get_context, self.api.free_context) {
                if get(self.session, &mut context) != 0 {
                    let text = |p: *mut c_char| {
                        if p.is_null() {
                            String::new()
                        } else {
                            CStr::from_ptr(p).to_string_lossy().into_owned()
                        }
                    };
                    snapshot.preedit = text(context.composition.preedit);
                    let menu = &context.menu;
                    if !menu.candidates.is_null() && menu.num_candidates > 0 {
                        snapshot.candidates = std::slice::from_raw_parts(
                            menu.candidates,
                            menu.num_candidates as usize,
                        )
                        .iter()
                        .map(|c| text(c.text))
                        .collect();
                    }
                    snapshot.page = menu.page_no.max(0) as usize;
                    snapshot.last_page = menu.is_last_page != 0 || snapshot.candidates.is_empty();
                    free(&mut context);
                }
            }
        }
        snapshot
    }
}

impl Drop for Rime {
    fn drop(&mut self) {
        let _calls = calls();
        // SAFETY: as in `new_session`.
        unsafe {
            if let Some(destroy) = self.api.destroy_session {
                destroy(self.session);
            }
        }
    }
}
