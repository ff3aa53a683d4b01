//! Shell tests through Tauri's mock runtime: the real config and capability, the real command
//! handler, an engine on a temp folder with in-memory secrets.

use std::path::PathBuf;

use serde_json::{Value, json};
use tauri::test::{INVOKE_KEY, MockRuntime, get_ipc_response, mock_builder};
use tauri::webview::InvokeRequest;
use tauri::{App, Listener, Manager, WebviewUrl, WebviewWindow, WebviewWindowBuilder};

use crate::commands::COMMANDS;
use crate::launch::LaunchOptions;
use crate::settings::SettingsFile;

mod flows;

/// A fresh temp folder for one test.
pub(crate) fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "agent-desk-shell-{name}-{}-{:?}",
        std::process::id(),
        std::thread::current().id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The app with its real context (config, capability, ACL) on the mock runtime, with a desk.
pub(crate) fn app(name: &str) -> App<MockRuntime> {
    let data_dir = temp_dir(name);
    let options = LaunchOptions {
        demo: false,
        data_dir: Some(data_dir.clone()),
        memory_secrets: true,
        hidden: false,
    };
    let app = mock_builder()
        .plugin(tauri_plugin_opener::init())
        .invoke_handler(crate::commands::handler())
        .on_window_event(crate::window::on_event)
        .build(crate::context())
        .unwrap();
    let config = crate::setup::engine_config(&options, &data_dir, false);
    crate::setup::start_desk(app.handle(), config, SettingsFile::in_dir(&data_dir)).unwrap();
    app
}

/// The main window (created from tauri.conf.json).
pub(crate) fn main_window(app: &App<MockRuntime>) -> WebviewWindow<MockRuntime> {
    match app.get_webview_window(crate::window::MAIN) {
        Some(window) => window,
        None => WebviewWindowBuilder::new(app, crate::window::MAIN, WebviewUrl::default())
            .build()
            .unwrap(),
    }
}

/// Invokes a command the way the webview does.
pub(crate) fn invoke(
    window: &WebviewWindow<MockRuntime>,
    cmd: &str,
    args: Value,
) -> Result<Value, Value> {
    let request = InvokeRequest {
        cmd: cmd.into(),
        callback: tauri::ipc::CallbackFn(0),
        error: tauri::ipc::CallbackFn(1),
        url: "tauri://localhost".parse().unwrap(),
        body: tauri::ipc::InvokeBody::Json(args),
        headers: Default::default(),
        invoke_key: INVOKE_KEY.to_string(),
    };
    get_ipc_response(window, request).map(|body| body.deserialize::<Value>().unwrap())
}

#[test]
fn granted_commands_reach_the_desk() {
    let app = app("granted");
    let window = main_window(&app);
    let settings = invoke(&window, "settings", json!({})).unwrap();
    assert_eq!(settings["muted"], false);
    assert_eq!(settings["autoAccept"], false);
    assert_eq!(settings["remembered"], Value::Null);
    assert_eq!(settings["alerts"]["ring"]["attentionAfterSecs"], 8);
    let settings = invoke(&window, "set_muted", json!({"args": {"muted": true}})).unwrap();
    assert_eq!(settings["muted"], true);
    let snapshot = invoke(&window, "snapshot", json!({})).unwrap();
    assert_eq!(snapshot["session"], "loggedOut");
    assert_eq!(
        invoke(&window, "active_chat_count", json!({})).unwrap(),
        json!(0)
    );
    let resume = invoke(&window, "try_resume", json!({})).unwrap();
    assert_eq!(resume, json!({"agent": null, "remembered": null}));
    let counts = invoke(&window, "show_chats", json!({"args": {"chats": []}})).unwrap();
    assert_eq!(counts, json!({"seq": 0, "chats": {}}));
}

