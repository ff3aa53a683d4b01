//! The simulator's whole state, behind one mutex, and its basic operations.

use crate::accounts::{AGENTS, SKILLS};
use crate::clock::Clock;
use crate::config::SimConfig;
use crate::faults::FaultBook;
use crate::model::{
    AgentRt, AgentSession, Availability, Chat, ChatState, Event, EventBody, Line, Login,
};
use crate::requests::RequestRecord;

/// Everything the server knows.
#[derive(Debug)]
pub struct SimState {
    /// Configuration.
    pub cfg: SimConfig,
    /// `http://127.0.0.1:PORT`.
    pub base_url: String,
    /// Simulator clock.
    pub clock: Clock,
    /// Per-agent run-time state, indexed like [`AGENTS`].
    pub agents: Vec<AgentRt>,
    /// Login Service sessions.
    pub logins: Vec<Login>,
    /// Agent sessions.
    pub sessions: Vec<AgentSession>,
    /// Chats in creation order.
    pub chats: Vec<Chat>,
    /// Fault switches.
    pub faults: FaultBook,
    /// Request log.
    pub log: Vec<RequestRecord>,
    /// The server is down (see `Simulator::go_down`): requests on connections still open are
    /// dropped without an answer.
    pub down: bool,
    next_session_id: u64,
    next_seq: u64,
}

/// A random decimal string of `n` digits (first digit non-zero).
pub fn digits(n: usize) -> String {
    let mut s = String::with_capacity(n);
    for i in 0..n {
        let d = if i == 0 {
            1 + rand::random::<u8>() % 9
        } else {
            rand::random::<u8>() % 10
        };
        s.push(char::from(b'0' + d));
    }
    s
}

/// A random lowercase hex string of `n` characters.
pub fn hex(n: usize) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    (0..n)
        .map(|_| char::from(HEX[usize::from(rand::random::<u8>() % 16)]))
        .collect()
}

impl SimState {
    /// Fresh state.
    pub fn new(cfg: SimConfig, base_url: String) -> SimState {
        let clock = Clock::default();
        let now = clock.now_ms();
        SimState {
            cfg,
            base_url,
            clock,
            agents: AGENTS
                .iter()
                .map(|_| AgentRt {
                    availability: Availability::Offline,
                    reason_id: None,
                    since_ms: now,
                })
                .collect(),
            logins: Vec::new(),
            sessions: Vec::new(),
            chats: Vec::new(),
            faults: FaultBook::default(),
            log: Vec::new(),
            down: false,
            next_session_id: 1_027_882_276,
            next_seq: 0,
        }
    }

    /// Simulator time, epoch ms.
    pub fn now(&self) -> i64 {
        self.clock.now_ms()
    }

    /// Next agent session id.
    pub fn new_session_id(&mut self) -> u64 {
        self.next_session_id += 1 + u64::from(rand::random::<u8>() % 7);
        self.next_session_id
    }

    /// Index of the chat with this key.
    pub fn chat_index(&self, key: &str) -> Option<usize> {
        self.chats.iter().position(|c| c.key == key)
    }

    /// True when the agent has an active agent session.
    pub fn agent_online_session(&self, agent: usize) -> bool {
        self.sessions.iter().any(|s| s.agent == agent && s.active)
    }

    /// Chats the agent is chatting in.
    pub fn agent_chat_count(&self, agent: usize) -> usize {
        self.chats
            .iter()
            .filter(|c| c.agent == Some(agent) && c.state == ChatState::Chatting)
            .count()
    }

    /// Chats currently offered (ringing) to the agent.
    pub fn agent_offer_count(&self, agent: usize) -> usize {
        self.chats
            .iter()
            .filter(|c| c.offer.is_some_and(|o| o.agent == agent))
            .count()
    }

    /// Sets an agent's availability (clearing the reason unless Away).
    pub fn set_availability(&mut self, agent: usize, to: Availability, reason: Option<String>) {
        let now = self.now();
        if let Some(rt) = self.agents.get_mut(agent) {
            if rt.availability != to {
                rt.since_ms = now;
            }
            rt.availability = to;
            rt.reason_id = if to == Availability::Away {
                reason
            } else {
                None
            };
        }
        if to != Availability::Online && to != Availability::Occupied {
            // Rule (spec §7 row 2): Away/Offline agents are offered nothing; pull their offers.
            for chat in &mut self.chats {
                if chat.offer.is_some_and(|o| o.agent == agent) {
                    chat.offer = None;
                }
            }
        }
    }

