//! A virtual ESC/POS printer on TCP: it takes jobs as a network printer does, decodes them, answers real-time
//! status requests from its state, keeps each job (bytes, and the text it printed), and can be told to run out
//! of paper, open its cover, go offline, or drop the connection mid-job. Tests, the demo and technicians
//! (`kiosk printer sim`) use it.

use std::io::{Read, Write};
use std::net::TcpListener;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use serialport::SerialPort;

use super::decode::{spans, Op};
use super::status::{Paper, PrinterState};
use crate::device::worker::{StopFlag, Worker};

/// One job as the virtual printer received it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Job {
    /// Everything but the status requests.
    pub bytes: Vec<u8>,
    /// The lines of text that reached paper.
    pub lines: Vec<String>,
    /// Whether the paper ran out (or the cover opened) before the job ended.
    pub cut_short: bool,
    /// Whether the job ended with a cut or the feed that stands for one.
    pub finished: bool,
    /// When the first byte of the job itself (not a status request) arrived.
    pub first_byte_at: Option<std::time::Instant>,
}

struct Shared {
    state: PrinterState,
    /// Printable bytes left on the roll (`None`: plenty).
    paper_left: Option<usize>,
    /// Close the connection after this many job bytes (once).
    drop_after: Option<usize>,
    /// Stop answering status requests once a job has this many bytes (the printer hangs).
    hang_after: Option<usize>,
    hung: bool,
    /// Job bytes received on all connections so far.
    received: usize,
    jobs: Vec<Job>,
    out: Option<PathBuf>,
    /// Paper width in dots, for the PNG of each job.
    dots: u16,
    /// Print speed in mm of paper a second (none: paper out at once).
    speed_mm_s: Option<f32>,
    /// When the paper of the jobs so far is all out, at that speed.
    paper_out_at: Option<std::time::Instant>,
}

/// A running virtual printer. Dropping it stops it (its worker thread joins).
pub struct VirtualPrinter {
    uri: String,
    shared: Arc<Mutex<Shared>>,
    _worker: Worker,
}

/// The baud rate the pty printer announces in its address (a pty carries bytes at any rate).
const PTY_BAUD: u32 = 115_200;

impl VirtualPrinter {
    /// Listens on `listen` (e.g. `127.0.0.1:0`); writes each job to `out` as `job-NNN.bin` and `.txt` if given.
    pub fn start(listen: &str, out: Option<PathBuf>) -> std::io::Result<VirtualPrinter> {
        let listener = TcpListener::bind(listen)?;
        listener.set_nonblocking(true)?;
        let address = listener.local_addr()?;
        let shared = Shared::new(out);
        let worker = {
            let shared = shared.clone();
            Worker::spawn("virtual-printer", move |stop| {
                while !stop.stopped() {
                    match listener.accept() {
                        Ok((mut stream, _)) => {
                            let _ = stream.set_nonblocking(false);
                            let _ = stream.set_read_timeout(Some(Duration::from_millis(50)));
                            serve(&mut stream, &shared, &stop, Boundary::Connection);
                            let _ = stream.shutdown(std::net::Shutdown::Both);
                        }
                        Err(_) => std::thread::sleep(Duration::from_millis(10)),
                    }
                }
            })
        };
        Ok(VirtualPrinter {
            uri: format!("tcp://{address}"),
            shared,
            _worker: worker,
        })
    }

    /// A printer on a serial line: a new pty pair whose terminal end is in [`VirtualPrinter::uri`]
    /// (`serial:///dev/pts/N?baud=115200`). Dropping the connection there closes the line, as pulling the
    /// printer's cable would; the printer stays gone.
    pub fn pty(out: Option<PathBuf>) -> std::io::Result<VirtualPrinter> {
        let (mut master, slave) = serialport::TTYPort::pair().map_err(std::io::Error::from)?;
        let path = slave
            .name()
            .ok_or_else(|| std::io::Error::other("the pty has no name"))?;
        master
            .set_timeout(Duration::from_millis(20))
            .map_err(std::io::Error::from)?;
        let shared = Shared::new(out);
        let worker = {
            let shared = shared.clone();
            Worker::spawn("virtual-printer", move |stop| {
                // The terminal end is held open so that reads here do not fail before the terminal opens it.
                let _hold = slave;
                serve(&mut master, &shared, &stop, Boundary::CutOrPause);
            })
        };
        Ok(VirtualPrinter {
            uri: format!("serial://{path}?baud={PTY_BAUD}"),
            shared,
            _worker: worker,
        })
    }

