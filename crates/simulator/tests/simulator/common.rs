//! Test helpers: an agent client speaking the wire format over real HTTP.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use serde_json::{Value, json};
use simulator::{SimConfig, Simulator};

/// Appends `v=1&NC=true`.
pub fn q(url: &str) -> String {
    if url.contains('?') {
        format!("{url}&v=1&NC=true")
    } else {
        format!("{url}?v=1&NC=true")
    }
}

pub async fn sim() -> Simulator {
    sim_with(SimConfig {
        background_timers: false,
        ..SimConfig::default()
    })
    .await
}

pub async fn sim_with(cfg: SimConfig) -> Simulator {
    Simulator::start(cfg).await.expect("start simulator")
}

pub fn api(sim: &Simulator) -> String {
    format!("{}/api/account/{}", sim.base_url(), sim.account_id())
}

/// A logged-in agent with one agent session.
pub struct Agent {
    pub http: reqwest::Client,
    pub api: String,
    pub bearer: String,
    pub csrf: String,
    pub session: String,
}

/// A reqwest client with a cookie store that trusts the simulator's CA in the https mode (and
/// nothing less than the usual roots otherwise).
pub fn client_for(sim: &Simulator) -> reqwest::Client {
    let mut b = reqwest::Client::builder().cookie_store(true);
    if let Some(pem) = sim.ca_pem() {
        b = b.add_root_certificate(reqwest::Certificate::from_pem(pem.as_bytes()).unwrap());
    }
    b.build().unwrap()
}

pub fn password(login: &str) -> String {
    format!("{login}-pass")
}

/// Logs in (user/password) without starting a session; returns (client, bearer, csrf).
pub async fn login(sim: &Simulator, login: &str) -> (reqwest::Client, String, String) {
    let http = client_for(sim);
    let r = http
        .post(format!("{}/login?v=1.3", api(sim)))
        .json(&json!({"username": login, "password": password(login)}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let v: Value = r.json().await.unwrap();
    (
        http,
        v["bearer"].as_str().unwrap().to_string(),
        v["csrf"].as_str().unwrap().to_string(),
    )
}

impl Agent {
    /// Logs in, starts an agent session and sets the availability Online (the documented flow,
    /// spec §2 steps 2-4: starting a session alone leaves the agent as it was).
    pub async fn start(sim: &Simulator, name: &str) -> Agent {
        let a = Agent::start_only(sim, name).await;
        a.set_availability("Online").await;
        a
    }

    /// Logs in and starts an agent session; the availability stays as it was.
    pub async fn start_only(sim: &Simulator, name: &str) -> Agent {
        let (http, bearer, csrf) = login(sim, name).await;
        let mut a = Agent {
            http,
            api: api(sim),
            bearer,
            csrf,
            session: String::new(),
        };
        a.new_session().await;
        a
    }

    /// Starts another agent session with the same login.
    pub async fn new_session(&mut self) {
        let (s, v) = self
            .post(
                &format!("{}/agentSession", self.api),
                json!({"loginData": ""}),
            )
            .await;
        assert!(s == 201 || s == 200, "start session: {s} {v}");
        self.session = many(&v["agentSessionLocation"]["link"])[0]["@href"]
            .as_str()
            .unwrap()
            .to_string();
    }

    pub fn s(&self, tail: &str) -> String {
        format!("{}{tail}", self.session)
    }

    pub async fn send(&self, rb: reqwest::RequestBuilder) -> (u16, Value) {
        let r = rb
            .header("Authorization", format!("Bearer {}", self.bearer))
            .header("Accept", "application/json")
            .send()
            .await
            .unwrap();
        let status = r.status().as_u16();
        let text = r.text().await.unwrap();
        let v = serde_json::from_str(&text).unwrap_or(Value::String(text));
        (status, v)
    }

    pub async fn get(&self, url: &str) -> (u16, Value) {
        self.send(self.http.get(q(url))).await
    }

    pub async fn post(&self, url: &str, body: Value) -> (u16, Value) {
        self.send(self.http.post(q(url)).json(&body)).await
    }

    /// PUT as the docs send it: POST + `X-HTTP-Method-Override: PUT`.
    pub async fn put(&self, url: &str, body: Value) -> (u16, Value) {
        self.send(
            self.http
                .post(q(url))
                .header("X-HTTP-Method-Override", "PUT")
                .json(&body),
        )
        .await
    }

    pub async fn set_availability(&self, to: &str) {
        let (s, _) = self
            .put(
                &self.s("/availability"),
                json!({"availability": {"chat": to}}),
            )
            .await;
        assert_eq!(s, 200);
    }

    pub async fn ringing(&self) -> u64 {
        let (s, v) = self.get(&self.s("/incomingRequests")).await;
        assert_eq!(s, 200);
        v["incomingRequests"]["ringingCount"]
            .as_str()
            .unwrap()
            .parse()
            .unwrap()
    }

    /// Takes the next chat; returns its URL.
    pub async fn take(&self) -> String {
        let (s, v) = self.post(&self.s("/incomingRequests"), json!({})).await;
        assert_eq!(s, 201, "take: {v}");
        many(&v["chatLocation"]["link"])[0]["@href"]
            .as_str()
            .unwrap()
            .to_string()
    }

    /// All events of a chat as an array (tolerating the one-element quirk).
    pub async fn events(&self, chat_url: &str, from: u64) -> Vec<Value> {
        let (s, v) = self.get(&format!("{chat_url}/events?from={from}")).await;
        assert_eq!(s, 200, "events: {v}");
        many(&v["events"]["event"])
    }

    pub async fn say(&self, chat_url: &str, text: &str) -> u16 {
        self.post(
            &format!("{chat_url}/events"),
            json!({"event": {"@type": "line", "text": text, "textType": "plain"}}),
        )
        .await
        .0
    }

    pub async fn logout(&self) -> u16 {
        let r = self
            .http
            .post(format!("{}/logout?v=1.3", self.api))
            .json(&json!({"csrf": self.csrf}))
            .send()
            .await
            .unwrap();
        r.status().as_u16()
    }
}

/// One-or-many → Vec.
pub fn many(v: &Value) -> Vec<Value> {
    match v {
        Value::Null => vec![],
        Value::Array(a) => a.clone(),
        other => vec![other.clone()],
    }
}

/// System message ids of the line events, in order.
pub fn system_ids(events: &[Value]) -> Vec<u64> {
    events
        .iter()
        .filter_map(|e| e.get("systemMessageId"))
        .filter_map(|v| {
            v.as_u64()
                .or_else(|| v.as_str().and_then(|s| s.parse().ok()))
        })
        .collect()
}

/// States of the state events, in order.
pub fn states(events: &[Value]) -> Vec<String> {
    events
        .iter()
        .filter_map(|e| e.get("state").and_then(Value::as_str))
        .map(str::to_string)
        .collect()
}

pub fn chat_req(skill: &str, name: &str) -> simulator::StartChat {
    simulator::StartChat {
        skill: Some(skill.into()),
        visitor_name: name.into(),
        text: Some(format!("hello from {name}")),
    }
}
