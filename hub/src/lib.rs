//! `kiosk-hub`: the central server the terminals sync with: the database (SQLite or PostgreSQL), terminal
//! enrolment with one-time codes, credentials, heartbeats and commands, the fleet listing, the versioned
//! catalogue with ETags, cases, signed documents and print claims, queue tickets, ratings and audit events
//! through one idempotent ingest, health and metrics; the remote-guidance relay, the back office's review
//! desk, the operators' fleet page and the staff console (`/console`); the demo seed and a load generator.

pub mod api;
pub mod applications;
pub mod assist;
pub mod audit;
pub mod bus;
pub mod cases;
pub mod catalogue;
pub mod documents;
pub mod embedded;
pub mod enterprises;
pub mod events;
pub mod fleet;
pub mod guard;
pub mod http;
pub mod keys;
pub mod loadgen;
pub mod memory;
pub mod operations;
pub mod privacy;
pub mod ratings;
pub mod remote;
pub mod review;
pub mod seed;
pub mod signin;
pub mod staff;
pub mod store;
pub mod supplements;
pub mod tickets;
pub mod tls;
pub mod uploads;

pub use api::{router, Hub};
pub use store::Store;

/// Serves the hub on `listener` (plain HTTP: on loopback, or behind a TLS proxy) until `shutdown`
/// resolves.
pub async fn serve(
    listener: tokio::net::TcpListener,
    store: Store,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    serve_on(listener, Hub::new(store), shutdown).await
}

/// Serves the hub over TLS on `listener` with `tls` (see [`tls::server_config`]) until `shutdown`
/// resolves; the console's login cookie is `Secure`.
pub async fn serve_tls(
    listener: tokio::net::TcpListener,
    tls: std::sync::Arc<rustls::ServerConfig>,
    store: Store,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let mut hub = Hub::new(store);
    hub.secure_cookies = true;
    serve_on(tls::TlsListener::new(listener, tls)?, hub, shutdown).await
}

async fn serve_on<L>(
    listener: L,
    hub: Hub,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()>
where
    L: axum::serve::Listener,
    L::Addr: std::fmt::Debug,
{
    let store = hub.store.clone();
    // The operations audit kept before the hash chain joins it (once).
    if let Err(error) = audit::adopt_legacy(&store).await {
        tracing::error!(%error, "cannot move the earlier operations audit into the audit chain");
    }
    let flusher = tokio::spawn(fleet::flush_forever(store.clone()));
    let served = axum::serve(listener, router(hub))
        .with_graceful_shutdown(shutdown)
        .await;
    flusher.abort();
    if let Err(error) = fleet::flush_beats(&store).await {
        tracing::error!(%error, "cannot write the last heartbeats");
    }
    served
}
