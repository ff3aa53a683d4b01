//! Login (with a password or the stored token), refresh, re-login on an expired bearer, logout.

use super::failure::{engine_error, short};
use super::resume::{restore_login, token_of};
use super::{Actor, Conn, Timers, chats::ChatEntry};
use crate::config::LoginRequest;
use crate::convert;
use crate::error::EngineError;
use crate::events::{
    AgentProfile, ChatOrigin, ConnectionState, EngineEvent, ErrorCode, OutboxState, SessionState,
    SkillRef,
};
use crate::secrets::{MemoryStore, StoredToken, token_key};
use crate::store::RowState;
use chat_agent_api::model::AgentInfo;
use chat_agent_api::{ApiClient, ApiError, Credentials, Limit, LoginSession, Password};
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
        let client = ApiClient::with_timeout(
            req.server.clone(),
            req.account.clone(),
            self.cfg.request_timeout,
        )
        .map_err(|e| engine_error(&e))?;
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
        self.load_local(&owner)?;
        self.owner = Some(owner);
        self.timers = Timers::at(Instant::now(), &self.cfg);
        self.retry_until = None;
        self.attempt = 0;
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
        for row in self.outbox.clone() {
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
            Err(e)
                if e.is_auth()
                    || matches!(
                        e,
                        ApiError::Http {
                            status: 400..=499,
                            ..
                        }
                    ) =>
            {
                Err(self.stale_token(key))
            }
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
                let lines = self.store.lines(&row.summary.chat)?;
                let mut entry = ChatEntry::from_row(&row, ChatOrigin::Resumed, lines);
                // On the desk again only once Retrieve Chat Sessions confirms it is still ours.
                entry.active = false;
                self.chats.insert(row.summary.chat.clone(), entry);
            }
        }
        self.outbox = self.store.outbox(owner)?;
        let now = Instant::now() + self.cfg.verify_grace;
        for row in &mut self.outbox {
            if row.state == RowState::InFlight {
                // We stopped while sending it: check the chat before sending again.
                row.state = RowState::Check;
                self.check_after.insert(row.local_id.clone(), now);
            } else if row.state == RowState::Check {
                self.check_after.insert(row.local_id.clone(), now);
            }
        }
        Ok(())
    }

    pub(crate) async fn refresh(&mut self) -> Result<(), chat_agent_api::ApiError> {
        let Some(c) = &self.conn else { return Ok(()) };
        c.client.refresh(&c.login).await?;
        self.timers.refresh = Instant::now() + self.cfg.refresh_interval;
        Ok(())
    }

    /// The bearer stopped working: log in again with the password of this run, or give up.
    pub(crate) async fn relogin(&mut self) {
        let Some(pw) = self.conn.as_ref().and_then(|c| c.password.clone()) else {
            return self.auth_expired("the login expired; the password is needed");
        };
        self.connection = ConnectionState::Reauthenticating;
        self.emit(EngineEvent::Connection {
            state: ConnectionState::Reauthenticating,
            retry_at: None,
            detail: None,
        });
        let Some(c) = self.conn.as_mut() else { return };
        let user = c.request.user.clone();
        let fresh = async {
            let login = password_login(&c.client, &user, &pw).await?;
            let agent = c
                .client
                .start_agent_session(&login)
                .await
                .map_err(|e| engine_error(&e))?;
            Ok::<_, EngineError>((login, agent))
        }
        .await;
        match fresh {
            Ok((login, agent)) => {
                let key = c.token_key.clone();
                let token = token_of(&login, &c.request);
                c.agent = agent;
                c.login = login;
                self.save_token(&key, token);
                let now = Instant::now();
                self.timers.refresh = now + self.cfg.refresh_interval;
                self.timers.chat_sessions = now;
                self.timers.chat_sessions_until = now + self.cfg.chat_sessions_window;
                self.retry_until = None;
                self.attempt = 0;
                self.set_connection(
                    ConnectionState::Online,
                    None,
                    Some("logged in again".into()),
                );
            }
            Err(e) if e.code == ErrorCode::BadCredentials => self.auth_expired(&e.message),
            Err(e) => {
                let wait = self.cfg.poll_interval.mul_f64(2.0);
                self.retry_until = Some(Instant::now() + wait);
                self.set_connection(
                    ConnectionState::Retrying,
                    Some(super::ms_at(Instant::now() + wait)),
                    Some(e.message),
                );
            }
        }
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
        self.conn = None;
        self.set_session(SessionState::LoggedOut);
        self.set_connection(ConnectionState::Offline, None, Some(message.to_string()));
    }

    pub(crate) async fn logout(&mut self) -> Result<(), EngineError> {
        let Some(conn) = self.conn.take() else {
            return Err(EngineError::not_logged_in());
        };
        let count = self.active_count();
        if count > 0 {
            self.emit(EngineEvent::ChatsReturnedToQueue {
                count: count as u32,
            });
        }
        self.conn = Some(conn);
        self.set_session(SessionState::LoggingOut);
        let Some(conn) = self.conn.take() else {
            return Ok(());
        };
        let result = conn.client.logout(&conn.login).await;
        let _ = self.secrets.delete(&conn.token_key);
        if let Some(owner) = self.owner.take() {
            self.store.deactivate_all(&owner)?;
        }
        let keys: Vec<_> = self
            .chats
            .iter()
            .filter(|(_, c)| c.active)
            .map(|(k, _)| k.clone())
            .collect();
        for chat in keys {
            self.emit(EngineEvent::ChatRemoved {
                chat,
                reason: "loggedOut".into(),
            });
        }
        self.chats.clear();
        for mut row in std::mem::take(&mut self.outbox) {
            if matches!(
                row.state,
                RowState::Pending | RowState::Check | RowState::InFlight
            ) {
                row.state = RowState::Failed;
                row.error = Some("logged out before it was sent".into());
                let _ = self.store.outbox_update(&row);
                self.emit(EngineEvent::Outbox {
                    chat: row.chat.clone(),
                    local_id: row.local_id.clone(),
                    text: row.text.clone(),
                    state: OutboxState::Failed,
                    event_id: None,
                    error: row.error.clone(),
                });
            }
        }
        self.ring = Default::default();
        self.availability = None;
        self.set_session(SessionState::LoggedOut);
        self.set_connection(ConnectionState::Offline, None, None);
        result.map_err(|e| engine_error(&e))
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
