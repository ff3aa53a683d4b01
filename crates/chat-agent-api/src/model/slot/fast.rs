//! The everyday shape of a multi-chat reply, decoded without a [`Value`] tree.
//!
//! A desk of 1 000 chats gets about 2 MB of JSON a second, nearly all of it links and info that
//! did not change. Parsing it into a `Value` first (a map node and a string per key and value)
//! cost more than everything else the engine does per tick. Here the body is only scanned: each
//! chat, each part of a chat and each event is a borrowed [`RawValue`] (a slice of the body),
//! and only the typed parts are built.
//!
//! The rules are those of the tree path in `slot.rs`, which stays the reference: whenever this
//! path meets something off the everyday shape (a top level that is not an object, a chat that
//! is not an object, a `chat.error`, an `events` element of an odd type, an info or an event that
//! does not decode, a key with escapes), it hands that chat, or the whole body, to the tree path,
//! so odd replies are read exactly as before and decode errors keep their messages and paths.
//! `tests.rs` checks both paths give the same result on every sample.

use super::super::chat::{Chat, ChatInfo};
use super::super::event::{Event, Events};
use super::{ChatSlot, chat_slot, event_id, secondary, self_link_key, short_message};
use crate::decode::{Links, OneOrMany};
use serde::de::DeserializeOwned;
use serde_json::value::RawValue;
use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// An object's members as slices of the body (duplicate keys: the last wins, as in a `Value`).
type Members<'a> = BTreeMap<&'a str, &'a RawValue>;

/// The chats of a multi-chat reply body (surrogates already repaired), or `None` when the body
/// is off the everyday shape and the tree path must read it.
pub(super) fn chats_reply(text: &str, status: u16) -> Option<Vec<ChatSlot>> {
    if first_byte(text) != Some(b'{') {
        return None;
    }
    let root: Members<'_> = serde_json::from_str(text).ok()?;
    let Some(chats) = root.get("chats") else {
        return Some(Vec::new());
    };
    match first_byte(chats.get()) {
        Some(b'n') => return Some(Vec::new()),
        Some(b'{') => {}
        _ => return None,
    }
    let chats: Members<'_> = serde_json::from_str(chats.get()).ok()?;
    let items: Vec<&RawValue> = match chats.get("chat") {
        None => Vec::new(),
        Some(one) => match first_byte(one.get()) {
            Some(b'n') => Vec::new(),
            Some(b'[') => serde_json::from_str(one.get()).ok()?,
            Some(b'{') => vec![*one],
            _ => return None,
        },
    };
    let many = first_byte(chats.get("chat").map_or("", |c| c.get())) == Some(b'[');
    Some(
        items
            .into_iter()
            .enumerate()
            .map(|(i, item)| {
                let path = || {
                    if many {
                        format!("chats.chat[{i}]")
                    } else {
                        "chats.chat".to_string()
                    }
                };
                chat(item, &path).unwrap_or_else(|| by_tree(item, &path(), status))
            })
            .collect(),
    )
}

/// A chat the everyday way, or `None` to read it with the tree path. `path` gives the chat's JSON
/// path (only made when a warning needs it).
fn chat(raw: &RawValue, path: &dyn Fn() -> String) -> Option<ChatSlot> {
    if first_byte(raw.get()) != Some(b'{') {
        return None;
    }
    let parts: Members<'_> = serde_json::from_str(raw.get()).ok()?;
    if parts.get("error").is_some_and(|e| !is_null(e)) {
        return None;
    }
    let key = key(&parts)?;

    let (events_meta, items) = match parts.get("events") {
        None => (None, Vec::new()),
        Some(v) if is_empty(v) => (Some(Members::new()), Vec::new()),
        Some(v) if first_byte(v.get()) == Some(b'{') => {
            let mut m: Members<'_> = serde_json::from_str(v.get()).ok()?;
            let items = one_or_many(m.remove("event"))?;
            (Some(m), items)
        }
        Some(_) => return None,
    };
    let mut good = Vec::with_capacity(items.len());
    let mut bad_events = Vec::new();
    for item in items {
        match serde_json::from_str::<Event>(item.get()) {
            Ok(e) => good.push(e),
            // The tree path says what is wrong, with the same words and path as before.
            Err(_) => {
                let v: Value = serde_json::from_str(item.get()).ok()?;
                let id = event_id(&v);
                match super::decode_part::<Event>(v) {
                    Ok(e) => good.push(e),
                    Err((at, message)) => bad_events.push(super::BadEvent {
                        id,
                        error: short_message(&match at.as_str() {
                            "." => message,
                            _ => format!("{at}: {message}"),
                        }),
                    }),
                }
            }
        }
    }
    let mut events = match events_meta {
        Some(m) if m.is_empty() => Events::default(),
        Some(m) => {
            let mut meta = Map::new();
            for (k, v) in m {
                meta.insert(k.to_string(), serde_json::from_str(v.get()).ok()?);
            }
            secondary::<Events>(Value::Object(meta), &key, &format!("{}.events", path()))
                .unwrap_or_default()
        }
        None => Events::default(),
    };
    events.event = OneOrMany(good);

    let link = match parts.get("link") {
        Some(v) => part::<Links>(v, &key, &|| format!("{}.link", path()))?.unwrap_or_default(),
        None => Links::default(),
    };

    let info = match parts.get("info") {
        None => None,
        Some(v) if is_empty(v) => None,
        // A broken info has rules of its own (it may fail the chat): the tree path applies them.
        Some(v) => Some(serde_json::from_str::<ChatInfo>(v.get()).ok()?),
    };

    Some(ChatSlot {
        key,
        chat: Ok(Chat {
            link,
            events,
            info,
            error: None,
        }),
        bad_events,
    })
}

