//! The basic flow over real HTTP: login, session, ring, take, events, lines, end.

use crate::common::*;
use serde_json::json;

#[tokio::test]
async fn login_take_chat_and_talk() {
    let sim = sim().await;
    let ann = Agent::start(&sim, "ann").await;
    assert_eq!(sim.agent_availability("ann").await.unwrap(), "Online");
    assert_eq!(ann.ringing().await, 0);
    let key = sim.start_chat(chat_req("Sales", "Vera")).await.unwrap();
    assert_eq!(ann.ringing().await, 1);
    let chat = ann.take().await;
    assert!(chat.ends_with(&key), "{chat}");
    assert!(chat.starts_with("http://127.0.0.1:"));
    assert_eq!(sim.chat_state(&key).await.unwrap(), "chatting");
    let evs = ann.events(&chat, 0).await;
    let ids: Vec<String> = evs
        .iter()
        .map(|e| e["@id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(ids, ["0", "1", "2", "3", "4"]);
    assert_eq!(states(&evs), ["waiting", "chatting"]);
    assert_eq!(system_ids(&evs), [4, 3]);
    assert_eq!(evs[4]["text"], "You are now chatting with Ann.");
    assert_eq!(evs[2]["source"], "visitor");
    assert_eq!(ann.say(&chat, "hello Vera").await, 201);
    sim.visitor_line(&key, "thanks").await.unwrap();
    let evs = ann.events(&chat, 5).await;
    assert_eq!(evs.len(), 2);
    assert_eq!(evs[0]["source"], "agent");
    assert_eq!(evs[1]["text"], "thanks");
    // the chat resource: @ keys, two next links
    let (s, v) = ann.get(&chat).await;
    assert_eq!(s, 200);
    assert_eq!(v["chat"]["info"]["visitorName"], "Vera");
    let next = crate::common::many(&v["chat"]["events"]["link"])
        .into_iter()
        .find(|l| l["@rel"] == "next")
        .unwrap();
    assert!(next["@href"].as_str().unwrap().ends_with("/events?from=7"));
    // end by agent
    let (s, v) = ann
        .post(
            &format!("{chat}/events"),
            json!({"event": {"@type": "state", "state": "ended"}}),
        )
        .await;
    assert_eq!(s, 201, "{v}");
    assert!(
        v["chatLocation"]["link"]["@href"]
            .as_str()
            .unwrap()
            .contains("/events/7")
    );
    let evs = ann.events(&chat, 7).await;
    assert_eq!(states(&evs), ["ended"]);
    assert_eq!(system_ids(&evs), [5]);
    assert_eq!(sim.chat_state(&key).await.unwrap(), "ended");
    let (s, v) = ann.get(&format!("{chat}/info")).await;
    assert_eq!(s, 200);
    assert_eq!(v["info"]["state"], "ended");
}

/// The control API's futures are `Send`, so an app can spawn them on its own runtime.
#[tokio::test]
async fn control_futures_are_send() {
    fn assert_send<T: Send>(t: T) -> T {
        t
    }
    let sim = assert_send(simulator::Simulator::start(simulator::SimConfig::default()))
        .await
        .unwrap();
    let key = assert_send(sim.start_chat(chat_req("Sales", "Vera")))
        .await
        .unwrap();
    assert_send(sim.visitor_line(&key, "x")).await.unwrap();
    assert_send(sim.advance_clock(std::time::Duration::from_secs(1))).await;
    let handle = tokio::spawn(async move {
        let n = sim.requests().await.len();
        sim.shutdown().await;
        n
    });
    assert_eq!(handle.await.unwrap(), 0);
}
