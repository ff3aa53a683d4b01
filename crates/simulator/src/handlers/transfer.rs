//! Transfers (spec §4.22-4.23, §7 row 6).

use serde_json::{Value, json};

use crate::accounts::{AGENTS, SKILLS, agent_index_by_id, skill_by_id, skill_by_name};
use crate::dispatch::Sess;
use crate::model::{Availability, ChatState, EventBody, Line};
use crate::reply::Reply;
use crate::request::{Req, scalar};
use crate::shapes::list_obj;
use crate::state::SimState;

/// Agents who count as online for a transfer: an active session, Online or Occupied (Occupied
/// receives transfers), the skill, `maxChats` not 0, and not already in the chat.
fn online_agents(st: &SimState, skill_id: u32, chat_agent: Option<usize>) -> usize {
    (0..AGENTS.len())
        .filter(|&a| {
            Some(a) != chat_agent
                && st.agent_online_session(a)
                && AGENTS[a].skills.contains(&skill_id)
                && AGENTS[a].max_chats != 0
                && matches!(
                    st.agents[a].availability,
                    Availability::Online | Availability::Occupied
                )
        })
        .count()
}

/// `GET {C}/transfer` (spec §4.22): skills with at least one online agent not in this chat;
/// ids and counts as strings.
pub fn skills(st: &SimState, ci: usize) -> Reply {
    let agent = st.chats[ci].agent;
    let items: Vec<Value> = SKILLS
        .iter()
        .filter_map(|sk| {
            let n = online_agents(st, sk.id, agent);
            (n > 0).then(
                || json!({"id": sk.id.to_string(), "name": sk.name, "onlineAgents": n.to_string()}),
            )
        })
        .collect();
    Reply::json(
        200,
        json!({"transfer": list_obj("skill", items, st.cfg.arrays())}),
    )
}

/// An id given as `{"id":2}`, `{"@id":"2"}`, `"2"` or `2`; a skill may also be named.
fn target_id(v: Option<&Value>) -> Option<String> {
    let v = v?;
    match v {
        Value::Object(_) => v
            .get("id")
            .or_else(|| v.get("@id"))
            .or_else(|| v.get("name"))
            .and_then(scalar),
        other => scalar(other),
    }
}

/// `POST {C}/transfer` (spec §4.23): agent wins over skill; `text` inside or outside
/// `transfer`; ids string or number. Rule (§7 row 6): system line 13 (agent) or 15 (skill),
/// the note as an agent-only line (`ONLY_TO_REP`, hidden from the visitor; the old agent loses
/// access so only the receiving agent reads it), state back to `waiting` until accepted.
/// 400 when no online agent can receive it. 200 with no body.
pub fn transfer(st: &mut SimState, req: &Req, s: &Sess, ci: usize) -> Reply {
    let now = st.now();
    if st.chats[ci].state != ChatState::Chatting {
        return Reply::error(400, "only a chat in state chatting can be transferred", now);
    }
    let t = req.body.get("transfer").unwrap_or(&req.body);
    let note = t
        .get("text")
        .or_else(|| req.body.get("text"))
        .and_then(scalar)
        .filter(|x| !x.is_empty());
    let agent_target = target_id(t.get("agent"));
    let skill_target = target_id(t.get("skill"));
    let (line, target_agent, new_skill) = if let Some(id) = agent_target {
        let Some(a) = id.parse().ok().and_then(agent_index_by_id) else {
            return Reply::error(400, "unknown agent", now);
        };
        let ok = a != s.agent
            && st.agent_online_session(a)
            && AGENTS[a].max_chats != 0
            && matches!(
                st.agents[a].availability,
                Availability::Online | Availability::Occupied
            );
        if !ok {
            return Reply::error(400, "the agent is not available for a transfer", now);
        }
        let text = format!("The chat is being transferred to {}.", AGENTS[a].nickname);
        (Line::system(13, text), Some(a), None)
    } else if let Some(id) = skill_target {
        let sk = id
            .parse()
            .ok()
            .and_then(skill_by_id)
            .or_else(|| skill_by_name(&id));
        let Some(sk) = sk else {
            return Reply::error(400, "unknown skill", now);
        };
        if online_agents(st, sk.id, Some(s.agent)) == 0 {
            return Reply::error(400, "no agent of this skill is available", now);
        }
        let text = format!("The chat is being transferred to the {} team.", sk.name);
        (Line::system(15, text), None, Some(sk.id))
    } else {
        return Reply::error(400, "transfer.skill or transfer.agent is required", now);
    };
    st.append(ci, EventBody::Line(line));
    if let Some(text) = note {
        st.append(
            ci,
            EventBody::Line(Line {
                text,
                text_type: "plain".into(),
                by: "agent".into(), // seed 004: info | agent | visitor
                source: "agent".into(),
                system_message_id: None,
                sub_type: "ONLY_TO_REP".into(),
                json: None,
            }),
        );
    }
    st.append(ci, EventBody::State(ChatState::Waiting));
    let c = &mut st.chats[ci];
    c.past_agents.push(s.agent);
    c.agent = None;
    c.owner_session = None;
    c.offer = None;
    c.agent_typing = false;
    c.excluded_agent = Some(s.agent);
    c.transfer_pending = true;
    c.target_agent = target_agent;
    if let Some(sk) = new_skill {
        c.skill_id = sk;
    }
    c.queued_ms = now;
    Reply::empty(200)
}
