//! Routing rules (spec §7 rows 2-2a, §10): skill match, FIFO, capacity, offer window, Occupied.

use std::time::Duration;

use crate::common::*;
use serde_json::json;

#[tokio::test]
async fn chats_ring_only_for_agents_with_the_skill() {
    let sim = sim().await;
    let ben = Agent::start(&sim, "ben").await; // Sales
    let cho = Agent::start(&sim, "cho").await; // Billing + Support
    sim.start_chat(chat_req("Support", "Sam")).await.unwrap();
    assert_eq!(ben.ringing().await, 0);
    assert_eq!(cho.ringing().await, 1);
    sim.start_chat(chat_req("Sales", "Sue")).await.unwrap();
    assert_eq!(ben.ringing().await, 1);
    assert_eq!(cho.ringing().await, 1);
    // default skill is Sales
    let key = sim
        .start_chat(simulator::StartChat {
            skill: None,
            visitor_name: "Dan".into(),
            text: None,
        })
        .await
        .unwrap();
    // one chat rings at a time (ACD offers sequentially): Dan waits behind Sue
    assert_eq!(ben.ringing().await, 1);
    let first = ben.take().await;
    assert_eq!(
        ben.ringing().await,
        1,
        "the next chat rings once the first is taken"
    );
    let second = ben.take().await;
    assert!(
        second.ends_with(&key),
        "oldest first: {first} then {second}"
    );
}

#[tokio::test]
async fn fifo_and_max_chats_capacity() {
    let sim = sim().await;
    let ben = Agent::start(&sim, "ben").await; // maxChats 2
    let k0 = sim.start_chat(chat_req("Sales", "V0")).await.unwrap();
    let c0 = ben.take().await;
    assert!(c0.ends_with(&k0));
    let ka = sim.start_chat(chat_req("Sales", "VA")).await.unwrap();
    let kb = sim.start_chat(chat_req("Sales", "VB")).await.unwrap();
    // one free slot: only the oldest waiting chat rings
    assert_eq!(ben.ringing().await, 1);
    let ca = ben.take().await;
    assert!(ca.ends_with(&ka), "FIFO: expected {ka}, got {ca}");
    // full: B waits, nothing rings, a take finds nothing
    assert_eq!(ben.ringing().await, 0);
    let (s, _) = ben.post(&ben.s("/incomingRequests"), json!({})).await;
    assert_eq!(s, 404);
    assert_eq!(sim.chat_state(&kb).await.unwrap(), "waiting");
    // ending one chat frees a slot for B
    let (s, _) = ben
        .post(
            &format!("{c0}/events"),
            json!({"event": {"@type": "state", "state": "ended"}}),
        )
        .await;
    assert_eq!(s, 201);
    assert_eq!(ben.ringing().await, 1);
    assert!(ben.take().await.ends_with(&kb));
}

#[tokio::test]
async fn max_chats_zero_takes_nothing_and_minus_one_is_unlimited() {
    let sim = sim().await;
    let dee = Agent::start(&sim, "dee").await; // Support, maxChats 0
    let k = sim.start_chat(chat_req("Support", "Zoe")).await.unwrap();
    assert_eq!(dee.ringing().await, 0);
    assert_eq!(sim.chat_state(&k).await.unwrap(), "waiting");
    let cho = Agent::start(&sim, "cho").await; // maxChats -1
    for i in 0..5 {
        sim.start_chat(chat_req("Billing", &format!("B{i}")))
            .await
            .unwrap();
    }
    // the Support chat plus five Billing chats all go to cho, one ringing at a time
    for _ in 0..6 {
        assert_eq!(cho.ringing().await, 1);
        cho.take().await;
    }
    assert_eq!(cho.ringing().await, 0);
    assert_eq!(sim.agent_chats("cho").await.unwrap(), 6);
    assert_eq!(dee.ringing().await, 0);
}

#[tokio::test]
async fn untaken_offer_makes_agent_away_and_goes_to_next_agent() {
    let sim = sim().await;
    let ann = Agent::start(&sim, "ann").await;
    let ben = Agent::start(&sim, "ben").await;
    let key = sim.start_chat(chat_req("Sales", "Vic")).await.unwrap();
    let (first, second, first_name, second_name) = if ann.ringing().await == 1 {
        (&ann, &ben, "ann", "ben")
    } else {
        (&ben, &ann, "ben", "ann")
    };
    assert_eq!(first.ringing().await, 1);
    assert_eq!(second.ringing().await, 0, "offered to one agent at a time");
    sim.advance_clock(Duration::from_secs(19)).await;
    assert_eq!(first.ringing().await, 1, "still inside the 20 s window");
    assert_eq!(sim.agent_availability(first_name).await.unwrap(), "Online");
    sim.advance_clock(Duration::from_secs(2)).await;
    assert_eq!(sim.agent_availability(first_name).await.unwrap(), "Away");
    assert_eq!(sim.agent_availability(second_name).await.unwrap(), "Online");
    assert_eq!(first.ringing().await, 0);
    assert_eq!(second.ringing().await, 1);
    let (_, v) = first.get(&first.s("/availability")).await;
    assert_eq!(v["availability"]["chat"], "Away");
    assert!(second.take().await.ends_with(&key));
}

