//! The shell's state, managed by Tauri: the engine handle plus what only the desktop needs
//! (settings, tray/title indicators, the embedded demo simulator).

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use engine::events::{AgentProfile, ErrorCode, SessionState};
use engine::{EngineHandle, LoginRequest};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use url::Url;

use crate::error::{IpcError, IpcResult, internal};
use crate::indicators::{Chrome, Indicators};
use crate::settings::{RememberedLogin, Settings, SettingsFile};
use crate::ui_events::UnreadCounts;

/// The demo agent the embedded simulator knows (docs/contracts.md §1), unless
/// `AGENT_DESK_DEMO_USER` names another.
pub const DEMO_USER: &str = "ann";

/// The demo simulator's CA certificate (PEM), written to the data folder at each demo start.
pub const DEMO_CA_FILE: &str = "demo-ca.pem";

/// The login form (the arguments of `login`).
#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[ts(export_to = "../../../ui/src/bindings/")]
pub struct LoginForm {
    /// Base URL of the domain lookup (e.g. `https://adminlogin.liveperson.net`).
    pub server: String,
    pub account: String,
    pub user: String,
    pub password: String,
    /// Extra trusted root certificate(s), PEM text, for a server whose certificate a private CA
    /// signed (e.g. `agent-desk-sim --tls`). Added to the built-in roots; blank = none.
    #[serde(default)]
    #[ts(optional)]
    pub extra_ca_pem: Option<String>,
}

/// The PEM text the agent pasted, `None` when blank.
pub fn pasted_pem(text: Option<String>) -> Option<String> {
    text.map(|pem| pem.trim().to_owned())
        .filter(|pem| !pem.is_empty())
}

/// What `try_resume` found.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export_to = "../../../ui/src/bindings/")]
pub struct ResumeOutcome {
    /// Logged in with the remembered token: skip the form.
    pub agent: Option<AgentProfile>,
    /// The remembered login, to fill the form when the token no longer works.
    pub remembered: Option<RememberedLogin>,
}

/// What `logout` did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export_to = "../../../ui/src/bindings/")]
pub struct LogoutOutcome {
    /// False when chats are open and the agent has not confirmed yet: warn, then call again with
    /// `confirmed: true`.
    pub logged_out: bool,
    /// Chats the server returns to the queue on logout.
    pub active_chat_count: u32,
}

/// Everything the commands reach.
pub struct Desk {
    pub engine: EngineHandle,
    /// Responses and history, on their own connections (see `library.rs`).
    pub library: crate::library::Library,
    /// Alert latency samples for the diagnostics view (`latency.rs`).
    pub latency: crate::latency::LatencyLog,
    settings_file: SettingsFile,
    settings: Mutex<Settings>,
    indicators: Mutex<Indicators>,
    /// What the title and tray show now.
    shown: Mutex<Option<Chrome>>,
    /// The `seq` of the unread counts last sent to the UI.
    unread_sent: Mutex<Option<u64>>,
    demo: tokio::sync::Mutex<Option<simulator::Simulator>>,
    /// Held by a login in progress, so `try_resume` waits for a demo login started at launch.
    login_gate: Arc<tokio::sync::Mutex<()>>,
    quitting: AtomicBool,
}

impl Desk {
    pub fn new(engine: EngineHandle, settings_file: SettingsFile) -> Self {
        let settings = settings_file.load();
        Self {
            engine,
            library: crate::library::Library::new(Some(settings_file.dir().to_path_buf())),
            latency: crate::latency::LatencyLog::default(),
            settings_file,
            settings: Mutex::new(settings),
            indicators: Mutex::new(Indicators::default()),
            shown: Mutex::new(None),
            unread_sent: Mutex::new(None),
            demo: tokio::sync::Mutex::new(None),
            login_gate: Arc::new(tokio::sync::Mutex::new(())),
            quitting: AtomicBool::new(false),
        }
    }

    /// The indicators (title, tray); a poisoned lock is recovered (the data stays usable).
    pub fn indicators(&self) -> MutexGuard<'_, Indicators> {
        self.indicators
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// The title/tray content if it differs from what is shown (and records it as shown).
    pub fn chrome_to_show(&self) -> Option<Chrome> {
        let chrome = self.indicators().chrome();
        let mut shown = self
            .shown
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if shown.as_ref() == Some(&chrome) {
            return None;
        }
        *shown = Some(chrome.clone());
        Some(chrome)
    }

