//! Agent-level resources: locations, availability, info, agent lists, ringing, slots.

use crate::decode::{
    AvailabilityState, Limit, Links, OneOrMany, i64_flex, opt_i64_flex, opt_limit, opt_text,
};
use serde::Deserialize;

/// `{"link": {...}}` wrapper used by every `…Location` element.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
pub struct Location {
    /// The `location` link (one, sometimes wrapped in an array).
    #[serde(default)]
    pub link: Links,
}

impl Location {
    /// The href of the location.
    pub fn href(&self) -> Option<&str> {
        self.link.rel("location").or_else(|| self.link.first_href())
    }
}

/// Body of `POST agentSession`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AgentSessionLocationResponse {
    /// Where the new agent session lives.
    pub agent_session_location: Location,
}

/// Bodies of `POST incomingRequests` (take) and end chat: `{"chatLocation": …}`; add line
/// answers `{"chatEventLocation": …}` (spec §9 quirk 9). Both are accepted.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LocationResponse {
    /// Present on take chat / end chat.
    #[serde(default)]
    pub chat_location: Option<Location>,
    /// Present on add line.
    #[serde(default)]
    pub chat_event_location: Option<Location>,
}

impl LocationResponse {
    /// The href from whichever wrapper is present.
    pub fn href(&self) -> Option<&str> {
        self.chat_location
            .as_ref()
            .and_then(Location::href)
            .or_else(|| self.chat_event_location.as_ref().and_then(Location::href))
    }
}

/// Body of the undocumented agent-session resource (§4.2): only its links.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AgentSessionResource {
    /// `{"agentSession": {"link": [...]}}`.
    #[serde(default)]
    pub agent_session: Location,
}

/// Availability (`{"availability": {...}}` inner object).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Availability {
    /// Chat availability.
    pub chat: AvailabilityState,
    /// Voice availability, if sent.
    #[serde(default)]
    pub voice: Option<AvailabilityState>,
    /// Reason id for `Away`, if any.
    #[serde(default, deserialize_with = "opt_text")]
    pub chat_reason_id: Option<String>,
}

/// Body of `GET {S}/availability`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct AvailabilityResponse {
    /// The availability.
    pub availability: Availability,
}

/// A skill as `{"id": "…", "name": "…"}`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SkillInfo {
    /// Skill id.
    #[serde(rename = "id", alias = "@id", deserialize_with = "i64_flex")]
    pub id: i64,
    /// Skill name.
    #[serde(default)]
    pub name: String,
    /// Online agents (transfer list only).
    #[serde(default, deserialize_with = "opt_i64_flex")]
    pub online_agents: Option<i64>,
}

/// `skillsInfo` wrapper (`null` allowed).
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SkillsInfo {
    /// The skills.
    #[serde(default)]
    pub skill_info: OneOrMany<SkillInfo>,
}

/// Body of `GET {S}/info`'s `info` element.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AgentInfo {
    /// `self` link.
    #[serde(default)]
    pub link: Links,
    /// Full name.
    #[serde(default)]
    pub agent_name: Option<String>,
    /// Display name.
    #[serde(default)]
    pub display_name: Option<String>,
    /// Login name.
    #[serde(default)]
    pub login_name: Option<String>,
    /// Agent id.
    #[serde(
        default,
        rename = "id",
        alias = "@id",
        deserialize_with = "opt_i64_flex"
    )]
    pub id: Option<i64>,
    /// Maximum concurrent chats (`-1` = unlimited).
    #[serde(default, deserialize_with = "opt_limit")]
    pub max_chats: Option<Limit>,
    /// Current availability.
    #[serde(default)]
    pub availability: Option<Availability>,
    /// Skills.
    #[serde(default)]
    pub skills_info: Option<SkillsInfo>,
    /// Away reason id, if any.
    #[serde(default, deserialize_with = "opt_text")]
    pub chat_reason_id: Option<String>,
}

/// Body of `GET {S}/info`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct AgentInfoResponse {
    /// The info.
    pub info: AgentInfo,
}

/// `skills` wrapper of an agent in the agent list: `{"skill": "id" | ["id", …]}` or `null`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
pub struct SkillIds {
    /// Skill ids.
    #[serde(default)]
    pub skill: OneOrMany<crate::decode::FlexI64>,
}

/// One agent of `availableAgents`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AvailableAgent {
    /// Agent id.
    #[serde(rename = "@id", alias = "id", deserialize_with = "i64_flex")]
    pub id: i64,
    /// Chat state (codes `1`–`4` map to names).
    #[serde(default, rename = "@chatState", alias = "chatState")]
    pub chat_state: Option<AvailabilityState>,
    /// Voice state.
    #[serde(default, rename = "@voiceState", alias = "voiceState")]
    pub voice_state: Option<AvailabilityState>,
    /// Max chats for the current availability.
    #[serde(
        default,
        rename = "@maxChats",
        alias = "maxChats",
        deserialize_with = "opt_limit"
    )]
    pub max_chats: Option<Limit>,
    /// Login name.
    #[serde(default)]
    pub user_name: Option<String>,
    /// Nickname.
    #[serde(default)]
    pub nickname: Option<String>,
    /// Email.
    #[serde(default)]
    pub email: Option<String>,
    /// Skill ids (`null` = none).
    #[serde(default)]
    pub skills: Option<SkillIds>,
    /// Skills with names (`null` = none).
    #[serde(default)]
    pub skills_info: Option<SkillsInfo>,
    /// Current chat count; missing = 0.
    #[serde(default, deserialize_with = "opt_i64_flex")]
    pub chats: Option<i64>,
    /// Milliseconds in the current state.
    #[serde(default, deserialize_with = "opt_i64_flex")]
    pub elapsed_time_in_state: Option<i64>,
    /// Group id.
    #[serde(default, deserialize_with = "opt_i64_flex")]
    pub agent_group_id: Option<i64>,
    /// Group name.
    #[serde(default)]
    pub agent_group_name: Option<String>,
}

/// `agents` wrapper.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
pub struct AgentList {
    /// The agents.
    #[serde(default)]
    pub agent: OneOrMany<AvailableAgent>,
}

/// `availableAgents` element.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
pub struct AvailableAgents {
    /// Agents (`null` = none).
    #[serde(default)]
    pub agents: Option<AgentList>,
    /// `next` link with `timeStamp`.
    #[serde(default)]
    pub link: Links,
}

impl AvailableAgents {
    /// The agents as a slice.
    pub fn list(&self) -> &[AvailableAgent] {
        self.agents
            .as_ref()
            .map(|a| a.agent.as_slice())
            .unwrap_or(&[])
    }
}

/// Body of `GET {S}/availableAgents`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AvailableAgentsResponse {
    /// The list.
    #[serde(default)]
    pub available_agents: AvailableAgents,
}

/// `incomingRequests` element.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct IncomingRequests {
    /// Chats ringing for this agent.
    #[serde(default, deserialize_with = "i64_flex")]
    pub ringing_count: i64,
    /// Take link (present when ringing).
    #[serde(default)]
    pub link: Links,
}

/// Body of `GET {S}/incomingRequests`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct IncomingRequestsResponse {
    /// The element.
    #[serde(default)]
    pub incoming_requests: IncomingRequests,
}

/// Body of `GET {S}/chat/availableSlots`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AvailableSlotsResponse {
    /// Estimated free slots (`-1` = unlimited).
    pub available_slots: Limit,
}
