//! Maps an API request (method, path segments) to its handler (spec §3, §4).

use crate::accounts::ACCOUNT_ID;
use crate::handlers::{chat, extras, login, session, transfer};
use crate::reply::Reply;
use crate::request::Req;
use crate::state::SimState;

/// An authenticated agent session.
#[derive(Debug, Clone)]
pub struct Sess {
    /// Agent session id.
    pub id: u64,
    /// Agent index.
    pub agent: usize,
    /// `{S}` = `http://127.0.0.1:P/api/account/{acc}/agentSession/{id}`.
    pub url: String,
}

/// Checks the bearer (401 OAuth text when bad, missing, expired or logged out); returns the
/// login's agent index.
pub fn auth(st: &SimState, req: &Req) -> Result<usize, Reply> {
    let bearer = req.bearer().ok_or_else(Reply::oauth)?;
    let now = st.now();
    st.logins
        .iter()
        .find(|l| l.bearer == bearer)
        .filter(|l| {
            !l.expired
                && !l.logged_out
                && now - l.issued_ms < crate::handlers::login::SESSION_TTL_MS
        })
        .map(|l| l.agent)
        .ok_or_else(Reply::oauth)
}

fn session(st: &SimState, req: &Req, sid: &str) -> Result<Sess, Reply> {
    let agent = auth(st, req)?;
    let now = st.now();
    let id: u64 = sid
        .parse()
        .map_err(|_| Reply::error(404, "agent session not found", now))?;
    let s = st
        .sessions
        .iter()
        .find(|s| s.id == id && s.active)
        .ok_or_else(|| Reply::error(404, "agent session not found", now))?;
    if s.agent != agent {
        return Err(Reply::error(
            403,
            "agent session belongs to another user",
            now,
        ));
    }
    Ok(Sess {
        id,
        agent,
        url: format!("{}/api/account/{ACCOUNT_ID}/agentSession/{id}", st.base_url),
    })
}

fn not_found(st: &SimState) -> Reply {
    Reply::error(404, "resource not found", st.now())
}

fn bad_method(st: &SimState) -> Reply {
    Reply::error(405, "method not allowed", st.now())
}

/// Dispatches one request.
pub fn dispatch(st: &mut SimState, req: &Req) -> Reply {
    let segs: Vec<&str> = req.segs.iter().map(String::as_str).collect();
    let m = req.method.as_str();
    match segs.as_slice() {
        // Domain lookup, three forms (spec §3.1).
        ["api" | "csdr", "account", acc, "service", svc, "baseURI"] => {
            login::domain_single(st, acc, svc)
        }
        ["api", "account", acc, "service", "baseURI"] => login::domain_all(st, acc),
        ["api", "account", acc, rest @ ..] => {
            if *acc != ACCOUNT_ID {
                return Reply::error(404, "unknown account", st.now());
            }
            match (m, rest) {
                ("POST", ["login"]) => login::login(st, req),
                ("POST", ["refresh"]) => login::refresh(st, req),
                ("POST", ["logout"]) => login::logout(st, req),
                ("POST", ["agentSession"]) => session::start(st, req),
                (_, ["agentSession", sid, tail @ ..]) => match session(st, req, sid) {
                    Ok(s) => agent_routes(st, req, &s, m, tail),
                    Err(r) => r,
                },
                _ => not_found(st),
            }
        }
        _ => not_found(st),
    }
}

fn agent_routes(st: &mut SimState, req: &Req, s: &Sess, m: &str, tail: &[&str]) -> Reply {
    match (m, tail) {
        ("GET", []) => session::resource(st, s),
        ("DELETE", []) => session::end(st, s),
        ("GET", ["availability"]) => session::availability(st, s),
        ("PUT", ["availability"]) => session::set_availability(st, req, s),
        ("GET", ["info"]) => session::info(st, s),
        ("GET", ["availableAgents"]) => session::available_agents(st, req, s),
        ("GET", ["chat", "availableSlots"]) => session::available_slots(st, req),
        ("GET", ["incomingRequests"]) => session::incoming(st, s),
        ("POST", ["incomingRequests"]) => session::take(st, s),
        ("GET", ["chatSessions"]) => session::chat_sessions(st, s),
        ("GET", ["chat"]) => chat::multi(st, req, s),
        ("GET", ["participantExtendedInfo", pid]) => extras::participant(st, pid),
        (_, ["chat", key, rest @ ..]) => chat_routes(st, req, s, m, key, rest),
        (_, [] | ["availability"] | ["incomingRequests"]) => bad_method(st),
        _ => not_found(st),
    }
}

fn chat_routes(st: &mut SimState, req: &Req, s: &Sess, m: &str, key: &str, rest: &[&str]) -> Reply {
    let ci = match chat::access(st, s, key, m == "GET") {
        Ok(ci) => ci,
        Err(r) => return r,
    };
    match (m, rest) {
        ("GET", []) => chat::resource(st, req, s, ci),
        ("GET", ["events"]) => chat::events(st, req, s, ci),
        ("POST", ["events"]) => chat::post_event(st, req, s, ci),
        ("GET", ["events", id]) => chat::one_event(st, s, ci, id),
        ("GET", ["info"]) => chat::info(st, s, ci),
        ("GET", ["info", "visitorName"]) => chat::visitor_name(st, ci),
        ("GET", ["info", "visitorTyping"]) => chat::visitor_typing(st, ci),
        ("GET", ["info", "agentTyping"]) => chat::agent_typing(st, ci),
        ("PUT", ["info", "agentTyping"]) => chat::set_agent_typing(st, req, ci),
        ("GET", ["transfer"]) => transfer::skills(st, ci),
        ("POST", ["transfer"]) => transfer::transfer(st, req, s, ci),
        (_, ["transferAccount"]) => Reply::error(
            501,
            "transfer to another account is not implemented",
            st.now(),
        ),
        ("GET", ["survey"]) => extras::survey(st, ci),
        ("PUT" | "POST", ["survey"]) => extras::submit_survey(st, req, ci),
        _ => not_found(st),
    }
}
