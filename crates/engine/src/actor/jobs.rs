//! Every periodic job of the loop (refresh, ring check, availability, chat sessions, chat poll,
//! agent-session renewal) keeps its own failure count and next try, so one failing kind of request
//! never holds back another (spec §8 [INF]). `after_failure` is the pure rule that turns a failure
//! into the job's next step; each outbox row uses the same rule for its own retries.

use chat_agent_api::retry::{Decision, RequestKind, RetryContext, decide};
use chat_agent_api::{ApiError, TransportKind};
use std::time::{Duration, Instant};

/// The periodic jobs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Job {
    /// Logging in again after the bearer was refused.
    Relogin,
    Refresh,
    Ringing,
    Availability,
    ChatSessions,
    Poll,
    /// Starting a new agent session after the old one disappeared.
    Renew,
}

impl Job {
    pub const ALL: [Job; 7] = [
        Job::Relogin,
        Job::Refresh,
        Job::Renew,
        Job::Ringing,
        Job::Availability,
        Job::ChatSessions,
        Job::Poll,
    ];

    /// Jobs whose URL is an agent-session resource: a 404 there means the session is gone.
    fn session_level(self) -> bool {
        matches!(self, Job::Ringing | Job::Availability | Job::ChatSessions)
    }
}

/// One job's (or one outbox row's) failures in a row and what the last one was.
#[derive(Debug, Clone, Default)]
pub(crate) struct Backoff {
    pub failures: u32,
    pub next_try: Option<Instant>,
    pub last_error: Option<String>,
}

impl Backoff {
    pub fn failed(&mut self, at: Instant, error: String) {
        self.failures += 1;
        self.next_try = Some(at);
        self.last_error = Some(error);
    }

    pub fn ok(&mut self) {
        *self = Backoff::default();
    }

    pub fn failing(&self) -> bool {
        self.failures > 0
    }
}

/// What a job does after a failure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum After {
    /// Try again after this long.
    Retry(Duration),
    /// The bearer was refused: log in again.
    Relogin,
    /// The agent session is gone while the bearer still works: start a new one.
    RenewSession,
    /// 451: the account or user is blocked.
    Blocked,
}

/// The knobs of the rule.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Policy {
    /// The loop's tick: a refused connection is probed again on the next one.
    pub tick: Duration,
    /// Multiplies the policy's delays (1.0 in production; tests shorten them).
    pub scale: f64,
}

/// Longest wait after a failure that retrying cannot fix by itself (a 4xx, an unreadable reply):
/// it backs off (2, 4, 8 … ticks) instead of hammering, but keeps looking.
const PERSISTENT_CAP: Duration = Duration::from_secs(60);

/// The next step of `job` after its `failures`-th failure in a row (1 = first) with `error`.
///
/// - a refused connection costs the server nothing: probe again next tick, so the desk is back
///   within a tick or two of the server; a first dropped connection is retried next tick too;
/// - 5xx, timeouts and dropped connections: LivePerson's 5/10/15 s then 2/4/8 min (scaled);
/// - 429: the server's `Retry-After` when it sent one, else at least 1 s;
/// - 404 on an agent-session resource: the session is gone;
/// - any other 4xx or an unreadable reply: the same request would fail the same way, so back off
///   (2, 4, 8 … ticks up to a minute) rather than repeat it every tick.
pub(crate) fn after_failure(
    error: &ApiError,
    job: Job,
    failures: u32,
    policy: Policy,
    jitter: f64,
) -> After {
    let scaled = |d: Duration| d.mul_f64(policy.scale.max(0.0));
    match error {
        ApiError::Transport {
            kind: TransportKind::Connect,
            ..
        } => return After::Retry(policy.tick),
        // A pooled connection the server closed (a restart): the first retry goes out on a fresh
        // connection next tick, which is refused or answered; the schedule applies after that.
        ApiError::Transport {
            kind: TransportKind::Dropped,
            ..
        } if failures <= 1 => return After::Retry(policy.tick),
        ApiError::Http { status: 404, .. } if job.session_level() => return After::RenewSession,
        _ => {}
    }
    let kind = match job {
        Job::Relogin => RequestKind::Login,
        Job::Refresh => RequestKind::IdempotentWrite,
        _ => RequestKind::Read,
    };
    let ctx = RetryContext {
        kind,
        attempt: failures,
        jitter,
    };
    match decide(error, ctx) {
        Decision::RetryAfter(d) | Decision::VerifyBeforeResend(d) => After::Retry(scaled(d)),
        Decision::Relogin => After::Relogin,
        Decision::Blocked => After::Blocked,
        Decision::Stop => After::Retry(persistent(failures, policy)),
    }
}

/// 2, 4, 8 … ticks, at most [`PERSISTENT_CAP`] (scaled like every other delay).
fn persistent(failures: u32, policy: Policy) -> Duration {
    let ticks = 1u32 << failures.clamp(1, 16);
    let cap = PERSISTENT_CAP
        .mul_f64(policy.scale.max(0.0))
        .max(policy.tick);
    policy.tick.saturating_mul(ticks).min(cap)
}

