//! Turning a failed request into what the agent sees (an error code) and what the loop does next.

use crate::error::EngineError;
use crate::events::ErrorCode;
use chat_agent_api::{ApiError, TransportKind};

/// The closed error code of an API failure.
pub(crate) fn code_of(e: &ApiError) -> ErrorCode {
    match e {
        ApiError::Transport { .. } => ErrorCode::Network,
        ApiError::Http { status: 429, .. } => ErrorCode::RateLimited,
        ApiError::Http { status: 451, .. } => ErrorCode::Blocked,
        ApiError::Http { status: 404, .. } => ErrorCode::NotFound,
        e if e.is_auth() => ErrorCode::AuthExpired,
        ApiError::Http { status, .. } if *status >= 500 => ErrorCode::Server,
        ApiError::Http { .. } => ErrorCode::InvalidInput,
        ApiError::ChatError { .. } | ApiError::Decode { .. } | ApiError::Missing { .. } => {
            ErrorCode::MalformedResponse
        }
        ApiError::Tls { .. } | ApiError::Downgrade { .. } => ErrorCode::Tls,
        ApiError::InsecureUrl { .. }
        | ApiError::InvalidUrl { .. }
        | ApiError::InvalidRootCertificate { .. } => ErrorCode::InvalidInput,
    }
}

/// An `EngineError` for an API failure (the message never holds a secret: the client's errors
/// carry no headers).
pub(crate) fn engine_error(e: &ApiError) -> EngineError {
    EngineError::new(code_of(e), short(&e.to_string()))
}

/// Error text cut to one short line (bodies can be long).
pub(crate) fn short(s: &str) -> String {
    let line = s.lines().next().unwrap_or("");
    line.chars().take(240).collect()
}

/// How a failed add-line may have ended on the server.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SendOutcome {
    /// Certainly not applied (connect refused, 429, auth): send again later.
    NotApplied,
    /// May have been applied (timeout, dropped, 5xx, unreadable 2xx): check the chat first.
    Ambiguous,
    /// Refused for good (4xx): the agent must act.
    Refused,
}

/// Classifies an add-line failure.
pub(crate) fn send_outcome(e: &ApiError) -> SendOutcome {
    match e {
        ApiError::Transport {
            kind: TransportKind::Connect,
            ..
        } => SendOutcome::NotApplied,
        ApiError::Transport { .. } => SendOutcome::Ambiguous,
        e if e.is_auth() => SendOutcome::NotApplied,
        ApiError::Http { status: 429, .. } => SendOutcome::NotApplied,
        ApiError::Http { status, .. } if *status >= 500 => SendOutcome::Ambiguous,
        ApiError::Http { .. } => SendOutcome::Refused,
        ApiError::ChatError { .. } | ApiError::Decode { .. } | ApiError::Missing { .. } => {
            SendOutcome::Ambiguous
        }
        // The handshake failed before any byte of the request left.
        ApiError::Tls { .. } => SendOutcome::NotApplied,
        ApiError::InsecureUrl { .. }
        | ApiError::InvalidUrl { .. }
        | ApiError::InvalidRootCertificate { .. }
        | ApiError::Downgrade { .. } => SendOutcome::Refused,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chat_agent_api::ErrorBody;

    fn http(status: u16) -> ApiError {
        ApiError::Http {
            status,
            body: ErrorBody::Text(String::new()),
            retry_after: None,
        }
    }

    #[test]
    fn classifies_send_failures() {
        assert_eq!(send_outcome(&http(503)), SendOutcome::Ambiguous);
        assert_eq!(send_outcome(&http(429)), SendOutcome::NotApplied);
        assert_eq!(send_outcome(&http(401)), SendOutcome::NotApplied);
        assert_eq!(send_outcome(&http(400)), SendOutcome::Refused);
        let t = |kind| ApiError::Transport {
            kind,
            message: String::new(),
        };
        assert_eq!(
            send_outcome(&t(TransportKind::Timeout)),
            SendOutcome::Ambiguous
        );
        assert_eq!(
            send_outcome(&t(TransportKind::Dropped)),
            SendOutcome::Ambiguous
        );
        assert_eq!(
            send_outcome(&t(TransportKind::Connect)),
            SendOutcome::NotApplied
        );
    }

    #[test]
    fn codes() {
        assert_eq!(code_of(&http(503)), ErrorCode::Server);
        assert_eq!(code_of(&http(429)), ErrorCode::RateLimited);
        assert_eq!(code_of(&http(401)), ErrorCode::AuthExpired);
    }
}
