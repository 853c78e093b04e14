//! The citizen's rules, without a renderer: sessions, cards, idle time and gating.

use super::*;
use crate::device::{DeviceStatus, Reason};
use crate::domain::identity::CardType;

const IDLE: Duration = Duration::from_secs(60);
const COUNTDOWN: Duration = Duration::from_secs(15);

fn today() -> CardDate {
    CardDate::from_digits("20261123").unwrap()
}

fn terminal() -> (Terminal, Instant) {
    let start = Instant::now();
    (Terminal::new(IDLE, COUNTDOWN, start, today()), start)
}

fn holder(number: &str) -> Box<Identity> {
    let mut id = Identity::default();
    id.name = "张三丰".into();
    id.id_number = number.into();
    id.card_type = CardType::Resident;
    id.valid_to = Validity::Until(CardDate::from_digits("20360101").unwrap());
    Box::new(id)
}

const ZHANG: &str = "32050119800101123X";
const WANG: &str = "320501198505050020";

fn fault(kind: FaultKind) -> ReadFault {
    ReadFault {
        kind,
        cause: "test".into(),
    }
}

/// Every device ready.
fn ready() -> DeviceBoard {
    DeviceBoard {
        reader: DeviceStatus::Ready,
        printer: DeviceStatus::Ready,
        hub: DeviceStatus::Ready,
        camera: DeviceStatus::Ready,
        scanner: DeviceStatus::Disabled(Reason::NotConfigured),
    }
}

/// Signs `number` in from the resting screen, as a card placed there does.
fn signed_in(number: &str, then: Option<Feature>) -> Terminal {
    let (mut t, _) = terminal();
    t.handle(Input::CardPlaced, Place::Resting);
    t.handle(Input::CardRead(Ok(holder(number))), Place::Card { then });
    assert!(t.identity().is_some());
    t
}

#[test]
fn a_card_placed_on_the_resting_screen_starts_a_session_and_reads_it() {
    let (mut t, _) = terminal();
    let effects = t.handle(Input::CardPlaced, Place::Resting);
    assert_eq!(effects[0], Effect::SessionStarted);
    assert_eq!(effects.last(), Some(&Effect::Reading));
    assert!(t.current().is_some());
    let effects = t.handle(
        Input::CardRead(Ok(holder(ZHANG))),
        Place::Card { then: None },
    );
    assert_eq!(effects[0], Effect::Welcome { keep_card: false });
    assert_eq!(t.identity().unwrap().id_number, ZHANG);
}

#[test]
fn cards_start_nothing_out_of_service_or_in_maintenance() {
    let (mut t, _) = terminal();
    assert!(t.handle(Input::CardPlaced, Place::Closed).is_empty());
    assert!(t.current().is_none());
}

#[test]
fn an_expired_card_is_refused_with_its_end_date() {
    let (mut t, _) = terminal();
    t.handle(Input::CardPlaced, Place::Resting);
    let mut card = holder(ZHANG);
    let ended = CardDate::from_digits("20261122").unwrap();
    card.valid_to = Validity::Until(ended);
    let effects = t.handle(Input::CardRead(Ok(card)), Place::Card { then: None });
    assert_eq!(effects[0], Effect::Refused(Refusal::Expired(ended)));
    assert!(t.identity().is_none(), "no one is signed in");
}

#[test]
fn a_read_fault_is_refused_with_its_kind() {
    let (mut t, _) = terminal();
    t.handle(Input::CardPlaced, Place::Resting);
    let effects = t.handle(
        Input::CardRead(Err(fault(FaultKind::TryAgain))),
        Place::Card { then: None },
    );
    assert_eq!(
        effects[0],
        Effect::Refused(Refusal::Fault(FaultKind::TryAgain))
    );
}

#[test]
fn a_read_that_arrives_after_the_card_screen_is_dropped() {
    let (mut t, _) = terminal();
    t.handle(Input::CardPlaced, Place::Resting);
    let effects = t.handle(Input::CardRead(Ok(holder(ZHANG))), Place::Elsewhere);
    assert!(effects.is_empty());
    assert!(t.identity().is_none());
}

