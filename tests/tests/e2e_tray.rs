//! End-to-end tests of the app's system tray through a real StatusNotifierItem host on the test's
//! session bus (`agent_desk_e2e::tray_host`): the item's icon and label follow the desk, and its
//! menu entries do what they say.
//!
//! On Linux the tray is libayatana-appindicator's item: the picture is a PNG file named by
//! `IconName`, the counts beside it are `XAyatanaLabel` (what `set_title` sets), and there is no
//! tooltip property (Tauri's `set_tooltip` does nothing there), so the tests read those two.
//!
//! Run inside a desktop session:
//! `scripts/desktop-session.sh cargo test -p agent-desk-e2e --test e2e_tray -- --include-ignored`.
//! Every test here is `#[ignore]`d for that reason, and fails when run without one.

use agent_desk_e2e::desktop::{
    ManagedWindow, WindowManager, managed_window_of, map_state, map_state_is, process_alive,
};
use agent_desk_e2e::login::logged_in_app_with;
use agent_desk_e2e::scenario::{quiet_simulator, run};
use agent_desk_e2e::tray_host::{ItemProperties, TrayHost, TrayItem};
use agent_desk_e2e::window::{AppWindow, LaunchSpec, STEP, of_chat, poll, repo_root, tid};
use agent_desk_e2e::{E2eResult, fail};
use simulator::{Simulator, StartChat};

/// A PNG's pixels as 8-bit RGBA (width, height, pixels).
fn rgba(bytes: &[u8]) -> E2eResult<(u32, u32, Vec<u8>)> {
    let mut decoder = png::Decoder::new(std::io::Cursor::new(bytes));
    decoder.set_transformations(png::Transformations::EXPAND | png::Transformations::STRIP_16);
    let mut reader = decoder.read_info()?;
    let mut buf = vec![0; reader.output_buffer_size().unwrap_or(0)];
    let info = reader.next_frame(&mut buf)?;
    buf.truncate(info.buffer_size());
    let pixels = match info.color_type {
        png::ColorType::Rgba => buf,
        png::ColorType::Rgb => buf
            .chunks(3)
            .flat_map(|p| [p[0], p[1], p[2], 255])
            .collect(),
        png::ColorType::GrayscaleAlpha => buf
            .chunks(2)
            .flat_map(|p| [p[0], p[0], p[0], p[1]])
            .collect(),
        png::ColorType::Grayscale => buf.iter().flat_map(|&g| [g, g, g, 255]).collect(),
        png::ColorType::Indexed => return Err(fail("an indexed PNG was not expanded")),
    };
    Ok((info.width, info.height, pixels))
}

/// The pixels of one of the app's tray pictures (`icons/tray/<name>.png`).
fn tray_picture(name: &str) -> E2eResult<(u32, u32, Vec<u8>)> {
    let path = repo_root().join("icons/tray").join(format!("{name}.png"));
    rgba(&std::fs::read(&path).map_err(|e| fail(format!("{}: {e}", path.display())))?)
}

/// Whether the item shows the picture `name`: the PNG its `IconName` points at has the same
/// pixels (the tray writes its own copy of the picture for the host to load).
fn shows_picture(props: &ItemProperties, name: &str) -> bool {
    let (Some(file), Ok(wanted)) = (props.string("IconName"), tray_picture(name)) else {
        return false;
    };
    std::fs::read(&file)
        .ok()
        .and_then(|bytes| rgba(&bytes).ok())
        .is_some_and(|shown| shown == wanted)
}

/// Waits until the tray shows the picture `name` and the label `label`.
async fn tray_shows(item: &TrayItem, picture: &str, label: &str) -> E2eResult<ItemProperties> {
    item.properties_where(&format!("show {picture} with label {label:?}"), |p| {
        shows_picture(p, picture) && p.string("XAyatanaLabel").as_deref() == Some(label)
    })
    .await
}

