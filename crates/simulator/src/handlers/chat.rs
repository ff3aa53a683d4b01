//! Chat resources (spec §4.12-4.21): chat, multi-chat, events, lines, end, info, typing.

use serde_json::{Value, json};

use crate::accounts::AGENTS;
use crate::config::TransferredChats;
use crate::dispatch::Sess;
use crate::model::{ChatState, EventBody, Line};
use crate::reply::Reply;
use crate::request::{Req, scalar};
use crate::shapes::{Keys, chat_json, event_json, events_json, info_json, link, list_obj};
use crate::state::SimState;

/// Rule (spec §7 rows 6, 11): a chat is readable and writable by every active session of the
/// agent that has it (continuity); after a transfer or requeue the old agent loses it: 403, or,
/// with `TransferredChats::Readable`, reads still work (and show what happens next) while
/// writes get 403. Any access by the agent that has it counts as its poll for `chatTimeout`.
pub fn access(st: &mut SimState, s: &Sess, key: &str, read: bool) -> Result<usize, Reply> {
    let now = st.now();
    let ci = st
        .chat_index(key)
        .ok_or_else(|| Reply::error(404, "chat not found", now))?;
    if st.chats[ci].agent != Some(s.agent) {
        if read && readable_after_leaving(st, s, ci) {
            return Ok(ci);
        }
        return Err(Reply::error(
            403,
            "this chat is not assigned to the agent",
            now,
        ));
    }
    st.chats[ci].last_touch_ms = now;
    Ok(ci)
}

/// True when the session's agent lost this chat and the server still lets it read the chat.
fn readable_after_leaving(st: &SimState, s: &Sess, ci: usize) -> bool {
    st.cfg.transferred_chats == TransferredChats::Readable
        && st.chats[ci].past_agents.contains(&s.agent)
}

fn from_param(req: &Req, name: &str) -> u64 {
    req.q(name).and_then(|v| v.trim().parse().ok()).unwrap_or(0)
}

fn chat_url(st: &SimState, s: &Sess, ci: usize) -> String {
    format!("{}/chat/{}", s.url, st.chats[ci].key)
}

/// `GET {C}?from=N` (spec §4.12): `@` keys, links, events from N, info.
pub fn resource(st: &SimState, req: &Req, s: &Sess, ci: usize) -> Reply {
    let body = chat_json(
        &st.chats[ci],
        &s.url,
        from_param(req, "from"),
        Keys::At,
        st.cfg.arrays(),
        st.now(),
    );
    Reply::json(200, json!({"chat": body}))
}

/// `GET {S}/chat?chatSessionKeys=K1,K2&fromEventIds=E1,E2` (spec §4.13): plain keys, numeric
/// ids, string systemMessageId. Each `fromEventIds` value is read as `SimConfig::from_event_ids`
/// says (events after it, the literal reading, or from it); a missing value means all events.
/// Keys the agent may not read are skipped; each listed chat counts as polled.
pub fn multi(st: &mut SimState, req: &Req, s: &Sess) -> Reply {
    let now = st.now();
    let Some(keys) = req.q("chatSessionKeys").filter(|k| !k.trim().is_empty()) else {
        return Reply::error(400, "chatSessionKeys is required", now);
    };
    let reading = st.cfg.from_event_ids;
    let froms: Vec<Option<u64>> = req
        .q("fromEventIds")
        .unwrap_or("")
        .split(',')
        .map(|v| v.trim().parse::<i64>().ok().map(|n| reading.first_id(n)))
        .collect();
    let mut chats = Vec::new();
    for (pos, key) in keys.split(',').map(str::trim).enumerate() {
        let Some(ci) = st.chat_index(key) else {
            continue;
        };
        if st.chats[ci].agent == Some(s.agent) {
            st.chats[ci].last_touch_ms = now;
        } else if !readable_after_leaving(st, s, ci) {
            continue;
        }
        let from = froms.get(pos).copied().flatten().unwrap_or(0);
        chats.push(chat_json(
            &st.chats[ci],
            &s.url,
            from,
            Keys::Plain,
            st.cfg.arrays(),
            now,
        ));
    }
    Reply::json(
        200,
        json!({"chats": list_obj("chat", chats, st.cfg.arrays())}),
    )
}

/// `GET {C}/events?from=N` (spec §4.14, §10): ids ≥ N; `next` = last + 1 (or N); `event`
/// absent when none, a bare object when one.
pub fn events(st: &SimState, req: &Req, s: &Sess, ci: usize) -> Reply {
    let c = chat_url(st, s, ci);
    let body = events_json(
        &st.chats[ci],
        &c,
        from_param(req, "from"),
        Keys::At,
        st.cfg.arrays(),
    );
    Reply::json(200, json!({"events": body}))
}

/// `GET {C}/events/{id}`: one event.
pub fn one_event(st: &SimState, _s: &Sess, ci: usize, id: &str) -> Reply {
    let ev = id
        .parse::<u64>()
        .ok()
        .and_then(|id| st.chats[ci].events.iter().find(|e| e.id == id));
    match ev {
        Some(e) => Reply::json(200, json!({"event": event_json(e, Keys::At)})),
        None => Reply::error(404, "event not found", st.now()),
    }
}

