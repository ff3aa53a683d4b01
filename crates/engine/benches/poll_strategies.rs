//! Poll strategies side by side, against the simulator on loopback:
//! - **batched**: the engine (one Retrieve Data for Multiple Chats request per tick, 25 keys a request);
//! - **per-chat**: LivePerson's sample client (GET each chat's events `next` link every tick).
//!
//! For N = 1, 10, 50, 100 active chats it reports requests per second and the latency from a visitor
//! line being added in the simulator to the line being seen (p50, p99). Both poll every second and
//! both also poll `incomingRequests` every second. Run: `cargo bench -p agent-desk-engine --bench
//! poll_strategies` (about 2 minutes; prints a Markdown table).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use chat_agent_api::{AgentSession, ApiClient, ChatRef, Credentials};
use engine::{Engine, EngineConfig, EngineEvent, LineSource, LoginRequest, SecretStoreKind};
use simulator::{SimConfig, Simulator, StartChat};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const TICK: Duration = Duration::from_secs(1);
const WINDOW: Duration = Duration::from_secs(8);
const LINES_PER_SECOND: u32 = 20;

type Seen = Arc<Mutex<HashMap<String, Instant>>>;

struct Figures {
    rps: f64,
    p50: Duration,
    p99: Duration,
    lost: usize,
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

/// Adds visitor lines over the window and waits for every one to be seen; returns the figures.
async fn measure(sim: &Simulator, keys: &[String], seen: &Seen, tag: &str) -> Figures {
    let before = sim.requests().await.len();
    let started = Instant::now();
    let mut sent: Vec<(String, Instant)> = Vec::new();
    let total = (WINDOW.as_secs_f64() * f64::from(LINES_PER_SECOND)) as usize;
    let gap = Duration::from_secs_f64(1.0 / f64::from(LINES_PER_SECOND));
    for i in 0..total {
        let key = &keys[i % keys.len()];
        let text = format!("bench-{tag}-{i}");
        let at = Instant::now();
        sim.visitor_line(key, &text).await.unwrap();
        sent.push((text, at));
        let next = started + gap * (i as u32 + 1);
        tokio::time::sleep_until(next.into()).await;
    }
    let until = Instant::now() + Duration::from_secs(10);
    while Instant::now() < until && {
        let seen = seen.lock().unwrap();
        !sent.iter().all(|(t, _)| seen.contains_key(t))
    } {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let elapsed = started.elapsed();
    let requests = sim.requests().await.len() - before;
    let seen = seen.lock().unwrap().clone();
    let mut lat: Vec<Duration> = sent
        .iter()
        .filter_map(|(t, at)| seen.get(t).map(|s| s.saturating_duration_since(*at)))
        .collect();
    lat.sort();
    for (t, _) in sent.iter().filter(|(t, _)| !seen.contains_key(t)) {
        eprintln!("not seen within 10 s: {t}");
    }
    Figures {
        rps: requests as f64 / elapsed.as_secs_f64(),
        p50: percentile(&lat, 0.50),
        p99: percentile(&lat, 0.99),
        lost: sent.len() - lat.len(),
    }
}

/// A session of `cho` (unlimited chats) holding `n` Support chats.
async fn setup(sim: &Simulator, n: usize) -> (ApiClient, AgentSession, Vec<ChatRef>) {
    let client =
        ApiClient::new(url::Url::parse(sim.base_url()).unwrap(), sim.account_id()).unwrap();
    let login = client
        .login(&Credentials::user("cho", "cho-pass"))
        .await
        .unwrap();
    let agent = client.start_agent_session(&login).await.unwrap();
    agent
        .set_availability(&chat_agent_api::AvailabilityState::Online, None)
        .await
        .unwrap();
    let mut chats = Vec::new();
    for i in 0..n {
        sim.start_chat(StartChat {
            skill: Some("Support".into()),
            visitor_name: format!("V{i}"),
            text: Some("hi".into()),
        })
        .await
        .unwrap();
        loop {
            if let Some(c) = agent.take_chat().await.unwrap() {
                chats.push(c);
                break;
            }
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    }
    drop(login);
    (client, agent, chats)
}

/// The sample client's way: every tick, GET each chat's `next` events link (all at once, like its
/// per-chat timers), plus incomingRequests.
async fn per_chat(sim: &Simulator, agent: &AgentSession, chats: &[ChatRef]) -> Figures {
    let mut next: Vec<String> = Vec::new();
    for c in chats {
        let chat = agent.chat(c).await.unwrap();
        next.push(
            chat.events
                .next()
                .map(str::to_string)
                .unwrap_or_else(|| format!("{}/events", c.url)),
        );
    }
    let seen: Seen = Arc::default();
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let poller = {
        let (agent, seen, stop) = (agent.clone(), seen.clone(), stop.clone());
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(TICK);
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                tick.tick().await;
                let _ = agent.incoming_requests().await;
                let polls = next.iter().map(|href| agent.follow_events(href));
                let replies = futures::future::join_all(polls).await;
                let now = Instant::now();
                for (i, r) in replies.into_iter().enumerate() {
                    let Ok(events) = r else { continue };
                    for e in events.event.iter() {
                        if let chat_agent_api::EventKind::Line(l) = &e.kind
                            && l.text.starts_with("bench-")
                        {
                            seen.lock().unwrap().entry(l.text.clone()).or_insert(now);
                        }
                    }
                    if let Some(n) = events.next() {
                        next[i] = n.to_string();
                    }
                }
            }
        })
    };
    tokio::time::sleep(TICK * 2).await;
    let keys: Vec<String> = chats.iter().map(|c| c.key.clone()).collect();
    let f = measure(sim, &keys, &seen, "per-chat").await;
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let _ = poller.await;
    f
}

