//! Exit codes and one-line messages.

use engine::{EngineError, ErrorCode};
use std::process::ExitCode;

/// Why the CLI stops with a non-zero exit code.
#[derive(Debug)]
pub struct Failure {
    pub code: u8,
    pub message: String,
}

/// Bad arguments (clap uses 2 as well).
pub const USAGE: u8 = 2;
/// Wrong credentials or an expired login.
pub const AUTH: u8 = 3;
/// The server cannot be reached, keeps failing, or its certificate is refused (TLS).
pub const NETWORK: u8 = 4;
/// Anything else.
pub const OTHER: u8 = 1;

impl Failure {
    pub fn usage(message: impl Into<String>) -> Self {
        Self {
            code: USAGE,
            message: message.into(),
        }
    }

    pub fn other(message: impl Into<String>) -> Self {
        Self {
            code: OTHER,
            message: message.into(),
        }
    }

    /// Prints the message and gives the exit code.
    pub fn exit(self) -> ExitCode {
        eprintln!(
            "agent-desk-cli: error: {}",
            self.message.lines().next().unwrap_or("")
        );
        ExitCode::from(self.code)
    }
}

impl From<EngineError> for Failure {
    fn from(e: EngineError) -> Self {
        let code = match e.code {
            ErrorCode::BadCredentials | ErrorCode::AuthExpired | ErrorCode::Blocked => AUTH,
            ErrorCode::Network
            | ErrorCode::Tls
            | ErrorCode::Server
            | ErrorCode::RateLimited
            | ErrorCode::MalformedResponse => NETWORK,
            ErrorCode::InvalidInput | ErrorCode::NotFound => USAGE,
            _ => OTHER,
        };
        Self {
            code,
            message: format!("{:?}: {}", e.code, e.message),
        }
    }
}
