//! One chat on the desk: its cursor, state and transcript, and how a multi-chat reply updates it.

use crate::convert;
use crate::events::{ChatLine, ChatOrigin, ChatState, ChatSummary, EngineEvent};
use crate::store::ChatRow;
use chat_agent_api::model::Chat;
use chat_agent_api::{EventKind, Typing};
use std::time::{Duration, Instant};

/// Something a reply produced, in the order it happened.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Update {
    Event(EngineEvent),
    Line(ChatLine),
}

/// Who this desk is, to tell our chats from chats that moved to another agent.
#[derive(Debug, Clone, Default)]
pub(crate) struct Me {
    /// The agent's numeric id (from its info), when known.
    pub agent_id: Option<i64>,
}

/// Lines of a chat kept in memory: the newest few, enough to tell why a chat ended (its last
/// system lines). The whole transcript lives in SQLite (the snapshot reads it there, and an
/// ambiguous send is checked against it there), so a chat's memory stays the same size however
/// long it runs: at 1 000 chats every line kept per chat costs about 250 KB.
pub(crate) const LINES_IN_MEMORY: usize = 8;

/// Why a chat left the desk while it was being read.
pub(crate) const LEFT_TRANSFERRED: &str = "transferred";

/// A chat the desk holds.
#[derive(Debug, Clone)]
pub(crate) struct ChatEntry {
    pub summary: ChatSummary,
    /// The first event id not seen yet. 0 = never read: the chat gets one full read (`GET {C}`)
    /// before it joins the multi-chat batch, which is then asked for events after `next_event - 1`
    /// (the last id seen: correct under both readings of `fromEventIds`, spec §4.13).
    pub next_event: u64,
    /// The state last reported (`None` before the first reply).
    pub state: Option<ChatState>,
    pub visitor_typing: bool,
    /// Polled by the loop (false once ended, transferred or lost).
    pub active: bool,
    /// The server's `chatTimeout`.
    pub chat_timeout: Duration,
    /// When the last successful request that covered this chat started.
    pub last_poll_started: Option<Instant>,
    pub lines: Vec<ChatLine>,
    /// Set when a reply shows the chat moved to another agent (transfer, requeue): the loop
    /// takes it off the desk with this reason.
    pub left: Option<&'static str>,
    /// The last read error reported for this chat (reported once, not on every poll).
    pub last_error: Option<String>,
    /// Whether a summary has been sent to the front ends yet.
    announced: bool,
    /// Bumped whenever a reply changes the summary (see `stored_fingerprint`).
    revision: u64,
    /// Since when the chat is off the desk, as first noticed by the sweep that forgets chats.
    pub inactive_since: Option<Instant>,
}

impl ChatEntry {
    /// A chat that joins the desk now, reading from event `next_event`.
    pub fn new(chat: &str, origin: ChatOrigin, next_event: u64) -> Self {
        Self {
            summary: ChatSummary {
                chat: chat.to_string(),
                state: ChatState::Waiting,
                visitor_name: "visitor".into(),
                agent_name: None,
                skill: None,
                start_time: None,
                origin,
                accepted_at: None,
                chat_timeout: None,
                participant_id: None,
                agents: Vec::new(),
            },
            next_event,
            state: None,
            visitor_typing: false,
            active: true,
            chat_timeout: Duration::from_secs(40),
            last_poll_started: None,
            lines: Vec::new(),
            left: None,
            last_error: None,
            announced: false,
            revision: 0,
            inactive_since: None,
        }
    }

    /// A chat as stored before (its state is known, so no `from: None` change is sent again).
    pub fn from_row(row: &ChatRow, origin: ChatOrigin, lines: Vec<ChatLine>) -> Self {
        let mut e = Self::new(&row.summary.chat, origin, row.next_event);
        e.summary = ChatSummary {
            origin,
            ..row.summary.clone()
        };
        e.state = (row.next_event > 0).then_some(row.summary.state);
        let extra = lines.len().saturating_sub(LINES_IN_MEMORY);
        e.lines = lines;
        e.lines.drain(..extra);
        e.lines.shrink_to_fit();
        e
    }

    /// The row to store.
    pub fn row(&self) -> ChatRow {
        ChatRow {
            summary: self.summary.clone(),
            next_event: self.next_event,
            active: self.active,
        }
    }

    /// What the stored row depends on, without copying it: the cursor, presence and the summary's
    /// revision. Equal before and after a reply means the row to store did not change, so a
    /// quiet chat costs no clone and no write per poll.
    pub fn stored_fingerprint(&self) -> (u64, bool, u64) {
        (self.next_event, self.active, self.revision)
    }

