//! The whole vocabulary between the engine and its front ends (desktop shell, CLI).
//!
//! Every event serialises as one JSON object with a `type` tag and camelCase fields; the TypeScript
//! twin is generated with ts-rs into `ui/src/bindings/` (see `cargo test -p agent-desk-engine export_bindings`).

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// A chat session key as the server gives it (`H…-…K…`).
pub type ChatKey = String;

/// Epoch milliseconds (UTC).
pub type EpochMs = i64;

/// Where the agent's login stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "../../../ui/src/bindings/")]
pub enum SessionState {
    LoggedOut,
    LoggingIn,
    LoggedIn,
    LoggingOut,
}

/// Whether the engine can reach the server right now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "../../../ui/src/bindings/")]
pub enum ConnectionState {
    /// Requests succeed.
    Online,
    /// The last request failed; the engine retries at `retryAt`.
    Retrying,
    /// Logged in again after the bearer expired, or waiting for the keychain/credentials.
    Reauthenticating,
    /// Not connected (logged out, or gave up until the agent acts).
    Offline,
}

/// The agent's chat availability.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export, export_to = "../../../ui/src/bindings/")]
pub enum Availability {
    Online,
    Away,
    Occupied,
    Offline,
}

/// A chat's state as the server reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "../../../ui/src/bindings/")]
pub enum ChatState {
    Waiting,
    Chatting,
    Ended,
}

/// Who wrote a line (`source` on the wire; rely on it, not on `by`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "../../../ui/src/bindings/")]
pub enum LineSource {
    Visitor,
    Agent,
    System,
    Other,
}

/// How a line's text is to be shown. `html` text has already been sanitised by the engine.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "kebab-case")]
#[ts(export, export_to = "../../../ui/src/bindings/")]
pub enum TextType {
    Plain,
    Html,
    RichContent,
}

/// Progress of a line the agent wrote, through the durable outbox.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "../../../ui/src/bindings/")]
pub enum OutboxState {
    /// Stored locally, not yet accepted by the server.
    Pending,
    /// The server has it (it has an event id).
    Sent,
    /// Gave up for now; the agent can retry.
    Failed,
}

/// The closed set of error codes a front end can explain to the agent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "../../../ui/src/bindings/")]
pub enum ErrorCode {
    /// Wrong account, user name or password.
    BadCredentials,
    /// The stored bearer no longer works and no password is at hand.
    AuthExpired,
    /// The OS keychain cannot be reached; the token is kept in memory only.
    KeychainUnavailable,
    /// The server cannot be reached (DNS, refused, dropped, timeout).
    Network,
    /// The secure connection was refused: the server's certificate is not trusted (unknown
    /// issuer: give its CA as an extra root), expired, or for another host name; or the server
    /// pointed an https session at an http URL. Never retried, never answered with http.
    Tls,
    /// The server answered 5xx.
    Server,
    /// The server answered 429.
    RateLimited,
    /// The account or user is blocked (451).
    Blocked,
    /// The server's answer could not be understood.
    MalformedResponse,
    /// The chat, agent or skill does not exist (any more).
    NotFound,
    /// The agent's input was refused before anything was sent.
    InvalidInput,
    /// A transfer was refused (e.g. no online agent for the skill).
    TransferFailed,
    /// Nothing is ringing to accept.
    NothingToAccept,
    /// Local storage (SQLite) failed.
    Storage,
    /// Not logged in.
    NotLoggedIn,
    /// A bug; the message says more.
    Internal,
}

/// The agent as the server knows them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "../../../ui/src/bindings/")]
pub struct AgentProfile {
    pub account: String,
    pub login_name: String,
    pub nickname: String,
    pub agent_id: String,
    /// `None` = unlimited.
    pub max_chats: Option<u32>,
    pub skills: Vec<SkillRef>,
}

/// A skill by id and name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "../../../ui/src/bindings/")]
pub struct SkillRef {
    pub id: String,
    pub name: String,
}

