//! End-to-end tests of the real app window (Tauri + WebKitGTK) over WebDriver.
//!
//! Run inside a desktop session (Xvfb, D-Bus session bus, notification daemon):
//! `scripts/desktop-session.sh cargo test -p agent-desk-e2e -- --include-ignored --nocapture`.
//! Every test here is `#[ignore]`d for that reason, and fails when run without a DISPLAY.
//!
//! The app is single-instance, so the tests take a global lock and run one app at a time. The
//! controlled flows run the simulator in this test process and log in through the login form's
//! Advanced server field, so the whole login UI is exercised; the demo test uses the app's own
//! embedded simulator ("Try the demo"). The close-to-tray test starts openbox for itself (bare Xvfb
//! has no window manager to send a close request) and stops it when done.

use std::time::Instant;

use agent_desk_e2e::desktop::{
    ManagedWindow, WindowManager, managed_window_of, managed_windows, map_state, map_state_is,
    process_alive, request_close, visible_windows_named, window_name,
};
use agent_desk_e2e::login::{logged_in_app_with, submit_login};
use agent_desk_e2e::notifications::{NotificationWatch, notification_server_name};
use agent_desk_e2e::scenario::{quiet_http_simulator, quiet_simulator, run};
use agent_desk_e2e::sim_agent::SimAgent;
use agent_desk_e2e::window::{
    AppWindow, LaunchSpec, STEP, free_port, of_chat, poll, repo_root, save_screen, tid,
};
use agent_desk_e2e::{E2eResult, fail};
use serde_json::json;
use simulator::{ChatExtras, Simulator, StartChat};

/// How many multi-chat polls (`GET …/chat?chatSessionKeys=…`) the simulator has answered.
async fn chat_polls(sim: &Simulator) -> usize {
    sim.requests()
        .await
        .iter()
        .filter(|r| r.method == "GET" && r.query.contains("chatSessionKeys="))
        .count()
}

/// Waits until the app's window title (as X has it) satisfies `wanted`; returns it.
async fn title_where(id: &str, what: &str, wanted: impl Fn(&str) -> bool) -> E2eResult<String> {
    let last = std::cell::RefCell::new(String::new());
    let (last_ref, wanted) = (&last, &wanted);
    poll(
        &format!("the window title to {what}"),
        STEP,
        || async move {
            let title = window_name(id)?;
            *last_ref.borrow_mut() = title.clone();
            Ok(wanted(&title).then_some(title))
        },
    )
    .await
    .map_err(|e| fail(format!("{e}; last title: {:?}", last.borrow())))
}

/// Launches the app and logs in as `ann` through the form, with the simulator as the server.
async fn logged_in_app(sim: &Simulator) -> E2eResult<AppWindow> {
    logged_in_app_with(sim, LaunchSpec::default()).await
}

/// Waits for the ring, accepts it, and waits for the chat's pane.
async fn accept_ringing(app: &AppWindow, chat: &str) -> E2eResult<()> {
    app.visible(&tid("ringing-banner")).await?;
    app.click(&tid("accept-button")).await?;
    app.visible(&of_chat("thread-pane", chat)).await?;
    Ok(())
}

/// A visitor `name` starts a Sales chat with `text`; the agent takes it in the window. Returns its key.
async fn take_sales_chat(
    sim: &Simulator,
    app: &AppWindow,
    name: &str,
    text: &str,
) -> E2eResult<String> {
    let chat = sim
        .start_chat(StartChat {
            skill: Some("Sales".into()),
            visitor_name: name.into(),
            text: Some(text.into()),
        })
        .await?;
    accept_ringing(app, &chat).await?;
    Ok(chat)
}

/// Sends `text` from the composer of `chat`'s pane with Enter.
async fn reply(app: &AppWindow, chat: &str, text: &str) -> E2eResult<()> {
    let input = app
        .visible(&format!(
            "{} {}",
            of_chat("thread-pane", chat),
            tid("composer-input")
        ))
        .await?;
    input.click().await?;
    input.send_keys(text).await?;
    input.send_keys("\u{E007}").await?; // WebDriver's Enter key
    Ok(())
}

/// How many events of the visitor's view of `chat` carry `text`.
async fn seen_by_visitor(sim: &Simulator, chat: &str, text: &str) -> E2eResult<usize> {
    Ok(sim
        .visitor_view(chat)
        .await?
        .iter()
        .filter(|event| event.to_string().contains(text))
        .count())
}

#[test]
#[ignore = "needs the desktop session: scripts/desktop-session.sh cargo test -- --include-ignored"]
fn demo_login_shows_a_ringing_chat() -> E2eResult<()> {
    run("demo_login_shows_a_ringing_chat", async || {
        // The demo's simulator on a known port, so the test can ask it what it sees.
        let port = free_port()?;
        let app = AppWindow::launch(LaunchSpec {
            env: vec![("AGENT_DESK_DEMO_PORT".into(), port.to_string())],
            ..Default::default()
        })
        .await?;
        app.click(&tid("demo-button")).await?;
        app.visible(&tid("desk-view")).await?;
        app.text_contains(&tid("agent-name"), "Ann").await?;
        // The demo serves https with its own CA, which it leaves in the data folder.
        let ca = std::fs::read(app.data_dir().join("demo-ca.pem"))?;
        let http = reqwest::Client::builder()
            .add_root_certificate(reqwest::Certificate::from_pem(&ca)?)
            .build()?;
        let ann: serde_json::Value = http
            .get(format!("https://127.0.0.1:{port}/_sim/agents/ann"))
            .send()
            .await?
            .error_for_status()?
            .json()
            .await?;
        assert_ne!(
            ann["availability"], "Offline",
            "the demo logged Ann in: {ann}"
        );
        // The demo's first visitor opens a chat at once; it rings for Ann (or was already taken
        // and shows in the list).
        poll("a demo chat to ring or show in the list", STEP, || async {
            let ringing = match app.find(&tid("ringing-banner")).await? {
                Some(banner) => banner.is_displayed().await?,
                None => false,
            };
            let listed = !app.find_all(&tid("chat-item")).await?.is_empty();
            Ok((ringing || listed).then_some(()))
        })
        .await?;
        if let Some(banner) = app.find(&tid("ringing-banner")).await?
            && banner.is_displayed().await?
        {
            app.text_contains(&tid("ringing-text"), "waiting").await?;
        }
        app.close().await
    })
}

#[test]
#[ignore = "needs the desktop session: scripts/desktop-session.sh cargo test -- --include-ignored"]
fn login_over_https_with_the_pasted_ca_shows_the_desk() -> E2eResult<()> {
    run("login_over_https_with_the_pasted_ca", async || {
        let sim = quiet_simulator().await?;
        assert!(sim.base_url().starts_with("https://"), "{}", sim.base_url());
        let app = AppWindow::launch(LaunchSpec::default()).await?;
        app.record_page_errors().await?;
        submit_login(&app, sim.base_url(), sim.account_id(), sim.ca_pem()).await?;
        app.visible(&tid("desk-view")).await?;
        app.text_contains(&tid("agent-name"), "Ann").await?;
        // Remembered with the login (not a secret), so the next start trusts the same server.
        let settings: serde_json::Value =
            serde_json::from_slice(&std::fs::read(app.data_dir().join("shell-settings.json"))?)?;
        let remembered = &settings["remembered"];
        assert_eq!(
            remembered["extraCaPem"].as_str().map(str::trim),
            sim.ca_pem().map(str::trim),
            "{remembered}"
        );
        assert_eq!(sim.plain_http_attempts(), 0);
        let errors = app.page_errors().await?;
        assert!(errors.is_empty(), "page errors: {errors:?}");
        app.close().await?;
        sim.shutdown().await;
        Ok(())
    })
}

#[test]
#[ignore = "needs the desktop session: scripts/desktop-session.sh cargo test -- --include-ignored"]
fn a_wrong_ca_shows_the_tls_error_on_the_login_form_and_never_plain_http() -> E2eResult<()> {
    run("wrong_ca_shows_the_tls_error", async || {
        let sim = quiet_simulator().await?;
        let wrong = simulator::unrelated_ca_pem()?;
        let app = AppWindow::launch(LaunchSpec::default()).await?;
        submit_login(&app, sim.base_url(), sim.account_id(), Some(&wrong)).await?;
        let text = app
            .text_contains(&tid("login-error"), "secure connection")
            .await?;
        assert!(
            text.contains("not signed by a trusted authority"),
            "the kind of failure is named: {text:?}"
        );
        if let Some(desk) = app.find(&tid("desk-view")).await? {
            assert!(!desk.is_displayed().await?, "the desk must not show");
        }
        assert_eq!(sim.plain_http_attempts(), 0, "never fell back to http");
        assert!(sim.tls_handshake_failures() > 0);
        app.close().await?;
        sim.shutdown().await;
        Ok(())
    })
}

