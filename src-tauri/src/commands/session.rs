//! Logging in and out, demo mode, quitting.

use engine::events::AgentProfile;
use serde::Deserialize;
use tauri::{AppHandle, Runtime, State};
use ts_rs::TS;

use crate::desk::{Desk, LoginForm, LogoutOutcome, ResumeOutcome};
use crate::error::IpcResult;
use crate::exit::ExitDecision;

/// Logs in with the form (the command's arguments); the token goes to the keychain and the login is
/// remembered.
#[tauri::command]
pub async fn login(desk: State<'_, Desk>, args: LoginForm) -> IpcResult<AgentProfile> {
    desk.login(args).await
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

/// Arguments of `logout`.
#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[ts(export_to = "../../../ui/src/bindings/")]
pub struct LogoutArgs {
    /// The agent saw the warning about open chats (or there are none).
    pub confirmed: bool,
}

/// Logs out; with open chats and `confirmed: false` it only returns the count to warn about.
#[tauri::command]
pub async fn logout(desk: State<'_, Desk>, args: LogoutArgs) -> IpcResult<LogoutOutcome> {
    desk.logout(args.confirmed).await
}

/// Arguments of `quit`.
#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[ts(export_to = "../../../ui/src/bindings/")]
pub struct QuitArgs {
    /// The agent saw the warning about open chats (or there are none).
    pub confirmed: bool,
}

/// Quits the app; with open chats and `confirmed: false` it only returns `mustWarn`.
#[tauri::command]
pub async fn quit<R: Runtime>(app: AppHandle<R>, args: QuitArgs) -> IpcResult<ExitDecision> {
    Ok(crate::exit_flow::request_quit(&app, args.confirmed).await)
}
