//! `kiosk-hub`: the central server the terminals sync with. This part: the database (SQLite or
//! PostgreSQL), terminal enrolment with one-time codes, credentials, heartbeats, the fleet listing, the
//! versioned catalogue with ETags, health and metrics.

pub mod api;
pub mod catalogue;
pub mod embedded;
pub mod events;
pub mod fleet;
pub mod store;
pub mod tickets;

pub use api::{router, Hub};
pub use store::Store;

/// Serves the hub on `listener` until `shutdown` resolves.
pub async fn serve(
    listener: tokio::net::TcpListener,
    store: Store,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(listener, router(Hub::new(store)))
        .with_graceful_shutdown(shutdown)
        .await
}
