//! Retrying the CLI's own one-off requests (the login, setting the availability, ending a chat) as
//! spec §8 says: a 5xx or a lost connection is tried again after 5, 10 and 15 s, a 429 after 1 s;
//! after the third retry the error stands (exit 4). Lines go through the engine's outbox, which
//! has its own back-off.

use chat_agent_api::retry::{RATE_LIMIT_DELAY, SHORT_DELAYS};
use engine::{EngineError, ErrorCode};
use std::future::Future;
use std::time::Duration;

/// How many times a failed request is sent again before its error stands.
pub const RETRIES: u32 = 3;

/// The wait before retry number `retry` (1 = the first) after `error`; `None` means give up:
/// the error is not worth retrying (4xx, bad credentials, …) or the retries are used up.
pub fn delay(error: &EngineError, retry: u32) -> Option<Duration> {
    if !error.retryable || retry == 0 || retry > RETRIES {
        return None;
    }
    if error.code == ErrorCode::RateLimited {
        return Some(RATE_LIMIT_DELAY);
    }
    let i = usize::try_from(retry - 1).ok()?;
    SHORT_DELAYS.get(i).copied()
}

/// Runs `call(attempt)` (attempt 1, 2, …) until it succeeds, fails for good or has been retried
/// [`RETRIES`] times, waiting [`delay`] in between; every retry is logged on stderr.
pub async fn retrying<T, Call, Fut>(what: &str, call: Call) -> Result<T, EngineError>
where
    Call: FnMut(u32) -> Fut,
    Fut: Future<Output = Result<T, EngineError>>,
{
    retrying_with(what, call, tokio::time::sleep).await
}

/// [`retrying`] with the waiting passed in (tests count the waits instead of sleeping).
async fn retrying_with<T, Call, Fut, Sleep, Slept>(
    what: &str,
    mut call: Call,
    mut sleep: Sleep,
) -> Result<T, EngineError>
where
    Call: FnMut(u32) -> Fut,
    Fut: Future<Output = Result<T, EngineError>>,
    Sleep: FnMut(Duration) -> Slept,
    Slept: Future<Output = ()>,
{
    let mut attempt = 1;
    loop {
        let error = match call(attempt).await {
            Ok(v) => return Ok(v),
            Err(e) => e,
        };
        let Some(wait) = delay(&error, attempt) else {
            if error.retryable {
                tracing::warn!(request = what, code = ?error.code, error = %error.message, retries = RETRIES, "giving up");
            }
            return Err(error);
        };
        tracing::warn!(
            request = what,
            code = ?error.code,
            error = %error.message,
            retry = attempt,
            of = RETRIES,
            wait = ?wait,
            "request failed; retrying"
        );
        sleep(wait).await;
        attempt += 1;
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use std::cell::RefCell;

    fn err(code: ErrorCode) -> EngineError {
        EngineError::new(code, "x")
    }

    #[test]
    fn server_errors_wait_5_10_15_then_give_up() {
        for code in [ErrorCode::Server, ErrorCode::Network] {
            let e = err(code);
            let waits: Vec<_> = (1..=4).map(|n| delay(&e, n)).collect();
            assert_eq!(
                waits,
                [
                    Some(Duration::from_secs(5)),
                    Some(Duration::from_secs(10)),
                    Some(Duration::from_secs(15)),
                    None
                ],
                "{code:?}"
            );
        }
    }

    #[test]
    fn rate_limited_waits_at_least_a_second() {
        let e = err(ErrorCode::RateLimited);
        for n in 1..=RETRIES {
            assert!(delay(&e, n).unwrap() >= Duration::from_secs(1));
        }
        assert_eq!(delay(&e, RETRIES + 1), None);
    }

    #[test]
    fn errors_that_retrying_cannot_fix_stop_at_once() {
        for code in [
            ErrorCode::BadCredentials,
            ErrorCode::AuthExpired,
            ErrorCode::Blocked,
            ErrorCode::NotFound,
            ErrorCode::InvalidInput,
            ErrorCode::NotLoggedIn,
        ] {
            assert_eq!(delay(&err(code), 1), None, "{code:?}");
        }
        assert_eq!(delay(&err(ErrorCode::Server), 0), None);
    }

    /// Runs `retrying_with` over `answers` (one per attempt); gives the result, the attempts made
    /// and the waits.
    fn run(answers: Vec<Result<u8, EngineError>>) -> (Result<u8, EngineError>, u32, Vec<u64>) {
        let waits = RefCell::new(Vec::new());
        let attempts = RefCell::new(0);
        let rt = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        let result = rt.block_on(retrying_with(
            "test",
            |n| {
                *attempts.borrow_mut() = n;
                let answer = answers[usize::try_from(n - 1).unwrap()].clone();
                async move { answer }
            },
            |d| {
                waits.borrow_mut().push(d.as_secs());
                async {}
            },
        ));
        (result, attempts.into_inner(), waits.into_inner())
    }

    #[test]
    fn one_503_is_retried_after_5_s() {
        let (r, attempts, waits) = run(vec![Err(err(ErrorCode::Server)), Ok(7)]);
        assert_eq!(r, Ok(7));
        assert_eq!((attempts, waits), (2, vec![5]));
    }

    #[test]
    fn gives_up_after_the_third_retry_with_the_network_exit_code() {
        let (r, attempts, waits) = run(vec![Err(err(ErrorCode::Server)); 5]);
        assert_eq!((attempts, waits), (4, vec![5, 10, 15]));
        let failure = crate::fail::Failure::from(r.unwrap_err());
        assert_eq!(failure.code, crate::fail::NETWORK);
    }

    #[test]
    fn a_4xx_is_not_retried() {
        let (r, attempts, waits) = run(vec![Err(err(ErrorCode::InvalidInput)), Ok(1)]);
        assert_eq!(r.unwrap_err().code, ErrorCode::InvalidInput);
        assert_eq!((attempts, waits), (1, vec![]));
    }
}