#[test]
fn another_holders_card_is_refused_and_the_holders_own_goes_on() {
    let mut t = signed_in(ZHANG, None);
    let asked_again = Place::Card {
        then: Some(Feature::Print),
    };
    assert_eq!(
        t.handle(Input::CardPlaced, asked_again),
        vec![Effect::Reading]
    );
    let effects = t.handle(Input::CardRead(Ok(holder(WANG))), asked_again);
    assert_eq!(effects[0], Effect::Refused(Refusal::OtherHolder));
    assert_eq!(t.identity().unwrap().id_number, ZHANG, "still Zhang");
    let effects = t.handle(Input::CardRead(Ok(holder(ZHANG))), asked_again);
    assert_eq!(effects[0], Effect::Welcome { keep_card: true });
    assert!(t.session().card_must_stay());
}

#[test]
fn a_second_card_while_signed_in_is_ignored_outside_the_card_screen() {
    let mut t = signed_in(ZHANG, None);
    assert!(t.handle(Input::CardPlaced, Place::Elsewhere).is_empty());
}

#[test]
fn the_card_taken_from_a_flow_that_needs_it_ends_the_session_and_wipes_it() {
    let mut t = signed_in(ZHANG, Some(Feature::Print));
    let effects = t.handle(Input::CardRemoved, Place::Elsewhere);
    assert_eq!(effects, vec![Effect::SessionEnded(Ending::CardTaken)]);
    assert!(t.identity().is_none());
    assert!(t.current().is_none());
}

#[test]
fn the_card_taken_away_elsewhere_keeps_the_session() {
    let mut t = signed_in(ZHANG, Some(Feature::Progress));
    assert!(t.handle(Input::CardRemoved, Place::Elsewhere).is_empty());
    assert!(t.identity().is_some());
}

#[test]
fn printing_asks_for_the_card_first_and_again_once_it_was_taken_away() {
    let (mut t, _) = terminal();
    t.handle(Input::Start, Place::Resting);
    assert_eq!(
        t.route(Feature::Print, &ready()),
        Route::AskCard(Feature::Print)
    );
    let mut t = signed_in(ZHANG, None);
    t.handle(Input::CardRemoved, Place::Elsewhere);
    assert_eq!(
        t.route(Feature::Print, &ready()),
        Route::AskCard(Feature::Print),
        "the holder places the card again"
    );
    t.handle(
        Input::CardPlaced,
        Place::Card {
            then: Some(Feature::Print),
        },
    );
    assert_eq!(
        t.route(Feature::Print, &ready()),
        Route::Open {
            feature: Feature::Print,
            mine: true
        }
    );
    assert!(
        t.session().card_must_stay(),
        "the card stays while printing"
    );
}

#[test]
fn a_feature_whose_device_is_not_ready_opens_nothing() {
    let (mut t, _) = terminal();
    let board = DeviceBoard {
        printer: DeviceStatus::Fault(Reason::PaperOut),
        ..ready()
    };
    assert_eq!(t.route(Feature::Ticket, &board), Route::Blocked);
    assert_eq!(
        t.route(Feature::Guide, &board),
        Route::Open {
            feature: Feature::Guide,
            mine: false
        }
    );
}

#[test]
fn progress_is_the_holders_own_once_signed_in() {
    let (mut t, _) = terminal();
    assert_eq!(
        t.route(Feature::Progress, &ready()),
        Route::Open {
            feature: Feature::Progress,
            mine: false
        }
    );
    let mut t = signed_in(ZHANG, None);
    assert_eq!(
        t.route(Feature::Progress, &ready()),
        Route::Open {
            feature: Feature::Progress,
            mine: true
        }
    );
}

#[test]
fn idle_time_shows_a_countdown_then_ends_the_session() {
    let (mut t, start) = terminal();
    t.handle(Input::Start, Place::Resting);
    t.set_time(start + Duration::from_secs(30), today());
    assert_eq!(
        t.handle(Input::Tick { helped: false }, Place::Elsewhere),
        vec![Effect::Countdown(None)]
    );
    t.set_time(start + Duration::from_secs(65), today());
    assert_eq!(
        t.handle(Input::Tick { helped: false }, Place::Elsewhere),
        vec![Effect::Countdown(Some(10))]
    );
    // A touch puts it off.
    t.handle(Input::Touch, Place::Elsewhere);
    t.set_time(start + Duration::from_secs(120), today());
    assert_eq!(
        t.handle(Input::Tick { helped: false }, Place::Elsewhere),
        vec![Effect::Countdown(None)]
    );
    t.set_time(start + Duration::from_secs(65 + 75), today());
    assert_eq!(
        t.handle(Input::Tick { helped: false }, Place::Elsewhere),
        vec![Effect::SessionEnded(Ending::Idle)]
    );
    assert!(t.current().is_none());
}

