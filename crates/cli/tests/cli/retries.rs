//! One 503 does not end a run (spec §8: a 5xx is retried after 5, 10, 15 s): `watch
//! --availability` and `end` try again and say so on stderr. Giving up after the third retry
//! (exit 4) is unit-tested in `src/retry.rs`, without waiting 30 s.

use crate::common::{Watching, cli, wait_until, writes_to};
use simulator::{Fault, FaultKind, SimConfig, Simulator, StartChat};

fn fault(kind: FaultKind, on: &str) -> Fault {
    Fault {
        kind,
        count: 1,
        path_contains: Some(on.into()),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_503_on_set_availability_is_retried() {
    let sim = Simulator::start(SimConfig::default()).await.unwrap();
    let data = tempfile::tempdir().unwrap();
    // The login reads the availability once (a GET of the same path): a no-op fault takes that
    // request, so the 503 falls on the CLI's PUT right after the login.
    sim.inject_fault(fault(
        FaultKind::Delay(std::time::Duration::ZERO),
        "/availability",
    ))
    .await;
    sim.inject_fault(fault(FaultKind::Status(503), "/availability"))
        .await;
    // Occupied, not Online: the simulator's agents start Online, and the change must show.
    let mut cmd = cli(&sim, "ann", data.path());
    cmd.args(["watch", "--availability", "Occupied"]);
    let mut w = Watching::start(cmd);
    w.wait_for("availability Occupied", |v| {
        v["type"] == "availability" && v["availability"] == "Occupied"
    })
    .await;
    assert_eq!(sim.agent_availability("ann").await.unwrap(), "Occupied");
    let puts = writes_to(&sim, "/availability").await;
    let statuses: Vec<u16> = puts.iter().map(|r| r.status).collect();
    assert_eq!(statuses, [503, 200], "{puts:#?}");
    assert!(
        puts[1].at - puts[0].at >= 4_900,
        "retried after 5 s: {puts:#?}"
    );
    let status = w.stop().await;
    assert!(status.success(), "{status:?}\n{}", w.stderr());
    let log = w.stderr();
    assert!(
        log.lines()
            .any(|l| l.contains("retrying") && l.contains("set availability")),
        "the retry is logged:\n{log}"
    );
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_503_on_end_is_retried() {
    let sim = Simulator::start(SimConfig::default()).await.unwrap();
    let (d1, d2) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    // the first device takes a chat and goes away (the chat stays with the agent)
    let mut cmd = cli(&sim, "ben", d1.path());
    cmd.args(["watch", "--availability", "Online", "--accept"]);
    let mut w = Watching::start(cmd);
    w.wait_for("availability Online", |v| {
        v["type"] == "availability" && v["availability"] == "Online"
    })
    .await;
    let key = sim
        .start_chat(StartChat {
            skill: Some("Sales".into()),
            visitor_name: "Val".into(),
            text: Some("bye soon".into()),
        })
        .await
        .unwrap();
    wait_until("the chat taken", || async {
        sim.agent_chats("ben").await.unwrap() == 1
    })
    .await;
    assert!(w.stop().await.success(), "{}", w.stderr());

    // the second device ends it; the server answers the first try 503
    sim.inject_fault(fault(FaultKind::Status(503), "/events"))
        .await;
    let out = cli(&sim, "ben", d2.path())
        .args(["end", "--chat", &key])
        .output()
        .await
        .unwrap();
    let log = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "end failed: {log}");
    assert_eq!(sim.chat_state(&key).await.unwrap(), "ended");
    let posts = writes_to(&sim, "/events").await;
    let statuses: Vec<u16> = posts.iter().map(|r| r.status).collect();
    assert_eq!(statuses.first(), Some(&503), "{posts:#?}");
    assert_eq!(statuses.len(), 2, "one retry: {posts:#?}");
    assert!((200..300).contains(&statuses[1]), "{posts:#?}");
    assert!(
        log.lines()
            .any(|l| l.contains("retrying") && l.contains("end the chat")),
        "the retry is logged:\n{log}"
    );
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_503_on_login_is_retried() {
    let sim = Simulator::start(SimConfig::default()).await.unwrap();
    let data = tempfile::tempdir().unwrap();
    sim.inject_fault(fault(FaultKind::Status(503), "/login"))
        .await;
    let mut cmd = cli(&sim, "ann", data.path());
    cmd.args(["watch", "--availability", "Occupied"]);
    let mut w = Watching::start(cmd);
    w.wait_for("availability Occupied", |v| {
        v["type"] == "availability" && v["availability"] == "Occupied"
    })
    .await;
    let logins: Vec<u16> = sim
        .requests()
        .await
        .iter()
        .filter(|r| r.path.ends_with("/login"))
        .map(|r| r.status)
        .collect();
    assert_eq!(
        logins,
        [503, 200],
        "one refused login, then one that worked"
    );
    assert!(w.stop().await.success(), "{}", w.stderr());
    sim.shutdown().await;
}
