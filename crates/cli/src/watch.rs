//! `watch`: one JSON object per line for every engine event, until the time is up or a signal.
//!
//! Nothing is dropped silently: when stdout falls so far behind that the engine's event channel
//! overflows, the events this run missed are replaced by one line
//! `{"type":"resync","missed":N,"snapshot":DeskSnapshot}` holding the whole desk as it is then
//! (the snapshot already contains what the missed events said); events after it may repeat what
//! the snapshot shows (lines carry their `id`).

use crate::args::AvailabilityArg;
use crate::fail::Failure;
use crate::retry;
use engine::{ChatKey, DeskSnapshot, EngineEvent, EngineHandle, TextType};
use serde::Serialize;
use std::collections::HashSet;
use std::future::Future;
use std::io::Write;
use std::time::Duration;
use tokio::sync::broadcast::{
    self,
    error::{RecvError, TryRecvError},
};

/// Options of `watch`.
pub struct Watch {
    pub availability: Option<AvailabilityArg>,
    pub greet: Option<String>,
    pub duration: Option<Duration>,
}

/// What `watch` needs from the engine besides its events (tests feed any channel instead).
pub(crate) trait Desk {
    /// The whole desk as it is now.
    fn snapshot(&self) -> impl Future<Output = DeskSnapshot>;
    /// Runs after `event` is printed.
    fn after(&mut self, event: &EngineEvent) -> impl Future<Output = ()>;
}

/// The running engine; greets each chat this run accepts once.
struct Live<'a> {
    engine: &'a EngineHandle,
    greet: Option<String>,
    greeted: HashSet<ChatKey>,
}

impl Desk for Live<'_> {
    async fn snapshot(&self) -> DeskSnapshot {
        self.engine.snapshot().await
    }

    async fn after(&mut self, event: &EngineEvent) {
        if let (EngineEvent::ChatAccepted { chat }, Some(text)) = (event, &self.greet)
            && self.greeted.insert(chat.clone())
            && let Err(e) = self
                .engine
                .send_line(chat.clone(), text.clone(), TextType::Plain, false)
                .await
        {
            tracing::warn!(error = %e, "greeting not queued");
        }
    }
}

/// The line printed in place of events the output missed.
#[derive(Serialize)]
#[serde(tag = "type", rename = "resync")]
struct Resync<'a> {
    missed: u64,
    snapshot: &'a DeskSnapshot,
}

/// Where the JSON lines go (stdout; a buffer in tests).
pub(crate) struct Lines<W>(pub W);

impl<W: Write> Lines<W> {
    fn write(&mut self, value: &impl Serialize) -> Result<(), Failure> {
        let line = serde_json::to_string(value).map_err(|e| Failure::other(e.to_string()))?;
        writeln!(self.0, "{line}")
            .and_then(|()| self.0.flush())
            .map_err(|e| Failure::other(format!("stdout: {e}")))
    }

    async fn resync(&mut self, desk: &impl Desk, missed: u64) -> Result<(), Failure> {
        tracing::warn!(
            missed,
            "output fell behind; printing the whole desk instead"
        );
        let snapshot = desk.snapshot().await;
        self.write(&Resync {
            missed,
            snapshot: &snapshot,
        })
    }
}

/// Prints every event until the channel closes; missed events become one `resync` line.
pub(crate) async fn pump<W: Write>(
    desk: &mut impl Desk,
    events: &mut broadcast::Receiver<EngineEvent>,
    out: &mut Lines<W>,
) -> Result<(), Failure> {
    loop {
        match events.recv().await {
            Ok(event) => {
                out.write(&event)?;
                desk.after(&event).await;
            }
            Err(RecvError::Lagged(n)) => out.resync(desk, n).await?,
            Err(RecvError::Closed) => return Ok(()),
        }
    }
}