/// Where a transfer goes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "camelCase")]
#[ts(export, export_to = "../../../ui/src/bindings/")]
pub enum TransferTarget {
    Skill { id: String },
    Agent { id: String },
}

/// One line of a chat, as the agent's desk shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "../../../ui/src/bindings/")]
pub struct ChatLine {
    pub chat: ChatKey,
    /// The server's event id within the chat.
    pub id: u64,
    pub time: Option<EpochMs>,
    pub source: LineSource,
    /// The wire's `by` (`info`, `agent`, `visitor`, or a name).
    pub by: String,
    /// Plain text, or sanitised HTML when `text_type` is `html`.
    pub text: String,
    pub text_type: TextType,
    pub system_message_id: Option<i64>,
    /// `subType: ONLY_TO_REP`: seen by agents only.
    pub agent_only: bool,
    /// For the agent's own lines sent from this desk: the outbox id it came from.
    pub local_id: Option<String>,
    /// A `rich-content` line's structured content (spec §4.15), as the server sent it. Front ends
    /// build it from DOM nodes and never as markup.
    #[serde(default)]
    #[ts(type = "unknown")]
    pub card: Option<serde_json::Value>,
    /// When this engine first saw the line (its clock, epoch ms): set on the live `line` event
    /// only, never stored (lines read back from storage have none).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional, type = "number")]
    pub seen_at: Option<EpochMs>,
    /// Alert latency, engine side: `seen_at − time`, from the server's stamp to this engine seeing
    /// the line (poll interval + network + clock skew between server and desk; may be negative
    /// when the desk's clock is behind).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional, type = "number")]
    pub latency_ms: Option<i64>,
}

impl ChatLine {
    /// Marks the line as seen by this engine at `now` (see `seen_at`, `latency_ms`).
    pub fn mark_seen(&mut self, now: EpochMs) {
        self.seen_at = Some(now);
        self.latency_ms = self.time.map(|t| now - t);
    }
}

/// A chat's summary, sent when it joins the desk and when its info changes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "../../../ui/src/bindings/")]
pub struct ChatSummary {
    pub chat: ChatKey,
    pub state: ChatState,
    pub visitor_name: String,
    pub agent_name: Option<String>,
    pub skill: Option<String>,
    pub start_time: Option<EpochMs>,
    /// How the chat joined the desk.
    pub origin: ChatOrigin,
    /// When this desk took the chat (waiting time = this − `start_time`); `None` if resumed.
    #[serde(default)]
    pub accepted_at: Option<EpochMs>,
    /// The server's `chatTimeout` in seconds.
    #[serde(default)]
    pub chat_timeout: Option<u32>,
    /// Set for SSO-authenticated visitors (spec §4.17); the customer panel fetches §4.27 with it.
    #[serde(default)]
    pub participant_id: Option<String>,
    /// The agents who held the chat, first to last, by name.
    #[serde(default)]
    pub agents: Vec<String>,
}

/// How a chat came onto this desk.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "../../../ui/src/bindings/")]
pub enum ChatOrigin {
    /// The agent took it from the ringing queue.
    Accepted,
    /// Picked up from another device's session (Retrieve Chat Sessions) or from before a restart.
    Resumed,
}

/// Everything the engine tells its front ends.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(
    tag = "type",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
