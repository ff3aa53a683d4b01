//! What each command of the handle does.

use super::Actor;
use super::chats::ChatEntry;
use super::failure::engine_error;
use crate::convert;
use crate::error::EngineError;
use crate::events::{
    Availability, ChatKey, ChatOrigin, ConnectionState, EngineEvent, ErrorCode, OutboxState,
    TransferTarget,
};
use crate::handle::Command;
use crate::store::RowState;
use crate::types::{
    ChatSnapshot, DeskSnapshot, OutboxItem, RingingSnapshot, TransferAgent, TransferOptions,
    TransferSkill,
};
use chat_agent_api::{AgentSession, AgentsQuery, ChatRef, Limit};
use std::time::Instant;
use tokio::sync::oneshot::Sender as Reply;

impl Actor {
    /// One command. Only login and logout wait on the network here; every other request runs
    /// as a task and its reply is sent when it comes back.
    pub(crate) async fn handle(&mut self, cmd: Command) {
        match cmd {
            Command::Login(req, r) => {
                let out = self.login(req).await;
                let _ = r.send(out);
            }
            Command::Logout(r) => {
                let out = self.logout().await;
                let _ = r.send(out);
            }
            other => self.handle_now(other),
        }
    }

    fn handle_now(&mut self, cmd: Command) {
        match cmd {
            Command::Login(..) | Command::Logout(..) | Command::Shutdown(..) => {}
            Command::ActiveChatCount(r) => {
                let _ = r.send(self.active_count());
            }
            Command::SetAvailability(a, reason, r) => self.set_availability(a, reason, r),
            Command::Accept(r) => self.start_take(Some(r)),
            Command::ResyncNow(r) => {
                self.resync_now();
                let _ = r.send(());
            }
            Command::SetAutoAccept(on, r) => {
                self.auto_accept = on;
                let _ = r.send(());
            }
            Command::SendLine {
                chat,
                text,
                text_type,
                agent_only,
                card,
                reply,
            } => {
                let out = self.queue_line(chat, text, text_type, agent_only, card);
                let ok = out.is_ok();
                let _ = reply.send(out);
                if ok {
                    self.flush_outbox();
                }
            }
            Command::SubmitWrapUp(chat, answers, r) => self.submit_wrap_up(chat, answers, r),
            Command::Owner(r) => {
                let _ = r.send(self.owner.clone());
            }
            Command::SkipWrapUp(chat, r) => {
                let _ = r.send(self.skip_wrap_up(chat));
            }
            Command::RetryLine(id, r) => {
                let out = self.retry_row(&id);
                let _ = r.send(out);
                self.flush_outbox();
            }
            Command::EndChat(chat, r) => match self.chat_call(&chat) {
                Ok((agent, chat_ref)) => self.spawn_io(async move {
                    let out = agent
                        .end_chat(&chat_ref)
                        .await
                        .map_err(|e| engine_error(&e));
                    move |a: &mut Actor| {
                        if out.is_ok() {
                            a.jobs.timers.poll = Instant::now();
                        }
                        let _ = r.send(out.map(drop));
                    }
                }),
                Err(e) => {
                    let _ = r.send(Err(e));
                }
            },
            Command::TransferOptions(chat, r) => match self.chat_call(&chat) {
                Ok((agent, chat_ref)) => {
                    let me = self
                        .conn
                        .as_ref()
                        .map(|c| c.profile.agent_id.clone())
                        .unwrap_or_default();
                    tokio::spawn(async move {
                        let _ = r.send(transfer_options(&agent, &chat_ref, &me).await);
                    });
                }
                Err(e) => {
                    let _ = r.send(Err(e));
                }
            },
            Command::Transfer(chat, target, note, r) => self.transfer(chat, target, note, r),
            Command::SetTyping(chat, typing, r) => match self.chat_call(&chat) {
                Ok((agent, chat_ref)) => {
                    tokio::spawn(async move {
                        let out = agent
                            .set_agent_typing(&chat_ref, typing)
                            .await
                            .map_err(|e| engine_error(&e));
                        let _ = r.send(out);
                    });
                }
                Err(e) => {
                    let _ = r.send(Err(e));
                }
            },
            Command::SaveDraft(chat, text, r) => {
                let _ = r.send(self.store.save_draft(&chat, &text));
            }
            Command::Draft(chat, r) => {
                let _ = r.send(self.store.draft(&chat).ok().flatten());
            }
            Command::Setting(key, r) => {
                let _ = r.send(self.store.setting(&key).ok().flatten());
            }
            Command::SetSetting(key, value, r) => {
                let _ = r.send(self.store.set_setting(&key, &value));
            }
            Command::Snapshot(r) => {
                let _ = r.send(self.snapshot());
            }
        }
    }