#[test]
fn being_helped_remotely_is_not_idling() {
    let (mut t, start) = terminal();
    t.handle(Input::Start, Place::Resting);
    for minute in 1..=4 {
        t.set_time(start + Duration::from_secs(60 * minute), today());
        assert_eq!(
            t.handle(Input::Tick { helped: true }, Place::Elsewhere),
            vec![Effect::Countdown(None)]
        );
    }
}

#[test]
fn no_countdown_without_a_session() {
    let (mut t, start) = terminal();
    t.set_time(start + Duration::from_secs(600), today());
    assert!(t
        .handle(Input::Tick { helped: false }, Place::Resting)
        .is_empty());
}

#[test]
fn an_answer_to_an_earlier_call_or_an_ended_session_is_not_wanted() {
    let mut t = signed_in(ZHANG, None);
    let first = t.ask();
    let second = t.ask();
    assert!(!t.wanted(first), "the citizen moved on");
    assert!(t.wanted(second));
    t.handle(Input::End, Place::Elsewhere);
    assert!(!t.wanted(second), "the session ended");
}

#[test]
fn ending_wipes_the_identity_and_a_new_session_has_a_new_id() {
    let mut t = signed_in(ZHANG, None);
    let first = t.current().unwrap();
    // Finished with the card still on the reader: it is said to be left there until it is taken.
    assert_eq!(
        t.handle(Input::End, Place::Elsewhere),
        vec![
            Effect::SessionEnded(Ending::Finished),
            Effect::CardLeft(true)
        ]
    );
    assert!(t.identity().is_none());
    assert!(t.handle(Input::End, Place::Resting).is_empty(), "once");
    t.handle(Input::Start, Place::Resting);
    assert_ne!(t.current().unwrap(), first);
}

#[test]
fn a_card_left_on_the_reader_after_its_session_is_said_and_never_signs_anyone_in() {
    let (mut t, start) = terminal();
    t.handle(Input::CardPlaced, Place::Resting);
    t.handle(
        Input::CardRead(Ok(holder(ZHANG))),
        Place::Card { then: None },
    );
    // The holder walks away: the session times out with the card on the reader.
    t.set_time(start + IDLE + COUNTDOWN + Duration::from_secs(1), today());
    let effects = t.handle(Input::Tick { helped: false }, Place::Elsewhere);
    assert_eq!(
        effects,
        [Effect::SessionEnded(Ending::Idle), Effect::CardLeft(true)]
    );
    assert!(t.card_left() && t.identity().is_none());
    // The next citizen starts a session and asks for something that needs a card: the card left behind
    // is not read, even when the reader reports it again (after a reconnect) on the card screen.
    assert_eq!(
        t.handle(Input::Start, Place::Resting),
        [Effect::SessionStarted]
    );
    assert_eq!(t.handle(Input::CardPlaced, Place::Card { then: None }), []);
    assert_eq!(
        t.handle(
            Input::CardRead(Ok(holder(ZHANG))),
            Place::Card { then: None }
        ),
        []
    );
    assert!(t.identity().is_none(), "no one signed in from it");
    // It is taken: said once; the next card is read as usual.
    assert_eq!(
        t.handle(Input::CardRemoved, Place::Card { then: None }),
        [Effect::CardLeft(false)]
    );
    assert!(!t.card_left());
    assert_eq!(
        t.handle(Input::CardPlaced, Place::Card { then: None }),
        [Effect::Countdown(None), Effect::Reading]
    );
    t.handle(
        Input::CardRead(Ok(holder(WANG))),
        Place::Card { then: None },
    );
    assert_eq!(t.identity().unwrap().id_number, WANG);
}

#[test]
fn a_card_taken_with_its_holder_leaves_nothing_to_say() {
    let mut t = signed_in(ZHANG, None);
    t.handle(Input::CardRemoved, Place::Elsewhere);
    let effects = t.handle(Input::End, Place::Elsewhere);
    assert_eq!(effects, [Effect::SessionEnded(Ending::Finished)]);
    assert!(!t.card_left());
}