#[test]
#[ignore = "needs the desktop session: scripts/desktop-session.sh cargo test -- --include-ignored"]
fn the_window_comes_back_at_its_size_and_place_after_a_restart() -> E2eResult<()> {
    run("window_size_and_place_restored", async || {
        let sim = quiet_simulator().await?;
        let app = logged_in_app(&sim).await?;
        let wanted = (137_i64, 91_i64, 1003_i64, 641_i64);
        let (_, _, first_w, first_h) = app.client()?.get_window_rect().await?;
        assert_ne!(
            (first_w as i64, first_h as i64),
            (wanted.2, wanted.3),
            "the first launch must not already have the size the test asks for"
        );
        app.client()?
            .set_window_rect(
                wanted.0 as u32,
                wanted.1 as u32,
                wanted.2 as u32,
                wanted.3 as u32,
            )
            .await?;
        let rect_now = async |app: &AppWindow| -> E2eResult<(i64, i64, i64, i64)> {
            let (x, y, w, h) = app.client()?.get_window_rect().await?;
            Ok((x as i64, y as i64, w as i64, h as i64))
        };
        let before = poll("the window to take the asked size", STEP, || async {
            let rect = rect_now(&app).await?;
            Ok((rect.2 == wanted.2 && rect.3 == wanted.3).then_some(rect))
        })
        .await?;
        eprintln!("window before quitting: {before:?}");
        // Quit cleanly (the plugin writes the state when the app exits).
        let pid = app
            .app_pid()
            .ok_or_else(|| fail("the app is not running"))?;
        app.click(&tid("quit-button")).await?;
        poll("the app to exit after Quit", STEP, || async move {
            Ok((!process_alive(pid)).then_some(()))
        })
        .await?;
        let state_file = app.data_dir().join("window-state.json");
        let state: serde_json::Value = serde_json::from_slice(&std::fs::read(&state_file)?)?;
        eprintln!("stored: {state}");
        assert_eq!(state["main"]["width"], json!(before.2), "{state}");
        assert_eq!(state["main"]["height"], json!(before.3), "{state}");
        let folders = app.folders();
        app.close().await?;

        // Launched again on the same folders: size and place as they were.
        let again = AppWindow::launch_on(LaunchSpec::default(), folders).await?;
        again.visible("body").await?;
        let after = poll("the window to come back at its size", STEP, || async {
            let rect = rect_now(&again).await?;
            Ok((rect.2 == before.2 && rect.3 == before.3).then_some(rect))
        })
        .await?;
        eprintln!("window after the restart: {after:?}");
        // No window manager here: X places the window where the app asks.
        assert_eq!((after.0, after.1), (before.0, before.1), "position");
        again.close().await?;
        sim.shutdown().await;
        Ok(())
    })
}

/// The app's log lines (all days) that contain `needle`.
fn app_log_lines(app: &AppWindow, needle: &str) -> E2eResult<Vec<String>> {
    let mut lines = Vec::new();
    let mut files: Vec<_> = std::fs::read_dir(app.data_dir().join("logs"))?
        .flatten()
        .map(|entry| entry.path())
        .collect();
    files.sort();
    for file in files {
        let text = std::fs::read_to_string(file)?;
        lines.extend(
            text.lines()
                .filter(|l| l.contains(needle))
                .map(str::to_owned),
        );
    }
    Ok(lines)
}

#[test]
#[ignore = "needs the desktop session: scripts/desktop-session.sh cargo test -- --include-ignored"]
fn spell_checking_is_on_in_webkit_with_the_locale_dictionary_and_follows_the_setting()
-> E2eResult<()> {
    run("spell_checking", async || {
        let app = AppWindow::launch(LaunchSpec {
            env: vec![("LANG".into(), "en_US.UTF-8".into())],
            ..Default::default()
        })
        .await?;
        app.visible(&tid("login-form")).await?;
        let line = poll("the spell-checking log line", STEP, || async {
            Ok(app_log_lines(&app, "spell checking")?.pop())
        })
        .await?;
        // What WebKit reports back: on, with the en_US dictionary (hunspell-en-us) loaded.
        assert!(line.contains("enabled=true"), "{line}");
        assert!(line.contains("languages=[\"en_US\"]"), "{line}");
        let folders = app.folders();
        let settings_path = app.data_dir().join("shell-settings.json");
        app.close().await?;

        // Turned off in the settings: the next start tells WebKit so.
        std::fs::write(
            &settings_path,
            serde_json::to_vec(&json!({"spellCheck": {"enabled": false, "language": "en_US"}}))?,
        )?;
        let again = AppWindow::launch_on(LaunchSpec::default(), folders).await?;
        again.visible(&tid("login-form")).await?;
        let line = poll("a second spell-checking log line", STEP, || async {
            let lines = app_log_lines(&again, "spell checking")?;
            Ok((lines.len() >= 2).then(|| lines[lines.len() - 1].clone()))
        })
        .await?;
        assert!(line.contains("enabled=false"), "{line}");
        again.close().await?;
        Ok(())
    })
}

