//! Agent session resources (spec §4.1-4.11).

use serde_json::{Map, Value, json};

use crate::accounts::{ACCOUNT_ID, AGENTS, skill_by_name};
use crate::dispatch::{Sess, auth};
use crate::model::{AgentSession, Availability, ChatState, EventBody, Line};
use crate::reply::Reply;
use crate::request::{Req, scalar};
use crate::routing::{close_sessions, route};
use crate::shapes::{Keys, link, list_obj, put_list};
use crate::state::SimState;

/// `POST /agentSession` (spec §4.1): body `{"loginData": ""|{}|object}` or anything (quirk
/// §9.13); 201 with `agentSessionLocation`. The agent's availability is left as it is: an
/// Offline or Away agent stays so until the client sets `Online` (spec §2 step 4; nothing
/// documents an automatic switch), so a client that never sets availability receives no chats.
/// A second session of an agent keeps the availability (continuity, spec §4.11).
pub fn start(st: &mut SimState, req: &Req) -> Reply {
    let agent = match auth(st, req) {
        Ok(a) => a,
        Err(r) => return r,
    };
    let bearer = req.bearer().unwrap_or_default();
    let id = st.new_session_id();
    st.sessions.push(AgentSession {
        id,
        agent,
        bearer,
        active: true,
    });
    route(st);
    let href = format!("{}/api/account/{ACCOUNT_ID}/agentSession/{id}", st.base_url);
    let arrays = st.cfg.arrays();
    let mut reply = Reply::json(
        201,
        json!({"agentSessionLocation": list_obj("link", vec![link(Keys::At, &href, "location")], arrays)}),
    );
    // Spec §1: a cookie scoped to the agent session (not required back by the simulator).
    reply.set_cookie = Some(format!(
        "LPAgentSession={id}; Path=/api/account/{ACCOUNT_ID}/agentSession/{id}; HttpOnly"
    ));
    reply
}

/// `GET {S}` (spec §4.2, undocumented): the session's links.
pub fn resource(_st: &SimState, s: &Sess) -> Reply {
    let u = &s.url;
    let links: Vec<Value> = [
        ("", "self"),
        ("/availability", "availability"),
        ("/incomingRequests", "incoming-requests"),
        ("/chatSessions", "chat-sessions"),
        ("/info", "info"),
        ("/availableAgents", "available-agents"),
    ]
    .iter()
    .map(|(p, rel)| link(Keys::At, &format!("{u}{p}"), rel))
    .collect();
    Reply::json(200, json!({"agentSession": {"link": links}}))
}

/// `DELETE {S}` (spec §4.3 [INF]): closes the session; its chats are handled as on logout.
pub fn end(st: &mut SimState, s: &Sess) -> Reply {
    close_sessions(st, &[s.id]);
    Reply::empty(200)
}

/// `GET {S}/availability` (spec §4.4).
pub fn availability(st: &SimState, s: &Sess) -> Reply {
    let a = st.agents[s.agent].availability.as_str();
    Reply::json(
        200,
        json!({"availability": {"chat": a, "voice": "Offline"}}),
    )
}

/// `PUT {S}/availability` (spec §4.5): `{"availability":{"chat":"Away","chatReasonId":"123"}}`
/// (also accepted without the wrapper). Offline cannot be set (400).
pub fn set_availability(st: &mut SimState, req: &Req, s: &Sess) -> Reply {
    let inner = req.body.get("availability").unwrap_or(&req.body);
    let parsed = inner
        .get("chat")
        .and_then(Value::as_str)
        .and_then(Availability::parse)
        .filter(|a| *a != Availability::Offline);
    let Some(to) = parsed else {
        return Reply::error(
            400,
            "availability.chat must be Online, Away or Occupied",
            st.now(),
        );
    };
    let reason = inner.get("chatReasonId").and_then(scalar);
    st.set_availability(s.agent, to, reason);
    route(st);
    Reply::json(200, json!({"availability": {"chat": to.as_str()}}))
}