    /// Where the terminal finds it: `tcp://127.0.0.1:PORT` or `serial:///dev/pts/N?baud=115200`.
    pub fn uri(&self) -> String {
        self.uri.clone()
    }

    fn shared(&self) -> MutexGuard<'_, Shared> {
        self.shared.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The paper width the PNGs are drawn at (576 dots unless set).
    pub fn set_paper_dots(&self, dots: u16) {
        self.shared().dots = dots;
    }

    /// Prints at `mm_per_s` (a kiosk's 80 mm thermal printer does 150–250 mm/s). Like a real printer it
    /// answers status at once while the paper is still coming out; [`VirtualPrinter::paper_out_at`] says
    /// when the last job's paper is all out. `None`: at once (the tests).
    pub fn set_speed(&self, mm_per_s: Option<f32>) {
        self.shared().speed_mm_s = mm_per_s.filter(|v| *v > 0.0);
    }

    /// When the paper of every job so far is (or was) all out, at the speed set.
    pub fn paper_out_at(&self) -> Option<std::time::Instant> {
        self.shared().paper_out_at
    }

    pub fn set_state(&self, state: PrinterState) {
        self.shared().state = state;
    }

    pub fn state(&self) -> PrinterState {
        self.shared().state
    }

    /// The roll runs out after `bytes` more printable bytes.
    pub fn paper_runs_out_after(&self, bytes: usize) {
        self.shared().paper_left = Some(bytes);
    }

    /// Once a job has `bytes`, the printer stops answering status requests (it hangs).
    pub fn hang_after(&self, bytes: usize) {
        self.shared().hang_after = Some(bytes);
    }

    /// Job bytes received so far, finished jobs or not.
    pub fn bytes_received(&self) -> usize {
        self.shared().received
    }

    /// The next job's connection is cut after `bytes`.
    pub fn drop_connection_after(&self, bytes: usize) {
        self.shared().drop_after = Some(bytes);
    }

