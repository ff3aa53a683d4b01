//! Rich content lines (spec §4.15): agent cards recorded and served, visitor cards from the
//! control API (malformed ones too).

use crate::common::*;
use serde_json::{Value, json};
use simulator::SimConfig;

fn card() -> Value {
    json!({"type": "vertical", "elements": [{"type": "text", "text": "Hi"},
        {"type": "button", "title": "Track order", "click": {"actions": [{"type": "link", "uri": "https://example.com/t"}]}}]})
}

fn lines(events: &[Value]) -> Vec<Value> {
    events
        .iter()
        .filter(|e| e["@type"] == "line" || e["type"] == "line")
        .cloned()
        .collect()
}

#[tokio::test]
async fn agent_card_is_recorded_and_served() {
    let sim = sim().await;
    let ann = Agent::start(&sim, "ann").await;
    let key = sim.start_chat(chat_req("Sales", "Vera")).await.unwrap();
    let chat = ann.take().await;
    let ev = |body: Value| json!({"event": body});
    let (s, v) = ann
        .post(
            &format!("{chat}/events"),
            ev(json!({"@type": "line", "textType": "rich-content", "text": "Hi", "json": card()})),
        )
        .await;
    assert_eq!(s, 201, "{v}");
    // tolerant by default: no text is kept as ""
    let (s, _) = ann
        .post(
            &format!("{chat}/events"),
            ev(json!({"@type": "line", "textType": "rich-content", "json": card()})),
        )
        .await;
    assert_eq!(s, 201);
    // a card must be an object
    let (s, v) = ann
        .post(
            &format!("{chat}/events"),
            ev(json!({"@type": "line", "textType": "rich-content", "text": "x", "json": "card"})),
        )
        .await;
    assert_eq!(s, 400, "{v}");

    let all = lines(&ann.events(&chat, 0).await);
    let rich: Vec<&Value> = all.iter().filter(|l| l.get("json").is_some()).collect();
    assert_eq!(rich.len(), 2);
    assert_eq!(rich[0]["json"], card());
    assert_eq!(rich[0]["text"], "Hi");
    assert_eq!(rich[0]["textType"], "rich-content");
    assert_eq!(rich[1]["text"], "");
    let (_, multi) = ann
        .get(&ann.s(&format!("/chat?chatSessionKeys={key}&fromEventIds=0")))
        .await;
    let ml = lines(
        &many(&multi["chats"]["chat"])[0]["events"]["event"]
            .clone()
            .as_array()
            .cloned()
            .unwrap_or_default(),
    );
    assert!(ml.iter().any(|l| l["json"] == card()), "multi-chat too");
    let view = sim.visitor_view(&key).await.unwrap();
    assert!(view.iter().any(|e| e["json"] == card()), "visitor side");
    let v: Value = reqwest::get(format!("{}/_sim/chats/{key}", sim.base_url()))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(
        v["events"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["json"] == card()),
        "{v}"
    );
}

#[tokio::test]
async fn strict_switch_needs_text() {
    let sim = sim_with(SimConfig {
        background_timers: false,
        rich_content_needs_text: true,
        ..SimConfig::default()
    })
    .await;
    let ann = Agent::start(&sim, "ann").await;
    sim.start_chat(chat_req("Sales", "Vera")).await.unwrap();
    let chat = ann.take().await;
    let (s, v) = ann
        .post(
            &format!("{chat}/events"),
            json!({"event": {"@type": "line", "textType": "rich-content", "json": card()}}),
        )
        .await;
    assert_eq!(s, 400, "{v}");
}

#[tokio::test]
async fn visitor_cards_arrive_malformed_or_not() {
    let sim = sim().await;
    let b = sim.base_url().to_string();
    let ann = Agent::start(&sim, "ann").await;
    let key = sim.start_chat(chat_req("Sales", "Vera")).await.unwrap();
    let chat = ann.take().await;
    sim.visitor_rich_line(&key, "Pick one", card())
        .await
        .unwrap();
    let http = reqwest::Client::new();
    for body in [
        json!({"text": "odd", "json": "not a card"}),
        json!({"text": "odder", "json": {"type": "carousel", "elements": [{"type": "hologram"}]}}),
    ] {
        let r = http
            .post(format!("{b}/_sim/chats/{key}/lines"))
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
    }
    let all = lines(&ann.events(&chat, 0).await);
    let visitor: Vec<&Value> = all.iter().filter(|l| l["source"] == "visitor").collect();
    let n = visitor.len();
    assert_eq!(visitor[n - 3]["json"], card());
    assert_eq!(visitor[n - 3]["textType"], "rich-content");
    assert_eq!(visitor[n - 2]["json"], "not a card");
    assert_eq!(visitor[n - 1]["json"]["elements"]["type"], Value::Null);
    assert_eq!(visitor[n - 1]["json"]["elements"][0]["type"], "hologram");
}
