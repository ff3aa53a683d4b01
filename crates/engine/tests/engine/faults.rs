//! Every fault switch of the simulator, on the poll path and on the send path: nothing lost, nothing
//! twice (counted at the visitor and in the emitted events).

use crate::common::*;
use engine::{ConnectionState, Engine, EngineEvent, LineSource, TextType};
use simulator::{Fault, FaultKind};
use std::time::Duration;

async fn survive(kind: FaultKind, path: &str, count: u32) {
    let sim = sim().await;
    let dir = tempfile::tempdir().unwrap();
    let (engine, rx) = Engine::spawn(config(dir.path())).unwrap();
    let rec = Recorder::new(rx);
    let key = online_with_chat(&sim, &engine, &rec, "ann", "Sales", "before").await;

    sim.inject_fault(Fault {
        kind: kind.clone(),
        count,
        path_contains: Some(path.into()),
    })
    .await;
    let sent: Vec<String> = (0..3).map(|i| format!("agent line {i}")).collect();
    let mut local_ids = Vec::new();
    for t in &sent {
        local_ids.push(
            engine
                .send_line(key.clone(), t.clone(), TextType::Plain, false)
                .await
                .unwrap(),
        );
    }
    for i in 0..3 {
        sim.visitor_line(&key, &format!("visitor line {i}"))
            .await
            .unwrap();
    }
    for t in &sent {
        wait_visitor_sees(&sim, &key, t).await;
        rec.wait_line(&key, LineSource::Agent, t).await;
    }
    for i in 0..3 {
        rec.wait_line(&key, LineSource::Visitor, &format!("visitor line {i}"))
            .await;
    }
    // every line settled, then a few more polls: a late duplicate would show by then
    for id in &local_ids {
        rec.wait_sent(id).await;
    }
    settle(&sim).await;
    for t in &sent {
        assert_eq!(
            visitor_count(&sim, &key, t).await,
            1,
            "{kind:?} on {path}: visitor sees {t:?} once"
        );
        assert_eq!(
            rec.count_lines(&key, LineSource::Agent, t),
            1,
            "{kind:?} on {path}: emitted {t:?} once"
        );
    }
    for i in 0..3 {
        assert_eq!(
            rec.count_lines(&key, LineSource::Visitor, &format!("visitor line {i}")),
            1
        );
    }
    let ids: Vec<u64> = rec.lines(&key).iter().map(|l| l.id).collect();
    let mut sorted = ids.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(ids.len(), sorted.len(), "no event id emitted twice");
    assert!(
        rec.all().iter().any(|e| matches!(
            e,
            EngineEvent::Connection {
                state: ConnectionState::Retrying,
                ..
            }
        )),
        "{kind:?} on {path}: the fault was reported as connection state"
    );
    let snap = engine.snapshot().await;
    assert!(
        snap.chats[0].outbox.is_empty(),
        "outbox drained: {:?}",
        snap.chats[0].outbox
    );
    engine.shutdown().await;
    sim.shutdown().await;
}

// The send path (`POST {C}/events`).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn send_503() {
    survive(FaultKind::Status(503), "/events", 2).await;
}
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn send_429() {
    survive(FaultKind::Status(429), "/events", 2).await;
}
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn send_drop() {
    survive(FaultKind::Drop, "/events", 2).await;
}
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn send_malformed() {
    survive(FaultKind::Malformed, "/events", 2).await;
}
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn send_delay_past_timeout() {
    // longer than the engine's 1.5 s request timeout: the server may apply it after we gave up
    survive(FaultKind::Delay(Duration::from_millis(2000)), "/events", 1).await;
}

