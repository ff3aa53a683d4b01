//! The login token in a real OS keychain (Secret Service via gnome-keyring, kernel keyutils), and the
//! fallback when no keychain can be reached.
//!
//! The real-backend tests need the desktop session (an unlocked Secret Service keyring on the
//! session D-Bus, a kernel session keyring) and are `#[ignore]`d: `scripts/desktop-session.sh cargo
//! test -p agent-desk-engine -- --include-ignored`. Run without one, they fail. They name the
//! Linux-only `KeyringBackend`s, so they exist only on Linux; the rest run on every OS.

use crate::common::*;
use engine::{
    ChatOrigin, Engine, EngineEvent, ErrorCode, LineSource, MemoryStore, SecretError, SecretStore,
    SecretStoreKind, SessionState, TextType,
};
#[cfg(target_os = "linux")]
use engine::{KeyringBackend, KeyringStore};
use simulator::{Fault, FaultKind};
use std::sync::Arc;

#[cfg(target_os = "linux")]
fn service(tag: &str) -> String {
    format!("agent-desk-test-{tag}-{}", std::process::id())
}

#[cfg(target_os = "linux")]
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
    rec.assert_never("keychainUnavailable reported", |e| {
        matches!(
            e,
            EngineEvent::Error {
                code: ErrorCode::KeychainUnavailable,
                ..
            }
        )
    });
    engine.logout().await.unwrap();
    assert_eq!(store.load(&key).unwrap(), None, "logout deletes the token");
    engine.shutdown().await;
    sim.shutdown().await;
}

#[cfg(target_os = "linux")]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs the desktop session: scripts/desktop-session.sh cargo test -- --include-ignored"]
async fn token_in_secret_service() {
    token_round_trip(KeyringBackend::SecretService, "ss").await;
}

#[cfg(target_os = "linux")]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs the desktop session: scripts/desktop-session.sh cargo test -- --include-ignored"]
async fn token_in_keyutils() {
    token_round_trip(KeyringBackend::Keyutils, "ku").await;
}

/// Logins made so far on the simulator (`POST …/login`).
async fn password_logins(sim: &simulator::Simulator) -> usize {
    sim.requests()
        .await
        .iter()
        .filter(|r| r.path.trim_end_matches(".json").ends_with("/login"))
        .count()
}

fn no_password(sim: &simulator::Simulator) -> engine::LoginRequest {
    engine::LoginRequest {
        password: None,
        ..login_request(sim, "ann")
    }
}

/// The engine stops without logging out while it holds a chat; the visitor writes meanwhile; a new
/// engine on the same data folder and secret store logs in without the password (restore → refresh
/// → agent session → Retrieve Chat Sessions), holds the chat again and shows the visitor's line once.
async fn resume_after_restart(secrets: SecretStoreKind, store: Arc<dyn SecretStore>) {
    let sim = sim().await;
    let dir = tempfile::tempdir().unwrap();
    let mut cfg = config(dir.path());
    cfg.secrets = secrets;
    let req = login_request(&sim, "ann");
    let key = engine::secrets::token_key(req.server.as_str(), &req.account, &req.user);
    let chat;
    {
        let (engine, rx) = Engine::spawn(cfg.clone()).unwrap();
        let rec = Recorder::new(rx);
        chat = online_with_chat(&sim, &engine, &rec, "ann", "Sales", "hello").await;
        let stored = store.load(&key).unwrap().expect("token stored");
        let token: engine::secrets::StoredToken = serde_json::from_str(&stored).unwrap();
        assert_eq!(token.account, req.account);
        assert_eq!(token.user, "ann");
        assert!(token.session_id.is_some(), "the Session_id cookie is kept");
        assert!(!stored.contains("ann-pass"), "never the password");
        // stop without logout, like quitting with chats open or a crash
        drop(engine);
        rec.wait_closed().await;
    }
    sim.visitor_line(&chat, "are you still there?")
        .await
        .unwrap();
    let logins = password_logins(&sim).await;

    let cfg_secrets = cfg.secrets.clone();
    let (engine, rx) = Engine::spawn(cfg).unwrap();
    let rec = Recorder::new(rx);
    let profile = engine
        .login(no_password(&sim))
        .await
        .expect("resumed without the password");
    assert_eq!(profile.login_name, "ann");
    assert_eq!(password_logins(&sim).await, logins, "no new password login");
    rec.wait_for("chat resumed", |e| {
        matches!(e, EngineEvent::ChatUpdated { summary } if summary.chat == chat && summary.origin == ChatOrigin::Resumed)
    })
    .await;
    rec.wait_line(&chat, LineSource::Visitor, "are you still there?")
        .await;
    assert_eq!(engine.active_chat_count().await, 1);
    let reply = engine
        .send_line(chat.clone(), "yes, back".into(), TextType::Plain, false)
        .await
        .unwrap();
    wait_visitor_sees(&sim, &chat, "yes, back").await;
    rec.wait_sent(&reply).await;
    settle(&sim).await;
    assert_eq!(
        rec.count_lines(&chat, LineSource::Visitor, "are you still there?"),
        1,
        "the line sent while the engine was down arrives exactly once"
    );
    assert_eq!(
        rec.count_lines(&chat, LineSource::Visitor, "hello"),
        0,
        "lines seen before the restart are not emitted again"
    );
    assert_eq!(visitor_count(&sim, &chat, "yes, back").await, 1);
    assert!(store.load(&key).unwrap().is_some(), "still stored");
    engine.logout().await.unwrap();
    assert_eq!(store.load(&key).unwrap(), None, "logout deletes the token");
    // and after logout the password is needed again
    let other_dir = tempfile::tempdir().unwrap();
    let mut other = config(other_dir.path());
    other.secrets = cfg_secrets;
    let (again, _rx) = Engine::spawn(other).unwrap();
    assert_eq!(
        again.login(no_password(&sim)).await.unwrap_err().code,
        ErrorCode::AuthExpired
    );
    engine.shutdown().await;
    sim.shutdown().await;
}

