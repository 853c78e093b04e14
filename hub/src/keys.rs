//! The hub's signing key, rotated (`kiosk-hub keys rotate`): documents, licence codes and technicians'
//! lists are signed with a new key from the hub's next start, every key carries its id (its public key)
//! and `/v1/keys` lists the retired ones too, so what an earlier key signed still checks, on the terminals
//! and at `/v1/verify`. Every terminal is asked to fetch the keys again.

use sqlx::Row;

use crate::audit::Entry;
use crate::store::{
    now_ms, public_keys, random_hex, signing_key_from_hex, HubError, Store, RETIRED_KEYS,
};

/// What a rotation did: the old key's id and the new one's, and how many terminals were asked to fetch
/// the keys again.
#[derive(Debug, Clone)]
pub struct Rotated {
    pub old: String,
    pub new: String,
    pub terminals: u64,
}

/// Makes a new signing key, keeps the old one's public half among the retired keys, audits it as done
/// `by`, and queues `refresh_keys` for every terminal. Hub processes sign with the key they read when they
/// started: restart them.
pub async fn rotate(store: &Store, by: &str) -> Result<Rotated, HubError> {
    let seed = zeroize::Zeroizing::new(random_hex::<32>());
    let mut tx = store.pool().begin().await?;
    // The retired list first: the write lock (SQLite) and the row lock (PostgreSQL) before anything is read.
    sqlx::query("UPDATE secrets SET value = value WHERE name = $1")
        .bind(RETIRED_KEYS)
        .execute(&mut *tx)
        .await?;
    let read =
        |name: &'static str| sqlx::query("SELECT value FROM secrets WHERE name = $1").bind(name);
    let old_seed: zeroize::Zeroizing<String> =
        zeroize::Zeroizing::new(read("signing_key").fetch_one(&mut *tx).await?.try_get(0)?);
    let retired: String = read(RETIRED_KEYS).fetch_one(&mut *tx).await?.try_get(0)?;
    let old = signing_key_from_hex(&old_seed)?;
    let new = signing_key_from_hex(&seed)?;
    let old_id = kiosk_proto::verify::public_key_hex(&old.verifying_key());
    let new_id = kiosk_proto::verify::public_key_hex(&new.verifying_key());
    let mut kept: Vec<String> = vec![old_id.clone()];
    kept.extend(
        public_keys(&retired)?
            .iter()
            .map(kiosk_proto::verify::public_key_hex),
    );
    for (name, value) in [
        ("signing_key", seed.as_str()),
        (RETIRED_KEYS, &kept.join(",")),
    ] {
        sqlx::query("UPDATE secrets SET value = $1 WHERE name = $2")
            .bind(value)
            .bind(name)
            .execute(&mut *tx)
            .await?;
    }
    crate::audit::append(
        &mut tx,
        &Entry::new(
            by,
            "signing_key_rotated",
            &new_id,
            &format!("retired {old_id}"),
        ),
    )
    .await?;
    tx.commit().await?;
    let devices = sqlx::query("SELECT device_id FROM devices")
        .fetch_all(store.pool())
        .await?;
    for row in &devices {
        let device: String = row.try_get(0)?;
        crate::remote::queue(store, &device, "refresh_keys", by).await?;
    }
    tracing::warn!(by, old = %old_id, new = %new_id, at = now_ms(), "signing key rotated");
    Ok(Rotated {
        old: old_id,
        new: new_id,
        terminals: devices.len() as u64,
    })
}