/// Prints what is already queued (at the end of a run), a `resync` line for anything missed.
pub(crate) async fn drain<W: Write>(
    desk: &impl Desk,
    events: &mut broadcast::Receiver<EngineEvent>,
    out: &mut Lines<W>,
) -> Result<(), Failure> {
    loop {
        match events.try_recv() {
            Ok(event) => out.write(&event)?,
            Err(TryRecvError::Lagged(n)) => out.resync(desk, n).await?,
            Err(TryRecvError::Empty | TryRecvError::Closed) => return Ok(()),
        }
    }
}

/// SIGINT or SIGTERM (Windows: Ctrl-C or Ctrl-Break). The handlers are installed at once, so a
/// signal that comes after the first printed line is always seen.
fn stop_signal() -> impl Future<Output = ()> {
    #[cfg(unix)]
    let streams = {
        use tokio::signal::unix::{SignalKind, signal};
        signal(SignalKind::terminate())
            .and_then(|term| Ok((term, signal(SignalKind::interrupt())?)))
            .ok()
    };
    #[cfg(windows)]
    let streams = {
        use tokio::signal::windows::{ctrl_break, ctrl_c};
        ctrl_c().and_then(|c| Ok((c, ctrl_break()?))).ok()
    };
    async move {
        #[cfg(any(unix, windows))]
        if let Some((mut first, mut second)) = streams {
            tokio::select! {
                _ = first.recv() => {}
                _ = second.recv() => {}
            }
            return;
        }
        // No handler could be installed: Ctrl-C, registered when first polled.
        let _ = tokio::signal::ctrl_c().await;
    }
}

/// Runs `watch` on a logged-in engine; `events` was subscribed before the login.
pub async fn run(
    engine: &EngineHandle,
    mut events: broadcast::Receiver<EngineEvent>,
    opts: Watch,
) -> Result<(), Failure> {
    let signal = stop_signal();
    let mut desk = Live {
        engine,
        greet: opts.greet,
        greeted: HashSet::new(),
    };
    let mut out = Lines(std::io::stdout());
    let result = until_stopped(
        engine,
        &mut desk,
        &mut events,
        &mut out,
        signal,
        (opts.availability, opts.duration),
    )
    .await;
    // Print what is already queued, then stop (no logout: the chats stay with the agent).
    let drained = drain(&desk, &mut events, &mut out).await;
    result.and(drained)
}

