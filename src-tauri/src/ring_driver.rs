//! Runs the escalating ring (`ring.rs`): one task takes the engine's ring events and the window's
//! focus, wakes when the next step falls due, and performs the effects in order: notifications
//! shown, replaced and closed on the session bus (on blocking threads, never the GTK main thread),
//! the tone (a message to the sound thread, `sound.rs`), and the window's attention request.

use std::time::Duration;

use engine::events::{Availability, EngineEvent, EpochMs};
use tauri::{AppHandle, Manager, Runtime, UserAttentionType};
use tokio::sync::mpsc;

use crate::desk::Desk;
use crate::ring::{Effect, RingAlerts, RingInput, RingPlan};
use crate::sound::{Output, Sound};
use crate::timing::now_ms;

/// The notification's `sound-name` hint is the second path for a tone: dropped while the desk's
/// own player reaches an audio output, so a desktop that plays hints does not sound it twice.
pub fn strip_sound_hint<R: Runtime>(
    app: &AppHandle<R>,
    text: &mut crate::notify::NotificationText,
) {
    if app
        .try_state::<Sound>()
        .is_some_and(|sound| sound.output() == Output::Working)
    {
        text.sound = None;
    }
}

/// The handle the bridge and the window feed; managed by Tauri.
pub struct RingDriver {
    tx: mpsc::UnboundedSender<RingInput>,
}

impl RingDriver {
    pub fn send(&self, input: RingInput) {
        // The task ends only with the app.
        let _ = self.tx.send(input);
    }

    /// The ring input an engine event carries, if any.
    pub fn input_of(event: &EngineEvent) -> Option<RingInput> {
        match event {
            EngineEvent::Ringing {
                count, deadline, ..
            } => Some(RingInput::Ringing {
                count: *count,
                deadline: *deadline,
            }),
            EngineEvent::RingingStopped | EngineEvent::ChatAccepted { .. } => {
                Some(RingInput::Stopped)
            }
            EngineEvent::Session { state, .. }
                if *state != engine::events::SessionState::LoggedIn =>
            {
                Some(RingInput::Stopped)
            }
            _ => None,
        }
    }
}

/// Starts the ring task and manages its handle.
pub fn start<R: Runtime>(app: &AppHandle<R>) {
    let (tx, rx) = mpsc::unbounded_channel();
    app.manage(RingDriver { tx });
    tauri::async_runtime::spawn(run(app.clone(), rx));
}

/// The agent's current choices for the ring.
fn plan_of<R: Runtime>(app: &AppHandle<R>) -> RingPlan {
    let Some(desk) = app.try_state::<Desk>() else {
        return RingPlan {
            ring: Default::default(),
            choice: crate::alert_settings::AlertPrefs::default().ring,
            muted: false,
            quiet: false,
        };
    };
    let settings = desk.settings();
    let away = desk.indicators().availability() == Some(Availability::Away);
    RingPlan {
        ring: settings.alerts.ring.clone(),
        choice: settings.alerts.events.ring,
        muted: !crate::sound::audible(&settings),
        quiet: settings.alerts.events.quiet_while_away && away,
    }
}

async fn run<R: Runtime>(app: AppHandle<R>, mut rx: mpsc::UnboundedReceiver<RingInput>) {
    let mut alerts = RingAlerts::default();
    loop {
        let plan = plan_of(&app);
        let wake = alerts.next_wake(now_ms(), &plan);
        let effects = tokio::select! {
            input = rx.recv() => match input {
                Some(input) => alerts.input(input, now_ms(), &plan),
                None => break,
            },
            () = sleep_until(wake) => alerts.due(now_ms(), &plan),
        };
        for effect in effects {
            perform(&app, &mut alerts, effect).await;
        }
    }
}

/// Sleeps until the epoch-ms instant (forever when `None`).
async fn sleep_until(at: Option<EpochMs>) {
    match at {
        Some(at) => {
            let ms = at.saturating_sub(now_ms()).max(0) as u64;
            tokio::time::sleep(Duration::from_millis(ms)).await;
        }
        None => std::future::pending().await,
    }
}

async fn perform<R: Runtime>(app: &AppHandle<R>, alerts: &mut RingAlerts, effect: Effect) {
    match effect {
        Effect::Show(mut text) => {
            strip_sound_hint(app, &mut text);
            let replaces = alerts.notification();
            let on_open = {
                let app = app.clone();
                move |chat| {
                    let target = app.clone();
                    let _ = app.run_on_main_thread(move || {
                        crate::window::reveal_chat(&target, chat);
                    });
                }
            };
            tracing::info!(summary = %text.summary, critical = text.critical, sound = ?text.sound, "ring step");
            let shown = tauri::async_runtime::spawn_blocking(move || {
                crate::notify::show_blocking(text, replaces, on_open)
            })
            .await;
            if let Ok(Some(id)) = shown {
                alerts.shown(id);
                // The ring's first notification is up: ring → notification (issue 9 §4).
                if let Some(desk) = app.try_state::<Desk>() {
                    desk.latency.ring_notified(now_ms());
                }
            }
        }
        Effect::Close(id) => {
            tracing::info!(id, "ring over: closing its notification");
            let _ = tauri::async_runtime::spawn_blocking(move || crate::notify::close_blocking(id))
                .await;
        }
        Effect::Sound(tone) => {
            if let (Some(sound), Some(desk)) = (app.try_state::<Sound>(), app.try_state::<Desk>()) {
                sound.alert(tone, &desk.settings());
            }
        }
        Effect::Silence => {
            if let Some(sound) = app.try_state::<Sound>() {
                sound.stop();
            }
        }
        Effect::Attention(on) => {
            if let Some(window) = app.get_webview_window(crate::window::MAIN) {
                let kind = on.then_some(UserAttentionType::Critical);
                if let Err(error) = window.request_user_attention(kind) {
                    tracing::debug!(%error, "could not request the window's attention");
                }
            }
        }
    }
}
