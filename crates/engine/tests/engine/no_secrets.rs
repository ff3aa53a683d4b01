//! Neither the bearer nor the password reaches a log line (all crates, TRACE) or a file in the data
//! folder, across login, chatting, an expired bearer, re-login and logout; chat text and visitor
//! names stay out of the logs too.

use crate::common::*;
use engine::{Engine, LineSource, MemoryStore, SecretStore, SecretStoreKind, TextType};
use simulator::{Fault, FaultKind};
use std::cell::RefCell;
use std::io::Write;
use std::sync::{Arc, Mutex};
use tracing::Dispatch;
use tracing::dispatcher::DefaultGuard;
use tracing_subscriber::util::SubscriberInitExt;

#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn files_under(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(files_under(&p));
        } else {
            out.push(p);
        }
    }
    out
}

thread_local! {
    /// This thread's capture, while it is a thread of the capturing runtime.
    static CAPTURE: RefCell<Option<DefaultGuard>> = const { RefCell::new(None) };
}

/// Captures every log line (all crates, TRACE, and `log` records) written by this thread and by
/// every thread of the runtime it returns: the engine and the simulator run there. Per thread, not
/// process-wide, so the other tests of this binary neither write into the capture nor clash with a
/// global subscriber.
fn capturing_runtime(logs: &Captured) -> (tokio::runtime::Runtime, DefaultGuard) {
    let sink = logs.clone();
    let dispatch = Dispatch::new(
        tracing_subscriber::fmt()
            .with_max_level(tracing::Level::TRACE)
            .with_ansi(false)
            .with_writer(move || sink.clone())
            .finish(),
    );
    let for_threads = dispatch.clone();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        // Worker and blocking-pool threads alike.
        .on_thread_start(move || {
            let guard = for_threads.clone().set_default();
            CAPTURE.with(|c| *c.borrow_mut() = Some(guard));
        })
        .on_thread_stop(|| CAPTURE.with(|c| drop(c.borrow_mut().take())))
        .build()
        .unwrap();
    // `SubscriberInitExt::set_default` also routes `log` records to tracing.
    (runtime, dispatch.set_default())
}

#[test]
fn no_bearer_or_password_in_logs_or_files() {
    let logs = Captured::default();
    let (runtime, _capture) = capturing_runtime(&logs);
    runtime.block_on(logins_chats_and_logout(logs));
}

async fn logins_chats_and_logout(logs: Captured) {
    let sim = sim().await;
    let dir = tempfile::tempdir().unwrap();
    let secrets = Arc::new(MemoryStore::default());
    let mut cfg = config(dir.path());
    cfg.secrets = SecretStoreKind::Custom(secrets.clone());
    let (engine, rx) = Engine::spawn(cfg).unwrap();
    let rec = Recorder::new(rx);
    let key = online_with_chat(&sim, &engine, &rec, "ann", "Sales", "hello").await;
    let req = login_request(&sim, "ann");
    let token_key = engine::secrets::token_key(req.server.as_str(), &req.account, &req.user);
    let first: serde_json::Value =
        serde_json::from_str(&secrets.load(&token_key).unwrap().unwrap()).unwrap();
    engine
        .send_line(key.clone(), "a line".into(), TextType::Plain, false)
        .await
        .unwrap();
    wait_visitor_sees(&sim, &key, "a line").await;
    sim.inject_fault(Fault {
        kind: FaultKind::ExpireBearer,
        count: 1,
        path_contains: None,
    })
    .await;
    engine
        .send_line(key.clone(), "after expiry".into(), TextType::Plain, false)
        .await
        .unwrap();
    rec.wait_line(&key, LineSource::Agent, "after expiry").await;
    let second: serde_json::Value =
        serde_json::from_str(&secrets.load(&token_key).unwrap().unwrap()).unwrap();
    engine.logout().await.unwrap();
    engine.shutdown().await;

    let mut secrets_to_find = vec!["ann-pass".to_string()];
    for t in [&first, &second] {
        for k in ["bearer", "csrf"] {
            let v = t[k].as_str().unwrap().to_string();
            assert!(v.len() >= 8, "a real secret to look for");
            secrets_to_find.push(v);
        }
    }
    let text = String::from_utf8_lossy(&logs.0.lock().unwrap()).to_string();
    assert!(
        text.contains("agent session started") || text.contains("engine"),
        "logs were captured"
    );
    for s in &secrets_to_find {
        assert!(!text.contains(s.as_str()), "a secret is in the logs");
    }
    // No chat text and no visitor name either (the diagnostics switch is off by default).
    assert!(text.contains("engine event"), "events were logged");
    for said in ["a line", "after expiry", "Vera"] {
        assert!(!text.contains(said), "{said:?} is in the logs");
    }
    let mut read = 0;
    for f in files_under(dir.path()) {
        // SQLite's journal files come and go while the store closes; one that vanished between
        // listing and reading holds nothing any more.
        let bytes = match std::fs::read(&f) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
            Err(e) => panic!("cannot read {}: {e}", f.display()),
        };
        let hay = String::from_utf8_lossy(&bytes);
        for s in &secrets_to_find {
            assert!(!hay.contains(s.as_str()), "a secret is in {}", f.display());
        }
        read += 1;
    }
    assert!(read > 0, "the data folder holds the engine's files");
    sim.shutdown().await;
}
