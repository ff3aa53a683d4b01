//! The typed control API: start the server, drive visitors, inject faults, move the clock.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::Value;
use tokio::task::JoinHandle;

use crate::accounts::{ACCOUNT_ID, agent_index};
use crate::config::SimConfig;
use crate::error::SimError;
use crate::faults::{Fault, FaultKind};
use crate::requests::RequestRecord;
use crate::routing::run_timers;
use crate::shared::Shared;
use crate::state::SimState;
use crate::survey::SubmittedSurvey;
use crate::tls::{TlsListener, TlsSetup};
use crate::visitor::{self, ChatExtras, StartChat};
use crate::{api, control_http, demo};

/// A running simulator on 127.0.0.1. Dropping it (or [`Simulator::shutdown`]) stops the server.
#[derive(Debug)]
pub struct Simulator {
    shared: Arc<Shared>,
    base_url: String,
    addr: SocketAddr,
    tls: Option<TlsSetup>,
    tasks: Mutex<Vec<JoinHandle<()>>>,
}

impl Simulator {
    /// Binds 127.0.0.1:`cfg.port` (0 = a free port) and serves on the current tokio runtime.
    /// Also starts the background timers and, with `cfg.demo`, the demo visitors. With
    /// `cfg.tls` it first makes a CA and a server certificate and serves https only.
    pub async fn start(cfg: SimConfig) -> Result<Simulator, SimError> {
        let tls = if cfg.tls {
            Some(crate::tls::setup(cfg.tls_cert)?)
        } else {
            None
        };
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", cfg.port)).await?;
        let addr = listener.local_addr()?;
        let scheme = if tls.is_some() { "https" } else { "http" };
        let base_url = format!("{scheme}://127.0.0.1:{}", addr.port());
        let shared = Arc::new(Shared::new(SimState::new(cfg.clone(), base_url.clone())));
        let mut tasks = vec![serve(listener, tls.as_ref(), shared.clone())];
        if cfg.background_timers {
            let sh = shared.clone();
            tasks.push(tokio::spawn(async move {
                loop {
                    tokio::time::sleep(Duration::from_millis(250)).await;
                    run_timers(&mut sh.lock());
                }
            }));
        }
        if cfg.demo {
            tasks.push(tokio::spawn(demo::run(shared.clone(), cfg.demo_speed)));
        }
        Ok(Simulator {
            shared,
            base_url,
            addr,
            tls,
            tasks: Mutex::new(tasks),
        })
    }

    /// `http://127.0.0.1:PORT` (or `https://…` in the https mode): the lookup base to give the
    /// client.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// True in the https mode.
    pub fn is_tls(&self) -> bool {
        self.tls.is_some()
    }

    /// The PEM of the CA certificate that signed the server certificate (https mode only): the
    /// one extra root a client needs to trust this simulator.
    pub fn ca_pem(&self) -> Option<&str> {
        self.tls.as_ref().map(|t| t.ca_pem.as_str())
    }

    /// https mode: connections whose first bytes were not TLS (a plain `http://` request gets a
    /// 400 text answer and is never handled or logged as an API request). 0 otherwise.
    pub fn plain_http_attempts(&self) -> usize {
        self.tls.as_ref().map_or(0, |t| {
            t.stats
                .plain_http
                .load(std::sync::atomic::Ordering::Relaxed)
        })
    }

    /// https mode: TLS handshakes that failed (e.g. the client refused the certificate).
    pub fn tls_handshake_failures(&self) -> usize {
        self.tls.as_ref().map_or(0, |t| {
            t.stats
                .handshake_failures
                .load(std::sync::atomic::Ordering::Relaxed)
        })
    }

