//! One agent holding 100 and 1 000 chats, headless, with the simulator in a process of its own.
//!
//! The bench binary starts itself a second time as the simulator (`--serve-simulator`), so the
//! figures of this process are the engine's (plus the small driver that writes visitor lines over
//! `/_sim/`). For each case it reports: RSS at the start and the end of the steady window, CPU (% of
//! one core), multi-chat requests per tick against ⌈N/25⌉, all requests per second, visitor line →
//! engine event p50/p99, and lines lost or seen twice. Cases: 100 and 1 000 chats on loopback, and
//! 1 000 chats with a 60 ms server round trip (the simulator's delay fault on every request).
//!
//! Run: `cargo bench -p agent-desk-engine --bench headless_scale` (about 5 minutes). Options after
//! `--`: `--window SECONDS` (steady window per case, default 60), `--soak SECONDS` (one more case,
//! 1 000 chats for that long, RSS sampled every minute), `--only N` (one size).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use engine::{Engine, EngineConfig, EngineEvent, LineSource, LoginRequest, SecretStoreKind};
use serde_json::{Value, json};
use simulator::{SimConfig, Simulator};
use std::collections::HashMap;
use std::io::BufRead;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const LINES_PER_SECOND: u32 = 20;
const BATCH: usize = 25;

/// Per line text: when it was sent and every time the engine reported it.
type Seen = Arc<Mutex<HashMap<String, Vec<Instant>>>>;

/// The simulator in its own process.
struct SimProcess {
    child: Child,
    base: String,
    http: reqwest::Client,
}

impl SimProcess {
    fn start() -> SimProcess {
        let exe = std::env::current_exe().unwrap();
        let mut child = Command::new(exe)
            .arg("--serve-simulator")
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap();
        let out = child.stdout.take().unwrap();
        let mut base = String::new();
        for line in std::io::BufReader::new(out).lines() {
            let line = line.unwrap();
            if let Some(url) = line.strip_prefix("base URL: ") {
                base = url.trim().to_string();
                break;
            }
        }
        assert!(!base.is_empty(), "the simulator printed its URL");
        SimProcess {
            child,
            base,
            http: reqwest::Client::new(),
        }
    }

    async fn post(&self, path: &str, body: Value) -> Value {
        let r = self
            .http
            .post(format!("{}{path}", self.base))
            .json(&body)
            .send()
            .await
            .unwrap();
        assert!(r.status().is_success(), "{path}: {}", r.status());
        r.json().await.unwrap_or(Value::Null)
    }

    async fn requests(&self) -> Vec<Value> {
        let r = self
            .http
            .get(format!("{}/_sim/requests", self.base))
            .send()
            .await
            .unwrap();
        r.json().await.unwrap()
    }
}

impl Drop for SimProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// RSS of this process, MiB.
fn rss_mib() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.split_whitespace().next()?.parse::<f64>().ok())
        .map_or(0.0, |kib| kib / 1024.0)
}

