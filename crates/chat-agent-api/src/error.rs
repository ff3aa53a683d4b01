//! The one error type of the crate, and parsing of server error bodies.

use serde::Deserialize;

/// What a non-2xx reply carried.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ErrorBody {
    /// `{"error":{time,message,internalCode,responseStatus}}` or the top-level
    /// `{"error": "...", "internalCode": n}` variant.
    Json(JsonError),
    /// `oauth_problem=token_rejected&oauth_problem_advice=…` (agentVep auth failures).
    OAuth {
        /// e.g. `token_rejected`, `signature_invalid`.
        problem: String,
        /// Human advice, if present.
        advice: Option<String>,
    },
    /// Anything else, verbatim (may be empty).
    Text(String),
}

/// A JSON error body.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct JsonError {
    /// Server time text (e.g. `Sep 22, 2016 4:10:15 PM`), kept verbatim.
    pub time: Option<String>,
    /// Message.
    pub message: Option<String>,
    /// LivePerson internal code.
    pub internal_code: Option<i64>,
    /// e.g. `UNAUTHORIZED`.
    pub response_status: Option<String>,
    /// The survey question a refused submission names (`error.questionId`; the simulator's
    /// answer to a bad `PUT {C}/survey`, [INF]). Boxed to keep `ApiError` small.
    pub question_id: Option<Box<str>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct WireInner {
    #[serde(default, deserialize_with = "crate::decode::opt_text")]
    time: Option<String>,
    #[serde(default, deserialize_with = "crate::decode::opt_text")]
    message: Option<String>,
    #[serde(default, deserialize_with = "crate::decode::opt_i64_flex")]
    internal_code: Option<i64>,
    #[serde(default, deserialize_with = "crate::decode::opt_text")]
    response_status: Option<String>,
    #[serde(default, deserialize_with = "crate::decode::opt_text")]
    question_id: Option<String>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum WireErrorField {
    Object(WireInner),
    Text(String),
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct WireError {
    error: WireErrorField,
    #[serde(default, deserialize_with = "crate::decode::opt_i64_flex")]
    internal_code: Option<i64>,
    #[serde(default, deserialize_with = "crate::decode::opt_text")]
    message: Option<String>,
}

impl ErrorBody {
    /// Classifies a raw error body: JSON error, OAuth form text, or plain text.
    pub fn parse(raw: &str) -> ErrorBody {
        let trimmed = raw.trim();
        if trimmed.starts_with('{')
            && let Ok(w) = serde_json::from_str::<WireError>(
                &crate::decode::surrogates::repair_lone_surrogates(trimmed),
            )
        {
            return ErrorBody::Json(match w.error {
                WireErrorField::Object(i) => JsonError {
                    time: i.time,
                    message: i.message,
                    internal_code: i.internal_code.or(w.internal_code),
                    response_status: i.response_status,
                    question_id: i.question_id.map(String::into_boxed_str),
                },
                WireErrorField::Text(message) => JsonError {
                    message: Some(message).or(w.message),
                    internal_code: w.internal_code,
                    ..JsonError::default()
                },
            });
        }
        if trimmed.contains("oauth_problem=")
            && let Ok(pairs) = serde_urlencoded::from_str::<Vec<(String, String)>>(trimmed)
        {
            let get = |k: &str| pairs.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone());
            if let Some(problem) = get("oauth_problem") {
                return ErrorBody::OAuth {
                    problem,
                    advice: get("oauth_problem_advice"),
                };
            }
        }
        ErrorBody::Text(raw.to_string())
    }

    /// The most useful one-line description.
    pub fn summary(&self) -> String {
        match self {
            ErrorBody::Json(j) => {
                let msg = j.message.as_deref().unwrap_or("");
                match j.internal_code {
                    Some(c) => format!("{msg} (internal code {c})"),
                    None => msg.to_string(),
                }
            }
            ErrorBody::OAuth { problem, advice } => match advice {
                Some(a) => format!("oauth_problem={problem}: {a}"),
                None => format!("oauth_problem={problem}"),
            },
            ErrorBody::Text(t) => t.chars().take(200).collect(),
        }
    }
}

/// How a request failed below HTTP.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TransportKind {
    /// No complete reply within the configured timeout.
    Timeout,
    /// Could not connect.
    Connect,
    /// The connection was closed or reset without a complete reply.
    Dropped,
    /// Anything else reqwest reported.
    Other,
}

/// Why the server's certificate was refused (a TLS failure; see [`ApiError::Tls`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TlsKind {
    /// The certificate is not signed by a trusted root (e.g. a private CA that was not given as
    /// an extra root, or the wrong one).
    UnknownIssuer,
    /// The certificate has expired (or is not valid yet).
    Expired,
    /// The certificate is not valid for the host name or address connected to.
    NameMismatch,
    /// Any other TLS failure (bad signature, revoked, protocol error, …).
    Other,
}