/// Caps a chat poll's wait so that no active chat goes unpolled past its `chatTimeout` minus a
/// margin (the server would requeue it): `deadline` is the earliest such instant over the chats.
pub(crate) fn cap_for_chat_timeout(
    wait: Duration,
    now: Instant,
    deadline: Option<Instant>,
) -> Duration {
    match deadline {
        Some(d) => wait.min(d.saturating_duration_since(now)),
        None => wait,
    }
}

/// The margin kept before a chat's `chatTimeout`: a quarter of it, at least 5 s (a request in
/// flight must still reach the server in time).
pub(crate) fn chat_timeout_margin(chat_timeout: Duration) -> Duration {
    (chat_timeout / 4)
        .max(Duration::from_secs(5))
        .min(chat_timeout / 2)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chat_agent_api::ErrorBody;

    const P: Policy = Policy {
        tick: Duration::from_secs(1),
        scale: 1.0,
    };

    fn http(status: u16) -> ApiError {
        ApiError::Http {
            status,
            body: ErrorBody::Text(String::new()),
            retry_after: None,
        }
    }

    fn transport(kind: TransportKind) -> ApiError {
        ApiError::Transport {
            kind,
            message: String::new(),
        }
    }

    #[test]
    fn a_refused_connection_is_probed_every_tick() {
        for n in [1, 2, 5, 50] {
            assert_eq!(
                after_failure(&transport(TransportKind::Connect), Job::Poll, n, P, 0.5),
                After::Retry(P.tick),
                "failure {n}"
            );
        }
    }

    #[test]
    fn server_errors_and_timeouts_follow_5_10_15() {
        for e in [http(503), transport(TransportKind::Timeout)] {
            let waits: Vec<_> = (1..=4)
                .map(|n| after_failure(&e, Job::Ringing, n, P, 0.0))
                .collect();
            assert_eq!(
                waits,
                [5, 10, 15, 120].map(|s| After::Retry(Duration::from_secs(s))),
                "{e}"
            );
        }
        // a dropped connection: once next tick (a stale pooled connection), then the schedule
        let e = transport(TransportKind::Dropped);
        let waits: Vec<_> = (1..=4)
            .map(|n| after_failure(&e, Job::Ringing, n, P, 0.0))
            .collect();
        assert_eq!(
            waits,
            [1, 10, 15, 120].map(|s| After::Retry(Duration::from_secs(s)))
        );
    }

    #[test]
    fn session_gone_relogin_blocked() {
        assert_eq!(
            after_failure(&http(404), Job::Ringing, 1, P, 0.0),
            After::RenewSession
        );
        assert_eq!(
            after_failure(&http(404), Job::Availability, 1, P, 0.0),
            After::RenewSession
        );
        assert_ne!(
            after_failure(&http(404), Job::Poll, 1, P, 0.0),
            After::RenewSession
        );
        assert_eq!(
            after_failure(&http(401), Job::Poll, 1, P, 0.0),
            After::Relogin
        );
        assert_eq!(
            after_failure(&http(451), Job::Poll, 1, P, 0.0),
            After::Blocked
        );
    }

    #[test]
    fn persistent_client_errors_back_off_up_to_a_minute() {
        let waits: Vec<_> = (1..=8)
            .map(|n| match after_failure(&http(400), Job::Poll, n, P, 0.0) {
                After::Retry(d) => d.as_secs(),
                other => unreachable!("{other:?}"),
            })
            .collect();
        assert_eq!(waits, [2, 4, 8, 16, 32, 60, 60, 60]);
    }

    #[test]
    fn rate_limit_honours_retry_after() {
        let e = ApiError::Http {
            status: 429,
            body: ErrorBody::Text(String::new()),
            retry_after: Some(Duration::from_secs(7)),
        };
        match after_failure(&e, Job::Poll, 1, P, 0.0) {
            After::Retry(d) => assert!(d >= Duration::from_secs(7), "{d:?}"),
            other => unreachable!("{other:?}"),
        }
        match after_failure(&http(429), Job::Poll, 1, P, 0.0) {
            After::Retry(d) => assert!(d >= Duration::from_secs(1) && d < Duration::from_secs(5)),
            other => unreachable!("{other:?}"),
        }
    }

    #[test]
    fn chat_timeout_caps_the_wait() {
        let now = Instant::now();
        let d = now + Duration::from_secs(12);
        assert_eq!(
            cap_for_chat_timeout(Duration::from_secs(120), now, Some(d)),
            Duration::from_secs(12)
        );
        assert_eq!(
            cap_for_chat_timeout(Duration::from_secs(5), now, Some(d)),
            Duration::from_secs(5)
        );
        assert_eq!(
            cap_for_chat_timeout(Duration::from_secs(5), now, Some(now)),
            Duration::ZERO
        );
        assert_eq!(
            chat_timeout_margin(Duration::from_secs(40)),
            Duration::from_secs(10)
        );
        assert_eq!(
            chat_timeout_margin(Duration::from_secs(8)),
            Duration::from_secs(4)
        );
    }
}