/// `POST {C}/events` (spec §4.15-4.16): a line (201 `chatEventLocation`) or
/// `{"@type":"state","state":"ended"}` (201 `chatLocation`). Rule (§7 row 7): ending appends
/// `state ended` + system line 5; the chat stays readable.
pub fn post_event(st: &mut SimState, req: &Req, s: &Sess, ci: usize) -> Reply {
    let now = st.now();
    let ev = req.body.get("event").unwrap_or(&req.body);
    let kind = ev
        .get("@type")
        .or_else(|| ev.get("type"))
        .and_then(Value::as_str)
        .unwrap_or(if ev.get("state").is_some() {
            "state"
        } else {
            "line"
        });
    let c = chat_url(st, s, ci);
    let arrays = st.cfg.arrays();
    let nick = AGENTS[s.agent].nickname;
    match kind {
        "state" => {
            if ev.get("state").and_then(Value::as_str) != Some("ended") {
                return Reply::error(400, "only state \"ended\" can be set", now);
            }
            if st.chats[ci].state == ChatState::Ended {
                return Reply::error(400, "chat already ended", now);
            }
            let id = st.append(ci, EventBody::State(ChatState::Ended));
            st.append(
                ci,
                EventBody::Line(Line::system(5, format!("{nick} has ended the chat."))),
            );
            st.chats[ci].agent_typing = false;
            let href = format!("{c}/events/{id}");
            Reply::json(
                201,
                json!({"chatLocation": list_obj("link", vec![link(Keys::At, &href, "location")], arrays)}),
            )
        }
        "line" => {
            if st.chats[ci].state != ChatState::Chatting {
                return Reply::error(400, "chat is not in state chatting", now);
            }
            let text_type = ev
                .get("textType")
                .and_then(Value::as_str)
                .unwrap_or("plain");
            if !matches!(text_type, "plain" | "html" | "rich-content") {
                return Reply::error(400, "unknown textType", now);
            }
            let rich = text_type == "rich-content";
            // Spec §4.15: `text` is required; a third-party client says so even for rich
            // content. Rich content without it is kept with "" unless the switch says otherwise.
            let text = match ev.get("text").and_then(scalar) {
                Some(t) => t,
                None if rich && !st.cfg.rich_content_needs_text => String::new(),
                None => return Reply::error(400, "event.text is required", now),
            };
            // Rich content is the card in `json` (spec §4.15): an object.
            if rich && !ev.get("json").is_some_and(Value::is_object) {
                return Reply::error(
                    400,
                    "event.json (an object) is required for rich-content",
                    now,
                );
            }
            let sub_type = match ev.get("subType").and_then(Value::as_str) {
                Some("ONLY_TO_REP") => "ONLY_TO_REP",
                _ => "REGULAR",
            };
            let id = st.append(
                ci,
                EventBody::Line(Line {
                    text,
                    text_type: text_type.into(),
                    by: "agent".into(), // seed 004: info | agent | visitor
                    source: "agent".into(),
                    system_message_id: None,
                    sub_type: sub_type.into(),
                    json: ev.get("json").cloned(),
                }),
            );
            st.chats[ci].agent_typing = false;
            let href = format!("{c}/events/{id}");
            Reply::json(
                201,
                json!({"chatEventLocation": list_obj("link", vec![link(Keys::At, &href, "location")], arrays)}),
            )
        }
        _ => Reply::error(400, "unknown event type", now),
    }
}

/// `GET {C}/info` (spec §4.17).
pub fn info(st: &SimState, s: &Sess, ci: usize) -> Reply {
    let c = chat_url(st, s, ci);
    let info = info_json(&st.chats[ci], &c, Keys::At, st.now());
    Reply::json(200, json!({"info": info}))
}

/// `GET {C}/info/visitorName` (spec §4.18).
pub fn visitor_name(st: &SimState, ci: usize) -> Reply {
    Reply::json(200, json!({"visitorName": st.chats[ci].visitor_name}))
}

fn typing(b: bool) -> &'static str {
    if b { "typing" } else { "not-typing" }
}

/// `GET {C}/info/visitorTyping` (spec §4.21): documented as 201.
pub fn visitor_typing(st: &SimState, ci: usize) -> Reply {
    Reply::json(
        201,
        json!({"visitorTyping": typing(st.chats[ci].visitor_typing)}),
    )
}

/// `GET {C}/info/agentTyping` (spec §4.19): documented as 201.
pub fn agent_typing(st: &SimState, ci: usize) -> Reply {
    Reply::json(
        201,
        json!({"agentTyping": typing(st.chats[ci].agent_typing)}),
    )
}

/// `PUT {C}/info/agentTyping` (spec §4.20): `{"agentTyping":"typing"|"not-typing"}`; 201 echo.
pub fn set_agent_typing(st: &mut SimState, req: &Req, ci: usize) -> Reply {
    let v = req
        .body
        .get("agentTyping")
        .or_else(|| req.body.get("typing"))
        .unwrap_or(&req.body);
    let on = match v {
        Value::String(s) if s == "typing" => true,
        Value::String(s) if s == "not-typing" => false,
        Value::Bool(b) => *b,
        _ => return Reply::error(400, "agentTyping must be typing or not-typing", st.now()),
    };
    st.chats[ci].agent_typing = on;
    Reply::json(201, json!({"agentTyping": typing(on)}))
}
