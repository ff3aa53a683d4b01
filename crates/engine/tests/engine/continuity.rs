//! Two devices of one agent see the same chats and lines; logout returns chats to the queue.

use crate::common::*;
use engine::{ChatOrigin, Engine, EngineEvent, LineSource, TextType};

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
    // Retrieve Chat Sessions: more than once per agent session, never faster than every 2 s
    tokio::time::sleep(std::time::Duration::from_millis(4500)).await;
    let mut by_session: std::collections::BTreeMap<String, Vec<i64>> = Default::default();
    for r in sim.requests().await {
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
    assert_eq!(by_session.len(), 2, "{by_session:?}");
    for at in by_session.values() {
        assert!(at.len() >= 2, "{at:?}");
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
    // logging in again does not bring the chat back (it was requeued, not carried over)
    a.login(login_request(&sim, "ben")).await.unwrap();
    tokio::time::sleep(std::time::Duration::from_millis(2500)).await;
    assert_eq!(a.active_chat_count().await, 0);
    a.shutdown().await;
    sim.shutdown().await;
}
