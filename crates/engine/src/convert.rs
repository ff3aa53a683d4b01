//! Wire types of the client → the engine's event vocabulary. Pure functions, no I/O.

use crate::events::{Availability, ChatLine, ChatState, LineSource, TextType};
use crate::sanitize::clean_html;
use chat_agent_api::decode as wire;
use chat_agent_api::model::Line;

/// The engine's availability for a wire value (`Other` counts as Offline).
pub fn availability(w: &wire::AvailabilityState) -> Availability {
    match w {
        wire::AvailabilityState::Online => Availability::Online,
        wire::AvailabilityState::Away => Availability::Away,
        wire::AvailabilityState::Occupied => Availability::Occupied,
        _ => Availability::Offline,
    }
}

/// The wire value of an availability.
pub fn availability_wire(a: Availability) -> wire::AvailabilityState {
    match a {
        Availability::Online => wire::AvailabilityState::Online,
        Availability::Away => wire::AvailabilityState::Away,
        Availability::Occupied => wire::AvailabilityState::Occupied,
        Availability::Offline => wire::AvailabilityState::Offline,
    }
}

/// A chat state, if it is one the engine knows.
pub fn chat_state(w: &wire::ChatState) -> Option<ChatState> {
    match w {
        wire::ChatState::Waiting => Some(ChatState::Waiting),
        wire::ChatState::Chatting => Some(ChatState::Chatting),
        wire::ChatState::Ended => Some(ChatState::Ended),
        wire::ChatState::Other(_) => None,
    }
}

/// The text type of a line.
pub fn text_type(w: &wire::TextType) -> TextType {
    match w {
        wire::TextType::Html => TextType::Html,
        wire::TextType::RichContent => TextType::RichContent,
        _ => TextType::Plain,
    }
}

/// The text as the desk shows it: HTML is sanitised, everything else is kept as plain text.
pub fn display_text(text: &str, text_type: TextType) -> String {
    match text_type {
        TextType::Html => clean_html(text),
        _ => text.to_string(),
    }
}

/// A wire line → a desk line (HTML sanitised).
pub fn line(chat: &str, id: u64, time: Option<i64>, l: &Line) -> ChatLine {
    let source = match &l.source {
        wire::Source::Visitor => LineSource::Visitor,
        wire::Source::Agent => LineSource::Agent,
        wire::Source::System => LineSource::System,
        wire::Source::Other(_) => LineSource::Other,
    };
    let tt = text_type(&l.text_type);
    ChatLine {
        chat: chat.to_string(),
        id,
        time,
        source,
        by: l.by.clone(),
        text: display_text(&l.text, tt),
        text_type: tt,
        system_message_id: l
            .system_message
            .as_ref()
            .and_then(|m| m.as_str().parse().ok()),
        agent_only: matches!(l.sub_type, Some(wire::SubType::OnlyToRep)),
        local_id: None,
        card: if tt == TextType::RichContent {
            l.json.clone().filter(card_fits)
        } else {
            None
        },
        seen_at: None,
        latency_ms: None,
    }
}

/// Largest card kept or sent, serialised (a structured-content card is a few KiB).
const MAX_CARD_BYTES: usize = 64 * 1024;
/// Deepest nesting kept or sent.
const MAX_CARD_DEPTH: usize = 16;

fn depth(v: &serde_json::Value) -> usize {
    match v {
        serde_json::Value::Array(a) => 1 + a.iter().map(depth).max().unwrap_or(0),
        serde_json::Value::Object(o) => 1 + o.values().map(depth).max().unwrap_or(0),
        _ => 0,
    }
}

/// Whether a card from the server is small enough to pass on (a larger one shows as its text).
fn card_fits(v: &serde_json::Value) -> bool {
    depth(v) <= MAX_CARD_DEPTH && v.to_string().len() <= MAX_CARD_BYTES
}

/// Checks a card the agent sends: a JSON object with a `type`, within the size limits.
pub fn check_card(card: serde_json::Value) -> Result<serde_json::Value, crate::error::EngineError> {
    let bad = |m: &str| {
        crate::error::EngineError::new(crate::events::ErrorCode::InvalidInput, m.to_string())
    };
    let Some(obj) = card.as_object() else {
        return Err(bad("a card must be a JSON object"));
    };
    if !obj.get("type").is_some_and(serde_json::Value::is_string) {
        return Err(bad("a card needs a \"type\" (e.g. \"vertical\")"));
    }
    if !card_fits(&card) {
        return Err(bad("the card is too large or too deeply nested"));
    }
    Ok(card)
}
