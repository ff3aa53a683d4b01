//! The main window: show/hide/focus, closing hides it to the tray, title and tray follow the
//! indicators.

use engine::events::ChatKey;
use tauri::window::Color;
use tauri::{AppHandle, Emitter, Manager, Runtime, Theme, WebviewWindow, Window, WindowEvent};

use crate::desk::Desk;
use crate::ui_events::{OPEN_CHAT, OpenChat, UNREAD, UnreadCounts};

/// The main window's label (the capability names it).
pub const MAIN: &str = "main";

fn main_window<R: Runtime>(app: &AppHandle<R>) -> Option<WebviewWindow<R>> {
    app.get_webview_window(MAIN)
}

/// The page's background, `--bg` in `ui/src/styles/base.css`, light (also `backgroundColor` in
/// `tauri.conf.json`, so the window is created with it) and dark. The window and the webview are
/// painted with it before the page draws, so a frame without the page is the page's colour, not
/// white.
pub const BACKGROUND_LIGHT: Color = Color(0xf3, 0xf4, 0xf7, 0xff);
/// The dark theme's `--bg`.
pub const BACKGROUND_DARK: Color = Color(0x11, 0x14, 0x18, 0xff);

/// The background for the desktop's theme (the page follows the same one through
/// `prefers-color-scheme`).
pub fn background(theme: Theme) -> Color {
    match theme {
        Theme::Dark => BACKGROUND_DARK,
        _ => BACKGROUND_LIGHT,
    }
}

/// Paints the window and its webview in the page's background for the desktop's theme (the config
/// gives the light one).
pub fn apply_background<R: Runtime>(window: &WebviewWindow<R>) {
    let theme = window.theme().unwrap_or(Theme::Light);
    if theme == Theme::Light {
        return;
    }
    if let Err(error) = window.set_background_color(Some(background(theme))) {
        tracing::debug!(%error, "could not set the window's background");
    }
}

/// Shows, unminimises and focuses the main window; builds it again first when tray mode released
/// its webview (it then appears once its page is ready).
pub fn show<R: Runtime>(app: &AppHandle<R>) {
    crate::tray_mode::show_or_rebuild(app, show_now);
}

fn show_now<R: Runtime>(window: &WebviewWindow<R>) {
    let shown = window
        .show()
        .and_then(|()| window.unminimize())
        .and_then(|()| window.set_focus());
    if let Err(error) = shown {
        tracing::warn!(%error, "could not show the window");
    }
}

/// The page is ready (`ui-ready`): a rebuilt window waiting for it is shown.
pub fn page_ready<R: Runtime>(app: &AppHandle<R>) {
    crate::tray_mode::page_ready(app, show_now);
}

/// Hides the window to the tray (the engine keeps polling; tray mode may release the webview).
fn hide<R: Runtime>(app: &AppHandle<R>, hidden: tauri::Result<()>) {
    if let Err(error) = hidden {
        tracing::warn!(%error, "could not hide the window");
    }
    set_focused(app, false);
    crate::tray_mode::hidden(app);
    tracing::info!("window hidden to the tray; the desk keeps polling");
}

/// Starts hidden in the tray (`--hidden` or the setting): as if the agent had hidden the window,
/// so tray mode may release its page until it is first shown.
pub fn start_hidden<R: Runtime>(app: &AppHandle<R>) {
    if let Some(window) = main_window(app) {
        hide(app, window.hide());
    }
}

/// Shows the window if hidden, hides it if shown.
pub fn toggle<R: Runtime>(app: &AppHandle<R>) {
    match main_window(app) {
        Some(window) if window.is_visible().unwrap_or(false) => hide(app, window.hide()),
        _ => show(app),
    }
}