#[test]
#[ignore = "needs the desktop session: scripts/desktop-session.sh cargo test -- --include-ignored"]
fn chat_flow_accept_reply_typing_transfer_end_with_notification() -> E2eResult<()> {
    run("chat_flow", async || {
        let sim = quiet_simulator().await?;
        // A colleague with Billing, online, so a transfer to Billing has somewhere to go.
        let _cho = SimAgent::online_on(&sim, "cho", "cho-pass").await?;
        let app = logged_in_app(&sim).await?;
        let notifications = NotificationWatch::start().await?;

        // A visitor starts a chat; it rings; Ann accepts it.
        let vera_first = "Hi, my order #1042 has not arrived yet.";
        let vera = sim
            .start_chat(StartChat {
                skill: Some("Sales".into()),
                visitor_name: "Vera".into(),
                text: Some(vera_first.into()),
            })
            .await?;
        accept_ringing(&app, &vera).await?;
        let vera_pane = of_chat("thread-pane", &vera);
        app.text_contains(&format!("{vera_pane} {}", tid("thread-lines")), vera_first)
            .await?;
        assert_eq!(sim.chat_state(&vera).await?, "chatting");

        // waiting → chatting reached the notification daemon on the session bus.
        // (The engine reports the visitor's name before the state change, so the summary names her.)
        let call = notifications.wait_for_notify("started", STEP).await?;
        let strings = call.strings();
        assert_eq!(
            strings.first().map(String::as_str),
            Some("Agent Desk"),
            "app name of {call:?}"
        );
        assert_eq!(
            strings.get(2).map(String::as_str),
            Some("Chat with Vera started"),
            "summary of {call:?}"
        );
        let server = notification_server_name()?;
        assert!(!server.is_empty(), "a notification daemon answers");
        eprintln!("notification reached {server}: {strings:?}");

        // Ann replies; the visitor sees it exactly once.
        let answer = "Sorry about that, Vera! Let me look up order 1042.";
        reply(&app, &vera, answer).await?;
        poll("the reply to reach the visitor", STEP, || async {
            Ok((seen_by_visitor(&sim, &vera, answer).await? >= 1).then_some(()))
        })
        .await?;
        app.visible(&format!(
            "{vera_pane} {}[data-state=\"sent\"]",
            tid("line-status")
        ))
        .await?;
        assert_eq!(seen_by_visitor(&sim, &vera, answer).await?, 1);
        app.text_contains(&format!("{vera_pane} {}", tid("thread-lines")), answer)
            .await?;

        // The visitor types: the pane says so.
        sim.visitor_typing(&vera, true).await?;
        app.text_contains(
            &format!("{vera_pane} {}", tid("typing-indicator")),
            "Vera is typing",
        )
        .await?;

        // A second chat: two threads side by side, saved as a screenshot.
        let wes_first = "Hello! Can I still change the delivery address?";
        let wes = sim
            .start_chat(StartChat {
                skill: Some("Sales".into()),
                visitor_name: "Wes".into(),
                text: Some(wes_first.into()),
            })
            .await?;
        accept_ringing(&app, &wes).await?;
        let wes_pane = of_chat("thread-pane", &wes);
        app.text_contains(&format!("{wes_pane} {}", tid("thread-lines")), wes_first)
            .await?;
        reply(
            &app,
            &wes,
            "Yes, as long as it has not shipped. What is the new one?",
        )
        .await?;
        sim.visitor_line(&wes, "Great, it is 12 Harbour Street, Leeds.")
            .await?;
        app.text_contains(
            &format!("{wes_pane} {}", tid("thread-lines")),
            "Harbour Street",
        )
        .await?;
        // Both panes shown at once.
        app.visible(&vera_pane).await?;
        app.visible(&wes_pane).await?;
        assert_eq!(app.find_all(&tid("thread-pane")).await?.len(), 2);
        let artifacts = repo_root().join("artifacts");
        app.move_pointer(2.0, 2.0).await?; // no tooltip in the picture
        save_screen(&artifacts.join("desk-two-chats.png"))?;
        app.save_page_screenshot(&artifacts.join("desk-two-chats-page.png"))
            .await?;

        // Transfer Vera's chat to Billing: it leaves Ann's desk and waits for Cho.
        app.click(&format!("{vera_pane} {}", tid("transfer-button")))
            .await?;
        app.visible(&tid("transfer-dialog")).await?;
        let skill = app.visible(&tid("transfer-skill")).await?;
        poll("Billing among the transfer skills", STEP, || async {
            let options = app
                .find_all(&format!("{} option", tid("transfer-skill")))
                .await?;
            for option in options {
                if option.text().await?.starts_with("Billing") {
                    return Ok(Some(()));
                }
            }
            Ok(None)
        })
        .await?;
        skill.select_by_value("1002").await?;
        app.visible(&tid("transfer-note"))
            .await?
            .send_keys("Order 1042 missing; refund question")
            .await?;
        app.click(&tid("transfer-submit")).await?;
        app.gone(&tid("transfer-dialog")).await?;
        // (The pane's Transfer button gets the focus back as the dialog closes; the chat must not
        // come back with it.)
        app.gone(&of_chat("chat-item", &vera)).await?;
        app.gone(&vera_pane).await?;
        poll("the server to take the chat from Ann", STEP, || async {
            Ok((sim.agent_chats("ann").await? == 1).then_some(()))
        })
        .await?;
        assert_ne!(sim.chat_state(&vera).await?, "ended");

        // End Wes's chat: confirmed, it shows as ended and the server ended it.
        app.click(&format!("{wes_pane} {}", tid("end-button")))
            .await?;
        app.visible(&tid("confirm-dialog")).await?;
        app.click(&tid("confirm-ok")).await?;
        app.visible(&format!(
            "{}[data-state=\"ended\"]",
            of_chat("chat-item", &wes)
        ))
        .await?;
        poll("the server to end the chat", STEP, || async {
            Ok((sim.chat_state(&wes).await? == "ended").then_some(()))
        })
        .await?;
        let end_button = app
            .visible(&format!("{wes_pane} {}", tid("end-button")))
            .await?;
        assert!(
            !end_button.is_enabled().await?,
            "an ended chat cannot end again"
        );
        assert_eq!(app.page_errors().await?, Vec::<String>::new());

        app.close().await?;
        sim.shutdown().await;
        Ok(())
    })
}

#[test]
#[ignore = "needs the desktop session: scripts/desktop-session.sh cargo test -- --include-ignored"]
fn visitor_html_with_script_and_handlers_stays_inert() -> E2eResult<()> {
    run("html_inert", async || {
        let sim = quiet_simulator().await?;
        let app = logged_in_app(&sim).await?;
        let chat = take_sales_chat(&sim, &app, "Mallory", "hello").await?;
        let payload = concat!(
            "<p>Look <b>here</b>: ",
            "<img src=x onerror=\"window.__pwned=1\">",
            "<script>window.__pwned=1</script>",
            "<a href=\"javascript:window.__pwned=1\">click me</a> ",
            "<span onmouseover=\"window.__pwned=1\">hover</span> done</p>"
        );
        sim.visitor_line(&chat, payload).await?;
        let pane = of_chat("thread-pane", &chat);
        let lines = format!("{pane} {}", tid("thread-lines"));
        app.text_contains(&lines, "click me").await?;
        app.text_contains(&lines, "done").await?;

        // Hover and click what is there, in case a handler survived.
        for css in [
            format!("{lines} a"),
            format!("{lines} span"),
            format!("{lines} img"),
        ] {
            for element in app.find_all(&css).await? {
                if element.is_displayed().await? {
                    let _ = element.click().await;
                }
            }
        }
        let report = app
            .script(
                "const root = document.querySelector('[data-testid=\"thread-area\"]');\n\
                 const all = [...document.querySelectorAll('*')];\n\
                 return {\n\
                   pwned: typeof window.__pwned,\n\
                   handlers: all.filter(e => [...e.attributes].some(a => a.name.startsWith('on'))).length,\n\
                   scripts: root.querySelectorAll('script').length,\n\
                   jsLinks: [...root.querySelectorAll('[href],[src]')].filter(e => /^\\s*javascript:/i.test(e.getAttribute('href') || e.getAttribute('src') || '')).length,\n\
                   imgOnerror: document.querySelectorAll('img[onerror]').length,\n\
                   text: root.textContent,\n\
                 };",
            )
            .await?;
        assert_eq!(report["pwned"], "undefined", "{report}");
        assert_eq!(report["handlers"], 0, "{report}");
        assert_eq!(report["scripts"], 0, "{report}");
        assert_eq!(report["jsLinks"], 0, "{report}");
        assert_eq!(report["imgOnerror"], 0, "{report}");
        let shown = app
            .script(
                "const ls = document.querySelectorAll('[data-testid=\"line-body\"]');\n\
                 return ls.length ? ls[ls.length - 1].innerHTML : null;",
            )
            .await?;
        eprintln!("the HTML line as shown: {shown}");
        let text = report["text"].as_str().unwrap_or_default();
        assert!(text.contains("click me"), "{report}");
        // Still on the app's page (a javascript: or foreign link did not navigate).
        app.visible(&tid("desk-view")).await?;
        let pwned = app.script("return typeof window.__pwned;").await?;
        if pwned != "undefined" {
            return Err(fail(format!("window.__pwned was set: {pwned}")));
        }
        assert_eq!(app.page_errors().await?, Vec::<String>::new());
        app.close().await?;
        sim.shutdown().await;
        Ok(())
    })
}

