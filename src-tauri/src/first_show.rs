//! The first window of a run (issue 10 §4): created hidden, shown once its page has drawn its first
//! view, on the app's background colour, so the agent never sees a blank or white frame. The start-up
//! work that view does not need (the tray, the start-at-login entry, the spell checker) waits until
//! the view is on screen instead of holding the GTK main thread before it.
//!
//! When is the first view drawn? The page's script builds the login form as soon as it runs, and
//! WebKit finishes a load only after the page's scripts have run: "page load finished" is the
//! signal. The page cannot report a painted frame itself while the window is hidden (a hidden
//! window gets no animation frames), so showing the window is what paints it; the window's
//! background colour covers the moment in between. After the window shows, the page reports its
//! first frame (`ui-first-render`): the rest of the start runs then. `ui-ready` counts as a load
//! too. If no signal comes within [`READY_FALLBACK`], the window is shown anyway and the rest runs,
//! so a broken page never leaves the agent without a window or a tray.
//!
//! Starting hidden in the tray shows nothing; the rest runs at the first signal (there is no frame
//! to wait for).
//!
//! `AGENT_DESK_SHOW_WINDOW=loaded|setup` chooses when the window shows: once its page has loaded
//! (`loaded`), or at once from setup, on its background colour while the page loads (`setup`,
//! what the app did before). Mapping the window is slow on its own (GTK, the accessibility bridge,
//! WebKit sizing the page: ≈ 0.35 s here), and shown from setup that time overlaps the page load;
//! see docs/benchmarks.md for what each costs.

use std::sync::Mutex;
use std::time::Instant;

use tauri::{AppHandle, Manager, Runtime};

use crate::tray_mode::READY_FALLBACK;

/// The environment variable that chooses [`ShowAt`].
pub const SHOW_ENV: &str = "AGENT_DESK_SHOW_WINDOW";

/// When the first window is shown.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum ShowAt {
    /// From setup, on its background colour while the page loads.
    Setup,
    /// Once its page has loaded (its first view is drawn).
    #[default]
    PageLoaded,
}

impl ShowAt {
    /// From the value of [`SHOW_ENV`]; unknown values mean the default.
    pub fn parse(value: Option<&str>) -> Self {
        match value.map(|v| v.trim().to_ascii_lowercase()).as_deref() {
            Some("setup" | "early") => Self::Setup,
            Some("loaded" | "late") => Self::PageLoaded,
            _ => Self::default(),
        }
    }
}

/// What the shell heard from the first page (or its clock).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Signal {
    /// Setup is done with the window (it exists, hidden, its page loading).
    Setup,
    /// WebKit finished loading the page: its script has drawn the first view.
    PageLoaded,
    /// The page drew what it restores at start (`ui-ready`).
    PageReady,
    /// The page's first frame is on screen (`ui-first-render`).
    FirstRender,
    /// [`READY_FALLBACK`] passed since setup.
    Fallback,
}

/// What to do on a signal.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Steps {
    /// Show the window now.
    pub show: bool,
    /// Run the rest of the start now (tray, start-at-login entry, spell checker).
    pub rest: bool,
}

/// The first window's progress (pure; the shell's state holds one in a mutex).
#[derive(Debug)]
pub struct FirstShow {
    hidden: bool,
    at: ShowAt,
    shown: bool,
    rest_done: bool,
    since: Instant,
}

impl FirstShow {
    /// `hidden`: the desk starts hidden in the tray (the window is never shown by this).
    pub fn new(hidden: bool, at: ShowAt) -> Self {
        Self {
            hidden,
            at,
            shown: false,
            rest_done: false,
            since: Instant::now(),
        }
    }

    /// Each step happens once: the window is shown at the first signal ([`Signal::Setup`] counts
    /// only with [`ShowAt::Setup`]), the rest of the start once
    /// the first frame is on screen (hidden: at the first signal); the fallback does whatever is
    /// left.
    pub fn on(&mut self, signal: Signal) -> Steps {
        let show =
            !self.hidden && !self.shown && (signal != Signal::Setup || self.at == ShowAt::Setup);
        let rest = !self.rest_done
            && match signal {
                Signal::Setup => false,
                Signal::FirstRender | Signal::Fallback => true,
                Signal::PageLoaded | Signal::PageReady => self.hidden,
            };
        self.shown |= show;
        self.rest_done |= rest;
        Steps { show, rest }
    }
}

fn lock(m: &Mutex<FirstShow>) -> std::sync::MutexGuard<'_, FirstShow> {
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Managed state: the first window's progress.
pub struct FirstWindow(Mutex<FirstShow>);

/// From setup: the window waits (hidden) for its page, or shows now ([`SHOW_ENV`]); the fallback
/// clock starts.
pub fn begin<R: Runtime>(app: &AppHandle<R>, hidden: bool) {
    let at = ShowAt::parse(std::env::var(SHOW_ENV).ok().as_deref());
    app.manage(FirstWindow(Mutex::new(FirstShow::new(hidden, at))));
    signal(app, Signal::Setup);
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        tokio::time::sleep(READY_FALLBACK).await;
        signal(&app, Signal::Fallback);
    });
}

