//! Shared test helpers: a simulator, a fast engine config, an event recorder.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use engine::{
    Availability, ChatLine, EngineConfig, EngineEvent, EngineHandle, LineSource, LoginRequest,
    SecretStoreKind,
};
use simulator::{SimConfig, Simulator, StartChat};
use std::path::Path;
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
}

impl Recorder {
    pub fn new(mut rx: broadcast::Receiver<EngineEvent>) -> Self {
        let events = Arc::new(Mutex::new(Vec::new()));
        let lagged = Arc::new(Mutex::new(None));
        let (sink, missed) = (events.clone(), lagged.clone());
        tokio::spawn(async move {
            loop {
                match rx.recv().await {
                    Ok(e) => sink.lock().unwrap().push(e),
                    Err(broadcast::error::RecvError::Lagged(n)) => {
                        *missed.lock().unwrap() = Some(n);
                        break;
                    }
                    Err(broadcast::error::RecvError::Closed) => break,
                }
            }
        });
        Self { events, lagged }
    }

    pub fn all(&self) -> Vec<EngineEvent> {
        if let Some(n) = *self.lagged.lock().unwrap() {
            panic!("the recorder missed {n} events");
        }
        self.events.lock().unwrap().clone()
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
