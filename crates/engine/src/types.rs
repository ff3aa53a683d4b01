//! What the handle's queries answer: the desk as a whole, transfer choices, outbox items.

use crate::events::{
    AgentProfile, Availability, ChatLine, ChatSummary, ConnectionState, EpochMs, OutboxState,
    SessionState, TextType,
};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Everything a front end needs to draw the desk from scratch.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "../../../ui/src/bindings/")]
pub struct DeskSnapshot {
    pub session: SessionState,
    pub connection: ConnectionState,
    pub availability: Option<Availability>,
    pub agent: Option<AgentProfile>,
    pub ringing: Option<RingingSnapshot>,
    pub chats: Vec<ChatSnapshot>,
    /// Ended chats whose wrap-up survey is still to be filled, being sent, or refused.
    pub wrap_ups: Vec<crate::wrapup::WrapUp>,
}

impl DeskSnapshot {
    /// The desk of an engine that is not running.
    pub fn stopped() -> Self {
        Self {
            session: SessionState::LoggedOut,
            connection: ConnectionState::Offline,
            availability: None,
            agent: None,
            ringing: None,
            chats: Vec::new(),
            wrap_ups: Vec::new(),
        }
    }
}

/// What rings right now.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "../../../ui/src/bindings/")]
pub struct RingingSnapshot {
    pub count: u32,
    pub deadline: EpochMs,
}

/// One chat on the desk.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "../../../ui/src/bindings/")]
pub struct ChatSnapshot {
    pub summary: ChatSummary,
    pub lines: Vec<ChatLine>,
    /// Lines the agent wrote that the server does not have yet (pending or failed).
    pub outbox: Vec<OutboxItem>,
    pub visitor_typing: bool,
    pub draft: Option<String>,
    /// The customer details of an authenticated visitor, once asked for.
    pub customer: Option<crate::customer::CustomerInfo>,
}

/// A line in the outbox.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "../../../ui/src/bindings/")]
pub struct OutboxItem {
    pub local_id: String,
    pub text: String,
    pub text_type: TextType,
    pub agent_only: bool,
    pub state: OutboxState,
    pub error: Option<String>,
}

/// Where a chat can be transferred.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "../../../ui/src/bindings/")]
pub struct TransferOptions {
    /// Skills with at least one online agent not in this chat.
    pub skills: Vec<TransferSkill>,
    /// Agents of the account (the front end shows who can take it).
    pub agents: Vec<TransferAgent>,
}

/// A skill to transfer to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "../../../ui/src/bindings/")]
pub struct TransferSkill {
    pub id: String,
    pub name: String,
    pub online_agents: u32,
}

/// An agent to transfer to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "../../../ui/src/bindings/")]
pub struct TransferAgent {
    pub id: String,
    pub name: String,
    pub availability: Availability,
    pub chats: u32,
    /// `None` = unlimited.
    pub max_chats: Option<u32>,
}
