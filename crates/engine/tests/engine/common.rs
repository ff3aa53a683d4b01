//! Shared test helpers: a simulator, a fast engine config, an event recorder.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use engine::{
    Availability, ChatLine, EngineConfig, EngineEvent, EngineHandle, LineSource, LoginRequest,
    OutboxState, SecretStoreKind,
};
use simulator::{RequestRecord, SimConfig, Simulator, StartChat};
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::broadcast;

pub const WAIT: Duration = Duration::from_secs(20);

pub async fn sim() -> Simulator {
    Simulator::start(SimConfig::default())
        .await
        .expect("simulator starts")
}

/// Short intervals and a shortened retry policy, memory-only secrets.
pub fn config(dir: &Path) -> EngineConfig {
    EngineConfig {
        data_dir: Some(dir.to_path_buf()),
        secrets: SecretStoreKind::Memory,
        poll_interval: Duration::from_millis(250),
        ringing_interval: Duration::from_millis(250),
        availability_interval: Duration::from_millis(500),
        chat_sessions_interval: Duration::from_secs(2),
        chat_sessions_window: Duration::from_secs(20),
        request_timeout: Duration::from_millis(1500),
        backoff_scale: 0.05,
        verify_grace: Duration::from_millis(1500),
        ..EngineConfig::default()
    }
}

pub fn login_request(sim: &Simulator, user: &str) -> LoginRequest {
    LoginRequest {
        server: url::Url::parse(sim.base_url()).expect("url"),
        account: sim.account_id().to_string(),
        user: user.to_string(),
        password: Some(format!("{user}-pass")),
        // the simulator's CA in its https mode (AGENT_DESK_SIM_TLS=1), else none
        extra_ca_pem: sim.ca_pem().map(String::from),
    }
}

pub fn start_chat(skill: &str, name: &str, text: &str) -> StartChat {
    StartChat {
        skill: Some(skill.into()),
        visitor_name: name.into(),
        text: Some(text.into()),
    }
}

/// Records every event of an engine. A recorder that missed events (lagged) fails the test at
/// its next use: a panic inside its background task alone would go unnoticed.
#[derive(Clone)]
pub struct Recorder {
    events: Arc<Mutex<Vec<EngineEvent>>>,
    lagged: Arc<Mutex<Option<u64>>>,
    closed: Arc<AtomicBool>,
}

impl Recorder {
    pub fn new(mut rx: broadcast::Receiver<EngineEvent>) -> Self {
        let events = Arc::new(Mutex::new(Vec::new()));
        let lagged = Arc::new(Mutex::new(None));
        let closed = Arc::new(AtomicBool::new(false));
        let (sink, missed, ended) = (events.clone(), lagged.clone(), closed.clone());
        tokio::spawn(async move {
            loop {
                match rx.recv().await {
                    Ok(e) => sink.lock().unwrap().push(e),
                    Err(broadcast::error::RecvError::Lagged(n)) => {
                        *missed.lock().unwrap() = Some(n);
                        break;
                    }
                    Err(broadcast::error::RecvError::Closed) => {
                        ended.store(true, Ordering::SeqCst);
                        break;
                    }
                }
            }
        });
        Self {
            events,
            lagged,
            closed,
        }
    }

    pub fn all(&self) -> Vec<EngineEvent> {
        if let Some(n) = *self.lagged.lock().unwrap() {
            panic!("the recorder missed {n} events");
        }
        self.events.lock().unwrap().clone()
    }

    /// Fails the test when any event recorded so far matches `pred` (`what` says what must not
    /// have happened).
    pub fn assert_never(&self, what: &str, pred: impl Fn(&EngineEvent) -> bool) {
        let all = self.all();
        assert!(!all.iter().any(pred), "{what}: {all:#?}");
    }

