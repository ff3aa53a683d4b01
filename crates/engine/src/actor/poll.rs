//! The loop's turn: each job (relogin, agent-session renewal, refresh, ring check, availability,
//! Retrieve Chat Sessions, the chat poll) runs when it is due on its own schedule, as a task whose
//! result comes back to the actor, and backs off on its own; then the outbox. The chat poll reads
//! every active chat with ONE Retrieve Data for Multiple Chats request per batch of `batch_size`
//! (batches in parallel, see `io`), after one full read of each new chat.

use super::chats::{ChatEntry, Update};
use super::failure::short;
use super::jobs::{After, Job, Policy, after_failure, cap_for_chat_timeout, chat_timeout_margin};
use super::ring::RingChange;
use super::{Actor, io, ms_at, now_ms};
use crate::convert;
use crate::events::{
    ChatLine, ChatOrigin, ChatState, ConnectionState, EngineEvent, ErrorCode, LineSource,
};
use crate::history::EndReason;
use chat_agent_api::{ApiError, ChatSlot};
use std::time::{Duration, Instant};

impl Actor {
    /// The loop's base tick.
    pub(crate) fn tick_len(&self) -> Duration {
        self.cfg
            .poll_interval
            .min(self.cfg.ringing_interval)
            .max(Duration::from_millis(50))
    }

    fn policy(&self) -> Policy {
        Policy {
            tick: self.tick_len(),
            scale: self.cfg.backoff_scale,
        }
    }

    /// One turn of the loop: starts every job that is due and not already out. Never waits.
    pub(crate) fn tick(&mut self) {
        if self.conn.is_none() {
            return;
        }
        for job in Job::ALL {
            if self.conn.is_none() {
                return;
            }
            let now = Instant::now();
            if let Some(since) = self.jobs.in_flight.get(&job) {
                if now.duration_since(*since) < self.stale_after() {
                    continue;
                }
                tracing::error!(
                    ?job,
                    "a request task never reported back; running the job again"
                );
                self.jobs.in_flight.remove(&job);
            }
            if !self.job_due(job, now) {
                continue;
            }
            self.start_job(job, now);
        }
        if self.conn.is_some() {
            self.flush_outbox();
            self.send_wrap_ups();
            self.forget_chats_off_the_desk(Instant::now());
        }
        self.update_connection();
    }

    /// Everything that reads the server falls due now (resume from suspend): the poll, the ring
    /// check, availability and Retrieve Chat Sessions (for a full window, but never sooner than
    /// 2 s after its last call); then the turn runs at once.
    pub(crate) fn resync_now(&mut self) {
        let now = Instant::now();
        let spacing = self.cfg.chat_sessions_interval.max(Duration::from_secs(2));
        let t = &mut self.jobs.timers;
        t.poll = now;
        t.ringing = now;
        t.availability = now;
        // `chat_sessions` is set to "last start + spacing" when the job starts.
        let last_start = t.chat_sessions.checked_sub(spacing);
        let earliest = last_start.map_or(now, |at| (at + Duration::from_secs(2)).max(now));
        t.chat_sessions = t.chat_sessions.min(earliest);
        t.chat_sessions_until = t
            .chat_sessions_until
            .max(now + self.cfg.chat_sessions_window);
        // Back-offs from before the suspend say nothing about the network now.
        self.jobs.backoff.clear();
        tracing::info!("resync now: poll, ring check, availability and chat sessions are due");
        self.tick();
    }

    /// A job falls due on the tick nearest its time: the interval's ticks and the instants stored
    /// at the previous tick differ by microseconds, which must not skip a whole tick. While a
    /// relogin or a session renewal is pending, the jobs that need them wait.
    fn job_due(&self, job: Job, now: Instant) -> bool {
        let due = now + self.tick_len() / 4;
        let t = &self.jobs.timers;
        match job {
            Job::Relogin => t.relogin.is_some_and(|at| due >= at),
            _ if t.relogin.is_some() => false,
            Job::Refresh => due >= t.refresh,
            Job::Renew => t.renew.is_some_and(|at| due >= at),
            _ if t.renew.is_some() => false,
            Job::Ringing => due >= t.ringing,
            Job::Availability => due >= t.availability,
            Job::ChatSessions => now >= t.chat_sessions && now <= t.chat_sessions_until,
            Job::Poll => due >= t.poll,
        }
    }

