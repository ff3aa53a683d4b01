//! The https mode: a CA and a server certificate made at start (rcgen), and a listener that
//! completes TLS handshakes before axum sees a connection.
//!
//! Every start makes a new CA; nothing is read from disk. Test hooks make the certificate
//! expired or issued for another name ([`TlsCert`]); [`unrelated_ca_pem`] makes a CA that did
//! not sign anything the simulator serves (the "wrong CA" case).

use std::io;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use futures::StreamExt;
use futures::future::BoxFuture;
use futures::stream::FuturesUnordered;
use rcgen::{
    BasicConstraints, CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa, KeyPair,
    KeyUsagePurpose, SanType,
};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio_rustls::TlsAcceptor;
use tokio_rustls::server::TlsStream;

use crate::error::SimError;

/// Which server certificate the https mode serves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TlsCert {
    /// Valid now, for `localhost`, `127.0.0.1` and `::1`, signed by the simulator's CA.
    #[default]
    Valid,
    /// Test hook: signed by the CA, for the right names, but expired yesterday.
    Expired,
    /// Test hook: signed by the CA and valid, but only for `agent-desk-sim.invalid` (a client
    /// connecting to 127.0.0.1 / localhost sees a hostname mismatch).
    WrongName,
}

/// The name the [`TlsCert::WrongName`] certificate is issued for.
pub const WRONG_NAME: &str = "agent-desk-sim.invalid";

/// Counters of connections that never became an HTTP exchange.
#[derive(Debug, Default)]
pub(crate) struct TlsStats {
    /// Connections whose first bytes were not a TLS handshake (e.g. plain `http://`).
    pub plain_http: AtomicUsize,
    /// TLS handshakes that failed (the client refused the certificate, or gave up).
    pub handshake_failures: AtomicUsize,
}

/// What the https mode holds: the acceptor (kept to serve again after `come_back`) and the CA.
#[derive(Clone)]
pub(crate) struct TlsSetup {
    pub acceptor: TlsAcceptor,
    pub ca_pem: String,
    pub stats: Arc<TlsStats>,
}

impl std::fmt::Debug for TlsSetup {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TlsSetup")
            .field("stats", &self.stats)
            .finish_non_exhaustive()
    }
}

fn tls_err(e: impl std::fmt::Display) -> SimError {
    SimError::Tls(e.to_string())
}

fn new_ca(name: &str) -> Result<(rcgen::Certificate, KeyPair), SimError> {
    let key = KeyPair::generate().map_err(tls_err)?;
    let mut params = CertificateParams::new(Vec::<String>::new()).map_err(tls_err)?;
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    params.distinguished_name.push(DnType::CommonName, name);
    params
        .distinguished_name
        .push(DnType::OrganizationName, "agent-desk-sim");
    params.key_usages = vec![
        KeyUsagePurpose::KeyCertSign,
        KeyUsagePurpose::CrlSign,
        KeyUsagePurpose::DigitalSignature,
    ];
    let now = time::OffsetDateTime::now_utc();
    params.not_before = now - time::Duration::days(30);
    params.not_after = now + time::Duration::days(365);
    let cert = params.self_signed(&key).map_err(tls_err)?;
    Ok((cert, key))
}

/// A fresh CA certificate (PEM) that signed nothing the simulator serves: give it to a client
/// to see the "unknown issuer" failure.
pub fn unrelated_ca_pem() -> Result<String, SimError> {
    Ok(new_ca("agent-desk-sim unrelated test CA")?.0.pem())
}

/// Makes the CA and the server certificate and the rustls acceptor.
pub(crate) fn setup(kind: TlsCert) -> Result<TlsSetup, SimError> {
    let (ca, ca_key) = new_ca("agent-desk-sim local CA")?;
    let names: Vec<String> = match kind {
        TlsCert::WrongName => vec![WRONG_NAME.to_string()],
        TlsCert::Valid | TlsCert::Expired => vec!["localhost".to_string()],
    };
    let mut params = CertificateParams::new(names).map_err(tls_err)?;
    if kind != TlsCert::WrongName {
        params
            .subject_alt_names
            .push(SanType::IpAddress(IpAddr::V4(Ipv4Addr::LOCALHOST)));
        params
            .subject_alt_names
            .push(SanType::IpAddress(IpAddr::V6(Ipv6Addr::LOCALHOST)));
    }
    params
        .distinguished_name
        .push(DnType::CommonName, "agent-desk-sim");
    params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
    params.key_usages = vec![
        KeyUsagePurpose::DigitalSignature,
        KeyUsagePurpose::KeyEncipherment,
    ];
    let now = time::OffsetDateTime::now_utc();
    (params.not_before, params.not_after) = match kind {
        TlsCert::Expired => (
            now - time::Duration::days(30),
            now - time::Duration::days(1),
        ),
        TlsCert::Valid | TlsCert::WrongName => (
            now - time::Duration::days(1),
            now + time::Duration::days(30),
        ),
    };
    let key = KeyPair::generate().map_err(tls_err)?;
    let cert = params.signed_by(&key, &ca, &ca_key).map_err(tls_err)?;
    let chain: Vec<CertificateDer<'static>> = vec![cert.der().clone(), ca.der().clone()];
    let private = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key.serialize_der()));
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(tls_err)?
        .with_no_client_auth()
        .with_single_cert(chain, private)
        .map_err(tls_err)?;
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(TlsSetup {
        acceptor: TlsAcceptor::from(Arc::new(config)),
        ca_pem: ca.pem(),
        stats: Arc::new(TlsStats::default()),
    })
}

