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
    ManagedWindow, WindowManager, managed_window_of, managed_windows, map_state, process_alive,
    request_close, visible_windows_named, window_name,
};
use agent_desk_e2e::notifications::{NotificationWatch, notification_server_name};
use agent_desk_e2e::sim_agent::SimAgent;
use agent_desk_e2e::window::{
    AppWindow, LaunchSpec, STEP, free_port, poll, repo_root, require_display, save_screen, serial,
    tid,
};
use agent_desk_e2e::{E2eResult, fail};
use simulator::{SimConfig, Simulator, StartChat};

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

/// Waits until the X map state of window `id` is `state`.
async fn map_state_is(id: &str, state: &str) -> E2eResult<()> {
    poll(&format!("window {id} to be {state}"), STEP, || async move {
        Ok((map_state(id)? == state).then_some(()))
    })
    .await
}

/// Runs one async scenario on its own runtime, one app at a time.
fn run(name: &str, scenario: impl AsyncFnOnce() -> E2eResult<()>) -> E2eResult<()> {
    require_display()?;
    let _one_app = serial();
    let started = Instant::now();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    let result = runtime.block_on(scenario());
    eprintln!(
        "{name}: {} in {:.1} s",
        if result.is_ok() { "passed" } else { "FAILED" },
        started.elapsed().as_secs_f64()
    );
    result
}

/// A simulator without demo visitors: the test decides what happens.
async fn quiet_simulator() -> E2eResult<Simulator> {
    Ok(Simulator::start(SimConfig {
        demo: false,
        ..Default::default()
    })
    .await?)
}

/// Launches the app and logs in as `ann` through the form, with the simulator as the server.
async fn logged_in_app(sim: &Simulator) -> E2eResult<AppWindow> {
    let app = AppWindow::launch(LaunchSpec::default()).await?;
    app.visible(&tid("login-form")).await?;
    app.record_page_errors().await?;
    app.click(&format!("{} summary", tid("login-advanced")))
        .await?;
    for (field, value) in [
        ("login-server", sim.base_url()),
        ("login-account", sim.account_id()),
        ("login-user", "ann"),
        ("login-password", "ann-pass"),
    ] {
        let input = app.visible(&tid(field)).await?;
        input.clear().await?;
        input.send_keys(value).await?;
    }
    app.click(&tid("login-submit")).await?;
    app.visible(&tid("desk-view")).await?;
    app.text_contains(&tid("agent-name"), "Ann").await?;
    // Starting a session leaves Ann Offline (as the real service does): she goes Online as an
    // agent would, from the top bar.
    app.visible(&tid("availability-select"))
        .await?
        .select_by_value("Online")
        .await?;
    Ok(app)
}

/// `[data-testid=…][data-chat=…]`.
fn of_chat(testid: &str, chat: &str) -> String {
    format!("{}[data-chat=\"{chat}\"]", tid(testid))
}

/// Waits for the ring, accepts it, and waits for the chat's pane.
async fn accept_ringing(app: &AppWindow, chat: &str) -> E2eResult<()> {
    app.visible(&tid("ringing-banner")).await?;
    app.click(&tid("accept-button")).await?;
    app.visible(&of_chat("thread-pane", chat)).await?;
    Ok(())
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
        let ann: serde_json::Value =
            reqwest::get(format!("http://127.0.0.1:{port}/_sim/agents/ann"))
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
fn chat_flow_accept_reply_typing_transfer_end_with_notification() -> E2eResult<()> {
    run("chat_flow", async || {
        let sim = quiet_simulator().await?;
        // A colleague with Billing, online, so a transfer to Billing has somewhere to go.
        let _cho = SimAgent::online(sim.base_url(), sim.account_id(), "cho", "cho-pass").await?;
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
        let chat = sim
            .start_chat(StartChat {
                skill: Some("Sales".into()),
                visitor_name: "Mallory".into(),
                text: Some("hello".into()),
            })
            .await?;
        accept_ringing(&app, &chat).await?;
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
