//! Properties of the card reader's parsers of outside bytes: the reply stream and the card's text block.

use kiosk::device::reader::frame::{encode_frame, Decoder, Reply, Status, PREAMBLE};
use kiosk::device::reader::text::{encode_text, parse_text, split_read_reply, CardError};
use kiosk::domain::identity::{
    gb11643_check, id_number_is_valid, CardDate, CardType, Identity, Nation, Sex, Validity,
};
use proptest::prelude::*;

/// Feeds `bytes` to a decoder in the given chunk sizes and collects everything it yields.
fn decode_in_chunks(bytes: &[u8], chunks: &[usize]) -> Vec<Result<Vec<u8>, String>> {
    let mut decoder = Decoder::new();
    let mut out = Vec::new();
    let mut rest = bytes;
    let mut sizes = chunks.iter().cycle();
    while !rest.is_empty() {
        let n = (*sizes.next().unwrap_or(&1)).clamp(1, rest.len());
        decoder.push(&rest[..n]);
        rest = &rest[n..];
        let _ = decoder.pending();
        while let Some(frame) = decoder.next_frame() {
            out.push(frame.map_err(|e| e.to_string()));
        }
    }
    out
}

/// Bytes that cannot form a preamble (no 0xAA), standing for line noise between frames.
fn noise() -> impl Strategy<Value = Vec<u8>> {
    proptest::collection::vec(
        any::<u8>().prop_filter("no preamble start", |b| *b != 0xAA),
        0..40,
    )
}

fn digits(n: usize) -> impl Strategy<Value = String> {
    proptest::collection::vec(0u8..10, n)
        .prop_map(|d| d.iter().map(|x| char::from(b'0' + x)).collect())
}

fn valid_id_number() -> impl Strategy<Value = String> {
    digits(17).prop_map(|first| {
        let check = gb11643_check(&first).unwrap();
        format!("{first}{check}")
    })
}

fn date() -> impl Strategy<Value = CardDate> {
    (1900u16..2100, 1u8..13, 1u8..29).prop_map(|(year, month, day)| CardDate { year, month, day })
}

fn cjk(max: usize) -> impl Strategy<Value = String> {
    proptest::collection::vec(0x4E00u32..0x9FA5, 1..=max)
        .prop_map(|cs| cs.into_iter().filter_map(char::from_u32).collect())
}

fn latin(max: usize) -> impl Strategy<Value = String> {
    proptest::string::string_regex(&format!("[A-Z][A-Z ]{{0,{}}}[A-Z]", max - 2)).unwrap()
}

fn sex() -> impl Strategy<Value = Sex> {
    prop_oneof![
        Just(Sex::Unknown),
        Just(Sex::Male),
        Just(Sex::Female),
        Just(Sex::Unspecified)
    ]
}

fn validity() -> impl Strategy<Value = Validity> {
    prop_oneof![Just(Validity::LongTerm), date().prop_map(Validity::Until)]
}

