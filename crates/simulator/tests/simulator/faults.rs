//! Fault switches: status, delay, dropped connection, malformed body, bearer expiry; never on
//! `/_sim/`; the request log.

use std::time::{Duration, Instant};

use crate::common::*;
use serde_json::{Value, json};
use simulator::{Fault, FaultKind};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

fn fault(kind: FaultKind, count: u32, path: Option<&str>) -> Fault {
    Fault {
        kind,
        count,
        path_contains: path.map(str::to_string),
    }
}

#[tokio::test]
async fn status_fault_counts_and_filters_by_path() {
    let sim = sim().await;
    let ann = Agent::start(&sim, "ann").await;
    sim.inject_fault(fault(FaultKind::Status(503), 2, Some("/incomingRequests")))
        .await;
    let (s, _) = ann.get(&ann.s("/availability")).await;
    assert_eq!(s, 200, "other paths unaffected");
    let (s, v) = ann.get(&ann.s("/incomingRequests")).await;
    assert_eq!(s, 503);
    assert_eq!(v["error"]["internalCode"], 503);
    assert_eq!(ann.get(&ann.s("/incomingRequests")).await.0, 503);
    assert_eq!(
        ann.get(&ann.s("/incomingRequests")).await.0,
        200,
        "count used up"
    );
    sim.inject_fault(fault(FaultKind::Status(401), 1, None))
        .await;
    let (s, v) = ann.get(&ann.s("/info")).await;
    assert_eq!(s, 401);
    assert!(
        v.as_str()
            .unwrap()
            .starts_with("oauth_problem=token_rejected")
    );
    sim.inject_fault(fault(FaultKind::Status(500), 5, None))
        .await;
    sim.clear_faults().await;
    assert_eq!(ann.get(&ann.s("/info")).await.0, 200);
}

#[tokio::test]
async fn delay_fault_delays() {
    let sim = sim().await;
    let ann = Agent::start(&sim, "ann").await;
    sim.inject_fault(fault(FaultKind::Delay(Duration::from_millis(400)), 1, None))
        .await;
    let t = Instant::now();
    assert_eq!(ann.get(&ann.s("/info")).await.0, 200);
    assert!(t.elapsed() >= Duration::from_millis(400));
    let t = Instant::now();
    ann.get(&ann.s("/info")).await;
    assert!(t.elapsed() < Duration::from_millis(400));
}

#[tokio::test]
async fn drop_fault_closes_the_connection_without_a_response() {
    let sim = sim().await;
    sim.inject_fault(fault(FaultKind::Drop, 1, Some("/service/")))
        .await;
    let mut tcp = tokio::net::TcpStream::connect(sim.addr()).await.unwrap();
    let req = "GET /api/account/90412345/service/agentVep/baseURI.json HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
    tcp.write_all(req.as_bytes()).await.unwrap();
    let mut buf = Vec::new();
    let read = tokio::time::timeout(Duration::from_secs(5), tcp.read_to_end(&mut buf)).await;
    let read = read.expect("connection must be closed, not left hanging");
    assert!(
        read.is_err() || buf.is_empty(),
        "got a response: {:?}",
        String::from_utf8_lossy(&buf)
    );
    // reqwest sees a transport error, not a status
    sim.inject_fault(fault(FaultKind::Drop, 1, None)).await;
    let url = format!(
        "{}/api/account/90412345/service/agentVep/baseURI.json",
        sim.base_url()
    );
    let r = reqwest::Client::new().get(&url).send().await;
    assert!(
        r.is_err(),
        "expected a connection error, got {:?}",
        r.map(|r| r.status())
    );
    let ok = reqwest::Client::new().get(&url).send().await.unwrap();
    assert_eq!(ok.status(), 200);
    let log = sim.requests().await;
    assert_eq!(log.iter().filter(|r| r.status == 0).count(), 2);
}

#[tokio::test]
async fn malformed_fault_sends_truncated_json() {
    let sim = sim().await;
    let ann = Agent::start(&sim, "ann").await;
    sim.inject_fault(fault(FaultKind::Malformed, 1, Some("/info")))
        .await;
    let r = ann
        .http
        .get(q(&ann.s("/info")))
        .header("Authorization", format!("Bearer {}", ann.bearer))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let t = r.text().await.unwrap();
    assert!(!t.is_empty());
    assert!(serde_json::from_str::<Value>(&t).is_err(), "{t}");
}

#[tokio::test]
async fn expire_bearer_rejects_every_issued_bearer() {
    let sim = sim().await;
    let ann = Agent::start(&sim, "ann").await;
    let ben = Agent::start(&sim, "ben").await;
    sim.inject_fault(fault(FaultKind::ExpireBearer, 1, None))
        .await;
    for a in [&ann, &ben] {
        let (s, v) = a.get(&a.s("/availability")).await;
        assert_eq!(s, 401);
        assert!(
            v.as_str()
                .unwrap()
                .starts_with("oauth_problem=token_rejected")
        );
    }
    let again = Agent::start(&sim, "ann").await;
    assert_eq!(again.get(&again.s("/availability")).await.0, 200);
}

#[tokio::test]
async fn faults_never_apply_to_sim_routes_and_log_records_requests() {
    let sim = sim().await;
    sim.inject_fault(fault(FaultKind::Status(500), 10, None))
        .await;
    let http = reqwest::Client::new();
    let r = http
        .get(format!("{}/_sim/requests", sim.base_url()))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let r = http
        .post(format!("{}/_sim/chats", sim.base_url()))
        .json(&json!({"visitorName": "Vera"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let r = http
        .get(format!(
            "{}/api/account/90412345/service/agentVep/baseURI.json?version=1.0",
            sim.base_url()
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 500);
    let log = sim.requests().await;
    assert_eq!(log.len(), 1, "only API requests are logged: {log:?}");
    assert_eq!(log[0].method, "GET");
    assert_eq!(log[0].query, "version=1.0");
    assert_eq!(log[0].status, 500);
    assert!(log[0].path.ends_with("/baseURI.json"));
}

/// `go_down` closes the port (new connections refused) and keeps the state; `come_back` serves it
/// again on the same port.
#[tokio::test]
async fn down_and_back_on_the_same_port() {
    let sim = sim().await;
    let ann = Agent::start(&sim, "ann").await;
    let key = sim.start_chat(chat_req("Sales", "Vera")).await.unwrap();
    let chat = ann.take().await;
    sim.go_down().await;
    let fresh = reqwest::Client::new();
    let err = fresh
        .get(ann.s("/availability"))
        .send()
        .await
        .expect_err("refused while down");
    assert!(err.is_connect(), "{err}");
    sim.come_back().await.unwrap();
    assert_eq!(ann.get(&ann.s("/availability")).await.0, 200);
    assert_eq!(ann.get(&chat).await.0, 200);
    assert_eq!(sim.chat_state(&key).await.unwrap(), "chatting");
}
