//! The https mode (issue 11): certificates made at start, https links, the CA for clients, and
//! the test hooks (expired, wrong name, unrelated CA).

use crate::common::*;
use serde_json::{Value, json};
use simulator::{SimConfig, Simulator, TlsCert};

async fn tls_sim(cert: TlsCert) -> Simulator {
    sim_with(SimConfig {
        background_timers: false,
        tls: true,
        tls_cert: cert,
        ..SimConfig::default()
    })
    .await
}

#[tokio::test]
async fn lookup_login_and_a_chat_round_trip_over_https() {
    let sim = tls_sim(TlsCert::Valid).await;
    assert!(sim.is_tls());
    let port = sim.addr().port();
    assert_eq!(sim.base_url(), format!("https://127.0.0.1:{port}"));
    let pem = sim.ca_pem().expect("CA in the https mode");
    assert!(pem.starts_with("-----BEGIN CERTIFICATE-----"), "{pem}");

    // The domain lookup answers host:port with no scheme, in every form.
    let http = client_for(&sim);
    for path in [
        "api/account/90412345/service/agentVep/baseURI.json",
        "csdr/account/90412345/service/agentVep/baseURI.json",
    ] {
        let v: Value = http
            .get(format!("{}/{path}?version=1.0", sim.base_url()))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(v["baseURI"], json!(format!("127.0.0.1:{port}")), "{path}");
    }
    let all: Value = http
        .get(format!(
            "{}/api/account/90412345/service/baseURI.json?version=1.0",
            sim.base_url()
        ))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    for e in many(&all["baseURIs"]) {
        assert_eq!(e["baseURI"], json!(format!("127.0.0.1:{port}")));
    }

    // Login, session, take, lines: every link is https.
    let ben = Agent::start(&sim, "ben").await;
    assert!(
        ben.session.starts_with("https://127.0.0.1:"),
        "{}",
        ben.session
    );
    let key = sim.start_chat(chat_req("Sales", "Tia")).await.unwrap();
    let (_, ring) = ben.get(&ben.s("/incomingRequests")).await;
    for l in many(&ring["incomingRequests"]["link"]) {
        assert!(l["@href"].as_str().unwrap().starts_with("https://"), "{l}");
    }
    let chat = ben.take().await;
    assert!(
        chat.starts_with("https://") && chat.ends_with(&key),
        "{chat}"
    );
    let (s, v) = ben.get(&chat).await;
    assert_eq!(s, 200);
    for l in many(&v["chat"]["link"]) {
        assert!(l["@href"].as_str().unwrap().starts_with("https://"), "{l}");
    }
    let (_, ev) = ben.get(&format!("{chat}/events")).await;
    for l in many(&ev["events"]["link"]) {
        assert!(l["@href"].as_str().unwrap().starts_with("https://"), "{l}");
    }
    assert_eq!(ben.say(&chat, "hello over TLS").await, 201);
    sim.visitor_line(&key, "hi back").await.unwrap();
    let texts: Vec<String> = ben
        .events(&chat, 0)
        .await
        .iter()
        .filter_map(|e| e["text"].as_str().map(String::from))
        .collect();
    assert!(texts.iter().any(|t| t == "hello over TLS"), "{texts:?}");
    assert!(texts.iter().any(|t| t == "hi back"), "{texts:?}");
    assert_eq!(sim.plain_http_attempts(), 0);
    assert_eq!(sim.tls_handshake_failures(), 0);
}

#[tokio::test]
async fn plain_http_on_the_https_port_is_refused_and_never_handled() {
    let sim = tls_sim(TlsCert::Valid).await;
    let plain = sim.base_url().replace("https://", "http://");
    let r = reqwest::Client::new()
        .get(format!(
            "{plain}/api/account/90412345/service/agentVep/baseURI.json"
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    assert!(r.text().await.unwrap().contains("https"));
    assert_eq!(sim.plain_http_attempts(), 1);
    assert!(sim.requests().await.is_empty(), "nothing reached the API");
}

async fn lookup_error(sim: &Simulator, extra_ca: Option<&str>) -> reqwest::Error {
    let mut b = reqwest::Client::builder();
    if let Some(pem) = extra_ca {
        b = b.add_root_certificate(reqwest::Certificate::from_pem(pem.as_bytes()).unwrap());
    }
    b.build()
        .unwrap()
        .get(format!(
            "{}/api/account/90412345/service/agentVep/baseURI.json",
            sim.base_url()
        ))
        .send()
        .await
        .expect_err("the certificate must be refused")
}

#[tokio::test]
async fn untrusted_expired_and_misnamed_certificates_are_refused() {
    // No CA given, or an unrelated one: unknown issuer.
    let sim = tls_sim(TlsCert::Valid).await;
    let e = lookup_error(&sim, None).await;
    assert!(format!("{e:?}").contains("UnknownIssuer"), "{e:?}");
    let other = simulator::unrelated_ca_pem().unwrap();
    assert_ne!(Some(other.as_str()), sim.ca_pem());
    let e = lookup_error(&sim, Some(&other)).await;
    assert!(format!("{e:?}").contains("UnknownIssuer"), "{e:?}");
    // the server notices the refused handshakes a moment after the client gave up
    for _ in 0..100 {
        if sim.tls_handshake_failures() >= 2 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    assert!(sim.tls_handshake_failures() >= 2);
    assert!(sim.requests().await.is_empty());

    let expired = tls_sim(TlsCert::Expired).await;
    let e = lookup_error(&expired, expired.ca_pem()).await;
    assert!(format!("{e:?}").contains("Expired"), "{e:?}");

    let misnamed = tls_sim(TlsCert::WrongName).await;
    let e = lookup_error(&misnamed, misnamed.ca_pem()).await;
    assert!(format!("{e:?}").contains("NotValidForName"), "{e:?}");
}

#[tokio::test]
async fn down_and_back_keeps_serving_https_with_the_same_ca() {
    let sim = tls_sim(TlsCert::Valid).await;
    let pem = sim.ca_pem().unwrap().to_string();
    sim.go_down().await;
    sim.come_back().await.unwrap();
    assert_eq!(sim.ca_pem(), Some(pem.as_str()));
    let (http, _, _) = login(&sim, "ann").await;
    drop(http);
}
