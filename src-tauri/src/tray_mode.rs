//! Tray mode (issue 10 §3): a window hidden to the tray gives up its webview after a grace period,
//! so a desk that sits in the tray all day costs only the shell and the engine (the WebKit web
//! process, its page and caches are gone). The engine keeps polling, ringing and notifying, and the
//! tray keeps its counts, as before: none of that goes through the page.
//!
//! Showing the window again builds a new one from `tauri.conf.json` (the window-state plugin puts
//! it where it was). The new page draws itself from the engine's snapshot, the unread counts the
//! shell owns, the drafts the engine keeps, and the [`ViewMemory`] the old page left here when it
//! was hidden (which chats the panes showed, which was active, where each was scrolled).
//!
//! The grace period: `AGENT_DESK_RELEASE_WEBVIEW_MS` (milliseconds; `never` keeps the webview),
//! else [`DEFAULT_GRACE`]. Showing the window within it keeps the page as it is.

use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use engine::events::ChatKey;
use serde::{Deserialize, Serialize};
use tauri::{AppHandle, Emitter, Manager, Runtime, WebviewWindow};
use ts_rs::TS;

/// The environment variable that sets the grace period.
pub const GRACE_ENV: &str = "AGENT_DESK_RELEASE_WEBVIEW_MS";
/// How long a hidden window keeps its page: long enough that hiding and showing again in a
/// moment costs nothing, short enough that the memory comes back soon.
pub const DEFAULT_GRACE: Duration = Duration::from_secs(30);
/// The page emits this once it has drawn what it restores at start (the desk with its chats, or the
/// login form): a rebuilt window is shown then, so no blank frame is seen.
pub const PAGE_READY: &str = "ui-ready";
/// A rebuilt window is shown after this long even if its page never says it is ready.
pub const READY_FALLBACK: Duration = Duration::from_secs(2);
/// At most this many panes and scroll positions are kept (the UI shows three at most).
const MAX_PANES: usize = 8;

/// What the page showed, kept by the shell while the webview is gone.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[ts(export_to = "../../../ui/src/bindings/")]
pub struct ViewMemory {
    /// The chats in the panes, left to right.
    pub open: Vec<ChatKey>,
    /// The pane that had the focus.
    pub active: Option<ChatKey>,
    /// Panes scrolled away from the newest line (a pane not listed follows the newest line).
    pub scroll: Vec<PaneScroll>,
}

/// Where one pane was scrolled: the first line in view and how far into it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[ts(export_to = "../../../ui/src/bindings/")]
pub struct PaneScroll {
    pub chat: ChatKey,
    /// The line's key in the thread.
    pub line: String,
    /// Pixels of that line above the top of the pane.
    pub offset: f64,
}

impl ViewMemory {
    /// Keeps the memory small whatever the page sends.
    fn bounded(mut self) -> Self {
        self.open.truncate(MAX_PANES);
        self.scroll.truncate(MAX_PANES);
        for pane in &mut self.scroll {
            if !pane.offset.is_finite() {
                pane.offset = 0.0;
            }
        }
        self
    }
}

/// What a page finds when it starts (`view_state`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export_to = "../../../ui/src/bindings/", optional_fields = nullable)]
pub struct ViewState {
    /// The view an earlier page of this run left (`null`: none, e.g. the first page).
    pub view: Option<ViewMemory>,
    /// A chat to open that was asked for while there was no page (a notification's "Open").
    pub open_chat: Option<ChatKey>,
}

/// The shell's side of tray mode (managed state).
pub struct TrayMode {
    grace: Option<Duration>,
    /// Bumped by every hide and show: a release only happens if nothing moved since its hide.
    generation: AtomicU64,
    view: Mutex<Option<ViewMemory>>,
    open_chat: Mutex<Option<ChatKey>>,
    /// When the window was rebuilt and is waiting for its page to be ready to be shown.
    pending_show: Mutex<Option<Instant>>,
}

