//! Applications (自助申报) on their way to the hub: an application is written with its pages in one SQLite
//! transaction, sealed (ChaCha20-Poly1305) with the terminal's key, which lives in a file of its own beside
//! the database: a copy of the database alone reads as noise. Its 申报编号 comes from the same transaction
//! (the device's id and a sequence), so the receipt prints at once, hub or no hub. Delivery sends the pages
//! the hub lacks first (a page the hub holds is never sent again), then the application, idempotent on its
//! id; once the hub has answered, the pages and form values are deleted and only the receipt's masked facts
//! stay (to print it again).

use std::path::{Path, PathBuf};

use chacha20poly1305::aead::{Aead, KeyInit};
use chacha20poly1305::{ChaCha20Poly1305, Key, Nonce};
use kiosk_proto::application::{application_number, Application, ApplicationReceipt};
use rusqlite::{params, OptionalExtension};

use super::client::{HubClient, SyncError};

pub const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS applications (
    id           TEXT PRIMARY KEY,
    number       TEXT NOT NULL UNIQUE,
    service_id   TEXT NOT NULL,
    -- The application's JSON, sealed; NULL once the hub has it.
    sealed       BLOB,
    -- The receipt as printed (masked facts only), to print it again.
    receipt      TEXT NOT NULL,
    -- waiting, sent or refused (the hub will never take it: technicians see why).
    state        TEXT NOT NULL,
    created_ms   INTEGER NOT NULL,
    sent_ms      INTEGER,
    promised_on  TEXT,
    problem      TEXT
);
CREATE TABLE IF NOT EXISTS application_pages (
    application_id TEXT NOT NULL,
    sha256         TEXT NOT NULL,
    sealed         BLOB NOT NULL,
    PRIMARY KEY (application_id, sha256)
);
CREATE TABLE IF NOT EXISTS application_numbers (
    device_id TEXT PRIMARY KEY,
    last      INTEGER NOT NULL
);
";

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("applications: {0}")]
    Sql(#[from] rusqlite::Error),
    #[error("the terminal's key {path}: {why}")]
    Key { path: String, why: String },
    #[error("a sealed record does not open with this terminal's key (the key file was replaced?)")]
    Unsealable,
    #[error("an application opened but does not parse: {0}")]
    Damaged(String),
}

/// Where an application stands on this terminal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum Delivered {
    /// In the terminal, sealed, waiting for the hub.
    Waiting,
    /// The hub has it (the case is made); its values and pages are gone from here.
    Sent,
    /// The hub refused it for good (its form changed, a bug): kept sealed for staff.
    Refused,
}

pub use crate::domain::application::Page;

/// Where an application stands on this terminal, and what the hub answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Standing {
    pub delivered: Delivered,
    /// When the hub received it (T0).
    pub sent_ms: Option<i64>,
    pub promised_on: Option<String>,
}

/// One delivery at a time in the process (the heartbeat's and a journey's): a page is never sent twice
/// because two threads found it missing at once.
static DELIVERING: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// What delivery did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Delivery {
    pub applications: u32,
    pub pages_sent: u32,
    /// Pages the hub held already (sent before a cut, or shared with another application).
    pub pages_skipped: u32,
}

pub struct Applications {
    db: rusqlite::Connection,
    cipher: ChaCha20Poly1305,
}

/// The key file beside `database`: `kiosk.db` → `kiosk.db.key`.
pub fn key_path(database: &Path) -> PathBuf {
    let mut name = database.as_os_str().to_owned();
    name.push(".key");
    PathBuf::from(name)
}

