//! TLS for the hub, served natively with rustls (the ring provider): `kiosk-hub serve --tls-cert
//! CHAIN.pem --tls-key KEY.pem`. Handshakes run beside each other, each with a time limit, so a slow or
//! silent client never holds the door for the rest; one that fails (a terminal that does not trust the
//! certificate says so with an alert) is logged with its address.
//!
//! A hall network seldom has a public CA: `kiosk-hub tls init` makes a private one and the hub's
//! certificate signed by it; the CA's certificate goes to every terminal as `[hub] ca`, which then trusts
//! nothing else.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use tokio::net::{TcpListener, TcpStream};
use tokio_rustls::server::TlsStream;

/// How long a client may take over its handshake.
const HANDSHAKE: Duration = Duration::from_secs(10);

#[derive(Debug, thiserror::Error)]
pub enum TlsError {
    #[error("{path}: {why}")]
    File { path: String, why: String },
    #[error("the certificate and key do not make a TLS server: {0}")]
    Config(String),
    #[error("cannot make the certificates: {0}")]
    Issue(String),
}

fn file_error(path: &Path, why: impl std::fmt::Display) -> TlsError {
    TlsError::File {
        path: path.display().to_string(),
        why: why.to_string(),
    }
}

/// The server's configuration from a PEM certificate chain (the hub's first, then any intermediates)
/// and its PEM private key.
pub fn server_config(cert: &Path, key: &Path) -> Result<Arc<rustls::ServerConfig>, TlsError> {
    let chain: Vec<CertificateDer<'static>> = CertificateDer::pem_file_iter(cert)
        .map_err(|e| file_error(cert, e))?
        .collect::<Result<_, _>>()
        .map_err(|e| file_error(cert, e))?;
    if chain.is_empty() {
        return Err(file_error(cert, "no PEM certificate in it"));
    }
    let key_der = PrivateKeyDer::from_pem_file(key)
        .map_err(|e| file_error(key, format!("no PEM private key in it ({e})")))?;
    let mut config = rustls::ServerConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .map_err(|e| TlsError::Config(e.to_string()))?
    .with_no_client_auth()
    .with_single_cert(chain, key_der)
    .map_err(|e| TlsError::Config(e.to_string()))?;
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(Arc::new(config))
}

/// A listener that hands the server only connections whose handshake is done.
pub struct TlsListener {
    incoming: tokio::sync::mpsc::Receiver<(TlsStream<TcpStream>, SocketAddr)>,
    local: SocketAddr,
    acceptor: tokio::task::JoinHandle<()>,
}

impl TlsListener {
    pub fn new(
        tcp: TcpListener,
        config: Arc<rustls::ServerConfig>,
    ) -> std::io::Result<TlsListener> {
        let local = tcp.local_addr()?;
        let (done, incoming) = tokio::sync::mpsc::channel(64);
        let tls = tokio_rustls::TlsAcceptor::from(config);
        let acceptor = tokio::spawn(async move {
            loop {
                let (stream, address) = match tcp.accept().await {
                    Ok(accepted) => accepted,
                    Err(error) => {
                        // Out of file descriptors and the like: wait a moment rather than spin.
                        tracing::error!(%error, "cannot accept a connection");
                        tokio::time::sleep(Duration::from_millis(200)).await;
                        continue;
                    }
                };
                let (tls, handed) = (tls.clone(), done.clone());
                tokio::spawn(async move {
                    match tokio::time::timeout(HANDSHAKE, tls.accept(stream)).await {
                        Ok(Ok(stream)) => {
                            let _ = handed.send((stream, address)).await;
                        }
                        Ok(Err(error)) => {
                            tracing::warn!(%address, %error, "TLS handshake failed (a client that does not trust this hub's certificate, or not TLS)")
                        }
                        Err(_) => tracing::info!(%address, "TLS handshake timed out"),
                    }
                });
                if done.is_closed() {
                    break;
                }
            }
        });
        Ok(TlsListener {
            incoming,
            local,
            acceptor,
        })
    }
}

impl Drop for TlsListener {
    fn drop(&mut self) {
        self.acceptor.abort();
    }
}

