use super::*;
use crate::decode::decode_json;
use crate::model::{ChatResponse, ChatsResponse, EventKind};
use serde_json::json;

const C: &str = "https://va.agentvep.liveperson.net/api/account/1/agentSession/2/chat";

fn slots(v: &Value) -> Vec<ChatSlot> {
    decode_chats_reply(&v.to_string(), 200).unwrap_or_else(|e| unreachable!("{e}"))
}

fn ok(slot: &ChatSlot) -> &Chat {
    slot.chat
        .as_ref()
        .unwrap_or_else(|e| unreachable!("{:?}: {e}", slot.key))
}

fn ids(slot: &ChatSlot) -> Vec<i64> {
    ok(slot).events.event.iter().map(|e| e.id).collect()
}

fn line(id: i64, text: &str) -> Value {
    json!({"id": id, "type": "line", "time": "2015-08-30T18:07:26.903+03:00", "textType": "plain",
        "text": text, "by": "visitor", "source": "visitor", "subType": "REGULAR"})
}

fn chat(key: &str, events: Vec<Value>) -> Value {
    json!({
        "link": [{"href": format!("{C}/{key}"), "rel": "self"}, {"href": format!("{C}/{key}/events"), "rel": "events"}],
        "events": {"link": [{"href": format!("{C}/{key}/events"), "rel": "self"}], "event": events},
        "info": {"state": "chatting", "chatSessionKey": key, "agentId": 2, "visitorName": "Vera"}
    })
}

#[test]
fn valid_replies_decode_as_the_typed_decoder_does() {
    for raw in [
        include_str!("../../../tests/fixtures/spec_4_13_chats_repaired.json"),
        include_str!("../../../tests/fixtures/seed_000_multi_chat.json"),
    ] {
        let typed: ChatsResponse = decode_json(raw, 200).unwrap_or_else(|e| unreachable!("{e}"));
        let typed = typed.chats.map(|c| c.chat.into_vec()).unwrap_or_default();
        let slots = decode_chats_reply(raw, 200).unwrap_or_else(|e| unreachable!("{e}"));
        assert_eq!(slots.len(), typed.len());
        for (slot, want) in slots.iter().zip(&typed) {
            assert_eq!(ok(slot), want);
            assert!(slot.bad_events.is_empty());
            assert_eq!(
                slot.key,
                want.info.as_ref().and_then(|i| i.chat_session_key.clone())
            );
        }
    }
    let raw = include_str!("../../../tests/fixtures/spec_4_12_chat_repaired.json");
    let typed: ChatResponse = decode_json(raw, 200).unwrap_or_else(|e| unreachable!("{e}"));
    let slot = decode_chat_reply(raw, 200).unwrap_or_else(|e| unreachable!("{e}"));
    assert_eq!(ok(&slot), &typed.chat);
}

#[test]
fn a_bad_event_is_left_out_and_its_neighbours_and_other_chats_kept() {
    let body = json!({"chats": {"chat": [
        chat("K1", vec![line(5, "one"), line(6, "two")]),
        chat("K2", vec![
            line(7, "before"),
            json!({"id": 8, "type": "line", "text": {"not": "text"}, "source": "visitor"}),
            json!({"@id": "9", "@type": "line", "time": "yesterday-ish", "text": "secret words"}),
            json!("just a string"),
            json!({"id": "ten", "type": "line", "text": "x"}),
            line(11, "after"),
        ]),
        chat("K3", vec![line(1, "only")]),
    ]}});
    let s = slots(&body);
    assert_eq!(s.len(), 3);
    let keys: Vec<_> = s.iter().map(|c| c.key.as_deref()).collect();
    assert_eq!(keys, [Some("K1"), Some("K2"), Some("K3")]);
    assert_eq!(ids(&s[0]), [5, 6]);
    assert_eq!(ids(&s[1]), [7, 11]);
    assert_eq!(ids(&s[2]), [1]);
    let bad_ids: Vec<_> = s[1].bad_events.iter().map(|b| b.id).collect();
    assert_eq!(bad_ids, [Some(8), Some(9), None, None]);
    assert!(s[0].bad_events.is_empty() && s[2].bad_events.is_empty());
    for b in &s[1].bad_events {
        assert!(!b.error.contains("secret"), "{b:?}");
        assert!(!b.error.contains("yesterday"), "{b:?}");
        assert!(!b.error.contains("ten"), "{b:?}");
        assert!(!b.error.contains('\n'));
        assert!(!b.error.is_empty());
    }
    assert!(
        s[1].bad_events[0].error.starts_with("text:"),
        "{:?}",
        s[1].bad_events[0]
    );
    assert!(
        s[1].bad_events[1].error.starts_with("time:"),
        "{:?}",
        s[1].bad_events[1]
    );
    // the rest of the chat is all there
    let c = ok(&s[1]);
    assert_eq!(c.link.rel("self"), Some(format!("{C}/K2").as_str()));
    assert_eq!(
        c.events.link.rel("self"),
        Some(format!("{C}/K2/events").as_str())
    );
    assert_eq!(c.info.as_ref().and_then(|i| i.agent_id), Some(2));
}

