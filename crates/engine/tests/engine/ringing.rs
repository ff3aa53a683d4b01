//! An offer left ringing for 20 s flips the agent to Away; the engine reports it as the server's doing.

use crate::common::*;
use engine::{Availability, Engine, EngineEvent};
use std::time::Duration;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn untaken_offer_turns_agent_away() {
    let sim = sim().await;
    let dir = tempfile::tempdir().unwrap();
    let (engine, rx) = Engine::spawn(config(dir.path())).unwrap();
    let rec = Recorder::new(rx);
    engine.login(login_request(&sim, "ben")).await.unwrap();
    engine
        .set_availability(Availability::Online, None)
        .await
        .unwrap();
    sim.start_chat(start_chat("Sales", "Vera", "anyone?"))
        .await
        .unwrap();
    let ring = rec
        .wait_for("ringing", |e| {
            matches!(e, EngineEvent::Ringing { count: 1, .. })
        })
        .await;
    let EngineEvent::Ringing {
        deadline,
        seconds_left,
        seen_at,
        ..
    } = ring
    else {
        unreachable!()
    };
    assert!(seconds_left > 15 && deadline > 0);
    // The window opened when the engine first saw the ring.
    assert_eq!(seen_at, Some(deadline - 20_000));
    assert!(engine.snapshot().await.ringing.is_some());
    sim.advance_clock(Duration::from_secs(21)).await;
    rec.wait_for("ringing stopped", |e| {
        matches!(e, EngineEvent::RingingStopped)
    })
    .await;
    rec.wait_for("away by server", |e| {
        matches!(
            e,
            EngineEvent::Availability {
                availability: Availability::Away,
                by_server: true,
                ..
            }
        )
    })
    .await;
    assert_eq!(sim.agent_availability("ben").await.unwrap(), "Away");
    assert_eq!(
        engine.snapshot().await.availability,
        Some(Availability::Away)
    );
    engine.shutdown().await;
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn auto_accept_takes_ringing_chats() {
    let sim = sim().await;
    let dir = tempfile::tempdir().unwrap();
    let (engine, rx) = Engine::spawn(config(dir.path())).unwrap();
    let rec = Recorder::new(rx);
    engine.login(login_request(&sim, "ann")).await.unwrap();
    engine.set_auto_accept(true).await;
    engine
        .set_availability(Availability::Online, None)
        .await
        .unwrap();
    let key = sim
        .start_chat(start_chat("Billing", "Vera", "bill?"))
        .await
        .unwrap();
    rec.wait_for(
        "accepted",
        |e| matches!(e, EngineEvent::ChatAccepted { chat } if *chat == key),
    )
    .await;
    assert_eq!(sim.chat_state(&key).await.unwrap(), "chatting");
    // Taken at once, so it never rang for the agent: no countdown, no ring sound (issue 9).
    rec.assert_never("an auto-accepted chat does not ring", |e| {
        matches!(e, EngineEvent::Ringing { .. })
    });
    engine.shutdown().await;
    sim.shutdown().await;
}
