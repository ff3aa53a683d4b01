//! Transfers (spec §4.22-4.23, §7 row 6) and ending a chat from either side (§7 rows 7-8).

use crate::common::*;
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
    // Default (TransferredChats::Readable): the old agent still reads the chat, cannot write.
    let (s, _) = ann.get(&chat).await;
    assert_eq!(s, 200, "the old agent may still read the chat");
    assert_eq!(ann.say(&chat, "still here?").await, 403, "but not write");
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

/// Both readings of spec §7 row 6: after a transfer the old agent reads on (and would see the
/// next agent's conversation), or is refused; writes are refused in both.
#[tokio::test]
async fn transferred_chat_readable_or_forbidden() {
    for mode in [
        simulator::TransferredChats::Readable,
        simulator::TransferredChats::Forbidden,
    ] {
        let sim = sim_with(simulator::SimConfig {
            transferred_chats: mode,
            ..simulator::SimConfig::default()
        })
        .await;
        let ann = Agent::start(&sim, "ann").await;
        let key = sim.start_chat(chat_req("Billing", "Vera")).await.unwrap();
        let chat = ann.take().await;
        let cho = Agent::start(&sim, "cho").await;
        let (s, _) = ann
            .post(
                &format!("{chat}/transfer"),
                json!({"transfer": {"skill": {"id": "1002"}}}),
            )
            .await;
        assert_eq!(s, 200);
        let chat2 = cho.take().await;
        assert_eq!(cho.say(&chat2, "Cho here").await, 201);
        let multi = format!("{}/chat?chatSessionKeys={key}", ann.session);
        let (s, v) = ann.get(&multi).await;
        assert_eq!(s, 200);
        let listed = many(&v["chats"]["chat"]);
        match mode {
            simulator::TransferredChats::Readable => {
                assert_eq!(ann.get(&chat).await.0, 200, "{mode:?}");
                assert_eq!(listed.len(), 1, "{mode:?}: still listed");
                let evs = many(&listed[0]["events"]["event"]);
                assert!(evs.iter().any(|e| e["text"] == "Cho here"), "{mode:?}");
                assert_eq!(listed[0]["info"]["agentName"], "Cho");
            }
            simulator::TransferredChats::Forbidden => {
                assert_eq!(ann.get(&chat).await.0, 403, "{mode:?}");
                assert!(listed.is_empty(), "{mode:?}: left out");
            }
        }
        assert_eq!(ann.say(&chat, "hello?").await, 403, "{mode:?}");
    }
}

/// Spec §4.13: `fromEventIds` read literally (events after the id) or like `from` (from the id).
#[tokio::test]
async fn from_event_ids_both_readings() {
    for reading in [
        simulator::FromEventIds::After,
        simulator::FromEventIds::From,
    ] {
        let sim = sim_with(simulator::SimConfig {
            from_event_ids: reading,
            ..simulator::SimConfig::default()
        })
        .await;
        let ann = Agent::start(&sim, "ann").await;
        let key = sim.start_chat(chat_req("Sales", "Vera")).await.unwrap();
        ann.take().await;
        let ids = |v: &Value| -> Vec<u64> {
            many(&v["chats"]["chat"])
                .iter()
                .flat_map(|c| many(&c["events"]["event"]))
                .map(|e| e["id"].as_u64().unwrap())
                .collect()
        };
        let url = |from: &str| {
            format!(
                "{}/chat?chatSessionKeys={key}&fromEventIds={from}",
                ann.session
            )
        };
        let (_, v) = ann.get(&url("1")).await;
        let (_, all) = ann.get(&url("")).await;
        let last = *ids(&all).last().unwrap();
        match reading {
            simulator::FromEventIds::After => {
                assert_eq!(ids(&v), (2..=last).collect::<Vec<_>>())
            }
            simulator::FromEventIds::From => {
                assert_eq!(ids(&v), (1..=last).collect::<Vec<_>>())
            }
        }
        assert_eq!(ids(&all)[0], 0, "no fromEventIds: everything");
    }
}