#[test]
#[ignore = "needs the desktop session: scripts/desktop-session.sh cargo test -- --include-ignored"]
fn closing_the_window_hides_it_to_the_tray_and_the_desk_keeps_working() -> E2eResult<()> {
    run("close_to_tray", async || {
        // Bare Xvfb has no window manager: nobody would send the window a close request.
        let _wm = WindowManager::start().await?;
        let sim = quiet_simulator().await?;
        let app = logged_in_app(&sim).await?;
        let pid = app
            .app_pid()
            .ok_or_else(|| fail("the app process is not found"))?;
        let ManagedWindow { id, .. } =
            poll("openbox to manage the app's window", STEP, || async move {
                managed_window_of(pid, "Agent Desk")
            })
            .await?;
        map_state_is(&id, "IsViewable").await?;

        // A chat rings: the title says so; accepted, it no longer does.
        let chat = sim
            .start_chat(StartChat {
                skill: Some("Sales".into()),
                visitor_name: "Vera".into(),
                text: Some("Hello, is anyone there?".into()),
            })
            .await?;
        app.visible(&tid("ringing-banner")).await?;
        let ringing = title_where(&id, "say 1 ringing", |t| {
            t.starts_with("Agent Desk") && t.contains("1 ringing")
        })
        .await?;
        eprintln!("title while ringing: {ringing:?}");
        accept_ringing(&app, &chat).await?;
        let pane = of_chat("thread-pane", &chat);
        let lines = format!("{pane} {}", tid("thread-lines"));
        app.text_contains(&lines, "anyone there").await?;
        title_where(&id, "stop saying ringing", |t| !t.contains("ringing")).await?;

        // The window manager closes the window (WM_DELETE_WINDOW, as its close button does).
        let pages = app.web_processes();
        let polls_before_close = chat_polls(&sim).await;
        request_close(&id)?;
        map_state_is(&id, "IsUnMapped").await?;
        assert!(
            process_alive(pid),
            "the app process {pid} is gone after closing its window"
        );
        let listed: Vec<_> = managed_windows()?
            .into_iter()
            .filter(|w| w.pid == pid)
            .collect();
        assert!(listed.is_empty(), "hidden, yet the WM lists {listed:?}");
        let shown = visible_windows_named("^Agent Desk")?;
        assert!(shown.is_empty(), "visible Agent Desk windows: {shown:?}");

        // Hidden, the engine keeps polling the chat…
        let polls_after_close = chat_polls(&sim).await;
        poll("the engine to keep polling the chat", STEP, || async {
            Ok((chat_polls(&sim).await >= polls_after_close + 3).then_some(()))
        })
        .await?;
        // …and takes in a visitor line: unread, in the title of the hidden window.
        let hidden_line = "Hello? I will wait a bit more.";
        sim.visitor_line(&chat, hidden_line).await?;
        let unread = title_where(&id, "say 1 unread", |t| t.contains("1 unread")).await?;
        eprintln!("title while hidden: {unread:?}");
        assert_eq!(
            map_state(&id)?,
            "IsUnMapped",
            "the line did not bring the window up by itself"
        );
        assert!(process_alive(pid), "the app process {pid} is gone");

        // Launching the app again hands over to the running one, which shows its window again.
        let second = app.launch_again().await?;
        assert!(second.success(), "the second launch exited with {second}");
        map_state_is(&id, "IsViewable").await?;
        assert!(process_alive(pid), "the app process {pid} is gone");
        poll("openbox to manage the shown window", STEP, || async {
            managed_window_of(pid, "Agent Desk")
        })
        .await?;
        assert!(!visible_windows_named("^Agent Desk")?.is_empty());
        // Shown again within tray mode's grace period (30 s by default), the page was kept.
        assert_eq!(app.web_processes(), pages, "the page was replaced");
        // The line that came while hidden is in the thread.
        app.text_contains(&lines, hidden_line).await?;
        // Shown and focused on the open chat, the line counts as read: the title drops the count.
        title_where(&id, "drop the unread count", |t| t == "Agent Desk").await?;
        assert_eq!(
            app.page_errors().await?.len(),
            0,
            "page errors: {:?}",
            app.page_errors().await?
        );
        eprintln!(
            "chat polls: {polls_before_close} before the close, {} at the end",
            chat_polls(&sim).await
        );

        app.close().await?;
        sim.shutdown().await;
        Ok(())
    })
}

/// The text of the thread row at the top of `chat`'s lines (what a scroll position shows).
async fn top_row_text(app: &AppWindow, chat: &str) -> E2eResult<String> {
    let lines = format!("{} {}", of_chat("thread-pane", chat), tid("thread-lines"));
    let script = format!(
        "const v = document.querySelector({css}); const r = v.getBoundingClientRect();\n\
         const hit = document.elementFromPoint(r.left + 30, r.top + 4);\n\
         const row = hit && hit.closest('.vlist-row'); return row ? row.textContent : null;",
        css = serde_json::to_string(&lines)?
    );
    match app.script(&script).await? {
        serde_json::Value::String(text) => Ok(text),
        other => Err(fail(format!("no row at the top of the thread: {other}"))),
    }
}

/// Whether the app's log has a line containing `needle`.
fn log_has(app: &AppWindow, needle: &str) -> bool {
    app.logs_tail(400).contains(needle)
}

/// The `pss_after_mib` / `pss_before_mib` figures of the trim's log line (the log file has the
/// terminal's colour codes around field names).
fn trim_figure(log: &str, name: &str) -> Option<f64> {
    let line = log
        .lines()
        .rev()
        .find(|l| l.contains("memory handed back"))?;
    let mut plain = String::with_capacity(line.len());
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            // ESC [ … m
            for c in chars.by_ref() {
                if c == 'm' {
                    break;
                }
            }
        } else {
            plain.push(c);
        }
    }
    let at = plain.find(&format!("{name}="))? + name.len() + 1;
    plain[at..].split_whitespace().next()?.parse().ok()
}

#[test]
#[ignore = "needs the desktop session: scripts/desktop-session.sh cargo test -- --include-ignored"]
fn tray_mode_ends_the_network_process_and_the_page_comes_back() -> E2eResult<()> {
    // WebKit's automation session does not survive the network process, so after the hide this
    // test follows the app through its processes, its log and the notification bus, not WebDriver.
    run("tray_trim", async || {
        let _wm = WindowManager::start().await?;
        let sim = quiet_simulator().await?;
        let spec = LaunchSpec {
            env: vec![
                ("AGENT_DESK_RELEASE_WEBVIEW_MS".into(), "300".into()),
                ("AGENT_DESK_TRIM".into(), "all".into()),
            ],
            ..LaunchSpec::default()
        };
        let app = logged_in_app_with(&sim, spec).await?;
        let pid = app
            .app_pid()
            .ok_or_else(|| fail("the app process is not found"))?;
        let ManagedWindow { id, .. } =
            poll("openbox to manage the app's window", STEP, || async move {
                managed_window_of(pid, "Agent Desk")
            })
            .await?;
        let bus = NotificationWatch::start().await?;
        let vera = take_sales_chat(&sim, &app, "Vera", "Hello, first line.").await?;
        let shown_network = app.network_processes();
        assert!(
            !shown_network.is_empty(),
            "no WebKit network process while shown"
        );

        request_close(&id)?;
        map_state_is(&id, "IsUnMapped").await?;
        poll("the log to say memory was handed back", STEP, || async {
            Ok(log_has(&app, "tray mode: memory handed back").then_some(()))
        })
        .await?;
        poll("the WebKit network process to exit", STEP, || async {
            Ok(app.network_processes().is_empty().then_some(()))
        })
        .await?;
        assert!(app.web_processes().is_empty(), "a web process is left");
        let log = app.logs_tail(400);
        let (before, after) = (
            trim_figure(&log, "pss_before_mib"),
            trim_figure(&log, "pss_after_mib"),
        );
        eprintln!("the shell's PSS: {before:?} MiB before the trim, {after:?} MiB after");
        assert!(
            matches!((before, after), (Some(b), Some(a)) if a < b),
            "the trim did not lower the shell's PSS: {before:?} → {after:?}"
        );

        // Nothing of the desk needed the network process: a visitor line still notifies.
        sim.visitor_line(&vera, "Hello? Anyone there?").await?;
        bus.wait_for_notify("Vera wrote", STEP).await?;

        // Shown again: WebKit starts a new network process, and the new page draws the desk
        // from the engine and says it is ready (that signal is what shows the window).
        let second = app.launch_again().await?;
        assert!(second.success(), "the second launch exited with {second}");
        let ManagedWindow { id: new_id, .. } = poll(
            "openbox to manage the rebuilt window",
            STEP,
            || async move { managed_window_of(pid, "Agent Desk") },
        )
        .await?;
        map_state_is(&new_id, "IsViewable").await?;
        poll("the new page to say it is ready", STEP, || async {
            Ok(log_has(&app, "shown again, page ready").then_some(()))
        })
        .await?;
        let network = app.network_processes();
        assert!(
            !network.is_empty() && network != shown_network,
            "no new WebKit network process: {shown_network:?} → {network:?}"
        );
        assert_eq!(
            app.web_processes().len(),
            1,
            "one web process for the new page"
        );
        assert!(process_alive(pid), "the app process {pid} is gone");
        app.close().await?;
        sim.shutdown().await;
        Ok(())
    })
}