impl TlsKind {
    /// A short sentence for people.
    pub fn describe(self) -> &'static str {
        match self {
            TlsKind::UnknownIssuer => {
                "the server's certificate is not signed by a trusted authority (give its CA certificate as an extra root if it is a private one)"
            }
            TlsKind::Expired => "the server's certificate has expired or is not valid yet",
            TlsKind::NameMismatch => {
                "the server's certificate is for another host name than the one connected to"
            }
            TlsKind::Other => "the secure (TLS) connection could not be set up",
        }
    }
}

/// The crate's single error type.
#[derive(Debug, Clone, thiserror::Error)]
pub enum ApiError {
    /// The server answered with a non-2xx status.
    #[error("HTTP {status}: {}", body.summary())]
    Http {
        /// Status code.
        status: u16,
        /// Parsed body.
        body: ErrorBody,
        /// The server's `Retry-After` (seconds or an HTTP date), at most 10 minutes; `None`
        /// when absent or unreadable. [`crate::retry::decide`] honours it on 429 and 503.
        retry_after: Option<std::time::Duration>,
    },
    /// A 2xx chat reply carried `chat.error` (spec §8).
    #[error("chat reply carried an error: {error}")]
    ChatError {
        /// Status of the reply.
        status: u16,
        /// The `error` value verbatim.
        error: serde_json::Value,
    },
    /// The body could not be decoded as expected.
    #[error("cannot decode reply (HTTP {status}) at {path}: {message}")]
    Decode {
        /// Status of the reply.
        status: u16,
        /// JSON path of the failure, e.g. `chat.events.event[2].@id`.
        path: String,
        /// What went wrong.
        message: String,
        /// The raw body.
        raw: String,
    },
    /// A 2xx reply lacked something the call needs (e.g. the location link).
    #[error("reply (HTTP {status}) lacks {what}")]
    Missing {
        /// Status of the reply.
        status: u16,
        /// What was missing.
        what: &'static str,
        /// The raw body.
        raw: String,
    },
    /// Timeout, refused or dropped connection.
    #[error("transport error ({kind:?}): {message}")]
    Transport {
        /// Which kind.
        kind: TransportKind,
        /// reqwest's description (never contains headers).
        message: String,
    },
    /// The TLS handshake failed: the server's certificate was refused (never retried, and
    /// never answered by trying `http` instead).
    #[error("TLS error ({kind:?}): {}: {message}", kind.describe())]
    Tls {
        /// Which kind of refusal.
        kind: TlsKind,
        /// rustls' description.
        message: String,
    },
    /// An extra root certificate given to the client could not be used.
    #[error("invalid extra root certificate: {reason}")]
    InvalidRootCertificate {
        /// Why.
        reason: String,
    },
    /// An `http` URL where the client works over https (the lookup base or the domain is
    /// https): the client never downgrades, even to a loopback host.
    #[error("refusing http URL {url}: this client works over https and never downgrades")]
    Downgrade {
        /// The refused URL.
        url: String,
    },
    /// A URL with `http` on a non-loopback host, or another scheme.
    #[error("refusing insecure URL {url}: http is allowed only for loopback hosts")]
    InsecureUrl {
        /// The refused URL.
        url: String,
    },
    /// A URL that cannot be parsed or used.
    #[error("invalid URL {url}: {reason}")]
    InvalidUrl {
        /// The text.
        url: String,
        /// Why.
        reason: String,
    },
}