    /// Forgets what the title and tray show, so the next refresh writes it again (a new window).
    pub fn forget_shown_chrome(&self) {
        *self
            .shown
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner()) = None;
        *self
            .unread_sent
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner()) = None;
    }

    /// The unread counts if they changed since last sent to the UI (and records them as sent).
    pub fn unread_to_send(&self) -> Option<UnreadCounts> {
        let counts = self.indicators().unread_counts();
        let mut sent = self
            .unread_sent
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if *sent == Some(counts.seq) {
            return None;
        }
        *sent = Some(counts.seq);
        Some(counts)
    }

    pub fn settings(&self) -> Settings {
        self.lock_settings().clone()
    }

    fn lock_settings(&self) -> MutexGuard<'_, Settings> {
        self.settings
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Changes the settings, stores them, and returns the new ones.
    pub fn update_settings(&self, change: impl FnOnce(&mut Settings)) -> IpcResult<Settings> {
        let mut settings = self.lock_settings();
        change(&mut settings);
        self.settings_file
            .save(&settings)
            .map_err(|e| IpcError::new(ErrorCode::Storage, format!("saving settings: {e}")))?;
        Ok(settings.clone())
    }

    /// Logs in with the form, and remembers where and as whom for the next start.
    pub async fn login(&self, form: LoginForm) -> IpcResult<AgentProfile> {
        let _gate = self.login_gate.lock().await;
        let server = parse_server(&form.server)?;
        let extra_ca_pem = pasted_pem(form.extra_ca_pem);
        let remembered = RememberedLogin {
            server: server.to_string(),
            account: form.account.clone(),
            user: form.user.clone(),
            extra_ca_pem: extra_ca_pem.clone(),
        };
        let request = LoginRequest {
            server,
            account: form.account,
            user: form.user,
            password: Some(form.password),
            extra_ca_pem,
        };
        let agent = self.engine.login(request).await?;
        self.update_settings(|s| s.remembered = Some(remembered))?;
        Ok(agent)
    }

    /// Already logged in (demo mode at launch, a reloaded page): that agent. Else logs in with the
    /// token the keychain remembers, if any.
    pub async fn try_resume(&self) -> IpcResult<ResumeOutcome> {
        let _gate = self.login_gate.lock().await;
        let snapshot = self.engine.snapshot().await;
        if snapshot.session == SessionState::LoggedIn && snapshot.agent.is_some() {
            return Ok(ResumeOutcome {
                agent: snapshot.agent,
                remembered: self.settings().remembered,
            });
        }
        let Some(remembered) = self.settings().remembered else {
            return Ok(ResumeOutcome {
                agent: None,
                remembered: None,
            });
        };
        let request = LoginRequest {
            server: parse_server(&remembered.server)?,
            account: remembered.account.clone(),
            user: remembered.user.clone(),
            password: None,
            extra_ca_pem: pasted_pem(remembered.extra_ca_pem.clone()),
        };
        match self.engine.login(request).await {
            Ok(agent) => Ok(ResumeOutcome {
                agent: Some(agent),
                remembered: Some(remembered),
            }),
            Err(e) if matches!(e.code, ErrorCode::AuthExpired | ErrorCode::BadCredentials) => {
                tracing::info!(code = ?e.code, "remembered login no longer works; showing the form");
                Ok(ResumeOutcome {
                    agent: None,
                    remembered: Some(remembered),
                })
            }
            Err(e) => Err(e),
        }
    }

    /// Starts the embedded simulator with its demo visitors (once) and logs in to it as `ann`.
    pub async fn start_demo(&self) -> IpcResult<AgentProfile> {
        let gate = self.login_gate.clone().lock_owned().await;
        self.start_demo_gated(gate).await
    }

    /// Holds the login gate now (before the UI can ask `try_resume`); `start_demo_gated` releases it.
    pub fn hold_login_gate(&self) -> Option<tokio::sync::OwnedMutexGuard<()>> {
        self.login_gate.clone().try_lock_owned().ok()
    }

    /// `start_demo` with the gate already held.
    pub async fn start_demo_gated(
        &self,
        _gate: tokio::sync::OwnedMutexGuard<()>,
    ) -> IpcResult<AgentProfile> {
        // Knobs for tests and benchmarks (launch.rs): fixed port, visitors off, another agent.
        let options = crate::launch::DemoOptions::from_env();
        let (server, account, ca_pem) = if let Some((server, ca_file)) = &options.server {
            let ca_pem = match ca_file {
                Some(path) => Some(std::fs::read_to_string(path).map_err(|e| {
                    internal(format!(
                        "reading the demo server's CA ({}): {e}",
                        path.display()
                    ))
                })?),
                None => None,
            };
            tracing::info!(url = %server, "demo mode: logging in to a simulator running elsewhere");
            (
                server.clone(),
                simulator::accounts::ACCOUNT_ID.to_owned(),
                ca_pem,
            )
        } else {
            let mut demo = self.demo.lock().await;
            if demo.is_none() {
                // Over https like the real service, with a certificate the simulator makes at
                // start; its CA is the one extra root the engine trusts for the demo.
                let config = simulator::SimConfig {
                    demo: options.visitors,
                    port: options.port,
                    tls: true,
                    ..Default::default()
                };
                let sim = simulator::Simulator::start(config)
                    .await
                    .map_err(|e| internal(format!("starting the demo server: {e}")))?;
                tracing::info!(url = %sim.base_url(), "demo simulator started");
                if let Some(pem) = sim.ca_pem() {
                    // For tools and tests that talk to the demo's `/_sim/` routes (not a secret:
                    // the CA's certificate only, its key never leaves the simulator).
                    let path = self.settings_file.dir().join(DEMO_CA_FILE);
                    if let Err(error) = std::fs::create_dir_all(self.settings_file.dir())
                        .and_then(|()| std::fs::write(&path, pem))
                    {
                        tracing::warn!(%error, path = %path.display(), "could not write the demo CA");
                    }
                }
                *demo = Some(sim);
            }
            match demo.as_ref() {
                Some(sim) => (
                    sim.base_url().to_string(),
                    sim.account_id().to_string(),
                    sim.ca_pem().map(str::to_owned),
                ),
                None => return Err(internal("demo server missing")),
            }
        };
        let request = LoginRequest {
            server: parse_server(&server)?,
            account,
            user: options.user.clone(),
            password: Some(options.password()),
            extra_ca_pem: ca_pem,
        };
        let agent = self.engine.login(request).await?;
        // The demo agent goes Online at once so the demo visitors' chats ring: starting an agent
        // session leaves the availability as it was (Offline), on the simulator as on the service.
        self.engine
            .set_availability(engine::Availability::Online, None)
            .await?;
        Ok(agent)
    }

    /// Logs out unless chats are open and the agent has not confirmed.
    pub async fn logout(&self, confirmed: bool) -> IpcResult<LogoutOutcome> {
        let active_chat_count = self.active_chat_count().await;
        if let crate::exit::ExitDecision::MustWarn { .. } =
            crate::exit::decide_exit(active_chat_count, 0, confirmed)
        {
            return Ok(LogoutOutcome {
                logged_out: false,
                active_chat_count,
            });
        }
        // The engine deletes the stored token; the remembered server/account/user stay, to fill the form.
        self.engine.logout().await?;
        Ok(LogoutOutcome {
            logged_out: true,
            active_chat_count,
        })
    }

    pub async fn active_chat_count(&self) -> u32 {
        u32::try_from(self.engine.active_chat_count().await).unwrap_or(u32::MAX)
    }

    /// Turns auto-accept on or off in the engine and in the stored settings.
    pub async fn set_auto_accept(&self, on: bool) -> IpcResult<Settings> {
        self.engine.set_auto_accept(on).await;
        self.update_settings(|s| s.auto_accept = on)
    }

    /// Marks the app as quitting (closing the window then really closes it).
    pub fn begin_quit(&self) {
        self.quitting.store(true, Ordering::SeqCst);
    }

    pub fn is_quitting(&self) -> bool {
        self.quitting.load(Ordering::SeqCst)
    }

    /// Stops the engine (flushing the outbox) and the demo server.
    pub async fn stop(&self) {
        self.engine.shutdown().await;
        if let Some(sim) = self.demo.lock().await.take() {
            sim.shutdown().await;
        }
    }
}

/// The lookup base the agent typed; a bare host gets `https://`.
pub fn parse_server(text: &str) -> IpcResult<Url> {
    let text = text.trim();
    let with_scheme = if text.contains("://") {
        text.to_owned()
    } else {
        format!("https://{text}")
    };
    Url::parse(&with_scheme).map_err(|e| {
        IpcError::new(
            ErrorCode::InvalidInput,
            format!("server address {text:?}: {e}"),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn server_gets_https_when_bare() {
        assert_eq!(
            parse_server("adminlogin.liveperson.net").unwrap().as_str(),
            "https://adminlogin.liveperson.net/"
        );
        assert_eq!(
            parse_server(" http://127.0.0.1:8787 ").unwrap().as_str(),
            "http://127.0.0.1:8787/"
        );
        assert_eq!(
            parse_server("http://").unwrap_err().code,
            ErrorCode::InvalidInput
        );
    }
}
