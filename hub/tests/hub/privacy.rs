//! Personal data at the hub (PIPL), on SQLite and PostgreSQL: an ended case's material pages are deleted
//! when their retention runs out (a page another case still holds stays, and the reviewer is told why a
//! page is gone); one person's records are exported whole and erased once every case of theirs has ended,
//! no one else's touched; the ID number goes in on standard input and never into the audit chain.

use std::io::Write;

use crate::common;

use common::{backends, Backend, Database, Running};
use kiosk_hub::privacy::{erase, export, sweep};
use kiosk_hub::staff::Role;
use kiosk_proto::application::sha256_hex;
use kiosk_proto::service::IdNumber;
use reqwest::StatusCode;
use serde_json::json;

use super::applications::{application, page, WANG};
use super::review::{taken, Console};

const DAY_MS: i64 = 24 * 3600 * 1000;

async fn pages_held(hub: &Running, bytes: &[u8]) -> i64 {
    use sqlx::Row;
    sqlx::query("SELECT COUNT(*) FROM pages WHERE sha256 = $1")
        .bind(sha256_hex(bytes))
        .fetch_one(hub.store.pool())
        .await
        .unwrap()
        .get(0)
}

async fn refuse(console: &Console<'_>, number: &str) {
    let answer = console
        .act(
            number,
            json!({"action": "not_accept", "reason": "不属于本机关职权范围"}),
        )
        .await;
    assert_eq!(answer.status(), StatusCode::OK);
}

