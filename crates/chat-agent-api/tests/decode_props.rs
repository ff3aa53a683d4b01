//! Property tests of the tolerant decoders on generated, API-shaped JSON (spec §9): one-or-many
//! lists, `@` and plain keys, numbers as numbers or strings, nulls and missing keys, odd Unicode
//! with lone UTF-16 surrogate escapes written into strings, huge numbers, wrong types anywhere.
//!
//! Properties:
//! - no decoder ever panics, whatever the body;
//! - well-formed generated bodies always decode, and the chat-by-chat decoder agrees with the
//!   typed one on them;
//! - in a multi-chat reply, a corrupted event only ever removes that event: its neighbours, the
//!   other chats and every chat's key are still there (and a corrupted chat only removes itself).
//!
//! `PROPTEST_CASES` sets the number of cases per property (default [`DEFAULT_CASES`]);
//! `scripts/fuzz-decoder.sh` runs this file in release for a given time.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use chat_agent_api::decode::decode_json;
use chat_agent_api::model::{
    AvailabilityResponse, ChatInfoResponse, ChatResponse, ChatSessionsResponse, ChatsResponse,
    EventsResponse, IncomingRequestsResponse, decode_chat_reply, decode_chats_reply,
};
use chat_agent_api::{ApiError, EventKind};
use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::select;
use serde_json::{Map, Value, json};

/// Cases per property when `PROPTEST_CASES` is not set: keeps the file under a few seconds in a
/// debug build.
const DEFAULT_CASES: u32 = 256;

fn config() -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(DEFAULT_CASES);
    ProptestConfig {
        cases,
        ..ProptestConfig::default()
    }
}

// Characters standing for escapes a Rust string cannot hold; `wire` writes them out.
/// Becomes `\ud83d` (high surrogate, lower-case hex).
const HIGH: char = '\u{FDD0}';
/// Becomes `\ude00` (low surrogate).
const LOW: char = '\u{FDD1}';
/// Becomes `\uDBFF` (high surrogate, upper-case hex).
const HIGH_UPPER: char = '\u{FDD2}';
/// A string value that is exactly this becomes a 30-digit integer literal.
const BIG: &str = "\u{FDDF}";
const BIG_LITERAL: &str = "123456789012345678901234567890";

/// The body as a server would send it.
fn wire(v: &Value) -> String {
    v.to_string()
        .replace(&format!("\"{BIG}\""), BIG_LITERAL)
        .replace(HIGH, "\\ud83d")
        .replace(LOW, "\\ude00")
        .replace(HIGH_UPPER, "\\uDBFF")
}

/// What a tolerant decoder must make of a generated text: a high marker followed by a low one
/// is a real pair; any other marker is U+FFFD.
fn expected_text(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < chars.len() {
        let high = match chars[i] {
            HIGH => Some(0xD83D_u32),
            HIGH_UPPER => Some(0xDBFF),
            _ => None,
        };
        match (high, chars[i]) {
            (Some(h), _) if chars.get(i + 1) == Some(&LOW) => {
                let c = 0x10000 + ((h - 0xD800) << 10) + (0xDE00 - 0xDC00);
                out.push(char::from_u32(c).unwrap());
                i += 2;
                continue;
            }
            (Some(_), _) | (None, LOW) => out.push('\u{FFFD}'),
            (None, c) => out.push(c),
        }
        i += 1;
    }
    out
}

fn text() -> impl Strategy<Value = String> {
    vec(
        prop_oneof![
            6 => any::<char>().prop_map(|c| if ('\u{FDD0}'..='\u{FDEF}').contains(&c) { 'x' } else { c }),
            3 => select(vec!['a', 'Z', ' ', 'é', '😀', '"', '\\', '\n', '日', '\u{0}', '/']),
            1 => Just(HIGH),
            1 => Just(LOW),
            1 => Just(HIGH_UPPER),
        ],
        0..14,
    )
    .prop_map(|cs| cs.into_iter().collect())
}

