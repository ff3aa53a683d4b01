//! URL rules: the loopback-only `http` scheme rule, `baseURI` → URL, and the `v=1&NC=true`
//! query every Chat Agent API call carries.

use crate::error::ApiError;
use std::net::IpAddr;
use url::{Host, Url};

/// True for `localhost`, `127.0.0.0/8` and `::1`.
pub fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(Host::Ipv4(ip)) => IpAddr::V4(ip).is_loopback(),
        Some(Host::Ipv6(ip)) => IpAddr::V6(ip).is_loopback(),
        None => false,
    }
}

/// Accepts `https` anywhere and `http` only on loopback hosts (docs/contracts.md, scheme rule).
pub fn check_scheme(url: &Url) -> Result<(), ApiError> {
    match url.scheme() {
        "https" if url.host().is_some() => Ok(()),
        "http" if is_loopback(url) => Ok(()),
        "http" | "https" => Err(ApiError::InsecureUrl {
            url: url.to_string(),
        }),
        other => Err(ApiError::InvalidUrl {
            url: url.to_string(),
            reason: format!("unsupported scheme {other:?}"),
        }),
    }
}

/// Parses an href from a reply and applies [`check_scheme`].
pub fn parse_checked(href: &str) -> Result<Url, ApiError> {
    let url = Url::parse(href).map_err(|e| ApiError::InvalidUrl {
        url: href.to_string(),
        reason: e.to_string(),
    })?;
    check_scheme(&url)?;
    Ok(url)
}

/// Turns a `baseURI` (`host[:port]`, no scheme) into a base URL: `https://{baseURI}`, except
/// that a loopback host keeps the scheme of the lookup URL. A lookup made over https never
/// yields an http base (not even a loopback one written with `http://`): [`ApiError::Downgrade`].
pub fn base_from_uri(base_uri: &str, lookup: &Url) -> Result<Url, ApiError> {
    let trimmed = base_uri.trim().trim_end_matches('/');
    // Some deployments may already include a scheme; honour it (still checked below).
    let candidate = if trimmed.contains("://") {
        trimmed.to_string()
    } else {
        format!("https://{trimmed}")
    };
    let mut url = Url::parse(&candidate).map_err(|e| ApiError::InvalidUrl {
        url: base_uri.to_string(),
        reason: e.to_string(),
    })?;
    if is_loopback(&url) && url.scheme() != lookup.scheme() && !trimmed.contains("://") {
        let mut rebuilt = format!("{}://{}", lookup.scheme(), trimmed);
        if !rebuilt.ends_with('/') {
            rebuilt.push('/');
        }
        url = Url::parse(&rebuilt).map_err(|e| ApiError::InvalidUrl {
            url: base_uri.to_string(),
            reason: e.to_string(),
        })?;
    }
    check_scheme(&url)?;
    if lookup.scheme() == "https" && url.scheme() != "https" {
        return Err(ApiError::Downgrade {
            url: url.to_string(),
        });
    }
    Ok(url)
}

/// Adds `v=1` and `NC=true` when absent (a `v` of another value, e.g. login's `1.3`, is kept).
pub fn with_api_query(mut url: Url) -> Url {
    let (has_v, has_nc) = url.query_pairs().fold((false, false), |(v, nc), (k, _)| {
        (v || k == "v", nc || k == "NC")
    });
    if !has_v || !has_nc {
        let mut q = url.query_pairs_mut();
        if !has_v {
            q.append_pair("v", "1");
        }
        if !has_nc {
            q.append_pair("NC", "true");
        }
    }
    url
}

/// Appends path segments to a resource URL (`{C}` + `events` → `{C}/events`), keeping no query.
pub fn child(base: &Url, segments: &[&str]) -> Result<Url, ApiError> {
    let mut url = base.clone();
    url.set_query(None);
    url.set_fragment(None);
    {
        let mut segs = url.path_segments_mut().map_err(|_| ApiError::InvalidUrl {
            url: base.to_string(),
            reason: "URL cannot have a path".into(),
        })?;
        segs.pop_if_empty();
        segs.extend(segments);
    }
    Ok(url)
}

