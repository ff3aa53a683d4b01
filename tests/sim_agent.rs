//! Another agent on a simulator, logged in the way the Chat Agent API describes it (domain lookup,
//! login, agent session, availability), over https when the simulator serves TLS (trusting its CA)
//! or plain http on loopback, so the app's agent has a colleague to transfer to.

use serde_json::{Value, json};

use crate::{E2eResult, fail};

/// An agent with an active session on the simulator.
pub struct SimAgent {
    http: reqwest::Client,
    bearer: String,
    session_url: String,
}

/// The first `@href` (or `href`) anywhere in a JSON value.
fn first_href(value: &Value) -> Option<String> {
    match value {
        Value::Object(map) => map
            .get("@href")
            .or_else(|| map.get("href"))
            .and_then(Value::as_str)
            .map(str::to_owned)
            .or_else(|| map.values().find_map(first_href)),
        Value::Array(items) => items.iter().find_map(first_href),
        _ => None,
    }
}

impl SimAgent {
    /// Logs `user` in to `sim` (https with its CA when it serves TLS), starts an agent session
    /// and sets the agent `Online`.
    pub async fn online_on(
        sim: &simulator::Simulator,
        user: &str,
        password: &str,
    ) -> E2eResult<Self> {
        Self::online(
            sim.base_url(),
            sim.ca_pem(),
            sim.account_id(),
            user,
            password,
        )
        .await
    }

    /// Logs `user` in to the simulator at `lookup_base` (e.g. `https://127.0.0.1:PORT`), trusting
    /// `ca_pem` besides the built-in roots, starts an agent session and sets the agent `Online`.
    pub async fn online(
        lookup_base: &str,
        ca_pem: Option<&str>,
        account: &str,
        user: &str,
        password: &str,
    ) -> E2eResult<Self> {
        let mut builder = reqwest::Client::builder().cookie_store(true);
        if let Some(pem) = ca_pem {
            builder = builder.add_root_certificate(reqwest::Certificate::from_pem(pem.as_bytes())?);
        }
        let http = builder.build()?;
        let lookup_base = lookup_base.trim_end_matches('/');
        let scheme = if lookup_base.starts_with("http://") {
            "http"
        } else {
            "https"
        };
        let lookup: Value = http
            .get(format!(
                "{lookup_base}/api/account/{account}/service/agentVep/baseURI.json?version=1.0"
            ))
            .send()
            .await?
            .error_for_status()?
            .json()
            .await?;
        let domain = lookup["baseURI"]
            .as_str()
            .ok_or_else(|| fail(format!("no baseURI in the lookup answer {lookup}")))?;
        // `https://{baseURI}` like a real client; plain http only on loopback (contracts §1).
        let base = format!("{scheme}://{domain}");
        let login: Value = http
            .post(format!("{base}/api/account/{account}/login?v=1.3"))
            .header("Accept", "application/json")
            .json(&json!({"username": user, "password": password}))
            .send()
            .await?
            .error_for_status()?
            .json()
            .await?;
        let bearer = login["bearer"]
            .as_str()
            .ok_or_else(|| fail(format!("no bearer in the login answer {login}")))?
            .to_owned();
        let session: Value = http
            .post(format!("{base}/api/account/{account}/agentSession?v=1"))
            .bearer_auth(&bearer)
            .header("Accept", "application/json")
            .json(&json!({"loginData": ""}))
            .send()
            .await?
            .error_for_status()?
            .json()
            .await?;
        let session_url = first_href(&session)
            .ok_or_else(|| fail(format!("no agentSessionLocation in {session}")))?;
        let session_url = session_url
            .split('?')
            .next()
            .unwrap_or(&session_url)
            .to_owned();
        let agent = Self {
            http,
            bearer,
            session_url,
        };
        agent.set_availability("Online").await?;
        Ok(agent)
    }

    /// `PUT {session}/availability`.
    pub async fn set_availability(&self, availability: &str) -> E2eResult<()> {
        self.http
            .put(format!("{}/availability?v=1", self.session_url))
            .bearer_auth(&self.bearer)
            .header("Accept", "application/json")
            .json(&json!({"availability": {"chat": availability}}))
            .send()
            .await?
            .error_for_status()?;
        Ok(())
    }
}
