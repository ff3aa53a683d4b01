//! The simulator's records: agents at run time, logins, agent sessions, chats and their events.

use serde_json::Value;

/// An agent's chat availability (spec §4.4/§4.7).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Availability {
    /// Receives new chats.
    Online,
    /// Receives nothing.
    Away,
    /// Receives transfers only.
    Occupied,
    /// No agent session.
    Offline,
}

impl Availability {
    /// Name as on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            Availability::Online => "Online",
            Availability::Away => "Away",
            Availability::Occupied => "Occupied",
            Availability::Offline => "Offline",
        }
    }

    /// `@chatState` code of `availableAgents`: 1 Offline, 2 Online, 3 Occupied, 4 Away.
    pub fn code(self) -> &'static str {
        match self {
            Availability::Offline => "1",
            Availability::Online => "2",
            Availability::Occupied => "3",
            Availability::Away => "4",
        }
    }

    /// Parses a name (case-insensitive) or a numeric code.
    pub fn parse(s: &str) -> Option<Availability> {
        match s.to_ascii_lowercase().as_str() {
            "online" | "2" => Some(Availability::Online),
            "away" | "4" => Some(Availability::Away),
            "occupied" | "3" => Some(Availability::Occupied),
            "offline" | "1" => Some(Availability::Offline),
            _ => None,
        }
    }
}

/// Chat state (spec §7).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChatState {
    /// In the queue.
    Waiting,
    /// With an agent.
    Chatting,
    /// Terminal.
    Ended,
}

impl ChatState {
    /// Name as on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            ChatState::Waiting => "waiting",
            ChatState::Chatting => "chatting",
            ChatState::Ended => "ended",
        }
    }
}

/// A chat line.
#[derive(Debug, Clone)]
pub struct Line {
    /// Text (may be empty).
    pub text: String,
    /// `plain`, `html` or `rich-content`.
    pub text_type: String,
    /// `info` for system lines, else the writer's name.
    pub by: String,
    /// `system`, `agent` or `visitor`.
    pub source: String,
    /// System message id (spec §5).
    pub system_message_id: Option<u32>,
    /// `REGULAR` or `ONLY_TO_REP`.
    pub sub_type: String,
    /// Structured content of `rich-content` lines.
    pub json: Option<Value>,
}

impl Line {
    /// A system line visible to everyone.
    pub fn system(id: u32, text: impl Into<String>) -> Line {
        Line {
            text: text.into(),
            text_type: "plain".into(),
            by: "info".into(),
            source: "system".into(),
            system_message_id: Some(id),
            sub_type: "REGULAR".into(),
            json: None,
        }
    }

    /// True for lines the visitor must not see.
    pub fn agent_only(&self) -> bool {
        self.sub_type == "ONLY_TO_REP"
    }
}

/// What an event carries.
#[derive(Debug, Clone)]
pub enum EventBody {
    /// A state change.
    State(ChatState),
    /// A line.
    Line(Line),
}

/// One event of a chat; ids start at 0 and grow by 1 per chat.
#[derive(Debug, Clone)]
pub struct Event {
    /// Per-chat id.
    pub id: u64,
    /// Simulator time, epoch ms.
    pub time_ms: i64,
    /// Content.
    pub body: EventBody,
}

/// A pending offer of a waiting chat to one agent.
#[derive(Debug, Clone, Copy)]
pub struct Offer {
    /// Agent index.
    pub agent: usize,
    /// When the offer started (epoch ms).
    pub since_ms: i64,
}

/// A visitor chat.
#[derive(Debug, Clone)]
pub struct Chat {
    /// chatSessionKey, `H<digits>-<hex>K<digits>`.
    pub key: String,
    /// visitId, `H<digits>K<digits>`.
    pub visit_id: String,
    /// Creation order (FIFO tie-break).
    pub seq: u64,
    /// Skill id the chat is routed by.
    pub skill_id: u32,
    /// Visitor name.
    pub visitor_name: String,
    /// Numeric visitor id.
    pub visitor_id: i64,
    /// rtSessionId.
    pub rt_session_id: i64,
    /// Current state.
    pub state: ChatState,
    /// Agent that has the chat (kept after the chat ends so the agent can still read it).
    pub agent: Option<usize>,
    /// Agent session that took the chat.
    pub owner_session: Option<u64>,
    /// Current offer, if ringing.
    pub offer: Option<Offer>,
    /// A transfer is pending: Occupied agents may receive it.
    pub transfer_pending: bool,
    /// Transfer to one agent: only this agent may receive it.
    pub target_agent: Option<usize>,
    /// Agent who must not get this chat again (transferred it away or timed out).
    pub excluded_agent: Option<usize>,
    /// `chatTimeout` of this chat, seconds (from `SimConfig::chat_timeout_secs`).
    pub chat_timeout_secs: u32,
    /// Agents who held the chat before and lost it (transfer, requeue): with
    /// `TransferredChats::Readable` they may still read it.
    pub past_agents: Vec<usize>,
    /// When the chat (re-)entered the queue (FIFO order).
    pub queued_ms: i64,
    /// Creation time.
    pub start_ms: i64,
    /// Last event time.
    pub last_update_ms: i64,
    /// Last agent request touching this chat (chatTimeout).
    pub last_touch_ms: i64,
    /// Visitor typing flag.
    pub visitor_typing: bool,
    /// Agent typing flag.
    pub agent_typing: bool,
    /// Event log.
    pub events: Vec<Event>,
    /// SSO-authenticated visitor: the `participantExtendedInfo` body (spec §4.27), whose
    /// `authenticatedParticipantInfo.participantId` is [`Chat::participant_id`].
    pub customer: Option<Value>,
    /// GUID of an SSO-authenticated visitor (shown in chat info).
    pub participant_id: Option<String>,
    /// Which survey `GET {C}/survey` serves for this chat.
    pub survey_mode: crate::survey::SurveyMode,
    /// The agent's last accepted survey submission.
    pub survey_answers: Option<crate::survey::SubmittedSurvey>,
}

/// An agent's run-time state.
#[derive(Debug, Clone)]
pub struct AgentRt {
    /// Availability (Offline while no agent session is active).
    pub availability: Availability,
    /// Away reason id.
    pub reason_id: Option<String>,
    /// Since when in this availability (epoch ms).
    pub since_ms: i64,
}

/// A Login Service session.
#[derive(Debug, Clone)]
pub struct Login {
    /// Bearer token.
    pub bearer: String,
    /// CSRF token.
    pub csrf: String,
    /// `Session_id` cookie value.
    pub cookie: String,
    /// Agent index.
    pub agent: usize,
    /// Issue (or last refresh) time.
    pub issued_ms: i64,
    /// Expired by a fault.
    pub expired: bool,
    /// Logged out.
    pub logged_out: bool,
}

/// An agent session (`/agentSession/{id}`).
#[derive(Debug, Clone)]
pub struct AgentSession {
    /// Numeric id.
    pub id: u64,
    /// Agent index.
    pub agent: usize,
    /// Bearer of the login that started it.
    pub bearer: String,
    /// Still usable.
    pub active: bool,
}
