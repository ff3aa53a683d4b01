//! The visitor side (spec §10 "test-control side channel"): start a chat, write, type, leave.
//! Shared by the typed control API, the `/_sim/` routes and the demo.

use serde_json::Value;

use crate::accounts::{SKILLS, skill_by_name};
use crate::customer::admit;
use crate::error::SimError;
use crate::model::{ChatState, EventBody, Line};
use crate::reply::LONE_SURROGATE_MARKER;
use crate::routing::route;
use crate::shapes::visitor_view;
use crate::state::SimState;
use crate::survey::{SubmittedSurvey, SurveyMode};

/// What a new visitor chat looks like.
#[derive(Debug, Clone, Default)]
pub struct StartChat {
    /// Skill name; None = `Sales`.
    pub skill: Option<String>,
    /// Visitor name (empty = `visitor`).
    pub visitor_name: String,
    /// First visitor line, if any.
    pub text: Option<String>,
}

/// What a visitor chat has beyond [`StartChat`] (kept apart so that `StartChat` literals elsewhere
/// stay valid).
#[derive(Debug, Clone, Default)]
pub struct ChatExtras {
    /// An SSO-authenticated visitor: the participant extended info body of spec §4.27
    /// (`authenticatedParticipantInfo` + optional `authenticatedPersonalInfo`). Its
    /// `participantId` is kept when given, else a GUID is made; chat info shows it.
    /// [`crate::demo_customer`] makes plausible ones.
    pub customer: Option<Value>,
    /// Which survey the chat serves (default: its skill's).
    pub survey: SurveyMode,
}

fn chat(st: &SimState, key: &str) -> Result<usize, SimError> {
    st.chat_index(key)
        .ok_or_else(|| SimError::UnknownChat(key.to_string()))
}

fn live_chat(st: &SimState, key: &str) -> Result<usize, SimError> {
    let ci = chat(st, key)?;
    if st.chats[ci].state == ChatState::Ended {
        return Err(SimError::ChatEnded(key.to_string()));
    }
    Ok(ci)
}

/// Starts a visitor chat and routes it; returns the chatSessionKey.
pub fn start_chat(st: &mut SimState, req: StartChat) -> Result<String, SimError> {
    start_chat_with(st, req, ChatExtras::default())
}

/// [`start_chat`] with extras (an authenticated customer, a survey mode). A bad customer
/// object is refused before anything is created.
pub fn start_chat_with(
    st: &mut SimState,
    req: StartChat,
    extras: ChatExtras,
) -> Result<String, SimError> {
    let customer = extras.customer.map(admit).transpose()?;
    let skill = match req.skill.as_deref() {
        None => &SKILLS[0],
        Some(name) => skill_by_name(name).ok_or_else(|| SimError::UnknownSkill(name.into()))?,
    };
    let name = if req.visitor_name.trim().is_empty() {
        "visitor"
    } else {
        req.visitor_name.as_str()
    };
    let ci = st.create_chat(skill.id, name);
    st.chats[ci].survey_mode = extras.survey;
    if let Some((customer, pid)) = customer {
        st.chats[ci].customer = Some(customer);
        st.chats[ci].participant_id = Some(pid);
    }
    if let Some(text) = req.text.filter(|t| !t.is_empty()) {
        st.visitor_line(ci, &text);
    }
    route(st);
    Ok(st.chats[ci].key.clone())
}

