//! Several chats at once: one Retrieve Data for Multiple Chats request per tick, never per chat.

use crate::common::*;
use engine::{Availability, Engine, EngineEvent, LineSource};
use simulator::RequestRecord;

fn is_multi(r: &RequestRecord) -> bool {
    r.method == "GET"
        && r.path.trim_end_matches(".json").ends_with("/chat")
        && r.query.contains("chatSessionKeys=")
}

fn is_per_chat_read(r: &RequestRecord) -> bool {
    r.method == "GET" && r.path.contains("/chat/")
}

async fn run(chats: usize, batch: usize) {
    let sim = sim().await;
    let dir = tempfile::tempdir().unwrap();
    let mut cfg = config(dir.path());
    cfg.auto_accept = true;
    cfg.batch_size = batch;
    let (engine, rx) = Engine::spawn(cfg).unwrap();
    let rec = Recorder::new(rx);
    engine.login(login_request(&sim, "cho")).await.unwrap();
    engine
        .set_availability(Availability::Online, None)
        .await
        .unwrap();
    let mut keys = Vec::new();
    for i in 0..chats {
        keys.push(
            sim.start_chat(start_chat(
                "Support",
                &format!("V{i}"),
                &format!("first {i}"),
            ))
            .await
            .unwrap(),
        );
    }
    for (i, k) in keys.iter().enumerate() {
        rec.wait_line(k, LineSource::Visitor, &format!("first {i}"))
            .await;
    }
    // steady state: measure a window of ticks (the ring check runs once a tick, whatever the chats)
    let before = log_mark(&sim).await;
    for (i, k) in keys.iter().enumerate() {
        sim.visitor_line(k, &format!("second {i}")).await.unwrap();
    }
    for (i, k) in keys.iter().enumerate() {
        rec.wait_line(k, LineSource::Visitor, &format!("second {i}"))
            .await;
    }
    let window = wait_requests(&sim, "ring checks (ticks)", before, 8, is_ring_check).await;
    for (i, k) in keys.iter().enumerate() {
        assert_eq!(
            rec.count_lines(k, LineSource::Visitor, &format!("second {i}")),
            1
        );
    }
    let multi: Vec<&RequestRecord> = window.iter().filter(|r| is_multi(r)).collect();
    let per_chat = window.iter().filter(|r| is_per_chat_read(r)).count();
    assert_eq!(per_chat, 0, "no per-chat polling: {window:#?}");
    let per_tick = chats.div_ceil(batch);
    // One ring check a tick (a job may skip a beat): multi-chat requests scale with ticks, at most
    // one per batch a tick, not with chats
    let rings = window.iter().filter(|r| is_ring_check(r)).count();
    let ticks = multi.len() / per_tick;
    assert!(
        (3..=rings + 4).contains(&ticks),
        "{} multi-chat requests for {chats} chats in batches of {batch} over {rings} ticks",
        multi.len()
    );
    for r in &multi {
        let keys_in = r
            .query
            .split('&')
            .find(|p| p.starts_with("chatSessionKeys="))
            .unwrap()
            .matches("%2C")
            .count()
            + r.query
                .split('&')
                .find(|p| p.starts_with("chatSessionKeys="))
                .unwrap()
                .matches(',')
                .count()
            + 1;
        assert!(keys_in <= batch, "batch too large: {}", r.query);
        assert!(r.query.contains("fromEventIds="), "{}", r.query);
    }
    let accepted = rec
        .all()
        .iter()
        .filter(|e| matches!(e, EngineEvent::ChatAccepted { .. }))
        .count();
    assert_eq!(accepted, chats);
    engine.shutdown().await;
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn six_chats_one_request_per_tick() {
    run(6, 25).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn many_chats_are_batched() {
    run(7, 3).await;
}
