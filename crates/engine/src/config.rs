//! How an engine is set up, and what a login asks for.

use crate::secrets::SecretStoreKind;
use std::fmt;
use std::path::PathBuf;
use std::time::Duration;
use url::Url;

/// The engine's settings. `EngineConfig::default()` suits the desktop app.
#[derive(Debug, Clone)]
pub struct EngineConfig {
    /// Folder of the SQLite database; `None` = the platform's data folder.
    pub data_dir: Option<PathBuf>,
    /// Where the login token is kept between runs.
    pub secrets: SecretStoreKind,
    /// Tick of the poll loop: one multi-chat request per tick (spec: ~2 s; default 1 s).
    pub poll_interval: Duration,
    /// How often ringing (incoming requests) is checked; default 1 s.
    pub ringing_interval: Duration,
    /// How often availability is read back, to notice the server switching the agent to Away.
    pub availability_interval: Duration,
    /// Retrieve Chat Sessions cadence after a login (never below 2 s) …
    pub chat_sessions_interval: Duration,
    /// … and for how long after the login it keeps looking for chats of another device.
    pub chat_sessions_window: Duration,
    /// Refresh of the login (spec §3.3: every 3–5 min).
    pub refresh_interval: Duration,
    /// Take every ringing chat without waiting for `accept`.
    pub auto_accept: bool,
    /// Most chat keys in one Retrieve Data for Multiple Chats request.
    pub batch_size: usize,
    /// Upper bound of any one request.
    pub request_timeout: Duration,
    /// Multiplies every retry delay of the policy (1.0 in production; tests shorten it).
    pub backoff_scale: f64,
    /// How long after an ambiguous send failure the chat is checked before any resend.
    pub verify_grace: Duration,
    /// Tries of a line before it is marked failed (the agent can retry it).
    pub max_send_attempts: u32,
    /// Size of the event channel.
    pub event_capacity: usize,
    /// How long a chat that left the desk (ended, transferred, lost) stays in memory once nothing
    /// of it is pending (no unsent line, no open wrap-up): then only the local database keeps it
    /// (history and transcript), and the snapshot no longer lists it.
    pub ended_chat_memory: Duration,
    /// Diagnostics: log whole events, chat text and visitor names included. Off by default (on
    /// with `AGENT_DESK_LOG_CHAT_TEXT=1`): logs carry event kinds and chat keys only.
    pub log_chat_text: bool,
}

impl Default for EngineConfig {
    fn default() -> Self {
        Self {
            data_dir: None,
            secrets: SecretStoreKind::default(),
            poll_interval: Duration::from_secs(1),
            ringing_interval: Duration::from_secs(1),
            availability_interval: Duration::from_secs(3),
            chat_sessions_interval: Duration::from_secs(3),
            chat_sessions_window: Duration::from_secs(30),
            refresh_interval: Duration::from_secs(240),
            auto_accept: false,
            batch_size: 25,
            request_timeout: Duration::from_secs(15),
            backoff_scale: 1.0,
            verify_grace: Duration::from_millis(1500),
            max_send_attempts: 8,
            event_capacity: 8192,
            ended_chat_memory: Duration::from_secs(600),
            log_chat_text: std::env::var("AGENT_DESK_LOG_CHAT_TEXT").is_ok_and(|v| v == "1"),
        }
    }
}

impl EngineConfig {
    /// The data folder: `data_dir`, or the platform's (`~/.local/share/agent-desk` on Linux).
    pub fn resolved_data_dir(&self) -> Option<PathBuf> {
        self.data_dir.clone().or_else(|| {
            directories::ProjectDirs::from("net", "agent-desk", "agent-desk")
                .map(|d| d.data_dir().to_path_buf())
        })
    }
}

/// Who logs in, where. `password: None` resumes with the token stored in the keychain.
#[derive(Clone)]
pub struct LoginRequest {
    /// Base URL of the domain lookup service (`https://adminlogin.liveperson.net`, or a simulator).
    pub server: Url,
    /// Account (site) id.
    pub account: String,
    /// Login name.
    pub user: String,
    /// The password; held in memory for this run only (to log in again when the bearer expires).
    pub password: Option<String>,
    /// Extra trusted root certificate(s), PEM text (one or several `CERTIFICATE` blocks), for a
    /// server whose certificate a private CA signed (e.g. `agent-desk-sim --tls`). Added to the
    /// built-in roots; nothing else about certificate checking is relaxed. `None` = built-in
    /// roots only.
    pub extra_ca_pem: Option<String>,
}

impl fmt::Debug for LoginRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LoginRequest")
            .field("server", &self.server.as_str())
            .field("account", &self.account)
            .field("user", &self.user)
            .field("password", &self.password.as_ref().map(|_| "[redacted]"))
            .field(
                "extra_ca_pem",
                &self
                    .extra_ca_pem
                    .as_ref()
                    .map(|p| format!("[PEM, {} bytes]", p.len())),
            )
            .finish()
    }
}
