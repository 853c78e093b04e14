//! Queue tickets, numbered per hall, service and day without gaps or repeats however many terminals ask at
//! once: the counter is bumped and read in one statement (an upsert with RETURNING, on SQLite and on
//! PostgreSQL), and the ticket is stored in the same transaction. A tap's request id makes the call
//! idempotent: asked again after a lost answer, the same ticket comes back (none is issued to no one).

use kiosk_proto::fleet::TicketReply;
use sqlx::Row;

use crate::store::{now_ms, HubError, Store};

/// The calendar day (`2026-11-23`) in China (UTC+8 all year, no daylight saving) at `ms` (Unix ms): the
/// day tickets are counted in.
pub fn china_day(ms: i64) -> String {
    kiosk_proto::application::Date::china(ms).to_string()
}

/// The next ticket for `service` in the hall of `device_id`; for a `request_id` the terminal sent before,
/// the ticket it got then.
pub async fn take(
    store: &Store,
    device_id: &str,
    service: &str,
    request_id: Option<&str>,
) -> Result<TicketReply, HubError> {
    let service = service.trim();
    if service.is_empty() || service.chars().count() > 64 {
        return Err(HubError::BadRequest(
            "service must be 1 to 64 characters".into(),
        ));
    }
    if request_id.is_some_and(|id| id.is_empty() || id.chars().count() > 64) {
        return Err(HubError::BadRequest(
            "request_id must be 1 to 64 characters".into(),
        ));
    }
    let Some(request_id) = request_id else {
        return issue(store, device_id, service, None).await;
    };
    if let Some(ticket) = answered(store, device_id, request_id).await? {
        return Ok(ticket);
    }
    match issue(store, device_id, service, Some(request_id)).await {
        // The same request twice at once: the other one issued it (this one's insert was refused).
        Err(error) => answered(store, device_id, request_id).await?.ok_or(error),
        issued => issued,
    }
}

/// The ticket issued for `request_id` of `device_id`, if one was.
async fn answered(
    store: &Store,
    device_id: &str,
    request_id: &str,
) -> Result<Option<TicketReply>, HubError> {
    let row = sqlx::query(
        "SELECT hall, service, day, number FROM tickets WHERE device_id = $1 AND request_id = $2",
    )
    .bind(device_id)
    .bind(request_id)
    .fetch_optional(store.pool())
    .await?;
    let Some(row) = row else { return Ok(None) };
    let mut conn = store.pool().acquire().await?;
    let ticket = reply(
        &mut conn,
        row.try_get(0)?,
        row.try_get(1)?,
        row.try_get(2)?,
        row.try_get(3)?,
    )
    .await?;
    Ok(Some(ticket))
}

/// Ticket `number` as the terminal prints it, with the tickets not yet called before it.
async fn reply(
    conn: &mut sqlx::AnyConnection,
    hall: String,
    service: String,
    day: String,
    number: i64,
) -> Result<TicketReply, HubError> {
    let waiting: i64 = sqlx::query(
        "SELECT COUNT(*) FROM tickets WHERE hall = $1 AND service = $2 AND day = $3 \
         AND number < $4 AND called_ms IS NULL",
    )
    .bind(&hall)
    .bind(&service)
    .bind(&day)
    .bind(number)
    .fetch_one(conn)
    .await?
    .try_get(0)?;
    Ok(TicketReply {
        hall,
        service,
        day,
        number: number as u64,
        waiting: waiting as u64,
    })
}

async fn issue(
    store: &Store,
    device_id: &str,
    service: &str,
    request_id: Option<&str>,
) -> Result<TicketReply, HubError> {
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
        "INSERT INTO tickets (hall, service, day, number, device_id, issued_ms, request_id) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(&hall)
    .bind(service)
    .bind(&day)
    .bind(number)
    .bind(device_id)
    .bind(now)
    .bind(request_id)
    .execute(&mut *tx)
    .await?;
    let ticket = reply(&mut tx, hall, service.to_string(), day, number).await?;
    tx.commit().await?;
    Ok(ticket)
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