/// Any identity a card of any layout can carry.
fn identity() -> impl Strategy<Value = Identity> {
    let common = (
        sex(),
        date(),
        date(),
        validity(),
        valid_id_number(),
        cjk(15),
    );
    let extra = (
        cjk(35),
        cjk(15),
        latin(46),
        "[A-Z]{3}",
        "[A-Z][0-9]{8}",
        "[0-9]{2}",
        1u8..57,
    );
    (0usize..4, common, extra).prop_map(
        |(
            kind,
            (sex, birth, from, to, number, name),
            (address, authority, english, nat, pass, count, nation),
        )| {
            let mut id = Identity::default();
            id.card_type = CardType::ALL[kind];
            id.sex = sex;
            id.birth = birth;
            id.valid_from = from;
            id.valid_to = to;
            id.name = name;
            match id.card_type {
                CardType::Resident => {
                    id.id_number = number;
                    id.address = Some(address);
                    id.authority = Some(authority);
                    id.nation = Some(Nation(nation));
                }
                CardType::Hmt => {
                    id.id_number = number;
                    id.address = Some(address);
                    id.authority = Some(authority);
                    id.pass_number = Some(pass);
                    id.issue_count = Some(count);
                }
                CardType::Foreign2017 => {
                    id.id_number = format!("{nat}{}", &number[..12]);
                    id.english_name = Some(english);
                    id.nationality = Some(nat);
                    id.card_version = Some(count);
                    id.authority_code = Some("3205".into());
                }
                CardType::Foreign2023 => {
                    id.id_number = number;
                    id.english_name = Some(english);
                    id.nationality = Some(nat);
                    id.renewal_count = Some(count);
                }
            }
            id
        },
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn no_byte_stream_makes_the_decoder_panic(
        bytes in proptest::collection::vec(any::<u8>(), 0..3000),
        chunks in proptest::collection::vec(1usize..300, 1..8),
    ) {
        decode_in_chunks(&bytes, &chunks);
    }

    #[test]
    fn streams_of_preambles_and_lengths_do_not_panic_either(
        parts in proptest::collection::vec(
            prop_oneof![
                Just(PREAMBLE.to_vec()),
                any::<[u8; 2]>().prop_map(|b| b.to_vec()),
                proptest::collection::vec(any::<u8>(), 0..20),
            ],
            0..30,
        ),
        chunks in proptest::collection::vec(1usize..64, 1..5),
    ) {
        decode_in_chunks(&parts.concat(), &chunks);
    }

    #[test]
    fn every_frame_the_encoder_builds_parses_back_through_noise_and_splits(
        bodies in proptest::collection::vec(proptest::collection::vec(any::<u8>(), 2..400), 1..4),
        gaps in proptest::collection::vec(noise(), 4),
        chunks in proptest::collection::vec(1usize..500, 1..6),
    ) {
        let mut stream = Vec::new();
        for (body, gap) in bodies.iter().zip(gaps.iter()) {
            stream.extend(gap);
            stream.extend(encode_frame(body));
        }
        let decoded = decode_in_chunks(&stream, &chunks);
        let expected: Vec<Result<Vec<u8>, String>> = bodies.iter().cloned().map(Ok).collect();
        prop_assert_eq!(decoded, expected);
    }

    #[test]
    fn replies_round_trip(code in any::<u8>(), data in proptest::collection::vec(any::<u8>(), 0..300)) {
        let reply = Reply::new(Status::from_code(code), data);
        let frame = reply.encode();
        let parsed = kiosk::device::reader::frame::parse_reply(&frame).unwrap().unwrap();
        prop_assert_eq!(parsed, reply);
    }

    #[test]
    fn no_text_block_or_read_reply_makes_the_parser_panic(
        bytes in proptest::collection::vec(any::<u8>(), 0..1400),
        fingerprint in any::<bool>(),
    ) {
        let _ = parse_text(&bytes);
        if let Ok(blocks) = split_read_reply(&bytes, fingerprint) {
            let _ = parse_text(&blocks.text);
        }
    }

    #[test]
    fn every_identity_a_card_carries_parses_back_from_its_text_block(id in identity()) {
        let block = encode_text(&id).unwrap();
        prop_assert_eq!(block.len(), 256);
        let parsed = parse_text(&block).unwrap();
        prop_assert_eq!(&parsed, &id);
    }

    #[test]
    fn one_wrong_digit_in_an_id_number_is_always_caught(
        number in valid_id_number(),
        at in 0usize..17,
        bump in 1u8..10,
    ) {
        prop_assert!(id_number_is_valid(&number));
        let mut bytes = number.clone().into_bytes();
        bytes[at] = b'0' + (bytes[at] - b'0' + bump) % 10;
        let changed = String::from_utf8(bytes).unwrap();
        prop_assert!(!id_number_is_valid(&changed), "{} -> {}", number, changed);
    }

    #[test]
    fn a_misread_id_number_is_a_read_fault(id in identity(), at in 0usize..17, bump in 1u8..10) {
        prop_assume!(id.card_type != CardType::Foreign2017);
        let mut id = id;
        let mut bytes = id.id_number.clone().into_bytes();
        bytes[at] = b'0' + (bytes[at] - b'0' + bump) % 10;
        id.id_number = String::from_utf8(bytes).unwrap();
        let block = encode_text(&id).unwrap();
        prop_assert_eq!(parse_text(&block), Err(CardError::CheckCharacter));
    }
}
