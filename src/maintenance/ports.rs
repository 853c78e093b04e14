//! The serial ports on this machine, with their USB vendor and product ids, and a guess of what each is from
//! the packaged udev rules (the one list of the devices' USB ids).

use serde::Serialize;

/// The packaged udev rules: they name the reader and the printer by USB id.
pub const UDEV_RULES: &str = include_str!("../../packaging/udev/60-kiosk.rules");

/// One device the rules know.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Known {
    pub vid: u16,
    pub pid: u16,
    /// `reader` or `printer` (from the stable name the rule gives).
    pub role: String,
    /// The comment line above the rule.
    pub what: String,
}

/// The devices `rules` names, in order; lines that are not such a rule are skipped.
pub fn known(rules: &str) -> Vec<Known> {
    let mut found = Vec::new();
    let mut comment = String::new();
    for line in rules.lines().map(str::trim) {
        if let Some(text) = line.strip_prefix('#') {
            comment = text.trim().to_string();
            continue;
        }
        let value = |key: &str| {
            let at = line.find(key)? + key.len();
            let rest = line[at..]
                .strip_prefix("==\"")
                .or(line[at..].strip_prefix("+=\""))?;
            Some(rest[..rest.find('"')?].to_string())
        };
        let hex = |key: &str| value(key).and_then(|v| u16::from_str_radix(&v, 16).ok());
        if let (Some(vid), Some(pid), Some(link)) = (
            hex("ATTRS{idVendor}"),
            hex("ATTRS{idProduct}"),
            value("SYMLINK"),
        ) {
            let role = link.strip_prefix("kiosk-").unwrap_or(&link).to_string();
            let what = comment
                .split_once(':')
                .map(|(_, what)| what.trim().to_string())
                .unwrap_or_else(|| comment.clone());
            found.push(Known {
                vid,
                pid,
                role,
                what,
            });
        }
    }
    found
}

/// What a port with these ids probably is.
pub fn guess(known: &[Known], usb: Option<(u16, u16)>) -> String {
    let Some((vid, pid)) = usb else {
        return "built-in or virtual serial port (not USB)".into();
    };
    let matches: Vec<&Known> = known
        .iter()
        .filter(|k| (k.vid, k.pid) == (vid, pid))
        .collect();
    match matches.as_slice() {
        [] => "unknown USB device (add its ids to the udev rules if it is the reader or printer)"
            .into(),
        [one, ..] => format!("probably the {}: {}", one.role, one.what),
    }
}

/// A serial port found on this machine.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Port {
    pub path: String,
    /// USB vendor id, 4 hex digits.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vid: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pid: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub product: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub serial: Option<String>,
    pub guess: String,
}

/// The serial ports the system lists (USB ones first), and the stable names the udev rules made.
pub fn list() -> Vec<Port> {
    let known = known(UDEV_RULES);
    let mut ports: Vec<Port> = serialport::available_ports()
        .unwrap_or_default()
        .into_iter()
        .map(|info| {
            let usb = match &info.port_type {
                serialport::SerialPortType::UsbPort(usb) => Some(usb.clone()),
                _ => None,
            };
            Port {
                guess: guess(&known, usb.as_ref().map(|u| (u.vid, u.pid))),
                path: info.port_name,
                vid: usb.as_ref().map(|u| format!("{:04x}", u.vid)),
                pid: usb.as_ref().map(|u| format!("{:04x}", u.pid)),
                product: usb.as_ref().and_then(|u| u.product.clone()),
                serial: usb.and_then(|u| u.serial_number),
            }
        })
        .collect();
    for (link, role) in [
        ("/dev/kiosk-reader", "reader"),
        ("/dev/kiosk-printer", "printer"),
    ] {
        if let Ok(target) = std::fs::canonicalize(link) {
            ports.push(Port {
                path: link.into(),
                vid: None,
                pid: None,
                product: None,
                serial: None,
                guess: format!(
                    "the {role}, as the udev rules name it (-> {})",
                    target.display()
                ),
            });
        }
    }
    ports.sort_by_key(|p| (p.vid.is_none(), p.path.clone()));
    ports
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_packaged_rules_name_readers_and_printers_by_usb_id() {
        let known = known(UDEV_RULES);
        assert!(known.len() >= 5, "{known:?}");
        assert!(known
            .iter()
            .all(|k| k.role == "reader" || k.role == "printer"));
        assert_eq!(
            guess(&known, Some((0x1a86, 0x7523))),
            "probably the reader: ID card reader module on a WCH CH340 USB-serial chip"
        );
        assert!(guess(&known, Some((0x0416, 0x5011))).starts_with("probably the printer"));
        assert!(guess(&known, Some((0xdead, 0xbeef))).starts_with("unknown USB device"));
        assert!(guess(&known, None).contains("not USB"));
    }

    #[test]
    fn a_rule_without_ids_or_a_name_is_not_a_device() {
        let rules = "# reader: x\nSUBSYSTEM==\"tty\", SYMLINK+=\"kiosk-reader\"\n\
                     ATTRS{idVendor}==\"zz\", ATTRS{idProduct}==\"0001\", SYMLINK+=\"kiosk-reader\"\n";
        assert!(known(rules).is_empty());
    }

    proptest::proptest! {
        #[test]
        fn any_rules_text_parses_without_panicking(text in "\\PC{0,300}") {
            let _ = known(&text);
        }
    }
}