    /// The bound address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The account id (`90412345`).
    pub fn account_id(&self) -> &'static str {
        ACCOUNT_ID
    }

    /// Starts a visitor chat (routed at once); returns its chatSessionKey.
    pub async fn start_chat(&self, req: StartChat) -> Result<String, SimError> {
        visitor::start_chat(&mut self.shared.lock(), req)
    }

    /// Starts a visitor chat with extras: an SSO-authenticated customer (spec §4.27 body; its
    /// `participantId` is kept or made, and shows in chat info) and/or a survey mode.
    pub async fn start_chat_with(
        &self,
        req: StartChat,
        extras: ChatExtras,
    ) -> Result<String, SimError> {
        visitor::start_chat_with(&mut self.shared.lock(), req, extras)
    }

    /// The participant id of the chat's visitor (`None` unless authenticated).
    pub async fn participant_id(&self, key: &str) -> Result<Option<String>, SimError> {
        let st = self.shared.lock();
        let ci = st
            .chat_index(key)
            .ok_or_else(|| SimError::UnknownChat(key.into()))?;
        Ok(st.chats[ci].participant_id.clone())
    }

    /// A visitor `rich-content` line: `text` plus the structured card `json`, kept as given
    /// (malformed cards included) and served in the line event's `json`.
    pub async fn visitor_rich_line(
        &self,
        key: &str,
        text: &str,
        json: Value,
    ) -> Result<(), SimError> {
        visitor::rich_line(&mut self.shared.lock(), key, text, json)
    }

    /// The agent's accepted survey submission for the chat (`None` before any).
    pub async fn survey_answers(&self, key: &str) -> Result<Option<SubmittedSurvey>, SimError> {
        visitor::survey_answers(&self.shared.lock(), key)
    }

    /// A visitor line.
    pub async fn visitor_line(&self, key: &str, text: &str) -> Result<(), SimError> {
        visitor::line(&mut self.shared.lock(), key, text)
    }

    /// Visitor typing on/off (shows in chat info and `info/visitorTyping`).
    pub async fn visitor_typing(&self, key: &str, typing: bool) -> Result<(), SimError> {
        visitor::typing(&mut self.shared.lock(), key, typing)
    }

    /// Renames the visitor (shows in chat info and `info/visitorName`).
    pub async fn set_visitor_name(&self, key: &str, name: &str) -> Result<(), SimError> {
        visitor::set_name(&mut self.shared.lock(), key, name)
    }

    /// The visitor leaves: state `ended`.
    pub async fn visitor_leave(&self, key: &str) -> Result<(), SimError> {
        visitor::leave(&mut self.shared.lock(), key)
    }

    /// The chat's events as the visitor sees them (agent-only lines excluded), `@` keys.
    pub async fn visitor_view(&self, key: &str) -> Result<Vec<Value>, SimError> {
        visitor::view(&self.shared.lock(), key)
    }

    /// `"waiting" | "chatting" | "ended"`.
    pub async fn chat_state(&self, key: &str) -> Result<String, SimError> {
        visitor::state(&self.shared.lock(), key)
    }

    /// `"Online" | "Away" | "Occupied" | "Offline"`.
    pub async fn agent_availability(&self, login_name: &str) -> Result<String, SimError> {
        let st = self.shared.lock();
        let i = agent_index(login_name).ok_or_else(|| SimError::UnknownAgent(login_name.into()))?;
        Ok(st.agents[i].availability.as_str().to_string())
    }

    /// Every agent session of the agent disappears on the server while its bearer stays valid
    /// (agent-session resources answer 404; chats stay the agent's; see `routing`).
    pub async fn lose_agent_sessions(&self, login_name: &str) -> Result<(), SimError> {
        let mut st = self.shared.lock();
        let i = agent_index(login_name).ok_or_else(|| SimError::UnknownAgent(login_name.into()))?;
        crate::routing::lose_agent_sessions(&mut st, i);
        Ok(())
    }

    /// For load tests: `count` chats of `skill` (None = Sales) already held by the agent, owned
    /// by no agent session, so the agent's session picks them up through `chatSessions`.
    pub async fn assign_chats(
        &self,
        login_name: &str,
        skill: Option<&str>,
        count: usize,
    ) -> Result<Vec<String>, SimError> {
        let mut st = self.shared.lock();
        let i = agent_index(login_name).ok_or_else(|| SimError::UnknownAgent(login_name.into()))?;
        visitor::assign_chats(&mut st, i, skill, count)
    }

    /// How many chats the agent is chatting in.
    pub async fn agent_chats(&self, login_name: &str) -> Result<usize, SimError> {
        let st = self.shared.lock();
        let i = agent_index(login_name).ok_or_else(|| SimError::UnknownAgent(login_name.into()))?;
        Ok(st.agent_chat_count(i))
    }

    /// Adds a fault. `ExpireBearer` acts at once on every bearer issued so far.
    pub async fn inject_fault(&self, fault: Fault) {
        let mut st = self.shared.lock();
        if fault.kind == FaultKind::ExpireBearer {
            for l in &mut st.logins {
                l.expired = true;
            }
        } else {
            st.faults.add(fault);
        }
    }

    /// Removes every pending fault.
    pub async fn clear_faults(&self) {
        self.shared.lock().faults.clear();
    }

    /// Moves the simulator clock forward and runs the timers (offer window, chatTimeout).
    pub async fn advance_clock(&self, by: Duration) {
        let mut st = self.shared.lock();
        st.clock.advance(by);
        run_timers(&mut st);
    }

    /// Current simulator time, epoch ms.
    pub fn now_ms(&self) -> i64 {
        self.shared.lock().now()
    }

    /// Every API request so far (not `/_sim/` ones).
    pub async fn requests(&self) -> Vec<RequestRecord> {
        self.shared.lock().log.clone()
    }

    /// Stops the server, the timers and the demo.
    pub async fn shutdown(&self) {
        self.abort_all();
    }

    fn abort_all(&self) {
        let tasks = std::mem::take(&mut *self.tasks.lock().unwrap_or_else(|e| e.into_inner()));
        for t in tasks {
            t.abort();
        }
    }
}

