//! Starting with the desktop session and starting hidden in the tray (issue 9 §5).
//!
//! Start at login is `tauri-plugin-autostart`. On Linux that is an XDG autostart entry,
//! `$HOME/.config/autostart/Agent Desk.desktop` (the plugin uses `$HOME/.config` whatever
//! `XDG_CONFIG_HOME` says), whose `Exec` line is this executable followed by `--hidden`: started
//! with the session, the desk waits in the tray instead of taking the screen.
//!
//! The entry is the truth for "start at login": changing the setting writes or removes it, each start
//! rewrites an existing one (a moved or updated binary is still what starts) and makes the setting
//! say what the entry does (an entry the agent removed in the desktop's own "startup applications"
//! turns the setting off).

use tauri::plugin::TauriPlugin;
use tauri::{AppHandle, Manager, Runtime};
use tauri_plugin_autostart::AutoLaunchManager;

use crate::alert_settings::StartupSettings;
use crate::desk::Desk;
use crate::error::{IpcError, IpcResult};
use crate::launch::LaunchOptions;
use engine::events::ErrorCode;

/// The argument that starts the desk hidden in the tray.
pub const HIDDEN_ARG: &str = "--hidden";

/// The autostart plugin; its entry starts the desk with [`HIDDEN_ARG`].
pub fn autostart_plugin<R: Runtime>() -> TauriPlugin<R> {
    tauri_plugin_autostart::Builder::new()
        .arg(HIDDEN_ARG)
        .build()
}

/// Whether this start keeps the window hidden: `--hidden`, or the setting.
pub fn starts_hidden(options: &LaunchOptions, settings: &StartupSettings) -> bool {
    options.hidden || settings.hidden
}

/// What a start does about the login entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AtStart {
    /// Write the entry again (this executable's path may have changed).
    pub rewrite: bool,
    /// Store this as the setting (it said otherwise than the entry).
    pub store: Option<bool>,
}

/// The entry decides: present → rewritten and the setting on; absent → the setting off.
pub fn at_start(setting: bool, entry_present: bool) -> AtStart {
    AtStart {
        rewrite: entry_present,
        store: (setting != entry_present).then_some(entry_present),
    }
}

/// Writes (`on`) or removes the login entry.
pub fn set_at_login<R: Runtime>(app: &AppHandle<R>, on: bool) -> IpcResult<()> {
    let manager = app
        .try_state::<AutoLaunchManager>()
        .ok_or_else(|| crate::error::internal("starting at login is not available here"))?;
    let done = if on {
        manager.enable()
    } else {
        manager.disable()
    };
    done.map_err(|error| {
        IpcError::new(
            ErrorCode::Storage,
            format!(
                "could not {} the start-at-login entry: {error}",
                if on { "write" } else { "remove" }
            ),
        )
    })?;
    tracing::info!(on, "start at login changed");
    Ok(())
}

/// At start: keeps the entry and the setting in step ([`at_start`]).
pub fn sync_at_start<R: Runtime>(app: &AppHandle<R>) {
    let (Some(manager), Some(desk)) = (
        app.try_state::<AutoLaunchManager>(),
        app.try_state::<Desk>(),
    ) else {
        return;
    };
    let present = match manager.is_enabled() {
        Ok(present) => present,
        Err(error) => {
            tracing::warn!(%error, "cannot tell whether the desk starts at login");
            return;
        }
    };
    let plan = at_start(desk.settings().alerts.startup.at_login, present);
    if plan.rewrite
        && let Err(error) = manager.enable()
    {
        tracing::warn!(%error, "could not rewrite the start-at-login entry");
    }
    if let Some(on) = plan.store {
        tracing::info!(on, "start at login follows the entry found at start");
        if let Err(error) = desk.update_settings(|s| s.alerts.startup.at_login = on) {
            tracing::warn!(?error, "could not store the start-at-login setting");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_entry_decides_at_start() {
        // (setting, entry present) → (rewrite, store)
        let table = [
            (false, false, false, None),
            (true, true, true, None),
            (true, false, false, Some(false)),
            (false, true, true, Some(true)),
        ];
        for (setting, present, rewrite, store) in table {
            assert_eq!(
                at_start(setting, present),
                AtStart { rewrite, store },
                "setting {setting}, entry present {present}"
            );
        }
    }

    #[test]
    fn hidden_by_the_argument_or_the_setting() {
        let plain = LaunchOptions::default();
        let hidden_arg = LaunchOptions {
            hidden: true,
            ..LaunchOptions::default()
        };
        let off = StartupSettings::default();
        let on = StartupSettings {
            hidden: true,
            ..StartupSettings::default()
        };
        assert!(!starts_hidden(&plain, &off));
        assert!(starts_hidden(&hidden_arg, &off));
        assert!(starts_hidden(&plain, &on));
        assert!(starts_hidden(&hidden_arg, &on));
    }
}
