//! The 评价 report (好差评) of the operators' console: ratings by service, hall, level and month (China
//! time), the reasons given for low ratings (1 and 2), the low ratings to follow up, and the same as CSV.
//! Counted in the database by day and folded into months here, one query for SQLite and PostgreSQL.

use std::collections::BTreeMap;

use kiosk_proto::application::Date;
use kiosk_proto::LocalText;
use serde::Serialize;
use sqlx::Row;

use crate::store::{HubError, Store};

/// China's offset from UTC: months begin at local midnight.
const CHINA_MS: i64 = 8 * 3600 * 1000;
const DAY_MS: i64 = 24 * 3600 * 1000;

/// One line of the report: a service in a hall in a month.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Line {
    /// `2026-12`
    pub month: String,
    pub hall: String,
    pub service: String,
    /// The catalogue's name for it (the journeys `print`, `ticket`, `progress` have none).
    pub service_name: Option<LocalText>,
    /// Ratings by level, 5 非常满意 first, 1 非常不满意 last.
    pub levels: [u64; 5],
    pub total: u64,
    /// 好评率: levels 3 to 5 over all (1 and 2 are 差评), in percent, one decimal.
    pub satisfied: f64,
}

/// A low rating to follow up (no one's identity: the case number, the terminal, the time).
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Low {
    pub occurred_ms: i64,
    pub hall: String,
    pub device_id: String,
    pub service: String,
    pub service_name: Option<LocalText>,
    pub case_no: Option<String>,
    pub level: u8,
    pub tags: Vec<String>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Report {
    pub lines: Vec<Line>,
    /// Reason tag → how many low ratings gave it, most first.
    pub reasons: Vec<(String, u64)>,
    /// The newest low ratings, at most [`LOW_SHOWN`].
    pub low: Vec<Low>,
}

pub const LOW_SHOWN: i64 = 500;

/// `2026-12` of a time, in China.
fn month_of(ms: i64) -> String {
    let day = Date::china(ms);
    format!("{:04}-{:02}", day.year, day.month)
}

/// The report over every rating (or those of `month`, `2026-12`).
pub async fn report(store: &Store, month: Option<&str>) -> Result<Report, HubError> {
    let names: BTreeMap<String, LocalText> = crate::catalogue::published(store)
        .await
        .map(|c| {
            c.services
                .iter()
                .map(|s| (s.id.clone(), s.name.clone()))
                .collect()
        })
        .unwrap_or_default();
    let rows = sqlx::query(
        "SELECT service, hall, (occurred_ms + $1) / $2 AS day, level, COUNT(*) FROM ratings \
         GROUP BY service, hall, day, level",
    )
    .bind(CHINA_MS)
    .bind(DAY_MS)
    .fetch_all(store.pool())
    .await?;
    let mut lines: BTreeMap<(String, String, String), [u64; 5]> = BTreeMap::new();
    for row in rows {
        let day: i64 = row.try_get(2)?;
        let month_name = month_of(day * DAY_MS - CHINA_MS);
        if month.is_some_and(|m| m != month_name) {
            continue;
        }
        let level: i64 = row.try_get(3)?;
        if !(1..=5).contains(&level) {
            continue;
        }
        let key = (month_name, row.try_get(1)?, row.try_get(0)?);
        lines.entry(key).or_default()[(5 - level) as usize] +=
            row.try_get::<i64, _>(4)?.max(0) as u64;
    }
    let lines = lines
        .into_iter()
        .rev()
        .map(|((month, hall, service), levels)| {
            let total: u64 = levels.iter().sum();
            Line {
                satisfied: if total == 0 {
                    0.0
                } else {
                    ((levels[0] + levels[1] + levels[2]) as f64 * 1000.0 / total as f64).round()
                        / 10.0
                },
                service_name: names.get(&service).cloned(),
                month,
                hall,
                service,
                levels,
                total,
            }
        })
        .collect::<Vec<_>>();
    // Newest month first; within a month by hall and service.
    let mut lines = lines;
    lines.sort_by(|a, b| {
        b.month
            .cmp(&a.month)
            .then(a.hall.cmp(&b.hall))
            .then(a.service.cmp(&b.service))
    });
    let mut reasons: BTreeMap<String, u64> = BTreeMap::new();
    let mut low = Vec::new();
    for row in sqlx::query(
        "SELECT occurred_ms, hall, device_id, service, case_no, level, tags FROM ratings \
         WHERE level <= 2 ORDER BY occurred_ms DESC",
    )
    .fetch_all(store.pool())
    .await?
    {
        let occurred_ms: i64 = row.try_get(0)?;
        if month.is_some_and(|m| m != month_of(occurred_ms)) {
            continue;
        }
        let tags: Vec<String> =
            serde_json::from_str(&row.try_get::<String, _>(6)?).unwrap_or_default();
        for tag in &tags {
            *reasons.entry(tag.clone()).or_default() += 1;
        }
        if (low.len() as i64) < LOW_SHOWN {
            let service: String = row.try_get(3)?;
            low.push(Low {
                occurred_ms,
                hall: row.try_get(1)?,
                device_id: row.try_get(2)?,
                service_name: names.get(&service).cloned(),
                service,
                case_no: row.try_get(4)?,
                level: row.try_get::<i64, _>(5)?.clamp(1, 5) as u8,
                tags,
            });
        }
    }
    let mut reasons: Vec<(String, u64)> = reasons.into_iter().collect();
    reasons.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    Ok(Report {
        lines,
        reasons,
        low,
    })
}

/// A CSV field, quoted when it needs to be (RFC 4180), and never read as a formula by a spreadsheet.
fn field(text: &str) -> String {
    let text = if text.starts_with(['=', '+', '-', '@']) {
        format!("'{text}")
    } else {
        text.to_string()
    };
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text
    }
}