#[tokio::test]
async fn away_gets_nothing_and_occupied_gets_only_transfers() {
    let sim = sim().await;
    let ann = Agent::start(&sim, "ann").await;
    ann.set_availability("Occupied").await;
    let ben = Agent::start(&sim, "ben").await;
    ben.set_availability("Away").await;
    let key = sim.start_chat(chat_req("Sales", "Una")).await.unwrap();
    assert_eq!(ann.ringing().await, 0, "Occupied receives no new chat");
    assert_eq!(ben.ringing().await, 0, "Away receives nothing");
    ben.set_availability("Online").await;
    assert_eq!(ben.ringing().await, 1);
    let chat = ben.take().await;
    let (s, v) = ben
        .post(
            &format!("{chat}/transfer"),
            json!({"transfer": {"skill": {"id": 1001}}}),
        )
        .await;
    assert_eq!(s, 200, "{v}");
    assert_eq!(ann.ringing().await, 1, "Occupied receives a transfer");
    assert!(ann.take().await.ends_with(&key));
    assert_eq!(sim.agent_availability("ann").await.unwrap(), "Occupied");
}

/// Issue 11 fidelity: starting an agent session leaves the availability as it was (nothing
/// documents a switch to Online), so a client that never sets availability gets no chats.
#[tokio::test]
async fn starting_a_session_does_not_make_the_agent_online() {
    let sim = sim().await;
    let ben = Agent::start_only(&sim, "ben").await;
    assert_eq!(sim.agent_availability("ben").await.unwrap(), "Offline");
    let key = sim.start_chat(chat_req("Sales", "Una")).await.unwrap();
    assert_eq!(ben.ringing().await, 0);
    let (s, _) = ben.post(&ben.s("/incomingRequests"), json!({})).await;
    assert_eq!(
        s, 404,
        "nothing to take for an agent that never went Online"
    );
    assert_eq!(sim.chat_state(&key).await.unwrap(), "waiting");
    // Away stays Away across a new session too
    ben.set_availability("Away").await;
    let mut ben2 = Agent::start_only(&sim, "ben").await;
    ben2.new_session().await;
    assert_eq!(sim.agent_availability("ben").await.unwrap(), "Away");
    assert_eq!(ben2.ringing().await, 0);
    // going Online is what makes the chat ring
    ben2.set_availability("Online").await;
    assert_eq!(ben2.ringing().await, 1);
    assert!(ben2.take().await.ends_with(&key));
}

/// Issue 11 fidelity: at most one chat rings for an agent (spec §4.9/§4.10: one take link,
/// "accept next chat"; ACD offers sequentially), and `ringingCount` agrees with take: after
/// "1" a take gets exactly the chat that rang, after "0" it gets 404.
#[tokio::test]
async fn ringing_count_agrees_with_take() {
    let sim = sim().await;
    let cho = Agent::start(&sim, "cho").await; // unlimited
    let mut keys = Vec::new();
    for i in 0..4 {
        keys.push(
            sim.start_chat(chat_req("Billing", &format!("R{i}")))
                .await
                .unwrap(),
        );
    }
    for key in &keys {
        let (s, v) = cho.get(&cho.s("/incomingRequests")).await;
        assert_eq!(s, 200);
        assert_eq!(v["incomingRequests"]["ringingCount"], json!("1"), "{v}");
        assert!(
            !many(&v["incomingRequests"]["link"]).is_empty(),
            "take link: {v}"
        );
        let taken = cho.take().await;
        assert!(taken.ends_with(key), "took {taken}, expected {key}");
    }
    let (_, v) = cho.get(&cho.s("/incomingRequests")).await;
    assert_eq!(v["incomingRequests"]["ringingCount"], json!("0"));
    assert!(v["incomingRequests"].get("link").is_none(), "{v}");
    let (s, _) = cho.post(&cho.s("/incomingRequests"), json!({})).await;
    assert_eq!(s, 404);
}
