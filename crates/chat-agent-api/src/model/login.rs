//! Domain lookup and Login Service bodies.

use crate::decode::{OneOrMany, opt_i64_flex, opt_text};
use crate::secret::{Bearer, Csrf};
use serde::Deserialize;

/// One service → domain entry (`baseURI` has no scheme, e.g. `va.agentvep.liveperson.net`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct ServiceBaseUri {
    /// Service name, e.g. `agentVep`.
    #[serde(default)]
    pub service: String,
    /// Account id.
    #[serde(default, deserialize_with = "opt_text")]
    pub account: Option<String>,
    /// Host (and port) of the service.
    #[serde(rename = "baseURI")]
    pub base_uri: String,
}

/// Body of a domain lookup: either one entry or the all-services `baseURIs` list.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(untagged)]
pub enum LookupResponse {
    /// `{"baseURIs": [...]}` (all-services form).
    Many {
        /// Entries.
        #[serde(rename = "baseURIs")]
        base_uris: OneOrMany<ServiceBaseUri>,
    },
    /// `{"service":…,"account":…,"baseURI":…}`.
    One(ServiceBaseUri),
}

impl LookupResponse {
    /// The `baseURI` of `service`.
    pub fn base_uri_of(&self, service: &str) -> Option<&str> {
        match self {
            LookupResponse::One(s) if s.service.is_empty() || s.service == service => {
                Some(&s.base_uri)
            }
            LookupResponse::One(_) => None,
            LookupResponse::Many { base_uris } => base_uris
                .iter()
                .find(|s| s.service == service)
                .map(|s| s.base_uri.as_str()),
        }
    }
}

/// `config` block of the login reply.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LoginConfig {
    /// Login name.
    #[serde(default)]
    pub login_name: Option<String>,
    /// User id (numeric text).
    #[serde(default, deserialize_with = "opt_text")]
    pub user_id: Option<String>,
    /// Server clock, epoch ms.
    #[serde(default, deserialize_with = "opt_i64_flex")]
    pub server_current_time: Option<i64>,
    /// Server time zone name.
    #[serde(default)]
    pub server_time_zone_name: Option<String>,
}

/// `csdsCollectionResponse` block of the login reply.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
pub struct CsdsCollection {
    /// Service → domain entries.
    #[serde(default, rename = "baseURIs")]
    pub base_uris: OneOrMany<ServiceBaseUri>,
}

/// Body of a successful login.
#[derive(Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LoginResponse {
    /// The bearer for Chat Agent API calls.
    pub bearer: Bearer,
    /// CSRF token for refresh/logout.
    pub csrf: Csrf,
    /// Opaque.
    #[serde(default, deserialize_with = "opt_text")]
    pub wsuk: Option<String>,
    /// User and server details.
    #[serde(default)]
    pub config: LoginConfig,
    /// Service domains.
    #[serde(default, rename = "csdsCollectionResponse")]
    pub csds: Option<CsdsCollection>,
    /// Session time-to-live in ms (sent as a string).
    #[serde(default, rename = "sessionTTl", deserialize_with = "opt_i64_flex")]
    pub session_ttl_ms: Option<i64>,
}

impl std::fmt::Debug for LoginResponse {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LoginResponse")
            .field("bearer", &self.bearer)
            .field("csrf", &self.csrf)
            .field("config", &self.config)
            .field("session_ttl_ms", &self.session_ttl_ms)
            .finish_non_exhaustive()
    }
}
