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

/// Where the window's size and position are kept: with `AGENT_DESK_DATA_DIR`, in that folder
/// (`window-state.json`, so a test's or a second profile's window is its own); else the plugin's
/// default, `.window-state.json` in the app's config folder (`~/.config/com.agentdesk.desk`).
pub fn window_state_file(options: &LaunchOptions, data_dir: &Path) -> Option<PathBuf> {
    options
        .data_dir
        .as_ref()
        .map(|_| data_dir.join(WINDOW_STATE_FILE))
}

/// The window-state file's name in an explicit data folder.
pub const WINDOW_STATE_FILE: &str = "window-state.json";

/// The window-state plugin: restores the main window when it is created, keeps the state while it
/// moves and resizes, writes it when the app exits (a clean quit; a killed app keeps the last file).
pub fn window_state_plugin<R: Runtime>(options: &LaunchOptions, data_dir: &Path) -> TauriPlugin<R> {
    let builder =
        tauri_plugin_window_state::Builder::default().with_state_flags(window_state_flags());
    match window_state_file(options, data_dir) {
        // The plugin joins the name to the config folder; an absolute path replaces it.
        Some(path) => builder.with_filename(path.to_string_lossy()),
        None => builder,
    }
    .build()
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
    crate::timing::mark("engine spawned (database open)");
    let desk = Desk::new(engine, settings);
    // History older than the retention setting goes at each start (off the main thread).
    desk.library.apply_retention_in_background();
    let engine = desk.engine.clone();
    app.manage(desk);
    app.manage(crate::sound::Sound::start());
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
    // Tauri created the main window (tauri.conf.json) just before calling this, hidden.
    crate::timing::mark("setup start (window created)");
    let handle = app.handle().clone();
    // First: the page is already loading (the window comes from tauri.conf.json).
    if let Some(window) = handle.get_webview_window(crate::window::MAIN) {
        crate::rendering::apply(&window);
        crate::window::apply_background(&window);
    }
    let settings = SettingsFile::in_dir(data_dir);
    let stored = settings.load();
    let hidden = crate::startup::starts_hidden(options, &stored.alerts.startup);
    // The window is shown once its page has drawn its first view (or left in the tray); the tray
    // and the rest follow its first frame (`first_show.rs`).
    app.manage(crate::tray_mode::TrayMode::from_env());
    crate::first_show::begin(&handle, hidden);
    let render_app = handle.clone();
    handle.listen(crate::timing::FIRST_RENDER, move |event| {
        crate::timing::mark("first render");
        crate::timing::page_marks(event.payload());
        crate::first_show::signal(&render_app, crate::first_show::Signal::FirstRender);
    });
    let ready_app = handle.clone();
    handle.listen(crate::tray_mode::PAGE_READY, move |_| {
        crate::first_show::signal(&ready_app, crate::first_show::Signal::PageReady);
        crate::window::page_ready(&ready_app);
    });
    let config = engine_config(options, data_dir, stored.auto_accept);
    tracing::info!(data_dir = %data_dir.display(), demo = options.demo, "starting the desk");
    start_desk(&handle, config, settings)?;
    crate::timing::mark("engine started");
    if hidden {
        tracing::info!(argument = options.hidden, "starting hidden in the tray");
        crate::window::start_hidden(&handle);
    }
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

/// Turns WebKitGTK's spell checker (enchant, with the system's hunspell dictionaries) on or off
/// for the main window's web context, in the setting's language, and logs what WebKit reports back:
/// `spell checking enabled=true languages=["en_US"]` (a language whose dictionary is missing is
/// dropped by WebKit, so the log says what really checks). Elsewhere the webview's own checker
/// follows the textarea's `spellcheck` attribute.
pub fn apply_spell_check<R: Runtime>(app: &AppHandle<R>, setting: &crate::settings::SpellCheck) {
    let language = setting.language_or_locale(|name| std::env::var(name).ok());
    let enabled = setting.enabled;
    let Some(window) = app.get_webview_window(crate::window::MAIN) else {
        return;
    };
    let applied = window.with_webview(move |webview| {
        #[cfg(all(unix, not(target_os = "macos")))]
        {
            use webkit2gtk::{WebContextExt, WebViewExt};
            let Some(context) = webview.inner().context() else {
                tracing::warn!("spell checking: the webview has no web context");
                return;
            };
            context.set_spell_checking_languages(&[language.as_str()]);
            context.set_spell_checking_enabled(enabled);
            let languages: Vec<String> = context
                .spell_checking_languages()
                .iter()
                .map(|l| l.to_string())
                .collect();
            tracing::info!(
                enabled = context.is_spell_checking_enabled(),
                ?languages,
                wanted = %language,
                "spell checking"
            );
        }
        #[cfg(not(all(unix, not(target_os = "macos"))))]
        {
            let _ = (webview, language, enabled);
        }
    });
    if let Err(error) = applied {
        tracing::warn!(%error, "could not set up spell checking");
    }
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
    fn window_state_lives_in_an_explicit_data_folder() {
        let dir = Path::new("/tmp/desk-data");
        let explicit = LaunchOptions {
            data_dir: Some(dir.to_path_buf()),
            ..LaunchOptions::default()
        };
        assert_eq!(
            window_state_file(&explicit, dir),
            Some(dir.join("window-state.json"))
        );
        // Joined onto the config folder, an absolute name stays itself.
        assert_eq!(
            Path::new("/home/x/.config/app").join(dir.join("window-state.json")),
            dir.join("window-state.json")
        );
        assert_eq!(window_state_file(&LaunchOptions::default(), dir), None);
    }

    #[test]
    fn window_state_does_not_remember_hidden() {
        assert!(!window_state_flags().contains(StateFlags::VISIBLE));
        assert!(window_state_flags().contains(StateFlags::SIZE | StateFlags::POSITION));
    }
}
