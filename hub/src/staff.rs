//! Staff accounts for the remote-guidance console: added on the command line (`kiosk-hub staff add`), the
//! password kept only as an argon2 hash; a login gives a random token, kept only as its SHA-256, valid
//! for a working day.

use kiosk_proto::assist::Staff;
use sqlx::Row;

use crate::fleet::sha256_hex;
use crate::store::{now_ms, random_hex, HubError, Store};

/// How long a console login lasts.
pub const LOGIN_MS: i64 = 12 * 3600 * 1000;

/// The cookie the console's login is carried in.
pub const COOKIE: &str = "kiosk_staff";

/// A logged-in staff member.
#[derive(Debug, Clone)]
pub struct Member {
    pub username: String,
    pub staff: Staff,
}

fn hash(password: &str) -> String {
    kiosk_proto::secret::hash(password)
}

/// Adds a staff member, or replaces their name, number and password.
pub async fn add(
    store: &Store,
    username: &str,
    name: &str,
    number: &str,
    password: &str,
) -> Result<(), HubError> {
    let bad = |why: &str| Err(HubError::BadRequest(why.to_string()));
    if username.is_empty()
        || username.len() > 32
        || !username
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "._-".contains(c))
    {
        return bad("the user name is 1 to 32 letters, digits, '.', '_' or '-'");
    }
    if name.trim().is_empty() || name.chars().count() > 20 {
        return bad("the name shown to citizens is 1 to 20 characters");
    }
    if number.trim().is_empty() || number.chars().count() > 16 {
        return bad("the staff number is 1 to 16 characters");
    }
    if password.chars().count() < 8 {
        return bad("the password has at least 8 characters");
    }
    sqlx::query(
        "INSERT INTO staff (username, name, number, password_hash, created_ms) VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (username) DO UPDATE SET name = excluded.name, number = excluded.number, \
         password_hash = excluded.password_hash",
    )
    .bind(username)
    .bind(name.trim())
    .bind(number.trim())
    .bind(hash(password))
    .bind(now_ms())
    .execute(store.pool())
    .await?;
    // A new password ends the old logins.
    sqlx::query("DELETE FROM staff_logins WHERE username = $1")
        .bind(username)
        .execute(store.pool())
        .await?;
    Ok(())
}

/// Checks a password; a new login token when it is right.
pub async fn login(
    store: &Store,
    username: &str,
    password: &str,
) -> Result<Option<String>, HubError> {
    let row = sqlx::query("SELECT password_hash FROM staff WHERE username = $1")
        .bind(username)
        .fetch_optional(store.pool())
        .await?;
    let stored: String = match row {
        Some(row) => row.try_get(0)?,
        // Hash anyway, so an unknown name takes as long as a wrong password.
        None => {
            let _ = hash(password);
            return Ok(None);
        }
    };
    match kiosk_proto::secret::verify(&stored, password) {
        None => {
            return Err(crate::store::damaged(format!(
                "staff {username}: password hash"
            )))
        }
        Some(false) => return Ok(None),
        Some(true) => {}
    }
    let token = random_hex::<32>();
    let now = now_ms();
    sqlx::query("DELETE FROM staff_logins WHERE expires_ms < $1")
        .bind(now)
        .execute(store.pool())
        .await?;
    sqlx::query("INSERT INTO staff_logins (token_hash, username, expires_ms) VALUES ($1, $2, $3)")
        .bind(sha256_hex(&token))
        .bind(username)
        .bind(now + LOGIN_MS)
        .execute(store.pool())
        .await?;
    Ok(Some(token))
}

/// The staff member a login token belongs to, while it lasts.
pub async fn authenticate(store: &Store, token: &str) -> Result<Option<Member>, HubError> {
    let row = sqlx::query(
        "SELECT s.username, s.name, s.number FROM staff_logins l JOIN staff s ON s.username = l.username \
         WHERE l.token_hash = $1 AND l.expires_ms > $2",
    )
    .bind(sha256_hex(token))
    .bind(now_ms())
    .fetch_optional(store.pool())
    .await?;
    Ok(match row {
        Some(row) => Some(Member {
            username: row.try_get(0)?,
            staff: Staff {
                name: row.try_get(1)?,
                number: row.try_get(2)?,
            },
        }),
        None => None,
    })
}

/// Ends a login.
pub async fn logout(store: &Store, token: &str) -> Result<(), HubError> {
    sqlx::query("DELETE FROM staff_logins WHERE token_hash = $1")
        .bind(sha256_hex(token))
        .execute(store.pool())
        .await?;
    Ok(())
}

/// The staff member `username`, as the citizen sees them.
pub async fn badge(store: &Store, username: &str) -> Result<Option<Staff>, HubError> {
    let row = sqlx::query("SELECT name, number FROM staff WHERE username = $1")
        .bind(username)
        .fetch_optional(store.pool())
        .await?;
    Ok(match row {
        Some(row) => Some(Staff {
            name: row.try_get(0)?,
            number: row.try_get(1)?,
        }),
        None => None,
    })
}
