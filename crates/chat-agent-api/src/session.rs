//! `AgentSession`: agent-level resources (availability, info, agents, ringing, taking chats).

use crate::client::LoginSession;
use crate::decode::{AvailabilityState, Limit};
use crate::error::ApiError;
use crate::model::{
    AgentInfo, AgentInfoResponse, AgentSessionLocationResponse, AgentSessionResource, Availability,
    AvailabilityResponse, AvailableAgents, AvailableAgentsResponse, AvailableSlotsResponse,
    ChatSessions, ChatSessionsResponse, IncomingRequests, IncomingRequestsResponse,
    LocationResponse, ParticipantInfo,
};
use crate::secret::Bearer;
use crate::transport::{Reply, Transport, Verb};
use crate::url_rules::{child, last_segment, parse_checked};
use serde_json::json;
use std::fmt;
use url::Url;

/// A chat this agent session can address: its resource URL `{C}` and its key.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ChatRef {
    /// The chat resource URL as the server gave it (no query).
    pub url: Url,
    /// The chat session key (last path segment).
    pub key: String,
}

impl ChatRef {
    /// From an href returned by the server (take-chat location, `chat-session` link).
    pub fn from_href(href: &str) -> Result<Self, ApiError> {
        let mut url = parse_checked(href)?;
        url.set_query(None);
        url.set_fragment(None);
        let key = last_segment(&url).ok_or_else(|| ApiError::InvalidUrl {
            url: href.to_string(),
            reason: "no chat id in the path".into(),
        })?;
        Ok(Self { url, key })
    }
}

/// Filters of `GET {S}/availableAgents`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AgentsQuery {
    /// Skill name.
    pub skill: Option<String>,
    /// Only agents in this chat state.
    pub chat_state: Option<AvailabilityState>,
    /// Only agents in this voice state.
    pub voice_state: Option<AvailabilityState>,
    /// Only agents with this away reason.
    pub chat_reason_id: Option<String>,
}

/// Query of `GET {S}/chat/availableSlots`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SlotsQuery {
    /// By skill name and the longest acceptable wait (0..=86400 s).
    Skill {
        /// Skill name.
        name: String,
        /// Seconds.
        max_wait_time: u32,
    },
    /// By agent login name.
    Agent(String),
}

/// An agent session (`{S}`), with its own cookie jar. Cheap to clone.
#[derive(Clone)]
pub struct AgentSession {
    pub(crate) base: Url,
    pub(crate) id: String,
    pub(crate) bearer: Bearer,
    pub(crate) transport: Transport,
}

impl fmt::Debug for AgentSession {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AgentSession")
            .field("url", &self.base.as_str())
            .field("id", &self.id)
            .field("bearer", &self.bearer)
            .finish_non_exhaustive()
    }
}

impl AgentSession {
    pub(crate) async fn start(login: &LoginSession) -> Result<Self, ApiError> {
        let url = child(
            &login.domain,
            &["api", "account", login.account_id.as_str(), "agentSession"],
        )?;
        let transport = login.timeout_transport()?;
        let reply = transport
            .send(
                Verb::Post,
                &url,
                Some(&login.bearer),
                Some(&crate::bodies::start_session()),
                true,
            )
            .await?;
        let parsed: AgentSessionLocationResponse = reply.json()?;
        let href = parsed
            .agent_session_location
            .href()
            .ok_or(ApiError::Missing {
                status: reply.status,
                what: "agentSessionLocation link",
                raw: reply.body.clone(),
            })?;
        let mut base = parse_checked(href)?;
        base.set_query(None);
        let id = last_segment(&base).unwrap_or_default();
        tracing::info!(agent_session = %id, "agent session started");
        Ok(Self {
            base,
            id,
            bearer: login.bearer.clone(),
            transport,
        })
    }

    /// The agent session URL `{S}`.
    pub fn url(&self) -> &Url {
        &self.base
    }

    /// The agent session id (last segment of `{S}`).
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The chat at `{S}/chat/{key}` (for keys from the multi-chat call or storage).
    pub fn chat_ref(&self, key: &str) -> Result<ChatRef, ApiError> {
        Ok(ChatRef {
            url: child(&self.base, &["chat", key])?,
            key: key.to_string(),
        })
    }

    pub(crate) async fn call(
        &self,
        verb: Verb,
        url: &Url,
        body: Option<&serde_json::Value>,
    ) -> Result<Reply, ApiError> {
        self.transport
            .send(verb, url, Some(&self.bearer), body, true)
            .await
    }

    pub(crate) fn at(&self, segments: &[&str]) -> Result<Url, ApiError> {
        child(&self.base, segments)
    }

    /// The undocumented agent-session resource (`GET {S}?cs=1`, spec §4.2); nothing depends
    /// on it.
    pub async fn resource(&self) -> Result<AgentSessionResource, ApiError> {
        let mut url = self.base.clone();
        url.query_pairs_mut().append_pair("cs", "1");
        self.call(Verb::Get, &url, None).await?.json()
    }