/// Reads the grace period from the value of [`GRACE_ENV`]: `None` keeps the webview.
pub fn parse_grace(value: Option<&str>) -> Option<Duration> {
    match value.map(str::trim) {
        None | Some("") => Some(DEFAULT_GRACE),
        Some(v) if v.eq_ignore_ascii_case("never") || v.eq_ignore_ascii_case("off") => None,
        Some(v) => match v.parse::<u64>() {
            Ok(ms) => Some(Duration::from_millis(ms)),
            Err(_) => {
                tracing::warn!(
                    value = v,
                    "{GRACE_ENV} is not a number of milliseconds; using the default"
                );
                Some(DEFAULT_GRACE)
            }
        },
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl TrayMode {
    pub fn new(grace: Option<Duration>) -> Self {
        Self {
            grace,
            generation: AtomicU64::new(0),
            view: Mutex::new(None),
            open_chat: Mutex::new(None),
            pending_show: Mutex::new(None),
        }
    }

    /// From this process's environment.
    pub fn from_env() -> Self {
        Self::new(parse_grace(std::env::var(GRACE_ENV).ok().as_deref()))
    }

    pub fn grace(&self) -> Option<Duration> {
        self.grace
    }

    /// A hide or show happened: returns the new generation.
    fn bump(&self) -> u64 {
        self.generation.fetch_add(1, Ordering::SeqCst) + 1
    }

    fn is_current(&self, generation: u64) -> bool {
        self.generation.load(Ordering::SeqCst) == generation
    }

    /// The page's view, kept until the next page reads it.
    pub fn save_view(&self, view: ViewMemory) {
        *lock(&self.view) = Some(view.bounded());
    }

    /// A chat to open once a page is there.
    pub fn want_chat(&self, chat: Option<ChatKey>) {
        if chat.is_some() {
            *lock(&self.open_chat) = chat;
        }
    }

    /// What a starting page restores: the view stays (a reload restores it too), the chat to open
    /// is handed over once.
    pub fn view_state(&self) -> ViewState {
        ViewState {
            view: lock(&self.view).clone(),
            open_chat: lock(&self.open_chat).take(),
        }
    }

    /// The milliseconds since a rebuilt window started waiting to be shown, once.
    fn take_pending_show(&self) -> Option<f64> {
        lock(&self.pending_show)
            .take()
            .map(|at| at.elapsed().as_secs_f64() * 1000.0)
    }
}

/// The window was hidden to the tray: the page saves its view, and after the grace period the
/// webview goes (unless the window was shown again, or the app quits, in between).
pub fn hidden<R: Runtime>(app: &AppHandle<R>) {
    let Some(mode) = app.try_state::<TrayMode>() else {
        return;
    };
    let generation = mode.bump();
    if let Err(error) = app.emit_to(crate::window::MAIN, crate::ui_events::WINDOW_HIDDEN, ()) {
        tracing::debug!(%error, "could not tell the page it was hidden");
    }
    let Some(grace) = mode.grace() else {
        return;
    };
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        tokio::time::sleep(grace).await;
        let current = app
            .try_state::<TrayMode>()
            .is_some_and(|mode| mode.is_current(generation));
        let quitting = app
            .try_state::<crate::desk::Desk>()
            .is_some_and(|desk| desk.is_quitting());
        if current && !quitting {
            release(&app);
        }
    });
}

/// Destroys the hidden main window and its webview.
fn release<R: Runtime>(app: &AppHandle<R>) {
    let Some(window) = app.get_webview_window(crate::window::MAIN) else {
        return;
    };
    if window.is_visible().unwrap_or(true) {
        return;
    }
    match window.destroy() {
        Ok(()) => {
            tracing::info!(
                "webview released: the window stays hidden in the tray; the desk keeps polling"
            );
            crate::trim::after_release();
        }
        Err(error) => tracing::warn!(%error, "could not release the webview"),
    }
}

/// The window is being shown: a pending release is called off.
pub fn shown<R: Runtime>(app: &AppHandle<R>) {
    if let Some(mode) = app.try_state::<TrayMode>() {
        mode.bump();
    }
}

/// Shows the main window: at once when it is there; built again (hidden) when tray mode released
/// it, then shown when its page is ready ([`page_ready`]) or after [`READY_FALLBACK`].
pub fn show_or_rebuild<R: Runtime>(app: &AppHandle<R>, show_now: fn(&WebviewWindow<R>)) {
    shown(app);
    if let Some(window) = app.get_webview_window(crate::window::MAIN) {
        show_now(&window);
        return;
    }
    let Some(mode) = app.try_state::<TrayMode>() else {
        return;
    };
    {
        let mut pending = lock(&mode.pending_show);
        if pending.is_some() {
            return; // already being built
        }
        *pending = Some(Instant::now());
    }
    if rebuild(app).is_none() {
        *lock(&mode.pending_show) = None;
        return;
    }
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        tokio::time::sleep(READY_FALLBACK).await;
        let late = app
            .try_state::<TrayMode>()
            .and_then(|mode| mode.take_pending_show());
        if late.is_some() {
            tracing::warn!("the rebuilt page did not say it was ready; showing the window anyway");
            if let Some(window) = app.get_webview_window(crate::window::MAIN) {
                show_now(&window);
            }
        }
    });
}

