//! What happens when the app starts: the engine, the bridge, the tray, demo mode.

use std::path::{Path, PathBuf};

use engine::secrets::SecretStoreKind;
use engine::{Engine, EngineConfig};
use tauri::plugin::TauriPlugin;
use tauri::{App, AppHandle, Listener, Manager, Runtime};
use tauri_plugin_window_state::StateFlags;

use crate::desk::Desk;
use crate::launch::LaunchOptions;
use crate::settings::SettingsFile;

/// The data folder: `AGENT_DESK_DATA_DIR`, else the platform's app-data folder, else a temp one.
pub fn data_dir(options: &LaunchOptions) -> PathBuf {
    options
        .data_dir
        .clone()
        .or_else(crate::launch::default_data_dir)
        .unwrap_or_else(|| std::env::temp_dir().join(crate::IDENTIFIER))
}

/// Size, position and maximised state are remembered; visibility is not (a window hidden to the
/// tray must not start hidden next time).
pub fn window_state_flags() -> StateFlags {
    StateFlags::all() & !StateFlags::VISIBLE
}

/// The engine's settings for the desktop.
pub fn engine_config(options: &LaunchOptions, data_dir: &Path, auto_accept: bool) -> EngineConfig {
    EngineConfig {
        data_dir: Some(data_dir.to_path_buf()),
        secrets: if options.memory_secrets {
            SecretStoreKind::Memory
        } else {
            SecretStoreKind::default()
        },
        auto_accept,
        ..EngineConfig::default()
    }
}

/// Starts the engine and puts the `Desk` in the app's state; forwards events to the UI.
pub fn start_desk<R: Runtime>(
    app: &AppHandle<R>,
    config: EngineConfig,
    settings: SettingsFile,
) -> Result<(), engine::EngineError> {
    // The engine spawns its task on the current Tokio runtime: enter Tauri's.
    let (engine, events) = tauri::async_runtime::block_on(async move { Engine::spawn(config) })?;
    let desk = Desk::new(engine, settings);
    // History older than the retention setting goes at each start (off the main thread).
    desk.library.apply_retention_in_background();
    let engine = desk.engine.clone();
    app.manage(desk);
    crate::ring_driver::start(app);
    let settings_app = app.clone();
    crate::presence::start(
        engine,
        std::sync::Arc::new(move || {
            settings_app
                .try_state::<Desk>()
                .map(|desk| desk.settings().alerts.presence)
                .unwrap_or_default()
        }),
    );
    crate::bridge::spawn(app.clone(), events);
    Ok(())
}

/// The setup hook.
pub fn setup<R: Runtime>(
    app: &mut App<R>,
    options: &LaunchOptions,
    data_dir: &Path,
) -> Result<(), Box<dyn std::error::Error>> {
    // Tauri created the main window (tauri.conf.json) just before calling this.
    crate::timing::mark("setup start (window created)");
    let handle = app.handle().clone();
    // First: the page is already loading (the window comes from tauri.conf.json).
    if let Some(window) = handle.get_webview_window(crate::window::MAIN) {
        crate::rendering::apply(&window);
    }
    handle.listen(crate::timing::FIRST_RENDER, |_| {
        crate::timing::mark("first render");
    });
    let settings = SettingsFile::in_dir(data_dir);
    let config = engine_config(options, data_dir, settings.load().auto_accept);
    tracing::info!(data_dir = %data_dir.display(), demo = options.demo, "starting the desk");
    start_desk(&handle, config, settings)?;
    crate::timing::mark("engine started");
    if let Err(error) = crate::tray::build(&handle) {
        // No tray host (e.g. a bare X server) is not fatal: the window stays.
        tracing::warn!(%error, "no system tray");
    }
    crate::timing::mark("tray built");
    crate::window::refresh(&handle);
    if options.demo {
        tauri::async_runtime::spawn(async move {
            let Some(desk) = handle.try_state::<Desk>() else {
                return;
            };
            match desk.start_demo().await {
                Ok(agent) => tracing::info!(user = %agent.login_name, "demo mode: logged in"),
                Err(error) => tracing::error!(?error, "demo mode could not start"),
            }
        });
    }
    crate::timing::mark("setup done");
    Ok(())
}

/// Keeps the webview on the app's own pages: any other navigation (a visitor's link, a redirect)
/// is refused.
pub fn navigation_guard<R: Runtime>() -> TauriPlugin<R> {
    tauri::plugin::Builder::new("navigation-guard")
        .on_navigation(|_webview, url| {
            let allowed = is_app_url(url);
            if !allowed {
                tracing::warn!(%url, "navigation away from the app refused");
            }
            allowed
        })
        .build()
}

/// The app's own origins (`tauri://localhost`; `http(s)://tauri.localhost` on Windows).
pub fn is_app_url(url: &url::Url) -> bool {
    match url.scheme() {
        "tauri" => true,
        "http" | "https" => url.host_str() == Some("tauri.localhost"),
        "about" => url.as_str() == "about:blank",
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_app_urls_are_navigable() {
        let ok = [
            "tauri://localhost/index.html",
            "http://tauri.localhost/",
            "about:blank",
        ];
        for url in ok {
            assert!(is_app_url(&url::Url::parse(url).unwrap()), "{url}");
        }
        let refused = [
            "https://evil.example/",
            "http://127.0.0.1:8787/",
            "javascript:alert(1)",
            "file:///etc/passwd",
        ];
        for url in refused {
            assert!(!is_app_url(&url::Url::parse(url).unwrap()), "{url}");
        }
    }

    #[test]
    fn window_state_does_not_remember_hidden() {
        assert!(!window_state_flags().contains(StateFlags::VISIBLE));
        assert!(window_state_flags().contains(StateFlags::SIZE | StateFlags::POSITION));
    }
}
