//! The one error type every command returns to the UI: the engine's own `EngineError`.
//!
//! `{ code, message, retryable }` with the closed `ErrorCode` is defined once, in the engine
//! (`engine::EngineError`); the shell returns that very type (named `IpcError` here, as the design
//! calls it) and the UI's `IpcError` is the generated `EngineError` binding. Shell-side failures are
//! built with `IpcError::new` (whose `retryable` follows from the code) or [`internal`]. Never
//! `Result<T, String>`.

use engine::events::ErrorCode;

/// A command's failure as the UI sees it: the engine's error type itself, not a copy of it.
pub type IpcError = engine::EngineError;

/// What every command returns.
pub type IpcResult<T> = Result<T, IpcError>;

/// A shell-side bug or an unexpected failure outside the engine (`internal`, not retryable).
pub fn internal(message: impl std::fmt::Display) -> IpcError {
    IpcError::new(ErrorCode::Internal, message.to_string())
}

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
    fn shell_failures_use_the_engine_rules() {
        let error = internal("demo server missing");
        assert_eq!(error.code, ErrorCode::Internal);
        assert!(!error.retryable);
        assert_eq!(error.message, "demo server missing");
        // The same constructor as the engine's, so the same code means the same `retryable`.
        assert!(IpcError::new(ErrorCode::Storage, "saving settings").retryable);
        assert!(!IpcError::new(ErrorCode::InvalidInput, "server address").retryable);
    }
}
