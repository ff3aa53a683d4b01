//! Chat-by-chat, event-by-event decoding of chat replies (spec §4.13, §9 quirk 16).
//!
//! A multi-chat reply carries every active chat of the desk. Decoding it as one typed document
//! means one odd value (a lone surrogate, a wrong type in one event) loses every chat for that
//! poll. Here the body is parsed once into a [`serde_json::Value`], then each chat and each of
//! its events is decoded on its own:
//!
//! - an event that does not decode is left out of `chat.events` and listed in
//!   [`ChatSlot::bad_events`] (with its id when that can still be read);
//! - `info`, the chat's `link` list and the events' `link` list are secondary: when one of them
//!   does not decode, the chat is returned without it (a `tracing` warning names the JSON path).
//!   Only when nothing else of the chat was there (no `events` element, no links) does a broken
//!   `info` make the chat's result an error;
//! - a chat element that is not an object, or whose `events` element is neither an object nor
//!   empty, is an [`ApiError::Decode`] for that chat alone; a `chat.error` in the 2xx reply is an
//!   [`ApiError::ChatError`] for that chat alone.
//!
//! The chat's key is read from the raw value (`info.chatSessionKey`, else the `self` link), so a
//! chat that fails still says which chat it is.

use super::chat::{Chat, ChatInfo};
use super::event::{Event, Events};
use crate::decode::surrogates::repair_lone_surrogates;
use crate::decode::{Links, OneOrMany};
use crate::error::ApiError;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

/// One chat of a Retrieve Data for Multiple Chats reply (or of a chat resource), decoded on its
/// own.
#[derive(Debug, Clone)]
pub struct ChatSlot {
    /// The chat's key: `info.chatSessionKey`, else the last path segment of its `self` link
    /// (`.json` trimmed); `None` when neither can be read.
    pub key: Option<String>,
    /// The chat with every event that decoded, or why the chat as a whole could not be read
    /// ([`ApiError::Decode`] with the JSON path, or [`ApiError::ChatError`] for a `chat.error`
    /// in the 2xx reply).
    pub chat: Result<Chat, ApiError>,
    /// Events of this chat that could not be decoded and were left out of `chat.events`.
    pub bad_events: Vec<BadEvent>,
}

/// An event that could not be decoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadEvent {
    /// The event's id when it could still be read (`@id`/`id`, number or string).
    pub id: Option<i64>,
    /// What was wrong (short, one line; never the event's text).
    pub error: String,
}

/// Decodes the body of Retrieve Data for Multiple Chats (`{"chats":{"chat":[…]}}`) chat by chat
/// and event by event (see the module docs). Fails as a whole only when the body is not JSON, is
/// not an object, or has a `chats` element that is neither an object nor empty; a missing or
/// `null` `chats` (no chat) gives an empty list. Slots come in server order.
pub fn decode_chats_reply(raw: &str, status: u16) -> Result<Vec<ChatSlot>, ApiError> {
    if let Some(slots) = fast::chats_reply(&repair_lone_surrogates(raw), status) {
        return Ok(slots);
    }
    decode_chats_reply_tree(raw, status)
}

/// [`decode_chats_reply`] through a `Value` tree: the reference reading, used for every body
/// off the everyday shape (see `slot/fast.rs`).
fn decode_chats_reply_tree(raw: &str, status: u16) -> Result<Vec<ChatSlot>, ApiError> {
    let mut root = parse_root(raw, status)?;
    let chats = match root.remove("chats") {
        None => return Ok(Vec::new()),
        Some(v) if is_empty(&v) => return Ok(Vec::new()),
        Some(Value::Object(m)) => m,
        Some(other) => {
            return Err(decode_error(
                status,
                "chats".into(),
                format!("expected an object, found {}", kind(&other)),
                raw,
            ));
        }
    };
    let mut chats = chats;
    Ok(one_or_many(chats.remove("chat"), "chats.chat")
        .into_iter()
        .map(|(path, value)| chat_slot(value, &path, status))
        .collect())
}

/// Decodes the body of the chat resource (`{"chat":{…}}`) with the same per-event isolation as
/// [`decode_chats_reply`]. Fails as a whole only when the body is not JSON, not an object, or
/// has no `chat` element.
pub fn decode_chat_reply(raw: &str, status: u16) -> Result<ChatSlot, ApiError> {
    let mut root = parse_root(raw, status)?;
    match root.remove("chat") {
        Some(v) if !v.is_null() => Ok(chat_slot(v, "chat", status)),
        _ => Err(decode_error(
            status,
            "chat".into(),
            "the reply has no chat".into(),
            raw,
        )),
    }
}