/// Builds the main window again from the app's config, hidden, with the same webview settings.
fn rebuild<R: Runtime>(app: &AppHandle<R>) -> Option<WebviewWindow<R>> {
    let started = Instant::now();
    let config = app
        .config()
        .app
        .windows
        .iter()
        .find(|w| w.label == crate::window::MAIN)?
        .clone();
    let built = tauri::WebviewWindowBuilder::from_config(app, &config)
        .and_then(|builder| builder.visible(false).build());
    match built {
        Ok(window) => {
            crate::rendering::apply(&window);
            crate::window::apply_background(&window);
            if let Some(desk) = app.try_state::<crate::desk::Desk>() {
                crate::setup::apply_spell_check(app, &desk.settings().spell_check);
                // The new window has the config's title: put the indicators back in it.
                desk.forget_shown_chrome();
            }
            tracing::info!(
                build_ms = format_args!("{:.1}", started.elapsed().as_secs_f64() * 1000.0),
                "window built again after tray mode"
            );
            Some(window)
        }
        Err(error) => {
            tracing::error!(%error, "could not build the window again");
            None
        }
    }
}

/// The page is ready: a rebuilt window waiting for it is shown, and "shown again → ready" logged.
pub fn page_ready<R: Runtime>(app: &AppHandle<R>, show_now: fn(&WebviewWindow<R>)) {
    let Some(ms) = app
        .try_state::<TrayMode>()
        .and_then(|mode| mode.take_pending_show())
    else {
        return;
    };
    if let Some(window) = app.get_webview_window(crate::window::MAIN) {
        show_now(&window);
    }
    crate::window::refresh(app);
    tracing::info!(
        target: "agent_desk_lib::timing",
        mark = "shown again, page ready",
        since_show_ms = format_args!("{ms:.1}"),
        "timing"
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grace_comes_from_the_environment_value() {
        assert_eq!(parse_grace(None), Some(DEFAULT_GRACE));
        assert_eq!(parse_grace(Some("")), Some(DEFAULT_GRACE));
        assert_eq!(parse_grace(Some("250")), Some(Duration::from_millis(250)));
        assert_eq!(parse_grace(Some(" 0 ")), Some(Duration::ZERO));
        assert_eq!(parse_grace(Some("never")), None);
        assert_eq!(parse_grace(Some("OFF")), None);
        assert_eq!(parse_grace(Some("soon")), Some(DEFAULT_GRACE));
    }

    #[test]
    fn a_show_after_a_hide_calls_the_release_off() {
        let mode = TrayMode::new(Some(Duration::ZERO));
        let hide = mode.bump();
        assert!(mode.is_current(hide));
        mode.bump(); // shown again
        assert!(!mode.is_current(hide));
    }

    #[test]
    fn the_view_stays_and_the_chat_to_open_is_handed_over_once() {
        let mode = TrayMode::new(None);
        assert_eq!(mode.view_state(), ViewState::default());
        let view = ViewMemory {
            open: vec![ChatKey::from("K1"), ChatKey::from("K2")],
            active: Some(ChatKey::from("K2")),
            scroll: vec![PaneScroll {
                chat: ChatKey::from("K1"),
                line: "l-7".into(),
                offset: f64::NAN,
            }],
        };
        mode.save_view(view.clone());
        mode.want_chat(None);
        mode.want_chat(Some(ChatKey::from("K3")));
        let state = mode.view_state();
        let kept = state.view.unwrap();
        assert_eq!(kept.open, view.open);
        assert_eq!(kept.scroll[0].offset, 0.0, "a non-finite offset is made 0");
        assert_eq!(state.open_chat, Some(ChatKey::from("K3")));
        let again = mode.view_state();
        assert!(again.view.is_some(), "a reload restores the view too");
        assert_eq!(again.open_chat, None, "the chat is opened once");
    }

    #[test]
    fn a_huge_view_is_cut_down() {
        let mode = TrayMode::new(None);
        mode.save_view(ViewMemory {
            open: (0..100).map(|i| ChatKey::from(format!("K{i}"))).collect(),
            active: None,
            scroll: Vec::new(),
        });
        assert_eq!(mode.view_state().view.unwrap().open.len(), MAX_PANES);
    }
}
