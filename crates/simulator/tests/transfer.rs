//! Transfers (spec §4.22-4.23, §7 row 6) and ending a chat from either side (§7 rows 7-8).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::*;
use serde_json::{Value, json};

#[tokio::test]
async fn transfer_to_skill_with_agent_only_note() {
    let sim = sim().await;
    let ann = Agent::start(&sim, "ann").await;
    let key = sim.start_chat(chat_req("Sales", "Vera")).await.unwrap();
    let chat = ann.take().await;
    let cho = Agent::start(&sim, "cho").await; // Billing + Support
    let (s, v) = ann.get(&format!("{chat}/transfer")).await;
    assert_eq!(s, 200);
    let skills = many(&v["transfer"]["skill"]);
    let names: Vec<&str> = skills.iter().map(|s| s["name"].as_str().unwrap()).collect();
    assert_eq!(
        names,
        ["Billing", "Support"],
        "Sales has no online agent besides ann: {v}"
    );
    assert_eq!(skills[0]["id"], "1002");
    assert_eq!(skills[0]["onlineAgents"], "1");
    // sample-app style: text next to `transfer`, id as a string
    let (s, v) = ann
        .post(
            &format!("{chat}/transfer"),
            json!({"transfer": {"skill": {"id": "1002"}}, "text": "VIP, wants a refund"}),
        )
        .await;
    assert_eq!(s, 200, "{v}");
    assert_eq!(sim.chat_state(&key).await.unwrap(), "waiting");
    let (s, _) = ann.get(&chat).await;
    assert_eq!(s, 403, "the old agent loses access");
    assert_eq!(cho.ringing().await, 1);
    let chat2 = cho.take().await;
    let evs = cho.events(&chat2, 0).await;
    let tail: Vec<Value> = evs[5..].to_vec();
    assert_eq!(tail[0]["systemMessageId"], 15);
    assert_eq!(tail[1]["text"], "VIP, wants a refund");
    assert_eq!(tail[1]["subType"], "ONLY_TO_REP");
    assert_eq!(tail[2]["state"], "waiting");
    assert_eq!(tail[3]["state"], "chatting");
    assert_eq!(tail[4]["text"], "You are now chatting with Cho.");
    let seen = sim.visitor_view(&key).await.unwrap();
    assert!(seen.iter().all(|e| e["text"] != "VIP, wants a refund"));
    assert!(system_ids(&seen).contains(&15));
}

#[tokio::test]
async fn transfer_to_agent_and_errors() {
    let sim = sim().await;
    let ann = Agent::start(&sim, "ann").await;
    let key = sim.start_chat(chat_req("Sales", "Vera")).await.unwrap();
    let chat = ann.take().await;
    // nobody else online: Support has no agent → 400 error JSON
    let (s, v) = ann
        .post(
            &format!("{chat}/transfer"),
            json!({"transfer": {"skill": {"id": 1003}}}),
        )
        .await;
    assert_eq!(s, 400);
    assert!(v["error"]["message"].is_string(), "{v}");
    let (s, _) = ann
        .post(
            &format!("{chat}/transfer"),
            json!({"transfer": {"agent": {"id": 5002}}}),
        )
        .await;
    assert_eq!(s, 400, "ben is offline");
    let ben = Agent::start(&sim, "ben").await;
    // agent wins over skill; numeric id; text inside
    let (s, v) = ann
        .post(
            &format!("{chat}/transfer"),
            json!({"transfer": {"agent": {"id": 5002}, "skill": {"id": 1003}, "text": "over to you"}}),
        )
        .await;
    assert_eq!(s, 200, "{v}");
    let (s, _) = ann
        .post(
            &format!("{chat}/events"),
            json!({"event": {"@type": "line", "text": "x"}}),
        )
        .await;
    assert_eq!(s, 403);
    assert_eq!(ben.ringing().await, 1);
    let chat2 = ben.take().await;
    let evs = ben.events(&chat2, 5).await;
    assert_eq!(evs[0]["systemMessageId"], 13);
    assert_eq!(evs[1]["subType"], "ONLY_TO_REP");
    let seen = sim.visitor_view(&key).await.unwrap();
    assert!(seen.iter().all(|e| e["text"] != "over to you"));
}

#[tokio::test]
async fn visitor_leaves_and_agent_sees_it() {
    let sim = sim().await;
    let ann = Agent::start(&sim, "ann").await;
    let key = sim.start_chat(chat_req("Sales", "Ivy")).await.unwrap();
    let chat = ann.take().await;
    sim.visitor_typing(&key, true).await.unwrap();
    let (s, v) = ann.get(&format!("{chat}/info/visitorTyping")).await;
    assert!(s == 200 || s == 201);
    assert_eq!(v["visitorTyping"], "typing");
    sim.visitor_leave(&key).await.unwrap();
    let evs = ann.events(&chat, 5).await;
    assert_eq!(states(&evs), ["ended"]);
    let (_, v) = ann.get(&format!("{chat}/info")).await;
    assert_eq!(v["info"]["state"], "ended");
    assert_eq!(ann.say(&chat, "still there?").await, 400);
    assert_eq!(sim.chat_state(&key).await.unwrap(), "ended");
    assert!(sim.visitor_line(&key, "late").await.is_err());
}

#[tokio::test]
async fn typing_and_visitor_name() {
    let sim = sim().await;
    let ann = Agent::start(&sim, "ann").await;
    let key = sim.start_chat(chat_req("Sales", "Ivy")).await.unwrap();
    let chat = ann.take().await;
    let (s, v) = ann
        .put(
            &format!("{chat}/info/agentTyping"),
            json!({"agentTyping": "typing"}),
        )
        .await;
    assert_eq!(s, 201);
    assert_eq!(v["agentTyping"], "typing");
    let (_, v) = ann.get(&format!("{chat}/info")).await;
    assert_eq!(v["info"]["agentTyping"], "typing");
    assert_eq!(v["info"]["visitorTyping"], "not-typing");
    assert_eq!(v["info"]["chatTimeout"], 40);
    sim.set_visitor_name(&key, "Ivy Lee").await.unwrap();
    let (_, v) = ann.get(&format!("{chat}/info/visitorName")).await;
    assert_eq!(v["visitorName"], "Ivy Lee");
    let (_, v) = ann.get(&format!("{chat}/info/agentTyping")).await;
    assert_eq!(v["agentTyping"], "typing");
}
