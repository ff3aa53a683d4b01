//! The chat resource, chat info, multi-chat data and chat sessions.

use super::event::Events;
use crate::decode::{
    ChatState, Links, OneOrMany, Timestamp, Typing, opt_i64_flex, opt_text, opt_timestamp,
};
use serde::Deserialize;

/// A chat resource (`GET {C}`, and each element of the multi-chat call).
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
pub struct Chat {
    /// `self`, `events`, `info`, `next`, `transfer`, `agent-survey`, …
    #[serde(default)]
    pub link: Links,
    /// Events so far (or since `from`).
    #[serde(default)]
    pub events: Events,
    /// Chat information.
    #[serde(default)]
    pub info: Option<ChatInfo>,
    /// An error the server put in a 2xx reply (shape undocumented); the client turns it into
    /// [`crate::ApiError::ChatError`].
    #[serde(default)]
    pub error: Option<serde_json::Value>,
}

/// Body of `GET {C}`: `{"chat": {...}}`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct ChatResponse {
    /// The chat.
    pub chat: Chat,
}

/// Chat information (`GET {C}/info`, or embedded in a chat).
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ChatInfo {
    /// `self`, `visitor-name`, `visitor-typing`, `agent-typing`.
    #[serde(default)]
    pub link: Links,
    /// Current state.
    #[serde(default)]
    pub state: Option<ChatState>,
    /// The chat session key (chat id).
    #[serde(default)]
    pub chat_session_key: Option<String>,
    /// Assigned agent's display name.
    #[serde(default)]
    pub agent_name: Option<String>,
    /// Assigned agent's id.
    #[serde(default, deserialize_with = "opt_i64_flex")]
    pub agent_id: Option<i64>,
    /// Start of the chat.
    #[serde(default, deserialize_with = "opt_timestamp")]
    pub start_time: Option<Timestamp>,
    /// Duration in seconds.
    #[serde(default, deserialize_with = "opt_i64_flex")]
    pub duration: Option<i64>,
    /// Last update.
    #[serde(default, deserialize_with = "opt_timestamp")]
    pub last_update: Option<Timestamp>,
    /// Seconds after `last_update` before the chat times out.
    #[serde(default, deserialize_with = "opt_i64_flex")]
    pub chat_timeout: Option<i64>,
    /// Visitor id (large number).
    #[serde(default, deserialize_with = "opt_i64_flex")]
    pub visitor_id: Option<i64>,
    /// Agent typing state.
    #[serde(default)]
    pub agent_typing: Option<Typing>,
    /// Visitor typing state.
    #[serde(default)]
    pub visitor_typing: Option<Typing>,
    /// Visitor name (default `visitor`).
    #[serde(default)]
    pub visitor_name: Option<String>,
    /// Real-time session id shared across APIs (may exceed `u32`).
    #[serde(default, deserialize_with = "opt_i64_flex")]
    pub rt_session_id: Option<i64>,
    /// SSO visitor participant id, for [`crate::AgentSession::participant_info`].
    #[serde(default, deserialize_with = "opt_text")]
    pub participant_id: Option<String>,
}

/// Body of `GET {C}/info`: `{"info": {...}}`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct ChatInfoResponse {
    /// The info.
    pub info: ChatInfo,
}

/// Body of the multi-chat call: `{"chats": {"chat": [...]}}`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct ChatsResponse {
    /// The wrapper.
    #[serde(default)]
    pub chats: Option<ChatsList>,
}

/// `chats` element.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
pub struct ChatsList {
    /// The chats (one or many).
    #[serde(default)]
    pub chat: OneOrMany<Chat>,
}

/// One entry of `chatSessions`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ChatSessionEntry {
    /// `chat-session` link to the chat resource.
    #[serde(default)]
    pub link: Links,
    /// The chat session key.
    #[serde(default)]
    pub chat_session_key: Option<String>,
    /// Start (epoch ms in the docs).
    #[serde(default, deserialize_with = "opt_timestamp")]
    pub start_time: Option<Timestamp>,
}

/// `chatSessions` element.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ChatSessions {
    /// Chats carried over from the previous, still active agent session.
    #[serde(default)]
    pub chat_session: OneOrMany<ChatSessionEntry>,
}

/// Body of `GET {S}/chatSessions`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ChatSessionsResponse {
    /// The list (absent or `null` = none).
    #[serde(default)]
    pub chat_sessions: Option<ChatSessions>,
}
