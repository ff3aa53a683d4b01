//! The `/_sim/` HTTP routes of docs/contracts.md §1.

use crate::common::*;
use serde_json::{Value, json};

async fn call(
    http: &reqwest::Client,
    method: &str,
    url: String,
    body: Option<Value>,
) -> (u16, Value) {
    let mut rb = match method {
        "GET" => http.get(url),
        "DELETE" => http.delete(url),
        _ => http.post(url),
    };
    if let Some(b) = body {
        rb = rb.json(&b);
    }
    let r = rb.send().await.unwrap();
    let s = r.status().as_u16();
    (s, r.json().await.unwrap_or(Value::Null))
}

#[tokio::test]
async fn every_sim_route_works() {
    let sim = sim().await;
    let b = sim.base_url().to_string();
    let http = reqwest::Client::new();
    let ann = Agent::start(&sim, "ann").await;
    let (s, v) = call(
        &http,
        "POST",
        format!("{b}/_sim/chats"),
        Some(json!({"skill": "Sales", "visitorName": "Vera", "text": "first line"})),
    )
    .await;
    assert_eq!(s, 200);
    let key = v["chatSessionKey"].as_str().unwrap().to_string();
    assert!(
        key.starts_with('H') && key.contains('-') && key.contains('K'),
        "{key}"
    );
    let chat = ann.take().await;
    assert_eq!(
        call(
            &http,
            "POST",
            format!("{b}/_sim/chats/{key}/typing"),
            Some(json!({"typing": true}))
        )
        .await
        .0,
        200
    );
    let (_, v) = ann.get(&format!("{chat}/info")).await;
    assert_eq!(v["info"]["visitorTyping"], "typing");
    assert_eq!(
        call(
            &http,
            "POST",
            format!("{b}/_sim/chats/{key}/lines"),
            Some(json!({"text": "second"}))
        )
        .await
        .0,
        200
    );
    let evs = ann.events(&chat, 0).await;
    assert_eq!(evs.last().unwrap()["text"], "second");
    assert_eq!(evs[2]["text"], "first line");
    let (s, v) = call(&http, "GET", format!("{b}/_sim/chats/{key}"), None).await;
    assert_eq!(s, 200);
    assert_eq!(v["state"], "chatting");
    assert_eq!(v["events"].as_array().unwrap().len(), evs.len());
    let (s, v) = call(&http, "GET", format!("{b}/_sim/agents/ann"), None).await;
    assert_eq!((s, v), (200, json!({"availability": "Online", "chats": 1})));
    assert_eq!(
        call(&http, "GET", format!("{b}/_sim/agents/nobody"), None)
            .await
            .0,
        404
    );
    assert_eq!(
        call(&http, "POST", format!("{b}/_sim/chats/{key}/leave"), None)
            .await
            .0,
        200
    );
    let (_, v) = call(&http, "GET", format!("{b}/_sim/chats/{key}"), None).await;
    assert_eq!(v["state"], "ended");
    assert_eq!(
        call(&http, "GET", format!("{b}/_sim/chats/nope"), None)
            .await
            .0,
        404
    );
    // faults
    let (s, _) = call(
        &http,
        "POST",
        format!("{b}/_sim/faults"),
        Some(json!({"kind": "status", "status": 503, "count": 2, "pathContains": "/info"})),
    )
    .await;
    assert_eq!(s, 200);
    assert_eq!(ann.get(&ann.s("/info")).await.0, 503);
    assert_eq!(
        call(&http, "DELETE", format!("{b}/_sim/faults"), None)
            .await
            .0,
        200
    );
    assert_eq!(ann.get(&ann.s("/info")).await.0, 200);
    for body in [
        json!({"kind": "delay", "ms": 10}),
        json!({"kind": "drop", "pathContains": "/nothing"}),
        json!({"kind": "malformed", "pathContains": "/nothing"}),
    ] {
        assert_eq!(
            call(&http, "POST", format!("{b}/_sim/faults"), Some(body))
                .await
                .0,
            200
        );
    }
    assert_eq!(
        call(
            &http,
            "POST",
            format!("{b}/_sim/faults"),
            Some(json!({"kind": "bogus"}))
        )
        .await
        .0,
        400
    );
    // clock: a new chat rings for ben (ann is Away); 21 s later ben is Away
    ann.set_availability("Away").await;
    let ben = Agent::start(&sim, "ben").await;
    call(
        &http,
        "POST",
        format!("{b}/_sim/chats"),
        Some(json!({"visitorName": "Wes"})),
    )
    .await;
    assert_eq!(ben.ringing().await, 1);
    assert_eq!(
        call(
            &http,
            "POST",
            format!("{b}/_sim/clock/advance"),
            Some(json!({"seconds": 21}))
        )
        .await
        .0,
        200
    );
    let (_, v) = call(&http, "GET", format!("{b}/_sim/agents/ben"), None).await;
    assert_eq!(v["availability"], "Away");
    // request log
    let (s, v) = call(&http, "GET", format!("{b}/_sim/requests"), None).await;
    assert_eq!(s, 200);
    let log = v.as_array().unwrap();
    let rec = log.iter().find(|r| r["overrideMethod"] == "PUT").unwrap();
    for k in ["method", "path", "query", "overrideMethod", "status", "at"] {
        assert!(rec.get(k).is_some(), "{k} missing in {rec}");
    }
    assert!(
        log.iter()
            .all(|r| !r["path"].as_str().unwrap().starts_with("/_sim"))
    );
    assert_eq!(
        call(
            &http,
            "POST",
            format!("{b}/_sim/faults"),
            Some(json!({"kind": "expireBearer"}))
        )
        .await
        .0,
        200
    );
    assert_eq!(ann.get(&ann.s("/info")).await.0, 401);
}