/// A signal from the page, WebKit or the clock: shows the window and runs the rest of the start
/// when their time has come.
pub fn signal<R: Runtime>(app: &AppHandle<R>, signal: Signal) {
    let Some(first) = app.try_state::<FirstWindow>() else {
        return;
    };
    let (steps, waited_ms) = {
        let mut state = lock(&first.0);
        let steps = state.on(signal);
        (steps, state.since.elapsed().as_secs_f64() * 1000.0)
    };
    if steps.show {
        if signal == Signal::Fallback {
            tracing::warn!("the first page did not load in time; showing the window anyway");
        }
        crate::window::show(app);
        crate::timing::mark("window shown");
        tracing::info!(
            ?signal,
            waited_ms = format_args!("{waited_ms:.1}"),
            "first window shown"
        );
    }
    if steps.rest {
        let main = app.clone();
        let queued = app.run_on_main_thread(move || rest_of_start(&main));
        if let Err(error) = queued {
            tracing::warn!(%error, "could not finish the start");
        }
    }
}

/// What the first view does not need: the tray (GTK, on the main thread), the title, the spell
/// checker, and the start-at-login entry (files, off the main thread).
fn rest_of_start<R: Runtime>(app: &AppHandle<R>) {
    if let Err(error) = crate::tray::build(app) {
        // No tray host (e.g. a bare X server) is not fatal: the window stays.
        tracing::warn!(%error, "no system tray");
    }
    crate::timing::mark("tray built");
    crate::window::refresh(app);
    if let Some(desk) = app.try_state::<crate::desk::Desk>() {
        crate::setup::apply_spell_check(app, &desk.settings().spell_check);
    }
    let background = app.clone();
    tauri::async_runtime::spawn_blocking(move || crate::startup::sync_at_start(&background));
    crate::timing::mark("start finished (tray, title, spell checker)");
}

#[cfg(test)]
mod tests {
    use super::*;
    use Signal::*;

    fn run(hidden: bool, signals: &[Signal]) -> Vec<Steps> {
        let mut first = FirstShow::new(hidden, ShowAt::PageLoaded);
        signals.iter().map(|s| first.on(*s)).collect()
    }

    const NOTHING: Steps = Steps {
        show: false,
        rest: false,
    };
    const SHOW: Steps = Steps {
        show: true,
        rest: false,
    };
    const REST: Steps = Steps {
        show: false,
        rest: true,
    };

    #[test]
    fn shown_when_the_page_has_loaded_and_the_rest_after_its_first_frame() {
        assert_eq!(
            run(
                false,
                &[Setup, PageLoaded, PageReady, FirstRender, Fallback]
            ),
            [NOTHING, SHOW, NOTHING, REST, NOTHING]
        );
        // `ui-ready` before the load is reported: shown then, once.
        assert_eq!(
            run(false, &[PageReady, PageLoaded, FirstRender]),
            [SHOW, NOTHING, REST]
        );
    }

    #[test]
    fn shown_from_setup_when_asked_and_the_rest_still_after_the_first_frame() {
        let mut first = FirstShow::new(false, ShowAt::Setup);
        let steps: Vec<Steps> = [Setup, PageLoaded, FirstRender, Fallback]
            .iter()
            .map(|s| first.on(*s))
            .collect();
        assert_eq!(steps, [SHOW, NOTHING, REST, NOTHING]);
        let mut hidden = FirstShow::new(true, ShowAt::Setup);
        assert_eq!(hidden.on(Setup), NOTHING);
        assert_eq!(hidden.on(PageLoaded), REST);
    }

    #[test]
    fn when_to_show_from_the_environment_value() {
        assert_eq!(ShowAt::parse(None), ShowAt::PageLoaded);
        assert_eq!(ShowAt::parse(Some(" Setup ")), ShowAt::Setup);
        assert_eq!(ShowAt::parse(Some("loaded")), ShowAt::PageLoaded);
        assert_eq!(ShowAt::parse(Some("whenever")), ShowAt::PageLoaded);
    }

    #[test]
    fn a_page_that_never_loads_still_gets_a_window_and_a_tray() {
        assert_eq!(
            run(false, &[Fallback]),
            [Steps {
                show: true,
                rest: true
            }]
        );
        // Loaded but its first frame never reported: the fallback runs the rest.
        assert_eq!(run(false, &[PageLoaded, Fallback]), [SHOW, REST]);
    }

    #[test]
    fn starting_hidden_shows_nothing_and_does_not_wait_for_a_frame() {
        assert_eq!(
            run(true, &[Setup, PageLoaded, PageReady, FirstRender, Fallback]),
            [NOTHING, REST, NOTHING, NOTHING, NOTHING]
        );
        assert_eq!(run(true, &[Fallback]), [REST]);
    }
}
