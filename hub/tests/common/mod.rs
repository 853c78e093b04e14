//! A hub on loopback over a fresh database: a temporary SQLite file, or a new PostgreSQL database dropped
//! afterwards.
#![allow(dead_code)]

use kiosk_hub::Store;
use sqlx::Connection;

/// The PostgreSQL server the tests use (trust auth on this machine and in CI).
pub fn postgres_admin() -> String {
    std::env::var("KIOSK_HUB_TEST_POSTGRES")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl std::fmt::Display for Backend {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{self:?}")
    }
}

/// The console session's cookie (`name=value`) a login answered with.
pub fn session_cookie(login: &reqwest::Response) -> String {
    login.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_string()
}

/// The anti-forgery token of the login whose cookie is `cookie` (what `/console/me` gives the page).
pub async fn csrf(hub: &Running, cookie: &str) -> String {
    csrf_at(&hub.client, &hub.base, cookie).await
}

/// [`csrf`] of the hub at `base`.
pub async fn csrf_at(client: &reqwest::Client, base: &str, cookie: &str) -> String {
    let me: serde_json::Value = client
        .get(format!("{base}/console/me"))
        .header("cookie", cookie)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    me["csrf"].as_str().unwrap().to_string()
}

pub fn backends() -> [Backend; 2] {
    [Backend::Sqlite, Backend::Postgres]
}

/// A fresh database; dropping it removes it.
pub enum Database {
    Sqlite(tempfile::TempDir, String),
    Postgres { name: String, url: String },
}

impl Database {
    pub async fn new(backend: Backend) -> Database {
        match backend {
            Backend::Sqlite => {
                let dir = tempfile::tempdir().unwrap();
                let url = format!("sqlite://{}", dir.path().join("hub.db").display());
                Database::Sqlite(dir, url)
            }
            Backend::Postgres => {
                static N: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
                let name = format!(
                    "hubtest_{}_{}_{}",
                    std::process::id(),
                    N.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
                    kiosk_hub::store::now_ms() % 1_000_000
                );
                let admin = postgres_admin();
                let mut conn = sqlx::PgConnection::connect(&admin)
                    .await
                    .unwrap_or_else(|e| {
                        panic!("PostgreSQL at {admin} (set KIOSK_HUB_TEST_POSTGRES): {e}")
                    });
                sqlx::query(&format!("CREATE DATABASE {name}"))
                    .execute(&mut conn)
                    .await
                    .unwrap();
                let base = admin.rsplit_once('/').unwrap().0;
                Database::Postgres {
                    url: format!("{base}/{name}"),
                    name,
                }
            }
        }
    }

    pub fn url(&self) -> &str {
        match self {
            Database::Sqlite(_, url) => url,
            Database::Postgres { url, .. } => url,
        }
    }
}

impl Drop for Database {
    fn drop(&mut self) {
        if let Database::Postgres { name, .. } = self {
            let name = name.clone();
            // Dropped from a plain thread: the test's runtime may be shutting down.
            let _ = std::thread::spawn(move || {
                let runtime = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .unwrap();
                runtime.block_on(async move {
                    if let Ok(mut conn) = sqlx::PgConnection::connect(&postgres_admin()).await {
                        let _ =
                            sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                                .execute(&mut conn)
                                .await;
                    }
                });
            })
            .join();
        }
    }
}

/// Serves `store` on a free port of 127.0.0.1: the base URL, the stop signal, the server's task.
async fn serve(
    store: Store,
) -> (
    String,
    tokio::sync::oneshot::Sender<()>,
    tokio::task::JoinHandle<()>,
) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(async move {
        kiosk_hub::serve(listener, store, async {
            let _ = stopped.await;
        })
        .await
        .unwrap();
    });
    (base, stop, server)
}

/// A hub serving on 127.0.0.1 (stops when dropped).
pub struct Running {
    pub backend: Backend,
    pub store: Store,
    pub client: reqwest::Client,
    pub base: String,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    server: Option<tokio::task::JoinHandle<()>>,
    // Last: the database goes after the server.
    _database: Database,
}

impl Running {
    pub async fn start(backend: Backend) -> Running {
        crate::logs::copy("tests-hub");
        let database = Database::new(backend).await;
        let store = Store::open(database.url()).await.unwrap();
        let (base, stop, server) = serve(store.clone()).await;
        Running {
            backend,
            store,
            client: reqwest::Client::new(),
            base,
            stop: Some(stop),
            server: Some(server),
            _database: database,
        }
    }

    /// A second hub process on the same database (its own connections and memory); its base URL. It
    /// stops when the returned guard is dropped.
    pub async fn another(&self) -> (String, impl Drop) {
        let store = Store::open(&self.store_url()).await.unwrap();
        let (base, stop, server) = serve(store).await;
        struct Stop(
            Option<tokio::sync::oneshot::Sender<()>>,
            tokio::task::JoinHandle<()>,
        );
        impl Drop for Stop {
            fn drop(&mut self) {
                if let Some(stop) = self.0.take() {
                    let _ = stop.send(());
                }
                self.1.abort();
            }
        }
        (base, Stop(Some(stop), server))
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// The database's URL (for a second hub process on it).
    pub fn store_url(&self) -> String {
        self._database.url().to_string()
    }

    /// A terminal enrolled with a fresh code.
    pub async fn enrolled(&self, device: &str) -> kiosk_proto::fleet::EnrollReply {
        let code = kiosk_hub::fleet::create_code(&self.store, "苏州市政务服务中心")
            .await
            .unwrap();
        let reply = self
            .client
            .post(self.url("/v1/enroll"))
            .json(&serde_json::json!({"code": code, "device_id": device}))
            .send()
            .await
            .unwrap();
        assert_eq!(reply.status(), reqwest::StatusCode::OK);
        reply.json().await.unwrap()
    }

    /// Uploads `batch` of terminal records with `credential`.
    pub async fn events(
        &self,
        credential: &str,
        batch: &kiosk_proto::fleet::EventBatch,
    ) -> reqwest::Response {
        self.client
            .post(self.url("/v1/events"))
            .bearer_auth(credential)
            .json(batch)
            .send()
            .await
            .unwrap()
    }

    /// Sends `beat` with `credential`.
    pub async fn beat(
        &self,
        credential: &str,
        beat: &kiosk_proto::fleet::Heartbeat,
    ) -> reqwest::Response {
        self.client
            .post(self.url("/v1/heartbeat"))
            .bearer_auth(credential)
            .json(beat)
            .send()
            .await
            .unwrap()
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(server) = self.server.take() {
            server.abort();
        }
    }
}
