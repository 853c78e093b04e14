//! Staff accounts of the console: added on the command line (`kiosk-hub staff add`), the password kept only
//! as an argon2 hash; a login gives a random token, kept only as its SHA-256, valid for a working day. Five
//! wrong passwords in a row lock the account for fifteen minutes. Each member has a role the hub enforces
//! on every call: a guide gives remote guidance, a reviewer decides the applications of the departments
//! named, an operator runs the fleet, an admin may do all of it, for every department.

use kiosk_proto::assist::Staff;
use sqlx::Row;

use crate::audit::Entry;
use crate::fleet::sha256_hex;
use crate::store::{now_ms, random_hex, HubError, Store};

/// How long a console login lasts.
pub const LOGIN_MS: i64 = 12 * 3600 * 1000;

/// The cookie the console's login is carried in.
pub const COOKIE: &str = "kiosk_staff";

/// Wrong passwords in a row that lock an account, and for how long.
pub const MAX_FAILED: i64 = 5;
pub const LOCK_MS: i64 = 15 * 60 * 1000;

/// What a staff member may do.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    serde::Serialize,
    serde::Deserialize,
    clap::ValueEnum,
    utoipa::ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Remote guidance (远程导办) only.
    Guide,
    /// Decides the applications of their departments (受理, 补正, 办结).
    Reviewer,
    /// Runs the fleet: terminals, alerts, settings and commands (运维).
    Operator,
    /// Everything, for every department.
    Admin,
}

impl Role {
    pub fn name(self) -> &'static str {
        match self {
            Role::Guide => "guide",
            Role::Reviewer => "reviewer",
            Role::Operator => "operator",
            Role::Admin => "admin",
        }
    }

    fn parse(name: &str) -> Option<Role> {
        [Role::Guide, Role::Reviewer, Role::Operator, Role::Admin]
            .into_iter()
            .find(|r| r.name() == name)
    }
}

/// A logged-in staff member.
#[derive(Debug, Clone)]
pub struct Member {
    pub username: String,
    pub staff: Staff,
    pub role: Role,
    /// The departments a reviewer decides for (as the catalogue names them, in Chinese).
    pub departments: Vec<String>,
}

impl Member {
    /// Whether they may give remote guidance.
    pub fn guides(&self) -> bool {
        matches!(self.role, Role::Guide | Role::Admin)
    }

    /// Whether they review at all.
    pub fn reviews_any(&self) -> bool {
        matches!(self.role, Role::Reviewer | Role::Admin)
    }

    /// Whether they may see and decide the applications of `department`.
    pub fn reviews(&self, department: &str) -> bool {
        match self.role {
            Role::Admin => true,
            Role::Reviewer => self.departments.iter().any(|d| d == department),
            Role::Guide | Role::Operator => false,
        }
    }

    /// Whether they run the fleet (the operators' console).
    pub fn operates(&self) -> bool {
        matches!(self.role, Role::Operator | Role::Admin)
    }
}

/// Why a login was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refused {
    /// Wrong user name or password.
    Wrong,
    /// Too many wrong passwords: locked until this time (Unix ms).
    Locked(i64),
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
    check_badge(name, number)?;
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

/// Gives `username` a role and, for a reviewer, the departments they decide for (an admin's and a guide's
/// are not used). Their logins end, so the new rights hold at once.
pub async fn grant(
    store: &Store,
    username: &str,
    role: Role,
    departments: &[String],
) -> Result<(), HubError> {
    check_role(role, departments)?;
    let departments: Vec<&str> = departments
        .iter()
        .map(|d| d.trim())
        .filter(|d| !d.is_empty())
        .collect();
    let done = sqlx::query("UPDATE staff SET role = $1, departments = $2 WHERE username = $3")
        .bind(role.name())
        .bind(serde_json::to_string(&departments).expect("names serialise"))
        .bind(username)
        .execute(store.pool())
        .await?;
    if done.rows_affected() == 0 {
        return Err(HubError::NotFound(format!("no staff member {username}")));
    }
    sqlx::query("DELETE FROM staff_logins WHERE username = $1")
        .bind(username)
        .execute(store.pool())
        .await?;
    Ok(())
}

