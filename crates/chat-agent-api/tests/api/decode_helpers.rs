//! Table tests of each tolerant-decoding helper.

use chat_agent_api::decode::*;
use chat_agent_api::model::{ChatResponse, Event, EventKind};
use chat_agent_api::{ApiError, ChatState, Source, SystemMessage, TextType};
use serde::Deserialize;
use serde_json::from_str;

#[derive(Debug, Deserialize, PartialEq)]
struct Holder {
    #[serde(default)]
    link: Links,
}

#[test]
fn one_or_many_every_shape() {
    let l = |h: &str, r: &str| Link {
        href: h.into(),
        rel: r.into(),
    };
    let rows: &[(&str, Vec<Link>)] = &[
        (
            r#"{"link":[{"@href":"a","@rel":"self"},{"@href":"b","@rel":"next"}]}"#,
            vec![l("a", "self"), l("b", "next")],
        ),
        (
            r#"{"link":[{"@href":"a","@rel":"self"}]}"#,
            vec![l("a", "self")],
        ),
        (
            r#"{"link":{"@href":"a","@rel":"self"}}"#,
            vec![l("a", "self")],
        ),
        (
            r#"{"link":{"href":"a","rel":"self"}}"#,
            vec![l("a", "self")],
        ),
        (
            r#"{"link":[{"href":"a","rel":"self"},{"@href":"b","@rel":"next"}]}"#,
            vec![l("a", "self"), l("b", "next")],
        ),
        (r#"{"link":null}"#, vec![]),
        (r#"{"link":[]}"#, vec![]),
        (r#"{}"#, vec![]),
    ];
    for (json, want) in rows {
        let h: Holder = from_str(json).unwrap_or_else(|e| panic!("{json}: {e}"));
        assert_eq!(h.link.as_slice(), want.as_slice(), "{json}");
    }
    let ids: OneOrMany<FlexI64> = from_str(r#""25975313""#).unwrap();
    assert_eq!(ids, OneOrMany(vec![FlexI64(25_975_313)]));
    let ids: OneOrMany<FlexI64> = from_str(r#"["1", 2]"#).unwrap();
    assert_eq!(ids, OneOrMany(vec![FlexI64(1), FlexI64(2)]));
    let ids: OneOrMany<FlexI64> = from_str("7").unwrap();
    assert_eq!(ids.len(), 1);
    let s: OneOrMany<String> = from_str(r#""x""#).unwrap();
    assert_eq!(s.into_vec(), vec!["x".to_string()]);
    let h: Holder = from_str(r#"{"link":{"@href":"a","@rel":"next"}}"#).unwrap();
    assert_eq!(h.link.rel("next"), Some("a"));
    assert_eq!(h.link.rel("self"), None);
    assert!(from_str::<Holder>(r#"{"link":"not a link"}"#).is_err());
}

#[test]
fn numbers_as_strings() {
    let rows: &[(&str, Option<i64>)] = &[
        ("0", Some(0)),
        (r#""0""#, Some(0)),
        (r#""25025413""#, Some(25_025_413)),
        (r#"" 4 ""#, Some(4)),
        ("4.0", Some(4)),
        (r#""-1""#, Some(-1)),
        ("4294992744", Some(4_294_992_744)),
        ("1222309710121", Some(1_222_309_710_121)),
        (r#""1215602164887992""#, Some(1_215_602_164_887_992)),
        (r#""1.5""#, None),
        (r#""abc""#, None),
        ("1.5", None),
        ("18446744073709551615", None),
        ("true", None),
        ("null", None),
    ];
    for (json, want) in rows {
        let got = from_str::<FlexI64>(json).ok().map(|n| n.0);
        assert_eq!(got, *want, "{json}");
    }
    #[derive(Deserialize)]
    struct O {
        #[serde(default, deserialize_with = "opt_i64_flex")]
        n: Option<i64>,
    }
    for (json, want) in [
        (r#"{"n":null}"#, None),
        (r#"{"n":""}"#, None),
        (r#"{}"#, None),
        (r#"{"n":"12"}"#, Some(12)),
        (r#"{"n":12}"#, Some(12)),
    ] {
        assert_eq!(from_str::<O>(json).unwrap().n, want, "{json}");
    }
    assert!(from_str::<O>(r#"{"n":"x"}"#).is_err());
}

#[test]
fn booleans_as_strings() {
    #[derive(Deserialize)]
    struct B {
        #[serde(default, deserialize_with = "opt_bool_flex")]
        b: Option<bool>,
    }
    for (json, want) in [
        (r#"{"b":true}"#, Some(true)),
        (r#"{"b":"true"}"#, Some(true)),
        (r#"{"b":"FALSE"}"#, Some(false)),
        (r#"{"b":0}"#, Some(false)),
        (r#"{"b":"1"}"#, Some(true)),
        (r#"{"b":null}"#, None),
        (r#"{}"#, None),
    ] {
        assert_eq!(from_str::<B>(json).unwrap().b, want, "{json}");
    }
    assert!(from_str::<B>(r#"{"b":"maybe"}"#).is_err());
}

#[test]
fn limits() {
    for (json, want) in [
        ("-1", Limit::Unlimited),
        (r#""-1""#, Limit::Unlimited),
        ("0", Limit::Max(0)),
        (r#""4""#, Limit::Max(4)),
        ("4", Limit::Max(4)),
        ("1", Limit::Max(1)),
    ] {
        assert_eq!(from_str::<Limit>(json).unwrap(), want, "{json}");
    }
    assert!(Limit::Unlimited.allows(1_000));
    assert!(Limit::Max(2).allows(1));
    assert!(!Limit::Max(2).allows(2));
    assert!(!Limit::Max(0).allows(0));
}

#[test]
fn timestamps() {
    let rows: &[(&str, Option<i64>)] = &[
        (r#""2015-08-30T18:06:02+03:00""#, Some(1_440_947_162_000)),
        (
            r#""2015-08-30T18:06:02.001+03:00""#,
            Some(1_440_947_162_001),
        ),
        (
            r#""2018-01-29T08:19:43.963-05:00""#,
            Some(1_517_231_983_963),
        ),
        (r#""2018-01-29T13:19:43.963Z""#, Some(1_517_231_983_963)),
        ("1440934609097", Some(1_440_934_609_097)),
        (r#""1440934609097""#, Some(1_440_934_609_097)),
        (r#""Sep 22, 2016 4:10:15 PM""#, None),
        (r#""""#, None),
        ("true", None),
    ];
    for (json, want) in rows {
        let got = from_str::<Timestamp>(json).ok().map(|t| t.epoch_ms());
        assert_eq!(got, *want, "{json}");
    }
    #[derive(Deserialize)]
    struct T {
        #[serde(default, deserialize_with = "opt_timestamp")]
        t: Option<Timestamp>,
    }
    assert!(from_str::<T>(r#"{"t":""}"#).unwrap().t.is_none());
    assert!(from_str::<T>(r#"{"t":null}"#).unwrap().t.is_none());
    assert!(from_str::<T>(r#"{}"#).unwrap().t.is_none());
    assert!(from_str::<T>(r#"{"t":"yesterday"}"#).is_err());
    let with = from_str::<Timestamp>(r#""2015-08-30T18:07:26.903+03:00""#).unwrap();
    let without = from_str::<Timestamp>(r#""2015-08-30T18:07:26+03:00""#).unwrap();
    assert!(with > without);
}

#[test]
fn open_enums_never_fail() {
    assert_eq!(
        from_str::<ChatState>(r#""waiting""#).unwrap(),
        ChatState::Waiting
    );
    assert_eq!(
        from_str::<ChatState>(r#""ended""#).unwrap(),
        ChatState::Ended
    );
    assert_eq!(
        from_str::<ChatState>(r#""paused""#).unwrap(),
        ChatState::Other("paused".into())
    );
    for (json, want) in [
        (r#""Online""#, AvailabilityState::Online),
        (r#""2""#, AvailabilityState::Online),
        (r#""1""#, AvailabilityState::Offline),
        (r#""3""#, AvailabilityState::Occupied),
        (r#""4""#, AvailabilityState::Away),
        ("4", AvailabilityState::Away),
        (r#""Away""#, AvailabilityState::Away),
        (r#""Busy""#, AvailabilityState::Other("Busy".into())),
        (r#""9""#, AvailabilityState::Other("9".into())),
    ] {
        assert_eq!(from_str::<AvailabilityState>(json).unwrap(), want, "{json}");
    }
    for (json, want) in [
        ("4", SystemMessage::Routing),
        (r#""4""#, SystemMessage::Routing),
        ("3", SystemMessage::Accepted),
        ("23", SystemMessage::Requeued),
        ("99", SystemMessage::Other("99".into())),
    ] {
        assert_eq!(from_str::<SystemMessage>(json).unwrap(), want, "{json}");
    }
    assert_eq!(
        from_str::<TextType>(r#""rich-content""#).unwrap(),
        TextType::RichContent
    );
    assert_eq!(
        from_str::<TextType>(r#""markdown""#).unwrap(),
        TextType::Other("markdown".into())
    );
    assert_eq!(
        from_str::<Typing>(r#""not-typing""#).unwrap(),
        Typing::NotTyping
    );
    assert_eq!(
        from_str::<Typing>(r#""maybe""#).unwrap(),
        Typing::Other("maybe".into())
    );
    assert_eq!(
        from_str::<Source>(r#""bot""#).unwrap(),
        Source::Other("bot".into())
    );
    assert_eq!(AvailabilityState::Online.as_str(), "Online");
    assert_eq!(
        serde_json::to_string(&ChatState::Ended).unwrap(),
        r#""ended""#
    );
}

#[test]
fn events_of_every_kind() {
    let rows: &[(&str, EventKind)] = &[
        (
            r#"{"@id":"0","@type":"state","time":"2018-01-29T08:19:43.963-05:00","state":"waiting"}"#,
            EventKind::State(ChatState::Waiting),
        ),
        (
            r#"{"id":5,"type":"state","state":"frozen"}"#,
            EventKind::State(ChatState::Other("frozen".into())),
        ),
        (
            r#"{"@id":"7","@type":"resource","time":"2018-01-29T08:19:43Z"}"#,
            EventKind::Other("resource".into()),
        ),
        (
            r#"{"@id":"8","@type":"file-share"}"#,
            EventKind::Other("file-share".into()),
        ),
    ];
    for (json, want) in rows {
        let e: Event = from_str(json).unwrap_or_else(|e| panic!("{json}: {e}"));
        assert_eq!(&e.kind, want, "{json}");
    }
    let e: Event = from_str(r#"{"@id":"3","@type":"line","text":"","by":"info","source":"system","systemMessageId":"4"}"#).unwrap();
    let EventKind::Line(l) = e.kind else {
        panic!("line")
    };
    assert_eq!(l.text, "");
    assert_eq!(l.text_type, TextType::Plain, "missing textType = plain");
    assert_eq!(l.system_message, Some(SystemMessage::Routing));
    assert_eq!(l.sub_type, None);
    assert!(e.time.is_none());
}

#[test]
fn decode_errors_keep_the_path_and_the_raw_body() {
    let raw =
        r#"{"chat":{"events":{"event":[{"@id":"0","@type":"state"},{"@id":"x","@type":"line"}]}}}"#;
    let err = decode_json::<ChatResponse>(raw, 200).unwrap_err();
    match err {
        ApiError::Decode {
            path,
            raw: body,
            status,
            ..
        } => {
            assert_eq!(path, "chat.events.event[1].@id");
            assert_eq!(body, raw);
            assert_eq!(status, 200);
        }
        other => panic!("{other:?}"),
    }
    // a bare-object list keeps its path too
    let raw = r#"{"chat":{"events":{"event":{"@id":"0","@type":"line","time":"soon"}}}}"#;
    let ApiError::Decode { path, .. } = decode_json::<ChatResponse>(raw, 200).unwrap_err() else {
        panic!("decode error")
    };
    assert_eq!(path, "chat.events.event.time");
    // trailing garbage / truncation
    let ApiError::Decode { raw: body, .. } =
        decode_json::<ChatResponse>(r#"{"chat":{"#, 200).unwrap_err()
    else {
        panic!("decode error")
    };
    assert_eq!(body, r#"{"chat":{"#);
}