/// The generated bindings say `invoke(name, { args })`: every command that takes arguments reads
/// them from the `args` key (and nothing else), so a parameter renamed in Rust cannot slip by.
#[test]
fn commands_read_their_arguments_from_args() {
    let app = app("args-key");
    let window = main_window(&app);
    let with_args: Vec<&str> = crate::commands::signatures()
        .iter()
        .filter(|s| s.takes_args())
        .map(|s| s.name())
        .collect();
    assert_eq!(with_args.len(), 37, "{with_args:?}");
    for name in with_args {
        // Refused before the command runs (so `quit` and `logout` do nothing here).
        let error = invoke(&window, name, json!({})).unwrap_err();
        assert!(
            error.to_string().contains("missing required key args"),
            "{name}: {error}"
        );
    }
    // Unknown fields are refused too, rather than ignored.
    let error = invoke(
        &window,
        "set_muted",
        json!({"args": {"muted": true, "mute": false}}),
    )
    .unwrap_err();
    assert!(error.to_string().contains("unknown field"), "{error}");
    assert_eq!(
        invoke(&window, "settings", json!({})).unwrap()["muted"],
        false
    );
}

#[test]
fn engine_errors_arrive_as_ipc_errors() {
    let app = app("errors");
    let window = main_window(&app);
    let error = invoke(&window, "accept", json!({})).unwrap_err();
    assert_eq!(error["code"], "notLoggedIn", "{error}");
    assert!(error["message"].is_string());
    assert!(error["retryable"].is_boolean());
    assert_eq!(error.as_object().unwrap().len(), 3, "{error}");
    let form = json!({"server": "http://", "account": "1", "user": "u", "password": "p"});
    let error = invoke(&window, "login", json!({"args": form})).unwrap_err();
    assert_eq!(error["code"], "invalidInput", "{error}");
}

#[test]
fn acl_denies_what_the_capability_does_not_grant() {
    let app = app("acl");
    let window = main_window(&app);
    // A core command the capability does not grant.
    let denied = invoke(&window, "plugin:window|close", json!({})).unwrap_err();
    assert!(denied.to_string().contains("not allowed"), "{denied}");
    // App commands are reachable only from the window the capability names.
    let other = WebviewWindowBuilder::new(&app, "other", WebviewUrl::default())
        .build()
        .unwrap();
    let denied = invoke(&other, "snapshot", json!({})).unwrap_err();
    assert!(denied.to_string().contains("not allowed"), "{denied}");
    assert!(invoke(&window, "snapshot", json!({})).is_ok());
}

/// Links open only through `open_link` (Rust calls the opener plugin); the webview holds none of the
/// plugin's own commands, and `open_link` / `fetch_image` refuse anything but http(s).
#[test]
fn links_open_only_through_open_link_and_only_for_http() {
    let app = app("links");
    let window = main_window(&app);
    let denied = invoke(
        &window,
        "plugin:opener|open_url",
        json!({"url": "https://example.com/"}),
    )
    .unwrap_err();
    assert!(denied.to_string().contains("not allowed"), "{denied}");
    for url in ["javascript:alert(1)", "file:///etc/passwd", "not a url"] {
        let error = invoke(&window, "open_link", json!({"args": {"url": url}})).unwrap_err();
        assert_eq!(error["code"], "invalidInput", "{url}: {error}");
        let error = invoke(&window, "fetch_image", json!({"args": {"url": url}})).unwrap_err();
        assert_eq!(error["code"], "invalidInput", "{url}: {error}");
    }
}