#[ts(export, export_to = "../../../ui/src/bindings/")]
pub enum EngineEvent {
    /// Login state changed. `agent` is set once logged in.
    Session {
        state: SessionState,
        agent: Option<AgentProfile>,
    },
    /// Reachability changed. `retry_at` is when the next attempt is due.
    Connection {
        state: ConnectionState,
        retry_at: Option<EpochMs>,
        detail: Option<String>,
    },
    /// Availability changed; `by_server` is true when the server flipped it (e.g. to Away after an
    /// untaken offer).
    Availability {
        availability: Availability,
        reason_id: Option<String>,
        by_server: bool,
    },
    /// Chats are ringing for this agent. `deadline` is when the 20 s offer window closes.
    Ringing {
        count: u32,
        deadline: EpochMs,
        seconds_left: u32,
        /// When this engine first saw the ring (its clock, epoch ms; the answer of the ring check).
        /// The server's ring check carries no time of its own, so there is no server-side
        /// `latencyMs` for a ring: the benchmark measures chat start → ring against the simulator.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[ts(optional, type = "number")]
        seen_at: Option<EpochMs>,
    },
    /// Nothing rings any more.
    RingingStopped,
    /// The agent took a chat.
    ChatAccepted { chat: ChatKey },
    /// A chat joined the desk, or its summary changed.
    ChatUpdated { summary: ChatSummary },
    /// A chat's state moved (`from` is `None` the first time the desk sees it).
    ChatStateChanged {
        chat: ChatKey,
        from: Option<ChatState>,
        to: ChatState,
    },
    /// A chat left the desk (ended and closed, transferred away, or lost to a timeout).
    ChatRemoved { chat: ChatKey, reason: String },
    /// A new line in a chat (never emitted twice for the same `chat` + `id`).
    Line(ChatLine),
    /// The visitor started or stopped typing.
    VisitorTyping { chat: ChatKey, typing: bool },
    /// The visitor's name is known or changed.
    VisitorName { chat: ChatKey, name: String },
    /// Progress of a line the agent wrote.
    Outbox {
        chat: ChatKey,
        local_id: String,
        text: String,
        state: OutboxState,
        event_id: Option<u64>,
        error: Option<String>,
    },
    /// Result of a transfer the agent asked for.
    TransferResult {
        chat: ChatKey,
        target: TransferTarget,
        ok: bool,
        message: Option<String>,
    },
    /// Logging out (or quitting with a logout) returns this many active chats to the queue.
    /// Sent by `logout` before it acts, so front ends can show the warning.
    ChatsReturnedToQueue { count: u32 },
    /// The customer details of an authenticated visitor: loading, loaded (once per chat) or failed.
    Customer {
        chat: ChatKey,
        info: crate::customer::CustomerInfo,
    },
    /// A chat's wrap-up survey appeared or moved on (see `WrapUp::state`).
    WrapUp { wrap_up: Box<crate::wrapup::WrapUp> },
    /// Something went wrong that the agent should know about.
    Error {
        code: ErrorCode,
        message: String,
        chat: Option<ChatKey>,
    },
}

impl EngineEvent {
    /// The event's kind and the chat it concerns, for logs: never text or names.
    pub fn label(&self) -> (&'static str, Option<&str>) {
        match self {
            EngineEvent::Session { .. } => ("session", None),
            EngineEvent::Connection { .. } => ("connection", None),
            EngineEvent::Availability { .. } => ("availability", None),
            EngineEvent::Ringing { .. } => ("ringing", None),
            EngineEvent::RingingStopped => ("ringingStopped", None),
            EngineEvent::ChatAccepted { chat } => ("chatAccepted", Some(chat)),
            EngineEvent::ChatUpdated { summary } => ("chatUpdated", Some(&summary.chat)),
            EngineEvent::ChatStateChanged { chat, .. } => ("chatStateChanged", Some(chat)),
            EngineEvent::ChatRemoved { chat, .. } => ("chatRemoved", Some(chat)),
            EngineEvent::Line(l) => ("line", Some(&l.chat)),
            EngineEvent::VisitorTyping { chat, .. } => ("visitorTyping", Some(chat)),
            EngineEvent::VisitorName { chat, .. } => ("visitorName", Some(chat)),
            EngineEvent::Outbox { chat, .. } => ("outbox", Some(chat)),
            EngineEvent::TransferResult { chat, .. } => ("transferResult", Some(chat)),
            EngineEvent::ChatsReturnedToQueue { .. } => ("chatsReturnedToQueue", None),
            EngineEvent::Customer { chat, .. } => ("customer", Some(chat)),
            EngineEvent::WrapUp { wrap_up } => ("wrapUp", Some(&wrap_up.chat)),
            EngineEvent::Error { chat, .. } => ("error", chat.as_deref()),
        }
    }
}
