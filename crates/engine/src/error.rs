//! The engine's error type: a closed code, a message for people, and whether trying again may help.

use crate::events::ErrorCode;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// An error a front end can show; the desktop shell returns this same type from its commands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, thiserror::Error)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "../../../ui/src/bindings/")]
#[error("{code:?}: {message}")]
pub struct EngineError {
    /// What went wrong, from a closed set.
    pub code: ErrorCode,
    /// A sentence for the agent (never holds a secret).
    pub message: String,
    /// Whether the same action may succeed later.
    pub retryable: bool,
}

impl EngineError {
    /// Builds an error; `retryable` follows from the code.
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        let retryable = matches!(
            code,
            ErrorCode::Network
                | ErrorCode::Server
                | ErrorCode::RateLimited
                | ErrorCode::MalformedResponse
                | ErrorCode::Storage
        );
        Self {
            code,
            message: message.into(),
            retryable,
        }
    }

    /// Not logged in.
    pub fn not_logged_in() -> Self {
        Self::new(ErrorCode::NotLoggedIn, "not logged in")
    }

    /// The engine task is gone.
    pub fn stopped() -> Self {
        Self::new(ErrorCode::Internal, "the engine has stopped")
    }
}

impl From<rusqlite::Error> for EngineError {
    fn from(e: rusqlite::Error) -> Self {
        Self::new(ErrorCode::Storage, format!("local storage: {e}"))
    }
}
