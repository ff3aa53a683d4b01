//! Login (with a password or the stored token), refresh, re-login on an expired bearer, logout.

use super::failure::{engine_error, short};
use super::jobs::Job;
use super::resume::{restore_login, token_of};
use super::{Actor, Conn, Teardown, Timers, chats::ChatEntry, chats::Me};
use crate::config::LoginRequest;
use crate::convert;
use crate::error::EngineError;
use crate::events::{
    AgentProfile, Availability, ChatOrigin, ConnectionState, EngineEvent, ErrorCode, SessionState,
    SkillRef,
};
use crate::secrets::{MemoryStore, StoredToken, token_key};
use crate::store::RowState;
use chat_agent_api::model::AgentInfo;
use chat_agent_api::{
    AgentSession, ApiClient, ApiError, Credentials, Limit, LoginSession, Password,
};
use std::sync::Arc;
use std::time::Instant;

/// The store key of one agent's local state (chats, outbox).
fn owner_of(req: &LoginRequest) -> String {
    token_key(req.server.as_str(), &req.account, &req.user)
}

impl Actor {
    pub(crate) async fn login(&mut self, req: LoginRequest) -> Result<AgentProfile, EngineError> {
        if let Some(c) = &self.conn {
            if c.request.user == req.user && c.request.account == req.account {
                return Ok(c.profile.clone());
            }
            return Err(EngineError::new(ErrorCode::InvalidInput, "log out first"));
        }
        self.set_session(SessionState::LoggingIn);
        match self.open(req).await {
            Ok(profile) => Ok(profile),
            Err(e) => {
                self.set_session(SessionState::LoggedOut);
                self.set_connection(ConnectionState::Offline, None, Some(e.message.clone()));
                Err(e)
            }
        }
    }

    async fn open(&mut self, mut req: LoginRequest) -> Result<AgentProfile, EngineError> {
        let key = token_key(req.server.as_str(), &req.account, &req.user);
        let mut builder = ApiClient::builder(req.server.clone(), req.account.clone())
            .timeout(self.cfg.request_timeout);
        if let Some(pem) = &req.extra_ca_pem {
            builder = builder.extra_root_certificates_pem(pem.as_bytes().to_vec());
        }
        let client = builder.build().map_err(|e| engine_error(&e))?;
        let password = req.password.take().map(Password::new);
        let login = match &password {
            // With a password always a fresh login (it replaces any stored token).
            Some(pw) => {
                let login = password_login(&client, &req.user, pw).await?;
                self.save_token(&key, token_of(&login, &req));
                login
            }
            None => self.resume_login(&client, &req, &key).await?,
        };
        let started = async {
            let agent = client.start_agent_session(&login).await?;
            let info = agent.info().await?;
            let availability = agent.availability().await?;
            Ok::<_, ApiError>((agent, info, availability))
        }
        .await;
        let (agent, info, availability) = match started {
            Ok(v) => v,
            Err(e) if password.is_none() && e.is_auth() => {
                return Err(self.stale_token(&key));
            }
            Err(e) => return Err(engine_error(&e)),
        };
        let profile = profile_of(info, &req);
        let owner = owner_of(&req);
        self.conn = Some(Conn {
            request: req,
            password,
            client,
            login,
            agent,
            profile: profile.clone(),
            token_key: key,
        });
        self.me = Me {
            agent_id: profile.agent_id.trim().parse().ok(),
        };
        self.load_local(&owner)?;
        self.owner = Some(owner);
        self.restore_wrap_ups();
        self.next_generation();
        self.outbox.sending.clear();
        self.jobs.timers = Timers::at(Instant::now(), &self.cfg);
        self.jobs.backoff.clear();
        self.outbox.backoff.clear();
        self.shown_retry_at = None;
        self.set_session(SessionState::LoggedIn);
        self.set_connection(ConnectionState::Online, None, None);
        let a = convert::availability(&availability.chat);
        self.availability = Some(a);
        self.reason_id = availability.chat_reason_id.clone();
        self.emit(EngineEvent::Availability {
            availability: a,
            reason_id: self.reason_id.clone(),
            by_server: false,
        });
        for row in self.outbox.rows.clone() {
            if matches!(
                row.state,
                RowState::Pending | RowState::InFlight | RowState::Check | RowState::Failed
            ) {
                self.emit_outbox(&row);
            }
        }
        Ok(profile)
    }

