//! `watch` never drops events silently: 12 000 visitor lines at once (more than the engine's
//! event channel holds) each reach stdout, as their own `line` event or inside a `resync` line's
//! snapshot. If stdout keeps up there is no resync and every line is its own event; the lagged
//! branch itself is unit-tested in `src/watch.rs` with a tiny channel.

use crate::common::{PATIENCE, Watching, cli, is_line, polls};
use serde_json::Value;
use simulator::{SimConfig, Simulator, StartChat};
use std::collections::HashSet;
use std::time::Duration;

const LINES: usize = 12_000;

fn text(i: usize) -> String {
    format!("bulk {i:05}")
}

/// The texts of `chat`'s visitor lines that `lines[from..]` show, as events or in snapshots.
fn collect(lines: &[Value], from: usize, chat: &str, seen: &mut HashSet<String>) {
    for v in &lines[from..] {
        if v["type"] == "line" && v["chat"] == chat && v["source"] == "visitor" {
            if let Some(t) = v["text"].as_str() {
                seen.insert(t.to_string());
            }
        } else if v["type"] == "resync" {
            let chats = v["snapshot"]["chats"].as_array().unwrap();
            for c in chats.iter().filter(|c| c["summary"]["chat"] == chat) {
                for l in c["lines"].as_array().unwrap() {
                    if l["source"] == "visitor" {
                        seen.insert(l["text"].as_str().unwrap().to_string());
                    }
                }
            }
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn twelve_thousand_lines_at_once_none_lost() {
    let sim = Simulator::start(SimConfig::default()).await.unwrap();
    let data = tempfile::tempdir().unwrap();
    let mut cmd = cli(&sim, "ann", data.path());
    cmd.args(["watch", "--availability", "Online", "--accept"]);
    let mut w = Watching::start(cmd);
    w.wait_for("availability Online", |v| {
        v["type"] == "availability" && v["availability"] == "Online"
    })
    .await;
    let key = sim
        .start_chat(StartChat {
            skill: Some("Sales".into()),
            visitor_name: "Vera".into(),
            text: Some("first".into()),
        })
        .await
        .unwrap();
    // The chat has been read in full and is polled with the others from now on.
    w.wait_for("the first line", |v| is_line(v, &key, "visitor", "first"))
        .await;

    let mark = polls(&sim).await;
    let started = tokio::time::Instant::now();
    for i in 0..LINES {
        sim.visitor_line(&key, &text(i)).await.unwrap();
    }
    let took = started.elapsed();
    let polls_meanwhile = polls(&sim).await - mark;

    let mut seen = HashSet::new();
    let mut scanned = 0;
    let until = tokio::time::Instant::now() + PATIENCE;
    while (0..LINES).any(|i| !seen.contains(&text(i))) {
        assert!(
            tokio::time::Instant::now() < until,
            "only {} of {LINES} lines reached stdout",
            seen.len()
        );
        // re-check interval of a wait on progress (the scan goes on from where it stopped)
        tokio::time::sleep(Duration::from_millis(200)).await;
        scanned = w.with(|all| {
            collect(all, scanned, &key, &mut seen);
            all.len()
        });
    }
    let status = w.stop().await;
    let log = w.stderr();
    assert!(status.success(), "{status:?}\n{log}");

    let resyncs = w.count(|v| v["type"] == "resync");
    let lagged = log.contains("output fell behind");
    assert_eq!(
        lagged,
        resyncs > 0,
        "every lag is a resync line on stdout:\n{log}"
    );
    let as_events = w.count(|v| v["type"] == "line" && v["chat"] == key.as_str());
    eprintln!(
        "{LINES} lines added in {took:?} ({polls_meanwhile} polls meanwhile); \
         {as_events} line events, {resyncs} resync lines"
    );
    if let Some(r) = w.with(|all| all.iter().find(|v| v["type"] == "resync").cloned()) {
        let mut shape = r.clone();
        shape["snapshot"]["chats"] = Value::from(format!(
            "[{} chats]",
            r["snapshot"]["chats"].as_array().map_or(0, Vec::len)
        ));
        eprintln!("first resync line, chats left out: {shape}");
    }
    if resyncs == 0 {
        let events: HashSet<String> = w.with(|all| {
            all.iter()
                .filter(|v| v["type"] == "line" && v["chat"] == key.as_str())
                .filter_map(|v| v["text"].as_str().map(str::to_string))
                .collect()
        });
        assert!(
            (0..LINES).all(|i| events.contains(&text(i))),
            "without a resync every line is its own event"
        );
    }
    sim.shutdown().await;
}
