//! Continuity, logout and chatTimeout (spec §3.4, §4.11, §7 rows 9-11).

use std::time::Duration;

use crate::common::*;
use serde_json::json;

#[tokio::test]
async fn second_session_lists_and_uses_the_chats() {
    let sim = sim().await;
    let first = Agent::start(&sim, "ann").await;
    let key = sim.start_chat(chat_req("Sales", "Vera")).await.unwrap();
    first.take().await;
    // second device: its own login and agent session while the first is active
    let second = Agent::start(&sim, "ann").await;
    assert_ne!(first.session, second.session);
    let (s, v) = second.get(&second.s("/chatSessions")).await;
    assert_eq!(s, 200);
    let cs = &v["chatSessions"]["chatSession"];
    assert!(cs.is_object(), "one chat session as a bare object: {v}");
    assert_eq!(cs["chatSessionKey"], key.as_str());
    assert!(cs["startTime"].is_i64(), "startTime is epoch ms: {v}");
    assert_eq!(cs["link"]["rel"], "chat-session");
    let href = cs["link"]["href"].as_str().unwrap().to_string();
    assert_eq!(href, format!("{}/chat/{key}", second.session));
    assert!(cs["link"].get("@href").is_none());
    // the second session reads and writes the chat
    let evs = second.events(&href, 0).await;
    assert_eq!(states(&evs), ["waiting", "chatting"]);
    assert_eq!(second.say(&href, "from my phone").await, 201);
    let seen = sim.visitor_view(&key).await.unwrap();
    assert_eq!(seen.last().unwrap()["text"], "from my phone");
    // the first session's list is empty: the chats are its own
    let (_, v) = first.get(&first.s("/chatSessions")).await;
    assert!(v["chatSessions"].get("chatSession").is_none(), "{v}");
}

#[tokio::test]
async fn logout_requeues_chats_or_disconnects_them() {
    let sim = sim().await;
    let ann = Agent::start(&sim, "ann").await;
    let ben = Agent::start(&sim, "ben").await;
    ben.set_availability("Away").await;
    let key = sim.start_chat(chat_req("Billing", "Kim")).await.unwrap();
    let k2 = sim.start_chat(chat_req("Sales", "Lou")).await.unwrap();
    ann.take().await;
    ann.take().await;
    ben.set_availability("Online").await;
    assert_eq!(ann.logout().await, 200);
    assert_eq!(sim.agent_availability("ann").await.unwrap(), "Offline");
    // Sales: ben can take it → requeued with 23; Billing: nobody → disconnected with 6
    assert_eq!(sim.chat_state(&k2).await.unwrap(), "waiting");
    let v2 = sim.visitor_view(&k2).await.unwrap();
    assert_eq!(*system_ids(&v2).last().unwrap(), 23);
    assert_eq!(sim.chat_state(&key).await.unwrap(), "ended");
    let v1 = sim.visitor_view(&key).await.unwrap();
    assert_eq!(*system_ids(&v1).last().unwrap(), 6);
    assert_eq!(ben.ringing().await, 1);
    // the old bearer is dead
    let (s, body) = ann.get(&ann.s("/availability")).await;
    assert_eq!(s, 401);
    assert!(
        body.as_str()
            .unwrap()
            .starts_with("oauth_problem=token_rejected")
    );
    // a new login does not list the old chats
    let again = Agent::start(&sim, "ann").await;
    let (_, v) = again.get(&again.s("/chatSessions")).await;
    assert!(v["chatSessions"].get("chatSession").is_none(), "{v}");
}

#[tokio::test]
async fn chat_timeout_requeues_when_the_agent_stops_polling() {
    let sim = sim().await;
    let ann = Agent::start(&sim, "ann").await;
    let key = sim.start_chat(chat_req("Sales", "Ned")).await.unwrap();
    let chat = ann.take().await;
    let ben = Agent::start(&sim, "ben").await;
    sim.advance_clock(Duration::from_secs(30)).await;
    ann.get(&format!("{chat}/info")).await; // any request touching the chat counts
    sim.advance_clock(Duration::from_secs(30)).await;
    assert_eq!(sim.chat_state(&key).await.unwrap(), "chatting");
    sim.advance_clock(Duration::from_secs(11)).await;
    assert_eq!(sim.chat_state(&key).await.unwrap(), "waiting");
    let v = sim.visitor_view(&key).await.unwrap();
    assert_eq!(*system_ids(&v).last().unwrap(), 23);
    assert_eq!(ben.ringing().await, 1);
    // the old agent lost the chat: it may read it (TransferredChats::Readable), not write
    assert_eq!(ann.get(&chat).await.0, 200);
    assert_eq!(
        ann.say(&chat, "still there?").await,
        403,
        "the old agent lost the chat"
    );
    assert!(ben.take().await.ends_with(&key));
}