impl ApiError {
    /// HTTP status, when the server answered.
    pub fn status(&self) -> Option<u16> {
        match self {
            ApiError::Http { status, .. }
            | ApiError::ChatError { status, .. }
            | ApiError::Decode { status, .. }
            | ApiError::Missing { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// The bearer or login was rejected (401, or an OAuth problem body): log in again.
    pub fn is_auth(&self) -> bool {
        matches!(
            self,
            ApiError::Http { status: 401, .. }
                | ApiError::Http {
                    body: ErrorBody::OAuth { .. },
                    ..
                }
        )
    }

    /// Worth trying again later as such: transport failures, 429 and 5xx. (Whether a given
    /// request may be resent is [`crate::retry::decide`]'s job.)
    pub fn is_retryable(&self) -> bool {
        match self {
            ApiError::Transport { .. } => true,
            ApiError::Http { status, .. } => *status == 429 || (500..600).contains(status),
            _ => false,
        }
    }

    /// The TLS failure kind, if this is one.
    pub fn tls_kind(&self) -> Option<TlsKind> {
        match self {
            ApiError::Tls { kind, .. } => Some(*kind),
            _ => None,
        }
    }

    /// The transport failure kind, if this is one.
    pub fn transport_kind(&self) -> Option<TransportKind> {
        match self {
            ApiError::Transport { kind, .. } => Some(*kind),
            _ => None,
        }
    }

    pub(crate) fn from_reqwest(e: &reqwest::Error) -> ApiError {
        if let Some(tls) = rustls_error_in(e) {
            return ApiError::Tls {
                kind: tls_kind_of(tls),
                message: tls.to_string(),
            };
        }
        let kind = if e.is_timeout() {
            TransportKind::Timeout
        } else if e.is_connect() {
            TransportKind::Connect
        } else if e.is_request() || e.is_body() || e.is_decode() {
            TransportKind::Dropped
        } else {
            TransportKind::Other
        };
        // without_url keeps query strings out of messages; they hold no secret, but stay short.
        ApiError::Transport {
            kind,
            message: format!("{e}"),
        }
    }
}

/// The rustls error somewhere in a failure's source chain. An `io::Error` wrapping another
/// error reports that error's *source* as its own (skipping it), so for an `io::Error` the
/// wrapped error itself is the next link (io errors nest: hyper's wraps tokio-rustls').
fn rustls_error_in<'a>(e: &'a (dyn std::error::Error + 'static)) -> Option<&'a rustls::Error> {
    let mut cur: Option<&(dyn std::error::Error + 'static)> = Some(e);
    // Real chains are a handful deep; the bound only guards against a cycle.
    for _ in 0..32 {
        let err = cur?;
        if let Some(r) = err.downcast_ref::<rustls::Error>() {
            return Some(r);
        }
        cur = match err.downcast_ref::<std::io::Error>() {
            Some(io) => match io.get_ref() {
                Some(inner) => Some(inner as &(dyn std::error::Error + 'static)),
                None => None,
            },
            None => err.source(),
        };
    }
    None
}

fn tls_kind_of(e: &rustls::Error) -> TlsKind {
    use rustls::CertificateError as C;
    match e {
        rustls::Error::InvalidCertificate(c) => match c {
            C::UnknownIssuer => TlsKind::UnknownIssuer,
            C::Expired
            | C::ExpiredContext { .. }
            | C::NotValidYet
            | C::NotValidYetContext { .. } => TlsKind::Expired,
            C::NotValidForName | C::NotValidForNameContext { .. } => TlsKind::NameMismatch,
            _ => TlsKind::Other,
        },
        _ => TlsKind::Other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_nested_json_error() {
        let raw = r#"{"error":{"time":"Sep 22, 2016 4:10:15 PM","message":"CSRF token invalid!","internalCode":10,"responseStatus":"UNAUTHORIZED"}}"#;
        let ErrorBody::Json(j) = ErrorBody::parse(raw) else {
            unreachable!("expected JSON body")
        };
        assert_eq!(j.time.as_deref(), Some("Sep 22, 2016 4:10:15 PM"));
        assert_eq!(j.message.as_deref(), Some("CSRF token invalid!"));
        assert_eq!(j.internal_code, Some(10));
        assert_eq!(j.response_status.as_deref(), Some("UNAUTHORIZED"));
    }

    #[test]
    fn parses_top_level_error_variant() {
        let raw = r#"{"error":"bad credentials","internalCode":"25"}"#;
        assert_eq!(
            ErrorBody::parse(raw),
            ErrorBody::Json(JsonError {
                message: Some("bad credentials".into()),
                internal_code: Some(25),
                ..JsonError::default()
            })
        );
    }

    #[test]
    fn parses_oauth_text() {
        let raw = "oauth_problem=token_rejected&oauth_problem_advice=the oauth_token is unacceptable to the Service Provider";
        assert_eq!(
            ErrorBody::parse(raw),
            ErrorBody::OAuth {
                problem: "token_rejected".into(),
                advice: Some("the oauth_token is unacceptable to the Service Provider".into()),
            }
        );
        let raw =
            "oauth_problem=signature_invalid&oauth_problem_advice=the oauth_signature is invalid";
        assert!(
            matches!(ErrorBody::parse(raw), ErrorBody::OAuth { problem, .. } if problem == "signature_invalid")
        );
    }

    #[test]
    fn falls_back_to_text() {
        assert_eq!(
            ErrorBody::parse("Service Unavailable"),
            ErrorBody::Text("Service Unavailable".into())
        );
        assert_eq!(ErrorBody::parse(""), ErrorBody::Text(String::new()));
        // JSON without an `error` key is text too
        assert_eq!(
            ErrorBody::parse(r#"{"foo":1}"#),
            ErrorBody::Text(r#"{"foo":1}"#.into())
        );
    }

    #[test]
    fn classification() {
        let oauth = ApiError::Http {
            status: 401,
            body: ErrorBody::parse("oauth_problem=token_rejected"),
            retry_after: None,
        };
        assert!(oauth.is_auth());
        assert!(!oauth.is_retryable());
        assert_eq!(oauth.status(), Some(401));
        let busy = ApiError::Http {
            status: 503,
            body: ErrorBody::Text(String::new()),
            retry_after: None,
        };
        assert!(busy.is_retryable() && !busy.is_auth());
        let slow = ApiError::Http {
            status: 429,
            body: ErrorBody::Text(String::new()),
            retry_after: None,
        };
        assert!(slow.is_retryable());
        let bad = ApiError::Http {
            status: 400,
            body: ErrorBody::Text(String::new()),
            retry_after: None,
        };
        assert!(!bad.is_retryable() && !bad.is_auth());
        let t = ApiError::Transport {
            kind: TransportKind::Timeout,
            message: String::new(),
        };
        assert!(t.is_retryable());
        assert_eq!(t.status(), None);
        assert_eq!(t.transport_kind(), Some(TransportKind::Timeout));
    }
}
