//! `ApiClient`: domain lookup and the Login Service (login, refresh, logout).

use crate::error::ApiError;
use crate::model::{LoginConfig, LoginResponse, LookupResponse, ServiceBaseUri};
use crate::secret::{Bearer, Csrf, Password, SessionCookie};
use crate::transport::{TlsSettings, Transport, Verb};
use crate::url_rules::{base_from_uri, check_scheme, child};
use serde_json::json;
use std::fmt;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use url::Url;

/// Default request timeout.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

/// Service name of the Chat Agent API in domain lookups.
pub const AGENT_VEP: &str = "agentVep";

/// Which domain-lookup URL form to use (spec §3.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum LookupForm {
    /// `/api/account/{acc}/service/agentVep/baseURI.json` (Domain API).
    #[default]
    DomainApi,
    /// `/csdr/account/{acc}/service/agentVep/baseURI.json` (sample app).
    Csdr,
    /// `/api/account/{acc}/service/baseURI.json`: all services, pick `agentVep`.
    AllServices,
}

/// Login credentials.
#[derive(Clone)]
pub enum Credentials {
    /// Agent user name and password.
    User {
        /// Login name.
        username: String,
        /// Password.
        password: Password,
    },
    /// Application (bot) login with an app key.
    AppKey {
        /// Login name of the bot user.
        username: String,
        /// App key.
        app_key: String,
        /// App secret.
        secret: Password,
        /// Access token.
        access_token: String,
        /// Access token secret.
        access_token_secret: Password,
    },
}

impl Credentials {
    /// User/password credentials.
    pub fn user(username: impl Into<String>, password: impl Into<String>) -> Self {
        Credentials::User {
            username: username.into(),
            password: Password::new(password),
        }
    }

    fn body(&self) -> serde_json::Value {
        match self {
            Credentials::User { username, password } => {
                json!({"username": username, "password": password.expose()})
            }
            Credentials::AppKey {
                username,
                app_key,
                secret,
                access_token,
                access_token_secret,
            } => json!({
                "username": username,
                "appKey": app_key,
                "secret": secret.expose(),
                "accessToken": access_token,
                "accessTokenSecret": access_token_secret.expose(),
            }),
        }
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Credentials::User { username, .. } => f
                .debug_struct("User")
                .field("username", username)
                .finish_non_exhaustive(),
            Credentials::AppKey { username, .. } => f
                .debug_struct("AppKey")
                .field("username", username)
                .finish_non_exhaustive(),
        }
    }
}

/// Entry point: knows the lookup base and the account; performs lookup and login.
#[derive(Clone)]
pub struct ApiClient {
    lookup_base: Url,
    account_id: String,
    timeout: Duration,
    // Shared by clones, so lookup and login work through `&self`.
    domain: Arc<Mutex<Option<Url>>>,
    transport: Transport,
}

impl fmt::Debug for ApiClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ApiClient")
            .field("lookup_base", &self.lookup_base.as_str())
            .field("account_id", &self.account_id)
            .field("timeout", &self.timeout)
            .field("domain", &self.domain().map(String::from))
            .finish()
    }
}

impl ApiClient {
    /// A client for `account_id` whose domain lookup goes to `lookup_base` (e.g.
    /// `https://api.liveperson.net/`, or the simulator's `http://127.0.0.1:P`).
    pub fn new(lookup_base: Url, account_id: impl Into<String>) -> Result<Self, ApiError> {
        Self::with_timeout(lookup_base, account_id, DEFAULT_TIMEOUT)
    }

    /// Like [`Self::new`] with a request timeout (applies to every later session too).
    pub fn with_timeout(
        lookup_base: Url,
        account_id: impl Into<String>,
        timeout: Duration,
    ) -> Result<Self, ApiError> {
        Self::builder(lookup_base, account_id)
            .timeout(timeout)
            .build()
    }