/// Waits until the simulator has `ann` at `availability`.
async fn ann_is(sim: &Simulator, availability: &str) -> E2eResult<()> {
    poll(
        &format!("ann to be {availability} on the server"),
        STEP,
        || async { Ok((sim.agent_availability("ann").await? == availability).then_some(())) },
    )
    .await
}

/// A visitor starts a Sales chat; it rings; the agent accepts it in the window. Returns its key.
async fn take_chat(sim: &Simulator, app: &AppWindow, name: &str) -> E2eResult<String> {
    let chat = sim
        .start_chat(StartChat {
            skill: Some("Sales".into()),
            visitor_name: name.into(),
            text: Some("Hello, anyone there?".into()),
        })
        .await?;
    app.visible(&tid("ringing-banner")).await?;
    app.click(&tid("accept-button")).await?;
    app.visible(&of_chat("thread-pane", &chat)).await?;
    Ok(chat)
}

const MENU: [&str; 6] = [
    "Show / hide window",
    "Online",
    "Away",
    "Occupied",
    "Log out",
    "Quit Agent Desk",
];

#[test]
#[ignore = "needs the desktop session: scripts/desktop-session.sh cargo test -- --include-ignored"]
fn the_tray_shows_ringing_and_unread_and_its_show_hide_entry_toggles_the_window() -> E2eResult<()> {
    run("tray_shows_ringing_and_unread", async || {
        let _wm = WindowManager::start().await?;
        // The watcher is on the bus before the app builds its tray.
        let host = TrayHost::start().await?;
        let sim = quiet_simulator().await?;
        let app = logged_in_app_with(&sim, LaunchSpec::default()).await?;
        let item = host.item().await?;
        let props = item.properties().await?;
        assert_eq!(props.string("Status").as_deref(), Some("Active"));
        assert!(
            props
                .string("Id")
                .is_some_and(|id| id.contains("agent-desk")),
            "the item's Id: {:?}",
            props.string("Id")
        );
        let labels: Vec<String> = item
            .menu()
            .await?
            .into_iter()
            .filter(|e| e.kind != "separator")
            .map(|e| e.label)
            .collect();
        assert_eq!(labels, MENU, "the tray menu");
        tray_shows(&item, "online", "").await?;

        // A chat rings: the label counts it and the picture turns to the alert one.
        let (icons, labels) = (
            host.signal_count("NewIcon"),
            host.signal_count("XAyatanaNewLabel"),
        );
        let chat = sim
            .start_chat(StartChat {
                skill: Some("Sales".into()),
                visitor_name: "Vera".into(),
                text: Some("Hello, anyone there?".into()),
            })
            .await?;
        tray_shows(&item, "online-alert", "1 ringing").await?;
        host.signal_after("NewIcon", icons).await?;
        host.signal_after("XAyatanaNewLabel", labels).await?;
        assert!(
            host.signals().iter().any(|s| s.member == "XAyatanaNewLabel"
                && s.args.first().map(String::as_str) == Some("1 ringing")),
            "no XAyatanaNewLabel(\"1 ringing\") among {:?}",
            host.signals()
        );

        // Accepted in the window (shown, focused, the chat open): nothing rings or is unread.
        app.visible(&tid("ringing-banner")).await?;
        app.click(&tid("accept-button")).await?;
        app.visible(&of_chat("thread-pane", &chat)).await?;
        let lines = format!("{} {}", of_chat("thread-pane", &chat), tid("thread-lines"));
        app.text_contains(&lines, "anyone there").await?;
        tray_shows(&item, "online", "").await?;

        // "Show / hide window" hides the window…
        let pid = app
            .app_pid()
            .ok_or_else(|| fail("the app process is not found"))?;
        let ManagedWindow { id, .. } =
            poll("openbox to manage the app's window", STEP, || async move {
                managed_window_of(pid, "Agent Desk")
            })
            .await?;
        map_state_is(&id, "IsViewable").await?;
        item.click("Show / hide window").await?;
        map_state_is(&id, "IsUnMapped").await?;

        // …and a line that comes while hidden is unread, in the tray.
        sim.visitor_line(&chat, "Still there?").await?;
        tray_shows(&item, "online-alert", "1 unread").await?;
        assert_eq!(
            map_state(&id)?,
            "IsUnMapped",
            "the line brought the window up"
        );

        // The same entry shows it again; focused on the open chat, the line is read.
        item.click("Show / hide window").await?;
        map_state_is(&id, "IsViewable").await?;
        tray_shows(&item, "online", "").await?;
        assert!(process_alive(pid));

        app.close().await?;
        sim.shutdown().await;
        Ok(())
    })
}

