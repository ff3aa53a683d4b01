//! The desk as a whole: availability, the snapshot, settings, which chats are shown.

use engine::events::{Availability, ChatKey};
use engine::types::DeskSnapshot;
use serde::Deserialize;
use tauri::{AppHandle, Manager, Runtime, State};
use ts_rs::TS;

use crate::desk::Desk;
use crate::error::IpcResult;
use crate::settings::Settings;
use crate::tray_mode::{TrayMode, ViewMemory, ViewState};
use crate::ui_events::UnreadCounts;

/// Arguments of `set_availability`.
#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[ts(export_to = "../../../ui/src/bindings/", optional_fields = nullable)]
pub struct SetAvailabilityArgs {
    pub availability: Availability,
    /// An account-defined reason (Away/Occupied).
    pub reason_id: Option<String>,
}

/// Sets Online / Away / Occupied (with an optional account-defined reason id).
#[tauri::command]
pub async fn set_availability(desk: State<'_, Desk>, args: SetAvailabilityArgs) -> IpcResult<()> {
    desk.engine
        .set_availability(args.availability, args.reason_id)
        .await
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

/// Arguments of `set_muted`.
#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[ts(export_to = "../../../ui/src/bindings/")]
pub struct SetMutedArgs {
    pub muted: bool,
}

/// Mutes or unmutes every sound; muting also stops a tone still playing.
#[tauri::command]
pub fn set_muted<R: Runtime>(app: AppHandle<R>, args: SetMutedArgs) -> IpcResult<Settings> {
    if args.muted
        && let Some(sound) = app.try_state::<crate::sound::Sound>()
    {
        sound.stop();
    }
    app.state::<Desk>()
        .update_settings(|s| s.muted = args.muted)
}

/// Arguments of `set_auto_accept`.
#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[ts(export_to = "../../../ui/src/bindings/")]
pub struct SetAutoAcceptArgs {
    pub on: bool,
}

/// Takes ringing chats automatically, or not.
#[tauri::command]
pub async fn set_auto_accept(
    desk: State<'_, Desk>,
    args: SetAutoAcceptArgs,
) -> IpcResult<Settings> {
    desk.set_auto_accept(args.on).await
}

/// Arguments of `show_chats`.
#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[ts(export_to = "../../../ui/src/bindings/")]
pub struct ShowChatsArgs {
    /// Every chat shown in a pane (empty: none).
    pub chats: Vec<ChatKey>,
}

/// The chats the UI shows: a newly shown chat is read, and lines arriving in shown chats are read
/// while the window has focus. Returns the unread counts (also sent as `unread` when they change).
#[tauri::command]
pub fn show_chats<R: Runtime>(app: AppHandle<R>, args: ShowChatsArgs) -> IpcResult<UnreadCounts> {
    Ok(crate::window::show_chats(&app, args.chats))
}

/// Arguments of `save_view`.
#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[ts(export_to = "../../../ui/src/bindings/")]
pub struct SaveViewArgs {
    pub view: ViewMemory,
}

/// The page leaves what it shows (panes, scroll positions) with the shell, so a page built again
/// after tray mode released the webview (or a reload) puts it back.
#[tauri::command]
pub fn save_view<R: Runtime>(app: AppHandle<R>, args: SaveViewArgs) -> IpcResult<()> {
    if let Some(mode) = app.try_state::<TrayMode>() {
        mode.save_view(args.view);
    }
    Ok(())
}

/// What a starting page restores: the view an earlier page left, and a chat asked for while there
/// was no page.
#[tauri::command]
pub fn view_state<R: Runtime>(app: AppHandle<R>) -> IpcResult<ViewState> {
    Ok(app
        .try_state::<TrayMode>()
        .map(|mode| mode.view_state())
        .unwrap_or_default())
}

/// The composer's spell checking as stored, the dictionaries installed and the system's language.
#[tauri::command]
pub fn spell_languages(desk: State<'_, Desk>) -> IpcResult<crate::spelling::SpellLanguages> {
    let setting = desk.settings().spell_check;
    let system = crate::settings::SpellCheck {
        language: None,
        ..setting.clone()
    }
    .language_or_locale(|name| std::env::var(name).ok());
    Ok(crate::spelling::SpellLanguages {
        setting,
        installed: crate::spelling::installed(),
        system,
    })
}

/// Arguments of `set_spell_check`.
#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[ts(export_to = "../../../ui/src/bindings/")]
pub struct SetSpellCheckArgs {
    pub setting: crate::settings::SpellCheck,
}

/// Stores the composer's spell checking (a language must have a dictionary installed) and
/// applies it to the open window at once.
#[tauri::command]
pub fn set_spell_check<R: Runtime>(
    app: AppHandle<R>,
    args: SetSpellCheckArgs,
) -> IpcResult<crate::settings::SpellCheck> {
    let setting = crate::spelling::check(args.setting, &crate::spelling::installed())?;
    let stored = app
        .state::<Desk>()
        .update_settings(|s| s.spell_check = setting)?
        .spell_check;
    crate::setup::apply_spell_check(&app, &stored);
    Ok(stored)
}
