//! Two devices of one agent see the same chats and lines; logout returns chats to the queue.

use crate::common::*;
use engine::{ChatOrigin, Engine, EngineEvent, LineSource, TextType};
use simulator::RequestRecord;
use std::collections::BTreeMap;

/// When each agent session read its chat sessions (`GET {S}/chatSessions`), by session.
fn chat_sessions_reads(log: &[RequestRecord]) -> BTreeMap<String, Vec<i64>> {
    let mut by_session: BTreeMap<String, Vec<i64>> = BTreeMap::new();
    for r in log {
        if let Some(session) = r
            .path
            .trim_end_matches(".json")
            .strip_suffix("/chatSessions")
        {
            by_session
                .entry(session.to_string())
                .or_default()
                .push(r.at);
        }
    }
    by_session
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn second_device_resumes_chats() {
    let sim = sim().await;
    let (d1, d2) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let (a, rx_a) = Engine::spawn(config(d1.path())).unwrap();
    let rec_a = Recorder::new(rx_a);
    let key = online_with_chat(&sim, &a, &rec_a, "ann", "Sales", "from the visitor").await;
    a.send_line(
        key.clone(),
        "agent on device A".into(),
        TextType::Plain,
        false,
    )
    .await
    .unwrap();
    wait_visitor_sees(&sim, &key, "agent on device A").await;

    let (b, rx_b) = Engine::spawn(config(d2.path())).unwrap();
    let rec_b = Recorder::new(rx_b);
    b.login(login_request(&sim, "ann")).await.unwrap();
    rec_b
        .wait_for("resumed", |e| {
            matches!(e, EngineEvent::ChatUpdated { summary } if summary.chat == key && summary.origin == ChatOrigin::Resumed)
        })
        .await;
    // B sees the history, including A's line
    rec_b
        .wait_line(&key, LineSource::Visitor, "from the visitor")
        .await;
    rec_b
        .wait_line(&key, LineSource::Agent, "agent on device A")
        .await;
    // B writes, A sees it; the visitor writes, both see it
    b.send_line(
        key.clone(),
        "agent on device B".into(),
        TextType::Plain,
        false,
    )
    .await
    .unwrap();
    rec_a
        .wait_line(&key, LineSource::Agent, "agent on device B")
        .await;
    sim.visitor_line(&key, "both of you?").await.unwrap();
    rec_a
        .wait_line(&key, LineSource::Visitor, "both of you?")
        .await;
    rec_b
        .wait_line(&key, LineSource::Visitor, "both of you?")
        .await;
    assert_eq!(visitor_count(&sim, &key, "agent on device B").await, 1);
    assert_eq!(
        rec_a.count_lines(&key, LineSource::Agent, "agent on device B"),
        1
    );
    assert_eq!(
        rec_b.count_lines(&key, LineSource::Agent, "agent on device B"),
        1
    );
    assert_eq!(b.active_chat_count().await, 1);
    // Retrieve Chat Sessions: again and again on each agent session, never faster than every 2 s
    let log = wait_log(&sim, "3 chatSessions reads on each device", |log| {
        let by_session = chat_sessions_reads(log);
        by_session.len() == 2 && by_session.values().all(|at| at.len() >= 3)
    })
    .await;
    let by_session = chat_sessions_reads(&log);
    assert_eq!(by_session.len(), 2, "{by_session:?}");
    for at in by_session.values() {
        assert!(at.windows(2).all(|w| w[1] - w[0] >= 1900), "{at:?}");
    }
    a.shutdown().await;
    b.shutdown().await;
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn logout_warns_and_requeues() {
    let sim = sim().await;
    let dir = tempfile::tempdir().unwrap();
    let (a, rx) = Engine::spawn(config(dir.path())).unwrap();
    let rec = Recorder::new(rx);
    let key = online_with_chat(&sim, &a, &rec, "ben", "Sales", "hi").await;
    assert_eq!(a.active_chat_count().await, 1);
    assert_eq!(sim.chat_state(&key).await.unwrap(), "chatting");
    a.logout().await.unwrap();
    rec.wait_for("warning", |e| {
        matches!(e, EngineEvent::ChatsReturnedToQueue { count: 1 })
    })
    .await;
    rec.wait_for(
        "removed",
        |e| matches!(e, EngineEvent::ChatRemoved { chat, .. } if *chat == key),
    )
    .await;
    assert_eq!(a.active_chat_count().await, 0);
    assert_ne!(
        sim.chat_state(&key).await.unwrap(),
        "chatting",
        "the chat left the agent"
    );
    assert_eq!(sim.agent_chats("ben").await.unwrap(), 0);
    // logging in again does not bring the chat back (it was requeued, not carried over): the chat
    // sessions are read twice (at login and on the timer) and a few ticks go by, and the chat is
    // neither on the desk nor asked for
    let mark = log_mark(&sim).await;
    a.login(login_request(&sim, "ben")).await.unwrap();
    wait_requests(&sim, "chatSessions reads", mark, 2, |r| {
        r.path.trim_end_matches(".json").ends_with("/chatSessions")
    })
    .await;
    let since = log_mark(&sim).await;
    wait_requests(&sim, "ring checks", since, 4, is_ring_check).await;
    assert_eq!(a.active_chat_count().await, 0);
    let asked: Vec<_> = sim.requests().await[mark..]
        .iter()
        .filter(|r| r.path.contains(&key) || r.query.contains(&key))
        .cloned()
        .collect();
    assert!(asked.is_empty(), "the requeued chat was read: {asked:#?}");
    a.shutdown().await;
    sim.shutdown().await;
}
