//! `--ca-file` against the simulator's https mode (issue 11): a chat over https with the CA; no
//! CA → exit 4 with a one-line TLS message and nothing sent over http; a bad file → exit 2
//! naming it.

use crate::common::{BIN, Watching, visitor_count, wait_until};
use simulator::{SimConfig, Simulator, StartChat, TlsCert};
use std::path::Path;
use std::process::Stdio;
use tokio::process::Command;

async fn tls_sim() -> Simulator {
    Simulator::start(SimConfig {
        tls: true,
        tls_cert: TlsCert::Valid,
        ..SimConfig::default()
    })
    .await
    .unwrap()
}

/// `agent-desk-cli` for ann on `sim`, no keychain, password in the environment, `--ca-file`
/// only when given.
fn ann(sim: &Simulator, data: &Path, ca_file: Option<&Path>) -> Command {
    let mut c = Command::new(BIN);
    c.args([
        "--server",
        sim.base_url(),
        "--account",
        sim.account_id(),
        "--user",
        "ann",
        "--no-keychain",
    ])
    .arg("--data-dir")
    .arg(data);
    if let Some(f) = ca_file {
        c.arg("--ca-file").arg(f);
    }
    c.env("AGENT_DESK_PASSWORD", "ann-pass")
        .env("RUST_LOG", "info")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true);
    c
}

fn error_line(stderr: &[u8]) -> String {
    String::from_utf8_lossy(stderr)
        .lines()
        .filter(|l| l.starts_with("agent-desk-cli: error:"))
        .collect::<Vec<_>>()
        .join("\n")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn watch_over_https_with_ca_file() {
    let sim = tls_sim().await;
    let dir = tempfile::tempdir().unwrap();
    let ca = dir.path().join("sim-ca.pem");
    std::fs::write(&ca, sim.ca_pem().unwrap()).unwrap();
    let data = dir.path().join("data");
    let mut cmd = ann(&sim, &data, Some(&ca));
    cmd.args([
        "watch",
        "--availability",
        "Online",
        "--accept",
        "--greet",
        "Hello over https",
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
            text: Some("hi over tls".into()),
        })
        .await
        .unwrap();
    w.wait_for("visitor line", |v| {
        v["type"] == "line" && v["chat"] == key.as_str() && v["text"] == "hi over tls"
    })
    .await;
    wait_until("the greeting reaches the visitor", || async {
        visitor_count(&sim, &key, "Hello over https").await == 1
    })
    .await;
    let status = w.stop().await;
    assert!(status.success(), "{status:?}");
    assert_eq!(sim.plain_http_attempts(), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_ca_file_a_tls_error_and_no_http() {
    let sim = tls_sim().await;
    let dir = tempfile::tempdir().unwrap();
    let out = ann(&sim, dir.path(), None)
        .args(["watch", "--duration", "1"])
        .output()
        .await
        .unwrap();
    let msg = error_line(&out.stderr);
    assert_eq!(out.status.code(), Some(4), "{msg}");
    assert_eq!(msg.lines().count(), 1, "one line: {msg}");
    assert!(
        msg.contains("Tls") && msg.contains("not signed by a trusted authority"),
        "{msg}"
    );
    assert!(
        !String::from_utf8_lossy(&out.stderr).contains("retry"),
        "no retries"
    );
    assert!(sim.requests().await.is_empty(), "nothing reached the API");
    assert_eq!(sim.plain_http_attempts(), 0, "no fallback to http");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unreadable_or_invalid_ca_file_is_a_usage_error_naming_it() {
    let sim = tls_sim().await;
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("no-such-ca.pem");
    let garbage = dir.path().join("garbage-ca.pem");
    std::fs::write(
        &garbage,
        "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n",
    )
    .unwrap();
    let binary = dir.path().join("binary-ca.pem");
    std::fs::write(&binary, [0xff, 0xfe, 0x00, 0x01]).unwrap();
    for (file, words) in [
        (&missing, "cannot read it"),
        (&garbage, "not a usable CA certificate"),
        (&binary, "not a PEM certificate file"),
    ] {
        let out = ann(&sim, dir.path(), Some(file))
            .args(["watch", "--duration", "1"])
            .output()
            .await
            .unwrap();
        let msg = error_line(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{}: {msg}", file.display());
        assert!(
            msg.contains(&*file.to_string_lossy()),
            "names the file: {msg}"
        );
        assert!(msg.contains(words), "{msg}");
    }
    assert!(sim.requests().await.is_empty());
}