#[test]
#[ignore = "needs the desktop session: scripts/desktop-session.sh cargo test -- --include-ignored"]
fn tray_mode_releases_the_webview_and_a_new_page_restores_the_desk() -> E2eResult<()> {
    run("tray_mode", async || {
        let _wm = WindowManager::start().await?;
        let sim = quiet_simulator().await?;
        let spec = LaunchSpec {
            env: vec![("AGENT_DESK_RELEASE_WEBVIEW_MS".into(), "300".into())],
            ..LaunchSpec::default()
        };
        let app = logged_in_app_with(&sim, spec).await?;
        let pid = app
            .app_pid()
            .ok_or_else(|| fail("the app process is not found"))?;
        let ManagedWindow { id, .. } =
            poll("openbox to manage the app's window", STEP, || async move {
                managed_window_of(pid, "Agent Desk")
            })
            .await?;
        let bus = NotificationWatch::start().await?;

        // Two chats side by side; Vera's has enough lines to scroll, and the agent reads an older
        // one with a reply half typed.
        let vera = take_sales_chat(&sim, &app, "Vera", "Hello, first line.").await?;
        let walt = take_sales_chat(&sim, &app, "Walt", "Hi from Walt.").await?;
        for n in 1..=40 {
            sim.visitor_line(&vera, &format!("Vera's line number {n}."))
                .await?;
        }
        let vera_lines = format!("{} {}", of_chat("thread-pane", &vera), tid("thread-lines"));
        app.text_contains(&vera_lines, "line number 40.").await?;
        app.visible(&of_chat("thread-pane", &walt)).await?;
        let draft = "Let me check that order for you";
        let input = app.visible(&in_pane(&vera, &tid("composer-input"))).await?;
        input.click().await?;
        input.send_keys(draft).await?;
        app.script(&format!(
            "const v = document.querySelector({}); v.scrollTop = 300; v.dispatchEvent(new Event('scroll')); return true;",
            serde_json::to_string(&vera_lines)?
        ))
        .await?;
        let top_before = poll("the scrolled thread to settle", STEP, || async {
            let a = top_row_text(&app, &vera).await?;
            tokio::time::sleep(std::time::Duration::from_millis(150)).await;
            let b = top_row_text(&app, &vera).await?;
            Ok((a == b && !a.contains("line number 40.")).then_some(a))
        })
        .await?;
        eprintln!("top row before hiding: {top_before:?}");
        let pages_before = app.web_processes();
        assert!(
            !pages_before.is_empty(),
            "no WebKit web process while shown"
        );

        // Closed to the tray: after the grace period the webview, and its web process, are gone.
        request_close(&id)?;
        map_state_is(&id, "IsUnMapped").await?;
        poll("the log to say the webview was released", STEP, || async {
            Ok(log_has(&app, "webview released").then_some(()))
        })
        .await?;
        poll("the WebKit web process to exit", STEP, || async {
            Ok(app.web_processes().is_empty().then_some(()))
        })
        .await?;
        // Then the shell's clean pages are handed back (WebKit's network process stays under
        // WebDriver: see tray_mode_ends_the_network_process_and_the_page_comes_back).
        poll("the log to say memory was handed back", STEP, || async {
            Ok(log_has(&app, "tray mode: memory handed back").then_some(()))
        })
        .await?;
        assert!(process_alive(pid), "the app process {pid} is gone");
        assert!(
            managed_window_of(pid, "Agent Desk")?.is_none(),
            "released, yet the WM still manages a window of the app"
        );

        // Without a page the desk still works: a line and a ring raise notifications, and the
        // engine keeps polling.
        let hidden_line = "Are you still there? I am waiting.";
        sim.visitor_line(&vera, hidden_line).await?;
        let wrote = bus.wait_for_notify("Vera wrote", STEP).await?;
        eprintln!("while released: {}", wrote.summary());
        let xena = sim
            .start_chat(StartChat {
                skill: Some("Sales".into()),
                visitor_name: "Xena".into(),
                text: Some("Anyone?".into()),
            })
            .await?;
        bus.wait_for_notify("ringing", STEP).await?;
        let polls = chat_polls(&sim).await;
        poll(
            "the engine to keep polling without a page",
            STEP,
            || async { Ok((chat_polls(&sim).await >= polls + 2).then_some(())) },
        )
        .await?;

        // Shown again (a second launch, as from the menu): a new window with a new page that puts
        // the desk back as it was.
        let started = Instant::now();
        let second = app.launch_again().await?;
        assert!(second.success(), "the second launch exited with {second}");
        let ManagedWindow { id: new_id, .. } = poll(
            "openbox to manage the rebuilt window",
            STEP,
            || async move { managed_window_of(pid, "Agent Desk") },
        )
        .await?;
        map_state_is(&new_id, "IsViewable").await?;
        eprintln!(
            "shown again after {:.0} ms (window {new_id}, was {id})",
            started.elapsed().as_secs_f64() * 1000.0
        );
        app.follow_new_page().await?;
        app.record_page_errors().await?;
        app.visible(&tid("desk-view")).await?;
        // Xena's chat still rings (the server gives 20 s), and the new page says so.
        app.visible(&tid("ringing-banner")).await?;
        app.visible(&of_chat("thread-pane", &vera)).await?;
        app.visible(&of_chat("thread-pane", &walt)).await?;
        // The draft is in the box.
        let kept = poll("the draft to be back", STEP, || async {
            let value = app
                .find(&in_pane(&vera, &tid("composer-input")))
                .await?
                .map(|el| async move { el.prop("value").await })
                .ok_or_else(|| fail("no composer"))?
                .await?
                .unwrap_or_default();
            Ok((value == draft).then_some(value))
        })
        .await?;
        assert_eq!(kept, draft);
        // The thread is scrolled where the agent left it, not at the newest line.
        let top_after = top_row_text(&app, &vera).await?;
        assert_eq!(
            top_after, top_before,
            "the scroll position was not restored"
        );
        // Scrolled down, the line that came while there was no page is in the thread.
        app.script(&format!(
            "const v = document.querySelector({}); v.scrollTop = v.scrollHeight; return true;",
            serde_json::to_string(&vera_lines)?
        ))
        .await?;
        app.text_contains(&vera_lines, hidden_line).await?;
        assert!(
            log_has(&app, "shown again, page ready"),
            "the rebuilt window was not shown by its page's ready signal:\n{}",
            app.logs_tail(40)
        );
        let errors = app.page_errors().await?;
        assert!(errors.is_empty(), "page errors: {errors:?}");

        let _ = xena;
        app.close().await?;
        sim.shutdown().await;
        Ok(())
    })
}

/// `css` inside `chat`'s thread pane.
fn in_pane(chat: &str, css: &str) -> String {
    format!("{} {css}", of_chat("thread-pane", chat))
}

#[test]
#[ignore = "needs the desktop session: scripts/desktop-session.sh cargo test -- --include-ignored"]
fn authenticated_visitor_shows_the_customer_panel_and_the_wrap_up_survey_reaches_the_server()
-> E2eResult<()> {
    run("customer_panel_and_wrap_up", async || {
        let sim = quiet_simulator().await?;
        let app = logged_in_app(&sim).await?;

        // (a) An SSO-authenticated visitor: the panel beside her pane shows the customer record.
        let customer = json!({
            "authenticatedParticipantInfo": {
                "isUserAuthenticated": true,
                "customerId": "57ac-100007",
                "balance": -400.99,
                "registrationDate": {"year": 2013, "month": 2, "day": 8},
                "customerStatus": "active",
                "customerType": "vip"
            },
            "authenticatedPersonalInfo": {
                "name": "Vera",
                "surname": "Lindqvist",
                "contacts": [{"email": "vera@example.com", "phone": "+1-555-0101"}]
            }
        });
        let chat = sim
            .start_chat_with(
                StartChat {
                    skill: Some("Sales".into()),
                    visitor_name: "Vera".into(),
                    text: Some("Hi, my order has not arrived.".into()),
                },
                ChatExtras {
                    customer: Some(customer),
                    ..Default::default()
                },
            )
            .await?;
        assert!(sim.participant_id(&chat).await?.is_some());
        accept_ringing(&app, &chat).await?;
        app.visible(&in_pane(&chat, &tid("customer-panel"))).await?;
        app.text_contains(&in_pane(&chat, &tid("cp-customer-name")), "Vera Lindqvist")
            .await?;
        app.text_contains(&in_pane(&chat, &tid("cp-customer-id")), "57ac-100007")
            .await?;
        app.text_contains(&in_pane(&chat, &tid("cp-balance")), "-400.99")
            .await?;
        app.move_pointer(2.0, 2.0).await?;
        app.save_page_screenshot(
            &repo_root()
                .join("artifacts")
                .join("desk-customer-panel-page.png"),
        )
        .await?;

        // (b) The visitor leaves: the wrap-up survey shows; fill it in the window and submit it.
        sim.visitor_leave(&chat).await?;
        let form = format!(
            "{} {}[data-chat=\"{chat}\"]",
            tid("wrapup-area"),
            tid("survey-form")
        );
        app.visible(&form).await?;
        // The mandatory dropdown (Contact reason) is the one left to answer; "Resolved?" has "Yes"
        // checked and the order number its last known value.
        let select = app
            .visible(&format!("{form} {}", tid("survey-select")))
            .await?;
        select.select_by_index(1).await?;
        let reason = select.prop("value").await?.unwrap_or_default();
        assert!(!reason.is_empty(), "a contact reason is chosen");
        app.click(&format!("{form} {}", tid("survey-submit")))
            .await?;
        app.gone(&form).await?;
        let submitted = poll("the simulator to store the survey", STEP, || async {
            Ok(sim.survey_answers(&chat).await?)
        })
        .await?;
        eprintln!("survey stored by the simulator: {submitted:?}");
        assert_eq!(submitted.submissions, 1);
        let answers: Vec<&Vec<String>> = submitted.answers.values().collect();
        assert!(
            answers
                .iter()
                .any(|values| values == &&vec![reason.clone()]),
            "the chosen contact reason {reason:?} arrived: {submitted:?}"
        );
        assert!(
            answers
                .iter()
                .any(|values| values == &&vec!["Yes".to_string()]),
            "the pre-checked Resolved? answer arrived: {submitted:?}"
        );
        assert!(
            answers
                .iter()
                .any(|values| values == &&vec!["100245".to_string()]),
            "the last known order number arrived: {submitted:?}"
        );
        app.text_contains(&tid("announcer"), "Wrap-up for Vera sent")
            .await?;
        assert_eq!(app.page_errors().await?, Vec::<String>::new());
        app.close().await?;
        sim.shutdown().await;
        Ok(())
    })
}

