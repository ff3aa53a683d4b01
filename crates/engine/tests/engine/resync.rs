//! `resync_now` (used on resume from suspend): the ring check, the availability read and the chat
//! poll run at once instead of at their next timer.

use crate::common::*;
use engine::{Availability, Engine};
use std::time::{Duration, Instant};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn resync_now_reads_the_server_at_once() {
    let sim = sim().await;
    let dir = tempfile::tempdir().unwrap();
    // Timers far longer than the test: anything read after the login comes from the resync.
    let slow = Duration::from_secs(120);
    let (engine, _rx) = Engine::spawn(engine::EngineConfig {
        poll_interval: slow,
        ringing_interval: slow,
        availability_interval: slow,
        ..config(dir.path())
    })
    .unwrap();
    engine.login(login_request(&sim, "ben")).await.unwrap();
    engine
        .set_availability(Availability::Online, None)
        .await
        .unwrap();
    // Whatever the login started is answered by now.
    tokio::time::sleep(Duration::from_millis(500)).await;
    let mark = log_mark(&sim).await;
    let is_availability_read = |r: &simulator::RequestRecord| {
        r.method == "GET" && r.path.trim_end_matches(".json").ends_with("/availability")
    };
    let asked = Instant::now();
    engine.resync_now().await;
    let log = wait_requests(
        &sim,
        "a ring check after the resync",
        mark,
        1,
        is_ring_check,
    )
    .await;
    wait_requests(
        &sim,
        "an availability read after the resync",
        mark,
        1,
        is_availability_read,
    )
    .await;
    assert!(
        asked.elapsed() < Duration::from_secs(5),
        "took {:?}",
        asked.elapsed()
    );
    assert_eq!(
        log.iter().filter(|r| is_ring_check(r)).count(),
        1,
        "one ring check, not a burst"
    );
    engine.shutdown().await;
}