    /// True until the chat has had its first full read.
    pub fn needs_full_read(&self) -> bool {
        self.next_event == 0
    }

    /// The `fromEventIds` value for the multi-chat call: the last event id seen.
    pub fn last_seen(&self) -> Option<i64> {
        self.next_event.checked_sub(1).map(|n| n as i64)
    }

    /// Events that could not be decoded: reported as an error naming the chat (once per distinct
    /// problem) and skipped, so the cursor moves past them and the chat keeps flowing.
    pub fn skip_bad_events(&mut self, bad: &[(Option<i64>, String)], out: &mut Vec<Update>) {
        if self.left.is_some() {
            return;
        }
        for (id, error) in bad {
            let Some(id) = id.filter(|i| *i >= 0).map(|i| i as u64) else {
                self.report(
                    format!("an event of this chat cannot be read: {error}"),
                    out,
                );
                continue;
            };
            if id < self.next_event {
                continue;
            }
            self.report(
                format!("event {id} of this chat cannot be read: {error}"),
                out,
            );
            self.next_event = id + 1;
        }
    }

    /// Reports a read problem of this chat, unless the same one was just reported.
    pub fn report(&mut self, message: String, out: &mut Vec<Update>) {
        if self.last_error.as_deref() == Some(message.as_str()) {
            return;
        }
        self.last_error = Some(message.clone());
        out.push(Update::Event(EngineEvent::Error {
            code: crate::events::ErrorCode::MalformedResponse,
            message,
            chat: Some(self.summary.chat.clone()),
        }));
    }

    /// Applies one chat of a reply: new events only (by id), then the info. Once the chat has
    /// been read in full, a sign that it moved to another agent (system line 13/15/23, a return
    /// to `waiting`, another agent's id in the info) sets `left`: nothing after that sign is
    /// shown, and the cursor stops there.
    pub fn apply(&mut self, chat: &Chat, started: Instant, me: &Me) -> Vec<Update> {
        let key = self.summary.chat.clone();
        let mut out = Vec::new();
        if self.left.is_some() {
            return out;
        }
        let first_read = self.needs_full_read();
        if first_read && !held_by_me(chat, me) {
            // Taken or resumed, but by the first read it already belongs to someone else.
            self.left = Some(LEFT_TRANSFERRED);
            return out;
        }
        // The name first, so that front ends reacting to the state changes below (a "now chatting
        // with …" notification) already know who the visitor is.
        let renamed = self.take_visitor_name(chat, &mut out);
        let mut events: Vec<_> = chat
            .events
            .event
            .iter()
            .filter(|e| e.id >= 0 && e.id as u64 >= self.next_event)
            .collect();
        events.sort_by_key(|e| e.id);
        events.dedup_by_key(|e| e.id);
        for e in events {
            let id = e.id as u64;
            match &e.kind {
                EventKind::State(s) => {
                    if let Some(to) = convert::chat_state(s) {
                        if !first_read
                            && to == ChatState::Waiting
                            && self.state == Some(ChatState::Chatting)
                        {
                            self.left = Some(LEFT_TRANSFERRED);
                            break;
                        }
                        self.move_to(to, &mut out);
                    }
                }
                EventKind::Line(l) => {
                    let line = convert::line(&key, id, e.time.as_ref().map(|t| t.epoch_ms()), l);
                    let leaving = !first_read && is_departure(l);
                    if self.lines.len() >= LINES_IN_MEMORY {
                        self.lines.remove(0);
                    }
                    self.lines.push(line.clone());
                    out.push(Update::Line(line));
                    if leaving {
                        self.next_event = id + 1;
                        self.left = Some(LEFT_TRANSFERRED);
                        break;
                    }
                }
                EventKind::Other(_) => {}
            }
            self.next_event = id + 1;
        }
        self.last_poll_started = Some(started);
        if self.left.is_some() {
            return out;
        }
        if let Some(info) = &chat.info {
            if !first_read && !held_by_me(chat, me) {
                self.left = Some(LEFT_TRANSFERRED);
                return out;
            }
            let mut changed = !self.announced || renamed;
            if let Some(to) = info.state.as_ref().and_then(convert::chat_state) {
                if !first_read
                    && to == ChatState::Waiting
                    && self.state == Some(ChatState::Chatting)
                {
                    self.left = Some(LEFT_TRANSFERRED);
                    return out;
                }
                self.move_to(to, &mut out);
            }
            if info.agent_name.as_deref().is_some_and(|n| !n.is_empty())
                && info.agent_name != self.summary.agent_name
            {
                self.summary.agent_name = info.agent_name.clone();
                changed = true;
            }
            if let Some(t) = &info.start_time
                && self.summary.start_time.is_none()
            {
                self.summary.start_time = Some(t.epoch_ms());
                changed = true;
            }
            if let Some(secs) = info.chat_timeout.filter(|s| *s > 0) {
                self.chat_timeout = Duration::from_secs(secs as u64);
                let secs = u32::try_from(secs).ok();
                if secs != self.summary.chat_timeout {
                    self.summary.chat_timeout = secs;
                    changed = true;
                }
            }
            if let Some(name) = info.agent_name.as_deref().filter(|n| !n.trim().is_empty())
                && self.summary.agents.last().map(String::as_str) != Some(name)
                && self.summary.agents.len() < 50
            {
                self.summary.agents.push(name.to_string());
                changed = true;
            }
            if let Some(p) = info
                .participant_id
                .as_deref()
                .filter(|p| !p.trim().is_empty())
                && self.summary.participant_id.as_deref() != Some(p)
            {
                self.summary.participant_id = Some(p.chars().take(200).collect());
                changed = true;
            }
            let typing = matches!(info.visitor_typing, Some(Typing::Typing));
            if typing != self.visitor_typing {
                self.visitor_typing = typing;
                out.push(Update::Event(EngineEvent::VisitorTyping {
                    chat: key.clone(),
                    typing,
                }));
            }
            if changed {
                self.revision += 1;
                self.announced = true;
                out.push(Update::Event(EngineEvent::ChatUpdated {
                    summary: self.summary.clone(),
                }));
            }
        }
        self.last_error = None;
        if self.state == Some(ChatState::Ended) {
            self.active = false;
        }
        out
    }