#[test]
#[ignore = "needs the desktop session: scripts/desktop-session.sh cargo test -- --include-ignored"]
fn the_tray_menu_sets_availability_and_quits_after_asking_with_a_chat_open() -> E2eResult<()> {
    run("tray_menu_availability_quit", async || {
        let host = TrayHost::start().await?;
        let sim = quiet_simulator().await?;
        let app = logged_in_app_with(&sim, LaunchSpec::default()).await?;
        let item = host.item().await?;
        ann_is(&sim, "Online").await?;
        tray_shows(&item, "online", "").await?;

        // Availability: the server has it, the top bar and the tray's picture show it.
        for (entry, picture) in [
            ("Away", "away"),
            ("Occupied", "occupied"),
            ("Online", "online"),
        ] {
            item.click(entry).await?;
            ann_is(&sim, entry).await?;
            tray_shows(&item, picture, "").await?;
            poll(&format!("the top bar to say {entry}"), STEP, || async {
                let value = app
                    .script(&format!(
                        "return document.querySelector({:?}).value",
                        tid("availability-select")
                    ))
                    .await?;
                Ok((value == entry).then_some(()))
            })
            .await?;
        }

        // Log out with a chat open asks first (the server would hand the chat back to the
        // queue), and Cancel keeps the agent in.
        let chat = take_chat(&sim, &app, "Vera").await?;
        item.click("Log out").await?;
        app.text_contains(&tid("confirm-text"), "1 chat is open")
            .await?;
        app.click(&tid("confirm-cancel")).await?;
        app.gone(&tid("confirm-text")).await?;
        assert_eq!(sim.agent_availability("ann").await?, "Online");
        app.visible(&of_chat("thread-pane", &chat)).await?;

        // Quit with that chat open asks too; confirmed, the app sets Away (the default) and exits.
        let pid = app
            .app_pid()
            .ok_or_else(|| fail("the app process is not found"))?;
        item.click("Quit Agent Desk").await?;
        app.text_contains(&tid("confirm-text"), "1 chat is open")
            .await?;
        app.click(&tid("confirm-ok")).await?;
        poll("the app to exit", STEP, || async {
            Ok((!process_alive(pid)).then_some(()))
        })
        .await?;
        assert_eq!(sim.agent_availability("ann").await?, "Away");

        app.close().await?;
        sim.shutdown().await;
        Ok(())
    })
}

#[test]
#[ignore = "needs the desktop session: scripts/desktop-session.sh cargo test -- --include-ignored"]
fn the_tray_menu_logs_out_at_once_with_no_chat_open() -> E2eResult<()> {
    run("tray_menu_log_out", async || {
        let host = TrayHost::start().await?;
        let sim = quiet_simulator().await?;
        let app = logged_in_app_with(&sim, LaunchSpec::default()).await?;
        let item = host.item().await?;
        ann_is(&sim, "Online").await?;
        tray_shows(&item, "online", "").await?;

        item.click("Log out").await?;
        ann_is(&sim, "Offline").await?;
        app.visible(&tid("login-form")).await?;
        tray_shows(&item, "offline", "").await?;
        assert!(
            app.find(&tid("confirm-text")).await?.is_none(),
            "logging out with no chat open asked for a confirmation"
        );

        app.close().await?;
        sim.shutdown().await;
        Ok(())
    })
}
