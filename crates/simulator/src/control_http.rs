//! The control API over HTTP under `/_sim/` (docs/contracts.md §1). Faults never apply here and
//! these requests are not logged.

use std::sync::Arc;
use std::time::Duration;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::accounts::agent_index;
use crate::error::SimError;
use crate::faults::{Fault, FaultKind};
use crate::routing::run_timers;
use crate::shared::Shared;
use crate::survey::SurveyMode;
use crate::visitor::{self, ChatExtras, StartChat};

type Sh = State<Arc<Shared>>;

fn err(e: SimError) -> Response {
    let code = match e {
        SimError::UnknownChat(_) | SimError::UnknownAgent(_) => StatusCode::NOT_FOUND,
        _ => StatusCode::BAD_REQUEST,
    };
    (code, Json(json!({"error": e.to_string()}))).into_response()
}

fn done(r: Result<(), SimError>) -> Response {
    match r {
        Ok(()) => Json(json!({})).into_response(),
        Err(e) => err(e),
    }
}

fn body(raw: &str) -> Value {
    serde_json::from_str(raw).unwrap_or(Value::Null)
}

fn str_field(v: &Value, k: &str) -> Option<String> {
    v.get(k).and_then(Value::as_str).map(str::to_string)
}

/// The `/_sim/` router.
pub fn router() -> Router<Arc<Shared>> {
    Router::new()
        .route("/_sim/chats", post(start_chat))
        .route("/_sim/chats/{key}", get(chat))
        .route("/_sim/chats/{key}/lines", post(line))
        .route("/_sim/chats/{key}/survey", get(survey))
        .route("/_sim/chats/{key}/typing", post(typing))
        .route("/_sim/chats/{key}/name", post(name))
        .route("/_sim/chats/{key}/leave", post(leave))
        .route("/_sim/agents/{login}", get(agent))
        .route("/_sim/agents/{login}/lose-sessions", post(lose_sessions))
        .route("/_sim/agents/{login}/chats", post(assign_chats))
        .route("/_sim/faults", post(add_fault).delete(clear_faults))
        .route("/_sim/clock/advance", post(advance))
        .route("/_sim/requests", get(requests))
}

fn bad(message: &str) -> Response {
    (StatusCode::BAD_REQUEST, Json(json!({"error": message}))).into_response()
}

async fn start_chat(State(sh): Sh, raw: String) -> Response {
    let v = body(&raw);
    let req = StartChat {
        skill: str_field(&v, "skill"),
        visitor_name: str_field(&v, "visitorName").unwrap_or_default(),
        text: str_field(&v, "text"),
    };
    let survey = match v.get("survey") {
        None | Some(Value::Null) => SurveyMode::Skill,
        Some(s) => match s.as_str().and_then(SurveyMode::parse) {
            Some(m) => m,
            None => return bad("survey must be \"skill\", \"none\" or \"malformed\""),
        },
    };
    let extras = ChatExtras {
        customer: v.get("customer").filter(|c| !c.is_null()).cloned(),
        survey,
    };
    match visitor::start_chat_with(&mut sh.lock(), req, extras) {
        Ok(key) => Json(json!({"chatSessionKey": key})).into_response(),
        Err(e) => err(e),
    }
}

async fn chat(State(sh): Sh, Path(key): Path<String>) -> Response {
    let st = sh.lock();
    match (visitor::state(&st, &key), visitor::view(&st, &key)) {
        (Ok(state), Ok(events)) => Json(json!({"state": state, "events": events})).into_response(),
        (Err(e), _) | (_, Err(e)) => err(e),
    }
}

async fn survey(State(sh): Sh, Path(key): Path<String>) -> Response {
    match visitor::survey_answers(&sh.lock(), &key) {
        Ok(answers) => Json(json!(answers)).into_response(),
        Err(e) => err(e),
    }
}

async fn line(State(sh): Sh, Path(key): Path<String>, raw: String) -> Response {
    let v = body(&raw);
    let text = str_field(&v, "text").unwrap_or_default();
    // `"truncateEmoji": true`: the line ends in half an emoji (spec §9 quirk 16).
    if v.get("truncateEmoji").and_then(Value::as_bool) == Some(true) {
        return done(visitor::line_truncated(&mut sh.lock(), &key, &text));
    }
    // `"json": {…}`: a rich-content line; the card is kept as given, malformed or not.
    if let Some(card) = v.get("json").filter(|j| !j.is_null()) {
        return done(visitor::rich_line(
            &mut sh.lock(),
            &key,
            &text,
            card.clone(),
        ));
    }
    done(visitor::line(&mut sh.lock(), &key, &text))
}

