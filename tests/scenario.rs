//! What every end-to-end scenario starts from: its own runtime with one app at a time, and a
//! simulator that only does what the test asks.

use std::time::Instant;

use simulator::{SimConfig, Simulator};

use crate::E2eResult;
use crate::window::{require_display, serial};

/// Runs one async scenario on its own runtime, one app at a time, and says how long it took.
pub fn run(name: &str, scenario: impl AsyncFnOnce() -> E2eResult<()>) -> E2eResult<()> {
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

/// A simulator without demo visitors: the test decides what happens. It serves https with a
/// certificate of its own (like the real service); the login pastes its CA.
pub async fn quiet_simulator() -> E2eResult<Simulator> {
    Ok(Simulator::start(SimConfig {
        demo: false,
        tls: true,
        ..Default::default()
    })
    .await?)
}

/// `quiet_simulator` on plain http (the loopback exception; a few tests keep it covered).
pub async fn quiet_http_simulator() -> E2eResult<Simulator> {
    Ok(Simulator::start(SimConfig {
        demo: false,
        tls: false,
        ..Default::default()
    })
    .await?)
}
