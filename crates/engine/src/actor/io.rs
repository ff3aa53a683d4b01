//! The network side of the chat poll, run as a task off the actor: it gets what it needs as
//! clones (the agent session, the chats to read) and returns what it found; the actor applies it.
//! A tick's multi-chat requests go out in parallel (bounded), new chats get one full read each.

use chat_agent_api::{AgentSession, ApiError, ChatSlot};
use futures::stream::{self, StreamExt};
use std::time::Instant;

/// Requests of one poll running at once at most (1 000 chats = 40 batches: 3 rounds).
const PARALLEL: usize = 16;

/// What to read in one poll.
pub(crate) struct PollPlan {
    pub agent: AgentSession,
    /// Chats never read yet: one full `GET {C}` each.
    pub new: Vec<String>,
    /// `(key, last event id seen)`, in batches of at most `batch_size`.
    pub batches: Vec<Vec<(String, i64)>>,
}

/// What reading one chat gave.
pub(crate) enum ChatRead {
    /// The chat (or what could be decoded of it).
    Slot(Box<ChatSlot>),
    /// 403: the server no longer lets this agent at the chat.
    Forbidden,
    /// 404: the chat is gone.
    NotFound,
    /// The reply for this chat cannot be read at all.
    Unreadable(String),
}

/// What one poll found.
pub(crate) struct PollResult {
    /// Per chat: when its request started, and what it gave.
    pub reads: Vec<(String, Instant, ChatRead)>,
    /// The first failure of the exchange itself (the job backs off on it).
    pub error: Option<ApiError>,
    /// The agent session answered 404: it is gone.
    pub session_gone: bool,
}

/// Runs a poll plan.
pub(crate) async fn poll(plan: PollPlan) -> PollResult {
    let agent = plan.agent;
    let mut out = PollResult {
        reads: Vec::new(),
        error: None,
        session_gone: false,
    };
    let firsts: Vec<_> = stream::iter(plan.new)
        .map(|key| {
            let agent = agent.clone();
            async move { (key.clone(), read_one(&agent, &key, None).await) }
        })
        .buffer_unordered(PARALLEL)
        .collect()
        .await;
    for (key, r) in firsts {
        out.take(key, r);
    }
    let batches: Vec<_> = stream::iter(plan.batches)
        .map(|batch| {
            let agent = agent.clone();
            async move { poll_batch(&agent, batch).await }
        })
        .buffer_unordered(PARALLEL)
        .collect()
        .await;
    for b in batches {
        out.reads.extend(b.reads);
        out.session_gone |= b.session_gone;
        if out.error.is_none() {
            out.error = b.error;
        }
    }
    // A chat URL lives under the agent session: before a 404 takes a chat off the desk, make sure
    // it is not the session that is gone (then every chat would read as "not found").
    if !out.session_gone
        && out
            .reads
            .iter()
            .any(|(_, _, r)| matches!(r, ChatRead::NotFound))
    {
        match session_alive(&agent).await {
            Ok(true) => {}
            Ok(false) => out.session_gone = true,
            Err(e) => {
                out.error.get_or_insert(e);
                out.reads
                    .retain(|(_, _, r)| !matches!(r, ChatRead::NotFound));
            }
        }
    }
    if out.session_gone {
        out.reads
            .retain(|(_, _, r)| !matches!(r, ChatRead::NotFound));
    }
    out
}

impl PollResult {
    fn take(&mut self, key: String, r: Result<(Instant, ChatRead), ApiError>) {
        match r {
            Ok((started, read)) => self.reads.push((key, started, read)),
            Err(e) => {
                if self.error.is_none() {
                    self.error = Some(e);
                }
            }
        }
    }
}

/// One multi-chat request; chats it left out, or all of them when the reply cannot be read as a
/// whole, are read one by one (so one bad chat cannot silence the batch, and a deterministic
/// decode failure is not retried as if it were transient).
async fn poll_batch(agent: &AgentSession, batch: Vec<(String, i64)>) -> PollResult {
    let mut out = PollResult {
        reads: Vec::new(),
        error: None,
        session_gone: false,
    };
    let started = Instant::now();
    let pairs: Vec<(&str, i64)> = batch.iter().map(|(k, f)| (k.as_str(), *f)).collect();
    let one_by_one: Vec<(String, i64)> = match agent.chats_data(&pairs).await {
        Ok(slots) => {
            let mut seen = Vec::new();
            for slot in slots {
                let Some(key) = slot.key.clone() else {
                    continue;
                };
                if !batch.iter().any(|(k, _)| *k == key) || seen.contains(&key) {
                    continue;
                }
                seen.push(key.clone());
                out.reads
                    .push((key, started, ChatRead::Slot(Box::new(slot))));
            }
            batch
                .iter()
                .filter(|(k, _)| !seen.contains(k))
                .cloned()
                .collect()
        }
        Err(ApiError::Http { status: 404, .. }) => {
            // Either the agent session is gone, or a chat is: the session decides which.
            match session_alive(agent).await {
                Ok(true) => batch.clone(),
                Ok(false) => {
                    out.session_gone = true;
                    Vec::new()
                }
                Err(e) => {
                    out.error = Some(e);
                    Vec::new()
                }
            }
        }
        Err(e @ (ApiError::Decode { .. } | ApiError::Missing { .. })) => {
            tracing::warn!(error = %super::failure::short(&e.to_string()), "multi-chat reply unreadable; reading chats one by one");
            batch.clone()
        }
        Err(e) => {
            out.error = Some(e);
            Vec::new()
        }
    };
    for (key, last) in one_by_one {
        let r = read_one(agent, &key, Some(last)).await;
        out.take(key, r);
    }
    out
}

/// After a 404 under the agent session: does the session itself still answer? `Ok(false)` when
/// it answers 404 too (the session is gone, not the chat).
async fn session_alive(agent: &AgentSession) -> Result<bool, ApiError> {
    match agent.availability().await {
        Ok(_) => Ok(true),
        Err(ApiError::Http { status: 404, .. }) => Ok(false),
        Err(e) => Err(e),
    }
}

/// One chat read on its own: `GET {C}` (everything, for its first read) or the events after
/// `last` (`GET {C}?from=last+1`, the chat-level `next` form of spec §4.12).
pub(crate) async fn read_one(
    agent: &AgentSession,
    key: &str,
    last: Option<i64>,
) -> Result<(Instant, ChatRead), ApiError> {
    let mut r = agent.chat_ref(key)?;
    if let Some(last) = last {
        r.url
            .query_pairs_mut()
            .append_pair("from", &(last + 1).to_string());
    }
    let started = Instant::now();
    let read = match agent.chat_resource(&r).await {
        Ok(slot) => ChatRead::Slot(Box::new(slot)),
        Err(ApiError::Http { status: 403, .. }) => ChatRead::Forbidden,
        Err(ApiError::Http { status: 404, .. }) => ChatRead::NotFound,
        Err(e @ (ApiError::Decode { .. } | ApiError::Missing { .. })) => {
            ChatRead::Unreadable(super::failure::short(&e.to_string()))
        }
        Err(e) => return Err(e),
    };
    Ok((started, read))
}
