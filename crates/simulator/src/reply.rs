//! What a handler answers, and the error bodies of spec §8.

use axum::body::Body;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use crate::shapes::{iso, login_time};

/// The OAuth text body of a rejected bearer (spec §4.9, §8).
pub const OAUTH_REJECTED: &str = "oauth_problem=token_rejected&oauth_problem_advice=the oauth_token is unacceptable to the Service Provider";

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
        }
    }

    /// Answer without a body.
    pub fn empty(status: u16) -> Reply {
        Reply {
            status,
            body: ReplyBody::Empty,
            set_cookie: None,
        }
    }

    /// 401 with the OAuth text body.
    pub fn oauth() -> Reply {
        Reply {
            status: 401,
            body: ReplyBody::Text(OAUTH_REJECTED.into()),
            set_cookie: None,
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
}

impl IntoResponse for Reply {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let (ctype, body) = match self.body {
            ReplyBody::Json(v) => ("application/json", Body::from(v.to_string())),
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
        resp
    }
}
