//! Queue tickets, numbered per hall, service and day without gaps or repeats however many terminals ask at
//! once: the counter is bumped and read in one statement (an upsert with RETURNING, on SQLite and on
//! PostgreSQL), and the ticket is stored in the same transaction.

use kiosk_proto::fleet::TicketReply;
use sqlx::Row;

use crate::store::{now_ms, HubError, Store};

/// The calendar day (`2026-11-23`) in China (UTC+8 all year, no daylight saving) at `ms` (Unix ms): the
/// day tickets are counted in.
pub fn china_day(ms: i64) -> String {
    kiosk_proto::application::Date::china(ms).to_string()
}

/// The next ticket for `service` in the hall of `device_id`.
pub async fn take(store: &Store, device_id: &str, service: &str) -> Result<TicketReply, HubError> {
    let service = service.trim();
    if service.is_empty() || service.chars().count() > 64 {
        return Err(HubError::BadRequest(
            "service must be 1 to 64 characters".into(),
        ));
    }
    let now = now_ms();
    let day = china_day(now);
    let mut tx = store.pool().begin().await?;
    // The write comes first, so the transaction holds the write lock from its first statement (SQLite) or
    // the counter row's lock (PostgreSQL) until it commits: concurrent terminals queue here.
    let number: i64 = sqlx::query(
        "INSERT INTO ticket_counters (hall, service, day, last) \
         SELECT hall, $2, $3, 1 FROM devices WHERE device_id = $1 \
         ON CONFLICT (hall, service, day) DO UPDATE SET last = ticket_counters.last + 1 \
         RETURNING last",
    )
    .bind(device_id)
    .bind(service)
    .bind(&day)
    .fetch_one(&mut *tx)
    .await?
    .try_get(0)?;
    let hall: String = sqlx::query("SELECT hall FROM devices WHERE device_id = $1")
        .bind(device_id)
        .fetch_one(&mut *tx)
        .await?
        .try_get(0)?;
    sqlx::query(
        "INSERT INTO tickets (hall, service, day, number, device_id, issued_ms) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(&hall)
    .bind(service)
    .bind(&day)
    .bind(number)
    .bind(device_id)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    let waiting: i64 = sqlx::query(
        "SELECT COUNT(*) FROM tickets WHERE hall = $1 AND service = $2 AND day = $3 \
         AND number < $4 AND called_ms IS NULL",
    )
    .bind(&hall)
    .bind(service)
    .bind(&day)
    .bind(number)
    .fetch_one(&mut *tx)
    .await?
    .try_get(0)?;
    tx.commit().await?;
    Ok(TicketReply {
        hall,
        service: service.to_string(),
        day,
        number: number as u64,
        waiting: waiting as u64,
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_day_turns_at_midnight_in_china() {
        // 2026-11-22 15:59:59 UTC is 23:59:59 in Suzhou; a second later it is the 23rd.
        let before = 1_795_363_199_000;
        assert_eq!(super::china_day(before), "2026-11-22");
        assert_eq!(super::china_day(before + 1000), "2026-11-23");
        assert_eq!(super::china_day(0), "1970-01-01");
        assert_eq!(
            super::china_day(951_782_400_000 - 8 * 3600 * 1000),
            "2000-02-29"
        );
    }
}