fn parse_root(raw: &str, status: u16) -> Result<Map<String, Value>, ApiError> {
    let text = repair_lone_surrogates(raw);
    match serde_json::from_str::<Value>(&text) {
        Ok(Value::Object(m)) => Ok(m),
        Ok(other) => Err(decode_error(
            status,
            ".".into(),
            format!("expected an object, found {}", kind(&other)),
            raw,
        )),
        Err(e) => Err(decode_error(status, ".".into(), e.to_string(), raw)),
    }
}

fn decode_error(status: u16, path: String, message: String, raw: &str) -> ApiError {
    ApiError::Decode {
        status,
        path,
        message,
        raw: raw.to_string(),
    }
}

/// `null`, an empty string (what an XML→JSON mapping makes of an empty element) or `[]`.
fn is_empty(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::String(s) => s.trim().is_empty(),
        Value::Array(a) => a.is_empty(),
        _ => false,
    }
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// A one-or-many element as `(JSON path, item)` pairs: an array gives its items (`path[i]`),
/// a missing or empty element nothing, anything else one item at `path`.
fn one_or_many(v: Option<Value>, path: &str) -> Vec<(String, Value)> {
    match v {
        None => Vec::new(),
        Some(v) if is_empty(&v) => Vec::new(),
        Some(Value::Array(items)) => items
            .into_iter()
            .enumerate()
            .map(|(i, item)| (format!("{path}[{i}]"), item))
            .collect(),
        Some(item) => vec![(path.to_string(), item)],
    }
}

fn chat_slot(value: Value, path: &str, status: u16) -> ChatSlot {
    let key = chat_key(&value);
    let mut map = match value {
        Value::Object(m) => m,
        other => {
            let message = format!("expected a chat object, found {}", kind(&other));
            return failed(key, status, path.to_string(), message, &other);
        }
    };
    if let Some(error) = map.get("error").filter(|e| !e.is_null()) {
        return ChatSlot {
            key,
            chat: Err(ApiError::ChatError {
                status,
                error: error.clone(),
            }),
            bad_events: Vec::new(),
        };
    }

    // Events: the element itself must be usable; each event then stands alone.
    let (events_meta, items) = match map.remove("events") {
        None => (None, Vec::new()),
        Some(v) if is_empty(&v) => (Some(Map::new()), Vec::new()),
        Some(Value::Object(mut m)) => {
            let items = one_or_many(m.remove("event"), &format!("{path}.events.event"));
            (Some(m), items)
        }
        Some(other) => {
            let message = format!("expected an events object, found {}", kind(&other));
            map.insert("events".into(), other);
            return failed(
                key,
                status,
                format!("{path}.events"),
                message,
                &Value::Object(map),
            );
        }
    };
    let had_events = events_meta.is_some();
    let mut good = Vec::with_capacity(items.len());
    let mut bad_events = Vec::new();
    for (_, item) in items {
        let id = event_id(&item);
        match decode_part::<Event>(item) {
            Ok(e) => good.push(e),
            Err((at, message)) => bad_events.push(BadEvent {
                id,
                error: short_message(&match at.as_str() {
                    "." => message,
                    _ => format!("{at}: {message}"),
                }),
            }),
        }
    }
    let mut events = match events_meta {
        Some(m) => secondary::<Events>(Value::Object(m), &key, &format!("{path}.events"))
            .unwrap_or_default(),
        None => Events::default(),
    };
    events.event = OneOrMany(good);

    let link = match map.remove("link") {
        Some(v) => secondary::<Links>(v, &key, &format!("{path}.link")).unwrap_or_default(),
        None => Links::default(),
    };

    let info = match map.remove("info") {
        None => None,
        Some(v) if is_empty(&v) => None,
        Some(v) => {
            // Nothing else of the chat is there: then a broken info fails the chat, and the
            // error keeps the chat's raw JSON.
            let info_is_all = !had_events && link.is_empty();
            let backup = info_is_all.then(|| v.clone());
            match decode_part::<ChatInfo>(v) {
                Ok(info) => Some(info),
                Err((at, message)) => {
                    let at = join_path(&format!("{path}.info"), &at);
                    let message = short_message(&message);
                    if let Some(v) = backup {
                        map.insert("info".into(), v);
                        return failed(key, status, at, message, &Value::Object(map));
                    }
                    tracing::warn!(chat = key.as_deref().unwrap_or("?"), path = %at, error = %message,
                        "chat info not decodable; chat returned without it");
                    None
                }
            }
        }
    };

    ChatSlot {
        key,
        chat: Ok(Chat {
            link,
            events,
            info,
            error: None,
        }),
        bad_events,
    }
}