/// The report's lines as CSV (UTF-8 with a byte-order mark, so a spreadsheet reads the Chinese).
pub fn lines_csv(report: &Report) -> String {
    let mut out = String::from(
        "\u{feff}月份 month,大厅 hall,事项编码 service,事项 name,非常满意 5,满意 4,基本满意 3,不满意 2,非常不满意 1,合计 total,好评率 positive %\r\n",
    );
    for line in &report.lines {
        let name = line
            .service_name
            .as_ref()
            .map(|n| n.zh.as_str())
            .unwrap_or("");
        let mut cells = vec![
            field(&line.month),
            field(&line.hall),
            field(&line.service),
            field(name),
        ];
        cells.extend(line.levels.iter().map(u64::to_string));
        cells.push(line.total.to_string());
        cells.push(format!("{:.1}", line.satisfied));
        out.push_str(&cells.join(","));
        out.push_str("\r\n");
    }
    out
}

/// The low ratings to follow up as CSV.
pub fn low_csv(report: &Report) -> String {
    let mut out = String::from(
        "\u{feff}时间 time,大厅 hall,终端 terminal,事项编码 service,办件编号 case,评价 level,原因 reasons\r\n",
    );
    for low in &report.low {
        let minutes = (low.occurred_ms + CHINA_MS).rem_euclid(DAY_MS) / 60_000;
        let time = format!(
            "{} {:02}:{:02}",
            Date::china(low.occurred_ms),
            minutes / 60,
            minutes % 60
        );
        let cells = [
            field(&time),
            field(&low.hall),
            field(&low.device_id),
            field(&low.service),
            field(low.case_no.as_deref().unwrap_or("")),
            low.level.to_string(),
            field(&low.tags.join(" ")),
        ];
        out.push_str(&cells.join(","));
        out.push_str("\r\n");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_begin_at_midnight_in_china_and_csv_fields_are_safe() {
        // 2026-11-30 16:30 UTC (1796056200 s) is 2026-12-01 00:30 in China.
        let ms = 1_796_056_200_000;
        assert_eq!(month_of(ms), "2026-12");
        assert_eq!(month_of(ms - 3600 * 1000), "2026-11");
        assert_eq!(field("a,b"), "\"a,b\"");
        assert_eq!(field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(field("=SUM(A1)"), "'=SUM(A1)");
    }
}