#[tokio::test(flavor = "multi_thread")]
async fn an_ended_cases_pages_go_when_their_retention_runs_out_and_a_page_another_case_holds_stays()
{
    for backend in backends() {
        let hub = Running::start(backend).await;
        // A and B share their photo; C has one of its own.
        let (shared, own) = (page(3), page(4));
        let a = application("SZ-T-30", 1, &shared);
        let b = application("SZ-T-30", 2, &shared);
        let c = application("SZ-T-30", 3, &own);
        let numbers = [a.number.clone(), b.number.clone(), c.number.clone()];
        taken(
            &hub,
            &[(a, shared.clone()), (b, shared.clone()), (c, own.clone())],
        )
        .await;
        // A hub from before the page index: the first sweep indexes what it holds.
        sqlx::query("DELETE FROM page_refs")
            .execute(hub.store.pool())
            .await
            .unwrap();
        let console = Console::new(&hub, "li.police", Role::Reviewer, &["苏州市公安局"]).await;
        refuse(&console, &numbers[0]).await;
        refuse(&console, &numbers[2]).await;
        let now = kiosk_hub::store::now_ms();

        let early = sweep(&hub.store, 30, now + 29 * DAY_MS).await.unwrap();
        assert_eq!((early.cases, early.pages), (0, 0), "{backend}: not yet");
        let never = sweep(&hub.store, 0, now + 31 * DAY_MS).await.unwrap();
        assert_eq!(never.cases, 0, "{backend}: 0 days keeps pages for ever");
        let due = sweep(&hub.store, 30, now + 31 * DAY_MS).await.unwrap();
        assert_eq!(
            (due.cases, due.pages),
            (2, 1),
            "{backend}: A and C ended; C's photo went, the photo B still holds stayed"
        );
        assert_eq!(pages_held(&hub, &own).await, 0);
        assert_eq!(pages_held(&hub, &shared).await, 1);
        // The reviewer is told why a page is gone; B's page still shows.
        let gone = console
            .get(&format!(
                "/console/api/applications/{}/pages/{}",
                numbers[2],
                sha256_hex(&own)
            ))
            .await;
        assert_eq!(gone.status(), StatusCode::NOT_FOUND);
        assert!(
            gone.text().await.unwrap().contains("deleted on"),
            "{backend}"
        );
        let kept = console
            .get(&format!(
                "/console/api/applications/{}/pages/{}",
                numbers[1],
                sha256_hex(&shared)
            ))
            .await;
        assert_eq!(kept.status(), StatusCode::OK, "{backend}");
        // Once only; and when B ends too, the shared page goes with it.
        let again = sweep(&hub.store, 30, now + 31 * DAY_MS).await.unwrap();
        assert_eq!(again.cases, 0, "{backend}");
        refuse(&console, &numbers[1]).await;
        let last = sweep(&hub.store, 30, now + 31 * DAY_MS).await.unwrap();
        assert_eq!((last.cases, last.pages), (1, 1), "{backend}");
        assert_eq!(pages_held(&hub, &shared).await, 0);
        // Each sweep's deletions are in the audit chain, which stays whole.
        let records = kiosk_hub::audit::recent(&hub.store, &["privacy.materials_deleted"], 10)
            .await
            .unwrap();
        assert_eq!(records.len(), 3, "{backend}");
        assert!(kiosk_hub::audit::verify(&hub.store).await.unwrap().intact());
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_persons_records_are_exported_whole_and_erased_once_their_cases_have_ended() {
    for backend in backends() {
        let hub = Running::start(backend).await;
        let photo = page(5);
        let first = application("SZ-T-30", 1, &photo);
        let number = first.number.clone();
        taken(&hub, &[(first, photo.clone())]).await;
        let wang = IdNumber::new(WANG);

        // While the case is being handled, nothing is erased, and the answer names it.
        let refused = erase(&hub.store, &wang).await.unwrap_err().to_string();
        assert!(refused.contains(&number), "{backend}: {refused}");
        assert_eq!(pages_held(&hub, &photo).await, 1);

        let copy = export(&hub.store, &wang).await.unwrap();
        assert_eq!(copy.applications.len(), 1, "{backend}");
        let values: Vec<&str> = copy.applications[0]
            .values
            .iter()
            .map(|v| v.value.as_str())
            .collect();
        assert!(values.contains(&"苏州工业园区星湖街328号5幢1202室"));
        assert!(copy.cases.iter().any(|c| c.summary.case_no == number));
        assert_eq!(copy.pages.len(), 1);
        assert_eq!(copy.pages[0].content, photo, "{backend}: the page's bytes");
        assert!(
            !copy.elicences.is_empty(),
            "the library's licences are listed"
        );
        let documents = copy.documents.len();
        // Someone else's records are not in it.
        let zhang = export(&hub.store, &IdNumber::new("320508194408150020"))
            .await
            .unwrap();
        assert!(zhang.applications.is_empty() && zhang.pages.is_empty());

        let console = Console::new(&hub, "li.police", Role::Reviewer, &["苏州市公安局"]).await;
        refuse(&console, &number).await;
        // The demo's other cases of his are decided meanwhile (at the counter).
        sqlx::query(
            "UPDATE cases SET state = 'collected' WHERE holder = $1 AND state <> 'not_accepted'",
        )
        .bind(kiosk_hub::cases::holder(&hub.store, &wang))
        .execute(hub.store.pool())
        .await
        .unwrap();
        let erased = erase(&hub.store, &wang).await.unwrap();
        assert_eq!(
            (erased.applications, erased.pages),
            (1, 1),
            "{backend}: {erased:?}"
        );
        assert!(erased.cases >= 1);
        assert_eq!(pages_held(&hub, &photo).await, 0);
        // No lookup by the card finds the cases any more; the office's record of the decision stays.
        assert!(kiosk_hub::cases::mine(&hub.store, &wang)
            .await
            .unwrap()
            .is_empty());
        assert!(kiosk_hub::cases::by_number(&hub.store, &number)
            .await
            .unwrap()
            .is_some());
        let after = export(&hub.store, &wang).await.unwrap();
        assert!(after.cases.is_empty() && after.applications.is_empty() && after.pages.is_empty());
        assert_eq!(
            after.documents.len(),
            documents,
            "{backend}: other authorities' documents are left"
        );
        // The chain records the erasure with counts, never the number; it stays whole.
        let records =
            kiosk_hub::audit::recent(&hub.store, &["privacy.erased", "privacy.exported"], 10)
                .await
                .unwrap();
        assert_eq!(records.len(), 4, "{backend}: three exports, one erasure");
        for record in &records {
            let text = serde_json::to_string(record).unwrap();
            assert!(
                !text.contains(WANG) && !text.contains(&WANG[12..]),
                "{text}"
            );
        }
        assert!(kiosk_hub::audit::verify(&hub.store).await.unwrap().intact());
    }
}

/// `kiosk-hub privacy`: the ID number from standard input; a wrong one, or an erasure without --yes,
/// changes nothing.
#[tokio::test(flavor = "multi_thread")]
async fn the_privacy_commands_read_the_id_number_from_standard_input() {
    let database = Database::new(Backend::Sqlite).await;
    let store = kiosk_hub::Store::open(database.url()).await.unwrap();
    kiosk_hub::seed::demo(&store).await.unwrap();
    let photo = page(6);
    let first = application("SZ-T-30", 1, &photo);
    kiosk_hub::applications::put_page(&store, &sha256_hex(&photo), &photo)
        .await
        .unwrap();
    // The terminal: enrolled through the library (the hub's intake wants a known device).
    let code = kiosk_hub::fleet::create_code(&store, "苏州市政务服务中心")
        .await
        .unwrap();
    kiosk_hub::fleet::enroll(&store, &code, "SZ-T-30")
        .await
        .unwrap();
    kiosk_hub::applications::intake(&store, "SZ-T-30", &first)
        .await
        .unwrap();
    let pages = tempfile::tempdir().unwrap();
    let run = |args: &[&str], stdin: &str| {
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_kiosk-hub"))
            .args(args)
            .args(["--db", database.url()])
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        // A command that refuses before reading may have closed its input already.
        let _ = child.stdin.take().unwrap().write_all(stdin.as_bytes());
        child.wait_with_output().unwrap()
    };
    let exported = run(
        &[
            "privacy",
            "export",
            "--pages",
            pages.path().to_str().unwrap(),
        ],
        &format!("{WANG}\n"),
    );
    assert!(exported.status.success(), "{exported:?}");
    let copy: serde_json::Value = serde_json::from_slice(&exported.stdout).unwrap();
    assert_eq!(copy["applications"][0]["number"], first.number);
    let file = pages
        .path()
        .join(format!("{}-{}.jpg", first.number, sha256_hex(&photo)));
    assert_eq!(std::fs::read(&file).unwrap(), photo, "the page as a file");

    let wrong = run(&["privacy", "export"], "320502197904021531\n");
    assert!(!wrong.status.success());
    assert!(String::from_utf8_lossy(&wrong.stderr).contains("not a valid resident ID number"));
    let unsure = run(&["privacy", "erase"], &format!("{WANG}\n"));
    assert!(!unsure.status.success());
    assert!(String::from_utf8_lossy(&unsure.stderr).contains("--yes"));
    let open = run(&["privacy", "erase", "--yes"], &format!("{WANG}\n"));
    assert_eq!(open.status.code(), Some(1));
    let said = String::from_utf8_lossy(&open.stderr);
    assert!(
        said.contains("nothing erased") && said.contains(&first.number),
        "{said}"
    );
    assert_eq!(
        kiosk_hub::applications::page(&store, &sha256_hex(&photo))
            .await
            .unwrap(),
        Some(photo)
    );
    let swept = run(&["privacy", "sweep", "--keep-materials-days", "30"], "");
    assert!(swept.status.success());
    assert!(String::from_utf8_lossy(&swept.stdout).contains("0 pages deleted"));
}
