//! The built binary against a simulator: watch prints JSON lines, send/end act as a second device,
//! exit codes for bad arguments, bad credentials and an unreachable server.

use crate::common::{BIN, Watching, cli, is_line, polls, visitor_count, wait_polls};
use serde_json::Value;
use simulator::{SimConfig, Simulator, StartChat};
use std::process::Stdio;
use tokio::process::Command;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn watch_accepts_greets_and_prints_json_lines() {
    let sim = Simulator::start(SimConfig::default()).await.unwrap();
    let data = tempfile::tempdir().unwrap();
    let mut cmd = cli(&sim, "ann", data.path());
    cmd.args([
        "watch",
        "--availability",
        "Online",
        "--accept",
        "--greet",
        "Hello from the CLI",
    ]);
    let mut w = Watching::start(cmd);
    w.wait_for("availability Online", |v| {
        v["type"] == "availability" && v["availability"] == "Online"
    })
    .await;
    let key = sim
        .start_chat(StartChat {
            skill: Some("Sales".into()),
            visitor_name: "Vera".into(),
            text: Some("hi cli".into()),
        })
        .await
        .unwrap();
    w.wait_for("chatAccepted", |v| {
        v["type"] == "chatAccepted" && v["chat"] == key.as_str()
    })
    .await;
    w.wait_for("waiting→chatting", |v| {
        v["type"] == "chatStateChanged"
            && v["chat"] == key.as_str()
            && v["from"] == "waiting"
            && v["to"] == "chatting"
    })
    .await;
    let visitor = w
        .wait_for("visitor line", |v| is_line(v, &key, "visitor", "hi cli"))
        .await;
    assert_eq!(visitor["textType"], "plain");
    assert!(visitor["id"].is_u64() && visitor["by"].is_string());
    w.wait_for("greeting", |v| {
        is_line(v, &key, "agent", "Hello from the CLI")
    })
    .await;
    sim.visitor_typing(&key, true).await.unwrap();
    w.wait_for("visitorTyping", |v| {
        v["type"] == "visitorTyping" && v["chat"] == key.as_str() && v["typing"] == true
    })
    .await;
    // Two more polls after everything above was seen: a second greeting would have been sent
    // and read back by now.
    wait_polls(&sim, polls(&sim).await, 2).await;
    let status = w.stop().await;
    assert!(status.success(), "{status:?}");
    assert_eq!(
        w.count(|v| is_line(v, &key, "agent", "Hello from the CLI")),
        1,
        "greeted once"
    );
    assert_eq!(visitor_count(&sim, &key, "Hello from the CLI").await, 1);
    assert!(
        w.all().iter().all(|v| v["type"].is_string()),
        "every line is a tagged event"
    );
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn send_and_end_from_a_second_device() {
    let sim = Simulator::start(SimConfig::default()).await.unwrap();
    let (d1, d2) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let mut cmd = cli(&sim, "ben", d1.path());
    cmd.args(["watch", "--availability", "Online", "--accept"]);
    let mut w = Watching::start(cmd);
    w.wait_for("availability Online", |v| {
        v["type"] == "availability" && v["availability"] == "Online"
    })
    .await;
    let key = sim
        .start_chat(StartChat {
            skill: Some("Sales".into()),
            visitor_name: "Vic".into(),
            text: Some("help".into()),
        })
        .await
        .unwrap();
    w.wait_for("visitor line", |v| is_line(v, &key, "visitor", "help"))
        .await;

    let out = cli(&sim, "ben", d2.path())
        .args(["send", "--chat", &key, "--text", "from the second device"])
        .output()
        .await
        .unwrap();
    assert!(
        out.status.success(),
        "send failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(visitor_count(&sim, &key, "from the second device").await, 1);
    w.wait_for("the line on the first device", |v| {
        is_line(v, &key, "agent", "from the second device")
    })
    .await;

    let out = cli(&sim, "ben", d2.path())
        .args(["end", "--chat", &key])
        .output()
        .await
        .unwrap();
    assert!(
        out.status.success(),
        "end failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(sim.chat_state(&key).await.unwrap(), "ended");
    w.wait_for("ended on the first device", |v| {
        v["type"] == "chatStateChanged" && v["chat"] == key.as_str() && v["to"] == "ended"
    })
    .await;
    assert_eq!(
        w.count(|v| is_line(v, &key, "agent", "from the second device")),
        1
    );
    let _ = w.child.start_kill();
    // a chat this agent does not hold
    let out = cli(&sim, "ben", d2.path())
        .args(["end", "--chat", "H1-nothing-K1"])
        .output()
        .await
        .unwrap();
    assert!(!out.status.success());
    sim.shutdown().await;
}

fn one_line(stderr: &[u8]) -> String {
    let s = String::from_utf8_lossy(stderr);
    s.lines()
        .filter(|l| l.starts_with("agent-desk-cli: error:") || l.starts_with("error:"))
        .collect::<Vec<_>>()
        .join("\n")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn exit_codes() {
    let sim = Simulator::start(SimConfig::default()).await.unwrap();
    let data = tempfile::tempdir().unwrap();

    // bad arguments
    let out = Command::new(BIN)
        .args(["--server", sim.base_url(), "watch"])
        .output()
        .await
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "missing --account/--user");
    let out = cli(&sim, "ann", data.path())
        .args(["watch", "--availability", "Sleepy"])
        .output()
        .await
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "bad availability");
    let out = Command::new(BIN)
        .args([
            "--server",
            sim.base_url(),
            "--account",
            sim.account_id(),
            "--user",
            "ann",
            "--no-keychain",
        ])
        .arg("--data-dir")
        .arg(data.path())
        .args(["send", "--chat", "K"])
        .output()
        .await
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "send without --text");

    // no password anywhere
    let out = Command::new(BIN)
        .args([
            "--server",
            sim.base_url(),
            "--account",
            sim.account_id(),
            "--user",
            "ann",
            "--no-keychain",
        ])
        .arg("--data-dir")
        .arg(data.path())
        .args(["watch", "--duration", "1"])
        .env_remove("AGENT_DESK_PASSWORD")
        .stdin(Stdio::null())
        .output()
        .await
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    // bad credentials
    let out = cli(&sim, "ann", data.path())
        .env("AGENT_DESK_PASSWORD", "wrong")
        .args(["watch", "--duration", "1"])
        .output()
        .await
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(3),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let msg = one_line(&out.stderr);
    assert_eq!(msg.lines().count(), 1, "one-line message: {msg}");
    assert!(msg.contains("BadCredentials"), "{msg}");

    // password from stdin
    let mut c = cli(&sim, "ann", data.path());
    c.env_remove("AGENT_DESK_PASSWORD")
        .stdin(Stdio::piped())
        .args(["--password-stdin", "watch", "--duration", "1"]);
    let mut child = c.spawn().unwrap();
    {
        use tokio::io::AsyncWriteExt;
        let mut stdin = child.stdin.take().unwrap();
        stdin.write_all(b"ann-pass\n").await.unwrap();
    }
    let out = child.wait_with_output().await.unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let first: Value =
        serde_json::from_str(String::from_utf8_lossy(&out.stdout).lines().next().unwrap()).unwrap();
    assert_eq!(first["type"], "session");

    // unreachable server
    let out = Command::new(BIN)
        .args([
            "--server",
            "http://127.0.0.1:9",
            "--account",
            "1",
            "--user",
            "ann",
            "--no-keychain",
        ])
        .arg("--data-dir")
        .arg(data.path())
        .args(["watch", "--duration", "1"])
        .env("AGENT_DESK_PASSWORD", "x")
        .output()
        .await
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(4),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(one_line(&out.stderr).lines().count(), 1);
    sim.shutdown().await;
}