/// For load tests: `count` new chats of `skill` already held by agent `agent`, as if it had taken
/// each one (spec §7 row 3: `state chatting` + system line 3), owned by no agent session, so any
/// session of the agent lists them in `chatSessions` (continuity). Returns their keys.
pub fn assign_chats(
    st: &mut SimState,
    agent: usize,
    skill: Option<&str>,
    count: usize,
) -> Result<Vec<String>, SimError> {
    let skill = match skill {
        None => &SKILLS[0],
        Some(name) => skill_by_name(name).ok_or_else(|| SimError::UnknownSkill(name.into()))?,
    };
    let nick = crate::accounts::AGENTS
        .get(agent)
        .map(|a| a.nickname)
        .unwrap_or("agent");
    let mut keys = Vec::with_capacity(count);
    for i in 0..count {
        let ci = st.create_chat(skill.id, &format!("Visitor {i}"));
        st.chats[ci].agent = Some(agent);
        st.chats[ci].last_touch_ms = st.now();
        st.append(ci, EventBody::State(ChatState::Chatting));
        st.append(
            ci,
            EventBody::Line(Line::system(
                3,
                format!("You are now chatting with {nick}."),
            )),
        );
        keys.push(st.chats[ci].key.clone());
    }
    Ok(keys)
}

/// Adds a visitor line.
pub fn line(st: &mut SimState, key: &str, text: &str) -> Result<(), SimError> {
    let ci = live_chat(st, key)?;
    st.visitor_line(ci, text);
    Ok(())
}

/// Adds a visitor `rich-content` line carrying `json` as given (a card, or anything else for
/// bad-input tests) next to `text`.
pub fn rich_line(st: &mut SimState, key: &str, text: &str, json: Value) -> Result<(), SimError> {
    let ci = live_chat(st, key)?;
    st.visitor_line_with(ci, text, Some(json));
    Ok(())
}

/// The agent's accepted survey answers, `None` before any.
pub fn survey_answers(st: &SimState, key: &str) -> Result<Option<SubmittedSurvey>, SimError> {
    let ci = chat(st, key)?;
    Ok(st.chats[ci].survey_answers.clone())
}

/// Adds a visitor line cut in the middle of an emoji, as a Java server that truncates text at a
/// length limit stores it (spec §9 quirk 16): `text` followed by the high half of 😀 alone. Every
/// API reply that includes the line carries the escape `\ud83d` with no low surrogate after it.
pub fn line_truncated(st: &mut SimState, key: &str, text: &str) -> Result<(), SimError> {
    let ci = live_chat(st, key)?;
    st.visitor_line(ci, &format!("{text}{LONE_SURROGATE_MARKER}"));
    Ok(())
}

/// Sets the visitor typing flag.
pub fn typing(st: &mut SimState, key: &str, on: bool) -> Result<(), SimError> {
    let ci = live_chat(st, key)?;
    st.chats[ci].visitor_typing = on;
    Ok(())
}

/// Sets the visitor name.
pub fn set_name(st: &mut SimState, key: &str, name: &str) -> Result<(), SimError> {
    let ci = chat(st, key)?;
    st.chats[ci].visitor_name = name.to_string();
    Ok(())
}

/// The visitor leaves (spec §7 row 8).
pub fn leave(st: &mut SimState, key: &str) -> Result<(), SimError> {
    let ci = chat(st, key)?;
    st.visitor_leave(ci);
    route(st);
    Ok(())
}

/// The chat's events as the visitor sees them (agent-only lines excluded). Half an emoji left
/// by [`line_truncated`] shows as U+FFFD here (this view is not an API reply).
pub fn view(st: &SimState, key: &str) -> Result<Vec<Value>, SimError> {
    let ci = chat(st, key)?;
    let mut events = visitor_view(&st.chats[ci]);
    events.iter_mut().for_each(without_marker);
    Ok(events)
}

fn without_marker(v: &mut Value) {
    match v {
        Value::String(s) if s.contains(LONE_SURROGATE_MARKER) => {
            *s = s.replace(LONE_SURROGATE_MARKER, "\u{FFFD}");
        }
        Value::Array(items) => items.iter_mut().for_each(without_marker),
        Value::Object(m) => m.values_mut().for_each(without_marker),
        _ => {}
    }
}

/// The chat's state name.
pub fn state(st: &SimState, key: &str) -> Result<String, SimError> {
    let ci = chat(st, key)?;
    Ok(st.chats[ci].state.as_str().to_string())
}
