//! One agent holding 100 and 1 000 chats, headless, with the simulator in a process of its own.
//!
//! The bench binary starts itself a second time as the simulator (`--serve-simulator`), and that
//! process also runs the driver that writes the visitor lines (told over its stdin what to send),
//! so the figures of this process are the engine's: its poll loop, its SQLite store and a
//! receiver that drains the engine's events at once. The engine keeps its default settings,
//! including the size of its event channel (what `agent-desk-cli` runs with). Each line carries
//! its send time (wall clock, same machine), so latency is read from the event itself and the
//! bench keeps no per-line state beyond one byte per line (seen how often) and a fixed histogram:
//! its own memory does not grow with the run.
//!
//! For each case it reports: RSS at the start and the end of the steady window, CPU (% of one
//! core) of this process and of the simulator process (simulator + driver), multi-chat requests
//! per tick against ⌈N/25⌉, all requests per second, visitor line → engine event p50/p99, and
//! lines lost or seen twice. Cases: 100 and 1 000 chats on loopback, and 1 000 chats with a 60 ms
//! server round trip (the simulator's delay fault on every request).
//!
//! Run: `cargo bench -p agent-desk-engine --bench headless_scale` (about 5 minutes). Options after
//! `--`: `--window SECONDS` (steady window per case, default 60), `--soak SECONDS` (one more case,
//! 1 000 chats for that long, RSS sampled every minute), `--only N` (one size), `--rtt MS` (only
//! the cases with that round trip).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use engine::{Engine, EngineConfig, EngineEvent, LineSource, LoginRequest, SecretStoreKind};
use serde_json::{Value, json};
use simulator::{SimConfig, Simulator};
use std::io::{BufRead, Write};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

const LINES_PER_SECOND: u32 = 20;
const BATCH: usize = 25;
/// Latency histogram: 1 ms buckets up to a minute (the last bucket takes anything slower).
const BUCKETS: usize = 60_000;

/// Microseconds since the epoch (the wall clock both processes share).
fn unix_micros() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_micros() as u64)
}

/// What the receiver saw, in fixed-size memory: per line how often it came (saturating), a
/// latency histogram, and how many events the channel dropped because the receiver lagged.
struct Tally {
    seen: Vec<u8>,
    hist: Vec<u32>,
    lagged: u64,
    joined: std::collections::HashSet<String>,
}

impl Tally {
    fn new(lines: usize) -> Tally {
        Tally {
            seen: vec![0; lines],
            hist: vec![0; BUCKETS],
            lagged: 0,
            joined: std::collections::HashSet::new(),
        }
    }

    /// A visitor line `scale-{i}-{sent µs}`.
    fn line(&mut self, text: &str) {
        let mut parts = text.trim_start_matches("scale-").split('-');
        let (Some(i), Some(sent)) = (
            parts.next().and_then(|v| v.parse::<usize>().ok()),
            parts.next().and_then(|v| v.parse::<u64>().ok()),
        ) else {
            return;
        };
        let Some(n) = self.seen.get_mut(i) else {
            return;
        };
        *n = n.saturating_add(1);
        if *n == 1 {
            let ms = unix_micros().saturating_sub(sent) / 1000;
            self.hist[(ms as usize).min(BUCKETS - 1)] += 1;
        }
    }

    fn percentile(&self, p: f64) -> Duration {
        let total: u64 = self.hist.iter().map(|&c| u64::from(c)).sum();
        if total == 0 {
            return Duration::ZERO;
        }
        let rank = ((total as f64 - 1.0) * p).round() as u64;
        let mut acc = 0u64;
        for (ms, &c) in self.hist.iter().enumerate() {
            acc += u64::from(c);
            if acc > rank {
                return Duration::from_millis(ms as u64);
            }
        }
        Duration::from_millis(BUCKETS as u64)
    }
}

/// The simulator (and the line driver) in its own process.
struct SimProcess {
    child: Child,
    stdin: ChildStdin,
    /// Lines the child prints after its URL (the driver's "driven N").
    said: std::sync::mpsc::Receiver<String>,
    base: String,
    http: reqwest::Client,
}