#[tokio::test]
async fn chat_timeout_disconnects_without_a_suitable_agent() {
    let sim = sim().await;
    let ann = Agent::start(&sim, "ann").await;
    let key = sim.start_chat(chat_req("Sales", "Ola")).await.unwrap();
    ann.take().await;
    sim.advance_clock(Duration::from_secs(41)).await;
    assert_eq!(sim.chat_state(&key).await.unwrap(), "ended");
    let v = sim.visitor_view(&key).await.unwrap();
    assert_eq!(*system_ids(&v).last().unwrap(), 6);
}

#[tokio::test]
async fn ending_the_agent_session_by_delete_override_requeues() {
    let sim = sim().await;
    let ann = Agent::start(&sim, "ann").await;
    let key = sim.start_chat(chat_req("Sales", "Pia")).await.unwrap();
    let chat = ann.take().await;
    let ben = Agent::start(&sim, "ben").await;
    let (s, _) = ann
        .send(
            ann.http
                .post(q(&ann.session))
                .header("X-HTTP-Method-Override", "DELETE")
                .json(&json!({})),
        )
        .await;
    assert_eq!(s, 200);
    assert_eq!(sim.chat_state(&key).await.unwrap(), "waiting");
    assert_eq!(ben.ringing().await, 1);
    let (s, _) = ann.get(&ann.s("/availability")).await;
    assert_eq!(s, 404, "closed session");
    let (s, _) = ann.get(&chat).await;
    assert_eq!(s, 404);
}

/// Spec §8 [INF]: an agent session lost on the server while the bearer stays valid answers 404;
/// a new session with the same bearer lists the chats (they stayed the agent's).
#[tokio::test]
async fn lost_agent_session_answers_404_and_chats_carry_over() {
    let sim = sim().await;
    let mut ann = Agent::start(&sim, "ann").await;
    let key = sim.start_chat(chat_req("Sales", "Vera")).await.unwrap();
    ann.take().await;
    sim.lose_agent_sessions("ann").await.unwrap();
    assert_eq!(ann.get(&ann.s("/availability")).await.0, 404);
    assert_eq!(ann.get(&ann.s("/incomingRequests")).await.0, 404);
    assert_eq!(sim.agent_availability("ann").await.unwrap(), "Offline");
    assert_eq!(sim.chat_state(&key).await.unwrap(), "chatting");
    ann.new_session().await;
    let (s, v) = ann.get(&ann.s("/chatSessions")).await;
    assert_eq!(s, 200);
    let listed = many(&v["chatSessions"]["chatSession"]);
    assert_eq!(listed.len(), 1, "{v}");
    assert_eq!(listed[0]["chatSessionKey"], key.as_str());
    let (s, _) = ann.get(&ann.s(&format!("/chat/{key}"))).await;
    assert_eq!(s, 200);
}

/// Load-test setup: chats assigned straight to an agent show in its session's `chatSessions`.
#[tokio::test]
async fn assigned_chats_are_listed_for_the_agent() {
    let sim = sim().await;
    let cho = Agent::start(&sim, "cho").await;
    let keys = sim.assign_chats("cho", Some("Support"), 30).await.unwrap();
    assert_eq!(keys.len(), 30);
    assert_eq!(sim.agent_chats("cho").await.unwrap(), 30);
    let (_, v) = cho.get(&cho.s("/chatSessions")).await;
    assert_eq!(many(&v["chatSessions"]["chatSession"]).len(), 30);
    let (s, _) = cho.get(&cho.s(&format!("/chat/{}", keys[0]))).await;
    assert_eq!(s, 200);
}
