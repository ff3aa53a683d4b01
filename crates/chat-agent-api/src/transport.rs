//! One HTTP exchange: scheme check, `v=1&NC=true`, method override, bearer, status handling.
//! Nothing here logs a header or a body.

use crate::decode::decode_json;
use crate::error::{ApiError, ErrorBody};
use crate::secret::Bearer;
use crate::url_rules::{check_scheme, with_api_query};
use reqwest::cookie::{CookieStore, Jar};
use serde::de::DeserializeOwned;
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};
use url::Url;

/// The longest `Retry-After` taken from a server; longer values are cut to this.
pub(crate) const MAX_RETRY_AFTER: Duration = Duration::from_secs(600);

/// Reads a `Retry-After` value (RFC 9110 §10.2.3): delta-seconds, or an HTTP date (then the time
/// left until it, zero when it has passed). Capped at [`MAX_RETRY_AFTER`]; `None` when the
/// value is neither.
pub(crate) fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let v = value.trim();
    let wait = if !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit()) {
        // More digits than u64 holds is still "a very long time".
        Duration::from_secs(v.parse::<u64>().unwrap_or(u64::MAX))
    } else {
        let at = httpdate::parse_http_date(v).ok()?;
        at.duration_since(now).unwrap_or(Duration::ZERO)
    };
    Some(wait.min(MAX_RETRY_AFTER))
}

/// HTTP verb as the API sees it; PUT and DELETE travel as POST + `X-HTTP-Method-Override`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Verb {
    Get,
    Post,
    Put,
    Delete,
}

impl Verb {
    fn name(self) -> &'static str {
        match self {
            Verb::Get => "GET",
            Verb::Post => "POST",
            Verb::Put => "PUT",
            Verb::Delete => "DELETE",
        }
    }
}

/// A 2xx reply.
#[derive(Debug)]
pub(crate) struct Reply {
    pub status: u16,
    pub body: String,
}

impl Reply {
    /// Decodes the body, keeping the JSON path on failure.
    pub fn json<T: DeserializeOwned>(&self) -> Result<T, ApiError> {
        decode_json(&self.body, self.status)
    }
}

/// TLS settings shared by every transport of one client.
#[derive(Clone, Default)]
pub(crate) struct TlsSettings {
    /// Extra trusted roots, added to the built-in (webpki) roots; nothing else is relaxed.
    pub extra_roots: Vec<reqwest::Certificate>,
    /// Only `https` URLs may be sent (the client started on https: no downgrade, not even to
    /// a loopback host).
    pub https_only: bool,
}

/// An HTTP client with its own cookie jar (one per login session and per agent session).
#[derive(Clone)]
pub(crate) struct Transport {
    http: reqwest::Client,
    jar: Arc<Jar>,
    timeout: Duration,
    tls: TlsSettings,
}

impl Transport {
    pub fn new(timeout: Duration, tls: TlsSettings) -> Result<Self, ApiError> {
        let jar = Arc::new(Jar::default());
        let mut builder = reqwest::Client::builder()
            .cookie_provider(jar.clone())
            .timeout(timeout)
            .connect_timeout(timeout)
            .redirect(reqwest::redirect::Policy::none())
            .https_only(tls.https_only);
        for root in &tls.extra_roots {
            builder = builder.add_root_certificate(root.clone());
        }
        let http = builder
            .build()
            .map_err(|e| ApiError::InvalidRootCertificate {
                reason: format!("the HTTP client refused the TLS settings: {e}"),
            })?;
        Ok(Self {
            http,
            jar,
            timeout,
            tls,
        })
    }

    /// A fresh transport (new jar) with the same settings.
    pub fn fresh(&self) -> Result<Self, ApiError> {
        Self::new(self.timeout, self.tls.clone())
    }

    /// The value of cookie `name` for `url`, if the jar holds one.
    pub fn cookie(&self, url: &Url, name: &str) -> Option<String> {
        let header = self.jar.cookies(url)?;
        let text = header.to_str().ok()?.to_string();
        text.split(';').find_map(|kv| {
            let (k, v) = kv.trim().split_once('=')?;
            (k == name).then(|| v.to_string())
        })
    }