#[test]
fn a_scanned_receipt_opens_its_case_from_rest_home_or_progress_and_nowhere_else() {
    let receipt = || Some("https://zwfw.suzhou.gov.cn/progress?case=SZ2026112000022".to_string());
    let (mut t, _) = terminal();
    // At rest: a session starts and the case opens.
    let effects = t.handle(Input::Scanned(receipt()), Place::Resting);
    assert_eq!(
        effects,
        [
            Effect::SessionStarted,
            Effect::Countdown(None),
            Effect::OpenCase("SZ2026112000022".into())
        ]
    );
    // The bare number (a progress record's barcode) on the home screen.
    assert_eq!(
        t.handle(Input::Scanned(Some("sz2026112000022".into())), Place::Menu),
        [
            Effect::Countdown(None),
            Effect::OpenCase("SZ2026112000022".into())
        ]
    );
    // Mid-form, on the card screen or in service mode: nothing.
    for place in [Place::Elsewhere, Place::Card { then: None }, Place::Closed] {
        assert_eq!(t.handle(Input::Scanned(receipt()), place), []);
    }
    // Another code, or a misread, says so where a session is under way; at rest it starts nothing.
    assert_eq!(
        t.handle(Input::Scanned(Some("weixin://wxpay/x".into())), Place::Menu),
        [Effect::Countdown(None), Effect::NotACase]
    );
    assert_eq!(
        t.handle(Input::Scanned(None), Place::Menu),
        [Effect::Countdown(None), Effect::ScanAgain]
    );
    let (mut resting, _) = terminal();
    assert_eq!(
        resting.handle(
            Input::Scanned(Some("weixin://wxpay/x".into())),
            Place::Resting
        ),
        []
    );
    assert_eq!(resting.handle(Input::Scanned(None), Place::Resting), []);
}

/// A sign-in code's text (the core only looks at its prefix: the check runs on a journey thread).
fn code() -> Option<String> {
    Some("ZWID1.eyJ9.c2ln".into())
}

#[test]
fn a_code_shown_at_rest_starts_a_session_checks_it_and_signs_its_holder_in() {
    let (mut t, _) = terminal();
    let effects = t.handle(Input::Scanned(code()), Place::Resting);
    assert_eq!(
        effects,
        [
            Effect::SessionStarted,
            Effect::Countdown(None),
            Effect::CheckCode("ZWID1.eyJ9.c2ln".into())
        ]
    );
    let card = Place::Card { then: None };
    assert_eq!(
        t.handle(Input::CodeChecked(Ok(holder(ZHANG))), card),
        [
            Effect::Welcome { keep_card: false },
            Effect::Countdown(None)
        ]
    );
    assert_eq!(t.proof(), Some(Proof::Code));
    // A service the catalogue takes codes for goes on; any other asks for the card.
    assert!(!t.needs_card_for(true));
    assert!(t.needs_card_for(false));
    // The holder's own card, read where it was asked for, proves them from then on.
    t.handle(
        Input::CardPlaced,
        Place::Card {
            then: Some(Feature::Apply),
        },
    );
    t.handle(
        Input::CardRead(Ok(holder(ZHANG))),
        Place::Card {
            then: Some(Feature::Apply),
        },
    );
    assert_eq!(t.proof(), Some(Proof::Card));
    assert!(!t.needs_card_for(false));
    // The session's end forgets how, with who.
    t.handle(Input::End, Place::Menu);
    assert_eq!(t.proof(), None);
}

#[test]
fn a_refused_code_signs_no_one_in_and_says_why() {
    for problem in [
        CodeProblem::Expired,
        CodeProblem::Used,
        CodeProblem::Forged,
        CodeProblem::Offline,
    ] {
        let (mut t, _) = terminal();
        t.handle(Input::Scanned(code()), Place::Resting);
        assert_eq!(
            t.handle(Input::CodeChecked(Err(problem)), Place::Card { then: None }),
            [
                Effect::Refused(Refusal::Code(problem)),
                Effect::Countdown(None)
            ]
        );
        assert!(t.identity().is_none());
    }
}