#[test]
#[ignore = "needs the desktop session: scripts/desktop-session.sh cargo test -- --include-ignored"]
fn rich_content_line_shows_as_a_card_and_a_hostile_card_stays_inert() -> E2eResult<()> {
    run("rich_content_card", async || {
        // The one window test on plain http: the loopback exception stays covered.
        let sim = quiet_http_simulator().await?;
        let app = logged_in_app(&sim).await?;
        let chat = take_sales_chat(&sim, &app, "Mallory", "hello").await?;
        let card = json!({
            "type": "vertical",
            "elements": [
                {"type": "text", "text": "Your order <img src=x onerror=\"window.__pwned=1\"><script>window.__pwned=1</script>"},
                {"type": "image", "url": "javascript:window.__pwned=1", "caption": "a picture"},
                {"type": "button", "title": "Track it", "click": {"actions": [{"type": "link", "uri": "javascript:window.__pwned=1"}]}},
                {"type": "link", "title": "Open me", "url": "javascript:window.__pwned=1"},
                {"type": "horizontal", "elements": [{"type": "text", "text": "Left"}, {"type": "text", "text": "Right"}]},
                {"type": "carousel", "elements": []}
            ]
        });
        sim.visitor_rich_line(&chat, "Your order (card)", card)
            .await?;
        let card_css = in_pane(&chat, &tid("card"));
        app.visible(&card_css).await?;
        app.text_contains(&card_css, "Your order <img src=x")
            .await?;
        app.text_contains(&card_css, "Right").await?;
        app.visible(&format!("{card_css} {}", tid("card-horizontal")))
            .await?;
        app.visible(&format!("{card_css} {}", tid("card-placeholder")))
            .await?;
        // Click whatever there is to click in the card.
        for css in [
            format!("{card_css} button"),
            format!("{card_css} {}", tid("card-link")),
            format!("{card_css} span"),
        ] {
            for element in app.find_all(&css).await? {
                if element.is_displayed().await? && element.is_enabled().await? {
                    let _ = element.click().await;
                }
            }
        }
        let report = app
            .script(
                "const card = document.querySelector('[data-testid=\"card\"]');\n\
                 const all = [...document.querySelectorAll('*')];\n\
                 return {\n\
                   pwned: typeof window.__pwned,\n\
                   handlers: all.filter(e => [...e.attributes].some(a => a.name.startsWith('on'))).length,\n\
                   scripts: card.querySelectorAll('script').length,\n\
                   imgs: card.querySelectorAll('img').length,\n\
                   links: card.querySelectorAll('[href],[src]').length,\n\
                   blocked: card.querySelectorAll('[data-testid=\"card-blocked\"]').length,\n\
                 };",
            )
            .await?;
        assert_eq!(report["pwned"], "undefined", "{report}");
        assert_eq!(report["handlers"], 0, "{report}");
        assert_eq!(report["scripts"], 0, "{report}");
        assert_eq!(report["imgs"], 0, "{report}");
        assert_eq!(report["links"], 0, "{report}");
        assert!(report["blocked"].as_u64().unwrap_or(0) >= 3, "{report}");
        // Still the app's page.
        app.visible(&tid("desk-view")).await?;
        assert_eq!(app.page_errors().await?, Vec::<String>::new());
        app.close().await?;
        sim.shutdown().await;
        Ok(())
    })
}

/// The value of the form field matching `css` (a textarea's text).
async fn field_value(app: &AppWindow, css: &str) -> E2eResult<String> {
    let css = serde_json::to_string(css)?;
    let value = app
        .script(&format!(
            "const e = document.querySelector({css}); return e ? e.value : null;"
        ))
        .await?;
    Ok(value.as_str().unwrap_or_default().to_owned())
}

/// Waits until the field matching `css` holds text that satisfies `wanted`; returns it.
async fn field_where(
    app: &AppWindow,
    css: &str,
    what: &str,
    wanted: impl Fn(&str) -> bool,
) -> E2eResult<String> {
    let wanted = &wanted;
    poll(&format!("{css} to {what}"), STEP, || async move {
        let value = field_value(app, css).await?;
        Ok(wanted(&value).then_some(value))
    })
    .await
}

/// Picks the picker item titled `title` with the keyboard only (↓ as often as needed, then Enter).
async fn pick_with_keys(
    app: &AppWindow,
    pane: &str,
    input_css: &str,
    title: &str,
) -> E2eResult<()> {
    let items = format!("{pane} {}", tid("picker-item"));
    let titles_css = serde_json::to_string(&format!("{items} .picker-item-title"))?;
    let index = poll(&format!("{title:?} in the picker"), STEP, || async {
        let titles = app
            .script(&format!(
                "return [...document.querySelectorAll({titles_css})].map(e => e.textContent);"
            ))
            .await?;
        Ok(titles
            .as_array()
            .and_then(|list| list.iter().position(|t| t == title)))
    })
    .await?;
    let input = app.visible(input_css).await?;
    for _ in 0..index {
        input.send_keys("\u{E015}").await?; // ArrowDown
    }
    input.send_keys("\u{E007}").await?; // Enter inserts
    Ok(())
}

