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

/// A chat the desk holds.
#[derive(Debug, Clone)]
pub(crate) struct ChatEntry {
    pub summary: ChatSummary,
    /// The first event id not seen yet (`fromEventIds` of the next request).
    pub next_event: u64,
    /// The state last reported (`None` before the first reply).
    pub state: Option<ChatState>,
    pub visitor_typing: bool,
    /// Polled by the loop (false once ended, transferred or lost).
    pub active: bool,
    /// Replies in a row that did not include this chat.
    pub missing: u32,
    /// The server's `chatTimeout`.
    pub chat_timeout: Duration,
    /// When the last successful request that covered this chat started.
    pub last_poll_started: Option<Instant>,
    pub lines: Vec<ChatLine>,
    /// Whether a summary has been sent to the front ends yet.
    announced: bool,
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
            },
            next_event,
            state: None,
            visitor_typing: false,
            active: true,
            missing: 0,
            chat_timeout: Duration::from_secs(40),
            last_poll_started: None,
            lines: Vec::new(),
            announced: false,
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
        e.lines = lines;
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

    /// Applies one chat of a multi-chat reply: new events only (by id), then the info.
    pub fn apply(&mut self, chat: &Chat, started: Instant) -> Vec<Update> {
        let key = self.summary.chat.clone();
        let mut out = Vec::new();
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
                        self.move_to(to, &mut out);
                    }
                }
                EventKind::Line(l) => {
                    let line = convert::line(&key, id, e.time.as_ref().map(|t| t.epoch_ms()), l);
                    self.lines.push(line.clone());
                    out.push(Update::Line(line));
                }
                EventKind::Other(_) => {}
            }
            self.next_event = id + 1;
        }
        if let Some(info) = &chat.info {
            let mut changed = !self.announced || renamed;
            if let Some(to) = info.state.as_ref().and_then(convert::chat_state) {
                self.move_to(to, &mut out);
            }
            if info.agent_name.is_some() && info.agent_name != self.summary.agent_name {
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
                self.announced = true;
                out.push(Update::Event(EngineEvent::ChatUpdated {
                    summary: self.summary.clone(),
                }));
            }
        }
        self.missing = 0;
        self.last_poll_started = Some(started);
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
        let out = e.apply(&c, now);
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
        let again = e.apply(&c, now);
        assert!(
            again.iter().all(|u| !matches!(u, Update::Line(_))),
            "{again:?}"
        );
    }

    #[test]
    fn ended_chat_stops_being_polled() {
        let mut e = ChatEntry::new("K1", ChatOrigin::Resumed, 0);
        let c = chat(r#"{"events":{"event":{"id":0,"type":"state","state":"ended"}}}"#);
        e.apply(&c, Instant::now());
        assert!(!e.active);
    }
}