#[test]
fn printing_a_holders_licences_needs_the_card_whatever_code_is_shown() {
    // The card screen asked for printing: a code is not enough.
    let (mut t, _) = terminal();
    t.handle(Input::Start, Place::Resting);
    let print = Place::Card {
        then: Some(Feature::Print),
    };
    assert!(!t.code_may_sign_in(Some(Feature::Print)));
    assert_eq!(
        t.handle(Input::Scanned(code()), print),
        [
            Effect::Countdown(None),
            Effect::Refused(Refusal::CardNeeded)
        ]
    );
    // Signed in by code: printing asks for the card, and the card read must be theirs.
    let (mut t, _) = terminal();
    t.handle(Input::Scanned(code()), Place::Resting);
    t.handle(
        Input::CodeChecked(Ok(holder(ZHANG))),
        Place::Card { then: None },
    );
    assert_eq!(
        t.route(Feature::Print, &{
            let mut devices = ready();
            devices.reader = DeviceStatus::Ready;
            devices
        }),
        Route::AskCard(Feature::Print)
    );
    t.handle(Input::CardPlaced, print);
    assert_eq!(
        t.handle(Input::CardRead(Ok(holder(WANG))), print)[0],
        Effect::Refused(Refusal::OtherHolder)
    );
    // Another code on that card screen: the card itself is needed.
    assert_eq!(
        t.handle(Input::Scanned(code()), print),
        [
            Effect::Countdown(None),
            Effect::Refused(Refusal::CardNeeded)
        ]
    );
}

#[test]
fn a_code_elsewhere_or_over_someone_signed_in_does_nothing() {
    let mut t = signed_in(ZHANG, None);
    assert_eq!(t.handle(Input::Scanned(code()), Place::Menu), []);
    assert_eq!(t.handle(Input::Scanned(code()), Place::Elsewhere), []);
    assert_eq!(t.handle(Input::Scanned(code()), Place::Closed), []);
    // A check that comes back after a card signed someone in leaves them signed in.
    let (mut t, _) = terminal();
    t.handle(Input::Scanned(code()), Place::Resting);
    t.handle(Input::CardPlaced, Place::Card { then: None });
    t.handle(
        Input::CardRead(Ok(holder(WANG))),
        Place::Card { then: None },
    );
    assert_eq!(
        t.handle(
            Input::CodeChecked(Ok(holder(ZHANG))),
            Place::Card { then: None }
        ),
        []
    );
    assert_eq!(t.identity().unwrap().id_number, WANG);
    assert_eq!(t.proof(), Some(Proof::Card));
    // A check that comes back once the citizen left the card screen is dropped.
    let (mut t, _) = terminal();
    t.handle(Input::Scanned(code()), Place::Resting);
    assert_eq!(
        t.handle(Input::CodeChecked(Ok(holder(ZHANG))), Place::Menu),
        []
    );
    assert!(t.identity().is_none());
}

#[test]
fn an_enterprises_matter_waits_for_the_enterprise_and_the_session_forgets_it() {
    let mut t = signed_in(WANG, None);
    assert!(t.needs_enterprise(true));
    assert!(!t.needs_enterprise(false));
    t.session_mut()
        .choose_enterprise(kiosk_proto::enterprise::Enterprise {
            uscc: "91320506MA1Y8JG2KY".into(),
            name: "苏州建国智能科技有限公司".into(),
            kind: kiosk_proto::LocalText::new("有限责任公司", "Limited company"),
            industry: "I".into(),
            size: kiosk_proto::enterprise::Size::Small,
            district: "吴中区".into(),
            address: "苏州市吴中区".into(),
            established: "2019-05-20".into(),
        });
    assert!(!t.needs_enterprise(true));
    t.handle(Input::End, Place::Menu);
    assert!(t.session().enterprise().is_none());
    // No one signed in: no enterprise can be chosen.
    let (mut t, _) = terminal();
    t.session_mut()
        .choose_enterprise(kiosk_proto::enterprise::Enterprise {
            uscc: String::new(),
            name: String::new(),
            kind: kiosk_proto::LocalText::default(),
            industry: "I".into(),
            size: kiosk_proto::enterprise::Size::Micro,
            district: String::new(),
            address: String::new(),
            established: String::new(),
        });
    assert!(t.session().enterprise().is_none());
}