    /// Puts cookie `name=value` (path `/`) into the jar for `url`'s host, as if `url` had set it.
    pub fn add_cookie(&self, url: &Url, name: &str, value: &str) {
        self.jar
            .add_cookie_str(&format!("{name}={value}; Path=/"), url);
    }

    /// Sends one request to `url` (query completed with `v=1&NC=true` when `api_query`).
    pub async fn send(
        &self,
        verb: Verb,
        url: &Url,
        bearer: Option<&Bearer>,
        body: Option<&serde_json::Value>,
        api_query: bool,
    ) -> Result<Reply, ApiError> {
        check_scheme(url)?;
        if self.tls.https_only && url.scheme() != "https" {
            return Err(ApiError::Downgrade {
                url: url.to_string(),
            });
        }
        let url = if api_query {
            with_api_query(url.clone())
        } else {
            url.clone()
        };
        let mut req = match verb {
            Verb::Get => self.http.get(url.clone()),
            Verb::Post => self.http.post(url.clone()),
            Verb::Put | Verb::Delete => self
                .http
                .post(url.clone())
                .header("X-HTTP-Method-Override", verb.name()),
        }
        .header(reqwest::header::ACCEPT, "application/json");
        if let Some(b) = bearer {
            req = req.bearer_auth(b.expose());
        }
        if let Some(json) = body {
            req = req.json(json);
        } else if verb != Verb::Get {
            req = req
                .header(reqwest::header::CONTENT_TYPE, "application/json")
                .body("{}");
        }
        let started = Instant::now();
        let outcome = req.send().await;
        let resp = match outcome {
            Ok(r) => r,
            Err(e) => {
                let err = ApiError::from_reqwest(&e);
                tracing::debug!(method = verb.name(), path = url.path(), error = %err, "request failed");
                return Err(err);
            }
        };
        let status = resp.status().as_u16();
        let retry_after = resp
            .headers()
            .get(reqwest::header::RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| parse_retry_after(v, SystemTime::now()));
        let text = resp.text().await.map_err(|e| {
            let mut err = ApiError::from_reqwest(&e);
            if let ApiError::Transport { kind, .. } = &mut err
                && *kind == crate::error::TransportKind::Other
            {
                *kind = crate::error::TransportKind::Dropped;
            }
            err
        })?;
        tracing::debug!(
            method = verb.name(),
            path = url.path(),
            status,
            elapsed_ms = started.elapsed().as_millis() as u64,
            "request done"
        );
        if (200..300).contains(&status) {
            Ok(Reply { status, body: text })
        } else {
            Err(ApiError::Http {
                status,
                body: ErrorBody::parse(&text),
                retry_after,
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn secs(s: u64) -> Option<Duration> {
        Some(Duration::from_secs(s))
    }

    #[test]
    fn retry_after_seconds() {
        let now = SystemTime::now();
        assert_eq!(parse_retry_after("3", now), secs(3));
        assert_eq!(parse_retry_after(" 120 ", now), secs(120));
        assert_eq!(parse_retry_after("0", now), secs(0));
        assert_eq!(parse_retry_after("601", now), secs(600), "capped");
        assert_eq!(
            parse_retry_after("99999999999999999999999", now),
            secs(600),
            "too many digits for u64 is still capped, not dropped"
        );
    }

    #[test]
    fn retry_after_http_date() {
        let now = httpdate::parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT")
            .unwrap_or_else(|e| unreachable!("{e}"));
        assert_eq!(
            parse_retry_after("Sun, 06 Nov 1994 08:50:07 GMT", now),
            secs(30)
        );
        assert_eq!(
            parse_retry_after("Sun, 06 Nov 1994 08:40:00 GMT", now),
            secs(0),
            "a date in the past means now"
        );
        assert_eq!(
            parse_retry_after("Mon, 07 Nov 1994 08:49:37 GMT", now),
            secs(600),
            "capped"
        );
        // the obsolete forms httpdate also reads
        assert_eq!(
            parse_retry_after("Sunday, 06-Nov-94 08:49:47 GMT", now),
            secs(10)
        );
    }

    #[test]
    fn retry_after_garbage_is_none() {
        let now = SystemTime::now();
        for v in ["", "  ", "-5", "1.5", "soon", "3 s", "Sun, 06 Nov 1994"] {
            assert_eq!(parse_retry_after(v, now), None, "{v:?}");
        }
    }
}