/// What citizens see of a staff member: a name and a staff number.
fn check_badge(name: &str, number: &str) -> Result<(), HubError> {
    if name.trim().is_empty() || name.chars().count() > 20 {
        return Err(HubError::BadRequest(
            "the name shown to citizens is 1 to 20 characters".into(),
        ));
    }
    if number.trim().is_empty() || number.chars().count() > 16 {
        return Err(HubError::BadRequest(
            "the staff number is 1 to 16 characters".into(),
        ));
    }
    Ok(())
}

fn check_role(role: Role, departments: &[String]) -> Result<(), HubError> {
    if role == Role::Reviewer && departments.iter().all(|d| d.trim().is_empty()) {
        return Err(HubError::BadRequest(
            "a reviewer decides for at least one department (--department, as the catalogue names it)"
                .into(),
        ));
    }
    Ok(())
}

/// Adds or changes an account whole (the command line's `staff add`, an admin in the console), its role
/// checked before anything is written: a new account needs a password; an existing one keeps its own
/// unless one is given. Audited as done `by` (an admin's name, or the command line).
pub async fn save(
    store: &Store,
    by: &str,
    username: &str,
    (name, number): (&str, &str),
    password: Option<&str>,
    role: Role,
    departments: &[String],
) -> Result<(), HubError> {
    check_role(role, departments)?;
    match password {
        Some(password) => add(store, username, name, number, password).await?,
        None => {
            check_badge(name, number)?;
            let done = sqlx::query("UPDATE staff SET name = $1, number = $2 WHERE username = $3")
                .bind(name.trim())
                .bind(number.trim())
                .bind(username)
                .execute(store.pool())
                .await?;
            if done.rows_affected() == 0 {
                return Err(HubError::BadRequest(
                    "a new account needs a password (at least 8 characters)".into(),
                ));
            }
        }
    }
    grant(store, username, role, departments).await?;
    let detail = serde_json::json!({
        "role": role.name(),
        "departments": departments,
        "password_set": password.is_some(),
    });
    crate::audit::record(
        store,
        &Entry::new(by, "staff_saved", username, &detail.to_string()),
    )
    .await?;
    Ok(())
}

/// Checks a password; a new login token when it is right. The account is locked after [`MAX_FAILED`]
/// wrong passwords in a row, for [`LOCK_MS`], even for the right one.
pub async fn login(
    store: &Store,
    username: &str,
    password: &str,
) -> Result<Result<String, Refused>, HubError> {
    let row = sqlx::query(
        "SELECT password_hash, failed_logins, locked_until_ms FROM staff WHERE username = $1",
    )
    .bind(username)
    .fetch_optional(store.pool())
    .await?;
    let now = now_ms();
    let (stored, failed, locked_until): (String, i64, i64) = match row {
        Some(row) => (row.try_get(0)?, row.try_get(1)?, row.try_get(2)?),
        // Hash anyway, so an unknown name takes as long as a wrong password.
        None => {
            let _ = hash(password);
            return Ok(Err(Refused::Wrong));
        }
    };
    if locked_until > now {
        return Ok(Err(Refused::Locked(locked_until)));
    }
    match kiosk_proto::secret::verify(&stored, password) {
        None => {
            return Err(crate::store::damaged(format!(
                "staff {username}: password hash"
            )))
        }
        Some(false) => {
            let failed = failed + 1;
            let locked = failed >= MAX_FAILED;
            sqlx::query(
                "UPDATE staff SET failed_logins = $1, locked_until_ms = $2 WHERE username = $3",
            )
            .bind(if locked { 0 } else { failed })
            .bind(if locked { now + LOCK_MS } else { 0 })
            .bind(username)
            .execute(store.pool())
            .await?;
            let action = if locked {
                "login_locked"
            } else {
                "login_failed"
            };
            crate::audit::record(store, &Entry::new(username, action, username, "")).await?;
            if locked {
                tracing::warn!(
                    user = username,
                    "console account locked after {MAX_FAILED} wrong passwords"
                );
                return Ok(Err(Refused::Locked(now + LOCK_MS)));
            }
            return Ok(Err(Refused::Wrong));
        }
        Some(true) => {}
    }
    if failed > 0 {
        sqlx::query("UPDATE staff SET failed_logins = 0 WHERE username = $1")
            .bind(username)
            .execute(store.pool())
            .await?;
    }
    let token = random_hex::<32>();
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
    crate::audit::record(store, &Entry::new(username, "login", username, "")).await?;
    Ok(Ok(token))
}