    /// Ends the agent session (`DELETE {S}` via override; undocumented, spec §4.3).
    pub async fn close(&self) -> Result<(), ApiError> {
        self.call(Verb::Delete, &self.base, None).await.map(drop)
    }

    /// Current availability.
    pub async fn availability(&self) -> Result<Availability, ApiError> {
        let url = self.at(&["availability"])?;
        let r: AvailabilityResponse = self.call(Verb::Get, &url, None).await?.json()?;
        Ok(r.availability)
    }

    /// Sets chat availability (`Online` / `Away` / `Occupied`), with an optional away reason.
    pub async fn set_availability(
        &self,
        state: &AvailabilityState,
        reason_id: Option<&str>,
    ) -> Result<(), ApiError> {
        let url = self.at(&["availability"])?;
        let body = crate::bodies::availability(state, reason_id);
        self.call(Verb::Put, &url, Some(&body)).await.map(drop)
    }

    /// Agent information (name, id, maxChats, skills).
    pub async fn info(&self) -> Result<AgentInfo, ApiError> {
        let url = self.at(&["info"])?;
        let r: AgentInfoResponse = self.call(Verb::Get, &url, None).await?.json()?;
        Ok(r.info)
    }

    /// All non-disabled agents of the account, filtered by `query`.
    pub async fn available_agents(&self, query: &AgentsQuery) -> Result<AvailableAgents, ApiError> {
        let mut url = self.at(&["availableAgents"])?;
        {
            let mut q = url.query_pairs_mut();
            if let Some(s) = &query.skill {
                q.append_pair("skill", s);
            }
            if let Some(s) = &query.chat_state {
                q.append_pair("chatState", s.as_str());
            }
            if let Some(s) = &query.voice_state {
                q.append_pair("voiceState", s.as_str());
            }
            if let Some(s) = &query.chat_reason_id {
                q.append_pair("chatReasonId", s);
            }
        }
        let r: AvailableAgentsResponse = self.call(Verb::Get, &url, None).await?.json()?;
        Ok(r.available_agents)
    }

    /// Estimated free chat slots (`Limit::Unlimited` for `-1`).
    pub async fn available_slots(&self, query: &SlotsQuery) -> Result<Limit, ApiError> {
        let mut url = self.at(&["chat", "availableSlots"])?;
        match query {
            SlotsQuery::Skill {
                name,
                max_wait_time,
            } => {
                url.query_pairs_mut()
                    .append_pair("skill", name)
                    .append_pair("maxWaitTime", &max_wait_time.to_string());
            }
            SlotsQuery::Agent(login) => {
                url.query_pairs_mut().append_pair("agent", login);
            }
        }
        let r: AvailableSlotsResponse = self.call(Verb::Get, &url, None).await?.json()?;
        Ok(r.available_slots)
    }

    /// Chats ringing for this agent (`ringingCount` and, when > 0, the take link).
    pub async fn incoming_requests(&self) -> Result<IncomingRequests, ApiError> {
        let url = self.at(&["incomingRequests"])?;
        let r: IncomingRequestsResponse = self.call(Verb::Get, &url, None).await?.json()?;
        Ok(r.incoming_requests)
    }

    /// Takes the next ringing chat. `Ok(None)` when there was nothing to take (404, or a 2xx
    /// without `chatLocation`). Not safe to repeat blindly (see [`crate::retry`]).
    pub async fn take_chat(&self) -> Result<Option<ChatRef>, ApiError> {
        let url = self.at(&["incomingRequests"])?;
        let reply = match self.call(Verb::Post, &url, Some(&json!({}))).await {
            Ok(r) => r,
            Err(ApiError::Http { status: 404, .. }) => return Ok(None),
            Err(e) => return Err(e),
        };
        if reply.body.trim().is_empty() {
            return Ok(None);
        }
        let parsed: LocationResponse = reply.json()?;
        match parsed.chat_location.as_ref().and_then(|l| l.href()) {
            Some(href) => ChatRef::from_href(href).map(Some),
            None => Ok(None),
        }
    }

    /// Chats carried over from this agent's other, still active agent session.
    pub async fn chat_sessions(&self) -> Result<ChatSessions, ApiError> {
        let url = self.at(&["chatSessions"])?;
        let r: ChatSessionsResponse = self.call(Verb::Get, &url, None).await?.json()?;
        Ok(r.chat_sessions.unwrap_or_default())
    }

    /// Extended info of an SSO-authenticated visitor (spec §4.27; `participantId` from chat
    /// info, [`crate::model::ChatInfo::participant_id`]). An unknown id is [`ApiError::Http`]
    /// 404.
    #[doc(alias = "participant_extended_info")]
    pub async fn participant_info(
        &self,
        participant_id: &str,
    ) -> Result<ParticipantInfo, ApiError> {
        let url = self.at(&["participantExtendedInfo", participant_id])?;
        self.call(Verb::Get, &url, None).await?.json()
    }
}