    /// Takes a new visitor name from the chat's info; true when it changed.
    fn take_visitor_name(&mut self, chat: &Chat, out: &mut Vec<Update>) -> bool {
        let Some(name) = chat
            .info
            .as_ref()
            .and_then(|info| info.visitor_name.as_ref())
            .filter(|n| **n != self.summary.visitor_name)
        else {
            return false;
        };
        self.summary.visitor_name = name.clone();
        self.revision += 1;
        out.push(Update::Event(EngineEvent::VisitorName {
            chat: self.summary.chat.clone(),
            name: name.clone(),
        }));
        true
    }

    fn move_to(&mut self, to: ChatState, out: &mut Vec<Update>) {
        if self.state == Some(to) {
            return;
        }
        out.push(Update::Event(EngineEvent::ChatStateChanged {
            chat: self.summary.chat.clone(),
            from: self.state,
            to,
        }));
        self.state = Some(to);
        self.summary.state = to;
        self.revision += 1;
    }
}

/// A system line saying the chat is leaving its agent: transferred to an agent (13) or a skill
/// (15), or requeued by the system (23) (spec §5, §7 row 6).
fn is_departure(l: &chat_agent_api::model::Line) -> bool {
    use chat_agent_api::decode::{Source, SystemMessage};
    l.source == Source::System
        && matches!(
            l.system_message,
            Some(
                SystemMessage::TransferredToAgent
                    | SystemMessage::TransferredToSkill
                    | SystemMessage::Requeued
            )
        )
}

