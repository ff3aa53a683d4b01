//! SSO-authenticated visitors: `participantId` in chat info, participant extended info (§4.27).

use crate::common::*;
use serde_json::{Value, json};
use simulator::{ChatExtras, demo_customer};

#[tokio::test]
async fn participant_id_in_every_info_and_extended_info_answers() {
    let sim = sim().await;
    let ann = Agent::start(&sim, "ann").await;
    let extras = ChatExtras {
        customer: Some(demo_customer(0)),
        ..ChatExtras::default()
    };
    let key = sim
        .start_chat_with(chat_req("Sales", "Vera"), extras)
        .await
        .unwrap();
    let pid = sim.participant_id(&key).await.unwrap().unwrap();
    assert_eq!(pid.len(), 36, "{pid}");
    let chat = ann.take().await;
    let (_, info) = ann.get(&format!("{chat}/info")).await;
    assert_eq!(info["info"]["participantId"], pid.as_str());
    let (_, whole) = ann.get(&chat).await;
    assert_eq!(whole["chat"]["info"]["participantId"], pid.as_str());
    let (_, multi) = ann
        .get(&ann.s(&format!("/chat?chatSessionKeys={key}&fromEventIds=0")))
        .await;
    assert_eq!(
        many(&multi["chats"]["chat"])[0]["info"]["participantId"],
        pid.as_str()
    );

    let (s, v) = ann
        .get(&ann.s(&format!("/participantExtendedInfo/{pid}")))
        .await;
    assert_eq!(s, 200, "{v}");
    let p = &v["authenticatedParticipantInfo"];
    assert_eq!(p["participantId"], pid.as_str());
    assert_eq!(p["isUserAuthenticated"], true);
    assert_eq!(p["customerType"], "vip");
    assert!(p["balance"].is_number());
    assert!(p["registrationDate"]["year"].is_i64());
    assert!(many(&v["authenticatedPersonalInfo"]["contacts"])[0]["email"].is_string());
    let (s, _) = ann
        .get(&ann.s(&format!("/participantExtendedInfo/{pid}.json")))
        .await;
    assert_eq!(s, 200, ".json suffix");
    let (s, _) = ann.get(&ann.s("/participantExtendedInfo/no-such-id")).await;
    assert_eq!(s, 404);

    // an anonymous visitor has no participantId
    sim.start_chat(chat_req("Sales", "Milo")).await.unwrap();
    let other = ann.take().await;
    let (_, info) = ann.get(&format!("{other}/info")).await;
    assert!(info["info"].get("participantId").is_none(), "{info}");
}

#[tokio::test]
async fn customer_over_http_keeps_a_given_id_and_refuses_a_bad_shape() {
    let sim = sim().await;
    let b = sim.base_url().to_string();
    let http = reqwest::Client::new();
    let customer = json!({
        "authenticatedParticipantInfo": {"isUserAuthenticated": true,
            "participantId": "55fc1779-8c3c-4c36-b6a4-a0c6ae9d5ad6", "customerId": "57ac-1",
            "balance": -400.99, "registrationDate": {"year": 2013, "month": 5, "day": 23},
            "customerStatus": "cancelled", "customerType": "vip"}
    });
    let v: Value = http
        .post(format!("{b}/_sim/chats"))
        .json(&json!({"visitorName": "Test", "customer": customer}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let key = v["chatSessionKey"].as_str().unwrap();
    assert_eq!(
        sim.participant_id(key).await.unwrap().as_deref(),
        Some("55fc1779-8c3c-4c36-b6a4-a0c6ae9d5ad6")
    );
    let ann = Agent::start(&sim, "ann").await;
    let (s, v) = ann
        .get(&ann.s("/participantExtendedInfo/55fc1779-8c3c-4c36-b6a4-a0c6ae9d5ad6"))
        .await;
    assert_eq!(s, 200);
    assert_eq!(v, customer, "served as given");
    assert!(v.get("authenticatedPersonalInfo").is_none());
    for bad in [json!("vip"), json!({"authenticatedPersonalInfo": {}})] {
        let r = http
            .post(format!("{b}/_sim/chats"))
            .json(&json!({"customer": bad}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 400);
    }
}