/// CPU time of this process so far (user + system), from /proc (100 ticks a second on Linux).
fn cpu_time() -> Duration {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let after = stat.rsplit(')').next().unwrap_or("");
    let f: Vec<u64> = after
        .split_whitespace()
        .map(|x| x.parse().unwrap_or(0))
        .collect();
    // fields after the name: state(0) ppid(1) … utime(11) stime(12)
    let ticks = f.get(11).copied().unwrap_or(0) + f.get(12).copied().unwrap_or(0);
    Duration::from_millis(ticks * 10)
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn ms(d: Duration) -> String {
    format!("{:.0}", d.as_secs_f64() * 1000.0)
}

struct Case {
    chats: usize,
    rtt_ms: u64,
    window: Duration,
    sample_rss: bool,
}

async fn run(case: Case) -> String {
    let sim = SimProcess::start();
    if case.rtt_ms > 0 {
        sim.post(
            "/_sim/faults",
            json!({"kind": "delay", "ms": case.rtt_ms, "count": 1_000_000_000u64}),
        )
        .await;
    }
    let keys: Vec<String> = serde_json::from_value(
        sim.post(
            "/_sim/agents/cho/chats",
            json!({"count": case.chats, "skill": "Support"}),
        )
        .await["chatSessionKeys"]
            .clone(),
    )
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let (engine, mut rx) = Engine::spawn(EngineConfig {
        data_dir: Some(dir.path().to_path_buf()),
        secrets: SecretStoreKind::Memory,
        event_capacity: 65_536,
        ..EngineConfig::default()
    })
    .unwrap();
    let seen: Seen = Arc::default();
    let joined = Arc::new(Mutex::new(std::collections::HashSet::new()));
    {
        let (seen, joined) = (seen.clone(), joined.clone());
        tokio::spawn(async move {
            while let Ok(e) = rx.recv().await {
                if let EngineEvent::Line(l) = e {
                    if l.source == LineSource::Visitor && l.text.starts_with("scale-") {
                        seen.lock()
                            .unwrap()
                            .entry(l.text)
                            .or_default()
                            .push(Instant::now());
                    } else {
                        joined.lock().unwrap().insert(l.chat);
                    }
                }
            }
        });
    }
    engine
        .login(LoginRequest {
            server: url::Url::parse(&sim.base).unwrap(),
            account: "90412345".into(),
            user: "cho".into(),
            password: Some("cho-pass".into()),
            extra_ca_pem: None,
        })
        .await
        .unwrap();
    let until = Instant::now() + Duration::from_secs(180);
    while joined.lock().unwrap().len() < keys.len() && Instant::now() < until {
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(
        joined.lock().unwrap().len(),
        keys.len(),
        "the engine picked up every chat"
    );
    // past the Retrieve Chat Sessions window: steady state only
    tokio::time::sleep(Duration::from_secs(31)).await;

    let rss_start = rss_mib();
    let cpu_start = cpu_time();
    let log_start = sim.requests().await.len();
    let started = Instant::now();
    let gap = Duration::from_secs_f64(1.0 / f64::from(LINES_PER_SECOND));
    let total = (case.window.as_secs_f64() * f64::from(LINES_PER_SECOND)) as usize;
    let mut sent: Vec<(String, Instant)> = Vec::with_capacity(total);
    let mut samples = Vec::new();
    let mut next_sample = started + Duration::from_secs(60);
    for i in 0..total {
        let key = &keys[(i * 7919) % keys.len()];
        let text = format!("scale-{i}");
        let at = Instant::now();
        sim.post(
            &format!("/_sim/chats/{key}/lines"),
            json!({"text": text.clone()}),
        )
        .await;
        sent.push((text, at));
        if case.sample_rss && Instant::now() >= next_sample {
            samples.push(format!("{:.1}", rss_mib()));
            next_sample += Duration::from_secs(60);
        }
        tokio::time::sleep_until((started + gap * (i as u32 + 1)).into()).await;
    }
    let settle = Instant::now() + Duration::from_secs(10);
    while Instant::now() < settle && {
        let seen = seen.lock().unwrap();
        !sent.iter().all(|(t, _)| seen.contains_key(t))
    } {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let elapsed = started.elapsed();
    let cpu = cpu_time().saturating_sub(cpu_start);
    let rss_end = rss_mib();
    let log = sim.requests().await;
    let window_log = &log[log_start.min(log.len())..];
    let multi = window_log
        .iter()
        .filter(|r| {
            r["query"]
                .as_str()
                .is_some_and(|q| q.contains("fromEventIds="))
        })
        .count();
    let ticks = elapsed.as_secs_f64(); // the engine's tick is 1 s
    let seen = seen.lock().unwrap().clone();
    let mut lat: Vec<Duration> = sent
        .iter()
        .filter_map(|(t, at)| {
            seen.get(t)
                .and_then(|v| v.first())
                .map(|s| s.saturating_duration_since(*at))
        })
        .collect();
    lat.sort();
    let lost = sent.len() - lat.len();
    let twice = seen.values().filter(|v| v.len() > 1).count();
    engine.shutdown().await;
    let mut row = format!(
        "| {} | {} | {:.0} s | {:.1} → {:.1} | {:.2} | {:.1} (⌈N/25⌉ = {}) | {:.1} | {} | {} | {} | {} |",
        case.chats,
        case.rtt_ms,
        elapsed.as_secs_f64(),
        rss_start,
        rss_end,
        100.0 * cpu.as_secs_f64() / elapsed.as_secs_f64(),
        multi as f64 / ticks,
        case.chats.div_ceil(BATCH),
        window_log.len() as f64 / elapsed.as_secs_f64(),
        ms(percentile(&lat, 0.50)),
        ms(percentile(&lat, 0.99)),
        lost,
        twice
    );
    if !samples.is_empty() {
        row.push_str(&format!(
            "\n\nRSS every minute (MiB): {}",
            samples.join(", ")
        ));
    }
    row
}

fn arg(name: &str) -> Option<u64> {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .and_then(|v| v.parse().ok())
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    if std::env::args().any(|a| a == "--serve-simulator") {
        let sim = Simulator::start(SimConfig::default()).await.unwrap();
        println!("base URL: {}", sim.base_url());
        std::future::pending::<()>().await;
        return;
    }
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "warn".into()),
        )
        .init();
    let window = Duration::from_secs(arg("--window").unwrap_or(60));
    let only = arg("--only").map(|n| n as usize);
    println!(
        "| chats | RTT ms | window | RSS MiB start → end | CPU % of a core | multi-chat requests per tick | requests/s | p50 ms | p99 ms | lost | seen twice |"
    );
    println!("| ---: | ---: | ---: | --- | ---: | --- | ---: | ---: | ---: | ---: | ---: |");
    let mut cases = vec![(100, 0), (1000, 0), (1000, 60)];
    cases.retain(|(n, _)| only.is_none_or(|o| o == *n));
    for (chats, rtt_ms) in cases {
        let row = run(Case {
            chats,
            rtt_ms,
            window,
            sample_rss: false,
        })
        .await;
        println!("{row}");
    }
    if let Some(soak) = arg("--soak") {
        let row = run(Case {
            chats: 1000,
            rtt_ms: 0,
            window: Duration::from_secs(soak),
            sample_rss: true,
        })
        .await;
        println!("{row}");
    }
}