impl axum::serve::Listener for TlsListener {
    type Io = TlsStream<TcpStream>;
    type Addr = SocketAddr;

    async fn accept(&mut self) -> (Self::Io, Self::Addr) {
        match self.incoming.recv().await {
            Some(accepted) => accepted,
            None => std::future::pending().await,
        }
    }

    fn local_addr(&self) -> std::io::Result<SocketAddr> {
        Ok(self.local)
    }
}

/// What `kiosk-hub tls init` wrote.
#[derive(Debug, Clone)]
pub struct Issued {
    /// The private CA's certificate: `[hub] ca` on every terminal.
    pub ca: PathBuf,
    /// The CA's key: keep it off the hub (it signs the next certificate).
    pub ca_key: PathBuf,
    /// The hub's certificate chain and key: `--tls-cert` and `--tls-key`.
    pub cert: PathBuf,
    pub key: PathBuf,
}

/// Makes a private CA (valid 10 years) and a certificate for the hub's `names` (host names or IP
/// addresses, valid 2 years) signed by it, in `dir`: ca.pem, ca.key, hub.pem, hub.key (keys mode 0600).
pub fn init(dir: &Path, names: &[String], ca_name: &str) -> Result<Issued, TlsError> {
    use rcgen::{
        BasicConstraints, CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa, KeyPair,
        KeyUsagePurpose,
    };
    let issue = |e: rcgen::Error| TlsError::Issue(e.to_string());
    if names.is_empty() {
        return Err(TlsError::Issue(
            "name the hub as terminals reach it (--name hub.example.gov.cn, --name 10.0.0.5)"
                .into(),
        ));
    }
    std::fs::create_dir_all(dir).map_err(|e| file_error(dir, e))?;
    use chrono::Datelike;
    let today = chrono::Utc::now().date_naive();
    // The 28th at the latest, so the same day exists 2 and 10 years on.
    let (year, month, day) = (today.year(), today.month() as u8, today.day().min(28) as u8);

    let ca_key = KeyPair::generate().map_err(issue)?;
    let mut ca = CertificateParams::new(Vec::<String>::new()).map_err(issue)?;
    ca.is_ca = IsCa::Ca(BasicConstraints::Constrained(0));
    ca.distinguished_name.push(DnType::CommonName, ca_name);
    ca.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
    ca.not_before = rcgen::date_time_ymd(year, month, day);
    ca.not_after = rcgen::date_time_ymd(year + 10, month, day);
    let ca_cert = ca.self_signed(&ca_key).map_err(issue)?;

    let key = KeyPair::generate().map_err(issue)?;
    let mut hub = CertificateParams::new(names.to_vec()).map_err(issue)?;
    hub.distinguished_name
        .push(DnType::CommonName, names[0].as_str());
    hub.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
    hub.key_usages = vec![KeyUsagePurpose::DigitalSignature];
    hub.not_before = rcgen::date_time_ymd(year, month, day);
    hub.not_after = rcgen::date_time_ymd(year + 2, month, day);
    let hub_cert = hub.signed_by(&key, &ca_cert, &ca_key).map_err(issue)?;

    let issued = Issued {
        ca: dir.join("ca.pem"),
        ca_key: dir.join("ca.key"),
        cert: dir.join("hub.pem"),
        key: dir.join("hub.key"),
    };
    write(&issued.ca, &ca_cert.pem(), 0o644)?;
    write(&issued.ca_key, &ca_key.serialize_pem(), 0o600)?;
    write(&issued.cert, &hub_cert.pem(), 0o644)?;
    write(&issued.key, &key.serialize_pem(), 0o600)?;
    Ok(issued)
}

/// Writes `text` to a new file at `path` with `mode` from the start (a key is never readable by others,
/// not even for a moment).
fn write(path: &Path, text: &str, mode: u32) -> Result<(), TlsError> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let _ = std::fs::remove_file(path);
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(mode)
        .open(path)
        .and_then(|mut file| file.write_all(text.as_bytes()))
        .map_err(|e| file_error(path, e))
}
