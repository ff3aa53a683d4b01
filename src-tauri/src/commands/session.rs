//! Logging in and out, demo mode, quitting.

use engine::events::AgentProfile;
use tauri::{AppHandle, Runtime, State};

use crate::desk::{Desk, LoginForm, LogoutOutcome, ResumeOutcome};
use crate::error::IpcResult;
use crate::exit::ExitDecision;

/// Logs in with the form; the token goes to the keychain and the login is remembered.
#[tauri::command]
pub async fn login(desk: State<'_, Desk>, form: LoginForm) -> IpcResult<AgentProfile> {
    desk.login(form).await
}

/// Logs in with the remembered token (skips the form) or says what to fill the form with.
#[tauri::command]
pub async fn try_resume(desk: State<'_, Desk>) -> IpcResult<ResumeOutcome> {
    desk.try_resume().await
}

/// Starts the embedded simulator (demo visitors) and logs in to it as `ann`.
#[tauri::command]
pub async fn start_demo(desk: State<'_, Desk>) -> IpcResult<AgentProfile> {
    desk.start_demo().await
}

/// Chats on the desk that a logout or quit returns to the queue.
#[tauri::command]
pub async fn active_chat_count(desk: State<'_, Desk>) -> IpcResult<u32> {
    Ok(desk.active_chat_count().await)
}

/// Logs out; with open chats and `confirmed: false` it only returns the count to warn about.
#[tauri::command]
pub async fn logout(desk: State<'_, Desk>, confirmed: bool) -> IpcResult<LogoutOutcome> {
    desk.logout(confirmed).await
}

/// Quits the app; with open chats and `confirmed: false` it only returns `mustWarn`.
#[tauri::command]
pub async fn quit<R: Runtime>(app: AppHandle<R>, confirmed: bool) -> IpcResult<ExitDecision> {
    Ok(crate::exit_flow::request_quit(&app, confirmed).await)
}
