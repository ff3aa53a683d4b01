//! The client over real https on loopback (issue 11): the simulator's https mode with its CA
//! as an extra root; a wrong CA, an expired certificate and a hostname mismatch each give a
//! typed TLS error and never an http attempt.

use crate::common::sim::start;
use chat_agent_api::*;
use simulator::{SimConfig, Simulator, StartChat, TlsCert};
use std::time::Duration;
use url::Url;

async fn tls_sim(cert: TlsCert) -> Simulator {
    start(SimConfig {
        background_timers: false,
        tls: true,
        tls_cert: cert,
        ..SimConfig::default()
    })
    .await
}

fn client_with(sim: &Simulator, roots: &[&str]) -> ApiClient {
    let base = Url::parse(sim.base_url()).unwrap();
    let mut b = ApiClient::builder(base, sim.account_id()).timeout(Duration::from_secs(10));
    for pem in roots {
        b = b.extra_root_certificates_pem(pem.as_bytes().to_vec());
    }
    b.build().unwrap()
}

fn ann() -> Credentials {
    Credentials::user("ann", "ann-pass")
}

#[tokio::test]
async fn lookup_login_and_a_chat_round_trip_over_https() {
    let sim = tls_sim(TlsCert::Valid).await;
    let ca = sim.ca_pem().unwrap().to_string();
    // another root next to the simulator's in the same PEM: several certificates are fine
    let other = simulator::unrelated_ca_pem().unwrap();
    let c = client_with(&sim, &[&format!("{other}{ca}")]);
    for form in [
        LookupForm::DomainApi,
        LookupForm::Csdr,
        LookupForm::AllServices,
    ] {
        let domain = c.lookup_domain_with(form).await.unwrap();
        assert_eq!(domain.scheme(), "https", "{form:?}");
        assert_eq!(
            domain.as_str(),
            format!("https://127.0.0.1:{}/", sim.addr().port())
        );
    }
    let login = c.login(&ann()).await.unwrap();
    assert!(login.domain().as_str().starts_with("https://"));
    let s = c.start_agent_session(&login).await.unwrap();
    assert_eq!(s.url().scheme(), "https");
    s.set_availability(&AvailabilityState::Online, None)
        .await
        .unwrap();
    let key = sim
        .start_chat(StartChat {
            skill: Some("Sales".into()),
            visitor_name: "Tess".into(),
            text: Some("hello?".into()),
        })
        .await
        .unwrap();
    assert_eq!(s.incoming_requests().await.unwrap().ringing_count, 1);
    let chat = s.take_chat().await.unwrap().expect("a chat rang");
    assert_eq!(chat.key, key);
    s.add_line(&chat, &NewLine::plain("Hi Tess, over TLS"))
        .await
        .unwrap();
    sim.visitor_line(&key, "thanks").await.unwrap();
    let events = s.chat_events(&chat, None).await.unwrap();
    let texts: Vec<String> = events
        .event
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::Line(l) => Some(l.text.clone()),
            _ => None,
        })
        .collect();
    assert!(
        texts.contains(&"Hi Tess, over TLS".to_string()),
        "{texts:?}"
    );
    assert!(texts.contains(&"thanks".to_string()), "{texts:?}");
    // the events' next link is https and followed as such
    let next = events.next().expect("next link").to_string();
    assert!(next.starts_with("https://"), "{next}");
    s.follow_events(&next).await.unwrap();
    s.end_chat(&chat).await.unwrap();
    c.refresh(&login).await.unwrap();
    c.logout(&login).await.unwrap();
    assert_eq!(sim.plain_http_attempts(), 0);
}

async fn lookup_failure(sim: &Simulator, roots: &[&str]) -> ApiError {
    let c = client_with(sim, roots);
    let e = c.login(&ann()).await.expect_err("TLS must fail");
    assert!(
        !e.is_retryable(),
        "a refused certificate is not retried: {e:?}"
    );
    // nothing reached the API, and nothing was tried over plain http
    assert!(sim.requests().await.is_empty());
    assert_eq!(sim.plain_http_attempts(), 0);
    e
}

#[tokio::test]
async fn no_ca_or_a_wrong_ca_is_unknown_issuer() {
    let sim = tls_sim(TlsCert::Valid).await;
    let e = lookup_failure(&sim, &[]).await;
    assert_eq!(e.tls_kind(), Some(TlsKind::UnknownIssuer), "{e:?}");
    let msg = e.to_string();
    assert!(msg.contains("not signed by a trusted authority"), "{msg}");
    let other = simulator::unrelated_ca_pem().unwrap();
    let e = lookup_failure(&sim, &[&other]).await;
    assert_eq!(e.tls_kind(), Some(TlsKind::UnknownIssuer), "{e:?}");
}

#[tokio::test]
async fn expired_certificate_is_expired() {
    let sim = tls_sim(TlsCert::Expired).await;
    let e = lookup_failure(&sim, &[sim.ca_pem().unwrap()]).await;
    assert_eq!(e.tls_kind(), Some(TlsKind::Expired), "{e:?}");
    assert!(e.to_string().contains("expired"), "{e}");
}

#[tokio::test]
async fn certificate_for_another_name_is_a_name_mismatch() {
    let sim = tls_sim(TlsCert::WrongName).await;
    let e = lookup_failure(&sim, &[sim.ca_pem().unwrap()]).await;
    assert_eq!(e.tls_kind(), Some(TlsKind::NameMismatch), "{e:?}");
    assert!(e.to_string().contains("another host name"), "{e}");
}

#[tokio::test]
async fn invalid_extra_roots_are_refused_when_building() {
    let base = Url::parse("https://127.0.0.1:1/").unwrap();
    for bad in [
        &b"not a certificate"[..],
        b"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n",
        b"-----BEGIN CERTIFICATE-----\n!!!!\n-----END CERTIFICATE-----\n",
        &[0xff, 0xfe, 0x00][..],
    ] {
        let e = ApiClient::builder(base.clone(), "1")
            .extra_root_certificates_pem(bad.to_vec())
            .build()
            .expect_err("an unusable root is refused");
        assert!(
            matches!(e, ApiError::InvalidRootCertificate { .. }),
            "{bad:?}: {e:?}"
        );
    }
}

#[tokio::test]
async fn an_https_client_never_downgrades_to_http() {
    // a plain simulator: its links say http
    let plain = start(SimConfig {
        background_timers: false,
        tls: false,
        ..SimConfig::default()
    })
    .await;
    let tls = tls_sim(TlsCert::Valid).await;
    let c = client_with(&tls, &[tls.ca_pem().unwrap()]);
    // setting an http domain on a client that started on https is refused
    let e = c
        .set_domain(Url::parse(plain.base_url()).unwrap())
        .unwrap_err();
    assert!(matches!(e, ApiError::Downgrade { .. }), "{e:?}");
    // a stored login pointing at http is refused too
    let login = c.login(&ann()).await.unwrap();
    let mut parts = login.parts();
    parts.domain = Url::parse(&format!("{}/", plain.base_url())).unwrap();
    let e = LoginSession::restore(&c, parts).unwrap_err();
    assert!(matches!(e, ApiError::Downgrade { .. }), "{e:?}");
    // and a chat link with http is never followed
    let s = c.start_agent_session(&login).await.unwrap();
    let down = format!(
        "{}/api/account/90412345/agentSession/1/chat/K/events?from=0",
        plain.base_url()
    );
    let e = s.follow_events(&down).await.unwrap_err();
    assert!(matches!(e, ApiError::Downgrade { .. }), "{e:?}");
    assert!(plain.requests().await.is_empty(), "nothing went over http");
}