/// A number as a JSON number or as a string (spec §9 quirk 4).
fn flex(n: i64) -> impl Strategy<Value = Value> {
    prop_oneof![Just(json!(n)), Just(json!(n.to_string()))]
}

fn timestamp() -> impl Strategy<Value = Option<Value>> {
    prop_oneof![
        Just(None),
        Just(Some(Value::Null)),
        Just(Some(json!(""))),
        Just(Some(json!("2018-01-29T08:19:43.963-05:00"))),
        Just(Some(json!("2015-08-30T18:06:02+03:00"))),
        Just(Some(json!(1_440_934_609_097_i64))),
        Just(Some(json!("1440934609097"))),
    ]
}

/// `@name` or `name` (spec §9 quirk 3).
fn key(plain: bool, name: &str) -> String {
    if plain {
        name.to_string()
    } else {
        format!("@{name}")
    }
}

fn link(plain: bool, rel: &str, href: &str) -> Value {
    json!({ key(plain, "href"): href, key(plain, "rel"): rel })
}

/// A list in one of the shapes the server uses for it (spec §9 quirks 1–2); `None` = key left out.
fn one_or_many(items: Vec<Value>) -> BoxedStrategy<Option<Value>> {
    match items.len() {
        0 => prop_oneof![Just(None), Just(Some(Value::Null)), Just(Some(json!([])))].boxed(),
        1 => {
            let one = items[0].clone();
            prop_oneof![Just(Some(one)), Just(Some(Value::Array(items)))].boxed()
        }
        _ => Just(Some(Value::Array(items))).boxed(),
    }
}

fn put(m: &mut Map<String, Value>, k: &str, v: Option<Value>) {
    if let Some(v) = v {
        m.insert(k.to_string(), v);
    }
}

/// A well-formed event and, for lines, the text a decoder must produce.
#[derive(Debug, Clone)]
struct GenEvent {
    id: i64,
    value: Value,
    text: Option<String>,
}

fn event(id: i64, secret_text: bool) -> impl Strategy<Value = GenEvent> {
    let line_text = if secret_text {
        text().prop_map(|t| format!("secret-{t}")).boxed()
    } else {
        text().boxed()
    };
    (
        any::<bool>(),
        flex(id),
        0u8..4,
        line_text,
        timestamp(),
        prop_oneof![Just(None), flex(3).prop_map(Some), flex(4).prop_map(Some)],
        select(vec!["waiting", "chatting", "ended", "paused"]),
        select(vec!["plain", "html", "rich-content", "weird"]),
        select(vec!["visitor", "agent", "system", "bot"]),
        prop_oneof![Just(None), Just(Some("REGULAR")), Just(Some("ONLY_TO_REP"))],
    )
        .prop_map(
            move |(plain, idv, kind, t, time, sys, state, text_type, source, sub)| {
                let mut m = Map::new();
                m.insert(key(plain, "id"), idv);
                put(&mut m, "time", time);
                let mut line_text = None;
                let ty = match kind {
                    0 => {
                        m.insert("state".into(), json!(state));
                        "state"
                    }
                    1 | 2 => {
                        m.insert("text".into(), json!(t));
                        m.insert("textType".into(), json!(text_type));
                        m.insert("by".into(), json!(source));
                        m.insert("source".into(), json!(source));
                        put(&mut m, "systemMessageId", sys);
                        put(&mut m, "subType", sub.map(|s| json!(s)));
                        if kind == 2 {
                            m.insert(
                                "json".into(),
                                json!({"type": "vertical", "elements": [{"type": "text", "text": t}]}),
                            );
                        }
                        line_text = Some(expected_text(&t));
                        "line"
                    }
                    _ => "resource",
                };
                m.insert(key(plain, "type"), json!(ty));
                GenEvent {
                    id,
                    value: Value::Object(m),
                    text: line_text,
                }
            },
        )
}

