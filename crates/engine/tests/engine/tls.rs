//! The engine over real https (issue 11): the simulator's https mode, its CA given as the login's
//! extra root; without it a clear typed error and nothing ever sent over plain http.

use crate::common::*;
use engine::{Availability, Engine, EngineEvent, ErrorCode, LineSource, TextType};
use simulator::{SimConfig, Simulator, TlsCert};

async fn tls_sim(cert: TlsCert) -> Simulator {
    Simulator::start(SimConfig {
        tls: true,
        tls_cert: cert,
        ..SimConfig::default()
    })
    .await
    .expect("simulator starts")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn login_and_a_line_each_way_over_https_with_the_extra_ca() {
    let sim = tls_sim(TlsCert::Valid).await;
    assert!(sim.base_url().starts_with("https://"));
    let dir = tempfile::tempdir().unwrap();
    let (engine, rx) = Engine::spawn(config(dir.path())).unwrap();
    let rec = Recorder::new(rx);
    let req = login_request(&sim, "ann");
    assert!(req.extra_ca_pem.is_some(), "the helper passes the sim's CA");
    let profile = engine.login(req).await.unwrap();
    assert_eq!(profile.nickname, "Ann");
    engine
        .set_availability(Availability::Online, None)
        .await
        .unwrap();
    let key = sim
        .start_chat(start_chat("Sales", "Vera", "hello over https"))
        .await
        .unwrap();
    rec.wait_for("ringing", |e| matches!(e, EngineEvent::Ringing { .. }))
        .await;
    assert_eq!(engine.accept().await.unwrap(), key);
    rec.wait_line(&key, LineSource::Visitor, "hello over https")
        .await;
    engine
        .send_line(
            key.clone(),
            "Hi Vera, secured".into(),
            TextType::Plain,
            false,
        )
        .await
        .unwrap();
    wait_visitor_sees(&sim, &key, "Hi Vera, secured").await;
    assert_eq!(sim.plain_http_attempts(), 0);
    assert_eq!(sim.tls_handshake_failures(), 0);
    engine.logout().await.unwrap();
    engine.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_the_ca_login_fails_with_a_tls_error_and_never_tries_http() {
    let sim = tls_sim(TlsCert::Valid).await;
    let dir = tempfile::tempdir().unwrap();
    let (engine, _rx) = Engine::spawn(config(dir.path())).unwrap();
    let req = engine::LoginRequest {
        extra_ca_pem: None,
        ..login_request(&sim, "ann")
    };
    let e = engine.login(req).await.unwrap_err();
    assert_eq!(e.code, ErrorCode::Tls, "{e:?}");
    assert!(!e.retryable, "{e:?}");
    assert!(
        e.message.contains("not signed by a trusted authority"),
        "{}",
        e.message
    );
    // the request log is empty (nothing reached the API) and no plain http came in
    assert!(
        sim.requests().await.is_empty(),
        "{:?}",
        sim.requests().await
    );
    assert_eq!(sim.plain_http_attempts(), 0);

    // a wrong CA, an expired and a misnamed certificate: the same code, each its own message
    let other = simulator::unrelated_ca_pem().unwrap();
    let e = engine
        .login(engine::LoginRequest {
            extra_ca_pem: Some(other),
            ..login_request(&sim, "ann")
        })
        .await
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::Tls, "{e:?}");
    for (cert, words) in [
        (TlsCert::Expired, "expired"),
        (TlsCert::WrongName, "another host name"),
    ] {
        let bad = tls_sim(cert).await;
        let e = engine.login(login_request(&bad, "ann")).await.unwrap_err();
        assert_eq!(e.code, ErrorCode::Tls, "{cert:?}: {e:?}");
        assert!(e.message.contains(words), "{cert:?}: {}", e.message);
        assert!(bad.requests().await.is_empty());
        assert_eq!(bad.plain_http_attempts(), 0);
    }
    // an unusable CA text is the agent's input to fix
    let e = engine
        .login(engine::LoginRequest {
            extra_ca_pem: Some("not a certificate".into()),
            ..login_request(&sim, "ann")
        })
        .await
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::InvalidInput, "{e:?}");
    engine.shutdown().await;
}