    /// The agent session and a chat's reference, for a chat on the desk.
    fn chat_call(&self, chat: &str) -> Result<(AgentSession, ChatRef), EngineError> {
        let Some(c) = &self.conn else {
            return Err(EngineError::not_logged_in());
        };
        if !self.chats.contains_key(chat) {
            return Err(EngineError::new(
                ErrorCode::NotFound,
                "no such chat on this desk",
            ));
        }
        let r = c.agent.chat_ref(chat).map_err(|e| engine_error(&e))?;
        Ok((c.agent.clone(), r))
    }

    fn set_availability(
        &mut self,
        a: Availability,
        reason: Option<String>,
        r: Reply<Result<(), EngineError>>,
    ) {
        let Some(c) = &self.conn else {
            let _ = r.send(Err(EngineError::not_logged_in()));
            return;
        };
        if a == Availability::Offline {
            let _ = r.send(Err(EngineError::new(
                ErrorCode::InvalidInput,
                "Offline is not a chat availability; log out instead",
            )));
            return;
        }
        let agent = c.agent.clone();
        self.spawn_io(async move {
            let out = agent
                .set_availability(&convert::availability_wire(a), reason.as_deref())
                .await
                .map_err(|e| engine_error(&e));
            move |actor: &mut Actor| {
                if out.is_ok() {
                    actor.availability = Some(a);
                    actor.reason_id = reason.clone();
                    actor.emit(EngineEvent::Availability {
                        availability: a,
                        reason_id: reason,
                        by_server: false,
                    });
                }
                let _ = r.send(out.map(drop));
            }
        });
    }

    /// Takes the next ringing chat (for the agent, or for auto-accept with no reply to send).
    pub(crate) fn start_take(&mut self, reply: Option<Reply<Result<ChatKey, EngineError>>>) {
        let Some(c) = &self.conn else {
            if let Some(r) = reply {
                let _ = r.send(Err(EngineError::not_logged_in()));
            }
            return;
        };
        let now = Instant::now();
        if reply.is_none()
            && self
                .taking
                .is_some_and(|since| now.duration_since(since) < self.stale_after())
        {
            return;
        }
        self.taking = Some(now);
        let agent = c.agent.clone();
        let generation = self.jobs.generation;
        self.spawn_io(async move {
            let out = agent.take_chat().await;
            move |a: &mut Actor| {
                a.taking = None;
                let out = a.taken(generation, out);
                if reply.is_none() {
                    a.auto_take_failing =
                        matches!(&out, Err(e) if e.code != ErrorCode::NothingToAccept);
                }
                match (out, reply) {
                    (out, Some(r)) => {
                        let _ = r.send(out);
                    }
                    (Err(e), None) if e.code != ErrorCode::NothingToAccept => {
                        a.emit(EngineEvent::Error {
                            code: e.code,
                            message: e.message,
                            chat: None,
                        });
                    }
                    _ => {}
                }
            }
        });
    }

    fn taken(
        &mut self,
        generation: u64,
        out: Result<Option<ChatRef>, chat_agent_api::ApiError>,
    ) -> Result<ChatKey, EngineError> {
        match out {
            Ok(Some(r)) => {
                let key = r.key;
                tracing::info!(chat = %key, "chat accepted");
                if generation != self.jobs.generation || self.conn.is_none() {
                    // Taken for a session that is gone: the next continuity check brings it.
                    return Ok(key);
                }
                let mut entry = ChatEntry::new(&key, ChatOrigin::Accepted, 0);
                let now = super::now_ms();
                entry.summary.accepted_at = Some(now);
                // The API never names a chat's skill; an agent with one skill can only get that one.
                if let Some(c) = &self.conn
                    && let [only] = c.profile.skills.as_slice()
                {
                    entry.summary.skill = Some(only.name.clone());
                }
                if let Some(owner) = &self.owner {
                    // Recorded now (not at the first read) so that the accept time is right.
                    let _ = self.store.history_chat_seen(owner, &entry.summary, now);
                    let _ = self.store.history_chat_accepted(&key, now);
                }
                self.chats.insert(key.clone(), entry);
                if let Some(owner) = &self.owner
                    && let Some(e) = self.chats.get(&key)
                {
                    let _ = self.store.put_chat(owner, &e.row());
                }
                let was_ringing = self.ring.count > 0;
                self.ring = Default::default();
                self.emit(EngineEvent::ChatAccepted { chat: key.clone() });
                if was_ringing {
                    self.emit(EngineEvent::RingingStopped);
                }
                self.jobs.timers.poll = Instant::now();
                Ok(key)
            }
            Ok(None) => Err(EngineError::new(
                ErrorCode::NothingToAccept,
                "nothing is ringing",
            )),
            Err(e) => Err(engine_error(&e)),
        }
    }