    /// Waits until `pred` holds for some recorded event; returns it.
    pub async fn wait_for(&self, what: &str, pred: impl Fn(&EngineEvent) -> bool) -> EngineEvent {
        let deadline = tokio::time::Instant::now() + WAIT;
        loop {
            if let Some(e) = self.all().into_iter().find(|e| pred(e)) {
                return e;
            }
            if tokio::time::Instant::now() > deadline {
                panic!("timed out waiting for {what}; events: {:#?}", self.all());
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Waits until the engine task has ended (its event channel closed: every handle dropped and
    /// the task gone, its database closed), e.g. after dropping the handle to simulate a crash.
    pub async fn wait_closed(&self) {
        let deadline = tokio::time::Instant::now() + WAIT;
        while !self.closed.load(Ordering::SeqCst) {
            self.all();
            if tokio::time::Instant::now() > deadline {
                panic!("timed out waiting for the engine to stop");
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    /// Waits until the line `local_id` is settled as sent (an `outbox` event in state `sent`).
    pub async fn wait_sent(&self, local_id: &str) {
        let id = local_id.to_string();
        self.wait_for(&format!("line {local_id} sent"), move |e| {
            matches!(e, EngineEvent::Outbox { local_id, state: OutboxState::Sent, .. } if *local_id == id)
        })
        .await;
    }

    /// Lines of a chat as emitted.
    pub fn lines(&self, chat: &str) -> Vec<ChatLine> {
        self.all()
            .into_iter()
            .filter_map(|e| match e {
                EngineEvent::Line(l) if l.chat == chat => Some(l),
                _ => None,
            })
            .collect()
    }

    pub fn count_lines(&self, chat: &str, source: LineSource, text: &str) -> usize {
        self.lines(chat)
            .iter()
            .filter(|l| l.source == source && l.text == text)
            .count()
    }

    pub async fn wait_line(&self, chat: &str, source: LineSource, text: &str) {
        let (chat, text) = (chat.to_string(), text.to_string());
        self.wait_for(&format!("line {text:?}"), move |e| {
            matches!(e, EngineEvent::Line(l) if l.chat == chat && l.source == source && l.text == text)
        })
        .await;
    }
}

/// How often the visitor sees a line with this text.
pub async fn visitor_count(sim: &Simulator, chat: &str, text: &str) -> usize {
    sim.visitor_view(chat)
        .await
        .expect("visitor view")
        .iter()
        .filter(|e| e.get("text").and_then(|t| t.as_str()) == Some(text))
        .count()
}

/// Waits until the visitor sees `text` (at least once).
pub async fn wait_visitor_sees(sim: &Simulator, chat: &str, text: &str) {
    let deadline = tokio::time::Instant::now() + WAIT;
    while visitor_count(sim, chat, text).await == 0 {
        if tokio::time::Instant::now() > deadline {
            panic!(
                "visitor never saw {text:?}: {:#?}",
                sim.visitor_view(chat).await
            );
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// A multi-chat poll (`GET {S}/chat?chatSessionKeys=…&fromEventIds=…`).
pub fn is_poll(r: &RequestRecord) -> bool {
    r.method == "GET" && r.query.contains("fromEventIds=")
}

/// A multi-chat poll the simulator answered (a fault may have failed or dropped the others).
pub fn is_answered_poll(r: &RequestRecord) -> bool {
    is_poll(r) && r.status == 200
}

/// A ring check (`GET {S}/incomingRequests`): one a tick while logged in, chats or not.
pub fn is_ring_check(r: &RequestRecord) -> bool {
    r.path
        .trim_end_matches(".json")
        .ends_with("/incomingRequests")
}

/// Where the simulator's request log ends now: the mark [`wait_requests`] counts from.
pub async fn log_mark(sim: &Simulator) -> usize {
    sim.requests().await.len()
}

/// Waits until `done` holds for the simulator's request log (a request is logged once it is
/// answered); returns the log.
pub async fn wait_log(
    sim: &Simulator,
    what: &str,
    done: impl Fn(&[RequestRecord]) -> bool,
) -> Vec<RequestRecord> {
    let deadline = tokio::time::Instant::now() + WAIT;
    loop {
        let log = sim.requests().await;
        if done(&log) {
            return log;
        }
        if tokio::time::Instant::now() > deadline {
            let tail: Vec<String> = log
                .iter()
                .rev()
                .take(20)
                .map(|r| format!("{} {} {}?{}", r.status, r.method, r.path, r.query))
                .collect();
            panic!("timed out waiting for {what}; last requests, newest first: {tail:#?}");
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// Waits until the simulator has answered `k` requests matching `pred` after `mark` (from
/// [`log_mark`]); returns every request after the mark.
pub async fn wait_requests(
    sim: &Simulator,
    what: &str,
    mark: usize,
    k: usize,
    pred: impl Fn(&RequestRecord) -> bool,
) -> Vec<RequestRecord> {
    let log = wait_log(sim, &format!("{k} × {what}"), |log| {
        log.get(mark..)
            .is_some_and(|new| new.iter().filter(|r| pred(r)).count() >= k)
    })
    .await;
    log[mark..].to_vec()
}

/// Answered multi-chat polls to let go by before asserting that something happened exactly once:
/// a resend needs a poll started after the verify grace (1.5 s in [`config`]) to find its line
/// missing, and the duplicate one more poll to come back; at one poll a tick (250 ms), 8 polls
/// cover both.
pub const SETTLE_POLLS: usize = 8;

/// Lets [`SETTLE_POLLS`] more answered multi-chat polls go by, so a late duplicate (a line
/// resent, an event emitted twice) would have shown. Needs a chat on the desk (else no polls).
pub async fn settle(sim: &Simulator) {
    let mark = log_mark(sim).await;
    wait_requests(
        sim,
        "answered multi-chat polls",
        mark,
        SETTLE_POLLS,
        is_answered_poll,
    )
    .await;
}

/// Logs in, goes Online and takes one chat started by a visitor.
pub async fn online_with_chat(
    sim: &Simulator,
    engine: &EngineHandle,
    rec: &Recorder,
    user: &str,
    skill: &str,
    first: &str,
) -> String {
    engine.login(login_request(sim, user)).await.expect("login");
    engine
        .set_availability(Availability::Online, None)
        .await
        .expect("online");
    let key = sim
        .start_chat(start_chat(skill, "Vera", first))
        .await
        .expect("chat");
    rec.wait_for("ringing", |e| matches!(e, EngineEvent::Ringing { .. }))
        .await;
    let taken = engine.accept().await.expect("accept");
    assert_eq!(taken, key);
    rec.wait_line(&key, LineSource::Visitor, first).await;
    key
}
