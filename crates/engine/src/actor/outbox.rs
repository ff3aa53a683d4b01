//! The durable outbox: a line is written to SQLite before it is sent, resent after failures that
//! certainly did not reach the server, and after an ambiguous failure only once the chat's events
//! show it did not arrive (match: an agent line with the same text, newer than the cursor at send).

use super::Actor;
use super::failure::{SendOutcome, send_outcome, short};
use super::jobs::{After, Job, Policy, after_failure};
use crate::convert::display_text;
use crate::error::EngineError;
use crate::events::{
    ChatLine, ChatState, EngineEvent, ErrorCode, LineSource, OutboxState, TextType,
};
use crate::store::{OutboxRow, RowState};
use chat_agent_api::{ApiError, NewLine};
use std::time::Instant;

fn public_state(s: RowState) -> OutboxState {
    match s {
        RowState::Sent => OutboxState::Sent,
        RowState::Failed => OutboxState::Failed,
        _ => OutboxState::Pending,
    }
}

/// Whether `line` can be the server's copy of `row`.
fn matches(row: &OutboxRow, line: &ChatLine) -> bool {
    line.source == LineSource::Agent
        && line.local_id.is_none()
        && line.agent_only == row.agent_only
        && row.cursor_at_send.is_none_or(|c| line.id >= c)
        && line.text == display_text(&row.text, row.text_type)
}

/// The outbox's rule after a failed add-line: certainly not applied → send again (until
/// `max_attempts` attempts reached the server); maybe applied → check the chat before any resend;
/// refused → failed, the agent decides.
fn state_after_failure(outcome: SendOutcome, attempts: u32, max_attempts: u32) -> RowState {
    match outcome {
        SendOutcome::NotApplied if attempts >= max_attempts => RowState::Failed,
        SendOutcome::NotApplied => RowState::Pending,
        SendOutcome::Ambiguous => RowState::Check,
        SendOutcome::Refused => RowState::Failed,
    }
}

impl Actor {
    pub(crate) fn emit_outbox(&self, row: &OutboxRow) {
        self.emit(EngineEvent::Outbox {
            chat: row.chat.clone(),
            local_id: row.local_id.clone(),
            text: row.text.clone(),
            state: public_state(row.state),
            event_id: row.event_id,
            error: row.error.clone(),
        });
    }

    fn save_row(&self, row: &OutboxRow) {
        if let Err(e) = self.store.outbox_update(row) {
            tracing::warn!(error = %e, "cannot store outbox progress");
        }
    }

    /// Queues a line: stored first, then sent by the loop.
    pub(crate) fn queue_line(
        &mut self,
        chat: String,
        text: String,
        text_type: TextType,
        agent_only: bool,
        card: Option<serde_json::Value>,
    ) -> Result<String, EngineError> {
        let Some(owner) = self.owner.clone() else {
            return Err(EngineError::not_logged_in());
        };
        if text.trim().is_empty() {
            return Err(EngineError::new(
                ErrorCode::InvalidInput,
                "the line is empty",
            ));
        }
        let card = match (text_type, card) {
            (TextType::RichContent, Some(card)) => Some(crate::convert::check_card(card)?),
            (TextType::RichContent, None) => {
                return Err(EngineError::new(
                    ErrorCode::InvalidInput,
                    "a rich-content line needs its card",
                ));
            }
            (_, Some(_)) => {
                return Err(EngineError::new(
                    ErrorCode::InvalidInput,
                    "only a rich-content line carries a card",
                ));
            }
            (_, None) => None,
        };
        match self.chats.get(&chat) {
            Some(c) if c.active => {}
            _ => {
                return Err(EngineError::new(
                    ErrorCode::NotFound,
                    "no such active chat on this desk",
                ));
            }
        }
        let row = OutboxRow {
            local_id: uuid::Uuid::new_v4().to_string(),
            chat,
            text,
            text_type,
            agent_only,
            state: RowState::Pending,
            cursor_at_send: None,
            event_id: None,
            attempts: 0,
            error: None,
            card,
        };
        self.store.outbox_add(&owner, &row)?;
        self.emit_outbox(&row);
        let id = row.local_id.clone();
        self.outbox.rows.push(row);
        Ok(id)
    }

    /// Sends a failed line again.
    pub(crate) fn retry_row(&mut self, local_id: &str) -> Result<(), EngineError> {
        let Some(i) = self.outbox.rows.iter().position(|r| r.local_id == local_id) else {
            return Err(EngineError::new(
                ErrorCode::NotFound,
                "no such line in the outbox",
            ));
        };
        if self.outbox.rows[i].state == RowState::Failed {
            let row = &mut self.outbox.rows[i];
            row.state = RowState::Pending;
            row.attempts = 0;
            row.error = None;
            let row = row.clone();
            self.outbox.backoff.remove(&row.local_id);
            self.save_row(&row);
            self.emit_outbox(&row);
        }
        Ok(())
    }