    /// Sends a job's request(s) as a task; `job_done` applies the outcome.
    fn start_job(&mut self, job: Job, now: Instant) {
        let Some(c) = &self.conn else { return };
        let agent = c.agent.clone();
        let generation = self.jobs.generation;
        self.jobs.in_flight.insert(job, now);
        match job {
            Job::Relogin => self.start_relogin(),
            Job::Renew => self.start_renewal(),
            Job::Refresh => {
                self.jobs.timers.refresh = now + self.cfg.refresh_interval;
                let (client, login) = (c.client.clone(), c.login.clone());
                self.spawn_io(async move {
                    let r = client.refresh(&login).await;
                    move |a: &mut Actor| a.job_done(generation, job, r)
                });
            }
            Job::Ringing => {
                self.jobs.timers.ringing = now + self.cfg.ringing_interval;
                self.spawn_read(
                    job,
                    async move { agent.incoming_requests().await },
                    |a, r| a.ringing_seen(r.ringing_count.max(0) as u32),
                );
            }
            Job::Availability => {
                self.jobs.timers.availability = now + self.cfg.availability_interval;
                self.spawn_read(job, async move { agent.availability().await }, |a, r| {
                    a.availability_seen(r)
                });
            }
            Job::ChatSessions => {
                // The docs ask for no more than one call every 2 s (so no slack here).
                self.jobs.timers.chat_sessions =
                    now + self.cfg.chat_sessions_interval.max(Duration::from_secs(2));
                self.spawn_read(
                    job,
                    async move { agent.chat_sessions().await },
                    |a, list| a.chat_sessions_seen(list),
                );
            }
            Job::Poll => {
                self.jobs.timers.poll = now + self.cfg.poll_interval;
                let plan = self.poll_plan(agent);
                self.spawn_io(async move {
                    let found = io::poll(plan).await;
                    move |a: &mut Actor| a.poll_done(generation, found)
                });
            }
        }
    }

    /// A job that reads one thing: when the answer comes back for the current agent session,
    /// `seen` applies it; then the job's outcome is settled.
    fn spawn_read<T, F>(&self, job: Job, request: F, seen: fn(&mut Actor, &T))
    where
        T: Send + 'static,
        F: std::future::Future<Output = Result<T, ApiError>> + Send + 'static,
    {
        let generation = self.jobs.generation;
        self.spawn_io(async move {
            let r = request.await;
            move |a: &mut Actor| {
                if a.jobs.generation == generation
                    && let Ok(v) = &r
                {
                    seen(a, v);
                }
                a.job_done(generation, job, r.map(drop));
            }
        });
    }

    /// A job's request came back.
    pub(crate) fn job_done(&mut self, generation: u64, job: Job, result: Result<(), ApiError>) {
        if generation != self.jobs.generation {
            return;
        }
        self.jobs.in_flight.remove(&job);
        self.settle(job, result);
        self.update_connection();
    }

