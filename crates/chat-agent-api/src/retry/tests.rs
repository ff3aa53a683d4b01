use super::*;
use crate::error::{ErrorBody, TransportKind};

fn http(status: u16) -> ApiError {
    ApiError::Http {
        status,
        body: ErrorBody::Text(String::new()),
        retry_after: None,
    }
}

fn http_retry_after(status: u16, server_secs: u64) -> ApiError {
    ApiError::Http {
        status,
        body: ErrorBody::Text(String::new()),
        retry_after: Some(Duration::from_secs(server_secs)),
    }
}

fn ctx(kind: RequestKind, attempt: u32) -> RetryContext {
    RetryContext {
        kind,
        attempt,
        jitter: 0.0,
    }
}

fn secs(s: u64) -> Duration {
    Duration::from_secs(s)
}

#[test]
fn table() {
    use Decision::*;
    use RequestKind::*;
    let timeout = || ApiError::Transport {
        kind: TransportKind::Timeout,
        message: String::new(),
    };
    let oauth = ApiError::Http {
        status: 401,
        body: ErrorBody::parse("oauth_problem=token_rejected"),
        retry_after: None,
    };
    let oauth_403 = ApiError::Http {
        status: 403,
        body: ErrorBody::parse("oauth_problem=signature_invalid"),
        retry_after: None,
    };
    let decode = ApiError::Decode {
        status: 200,
        path: ".".into(),
        message: String::new(),
        raw: String::new(),
    };
    let rows: Vec<(ApiError, RequestKind, u32, Decision)> = vec![
        (http(400), Read, 1, Stop),
        (http(404), Read, 1, Stop),
        (http(404), NotSafeToRepeat, 1, Stop),
        (http(409), IdempotentWrite, 1, Stop),
        (http(401), Read, 1, Relogin),
        (http(401), NotSafeToRepeat, 1, Relogin),
        (oauth, Read, 3, Relogin),
        (oauth_403, Read, 1, Relogin),
        (http(451), Read, 1, Blocked),
        (http(451), Login, 1, Blocked),
        (http(429), Read, 1, RetryAfter(secs(1))),
        (http(429), Read, 7, RetryAfter(secs(1))),
        (http(429), Login, 1, RetryAfter(secs(5))),
        (http(429), NotSafeToRepeat, 1, VerifyBeforeResend(secs(1))),
        (http(500), Read, 1, RetryAfter(secs(5))),
        (http(503), Read, 2, RetryAfter(secs(10))),
        (http(502), Read, 3, RetryAfter(secs(15))),
        (http(503), Read, 4, RetryAfter(secs(120))),
        (http(503), Read, 5, RetryAfter(secs(240))),
        (http(503), Read, 6, RetryAfter(secs(480))),
        (http(503), Read, 60, RetryAfter(secs(480))),
        (http(503), Read, 0, RetryAfter(secs(5))),
        (http(500), Login, 1, RetryAfter(secs(5))),
        (http(500), IdempotentWrite, 2, RetryAfter(secs(10))),
        (http(500), NotSafeToRepeat, 1, VerifyBeforeResend(secs(5))),
        (http(503), NotSafeToRepeat, 4, VerifyBeforeResend(secs(120))),
        (timeout(), Read, 1, RetryAfter(secs(5))),
        (timeout(), NotSafeToRepeat, 1, VerifyBeforeResend(secs(5))),
        (decode, Read, 1, Stop),
    ];
    for (i, (err, kind, attempt, want)) in rows.into_iter().enumerate() {
        assert_eq!(
            decide(&err, ctx(kind, attempt)),
            want,
            "row {i}: {err:?} {kind:?} #{attempt}"
        );
    }
}

#[test]
fn unsafe_posts_are_never_plain_retries() {
    let errors = [
        http(429),
        http(500),
        http(502),
        http(503),
        http(504),
        ApiError::Transport {
            kind: TransportKind::Dropped,
            message: String::new(),
        },
    ];
    for e in &errors {
        for attempt in 1..10 {
            for jitter in [0.0, 0.5, 0.999] {
                let d = decide(
                    e,
                    RetryContext {
                        kind: RequestKind::NotSafeToRepeat,
                        attempt,
                        jitter,
                    },
                );
                assert!(
                    matches!(d, Decision::VerifyBeforeResend(_)),
                    "{e:?} -> {d:?}"
                );
            }
        }
    }
}