    /// A line from the server that is one of ours gets its local id (and settles an ambiguous send).
    pub(crate) fn claim_line(&mut self, line: &mut ChatLine) {
        if line.source != LineSource::Agent {
            return;
        }
        if let Some(row) = self
            .outbox
            .rows
            .iter()
            .find(|r| r.chat == line.chat && r.event_id == Some(line.id))
        {
            line.local_id = Some(row.local_id.clone());
            return;
        }
        let found = self.outbox.rows.iter().position(|r| {
            r.chat == line.chat
                && matches!(r.state, RowState::Check | RowState::InFlight)
                && matches(r, line)
        });
        if let Some(i) = found {
            let row = &mut self.outbox.rows[i];
            row.state = RowState::Sent;
            row.event_id = Some(line.id);
            row.error = None;
            line.local_id = Some(row.local_id.clone());
            let row = row.clone();
            self.outbox.check_after.remove(&row.local_id);
            self.outbox.backoff.remove(&row.local_id);
            tracing::info!(local_id = %row.local_id, event = line.id, "ambiguous send found in the chat: not resending");
            self.save_row(&row);
            self.emit_outbox(&row);
        }
    }

    /// Marks a chat's unsent lines failed (the chat ended or left the desk).
    pub(crate) fn fail_outbox_of(&mut self, chat: &str, reason: &str) {
        let mut changed = Vec::new();
        for row in self.outbox.rows.iter_mut().filter(|r| r.chat == chat) {
            if matches!(row.state, RowState::Pending | RowState::Check) {
                row.state = RowState::Failed;
                row.error = Some(reason.to_string());
                changed.push(row.clone());
            }
        }
        for row in changed {
            self.outbox.backoff.remove(&row.local_id);
            self.outbox.check_after.remove(&row.local_id);
            self.save_row(&row);
            self.emit_outbox(&row);
        }
    }

    /// Marks every unsent line failed (the login ended).
    pub(crate) fn fail_all_unsent(&mut self, reason: &str) {
        let chats: Vec<String> = self.outbox.rows.iter().map(|r| r.chat.clone()).collect();
        for chat in chats {
            self.fail_outbox_of(&chat, reason);
        }
        let mut changed = Vec::new();
        for row in &mut self.outbox.rows {
            if row.state == RowState::InFlight {
                row.state = RowState::Failed;
                row.error = Some(reason.to_string());
                changed.push(row.clone());
            }
        }
        for row in changed {
            self.save_row(&row);
            self.emit_outbox(&row);
        }
    }

    /// Sends what can be sent: per chat, in order, one line at a time (each send a task). Each
    /// row keeps its own back-off, so failing reads never hold a line back and one chat's trouble
    /// never holds back another chat's lines.
    pub(crate) fn flush_outbox(&mut self) {
        if self.conn.is_none() || self.jobs.timers.relogin.is_some() {
            return;
        }
        let mut blocked: Vec<String> = Vec::new();
        let mut i = 0;
        while i < self.outbox.rows.len() {
            let row = self.outbox.rows[i].clone();
            i += 1;
            if blocked.contains(&row.chat) || matches!(row.state, RowState::Sent | RowState::Failed)
            {
                continue;
            }
            if let Some(since) = self.outbox.sending.get(&row.local_id).copied() {
                if Instant::now().duration_since(since) < self.stale_after() {
                    blocked.push(row.chat.clone());
                    continue;
                }
                // The send's task never reported back: whether the line arrived is unknown, so
                // it is checked against the chat like any ambiguous send.
                tracing::error!(local_id = %row.local_id, "a send task never reported back; checking the chat");
                self.outbox.sending.remove(&row.local_id);
                self.outbox
                    .check_after
                    .insert(row.local_id.clone(), Instant::now() + self.cfg.verify_grace);
                if let Some(r) = self.outbox.rows.get_mut(i - 1) {
                    r.state = RowState::Check;
                }
                blocked.push(row.chat.clone());
                continue;
            }
            let Some(chat) = self.chats.get(&row.chat) else {
                blocked.push(row.chat.clone());
                continue;
            };
            if !chat.active || chat.needs_full_read() {
                if chat.state == Some(ChatState::Ended) {
                    self.fail_outbox_of(&row.chat, "not sent: the chat ended");
                }
                blocked.push(row.chat.clone());
                continue;
            }
            let now = Instant::now();
            if self
                .outbox
                .backoff
                .get(&row.local_id)
                .and_then(|b| b.next_try)
                .is_some_and(|t| now < t)
            {
                blocked.push(row.chat.clone());
                continue;
            }
            if matches!(row.state, RowState::Check | RowState::InFlight) {
                // Resend only after a poll that started after the grace period found nothing.
                let after = self
                    .outbox
                    .check_after
                    .get(&row.local_id)
                    .copied()
                    .unwrap_or_else(Instant::now);
                let verified = now >= after && chat.last_poll_started.is_some_and(|p| p >= after);
                if !verified {
                    blocked.push(row.chat.clone());
                    continue;
                }
                // The whole transcript newer than the cursor was seen: not there, so resend. The
                // store has every line (memory only the newest few).
                let seen = self
                    .store
                    .lines_from(&row.chat, row.cursor_at_send.unwrap_or(0))
                    .unwrap_or_else(|_| chat.lines.clone());
                if let Some(line) = seen.into_iter().find(|l| matches(&row, l)) {
                    let mut l = line;
                    self.claim_line(&mut l);
                    continue;
                }
            }
            let next = chat.next_event;
            self.start_send(i - 1, next);
            blocked.push(row.chat.clone());
        }
        // Sent lines are only needed to map event ids to local ids while the chat is on the desk.
        let chats = &self.chats;
        self.outbox
            .rows
            .retain(|r| r.state != RowState::Sent || chats.get(&r.chat).is_some_and(|c| c.active));
    }

