//! The poll loop: refresh, ringing, availability, Retrieve Chat Sessions, and ONE Retrieve Data for
//! Multiple Chats request per tick for every active chat (batched), then the outbox.

use super::chats::{ChatEntry, Update};
use super::failure::{Failure, Next, next_step, short};
use super::{Actor, ms_at, now_ms};
use crate::convert;
use crate::events::{ChatOrigin, ConnectionState, EngineEvent, ErrorCode, SessionState};
use chat_agent_api::ApiError;
use chat_agent_api::model::Chat;
use std::time::{Duration, Instant};

/// The offer window before an untaken chat flips the agent to Away (spec §4.10).
const OFFER_WINDOW_MS: i64 = 20_000;

/// Chats a reply may omit in a row before the desk drops them.
const MISSING_LIMIT: u32 = 3;

/// The key of a chat in a multi-chat reply: from its info, else from its `self` link.
fn key_of(chat: &Chat) -> Option<String> {
    if let Some(k) = chat.info.as_ref().and_then(|i| i.chat_session_key.clone()) {
        return Some(k);
    }
    let href = chat.link.rel("self")?;
    let path = href.split('?').next()?;
    path.trim_end_matches('/')
        .rsplit('/')
        .next()
        .map(|s| s.trim_end_matches(".json").to_string())
}

impl Actor {
    /// One turn of the loop; failures go through the retry policy.
    pub(crate) async fn tick(&mut self) {
        if self.conn.is_none() {
            return;
        }
        let now = Instant::now();
        if self.retry_until.is_some_and(|t| now < t) {
            return;
        }
        match self.tick_inner(now).await {
            Ok(()) => {
                if self.attempt > 0 || self.connection != ConnectionState::Online {
                    self.attempt = 0;
                    self.retry_until = None;
                    self.set_connection(ConnectionState::Online, None, None);
                }
            }
            Err(f) => self.on_failure(f).await,
        }
    }

    async fn tick_inner(&mut self, now: Instant) -> Result<(), Failure> {
        // A job falls due on the tick nearest its time: the interval's ticks and the instants
        // stored at the previous tick differ by microseconds, which must not skip a whole tick.
        let due = now + self.cfg.poll_interval.min(self.cfg.ringing_interval) / 4;
        if due >= self.timers.refresh {
            self.refresh().await.map_err(Failure::write)?;
        }
        if due >= self.timers.ringing {
            self.timers.ringing = now + self.cfg.ringing_interval;
            self.check_ringing().await?;
        }
        if due >= self.timers.availability {
            self.timers.availability = now + self.cfg.availability_interval;
            self.check_availability().await?;
        }
        if now >= self.timers.chat_sessions && now <= self.timers.chat_sessions_until {
            // The docs ask for no more than one call every 2 s (so no slack here).
            self.timers.chat_sessions =
                now + self.cfg.chat_sessions_interval.max(Duration::from_secs(2));
            self.resume_chat_sessions().await?;
        }
        if due >= self.timers.poll {
            self.timers.poll = now + self.cfg.poll_interval;
            self.poll_chats().await?;
        }
        self.flush_outbox_inner().await
    }

    /// Reports a failure as connection state and schedules the next try.
    pub(crate) async fn on_failure(&mut self, f: Failure) {
        self.attempt += 1;
        tracing::warn!(error = %short(&f.error.to_string()), attempt = self.attempt, "request failed");
        match next_step(&f, self.attempt, self.cfg.backoff_scale) {
            Next::Relogin => self.relogin().await,
            Next::Blocked => {
                self.emit(EngineEvent::Error {
                    code: ErrorCode::Blocked,
                    message: "the account or user is blocked".into(),
                    chat: None,
                });
                self.conn = None;
                self.set_session(SessionState::LoggedOut);
                self.set_connection(ConnectionState::Offline, None, Some("blocked".into()));
            }
            Next::Wait(mut d) => {
                // Keep every chat polled within its chatTimeout even during a long back-off.
                if let Some(t) = self
                    .chats
                    .values()
                    .filter(|c| c.active)
                    .map(|c| c.chat_timeout)
                    .min()
                {
                    d = d.min(t / 3);
                }
                let at = Instant::now() + d;
                self.retry_until = Some(at);
                let detail = short(&f.error.to_string());
                self.set_connection(ConnectionState::Retrying, Some(ms_at(at)), Some(detail));
            }
        }
    }

    async fn check_ringing(&mut self) -> Result<(), Failure> {
        let Some(c) = &self.conn else { return Ok(()) };
        let r = c.agent.incoming_requests().await.map_err(Failure::read)?;
        let count = r.ringing_count.max(0) as u32;
        if count == 0 {
            if self.ring.count > 0 {
                self.ring = Default::default();
                self.emit(EngineEvent::RingingStopped);
                // An untaken offer flips the agent to Away: look now rather than at the next turn.
                self.timers.availability = Instant::now();
            }
            return Ok(());
        }
        if self.ring.count == 0 {
            self.ring.deadline = now_ms() + OFFER_WINDOW_MS;
        }
        let left = ((self.ring.deadline - now_ms()).max(0) / 1000) as u32;
        if count != self.ring.count || left != self.ring.last_seconds_left {
            self.ring.count = count;
            self.ring.last_seconds_left = left;
            self.emit(EngineEvent::Ringing {
                count,
                deadline: self.ring.deadline,
                seconds_left: left,
            });
        }
        if self.auto_accept {
            match self.take_chat().await {
                Ok(_) => {}
                Err(e) if e.code == ErrorCode::NothingToAccept => {}
                Err(e) => self.emit(EngineEvent::Error {
                    code: e.code,
                    message: e.message,
                    chat: None,
                }),
            }
        }
        Ok(())
    }

