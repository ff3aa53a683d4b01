//! Domain lookup (spec §3.1) and the Login Service: login, refresh, logout (spec §3.2-3.4).

use serde_json::{Value, json};

use crate::accounts::{ACCOUNT_ID, AGENTS};
use crate::model::Login;
use crate::reply::Reply;
use crate::request::Req;
use crate::routing::close_sessions;
use crate::state::{SimState, hex};

/// Login `sessionTTl`: 8 h.
pub const SESSION_TTL_MS: i64 = 8 * 3600 * 1000;

fn base_uri(st: &SimState) -> String {
    st.base_url
        .trim_start_matches("http://")
        .trim_start_matches("https://")
        .to_string()
}

/// `GET /api|csdr/account/{acc}/service/{svc}/baseURI.json` → one object. 401 on an unknown
/// account, 400 on another service (the name is case-sensitive).
pub fn domain_single(st: &SimState, acc: &str, svc: &str) -> Reply {
    if acc != ACCOUNT_ID {
        return Reply::error(401, "invalid account", st.now());
    }
    if svc != "agentVep" {
        return Reply::error(400, "unknown service", st.now());
    }
    Reply::json(
        200,
        json!({"service": "agentVep", "account": ACCOUNT_ID, "baseURI": base_uri(st)}),
    )
}

/// `GET /api/account/{acc}/service/baseURI.json` → `{"baseURIs":[…]}`.
pub fn domain_all(st: &SimState, acc: &str) -> Reply {
    if acc != ACCOUNT_ID {
        return Reply::error(401, "invalid account", st.now());
    }
    Reply::json(200, json!({"baseURIs": base_uris(st)}))
}

fn base_uris(st: &SimState) -> Value {
    let b = base_uri(st);
    json!([
        {"account": ACCOUNT_ID, "baseURI": b, "service": "agentVep"},
        {"account": ACCOUNT_ID, "baseURI": b, "service": "adminArea"},
        {"account": ACCOUNT_ID, "baseURI": b, "service": "liveEngage"},
    ])
}

fn text<'a>(body: &'a Value, key: &str) -> Option<&'a str> {
    body.get(key).and_then(Value::as_str)
}

/// Which agent the login body names: user+password, or the app-key quadruple.
fn credentials(body: &Value) -> Option<usize> {
    AGENTS.iter().position(|a| {
        if let Some(k) = a.app_key {
            text(body, "appKey") == Some(k.app_key)
                && text(body, "secret") == Some(k.secret)
                && text(body, "accessToken") == Some(k.access_token)
                && text(body, "accessTokenSecret") == Some(k.access_token_secret)
        } else {
            text(body, "username") == Some(a.login_name)
                && a.password.is_some()
                && text(body, "password") == a.password
        }
    })
}

/// `POST /api/account/{acc}/login` — 200 with bearer, csrf and a `Session_id` cookie; 400 on a
/// body that is not a JSON object; 401 (login error body) on bad credentials.
pub fn login(st: &mut SimState, req: &Req) -> Reply {
    let now = st.now();
    if !req.body.is_object() {
        return Reply::login_error(400, "Bad request: body must be a JSON object", 1, now);
    }
    let Some(agent) = credentials(&req.body) else {
        return Reply::login_error(401, "Bad credentials", 2, now);
    };
    let def = &AGENTS[agent];
    let login = Login {
        bearer: hex(64),
        csrf: hex(32),
        cookie: hex(40),
        agent,
        issued_ms: now,
        expired: false,
        logged_out: false,
    };
    let body = json!({
        "csrf": login.csrf,
        "wsuk": crate::state::digits(18),
        "config": {
            "loginName": def.login_name, "userId": def.id.to_string(),
            "userPrivileges": [100, 101], "serverCurrentTime": now, "timeDiff": 0,
            "serverTimeZoneName": "UTC", "serverTimeGMTDiff": 0, "isLPA": false,
            "isAdmin": false, "accountTimeZoneId": "UTC"
        },
        "csdsCollectionResponse": {"baseURIs": base_uris(st)},
        "accountData": {"agentGroupsData": {"items": [{"id": -1, "deleted": false, "name": "Main Group"}], "revision": 1}},
        "sessionTTl": SESSION_TTL_MS.to_string(),
        "bearer": login.bearer,
    });
    let cookie = format!("Session_id={}; Path=/; HttpOnly", login.cookie);
    st.logins.push(login);
    let mut r = Reply::json(200, body);
    r.set_cookie = Some(cookie);
    r
}

/// The login named by the `Session_id` cookie whose csrf matches the body.
fn login_by_cookie(st: &SimState, req: &Req) -> Result<usize, Reply> {
    let now = st.now();
    let cookie = req
        .cookie("Session_id")
        .ok_or_else(|| Reply::login_error(401, "Session_id cookie missing", 10, now))?;
    let csrf = req.body.get("csrf").and_then(Value::as_str);
    st.logins
        .iter()
        .position(|l| l.cookie == cookie && !l.logged_out && !l.expired)
        .filter(|&i| Some(st.logins[i].csrf.as_str()) == csrf)
        .ok_or_else(|| Reply::login_error(401, "CSRF token invalid! Session is not valid", 10, now))
}

/// `POST /refresh` — needs `Session_id` + csrf; 200 empty; extends the login's TTL.
pub fn refresh(st: &mut SimState, req: &Req) -> Reply {
    match login_by_cookie(st, req) {
        Ok(i) => {
            st.logins[i].issued_ms = st.now();
            Reply::empty(200)
        }
        Err(r) => r,
    }
}

/// `POST /logout` — needs `Session_id` + csrf; 200 empty. Rule (spec §3.4, §10): closes every
/// agent session of that login and returns their chats to the queue (or disconnects them).
pub fn logout(st: &mut SimState, req: &Req) -> Reply {
    match login_by_cookie(st, req) {
        Ok(i) => {
            st.logins[i].logged_out = true;
            let bearer = st.logins[i].bearer.clone();
            let ids: Vec<u64> = st
                .sessions
                .iter()
                .filter(|s| s.bearer == bearer && s.active)
                .map(|s| s.id)
                .collect();
            close_sessions(st, &ids);
            Reply::empty(200)
        }
        Err(r) => r,
    }
}