fn events(first: i64, count: usize, secret_text: bool) -> impl Strategy<Value = Vec<GenEvent>> {
    (0..count)
        .map(|i| event(first + i as i64, secret_text))
        .collect::<Vec<_>>()
}

/// An `events` element around `items`.
fn events_element(href: String, items: Vec<Value>) -> impl Strategy<Value = Value> {
    (any::<bool>(), one_or_many(items), any::<bool>()).prop_map(move |(plain, list, links)| {
        let mut m = Map::new();
        if links {
            m.insert(
                "link".into(),
                json!([
                    link(plain, "self", &href),
                    link(plain, "next", &format!("{href}?from=9"))
                ]),
            );
        }
        put(&mut m, "event", list);
        Value::Object(m)
    })
}

const C: &str =
    "https://va.agentvep.liveperson.net/api/account/90412345/agentSession/1027882276/chat";

fn info(key: Option<String>) -> impl Strategy<Value = Value> {
    (
        select(vec!["waiting", "chatting", "ended"]),
        flex(5001),
        timestamp(),
        flex(40),
        flex(1_222_309_710_121),
        flex(4_294_992_744),
        text(),
        select(vec!["typing", "not-typing", "unknown"]),
        any::<bool>(),
    )
        .prop_map(
            move |(state, agent_id, start, timeout, visitor_id, rt, name, typing, plain)| {
                let mut m = Map::new();
                m.insert("state".into(), json!(state));
                if let Some(k) = &key {
                    m.insert("chatSessionKey".into(), json!(k));
                    m.insert("link".into(), link(plain, "self", &format!("{C}/{k}/info")));
                }
                m.insert("agentName".into(), json!("Agent Nick"));
                m.insert("agentId".into(), agent_id);
                put(&mut m, "startTime", start);
                m.insert("duration".into(), json!(0));
                m.insert("chatTimeout".into(), timeout);
                m.insert("visitorId".into(), visitor_id);
                m.insert("agentTyping".into(), json!("not-typing"));
                m.insert("visitorTyping".into(), json!(typing));
                m.insert("visitorName".into(), json!(name));
                m.insert("rtSessionId".into(), rt);
                Value::Object(m)
            },
        )
}

/// A well-formed chat whose key is in `info.chatSessionKey`, in its `self` link, or in both.
#[derive(Debug, Clone)]
struct GenChat {
    key: String,
    value: Value,
    events: Vec<GenEvent>,
    /// The key can be read from the `self` link (so a broken `info` does not lose it).
    key_in_link: bool,
}

fn chat(index: usize, secret_text: bool) -> impl Strategy<Value = GenChat> {
    let key = format!("H{index}470947461532884-2767456311409308813K84140{index}");
    (
        0i64..500,
        0usize..5,
        0u8..3,
        any::<bool>(),
        select(vec!["", ".json", "?from=4"]),
    )
        .prop_flat_map(move |(first, count, key_mode, plain, suffix)| {
            let key = key.clone();
            let href = format!("{C}/{key}");
            (
                events(first, count, secret_text),
                info((key_mode != 2).then(|| key.clone())),
            )
                .prop_flat_map(move |(evs, info)| {
                    let items: Vec<Value> = evs.iter().map(|e| e.value.clone()).collect();
                    let (key, href, suffix) = (key.clone(), href.clone(), suffix);
                    events_element(format!("{href}/events"), items).prop_map(move |events_el| {
                        let key_in_link = key_mode != 1;
                        let mut links = vec![link(plain, "events", &format!("{href}/events"))];
                        if key_in_link {
                            links.insert(0, link(plain, "self", &format!("{href}{suffix}")));
                        }
                        let value = json!({"link": links, "events": events_el, "info": info});
                        GenChat {
                            key: key.clone(),
                            value,
                            events: evs.clone(),
                            key_in_link,
                        }
                    })
                })
        })
}