#[test]
fn jitter_adds_at_most_a_fifth_and_never_goes_below_the_minimum() {
    for attempt in 1..12 {
        for jitter in [0.0, 0.1, 0.5, 0.9, 0.9999, 1.0, 7.0, -3.0, f64::NAN] {
            let Decision::RetryAfter(d) = decide(
                &http(503),
                RetryContext {
                    kind: RequestKind::Read,
                    attempt,
                    jitter,
                },
            ) else {
                unreachable!("5xx on a read retries")
            };
            let base = decide(&http(503), ctx(RequestKind::Read, attempt));
            let Decision::RetryAfter(base) = base else {
                unreachable!()
            };
            assert!(d >= base, "{d:?} < {base:?}");
            assert!(d <= base.mul_f64(1.2) + Duration::from_millis(1));
            assert!(d <= MAX_DELAY);
        }
    }
    let Decision::RetryAfter(d) = decide(
        &http(503),
        RetryContext {
            kind: RequestKind::Read,
            attempt: 6,
            jitter: 0.5,
        },
    ) else {
        unreachable!()
    };
    assert_eq!(d, secs(480) + secs(48));
    let Decision::RetryAfter(d) = decide(
        &http(429),
        RetryContext {
            kind: RequestKind::Login,
            attempt: 1,
            jitter: 0.99,
        },
    ) else {
        unreachable!()
    };
    assert!(d >= secs(5) && d < secs(6));
}

#[test]
fn retry_after_lengthens_the_wait_on_429_and_503_only() {
    use Decision::*;
    use RequestKind::*;
    let rows: Vec<(ApiError, RequestKind, u32, Decision)> = vec![
        // 429: the longer of the server's value and the usual minimum
        (http_retry_after(429, 30), Read, 1, RetryAfter(secs(30))),
        (http_retry_after(429, 30), Read, 9, RetryAfter(secs(30))),
        (http_retry_after(429, 0), Read, 1, RetryAfter(secs(1))),
        (http_retry_after(429, 3), Login, 1, RetryAfter(secs(5))),
        (http_retry_after(429, 8), Login, 1, RetryAfter(secs(8))),
        (
            http_retry_after(429, 30),
            IdempotentWrite,
            1,
            RetryAfter(secs(30)),
        ),
        (
            http_retry_after(429, 30),
            NotSafeToRepeat,
            1,
            VerifyBeforeResend(secs(30)),
        ),
        // 503: never sooner than the usual back-off for that attempt
        (http_retry_after(503, 60), Read, 1, RetryAfter(secs(60))),
        (http_retry_after(503, 2), Read, 1, RetryAfter(secs(5))),
        (http_retry_after(503, 60), Read, 4, RetryAfter(secs(120))),
        (http_retry_after(503, 600), Read, 4, RetryAfter(secs(600))),
        (
            http_retry_after(503, 60),
            NotSafeToRepeat,
            2,
            VerifyBeforeResend(secs(60)),
        ),
        // other statuses ignore it
        (http_retry_after(500, 60), Read, 1, RetryAfter(secs(5))),
        (http_retry_after(502, 60), Read, 2, RetryAfter(secs(10))),
        (http_retry_after(400, 60), Read, 1, Stop),
        (http_retry_after(451, 60), Read, 1, Blocked),
        (http_retry_after(401, 60), Read, 1, Relogin),
    ];
    for (i, (err, kind, attempt, want)) in rows.into_iter().enumerate() {
        assert_eq!(
            decide(&err, ctx(kind, attempt)),
            want,
            "row {i}: {err:?} {kind:?} #{attempt}"
        );
    }
}

#[test]
fn retry_after_with_jitter_never_shortens_and_never_exceeds_the_cap() {
    for server in [0u64, 1, 7, 59, 300, 599, 600] {
        for status in [429u16, 503] {
            for attempt in 1..8 {
                for jitter in [0.0, 0.5, 0.9999, 1.0] {
                    let d = decide(
                        &http_retry_after(status, server),
                        RetryContext {
                            kind: RequestKind::Read,
                            attempt,
                            jitter,
                        },
                    );
                    let Decision::RetryAfter(d) = d else {
                        unreachable!("{status} on a read retries: {d:?}")
                    };
                    assert!(d >= secs(server).min(MAX_DELAY), "{status} {server} {d:?}");
                    assert!(d <= MAX_DELAY, "{d:?}");
                }
            }
        }
    }
}
