//! Forwards the engine's events to the UI as the `engine-event` Tauri event, and keeps the title,
//! tray and notifications in step with them.

use engine::events::{EngineEvent, TextType};
use tauri::{AppHandle, Emitter, Manager, Runtime};
use tokio::sync::broadcast::{self, error::RecvError};

use crate::desk::Desk;
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
    let Some(desk) = app.try_state::<Desk>() else {
        return;
    };
    let alert = desk.indicators().apply(&event);
    crate::window::refresh(app);
    if let Some(alert) = alert {
        let text = crate::notify::notification_text(&alert, desk.settings().muted);
        let app = app.clone();
        crate::notify::show(text, move |chat| {
            let _ = app.clone().run_on_main_thread({
                let app = app.clone();
                move || crate::window::reveal_chat(&app, chat)
            });
        });
    }
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