    /// A stored token: restored and refreshed (which proves it still works); a token that is
    /// missing, unusable or refused means `AuthExpired` (and a refused one is deleted).
    async fn resume_login(
        &mut self,
        client: &ApiClient,
        req: &LoginRequest,
        key: &str,
    ) -> Result<LoginSession, EngineError> {
        let needed = || {
            EngineError::new(
                ErrorCode::AuthExpired,
                "no stored login; the password is needed",
            )
        };
        let stored = match self.secrets.load(key) {
            Ok(Some(v)) => v,
            Ok(None) => return Err(needed()),
            Err(e) => {
                self.keychain_unavailable(&e.to_string());
                return Err(needed());
            }
        };
        let Ok(token) = serde_json::from_str::<StoredToken>(&stored) else {
            tracing::warn!("the stored login is unreadable; deleting it");
            return Err(self.stale_token(key));
        };
        let login = match restore_login(client, req, &token) {
            Ok(l) => l,
            Err(e) => {
                tracing::warn!(reason = %e, "the stored login cannot be restored; deleting it");
                return Err(self.stale_token(key));
            }
        };
        match client.refresh(&login).await {
            Ok(()) => {
                tracing::info!("resumed the stored login");
                Ok(login)
            }
            // Only a refusal of the token itself deletes it: a 429, a 408 or a 5xx says nothing
            // about the token, and deleting it would cost the agent a password entry.
            Err(e) if e.is_auth() || is_refusal(&e) => Err(self.stale_token(key)),
            Err(e) => Err(engine_error(&e)),
        }
    }

    /// The stored token no longer works: delete it; the front end asks for the password.
    fn stale_token(&mut self, key: &str) -> EngineError {
        if let Err(e) = self.secrets.delete(key) {
            tracing::warn!(error = %e, "could not delete the stale login token");
        }
        EngineError::new(
            ErrorCode::AuthExpired,
            "the stored login has expired; the password is needed",
        )
    }

    /// Keeps the token for the next start; a keychain that cannot be reached means memory only.
    fn save_token(&mut self, key: &str, token: StoredToken) {
        let Ok(json) = serde_json::to_string(&token) else {
            return;
        };
        if let Err(e) = self.secrets.save(key, &json) {
            self.keychain_unavailable(&e.to_string());
            let memory = Arc::new(MemoryStore::default());
            let _ = crate::secrets::SecretStore::save(memory.as_ref(), key, &json);
            self.secrets = memory;
        }
    }

    fn keychain_unavailable(&self, detail: &str) {
        tracing::warn!(
            detail,
            "keychain unavailable; the login token is kept in memory only"
        );
        self.emit(EngineEvent::Error {
            code: ErrorCode::KeychainUnavailable,
            message: format!(
                "The system keychain cannot be reached ({}); the login is kept in memory only.",
                short(detail)
            ),
            chat: None,
        });
    }

    /// Chats and outbox of this agent from the local database.
    fn load_local(&mut self, owner: &str) -> Result<(), EngineError> {
        self.chats.clear();
        for row in self.store.chats(owner)? {
            if row.active {
                let lines = self
                    .store
                    .last_lines(&row.summary.chat, super::chats::LINES_IN_MEMORY)?;
                let mut entry = ChatEntry::from_row(&row, ChatOrigin::Resumed, lines);
                // On the desk again only once Retrieve Chat Sessions confirms it is still ours.
                entry.active = false;
                self.chats.insert(row.summary.chat.clone(), entry);
            }
        }
        self.outbox.rows = self.store.outbox(owner)?;
        let now = Instant::now() + self.cfg.verify_grace;
        for row in &mut self.outbox.rows {
            if row.state == RowState::InFlight {
                // We stopped while sending it: check the chat before sending again.
                row.state = RowState::Check;
                self.outbox.check_after.insert(row.local_id.clone(), now);
            } else if row.state == RowState::Check {
                self.outbox.check_after.insert(row.local_id.clone(), now);
            }
        }
        Ok(())
    }

