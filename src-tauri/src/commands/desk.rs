//! The desk as a whole: availability, the snapshot, settings, which chat is open.

use engine::events::{Availability, ChatKey};
use engine::types::DeskSnapshot;
use tauri::{AppHandle, Runtime, State};

use crate::desk::Desk;
use crate::error::IpcResult;
use crate::settings::Settings;

/// Sets Online / Away / Occupied (with an optional account-defined reason id).
#[tauri::command]
pub async fn set_availability(
    desk: State<'_, Desk>,
    availability: Availability,
    reason_id: Option<String>,
) -> IpcResult<()> {
    Ok(desk
        .engine
        .set_availability(availability, reason_id)
        .await?)
}

/// The whole desk, to draw it from scratch (at start and after `engine-lagged`).
#[tauri::command]
pub async fn snapshot(desk: State<'_, Desk>) -> IpcResult<DeskSnapshot> {
    Ok(desk.engine.snapshot().await)
}

/// The agent's settings.
#[tauri::command]
pub fn settings(desk: State<'_, Desk>) -> IpcResult<Settings> {
    Ok(desk.settings())
}

/// Mutes or unmutes the ring sound.
#[tauri::command]
pub fn set_muted(desk: State<'_, Desk>, muted: bool) -> IpcResult<Settings> {
    desk.update_settings(|s| s.muted = muted)
}

/// Takes ringing chats automatically, or not.
#[tauri::command]
pub async fn set_auto_accept(desk: State<'_, Desk>, on: bool) -> IpcResult<Settings> {
    desk.set_auto_accept(on).await
}

/// The chat the agent has open (its lines count as read; `null`: none).
#[tauri::command]
pub fn open_chat<R: Runtime>(app: AppHandle<R>, chat: Option<ChatKey>) -> IpcResult<()> {
    crate::window::open_chat(&app, chat);
    Ok(())
}