    /// Records a job's outcome and, after a failure, decides its next try.
    fn settle(&mut self, job: Job, result: Result<(), ApiError>) {
        let error = match result {
            Ok(()) => {
                self.jobs.backoff.entry(job).or_default().ok();
                return;
            }
            Err(e) => e,
        };
        let failures = self.jobs.backoff.get(&job).map_or(0, |b| b.failures) + 1;
        let now = Instant::now();
        let detail = short(&error.to_string());
        tracing::warn!(?job, error = %detail, failures, "request failed");
        match after_failure(&error, job, failures, self.policy(), rand::random::<f64>()) {
            After::Retry(mut wait) => {
                if job == Job::Poll {
                    wait = cap_for_chat_timeout(wait, now, self.chat_deadline());
                }
                let at = now + wait;
                self.set_job_time(job, at);
                self.jobs.backoff.entry(job).or_default().failed(at, detail);
            }
            After::Relogin => {
                self.jobs.backoff.entry(job).or_default().ok();
                self.request_relogin();
            }
            After::RenewSession => {
                self.jobs.backoff.entry(job).or_default().ok();
                if self.jobs.timers.renew.is_none() {
                    tracing::warn!(?job, "the agent session is gone; starting a new one");
                    self.jobs.timers.renew = Some(now);
                }
            }
            After::Blocked => self.blocked(),
        }
    }

    /// The bearer was refused: every job waits for a new login, which is due now.
    pub(crate) fn request_relogin(&mut self) {
        if self.jobs.timers.relogin.is_some() {
            return;
        }
        self.jobs.timers.relogin = Some(Instant::now());
        self.connection = ConnectionState::Reauthenticating;
        self.emit(EngineEvent::Connection {
            state: ConnectionState::Reauthenticating,
            retry_at: None,
            detail: None,
        });
    }

    fn set_job_time(&mut self, job: Job, at: Instant) {
        let t = &mut self.jobs.timers;
        match job {
            Job::Relogin => t.relogin = Some(at),
            Job::Renew => t.renew = Some(at),
            Job::Refresh => t.refresh = at,
            Job::Ringing => t.ringing = at,
            Job::Availability => t.availability = at,
            Job::ChatSessions => t.chat_sessions = at,
            Job::Poll => t.poll = at,
        }
    }

    /// The earliest instant by which an active chat must be polled again to stay clear of its
    /// `chatTimeout` (with a margin).
    fn chat_deadline(&self) -> Option<Instant> {
        self.chats
            .values()
            .filter(|c| c.active)
            .filter_map(|c| {
                let last = c.last_poll_started?;
                Some(
                    last + c
                        .chat_timeout
                        .saturating_sub(chat_timeout_margin(c.chat_timeout)),
                )
            })
            .min()
    }

    /// Connection state from the jobs' and the outbox's back-offs: `Retrying` (with the next try)
    /// while any is failing, else `Online`. Emitted only when it changes.
    pub(crate) fn update_connection(&mut self) {
        if self.conn.is_none() || self.jobs.timers.relogin.is_some() {
            return;
        }
        let failing: Vec<_> = self
            .jobs
            .backoff
            .values()
            .chain(self.outbox.backoff.values())
            .filter(|b| b.failing())
            .collect();
        if failing.is_empty() {
            if self.connection != ConnectionState::Online {
                self.shown_retry_at = None;
                self.set_connection(ConnectionState::Online, None, None);
            }
            return;
        }
        let next = failing.iter().filter_map(|b| b.next_try).min();
        let detail = failing.iter().find_map(|b| b.last_error.clone());
        let at = next.map(ms_at).map(|ms| ms / 1000 * 1000);
        if self.connection != ConnectionState::Retrying || self.shown_retry_at != at {
            self.shown_retry_at = at;
            self.set_connection(ConnectionState::Retrying, at, detail);
        }
    }

    /// 451: stop and tell the agent (the same teardown as any end of the session).
    fn blocked(&mut self) {
        self.emit(EngineEvent::Error {
            code: ErrorCode::Blocked,
            message: "the account or user is blocked".into(),
            chat: None,
        });
        self.teardown(super::Teardown::Blocked);
    }

