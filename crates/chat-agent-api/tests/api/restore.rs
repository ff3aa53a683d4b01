//! A login rebuilt from its stored parts (`LoginSession::parts` → `LoginSession::restore`) in a new
//! `ApiClient` works like the original: refresh, start agent session, logout.

use crate::common::sim::{client, configs, start};
use chat_agent_api::*;
use std::time::Duration;

const T: Duration = Duration::from_secs(5);

#[tokio::test]
async fn restored_login_refreshes_starts_a_session_and_logs_out() {
    for cfg in configs() {
        let sim = start(cfg).await;
        let first = client(&sim, T);
        let login = first
            .login(&Credentials::user("ann", "ann-pass"))
            .await
            .unwrap();
        let cookie = login.session_cookie().expect("the login set Session_id");
        assert!(!cookie.expose().is_empty());
        let parts = login.parts();
        assert_eq!(parts.domain, *login.domain());
        assert_eq!(parts.account_id, sim.account_id());
        assert_eq!(parts.bearer, *login.bearer());
        assert_eq!(parts.csrf, *login.csrf());
        assert_eq!(parts.session_cookie.as_ref(), Some(&cookie));
        assert_eq!(parts.login_name.as_deref(), Some("ann"));
        drop(login);
        drop(first);

        // a new process: new client (no lookup done), parts from storage
        let second = client(&sim, T);
        let restored = LoginSession::restore(&second, parts).unwrap();
        assert_eq!(restored.session_cookie(), Some(cookie));
        assert!(restored.has_session_cookie());
        assert_eq!(restored.account_id(), sim.account_id());
        assert_eq!(restored.config().login_name.as_deref(), Some("ann"));
        second
            .refresh(&restored)
            .await
            .expect("refresh with the restored login");
        let session = second.start_agent_session(&restored).await.unwrap();
        assert_eq!(
            session.info().await.unwrap().login_name.as_deref(),
            Some("ann")
        );
        second
            .logout(&restored)
            .await
            .expect("logout with the restored login");
        // the login is gone on the server now
        let err = second.refresh(&restored).await.unwrap_err();
        assert!(err.is_auth(), "{err:?}");
        let err = session.availability().await.unwrap_err();
        assert!(err.is_auth(), "{err:?}");
        sim.shutdown().await;
    }
}

#[tokio::test]
async fn restored_login_with_a_bad_bearer_or_stale_parts_is_an_auth_error() {
    let sim = start(configs()[0].clone()).await;
    let c = client(&sim, T);
    let login = c
        .login(&Credentials::user("ann", "ann-pass"))
        .await
        .unwrap();
    let good = login.parts();

    // wrong bearer: the agent session cannot start
    let wrong = LoginParts {
        bearer: Bearer::new("not-the-bearer"),
        ..good.clone()
    };
    let r = LoginSession::restore(&client(&sim, T), wrong).unwrap();
    let err = client(&sim, T).start_agent_session(&r).await.unwrap_err();
    assert!(err.is_auth(), "{err:?}");

    // wrong csrf or no cookie: refresh refuses
    let c2 = client(&sim, T);
    let bad_csrf = LoginParts {
        csrf: Csrf::new("nope"),
        ..good.clone()
    };
    let err = c2
        .refresh(&LoginSession::restore(&c2, bad_csrf).unwrap())
        .await
        .unwrap_err();
    assert!(err.is_auth(), "{err:?}");
    let no_cookie = LoginParts {
        session_cookie: None,
        ..good.clone()
    };
    let r = LoginSession::restore(&c2, no_cookie).unwrap();
    assert!(!r.has_session_cookie());
    assert!(c2.refresh(&r).await.unwrap_err().is_auth());

    // expired on the server: refresh and the bearer both fail as auth errors
    sim.inject_fault(simulator::Fault {
        kind: simulator::FaultKind::ExpireBearer,
        count: 1,
        path_contains: None,
    })
    .await;
    let c3 = client(&sim, T);
    let r = LoginSession::restore(&c3, good.clone()).unwrap();
    assert!(c3.refresh(&r).await.unwrap_err().is_auth());
    assert!(c3.start_agent_session(&r).await.unwrap_err().is_auth());

    // parts that cannot be used are refused before anything is sent
    let other_account = LoginParts {
        account_id: "999".into(),
        ..good.clone()
    };
    assert!(matches!(
        LoginSession::restore(&c3, other_account),
        Err(ApiError::InvalidUrl { .. })
    ));
    let bad_cookie = LoginParts {
        session_cookie: Some(SessionCookie::new("a; b")),
        ..good.clone()
    };
    assert!(matches!(
        LoginSession::restore(&c3, bad_cookie),
        Err(ApiError::InvalidUrl { .. })
    ));
    let insecure = LoginParts {
        domain: url::Url::parse("http://example.com/").unwrap(),
        ..good
    };
    assert!(matches!(
        LoginSession::restore(&c3, insecure),
        Err(ApiError::InsecureUrl { .. })
    ));
    sim.shutdown().await;
}