fn chats(secret_text: bool) -> impl Strategy<Value = Vec<GenChat>> {
    (0usize..5).prop_flat_map(move |n| (0..n).map(|i| chat(i, secret_text)).collect::<Vec<_>>())
}

fn multi_chat_body(list: Vec<Value>) -> impl Strategy<Value = Value> {
    one_or_many(list).prop_map(|chat| match chat {
        None => json!({}),
        Some(Value::Null) => json!({"chats": null}),
        Some(c) => json!({"chats": {"chat": c}}),
    })
}

/// Some well-formed body of one of the response types.
fn any_body() -> impl Strategy<Value = Value> {
    prop_oneof![
        chat(0, false).prop_map(|c| json!({"chat": c.value})),
        chats(false).prop_flat_map(|cs| multi_chat_body(cs.into_iter().map(|c| c.value).collect())),
        (0i64..50, 0usize..5)
            .prop_flat_map(|(first, n)| events(first, n, false))
            .prop_flat_map(|evs| events_element(
                format!("{C}/K/events"),
                evs.into_iter().map(|e| e.value).collect()
            ))
            .prop_map(|e| json!({"events": e})),
        info(Some("K1".into())).prop_map(|i| json!({"info": i})),
        (flex(0), flex(1), any::<bool>()).prop_map(|(zero, one, ringing)| {
            json!({"incomingRequests": if ringing {
                json!({"link": {"@href": "https://h/incomingRequests", "@rel": "next"}, "ringingCount": one})
            } else {
                json!({"ringingCount": zero})
            }})
        }),
        (select(vec!["Online", "Away", "Occupied", "Offline", "2"]), any::<bool>()).prop_map(
            |(a, voice)| {
                let mut inner = json!({"chat": a});
                if voice {
                    inner["voice"] = json!("Offline");
                }
                json!({"availability": inner})
            }
        ),
        (0usize..4, any::<bool>()).prop_flat_map(|(n, plain)| {
            let sessions: Vec<Value> = (0..n)
                .map(|i| {
                    json!({"link": link(plain, "chat-session", &format!("{C}/K{i}")),
                        "chatSessionKey": format!("K{i}"), "startTime": 1_440_934_609_097_i64})
                })
                .collect();
            one_or_many(sessions).prop_map(|s| match s {
                None => json!({}),
                Some(Value::Null) => json!({"chatSessions": null}),
                Some(s) => json!({"chatSessions": {"chatSession": s}}),
            })
        }),
    ]
}

/// A value of a wrong or odd type.
fn junk() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        Just(json!(u64::MAX)),
        Just(json!(1e300)),
        Just(json!(-0.5)),
        Just(json!(BIG)),
        text().prop_map(Value::String),
        Just(json!("")),
        Just(json!("-1")),
    ];
    leaf.prop_recursive(2, 8, 3, |inner| {
        prop_oneof![
            vec(inner.clone(), 0..3).prop_map(Value::Array),
            vec(("[a-z@]{1,6}", inner), 0..3)
                .prop_map(|kv| Value::Object(kv.into_iter().collect())),
        ]
    })
}

/// Every node of `v` as a path of object keys / array indexes.
fn paths(v: &Value, here: &mut Vec<Step>, out: &mut Vec<Vec<Step>>) {
    out.push(here.clone());
    match v {
        Value::Object(m) => {
            for (k, child) in m {
                here.push(Step::Key(k.clone()));
                paths(child, here, out);
                here.pop();
            }
        }
        Value::Array(a) => {
            for (i, child) in a.iter().enumerate() {
                here.push(Step::Index(i));
                paths(child, here, out);
                here.pop();
            }
        }
        _ => {}
    }
}

#[derive(Debug, Clone)]
enum Step {
    Key(String),
    Index(usize),
}

fn node<'a>(v: &'a mut Value, path: &[Step]) -> Option<&'a mut Value> {
    path.iter().try_fold(v, |cur, step| match step {
        Step::Key(k) => cur.get_mut(k.as_str()),
        Step::Index(i) => cur.get_mut(*i),
    })
}

