//! Wire-format quirks (spec §1, §9): one-element lists, `@` vs plain keys, numbers as strings,
//! method override, `.json` suffix, OAuth 401, login-service errors, domain lookup, lenient bodies.

use crate::common::*;
use serde_json::{Value, json};
use simulator::SimConfig;

#[tokio::test]
async fn one_element_lists_are_bare_objects_unless_always_arrays() {
    let sim = sim().await;
    let ann = Agent::start(&sim, "ann").await;
    let key = sim.start_chat(chat_req("Sales", "Vera")).await.unwrap();
    let chat = ann.take().await;
    let (_, v) = ann.get(&format!("{chat}/events?from=4")).await;
    assert!(v["events"]["event"].is_object(), "{v}");
    let (_, v) = ann.get(&format!("{chat}/events?from=5")).await;
    assert!(v["events"].get("event").is_none(), "absent when none: {v}");
    let next = many(&v["events"]["link"])
        .into_iter()
        .find(|l| l["@rel"] == "next")
        .unwrap();
    let href = next["@href"].as_str().unwrap();
    assert!(href.ends_with("/events?from=5"), "{href}");
    assert!(!href.contains("NC=true"));
    let (_, v) = ann.get(&ann.s("/incomingRequests")).await;
    assert_eq!(v["incomingRequests"]["ringingCount"], "0");
    sim.start_chat(chat_req("Sales", "Wes")).await.unwrap();
    let (_, v) = ann.get(&ann.s("/incomingRequests")).await;
    assert!(v["incomingRequests"]["link"].is_object());
    assert_eq!(v["incomingRequests"]["ringingCount"], "1");
    let _ = key;

    let sim2 = sim_with(SimConfig {
        always_arrays: true,
        background_timers: false,
        ..SimConfig::default()
    })
    .await;
    let ann2 = Agent::start(&sim2, "ann").await;
    sim2.start_chat(chat_req("Sales", "Vera")).await.unwrap();
    let (s, v) = ann2.post(&ann2.s("/incomingRequests"), json!({})).await;
    assert_eq!(s, 201);
    assert!(v["chatLocation"]["link"].is_array(), "{v}");
    let chat2 = v["chatLocation"]["link"][0]["@href"]
        .as_str()
        .unwrap()
        .to_string();
    let (_, v) = ann2.get(&format!("{chat2}/events?from=4")).await;
    assert!(v["events"]["event"].is_array(), "{v}");
    assert_eq!(v["events"]["event"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn at_keys_and_plain_keys_per_resource() {
    let sim = sim().await;
    let ann = Agent::start(&sim, "ann").await;
    let k1 = sim.start_chat(chat_req("Sales", "Vera")).await.unwrap();
    let k2 = sim.start_chat(chat_req("Sales", "Wes")).await.unwrap();
    let c1 = ann.take().await;
    ann.take().await;
    // chat resource: @ keys, "@id" strings, numeric systemMessageId
    let (_, v) = ann.get(&c1).await;
    let ev = &v["chat"]["events"]["event"][1];
    assert_eq!(ev["@id"], "1");
    assert_eq!(ev["@type"], "line");
    assert_eq!(ev["systemMessageId"], 4);
    assert!(v["chat"]["link"][0]["@href"].is_string());
    assert!(v["chat"]["info"]["agentId"].is_number());
    assert!(v["chat"]["info"]["rtSessionId"].is_number());
    // multi-chat: plain keys, numeric ids, string systemMessageId; fromEventIds read as the
    // run's reading says (after the id by default, from the id with the env switch)
    let first = simulator::FromEventIds::from_env().first_id(3);
    let url = format!(
        "{}/chat?chatSessionKeys={k1},{k2}&fromEventIds=3,0",
        ann.session
    );
    let (s, v) = ann.get(&url).await;
    assert_eq!(s, 200);
    let chats = v["chats"]["chat"].as_array().unwrap();
    assert_eq!(chats.len(), 2);
    let evs = many(&chats[0]["events"]["event"]);
    assert_eq!(evs[0]["id"], first);
    assert!(evs[0].get("@id").is_none());
    let line3 = evs
        .iter()
        .find(|e| e["systemMessageId"] == "3")
        .expect("system line 3");
    assert_eq!(line3["type"], "line");
    assert_eq!(chats[0]["link"][0]["rel"], "self");
    assert!(
        chats[0]["link"][0]["href"]
            .as_str()
            .unwrap()
            .starts_with("http://127.0.0.1:")
    );
    let from_zero = simulator::FromEventIds::from_env().first_id(0) as usize;
    assert_eq!(many(&chats[1]["events"]["event"]).len(), 5 - from_zero);
    let (s, _) = ann.get(&format!("{}/chat", ann.session)).await;
    assert_eq!(s, 400, "chatSessionKeys is required");
}

#[tokio::test]
async fn numbers_as_strings_where_the_docs_have_strings() {
    let sim = sim().await;
    let ann = Agent::start(&sim, "ann").await;
    let (_, v) = ann.get(&ann.s("/info")).await;
    assert_eq!(v["info"]["id"], "5001");
    assert_eq!(v["info"]["maxChats"], "4");
    assert_eq!(v["info"]["skillsInfo"]["skillInfo"][0]["id"], "1001");
    assert_eq!(v["info"]["link"]["@rel"], "self");
    let (_, v) = ann.get(&ann.s("/availableAgents")).await;
    let agents = many(&v["availableAgents"]["agents"]["agent"]);
    assert_eq!(agents.len(), 5);
    let ann_rec = agents.iter().find(|a| a["userName"] == "ann").unwrap();
    assert_eq!(ann_rec["@chatState"], "2");
    assert_eq!(ann_rec["@maxChats"], "4");
    assert!(ann_rec.get("chats").is_none(), "absent when 0");
    let ben_rec = agents.iter().find(|a| a["userName"] == "ben").unwrap();
    assert_eq!(ben_rec["@chatState"], "1");
    assert_eq!(
        ben_rec["skills"]["skill"], "1001",
        "one skill → bare string"
    );
    let dee = agents.iter().find(|a| a["userName"] == "dee").unwrap();
    assert_eq!(dee["@maxChats"], "0");
    let (_, v) = ann.get(&ann.s("/availableAgents?chatState=Online")).await;
    assert_eq!(v["availableAgents"]["agents"]["agent"]["userName"], "ann");
    let (_, v) = ann
        .get(&ann.s("/chat/availableSlots?skill=Sales&maxWaitTime=30"))
        .await;
    assert_eq!(v["availableSlots"], 4, "a real number");
    let (_, v) = ann.get(&ann.s("/chat/availableSlots?agent=cho")).await;
    assert_eq!(v["availableSlots"], -1);
}

#[tokio::test]
async fn method_override_real_put_and_json_suffix() {
    let sim = sim().await;
    let (http, bearer, _) = login(&sim, "ann").await;
    let auth = format!("Bearer {bearer}");
    // .json on the last segment, any loginData form
    for body in [
        json!({"loginData": ""}),
        json!({"loginData": {}}),
        json!({"loginData": {"userName": "ann", "password": "x"}}),
    ] {
        let r = http
            .post(q(&format!("{}/agentSession.json", api(&sim))))
            .header("AUTHORIZATION", &auth)
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 201);
    }
    let mut ann = Agent::start(&sim, "ann").await;
    ann.new_session().await;
    let (s, v) = ann
        .put(
            &ann.s("/availability.json"),
            json!({"availability": {"chat": "Away", "chatReasonId": "123"}}),
        )
        .await;
    assert_eq!((s, v["availability"]["chat"].as_str()), (200, Some("Away")));
    let (_, v) = ann.get(&ann.s("/info.json")).await;
    assert_eq!(v["info"]["chatReasonId"], "123");
    let (s, _) = ann
        .send(
            ann.http
                .put(q(&ann.s("/availability")))
                .json(&json!({"availability": {"chat": "Online"}})),
        )
        .await;
    assert_eq!(s, 200, "a real PUT is accepted too");
    assert_eq!(sim.agent_availability("ann").await.unwrap(), "Online");
    // a plain POST to availability is not a PUT
    let (s, _) = ann
        .post(
            &ann.s("/availability"),
            json!({"availability": {"chat": "Away"}}),
        )
        .await;
    assert_eq!(s, 405);
    let key = sim.start_chat(chat_req("Sales", "Vera")).await.unwrap();
    // take-chat body variants: empty, {"chat":"start"}, {"":""}
    let r = ann
        .send(ann.http.post(q(&ann.s("/incomingRequests.json"))).body(""))
        .await;
    assert_eq!(r.0, 201, "empty body accepted");
    let chat = r.1["chatLocation"]["link"]["@href"]
        .as_str()
        .unwrap()
        .to_string();
    let (s, v) = ann.get(&format!("{chat}/events.json?from=0")).await;
    assert_eq!(s, 200);
    assert_eq!(many(&v["events"]["event"]).len(), 5);
    let (s, v) = ann.get(&format!("{chat}.json")).await;
    assert_eq!(s, 200);
    assert_eq!(v["chat"]["info"]["chatSessionKey"], key.as_str());
    sim.start_chat(chat_req("Sales", "Wes")).await.unwrap();
    sim.start_chat(chat_req("Sales", "Xia")).await.unwrap();
    assert_eq!(
        ann.post(&ann.s("/incomingRequests"), json!({"chat": "start"}))
            .await
            .0,
        201
    );
    assert_eq!(
        ann.post(&ann.s("/incomingRequests"), json!({"": ""}))
            .await
            .0,
        201
    );
    // the request log saw the override
    let log = sim.requests().await;
    assert!(log.iter().any(|r| r.method == "POST"
        && r.override_method.as_deref() == Some("PUT")
        && r.path.ends_with("/availability.json")
        && r.status == 200));
}

#[tokio::test]
async fn oauth_text_401_on_bad_missing_or_expired_bearer() {
    let sim = sim().await;
    let ann = Agent::start(&sim, "ann").await;
    let http = reqwest::Client::new();
    for auth in [None, Some("Bearer nope")] {
        let mut rb = http.get(q(&ann.s("/availability")));
        if let Some(a) = auth {
            rb = rb.header("Authorization", a);
        }
        let r = rb.send().await.unwrap();
        assert_eq!(r.status(), 401);
        assert!(
            r.headers()["content-type"]
                .to_str()
                .unwrap()
                .starts_with("text/plain")
        );
        let t = r.text().await.unwrap();
        assert!(
            t.starts_with("oauth_problem=token_rejected&oauth_problem_advice="),
            "{t}"
        );
        assert!(serde_json::from_str::<Value>(&t).is_err());
    }
    let r = http
        .post(q(&format!("{}/agentSession", api(&sim))))
        .json(&json!({"loginData": ""}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
}

#[tokio::test]
async fn login_service_errors_refresh_and_logout_need_cookie_and_csrf() {
    let sim = sim().await;
    let http = reqwest::Client::builder()
        .cookie_store(true)
        .build()
        .unwrap();
    let r = http
        .post(format!("{}/login?v=1.3", api(&sim)))
        .json(&json!({"username": "ann", "password": "wrong"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["error"]["responseStatus"], "UNAUTHORIZED");
    let time = v["error"]["time"].as_str().unwrap();
    assert!(time.ends_with(" AM") || time.ends_with(" PM"), "{time}");
    assert!(v["error"]["internalCode"].is_number());
    let r = http
        .post(format!("{}/login", api(&sim)))
        .body("not json")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    // app-key login
    let r = http
        .post(format!("{}/login?v=1.3", api(&sim)))
        .json(&json!({"username": "bot", "appKey": "demo-app-key", "secret": "demo-secret", "accessToken": "demo-access-token", "accessTokenSecret": "demo-access-secret"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let (http, _bearer, csrf) = login(&sim, "ann").await;
    let r = http
        .post(format!("{}/refresh?v=1.3", api(&sim)))
        .json(&json!({"csrf": "bad"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
    let r = http
        .post(format!("{}/refresh?v=1.3", api(&sim)))
        .json(&json!({"csrf": csrf}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert!(r.text().await.unwrap().is_empty());
    // without the Session_id cookie
    let bare = reqwest::Client::new();
    let r = bare
        .post(format!("{}/logout", api(&sim)))
        .json(&json!({"csrf": csrf}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
    let v: Value = r.json().await.unwrap();
    assert!(v["error"]["message"].is_string());
    let r = http
        .post(format!("{}/logout", api(&sim)))
        .json(&json!({"csrf": csrf}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
}

#[tokio::test]
async fn login_response_shape_and_cookie() {
    let sim = sim().await;
    let http = reqwest::Client::new();
    let r = http
        .post(format!("{}/login?v=1.3", api(&sim)))
        .json(&json!({"username": "ben", "password": "ben-pass"}))
        .send()
        .await
        .unwrap();
    let cookie = r.headers()["set-cookie"].to_str().unwrap().to_string();
    assert!(cookie.starts_with("Session_id="), "{cookie}");
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["sessionTTl"], "28800000");
    assert_eq!(v["config"]["loginName"], "ben");
    assert_eq!(v["config"]["userId"], "5002");
    let b = &v["csdsCollectionResponse"]["baseURIs"][0];
    assert_eq!(b["service"], "agentVep");
    assert_eq!(b["baseURI"], sim.base_url().trim_start_matches("http://"));
}

#[tokio::test]
async fn domain_lookup_in_all_three_forms() {
    let sim = sim().await;
    let http = reqwest::Client::new();
    let want = sim.base_url().trim_start_matches("http://").to_string();
    assert!(want.starts_with("127.0.0.1:"));
    for path in ["api", "csdr"] {
        let url = format!(
            "{}/{path}/account/90412345/service/agentVep/baseURI.json?version=1.0",
            sim.base_url()
        );
        let v: Value = http.get(url).send().await.unwrap().json().await.unwrap();
        assert_eq!(v["baseURI"], want.as_str());
        assert_eq!(v["service"], "agentVep");
        assert_eq!(v["account"], "90412345");
    }
    let url = format!(
        "{}/api/account/90412345/service/baseURI.json?version=1.0",
        sim.base_url()
    );
    let v: Value = http.get(url).send().await.unwrap().json().await.unwrap();
    let all = v["baseURIs"].as_array().unwrap();
    assert!(
        all.iter()
            .any(|b| b["service"] == "agentVep" && b["baseURI"] == want.as_str())
    );
    let r = http
        .get(format!(
            "{}/api/account/1/service/agentVep/baseURI.json",
            sim.base_url()
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
}
