//! Retry decisions after a failed request, as a pure function (spec §8, design §2).
//!
//! LivePerson's guidance: 4xx → fix, don't retry; 429 → wait ≥ 1 s (login ≥ 5 s); 5xx → retry
//! after 5, 10, 15 s, then back off long (2, 4, 8 min); 451 → account or user blocked. A
//! `Retry-After` on a 429 or 503 (RFC 6585, RFC 9110; spec §8 [INF]) can only lengthen the
//! wait: the delay is the longer of the server's value and the one above. Jitter is an input so
//! the function stays pure and testable; pass `rand::random::<f64>()` in production.

use crate::error::ApiError;
use std::time::Duration;

/// What kind of request failed; decides whether it may be sent again unchanged.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RequestKind {
    /// A GET (or the domain lookup): repeating it changes nothing.
    Read,
    /// A write that sets a value (availability, typing, survey answers, refresh): same result
    /// when repeated.
    IdempotentWrite,
    /// Login (429 means wait at least 5 s).
    Login,
    /// A POST that must not happen twice: add line, take chat, transfer, end chat.
    NotSafeToRepeat,
}

/// What the caller should do next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    /// Send the same request again after this delay.
    RetryAfter(Duration),
    /// The request may or may not have taken effect (or was refused but must not be resent
    /// blindly): after this delay, read the state (e.g. the chat's events) and resend only if
    /// it did not happen.
    VerifyBeforeResend(Duration),
    /// The bearer/login was rejected: log in again (then start a new agent session).
    Relogin,
    /// 451: the account or user is blocked; stop and tell the user.
    Blocked,
    /// Don't retry: the request is wrong (4xx) or the reply cannot be understood.
    Stop,
}

/// Inputs to [`decide`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RetryContext {
    /// Kind of the failed request.
    pub kind: RequestKind,
    /// How many times this request has failed so far, counting this failure (1 = first).
    pub attempt: u32,
    /// A number in `[0, 1)`; adds up to [`JITTER_FRACTION`] of the base delay.
    pub jitter: f64,
}

/// Short 5xx/transport delays for attempts 1–3.
pub const SHORT_DELAYS: [Duration; 3] = [
    Duration::from_secs(5),
    Duration::from_secs(10),
    Duration::from_secs(15),
];
/// Long back-off for attempts 4, 5 and 6+ (2, 4, 8 minutes).
pub const LONG_DELAYS: [Duration; 3] = [
    Duration::from_secs(120),
    Duration::from_secs(240),
    Duration::from_secs(480),
];
/// Minimum wait after a 429.
pub const RATE_LIMIT_DELAY: Duration = Duration::from_secs(1);
/// Minimum wait after a 429 on login.
pub const LOGIN_RATE_LIMIT_DELAY: Duration = Duration::from_secs(5);
/// Largest share of the base delay that jitter adds.
pub const JITTER_FRACTION: f64 = 0.2;
/// No delay ever exceeds this.
pub const MAX_DELAY: Duration = Duration::from_secs(600);

/// Decides what to do after `error` failed a request described by `ctx`.
pub fn decide(error: &ApiError, ctx: RetryContext) -> Decision {
    let base = match error {
        ApiError::Http { status: 451, .. } => return Decision::Blocked,
        e if e.is_auth() => return Decision::Relogin,
        ApiError::Http {
            status: 429,
            retry_after,
            ..
        } => {
            let minimum = if ctx.kind == RequestKind::Login {
                LOGIN_RATE_LIMIT_DELAY
            } else {
                RATE_LIMIT_DELAY
            };
            retry_after.map_or(minimum, |server| server.max(minimum))
        }
        ApiError::Http {
            status: 503,
            retry_after: Some(server),
            ..
        } => (*server).max(backoff(ctx.attempt)),
        ApiError::Http { status, .. } if (500..600).contains(status) => backoff(ctx.attempt),
        ApiError::Transport { .. } => backoff(ctx.attempt),
        _ => return Decision::Stop,
    };
    let delay = with_jitter(base, ctx.jitter);
    if ctx.kind == RequestKind::NotSafeToRepeat {
        Decision::VerifyBeforeResend(delay)
    } else {
        Decision::RetryAfter(delay)
    }
}

fn backoff(attempt: u32) -> Duration {
    let i = attempt.max(1) as usize - 1;
    match SHORT_DELAYS.get(i) {
        Some(d) => *d,
        None => {
            let j = (i - SHORT_DELAYS.len()).min(LONG_DELAYS.len() - 1);
            LONG_DELAYS[j]
        }
    }
}

fn with_jitter(base: Duration, jitter: f64) -> Duration {
    let j = if jitter.is_finite() {
        jitter.clamp(0.0, 1.0)
    } else {
        0.0
    };
    let extra = base.mul_f64(JITTER_FRACTION * j);
    (base + extra).min(MAX_DELAY)
}

#[cfg(test)]
mod tests;
