//! The login token in a real OS keychain (Secret Service via gnome-keyring, kernel keyutils), and the
//! fallback when no keychain can be reached.
//!
//! The real-backend tests need a desktop session: `scripts/desktop-session.sh cargo test -p
//! agent-desk-engine --test keychain`. Outside one they say so and return.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::*;
use engine::{
    Engine, EngineEvent, ErrorCode, KeyringBackend, KeyringStore, SecretError, SecretStore,
    SecretStoreKind,
};
use std::sync::Arc;

fn in_desktop_session() -> bool {
    if std::env::var_os("AGENT_DESK_DESKTOP_SESSION").is_some() {
        return true;
    }
    eprintln!("SKIPPED: run under scripts/desktop-session.sh to test a real keychain backend");
    false
}

fn service(tag: &str) -> String {
    format!("agent-desk-test-{tag}-{}", std::process::id())
}

async fn token_round_trip(backend: KeyringBackend, tag: &str) {
    let sim = sim().await;
    let dir = tempfile::tempdir().unwrap();
    let svc = service(tag);
    let mut cfg = config(dir.path());
    cfg.secrets = SecretStoreKind::Keyring {
        service: svc.clone(),
        backend,
    };
    let (engine, rx) = Engine::spawn(cfg).unwrap();
    let rec = Recorder::new(rx);
    let req = login_request(&sim, "ann");
    engine.login(req.clone()).await.unwrap();
    let store = KeyringStore::new(svc, backend);
    let key = engine::secrets::token_key(req.server.as_str(), &req.account, &req.user);
    let stored = store
        .load(&key)
        .expect("keychain reachable")
        .expect("token stored");
    assert!(
        stored.contains("\"bearer\""),
        "the keychain holds the token"
    );
    assert!(!stored.contains("ann-pass"), "never the password");
    assert!(
        !rec.all().iter().any(|e| matches!(
            e,
            EngineEvent::Error {
                code: ErrorCode::KeychainUnavailable,
                ..
            }
        )),
        "{:?}",
        rec.all()
    );
    engine.logout().await.unwrap();
    assert_eq!(store.load(&key).unwrap(), None, "logout deletes the token");
    engine.shutdown().await;
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn token_in_secret_service() {
    if in_desktop_session() {
        token_round_trip(KeyringBackend::SecretService, "ss").await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn token_in_keyutils() {
    if in_desktop_session() {
        token_round_trip(KeyringBackend::Keyutils, "ku").await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs a way to rebuild a LoginSession from a stored token in chat-agent-api (docs/contracts.md §3)"]
async fn restart_resumes_with_stored_token() {
    if !in_desktop_session() {
        return;
    }
    let sim = sim().await;
    let dir = tempfile::tempdir().unwrap();
    let svc = service("resume");
    let mut cfg = config(dir.path());
    cfg.secrets = SecretStoreKind::Keyring {
        service: svc.clone(),
        backend: KeyringBackend::SecretService,
    };
    let (engine, _rx) = Engine::spawn(cfg.clone()).unwrap();
    engine.login(login_request(&sim, "ann")).await.unwrap();
    drop(engine);
    let (engine, _rx) = Engine::spawn(cfg).unwrap();
    let mut req = login_request(&sim, "ann");
    req.password = None;
    let profile = engine
        .login(req)
        .await
        .expect("resumed without the password");
    assert_eq!(profile.login_name, "ann");
    engine.logout().await.unwrap();
    sim.shutdown().await;
}

/// A keychain that is never there.
#[derive(Debug)]
struct NoKeychain;

impl SecretStore for NoKeychain {
    fn load(&self, _: &str) -> Result<Option<String>, SecretError> {
        Err(SecretError::Unavailable("no D-Bus session".into()))
    }
    fn save(&self, _: &str, _: &str) -> Result<(), SecretError> {
        Err(SecretError::Unavailable("no D-Bus session".into()))
    }
    fn delete(&self, _: &str) -> Result<(), SecretError> {
        Err(SecretError::Unavailable("no D-Bus session".into()))
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unreachable_keychain_is_a_typed_error_and_memory_only() {
    let sim = sim().await;
    let dir = tempfile::tempdir().unwrap();
    let mut cfg = config(dir.path());
    cfg.secrets = SecretStoreKind::Custom(Arc::new(NoKeychain));
    let (engine, rx) = Engine::spawn(cfg).unwrap();
    let rec = Recorder::new(rx);
    engine
        .login(login_request(&sim, "ann"))
        .await
        .expect("login still works");
    rec.wait_for("keychain error", |e| {
        matches!(
            e,
            EngineEvent::Error {
                code: ErrorCode::KeychainUnavailable,
                ..
            }
        )
    })
    .await;
    // resuming without a password cannot work, and says why
    let (other, rx2) = Engine::spawn(config(tempfile::tempdir().unwrap().path())).unwrap();
    drop(rx2);
    let mut req = login_request(&sim, "ann");
    req.password = None;
    assert_eq!(
        other.login(req).await.unwrap_err().code,
        ErrorCode::AuthExpired
    );
    engine.shutdown().await;
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wrong_password_is_bad_credentials() {
    let sim = sim().await;
    let dir = tempfile::tempdir().unwrap();
    let (engine, _rx) = Engine::spawn(config(dir.path())).unwrap();
    let mut req = login_request(&sim, "ann");
    req.password = Some("nope".into());
    assert_eq!(
        engine.login(req).await.unwrap_err().code,
        ErrorCode::BadCredentials
    );
    let unreachable = engine::LoginRequest {
        server: url::Url::parse("http://127.0.0.1:9").unwrap(),
        ..login_request(&sim, "ann")
    };
    assert_eq!(
        engine.login(unreachable).await.unwrap_err().code,
        ErrorCode::Network
    );
    sim.shutdown().await;
}
