//! Quitting and logging out from the UI or the tray, following `exit::decide_exit`.

use engine::events::{Availability, OutboxState};
use tauri::{AppHandle, Emitter, Manager, Runtime};

use crate::alert_settings::QuitPresence;
use crate::desk::Desk;
use crate::exit::{ExitDecision, decide_exit, warning_text};
use crate::ui_events::{LOGOUT_REQUESTED, LeaveRequested, QUIT_REQUESTED};
use crate::window::MAIN;

/// How long quitting waits for the outbox to flush.
const FLUSH_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(5);

/// Decides; unless the agent must be warned first, stops the engine (flushing) and exits.
pub async fn request_quit<R: Runtime>(app: &AppHandle<R>, confirmed: bool) -> ExitDecision {
    let Some(desk) = app.try_state::<Desk>() else {
        app.exit(0);
        return ExitDecision::MayQuitNow;
    };
    let active = desk.active_chat_count().await;
    let snapshot = desk.engine.snapshot().await;
    let pending = snapshot
        .chats
        .iter()
        .flat_map(|chat| &chat.outbox)
        .filter(|item| item.state == OutboxState::Pending)
        .count();
    let decision = decide_exit(
        active,
        u32::try_from(pending).unwrap_or(u32::MAX),
        confirmed,
    );
    tracing::info!(?decision, "quit requested");
    if !matches!(decision, ExitDecision::MustWarn { .. }) {
        desk.begin_quit();
        let app = app.clone();
        tauri::async_runtime::spawn(async move {
            if let Some(desk) = app.try_state::<Desk>()
                && tokio::time::timeout(FLUSH_TIMEOUT, leave(&desk))
                    .await
                    .is_err()
            {
                tracing::warn!("the engine did not stop in time; quitting anyway");
            }
            app.exit(0);
        });
    }
    decision
}

/// What quitting does on the server, then stops the engine (flushing the outbox): never leaves
/// the agent Online with nobody polling (the server would keep routing chats to them until the
/// offer window flips them Away, and keep their open chats until `chatTimeout`).
async fn leave(desk: &Desk) {
    let logged_in = desk.engine.snapshot().await.session == engine::events::SessionState::LoggedIn;
    if logged_in {
        let presence = desk.settings().alerts.presence;
        let done = match presence.on_quit {
            QuitPresence::Away => {
                tracing::info!("quitting: setting Away");
                desk.engine
                    .set_availability(Availability::Away, presence.away_reason_id)
                    .await
            }
            QuitPresence::LogOut => {
                tracing::info!("quitting: logging out");
                desk.engine.logout().await
            }
        };
        if let Err(error) = done {
            tracing::warn!(?error, "could not leave cleanly before quitting");
        }
    }
    desk.stop().await;
}

/// Quit from the tray: quits, or shows the window and asks the UI to warn.
pub fn quit_from_tray<R: Runtime>(app: &AppHandle<R>) {
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        if let ExitDecision::MustWarn { active_chats } = request_quit(&app, false).await {
            ask_ui(&app, QUIT_REQUESTED, active_chats);
        }
    });
}

/// Log out from the tray: logs out, or shows the window and asks the UI to warn.
pub fn logout_from_tray<R: Runtime>(app: &AppHandle<R>) {
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        let Some(desk) = app.try_state::<Desk>() else {
            return;
        };
        match desk.logout(false).await {
            Ok(outcome) if !outcome.logged_out => {
                ask_ui(&app, LOGOUT_REQUESTED, outcome.active_chat_count);
            }
            Ok(_) => tracing::info!("logged out from the tray"),
            Err(error) => tracing::warn!(?error, "logout from the tray failed"),
        }
    });
}

fn ask_ui<R: Runtime>(app: &AppHandle<R>, event: &str, active_chat_count: u32) {
    crate::window::show(app);
    let payload = LeaveRequested {
        active_chat_count,
        message: warning_text(active_chat_count),
    };
    if let Err(error) = app.emit_to(MAIN, event, payload) {
        tracing::warn!(%error, event, "could not ask the UI to confirm");
    }
}
