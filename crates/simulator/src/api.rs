//! The API entry point: every non-`/_sim/` request passes here. Applies faults, runs the
//! timers, dispatches to a handler under the state lock, and logs the request.

use std::sync::Arc;

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::response::{IntoResponse, Response};

use crate::dispatch;
use crate::faults::FaultKind;
use crate::reply::{Reply, ReplyBody};
use crate::request::Req;
use crate::requests::RequestRecord;
use crate::routing::run_timers;
use crate::shared::Shared;

/// A response whose body stream fails at once: hyper then aborts the connection before the
/// head is flushed, so the client sees a connection error, not a status.
fn dropped_connection() -> Response {
    let stream = futures::stream::once(async {
        Err::<Bytes, std::io::Error>(std::io::Error::other("simulated dropped connection"))
    });
    Response::new(Body::from_stream(stream))
}

/// The fallback handler for every API route.
pub async fn handle(State(shared): State<Arc<Shared>>, req: Request) -> Response {
    let (parts, body) = req.into_parts();
    let bytes = axum::body::to_bytes(body, 4 * 1024 * 1024)
        .await
        .unwrap_or_default();
    let path = parts.uri.path().to_string();
    let query = parts.uri.query().unwrap_or("").to_string();
    let override_method = parts
        .headers
        .get("x-http-method-override")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let mut record = RequestRecord {
        method: parts.method.as_str().to_string(),
        path: path.clone(),
        query: query.clone(),
        override_method: override_method.clone(),
        status: 0,
        at: 0,
    };
    let fault = {
        let mut st = shared.lock();
        record.at = st.now();
        if st.down {
            // A connection opened before the server went down: it dies without an answer.
            st.log.push(record);
            return dropped_connection();
        }
        // Faults select requests by path and query (`fromEventIds=` picks the multi-chat poll).
        st.faults.take(&format!("{path}?{query}"))
    };
    let reply = match fault {
        Some(FaultKind::Drop) => {
            shared.lock().log.push(record);
            return dropped_connection();
        }
        Some(FaultKind::Delay(d)) => {
            tokio::time::sleep(d).await;
            None
        }
        Some(FaultKind::Status(401)) => Some(Reply::oauth()),
        Some(FaultKind::Status(code)) => {
            let now = shared.lock().now();
            // Login Service routes answer with its own error body (spec §3.2).
            let login_service = ["/login", "/refresh", "/logout"]
                .iter()
                .any(|p| path.trim_end_matches(".json").ends_with(p));
            Some(if login_service {
                Reply::login_error(code, "simulated fault", u32::from(code), now)
            } else {
                Reply::error(code, "simulated fault", now)
            })
        }
        Some(FaultKind::StatusWithRetryAfter(code, seconds)) => {
            let now = shared.lock().now();
            Some(Reply::fault_status(code, &path, now).with_retry_after(seconds))
        }
        Some(FaultKind::Malformed) => Some(Reply {
            status: 200,
            body: ReplyBody::RawJson("{\"chat\":{\"link\":[{\"@href\":\"http://127.0.0.1/".into()),
            set_cookie: None,
            retry_after: None,
        }),
        Some(FaultKind::ExpireBearer) | None => None,
    };
    let req = Req::new(
        parts.method.as_str(),
        override_method.as_deref(),
        &path,
        &query,
        parts.headers,
        &bytes,
    );
    let mut st = shared.lock();
    let reply = match reply {
        Some(r) => r,
        None => {
            run_timers(&mut st);
            let r = dispatch::dispatch(&mut st, &req);
            // State may have changed (availability, lines, transfers): route again.
            crate::routing::route(&mut st);
            r
        }
    };
    record.status = reply.status;
    tracing::debug!(method = %record.method, path = %record.path, status = record.status, "sim api request");
    st.log.push(record);
    drop(st);
    reply.into_response()
}
