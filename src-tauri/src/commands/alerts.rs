//! Alert and presence preferences (`alert_settings.rs`), for the settings view.

use serde::Deserialize;
use tauri::State;
use ts_rs::TS;

use crate::alert_settings::AlertSettings;
use crate::desk::Desk;
use crate::error::IpcResult;

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

/// Stores new alert and presence preferences; they apply from the next alert on.
#[tauri::command]
pub fn set_alert_settings(
    desk: State<'_, Desk>,
    args: SetAlertSettingsArgs,
) -> IpcResult<AlertSettings> {
    Ok(desk.update_settings(|s| s.alerts = args.settings)?.alerts)
}