    fn transfer(
        &mut self,
        chat: String,
        target: TransferTarget,
        note: Option<String>,
        r: Reply<Result<(), EngineError>>,
    ) {
        let (agent, chat_ref) = match self.chat_call(&chat) {
            Ok(v) => v,
            Err(e) => {
                let _ = r.send(Err(e));
                return;
            }
        };
        let id = match &target {
            TransferTarget::Skill { id } | TransferTarget::Agent { id } => id.trim().parse::<i64>(),
        };
        let Ok(id) = id else {
            let _ = r.send(Err(EngineError::new(
                ErrorCode::InvalidInput,
                "transfer target id must be a number",
            )));
            return;
        };
        let wire = match target {
            TransferTarget::Skill { .. } => chat_agent_api::TransferTarget::Skill(id),
            TransferTarget::Agent { .. } => chat_agent_api::TransferTarget::Agent(id),
        };
        self.spawn_io(async move {
            let out = agent.transfer(&chat_ref, wire, note.as_deref()).await;
            move |a: &mut Actor| {
                let result = match out {
                    Ok(()) => {
                        a.emit(EngineEvent::TransferResult {
                            chat: chat.clone(),
                            target,
                            ok: true,
                            message: None,
                        });
                        a.drop_chat(&chat, super::chats::LEFT_TRANSFERRED);
                        Ok(())
                    }
                    Err(e) => {
                        let msg = super::failure::short(&e.to_string());
                        a.emit(EngineEvent::TransferResult {
                            chat,
                            target,
                            ok: false,
                            message: Some(msg.clone()),
                        });
                        let code = if e.is_retryable() {
                            super::failure::code_of(&e)
                        } else {
                            ErrorCode::TransferFailed
                        };
                        Err(EngineError::new(code, msg))
                    }
                };
                let _ = r.send(result);
            }
        });
    }

    fn snapshot(&self) -> DeskSnapshot {
        let chats = self
            .chats
            .values()
            .filter(|c| c.active || !c.lines.is_empty())
            .map(|c| ChatSnapshot {
                summary: c.summary.clone(),
                // The whole transcript from the store (memory keeps the newest lines only).
                lines: self
                    .store
                    .lines(&c.summary.chat)
                    .unwrap_or_else(|_| c.lines.clone()),
                outbox: self
                    .outbox
                    .rows
                    .iter()
                    .filter(|r| r.chat == c.summary.chat && r.state != RowState::Sent)
                    .map(|r| OutboxItem {
                        local_id: r.local_id.clone(),
                        text: r.text.clone(),
                        text_type: r.text_type,
                        agent_only: r.agent_only,
                        state: if r.state == RowState::Failed {
                            OutboxState::Failed
                        } else {
                            OutboxState::Pending
                        },
                        error: r.error.clone(),
                    })
                    .collect(),
                visitor_typing: c.visitor_typing,
                draft: self.store.draft(&c.summary.chat).ok().flatten(),
                customer: self.wrap.customers.get(&c.summary.chat).cloned(),
            })
            .collect();
        DeskSnapshot {
            session: self.session_state,
            connection: if self.conn.is_some() {
                self.connection
            } else {
                ConnectionState::Offline
            },
            availability: self.availability,
            agent: self.conn.as_ref().map(|c| c.profile.clone()),
            ringing: (self.ring.count > 0).then_some(RingingSnapshot {
                count: self.ring.count,
                deadline: self.ring.deadline,
            }),
            chats,
            wrap_ups: self.wrap.pending(),
        }
    }
}

/// Skills and agents a chat can go to (`me` is left out of the agents).
async fn transfer_options(
    agent: &AgentSession,
    r: &ChatRef,
    me: &str,
) -> Result<TransferOptions, EngineError> {
    let skills = agent
        .transfer_skills(r)
        .await
        .map_err(|e| engine_error(&e))?;
    let agents = agent
        .available_agents(&AgentsQuery::default())
        .await
        .map_err(|e| engine_error(&e))?;
    Ok(TransferOptions {
        skills: skills
            .into_iter()
            .map(|s| TransferSkill {
                id: s.id.to_string(),
                name: s.name,
                online_agents: s.online_agents.unwrap_or(0).max(0) as u32,
            })
            .collect(),
        agents: agents
            .list()
            .iter()
            .filter(|a| a.id.to_string() != me)
            .map(|a| TransferAgent {
                id: a.id.to_string(),
                name: a
                    .nickname
                    .clone()
                    .or_else(|| a.user_name.clone())
                    .unwrap_or_default(),
                availability: a
                    .chat_state
                    .as_ref()
                    .map(convert::availability)
                    .unwrap_or(Availability::Offline),
                chats: a.chats.unwrap_or(0).max(0) as u32,
                max_chats: match a.max_chats {
                    Some(Limit::Max(n)) => Some(n.max(0) as u32),
                    _ => None,
                },
            })
            .collect(),
    })
}