async fn typing(State(sh): Sh, Path(key): Path<String>, raw: String) -> Response {
    let on = body(&raw)
        .get("typing")
        .and_then(Value::as_bool)
        .unwrap_or(false);
    done(visitor::typing(&mut sh.lock(), &key, on))
}

async fn name(State(sh): Sh, Path(key): Path<String>, raw: String) -> Response {
    let name = str_field(&body(&raw), "visitorName").unwrap_or_default();
    done(visitor::set_name(&mut sh.lock(), &key, &name))
}

async fn leave(State(sh): Sh, Path(key): Path<String>) -> Response {
    done(visitor::leave(&mut sh.lock(), &key))
}

async fn agent(State(sh): Sh, Path(login): Path<String>) -> Response {
    let st = sh.lock();
    match agent_index(&login) {
        Some(i) => Json(json!({
            "availability": st.agents[i].availability.as_str(),
            "chats": st.agent_chat_count(i),
        }))
        .into_response(),
        None => err(SimError::UnknownAgent(login)),
    }
}

/// Body of `POST /_sim/faults`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct FaultBody {
    kind: String,
    status: Option<u16>,
    /// With `kind: status`: also send `Retry-After: <seconds>`.
    retry_after: Option<u64>,
    ms: Option<u64>,
    count: Option<u32>,
    path_contains: Option<String>,
}

async fn add_fault(State(sh): Sh, raw: String) -> Response {
    let Ok(b) = serde_json::from_str::<FaultBody>(&raw) else {
        return (
            StatusCode::BAD_REQUEST,
            Json(json!({"error": "bad fault body"})),
        )
            .into_response();
    };
    let kind = match (b.kind.as_str(), b.status) {
        ("status", Some(code)) if (100..=999).contains(&code) => match b.retry_after {
            Some(seconds) => FaultKind::StatusWithRetryAfter(code, seconds),
            None => FaultKind::Status(code),
        },
        ("delay", _) => FaultKind::Delay(Duration::from_millis(b.ms.unwrap_or(1000))),
        ("drop", _) => FaultKind::Drop,
        ("malformed", _) => FaultKind::Malformed,
        ("expireBearer", _) => FaultKind::ExpireBearer,
        _ => {
            return (
                StatusCode::BAD_REQUEST,
                Json(json!({"error": "unknown fault kind"})),
            )
                .into_response();
        }
    };
    let fault = Fault {
        kind,
        count: b.count.unwrap_or(1),
        path_contains: b.path_contains,
    };
    let mut st = sh.lock();
    if fault.kind == FaultKind::ExpireBearer {
        for l in &mut st.logins {
            l.expired = true;
        }
    } else {
        st.faults.add(fault);
    }
    Json(json!({})).into_response()
}

async fn clear_faults(State(sh): Sh) -> Response {
    sh.lock().faults.clear();
    Json(json!({})).into_response()
}

async fn advance(State(sh): Sh, raw: String) -> Response {
    let secs = body(&raw)
        .get("seconds")
        .and_then(Value::as_f64)
        .unwrap_or(0.0);
    if !(0.0..=1e9).contains(&secs) {
        return (
            StatusCode::BAD_REQUEST,
            Json(json!({"error": "bad seconds"})),
        )
            .into_response();
    }
    let mut st = sh.lock();
    st.clock.advance(Duration::from_secs_f64(secs));
    run_timers(&mut st);
    Json(json!({})).into_response()
}

async fn requests(State(sh): Sh) -> Response {
    Json(json!(sh.lock().log)).into_response()
}

async fn lose_sessions(State(sh): Sh, Path(login): Path<String>) -> Response {
    let mut st = sh.lock();
    match agent_index(&login) {
        Some(i) => {
            crate::routing::lose_agent_sessions(&mut st, i);
            Json(json!({})).into_response()
        }
        None => err(SimError::UnknownAgent(login)),
    }
}

async fn assign_chats(State(sh): Sh, Path(login): Path<String>, raw: String) -> Response {
    let v = body(&raw);
    let count = v.get("count").and_then(Value::as_u64).unwrap_or(1) as usize;
    let skill = str_field(&v, "skill");
    let mut st = sh.lock();
    let Some(i) = agent_index(&login) else {
        return err(SimError::UnknownAgent(login));
    };
    match visitor::assign_chats(&mut st, i, skill.as_deref(), count.min(100_000)) {
        Ok(keys) => Json(json!({"chatSessionKeys": keys})).into_response(),
        Err(e) => err(e),
    }
}