    /// The bearer stopped working: log in again with the password of this run (or give up and
    /// end the login), start a new agent session and restore the agent's availability, as a task.
    /// A failure that is not about the credentials makes the relogin job try again later.
    pub(crate) fn start_relogin(&mut self) {
        let generation = self.jobs.generation;
        let Some(c) = &self.conn else { return };
        let Some(pw) = c.password.clone() else {
            self.jobs.in_flight.remove(&Job::Relogin);
            self.auth_expired("the login expired; the password is needed");
            return;
        };
        let (client, user) = (c.client.clone(), c.request.user.clone());
        let wanted = self.wanted_availability();
        self.spawn_io(async move {
            let r = async {
                let login = client.login(&Credentials::user(&user, pw.expose())).await?;
                let agent = client.start_agent_session(&login).await?;
                restore_availability(&agent, wanted).await;
                Ok::<_, ApiError>((login, agent))
            }
            .await;
            move |a: &mut Actor| a.relogin_done(generation, r)
        });
    }

    fn relogin_done(&mut self, generation: u64, r: Result<(LoginSession, AgentSession), ApiError>) {
        if generation != self.jobs.generation {
            return;
        }
        match r {
            Ok((login, agent)) => {
                let Some(c) = self.conn.as_mut() else { return };
                let key = c.token_key.clone();
                let token = token_of(&login, &c.request);
                c.agent = agent;
                c.login = login;
                self.save_token(&key, token);
                self.jobs.timers.relogin = None;
                self.new_agent_session();
                self.set_connection(
                    ConnectionState::Online,
                    None,
                    Some("logged in again".into()),
                );
            }
            Err(ApiError::Http {
                status: 401 | 403, ..
            }) => self.auth_expired("wrong account, user name or password"),
            Err(e) => self.job_done(generation, Job::Relogin, Err(e)),
        }
    }

    /// The agent session answers 404 while the bearer still works (expired or restarted on the
    /// server): start a new one with the same bearer (as a task), keep every chat, restore
    /// availability and look for carried-over chats at once.
    pub(crate) fn start_renewal(&mut self) {
        let generation = self.jobs.generation;
        let Some(c) = &self.conn else { return };
        let (client, login) = (c.client.clone(), c.login.clone());
        let wanted = self.wanted_availability();
        self.spawn_io(async move {
            let r = async {
                let agent = client.start_agent_session(&login).await?;
                restore_availability(&agent, wanted).await;
                Ok::<_, ApiError>(agent)
            }
            .await;
            move |a: &mut Actor| a.renewal_done(generation, r)
        });
    }

    fn renewal_done(&mut self, generation: u64, r: Result<AgentSession, ApiError>) {
        if generation != self.jobs.generation {
            return;
        }
        match r {
            Ok(agent) => {
                tracing::info!("started a new agent session");
                let Some(c) = self.conn.as_mut() else { return };
                c.agent = agent;
                self.jobs.timers.renew = None;
                self.new_agent_session();
                self.set_connection(
                    ConnectionState::Online,
                    None,
                    Some("agent session renewed".into()),
                );
            }
            Err(e) => self.job_done(generation, Job::Renew, Err(e)),
        }
    }

    /// The availability to put back on a new agent session: the last one the agent had (as it
    /// chose it, or as the server set it), never Offline.
    fn wanted_availability(&self) -> Option<(Availability, Option<String>)> {
        self.availability
            .filter(|a| *a != Availability::Offline)
            .map(|a| (a, self.reason_id.clone()))
    }

