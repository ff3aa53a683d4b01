//! Simulator fault switches, each seen from the client as the right typed error.

use crate::common::sim::{configs, login, start};
use chat_agent_api::retry::{Decision, RequestKind, RetryContext, decide};
use chat_agent_api::*;
use simulator::{Fault, FaultKind, StartChat};
use std::time::Duration;

fn ctx(kind: RequestKind) -> RetryContext {
    RetryContext {
        kind,
        attempt: 1,
        jitter: 0.0,
    }
}

fn fault(kind: FaultKind, path: &str) -> Fault {
    Fault {
        kind,
        count: 1,
        path_contains: Some(path.into()),
    }
}

#[tokio::test]
async fn status_faults() {
    for cfg in configs() {
        let sim = start(cfg).await;
        let (_c, _l, s) = login(&sim, "ann").await;
        for status in [503u16, 429, 500] {
            sim.inject_fault(fault(FaultKind::Status(status), "/incomingRequests"))
                .await;
            let e = s.incoming_requests().await.unwrap_err();
            assert_eq!(e.status(), Some(status), "{e:?}");
            assert!(e.is_retryable() && !e.is_auth());
            assert!(
                matches!(
                    &e,
                    ApiError::Http {
                        body: ErrorBody::Json(_),
                        ..
                    }
                ),
                "{e:?}"
            );
            let want = if status == 429 { 1 } else { 5 };
            assert_eq!(
                decide(&e, ctx(RequestKind::Read)),
                Decision::RetryAfter(Duration::from_secs(want))
            );
            // fault used up: the next call works
            s.incoming_requests().await.unwrap();
        }
        sim.shutdown().await;
    }
}

#[tokio::test]
async fn login_rate_limited_waits_five_seconds() {
    let sim = start(configs()[0].clone()).await;
    let c = crate::common::sim::client(&sim, Duration::from_secs(5));
    c.lookup_domain().await.unwrap();
    sim.inject_fault(fault(FaultKind::Status(429), "/login"))
        .await;
    let e = c
        .login(&Credentials::user("ann", "ann-pass"))
        .await
        .unwrap_err();
    assert_eq!(e.status(), Some(429));
    assert_eq!(
        decide(&e, ctx(RequestKind::Login)),
        Decision::RetryAfter(Duration::from_secs(5))
    );
    c.login(&Credentials::user("ann", "ann-pass"))
        .await
        .unwrap();
    sim.shutdown().await;
}

#[tokio::test]
async fn unsafe_post_failing_with_5xx_says_verify_first() {
    let sim = start(configs()[0].clone()).await;
    let (_c, _l, s) = login(&sim, "ann").await;
    s.set_availability(&AvailabilityState::Online, None)
        .await
        .unwrap();
    sim.start_chat(StartChat {
        skill: None,
        visitor_name: "Vic".into(),
        text: Some("hello".into()),
    })
    .await
    .unwrap();
    let chat = s.take_chat().await.unwrap().unwrap();
    sim.inject_fault(fault(FaultKind::Status(503), "/events"))
        .await;
    let e = s.add_line(&chat, &NewLine::plain("hi")).await.unwrap_err();
    assert_eq!(e.status(), Some(503));
    assert!(matches!(
        decide(&e, ctx(RequestKind::NotSafeToRepeat)),
        Decision::VerifyBeforeResend(_)
    ));
    sim.shutdown().await;
}

#[tokio::test]
async fn delay_beyond_timeout_is_a_timeout() {
    let sim = start(configs()[0].clone()).await;
    let c = crate::common::sim::client(&sim, Duration::from_millis(400));
    let login = c
        .login(&Credentials::user("ann", "ann-pass"))
        .await
        .unwrap();
    let s = c.start_agent_session(&login).await.unwrap();
    sim.inject_fault(fault(
        FaultKind::Delay(Duration::from_secs(3)),
        "/availability",
    ))
    .await;
    let e = s.availability().await.unwrap_err();
    assert_eq!(e.transport_kind(), Some(TransportKind::Timeout), "{e:?}");
    assert!(e.is_retryable());
    assert_eq!(e.status(), None);
    sim.shutdown().await;
}

#[tokio::test]
async fn dropped_connection_is_a_transport_error() {
    for cfg in configs() {
        let sim = start(cfg).await;
        let (_c, _l, s) = login(&sim, "ann").await;
        sim.inject_fault(fault(FaultKind::Drop, "/info")).await;
        let e = s.info().await.unwrap_err();
        assert_eq!(e.transport_kind(), Some(TransportKind::Dropped), "{e:?}");
        assert!(e.is_retryable());
        assert!(matches!(
            decide(&e, ctx(RequestKind::NotSafeToRepeat)),
            Decision::VerifyBeforeResend(_)
        ));
        s.info().await.unwrap();
        sim.shutdown().await;
    }
}

#[tokio::test]
async fn malformed_body_is_a_decode_error_with_path_and_raw_body() {
    for cfg in configs() {
        let sim = start(cfg).await;
        let (_c, _l, s) = login(&sim, "ann").await;
        sim.inject_fault(fault(FaultKind::Malformed, "/availability"))
            .await;
        let e = s.availability().await.unwrap_err();
        match &e {
            ApiError::Decode {
                status,
                path,
                raw,
                message,
            } => {
                assert_eq!(*status, 200);
                assert!(!path.is_empty());
                assert!(!raw.is_empty() && serde_json::from_str::<serde_json::Value>(raw).is_err());
                assert!(!message.is_empty());
            }
            other => panic!("{other:?}"),
        }
        assert!(!e.is_retryable());
        assert_eq!(decide(&e, ctx(RequestKind::Read)), Decision::Stop);
        sim.shutdown().await;
    }
}

#[tokio::test]
async fn expired_bearer_is_auth_and_relogin_fixes_it() {
    for cfg in configs() {
        let sim = start(cfg).await;
        let (c, _l, s) = login(&sim, "ann").await;
        sim.inject_fault(Fault {
            kind: FaultKind::ExpireBearer,
            count: 1,
            path_contains: None,
        })
        .await;
        let e = s.incoming_requests().await.unwrap_err();
        assert!(e.is_auth(), "{e:?}");
        assert_eq!(e.status(), Some(401));
        assert!(
            matches!(&e, ApiError::Http { body: ErrorBody::OAuth { problem, .. }, .. } if problem == "token_rejected"),
            "{e:?}"
        );
        assert_eq!(decide(&e, ctx(RequestKind::Read)), Decision::Relogin);
        let login2 = c
            .login(&Credentials::user("ann", "ann-pass"))
            .await
            .unwrap();
        let s2 = c.start_agent_session(&login2).await.unwrap();
        s2.incoming_requests().await.unwrap();
        sim.shutdown().await;
    }
}