    /// Sends row `i` as a task; `send_done` applies the outcome.
    fn start_send(&mut self, i: usize, next_event: u64) {
        let Some(conn) = &self.conn else { return };
        let agent = conn.agent.clone();
        let mut row = self.outbox.rows[i].clone();
        let chat_ref = match agent.chat_ref(&row.chat) {
            Ok(r) => r,
            Err(e) => {
                row.state = RowState::Failed;
                row.error = Some(short(&e.to_string()));
                self.outbox.rows[i] = row.clone();
                self.save_row(&row);
                self.emit_outbox(&row);
                return;
            }
        };
        row.state = RowState::InFlight;
        row.cursor_at_send = Some(next_event);
        self.save_row(&row);
        self.outbox.rows[i] = row.clone();
        self.outbox
            .sending
            .insert(row.local_id.clone(), Instant::now());
        let mut line = match (row.text_type, &row.card) {
            (TextType::Html, _) => NewLine::html(row.text.clone()),
            (TextType::RichContent, Some(card)) => NewLine::rich(row.text.clone(), card.clone()),
            _ => NewLine::plain(row.text.clone()),
        };
        if row.agent_only {
            line = line.agent_only();
        }
        let local_id = row.local_id;
        self.spawn_io(async move {
            let r = agent.add_line(&chat_ref, &line).await;
            move |a: &mut Actor| a.send_done(&local_id, r)
        });
    }

    /// An add-line came back. Applied whatever happened since (even after a teardown the truth
    /// about a line is worth keeping), then the chat's next line may go.
    fn send_done(
        &mut self,
        local_id: &str,
        result: Result<chat_agent_api::EventLocation, ApiError>,
    ) {
        self.outbox.sending.remove(local_id);
        let Some(i) = self.outbox.rows.iter().position(|r| r.local_id == local_id) else {
            return;
        };
        let mut row = self.outbox.rows[i].clone();
        match result {
            Ok(loc) => {
                match loc.event_id {
                    Some(id) if id >= 0 => {
                        row.state = RowState::Sent;
                        row.event_id = Some(id as u64);
                        row.error = None;
                        self.outbox.backoff.remove(&row.local_id);
                    }
                    _ => {
                        row.state = RowState::Check;
                        self.outbox
                            .check_after
                            .insert(row.local_id.clone(), Instant::now());
                    }
                }
                self.outbox.rows[i] = row.clone();
                self.save_row(&row);
                self.emit_outbox(&row);
            }
            Err(e) => self.send_failed(i, row, e),
        }
        self.update_connection();
        self.flush_outbox();
    }

