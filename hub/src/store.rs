//! The hub's database through sqlx: SQLite (the embedded default, one file) or PostgreSQL (for scale),
//! chosen by the URL, with one set of migrations (`hub/migrations/`) written for both.

use sqlx::any::{AnyPoolOptions, AnyRow};
use sqlx::{AnyPool, Executor, Row};

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database {url}: {source}")]
    Open { url: String, source: sqlx::Error },
    #[error("database migrations: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("database: {0}")]
    Sql(#[from] sqlx::Error),
    #[error("{0}")]
    BadUrl(String),
    #[error("database content: {0}")]
    Damaged(String),
}

/// What a hub operation can fail with: the caller's mistake (with what to do about it), or the database.
#[derive(Debug, thiserror::Error)]
pub enum HubError {
    #[error("{0}")]
    BadRequest(String),
    #[error("{0}")]
    Forbidden(String),
    /// Nothing matches; the text says so without telling which part was wrong.
    #[error("{0}")]
    NotFound(String),
    /// Too many wrong tries; the text says when to try again.
    #[error("{0}")]
    TooMany(String),
    /// What the request names is gone for good (an upload page expired or used).
    #[error("{0}")]
    Gone(String),
    /// The request is right but cannot be taken yet (an application whose pages the hub lacks).
    #[error("{0}")]
    Conflict(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<sqlx::Error> for HubError {
    fn from(error: sqlx::Error) -> HubError {
        HubError::Store(StoreError::Sql(error))
    }
}

/// How a unit enum (a case state, a document kind) is named on the wire and in the database.
pub fn wire_name<T: serde::Serialize>(value: T) -> String {
    serde_json::to_value(value)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

/// The database holds something the hub cannot use (a bug or a hand edit), said with what.
/// A value back from its wire name (`"needs_materials"` → `CaseState::NeedsMaterials`), the inverse of
/// [`wire_name`]; a name that is not one is damage in the database (`what` says where).
pub fn from_wire_name<T: serde::de::DeserializeOwned>(
    name: &str,
    what: &str,
) -> Result<T, HubError> {
    serde_json::from_value(serde_json::Value::String(name.to_string()))
        .map_err(|_| damaged(format!("{what} {name:?}")))
}

pub fn damaged(what: String) -> HubError {
    HubError::Store(StoreError::Damaged(what))
}

/// The open database, and the hub's secrets kept in it.
#[derive(Clone)]
pub struct Store {
    pool: AnyPool,
    /// The URL opened (PostgreSQL: the remote-guidance bus listens on its own connection to it).
    url: String,
    backend: Backend,
    secrets: std::sync::Arc<Secrets>,
    memory: std::sync::Arc<crate::memory::FleetMemory>,
    /// The newest published catalogue, parsed, with its ETag (see [`crate::catalogue::published`]).
    catalogue: std::sync::Arc<std::sync::Mutex<Option<ParsedCatalogue>>>,
}

/// A parsed catalogue and the ETag of the body it came from.
pub(crate) type ParsedCatalogue = (String, std::sync::Arc<kiosk_proto::catalogue::Catalogue>);

/// Made at the database's first start and kept in it: the key documents are signed with, and the pepper
/// of holder keys (an ID number is stored only as a peppered hash).
struct Secrets {
    signing_key: ed25519_dalek::SigningKey,
    /// Keys the hub signed with before (`kiosk-hub keys rotate`), newest first: what they signed still checks.
    retired: Vec<ed25519_dalek::VerifyingKey>,
    /// Wiped when the store goes (the signing key wipes itself: ed25519-dalek's `zeroize` feature).
    pepper: zeroize::Zeroizing<String>,
}

/// The signing key whose secret seed is `hex` (64 hex digits, as the secrets table keeps it).
pub fn signing_key_from_hex(hex: &str) -> Result<ed25519_dalek::SigningKey, StoreError> {
    let seed: [u8; 32] = (0..32)
        .map(|i| u8::from_str_radix(hex.get(2 * i..2 * i + 2).unwrap_or("zz"), 16))
        .collect::<Result<Vec<u8>, _>>()
        .ok()
        .and_then(|b| b.try_into().ok())
        .ok_or_else(|| StoreError::Damaged("the stored signing key is not 64 hex digits".into()))?;
    Ok(ed25519_dalek::SigningKey::from_bytes(&seed))
}

/// The secret holding the retired keys' public halves (hex, comma-separated, newest first).
pub const RETIRED_KEYS: &str = "retired_signing_keys";

/// Public keys from their hex, comma-separated (what [`RETIRED_KEYS`] holds).
pub fn public_keys(list: &str) -> Result<Vec<ed25519_dalek::VerifyingKey>, StoreError> {
    list.split(',')
        .map(str::trim)
        .filter(|hex| !hex.is_empty())
        .map(|hex| {
            kiosk_proto::verify::parse_public_key(hex)
                .map_err(|e| StoreError::Damaged(format!("a retired signing key: {e}")))
        })
        .collect()
}

/// `N` random bytes as hex.
pub fn random_hex<const N: usize>() -> String {
    let mut bytes = [0u8; N];
    getrandom::fill(&mut bytes).expect("the operating system's random source");
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The secret named `name`, made from `fresh` the first time (every hub process sharing the database
/// agrees on the value that was stored first).
async fn secret(pool: &AnyPool, name: &str, fresh: String) -> Result<String, StoreError> {
    sqlx::query("INSERT INTO secrets (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING")
        .bind(name)
        .bind(fresh)
        .execute(pool)
        .await?;
    let row = sqlx::query("SELECT value FROM secrets WHERE name = $1")
        .bind(name)
        .fetch_one(pool)
        .await?;
    Ok(row.try_get::<String, _>(0)?)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// Milliseconds since the Unix epoch.
pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

impl Store {
    /// Opens (SQLite: creates) the database at `url` and brings its schema up to date.
    pub async fn open(url: &str) -> Result<Store, StoreError> {
        sqlx::any::install_default_drivers();
        let (backend, url) = if let Some(rest) = url.strip_prefix("sqlite://") {
            // Create the file when missing; a bare path keeps working.
            let url = if rest.contains('?') {
                url.to_string()
            } else {
                format!("{url}?mode=rwc")
            };
            (Backend::Sqlite, url)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            (Backend::Postgres, url.to_string())
        } else {
            return Err(StoreError::BadUrl(format!(
                "--db {url:?}: use sqlite://PATH (e.g. sqlite://hub.db) or postgres://USER@HOST/DB"
            )));
        };
        let options = AnyPoolOptions::new()
            .max_connections(match backend {
                // One writer at a time in SQLite; a few readers beside it in WAL mode.
                Backend::Sqlite => 4,
                Backend::Postgres => 16,
            })
            .after_connect(move |conn, _| {
                Box::pin(async move {
                    if backend == Backend::Sqlite {
                        conn.execute(
                            "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; \
                             PRAGMA busy_timeout = 5000; PRAGMA foreign_keys = ON;",
                        )
                        .await?;
                    }
                    Ok(())
                })
            });
        let pool = options
            .connect(&url)
            .await
            .map_err(|source| StoreError::Open {
                url: redact(&url),
                source,
            })?;
        sqlx::migrate!("./migrations").run(&pool).await?;
        // The key's hex is wiped once the key is made (the key wipes itself: ed25519-dalek's `zeroize`).
        let seed = zeroize::Zeroizing::new(secret(&pool, "signing_key", random_hex::<32>()).await?);
        let signing_key = signing_key_from_hex(&seed)?;
        let pepper =
            zeroize::Zeroizing::new(secret(&pool, "holder_pepper", random_hex::<32>()).await?);
        let retired = public_keys(&secret(&pool, RETIRED_KEYS, String::new()).await?)?;
        Ok(Store {
            pool,
            url,
            backend,
            secrets: std::sync::Arc::new(Secrets {
                signing_key,
                retired,
                pepper,
            }),
            memory: Default::default(),
            catalogue: Default::default(),
        })
    }

    /// What the hub keeps in memory for heartbeats (see [`crate::memory::FleetMemory`]).
    pub fn memory(&self) -> &crate::memory::FleetMemory {
        &self.memory
    }

    /// The key the hub signs documents and licence codes with.
    pub fn signing_key(&self) -> &ed25519_dalek::SigningKey {
        &self.secrets.signing_key
    }

    /// Every key a document of this hub may be signed with: the current one first, then the retired ones.
    pub fn verifying_keys(&self) -> Vec<ed25519_dalek::VerifyingKey> {
        std::iter::once(self.secrets.signing_key.verifying_key())
            .chain(self.secrets.retired.iter().copied())
            .collect()
    }

    /// How a card holder is kept: a peppered hash of the ID number (`salt` apart keys other uses).
    pub fn holder_key(&self, salt: &str, id: &str) -> String {
        sha256_hex(&format!(
            "{}:{salt}:{}",
            *self.secrets.pepper,
            id.trim().to_uppercase()
        ))
    }

    pub(crate) fn parsed_catalogue(&self) -> &std::sync::Mutex<Option<ParsedCatalogue>> {
        &self.catalogue
    }

    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    pub(crate) fn url(&self) -> &str {
        &self.url
    }

    /// A setting's value (`config_version`, `catalogue_version`).
    pub async fn setting(&self, name: &str) -> Result<i64, StoreError> {
        let row: AnyRow = sqlx::query("SELECT value FROM settings WHERE name = $1")
            .bind(name)
            .fetch_one(&self.pool)
            .await?;
        Ok(row.try_get::<i64, _>(0)?)
    }
}

/// A database URL without its password, for messages.
fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let userinfo = &url[scheme + 3..at];
            match userinfo.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..scheme + 3], &url[at..]),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

/// The SHA-256 of `text`, in hex: how credentials, codes and tokens are kept.
pub fn sha256_hex(text: &str) -> String {
    <sha2::Sha256 as sha2::Digest>::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn passwords_stay_out_of_messages() {
        assert_eq!(
            super::redact("postgres://hub:s3cret@db.local/hub"),
            "postgres://hub:***@db.local/hub"
        );
        assert_eq!(super::redact("sqlite://hub.db"), "sqlite://hub.db");
    }
}