fn skills_info(skills: &[u32], arrays: bool) -> (Value, Value) {
    if skills.is_empty() {
        return (Value::Null, Value::Null);
    }
    let ids: Vec<Value> = skills.iter().map(|id| json!(id.to_string())).collect();
    let infos: Vec<Value> = skills
        .iter()
        .map(|id| json!({"id": id.to_string(), "name": crate::state::SimState::skill_name(*id)}))
        .collect();
    (
        list_obj("skill", ids, arrays),
        list_obj("skillInfo", infos, arrays),
    )
}

/// `GET {S}/info` (spec §4.6): ids and maxChats as strings.
pub fn info(st: &SimState, s: &Sess) -> Reply {
    let def = &AGENTS[s.agent];
    let rt = &st.agents[s.agent];
    let (_, skills_info) = skills_info(def.skills, st.cfg.arrays());
    let mut info = json!({
        "link": {"@href": format!("{}/info", s.url), "@rel": "self"},
        "agentName": def.nickname, "displayName": def.nickname, "loginName": def.login_name,
        "id": def.id.to_string(), "maxChats": def.max_chats.to_string(),
        "availability": {"chat": rt.availability.as_str(), "voice": "Offline"},
        "skillsInfo": skills_info,
    });
    if st.cfg.arrays() {
        info["link"] = json!([info["link"].clone()]);
    }
    if let Some(r) = &rt.reason_id {
        info["chatReasonId"] = json!(r);
    }
    Reply::json(200, json!({"info": info}))
}

/// `GET {S}/availableAgents?skill=&chatState=` (spec §4.7): every agent, `@` attributes,
/// state codes as strings, `chats` absent when 0, `skills: null` when none.
pub fn available_agents(st: &SimState, req: &Req, s: &Sess) -> Reply {
    let arrays = st.cfg.arrays();
    let now = st.now();
    let skill = req.q("skill").map(skill_by_name);
    if let Some(None) = skill {
        return Reply::error(400, "unknown skill", now);
    }
    let want = req.q("chatState").and_then(Availability::parse);
    let agents: Vec<Value> = AGENTS
        .iter()
        .enumerate()
        .filter(|(_, d)| skill.flatten().is_none_or(|sk| d.skills.contains(&sk.id)))
        .filter(|(i, _)| want.is_none_or(|w| st.agents[*i].availability == w))
        .map(|(i, d)| {
            let rt = &st.agents[i];
            let (skills, infos) = skills_info(d.skills, arrays);
            let mut m = Map::new();
            m.insert("@id".into(), json!(d.id.to_string()));
            m.insert("@chatState".into(), json!(rt.availability.code()));
            m.insert("@voiceState".into(), json!("1"));
            m.insert("@maxChats".into(), json!(d.max_chats.to_string()));
            m.insert("userName".into(), json!(d.login_name));
            m.insert("nickname".into(), json!(d.nickname));
            m.insert(
                "email".into(),
                json!(format!("{}@example.invalid", d.login_name)),
            );
            m.insert("privilegeGroup".into(), json!("agents"));
            m.insert("skills".into(), skills);
            m.insert("skillsInfo".into(), infos);
            m.insert("agentGroupName".into(), json!("Main Group"));
            m.insert("agentGroupId".into(), json!("-1"));
            m.insert(
                "elapsedTimeInState".into(),
                json!((now - rt.since_ms).max(0).to_string()),
            );
            let chats = st.agent_chat_count(i);
            if chats > 0 {
                m.insert("chats".into(), json!(chats.to_string()));
            }
            Value::Object(m)
        })
        .collect();
    let mut body = Map::new();
    body.insert("agents".into(), list_obj("agent", agents, arrays));
    put_list(
        &mut body,
        "link",
        vec![link(
            Keys::At,
            &format!("{}/availableAgents?timeStamp={now}", s.url),
            "next",
        )],
        arrays,
    );
    Reply::json(200, json!({"availableAgents": Value::Object(body)}))
}

