//! What the CLI test files share: the binary with the simulator's address, and counting a line at
//! the visitor.
#![allow(dead_code, clippy::unwrap_used)]

use simulator::Simulator;
use std::process::Stdio;
use tokio::process::Command;

pub const BIN: &str = env!("CARGO_BIN_EXE_agent-desk-cli");

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
    .arg(data)
    .env_remove("AGENT_DESK_PASSWORD")
    .env("RUST_LOG", "info")
    .stdin(Stdio::null())
    .stdout(Stdio::piped())
    .stderr(Stdio::piped())
    .kill_on_drop(true);
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
