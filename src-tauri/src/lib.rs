//! Agent Desk's desktop shell: thin commands onto the engine, the event bridge to the UI, tray,
//! notifications, single instance, remembered window, logs. `run` only builds the app.

// Tests may unwrap and panic; the code under test may not.
#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used, clippy::panic))]

pub mod alert_settings;
pub mod alerts;
pub mod bridge;
pub mod commands;
pub mod desk;
pub mod error;
pub mod exit;
pub mod exit_flow;
pub mod first_show;
pub mod indicators;
pub mod latency;
pub mod launch;
pub mod library;
pub mod logging;
pub mod notify;
pub mod presence;
#[cfg(all(unix, not(target_os = "macos")))]
pub mod presence_linux;
#[cfg(target_os = "macos")]
pub mod presence_macos;
#[cfg(any(windows, target_os = "macos", test))]
pub mod presence_poll;
#[cfg(windows)]
pub mod presence_windows;
pub mod rendering;
pub mod ring;
pub mod ring_driver;
pub mod settings;
pub mod setup;
pub mod sound;
pub mod spelling;
pub mod startup;
pub mod timing;
pub mod tray;
pub mod tray_mode;
pub mod trim;
pub mod ui_events;
pub mod window;

#[cfg(test)]
mod bindings;
#[cfg(test)]
mod tests;

/// The app's identifier (tauri.conf.json); names its data folder.
pub const IDENTIFIER: &str = "com.agentdesk.desk";

/// The compiled-in config, assets and ACL (generic so tests use it with the mock runtime).
pub fn context<R: tauri::Runtime>() -> tauri::Context<R> {
    tauri::generate_context!()
}

/// Builds and runs the app until it exits.
pub fn run() {
    timing::start();
    // Before anything touches GTK or WebKit, and before any thread starts.
    // SAFETY: nothing has started a thread yet (`timing::start` only reads the clock).
    #[allow(unsafe_code)]
    unsafe {
        rendering::set_env_if_needed();
    }
    let options = launch::LaunchOptions::from_env();
    let data_dir = setup::data_dir(&options);
    let log_guard = logging::init(&data_dir.join("logs"));
    timing::mark_process_start();
    rendering::log_decision();
    let built = tauri::Builder::default()
        // First, so a second launch is caught before anything else starts.
        .plugin(
            tauri_plugin_single_instance::Builder::new()
                .dbus_id(launch::instance_id(&options))
                .callback(|app, args, _cwd| {
                    tracing::info!(?args, "second launch: focusing the running window");
                    window::show(app);
                })
                .build(),
        )
        .plugin(setup::window_state_plugin(&options, &data_dir))
        // Rust-side only: the capability grants the webview none of its commands (`open_link` calls it).
        .plugin(tauri_plugin_opener::init())
        // Rust-side only too: the start-at-login setting goes through `set_alert_settings`.
        .plugin(startup::autostart_plugin())
        .plugin(setup::navigation_guard())
        .invoke_handler(commands::handler())
        .on_window_event(window::on_event)
        .on_page_load(|webview, payload| {
            if webview.label() == window::MAIN {
                match payload.event() {
                    tauri::webview::PageLoadEvent::Started => timing::mark("page load started"),
                    tauri::webview::PageLoadEvent::Finished => {
                        timing::mark("page load finished");
                        first_show::signal(
                            tauri::Manager::app_handle(webview),
                            first_show::Signal::PageLoaded,
                        );
                    }
                }
            }
        })
        .setup(move |app| setup::setup(app, &options, &data_dir))
        .build(context());
    timing::mark("app built (plugins initialised)");
    match built {
        Ok(app) => app.run(move |app, event| match event {
            // Tray mode destroys the only window: that is no reason to exit (`app.exit` has a code).
            tauri::RunEvent::ExitRequested {
                code: None, api, ..
            } if !tauri::Manager::try_state::<desk::Desk>(app)
                .is_some_and(|desk| desk.is_quitting()) =>
            {
                api.prevent_exit();
            }
            tauri::RunEvent::Exit => {
                tracing::info!("Agent Desk exits");
                let _ = &log_guard;
            }
            _ => {}
        }),
        Err(error) => {
            tracing::error!(%error, "Agent Desk could not start");
            eprintln!("Agent Desk could not start: {error}");
            std::process::exit(1);
        }
    }
}
