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
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::Value;
use serde_json::value::RawValue;

/// The top of a reply, read in one pass: only `chats.chat` is kept, as a slice. A top level of
/// another shape (an array, an empty string, a duplicate key) fails here and goes to the tree.
#[derive(Deserialize)]
struct Root<'a> {
    #[serde(borrow, default)]
    chats: Option<Chats<'a>>,
}

#[derive(Deserialize)]
struct Chats<'a> {
    #[serde(borrow, default)]
    chat: Option<&'a RawValue>,
}

/// The parts of one chat, as slices. A missing part and a `null` one read alike here; where the
/// tree path tells them apart (a broken info), the chat goes to the tree.
#[derive(Deserialize)]
struct Parts<'a> {
    #[serde(borrow, default)]
    error: Option<&'a RawValue>,
    #[serde(borrow, default)]
    events: Option<&'a RawValue>,
    #[serde(borrow, default)]
    link: Option<&'a RawValue>,
    #[serde(borrow, default)]
    info: Option<&'a RawValue>,
}

/// An `events` element: its links decoded, its events as slices.
#[derive(Deserialize)]
struct EventsParts<'a> {
    #[serde(default)]
    link: Option<Links>,
    #[serde(borrow, default)]
    event: Option<&'a RawValue>,
}

/// The one key of an info the tree path reads from the raw value.
#[derive(Deserialize)]
struct KeyProbe<'a> {
    #[serde(rename = "chatSessionKey", borrow, default)]
    key: Option<&'a RawValue>,
}

/// The chats of a multi-chat reply body (surrogates already repaired), or `None` when the body
/// is off the everyday shape and the tree path must read it.
pub(super) fn chats_reply(text: &str, status: u16) -> Option<Vec<ChatSlot>> {
    if first_byte(text) != Some(b'{') {
        return None;
    }
    let root: Root<'_> = serde_json::from_str(text).ok()?;
    let Some(list) = root.chats.and_then(|c| c.chat) else {
        return Some(Vec::new());
    };
    let many = first_byte(list.get()) == Some(b'[');
    let items: Vec<&RawValue> = match first_byte(list.get()) {
        Some(b'[') => serde_json::from_str(list.get()).ok()?,
        Some(b'{') => vec![list],
        _ => return None,
    };
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
    let parts: Parts<'_> = serde_json::from_str(raw.get()).ok()?;
    if parts.error.is_some() {
        return None;
    }
    let key = key(&parts)?;

    let (event_links, items) = match parts.events {
        None => (None, Vec::new()),
        Some(v) if is_empty(v) => (None, Vec::new()),
        Some(v) if first_byte(v.get()) == Some(b'{') => {
            // Links of the events element that do not decode: the tree path warns and drops them.
            let e: EventsParts<'_> = serde_json::from_str(v.get()).ok()?;
            (e.link, one_or_many(e.event)?)
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
    let events = Events {
        link: event_links.unwrap_or_default(),
        event: OneOrMany(good),
    };

    let link = match parts.link {
        Some(v) => part::<Links>(v, &key, &|| format!("{}.link", path()))?.unwrap_or_default(),
        None => Links::default(),
    };

    let info = match parts.info {
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
fn key(parts: &Parts<'_>) -> Option<Option<String>> {
    let from_info = match parts.info {
        Some(info) if first_byte(info.get()) == Some(b'{') => {
            let probe: KeyProbe<'_> = serde_json::from_str(info.get()).ok()?;
            match probe.key {
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
    match parts.link {
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

/// The first byte that is not JSON white space.
fn first_byte(s: &str) -> Option<u8> {
    s.bytes()
        .find(|b| !matches!(b, b' ' | b'\t' | b'\n' | b'\r'))
}