/// Replaces the nodes picked by `picks` (indexes into every node, modulo) with junk.
fn mutate(mut v: Value, picks: &[(usize, Value)]) -> Value {
    for (pick, replacement) in picks {
        let mut all = Vec::new();
        paths(&v, &mut Vec::new(), &mut all);
        let path = &all[pick % all.len()];
        if let Some(n) = node(&mut v, path) {
            *n = replacement.clone();
        }
    }
    v
}

/// Runs every decoder on `body`; none may panic.
fn decode_everything(body: &str) {
    let _ = decode_json::<ChatResponse>(body, 200);
    let _ = decode_json::<ChatsResponse>(body, 200);
    let _ = decode_json::<EventsResponse>(body, 200);
    let _ = decode_json::<ChatInfoResponse>(body, 200);
    let _ = decode_json::<IncomingRequestsResponse>(body, 200);
    let _ = decode_json::<AvailabilityResponse>(body, 200);
    let _ = decode_json::<ChatSessionsResponse>(body, 200);
    let _ = decode_json::<Value>(body, 200);
    if let Ok(slots) = decode_chats_reply(body, 200) {
        for s in slots {
            for b in &s.bad_events {
                assert!(
                    !b.error.contains('\n') && b.error.chars().count() <= 160,
                    "{b:?}"
                );
            }
        }
    }
    let _ = decode_chat_reply(body, 200);
}

/// A change to one event that no decoder can accept, and whether the event's id stays readable.
#[derive(Debug, Clone, Copy)]
enum Corruption {
    IdIsAnObject,
    IdIsText,
    IdMissing,
    TextIsANumber,
    TimeIsNotATime,
    TimeIsAList,
    EventIsAString,
    EventIsANumber,
}

impl Corruption {
    fn all() -> Vec<Corruption> {
        use Corruption::*;
        vec![
            IdIsAnObject,
            IdIsText,
            IdMissing,
            TextIsANumber,
            TimeIsNotATime,
            TimeIsAList,
            EventIsAString,
            EventIsANumber,
        ]
    }

    fn keeps_id(self) -> bool {
        matches!(
            self,
            Corruption::TextIsANumber | Corruption::TimeIsNotATime | Corruption::TimeIsAList
        )
    }

    fn apply(self, ev: &mut Value) {
        let id_keys = ["@id", "id"];
        let m = ev.as_object_mut().unwrap();
        match self {
            Corruption::IdIsAnObject | Corruption::IdIsText | Corruption::IdMissing => {
                for k in id_keys {
                    if m.remove(k).is_some() {
                        match self {
                            Corruption::IdIsAnObject => {
                                m.insert(k.into(), json!({"n": 1}));
                            }
                            Corruption::IdIsText => {
                                m.insert(k.into(), json!("secret-id"));
                            }
                            _ => {}
                        }
                    }
                }
            }
            Corruption::TextIsANumber => {
                m.insert("text".into(), json!(12));
            }
            Corruption::TimeIsNotATime => {
                m.insert("time".into(), json!("secret-when"));
            }
            Corruption::TimeIsAList => {
                m.insert("time".into(), json!([1, 2]));
            }
            Corruption::EventIsAString => *ev = json!("secret-event"),
            Corruption::EventIsANumber => *ev = json!(7),
        }
    }
}

/// A multi-chat reply with some events corrupted and some chats replaced by junk, and what must
/// come out of it.
#[derive(Debug, Clone)]
struct Damaged {
    body: String,
    chats: Vec<GenChat>,
    /// Per chat: the corrupted event positions and how.
    corrupted: Vec<Vec<(usize, Corruption)>>,
    /// Per chat: replaced by a non-object.
    chat_gone: Vec<bool>,
    /// Per chat: `info` replaced by junk.
    info_broken: Vec<bool>,
}