    /// One line of the virtual printer's console (`kiosk printer sim` reads them from stdin).
    pub fn command(&self, line: &str) -> Result<String, String> {
        let words: Vec<&str> = line.split_whitespace().collect();
        let mut state = self.state();
        let number = |w: Option<&&str>| {
            w.and_then(|n| n.parse::<usize>().ok())
                .ok_or_else(|| "give a number of bytes".to_string())
        };
        match words.as_slice() {
            [] => return Ok(String::new()),
            ["paper", "ok"] => state.paper = Paper::Ok,
            ["paper", "near"] => state.paper = Paper::NearEnd,
            ["paper", "out"] => state.paper = Paper::Out,
            ["cover", "open"] => state.cover_open = true,
            ["cover", "closed"] => state.cover_open = false,
            ["online"] => state.online = true,
            ["offline"] => state.online = false,
            ["error"] => state.error = true,
            ["hang", ..] => {
                self.hang_after(number(words.get(1))?);
                return Ok("armed".into());
            }
            ["paper-runs-out", ..] => {
                self.paper_runs_out_after(number(words.get(1))?);
                return Ok("armed".into());
            }
            ["drop", ..] => {
                self.drop_connection_after(number(words.get(1))?);
                return Ok("armed".into());
            }
            ["jobs"] => {
                return Ok(self
                    .jobs()
                    .iter()
                    .enumerate()
                    .map(|(i, j)| {
                        format!(
                            "job {}: {} bytes, {} lines{}",
                            i + 1,
                            j.bytes.len(),
                            j.lines.len(),
                            if j.cut_short { ", cut short" } else { "" }
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("\n"))
            }
            _ => {
                return Err("commands: paper ok|near|out, cover open|closed, online, offline, error, paper-runs-out N, drop N, hang N, jobs".into())
            }
        }
        self.set_state(state);
        Ok(format!("{state:?}"))
    }

    /// How many jobs have come in.
    pub fn job_count(&self) -> usize {
        self.shared().jobs.len()
    }

    /// The last job as it came out on paper (drawn at this printer's paper width).
    pub fn last_page(&self) -> Option<super::paper::Paper> {
        let s = self.shared();
        let job = s.jobs.last()?;
        Some(super::paper::render(&job.bytes, s.dots))
    }

    pub fn jobs(&self) -> Vec<Job> {
        self.shared().jobs.clone()
    }

    /// The jobs once there are at least `count` (a job is complete when its connection closes), or what there
    /// is after `patience`.
    pub fn wait_for_jobs(&self, count: usize, patience: Duration) -> Vec<Job> {
        let deadline = std::time::Instant::now() + patience;
        loop {
            let jobs = self.jobs();
            if jobs.len() >= count || std::time::Instant::now() >= deadline {
                return jobs;
            }
            std::thread::sleep(Duration::from_millis(5));
        }
    }
}

impl Shared {
    fn new(out: Option<PathBuf>) -> Arc<Mutex<Shared>> {
        Arc::new(Mutex::new(Shared {
            state: PrinterState::HEALTHY,
            paper_left: None,
            drop_after: None,
            hang_after: None,
            hung: false,
            received: 0,
            jobs: Vec::new(),
            out,
            dots: 576,
            speed_mm_s: None,
            paper_out_at: None,
        }))
    }
}

fn lock(shared: &Mutex<Shared>) -> MutexGuard<'_, Shared> {
    shared.lock().unwrap_or_else(|e| e.into_inner())
}

/// How a job ends on a line: a TCP job is one connection; a serial line has no connections, so a job ends at
/// its cut or after a pause in the bytes.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Boundary {
    Connection,
    CutOrPause,
}

/// The pause that ends a job on a serial line.
const JOB_PAUSE: Duration = Duration::from_millis(300);

/// A job being received, with the text line being printed.
struct Receiving {
    job: Job,
    line: Vec<u8>,
}

impl Receiving {
    fn new() -> Receiving {
        Receiving {
            job: Job {
                bytes: Vec::new(),
                lines: Vec::new(),
                cut_short: false,
                finished: false,
                first_byte_at: None,
            },
            line: Vec::new(),
        }
    }