#[test]
#[ignore = "needs the desktop session: scripts/desktop-session.sh cargo test -- --include-ignored"]
fn predefined_responses_slash_picker_hotkey_and_card() -> E2eResult<()> {
    run("predefined_responses", async || {
        let sim = quiet_simulator().await?;
        let app = logged_in_app(&sim).await?;
        // An authenticated visitor, so the picture below has the customer panel beside the pane.
        let chat = sim
            .start_chat_with(
                StartChat {
                    skill: Some("Sales".into()),
                    visitor_name: "Vera".into(),
                    text: Some("Hello! I was charged twice for order 1042.".into()),
                },
                ChatExtras {
                    customer: Some(simulator::demo_customer(1)),
                    ..Default::default()
                },
            )
            .await?;
        accept_ringing(&app, &chat).await?;
        let pane = of_chat("thread-pane", &chat);
        let input_css = format!("{pane} {}", tid("composer-input"));
        app.visible(&in_pane(&chat, &tid("cp-customer-name")))
            .await?;

        // The visitor's line brings suggestions above the message box ("charged twice").
        // (WebKit's WebDriver leaves ellipsis-clipped spans out of an element's text: read the DOM.)
        let suggestions_css = serde_json::to_string(&format!("{pane} {}", tid("suggestions")))?;
        poll("a suggestion for the visitor's line", STEP, || async {
            let text = app
                .script(&format!(
                    "const e = document.querySelector({suggestions_css}); return e ? e.textContent : '';"
                ))
                .await?;
            Ok(text
                .as_str()
                .is_some_and(|t| t.contains("Charged twice"))
                .then_some(()))
        })
        .await?;

        // (a) `/gree` opens the picker on the Greeting responses; Enter inserts "Welcome", filled.
        let input = app.visible(&input_css).await?;
        input.click().await?;
        input.send_keys("/gree").await?;
        app.visible(&format!("{pane} {}", tid("picker-item")))
            .await?;
        // The page as WebDriver renders it (an X grab can lag behind WebKit's painting here);
        // docs/screenshot-picker.png is this picture.
        app.save_page_screenshot(&repo_root().join("artifacts").join("desk-picker.png"))
            .await?;
        pick_with_keys(&app, &pane, &input_css, "Welcome").await?;
        let welcome = field_where(&app, &input_css, "hold the filled Welcome", |v| {
            v.starts_with("Hi Vera, thanks for reaching out!")
        })
        .await?;
        assert!(
            !welcome.contains('{'),
            "every placeholder filled: {welcome:?}"
        );
        assert!(
            !welcome.contains("/gree"),
            "the /gree token replaced: {welcome:?}"
        );
        input.send_keys("\u{E007}").await?; // Enter sends
        poll("the Welcome to reach the visitor", STEP, || async {
            Ok((seen_by_visitor(&sim, &chat, &welcome).await? >= 1).then_some(()))
        })
        .await?;
        field_where(&app, &input_css, "be empty after sending", str::is_empty).await?;

        // (b) Alt+3 in the message box inserts the response with hotkey 3 (outside the box it
        // would set Occupied).
        input.send_keys("\u{E00A}3\u{E000}").await?; // Alt down, 3, release
        let hold = field_where(&app, &input_css, "hold the hotkey 3 response", |v| {
            v.starts_with("Thanks for your patience, Vera.")
        })
        .await?;
        assert_eq!(
            sim.agent_availability("ann").await?,
            "Online",
            "Alt+3 in the box is not availability"
        );
        input.send_keys("\u{E007}").await?;
        poll("the hotkey response to reach the visitor", STEP, || async {
            Ok((seen_by_visitor(&sim, &chat, &hold).await? >= 1).then_some(()))
        })
        .await?;

        // (c) A response with a card, added through the library dialog, then sent as a card.
        let card = serde_json::json!({
            "type": "vertical",
            "elements": [
                {"type": "text", "text": "Gold plan: 20 GB"},
                {"type": "button", "title": "Choose Gold", "click": {"actions": [{"type": "link", "uri": "https://example.com/gold"}]}}
            ]
        });
        app.click(&tid("responses-button")).await?;
        app.visible(&tid("responses-dialog")).await?;
        app.visible(&tid("response-item")).await?;
        app.click(&tid("responses-add")).await?;
        for (field, value) in [
            ("response-title", "Our plans".to_owned()),
            ("response-category", "Sales".to_owned()),
            ("response-text", "Here are our plans".to_owned()),
            ("response-card", card.to_string()),
        ] {
            app.visible(&tid(field))
                .await?
                .send_keys(&value)
                .await
                .map_err(|e| fail(format!("typing into {field}: {e}")))?;
        }
        // Enter in the title field submits the form (keyboard only; Save may be below the fold).
        app.visible(&tid("response-title"))
            .await?
            .send_keys("\u{E007}")
            .await?;
        app.text_contains(&tid("responses-list"), "Our plans")
            .await?;
        app.click(&tid("responses-close")).await?;
        app.gone(&tid("responses-dialog")).await?;
        let input = app.visible(&input_css).await?;
        input.click().await?;
        input.send_keys("/plans").await?;
        pick_with_keys(&app, &pane, &input_css, "Our plans").await?;
        field_where(&app, &input_css, "hold the card's text", |v| {
            v == "Here are our plans"
        })
        .await?;
        app.visible(&format!("{pane} {}", tid("composer-card")))
            .await?;
        input.send_keys("\u{E007}").await?;
        let sent = poll("the card to reach the simulator", STEP, || async {
            Ok(sim
                .visitor_view(&chat)
                .await?
                .into_iter()
                .find(|e| e["text"] == "Here are our plans"))
        })
        .await?;
        assert_eq!(sent["textType"], "rich-content", "{sent}");
        assert_eq!(sent["json"], card, "{sent}");
        app.gone(&format!("{pane} {}", tid("composer-card")))
            .await?;
        assert_eq!(app.page_errors().await?, Vec::<String>::new());
        app.close().await?;
        sim.shutdown().await;
        Ok(())
    })
}

#[test]
#[ignore = "needs the desktop session: scripts/desktop-session.sh cargo test -- --include-ignored"]
fn an_ended_chat_is_found_in_the_history_view_by_a_word() -> E2eResult<()> {
    run("history_view", async || {
        let sim = quiet_simulator().await?;
        let exports = tempfile::tempdir()?;
        let app = logged_in_app_with(
            &sim,
            LaunchSpec {
                env: vec![(
                    "AGENT_DESK_EXPORT_DIR".into(),
                    exports.path().to_string_lossy().into_owned(),
                )],
                ..LaunchSpec::default()
            },
        )
        .await?;
        let chat = take_sales_chat(
            &sim,
            &app,
            "Xavier",
            "My parcel went to Zanzibar instead of Leeds.",
        )
        .await?;
        let pane = of_chat("thread-pane", &chat);
        app.text_contains(&format!("{pane} {}", tid("thread-lines")), "Zanzibar")
            .await?;
        reply(&app, &chat, "I'm sorry! Let me have it rerouted to Leeds.").await?;
        poll("the reply to reach the visitor", STEP, || async {
            Ok((seen_by_visitor(&sim, &chat, "rerouted").await? >= 1).then_some(()))
        })
        .await?;
        // Today's numbers are in the footer from the start.
        app.visible(&tid("strip-handled")).await?;
        app.click(&format!("{pane} {}", tid("end-button"))).await?;
        app.click(&tid("confirm-ok")).await?;
        poll("the server to end the chat", STEP, || async {
            Ok((sim.chat_state(&chat).await? == "ended").then_some(()))
        })
        .await?;
        // The ended chat counts in today's numbers.
        app.text_contains(&tid("strip-handled"), "1").await?;

        app.click(&tid("history-button")).await?;
        app.visible(&tid("history-dialog")).await?;
        app.visible(&tid("history-search"))
            .await?
            .send_keys("zanzibar")
            .await?;
        let result = of_chat("history-result", &chat);
        app.visible(&result).await?;
        let mark = app
            .visible(&format!("{result} {} mark", tid("history-result-snippet")))
            .await?;
        assert_eq!(mark.text().await?.to_lowercase(), "zanzibar");
        app.text_contains(
            &format!("{result} {}", tid("history-result-name")),
            "Xavier",
        )
        .await?;
        app.click(&result).await?;
        let transcript = of_chat("history-transcript", &chat);
        app.visible(&transcript).await?;
        app.text_contains(
            &format!("{transcript} {}", tid("history-lines")),
            "rerouted to Leeds",
        )
        .await?;
        // Export: a text file in the export folder, the path said on screen.
        app.click(&tid("history-export")).await?;
        let said = app
            .text_contains(&tid("history-copy-status"), "Saved to ")
            .await?;
        let path = std::path::PathBuf::from(said.trim_start_matches("Saved to ").trim());
        assert!(path.starts_with(exports.path()), "{path:?}");
        let text = std::fs::read_to_string(&path)?;
        assert!(
            text.contains("Zanzibar") && text.contains("rerouted to Leeds"),
            "{text}"
        );
        app.click(&tid("history-close")).await?;
        app.gone(&tid("history-dialog")).await?;
        assert_eq!(app.page_errors().await?, Vec::<String>::new());
        app.close().await?;
        sim.shutdown().await;
        Ok(())
    })
}

