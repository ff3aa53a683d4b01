//! What a handler answers, and the error bodies of spec §8.

use axum::body::Body;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use crate::shapes::{iso, login_time};

/// The OAuth text body of a rejected bearer (spec §4.9, §8).
pub const OAUTH_REJECTED: &str = "oauth_problem=token_rejected&oauth_problem_advice=the oauth_token is unacceptable to the Service Provider";

/// Stands for half an emoji in stored text. A Rust string cannot hold a lone UTF-16 surrogate,
/// so a truncated visitor line stores this noncharacter (U+FDD0, reserved for a program's own
/// use) where the server would have cut, and every JSON reply body writes it as
/// [`LONE_SURROGATE_ESCAPE`] (spec §9 quirk 16).
pub const LONE_SURROGATE_MARKER: char = '\u{FDD0}';

/// What a Java server writes after cutting 😀 (U+1F600 = `\ud83d\ude00`) in half: the high
/// surrogate escape alone.
pub const LONE_SURROGATE_ESCAPE: &str = "\\ud83d";

/// Serialises a JSON reply body, writing each [`LONE_SURROGATE_MARKER`] as the lone escape.
/// serde_json never escapes U+FDD0, so the marker appears as itself, inside a string.
pub fn json_text(v: &Value) -> String {
    let text = v.to_string();
    if text.contains(LONE_SURROGATE_MARKER) {
        text.replace(LONE_SURROGATE_MARKER, LONE_SURROGATE_ESCAPE)
    } else {
        text
    }
}

/// A handler's answer body.
#[derive(Debug, Clone)]
pub enum ReplyBody {
    /// JSON.
    Json(Value),
    /// `text/plain` (OAuth errors).
    Text(String),
    /// No body.
    Empty,
    /// Raw bytes claimed as JSON (malformed-body fault).
    RawJson(String),
}

/// A handler's answer.
#[derive(Debug, Clone)]
pub struct Reply {
    /// HTTP status.
    pub status: u16,
    /// Body.
    pub body: ReplyBody,
    /// `Set-Cookie` value.
    pub set_cookie: Option<String>,
    /// `Retry-After` in seconds (status faults with a retry delay).
    pub retry_after: Option<u64>,
}

fn reason(status: u16) -> String {
    StatusCode::from_u16(status)
        .ok()
        .and_then(|s| s.canonical_reason())
        .unwrap_or("ERROR")
        .to_ascii_uppercase()
        .replace(' ', "_")
}

impl Reply {
    /// JSON answer.
    pub fn json(status: u16, v: Value) -> Reply {
        Reply {
            status,
            body: ReplyBody::Json(v),
            set_cookie: None,
            retry_after: None,
        }
    }

    /// Answer without a body.
    pub fn empty(status: u16) -> Reply {
        Reply {
            status,
            body: ReplyBody::Empty,
            set_cookie: None,
            retry_after: None,
        }
    }

    /// 401 with the OAuth text body.
    pub fn oauth() -> Reply {
        Reply {
            status: 401,
            body: ReplyBody::Text(OAUTH_REJECTED.into()),
            set_cookie: None,
            retry_after: None,
        }
    }

    /// The simulator's own error body (spec §8 [INF]): ISO time.
    pub fn error(status: u16, message: &str, now: i64) -> Reply {
        Reply::json(
            status,
            json!({"error": {"time": iso(now), "message": message,
                "internalCode": status, "responseStatus": reason(status)}}),
        )
    }

    /// Login Service error body (spec §3.2): `Sep 22, 2016 4:10:15 PM` time.
    pub fn login_error(status: u16, message: &str, code: u32, now: i64) -> Reply {
        Reply::json(
            status,
            json!({"error": {"time": login_time(now), "message": message,
                "internalCode": code, "responseStatus": reason(status)}}),
        )
    }

    /// The answer of a status fault on `path`: the OAuth text body for 401, the Login
    /// Service's error body on its routes (spec §3.2), the simulator's error body elsewhere.
    pub fn fault_status(status: u16, path: &str, now: i64) -> Reply {
        if status == 401 {
            return Reply::oauth();
        }
        let login_service = ["/login", "/refresh", "/logout"]
            .iter()
            .any(|p| path.trim_end_matches(".json").ends_with(p));
        if login_service {
            Reply::login_error(status, "simulated fault", u32::from(status), now)
        } else {
            Reply::error(status, "simulated fault", now)
        }
    }

    /// Adds a `Retry-After: seconds` header.
    pub fn with_retry_after(mut self, seconds: u64) -> Reply {
        self.retry_after = Some(seconds);
        self
    }
}

impl IntoResponse for Reply {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let (ctype, body) = match self.body {
            ReplyBody::Json(v) => ("application/json", Body::from(json_text(&v))),
            ReplyBody::RawJson(s) => ("application/json", Body::from(s)),
            ReplyBody::Text(s) => ("text/plain", Body::from(s)),
            ReplyBody::Empty => ("application/json", Body::empty()),
        };
        let mut resp = Response::new(body);
        *resp.status_mut() = status;
        resp.headers_mut()
            .insert(header::CONTENT_TYPE, HeaderValue::from_static(ctype));
        if let Some(c) = self.set_cookie.and_then(|c| HeaderValue::from_str(&c).ok()) {
            resp.headers_mut().insert(header::SET_COOKIE, c);
        }
        if let Some(secs) = self.retry_after {
            resp.headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(secs));
        }
        resp
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marker_is_written_as_a_lone_high_surrogate_escape() {
        let text = format!("I love it {LONE_SURROGATE_MARKER}");
        let body = json_text(&json!({"event": {"text": text}}));
        assert_eq!(body, r#"{"event":{"text":"I love it \ud83d"}}"#);
        // exactly what strict decoders refuse
        assert!(serde_json::from_str::<Value>(&body).is_err());
        let plain = json!({"text": "smile 😀"});
        assert_eq!(json_text(&plain), plain.to_string());
    }

    #[test]
    fn fault_status_bodies_by_route() {
        assert!(matches!(
            Reply::fault_status(401, "/x", 0).body,
            ReplyBody::Text(_)
        ));
        let login = Reply::fault_status(503, "/api/account/1/login", 0);
        let api = Reply::fault_status(503, "/api/account/1/agentSession/2/chat", 0);
        let (ReplyBody::Json(l), ReplyBody::Json(a)) = (login.body, api.body) else {
            unreachable!("JSON error bodies")
        };
        assert_eq!(l["error"]["responseStatus"], "SERVICE_UNAVAILABLE");
        assert!(!l["error"]["time"].as_str().unwrap_or("").contains('T'));
        assert!(a["error"]["time"].as_str().unwrap_or("").contains('T'));
        assert_eq!(Reply::empty(429).with_retry_after(3).retry_after, Some(3));
    }
}