/// `GET {S}/chat/availableSlots?skill=|agent=` (spec §4.8): a real number; -1 unlimited.
pub fn available_slots(st: &SimState, req: &Req) -> Reply {
    let free = |i: usize| -> i64 {
        let d = &AGENTS[i];
        if d.max_chats < 0 {
            return -1;
        }
        let used = (st.agent_chat_count(i) + st.agent_offer_count(i)) as i64;
        (i64::from(d.max_chats) - used).max(0)
    };
    let slots = if let Some(login) = req.q("agent") {
        match crate::accounts::agent_index(login) {
            Some(i) => free(i),
            None => return Reply::error(400, "unknown agent", st.now()),
        }
    } else if let Some(name) = req.q("skill") {
        let Some(sk) = skill_by_name(name) else {
            return Reply::error(400, "unknown skill", st.now());
        };
        let mut total = 0;
        for (i, def) in AGENTS.iter().enumerate() {
            let online = st.agents[i].availability == Availability::Online;
            if online && def.skills.contains(&sk.id) {
                match free(i) {
                    -1 => return Reply::json(200, json!({"availableSlots": -1})),
                    n => total += n,
                }
            }
        }
        total
    } else {
        return Reply::error(400, "skill or agent is required", st.now());
    };
    Reply::json(200, json!({"availableSlots": slots}))
}

/// `GET {S}/incomingRequests` (spec §4.9): `ringingCount` as a string; the take link only when
/// something rings. Rule (§7 row 2): only chats the router offered to this agent ring.
pub fn incoming(st: &SimState, s: &Sess) -> Reply {
    let n = st.agent_offer_count(s.agent);
    let mut m = Map::new();
    if n > 0 {
        put_list(
            &mut m,
            "link",
            vec![link(
                Keys::At,
                &format!("{}/incomingRequests", s.url),
                "next",
            )],
            st.cfg.arrays(),
        );
    }
    m.insert("ringingCount".into(), json!(n.to_string()));
    Reply::json(200, json!({"incomingRequests": Value::Object(m)}))
}

/// `POST {S}/incomingRequests` (spec §4.10): body ignored ({} / {"chat":"start"} / {"":""} /
/// empty). Takes the oldest chat offered to this agent. Rule (§7 row 3): appends `state
/// chatting` + system line 3 "You are now chatting with {nickname}.". 404 when nothing rings.
pub fn take(st: &mut SimState, s: &Sess) -> Reply {
    let now = st.now();
    let pick = (0..st.chats.len())
        .filter(|&i| st.chats[i].offer.is_some_and(|o| o.agent == s.agent))
        .min_by_key(|&i| (st.chats[i].queued_ms, st.chats[i].seq));
    let Some(ci) = pick else {
        return Reply::error(404, "no chat is waiting for this agent", now);
    };
    {
        let c = &mut st.chats[ci];
        c.offer = None;
        c.agent = Some(s.agent);
        c.owner_session = Some(s.id);
        c.transfer_pending = false;
        c.target_agent = None;
        c.last_touch_ms = now;
    }
    st.append(ci, EventBody::State(ChatState::Chatting));
    let nick = AGENTS[s.agent].nickname;
    st.append(
        ci,
        EventBody::Line(Line::system(
            3,
            format!("You are now chatting with {nick}."),
        )),
    );
    let href = format!("{}/chat/{}", s.url, st.chats[ci].key);
    Reply::json(
        201,
        json!({"chatLocation": list_obj("link", vec![link(Keys::At, &href, "location")], st.cfg.arrays())}),
    )
}

/// `GET {S}/chatSessions` (spec §4.11): plain `href`/`rel`, `startTime` epoch ms. Rule
/// (continuity): lists the agent's live chats held by ANOTHER of its active sessions, with links
/// under this session's path.
pub fn chat_sessions(st: &SimState, s: &Sess) -> Reply {
    let arrays = st.cfg.arrays();
    let items: Vec<Value> = st
        .chats
        .iter()
        .filter(|c| {
            c.agent == Some(s.agent)
                && c.state == ChatState::Chatting
                && c.owner_session != Some(s.id)
        })
        .map(|c| {
            let mut m = Map::new();
            put_list(
                &mut m,
                "link",
                vec![link(
                    Keys::Plain,
                    &format!("{}/chat/{}", s.url, c.key),
                    "chat-session",
                )],
                arrays,
            );
            m.insert("chatSessionKey".into(), json!(c.key));
            m.insert("startTime".into(), json!(c.start_ms));
            Value::Object(m)
        })
        .collect();
    Reply::json(
        200,
        json!({"chatSessions": list_obj("chatSession", items, arrays)}),
    )
}