    /// Appends an event to a chat and returns its id.
    pub fn append(&mut self, chat: usize, body: EventBody) -> u64 {
        let now = self.now();
        let Some(c) = self.chats.get_mut(chat) else {
            return 0;
        };
        let id = c.events.len() as u64;
        if let EventBody::State(s) = &body {
            c.state = *s;
        }
        c.events.push(Event {
            id,
            time_ms: now,
            body,
        });
        c.last_update_ms = now;
        id
    }

    /// Creates a visitor chat. Rule (spec §7 row 1): appends `state waiting` (id 0) and system
    /// line 4 (id 1).
    pub fn create_chat(&mut self, skill_id: u32, visitor_name: &str) -> usize {
        let now = self.now();
        let h = digits(19);
        let k = digits(7);
        let seq = self.next_seq;
        self.next_seq += 1;
        self.chats.push(Chat {
            key: format!("H{h}-{}K{k}", hex(32)),
            visit_id: format!("H{h}K{k}"),
            seq,
            skill_id,
            visitor_name: visitor_name.to_string(),
            visitor_id: 1_000_000_000_000 + i64::from(rand::random::<u32>()),
            rt_session_id: 4_294_967_296 + i64::from(rand::random::<u16>()),
            state: ChatState::Waiting,
            agent: None,
            owner_session: None,
            offer: None,
            transfer_pending: false,
            target_agent: None,
            excluded_agent: None,
            past_agents: Vec::new(),
            chat_timeout_secs: self.cfg.chat_timeout_secs,
            queued_ms: now,
            start_ms: now,
            last_update_ms: now,
            last_touch_ms: now,
            visitor_typing: false,
            agent_typing: false,
            events: Vec::new(),
            customer: None,
            participant_id: None,
            survey_mode: crate::survey::SurveyMode::Skill,
            survey_answers: None,
        });
        let idx = self.chats.len() - 1;
        self.append(idx, EventBody::State(ChatState::Waiting));
        self.append(
            idx,
            EventBody::Line(Line::system(
                4,
                "Thank you for choosing to chat with us.  An agent will be with you shortly.",
            )),
        );
        idx
    }

    /// Appends a visitor line.
    pub fn visitor_line(&mut self, chat: usize, text: &str) {
        self.visitor_line_with(chat, text, None);
    }

    /// Appends a visitor line; with `json` it is a `rich-content` line carrying that card as
    /// given (even one that is not a valid card).
    pub fn visitor_line_with(&mut self, chat: usize, text: &str, json: Option<serde_json::Value>) {
        // Seed 004: `by` is one of "info", "agent", "visitor" (the name lives in info.visitorName).
        let by = "visitor".to_string();
        let text_type = if json.is_some() {
            "rich-content"
        } else if text.trim_start().starts_with('<') {
            "html"
        } else {
            "plain"
        };
        if let Some(c) = self.chats.get_mut(chat) {
            c.visitor_typing = false;
        }
        self.append(
            chat,
            EventBody::Line(Line {
                text: text.to_string(),
                text_type: text_type.into(),
                by,
                source: "visitor".into(),
                system_message_id: None,
                sub_type: "REGULAR".into(),
                json,
            }),
        );
    }

    /// Rule (spec §7 row 8): the visitor leaves; `state ended`, the agent keeps read access.
    pub fn visitor_leave(&mut self, chat: usize) {
        let Some(c) = self.chats.get_mut(chat) else {
            return;
        };
        if c.state == ChatState::Ended {
            return;
        }
        c.offer = None;
        c.visitor_typing = false;
        self.append(chat, EventBody::State(ChatState::Ended));
    }

    /// Skill name of a skill id.
    pub fn skill_name(id: u32) -> &'static str {
        SKILLS
            .iter()
            .find(|s| s.id == id)
            .map(|s| s.name)
            .unwrap_or("Unknown")
    }
}
