//! An API request after the transport conventions (spec §1) are applied: method override,
//! `.json` suffix, lenient JSON body.

use axum::http::HeaderMap;
use serde_json::Value;

/// A parsed API request.
#[derive(Debug, Clone)]
pub struct Req {
    /// Effective method: the `X-HTTP-Method-Override` value on POST, else the wire method.
    pub method: String,
    /// Path segments, percent-decoded, `.json` removed from the last one.
    pub segs: Vec<String>,
    /// Query parameters.
    pub query: Vec<(String, String)>,
    /// Headers.
    pub headers: HeaderMap,
    /// JSON body; `Null` when empty or not JSON.
    pub body: Value,
}

/// Percent-decodes a path segment (lossy).
fn decode(seg: &str) -> String {
    let bytes = seg.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap_or("");
            if let Ok(b) = u8::from_str_radix(hex, 16) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

impl Req {
    /// Builds a request.
    pub fn new(
        wire_method: &str,
        override_method: Option<&str>,
        path: &str,
        query: &str,
        headers: HeaderMap,
        body: &[u8],
    ) -> Req {
        let method = match override_method {
            Some(m) if wire_method.eq_ignore_ascii_case("POST") && !m.trim().is_empty() => {
                m.trim().to_ascii_uppercase()
            }
            _ => wire_method.to_ascii_uppercase(),
        };
        let mut segs: Vec<String> = path
            .split('/')
            .filter(|s| !s.is_empty())
            .map(decode)
            .collect();
        if let Some(last) = segs.last_mut()
            && let Some(stripped) = last.strip_suffix(".json")
        {
            *last = stripped.to_string();
        }
        let query = serde_urlencoded::from_str::<Vec<(String, String)>>(query).unwrap_or_default();
        let body = serde_json::from_slice(body).unwrap_or(Value::Null);
        Req {
            method,
            segs,
            query,
            headers,
            body,
        }
    }

    /// A query parameter.
    pub fn q(&self, name: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// The bearer of `Authorization: Bearer …` (header name and scheme case-insensitive).
    pub fn bearer(&self) -> Option<String> {
        let v = self.headers.get("authorization")?.to_str().ok()?.trim();
        let (scheme, token) = v.split_once(' ')?;
        scheme
            .eq_ignore_ascii_case("bearer")
            .then(|| token.trim().to_string())
    }

    /// A cookie value from the `Cookie` headers.
    pub fn cookie(&self, name: &str) -> Option<String> {
        self.headers
            .get_all("cookie")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(';'))
            .filter_map(|kv| kv.trim().split_once('='))
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.to_string())
    }
}

/// A JSON scalar (string or number) as text: ids may come either way (quirk §9.13).
pub fn scalar(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn override_and_suffix() {
        let r = Req::new(
            "POST",
            Some("put"),
            "/a/b/availability.json",
            "v=1&NC=true",
            HeaderMap::new(),
            b"",
        );
        assert_eq!(r.method, "PUT");
        assert_eq!(r.segs.last().map(String::as_str), Some("availability"));
        assert_eq!(r.q("NC"), Some("true"));
        assert_eq!(decode("a%20b%2"), "a b%2");
    }
}
