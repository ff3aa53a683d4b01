//! `watch`: one JSON object per line for every engine event, until the time is up or a signal.

use crate::args::AvailabilityArg;
use crate::fail::Failure;
use engine::{EngineEvent, EngineHandle, TextType};
use std::collections::HashSet;
use std::io::Write;
use std::time::Duration;
use tokio::sync::broadcast::{self, error::RecvError};

/// Options of `watch`.
pub struct Watch {
    pub availability: Option<AvailabilityArg>,
    pub greet: Option<String>,
    pub duration: Option<Duration>,
}

fn print(event: &EngineEvent) -> Result<(), Failure> {
    let line = serde_json::to_string(event).map_err(|e| Failure::other(e.to_string()))?;
    let mut out = std::io::stdout().lock();
    writeln!(out, "{line}")
        .and_then(|()| out.flush())
        .map_err(|e| Failure::other(format!("stdout: {e}")))
}

async fn stop_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        if let Ok(mut term) = signal(SignalKind::terminate()) {
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = term.recv() => {}
            }
            return;
        }
    }
    let _ = tokio::signal::ctrl_c().await;
}

/// Runs `watch` on a logged-in engine; `events` was subscribed before the login.
pub async fn run(
    engine: &EngineHandle,
    mut events: broadcast::Receiver<EngineEvent>,
    opts: Watch,
) -> Result<(), Failure> {
    if let Some(a) = opts.availability {
        engine.set_availability(a.engine(), None).await?;
    }
    let deadline = async {
        match opts.duration {
            Some(d) => tokio::time::sleep(d).await,
            None => std::future::pending().await,
        }
    };
    tokio::pin!(deadline);
    let signal = stop_signal();
    tokio::pin!(signal);
    let mut greeted = HashSet::new();
    loop {
        tokio::select! {
            _ = &mut deadline => break,
            _ = &mut signal => {
                tracing::info!("signal received; stopping");
                break;
            }
            ev = events.recv() => match ev {
                Ok(event) => {
                    print(&event)?;
                    if let (EngineEvent::ChatAccepted { chat }, Some(text)) = (&event, &opts.greet)
                        && greeted.insert(chat.clone())
                        && let Err(e) = engine.send_line(chat.clone(), text.clone(), TextType::Plain, false).await
                    {
                        tracing::warn!(error = %e, "greeting not queued");
                    }
                }
                Err(RecvError::Lagged(n)) => tracing::warn!(missed = n, "output too slow; events were dropped"),
                Err(RecvError::Closed) => break,
            }
        }
    }
    // Print what is already queued, then stop (no logout: the chats stay with the agent).
    while let Ok(event) = events.try_recv() {
        print(&event)?;
    }
    Ok(())
}
