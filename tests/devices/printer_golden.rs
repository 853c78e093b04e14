//! The exact bytes of each sample document for both printer profiles, pinned as readable listings in
//! `tests/golden/` (hex of every byte, with what each command does). After a deliberate change, regenerate
//! with `UPDATE_GOLDEN=1 cargo test --test printer_golden` and read the diff.

use kiosk::device::printer::decode::listing;
use kiosk::device::printer::encode::render;
use kiosk::device::printer::Profile;
use kiosk::domain::document::{sample, DocumentKind};

/// The bytes a listing spells out, in order.
fn bytes_of(listing: &str) -> Vec<u8> {
    listing
        .lines()
        .flat_map(|line| line.split('#').next().unwrap_or("").split_whitespace())
        .map(|b| u8::from_str_radix(b, 16).expect("hex in a listing"))
        .collect()
}

#[test]
fn samples_match_their_golden_listings() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden");
    let update = std::env::var_os("UPDATE_GOLDEN").is_some();
    let mut stale = Vec::new();
    for (name, kind) in [
        ("licence", DocumentKind::Licence),
        ("receipt", DocumentKind::Receipt),
        ("ticket", DocumentKind::Ticket),
    ] {
        for profile in [Profile::MM58, Profile::MM80] {
            let bytes = render(&sample(kind), &profile).unwrap();
            let listed = listing(&bytes);
            assert_eq!(bytes_of(&listed), bytes, "the listing must hold every byte");
            let path = dir.join(format!("{name}-{}.txt", profile.name));
            if update {
                std::fs::write(&path, &listed).unwrap();
                continue;
            }
            let golden = std::fs::read_to_string(&path).unwrap_or_default();
            if golden != listed {
                stale.push(path.display().to_string());
            }
        }
    }
    assert!(
        stale.is_empty(),
        "bytes changed for {stale:?}; if intended, regenerate with UPDATE_GOLDEN=1 and review the diff"
    );
}
