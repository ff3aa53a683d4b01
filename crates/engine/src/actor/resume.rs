//! Turning a stored token back into a login session, and a login session into a stored token.
//!
//! The client crate does not (yet) offer a way to rebuild a `LoginSession` from its parts, nor to
//! read the `Session_id` cookie; until it does, a stored token cannot be resumed and the engine
//! answers `AuthExpired` (the front end then asks for the password).

use crate::error::EngineError;
use crate::events::ErrorCode;
use crate::secrets::StoredToken;
use chat_agent_api::{ApiClient, LoginSession};

/// The token to keep for the next start.
pub(crate) fn token_of(login: &LoginSession) -> StoredToken {
    StoredToken {
        bearer: login.bearer().expose().to_string(),
        csrf: login.csrf().expose().to_string(),
        session_id: None,
        domain: login.domain().to_string(),
    }
}

/// A login session rebuilt from a stored token.
pub(crate) fn restore_login(
    _client: &ApiClient,
    _token: &StoredToken,
) -> Result<LoginSession, EngineError> {
    Err(EngineError::new(
        ErrorCode::AuthExpired,
        "resuming a stored login is not supported by this client build; the password is needed",
    ))
}