    async fn check_availability(&mut self) -> Result<(), Failure> {
        let Some(c) = &self.conn else { return Ok(()) };
        let a = c.agent.availability().await.map_err(Failure::read)?;
        let now = convert::availability(&a.chat);
        if self.availability != Some(now) {
            self.availability = Some(now);
            self.reason_id = a.chat_reason_id.clone();
            self.emit(EngineEvent::Availability {
                availability: now,
                reason_id: self.reason_id.clone(),
                by_server: true,
            });
        }
        Ok(())
    }

    /// Retrieve Chat Sessions: chats another (still active) session of this agent holds.
    async fn resume_chat_sessions(&mut self) -> Result<(), Failure> {
        let Some(c) = &self.conn else { return Ok(()) };
        let list = c.agent.chat_sessions().await.map_err(Failure::read)?;
        for s in list.chat_session.iter() {
            let key = match (&s.chat_session_key, s.link.first_href()) {
                (Some(k), _) => k.clone(),
                (None, Some(href)) => match chat_agent_api::ChatRef::from_href(href) {
                    Ok(r) => r.key,
                    Err(_) => continue,
                },
                (None, None) => continue,
            };
            match self.chats.get_mut(&key) {
                Some(e) if e.active => {}
                Some(e) => {
                    if e.state != Some(crate::events::ChatState::Ended) {
                        tracing::info!(chat = %key, "chat resumed from the local cache");
                        e.active = true;
                    }
                }
                None => {
                    tracing::info!(chat = %key, "chat resumed from another session");
                    let mut e = ChatEntry::new(&key, ChatOrigin::Resumed, 0);
                    e.summary.start_time = s.start_time.as_ref().map(|t| t.epoch_ms());
                    self.chats.insert(key, e);
                }
            }
        }
        Ok(())
    }

    /// One multi-chat request per batch of `batch_size` active chats (one request per tick for
    /// up to `batch_size` chats).
    async fn poll_chats(&mut self) -> Result<(), Failure> {
        let keys: Vec<(String, i64)> = self
            .chats
            .iter()
            .filter(|(_, c)| c.active)
            .map(|(k, c)| (k.clone(), c.next_event as i64))
            .collect();
        for batch in keys.chunks(self.cfg.batch_size.max(1)) {
            let Some(c) = &self.conn else { return Ok(()) };
            let started = Instant::now();
            let pairs: Vec<(&str, i64)> = batch.iter().map(|(k, f)| (k.as_str(), *f)).collect();
            let reply = match c.agent.chats_data(&pairs).await {
                Ok(r) => r,
                Err(ApiError::Http { status: 404, .. }) => {
                    self.find_gone_chats(batch).await?;
                    continue;
                }
                Err(e) => return Err(Failure::read(e)),
            };
            let mut seen = Vec::new();
            for chat in &reply {
                let Some(key) = key_of(chat) else { continue };
                let Some(entry) = self.chats.get_mut(&key) else {
                    continue;
                };
                let updates = entry.apply(chat, started);
                seen.push(key.clone());
                self.deliver(&key, updates);
            }
            for (key, _) in batch {
                if !seen.contains(key)
                    && let Some(e) = self.chats.get_mut(key)
                {
                    e.missing += 1;
                    if e.missing >= MISSING_LIMIT {
                        self.drop_chat(key, "lost");
                    }
                }
            }
        }
        Ok(())
    }

    /// A 404 for a batch: ask chat by chat which one is gone.
    async fn find_gone_chats(&mut self, batch: &[(String, i64)]) -> Result<(), Failure> {
        for (key, _) in batch {
            let Some(c) = &self.conn else { return Ok(()) };
            let Ok(r) = c.agent.chat_ref(key) else {
                continue;
            };
            match c.agent.chat_info(&r).await {
                Ok(_) => {}
                Err(ApiError::Http { status: 404, .. }) => self.drop_chat(key, "notFound"),
                Err(e) => return Err(Failure::read(e)),
            }
        }
        Ok(())
    }

    /// Takes a chat off the desk.
    pub(crate) fn drop_chat(&mut self, key: &str, reason: &str) {
        if let Some(e) = self.chats.get_mut(key) {
            e.active = false;
            let row = e.row();
            if let Some(owner) = &self.owner {
                let _ = self.store.put_chat(owner, &row);
            }
            self.emit(EngineEvent::ChatRemoved {
                chat: key.to_string(),
                reason: reason.to_string(),
            });
            self.fail_outbox_of(key, &format!("chat {reason}"));
        }
    }

    /// Emits a reply's updates in order, matching the agent's lines to the outbox, and stores them.
    fn deliver(&mut self, key: &str, updates: Vec<Update>) {
        let mut lines = Vec::new();
        for u in updates {
            match u {
                Update::Event(e) => self.emit(e),
                Update::Line(mut line) => {
                    self.claim_line(&mut line);
                    lines.push(line.clone());
                    self.emit(EngineEvent::Line(line));
                }
            }
        }
        // Lines first, then the cursor: a crash in between re-reads lines rather than losing them.
        if !lines.is_empty()
            && let Err(err) = self.store.add_lines(&lines)
        {
            tracing::warn!(error = %err, "cannot store lines");
        }
        if let Some(e) = self.chats.get_mut(key) {
            // keep the local ids in the in-memory transcript too
            for l in &lines {
                if let Some(m) = e.lines.iter_mut().rev().find(|m| m.id == l.id) {
                    m.local_id = l.local_id.clone();
                }
            }
            let row = e.row();
            let ended = !e.active;
            if let Some(owner) = &self.owner
                && let Err(err) = self.store.put_chat(owner, &row)
            {
                tracing::warn!(error = %err, "cannot store chat");
            }
            if ended {
                self.fail_outbox_of(key, "chat ended");
            }
        }
    }
}