fn damaged() -> impl Strategy<Value = Damaged> {
    chats(true)
        .prop_filter("at least one chat", |cs| !cs.is_empty())
        .prop_flat_map(|cs| {
            let n = cs.len();
            let per_chat: Vec<_> = cs
                .iter()
                .map(|c| {
                    vec(
                        (any::<bool>(), select(Corruption::all())),
                        c.events.len()..=c.events.len(),
                    )
                })
                .collect();
            (
                Just(cs),
                per_chat,
                vec(prop::bool::weighted(0.15), n..=n),
                vec(prop::bool::weighted(0.2), n..=n),
                prop_oneof![
                    Just(json!("junk")),
                    Just(json!(3)),
                    Just(json!([1])),
                    Just(json!(true))
                ],
                any::<bool>(),
            )
        })
        .prop_map(
            |(cs, per_chat, gone, info_broken, chat_junk, single_as_object)| {
                let mut values = Vec::new();
                let mut corrupted = Vec::new();
                let mut info_broken_out = Vec::new();
                for (i, c) in cs.iter().enumerate() {
                    let mut v = c.value.clone();
                    let mut hits = Vec::new();
                    for (pos, (hit, how)) in per_chat[i].iter().enumerate() {
                        if *hit {
                            let ev = match &mut v["events"]["event"] {
                                Value::Array(a) => &mut a[pos],
                                one => one,
                            };
                            how.apply(ev);
                            hits.push((pos, *how));
                        }
                    }
                    // A broken info only when the key can still be read from the self link.
                    let break_info = info_broken[i] && c.key_in_link;
                    if break_info {
                        v["info"] = json!({"chatSessionKey": ["no"], "agentId": {"x": 1}});
                    }
                    info_broken_out.push(break_info);
                    corrupted.push(hits);
                    values.push(if gone[i] { chat_junk.clone() } else { v });
                }
                let list = if values.len() == 1 && single_as_object {
                    values.pop().unwrap()
                } else {
                    Value::Array(values)
                };
                Damaged {
                    body: wire(&json!({"chats": {"chat": list}})),
                    chats: cs,
                    corrupted,
                    chat_gone: gone,
                    info_broken: info_broken_out,
                }
            },
        )
}