/// The terminal's key, made (32 random bytes, mode 600) the first time; wiped from memory when dropped (the
/// cipher made from it wipes its own copy).
fn key(path: &Path) -> Result<zeroize::Zeroizing<[u8; 32]>, StoreError> {
    let bad = |why: String| StoreError::Key {
        path: path.display().to_string(),
        why,
    };
    match std::fs::read(path).map(zeroize::Zeroizing::new) {
        Ok(bytes) => <[u8; 32]>::try_from(bytes.as_slice())
            .map(zeroize::Zeroizing::new)
            .map_err(|_| bad("not 32 bytes long".into())),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
            use std::io::Write;
            use std::os::unix::fs::OpenOptionsExt;
            let mut key = zeroize::Zeroizing::new([0u8; 32]);
            getrandom::fill(key.as_mut()).map_err(|e| bad(e.to_string()))?;
            let temporary = path.with_extension("key.new");
            let mut file = std::fs::OpenOptions::new()
                .write(true)
                .create(true)
                .truncate(true)
                .mode(0o600)
                .open(&temporary)
                .map_err(|e| bad(e.to_string()))?;
            file.write_all(key.as_ref())
                .and_then(|()| file.sync_all())
                .and_then(|()| std::fs::rename(&temporary, path))
                .map_err(|e| bad(e.to_string()))?;
            Ok(key)
        }
        Err(error) => Err(bad(error.to_string())),
    }
}

impl Applications {
    pub fn open(database: &Path) -> Result<Applications, StoreError> {
        let db = super::open_database(database, SCHEMA)?;
        let key = key(&key_path(database))?;
        Ok(Applications {
            db,
            cipher: ChaCha20Poly1305::new(Key::from_slice(key.as_ref())),
        })
    }

    /// `plain` sealed under a fresh nonce (kept in front of the ciphertext); `aad` binds it to its row.
    fn seal(&self, plain: &[u8], aad: &str) -> Vec<u8> {
        let mut nonce = [0u8; 12];
        getrandom::fill(&mut nonce).expect("the operating system's random source");
        let sealed = self
            .cipher
            .encrypt(
                Nonce::from_slice(&nonce),
                chacha20poly1305::aead::Payload {
                    msg: plain,
                    aad: aad.as_bytes(),
                },
            )
            .expect("sealing cannot fail for a buffer in memory");
        [nonce.as_slice(), &sealed].concat()
    }

    fn open_sealed(&self, sealed: &[u8], aad: &str) -> Result<Vec<u8>, StoreError> {
        if sealed.len() < 12 {
            return Err(StoreError::Unsealable);
        }
        let (nonce, body) = sealed.split_at(12);
        self.cipher
            .decrypt(
                Nonce::from_slice(nonce),
                chacha20poly1305::aead::Payload {
                    msg: body,
                    aad: aad.as_bytes(),
                },
            )
            .map_err(|_| StoreError::Unsealable)
    }

    /// The next 申报编号 of `device_id`, inside the caller's transaction.
    fn next_number(tx: &rusqlite::Connection, device_id: &str) -> rusqlite::Result<String> {
        tx.execute(
            "INSERT INTO application_numbers (device_id, last) VALUES (?1, 1) \
             ON CONFLICT (device_id) DO UPDATE SET last = last + 1",
            params![device_id],
        )?;
        let last: i64 = tx.query_row(
            "SELECT last FROM application_numbers WHERE device_id = ?1",
            params![device_id],
            |row| row.get(0),
        )?;
        Ok(application_number(device_id, last as u64))
    }

