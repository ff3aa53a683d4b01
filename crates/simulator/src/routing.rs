//! The server's routing and timer rules (spec §7, §10).

use crate::accounts::AGENTS;
use crate::model::{Availability, ChatState, EventBody, Line, Offer};
use crate::state::SimState;

/// Offer window: an offer not taken within 20 s makes the agent Away (spec §4.10).
pub const OFFER_WINDOW_MS: i64 = 20_000;

/// True when the agent has room for one more chat (`maxChats` -1 unlimited, 0 none);
/// ringing offers count against the room.
pub fn has_capacity(st: &SimState, agent: usize) -> bool {
    let Some(def) = AGENTS.get(agent) else {
        return false;
    };
    match def.max_chats {
        m if m < 0 => true,
        0 => false,
        m => {
            let used = st.agent_chat_count(agent) + st.agent_offer_count(agent);
            used < usize::try_from(m).unwrap_or(0)
        }
    }
}

/// Rule (spec §4.5, §7 row 2): Online receives new chats, Occupied only transfers, Away nothing.
fn receives(st: &SimState, agent: usize, transfer: bool) -> bool {
    match st.agents.get(agent).map(|a| a.availability) {
        Some(Availability::Online) => true,
        Some(Availability::Occupied) => transfer,
        _ => false,
    }
}

fn eligible(st: &SimState, agent: usize, chat: usize) -> bool {
    let Some(c) = st.chats.get(chat) else {
        return false;
    };
    let Some(def) = AGENTS.get(agent) else {
        return false;
    };
    if c.excluded_agent == Some(agent) || !st.agent_online_session(agent) {
        return false;
    }
    // Rule (spec §4.9, §4.10, §9 quirk 15): ACD offers sequentially and "take" accepts the
    // *next* chat through the one take link, so at most one chat rings for an agent at a time;
    // the next one is offered once it is taken (or its offer window runs out). `ringingCount`
    // is thus "0" or "1", and a take after "1" gets exactly the chat that rang.
    if st.agent_offer_count(agent) > 0 {
        return false;
    }
    if let Some(target) = c.target_agent {
        // Transfer to an agent: only that agent.
        return target == agent && receives(st, agent, true) && has_capacity(st, agent);
    }
    def.skills.contains(&c.skill_id)
        && receives(st, agent, c.transfer_pending)
        && has_capacity(st, agent)
}

/// Rule (spec §10 "Routing"): each waiting chat, oldest first (FIFO), is offered to ONE agent
/// that is Online (Occupied for transfers) with the skill, free capacity and nothing ringing. Among several, the
/// agent with fewest chats, then longest in its state, then account order.
pub fn route(st: &mut SimState) {
    let now = st.now();
    // Drop offers that became invalid (agent gone Away/Offline, chat no longer waiting).
    for i in 0..st.chats.len() {
        let stale = match (st.chats[i].offer, st.chats[i].state) {
            (Some(o), ChatState::Waiting) => {
                !st.agent_online_session(o.agent)
                    || !receives(
                        st,
                        o.agent,
                        st.chats[i].transfer_pending || st.chats[i].target_agent.is_some(),
                    )
            }
            (Some(_), _) => true,
            _ => false,
        };
        if stale {
            st.chats[i].offer = None;
        }
    }
    let mut order: Vec<usize> = (0..st.chats.len())
        .filter(|&i| st.chats[i].state == ChatState::Waiting && st.chats[i].offer.is_none())
        .collect();
    order.sort_by_key(|&i| (st.chats[i].queued_ms, st.chats[i].seq));
    for ci in order {
        let best = (0..AGENTS.len())
            .filter(|&a| eligible(st, a, ci))
            .min_by_key(|&a| {
                (
                    st.agent_chat_count(a) + st.agent_offer_count(a),
                    st.agents[a].since_ms,
                    a,
                )
            });
        if let Some(agent) = best {
            st.chats[ci].offer = Some(Offer {
                agent,
                since_ms: now,
            });
        }
    }
}

/// True when some agent other than `except` could ever take a chat of this skill now:
/// an active session, Online (or Occupied), the skill, and `maxChats` not 0.
pub fn suitable_agent_exists(st: &SimState, skill_id: u32, except: Option<usize>) -> bool {
    (0..AGENTS.len()).any(|a| {
        Some(a) != except
            && st.agent_online_session(a)
            && AGENTS[a].skills.contains(&skill_id)
            && AGENTS[a].max_chats != 0
            && matches!(
                st.agents[a].availability,
                Availability::Online | Availability::Occupied
            )
    })
}