#[test]
fn capability_grants_exactly_the_app_commands_and_event_listening() {
    let text = include_str!("../capabilities/main-window.json");
    let capability: Value = serde_json::from_str(text).unwrap();
    assert_eq!(capability["windows"], json!(["main"]));
    let granted: Vec<&str> = capability["permissions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p.as_str().unwrap())
        .collect();
    let mut expected = vec!["core:event:default".to_owned()];
    expected.extend(
        COMMANDS
            .iter()
            .map(|c| format!("allow-{}", c.replace('_', "-"))),
    );
    assert_eq!(granted, expected);
    for forbidden in [
        "fs:",
        "shell:",
        "http:",
        "opener:",
        "core:default",
        "core:webview",
        "core:window",
    ] {
        assert!(
            !granted.iter().any(|p| p.starts_with(forbidden)),
            "{forbidden}"
        );
    }
}

#[test]
fn config_is_locked_down() {
    let config: Value = serde_json::from_str(include_str!("../tauri.conf.json")).unwrap();
    assert_eq!(config["identifier"], crate::IDENTIFIER);
    assert_eq!(config["productName"], "Agent Desk");
    assert_eq!(config["app"]["withGlobalTauri"], false);
    let csp = config["app"]["security"]["csp"].as_str().unwrap();
    assert_eq!(
        csp,
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
         connect-src ipc: http://ipc.localhost; object-src 'none'; base-uri 'none'; frame-ancestors 'none'"
    );
    assert!(!csp.contains("unsafe"));
    assert_eq!(
        config["app"]["security"]["capabilities"],
        json!(["main-window"])
    );
}

#[test]
fn notification_open_tells_the_ui_which_chat() {
    let app = app("open-chat");
    let window = main_window(&app);
    let (tx, rx) = std::sync::mpsc::channel::<Value>();
    window.listen(crate::ui_events::OPEN_CHAT, move |event| {
        let _ = tx.send(serde_json::from_str(event.payload()).unwrap());
    });
    crate::window::reveal_chat(app.handle(), Some("H1-K1".into()));
    let payload = rx.recv_timeout(std::time::Duration::from_secs(5)).unwrap();
    assert_eq!(payload, json!({"chat": "H1-K1"}));
}

#[test]
fn showing_a_chat_reads_it_in_the_title_and_the_ui() {
    let app = app("title");
    let window = main_window(&app);
    let desk = app.state::<crate::desk::Desk>();
    let (tx, rx) = std::sync::mpsc::channel::<Value>();
    window.listen(crate::ui_events::UNREAD, move |event| {
        let _ = tx.send(serde_json::from_str(event.payload()).unwrap());
    });
    let line = |id| {
        engine::events::EngineEvent::Line(engine::events::ChatLine {
            chat: "K1".into(),
            id,
            time: None,
            source: engine::events::LineSource::Visitor,
            by: "visitor".into(),
            text: "hi".into(),
            text_type: engine::events::TextType::Plain,
            system_message_id: None,
            agent_only: false,
            local_id: None,
            card: None,
            seen_at: None,
            latency_ms: None,
        })
    };
    crate::bridge::forward(app.handle(), line(1));
    crate::bridge::forward(app.handle(), line(2));
    assert_eq!(desk.indicators().title(), "Agent Desk — 2 unread");
    // The UI is told each change, from the same counts as the title.
    let wait = || rx.recv_timeout(std::time::Duration::from_secs(5)).unwrap();
    assert_eq!(wait(), json!({"seq": 1, "chats": {"K1": 1}}));
    assert_eq!(wait(), json!({"seq": 2, "chats": {"K1": 2}}));
    let counts = invoke(&window, "show_chats", json!({"args": {"chats": ["K1"]}})).unwrap();
    assert_eq!(counts, json!({"seq": 3, "chats": {}}));
    assert_eq!(wait(), counts);
    assert_eq!(desk.indicators().title(), "Agent Desk");
    // Shown, but the window has no focus: a new line is unread until the window gets it.
    crate::bridge::forward(app.handle(), line(3));
    assert_eq!(desk.indicators().title(), "Agent Desk — 1 unread");
    assert_eq!(wait(), json!({"seq": 4, "chats": {"K1": 1}}));
    // Nothing changed: nothing sent.
    invoke(&window, "show_chats", json!({"args": {"chats": ["K1"]}})).unwrap();
    assert!(
        rx.recv_timeout(std::time::Duration::from_millis(200))
            .is_err()
    );
}

#[test]
fn quit_with_nothing_open_stops_the_engine() {
    let app = app("quit");
    let window = main_window(&app);
    let decision = invoke(&window, "quit", json!({"args": {"confirmed": false}})).unwrap();
    assert_eq!(decision, json!({"kind": "mayQuitNow"}));
    let desk = app.state::<crate::desk::Desk>();
    assert!(
        desk.is_quitting(),
        "closing the window now really closes it"
    );
    // The engine task stops (outbox flushed); a stopped engine answers commands with an error.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    loop {
        let error = invoke(&window, "accept", json!({})).unwrap_err();
        if error["code"] == "internal" {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "engine still running: {error}"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}
