//! Alert and presence preferences (`alert_settings.rs`), for the settings view.

use serde::Deserialize;
use tauri::{AppHandle, Manager, Runtime, State};
use ts_rs::TS;

use crate::alert_settings::{AlertSettings, RingTone};
use crate::desk::Desk;
use crate::error::IpcResult;
use crate::latency::AlertLatency;

/// The escalating ring, per-event alerts and presence, as stored.
#[tauri::command]
pub fn alert_settings(desk: State<'_, Desk>) -> IpcResult<AlertSettings> {
    Ok(desk.settings().alerts)
}

/// Arguments of `set_alert_settings`.
#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[ts(export_to = "../../../ui/src/bindings/")]
pub struct SetAlertSettingsArgs {
    /// The whole set (read it with `alert_settings`, change what the agent changed).
    pub settings: AlertSettings,
}

/// Stores new alert and presence preferences; they apply from the next alert on. A changed
/// "start at login" writes or removes the login entry first (nothing is stored if that fails).
#[tauri::command]
pub fn set_alert_settings<R: Runtime>(
    app: AppHandle<R>,
    args: SetAlertSettingsArgs,
) -> IpcResult<AlertSettings> {
    let desk = app
        .try_state::<Desk>()
        .ok_or_else(|| crate::error::internal("the desk is not running"))?;
    let at_login = args.settings.startup.at_login;
    if at_login != desk.settings().alerts.startup.at_login {
        crate::startup::set_at_login(&app, at_login)?;
    }
    Ok(desk.update_settings(|s| s.alerts = args.settings)?.alerts)
}

/// Arguments of `alert_latency`.
#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[ts(export_to = "../../../ui/src/bindings/")]
pub struct AlertLatencyArgs {
    /// The agent's clock's offset from UTC in minutes: "today" is the agent's local day.
    pub utc_offset_minutes: i32,
}

/// Today's alert latency (p50/p95/max): visitor line → seen and → notification, ring →
/// notification and → accept (`latency.rs`).
#[tauri::command]
pub fn alert_latency(desk: State<'_, Desk>, args: AlertLatencyArgs) -> IpcResult<AlertLatency> {
    let (start, _) = engine::local_day_bounds(crate::timing::now_ms(), args.utc_offset_minutes);
    Ok(desk.latency.since(start))
}

/// Arguments of `play_tone`.
#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[ts(export_to = "../../../ui/src/bindings/")]
pub struct PlayToneArgs {
    pub tone: RingTone,
    /// In percent, 0–100 (more plays at 100; 0 plays nothing).
    pub volume: u8,
}

/// Plays a tone once at a volume, as the settings' "Play" button asks: a preview, so it sounds
/// even while muted. Returns at once (the sound thread plays it); without an audio output nothing
/// is heard and nothing fails.
#[tauri::command]
pub fn play_tone<R: Runtime>(app: AppHandle<R>, args: PlayToneArgs) -> IpcResult<()> {
    if let Some(sound) = app.try_state::<crate::sound::Sound>() {
        sound.preview(args.tone, args.volume);
    }
    Ok(())
}
