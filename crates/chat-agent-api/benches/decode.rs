//! Decoding speed on big, quirky replies: a multi-chat reply of 50 chats × 20 events (plain
//! keys, numeric ids, string `systemMessageId`, like spec §4.13) and a 1 000-event chat
//! (`@`-keys, string ids, mixed timestamp forms, like §4.12). The multi-chat reply is decoded
//! both as one typed document and chat by chat, event by event (`decode_chats_reply`, what
//! `chats_data` does), to show what the isolation costs.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use chat_agent_api::decode::decode_json;
use chat_agent_api::model::{ChatResponse, ChatsResponse, decode_chats_reply};
use criterion::{Criterion, criterion_group, criterion_main};
use serde_json::{Value, json};
use std::hint::black_box;
use std::time::Instant;

const C: &str =
    "https://va.agentvep.liveperson.net/api/account/90412345/agentSession/1027882276/chat";

fn event(i: usize, plain_keys: bool) -> Value {
    let (id_k, type_k) = if plain_keys {
        ("id", "type")
    } else {
        ("@id", "@type")
    };
    let id: Value = if plain_keys {
        json!(i)
    } else {
        json!(i.to_string())
    };
    let time = if i.is_multiple_of(2) {
        format!("2018-01-29T08:{:02}:{:02}.963-05:00", (i / 60) % 60, i % 60)
    } else {
        format!("2018-01-29T08:{:02}:{:02}-05:00", (i / 60) % 60, i % 60)
    };
    if i.is_multiple_of(10) {
        json!({id_k: id, type_k: "state", "time": time, "state": if i == 0 { "waiting" } else { "chatting" }})
    } else {
        let (source, by, text) = match i % 3 {
            0 => ("system", "info", String::new()),
            1 => (
                "visitor",
                "visitor",
                format!("visitor line {i} with some ordinary words in it"),
            ),
            _ => (
                "agent",
                "agent",
                format!("<div dir='ltr'>agent reply {i}</div>"),
            ),
        };
        let mut e = json!({id_k: id, type_k: "line", "time": time, "textType": if source == "agent" { "html" } else { "plain" },
            "text": text, "by": by, "source": source, "subType": "REGULAR"});
        if source == "system" {
            e["systemMessageId"] = if plain_keys { json!("4") } else { json!(4) };
        }
        e
    }
}

fn chat(key: &str, events: usize, plain_keys: bool) -> Value {
    let (h, r) = if plain_keys {
        ("href", "rel")
    } else {
        ("@href", "@rel")
    };
    let c = format!("{C}/{key}");
    json!({
        "link": [{h: c, r: "self"}, {h: format!("{c}/events"), r: "events"}, {h: format!("{c}/info"), r: "info"},
                 {h: format!("{c}?from={events}"), r: "next"}, {h: format!("{c}/transfer"), r: "transfer"}],
        "events": {
            "link": [{h: format!("{c}/events"), r: "self"}, {h: format!("{c}/events?from={events}"), r: "next"}],
            "event": (0..events).map(|i| event(i, plain_keys)).collect::<Vec<_>>()
        },
        "info": {"link": {h: format!("{c}/info"), r: "self"}, "state": "chatting", "chatSessionKey": key,
            "agentName": "Ann", "agentId": "5001", "startTime": "2018-01-29T08:19:43.976-05:00", "duration": 0,
            "lastUpdate": "2018-01-29T08:20:54.560-05:00", "chatTimeout": 40, "visitorId": 1_215_602_164_887_992_i64,
            "agentTyping": "not-typing", "visitorTyping": "typing", "visitorName": "Vera", "rtSessionId": 4_295_036_103_i64}
    })
}

fn multi_chat_body() -> String {
    let chats: Vec<Value> = (0..50)
        .map(|n| {
            chat(
                &format!("H{n:019}-b7d761017809489ea1a257461eb373eeK84574{n:02}"),
                20,
                true,
            )
        })
        .collect();
    json!({"chats": {"chat": chats}}).to_string()
}

fn big_chat_body() -> String {
    json!({"chat": chat("H2170755172687460894-b7d761017809489ea1a257461eb373eeK8457415", 1000, false)})
        .to_string()
}

fn per_decode<F: FnMut()>(mut f: F) -> f64 {
    for _ in 0..20 {
        f();
    }
    let n = 200;
    let t = Instant::now();
    for _ in 0..n {
        f();
    }
    t.elapsed().as_secs_f64() * 1e6 / f64::from(n)
}

fn bench(c: &mut Criterion) {
    let multi = multi_chat_body();
    let big = big_chat_body();
    let check: ChatsResponse = decode_json(&multi, 200).unwrap();
    assert_eq!(check.chats.unwrap().chat.len(), 50);
    let check: ChatResponse = decode_json(&big, 200).unwrap();
    assert_eq!(check.chat.events.event.len(), 1000);
    let slots = decode_chats_reply(&multi, 200).unwrap();
    assert_eq!(slots.len(), 50);
    assert!(
        slots
            .iter()
            .all(|s| s.bad_events.is_empty() && s.chat.is_ok())
    );

    let m = per_decode(|| {
        black_box(decode_json::<ChatsResponse>(black_box(&multi), 200).unwrap());
    });
    let mi = per_decode(|| {
        black_box(decode_chats_reply(black_box(&multi), 200).unwrap());
    });
    let b = per_decode(|| {
        black_box(decode_json::<ChatResponse>(black_box(&big), 200).unwrap());
    });
    let mv = per_decode(|| {
        black_box(serde_json::from_str::<Value>(black_box(&multi)).unwrap());
    });
    let bv = per_decode(|| {
        black_box(serde_json::from_str::<Value>(black_box(&big)).unwrap());
    });
    println!(
        "multi-chat 50x20 ({} bytes): {m:.1} µs per decode (plain serde_json::Value parse: {mv:.1} µs)",
        multi.len()
    );
    println!("multi-chat 50x20 chat by chat, event by event: {mi:.1} µs per decode");
    println!(
        "1000-event chat ({} bytes): {b:.1} µs per decode (plain serde_json::Value parse: {bv:.1} µs)",
        big.len()
    );

    c.bench_function("multi_chat_50x20", |bch| {
        bch.iter(|| decode_json::<ChatsResponse>(black_box(&multi), 200).unwrap())
    });
    c.bench_function("multi_chat_50x20_isolated", |bch| {
        bch.iter(|| decode_chats_reply(black_box(&multi), 200).unwrap())
    });
    c.bench_function("chat_1000_events", |bch| {
        bch.iter(|| decode_json::<ChatResponse>(black_box(&big), 200).unwrap())
    });
    c.bench_function("baseline_value_parse_multi_chat", |bch| {
        bch.iter(|| serde_json::from_str::<Value>(black_box(&multi)).unwrap())
    });
    c.bench_function("baseline_value_parse_chat_1000", |bch| {
        bch.iter(|| serde_json::from_str::<Value>(black_box(&big)).unwrap())
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
