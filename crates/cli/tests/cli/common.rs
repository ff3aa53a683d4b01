//! What the CLI tests share: the binary with the simulator's address, a running `watch` whose
//! output is collected, counting a line at the visitor, and waiting on the simulator's request log
//! (progress) instead of the clock.

use serde_json::Value;
use simulator::{RequestRecord, Simulator};
use std::process::{ExitStatus, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, BufReader};
use tokio::process::{Child, Command};
use tokio::task::JoinHandle;

pub const BIN: &str = env!("CARGO_BIN_EXE_agent-desk-cli");

/// How long any wait on progress may take before the test fails (a slow, shared machine).
pub const PATIENCE: Duration = Duration::from_secs(60);

/// `agent-desk-cli --server … --account … --user USER --data-dir DATA`, output piped, killed on drop.
pub fn cli_for(sim: &Simulator, user: &str, data: &std::path::Path) -> Command {
    let mut c = Command::new(BIN);
    c.args([
        "--server",
        sim.base_url(),
        "--account",
        sim.account_id(),
        "--user",
        user,
        "--data-dir",
    ])
    .arg(data);
    if let Some(path) = ca_file(sim) {
        c.arg("--ca-file").arg(path);
    }
    c.env_remove("AGENT_DESK_PASSWORD")
        .env("RUST_LOG", "info")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true);
    c
}

/// In the simulator's https mode (`AGENT_DESK_SIM_TLS=1`): its CA written to a file for
/// `--ca-file` (one per simulator port, in the temp folder); `None` for a plain simulator.
pub fn ca_file(sim: &Simulator) -> Option<std::path::PathBuf> {
    let pem = sim.ca_pem()?;
    let path = std::env::temp_dir().join(format!(
        "agent-desk-cli-test-ca-{}-{}.pem",
        std::process::id(),
        sim.addr().port()
    ));
    std::fs::write(&path, pem).expect("write the simulator's CA");
    Some(path)
}

/// The CLI without a keychain, with the agent's password in the environment.
pub fn cli(sim: &Simulator, user: &str, data: &std::path::Path) -> Command {
    let mut c = cli_for(sim, user, data);
    c.arg("--no-keychain")
        .env("AGENT_DESK_PASSWORD", format!("{user}-pass"));
    c
}

/// How many times the visitor saw a line with exactly this text.
pub async fn visitor_count(sim: &Simulator, key: &str, text: &str) -> usize {
    sim.visitor_view(key)
        .await
        .unwrap()
        .iter()
        .filter(|e| e["text"].as_str() == Some(text))
        .count()
}

/// A Retrieve Data for Multiple Chats request: the engine's poll of its chats (the only request
/// carrying `fromEventIds=`).
pub fn is_poll(r: &RequestRecord) -> bool {
    r.query.contains("fromEventIds=")
}

/// How many multi-chat polls the simulator has answered so far (a mark for [`wait_polls`]).
pub async fn polls(sim: &Simulator) -> usize {
    sim.requests().await.iter().filter(|r| is_poll(r)).count()
}

/// Waits until the simulator has answered `k` more multi-chat polls than at `mark`: every engine
/// polling now has read the server's state at least once since the mark.
pub async fn wait_polls(sim: &Simulator, mark: usize, k: usize) {
    wait_until(&format!("{k} polls after mark {mark}"), || async {
        polls(sim).await >= mark + k
    })
    .await;
}