/// A stored token the server no longer accepts: `AuthExpired`, and the secret is deleted.
async fn stale_token_is_deleted(secrets: SecretStoreKind, store: Arc<dyn SecretStore>) {
    let sim = sim().await;
    let dir = tempfile::tempdir().unwrap();
    let mut cfg = config(dir.path());
    cfg.secrets = secrets;
    let req = login_request(&sim, "ann");
    let key = engine::secrets::token_key(req.server.as_str(), &req.account, &req.user);
    {
        let (engine, _rx) = Engine::spawn(cfg.clone()).unwrap();
        engine.login(req.clone()).await.unwrap();
        drop(engine);
    }
    assert!(store.load(&key).unwrap().is_some());
    sim.inject_fault(Fault {
        kind: FaultKind::ExpireBearer,
        count: 1,
        path_contains: None,
    })
    .await;
    let (engine, rx) = Engine::spawn(cfg).unwrap();
    let rec = Recorder::new(rx);
    let err = engine.login(no_password(&sim)).await.unwrap_err();
    assert_eq!(err.code, ErrorCode::AuthExpired, "{err:?}");
    assert_eq!(
        store.load(&key).unwrap(),
        None,
        "the stale token is deleted"
    );
    assert_eq!(engine.snapshot().await.session, SessionState::LoggedOut);
    // the password still works, and stores a fresh token
    engine.login(req).await.unwrap();
    assert!(store.load(&key).unwrap().is_some());
    rec.assert_never("keychainUnavailable reported", |e| {
        matches!(
            e,
            EngineEvent::Error {
                code: ErrorCode::KeychainUnavailable,
                ..
            }
        )
    });
    engine.logout().await.unwrap();
    assert_eq!(store.load(&key).unwrap(), None);
    sim.shutdown().await;
}

/// A damaged secret or one for another agent is deleted, not used.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unusable_stored_token_is_deleted() {
    let sim = sim().await;
    let store = Arc::new(MemoryStore::default());
    let mut cfg = config(tempfile::tempdir().unwrap().path());
    cfg.secrets = SecretStoreKind::Custom(store.clone());
    let req = login_request(&sim, "ann");
    let key = engine::secrets::token_key(req.server.as_str(), &req.account, &req.user);
    let (engine, _rx) = Engine::spawn(cfg).unwrap();
    for bad in [
        "not json".to_string(),
        serde_json::json!({"account": req.account, "user": "bob", "bearer": "b", "csrf": "c",
            "session_id": "s", "domain": sim.base_url()})
        .to_string(),
        serde_json::json!({"bearer": "b", "csrf": "c", "session_id": null, "domain": "::"})
            .to_string(),
    ] {
        store.save(&key, &bad).unwrap();
        let err = engine.login(no_password(&sim)).await.unwrap_err();
        assert_eq!(err.code, ErrorCode::AuthExpired, "{bad}");
        assert_eq!(store.load(&key).unwrap(), None, "{bad}");
    }
    sim.shutdown().await;
}

/// With a password the engine always logs in afresh, even when a token is stored.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn password_given_means_a_fresh_login() {
    let sim = sim().await;
    let store = Arc::new(MemoryStore::default());
    let mut cfg = config(tempfile::tempdir().unwrap().path());
    cfg.secrets = SecretStoreKind::Custom(store.clone());
    let req = login_request(&sim, "ann");
    let key = engine::secrets::token_key(req.server.as_str(), &req.account, &req.user);
    {
        let (engine, _rx) = Engine::spawn(cfg.clone()).unwrap();
        engine.login(req.clone()).await.unwrap();
    }
    let first = store.load(&key).unwrap().unwrap();
    let logins = password_logins(&sim).await;
    let (engine, _rx) = Engine::spawn(cfg).unwrap();
    engine.login(req).await.unwrap();
    assert_eq!(password_logins(&sim).await, logins + 1);
    let second = store.load(&key).unwrap().unwrap();
    assert_ne!(first, second, "the new login's token replaces the old one");
    engine.shutdown().await;
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn restart_resumes_with_token_in_memory_store() {
    let store = Arc::new(MemoryStore::default());
    resume_after_restart(SecretStoreKind::Custom(store.clone()), store).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stale_token_in_memory_store_is_deleted() {
    let store = Arc::new(MemoryStore::default());
    stale_token_is_deleted(SecretStoreKind::Custom(store.clone()), store).await;
}

/// The engine's keychain setting and a handle on the same Secret Service entry, for checking it.
#[cfg(target_os = "linux")]
fn secret_service(name: &str) -> (SecretStoreKind, Arc<KeyringStore>) {
    let svc = service(name);
    let backend = KeyringBackend::SecretService;
    let kind = SecretStoreKind::Keyring {
        service: svc.clone(),
        backend,
    };
    (kind, Arc::new(KeyringStore::new(svc, backend)))
}

/// The same with the real Secret Service keychain (gnome-keyring under desktop-session.sh).
#[cfg(target_os = "linux")]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs the desktop session: scripts/desktop-session.sh cargo test -- --include-ignored"]
async fn restart_resumes_with_stored_token() {
    let (kind, store) = secret_service("resume");
    resume_after_restart(kind, store).await;
}

#[cfg(target_os = "linux")]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs the desktop session: scripts/desktop-session.sh cargo test -- --include-ignored"]
async fn stale_token_in_secret_service_is_deleted() {
    let (kind, store) = secret_service("stale");
    stale_token_is_deleted(kind, store).await;
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
