//! Start-up timing marks the app logs itself: one `info` line each, with the milliseconds since the
//! process started and the wall clock (`unix_ms`), so `scripts/bench-desktop.sh` can line them up
//! with its own launch time and screen grabs.
//!
//! Marks, in the order they usually come: `process start`, `app built (plugins initialised)`, `setup
//! start (window created)`, `engine spawned (database open)`, `engine started`, `setup done`, `page
//! load started`, `page load finished`, `window shown` (the first window, once its page has loaded:
//! `first_show.rs`), `first render` (the UI's first frame with content, reported with the
//! [`FIRST_RENDER`] event), `tray built` and `start finished` (the start-up work that waits for that
//! frame).

use std::sync::OnceLock;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// The event the UI emits once it has painted its first frame with content.
pub const FIRST_RENDER: &str = "ui-first-render";

/// Carries the start time across the re-exec of [`crate::rendering::reexec_if_needed`] (ns since
/// the Unix epoch), so marks count from the first `main`, not the second.
pub const START_ENV: &str = "AGENT_DESK_START_UNIX_NS";

struct Start {
    instant: Instant,
    /// Wall-clock time of `instant`.
    unix: Duration,
}

static START: OnceLock<Start> = OnceLock::new();

fn now_unix() -> Duration {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default()
}

/// Records the process start (the first call wins). Call at the top of `main`. An inherited
/// [`START_ENV`] (set before a re-exec) moves the start back to the first process image.
pub fn start() {
    START.get_or_init(|| {
        let instant = Instant::now();
        let now = now_unix();
        let inherited = std::env::var(START_ENV)
            .ok()
            .and_then(|ns| ns.trim().parse::<u64>().ok())
            .map(Duration::from_nanos)
            .filter(|then| *then <= now && now - *then < Duration::from_secs(60));
        match inherited {
            Some(then) => Start {
                instant: instant.checked_sub(now - then).unwrap_or(instant),
                unix: then,
            },
            None => Start { instant, unix: now },
        }
    });
}

/// The recorded start as ns since the Unix epoch (for [`START_ENV`]).
pub fn start_unix_ns() -> u128 {
    start();
    START.get().map(|s| s.unix.as_nanos()).unwrap_or_default()
}

/// The wall clock as milliseconds since the Unix epoch (the engine's `EpochMs`).
pub fn now_ms() -> i64 {
    now_unix().as_millis().try_into().unwrap_or(i64::MAX)
}

/// Milliseconds since [`start`].
pub fn since_start_ms() -> f64 {
    start();
    START
        .get()
        .map(|s| s.instant.elapsed().as_secs_f64() * 1000.0)
        .unwrap_or_default()
}

/// Logs one timing mark: `timing mark=… since_start_ms=… unix_ms=…`.
pub fn mark(name: &str) {
    let since = since_start_ms();
    let unix_ms = now_unix().as_millis();
    tracing::info!(target: "agent_desk_lib::timing", mark = name, since_start_ms = format_args!("{since:.1}"), unix_ms = unix_ms as u64, "timing");
}

/// Logs the process start mark (after logging is up): its `since_start_ms` is 0 and its `unix_ms`
/// the recorded start, not now.
pub fn mark_process_start() {
    start();
    let unix_ms = START
        .get()
        .map(|s| s.unix.as_millis() as u64)
        .unwrap_or_default();
    tracing::info!(target: "agent_desk_lib::timing", mark = "process start", since_start_ms = 0.0, unix_ms, logged_at_ms = format_args!("{:.1}", since_start_ms()), "timing");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn time_runs_forward_from_the_start() {
        start();
        let a = since_start_ms();
        std::thread::sleep(Duration::from_millis(2));
        let b = since_start_ms();
        assert!(b > a && a >= 0.0);
        assert!(start_unix_ns() > 0);
    }
}
