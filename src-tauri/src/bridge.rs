//! Forwards the engine's events to the UI as the `engine-event` Tauri event, and keeps the title,
//! tray and notifications in step with them.

use engine::events::{EngineEvent, EpochMs, LineSource, TextType};
use tauri::{AppHandle, Emitter, Manager, Runtime};
use tokio::sync::broadcast::{self, error::RecvError};

use crate::desk::Desk;
use crate::indicators::Alert;
use crate::latency::Series;
use crate::ui_events::{ENGINE_EVENT, ENGINE_LAGGED, EngineLagged};

/// Runs until the engine's event stream closes.
pub fn spawn<R: Runtime>(app: AppHandle<R>, mut events: broadcast::Receiver<EngineEvent>) {
    tauri::async_runtime::spawn(async move {
        loop {
            match events.recv().await {
                Ok(event) => forward(&app, event),
                Err(RecvError::Lagged(missed)) => {
                    tracing::warn!(
                        missed,
                        "UI bridge fell behind the engine; asking the UI to resync"
                    );
                    let missed = u32::try_from(missed).unwrap_or(u32::MAX);
                    if let Err(error) = app.emit(ENGINE_LAGGED, EngineLagged { missed }) {
                        tracing::warn!(%error, "could not emit engine-lagged");
                    }
                }
                Err(RecvError::Closed) => {
                    tracing::info!("engine event stream closed");
                    break;
                }
            }
        }
    });
}

/// One event: to the UI, then to the indicators (title, tray) and notifications.
pub fn forward<R: Runtime>(app: &AppHandle<R>, event: EngineEvent) {
    let event = for_ui(event);
    if let Err(error) = app.emit(ENGINE_EVENT, &event) {
        tracing::warn!(%error, "could not forward an engine event");
    }
    if let Some(input) = crate::ring_driver::RingDriver::input_of(&event)
        && let Some(ring) = app.try_state::<crate::ring_driver::RingDriver>()
    {
        ring.send(input);
    }
    let Some(desk) = app.try_state::<Desk>() else {
        return;
    };
    // Alert latency (issue 9 §4): the server's stamp of a visitor line, kept for its notification.
    let line_time = note_latency(&desk, &event);
    let (alert, context) = {
        let mut indicators = desk.indicators();
        let alert = indicators.apply(&event);
        let context = crate::alerts::Context {
            availability: indicators.availability(),
            window_focused: indicators.window_focused(),
            muted: false,
        };
        (alert, context)
    };
    crate::window::refresh(app);
    match alert {
        // The ring driver escalates rings.
        None | Some(Alert::Ringing { .. }) => {}
        Some(alert) => deliver(app, &desk, &alert, context, line_time),
    }
}

/// Records what the engine measured and the ring's start and end; returns a visitor line's server
/// time (its notification's latency is taken when the notification is up).
fn note_latency(desk: &Desk, event: &EngineEvent) -> Option<EpochMs> {
    let latency = &desk.latency;
    match event {
        EngineEvent::Line(line) if line.source == LineSource::Visitor => {
            if let (Some(seen), Some(ms)) = (line.seen_at, line.latency_ms) {
                latency.record(Series::LineSeen, seen, ms);
            }
            line.seen_at.and(line.time)
        }
        EngineEvent::Ringing {
            seen_at: Some(seen),
            ..
        } => {
            latency.ring_seen(*seen);
            None
        }
        EngineEvent::ChatAccepted { .. } => {
            latency.accepted(crate::timing::now_ms());
            None
        }
        EngineEvent::RingingStopped => {
            latency.ring_over();
            None
        }
        _ => None,
    }
}

/// Shows an alert as the agent's preferences say.
fn deliver<R: Runtime>(
    app: &AppHandle<R>,
    desk: &Desk,
    alert: &Alert,
    context: crate::alerts::Context,
    line_time: Option<EpochMs>,
) {
    let settings = desk.settings();
    let context = crate::alerts::Context {
        muted: !crate::sound::audible(&settings),
        ..context
    };
    let delivery = crate::alerts::delivery(alert, &settings.alerts.events, context);
    if let Some(tone) = delivery.tone
        && let Some(sound) = app.try_state::<crate::sound::Sound>()
    {
        sound.alert(tone, &settings);
    }
    if delivery.attention
        && let Some(window) = app.get_webview_window(crate::window::MAIN)
        && let Err(error) =
            window.request_user_attention(Some(tauri::UserAttentionType::Informational))
    {
        tracing::debug!(%error, "could not request the window's attention");
    }
    if !delivery.notification {
        return;
    }
    let mut text = crate::notify::notification_text(alert, delivery.sound);
    crate::ring_driver::strip_sound_hint(app, &mut text);
    let shown_app = app.clone();
    let app = app.clone();
    crate::notify::show(
        text,
        move |chat| {
            let _ = app.clone().run_on_main_thread({
                let app = app.clone();
                move || crate::window::reveal_chat(&app, chat)
            });
        },
        move || {
            if let Some(time) = line_time
                && let Some(desk) = shown_app.try_state::<Desk>()
            {
                let now = crate::timing::now_ms();
                desk.latency.record(Series::LineNotified, now, now - time);
            }
        },
    );
}

/// What crosses into the webview. Visitor HTML was cleaned by the engine; it is cleaned again here
/// (idempotent) so that nothing the engine might miss in future reaches the DOM.
pub fn for_ui(event: EngineEvent) -> EngineEvent {
    match event {
        EngineEvent::Line(mut line) if line.text_type == TextType::Html => {
            line.text = engine::sanitize::clean_html(&line.text);
            EngineEvent::Line(line)
        }
        other => other,
    }
}
