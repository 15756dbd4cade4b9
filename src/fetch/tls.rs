//! The HTTP client a fetch uses, built from the TLS options. rustls with the ring provider;
//! no OpenSSL on the user's machine.

use std::fs;
use std::path::Path;
use std::sync::Once;

use base64::Engine as _;
use thiserror::Error;

use super::spec::{ClientIdentity, FetchSpec};

/// Why the HTTP client could not be set up; each names the file and what to do.
#[derive(Debug, Error)]
pub enum TlsSetupError {
    #[error("cannot read {path}: {reason}")]
    Read { path: String, reason: String },
    #[error(
        "{path} holds no PEM certificate; export the CA certificate as PEM (-----BEGIN CERTIFICATE-----)"
    )]
    NoCertificate { path: String },
    #[error("{path} is not a usable client certificate and key: {reason}")]
    Identity { path: String, reason: String },
    #[error("{path} cannot be opened with the password given: {reason}")]
    Pkcs12 { path: String, reason: String },
    #[error("the HTTP client cannot be built: {0}")]
    Client(String),
}

/// Installs ring as rustls's provider for the whole process, once. reqwest's
/// `rustls-no-provider` build asks for it; the simulator passes its own provider explicitly.
pub fn install_crypto_provider() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let _ = rustls::crypto::ring::default_provider().install_default();
    });
}

/// A client that follows no redirect on its own (the ladder logs each hop and decides what
/// credentials go where), stores no cookies, and uses no proxy unless the environment sets one.
pub fn build_client(spec: &FetchSpec) -> Result<reqwest::Client, TlsSetupError> {
    install_crypto_provider();
    let mut builder = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(spec.timeout)
        .connect_timeout(spec.connect_timeout)
        .http1_only()
        .tls_danger_accept_invalid_certs(spec.tls.accept_invalid_certs);
    if let Some(path) = &spec.tls.ca_file {
        let pem = read(path)?;
        let certificates =
            reqwest::Certificate::from_pem_bundle(&pem).map_err(|e| TlsSetupError::Read {
                path: path.display().to_string(),
                reason: e.to_string(),
            })?;
        if certificates.is_empty() {
            return Err(TlsSetupError::NoCertificate {
                path: path.display().to_string(),
            });
        }
        for certificate in certificates {
            builder = builder.add_root_certificate(certificate);
        }
    }
    if let Some(identity) = &spec.tls.client_identity {
        builder = builder.identity(load_identity(identity)?);
    }
    builder
        .build()
        .map_err(|e| TlsSetupError::Client(error_chain(&e)))
}

fn read(path: &Path) -> Result<Vec<u8>, TlsSetupError> {
    fs::read(path).map_err(|e| TlsSetupError::Read {
        path: path.display().to_string(),
        reason: e.to_string(),
    })
}

fn load_identity(identity: &ClientIdentity) -> Result<reqwest::Identity, TlsSetupError> {
    let (path, pem) = match identity {
        ClientIdentity::Pem { cert, key } => {
            let mut pem = read(cert)?;
            if key != cert {
                pem.push(b'\n');
                pem.extend(read(key)?);
            }
            (cert, pem)
        }
        ClientIdentity::Pkcs12 { path, password } => {
            (path, pkcs12_to_pem(path, &read(path)?, password.expose())?)
        }
    };
    reqwest::Identity::from_pem(&pem).map_err(|e| TlsSetupError::Identity {
        path: path.display().to_string(),
        reason: error_chain(&e),
    })
}

/// Unpacks the first key and its certificate chain from a PKCS#12 bundle into PEM text.
fn pkcs12_to_pem(path: &Path, data: &[u8], password: &str) -> Result<Vec<u8>, TlsSetupError> {
    let shown = || path.display().to_string();
    let store = p12_keystore::KeyStore::from_pkcs12(
        data,
        password,
        p12_keystore::Pkcs12ImportPolicy::Relaxed,
    )
    .map_err(|e| TlsSetupError::Pkcs12 {
        path: shown(),
        reason: e.to_string(),
    })?;
    let chain = store
        .private_key_chain()
        .map(|(_, chain)| chain)
        .ok_or_else(|| TlsSetupError::Identity {
            path: shown(),
            reason: "the bundle holds no private key".to_string(),
        })?;
    let mut pem = String::new();
    for certificate in chain.certs() {
        pem.push_str(&pem_block("CERTIFICATE", certificate.as_der()));
    }
    pem.push_str(&pem_block("PRIVATE KEY", chain.key().as_der()));
    Ok(pem.into_bytes())
}

fn pem_block(label: &str, der: &[u8]) -> String {
    let body = base64::engine::general_purpose::STANDARD.encode(der);
    let mut out = format!("-----BEGIN {label}-----\n");
    for line in body.as_bytes().chunks(64) {
        out.push_str(&String::from_utf8_lossy(line));
        out.push('\n');
    }
    out.push_str(&format!("-----END {label}-----\n"));
    out
}

/// An error and its causes joined by ": ", as the log shows it: reqwest's own message alone
/// ("error sending request") says nothing about the certificate that was refused.
pub fn error_chain(error: &(dyn std::error::Error + 'static)) -> String {
    let mut parts = vec![error.to_string()];
    let mut source = error.source();
    while let Some(cause) = source {
        let text = cause.to_string();
        if !parts.iter().any(|part| part.contains(&text)) {
            parts.push(text);
        }
        source = cause.source();
    }
    parts.join(": ")
}
