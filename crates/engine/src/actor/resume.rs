//! Turning a login session into the token kept in the keychain, and that token back into a login
//! session (`LoginSession::parts` / `LoginSession::restore` of the client crate).

use crate::config::LoginRequest;
use crate::secrets::StoredToken;
use chat_agent_api::{ApiClient, Bearer, Csrf, LoginParts, LoginSession, SessionCookie};
use url::Url;

/// The token to keep for the next start.
pub(crate) fn token_of(login: &LoginSession, req: &LoginRequest) -> StoredToken {
    let parts = login.parts();
    StoredToken {
        account: parts.account_id,
        user: req.user.clone(),
        bearer: parts.bearer.expose().to_string(),
        csrf: parts.csrf.expose().to_string(),
        session_id: parts.session_cookie.map(|c| c.expose().to_string()),
        domain: parts.domain.to_string(),
    }
}

/// A login session rebuilt from a stored token (nothing is sent yet), or why the token cannot be
/// used (it belongs to another agent or is damaged: delete it and ask for the password).
pub(crate) fn restore_login(
    client: &ApiClient,
    req: &LoginRequest,
    token: &StoredToken,
) -> Result<LoginSession, String> {
    if (!token.account.is_empty() && token.account != req.account)
        || (!token.user.is_empty() && token.user != req.user)
    {
        return Err("the stored login is for another agent".into());
    }
    let domain = Url::parse(&token.domain)
        .map_err(|_| "the stored login has no usable domain".to_string())?;
    let parts = LoginParts {
        domain,
        account_id: req.account.clone(),
        bearer: Bearer::new(token.bearer.clone()),
        csrf: Csrf::new(token.csrf.clone()),
        session_cookie: token.session_id.clone().map(SessionCookie::new),
        login_name: Some(req.user.clone()),
        session_ttl_ms: None,
    };
    LoginSession::restore(client, parts).map_err(|e| e.to_string())
}
