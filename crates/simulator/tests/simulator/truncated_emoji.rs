//! A visitor line cut in the middle of an emoji (spec §9 quirk 16): every API reply that includes
//! it carries the escape `\ud83d` with no low surrogate after it, exactly as a Java server writes
//! it. Read as raw bytes, since a strict JSON decoder refuses such a body.

use crate::common::*;
use serde_json::{Value, json};
use simulator::SimConfig;

/// The body of a GET as the server sent it.
async fn raw_get(agent: &Agent, url: &str) -> (u16, String) {
    let r = agent
        .http
        .get(q(url))
        .header("Authorization", format!("Bearer {}", agent.bearer))
        .send()
        .await
        .unwrap();
    (r.status().as_u16(), r.text().await.unwrap())
}

/// `text` followed by the lone high surrogate escape and the closing quote: no low half.
fn assert_lone(body: &str, text: &str) {
    let want = format!("{text}\\ud83d\"");
    assert!(body.contains(&want), "{want} not in {body}");
    assert!(
        !body.contains("\\ud83d\\u"),
        "no low surrogate follows: {body}"
    );
    assert!(
        serde_json::from_str::<Value>(body).is_err(),
        "a strict decoder refuses it"
    );
}

fn configs() -> [SimConfig; 2] {
    [
        SimConfig {
            background_timers: false,
            ..SimConfig::default()
        },
        SimConfig {
            background_timers: false,
            always_arrays: true,
            ..SimConfig::default()
        },
    ]
}

#[tokio::test]
async fn truncated_line_is_a_lone_surrogate_in_every_reply() {
    for cfg in configs() {
        let sim = sim_with(cfg).await;
        let ann = Agent::start(&sim, "ann").await;
        let k1 = sim.start_chat(chat_req("Sales", "Vera")).await.unwrap();
        let c1 = ann.take().await;
        let k2 = sim.start_chat(chat_req("Sales", "Vic")).await.unwrap();
        ann.take().await;
        sim.visitor_line_truncated(&k1, "I love it ").await.unwrap();
        sim.visitor_line(&k2, "all fine 😀").await.unwrap();

        // multi-chat, from the start of both chats
        let (s, body) = raw_get(
            &ann,
            &ann.s(&format!(
                "/chat?chatSessionKeys={k1},{k2}&fromEventIds=-1,-1"
            )),
        )
        .await;
        assert_eq!(s, 200, "{body}");
        assert_lone(&body, "I love it ");
        assert!(body.contains("all fine 😀"), "other text untouched");
        assert!(body.contains(&k2));

        // chat resource, events page, the single event
        let (_, body) = raw_get(&ann, &c1).await;
        assert_lone(&body, "I love it ");
        let (_, body) = raw_get(&ann, &format!("{c1}/events")).await;
        assert_lone(&body, "I love it ");
        // the line is the chat's last event; read it on its own too
        let page: Value = serde_json::from_str(&body.replace("\\ud83d", "?")).unwrap();
        let id = many(&page["events"]["event"]).last().unwrap()["@id"]
            .as_str()
            .unwrap()
            .to_string();
        let (s, body) = raw_get(&ann, &format!("{c1}/events/{id}")).await;
        assert_eq!(s, 200, "{body}");
        assert_lone(&body, "I love it ");

        // the visitor's view (not an API reply) shows the replacement character
        let view = sim.visitor_view(&k1).await.unwrap();
        let texts: Vec<&str> = view.iter().filter_map(|e| e["text"].as_str()).collect();
        assert!(texts.contains(&"I love it \u{FFFD}"), "{texts:?}");
        sim.shutdown().await;
    }
}

#[tokio::test]
async fn truncated_line_over_the_sim_route() {
    let sim = sim().await;
    let b = sim.base_url().to_string();
    let ann = Agent::start(&sim, "ann").await;
    let key = sim.start_chat(chat_req("Sales", "Vera")).await.unwrap();
    let chat = ann.take().await;
    let http = reqwest::Client::new();
    for body in [
        json!({"text": "cut here ", "truncateEmoji": true}),
        json!({"text": "plain line", "truncateEmoji": false}),
        json!({"text": "", "truncateEmoji": true}),
    ] {
        let r = http
            .post(format!("{b}/_sim/chats/{key}/lines"))
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
    }
    let (_, body) = raw_get(&ann, &format!("{chat}/events")).await;
    assert_lone(&body, "cut here ");
    assert!(body.contains("\"plain line\""));
    assert_lone(&body, "\"text\":\"");
    assert_eq!(body.matches("\\ud83d").count(), 2, "{body}");

    let r = http
        .post(format!("{b}/_sim/chats/nope/lines"))
        .json(&json!({"text": "x", "truncateEmoji": true}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
}
