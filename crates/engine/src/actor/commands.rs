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

impl Actor {
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
            Command::ActiveChatCount(r) => {
                let _ = r.send(self.active_count());
            }
            Command::SetAvailability(a, reason, r) => {
                let out = self.set_availability(a, reason).await;
                let _ = r.send(out);
            }
            Command::Accept(r) => {
                let out = self.take_chat().await;
                let _ = r.send(out);
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
                reply,
            } => {
                let out = self.queue_line(chat, text, text_type, agent_only);
                let ok = out.is_ok();
                let _ = reply.send(out);
                if ok {
                    self.flush_outbox().await;
                }
            }
            Command::RetryLine(id, r) => {
                let out = self.retry_row(&id);
                let _ = r.send(out);
                self.flush_outbox().await;
            }
            Command::EndChat(chat, r) => {
                let out = self.end_chat(&chat).await;
                let _ = r.send(out);
            }
            Command::TransferOptions(chat, r) => {
                let out = self.transfer_options(&chat).await;
                let _ = r.send(out);
            }
            Command::Transfer(chat, target, note, r) => {
                let out = self.transfer(&chat, target, note).await;
                let _ = r.send(out);
            }
            Command::SetTyping(chat, typing, r) => {
                let out = match self.chat_call(&chat) {
                    Ok((agent, chat_ref)) => agent
                        .set_agent_typing(&chat_ref, typing)
                        .await
                        .map_err(|e| engine_error(&e)),
                    Err(e) => Err(e),
                };
                let _ = r.send(out);
            }
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
            Command::Shutdown(r) => {
                let _ = r.send(());
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

    async fn set_availability(
        &mut self,
        a: Availability,
        reason: Option<String>,
    ) -> Result<(), EngineError> {
        let Some(c) = &self.conn else {
            return Err(EngineError::not_logged_in());
        };
        if a == Availability::Offline {
            return Err(EngineError::new(
                ErrorCode::InvalidInput,
                "Offline is not a chat availability; log out instead",
            ));
        }
        c.agent
            .set_availability(&convert::availability_wire(a), reason.as_deref())
            .await
            .map_err(|e| engine_error(&e))?;
        self.availability = Some(a);
        self.reason_id = reason.clone();
        self.emit(EngineEvent::Availability {
            availability: a,
            reason_id: reason,
            by_server: false,
        });
        Ok(())
    }

    /// Takes the next ringing chat.
    pub(crate) async fn take_chat(&mut self) -> Result<ChatKey, EngineError> {
        let Some(c) = &self.conn else {
            return Err(EngineError::not_logged_in());
        };
        match c.agent.take_chat().await {
            Ok(Some(r)) => {
                let key = r.key;
                tracing::info!(chat = %key, "chat accepted");
                self.chats
                    .insert(key.clone(), ChatEntry::new(&key, ChatOrigin::Accepted, 0));
                if let Some(owner) = &self.owner
                    && let Some(e) = self.chats.get(&key)
                {
                    let _ = self.store.put_chat(owner, &e.row());
                }
                self.ring = Default::default();
                self.emit(EngineEvent::ChatAccepted { chat: key.clone() });
                self.emit(EngineEvent::RingingStopped);
                self.timers.poll = std::time::Instant::now();
                Ok(key)
            }
            Ok(None) => Err(EngineError::new(
                ErrorCode::NothingToAccept,
                "nothing is ringing",
            )),
            Err(e) => Err(engine_error(&e)),
        }
    }

    async fn end_chat(&mut self, chat: &str) -> Result<(), EngineError> {
        let (agent, r) = self.chat_call(chat)?;
        agent.end_chat(&r).await.map_err(|e| engine_error(&e))?;
        self.timers.poll = std::time::Instant::now();
        Ok(())
    }

    async fn transfer_options(&mut self, chat: &str) -> Result<TransferOptions, EngineError> {
        let (agent, r) = self.chat_call(chat)?;
        let skills = agent
            .transfer_skills(&r)
            .await
            .map_err(|e| engine_error(&e))?;
        let agents = agent
            .available_agents(&AgentsQuery::default())
            .await
            .map_err(|e| engine_error(&e))?;
        let me = self
            .conn
            .as_ref()
            .map(|c| c.profile.agent_id.clone())
            .unwrap_or_default();
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

    async fn transfer(
        &mut self,
        chat: &str,
        target: TransferTarget,
        note: Option<String>,
    ) -> Result<(), EngineError> {
        let (agent, r) = self.chat_call(chat)?;
        let id = match &target {
            TransferTarget::Skill { id } | TransferTarget::Agent { id } => id.trim().parse::<i64>(),
        }
        .map_err(|_| {
            EngineError::new(
                ErrorCode::InvalidInput,
                "transfer target id must be a number",
            )
        })?;
        let wire = match target {
            TransferTarget::Skill { .. } => chat_agent_api::TransferTarget::Skill(id),
            TransferTarget::Agent { .. } => chat_agent_api::TransferTarget::Agent(id),
        };
        match agent.transfer(&r, wire, note.as_deref()).await {
            Ok(()) => {
                self.emit(EngineEvent::TransferResult {
                    chat: chat.to_string(),
                    target,
                    ok: true,
                    message: None,
                });
                self.drop_chat(chat, "transferred");
                Ok(())
            }
            Err(e) => {
                let msg = super::failure::short(&e.to_string());
                self.emit(EngineEvent::TransferResult {
                    chat: chat.to_string(),
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
        }
    }

    fn snapshot(&self) -> DeskSnapshot {
        let chats = self
            .chats
            .values()
            .filter(|c| c.active || !c.lines.is_empty())
            .map(|c| ChatSnapshot {
                summary: c.summary.clone(),
                lines: c.lines.clone(),
                outbox: self
                    .outbox
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
        }
    }
}