/// Whether the chat's info names this agent, or names nobody else (no info, no agent id, an id of
/// 0 while waiting, or our own id unknown).
fn held_by_me(chat: &Chat, me: &Me) -> bool {
    let (Some(info), Some(mine)) = (&chat.info, me.agent_id) else {
        return true;
    };
    let waiting = matches!(
        info.state.as_ref().and_then(convert::chat_state),
        Some(ChatState::Waiting)
    );
    match info.agent_id {
        Some(id) if id > 0 => id == mine,
        // An agent-less chat in `waiting` has left its agent (transfer or requeue).
        _ => !waiting,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chat(json: &str) -> Chat {
        match serde_json::from_str(json) {
            Ok(c) => c,
            Err(e) => unreachable!("bad sample: {e}"),
        }
    }

    #[test]
    fn applies_new_events_once_and_tracks_state() {
        let mut e = ChatEntry::new("K1", ChatOrigin::Accepted, 0);
        let c = chat(
            r#"{"events":{"event":[
                {"id":0,"type":"state","state":"waiting"},
                {"id":1,"type":"line","text":"hi","textType":"plain","by":"visitor","source":"visitor"},
                {"id":2,"type":"state","state":"chatting"},
                {"id":3,"type":"line","text":"<b>x</b><script>y</script>","textType":"html","by":"Ann","source":"agent","subType":"ONLY_TO_REP"}]},
               "info":{"state":"chatting","visitorName":"Vera","visitorTyping":"typing","chatTimeout":40}}"#,
        );
        let now = Instant::now();
        let out = e.apply(&c, now, &Me::default());
        let lines: Vec<_> = out
            .iter()
            .filter(|u| matches!(u, Update::Line(_)))
            .collect();
        assert_eq!(lines.len(), 2);
        assert_eq!(e.next_event, 4);
        assert_eq!(e.state, Some(ChatState::Chatting));
        assert!(out.contains(&Update::Event(EngineEvent::ChatStateChanged {
            chat: "K1".into(),
            from: None,
            to: ChatState::Waiting
        })));
        assert!(out.contains(&Update::Event(EngineEvent::VisitorTyping {
            chat: "K1".into(),
            typing: true
        })));
        // the visitor's name is known before any state change is reported
        let named = out.iter().position(
            |u| matches!(u, Update::Event(EngineEvent::VisitorName { name, .. }) if name == "Vera"),
        );
        let first_state = out
            .iter()
            .position(|u| matches!(u, Update::Event(EngineEvent::ChatStateChanged { .. })));
        assert!(named.is_some() && named < first_state, "{out:?}");
        let Some(Update::Line(agent)) = out
            .iter()
            .find(|u| matches!(u, Update::Line(l) if l.id == 3))
        else {
            unreachable!("agent line missing")
        };
        assert!(agent.agent_only);
        assert!(!agent.text.contains("script"));
        // the same reply again (a server that ignores fromEventIds) adds nothing
        let again = e.apply(&c, now, &Me::default());
        assert!(
            again.iter().all(|u| !matches!(u, Update::Line(_))),
            "{again:?}"
        );
    }

    #[test]
    fn ended_chat_stops_being_polled() {
        let mut e = ChatEntry::new("K1", ChatOrigin::Resumed, 0);
        let c = chat(r#"{"events":{"event":{"id":0,"type":"state","state":"ended"}}}"#);
        e.apply(&c, Instant::now(), &Me::default());
        assert!(!e.active);
    }

    fn ann() -> Me {
        Me {
            agent_id: Some(5001),
        }
    }

    fn texts(out: &[Update]) -> Vec<String> {
        out.iter()
            .filter_map(|u| match u {
                Update::Line(l) => Some(l.text.clone()),
                _ => None,
            })
            .collect()
    }

    /// A chat read in full once (ids 0..=3, held by Ann), ready for multi-chat polls.
    fn held_chat() -> ChatEntry {
        let mut e = ChatEntry::new("K1", ChatOrigin::Accepted, 0);
        let c = chat(
            r#"{"events":{"event":[
                {"id":0,"type":"state","state":"waiting"},
                {"id":1,"type":"line","text":"hi","textType":"plain","by":"visitor","source":"visitor"},
                {"id":2,"type":"state","state":"chatting"},
                {"id":3,"type":"line","text":"You are now chatting with Ann.","by":"info","source":"system","systemMessageId":3}]},
               "info":{"state":"chatting","agentId":5001,"agentName":"Ann"}}"#,
        );
        e.apply(&c, Instant::now(), &ann());
        assert_eq!(e.last_seen(), Some(3));
        assert!(e.left.is_none());
        e
    }

    #[test]
    fn a_repeated_event_is_dropped_under_the_inclusive_reading() {
        let mut e = held_chat();
        // A server reading fromEventIds=3 as "from 3" sends event 3 again.
        let c = chat(
            r#"{"events":{"event":[
                {"id":3,"type":"line","text":"You are now chatting with Ann.","by":"info","source":"system","systemMessageId":3},
                {"id":4,"type":"line","text":"new","by":"visitor","source":"visitor"}]},
               "info":{"state":"chatting","agentId":5001}}"#,
        );
        let out = e.apply(&c, Instant::now(), &ann());
        assert_eq!(texts(&out), ["new"]);
        assert_eq!(e.last_seen(), Some(4));
    }

    #[test]
    fn a_transfer_line_takes_the_chat_off_and_hides_what_follows() {
        for marker in [13, 15, 23] {
            let mut e = held_chat();
            let c = chat(&format!(
                r#"{{"events":{{"event":[
                    {{"id":4,"type":"line","text":"before","by":"visitor","source":"visitor"}},
                    {{"id":5,"type":"line","text":"moving","by":"info","source":"system","systemMessageId":"{marker}"}},
                    {{"id":6,"type":"state","state":"waiting"}},
                    {{"id":7,"type":"state","state":"chatting"}},
                    {{"id":8,"type":"line","text":"You are now chatting with Cho.","by":"info","source":"system","systemMessageId":3}},
                    {{"id":9,"type":"line","text":"secret for Cho","by":"visitor","source":"visitor"}}]}},
                   "info":{{"state":"chatting","agentId":5003,"agentName":"Cho"}}}}"#
            ));
            let out = e.apply(&c, Instant::now(), &ann());
            assert_eq!(texts(&out), ["before", "moving"], "marker {marker}");
            assert_eq!(e.left, Some(LEFT_TRANSFERRED));
            assert_eq!(e.summary.agent_name.as_deref(), Some("Ann"), "no rename");
            // and a later reply adds nothing
            assert!(e.apply(&c, Instant::now(), &ann()).is_empty());
        }
    }

    #[test]
    fn back_to_waiting_or_another_agent_means_the_chat_left() {
        let mut e = held_chat();
        let c = chat(
            r#"{"events":{"event":{"id":4,"type":"state","state":"waiting"}},"info":{"state":"waiting","agentId":0}}"#,
        );
        e.apply(&c, Instant::now(), &ann());
        assert_eq!(e.left, Some(LEFT_TRANSFERRED));

        // no marker at all, only the info naming someone else
        let mut e = held_chat();
        let c = chat(
            r#"{"events":{"event":{"id":4,"type":"line","text":"hello Cho","by":"visitor","source":"visitor"}},
               "info":{"state":"chatting","agentId":5003,"agentName":"Cho"}}"#,
        );
        e.apply(&c, Instant::now(), &ann());
        assert_eq!(e.left, Some(LEFT_TRANSFERRED));
        assert_ne!(e.summary.agent_name.as_deref(), Some("Cho"));
    }

    #[test]
    fn history_of_an_earlier_transfer_does_not_count_on_the_first_read() {
        // A chat transferred TO Ann: its history has line 15 and a return to waiting.
        let mut e = ChatEntry::new("K1", ChatOrigin::Accepted, 0);
        let c = chat(
            r#"{"events":{"event":[
                {"id":0,"type":"state","state":"waiting"},
                {"id":1,"type":"state","state":"chatting"},
                {"id":2,"type":"line","text":"to Billing","by":"info","source":"system","systemMessageId":15},
                {"id":3,"type":"state","state":"waiting"},
                {"id":4,"type":"state","state":"chatting"},
                {"id":5,"type":"line","text":"You are now chatting with Ann.","by":"info","source":"system","systemMessageId":3}]},
               "info":{"state":"chatting","agentId":5001,"agentName":"Ann"}}"#,
        );
        let out = e.apply(&c, Instant::now(), &ann());
        assert!(e.left.is_none());
        assert_eq!(texts(&out).len(), 2);
        assert_eq!(e.next_event, 6);
    }

    #[test]
    fn bad_events_are_reported_once_and_skipped() {
        let mut e = held_chat();
        let mut out = Vec::new();
        let bad = vec![(Some(4), "invalid type".to_string())];
        e.skip_bad_events(&bad, &mut out);
        e.skip_bad_events(&bad, &mut out);
        assert_eq!(out.len(), 1, "{out:?}");
        assert!(
            matches!(&out[0], Update::Event(EngineEvent::Error { chat: Some(c), .. }) if c == "K1")
        );
        assert_eq!(
            e.last_seen(),
            Some(4),
            "the cursor moved past the bad event"
        );
    }

    #[test]
    fn memory_keeps_the_newest_lines_only() {
        let mut e = held_chat();
        for id in 4..2000u64 {
            let c = chat(&format!(
                r#"{{"events":{{"event":{{"id":{id},"type":"line","text":"l{id}","by":"visitor","source":"visitor"}}}},"info":{{"state":"chatting","agentId":5001}}}}"#
            ));
            e.apply(&c, Instant::now(), &ann());
        }
        assert_eq!(e.lines.len(), LINES_IN_MEMORY);
        assert_eq!(e.lines.last().map(|l| l.id), Some(1999));
        assert_eq!(e.next_event, 2000);
    }
}
