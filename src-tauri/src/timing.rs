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

/// Records the process start (the first call wins). Call at the top of `main`.
pub fn start() {
    START.get_or_init(|| Start {
        instant: Instant::now(),
        unix: now_unix(),
    });
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

/// The page's own marks that come with [`FIRST_RENDER`]: `{"marks": [[name, wall-clock ms], …]}`.
#[derive(Debug, serde::Deserialize)]
struct PageMarks {
    marks: Vec<(String, f64)>,
}

/// The marks of a [`FIRST_RENDER`] payload as (name, ms since `start_unix_ms`). Anything odd is
/// left out: a bad mark never stops the start.
fn parse_page_marks(payload: &str, start_unix_ms: f64) -> Vec<(String, f64)> {
    let Ok(page) = serde_json::from_str::<PageMarks>(payload) else {
        return Vec::new();
    };
    page.marks
        .into_iter()
        .take(12)
        .filter(|(name, unix_ms)| name.len() <= 40 && unix_ms.is_finite())
        .map(|(name, unix_ms)| (name, unix_ms - start_unix_ms))
        .filter(|(_, since)| since.abs() < 3_600_000.0)
        .collect()
}

/// Logs the page's marks of a [`FIRST_RENDER`] payload as `page: …` marks, on the same scale as
/// the shell's (ms since the process started).
pub fn page_marks(payload: &str) {
    let Some(start) = START.get() else {
        return;
    };
    for (name, since) in parse_page_marks(payload, start.unix.as_secs_f64() * 1000.0) {
        tracing::info!(target: "agent_desk_lib::timing", mark = format_args!("page: {name}"), since_start_ms = format_args!("{since:.1}"), "timing");
    }
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
    }

    #[test]
    fn page_marks_are_read_and_odd_ones_left_out() {
        let start = 1_796_333_437_000.0;
        assert!(parse_page_marks("not json", start).is_empty());
        assert!(parse_page_marks(r#"{"marks": "none"}"#, start).is_empty());
        let marks = parse_page_marks(
            r#"{"marks": [["navigation start", 1796333437120.5], ["huge", 1e308],
                ["a name far longer than forty characters, surely", 1796333437200.0],
                ["frame 2 (callback)", 1796333437390.25]]}"#,
            start,
        );
        assert_eq!(
            marks,
            vec![
                ("navigation start".to_string(), 120.5),
                ("frame 2 (callback)".to_string(), 390.25)
            ]
        );
    }
}