    /// A builder: timeout and extra trusted root certificates (for a server whose certificate
    /// is signed by a private CA, e.g. `agent-desk-sim --tls`).
    pub fn builder(lookup_base: Url, account_id: impl Into<String>) -> ApiClientBuilder {
        ApiClientBuilder {
            lookup_base,
            account_id: account_id.into(),
            timeout: DEFAULT_TIMEOUT,
            extra_roots_pem: Vec::new(),
        }
    }

    /// Skips the lookup: use this agentVep base URL (checked by the scheme rule, and https
    /// when the lookup base is https).
    pub fn set_domain(&self, domain: Url) -> Result<(), ApiError> {
        check_scheme(&domain)?;
        self.check_no_downgrade(&domain)?;
        *self.domain_slot() = Some(domain);
        Ok(())
    }

    /// A client that started on https refuses any http URL (also a loopback one).
    fn check_no_downgrade(&self, url: &Url) -> Result<(), ApiError> {
        if self.lookup_base.scheme() == "https" && url.scheme() != "https" {
            return Err(ApiError::Downgrade {
                url: url.to_string(),
            });
        }
        Ok(())
    }

    fn domain_slot(&self) -> std::sync::MutexGuard<'_, Option<Url>> {
        // A poisoned lock only means another thread panicked mid-assignment of a Url.
        self.domain.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The account id.
    pub fn account_id(&self) -> &str {
        &self.account_id
    }

    /// The request timeout.
    pub fn timeout(&self) -> Duration {
        self.timeout
    }

    /// The agentVep base URL, once looked up or set.
    pub fn domain(&self) -> Option<Url> {
        self.domain_slot().clone()
    }

    /// Domain lookup with the default form; remembers and returns the agentVep base URL.
    pub async fn lookup_domain(&self) -> Result<Url, ApiError> {
        self.lookup_domain_with(LookupForm::default()).await
    }

    /// Domain lookup with a given URL form.
    pub async fn lookup_domain_with(&self, form: LookupForm) -> Result<Url, ApiError> {
        let acc = self.account_id.as_str();
        let segments: Vec<&str> = match form {
            LookupForm::DomainApi => {
                vec!["api", "account", acc, "service", AGENT_VEP, "baseURI.json"]
            }
            LookupForm::Csdr => vec!["csdr", "account", acc, "service", AGENT_VEP, "baseURI.json"],
            LookupForm::AllServices => vec!["api", "account", acc, "service", "baseURI.json"],
        };
        let mut url = child(&self.lookup_base, &segments)?;
        url.query_pairs_mut().append_pair("version", "1.0");
        let reply = self
            .transport
            .send(Verb::Get, &url, None, None, false)
            .await?;
        let parsed: LookupResponse = reply.json()?;
        let base_uri = parsed.base_uri_of(AGENT_VEP).ok_or(ApiError::Missing {
            status: reply.status,
            what: "agentVep baseURI",
            raw: reply.body.clone(),
        })?;
        let domain = base_from_uri(base_uri, &self.lookup_base)?;
        *self.domain_slot() = Some(domain.clone());
        Ok(domain)
    }

    fn account_url(&self, domain: &Url, tail: &[&str]) -> Result<Url, ApiError> {
        let mut segs = vec!["api", "account", self.account_id.as_str()];
        segs.extend_from_slice(tail);
        child(domain, &segs)
    }

    /// Logs in (user/password or app key). Looks the domain up first if needed.
    pub async fn login(&self, credentials: &Credentials) -> Result<LoginSession, ApiError> {
        let known = self.domain();
        let domain = match known {
            Some(d) => d,
            None => self.lookup_domain().await?,
        };
        let mut url = self.account_url(&domain, &["login"])?;
        url.query_pairs_mut().append_pair("v", "1.3");
        let transport = self.transport.fresh()?;
        let body = credentials.body();
        let reply = transport
            .send(Verb::Post, &url, None, Some(&body), true)
            .await?;
        let parsed: LoginResponse = reply.json()?;
        let services = parsed
            .csds
            .as_ref()
            .map(|c| c.base_uris.as_slice().to_vec())
            .unwrap_or_default();
        tracing::info!(account = %self.account_id, "logged in");
        Ok(LoginSession {
            domain,
            account_id: self.account_id.clone(),
            bearer: parsed.bearer,
            csrf: parsed.csrf,
            config: parsed.config,
            session_ttl_ms: parsed.session_ttl_ms,
            services,
            transport,
        })
    }