/// The last non-empty path segment (agent session id, chat id), without a `.json` suffix.
pub fn last_segment(url: &Url) -> Option<String> {
    url.path_segments()?
        .rev()
        .find(|s| !s.is_empty())
        .map(|s| s.strip_suffix(".json").unwrap_or(s).to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn u(s: &str) -> Url {
        Url::parse(s).unwrap_or_else(|e| unreachable!("{s}: {e}"))
    }

    #[test]
    fn scheme_rule() {
        for ok in [
            "https://va.agentvep.liveperson.net/api",
            "http://127.0.0.1:8787/",
            "http://127.5.6.7/",
            "http://localhost:9/",
            "http://LOCALHOST/",
            "http://[::1]:80/",
            "https://127.0.0.1/",
        ] {
            assert!(check_scheme(&u(ok)).is_ok(), "{ok}");
        }
        for bad in [
            "http://va.agentvep.liveperson.net/",
            "http://10.0.0.1/",
            "http://128.0.0.1/",
            "http://[::2]/",
            "http://localhost.example.com/",
        ] {
            assert!(
                matches!(check_scheme(&u(bad)), Err(ApiError::InsecureUrl { .. })),
                "{bad}"
            );
        }
        assert!(matches!(
            check_scheme(&u("ftp://127.0.0.1/")),
            Err(ApiError::InvalidUrl { .. })
        ));
    }

    #[test]
    fn base_uri_to_url() {
        let lookup_http = u("http://127.0.0.1:8787/");
        let lookup_https = u("https://adminlogin.liveperson.net/");
        assert_eq!(
            base_from_uri("127.0.0.1:8787", &lookup_http).ok(),
            Some(u("http://127.0.0.1:8787/"))
        );
        assert_eq!(
            base_from_uri("va.agentvep.liveperson.net", &lookup_http).ok(),
            Some(u("https://va.agentvep.liveperson.net/"))
        );
        assert_eq!(
            base_from_uri("va.agentvep.liveperson.net", &lookup_https).ok(),
            Some(u("https://va.agentvep.liveperson.net/"))
        );
        assert_eq!(
            base_from_uri("localhost:1", &lookup_https).ok(),
            Some(u("https://localhost:1/"))
        );
        assert!(matches!(
            base_from_uri("http://evil.example.com", &lookup_http),
            Err(ApiError::InsecureUrl { .. })
        ));
        // https lookup: the base stays https, also for loopback hosts (no downgrade)
        let lookup_local_tls = u("https://127.0.0.1:8787/");
        assert_eq!(
            base_from_uri("127.0.0.1:8787", &lookup_local_tls).ok(),
            Some(u("https://127.0.0.1:8787/"))
        );
        for down in ["http://127.0.0.1:8787", "http://localhost:1"] {
            assert!(
                matches!(
                    base_from_uri(down, &lookup_local_tls),
                    Err(ApiError::Downgrade { .. })
                ),
                "{down}"
            );
        }
    }

    #[test]
    fn api_query_appended_once() {
        let a = with_api_query(u("https://x/api/chat/1/events?from=4"));
        assert_eq!(a.query(), Some("from=4&v=1&NC=true"));
        let b = with_api_query(a.clone());
        assert_eq!(b, a);
        let c = with_api_query(u("https://x/login?v=1.3"));
        assert_eq!(c.query(), Some("v=1.3&NC=true"));
        let d = with_api_query(u("https://x/a"));
        assert_eq!(d.query(), Some("v=1&NC=true"));
    }

    #[test]
    fn children_and_ids() {
        let s = u("https://x/api/account/1/agentSession/1027882276?v=1&NC=true");
        assert_eq!(
            child(&s, &["chat", "availableSlots"]).ok(),
            Some(u(
                "https://x/api/account/1/agentSession/1027882276/chat/availableSlots"
            ))
        );
        assert_eq!(last_segment(&s).as_deref(), Some("1027882276"));
        assert_eq!(
            last_segment(&u("https://x/a/chat/H1-2K3.json")).as_deref(),
            Some("H1-2K3")
        );
        assert_eq!(last_segment(&u("https://x/a/b/")).as_deref(), Some("b"));
    }
}