impl SimProcess {
    fn start() -> SimProcess {
        let exe = std::env::current_exe().unwrap();
        let mut child = Command::new(exe)
            .arg("--serve-simulator")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap();
        let stdin = child.stdin.take().unwrap();
        let out = child.stdout.take().unwrap();
        let (tx, said) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in std::io::BufReader::new(out).lines() {
                let Ok(line) = line else { break };
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        let first = said.recv_timeout(Duration::from_secs(60)).unwrap();
        let base = first
            .strip_prefix("base URL: ")
            .map(|u| u.trim().to_string())
            .unwrap_or_default();
        assert!(!base.is_empty(), "the simulator printed its URL: {first}");
        SimProcess {
            child,
            stdin,
            said,
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

    /// Tells the driver in the simulator process to write `count` lines over `keys`.
    fn drive(&mut self, count: usize, keys: &[String]) {
        writeln!(self.stdin, "drive {count} {}", keys.join(",")).unwrap();
        self.stdin.flush().unwrap();
    }

    /// CPU time of the simulator process so far.
    fn cpu_time(&self) -> Duration {
        cpu_time_of(&format!("/proc/{}/stat", self.child.id()))
    }
}

impl Drop for SimProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The simulator process: serves the API, and on `drive N K1,K2,…` on its stdin writes N visitor
/// lines (`scale-{i}-{sent µs}`) at `LINES_PER_SECOND` over the keys, then prints `driven N`.
async fn serve_simulator() {
    let sim = Simulator::start(SimConfig::default()).await.unwrap();
    let base = sim.base_url().to_string();
    println!("base URL: {base}");
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel::<String>();
    std::thread::spawn(move || {
        for line in std::io::stdin().lock().lines() {
            let Ok(line) = line else { break };
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let http = reqwest::Client::new();
    while let Some(cmd) = rx.recv().await {
        let mut parts = cmd.split_whitespace();
        if parts.next() != Some("drive") {
            continue;
        }
        let count: usize = parts.next().and_then(|v| v.parse().ok()).unwrap_or(0);
        let keys: Vec<&str> = parts.next().unwrap_or("").split(',').collect();
        let started = Instant::now();
        let gap = Duration::from_secs_f64(1.0 / f64::from(LINES_PER_SECOND));
        for i in 0..count {
            let key = keys[(i * 7919) % keys.len()];
            let text = format!("scale-{i}-{}", unix_micros());
            let r = http
                .post(format!("{base}/_sim/chats/{key}/lines"))
                .json(&json!({ "text": text }))
                .send()
                .await
                .unwrap();
            assert!(r.status().is_success(), "line {i}: {}", r.status());
            tokio::time::sleep_until((started + gap * (i as u32 + 1)).into()).await;
        }
        println!("driven {count}");
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

/// CPU time (user + system) of a process from its `stat` file (100 ticks a second on Linux).
fn cpu_time_of(path: &str) -> Duration {
    let stat = std::fs::read_to_string(path).unwrap_or_default();
    let after = stat.rsplit(')').next().unwrap_or("");
    let f: Vec<u64> = after
        .split_whitespace()
        .map(|x| x.parse().unwrap_or(0))
        .collect();
    // fields after the name: state(0) ppid(1) … utime(11) stime(12)
    let ticks = f.get(11).copied().unwrap_or(0) + f.get(12).copied().unwrap_or(0);
    Duration::from_millis(ticks * 10)
}

fn cpu_time() -> Duration {
    cpu_time_of("/proc/self/stat")
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
    let mut sim = SimProcess::start();
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
    let total = (case.window.as_secs_f64() * f64::from(LINES_PER_SECOND)) as usize;
    let dir = tempfile::tempdir().unwrap();
    let (engine, mut rx) = Engine::spawn(EngineConfig {
        data_dir: Some(dir.path().to_path_buf()),
        secrets: SecretStoreKind::Memory,
        ..EngineConfig::default()
    })
    .unwrap();
    let tally = Arc::new(Mutex::new(Tally::new(total)));
    {
        let tally = tally.clone();
        tokio::spawn(async move {
            use tokio::sync::broadcast::error::RecvError;
            loop {
                match rx.recv().await {
                    Ok(EngineEvent::Line(l)) => {
                        let mut t = tally.lock().unwrap();
                        if l.source == LineSource::Visitor && l.text.starts_with("scale-") {
                            t.line(&l.text);
                        } else if !t.joined.contains(&l.chat) {
                            t.joined.insert(l.chat);
                        }
                    }
                    Ok(_) => {}
                    Err(RecvError::Lagged(n)) => tally.lock().unwrap().lagged += n,
                    Err(RecvError::Closed) => break,
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
    while tally.lock().unwrap().joined.len() < keys.len() && Instant::now() < until {
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(
        tally.lock().unwrap().joined.len(),
        keys.len(),
        "the engine picked up every chat"
    );
    // past the Retrieve Chat Sessions window: steady state only
    tokio::time::sleep(Duration::from_secs(31)).await;

    // Read the request log first: parsing it is the bench's work, not the engine's.
    let log_start = sim.requests().await.len();
    let rss_start = rss_mib();
    let cpu_start = cpu_time();
    let sim_cpu_start = sim.cpu_time();
    let started = Instant::now();
    sim.drive(total, &keys);
    let mut samples = Vec::new();
    let mut next_sample = started + Duration::from_secs(60);
    let limit = started + case.window + Duration::from_secs(120);
    loop {
        match sim.said.try_recv() {
            Ok(line) if line.starts_with("driven") => break,
            Ok(_) | Err(std::sync::mpsc::TryRecvError::Empty) => {}
            Err(e) => panic!("the driver stopped: {e}"),
        }
        assert!(Instant::now() < limit, "the driver did not finish");
        if case.sample_rss && Instant::now() >= next_sample {
            let (rss, cpu) = (rss_mib(), cpu_time().saturating_sub(cpu_start));
            samples.push(format!("{rss:.1}"));
            // As it goes, so a long soak shows its course before it ends.
            println!(
                "soak minute {}: RSS {rss:.1} MiB, CPU so far {:.2} % of a core",
                samples.len(),
                100.0 * cpu.as_secs_f64() / started.elapsed().as_secs_f64()
            );
            std::io::stdout().flush().ok();
            next_sample += Duration::from_secs(60);
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let settle = Instant::now() + Duration::from_secs(10);
    while Instant::now() < settle && tally.lock().unwrap().seen.contains(&0) {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let elapsed = started.elapsed();
    let cpu = cpu_time().saturating_sub(cpu_start);
    let sim_cpu = sim.cpu_time().saturating_sub(sim_cpu_start);
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
    let (lost, twice, lagged, p50, p99) = {
        let t = tally.lock().unwrap();
        (
            t.seen.iter().filter(|&&n| n == 0).count(),
            t.seen.iter().filter(|&&n| n > 1).count(),
            t.lagged,
            t.percentile(0.50),
            t.percentile(0.99),
        )
    };
    engine.shutdown().await;
    let pct = |d: Duration| 100.0 * d.as_secs_f64() / elapsed.as_secs_f64();
    let mut row = format!(
        "| {} | {} | {:.0} s | {:.1} → {:.1} | {:.2} | {:.2} | {:.1} (⌈N/25⌉ = {}) | {:.1} | {} | {} | {} | {} |",
        case.chats,
        case.rtt_ms,
        elapsed.as_secs_f64(),
        rss_start,
        rss_end,
        pct(cpu),
        pct(sim_cpu),
        multi as f64 / ticks,
        case.chats.div_ceil(BATCH),
        window_log.len() as f64 / elapsed.as_secs_f64(),
        ms(p50),
        ms(p99),
        lost,
        twice
    );
    if lagged > 0 {
        row.push_str(&format!(
            "\n\nThe receiver lagged: the channel dropped {lagged} events."
        ));
    }
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
        serve_simulator().await;
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
    let rtt = arg("--rtt");
    println!(
        "| chats | RTT ms | window | RSS MiB start → end | CPU % of a core (engine) | CPU % (simulator + driver) | multi-chat requests per tick | requests/s | p50 ms | p99 ms | lost | seen twice |"
    );
    println!("| ---: | ---: | ---: | --- | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: |");
    let mut cases = vec![(100, 0), (1000, 0), (1000, 60)];
    cases.retain(|(n, r)| only.is_none_or(|o| o == *n) && rtt.is_none_or(|x| x == *r));
    if arg("--soak").is_some() && arg("--window").is_none() {
        cases.clear();
    }
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
