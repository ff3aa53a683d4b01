//! Whole flows through the IPC layer against the simulator: login, ring, accept, a hostile visitor
//! line that must arrive clean in the forwarded `engine-event`.

use std::sync::mpsc;
use std::time::{Duration, Instant};

use engine::events::{ChatLine, EngineEvent, LineSource, TextType};
use serde_json::{Value, json};
use simulator::{SimConfig, Simulator, StartChat};
use tauri::{Listener, Manager};

use super::{app, invoke, main_window};
use crate::ui_events::ENGINE_EVENT;

const HOSTILE: &str = "<b>hi</b><script>alert(1)</script><img src=x onerror=alert(2)>\
<a href=\"javascript:alert(3)\">x</a>";

fn html_line(text: &str) -> EngineEvent {
    EngineEvent::Line(ChatLine {
        chat: "K".into(),
        id: 1,
        time: None,
        source: LineSource::Visitor,
        by: "visitor".into(),
        text: text.into(),
        text_type: TextType::Html,
        system_message_id: None,
        agent_only: false,
        local_id: None,
        card: None,
        seen_at: None,
        latency_ms: None,
    })
}

fn assert_clean(text: &str) {
    for bad in ["<script", "onerror", "javascript:"] {
        assert!(
            !text.to_ascii_lowercase().contains(bad),
            "{bad} survived: {text}"
        );
    }
}

#[test]
fn bridge_cleans_html_even_if_the_engine_did_not() {
    let EngineEvent::Line(line) = crate::bridge::for_ui(html_line(HOSTILE)) else {
        panic!()
    };
    assert_clean(&line.text);
    assert!(line.text.contains("<b>hi</b>"), "{}", line.text);
}

/// Waits for a forwarded event that `pick` accepts.
fn wait_for(events: &mpsc::Receiver<Value>, what: &str, pick: impl Fn(&Value) -> bool) -> Value {
    let deadline = Instant::now() + Duration::from_secs(20);
    while let Some(left) = deadline.checked_duration_since(Instant::now()) {
        match events.recv_timeout(left) {
            Ok(event) if pick(&event) => return event,
            Ok(_) => {}
            Err(_) => break,
        }
    }
    panic!("no {what} event within 20 s");
}

#[test]
fn login_accept_and_hostile_visitor_html_through_ipc() {
    let app = app("flow");
    let window = main_window(&app);
    let (tx, events) = mpsc::channel::<Value>();
    app.listen_any(ENGINE_EVENT, move |event| {
        if let Ok(value) = serde_json::from_str(event.payload()) {
            let _ = tx.send(value);
        }
    });
    let sim = tauri::async_runtime::block_on(Simulator::start(SimConfig::default())).unwrap();
    let form = json!({
        "server": sim.base_url().to_string(),
        "account": sim.account_id().to_string(),
        "user": "ann",
        "password": "ann-pass",
    });
    let agent = invoke(&window, "login", json!({"args": form})).unwrap();
    assert_eq!(agent["loginName"], "ann");
    // Already logged in: resuming (a reloaded page) answers with the agent, and the login is remembered.
    let resume = invoke(&window, "try_resume", json!({})).unwrap();
    assert_eq!(resume["agent"]["loginName"], "ann");
    assert_eq!(resume["remembered"]["user"], "ann");
    invoke(
        &window,
        "set_availability",
        json!({"args": {"availability": "Online"}}),
    )
    .unwrap();
    wait_for(&events, "session", |e| {
        e["type"] == "session" && e["state"] == "loggedIn"
    });

    let start = StartChat {
        skill: Some("Sales".into()),
        visitor_name: "Vera".into(),
        text: Some(HOSTILE.into()),
    };
    let key = tauri::async_runtime::block_on(sim.start_chat(start)).unwrap();
    wait_for(&events, "ringing", |e| e["type"] == "ringing");
    let desk = app.state::<crate::desk::Desk>();
    let deadline = Instant::now() + Duration::from_secs(5);
    while !desk.indicators().title().contains("1 ringing") && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
    }
    assert_eq!(desk.indicators().title(), "Agent Desk — 1 ringing");
    let accepted = invoke(&window, "accept", json!({})).unwrap();
    assert_eq!(accepted, json!(key));

    let line = wait_for(&events, "visitor line", |e| {
        e["type"] == "line" && e["chat"] == json!(key) && e["source"] == "visitor"
    });
    assert_clean(line["text"].as_str().unwrap());
    assert_eq!(
        invoke(&window, "active_chat_count", json!({})).unwrap(),
        json!(1)
    );
    // Logging out with a chat open warns first and does nothing.
    let outcome = invoke(&window, "logout", json!({"args": {"confirmed": false}})).unwrap();
    assert_eq!(outcome, json!({"loggedOut": false, "activeChatCount": 1}));
    let outcome = invoke(&window, "logout", json!({"args": {"confirmed": true}})).unwrap();
    assert_eq!(outcome["loggedOut"], true);
    // The token is gone, so the next start shows the form, filled with the remembered login.
    let resume = invoke(&window, "try_resume", json!({})).unwrap();
    assert_eq!(resume["agent"], Value::Null, "{resume}");
    assert_eq!(resume["remembered"]["user"], "ann");
    tauri::async_runtime::block_on(sim.shutdown());
}