/// The engine: resumes the chats through Retrieve Chat Sessions (continuity), then polls them.
async fn batched(sim: &Simulator, chats: &[ChatRef]) -> Figures {
    let dir = tempfile::tempdir().unwrap();
    let cfg = EngineConfig {
        data_dir: Some(dir.path().to_path_buf()),
        secrets: SecretStoreKind::Memory,
        chat_sessions_window: Duration::from_secs(3),
        ..EngineConfig::default()
    };
    let (engine, mut rx) = Engine::spawn(cfg).unwrap();
    let seen: Seen = Arc::default();
    let resumed = Arc::new(Mutex::new(std::collections::HashSet::new()));
    {
        let (seen, resumed) = (seen.clone(), resumed.clone());
        tokio::spawn(async move {
            while let Ok(e) = rx.recv().await {
                if let EngineEvent::Line(l) = e {
                    resumed.lock().unwrap().insert(l.chat.clone());
                    if l.source == LineSource::Visitor && l.text.starts_with("bench-") {
                        seen.lock()
                            .unwrap()
                            .entry(l.text)
                            .or_insert_with(Instant::now);
                    }
                }
            }
        });
    }
    engine
        .login(LoginRequest {
            server: url::Url::parse(sim.base_url()).unwrap(),
            account: sim.account_id().into(),
            user: "cho".into(),
            password: Some("cho-pass".into()),
            extra_ca_pem: sim.ca_pem().map(String::from),
        })
        .await
        .unwrap();
    let until = Instant::now() + Duration::from_secs(20);
    while resumed.lock().unwrap().len() < chats.len() && Instant::now() < until {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(
        resumed.lock().unwrap().len(),
        chats.len(),
        "the engine resumed every chat"
    );
    // past the Retrieve Chat Sessions window: steady state only
    tokio::time::sleep(Duration::from_secs(3)).await;
    let keys: Vec<String> = chats.iter().map(|c| c.key.clone()).collect();
    let f = measure(sim, &keys, &seen, "batched").await;
    engine.shutdown().await;
    f
}

fn ms(d: Duration) -> String {
    format!("{:.0}", d.as_secs_f64() * 1000.0)
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "warn".into()),
        )
        .init();
    let t0 = Instant::now();
    println!("| chats | strategy | requests/s | p50 ms | p99 ms | lines lost |");
    println!("| ---: | --- | ---: | ---: | ---: | ---: |");
    for n in [1usize, 10, 50, 100] {
        let sim = Simulator::start(SimConfig::default()).await.unwrap();
        let (_client, agent, chats) = setup(&sim, n).await;
        let p = per_chat(&sim, &agent, &chats).await;
        let b = batched(&sim, &chats).await;
        for (name, f) in [("per-chat (sample client)", &p), ("batched (engine)", &b)] {
            println!(
                "| {n} | {name} | {:.1} | {} | {} | {} |",
                f.rps,
                ms(f.p50),
                ms(f.p99),
                f.lost
            );
        }
        sim.shutdown().await;
    }
    eprintln!("whole run: {:.0} s", t0.elapsed().as_secs_f64());
}