/// Brings the window up on a chat (a notification's "Open"): the UI switches to it.
pub fn reveal_chat<R: Runtime>(app: &AppHandle<R>, chat: Option<ChatKey>) {
    tracing::info!(?chat, "bringing the desk up from a notification");
    if main_window(app).is_none()
        && let Some(mode) = app.try_state::<crate::tray_mode::TrayMode>()
    {
        // No page to tell: the rebuilt one asks for it when it starts (`view_state`).
        mode.want_chat(chat.clone());
    }
    show(app);
    if let Err(error) = app.emit_to(MAIN, OPEN_CHAT, OpenChat { chat }) {
        tracing::warn!(%error, "could not tell the UI to open a chat");
    }
}

/// The UI reports the chats it shows in its panes; returns the unread counts that follow.
pub fn show_chats<R: Runtime>(app: &AppHandle<R>, chats: Vec<ChatKey>) -> UnreadCounts {
    let counts = app.try_state::<Desk>().map(|desk| {
        let mut indicators = desk.indicators();
        indicators.show(chats);
        indicators.unread_counts()
    });
    refresh(app);
    counts.unwrap_or_default()
}

fn set_focused<R: Runtime>(app: &AppHandle<R>, focused: bool) {
    if let Some(desk) = app.try_state::<Desk>() {
        desk.indicators().set_window_focused(focused);
    }
    if let Some(ring) = app.try_state::<crate::ring_driver::RingDriver>() {
        ring.send(crate::ring::RingInput::Focus(focused));
    }
    refresh(app);
}

/// Puts the indicators into the window title and the tray, and sends changed unread counts to the
/// UI (`unread`).
pub fn refresh<R: Runtime>(app: &AppHandle<R>) {
    let Some(desk) = app.try_state::<Desk>() else {
        return;
    };
    if let Some(counts) = desk.unread_to_send()
        && let Err(error) = app.emit_to(MAIN, UNREAD, counts)
    {
        tracing::warn!(%error, "could not send the unread counts");
    }
    let Some(chrome) = desk.chrome_to_show() else {
        return;
    };
    if let Some(window) = main_window(app)
        && let Err(error) = window.set_title(&chrome.title)
    {
        tracing::debug!(%error, "could not set the title");
    }
    crate::tray::update(app, &chrome);
}

/// Window events: closing hides to the tray (the engine keeps polling) unless quitting.
pub fn on_event<R: Runtime>(window: &Window<R>, event: &WindowEvent) {
    if window.label() != MAIN {
        return;
    }
    let app = window.app_handle();
    match event {
        WindowEvent::CloseRequested { api, .. } => {
            let quitting = app
                .try_state::<Desk>()
                .is_some_and(|desk| desk.is_quitting());
            if !quitting {
                api.prevent_close();
                hide(app, window.hide());
            }
        }
        WindowEvent::Focused(focused) => set_focused(app, *focused),
        WindowEvent::Destroyed => set_focused(app, false),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `--bg` in the page's style sheet: the light value, then the dark one.
    fn page_backgrounds() -> Vec<String> {
        let css = include_str!("../../ui/src/styles/base.css");
        css.lines()
            .filter_map(|line| line.trim().strip_prefix("--bg:"))
            .map(|value| value.trim().trim_end_matches(';').to_ascii_lowercase())
            .collect()
    }

    fn hex(Color(r, g, b, _): Color) -> String {
        format!("#{r:02x}{g:02x}{b:02x}")
    }

    #[test]
    fn the_window_background_is_the_pages() {
        assert_eq!(
            page_backgrounds(),
            [hex(BACKGROUND_LIGHT), hex(BACKGROUND_DARK)]
        );
        assert_eq!(background(Theme::Dark), BACKGROUND_DARK);
        assert_eq!(background(Theme::Light), BACKGROUND_LIGHT);
        let config: serde_json::Value =
            serde_json::from_str(include_str!("../tauri.conf.json")).unwrap();
        let window = &config["app"]["windows"][0];
        assert_eq!(window["label"], MAIN);
        assert_eq!(window["backgroundColor"], hex(BACKGROUND_LIGHT));
        assert_eq!(window["visible"], false, "shown once its page has loaded");
    }
}