// The poll path (multi-chat `GET {S}/chat`), and everything else.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn poll_503() {
    survive(FaultKind::Status(503), "/chat", 3).await;
}
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn poll_429() {
    survive(FaultKind::Status(429), "/chat", 3).await;
}
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn poll_drop() {
    survive(FaultKind::Drop, "/chat", 3).await;
}
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn poll_malformed() {
    survive(FaultKind::Malformed, "/chat", 3).await;
}
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn any_delay() {
    survive(FaultKind::Delay(Duration::from_millis(2000)), "/api/", 2).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn expired_bearer_relogins_and_loses_nothing() {
    let sim = sim().await;
    let dir = tempfile::tempdir().unwrap();
    let (engine, rx) = Engine::spawn(config(dir.path())).unwrap();
    let rec = Recorder::new(rx);
    let key = online_with_chat(&sim, &engine, &rec, "ann", "Sales", "hello").await;
    sim.inject_fault(Fault {
        kind: FaultKind::ExpireBearer,
        count: 1,
        path_contains: None,
    })
    .await;
    let first = engine
        .send_line(key.clone(), "after expiry".into(), TextType::Plain, false)
        .await
        .unwrap();
    sim.visitor_line(&key, "still there?").await.unwrap();
    rec.wait_for("re-auth", |e| {
        matches!(
            e,
            EngineEvent::Connection {
                state: ConnectionState::Reauthenticating,
                ..
            }
        )
    })
    .await;
    wait_visitor_sees(&sim, &key, "after expiry").await;
    rec.wait_line(&key, LineSource::Visitor, "still there?")
        .await;
    rec.wait_line(&key, LineSource::Agent, "after expiry").await;
    let second = engine
        .send_line(
            key.clone(),
            "second after expiry".into(),
            TextType::Plain,
            false,
        )
        .await
        .unwrap();
    wait_visitor_sees(&sim, &key, "second after expiry").await;
    rec.wait_sent(&first).await;
    rec.wait_sent(&second).await;
    settle(&sim).await;
    assert_eq!(visitor_count(&sim, &key, "after expiry").await, 1);
    assert_eq!(rec.count_lines(&key, LineSource::Agent, "after expiry"), 1);
    assert_eq!(
        rec.count_lines(&key, LineSource::Visitor, "still there?"),
        1
    );
    assert_eq!(rec.count_lines(&key, LineSource::Visitor, "hello"), 1);
    assert_eq!(sim.chat_state(&key).await.unwrap(), "chatting");
    assert_eq!(engine.active_chat_count().await, 1);
    engine.shutdown().await;
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refused_line_fails_and_can_be_retried() {
    let sim = sim().await;
    let dir = tempfile::tempdir().unwrap();
    let (engine, rx) = Engine::spawn(config(dir.path())).unwrap();
    let rec = Recorder::new(rx);
    let key = online_with_chat(&sim, &engine, &rec, "ann", "Sales", "hi").await;
    sim.inject_fault(Fault {
        kind: FaultKind::Status(400),
        count: 1,
        path_contains: Some("/events".into()),
    })
    .await;
    let local = engine
        .send_line(key.clone(), "try again".into(), TextType::Plain, false)
        .await
        .unwrap();
    rec.wait_for("failed", |e| {
        matches!(e, EngineEvent::Outbox { local_id, state: engine::OutboxState::Failed, .. } if *local_id == local)
    })
    .await;
    rec.wait_for(
        "error event",
        |e| matches!(e, EngineEvent::Error { chat: Some(c), .. } if *c == key),
    )
    .await;
    let snap = engine.snapshot().await;
    assert_eq!(snap.chats[0].outbox.len(), 1);
    assert_eq!(
        visitor_count(&sim, &key, "try again").await,
        0,
        "a refused line is not resent by itself"
    );
    engine.retry_line(local.clone()).await.unwrap();
    wait_visitor_sees(&sim, &key, "try again").await;
    rec.wait_line(&key, LineSource::Agent, "try again").await;
    assert_eq!(visitor_count(&sim, &key, "try again").await, 1);
    engine.shutdown().await;
    sim.shutdown().await;
}
