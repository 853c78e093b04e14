//! A named thread for blocking device I/O that stops when its handle is dropped.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// Tells a worker's loop to end.
#[derive(Clone, Default)]
pub struct StopFlag(Arc<AtomicBool>);

impl StopFlag {
    pub fn stopped(&self) -> bool {
        self.0.load(Ordering::Relaxed)
    }

    /// Sleeps for `length` in small steps so that a stop is seen quickly.
    pub fn pause(&self, length: Duration) {
        let until = Instant::now() + length;
        while !self.stopped() {
            let now = Instant::now();
            if now >= until {
                break;
            }
            std::thread::sleep((until - now).min(Duration::from_millis(50)));
        }
    }
}

/// The thread; dropping it stops the loop and waits for it.
pub struct Worker {
    stop: StopFlag,
    handle: Option<JoinHandle<()>>,
}

impl Worker {
    pub fn spawn(name: &str, body: impl FnOnce(StopFlag) + Send + 'static) -> Worker {
        let stop = StopFlag::default();
        let flag = stop.clone();
        let handle = std::thread::Builder::new()
            .name(name.into())
            .spawn(move || body(flag))
            .unwrap_or_else(|e| panic!("spawn the {name} thread: {e}"));
        Worker {
            stop,
            handle: Some(handle),
        }
    }

    pub fn stop(&mut self) {
        self.stop.0.store(true, Ordering::Relaxed);
        if let Some(handle) = self.handle.take() {
            let _ = handle.join();
        }
    }
}

impl Drop for Worker {
    fn drop(&mut self) {
        self.stop();
    }
}
