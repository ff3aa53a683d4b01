//! The one `tracing` subscriber: stdout plus a daily rolling file in the app's log folder (seven
//! days kept). Chat text and visitor names stay out of the logs unless `AGENT_DESK_LOG_CHAT_TEXT=1`
//! (the engine's diagnostics switch).
//! Libraries only emit; noisy HTTP and webview crates are turned down. `RUST_LOG` overrides.

use std::path::Path;

use tracing_appender::non_blocking::WorkerGuard;
use tracing_subscriber::{EnvFilter, fmt, layer::SubscriberExt, util::SubscriberInitExt};

/// The default filter: our crates at debug, the noisy ones at warn.
pub const DEFAULT_FILTER: &str = "info,agent_desk_lib=debug,engine=debug,chat_api=info,\
hyper=warn,hyper_util=warn,reqwest=warn,rustls=warn,h2=warn,tower=warn,tower_http=warn,\
axum=warn,tao=warn,wry=warn,zbus=warn,tracing=warn";

/// Days of log files kept; older ones are deleted as new ones start.
pub const KEEP_DAYS: usize = 7;

/// One file a day (`agent-desk.YYYY-MM-DD.log`), the last [`KEEP_DAYS`] kept.
fn daily_files(
    log_dir: &Path,
) -> Result<tracing_appender::rolling::RollingFileAppender, tracing_appender::rolling::InitError> {
    tracing_appender::rolling::RollingFileAppender::builder()
        .rotation(tracing_appender::rolling::Rotation::DAILY)
        .filename_prefix("agent-desk")
        .filename_suffix("log")
        .max_log_files(KEEP_DAYS)
        .build(log_dir)
}

/// Installs the subscriber. Keep the guard alive for the life of the app (it flushes the file).
pub fn init(log_dir: &Path) -> Option<WorkerGuard> {
    let filter =
        EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(DEFAULT_FILTER));
    let stdout = fmt::layer().with_target(true);
    let (file, guard) = match std::fs::create_dir_all(log_dir) {
        Ok(()) => match daily_files(log_dir) {
            Ok(appender) => {
                let (writer, guard) = tracing_appender::non_blocking(appender);
                (
                    Some(fmt::layer().with_ansi(false).with_writer(writer)),
                    Some(guard),
                )
            }
            Err(error) => {
                eprintln!("agent-desk: cannot log to {}: {error}", log_dir.display());
                (None, None)
            }
        },
        Err(error) => {
            eprintln!(
                "agent-desk: cannot create log folder {}: {error}",
                log_dir.display()
            );
            (None, None)
        }
    };
    let installed = tracing_subscriber::registry()
        .with(filter)
        .with(stdout)
        .with(file)
        .try_init();
    if installed.is_err() {
        // Already installed (tests, or a second call): keep the existing one.
        return None;
    }
    tracing::info!(log_dir = %log_dir.display(), "logging to stdout and a daily file");
    guard
}