#[test]
fn a_single_bad_event_as_a_bare_object() {
    let mut c = chat("K1", vec![]);
    c["events"]["event"] = json!({"@id": "4", "@type": "line", "text": 17});
    let s = slots(&json!({"chats": {"chat": c}}));
    assert_eq!(s.len(), 1);
    assert_eq!(ids(&s[0]), Vec::<i64>::new());
    assert_eq!(s[0].bad_events.len(), 1);
    assert_eq!(s[0].bad_events[0].id, Some(4));
}

#[test]
fn lone_surrogate_in_a_line_reads_as_replacement_character() {
    let body = json!({"chats": {"chat": [chat("K1", vec![line(3, "cut MARK")]), chat("K2", vec![line(4, "fine")])]}})
        .to_string()
        .replace("MARK", "\\ud83d");
    assert!(body.contains(r"cut \ud83d"));
    let s = decode_chats_reply(&body, 200).unwrap_or_else(|e| unreachable!("{e}"));
    assert_eq!(s.len(), 2);
    let EventKind::Line(l) = &ok(&s[0]).events.event.as_slice()[0].kind else {
        unreachable!()
    };
    assert_eq!(l.text, "cut \u{FFFD}");
    assert_eq!(ids(&s[1]), [4]);
}

#[test]
fn chat_error_and_unreadable_chats_fail_alone_and_keep_their_key() {
    let mut errored = chat("K2", vec![line(1, "x")]);
    errored["error"] = json!({"message": "chat not found"});
    let mut bad_events = chat("K4", vec![]);
    bad_events["events"] = json!(42);
    let body = json!({"chats": {"chat": [
        chat("K1", vec![line(1, "a")]),
        errored,
        json!("not a chat"),
        bad_events,
        json!({"error": null, "link": {"@href": format!("{C}/K5.json?from=3"), "@rel": "self"}}),
    ]}});
    let s = slots(&body);
    assert_eq!(s.len(), 5);
    assert_eq!(ids(&s[0]), [1]);
    assert_eq!(s[1].key.as_deref(), Some("K2"));
    assert!(
        matches!(&s[1].chat, Err(ApiError::ChatError { status: 200, error }) if error["message"] == "chat not found")
    );
    assert_eq!(s[2].key, None);
    assert!(
        matches!(&s[2].chat, Err(ApiError::Decode { path, raw, .. }) if path == "chats.chat[2]" && raw == "\"not a chat\"")
    );
    assert_eq!(s[3].key.as_deref(), Some("K4"));
    match &s[3].chat {
        Err(ApiError::Decode { path, raw, .. }) => {
            assert_eq!(path, "chats.chat[3].events");
            assert!(raw.contains("\"events\":42"), "{raw}");
        }
        other => unreachable!("{other:?}"),
    }
    // `error: null` is no error; key from the single `@`-keyed self link
    assert_eq!(s[4].key.as_deref(), Some("K5"));
    assert!(ok(&s[4]).events.event.is_empty());
}

