//! The one error type every command returns to the UI.
//!
//! Same JSON shape as the engine's `EngineError` (`{ code, message, retryable }`) with the same closed
//! `code` enum, so the UI explains every failure the same way. Never `Result<T, String>`.

use engine::events::ErrorCode;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// A command's failure as the UI sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, thiserror::Error)]
#[ts(export_to = "../../../ui/src/bindings/")]
#[serde(rename_all = "camelCase")]
#[error("{code:?}: {message}")]
pub struct IpcError {
    /// What went wrong, from a closed list the UI can explain.
    pub code: ErrorCode,
    /// Details for the agent or the log; never contains a secret.
    pub message: String,
    /// Whether trying the same command again may succeed.
    pub retryable: bool,
}

impl IpcError {
    /// An error with `retryable: false`.
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
            retryable: false,
        }
    }

    /// A shell-side bug or an unexpected failure outside the engine.
    pub fn internal(message: impl std::fmt::Display) -> Self {
        Self::new(ErrorCode::Internal, message.to_string())
    }
}

impl From<engine::EngineError> for IpcError {
    fn from(error: engine::EngineError) -> Self {
        Self {
            code: error.code,
            message: error.message,
            retryable: error.retryable,
        }
    }
}

/// What every command returns.
pub type IpcResult<T> = Result<T, IpcError>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_shape_is_pinned() {
        let error = IpcError {
            code: ErrorCode::BadCredentials,
            message: "wrong password".into(),
            retryable: false,
        };
        let json = serde_json::to_value(&error).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"code": "badCredentials", "message": "wrong password", "retryable": false})
        );
        let back: IpcError = serde_json::from_value(json).unwrap();
        assert_eq!(back, error);
    }

    #[test]
    fn every_code_serialises_camel_case() {
        let cases = [
            (ErrorCode::AuthExpired, "authExpired"),
            (ErrorCode::KeychainUnavailable, "keychainUnavailable"),
            (ErrorCode::Network, "network"),
            (ErrorCode::RateLimited, "rateLimited"),
            (ErrorCode::MalformedResponse, "malformedResponse"),
            (ErrorCode::NothingToAccept, "nothingToAccept"),
            (ErrorCode::NotLoggedIn, "notLoggedIn"),
            (ErrorCode::Internal, "internal"),
        ];
        for (code, text) in cases {
            let error = IpcError {
                code,
                message: String::new(),
                retryable: true,
            };
            let json = serde_json::to_value(&error).unwrap();
            assert_eq!(json["code"], text);
            assert_eq!(json["retryable"], true);
        }
    }

    #[test]
    fn engine_errors_keep_code_message_and_retryable() {
        let engine_error = engine::EngineError {
            code: ErrorCode::Server,
            message: "503".into(),
            retryable: true,
        };
        let engine_json = serde_json::to_value(&engine_error).unwrap();
        let ipc: IpcError = engine_error.into();
        assert_eq!(serde_json::to_value(&ipc).unwrap(), engine_json);
    }
}
