//! Transfers (skill with online agents, agent, with an agent-only note), the refresh timer, and a
//! visitor leaving.

use crate::common::*;
use engine::{Availability, ChatState, Engine, EngineEvent, ErrorCode, LineSource, TransferTarget};
use std::time::Duration;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn transfer_to_skill_and_agent() {
    let sim = sim().await;
    let (d1, d2) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let (ann, rx) = Engine::spawn(config(d1.path())).unwrap();
    let rec = Recorder::new(rx);
    let (cho, rx_cho) = Engine::spawn(config(d2.path())).unwrap();
    let rec_cho = Recorder::new(rx_cho);
    cho.login(login_request(&sim, "cho")).await.unwrap();
    cho.set_availability(Availability::Away, None)
        .await
        .unwrap();

    let key = online_with_chat(&sim, &ann, &rec, "ann", "Billing", "billing question").await;

    // to a skill nobody online has: refused, the chat stays
    let err = ann
        .transfer(
            key.clone(),
            TransferTarget::Skill { id: "1003".into() },
            None,
        )
        .await
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::TransferFailed, "{err:?}");
    rec.wait_for("failed result", |e| {
        matches!(e, EngineEvent::TransferResult { ok: false, .. })
    })
    .await;
    assert_eq!(ann.active_chat_count().await, 1);

    cho.set_availability(Availability::Online, None)
        .await
        .unwrap();
    let options = ann.transfer_options(key.clone()).await.unwrap();
    let billing = options
        .skills
        .iter()
        .find(|s| s.name == "Billing")
        .expect("Billing offered");
    assert!(billing.online_agents >= 1);
    let cho_agent = options
        .agents
        .iter()
        .find(|a| a.name == "Cho")
        .expect("Cho listed");
    assert_eq!(cho_agent.availability, Availability::Online);
    assert_eq!(cho_agent.max_chats, None);
    assert!(
        options.agents.iter().all(|a| a.name != "Ann"),
        "not to oneself"
    );

    // to the Billing skill, with a note for the next agent
    ann.transfer(
        key.clone(),
        TransferTarget::Skill {
            id: billing.id.clone(),
        },
        Some("VIP, be nice".into()),
    )
    .await
    .unwrap();
    rec.wait_for("ok result", |e| {
        matches!(e, EngineEvent::TransferResult { ok: true, .. })
    })
    .await;
    rec.wait_for("removed", |e| matches!(e, EngineEvent::ChatRemoved { chat, reason } if *chat == key && reason == "transferred"))
        .await;
    assert_eq!(ann.active_chat_count().await, 0);
    rec_cho
        .wait_for("rings for Cho", |e| {
            matches!(e, EngineEvent::Ringing { .. })
        })
        .await;
    assert_eq!(cho.accept().await.unwrap(), key);
    rec_cho
        .wait_line(&key, LineSource::Visitor, "billing question")
        .await;
    assert_eq!(
        visitor_count(&sim, &key, "VIP, be nice").await,
        0,
        "the note is never shown to the visitor"
    );

    // and back to Ann by agent id
    ann.set_availability(Availability::Online, None)
        .await
        .unwrap();
    let back = cho.transfer_options(key.clone()).await.unwrap();
    let ann_id = back
        .agents
        .iter()
        .find(|a| a.name == "Ann")
        .unwrap()
        .id
        .clone();
    cho.transfer(key.clone(), TransferTarget::Agent { id: ann_id }, None)
        .await
        .unwrap();
    rec.wait_for("rings for Ann again", |e| {
        matches!(e, EngineEvent::Ringing { .. })
    })
    .await;
    ann.shutdown().await;
    cho.shutdown().await;
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refresh_timer_and_visitor_leaving() {
    let sim = sim().await;
    let dir = tempfile::tempdir().unwrap();
    let mut cfg = config(dir.path());
    cfg.refresh_interval = Duration::from_millis(600);
    let (engine, rx) = Engine::spawn(cfg).unwrap();
    let rec = Recorder::new(rx);
    let key = online_with_chat(&sim, &engine, &rec, "ann", "Sales", "bye soon").await;
    // the login is refreshed on its timer, again and again
    wait_requests(&sim, "login refreshes", 0, 2, |r| {
        r.path.trim_end_matches(".json").ends_with("/refresh") && r.status == 200
    })
    .await;
    sim.visitor_leave(&key).await.unwrap();
    rec.wait_for("ended", |e| {
        matches!(e, EngineEvent::ChatStateChanged { chat, from: Some(ChatState::Chatting), to: ChatState::Ended } if *chat == key)
    })
    .await;
    assert_eq!(engine.active_chat_count().await, 0);
    // ended chats leave the multi-chat request: after two ticks (a poll under way has landed),
    // the next ticks poll nothing
    let ended = log_mark(&sim).await;
    wait_requests(&sim, "ring checks", ended, 2, is_ring_check).await;
    let n = log_mark(&sim).await;
    let later = wait_requests(&sim, "ring checks", n, 6, is_ring_check).await;
    let polls: Vec<_> = later
        .iter()
        .filter(|r| r.query.contains("chatSessionKeys="))
        .collect();
    assert!(polls.is_empty(), "no polling of ended chats: {polls:#?}");
    engine.shutdown().await;
    sim.shutdown().await;
}