    /// What the ring check saw.
    fn ringing_seen(&mut self, count: u32) {
        if count > 0 && self.auto_accept && !self.auto_take_failing {
            // Auto-accept takes the chat without ringing: no countdown and no ring sound for a
            // chat taken at once. If taking fails, the next check rings as usual.
            self.start_take(None);
            return;
        }
        match self.ring.observe(count, now_ms()) {
            RingChange::Same => {}
            RingChange::Ringing {
                count,
                deadline,
                seconds_left,
            } => self.emit(EngineEvent::Ringing {
                count,
                deadline,
                seconds_left,
                // The window opened when this engine first saw the ring.
                seen_at: Some(deadline - super::ring::OFFER_WINDOW_MS),
            }),
            RingChange::Stopped => {
                self.emit(EngineEvent::RingingStopped);
                // An untaken offer flips the agent to Away: look now rather than at the next turn.
                self.jobs.timers.availability = Instant::now();
            }
        }
        if count > 0 && self.auto_accept {
            self.start_take(None);
        }
    }

    /// What the availability read saw.
    fn availability_seen(&mut self, a: &chat_agent_api::model::Availability) {
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
    }

    /// Retrieve Chat Sessions: chats another (still active) session of this agent holds.
    fn chat_sessions_seen(&mut self, list: &chat_agent_api::model::ChatSessions) {
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
                    if e.state != Some(crate::events::ChatState::Ended) && e.left.is_none() {
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
    }

    /// What to read this poll: new chats in full, the others in batches from their last id.
    fn poll_plan(&self, agent: chat_agent_api::AgentSession) -> io::PollPlan {
        let new = self
            .chats
            .iter()
            .filter(|(_, c)| c.active && c.needs_full_read())
            .map(|(k, _)| k.clone())
            .collect();
        let keys: Vec<(String, i64)> = self
            .chats
            .iter()
            .filter_map(|(k, c)| Some((k.clone(), c.last_seen().filter(|_| c.active)?)))
            .collect();
        io::PollPlan {
            agent,
            new,
            batches: keys
                .chunks(self.cfg.batch_size.max(1))
                .map(<[_]>::to_vec)
                .collect(),
        }
    }

    /// Applies what a poll found: each chat on its own; then the job's outcome.
    fn poll_done(&mut self, generation: u64, found: io::PollResult) {
        if generation != self.jobs.generation {
            return;
        }
        for (key, started, read) in found.reads {
            if !self.chats.get(&key).is_some_and(|c| c.active) {
                continue;
            }
            match read {
                io::ChatRead::Slot(slot) => self.take_slot(&key, *slot, started),
                io::ChatRead::Forbidden => self.drop_chat(&key, super::chats::LEFT_TRANSFERRED),
                io::ChatRead::NotFound => self.drop_chat(&key, "notFound"),
                io::ChatRead::Unreadable(why) => {
                    let mut out = Vec::new();
                    if let Some(entry) = self.chats.get_mut(&key) {
                        entry.report(format!("this chat cannot be read: {why}"), &mut out);
                    }
                    self.deliver(&key, out);
                }
            }
        }
        if found.session_gone && self.jobs.timers.renew.is_none() {
            tracing::warn!("the agent session is gone; starting a new one");
            self.jobs.timers.renew = Some(Instant::now());
        }
        self.job_done(generation, Job::Poll, found.error.map_or(Ok(()), Err));
        // Lines waiting for a check of the chat may be resendable now.
        self.flush_outbox();
    }

    /// Applies one chat's slot of a reply, then acts on what it showed.
    fn take_slot(&mut self, key: &str, slot: ChatSlot, started: Instant) {
        let me = self.me.clone();
        let Some(entry) = self.chats.get_mut(key) else {
            return;
        };
        let before = entry.stored_fingerprint();
        let mut updates = Vec::new();
        match slot.chat {
            Ok(chat) => {
                updates = entry.apply(&chat, started, &me);
                let bad: Vec<_> = slot
                    .bad_events
                    .iter()
                    .map(|b| (b.id, b.error.clone()))
                    .collect();
                entry.skip_bad_events(&bad, &mut updates);
            }
            Err(e) => entry.report(
                format!("this chat cannot be read: {}", short(&e.to_string())),
                &mut updates,
            ),
        }
        let left = entry.left;
        // A poll that changed nothing writes nothing (the cost of a quiet chat stays a decode).
        if left.is_none() && updates.is_empty() && entry.stored_fingerprint() == before {
            return;
        }
        self.deliver(key, updates);
        if let Some(reason) = left {
            self.drop_chat(key, reason);
        }
    }

    /// Takes a chat off the desk: no more polls, its unsent lines fail with the reason.
    pub(crate) fn drop_chat(&mut self, key: &str, reason: &str) {
        if let Some(e) = self.chats.get_mut(key) {
            if !e.active {
                return;
            }
            e.active = false;
            let row = e.row();
            if let Some(owner) = &self.owner {
                let _ = self.store.put_chat(owner, &row);
            }
            self.emit(EngineEvent::ChatRemoved {
                chat: key.to_string(),
                reason: reason.to_string(),
            });
            let ended_as = if reason == super::chats::LEFT_TRANSFERRED {
                EndReason::Transferred
            } else {
                EndReason::Other
            };
            if let Err(err) = self.store.history_chat_ended(key, now_ms(), ended_as) {
                tracing::warn!(error = %err, "cannot record in history that a chat left");
            }
            let why = match reason {
                super::chats::LEFT_TRANSFERRED => {
                    "not sent: the chat was transferred away from this desk".to_string()
                }
                other => format!("not sent: chat {other}"),
            };
            self.fail_outbox_of(key, &why);
        }
    }

    /// Emits a reply's updates in order, matching the agent's lines to the outbox, and stores them.
    pub(crate) fn deliver(&mut self, key: &str, updates: Vec<Update>) {
        let mut lines = Vec::new();
        let mut saw_end = false;
        for u in updates {
            match u {
                Update::Event(e) => {
                    // A chat this desk saw end (not one found already ended): wrap-up time.
                    if let EngineEvent::ChatStateChanged {
                        from: Some(_),
                        to: ChatState::Ended,
                        ..
                    } = &e
                    {
                        saw_end = true;
                    }
                    if let (EngineEvent::ChatUpdated { summary }, Some(owner)) = (&e, &self.owner)
                        && let Err(err) = self.store.history_chat_seen(owner, summary, now_ms())
                    {
                        tracing::warn!(error = %err, "cannot record the chat in history");
                    }
                    self.emit(e)
                }
                Update::Line(mut line) => {
                    self.claim_line(&mut line);
                    lines.push(line.clone());
                    // Only the live event carries when it was seen (the stored line does not).
                    line.mark_seen(now_ms());
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
            let ended = !e.active && e.left.is_none();
            if let Some(owner) = &self.owner
                && let Err(err) = self.store.put_chat(owner, &row)
            {
                tracing::warn!(error = %err, "cannot store chat");
            }
            if ended {
                self.fail_outbox_of(key, "not sent: the chat ended");
            }
        }
        if saw_end && self.chats.get(key).is_some_and(|c| c.left.is_none()) {
            let reason = self
                .chats
                .get(key)
                .map_or(EndReason::Other, |c| end_reason(&c.lines));
            if let Err(err) = self.store.history_chat_ended(key, now_ms(), reason) {
                tracing::warn!(error = %err, "cannot record the end of a chat in history");
            }
            self.start_wrap_up(key);
        }
        self.fetch_customer_if_needed(key);
    }
}

/// Why a chat ended, from its last system lines: 5 = the agent ended it, 6 = the visitor
/// disconnected (spec §5); anything else counts as the visitor leaving.
fn end_reason(lines: &[ChatLine]) -> EndReason {
    let last_system = lines
        .iter()
        .rev()
        .take(8)
        .find(|l| l.source == LineSource::System && l.system_message_id.is_some());
    match last_system.and_then(|l| l.system_message_id) {
        Some(5) => EndReason::Agent,
        _ => EndReason::Visitor,
    }
}