/// How long a connection may take to say its first bytes and to finish the handshake.
const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);

/// What a plain-http request on the https port gets before the connection closes.
const PLAIN_HTTP_ANSWER: &[u8] = b"HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain\r\n\
Content-Length: 48\r\nConnection: close\r\n\r\nThis port speaks https only; use https:// here.\n";

type Pending = BoxFuture<'static, Option<(TlsStream<TcpStream>, SocketAddr)>>;

/// A TCP listener whose connections come out TLS-established. Handshakes run side by side (a
/// slow or refused one holds nobody up); everything lives in the listener, so aborting the
/// server task closes the port and drops unfinished handshakes.
pub(crate) struct TlsListener {
    tcp: TcpListener,
    setup: TlsSetup,
    pending: FuturesUnordered<Pending>,
}

impl TlsListener {
    pub fn new(tcp: TcpListener, setup: TlsSetup) -> Self {
        Self {
            tcp,
            setup,
            pending: FuturesUnordered::new(),
        }
    }
}

async fn handshake(
    mut tcp: TcpStream,
    addr: SocketAddr,
    acceptor: TlsAcceptor,
    stats: Arc<TlsStats>,
) -> Option<(TlsStream<TcpStream>, SocketAddr)> {
    let mut first = [0u8; 1];
    match tokio::time::timeout(HANDSHAKE_TIMEOUT, tcp.peek(&mut first)).await {
        Ok(Ok(n)) if n > 0 => {}
        _ => return None,
    }
    // 0x16 = TLS handshake record. Anything else is not TLS; text is most likely plain http.
    if first[0] != 0x16 {
        stats.plain_http.fetch_add(1, Ordering::Relaxed);
        tracing::info!(peer = %addr, "plain http on the https port: refused");
        let mut buf = [0u8; 4096];
        let _ = tokio::time::timeout(Duration::from_millis(200), tcp.read(&mut buf)).await;
        let _ = tcp.write_all(PLAIN_HTTP_ANSWER).await;
        let _ = tcp.shutdown().await;
        return None;
    }
    match tokio::time::timeout(HANDSHAKE_TIMEOUT, acceptor.accept(tcp)).await {
        Ok(Ok(tls)) => Some((tls, addr)),
        Ok(Err(e)) => {
            stats.handshake_failures.fetch_add(1, Ordering::Relaxed);
            tracing::info!(peer = %addr, error = %e, "TLS handshake failed");
            None
        }
        Err(_) => {
            stats.handshake_failures.fetch_add(1, Ordering::Relaxed);
            tracing::info!(peer = %addr, "TLS handshake timed out");
            None
        }
    }
}

impl axum::serve::Listener for TlsListener {
    type Io = TlsStream<TcpStream>;
    type Addr = SocketAddr;

    async fn accept(&mut self) -> (Self::Io, Self::Addr) {
        loop {
            tokio::select! {
                accepted = self.tcp.accept() => match accepted {
                    Ok((tcp, addr)) => {
                        let fut = handshake(
                            tcp,
                            addr,
                            self.setup.acceptor.clone(),
                            self.setup.stats.clone(),
                        );
                        self.pending.push(Box::pin(fut));
                    }
                    // As axum's own TCP listener: out of descriptors and the like pass.
                    Err(e) => {
                        tracing::warn!("accept failed: {e}");
                        tokio::time::sleep(Duration::from_millis(50)).await;
                    }
                },
                Some(done) = self.pending.next(), if !self.pending.is_empty() => {
                    if let Some(ok) = done {
                        return ok;
                    }
                }
            }
        }
    }

    fn local_addr(&self) -> io::Result<Self::Addr> {
        self.tcp.local_addr()
    }
}