/// Prints events while the availability is set (retried, spec §8), then until `duration` is up
/// (counted from then), a signal, or the engine stops.
async fn until_stopped<W: Write>(
    engine: &EngineHandle,
    desk: &mut Live<'_>,
    events: &mut broadcast::Receiver<EngineEvent>,
    out: &mut Lines<W>,
    signal: impl Future<Output = ()>,
    (availability, duration): (Option<AvailabilityArg>, Option<Duration>),
) -> Result<(), Failure> {
    tokio::pin!(signal);
    let pump = pump(desk, events, out);
    tokio::pin!(pump);
    if let Some(a) = availability {
        let set = retry::retrying("set availability", |_| {
            engine.set_availability(a.engine(), None)
        });
        tokio::select! {
            r = set => r?,
            r = &mut pump => return r,
            () = &mut signal => {
                tracing::info!("signal received; stopping");
                return Ok(());
            }
        }
    }
    let deadline = async {
        match duration {
            Some(d) => tokio::time::sleep(d).await,
            None => std::future::pending().await,
        }
    };
    tokio::select! {
        () = deadline => Ok(()),
        () = &mut signal => {
            tracing::info!("signal received; stopping");
            Ok(())
        }
        r = &mut pump => r,
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use engine::{ChatLine, ChatOrigin, ChatSnapshot, ChatState, ChatSummary, LineSource};
    use serde_json::Value;

    /// A desk whose snapshot is fixed; counts what `after` saw.
    struct Fixed {
        snapshot: DeskSnapshot,
        after: usize,
    }

    impl Desk for Fixed {
        async fn snapshot(&self) -> DeskSnapshot {
            self.snapshot.clone()
        }
        async fn after(&mut self, _: &EngineEvent) {
            self.after += 1;
        }
    }

    fn typing(n: u32) -> EngineEvent {
        EngineEvent::VisitorTyping {
            chat: format!("K{n}"),
            typing: true,
        }
    }

    fn printed(out: Lines<Vec<u8>>) -> Vec<Value> {
        String::from_utf8(out.0)
            .unwrap()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect()
    }

    fn desk_with_a_line() -> DeskSnapshot {
        let mut desk = DeskSnapshot::stopped();
        let line = ChatLine {
            chat: "K1".into(),
            id: 7,
            time: None,
            source: LineSource::Visitor,
            by: "Vera".into(),
            text: "kept in the snapshot".into(),
            text_type: TextType::Plain,
            system_message_id: None,
            agent_only: false,
            local_id: None,
            card: None,
            seen_at: None,
            latency_ms: None,
        };
        let summary = ChatSummary {
            chat: "K1".into(),
            state: ChatState::Chatting,
            visitor_name: "Vera".into(),
            agent_name: None,
            skill: None,
            start_time: None,
            origin: ChatOrigin::Accepted,
            accepted_at: None,
            chat_timeout: None,
            participant_id: None,
            agents: Vec::new(),
        };
        desk.chats.push(ChatSnapshot {
            summary,
            lines: vec![line],
            outbox: vec![],
            visitor_typing: false,
            draft: None,
            customer: None,
        });
        desk
    }

    #[tokio::test]
    async fn an_overflowing_channel_prints_one_resync_line_with_the_snapshot() {
        let (tx, mut rx) = broadcast::channel(4);
        for n in 0..10 {
            tx.send(typing(n)).unwrap();
        }
        drop(tx);
        let mut desk = Fixed {
            snapshot: desk_with_a_line(),
            after: 0,
        };
        let mut out = Lines(Vec::new());
        pump(&mut desk, &mut rx, &mut out).await.unwrap();
        let lines = printed(out);
        assert_eq!(lines.len(), 5, "{lines:#?}");
        assert_eq!(lines[0]["type"], "resync");
        assert_eq!(lines[0]["missed"], 6);
        assert_eq!(
            lines[0]["snapshot"]["chats"][0]["lines"][0]["text"],
            "kept in the snapshot"
        );
        assert_eq!(lines[0]["snapshot"]["session"], "loggedOut");
        let rest: Vec<_> = lines[1..].iter().map(|v| v["chat"].clone()).collect();
        assert_eq!(rest, ["K6", "K7", "K8", "K9"]);
        assert!(lines[1..].iter().all(|v| v["type"] == "visitorTyping"));
        assert_eq!(desk.after, 4, "only printed events run `after`");
    }

    #[tokio::test]
    async fn drain_also_turns_a_lag_into_a_resync_line() {
        let (tx, mut rx) = broadcast::channel(2);
        for n in 0..5 {
            tx.send(typing(n)).unwrap();
        }
        let desk = Fixed {
            snapshot: DeskSnapshot::stopped(),
            after: 0,
        };
        let mut out = Lines(Vec::new());
        drain(&desk, &mut rx, &mut out).await.unwrap();
        let lines = printed(out);
        let types: Vec<_> = lines.iter().map(|v| v["type"].clone()).collect();
        assert_eq!(types, ["resync", "visitorTyping", "visitorTyping"]);
        assert_eq!(lines[0]["missed"], 3);
        assert_eq!(lines[0]["snapshot"]["chats"], serde_json::json!([]));
    }

    #[tokio::test]
    async fn no_resync_when_the_output_keeps_up() {
        let (tx, mut rx) = broadcast::channel(16);
        for n in 0..10 {
            tx.send(typing(n)).unwrap();
        }
        drop(tx);
        let mut desk = Fixed {
            snapshot: DeskSnapshot::stopped(),
            after: 0,
        };
        let mut out = Lines(Vec::new());
        pump(&mut desk, &mut rx, &mut out).await.unwrap();
        let lines = printed(out);
        assert_eq!(lines.len(), 10);
        assert!(lines.iter().all(|v| v["type"] == "visitorTyping"));
    }
}