#[test]
fn demo_mode_logs_in_as_ann_on_the_embedded_simulator() {
    let app = app("demo");
    let window = main_window(&app);
    let agent = invoke(&window, "start_demo", json!({})).unwrap();
    assert_eq!(agent["loginName"], "ann");
    assert_eq!(agent["account"], "90412345");
    let snapshot = invoke(&window, "snapshot", json!({})).unwrap();
    assert_eq!(snapshot["session"], "loggedIn");
    // The demo login is not remembered (its server lives only as long as the app).
    assert_eq!(
        invoke(&window, "settings", json!({})).unwrap()["remembered"],
        Value::Null
    );
    let outcome = invoke(&window, "logout", json!({"args": {"confirmed": true}})).unwrap();
    assert_eq!(outcome["loggedOut"], true);
    let desk = app.state::<crate::desk::Desk>();
    tauri::async_runtime::block_on(desk.stop());
}

#[test]
fn try_resume_uses_the_stored_token_after_a_restart() {
    use crate::desk::{Desk, LoginForm};
    use crate::settings::SettingsFile;
    use engine::secrets::{MemoryStore, SecretStoreKind};
    use std::sync::Arc;

    let dir = super::temp_dir("resume");
    // one secret store outliving both "runs", like the OS keychain
    let store = Arc::new(MemoryStore::default());
    let options = crate::launch::LaunchOptions {
        demo: false,
        data_dir: Some(dir.clone()),
        memory_secrets: true,
        hidden: false,
    };
    let mut config = crate::setup::engine_config(&options, &dir, false);
    config.secrets = SecretStoreKind::Custom(store);
    tauri::async_runtime::block_on(async move {
        // Over https with the simulator's own CA: resuming must trust it again.
        let sim = Simulator::start(SimConfig {
            tls: true,
            ..SimConfig::default()
        })
        .await
        .unwrap();
        let (engine, _events) = engine::Engine::spawn(config.clone()).unwrap();
        let desk = Desk::new(engine, SettingsFile::in_dir(&dir));
        let form = LoginForm {
            server: sim.base_url().to_string(),
            account: sim.account_id().to_string(),
            user: "ann".into(),
            password: "ann-pass".into(),
            extra_ca_pem: sim.ca_pem().map(|pem| format!("\n{pem}\n")),
        };
        desk.login(form).await.unwrap();
        // quit without logging out
        desk.stop().await;
        drop(desk);

        let (engine, _events) = engine::Engine::spawn(config.clone()).unwrap();
        let desk = Desk::new(engine, SettingsFile::in_dir(&dir));
        let resumed = desk.try_resume().await.unwrap();
        let agent = resumed.agent.expect("resumed from the stored token");
        assert_eq!(agent.login_name, "ann");
        let remembered = resumed.remembered.unwrap();
        assert_eq!(remembered.user, "ann");
        assert!(
            remembered.server.starts_with("https://"),
            "{}",
            remembered.server
        );
        assert_eq!(
            remembered.extra_ca_pem.as_deref(),
            sim.ca_pem().map(str::trim)
        );
        let outcome = desk.logout(true).await.unwrap();
        assert!(outcome.logged_out);
        desk.stop().await;
        drop(desk);

        // logout deleted the token: the next start shows the filled-in form
        let (engine, _events) = engine::Engine::spawn(config).unwrap();
        let desk = Desk::new(engine, SettingsFile::in_dir(&dir));
        let resumed = desk.try_resume().await.unwrap();
        assert!(resumed.agent.is_none());
        assert_eq!(resumed.remembered.unwrap().user, "ann");
        desk.stop().await;
        sim.shutdown().await;
    });
}

#[test]
fn a_wrong_extra_ca_is_a_tls_error_and_never_plain_http() {
    let app = app("wrong-ca");
    let window = main_window(&app);
    let sim = tauri::async_runtime::block_on(Simulator::start(SimConfig {
        tls: true,
        ..SimConfig::default()
    }))
    .unwrap();
    let form = json!({
        "server": sim.base_url().to_string(),
        "account": sim.account_id().to_string(),
        "user": "ann",
        "password": "ann-pass",
        "extraCaPem": simulator::unrelated_ca_pem().unwrap(),
    });
    let error = invoke(&window, "login", json!({"args": form})).unwrap_err();
    assert_eq!(error["code"], "tls", "{error}");
    assert_eq!(sim.plain_http_attempts(), 0);
    // Not remembered: the login did not succeed.
    assert_eq!(
        invoke(&window, "settings", json!({})).unwrap()["remembered"],
        Value::Null
    );
    let desk = app.state::<crate::desk::Desk>();
    tauri::async_runtime::block_on(desk.stop());
    tauri::async_runtime::block_on(sim.shutdown());
}