    /// What a failed add-line means for its row: sent again later (certainly not applied),
    /// checked against the chat first (maybe applied), or failed (refused; a 403 also means the
    /// chat left this desk).
    fn send_failed(&mut self, i: usize, mut row: OutboxRow, e: ApiError) {
        let outcome = send_outcome(&e);
        let now = Instant::now();
        row.error = Some(short(&e.to_string()));
        let reached_server = !matches!(
            e,
            ApiError::Transport {
                kind: chat_agent_api::TransportKind::Connect,
                ..
            }
        );
        if reached_server {
            row.attempts += 1;
        }
        let backoff = self.outbox.backoff.entry(row.local_id.clone()).or_default();
        let failures = backoff.failures + 1;
        let policy = Policy {
            tick: self.tick_len(),
            scale: self.cfg.backoff_scale,
        };
        let wait = match after_failure(&e, Job::Poll, failures, policy, rand::random::<f64>()) {
            After::Retry(d) => d,
            After::Relogin => {
                self.request_relogin();
                policy.tick
            }
            After::RenewSession | After::Blocked => policy.tick,
        };
        row.state = state_after_failure(outcome, row.attempts, self.cfg.max_send_attempts);
        if row.state == RowState::Check {
            let grace = self.cfg.verify_grace;
            let at = now + grace.max(wait.min(grace * 4));
            self.outbox.check_after.insert(row.local_id.clone(), at);
        }
        let next_try = match row.state {
            RowState::Check => self.outbox.check_after.get(&row.local_id).copied(),
            _ => Some(now + wait),
        };
        if row.state == RowState::Failed {
            self.outbox.backoff.remove(&row.local_id);
        } else if let Some(b) = self.outbox.backoff.get_mut(&row.local_id) {
            b.failures = failures;
            b.next_try = next_try;
            b.last_error = row.error.clone();
        }
        self.outbox.rows[i] = row.clone();
        self.save_row(&row);
        self.emit_outbox(&row);
        if outcome == SendOutcome::Refused {
            if matches!(e, ApiError::Http { status: 403, .. }) {
                // The server no longer lets this desk write to the chat: it left.
                self.drop_chat(&row.chat, super::chats::LEFT_TRANSFERRED);
            }
            self.emit(EngineEvent::Error {
                code: super::failure::code_of(&e),
                message: format!("line not sent: {}", short(&e.to_string())),
                chat: Some(row.chat.clone()),
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(text: &str, cursor: Option<u64>) -> OutboxRow {
        OutboxRow {
            local_id: "L1".into(),
            chat: "K1".into(),
            text: text.into(),
            text_type: TextType::Plain,
            agent_only: false,
            state: RowState::Check,
            cursor_at_send: cursor,
            event_id: None,
            attempts: 1,
            error: None,
            card: None,
        }
    }

    fn line(id: u64, source: LineSource, text: &str) -> ChatLine {
        ChatLine {
            chat: "K1".into(),
            id,
            time: None,
            source,
            by: String::new(),
            text: text.into(),
            text_type: TextType::Plain,
            system_message_id: None,
            agent_only: false,
            local_id: None,
            card: None,
            seen_at: None,
            latency_ms: None,
        }
    }

    #[test]
    fn an_ambiguous_send_matches_only_a_newer_agent_line_with_its_text() {
        let r = row("hello", Some(5));
        assert!(matches(&r, &line(5, LineSource::Agent, "hello")));
        assert!(matches(&r, &line(9, LineSource::Agent, "hello")));
        // older than the cursor at send: an earlier line with the same words
        assert!(!matches(&r, &line(4, LineSource::Agent, "hello")));
        // the visitor saying the same is not our line
        assert!(!matches(&r, &line(6, LineSource::Visitor, "hello")));
        assert!(!matches(&r, &line(6, LineSource::Agent, "hello!")));
        // a line already claimed by another outbox row
        let mut claimed = line(6, LineSource::Agent, "hello");
        claimed.local_id = Some("L0".into());
        assert!(!matches(&r, &claimed));
        // agent-only must agree
        let mut note = line(6, LineSource::Agent, "hello");
        note.agent_only = true;
        assert!(!matches(&r, &note));
    }

    #[test]
    fn html_is_compared_as_the_desk_shows_it() {
        let mut r = row("<b>hi</b><script>x</script>", Some(0));
        r.text_type = TextType::Html;
        let shown = display_text(&r.text, TextType::Html);
        let mut l = line(1, LineSource::Agent, &shown);
        l.text_type = TextType::Html;
        assert!(matches(&r, &l));
    }

    #[test]
    fn failure_rules() {
        assert_eq!(
            state_after_failure(SendOutcome::NotApplied, 1, 8),
            RowState::Pending
        );
        assert_eq!(
            state_after_failure(SendOutcome::NotApplied, 8, 8),
            RowState::Failed
        );
        assert_eq!(
            state_after_failure(SendOutcome::Ambiguous, 20, 8),
            RowState::Check
        );
        assert_eq!(
            state_after_failure(SendOutcome::Refused, 1, 8),
            RowState::Failed
        );
    }
}
