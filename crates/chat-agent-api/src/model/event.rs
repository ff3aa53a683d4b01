//! Chat events (`state`, `line`, unknown types) and event pages.

use crate::decode::{
    ChatState, EventType, Links, OneOrMany, Source, SubType, SystemMessage, TextType, Timestamp,
    i64_flex, opt_timestamp,
};
use serde::Deserialize;

/// One chat event. Ids are per chat, from 0, increasing by one.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(from = "WireEvent")]
pub struct Event {
    /// Event id within its chat.
    pub id: i64,
    /// When it happened, if the server said.
    pub time: Option<Timestamp>,
    /// What happened.
    pub kind: EventKind,
}

/// The payload of an [`Event`].
#[derive(Debug, Clone, PartialEq)]
pub enum EventKind {
    /// The chat changed state.
    State(ChatState),
    /// A line of text (visitor, agent or system).
    Line(Line),
    /// An event type this client does not model (e.g. `resource`); skip it.
    Other(String),
}

/// A text line.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    /// The text; may be empty (spec §9 quirk 7).
    pub text: String,
    /// `plain`, `html`, `rich-content`, …
    pub text_type: TextType,
    /// Display hint (`info`, `agent`, `visitor`).
    pub by: String,
    /// Who sent it.
    pub source: Source,
    /// For system lines, which message.
    pub system_message: Option<SystemMessage>,
    /// `REGULAR` or `ONLY_TO_REP`.
    pub sub_type: Option<SubType>,
    /// Structured content for `rich-content`.
    pub json: Option<serde_json::Value>,
}

#[derive(Deserialize)]
struct WireEvent {
    #[serde(rename = "@id", alias = "id", deserialize_with = "i64_flex")]
    id: i64,
    #[serde(rename = "@type", alias = "type")]
    event_type: EventType,
    #[serde(default, deserialize_with = "opt_timestamp")]
    time: Option<Timestamp>,
    #[serde(default)]
    state: Option<ChatState>,
    #[serde(default)]
    text: Option<String>,
    #[serde(default, rename = "textType")]
    text_type: Option<TextType>,
    #[serde(default)]
    by: Option<String>,
    #[serde(default)]
    source: Option<Source>,
    #[serde(default, rename = "systemMessageId")]
    system_message_id: Option<SystemMessage>,
    #[serde(default, rename = "subType")]
    sub_type: Option<SubType>,
    #[serde(default)]
    json: Option<serde_json::Value>,
}

impl From<WireEvent> for Event {
    fn from(w: WireEvent) -> Self {
        let kind = match w.event_type {
            EventType::State => {
                EventKind::State(w.state.unwrap_or_else(|| ChatState::Other(String::new())))
            }
            EventType::Line => EventKind::Line(Line {
                text: w.text.unwrap_or_default(),
                text_type: w.text_type.unwrap_or(TextType::Plain),
                by: w.by.unwrap_or_default(),
                source: w.source.unwrap_or_else(|| Source::Other(String::new())),
                system_message: w.system_message_id,
                sub_type: w.sub_type,
                json: w.json,
            }),
            other => EventKind::Other(other.as_str().to_string()),
        };
        Event {
            id: w.id,
            time: w.time,
            kind,
        }
    }
}

/// An `events` element: links (`self`, `next`) and the events themselves.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
pub struct Events {
    /// `self` and `next` links.
    #[serde(default)]
    pub link: Links,
    /// Events in id order; empty when none (key missing, `null`, one object or an array).
    #[serde(default)]
    pub event: OneOrMany<Event>,
}

impl Events {
    /// The `next` link to poll for later events.
    pub fn next(&self) -> Option<&str> {
        self.link.rel("next")
    }

    /// The highest event id in this page.
    pub fn last_id(&self) -> Option<i64> {
        self.event.iter().map(|e| e.id).max()
    }
}

/// Body of `GET {C}/events`: `{"events": {...}}`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct EventsResponse {
    /// The page.
    #[serde(default)]
    pub events: Events,
}
