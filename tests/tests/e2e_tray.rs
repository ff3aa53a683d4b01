//! End-to-end tests of the app's system tray through a real StatusNotifierItem host on the test's
//! session bus (`agent_desk_e2e::tray_host`): the item's icon and label follow the desk, and its
//! menu entries do what they say.
//!
//! Run inside a desktop session:
//! `scripts/desktop-session.sh cargo test -p agent-desk-e2e --test e2e_tray -- --include-ignored`.
//! Every test here is `#[ignore]`d for that reason, and fails when run without one.

use std::time::Instant;

use agent_desk_e2e::tray_host::TrayHost;
use agent_desk_e2e::window::{AppWindow, LaunchSpec, require_display, serial};
use agent_desk_e2e::E2eResult;

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

#[test]
#[ignore = "needs the desktop session: scripts/desktop-session.sh cargo test -- --include-ignored"]
fn explore() -> E2eResult<()> {
    run("explore", async || {
        let host = TrayHost::start().await?;
        let app = AppWindow::launch(LaunchSpec::default()).await?;
        let item = host.item().await?;
        eprintln!("item {item:?}");
        eprintln!("{}", item.introspect().await?);
        let props = item.properties().await?;
        for name in props.names() {
            eprintln!("{name} = {:?}", props.all.get(&name));
        }
        eprintln!("menu {:#?}", item.menu().await?);
        eprintln!("signals {:?}", host.signals());
        app.close().await
    })
}
