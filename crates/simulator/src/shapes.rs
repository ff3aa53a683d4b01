//! JSON shapes of the wire format: links, one-or-many lists, events, chat info (spec §4, §9).

use serde_json::{Map, Value, json};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use crate::accounts::AGENTS;
use crate::model::{Chat, Event, EventBody};

/// Key style: `@href`/`@id` (most pages) or plain `href`/`id` (multi-chat, chatSessions).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Keys {
    /// `@`-prefixed attribute keys, ids as strings.
    At,
    /// Plain keys, numeric ids.
    Plain,
}

impl Keys {
    /// The key name in this style.
    pub fn k(self, name: &str) -> String {
        match self {
            Keys::At => format!("@{name}"),
            Keys::Plain => name.to_string(),
        }
    }
}

/// A link object `{"@href":…,"@rel":…}`.
pub fn link(keys: Keys, href: &str, rel: &str) -> Value {
    let mut m = Map::new();
    m.insert(keys.k("href"), Value::String(href.to_string()));
    m.insert(keys.k("rel"), Value::String(rel.to_string()));
    Value::Object(m)
}

/// Quirk §9.1: inserts a list; one member → bare object (unless `arrays`), none → key absent.
pub fn put_list(obj: &mut Map<String, Value>, key: &str, mut items: Vec<Value>, arrays: bool) {
    match items.len() {
        0 => {}
        1 if !arrays => {
            obj.insert(key.to_string(), items.remove(0));
        }
        _ => {
            obj.insert(key.to_string(), Value::Array(items));
        }
    }
}

/// An object holding one list under `key` (see [`put_list`]).
pub fn list_obj(key: &str, items: Vec<Value>, arrays: bool) -> Value {
    let mut m = Map::new();
    put_list(&mut m, key, items, arrays);
    Value::Object(m)
}

/// ISO-8601 with offset; millis only when not zero (quirk §9.6).
pub fn iso(ms: i64) -> String {
    let nanos = i128::from(ms) * 1_000_000;
    let t = OffsetDateTime::from_unix_timestamp_nanos(nanos).unwrap_or(OffsetDateTime::UNIX_EPOCH);
    let s = t.format(&Rfc3339).unwrap_or_default();
    // Rfc3339 prints "Z" for UTC and trims the fraction; the docs use "+00:00" style offsets.
    let base = s.trim_end_matches('Z');
    let base = base.split('.').next().unwrap_or(base);
    if ms.rem_euclid(1000) == 0 {
        format!("{base}+00:00")
    } else {
        format!("{base}.{:03}+00:00", ms.rem_euclid(1000))
    }
}

/// Login-service style time, like `Sep 22, 2016 4:10:15 PM`.
pub fn login_time(ms: i64) -> String {
    let nanos = i128::from(ms) * 1_000_000;
    let t = OffsetDateTime::from_unix_timestamp_nanos(nanos).unwrap_or(OffsetDateTime::UNIX_EPOCH);
    let month = format!("{:?}", t.month());
    let (h, ampm) = match t.hour() {
        0 => (12, "AM"),
        h @ 1..=11 => (h, "AM"),
        12 => (12, "PM"),
        h => (h - 12, "PM"),
    };
    format!(
        "{} {}, {} {}:{:02}:{:02} {}",
        month.get(..3).unwrap_or("Jan"),
        t.day(),
        t.year(),
        h,
        t.minute(),
        t.second(),
        ampm
    )
}

/// One event. `@` style: `"@id":"3"`, numeric `systemMessageId`; plain style: `"id":3`,
/// string `systemMessageId` (as the multi-chat doc example shows).
pub fn event_json(ev: &Event, keys: Keys) -> Value {
    let mut m = Map::new();
    match keys {
        Keys::At => m.insert("@id".into(), Value::String(ev.id.to_string())),
        Keys::Plain => m.insert("id".into(), json!(ev.id)),
    };
    match &ev.body {
        EventBody::State(s) => {
            m.insert(keys.k("type"), json!("state"));
            m.insert("time".into(), json!(iso(ev.time_ms)));
            m.insert("state".into(), json!(s.as_str()));
        }
        EventBody::Line(l) => {
            m.insert(keys.k("type"), json!("line"));
            m.insert("time".into(), json!(iso(ev.time_ms)));
            m.insert("textType".into(), json!(l.text_type));
            m.insert("text".into(), json!(l.text));
            m.insert("by".into(), json!(l.by));
            m.insert("source".into(), json!(l.source));
            if let Some(id) = l.system_message_id {
                match keys {
                    Keys::At => m.insert("systemMessageId".into(), json!(id)),
                    Keys::Plain => m.insert("systemMessageId".into(), json!(id.to_string())),
                };
            }
            m.insert("subType".into(), json!(l.sub_type));
            if let Some(j) = &l.json {
                m.insert("json".into(), j.clone());
            }
        }
    }
    Value::Object(m)
}

