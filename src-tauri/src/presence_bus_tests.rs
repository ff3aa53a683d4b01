//! Presence on the real session bus: a test service owns `org.freedesktop.ScreenSaver` and emits
//! `ActiveChanged`; the Linux source hears it and the desk's agent goes Away on the simulator and
//! back Online; an Away the agent chose survives lock and unlock.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use engine::events::Availability;
use engine::{Engine, EngineConfig, LoginRequest};
use simulator::{SimConfig, Simulator};
use tokio::sync::mpsc;

use crate::alert_settings::PresenceSettings;
use crate::presence::PresenceSource;
use crate::presence_linux::LinuxPresence;

/// Owns the screen saver's name on the session bus and emits what it is told.
fn screen_saver_service() -> std::sync::mpsc::Sender<bool> {
    let (tx, rx) = std::sync::mpsc::channel::<bool>();
    let (ready_tx, ready_rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        zbus::block_on(async move {
            let bus = zbus::Connection::session().await.unwrap();
            bus.request_name("org.freedesktop.ScreenSaver")
                .await
                .unwrap();
            ready_tx.send(()).unwrap();
            while let Ok(active) = rx.recv() {
                bus.emit_signal(
                    None::<&str>,
                    "/org/freedesktop/ScreenSaver",
                    "org.freedesktop.ScreenSaver",
                    "ActiveChanged",
                    &(active,),
                )
                .await
                .unwrap();
            }
        });
    });
    ready_rx.recv_timeout(Duration::from_secs(10)).unwrap();
    tx
}

/// Emits `active` every 200 ms (the listener may not have subscribed yet; repeats change
/// nothing) until the agent's availability on the server is `wanted`.
async fn emit_until(
    service: &std::sync::mpsc::Sender<bool>,
    active: bool,
    sim: &Simulator,
    wanted: &str,
) {
    let start = Instant::now();
    loop {
        service.send(active).unwrap();
        tokio::time::sleep(Duration::from_millis(200)).await;
        let now = sim.agent_availability("ann").await.unwrap();
        if now == wanted {
            return;
        }
        assert!(
            start.elapsed() < Duration::from_secs(15),
            "ActiveChanged({active}): ann is {now}, not {wanted}"
        );
    }
}

#[test]
#[ignore = "needs a D-Bus session bus: scripts/desktop-session.sh cargo test -p agent-desk -- --include-ignored presence_"]
fn presence_follows_the_screen_saver_on_the_session_bus() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let sim = Simulator::start(SimConfig {
            demo: false,
            ..Default::default()
        })
        .await
        .unwrap();
        let dir = tempfile_dir();
        let (engine, _events) = Engine::spawn(EngineConfig {
            data_dir: Some(dir.clone()),
            secrets: engine::secrets::SecretStoreKind::Memory,
            ..EngineConfig::default()
        })
        .unwrap();
        engine
            .login(LoginRequest {
                server: url::Url::parse(sim.base_url()).unwrap(),
                account: sim.account_id().to_string(),
                user: "ann".into(),
                password: Some("ann-pass".into()),
                extra_ca_pem: sim.ca_pem().map(str::to_owned),
            })
            .await
            .unwrap();
        engine
            .set_availability(Availability::Online, None)
            .await
            .unwrap();
        assert_eq!(sim.agent_availability("ann").await.unwrap(), "Online");

        let service = screen_saver_service();
        // Idle off: only the screen saver drives this test.
        let settings = Arc::new(|| PresenceSettings {
            idle_minutes: None,
            ..PresenceSettings::default()
        });
        // The source's signals pass through a counter on their way to the desk.
        let (source_tx, mut source_rx) = mpsc::unbounded_channel();
        let (tx, rx) = mpsc::unbounded_channel();
        let heard = Arc::new(AtomicUsize::new(0));
        let counter = heard.clone();
        tokio::spawn(async move {
            while let Some(signal) = source_rx.recv().await {
                counter.fetch_add(1, Ordering::SeqCst);
                if tx.send(signal).is_err() {
                    break;
                }
            }
        });
        Box::new(LinuxPresence::new(settings.clone())).start(source_tx);
        tokio::spawn(crate::presence::run(engine.clone(), settings, rx));

        // Locked: Away. Unlocked: Online again.
        emit_until(&service, true, &sim, "Away").await;
        emit_until(&service, false, &sim, "Online").await;

        // The agent chooses Away; a lock and an unlock leave it Away.
        engine
            .set_availability(Availability::Away, None)
            .await
            .unwrap();
        let mark = sim.requests().await.len();
        let before = heard.load(Ordering::SeqCst);
        service.send(true).unwrap();
        service.send(false).unwrap();
        let start = Instant::now();
        while heard.load(Ordering::SeqCst) < before + 2 {
            assert!(
                start.elapsed() < Duration::from_secs(10),
                "lock/unlock not heard"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        // Heard; give the desk a moment to act on them (it would POST an availability).
        tokio::time::sleep(Duration::from_millis(700)).await;
        assert_eq!(sim.agent_availability("ann").await.unwrap(), "Away");
        let posts: Vec<_> = sim.requests().await[mark..]
            .iter()
            .filter(|r| r.method != "GET" && r.path.contains("availability"))
            .map(|r| format!("{} {}", r.method, r.path))
            .collect();
        assert!(posts.is_empty(), "the chosen Away was changed: {posts:?}");
        engine.shutdown().await;
        sim.shutdown().await;
        let _ = std::fs::remove_dir_all(dir);
    });
}

fn tempfile_dir() -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "agent-desk-presence-{}-{}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or_default()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The X server's idle time (MIT-SCREEN-SAVER on the test's Xvfb) grows while nobody touches the
/// display and drops when input arrives (a pointer move through XTEST, as `xdotool` makes it).
#[test]
#[ignore = "needs an X display: scripts/desktop-session.sh cargo test -p agent-desk -- --include-ignored presence_"]
fn presence_idle_time_from_the_x_server_follows_input() {
    let mut x = crate::presence_linux::XIdle::connect()
        .expect("an X display with the MIT-SCREEN-SAVER extension");
    let start = Instant::now();
    let quiet = loop {
        let idle = x.idle_time().expect("QueryInfo answers");
        if idle >= Duration::from_millis(400) {
            break idle;
        }
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "the idle time stays at {idle:?}"
        );
        std::thread::sleep(Duration::from_millis(100));
    };
    let moved = std::process::Command::new("xdotool")
        .args(["mousemove_relative", "--", "3", "3"])
        .status()
        .expect("xdotool runs");
    assert!(moved.success());
    let start = Instant::now();
    loop {
        let idle = x.idle_time().expect("QueryInfo answers");
        if idle < quiet {
            break;
        }
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "after input the idle time is still {idle:?} (was {quiet:?})"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}
