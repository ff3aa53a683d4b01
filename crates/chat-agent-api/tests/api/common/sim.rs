//! Starting the simulator and logging in, for the integration tests.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use chat_agent_api::{AgentSession, ApiClient, Credentials, LoginSession};
use simulator::{SimConfig, Simulator};
use std::time::Duration;
use url::Url;

/// Both server shapes the client must handle: quirks on (one-element lists as bare objects)
/// and `always_arrays`.
pub fn configs() -> [SimConfig; 2] {
    [
        SimConfig {
            background_timers: false,
            ..SimConfig::default()
        },
        SimConfig {
            always_arrays: true,
            background_timers: false,
            ..SimConfig::default()
        },
    ]
}

pub async fn start(cfg: SimConfig) -> Simulator {
    Simulator::start(cfg).await.expect("simulator starts")
}

/// A client for the simulator; in its https mode the client trusts the simulator's CA.
pub fn client(sim: &Simulator, timeout: Duration) -> ApiClient {
    let base = Url::parse(sim.base_url()).unwrap();
    let mut b = ApiClient::builder(base, sim.account_id()).timeout(timeout);
    if let Some(pem) = sim.ca_pem() {
        b = b.extra_root_certificates_pem(pem);
    }
    b.build().unwrap()
}

pub async fn login(sim: &Simulator, user: &str) -> (ApiClient, LoginSession, AgentSession) {
    let c = client(sim, Duration::from_secs(10));
    let login = c
        .login(&Credentials::user(user, format!("{user}-pass")))
        .await
        .unwrap();
    let session = c.start_agent_session(&login).await.unwrap();
    (c, login, session)
}