    /// Keeps the job (and writes its files) if any of it arrived.
    fn finish(mut self, shared: &Mutex<Shared>, dropped: bool) {
        if !self.line.is_empty() {
            self.job
                .lines
                .push(encoding_rs::GB18030.decode(&self.line).0.into_owned());
        }
        let mut job = self.job;
        if job.bytes.is_empty() {
            return;
        }
        job.cut_short |= dropped;
        let mut s = lock(shared);
        if let Some(dir) = &s.out {
            let n = s.jobs.len() + 1;
            let paper = super::paper::render(&job.bytes, s.dots);
            let files = [
                (format!("job-{n:03}.bin"), job.bytes.clone()),
                (
                    format!("job-{n:03}.txt"),
                    super::decode::listing(&job.bytes).into_bytes(),
                ),
                (format!("job-{n:03}.png"), paper.png()),
            ];
            for (name, bytes) in files {
                if let Err(error) = std::fs::write(dir.join(&name), bytes) {
                    tracing::warn!(%error, file = %dir.join(&name).display(), "virtual printer cannot save the job");
                }
            }
        }
        s.jobs.push(job);
    }
}

/// What became of the line after some bytes.
enum Served {
    Open,
    /// The printer dropped the line (as told to).
    Dropped,
}

/// Serves one line (a TCP connection, or a pty for its whole life): answers status requests as they come,
/// collects the rest as jobs. A timed-out read is not an error; any other ends the line, except on a pty
/// whose other end is not open yet (EIO), which waits.
fn serve(
    line: &mut (impl Read + Write),
    shared: &Mutex<Shared>,
    stop: &StopFlag,
    boundary: Boundary,
) {
    let mut pending: Vec<u8> = Vec::new();
    let mut receiving = Receiving::new();
    let mut last_byte = std::time::Instant::now();
    let mut buf = [0u8; 8192];
    while !stop.stopped() {
        match line.read(&mut buf) {
            Ok(0) if boundary == Boundary::Connection => break,
            Ok(0) => std::thread::sleep(Duration::from_millis(5)),
            Ok(n) => {
                pending.extend_from_slice(&buf[..n]);
                last_byte = std::time::Instant::now();
            }
            Err(e) if super::transport::timed_out(&e) => {}
            Err(_) if boundary == Boundary::Connection => break,
            Err(_) => std::thread::sleep(Duration::from_millis(10)),
        }
        if boundary == Boundary::CutOrPause
            && !receiving.job.bytes.is_empty()
            && last_byte.elapsed() >= JOB_PAUSE
        {
            std::mem::replace(&mut receiving, Receiving::new()).finish(shared, false);
        }
        match take(&mut pending, line, shared, &mut receiving, boundary) {
            Served::Open => {}
            Served::Dropped => {
                receiving.finish(shared, true);
                return;
            }
        }
    }
    receiving.finish(shared, false);
}

/// Sets when a job's paper will be all out at the printer's speed, after what it is still printing.
fn print_time(shared: &Mutex<Shared>, bytes: &[u8]) {
    let (speed, dots) = {
        let s = lock(shared);
        (s.speed_mm_s, s.dots)
    };
    let Some(speed) = speed else {
        return;
    };
    // 203 dpi: 8 dots a millimetre.
    let length_mm = super::paper::render(bytes, dots).height as f32 / 8.0;
    let mut s = lock(shared);
    let now = std::time::Instant::now();
    let from = s.paper_out_at.map_or(now, |at| at.max(now));
    s.paper_out_at = Some(from + Duration::from_secs_f32(length_mm / speed));
}

/// Acts on the complete commands in `pending` and removes them.
fn take(
    pending: &mut Vec<u8>,
    line: &mut impl Write,
    shared: &Mutex<Shared>,
    receiving: &mut Receiving,
    boundary: Boundary,
) -> Served {
    let mut ops = spans(pending);
    // A command at the very end may still be arriving: keep it for the next read.
    if matches!(ops.last(), Some((Op::Unknown(_), span)) if span.end == pending.len()) {
        ops.pop();
    }
    let mut consumed = 0;
    for (op, span) in ops {
        let raw = &pending[span.clone()];
        consumed = span.end;
        let mut s = lock(shared);
        if let Op::StatusRequest(n) = op {
            if s.hung {
                continue;
            }
            let replies = s.state.replies();
            let byte = match n {
                1 => replies[0],
                2 => replies[1],
                _ => replies[2],
            };
            drop(s);
            let _ = line.write_all(&[byte]).and_then(|()| line.flush());
            continue;
        }
        let job = &mut receiving.job;
        let printing = s.state.online && !s.state.cover_open && s.state.paper != Paper::Out;
        if !printing {
            job.cut_short = true;
            continue;
        }
        if let Some(left) = s.paper_left.as_mut() {
            *left = left.saturating_sub(raw.len());
            if *left == 0 {
                s.state.paper = Paper::Out;
                s.paper_left = None;
            }
        }
        job.first_byte_at
            .get_or_insert_with(std::time::Instant::now);
        job.bytes.extend_from_slice(raw);
        s.received += raw.len();
        if s.hang_after.is_some_and(|after| job.bytes.len() >= after) {
            s.hung = true;
        }
        let drop_now = s.drop_after.is_some_and(|after| job.bytes.len() >= after);
        if drop_now {
            s.drop_after = None;
        }
        drop(s);
        let mut cut = false;
        match op {
            Op::Text(t) => receiving.line.extend_from_slice(&t),
            Op::LineFeed => {
                let text = encoding_rs::GB18030.decode(&receiving.line).0.into_owned();
                receiving.job.lines.push(text);
                receiving.line.clear();
            }
            Op::Cut { .. } => {
                receiving.job.finished = true;
                cut = true;
                print_time(shared, &receiving.job.bytes);
            }
            Op::Feed(_) => receiving.job.finished = true,
            _ => {}
        }
        if drop_now {
            pending.drain(..consumed);
            return Served::Dropped;
        }
        if cut && boundary == Boundary::CutOrPause {
            std::mem::replace(receiving, Receiving::new()).finish(shared, false);
        }
    }
    pending.drain(..consumed);
    Served::Open
}
