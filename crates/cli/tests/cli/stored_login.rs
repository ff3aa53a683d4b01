//! The login token in the OS keychain lets later runs work without a password: the first run logs
//! in with AGENT_DESK_PASSWORD and stores the token; `send`, `end` and `watch` then need none. A
//! token the server no longer accepts is deleted and the password is asked for (exit 2).
//!
//! Needs a keychain: `scripts/desktop-session.sh cargo test -p agent-desk-cli --test cli
//! stored_login::`. Outside a desktop session the test says SKIPPED and returns.

use crate::common::{Watching, cli_for, visitor_count, wait_until};
use engine::{KeyringBackend, KeyringStore, SecretStore};
use simulator::{Fault, FaultKind, SimConfig, Simulator, StartChat};
use std::process::Output;
use tokio::process::Command;

fn in_desktop_session() -> bool {
    if std::env::var_os("AGENT_DESK_DESKTOP_SESSION").is_some() {
        return true;
    }
    eprintln!("SKIPPED: run under scripts/desktop-session.sh to test the keychain-stored login");
    false
}

/// The CLI with the keychain (a service name of its own), and no password unless `password`.
fn cli(sim: &Simulator, service: &str, data: &std::path::Path, password: bool) -> Command {
    let mut c = cli_for(sim, "ann", data);
    c.env("AGENT_DESK_KEYCHAIN_SERVICE", service);
    if password {
        c.env("AGENT_DESK_PASSWORD", "ann-pass");
    }
    c
}

fn ok(out: &Output, what: &str) {
    assert!(
        out.status.success(),
        "{what} failed ({:?}): {}",
        out.status.code(),
        String::from_utf8_lossy(&out.stderr)
    );
}

async fn password_logins(sim: &Simulator) -> usize {
    sim.requests()
        .await
        .iter()
        .filter(|r| r.path.trim_end_matches(".json").ends_with("/login"))
        .count()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn second_run_needs_no_password() {
    if !in_desktop_session() {
        return;
    }
    let sim = Simulator::start(SimConfig::default()).await.unwrap();
    let data = tempfile::tempdir().unwrap();
    let service = format!("agent-desk-cli-test-{}", std::process::id());
    let store = KeyringStore::new(service.clone(), KeyringBackend::Default);
    let key = engine::secrets::token_key(sim.base_url(), sim.account_id(), "ann");

    // run 1: the password, Online, take a chat, stop (SIGTERM) without logging out
    let mut first = cli(&sim, &service, data.path(), true);
    first.args(["watch", "--availability", "Online", "--accept"]);
    let mut run1 = Watching::start(first);
    run1.wait_for("availability Online", |v| {
        v["type"] == "availability" && v["availability"] == "Online"
    })
    .await;
    let chat = sim
        .start_chat(StartChat {
            skill: Some("Sales".into()),
            visitor_name: "Vera".into(),
            text: Some("hello".into()),
        })
        .await
        .unwrap();
    run1.wait_for("the chat accepted", |v| {
        v["type"] == "chatAccepted" && v["chat"] == chat.as_str()
    })
    .await;
    wait_until("the chat taken on the server", || async {
        sim.agent_chats("ann").await.unwrap() == 1
    })
    .await;
    let status = run1.stop().await;
    assert!(
        status.success(),
        "watch with the password: {status:?}\n{}",
        run1.stderr()
    );
    assert!(
        store.load(&key).unwrap().is_some(),
        "the first run stored the login token"
    );
    assert_eq!(
        sim.agent_chats("ann").await.unwrap(),
        1,
        "the chat was taken"
    );
    let logins = password_logins(&sim).await;

    // run 2 and 3: no password anywhere; the stored login works
    let out = cli(&sim, &service, data.path(), false)
        .args(["send", "--chat", &chat, "--text", "sent without a password"])
        .output()
        .await
        .unwrap();
    ok(&out, "send without a password");
    assert_eq!(
        visitor_count(&sim, &chat, "sent without a password").await,
        1
    );
    let out = cli(&sim, &service, data.path(), false)
        .args(["watch", "--duration", "1"])
        .output()
        .await
        .unwrap();
    ok(&out, "watch without a password");
    let out = cli(&sim, &service, data.path(), false)
        .args(["end", "--chat", &chat])
        .output()
        .await
        .unwrap();
    ok(&out, "end without a password");
    assert_eq!(sim.chat_state(&chat).await.unwrap(), "ended");
    assert_eq!(
        password_logins(&sim).await,
        logins,
        "no password login after the first"
    );

    // the login expires on the server: the token is deleted and the password is needed
    sim.inject_fault(Fault {
        kind: FaultKind::ExpireBearer,
        count: 1,
        path_contains: None,
    })
    .await;
    let out = cli(&sim, &service, data.path(), false)
        .args(["watch", "--duration", "1"])
        .output()
        .await
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        store.load(&key).unwrap(),
        None,
        "the stale token is deleted"
    );
    // with the password it works again (and stores a new token)
    let out = cli(&sim, &service, data.path(), true)
        .args(["watch", "--duration", "1"])
        .output()
        .await
        .unwrap();
    ok(&out, "watch with the password again");
    assert!(store.load(&key).unwrap().is_some());
    store.delete(&key).unwrap();
    sim.shutdown().await;
}