    /// Refreshes the login (call every 3–5 minutes). The bearer stays the same.
    pub async fn refresh(&self, login: &LoginSession) -> Result<(), ApiError> {
        self.login_service_call(login, "refresh").await
    }

    /// Logs out (closes the login and its agent sessions on the server).
    pub async fn logout(&self, login: &LoginSession) -> Result<(), ApiError> {
        self.login_service_call(login, "logout").await
    }

    async fn login_service_call(&self, login: &LoginSession, op: &str) -> Result<(), ApiError> {
        let mut url = self.account_url(&login.domain, &[op])?;
        url.query_pairs_mut().append_pair("v", "1.3");
        let body = json!({"csrf": login.csrf.expose()});
        login
            .transport
            .send(Verb::Post, &url, None, Some(&body), true)
            .await?;
        Ok(())
    }

    /// Starts an agent session (`POST agentSession`), with its own cookie jar.
    pub async fn start_agent_session(
        &self,
        login: &LoginSession,
    ) -> Result<crate::AgentSession, ApiError> {
        crate::session::AgentSession::start(login).await
    }
}

/// Builds an [`ApiClient`]: see [`ApiClient::builder`].
#[derive(Clone)]
pub struct ApiClientBuilder {
    lookup_base: Url,
    account_id: String,
    timeout: Duration,
    extra_roots_pem: Vec<Vec<u8>>,
}

impl fmt::Debug for ApiClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ApiClientBuilder")
            .field("lookup_base", &self.lookup_base.as_str())
            .field("account_id", &self.account_id)
            .field("timeout", &self.timeout)
            .field("extra_roots_pem", &self.extra_roots_pem.len())
            .finish()
    }
}

impl ApiClientBuilder {
    /// Request timeout (default [`DEFAULT_TIMEOUT`]); applies to every later session too.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Extra trusted root certificates, PEM (one or several `CERTIFICATE` blocks), added to
    /// the built-in roots. Certificates are checked exactly as for any other root: this relaxes
    /// nothing (there is no way to accept an invalid certificate). May be called more than once.
    pub fn extra_root_certificates_pem(mut self, pem: impl Into<Vec<u8>>) -> Self {
        self.extra_roots_pem.push(pem.into());
        self
    }

    /// The client. Fails with [`ApiError::InsecureUrl`] / [`ApiError::InvalidUrl`] for a lookup
    /// base the scheme rule refuses, and [`ApiError::InvalidRootCertificate`] for extra roots
    /// that hold no certificate or one that cannot be read.
    pub fn build(self) -> Result<ApiClient, ApiError> {
        check_scheme(&self.lookup_base)?;
        let mut extra_roots = Vec::new();
        for pem in &self.extra_roots_pem {
            extra_roots.extend(parse_roots(pem)?);
        }
        let tls = TlsSettings {
            extra_roots,
            https_only: self.lookup_base.scheme() == "https",
        };
        Ok(ApiClient {
            lookup_base: self.lookup_base,
            account_id: self.account_id,
            timeout: self.timeout,
            domain: Arc::new(Mutex::new(None)),
            transport: Transport::new(self.timeout, tls)?,
        })
    }
}

