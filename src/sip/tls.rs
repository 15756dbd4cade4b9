//! TLS for the SIP test: rustls on the ring provider, as the test fetch, with the same three
//! choices: the system's certificate store, a CA file (`--cacert`), or accept-all
//! (`--insecure`). The fetch's client is reqwest's; SIP speaks over a raw stream, so this
//! builds the rustls config itself and hands the provider explicitly (no process default).

use std::fs;
use std::sync::Arc;

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::{CryptoProvider, verify_tls12_signature, verify_tls13_signature};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{DigitallySignedStruct, RootCertStore, SignatureScheme};
use thiserror::Error;
use tokio_rustls::TlsConnector;

use super::spec::SipTlsOptions;

/// Why TLS could not be set up; each names the file and what to do.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum SipTlsSetupError {
    #[error("cannot read the CA file {path}: {reason}")]
    Read { path: String, reason: String },
    #[error(
        "{path} holds no PEM certificate; export the CA certificate as PEM (-----BEGIN CERTIFICATE-----)"
    )]
    NoCertificate { path: String },
    #[error("TLS cannot be set up: {0}")]
    Config(String),
}

/// The connector for `options`.
pub fn connector(options: &SipTlsOptions) -> Result<TlsConnector, SipTlsSetupError> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let builder = rustls::ClientConfig::builder_with_provider(provider.clone())
        .with_safe_default_protocol_versions()
        .map_err(|e| SipTlsSetupError::Config(e.to_string()))?;
    let config = if options.insecure {
        builder
            .dangerous()
            .with_custom_certificate_verifier(Arc::new(AcceptAny(provider)))
            .with_no_client_auth()
    } else if let Some(path) = &options.ca_file {
        let shown = path.display().to_string();
        let pem = fs::read(path).map_err(|e| SipTlsSetupError::Read {
            path: shown.clone(),
            reason: e.to_string(),
        })?;
        let mut roots = RootCertStore::empty();
        for certificate in CertificateDer::pem_slice_iter(&pem).flatten() {
            roots
                .add(certificate)
                .map_err(|e| SipTlsSetupError::Config(format!("{shown}: {e}")))?;
        }
        if roots.is_empty() {
            return Err(SipTlsSetupError::NoCertificate { path: shown });
        }
        builder.with_root_certificates(roots).with_no_client_auth()
    } else {
        let verifier = rustls_platform_verifier::Verifier::new(provider)
            .map_err(|e| SipTlsSetupError::Config(e.to_string()))?;
        builder
            .dangerous()
            .with_custom_certificate_verifier(Arc::new(verifier))
            .with_no_client_auth()
    };
    Ok(TlsConnector::from(Arc::new(config)))
}

/// The name the certificate must carry: the registrar's host name or IP address.
pub fn server_name(host: &str) -> Result<ServerName<'static>, SipTlsSetupError> {
    ServerName::try_from(host.to_string())
        .map_err(|e| SipTlsSetupError::Config(format!("{host:?} is no TLS server name: {e}")))
}

/// `--insecure`: any certificate passes, but the handshake's signatures are still checked, so
/// the connection is at least to whoever holds that certificate's key.
#[derive(Debug)]
struct AcceptAny(Arc<CryptoProvider>);

impl ServerCertVerifier for AcceptAny {
    fn verify_server_cert(
        &self,
        _end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls12_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls13_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.0.signature_verification_algorithms.supported_schemes()
    }
}