/// Polls `cond` (cheap checks, every 50 ms) until it holds; fails the test after [`PATIENCE`].
pub async fn wait_until<F, Fut>(what: &str, mut cond: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let until = tokio::time::Instant::now() + PATIENCE;
    while !cond().await {
        assert!(
            tokio::time::Instant::now() < until,
            "timed out waiting for {what}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Writes, or `method` overrides, on `path_part` (e.g. the PUTs of `/availability`).
pub async fn writes_to(sim: &Simulator, path_part: &str) -> Vec<RequestRecord> {
    sim.requests()
        .await
        .into_iter()
        .filter(|r| r.path.contains(path_part))
        .filter(|r| r.method != "GET" && r.override_method.as_deref().is_none_or(|m| m != "GET"))
        .collect()
}

/// A running `watch` whose stdout lines are collected as JSON and whose stderr is kept.
pub struct Watching {
    pub child: Child,
    lines: Arc<Mutex<Vec<Value>>>,
    stderr: Arc<Mutex<String>>,
    readers: Vec<JoinHandle<()>>,
}

impl Watching {
    pub fn start(mut cmd: Command) -> Self {
        let mut child = cmd.spawn().expect("binary starts");
        let out = child.stdout.take().unwrap();
        let mut err = child.stderr.take().unwrap();
        let lines = Arc::new(Mutex::new(Vec::new()));
        let stderr = Arc::new(Mutex::new(String::new()));
        let sink = lines.clone();
        let out_reader = tokio::spawn(async move {
            let mut r = BufReader::new(out).lines();
            while let Ok(Some(l)) = r.next_line().await {
                let v: Value = serde_json::from_str(&l)
                    .unwrap_or_else(|e| panic!("stdout line is not JSON ({e}): {l}"));
                sink.lock().unwrap().push(v);
            }
        });
        // Read stderr as it comes, so a chatty run never blocks on a full pipe.
        let log = stderr.clone();
        let err_reader = tokio::spawn(async move {
            let mut buf = vec![0; 8192];
            while let Ok(n) = err.read(&mut buf).await {
                if n == 0 {
                    break;
                }
                log.lock()
                    .unwrap()
                    .push_str(&String::from_utf8_lossy(&buf[..n]));
            }
        });
        Self {
            child,
            lines,
            stderr,
            readers: vec![out_reader, err_reader],
        }
    }

    /// Looks at every line printed so far (without copying them).
    pub fn with<T>(&self, f: impl FnOnce(&[Value]) -> T) -> T {
        f(&self.lines.lock().unwrap())
    }

    pub fn all(&self) -> Vec<Value> {
        self.with(<[Value]>::to_vec)
    }

    pub fn stderr(&self) -> String {
        self.stderr.lock().unwrap().clone()
    }

    /// The first line that matches, once it is printed.
    pub async fn wait_for(&self, what: &str, pred: impl Fn(&Value) -> bool) -> Value {
        let until = tokio::time::Instant::now() + PATIENCE;
        loop {
            if let Some(v) = self.with(|all| all.iter().find(|v| pred(v)).cloned()) {
                return v;
            }
            if tokio::time::Instant::now() > until {
                panic!(
                    "no {what} in watch output: {:#?}\nstderr:\n{}",
                    self.all(),
                    self.stderr()
                );
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    pub fn count(&self, pred: impl Fn(&Value) -> bool) -> usize {
        self.with(|all| all.iter().filter(|v| pred(v)).count())
    }

    /// Waits for the process to end on its own, then for the last of its output.
    pub async fn finish(&mut self) -> ExitStatus {
        let status = tokio::time::timeout(PATIENCE, self.child.wait())
            .await
            .expect("the CLI exits")
            .unwrap();
        for r in self.readers.drain(..) {
            r.await.unwrap();
        }
        status
    }

    /// SIGTERM (the CLI stops cleanly and prints what is queued), then [`Watching::finish`].
    pub async fn stop(&mut self) -> ExitStatus {
        let pid = self.child.id().expect("still running");
        let sent = std::process::Command::new("kill")
            .args(["-TERM", &pid.to_string()])
            .status()
            .unwrap();
        assert!(sent.success(), "kill -TERM {pid}");
        self.finish().await
    }
}

/// A `line` event of `chat` from `source` with exactly `text`.
pub fn is_line(v: &Value, chat: &str, source: &str, text: &str) -> bool {
    v["type"] == "line" && v["chat"] == chat && v["source"] == source && v["text"] == text
}