/// `{"link":[self,next],"event":…}` for events with id ≥ `from`; `next` = last id + 1 (or
/// `from` when none). Rule (spec §10 "Polling contract").
pub fn events_json(chat: &Chat, chat_url: &str, from: u64, keys: Keys, arrays: bool) -> Value {
    let evs: Vec<Value> = chat
        .events
        .iter()
        .filter(|e| e.id >= from)
        .map(|e| event_json(e, keys))
        .collect();
    let next = chat.events.last().map(|e| e.id + 1).unwrap_or(0).max(from);
    let mut m = Map::new();
    m.insert(
        "link".into(),
        json!([
            link(keys, &format!("{chat_url}/events"), "self"),
            link(keys, &format!("{chat_url}/events?from={next}"), "next"),
        ]),
    );
    put_list(&mut m, "event", evs, arrays);
    Value::Object(m)
}

/// The chat info object (spec §4.17), numbers as the docs show them.
pub fn info_json(chat: &Chat, chat_url: &str, keys: Keys, now: i64) -> Value {
    let (agent_name, agent_id) = chat
        .agent
        .and_then(|a| AGENTS.get(a))
        .map(|d| (d.nickname, i64::from(d.id)))
        .unwrap_or(("", 0));
    let typing = |b: bool| if b { "typing" } else { "not-typing" };
    let mut info = json!({
        "link": [
            link(keys, &format!("{chat_url}/info"), "self"),
            link(keys, &format!("{chat_url}/info/visitorName"), "visitor-name"),
            link(keys, &format!("{chat_url}/info/visitorTyping"), "visitor-typing"),
            link(keys, &format!("{chat_url}/info/agentTyping"), "agent-typing"),
        ],
        "state": chat.state.as_str(),
        "chatSessionKey": chat.key,
        "agentName": agent_name,
        "agentId": agent_id,
        "startTime": iso(chat.start_ms),
        "duration": (now - chat.start_ms).max(0) / 1000,
        "lastUpdate": iso(chat.last_update_ms),
        "chatTimeout": chat.chat_timeout_secs,
        "visitorId": chat.visitor_id,
        "agentTyping": typing(chat.agent_typing),
        "visitorTyping": typing(chat.visitor_typing),
        "visitorName": chat.visitor_name,
        "rtSessionId": chat.rt_session_id,
    });
    // Spec §4.17: `participantId` only for SSO-authenticated visitors.
    if let (Some(pid), Some(m)) = (&chat.participant_id, info.as_object_mut()) {
        m.insert("participantId".into(), json!(pid));
    }
    info
}

/// The chat resource body (spec §4.12): links, events from `from`, info.
pub fn chat_json(
    chat: &Chat,
    session_url: &str,
    from: u64,
    keys: Keys,
    arrays: bool,
    now: i64,
) -> Value {
    let c = format!("{session_url}/chat/{}", chat.key);
    let next = chat.events.last().map(|e| e.id + 1).unwrap_or(0).max(from);
    json!({
        "link": [
            link(keys, &c, "self"),
            link(keys, &format!("{c}/events"), "events"),
            link(keys, &format!("{c}/info"), "info"),
            link(keys, &format!("{c}?from={next}"), "next"),
            link(keys, &format!("{c}/collaborationChannels"), "collaboration-channels"),
            link(keys, &format!("{session_url}/visits/visit/{}", chat.visit_id), "visit-id"),
            link(keys, &format!("{c}/transfer"), "transfer"),
            link(keys, &format!("{c}/transferAccount"), "transfer-account"),
            link(keys, &format!("{c}/survey"), "agent-survey"),
        ],
        "events": events_json(chat, &c, from, keys, arrays),
        "info": info_json(chat, &c, keys, now),
    })
}

/// Events as the visitor sees them: agent-only lines (`ONLY_TO_REP`) removed.
pub fn visitor_view(chat: &Chat) -> Vec<Value> {
    chat.events
        .iter()
        .filter(|e| !matches!(&e.body, EventBody::Line(l) if l.agent_only()))
        .map(|e| event_json(e, Keys::At))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso_has_offset_and_optional_millis() {
        assert_eq!(iso(1_440_947_162_000), "2015-08-30T15:06:02+00:00");
        assert_eq!(iso(1_440_947_162_001), "2015-08-30T15:06:02.001+00:00");
    }

    #[test]
    fn login_time_format() {
        assert_eq!(login_time(1_474_560_615_000), "Sep 22, 2016 4:10:15 PM");
    }

    #[test]
    fn one_or_many() {
        let one = list_obj("x", vec![json!(1)], false);
        assert_eq!(one, json!({"x": 1}));
        let arr = list_obj("x", vec![json!(1)], true);
        assert_eq!(arr, json!({"x": [1]}));
        assert_eq!(list_obj("x", vec![], false), json!({}));
    }
}