    /// Takes an application: numbers it, lets `finish` complete it with its number (the signature covers
    /// the number), and writes it sealed with its pages and the receipt `receipt` makes, in one
    /// transaction. Returns the application as written.
    pub fn submit(
        &self,
        device_id: &str,
        application: Application,
        pages: &[Page],
        finish: impl FnOnce(&mut Application),
        receipt: impl FnOnce(&Application) -> String,
    ) -> Result<Application, StoreError> {
        let tx = super::write_transaction(&self.db)?;
        let mut application = application;
        application.number = Self::next_number(&tx, device_id)?;
        finish(&mut application);
        let json = serde_json::to_vec(&application).expect("an application serialises");
        tx.execute(
            "INSERT INTO applications (id, number, service_id, sealed, receipt, state, created_ms) \
             VALUES (?1, ?2, ?3, ?4, ?5, 'waiting', ?6)",
            params![
                application.id,
                application.number,
                application.service_id,
                self.seal(&json, &application.id),
                receipt(&application),
                application.submitted_ms,
            ],
        )?;
        let named: std::collections::HashSet<String> =
            application.pages().into_iter().map(|p| p.sha256).collect();
        for page in pages {
            let sha = page.sha256();
            if named.contains(&sha) {
                tx.execute(
                    "INSERT OR IGNORE INTO application_pages (application_id, sha256, sealed) \
                     VALUES (?1, ?2, ?3)",
                    params![application.id, sha, self.seal(&page.0, &sha)],
                )?;
            }
        }
        tx.commit()?;
        Ok(application)
    }

    /// Where an application stands: with the hub's receipt time and promised date once sent.
    pub fn state(&self, id: &str) -> Result<Option<Standing>, StoreError> {
        Ok(self
            .db
            .query_row(
                "SELECT state, sent_ms, promised_on FROM applications WHERE id = ?1",
                params![id],
                |row| {
                    Ok(Standing {
                        delivered: delivered(&row.get::<_, String>(0)?),
                        sent_ms: row.get(1)?,
                        promised_on: row.get(2)?,
                    })
                },
            )
            .optional()?)
    }

    /// Replaces the receipt kept for a reprint (once the hub has the application, the receipt says so).
    pub fn keep_receipt(&self, id: &str, receipt: &str) -> Result<(), StoreError> {
        self.db.execute(
            "UPDATE applications SET receipt = ?2 WHERE id = ?1",
            params![id, receipt],
        )?;
        Ok(())
    }

    /// Applications by state (what `kiosk sync status` and the heartbeat tell).
    pub fn count(&self, state: Delivered) -> Result<u64, StoreError> {
        let name = match state {
            Delivered::Waiting => "waiting",
            Delivered::Sent => "sent",
            Delivered::Refused => "refused",
        };
        Ok(count_state(&self.db, name)?)
    }

    /// Bytes of sealed values and pages still here (none once everything is delivered).
    pub fn sealed_bytes(&self) -> Result<u64, StoreError> {
        Ok(self.db.query_row(
            "SELECT COALESCE((SELECT SUM(LENGTH(sealed)) FROM applications), 0) \
             + COALESCE((SELECT SUM(LENGTH(sealed)) FROM application_pages), 0)",
            [],
            |row| row.get::<_, i64>(0),
        )? as u64)
    }

    /// Sends every waiting application, oldest first; stops at the first failure to reach the hub (what
    /// was not acknowledged goes again next time, and pages the hub got meanwhile are not sent again).
    pub fn deliver(&self, client: &HubClient) -> Result<Delivery, DeliverError> {
        let _one = DELIVERING.lock().unwrap_or_else(|e| e.into_inner());
        let mut done = Delivery::default();
        let waiting: Vec<(String, Vec<u8>)> = {
            let mut query = self.db.prepare(
                "SELECT id, sealed FROM applications WHERE state = 'waiting' AND sealed IS NOT NULL \
                 ORDER BY created_ms",
            )?;
            let rows = query.query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?;
            rows.collect::<rusqlite::Result<_>>()?
        };
        for (id, sealed) in waiting {
            match self.deliver_one(client, &id, &sealed, &mut done) {
                Ok(()) => {}
                // This application's own record does not open (its key replaced, a page gone): it stays
                // for staff, and the ones after it still go.
                Err(DeliverError::Local(error)) => {
                    tracing::error!(%error, application = %id, "an application cannot be read to send it")
                }
                Err(error) => return Err(error),
            }
        }
        Ok(done)
    }

