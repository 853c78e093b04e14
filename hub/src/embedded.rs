//! A hub inside another program: the terminal's demo (`kiosk demo`) and the terminal's tests run one on
//! loopback with its own runtime. It can be stopped and started again on the same address, which is how
//! the demo panel cuts and restores the network.

use std::net::SocketAddr;
use std::sync::Mutex;

use crate::store::{Store, StoreError};

pub struct EmbeddedHub {
    runtime: tokio::runtime::Runtime,
    store: Store,
    address: SocketAddr,
    stop: Mutex<Option<tokio::sync::oneshot::Sender<()>>>,
    /// Served over TLS with this configuration.
    tls: Option<std::sync::Arc<rustls::ServerConfig>>,
}

#[derive(Debug, thiserror::Error)]
pub enum EmbeddedError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("the embedded hub: {0}")]
    Io(#[from] std::io::Error),
}

impl EmbeddedHub {
    /// Opens the database at `db` and serves it on a free loopback port.
    pub fn start(db: &str) -> Result<EmbeddedHub, EmbeddedError> {
        EmbeddedHub::start_with(db, None)
    }

    /// [`EmbeddedHub::start`] over TLS (see [`crate::tls`]).
    pub fn start_tls(
        db: &str,
        tls: std::sync::Arc<rustls::ServerConfig>,
    ) -> Result<EmbeddedHub, EmbeddedError> {
        EmbeddedHub::start_with(db, Some(tls))
    }

    fn start_with(
        db: &str,
        tls: Option<std::sync::Arc<rustls::ServerConfig>>,
    ) -> Result<EmbeddedHub, EmbeddedError> {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("hub")
            .enable_all()
            .build()?;
        let store = runtime.block_on(Store::open(db))?;
        // The first listener is served as it is: dropping it to bind its port again would let another
        // program take the port in between.
        let listener = runtime.block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))?;
        let hub = EmbeddedHub {
            address: listener.local_addr()?,
            runtime,
            store,
            stop: Mutex::new(None),
            tls,
        };
        hub.serve(listener);
        Ok(hub)
    }

    fn serve(&self, listener: tokio::net::TcpListener) {
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        let (store, stopped) = (self.store.clone(), async {
            let _ = rx.await;
        });
        match &self.tls {
            Some(tls) => {
                self.runtime
                    .spawn(crate::serve_tls(listener, tls.clone(), store, stopped));
            }
            None => {
                self.runtime.spawn(crate::serve(listener, store, stopped));
            }
        }
        *self.stop.lock().unwrap_or_else(|e| e.into_inner()) = Some(tx);
    }

    pub fn url(&self) -> String {
        let scheme = if self.tls.is_some() { "https" } else { "http" };
        format!("{scheme}://{}", self.address)
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    /// Runs `future` on the hub's runtime (store calls from synchronous code).
    pub fn block_on<F: std::future::Future>(&self, future: F) -> F::Output {
        self.runtime.block_on(future)
    }

    pub fn is_up(&self) -> bool {
        self.stop.lock().map(|s| s.is_some()).unwrap_or(false)
    }

    /// Serves again on the same address (after [`EmbeddedHub::pause`]).
    pub fn resume(&self) -> std::io::Result<()> {
        if self.is_up() {
            return Ok(());
        }
        let listener = self
            .runtime
            .block_on(tokio::net::TcpListener::bind(self.address))?;
        self.serve(listener);
        Ok(())
    }

    /// Stops serving: connections are refused until [`EmbeddedHub::resume`].
    pub fn pause(&self) {
        let taken = self.stop.lock().unwrap_or_else(|e| e.into_inner()).take();
        if let Some(stop) = taken {
            let _ = stop.send(());
            // Until the port refuses connections (a graceful shutdown may take a moment), at most 5 s.
            let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
            while std::net::TcpStream::connect(self.address).is_ok()
                && std::time::Instant::now() < deadline
            {
                std::thread::sleep(std::time::Duration::from_millis(5));
            }
        }
    }
}