/// Rule (spec §3.4, §7 rows 9-10): the chat's agent is gone; requeue with system line 23,
/// or disconnect with system line 6 when no suitable agent exists.
pub fn requeue_or_disconnect(st: &mut SimState, chat: usize) {
    let Some(c) = st.chats.get(chat) else {
        return;
    };
    if c.state == ChatState::Ended {
        return;
    }
    let prev = c.agent;
    let skill = c.skill_id;
    let now = st.now();
    if suitable_agent_exists(st, skill, prev) {
        st.append(
            chat,
            EventBody::Line(Line::system(
                23,
                "The chat has been requeued by the system.",
            )),
        );
        st.append(chat, EventBody::State(ChatState::Waiting));
        let c = &mut st.chats[chat];
        c.past_agents.extend(prev);
        c.agent = None;
        c.owner_session = None;
        c.offer = None;
        c.target_agent = None;
        c.transfer_pending = false;
        c.excluded_agent = prev;
        c.queued_ms = now;
        c.agent_typing = false;
    } else {
        st.append(
            chat,
            EventBody::Line(Line::system(6, "The chat was unexpectedly disconnected.")),
        );
        st.append(chat, EventBody::State(ChatState::Ended));
        st.chats[chat].offer = None;
    }
}

/// Runs the timers on the current simulator time, then routes.
/// Rule (spec §4.10): an offer older than 20 s → the agent becomes Away, the chat is offered to
/// the next agent. Rule (spec §4.17): a chatting chat untouched by its agent for 40 s → requeue.
pub fn run_timers(st: &mut SimState) {
    let now = st.now();
    let expired: Vec<(usize, usize)> = st
        .chats
        .iter()
        .enumerate()
        .filter_map(|(i, c)| match c.offer {
            Some(o) if now - o.since_ms >= OFFER_WINDOW_MS => Some((i, o.agent)),
            _ => None,
        })
        .collect();
    for (ci, agent) in expired {
        st.chats[ci].offer = None;
        // A transfer to one agent falls back to its skill's queue.
        st.chats[ci].target_agent = None;
        st.set_availability(agent, Availability::Away, None);
    }
    let timed_out: Vec<usize> = st
        .chats
        .iter()
        .enumerate()
        .filter(|(_, c)| {
            c.state == ChatState::Chatting
                && now - c.last_touch_ms >= i64::from(c.chat_timeout_secs) * 1000
        })
        .map(|(i, _)| i)
        .collect();
    for ci in timed_out {
        requeue_or_disconnect(st, ci);
    }
    route(st);
}

/// Rule (spec §3.4, §10 "Logout"): close the agent sessions of one login; when the agent has no
/// active session left, its chats go back to the queue (23) or are disconnected (6).
pub fn close_sessions(st: &mut SimState, session_ids: &[u64]) {
    let mut agents = Vec::new();
    for s in &mut st.sessions {
        if session_ids.contains(&s.id) && s.active {
            s.active = false;
            agents.push(s.agent);
        }
    }
    for agent in agents {
        if st.agent_online_session(agent) {
            // Continuity: another session of the agent keeps the chats.
            let keep = st
                .sessions
                .iter()
                .find(|s| s.agent == agent && s.active)
                .map(|s| s.id);
            for c in &mut st.chats {
                if c.agent == Some(agent)
                    && c.owner_session.is_some_and(|o| session_ids.contains(&o))
                {
                    c.owner_session = keep;
                }
            }
            continue;
        }
        st.set_availability(agent, Availability::Offline, None);
        let mine: Vec<usize> = (0..st.chats.len())
            .filter(|&i| {
                st.chats[i].agent == Some(agent) && st.chats[i].state == ChatState::Chatting
            })
            .collect();
        for ci in mine {
            requeue_or_disconnect(st, ci);
        }
    }
    route(st);
}

/// Rule (spec §8 [INF]): an agent session can disappear while the bearer stays valid (expired
/// or restarted on the server). Every agent session of the agent stops answering (404); its chats
/// stay assigned to the agent, so a new agent session lists them in `chatSessions` and the
/// `chatTimeout` clock keeps running; the agent counts as Offline until a new session starts.
pub fn lose_agent_sessions(st: &mut SimState, agent: usize) {
    for s in &mut st.sessions {
        if s.agent == agent {
            s.active = false;
        }
    }
    for c in &mut st.chats {
        if c.agent == Some(agent) {
            c.owner_session = None;
        }
        if c.offer.is_some_and(|o| o.agent == agent) {
            c.offer = None;
        }
    }
    st.set_availability(agent, Availability::Offline, None);
    route(st);
}
