//! Status faults with a `Retry-After` header (spec §8 [INF]), typed and over `/_sim/faults`.

use crate::common::*;
use serde_json::{Value, json};
use simulator::{Fault, FaultKind};

/// Status, `Retry-After` header and body of a GET.
async fn get_with_header(agent: &Agent, url: &str) -> (u16, Option<String>, Value) {
    let r = agent
        .http
        .get(q(url))
        .header("Authorization", format!("Bearer {}", agent.bearer))
        .send()
        .await
        .unwrap();
    let status = r.status().as_u16();
    let retry_after = r
        .headers()
        .get("retry-after")
        .map(|v| v.to_str().unwrap().to_string());
    let text = r.text().await.unwrap();
    (
        status,
        retry_after,
        serde_json::from_str(&text).unwrap_or(Value::String(text)),
    )
}

#[tokio::test]
async fn typed_status_fault_sends_retry_after() {
    let sim = sim().await;
    let ann = Agent::start(&sim, "ann").await;
    sim.inject_fault(Fault {
        kind: FaultKind::StatusWithRetryAfter(429, 7),
        count: 1,
        path_contains: Some("/incomingRequests".into()),
    })
    .await;
    let (s, h, v) = get_with_header(&ann, &ann.s("/incomingRequests")).await;
    assert_eq!((s, h.as_deref()), (429, Some("7")));
    assert_eq!(v["error"]["internalCode"], 429);
    let (s, h, _) = get_with_header(&ann, &ann.s("/incomingRequests")).await;
    assert_eq!((s, h), (200, None), "fault used up");

    // a plain status fault has no Retry-After
    sim.inject_fault(Fault {
        kind: FaultKind::Status(503),
        count: 1,
        path_contains: None,
    })
    .await;
    let (s, h, _) = get_with_header(&ann, &ann.s("/info")).await;
    assert_eq!((s, h), (503, None));

    // 401 keeps the OAuth text body
    sim.inject_fault(Fault {
        kind: FaultKind::StatusWithRetryAfter(401, 2),
        count: 1,
        path_contains: None,
    })
    .await;
    let (s, h, v) = get_with_header(&ann, &ann.s("/info")).await;
    assert_eq!((s, h.as_deref()), (401, Some("2")));
    assert!(
        v.as_str()
            .unwrap()
            .starts_with("oauth_problem=token_rejected")
    );
}

#[tokio::test]
async fn retry_after_over_the_sim_route() {
    let sim = sim().await;
    let b = sim.base_url().to_string();
    let ann = Agent::start(&sim, "ann").await;
    let http = reqwest::Client::new();
    let r = http
        .post(format!("{b}/_sim/faults"))
        .json(&json!({"kind": "status", "status": 503, "retryAfter": 30, "count": 2, "pathContains": "/info"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    for _ in 0..2 {
        let (s, h, v) = get_with_header(&ann, &ann.s("/info")).await;
        assert_eq!((s, h.as_deref()), (503, Some("30")));
        assert_eq!(v["error"]["responseStatus"], "SERVICE_UNAVAILABLE");
    }
    assert_eq!(get_with_header(&ann, &ann.s("/info")).await.0, 200);

    // on the Login Service: its own error body, same header
    let r = http
        .post(format!("{b}/_sim/faults"))
        .json(&json!({"kind": "status", "status": 429, "retryAfter": 5, "pathContains": "/login"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let r = http
        .post(format!("{}/login?v=1.3", api(&sim)))
        .json(&json!({"username": "ann", "password": "ann-pass"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 429);
    assert_eq!(r.headers()["retry-after"], "5");
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["error"]["responseStatus"], "TOO_MANY_REQUESTS");
}
