//! No request input makes the server panic or drop a connection: odd paths, bodies, ids and
//! query values get a 4xx (or a lenient 2xx), and the server keeps answering.

use crate::common::*;
use serde_json::json;

#[tokio::test]
async fn odd_requests_get_client_errors_not_crashes() {
    let sim = sim().await;
    let ann = Agent::start(&sim, "ann").await;
    sim.start_chat(chat_req("Sales", "Vera")).await.unwrap();
    let chat = ann.take().await;
    let api = api(&sim);
    let cases: Vec<(&str, String, &str)> = vec![
        ("GET", format!("{api}/agentSession/notanumber/info"), ""),
        (
            "GET",
            format!("{api}/agentSession/99999999999999999999999/info"),
            "",
        ),
        (
            "GET",
            format!(
                "{}/info",
                ann.session.replace("agentSession/", "agentSession/1")
            ),
            "",
        ),
        ("GET", format!("{}/chat/%FF%00%zz", ann.session), ""),
        ("GET", format!("{chat}/events?from=-5"), ""),
        (
            "GET",
            format!("{chat}/events?from=99999999999999999999999"),
            "",
        ),
        ("GET", format!("{chat}/events/abc"), ""),
        (
            "GET",
            format!("{}/chat?chatSessionKeys=,,,&fromEventIds=x,y", ann.session),
            "",
        ),
        (
            "GET",
            format!("{}/chat/availableSlots?skill=Nope", ann.session),
            "",
        ),
        (
            "GET",
            format!("{}/availableAgents?skill=Nope&chatState=Weird", ann.session),
            "",
        ),
        ("POST", format!("{chat}/events"), "{\"event\":"),
        (
            "POST",
            format!("{chat}/events"),
            "{\"event\":{\"@type\":\"line\",\"text\":[1,2]}}",
        ),
        (
            "POST",
            format!("{chat}/events"),
            "{\"event\":{\"@type\":\"state\",\"state\":\"chatting\"}}",
        ),
        (
            "POST",
            format!("{chat}/events"),
            "{\"event\":{\"@type\":\"line\",\"text\":\"x\",\"textType\":\"video\"}}",
        ),
        ("POST", format!("{chat}/events"), "[]"),
        (
            "POST",
            format!("{chat}/transfer"),
            "{\"transfer\":{\"agent\":{\"id\":\"-1\"}}}",
        ),
        (
            "POST",
            format!("{chat}/transfer"),
            "{\"transfer\":{\"skill\":{\"id\":1e99}}}",
        ),
        ("POST", format!("{chat}/transfer"), "null"),
        ("POST", format!("{chat}/info/agentTyping"), "{}"),
        (
            "POST",
            format!("{}/availability", ann.session),
            "{\"availability\":{\"chat\":7}}",
        ),
        ("GET", format!("{api}/nothing/here"), ""),
        (
            "GET",
            format!(
                "{}/api/account/90412345/service/AGENTVEP/baseURI.json",
                sim.base_url()
            ),
            "",
        ),
        ("DELETE", format!("{api}/login"), ""),
        ("GET", format!("{}/_not_sim/x", sim.base_url()), ""),
        ("GET", format!("{chat}/transferAccount"), ""),
    ];
    for (method, url, body) in cases {
        let rb = match method {
            "GET" => ann.http.get(q(&url)),
            "DELETE" => ann.http.delete(q(&url)),
            _ => ann.http.post(q(&url)).header(
                "X-HTTP-Method-Override",
                if url.ends_with("availability") || url.ends_with("agentTyping") {
                    "PUT"
                } else {
                    ""
                },
            ),
        };
        let r = rb
            .header("Authorization", format!("Bearer {}", ann.bearer))
            .header("Content-Type", "application/json")
            .body(body.to_string())
            .send()
            .await
            .unwrap_or_else(|e| panic!("{method} {url}: transport error {e}"));
        let s = r.status().as_u16();
        assert!(
            (200..500).contains(&s) || s == 501,
            "{method} {url} {body}: {s}"
        );
        if s >= 400 {
            assert!(
                !r.text().await.unwrap().is_empty(),
                "{method} {url}: error without body"
            );
        }
    }
    // still alive and the chat still usable
    assert_eq!(ann.say(&chat, "still here").await, 201);
    let (s, _) = ann
        .post(
            &format!("{chat}/events"),
            json!({"event": {"@type": "line", "text": 42}}),
        )
        .await;
    assert_eq!(s, 201, "a numeric text is accepted leniently");
}