/// The staff member a login token belongs to, while it lasts.
pub async fn authenticate(store: &Store, token: &str) -> Result<Option<Member>, HubError> {
    let row = sqlx::query(
        "SELECT s.username, s.name, s.number, s.role, s.departments FROM staff_logins l \
         JOIN staff s ON s.username = l.username WHERE l.token_hash = $1 AND l.expires_ms > $2",
    )
    .bind(sha256_hex(token))
    .bind(now_ms())
    .fetch_optional(store.pool())
    .await?;
    let Some(row) = row else { return Ok(None) };
    let username: String = row.try_get(0)?;
    let role: String = row.try_get(3)?;
    let departments: String = row.try_get(4)?;
    Ok(Some(Member {
        role: Role::parse(&role)
            .ok_or_else(|| crate::store::damaged(format!("staff {username}: role {role:?}")))?,
        departments: serde_json::from_str(&departments)
            .map_err(|_| crate::store::damaged(format!("staff {username}: departments")))?,
        staff: Staff {
            name: row.try_get(1)?,
            number: row.try_get(2)?,
        },
        username,
    }))
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

/// A staff account as an admin sees it (never its password).
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Account {
    pub username: String,
    pub name: String,
    pub number: String,
    pub role: Role,
    pub departments: Vec<String>,
    /// Locked after wrong passwords until this time (Unix ms; 0: not locked).
    pub locked_until_ms: i64,
}

/// Every staff account, by user name.
pub async fn accounts(store: &Store) -> Result<Vec<Account>, HubError> {
    let rows = sqlx::query(
        "SELECT username, name, number, role, departments, locked_until_ms FROM staff ORDER BY username",
    )
    .fetch_all(store.pool())
    .await?;
    let now = now_ms();
    rows.iter()
        .map(|row| {
            let username: String = row.try_get(0)?;
            let role: String = row.try_get(3)?;
            let departments: String = row.try_get(4)?;
            let locked: i64 = row.try_get(5)?;
            Ok(Account {
                role: Role::parse(&role)
                    .ok_or_else(|| crate::store::damaged(format!("staff {username}: role")))?,
                departments: serde_json::from_str(&departments)
                    .map_err(|_| crate::store::damaged(format!("staff {username}: departments")))?,
                name: row.try_get(1)?,
                number: row.try_get(2)?,
                locked_until_ms: if locked > now { locked } else { 0 },
                username,
            })
        })
        .collect()
}

/// Ends a lockout (an admin who knows the person: `by`).
pub async fn unlock(store: &Store, by: &str, username: &str) -> Result<(), HubError> {
    let done =
        sqlx::query("UPDATE staff SET failed_logins = 0, locked_until_ms = 0 WHERE username = $1")
            .bind(username)
            .execute(store.pool())
            .await?;
    if done.rows_affected() == 0 {
        return Err(HubError::NotFound(format!("no staff member {username}")));
    }
    crate::audit::record(store, &Entry::new(by, "staff_unlocked", username, "")).await?;
    Ok(())
}
