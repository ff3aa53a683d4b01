//! Presence that follows the agent: screen lock, suspend and idle set Away; unlock, resume and
//! input again restore what the agent had, but only if the desk set Away itself (an agent who
//! chose Away stays Away). Resume from suspend also makes the engine resync at once.
//!
//! The decision is pure ([`Presence::decide`], table-tested); a [`PresenceSource`] turns the
//! platform's signals into [`Signal`]s (Linux: `presence_linux.rs`, D-Bus and X; Windows and
//! macOS: `presence_poll.rs` polling `presence_windows.rs` / `presence_macos.rs`); [`run`]
//! applies the decisions to the engine.

use std::collections::BTreeSet;
use std::sync::Arc;

use engine::EngineHandle;
use engine::events::{Availability, SessionState};
use tokio::sync::mpsc;

use crate::alert_settings::PresenceSettings;

/// Why the agent is away from the desk.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Cause {
    /// The screen is locked (or the screen saver runs).
    Locked,
    /// The computer is going to sleep.
    Suspended,
    /// No keyboard or mouse input for the idle time.
    Idle,
}

impl Cause {
    pub fn label(self) -> &'static str {
        match self {
            Cause::Locked => "screen locked",
            Cause::Suspended => "computer suspended",
            Cause::Idle => "idle",
        }
    }
}

/// What a presence source reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Signal {
    Began(Cause),
    Ended(Cause),
}

/// Where presence signals come from (one per platform).
pub trait PresenceSource: Send + 'static {
    /// Starts listening; signals go to `tx` until it closes. Must not block the caller. A missing
    /// service (no screen saver, no logind, no X) is normal: that signal just never comes.
    fn start(self: Box<Self>, tx: mpsc::UnboundedSender<Signal>);
}

/// What to do to the engine.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// Set Away, because of `cause`.
    SetAway { cause: Cause },
    /// Back to what the agent had before the desk set Away.
    Restore(Availability),
    /// Resync with the server at once (resume from suspend).
    ResyncNow,
}

/// The desk's memory of the Away it set.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Presence {
    /// The causes in effect (Away lasts until all have ended).
    causes: BTreeSet<Cause>,
    /// What to restore: set only when the desk itself set Away.
    restore: Option<Availability>,
}

impl Presence {
    /// Takes one signal, given the availability now (`None`: not logged in).
    pub fn decide(
        &mut self,
        signal: Signal,
        current: Option<Availability>,
        settings: &PresenceSettings,
    ) -> Vec<Action> {
        match signal {
            Signal::Began(cause) => {
                let enabled = match cause {
                    Cause::Locked => settings.away_on_lock,
                    Cause::Suspended => settings.away_on_suspend,
                    Cause::Idle => settings.idle_minutes.is_some(),
                };
                if !enabled {
                    return Vec::new();
                }
                self.causes.insert(cause);
                match current {
                    Some(now @ (Availability::Online | Availability::Occupied))
                        if self.restore.is_none() =>
                    {
                        self.restore = Some(now);
                        vec![Action::SetAway { cause }]
                    }
                    // Already Away (the agent's choice, or ours), or logged out: nothing to do.
                    _ => Vec::new(),
                }
            }
            Signal::Ended(cause) => {
                let mut actions = Vec::new();
                if cause == Cause::Suspended {
                    actions.push(Action::ResyncNow);
                }
                self.causes.remove(&cause);
                if !self.causes.is_empty() {
                    return actions;
                }
                if let Some(previous) = self.restore.take() {
                    // Only if it is still the Away we set: an agent who changed it meanwhile
                    // (or logged out) keeps what they chose.
                    if current == Some(Availability::Away) {
                        actions.push(Action::Restore(previous));
                    }
                }
                actions
            }
        }
    }
}

/// Reads the agent's presence settings as they are now.
pub type SettingsFn = Arc<dyn Fn() -> PresenceSettings + Send + Sync>;

/// Applies the source's signals to the engine until the source stops.
pub async fn run(
    engine: EngineHandle,
    settings: SettingsFn,
    mut rx: mpsc::UnboundedReceiver<Signal>,
) {
    let mut presence = Presence::default();
    while let Some(signal) = rx.recv().await {
        let snapshot = engine.snapshot().await;
        let current = (snapshot.session == SessionState::LoggedIn)
            .then_some(snapshot.availability)
            .flatten();
        let settings = settings();
        let actions = presence.decide(signal, current, &settings);
        tracing::info!(?signal, ?current, ?actions, "presence");
        for action in actions {
            let done = match action {
                Action::SetAway { cause } => {
                    tracing::info!(reason = cause.label(), "setting Away");
                    engine
                        .set_availability(Availability::Away, settings.away_reason_id.clone())
                        .await
                }
                Action::Restore(previous) => engine.set_availability(previous, None).await,
                Action::ResyncNow => {
                    engine.resync_now().await;
                    Ok(())
                }
            };
            if let Err(error) = done {
                tracing::warn!(?error, "presence change failed");
            }
        }
    }
}

/// Starts the platform's presence source and the task applying it (no source: nothing).
pub fn start(engine: EngineHandle, settings: SettingsFn) {
    let Some(source) = platform_source(settings.clone()) else {
        return;
    };
    let (tx, rx) = mpsc::unbounded_channel();
    source.start(tx);
    tauri::async_runtime::spawn(run(engine, settings, rx));
}

#[cfg(all(unix, not(target_os = "macos")))]
fn platform_source(settings: SettingsFn) -> Option<Box<dyn PresenceSource>> {
    Some(Box::new(crate::presence_linux::LinuxPresence::new(
        settings,
    )))
}

/// Windows: idle time and lock state polled (`presence_windows.rs`).
#[cfg(windows)]
fn platform_source(settings: SettingsFn) -> Option<Box<dyn PresenceSource>> {
    Some(Box::new(crate::presence_poll::PollingPresence::new(
        crate::presence_windows::WindowsProbe,
        settings,
    )))
}

/// macOS: idle time and lock state polled (`presence_macos.rs`).
#[cfg(target_os = "macos")]
fn platform_source(settings: SettingsFn) -> Option<Box<dyn PresenceSource>> {
    Some(Box::new(crate::presence_poll::PollingPresence::new(
        crate::presence_macos::MacProbe,
        settings,
    )))
}

/// Any other system: no presence source.
#[cfg(not(any(unix, windows)))]
fn platform_source(_settings: SettingsFn) -> Option<Box<dyn PresenceSource>> {
    None
}

#[cfg(test)]
#[path = "presence_tests.rs"]
mod tests;

#[cfg(all(test, unix, not(target_os = "macos")))]
#[path = "presence_bus_tests.rs"]
mod bus_tests;