fn failed(
    key: Option<String>,
    status: u16,
    path: String,
    message: String,
    raw: &Value,
) -> ChatSlot {
    ChatSlot {
        key,
        chat: Err(ApiError::Decode {
            status,
            path,
            message,
            raw: raw.to_string(),
        }),
        bad_events: Vec::new(),
    }
}

/// Decodes a part of a chat that the chat can do without; logs and gives `None` on failure.
fn secondary<T: DeserializeOwned>(v: Value, key: &Option<String>, path: &str) -> Option<T> {
    match decode_part::<T>(v) {
        Ok(t) => Some(t),
        Err((at, message)) => {
            let at = join_path(path, &at);
            let message = short_message(&message);
            tracing::warn!(chat = key.as_deref().unwrap_or("?"), path = %at, error = %message,
                "part of a chat not decodable; left out");
            None
        }
    }
}

/// Decodes `v` as `T`; on failure gives the JSON path inside `v` (`.` for `v` itself) and
/// serde's message (pass it through [`short_message`] before showing it).
fn decode_part<T: DeserializeOwned>(v: Value) -> Result<T, (String, String)> {
    serde_path_to_error::deserialize::<_, T>(v).map_err(|e| {
        let at = e.path().to_string();
        (at, e.into_inner().to_string())
    })
}

fn join_path(base: &str, inner: &str) -> String {
    match inner {
        "." | "" => base.to_string(),
        i if i.starts_with('[') => format!("{base}{i}"),
        i => format!("{base}.{i}"),
    }
}

/// At most this many characters of a decode message.
const MAX_MESSAGE: usize = 160;

/// One line, quoted strings replaced by `"…"` (they may be visitor text), at most
/// [`MAX_MESSAGE`] characters.
fn short_message(message: &str) -> String {
    let mut out = String::with_capacity(message.len().min(MAX_MESSAGE));
    let mut chars = message.chars();
    while let Some(c) = chars.next() {
        match c {
            '"' => {
                out.push_str("\"…\"");
                // Skip to the closing quote, honouring backslash escapes.
                while let Some(q) = chars.next() {
                    match q {
                        '\\' => {
                            chars.next();
                        }
                        '"' => break,
                        _ => {}
                    }
                }
            }
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    if out.chars().count() > MAX_MESSAGE {
        out = out.chars().take(MAX_MESSAGE - 1).collect();
        out.push('…');
    }
    out
}

/// An event's id from its raw value: `@id` or `id`, as a number or a string.
fn event_id(v: &Value) -> Option<i64> {
    let raw = v.get("@id").or_else(|| v.get("id"))?;
    match raw {
        Value::Number(n) => n.as_i64().or_else(|| {
            n.as_f64()
                .filter(|f| f.fract() == 0.0 && *f >= i64::MIN as f64 && *f <= i64::MAX as f64)
                .map(|f| f as i64)
        }),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// The chat's key from its raw value: `info.chatSessionKey` (text or number), else the last
/// path segment of the `self` link (`@rel`/`rel`, `@href`/`href`; one link or a list).
fn chat_key(chat: &Value) -> Option<String> {
    let from_info = chat
        .get("info")
        .and_then(|i| i.get("chatSessionKey"))
        .and_then(|k| match k {
            Value::String(s) => Some(s.trim().to_string()),
            Value::Number(n) => Some(n.to_string()),
            _ => None,
        })
        .filter(|k| !k.is_empty());
    from_info.or_else(|| self_link_key(chat.get("link")?))
}

fn self_link_key(links: &Value) -> Option<String> {
    let one = std::slice::from_ref(links);
    let all = match links {
        Value::Array(items) => items.as_slice(),
        _ => one,
    };
    let field = |l: &Value, name: &str| {
        l.get(format!("@{name}"))
            .or_else(|| l.get(name))
            .and_then(Value::as_str)
            .map(str::to_string)
    };
    let href = all
        .iter()
        .find(|l| field(l, "rel").as_deref() == Some("self"))
        .and_then(|l| field(l, "href"))?;
    last_path_segment(&href)
}

/// `https://h/a/chat/K1.json?x=1` → `K1`.
fn last_path_segment(href: &str) -> Option<String> {
    let path = href.split(['?', '#']).next().unwrap_or_default();
    path.rsplit('/')
        .find(|s| !s.is_empty())
        .map(|s| s.strip_suffix(".json").unwrap_or(s).to_string())
        .filter(|s| !s.is_empty())
}

mod fast;
#[cfg(test)]
mod tests;
