//! The bearer never shows in `Debug` output or in log lines.

use crate::common::sim::{configs, start};
use chat_agent_api::*;
use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::Duration;

#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for Captured {
    type Writer = Captured;
    fn make_writer(&'a self) -> Self::Writer {
        self.clone()
    }
}

#[tokio::test]
async fn debug_and_logs_never_contain_the_bearer() {
    let captured = Captured::default();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(captured.clone())
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .finish();
    // current-thread runtime: the whole exchange runs on this thread
    let _guard = tracing::subscriber::set_default(subscriber);

    let sim = start(configs()[0].clone()).await;
    let c = crate::common::sim::client(&sim, Duration::from_secs(5));
    let login = c
        .login(&Credentials::user("ann", "ann-pass"))
        .await
        .unwrap();
    let bearer = login.bearer().expose().to_string();
    let csrf = login.csrf().expose().to_string();
    let cookie = login.session_cookie().unwrap().expose().to_string();
    assert!(bearer.len() >= 8, "a real bearer to look for");
    assert!(cookie.len() >= 8, "a real cookie to look for");
    let parts = login.parts();
    let restored = LoginSession::restore(
        &crate::common::sim::client(&sim, Duration::from_secs(5)),
        parts.clone(),
    )
    .unwrap();
    let s = c.start_agent_session(&login).await.unwrap();
    s.incoming_requests().await.unwrap();
    c.refresh(&login).await.unwrap();
    // an auth failure is logged too
    sim.inject_fault(simulator::Fault {
        kind: simulator::FaultKind::ExpireBearer,
        count: 1,
        path_contains: None,
    })
    .await;
    let err = s.availability().await.unwrap_err();

    let debug = format!(
        "{c:?}\n{login:?}\n{s:?}\n{:?}\n{err:?}\n{err}\n{parts:?}\n{restored:?}\n{:?}\n{}",
        login.bearer(),
        login.session_cookie(),
        parts.session_cookie.as_ref().unwrap(),
    );
    assert!(debug.contains("[redacted]"), "{debug}");
    assert!(!debug.contains(&bearer), "{debug}");
    assert!(!debug.contains(&csrf), "{debug}");
    assert!(!debug.contains(&cookie), "{debug}");
    assert!(!format!("{:?}", Credentials::user("ann", "ann-pass")).contains("ann-pass"));

    let logs = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    assert!(logs.contains("logged in"), "capture works: {logs}");
    assert!(logs.contains("request done"), "{logs}");
    assert!(!logs.contains(&bearer), "bearer leaked into logs: {logs}");
    assert!(!logs.contains(&csrf), "csrf leaked into logs");
    assert!(
        !logs.contains(&cookie),
        "Session_id cookie leaked into logs"
    );
    assert!(!logs.contains("ann-pass"), "password leaked into logs");
    sim.shutdown().await;
}