/// Serves the API and the control routes on `listener` (through TLS when `tls` is given).
fn serve(
    listener: tokio::net::TcpListener,
    tls: Option<&TlsSetup>,
    shared: Arc<Shared>,
) -> JoinHandle<()> {
    let app = control_http::router()
        .fallback(api::handle)
        .with_state(shared);
    match tls {
        None => tokio::spawn(async move {
            if let Err(e) = axum::serve(listener, app).await {
                tracing::error!("simulator server stopped: {e}");
            }
        }),
        Some(setup) => {
            let listener = TlsListener::new(listener, setup.clone());
            tokio::spawn(async move {
                if let Err(e) = axum::serve(listener, app).await {
                    tracing::error!("simulator server stopped: {e}");
                }
            })
        }
    }
}

impl Simulator {
    /// The server goes down as in a restart or a network cut: new connections are refused (the
    /// port is closed) and requests on connections still open die without an answer. The state
    /// stays; timers keep running (chats time out as they would). Typed API only.
    pub async fn go_down(&self) {
        self.shared.lock().down = true;
        let server = {
            let mut tasks = self.tasks.lock().unwrap_or_else(|e| e.into_inner());
            match tasks.first_mut() {
                Some(t) => std::mem::replace(t, tokio::spawn(async {})),
                None => return,
            }
        };
        server.abort();
        // Wait until the task (and with it the listener) is gone: the port is closed after this.
        let _ = server.await;
    }

    /// The server is back on the same port with the same state.
    pub async fn come_back(&self) -> Result<(), SimError> {
        let listener = tokio::net::TcpListener::bind(self.addr).await?;
        self.shared.lock().down = false;
        let server = serve(listener, self.tls.as_ref(), self.shared.clone());
        let mut tasks = self.tasks.lock().unwrap_or_else(|e| e.into_inner());
        if tasks.is_empty() {
            tasks.push(server);
        } else {
            tasks[0] = server;
        }
        Ok(())
    }
}

impl Drop for Simulator {
    fn drop(&mut self) {
        self.abort_all();
    }
}

impl Simulator {
    /// A visitor line cut in the middle of an emoji, as a Java server truncating text writes it:
    /// every API reply that includes the line carries `text` followed by the escape `\ud83d`
    /// with no low surrogate after it (spec §9 quirk 16). The visitor view shows U+FFFD there.
    pub async fn visitor_line_truncated(&self, key: &str, text: &str) -> Result<(), SimError> {
        visitor::line_truncated(&mut self.shared.lock(), key, text)
    }
}