#[test]
fn broken_info_leaves_the_chat_without_info() {
    let mut c = chat("K1", vec![line(2, "hi")]);
    c["info"]["agentId"] = json!({"deep": true});
    let s = slots(&json!({"chats": {"chat": [c]}}));
    // the key still comes from info (raw value), the chat is there without info
    assert_eq!(s[0].key.as_deref(), Some("K1"));
    assert_eq!(ids(&s[0]), [2]);
    assert_eq!(ok(&s[0]).info, None);

    // info was all there was: then the chat fails, with the path
    let only_info = json!({"info": {"chatSessionKey": "K9", "agentId": [1]}});
    let s = slots(&json!({"chats": {"chat": only_info}}));
    assert_eq!(s[0].key.as_deref(), Some("K9"));
    assert!(
        matches!(&s[0].chat, Err(ApiError::Decode { path, .. }) if path == "chats.chat.info.agentId"),
        "{:?}",
        s[0].chat
    );
}

#[test]
fn broken_links_are_dropped_not_fatal() {
    let mut c = chat("K1", vec![line(2, "hi")]);
    c["link"] = json!([{"rel": "self"}]); // no href
    c["events"]["link"] = json!("nonsense");
    let s = slots(&json!({"chats": {"chat": [c]}}));
    assert_eq!(s[0].key.as_deref(), Some("K1"));
    let chat = ok(&s[0]);
    assert!(chat.link.is_empty());
    assert!(chat.events.link.is_empty());
    assert_eq!(ids(&s[0]), [2]);
}

#[test]
fn key_sources() {
    let k = |v: Value| chat_key(&v);
    assert_eq!(
        k(json!({"info": {"chatSessionKey": " K1 "}})).as_deref(),
        Some("K1")
    );
    assert_eq!(
        k(json!({"info": {"chatSessionKey": 77}})).as_deref(),
        Some("77")
    );
    assert_eq!(
        k(json!({"info": {"chatSessionKey": ""}, "link": [{"rel": "next", "href": "https://h/chat/K0?from=1"}, {"rel": "self", "href": "https://h/chat/K2"}]}))
            .as_deref(),
        Some("K2")
    );
    assert_eq!(
        k(json!({"link": {"@rel": "self", "@href": "https://h/chat/K3.json#frag"}})).as_deref(),
        Some("K3")
    );
    assert_eq!(
        k(json!({"link": [{"rel": "self", "href": "https://h/chat/K4/"}]})).as_deref(),
        Some("K4")
    );
    assert_eq!(
        k(json!({"link": [{"rel": "events", "href": "https://h/chat/K4/events"}]})),
        None
    );
    assert_eq!(k(json!({"info": "garbage", "link": 5})), None);
    assert_eq!(k(json!("string")), None);
    assert_eq!(k(json!({"link": [{"rel": "self", "href": "/"}]})), None);
}

#[test]
fn event_ids_from_raw_values() {
    assert_eq!(event_id(&json!({"@id": "12"})), Some(12));
    assert_eq!(event_id(&json!({"id": 13})), Some(13));
    assert_eq!(event_id(&json!({"id": 14.0})), Some(14));
    assert_eq!(event_id(&json!({"id": " 15 "})), Some(15));
    assert_eq!(event_id(&json!({"id": 1.5})), None);
    assert_eq!(event_id(&json!({"id": 1e300})), None);
    assert_eq!(event_id(&json!({"id": u64::MAX})), None);
    assert_eq!(event_id(&json!({"id": [1]})), None);
    assert_eq!(event_id(&json!(5)), None);
}

