//! The technician's view of a read (`kiosk reader read`): one read with a deadline, and the identity as JSON or
//! text, masked unless asked otherwise.

use std::time::{Duration, Instant};

use serde_json::{json, Value};

use super::frame::Status;
use super::{ReaderError, SamLink};
use crate::domain::identity::{mask_id_number, mask_name, CardDate, Identity};

/// Opens the reader, checks the SAM, and waits up to `wait` for a card, polling every `poll`.
/// `Ok(None)`: no card came.
pub fn read_once(
    port: &str,
    baud: u32,
    wait: Duration,
    poll: Duration,
) -> Result<Option<Identity>, ReaderError> {
    let mut link = SamLink::open(port, baud)?;
    let status = link.sam_status()?;
    if status != Status::Success {
        return Err(ReaderError::Sam {
            command: super::frame::Command::SamStatus,
            status,
        });
    }
    let deadline = Instant::now() + wait;
    loop {
        let started = Instant::now();
        if link.find_card()? {
            return link.read_found_card().map(Some);
        }
        if started >= deadline {
            return Ok(None);
        }
        std::thread::sleep(
            poll.saturating_sub(started.elapsed())
                .min(deadline - started),
        );
    }
}

/// `1944-**-**`: the year only.
fn mask_date(date: CardDate) -> String {
    format!("{:04}-**-**", date.year)
}

/// Keeps the first six characters (the province and city) and stars the rest.
pub fn mask_address(address: &str) -> String {
    let shown: String = address.chars().take(6).collect();
    let hidden = address.chars().count().saturating_sub(6);
    format!("{shown}{}", "*".repeat(hidden))
}

/// The identity with the keys `kiosk reader read --json` documents; a field the card lacks is null. Names,
/// numbers, addresses and the birth date are masked unless `unmasked`.
pub fn identity_json(id: &Identity, unmasked: bool) -> Value {
    let personal = |value: &str, mask: fn(&str) -> String| {
        if unmasked {
            value.to_string()
        } else {
            mask(value)
        }
    };
    let opt = |value: &Option<String>, mask: fn(&str) -> String| {
        value.as_deref().map(|v| personal(v, mask))
    };
    let name = (!id.name.trim().is_empty()).then(|| personal(&id.name, mask_name));
    json!({
        "card_type": id.card_type.key(),
        "name": name,
        "english_name": opt(&id.english_name, mask_name),
        "sex": id.sex.key(),
        "nation": id.nation.map(|n| n.name().map(str::to_string).unwrap_or_else(|| format!("{:02}", n.0))),
        "birth": if unmasked { id.birth.to_string() } else { mask_date(id.birth) },
        "address": opt(&id.address, mask_address),
        "appended_address": opt(&id.appended_address, mask_address),
        "id_number": personal(&id.id_number, mask_id_number),
        "authority": id.authority,
        "valid_from": id.valid_from.to_string(),
        "valid_to": id.valid_to.to_string(),
        "nationality": id.nationality,
        "pass_number": opt(&id.pass_number, mask_id_number),
        "issue_count": id.issue_count,
        "renewal_count": id.renewal_count,
        "card_version": id.card_version,
        "authority_code": id.authority_code,
        "previous_number_link": id.previous_number_link,
    })
}

/// The same fields as `key: value` lines, absent fields left out.
pub fn identity_text(id: &Identity, unmasked: bool) -> String {
    let Value::Object(fields) = identity_json(id, unmasked) else {
        unreachable!("identity_json builds an object")
    };
    fields
        .iter()
        .filter_map(|(key, value)| match value {
            Value::String(s) => Some(format!("{key}: {s}\n")),
            _ => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_is_masked_unless_asked() {
        let mut id = Identity::default();
        id.name = "张秀英".into();
        id.id_number = "320508194408150020".into();
        id.address = Some("江苏省苏州市姑苏区十全街268号".into());
        id.birth = CardDate::from_iso("1944-08-15").unwrap();
        let masked = identity_json(&id, false).to_string();
        for secret in ["秀英", "320508194408150020", "十全街", "08-15"] {
            assert!(!masked.contains(secret), "{secret} in {masked}");
        }
        let plain = identity_json(&id, true);
        assert_eq!(plain["id_number"], "320508194408150020");
        assert_eq!(plain["english_name"], Value::Null);
        assert_eq!(plain["valid_to"], "long-term");
    }
}