    /// After any new agent session: what was out for the old one is dropped, every job is due
    /// now, continuity is looked for again.
    fn new_agent_session(&mut self) {
        self.next_generation();
        let now = Instant::now();
        self.jobs.timers.refresh = now + self.cfg.refresh_interval;
        self.jobs.timers.ringing = now;
        self.jobs.timers.poll = now;
        self.jobs.timers.availability = now + self.cfg.availability_interval;
        self.jobs.timers.chat_sessions = now;
        self.jobs.timers.chat_sessions_until = now + self.cfg.chat_sessions_window;
        self.jobs.backoff.clear();
        self.shown_retry_at = None;
    }

    fn auth_expired(&mut self, message: &str) {
        if let Some(key) = self.conn.as_ref().map(|c| c.token_key.clone()) {
            // the stored token is the one that just stopped working
            let _ = self.secrets.delete(&key);
        }
        self.emit(EngineEvent::Error {
            code: ErrorCode::AuthExpired,
            message: message.to_string(),
            chat: None,
        });
        self.teardown(Teardown::AuthExpired);
    }

    pub(crate) async fn logout(&mut self) -> Result<(), EngineError> {
        let Some(conn) = &self.conn else {
            return Err(EngineError::not_logged_in());
        };
        let (client, login, token_key) = (
            conn.client.clone(),
            conn.login.clone(),
            conn.token_key.clone(),
        );
        let count = self.active_count();
        if count > 0 {
            self.emit(EngineEvent::ChatsReturnedToQueue {
                count: count as u32,
            });
        }
        self.set_session(SessionState::LoggingOut);
        let result = client.logout(&login).await;
        let _ = self.secrets.delete(&token_key);
        self.teardown(Teardown::LoggedOut);
        result.map_err(|e| engine_error(&e))
    }
}

/// A 4xx that refuses the stored token itself (not a rate limit or a timeout).
fn is_refusal(e: &ApiError) -> bool {
    matches!(
        e,
        ApiError::Http {
            status: 400..=499,
            ..
        }
    ) && !matches!(
        e,
        ApiError::Http {
            status: 408 | 429,
            ..
        }
    )
}

/// Puts the wanted availability on a new agent session (a new session may start Online, Offline
/// or anything); a failure is only logged: the availability job reads back what the server has.
async fn restore_availability(
    agent: &AgentSession,
    wanted: Option<(Availability, Option<String>)>,
) {
    let Some((a, reason)) = wanted else { return };
    match agent
        .set_availability(&convert::availability_wire(a), reason.as_deref())
        .await
    {
        Ok(_) => {
            tracing::info!(availability = ?a, "availability restored on the new agent session")
        }
        Err(e) => tracing::warn!(error = %short(&e.to_string()), "could not restore availability"),
    }
}

async fn password_login(
    client: &ApiClient,
    user: &str,
    pw: &Password,
) -> Result<LoginSession, EngineError> {
    let creds = Credentials::user(user, pw.expose());
    match client.login(&creds).await {
        Ok(l) => Ok(l),
        Err(ApiError::Http {
            status: 401 | 403, ..
        }) => Err(EngineError::new(
            ErrorCode::BadCredentials,
            "wrong account, user name or password",
        )),
        Err(e) => Err(engine_error(&e)),
    }
}

fn profile_of(info: AgentInfo, req: &LoginRequest) -> AgentProfile {
    let max_chats = match info.max_chats {
        Some(Limit::Max(n)) => Some(n.max(0) as u32),
        _ => None,
    };
    AgentProfile {
        account: req.account.clone(),
        login_name: info.login_name.clone().unwrap_or_else(|| req.user.clone()),
        nickname: info
            .display_name
            .or(info.agent_name)
            .unwrap_or_else(|| req.user.clone()),
        agent_id: info.id.map(|i| i.to_string()).unwrap_or_default(),
        max_chats,
        skills: info
            .skills_info
            .map(|s| s.skill_info.into_vec())
            .unwrap_or_default()
            .into_iter()
            .map(|s| SkillRef {
                id: s.id.to_string(),
                name: s.name,
            })
            .collect(),
    }
}