proptest! {
    #![proptest_config(config())]

    /// Well-formed bodies decode; the chat-by-chat decoder agrees with the typed one.
    #[test]
    fn well_formed_bodies_decode(v in any_body()) {
        let body = wire(&v);
        let root = v.as_object().unwrap();
        let typed_ok = if root.contains_key("chat") {
            let typed = decode_json::<ChatResponse>(&body, 200);
            prop_assert!(typed.is_ok(), "{:?}\n{body}", typed.err());
            let slot = decode_chat_reply(&body, 200).unwrap();
            prop_assert!(slot.bad_events.is_empty());
            prop_assert_eq!(slot.chat.as_ref().ok(), typed.as_ref().ok().map(|r| &r.chat));
            true
        } else if root.contains_key("events") {
            decode_json::<EventsResponse>(&body, 200).is_ok()
        } else if root.contains_key("info") {
            decode_json::<ChatInfoResponse>(&body, 200).is_ok()
        } else if root.contains_key("incomingRequests") {
            decode_json::<IncomingRequestsResponse>(&body, 200).is_ok()
        } else if root.contains_key("availability") {
            decode_json::<AvailabilityResponse>(&body, 200).is_ok()
        } else if root.contains_key("chatSessions") {
            decode_json::<ChatSessionsResponse>(&body, 200).is_ok()
        } else {
            // `{}` or `{"chats": …}`: the multi-chat reply (and an empty chatSessions).
            let typed = decode_json::<ChatsResponse>(&body, 200);
            prop_assert!(typed.is_ok(), "{:?}\n{body}", typed.err());
            let typed = typed.unwrap().chats.map(|c| c.chat.into_vec()).unwrap_or_default();
            let slots = decode_chats_reply(&body, 200).unwrap();
            prop_assert_eq!(slots.len(), typed.len());
            for (s, t) in slots.iter().zip(&typed) {
                prop_assert!(s.bad_events.is_empty());
                prop_assert_eq!(s.chat.as_ref().ok(), Some(t));
                prop_assert!(s.key.is_some());
            }
            true
        };
        prop_assert!(typed_ok, "{body}");
        decode_everything(&body);
    }

    /// Whatever is put wherever, no decoder panics.
    #[test]
    fn odd_bodies_never_panic(
        v in any_body(),
        picks in vec((any::<usize>(), junk()), 0..4),
    ) {
        let body = wire(&mutate(v, &picks));
        decode_everything(&body);
    }

    /// Raw text damage (cut, spliced, surrogates anywhere) never panics either.
    #[test]
    fn damaged_text_never_panics(
        v in any_body(),
        cut in any::<usize>(),
        insert in select(vec!["\\ud83d", "\\uDE00", "\\", "\"", "\\u", "\\ud83d\\", "}", "]"]),
        at in any::<usize>(),
    ) {
        let body = wire(&v);
        let mut bytes = body.clone().into_bytes();
        let at = at % (bytes.len() + 1);
        bytes.splice(at..at, insert.bytes());
        bytes.truncate(bytes.len() - cut % (bytes.len() / 4 + 1));
        let text = String::from_utf8_lossy(&bytes).into_owned();
        decode_everything(&text);
    }

    /// A corrupted event only removes itself; a corrupted chat only itself; keys survive.
    #[test]
    fn corrupted_events_only_remove_themselves(d in damaged()) {
        let slots = decode_chats_reply(&d.body, 200);
        prop_assert!(slots.is_ok(), "{:?}", slots.err());
        let slots = slots.unwrap();
        prop_assert_eq!(slots.len(), d.chats.len());
        for (i, (slot, c)) in slots.iter().zip(&d.chats).enumerate() {
            if d.chat_gone[i] {
                prop_assert_eq!(&slot.key, &None);
                let is_decode_error = matches!(slot.chat, Err(ApiError::Decode { .. }));
                prop_assert!(is_decode_error);
                continue;
            }
            prop_assert_eq!(slot.key.as_deref(), Some(c.key.as_str()), "chat {}", i);
            let chat = match &slot.chat {
                Ok(chat) => chat,
                Err(e) => return Err(TestCaseError::fail(format!("chat {i}: {e}\n{}", d.body))),
            };
            let hits = &d.corrupted[i];
            let hit = |pos: usize| hits.iter().find(|(p, _)| *p == pos).map(|(_, how)| *how);
            let want: Vec<&GenEvent> = c
                .events
                .iter()
                .enumerate()
                .filter(|(pos, _)| hit(*pos).is_none())
                .map(|(_, e)| e)
                .collect();
            let got_ids: Vec<i64> = chat.events.event.iter().map(|e| e.id).collect();
            let want_ids: Vec<i64> = want.iter().map(|e| e.id).collect();
            prop_assert_eq!(got_ids, want_ids, "chat {}", i);
            for (got, want) in chat.events.event.iter().zip(&want) {
                if let (EventKind::Line(l), Some(t)) = (&got.kind, &want.text) {
                    prop_assert_eq!(&l.text, t);
                }
            }
            let want_bad: Vec<Option<i64>> = hits
                .iter()
                .map(|(pos, how)| how.keeps_id().then_some(c.events[*pos].id))
                .collect();
            let got_bad: Vec<Option<i64>> = slot.bad_events.iter().map(|b| b.id).collect();
            prop_assert_eq!(got_bad, want_bad, "chat {}", i);
            for b in &slot.bad_events {
                prop_assert!(!b.error.contains("secret"), "{:?}", b);
                prop_assert!(!b.error.contains('\n') && !b.error.is_empty());
            }
            if d.info_broken[i] {
                prop_assert!(chat.info.is_none());
            } else {
                prop_assert!(chat.info.is_some());
            }
        }
    }
}