/// PEM → certificates: at least one `CERTIFICATE` block, each one a certificate rustls can
/// use as a root.
fn parse_roots(pem: &[u8]) -> Result<Vec<reqwest::Certificate>, ApiError> {
    let text = std::str::from_utf8(pem).map_err(|_| ApiError::InvalidRootCertificate {
        reason: "not PEM text (not UTF-8)".into(),
    })?;
    let blocks = text.matches("-----BEGIN CERTIFICATE-----").count();
    if blocks == 0 {
        return Err(ApiError::InvalidRootCertificate {
            reason: "no PEM CERTIFICATE block found".into(),
        });
    }
    let certs = reqwest::Certificate::from_pem_bundle(pem).map_err(|e| {
        ApiError::InvalidRootCertificate {
            reason: format!("cannot read the PEM certificates: {e}"),
        }
    })?;
    if certs.len() != blocks {
        return Err(ApiError::InvalidRootCertificate {
            reason: format!(
                "{blocks} CERTIFICATE block(s), {} readable certificate(s)",
                certs.len()
            ),
        });
    }
    // Each one must be a certificate a root store takes (reqwest only checks this when the
    // client is built; check here to name the problem).
    for (i, cert) in certs.iter().enumerate() {
        reqwest::Client::builder()
            .add_root_certificate(cert.clone())
            .build()
            .map_err(|e| ApiError::InvalidRootCertificate {
                reason: format!("certificate {} cannot be a trusted root: {e}", i + 1),
            })?;
    }
    Ok(certs)
}

/// Name of the Login Service's session cookie.
const SESSION_COOKIE: &str = "Session_id";

/// RFC 6265 `cookie-octet`s, at least one.
fn valid_cookie_value(v: &str) -> bool {
    !v.is_empty()
        && v.bytes()
            .all(|b| b.is_ascii_graphic() && !matches!(b, b'"' | b',' | b';' | b'\\'))
}

/// The parts of a login that survive a restart: see [`LoginSession::parts`] and
/// [`LoginSession::restore`]. `Debug` never shows the bearer, CSRF token or cookie.
#[derive(Clone)]
pub struct LoginParts {
    /// The agentVep base URL the login was made against.
    pub domain: Url,
    /// The account id.
    pub account_id: String,
    /// The bearer.
    pub bearer: Bearer,
    /// The CSRF token (refresh and logout send it).
    pub csrf: Csrf,
    /// The `Session_id` cookie value (refresh and logout send it).
    pub session_cookie: Option<SessionCookie>,
    /// Login name from the login reply, if known.
    pub login_name: Option<String>,
    /// `sessionTTl` in ms, if known.
    pub session_ttl_ms: Option<i64>,
}

impl fmt::Debug for LoginParts {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LoginParts")
            .field("domain", &self.domain.as_str())
            .field("account_id", &self.account_id)
            .field("bearer", &self.bearer)
            .field("csrf", &self.csrf)
            .field("session_cookie", &self.session_cookie)
            .field("login_name", &self.login_name)
            .field("session_ttl_ms", &self.session_ttl_ms)
            .finish()
    }
}

/// A logged-in user: bearer, CSRF token and the `Session_id` cookie (in its own jar). Clones
/// share the jar.
#[derive(Clone)]
pub struct LoginSession {
    pub(crate) domain: Url,
    pub(crate) account_id: String,
    pub(crate) bearer: Bearer,
    pub(crate) csrf: Csrf,
    pub(crate) config: LoginConfig,
    pub(crate) session_ttl_ms: Option<i64>,
    pub(crate) services: Vec<ServiceBaseUri>,
    pub(crate) transport: Transport,
}

impl fmt::Debug for LoginSession {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LoginSession")
            .field("domain", &self.domain.as_str())
            .field("account_id", &self.account_id)
            .field("bearer", &self.bearer)
            .field("csrf", &self.csrf)
            .field("login_name", &self.config.login_name)
            .field("session_ttl_ms", &self.session_ttl_ms)
            .field("session_cookie", &self.session_cookie())
            .finish_non_exhaustive()
    }
}

impl LoginSession {
    /// The bearer (secret).
    pub fn bearer(&self) -> &Bearer {
        &self.bearer
    }

    /// The CSRF token (secret).
    pub fn csrf(&self) -> &Csrf {
        &self.csrf
    }

    /// The agentVep base URL this login used.
    pub fn domain(&self) -> &Url {
        &self.domain
    }