/// A secondary part (one the chat can do without): decoded from its slice; when that fails, the
/// tree path decodes it again, so the warning and the outcome are the tree path's.
fn part<T: DeserializeOwned>(
    raw: &RawValue,
    key: &Option<String>,
    path: &dyn Fn() -> String,
) -> Option<Option<T>> {
    match serde_json::from_str::<T>(raw.get()) {
        Ok(t) => Some(Some(t)),
        Err(_) => {
            let v: Value = serde_json::from_str(raw.get()).ok()?;
            Some(secondary::<T>(v, key, &path()))
        }
    }
}

/// The chat's key as the tree path reads it: `info.chatSessionKey` (text or number), else the
/// `self` link. `None` (read the chat with the tree path) when the info cannot be scanned.
fn key(parts: &Members<'_>) -> Option<Option<String>> {
    let from_info = match parts.get("info") {
        Some(info) if first_byte(info.get()) == Some(b'{') => {
            let info: Members<'_> = serde_json::from_str(info.get()).ok()?;
            match info.get("chatSessionKey") {
                Some(k) => match first_byte(k.get()) {
                    Some(b'"') => Some(
                        serde_json::from_str::<String>(k.get())
                            .ok()?
                            .trim()
                            .to_string(),
                    ),
                    Some(b'-' | b'0'..=b'9') => Some(
                        serde_json::from_str::<serde_json::Number>(k.get())
                            .ok()?
                            .to_string(),
                    ),
                    _ => None,
                },
                None => None,
            }
            .filter(|k| !k.is_empty())
        }
        _ => None,
    };
    if from_info.is_some() {
        return Some(from_info);
    }
    match parts.get("link") {
        Some(links) => {
            let links: Value = serde_json::from_str(links.get()).ok()?;
            Some(self_link_key(&links))
        }
        None => Some(None),
    }
}

/// A one-or-many element as slices: an array gives its items, a missing or empty element none,
/// anything else one item. `None` when an array cannot be scanned.
fn one_or_many(v: Option<&RawValue>) -> Option<Vec<&RawValue>> {
    match v {
        None => Some(Vec::new()),
        Some(v) if is_empty(v) => Some(Vec::new()),
        Some(v) if first_byte(v.get()) == Some(b'[') => serde_json::from_str(v.get()).ok(),
        Some(v) => Some(vec![v]),
    }
}

/// A chat read by the tree path.
fn by_tree(raw: &RawValue, path: &str, status: u16) -> ChatSlot {
    let value = serde_json::from_str::<Value>(raw.get()).unwrap_or(Value::Null);
    chat_slot(value, path, status)
}

/// `null`, a blank string or `[]` (see the tree path's `is_empty`).
fn is_empty(v: &RawValue) -> bool {
    match first_byte(v.get()) {
        Some(b'n') => true,
        Some(b'"') => serde_json::from_str::<String>(v.get())
            .map(|s| s.trim().is_empty())
            .unwrap_or(false),
        Some(b'[') => serde_json::from_str::<Vec<&RawValue>>(v.get())
            .map(|a| a.is_empty())
            .unwrap_or(false),
        _ => false,
    }
}

fn is_null(v: &RawValue) -> bool {
    v.get().trim() == "null"
}

/// The first byte that is not JSON white space.
fn first_byte(s: &str) -> Option<u8> {
    s.bytes()
        .find(|b| !matches!(b, b' ' | b'\t' | b'\n' | b'\r'))
}
