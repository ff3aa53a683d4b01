//! The public types are `Send + Sync` and their futures can be spawned on a multi-thread runtime
//! (the engine runs them in tasks).

use crate::common::sim::{configs, start};
use chat_agent_api::*;
use std::time::Duration;

fn send_sync<T: Send + Sync + 'static>() {}

#[test]
fn public_types_are_send_and_sync() {
    send_sync::<ApiClient>();
    send_sync::<LoginSession>();
    send_sync::<AgentSession>();
    send_sync::<ApiError>();
    send_sync::<ChatRef>();
    send_sync::<model::Chat>();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn futures_run_in_spawned_tasks() {
    let sim = start(configs()[0].clone()).await;
    let c = crate::common::sim::client(&sim, Duration::from_secs(5));
    let task = tokio::spawn(async move {
        let login = c.login(&Credentials::user("ben", "ben-pass")).await?;
        let s = c.start_agent_session(&login).await?;
        let info = s.info().await?;
        let login2 = login.clone();
        c.refresh(&login2).await?;
        Ok::<_, ApiError>(info)
    });
    let info = task.await.unwrap().unwrap();
    assert_eq!(info.id, Some(5002));
    assert_eq!(info.max_chats, Some(Limit::Max(2)));
    sim.shutdown().await;
}