    /// The account id.
    pub fn account_id(&self) -> &str {
        &self.account_id
    }

    /// User details from the login reply.
    pub fn config(&self) -> &LoginConfig {
        &self.config
    }

    /// Login time-to-live in ms (`sessionTTl`).
    pub fn session_ttl(&self) -> Option<Duration> {
        self.session_ttl_ms
            .and_then(|ms| u64::try_from(ms).ok())
            .map(Duration::from_millis)
    }

    /// Service → domain entries from `csdsCollectionResponse`.
    pub fn services(&self) -> &[ServiceBaseUri] {
        &self.services
    }

    /// Whether the Login Service set a `Session_id` cookie (needed for refresh/logout).
    pub fn has_session_cookie(&self) -> bool {
        self.session_cookie().is_some()
    }

    /// The value of the `Session_id` cookie refresh and logout send (a credential: keep it
    /// where the bearer is kept). `None` when the Login Service set none.
    pub fn session_cookie(&self) -> Option<SessionCookie> {
        let acc = self.account_id.as_str();
        child(&self.domain, &["api", "account", acc, "refresh"])
            .ok()
            .and_then(|u| self.transport.cookie(&u, SESSION_COOKIE))
            .map(SessionCookie::new)
    }

    /// Everything [`Self::restore`] needs to rebuild this login in another process.
    pub fn parts(&self) -> LoginParts {
        LoginParts {
            domain: self.domain.clone(),
            account_id: self.account_id.clone(),
            bearer: self.bearer.clone(),
            csrf: self.csrf.clone(),
            session_cookie: self.session_cookie(),
            login_name: self.config.login_name.clone(),
            session_ttl_ms: self.session_ttl_ms,
        }
    }

    /// Rebuilds a login from stored parts (e.g. after a restart), for use with `client`:
    /// [`ApiClient::refresh`], [`ApiClient::logout`] and [`ApiClient::start_agent_session`]
    /// then work as with a fresh login (the `Session_id` cookie goes into the new login's jar
    /// for the domain). Nothing is sent; whether the bearer still works shows on the first call
    /// (`refresh` answers 401 → [`ApiError::is_auth`]).
    ///
    /// Fails with [`ApiError::InsecureUrl`] / [`ApiError::InvalidUrl`] for a domain the scheme
    /// rule refuses, an account other than the client's, or a cookie value that cannot be sent.
    pub fn restore(client: &ApiClient, parts: LoginParts) -> Result<LoginSession, ApiError> {
        check_scheme(&parts.domain)?;
        client.check_no_downgrade(&parts.domain)?;
        if parts.account_id != client.account_id {
            return Err(ApiError::InvalidUrl {
                url: parts.domain.to_string(),
                reason: format!(
                    "the stored login is for account {}, the client for account {}",
                    parts.account_id, client.account_id
                ),
            });
        }
        let transport = client.transport.fresh()?;
        if let Some(cookie) = &parts.session_cookie {
            if !valid_cookie_value(cookie.expose()) {
                return Err(ApiError::InvalidUrl {
                    url: parts.domain.to_string(),
                    reason: "the stored Session_id cookie value cannot be sent".into(),
                });
            }
            transport.add_cookie(&parts.domain, SESSION_COOKIE, cookie.expose());
        }
        if client.domain().is_none() {
            *client.domain_slot() = Some(parts.domain.clone());
        }
        tracing::info!(account = %parts.account_id, "login restored");
        Ok(LoginSession {
            domain: parts.domain,
            account_id: parts.account_id,
            bearer: parts.bearer,
            csrf: parts.csrf,
            config: LoginConfig {
                login_name: parts.login_name,
                ..LoginConfig::default()
            },
            session_ttl_ms: parts.session_ttl_ms,
            services: Vec::new(),
            transport,
        })
    }

    pub(crate) fn timeout_transport(&self) -> Result<Transport, ApiError> {
        self.transport.fresh()
    }
}
