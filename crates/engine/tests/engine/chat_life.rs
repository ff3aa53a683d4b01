//! Login → ringing → accept → lines both ways → typing → end, against the simulator.

use crate::common::*;
use engine::{
    Availability, ChatState, Engine, EngineEvent, ErrorCode, LineSource, SessionState, TextType,
};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn full_chat_life() {
    let sim = sim().await;
    let dir = tempfile::tempdir().unwrap();
    let (engine, rx) = Engine::spawn(config(dir.path())).unwrap();
    let rec = Recorder::new(rx);

    assert_eq!(
        engine.accept().await.unwrap_err().code,
        ErrorCode::NotLoggedIn
    );
    let profile = engine.login(login_request(&sim, "ann")).await.unwrap();
    assert_eq!(profile.nickname, "Ann");
    assert_eq!(profile.max_chats, Some(4));
    rec.wait_for("logged in", |e| {
        matches!(
            e,
            EngineEvent::Session {
                state: SessionState::LoggedIn,
                agent: Some(_)
            }
        )
    })
    .await;
    assert_eq!(
        engine.accept().await.unwrap_err().code,
        ErrorCode::NothingToAccept
    );
    engine
        .set_availability(Availability::Online, None)
        .await
        .unwrap();
    assert_eq!(sim.agent_availability("ann").await.unwrap(), "Online");

    let key = sim
        .start_chat(start_chat("Sales", "Vera", "hello there"))
        .await
        .unwrap();
    let ring = rec
        .wait_for("ringing", |e| matches!(e, EngineEvent::Ringing { .. }))
        .await;
    let EngineEvent::Ringing {
        count,
        seconds_left,
        ..
    } = ring
    else {
        unreachable!()
    };
    assert_eq!(count, 1);
    assert!((15..=20).contains(&seconds_left), "{seconds_left}");
    assert_eq!(engine.accept().await.unwrap(), key);
    rec.wait_for(
        "accepted",
        |e| matches!(e, EngineEvent::ChatAccepted { chat } if *chat == key),
    )
    .await;
    rec.wait_line(&key, LineSource::Visitor, "hello there")
        .await;
    rec.wait_for("waiting→chatting", |e| {
        matches!(
            e,
            EngineEvent::ChatStateChanged {
                from: Some(ChatState::Waiting),
                to: ChatState::Chatting,
                ..
            }
        )
    })
    .await;
    rec.wait_for(
        "visitor name",
        |e| matches!(e, EngineEvent::VisitorName { name, .. } if name == "Vera"),
    )
    .await;

    // agent → visitor, plain and HTML (sanitised), and an agent-only note
    let local = engine
        .send_line(key.clone(), "Hi Vera!".into(), TextType::Plain, false)
        .await
        .unwrap();
    wait_visitor_sees(&sim, &key, "Hi Vera!").await;
    let line = rec
        .wait_for(
            "own line",
            |e| matches!(e, EngineEvent::Line(l) if l.text == "Hi Vera!"),
        )
        .await;
    let EngineEvent::Line(line) = line else {
        unreachable!()
    };
    assert_eq!(line.source, LineSource::Agent);
    assert_eq!(line.local_id.as_deref(), Some(local.as_str()));
    // Alert latency, engine side: the live event says when the engine saw the line and how long
    // after the server's stamp that was; the JSON (the CLI's `watch`) carries both.
    let seen = line.seen_at.expect("a live line carries seenAt");
    let stamped = line.time.expect("the server stamps lines");
    assert_eq!(line.latency_ms, Some(seen - stamped));
    let json = serde_json::to_value(EngineEvent::Line(line.clone())).unwrap();
    assert_eq!(json["seenAt"], seen);
    assert_eq!(json["latencyMs"], seen - stamped);
    engine
        .send_line(
            key.clone(),
            "<b>bold</b><script>x()</script>".into(),
            TextType::Html,
            false,
        )
        .await
        .unwrap();
    let html = rec
        .wait_for(
            "html",
            |e| matches!(e, EngineEvent::Line(l) if l.text_type == TextType::Html),
        )
        .await;
    let EngineEvent::Line(html) = html else {
        unreachable!()
    };
    assert!(
        html.text.contains("<b>bold</b>") && !html.text.contains("script"),
        "{}",
        html.text
    );
    engine
        .send_line(key.clone(), "note to self".into(), TextType::Plain, true)
        .await
        .unwrap();
    rec.wait_for(
        "agent-only",
        |e| matches!(e, EngineEvent::Line(l) if l.agent_only && l.text == "note to self"),
    )
    .await;
    assert_eq!(visitor_count(&sim, &key, "note to self").await, 0);

    // visitor → agent, typing
    sim.visitor_typing(&key, true).await.unwrap();
    rec.wait_for("typing", |e| {
        matches!(e, EngineEvent::VisitorTyping { typing: true, .. })
    })
    .await;
    sim.visitor_typing(&key, false).await.unwrap();
    rec.wait_for("not typing", |e| {
        matches!(e, EngineEvent::VisitorTyping { typing: false, .. })
    })
    .await;
    sim.visitor_line(&key, "<i>plain text stays</i>")
        .await
        .unwrap();
    rec.wait_line(&key, LineSource::Visitor, "<i>plain text stays</i>")
        .await;
    engine.set_typing(key.clone(), true).await.unwrap();

    // drafts survive in SQLite
    engine
        .save_draft(key.clone(), "half a thought".into())
        .await
        .unwrap();
    assert_eq!(
        engine.draft(key.clone()).await.as_deref(),
        Some("half a thought")
    );

    let snap = engine.snapshot().await;
    assert_eq!(snap.chats.len(), 1);
    assert!(snap.chats[0].lines.iter().any(|l| l.text == "Hi Vera!"));
    assert_eq!(engine.active_chat_count().await, 1);

    engine.end_chat(key.clone()).await.unwrap();
    rec.wait_for("ended", |e| {
        matches!(
            e,
            EngineEvent::ChatStateChanged {
                to: ChatState::Ended,
                ..
            }
        )
    })
    .await;
    assert_eq!(sim.chat_state(&key).await.unwrap(), "ended");
    assert_eq!(engine.active_chat_count().await, 0);

    // exactly once everywhere
    assert_eq!(visitor_count(&sim, &key, "Hi Vera!").await, 1);
    assert_eq!(rec.count_lines(&key, LineSource::Agent, "Hi Vera!"), 1);
    assert_eq!(rec.count_lines(&key, LineSource::Visitor, "hello there"), 1);
    let ids: Vec<u64> = rec.lines(&key).iter().map(|l| l.id).collect();
    let mut dedup = ids.clone();
    dedup.dedup();
    assert_eq!(ids, dedup, "no line id twice");
    engine.shutdown().await;
    sim.shutdown().await;
}