#[test]
#[ignore = "needs the desktop session: scripts/desktop-session.sh cargo test -- --include-ignored"]
fn a_ring_escalates_on_the_bus_and_accepting_closes_its_notification() -> E2eResult<()> {
    run("ring_escalation", async || {
        // The ring's steps are settings: 3 s and 6 s instead of 8 s and 15 s, so the whole
        // escalation fits before the accept (the steps' timing is table-tested in ring.rs).
        let data = tempfile::tempdir()?;
        std::fs::write(
            data.path().join("shell-settings.json"),
            r#"{"alerts": {"ring": {"attentionAfterSecs": 3, "finalAfterSecs": 6, "tone": "phoneIncomingCall"}}}"#,
        )?;
        let sim = quiet_simulator().await?;
        let app = logged_in_app_with(
            &sim,
            LaunchSpec {
                env: vec![(
                    "AGENT_DESK_DATA_DIR".into(),
                    data.path().to_string_lossy().into_owned(),
                )],
                ..Default::default()
            },
        )
        .await?;
        let bus = NotificationWatch::start().await?;
        let chat = sim
            .start_chat(StartChat {
                skill: Some("Sales".into()),
                visitor_name: "Vera".into(),
                text: Some("Hello?".into()),
            })
            .await?;
        let started = Instant::now();

        // t = 0: a new notification with the seconds left, normal urgency, the chosen tone.
        let first = bus.wait_for_notify("ringing", STEP).await?;
        assert_eq!(first.replaces_id(), Some(0), "{first:?}");
        assert_eq!(first.urgency(), Some(1), "{first:?}");
        assert_eq!(
            first.string_hint("sound-name").as_deref(),
            Some("phone-incoming-call"),
            "{first:?}"
        );
        assert!(
            first
                .strings()
                .iter()
                .any(|s| s.ends_with("s left to accept")),
            "{first:?}"
        );

        // t ≈ 3 s: the same notification again (replaced by id), the tone again.
        let second = bus
            .wait_for("the attention step", STEP, |bus| {
                bus.notify_calls()
                    .into_iter()
                    .find(|c| c.summary().contains("ringing") && c.replaces_id() != Some(0))
            })
            .await?;
        let id = second.replaces_id().unwrap_or_default();
        assert_ne!(id, 0);
        assert_eq!(
            second.string_hint("sound-name").as_deref(),
            Some("phone-incoming-call")
        );
        let at_attention = started.elapsed();

        // t ≈ 6 s: critical, "… s left — you will be set Away", still the same notification.
        let last = bus.wait_for_notify("you will be set Away", STEP).await?;
        assert_eq!(last.urgency(), Some(2), "critical: {last:?}");
        assert_eq!(last.replaces_id(), Some(id), "{last:?}");
        let at_final = started.elapsed();
        eprintln!(
            "ring steps seen at {:.1} s and {:.1} s after the chat started",
            at_attention.as_secs_f64(),
            at_final.as_secs_f64()
        );
        assert!(
            at_final > at_attention,
            "final {at_final:?} after attention {at_attention:?}"
        );

        // The agent accepts: the desk closes the notification, and the server confirms it closed.
        accept_ringing(&app, &chat).await?;
        bus.wait_for("CloseNotification for the ring", STEP, |bus| {
            bus.close_calls().contains(&id).then_some(())
        })
        .await?;
        bus.wait_for("NotificationClosed from the server", STEP, |bus| {
            bus.closed_signals().contains(&id).then_some(())
        })
        .await?;
        // No further ring step after the accept.
        tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
        let after: Vec<_> = bus
            .notify_calls()
            .into_iter()
            .filter(|c| c.summary().contains("ringing") || c.summary().contains("set Away"))
            .collect();
        assert_eq!(after.len(), 3, "exactly three ring steps: {after:?}");

        // Diagnostics (Alt+D): today's alert latency has this ring, its notification, its accept
        // (several seconds after the ring: the test waited for the last step) and the first line.
        app.visible(&tid("alerts-button"))
            .await?
            .send_keys("\u{E00A}d\u{E000}")
            .await?;
        app.visible(&tid("diagnostics-dialog")).await?;
        let cells = |id: &'static str| {
            let app = &app;
            async move {
                let row = app.visible(&tid(id)).await?;
                let mut out = Vec::new();
                for cell in row.find_all(fantoccini::Locator::Css("td")).await? {
                    out.push(cell.text().await?);
                }
                E2eResult::Ok(out)
            }
        };
        let accepted = cells("latency-ringAccepted").await?;
        eprintln!("ring → accept: {accepted:?}");
        assert_eq!(
            accepted.first().map(String::as_str),
            Some("1"),
            "{accepted:?}"
        );
        assert!(
            accepted[1].ends_with(" s"),
            "seconds from ring to accept: {accepted:?}"
        );
        let notified = cells("latency-ringNotified").await?;
        assert_eq!(
            notified.first().map(String::as_str),
            Some("1"),
            "{notified:?}"
        );
        let seen = cells("latency-lineSeen").await?;
        assert_ne!(seen.first().map(String::as_str), Some("0"), "{seen:?}");
        app.close().await?;
        sim.shutdown().await;
        Ok(())
    })
}

#[test]
#[ignore = "needs the desktop session: scripts/desktop-session.sh cargo test -- --include-ignored"]
fn an_alert_setting_changed_in_its_dialog_is_stored_and_shown_again() -> E2eResult<()> {
    run("alert_settings_dialog", async || {
        let sim = quiet_simulator().await?;
        let app = logged_in_app(&sim).await?;
        app.click(&tid("alerts-button")).await?;
        app.visible(&tid("alerts-dialog")).await?;
        let final_secs = tid("alerts-final-secs");
        // The stored defaults fill the form (the final warning at 15 s).
        field_where(&app, &final_secs, "show the default 15", |v| v == "15").await?;
        let secs = app.visible(&final_secs).await?;
        secs.clear().await?;
        secs.send_keys("12").await?;
        let sound = app.visible(&tid("alerts-chatEnded-sound")).await?;
        assert!(!sound.is_selected().await?);
        sound.click().await?;
        // Spelling: the installed dictionary is offered beside the system's choice; turned off
        // here, WebKit is told at once (its answer is logged).
        let language = app.visible(&tid("alerts-spell-language")).await?;
        language.select_by_value("en_US").await?;
        let spell_on = app.visible(&tid("alerts-spell-on")).await?;
        assert!(spell_on.is_selected().await?);
        spell_on.click().await?;
        let spell_lines_before = app_log_lines(&app, "spell checking")?.len();
        app.click(&tid("alerts-save")).await?;
        app.text_contains(&tid("alerts-status"), "Saved.").await?;
        let line = poll(
            "WebKit's answer to the new spelling setting",
            STEP,
            || async {
                let lines = app_log_lines(&app, "spell checking")?;
                Ok((lines.len() > spell_lines_before).then(|| lines[lines.len() - 1].clone()))
            },
        )
        .await?;
        assert!(line.contains("enabled=false"), "{line}");
        assert!(line.contains("wanted=en_US"), "{line}");
        app.click(&tid("alerts-close")).await?;
        app.gone(&tid("alerts-dialog")).await?;

        // Stored durably, in the shell's settings file in the data folder.
        let file = app.data_dir().join("shell-settings.json");
        let stored: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&file)?)?;
        assert_eq!(stored["alerts"]["ring"]["finalAfterSecs"], 12, "{stored}");
        assert_eq!(
            stored["alerts"]["ring"]["attentionAfterSecs"], 8,
            "{stored}"
        );
        assert_eq!(
            stored["alerts"]["events"]["chatEnded"]["sound"], true,
            "{stored}"
        );
        assert_eq!(
            stored["spellCheck"],
            json!({"enabled": false, "language": "en_US"}),
            "{stored}"
        );

        // Reopened with its shortcut (the focus is back on the Alerts button): read back from
        // the shell, not kept in the page.
        app.visible(&tid("alerts-button"))
            .await?
            .send_keys("\u{E00A}a\u{E000}") // Alt+A, then release Alt
            .await?;
        app.visible(&tid("alerts-dialog")).await?;
        field_where(&app, &final_secs, "show the stored 12", |v| v == "12").await?;
        assert!(
            app.visible(&tid("alerts-chatEnded-sound"))
                .await?
                .is_selected()
                .await?
        );
        // A value outside the 20 s ring window is refused inside the form, and nothing is stored.
        let secs = app.visible(&final_secs).await?;
        secs.clear().await?;
        secs.send_keys("25").await?;
        app.click(&tid("alerts-save")).await?;
        app.text_contains(&tid("alerts-error"), "1 to 19").await?;
        let again: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&file)?)?;
        assert_eq!(again["alerts"]["ring"]["finalAfterSecs"], 12, "{again}");
        app.click(&tid("alerts-close")).await?;
        app.gone(&tid("alerts-dialog")).await?;
        assert_eq!(app.page_errors().await?, Vec::<String>::new());
        app.close().await?;
        sim.shutdown().await;
        Ok(())
    })
}