#[test]
fn empty_and_unusable_top_levels() {
    for body in [
        "{}",
        r#"{"chats": null}"#,
        r#"{"chats": ""}"#,
        r#"{"chats": []}"#,
        r#"{"chats": {}}"#,
        r#"{"chats": {"chat": null}}"#,
        r#"{"chats": {"chat": []}}"#,
    ] {
        let s = decode_chats_reply(body, 200).unwrap_or_else(|e| unreachable!("{body}: {e}"));
        assert!(s.is_empty(), "{body}");
    }
    for (body, path) in [
        ("", "."),
        ("not json", "."),
        ("[1,2]", "."),
        ("null", "."),
        (r#"{"chats": 3}"#, "chats"),
        (r#"{"chats": "x"}"#, "chats"),
        (r#"{"chats": {"chat": []}} trailing"#, "."),
    ] {
        match decode_chats_reply(body, 200) {
            Err(ApiError::Decode {
                path: p,
                raw,
                status: 200,
                ..
            }) => {
                assert_eq!(p, path, "{body}");
                assert_eq!(raw, body);
            }
            other => unreachable!("{body}: {other:?}"),
        }
    }
    assert!(matches!(
        decode_chat_reply(r#"{"events": {}}"#, 200),
        Err(ApiError::Decode { path, .. }) if path == "chat"
    ));
    let s = decode_chat_reply(r#"{"chat": 5}"#, 200).unwrap_or_else(|e| unreachable!("{e}"));
    assert!(matches!(s.chat, Err(ApiError::Decode { path, .. }) if path == "chat"));
}

#[test]
fn chat_resource_isolates_events_too() {
    let mut c = chat(
        "K1",
        vec![
            line(0, "a"),
            json!({"id": 1, "type": "state", "time": []}),
            line(2, "c"),
        ],
    );
    c["events"]["link"] = json!({"href": format!("{C}/K1/events?from=3"), "rel": "next"});
    let s = decode_chat_reply(&json!({"chat": c}).to_string(), 200)
        .unwrap_or_else(|e| unreachable!("{e}"));
    assert_eq!(s.key.as_deref(), Some("K1"));
    assert_eq!(ids(&s), [0, 2]);
    assert_eq!(
        s.bad_events,
        [BadEvent {
            id: Some(1),
            error: s.bad_events[0].error.clone()
        }]
    );
    assert_eq!(
        ok(&s).events.next(),
        Some(format!("{C}/K1/events?from=3").as_str())
    );
}

#[test]
fn short_messages() {
    assert_eq!(
        short_message(r#"invalid type: string "hello there", expected i64"#),
        r#"invalid type: string "…", expected i64"#
    );
    assert_eq!(
        short_message(r#""say \"hi\" now" is not a timestamp"#),
        r#""…" is not a timestamp"#
    );
    assert_eq!(short_message("two\nlines"), "two lines");
    let long = "x".repeat(500);
    let s = short_message(&long);
    assert_eq!(s.chars().count(), MAX_MESSAGE);
    assert!(s.ends_with('…'));
    assert_eq!(short_message(r#"unclosed "quote"#), r#"unclosed "…""#);
}

#[test]
fn bad_event_errors_stay_short_with_their_path() {
    // serde prints a float such as 1e300 with every digit
    let mut c = chat("K1", vec![]);
    c["events"]["event"] =
        json!([[1e300, false], {"id": 2, "type": "line", "time": "x".repeat(400)}]);
    let s = slots(&json!({"chats": {"chat": c}}));
    assert_eq!(s[0].bad_events.len(), 2);
    for b in &s[0].bad_events {
        assert!(b.error.chars().count() <= MAX_MESSAGE, "{b:?}");
    }
    assert!(
        s[0].bad_events[0].error.starts_with("[0]: "),
        "{:?}",
        s[0].bad_events[0]
    );
    assert_eq!(s[0].bad_events[1].error, "time: \"…\" is not a timestamp");
}

#[test]
fn paths_join() {
    assert_eq!(join_path("a.info", "."), "a.info");
    assert_eq!(join_path("a.info", "agentId"), "a.info.agentId");
    assert_eq!(join_path("a.link", "[0].href"), "a.link[0].href");
}

/// The scanning path (`fast.rs`) reads every body as the tree path does: same chats, keys,
/// events, bad events, errors and paths. Everyday bodies must really take the scanning path.
#[test]
fn the_scanning_path_reads_as_the_tree_path() {
    let everyday = [
        include_str!("../../../tests/fixtures/spec_4_13_chats_repaired.json").to_string(),
        include_str!("../../../tests/fixtures/seed_000_multi_chat.json").to_string(),
        json!({"chats": {"chat": [chat("K1", vec![line(1, "a"), line(2, "b")]), chat("K2", vec![])]}})
            .to_string(),
        json!({"chats": {"chat": chat("K1", vec![line(4, "one")])}}).to_string(),
        // one event as a bare object, numbers as strings, `@` keys, duplicate keys (last wins)
        json!({"chats": {"chat": {"events": {"event": {"@id": "7", "@type": "line", "text": "x",
            "by": "visitor", "source": "visitor"}}, "info": {"chatSessionKey": 42, "state": "chatting"}}}})
            .to_string(),
        r#"{"chats":{"chat":{"events":{"event":[]},"info":{"chatSessionKey":"K9","chatSessionKey":"K8"}}}}"#
            .to_string(),
        // key from the self link only; events and info empty as an XML mapping makes them
        json!({"chats": {"chat": {"link": {"@href": format!("{C}/K3.json"), "@rel": "self"},
            "events": "", "info": null}}})
        .to_string(),
        json!({"chats": null}).to_string(),
        json!({"other": 1}).to_string(),
        json!({"chats": {"chat": []}}).to_string(),
        // a bad event among good ones, a broken link list, a lone surrogate
        json!({"chats": {"chat": chat("K4", vec![line(1, "a"), json!({"id": 2, "type": "line", "text": 5}), line(3, "c")])}})
            .to_string(),
        json!({"chats": {"chat": {"link": 7, "events": {"event": line(1, "a")}, "info": {"chatSessionKey": "K5"}}}})
            .to_string(),
        r#"{"chats":{"chat":{"events":{"event":{"id":1,"type":"line","text":"\ud83d x","by":"visitor","source":"visitor"}},"info":{"chatSessionKey":"K6"}}}}"#
            .to_string(),
    ];
    let odd = [
        "[]".to_string(),
        "7".to_string(),
        "not json".to_string(),
        json!({"chats": []}).to_string(),
        json!({"chats": ""}).to_string(),
        json!({"chats": 3}).to_string(),
        json!({"chats": {"chat": "x"}}).to_string(),
        json!({"chats": {"chat": [1, chat("K1", vec![])]}}).to_string(),
        json!({"chats": {"chat": {"error": {"code": 500}, "info": {"chatSessionKey": "K1"}}}}).to_string(),
        json!({"chats": {"chat": {"events": 5, "info": {"chatSessionKey": "K1"}}}}).to_string(),
        json!({"chats": {"chat": {"info": {"chatSessionKey": "K1", "agentId": {"x": 1}}}}}).to_string(),
        json!({"chats": {"chat": {"events": {"event": line(1, "a")}, "info": {"chatSessionKey": "K1", "agentId": []}}}})
            .to_string(),
        json!({"chats": {"chat": {"events": {"event": "\n"}, "info": {"chatSessionKey": "K1"}}}}).to_string(),
        r#"{"chats":{"chat":{"events":{"event":{"id":1,"id":2,"type":"line","text":"a","by":"visitor","source":"visitor"}}}}}"#
            .to_string(),
        json!({"chats": {"chat": {"events": {"link": 5, "event": line(1, "a")}, "info": {"chatSessionKey": "K1"}}}})
            .to_string(),
        r#"{"chats":{"chat":{"events":{"event":[],"event":{"id":1,"type":"state","state":"chatting"}},"info":{"chatSessionKey":"K1"}}}}"#
            .to_string(),
        r#"{"chats":{"chat":{"events":null,"link":null,"error":null,"info":{"chatSessionKey":"K\u0031 "}}}}"#
            .to_string(),
        r#"{"chats":{"chat":{"events":{"event":[]}},"chat":[]}}"#.to_string(),
        json!({"chats": {"chat": {"info": {"state": "chatting"}, "link": [{"rel": "self", "href": format!("{C}/K7")}]}}})
            .to_string(),
    ];
    for body in everyday.iter().chain(&odd) {
        let fast = format!("{:?}", decode_chats_reply(body, 200));
        let tree = format!("{:?}", decode_chats_reply_tree(body, 200));
        assert_eq!(fast, tree, "{body}");
    }
    for body in &everyday {
        assert!(
            fast::chats_reply(&repair_lone_surrogates(body), 200).is_some(),
            "the scanning path gave up on an everyday body: {body}"
        );
    }
}
