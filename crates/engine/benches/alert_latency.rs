//! Alert latency against the simulator with the engine's default intervals (issue 9 §4): for each
//! round a visitor starts a chat (→ the engine's `ringing` event), the agent accepts, the visitor
//! writes one line (→ the engine's `line` event). Prints the distributions of
//! - chat started → `ringing` seen (measured here: the ring check carries no server time),
//! - visitor line sent → `line` seen (measured here), and
//! - the line event's own `latencyMs` (the server's stamp → the engine seeing it).
//!
//! The simulator runs in this process. Run: `cargo bench -p agent-desk-engine --bench
//! alert_latency` (about a minute). Option after `--`: `--rounds N` (default 30).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use engine::{Availability, Engine, EngineConfig, EngineEvent, LoginRequest, SecretStoreKind};
use simulator::{SimConfig, Simulator, StartChat};
use std::time::{Duration, Instant};
use tokio::sync::broadcast::Receiver;

async fn wait_for(
    rx: &mut Receiver<EngineEvent>,
    what: &str,
    f: impl Fn(&EngineEvent) -> bool,
) -> EngineEvent {
    let until = Instant::now() + Duration::from_secs(30);
    loop {
        let left = until.saturating_duration_since(Instant::now());
        match tokio::time::timeout(left, rx.recv()).await {
            Ok(Ok(e)) if f(&e) => return e,
            Ok(Ok(_)) => {}
            Ok(Err(tokio::sync::broadcast::error::RecvError::Lagged(_))) => {}
            Ok(Err(e)) => panic!("{what}: {e}"),
            Err(_) => panic!("{what}: not within 30 s"),
        }
    }
}

fn summary(name: &str, mut v: Vec<f64>) {
    v.sort_by(f64::total_cmp);
    let p = |q: f64| v[((v.len() as f64 - 1.0) * q).round() as usize];
    println!(
        "{name:<34} n={:<3} min {:>6.0} ms  p50 {:>6.0} ms  p95 {:>6.0} ms  max {:>6.0} ms",
        v.len(),
        v[0],
        p(0.5),
        p(0.95),
        v[v.len() - 1]
    );
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    let rounds: usize = args
        .iter()
        .position(|a| a == "--rounds")
        .and_then(|i| args.get(i + 1))
        .and_then(|n| n.parse().ok())
        .unwrap_or(30);
    let sim = Simulator::start(SimConfig {
        demo: false,
        ..Default::default()
    })
    .await
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let config = EngineConfig {
        data_dir: Some(dir.path().to_path_buf()),
        secrets: SecretStoreKind::Memory,
        ..EngineConfig::default()
    };
    println!(
        "engine defaults: poll every {:?}, ring check every {:?}; {rounds} rounds",
        config.poll_interval, config.ringing_interval
    );
    let (engine, mut rx) = Engine::spawn(config).unwrap();
    engine
        .login(LoginRequest {
            server: url::Url::parse(sim.base_url()).unwrap(),
            account: sim.account_id().into(),
            user: "ann".into(),
            password: Some("ann-pass".into()),
            extra_ca_pem: None,
        })
        .await
        .unwrap();
    engine
        .set_availability(Availability::Online, None)
        .await
        .unwrap();

    let (mut ring, mut line, mut stamped) = (Vec::new(), Vec::new(), Vec::new());
    for i in 0..rounds {
        let started = Instant::now();
        let chat = sim
            .start_chat(StartChat {
                skill: Some("Sales".into()),
                visitor_name: format!("Bench {i}"),
                text: None,
            })
            .await
            .unwrap();
        wait_for(&mut rx, "ringing", |e| {
            matches!(e, EngineEvent::Ringing { .. })
        })
        .await;
        ring.push(started.elapsed().as_secs_f64() * 1000.0);
        let taken = engine.accept().await.unwrap();
        assert_eq!(taken, chat);
        // Let the chat's first polls settle, then one visitor line at a random point of the cycle.
        tokio::time::sleep(Duration::from_millis(500 + (i as u64 * 137) % 1000)).await;
        let text = format!("latency-{i}");
        let sent = Instant::now();
        sim.visitor_line(&chat, &text).await.unwrap();
        let e = wait_for(
            &mut rx,
            "the line",
            |e| matches!(e, EngineEvent::Line(l) if l.text == text),
        )
        .await;
        line.push(sent.elapsed().as_secs_f64() * 1000.0);
        if let EngineEvent::Line(l) = e
            && let Some(ms) = l.latency_ms
        {
            stamped.push(ms as f64);
        }
        engine.end_chat(chat).await.unwrap();
        wait_for(&mut rx, "ringing stopped or none", |_| true).await;
    }
    summary("chat started → ringing event", ring);
    summary("visitor line → line event", line);
    summary("line latencyMs (server stamp → seen)", stamped);
    sim.shutdown().await;
}
