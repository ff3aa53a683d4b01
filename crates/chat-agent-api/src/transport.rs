//! One HTTP exchange: scheme check, `v=1&NC=true`, method override, bearer, status handling.
//! Nothing here logs a header or a body.

use crate::decode::decode_json;
use crate::error::{ApiError, ErrorBody};
use crate::secret::Bearer;
use crate::url_rules::{check_scheme, with_api_query};
use reqwest::cookie::{CookieStore, Jar};
use serde::de::DeserializeOwned;
use std::sync::Arc;
use std::time::{Duration, Instant};
use url::Url;

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

/// An HTTP client with its own cookie jar (one per login session and per agent session).
#[derive(Clone)]
pub(crate) struct Transport {
    http: reqwest::Client,
    jar: Arc<Jar>,
    timeout: Duration,
}

impl Transport {
    pub fn new(timeout: Duration) -> Result<Self, ApiError> {
        let jar = Arc::new(Jar::default());
        let http = reqwest::Client::builder()
            .cookie_provider(jar.clone())
            .timeout(timeout)
            .connect_timeout(timeout)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| ApiError::from_reqwest(&e))?;
        Ok(Self { http, jar, timeout })
    }

    /// A fresh transport (new jar) with the same settings.
    pub fn fresh(&self) -> Result<Self, ApiError> {
        Self::new(self.timeout)
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
            })
        }
    }
}
