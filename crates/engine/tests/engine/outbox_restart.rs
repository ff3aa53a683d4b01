//! A line the server has not taken when the engine stops is sent by the next engine on the same
//! data folder, exactly once.

use crate::common::*;
use engine::{Engine, EngineEvent, LineSource, OutboxState, TextType};
use simulator::{Fault, FaultKind};
use std::path::Path;
use std::time::Duration;

/// Waits until the outbox row of `text` has `state` in the engine's SQLite database.
async fn wait_row_state(dir: &Path, text: &str, state: &str) {
    let db = rusqlite::Connection::open(dir.join("engine.sqlite3")).unwrap();
    let deadline = tokio::time::Instant::now() + WAIT;
    loop {
        let now: Option<String> = db
            .query_row("SELECT state FROM outbox WHERE text = ?1", [text], |r| {
                r.get(0)
            })
            .ok();
        if now.as_deref() == Some(state) {
            return;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "the row of {text:?} never became {state:?} (last: {now:?})"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unsent_line_survives_restart() {
    let sim = sim().await;
    let dir = tempfile::tempdir().unwrap();
    let (key, local);
    {
        let (engine, rx) = Engine::spawn(config(dir.path())).unwrap();
        let rec = Recorder::new(rx);
        key = online_with_chat(&sim, &engine, &rec, "ann", "Sales", "hello").await;
        // the server refuses every send for now
        sim.inject_fault(Fault {
            kind: FaultKind::Status(503),
            count: 10_000,
            path_contains: Some("/events".into()),
        })
        .await;
        local = engine
            .send_line(
                key.clone(),
                "survives a crash".into(),
                TextType::Plain,
                false,
            )
            .await
            .unwrap();
        rec.wait_for("send failed once", |e| {
            matches!(e, EngineEvent::Outbox { local_id, state: OutboxState::Pending, error: Some(_), .. } if *local_id == local)
        })
        .await;
        let snap = engine.snapshot().await;
        assert_eq!(snap.chats[0].outbox.len(), 1);
        // stop without logout (like a crash: the agent session stays active on the server)
        drop(engine);
        rec.wait_closed().await;
        assert_eq!(visitor_count(&sim, &key, "survives a crash").await, 0);
    }
    sim.clear_faults().await;
    let (engine, rx) = Engine::spawn(config(dir.path())).unwrap();
    let rec = Recorder::new(rx);
    engine.login(login_request(&sim, "ann")).await.unwrap();
    wait_visitor_sees(&sim, &key, "survives a crash").await;
    rec.wait_line(&key, LineSource::Agent, "survives a crash")
        .await;
    rec.wait_sent(&local).await;
    settle(&sim).await;
    assert_eq!(visitor_count(&sim, &key, "survives a crash").await, 1);
    assert_eq!(
        rec.count_lines(&key, LineSource::Agent, "survives a crash"),
        1
    );
    // the cursor survived too: the old visitor line is not emitted again by the new engine
    assert_eq!(rec.count_lines(&key, LineSource::Visitor, "hello"), 0);
    let snap = engine.snapshot().await;
    assert!(
        snap.chats
            .iter()
            .any(|c| c.lines.iter().any(|l| l.text == "hello")),
        "transcript cache"
    );
    assert!(snap.chats.iter().all(|c| c.outbox.is_empty()));
    engine.shutdown().await;
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn line_in_flight_at_crash_is_sent_once() {
    // The engine stops while the request is on the wire (the simulator drops it with the
    // connection): the next engine checks the chat, does not find it, and sends it once.
    let sim = sim().await;
    let dir = tempfile::tempdir().unwrap();
    let key;
    {
        let (engine, rx) = Engine::spawn(config(dir.path())).unwrap();
        let rec = Recorder::new(rx);
        key = online_with_chat(&sim, &engine, &rec, "ann", "Sales", "hello").await;
        sim.inject_fault(Fault {
            kind: FaultKind::Delay(Duration::from_millis(800)),
            count: 1,
            path_contains: Some("/events".into()),
        })
        .await;
        let mark = log_mark(&sim).await;
        let e2 = engine.clone();
        let k2 = key.clone();
        tokio::spawn(async move {
            let _ = e2
                .send_line(k2, "maybe sent".into(), TextType::Plain, false)
                .await;
        });
        // the row is stored as in flight right before the request leaves
        wait_row_state(dir.path(), "maybe sent", "inflight").await;
        drop(engine);
        rec.wait_closed().await;
        // the simulator applies it after its delay
        wait_requests(&sim, "the delayed add-line answered", mark, 1, |r| {
            r.method == "POST" && r.path.trim_end_matches(".json").ends_with("/events")
        })
        .await;
    }
    let before = visitor_count(&sim, &key, "maybe sent").await;
    let (engine, rx) = Engine::spawn(config(dir.path())).unwrap();
    let rec = Recorder::new(rx);
    engine.login(login_request(&sim, "ann")).await.unwrap();
    wait_visitor_sees(&sim, &key, "maybe sent").await;
    rec.wait_for("outbox settled", |e| {
        matches!(
            e,
            EngineEvent::Outbox {
                state: OutboxState::Sent,
                ..
            }
        )
    })
    .await;
    settle(&sim).await;
    assert_eq!(
        visitor_count(&sim, &key, "maybe sent").await,
        1,
        "before restart the visitor saw it {before}×"
    );
    assert!(
        engine
            .snapshot()
            .await
            .chats
            .iter()
            .all(|c| c.outbox.is_empty())
    );
    engine.shutdown().await;
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn line_applied_but_unrecorded_is_not_sent_again() {
    // The server took the line but the engine stopped before it recorded the answer (and before a
    // poll saw it): the stored row says "in flight" and the cursor is older than the line. The next
    // engine must find the line in the chat and not send it again.
    let sim = sim().await;
    let dir = tempfile::tempdir().unwrap();
    let key;
    {
        let (engine, rx) = Engine::spawn(config(dir.path())).unwrap();
        let rec = Recorder::new(rx);
        key = online_with_chat(&sim, &engine, &rec, "ann", "Sales", "hello").await;
        engine
            .send_line(key.clone(), "applied once".into(), TextType::Plain, false)
            .await
            .unwrap();
        wait_visitor_sees(&sim, &key, "applied once").await;
        rec.wait_line(&key, LineSource::Agent, "applied once").await;
        drop(engine);
    }
    {
        let db = rusqlite::Connection::open(dir.path().join("engine.sqlite3")).unwrap();
        let cursor: i64 = db
            .query_row(
                "SELECT cursor_at_send FROM outbox WHERE text = 'applied once'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        db.execute(
            "UPDATE outbox SET state = 'inflight', event_id = NULL WHERE text = 'applied once'",
            [],
        )
        .unwrap();
        db.execute("UPDATE chats SET next_event = ?1", [cursor])
            .unwrap();
        db.execute("DELETE FROM lines WHERE id >= ?1", [cursor])
            .unwrap();
    }
    let (engine, rx) = Engine::spawn(config(dir.path())).unwrap();
    let rec = Recorder::new(rx);
    engine.login(login_request(&sim, "ann")).await.unwrap();
    rec.wait_for("outbox settled by the check", |e| {
        matches!(e, EngineEvent::Outbox { state: OutboxState::Sent, text, .. } if text == "applied once")
    })
    .await;
    rec.wait_line(&key, LineSource::Agent, "applied once").await;
    settle(&sim).await;
    assert_eq!(visitor_count(&sim, &key, "applied once").await, 1);
    assert_eq!(rec.count_lines(&key, LineSource::Agent, "applied once"), 1);
    let line = rec
        .lines(&key)
        .into_iter()
        .find(|l| l.text == "applied once")
        .unwrap();
    assert!(
        line.local_id.is_some(),
        "the line is matched to its outbox row"
    );
    assert!(
        engine
            .snapshot()
            .await
            .chats
            .iter()
            .all(|c| c.outbox.is_empty())
    );
    engine.shutdown().await;
    sim.shutdown().await;
}