    /// Sends one waiting application: the pages the hub lacks, then the application.
    fn deliver_one(
        &self,
        client: &HubClient,
        id: &str,
        sealed: &[u8],
        done: &mut Delivery,
    ) -> Result<(), DeliverError> {
        let application: Application = serde_json::from_slice(&self.open_sealed(sealed, id)?)
            .map_err(|e| StoreError::Damaged(e.to_string()))?;
        let hashes: Vec<String> = application.pages().into_iter().map(|p| p.sha256).collect();
        let mut missing = Vec::new();
        for chunk in hashes.chunks(100) {
            missing.extend(client.pages_missing(chunk)?);
        }
        done.pages_skipped += (hashes.len() - missing.len()) as u32;
        for sha in &missing {
            let sealed: Vec<u8> = self.db.query_row(
                "SELECT sealed FROM application_pages WHERE application_id = ?1 AND sha256 = ?2",
                params![id, sha],
                |row| row.get(0),
            )?;
            client.put_page(sha, &self.open_sealed(&sealed, sha)?)?;
            done.pages_sent += 1;
        }
        match client.submit_application(&application) {
            Ok(receipt) => {
                self.sent(id, &receipt)?;
                done.applications += 1;
            }
            Err(SyncError::Rejected {
                status: 400,
                message,
            }) => {
                // Sending it again would be refused again: kept sealed for staff, and said.
                tracing::error!(number = %application.number, %message, "the hub refused an application for good");
                self.db.execute(
                    "UPDATE applications SET state = 'refused', problem = ?2 WHERE id = ?1",
                    params![id, message],
                )?;
            }
            Err(error) => return Err(error.into()),
        }
        Ok(())
    }

    /// The hub has the application: its values and pages are deleted in the same transaction that marks it.
    fn sent(&self, id: &str, receipt: &ApplicationReceipt) -> rusqlite::Result<()> {
        let tx = super::write_transaction(&self.db)?;
        tx.execute(
            "UPDATE applications SET state = 'sent', sealed = NULL, sent_ms = ?2, promised_on = ?3 \
             WHERE id = ?1",
            params![id, receipt.received_ms, receipt.promised_on],
        )?;
        tx.execute(
            "DELETE FROM application_pages WHERE application_id = ?1",
            params![id],
        )?;
        tx.commit()
    }
}

/// Applications waiting, sent and refused in the terminal's `database`, read without its key (what
/// `kiosk sync status` says).
pub fn counts(database: &Path) -> rusqlite::Result<[u64; 3]> {
    let db = super::open_database(database, SCHEMA)?;
    Ok([
        count_state(&db, "waiting")?,
        count_state(&db, "sent")?,
        count_state(&db, "refused")?,
    ])
}

fn count_state(db: &rusqlite::Connection, state: &str) -> rusqlite::Result<u64> {
    db.query_row(
        "SELECT COUNT(*) FROM applications WHERE state = ?1",
        params![state],
        |row| row.get::<_, i64>(0),
    )
    .map(|n| n.max(0) as u64)
}

/// The receipt of the application numbered `number` as it was printed (masked facts only), read without
/// the terminal's key.
pub fn receipt(database: &Path, number: &str) -> rusqlite::Result<Option<String>> {
    let db = super::open_database(database, SCHEMA)?;
    db.query_row(
        "SELECT receipt FROM applications WHERE number = ?1",
        params![number],
        |row| row.get(0),
    )
    .optional()
}

fn delivered(state: &str) -> Delivered {
    match state {
        "sent" => Delivered::Sent,
        "refused" => Delivered::Refused,
        _ => Delivered::Waiting,
    }
}

#[derive(Debug, thiserror::Error)]
pub enum DeliverError {
    #[error(transparent)]
    Local(#[from] StoreError),
    #[error(transparent)]
    Hub(#[from] SyncError),
}

impl From<rusqlite::Error> for DeliverError {
    fn from(error: rusqlite::Error) -> DeliverError {
        DeliverError::Local(StoreError::Sql(error))
    }
}
